/*
 * test_dmt_random.c: DMT (SPEC section 10) against the plain walk.
 *
 * Random worlds: guest areas of 2 MiB regions mapped by 4 KiB pages, by a
 * 2 MiB page (the fall-back finds it) or not at all, whose level-1 tables
 * are then laid out as a TEA by the builder (nw_pt_tea), as an OS keeping
 * TEAs does, with more 4 KiB pages mapped after that into the TEA. Guest
 * windows over the areas, over parts of them, and a decoy window over a
 * wider range whose TEA is all zeros; natively, or under a host whose
 * windows cover guest memory (the guest's tables and TEAs included) with
 * some host regions mapped by 2 MiB pages; guest TEAs at gPAs or, with PV,
 * at their hPAs. Every translation with DMT on equals the plain walk's
 * (every field but the reads); with no fall-back it takes no more reads than
 * the plain walk, natively a fall-back exactly one more. Seeded from
 * --seed (printed).
 *
 * Then the Linux fixture: its largest area of 4 KiB pages and its direct
 * map rebuilt as TEAs; every translation QEMU lists is unchanged, in one
 * read in the 4 KiB area.
 */
#define _POSIX_C_SOURCE 200809L
#include "tu.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define GMEM     0x2000000ull   /* 32 MiB of guest memory */
#define GT_END   0x800000ull    /* guest tables and TEAs below, frames above */
#define HOFF     0x100000000ull /* hPA = gPA + 4 GiB */
#define REGION   0x200000ull
#define WORLDS   40
#define REQUESTS 3000

typedef struct {
    uint64_t va;
    int regions;
} area;

typedef struct {
    nw_mem *gmem, *host;
    int virt, glevels, hlevels, wc;
    uint64_t gcr3, hcr3, ctrl;
    area a[3];
    int nareas;
    uint64_t decoy_base, decoy_limit;
    uint64_t gwin[4][3], hwin[4][3]; /* BASE, LIMIT, TEA; LIMIT 0 unused */
} world;

static uint64_t frame(uint64_t *r, int size)
{
    uint64_t n = tu_page_bytes(size);
    return GT_END + tu_below(r, (GMEM - GT_END) / n) * n;
}

static uint64_t leaf_flags(uint64_t *r)
{
    return (tu_below(r, 4) ? NW_PTE_W : 0) | (tu_below(r, 4) ? NW_PTE_U : 0) |
           (tu_below(r, 4) ? 0 : NW_PTE_XD) | NW_PTE_A;
}

/* An area's regions: 4 KiB pages (half of them mapped after the TEA is
 * laid out, into it), a 2 MiB page, or nothing; then the TEA. */
static uint64_t build_area(world *w, nw_alloc *ga, uint64_t *r, const area *ar)
{
    int bad = 0;
    uint64_t late[8 * 64][2];
    int nlate = 0;
    for (int i = 0; i < ar->regions; i++) {
        uint64_t base = ar->va + (uint64_t)i * REGION;
        unsigned kind = (unsigned)tu_below(r, 6);
        if (kind == 0)
            bad |= nw_pt_map(ga, w->gcr3, w->glevels, base, frame(r, NW_SIZE_2M), NW_SIZE_2M,
                             leaf_flags(r));
        for (int k = 0; kind >= 2 && k < 128; k++) {
            uint64_t va = base + tu_below(r, 512) * 4096;
            if (k % 2 == 0)
                bad |= nw_pt_map(ga, w->gcr3, w->glevels, va, frame(r, NW_SIZE_4K), NW_SIZE_4K,
                                 leaf_flags(r));
            else {
                late[nlate][0] = va;
                late[nlate++][1] = frame(r, NW_SIZE_4K);
            }
        }
    }
    uint64_t tea;
    bad |= nw_pt_tea(ga, w->gcr3, w->glevels, ar->va, (uint64_t)ar->regions * REGION, &tea);
    for (int k = 0; k < nlate; k++)
        bad |= nw_pt_map(ga, w->gcr3, w->glevels, late[k][0], late[k][1], NW_SIZE_4K,
                         leaf_flags(r));
    CHECK_MSG(!bad, "building area 0x%llx failed", (unsigned long long)ar->va);
    return tea;
}

static void set_window(uint64_t win[3], uint64_t base, uint64_t limit, uint64_t tea)
{
    win[0] = base;
    win[1] = limit;
    win[2] = tea;
}

