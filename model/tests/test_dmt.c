/*
 * test_dmt.c: Direct Memory Translation (SPEC section 10) by hand, on
 * test_order.c's hand-made world (tu_hand_world; its header gives every
 * address), with DMT windows and TEA entries written here. Every read list
 * is worked out from the SPEC's entry formula TEA + ((x - BASE) >> 12) * 8.
 *
 * VA = 0x5a5a5a5a5678 lies in the 2 MiB region from WBASE = 0x5a5a5a400000,
 * at page 0x1a5 of it: a guest window from WBASE puts VA's entry at
 * TEA + 0xd28. With TEA = the native N1 (0x13000) or the guest's G1 (gPA
 * 0x4000, hPA 0x204000 with PV) the window's TEA is the table the walk
 * reads last, as an OS keeps it: the entry is N1[0x1a5] or G1[0x1a5].
 *
 * Host windows: HW_FINAL [0x40000000, 0x40200000) with TEA 0x700000 puts
 * the final gPA 0x40005678's entry at 0x700028 (-> hPA 0xbeef000 here);
 * HW_LOW [0, 2 MiB) with TEA 0x710000 puts the entry of gPA page n at
 * 0x710000 + 8n (-> hPA 0x200000 + n * 0x1000, as the host tables map the
 * guest table pages 1..4).
 */
#include "tu.h"

#define VA     0x00005a5a5a5a5678ull
#define VA5    0x007b5a5a5a5a5678ull
#define VPAGE  0x5a5a5a5a5ull
#define PWU    7ull
#define WBASE  0x5a5a5a400000ull
#define WLIMIT 0x5a5a5a600000ull
#define PV     1ull

#define V      NW_CTRL_VIRT
#define GD     NW_CTRL_GDMT_EN
#define HD     NW_CTRL_HDMT_EN

#define HOST_G1 0x100000, 0x101000, 0x102000, 0x103020 /* gPA 0x4d28 */
#define HOST_FINAL 0x100000, 0x101008, 0x104000, 0x105028 /* gPA 0x40005678 */

/* A window to set: host 0/1, its number, BASE, LIMIT, TEA (LIMIT 0: none). */
typedef struct {
    int host, w;
    uint64_t base, limit, tea;
} win;
#define GWIN(w, tea) {0, w, WBASE, WLIMIT, tea}
#define HW_FINAL {1, 0, 0x40000000, 0x40200000, 0x700000}
#define HW_LOW {1, 1, 0, 0x200000, 0x710000}
/* HW_FINAL's entry for the final gPA, and HW_LOW's for the guest tables */
#define PUT_FINAL {0x700028, 0xbeef000 | PWU}
#define PUT_LOW {0x710008, 0x201000 | PWU}, {0x710010, 0x202000 | PWU}, \
                {0x710018, 0x203000 | PWU}, {0x710020, 0x204000 | PWU}

typedef struct {
    const char *what;
    uint64_t ctrl;
    win wins[4];
    struct { uint64_t ea, value; } put[6]; /* entries written (ea 0: none) */
    uint64_t gpage, hpage; /* a page inserted into the guest / host filter */
    int segs;              /* 1 guest segment over VA's page, 2 host segment */
    uint64_t scr3, va;     /* when not the defaults */
    int access, user;
    int status, reason, level;
    uint64_t pa;           /* ok: the address */
    int size, w, u, xd;    /* ok */
    unsigned pferr;
    uint64_t gpa;
    int gpt;
    uint64_t reads[NW_MAX_READS]; /* every read, in order (none at address 0) */
    int hits, fallbacks;   /* DMT_HITS, DMT_FALLBACKS after the walk */
    int cnt, cnt_n;        /* and one more counter, when cnt_n */
} dmt_case;

