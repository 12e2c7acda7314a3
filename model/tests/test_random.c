/*
 * test_random.c: random guest tables (mixed page sizes and flags, built
 * with the model's nw_pt_map in guest-physical space and then placed in
 * host memory at their hPAs) over random host tables (page sizes mixed
 * per GiB and per 2 MiB, hPA = gPA + TU_HOFF), walked in every mode.
 * Nested, shadow, agile (every switch level), VMM direct, guest direct
 * and dual direct must give the same translation where they should, each
 * with the read count worked out from the tables; guest and host filters
 * with random pages must never change a translation, only its reads.
 * Seeded from --seed; every failure prints the seed.
 */
#include "tu.h"

#define GT_BASE 0x100000ull   /* guest table gPAs */
#define GT_END  0x2100000ull
#define HT_BASE 0x100000000ull
#define ST_BASE 0x180000000ull

typedef struct {
    nw_mem *hmem, *gmem;
    int gl, hl;
    uint64_t gcr3, hcr3, sizeseed;
    nw_alloc ga, ha;
} rw;

static uint64_t mix(uint64_t x)
{
    uint64_t r = x;
    return nw_splitmix64(&r);
}

/* The host page size at gpa: per GiB 1G, 2M, 4K, or mixed per 2 MiB. */
static int hsize_at(const rw *w, uint64_t gpa)
{
    uint64_t c = mix(w->sizeseed ^ (gpa >> 30)) % 4;
    if (c < 3)
        return (int)(2 - c);
    return (int)(mix(w->sizeseed ^ 0x5a5a ^ (gpa >> 21)) % 2);
}

static int hsteps(const rw *w, uint64_t gpa)
{
    return tu_steps(w->hl, hsize_at(w, gpa));
}

static void cover(rw *w, uint64_t gpa)
{
    uint64_t pa, leaf;
    int size;
    if (nw_pt_lookup(w->hmem, w->hcr3, w->hl, gpa, &pa, &size, &leaf, NULL) == 0)
        return;
    int hs = hsize_at(w, gpa);
    uint64_t base = gpa & ~(tu_page_bytes(hs) - 1);
    CHECK_MSG(nw_pt_map(&w->ha, w->hcr3, w->hl, base, base + TU_HOFF, hs, TU_PWU) == 0,
              "host nw_pt_map of gPA 0x%llx failed", (unsigned long long)base);
}

static void rw_init(rw *w, uint64_t *rng, int gl, int hl)
{
    w->hmem = nw_mem_new();
    w->gmem = nw_mem_new();
    w->gl = gl;
    w->hl = hl;
    w->sizeseed = nw_splitmix64(rng);
    w->ga = (nw_alloc){w->gmem, GT_BASE, GT_END};
    w->ha = (nw_alloc){w->hmem, HT_BASE, HT_BASE + 0x4000000};
    w->gcr3 = nw_alloc_page(&w->ga);
    w->hcr3 = nw_alloc_page(&w->ha);
}

/* copy every guest table page to host memory at its hPA */
static void rw_place(rw *w)
{
    for (uint64_t p = GT_BASE; p < w->ga.next; p += 0x1000) {
        cover(w, p);
        for (uint64_t o = 0; o < 0x1000; o += 8) {
            uint64_t v = 0;
            nw_mem_read(w->gmem, p + o, &v);
            nw_mem_write(w->hmem, p + o + TU_HOFF, v);
        }
    }
}

static void rw_free(rw *w)
{
    nw_mem_free(w->hmem);
    nw_mem_free(w->gmem);
}

/* gPA of va's guest entry at level, from the test's own walk of gmem */
static uint64_t gentry(rw *w, uint64_t va, int level)
{
    tu_tables t = {w->gmem, 0, 0, 0};
    return tu_table_at(&t, w->gcr3, w->gl, va, level) | (uint64_t)tu_idx(va, level) << 3;
}

/* does the host filter (words hf) hit page? */
static int hhit(const uint64_t hf[4], uint64_t page)
{
    int hit = 1;
    for (int j = 0; j < 4; j++) {
        unsigned b = tu_h3(j, page);
        hit &= (int)(hf[b / 64] >> (b % 64) & 1);
    }
    return hit;
}

