/*
 * test_wc.c: the walk caches of SPEC section 9 with the organisation of
 * docs/BEHAVIOUR.md, on test_order.c's hand-made world with the A bit set
 * in every entry (tu_hand_world; its header gives every address). Every
 * read list below is worked out by hand from the SPEC: which entries a
 * walk caches, where the next walk starts, which host translations the
 * NTLB and the host PSC answer. Then the flushes, FIFO replacement, the
 * lowest-slot rule, stale entries, faulting walks and the counters.
 *
 * VA = 0x5a5a5a5a5678 (L4 index 0xb4, L3 0x169, L2 0xd2, L1 0x1a5).
 * Its nested walk with empty caches reads 14 entries, not 24: the host
 * walk of G4's gPA (page 1) fills the host PSC, which then answers the
 * host walks of pages 2, 3, 4 at L2 (one read each: H1a[n]) and of the
 * final gPA 0x40005678 at L4 (H3[1], H2b[0], H1b[5]).
 */
#include "tu.h"

#define VA    0x00005a5a5a5a5678ull
#define VA5   0x007b5a5a5a5a5678ull /* L5 index 0x7b, the rest as VA */
#define FL    (TU_PWU | NW_PTE_A)
#define VIRT  NW_CTRL_VIRT
#define SHAD  (NW_CTRL_VIRT | NW_CTRL_SHADOW_EN)
#define GDIR  (NW_CTRL_VIRT | NW_CTRL_GSEG_EN)

#define HOST_G4 0x100000, 0x101000, 0x102000, 0x103008
#define HOST_G1 0x100000, 0x101000, 0x102000, 0x103020
#define HOST_FINAL 0x100000, 0x101008, 0x104000, 0x105028
/* the nested walk of VA with empty caches */
#define NESTED_COLD HOST_G4, 0x2015a0, 0x103010, 0x202b48, 0x103018, 0x203690, \
                    0x103020, 0x204d28, 0x101008, 0x104000, 0x105028

static nw_wc_config sizes(int gfrom, int hfrom, int ntlb)
{
    /* PSC levels below gfrom (guest) and hfrom (host) left out, so that a
     * hit is at that level or above */
    nw_wc_config c = nw_wc_defaults();
    for (int j = 2; j < gfrom; j++)
        c.gpsc[j - 2] = 0;
    for (int j = 2; j < hfrom; j++)
        c.hpsc[j - 2] = 0;
    if (ntlb >= 0)
        c.ntlb = (unsigned)ntlb;
    return c;
}

/* A walker over the hand world with CTRL = ctrl | WC_EN. */
static nw_state *wc_state(uint64_t ctrl, const nw_wc_config *c)
{
    nw_state *s = nw_new_wc(NW_FEAT_ALL, c);
    nw_reg_write(s, NW_REG_GCR3, (ctrl & VIRT) ? 0x1000 : (ctrl & NW_CTRL_G5) ? 0x14000 : 0x10000);
    nw_reg_write(s, NW_REG_HCR3, 0x100000);
    nw_reg_write(s, NW_REG_SCR3, 0x300000);
    /* Guest Direct: exactly VA's page, to gPA 0x40005000 */
    nw_reg_write(s, NW_REG_GSEG_BASE, 0x5a5a5a5a5000ull);
    nw_reg_write(s, NW_REG_GSEG_LIMIT, 0x5a5a5a5a6000ull);
    nw_reg_write(s, NW_REG_GSEG_OFFSET, 0xffffa5a5e5a60000ull);
    nw_reg_write(s, NW_REG_GSEG_ATTR, NW_PTE_W | NW_PTE_U);
    nw_reg_write(s, NW_REG_CTRL, ctrl | NW_CTRL_WC_EN);
    return s;
}

static uint64_t counter(nw_state *s, int k)
{
    return nw_reg_read(s, NW_REG_COUNTERS + 8u * (unsigned)k);
}

/* One step of a scenario: a walk of va (VA when 0) and the reads it must
 * make, in order (none: not checked), with its result (ok at pa, or the
 * fault `status` at `level` with fault gPA `gpa`). */
typedef struct {
    uint64_t va;
    int refs;
    uint64_t reads[NW_MAX_READS];
    uint64_t pa;
    int status, level;
    uint64_t gpa;
} wc_step;

