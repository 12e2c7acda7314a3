/*
 * test_segments.c: direct segments (SPEC section 5, BEHAVIOUR.md "Segment
 * compare", "Segment permissions"): the edges BASE, LIMIT-1, LIMIT, an empty
 * segment, OFFSET wrapping mod 2^64 and the cut to 52 bits, ATTR checks,
 * and which CTRL bits are ignored without VIRT.
 */
#include "tu.h"

/* Native memory with an empty root table at 0x1000: any walk is a
 * not-present fault at L4 after 1 read, so a segment miss is visible. */
static nw_mem *empty_native(nw_state **s, uint64_t ctrl)
{
    nw_mem *m = nw_mem_new();
    nw_mem_write(m, 0x1000, 0);
    *s = nw_new(NW_FEAT_ALL);
    nw_reg_write(*s, NW_REG_CTRL, ctrl);
    nw_reg_write(*s, NW_REG_GCR3, 0x1000);
    nw_reg_write(*s, NW_REG_GSEG_ATTR, NW_PTE_W | NW_PTE_U);
    return m;
}

static void gseg(nw_state *s, uint64_t base, uint64_t limit, uint64_t off)
{
    nw_reg_write(s, NW_REG_GSEG_BASE, base);
    nw_reg_write(s, NW_REG_GSEG_LIMIT, limit);
    nw_reg_write(s, NW_REG_GSEG_OFFSET, off);
}

static void hseg(nw_state *s, uint64_t base, uint64_t limit, uint64_t off)
{
    nw_reg_write(s, NW_REG_HSEG_BASE, base);
    nw_reg_write(s, NW_REG_HSEG_LIMIT, limit);
    nw_reg_write(s, NW_REG_HSEG_OFFSET, off);
}

#define MISS(r) EXPECT_FAULT((r), NW_GUEST_FAULT, NW_RSN_NOT_PRESENT, 4, 0, 0, 0, 1)

/* Addresses through a native guest segment: each probe writes the
 * segment it names and translates va to pa, or misses (pa = NO_HIT). */
#define NO_HIT ~0ull
typedef struct {
    const char *what;
    uint64_t base, limit, off, va, pa;
} probe;

static void run_probes(const probe *p, size_t n)
{
    nw_state *s;
    nw_mem *m = empty_native(&s, NW_CTRL_GSEG_EN);
    for (size_t i = 0; i < n; i++) {
        nwt_ctx("%s: va 0x%llx", p[i].what, (unsigned long long)p[i].va);
        gseg(s, p[i].base, p[i].limit, p[i].off);
        nw_result r;
        tu_walk(s, m, p[i].va, NW_ACC_READ, 0, &r);
        if (p[i].pa == NO_HIT)
            MISS(&r);
        else
            EXPECT_OK(&r, p[i].pa, NW_SIZE_4K, 1, 1, 0, 0);
    }
    nw_free(s);
    nw_mem_free(m);
}

static void segments_edges(void)
{
    static const probe p[] = {
        {"BASE", 0x10000000, 0x10005000, 0x3000000, 0x10000000, 0x13000000},
        {"BASE - 1", 0x10000000, 0x10005000, 0x3000000, 0x0fffffff, NO_HIT},
        {"LIMIT - 1", 0x10000000, 0x10005000, 0x3000000, 0x10004fff, 0x13004fff},
        {"LIMIT", 0x10000000, 0x10005000, 0x3000000, 0x10005000, NO_HIT},
        {"BASE = LIMIT: empty", 0x10000000, 0x10000000, 0x3000000, 0x10000000, NO_HIT},
        {"BASE > LIMIT: empty", 0x10005000, 0x10000000, 0x3000000, 0x10002000, NO_HIT},
        /* bits 11:0 of BASE/LIMIT/OFFSET are not part of them: writing
         * 0x10000fff as BASE and 0x10001fff as LIMIT is the page 0x10000 */
        {"low bits of BASE/LIMIT/OFFSET ignored", 0x10000fff, 0x10001fff, 0x3000fff,
         0x10000000, 0x13000000},
        {"low bits of BASE/LIMIT/OFFSET ignored", 0x10000fff, 0x10001fff, 0x3000fff,
         0x10001000, NO_HIT},
        /* the compare is unsigned on bits 63:12: a high-half segment */
        {"high-half segment, unsigned compare", 0xffff800000000000ull, 0xffff800000010000ull,
         0, 0x00007ffffffff000ull, NO_HIT},
        {"high-half segment, cut to 52 bits", 0xffff800000000000ull, 0xffff800000010000ull, 0,
         0xffff80000000f123ull, 0x000f80000000f123ull},
        /* a segment up to the top: LIMIT = 0xfffffffffffff000 leaves the
         * last page out */
        {"segment to the top page, wraps", 0xfffffffffff00000ull, ~0ull, 0x200000,
         0xfffffffffff00010ull, 0x100010},
        {"segment to the top page", 0xfffffffffff00000ull, ~0ull, 0x200000,
         0xffffffffffffe000ull, 0x1fe000},
        {"segment to the top page", 0xfffffffffff00000ull, ~0ull, 0x200000,
         0xfffffffffffff000ull, NO_HIT},
    };
    run_probes(p, sizeof p / sizeof p[0]);
}

