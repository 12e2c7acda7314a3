// `--bench` and the `perf` lines of `make sim`: cycles per walk of every
// mode at a fixed memory latency (every walk still compared with the
// model), and the random regression's speed. Speed is reported, never checked.
#include <cctype>
#include <chrono>

#include "nw_cov.h"
#include "nw_tb.h"

// One mode of `--bench` (and of the `perf` lines of `make sim`): successful
// walks of 4 KiB pages in the small VM, the same number of levels in both
// dimensions.
enum BenchKind {
    B_NATIVE, B_NATIVE_SEG, B_NATIVE_GESC, B_NESTED, B_SHADOW, B_AGILE, B_VMM_DIRECT,
    B_GUEST_DIRECT, B_DUAL, B_DUAL_GESC, B_DUAL_HESC, B_WC_NATIVE, B_WC_NESTED,
    B_DMT_NATIVE, B_DMT_PV, B_DMT_GPA, B_DMT_NESTED_HOST
};

struct BenchMode {
    std::string name;
    BenchKind kind;
    int level = 0;     // agile: the shadow level whose entry has SW; levels + 1: SCR3.SW;
                       // walk caches: the guest PSC level that hits
    bool filt = false; // Dual Direct: both filters on and empty, so their answers are waited for
};

static unsigned bench_features(const BenchMode &m, int levels)
{
    static const unsigned f[] = {
        0, NW_FEAT_SEG, NW_FEAT_SEG | NW_FEAT_FILT, NW_FEAT_VIRT,
        NW_FEAT_VIRT | NW_FEAT_SHADOW, NW_FEAT_VIRT | NW_FEAT_SHADOW,
        NW_FEAT_VIRT | NW_FEAT_SEG, NW_FEAT_VIRT | NW_FEAT_SEG, NW_FEAT_VIRT | NW_FEAT_SEG,
        NW_FEAT_VIRT | NW_FEAT_SEG | NW_FEAT_FILT, NW_FEAT_VIRT | NW_FEAT_SEG | NW_FEAT_FILT,
        NW_FEAT_WC, NW_FEAT_WC | NW_FEAT_VIRT,
        NW_FEAT_DMT, NW_FEAT_DMT | NW_FEAT_VIRT, NW_FEAT_DMT | NW_FEAT_VIRT,
        NW_FEAT_DMT | NW_FEAT_VIRT};
    return f[m.kind] | (levels == 5 ? NW_FEAT_LA57 : 0);
}

// Every mode with `levels` (4 or 5) that this build has.
static std::vector<BenchMode> bench_modes(int levels)
{
    std::vector<BenchMode> v = {{"native", B_NATIVE},
                                {"native direct segment", B_NATIVE_SEG},
                                {"guest escape (native segment)", B_NATIVE_GESC},
                                {"nested", B_NESTED},
                                {"shadow", B_SHADOW}};
    for (int j = 2; j <= levels; j++)
        v.push_back({"agile, SW at L" + std::to_string(j), B_AGILE, j});
    v.push_back({"agile, SW in SCR3", B_AGILE, levels + 1});
    v.push_back({"VMM Direct", B_VMM_DIRECT});
    v.push_back({"Guest Direct (nested host)", B_GUEST_DIRECT});
    v.push_back({"Dual Direct", B_DUAL});
    v.push_back({"Dual Direct, both filters on", B_DUAL, 0, true});
    v.push_back({"guest escape (Dual Direct)", B_DUAL_GESC});
    v.push_back({"host escape (Dual Direct)", B_DUAL_HESC});
    // walk caches warm from the walk before: the deepest guest PSC hit at
    // level j (the entries below it not accessed, so never cached); nested,
    // the NTLB holds the tables' and the page's host translations
    for (int j = 2; j <= levels; j++)
        v.push_back({"native, guest PSC hit at L" + std::to_string(j), B_WC_NATIVE, j});
    for (int j = 2; j <= levels; j++)
        v.push_back({"nested, guest PSC hit at L" + std::to_string(j) + ", NTLB hits",
                     B_WC_NESTED, j});
    // DMT (SPEC section 10): the level-1 table of the page's 2 MiB is the
    // TEA of a window over them, in each dimension
    v.push_back({"DMT, native", B_DMT_NATIVE});
    v.push_back({"pvDMT + host DMT", B_DMT_PV});
    v.push_back({"DMT at a gPA + host DMT", B_DMT_GPA});
    v.push_back({"pvDMT, nested host", B_DMT_NESTED_HOST});
    std::vector<BenchMode> have;
    for (const BenchMode &m : v)
        if (need(bench_features(m, levels)))
            have.push_back(m);
    return have;
}

