/*
 * tu.h: helpers shared by the model tests. Everything here is written from
 * SPEC.md / BEHAVIOUR.md alone, not from the model's sources: the page-table
 * writer, the H3 reference and the expectations are independent of
 * model/nw_*.c, so the model is checked against a second reading of the SPEC.
 * The one thing taken from the model is nw_splitmix64 (known answers in
 * test_filter.c): the H3 reference computes Q with it, where the model's
 * nw_h3 reads the table scripts/h3_table.py generated.
 */
#ifndef TU_H
#define TU_H

#include "nestwalk.h"
#include "nw_test.h"

#include <stdint.h>

/* P|W|U: permissions that allow everything */
#define TU_PWU (NW_PTE_P | NW_PTE_W | NW_PTE_U)
/* what intermediate entries get: P|W|U and A, as tables an OS has used
 * (walk caches keep only entries with A) */
#define TU_TABLE (TU_PWU | NW_PTE_A)

/* ---- random numbers: nw_splitmix64 on a state the test seeds ---- */
uint64_t tu_below(uint64_t *rng, uint64_t n); /* uniform in [0, n) */

/* ---- the SPEC's H3 hash, computed independently ---- */
unsigned tu_h3(int j, uint64_t page);
/* the same with Q computed once, for loops */
typedef struct { unsigned q[4][52]; } tu_h3q;
void tu_h3_table(tu_h3q *q);
unsigned tu_h3_with(const tu_h3q *q, int j, uint64_t page);

/* ---- a memory callback that logs reads and injects bus errors ---- */
typedef struct {
    nw_mem *mem;
    int n;                 /* reads so far */
    uint64_t addr[64];     /* their addresses */
    int fail_at;           /* 1-based index of a read to fail, 0 none */
    uint64_t fail_addr;    /* an address whose read fails, ~0 none */
} tu_rec;
void tu_rec_init(tu_rec *r, nw_mem *mem);
int tu_rec_read(void *ctx, uint64_t pa, uint64_t *data);

/* Translates through a recorder and checks that the result's reads[] and
 * refs are exactly the reads the callback saw (2 checks). */
void tu_walk_rec(nw_state *s, tu_rec *rec, uint64_t va, int access, int user,
                 nw_result *res);
/* The same through a fresh recorder over mem. */
void tu_walk(nw_state *s, nw_mem *mem, uint64_t va, int access, int user,
             nw_result *res);

/* ---- expectations on a result (every field, BEHAVIOUR.md's zeros too) ---- */
void tu_expect_ok(const char *file, int line, const nw_result *r, uint64_t pa,
                  int size, int w, int u, int xd, int refs);
void tu_expect_fault(const char *file, int line, const nw_result *r,
                     int status, int reason, int level, unsigned pferr,
                     uint64_t gpa, int gpt, int refs);
void tu_expect_reads(const char *file, int line, const nw_result *r,
                     const uint64_t *want, int n);
#define EXPECT_OK(r, pa, size, w, u, xd, refs) \
    tu_expect_ok(__FILE__, __LINE__, (r), (pa), (size), (w), (u), (xd), (refs))
#define EXPECT_FAULT(r, st, rsn, lvl, pferr, gpa, gpt, refs) \
    tu_expect_fault(__FILE__, __LINE__, (r), (st), (rsn), (lvl), (pferr), \
                    (gpa), (gpt), (refs))
#define EXPECT_READS(r, ...)                                              \
    do {                                                                  \
        static const uint64_t want_[] = {__VA_ARGS__};                    \
        tu_expect_reads(__FILE__, __LINE__, (r), want_,                   \
                        (int)(sizeof want_ / sizeof want_[0]));           \
    } while (0)

/* ---- an independent page-table writer ---- */
/* Index of va at level (1..5): bits 12+9(level-1)+8 .. 12+9(level-1). */
unsigned tu_idx(uint64_t va, int level);
/* Bytes of a page of size (enum nw_size). */
uint64_t tu_page_bytes(int size);

