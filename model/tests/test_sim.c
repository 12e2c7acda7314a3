/*
 * test_sim.c: `nestwalk sim`'s pieces with outcomes worked out by hand:
 * the lackey parser (records, noise, one-line errors), the binary form's
 * round trip, the TLBs' hits and misses and the reads of every mode on a
 * tiny trace, agile paging's policy (two updates move a guest table page
 * to nested mode, an interval without a write moves it back), and the
 * cost model's figures.
 *
 * The tiny trace's pages all lie in one area, [0x400000, 0x800000), so the
 * OS lays its level-1 tables out as a TEA (its upper tables made up front)
 * and puts the guest segment over it: each first touch writes one entry,
 * in the page's level-1 table.
 */
#define _POSIX_C_SOURCE 200809L
#include "tu.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A trace from lackey text, through a file and nw_trace_read. */
static nw_trace *trace_of(const char *text)
{
    char path[] = "/tmp/nwsimXXXXXX", err[256];
    int fd = mkstemp(path);
    nw_trace *t = nw_trace_new();
    CHECK(fd >= 0 && t);
    if (fd < 0 || !t)
        return t;
    close(fd);
    CHECK(tu_write_file(path, text, strlen(text)) == 0);
    CHECK_MSG(nw_trace_read(t, path, 0, UINT64_MAX, 0, err, sizeof err) == 0, "read: %s", err);
    remove(path);
    return t;
}

static const nw_sim_row *row_of(const nw_sim_result *r, int mode, int wc)
{
    for (int i = 0; i < r->nrows; i++)
        if (r->row[i].mode == mode && r->row[i].wc == wc)
            return &r->row[i];
    return NULL;
}

static void lackey_parse(void)
{
    static const struct {
        const char *line;
        int kind;
        uint64_t addr;
        unsigned size;
    } good[] = {
        {"I  04016d0,3\n", NW_TR_INSTR, 0x4016d0, 3},
        {" S 7ff000a08,8\n", NW_TR_STORE, 0x7ff000a08, 8},
        {" L 04222cac,8", NW_TR_LOAD, 0x4222cac, 8},
        {" M 0421c7f0,4\r\n", NW_TR_MODIFY, 0x421c7f0, 4},
        {" L ffffffffffffffff,64\n", NW_TR_LOAD, ~0ull, 64},
        {" S 7ff000a08,4096\n", NW_TR_STORE, 0x7ff000a08, 4096},
    };
    char err[128];
    for (size_t i = 0; i < sizeof good / sizeof *good; i++) {
        nw_trace_rec r;
        nwt_ctx("%s", good[i].line);
        CHECK_EQ(nw_lackey_parse(good[i].line, &r, err, sizeof err), 1);
        CHECK(r.kind == good[i].kind && r.addr == good[i].addr && r.size == good[i].size);
    }
    static const char *noise[] = {"==1234== Lackey, an example Valgrind tool\n", "\n",
                                  "  \t\n", "--1234-- warning\n"};
    for (size_t i = 0; i < sizeof noise / sizeof *noise; i++) {
        nw_trace_rec r;
        nwt_ctx("%s", noise[i]);
        CHECK_EQ(nw_lackey_parse(noise[i], &r, err, sizeof err), 0);
    }
    /* the kind's column is part of the format: I in column 0, L S M in 1 */
    static const char *bad[] = {"X 0400,4\n", " I 0400,4\n", "L 0400,4\n", " L 0400\n",
                                " L zz,4\n", " L 0400,0\n", " L 0400,4x\n", "hello\n",
                                " L 10000000000000000,4\n", " L 0400,-4\n",
                                " L 0400,4097\n", " L 0400,99999999999999999999\n"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        nw_trace_rec r;
        nwt_ctx("%s", bad[i]);
        err[0] = 0;
        CHECK_EQ(nw_lackey_parse(bad[i], &r, err, sizeof err), -1);
        CHECK(err[0] && !strchr(err, '\n'));
    }
}

