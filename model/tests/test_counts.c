/*
 * test_counts.c: the number of memory reads of a walk in every mode, for
 * 4- and 5-level guests and hosts and every mix of page sizes (SPEC
 * section 1's table and section 6's order of reads), with the translation
 * each gives. Tables are written by tu_map (tu.c), not the model's builder.
 *
 * A walk of L levels ending in a page of size s reads L - s entries
 * (4K: L, 2M: L-1, 1G: L-2). A nested walk reads, for each of the g guest
 * entries, the h host entries of its gPA and then the entry, and last the
 * h host entries of the final gPA: g*(h+1) + h.
 */
#include "tu.h"

#define VA_BASE  0x00003456c0000000ull /* 1 GiB aligned, canonical for 48 */
#define VA_OFF   0x123456ull           /* inside the first 2 MiB */
#define GPA_BASE 0x80000000ull         /* 1 GiB aligned */
#define FINAL_GPA (GPA_BASE + VA_OFF)

static const char *szn(int s) { return s == 0 ? "4K" : s == 1 ? "2M" : "1G"; }
static int min_size(int a, int b) { return a < b ? a : b; }

/* the guest maps VA_BASE + VA_OFF to FINAL_GPA with a page of gsize */
static void map_guest(tu_world *w, int gsize)
{
    uint64_t mask = tu_page_bytes(gsize) - 1;
    tu_guest_map(w, (VA_BASE + VA_OFF) & ~mask, FINAL_GPA & ~mask, gsize, TU_PWU);
    tu_host_cover(w, FINAL_GPA); /* the host page of the final gPA itself */
}

static void counts_native(void)
{
    /* literal counts from SPEC section 1: 4 (5), fewer for large pages */
    static const int want[2][3] = {{4, 3, 2}, {5, 4, 3}};
    for (int l5 = 0; l5 < 2; l5++)
        for (int size = 0; size < 3; size++) {
            int levels = 4 + l5;
            nwt_ctx("native levels=%d page=%s", levels, szn(size));
            nw_mem *m = nw_mem_new();
            tu_tables t = {m, 0x1000000, 0x2000000, 0};
            uint64_t root = tu_table_new(&t);
            uint64_t mask = tu_page_bytes(size) - 1;
            tu_map(&t, root, levels, (VA_BASE + VA_OFF) & ~mask,
                   FINAL_GPA & ~mask, size, TU_PWU);
            nw_state *s = nw_new(NW_FEAT_ALL);
            nw_reg_write(s, NW_REG_CTRL, l5 ? NW_CTRL_G5 : 0);
            nw_reg_write(s, NW_REG_GCR3, root);
            nw_result r;
            tu_walk(s, m, VA_BASE + VA_OFF, NW_ACC_READ, 0, &r);
            EXPECT_OK(&r, FINAL_GPA, size, 1, 1, 0, want[l5][size]);
            nw_free(s);
            nw_mem_free(m);
        }
}

/* Literal nested counts for a 4-level guest on a 4-level host,
 * [guest size][host size]: 24, 19, 14 / 19, 15, 11 / 14, 11, 8. */
static const int nested44[3][3] = {{24, 19, 14}, {19, 15, 11}, {14, 11, 8}};

static void counts_nested(void)
{
    for (int gl = 4; gl <= 5; gl++)
        for (int hl = 4; hl <= 5; hl++)
            for (int gsize = 0; gsize < 3; gsize++)
                for (int hsize = 0; hsize < 3; hsize++) {
                    nwt_ctx("nested guest %d-level %s, host %d-level %s", gl,
                            szn(gsize), hl, szn(hsize));
                    tu_world w;
                    tu_world_init(&w, gl, hl, hsize);
                    map_guest(&w, gsize);
                    nw_state *s = nw_new(NW_FEAT_ALL);
                    tu_world_regs(&w, s, NW_CTRL_VIRT);
                    int g = tu_steps(gl, gsize), h = tu_steps(hl, hsize);
                    int want = g * (h + 1) + h;
                    if (gl == 4 && hl == 4)
                        CHECK_EQ(want, nested44[gsize][hsize]);
                    if (gsize == 0 && hsize == 0)
                        CHECK_EQ(want, gl == 4 && hl == 4 ? 24
                                       : gl == 5 && hl == 5 ? 35 : 29);
                    nw_result r;
                    tu_walk(s, w.mem, VA_BASE + VA_OFF, NW_ACC_READ, 0, &r);
                    EXPECT_OK(&r, FINAL_GPA + TU_HOFF, min_size(gsize, hsize),
                              1, 1, 0, want);
                    nw_free(s);
                    tu_world_free(&w);
                }
}