/* (x + OFFSET) mod 2^64, then cut to bits 51:0 */
static void segments_wrap_and_cut(void)
{
    static const probe p[] = {
        {"wrap mod 2^64", 0xffff800000000000ull, 0xffff800000010000ull, 0x0000800000001000ull,
         0xffff800000003abcull, 0x4abc},
        {"cut to 52 bits", 0, 0x10000, 0xfff0000000002000ull, 0x5678, 0x7678},
        {"cut to 52 bits", 0, 0x10000, 0x0010000000000000ull, 0x4321, 0x4321},
        {"negative offset (mod 2^64)", 0x40000000, 0x40010000, 0xffffffffc0000000ull,
         0x40001008, 0x1008},
    };
    run_probes(p, sizeof p / sizeof p[0]);

    /* dual direct: the cut gPA is what the host segment compares */
    nw_mem *m2 = nw_mem_new();
    nw_state *s2 = nw_new(NW_FEAT_ALL);
    nw_result r;
    nw_reg_write(s2, NW_REG_CTRL, NW_CTRL_VIRT | NW_CTRL_GSEG_EN | NW_CTRL_HSEG_EN);
    nw_reg_write(s2, NW_REG_GSEG_ATTR, NW_PTE_W | NW_PTE_U);
    nw_reg_write(s2, NW_REG_HSEG_ATTR, NW_PTE_W);
    nwt_ctx("dual direct, gPA cut to 52 bits before the host segment");
    gseg(s2, 0, 0x10000, 0xfff0000000002000ull);
    hseg(s2, 0, 0x100000, 0x1000000);
    tu_walk(s2, m2, 0x5678, NW_ACC_READ, 0, &r);
    EXPECT_OK(&r, 0x1007678, NW_SIZE_4K, 1, 1, 0, 0);
    nwt_ctx("dual direct, host offset wraps and is cut");
    hseg(s2, 0, 0x100000, 0xfff0000000000000ull);
    tu_walk(s2, m2, 0x5678, NW_ACC_READ, 0, &r);
    EXPECT_OK(&r, 0x7678, NW_SIZE_4K, 1, 1, 0, 0);
    hseg(s2, 0x7000, 0x8000, 0xffffffffffffa000ull); /* -0x6000 */
    tu_walk(s2, m2, 0x5678, NW_ACC_READ, 0, &r);
    EXPECT_OK(&r, 0x1678, NW_SIZE_4K, 1, 1, 0, 0);
    nwt_ctx("dual direct, host segment edges (gPA 0x7000..0x7fff only)");
    tu_walk(s2, m2, 0x4678, NW_ACC_READ, 0, &r); /* gPA 0x6678: below BASE */
    /* host segment miss: the host walk from HCR3 = 0 reads memory never
     * written: a bus error at host L4 */
    EXPECT_FAULT(&r, NW_BUS_ERROR, 0, 4, 0, 0, 0, 1);
    tu_walk(s2, m2, 0x6000, NW_ACC_READ, 0, &r); /* gPA 0x8000: LIMIT */
    EXPECT_FAULT(&r, NW_BUS_ERROR, 0, 4, 0, 0, 0, 1);
    nw_free(s2);
    nw_mem_free(m2);
}

/* ATTR: the x86 checks with the segment's W/U/XD; XD only with NXE (and
 * not a reserved bit without); a failure is a fault of that dimension,
 * reason protection, level 0. */