/* A bad line is named with its number; the whole read fails. */
static void trace_read_errors(void)
{
    char path[] = "/tmp/nwsimXXXXXX", err[256];
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    close(fd);
    const char text[] = "==1== Command: x\nI  0400000,4\n L 0600000,8\nbogus line\n";
    tu_write_file(path, text, sizeof text - 1);
    nw_trace *t = nw_trace_new();
    CHECK_EQ(nw_trace_read(t, path, 0, UINT64_MAX, 0, err, sizeof err), -1);
    CHECK_MSG(strstr(err, "line 4") && strstr(err, path), "message: %s", err);
    nw_trace_free(t);
    t = nw_trace_new();
    CHECK_EQ(nw_trace_read(t, "/nonexistent/trace", 0, UINT64_MAX, 0, err, sizeof err), -1);
    CHECK_MSG(strstr(err, "/nonexistent/trace") != NULL, "message: %s", err);
    nw_trace_free(t);
    /* a damaged binary trace: its magic, then a cut varint */
    const char cut[] = "NWTRACE1\n\x05\xff";
    tu_write_file(path, cut, sizeof cut - 1);
    t = nw_trace_new();
    CHECK_EQ(nw_trace_read(t, path, 0, UINT64_MAX, 0, err, sizeof err), -1);
    CHECK_MSG(strstr(err, "damaged at record 0") != NULL, "message: %s", err);
    nw_trace_free(t);
    remove(path);
}

/* Records written in the binary form read back the same, --skip and
 * --limit select a window, and the form is cheap: small steps take 2
 * bytes. */
static void binary_round_trip(void)
{
    uint64_t rng = nwt.seed;
    nw_trace *t = nw_trace_new();
    nw_trace_rec want[1000];
    for (int i = 0; i < 1000; i++) {
        want[i].kind = (int)tu_below(&rng, 4);
        want[i].size = i % 7 ? 1 + (unsigned)tu_below(&rng, 63)
                           : 64 + (unsigned)tu_below(&rng, NW_TRACE_MAX_SIZE - 63);
        want[i].addr = i % 5 ? 0x400000 + tu_below(&rng, 1 << 20) : nw_splitmix64(&rng);
        CHECK_EQ(nw_trace_add(t, &want[i]), 0);
    }
    char path[] = "/tmp/nwsimXXXXXX", err[256];
    int fd = mkstemp(path);
    close(fd);
    CHECK_MSG(nw_trace_write(t, path, err, sizeof err) == 0, "%s", err);
    nw_trace *back = nw_trace_new(), *win = nw_trace_new();
    CHECK_MSG(nw_trace_read(back, path, 0, UINT64_MAX, 0, err, sizeof err) == 0, "%s", err);
    CHECK_MSG(nw_trace_read(win, path, 100, 50, 0, err, sizeof err) == 0, "%s", err);
    CHECK_EQ(nw_trace_count(back), 1000);
    CHECK_EQ(nw_trace_count(win), 50);
    nw_trace_cursor c, w;
    nw_trace_begin(back, &c);
    nw_trace_begin(win, &w);
    int same = 1;
    for (int i = 0; i < 1000; i++) {
        nw_trace_rec r;
        same &= nw_trace_next(&c, &r) == 1 && r.kind == want[i].kind &&
                r.size == want[i].size && r.addr == want[i].addr;
        if (i >= 100 && i < 150)
            same &= nw_trace_next(&w, &r) == 1 && r.addr == want[i].addr;
    }
    CHECK(same);
    nw_trace_rec r;
    CHECK_EQ(nw_trace_next(&c, &r), 0);
    CHECK_EQ(nw_trace_next(&w, &r), 0);
    /* sequential fetches: a byte of kind and size, a byte of delta */
    nw_trace *seq = nw_trace_new();
    for (int i = 0; i < 100; i++)
        nw_trace_add(seq, &(nw_trace_rec){0x401000 + 4 * (uint64_t)i, 4, NW_TR_INSTR});
    nw_trace_begin(seq, &c);
    CHECK((size_t)(c.end - c.p) <= 100 * 2 + 3);
    nw_trace_free(seq);
    nw_trace_free(t);
    nw_trace_free(back);
    nw_trace_free(win);
    remove(path);
}