/* Shadow (sw_level 0) and agile (switch at every possible level): the
 * same translation as nested, with fewer reads. */
static void counts_shadow_agile(void)
{
    /* SPEC section 1: 4-level: shadow 4, agile 8, 12, 16, 20;
     * 5-level guest and host: shadow 5, agile 10, 15, 20, 25, 30 */
    static const int lit4[] = {4, 0, 8, 12, 16, 20};
    static const int lit5[] = {5, 0, 10, 15, 20, 25, 30};
    for (int gl = 4; gl <= 5; gl++)
        for (int hl = 4; hl <= 5; hl++)
            for (int gsize = 0; gsize < 3; gsize++)
                for (int hsize = 0; hsize < 3; hsize++)
                    for (int j = 0; j <= gl + 1; j++) {
                        int leaf = gsize + 1;
                        if (j == 1 || (j >= 2 && j - 1 < leaf))
                            continue; /* no guest table at level j-1 */
                        nwt_ctx("guest %d-level %s, host %d-level %s, switch "
                                "level %d (0 = pure shadow, %d = SCR3)",
                                gl, szn(gsize), hl, szn(hsize), j, gl + 1);
                        tu_world w;
                        tu_world_init(&w, gl, hl, hsize);
                        map_guest(&w, gsize);
                        nw_state *s = nw_new(NW_FEAT_ALL);
                        tu_world_regs(&w, s, NW_CTRL_VIRT | NW_CTRL_SHADOW_EN);
                        int size = min_size(gsize, hsize);
                        int h = tu_steps(hl, hsize);
                        int want;
                        if (j == 0) {
                            uint64_t mask = tu_page_bytes(size) - 1;
                            tu_shadow_map(&w, (VA_BASE + VA_OFF) & ~mask,
                                          (FINAL_GPA + TU_HOFF) & ~mask, size,
                                          TU_PWU, 0);
                            want = tu_steps(gl, size);
                        } else {
                            uint64_t v = tu_shadow_map(&w, VA_BASE + VA_OFF, 0, 0,
                                                       0, j);
                            if (j == gl + 1)
                                nw_reg_write(s, NW_REG_SCR3, v);
                            /* shadow levels gl..j, the directly read guest
                             * entry at j-1, the guest levels below it each
                             * with its host walk, the final host walk */
                            want = (gl - j + 1) + 1 + (j - 1 - leaf) * (h + 1) + h;
                        }
                        if (gsize == 0 && hsize == 0 && gl == hl)
                            CHECK_EQ(want, gl == 4 ? lit4[j] : lit5[j]);
                        nw_result r;
                        tu_walk(s, w.mem, VA_BASE + VA_OFF, NW_ACC_READ, 0, &r);
                        EXPECT_OK(&r, FINAL_GPA + TU_HOFF, size, 1, 1, 0, want);
                        CHECK_EQ(nw_reg_read(s, NW_REG_COUNTERS + 8 * NW_CNT_SWITCHES),
                                 j ? 1 : 0);
                        nw_free(s);
                        tu_world_free(&w);
                    }
}

/* Segments: VMM direct walks only the guest tables (through the host
 * segment), guest direct only the host walk of the final gPA, dual direct
 * and the native direct segment nothing; a filter hit walks that
 * dimension. A segment translation is a 4 KiB page. */