static nw_state *dmt_state(const dmt_case *c)
{
    nw_state *s = nw_new(NW_FEAT_ALL);
    nw_reg_write(s, NW_REG_GCR3, (c->ctrl & V) ? 0x1000 : (c->ctrl & NW_CTRL_G5) ? 0x14000 : 0x10000);
    nw_reg_write(s, NW_REG_HCR3, 0x100000);
    nw_reg_write(s, NW_REG_SCR3, c->scr3 ? c->scr3 : 0x300000);
    nw_reg_write(s, NW_REG_GSEG_BASE, 0x5a5a5a5a5000ull);
    nw_reg_write(s, NW_REG_GSEG_LIMIT, 0x5a5a5a5a6000ull);
    nw_reg_write(s, NW_REG_GSEG_OFFSET, 0xffffa5a5e5a60000ull); /* to gPA 0x40005000 */
    nw_reg_write(s, NW_REG_GSEG_ATTR, NW_PTE_W | NW_PTE_U);
    nw_reg_write(s, NW_REG_HSEG_LIMIT, 0x80000000ull); /* gPA + 0x200000 */
    nw_reg_write(s, NW_REG_HSEG_OFFSET, 0x200000);
    nw_reg_write(s, NW_REG_HSEG_ATTR, NW_PTE_W);
    for (int i = 0; i < 4 && c->wins[i].limit; i++) {
        const win *x = &c->wins[i];
        unsigned b = x->host ? NW_REG_HDMT_BASE(x->w) : NW_REG_GDMT_BASE(x->w);
        nw_reg_write(s, b, x->base);
        nw_reg_write(s, b + 8, x->limit);
        nw_reg_write(s, b + 16, x->tea);
    }
    if (c->gpage)
        nw_reg_write(s, NW_REG_GFILT_INSERT, c->gpage);
    if (c->hpage)
        nw_reg_write(s, NW_REG_HFILT_INSERT, c->hpage);
    nw_reg_write(s, NW_REG_CTRL, c->ctrl | (c->segs & 1 ? NW_CTRL_GSEG_EN : 0) |
                                     (c->segs & 2 ? NW_CTRL_HSEG_EN : 0));
    return s;
}

static uint64_t counter(nw_state *s, int k)
{
    return nw_reg_read(s, NW_REG_COUNTERS + 8u * (unsigned)k);
}

static void dmt_run(const dmt_case *c, size_t n)
{
    for (; n--; c++) {
        nw_mem *m = tu_hand_world(PWU);
        for (int i = 0; i < 6 && c->put[i].ea; i++)
            nw_mem_write(m, c->put[i].ea, c->put[i].value);
        nw_state *s = dmt_state(c);
        nwt_ctx("%s", c->what);
        nw_result r;
        tu_walk(s, m, c->va ? c->va : VA, c->access, c->user, &r);
        int nreads = 0;
        while (nreads < NW_MAX_READS && c->reads[nreads])
            nreads++;
        if (c->status == NW_OK)
            EXPECT_OK(&r, c->pa, c->size, c->w, c->u, c->xd, nreads);
        else
            EXPECT_FAULT(&r, c->status, c->reason, c->level, c->pferr, c->gpa, c->gpt, nreads);
        tu_expect_reads(__FILE__, __LINE__, &r, c->reads, nreads);
        CHECK_EQ(counter(s, NW_CNT_DMT_HITS), c->hits);
        CHECK_EQ(counter(s, NW_CNT_DMT_FALLBACKS), c->fallbacks);
        CHECK_EQ(counter(s, NW_CNT_READS), nreads);
        if (c->cnt_n)
            CHECK_EQ(counter(s, c->cnt), c->cnt_n);
        nw_free(s);
        nw_mem_free(m);
    }
}
#define DMT_RUN(cases) dmt_run(cases, sizeof cases / sizeof cases[0])

/* an ok 4 KiB page at pa_ with W and U */
#define OK4(pa_) .status = NW_OK, .pa = pa_, .size = NW_SIZE_4K, .w = 1, .u = 1

