// Test worlds (see nw_world.h).
#include "nw_world.h"

const char *const mode_names[M_NUM] = {
    "native", "native-seg", "nested", "shadow", "agile", "vmm-direct",
    "guest-direct", "dual-direct"};

uint64_t canon(uint64_t va, int levels)
{
    int bits = levels == 5 ? 57 : 48;
    return (uint64_t)((int64_t)(va << (64 - bits)) >> (64 - bits));
}

World::~World()
{
    if (gmem)
        nw_mem_free(gmem);
}

void World::begin(bool virt_, int gl_, int hl_, Rng &rng)
{
    virt = virt_;
    gl = gl_;
    hl = hl_;
    if (virt) {
        gmem = nw_mem_new();
        gt_base = (1 + rng.below(GB / (2 << 20) - 4)) << 21;
        ga = {gmem, gt_base, gt_base + GT_SPAN};
        ha = {mem, HT_BASE, HT_BASE + GT_SPAN};
        hcr3 = nw_alloc_page(&ha);
    } else {
        gt_base = NT_BASE;
        ga = {mem, NT_BASE, NT_BASE + GT_SPAN};
    }
    sa = {mem, ST_BASE, ST_BASE + GT_SPAN};
    gcr3 = nw_alloc_page(&ga);
}

bool World::map_guest(uint64_t va, uint64_t gpa, int size, uint64_t flags)
{
    if (nw_pt_map(&ga, gcr3, gl, va, gpa, size, flags))
        return false;
    vas.push_back(va);
    return true;
}

bool World::map_host(uint64_t gpa, uint64_t hpa, int size, uint64_t flags)
{
    uint64_t mask = (1ull << (12 + 9 * size)) - 1;
    if (nw_pt_map(&ha, hcr3, hl, gpa & ~mask, hpa & ~mask, size, flags))
        return false;
    gpas.push_back(gpa);
    return true;
}

void World::finish_guest(int hsz, Rng &rng, bool seg_copy)
{
    if (!virt)
        return;
    uint64_t end = ga.next;
    // with walk caches the NTLB may keep the tables' host translations
    // (drawn only in such a build, so the others' worlds stay the same)
    uint64_t acc = need(NW_FEAT_WC) && rng.pct(75) ? NW_PTE_A : 0;
    if (hsz == 0) {
        // 4 KiB host pages, scattered over [1 GiB, 1 GiB + 16 MiB)
        uint64_t k0 = rng.below(4096);
        for (uint64_t p = gt_base; p < end; p += 4096) {
            uint64_t k = ((p - gt_base) / 4096 * 977 + k0) % 4096;
            map_host(p, GB + k * 4096, 0, NW_PTE_W | acc);
        }
    } else if (hsz == 1) {
        uint64_t h = 2 * GB + (rng.below(256) << 22);
        map_host(gt_base, h, 1, NW_PTE_W | acc);
        map_host(gt_base + (2 << 20), h + (2 << 20) * (1 + 2 * rng.below(3)), 1,
                 NW_PTE_W | acc);
    } else {
        map_host(gt_base, (4 + rng.below(60)) * GB, 2, NW_PTE_W | NW_PTE_U | acc);
    }
    for (uint64_t p = gt_base; p < end; p += 4096) {
        uint64_t h = host_of(p);
        for (uint64_t o = 0; o < 4096; o += 8) {
            uint64_t v = 0;
            nw_mem_read(gmem, p + o, &v);
            if (h != ~0ull)
                nw_mem_write(mem, h + o, v);
            if (seg_copy)
                nw_mem_write(mem, (p + hoff + o) & NW_PA_MASK, v);
        }
    }
    gpas.clear();
}

uint64_t World::entry_addr(nw_mem *m, uint64_t root, int levels, uint64_t va,
                           int level)
{
    uint64_t table = root & NW_PTE_ADDR;
    for (int l = levels;; l--) {
        uint64_t ea = table | ((va >> (12 + 9 * (l - 1))) & 0x1ff) << 3, e;
        if (l == level)
            return ea;
        if (nw_mem_read(m, ea, &e) || !(e & NW_PTE_P) || l == 1 ||
            ((l == 2 || l == 3) && (e & NW_PTE_PS)))
            return 0;
        table = e & NW_PTE_ADDR;
    }
}

uint64_t World::host_of(uint64_t gpa)
{
    uint64_t hpa, leaf;
    int size;
    if (nw_pt_lookup(mem, hcr3, hl, gpa, &hpa, &size, &leaf, nullptr))
        return ~0ull;
    return hpa;
}

