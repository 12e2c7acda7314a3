/*
 * build/nestwalk: the model behind a command line (SPEC section 8).
 *
 *   nestwalk translate --image FILE [options] [VA ...]
 *   nestwalk demo      reads per TLB miss in every mode, measured
 *   nestwalk bench     translations per second on the Linux fixture
 *   nestwalk sim       a program's memory-access trace through TLBs and walker
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

#include "nestwalk.h"

static void die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("nestwalk: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(2);
}

static void *must(void *p)
{
    if (!p)
        die("out of memory");
    return p;
}

/* ------------------------------------------------------------ translate */

typedef struct {
    nw_state *s;
    nw_mem *mem;
    nw_request req;
    int json;
    unsigned long flush_every, done; /* --flush-every N; VAs translated so far */
} cli;

static void print_result(const cli *c, uint64_t va, const nw_result *r)
{
    char line[512];
    int n = 0;
    const char *q = c->json ? "\"" : "";
#define KV(k, fmt, ...)                                                        \
    n += snprintf(line + n, sizeof line - n, c->json ? "%s\"" k "\":" fmt      \
                                                     : "%s" k "=" fmt,         \
                  n ? (c->json ? "," : " ") : "", __VA_ARGS__)
    KV("va", "%s0x%llx%s", q, (unsigned long long)va, q);
    KV("status", "%s%s%s", q, nw_status_name(r->status), q);
    if (r->status == NW_OK) {
        char perm[4] = {r->w ? 'w' : '-', r->u ? 'u' : '-', r->xd ? '-' : 'x', 0};
        KV("pa", "%s0x%llx%s", q, (unsigned long long)r->pa, q);
        KV("size", "%s%s%s", q, nw_size_name(r->size), q);
        KV("perm", "%s%s%s", q, perm, q);
    } else {
        if (r->status != NW_BUS_ERROR)
            KV("reason", "%s%s%s", q, nw_reason_name(r->reason), q);
        KV("level", "%d", r->level);
    }
    KV("refs", "%d", r->refs);
    if (r->status == NW_GUEST_FAULT)
        KV("pferr", "%s0x%x%s", q, r->pferr, q);
    if (r->status == NW_HOST_FAULT) {
        KV("gpa", "%s0x%llx%s", q, (unsigned long long)r->fault_gpa, q);
        KV("gpt", "%d", r->gpt);
    }
#undef KV
    printf(c->json ? "{%s}\n" : "%s\n", line);
}

static void translate_one(cli *c, uint64_t va)
{
    nw_result r;
    if (c->flush_every && c->done % c->flush_every == 0)
        nw_reg_write(c->s, NW_REG_WC_FLUSH, NW_WC_FLUSH_GUEST | NW_WC_FLUSH_ALL);
    c->done++;
    c->req.va = va;
    nw_translate(c->s, &c->req, nw_mem_read, c->mem, &r);
    print_result(c, va, &r);
}

static int translate_va(void *c, uint64_t va)
{
    translate_one(c, va);
    return 0;
}

static void usage(FILE *f);
static void usage_translate(FILE *f);

/* `--help` anywhere among a command's arguments (as git and most tools
 * take it), or `-h` first, asks for its usage. */
static int wants_help(int argc, char **argv)
{
    if (argc > 0 && !strcmp(argv[0], "-h"))
        return 1;
    for (int i = 0; i < argc; i++)
        if (!strcmp(argv[i], "--help"))
            return 1;
    return 0;
}

static int cmd_translate(int argc, char **argv)
{
    nw_options o;
    char err[512];
    if (wants_help(argc, argv)) {
        usage_translate(stdout);
        return 0;
    }
    if (nw_options_parse(&o, argc, argv, err, sizeof err))
        die("%s", err);
    cli c = {must(nw_new(NW_FEAT_ALL)), must(nw_mem_new()),
             {0, o.access, o.user}, o.json, o.flush_every, 0};
    if (nw_mem_load(c.mem, o.image, err, sizeof err))
        die("%s", err);
    for (size_t i = 0; i < o.nops; i++)
        nw_reg_write(c.s, o.ops[i].addr, o.ops[i].value);
    for (size_t i = 0; i < o.nvas; i++)
        translate_one(&c, o.vas[i]);
    if (o.addrs && nw_addrs_read(o.addrs, translate_va, &c, err, sizeof err))
        die("%s", err);
    nw_options_free(&o);
    nw_mem_free(c.mem);
    nw_free(c.s);
    return 0;
}

/* ------------------------------------------------- the synthetic VM (demo) */

/* Guest-physical memory [0, GMEM) is mapped by the host at gPA + HOST_OFF,
 * by 4 KiB host pages and by the host segment alike. */
#define GMEM      0x4000000ull   /* 64 MiB of guest-physical memory */
#define HOST_OFF  0x40000000ull  /* hPA = gPA + 1 GiB */
#define DATA_VA   0x00007f0000000000ull
#define DATA_GPA  0x1000000ull
#define SEG_VA    0x0000600000000000ull
#define SEG_GPA   0x2000000ull
#define SEG_LEN   0x1000000ull
/* The streams of TLB misses with walk caches: STREAM_PAGES 4 KiB pages in
 * a row from SEQ_VA, and as many distinct pages drawn at random from the
 * GiB at RND_VA; both map onto guest memory from DATA_GPA. */
#define STREAM_PAGES 8192
#define SEQ_VA    0x0000500000000000ull
#define RND_VA    0x0000400000000000ull
/* DMT: the guest's TEA covers DATA_VA's 2 MiB of 4 KiB pages and the 2 MiB
 * page after them (mapped to BIG_GPA, its TEA page empty: the fall-back);
 * the host's covers all guest memory. */
#define DMT_LEN   0x400000ull
#define BIG_VA    (DATA_VA + 0x200000)
#define BIG_GPA   0x1200000ull

typedef struct {
    nw_mem *gmem, *host;
    uint64_t gcr3, hcr3, sroot[7]; /* sroot[0] plain shadow; [j] SW at level j */
    uint64_t gtea, htea;           /* the TEAs: a gPA, an hPA */
    int levels;
    uint64_t seq[STREAM_PAGES], rnd[STREAM_PAGES]; /* the streams' VAs */
} vm;

