/*
 * The translation of SPEC section 6: one request, from the canonical check
 * through the guest dimension (segment, shadow/agile, DMT window or guest
 * walk) to the host dimension (segment, DMT window or walk) of every gPA,
 * recording each memory read in order. Reads one entry at a time, as the
 * hardware does. With walk caches on (section 9), a walk starts where its
 * dimension's cache hits and fills the cache as it goes (what goes in and
 * when: docs/BEHAVIOUR.md; the arrays: nw_wc.c). A DMT window (section 10;
 * which window and where its entry is: nw_dmt.c) ends its dimension with
 * one read, or falls back to the walk when the entry is not present.
 */
#include <string.h>

#include "nw_internal.h"

/* What a walk of one dimension (or a segment) produced. */
typedef struct {
    int status;      /* NW_OK, or the fault status to report */
    int reason;
    int level;       /* the faulting entry's level; leaf level when ok */
    uint64_t out;    /* the translated address */
    int size;
    int w, u, xd;    /* folded permissions */
    int in_shadow;   /* ok from the shadow table: out is already the hPA */
} nw_dim;

/* One request in flight: the configuration it was accepted with and where
 * its result goes. */
typedef struct {
    nw_state *s;
    nw_read_fn read;
    void *ctx;
    nw_result *res;
    int virt, nxe, access, user;
    int wc; /* walk caches on */
    int hseg; /* the host segment translated a gPA */
} nw_walk;

enum { PTE_NOT_PRESENT, PTE_RESERVED, PTE_SWITCH, PTE_LEAF, PTE_TABLE };

static const int page_shift[] = {12, 21, 30};

static int ctrl(const nw_walk *w, unsigned bit) { return !!(w->s->ctrl & bit); }

static void count(nw_walk *w, int counter) { w->s->counters[counter]++; }

static int read_entry(nw_walk *w, uint64_t pa, uint64_t *data)
{
    w->res->reads[w->res->refs++] = pa;
    count(w, NW_CNT_READS);
    return w->read(w->ctx, pa, data) != 0;
}

/* What an entry is, checks in the order of docs/BEHAVIOUR.md. SW is looked
 * at only in a shadow table, in non-leaf positions, and wins over PS. */
static int pte_kind(uint64_t e, int level, int nxe, int shadow)
{
    if (!(e & NW_PTE_P))
        return PTE_NOT_PRESENT;
    if (!nxe && (e & NW_PTE_XD))
        return PTE_RESERVED;
    if (shadow && level >= 2 && (e & NW_PTE_SW))
        return PTE_SWITCH;
    if (level == 1)
        return PTE_LEAF;
    if (!(e & NW_PTE_PS))
        return PTE_TABLE;
    if (level >= 4)
        return PTE_RESERVED;
    /* a large frame's address bits below its size must be 0 */
    uint64_t low = level == 2 ? 0x1fe000ull : 0x3fffe000ull;
    return (e & low) ? PTE_RESERVED : PTE_LEAF;
}

static unsigned index_of(uint64_t addr, int level)
{
    return (unsigned)(addr >> (12 + 9 * (level - 1))) & 0x1ff;
}

/* BASE <= x < LIMIT on bits 63:12, and no escape through the filter; a
   filter looked up is counted in *lookups, the bits it read in *bits. */
static int segment_use(nw_walk *w, const nw_segment *sg, const nw_filter *f,
                       int filt_en, uint64_t x, int escape_counter, int *lookups, int *bits)
{
    uint64_t page = x & ~0xfffull;
    if (!(sg->base <= page && page < sg->limit))
        return 0;
    if (!filt_en)
        return 1;
    (*lookups)++;
    if (nw_filter_hit(f, x >> 12, bits)) {
        count(w, escape_counter);
        return 0;
    }
    return 1;
}

static nw_dim segment_out(nw_walk *w, const nw_segment *sg, uint64_t x, int u)
{
    nw_dim d = {NW_OK, 0, 0, (x + sg->offset) & NW_PA_MASK, NW_SIZE_4K,
                !!(sg->attr & NW_PTE_W), u,
                w->nxe && (sg->attr & NW_PTE_XD), 0};
    return d;
}

