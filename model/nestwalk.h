/*
 * nestwalk: bit-exact C11 model of an x86-64 two-dimensional page-table
 * walker with direct segments, escape filters, shadow and agile paging,
 * walk caches and Direct Memory Translation.
 *
 * The one public header of the model library. Every public name starts
 * with nw_ / NW_. There are no globals: a walker is an nw_state, memory is
 * reached through a callback, and the helpers (sparse memory, image
 * loading, page-table builder) are independent of the walker.
 *
 * Normative behaviour: ../shared/SPEC.md; choices where it is silent:
 * docs/BEHAVIOUR.md.
 */
#ifndef NESTWALK_H
#define NESTWALK_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* ---- encodings, register map, CTRL bits, counters, features: generated
 * from defs/nestwalk.toml (the RTL and docs/REGISTERS.md share them) ---- */
#include "nw_defs.h"

/* page-table entry bits */
#define NW_PTE_P    (1ull << 0)
#define NW_PTE_W    (1ull << 1)
#define NW_PTE_U    (1ull << 2)
#define NW_PTE_PWT  (1ull << 3)
#define NW_PTE_PCD  (1ull << 4)
#define NW_PTE_A    (1ull << 5)
#define NW_PTE_D    (1ull << 6)
#define NW_PTE_PS   (1ull << 7)
#define NW_PTE_G    (1ull << 8)
#define NW_PTE_SW   (1ull << 52)
#define NW_PTE_XD   (1ull << 63)
#define NW_PTE_ADDR 0x000ffffffffff000ull /* bits 51:12 */

#define NW_PA_MASK  0x000fffffffffffffull /* 52-bit physical address */
/* The most reads one translation makes: a 5-level nested walk (35) whose
 * six host translations each fall back from a host DMT window (6 more),
 * after a guest DMT window at a gPA fell back (its host translation and
 * read: 7 more). */
#define NW_MAX_READS 48

/* ---- the walker ---- */
typedef struct nw_state nw_state;

typedef struct {
    uint64_t va;
    int access; /* enum nw_access */
    int user;   /* 0 supervisor, 1 user */
} nw_request;

typedef struct {
    int status;          /* enum nw_status */
    int reason;          /* enum nw_reason */
    int level;           /* faulting entry's level, 0 if none */
    uint64_t pa;         /* ok: the (host) physical address, 52 bits */
    int size;            /* ok: enum nw_size */
    int w, u, xd;        /* ok: effective permissions */
    uint64_t fault_gpa;  /* host fault: the gPA being translated */
    int gpt;             /* host fault: 1 if that gPA was a guest table entry */
    unsigned pferr;      /* guest or shadow fault: x86 #PF error code */
    int refs;            /* memory reads made */
    int gpas;            /* gPAs handed to the host dimension (segment or walk) */
    int gfilts;          /* guest escape-filter lookups made (the VA in the segment, filter on) */
    int hfilts;          /* host escape-filter lookups made (a gPA in the segment, filter on) */
    int gfbits, hfbits;  /* the filter bits those lookups read, in hash order up to the first
                            clear one (1 to 4 a lookup: the RTL answers as it reads it) */
    int dual;            /* 1: a Dual Direct hit, the host filter off (its gPA takes no host
                            step in the RTL: docs/RTL.md, Timing) */
    uint64_t reads[NW_MAX_READS]; /* their addresses, in order */
} nw_result;

/* Reads the 8 bytes at physical address pa (8-byte aligned) into *data.
 * Returns 0, or non-zero for a bus error. */
typedef int (*nw_read_fn)(void *ctx, uint64_t pa, uint64_t *data);

nw_state *nw_new(unsigned features); /* NW_FEAT_ALL for the full walker */
void nw_free(nw_state *s);
void nw_reset(nw_state *s);          /* every register, filter, counter 0 */
void nw_reg_write(nw_state *s, unsigned addr, uint64_t value);
uint64_t nw_reg_read(const nw_state *s, unsigned addr);

void nw_translate(nw_state *s, const nw_request *req, nw_read_fn read,
                  void *ctx, nw_result *res);

/* ---- walk caches (SPEC section 9; organisation: docs/BEHAVIOUR.md) ----
 * A walker with the WC feature keeps a guest PSC, a host PSC and a nested
 * TLB, used and filled while CTRL.WC_EN = 1 and kept from one nw_translate
 * to the next. Each PSC level and the NTLB is one fully associative array
 * with FIFO replacement. They are emptied by nw_reset and by register
 * writes: WC_FLUSH (bits below), GCR3 and SCR3 (the guest PSC), HCR3 and
 * CTRL (every walk cache). */
