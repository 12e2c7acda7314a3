/*
 * test_fuzz.c: differential fuzzing against a second, independent reading
 * of SPEC section 6 and BEHAVIOUR.md (ref_translate below, written for the
 * tests, not taken from the model). Random worlds: one pool of table pages
 * whose entries have random P/W/U/PS/XD/SW bits, address fields pointing
 * into the pool or at memory that does not exist, and now and then a
 * reserved bit; random CTRL, roots, segments, ATTRs and filter words;
 * random requests. Every field of every result and the exact list of
 * reads must match.
 *
 * The pool makes deep walks likely: every table index used is one of
 * {0, 1, 2, 511}, and so are the indices of every pool page's address and
 * of the VAs asked for.
 *
 * One ambiguity is kept out of the worlds on purpose: whether an agile
 * switching entry's own W/U/XD are folded into the result (BEHAVIOUR.md
 * says "the shadow entries above the switch"). Switching entries here
 * always have W and U set and XD clear, so both readings agree.
 */
#include "tu.h"

#include <string.h>

static const unsigned IDX[4] = {0, 1, 2, 511};

typedef struct {
    uint64_t ctrl, gcr3, hcr3, scr3;
    uint64_t gseg[4], hseg[4]; /* base, limit, offset, attr */
    uint64_t gfilt[4], hfilt[4];
} cfg;

/* ---- the reference ---- */

typedef struct {
    nw_mem *mem;
    nw_result *r;
    int nxe, acc, user, virt;
    const cfg *c;
    const tu_h3q *q; /* the SPEC's Q, computed once */
} ref;

typedef struct {
    int status, reason, level, size, w, u, xd, in_shadow;
    uint64_t out;
} dim;

static int rd(ref *x, uint64_t pa, uint64_t *v)
{
    if (x->r->refs < NW_MAX_READS)
        x->r->reads[x->r->refs] = pa;
    x->r->refs++;
    return nw_mem_read(x->mem, pa, v);
}

static dim dfault(int st, int rsn, int lvl)
{
    dim d = {st, rsn, lvl, 0, 0, 0, 0, 0, 0};
    return d;
}

static int filt_hit(const tu_h3q *q, const uint64_t f[4], uint64_t page)
{
    for (int j = 0; j < 4; j++) {
        unsigned b = tu_h3_with(q, j, page);
        if (!(f[b / 64] >> (b % 64) & 1))
            return 0;
    }
    return 1;
}

/* SPEC section 3's reserved bits (XD handled by the caller's order) */
static int reserved(uint64_t e, int level, int nxe)
{
    if (!nxe && (e & NW_PTE_XD))
        return 1;
    if (level >= 4 && (e & NW_PTE_PS))
        return 1;
    if (level == 2 && (e & NW_PTE_PS) && (e & 0x1fe000ull))
        return 1;
    if (level == 3 && (e & NW_PTE_PS) && (e & 0x3fffe000ull))
        return 1;
    return 0;
}

static int segment(const uint64_t sg[4], uint64_t x)
{
    uint64_t p = x & ~0xfffull;
    return sg[0] <= p && p < sg[1];
}

/* gPA -> hPA; U is never looked at; level = the host leaf's level */
static dim ref_host(ref *x, uint64_t gpa)
{
    const cfg *c = x->c;
    if ((c->ctrl & NW_CTRL_HSEG_EN) && segment(c->hseg, gpa) &&
        !((c->ctrl & NW_CTRL_HFILT_EN) && filt_hit(x->q, c->hfilt, gpa >> 12))) {
        dim d = {NW_OK, 0, 0, NW_SIZE_4K, !!(c->hseg[3] & NW_PTE_W), 1,
                 x->nxe && (c->hseg[3] & NW_PTE_XD), 0, (gpa + c->hseg[2]) & NW_PA_MASK};
        return d;
    }
    int levels = (c->ctrl & NW_CTRL_H5) ? 5 : 4;
    if (levels == 4 && (gpa >> 48))
        return dfault(NW_HOST_FAULT, NW_RSN_NOT_PRESENT, 0);
    uint64_t table = c->hcr3 & NW_PTE_ADDR;
    int w = 1, xd = 0;
    for (int l = levels;; l--) {
        uint64_t e;
        if (rd(x, table | (uint64_t)tu_idx(gpa, l) << 3, &e))
            return dfault(NW_BUS_ERROR, 0, l);
        if (!(e & NW_PTE_P))
            return dfault(NW_HOST_FAULT, NW_RSN_NOT_PRESENT, l);
        if (reserved(e, l, x->nxe))
            return dfault(NW_HOST_FAULT, NW_RSN_RESERVED, l);
        w &= !!(e & NW_PTE_W);
        xd |= x->nxe && (e & NW_PTE_XD);
        if (l == 1 || (l <= 3 && (e & NW_PTE_PS))) {
            uint64_t m = tu_page_bytes(l - 1) - 1;
            dim d = {NW_OK, 0, l, l - 1, w, 1, xd, 0, ((e & NW_PTE_ADDR) & ~m) | (gpa & m)};
            return d;
        }
        table = e & NW_PTE_ADDR;
    }
}