static void step(nw_state *s, nw_mem *m, const wc_step *st, int i)
{
    nw_result r;
    tu_walk(s, m, st->va ? st->va : VA, NW_ACC_READ, 0, &r);
    nwt_check(r.status == st->status, __FILE__, __LINE__, "walk %d: status %d, expected %d", i,
              r.status, st->status);
    if (st->status == NW_OK)
        CHECK_EQ(r.pa, st->pa);
    else
        CHECK(r.level == st->level && r.fault_gpa == st->gpa);
    int n = 0;
    while (n < NW_MAX_READS && st->reads[n])
        n++;
    if (n || !st->refs)
        tu_expect_reads(__FILE__, __LINE__, &r, st->reads, n);
    else
        CHECK_EQ(r.refs, st->refs);
}

/* A scenario: a walker with these caches on the hand world (an entry
 * rewritten first when ea != 0), walked step by step. */
typedef struct {
    const char *what;
    uint64_t ctrl;
    nw_wc_config c;
    uint64_t ea, value, scr3;
    wc_step steps[4];
} wc_case;

static void run_cases(const wc_case *c, size_t n)
{
    for (; n--; c++) {
        nw_mem *m = tu_hand_world(FL);
        nw_state *s = wc_state(c->ctrl, &c->c);
        if (c->ea)
            nw_mem_write(m, c->ea, c->value);
        if (c->scr3)
            nw_reg_write(s, NW_REG_SCR3, c->scr3);
        for (int i = 0; i < 4 && (c->steps[i].refs || c->steps[i].pa || c->steps[i].status); i++) {
            nwt_ctx("%s, walk %d", c->what, i);
            step(s, m, &c->steps[i], i);
        }
        nw_free(s);
        nw_mem_free(m);
    }
}
#define RUN_CASES(cs) run_cases(cs, sizeof cs / sizeof cs[0])

#define OK(pa_) .pa = pa_
static void wc_native_hits(void)
{
    const wc_case c[] = {
        {"native, hit at L2", 0, sizes(2, 2, -1), 0, 0, 0,
         {{0, 4, {0x105a0, 0x11b48, 0x12690, 0x13d28}, OK(0x777678)},
          {0, 1, {0x13d28}, OK(0x777678)}}},
        {"native, hit at L3", 0, sizes(3, 2, -1), 0, 0, 0,
         {{0, 4, {0x105a0, 0x11b48, 0x12690, 0x13d28}, OK(0x777678)},
          {0, 2, {0x12690, 0x13d28}, OK(0x777678)}}},
        {"native, hit at L4", 0, sizes(4, 2, -1), 0, 0, 0,
         {{0, 4, {0x105a0, 0x11b48, 0x12690, 0x13d28}, OK(0x777678)},
          {0, 3, {0x11b48, 0x12690, 0x13d28}, OK(0x777678)}}},
        {"native 5-level, hit at L5", NW_CTRL_G5, sizes(5, 2, -1), 0, 0, 0,
         {{VA5, 5, {0x143d8, 0x105a0, 0x11b48, 0x12690, 0x13d28}, OK(0x777678)},
          {VA5, 4, {0x105a0, 0x11b48, 0x12690, 0x13d28}, OK(0x777678)}}},
        {"native 5-level, hit at L2", NW_CTRL_G5, sizes(2, 2, -1), 0, 0, 0,
         {{VA5, 5, {0x143d8, 0x105a0, 0x11b48, 0x12690, 0x13d28}, OK(0x777678)},
          {VA5, 1, {0x13d28}, OK(0x777678)}}},
        /* an entry without A is not cached: L3's here, so with L2 left
         * out the second walk starts at the L4 entry's table */
        {"native, N3 entry with A = 0", 0, sizes(3, 2, -1), 0x11b48, 0x12000 | TU_PWU, 0,
         {{0, 4, {0x105a0, 0x11b48, 0x12690, 0x13d28}, OK(0x777678)},
          {0, 3, {0x11b48, 0x12690, 0x13d28}, OK(0x777678)}}},
    };
    RUN_CASES(c);
}

