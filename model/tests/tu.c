/* tu.c: test helpers (see tu.h). Written from the SPEC, not the model. */
#include "tu.h"

#include <stdio.h>
#include <string.h>

uint64_t tu_below(uint64_t *rng, uint64_t n)
{
    return n ? nw_splitmix64(rng) % n : 0;
}

/* SPEC section 5: Q[j][i] is the low byte of the (52j + i)-th splitmix64
 * output from s = 0x6e65737477616c6b ("nestwalk"). */
void tu_h3_table(tu_h3q *q)
{
    uint64_t s = 0x6e65737477616c6bull;
    for (int j = 0; j < 4; j++)
        for (int i = 0; i < 52; i++)
            q->q[j][i] = (unsigned)(nw_splitmix64(&s) & 0xff);
}

unsigned tu_h3_with(const tu_h3q *q, int j, uint64_t page)
{
    unsigned h = 0;
    for (int i = 0; i < 52; i++)
        if (page >> i & 1)
            h ^= q->q[j][i];
    return h;
}

unsigned tu_h3(int j, uint64_t page)
{
    tu_h3q q;
    tu_h3_table(&q);
    return tu_h3_with(&q, j, page);
}

void tu_rec_init(tu_rec *r, nw_mem *mem)
{
    memset(r, 0, sizeof *r);
    r->mem = mem;
    r->fail_addr = ~0ull;
}

int tu_rec_read(void *ctx, uint64_t pa, uint64_t *data)
{
    tu_rec *r = ctx;
    if (r->n < 64)
        r->addr[r->n] = pa;
    r->n++;
    if (r->n == r->fail_at || pa == r->fail_addr)
        return 1;
    return nw_mem_read(r->mem, pa, data);
}

void tu_walk_rec(nw_state *s, tu_rec *rec, uint64_t va, int access, int user,
                 nw_result *res)
{
    nw_request req = {va, access, user};
    rec->n = 0;
    memset(res, 0x5a, sizeof *res); /* stale fields must be overwritten */
    nw_translate(s, &req, tu_rec_read, rec, res);
    CHECK_MSG(res->refs == rec->n,
              "result refs %d but the read callback was called %d times",
              res->refs, rec->n);
    int same = 1, first = -1;
    for (int i = 0; i < rec->n && i < res->refs && i < NW_MAX_READS; i++)
        if (res->reads[i] != rec->addr[i]) {
            same = 0;
            first = i;
            break;
        }
    CHECK_MSG(same, "result reads[%d] = 0x%llx but the callback read 0x%llx",
              first, first >= 0 ? (unsigned long long)res->reads[first] : 0ull,
              first >= 0 ? (unsigned long long)rec->addr[first] : 0ull);
}

void tu_walk(nw_state *s, nw_mem *mem, uint64_t va, int access, int user,
             nw_result *res)
{
    tu_rec rec;
    tu_rec_init(&rec, mem);
    tu_walk_rec(s, &rec, va, access, user, res);
}

static const char *sn(int st)
{
    static const char *n[] = {"ok", "guest-fault", "host-fault",
                              "shadow-fault", "bus-error"};
    return st >= 0 && st < 5 ? n[st] : "?";
}

#define FCHECK(cond, ...) nwt_check(!!(cond), file, line, __VA_ARGS__)
#define FEQ(got, want) nwt_eq((uint64_t)(got), (uint64_t)(want), #got, #want, file, line)

void tu_expect_ok(const char *file, int line, const nw_result *r, uint64_t pa,
                  int size, int w, int u, int xd, int refs)
{
    if (!FCHECK(r->status == NW_OK,
                "status %s (reason %d level %d refs %d), expected ok",
                sn(r->status), r->reason, r->level, r->refs))
        return;
    FEQ(r->pa, pa);
    FEQ(r->size, size);
    FCHECK(r->w == w && r->u == u && r->xd == xd,
           "w/u/xd got %d/%d/%d, expected %d/%d/%d", r->w, r->u, r->xd, w, u, xd);
    FEQ(r->refs, refs);
    FCHECK(r->reason == 0 && r->level == 0 && r->fault_gpa == 0 &&
               r->gpt == 0 && r->pferr == 0,
           "ok result must have reason/level/fault_gpa/gpt/pferr 0, got "
           "%d/%d/0x%llx/%d/0x%x", r->reason, r->level,
           (unsigned long long)r->fault_gpa, r->gpt, r->pferr);
}