/* The SPEC's counts: 1 read natively, 2 with a PV guest TEA and a host
 * window over the final gPA, 3 with the guest TEA at a gPA and host
 * windows over it and the final gPA; with a nested host, the host walks. */
static void dmt_reads(void)
{
    static const dmt_case c[] = {
        {"native: the window's TEA is N1", GD, {GWIN(0, 0x13000)},
         .reads = {0x13d28}, OK4(0x777678), .hits = 1},
        {"native 5-level", GD | NW_CTRL_G5, {{0, 0, 0x7b5a5a5a400000ull, 0x7b5a5a5a600000ull, 0x13000}},
         .va = VA5, .reads = {0x13d28}, OK4(0x777678), .hits = 1},
        {"pvDMT + host window: G1 at its hPA, HW_FINAL", V | GD | HD,
         {GWIN(0, 0x204000 | PV), HW_FINAL}, {PUT_FINAL},
         .reads = {0x204d28, 0x700028}, OK4(0xbeef678), .hits = 2},
        {"guest TEA at a gPA (G1) + host windows over it and the final gPA", V | GD | HD,
         {GWIN(0, 0x4000), HW_FINAL, HW_LOW}, {PUT_FINAL, PUT_LOW},
         .reads = {0x710020, 0x204d28, 0x700028}, OK4(0xbeef678), .hits = 3},
        {"pvDMT, nested host: 1 + the host walk of the final gPA", V | GD,
         {GWIN(0, 0x204000 | PV)}, .reads = {0x204d28, HOST_FINAL}, OK4(0xabcd678), .hits = 1},
        {"guest TEA at a gPA, nested host: host walks of the entry and the final gPA", V | GD,
         {GWIN(0, 0x4000)}, .reads = {HOST_G1, 0x204d28, HOST_FINAL}, OK4(0xabcd678),
         .hits = 1},
        {"PV is ignored natively (the TEA is a PA anyway)", GD, {GWIN(0, 0x13000 | PV)},
         .reads = {0x13d28}, OK4(0x777678), .hits = 1},
        {"a host window over a gPA beyond the 4-level host's reach", V | GD | HD,
         {GWIN(0, 0x204000 | PV), {1, 2, 0x1000000000000ull, 0x1000000200000ull, 0x700000}},
         {{0x204d28, 0x1000000000000ull | PWU}, {0x700000, 0xbeef000 | PWU}},
         .reads = {0x204d28, 0x700000}, OK4(0xbeef678), .hits = 2},
    };
    DMT_RUN(c);
}

/* Not present in the TEA: the dimension walks, the DMT read counted. */
static void dmt_fallbacks(void)
{
    static const dmt_case c[] = {
        {"native: an empty TEA entry", GD, {GWIN(0, 0x500000)}, {{0x500d28, 0}},
         .reads = {0x500d28, 0x105a0, 0x11b48, 0x12690, 0x13d28}, OK4(0x777678),
         .fallbacks = 1},
        {"native: a 2 MiB page over the window, found by the walk", GD, {GWIN(0, 0x500000)},
         {{0x500d28, 0}, {0x12690, 0x40000000 | PWU | NW_PTE_PS}},
         .reads = {0x500d28, 0x105a0, 0x11b48, 0x12690}, .status = NW_OK, .pa = 0x401a5678,
         .size = NW_SIZE_2M, .w = 1, .u = 1, .fallbacks = 1},
        {"native: fall-back to a not-present walk", GD, {GWIN(0, 0x500000)},
         {{0x500d28, 0}, {0x13d28, 0}},
         .reads = {0x500d28, 0x105a0, 0x11b48, 0x12690, 0x13d28}, .status = NW_GUEST_FAULT,
         .reason = NW_RSN_NOT_PRESENT, .level = 1, .fallbacks = 1},
        {"guest fall-back (PV), the nested walk through host windows over the guest tables",
         V | GD | HD, {GWIN(0, 0x500000 | PV), HW_FINAL, HW_LOW},
         {{0x500d28, 0}, PUT_FINAL, PUT_LOW},
         .reads = {0x500d28, 0x710008, 0x2015a0, 0x710010, 0x202b48, 0x710018, 0x203690,
                   0x710020, 0x204d28, 0x700028},
         OK4(0xbeef678), .hits = 5, .fallbacks = 1},
        {"host fall-back: HW_FINAL's entry not present, the host walks", V | GD | HD,
         {GWIN(0, 0x204000 | PV), HW_FINAL}, {{0x700028, 0}},
         .reads = {0x204d28, 0x700028, HOST_FINAL}, OK4(0xabcd678), .hits = 1,
         .fallbacks = 1},
    };
    DMT_RUN(c);
}

