// The parts of the lockstep testbench (nw_tb): each test runs on a fresh
// Sim through run(), which re-runs a failing test with tracing.
#ifndef NW_TB_H
#define NW_TB_H

#include <functional>
#include <string>

#include "nw_world.h"

struct Tb {
    std::string trace_dir = "build/tb"; // waveforms and the coverage report
    std::string build = "full";         // the build's name, in file names
    int failures_reported = 0;
};
extern Tb g_tb;

// Runs test(sim) with a fresh Sim; on the run's first failure runs it again
// with tracing around the failing walk. Returns whether it passed.
bool run(const std::string &name, uint64_t seed, const Knobs &k,
         const std::function<void(Sim &)> &test);

inline nw_request rq(uint64_t va, int acc = NW_ACC_READ, int user = 0)
{
    return nw_request{va, acc, user};
}

// A directed test's expectations on the last walk.
void expect_ok(Sim &sim, int refs, const char *what);
void expect_fault(Sim &sim, int status, int reason, int level, const char *what);

// The parts, each in a file of its own.
void directed();                                     // nw_directed.cpp
void random_worlds(uint64_t base, long n, int chunk, int max_lat); // nw_random.cpp
void fixture(const std::string &dir, size_t nested_n, uint64_t seed); // nw_fixture.cpp
void perf(int lat);                                  // nw_bench.cpp
void bench(long rand_walks, int chunk, int max_lat, int row_walks);
int diff(int argc, char **argv);                     // nw_diff.cpp

#endif