#define NW_WC_FLUSH_GUEST 1u /* WC_FLUSH bit 0: the guest PSC */
#define NW_WC_FLUSH_ALL   2u /* WC_FLUSH bit 1: every walk cache */
#define NW_WC_MAX_ENTRIES 1024u /* of one array */

typedef struct {
    unsigned gpsc[4]; /* guest PSC entries at levels 2, 3, 4, 5 (gpsc[level - 2]);
                         0 leaves that level out */
    unsigned hpsc[4]; /* host PSC, likewise */
    unsigned ntlb;    /* nested TLB entries, 0 for none */
} nw_wc_config;

/* The sizes nw_new gives: 16, 4, 2, 2 PSC entries at L2, L3, L4, L5 in each
 * dimension and a 16-entry NTLB, those of a small x86 core. */
nw_wc_config nw_wc_defaults(void);
/* nw_new with walk caches of the sizes in *wc: NULL when one is above
 * NW_WC_MAX_ENTRIES or memory runs out. */
nw_state *nw_new_wc(unsigned features, const nw_wc_config *wc);

/* The escape filter's H3 hash j (0..3) of a 52-bit page number. */
unsigned nw_h3(int j, uint64_t page);
/* SPEC section 5's splitmix64: advances *state and returns its next output.
 * It defines H3's Q; the tests and the harness draw their random numbers
 * from it, so that a seed means the same everywhere. */
uint64_t nw_splitmix64(uint64_t *state);

/* Names for printing: "ok", "guest-fault", ...; "not-present", ...;
 * "4K", "2M", "1G". */
const char *nw_status_name(int status);
const char *nw_reason_name(int reason);
const char *nw_size_name(int size);

/* ---- the options of `nestwalk translate` (SPEC section 8) ---- */
typedef struct {
    unsigned addr;
    uint64_t value;
} nw_reg_op;

typedef struct {
    const char *image;   /* --image FILE */
    const char *addrs;   /* --addrs FILE, "-" for standard input, or NULL */
    int json;            /* --json */
    int access, user;    /* --access, --user */
    nw_reg_op *ops;      /* the register writes the options make, in order;
                            CTRL is the last */
    size_t nops;
    unsigned long flush_every; /* --flush-every N: write WC_FLUSH = 3 before
                                  the VAs numbered 0, N, 2N, ...; 0 never */
    uint64_t *vas;       /* the VAs given on the command line */
    size_t nvas;
} nw_options;

/* The CTRL bits of a `--mode` name (SPEC section 8); -1 for an unknown one. */
int nw_mode_ctrl(const char *name, uint64_t *ctrl);

/* Parses the arguments after `translate`. Returns 0, or -1 with a one-line
 * message in err (nothing to free then). */
int nw_options_parse(nw_options *o, int argc, char **argv, char *err,
                     size_t len);
void nw_options_free(nw_options *o);
/* A hex number, with or without 0x, at most 16 digits: 0, or -1. */
int nw_parse_hex(const char *s, uint64_t *v);
/* One line of an --addrs file (one VA a line, # starts a comment):
 * 1 and *va, 0 for a line with no address, -1 with a message in err. */
int nw_parse_va_line(const char *line, uint64_t *va, char *err, size_t len);
/* Reads an --addrs file ("-" for standard input), one VA a line (see
   nw_parse_va_line), calling fn(ctx, va) for each in order; fn returning
   non-zero stops the read. Returns 0, or -1 with a one-line message in err
   naming the file and line. */
int nw_addrs_read(const char *path, int (*fn)(void *ctx, uint64_t va), void *ctx, char *err, size_t len);

/* ---- QEMU's `info tlb`, the fixture's oracle ---- */
/* One line of QEMU's `info tlb`: "va: pa FLAGS", FLAGS 9 characters
   "XGPDACTUW" with '-' for a clear bit. */
typedef struct {
    uint64_t va, pa;
    int size;        /* NW_SIZE_2M when FLAGS has P (a PSE page), else NW_SIZE_4K */
    int w, u, xd;    /* FLAGS' W, U and X */
} nw_tlb_line;
/* Parses one line: 1 and *l, 0 for a line that is not a mapping. */
int nw_tlb_parse_line(const char *line, nw_tlb_line *l);
/* Reads every mapping of an `info tlb` file (gzip-compressed when its name
   ends in .gz). Returns 0 with a malloc'd array in *lines (free() it) and its
   length in *n, or -1 with a one-line message in err. */
