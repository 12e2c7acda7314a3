// Lockstep harness: the RTL (Verilated nw_walker) and the C model walk the
// same requests over the same sparse memory. Sim drives the RTL's ports
// cycle by cycle (random memory latency, random stalls of every ready the
// harness drives, error injection) and compares every response, read list,
// register read and walk latency with the model (the busy-cycles counter,
// which the model does not keep, with the harness's own count).
#ifndef NW_SIM_H
#define NW_SIM_H

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

extern "C" {
#include "nestwalk.h"
}

class Vnw_walker;
class VerilatedContext;
class VerilatedFstC;

#ifndef NW_FEATURES
#define NW_FEATURES NW_FEAT_RTL
#endif
// whether this build has every feature of f
inline bool need(unsigned f) { return (NW_FEATURES & f) == f; }
// the features that add to a walk rather than make a mode of it: the
// build with every other feature samples the modes' coverage, the one
// with these too their own
const unsigned NW_FEAT_EXT = NW_FEAT_WC | NW_FEAT_DMT;
inline bool every_mode() { return (NW_FEATURES | NW_FEAT_EXT) == NW_FEAT_RTL; }

// the model's splitmix64: every random choice of a test comes from its seed
struct Rng {
    uint64_t s;
    explicit Rng(uint64_t seed) : s(seed) {}
    uint64_t next() { return nw_splitmix64(&s); }
    uint64_t below(uint64_t n) { return n ? next() % n : 0; }
    bool pct(unsigned p) { return below(100) < p; }
};

struct Knobs {
    int max_lat = 3;      // memory latency 0..max_lat extra cycles
    int fixed_lat = -1;   // >= 0: every response exactly this late, no stalls
    int req_stall = 25;   // % of cycles mem_req_ready is low
    int resp_stall = 25;  // % of cycles resp_ready is low
};

// One register access through the port (mirrored to the model).
struct RegOp {
    bool write;
    unsigned addr;
    uint64_t data;
};

struct Stats {
    uint64_t passed = 0, failed = 0, walks = 0, cycles = 0;
};
extern Stats g_stats;

class Sim {
public:
    Sim(uint64_t seed, unsigned features, const Knobs &k, long trace_walk,
        const std::string &trace_path);
    ~Sim();

    nw_state *model;
    nw_mem *mem;
    Rng rng;
    Knobs knobs;
    bool failed = false;
    long walk_no = 0;          // walks accepted so far in this Sim
    nw_result last;            // the model's result of the last walk
    uint64_t last_cycles = 0;  // request accepted to response valid

    // Register access; returns the value read (0 for a write).
    uint64_t reg(const RegOp &op);
    void reg_write(unsigned addr, uint64_t v) { reg({true, addr, v}); }
    uint64_t reg_read(unsigned addr) { return reg({false, addr, 0}); }
    // One walk; inject >= 0 makes that read (0-based) answer an error;
    // `during`, if given, is presented while the walk is in progress.
    bool walk(const nw_request &r, int inject = -1, const RegOp *during = nullptr);
    void idle(int n);
    // A failed expectation of a directed test.
    void expect(bool ok, const char *what);

private:
    VerilatedContext *ctx_;
    Vnw_walker *top_;
    VerilatedFstC *tfp_ = nullptr;
    long trace_walk_;
    uint64_t cycle_ = 0;

    // port drivers
    bool req_pend_ = false, reg_pend_ = false;
    nw_request req_{};
    unsigned req_id_ = 0;
    RegOp regop_{};
    uint64_t reg_rdata_ = 0;
    // the walk in progress
    bool active_ = false, resp_seen_ = false;
    uint64_t accept_cycle_ = 0, expect_cycles_ = 0;
    uint64_t busy_ = 0;  // cycles not idle since the counters were cleared
    uint64_t resp_sig_ = 0;
    int inject_ = -1;
    nw_result exp_{};
    std::vector<uint64_t> reads_;
    // the memory read waiting to be taken (protocol checks)
    bool mreq_seen_ = false;
    uint64_t mreq_first_ = 0, mreq_addr_ = 0;
    // the read outstanding (memory model)
    bool mem_busy_ = false, mem_err_ = false;
    uint64_t mem_due_ = 0, mem_data_ = 0;

    // One clock cycle: the driver sets the inputs, then, on the outputs,
    // the protocol checks, the memory model and the scoreboard.
    void step();
    // driver: the request, register and memory ports' inputs of this
    // cycle, stalls drawn from rng; returns whether a memory response is valid
    bool drive();
    // the response ports read into a result (and the response id)
    nw_result resp_port(unsigned *id) const;
    // protocol checks
    void check_ports();
    uint64_t check_mem_req(uint64_t addr, bool taken);
    void check_resp(const nw_result &r, unsigned id);
    // memory model
    int mem_take(uint64_t pa, bool inject);
    // scoreboard
    void reg_taken();
    void req_taken();
    void read_taken(uint64_t pa, uint64_t waited, int lat);
    void resp_valid(const nw_result &r, unsigned id, bool taken);
    void compare(const nw_result &r, unsigned id);

    void fail(const char *why);
    void dump_walk(const nw_result &rtl, const std::vector<uint64_t> &rtl_reads);
};

#endif