/* STREAM_PAGES distinct random pages of the GiB at RND_VA, a fixed draw. */
static void random_pages(uint64_t *va)
{
    static unsigned char taken[1u << 18];
    memset(taken, 0, sizeof taken);
    uint64_t rng = 0x73747265616d; /* "stream" */
    for (int i = 0; i < STREAM_PAGES;) {
        unsigned p = (unsigned)(nw_splitmix64(&rng) % (1u << 18));
        if (!taken[p]) {
            taken[p] = 1;
            va[i++] = RND_VA + ((uint64_t)p << 12);
        }
    }
}

static void vm_build(vm *v, int levels)
{
    v->levels = levels;
    v->gmem = must(nw_mem_new());
    v->host = must(nw_mem_new());
    nw_alloc ga = {v->gmem, 0x100000, 0x800000};
    nw_alloc ha = {v->host, 0x100000, 0x2000000};
    v->gcr3 = nw_alloc_page(&ga);
    v->hcr3 = nw_alloc_page(&ha);
    int bad = 0;
    for (uint64_t i = 0; i < 512; i++)
        bad |= nw_pt_map(&ga, v->gcr3, levels, DATA_VA + i * 4096,
                         DATA_GPA + i * 4096, NW_SIZE_4K, NW_PTE_W | NW_PTE_U);
    /* the guest tables map the segment too: an escaped page walks them */
    for (uint64_t off = 0; off < SEG_LEN; off += 4096)
        bad |= nw_pt_map(&ga, v->gcr3, levels, SEG_VA + off, SEG_GPA + off,
                         NW_SIZE_4K, NW_PTE_W | NW_PTE_U);
    random_pages(v->rnd);
    for (int i = 0; i < STREAM_PAGES; i++) {
        v->seq[i] = SEQ_VA + (uint64_t)i * 4096;
        uint64_t gpa = DATA_GPA + (uint64_t)i * 4096;
        bad |= nw_pt_map(&ga, v->gcr3, levels, v->seq[i], gpa, NW_SIZE_4K,
                         NW_PTE_W | NW_PTE_U | NW_PTE_A);
        bad |= nw_pt_map(&ga, v->gcr3, levels, v->rnd[i], gpa, NW_SIZE_4K,
                         NW_PTE_W | NW_PTE_U | NW_PTE_A);
    }
    bad |= nw_pt_map(&ga, v->gcr3, levels, BIG_VA, BIG_GPA, NW_SIZE_2M, NW_PTE_W | NW_PTE_U);
    bad |= nw_pt_tea(&ga, v->gcr3, levels, DATA_VA, DMT_LEN, &v->gtea);
    /* A in the host's leaves: the nested TLB keeps only those */
    for (uint64_t g = 0; g < GMEM; g += 4096)
        bad |= nw_pt_map(&ha, v->hcr3, levels, g, g + HOST_OFF, NW_SIZE_4K,
                         NW_PTE_W | NW_PTE_U | NW_PTE_A);
    bad |= nw_pt_tea(&ha, v->hcr3, levels, 0, GMEM, &v->htea);
    nw_mem_copy(v->host, v->gmem, HOST_OFF);
    for (int j = 0; j <= levels; j++) {
        if (j == 1)
            continue;
        v->sroot[j] = nw_alloc_page(&ha);
        for (uint64_t i = 0; i < 512; i++)
            bad |= nw_shadow_map(&ha, v->sroot[j], v->gcr3, levels, v->hcr3,
                                 levels, DATA_VA + i * 4096, j);
        /* the streams' rows use the plain shadow and the switches at L2, L3 */
        if (j <= 3)
            for (int i = 0; i < STREAM_PAGES; i++)
                bad |= nw_shadow_map(&ha, v->sroot[j], v->gcr3, levels, v->hcr3, levels,
                                     v->seq[i], j) |
                       nw_shadow_map(&ha, v->sroot[j], v->gcr3, levels, v->hcr3, levels,
                                     v->rnd[i], j);
    }
    if (bad || !v->gcr3 || !v->hcr3)
        die("demo: building the synthetic VM failed");
}

static void vm_free(vm *v)
{
    nw_mem_free(v->gmem);
    nw_mem_free(v->host);
}

/* One row of the demo: a configuration, an address, the published figure. */
typedef struct {
    const char *name;
    uint64_t ctrl;
    int sw;          /* shadow root: 0 plain, j SW at level j, -1 SCR3.SW */
    int escape;      /* 1 guest filter hits the page, 2 host filter the gPA */
    int seg_va;      /* translate an address inside the guest segment */
    int paper[2];    /* published reads, 4- and 5-level */
    int pv;          /* the guest TEA at its hPA (GDMT_TEA.PV) */
    int big;         /* translate an address in the 2 MiB page at BIG_VA */
} demo_row;

/* A walker configured for a row (va: the address its escapes are for). */
static nw_state *demo_state(const vm *v, const demo_row *row, uint64_t va)
{
    nw_state *s = must(nw_new(NW_FEAT_ALL));
    uint64_t g5 = v->levels == 5 ? NW_CTRL_G5 | NW_CTRL_H5 : 0;
    nw_reg_write(s, NW_REG_CTRL, row->ctrl | g5 | NW_CTRL_NXE);
    nw_reg_write(s, NW_REG_GCR3, v->gcr3);
    nw_reg_write(s, NW_REG_HCR3, v->hcr3);
    uint64_t scr3 = row->sw < 0 ? (v->gcr3 + HOST_OFF) | NW_PTE_SW
                                : v->sroot[row->sw];
    nw_reg_write(s, NW_REG_SCR3, scr3);
    nw_reg_write(s, NW_REG_GSEG_BASE, SEG_VA);
    nw_reg_write(s, NW_REG_GSEG_LIMIT, SEG_VA + SEG_LEN);
    nw_reg_write(s, NW_REG_GSEG_OFFSET, SEG_GPA - SEG_VA);
    nw_reg_write(s, NW_REG_GSEG_ATTR, NW_PTE_W | NW_PTE_U);
    nw_reg_write(s, NW_REG_HSEG_BASE, 0);
    nw_reg_write(s, NW_REG_HSEG_LIMIT, GMEM);
    nw_reg_write(s, NW_REG_HSEG_OFFSET, HOST_OFF);
    nw_reg_write(s, NW_REG_HSEG_ATTR, NW_PTE_W);
    if (row->escape == 1)
        nw_reg_write(s, NW_REG_GFILT_INSERT, va >> 12);
    if (row->escape == 2)
        nw_reg_write(s, NW_REG_HFILT_INSERT, (DATA_GPA + 0x5000) >> 12);
    /* the host maps guest memory linearly: the guest TEA is host-contiguous */
    nw_reg_write(s, NW_REG_GDMT_BASE(0), DATA_VA);
    nw_reg_write(s, NW_REG_GDMT_LIMIT(0), DATA_VA + DMT_LEN);
    nw_reg_write(s, NW_REG_GDMT_TEA(0), row->pv ? (v->gtea + HOST_OFF) | 1 : v->gtea);
    nw_reg_write(s, NW_REG_HDMT_BASE(0), 0);
    nw_reg_write(s, NW_REG_HDMT_LIMIT(0), GMEM);
    nw_reg_write(s, NW_REG_HDMT_TEA(0), v->htea);
    return s;
}