void World::copy_tables(uint64_t hoff)
{
    for (uint64_t p = gt_base; p < ga.next; p += 8) {
        uint64_t v;
        nw_mem_read(gmem, p, &v);
        nw_mem_write(mem, p + hoff, v);
    }
}

uint64_t rand_va(Rng &g, int gl)
{
    return canon(g.next() & ~0xfffull, gl);
}

uint64_t lv_ctrl(int gl, int hl)
{
    return (gl == 5 ? NW_CTRL_G5 : 0) | (hl == 5 ? NW_CTRL_H5 : 0);
}

void write_cfg(Sim &sim, const World &w, uint64_t ctrl)
{
    sim.reg_write(NW_REG_GCR3, w.gcr3 | (sim.rng.next() & 0xfff0000000000fffull));
    sim.reg_write(NW_REG_HCR3, w.hcr3);
    sim.reg_write(NW_REG_CTRL, ctrl);
}

void set_seg(Sim &sim, unsigned base, uint64_t b, uint64_t l, uint64_t off)
{
    sim.reg_write(base, b);
    sim.reg_write(base + 8, l);
    sim.reg_write(base + 16, off);
}

// ------------------------------------------------------------ the small VM

uint64_t va_of(uint64_t va, int gl)
{
    return canon(va | (gl == 5 ? 0x0012000000000000ull : 0), gl); // a non-zero L5 index
}

int vm_levels(uint64_t va, int gl)
{
    return gl - (va == VA_A ? 0 : va == VA_B ? 1 : 2);
}

void small_vm(Sim &sim, World &w, bool virt, int gl, int hl, int hsz, uint64_t gflags)
{
    Rng g(7);
    w.begin(virt, gl, hl, g);
    w.map_guest(va_of(VA_A, gl), GPA_A, 0, gflags);
    w.map_guest(va_of(VA_B, gl), GPA_B, 1, gflags);
    w.map_guest(va_of(VA_C, gl), GPA_C, 2, gflags);
    w.map_guest(va_of(VA_D, gl), GPA_D, 0, gflags);
    if (virt) {
        w.finish_guest(0, g, false);
        // accessed host leaves, which a nested TLB may keep
        for (uint64_t gpa : {GPA_A, GPA_B, GPA_C, GPA_D})
            w.map_host(gpa, VM_HOST + gpa, hsz,
                       NW_PTE_W | NW_PTE_U | (need(NW_FEAT_WC) ? NW_PTE_A : 0));
    }
    write_cfg(sim, w, (virt ? NW_CTRL_VIRT : 0) | lv_ctrl(gl, hl) | NW_CTRL_NXE);
}

// ------------------------------------------------------------ random worlds

static uint64_t rand_flags(Rng &g, bool leaf)
{
    uint64_t f = 0;
    if (g.pct(leaf ? 80 : 92)) f |= NW_PTE_W;
    if (g.pct(leaf ? 75 : 92)) f |= NW_PTE_U;
    if (g.pct(leaf ? 25 : 8)) f |= NW_PTE_XD;
    if (g.pct(25)) f |= g.next() & 0x7ff0000000000f78ull; // ignored bits, SW too
    return f;
}

// Damages one entry on x's path in a table tree.
static void corrupt(nw_mem *m, uint64_t root, int levels, uint64_t x, Rng &g)
{
    uint64_t ea[6];
    int n = 0;
    for (int l = levels; l >= 1; l--) {
        uint64_t a = World::entry_addr(m, root, levels, x, l);
        if (!a)
            break;
        ea[n++] = a;
    }
    if (!n)
        return;
    uint64_t a = ea[g.below((uint64_t)n)], e = 0;
    nw_mem_read(m, a, &e);
    switch (g.below(9)) {
    case 0: case 1: e &= ~NW_PTE_P; break;
    case 2: e |= NW_PTE_XD; break;
    case 3: e |= NW_PTE_PS; break;
    case 4: {
        // reserved bits of a large leaf, the edges of their ranges most
        static const int edge[] = {13, 20, 21, 29};
        e |= 1ull << (g.pct(50) ? edge[g.below(4)] : 13 + (int)g.below(17));
        break;
    }
    case 5: e &= ~NW_PTE_W; break;
    case 6: e &= ~NW_PTE_U; break;
    case 7: e |= NW_PTE_SW; break;
    default: e ^= 1ull << (12 + g.below(40)); break;
    }
    nw_mem_write(m, a, e);
}