/* The tiny trace: 6 records, 3 instructions on one page, a load, a store
 * over a page boundary (two pages) and a modify: 4 pages, each a first
 * touch, so each misses both TLB levels once. */
static const char TINY[] = "==42== Command: tiny\n"
                           "I  00400000,4\n"
                           " L 00600000,8\n"
                           "I  00400004,4\n"
                           " S 00600ffc,8\n"
                           "I  00400008,4\n"
                           " M 00700000,4\n"
                           "==42== \n";

static void tiny_trace_every_mode(void)
{
    nw_trace *t = trace_of(TINY);
    nw_sim_config c;
    nw_sim_defaults(&c);
    nw_sim_result r;
    char err[256];
    CHECK_MSG(nw_sim_run(&c, t, &r, err, sizeof err) == 0, "%s", err);
    CHECK_EQ(r.records, 6);
    CHECK_EQ(r.instrs, 3);
    CHECK_EQ(r.lookups, 7);
    CHECK_EQ(r.pages, 4);
    CHECK_EQ(r.first_touches, 4);
    CHECK_EQ(r.gseg_pages, 4);
    CHECK_EQ(r.dmt_windows, 1);
    CHECK_EQ(r.nrows, 2 * NW_SIM_MODES);
    /* reads of the 4 walks without walk caches: native 4 each, nested 24,
       shadow 4; agile: 0x400000 and 0x600000 in shadow mode (4), then the
       second update of 0x600000's level-1 table moved it to nested mode, so
       0x601000 and 0x700000 switch at shadow L2 (8); VMM Direct 4; Dual
       Direct 0 (both segments); DMT 1; pvDMT 2 (the guest's TEA entry at an
       hPA, the host's) */
    static const uint64_t reads_off[NW_SIM_MODES] = {16, 96, 16, 24, 16, 0, 4, 8};
    /* with walk caches: native reads 4, then 2 (the L3 entry cached), then
       1 and 1 (the L2 entry of 0x600000's 2 MiB) */
    static const uint64_t reads_on_native = 8;
    for (int m = 0; m < NW_SIM_MODES; m++) {
        nwt_ctx("mode %s", nw_sim_mode_name(m));
        const nw_sim_row *off = row_of(&r, m, 0), *on = row_of(&r, m, 1);
        CHECK(off && on);
        if (!off || !on)
            continue;
        CHECK_EQ(off->walks, 4);
        CHECK_EQ(on->walks, 4);
        CHECK_EQ(off->reads, reads_off[m]);
        CHECK(on->reads <= off->reads);
        CHECK_EQ(off->interventions, m == NW_SIM_SHADOW ? 4 : m == NW_SIM_AGILE ? 3 : 0);
        CHECK_EQ(on->interventions, off->interventions);
    }
    nwt.ctx[0] = 0;
    CHECK_EQ(row_of(&r, NW_SIM_NATIVE, 1)->reads, reads_on_native);
    CHECK_EQ(row_of(&r, NW_SIM_AGILE, 0)->to_nested, 1);
    CHECK_EQ(row_of(&r, NW_SIM_AGILE, 0)->to_shadow, 0);

    /* the figures: 6 records, 3 instructions at CPI 1 (500 cycles per
       thousand records); nested: 4 misses (666.667 per thousand), 96 reads
       of 30 cycles (480,000 per thousand); shadow: 4 interventions of 2,000
       cycles (1,333,333.3 per thousand); slowdown over native's 500 +
       80,000: (500 + 480,000) / 80,500 */
    nw_sim_cost n = nw_sim_row_cost(&c, &r, row_of(&r, NW_SIM_NESTED, 0));
    nw_sim_cost s = nw_sim_row_cost(&c, &r, row_of(&r, NW_SIM_SHADOW, 0));
    CHECK(n.mpka > 666.666 && n.mpka < 666.667);
    CHECK(n.reads_per_miss == 24.0);
    CHECK(n.walk_cpka == 480000.0);
    CHECK(n.base_cpka == 500.0);
    CHECK(s.vmm_cpka > 1333333.3 && s.vmm_cpka < 1333333.4);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    nw_sim_print(f, &c, &r, "tiny", 0);
    fclose(f);
    CHECK_MSG(strstr(buf, "\nnested       off           6   666.667     24.00          0"
                          "    480000.0         0.0     5.969\n") != NULL,
              "table:\n%s", buf);
    free(buf);
    nw_trace_free(t);
}

