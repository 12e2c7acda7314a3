/*
 * `nestwalk sim`: a trace through L1 instruction and data TLBs and a
 * unified second-level TLB, and on every miss nw_translate in each mode
 * asked for, under the tables nw_os.c builds as the trace first touches
 * its pages. Organisation and cost model: docs/BEHAVIOUR.md.
 *
 * Modes whose TLB entries have the same page size see the same hits and
 * misses (a translation's size is all the TLB keeps of it besides the
 * frame, and every mode maps a page to the same frame), so they share one
 * set of TLBs; every walk's frame and size are checked against the OS's.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nw_internal.h"

static const char *const MODE_NAMES[NW_SIM_MODES] = {
    "native", "nested", "shadow", "agile", "vmm-direct", "dual-direct", "dmt", "pvdmt",
};

const char *nw_sim_mode_name(int mode)
{
    return mode >= 0 && mode < NW_SIM_MODES ? MODE_NAMES[mode] : "?";
}

int nw_sim_mode_parse(const char *name)
{
    for (int m = 0; m < NW_SIM_MODES; m++)
        if (!strcmp(name, MODE_NAMES[m]))
            return m;
    return -1;
}

void nw_sim_defaults(nw_sim_config *c)
{
    *c = (nw_sim_config){
        .itlb = {128, 8}, .dtlb = {64, 4}, .stlb = {1536, 12},
        .guest_mem = 4ull << 30, .interval = 1000000,
        .read_cycles = 30, .vmm_cycles = 2000, .cpi = 1,
        .modes = (1u << NW_SIM_MODES) - 1, .wc = 3,
    };
}

/* A mode's CTRL bits: the command line's `--mode` (pvdmt is DMT in a VM
 * with host windows, PV guest windows). */
/* The last page a record touches: an access is cut at the top of the
 * address space (it cannot wrap to page 0). */
static uint64_t last_page(const nw_trace_rec *r)
{
    uint64_t last = r->addr + r->size - 1;
    return (last < r->addr ? ~0ull : last) >> 12;
}

static uint64_t mode_ctrl(int mode)
{
    uint64_t ctrl = 0;
    if (mode == NW_SIM_PVDMT)
        return NW_CTRL_VIRT | NW_CTRL_GDMT_EN | NW_CTRL_HDMT_EN;
    nw_mode_ctrl(MODE_NAMES[mode], &ctrl);
    return ctrl;
}

/* The page size of a mode's translations: a segment gives 4 KiB pages; a
 * virtualized walk the smaller of the two dimensions' (SPEC section 6). */
static int mode_size(int mode, const nw_sim_config *c)
{
    int g = c->thp ? NW_SIZE_2M : NW_SIZE_4K, h = c->host_2m ? NW_SIZE_2M : NW_SIZE_4K;
    if (mode == NW_SIM_VMM_DIRECT || mode == NW_SIM_DUAL_DIRECT)
        return NW_SIZE_4K;
    if (!(mode_ctrl(mode) & NW_CTRL_VIRT))
        return g;
    return g < h ? g : h;
}

/* ---- a set-associative TLB, LRU: each set's ways in order of use ---- */
typedef struct {
    uint64_t *tag; /* page number + 1, 0 empty; set s at tag[s * ways] */
    unsigned sets, ways;
    int pow2;      /* sets is a power of two: the set is a mask, not a division */
} tlb;

static int tlb_init(tlb *t, nw_tlb_geom g)
{
    t->ways = g.ways;
    t->sets = g.entries / g.ways;
    t->pow2 = !(t->sets & (t->sets - 1));
    t->tag = calloc(g.entries, sizeof *t->tag);
    return t->tag ? 0 : -1;
}

static inline uint64_t *set_of(const tlb *t, uint64_t page)
{
    return t->tag + (t->pow2 ? page & (t->sets - 1) : page % t->sets) * t->ways;
}

/* 1 on a hit (the entry becomes the most recent), 0 on a miss. */
static inline int tlb_lookup(tlb *t, uint64_t page)
{
    uint64_t *w = set_of(t, page), tag = page + 1;
    for (unsigned i = 0; i < t->ways; i++)
        if (w[i] == tag) {
            memmove(w + 1, w, i * sizeof *w);
            w[0] = tag;
            return 1;
        }
    return 0;
}

/* Puts page first in its set, dropping the least recently used. */
static void tlb_fill(tlb *t, uint64_t page)
{
    uint64_t *w = set_of(t, page);
    memmove(w + 1, w, (t->ways - 1) * sizeof *w);
    w[0] = page + 1;
}

