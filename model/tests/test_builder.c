/*
 * test_builder.c: the page-table builder of nestwalk.h: the bump allocator,
 * nw_pt_map / nw_pt_lookup round trips (checked entry by entry with the
 * test's own reading of the tables), refused collisions, nw_pt_entry, and
 * nw_shadow_map composing shadow tables (pure and with SW at every level)
 * whose walks give the nested walk's translation with fewer reads.
 */
#include "tu.h"

#include <string.h>

static void builder_alloc(void)
{
    nw_mem *m = nw_mem_new();
    /* garbage where the pages will come from: they must be zeroed */
    for (uint64_t a = 0x10000; a < 0x13000; a += 8)
        nw_mem_write(m, a, 0xdeadbeefcafef00dull);
    nw_alloc al = {m, 0x10000, 0x13000};
    CHECK_EQ(nw_alloc_page(&al), 0x10000);
    CHECK_EQ(nw_alloc_page(&al), 0x11000);
    CHECK_EQ(nw_alloc_page(&al), 0x12000);
    CHECK_EQ(nw_alloc_page(&al), 0); /* exhausted */
    CHECK_EQ(nw_alloc_page(&al), 0);
    int nonzero = 0;
    for (uint64_t a = 0x10000; a < 0x13000; a += 8) {
        uint64_t v = 1;
        CHECK_MSG(nw_mem_read(m, a, &v) == 0, "allocated page unreadable at 0x%llx",
                  (unsigned long long)a);
        nonzero += v != 0;
    }
    CHECK_EQ(nonzero, 0);
    /* memory basics the builder relies on */
    uint64_t v;
    CHECK(nw_mem_read(m, 0x20000, &v) != 0);   /* never written: bus error */
    CHECK(!nw_mem_has_page(m, 0x20000));
    CHECK(nw_mem_has_page(m, 0x12ff8));
    nw_mem_write(m, 0x000ffffffffff000ull, 0x1234);
    CHECK(nw_mem_read(m, 0x000ffffffffff000ull, &v) == 0 && v == 0x1234);
    CHECK(nw_mem_read(m, 0x000ffffffffff008ull, &v) == 0 && v == 0);
    CHECK_EQ(nw_mem_pages(m), 4);
    nw_mem_free(m);
}

static void builder_map_lookup(void)
{
    uint64_t rng = nwt.seed ^ 0x6d6170;
    for (int levels = 4; levels <= 5; levels++) {
        nw_mem *m = nw_mem_new();
        nw_alloc al = {m, 0x1000000, 0x2000000};
        uint64_t root = nw_alloc_page(&al);
        tu_mapping maps[300];
        int n = tu_random_mappings(&rng, maps, 300, levels);
        CHECK(n > 200);
        for (int i = 0; i < n; i++) {
            nwt_ctx("levels %d, map va 0x%llx -> 0x%llx size %d (seed %llu)", levels,
                    (unsigned long long)maps[i].va, (unsigned long long)maps[i].pa,
                    maps[i].size, (unsigned long long)nwt.seed);
            CHECK_EQ(nw_pt_map(&al, root, levels, maps[i].va, maps[i].pa, maps[i].size,
                               maps[i].flags), 0);
        }
        tu_tables mine = {m, 0, 0, 0};
        nw_state *s = nw_new(NW_FEAT_ALL);
        nw_reg_write(s, NW_REG_CTRL, (levels == 5 ? NW_CTRL_G5 : 0) | NW_CTRL_NXE);
        nw_reg_write(s, NW_REG_GCR3, root);
        for (int i = 0; i < n; i++) {
            nwt_ctx("levels %d, lookup va 0x%llx (seed %llu)", levels,
                    (unsigned long long)maps[i].va, (unsigned long long)nwt.seed);
            uint64_t mask = tu_page_bytes(maps[i].size) - 1;
            uint64_t off = nw_splitmix64(&rng) & mask;
            uint64_t pa = 0, leaf = 0, tables[6];
            int size = -1;
            memset(tables, 0, sizeof tables);
            CHECK_EQ(nw_pt_lookup(m, root, levels, maps[i].va + off, &pa, &size, &leaf,
                                  tables), 0);
            CHECK_EQ(pa, maps[i].pa + off);
            CHECK_EQ(size, maps[i].size);
            CHECK_EQ(leaf, maps[i].pa | maps[i].flags | NW_PTE_P |
                               (maps[i].size ? NW_PTE_PS : 0));
            /* the tables on the way, by the test's own walk; each
             * intermediate entry is exactly table | P|W|U|A */
            for (int l = levels; l > maps[i].size; l--) {
                uint64_t t = tu_table_at(&mine, root, levels, maps[i].va, l);
                CHECK_EQ(tables[l], t);
                if (l > maps[i].size + 1) {
                    uint64_t e = tu_get(&mine, t | (uint64_t)tu_idx(maps[i].va, l) << 3);
                    CHECK_EQ(e & ~NW_PTE_ADDR, TU_PWU | NW_PTE_A);
                }
            }
            CHECK_EQ(tables[levels], root);
            /* the walker agrees */
            nw_result r;
            tu_walk(s, m, maps[i].va + off, NW_ACC_READ, 0, &r);
            EXPECT_OK(&r, maps[i].pa + off, maps[i].size, !!(maps[i].flags & NW_PTE_W),
                      !!(maps[i].flags & NW_PTE_U), !!(maps[i].flags & NW_PTE_XD),
                      levels - maps[i].size);
            /* and nw_pt_entry finds the leaf entry */
            uint64_t ea = nw_pt_entry(&al, root, levels, maps[i].va, maps[i].size + 1);
            CHECK_EQ(ea, tables[maps[i].size + 1] |
                             (uint64_t)tu_idx(maps[i].va, maps[i].size + 1) << 3);
        }
        /* unmapped addresses */
        uint64_t pa, leaf;
        int size;
        CHECK_EQ(nw_pt_lookup(m, root, levels, 0x00007f0000000000ull, &pa, &size, &leaf,
                              NULL), -1);
        nw_free(s);
        nw_mem_free(m);
    }
}