static void wc_nested_hits(void)
{
    const wc_case c[] = {
        {"nested, hit at L2 and NTLB", VIRT, sizes(2, 2, -1), 0, 0, 0,
         {{0, 14, {NESTED_COLD}, OK(0xabcd678)}, {0, 1, {0x204d28}, OK(0xabcd678)}}},
        /* the host translations of G1's and G2's gPAs hit the NTLB */
        {"nested, hit at L3", VIRT, sizes(3, 2, -1), 0, 0, 0,
         {{0, 14, {NESTED_COLD}, OK(0xabcd678)},
          {0, 2, {0x203690, 0x204d28}, OK(0xabcd678)}}},
        {"nested, hit at L4", VIRT, sizes(4, 2, -1), 0, 0, 0,
         {{0, 14, {NESTED_COLD}, OK(0xabcd678)},
          {0, 3, {0x202b48, 0x203690, 0x204d28}, OK(0xabcd678)}}},
        /* no NTLB: the final gPA's host walk starts at the host PSC's L2 */
        {"nested, no NTLB", VIRT, sizes(2, 2, 0), 0, 0, 0,
         {{0, 14, {NESTED_COLD}, OK(0xabcd678)},
          {0, 2, {0x204d28, 0x105028}, OK(0xabcd678)}}},
        /* a host leaf without A is not in the NTLB */
        {"nested, H1b[5] with A = 0", VIRT, sizes(2, 2, -1), 0x105028, 0xabcd000 | TU_PWU, 0,
         {{0, 14, {NESTED_COLD}, OK(0xabcd678)},
          {0, 2, {0x204d28, 0x105028}, OK(0xabcd678)}}},
        /* Guest Direct: only the final gPA is walked, by the host */
        {"guest direct, host PSC hit at L2", GDIR, sizes(2, 2, 0), 0, 0, 0,
         {{0, 4, {HOST_FINAL}, OK(0xabcd678)}, {0, 1, {0x105028}, OK(0xabcd678)}}},
        {"guest direct, host PSC hit at L3", GDIR, sizes(2, 3, 0), 0, 0, 0,
         {{0, 4, {HOST_FINAL}, OK(0xabcd678)},
          {0, 2, {0x104000, 0x105028}, OK(0xabcd678)}}},
        {"guest direct, host PSC hit at L4", GDIR, sizes(2, 4, 0), 0, 0, 0,
         {{0, 4, {HOST_FINAL}, OK(0xabcd678)},
          {0, 3, {0x101008, 0x104000, 0x105028}, OK(0xabcd678)}}},
        {"guest direct, NTLB hit", GDIR, sizes(2, 2, -1), 0, 0, 0,
         {{0, 4, {HOST_FINAL}, OK(0xabcd678)}, {0, 0, {0}, OK(0xabcd678)}}},
    };
    RUN_CASES(c);
}

static void wc_shadow_agile_hits(void)
{
    const wc_case c[] = {
        {"shadow, hit at L2", SHAD, sizes(2, 2, -1), 0, 0, 0,
         {{0, 4, {0x3005a0, 0x301b48, 0x302690, 0x303d28}, OK(0xabcd678)},
          {0, 1, {0x303d28}, OK(0xabcd678)}}},
        {"shadow, hit at L3", SHAD, sizes(3, 2, -1), 0, 0, 0,
         {{0, 4, {0x3005a0, 0x301b48, 0x302690, 0x303d28}, OK(0xabcd678)},
          {0, 2, {0x302690, 0x303d28}, OK(0xabcd678)}}},
        {"shadow, hit at L4", SHAD, sizes(4, 2, -1), 0, 0, 0,
         {{0, 4, {0x3005a0, 0x301b48, 0x302690, 0x303d28}, OK(0xabcd678)},
          {0, 3, {0x301b48, 0x302690, 0x303d28}, OK(0xabcd678)}}},
        /* agile, SW in S3: G2 is read at its hPA, G1 through the host */
        {"agile SW at L3, hit at L2 (below the switch)", SHAD, sizes(2, 2, -1), 0x301b48,
         NW_PTE_SW | 0x203000 | FL, 0,
         {{0, 11, {0x3005a0, 0x301b48, 0x203690, HOST_G1, 0x204d28, 0x101008, 0x104000,
                   0x105028}, OK(0xabcd678)},
          {0, 1, {0x204d28}, OK(0xabcd678)}}},
        {"agile SW at L3, hit at L3 (the switching entry)", SHAD, sizes(3, 2, -1), 0x301b48,
         NW_PTE_SW | 0x203000 | FL, 0,
         {{0, 11, {0x3005a0, 0x301b48, 0x203690, HOST_G1, 0x204d28, 0x101008, 0x104000,
                   0x105028}, OK(0xabcd678)},
          {0, 2, {0x203690, 0x204d28}, OK(0xabcd678)}}},
        {"agile SW at L3, hit at L4 (above the switch)", SHAD, sizes(4, 2, -1), 0x301b48,
         NW_PTE_SW | 0x203000 | FL, 0,
         {{0, 11, {0x3005a0, 0x301b48, 0x203690, HOST_G1, 0x204d28, 0x101008, 0x104000,
                   0x105028}, OK(0xabcd678)},
          {0, 3, {0x301b48, 0x203690, 0x204d28}, OK(0xabcd678)}}},
        {"agile SW at L2, hit at L2", SHAD, sizes(2, 2, -1), 0x302690,
         NW_PTE_SW | 0x204000 | FL, 0,
         {{0, 8, {0x3005a0, 0x301b48, 0x302690, 0x204d28, HOST_FINAL}, OK(0xabcd678)},
          {0, 1, {0x204d28}, OK(0xabcd678)}}},
        {"agile SW in SCR3, hit at L2", SHAD, sizes(2, 2, -1), 0, 0, NW_PTE_SW | 0x201000,
         {{0, 13, {0x2015a0, 0x100000, 0x101000, 0x102000, 0x103010, 0x202b48, 0x103018,
                   0x203690, 0x103020, 0x204d28, 0x101008, 0x104000, 0x105028},
           OK(0xabcd678)},
          {0, 1, {0x204d28}, OK(0xabcd678)}}},
    };
    RUN_CASES(c);
}

