// Running a test (see nw_tb.h).
#include "nw_tb.h"

#include <cinttypes>

#include "nw_cov.h"

Tb g_tb;

static std::string trace_path(const std::string &test, uint64_t seed)
{
    return g_tb.trace_dir + "/fail_" + g_tb.build + "_" + test + "_" + std::to_string(seed) +
           ".fst";
}

bool run(const std::string &name, uint64_t seed, const Knobs &k,
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
    if (g_tb.failures_reported++ == 0) {
        std::string path = trace_path(name, seed);
        bool saved = g_cov.on;
        g_cov.on = false;
        Stats keep = g_stats;
        {
            Sim sim(seed, NW_FEATURES, k, fail_walk, path);
            printf("--- re-running %s seed %" PRIu64 " with tracing ---\n", name.c_str(),
                   seed);
            test(sim);
        }
        g_stats = keep;
        g_cov.on = saved;
        printf("waveform of the failing walk: %s\n", path.c_str());
        if (name == "random")
            printf("replay: SEED=%" PRIu64 " make sim\n", seed);
        else
            printf("test %s is deterministic: make %s repeats it\n", name.c_str(),
                   name.compare(0, 6, "bench-") ? "sim" : "bench-rtl");
    }
    return false;
}

void expect_ok(Sim &sim, int refs, const char *what)
{
    char buf[160];
    snprintf(buf, sizeof buf, "%s: ok with %d reads (got %s, %d)", what, refs,
             nw_status_name(sim.last.status), sim.last.refs);
    sim.expect(sim.last.status == NW_OK && sim.last.refs == refs, buf);
}

void expect_fault(Sim &sim, int status, int reason, int level, const char *what)
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