// DMT windows of a random world (SPEC section 10), drawn only in a build
// with them so that the others' worlds stay what their seeds gave: a TEA
// laid out as an OS keeps it over an area of mappings, and windows that
// overlap it, start inside it or hold garbage.
struct DmtWin {
    uint64_t base, limit, tea;
};
static void dmt_window(Sim &sim, unsigned block, unsigned win, const DmtWin &d)
{
    unsigned a = block + (unsigned)win * NW_REG_GDMT_STRIDE;
    sim.reg_write(a + (NW_REG_GDMT_BASE(0) - NW_REG_GDMT), d.base);
    sim.reg_write(a + (NW_REG_GDMT_LIMIT(0) - NW_REG_GDMT), d.limit);
    sim.reg_write(a + (NW_REG_GDMT_TEA(0) - NW_REG_GDMT), d.tea);
}

// The guest's TEA over up to 8 MiB of the cluster at va0 (its level-1
// tables moved into it), before the guest tables are copied to the host.
static bool guest_tea(World &w, Rng &g, uint64_t va0, DmtWin *d)
{
    uint64_t len = (1 + g.below(4)) << 21, tea;
    if (nw_pt_tea(&w.ga, w.gcr3, w.gl, va0, len, &tea))
        return false;
    *d = {va0, va0 + len, tea};
    return true;
}

// Windows around a laid-out one: shifted, shortened, overlapping with
// another TEA, or anywhere with any TEA.
static DmtWin dmt_variant(Rng &g, const DmtWin &d)
{
    DmtWin v = d;
    switch (g.below(4)) {
    case 0: v.base += g.below(3) << 12; break;
    case 1: v.limit = v.base + (g.below(1024) << 12); break;
    case 2: v.tea = g.next() & NW_PA_MASK & ~0xfffull; break;
    default: v.base = g.next() & ~0xfffull; v.limit = v.base + (g.below(4096) << 12);
    }
    return v;
}