/* The switch counter counts SW bits the walk reads: a walk that starts
 * below the switch from the guest PSC does not switch. */
static void wc_switch_count(void)
{
    for (int from = 2; from <= 4; from++) {
        nwt_ctx("agile SW at L3, PSC levels from %d", from);
        nw_wc_config c = sizes(from, 2, -1);
        nw_mem *m = tu_hand_world(FL);
        nw_state *s = wc_state(SHAD, &c);
        nw_mem_write(m, 0x301b48, NW_PTE_SW | 0x203000 | FL);
        nw_result r;
        tu_walk(s, m, VA, NW_ACC_READ, 0, &r);
        CHECK_EQ(counter(s, NW_CNT_SWITCHES), 1);
        tu_walk(s, m, VA, NW_ACC_READ, 0, &r);
        CHECK_EQ(counter(s, NW_CNT_SWITCHES), from == 4 ? 2 : 1);
        CHECK_EQ(counter(s, NW_CNT_GPSC_HITS), 1);
        nw_free(s);
        nw_mem_free(m);
    }
}

/* Cold then warm nested walk: what each counter counts. */
static void wc_counters(void)
{
    nw_wc_config c = nw_wc_defaults();
    nw_mem *m = tu_hand_world(FL);
    nw_state *s = wc_state(VIRT, &c);
    nw_result r;
    tu_walk(s, m, VA, NW_ACC_READ, 0, &r);
    CHECK_EQ(counter(s, NW_CNT_GPSC_HITS), 0);
    CHECK_EQ(counter(s, NW_CNT_HPSC_HITS), 4); /* pages 2, 3, 4 and the final gPA */
    CHECK_EQ(counter(s, NW_CNT_NTLB_HITS), 0);
    CHECK_EQ(counter(s, NW_CNT_READS), 14);
    tu_walk(s, m, VA, NW_ACC_READ, 0, &r);
    CHECK_EQ(counter(s, NW_CNT_GPSC_HITS), 1);
    CHECK_EQ(counter(s, NW_CNT_HPSC_HITS), 4); /* the NTLB hit, so no PSC lookup */
    CHECK_EQ(counter(s, NW_CNT_NTLB_HITS), 1);
    CHECK_EQ(counter(s, NW_CNT_READS), 15);
    CHECK_EQ(counter(s, NW_CNT_WALKS), 2);
    /* any counter write clears them all, the new ones too */
    nw_reg_write(s, NW_REG_COUNTERS + 8 * NW_CNT_NTLB_HITS, 5);
    for (int k = 0; k < NW_NUM_COUNTERS; k++)
        CHECK_EQ(counter(s, k), 0);
    nw_free(s);

    /* without the WC feature: WC_EN reads 0, nothing is cached or counted */
    nwt_ctx("features without WC");
    s = nw_new(NW_FEAT_ALL & ~NW_FEAT_WC);
    nw_reg_write(s, NW_REG_GCR3, 0x1000);
    nw_reg_write(s, NW_REG_HCR3, 0x100000);
    nw_reg_write(s, NW_REG_CTRL, VIRT | NW_CTRL_WC_EN);
    CHECK_EQ(nw_reg_read(s, NW_REG_CTRL), VIRT);
    for (int i = 0; i < 2; i++) {
        tu_walk(s, m, VA, NW_ACC_READ, 0, &r);
        EXPECT_OK(&r, 0xabcd678, NW_SIZE_4K, 1, 1, 0, 24);
    }
    for (int k = NW_CNT_GPSC_HITS; k <= NW_CNT_NTLB_HITS; k++)
        CHECK_EQ(counter(s, k), 0);
    nw_free(s);

    /* WC_EN = 0 with the feature: the same, 24 reads every time */
    nwt_ctx("WC_EN = 0");
    s = wc_state(VIRT, &c);
    nw_reg_write(s, NW_REG_CTRL, VIRT);
    for (int i = 0; i < 2; i++) {
        tu_walk(s, m, VA, NW_ACC_READ, 0, &r);
        EXPECT_OK(&r, 0xabcd678, NW_SIZE_4K, 1, 1, 0, 24);
    }
    CHECK_EQ(counter(s, NW_CNT_GPSC_HITS) + counter(s, NW_CNT_NTLB_HITS), 0);
    nw_free(s);
    nw_mem_free(m);
}

