// nestwalk lockstep testbench: directed tests per mode and fault, random
// worlds, the Linux fixture, functional coverage, and `--diff` for a user's
// own image and options. Prints `N passed, M failed` at the end, counting
// checks: every walk compared with the model, every register read compared,
// and every directed expectation.
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cinttypes>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <functional>
#include <map>
#include <set>
#include <string>

#include "nw_world.h"

static std::string g_trace_dir = "build/tb";
static std::string g_build = "full";
static int g_failures_reported = 0;

// ------------------------------------------------------------ coverage

static std::map<std::string, uint64_t> g_cov;
static bool g_cov_on = NW_FEATURES == NW_FEAT_ALL;

static const char *const size_names[] = {"4K", "2M", "1G"};

static std::string outcome(const nw_result &r)
{
    static const char *const st[] = {"ok", "gf", "hf", "sf", "bus"};
    static const char *const rs[] = {"", "np", "rsv", "prot", "nc"};
    if (r.status == NW_OK || r.status == NW_BUS_ERROR)
        return st[r.status];
    return std::string(st[r.status]) + "-" + rs[r.reason];
}

// Page size of a dimension's translation by its tables, or -1.
static int table_size(nw_mem *m, uint64_t root, int levels, uint64_t x)
{
    uint64_t pa, leaf;
    int size;
    return nw_pt_lookup(m, root, levels, x, &pa, &size, &leaf, nullptr) ? -1 : size;
}

static bool seg_hit(nw_state *s, unsigned base_reg, uint64_t x, bool filt_en, bool host)
{
    uint64_t b = nw_reg_read(s, base_reg), l = nw_reg_read(s, base_reg + 8);
    uint64_t p = x & ~0xfffull;
    if (!(b <= p && p < l))
        return false;
    if (!filt_en)
        return true;
    unsigned f = host ? NW_REG_HFILT : NW_REG_GFILT;
    for (int j = 0; j < 4; j++) {
        unsigned h = nw_h3(j, x >> 12);
        if (!(nw_reg_read(s, f + 8 * (h >> 6)) >> (h & 63) & 1))
            return false;
    }
    return true;
}

// Records the bins of one walk: A mode x levels x outcome, B mode x page
// size pair (ok walks), C agile switch level x levels, E escapes.
static void cover(Sim &sim, const World *w, uint64_t ctrl, const uint32_t *d,
                  const nw_request &rq)
{
    if (!g_cov_on)
        return;
    const nw_result &r = sim.last;
    bool virt = ctrl & NW_CTRL_VIRT;
    int gl = ctrl & NW_CTRL_G5 ? 5 : 4, hl = ctrl & NW_CTRL_H5 ? 5 : 4;
    Mode m;
    if (!virt)
        m = d[NW_CNT_GSEG_HITS] ? M_NATIVE_SEG : M_NATIVE;
    else if (d[NW_CNT_GSEG_HITS])
        // a guest-segment protection fault ends before the host segment
        m = d[NW_CNT_HSEG_HITS] ||
                    ((ctrl & NW_CTRL_HSEG_EN) && r.status == NW_GUEST_FAULT &&
                     seg_hit(sim.model, NW_REG_HSEG_BASE,
                             (rq.va + nw_reg_read(sim.model, NW_REG_GSEG_OFFSET)) & NW_PA_MASK,
                             ctrl & NW_CTRL_HFILT_EN, true))
                ? M_DUAL : M_GUEST_DIRECT;
    else if (ctrl & NW_CTRL_SHADOW_EN)
        m = d[NW_CNT_SWITCHES] ? M_AGILE : M_SHADOW;
    else
        m = d[NW_CNT_HSEG_HITS] ? M_VMM_DIRECT : M_NESTED;
    bool host = virt && m != M_SHADOW;
    std::string lv = std::string(mode_names[m]) + " G" + std::to_string(gl) + " H" +
                     (host ? std::to_string(hl) : "-");
    g_cov["A " + lv + " " + outcome(r)]++;
    if (d[NW_CNT_GESCAPES])
        g_cov[std::string("E gesc ") + (virt ? "virt" : "native")]++;
    if (d[NW_CNT_HESCAPES])
        g_cov["E hesc virt"]++;
    if (r.status != NW_OK)
        return;
    if (m == M_AGILE) {
        // the switch is below the last level read from the shadow tables
        int n = 0;
        for (int i = 0; i < r.refs; i++)
            n += r.reads[i] >= ST_BASE && r.reads[i] < ST_BASE + GT_SPAN;
        int j = gl + 1 - n;
        g_cov["C G" + std::to_string(gl) + " H" + std::to_string(hl) + " j" +
              (j == gl + 1 ? std::string("S") : std::to_string(j))]++;
    }
    int gs = -1, hs = -1;
    uint64_t gpa = 0;
    switch (m) {
    case M_NATIVE: case M_SHADOW: gs = r.size; break;
    case M_NATIVE_SEG: gs = 0; break;
    case M_DUAL: gs = hs = 0; break;
    case M_GUEST_DIRECT:
        gs = 0;
        gpa = (rq.va + nw_reg_read(sim.model, NW_REG_GSEG_OFFSET)) & NW_PA_MASK;
        break;
    default:
        if (!w || !w->gmem)
            return;
        {
            uint64_t leaf;
            if (nw_pt_lookup(w->gmem, w->gcr3, gl, rq.va, &gpa, &gs, &leaf, nullptr))
                return;
        }
    }
    if (m == M_GUEST_DIRECT || m == M_NESTED || m == M_AGILE || m == M_VMM_DIRECT) {
        if ((ctrl & NW_CTRL_HSEG_EN) &&
            seg_hit(sim.model, NW_REG_HSEG_BASE, gpa, ctrl & NW_CTRL_HFILT_EN, true))
            hs = 0;
        else if (w)
            hs = table_size(w->mem, w->hcr3, hl, gpa);
        if (hs < 0)
            return;
    }
    g_cov["B " + lv + " " + size_names[gs] + " " + (hs < 0 ? "-" : size_names[hs])]++;
}

static std::set<std::string> reachable()
{
    std::set<std::string> s;
    static const char *const out[M_NUM] = {
        "ok gf-np gf-rsv gf-prot gf-nc bus", "ok gf-prot",
        "ok gf-np gf-rsv gf-prot gf-nc hf-np hf-rsv hf-prot bus",
        "ok sf-np sf-rsv sf-prot gf-nc bus",
        "ok gf-np gf-rsv gf-prot hf-np hf-rsv hf-prot bus",
        "ok gf-np gf-rsv gf-prot hf-np hf-rsv hf-prot bus",
        "ok gf-prot hf-np hf-rsv hf-prot bus",
        "ok gf-prot hf-prot"};
    for (int m = 0; m < M_NUM; m++) {
        bool host = m >= M_NESTED && m != M_SHADOW;
        for (int gl = 4; gl <= 5; gl++)
            for (int hl = 4; hl <= (host ? 5 : 4); hl++) {
                std::string lv = std::string(mode_names[m]) + " G" + std::to_string(gl) +
                                 " H" + (host ? std::to_string(hl) : "-");
                char buf[128];
                strcpy(buf, out[m]);
                for (char *t = strtok(buf, " "); t; t = strtok(nullptr, " "))
                    s.insert("A " + lv + " " + t);
            }
        for (int g = 0; g < 3; g++)
            for (int h = 0; h < 3; h++) {
                bool ok = false;
                switch (m) {
                case M_NATIVE: case M_SHADOW: ok = h == 0; break;
                case M_NATIVE_SEG: ok = g == 0 && h == 0; break;
                case M_NESTED: case M_AGILE: case M_VMM_DIRECT: ok = true; break;
                case M_GUEST_DIRECT: ok = g == 0; break;
                case M_DUAL: ok = g == 0 && h == 0; break;
                }
                for (int gl = 4; ok && gl <= 5; gl++)
                    for (int hl = 4; hl <= (host ? 5 : 4); hl++)
                        s.insert("B " + std::string(mode_names[m]) + " G" +
                                 std::to_string(gl) + " H" +
                                 (host ? std::to_string(hl) : "-") + " " + size_names[g] +
                                 " " + (host ? size_names[h] : "-"));
            }
    }
    for (int gl = 4; gl <= 5; gl++)
        for (int hl = 4; hl <= 5; hl++) {
            for (int j = 2; j <= gl; j++)
                s.insert("C G" + std::to_string(gl) + " H" + std::to_string(hl) + " j" +
                         std::to_string(j));
            s.insert("C G" + std::to_string(gl) + " H" + std::to_string(hl) + " jS");
        }
    s.insert("E gesc native");
    s.insert("E gesc virt");
    s.insert("E hesc virt");
    return s;
}

