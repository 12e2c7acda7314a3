/*
 * The DMT windows of SPEC section 10: which window holds an address, and
 * where its entry lies in that window's Translation Entry Area. What the
 * walk does with the entry (a 4 KiB page, a fault, or the fall-back to the
 * walk) is in nw_walk.c, beside the walk it replaces.
 */
#include "nw_internal.h"

#define PAGE_MASK 0xfffffffffffff000ull /* bits 63:12, what a window compares */

int nw_dmt_lookup(const nw_dmt_window *t, int n, uint64_t x, uint64_t *ea)
{
    uint64_t page = x & PAGE_MASK;
    /* the lowest window wins where windows overlap: the first that holds x */
    for (int w = 0; w < n; w++) {
        if (!(t[w].base <= page && page < t[w].limit))
            continue;
        /* the TEA holds one 8-byte entry per 4 KiB page of the window, in
           order; the sum wraps at 52 bits like every physical address */
        *ea = ((t[w].tea & NW_PTE_ADDR) + ((page - t[w].base) >> 12) * 8) & NW_PA_MASK;
        return w;
    }
    return -1;
}