void tu_expect_fault(const char *file, int line, const nw_result *r,
                     int status, int reason, int level, unsigned pferr,
                     uint64_t gpa, int gpt, int refs)
{
    if (!FCHECK(r->status == status,
                "status %s (reason %d level %d refs %d), expected %s",
                sn(r->status), r->reason, r->level, r->refs, sn(status)))
        return;
    FEQ(r->reason, reason);
    FEQ(r->level, level);
    FEQ(r->pferr, pferr);
    FEQ(r->fault_gpa, gpa);
    FEQ(r->gpt, gpt);
    FEQ(r->refs, refs);
    FCHECK(r->pa == 0 && r->size == 0 && r->w == 0 && r->u == 0 && r->xd == 0,
           "a fault must have pa/size/w/u/xd 0, got 0x%llx/%d/%d/%d/%d",
           (unsigned long long)r->pa, r->size, r->w, r->u, r->xd);
}

void tu_expect_reads(const char *file, int line, const nw_result *r,
                     const uint64_t *want, int n)
{
    if (!FCHECK(r->refs == n, "refs %d, expected %d reads", r->refs, n))
        n = r->refs < n ? r->refs : n;
    for (int i = 0; i < n && i < NW_MAX_READS; i++)
        if (!FCHECK(r->reads[i] == want[i],
                    "read %d of the walk: got 0x%llx, expected 0x%llx", i,
                    (unsigned long long)r->reads[i], (unsigned long long)want[i]))
            return; /* one wrong read usually shifts the rest */
}

unsigned tu_idx(uint64_t va, int level)
{
    return (unsigned)(va >> (12 + 9 * (level - 1)) & 511);
}

uint64_t tu_page_bytes(int size)
{
    return size == NW_SIZE_1G ? 1ull << 30 : size == NW_SIZE_2M ? 1ull << 21 : 1ull << 12;
}

int tu_steps(int levels, int size)
{
    return levels - size; /* 4K ends at L1, 2M at L2, 1G at L3 */
}

void tu_put(tu_tables *t, uint64_t addr, uint64_t value)
{
    nw_mem_write(t->mem, addr + t->store_off, value);
}

uint64_t tu_get(tu_tables *t, uint64_t addr)
{
    uint64_t v = 0;
    if (nw_mem_read(t->mem, addr + t->store_off, &v))
        return 0;
    return v;
}

uint64_t tu_table_new(tu_tables *t)
{
    if (!CHECK_MSG(t->next < t->end, "test table allocator exhausted"))
        return 0;
    uint64_t a = t->next;
    t->next += 0x1000;
    for (int i = 0; i < 512; i++)
        tu_put(t, a + 8 * (uint64_t)i, 0);
    return a;
}

uint64_t tu_map(tu_tables *t, uint64_t root, int levels, uint64_t va,
                uint64_t pa, int size, uint64_t flags)
{
    uint64_t table = root;
    int leaf = size + 1; /* 4K: L1, 2M: L2, 1G: L3 */
    for (int l = levels; l > leaf; l--) {
        uint64_t ea = table | (uint64_t)tu_idx(va, l) << 3;
        uint64_t e = tu_get(t, ea);
        if (!(e & NW_PTE_P)) {
            uint64_t nt = tu_table_new(t);
            e = nt | TU_TABLE;
            tu_put(t, ea, e);
        }
        table = e & NW_PTE_ADDR;
    }
    uint64_t ea = table | (uint64_t)tu_idx(va, leaf) << 3;
    uint64_t mask = tu_page_bytes(size) - 1;
    tu_put(t, ea, (pa & ~mask & NW_PTE_ADDR) | flags | NW_PTE_P |
                      (size ? NW_PTE_PS : 0));
    return ea;
}