static int allowed(const ref *x, int w, int u, int xd)
{
    if (x->user && !u)
        return 0;
    if (x->acc == NW_ACC_WRITE && !w && (x->user || (x->c->ctrl & NW_CTRL_WP)))
        return 0;
    if (x->acc == NW_ACC_FETCH && xd)
        return 0;
    if (x->acc == NW_ACC_FETCH && !x->user && u && (x->c->ctrl & NW_CTRL_SMEP))
        return 0;
    return 1;
}

static dim ref_guest(ref *x, uint64_t va, uint64_t *hgpa)
{
    const cfg *c = x->c;
    int levels = (c->ctrl & NW_CTRL_G5) ? 5 : 4;
    int shadow = x->virt && (c->ctrl & NW_CTRL_SHADOW_EN);
    int direct = !x->virt || shadow; /* the next table is at an hPA */
    uint64_t table = (shadow ? c->scr3 : c->gcr3) & NW_PTE_ADDR;
    if (shadow && (c->scr3 & NW_PTE_SW))
        shadow = 0; /* SCR3 points at the guest's top table */
    int w = 1, u = 1, xd = 0;
    for (int l = levels;; l--) {
        uint64_t ea = table | (uint64_t)tu_idx(va, l) << 3;
        if (!direct) {
            dim h = ref_host(x, ea);
            if (h.status != NW_OK) {
                *hgpa = ea;
                return h;
            }
            ea = h.out;
        }
        uint64_t e;
        if (rd(x, ea, &e))
            return dfault(NW_BUS_ERROR, 0, l);
        int own = shadow ? NW_SHADOW_FAULT : NW_GUEST_FAULT;
        if (!(e & NW_PTE_P))
            return dfault(own, NW_RSN_NOT_PRESENT, l);
        if (shadow && l >= 2 && (e & NW_PTE_SW)) {
            if (!x->nxe && (e & NW_PTE_XD))
                return dfault(own, NW_RSN_RESERVED, l);
            w &= !!(e & NW_PTE_W); /* always 1 in these worlds */
            u &= !!(e & NW_PTE_U);
            shadow = 0;
            direct = 1;
            table = e & NW_PTE_ADDR;
            continue;
        }
        if (reserved(e, l, x->nxe))
            return dfault(own, NW_RSN_RESERVED, l);
        w &= !!(e & NW_PTE_W);
        u &= !!(e & NW_PTE_U);
        xd |= x->nxe && (e & NW_PTE_XD);
        if (l == 1 || (l <= 3 && (e & NW_PTE_PS))) {
            if (!allowed(x, w, u, xd))
                return dfault(own, NW_RSN_PROTECTION, l);
            uint64_t m = tu_page_bytes(l - 1) - 1;
            dim d = {NW_OK, 0, l, l - 1, w, u, xd, shadow, ((e & NW_PTE_ADDR) & ~m) | (va & m)};
            return d;
        }
        table = e & NW_PTE_ADDR;
        direct = !x->virt || shadow;
    }
}

