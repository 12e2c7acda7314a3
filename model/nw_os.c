/*
 * The OS and the VMM behind `nestwalk sim`: the page tables of a guest
 * that maps every page on its first touch, with frames from a buddy
 * allocator; the host's tables over guest memory; the shadow table a VMM
 * composes from both; agile paging's policy, which moves guest table pages
 * between shadow and nested mode through the switching bit; and the direct
 * segment and DMT windows over the largest areas. Every table is written
 * by the builder (nw_build.c); docs/BEHAVIOUR.md gives the policy.
 *
 * The host backs guest memory with one contiguous region at hPA = gPA (a
 * VMM Direct host segment needs a contiguous backing; where it sits does
 * not change a read count), so the guest's tables are written once, in the
 * one memory every walker reads. Host and shadow tables live above it.
 */
#include <stdlib.h>
#include <string.h>

#include "nw_internal.h"

#define SPAN_2M (1ull << 21)
#define LEVELS 4
/* leaves: present to the walker as an OS's used pages are (A and D set,
   so that the nested TLB keeps host leaves) */
#define LEAF_FLAGS (NW_PTE_W | NW_PTE_U | NW_PTE_A | NW_PTE_D)

/* ---- a map of 64-bit keys: open addressing, linear probing ---- */

static size_t slot_of(const nw_u64map *m, uint64_t key)
{
    return (size_t)((key * 0x9e3779b97f4a7c15ull) >> 17) & (m->cap - 1);
}

int nw_u64map_get(const nw_u64map *m, uint64_t key, uint64_t *val)
{
    if (!m->cap)
        return 0;
    for (size_t i = slot_of(m, key);; i = (i + 1) & (m->cap - 1)) {
        if (!m->key[i])
            return 0;
        if (m->key[i] == key + 1) {
            if (val)
                *val = m->val[i];
            return 1;
        }
    }
}

int nw_u64map_put(nw_u64map *m, uint64_t key, uint64_t val)
{
    size_t i = m->cap ? slot_of(m, key) : 0;
    while (m->cap && m->key[i] && m->key[i] != key + 1)
        i = (i + 1) & (m->cap - 1);
    if (m->cap && m->key[i]) {
        m->val[i] = val; /* in place: a walk over the slots may go on */
        return 0;
    }
    if (2 * (m->n + 1) > m->cap) {
        nw_u64map g = {0};
        g.cap = m->cap ? 2 * m->cap : 1024;
        g.key = calloc(g.cap, sizeof *g.key);
        g.val = malloc(g.cap * sizeof *g.val);
        if (!g.key || !g.val) {
            nw_u64map_free(&g);
            return -1;
        }
        for (size_t k = 0; k < m->cap; k++)
            if (m->key[k])
                nw_u64map_put(&g, m->key[k] - 1, m->val[k]);
        nw_u64map_free(m);
        *m = g;
        for (i = slot_of(m, key); m->key[i]; i = (i + 1) & (m->cap - 1))
            ;
    }
    m->n++;
    m->key[i] = key + 1;
    m->val[i] = val;
    return 0;
}

void nw_u64map_free(nw_u64map *m)
{
    free(m->key);
    free(m->val);
    memset(m, 0, sizeof *m);
}

/* ---- the buddy allocator of guest frames (no frees: nothing is unmapped) */

static int push_block(nw_os *o, int order, uint64_t pa)
{
    nw_blocks *b = &o->free[order];
    if (b->n == b->cap) {
        size_t cap = b->cap ? 2 * b->cap : 16;
        uint64_t *p = realloc(b->pa, cap * sizeof *p);
        if (!p)
            return -1;
        b->pa = p;
        b->cap = cap;
    }
    b->pa[b->n++] = pa;
    return 0;
}

/* A block of 2^order pages, aligned to its size: split from the smallest
 * free block that holds it, the lower half taken and the upper half freed,
 * so that allocations of one order come in ascending order. ~0 when none
 * is left. */
static uint64_t buddy_alloc(nw_os *o, int order)
{
    int k = order;
    while (k <= o->max_order && !o->free[k].n)
        k++;
    if (k > o->max_order)
        return ~0ull;
    uint64_t pa = o->free[k].pa[--o->free[k].n];
    for (; k > order; k--)
        if (push_block(o, k - 1, pa + (4096ull << (k - 1))))
            return ~0ull;
    return pa;
}

static int order_of(uint64_t pages)
{
    int k = 0;
    while ((1ull << k) < pages)
        k++;
    return k;
}

/* ---- the host: guest memory mapped at hPA = gPA on first use ---- */

static uint64_t peek(nw_mem *m, uint64_t pa)
{
    uint64_t v = 0;
    return nw_mem_read(m, pa, &v) ? 0 : v;
}