/* The modes of one page size: their TLBs, their walkers and rows. */
typedef struct {
    int size;
    tlb l1[2], stlb; /* l1[0] instructions, l1[1] data */
    int rows[2 * NW_SIM_MODES], nrows;
} group;

typedef struct {
    const nw_sim_config *c;
    nw_sim_result *r;
    nw_os *os;
    nw_state *walker[2 * NW_SIM_MODES];
    group g[2];
    int ngroups;
    uint64_t agile_gen;
    char *err;
    size_t len;
} sim;

static void walker_regs(sim *s, int i)
{
    const nw_sim_row *row = &s->r->row[i];
    nw_os *o = s->os;
    nw_state *w = s->walker[i];
    nw_reg_write(w, NW_REG_GCR3, o->gcr3);
    nw_reg_write(w, NW_REG_HCR3, o->hcr3);
    nw_reg_write(w, NW_REG_SCR3, row->mode == NW_SIM_AGILE ? o->agile_scr3 : o->sroot);
    nw_reg_write(w, NW_REG_GSEG_BASE, o->gseg_base);
    nw_reg_write(w, NW_REG_GSEG_LIMIT, o->gseg_limit);
    nw_reg_write(w, NW_REG_GSEG_OFFSET, o->gseg_off);
    nw_reg_write(w, NW_REG_GSEG_ATTR, NW_PTE_W | NW_PTE_U);
    nw_reg_write(w, NW_REG_HSEG_LIMIT, o->guest_mem);
    nw_reg_write(w, NW_REG_HSEG_ATTR, NW_PTE_W);
    /* the host backs guest memory at hPA = gPA: a guest TEA's gPA is its
       hPA too, host-contiguous as pvDMT wants */
    for (int k = 0; k < o->ndmt; k++) {
        nw_reg_write(w, NW_REG_GDMT_BASE(k), o->gdmt[k].base);
        nw_reg_write(w, NW_REG_GDMT_LIMIT(k), o->gdmt[k].limit);
        nw_reg_write(w, NW_REG_GDMT_TEA(k),
                     o->gdmt[k].tea | (row->mode == NW_SIM_PVDMT ? NW_DMT_PV : 0));
    }
    nw_reg_write(w, NW_REG_HDMT_LIMIT(0), o->guest_mem);
    nw_reg_write(w, NW_REG_HDMT_TEA(0), o->htea);
    nw_reg_write(w, NW_REG_CTRL, mode_ctrl(row->mode) | (row->wc ? NW_CTRL_WC_EN : 0));
}

/* The agile walkers follow the VMM's changes of their shadow table: a new
 * SCR3, or a flush of the guest PSC that may hold the old entries. */
static void agile_sync(sim *s)
{
    if (s->os->agile_gen == s->agile_gen)
        return;
    s->agile_gen = s->os->agile_gen;
    for (int i = 0; i < s->r->nrows; i++) {
        if (s->r->row[i].mode != NW_SIM_AGILE)
            continue;
        if (nw_reg_read(s->walker[i], NW_REG_SCR3) != s->os->agile_scr3)
            nw_reg_write(s->walker[i], NW_REG_SCR3, s->os->agile_scr3);
        else
            nw_reg_write(s->walker[i], NW_REG_WC_FLUSH, NW_WC_FLUSH_GUEST);
    }
}

static const int ACCESS[4] = {NW_ACC_FETCH, NW_ACC_READ, NW_ACC_WRITE, NW_ACC_WRITE};

/* A miss of group g on the page at va: the page mapped if new, then one
 * walk in each of its modes. */
static int walk(sim *s, group *g, uint64_t va, int kind)
{
    uint64_t frame;
    int got = nw_os_touch(s->os, va, &frame);
    if (got < 0)
        return nw_fail(s->err, s->len, "guest memory of %llu MiB ran out (--guest-mem)",
                       (unsigned long long)(s->c->guest_mem >> 20));
    agile_sync(s);
    uint64_t unit = s->c->thp ? 1ull << 21 : 4096, want = frame | (va & (unit - 1));
    nw_request req = {va, ACCESS[kind], 1};
    for (int k = 0; k < g->nrows; k++) {
        nw_sim_row *row = &s->r->row[g->rows[k]];
        nw_result res;
        nw_translate(s->walker[g->rows[k]], &req, nw_mem_read, s->os->mem, &res);
        /* the VMM's share of a shadow fault is its intervention; the walk
           that found the entry missing is not counted, so that every
           walker of the table counts the same reads */
        if (res.status == NW_SHADOW_FAULT) {
            if (nw_os_shadow_fault(s->os, va, row->mode == NW_SIM_AGILE))
                return nw_fail(s->err, s->len, "out of memory");
            agile_sync(s);
            nw_translate(s->walker[g->rows[k]], &req, nw_mem_read, s->os->mem, &res);
        }
        row->walks++;
        row->reads += (uint64_t)res.refs;
        if (res.status != NW_OK || res.pa != want || res.size != g->size)
            return nw_fail(s->err, s->len,
                           "%s: va 0x%llx translated to %s pa 0x%llx size %s, the OS "
                           "mapped 0x%llx",
                           nw_sim_mode_name(row->mode), (unsigned long long)va,
                           nw_status_name(res.status), (unsigned long long)res.pa,
                           nw_size_name(res.size), (unsigned long long)want);
    }
    return 0;
}