static void build_world(world *w, uint64_t *r)
{
    memset(w, 0, sizeof *w);
    w->virt = (int)tu_below(r, 3) != 0;
    w->glevels = tu_below(r, 3) ? 4 : 5;
    w->hlevels = tu_below(r, 3) ? 4 : 5;
    w->wc = tu_below(r, 3) == 0;
    w->gmem = nw_mem_new();
    nw_alloc ga = {w->gmem, 0x100000, GT_END};
    w->gcr3 = nw_alloc_page(&ga);
    w->nareas = 1 + (int)tu_below(r, 3);
    uint64_t span = w->glevels == 5 ? 1ull << 56 : 1ull << 47;
    uint64_t tea[3];
    for (int i = 0; i < w->nareas; i++) {
        /* areas apart from each other, in the lower half or (sign-extended)
           the upper half */
        uint64_t va = (tu_below(r, span / (64 * REGION)) * 64 + (uint64_t)i * 16) * REGION;
        if (tu_below(r, 4) == 0)
            va |= ~(span - 1);
        w->a[i] = (area){va, 2 + (int)tu_below(r, 7)}; /* at most 8 regions */
        tea[i] = build_area(w, &ga, r, &w->a[i]);
    }
    /* the decoy: sixteen regions around area 0, a TEA of zeros */
    w->decoy_base = w->a[0].va - 4 * REGION;
    w->decoy_limit = w->decoy_base + 16 * REGION;
    uint64_t zeros = ga.next;
    for (int i = 0; i < 16; i++)
        nw_alloc_page(&ga);
    /* the windows, in a random order: each area's, a sub-window of area 0
       (the TEA pages from its region j on), the decoy */
    uint64_t cand[5][3];
    int n = 0;
    for (int i = 0; i < w->nareas; i++) {
        uint64_t t = tea[i];
        if (w->virt && tu_below(r, 2))
            t = (t + HOFF) | 1; /* PV: the host maps guest memory linearly */
        set_window(cand[n++], w->a[i].va, w->a[i].va + (uint64_t)w->a[i].regions * REGION, t);
    }
    uint64_t j = tu_below(r, (uint64_t)w->a[0].regions);
    set_window(cand[n++], w->a[0].va + j * REGION, cand[0][1], tea[0] + j * 4096);
    set_window(cand[n++], w->decoy_base, w->decoy_limit, zeros);
    for (int k = 0; k < 4 && n; k++) {
        int pick = (int)tu_below(r, (uint64_t)n);
        memcpy(w->gwin[k], cand[pick], sizeof cand[pick]);
        memmove(cand[pick], cand[pick + 1], (size_t)(n - pick - 1) * sizeof cand[0]);
        n--;
    }
    w->ctrl = NW_CTRL_GDMT_EN | (tu_below(r, 2) ? NW_CTRL_NXE : 0) |
              (tu_below(r, 2) ? NW_CTRL_WP : 0) | (w->glevels == 5 ? NW_CTRL_G5 : 0);
    if (!w->virt) {
        w->host = w->gmem;
        return;
    }
    w->host = nw_mem_new();
    nw_mem_copy(w->host, w->gmem, HOFF);
    nw_alloc ha = {w->host, 0x100000, 0x4000000};
    w->hcr3 = nw_alloc_page(&ha);
    int bad = 0;
    for (uint64_t g = 0; g < GMEM; g += REGION) {
        if (tu_below(r, 8) == 0) {
            bad |= nw_pt_map(&ha, w->hcr3, w->hlevels, g, g + HOFF, NW_SIZE_2M, NW_PTE_W | NW_PTE_A);
            continue;
        }
        for (uint64_t p = g; p < g + REGION; p += 4096)
            bad |= nw_pt_map(&ha, w->hcr3, w->hlevels, p, p + HOFF, NW_SIZE_4K,
                             (tu_below(r, 8) ? NW_PTE_W : 0) | NW_PTE_A);
    }
    uint64_t htea;
    bad |= nw_pt_tea(&ha, w->hcr3, w->hlevels, 0, GMEM, &htea);
    CHECK_MSG(!bad, "building the host failed");
    /* host windows over the guest's tables and TEAs, over its frames, and
       sometimes one over all of it below them */
    set_window(w->hwin[0], 0, GT_END, htea);
    set_window(w->hwin[1], GT_END, GMEM, htea + GT_END / REGION * 4096);
    if (tu_below(r, 2))
        set_window(w->hwin[2], 0, GMEM, htea);
    w->ctrl |= NW_CTRL_VIRT | NW_CTRL_HDMT_EN | (w->hlevels == 5 ? NW_CTRL_H5 : 0);
}

