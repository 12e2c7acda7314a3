/*
 * test_wc_random.c: walk caches change reads, never results. Two walkers
 * take the same requests and register writes, one with WC_EN (default
 * sizes, and small ones that evict all the time), one without: with no
 * table change, every result must be the same (status, reason, level, pa,
 * size, permissions, #PF error code, fault gPA) and the cached walker must
 * never read more. Streams of sequential, strided, hot-set and random VAs
 * run on random worlds (mixed page sizes in both dimensions, some table
 * entries with A = 0, random flushes in between) in every mode, and on the
 * Linux fixture natively and nested. Seeded from --seed (printed).
 */
#include "tu.h"

#include <stdlib.h>
#include <string.h>

#define NT_BASE 0x40000000ull /* native tables of the random world (PA) */
#define STREAM  256           /* requests of one stream */

typedef struct {
    nw_state *on, *off;
    nw_mem *mem;
    long walks, saved;
} pair;

static void pair_init(pair *p, nw_mem *mem, const nw_wc_config *c)
{
    p->on = nw_new_wc(NW_FEAT_ALL, c);
    p->off = nw_new(NW_FEAT_ALL);
    p->mem = mem;
    p->walks = p->saved = 0;
}

static void pair_free(pair *p)
{
    nw_free(p->on);
    nw_free(p->off);
}

static void pair_write(pair *p, unsigned addr, uint64_t v)
{
    nw_reg_write(p->on, addr, addr == NW_REG_CTRL ? v | NW_CTRL_WC_EN : v);
    nw_reg_write(p->off, addr, v);
}

static void pair_walk(pair *p, uint64_t va, int access, int user)
{
    nw_request rq = {va, access, user};
    nw_result a, b;
    nw_translate(p->on, &rq, nw_mem_read, p->mem, &a);
    nw_translate(p->off, &rq, nw_mem_read, p->mem, &b);
    int same = a.status == b.status && a.reason == b.reason && a.level == b.level &&
               a.pa == b.pa && a.size == b.size && a.w == b.w && a.u == b.u && a.xd == b.xd &&
               a.fault_gpa == b.fault_gpa && a.gpt == b.gpt && a.pferr == b.pferr;
    CHECK_MSG(same && a.refs <= b.refs,
              "va 0x%llx access %d user %d: cached %s reason %d level %d pa 0x%llx size %d "
              "wux %d%d%d gpa 0x%llx pferr 0x%x refs %d; uncached %s reason %d level %d "
              "pa 0x%llx size %d wux %d%d%d gpa 0x%llx pferr 0x%x refs %d",
              (unsigned long long)va, access, user, nw_status_name(a.status), a.reason,
              a.level, (unsigned long long)a.pa, a.size, a.w, a.u, a.xd,
              (unsigned long long)a.fault_gpa, a.pferr, a.refs, nw_status_name(b.status),
              b.reason, b.level, (unsigned long long)b.pa, b.size, b.w, b.u, b.xd,
              (unsigned long long)b.fault_gpa, b.pferr, b.refs);
    p->walks++;
    p->saved += b.refs - a.refs;
}

enum { S_SEQ, S_STRIDE, S_HOT, S_RANDOM, S_KINDS };
static const char *const stream_name[] = {"sequential", "strided", "hot-set", "random"};

/* The VAs of one stream over the pages in vas[0..n). */
static void stream(int kind, uint64_t *rng, const uint64_t *vas, size_t n, int bits,
                   uint64_t *out)
{
    static const uint64_t strides[] = {0x2000, 0x201000, 0x40000000, 0x8000000000ull};
    uint64_t base = vas[tu_below(rng, n)] & ~0xfffull;
    uint64_t stride = strides[tu_below(rng, 4)], hot[8];
    for (int k = 0; k < 8; k++)
        hot[k] = vas[tu_below(rng, n)];
    for (int i = 0; i < STREAM; i++) {
        uint64_t off = tu_below(rng, 4096), v;
        if (kind == S_SEQ)
            v = base + 0x1000 * (uint64_t)i;
        else if (kind == S_STRIDE)
            v = base + stride * (uint64_t)i;
        else if (kind == S_HOT)
            v = hot[tu_below(rng, 8)];
        else
            v = tu_below(rng, 5) ? vas[tu_below(rng, n)] : nw_splitmix64(rng);
        /* canonical for `bits` VA bits: most of them are mapped */
        v = (v & ~0xfffull) | off;
        out[i] = (uint64_t)((int64_t)(v << (64 - bits)) >> (64 - bits));
    }
}