/* TLB hits and misses: with a 1-entry DTLB and STLB every change of data
 * page misses (records 1 to 5; the sixth is on the fifth's page); with the
 * defaults only first touches do. */
static void tlb_hits_and_misses(void)
{
    nw_trace *t = trace_of(" L 00400000,8\n L 00401000,8\n L 00400000,8\n L 00401000,8\n"
                           " L 00400008,8\n L 00400010,8\n");
    nw_sim_config c;
    nw_sim_defaults(&c);
    c.modes = 1u << NW_SIM_NATIVE;
    c.wc = 1;
    nw_sim_result r;
    char err[256];
    CHECK(nw_sim_run(&c, t, &r, err, sizeof err) == 0);
    CHECK_EQ(r.nrows, 1);
    CHECK_EQ(r.row[0].walks, 2);
    c.dtlb = (nw_tlb_geom){1, 1};
    c.stlb = (nw_tlb_geom){1, 1};
    CHECK(nw_sim_run(&c, t, &r, err, sizeof err) == 0);
    CHECK_EQ(r.row[0].walks, 5);
    CHECK_EQ(r.row[0].reads, 20);
    /* a 2-entry STLB keeps both pages: only the first touches walk */
    c.stlb = (nw_tlb_geom){2, 2};
    CHECK(nw_sim_run(&c, t, &r, err, sizeof err) == 0);
    CHECK_EQ(r.row[0].walks, 2);
    /* two sets of one way: pages 0x400 and 0x401 fall in different sets */
    c.stlb = (nw_tlb_geom){2, 1};
    CHECK(nw_sim_run(&c, t, &r, err, sizeof err) == 0);
    CHECK_EQ(r.row[0].walks, 2);
    /* 2 MiB pages: one walk for both pages, 3 reads */
    c.thp = 1;
    c.stlb = (nw_tlb_geom){1, 1};
    CHECK(nw_sim_run(&c, t, &r, err, sizeof err) == 0);
    CHECK_EQ(r.row[0].walks, 1);
    CHECK_EQ(r.row[0].reads, 3);
    c.dtlb = (nw_tlb_geom){3, 2};
    CHECK_EQ(nw_sim_run(&c, t, &r, err, sizeof err), -1);
    CHECK(strstr(err, "multiple of its ways") != NULL);
    nw_trace_free(t);
}

/* Agile paging's policy, with an interval of 4 records and TLBs of one
 * entry (every record misses): 0x400000 and 0x401000 share a level-1
 * table. Record 1 updates it once (shadow mode: an intervention), record 2
 * a second time: it moves to nested mode (SW in the shadow L2 entry). At
 * the end of record 4 the VMM finds its dirty bit set (the write that moved
 * it) and clears it; at the end of record 8 it is clean, so the table goes
 * back to shadow mode (an intervention), and record 9's new page is a
 * trapped update again. */