static void regs(rw *w, nw_state *s, uint64_t ctrl)
{
    nw_reg_write(s, NW_REG_CTRL, ctrl | NW_CTRL_NXE | (w->gl == 5 ? NW_CTRL_G5 : 0) |
                                     (w->hl == 5 ? NW_CTRL_H5 : 0));
    nw_reg_write(s, NW_REG_GCR3, w->gcr3);
    nw_reg_write(s, NW_REG_HCR3, w->hcr3);
    nw_reg_write(s, NW_REG_GSEG_ATTR, NW_PTE_W | NW_PTE_U);
    nw_reg_write(s, NW_REG_HSEG_ATTR, NW_PTE_W);
    nw_reg_write(s, NW_REG_HSEG_BASE, 0);
    nw_reg_write(s, NW_REG_HSEG_LIMIT, 1ull << 52);
    nw_reg_write(s, NW_REG_HSEG_OFFSET, TU_HOFF);
}

static void random_modes_agree(void)
{
    uint64_t rng = nwt.seed ^ 0x72616e64;
    for (int world = 0; world < 8; world++) {
        int gl = 4 + (world & 1), hl = 4 + (world >> 1 & 1);
        rw w;
        rw_init(&w, &rng, gl, hl);
        tu_mapping maps[150];
        int n = tu_random_mappings(&rng, maps, 150, gl);
        for (int i = 0; i < n; i++) {
            maps[i].pa &= 0xfffffffffull & ~(tu_page_bytes(maps[i].size) - 1);
            CHECK_EQ(nw_pt_map(&w.ga, w.gcr3, gl, maps[i].va, maps[i].pa, maps[i].size,
                               maps[i].flags), 0);
        }
        rw_place(&w);
        nw_state *s = nw_new(NW_FEAT_ALL);
        for (int i = 0; i < n; i++) {
            tu_mapping *m = &maps[i];
            uint64_t mask = tu_page_bytes(m->size) - 1;
            uint64_t va = m->va + (nw_splitmix64(&rng) & mask);
            uint64_t gpa = m->pa + (va & mask);
            cover(&w, gpa);
            int hs = hsize_at(&w, gpa);
            int size = m->size < hs ? m->size : hs;
            int gw = !!(m->flags & NW_PTE_W), gu = !!(m->flags & NW_PTE_U);
            int gxd = !!(m->flags & NW_PTE_XD);
            int leaf = m->size + 1;
            int hfin = hsteps(&w, gpa);
            int hreads[6] = {0};
            for (int l = gl; l >= leaf; l--)
                hreads[l] = hsteps(&w, gentry(&w, va, l));
            nw_result r;
            const char *ctx = "world %d (guest %d-level, host %d-level), va 0x%llx -> gPA "
                              "0x%llx, guest %s, host %s, %s (seed %llu)";
            static const char *sz[] = {"4K", "2M", "1G"};
#define CTX(mode) nwt_ctx(ctx, world, gl, hl, (unsigned long long)va,                \
                          (unsigned long long)gpa, sz[m->size], sz[hs], mode,          \
                          (unsigned long long)nwt.seed)

            CTX("nested");
            regs(&w, s, NW_CTRL_VIRT);
            tu_walk(s, w.hmem, va, NW_ACC_READ, 0, &r);
            int want = hfin;
            for (int l = gl; l >= leaf; l--)
                want += hreads[l] + 1;
            EXPECT_OK(&r, gpa + TU_HOFF, size, gw, gu, gxd, want);

            CTX("shadow");
            nw_alloc sa = {w.hmem, ST_BASE, ST_BASE + 0x1000000};
            uint64_t sroot = nw_alloc_page(&sa);
            CHECK_EQ(nw_shadow_map(&sa, sroot, w.gcr3, gl, w.hcr3, hl, va, 0), 0);
            regs(&w, s, NW_CTRL_VIRT | NW_CTRL_SHADOW_EN);
            nw_reg_write(s, NW_REG_SCR3, sroot);
            tu_walk(s, w.hmem, va, NW_ACC_READ, 0, &r);
            EXPECT_OK(&r, gpa + TU_HOFF, size, gw, gu, gxd, gl - size);

            for (int j = leaf + 1; j <= gl + 1; j++) {
                char mode[40];
                snprintf(mode, sizeof mode, "agile, switch at %d", j);
                CTX(mode);
                uint64_t scr3;
                if (j == gl + 1) {
                    scr3 = (w.gcr3 + TU_HOFF) | NW_PTE_SW;
                } else {
                    nw_alloc aa = {w.hmem, ST_BASE + 0x1000000, ST_BASE + 0x2000000};
                    scr3 = nw_alloc_page(&aa);
                    CHECK_EQ(nw_shadow_map(&aa, scr3, w.gcr3, gl, w.hcr3, hl, va, j), 0);
                }
                regs(&w, s, NW_CTRL_VIRT | NW_CTRL_SHADOW_EN);
                nw_reg_write(s, NW_REG_SCR3, scr3);
                tu_walk(s, w.hmem, va, NW_ACC_READ, 0, &r);
                /* shadow levels gl..j, the guest entry at j-1 read
                 * directly, the guest levels below each with its host
                 * walk, the host walk of the final gPA */
                want = (gl - j + 1) + 1 + hfin;
                for (int l = j - 2; l >= leaf; l--)
                    want += hreads[l] + 1;
                EXPECT_OK(&r, gpa + TU_HOFF, size, gw, gu, gxd, want);
            }

            CTX("vmm-direct");
            regs(&w, s, NW_CTRL_VIRT | NW_CTRL_HSEG_EN);
            tu_walk(s, w.hmem, va, NW_ACC_READ, 0, &r);
            EXPECT_OK(&r, gpa + TU_HOFF, NW_SIZE_4K, gw, gu, gxd, gl - m->size);

            CTX("guest-direct");
            regs(&w, s, NW_CTRL_VIRT | NW_CTRL_GSEG_EN);
            nw_reg_write(s, NW_REG_GSEG_BASE, va);
            nw_reg_write(s, NW_REG_GSEG_LIMIT, va + 0x1000);
            nw_reg_write(s, NW_REG_GSEG_OFFSET, (gpa & ~0xfffull) - (va & ~0xfffull));
            tu_walk(s, w.hmem, va, NW_ACC_READ, 0, &r);
            EXPECT_OK(&r, gpa + TU_HOFF, NW_SIZE_4K, 1, 1, 0, hfin);

            CTX("dual-direct");
            regs(&w, s, NW_CTRL_VIRT | NW_CTRL_GSEG_EN | NW_CTRL_HSEG_EN);
            tu_walk(s, w.hmem, va, NW_ACC_READ, 0, &r);
            EXPECT_OK(&r, gpa + TU_HOFF, NW_SIZE_4K, 1, 1, 0, 0);
#undef CTX
        }
        nw_free(s);
        rw_free(&w);
    }
}

