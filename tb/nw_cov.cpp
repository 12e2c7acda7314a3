// Functional coverage (see nw_cov.h).
#include "nw_cov.h"

#include <cinttypes>

extern "C" {
#include "nw_internal.h"
}

Coverage g_cov;

static const char *const size_names[] = {"4K", "2M", "1G"};

CovBin CovBin::outcome(Mode m, int gl, int hl, int status, int reason)
{
    CovBin b{OUTCOME};
    b.mode = m, b.gl = gl, b.hl = hl, b.status = status, b.reason = reason;
    return b;
}

CovBin CovBin::sizes(Mode m, int gl, int hl, int gs, int hs)
{
    CovBin b{SIZES};
    b.mode = m, b.gl = gl, b.hl = hl, b.gs = gs, b.hs = hs;
    return b;
}

CovBin CovBin::agile_switch(int gl, int hl, int j)
{
    CovBin b{SWITCH};
    b.mode = M_AGILE, b.gl = gl, b.hl = hl, b.j = j;
    return b;
}

CovBin CovBin::escape(bool host, bool virt)
{
    CovBin b{ESCAPE};
    b.host = host, b.virt = virt;
    return b;
}

CovBin CovBin::wcache(const std::string &what)
{
    CovBin b{WCACHE};
    b.what = what;
    return b;
}

CovBin CovBin::dmt(const std::string &what)
{
    CovBin b{DMT};
    b.what = what;
    return b;
}