/* Every stream kind through a pair in its current mode; now and then a
 * flush or a rewrite of a root, which must not change a result either. */
static void streams(pair *p, uint64_t *rng, const uint64_t *vas, size_t n, int bits,
                    uint64_t gcr3, long saved[S_KINDS])
{
    uint64_t va[STREAM];
    for (int k = 0; k < S_KINDS; k++) {
        long before = p->saved;
        stream(k, rng, vas, n, bits, va);
        for (int i = 0; i < STREAM; i++) {
            if (tu_below(rng, 50) == 0)
                pair_write(p, NW_REG_WC_FLUSH, tu_below(rng, 4));
            if (tu_below(rng, 200) == 0)
                pair_write(p, NW_REG_GCR3, gcr3);
            pair_walk(p, va[i], (int)tu_below(rng, 3), (int)tu_below(rng, 2));
        }
        saved[k] += p->saved - before;
    }
}

/* Clears A in about one entry in eight of the tables on the way to vas
 * (levels from `from` up): the walk caches must skip those. The choice is
 * a hash of the entry's address, so an entry shared by many of vas is
 * cleared with the same one-in-eight chance as any other. */
static void clear_some_a(tu_tables *t, uint64_t root, int levels, const uint64_t *vas,
                         size_t n, int from, uint64_t *rng)
{
    uint64_t salt = nw_splitmix64(rng);
    for (size_t i = 0; i < n; i++)
        for (int l = levels; l >= from; l--) {
            uint64_t table = tu_table_at(t, root, levels, vas[i], l);
            uint64_t h = salt ^ (table | (uint64_t)tu_idx(vas[i], l) << 3);
            if (!table || nw_splitmix64(&h) & 7)
                continue;
            uint64_t ea = table | (uint64_t)tu_idx(vas[i], l) << 3;
            tu_put(t, ea, tu_get(t, ea) & ~NW_PTE_A);
        }
}

enum { M_NATIVE, M_NESTED, M_SHADOW, M_AGILE, M_VMM, M_GESC, M_MODES };
static const char *const mode_name[] = {"native", "nested", "shadow", "agile",
                                        "vmm-direct", "guest-direct escaped"};

