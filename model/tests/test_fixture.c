/*
 * test_fixture.c: real Linux page tables (../shared/fixtures/linux-4level,
 * see its README.md). Every one of QEMU's 74,019 `info tlb` lines must
 * translate natively to QEMU's PA with QEMU's page size; the gaps between
 * them fault not-present; then the same guest tables are walked nested,
 * VMM-direct, guest-direct, dual-direct and with escapes under host tables
 * this test builds, and every result must be the composition of QEMU's
 * answer and the host map.
 *
 * The flags in QEMU's lines are the leaf's own bits. In this capture no
 * upper-level entry on the way to a mapped page takes away W or U or adds
 * XD that the leaf does not have (checked with an independent reading of
 * the tables when this test was written), so the effective permissions are
 * the leaf's: w = W, u = U, xd = X (NXE = 1).
 */
#define _POSIX_C_SOURCE 200809L
#include "tu.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define FIX_LINES 74019
#define FIX_CR3 NW_FIXTURE_CR3
#define HOFF      0x400000000ull /* hPA = gPA + 16 GiB: 1G aligned */
#define DMAP      0xffff888000000000ull /* Linux's direct map: PA 0 */

typedef struct {
    nw_tlb_line *l;
    int n;
    nw_mem *mem;
} fixture;

static int load(fixture *f)
{
    char path[1024], err[256] = "";
    memset(f, 0, sizeof *f);
    f->mem = nw_mem_new();
    snprintf(path, sizeof path, "%s/pagetables.elf", nwt.fixture);
    if (!CHECK_MSG(nw_mem_load(f->mem, path, err, sizeof err) == 0, "nw_mem_load(%s): %s",
                   path, err))
        return -1;
    /* "exactly the 109 page-table pages reachable from CR3" */
    CHECK_EQ(nw_mem_pages(f->mem), 109);

    /* CR3 from regs.txt */
    snprintf(path, sizeof path, "%s/regs.txt", nwt.fixture);
    FILE *rf = fopen(path, "r");
    if (!CHECK_MSG(rf != NULL, "cannot open %s", path))
        return -1;
    char line[256];
    uint64_t cr3 = 0, efer = 0, cr4 = ~0ull;
    while (fgets(line, sizeof line, rf)) {
        if (!strncmp(line, "CR3=", 4))
            cr3 = strtoull(line + 4, NULL, 16);
        if (!strncmp(line, "EFER=", 5))
            efer = strtoull(line + 5, NULL, 16);
        if (!strncmp(line, "CR4=", 4))
            cr4 = strtoull(line + 4, NULL, 16);
    }
    fclose(rf);
    CHECK_EQ(cr3, FIX_CR3);
    CHECK_EQ(efer >> 11 & 1, 1); /* NXE */
    CHECK_EQ(cr4 >> 12 & 1, 0);  /* LA57 = 0: 4-level */

    snprintf(path, sizeof path, "%s/qemu-info-tlb.txt.gz", nwt.fixture);
    size_t n = 0;
    if (!CHECK_MSG(nw_tlb_load(path, &f->l, &n, err, sizeof err) == 0, "nw_tlb_load: %s",
                   err))
        return -1;
    f->n = (int)n;
    /* the file has FIX_LINES lines: all of them are mappings */
    CHECK_EQ(n, FIX_LINES);
    /* the first line, "0000000000400000: 000000000330d000 X---A--U-" */
    const nw_tlb_line *l0 = f->l;
    CHECK(n && l0->va == 0x400000 && l0->pa == 0x330d000 && l0->size == NW_SIZE_4K &&
          !l0->w && l0->u && l0->xd);
    /* sorted and disjoint, as the gap and near-address checks assume */
    int sorted = 1;
    for (size_t i = 1; i < n; i++)
        sorted &= f->l[i].va >= f->l[i - 1].va + tu_page_bytes(f->l[i - 1].size);
    CHECK(sorted);
    return f->n == FIX_LINES ? 0 : -1;
}

static void unload(fixture *f)
{
    free(f->l);
    nw_mem_free(f->mem);
}

/* The fixture for one test: 0, or -1 (nothing left to free) when no
 * --fixture was given or it did not load. */