static void counts_segments(void)
{
    for (int gl = 4; gl <= 5; gl++)
        for (int hl = 4; hl <= 5; hl++)
            for (int gsize = 0; gsize < 3; gsize++)
                for (int hsize = 0; hsize < 3; hsize++)
                    for (int mode = 0; mode < 6; mode++) {
                        static const char *mn[] = {
                            "vmm-direct", "guest-direct", "dual-direct",
                            "native-direct", "guest-escape", "host-escape"};
                        nwt_ctx("%s guest %d-level %s, host %d-level %s", mn[mode],
                                gl, szn(gsize), hl, szn(hsize));
                        tu_world w;
                        tu_world_init(&w, gl, hl, hsize);
                        map_guest(&w, gsize);
                        nw_state *s = nw_new(NW_FEAT_ALL);
                        uint64_t ctrl = NW_CTRL_VIRT;
                        int gseg = mode == 1 || mode == 2 || mode == 3 || mode == 4;
                        int hseg = mode == 0 || mode == 2 || mode == 5;
                        if (gseg)
                            ctrl |= NW_CTRL_GSEG_EN;
                        if (hseg)
                            ctrl |= NW_CTRL_HSEG_EN;
                        if (mode == 3)
                            ctrl &= ~(uint64_t)NW_CTRL_VIRT;
                        if (mode == 4)
                            ctrl |= NW_CTRL_GFILT_EN;
                        if (mode == 5)
                            ctrl |= NW_CTRL_HFILT_EN;
                        tu_world_regs(&w, s, ctrl);
                        nw_reg_write(s, NW_REG_GSEG_BASE, VA_BASE);
                        nw_reg_write(s, NW_REG_GSEG_LIMIT, VA_BASE + (1ull << 30));
                        nw_reg_write(s, NW_REG_GSEG_OFFSET, GPA_BASE - VA_BASE);
                        nw_reg_write(s, NW_REG_GSEG_ATTR, NW_PTE_W | NW_PTE_U);
                        nw_reg_write(s, NW_REG_HSEG_BASE, 0);
                        nw_reg_write(s, NW_REG_HSEG_LIMIT, 1ull << 52);
                        nw_reg_write(s, NW_REG_HSEG_OFFSET, TU_HOFF);
                        nw_reg_write(s, NW_REG_HSEG_ATTR, NW_PTE_W);
                        nw_reg_write(s, NW_REG_GFILT_INSERT, (VA_BASE + VA_OFF) >> 12);
                        nw_reg_write(s, NW_REG_HFILT_INSERT, FINAL_GPA >> 12);
                        int g = tu_steps(gl, gsize), h = tu_steps(hl, hsize);
                        int want, size = NW_SIZE_4K;
                        uint64_t pa = FINAL_GPA + TU_HOFF;
                        switch (mode) {
                        case 0: want = g; break;
                        case 1: want = h; break;
                        case 2: want = 0; break;
                        case 3: want = 0; pa = FINAL_GPA; break;
                        case 4: want = g * (h + 1) + h; size = min_size(gsize, hsize); break;
                        default: want = g + h; size = min_size(gsize, hsize); break;
                        }
                        /* SPEC section 1 literals for 4 KiB pages */
                        if (gsize == 0 && hsize == 0 && mode < 4)
                            CHECK_EQ(want, mode == 0 ? gl : mode == 1 ? hl : 0);
                        nw_result r;
                        tu_walk(s, w.mem, VA_BASE + VA_OFF, NW_ACC_READ, 0, &r);
                        EXPECT_OK(&r, pa, size, 1, 1, 0, want);
                        /* only a Dual Direct hit with the host filter off is
                           reported as one (the RTL answers it with no host step) */
                        CHECK_EQ(r.dual, mode == 2);
                        CHECK_EQ(r.gpas, mode == 3 ? 0 : mode == 1 || mode == 2 ? 1 : g + 1);
                        nw_free(s);
                        tu_world_free(&w);
                    }
}

void suite_counts(void)
{
    NWT_RUN(counts_native);
    NWT_RUN(counts_nested);
    NWT_RUN(counts_shadow_agile);
    NWT_RUN(counts_segments);
}