static int demo_walk(const vm *v, const demo_row *row, uint64_t *out)
{
    uint64_t va = row->seg_va ? SEG_VA + 0x5000 : (row->big ? BIG_VA : DATA_VA) + 0x5000;
    nw_state *s = demo_state(v, row, va);
    nw_request req = {va, NW_ACC_READ, 1};
    nw_result r;
    nw_translate(s, &req, nw_mem_read, row->ctrl & NW_CTRL_VIRT ? v->host : v->gmem,
                 &r);
    nw_free(s);
    if (r.status != NW_OK)
        die("demo: %s walk failed: %s %s level %d", row->name,
            nw_status_name(r.status), nw_reason_name(r.reason), r.level);
    *out = r.pa;
    return r.refs;
}

/* Average reads per TLB miss of a row over a stream, with the walk caches
 * on (warm from one miss to the next) or off; *differ counts the misses
 * whose translation is not the uncached one. */
static double demo_stream(const vm *v, const demo_row *row, const uint64_t *va, int wc,
                          int *differ)
{
    nw_state *s = demo_state(v, row, va[0]), *ref = demo_state(v, row, va[0]);
    if (wc)
        nw_reg_write(s, NW_REG_CTRL, nw_reg_read(s, NW_REG_CTRL) | NW_CTRL_WC_EN);
    nw_mem *mem = row->ctrl & NW_CTRL_VIRT ? v->host : v->gmem;
    long reads = 0;
    for (int i = 0; i < STREAM_PAGES; i++) {
        nw_request req = {va[i], NW_ACC_READ, 1};
        nw_result r, u;
        nw_translate(s, &req, nw_mem_read, mem, &r);
        nw_translate(ref, &req, nw_mem_read, mem, &u);
        if (r.status != NW_OK)
            die("demo: %s walk of 0x%llx failed: %s", row->name,
                (unsigned long long)va[i], nw_status_name(r.status));
        *differ += r.pa != u.pa || r.size != u.size || r.w != u.w || r.u != u.u ||
                   r.xd != u.xd;
        reads += r.refs;
    }
    nw_free(s);
    nw_free(ref);
    return (double)reads / STREAM_PAGES;
}

/* The walk caches' section of the demo: the rows of the streams. */
static int demo_streams(const vm v[2])
{
    const uint64_t V = NW_CTRL_VIRT, SH = V | NW_CTRL_SHADOW_EN;
    const demo_row rows[] = {
        {"native", 0, 0, 0, 0, {0, 0}, 0, 0},
        {"nested (2D)", V, 0, 0, 0, {0, 0}, 0, 0},
        {"shadow paging", SH, 0, 0, 0, {0, 0}, 0, 0},
        {"agile, SW in shadow L2", SH, 2, 0, 0, {0, 0}, 0, 0},
        {"agile, SW in shadow L3", SH, 3, 0, 0, {0, 0}, 0, 0},
        {"VMM Direct", V | NW_CTRL_HSEG_EN, 0, 0, 0, {0, 0}, 0, 0},
    };
    printf("\nWith walk caches (CTRL.WC_EN; default sizes: PSC 16/4/2/2 entries at\n"
           "L2/L3/L4/L5 in each dimension, NTLB 16), warm from one miss to the next:\n"
           "average reads per TLB miss over %d misses, each a different 4 KiB page,\n"
           "in a row ('seq') or drawn at random from 1 GiB ('random'); 'off' is the\n"
           "same stream without the caches. Every translation equals the uncached one.\n\n",
           STREAM_PAGES);
    printf("%-24s %25s   %25s\n", "", "4-level", "5-level");
    printf("%-24s %8s %8s %8s   %8s %8s %8s\n", "mode", "off", "seq", "random", "off",
           "seq", "random");
    int differ = 0;
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        printf("%-24s", rows[i].name);
        for (int k = 0; k < 2; k++) {
            double off = demo_stream(&v[k], &rows[i], v[k].seq, 0, &differ);
            double seq = demo_stream(&v[k], &rows[i], v[k].seq, 1, &differ);
            double rnd = demo_stream(&v[k], &rows[i], v[k].rnd, 1, &differ);
            printf(" %8.2f %8.2f %8.2f%s", off, seq, rnd, k ? "" : "  ");
        }
        printf("\n");
    }
    if (differ)
        printf("\n%d cached translation(s) differ from the uncached ones\n", differ);
    return differ;
}

/* A table of rows: reads per miss measured in both VMs beside the figure
 * (column `fig`, "differ from the `which` ones"), and whether the
 * translation is the plain walk's (nested, or native). Returns the
 * mismatches. */
static int demo_table(const vm v[2], const demo_row *rows, size_t n, const char *fig,
                      const char *which)
{
    const uint64_t V = NW_CTRL_VIRT;
    printf("%-32s %7s %6s %8s %6s  %s\n", "mode", "4-level", fig, "5-level",
           fig, "translation");
    int mismatches = 0;
    for (size_t i = 0; i < n; i++) {
        const demo_row *row = &rows[i];
        char cell[2][2][16];
        int same = 1;
        for (int k = 0; k < 2; k++) {
            uint64_t pa, ref;
            demo_row nested = {"nested", row->ctrl & V, 0, 0, row->seg_va, {0, 0}, 0, row->big};
            if (row->paper[k] < 0) {
                strcpy(cell[k][0], "-");
                strcpy(cell[k][1], "-");
                continue;
            }
            int refs = demo_walk(&v[k], row, &pa);
            demo_walk(&v[k], &nested, &ref);
            same &= pa == ref;
            snprintf(cell[k][0], sizeof cell[k][0], "%d", refs);
            snprintf(cell[k][1], sizeof cell[k][1], "%d", row->paper[k]);
            mismatches += refs != row->paper[k];
        }
        mismatches += !same;
        printf("%-32s %7s %6s %8s %6s  %s\n", row->name, cell[0][0], cell[0][1],
               cell[1][0], cell[1][1], same ? "same" : "DIFFERENT");
    }
    if (mismatches)
        printf("\n%d figure(s) differ from the %s ones\n", mismatches, which);
    return mismatches;
}

