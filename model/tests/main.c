/*
 * main.c: the test runner. Options:
 *   --fixture DIR   the linux-4level fixture (its test is skipped without it)
 *   --seed N        seed of the random tests (printed, so a run replays)
 *   --only STR      run only the tests whose name contains STR
 *   -v              print every test, not only failing ones
 * Prints `N passed, M failed` last; exits 1 if any check failed.
 */
#include "nw_test.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct nwt_registry nwt;

/* Failures printed per test; later ones are only counted, so a broken
 * loop over 74,019 fixture lines does not drown the report. */
#define MAX_PRINTED 12

void nwt_ctx(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(nwt.ctx, sizeof nwt.ctx, fmt, ap);
    va_end(ap);
}

static void report(const char *file, int line, const char *msg)
{
    if (nwt.test_failed > MAX_PRINTED)
        return;
    if (nwt.test_failed == MAX_PRINTED) {
        printf("    %s: further failures not printed\n", nwt.test);
        return;
    }
    printf("    %s:%d: %s: %s%s%s%s\n", file, line, nwt.test ? nwt.test : "-",
           msg, nwt.ctx[0] ? "  [" : "", nwt.ctx, nwt.ctx[0] ? "]" : "");
}

int nwt_check(int ok, const char *file, int line, const char *fmt, ...)
{
    if (ok) {
        nwt.passed++;
        nwt.test_passed++;
        return 1;
    }
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    report(file, line, msg);
    nwt.failed++;
    nwt.test_failed++;
    return 0;
}

int nwt_eq(uint64_t got, uint64_t want, const char *gexpr, const char *wexpr,
           const char *file, int line)
{
    if (got == want)
        return nwt_check(1, file, line, "-");
    return nwt_check(0, file, line,
                     "%s == %s: got 0x%llx (%lld), expected 0x%llx (%lld)",
                     gexpr, wexpr, (unsigned long long)got, (long long)got,
                     (unsigned long long)want, (long long)want);
}

void nwt_run(const char *name, void (*fn)(void))
{
    if (nwt.only && !strstr(name, nwt.only))
        return;
    nwt.test = name;
    nwt.test_passed = nwt.test_failed = 0;
    nwt.ctx[0] = 0;
    clock_t t0 = clock();
    fn();
    double sec = (double)(clock() - t0) / CLOCKS_PER_SEC;
    nwt.tests_run++;
    if (nwt.test_failed) {
        nwt.tests_failed++;
        printf("FAIL %-40s %ld of %ld checks failed (%.2fs)\n", name,
               nwt.test_failed, nwt.test_failed + nwt.test_passed, sec);
    } else if (nwt.verbose) {
        printf("ok   %-40s %ld checks (%.2fs)\n", name, nwt.test_passed, sec);
    }
    fflush(stdout);
    nwt.test = NULL;
    nwt.ctx[0] = 0;
}

static void usage(void)
{
    fprintf(stderr, "usage: nw_tests [--fixture DIR] [--seed N] [--only STR] [-v]\n");
    exit(2);
}

int main(int argc, char **argv)
{
    int seeded = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--fixture") && i + 1 < argc) {
            nwt.fixture = argv[++i];
        } else if (!strcmp(argv[i], "--seed") && i + 1 < argc) {
            char *end;
            nwt.seed = strtoull(argv[++i], &end, 0);
            if (*end)
                usage();
            seeded = 1;
        } else if (!strcmp(argv[i], "--only") && i + 1 < argc) {
            nwt.only = argv[++i];
        } else if (!strcmp(argv[i], "-v")) {
            nwt.verbose = 1;
        } else {
            usage();
        }
    }
    if (!seeded)
        nwt.seed = (uint64_t)time(NULL) * 0x9e3779b97f4a7c15ull ^ (uint64_t)clock();
    printf("nw_tests: random seed %llu (replay with --seed %llu)\n",
           (unsigned long long)nwt.seed, (unsigned long long)nwt.seed);

    clock_t t0 = clock();
    suite_regs();
    suite_filter();
    suite_order();
    suite_counts();
    suite_faults();
    suite_perm();
    suite_segments();
    suite_edges();
    suite_builder();
    suite_fuzz();
    suite_random();
    suite_fixture();
    suite_input();
    suite_images();
    suite_wc();
    suite_wc_random();
    suite_dmt();
    suite_dmt_random();
    suite_sim();

    printf("nw_tests: %d tests, %d failing, %.1fs\n", nwt.tests_run,
           nwt.tests_failed, (double)(clock() - t0) / CLOCKS_PER_SEC);
    printf("%ld passed, %ld failed\n", nwt.passed, nwt.failed);
    return nwt.failed ? 1 : 0;
}