static void ref_translate(const cfg *c, const tu_h3q *h3, nw_mem *mem, const nw_request *q,
                          nw_result *r)
{
    memset(r, 0, sizeof *r);
    ref x = {mem, r, !!(c->ctrl & NW_CTRL_NXE),
             q->access == NW_ACC_WRITE || q->access == NW_ACC_FETCH ? q->access : NW_ACC_READ,
             !!q->user, !!(c->ctrl & NW_CTRL_VIRT), c, h3};
    int bits = (c->ctrl & NW_CTRL_G5) ? 57 : 48;
    uint64_t top = q->va >> (bits - 1);
    uint64_t hgpa = 0;
    dim g;
    if (top != 0 && top != (~0ull >> (bits - 1))) {
        g = dfault(NW_GUEST_FAULT, NW_RSN_NON_CANONICAL, 0);
    } else if ((c->ctrl & NW_CTRL_GSEG_EN) && segment(c->gseg, q->va) &&
               !((c->ctrl & NW_CTRL_GFILT_EN) && filt_hit(x.q, c->gfilt, q->va >> 12))) {
        dim d = {NW_OK, 0, 0, NW_SIZE_4K, !!(c->gseg[3] & NW_PTE_W),
                 !!(c->gseg[3] & NW_PTE_U), x.nxe && (c->gseg[3] & NW_PTE_XD), 0,
                 (q->va + c->gseg[2]) & NW_PA_MASK};
        g = allowed(&x, d.w, d.u, d.xd) ? d : dfault(NW_GUEST_FAULT, NW_RSN_PROTECTION, 0);
    } else {
        g = ref_guest(&x, q->va, &hgpa);
    }
    dim h = {NW_OK, 0, 0, NW_SIZE_1G, 1, 1, 0, 0, g.out};
    int gpt = 1;
    if (g.status == NW_OK && x.virt && !g.in_shadow) {
        h = ref_host(&x, g.out);
        if (h.status == NW_OK && ((x.acc == NW_ACC_WRITE && !h.w) ||
                                  (x.acc == NW_ACC_FETCH && h.xd)))
            h = dfault(NW_HOST_FAULT, NW_RSN_PROTECTION, h.level);
        hgpa = g.out;
        gpt = 0;
    }
    const dim *f = g.status != NW_OK ? &g : h.status != NW_OK ? &h : NULL;
    if (f) {
        r->status = f->status;
        r->reason = f->reason;
        r->level = f->level;
        if (f->status == NW_GUEST_FAULT || f->status == NW_SHADOW_FAULT)
            r->pferr = (f->reason == NW_RSN_PROTECTION || f->reason == NW_RSN_RESERVED
                            ? NW_PF_P : 0) |
                       (f->reason == NW_RSN_RESERVED ? NW_PF_RSVD : 0) |
                       (x.acc == NW_ACC_WRITE ? NW_PF_W : 0) | (x.user ? NW_PF_U : 0) |
                       (x.acc == NW_ACC_FETCH && (x.nxe || (c->ctrl & NW_CTRL_SMEP))
                            ? NW_PF_ID : 0);
        if (f->status == NW_HOST_FAULT) {
            r->fault_gpa = hgpa;
            r->gpt = gpt;
        }
        return;
    }
    r->pa = h.out;
    r->size = g.size < h.size ? g.size : h.size;
    r->w = g.w && h.w;
    r->u = g.u;
    r->xd = g.xd || h.xd;
}

/* ---- random worlds ---- */

static uint64_t pool_page(uint64_t *r)
{
    return (uint64_t)IDX[tu_below(r, 4)] << 30 | (uint64_t)IDX[tu_below(r, 4)] << 21 |
           (uint64_t)IDX[tu_below(r, 4)] << 12;
}

static uint64_t random_entry(uint64_t *r)
{
    uint64_t e = 0;
    if (tu_below(r, 100) < 88) e |= NW_PTE_P;
    if (tu_below(r, 100) < 85) e |= NW_PTE_W;
    if (tu_below(r, 100) < 85) e |= NW_PTE_U;
    if (tu_below(r, 100) < 12) e |= NW_PTE_XD;
    int ps = tu_below(r, 100) < 18;
    if (ps) e |= NW_PTE_PS;
    if (tu_below(r, 100) < 15) e |= NW_PTE_SW;
    /* the address: a pool page (aligned for a large page when PS), or a
     * page that is not in memory */
    uint64_t a = pool_page(r);
    if (ps && tu_below(r, 2))
        a &= ~0x1fffffull;
    if (ps && tu_below(r, 3) == 0)
        a &= ~0x3fffffffull;
    if (tu_below(r, 100) < 6)
        a = 0x0000777000000000ull | tu_below(r, 8) << 12;
    e |= a;
    if (tu_below(r, 100) < 4) /* a reserved bit of a large leaf */
        e |= 1ull << (13 + tu_below(r, 17));
    if (tu_below(r, 100) < 10) /* ignored bits */
        e |= (nw_splitmix64(r) & 0x7fe0000000000f78ull) & ~NW_PTE_SW & ~NW_PTE_PS;
    /* a switching entry always allows everything (see the top) */
    if (e & NW_PTE_SW)
        e = (e | NW_PTE_W | NW_PTE_U) & ~NW_PTE_XD;
    return e;
}