/* DMT's section of the demo (SPEC section 10). */
static int demo_dmt(const vm v[2])
{
    const uint64_t V = NW_CTRL_VIRT, GD = NW_CTRL_GDMT_EN, HD = NW_CTRL_HDMT_EN;
    const demo_row rows[] = {
        {"DMT, native", GD, 0, 0, 0, {1, 1}, 0, 0},
        {"pvDMT + host DMT", V | GD | HD, 0, 0, 0, {2, 2}, 1, 0},
        {"DMT at a gPA + host DMT", V | GD | HD, 0, 0, 0, {3, 3}, 0, 0},
        {"pvDMT, nested host", V | GD, 0, 0, 0, {5, 6}, 1, 0},
        {"DMT fall-back to a 2 MiB page", GD, 0, 0, 0, {4, 5}, 0, 1},
    };
    printf("\nDMT (SPEC section 10): the guest's TEA holds the level-1 entries of 4 MiB\n"
           "(2 MiB of 4 KiB pages, then a 2 MiB page whose TEA page is empty), laid\n"
           "out by the builder as an OS keeps it; the host's covers all guest memory.\n"
           "'spec' is SPEC section 10's count: 1 natively, 2 with a PV guest TEA and a\n"
           "host window, 3 with the guest TEA at a gPA, 1 + the host walk under a\n"
           "nested host, 1 + the walk to the 2 MiB page on a fall-back.\n\n");
    return demo_table(v, rows, sizeof rows / sizeof *rows, "spec", "SPEC's");
}

static int cmd_demo(void)
{
    const uint64_t V = NW_CTRL_VIRT, SH = V | NW_CTRL_SHADOW_EN;
    const demo_row rows[] = {
        {"native", 0, 0, 0, 0, {4, 5}, 0, 0},
        {"native direct segment", NW_CTRL_GSEG_EN, 0, 0, 1, {0, 0}, 0, 0},
        {"nested (2D)", V, 0, 0, 0, {24, 35}, 0, 0},
        {"shadow paging", SH, 0, 0, 0, {4, 5}, 0, 0},
        {"agile, SW in shadow L2", SH, 2, 0, 0, {8, 10}, 0, 0},
        {"agile, SW in shadow L3", SH, 3, 0, 0, {12, 15}, 0, 0},
        {"agile, SW in shadow L4", SH, 4, 0, 0, {16, 20}, 0, 0},
        {"agile, SW in shadow L5", SH, 5, 0, 0, {-1, 25}, 0, 0},
        {"agile, SW in SCR3", SH, -1, 0, 0, {20, 30}, 0, 0},
        {"VMM Direct", V | NW_CTRL_HSEG_EN, 0, 0, 0, {4, 5}, 0, 0},
        {"Guest Direct", V | NW_CTRL_GSEG_EN, 0, 0, 1, {4, 5}, 0, 0},
        {"Dual Direct", V | NW_CTRL_GSEG_EN | NW_CTRL_HSEG_EN, 0, 0, 1, {0, 0}, 0, 0},
        {"Guest Direct, page escaped", V | NW_CTRL_GSEG_EN | NW_CTRL_GFILT_EN,
         0, 1, 1, {24, 35}, 0, 0},
        {"VMM Direct, final gPA escaped", V | NW_CTRL_HSEG_EN | NW_CTRL_HFILT_EN,
         0, 2, 0, {8, 10}, 0, 0},
    };
    vm v[2];
    vm_build(&v[0], 4);
    vm_build(&v[1], 5);
    printf("nestwalk demo: memory reads per TLB miss, measured by running the model\n"
           "on a synthetic VM (guest, host and shadow tables of 4 KiB pages, a 16 MiB\n"
           "guest segment, a host segment over all guest memory). 'paper' is the\n"
           "published figure (SPEC section 1); 'same' checks that the translation\n"
           "equals the nested walk's (native rows: the guest's own gPA).\n\n");
    int mismatches = demo_table(v, rows, sizeof rows / sizeof *rows, "paper", "published");
    mismatches += demo_streams(v);
    mismatches += demo_dmt(v);
    vm_free(&v[0]);
    vm_free(&v[1]);
    return mismatches != 0;
}

/* ----------------------------------------------------------------- bench */

/* The fixture's QEMU oracle: every mapping it lists, at least one. */
static nw_tlb_line *oracle(const char *dir, size_t *n)
{
    char path[4200], err[4400];
    snprintf(path, sizeof path, "%s/qemu-info-tlb.txt.gz", dir);
    nw_tlb_line *l;
    if (nw_tlb_load(path, &l, n, err, sizeof err))
        die("bench: %s", err);
    if (*n == 0)
        die("bench: %s: no mappings", path);
    return l;
}

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + t.tv_nsec * 1e-9;
}

/* Translations per second of one configuration, cycling over the VAs. */
static void bench_mode(const char *name, nw_state *s, nw_mem *mem,
                       const uint64_t *va, size_t n, double seconds)
{
    nw_request req = {0, NW_ACC_READ, 0};
    nw_result r;
    uint64_t done = 0, reads = 0, faults = 0;
    double t0 = now(), t;
    do {
        for (size_t i = 0; i < n; i++) {
            req.va = va[i];
            nw_translate(s, &req, nw_mem_read, mem, &r);
            reads += (uint64_t)r.refs;
            faults += r.status != NW_OK;
        }
        done += n;
    } while ((t = now() - t0) < seconds);
    printf("%-14s %12.2f %10.1f %10.1f %8llu\n", name, done / t / 1e6,
           1e9 * t / done, (double)reads / done, (unsigned long long)faults);
}

/* ---- images at any size: open + first translation, time and memory ---- */

static double max_rss_mib(void)
{
    struct rusage u;
    getrusage(RUSAGE_SELF, &u);
    return u.ru_maxrss / 1024.0;
}

