/*
 * test_input.c: the readers of input files: QEMU's `info tlb` lines and
 * files (nw_tlb_parse_line, nw_tlb_load), with the exact values each line
 * gives and the lines that are not mappings, and --addrs files
 * (nw_addrs_read).
 */
#define _POSIX_C_SOURCE 200809L
#include "tu.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Every field of a parsed line, in one check. */
static void expect_line(const nw_tlb_line *l, uint64_t va, uint64_t pa, int size, int w,
                        int u, int xd)
{
    CHECK_MSG(l->va == va && l->pa == pa && l->size == size && l->w == w && l->u == u &&
                  l->xd == xd,
              "got va 0x%llx pa 0x%llx size %d w/u/xd %d/%d/%d, expected va 0x%llx pa "
              "0x%llx size %d w/u/xd %d/%d/%d", (unsigned long long)l->va,
              (unsigned long long)l->pa, l->size, l->w, l->u, l->xd, (unsigned long long)va,
              (unsigned long long)pa, size, w, u, xd);
}

static void tlb_parse_valid(void)
{
    static const struct {
        const char *line;
        uint64_t va, pa;
        int size, w, u, xd;
    } ok[] = {
        /* lines of the fixture */
        {"0000000000400000: 000000000330d000 X---A--U-\n", 0x400000, 0x330d000, NW_SIZE_4K,
         0, 1, 1},
        {"00000000005e2000: 00000000029f5000 X--DA--UW\n", 0x5e2000, 0x29f5000, NW_SIZE_4K,
         1, 1, 1},
        {"ffffffff81000000: 0000000001000000 -GP-A---W\n", 0xffffffff81000000ull, 0x1000000,
         NW_SIZE_2M, 1, 0, 0},
        /* every flag set, none set */
        {"ffff888000000000: 000fffffffe00000 XGPDACTUW\n", 0xffff888000000000ull,
         0xfffffffe00000ull, NW_SIZE_2M, 1, 1, 1},
        {"0000000000001000: 0000000000002000 ---------\n", 0x1000, 0x2000, NW_SIZE_4K, 0, 0, 0},
        /* what the scanf pattern "%llx: %llx %15s" lets through */
        {"1000: 2000 ----A--U-", 0x1000, 0x2000, NW_SIZE_4K, 0, 1, 0},
        {"1000:2000 ----A--U-\r\n", 0x1000, 0x2000, NW_SIZE_4K, 0, 1, 0},
        {"  1000:\t0x2000  ----A--UW  trailing words\n", 0x1000, 0x2000, NW_SIZE_4K, 1, 1, 0},
    };
    for (unsigned i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        nwt_ctx("line '%s'", ok[i].line);
        nw_tlb_line l;
        if (CHECK_EQ(nw_tlb_parse_line(ok[i].line, &l), 1))
            expect_line(&l, ok[i].va, ok[i].pa, ok[i].size, ok[i].w, ok[i].u, ok[i].xd);
    }
}

/* Each of the 9 flags alone: only P, U, W and X mean something, and only
 * at their own position (a letter elsewhere is one more '-'). */
static void tlb_parse_each_flag(void)
{
    static const char letters[] = "XGPDACTUW";
    for (int k = 0; k < 9; k++)
        for (int at = 0; at < 9; at++) {
            char line[64];
            snprintf(line, sizeof line, "7000: 5000 ---------\n");
            line[11 + at] = letters[k];
            nwt_ctx("line '%.20s' (flag %c at %d)", line, letters[k], at);
            nw_tlb_line l;
            if (!CHECK_EQ(nw_tlb_parse_line(line, &l), 1))
                continue;
            int own = k == at;
            expect_line(&l, 0x7000, 0x5000, own && k == 2 ? NW_SIZE_2M : NW_SIZE_4K,
                        own && k == 8, own && k == 7, own && k == 0);
        }
}