static nw_dim fault(int status, int reason, int level)
{
    nw_dim d = {status, reason, level, 0, 0, 0, 0, 0, 0};
    return d;
}

/* An entry of a kind that ends the walk in a fault of status `own`. */
static int is_fault(int kind) { return kind == PTE_NOT_PRESENT || kind == PTE_RESERVED; }

static nw_dim entry_fault(int own, int kind, int level)
{
    return fault(own, kind == PTE_NOT_PRESENT ? NW_RSN_NOT_PRESENT : NW_RSN_RESERVED, level);
}

/* The page a leaf entry e at level maps, and where in it `in` lands. */
static void leaf_out(nw_dim *d, uint64_t e, int level, uint64_t in)
{
    d->size = level - 1;
    uint64_t off = (1ull << page_shift[d->size]) - 1;
    d->out = ((e & NW_PTE_ADDR) & ~off) | (in & off);
    d->level = level;
}

/* What a walk cache holds of the walk so far: its next table (or frame),
 * the permissions folded and aux (docs/BEHAVIOUR.md). */
static nw_wc_entry cached(uint64_t addr, const nw_dim *d, int aux)
{
    nw_wc_entry e = {0, addr, 0, 0, (unsigned char)d->w, (unsigned char)d->u,
                     (unsigned char)d->xd, (unsigned char)aux};
    return e;
}

/* A walk that starts from a PSC hit: it has the permissions the entry
 * folded, and reads on in the table the entry names. */
static uint64_t resume(const nw_wc_entry *e, nw_dim *d)
{
    d->w = e->w;
    d->u = e->u;
    d->xd = e->xd;
    return e->addr;
}

/* The translation of gpa an NTLB entry gives, with no read; its level is
 * the leaf's, which a protection fault of the final gPA reports. */
static nw_dim ntlb_out(const nw_wc_entry *e, uint64_t gpa)
{
    int size = e->aux;
    uint64_t off = (1ull << page_shift[size]) - 1;
    nw_dim d = {NW_OK, 0, size + 1, e->addr | (gpa & off), size, e->w, 1, e->xd, 0};
    return d;
}

/* The DMT read of x's entry at ea (a PA or hPA), taken as a level-1 entry:
 * 1 when it ends the dimension (*d: a 4 KiB page with the entry's own
 * permissions, or a fault of status own at level 1), 0 when the entry is
 * not present and the dimension falls back to its walk. The walk caches
 * are neither looked up nor filled: a DMT hit is no walk. */
static int dmt_entry(nw_walk *w, uint64_t ea, uint64_t x, int own, nw_dim *d)
{
    uint64_t e;
    if (read_entry(w, ea, &e)) {
        *d = fault(NW_BUS_ERROR, NW_RSN_NONE, 1);
        return 1;
    }
    int kind = pte_kind(e, 1, w->nxe, 0);
    if (kind == PTE_NOT_PRESENT) {
        count(w, NW_CNT_DMT_FALLBACKS);
        return 0;
    }
    count(w, NW_CNT_DMT_HITS);
    if (kind == PTE_RESERVED) {
        *d = entry_fault(own, kind, 1);
        return 1;
    }
    nw_dim leaf = {NW_OK, 0, 0, 0, 0, !!(e & NW_PTE_W), !!(e & NW_PTE_U),
                   w->nxe && (e & NW_PTE_XD), 0};
    leaf_out(&leaf, e, 1, x);
    *d = leaf;
    return 1;
}

/* The host dimension: gpa to hPA, by the host segment, a host DMT window or
 * the host walk. Reads made here are plain reads: no permission is
 * checked. */