int nw_tlb_load(const char *path, nw_tlb_line **lines, size_t *n, char *err, size_t len);

/* ---- sparse physical memory and memory images ---- */
/* A memory is the images loaded into it (files mapped, never copied, shared
 * by reference) with the pages written above them. See docs/IMAGES.md. */
typedef struct nw_mem nw_mem;

nw_mem *nw_mem_new(void);
void nw_mem_free(nw_mem *m);
/* Reads of a page never written or loaded are bus errors. */
int nw_mem_read(void *m, uint64_t pa, uint64_t *data); /* an nw_read_fn */
/* Writing into an image's page copies that page (only) above the image. */
void nw_mem_write(nw_mem *m, uint64_t pa, uint64_t value);
int nw_mem_has_page(const nw_mem *m, uint64_t pa);
size_t nw_mem_pages(const nw_mem *m); /* counted, not visited: O(ranges) */
/* Calls fn for every page (pa of its first byte, its 512 words), in no
 * particular order: every page of every image too, so its cost is the size
 * of the memory (16 M calls for a 64 GiB dump). A kdump page whose
 * descriptor or data are damaged is counted and has_page, but unreadable
 * (a bus error), and not visited. */
void nw_mem_foreach(const nw_mem *m,
                    void (*fn)(void *ctx, uint64_t pa, const uint64_t *words),
                    void *ctx);
/* Every page of src appears in dst at pa + offset (a guest's memory in the
 * host's, under a linear host map): src's images are shared, at that
 * offset, fully readable pages (not copied, whatever their size); its
 * written pages are copied. dst may outlive src. */
void nw_mem_copy(nw_mem *dst, const nw_mem *src, uint64_t offset);
/* Loads an ELF64 core (PT_LOAD at p_paddr), a kdump-compressed dump (zlib)
 * or a raw image (offset = PA): the file is mapped and indexed, a page is
 * read (or decompressed) when a walk reads it. A page the image holds
 * replaces, whole, a page already in m. Returns 0, or -1 with a one-line
 * message in err (m unchanged). */
int nw_mem_load(nw_mem *m, const char *path, char *err, size_t errlen);
/* The same over size bytes at data, named name in messages. The bytes are
 * not copied: they must stay alive and unchanged while m, or a memory
 * nw_mem_copy gave them to, exists. */
int nw_mem_load_bytes(nw_mem *m, const char *name, const void *data, size_t size,
                      char *err, size_t errlen);

/* ---- page-table builder (tests, demos, bench) ---- */
/* Table pages come from a bump allocator over [next, end). */
typedef struct {
    nw_mem *mem;
    uint64_t next, end;
} nw_alloc;

/* A zeroed 4 KiB page from the allocator; 0 when it is exhausted. */
uint64_t nw_alloc_page(nw_alloc *a);

/* Maps va to pa in the table at root (levels 4 or 5) with a page of size
 * (enum nw_size) and the leaf's flags (P is added; PS where needed).
 * Tables on the way get P|W|U|A (accessed, as an OS's tables are once used,
 * so that walk caches keep them) and are allocated as needed. Returns 0, or -1
 * if the mapping collides with a different page size or alloc ran out. */
int nw_pt_map(nw_alloc *a, uint64_t root, int levels, uint64_t va,
              uint64_t pa, int size, uint64_t flags);

/* Address of the entry at `level` for va, creating tables above it, or 0. */
uint64_t nw_pt_entry(nw_alloc *a, uint64_t root, int levels, uint64_t va,
                     int level);

/* Lays out [va, va + len) (len a multiple of 2 MiB, both 2 MiB aligned) as
 * an OS that keeps a Translation Entry Area does (SPEC section 10): the
 * area's level-1 tables become len / 2 MiB pages in a row from the
 * allocator, the TEA (*tea, in the address space of the table's entries),
 * and every level-2 entry of the area points into it. A level-1 table
 * already there is copied into its TEA page (the old page is left unused);
 * a level-2 entry not present gets its TEA page as an empty table, so that
 * later nw_pt_map calls fill the TEA; a 2 MiB or 1 GiB page stays, its TEA
 * page empty (not present: DMT falls back to the walk). The window is then
 * BASE = va, LIMIT = va + len, TEA = *tea. Returns 0, or -1 for a bad area
 * or when alloc ran out. */