static void segments_attr(void)
{
    nw_mem *m = nw_mem_new();
    nw_state *s = nw_new(NW_FEAT_ALL);
    static const uint64_t attrs[8] = {0, 2, 4, 6, NW_PTE_XD, NW_PTE_XD | 2,
                                      NW_PTE_XD | 4, NW_PTE_XD | 6};
    for (int gi = 0; gi < 8; gi++)
        for (int hi = 0; hi < 4; hi++)
            for (int cfg = 0; cfg < 8; cfg++)
                for (int acc = 0; acc < 3; acc++)
                    for (int user = 0; user < 2; user++) {
                        uint64_t ga = attrs[gi];
                        /* host ATTR: W, XD (its U bit is not kept) */
                        uint64_t ha = (hi & 1 ? NW_PTE_W : 0) | (hi & 2 ? NW_PTE_XD : 0) |
                                      NW_PTE_U;
                        int wp = cfg & 1, nxe = cfg >> 1 & 1, smep = cfg >> 2 & 1;
                        nw_reg_write(s, NW_REG_CTRL,
                                     NW_CTRL_VIRT | NW_CTRL_GSEG_EN | NW_CTRL_HSEG_EN |
                                         (wp ? NW_CTRL_WP : 0) | (nxe ? NW_CTRL_NXE : 0) |
                                         (smep ? NW_CTRL_SMEP : 0));
                        gseg(s, 0x400000, 0x500000, 0x1000000);
                        hseg(s, 0, 0x10000000, 0x20000000);
                        nw_reg_write(s, NW_REG_GSEG_ATTR, ga);
                        nw_reg_write(s, NW_REG_HSEG_ATTR, ha);
                        nwt_ctx("dual direct GSEG_ATTR 0x%llx HSEG_ATTR 0x%llx access %d "
                                "user %d WP %d NXE %d SMEP %d", (unsigned long long)ga,
                                (unsigned long long)ha, acc, user, wp, nxe, smep);
                        nw_result r;
                        tu_walk(s, m, 0x401abc, acc, user, &r);
                        int w = !!(ga & NW_PTE_W), u = !!(ga & NW_PTE_U);
                        int xd = nxe && (ga & NW_PTE_XD);
                        int hw = !!(ha & NW_PTE_W), hxd = nxe && (ha & NW_PTE_XD);
                        unsigned accb = (acc == NW_ACC_WRITE ? NW_PF_W : 0) |
                                        (user ? NW_PF_U : 0) |
                                        (acc == NW_ACC_FETCH && (nxe || smep) ? NW_PF_ID : 0);
                        int gbad = (user && !u) || (acc == NW_ACC_WRITE && !w && (user || wp)) ||
                                   (acc == NW_ACC_FETCH && xd) ||
                                   (acc == NW_ACC_FETCH && !user && u && smep);
                        int hbad = (acc == NW_ACC_WRITE && !hw) || (acc == NW_ACC_FETCH && hxd);
                        if (gbad)
                            EXPECT_FAULT(&r, NW_GUEST_FAULT, NW_RSN_PROTECTION, 0,
                                         NW_PF_P | accb, 0, 0, 0);
                        else if (hbad)
                            EXPECT_FAULT(&r, NW_HOST_FAULT, NW_RSN_PROTECTION, 0, 0,
                                         0x1401abc, 0, 0);
                        else
                            EXPECT_OK(&r, 0x21401abc, NW_SIZE_4K, w && hw, u, xd || hxd, 0);
                    }
    nw_free(s);
    nw_mem_free(m);
}

/* A host segment without W is fine for guest table reads (plain reads):
 * VMM direct, ATTR 0, a write faults only on the final gPA. */
static void segments_host_attr_tables(void)
{
    tu_world w;
    tu_world_init(&w, 4, 4, NW_SIZE_4K);
    tu_guest_map(&w, 0x7000, 0x5000, NW_SIZE_4K, TU_PWU);
    nw_state *s = nw_new(NW_FEAT_ALL);
    tu_world_regs(&w, s, NW_CTRL_VIRT | NW_CTRL_HSEG_EN | NW_CTRL_NXE);
    hseg(s, 0, 1ull << 40, TU_HOFF);
    nw_reg_write(s, NW_REG_HSEG_ATTR, NW_PTE_XD);
    nw_result r;
    tu_walk(s, w.mem, 0x7123, NW_ACC_READ, 1, &r);
    EXPECT_OK(&r, 0x5123 + TU_HOFF, NW_SIZE_4K, 0, 1, 1, 4);
    CHECK_EQ(nw_reg_read(s, NW_REG_COUNTERS + 8 * NW_CNT_HSEG_HITS), 5);
    tu_walk(s, w.mem, 0x7123, NW_ACC_WRITE, 0, &r);
    EXPECT_FAULT(&r, NW_HOST_FAULT, NW_RSN_PROTECTION, 0, 0, 0x5123, 0, 4);
    tu_walk(s, w.mem, 0x7123, NW_ACC_FETCH, 0, &r);
    EXPECT_FAULT(&r, NW_HOST_FAULT, NW_RSN_PROTECTION, 0, 0, 0x5123, 0, 4);
    nw_free(s);
    tu_world_free(&w);
}

