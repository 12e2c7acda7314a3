/* Private to the model library: the walker's state, shared by the register
 * file (nw_regs.c), the walk (nw_walk.c), the walk caches (nw_wc.c) and the
 * DMT windows (nw_dmt.c), and the error formatter of the readers of files
 * and options. */
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

/* One DMT window (SPEC section 10): its registers as written (masked). */
typedef struct {
    uint64_t base, limit, tea;
} nw_dmt_window;

/* GDMT_TEA bit 0: the guest TEA base is an hPA (pvDMT) */
#define NW_DMT_PV 1ull

/* One walk-cache entry: a lookup of x hits it when it is valid and
 * x >> shift == tag. */
typedef struct {
    uint64_t tag;
    uint64_t addr;  /* PSC: the next table as the walker reads it; NTLB: the frame */
    unsigned char valid, shift;
    unsigned char w, u, xd; /* folded so far (PSC) or over the host walk (NTLB) */
    unsigned char aux;      /* guest PSC: the walk below is in the shadow table;
                               NTLB: the page size */
} nw_wc_entry;

/* A fully associative array with FIFO replacement: an insert writes slot
 * `next` and advances it. */
typedef struct {
    nw_wc_entry *slot;
    unsigned size, next;
} nw_wc_array;

/* A paging-structure cache: one array per level 2..5 (level[j - 2]). */
typedef struct {
    nw_wc_array level[4];
} nw_psc;

struct nw_state {
    unsigned features;
    uint64_t ctrl, gcr3, hcr3, scr3;
    nw_segment gseg, hseg;
    nw_filter gfilt, hfilt;
    nw_dmt_window gdmt[NW_REG_GDMT_WINDOWS], hdmt[NW_REG_HDMT_WINDOWS];
    uint32_t counters[NW_NUM_COUNTERS];
    nw_psc gpsc, hpsc;
    nw_wc_array ntlb;
    nw_wc_entry *wc_slots; /* every array's slots, one allocation */
};

/* nw_wc.c. Sets up the arrays of c in s: 0, or -1 (a size too large, or
 * out of memory). */
int nw_wc_init(nw_state *s, const nw_wc_config *c);
void nw_wc_release(nw_state *s);
/* Empties the guest PSC, and with all every walk cache. */
void nw_wc_flush(nw_state *s, int all);
/* The deepest level j (2..levels) whose array holds one entry for address
 * x of a walk of `levels` levels, *e its entry; 0 when none does. An array
 * with two or more for x empties them (every level's). */
int nw_psc_lookup(nw_psc *p, uint64_t x, int levels, nw_wc_entry *e);
/* Caches e (addr, permissions, aux) as the state after the level-j entry
 * of x's walk. */
void nw_psc_insert(nw_psc *p, uint64_t x, int levels, int j, nw_wc_entry e);
/* The NTLB's one entry for gpa: 1 and *e, or 0 (two or more are emptied). */
int nw_ntlb_lookup(nw_wc_array *a, uint64_t gpa, nw_wc_entry *e);
/* Caches e (frame, W, XD, size in aux) for the page that holds gpa. */
void nw_ntlb_insert(nw_wc_array *a, uint64_t gpa, nw_wc_entry e);

/* nw_dmt.c. The lowest of the n windows t that holds x: its index and, in
 * *ea, the address of x's entry in its TEA; -1 when none does. */
int nw_dmt_lookup(const nw_dmt_window *t, int n, uint64_t x, uint64_t *ea);

void nw_filter_insert(nw_filter *f, uint64_t page);
/* Whether every hash's bit of page is set; *bits += the bits read, in hash
 * order up to the first clear one. */
int nw_filter_hit(const nw_filter *f, uint64_t page, int *bits);

/* nw_os.c: the OS and VMM of `nestwalk sim`. */

/* A map of 64-bit keys (below 2^64 - 1) to values; {0} is empty. */
typedef struct {
    uint64_t *key, *val; /* key + 1, 0 for a free slot */
    size_t cap, n;
} nw_u64map;
int nw_u64map_get(const nw_u64map *m, uint64_t key, uint64_t *val); /* 1 and *val, or 0 */
int nw_u64map_put(nw_u64map *m, uint64_t key, uint64_t val);        /* 0, or -1 out of memory */
void nw_u64map_free(nw_u64map *m);

/* An area of VA the trace uses: 2 MiB aligned, and its touched pages. */
typedef struct {
    uint64_t base, limit, pages;
} nw_area;

typedef struct {
    int thp, host_2m;
    uint64_t guest_mem;
    nw_area gseg;  /* the guest segment's area; limit = base: none */
    nw_area dmt[NW_REG_GDMT_WINDOWS];
    int ndmt;
} nw_os_config;

#define NW_OS_ORDERS 40
typedef struct {
    uint64_t *pa;
    size_t n, cap;
} nw_blocks;

typedef struct {
    nw_mem *mem;        /* guest memory at hPA = gPA, host and shadow tables */
    int thp, host_2m, max_order;
    uint64_t guest_mem;
    nw_blocks free[NW_OS_ORDERS]; /* the buddy allocator's free blocks by order */
    nw_alloc ga, ha;    /* guest table pages (the current block), host side */
    uint64_t gcr3, hcr3, sroot, aroot, htea;
    uint64_t gseg_base, gseg_limit, gseg_off;
    nw_dmt_window gdmt[NW_REG_GDMT_WINDOWS];
    int ndmt;
    nw_u64map mapped;      /* guest page (at its size) >> 12 -> gPA */
    nw_u64map host_mapped; /* host page >> 12 */
    nw_u64map tables;      /* guest table page >> 12 -> agile state */
    uint64_t agile_scr3;   /* SCR3 of the agile walkers */
    uint64_t agile_gen;    /* bumped whenever the agile shadow table changes */
    uint64_t shadow_interventions, agile_interventions, to_nested, to_shadow;
} nw_os;

nw_os *nw_os_new(const nw_os_config *c, char *err, size_t len);
void nw_os_free(nw_os *o);
/* The page that holds va, mapped on its first touch: 1 (mapped now) or 0
 * (already), with its gPA in *frame; -1 when guest memory ran out. */
int nw_os_touch(nw_os *o, uint64_t va, uint64_t *frame);
/* A shadow fault at va in the shadow (agile: the agile shadow) table: the
 * VMM composes the entry it had not (a 4 KiB part of a 2 MiB guest page
 * over 4 KiB host pages). 0, or -1. */
int nw_os_shadow_fault(nw_os *o, uint64_t va, int agile);
/* The end of an agile interval: 0, or -1 out of memory. */
int nw_os_interval(nw_os *o);

/* Writes the one-line message (printf format) into err; returns -1, so
 * that a reader can `return nw_fail(...)`. */
int nw_fail(char *err, size_t len, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

#endif