static int report_coverage(bool verbose)
{
    if (!g_cov_on)
        return 0;
    std::set<std::string> want = reachable();
    int missing = 0;
    for (const std::string &b : want)
        if (!g_cov.count(b)) {
            if (missing++ < 40)
                printf("coverage: bin not hit: %s\n", b.c_str());
        }
    size_t extra = 0;
    for (auto &kv : g_cov)
        if (!want.count(kv.first) && extra++ < 40 && verbose)
            printf("coverage: further bin: %s\n", kv.first.c_str());
    std::string path = g_trace_dir + "/coverage-" + g_build + ".txt";
    FILE *f = fopen(path.c_str(), "w");
    if (f) {
        for (const std::string &b : want)
            fprintf(f, "%-48s %" PRIu64 "\n", b.c_str(), g_cov.count(b) ? g_cov[b] : 0);
        for (auto &kv : g_cov)
            if (!want.count(kv.first))
                fprintf(f, "%-48s %" PRIu64 " (not in the reachable list)\n",
                        kv.first.c_str(), kv.second);
        fclose(f);
    }
    printf("coverage: %zu of %zu reachable bins hit, %d missing (%zu further bins hit); "
           "hits per bin in %s\n",
           want.size() - (size_t)missing, want.size(), missing, extra, path.c_str());
    if (verbose)
        for (auto &kv : g_cov)
            printf("  %-48s %" PRIu64 "\n", kv.first.c_str(), kv.second);
    return missing;
}

// ------------------------------------------------------------ helpers

static void counters(nw_state *s, uint32_t *c)
{
    for (int i = 0; i < NW_NUM_COUNTERS; i++)
        c[i] = (uint32_t)nw_reg_read(s, NW_REG_COUNTERS + 8 * i);
}

// A walk with coverage.
static bool cwalk(Sim &sim, const World *w, const nw_request &rq, int inject = -1,
                  const RegOp *during = nullptr)
{
    uint32_t c0[NW_NUM_COUNTERS], c1[NW_NUM_COUNTERS];
    uint64_t ctrl = nw_reg_read(sim.model, NW_REG_CTRL);
    counters(sim.model, c0);
    bool ok = sim.walk(rq, inject, during);
    counters(sim.model, c1);
    for (int i = 0; i < NW_NUM_COUNTERS; i++)
        c1[i] -= c0[i];
    // a register write around the walk may have changed CTRL or counters
    if (ok && !(during && during->write))
        cover(sim, w, ctrl, c1, rq);
    return ok;
}

static std::string trace_path(const std::string &test, uint64_t seed)
{
    return g_trace_dir + "/fail_" + g_build + "_" + test + "_" + std::to_string(seed) +
           ".fst";
}

// Runs test(sim) with a fresh Sim; on a failure runs it again with tracing
// around the failing walk.
static bool run(const std::string &name, uint64_t seed, const Knobs &k,
                const std::function<void(Sim &)> &test)
{
    long fail_walk = -1;
    {
        Sim sim(seed, NW_FEATURES, k, -1, "");
        test(sim);
        if (!sim.failed)
            return true;
        fail_walk = sim.walk_no;
    }
    if (g_failures_reported++ == 0) {
        std::string path = trace_path(name, seed);
        bool saved = g_cov_on;
        g_cov_on = false;
        Stats keep = g_stats;
        {
            Sim sim(seed, NW_FEATURES, k, fail_walk, path);
            printf("--- re-running %s seed %" PRIu64 " with tracing ---\n", name.c_str(),
                   seed);
            test(sim);
        }
        g_stats = keep;
        g_cov_on = saved;
        printf("waveform of the failing walk: %s\n", path.c_str());
        if (name == "random")
            printf("replay: SEED=%" PRIu64 " make sim\n", seed);
        else
            printf("test %s is deterministic: make %s repeats it\n", name.c_str(),
                   name.compare(0, 6, "bench-") ? "sim" : "bench-rtl");
    }
    return false;
}

static void write_cfg(Sim &sim, const World &w, uint64_t ctrl)
{
    sim.reg_write(NW_REG_GCR3, w.gcr3 | (sim.rng.next() & 0xfff0000000000fffull));
    sim.reg_write(NW_REG_HCR3, w.hcr3);
    sim.reg_write(NW_REG_CTRL, ctrl);
}

static nw_request rq(uint64_t va, int acc = NW_ACC_READ, int user = 0)
{
    nw_request r{va, acc, user};
    return r;
}

// ------------------------------------------------------------ directed

// A small VM: VA_A -> 4K, VA_B -> 2M, VA_C -> 1G guest pages; the host maps
// them with host page size hsz and the guest tables with 4 KiB pages.
static const uint64_t VA_A = 0x00007f1234567000ull, VA_B = 0x0000555540200000ull,
                      VA_C = 0xffff888040000000ull, VA_D = 0x00007e1234567000ull;
// data gPAs in 1 GiB regions of their own, above the guest tables
static const uint64_t GPA_A = 0x43456000ull, GPA_B = 0x85a00000ull, GPA_C = 0xc0000000ull,
                      GPA_D = 0x43657000ull;

static void small_vm(Sim &sim, World &w, bool virt, int gl, int hl, int hsz = 0,
                     uint64_t gflags = NW_PTE_W | NW_PTE_U)
{
    Rng g(7);
    w.begin(virt, gl, hl, g);
    uint64_t hi = gl == 5 ? 0x0012000000000000ull : 0; // give L5 a non-zero index
    w.map_guest(canon(VA_A | hi, gl), GPA_A, 0, gflags);
    w.map_guest(canon(VA_B | hi, gl), GPA_B, 1, gflags);
    w.map_guest(canon(VA_C | hi, gl), GPA_C, 2, gflags);
    w.map_guest(canon(VA_D | hi, gl), GPA_D, 0, gflags);
    if (virt) {
        w.finish_guest(0, g, false);
        uint64_t h = 0x40000000000ull;
        w.map_host(GPA_A, h + GPA_A, hsz, NW_PTE_W | NW_PTE_U);
        w.map_host(GPA_B, h + GPA_B, hsz, NW_PTE_W | NW_PTE_U);
        w.map_host(GPA_C, h + GPA_C, hsz, NW_PTE_W | NW_PTE_U);
        w.map_host(GPA_D, h + GPA_D, hsz, NW_PTE_W | NW_PTE_U);
    }
    write_cfg(sim, w, (virt ? NW_CTRL_VIRT : 0) | (gl == 5 ? NW_CTRL_G5 : 0) |
                          (hl == 5 ? NW_CTRL_H5 : 0) | NW_CTRL_NXE);
}

static uint64_t va_of(uint64_t va, int gl)
{
    return canon(va | (gl == 5 ? 0x0012000000000000ull : 0), gl);
}

