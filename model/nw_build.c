/*
 * A page-table builder for tests, demos and the bench: guest and host
 * tables in sparse memory with mixed page sizes, shadow tables composed
 * from a guest and a host table as a VMM would build them, and the
 * Translation Entry Areas of DMT laid out as an OS keeps them. Its software
 * walks are deliberately simple (no permission or reserved-bit checks) and
 * independent of nw_walk.c, so a test can compare the two.
 */
#include "nestwalk.h"

#define TABLE_FLAGS (NW_PTE_P | NW_PTE_W | NW_PTE_U | NW_PTE_A)

static unsigned index_at(uint64_t va, int level)
{
    return (unsigned)(va >> (12 + 9 * (level - 1))) & 0x1ff;
}

static uint64_t page_bytes(int size) { return 1ull << (12 + 9 * size); }

static uint64_t peek(nw_mem *m, uint64_t pa)
{
    uint64_t v = 0;
    return nw_mem_read(m, pa, &v) ? 0 : v;
}

static int is_leaf(uint64_t e, int level)
{
    return level == 1 || ((level == 2 || level == 3) && (e & NW_PTE_PS));
}

uint64_t nw_alloc_page(nw_alloc *a)
{
    if (a->next + 4096 > a->end || a->next + 4096 < a->next)
        return 0;
    uint64_t pa = a->next;
    a->next += 4096;
    for (uint64_t off = 0; off < 4096; off += 8)
        nw_mem_write(a->mem, pa + off, 0);
    return pa;
}

/* The address of the entry at `level` for va in *ea, creating tables above
 * it: 0, 1 when a large page or a switch above covers va, -1 when the
 * allocator ran out. */
static int entry_at(nw_alloc *a, uint64_t root, int levels, uint64_t va, int level,
                    uint64_t *ea)
{
    uint64_t table = root & NW_PTE_ADDR;
    for (int l = levels; l > level; l--) {
        uint64_t at = table | (uint64_t)index_at(va, l) << 3;
        uint64_t e = peek(a->mem, at);
        if (!(e & NW_PTE_P)) {
            uint64_t t = nw_alloc_page(a);
            if (!t)
                return -1;
            e = t | TABLE_FLAGS;
            nw_mem_write(a->mem, at, e);
        } else if (is_leaf(e, l) || (e & NW_PTE_SW)) {
            return 1;
        }
        table = e & NW_PTE_ADDR;
    }
    *ea = table | (uint64_t)index_at(va, level) << 3;
    return 0;
}

uint64_t nw_pt_entry(nw_alloc *a, uint64_t root, int levels, uint64_t va,
                     int level)
{
    uint64_t ea;
    return entry_at(a, root, levels, va, level, &ea) ? 0 : ea;
}

int nw_pt_tea(nw_alloc *a, uint64_t root, int levels, uint64_t va, uint64_t len,
              uint64_t *tea)
{
    const uint64_t span = 1ull << 21; /* what one level-1 table maps */
    uint64_t n = len / span;
    if (!len || ((va | len) & (span - 1)) || a->next > a->end ||
        n > (a->end - a->next) / 4096)
        return -1;
    /* the bump allocator hands out pages in a row: that is the TEA */
    *tea = a->next;
    for (uint64_t i = 0; i < n; i++)
        nw_alloc_page(a);
    for (uint64_t i = 0; i < n; i++) {
        uint64_t page = *tea + i * 4096, ea;
        int got = entry_at(a, root, levels, va + i * span, 2, &ea);
        if (got < 0)
            return -1;
        uint64_t old = got ? 0 : peek(a->mem, ea);
        /* a large page keeps its place in the table; its TEA page stays
           empty, so that DMT falls back to the walk, which finds it */
        if (got || ((old & NW_PTE_P) && is_leaf(old, 2)))
            continue;
        if (old & NW_PTE_P)
            for (unsigned k = 0; k < 512; k++)
                nw_mem_write(a->mem, page + 8 * k, peek(a->mem, (old & NW_PTE_ADDR) + 8 * k));
        nw_mem_write(a->mem, ea, page | ((old & NW_PTE_P) ? old & ~NW_PTE_ADDR : TABLE_FLAGS));
    }
    return 0;
}

int nw_pt_map(nw_alloc *a, uint64_t root, int levels, uint64_t va,
              uint64_t pa, int size, uint64_t flags)
{
    int level = size + 1;
    uint64_t ea = nw_pt_entry(a, root, levels, va, level);
    if (!ea)
        return -1;
    uint64_t old = peek(a->mem, ea);
    if ((old & NW_PTE_P) && !is_leaf(old, level))
        return -1; /* a table of smaller pages is there */
    uint64_t frame = pa & NW_PTE_ADDR & ~(page_bytes(size) - 1);
    nw_mem_write(a->mem, ea, frame | flags | NW_PTE_P | (size ? NW_PTE_PS : 0));
    return 0;
}