static void agile_policy(void)
{
    nw_trace *t = trace_of(" L 00400000,8\n L 00401000,8\n L 00400000,8\n L 00401000,8\n"
                           " L 00400000,8\n L 00401000,8\n L 00400000,8\n L 00401000,8\n"
                           " L 00402000,8\n");
    nw_sim_config c;
    nw_sim_defaults(&c);
    c.modes = 1u << NW_SIM_AGILE | 1u << NW_SIM_SHADOW | 1u << NW_SIM_NATIVE;
    c.wc = 1;
    c.interval = 4;
    c.dtlb = c.stlb = (nw_tlb_geom){1, 1};
    nw_sim_result r;
    char err[256];
    CHECK_MSG(nw_sim_run(&c, t, &r, err, sizeof err) == 0, "%s", err);
    const nw_sim_row *a = row_of(&r, NW_SIM_AGILE, 0), *s = row_of(&r, NW_SIM_SHADOW, 0);
    CHECK(a && s);
    if (!a || !s)
        return;
    CHECK_EQ(a->walks, 9);
    CHECK_EQ(a->to_nested, 1);
    CHECK_EQ(a->to_shadow, 1);
    CHECK_EQ(a->interventions, 4);
    /* 4 (shadow), 8 for records 2..8 (nested below shadow L2), 4 (shadow) */
    CHECK_EQ(a->reads, 4 + 7 * 8 + 4);
    CHECK_EQ(s->interventions, 3);
    CHECK_EQ(s->reads, 9 * 4);
    /* a longer interval: no look before the end, so the table stays nested
       and record 9's update is not trapped */
    c.interval = 100;
    CHECK(nw_sim_run(&c, t, &r, err, sizeof err) == 0);
    a = row_of(&r, NW_SIM_AGILE, 0);
    CHECK_EQ(a->to_shadow, 0);
    CHECK_EQ(a->interventions, 2);
    CHECK_EQ(a->reads, 4 + 8 * 8);
    nw_trace_free(t);
}

/* 2 MiB guest pages over 4 KiB host pages: the shadow table maps 4 KiB
 * pages (the smaller size), so the second 4 KiB of the guest page misses
 * the TLB and finds no shadow entry; the VMM composes it on that shadow
 * fault, an intervention more. The nested walk: 3 guest levels, each entry
 * and the final gPA through a 4-level host walk, 3 * 5 + 4 = 19 reads. */
static void thp_over_4k_host(void)
{
    nw_trace *t = trace_of(" L 00400000,8\n L 00401000,8\n L 00400010,8\n");
    nw_sim_config c;
    nw_sim_defaults(&c);
    c.thp = 1;
    c.modes = 1u << NW_SIM_SHADOW | 1u << NW_SIM_AGILE | 1u << NW_SIM_NESTED |
              1u << NW_SIM_NATIVE;
    nw_sim_result r;
    char err[256];
    CHECK_MSG(nw_sim_run(&c, t, &r, err, sizeof err) == 0, "%s", err);
    CHECK_EQ(r.first_touches, 1);
    for (int wc = 0; wc < 2; wc++) {
        nwt_ctx("wc %d", wc);
        CHECK_EQ(row_of(&r, NW_SIM_NATIVE, wc)->walks, 1);
        CHECK_EQ(row_of(&r, NW_SIM_SHADOW, wc)->walks, 2);
        CHECK_EQ(row_of(&r, NW_SIM_SHADOW, wc)->interventions, 2);
        CHECK_EQ(row_of(&r, NW_SIM_AGILE, wc)->interventions, 2);
    }
    nwt.ctx[0] = 0;
    CHECK_EQ(row_of(&r, NW_SIM_NATIVE, 0)->reads, 3);
    CHECK_EQ(row_of(&r, NW_SIM_SHADOW, 0)->reads, 8);
    CHECK_EQ(row_of(&r, NW_SIM_NESTED, 0)->reads, 2 * 19);
    nw_trace_free(t);
}

void suite_sim(void)
{
    NWT_RUN(lackey_parse);
    NWT_RUN(trace_read_errors);
    NWT_RUN(binary_round_trip);
    NWT_RUN(tiny_trace_every_mode);
    NWT_RUN(tlb_hits_and_misses);
    NWT_RUN(agile_policy);
    NWT_RUN(thp_over_4k_host);
}