static void expect_ok(Sim &sim, int refs, const char *what)
{
    char buf[160];
    snprintf(buf, sizeof buf, "%s: ok with %d reads (got %s, %d)", what, refs,
             nw_status_name(sim.last.status), sim.last.refs);
    sim.expect(sim.last.status == NW_OK && sim.last.refs == refs, buf);
}

static void expect_fault(Sim &sim, int status, int reason, int level, const char *what)
{
    char buf[200];
    snprintf(buf, sizeof buf, "%s: %s %s level %d (got %s %s level %d)", what,
             nw_status_name(status), nw_reason_name(reason), level,
             nw_status_name(sim.last.status), nw_reason_name(sim.last.reason),
             sim.last.level);
    sim.expect(sim.last.status == status && sim.last.reason == reason &&
                   sim.last.level == level,
               buf);
}

static void set_seg(Sim &sim, unsigned base, uint64_t b, uint64_t l, uint64_t off)
{
    sim.reg_write(base, b);
    sim.reg_write(base + 8, l);
    sim.reg_write(base + 16, off);
}

static bool need(unsigned f) { return (NW_FEATURES & f) == f; }

static void directed()
{
    Knobs k;
    // read counts of SPEC section 1, every mode, 4- and 5-level
    for (int gl = 4; gl <= (need(NW_FEAT_LA57) ? 5 : 4); gl++) {
        run("native" + std::to_string(gl), 1, k, [&](Sim &sim) {
            World w(sim.mem);
            small_vm(sim, w, false, gl, 4);
            for (uint64_t va : {VA_A, VA_B, VA_C}) {
                cwalk(sim, &w, rq(va_of(va, gl) + 0x123));
                expect_ok(sim, gl - (va == VA_A ? 0 : va == VA_B ? 1 : 2), "native");
            }
        });
        if (need(NW_FEAT_SEG))
            run("native-seg" + std::to_string(gl), 1, k, [&](Sim &sim) {
                World w(sim.mem);
                small_vm(sim, w, false, gl, 4);
                uint64_t va = va_of(VA_A, gl);
                set_seg(sim, NW_REG_GSEG_BASE, va - 0x10000, va + 0x10000, 0x1000000);
                sim.reg_write(NW_REG_GSEG_ATTR, NW_PTE_W | NW_PTE_U);
                sim.reg_write(NW_REG_CTRL, NW_CTRL_GSEG_EN | (gl == 5 ? NW_CTRL_G5 : 0));
                cwalk(sim, &w, rq(va + 8));
                expect_ok(sim, 0, "native direct segment");
                sim.expect(sim.last.pa == ((va + 8 + 0x1000000) & NW_PA_MASK),
                           "native segment pa");
                if (need(NW_FEAT_FILT)) {
                    sim.reg_write(NW_REG_GFILT_INSERT, va >> 12);
                    sim.reg_write(NW_REG_CTRL, NW_CTRL_GSEG_EN | NW_CTRL_GFILT_EN |
                                                   (gl == 5 ? NW_CTRL_G5 : 0));
                    cwalk(sim, &w, rq(va + 8));
                    expect_ok(sim, gl, "guest escape walks");
                }
                // an empty segment and the segment's permissions
                sim.reg_write(NW_REG_CTRL, NW_CTRL_GSEG_EN | (gl == 5 ? NW_CTRL_G5 : 0));
                sim.reg_write(NW_REG_GSEG_ATTR, 0);
                cwalk(sim, &w, rq(va, NW_ACC_READ, 1));
                expect_fault(sim, NW_GUEST_FAULT, NW_RSN_PROTECTION, 0, "segment U");
                set_seg(sim, NW_REG_GSEG_BASE, va, va, 0);
                cwalk(sim, &w, rq(va));
                expect_ok(sim, gl, "empty segment");
            });
    }
    if (!need(NW_FEAT_VIRT))
        return;
    int maxl = need(NW_FEAT_LA57) ? 5 : 4;
    for (int gl = 4; gl <= maxl; gl++)
        for (int hl = 4; hl <= maxl; hl++) {
            std::string n = std::to_string(gl) + std::to_string(hl);
            run("nested" + n, 2, k, [&](Sim &sim) {
                for (int hsz = 0; hsz < 3; hsz++) {
                    sim.reg_write(NW_REG_CTRL, 0);
                    World w(sim.mem);
                    small_vm(sim, w, true, gl, hl, hsz);
                    uint64_t ctrl = nw_reg_read(sim.model, NW_REG_CTRL);
                    for (uint64_t va : {VA_A, VA_B, VA_C}) {
                        int g = gl - (va == VA_A ? 0 : va == VA_B ? 1 : 2);
                        int h = hl - hsz;
                        cwalk(sim, &w, rq(va_of(va, gl) + 0x40, NW_ACC_WRITE));
                        expect_ok(sim, g * (hl + 1) + h, "nested");
                    }
                    // every guest x host page size in the other modes that
                    // walk both dimensions: agile (SCR3.SW), VMM direct over
                    // the guest tables only, guest direct
                    if (need(NW_FEAT_SHADOW)) {
                        sim.reg_write(NW_REG_SCR3, w.host_of(w.gcr3) | NW_PTE_SW);
                        sim.reg_write(NW_REG_CTRL, ctrl | NW_CTRL_SHADOW_EN);
                        for (uint64_t va : {VA_A, VA_B, VA_C}) {
                            int g = gl - (va == VA_A ? 0 : va == VA_B ? 1 : 2);
                            cwalk(sim, &w, rq(va_of(va, gl)));
                            // the top guest table read directly, the rest nested
                            expect_ok(sim, 1 + (hl + 1) * (g - 1) + hl - hsz, "agile from SCR3");
                        }
                    }
                    if (need(NW_FEAT_SEG)) {
                        uint64_t hoff = 0x100000000ull;
                        for (uint64_t p = w.gt_base; p < w.ga.next; p += 8) {
                            uint64_t v;
                            nw_mem_read(w.gmem, p, &v);
                            nw_mem_write(w.mem, p + hoff, v);
                        }
                        set_seg(sim, NW_REG_HSEG_BASE, w.gt_base, w.gt_base + GT_SPAN, hoff);
                        sim.reg_write(NW_REG_HSEG_ATTR, NW_PTE_W);
                        sim.reg_write(NW_REG_CTRL, ctrl | NW_CTRL_HSEG_EN);
                        for (uint64_t va : {VA_A, VA_B, VA_C}) {
                            cwalk(sim, &w, rq(va_of(va, gl)));
                            expect_ok(sim, gl - (va == VA_A ? 0 : va == VA_B ? 1 : 2) +
                                               hl - hsz, "VMM direct over the tables");
                        }
                        uint64_t va = va_of(VA_A, gl);
                        set_seg(sim, NW_REG_GSEG_BASE, va, va + 0x1000, GPA_B - va);
                        sim.reg_write(NW_REG_GSEG_ATTR, NW_PTE_W | NW_PTE_U);
                        sim.reg_write(NW_REG_CTRL, ctrl | NW_CTRL_GSEG_EN);
                        cwalk(sim, &w, rq(va));
                        expect_ok(sim, hl - hsz, "guest direct, host page size");
                    }
                }
            });
            if (need(NW_FEAT_SHADOW))
                run("agile" + n, 3, k, [&](Sim &sim) {
                    for (int j = 0; j <= gl + 1; j++) {
                        if (j == 1)
                            continue;
                        World w(sim.mem);
                        small_vm(sim, w, true, gl, hl);
                        uint64_t va = va_of(VA_A, gl);
                        w.sroot = nw_alloc_page(&w.sa);
                        uint64_t scr3 = w.sroot;
                        if (j == gl + 1)
                            scr3 = w.host_of(w.gcr3) | NW_PTE_SW;
                        else
                            nw_shadow_map(&w.sa, w.sroot, w.gcr3, gl, w.hcr3, hl, va, j);
                        sim.reg_write(NW_REG_SCR3, scr3);
                        sim.reg_write(NW_REG_CTRL, NW_CTRL_VIRT | NW_CTRL_SHADOW_EN |
                                                       (gl == 5 ? NW_CTRL_G5 : 0) |
                                                       (hl == 5 ? NW_CTRL_H5 : 0));
                        cwalk(sim, &w, rq(va + 0x10));
                        // shadow: gl reads; switch below level j: the shadow
                        // levels gl..j, the guest table j-1 read directly,
                        // j-2 nested guest levels, the final host walk
                        int want = j == 0 ? gl : (gl - j + 1) + 1 + (hl + 1) * (j - 2) + hl;
                        expect_ok(sim, want, j ? "agile" : "shadow");
                        sim.expect(sim.last.pa == 0x40000000000ull + GPA_A + 0x10,
                                   "shadow/agile pa");
                        sim.reg_write(NW_REG_SCR3, 0);
                    }
                });
            if (need(NW_FEAT_SEG))
                run("direct" + n, 4, k, [&](Sim &sim) {
                    World w(sim.mem);
                    small_vm(sim, w, true, gl, hl);
                    uint64_t va = va_of(VA_A, gl), ctrl = NW_CTRL_VIRT |
                                                          (gl == 5 ? NW_CTRL_G5 : 0) |
                                                          (hl == 5 ? NW_CTRL_H5 : 0);
                    // VMM direct: the host segment maps all of guest memory
                    uint64_t hoff = 0x100000000ull;
                    for (uint64_t p = w.gt_base; p < w.ga.next; p += 8) {
                        uint64_t v;
                        nw_mem_read(w.gmem, p, &v);
                        nw_mem_write(w.mem, p + hoff, v);
                    }
                    set_seg(sim, NW_REG_HSEG_BASE, 0, 1ull << 40, hoff);
                    sim.reg_write(NW_REG_HSEG_ATTR, NW_PTE_W);
                    sim.reg_write(NW_REG_CTRL, ctrl | NW_CTRL_HSEG_EN);
                    cwalk(sim, &w, rq(va));
                    expect_ok(sim, gl, "VMM direct");
                    sim.expect(sim.last.pa == GPA_A + hoff, "VMM direct pa");
                    // guest direct with a nested host
                    set_seg(sim, NW_REG_GSEG_BASE, va, va + 0x1000, GPA_A - va);
                    sim.reg_write(NW_REG_GSEG_ATTR, NW_PTE_W | NW_PTE_U);
                    sim.reg_write(NW_REG_CTRL, ctrl | NW_CTRL_GSEG_EN);
                    cwalk(sim, &w, rq(va));
                    expect_ok(sim, hl, "guest direct");
                    uint64_t hl1 = World::entry_addr(w.mem, w.hcr3, hl, GPA_A, 1), e;
                    nw_mem_read(w.mem, hl1, &e);
                    nw_mem_write(w.mem, hl1, e & ~NW_PTE_W);
                    cwalk(sim, &w, rq(va, NW_ACC_WRITE));
                    expect_fault(sim, NW_HOST_FAULT, NW_RSN_PROTECTION, 1, "guest direct, host W");
                    nw_mem_write(w.mem, hl1, e);
                    // dual direct
                    sim.reg_write(NW_REG_CTRL, ctrl | NW_CTRL_GSEG_EN | NW_CTRL_HSEG_EN);
                    cwalk(sim, &w, rq(va + 0x7f8));
                    expect_ok(sim, 0, "dual direct");
                    sim.expect(sim.last.pa == GPA_A + hoff + 0x7f8, "dual direct pa");
                    cwalk(sim, &w, rq(va, NW_ACC_FETCH));
                    sim.expect(sim.last.status == NW_OK && !sim.last.xd, "dual fetch");
                    sim.reg_write(NW_REG_GSEG_ATTR, NW_PTE_W);
                    cwalk(sim, &w, rq(va, NW_ACC_READ, 1));
                    expect_fault(sim, NW_GUEST_FAULT, NW_RSN_PROTECTION, 0, "guest segment U");
                    sim.reg_write(NW_REG_GSEG_ATTR, NW_PTE_W | NW_PTE_U);
                    sim.reg_write(NW_REG_HSEG_ATTR, 0);
                    cwalk(sim, &w, rq(va, NW_ACC_WRITE));
                    expect_fault(sim, NW_HOST_FAULT, NW_RSN_PROTECTION, 0, "host segment W");
                    sim.reg_write(NW_REG_HSEG_ATTR, NW_PTE_W | NW_PTE_XD);
                    sim.reg_write(NW_REG_CTRL, ctrl | NW_CTRL_GSEG_EN | NW_CTRL_HSEG_EN |
                                                   NW_CTRL_NXE);
                    cwalk(sim, &w, rq(va, NW_ACC_FETCH));
                    expect_fault(sim, NW_HOST_FAULT, NW_RSN_PROTECTION, 0, "host segment XD");
                    sim.reg_write(NW_REG_HSEG_ATTR, NW_PTE_W);
                    if (need(NW_FEAT_FILT)) {
                        // escapes: each dimension walks
                        sim.reg_write(NW_REG_GFILT_INSERT, va >> 12);
                        sim.reg_write(NW_REG_CTRL, ctrl | NW_CTRL_GSEG_EN |
                                                       NW_CTRL_HSEG_EN | NW_CTRL_GFILT_EN);
                        cwalk(sim, &w, rq(va));
                        expect_ok(sim, gl, "dual, guest escape");
                        sim.reg_write(NW_REG_HFILT_INSERT, GPA_A >> 12);
                        sim.reg_write(NW_REG_CTRL, ctrl | NW_CTRL_GSEG_EN |
                                                       NW_CTRL_HSEG_EN | NW_CTRL_HFILT_EN);
                        cwalk(sim, &w, rq(va));
                        expect_ok(sim, hl, "dual, host escape");
                        sim.reg_write(NW_REG_FILT_CLEAR, 3);
                        cwalk(sim, &w, rq(va));
                        expect_ok(sim, 0, "filters cleared");
                    }
                });
        }
    // every fault of SPEC section 6
    run("faults", 5, k, [&](Sim &sim) {
        World w(sim.mem);
        small_vm(sim, w, true, 4, 4);
        uint64_t base = NW_CTRL_VIRT | NW_CTRL_NXE;
        cwalk(sim, &w, rq(0x0000800000000000ull, NW_ACC_WRITE, 1));
        expect_fault(sim, NW_GUEST_FAULT, NW_RSN_NON_CANONICAL, 0, "non-canonical");
        sim.expect(sim.last.pferr == (NW_PF_W | NW_PF_U) && sim.last.refs == 0,
                   "non-canonical pferr");
        cwalk(sim, &w, rq(VA_A ^ (1ull << 35)));
        expect_fault(sim, NW_GUEST_FAULT, NW_RSN_NOT_PRESENT, 3, "guest not present");
        // entries of VA_A's guest path, in guest-physical scratch and copied
        auto gentry = [&](int level) {
            return World::entry_addr(w.gmem, w.gcr3, 4, VA_A, level);
        };
        auto poke_guest = [&](int level, uint64_t set, uint64_t clr) {
            uint64_t ga = gentry(level), v;
            nw_mem_read(w.gmem, ga, &v);
            v = (v | set) & ~clr;
            nw_mem_write(w.gmem, ga, v);
            nw_mem_write(w.mem, w.host_of(ga), v);
        };
        poke_guest(4, NW_PTE_PS, 0);
        cwalk(sim, &w, rq(VA_A));
        expect_fault(sim, NW_GUEST_FAULT, NW_RSN_RESERVED, 4, "PS in L4");
        sim.expect(sim.last.pferr == (NW_PF_P | NW_PF_RSVD), "reserved pferr");
        poke_guest(4, 0, NW_PTE_PS);
        poke_guest(2, NW_PTE_XD, 0);
        sim.reg_write(NW_REG_CTRL, NW_CTRL_VIRT);
        cwalk(sim, &w, rq(VA_A));
        expect_fault(sim, NW_GUEST_FAULT, NW_RSN_RESERVED, 2, "XD without NXE");
        sim.reg_write(NW_REG_CTRL, base);
        cwalk(sim, &w, rq(VA_A, NW_ACC_FETCH));
        expect_fault(sim, NW_GUEST_FAULT, NW_RSN_PROTECTION, 1, "fetch from XD");
        sim.expect(sim.last.pferr == (NW_PF_P | NW_PF_ID), "fetch pferr");
        poke_guest(2, 0, NW_PTE_XD);
        poke_guest(1, 0, NW_PTE_U);
        cwalk(sim, &w, rq(VA_A, NW_ACC_READ, 1));
        expect_fault(sim, NW_GUEST_FAULT, NW_RSN_PROTECTION, 1, "user, not U");
        poke_guest(1, NW_PTE_U, NW_PTE_W);
        cwalk(sim, &w, rq(VA_A, NW_ACC_WRITE, 1));
        expect_fault(sim, NW_GUEST_FAULT, NW_RSN_PROTECTION, 1, "user write, not W");
        cwalk(sim, &w, rq(VA_A, NW_ACC_WRITE, 0));
        expect_ok(sim, 24, "supervisor write without WP");
        sim.reg_write(NW_REG_CTRL, base | NW_CTRL_WP);
        cwalk(sim, &w, rq(VA_A, NW_ACC_WRITE, 0));
        expect_fault(sim, NW_GUEST_FAULT, NW_RSN_PROTECTION, 1, "WP");
        sim.reg_write(NW_REG_CTRL, base | NW_CTRL_SMEP);
        cwalk(sim, &w, rq(VA_A, NW_ACC_FETCH, 0));
        expect_fault(sim, NW_GUEST_FAULT, NW_RSN_PROTECTION, 1, "SMEP");
        poke_guest(1, NW_PTE_W, 0);
        sim.reg_write(NW_REG_CTRL, base);
        // 2M and 1G leaves with reserved frame bits
        uint64_t b2 = World::entry_addr(w.gmem, w.gcr3, 4, VA_B, 2);
        uint64_t v;
        nw_mem_read(w.gmem, b2, &v);
        for (int bit : {13, 20}) {
            nw_mem_write(w.mem, w.host_of(b2), v | (1ull << bit));
            cwalk(sim, &w, rq(VA_B));
            expect_fault(sim, NW_GUEST_FAULT, NW_RSN_RESERVED, 2, "2M leaf bits 20:13");
        }
        nw_mem_write(w.mem, w.host_of(b2), v);
        uint64_t c3 = World::entry_addr(w.gmem, w.gcr3, 4, VA_C, 3);
        nw_mem_read(w.gmem, c3, &v);
        for (int bit : {13, 29}) {
            nw_mem_write(w.mem, w.host_of(c3), v | (1ull << bit));
            cwalk(sim, &w, rq(VA_C));
            expect_fault(sim, NW_GUEST_FAULT, NW_RSN_RESERVED, 3, "1G leaf bits 29:13");
        }
        nw_mem_write(w.mem, w.host_of(c3), v | (1ull << 30));
        cwalk(sim, &w, rq(VA_C));
        expect_ok(sim, 14, "1G leaf bit 30 is address");
        nw_mem_write(w.mem, w.host_of(c3), v);
        // host faults: on a guest table entry and on the final gPA
        uint64_t t1 = gentry(1);
        uint64_t h2 = World::entry_addr(w.mem, w.hcr3, 4, t1, 1);
        nw_mem_read(w.mem, h2, &v);
        nw_mem_write(w.mem, h2, v & ~NW_PTE_P);
        cwalk(sim, &w, rq(VA_A));
        expect_fault(sim, NW_HOST_FAULT, NW_RSN_NOT_PRESENT, 1, "host not present");
        sim.expect(sim.last.gpt == 1 && sim.last.fault_gpa == t1 && sim.last.refs == 19,
                   "host fault on a guest table: gpt, gPA, refs");
        nw_mem_write(w.mem, h2, v | NW_PTE_PS);
        cwalk(sim, &w, rq(VA_A));
        sim.expect(sim.last.status != NW_HOST_FAULT || sim.last.reason != NW_RSN_NOT_PRESENT,
                   "host PS leaf");
        nw_mem_write(w.mem, h2, v);
        uint64_t f1 = World::entry_addr(w.mem, w.hcr3, 4, GPA_A, 1);
        nw_mem_read(w.mem, f1, &v);
        nw_mem_write(w.mem, f1, v & ~NW_PTE_W);
        cwalk(sim, &w, rq(VA_A, NW_ACC_WRITE));
        expect_fault(sim, NW_HOST_FAULT, NW_RSN_PROTECTION, 1, "host write protection");
        sim.expect(sim.last.gpt == 0 && sim.last.fault_gpa == GPA_A, "final gPA fault");
        nw_mem_write(w.mem, f1, v | NW_PTE_XD);
        cwalk(sim, &w, rq(VA_A, NW_ACC_FETCH));
        expect_fault(sim, NW_HOST_FAULT, NW_RSN_PROTECTION, 1, "host XD");
        nw_mem_write(w.mem, f1, v | (1ull << 63));
        sim.reg_write(NW_REG_CTRL, NW_CTRL_VIRT);
        cwalk(sim, &w, rq(VA_A));
        expect_fault(sim, NW_HOST_FAULT, NW_RSN_RESERVED, 1, "host XD without NXE");
        nw_mem_write(w.mem, f1, v);
        sim.reg_write(NW_REG_CTRL, base);
        // a gPA beyond a 4-level host
        uint64_t a1 = gentry(1);
        nw_mem_read(w.gmem, a1, &v);
        for (int bit = 48; bit < 52; bit++) {
            nw_mem_write(w.mem, w.host_of(a1), v | (1ull << bit));
            cwalk(sim, &w, rq(VA_A));
            expect_fault(sim, NW_HOST_FAULT, NW_RSN_NOT_PRESENT, 0, "gPA beyond the host");
        }
        nw_mem_write(w.mem, w.host_of(a1), v);
        // bus errors: injected, and a table outside memory
        cwalk(sim, &w, rq(VA_A), 7);
        sim.expect(sim.last.status == NW_BUS_ERROR && sim.last.refs == 8 &&
                       sim.last.level == 2,
                   "injected bus error on the 8th read");
        sim.reg_write(NW_REG_HCR3, 0x7000000000ull);
        cwalk(sim, &w, rq(VA_A));
        sim.expect(sim.last.status == NW_BUS_ERROR && sim.last.refs == 1, "host root absent");
        sim.reg_write(NW_REG_HCR3, w.hcr3);
        // shadow faults
        if (need(NW_FEAT_SHADOW)) {
            w.sroot = nw_alloc_page(&w.sa);
            nw_shadow_map(&w.sa, w.sroot, w.gcr3, 4, w.hcr3, 4, VA_A, 0);
            sim.reg_write(NW_REG_SCR3, w.sroot);
            sim.reg_write(NW_REG_CTRL, base | NW_CTRL_SHADOW_EN);
            cwalk(sim, &w, rq(VA_A ^ (1ull << 35)));
            expect_fault(sim, NW_SHADOW_FAULT, NW_RSN_NOT_PRESENT, 3, "shadow not present");
            uint64_t s1 = World::entry_addr(w.mem, w.sroot, 4, VA_A, 1);
            nw_mem_read(w.mem, s1, &v);
            nw_mem_write(w.mem, s1, v | NW_PTE_SW);
            cwalk(sim, &w, rq(VA_A));
            expect_ok(sim, 4, "SW in a shadow L1 entry is ignored");
            nw_mem_write(w.mem, s1, v & ~NW_PTE_W);
            cwalk(sim, &w, rq(VA_A, NW_ACC_WRITE, 1));
            expect_fault(sim, NW_SHADOW_FAULT, NW_RSN_PROTECTION, 1, "shadow protection");
            sim.expect(sim.last.pferr == (NW_PF_P | NW_PF_W | NW_PF_U), "shadow pferr");
            uint64_t s4 = World::entry_addr(w.mem, w.sroot, 4, VA_A, 4);
            nw_mem_read(w.mem, s4, &v);
            nw_mem_write(w.mem, s4, v | NW_PTE_PS);
            cwalk(sim, &w, rq(VA_A));
            expect_fault(sim, NW_SHADOW_FAULT, NW_RSN_RESERVED, 4, "shadow reserved");
            // SW wins over PS
            nw_mem_write(w.mem, s4, (w.host_of(World::entry_addr(w.gmem, w.gcr3, 4, VA_A, 3)) &
                                     NW_PTE_ADDR) | NW_PTE_P | NW_PTE_W | NW_PTE_U |
                                        NW_PTE_PS | NW_PTE_SW);
            cwalk(sim, &w, rq(VA_A));
            expect_ok(sim, 16, "switch at L4 with PS");
            // the switching entry's own permissions fold in
            nw_mem_read(w.mem, s4, &v);
            nw_mem_write(w.mem, s4, v & ~NW_PTE_W);
            cwalk(sim, &w, rq(VA_A));
            sim.expect(sim.last.status == NW_OK && !sim.last.w, "switching entry's W folds");
            cwalk(sim, &w, rq(VA_A, NW_ACC_WRITE, 1));
            expect_fault(sim, NW_GUEST_FAULT, NW_RSN_PROTECTION, 1,
                         "protection after a switch is a guest fault");
        }
    });
}