static int open_fixture(fixture *f)
{
    if (!nwt.fixture)
        return -1;
    if (load(f)) {
        unload(f);
        return -1;
    }
    return 0;
}

/* A walker over the fixture's tables as the captured guest ran them. */
static nw_state *native_walker(void)
{
    nw_state *s = nw_new(NW_FEAT_ALL);
    nw_reg_write(s, NW_REG_CTRL, NW_CTRL_NXE);
    nw_reg_write(s, NW_REG_GCR3, FIX_CR3);
    return s;
}

/* Aggregated mismatch reporting: one check per loop, the first few
 * differences printed. */
typedef struct { long bad, total; } tally;
static void note(tally *t, int ok, const char *what, uint64_t va, const nw_result *r)
{
    t->total++;
    if (ok)
        return;
    if (t->bad++ < 8)
        printf("    fixture: %s: va 0x%llx: status %d reason %d level %d pa 0x%llx size %d "
               "w/u/xd %d/%d/%d refs %d\n", what, (unsigned long long)va, r->status,
               r->reason, r->level, (unsigned long long)r->pa, r->size, r->w, r->u, r->xd,
               r->refs);
}

/* the page offset used for line i: varies, 8-byte aligned */
static uint64_t line_off(int i, int size)
{
    return ((uint64_t)i * 0x9e37u) & (tu_page_bytes(size) - 1) & ~7ull;
}

static int is_ok(const nw_result *r, uint64_t pa, int size, int w, int u, int xd, int refs)
{
    return r->status == NW_OK && r->pa == pa && r->size == size && r->w == w && r->u == u &&
           r->xd == xd && r->refs == refs;
}

/* Every line natively, at a page offset that varies with the line. */
static void fixture_native_all_lines(void)
{
    fixture f;
    if (!nwt.fixture)
        printf("    fixture: no --fixture given, skipped\n");
    if (open_fixture(&f))
        return;
    nw_state *s = native_walker();
    tally t = {0, 0};
    for (int i = 0; i < f.n; i++) {
        const nw_tlb_line *L = &f.l[i];
        uint64_t off = line_off(i, L->size);
        nw_request req = {L->va + off, NW_ACC_READ, 0};
        nw_result r;
        nw_translate(s, &req, nw_mem_read, f.mem, &r);
        note(&t, is_ok(&r, L->pa + off, L->size, L->w, L->u, L->xd,
                       L->size == NW_SIZE_2M ? 3 : 4), "native", L->va + off, &r);
    }
    CHECK_MSG(t.bad == 0, "%ld of %ld QEMU lines translate differently", t.bad, t.total);
    CHECK_EQ(t.total, FIX_LINES);
    CHECK_EQ(nw_reg_read(s, NW_REG_COUNTERS + 8 * NW_CNT_WALKS), FIX_LINES);

    /* exact reads of three walks, worked out by reading the tables */
    nw_result r;
    tu_walk(s, f.mem, 0x400000, NW_ACC_READ, 0, &r);
    EXPECT_OK(&r, 0x330d000, NW_SIZE_4K, 0, 1, 1, 4);
    EXPECT_READS(&r, 0x614c000, 0x6307000, 0x61fd010, 0x630d000);
    tu_walk(s, f.mem, 0x5e2000, NW_ACC_WRITE, 1, &r);
    EXPECT_OK(&r, 0x29f5000, NW_SIZE_4K, 1, 1, 1, 4);
    EXPECT_READS(&r, 0x614c000, 0x6307000, 0x61fd010, 0x630df10);
    tu_walk(s, f.mem, 0xffffffff81234567ull, NW_ACC_FETCH, 0, &r);
    EXPECT_OK(&r, 0x1234567, NW_SIZE_2M, 0, 0, 0, 3);
    EXPECT_READS(&r, 0x614cff8, 0x2a15ff0, 0x2a16048);
    /* and faults on real entries */
    tu_walk(s, f.mem, 0x400000, NW_ACC_FETCH, 1, &r);   /* XD user text page */
    EXPECT_FAULT(&r, NW_GUEST_FAULT, NW_RSN_PROTECTION, 1, NW_PF_P | NW_PF_U | NW_PF_ID,
                 0, 0, 4);
    tu_walk(s, f.mem, 0x401000, NW_ACC_WRITE, 1, &r);   /* read-only */
    EXPECT_FAULT(&r, NW_GUEST_FAULT, NW_RSN_PROTECTION, 1, NW_PF_P | NW_PF_U | NW_PF_W,
                 0, 0, 4);
    tu_walk(s, f.mem, 0xffffffff81000000ull, NW_ACC_READ, 1, &r); /* kernel page */
    EXPECT_FAULT(&r, NW_GUEST_FAULT, NW_RSN_PROTECTION, 2, NW_PF_P | NW_PF_U, 0, 0, 3);
    /* without NXE the XD leaf of 0x400000 is a reserved-bit fault */
    nw_reg_write(s, NW_REG_CTRL, 0);
    tu_walk(s, f.mem, 0x400000, NW_ACC_READ, 0, &r);
    EXPECT_FAULT(&r, NW_GUEST_FAULT, NW_RSN_RESERVED, 1, NW_PF_P | NW_PF_RSVD, 0, 0, 4);
    nw_free(s);
    unload(&f);
}