static void builder_collisions(void)
{
    nw_mem *m = nw_mem_new();
    nw_alloc al = {m, 0x1000000, 0x2000000};
    uint64_t root = nw_alloc_page(&al);
    uint64_t pa, leaf; /* nw_pt_lookup needs leaf; only table_at_level may be NULL */
    int size;
    CHECK_EQ(nw_pt_map(&al, root, 4, 0x40000000, 0x80000000, NW_SIZE_1G, 0), 0);
    CHECK_EQ(nw_pt_map(&al, root, 4, 0x00200000, 0x00400000, NW_SIZE_2M, 0), 0);
    CHECK_EQ(nw_pt_map(&al, root, 4, 0x00001000, 0x00005000, NW_SIZE_4K, 0), 0);
    /* a smaller page inside a larger one, and a larger page over a table */
    CHECK_EQ(nw_pt_map(&al, root, 4, 0x40201000, 0x1000, NW_SIZE_4K, 0), -1);
    CHECK_EQ(nw_pt_map(&al, root, 4, 0x40200000, 0x200000, NW_SIZE_2M, 0), -1);
    CHECK_EQ(nw_pt_map(&al, root, 4, 0x00203000, 0x1000, NW_SIZE_4K, 0), -1);
    CHECK_EQ(nw_pt_map(&al, root, 4, 0x00000000, 0x200000, NW_SIZE_2M, 0), -1);
    CHECK_EQ(nw_pt_map(&al, root, 4, 0x00000000, 0x40000000, NW_SIZE_1G, 0), -1);
    /* nothing changed */
    CHECK(nw_pt_lookup(m, root, 4, 0x40201234, &pa, &size, &leaf, NULL) == 0 &&
          pa == 0x80201234 && size == NW_SIZE_1G);
    CHECK(nw_pt_lookup(m, root, 4, 0x00203234, &pa, &size, &leaf, NULL) == 0 &&
          pa == 0x00403234 && size == NW_SIZE_2M);
    CHECK(nw_pt_lookup(m, root, 4, 0x00001234, &pa, &size, &leaf, NULL) == 0 &&
          pa == 0x00005234 && size == NW_SIZE_4K);
    /* the allocator running out */
    nw_alloc tiny = {m, 0x3000000, 0x3001000};
    uint64_t r2 = nw_alloc_page(&tiny);
    CHECK_EQ(nw_pt_map(&tiny, r2, 4, 0x1000, 0x1000, NW_SIZE_4K, 0), -1);
    CHECK_EQ(nw_pt_entry(&tiny, r2, 4, 0x1000, 1), 0);
    /* nw_pt_entry at the top level needs no allocation */
    CHECK_EQ(nw_pt_entry(&tiny, r2, 4, 0x0000ff8000000000ull, 4), r2 | 0xff8);
    nw_mem_free(m);
}

/* nw_shadow_map over random guest and host tables: pure shadow and agile
 * walks give the nested walk's translation, with the expected reads. */