static void wc_random_worlds(void)
{
    uint64_t rng = nwt.seed ^ 0x77632d72;
    long saved[M_MODES][S_KINDS];
    memset(saved, 0, sizeof saved);
    for (int world = 0; world < 8; world++) {
        int gl = 4 + (world & 1), hl = 4 + (world >> 1 & 1);
        int hsize = (int)tu_below(&rng, 3);
        tu_world w;
        tu_world_init(&w, gl, hl, hsize);
        tu_tables nt = {w.mem, NT_BASE, NT_BASE + 0x4000000, 0};
        uint64_t nroot = tu_table_new(&nt);
        tu_mapping maps[120];
        int n = tu_random_mappings(&rng, maps, 120, gl);
        uint64_t vas[120], gpas[120];
        for (int i = 0; i < n; i++) {
            maps[i].pa &= 0xfffffffffull & ~(tu_page_bytes(maps[i].size) - 1);
            tu_guest_map(&w, maps[i].va, maps[i].pa, maps[i].size, maps[i].flags);
            tu_map(&nt, nroot, gl, maps[i].va, maps[i].pa, maps[i].size, maps[i].flags);
            vas[i] = maps[i].va;
            gpas[i] = maps[i].pa;
        }
        /* agile: one switch level a world (SCR3.SW when gl + 1) */
        int sw = 2 + (int)tu_below(&rng, (uint64_t)gl);
        nw_alloc sa = {w.mem, TU_ST_BASE, TU_ST_BASE + 0x2000000};
        nw_alloc aa = {w.mem, TU_ST_BASE + 0x2000000, TU_ST_BASE + 0x4000000};
        uint64_t sroot = nw_alloc_page(&sa), aroot = nw_alloc_page(&aa);
        for (int i = 0; i < n; i++) {
            nw_shadow_map(&sa, sroot, w.gcr3, gl, w.hcr3, hl, vas[i], 0);
            /* where the guest has no table at sw - 1 the builder refuses,
               and the walk shadow-faults */
            if (sw <= gl)
                nw_shadow_map(&aa, aroot, w.gcr3, gl, w.hcr3, hl, vas[i], sw);
        }
        clear_some_a(&w.g, w.gcr3, gl, vas, (size_t)n, 2, &rng);
        clear_some_a(&nt, nroot, gl, vas, (size_t)n, 2, &rng);
        clear_some_a(&w.h, w.hcr3, hl, gpas, (size_t)n, 1, &rng);
        int bits = gl == 5 ? 57 : 48;
        /* small caches too, which evict all the time */
        nw_wc_config small = {{2, 1, 1, 1}, {2, 1, 1, 1}, 2};
        nw_wc_config c = world & 4 ? small : nw_wc_defaults();
        for (int mode = 0; mode < M_MODES; mode++) {
            nwt_ctx("world %d (guest %d-level, host %d-level %s pages, %s caches), %s, "
                    "agile switch at %d (seed %llu)", world, gl, hl, nw_size_name(hsize),
                    world & 4 ? "small" : "default", mode_name[mode], sw,
                    (unsigned long long)nwt.seed);
            pair p;
            pair_init(&p, w.mem, &c);
            static const uint64_t ctrl[] = {
                0, NW_CTRL_VIRT, NW_CTRL_VIRT | NW_CTRL_SHADOW_EN,
                NW_CTRL_VIRT | NW_CTRL_SHADOW_EN, NW_CTRL_VIRT | NW_CTRL_HSEG_EN,
                NW_CTRL_VIRT | NW_CTRL_GSEG_EN | NW_CTRL_GFILT_EN};
            uint64_t gcr3 = mode == M_NATIVE ? nroot : w.gcr3;
            pair_write(&p, NW_REG_GCR3, gcr3);
            pair_write(&p, NW_REG_HCR3, w.hcr3);
            pair_write(&p, NW_REG_SCR3, mode == M_SHADOW ? sroot
                                        : sw > gl ? (w.gcr3 + TU_HOFF) | NW_PTE_SW : aroot);
            pair_write(&p, NW_REG_HSEG_LIMIT, 1ull << 52);
            pair_write(&p, NW_REG_HSEG_OFFSET, TU_HOFF);
            pair_write(&p, NW_REG_HSEG_ATTR, NW_PTE_W);
            /* the guest segment over the first mapping's GiB, every other
             * mapping in it escaped: the segment's gPAs are the tables' */
            uint64_t gb = vas[0] & ~0x3fffffffull;
            pair_write(&p, NW_REG_GSEG_BASE, gb);
            pair_write(&p, NW_REG_GSEG_LIMIT, gb + 0x40000000);
            pair_write(&p, NW_REG_GSEG_ATTR, NW_PTE_W | NW_PTE_U);
            for (int i = 0; i < n; i += 2)
                pair_write(&p, NW_REG_GFILT_INSERT, vas[i] >> 12);
            pair_write(&p, NW_REG_CTRL,
                       ctrl[mode] | NW_CTRL_NXE | (gl == 5 ? NW_CTRL_G5 : 0) |
                           (hl == 5 ? NW_CTRL_H5 : 0));
            streams(&p, &rng, vas, (size_t)n, bits, gcr3, saved[mode]);
            pair_free(&p);
        }
        tu_world_free(&w);
    }
    /* the caches were used: every mode and stream kind saved reads */
    for (int mode = 0; mode < M_MODES; mode++)
        for (int k = 0; k < S_KINDS; k++) {
            nwt_ctx("%s, %s streams (seed %llu)", mode_name[mode], stream_name[k],
                    (unsigned long long)nwt.seed);
            CHECK(saved[mode][k] > 0);
        }
}