static void put_le(uint8_t *p, uint64_t v, int n)
{
    for (int i = 0; i < n; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

/* An ELF64 core header with one PT_LOAD [paddr, paddr + memsz), its
 * filesz bytes at file offset off: 120 bytes into h. */
static void elf_header(uint8_t *h, uint64_t off, uint64_t paddr, uint64_t filesz,
                       uint64_t memsz)
{
    memset(h, 0, 120);
    memcpy(h, "\177ELF\2\1\1", 7);
    put_le(h + 16, 4, 2);  /* ET_CORE */
    put_le(h + 18, 62, 2); /* EM_X86_64 */
    put_le(h + 32, 64, 8); /* e_phoff */
    put_le(h + 54, 56, 2);
    put_le(h + 56, 1, 2);
    put_le(h + 64, 1, 4);  /* PT_LOAD */
    put_le(h + 72, off, 8);
    put_le(h + 88, paddr, 8);
    put_le(h + 96, filesz, 8);
    put_le(h + 104, memsz, 8);
}

typedef struct {
    int fd;
    int bad;
} page_writer;

/* A page of the tables, at file offset 4096 + pa. */
static void write_page(void *ctx, uint64_t pa, const uint64_t *words)
{
    page_writer *w = ctx;
    w->bad |= pwrite(w->fd, words, 4096, (off_t)(4096 + pa)) != 4096;
}

/* Opens path, translates va once (gcr3, 4 levels) and prints the row:
 * wall time and the process's peak resident memory, before and after. */
static void bench_image_row(const char *name, const char *path, uint64_t gcr3, uint64_t va)
{
    char err[4400];
    double rss0 = max_rss_mib(), t0 = now();
    nw_mem *m = must(nw_mem_new());
    if (nw_mem_load(m, path, err, sizeof err))
        die("bench: %s", err);
    nw_state *s = must(nw_new(NW_FEAT_ALL));
    nw_reg_write(s, NW_REG_GCR3, gcr3);
    nw_reg_write(s, NW_REG_CTRL, NW_CTRL_NXE);
    nw_request req = {va, NW_ACC_READ, 0};
    nw_result r;
    nw_translate(s, &req, nw_mem_read, m, &r);
    double ms = (now() - t0) * 1e3;
    printf("%-34s %9.2f %11.1f %11.1f  %s, %d reads\n", name, ms, rss0, max_rss_mib(),
           nw_status_name(r.status), r.refs);
    nw_free(s);
    nw_mem_free(m);
}

/* A 64 GiB sparse ELF core (one PT_LOAD, only its 4 table pages written,
 * evicted from the page cache: a cold open), and the 1.5 KB core whose
 * last PT_LOAD is 16 GiB of zeros; built in dir and removed. */
static void bench_images(const char *dir)
{
    const uint64_t size = 64ull << 30, va = 0x00007f1234567000ull;
    const uint64_t gcr3 = size - (16ull << 20), pa = 0x9abcd000ull;
    char path[4200];
    snprintf(path, sizeof path, "%s/bench-64g.elf", dir);
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
    if (fd < 0)
        die("bench: cannot create %s", path);
    nw_mem *t = must(nw_mem_new());
    nw_alloc a = {t, gcr3, size};
    if (nw_alloc_page(&a) != gcr3 || nw_pt_map(&a, gcr3, 4, va, pa, NW_SIZE_4K, NW_PTE_W))
        die("bench: building the 64 GiB image's tables failed");
    uint8_t h[4096] = {0};
    elf_header(h, 4096, 0, size, size);
    page_writer w = {fd, pwrite(fd, h, sizeof h, 0) != (ssize_t)sizeof h};
    nw_mem_foreach(t, write_page, &w);
    nw_mem_free(t);
    w.bad |= ftruncate(fd, (off_t)(4096 + size)) != 0 || fsync(fd) != 0;
    posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
    close(fd);
    if (w.bad)
        die("bench: writing %s failed", path);
    printf("%-34s %9s %11s %11s  %s\n", "image: open + first translation", "ms",
           "RSS before", "RSS after", "(MiB, peak of the process)");
    bench_image_row("64 GiB sparse ELF core", path, gcr3, va);
    remove(path);

    snprintf(path, sizeof path, "%s/bench-zero-tail.elf", dir);
    uint8_t z[1536] = {0};
    elf_header(z, sizeof z, 16ull << 30, 0, 16ull << 30);
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(z, 1, sizeof z, f) != sizeof z || fclose(f) != 0)
        die("bench: writing %s failed", path);
    bench_image_row("1.5 KB ELF, 16 GiB p_filesz 0 tail", path, 20ull << 30, va);
    remove(path);
    printf("\n");
}

/* Lays the fixture's areas out as TEAs in m and gives s a guest window over
 * each. */
static void fixture_teas(nw_mem *m, nw_state *s)
{
    uint64_t tea[NW_FIXTURE_AREAS];
    if (nw_fixture_teas(m, tea))
        die("bench: laying out the fixture's TEAs failed");
    for (unsigned k = 0; k < NW_FIXTURE_AREAS; k++) {
        nw_reg_write(s, NW_REG_GDMT_BASE(k), nw_fixture_area_get(k)->base);
        nw_reg_write(s, NW_REG_GDMT_LIMIT(k), nw_fixture_area_get(k)->limit);
        nw_reg_write(s, NW_REG_GDMT_TEA(k), tea[k]);
    }
}

/* Every translation QEMU lists in each area, natively with and without DMT:
 * how many equal QEMU's, and the reads per translation. */
static void fixture_dmt_figure(nw_state *s, nw_mem *m, const nw_tlb_line *l, size_t n)
{
    printf("\nDMT on the fixture: each area's level-1 tables laid out as a TEA, a guest\n"
           "window over it; every translation QEMU lists there, native:\n\n");
    printf("%-40s %8s %10s %9s %9s\n", "area", "QEMU", "unchanged", "reads", "DMT reads");
    for (unsigned k = 0; k < NW_FIXTURE_AREAS; k++) {
        const nw_fixture_area *f = nw_fixture_area_get(k);
        long in = 0, same = 0, plain = 0, dmt = 0;
        for (size_t i = 0; i < n; i++) {
            if (l[i].va < f->base || l[i].va >= f->limit)
                continue;
            nw_request req = {l[i].va, NW_ACC_READ, 0};
            nw_result r;
            nw_reg_write(s, NW_REG_CTRL, NW_CTRL_NXE);
            nw_translate(s, &req, nw_mem_read, m, &r);
            plain += r.refs;
            nw_reg_write(s, NW_REG_CTRL, NW_CTRL_NXE | NW_CTRL_GDMT_EN);
            nw_translate(s, &req, nw_mem_read, m, &r);
            dmt += r.refs;
            in++;
            same += r.status == NW_OK && r.pa == l[i].pa && r.size == l[i].size &&
                    r.w == l[i].w && r.u == l[i].u && r.xd == l[i].xd;
        }
        printf("%-40s %8ld %10ld %9.2f %9.2f\n", f->name, in, same,
               in ? (double)plain / in : 0.0, in ? (double)dmt / in : 0.0);
    }
}

/* `nestwalk sim`'s TLB-hit path: a trace that, after its first touches,
 * hits the L1 TLBs on every record, through every mode with and without
 * walk caches. `changes` makes every data record's page another than the
 * last one's (each a set-associative lookup in every group); without it a
 * record stays on its page for 8 records (the fast path). */
static void bench_sim_row(const char *name, int thp, int changes)
{
    enum { RECORDS = 20000000 };
    nw_trace *t = must(nw_trace_new());
    for (uint64_t i = 0; i < RECORDS / 2; i++) {
        /* a loop of 16 KiB of code over 32 pages of data */
        uint64_t step = changes ? i : i / 8;
        nw_trace_rec f = {0x400000 + (i * 4) % 16384, 4, NW_TR_INSTR};
        nw_trace_rec d = {0x10000000 + (step % 32) * 4096 + (i % 8) * 8, 8,
                          i % 3 ? NW_TR_LOAD : NW_TR_STORE};
        if (nw_trace_add(t, &f) || nw_trace_add(t, &d))
            die("out of memory");
    }
    nw_sim_config c;
    nw_sim_defaults(&c);
    c.thp = thp;
    nw_sim_result r;
    char err[512];
    /* the process's CPU time: the rate of one core, on a shared machine too */
    struct timespec a, b;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &a);
    if (nw_sim_run(&c, t, &r, err, sizeof err))
        die("bench: %s", err);
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &b);
    double sec = (double)(b.tv_sec - a.tv_sec) + (b.tv_nsec - a.tv_nsec) * 1e-9;
    printf("%-40s %10llu %9.1f %8llu\n", name, (unsigned long long)r.records,
           r.records / sec / 1e6, (unsigned long long)r.row[0].walks);
    nw_trace_free(t);
}