/* One TLB lookup of the 4 KiB page p (its address va) in group g. */
static inline int lookup(sim *s, group *g, uint64_t p, int kind)
{
    uint64_t page = p >> (9 * g->size);
    tlb *l1 = &g->l1[kind != NW_TR_INSTR];
    if (tlb_lookup(l1, page))
        return 0;
    if (!tlb_lookup(&g->stlb, page)) {
        if (walk(s, g, p << 12, kind))
            return -1;
        tlb_fill(&g->stlb, page);
    }
    tlb_fill(l1, page);
    return 0;
}

/* ---- the areas of the trace: runs of 2 MiB chunks it touches ---- */

static int by_chunk(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static int by_pages(const void *a, const void *b)
{
    const nw_area *x = a, *y = b;
    return x->pages < y->pages ? 1 : x->pages > y->pages ? -1 : x->base < y->base ? -1 : 1;
}

/* The trace's distinct pages (r->pages) and its largest areas, most
 * touched pages first: up to `max` into a. Returns how many, or -1. */
static int trace_areas(const nw_trace *t, nw_sim_result *r, nw_area *a, int max)
{
    nw_u64map pages = {0}, chunks = {0};
    nw_trace_cursor cur;
    nw_trace_rec rec;
    /* the pages seen lately, by their low bits: most records need no look
       into the map */
    static const size_t RECENT = 1024;
    uint64_t *recent = malloc(RECENT * sizeof *recent);
    int rc = !recent, got;
    for (size_t i = 0; !rc && i < RECENT; i++)
        recent[i] = ~0ull;
    nw_trace_begin(t, &cur);
    while (!rc && (got = nw_trace_next(&cur, &rec)) > 0)
        for (uint64_t p = rec.addr >> 12, end = last_page(&rec); p <= end; p++) {
            uint64_t n = 0;
            if (recent[p & (RECENT - 1)] == p)
                continue;
            recent[p & (RECENT - 1)] = p;
            if (nw_u64map_get(&pages, p, NULL))
                continue;
            nw_u64map_get(&chunks, p >> 9, &n);
            rc |= nw_u64map_put(&pages, p, 1) | nw_u64map_put(&chunks, p >> 9, n + 1);
        }
    r->pages = pages.n;
    uint64_t *c = malloc((chunks.n + 1) * sizeof *c);
    nw_area *runs = malloc((chunks.n + 1) * sizeof *runs);
    int n = 0;
    if (!rc && c && runs) {
        size_t k = 0;
        for (size_t i = 0; i < chunks.cap; i++)
            if (chunks.key[i])
                c[k++] = chunks.key[i] - 1;
        qsort(c, k, sizeof *c, by_chunk);
        size_t nr = 0;
        for (size_t i = 0; i < k; i++) {
            uint64_t cnt;
            nw_u64map_get(&chunks, c[i], &cnt);
            if (nr && runs[nr - 1].limit == c[i] << 21) {
                runs[nr - 1].limit += 1ull << 21;
                runs[nr - 1].pages += cnt;
            } else
                runs[nr++] = (nw_area){c[i] << 21, (c[i] + 1) << 21, cnt};
        }
        qsort(runs, nr, sizeof *runs, by_pages);
        for (; n < max && (size_t)n < nr; n++)
            a[n] = runs[n];
    } else
        n = -1;
    free(c);
    free(runs);
    free(recent);
    nw_u64map_free(&pages);
    nw_u64map_free(&chunks);
    return n;
}

static int sim_setup(sim *s, const nw_trace *t)
{
    const nw_sim_config *c = s->c;
    nw_area areas[NW_REG_GDMT_WINDOWS];
    int n = trace_areas(t, s->r, areas, NW_REG_GDMT_WINDOWS);
    if (n < 0)
        return nw_fail(s->err, s->len, "out of memory");
    nw_os_config oc = {c->thp, c->host_2m, c->guest_mem, {0, 0, 0}, {{0, 0, 0}}, n};
    if (n)
        oc.gseg = areas[0];
    memcpy(oc.dmt, areas, (size_t)n * sizeof *areas);
    if (!(s->os = nw_os_new(&oc, s->err, s->len)))
        return -1;
    s->r->gseg_pages = s->os->gseg_limit ? oc.gseg.pages : 0;
    s->r->dmt_windows = s->os->ndmt;
    s->agile_gen = s->os->agile_gen;
    for (int m = 0; m < NW_SIM_MODES; m++)
        for (int wc = 0; wc < 2; wc++) {
            if (!(c->modes >> m & 1) || !(c->wc >> wc & 1))
                continue;
            int i = s->r->nrows++, size = mode_size(m, c), k = 0;
            s->r->row[i] = (nw_sim_row){.mode = m, .wc = wc};
            if (!(s->walker[i] = nw_new(NW_FEAT_ALL)))
                return nw_fail(s->err, s->len, "out of memory");
            walker_regs(s, i);
            while (k < s->ngroups && s->g[k].size != size)
                k++;
            group *g = &s->g[k];
            if (k == s->ngroups) {
                s->ngroups++;
                g->size = size;
                if (tlb_init(&g->l1[0], c->itlb) || tlb_init(&g->l1[1], c->dtlb) ||
                    tlb_init(&g->stlb, c->stlb))
                    return nw_fail(s->err, s->len, "out of memory");
            }
            g->rows[g->nrows++] = i;
        }
    return 0;
}

static void sim_free(sim *s)
{
    for (int i = 0; i < s->r->nrows; i++)
        nw_free(s->walker[i]);
    for (int k = 0; k < s->ngroups; k++) {
        free(s->g[k].l1[0].tag);
        free(s->g[k].l1[1].tag);
        free(s->g[k].stlb.tag);
    }
    nw_os_free(s->os);
}

static int geom_ok(nw_tlb_geom g) { return g.ways && g.entries && g.entries % g.ways == 0; }

int nw_sim_run(const nw_sim_config *c, const nw_trace *t, nw_sim_result *r, char *err,
               size_t len)
{
    memset(r, 0, sizeof *r);
    if (!geom_ok(c->itlb) || !geom_ok(c->dtlb) || !geom_ok(c->stlb))
        return nw_fail(err, len, "a TLB's entries must be a non-zero multiple of its ways");
    if (!c->interval)
        return nw_fail(err, len, "the agile interval must be at least 1 record");
    sim s = {.c = c, .r = r, .err = err, .len = len};
    int rc = sim_setup(&s, t);
    /* the last 4 KiB page each L1 TLB looked up: the most recent entry of
       its set in every group, so the same page again hits everywhere and
       changes no LRU order */
    uint64_t last[2] = {~0ull, ~0ull}, total = nw_trace_count(t), interval_end = c->interval;
    nw_trace_cursor cur;
    nw_trace_rec rec;
    int got = 0;
    nw_trace_begin(t, &cur);
    while (!rc && (got = nw_trace_next(&cur, &rec)) > 0) {
        int d = rec.kind != NW_TR_INSTR;
        r->instrs += !d;
        uint64_t p = rec.addr >> 12, end = last_page(&rec);
        for (; !rc; p++) {
            r->lookups++;
            if (p != last[d]) {
                last[d] = p;
                for (int k = 0; k < s.ngroups && !rc; k++)
                    rc = lookup(&s, &s.g[k], p, rec.kind);
            }
            if (p == end)
                break;
        }
        if (++r->records == interval_end && !rc) {
            interval_end += c->interval;
            rc = nw_os_interval(s.os) ? nw_fail(err, len, "out of memory") : 0;
            agile_sync(&s);
        }
        if (c->progress && r->records % (1u << 22) == 0)
            fprintf(stderr, "\rsim: %llu of %llu records (%.0f%%)",
                    (unsigned long long)r->records, (unsigned long long)total,
                    100.0 * (double)r->records / (double)total);
    }
    if (c->progress && total >= (1u << 22))
        fputc('\n', stderr);
    if (!rc && got < 0)
        rc = nw_fail(err, len, "trace damaged at record %llu", (unsigned long long)r->records);
    if (s.os) {
        r->first_touches = s.os->mapped.n;
        for (int i = 0; i < r->nrows; i++) {
            nw_sim_row *row = &r->row[i];
            if (row->mode == NW_SIM_SHADOW)
                row->interventions = s.os->shadow_interventions;
            if (row->mode == NW_SIM_AGILE) {
                row->interventions = s.os->agile_interventions;
                row->to_nested = s.os->to_nested;
                row->to_shadow = s.os->to_shadow;
            }
        }
    }
    sim_free(&s);
    return rc;
}

nw_sim_cost nw_sim_row_cost(const nw_sim_config *c, const nw_sim_result *r,
                            const nw_sim_row *row)
{
    double k = r->records ? 1000.0 / (double)r->records : 0;
    return (nw_sim_cost){
        .mpka = (double)row->walks * k,
        .reads_per_miss = row->walks ? (double)row->reads / (double)row->walks : 0,
        .walk_cpka = (double)row->reads * c->read_cycles * k,
        .vmm_cpka = (double)row->interventions * c->vmm_cycles * k,
        .base_cpka = (double)r->instrs * c->cpi * k,
    };
}

/* A row's slowdown over native (with walk caches alike): the program's own
 * cycles plus the row's overhead, over the same with native's. 0 when no
 * native row ran. */
static double slowdown(const nw_sim_config *c, const nw_sim_result *r, const nw_sim_row *row)
{
    for (int i = 0; i < r->nrows; i++)
        if (r->row[i].mode == NW_SIM_NATIVE && r->row[i].wc == row->wc) {
            nw_sim_cost x = nw_sim_row_cost(c, r, row), n = nw_sim_row_cost(c, r, &r->row[i]);
            double base = n.base_cpka + n.walk_cpka + n.vmm_cpka;
            return base > 0 ? (x.base_cpka + x.walk_cpka + x.vmm_cpka) / base : 0;
        }
    return 0;
}

/* name as a JSON string's contents */
static void json_text(FILE *f, const char *name)
{
    for (const unsigned char *p = (const unsigned char *)name; *p; p++)
        fprintf(f, *p == '"' || *p == '\\' ? "\\%c" : *p < 0x20 ? "\\u%04x" : "%c", *p);
}

void nw_sim_print(FILE *f, const nw_sim_config *c, const nw_sim_result *r, const char *name,
                  int json)
{
    if (!json) {
        fprintf(f,
                "workload %s: %llu records, %llu instructions, %llu pages touched (%.1f MiB), "
                "%llu mapped at first touch (%s pages); guest segment over %llu pages, %d DMT "
                "window%s\n",
                name, (unsigned long long)r->records, (unsigned long long)r->instrs,
                (unsigned long long)r->pages, (double)r->pages / 256.0,
                (unsigned long long)r->first_touches, c->thp ? "2 MiB" : "4 KiB",
                (unsigned long long)r->gseg_pages, r->dmt_windows,
                r->dmt_windows == 1 ? "" : "s");
        fprintf(f, "%-12s %3s %11s %9s %9s %10s %11s %11s %9s\n", "mode", "wc", "accesses",
                "miss/1k", "reads/mis", "VMM int.", "walk cyc/1k", "VMM cyc/1k", "slowdown");
    }
    for (int i = 0; i < r->nrows; i++) {
        const nw_sim_row *row = &r->row[i];
        nw_sim_cost x = nw_sim_row_cost(c, r, row);
        double sd = slowdown(c, r, row);
        if (json) {
            fputs("{\"workload\":\"", f);
            json_text(f, name);
            fprintf(f,
                    "\",\"mode\":\"%s\",\"wc\":%d,\"accesses\":%llu,"
                    "\"instructions\":%llu,\"walks\":%llu,\"reads\":%llu,"
                    "\"interventions\":%llu,\"to_nested\":%llu,\"to_shadow\":%llu,"
                    "\"misses_per_k\":%.6f,\"reads_per_miss\":%.6f,"
                    "\"walk_cycles_per_k\":%.2f,\"vmm_cycles_per_k\":%.2f,"
                    "\"base_cycles_per_k\":%.2f,\"slowdown\":%.4f}\n",
                    nw_sim_mode_name(row->mode), row->wc,
                    (unsigned long long)r->records, (unsigned long long)r->instrs,
                    (unsigned long long)row->walks, (unsigned long long)row->reads,
                    (unsigned long long)row->interventions, (unsigned long long)row->to_nested,
                    (unsigned long long)row->to_shadow, x.mpka, x.reads_per_miss, x.walk_cpka,
                    x.vmm_cpka, x.base_cpka, sd);
        } else
            fprintf(f, "%-12s %3s %11llu %9.3f %9.2f %10llu %11.1f %11.1f %9.3f\n",
                    nw_sim_mode_name(row->mode), row->wc ? "on" : "off",
                    (unsigned long long)r->records, x.mpka, x.reads_per_miss,
                    (unsigned long long)row->interventions, x.walk_cpka, x.vmm_cpka, sd);
    }
}
