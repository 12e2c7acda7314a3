/*
 * nw_test.h: a tiny test framework for the nestwalk model tests.
 *
 * Every CHECK counts one passed or failed check. A failing check prints
 * file:line, the test it ran in, the current context (nwt_ctx) and the
 * values involved. Tests are plain functions run by NWT_RUN from a suite
 * function; main.c lists the suites and prints `N passed, M failed`.
 *
 * The one global is `nwt`: the registry of options and counts.
 */
#ifndef NW_TEST_H
#define NW_TEST_H

#include <stdint.h>
#include <stdio.h>

struct nwt_registry {
    long passed, failed;       /* checks, over the whole run */
    const char *test;          /* the test running now */
    long test_passed, test_failed;
    char ctx[256];             /* what the test is looking at, for messages */
    const char *fixture;       /* --fixture DIR, or NULL */
    uint64_t seed;             /* --seed N, or a fresh one */
    const char *only;          /* --only SUBSTRING: run matching tests only */
    int verbose;               /* -v: print every test's name */
    int tests_run, tests_failed;
};
extern struct nwt_registry nwt;

/* Sets the context printed with failures (printf format); "" clears it. */
void nwt_ctx(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;

/* Counts one check; prints the message (printf format) when it failed.
 * Returns ok, so checks can guard later code. */
int nwt_check(int ok, const char *file, int line, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;
int nwt_eq(uint64_t got, uint64_t want, const char *gexpr, const char *wexpr,
           const char *file, int line);

void nwt_run(const char *name, void (*fn)(void));

#define CHECK(cond) nwt_check(!!(cond), __FILE__, __LINE__, "CHECK(%s)", #cond)
#define CHECK_MSG(cond, ...) nwt_check(!!(cond), __FILE__, __LINE__, __VA_ARGS__)
/* got == want, both taken as uint64_t; prints both in hex and decimal */
#define CHECK_EQ(got, want) \
    nwt_eq((uint64_t)(got), (uint64_t)(want), #got, #want, __FILE__, __LINE__)
#define NWT_RUN(fn) nwt_run(#fn, fn)

/* The suites (one per test file), run by main in this order. */
void suite_regs(void);
void suite_filter(void);
void suite_order(void);
void suite_counts(void);
void suite_faults(void);
void suite_perm(void);
void suite_segments(void);
void suite_edges(void);
void suite_fuzz(void);
void suite_builder(void);
void suite_random(void);
void suite_fixture(void);
void suite_input(void);
void suite_images(void);
void suite_wc(void);
void suite_wc_random(void);
void suite_dmt(void);
void suite_dmt_random(void);
void suite_sim(void);

#endif