std::string CovBin::key() const
{
    static const char *const st[] = {"ok", "gf", "hf", "sf", "bus"};
    static const char *const rs[] = {"", "np", "rsv", "prot", "nc"};
    std::string g = "G" + std::to_string(gl);
    std::string h = "H" + (hl ? std::to_string(hl) : std::string("-"));
    std::string lv = std::string(mode_names[mode]) + " " + g + " " + h;
    switch (kind) {
    case OUTCOME:
        if (status == NW_OK || status == NW_BUS_ERROR)
            return "A " + lv + " " + st[status];
        return "A " + lv + " " + st[status] + "-" + rs[reason];
    case SIZES:
        return "B " + lv + " " + size_names[gs] + " " + (hs < 0 ? "-" : size_names[hs]);
    case SWITCH:
        return "C " + g + " " + h + " j" + (j == gl + 1 ? std::string("S") : std::to_string(j));
    case ESCAPE:
        return std::string("E ") + (host ? "hesc" : "gesc") + (virt ? " virt" : " native");
    case WCACHE:
        return "W " + what;
    case DMT:
        return "D " + what;
    }
    return "";
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

// The walk-cache modes of the bins: how the guest dimension is walked.
static const char *wc_mode(uint64_t ctrl, const uint32_t *d)
{
    if (!(ctrl & NW_CTRL_VIRT))
        return "native";
    if (d[NW_CNT_GSEG_HITS])
        return "guest-direct";
    if (!(ctrl & NW_CTRL_SHADOW_EN))
        return "nested";
    return d[NW_CNT_SWITCHES] ? "agile" : "shadow";
}

void Coverage::sample_wc(uint64_t ctrl, const uint32_t *d, int gpsc_level, bool gpsc_shadow,
                         const std::vector<unsigned> &before, const std::vector<unsigned> &after)
{
    if (!on || !need(NW_FEAT_WC) || !(ctrl & NW_CTRL_WC_EN))
        return;
    std::string m = wc_mode(ctrl, d);
    // a guest PSC hit shows no switch: below a shadow root the walk is
    // agile when the entry says the tables below are the guest's
    if (d[NW_CNT_GPSC_HITS] && m == "shadow" && !gpsc_shadow)
        m = "agile";
    if (d[NW_CNT_GPSC_HITS])
        hit(CovBin::wcache("gpsc L" + std::to_string(gpsc_level) + " " + m));
    if (d[NW_CNT_HPSC_HITS])
        hit(CovBin::wcache("hpsc " + m));
    if (d[NW_CNT_NTLB_HITS])
        hit(CovBin::wcache("ntlb " + m));
    if (!d[NW_CNT_GPSC_HITS] && !d[NW_CNT_HPSC_HITS] && !d[NW_CNT_NTLB_HITS] &&
        d[NW_CNT_READS])
        hit(CovBin::wcache("miss " + m));
    // an insert (the FIFO pointer moved) into a full array evicts; a walk
    // with every array empty comes after a flush
    static const char *const kind[] = {"gpsc", "hpsc", "ntlb"};
    bool empty = true;
    for (size_t k = 0; k < before.size(); k++) {
        unsigned n = before[k] & 0xff, size = before[k] >> 16;
        empty = empty && n == 0;
        if (size && n == size && (after[k] >> 8 & 0xff) != (before[k] >> 8 & 0xff))
            hit(CovBin::wcache(std::string("evict ") + kind[k < 8 ? k % 2 : 2]));
    }
    if (empty && d[NW_CNT_WALKS])
        hit(CovBin::wcache("after a flush " + m));
}

void Coverage::sample_dmt(uint64_t ctrl, const uint32_t *d, int gwin, int hwin)
{
    if (!on || !need(NW_FEAT_DMT))
        return;
    std::string m = ctrl & NW_CTRL_VIRT ? "virt" : "native";
    // a walk in a guest window that reads no DMT entry went by a segment
    if (gwin >= 0 && (d[NW_CNT_DMT_HITS] || d[NW_CNT_DMT_FALLBACKS]))
        hit(CovBin::dmt("guest window " + std::to_string(gwin) + " " + m));
    if (hwin >= 0 && (d[NW_CNT_DMT_HITS] || d[NW_CNT_DMT_FALLBACKS]))
        hit(CovBin::dmt("host window " + std::to_string(hwin)));
    if (d[NW_CNT_DMT_HITS])
        hit(CovBin::dmt("hit " + m));
    if (d[NW_CNT_DMT_FALLBACKS])
        hit(CovBin::dmt("fall-back " + m));
}

void Coverage::sample(Sim &sim, const World *w, uint64_t ctrl, const uint32_t *d,
                      const nw_request &rq)
{
    if (!on || (NW_FEATURES & NW_FEAT_EXT))
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
    int hlv = virt && m != M_SHADOW ? hl : 0; // the host levels of the bins
    hit(CovBin::outcome(m, gl, hlv, r.status, r.reason));
    if (d[NW_CNT_GESCAPES])
        hit(CovBin::escape(false, virt));
    if (d[NW_CNT_HESCAPES])
        hit(CovBin::escape(true, virt));
    if (r.status != NW_OK)
        return;
    if (m == M_AGILE) {
        // the switch is below the last level read from the shadow tables
        int n = 0;
        for (int i = 0; i < r.refs; i++)
            n += r.reads[i] >= ST_BASE && r.reads[i] < ST_BASE + GT_SPAN;
        hit(CovBin::agile_switch(gl, hl, gl + 1 - n));
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
    hit(CovBin::sizes(m, gl, hlv, gs, hs));
}

std::set<std::string> Coverage::reachable()
{
    if (NW_FEATURES & NW_FEAT_EXT) {
        std::set<std::string> s;
        if (need(NW_FEAT_DMT)) {
            for (const char *m : {"native", "virt"}) {
                s.insert(CovBin::dmt(std::string("hit ") + m).key());
                s.insert(CovBin::dmt(std::string("fall-back ") + m).key());
                for (int k = 0; k < 4; k++)
                    s.insert(CovBin::dmt("guest window " + std::to_string(k) + " " + m).key());
            }
            for (int k = 0; k < 4; k++)
                s.insert(CovBin::dmt("host window " + std::to_string(k)).key());
        }
        if (!need(NW_FEAT_WC))
            return s;
        static const char *const modes[] = {"native", "nested", "shadow", "agile"};
        for (const char *m : modes) {
            for (int j = 2; j <= 5; j++)
                s.insert(CovBin::wcache("gpsc L" + std::to_string(j) + " " + m).key());
            s.insert(CovBin::wcache(std::string("miss ") + m).key());
            s.insert(CovBin::wcache(std::string("after a flush ") + m).key());
        }
        for (const char *m : {"nested", "agile"}) {
            s.insert(CovBin::wcache(std::string("hpsc ") + m).key());
            s.insert(CovBin::wcache(std::string("ntlb ") + m).key());
        }
        for (const char *k : {"gpsc", "hpsc", "ntlb"})
            s.insert(CovBin::wcache(std::string("evict ") + k).key());
        return s;
    }
    struct Outcome {
        int status, reason;
    };
    static const Outcome OK{NW_OK, 0}, BUS{NW_BUS_ERROR, 0},
        GF_NP{NW_GUEST_FAULT, NW_RSN_NOT_PRESENT}, GF_RSV{NW_GUEST_FAULT, NW_RSN_RESERVED},
        GF_PROT{NW_GUEST_FAULT, NW_RSN_PROTECTION}, GF_NC{NW_GUEST_FAULT, NW_RSN_NON_CANONICAL},
        HF_NP{NW_HOST_FAULT, NW_RSN_NOT_PRESENT}, HF_RSV{NW_HOST_FAULT, NW_RSN_RESERVED},
        HF_PROT{NW_HOST_FAULT, NW_RSN_PROTECTION}, SF_NP{NW_SHADOW_FAULT, NW_RSN_NOT_PRESENT},
        SF_RSV{NW_SHADOW_FAULT, NW_RSN_RESERVED}, SF_PROT{NW_SHADOW_FAULT, NW_RSN_PROTECTION};
    static const std::vector<Outcome> out[M_NUM] = {
        {OK, GF_NP, GF_RSV, GF_PROT, GF_NC, BUS},                        // native
        {OK, GF_PROT},                                                   // native-seg
        {OK, GF_NP, GF_RSV, GF_PROT, GF_NC, HF_NP, HF_RSV, HF_PROT, BUS}, // nested
        {OK, SF_NP, SF_RSV, SF_PROT, GF_NC, BUS},                        // shadow
        {OK, GF_NP, GF_RSV, GF_PROT, HF_NP, HF_RSV, HF_PROT, BUS},       // agile
        {OK, GF_NP, GF_RSV, GF_PROT, HF_NP, HF_RSV, HF_PROT, BUS},       // vmm-direct
        {OK, GF_PROT, HF_NP, HF_RSV, HF_PROT, BUS},                      // guest-direct
        {OK, GF_PROT, HF_PROT}};                                         // dual-direct
    std::set<std::string> s;
    for (int i = 0; i < M_NUM; i++) {
        Mode m = (Mode)i;
        bool host = m >= M_NESTED && m != M_SHADOW;
        for (int gl = 4; gl <= 5; gl++)
            for (int hl = 4; hl <= (host ? 5 : 4); hl++) {
                int hlv = host ? hl : 0;
                for (const Outcome &o : out[m])
                    s.insert(CovBin::outcome(m, gl, hlv, o.status, o.reason).key());
                // the page sizes each mode can end in
                for (int g = 0; g < 3; g++)
                    for (int h = 0; h < 3; h++) {
                        bool ok = false;
                        switch (m) {
                        case M_NATIVE: case M_SHADOW: ok = h == 0; break;
                        case M_NATIVE_SEG: ok = g == 0 && h == 0; break;
                        case M_NESTED: case M_AGILE: case M_VMM_DIRECT: ok = true; break;
                        case M_GUEST_DIRECT: ok = g == 0; break;
                        case M_DUAL: ok = g == 0 && h == 0; break;
                        default: break;
                        }
                        if (ok)
                            s.insert(CovBin::sizes(m, gl, hlv, g, host ? h : -1).key());
                    }
            }
    }
    for (int gl = 4; gl <= 5; gl++)
        for (int hl = 4; hl <= 5; hl++)
            for (int j = 2; j <= gl + 1; j++)
                s.insert(CovBin::agile_switch(gl, hl, j).key());
    s.insert(CovBin::escape(false, false).key());
    s.insert(CovBin::escape(false, true).key());
    s.insert(CovBin::escape(true, true).key());
    return s;
}

int Coverage::report(const std::string &path, bool verbose) const
{
    if (!on)
        return 0;
    std::set<std::string> want = reachable();
    int missing = 0;
    for (const std::string &b : want)
        if (!hits_.count(b)) {
            if (missing++ < 40)
                printf("coverage: bin not hit: %s\n", b.c_str());
        }
    size_t extra = 0;
    for (auto &kv : hits_)
        if (!want.count(kv.first) && extra++ < 40 && verbose)
            printf("coverage: further bin: %s\n", kv.first.c_str());
    FILE *f = fopen(path.c_str(), "w");
    if (f) {
        for (const std::string &b : want) {
            auto it = hits_.find(b);
            fprintf(f, "%-48s %" PRIu64 "\n", b.c_str(), it != hits_.end() ? it->second : 0);
        }
        for (auto &kv : hits_)
            if (!want.count(kv.first))
                fprintf(f, "%-48s %" PRIu64 " (not in the reachable list)\n",
                        kv.first.c_str(), kv.second);
        fclose(f);
    }
    printf("coverage: %zu of %zu reachable bins hit, %d missing (%zu further bins hit); "
           "hits per bin in %s\n",
           want.size() - (size_t)missing, want.size(), missing, extra, path.c_str());
    if (verbose)
        for (auto &kv : hits_)
            printf("  %-48s %" PRIu64 "\n", kv.first.c_str(), kv.second);
    return missing;
}

static void counters(nw_state *s, uint32_t *c)
{
    for (int i = 0; i < NW_NUM_COUNTERS; i++)
        c[i] = (uint32_t)nw_reg_read(s, NW_REG_COUNTERS + 8 * i);
}

// Each walk-cache array's valid entries (bits 7:0), FIFO pointer (15:8)
// and size (31:16), in the order guest and host PSC level 2, ..., level 5,
// then the NTLB.
static std::vector<unsigned> wc_fill(const nw_state *s)
{
    std::vector<unsigned> v;
    auto fill = [&](const nw_wc_array &a) {
        unsigned n = 0;
        for (unsigned i = 0; i < a.size; i++)
            n += a.slot[i].valid;
        v.push_back(a.size << 16 | (a.next & 0xff) << 8 | n);
    };
    for (int j = 0; j < 4; j++) {
        fill(s->gpsc.level[j]);
        fill(s->hpsc.level[j]);
    }
    fill(s->ntlb);
    return v;
}

bool cwalk(Sim &sim, const World *w, const nw_request &rq, int inject, const RegOp *during)
{
    uint32_t c0[NW_NUM_COUNTERS], c1[NW_NUM_COUNTERS];
    uint64_t ctrl = nw_reg_read(sim.model, NW_REG_CTRL);
    counters(sim.model, c0);
    nw_wc_entry e{};
    int gpsc_level = nw_psc_lookup(&sim.model->gpsc, rq.va, ctrl & NW_CTRL_G5 ? 5 : 4, &e);
    std::vector<unsigned> before = wc_fill(sim.model);
    // the DMT windows that hold the VA (a guest window), and the gPA of
    // the walk (a host window), if any
    uint64_t ea;
    int gwin = nw_dmt_lookup(sim.model->gdmt, NW_REG_GDMT_WINDOWS, rq.va, &ea);
    int hwin = -1;
    if (w && w->virt && w->gmem) {
        uint64_t gpa, leaf;
        int size;
        if (!nw_pt_lookup(w->gmem, w->gcr3, ctrl & NW_CTRL_G5 ? 5 : 4, rq.va, &gpa, &size, &leaf,
                          nullptr))
            hwin = nw_dmt_lookup(sim.model->hdmt, NW_REG_HDMT_WINDOWS, gpa, &ea);
    }
    bool ok = sim.walk(rq, inject, during);
    counters(sim.model, c1);
    for (int i = 0; i < NW_NUM_COUNTERS; i++)
        c1[i] -= c0[i];
    // a register write around the walk may have changed CTRL or counters
    if (ok && !(during && during->write)) {
        g_cov.sample(sim, w, ctrl, c1, rq);
        g_cov.sample_wc(ctrl, c1, gpsc_level, e.aux, before, wc_fill(sim.model));
        g_cov.sample_dmt(ctrl, c1, gwin, hwin);
    }
    return ok;
}