uint64_t tu_table_at(tu_tables *t, uint64_t root, int levels, uint64_t va,
                     int level)
{
    uint64_t table = root;
    for (int l = levels; l > level; l--) {
        uint64_t e = tu_get(t, table | (uint64_t)tu_idx(va, l) << 3);
        if (!(e & NW_PTE_P) || (l <= 3 && (e & NW_PTE_PS)))
            return 0;
        table = e & NW_PTE_ADDR;
    }
    return table;
}

nw_mem *tu_hand_world(uint64_t flags)
{
    nw_mem *m = nw_mem_new();
    /* native */
    nw_mem_write(m, 0x143d8, 0x10000 | flags);   /* N5[0x7b] (5-level VA below) */
    nw_mem_write(m, 0x105a0, 0x11000 | flags);   /* N4[0xb4] */
    nw_mem_write(m, 0x11b48, 0x12000 | flags);   /* N3[0x169] */
    nw_mem_write(m, 0x12690, 0x13000 | flags);   /* N2[0xd2] */
    nw_mem_write(m, 0x13d28, 0x777000 | flags);  /* N1[0x1a5] */
    /* host */
    nw_mem_write(m, 0x100000, 0x101000 | flags);
    nw_mem_write(m, 0x101000, 0x102000 | flags);
    nw_mem_write(m, 0x101008, 0x104000 | flags);
    nw_mem_write(m, 0x102000, 0x103000 | flags);
    nw_mem_write(m, 0x104000, 0x105000 | flags);
    for (uint64_t n = 1; n <= 4; n++)
        nw_mem_write(m, 0x103000 + 8 * n, (0x200000 + n * 0x1000) | flags);
    nw_mem_write(m, 0x105028, 0xabcd000 | flags);
    /* guest, at hPA = gPA + 0x200000 */
    nw_mem_write(m, 0x2015a0, 0x2000 | flags);
    nw_mem_write(m, 0x202b48, 0x3000 | flags);
    nw_mem_write(m, 0x203690, 0x4000 | flags);
    nw_mem_write(m, 0x204d28, 0x40005000 | flags);
    /* shadow */
    nw_mem_write(m, 0x3005a0, 0x301000 | flags);
    nw_mem_write(m, 0x301b48, 0x302000 | flags);
    nw_mem_write(m, 0x302690, 0x303000 | flags);
    nw_mem_write(m, 0x303d28, 0xabcd000 | flags);
    return m;
}

void tu_world_init(tu_world *w, int glevels, int hlevels, int hsize)
{
    memset(w, 0, sizeof *w);
    w->mem = nw_mem_new();
    w->glevels = glevels;
    w->hlevels = hlevels;
    w->hsize = hsize;
    w->h = (tu_tables){w->mem, TU_HT_BASE, TU_HT_BASE + 0x4000000, 0};
    w->sh = (tu_tables){w->mem, TU_ST_BASE, TU_ST_BASE + 0x4000000, 0};
    w->g = (tu_tables){w->mem, TU_GT_BASE, TU_GT_BASE + TU_GT_PAGES * 0x1000ull,
                       TU_HOFF};
    w->hcr3 = tu_table_new(&w->h);
    w->sroot = tu_table_new(&w->sh);
    /* the host maps the whole guest table area before any guest table is
     * written, so every guest table gPA has a host page of hsize */
    for (uint64_t a = TU_GT_BASE; a < w->g.end; a += 0x1000)
        tu_host_cover(w, a);
    w->gcr3 = tu_table_new(&w->g);
}

void tu_world_free(tu_world *w)
{
    nw_mem_free(w->mem);
    w->mem = NULL;
}

void tu_host_cover(tu_world *w, uint64_t gpa)
{
    uint64_t mask = tu_page_bytes(w->hsize) - 1;
    uint64_t base = gpa & ~mask;
    uint64_t table = tu_table_at(&w->h, w->hcr3, w->hlevels, base, w->hsize + 1);
    if (table) {
        uint64_t e = tu_get(&w->h, table | (uint64_t)tu_idx(base, w->hsize + 1) << 3);
        if (e & NW_PTE_P)
            return;
    }
    tu_map(&w->h, w->hcr3, w->hlevels, base, base + TU_HOFF, w->hsize, TU_PWU | NW_PTE_A);
}