// SPEC section 1: reads of a 4 KiB walk in mode m.
static int bench_reads(const BenchMode &m, int L)
{
    switch (m.kind) {
    case B_NATIVE_SEG: case B_DUAL: return 0;
    case B_NESTED: return L * (L + 1) + L;
    case B_WC_NATIVE: case B_WC_NESTED: return m.level - 1;
    case B_DMT_NATIVE: return 1;
    case B_DMT_PV: return 2;
    case B_DMT_GPA: return 3;
    case B_DMT_NESTED_HOST: return 1 + L;
    case B_AGILE:
        // the shadow levels L..j, the guest table j-1 read directly, j-2
        // nested guest levels, the final host walk
        return (L - m.level + 1) + 1 + (L + 1) * (m.level - 2) + L;
    default: return L;
    }
}

// Builds the small VM with `levels` in both dimensions and configures mode
// m; returns the 4 KiB page to walk.
static uint64_t bench_setup(Sim &sim, World &w, const BenchMode &m, int levels)
{
    bool virt = m.kind >= B_NESTED && m.kind != B_WC_NATIVE && m.kind != B_DMT_NATIVE;
    small_vm(sim, w, virt, levels, levels);
    uint64_t va = va_of(VA_A, levels);
    uint64_t ctrl = NW_CTRL_NXE | lv_ctrl(levels, levels) |
                    (virt ? NW_CTRL_VIRT : 0);
    switch (m.kind) {
    case B_NATIVE: case B_NESTED: break;
    case B_WC_NATIVE: case B_WC_NESTED:
        // A = 0 in the guest entries of levels 2 .. j-1 on the page's path
        // (at their hPAs when nested)
        for (int l = 2; l < m.level; l++) {
            uint64_t ea = World::entry_addr(virt ? w.gmem : w.mem, w.gcr3, levels, va, l);
            if (virt)
                ea = w.host_of(ea & ~0xfffull) | (ea & 0xfff);
            uint64_t e = 0;
            nw_mem_read(w.mem, ea, &e);
            nw_mem_write(w.mem, ea, e & ~NW_PTE_A);
        }
        ctrl |= NW_CTRL_WC_EN;
        break;
    case B_DMT_NATIVE: case B_DMT_PV: case B_DMT_GPA: case B_DMT_NESTED_HOST: {
        const uint64_t mb2 = (1ull << 21) - 1;
        // the guest's level-1 table of the page: a PA natively, else a gPA
        uint64_t gt = World::entry_addr(virt ? w.gmem : w.mem, w.gcr3, levels, va, 1) & ~0xfffull;
        uint64_t tea = m.kind == B_DMT_NATIVE || m.kind == B_DMT_GPA ? gt : w.host_of(gt) | 1;
        sim.reg_write(NW_REG_GDMT_BASE(0), va & ~mb2);
        sim.reg_write(NW_REG_GDMT_LIMIT(0), (va & ~mb2) + mb2 + 1);
        sim.reg_write(NW_REG_GDMT_TEA(0), tea);
        ctrl |= NW_CTRL_GDMT_EN;
        if (m.kind == B_DMT_PV || m.kind == B_DMT_GPA) {
            // host windows over the page's gPA and the guest table's
            for (unsigned k = 0; k < 2; k++) {
                uint64_t x = k ? gt : GPA_A;
                uint64_t ht = World::entry_addr(w.mem, w.hcr3, levels, x, 1) & ~0xfffull;
                sim.reg_write(NW_REG_HDMT_BASE(k), x & ~mb2);
                sim.reg_write(NW_REG_HDMT_LIMIT(k), (x & ~mb2) + mb2 + 1);
                sim.reg_write(NW_REG_HDMT_TEA(k), ht);
            }
            ctrl |= NW_CTRL_HDMT_EN;
        }
        break;
    }
    case B_NATIVE_SEG: case B_NATIVE_GESC:
        set_seg(sim, NW_REG_GSEG_BASE, va, va + 0x1000, 0x1000000);
        sim.reg_write(NW_REG_GSEG_ATTR, NW_PTE_W | NW_PTE_U);
        ctrl |= NW_CTRL_GSEG_EN;
        if (m.kind == B_NATIVE_GESC) {
            sim.reg_write(NW_REG_GFILT_INSERT, va >> 12);
            ctrl |= NW_CTRL_GFILT_EN;
        }
        break;
    case B_SHADOW: case B_AGILE: {
        w.sroot = nw_alloc_page(&w.sa);
        uint64_t scr3 = w.sroot;
        if (m.level == levels + 1)
            scr3 = w.host_of(w.gcr3) | NW_PTE_SW;
        else
            nw_shadow_map(&w.sa, w.sroot, w.gcr3, levels, w.hcr3, levels, va,
                          m.kind == B_AGILE ? m.level : 0);
        sim.reg_write(NW_REG_SCR3, scr3);
        ctrl |= NW_CTRL_SHADOW_EN;
        break;
    }
    default:
        // VMM Direct: the host segment maps all of guest memory at +VM_HOFF;
        // Guest Direct: the guest segment maps the page to GPA_A
        w.copy_tables(VM_HOFF);
        set_seg(sim, NW_REG_HSEG_BASE, 0, 1ull << 40, VM_HOFF);
        sim.reg_write(NW_REG_HSEG_ATTR, NW_PTE_W);
        set_seg(sim, NW_REG_GSEG_BASE, va, va + 0x1000, GPA_A - va);
        sim.reg_write(NW_REG_GSEG_ATTR, NW_PTE_W | NW_PTE_U);
        if (m.kind != B_GUEST_DIRECT)
            ctrl |= NW_CTRL_HSEG_EN;
        if (m.kind != B_VMM_DIRECT)
            ctrl |= NW_CTRL_GSEG_EN;
        if (m.kind == B_DUAL_GESC) {
            sim.reg_write(NW_REG_GFILT_INSERT, va >> 12);
            ctrl |= NW_CTRL_GFILT_EN;
        }
        if (m.kind == B_DUAL_HESC) {
            sim.reg_write(NW_REG_HFILT_INSERT, GPA_A >> 12);
            ctrl |= NW_CTRL_HFILT_EN;
        }
        if (m.kind == B_DUAL && m.filt)
            ctrl |= NW_CTRL_GFILT_EN | NW_CTRL_HFILT_EN;
        break;
    }
    sim.reg_write(NW_REG_CTRL, ctrl);
    return va;
}