static void tlb_parse_rejects(void)
{
    static const char *const bad[] = {
        "", "\n", "info tlb\n", "(qemu) info tlb\n",
        "0000000000400000: 000000000330d000\n",           /* no flags */
        "0000000000400000: 000000000330d000 X---A--U\n",  /* 8 flags */
        "0000000000400000: 000000000330d000 X---A--U-W\n", /* 10 flags */
        "0000000000400000: 000000000330d000 X---A--U-X---A--U-\n", /* 18 flags */
        "0000000000400000 000000000330d000 X---A--U-\n",  /* no colon */
        "0000000000400000 : 000000000330d000 X---A--U-\n", /* space before it */
        "zz: 000000000330d000 X---A--U-\n",                /* VA not hex */
        "0000000000400000: zz X---A--U-\n",                /* PA not hex */
        "0000000000400000:\n",
    };
    for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        nwt_ctx("line '%s'", bad[i]);
        nw_tlb_line l;
        CHECK_EQ(nw_tlb_parse_line(bad[i], &l), 0);
    }
}

static int write_file(const char *path, const char *text)
{
    return tu_write_file(path, text, strlen(text));
}

/* A message for a bad file: one line that names the file. */
static void expect_message(const char *err, const char *path)
{
    CHECK_MSG(err[0] && !strchr(err, '\n') && strstr(err, path),
              "message '%s' should be one line naming %s", err, path);
}

/* The same file plain and gzip-compressed (under a name with a quote in
 * it, which reaches gzip through the shell): the mappings in order, the
 * other lines skipped; missing, corrupt and empty files. */
static void tlb_load_files(void)
{
    char dir[] = "/tmp/nwtestXXXXXX";
    if (!CHECK(mkdtemp(dir) != NULL))
        return;
    char plain[64], gz[64], quoted[64], cmd[256], err[256];
    snprintf(plain, sizeof plain, "%s/tlb.txt", dir);
    snprintf(gz, sizeof gz, "%s/tlb.txt.gz", dir);
    snprintf(quoted, sizeof quoted, "%s/it's tlb.gz", dir);
    CHECK_EQ(write_file(plain, "(qemu) info tlb\n"
                               "0000000000400000: 000000000330d000 X---A--U-\n"
                               "\n"
                               "ffffffff81000000: 0000000001000000 -GP-A---W\n"
                               "0000000000400000: 000000000330d000 X---A--U\n"
                               "00000000005e2000: 00000000029f5000 X--DA--UW\n"),
             0);
    snprintf(cmd, sizeof cmd, "gzip -c '%s' > '%s'", plain, gz);
    CHECK_EQ(system(cmd), 0);
    CHECK_EQ(rename(gz, quoted), 0);
    const char *const files[] = {plain, quoted};
    for (int k = 0; k < 2; k++) {
        nwt_ctx("nw_tlb_load(%s)", files[k]);
        nw_tlb_line *l = NULL;
        size_t n = 0;
        err[0] = 0;
        if (CHECK_MSG(nw_tlb_load(files[k], &l, &n, err, sizeof err) == 0, "%s", err) &&
            CHECK_EQ(n, 3)) {
            expect_line(&l[0], 0x400000, 0x330d000, NW_SIZE_4K, 0, 1, 1);
            expect_line(&l[1], 0xffffffff81000000ull, 0x1000000, NW_SIZE_2M, 1, 0, 0);
            expect_line(&l[2], 0x5e2000, 0x29f5000, NW_SIZE_4K, 1, 1, 1);
        }
        free(l);
    }

    nwt_ctx("a missing file, plain and .gz");
    const char *const missing[] = {"/nonexistent/tlb.txt", "/nonexistent/tlb.txt.gz"};
    for (int k = 0; k < 2; k++) {
        nw_tlb_line *l = NULL;
        size_t n = 0;
        err[0] = 0;
        CHECK_EQ(nw_tlb_load(missing[k], &l, &n, err, sizeof err), -1);
        expect_message(err, missing[k]);
    }

    nwt_ctx("a .gz file that is not gzip");
    CHECK_EQ(rename(plain, gz), 0);
    nw_tlb_line *l = NULL;
    size_t n = 0;
    err[0] = 0;
    CHECK_EQ(nw_tlb_load(gz, &l, &n, err, sizeof err), -1);
    expect_message(err, gz);

    nwt_ctx("an empty file: no mappings");
    CHECK_EQ(write_file(plain, ""), 0);
    n = 1;
    CHECK_EQ(nw_tlb_load(plain, &l, &n, err, sizeof err), 0);
    CHECK_EQ(n, 0);
    free(l);
    remove(plain);
    remove(gz);
    remove(quoted);
    rmdir(dir);
}