static nw_state *walker(const world *w, uint64_t ctrl)
{
    nw_state *s = nw_new(NW_FEAT_ALL);
    nw_reg_write(s, NW_REG_GCR3, w->gcr3);
    nw_reg_write(s, NW_REG_HCR3, w->hcr3);
    for (int k = 0; k < 4; k++)
        for (int f = 0; f < 3; f++) {
            nw_reg_write(s, NW_REG_GDMT_BASE(k) + 8u * (unsigned)f, w->gwin[k][f]);
            nw_reg_write(s, NW_REG_HDMT_BASE(k) + 8u * (unsigned)f, w->hwin[k][f]);
        }
    nw_reg_write(s, NW_REG_CTRL, ctrl | (w->wc ? NW_CTRL_WC_EN : 0));
    return s;
}

static uint64_t random_va(const world *w, uint64_t *r)
{
    unsigned k = (unsigned)tu_below(r, 10);
    uint64_t off = tu_below(r, 4096);
    if (k < 7) {
        const area *a = &w->a[tu_below(r, (uint64_t)w->nareas)];
        return a->va + tu_below(r, (uint64_t)a->regions * 512) * 4096 + off;
    }
    return w->decoy_base + tu_below(r, 16 * 512) * 4096 + off;
}

static uint64_t counter(nw_state *s, int k)
{
    return nw_reg_read(s, NW_REG_COUNTERS + 8u * (unsigned)k);
}

static void dmt_random_worlds(void)
{
    uint64_t rng = nwt.seed ^ 0x646d74, hits = 0, fallbacks = 0, fewer = 0, ok = 0, n = 0;
    for (int wi = 0; wi < WORLDS; wi++) {
        world w;
        build_world(&w, &rng);
        nw_state *d = walker(&w, w.ctrl);
        nw_state *p = walker(&w, w.ctrl & ~(uint64_t)(NW_CTRL_GDMT_EN | NW_CTRL_HDMT_EN));
        for (int i = 0; i < REQUESTS; i++) {
            nw_request q = {random_va(&w, &rng), (int)tu_below(&rng, 3), (int)tu_below(&rng, 2)};
            uint64_t fb0 = counter(d, NW_CNT_DMT_FALLBACKS);
            nw_result a, b;
            nw_translate(d, &q, nw_mem_read, w.host, &a);
            nw_translate(p, &q, nw_mem_read, w.host, &b);
            uint64_t fb = counter(d, NW_CNT_DMT_FALLBACKS) - fb0;
            nwt_ctx("seed %llu world %d (virt %d, %d/%d levels, wc %d) va 0x%llx access %d "
                    "user %d", (unsigned long long)nwt.seed, wi, w.virt, w.glevels, w.hlevels,
                    w.wc, (unsigned long long)q.va, q.access, q.user);
            CHECK_MSG(a.status == b.status && a.reason == b.reason && a.level == b.level &&
                          a.pa == b.pa && a.size == b.size && a.w == b.w && a.u == b.u &&
                          a.xd == b.xd && a.pferr == b.pferr && a.fault_gpa == b.fault_gpa &&
                          a.gpt == b.gpt,
                      "DMT %s 0x%llx size %d level %d, plain walk %s 0x%llx size %d level %d",
                      nw_status_name(a.status), (unsigned long long)a.pa, a.size, a.level,
                      nw_status_name(b.status), (unsigned long long)b.pa, b.size, b.level);
            /* with every DMT read a hit, never more reads; natively a
               fall-back costs its one read (in a VM also the host's
               translation of a guest TEA entry's gPA: not bounded here) */
            if (!w.wc && (!fb || !w.virt))
                CHECK_MSG(fb ? (uint64_t)a.refs == (uint64_t)b.refs + fb : a.refs <= b.refs,
                          "DMT %d reads, plain walk %d, %llu fall-backs", a.refs, b.refs,
                          (unsigned long long)fb);
            fewer += a.refs < b.refs;
            ok += a.status == NW_OK;
            n++;
        }
        hits += counter(d, NW_CNT_DMT_HITS);
        fallbacks += counter(d, NW_CNT_DMT_FALLBACKS);
        nw_free(d);
        nw_free(p);
        if (w.host != w.gmem)
            nw_mem_free(w.host);
        nw_mem_free(w.gmem);
    }
    nwt_ctx("seed %llu", (unsigned long long)nwt.seed);
    /* the worlds reach both ends of the step, and mapped pages */
    CHECK(hits > n / 4 && fallbacks > n / 20 && ok > n / 10);
    printf("    dmt_random: %llu requests in %d worlds, %llu ok, %llu DMT hits, %llu fall-backs, "
           "%llu with fewer reads (seed %llu)\n", (unsigned long long)n, WORLDS,
           (unsigned long long)ok, (unsigned long long)hits, (unsigned long long)fallbacks,
           (unsigned long long)fewer, (unsigned long long)nwt.seed);
}