struct BenchRow {
    int reads = -1, gpas = 0, gfilts = 0, hfilts = 0, gfbits = 0, hfbits = 0;
    uint64_t walks = 0, cycles = 0; // cycles: request transfer to response valid
};

// n successful walks of mode m (random offset, access and privilege) with
// every read answered `lat` extra cycles late and no stalls; each walk is
// compared with the model and its latency with the formula.
static BenchRow bench_row(const char *test, const BenchMode &m, int levels, int lat, int n)
{
    Knobs k;
    k.fixed_lat = lat;
    BenchRow row;
    std::string tag = m.name;
    for (char &c : tag)
        if (!isalnum((unsigned char)c))
            c = '-';
    std::string name = std::string(test) + "-" + tag + "-" + std::to_string(levels) +
                       "-lat" + std::to_string(lat);
    run(name, 9, k, [&](Sim &sim) {
        row = BenchRow();
        World w(sim.mem);
        uint64_t va = bench_setup(sim, w, m, levels);
        Rng g(levels * 131 + m.kind * 17 + m.level + m.filt);
        int want = bench_reads(m, levels);
        // the walk that fills the walk caches, not measured
        if (m.kind == B_WC_NATIVE || m.kind == B_WC_NESTED)
            cwalk(sim, &w, rq(va, NW_ACC_READ, 0));
        for (int i = 0; i < n && !sim.failed; i++) {
            int acc = (int)g.below(3);
            cwalk(sim, &w, rq(va + g.below(4096), acc, (int)g.below(2)));
            expect_ok(sim, want, m.name.c_str());
            row.reads = sim.last.refs;
            row.gpas = sim.last.gpas;
            row.gfilts = sim.last.gfilts;
            row.hfilts = sim.last.hfilts;
            row.gfbits = sim.last.gfbits;
            row.hfbits = sim.last.hfbits;
            row.walks++;
            row.cycles += sim.last_cycles;
        }
    });
    return row;
}

// The `perf` lines of `make sim`: read counts and cycles per walk of each
// mode at a fixed memory latency.
void perf(int lat)
{
    // the build with every feature prints the modes, the one with walk
    // caches too the warm walks
    bool wc = need(NW_FEAT_WC);
    if (!every_mode())
        return;
    for (const BenchMode &m : bench_modes(4)) {
        bool warm = m.kind == B_WC_NATIVE || m.kind == B_WC_NESTED;
        if (warm != wc || m.kind == B_NATIVE_SEG || m.kind == B_NATIVE_GESC ||
            m.kind == B_DUAL_GESC || m.kind == B_DUAL_HESC || (m.kind == B_AGILE && m.level != 3) ||
            (m.kind == B_DUAL && m.filt))
            continue;
        static const char *const label[] = {
            "native", "", "", "nested", "shadow", "agile (switch at L3)", "vmm-direct",
            "guest-direct", "dual-direct"};
        std::string name = !warm ? label[m.kind]
                                 : (m.kind == B_WC_NATIVE ? "native, gPSC L" : "nested, gPSC L") +
                                       std::to_string(m.level) +
                                       (m.kind == B_WC_NESTED ? "+NTLB" : "");
        BenchRow r = bench_row("perf", m, 4, lat, 1);
        printf("perf: latency %2d  %-22s %2d reads %d gPAs %4llu cycles\n", lat,
               name.c_str(), r.reads, r.gpas, (unsigned long long)r.cycles);
    }
}