/* Which register writes empty what: the walk after a warm one tells. */
static void wc_flushes(void)
{
    static const uint64_t guest_only[] = {0x2015a0, 0x202b48, 0x203690, 0x204d28};
    static const uint64_t cold[] = {NESTED_COLD};
    static const uint64_t warm[] = {0x204d28};
    static const struct {
        const char *what;
        unsigned addr;
        uint64_t value;
        const uint64_t *reads;
        int n;
    } w[] = {
        {"WC_FLUSH = 1", NW_REG_WC_FLUSH, NW_WC_FLUSH_GUEST, guest_only, 4},
        {"WC_FLUSH = 2", NW_REG_WC_FLUSH, NW_WC_FLUSH_ALL, cold, 14},
        {"WC_FLUSH = 3", NW_REG_WC_FLUSH, 3, cold, 14},
        {"WC_FLUSH = 4 (no meaning)", NW_REG_WC_FLUSH, 4, warm, 1},
        {"GCR3 rewritten", NW_REG_GCR3, 0x1000, guest_only, 4},
        {"SCR3 written", NW_REG_SCR3, 0x300000, guest_only, 4},
        {"HCR3 rewritten", NW_REG_HCR3, 0x100000, cold, 14},
        {"CTRL rewritten", NW_REG_CTRL, VIRT | NW_CTRL_WC_EN, cold, 14},
        {"a segment register", NW_REG_GSEG_BASE, 0, warm, 1},
        {"a counter", NW_REG_COUNTERS, 0, warm, 1},
    };
    nw_wc_config c = nw_wc_defaults();
    for (size_t i = 0; i < sizeof w / sizeof *w; i++) {
        nwt_ctx("%s", w[i].what);
        nw_mem *m = tu_hand_world(FL);
        nw_state *s = wc_state(VIRT, &c);
        nw_result r;
        tu_walk(s, m, VA, NW_ACC_READ, 0, &r);
        tu_walk(s, m, VA, NW_ACC_READ, 0, &r);
        CHECK_EQ(r.refs, 1);
        nw_reg_write(s, w[i].addr, w[i].value);
        CHECK_EQ(nw_reg_read(s, NW_REG_WC_FLUSH), 0);
        tu_walk(s, m, VA, NW_ACC_READ, 0, &r);
        EXPECT_OK(&r, 0xabcd678, NW_SIZE_4K, 1, 1, 0, w[i].n);
        tu_expect_reads(__FILE__, __LINE__, &r, w[i].reads, w[i].n);
        nw_free(s);
        nw_mem_free(m);
    }
    /* nw_reset empties the caches and keeps their sizes (no L2 here) */
    nwt_ctx("nw_reset");
    nw_wc_config from3 = sizes(3, 2, -1);
    nw_mem *m = tu_hand_world(FL);
    nw_state *s = wc_state(0, &from3);
    nw_result r;
    tu_walk(s, m, VA, NW_ACC_READ, 0, &r);
    nw_reset(s);
    CHECK_EQ(nw_reg_read(s, NW_REG_CTRL), 0);
    nw_reg_write(s, NW_REG_GCR3, 0x10000);
    nw_reg_write(s, NW_REG_CTRL, NW_CTRL_WC_EN);
    tu_walk(s, m, VA, NW_ACC_READ, 0, &r);
    CHECK_EQ(r.refs, 4);
    tu_walk(s, m, VA, NW_ACC_READ, 0, &r);
    CHECK_EQ(r.refs, 2);
    nw_free(s);
    nw_mem_free(m);
    /* sizes beyond the limit are refused */
    nw_wc_config big = nw_wc_defaults();
    big.ntlb = NW_WC_MAX_ENTRIES + 1;
    CHECK(nw_new_wc(NW_FEAT_ALL, &big) == NULL);
}