/* Reserved entries, bus errors, host faults, permissions. */
static void dmt_faults(void)
{
    static const dmt_case c[] = {
        {"reserved guest entry (XD with NXE = 0)", GD, {GWIN(0, 0x500000)},
         {{0x500d28, 0x888000 | PWU | NW_PTE_XD}}, .reads = {0x500d28},
         .status = NW_GUEST_FAULT, .reason = NW_RSN_RESERVED, .level = 1,
         .pferr = NW_PF_P | NW_PF_RSVD, .hits = 1},
        {"reserved host entry", V | GD | HD, {GWIN(0, 0x204000 | PV), HW_FINAL},
         {{0x700028, 0xbeef000 | PWU | NW_PTE_XD}}, .reads = {0x204d28, 0x700028},
         .status = NW_HOST_FAULT, .reason = NW_RSN_RESERVED, .level = 1, .gpa = 0x40005678,
         .hits = 2},
        {"bus error on the guest DMT read", GD, {GWIN(0, 0x900000)}, .reads = {0x900d28},
         .status = NW_BUS_ERROR, .level = 1, .cnt = NW_CNT_BUS_ERRORS, .cnt_n = 1},
        {"bus error on the host DMT read", V | GD | HD,
         {GWIN(0, 0x204000 | PV), {1, 0, 0x40000000, 0x40200000, 0x900000}},
         .reads = {0x204d28, 0x900028}, .status = NW_BUS_ERROR, .level = 1, .hits = 1},
        {"host fault translating the guest TEA's gPA (a guest table access)", V | GD,
         {GWIN(0, 0x5000)}, .reads = {0x100000, 0x101000, 0x102000, 0x103028},
         .status = NW_HOST_FAULT, .reason = NW_RSN_NOT_PRESENT, .level = 1, .gpa = 0x5d28,
         .gpt = 1},
        {"user read of a supervisor DMT page", GD, {GWIN(0, 0x500000)},
         {{0x500d28, 0x888000 | NW_PTE_P | NW_PTE_W}}, .user = 1, .reads = {0x500d28},
         .status = NW_GUEST_FAULT, .reason = NW_RSN_PROTECTION, .level = 1,
         .pferr = NW_PF_P | NW_PF_U, .hits = 1},
        {"fetch from an XD DMT page", GD | NW_CTRL_NXE, {GWIN(0, 0x500000)},
         {{0x500d28, 0x888000 | PWU | NW_PTE_XD}}, .access = NW_ACC_FETCH,
         .reads = {0x500d28}, .status = NW_GUEST_FAULT, .reason = NW_RSN_PROTECTION,
         .level = 1, .pferr = NW_PF_P | NW_PF_ID, .hits = 1},
        {"the DMT page's own W, U, XD are the permissions", GD | NW_CTRL_NXE,
         {GWIN(0, 0x500000)}, {{0x500d28, 0x888000 | NW_PTE_P | NW_PTE_XD}},
         .reads = {0x500d28}, .status = NW_OK, .pa = 0x888678, .xd = 1, .hits = 1},
        {"write to a read-only host DMT page", V | GD | HD, {GWIN(0, 0x204000 | PV), HW_FINAL},
         {{0x700028, 0xbeef000 | NW_PTE_P | NW_PTE_U}}, .access = NW_ACC_WRITE,
         .reads = {0x204d28, 0x700028}, .status = NW_HOST_FAULT,
         .reason = NW_RSN_PROTECTION, .level = 1, .gpa = 0x40005678, .hits = 2},
    };
    DMT_RUN(c);
}