static void bench_sim(void)
{
    printf("\nnestwalk sim: trace records per second of CPU time (one core), the trace in\n"
           "memory, %d walkers (every mode, with and without walk caches); after the\n"
           "first touches every record hits its L1 TLB\n\n", 2 * NW_SIM_MODES);
    printf("%-40s %10s %9s %8s\n", "trace", "records", "Mrec/s", "misses");
    bench_sim_row("8 records a page", 0, 0);
    bench_sim_row("a new data page every record", 0, 1);
    bench_sim_row("a new data page every record, --thp", 1, 1);
}

static int cmd_bench(int argc, char **argv)
{
    const char *dir = "../shared/fixtures/linux-4level";
    const char *images = NULL;
    double seconds = 1.0;
    for (int i = 0; i < argc; i++) {
        if (!strcmp(argv[i], "--fixture") && i + 1 < argc)
            dir = argv[++i];
        else if (!strcmp(argv[i], "--images") && i + 1 < argc)
            images = argv[++i];
        else if (!strcmp(argv[i], "--seconds") && i + 1 < argc) {
            char *end;
            seconds = strtod(argv[++i], &end);
            if (*end || !(seconds > 0 && seconds < 3600))
                die("bad value '%s' for --seconds", argv[i]);
        } else
            die("unknown option '%s' for bench", argv[i]);
    }
    /* first, while the process is small, so that its peak RSS is the image's */
    if (images)
        bench_images(images);
    char path[4200], err[512];
    snprintf(path, sizeof path, "%s/pagetables.elf", dir);
    /* dmem: the same tables with the TEAs of the DMT rows */
    nw_mem *gmem = must(nw_mem_new()), *host = must(nw_mem_new()), *dmem = must(nw_mem_new());
    if (nw_mem_load(gmem, path, err, sizeof err) || nw_mem_load(dmem, path, err, sizeof err))
        die("%s", err);
    size_t n;
    nw_tlb_line *orc = oracle(dir, &n);
    /* the VAs alone, so that the timed loop reads no more than it needs */
    uint64_t *va = must(malloc(n * sizeof *va));
    for (size_t i = 0; i < n; i++)
        va[i] = orc[i].va;
    const uint64_t cr3 = NW_FIXTURE_CR3, gmem_size = 0x10000000; /* regs.txt; 256 MiB */

    /* the host maps guest memory at gPA + 1 GiB by 4 KiB pages (A set:
       the nested TLB keeps only those) */
    nw_alloc ha = {host, 0x100000, 0x4000000};
    uint64_t hcr3 = nw_alloc_page(&ha), sroot = nw_alloc_page(&ha);
    int bad = 0;
    for (uint64_t g = 0; g < gmem_size; g += 4096)
        bad |= nw_pt_map(&ha, hcr3, 4, g, g + HOST_OFF, NW_SIZE_4K, NW_PTE_W | NW_PTE_A);
    for (size_t i = 0; i < n; i++) /* the MMIO pages above RAM */
        if (orc[i].pa >= gmem_size)
            bad |= nw_pt_map(&ha, hcr3, 4, orc[i].pa, orc[i].pa + HOST_OFF,
                             NW_SIZE_4K, NW_PTE_W | NW_PTE_A);
    if (bad)
        die("bench: building the host table failed");
    nw_mem_copy(host, gmem, HOST_OFF);
    for (size_t i = 0; i < n; i++)
        if (nw_shadow_map(&ha, sroot, cr3, 4, hcr3, 4, va[i], 0))
            die("bench: building the shadow table failed at 0x%llx",
                (unsigned long long)va[i]);

    nw_state *s = must(nw_new(NW_FEAT_ALL));
    nw_reg_write(s, NW_REG_GCR3, cr3);
    nw_reg_write(s, NW_REG_HCR3, hcr3);
    nw_reg_write(s, NW_REG_SCR3, sroot);
    nw_reg_write(s, NW_REG_HSEG_LIMIT, gmem_size);
    nw_reg_write(s, NW_REG_HSEG_OFFSET, HOST_OFF);
    nw_reg_write(s, NW_REG_HSEG_ATTR, NW_PTE_W);
    fixture_teas(dmem, s);
    printf("nestwalk bench: the model on %zu VAs of the Linux fixture (%s),\n"
           "one core, %.1f s per mode\n\n", n, dir, seconds);
    printf("%-14s %12s %10s %10s %8s\n", "mode", "Mtrans/s", "ns/trans",
           "reads/tr", "faults");
    static const struct {
        const char *name;
        uint64_t ctrl;
    } cfg[] = {
        {"native", NW_CTRL_NXE},
        {"nested", NW_CTRL_NXE | NW_CTRL_VIRT},
        {"shadow", NW_CTRL_NXE | NW_CTRL_VIRT | NW_CTRL_SHADOW_EN},
        {"vmm-direct", NW_CTRL_NXE | NW_CTRL_VIRT | NW_CTRL_HSEG_EN},
        /* the same with walk caches, warm from one VA to the next */
        {"native +wc", NW_CTRL_NXE | NW_CTRL_WC_EN},
        {"nested +wc", NW_CTRL_NXE | NW_CTRL_VIRT | NW_CTRL_WC_EN},
        {"shadow +wc", NW_CTRL_NXE | NW_CTRL_VIRT | NW_CTRL_SHADOW_EN | NW_CTRL_WC_EN},
        {"vmm-direct +wc", NW_CTRL_NXE | NW_CTRL_VIRT | NW_CTRL_HSEG_EN | NW_CTRL_WC_EN},
        /* DMT windows over two of the fixture's areas (the others walk) */
        {"dmt", NW_CTRL_NXE | NW_CTRL_GDMT_EN},
        {"dmt +wc", NW_CTRL_NXE | NW_CTRL_GDMT_EN | NW_CTRL_WC_EN},
    };
    for (size_t k = 0; k < sizeof cfg / sizeof *cfg; k++) {
        nw_reg_write(s, NW_REG_CTRL, cfg[k].ctrl);
        nw_mem *mem = cfg[k].ctrl & NW_CTRL_VIRT      ? host
                      : cfg[k].ctrl & NW_CTRL_GDMT_EN ? dmem
                                                      : gmem;
        bench_mode(cfg[k].name, s, mem, va, n, seconds);
    }
    fixture_dmt_figure(s, dmem, orc, n);
    bench_sim();
    nw_free(s);
    free(va);
    free(orc);
    nw_mem_free(gmem);
    nw_mem_free(host);
    nw_mem_free(dmem);
    return 0;
}