/* Stale entries: the walker never snoops memory. A table change without a
 * flush leaves what the caches hold in use, until software flushes. */
static void wc_stale(void)
{
    nw_wc_config c = nw_wc_defaults();
    nw_result r;
    /* native: N2's entry now points at a new L1 table (0x15000) */
    nw_mem *m = tu_hand_world(FL);
    nw_state *s = wc_state(0, &c);
    tu_walk(s, m, VA, NW_ACC_READ, 0, &r);
    nw_mem_write(m, 0x15d28, 0x888000 | FL);
    nw_mem_write(m, 0x12690, 0x15000 | FL);
    nwt_ctx("native, N2 entry changed, no flush");
    tu_walk(s, m, VA, NW_ACC_READ, 0, &r);
    EXPECT_OK(&r, 0x777678, NW_SIZE_4K, 1, 1, 0, 1);
    EXPECT_READS(&r, 0x13d28);
    nwt_ctx("native, after WC_FLUSH = 1");
    nw_reg_write(s, NW_REG_WC_FLUSH, NW_WC_FLUSH_GUEST);
    tu_walk(s, m, VA, NW_ACC_READ, 0, &r);
    EXPECT_OK(&r, 0x888678, NW_SIZE_4K, 1, 1, 0, 4);
    EXPECT_READS(&r, 0x105a0, 0x11b48, 0x12690, 0x15d28);
    nw_free(s);
    nw_mem_free(m);

    /* nested: the final gPA's host leaf changed; bit 0 keeps the NTLB */
    m = tu_hand_world(FL);
    s = wc_state(VIRT, &c);
    tu_walk(s, m, VA, NW_ACC_READ, 0, &r);
    nw_mem_write(m, 0x105028, 0xbbbb000 | FL);
    nwt_ctx("nested, host leaf changed, no flush");
    tu_walk(s, m, VA, NW_ACC_READ, 0, &r);
    EXPECT_OK(&r, 0xabcd678, NW_SIZE_4K, 1, 1, 0, 1);
    nwt_ctx("nested, host leaf changed, WC_FLUSH = 1");
    nw_reg_write(s, NW_REG_WC_FLUSH, NW_WC_FLUSH_GUEST);
    tu_walk(s, m, VA, NW_ACC_READ, 0, &r);
    EXPECT_OK(&r, 0xabcd678, NW_SIZE_4K, 1, 1, 0, 4);
    nwt_ctx("nested, host leaf changed, WC_FLUSH = 2");
    nw_reg_write(s, NW_REG_WC_FLUSH, NW_WC_FLUSH_ALL);
    tu_walk(s, m, VA, NW_ACC_READ, 0, &r);
    EXPECT_OK(&r, 0xbbbb678, NW_SIZE_4K, 1, 1, 0, 14);
    nw_free(s);
    nw_mem_free(m);
}

/* A faulting walk keeps what it cached before the fault; a host fault on
 * the next table's gPA caches nothing for that level. */