/* Which window, and when DMT is not used at all. */
static void dmt_windows(void)
{
    static const dmt_case c[] = {
        {"overlap: window 1 (N1) beats window 3", GD,
         {GWIN(1, 0x13000), GWIN(3, 0x500000)}, {{0x500d28, 0x888000 | PWU}},
         .reads = {0x13d28}, OK4(0x777678), .hits = 1},
        {"overlap: window 0 over all user space beats window 2", GD,
         {{0, 0, 0, 0x800000000000ull, 0x500000}, GWIN(2, 0x13000)},
         {{0x500000 + VPAGE * 8, 0x888000 | PWU}}, .reads = {0x500000 + VPAGE * 8},
         OK4(0x888678), .hits = 1},
        {"LIMIT below BASE is empty", GD, {{0, 0, WLIMIT, WBASE, 0x500000}},
         .reads = {0x105a0, 0x11b48, 0x12690, 0x13d28}, OK4(0x777678)},
        {"LIMIT just below VA's page misses", GD, {{0, 0, WBASE, VPAGE << 12, 0x13000}},
         .reads = {0x105a0, 0x11b48, 0x12690, 0x13d28}, OK4(0x777678)},
        {"the window's last page hits", GD, {{0, 0, WBASE, (VPAGE + 1) << 12, 0x13000}},
         .reads = {0x13d28}, OK4(0x777678), .hits = 1},
        {"GDMT_EN = 0: windows ignored", 0, {GWIN(0, 0x500000)},
         .reads = {0x105a0, 0x11b48, 0x12690, 0x13d28}, OK4(0x777678)},
        {"shadow walk: guest DMT not used", V | NW_CTRL_SHADOW_EN | GD, {GWIN(0, 0x500000)},
         .reads = {0x3005a0, 0x301b48, 0x302690, 0x303d28}, OK4(0xabcd678)},
        {"agile, SW in SCR3: host windows after the switch, guest DMT not used",
         V | NW_CTRL_SHADOW_EN | GD | HD, {GWIN(0, 0x500000), HW_FINAL, HW_LOW},
         {PUT_FINAL, PUT_LOW}, .scr3 = 0x201000 | NW_PTE_SW,
         .reads = {0x2015a0, 0x710010, 0x202b48, 0x710018, 0x203690, 0x710020, 0x204d28,
                   0x700028},
         OK4(0xbeef678), .hits = 4},
        {"HDMT_EN with VIRT = 0 is ignored", HD, {{1, 0, 0, 0x1000000000ull, 0x500000}},
         .reads = {0x105a0, 0x11b48, 0x12690, 0x13d28}, OK4(0x777678)},
        {"the guest segment comes first", GD, {GWIN(0, 0x500000)}, .segs = 1,
         OK4(0x40005678), .cnt = NW_CNT_GSEG_HITS, .cnt_n = 1},
        {"the host segment comes first", V | GD | HD, {GWIN(0, 0x204000 | PV), HW_FINAL},
         .segs = 2, .reads = {0x204d28}, OK4(0x40205678), .hits = 1},
        {"the guest filter does not apply to a window", GD | NW_CTRL_GFILT_EN,
         {GWIN(0, 0x13000)}, .gpage = VPAGE, .reads = {0x13d28}, OK4(0x777678), .hits = 1},
        {"an escaped guest page takes the window", GD | NW_CTRL_GFILT_EN, {GWIN(0, 0x13000)},
         .segs = 1, .gpage = VPAGE, .reads = {0x13d28}, OK4(0x777678), .hits = 1,
         .cnt = NW_CNT_GESCAPES, .cnt_n = 1},
        {"the host filter does not apply to a window", V | GD | HD | NW_CTRL_HFILT_EN,
         {GWIN(0, 0x204000 | PV), HW_FINAL}, {PUT_FINAL}, .hpage = 0x40005,
         .reads = {0x204d28, 0x700028}, OK4(0xbeef678), .hits = 2},
        {"an escaped final gPA takes the host window", V | GD | HD | NW_CTRL_HFILT_EN,
         {GWIN(0, 0x204000 | PV), HW_FINAL}, {PUT_FINAL}, .segs = 2, .hpage = 0x40005,
         .reads = {0x204d28, 0x700028}, OK4(0xbeef678), .hits = 2, .cnt = NW_CNT_HESCAPES,
         .cnt_n = 1},
    };
    DMT_RUN(c);
}