/* The gaps: the page after every mapped run that is not itself mapped
 * faults not-present (the level is wherever the walk stopped: refs =
 * 5 - level), plus named addresses with their levels. */
static void fixture_unmapped(void)
{
    fixture f;
    if (open_fixture(&f))
        return;
    nw_state *s = native_walker();
    tally t = {0, 0};
    for (int i = 0; i + 1 < f.n; i++) {
        uint64_t end = f.l[i].va + tu_page_bytes(f.l[i].size);
        if (end == f.l[i + 1].va || end == 0x0000800000000000ull || end == 0)
            continue;
        nw_request req = {end + 0x10, NW_ACC_WRITE, 1};
        nw_result r;
        nw_translate(s, &req, nw_mem_read, f.mem, &r);
        note(&t, r.status == NW_GUEST_FAULT && r.reason == NW_RSN_NOT_PRESENT &&
                     r.level >= 1 && r.level <= 4 && r.refs == 5 - r.level &&
                     r.pferr == (NW_PF_W | NW_PF_U) && r.pa == 0,
             "gap", end, &r);
    }
    printf("    fixture: %ld unmapped gap pages checked\n", t.total);
    CHECK(t.total > 60000);
    CHECK_MSG(t.bad == 0, "%ld of %ld gaps did not fault not-present", t.bad, t.total);
    /* random addresses near mapped ones (within 8 MiB of a random line):
     * mapped exactly when QEMU lists the page holding them */
    uint64_t rng = nwt.seed ^ 0x6e656172ull;
    tally t2 = {0, 0};
    long mapped = 0;
    for (int n = 0; n < 40000; n++) {
        const nw_tlb_line *L = &f.l[tu_below(&rng, (uint64_t)f.n)];
        uint64_t va = L->va + (tu_below(&rng, 1ull << 24) - (1ull << 23));
        uint64_t top = va >> 47;
        if (top != 0 && top != 0x1ffff)
            continue; /* not canonical */
        /* the last line starting at or below va (lines are sorted) */
        int lo = 0, hi = f.n - 1, at = -1;
        while (lo <= hi) {
            int mid = (lo + hi) / 2;
            if (f.l[mid].va <= va) {
                at = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        const nw_tlb_line *M = at >= 0 ? &f.l[at] : NULL;
        int in = M && va - M->va < tu_page_bytes(M->size);
        nw_request req = {va, NW_ACC_READ, 0};
        nw_result r;
        nw_translate(s, &req, nw_mem_read, f.mem, &r);
        if (in) {
            mapped++;
            note(&t2, is_ok(&r, M->pa + (va - M->va), M->size, M->w, M->u, M->xd,
                            M->size == NW_SIZE_2M ? 3 : 4), "near (mapped)", va, &r);
        } else {
            note(&t2, r.status == NW_GUEST_FAULT && r.reason == NW_RSN_NOT_PRESENT &&
                          r.refs == 5 - r.level, "near (unmapped)", va, &r);
        }
    }
    printf("    fixture: %ld random addresses near mapped pages, %ld of them mapped\n",
           t2.total, mapped);
    CHECK_MSG(t2.bad == 0, "%ld of %ld addresses near mapped pages wrong", t2.bad, t2.total);
    CHECK(mapped > 1000 && mapped < t2.total - 1000);

    static const struct { uint64_t va; int level; } named[] = {
        {0x0000008000000000ull, 4}, {0xffff800000000000ull, 4}, {0x0000000040000000ull, 3},
        {0x00007ffffffff000ull, 3}, {0xffffea0000400000ull, 2}, {0xffff888010000000ull, 2},
        {0x0000000000000000ull, 2}, {0xffffffff80000000ull, 2}, {0x0000000000420000ull, 1},
    };
    for (unsigned i = 0; i < sizeof named / sizeof named[0]; i++) {
        nwt_ctx("unmapped va 0x%llx", (unsigned long long)named[i].va);
        nw_result r;
        tu_walk(s, f.mem, named[i].va, NW_ACC_READ, 0, &r);
        EXPECT_FAULT(&r, NW_GUEST_FAULT, NW_RSN_NOT_PRESENT, named[i].level, 0, 0, 0,
                     5 - named[i].level);
    }
    nwt_ctx("non-canonical");
    nw_result r;
    tu_walk(s, f.mem, 0x0000800000000000ull, NW_ACC_READ, 0, &r);
    EXPECT_FAULT(&r, NW_GUEST_FAULT, NW_RSN_NON_CANONICAL, 0, 0, 0, 0, 0);
    nw_free(s);
    unload(&f);
}

/* Host tables for the fixture: hPA = gPA + HOFF; variant 0 is a 4-level
 * host with 2M pages below 128 MiB and 4K pages above, variant 1 a
 * 5-level host with 1G pages. Written with tu_map (the test's own). */
typedef struct {
    nw_mem *hmem;
    tu_tables h;
    uint64_t hcr3;
    int hl, variant;
} host;

static int host_size(const host *h, uint64_t gpa)
{
    return h->variant ? NW_SIZE_1G : gpa < 0x8000000 ? NW_SIZE_2M : NW_SIZE_4K;
}

static void host_cover(host *h, uint64_t gpa)
{
    int hs = host_size(h, gpa);
    uint64_t base = gpa & ~(tu_page_bytes(hs) - 1);
    uint64_t t = tu_table_at(&h->h, h->hcr3, h->hl, base, hs + 1);
    if (t && (tu_get(&h->h, t | (uint64_t)tu_idx(base, hs + 1) << 3) & NW_PTE_P))
        return;
    tu_map(&h->h, h->hcr3, h->hl, base, base + HOFF, hs, TU_PWU);
}

static void host_init(host *h, fixture *f, int variant)
{
    h->hmem = nw_mem_new();
    h->variant = variant;
    h->hl = variant ? 5 : 4;
    h->h = (tu_tables){h->hmem, 0x800000000ull, 0x810000000ull, 0};
    h->hcr3 = tu_table_new(&h->h);
    /* the guest's table pages, copied to their hPA */
    int pages = 0;
    for (uint64_t p = 0; p < 0x10000000; p += 0x1000) {
        if (!nw_mem_has_page(f->mem, p))
            continue;
        pages++;
        host_cover(h, p);
        for (uint64_t o = 0; o < 0x1000; o += 8) {
            uint64_t v = 0;
            nw_mem_read(f->mem, p + o, &v);
            nw_mem_write(h->hmem, p + HOFF + o, v);
        }
    }
    CHECK_EQ(pages, 109);
}

static int host_steps(const host *h, uint64_t gpa)
{
    return tu_steps(h->hl, host_size(h, gpa));
}

/* Nested and the segment modes over every 7th line (10,575 lines), for
 * both host variants; escapes through a guest filter holding every 5th
 * direct-map page. */
static void fixture_virtualized(void)
{
    fixture f;
    if (open_fixture(&f))
        return;
    tu_tables gt = {f.mem, 0, 0, 0}; /* the test's own reading of the guest tables */
    for (int variant = 0; variant < 2; variant++) {
        host h;
        host_init(&h, &f, variant);
        /* the host maps the final gPA of every line used below */
        for (int i = 0; i < f.n; i++)
            if (i % 7 == 0 || (f.l[i].va >= DMAP && f.l[i].va < DMAP + 0x10000000))
                host_cover(&h, f.l[i].pa + line_off(i, f.l[i].size));
        nw_state *s = nw_new(NW_FEAT_ALL);
        uint64_t base = NW_CTRL_VIRT | NW_CTRL_NXE | (variant ? NW_CTRL_H5 : 0);
        nw_reg_write(s, NW_REG_GCR3, FIX_CR3);
        nw_reg_write(s, NW_REG_HCR3, h.hcr3);
        nw_reg_write(s, NW_REG_GSEG_BASE, DMAP);
        nw_reg_write(s, NW_REG_GSEG_LIMIT, DMAP + 0x10000000);
        nw_reg_write(s, NW_REG_GSEG_OFFSET, 0 - DMAP);
        nw_reg_write(s, NW_REG_GSEG_ATTR, NW_PTE_W | NW_PTE_XD);
        nw_reg_write(s, NW_REG_HSEG_BASE, 0);
        nw_reg_write(s, NW_REG_HSEG_LIMIT, 1ull << 52);
        nw_reg_write(s, NW_REG_HSEG_OFFSET, HOFF);
        nw_reg_write(s, NW_REG_HSEG_ATTR, NW_PTE_W);
        /* the guest filter: the page accessed for every 40th direct-map
         * line (about 92 pages: a false-positive rate near 1/3) */
        long inserted = 0;
        for (int i = 0, k = 0; i < f.n; i++)
            if (f.l[i].va >= DMAP && f.l[i].va < DMAP + 0x10000000 && k++ % 40 == 0) {
                nw_reg_write(s, NW_REG_GFILT_INSERT,
                             (f.l[i].va + line_off(i, f.l[i].size)) >> 12);
                inserted++;
            }
        static const char *mn[] = {"nested", "vmm-direct", "guest-direct", "dual-direct",
                                   "guest-escape"};
        for (int mode = 0; mode < 5; mode++) {
            uint64_t ctrl = base;
            if (mode == 1 || mode == 3)
                ctrl |= NW_CTRL_HSEG_EN;
            if (mode >= 2)
                ctrl |= NW_CTRL_GSEG_EN;
            if (mode == 4)
                ctrl |= NW_CTRL_GFILT_EN;
            nw_reg_write(s, NW_REG_CTRL, ctrl);
            tally t = {0, 0};
            long escapes = 0;
            for (int i = 0; i < f.n; i++) {
                const nw_tlb_line *L = &f.l[i];
                int in_dmap = L->va >= DMAP && L->va < DMAP + 0x10000000;
                if (mode >= 2 ? !in_dmap : i % 7 != 0)
                    continue;
                uint64_t off = line_off(i, L->size);
                uint64_t va = L->va + off, gpa = L->pa + off;
                int g = 4 - L->size, hfin = host_steps(&h, gpa), walk = 0;
                for (int l = 4; l > L->size; l--) /* each guest entry's host walk + itself */
                    walk += host_steps(&h, tu_table_at(&gt, FIX_CR3, 4, va, l) |
                                               (uint64_t)tu_idx(va, l) << 3) + 1;
                int hsz = host_size(&h, gpa);
                int nsize = L->size < hsz ? L->size : hsz;
                int ok;
                nw_request req = {va, NW_ACC_READ, 0};
                nw_result r;
                nw_translate(s, &req, nw_mem_read, h.hmem, &r);
                switch (mode) {
                case 0:
                    ok = is_ok(&r, gpa + HOFF, nsize, L->w, L->u, L->xd, walk + hfin);
                    break;
                case 1:
                    ok = is_ok(&r, gpa + HOFF, NW_SIZE_4K, L->w, L->u, L->xd, g);
                    break;
                case 2: /* the segment's ATTR: W, XD, no U */
                    ok = is_ok(&r, gpa + HOFF, NW_SIZE_4K, 1, 0, 1, hfin);
                    break;
                case 3:
                    ok = is_ok(&r, gpa + HOFF, NW_SIZE_4K, 1, 0, 1, 0);
                    break;
                default: {
                    int hit = 1;
                    for (int j = 0; j < 4; j++) {
                        unsigned b = tu_h3(j, va >> 12);
                        hit &= (int)(nw_reg_read(s, NW_REG_GFILT + 8u * (b / 64)) >> (b % 64) & 1);
                    }
                    escapes += hit;
                    ok = hit ? is_ok(&r, gpa + HOFF, nsize, L->w, L->u, L->xd, walk + hfin)
                             : is_ok(&r, gpa + HOFF, NW_SIZE_4K, 1, 0, 1, hfin);
                }
                }
                note(&t, ok, mn[mode], va, &r);
            }
            if (mode == 4)
                printf("    fixture: host variant %d, %s: %ld lines, %ld escapes\n", variant,
                       mn[mode], t.total, escapes);
            else
                printf("    fixture: host variant %d, %s: %ld lines\n", variant, mn[mode],
                       t.total);
            nwt_ctx("host variant %d (%s), mode %s", variant,
                    variant ? "5-level, 1G" : "4-level, 2M/4K", mn[mode]);
            CHECK_MSG(t.bad == 0, "%ld of %ld lines wrong", t.bad, t.total);
            CHECK(t.total > (mode >= 2 ? 3000 : 10000));
            if (mode == 4)
                CHECK_MSG(escapes >= inserted && escapes < t.total, "%ld escapes", escapes);
        }
        nw_free(s);
        nw_mem_free(h.hmem);
    }
    unload(&f);
}

/* nw_mem_load on bad files: -1 and a one-line message naming the problem;
 * a raw image is placed at offset = PA. */
static void fixture_load_errors(void)
{
    char err[256], dir[] = "/tmp/nwtestXXXXXX";
    if (!CHECK(mkdtemp(dir) != NULL))
        return;
    char path[512];
    nw_mem *m = nw_mem_new();

    snprintf(path, sizeof path, "%s/missing.elf", dir);
    err[0] = 0;
    CHECK_EQ(nw_mem_load(m, path, err, sizeof err), -1);
    CHECK_MSG(err[0] && !strchr(err, '\n'), "message for a missing file: '%s'", err);

    /* a truncated copy of the fixture ELF, and ELF garbage */
    if (nwt.fixture) {
        char src[1024];
        snprintf(src, sizeof src, "%s/pagetables.elf", nwt.fixture);
        FILE *in = fopen(src, "rb");
        char buf[3000];
        size_t n = in ? fread(buf, 1, sizeof buf, in) : 0;
        if (in)
            fclose(in);
        snprintf(path, sizeof path, "%s/trunc.elf", dir);
        CHECK(n == sizeof buf && tu_write_file(path, buf, n) == 0);
        err[0] = 0;
        nw_mem *t = nw_mem_new();
        CHECK_EQ(nw_mem_load(t, path, err, sizeof err), -1);
        CHECK_MSG(err[0] && !strchr(err, '\n'), "message for a truncated ELF: '%s'", err);
        nw_mem_free(t);
        remove(path);
    }
    snprintf(path, sizeof path, "%s/garbage.elf", dir);
    unsigned char hdr[64] = {0x7f, 'E', 'L', 'F', 2, 1, 1};
    for (int i = 7; i < 64; i++)
        hdr[i] = (unsigned char)(0xa5 ^ i * 37);
    CHECK_EQ(tu_write_file(path, hdr, sizeof hdr), 0);
    err[0] = 0;
    CHECK_EQ(nw_mem_load(m, path, err, sizeof err), -1);
    CHECK_MSG(err[0] && !strchr(err, '\n'), "message for a garbage ELF: '%s'", err);
    remove(path);

    /* a raw image: 3 pages, byte offset = PA */
    snprintf(path, sizeof path, "%s/raw.img", dir);
    static unsigned char img[3 * 4096];
    for (uint64_t q = 0; q < 3 * 512; q++) {
        uint64_t v = 0x1111111111111111ull * (q % 15) + q;
        for (int k = 0; k < 8; k++)
            img[8 * q + (uint64_t)k] = (unsigned char)(v >> (8 * k)); /* little endian */
    }
    CHECK_EQ(tu_write_file(path, img, sizeof img), 0);
    nw_mem *raw = nw_mem_new();
    CHECK_EQ(nw_mem_load(raw, path, err, sizeof err), 0);
    uint64_t v = 0;
    CHECK(nw_mem_read(raw, 0x0, &v) == 0 && v == 0);
    CHECK(nw_mem_read(raw, 0x2ff8, &v) == 0 && v == 0x1111111111111111ull * (1535 % 15) + 1535);
    CHECK(nw_mem_read(raw, 0x1008, &v) == 0 && v == 0x1111111111111111ull * (513 % 15) + 513);
    CHECK(nw_mem_read(raw, 0x3000, &v) != 0); /* outside the image */
    CHECK_EQ(nw_mem_pages(raw), 3);
    remove(path);
    nw_mem_free(raw);

    /* "A read outside the image is a bus error", also inside the last
     * page: a raw image of 0x1008 bytes has the word at 0x1000 only */
    snprintf(path, sizeof path, "%s/short.img", dir);
    static const unsigned char zero[0x1008];
    CHECK_EQ(tu_write_file(path, zero, sizeof zero), 0);
    nw_mem *shm = nw_mem_new();
    CHECK_EQ(nw_mem_load(shm, path, err, sizeof err), 0);
    CHECK(nw_mem_read(shm, 0x1000, &v) == 0 && v == 0);
    CHECK(nw_mem_read(shm, 0x1008, &v) != 0);
    CHECK(nw_mem_read(shm, 0x1ff8, &v) != 0);
    remove(path);
    nw_mem_free(shm);

    /* an ELF core with one 16-byte PT_LOAD at p_paddr 0x5000 */
    snprintf(path, sizeof path, "%s/small.elf", dir);
    unsigned char e[0x110] = {0x7f, 'E', 'L', 'F', 2, 1, 1};
    uint64_t f64[][2] = {{0x20, 0x40},         /* e_phoff */
                         {0x40 + 0x08, 0x100},  /* p_offset */
                         {0x40 + 0x18, 0x5000}, /* p_paddr */
                         {0x40 + 0x20, 16},     /* p_filesz */
                         {0x40 + 0x28, 16},     /* p_memsz */
                         {0x100, 0x1122334455667788ull},
                         {0x108, 0x99aabbccddeeff00ull}};
    for (unsigned i = 0; i < sizeof f64 / sizeof f64[0]; i++)
        for (int k = 0; k < 8; k++)
            e[f64[i][0] + (unsigned)k] = (unsigned char)(f64[i][1] >> (8 * k));
    e[0x10] = 4;  /* ET_CORE */
    e[0x12] = 62; /* EM_X86_64 */
    e[0x14] = 1;  /* EV_CURRENT */
    e[0x34] = 64; /* e_ehsize */
    e[0x36] = 56; /* e_phentsize */
    e[0x38] = 1;  /* e_phnum */
    e[0x40] = 1;  /* PT_LOAD */
    CHECK_EQ(tu_write_file(path, e, sizeof e), 0);
    nw_mem *em = nw_mem_new();
    err[0] = 0;
    CHECK_MSG(nw_mem_load(em, path, err, sizeof err) == 0, "small ELF: %s", err);
    CHECK(nw_mem_read(em, 0x5000, &v) == 0 && v == 0x1122334455667788ull);
    CHECK(nw_mem_read(em, 0x5008, &v) == 0 && v == 0x99aabbccddeeff00ull);
    CHECK(nw_mem_read(em, 0x5010, &v) != 0);
    CHECK(nw_mem_read(em, 0x4ff8, &v) != 0);
    CHECK(nw_mem_read(em, 0x0, &v) != 0); /* the file's own bytes are not memory */
    remove(path);
    nw_mem_free(em);
    nw_mem_free(m);
    rmdir(dir);
}

void suite_fixture(void)
{
    NWT_RUN(fixture_native_all_lines);
    NWT_RUN(fixture_unmapped);
    NWT_RUN(fixture_virtualized);
    NWT_RUN(fixture_load_errors);
}