/* ------------------------------------------------------------------- sim */

/* A decimal count for an option: at most max, at least min. */
static uint64_t count_arg(const char *v, const char *opt, uint64_t min, uint64_t max)
{
    char *end;
    errno = 0;
    unsigned long long x = strtoull(v, &end, 10);
    if (!*v || *end || errno || v[0] == '-' || x < min || x > max)
        die("bad value '%s' for %s (want a whole number from %llu to %llu)", v, opt,
            (unsigned long long)min, (unsigned long long)max);
    return x;
}

static double cycles_arg(const char *v, const char *opt)
{
    char *end;
    double x = strtod(v, &end);
    if (!*v || *end || !(x >= 0 && x <= 1e9))
        die("bad value '%s' for %s (want a number of cycles from 0 to 1e9)", v, opt);
    return x;
}

/* --itlb ENTRIES:WAYS */
static nw_tlb_geom geom_arg(const char *v, const char *opt)
{
    char buf[48];
    const char *colon = strchr(v, ':');
    if (!colon || strlen(v) >= sizeof buf)
        die("bad value '%s' for %s (want ENTRIES:WAYS)", v, opt);
    memcpy(buf, v, (size_t)(colon - v));
    buf[colon - v] = 0;
    nw_tlb_geom g = {(unsigned)count_arg(buf, opt, 1, 1u << 20),
                     (unsigned)count_arg(colon + 1, opt, 1, 64)};
    if (g.entries % g.ways)
        die("bad value '%s' for %s (entries not a multiple of ways)", v, opt);
    return g;
}

/* --modes native,nested,... */
static unsigned modes_arg(const char *v)
{
    char buf[256];
    if (strlen(v) >= sizeof buf)
        die("bad value for --modes (too long)");
    strcpy(buf, v);
    unsigned modes = 0;
    for (char *save = NULL, *m = strtok_r(buf, ",", &save); m; m = strtok_r(NULL, ",", &save)) {
        int k = nw_sim_mode_parse(m);
        if (k < 0)
            die("unknown mode '%s' for --modes (native, nested, shadow, agile, vmm-direct, "
                "dual-direct, dmt, pvdmt)", m);
        modes |= 1u << k;
    }
    if (!modes)
        die("no mode in --modes '%s'", v);
    return modes;
}