/* Maps [va, va + size) in the table at root with one page, leaving a
 * Translation Entry Area's empty level-1 table behind for a 2 MiB page (its
 * TEA page stays empty: DMT falls back to the walk, as for any large
 * page). */
static int map_page(nw_alloc *a, uint64_t root, uint64_t va, uint64_t pa, int size)
{
    if (size == NW_SIZE_2M) {
        uint64_t ea = nw_pt_entry(a, root, LEVELS, va, 2);
        if (ea && (peek(a->mem, ea) & (NW_PTE_P | NW_PTE_PS)) == NW_PTE_P)
            nw_mem_write(a->mem, ea, 0);
    }
    return nw_pt_map(a, root, LEVELS, va, pa, size, LEAF_FLAGS);
}

static int host_cover(nw_os *o, uint64_t gpa, uint64_t len)
{
    uint64_t step = o->host_2m ? SPAN_2M : 4096;
    for (uint64_t p = gpa & ~(step - 1); p < gpa + len; p += step) {
        if (nw_u64map_get(&o->host_mapped, p >> 12, NULL))
            continue;
        if (map_page(&o->ha, o->hcr3, p, p, o->host_2m ? NW_SIZE_2M : NW_SIZE_4K) ||
            nw_u64map_put(&o->host_mapped, p >> 12, 1))
            return -1;
    }
    return 0;
}

/* Guest table pages come from 2 MiB blocks of the buddy allocator; the
 * builder takes pages from the current one. */
static int table_block(nw_os *o, int order)
{
    uint64_t b = buddy_alloc(o, order);
    if (b == ~0ull || host_cover(o, b, 4096ull << order))
        return -1;
    o->ga.next = b;
    o->ga.end = b + (4096ull << order);
    return 0;
}

static int tables_ready(nw_os *o)
{
    /* one map can add a table at every level but the top */
    return o->ga.end - o->ga.next >= LEVELS * 4096ull ? 0 : table_block(o, 9);
}

/* ---- agile paging: the state of each guest table page ----
 * The value of a page's entry in o->tables: the VA its table starts to
 * map (bits 47:12) << 8 | level << 4 | nested << 3 | updates this interval. */
#define T_NESTED 8u
#define T_UPDATES 7u

static uint64_t t_va(uint64_t v) { return (v >> 8) << 12; }
static int t_level(uint64_t v) { return (int)(v >> 4) & 7; }

/* The tables on va's path (tables[l] at level l; 0 below where it ends). */
static void path_of(const nw_os *o, uint64_t va, uint64_t tables[6])
{
    uint64_t pa, leaf;
    int size;
    memset(tables, 0, 6 * sizeof *tables);
    nw_pt_lookup(o->mem, o->gcr3, LEVELS, va, &pa, &size, &leaf, tables);
}

/* The highest level whose table on the path is in nested mode, 0 if none. */
static int nested_level(const nw_os *o, const uint64_t tables[6])
{
    for (int l = LEVELS; l >= 1; l--) {
        uint64_t v;
        if (tables[l] && nw_u64map_get(&o->tables, tables[l] >> 12, &v) && (v & T_NESTED))
            return l;
    }
    return 0;
}

/* The host leaf over a guest table page: its D bit tells the VMM whether
 * the guest wrote the page while it was in nested mode. */
static uint64_t host_leaf(nw_os *o, uint64_t gpa)
{
    return nw_pt_entry(&o->ha, o->hcr3, LEVELS, gpa, o->host_2m ? 2 : 1);
}

static void set_dirty(nw_os *o, uint64_t gpa, int dirty)
{
    uint64_t ea = host_leaf(o, gpa), e = peek(o->mem, ea);
    nw_mem_write(o->mem, ea, dirty ? e | NW_PTE_D : e & ~NW_PTE_D);
}

/* The agile shadow entry for va, composed as the page's path's modes say:
 * a leaf when every table is in shadow mode, else SW in the shadow entry
 * above the highest nested table (SCR3 itself for the top table). */
static int agile_fill(nw_os *o, uint64_t va)
{
    uint64_t tables[6];
    path_of(o, va, tables);
    int h = nested_level(o, tables);
    if (h == LEVELS)
        return 0;
    return nw_shadow_map(&o->ha, o->aroot, o->gcr3, LEVELS, o->hcr3, LEVELS, va, h ? h + 1 : 0);
}

/* Composes the agile shadow entries of every mapped page in
 * [va, va + len) again. */