int nw_pt_tea(nw_alloc *a, uint64_t root, int levels, uint64_t va, uint64_t len,
              uint64_t *tea);

/* The Linux fixture's areas that DMT gets: its largest area of 4 KiB pages
 * (4 GiB of VA, 65,536 of QEMU's lines) and the kernel's direct map of its
 * 256 MiB of RAM (4 KiB and 2 MiB pages). */
#define NW_FIXTURE_CR3   0x614c000ull
#define NW_FIXTURE_TEA   0x20000000ull /* free physical memory above its RAM */
#define NW_FIXTURE_AREAS 2
typedef struct {
    const char *name;
    uint64_t base, limit; /* VA, [base, limit) */
} nw_fixture_area;
const nw_fixture_area *nw_fixture_area_get(unsigned k); /* k < NW_FIXTURE_AREAS */
/* Lays the fixture's areas out as TEAs in m (the fixture's image, its
 * table at NW_FIXTURE_CR3), from NW_FIXTURE_TEA up, as an OS with DMT keeps
 * them (nw_pt_tea): tea[k] is area k's. Returns 0, or -1 when the tables do
 * not have the fixture's shape. */
int nw_fixture_teas(nw_mem *m, uint64_t tea[NW_FIXTURE_AREAS]);

/* A software walk of one dimension with no permission checks: returns 0 and
 * the translation, or -1 if unmapped. leaf (may be NULL) receives the leaf
 * entry; table_at_level[l] (may be NULL) the table address used at level l. */
int nw_pt_lookup(nw_mem *m, uint64_t root, int levels, uint64_t va,
                 uint64_t *pa, int *size, uint64_t *leaf,
                 uint64_t table_at_level[6]);

/* Composes a shadow entry for gva, as a VMM would: from the guest table
 * (gcr3, glevels, a gPA tree in host memory) and the host table (hcr3,
 * hlevels), it fills the shadow table at sroot (an hPA). With sw_level 0
 * the shadow leaf maps gva to its hPA with the smaller page size and the
 * combined permissions; with sw_level j (2..glevels) the shadow entry at
 * level j gets SW and the hPA of the guest table at level j-1. Returns 0,
 * or -1 if gva is unmapped in either dimension or alloc ran out. */
int nw_shadow_map(nw_alloc *a, uint64_t sroot, uint64_t gcr3, int glevels,
                  uint64_t hcr3, int hlevels, uint64_t gva, int sw_level);

/* ---- memory-access traces and the TLB simulator (`nestwalk sim`) ---- */
enum nw_trace_kind { NW_TR_INSTR, NW_TR_LOAD, NW_TR_STORE, NW_TR_MODIFY };

/* The largest access a record may have: a page, so that a record touches
 * at most two pages (lackey's are at most 64 bytes, a vector register) */
#define NW_TRACE_MAX_SIZE 4096u

typedef struct {
    uint64_t addr;
    unsigned size; /* bytes, 1 .. NW_TRACE_MAX_SIZE; an access over a page
                      boundary touches both pages */
    int kind;      /* enum nw_trace_kind */
} nw_trace_rec;

/* One line of valgrind lackey's --trace-mem=yes output ("I  04016d0,3",
 * " L 04222cac,8", " S ...", " M ..."): 1 and *r; 0 for valgrind's own
 * lines (==PID==, --PID--) and blank ones; -1 with a message in err. */
int nw_lackey_parse(const char *line, nw_trace_rec *r, char *err, size_t len);

/* A trace in memory, in the compact encoding of the binary file form
 * (model/nw_trace.c). */
typedef struct nw_trace nw_trace;
nw_trace *nw_trace_new(void);
void nw_trace_free(nw_trace *t);
int nw_trace_add(nw_trace *t, const nw_trace_rec *r); /* 0, or -1 out of memory */
uint64_t nw_trace_count(const nw_trace *t);
/* Appends the records numbered skip .. skip + limit - 1 of a trace file
 * ("-" for standard input): lackey text or the binary form, either of them
 * gzip-compressed or not; with progress, a progress line on standard error
 * while a text trace is read (a tracer behind a pipe is slow). 0, or -1
 * with a one-line message in err naming the file (and the line of a text
 * trace). */
