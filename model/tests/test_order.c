/*
 * test_order.c: the exact, ordered list of memory reads of one walk in every
 * mode (SPEC section 6, "Order of reads"), on tables written entry by entry
 * at fixed addresses, so every expected address below is a constant worked
 * out by hand from the SPEC's index formula.
 *
 * The address translated everywhere is VA = 0x5a5a5a5a5678:
 *   L4 index 0xb4 (*8 = 0x5a0), L3 0x169 (0xb48), L2 0xd2 (0x690),
 *   L1 0x1a5 (0xd28), offset 0x678.
 *
 * Memory (one nw_mem, hPA; tu_hand_world writes it, here with every entry
 * P|W|U = 7 unless said):
 *  native tables (PA):   N4 0x10000, N3 0x11000, N2 0x12000, N1 0x13000,
 *                        N5 0x14000 (5-level), frame 0x777000
 *  host tables (hPA):    H4 0x100000 [0] -> H3 0x101000
 *                        H3[0] -> H2a 0x102000, H3[1] -> H2b 0x104000
 *                        H2a[0] -> H1a 0x103000, H2b[0] -> H1b 0x105000
 *                        H1a[n] = 0x200000 + n*0x1000 for n = 1..4
 *                        H1b[5] = 0xabcd000
 *    so gPA 0x1000..0x4fff -> hPA 0x201000..0x204fff (4 KiB pages)
 *       gPA 0x40005000     -> hPA 0xabcd000
 *  guest tables (gPA, stored at hPA = gPA + 0x200000):
 *                        G4 0x1000, G3 0x2000, G2 0x3000, G1 0x4000,
 *                        G1[0x1a5] = gPA 0x40005000
 *    Host memory at hPA 0x1000..0x4fff is never written: a model that
 *    read a guest table at its gPA would get a bus error.
 *  shadow tables (hPA):  S4 0x300000, S3 0x301000, S2 0x302000, S1 0x303000,
 *                        S1[0x1a5] = hPA 0xabcd000
 */
#include "tu.h"

#include <stdlib.h>

#define VA     0x00005a5a5a5a5678ull
#define PWU    7ull
#define VPAGE  0x5a5a5a5a5ull /* VA >> 12 */

/* The host walk of each guest table entry's gPA and of the final gPA. */
#define HOST_G4 0x100000, 0x101000, 0x102000, 0x103008 /* gPA 0x15a0 */
#define HOST_G3 0x100000, 0x101000, 0x102000, 0x103010 /* gPA 0x2b48 */
#define HOST_G2 0x100000, 0x101000, 0x102000, 0x103018 /* gPA 0x3690 */
#define HOST_G1 0x100000, 0x101000, 0x102000, 0x103020 /* gPA 0x4d28 */
#define HOST_FINAL 0x100000, 0x101008, 0x104000, 0x105028 /* gPA 0x40005678 */

static nw_state *hand_state(uint64_t ctrl)
{
    nw_state *s = nw_new(NW_FEAT_ALL);
    nw_reg_write(s, NW_REG_CTRL, ctrl);
    nw_reg_write(s, NW_REG_GCR3, (ctrl & NW_CTRL_VIRT) ? 0x1000 : 0x10000);
    nw_reg_write(s, NW_REG_HCR3, 0x100000);
    nw_reg_write(s, NW_REG_SCR3, 0x300000);
    nw_reg_write(s, NW_REG_GSEG_ATTR, NW_PTE_W | NW_PTE_U);
    nw_reg_write(s, NW_REG_HSEG_ATTR, NW_PTE_W);
    return s;
}

/* guest segment: exactly VA's page, to gPA 0x40005000 */
static void guest_segment(nw_state *s)
{
    nw_reg_write(s, NW_REG_GSEG_BASE, 0x5a5a5a5a5000ull);
    nw_reg_write(s, NW_REG_GSEG_LIMIT, 0x5a5a5a5a6000ull);
    nw_reg_write(s, NW_REG_GSEG_OFFSET, 0xffffa5a5e5a60000ull); /* -(0x5a5a1a5a0000) */
}

/* host segment: gPA [0, 2 GiB) -> + 0x200000 (agrees with the host tables
 * for the guest table pages, not for the final gPA: 0x40205678) */
static void host_segment(nw_state *s)
{
    nw_reg_write(s, NW_REG_HSEG_BASE, 0);
    nw_reg_write(s, NW_REG_HSEG_LIMIT, 0x80000000ull);
    nw_reg_write(s, NW_REG_HSEG_OFFSET, 0x200000);
}

static uint64_t counter(nw_state *s, int k)
{
    return nw_reg_read(s, NW_REG_COUNTERS + 8u * (unsigned)k);
}

/* One walk of VA (or va) on the hand-made world, read by the supervisor,
 * and its answer: always an ok 4 KiB page with W and U and no XD. */