// ------------------------------------------------------------ modes at a fixed latency

// One mode of `--bench` (and of the `perf` lines of `make sim`): successful
// walks of 4 KiB pages in the small VM, the same number of levels in both
// dimensions.
enum BenchKind {
    B_NATIVE, B_NATIVE_SEG, B_NATIVE_GESC, B_NESTED, B_SHADOW, B_AGILE, B_VMM_DIRECT,
    B_GUEST_DIRECT, B_DUAL, B_DUAL_GESC, B_DUAL_HESC
};

struct BenchMode {
    std::string name;
    BenchKind kind;
    int sw = 0; // agile: the shadow level whose entry has SW; levels + 1: SCR3.SW
};

static unsigned bench_features(const BenchMode &m, int levels)
{
    static const unsigned f[] = {
        0, NW_FEAT_SEG, NW_FEAT_SEG | NW_FEAT_FILT, NW_FEAT_VIRT,
        NW_FEAT_VIRT | NW_FEAT_SHADOW, NW_FEAT_VIRT | NW_FEAT_SHADOW,
        NW_FEAT_VIRT | NW_FEAT_SEG, NW_FEAT_VIRT | NW_FEAT_SEG, NW_FEAT_VIRT | NW_FEAT_SEG,
        NW_FEAT_VIRT | NW_FEAT_SEG | NW_FEAT_FILT, NW_FEAT_VIRT | NW_FEAT_SEG | NW_FEAT_FILT};
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
    v.push_back({"guest escape (Dual Direct)", B_DUAL_GESC});
    v.push_back({"host escape (Dual Direct)", B_DUAL_HESC});
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
    case B_AGILE:
        // the shadow levels L..j, the guest table j-1 read directly, j-2
        // nested guest levels, the final host walk
        return (L - m.sw + 1) + 1 + (L + 1) * (m.sw - 2) + L;
    default: return L;
    }
}