static int cmd_sim(int argc, char **argv)
{
    nw_sim_config c;
    nw_sim_defaults(&c);
    /* a progress line where someone watches it */
    c.progress = isatty(2);
    const char *path = NULL, *name = NULL, *out = NULL;
    uint64_t skip = 0, limit = UINT64_MAX;
    int json = 0;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        int flag = !strcmp(a, "--json") || !strcmp(a, "--thp") || !strcmp(a, "--progress");
        if (!flag && a[0] == '-' && a[1] == '-' && i + 1 >= argc)
            die("option %s needs a value", a);
        const char *v = flag ? NULL : argv[i + 1];
        if (!strcmp(a, "--json"))
            json = 1;
        else if (!strcmp(a, "--thp"))
            c.thp = 1;
        else if (!strcmp(a, "--progress"))
            c.progress = 1;
        else if (!strcmp(a, "--host-pages")) {
            if (strcmp(v, "4k") && strcmp(v, "2m"))
                die("bad value '%s' for --host-pages (4k or 2m)", v);
            c.host_2m = !strcmp(v, "2m");
        } else if (!strcmp(a, "--walk-caches")) {
            c.wc = !strcmp(v, "off") ? 1 : !strcmp(v, "on") ? 2 : !strcmp(v, "both") ? 3 : 0;
            if (!c.wc)
                die("bad value '%s' for --walk-caches (off, on or both)", v);
        } else if (!strcmp(a, "--modes"))
            c.modes = modes_arg(v);
        else if (!strcmp(a, "--itlb"))
            c.itlb = geom_arg(v, a);
        else if (!strcmp(a, "--dtlb"))
            c.dtlb = geom_arg(v, a);
        else if (!strcmp(a, "--stlb"))
            c.stlb = geom_arg(v, a);
        else if (!strcmp(a, "--guest-mem")) {
            uint64_t mib = count_arg(v, a, 64, 65536);
            if (mib & (mib - 1))
                die("bad value '%s' for --guest-mem (MiB, a power of two)", v);
            c.guest_mem = mib << 20;
        } else if (!strcmp(a, "--interval"))
            c.interval = count_arg(v, a, 1, UINT64_MAX);
        else if (!strcmp(a, "--read-cycles"))
            c.read_cycles = cycles_arg(v, a);
        else if (!strcmp(a, "--vmm-cycles"))
            c.vmm_cycles = cycles_arg(v, a);
        else if (!strcmp(a, "--cpi"))
            c.cpi = cycles_arg(v, a);
        else if (!strcmp(a, "--skip"))
            skip = count_arg(v, a, 0, UINT64_MAX);
        else if (!strcmp(a, "--limit"))
            limit = count_arg(v, a, 1, UINT64_MAX);
        else if (!strcmp(a, "--name"))
            name = v;
        else if (!strcmp(a, "--write-trace"))
            out = v;
        else if (a[0] == '-' && a[1])
            die("unknown option '%s' for sim", a);
        else if (path)
            die("more than one trace ('%s' and '%s')", path, a);
        else {
            path = a;
            continue;
        }
        i += !flag;
    }
    if (!path)
        die("sim: no trace (a file, or - for standard input)");
    char err[512];
    nw_trace *t = must(nw_trace_new());
    if (nw_trace_read(t, path, skip, limit, c.progress, err, sizeof err))
        die("%s", err);
    if (out) {
        if (nw_trace_write(t, out, err, sizeof err))
            die("%s", err);
        nw_trace_free(t);
        return 0;
    }
    if (!nw_trace_count(t))
        die("%s: no trace records", path);
    nw_sim_result r;
    if (nw_sim_run(&c, t, &r, err, sizeof err))
        die("%s", err);
    nw_sim_print(stdout, &c, &r, name ? name : path, json);
    nw_trace_free(t);
    return 0;
}

static const char USAGE_TRANSLATE[] =
    "usage: nestwalk translate --image FILE [options] [VA ...]\n"
    "translate options: --mode native|nested|shadow|agile|vmm-direct|"
    "guest-direct|dual-direct|dmt, --ctrl HEX, --gcr3/--hcr3/--scr3 HEX,\n"
    "  --levels 4|5, --host-levels 4|5, --nxe, --wp, --smep,\n"
    "  --gseg/--hseg BASE:LIMIT:OFFSET, --gseg-attr/--hseg-attr HEX,\n"
    "  --gescape/--hescape PAGE[,PAGE...], --access read|write|fetch, --user,\n"
    "  --gdmt BASE:LIMIT:TEA[:pv] (up to 4), --hdmt BASE:LIMIT:TEA (up to 4),\n"
    "  --addrs FILE|-, --json, --walk-caches, --flush-every N (see SPEC section 8)\n";
static const char USAGE_DEMO[] =
    "usage: nestwalk demo\n"
    "  reads per TLB miss in every mode, measured on a synthetic VM\n";
static const char USAGE_SIM[] =
    "usage: nestwalk sim [options] TRACE|-\n"
    "  a memory-access trace (valgrind --tool=lackey --trace-mem=yes, or the binary\n"
    "  form --write-trace makes; either may be gzip-compressed) through L1 and L2\n"
    "  TLBs, every miss walked in each mode; a table, or --json\n"
    "sim options: --modes M[,M...] (native nested shadow agile vmm-direct dual-direct\n"
    "  dmt pvdmt; all), --walk-caches off|on|both (both), --thp, --host-pages 4k|2m,\n"
    "  --itlb/--dtlb/--stlb ENTRIES:WAYS (128:8, 64:4, 1536:12), --guest-mem MIB (4096),\n"
    "  --interval RECORDS (1000000), --read-cycles C (30), --vmm-cycles C (2000),\n"
    "  --cpi C (1), --skip N, --limit N, --name NAME, --progress (a progress line\n"
    "  on standard error; the default when it is a terminal), --json,\n"
    "  --write-trace FILE (write the records read in the binary form and stop)\n";
static const char USAGE_BENCH[] =
    "usage: nestwalk bench [--fixture DIR] [--seconds S] [--images DIR]\n"
    "  translations per second on the Linux fixture in DIR, the opening of\n"
    "  large images written in --images DIR, and nestwalk sim's records per second\n";

static void usage_translate(FILE *f)
{
    fputs(USAGE_TRANSLATE, f);
}

static void usage(FILE *f)
{
    fputs("usage: nestwalk translate --image FILE [options] [VA ...]\n"
          "       nestwalk demo\n"
          "       nestwalk bench [--fixture DIR] [--seconds S] [--images DIR]\n"
          "       nestwalk sim [options] TRACE|-\n"
          "       nestwalk --version | --help | COMMAND --help\n", f);
    fputs(strchr(USAGE_TRANSLATE, '\n') + 1, f);
}

int main(int argc, char **argv)
{
    if (argc < 2)
        die("no command (translate, demo, bench, sim; --help)");
    if (!strcmp(argv[1], "translate"))
        return cmd_translate(argc - 2, argv + 2);
    if (!strcmp(argv[1], "demo")) {
        if (wants_help(argc - 2, argv + 2)) {
            fputs(USAGE_DEMO, stdout);
            return 0;
        }
        if (argc > 2)
            die("demo takes no arguments ('%s')", argv[2]);
        return cmd_demo();
    }
    if (!strcmp(argv[1], "bench")) {
        if (wants_help(argc - 2, argv + 2)) {
            fputs(USAGE_BENCH, stdout);
            return 0;
        }
        return cmd_bench(argc - 2, argv + 2);
    }
    if (!strcmp(argv[1], "sim")) {
        if (wants_help(argc - 2, argv + 2)) {
            fputs(USAGE_SIM, stdout);
            return 0;
        }
        return cmd_sim(argc - 2, argv + 2);
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        usage(stdout);
        return 0;
    }
    if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
        printf("nestwalk %s\n", NW_VERSION);
        return 0;
    }
    die("unknown command '%s' (translate, demo, bench, sim; --help)", argv[1]);
}