static void wc_faulting_walks(void)
{
    const wc_case c[] = {
        {"native, N1 entry not present", 0, sizes(2, 2, -1), 0x13d28, 0, 0,
         {{0, 4, {0x105a0, 0x11b48, 0x12690, 0x13d28}, .status = NW_GUEST_FAULT, .level = 1},
          {0, 1, {0x13d28}, .status = NW_GUEST_FAULT, .level = 1}}},
        /* G2's page (gPA 0x3000) unmapped by the host: G4's entry is
         * cached (G3's gPA translated), G3's is not */
        {"nested, host page of G2 not present", VIRT, sizes(2, 2, -1), 0x103018, 0, 0,
         {{0, 8, {HOST_G4, 0x2015a0, 0x103010, 0x202b48, 0x103018},
           .status = NW_HOST_FAULT, .level = 1, .gpa = 0x3690},
          {0, 2, {0x202b48, 0x103018}, .status = NW_HOST_FAULT, .level = 1, .gpa = 0x3690}}},
        {"shadow fault at S1", SHAD, sizes(2, 2, -1), 0x303d28, 0, 0,
         {{0, 4, {0x3005a0, 0x301b48, 0x302690, 0x303d28}, .status = NW_SHADOW_FAULT,
           .level = 1},
          {0, 1, {0x303d28}, .status = NW_SHADOW_FAULT, .level = 1}}},
    };
    RUN_CASES(c);

    /* a bus error: the entries accepted before it stay cached */
    nwt_ctx("native, bus error reading N2's entry");
    nw_wc_config cfg = nw_wc_defaults();
    nw_mem *m = tu_hand_world(FL);
    nw_state *s = wc_state(0, &cfg);
    tu_rec rec;
    tu_rec_init(&rec, m);
    rec.fail_addr = 0x12690;
    nw_result r;
    tu_walk_rec(s, &rec, VA, NW_ACC_READ, 0, &r);
    EXPECT_FAULT(&r, NW_BUS_ERROR, NW_RSN_NONE, 2, 0, 0, 0, 3);
    tu_walk(s, m, VA, NW_ACC_READ, 0, &r);
    EXPECT_OK(&r, 0x777678, NW_SIZE_4K, 1, 1, 0, 2);
    EXPECT_READS(&r, 0x12690, 0x13d28);
    nw_free(s);

    /* a host protection fault from an NTLB hit reports the leaf's level */
    nwt_ctx("nested write, host leaf read-only, NTLB hit");
    nw_mem_write(m, 0x105028, 0xabcd000 | NW_PTE_P | NW_PTE_U | NW_PTE_A);
    s = wc_state(VIRT, &cfg);
    tu_walk(s, m, VA, NW_ACC_READ, 0, &r);
    EXPECT_OK(&r, 0xabcd678, NW_SIZE_4K, 0, 1, 0, 14);
    tu_walk(s, m, VA, NW_ACC_WRITE, 0, &r);
    EXPECT_FAULT(&r, NW_HOST_FAULT, NW_RSN_PROTECTION, 1, 0, 0x40005678, 0, 1);
    nw_free(s);
    nw_mem_free(m);
}

/* FIFO: A, B fill an L4 array of 2; a hit on A does not protect it, so C
 * evicts A (an LRU would evict B). Natively, with L2 and L3 left out. */
static void wc_fifo(void)
{
    nw_mem *m = nw_mem_new();
    tu_tables t = {m, 0x10000, 0x100000, 0};
    uint64_t root = tu_table_new(&t);
    uint64_t va[3];
    for (int k = 0; k < 3; k++) {
        va[k] = (uint64_t)(k + 1) << 39 | 0x5000;
        tu_map(&t, root, 4, va[k], 0x800000 + 0x1000 * (uint64_t)k, NW_SIZE_4K, TU_PWU);
    }
    nw_wc_config c = sizes(4, 2, -1);
    nw_state *s = nw_new_wc(NW_FEAT_ALL, &c);
    nw_reg_write(s, NW_REG_GCR3, root);
    nw_reg_write(s, NW_REG_CTRL, NW_CTRL_WC_EN);
    /* A B A C B A C B, slots (s0, s1) after each: A-, AB, AB, CB, CB, CA, CA, BA */
    static const int seq[] = {0, 1, 0, 2, 1, 0, 2, 1};
    static const int refs[] = {4, 4, 3, 4, 3, 4, 3, 4};
    for (int i = 0; i < 8; i++) {
        nwt_ctx("FIFO step %d, VA %c", i, 'A' + seq[i]);
        nw_result r;
        tu_walk(s, m, va[seq[i]], NW_ACC_READ, 0, &r);
        EXPECT_OK(&r, 0x800000 + 0x1000 * (uint64_t)seq[i], NW_SIZE_4K, 1, 1, 0, refs[i]);
        /* a miss reads the root's entry, a hit the L3 table's */
        CHECK_EQ(r.reads[0], refs[i] == 4 ? root | (uint64_t)(seq[i] + 1) << 3
                                          : tu_table_at(&t, root, 4, va[seq[i]], 3) |
                                                (uint64_t)tu_idx(va[seq[i]], 3) << 3);
    }
    nw_free(s);
    nw_mem_free(m);
}