static int agile_refill(nw_os *o, uint64_t va, uint64_t len)
{
    uint64_t unit = o->thp ? SPAN_2M : 4096;
    if (len / unit <= o->mapped.n) {
        for (uint64_t p = va; p - va < len; p += unit)
            if (nw_u64map_get(&o->mapped, p >> 12, NULL) && agile_fill(o, p))
                return -1;
        return 0;
    }
    for (size_t i = 0; i < o->mapped.cap; i++) {
        uint64_t p = (o->mapped.key[i] - 1) << 12;
        if (o->mapped.key[i] && p - va < len && agile_fill(o, p))
            return -1;
    }
    return 0;
}

/* Moves the table page at gpa to nested mode, va a page mapped below it. */
static int to_nested(nw_os *o, uint64_t gpa, uint64_t va)
{
    uint64_t v;
    nw_u64map_get(&o->tables, gpa >> 12, &v);
    int l = t_level(v);
    if (nw_u64map_put(&o->tables, gpa >> 12, v | T_NESTED))
        return -1;
    o->to_nested++;
    o->agile_gen++;
    /* the write that moved it is the VMM's, done for the guest */
    set_dirty(o, gpa, 1);
    if (l == LEVELS) {
        o->agile_scr3 = o->gcr3 | NW_PTE_SW;
        return 0;
    }
    uint64_t ea = nw_pt_entry(&o->ha, o->aroot, LEVELS, va, l + 1);
    if (ea)
        nw_mem_write(o->mem, ea, 0);
    return nw_shadow_map(&o->ha, o->aroot, o->gcr3, LEVELS, o->hcr3, LEVELS, va, l + 1);
}

static int to_shadow(nw_os *o, uint64_t gpa, uint64_t v)
{
    int l = t_level(v);
    uint64_t va = t_va(v), tables[6], len = 1ull << (12 + 9 * l);
    if (nw_u64map_put(&o->tables, gpa >> 12, v & ~(uint64_t)T_NESTED))
        return -1;
    o->to_shadow++;
    o->agile_interventions++;
    o->agile_gen++;
    if (l == LEVELS) {
        o->agile_scr3 = o->aroot;
        return agile_refill(o, 0, 1ull << 48);
    }
    /* its switch goes, even below a nested table (where the walk does not
       see it): once that table is back in shadow mode, it would */
    uint64_t ea = nw_pt_entry(&o->ha, o->aroot, LEVELS, va, l + 1);
    if (ea)
        nw_mem_write(o->mem, ea, 0);
    path_of(o, va, tables);
    if (nested_level(o, tables) > l)
        return 0; /* the switch above covers it */
    return agile_refill(o, va, len);
}

int nw_os_interval(nw_os *o)
{
    /* the VMM's periodic look at the pages it moved to nested mode: one
       the guest did not write since the last look goes back to shadow */
    for (size_t i = 0; i < o->tables.cap; i++) {
        if (!o->tables.key[i])
            continue;
        uint64_t gpa = (o->tables.key[i] - 1) << 12, v = o->tables.val[i];
        if (v & T_NESTED) {
            if (peek(o->mem, host_leaf(o, gpa)) & NW_PTE_D)
                set_dirty(o, gpa, 0);
            else if (to_shadow(o, gpa, v))
                return -1;
        }
        nw_u64map_get(&o->tables, gpa >> 12, &v);
        o->tables.val[i] = v & ~(uint64_t)T_UPDATES;
    }
    return 0;
}

/* One write of the guest's fault handler into the table page tables[l] on
 * va's path: under shadow paging a trap to the VMM; under
 * agile paging one too unless the page is (under) a nested one. */
static int table_write(nw_os *o, const uint64_t tables[6], int l, uint64_t va)
{
    uint64_t gpa = tables[l], v;
    o->shadow_interventions++;
    if (!nw_u64map_get(&o->tables, gpa >> 12, &v)) {
        uint64_t base = va & ~((1ull << (12 + 9 * l)) - 1) & 0xffffffffffffull;
        v = base >> 12 << 8 | (uint64_t)l << 4;
    }
    if (nested_level(o, tables) >= l) {
        set_dirty(o, gpa, 1);
        return 0;
    }
    o->agile_interventions++;
    if ((v & T_UPDATES) < T_UPDATES)
        v++;
    if (nw_u64map_put(&o->tables, gpa >> 12, v))
        return -1;
    return (v & T_UPDATES) >= 2 ? to_nested(o, gpa, va) : 0;
}