/* The entry's address wraps at 52 bits: TEA 0xffffffffff000 and a page
 * 0x200 pages into the window put the entry at PA 0. */
static void dmt_wrap(void)
{
    nw_mem *m = tu_hand_world(PWU);
    nw_mem_write(m, 0, 0x888000 | PWU);
    nw_state *s = nw_new(NW_FEAT_ALL);
    nw_reg_write(s, NW_REG_GDMT_BASE(0), (VPAGE - 0x200) << 12);
    nw_reg_write(s, NW_REG_GDMT_LIMIT(0), WLIMIT);
    nw_reg_write(s, NW_REG_GDMT_TEA(0), ~0ull);
    CHECK_EQ(nw_reg_read(s, NW_REG_GDMT_TEA(0)), 0x000ffffffffff001ull);
    nw_reg_write(s, NW_REG_CTRL, GD);
    nw_result r;
    tu_walk(s, m, VA, NW_ACC_READ, 0, &r);
    EXPECT_OK(&r, 0x888678, NW_SIZE_4K, 1, 1, 0, 1);
    CHECK_EQ(r.reads[0], 0);
    nw_free(s);
    nw_mem_free(m);
}

/* Walk caches (SPEC section 9): a DMT hit neither looks up nor fills them,
 * a fall-back walk does both, and the host translations around a guest
 * DMT hit use them as any host translation does. */