// Builds the small VM with `levels` in both dimensions and configures mode
// m; returns the 4 KiB page to walk.
static uint64_t bench_setup(Sim &sim, World &w, const BenchMode &m, int levels)
{
    bool virt = m.kind >= B_NESTED;
    small_vm(sim, w, virt, levels, levels);
    uint64_t va = va_of(VA_A, levels);
    uint64_t ctrl = NW_CTRL_NXE | (levels == 5 ? NW_CTRL_G5 | NW_CTRL_H5 : 0) |
                    (virt ? NW_CTRL_VIRT : 0);
    uint64_t hoff = 0x100000000ull;
    switch (m.kind) {
    case B_NATIVE: case B_NESTED: break;
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
        if (m.sw == levels + 1)
            scr3 = w.host_of(w.gcr3) | NW_PTE_SW;
        else
            nw_shadow_map(&w.sa, w.sroot, w.gcr3, levels, w.hcr3, levels, va,
                          m.kind == B_AGILE ? m.sw : 0);
        sim.reg_write(NW_REG_SCR3, scr3);
        ctrl |= NW_CTRL_SHADOW_EN;
        break;
    }
    default:
        // VMM Direct: the host segment maps all of guest memory at +hoff;
        // Guest Direct: the guest segment maps the page to GPA_A
        for (uint64_t p = w.gt_base; p < w.ga.next; p += 8) {
            uint64_t v;
            nw_mem_read(w.gmem, p, &v);
            nw_mem_write(w.mem, p + hoff, v);
        }
        set_seg(sim, NW_REG_HSEG_BASE, 0, 1ull << 40, hoff);
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
        break;
    }
    sim.reg_write(NW_REG_CTRL, ctrl);
    return va;
}