static nw_dim host_translate(nw_walk *w, uint64_t gpa)
{
    nw_state *s = w->s;
    w->res->gpas++;
    if (ctrl(w, NW_CTRL_HSEG_EN) &&
        segment_use(w, &s->hseg, &s->hfilt, ctrl(w, NW_CTRL_HFILT_EN), gpa,
                    NW_CNT_HESCAPES, &w->res->hfilts, &w->res->hfbits)) {
        count(w, NW_CNT_HSEG_HITS);
        w->hseg = 1;
        return segment_out(w, &s->hseg, gpa, 1);
    }
    uint64_t tea_entry;
    nw_dim by_dmt;
    /* before the reach check: that is the walk's, and a window may map any
       gPA (docs/BEHAVIOUR.md) */
    if (ctrl(w, NW_CTRL_HDMT_EN) &&
        nw_dmt_lookup(s->hdmt, NW_REG_HDMT_WINDOWS, gpa, &tea_entry) >= 0 &&
        dmt_entry(w, tea_entry, gpa, NW_HOST_FAULT, &by_dmt))
        return by_dmt;
    int levels = ctrl(w, NW_CTRL_H5) ? 5 : 4;
    if (levels == 4 && (gpa >> 48))
        return fault(NW_HOST_FAULT, NW_RSN_NOT_PRESENT, 0);
    nw_dim d = {NW_OK, 0, 0, 0, 0, 1, 1, 0, 0};
    uint64_t table = s->hcr3 & NW_PTE_ADDR;
    int level = levels;
    nw_wc_entry hit, nhit;
    /* the NTLB and the host PSC look together (the RTL's arrays compare
     * at once); an NTLB hit wins */
    int n = w->wc && nw_ntlb_lookup(&s->ntlb, gpa, &nhit);
    int j = w->wc ? nw_psc_lookup(&s->hpsc, gpa, levels, &hit) : 0;
    if (n) {
        count(w, NW_CNT_NTLB_HITS);
        return ntlb_out(&nhit, gpa);
    }
    if (j) {
        count(w, NW_CNT_HPSC_HITS);
        table = resume(&hit, &d);
        level = j - 1;
    }
    for (;; level--) {
        uint64_t e;
        if (read_entry(w, table | (uint64_t)index_of(gpa, level) << 3, &e))
            return fault(NW_BUS_ERROR, NW_RSN_NONE, level);
        int kind = pte_kind(e, level, w->nxe, 0);
        if (is_fault(kind))
            return entry_fault(NW_HOST_FAULT, kind, level);
        d.w &= !!(e & NW_PTE_W);
        d.xd |= w->nxe && (e & NW_PTE_XD);
        int keep = w->wc && (e & NW_PTE_A);
        if (kind == PTE_LEAF) {
            leaf_out(&d, e, level, gpa);
            if (keep)
                nw_ntlb_insert(&s->ntlb, gpa,
                               cached(d.out & ~((1ull << page_shift[d.size]) - 1), &d,
                                      d.size));
            return d;
        }
        table = e & NW_PTE_ADDR;
        if (keep)
            nw_psc_insert(&s->hpsc, gpa, levels, level, cached(table, &d, 0));
    }
}

/* x86's permission check of a finished guest (or shadow) translation. */
static int guest_allows(const nw_walk *w, const nw_dim *d)
{
    if (w->user && !d->u)
        return 0;
    if (w->access == NW_ACC_WRITE && !d->w && (w->user || ctrl(w, NW_CTRL_WP)))
        return 0;
    if (w->access == NW_ACC_FETCH && d->xd)
        return 0;
    if (w->access == NW_ACC_FETCH && !w->user && d->u && ctrl(w, NW_CTRL_SMEP))
        return 0;
    return 1;
}

/* Step 4 of the guest dimension: 1 when a guest DMT window holds va and its
 * entry ends the dimension (*g, checked as x86 checks a leaf), 0 when the
 * guest walk is to run: no window holds va, the entry is not present, or
 * the walk is a shadow walk, which DMT leaves alone. On a host fault of
 * the entry's gPA, *host_gpa receives it. */