RandWorld random_world(Sim &sim, World &w, Rng &g)
{
    int mode_pick = (int)g.below(M_NUM + 2); // two more: anything goes
    Mode mode = mode_pick < M_NUM ? (Mode)mode_pick : M_NUM;
    bool mixed = mode == M_NUM;
    int gl = need(NW_FEAT_LA57) && g.pct(45) ? 5 : 4;
    int hl = need(NW_FEAT_LA57) && g.pct(45) ? 5 : 4;
    bool virt = mixed ? g.pct(80) : mode >= M_NESTED;
    w.begin(virt, gl, hl, g);
    // guest mappings, clustered so that tables are shared
    uint64_t cl[3] = {rand_va(g, gl) & ~(GB - 1), rand_va(g, gl) & ~(GB - 1),
                      rand_va(g, gl) & ~(GB - 1)};
    int nmap = 6 + (int)g.below(26);
    for (int i = 0; i < nmap; i++) {
        int size = g.pct(50) ? 0 : g.pct(60) ? 1 : 2;
        uint64_t va = size == 2 ? rand_va(g, gl) & ~(GB - 1)
                                : cl[g.below(3)] + (g.below(4) << 21) +
                                      (size ? 0 : g.below(512) << 12);
        // some gPAs beyond a 4-level host's reach (any of bits 51:48)
        uint64_t gpa = virt ? (g.pct(6) ? (1ull << (48 + g.below(4))) | g.next() % (1ull << 48)
                                        : g.next() % (1ull << 39))
                            : g.next() & NW_PA_MASK;
        w.map_guest(canon(va, gl), gpa & NW_PTE_ADDR, size, rand_flags(g, true));
    }
    if (!w.vas.empty())
        for (int i = 0, n = (int)g.below(4); i < n; i++)
            corrupt(virt ? w.gmem : w.mem, w.gcr3, gl, w.vas[g.below(w.vas.size())], g);
    DmtWin gtea{};
    bool gdmt = need(NW_FEAT_DMT) && g.pct(60) && guest_tea(w, g, cl[g.below(3)], &gtea);
    bool hseg_tables = mode == M_VMM_DIRECT || mode == M_DUAL || (mixed && g.pct(50));
    if (virt) {
        w.hoff = (64 + g.below(64)) * GB + (g.below(512) << 21) - w.gt_base;
        w.finish_guest((int)g.below(3), g, hseg_tables);
        for (uint64_t va : w.vas) {
            uint64_t gpa, leaf;
            int sz;
            if (nw_pt_lookup(w.gmem, w.gcr3, gl, va, &gpa, &sz, &leaf, nullptr))
                continue;
            int hs = g.pct(50) ? 0 : g.pct(60) ? 1 : 2;
            if (g.pct(90))
                w.map_host(gpa, g.next() & NW_PA_MASK, hs,
                           rand_flags(g, true) | (need(NW_FEAT_WC) && g.pct(60) ? NW_PTE_A : 0));
        }
        for (int i = 0, n = (int)g.below(4); i < n && !w.vas.empty(); i++) {
            uint64_t x = g.pct(50) && !w.gpas.empty() ? w.gpas[g.below(w.gpas.size())]
                                                      : w.gt_base + (g.below(8) << 12);
            corrupt(w.mem, w.hcr3, hl, x, g);
        }
    }
    // shadow and agile
    uint64_t scr3 = 0;
    bool shadow = mode == M_SHADOW || mode == M_AGILE || (mixed && virt && g.pct(40));
    if (virt && shadow) {
        w.sroot = nw_alloc_page(&w.sa);
        scr3 = w.sroot;
        for (uint64_t va : w.vas) {
            int j = mode == M_SHADOW || g.pct(20) ? 0 : 2 + (int)g.below((uint64_t)gl - 1);
            nw_shadow_map(&w.sa, w.sroot, w.gcr3, gl, w.hcr3, hl, va, j);
        }
        // SW in a leaf: ignored at L1, a switch (winning over PS) at L2/L3
        for (uint64_t va : w.vas) {
            if (!g.pct(15))
                continue;
            for (int l = 1; l <= 3; l++) {
                uint64_t a = World::entry_addr(w.mem, w.sroot, gl, va, l), e;
                if (a && !nw_mem_read(w.mem, a, &e) && (e & NW_PTE_P) &&
                    (l == 1 || (e & NW_PTE_PS))) {
                    nw_mem_write(w.mem, a, e | NW_PTE_SW);
                    break;
                }
            }
        }
        if (mode != M_SHADOW && g.pct(15) && w.host_of(w.gcr3) != ~0ull)
            scr3 = w.host_of(w.gcr3) | NW_PTE_SW;
        for (int i = 0, n = (int)g.below(4); i < n && !w.vas.empty(); i++)
            corrupt(w.mem, w.sroot, gl, w.vas[g.below(w.vas.size())], g);
    }
    // segments and filters
    bool gseg = mode == M_NATIVE_SEG || mode == M_GUEST_DIRECT || mode == M_DUAL ||
                (mixed && g.pct(50));
    bool hseg = mode == M_VMM_DIRECT || mode == M_DUAL || (mixed && g.pct(50));
    uint64_t gb = 0, glim = 0, g0 = 0;
    if (gseg) {
        uint64_t v0 = !w.vas.empty() && g.pct(70) ? w.vas[g.below(w.vas.size())]
                                                  : rand_va(g, gl);
        gb = (v0 & ~0xfffull) - (g.below(8) << 12);
        glim = gb + ((g.pct(8) ? 0 : 1 + g.below(64)) << 12);
        g0 = !w.gpas.empty() && g.pct(50) ? w.gpas[g.below(w.gpas.size())] & ~0xfffull
                                          : (g.next() % (1ull << 39)) & ~0xfffull;
        set_seg(sim, NW_REG_GSEG_BASE, gb | (g.next() & 0xfff), glim, g0 - gb);
        sim.reg_write(NW_REG_GSEG_ATTR, rand_flags(g, true) | (g.next() & 0x1f8));
        if (virt && g.pct(70))
            w.map_host(g0, g.next() & NW_PA_MASK, (int)g.below(3), rand_flags(g, true));
    }
    if (hseg && virt) {
        bool all = mode == M_DUAL || g.pct(50);
        uint64_t hb = all ? 0 : (w.gt_base - (g.below(1ull << 18) << 12)),
                 hlim = all ? 1ull << 40 : w.gt_base + GT_SPAN + (g.below(1ull << 20) << 12);
        set_seg(sim, NW_REG_HSEG_BASE, hb, hlim, w.hoff);
        sim.reg_write(NW_REG_HSEG_ATTR, g.pct(85) ? NW_PTE_W | (g.pct(15) ? NW_PTE_XD : 0)
                                                  : g.next());
    }
    uint64_t filt = 0;
    if (gseg && g.pct(50)) {
        filt |= NW_CTRL_GFILT_EN;
        for (int i = 0, n = (int)g.below(4); i < n; i++)
            sim.reg_write(NW_REG_GFILT_INSERT,
                          (gb >> 12) + g.below(glim > gb ? (glim - gb) >> 12 : 1));
        if (g.pct(10))
            sim.reg_write(NW_REG_GFILT + 8 * (unsigned)g.below(4), g.next());
    }
    if (hseg && virt && g.pct(50)) {
        filt |= NW_CTRL_HFILT_EN;
        for (int i = 0, n = (int)g.below(4); i < n; i++)
            sim.reg_write(NW_REG_HFILT_INSERT,
                          g.pct(50) ? (w.gt_base >> 12) + g.below(8)
                          : !w.gpas.empty() ? w.gpas[g.below(w.gpas.size())] >> 12
                                            : g.next());
    }
    uint64_t ctrl = (virt ? NW_CTRL_VIRT : 0) | (gl == 5 ? NW_CTRL_G5 : 0) |
                    (hl == 5 ? NW_CTRL_H5 : 0) | (gseg ? NW_CTRL_GSEG_EN : 0) |
                    (hseg ? NW_CTRL_HSEG_EN : 0) | (shadow ? NW_CTRL_SHADOW_EN : 0) |
                    (g.pct(75) ? NW_CTRL_NXE : 0) | (g.pct(50) ? NW_CTRL_WP : 0) |
                    (g.pct(30) ? NW_CTRL_SMEP : 0) | filt;
    if (mixed && g.pct(30))
        ctrl ^= g.next() & 0x7ff;
    // with walk caches most worlds use them (drawn only in such a build,
    // so the other builds' worlds stay what their seeds always gave)
    if (need(NW_FEAT_WC) && g.pct(80))
        ctrl |= NW_CTRL_WC_EN;
    if (need(NW_FEAT_DMT)) {
        // the guest's: a gPA TEA, or (pvDMT) its hPA when the host maps it
        if (gdmt && w.virt && g.pct(40) && w.host_of(gtea.tea) != ~0ull)
            gtea.tea = w.host_of(gtea.tea) | 1;
        unsigned slot = (unsigned)g.below(4);
        if (gdmt)
            dmt_window(sim, NW_REG_GDMT, slot, gtea);
        for (unsigned k = 0; k < 4; k++)
            if (k != slot && g.pct(25))
                dmt_window(sim, NW_REG_GDMT, k, dmt_variant(g, gdmt ? gtea : DmtWin{}));
        // the host's: over the guest tables (their host level-1 tables
        // moved into a TEA), and others
        DmtWin htea{};
        if (w.virt && g.pct(60) &&
            !nw_pt_tea(&w.ha, w.hcr3, w.hl, w.gt_base, GT_SPAN, &htea.tea)) {
            htea.base = w.gt_base;
            htea.limit = w.gt_base + GT_SPAN;
            dmt_window(sim, NW_REG_HDMT, (unsigned)g.below(4), htea);
        }
        // over guest memory: the 2 MiB around a mapped gPA
        DmtWin hdata{};
        if (w.virt && !w.gpas.empty() && g.pct(60)) {
            uint64_t b = w.gpas[g.below(w.gpas.size())] & ~((1ull << 21) - 1);
            if (!nw_pt_tea(&w.ha, w.hcr3, w.hl, b, 1ull << 21, &hdata.tea)) {
                hdata.base = b;
                hdata.limit = b + (1ull << 21);
                dmt_window(sim, NW_REG_HDMT, (unsigned)g.below(4), hdata);
            }
        }
        if (w.virt && g.pct(30))
            dmt_window(sim, NW_REG_HDMT, (unsigned)g.below(4),
                       dmt_variant(g, g.pct(50) ? htea : hdata));
        if (g.pct(75))
            ctrl |= NW_CTRL_GDMT_EN;
        if (g.pct(75))
            ctrl |= NW_CTRL_HDMT_EN;
    }
    sim.reg_write(NW_REG_SCR3, scr3);
    write_cfg(sim, w, ctrl | (g.pct(10) ? g.next() & ~0x7ffull : 0));
    return RandWorld{gseg, gb, glim};
}

void damage_tables(World &w, Rng &g)
{
    if (w.vas.empty())
        return;
    uint64_t va = w.vas[g.below(w.vas.size())];
    if (!w.virt) {
        corrupt(w.mem, w.gcr3, w.gl, va, g);
    } else if (w.sroot && g.pct(50)) {
        corrupt(w.mem, w.sroot, w.gl, va, g);
    } else {
        uint64_t x = !w.gpas.empty() && g.pct(50) ? w.gpas[g.below(w.gpas.size())]
                                                 : w.gt_base + (g.below(8) << 12);
        corrupt(w.mem, w.hcr3, w.hl, x, g);
    }
}