int nw_os_touch(nw_os *o, uint64_t va, uint64_t *frame)
{
    int size = o->thp ? NW_SIZE_2M : NW_SIZE_4K;
    uint64_t unit = o->thp ? SPAN_2M : 4096, uva = va & ~(unit - 1);
    if (nw_u64map_get(&o->mapped, uva >> 12, frame))
        return 0;
    uint64_t gpa;
    if (uva - o->gseg_base < o->gseg_limit - o->gseg_base)
        gpa = uva + o->gseg_off;
    else if ((gpa = buddy_alloc(o, size ? 9 : 0)) == ~0ull)
        return -1;
    /* which tables exist before: the fault handler writes the lowest of
       them and every table it adds */
    uint64_t before[6], after[6];
    path_of(o, uva, before);
    int top = size + 1;
    while (top < LEVELS && !before[top])
        top++;
    if (host_cover(o, gpa, unit) || tables_ready(o) ||
        map_page(&o->ga, o->gcr3, uva, gpa, size) || nw_u64map_put(&o->mapped, uva >> 12, gpa))
        return -1;
    path_of(o, uva, after);
    for (int l = top; l > size; l--)
        if (table_write(o, after, l, uva))
            return -1;
    *frame = gpa;
    if (nw_shadow_map(&o->ha, o->sroot, o->gcr3, LEVELS, o->hcr3, LEVELS, uva, 0) ||
        agile_fill(o, uva))
        return -1;
    return 1;
}

int nw_os_shadow_fault(nw_os *o, uint64_t va, int agile)
{
    if (agile) {
        o->agile_interventions++;
        return agile_fill(o, va & ~0xfffull);
    }
    o->shadow_interventions++;
    return nw_shadow_map(&o->ha, o->sroot, o->gcr3, LEVELS, o->hcr3, LEVELS, va & ~0xfffull, 0);
}

/* Reserves a block for the guest segment over the largest area: its pages
 * map at va + offset (so the tables agree with the segment). */
static void reserve_segment(nw_os *o, const nw_area *a)
{
    uint64_t len = a->limit - a->base, b = buddy_alloc(o, order_of(len >> 12));
    if (b == ~0ull)
        return;
    o->gseg_base = a->base;
    o->gseg_limit = a->limit;
    o->gseg_off = b - a->base;
}

nw_os *nw_os_new(const nw_os_config *c, char *err, size_t len)
{
    nw_os *o = calloc(1, sizeof *o);
    if (!o || !(o->mem = nw_mem_new())) {
        free(o);
        nw_fail(err, len, "out of memory");
        return NULL;
    }
    o->thp = c->thp;
    o->host_2m = c->host_2m;
    o->guest_mem = c->guest_mem;
    o->max_order = order_of(c->guest_mem >> 12);
    /* host and shadow tables above guest memory */
    o->ha = (nw_alloc){o->mem, c->guest_mem, c->guest_mem + (1ull << 40)};
    o->ga.mem = o->mem;
    int bad = o->max_order < 10 || o->max_order >= NW_OS_ORDERS || push_block(o, o->max_order, 0);
    /* the first 2 MiB are the kernel's (and keep gPA 0, which the builder's
       allocator cannot return, out of every table) */
    bad = bad || buddy_alloc(o, 9) != 0;
    o->hcr3 = nw_alloc_page(&o->ha);
    o->sroot = nw_alloc_page(&o->ha);
    o->aroot = o->agile_scr3 = nw_alloc_page(&o->ha);
    if (!bad && c->gseg.limit > c->gseg.base)
        reserve_segment(o, &c->gseg);
    bad = bad || table_block(o, 9) || !(o->gcr3 = nw_alloc_page(&o->ga)) ||
          nw_pt_tea(&o->ha, o->hcr3, LEVELS, 0, c->guest_mem, &o->htea);
    for (int w = 0; !bad && w < c->ndmt; w++) {
        uint64_t pages = (c->dmt[w].limit - c->dmt[w].base) / SPAN_2M;
        /* the TEA's pages in a row, and room for the tables above it */
        bad = table_block(o, order_of(pages + pages / 256 + 2 * LEVELS)) ||
              nw_pt_tea(&o->ga, o->gcr3, LEVELS, c->dmt[w].base,
                        c->dmt[w].limit - c->dmt[w].base, &o->gdmt[w].tea);
        o->gdmt[w].base = c->dmt[w].base;
        o->gdmt[w].limit = c->dmt[w].limit;
        o->ndmt = w + 1;
    }
    if (bad) {
        nw_os_free(o);
        nw_fail(err, len, "guest memory of %llu MiB too small for the trace's areas",
                (unsigned long long)(c->guest_mem >> 20));
        return NULL;
    }
    return o;
}

void nw_os_free(nw_os *o)
{
    if (!o)
        return;
    for (int k = 0; k < NW_OS_ORDERS; k++)
        free(o->free[k].pa);
    nw_u64map_free(&o->mapped);
    nw_u64map_free(&o->host_mapped);
    nw_u64map_free(&o->tables);
    nw_mem_free(o->mem);
    free(o);
}
