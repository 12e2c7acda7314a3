// nestwalk lockstep testbench: directed tests per mode and fault, random
// worlds, the Linux fixture, functional coverage, and `--diff` for a user's
// own image and options. Prints `N passed, M failed` at the end, counting
// checks: every walk compared with the model, every register read compared,
// and every directed expectation. A bad option is refused (exit status 2).
#include <cerrno>
#include <cinttypes>
#include <climits>
#include <cstdarg>
#include <cstdlib>
#include <cstring>
#include <ctime>

#include "nw_cov.h"
#include "nw_tb.h"

[[noreturn]] static void usage_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "nw_tb: ");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\n");
    va_end(ap);
    exit(2);
}

// The value of a numeric option: an integer from min to INT_MAX.
static long number(const char *opt, const char *s, long min)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 0);
    if (!*s || *end || errno || v < min || v > INT_MAX)
        usage_error("%s: '%s' is not a number from %ld to %d", opt, s, min, INT_MAX);
    return v;
}

int main(int argc, char **argv)
{
    long walks = -1, chunk = 250, max_lat = 3, bench_walks = 32, nested_n = 20000;
    bool long_run = false, cov_verbose = false, bench_mode = false;
    std::string fixture_dir;
    const struct {
        const char *name;
        long *v;
        long min;
    } nums[] = {{"--walks", &walks, 0},         {"--chunk", &chunk, 1},
                {"--max-lat", &max_lat, 0},     {"--bench-walks", &bench_walks, 1},
                {"--fixture-nested", &nested_n, 1}};
    const struct {
        const char *name;
        std::string *v;
    } strs[] = {{"--fixture", &fixture_dir}, {"--trace-dir", &g_tb.trace_dir},
                {"--build", &g_tb.build}};
    const struct {
        const char *name;
        bool *v;
    } flags[] = {{"--bench", &bench_mode}, {"--long", &long_run}, {"--coverage", &cov_verbose}};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--diff"))
            return diff(argc - i - 1, argv + i + 1);
        bool known = false;
        for (auto &f : flags)
            if (!strcmp(a, f.name))
                *f.v = known = true;
        for (auto &s : strs)
            if (!strcmp(a, s.name)) {
                if (i + 1 == argc)
                    usage_error("%s needs a value", a);
                *s.v = argv[++i];
                known = true;
            }
        for (auto &n : nums)
            if (!strcmp(a, n.name)) {
                if (i + 1 == argc)
                    usage_error("%s needs a value", a);
                *n.v = number(a, argv[++i], n.min);
                known = true;
            }
        if (!known)
            usage_error("unknown option '%s'", a);
    }
    const char *seed_env = getenv("SEED");
    time_t t0 = time(nullptr);
    printf("nw_tb: build %s, features 0x%x\n", g_tb.build.c_str(), NW_FEATURES);
    if (bench_mode) {
        bench(walks >= 0 ? walks : 20000, (int)chunk, (int)max_lat, (int)bench_walks);
        printf("%" PRIu64 " passed, %" PRIu64 " failed\n", g_stats.passed, g_stats.failed);
        return g_stats.failed ? 1 : 0;
    }
    if (walks < 0)
        walks = 2000;
    if (seed_env) {
        // replay one random world
        uint64_t seed = strtoull(seed_env, nullptr, 0);
        printf("random world seed %" PRIu64 "\n", seed);
        random_worlds(seed, 1, (int)chunk, (int)max_lat);
    } else {
        directed();
        perf(1);
        perf(20);
        if (!fixture_dir.empty())
            fixture(fixture_dir, (size_t)nested_n, 11);
        uint64_t base = (uint64_t)time(nullptr) * 1000003u;
        if (!long_run)
            base = 1; // `make sim` is reproducible; sim-long explores
        long nchunks = (walks + chunk - 1) / chunk;
        printf("random worlds: %ld x %ld walks, seeds %" PRIu64 "..%" PRIu64 "\n", nchunks,
               chunk, base, base + (uint64_t)nchunks - 1);
        random_worlds(base, nchunks, (int)chunk, (int)max_lat);
    }
    int missing = seed_env ? 0
                           : g_cov.report(g_tb.trace_dir + "/coverage-" + g_tb.build + ".txt",
                                          cov_verbose);
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