/* SHADOW_EN and HSEG_EN are ignored when VIRT = 0; the guest segment wins
 * over SHADOW_EN; an escape under SHADOW_EN walks the shadow table. */
static void segments_mode_interplay(void)
{
    tu_world w;
    tu_world_init(&w, 4, 4, NW_SIZE_4K);
    tu_guest_map(&w, 0x7000, 0x5000, NW_SIZE_4K, TU_PWU);
    tu_shadow_map(&w, 0x7000, 0x5000 + TU_HOFF, NW_SIZE_4K, TU_PWU, 0);
    /* native tables: the same guest tables copied to their gPA as PA */
    for (int l = 4; l >= 1; l--) {
        uint64_t t = tu_table_at(&w.g, w.gcr3, 4, 0x7000, l);
        uint64_t ea = t | (uint64_t)tu_idx(0x7000, l) << 3;
        nw_mem_write(w.mem, ea, tu_get(&w.g, ea));
    }
    nw_state *s = nw_new(NW_FEAT_ALL);
    nw_result r;

    nwt_ctx("native with SHADOW_EN and HSEG_EN: a plain native walk from GCR3");
    tu_world_regs(&w, s, NW_CTRL_SHADOW_EN | NW_CTRL_HSEG_EN);
    hseg(s, 0, 1ull << 40, TU_HOFF);
    nw_reg_write(s, NW_REG_HSEG_ATTR, NW_PTE_W);
    tu_walk(s, w.mem, 0x7123, NW_ACC_READ, 0, &r);
    EXPECT_OK(&r, 0x5123, NW_SIZE_4K, 1, 1, 0, 4);
    CHECK_EQ(r.reads[0], w.gcr3 | 0);
    CHECK_EQ(nw_reg_read(s, NW_REG_COUNTERS + 8 * NW_CNT_HSEG_HITS), 0);

    nwt_ctx("guest segment wins over SHADOW_EN");
    tu_world_regs(&w, s, NW_CTRL_VIRT | NW_CTRL_SHADOW_EN | NW_CTRL_GSEG_EN |
                             NW_CTRL_GFILT_EN);
    gseg(s, 0x7000, 0x8000, 0xffffffffffffe000ull); /* gVA 0x7000 -> gPA 0x5000 */
    nw_reg_write(s, NW_REG_GSEG_ATTR, NW_PTE_W | NW_PTE_U);
    tu_walk(s, w.mem, 0x7123, NW_ACC_READ, 0, &r);
    EXPECT_OK(&r, 0x5123 + TU_HOFF, NW_SIZE_4K, 1, 1, 0, 4);
    CHECK_EQ(r.reads[0], w.hcr3);

    nwt_ctx("escape under SHADOW_EN walks the shadow table");
    nw_reg_write(s, NW_REG_GFILT_INSERT, 0x7);
    tu_walk(s, w.mem, 0x7123, NW_ACC_READ, 0, &r);
    EXPECT_OK(&r, 0x5123 + TU_HOFF, NW_SIZE_4K, 1, 1, 0, 4);
    CHECK_EQ(r.reads[0], w.sroot);
    CHECK_EQ(nw_reg_read(s, NW_REG_COUNTERS + 8 * NW_CNT_GESCAPES), 1);
    CHECK_EQ(nw_reg_read(s, NW_REG_COUNTERS + 8 * NW_CNT_GSEG_HITS), 1);

    nwt_ctx("filter enabled, segment disabled: no escape counted");
    tu_world_regs(&w, s, NW_CTRL_VIRT | NW_CTRL_GFILT_EN | NW_CTRL_HFILT_EN);
    nw_reg_write(s, NW_REG_COUNTERS, 0);
    tu_walk(s, w.mem, 0x7123, NW_ACC_READ, 0, &r);
    EXPECT_OK(&r, 0x5123 + TU_HOFF, NW_SIZE_4K, 1, 1, 0, 24);
    CHECK_EQ(nw_reg_read(s, NW_REG_COUNTERS + 8 * NW_CNT_GESCAPES), 0);
    nw_free(s);
    tu_world_free(&w);
}

void suite_segments(void)
{
    NWT_RUN(segments_edges);
    NWT_RUN(segments_wrap_and_cut);
    NWT_RUN(segments_attr);
    NWT_RUN(segments_host_attr_tables);
    NWT_RUN(segments_mode_interplay);
}