/* A linear guest region (va VB.. -> gPA GB.., 2M and 4K pages mixed) under
 * a guest segment with the same offset, and a host segment agreeing with
 * the host tables: with random pages in both filters every access gives
 * the same hPA, and reads exactly as the filters (checked with the SPEC's
 * H3 here) say. */
static void random_filters_never_change_translation(void)
{
    uint64_t rng = nwt.seed ^ 0x66696c74;
    const uint64_t VB = 0x0000123400000000ull, GB = 0x0000000240000000ull;
    const uint64_t LEN = 64ull << 20;
    for (int world = 0; world < 4; world++) {
        int gl = 4 + (world & 1), hl = 4 + (world >> 1);
        rw w;
        rw_init(&w, &rng, gl, hl);
        /* the region: each 2 MiB either one 2M page or 512 4K pages */
        int big[32];
        for (uint64_t c = 0; c < LEN >> 21; c++) {
            big[c] = (int)tu_below(&rng, 2);
            if (big[c])
                CHECK_EQ(nw_pt_map(&w.ga, w.gcr3, gl, VB + (c << 21), GB + (c << 21),
                                   NW_SIZE_2M, NW_PTE_W | NW_PTE_U), 0);
            else
                for (uint64_t p = 0; p < 512; p++)
                    CHECK_EQ(nw_pt_map(&w.ga, w.gcr3, gl, VB + (c << 21) + (p << 12),
                                       GB + (c << 21) + (p << 12), NW_SIZE_4K,
                                       NW_PTE_W | NW_PTE_U), 0);
        }
        rw_place(&w);
        nw_state *s = nw_new(NW_FEAT_ALL);
        regs(&w, s, NW_CTRL_VIRT | NW_CTRL_GSEG_EN | NW_CTRL_HSEG_EN | NW_CTRL_GFILT_EN |
                        NW_CTRL_HFILT_EN);
        nw_reg_write(s, NW_REG_GSEG_BASE, VB);
        nw_reg_write(s, NW_REG_GSEG_LIMIT, VB + LEN);
        nw_reg_write(s, NW_REG_GSEG_OFFSET, GB - VB);
        /* filters with 24 random pages of the region each, and the
         * filter bits as the SPEC's H3 sets them */
        uint64_t gf[4] = {0}, hf[4] = {0};
        for (int i = 0; i < 24; i++) {
            uint64_t gp = (VB >> 12) + tu_below(&rng, LEN >> 12);
            uint64_t hp = (GB >> 12) + tu_below(&rng, LEN >> 12);
            if (i < 4) /* and a few guest table pages for the host filter */
                hp = (GT_BASE >> 12) + tu_below(&rng, (w.ga.next - GT_BASE) >> 12);
            nw_reg_write(s, NW_REG_GFILT_INSERT, gp);
            nw_reg_write(s, NW_REG_HFILT_INSERT, hp);
            for (int j = 0; j < 4; j++) {
                unsigned b = tu_h3(j, gp), c = tu_h3(j, hp);
                gf[b / 64] |= 1ull << (b % 64);
                hf[c / 64] |= 1ull << (c % 64);
            }
        }
        for (int k = 0; k < 4; k++) {
            CHECK_EQ(nw_reg_read(s, NW_REG_GFILT + 8u * (unsigned)k), gf[k]);
            CHECK_EQ(nw_reg_read(s, NW_REG_HFILT + 8u * (unsigned)k), hf[k]);
        }
        int escapes = 0;
        for (int i = 0; i < 400; i++) {
            uint64_t off = tu_below(&rng, LEN);
            uint64_t va = VB + off, gpa = GB + off;
            /* every fourth access first puts its page in the guest
             * filter, so escapes happen for sure */
            if (i % 4 == 0) {
                uint64_t p = (va >> 12);
                nw_reg_write(s, NW_REG_GFILT_INSERT, p);
                for (int j = 0; j < 4; j++) {
                    unsigned b = tu_h3(j, p);
                    gf[b / 64] |= 1ull << (b % 64);
                }
            }
            cover(&w, gpa);
            int hit_g = 1, leaf = big[off >> 21] ? 2 : 1;
            for (int j = 0; j < 4; j++) {
                unsigned b = tu_h3(j, va >> 12);
                hit_g &= (int)(gf[b / 64] >> (b % 64) & 1);
            }
            /* host: every gPA that is translated escapes when its page
             * hits the host filter */
#define HHIT(x) hhit(hf, (x) >> 12)
            int want = 0, size = NW_SIZE_4K;
            int hfin = HHIT(gpa) ? hsteps(&w, gpa) : 0;
            if (hit_g) {
                escapes++;
                for (int l = gl; l >= leaf; l--) {
                    uint64_t e = gentry(&w, va, l);
                    want += (HHIT(e) ? hsteps(&w, e) : 0) + 1;
                }
                /* the page size: the smaller of the guest's and the host's,
                 * which is 4K when the host segment translated the final
                 * gPA (no host escape) */
                size = leaf - 1;
                if (!HHIT(gpa))
                    size = NW_SIZE_4K;
                else if (hsize_at(&w, gpa) < size)
                    size = hsize_at(&w, gpa);
            }
            want += hfin;
            nwt_ctx("world %d, va 0x%llx, guest filter %s, host filter (final) %s (seed %llu)",
                    world, (unsigned long long)va, hit_g ? "hit" : "miss",
                    HHIT(gpa) ? "hit" : "miss", (unsigned long long)nwt.seed);
            nw_result r;
            tu_walk(s, w.hmem, va, NW_ACC_READ, 0, &r);
            EXPECT_OK(&r, gpa + TU_HOFF, size, 1, 1, 0, want);
#undef HHIT
        }
        CHECK(escapes >= 100);
        nw_free(s);
        rw_free(&w);
    }
}

void suite_random(void)
{
    NWT_RUN(random_modes_agree);
    NWT_RUN(random_filters_never_change_translation);
}