/* What nw_addrs_read hands to its callback, and when the callback stops it. */
typedef struct {
    uint64_t va[8];
    int n, stop_after;
} got_vas;

static int take_va(void *ctx, uint64_t va)
{
    got_vas *g = ctx;
    if (g->n < 8)
        g->va[g->n] = va;
    return ++g->n == g->stop_after;
}

/* Every VA in order (blank and comment lines give none); a callback that
 * stops the read; a malformed line named by file and line number after the
 * VAs before it were handed over; missing files and directories. */
static void addrs_read_files(void)
{
    char dir[] = "/tmp/nwtestXXXXXX";
    if (!CHECK(mkdtemp(dir) != NULL))
        return;
    char path[64], err[256];
    snprintf(path, sizeof path, "%s/addrs", dir);
    CHECK_EQ(write_file(path, "0x400000\n"
                              "\n"
                              "# a comment\n"
                              "  401000   # after a comment\n"
                              "0xffffffff81234567\r\n"
                              "8000000000"),
             0);
    static const uint64_t want[] = {0x400000, 0x401000, 0xffffffff81234567ull, 0x8000000000};
    for (int stop = 0; stop <= 2; stop += 2) {
        nwt_ctx("%s, callback stopping after %d", path, stop);
        got_vas g = {{0}, 0, stop};
        err[0] = 0;
        CHECK_MSG(nw_addrs_read(path, take_va, &g, err, sizeof err) == 0, "%s", err);
        if (CHECK_EQ(g.n, stop ? stop : 4))
            for (int i = 0; i < g.n; i++)
                CHECK_EQ(g.va[i], want[i]);
    }

    nwt_ctx("a malformed third line");
    CHECK_EQ(write_file(path, "0x400000\n0x401000\nnot-a-number\n0x402000\n"), 0);
    got_vas g = {{0}, 0, 0};
    err[0] = 0;
    CHECK_EQ(nw_addrs_read(path, take_va, &g, err, sizeof err), -1);
    CHECK_EQ(g.n, 2);
    char want_err[128];
    snprintf(want_err, sizeof want_err, "%s line 3: malformed address 'not-a-number'", path);
    CHECK_MSG(!strcmp(err, want_err), "message '%s', expected '%s'", err, want_err);

    nwt_ctx("a line with two addresses");
    CHECK_EQ(write_file(path, "0x400000 0x401000\n"), 0);
    g.n = 0;
    CHECK_EQ(nw_addrs_read(path, take_va, &g, err, sizeof err), -1);
    CHECK_EQ(g.n, 0);
    snprintf(want_err, sizeof want_err, "%s line 1: more than one address", path);
    CHECK_MSG(!strcmp(err, want_err), "message '%s', expected '%s'", err, want_err);

    nwt_ctx("a missing file, a directory");
    remove(path);
    const char *const bad[] = {path, dir};
    for (int k = 0; k < 2; k++) {
        err[0] = 0;
        CHECK_EQ(nw_addrs_read(bad[k], take_va, &g, err, sizeof err), -1);
        expect_message(err, bad[k]);
    }
    CHECK_EQ(g.n, 0);
    rmdir(dir);
}

void suite_input(void)
{
    NWT_RUN(tlb_parse_valid);
    NWT_RUN(tlb_parse_each_flag);
    NWT_RUN(tlb_parse_rejects);
    NWT_RUN(tlb_load_files);
    NWT_RUN(addrs_read_files);
}
