/*
 * test_regs.c: the register file (SPEC section 4, BEHAVIOUR.md "Registers"):
 * reset values, read-back masks, ignored address bits 2:0, holes, the
 * insert/clear commands, the filter words, the counters (order from
 * BEHAVIOUR.md, cleared by any write to one of them) after known walks,
 * and the feature mask of nw_new.
 */
#include "tu.h"

/* A DMT window's three registers (SPEC section 4): gVA or gPA bits 63:12,
 * and the TEA base bits 51:12 with, in the guest's, bit 0 PV. */
#define DMT_WINDOW(g, base, w, tea_mask)                                   \
    {base + 0x20 * w, 0xfffffffffffff000ull, g "DMT_BASE" #w},             \
    {base + 0x20 * w + 8, 0xfffffffffffff000ull, g "DMT_LIMIT" #w},        \
    {base + 0x20 * w + 16, tea_mask, g "DMT_TEA" #w}
#define GTEA 0x000ffffffffff001ull
#define HTEA 0x000ffffffffff000ull

/* every register address and what reads back of an all-ones write */
static const struct { unsigned addr; uint64_t mask; const char *name; } regs[] = {
    {0x000, 0x3fffull, "CTRL"},
    {0x008, 0x000ffffffffff000ull, "GCR3"},
    {0x010, 0x000ffffffffff000ull, "HCR3"},
    {0x018, 0x001ffffffffff000ull, "SCR3"},
    {0x020, 0xfffffffffffff000ull, "GSEG_BASE"},
    {0x028, 0xfffffffffffff000ull, "GSEG_LIMIT"},
    {0x030, 0xfffffffffffff000ull, "GSEG_OFFSET"},
    {0x038, 0xfffffffffffff000ull, "HSEG_BASE"},
    {0x040, 0xfffffffffffff000ull, "HSEG_LIMIT"},
    {0x048, 0xfffffffffffff000ull, "HSEG_OFFSET"},
    {0x050, 0x8000000000000006ull, "GSEG_ATTR"},
    {0x058, 0x8000000000000002ull, "HSEG_ATTR"},
    {0x060, 0, "GFILT_INSERT"},
    {0x068, 0, "HFILT_INSERT"},
    {0x070, 0, "FILT_CLEAR"},
    {0x080, ~0ull, "GFILT0"}, {0x088, ~0ull, "GFILT1"},
    {0x090, ~0ull, "GFILT2"}, {0x098, ~0ull, "GFILT3"},
    {0x0a0, ~0ull, "HFILT0"}, {0x0a8, ~0ull, "HFILT1"},
    {0x0b0, ~0ull, "HFILT2"}, {0x0b8, ~0ull, "HFILT3"},
    {0x0c0, 0, "WC_FLUSH"},
    DMT_WINDOW("G", 0x200, 0, GTEA), DMT_WINDOW("G", 0x200, 1, GTEA),
    DMT_WINDOW("G", 0x200, 2, GTEA), DMT_WINDOW("G", 0x200, 3, GTEA),
    DMT_WINDOW("H", 0x280, 0, HTEA), DMT_WINDOW("H", 0x280, 1, HTEA),
    DMT_WINDOW("H", 0x280, 2, HTEA), DMT_WINDOW("H", 0x280, 3, HTEA),
};
#define NREGS (sizeof regs / sizeof regs[0])

static int is_reg(unsigned a)
{
    a &= ~7u;
    for (unsigned i = 0; i < NREGS; i++)
        if (regs[i].addr == a)
            return 1;
    return a >= 0x100 && a < 0x100 + 8 * NW_NUM_COUNTERS;
}

static void regs_reset_and_masks(void)
{
    nw_state *s = nw_new(NW_FEAT_ALL);
    for (unsigned a = 0; a < 0x1000; a += 8) {
        nwt_ctx("reset value of 0x%03x", a);
        CHECK_EQ(nw_reg_read(s, a), 0);
    }
    for (unsigned i = 0; i < NREGS; i++) {
        nwt_ctx("%s (0x%03x) written all ones", regs[i].name, regs[i].addr);
        nw_reset(s);
        nw_reg_write(s, regs[i].addr, ~0ull);
        CHECK_EQ(nw_reg_read(s, regs[i].addr), regs[i].mask);
        /* nothing else changed, except that the insert commands set bits
         * in their filter */
        for (unsigned j = 0; j < NREGS; j++) {
            if (j == i)
                continue;
            int gf = regs[j].addr >= 0x80 && regs[j].addr < 0xa0;
            int hf = regs[j].addr >= 0xa0 && regs[j].addr < 0xc0;
            if ((regs[i].addr == 0x060 && gf) || (regs[i].addr == 0x068 && hf))
                continue;
            CHECK_MSG(nw_reg_read(s, regs[j].addr) == 0,
                      "writing %s changed %s", regs[i].name, regs[j].name);
        }
    }
    /* patterns read back exactly within the mask */
    static const uint64_t pats[] = {0x5555555555555555ull, 0xaaaaaaaaaaaaaaaaull,
                                    0x0123456789abcdefull, 0x8000000000001000ull};
    for (unsigned i = 0; i < NREGS; i++)
        for (unsigned p = 0; p < 4; p++) {
            if ((regs[i].addr >= 0x060 && regs[i].addr <= 0x070) || regs[i].addr == 0x0c0)
                continue;
            nwt_ctx("%s written 0x%llx", regs[i].name, (unsigned long long)pats[p]);
            nw_reset(s);
            nw_reg_write(s, regs[i].addr, pats[p]);
            CHECK_EQ(nw_reg_read(s, regs[i].addr), pats[p] & regs[i].mask);
        }
    /* bits 2:0 of the address are ignored, for writes and reads */
    nwt_ctx("address bits 2:0");
    nw_reset(s);
    nw_reg_write(s, NW_REG_GCR3 | 5, 0x1234000);
    CHECK_EQ(nw_reg_read(s, NW_REG_GCR3), 0x1234000);
    CHECK_EQ(nw_reg_read(s, NW_REG_GCR3 | 7), 0x1234000);
    CHECK_EQ(nw_reg_read(s, NW_REG_GCR3 | 1), 0x1234000);
    /* holes read 0 and ignore writes */
    nwt_ctx("holes");
    nw_reset(s);
    for (unsigned a = 0; a < 0x1000; a += 8)
        if (!is_reg(a))
            nw_reg_write(s, a, ~0ull);
    for (unsigned a = 0; a < 0x1000; a += 8) {
        nwt_ctx("0x%03x after all-ones writes to every hole", a);
        CHECK_EQ(nw_reg_read(s, a), 0);
    }
    /* nw_reset clears what was written */
    nwt_ctx("nw_reset");
    for (unsigned i = 0; i < NREGS; i++)
        nw_reg_write(s, regs[i].addr, ~0ull >> 1);
    nw_reset(s);
    for (unsigned i = 0; i < NREGS; i++)
        CHECK_MSG(nw_reg_read(s, regs[i].addr) == 0, "%s not 0 after nw_reset",
                  regs[i].name);
    nw_free(s);
}

/* Sets page's 4 H3 bits (computed here from the SPEC) in a filter's words. */
static void add_h3_bits(uint64_t words[4], uint64_t page)
{
    for (int j = 0; j < 4; j++) {
        unsigned b = tu_h3(j, page);
        words[b / 64] |= 1ull << (b % 64);
    }
}

/* The 4 words of each filter read back as g and h (8 checks). */
static void expect_filters(nw_state *s, const uint64_t g[4], const uint64_t h[4])
{
    for (int k = 0; k < 4; k++) {
        CHECK_EQ(nw_reg_read(s, NW_REG_GFILT + 8u * (unsigned)k), g[k]);
        CHECK_EQ(nw_reg_read(s, NW_REG_HFILT + 8u * (unsigned)k), h[k]);
    }
}

/* The filter words hold exactly the H3 bits of the inserted pages; the
 * inserts use wdata bits 51:0 (guest) and 39:0 (host); FILT_CLEAR bit 0 /
 * bit 1 clear one filter each. */
static void regs_filter_words(void)
{
    nw_state *s = nw_new(NW_FEAT_ALL);
    static const uint64_t pages[] = {0x1, 0x5a5a5a5a5, 0xfffffffffffffull, 0x400,
                                     0x80123, 0xabcdef012ull};
    static const uint64_t none[4] = {0};
    uint64_t want[4] = {0};
    for (unsigned i = 0; i < 6; i++) {
        /* bits above 51 are not part of a guest page number */
        nw_reg_write(s, NW_REG_GFILT_INSERT, pages[i] | 0xfff0000000000000ull);
        add_h3_bits(want, pages[i]);
        nwt_ctx("the filters after inserting %u guest pages (last 0x%llx)", i + 1,
                (unsigned long long)pages[i]);
        expect_filters(s, want, none);
    }
    /* the host insert takes bits 39:0 */
    uint64_t hwant[4] = {0};
    static const uint64_t hpages[] = {0x5, 0xffffffffffull, 0x80123};
    for (unsigned i = 0; i < 3; i++) {
        nw_reg_write(s, NW_REG_HFILT_INSERT, hpages[i] | 0x0000ff0000000000ull);
        add_h3_bits(hwant, hpages[i]);
    }
    nwt_ctx("the filters after inserting 3 host pages");
    expect_filters(s, want, hwant);
    nwt_ctx("FILT_CLEAR bit 1: host only");
    nw_reg_write(s, NW_REG_FILT_CLEAR, 2);
    expect_filters(s, want, none);
    nwt_ctx("FILT_CLEAR bit 0: guest only");
    nw_reg_write(s, NW_REG_HFILT + 8, 0x1234);
    nw_reg_write(s, NW_REG_FILT_CLEAR, 1);
    expect_filters(s, none, (const uint64_t[4]){0, 0x1234, 0, 0});
    nwt_ctx("FILT_CLEAR bits 1:0 together; other bits ignored");
    nw_reg_write(s, NW_REG_GFILT + 24, 0x8000000000000001ull);
    nw_reg_write(s, NW_REG_FILT_CLEAR, 0xfffffffffffffffcull);
    CHECK_EQ(nw_reg_read(s, NW_REG_GFILT + 24), 0x8000000000000001ull);
    CHECK_EQ(nw_reg_read(s, NW_REG_HFILT + 8), 0x1234);
    nw_reg_write(s, NW_REG_FILT_CLEAR, 3);
    CHECK_EQ(nw_reg_read(s, NW_REG_GFILT + 24), 0);
    CHECK_EQ(nw_reg_read(s, NW_REG_HFILT + 8), 0);
    nw_free(s);
}

static uint64_t cnt(nw_state *s, int k)
{
    return nw_reg_read(s, NW_REG_COUNTERS + 8u * (unsigned)k);
}

/* Counters after a known sequence of walks, in BEHAVIOUR.md's order. */
static void regs_counters(void)
{
    tu_world w;
    tu_world_init(&w, 4, 4, NW_SIZE_4K);
    tu_guest_map(&w, 0x7000, 0x5000, NW_SIZE_4K, TU_PWU);
    tu_shadow_map(&w, 0x7000, 0x5000 + TU_HOFF, NW_SIZE_4K, TU_PWU, 0);
    nw_state *s = nw_new(NW_FEAT_ALL);
    nw_result r;
    uint64_t want[NW_NUM_COUNTERS] = {0};

    tu_world_regs(&w, s, NW_CTRL_VIRT);
    tu_walk(s, w.mem, 0x7000, NW_ACC_READ, 0, &r);          /* ok, 24 reads */
    want[NW_CNT_WALKS] = 1, want[NW_CNT_READS] = 24;
    tu_walk(s, w.mem, 0x9000, NW_ACC_READ, 0, &r);          /* guest fault at L1: 20 */
    want[NW_CNT_WALKS]++, want[NW_CNT_READS] += 20, want[NW_CNT_GUEST_FAULTS]++;
    tu_walk(s, w.mem, 0x0000800000000000ull, NW_ACC_READ, 0, &r); /* non-canonical */
    want[NW_CNT_WALKS]++, want[NW_CNT_GUEST_FAULTS]++;
    nw_reg_write(s, NW_REG_HCR3, 0x7777000);                  /* bus error */
    tu_walk(s, w.mem, 0x7000, NW_ACC_READ, 0, &r);
    want[NW_CNT_WALKS]++, want[NW_CNT_READS] += 1, want[NW_CNT_BUS_ERRORS]++;
    for (int k = 0; k < NW_NUM_COUNTERS; k++) {
        nwt_ctx("counter %d after the nested walks", k);
        CHECK_EQ(cnt(s, k), want[k]);
    }

    tu_world_regs(&w, s, NW_CTRL_VIRT | NW_CTRL_SHADOW_EN);
    tu_walk(s, w.mem, 0x7000, NW_ACC_READ, 0, &r);           /* shadow ok: 4 */
    tu_walk(s, w.mem, 0x9000, NW_ACC_READ, 0, &r);           /* shadow fault L1: 4 */
    want[NW_CNT_WALKS] += 2, want[NW_CNT_READS] += 8, want[NW_CNT_SHADOW_FAULTS]++;
    nw_reg_write(s, NW_REG_SCR3, tu_shadow_map(&w, 0x7000, 0, 0, 0, 5));
    tu_walk(s, w.mem, 0x7000, NW_ACC_READ, 0, &r);           /* SCR3.SW: 20 */
    want[NW_CNT_WALKS]++, want[NW_CNT_READS] += 20, want[NW_CNT_SWITCHES]++;
    for (int k = 0; k < NW_NUM_COUNTERS; k++) {
        nwt_ctx("counter %d after the shadow/agile walks", k);
        CHECK_EQ(cnt(s, k), want[k]);
    }

    /* segments: dual direct hit, host fault on a final gPA outside the
     * host segment and absent from the host tables */
    tu_world_regs(&w, s, NW_CTRL_VIRT | NW_CTRL_GSEG_EN | NW_CTRL_HSEG_EN |
                             NW_CTRL_GFILT_EN | NW_CTRL_HFILT_EN);
    nw_reg_write(s, NW_REG_GSEG_BASE, 0x7000);
    nw_reg_write(s, NW_REG_GSEG_LIMIT, 0xa000);
    nw_reg_write(s, NW_REG_GSEG_OFFSET, 0xffffffffffffe000ull); /* -0x2000 */
    nw_reg_write(s, NW_REG_GSEG_ATTR, 6);
    nw_reg_write(s, NW_REG_HSEG_BASE, 0);
    nw_reg_write(s, NW_REG_HSEG_LIMIT, 0x6000);
    nw_reg_write(s, NW_REG_HSEG_OFFSET, TU_HOFF);
    nw_reg_write(s, NW_REG_HSEG_ATTR, 2);
    tu_walk(s, w.mem, 0x7000, NW_ACC_READ, 0, &r);  /* gPA 0x5000: both hit */
    EXPECT_OK(&r, 0x5000 + TU_HOFF, NW_SIZE_4K, 1, 1, 0, 0);
    want[NW_CNT_WALKS]++, want[NW_CNT_GSEG_HITS]++, want[NW_CNT_HSEG_HITS]++;
    tu_walk(s, w.mem, 0x9000, NW_ACC_READ, 0, &r);  /* gPA 0x7000: host tables, absent */
    EXPECT_FAULT(&r, NW_HOST_FAULT, NW_RSN_NOT_PRESENT, 1, 0, 0x7000, 0, 4);
    want[NW_CNT_WALKS]++, want[NW_CNT_GSEG_HITS]++, want[NW_CNT_READS] += 4;
    want[NW_CNT_HOST_FAULTS]++;
    nw_reg_write(s, NW_REG_GFILT_INSERT, 0x7);
    nw_reg_write(s, NW_REG_HFILT_INSERT, 0x5);
    tu_walk(s, w.mem, 0x7000, NW_ACC_READ, 0, &r);  /* both escape: nested walk */
    EXPECT_OK(&r, 0x5000 + TU_HOFF, NW_SIZE_4K, 1, 1, 0, 24);
    /* guest tables' gPAs 0x100000.. are outside the host segment: the guest
     * walk uses host tables; the final gPA 0x5000 hits it but escapes */
    want[NW_CNT_WALKS]++, want[NW_CNT_GESCAPES]++, want[NW_CNT_HESCAPES]++;
    want[NW_CNT_READS] += 24;
    for (int k = 0; k < NW_NUM_COUNTERS; k++) {
        nwt_ctx("counter %d after the segment walks", k);
        CHECK_EQ(cnt(s, k), want[k]);
    }
    /* read-only: writing the counters' values changes nothing but clears */
    for (int k = 0; k < NW_NUM_COUNTERS; k++) {
        nwt_ctx("write to counter %d clears all of them", k);
        tu_walk(s, w.mem, 0x7000, NW_ACC_READ, 0, &r);
        CHECK(cnt(s, NW_CNT_WALKS) != 0);
        nw_reg_write(s, NW_REG_COUNTERS + 8u * (unsigned)k, 0x1234);
        for (int j = 0; j < NW_NUM_COUNTERS; j++)
            CHECK_EQ(cnt(s, j), 0);
    }
    nw_free(s);
    tu_world_free(&w);
}

/* nw_new with a feature left out: its CTRL bits read 0 and are ignored,
 * its registers read 0 (BEHAVIOUR.md "Features left out"). */
static void regs_features(void)
{
    /* BEHAVIOUR.md's list: the CTRL bits (by number) and the registers
     * (address ranges [lo, hi)) that each feature takes with it */
    static const struct {
        unsigned feat;
        uint64_t ctrl;
        unsigned regs[4][2];
    } takes[] = {
        /* HCR3 and SCR3, HSEG_BASE..HSEG_OFFSET, HSEG_ATTR, HFILT, the
         * host DMT windows */
        {NW_FEAT_VIRT, 1u << 0 | 1u << 2 | 1u << 4 | 1u << 5 | 1u << 10 | 1u << 12,
         {{0x010, 0x020}, {0x038, 0x050}, {0x058, 0x060}, {0x0a0, 0x0c0}}},
        {NW_FEAT_VIRT, 0, {{0x280, 0x300}}},
        /* the segments' registers, the filters' */
        {NW_FEAT_SEG, 1u << 3 | 1u << 4 | 1u << 9 | 1u << 10, {{0x020, 0x060}, {0x080, 0x0c0}}},
        {NW_FEAT_FILT, 1u << 9 | 1u << 10, {{0x080, 0x0c0}}},
        {NW_FEAT_SHADOW, 1u << 5, {{0x018, 0x020}}}, /* SCR3 */
        {NW_FEAT_LA57, 1u << 1 | 1u << 2, {{0, 0}}},
        {NW_FEAT_WC, 1u << 13, {{0, 0}}}, /* WC_FLUSH reads 0 in every build */
        {NW_FEAT_DMT, 1u << 11 | 1u << 12, {{0x200, 0x300}}}, /* both windows' blocks */
    };
    for (unsigned f = 0; f <= NW_FEAT_ALL; f++) {
        uint64_t ctrl = 0x3fff;
        for (unsigned t = 0; t < sizeof takes / sizeof takes[0]; t++)
            if (!(f & takes[t].feat))
                ctrl &= ~takes[t].ctrl;
        nw_state *s = nw_new(f);
        if (!CHECK_MSG(s != NULL, "nw_new(0x%x) returned NULL", f))
            continue;
        nwt_ctx("features 0x%x", f);
        nw_reg_write(s, NW_REG_CTRL, ~0ull);
        CHECK_EQ(nw_reg_read(s, NW_REG_CTRL), ctrl);
        for (unsigned i = 1; i < NREGS; i++) {
            unsigned a = regs[i].addr;
            int gone = 0;
            for (unsigned t = 0; t < sizeof takes / sizeof takes[0]; t++)
                for (int k = 0; k < 4; k++)
                    gone |= !(f & takes[t].feat) && a >= takes[t].regs[k][0] &&
                            a < takes[t].regs[k][1];
            nw_reg_write(s, a, ~0ull);
            nwt_ctx("features 0x%x, %s", f, regs[i].name);
            CHECK_EQ(nw_reg_read(s, a), gone ? 0 : regs[i].mask);
        }
        nw_free(s);
    }
    /* a left-out feature's CTRL bits do nothing: G5 without LA57, and
     * VIRT|SHADOW_EN|H5 without VIRT, give a 4-level native walk */
    nw_mem *m = nw_mem_new();
    tu_tables t = {m, 0x10000, 0x100000, 0};
    uint64_t root = tu_table_new(&t);
    tu_map(&t, root, 4, 0x7000, 0x5000, NW_SIZE_4K, TU_PWU);
    static const unsigned feats[] = {NW_FEAT_ALL & ~NW_FEAT_LA57, NW_FEAT_ALL & ~NW_FEAT_VIRT};
    for (int i = 0; i < 2; i++) {
        nwt_ctx("features 0x%x, CTRL G5 (LA57 missing) or VIRT|SHADOW_EN|H5 (VIRT missing)",
                feats[i]);
        nw_state *s = nw_new(feats[i]);
        nw_reg_write(s, NW_REG_CTRL,
                     i ? NW_CTRL_VIRT | NW_CTRL_SHADOW_EN | NW_CTRL_H5 : NW_CTRL_G5);
        nw_reg_write(s, NW_REG_GCR3, root);
        nw_reg_write(s, NW_REG_SCR3, 0x7777000);
        nw_result r;
        tu_walk(s, m, 0x7123, NW_ACC_READ, 0, &r);
        EXPECT_OK(&r, 0x5123, NW_SIZE_4K, 1, 1, 0, 4);
        CHECK_EQ(r.reads[0], root);
        nw_free(s);
    }
    /* without SEG, GSEG_EN is ignored */
    {
        nwt_ctx("features without SEG, CTRL = GSEG_EN");
        nw_state *s = nw_new(NW_FEAT_ALL & ~NW_FEAT_SEG);
        nw_reg_write(s, NW_REG_CTRL, NW_CTRL_GSEG_EN);
        nw_reg_write(s, NW_REG_GCR3, root);
        nw_reg_write(s, NW_REG_GSEG_BASE, 0);
        nw_reg_write(s, NW_REG_GSEG_LIMIT, 0x100000);
        nw_result r;
        tu_walk(s, m, 0x7123, NW_ACC_READ, 0, &r);
        EXPECT_OK(&r, 0x5123, NW_SIZE_4K, 1, 1, 0, 4);
        nw_free(s);
    }
    nw_mem_free(m);
}

void suite_regs(void)
{
    NWT_RUN(regs_reset_and_masks);
    NWT_RUN(regs_filter_words);
    NWT_RUN(regs_counters);
    NWT_RUN(regs_features);
}