uint64_t tu_guest_map(tu_world *w, uint64_t va, uint64_t gpa, int size,
                      uint64_t flags)
{
    tu_host_cover(w, gpa);
    return tu_map(&w->g, w->gcr3, w->glevels, va, gpa, size, flags);
}

uint64_t tu_shadow_map(tu_world *w, uint64_t va, uint64_t hpa, int ssize,
                       uint64_t flags, int sw_level)
{
    if (sw_level == 0)
        return tu_map(&w->sh, w->sroot, w->glevels, va, hpa, ssize, flags);
    uint64_t gt = tu_table_at(&w->g, w->gcr3, w->glevels, va, sw_level - 1);
    CHECK_MSG(gt != 0, "test setup: no guest table at level %d", sw_level - 1);
    if (sw_level == w->glevels + 1)
        return (gt + TU_HOFF) | NW_PTE_SW;
    uint64_t table = w->sroot;
    for (int l = w->glevels; l > sw_level; l--) {
        uint64_t ea = table | (uint64_t)tu_idx(va, l) << 3;
        uint64_t e = tu_get(&w->sh, ea);
        if (!(e & NW_PTE_P)) {
            e = tu_table_new(&w->sh) | TU_PWU;
            tu_put(&w->sh, ea, e);
        }
        table = e & NW_PTE_ADDR;
    }
    uint64_t ea = table | (uint64_t)tu_idx(va, sw_level) << 3;
    tu_put(&w->sh, ea, (gt + TU_HOFF) | NW_PTE_SW | TU_PWU);
    return ea;
}

void tu_world_regs(tu_world *w, nw_state *s, uint64_t ctrl)
{
    if (w->glevels == 5)
        ctrl |= NW_CTRL_G5;
    if (w->hlevels == 5)
        ctrl |= NW_CTRL_H5;
    nw_reg_write(s, NW_REG_CTRL, ctrl);
    nw_reg_write(s, NW_REG_GCR3, w->gcr3);
    nw_reg_write(s, NW_REG_HCR3, w->hcr3);
    nw_reg_write(s, NW_REG_SCR3, w->sroot);
}

int tu_random_mappings(uint64_t *r, tu_mapping *out, int n, int levels)
{
    static const uint64_t fl[] = {0, NW_PTE_W, NW_PTE_U, NW_PTE_W | NW_PTE_U,
                                  NW_PTE_XD | NW_PTE_W, NW_PTE_G | NW_PTE_A};
    int k = 0;
    for (int tries = 0; k < n && tries < 50 * n; tries++) {
        int size = (int)tu_below(r, 3);
        uint64_t va = (levels == 5 ? (tu_below(r, 2) << 48) : 0) | (tu_below(r, 4) << 39) |
                      (tu_below(r, 4) << 30) | (tu_below(r, 8) << 21) |
                      (tu_below(r, 512) << 12);
        uint64_t pa = (nw_splitmix64(r) & 0x000fffffffe00000ull) | (tu_below(r, 512) << 12);
        uint64_t mask = tu_page_bytes(size) - 1;
        va &= ~mask;
        pa &= ~mask;
        int clash = 0;
        for (int i = 0; i < k && !clash; i++) {
            /* a different size anywhere in the larger of the two pages
             * collides; the same page twice is skipped */
            int big = out[i].size > size ? out[i].size : size;
            uint64_t bm = tu_page_bytes(big) - 1;
            if ((va & ~bm) == (out[i].va & ~bm) && (out[i].size != size || va == out[i].va))
                clash = 1;
        }
        if (!clash)
            out[k++] = (tu_mapping){va, pa, size, fl[tu_below(r, 6)]};
    }
    return k;
}

int tu_write_file(const char *path, const void *data, size_t n)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    int ok = fwrite(data, 1, n, f) == n;
    return fclose(f) == 0 && ok ? 0 : -1;
}