static int guest_dmt(nw_walk *w, uint64_t va, uint64_t *host_gpa, nw_dim *g)
{
    nw_state *s = w->s;
    uint64_t ea;
    int win = ctrl(w, NW_CTRL_GDMT_EN) && !(w->virt && ctrl(w, NW_CTRL_SHADOW_EN))
                  ? nw_dmt_lookup(s->gdmt, NW_REG_GDMT_WINDOWS, va, &ea)
                  : -1;
    if (win < 0)
        return 0;
    /* a guest's TEA is guest memory, unless the host gave it host-contiguous
       memory and the guest was told (PV); natively it is a PA anyway */
    if (w->virt && !(s->gdmt[win].tea & NW_DMT_PV)) {
        nw_dim h = host_translate(w, ea);
        if (h.status != NW_OK) {
            *host_gpa = ea;
            *g = h;
            return 1;
        }
        ea = h.out;
    }
    if (!dmt_entry(w, ea, va, NW_GUEST_FAULT, g))
        return 0;
    if (g->status == NW_OK && !guest_allows(w, g))
        *g = fault(NW_GUEST_FAULT, NW_RSN_PROTECTION, 1);
    return 1;
}

/*
 * The guest dimension's walk, from GCR3, or from SCR3 when shadow is on.
 * `shadow` says the current table is a shadow table; `direct` says the
 * current table's address is an hPA (native, shadow, or the first guest
 * table after an agile switch) rather than a gPA to translate first.
 * On a host fault, *host_gpa receives the gPA whose translation failed.
 * A guest PSC hit starts the walk below the root, at a table it holds as
 * an hPA, in the mode (shadow or nested) it holds.
 */
static nw_dim guest_walk(nw_walk *w, uint64_t va, uint64_t *host_gpa)
{
    nw_state *s = w->s;
    int levels = ctrl(w, NW_CTRL_G5) ? 5 : 4;
    int shadow = w->virt && ctrl(w, NW_CTRL_SHADOW_EN);
    int direct = !w->virt || shadow;
    uint64_t table = (shadow ? s->scr3 : s->gcr3) & NW_PTE_ADDR;
    nw_dim d = {NW_OK, 0, 0, 0, 0, 1, 1, 0, 0};
    int level = levels;
    nw_wc_entry hit;
    int j = w->wc ? nw_psc_lookup(&s->gpsc, va, levels, &hit) : 0;
    if (j) {
        count(w, NW_CNT_GPSC_HITS);
        table = resume(&hit, &d);
        shadow = hit.aux;
        direct = 1;
        level = j - 1;
    } else if (shadow && (s->scr3 & NW_PTE_SW)) {
        count(w, NW_CNT_SWITCHES);
        shadow = 0;
    }
    /* the entry read at level + 1 is to be cached: it is, with the next
       table's hPA, once this level's entry address is an hPA */
    int keep = 0;
    for (;; level--) {
        uint64_t ea = table | (uint64_t)index_of(va, level) << 3;
        if (!direct) {
            nw_dim h = host_translate(w, ea);
            if (h.status != NW_OK) {
                *host_gpa = ea;
                return h;
            }
            ea = h.out;
        }
        if (keep)
            nw_psc_insert(&s->gpsc, va, levels, level + 1,
                          cached(ea & NW_PTE_ADDR, &d, shadow));
        uint64_t e;
        if (read_entry(w, ea, &e))
            return fault(NW_BUS_ERROR, NW_RSN_NONE, level);
        int own = shadow ? NW_SHADOW_FAULT : NW_GUEST_FAULT;
        int kind = pte_kind(e, level, w->nxe, shadow);
        if (is_fault(kind))
            return entry_fault(own, kind, level);
        d.w &= !!(e & NW_PTE_W);
        d.u &= !!(e & NW_PTE_U);
        d.xd |= w->nxe && (e & NW_PTE_XD);
        if (kind == PTE_LEAF) {
            leaf_out(&d, e, level, va);
            d.in_shadow = shadow;
            if (!guest_allows(w, &d))
                return fault(own, NW_RSN_PROTECTION, level);
            return d;
        }
        if (kind == PTE_SWITCH) {
            count(w, NW_CNT_SWITCHES);
            shadow = 0;
            direct = 1;
        } else {
            direct = !w->virt || shadow;
        }
        table = e & NW_PTE_ADDR;
        keep = w->wc && (e & NW_PTE_A);
    }
}