struct BenchRow {
    int reads = -1;
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
        Rng g(levels * 131 + m.kind * 17 + m.sw);
        int want = bench_reads(m, levels);
        for (int i = 0; i < n && !sim.failed; i++) {
            int acc = (int)g.below(3);
            cwalk(sim, &w, rq(va + g.below(4096), acc, (int)g.below(2)));
            expect_ok(sim, want, m.name.c_str());
            row.reads = sim.last.refs;
            row.walks++;
            row.cycles += sim.last_cycles;
        }
    });
    return row;
}

// The `perf` lines of `make sim`: read counts and cycles per walk of each
// mode at a fixed memory latency.
static void perf(int lat)
{
    if (NW_FEATURES != NW_FEAT_ALL)
        return;
    for (const BenchMode &m : bench_modes(4)) {
        if (m.kind == B_NATIVE_SEG || m.kind == B_NATIVE_GESC || m.kind == B_DUAL_GESC ||
            m.kind == B_DUAL_HESC || (m.kind == B_AGILE && m.sw != 3))
            continue;
        static const char *const label[] = {
            "native", "", "", "nested", "shadow", "agile (switch at L3)", "vmm-direct",
            "guest-direct", "dual-direct"};
        BenchRow r = bench_row("perf", m, 4, lat, 1);
        printf("perf: latency %2d  %-22s %2d reads %4llu cycles\n", lat, label[m.kind],
               r.reads, (unsigned long long)r.cycles);
    }
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

static uint64_t rand_va(Rng &g, int gl)
{
    return canon(g.next() & ~0xfffull, gl);
}

static RegOp rand_regop(Rng &g, uint64_t ctrl)
{
    switch (g.below(6)) {
    case 0: return {true, NW_REG_CTRL, ctrl ^ (NW_CTRL_NXE << g.below(3))};
    case 1: return {true, NW_REG_COUNTERS + 8 * (unsigned)g.below(12), g.next()};
    case 2: return {true, NW_REG_GFILT_INSERT, g.next()};
    case 3: return {true, NW_REG_FILT_CLEAR, g.below(4)};
    default: return {false, (unsigned)g.below(0x1000), 0};
    }
}

static void random_world(Sim &sim, uint64_t seed, int nwalks)
{
    Rng g(seed * 0x2545f4914f6cdd1dull + 1);
    int mode_pick = (int)g.below(M_NUM + 2); // two more: anything goes
    Mode mode = mode_pick < M_NUM ? (Mode)mode_pick : M_NUM;
    bool mixed = mode == M_NUM;
    int gl = need(NW_FEAT_LA57) && g.pct(45) ? 5 : 4;
    int hl = need(NW_FEAT_LA57) && g.pct(45) ? 5 : 4;
    bool virt = mixed ? g.pct(80) : mode >= M_NESTED;
    World w(sim.mem);
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
                w.map_host(gpa, g.next() & NW_PA_MASK, hs, rand_flags(g, true));
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
    sim.reg_write(NW_REG_SCR3, scr3);
    write_cfg(sim, w, ctrl | (g.pct(10) ? g.next() & ~0x7ffull : 0));

    for (int i = 0; i < nwalks && !sim.failed; i++) {
        uint64_t va;
        unsigned p = (unsigned)g.below(100);
        if (p < 30 && gseg)
            va = gb + (g.below(((glim - gb) >> 12) + 2) << 12) + g.below(4096);
        else if (p < 75 && !w.vas.empty())
            va = w.vas[g.below(w.vas.size())] + (g.next() & (g.pct(50) ? 0xfff : 0x1fffff));
        else if (p < 95)
            va = rand_va(g, gl) | g.below(4096);
        else
            va = g.next();
        int acc = (int)g.below(10);
        acc = acc < 5 ? NW_ACC_READ : acc < 8 ? NW_ACC_WRITE : acc < 9 ? NW_ACC_FETCH : 3;
        nw_request r = rq(va, acc, (int)g.below(2));
        int inject = g.pct(5) ? (int)g.below(g.pct(50) ? 6 : 36) : -1;
        uint64_t cur = nw_reg_read(sim.model, NW_REG_CTRL);
        RegOp op = rand_regop(g, cur);
        cwalk(sim, &w, r, inject, g.pct(10) ? &op : nullptr);
        if (g.pct(10))
            sim.reg_read((unsigned)g.below(0x1000));
        if (g.pct(2))
            sim.reg(rand_regop(g, nw_reg_read(sim.model, NW_REG_CTRL)));
        if (i % 64 == 63)
            for (unsigned a = 0; a < 12; a++)
                sim.reg_read(NW_REG_COUNTERS + 8 * a);
        if (g.pct(5))
            sim.idle((int)g.below(4));
    }
}

// ------------------------------------------------------------ Linux fixture

struct Oracle {
    uint64_t va, pa;
    bool large, xd, u, w;
};

static std::vector<Oracle> load_oracle(const std::string &dir)
{
    std::vector<Oracle> v;
    std::string cmd = "gzip -dc '" + dir + "/qemu-info-tlb.txt.gz'";
    FILE *f = popen(cmd.c_str(), "r");
    if (!f)
        return v;
    char line[256];
    while (fgets(line, sizeof line, f)) {
        unsigned long long va, pa;
        char fl[16];
        if (sscanf(line, "%llx: %llx %15s", &va, &pa, fl) != 3 || strlen(fl) != 9)
            continue;
        v.push_back({va, pa, fl[2] == 'P', fl[0] == 'X', fl[7] == 'U', fl[8] == 'W'});
    }
    pclose(f);
    return v;
}

// Native: every oracle page through RTL and model; the model's ok results
// are also checked against QEMU's. Nested: the same guest under a host
// table the harness builds (gPA + 16 GiB, mixed host page sizes).
static void fixture(const std::string &dir, size_t nested_n, uint64_t seed)
{
    std::vector<Oracle> orc = load_oracle(dir);
    if (orc.empty()) {
        printf("FAIL: fixture %s: no oracle lines\n", dir.c_str());
        g_stats.failed++;
        return;
    }
    std::string image = dir + "/pagetables.elf";
    const uint64_t CR3 = 0x614c000;
    Knobs k;
    for (int nested = 0; nested < 2; nested++) {
        if (nested && !need(NW_FEAT_VIRT))
            break;
        run(nested ? "fixture-nested" : "fixture-native", seed, k, [&](Sim &sim) {
            char err[256];
            World w(sim.mem);
            Rng g(seed);
            if (!nested) {
                if (nw_mem_load(sim.mem, image.c_str(), err, sizeof err)) {
                    sim.expect(false, err);
                    return;
                }
                sim.reg_write(NW_REG_GCR3, CR3);
                sim.reg_write(NW_REG_CTRL, NW_CTRL_NXE | NW_CTRL_WP);
            } else {
                w.begin(true, 4, 4, g);
                if (nw_mem_load(w.gmem, image.c_str(), err, sizeof err)) {
                    sim.expect(false, err);
                    return;
                }
                // host: gPA [0, 256 MiB) at +16 GiB, 2M pages except the
                // first 64 MiB (4K) and one 1G page above
                const uint64_t off = 16 * GB;
                for (uint64_t p = 0; p < (64ull << 20); p += 4096)
                    w.map_host(p, p + off, 0, NW_PTE_W | NW_PTE_U);
                for (uint64_t p = 64ull << 20; p < (256ull << 20); p += 2 << 20)
                    w.map_host(p, p + off, 1, NW_PTE_W | NW_PTE_U);
                nw_mem_copy(sim.mem, w.gmem, off);
                w.gcr3 = CR3;
                write_cfg(sim, w, NW_CTRL_VIRT | NW_CTRL_NXE | NW_CTRL_WP);
            }
            size_t n = nested ? std::min(nested_n, orc.size()) : orc.size();
            size_t step = orc.size() / n;
            for (size_t i = 0; i < n && !sim.failed; i++) {
                const Oracle &o = orc[i * step];
                uint64_t off = g.next() & (o.large ? 0x1fffff : 0xfff);
                int acc = (int)g.below(3), user = (int)g.below(2);
                cwalk(sim, &w, rq(o.va + off, acc, user), g.pct(1) ? (int)g.below(4) : -1);
                const nw_result &r = sim.last;
                if (r.status == NW_OK) {
                    uint64_t want = o.pa + off + (nested ? 16 * GB : 0);
                    // nested: the host's 4K pages below 64 MiB cut the size
                    int size = o.large && !(nested && o.pa < (64ull << 20)) ? 1 : 0;
                    // the oracle's flags are the leaf's own: a clear W or U,
                    // or a set XD, must show in the combined permissions
                    bool ok = r.pa == want && r.size == size && (o.w || !r.w) &&
                              (o.u || !r.u) && (!o.xd || r.xd);
                    if (!ok)
                        printf("  oracle: va 0x%llx pa 0x%llx, walk gives 0x%llx\n",
                               (unsigned long long)(o.va + off), (unsigned long long)want,
                               (unsigned long long)r.pa);
                    sim.expect(ok, "walk agrees with QEMU's info tlb");
                }
            }
            // an address inside no listed page
            cwalk(sim, &w, rq(0x0000100000000000ull));
            sim.expect(sim.last.status == NW_GUEST_FAULT &&
                           sim.last.reason == NW_RSN_NOT_PRESENT,
                       "unlisted address is not present");
        });
    }
}

// ------------------------------------------------------------ diff

// `--diff`: the options of `nestwalk translate`, parsed by the model's own
// nw_options_parse so both read them alike, run through RTL and model.
static int diff(int argc, char **argv)
{
    nw_options o;
    char err[512];
    if (nw_options_parse(&o, argc, argv, err, sizeof err)) {
        fprintf(stderr, "nw_tb: %s\n", err);
        exit(2);
    }
    std::vector<uint64_t> vas(o.vas, o.vas + o.nvas);
    if (o.addrs) {
        FILE *f = strcmp(o.addrs, "-") ? fopen(o.addrs, "r") : stdin;
        if (!f) {
            fprintf(stderr, "nw_tb: %s: %s\n", o.addrs, strerror(errno));
            exit(2);
        }
        char buf[256];
        for (int line = 1; fgets(buf, sizeof buf, f); line++) {
            uint64_t va;
            int got = nw_parse_va_line(buf, &va, err, sizeof err);
            if (got < 0) {
                fprintf(stderr, "nw_tb: %s line %d: %s\n", o.addrs, line, err);
                exit(2);
            }
            if (got)
                vas.push_back(va);
        }
        if (f != stdin)
            fclose(f);
    }
    std::vector<RegOp> ops;
    for (size_t i = 0; i < o.nops; i++)
        ops.push_back({true, o.ops[i].addr, o.ops[i].value});
    std::string image = o.image;
    nw_request req{0, o.access, o.user};
    nw_options_free(&o);
    Knobs k;
    bool ok = run("diff", 1, k, [&](Sim &sim) {
        char err[256];
        if (nw_mem_load(sim.mem, image.c_str(), err, sizeof err)) {
            fprintf(stderr, "nw_tb: %s\n", err);
            exit(2);
        }
        for (const RegOp &op : ops)
            sim.reg(op);
        for (uint64_t va : vas) {
            nw_request r = req;
            r.va = va;
            if (!sim.walk(r))
                break;
        }
    });
    if (ok)
        printf("identical: %zu translations\n", vas.size());
    return ok ? 0 : 1;
}

// ------------------------------------------------------------ bench

// `--bench`: cycles per walk of every mode at memory latencies 1 and 20
// (every walk still compared with the model), then the wall-clock speed of
// the random regression. Speed is reported, never checked.
static void bench(long rand_walks, int chunk, int max_lat, int row_walks)
{
    static const int lats[2] = {1, 20};
    printf("bench: cycles per walk = cycles from the request transfer (cycle 0) to "
           "response valid;\n"
           "bench: latency L = each memory response is valid L+1 cycles after its "
           "request transfer,\n"
           "bench: mem_req_ready and resp_ready always 1, so T = 2 + reads x (L + 2);\n"
           "bench: %d successful walks of a 4 KiB page per row (random offset, access, "
           "privilege),\n"
           "bench: each compared with the model; levels = guest and host levels\n\n",
           row_walks);
    printf("| mode | levels | reads per walk | cycles per walk, latency 1 | "
           "cycles per walk, latency 20 |\n");
    printf("| --- | --- | --- | --- | --- |\n");
    for (int levels = 4; levels <= (need(NW_FEAT_LA57) ? 5 : 4); levels++)
        for (const BenchMode &m : bench_modes(levels)) {
            BenchRow r[2];
            for (int i = 0; i < 2; i++)
                r[i] = bench_row("bench", m, levels, lats[i], row_walks);
            if (r[0].reads < 0 || r[1].reads < 0 || r[0].walks != (uint64_t)row_walks ||
                r[1].walks != (uint64_t)row_walks) {
                printf("| %s | %d | failed | | |\n", m.name.c_str(), levels);
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
            printf("| %s | %d | %d | %s | %s |\n", m.name.c_str(), levels, r[0].reads,
                   c[0].c_str(), c[1].c_str());
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
    for (long c = 0; c < nchunks && !g_stats.failed; c++) {
        uint64_t seed = 1 + (uint64_t)c;
        Knobs k;
        k.max_lat = seed % 4 == 3 ? 20 : max_lat;
        run("random", seed, k, [&](Sim &sim) { random_world(sim, seed, chunk); });
    }
    double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    uint64_t nw = g_stats.walks - w0, nc = g_stats.cycles - c0;
    printf("\nbench: regression speed: %llu random walks (%ld worlds x %d, seeds 1..%ld, "
           "latency 0..%d / 0..20, stalls as in make sim) in %.2f s of wall-clock time "
           "(steady_clock, world building included): %.0f walks/s, %.0f cycles/s\n",
           (unsigned long long)nw, nchunks, chunk, nchunks, max_lat, s, s > 0 ? nw / s : 0.0,
           s > 0 ? nc / s : 0.0);
}

// ------------------------------------------------------------ main

int main(int argc, char **argv)
{
    long walks = 2000;
    int chunk = 250, max_lat = 3;
    bool long_run = false, cov_verbose = false, walks_set = false, bench_mode = false;
    int bench_walks = 32;
    std::string fixture_dir;
    size_t nested_n = 20000;
    const char *seed_env = getenv("SEED");
    for (int i = 1; i < argc; i++) {
        std::string a = argv[i];
        if (a == "--diff")
            return diff(argc - i - 1, argv + i + 1);
        if (a == "--walks" && i + 1 < argc) walks = atol(argv[++i]), walks_set = true;
        else if (a == "--bench") bench_mode = true;
        else if (a == "--bench-walks" && i + 1 < argc) bench_walks = atoi(argv[++i]);
        else if (a == "--chunk" && i + 1 < argc) chunk = atoi(argv[++i]);
        else if (a == "--max-lat" && i + 1 < argc) max_lat = atoi(argv[++i]);
        else if (a == "--fixture" && i + 1 < argc) fixture_dir = argv[++i];
        else if (a == "--fixture-nested" && i + 1 < argc) nested_n = (size_t)atol(argv[++i]);
        else if (a == "--trace-dir" && i + 1 < argc) g_trace_dir = argv[++i];
        else if (a == "--build" && i + 1 < argc) g_build = argv[++i];
        else if (a == "--long") long_run = true;
        else if (a == "--coverage") cov_verbose = true;
    }
    time_t t0 = time(nullptr);
    printf("nw_tb: build %s, features 0x%x\n", g_build.c_str(), NW_FEATURES);
    if (bench_mode) {
        bench(walks_set ? walks : 20000, chunk, max_lat, bench_walks);
        printf("%" PRIu64 " passed, %" PRIu64 " failed\n", g_stats.passed, g_stats.failed);
        return g_stats.failed ? 1 : 0;
    }
    if (seed_env) {
        // replay one random world
        uint64_t seed = strtoull(seed_env, nullptr, 0);
        Knobs k;
        k.max_lat = (int)(seed % 4 == 3 ? 20 : max_lat);
        printf("random world seed %" PRIu64 "\n", seed);
        run("random", seed, k, [&](Sim &sim) { random_world(sim, seed, chunk); });
    } else {
        directed();
        perf(1);
        perf(20);
        if (!fixture_dir.empty())
            fixture(fixture_dir, nested_n, 11);
        uint64_t base = (uint64_t)time(nullptr) * 1000003u;
        if (!long_run)
            base = 1; // `make sim` is reproducible; sim-long explores
        long nchunks = (walks + chunk - 1) / chunk;
        printf("random worlds: %ld x %d walks, seeds %" PRIu64 "..%" PRIu64 "\n", nchunks,
               chunk, base, base + (uint64_t)nchunks - 1);
        for (long c = 0; c < nchunks && !g_stats.failed; c++) {
            uint64_t seed = base + (uint64_t)c;
            Knobs k;
            // every fourth world with slow memory
            k.max_lat = seed % 4 == 3 ? 20 : max_lat;
            run("random", seed, k, [&](Sim &sim) { random_world(sim, seed, chunk); });
        }
    }
    int missing = seed_env ? 0 : report_coverage(cov_verbose);
    // a short run (fewer random walks than `make sim`) only reports coverage
    if (missing && !g_stats.failed && walks >= 200000) {
        printf("FAIL: %d reachable coverage bins not hit\n", missing);
        g_stats.failed++;
    }
    printf("walks: %" PRIu64 ", cycles: %" PRIu64 ", %lds\n", g_stats.walks, g_stats.cycles,
           (long)(time(nullptr) - t0));
    printf("%" PRIu64 " passed, %" PRIu64 " failed\n", g_stats.passed, g_stats.failed);
    return g_stats.failed ? 1 : 0;
}