int nw_trace_read(nw_trace *t, const char *path, uint64_t skip, uint64_t limit, int progress,
                  char *err, size_t len);
/* Writes the binary form, gzip-compressed: 0, or -1 with a message. */
int nw_trace_write(const nw_trace *t, const char *path, char *err, size_t len);
typedef struct {
    const unsigned char *p, *end;
    uint64_t prev[2];
} nw_trace_cursor;
void nw_trace_begin(const nw_trace *t, nw_trace_cursor *c);
/* The next record: 1 and *r, 0 at the end, -1 for damaged bytes. */
int nw_trace_next(nw_trace_cursor *c, nw_trace_rec *r);

/* The walker configurations a trace runs in. */
enum nw_sim_mode {
    NW_SIM_NATIVE, NW_SIM_NESTED, NW_SIM_SHADOW, NW_SIM_AGILE, NW_SIM_VMM_DIRECT,
    NW_SIM_DUAL_DIRECT, NW_SIM_DMT, NW_SIM_PVDMT, NW_SIM_MODES
};
const char *nw_sim_mode_name(int mode); /* "native", ..., "pvdmt" */
int nw_sim_mode_parse(const char *name); /* the mode, or -1 */

typedef struct {
    unsigned entries, ways; /* entries a multiple of ways */
} nw_tlb_geom;

typedef struct {
    nw_tlb_geom itlb, dtlb, stlb;
    int thp;              /* guest pages of 2 MiB (else 4 KiB) */
    int host_2m;          /* host pages of 2 MiB (else 4 KiB) */
    uint64_t guest_mem;   /* bytes of guest-physical memory, a power of two */
    uint64_t interval;    /* agile paging's interval, in trace records */
    double read_cycles;   /* cycles of one page-walk memory read */
    double vmm_cycles;    /* cycles of one VMM intervention */
    double cpi;           /* cycles of the program itself per instruction */
    unsigned modes;       /* bit m: run mode m */
    unsigned wc;          /* bit 0: without walk caches, bit 1: with */
    int progress;         /* a progress line on standard error */
} nw_sim_config;

/* Skylake-like TLBs (ITLB 128 x 8, DTLB 64 x 4, STLB 1536 x 12), 4 KiB
 * pages, 4 GiB of guest memory, an interval of 1,000,000 records, 30
 * cycles a read, 2,000 an intervention, CPI 1, every mode, with and
 * without walk caches. */
void nw_sim_defaults(nw_sim_config *c);

typedef struct {
    int mode, wc;
    uint64_t walks;          /* TLB misses: walks made */
    uint64_t reads;          /* their memory reads */
    uint64_t interventions;  /* VMM interventions */
    uint64_t to_nested, to_shadow; /* agile: guest table pages switched */
} nw_sim_row;

typedef struct {
    uint64_t records, instrs;   /* trace records; instruction fetches */
    uint64_t lookups;           /* TLB lookups (pages touched by records) */
    uint64_t pages;             /* distinct 4 KiB pages touched */
    uint64_t first_touches;     /* pages (of the guest's size) mapped */
    uint64_t gseg_pages;        /* pages of the guest segment's area */
    int dmt_windows;            /* guest DMT windows laid out */
    nw_sim_row row[2 * NW_SIM_MODES];
    int nrows;
} nw_sim_result;

/* Runs the trace through the TLBs and, on every miss, nw_translate in every
 * mode asked for, under page tables built as an OS and a VMM would
 * (docs/BEHAVIOUR.md). 0, or -1 with a one-line message in err. */
int nw_sim_run(const nw_sim_config *c, const nw_trace *t, nw_sim_result *r, char *err,
               size_t len);

/* The cost model of a row (docs/BEHAVIOUR.md): walk and VMM cycles of
 * translation overhead per thousand records, and the program's own cycles
 * per thousand records. */
typedef struct {
    double mpka, reads_per_miss, walk_cpka, vmm_cpka, base_cpka;
} nw_sim_cost;
nw_sim_cost nw_sim_row_cost(const nw_sim_config *c, const nw_sim_result *r,
                            const nw_sim_row *row);
/* The result as `nestwalk sim` prints it: a header line and a table, or
 * with json one JSON object a row; the workload called name. */
void nw_sim_print(FILE *f, const nw_sim_config *c, const nw_sim_result *r, const char *name,
                  int json);

#endif