static unsigned pf_error(const nw_walk *w, int reason)
{
    unsigned e = 0;
    if (reason == NW_RSN_PROTECTION || reason == NW_RSN_RESERVED)
        e |= NW_PF_P;
    if (reason == NW_RSN_RESERVED)
        e |= NW_PF_RSVD;
    if (w->access == NW_ACC_WRITE)
        e |= NW_PF_W;
    if (w->user)
        e |= NW_PF_U;
    if (w->access == NW_ACC_FETCH && (w->nxe || ctrl(w, NW_CTRL_SMEP)))
        e |= NW_PF_ID;
    return e;
}

static void report_fault(nw_walk *w, const nw_dim *d, uint64_t gpa, int gpt)
{
    static const int counter[] = {0, NW_CNT_GUEST_FAULTS, NW_CNT_HOST_FAULTS,
                                  NW_CNT_SHADOW_FAULTS, NW_CNT_BUS_ERRORS};
    nw_result *r = w->res;
    r->status = d->status;
    r->reason = d->reason;
    r->level = d->level;
    if (d->status == NW_GUEST_FAULT || d->status == NW_SHADOW_FAULT)
        r->pferr = pf_error(w, d->reason);
    if (d->status == NW_HOST_FAULT) {
        r->fault_gpa = gpa;
        r->gpt = gpt;
    }
    count(w, counter[d->status]);
}

static int canonical(uint64_t va, int bits)
{
    return (uint64_t)((int64_t)(va << (64 - bits)) >> (64 - bits)) == va;
}

void nw_translate(nw_state *s, const nw_request *req, nw_read_fn read,
                  void *ctx, nw_result *res)
{
    memset(res, 0, offsetof(nw_result, reads));
    nw_walk w = {s, read, ctx, res, !!(s->ctrl & NW_CTRL_VIRT),
                 !!(s->ctrl & NW_CTRL_NXE),
                 req->access == NW_ACC_WRITE || req->access == NW_ACC_FETCH
                     ? req->access : NW_ACC_READ,
                 !!req->user, !!(s->ctrl & NW_CTRL_WC_EN)};
    count(&w, NW_CNT_WALKS);
    uint64_t va = req->va, host_gpa = 0;
    int gseg = 0; /* the guest segment translated va */
    nw_dim g;
    if (!canonical(va, ctrl(&w, NW_CTRL_G5) ? 57 : 48)) {
        g = fault(NW_GUEST_FAULT, NW_RSN_NON_CANONICAL, 0);
    } else if (ctrl(&w, NW_CTRL_GSEG_EN) &&
               segment_use(&w, &s->gseg, &s->gfilt, ctrl(&w, NW_CTRL_GFILT_EN), va,
                           NW_CNT_GESCAPES, &w.res->gfilts, &w.res->gfbits)) {
        count(&w, NW_CNT_GSEG_HITS);
        gseg = 1;
        g = segment_out(&w, &s->gseg, va, !!(s->gseg.attr & NW_PTE_U));
        if (!guest_allows(&w, &g))
            g = fault(NW_GUEST_FAULT, NW_RSN_PROTECTION, 0);
    } else if (!guest_dmt(&w, va, &host_gpa, &g)) {
        g = guest_walk(&w, va, &host_gpa);
    }
    if (g.status != NW_OK) {
        report_fault(&w, &g, host_gpa, 1);
        return;
    }
    nw_dim h = {NW_OK, 0, 0, g.out, NW_SIZE_1G, 1, 1, 0, 0};
    if (w.virt && !g.in_shadow) {
        h = host_translate(&w, g.out);
        res->dual = gseg && w.hseg && !ctrl(&w, NW_CTRL_HFILT_EN);
        if (h.status == NW_OK &&
            ((w.access == NW_ACC_WRITE && !h.w) ||
             (w.access == NW_ACC_FETCH && h.xd)))
            h = fault(NW_HOST_FAULT, NW_RSN_PROTECTION, h.level);
        if (h.status != NW_OK) {
            report_fault(&w, &h, g.out, 0);
            return;
        }
    }
    res->status = NW_OK;
    res->pa = h.out;
    res->size = g.size < h.size ? g.size : h.size;
    res->w = g.w && h.w;
    res->u = g.u;
    res->xd = g.xd || h.xd;
}