static void dmt_walk_caches(void)
{
    nw_mem *m = tu_hand_world(PWU | NW_PTE_A);
    nw_mem_write(m, 0x500d28, 0);
    nw_mem_write(m, 0x700028, 0xbeef000 | PWU);
    nw_state *s = nw_new(NW_FEAT_ALL);
    nw_result r;
    /* native: a hit, then the window emptied (no flush: not CTRL) */
    nw_reg_write(s, NW_REG_GCR3, 0x10000);
    nw_reg_write(s, NW_REG_GDMT_BASE(0), WBASE);
    nw_reg_write(s, NW_REG_GDMT_LIMIT(0), WLIMIT);
    nw_reg_write(s, NW_REG_GDMT_TEA(0), 0x13000);
    nw_reg_write(s, NW_REG_CTRL, GD | NW_CTRL_WC_EN);
    nwt_ctx("native hit, then the walk");
    tu_walk(s, m, VA, NW_ACC_READ, 0, &r);
    EXPECT_READS(&r, 0x13d28);
    nw_reg_write(s, NW_REG_GDMT_LIMIT(0), WBASE);
    tu_walk(s, m, VA, NW_ACC_READ, 0, &r);
    EXPECT_READS(&r, 0x105a0, 0x11b48, 0x12690, 0x13d28); /* nothing cached by the hit */
    CHECK_EQ(counter(s, NW_CNT_GPSC_HITS), 0);
    /* a fall-back fills: the next fall-back starts at the L2 hit */
    nwt_ctx("native fall-backs");
    nw_reg_write(s, NW_REG_CTRL, 0);
    nw_reg_write(s, NW_REG_GDMT_LIMIT(0), WLIMIT);
    nw_reg_write(s, NW_REG_GDMT_TEA(0), 0x500000);
    nw_reg_write(s, NW_REG_CTRL, GD | NW_CTRL_WC_EN);
    tu_walk(s, m, VA, NW_ACC_READ, 0, &r);
    EXPECT_READS(&r, 0x500d28, 0x105a0, 0x11b48, 0x12690, 0x13d28);
    tu_walk(s, m, VA, NW_ACC_READ, 0, &r);
    EXPECT_READS(&r, 0x500d28, 0x13d28);
    EXPECT_OK(&r, 0x777678, NW_SIZE_4K, 1, 1, 0, 2);
    CHECK_EQ(counter(s, NW_CNT_GPSC_HITS), 1);
    CHECK_EQ(counter(s, NW_CNT_DMT_FALLBACKS), 2);
    /* virtualized: the final gPA's host walk after a PV hit fills the
       NTLB; a host DMT hit does not */
    nwt_ctx("pvDMT, the host dimension's caches");
    nw_reg_write(s, NW_REG_CTRL, 0);
    nw_reg_write(s, NW_REG_GDMT_TEA(0), 0x204000 | PV);
    nw_reg_write(s, NW_REG_HCR3, 0x100000);
    nw_reg_write(s, NW_REG_HDMT_BASE(0), 0x40000000);
    nw_reg_write(s, NW_REG_HDMT_LIMIT(0), 0x40200000);
    nw_reg_write(s, NW_REG_HDMT_TEA(0), 0x700000);
    nw_reg_write(s, NW_REG_CTRL, V | GD | HD | NW_CTRL_WC_EN);
    tu_walk(s, m, VA, NW_ACC_READ, 0, &r);
    EXPECT_READS(&r, 0x204d28, 0x700028);
    nw_reg_write(s, NW_REG_HDMT_LIMIT(0), 0x40000000);
    tu_walk(s, m, VA, NW_ACC_READ, 0, &r);
    EXPECT_READS(&r, 0x204d28, HOST_FINAL); /* the host DMT hit filled nothing */
    tu_walk(s, m, VA, NW_ACC_READ, 0, &r);
    EXPECT_READS(&r, 0x204d28); /* that host walk filled the NTLB */
    EXPECT_OK(&r, 0xabcd678, NW_SIZE_4K, 1, 1, 0, 1);
    CHECK_EQ(counter(s, NW_CNT_NTLB_HITS), 1);
    nw_free(s);
    nw_mem_free(m);
}

/* A build without DMT: the windows read 0 and CTRL's DMT bits are not
 * kept, so the same walk is the plain walk. */
static void dmt_feature_off(void)
{
    nw_mem *m = tu_hand_world(PWU);
    nw_state *s = nw_new(NW_FEAT_ALL & ~NW_FEAT_DMT);
    nw_reg_write(s, NW_REG_GCR3, 0x10000);
    nw_reg_write(s, NW_REG_GDMT_BASE(0), WBASE);
    nw_reg_write(s, NW_REG_GDMT_LIMIT(0), WLIMIT);
    nw_reg_write(s, NW_REG_GDMT_TEA(0), 0x13000);
    nw_reg_write(s, NW_REG_CTRL, GD);
    CHECK_EQ(nw_reg_read(s, NW_REG_CTRL), 0);
    CHECK_EQ(nw_reg_read(s, NW_REG_GDMT_LIMIT(0)), 0);
    nw_result r;
    tu_walk(s, m, VA, NW_ACC_READ, 0, &r);
    EXPECT_READS(&r, 0x105a0, 0x11b48, 0x12690, 0x13d28);
    nw_free(s);
    nw_mem_free(m);
}

void suite_dmt(void)
{
    NWT_RUN(dmt_reads);
    NWT_RUN(dmt_fallbacks);
    NWT_RUN(dmt_faults);
    NWT_RUN(dmt_windows);
    NWT_RUN(dmt_wrap);
    NWT_RUN(dmt_walk_caches);
    NWT_RUN(dmt_feature_off);
}
