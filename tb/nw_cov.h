// Functional coverage of the lockstep harness: every walk compared with the
// model is sampled into bins, and the bins every build with all features
// can reach are listed; `make sim` fails if one of those is not hit.
#ifndef NW_COV_H
#define NW_COV_H

#include <map>
#include <set>
#include <string>

#include "nw_world.h"

// One bin by its coordinates. key() is its name, the one spelling used both
// when a walk is sampled and when the reachable bins are listed.
struct CovBin {
    enum Kind {
        OUTCOME, // A: mode x levels x outcome
        SIZES,   // B: mode x levels x guest and host page size of an ok walk
        SWITCH,  // C: agile switch level x levels
        ESCAPE,  // E: a filter escape
        WCACHE,  // W: a walk-cache event (builds with walk caches)
        DMT,     // D: a DMT event (builds with DMT windows)
    } kind;
    Mode mode = M_NUM;
    int gl = 4, hl = 0;         // hl 0: the mode walks no host dimension
    int status = 0, reason = 0; // OUTCOME
    int gs = -1, hs = -1;       // SIZES: enum nw_size, -1 for no host size
    int j = 0;                  // SWITCH: the switch level, gl + 1 for SCR3.SW
    bool host = false;          // ESCAPE: the host filter, else the guest's
    bool virt = false;          // ESCAPE: in a virtualized walk
    std::string what;           // WCACHE, DMT: the event

    static CovBin outcome(Mode m, int gl, int hl, int status, int reason);
    static CovBin sizes(Mode m, int gl, int hl, int gs, int hs);
    static CovBin agile_switch(int gl, int hl, int j);
    static CovBin escape(bool host, bool virt);
    static CovBin wcache(const std::string &what);
    static CovBin dmt(const std::string &what);
    std::string key() const;
};

class Coverage {
public:
    // only a build with every feature of the RTL can reach every bin; the
    // build without walk caches and DMT samples the walks' bins (A, B, C,
    // E), the one with them their events (W, D)
    bool on = every_mode();
    // The bins of one walk: ctrl is CTRL before it, d the counters' increments.
    void sample(Sim &sim, const World *w, uint64_t ctrl, const uint32_t *d,
                const nw_request &rq);
    // The walk-cache bins of one walk: the guest PSC's hit for its VA before
    // it (level, 0: none; whether the walk below is a shadow walk), and each
    // array's fill before and after it.
    void sample_wc(uint64_t ctrl, const uint32_t *d, int gpsc_level, bool gpsc_shadow,
                   const std::vector<unsigned> &before, const std::vector<unsigned> &after);
    // The DMT bins of one walk: the guest window holding its VA and the host
    // window holding its final gPA (-1: none).
    void sample_dmt(uint64_t ctrl, const uint32_t *d, int gwin, int hwin);
    // Prints the reachable bins not hit and writes every bin's hits to path;
    // returns how many reachable bins were not hit.
    int report(const std::string &path, bool verbose) const;
    static std::set<std::string> reachable();

private:
    std::map<std::string, uint64_t> hits_;
    void hit(const CovBin &b) { hits_[b.key()]++; }
};
extern Coverage g_cov;

// A walk (see Sim::walk) sampled for coverage.
bool cwalk(Sim &sim, const World *w, const nw_request &rq, int inject = -1,
           const RegOp *during = nullptr);

#endif