/* The fixture's real tables (A bits as Linux left them), natively and
 * under a host that maps guest memory at gPA + 1 GiB by 4 KiB pages. */
static void wc_fixture(void)
{
    if (!nwt.fixture) {
        printf("    wc_fixture: skipped (no --fixture)\n");
        return;
    }
    char path[4200], err[4400];
    snprintf(path, sizeof path, "%s/pagetables.elf", nwt.fixture);
    nw_mem *g = nw_mem_new(), *h = nw_mem_new();
    if (!CHECK_MSG(nw_mem_load(g, path, err, sizeof err) == 0, "%s", err))
        return;
    snprintf(path, sizeof path, "%s/qemu-info-tlb.txt.gz", nwt.fixture);
    nw_tlb_line *l;
    size_t n;
    if (!CHECK_MSG(nw_tlb_load(path, &l, &n, err, sizeof err) == 0 && n > 0, "%s", err))
        return;
    const uint64_t cr3 = NW_FIXTURE_CR3, gsize = 0x10000000, hoff = 0x40000000;
    nw_alloc ha = {h, 0x100000, 0x4000000};
    uint64_t hcr3 = nw_alloc_page(&ha);
    for (uint64_t a = 0; a < gsize; a += 4096)
        CHECK(nw_pt_map(&ha, hcr3, 4, a, a + hoff, NW_SIZE_4K, NW_PTE_W | NW_PTE_A) == 0);
    for (size_t i = 0; i < n; i++)
        if (l[i].pa >= gsize)
            nw_pt_map(&ha, hcr3, 4, l[i].pa & ~0xfffull, (l[i].pa & ~0xfffull) + hoff,
                      NW_SIZE_4K, NW_PTE_W | NW_PTE_A);
    nw_mem_copy(h, g, hoff);
    uint64_t *vas = malloc(n * sizeof *vas);
    for (size_t i = 0; i < n; i++)
        vas[i] = l[i].va;
    uint64_t rng = nwt.seed ^ 0x66697874;
    nw_wc_config c = nw_wc_defaults();
    for (int nested = 0; nested < 2; nested++) {
        pair p;
        pair_init(&p, nested ? h : g, &c);
        pair_write(&p, NW_REG_GCR3, cr3);
        pair_write(&p, NW_REG_HCR3, hcr3);
        pair_write(&p, NW_REG_CTRL, NW_CTRL_NXE | (nested ? NW_CTRL_VIRT : 0));
        long saved[S_KINDS] = {0};
        /* the whole oracle in its order (QEMU's: ascending VAs), then
         * the stream kinds over its pages */
        nwt_ctx("fixture %s, every oracle VA in order (seed %llu)",
                nested ? "nested" : "native", (unsigned long long)nwt.seed);
        for (size_t i = 0; i < n; i++)
            pair_walk(&p, vas[i] | tu_below(&rng, 4096), NW_ACC_READ, 0);
        long in_order = p.saved;
        nwt_ctx("fixture %s streams (seed %llu)", nested ? "nested" : "native",
                (unsigned long long)nwt.seed);
        for (int rep = 0; rep < 16; rep++)
            streams(&p, &rng, vas, n, 48, cr3, saved);
        printf("    wc_fixture: %s, %zu VAs in order: %.2f reads a walk saved\n",
               nested ? "nested" : "native", n, (double)in_order / (double)n);
        CHECK(in_order > 0);
        pair_free(&p);
    }
    free(vas);
    free(l);
    nw_mem_free(g);
    nw_mem_free(h);
}

void suite_wc_random(void)
{
    NWT_RUN(wc_random_worlds);
    NWT_RUN(wc_fixture);
}
