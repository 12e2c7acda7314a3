/*
 * The walk caches of SPEC section 9: the paging-structure caches (one per
 * dimension, an array per level) and the nested TLB, all built from one
 * fully associative array with FIFO replacement. The organisation is the
 * one docs/BEHAVIOUR.md fixes for the model and the RTL alike: a lookup
 * hits when exactly one slot matches (two or more are a miss, and leave
 * the array), an insert writes the slot the FIFO pointer names, hits
 * leave the pointer alone. The walk (nw_walk.c)
 * decides what is looked up and inserted, and when.
 */
#include <stdlib.h>
#include <string.h>

#include "nw_internal.h"

nw_wc_config nw_wc_defaults(void)
{
    nw_wc_config c = {{NW_WC_GPSC_L2, NW_WC_GPSC_L3, NW_WC_GPSC_L4, NW_WC_GPSC_L5},
                      {NW_WC_HPSC_L2, NW_WC_HPSC_L3, NW_WC_HPSC_L4, NW_WC_HPSC_L5},
                      NW_WC_NTLB};
    return c;
}

/* The arrays of s in a fixed order, with the sizes c gives them. */
static int arrays(nw_state *s, const nw_wc_config *c, nw_wc_array **a, unsigned *n)
{
    int k = 0;
    for (int j = 0; j < 4; j++) {
        a[k] = &s->gpsc.level[j];
        n[k++] = c->gpsc[j];
        a[k] = &s->hpsc.level[j];
        n[k++] = c->hpsc[j];
    }
    a[k] = &s->ntlb;
    n[k++] = c->ntlb;
    return k;
}

int nw_wc_init(nw_state *s, const nw_wc_config *c)
{
    nw_wc_array *a[9];
    unsigned n[9];
    size_t total = 0;
    int k = arrays(s, c, a, n);
    for (int i = 0; i < k; i++) {
        if (n[i] > NW_WC_MAX_ENTRIES)
            return -1;
        total += n[i];
    }
    /* calloc of 0 may give NULL: one spare entry keeps NULL for failure */
    s->wc_slots = calloc(total + 1, sizeof *s->wc_slots);
    if (!s->wc_slots)
        return -1;
    nw_wc_entry *p = s->wc_slots;
    for (int i = 0; i < k; i++) {
        a[i]->slot = p;
        a[i]->size = n[i];
        a[i]->next = 0;
        p += n[i];
    }
    return 0;
}

void nw_wc_release(nw_state *s)
{
    free(s->wc_slots);
    s->wc_slots = NULL;
}

static void array_flush(nw_wc_array *a)
{
    memset(a->slot, 0, a->size * sizeof *a->slot);
    a->next = 0;
}

void nw_wc_flush(nw_state *s, int all)
{
    for (int j = 0; j < 4; j++) {
        array_flush(&s->gpsc.level[j]);
        if (all)
            array_flush(&s->hpsc.level[j]);
    }
    if (all)
        array_flush(&s->ntlb);
}

static int holds(const nw_wc_entry *e, uint64_t x)
{
    return e->valid && x >> e->shift == e->tag;
}

/* The one valid slot that holds x, or NULL: none does, or two or more,
 * which are emptied (the walk then inserts one). */
static const nw_wc_entry *array_find(nw_wc_array *a, uint64_t x)
{
    const nw_wc_entry *hit = NULL;
    unsigned n = 0;
    for (unsigned i = 0; i < a->size; i++)
        if (holds(&a->slot[i], x)) {
            hit = &a->slot[i];
            n++;
        }
    if (n < 2)
        return hit;
    for (unsigned i = 0; i < a->size; i++)
        if (holds(&a->slot[i], x))
            a->slot[i].valid = 0;
    return NULL;
}

static void array_insert(nw_wc_array *a, uint64_t x, unsigned shift, nw_wc_entry e)
{
    if (!a->size)
        return;
    e.valid = 1;
    e.shift = (unsigned char)shift;
    e.tag = x >> shift;
    a->slot[a->next] = e;
    a->next = (a->next + 1) % a->size;
}

/* The bits a walk of `levels` levels indexes (47:0 or 56:0): above them a
 * VA is a copy of its top bit, which a tag need not hold. */
static uint64_t reach(uint64_t x, int levels)
{
    return x & ((1ull << (12 + 9 * levels)) - 1);
}

static unsigned level_shift(int j) { return (unsigned)(12 + 9 * (j - 1)); }

int nw_psc_lookup(nw_psc *p, uint64_t x, int levels, nw_wc_entry *e)
{
    /* every level looks, as the RTL's arrays do at once (and each
     * empties its multiple hits); the deepest one hit wins */
    int deepest = 0;
    x = reach(x, levels);
    for (int j = 2; j <= 5; j++) {
        const nw_wc_entry *hit = array_find(&p->level[j - 2], x);
        if (hit && !deepest && j <= levels) {
            *e = *hit;
            deepest = j;
        }
    }
    return deepest;
}

void nw_psc_insert(nw_psc *p, uint64_t x, int levels, int j, nw_wc_entry e)
{
    array_insert(&p->level[j - 2], reach(x, levels), level_shift(j), e);
}

int nw_ntlb_lookup(nw_wc_array *a, uint64_t gpa, nw_wc_entry *e)
{
    const nw_wc_entry *hit = array_find(a, gpa);
    if (hit)
        *e = *hit;
    return hit != NULL;
}

void nw_ntlb_insert(nw_wc_array *a, uint64_t gpa, nw_wc_entry e)
{
    array_insert(a, gpa, level_shift(e.aux + 1), e);
}