static void builder_shadow_map(void)
{
    uint64_t rng = nwt.seed ^ 0x736864;
    for (int gl = 4; gl <= 5; gl++)
        for (int hl = 4; hl <= 5; hl++)
            for (int hsize = 0; hsize < 3; hsize++) {
                tu_world w;
                tu_world_init(&w, gl, hl, hsize);
                tu_mapping maps[40];
                int n = tu_random_mappings(&rng, maps, 40, gl);
                for (int i = 0; i < n; i++) {
                    /* gPAs below 64 GiB, the frame's host page mapped */
                    maps[i].pa &= 0xfffffffffull & ~(tu_page_bytes(maps[i].size) - 1);
                    tu_guest_map(&w, maps[i].va, maps[i].pa, maps[i].size, maps[i].flags);
                }
                nw_state *s = nw_new(NW_FEAT_ALL);
                for (int i = 0; i < n; i++) {
                    uint64_t mask = tu_page_bytes(maps[i].size) - 1;
                    uint64_t va = maps[i].va + (nw_splitmix64(&rng) & mask);
                    uint64_t gpa = maps[i].pa + (va & mask);
                    tu_host_cover(&w, gpa);
                    /* the host leaf of the final gPA: W taken away or XD
                     * added at random (U is never looked at by the host);
                     * the shadow leaf must combine them */
                    uint64_t ht = tu_table_at(&w.h, w.hcr3, hl, gpa, hsize + 1);
                    uint64_t hea = ht | (uint64_t)tu_idx(gpa, hsize + 1) << 3;
                    uint64_t hv = tu_get(&w.h, hea);
                    uint64_t pick = tu_below(&rng, 4);
                    if (pick == 1)
                        hv &= ~(NW_PTE_W | NW_PTE_U);
                    else if (pick == 2)
                        hv |= NW_PTE_XD;
                    nw_mem_write(w.mem, hea, hv);
                    /* the reference: a nested walk */
                    tu_world_regs(&w, s, NW_CTRL_VIRT | NW_CTRL_NXE);
                    nw_result nested;
                    tu_walk(s, w.mem, va, NW_ACC_READ, 0, &nested);
                    int size = maps[i].size < hsize ? maps[i].size : hsize;
                    nwt_ctx("guest %d-level, host %d-level %d, va 0x%llx size %d (seed %llu)",
                            gl, hl, hsize, (unsigned long long)va, maps[i].size,
                            (unsigned long long)nwt.seed);
                    int g = tu_steps(gl, maps[i].size), h = tu_steps(hl, hsize);
                    EXPECT_OK(&nested, gpa + TU_HOFF, size,
                              !!(maps[i].flags & NW_PTE_W) && !!(hv & NW_PTE_W),
                              !!(maps[i].flags & NW_PTE_U),
                              !!(maps[i].flags & NW_PTE_XD) || !!(hv & NW_PTE_XD),
                              g * (h + 1) + h);
                    for (int j = 0; j <= gl + 1; j++) {
                        if (j == 1 || (j >= 2 && j - 1 <= maps[i].size))
                            continue;
                        nwt_ctx("nw_shadow_map sw_level %d, guest %d-level, host %d-level "
                                "%d, va 0x%llx size %d (seed %llu)", j, gl, hl, hsize,
                                (unsigned long long)va, maps[i].size,
                                (unsigned long long)nwt.seed);
                        nw_alloc al = {w.mem, TU_ST_BASE + 0x1000000 * (uint64_t)(j + 1),
                                       TU_ST_BASE + 0x1000000 * (uint64_t)(j + 2)};
                        uint64_t scr3 = nw_alloc_page(&al);
                        if (j == gl + 1) /* SW in SCR3: the guest root's hPA */
                            scr3 = (w.gcr3 + TU_HOFF) | NW_PTE_SW;
                        else
                            CHECK_EQ(nw_shadow_map(&al, scr3, w.gcr3, gl, w.hcr3, hl, va, j),
                                     0);
                        tu_world_regs(&w, s, NW_CTRL_VIRT | NW_CTRL_SHADOW_EN | NW_CTRL_NXE);
                        nw_reg_write(s, NW_REG_SCR3, scr3);
                        nw_result r;
                        tu_walk(s, w.mem, va, NW_ACC_READ, 0, &r);
                        int want = j == 0 ? tu_steps(gl, size)
                                          : (gl - j + 1) + 1 +
                                                (j - 1 - (maps[i].size + 1)) * (h + 1) + h;
                        EXPECT_OK(&r, nested.pa, nested.size, nested.w, nested.u, nested.xd,
                                  want);
                        CHECK(r.refs <= nested.refs);
                    }
                }
                /* unmapped in the guest, or in the host: -1 */
                nw_alloc al = {w.mem, TU_ST_BASE + 0x20000000, TU_ST_BASE + 0x21000000};
                uint64_t sroot = nw_alloc_page(&al);
                nwt_ctx("nw_shadow_map of unmapped addresses");
                CHECK_EQ(nw_shadow_map(&al, sroot, w.gcr3, gl, w.hcr3, hl,
                                       0x00007ff000000000ull, 0), -1);
                tu_guest_map(&w, 0x00007ff000000000ull, 0x0000007000000000ull, NW_SIZE_4K,
                             TU_PWU);
                /* tu_guest_map covered the frame; take it away again */
                int hlev = hsize + 1;
                uint64_t ht = tu_table_at(&w.h, w.hcr3, hl, 0x0000007000000000ull, hlev);
                nw_mem_write(w.mem, ht | (uint64_t)tu_idx(0x0000007000000000ull, hlev) << 3, 0);
                CHECK_EQ(nw_shadow_map(&al, sroot, w.gcr3, gl, w.hcr3, hl,
                                       0x00007ff000000000ull, 0), -1);
                nw_free(s);
                tu_world_free(&w);
            }
}

void suite_builder(void)
{
    NWT_RUN(builder_alloc);
    NWT_RUN(builder_map_lookup);
    NWT_RUN(builder_collisions);
    NWT_RUN(builder_shadow_map);
}
