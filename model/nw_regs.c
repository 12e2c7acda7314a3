/* The register file of SPEC section 4 (the DMT windows of section 10
 * among them), the escape filters of section 5 and the register writes
 * that empty the walk caches (section 9). */
#include <stdlib.h>
#include <string.h>

#include "nw_internal.h"

#define SEG_MASK 0xfffffffffffff000ull /* bits 63:12 */
#define CR3_MASK NW_PTE_ADDR
#define SCR3_MASK (NW_PTE_ADDR | NW_PTE_SW)
#define GATTR_MASK (NW_PTE_XD | NW_PTE_U | NW_PTE_W)
#define HATTR_MASK (NW_PTE_XD | NW_PTE_W)
#define HPAGE_MASK 0xffffffffffull /* a gPA page number: bits 51:12 */
#define GPAGE_MASK 0xfffffffffffffull
#define GTEA_MASK (NW_PTE_ADDR | NW_DMT_PV)
#define HTEA_MASK NW_PTE_ADDR

#include "nw_h3_table.h"

unsigned nw_h3(int j, uint64_t page)
{
    unsigned h = 0;
    for (int i = 0; i < 52; i++)
        if (page >> i & 1)
            h ^= nw_h3_q[j][i];
    return h;
}

uint64_t nw_splitmix64(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

void nw_filter_insert(nw_filter *f, uint64_t page)
{
    for (int j = 0; j < 4; j++) {
        unsigned b = nw_h3(j, page);
        f->bits[b >> 6] |= 1ull << (b & 63);
    }
}

int nw_filter_hit(const nw_filter *f, uint64_t page, int *bits)
{
    for (int j = 0; j < 4; j++) {
        unsigned b = nw_h3(j, page);
        ++*bits;
        if (!(f->bits[b >> 6] >> (b & 63) & 1))
            return 0;
    }
    return 1;
}

nw_state *nw_new_wc(unsigned features, const nw_wc_config *wc)
{
    nw_state *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->features = features & NW_FEAT_ALL;
    if (nw_wc_init(s, wc)) {
        free(s);
        return NULL;
    }
    return s;
}

nw_state *nw_new(unsigned features)
{
    nw_wc_config c = nw_wc_defaults();
    return nw_new_wc(features, &c);
}

void nw_free(nw_state *s)
{
    if (s)
        nw_wc_release(s);
    free(s);
}

void nw_reset(nw_state *s)
{
    /* the build (features, cache arrays) stays; its state goes */
    nw_state keep = *s;
    memset(s, 0, sizeof *s);
    s->features = keep.features;
    s->gpsc = keep.gpsc;
    s->hpsc = keep.hpsc;
    s->ntlb = keep.ntlb;
    s->wc_slots = keep.wc_slots;
    nw_wc_flush(s, 1);
}

/* The guest and host windows have one layout: offsets within a window. */
#define DMT_BASE (NW_REG_GDMT_BASE(0) - NW_REG_GDMT)
#define DMT_LIMIT (NW_REG_GDMT_LIMIT(0) - NW_REG_GDMT)
#define DMT_TEA (NW_REG_GDMT_TEA(0) - NW_REG_GDMT)
_Static_assert(NW_REG_HDMT_STRIDE == NW_REG_GDMT_STRIDE &&
                   NW_REG_HDMT_BASE(0) - NW_REG_HDMT == DMT_BASE &&
                   NW_REG_HDMT_LIMIT(0) - NW_REG_HDMT == DMT_LIMIT &&
                   NW_REG_HDMT_TEA(0) - NW_REG_HDMT == DMT_TEA,
               "guest and host DMT windows differ in layout");

/* The register at byte `off` of a DMT window (the word after TEA has
 * none), or NULL; *mask as for reg_slot. */
static uint64_t *dmt_slot(nw_dmt_window *w, unsigned off, int has, uint64_t tea_mask,
                          uint64_t *mask)
{
    switch (off) {
    case DMT_BASE: *mask = has ? SEG_MASK : 0; return &w->base;
    case DMT_LIMIT: *mask = has ? SEG_MASK : 0; return &w->limit;
    case DMT_TEA: *mask = has ? tea_mask : 0; return &w->tea;
    }
    return NULL;
}

/* The register at addr, or NULL; *mask gets the bits it keeps. */
static uint64_t *reg_slot(nw_state *s, unsigned addr, uint64_t *mask)
{
    unsigned f = s->features;
    int virt = NW_HAS_VIRT(f), gseg = NW_HAS_GSEG(f), hseg = NW_HAS_HSEG(f);
    addr &= 0xff8;
    switch (addr) {
    case NW_REG_CTRL: *mask = NW_CTRL_MASK(f); return &s->ctrl;
    case NW_REG_GCR3: *mask = CR3_MASK; return &s->gcr3;
    case NW_REG_HCR3: *mask = virt ? CR3_MASK : 0; return &s->hcr3;
    case NW_REG_SCR3:
        *mask = NW_HAS_SCR3(f) ? SCR3_MASK : 0;
        return &s->scr3;
    case NW_REG_GSEG_BASE: *mask = gseg ? SEG_MASK : 0; return &s->gseg.base;
    case NW_REG_GSEG_LIMIT: *mask = gseg ? SEG_MASK : 0; return &s->gseg.limit;
    case NW_REG_GSEG_OFFSET: *mask = gseg ? SEG_MASK : 0; return &s->gseg.offset;
    case NW_REG_GSEG_ATTR: *mask = gseg ? GATTR_MASK : 0; return &s->gseg.attr;
    case NW_REG_HSEG_BASE: *mask = hseg ? SEG_MASK : 0; return &s->hseg.base;
    case NW_REG_HSEG_LIMIT: *mask = hseg ? SEG_MASK : 0; return &s->hseg.limit;
    case NW_REG_HSEG_OFFSET: *mask = hseg ? SEG_MASK : 0; return &s->hseg.offset;
    case NW_REG_HSEG_ATTR: *mask = hseg ? HATTR_MASK : 0; return &s->hseg.attr;
    }
    if (addr >= NW_REG_GDMT && addr < NW_REG_GDMT + NW_REG_GDMT_WINDOWS * NW_REG_GDMT_STRIDE)
        return dmt_slot(&s->gdmt[(addr - NW_REG_GDMT) / NW_REG_GDMT_STRIDE],
                        (addr - NW_REG_GDMT) % NW_REG_GDMT_STRIDE, NW_HAS_GDMT(f), GTEA_MASK, mask);
    if (addr >= NW_REG_HDMT && addr < NW_REG_HDMT + NW_REG_HDMT_WINDOWS * NW_REG_HDMT_STRIDE)
        return dmt_slot(&s->hdmt[(addr - NW_REG_HDMT) / NW_REG_HDMT_STRIDE],
                        (addr - NW_REG_HDMT) % NW_REG_HDMT_STRIDE, NW_HAS_HDMT(f), HTEA_MASK, mask);
    if (addr >= NW_REG_GFILT && addr < NW_REG_GFILT + 8 * NW_REG_GFILT_WORDS) {
        *mask = NW_HAS_GFILT(f) ? ~0ull : 0;
        return &s->gfilt.bits[(addr - NW_REG_GFILT) >> 3];
    }
    if (addr >= NW_REG_HFILT && addr < NW_REG_HFILT + 8 * NW_REG_HFILT_WORDS) {
        *mask = NW_HAS_HFILT(f) ? ~0ull : 0;
        return &s->hfilt.bits[(addr - NW_REG_HFILT) >> 3];
    }
    return NULL;
}

void nw_reg_write(nw_state *s, unsigned addr, uint64_t value)
{
    unsigned f = s->features;
    int filt = NW_HAS_GFILT(f), hfilt = NW_HAS_HFILT(f);
    uint64_t mask, *r = reg_slot(s, addr, &mask);
    addr &= 0xff8;
    if (r) {
        *r = value & mask;
        /* a new root or configuration makes what the caches hold stale
           (a register the build lacks has mask 0 and is no write) */
        if (mask && (addr == NW_REG_CTRL || addr == NW_REG_HCR3))
            nw_wc_flush(s, 1);
        else if (mask && (addr == NW_REG_GCR3 || addr == NW_REG_SCR3))
            nw_wc_flush(s, 0);
    } else if (addr == NW_REG_WC_FLUSH) {
        if (NW_HAS_WC(f) && (value & (NW_WC_FLUSH_GUEST | NW_WC_FLUSH_ALL)))
            nw_wc_flush(s, !!(value & NW_WC_FLUSH_ALL));
    } else if (addr == NW_REG_GFILT_INSERT) {
        if (filt)
            nw_filter_insert(&s->gfilt, value & GPAGE_MASK);
    } else if (addr == NW_REG_HFILT_INSERT) {
        if (hfilt)
            nw_filter_insert(&s->hfilt, value & HPAGE_MASK);
    } else if (addr == NW_REG_FILT_CLEAR) {
        if (filt && (value & 1))
            memset(&s->gfilt, 0, sizeof s->gfilt);
        if (hfilt && (value & 2))
            memset(&s->hfilt, 0, sizeof s->hfilt);
    } else if (addr >= NW_REG_COUNTERS &&
               addr < NW_REG_COUNTERS + 8 * NW_NUM_COUNTERS) {
        memset(s->counters, 0, sizeof s->counters);
    }
}

uint64_t nw_reg_read(const nw_state *s, unsigned addr)
{
    uint64_t mask, *r = reg_slot((nw_state *)s, addr, &mask);
    addr &= 0xff8;
    if (r)
        return *r & mask;
    if (addr >= NW_REG_COUNTERS && addr < NW_REG_COUNTERS + 8 * NW_NUM_COUNTERS)
        return s->counters[(addr - NW_REG_COUNTERS) >> 3];
    return 0;
}

const char *nw_status_name(int status)
{
    static const char *const n[] = {"ok", "guest-fault", "host-fault",
                                    "shadow-fault", "bus-error"};
    return status >= 0 && status <= NW_BUS_ERROR ? n[status] : "?";
}

const char *nw_reason_name(int reason)
{
    static const char *const n[] = {"none", "not-present", "reserved",
                                    "protection", "non-canonical"};
    return reason >= 0 && reason <= NW_RSN_NON_CANONICAL ? n[reason] : "?";
}

const char *nw_size_name(int size)
{
    static const char *const n[] = {"4K", "2M", "1G"};
    return size >= 0 && size <= NW_SIZE_1G ? n[size] : "?";
}