static uint64_t random_va(uint64_t *r, int g5)
{
    uint64_t va = nw_splitmix64(r) & 0xfff;
    for (int l = 1; l <= 5; l++)
        va |= (uint64_t)IDX[tu_below(r, 4)] << (12 + 9 * (l - 1));
    int bits = g5 ? 57 : 48;
    if (tu_below(r, 100) < 95) { /* canonical: sign-extend */
        va &= (1ull << bits) - 1;
        if (va >> (bits - 1))
            va |= ~0ull << bits;
    }
    return va;
}

static void random_seg(uint64_t *r, uint64_t sg[4], int host)
{
    uint64_t a = host ? pool_page(r) : random_va(r, 0) & ~0xfffull;
    uint64_t b = a + (tu_below(r, 4) << (12 + 9 * tu_below(r, 3)));
    if (tu_below(r, 8) == 0)
        b = a; /* empty */
    sg[0] = a;
    sg[1] = b;
    sg[2] = tu_below(r, 2) ? nw_splitmix64(r) & ~0xfffull : (uint64_t)pool_page(r) - a;
    sg[3] = nw_splitmix64(r) & (NW_PTE_W | NW_PTE_U | NW_PTE_XD);
}

static void random_filter(uint64_t *r, uint64_t f[4])
{
    static const uint64_t dens[4] = {0, 50, 90, 100};
    uint64_t d = dens[tu_below(r, 4)];
    for (int k = 0; k < 4; k++) {
        f[k] = 0;
        for (int b = 0; b < 64; b++)
            if (tu_below(r, 100) < d)
                f[k] |= 1ull << b;
    }
}

static int same(const nw_result *a, const nw_result *b)
{
    if (a->status != b->status || a->reason != b->reason || a->level != b->level ||
        a->pa != b->pa || a->size != b->size || a->w != b->w || a->u != b->u ||
        a->xd != b->xd || a->fault_gpa != b->fault_gpa || a->gpt != b->gpt ||
        a->pferr != b->pferr || a->refs != b->refs)
        return 0;
    for (int i = 0; i < a->refs && i < NW_MAX_READS; i++)
        if (a->reads[i] != b->reads[i])
            return 0;
    return 1;
}

static void show(const char *who, const nw_result *r)
{
    printf("      %s: status %d reason %d level %d pa 0x%llx size %d w/u/xd %d/%d/%d gpa 0x%llx "
           "gpt %d pferr 0x%x refs %d:", who, r->status, r->reason, r->level,
           (unsigned long long)r->pa, r->size, r->w, r->u, r->xd,
           (unsigned long long)r->fault_gpa, r->gpt, r->pferr, r->refs);
    for (int i = 0; i < r->refs && i < NW_MAX_READS; i++)
        printf(" %llx", (unsigned long long)r->reads[i]);
    printf("\n");
}