/* ---- the Linux fixture ---- */

static void dmt_fixture(void)
{
    if (!nwt.fixture) {
        printf("    dmt_fixture: skipped (no --fixture)\n");
        return;
    }
    char path[1024], err[256] = "";
    nw_mem *m = nw_mem_new();
    snprintf(path, sizeof path, "%s/pagetables.elf", nwt.fixture);
    nw_tlb_line *l = NULL;
    size_t n = 0;
    if (!CHECK_MSG(nw_mem_load(m, path, err, sizeof err) == 0, "%s", err))
        goto out;
    snprintf(path, sizeof path, "%s/qemu-info-tlb.txt.gz", nwt.fixture);
    if (!CHECK_MSG(nw_tlb_load(path, &l, &n, err, sizeof err) == 0, "%s", err))
        goto out;
    nw_state *s = nw_new(NW_FEAT_ALL);
    nw_reg_write(s, NW_REG_GCR3, NW_FIXTURE_CR3);
    uint64_t tea[NW_FIXTURE_AREAS];
    CHECK(nw_fixture_teas(m, tea) == 0);
    for (unsigned k = 0; k < NW_FIXTURE_AREAS; k++) {
        nw_reg_write(s, NW_REG_GDMT_BASE(k), nw_fixture_area_get(k)->base);
        nw_reg_write(s, NW_REG_GDMT_LIMIT(k), nw_fixture_area_get(k)->limit);
        nw_reg_write(s, NW_REG_GDMT_TEA(k), tea[k]);
    }
    nw_reg_write(s, NW_REG_CTRL, NW_CTRL_NXE | NW_CTRL_GDMT_EN);
    long in[2] = {0, 0}, one[2] = {0, 0}, big[2] = {0, 0}, out_reads = 0;
    for (size_t i = 0; i < n; i++) {
        const nw_tlb_line *t = &l[i];
        nw_request q = {t->va, NW_ACC_READ, 0};
        nw_result r;
        nw_translate(s, &q, nw_mem_read, m, &r);
        nwt_ctx("fixture line %zu va 0x%llx", i, (unsigned long long)t->va);
        CHECK(r.status == NW_OK && r.pa == t->pa && r.size == t->size && r.w == t->w &&
              r.u == t->u && r.xd == t->xd);
        int k = -1;
        for (unsigned j = 0; j < NW_FIXTURE_AREAS; j++)
            if (t->va >= nw_fixture_area_get(j)->base && t->va < nw_fixture_area_get(j)->limit)
                k = (int)j;
        if (k < 0) {
            out_reads += r.refs != (t->size == NW_SIZE_4K ? 4 : 3);
            continue;
        }
        in[k]++;
        /* a 4 KiB page in one read; a 2 MiB page falls back: 1 + 3 */
        if (t->size == NW_SIZE_4K)
            one[k] += r.refs == 1;
        else
            big[k] += r.refs == 4;
    }
    nwt_ctx("fixture");
    /* the 4 KiB area holds 65,536 of QEMU's lines, every one 4 KiB */
    CHECK_EQ(in[0], 65536);
    CHECK_EQ(one[0], 65536);
    CHECK_EQ(out_reads, 0);
    CHECK(in[1] > 0 && one[1] + big[1] == in[1] && big[1] > 0);
    printf("    dmt_fixture: %s, %ld QEMU translations unchanged, %ld in one read; "
           "%s, %ld unchanged, %ld 4 KiB pages in one read, %ld 2 MiB pages in 1 + 3\n",
           nw_fixture_area_get(0)->name, in[0], one[0], nw_fixture_area_get(1)->name, in[1],
           one[1], big[1]);
    nw_free(s);
out:
    free(l);
    nw_mem_free(m);
}

void suite_dmt_random(void)
{
    NWT_RUN(dmt_random_worlds);
    NWT_RUN(dmt_fixture);
}