enum { GSEG = 1, HSEG = 2 };
typedef struct {
    const char *what;     /* the context of a failure, or NULL */
    uint64_t ctrl;
    int segs;             /* GSEG: guest_segment, HSEG: host_segment */
    uint64_t gcr3;        /* when not hand_state's */
    uint64_t gpage, hpage; /* a page inserted into the guest / host filter */
    uint64_t ea, value;   /* an entry written before the walk */
    uint64_t scr3;        /* when not hand_state's */
    uint64_t va;          /* when not VA */
    uint64_t pa;
    int refs;
    uint64_t reads[NW_MAX_READS]; /* in order, up to the first 0; none: not checked */
    int ncnt;
    struct { int k; uint64_t n; } cnt[2]; /* counters after the walk */
} order_case;

static void order_run(const order_case *c, size_t n)
{
    for (; n--; c++) {
        nw_mem *m = tu_hand_world(PWU);
        nw_state *s = hand_state(c->ctrl);
        if (c->gcr3)
            nw_reg_write(s, NW_REG_GCR3, c->gcr3);
        if (c->segs & GSEG)
            guest_segment(s);
        if (c->segs & HSEG)
            host_segment(s);
        if (c->gpage)
            nw_reg_write(s, NW_REG_GFILT_INSERT, c->gpage);
        if (c->hpage)
            nw_reg_write(s, NW_REG_HFILT_INSERT, c->hpage);
        if (c->ea)
            nw_mem_write(m, c->ea, c->value);
        if (c->scr3)
            nw_reg_write(s, NW_REG_SCR3, c->scr3);
        nwt_ctx("%s", c->what ? c->what : "");
        nw_result r;
        tu_walk(s, m, c->va ? c->va : VA, NW_ACC_READ, 0, &r);
        EXPECT_OK(&r, c->pa, NW_SIZE_4K, 1, 1, 0, c->refs);
        int nreads = 0;
        while (nreads < NW_MAX_READS && c->reads[nreads])
            nreads++;
        if (nreads)
            tu_expect_reads(__FILE__, __LINE__, &r, c->reads, nreads);
        for (int k = 0; k < c->ncnt; k++)
            CHECK_EQ(counter(s, c->cnt[k].k), c->cnt[k].n);
        nw_free(s);
        nw_mem_free(m);
    }
}
#define ORDER_RUN(cases) order_run(cases, sizeof cases / sizeof cases[0])

static void order_native4(void)
{
    static const order_case c[] = {
        {.ctrl = 0, .pa = 0x777678, .refs = 4,
         .reads = {0x105a0, 0x11b48, 0x12690, 0x13d28}},
    };
    ORDER_RUN(c);
}

static void order_native5(void)
{
    /* 0x007b5a5a5a5a5678: L5 index 0x7b (*8 = 0x3d8), the rest as VA;
     * canonical for 57 bits (bits 63:56 zero) */
    static const order_case c[] = {
        {.ctrl = NW_CTRL_G5, .gcr3 = 0x14000, .va = 0x007b5a5a5a5a5678ull, .pa = 0x777678,
         .refs = 5, .reads = {0x143d8, 0x105a0, 0x11b48, 0x12690, 0x13d28}},
    };
    ORDER_RUN(c);
}

static void order_nested(void)
{
    static const order_case c[] = {
        {.ctrl = NW_CTRL_VIRT, .pa = 0xabcd678, .refs = 24,
         .reads = {HOST_G4, 0x2015a0, HOST_G3, 0x202b48, HOST_G2, 0x203690, HOST_G1,
                   0x204d28, HOST_FINAL},
         .ncnt = 2, .cnt = {{NW_CNT_WALKS, 1}, {NW_CNT_READS, 24}}},
    };
    ORDER_RUN(c);
}

static void order_shadow(void)
{
    static const order_case c[] = {
        {.ctrl = NW_CTRL_VIRT | NW_CTRL_SHADOW_EN, .pa = 0xabcd678, .refs = 4,
         .reads = {0x3005a0, 0x301b48, 0x302690, 0x303d28},
         .ncnt = 1, .cnt = {{NW_CNT_SWITCHES, 0}}},
    };
    ORDER_RUN(c);
}

/* Agile paging: the shadow entry at level j gets SW and the hPA of the
 * guest table at level j-1; SCR3 with SW points at G4's hPA. */
static void order_agile(void)
{
#define AGILE .ctrl = NW_CTRL_VIRT | NW_CTRL_SHADOW_EN, .pa = 0xabcd678, \
              .ncnt = 1, .cnt = {{NW_CNT_SWITCHES, 1}}
    static const order_case c[] = {
        {AGILE, .what = "switch at shadow level 2", .ea = 0x302690,
         .value = NW_PTE_SW | 0x204000 | PWU, .refs = 8,
         .reads = {0x3005a0, 0x301b48, 0x302690, 0x204d28, HOST_FINAL}},
        {AGILE, .what = "switch at shadow level 3", .ea = 0x301b48,
         .value = NW_PTE_SW | 0x203000 | PWU, .refs = 12,
         .reads = {0x3005a0, 0x301b48, 0x203690, HOST_G1, 0x204d28, HOST_FINAL}},
        {AGILE, .what = "switch at shadow level 4", .ea = 0x3005a0,
         .value = NW_PTE_SW | 0x202000 | PWU, .refs = 16,
         .reads = {0x3005a0, 0x202b48, HOST_G2, 0x203690, HOST_G1, 0x204d28, HOST_FINAL}},
        {AGILE, .what = "switch in SCR3", .scr3 = NW_PTE_SW | 0x201000, .refs = 20,
         .reads = {0x2015a0, HOST_G3, 0x202b48, HOST_G2, 0x203690, HOST_G1, 0x204d28,
                   HOST_FINAL}},
    };
#undef AGILE
    ORDER_RUN(c);
}