/* Tables come from a bump allocator over an address space in which the
 * entries live (gPA for guest tables); they are stored in mem at
 * address + store_off (hPA = gPA + store_off for guest tables). */
typedef struct {
    nw_mem *mem;
    uint64_t next, end, store_off;
} tu_tables;
uint64_t tu_table_new(tu_tables *t); /* a zeroed table, or 0 (a failed check) */
void tu_put(tu_tables *t, uint64_t addr, uint64_t value); /* store an entry */
uint64_t tu_get(tu_tables *t, uint64_t addr);
/* Maps va to pa with a page of size and leaf flags (P and PS added);
 * tables on the way get TU_TABLE. Returns the address of the leaf entry. */
uint64_t tu_map(tu_tables *t, uint64_t root, int levels, uint64_t va,
                uint64_t pa, int size, uint64_t flags);
/* Address of the table at level for va (walking present entries), 0 if
 * the walk stops above it. */
uint64_t tu_table_at(tu_tables *t, uint64_t root, int levels, uint64_t va,
                     int level);

/* ---- the hand-made world of test_order.c (its header gives every
 * address): native, host, guest and shadow tables whose entries are
 * their address | flags ---- */
nw_mem *tu_hand_world(uint64_t flags);

/* ---- a virtualized world built with tu_map ----
 * Host: hPA = gPA + hoff for every gPA it maps, with pages of hsize
 * (leaves P|W|U|A).
 * Guest tables: gPA from TU_GT_BASE, stored at gPA + hoff; the host maps
 * that whole area up front so every guest table gPA has a host page of
 * hsize. Shadow tables: hPA, from TU_ST_BASE. */
#define TU_GT_BASE   0x00100000ull  /* guest table gPAs */
#define TU_GT_PAGES  256
#define TU_HT_BASE   0x100000000ull /* host table hPAs */
#define TU_ST_BASE   0x180000000ull /* shadow table hPAs */
#define TU_HOFF      0x200000000ull /* hPA = gPA + TU_HOFF */
typedef struct {
    nw_mem *mem;
    int glevels, hlevels, hsize;
    uint64_t gcr3, hcr3, sroot;
    tu_tables g, h, sh;
} tu_world;
void tu_world_init(tu_world *w, int glevels, int hlevels, int hsize);
void tu_world_free(tu_world *w);
void tu_host_cover(tu_world *w, uint64_t gpa); /* map gpa's host page */
/* guest map va -> gpa (host covers gpa too); returns leaf entry gPA */
uint64_t tu_guest_map(tu_world *w, uint64_t va, uint64_t gpa, int size,
                      uint64_t flags);
/* Shadow entry for va as a VMM would make it: with sw_level 0 a leaf to
 * hpa of size ssize; with sw_level j (2..glevels) SW in the level-j entry
 * pointing at the hPA of the guest table at level j-1; with
 * sw_level = glevels + 1, returns the SCR3 value with SW (the guest root). */
uint64_t tu_shadow_map(tu_world *w, uint64_t va, uint64_t hpa, int ssize,
                       uint64_t flags, int sw_level);
/* Registers for the world: CTRL plus roots. */
void tu_world_regs(tu_world *w, nw_state *s, uint64_t ctrl);

/* Random non-overlapping guest mappings of mixed sizes and flags in a few
 * regions (so tables are shared); returns how many were made (<= n). */
typedef struct { uint64_t va, pa; int size; uint64_t flags; } tu_mapping;
int tu_random_mappings(uint64_t *r, tu_mapping *out, int n, int levels);

/* Number of reads of one walk of `levels` ending in a leaf of size. */
int tu_steps(int levels, int size);

/* Writes n bytes to path (a new file, or replacing one): 0, or -1. */
int tu_write_file(const char *path, const void *data, size_t n);

#endif
