/* Private to the model library: the walker's state, shared by the register
 * file (nw_regs.c) and the walk (nw_walk.c), and the error formatter of the
 * readers of files and options. */
#ifndef NW_INTERNAL_H
#define NW_INTERNAL_H

#include "nestwalk.h"

/* One escape filter: 256 Bloom bits in the register layout of SPEC 4. */
typedef struct {
    uint64_t bits[4];
} nw_filter;

/* One direct segment: the 64-bit registers as written (masked). */
typedef struct {
    uint64_t base, limit, offset, attr;
} nw_segment;

struct nw_state {
    unsigned features;
    uint64_t ctrl, gcr3, hcr3, scr3;
    nw_segment gseg, hseg;
    nw_filter gfilt, hfilt;
    uint32_t counters[NW_NUM_COUNTERS];
};

void nw_filter_insert(nw_filter *f, uint64_t page);
int nw_filter_hit(const nw_filter *f, uint64_t page);

/* Writes the one-line message (printf format) into err; returns -1, so
 * that a reader can `return nw_fail(...)`. */
int nw_fail(char *err, size_t len, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

#endif