static void fuzz_against_reference(void)
{
    uint64_t rng = nwt.seed ^ 0x66757a7aull;
    long total = 0, bad = 0, ok = 0, kinds[5] = {0};
    tu_h3q h3;
    tu_h3_table(&h3);
    for (int world = 0; world < 600; world++) {
        nw_mem *m = nw_mem_new();
        /* every pool page: entries at the four indices, the rest zero */
        for (int i3 = 0; i3 < 4; i3++)
            for (int i2 = 0; i2 < 4; i2++)
                for (int i1 = 0; i1 < 4; i1++) {
                    uint64_t pg = (uint64_t)IDX[i3] << 30 | (uint64_t)IDX[i2] << 21 |
                                  (uint64_t)IDX[i1] << 12;
                    if (tu_below(&rng, 20) == 0)
                        continue; /* a page that is not in memory */
                    nw_mem_write(m, pg, 0);
                    for (int k = 0; k < 4; k++)
                        nw_mem_write(m, pg | IDX[k] << 3, random_entry(&rng));
                }
        cfg c;
        memset(&c, 0, sizeof c);
        nw_state *s = nw_new(NW_FEAT_ALL);
        for (int q = 0; q < 1000; q++) {
            if (q % 50 == 0) { /* a new configuration every 50 requests */
                c.ctrl = nw_splitmix64(&rng) & 0x7ff;
                if (tu_below(&rng, 3) == 0)
                    c.ctrl &= ~(uint64_t)(NW_CTRL_GSEG_EN | NW_CTRL_HSEG_EN);
                c.gcr3 = pool_page(&rng);
                c.hcr3 = pool_page(&rng);
                c.scr3 = pool_page(&rng) | (tu_below(&rng, 5) == 0 ? NW_PTE_SW : 0);
                random_seg(&rng, c.gseg, 0);
                random_seg(&rng, c.hseg, 1);
                random_filter(&rng, c.gfilt);
                random_filter(&rng, c.hfilt);
                nw_reset(s);
                nw_reg_write(s, NW_REG_CTRL, c.ctrl);
                nw_reg_write(s, NW_REG_GCR3, c.gcr3);
                nw_reg_write(s, NW_REG_HCR3, c.hcr3);
                nw_reg_write(s, NW_REG_SCR3, c.scr3);
                nw_reg_write(s, NW_REG_GSEG_BASE, c.gseg[0]);
                nw_reg_write(s, NW_REG_GSEG_LIMIT, c.gseg[1]);
                nw_reg_write(s, NW_REG_GSEG_OFFSET, c.gseg[2]);
                nw_reg_write(s, NW_REG_GSEG_ATTR, c.gseg[3]);
                nw_reg_write(s, NW_REG_HSEG_BASE, c.hseg[0]);
                nw_reg_write(s, NW_REG_HSEG_LIMIT, c.hseg[1]);
                nw_reg_write(s, NW_REG_HSEG_OFFSET, c.hseg[2]);
                nw_reg_write(s, NW_REG_HSEG_ATTR, c.hseg[3]);
                for (int k = 0; k < 4; k++) {
                    nw_reg_write(s, NW_REG_GFILT + 8u * (unsigned)k, c.gfilt[k]);
                    nw_reg_write(s, NW_REG_HFILT + 8u * (unsigned)k, c.hfilt[k]);
                }
                /* the reference sees the registers as the SPEC masks them */
                c.gseg[3] &= NW_PTE_W | NW_PTE_U | NW_PTE_XD;
                c.hseg[3] &= NW_PTE_W | NW_PTE_XD;
            }
            nw_request req = {random_va(&rng, !!(c.ctrl & NW_CTRL_G5)),
                              (int)tu_below(&rng, 4), (int)tu_below(&rng, 2)};
            /* half the time, a VA inside the guest segment */
            if (tu_below(&rng, 2) && c.gseg[1] > c.gseg[0])
                req.va = c.gseg[0] + tu_below(&rng, c.gseg[1] - c.gseg[0]);
            nw_result got, want;
            memset(&got, 0x5a, sizeof got);
            nw_translate(s, &req, nw_mem_read, m, &got);
            ref_translate(&c, &h3, m, &req, &want);
            total++;
            ok += want.status == NW_OK;
            if (want.status >= 0 && want.status < 5)
                kinds[want.status]++;
            if (!same(&got, &want)) {
                if (bad++ < 6) {
                    printf("    fuzz: world %d request %d: va 0x%llx access %d user %d, ctrl "
                           "0x%llx gcr3 0x%llx hcr3 0x%llx scr3 0x%llx\n"
                           "      gseg %llx:%llx:%llx attr %llx, hseg %llx:%llx:%llx attr %llx"
                           " (seed %llu)\n",
                           world, q, (unsigned long long)req.va, req.access, req.user,
                           (unsigned long long)c.ctrl, (unsigned long long)c.gcr3,
                           (unsigned long long)c.hcr3, (unsigned long long)c.scr3,
                           (unsigned long long)c.gseg[0], (unsigned long long)c.gseg[1],
                           (unsigned long long)c.gseg[2], (unsigned long long)c.gseg[3],
                           (unsigned long long)c.hseg[0], (unsigned long long)c.hseg[1],
                           (unsigned long long)c.hseg[2], (unsigned long long)c.hseg[3],
                           (unsigned long long)nwt.seed);
                    show("model    ", &got);
                    show("reference", &want);
                }
            }
        }
        nw_free(s);
        nw_mem_free(m);
    }
    printf("    fuzz: %ld requests: %ld ok, %ld guest, %ld host, %ld shadow faults, %ld bus "
           "errors\n", total, ok, kinds[1], kinds[2], kinds[3], kinds[4]);
    CHECK_MSG(bad == 0, "%ld of %ld random requests differ from the reference (seed %llu)",
              bad, total, (unsigned long long)nwt.seed);
    /* the worlds must reach every outcome, or the fuzz proves little */
    CHECK(ok > total / 20);
    for (int k = 1; k < 5; k++)
        CHECK_MSG(kinds[k] > total / 100, "outcome %d only %ld times", k, kinds[k]);
}

void suite_fuzz(void)
{
    NWT_RUN(fuzz_against_reference);
}