static void order_vmm_direct(void)
{
    /* W from the host segment's ATTR (W), U from the guest; the host
     * segment hits the 4 table gPAs and the final gPA */
    static const order_case c[] = {
        {.ctrl = NW_CTRL_VIRT | NW_CTRL_HSEG_EN, .segs = HSEG, .pa = 0x40205678, .refs = 4,
         .reads = {0x2015a0, 0x202b48, 0x203690, 0x204d28},
         .ncnt = 1, .cnt = {{NW_CNT_HSEG_HITS, 5}}},
    };
    ORDER_RUN(c);
}

static void order_guest_direct(void)
{
    static const order_case c[] = {
        {.ctrl = NW_CTRL_VIRT | NW_CTRL_GSEG_EN, .segs = GSEG, .pa = 0xabcd678, .refs = 4,
         .reads = {HOST_FINAL}, .ncnt = 1, .cnt = {{NW_CNT_GSEG_HITS, 1}}},
    };
    ORDER_RUN(c);
}

static void order_dual_direct(void)
{
    static const order_case c[] = {
        {.ctrl = NW_CTRL_VIRT | NW_CTRL_GSEG_EN | NW_CTRL_HSEG_EN, .segs = GSEG | HSEG,
         .pa = 0x40205678, .refs = 0,
         .ncnt = 2, .cnt = {{NW_CNT_GSEG_HITS, 1}, {NW_CNT_HSEG_HITS, 1}}},
    };
    ORDER_RUN(c);
}

static void order_native_direct(void)
{
    static const order_case c[] = {
        {.ctrl = NW_CTRL_GSEG_EN, .segs = GSEG, .pa = 0x40005678, .refs = 0},
    };
    ORDER_RUN(c);
}

/* Guest escape: the segment hits VA's page but the filter holds it, so the
 * guest dimension is walked (nested, 24 reads); an escape is no
 * translation of the segment. With the filter disabled the segment
 * translates. */
static void order_guest_escape(void)
{
    static const order_case c[] = {
        {.ctrl = NW_CTRL_VIRT | NW_CTRL_GSEG_EN | NW_CTRL_GFILT_EN, .segs = GSEG,
         .gpage = VPAGE, .pa = 0xabcd678, .refs = 24,
         .reads = {HOST_G4, 0x2015a0, HOST_G3, 0x202b48, HOST_G2, 0x203690, HOST_G1,
                   0x204d28, HOST_FINAL},
         .ncnt = 2, .cnt = {{NW_CNT_GESCAPES, 1}, {NW_CNT_GSEG_HITS, 0}}},
        {.what = "the filter disabled", .ctrl = NW_CTRL_VIRT | NW_CTRL_GSEG_EN, .segs = GSEG,
         .gpage = VPAGE, .pa = 0xabcd678, .refs = 4},
    };
    ORDER_RUN(c);
}

/* Host escape: gPA page 0x40005 is in the host filter (no H3 collision
 * with pages 1..4, worked out from the SPEC's Q), so only the final gPA is
 * walked by the host tables. */
static void order_host_escape(void)
{
    static const order_case c[] = {
        {.ctrl = NW_CTRL_VIRT | NW_CTRL_HSEG_EN | NW_CTRL_HFILT_EN, .segs = HSEG,
         .hpage = 0x40005, .pa = 0xabcd678, .refs = 8,
         .reads = {0x2015a0, 0x202b48, 0x203690, 0x204d28, HOST_FINAL},
         .ncnt = 2, .cnt = {{NW_CNT_HESCAPES, 1}, {NW_CNT_HSEG_HITS, 4}}},
    };
    ORDER_RUN(c);
}

/* A page offset of every value passes through: the low 12 bits of VA end
 * up in the PA in every mode (here the last byte of the page). */
static void order_page_offset(void)
{
    static const order_case c[] = {
        {.ctrl = NW_CTRL_VIRT, .va = 0x5a5a5a5a5fffull, .pa = 0xabcdfff, .refs = 24},
        {.ctrl = NW_CTRL_VIRT, .va = 0x5a5a5a5a5000ull, .pa = 0xabcd000, .refs = 24},
    };
    ORDER_RUN(c);
}

void suite_order(void)
{
    NWT_RUN(order_native4);
    NWT_RUN(order_native5);
    NWT_RUN(order_nested);
    NWT_RUN(order_shadow);
    NWT_RUN(order_agile);
    NWT_RUN(order_vmm_direct);
    NWT_RUN(order_guest_direct);
    NWT_RUN(order_dual_direct);
    NWT_RUN(order_native_direct);
    NWT_RUN(order_guest_escape);
    NWT_RUN(order_host_escape);
    NWT_RUN(order_page_offset);
}