// `--bench`: cycles per walk of every mode at memory latencies 1 and 20
// (every walk still compared with the model), then the wall-clock speed of
// the random regression. Speed is reported, never checked.
void bench(long rand_walks, int chunk, int max_lat, int row_walks)
{
    static const int lats[2] = {1, 20};
    printf("bench: cycles per walk = cycles from the request transfer (cycle 0) to "
           "response valid;\n"
           "bench: latency L = each memory response is valid L+1 cycles after its "
           "request transfer,\n"
           "bench: mem_req_ready and resp_ready always 1, so T = 3 + reads x (L + 3) + 2 gPAs\n"
           "bench: + guest filter bits + host filter lookups + host filter bits (gPAs: those\n"
           "bench: handed to the host dimension, HLOOK and HOST each, but a Dual Direct hit's\n"
           "bench: with the host filter off, answered in START; filter lookups: a page in a\n"
           "bench: segment with its filter on, its bits read up to the first clear one, one a\n"
           "bench: cycle: START waits a cycle a bit, HOST one and HESC a cycle a bit);\n"
           "bench: \"before\":\n"
           "bench: the walker that folded each step into one cycle, T = 2 + reads x (L + 2)\n"
           "bench: (it had no walk caches and no DMT: - in their rows; a warm walk's cold\n"
           "bench: walk is the row of its mode)\n"
           "bench: %d successful walks of a 4 KiB page per row (random offset, access, "
           "privilege),\n"
           "bench: each compared with the model; levels = guest and host levels\n\n",
           row_walks);
    printf("| mode | levels | reads per walk | gPAs | filter lookups (bits read), guest + host | "
           "cycles per walk, latency 1 | before | cycles per walk, latency 20 | before |\n");
    printf("| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
    for (int levels = 4; levels <= (need(NW_FEAT_LA57) ? 5 : 4); levels++)
        for (const BenchMode &m : bench_modes(levels)) {
            BenchRow r[2];
            for (int i = 0; i < 2; i++)
                r[i] = bench_row("bench", m, levels, lats[i], row_walks);
            if (r[0].reads < 0 || r[1].reads < 0 || r[0].walks != (uint64_t)row_walks ||
                r[1].walks != (uint64_t)row_walks) {
                printf("| %s | %d | failed | | | | | | |\n", m.name.c_str(), levels);
                continue;
            }
            std::string c[2];
            for (int i = 0; i < 2; i++) {
                char buf[32];
                if (r[i].cycles % r[i].walks == 0)
                    snprintf(buf, sizeof buf, "%llu",
                             (unsigned long long)(r[i].cycles / r[i].walks));
                else
                    snprintf(buf, sizeof buf, "%.2f", (double)r[i].cycles / r[i].walks);
                c[i] = buf;
            }
            // the walker before had no walk caches and no DMT
            std::string before[2];
            for (int i = 0; i < 2; i++)
                before[i] = m.kind >= B_WC_NATIVE ? std::string("-")
                                : std::to_string(2 + r[i].reads * (lats[i] + 2));
            printf("| %s | %d | %d | %d | %d (%d) + %d (%d) | %s | %s | %s | %s |\n",
                   m.name.c_str(), levels, r[0].reads, r[0].gpas, r[0].gfilts, r[0].gfbits,
                   r[0].hfilts, r[0].hfbits, c[0].c_str(), before[0].c_str(), c[1].c_str(),
                   before[1].c_str());
        }
    fflush(stdout);

    // the random regression of `make sim`: seeds 1.., every fourth world
    // with latency 0..20, the others 0..max_lat, stalls 25% of cycles
    long nchunks = (rand_walks + chunk - 1) / chunk;
    if (g_stats.failed) {
        printf("\nbench: regression speed not measured: a walk above differs\n");
        return;
    }
    uint64_t w0 = g_stats.walks, c0 = g_stats.cycles;
    auto t0 = std::chrono::steady_clock::now();
    random_worlds(1, nchunks, chunk, max_lat);
    double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    uint64_t nw = g_stats.walks - w0, nc = g_stats.cycles - c0;
    printf("\nbench: regression speed: %llu random walks (%ld worlds x %d, seeds 1..%ld, "
           "latency 0..%d / 0..20, stalls as in make sim) in %.2f s of wall-clock time "
           "(steady_clock, world building included): %.0f walks/s, %.0f cycles/s\n",
           (unsigned long long)nw, nchunks, chunk, nchunks, max_lat, s, s > 0 ? nw / s : 0.0,
           s > 0 ? nc / s : 0.0);
}