int nw_pt_lookup(nw_mem *m, uint64_t root, int levels, uint64_t va,
                 uint64_t *pa, int *size, uint64_t *leaf,
                 uint64_t table_at_level[6])
{
    uint64_t table = root & NW_PTE_ADDR;
    for (int l = levels; l >= 1; l--) {
        if (table_at_level)
            table_at_level[l] = table;
        uint64_t e;
        if (nw_mem_read(m, table | (uint64_t)index_at(va, l) << 3, &e) ||
            !(e & NW_PTE_P))
            return -1;
        if (is_leaf(e, l)) {
            uint64_t mask = page_bytes(l - 1) - 1;
            *pa = ((e & NW_PTE_ADDR) & ~mask) | (va & mask);
            *size = l - 1;
            if (leaf)
                *leaf = e;
            return 0;
        }
        table = e & NW_PTE_ADDR;
    }
    return -1;
}

/* The guest walk of gva with every guest table read through the host. */
typedef struct {
    uint64_t gpa, leaf, table_gpa[6];
    int size, w, u, xd;
} guest_view;

static int guest_lookup(nw_mem *m, uint64_t gcr3, int glevels, uint64_t hcr3,
                        int hlevels, uint64_t gva, guest_view *g)
{
    uint64_t table = gcr3 & NW_PTE_ADDR;
    g->w = g->u = 1;
    g->xd = 0;
    for (int l = glevels; l >= 1; l--) {
        uint64_t ea = table | (uint64_t)index_at(gva, l) << 3, hpa, e;
        int hsize;
        g->table_gpa[l] = table;
        if (nw_pt_lookup(m, hcr3, hlevels, ea, &hpa, &hsize, &e, NULL) ||
            nw_mem_read(m, hpa, &e) || !(e & NW_PTE_P))
            return -1;
        g->w &= !!(e & NW_PTE_W);
        g->u &= !!(e & NW_PTE_U);
        g->xd |= !!(e & NW_PTE_XD);
        if (is_leaf(e, l)) {
            uint64_t mask = page_bytes(l - 1) - 1;
            g->gpa = ((e & NW_PTE_ADDR) & ~mask) | (gva & mask);
            g->size = l - 1;
            g->leaf = e;
            return 0;
        }
        table = e & NW_PTE_ADDR;
    }
    return -1;
}

int nw_shadow_map(nw_alloc *a, uint64_t sroot, uint64_t gcr3, int glevels,
                  uint64_t hcr3, int hlevels, uint64_t gva, int sw_level)
{
    guest_view g;
    uint64_t hpa, hleaf;
    int hsize;
    if (guest_lookup(a->mem, gcr3, glevels, hcr3, hlevels, gva, &g) ||
        nw_pt_lookup(a->mem, hcr3, hlevels, g.gpa, &hpa, &hsize, &hleaf, NULL))
        return -1;
    if (sw_level == 0) {
        int size = g.size < hsize ? g.size : hsize;
        uint64_t flags = (g.w && (hleaf & NW_PTE_W) ? NW_PTE_W : 0) |
                         (g.u ? NW_PTE_U : 0) |
                         (g.xd || (hleaf & NW_PTE_XD) ? NW_PTE_XD : 0);
        return nw_pt_map(a, sroot, glevels, gva, hpa, size, flags);
    }
    /* the guest table one level below the switch must exist: the guest's
       leaf is below it */
    if (sw_level < 2 || sw_level > glevels || g.size + 1 > sw_level - 1)
        return -1;
    /* the switching entry points at the hPA of the guest table below it */
    uint64_t below = g.table_gpa[sw_level - 1], below_hpa;
    if (nw_pt_lookup(a->mem, hcr3, hlevels, below, &below_hpa, &hsize, &hleaf,
                     NULL))
        return -1;
    uint64_t ea = nw_pt_entry(a, sroot, glevels, gva, sw_level);
    if (!ea)
        return -1;
    uint64_t e = (below_hpa & NW_PTE_ADDR) | TABLE_FLAGS | NW_PTE_SW;
    uint64_t old = peek(a->mem, ea);
    if ((old & NW_PTE_P) && old != e)
        return -1;
    nw_mem_write(a->mem, ea, e);
    return 0;
}