/* Two NTLB entries for one gPA (a 4 KiB and a 2 MiB page, after a host
 * table change without a flush): a miss, which empties both, and the walk
 * inserts one, which the next lookup hits; in either slot order. Guest
 * Direct over all VAs (gPA = VA), no host PSC, an NTLB of 2. */
static void wc_multiple_hit(void)
{
    const uint64_t g1 = 0x40001000, g2 = 0x40002000, g3 = 0x40003000, big = 0x700000000ull;
    for (int order = 0; order < 2; order++) {
        nwt_ctx("%s", order ? "2M entry in slot 0" : "4K entry in slot 0");
        tu_world w;
        tu_world_init(&w, 4, 4, NW_SIZE_4K);
        tu_host_cover(&w, g1);
        tu_host_cover(&w, g2);
        tu_host_cover(&w, g3);
        uint64_t l2 = tu_table_at(&w.h, w.hcr3, 4, g1, 2) | (uint64_t)tu_idx(g1, 2) << 3;
        nw_wc_config c = sizes(2, 6, 2);
        nw_state *s = nw_new_wc(NW_FEAT_ALL, &c);
        nw_reg_write(s, NW_REG_HCR3, w.hcr3);
        nw_reg_write(s, NW_REG_GSEG_LIMIT, 1ull << 47);
        nw_reg_write(s, NW_REG_GSEG_ATTR, NW_PTE_W | NW_PTE_U);
        nw_reg_write(s, NW_REG_CTRL, GDIR | NW_CTRL_WC_EN);
        nw_result r;
        if (order) /* slot 0 gets an unrelated page, evicted later */
            tu_walk(s, w.mem, TU_GT_BASE, NW_ACC_READ, 0, &r);
        tu_walk(s, w.mem, g1, NW_ACC_READ, 0, &r);
        EXPECT_OK(&r, g1 + TU_HOFF, NW_SIZE_4K, 1, 1, 0, 4);
        /* the host maps the 2 MiB around g1 by one large page now */
        tu_put(&w.h, l2, big | TU_PWU | NW_PTE_A | NW_PTE_PS);
        tu_walk(s, w.mem, g2, NW_ACC_READ, 0, &r);
        EXPECT_OK(&r, big + 0x2000, NW_SIZE_4K, 1, 1, 0, 3);
        /* both entries hold g1: a miss, the host walk from the root */
        tu_walk(s, w.mem, g1, NW_ACC_READ, 0, &r);
        EXPECT_OK(&r, big + 0x1000, NW_SIZE_4K, 1, 1, 0, 3);
        CHECK_EQ(r.reads[0], w.hcr3 | (uint64_t)tu_idx(g1, 4) << 3);
        /* the two are gone, the one it inserted hits */
        tu_walk(s, w.mem, g3, NW_ACC_READ, 0, &r);
        EXPECT_OK(&r, big + 0x3000, NW_SIZE_4K, 1, 1, 0, 0);
        CHECK_EQ(nw_reg_read(s, NW_REG_COUNTERS + 8 * NW_CNT_NTLB_HITS), 1);
        nw_free(s);
        tu_world_free(&w);
    }
}

void suite_wc(void)
{
    NWT_RUN(wc_native_hits);
    NWT_RUN(wc_nested_hits);
    NWT_RUN(wc_shadow_agile_hits);
    NWT_RUN(wc_switch_count);
    NWT_RUN(wc_counters);
    NWT_RUN(wc_flushes);
    NWT_RUN(wc_stale);
    NWT_RUN(wc_faulting_walks);
    NWT_RUN(wc_fifo);
    NWT_RUN(wc_multiple_hit);
}
