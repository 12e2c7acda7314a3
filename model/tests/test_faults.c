/*
 * test_faults.c: every fault kind at every level, in the guest dimension,
 * the host dimension and the shadow table, with status, reason, level,
 * #PF error code, fault gPA, gpt flag and refs (SPEC section 6, "Fault
 * report"; BEHAVIOUR.md for the encodings, the #PF code and the zeros);
 * bus errors; non-canonical addresses; reserved bits.
 *
 * Worlds come from tu.c: VA = 0x3456c0123456 maps with 4 KiB guest pages to
 * gPA 0x80123456, the host maps gPA -> gPA + TU_HOFF. Each test breaks one
 * entry and checks the report.
 */
#include "tu.h"

#define VA   0x00003456c0123456ull
#define GPA  0x80123456ull
#define HPA  (GPA + TU_HOFF)
#define PWU  TU_PWU

enum { NESTED, SHADOW };

typedef struct {
    tu_world w;
    nw_state *s;
} fw;

/* A virtualized world: guest 4K page (or gsize), host pages of hsize,
 * the shadow table mapping VA straight to HPA. */
static void fw_init(fw *f, int gl, int hl, int gsize, int hsize, uint64_t ctrl)
{
    tu_world_init(&f->w, gl, hl, hsize);
    uint64_t gm = tu_page_bytes(gsize) - 1;
    tu_guest_map(&f->w, VA & ~gm, GPA & ~gm, gsize, PWU);
    tu_host_cover(&f->w, GPA); /* the host page of the final gPA itself */
    int ss = gsize < hsize ? gsize : hsize;
    uint64_t sm = tu_page_bytes(ss) - 1;
    tu_shadow_map(&f->w, VA & ~sm, HPA & ~sm, ss, PWU, 0);
    f->s = nw_new(NW_FEAT_ALL);
    tu_world_regs(&f->w, f->s, ctrl);
}

static void fw_free(fw *f)
{
    nw_free(f->s);
    tu_world_free(&f->w);
}

/* gPA of VA's guest entry at level */
static uint64_t ge(fw *f, int level)
{
    uint64_t t = tu_table_at(&f->w.g, f->w.gcr3, f->w.glevels, VA, level);
    CHECK_MSG(t != 0, "test setup: no guest table at level %d", level);
    return t | (uint64_t)tu_idx(VA, level) << 3;
}

/* hPA of the host entry at level for gpa */
static uint64_t he(fw *f, uint64_t gpa, int level)
{
    uint64_t t = tu_table_at(&f->w.h, f->w.hcr3, f->w.hlevels, gpa, level);
    CHECK_MSG(t != 0, "test setup: no host table at level %d", level);
    return t | (uint64_t)tu_idx(gpa, level) << 3;
}

/* hPA of VA's shadow entry at level */
static uint64_t se(fw *f, int level)
{
    uint64_t t = tu_table_at(&f->w.sh, f->w.sroot, f->w.glevels, VA, level);
    CHECK_MSG(t != 0, "test setup: no shadow table at level %d", level);
    return t | (uint64_t)tu_idx(VA, level) << 3;
}

static void gset(fw *f, int level, uint64_t v) { tu_put(&f->w.g, ge(f, level), v); }
static uint64_t gval(fw *f, int level) { return tu_get(&f->w.g, ge(f, level)); }
static void hset(fw *f, uint64_t gpa, int level, uint64_t v) { nw_mem_write(f->w.mem, he(f, gpa, level), v); }
static uint64_t hval(fw *f, uint64_t gpa, int level) { return tu_get(&f->w.h, he(f, gpa, level)); }
static void sset(fw *f, int level, uint64_t v) { nw_mem_write(f->w.mem, se(f, level), v); }
static uint64_t sval(fw *f, int level) { return tu_get(&f->w.sh, se(f, level)); }

static void walk(fw *f, uint64_t va, int acc, int user, nw_result *r)
{
    tu_walk(f->s, f->w.mem, va, acc, user, r);
}

/* ---- the guest dimension ---- */

/* Not present at every level, native 4 and 5 levels and nested; the #PF
 * code carries the access (W/R, U/S, I/D with NXE or SMEP), P = 0. */
static void faults_guest_not_present(void)
{
    static const struct { int acc, user; uint64_t ctrl; unsigned pferr; } ac[] = {
        {NW_ACC_READ, 0, 0, 0x0},
        {NW_ACC_WRITE, 0, 0, NW_PF_W},
        {NW_ACC_READ, 1, 0, NW_PF_U},
        {NW_ACC_WRITE, 1, 0, NW_PF_W | NW_PF_U},
        {NW_ACC_FETCH, 0, 0, 0x0},              /* I/D only with NXE or SMEP */
        {NW_ACC_FETCH, 0, NW_CTRL_NXE, NW_PF_ID},
        {NW_ACC_FETCH, 1, NW_CTRL_SMEP, NW_PF_ID | NW_PF_U},
    };
    for (int gl = 4; gl <= 5; gl++)
        for (int virt = 0; virt < 2; virt++)
            for (int level = gl; level >= 1; level--)
                for (unsigned a = 0; a < sizeof ac / sizeof ac[0]; a++) {
                    nwt_ctx("%s guest %d-level, not present at L%d, access %d user %d",
                            virt ? "nested" : "native", gl, level, ac[a].acc, ac[a].user);
                    fw f;
                    fw_init(&f, gl, 4, 0, 0, (virt ? NW_CTRL_VIRT : 0) | ac[a].ctrl);
                    if (!virt) {
                        /* native mode reads the guest tables at their gPA
                         * as PAs: copy the entries on VA's path there */
                        for (int l = gl; l >= 1; l--)
                            nw_mem_write(f.w.mem, ge(&f, l), gval(&f, l));
                        nw_mem_write(f.w.mem, ge(&f, level), gval(&f, level) & ~NW_PTE_P);
                    } else {
                        gset(&f, level, gval(&f, level) & ~NW_PTE_P);
                    }
                    nw_result r;
                    walk(&f, VA, ac[a].acc, ac[a].user, &r);
                    int reads = gl - level + 1;
                    EXPECT_FAULT(&r, NW_GUEST_FAULT, NW_RSN_NOT_PRESENT, level,
                                 ac[a].pferr, 0, 0, virt ? reads * 5 : reads);
                    CHECK_EQ(nw_reg_read(f.s, NW_REG_COUNTERS + 8 * NW_CNT_GUEST_FAULTS), 1);
                    fw_free(&f);
                }
}

/* Reserved bits (SPEC section 3): PS in L4/L5; XD with NXE = 0 at every
 * level; bits 20:13 of a 2 MiB leaf; bits 29:13 of a 1 GiB leaf. And what
 * is NOT reserved: PAT (bit 7 of L1, bit 12 of a large leaf), G, bits
 * 11:9, 62:52 and XD with NXE = 1. */
static void faults_guest_reserved(void)
{
    for (int gl = 4; gl <= 5; gl++) {
        /* PS in L4 and L5 */
        for (int level = 4; level <= gl; level++) {
            nwt_ctx("guest %d-level, PS in L%d", gl, level);
            fw f;
            fw_init(&f, gl, 4, 0, 0, NW_CTRL_VIRT);
            gset(&f, level, gval(&f, level) | NW_PTE_PS);
            nw_result r;
            walk(&f, VA, NW_ACC_WRITE, 1, &r);
            EXPECT_FAULT(&r, NW_GUEST_FAULT, NW_RSN_RESERVED, level,
                         NW_PF_P | NW_PF_RSVD | NW_PF_W | NW_PF_U, 0, 0,
                         (gl - level + 1) * 5);
            fw_free(&f);
        }
        /* XD with NXE = 0 at every level; fine with NXE = 1 */
        for (int level = gl; level >= 1; level--)
            for (int nxe = 0; nxe < 2; nxe++) {
                nwt_ctx("guest %d-level, XD in L%d, NXE=%d", gl, level, nxe);
                fw f;
                fw_init(&f, gl, 4, 0, 0, NW_CTRL_VIRT | (nxe ? NW_CTRL_NXE : 0));
                gset(&f, level, gval(&f, level) | NW_PTE_XD);
                nw_result r;
                walk(&f, VA, NW_ACC_READ, 0, &r);
                if (nxe)
                    EXPECT_OK(&r, HPA, NW_SIZE_4K, 1, 1, 1, gl * 5 + 4);
                else
                    EXPECT_FAULT(&r, NW_GUEST_FAULT, NW_RSN_RESERVED, level,
                                 NW_PF_P | NW_PF_RSVD, 0, 0, (gl - level + 1) * 5);
                fw_free(&f);
            }
    }
    /* large leaves: every bit of 20:13 (2M) and 29:13 (1G), and bit 12 */
    for (int gsize = 1; gsize <= 2; gsize++) {
        int top = gsize == 1 ? 20 : 29, level = gsize + 1;
        for (int bit = 12; bit <= top; bit++) {
            nwt_ctx("guest %s leaf with bit %d", gsize == 1 ? "2M" : "1G", bit);
            fw f;
            fw_init(&f, 4, 4, gsize, 0, NW_CTRL_VIRT);
            gset(&f, level, gval(&f, level) | 1ull << bit);
            nw_result r;
            walk(&f, VA, NW_ACC_READ, 0, &r);
            int g = 4 - gsize;
            if (bit == 12) /* PAT: not reserved, not part of the frame */
                EXPECT_OK(&r, HPA, NW_SIZE_4K, 1, 1, 0, g * 5 + 4);
            else
                EXPECT_FAULT(&r, NW_GUEST_FAULT, NW_RSN_RESERVED, level,
                             NW_PF_P | NW_PF_RSVD, 0, 0, g * 5);
            fw_free(&f);
        }
    }
    /* bits that are ignored in guest entries of every level (from L4 down),
     * and PAT (bit 7) in L1, where it is not PS */
    static const struct { uint64_t bits; int top; } ignored[] = {
        {NW_PTE_G, 4}, {1ull << 9, 4}, {1ull << 10, 4}, {1ull << 11, 4}, {NW_PTE_SW, 4},
        {1ull << 53, 4}, {1ull << 62, 4}, {NW_PTE_PWT | NW_PTE_PCD | NW_PTE_A | NW_PTE_D, 4},
        {NW_PTE_PS, 1},
    };
    for (unsigned i = 0; i < sizeof ignored / sizeof ignored[0]; i++)
        for (int level = ignored[i].top; level >= 1; level--) {
            nwt_ctx("ignored bits 0x%llx in guest L%d", (unsigned long long)ignored[i].bits,
                    level);
            fw f;
            fw_init(&f, 4, 4, 0, 0, NW_CTRL_VIRT);
            gset(&f, level, gval(&f, level) | ignored[i].bits);
            nw_result r;
            walk(&f, VA, NW_ACC_READ, 0, &r);
            EXPECT_OK(&r, HPA, NW_SIZE_4K, 1, 1, 0, 24);
            fw_free(&f);
        }
}

/* A 2 MiB and a 1 GiB guest leaf take the frame from bits 51:21 / 51:30 and
 * the offset from the VA (native, exact PA). */
static void faults_large_frames(void)
{
    nw_mem *m = nw_mem_new();
    tu_tables t = {m, 0x10000, 0x100000, 0};
    uint64_t root = tu_table_new(&t);
    /* 0x40000000 (1G) -> 0x00000abc40000000; 0x80200000 (2M) -> 0xfffffffe00000 */
    tu_map(&t, root, 4, 0x40000000, 0x00000abc40000000ull, NW_SIZE_1G, NW_PTE_W);
    tu_map(&t, root, 4, 0x80200000, 0x000fffffffe00000ull, NW_SIZE_2M, 0);
    nw_state *s = nw_new(NW_FEAT_ALL);
    nw_reg_write(s, NW_REG_GCR3, root);
    nw_result r;
    tu_walk(s, m, 0x7fedcba9, NW_ACC_READ, 0, &r);
    EXPECT_OK(&r, 0x00000abc7fedcba9ull, NW_SIZE_1G, 1, 0, 0, 2);
    tu_walk(s, m, 0x803fffff, NW_ACC_READ, 0, &r);
    EXPECT_OK(&r, 0x000fffffffffffffull, NW_SIZE_2M, 0, 0, 0, 3);
    nw_free(s);
    nw_mem_free(m);
}

/* Non-canonical: 48 bits (bits 63:47 equal), 57 with G5 (63:56); a guest
 * fault, level 0, no read, the access in the #PF code with P = 0; first in
 * every mode, even under a guest segment that covers the address. */
static void faults_non_canonical(void)
{
    static const struct { uint64_t va; int g5, canon; } cases[] = {
        {0x0000800000000000ull, 0, 0}, {0xffff7fffffffffffull, 0, 0},
        {0x8000000000000000ull, 0, 0}, {0x0001000000000000ull, 0, 0},
        {0x00007fffffffffffull, 0, 1}, {0xffff800000000000ull, 0, 1},
        {0x0100000000000000ull, 1, 0}, {0xfeffffffffffffffull, 1, 0},
        {0x8000000000000000ull, 1, 0}, {0x00ffffffffffffffull, 1, 1},
        {0xff00000000000000ull, 1, 1}, {0x0000800000000000ull, 1, 1},
    };
    static const uint64_t modes[] = {
        0, NW_CTRL_VIRT, NW_CTRL_VIRT | NW_CTRL_SHADOW_EN,
        NW_CTRL_GSEG_EN, NW_CTRL_VIRT | NW_CTRL_GSEG_EN | NW_CTRL_HSEG_EN};
    for (unsigned i = 0; i < sizeof cases / sizeof cases[0]; i++)
        for (unsigned mo = 0; mo < 5; mo++) {
            nwt_ctx("va 0x%llx G5=%d ctrl 0x%llx", (unsigned long long)cases[i].va,
                    cases[i].g5, (unsigned long long)modes[mo]);
            fw f;
            fw_init(&f, cases[i].g5 ? 5 : 4, 4, 0, 0, modes[mo]);
            /* segments that cover everything: a non-canonical address must
             * still fault; a canonical one is translated by them */
            nw_reg_write(f.s, NW_REG_GSEG_BASE, 0);
            nw_reg_write(f.s, NW_REG_GSEG_LIMIT, ~0ull);
            nw_reg_write(f.s, NW_REG_GSEG_ATTR, NW_PTE_W | NW_PTE_U);
            nw_reg_write(f.s, NW_REG_HSEG_BASE, 0);
            nw_reg_write(f.s, NW_REG_HSEG_LIMIT, ~0ull);
            nw_reg_write(f.s, NW_REG_HSEG_ATTR, NW_PTE_W);
            nw_result r;
            walk(&f, cases[i].va, NW_ACC_WRITE, 1, &r);
            if (!cases[i].canon) {
                EXPECT_FAULT(&r, NW_GUEST_FAULT, NW_RSN_NON_CANONICAL, 0,
                             NW_PF_W | NW_PF_U, 0, 0, 0);
                CHECK_EQ(nw_reg_read(f.s, NW_REG_COUNTERS + 8 * NW_CNT_GUEST_FAULTS), 1);
            } else {
                CHECK_MSG(r.status != NW_GUEST_FAULT || r.reason != NW_RSN_NON_CANONICAL,
                          "canonical va reported non-canonical");
            }
            fw_free(&f);
        }
    /* fetch: I/D with NXE */
    fw f;
    fw_init(&f, 4, 4, 0, 0, NW_CTRL_NXE);
    nw_result r;
    walk(&f, 0x0000800000000000ull, NW_ACC_FETCH, 0, &r);
    EXPECT_FAULT(&r, NW_GUEST_FAULT, NW_RSN_NON_CANONICAL, 0, NW_PF_ID, 0, 0, 0);
    fw_free(&f);
}

/* ---- the host dimension ---- */

/* Not present at every host level, for a guest table entry's gPA (gpt 1)
 * and for the final gPA (gpt 0). fault_gpa is the gPA being translated:
 * the entry's gPA, or the final gPA with its page offset. */
static void faults_host_not_present(void)
{
    for (int hl = 4; hl <= 5; hl++)
        for (int glevel = 4; glevel >= 0; glevel--) /* 0: the final gPA */
            for (int hlevel = hl; hlevel >= 1; hlevel--) {
                nwt_ctx("host %d-level, not present at host L%d translating %s%d",
                        hl, hlevel, glevel ? "guest L" : "final gPA ", glevel);
                fw f;
                fw_init(&f, 4, hl, 0, 0, NW_CTRL_VIRT);
                uint64_t gpa = glevel ? ge(&f, glevel) : GPA;
                /* host entries above L1 are shared by every guest table
                 * page, and L4/L5 also by the final gPA (host L4 index 0):
                 * break only entries on one gPA's path alone */
                if ((glevel && hlevel > 1 && glevel != 4) || (!glevel && hlevel >= 4)) {
                    fw_free(&f);
                    continue;
                }
                hset(&f, gpa, hlevel, hval(&f, gpa, hlevel) & ~NW_PTE_P);
                nw_result r;
                walk(&f, VA, NW_ACC_READ, 0, &r);
                int before = glevel ? (4 - glevel) * (hl + 1) : 4 * (hl + 1);
                EXPECT_FAULT(&r, NW_HOST_FAULT, NW_RSN_NOT_PRESENT, hlevel, 0,
                             gpa, glevel ? 1 : 0, before + hl - hlevel + 1);
                CHECK_EQ(nw_reg_read(f.s, NW_REG_COUNTERS + 8 * NW_CNT_HOST_FAULTS), 1);
                fw_free(&f);
            }
}

static void faults_host_reserved(void)
{
    /* PS in host L4 / L5: the first guest entry's gPA (gpt 1) */
    for (int hl = 4; hl <= 5; hl++)
        for (int level = 4; level <= hl; level++) {
            nwt_ctx("host %d-level, PS in host L%d", hl, level);
            fw f;
            fw_init(&f, 4, hl, 0, 0, NW_CTRL_VIRT);
            uint64_t gpa = ge(&f, 4);
            hset(&f, gpa, level, hval(&f, gpa, level) | NW_PTE_PS);
            nw_result r;
            walk(&f, VA, NW_ACC_READ, 0, &r);
            EXPECT_FAULT(&r, NW_HOST_FAULT, NW_RSN_RESERVED, level, 0, gpa, 1,
                         hl - level + 1);
            fw_free(&f);
        }
    /* XD with NXE = 0 at every host level of the final gPA (host L4 index
     * 0 is shared with the guest tables: it faults on the first one) */
    for (int level = 4; level >= 1; level--) {
        nwt_ctx("host XD in L%d with NXE=0 (final gPA)", level);
        fw f;
        fw_init(&f, 4, 4, 0, 0, NW_CTRL_VIRT);
        hset(&f, GPA, level, hval(&f, GPA, level) | NW_PTE_XD);
        nw_result r;
        walk(&f, VA, NW_ACC_READ, 0, &r);
        if (level == 4)
            EXPECT_FAULT(&r, NW_HOST_FAULT, NW_RSN_RESERVED, 4, 0, ge(&f, 4), 1, 1);
        else
            EXPECT_FAULT(&r, NW_HOST_FAULT, NW_RSN_RESERVED, level, 0, GPA, 0,
                         20 + 4 - level + 1);
        /* with NXE the same entry is fine and XD shows in the result */
        nw_reg_write(f.s, NW_REG_CTRL, NW_CTRL_VIRT | NW_CTRL_NXE);
        walk(&f, VA, NW_ACC_READ, 0, &r);
        EXPECT_OK(&r, HPA, NW_SIZE_4K, 1, 1, 1, 24);
        fw_free(&f);
    }
    /* large host leaves: bits 20:13 (2M) and 29:13 (1G); bit 12 is fine */
    for (int hsize = 1; hsize <= 2; hsize++) {
        int top = hsize == 1 ? 20 : 29, level = hsize + 1, h = 4 - hsize;
        for (int bit = 12; bit <= top; bit++) {
            nwt_ctx("host %s leaf of the final gPA with bit %d", hsize == 1 ? "2M" : "1G", bit);
            fw f;
            fw_init(&f, 4, 4, 0, hsize, NW_CTRL_VIRT);
            /* the final gPA's own host page (not shared with the tables) */
            hset(&f, GPA, level, hval(&f, GPA, level) | 1ull << bit);
            nw_result r;
            walk(&f, VA, NW_ACC_READ, 0, &r);
            if (bit == 12)
                EXPECT_OK(&r, HPA, NW_SIZE_4K, 1, 1, 0, 4 * (h + 1) + h);
            else
                EXPECT_FAULT(&r, NW_HOST_FAULT, NW_RSN_RESERVED, level, 0, GPA, 0,
                             4 * (h + 1) + h);
            fw_free(&f);
        }
    }
}

/* The host checks only the final gPA: W for a write (whatever WP and the
 * user bit), no XD with NXE for a fetch; never U; guest table reads are
 * plain reads. */
static void faults_host_protection(void)
{
    for (int hsize = 0; hsize < 3; hsize++) {
        int level = hsize + 1, h = 4 - hsize, refs = 4 * (h + 1) + h;
        nwt_ctx("host %s leaf", hsize == 0 ? "4K" : hsize == 1 ? "2M" : "1G");
        fw f;
        fw_init(&f, 4, 4, 0, hsize, NW_CTRL_VIRT | NW_CTRL_NXE);
        uint64_t leaf = hval(&f, GPA, level);
        nw_result r;
        /* read-only host page: supervisor write with WP = 0 still faults */
        hset(&f, GPA, level, leaf & ~NW_PTE_W);
        walk(&f, VA, NW_ACC_WRITE, 0, &r);
        EXPECT_FAULT(&r, NW_HOST_FAULT, NW_RSN_PROTECTION, level, 0, GPA, 0, refs);
        walk(&f, VA, NW_ACC_READ, 1, &r);
        EXPECT_OK(&r, HPA, NW_SIZE_4K, 0, 1, 0, refs);
        /* XD host page: fetch faults, read is fine */
        hset(&f, GPA, level, leaf | NW_PTE_XD);
        walk(&f, VA, NW_ACC_FETCH, 1, &r);
        EXPECT_FAULT(&r, NW_HOST_FAULT, NW_RSN_PROTECTION, level, 0, GPA, 0, refs);
        walk(&f, VA, NW_ACC_WRITE, 1, &r);
        EXPECT_OK(&r, HPA, NW_SIZE_4K, 1, 1, 1, refs);
        /* U = 0 in the host is never checked: user accesses pass, u = guest's */
        hset(&f, GPA, level, leaf & ~NW_PTE_U);
        walk(&f, VA, NW_ACC_WRITE, 1, &r);
        EXPECT_OK(&r, HPA, NW_SIZE_4K, 1, 1, 0, refs);
        fw_free(&f);
    }
    /* a guest table page that the host maps read-only and XD: walking it
     * for a write or a fetch is fine */
    for (int glevel = 4; glevel >= 1; glevel--) {
        nwt_ctx("guest L%d table on a read-only, XD, supervisor host page", glevel);
        fw f;
        fw_init(&f, 4, 4, 0, 0, NW_CTRL_VIRT | NW_CTRL_NXE);
        uint64_t gpa = ge(&f, glevel);
        hset(&f, gpa, 1, (hval(&f, gpa, 1) & ~(NW_PTE_W | NW_PTE_U)) | NW_PTE_XD);
        nw_result r;
        walk(&f, VA, NW_ACC_WRITE, 1, &r);
        EXPECT_OK(&r, HPA, NW_SIZE_4K, 1, 1, 0, 24);
        walk(&f, VA, NW_ACC_FETCH, 1, &r);
        EXPECT_OK(&r, HPA, NW_SIZE_4K, 1, 1, 0, 24);
        fw_free(&f);
    }
    /* a guest protection failure stops before the host walk of the final
     * gPA: no host fault although the host page is not present */
    {
        nwt_ctx("guest protection before the final host walk");
        fw f;
        fw_init(&f, 4, 4, 0, 0, NW_CTRL_VIRT);
        gset(&f, 1, gval(&f, 1) & ~NW_PTE_W);
        hset(&f, GPA, 1, 0);
        nw_result r;
        walk(&f, VA, NW_ACC_WRITE, 1, &r);
        EXPECT_FAULT(&r, NW_GUEST_FAULT, NW_RSN_PROTECTION, 1,
                     NW_PF_P | NW_PF_W | NW_PF_U, 0, 0, 20);
        fw_free(&f);
    }
}

/* A gPA with bits 51:48 set cannot be walked by a 4-level host: host
 * fault, not present, level 0, no read; a 5-level host walks it; the host
 * segment is looked at first and may translate it. */
static void faults_host_reach(void)
{
    const uint64_t far = 0x000f000080123000ull;
    for (int hl = 4; hl <= 5; hl++) {
        nwt_ctx(hl == 4 ? "final gPA beyond a 4-level host"
                        : "final gPA beyond reach, 5-level host: walked, L5 entry 0xf absent");
        fw f;
        fw_init(&f, 4, hl, 0, 0, NW_CTRL_VIRT);
        gset(&f, 1, far | PWU);
        nw_result r;
        walk(&f, VA, NW_ACC_READ, 0, &r);
        EXPECT_FAULT(&r, NW_HOST_FAULT, NW_RSN_NOT_PRESENT, hl == 5 ? 5 : 0, 0, far | 0x456, 0,
                     hl == 5 ? 25 : 20);
        if (hl == 5)
            CHECK_EQ(r.reads[24], f.w.hcr3 | 0xf << 3);
        fw_free(&f);
    }
    {
        nwt_ctx("guest L3 table gPA beyond a 4-level host");
        fw f;
        fw_init(&f, 4, 4, 0, 0, NW_CTRL_VIRT);
        uint64_t t3 = gval(&f, 4) & NW_PTE_ADDR;         /* real L3 table gPA */
        uint64_t farT = 0x0001000000000000ull | t3;
        gset(&f, 4, farT | PWU);
        nw_result r;
        walk(&f, VA, NW_ACC_READ, 0, &r);
        uint64_t ea = farT | (uint64_t)tu_idx(VA, 3) << 3;
        EXPECT_FAULT(&r, NW_HOST_FAULT, NW_RSN_NOT_PRESENT, 0, 0, ea, 1, 5);
        /* a host segment over [2^48, 2^48 + 4 GiB) taking it to where the
         * table really is (hPA t3 + TU_HOFF) */
        nw_reg_write(f.s, NW_REG_CTRL, NW_CTRL_VIRT | NW_CTRL_HSEG_EN);
        nw_reg_write(f.s, NW_REG_HSEG_BASE, 0x0001000000000000ull);
        nw_reg_write(f.s, NW_REG_HSEG_LIMIT, 0x0001000100000000ull);
        nw_reg_write(f.s, NW_REG_HSEG_OFFSET, TU_HOFF - 0x0001000000000000ull);
        walk(&f, VA, NW_ACC_READ, 0, &r);
        EXPECT_OK(&r, HPA, NW_SIZE_4K, 1, 1, 0, 5 + 1 + 5 + 5 + 4);
        CHECK_EQ(r.reads[5], ea - 0x0001000000000000ull + TU_HOFF);
        fw_free(&f);
    }
}

/* ---- the shadow table ---- */

/* Sets bits in VA's shadow entry at level: a supervisor read is then a
 * reserved-bit shadow fault after refs reads. */
static void expect_shadow_reserved(fw *f, int level, uint64_t bits, int refs)
{
    sset(f, level, sval(f, level) | bits);
    nw_result r;
    walk(f, VA, NW_ACC_READ, 0, &r);
    EXPECT_FAULT(&r, NW_SHADOW_FAULT, NW_RSN_RESERVED, level, NW_PF_P | NW_PF_RSVD, 0, 0,
                 refs);
}

static void faults_shadow(void)
{
    for (int gl = 4; gl <= 5; gl++)
        for (int level = gl; level >= 1; level--) {
            nwt_ctx("shadow %d-level, not present at L%d", gl, level);
            fw f;
            fw_init(&f, gl, 4, 0, 0, NW_CTRL_VIRT | NW_CTRL_SHADOW_EN);
            sset(&f, level, sval(&f, level) & ~NW_PTE_P);
            nw_result r;
            walk(&f, VA, NW_ACC_WRITE, 1, &r);
            EXPECT_FAULT(&r, NW_SHADOW_FAULT, NW_RSN_NOT_PRESENT, level,
                         NW_PF_W | NW_PF_U, 0, 0, gl - level + 1);
            CHECK_EQ(nw_reg_read(f.s, NW_REG_COUNTERS + 8 * NW_CNT_SHADOW_FAULTS), 1);
            CHECK_EQ(nw_reg_read(f.s, NW_REG_COUNTERS + 8 * NW_CNT_GUEST_FAULTS), 0);
            /* XD with NXE = 0 is reserved in a shadow entry too */
            expect_shadow_reserved(&f, level, NW_PTE_P | NW_PTE_XD, gl - level + 1);
            fw_free(&f);
        }
    /* PS in shadow L4 / L5 without SW: reserved */
    for (int level = 4; level <= 5; level++) {
        nwt_ctx("shadow PS in L%d", level);
        fw f;
        fw_init(&f, 5, 4, 0, 0, NW_CTRL_VIRT | NW_CTRL_SHADOW_EN);
        expect_shadow_reserved(&f, level, NW_PTE_PS, 5 - level + 1);
        fw_free(&f);
    }
    /* a 2M shadow leaf with bit 13 set */
    {
        nwt_ctx("shadow 2M leaf with bit 13");
        fw f;
        fw_init(&f, 4, 4, 1, 1, NW_CTRL_VIRT | NW_CTRL_SHADOW_EN);
        expect_shadow_reserved(&f, 2, 1ull << 13, 3);
        fw_free(&f);
    }
    /* protection in a walk that never left the shadow table */
    {
        nwt_ctx("shadow protection");
        fw f;
        fw_init(&f, 4, 4, 0, 0, NW_CTRL_VIRT | NW_CTRL_SHADOW_EN | NW_CTRL_NXE);
        sset(&f, 1, sval(&f, 1) & ~NW_PTE_W);
        nw_result r;
        walk(&f, VA, NW_ACC_WRITE, 1, &r);
        EXPECT_FAULT(&r, NW_SHADOW_FAULT, NW_RSN_PROTECTION, 1,
                     NW_PF_P | NW_PF_W | NW_PF_U, 0, 0, 4);
        sset(&f, 3, sval(&f, 3) & ~NW_PTE_U);
        walk(&f, VA, NW_ACC_READ, 1, &r);
        EXPECT_FAULT(&r, NW_SHADOW_FAULT, NW_RSN_PROTECTION, 1, NW_PF_P | NW_PF_U,
                     0, 0, 4);
        sset(&f, 2, sval(&f, 2) | NW_PTE_XD);
        walk(&f, VA, NW_ACC_FETCH, 0, &r);
        EXPECT_FAULT(&r, NW_SHADOW_FAULT, NW_RSN_PROTECTION, 1, NW_PF_P | NW_PF_ID,
                     0, 0, 4);
        walk(&f, VA, NW_ACC_READ, 0, &r);
        EXPECT_OK(&r, HPA, NW_SIZE_4K, 0, 0, 1, 4);
        fw_free(&f);
    }
}

/* SW: ignored in a leaf position (L1), wins over PS (L2, and PS in L4 is
 * then no reserved bit), subject to the XD/NXE reserved check. After a
 * switch, faults are guest or host faults as in a nested walk. */
static void faults_agile(void)
{
    nw_result r;
    {
        nwt_ctx("SW in a shadow L1 leaf is ignored");
        fw f;
        fw_init(&f, 4, 4, 0, 0, NW_CTRL_VIRT | NW_CTRL_SHADOW_EN);
        sset(&f, 1, sval(&f, 1) | NW_PTE_SW);
        walk(&f, VA, NW_ACC_READ, 0, &r);
        EXPECT_OK(&r, HPA, NW_SIZE_4K, 1, 1, 0, 4);
        CHECK_EQ(nw_reg_read(f.s, NW_REG_COUNTERS + 8 * NW_CNT_SWITCHES), 0);
        fw_free(&f);
    }
    for (int level = 2; level <= 4; level++) {
        nwt_ctx("SW|PS in shadow L%d switches", level);
        fw f;
        fw_init(&f, 4, 4, 0, 0, NW_CTRL_VIRT | NW_CTRL_SHADOW_EN);
        tu_shadow_map(&f.w, VA, 0, 0, 0, level);
        sset(&f, level, sval(&f, level) | NW_PTE_PS);
        walk(&f, VA, NW_ACC_READ, 0, &r);
        EXPECT_OK(&r, HPA, NW_SIZE_4K, 1, 1, 0, (4 - level + 1) + 1 + (level - 2) * 5 + 4);
        /* SW with XD and NXE = 0: reserved, a shadow fault */
        expect_shadow_reserved(&f, level, NW_PTE_XD, 4 - level + 1);
        fw_free(&f);
    }
    /* switch at L3: the guest L2 entry is read at its hPA directly */
    {
        nwt_ctx("after a switch at shadow L3: guest L2 (direct) not present");
        fw f;
        fw_init(&f, 4, 4, 0, 0, NW_CTRL_VIRT | NW_CTRL_SHADOW_EN);
        tu_shadow_map(&f.w, VA, 0, 0, 0, 3);
        uint64_t e2 = gval(&f, 2);
        gset(&f, 2, e2 & ~NW_PTE_P);
        walk(&f, VA, NW_ACC_READ, 1, &r);
        EXPECT_FAULT(&r, NW_GUEST_FAULT, NW_RSN_NOT_PRESENT, 2, NW_PF_U, 0, 0, 3);
        CHECK_EQ(r.reads[2], ge(&f, 2) + TU_HOFF);
        CHECK_EQ(nw_reg_read(f.s, NW_REG_COUNTERS + 8 * NW_CNT_SHADOW_FAULTS), 0);
        gset(&f, 2, e2);

        nwt_ctx("after a switch at shadow L3: guest L1 not present");
        uint64_t e1 = gval(&f, 1);
        gset(&f, 1, e1 & ~NW_PTE_P);
        walk(&f, VA, NW_ACC_READ, 0, &r);
        EXPECT_FAULT(&r, NW_GUEST_FAULT, NW_RSN_NOT_PRESENT, 1, 0, 0, 0, 8);
        nwt_ctx("after a switch at shadow L3: guest L1 reserved");
        gset(&f, 1, e1 | NW_PTE_XD);
        walk(&f, VA, NW_ACC_READ, 0, &r);
        EXPECT_FAULT(&r, NW_GUEST_FAULT, NW_RSN_RESERVED, 1, NW_PF_P | NW_PF_RSVD,
                     0, 0, 8);
        nwt_ctx("after a switch at shadow L3: guest protection");
        gset(&f, 1, e1 & ~NW_PTE_W);
        walk(&f, VA, NW_ACC_WRITE, 1, &r);
        EXPECT_FAULT(&r, NW_GUEST_FAULT, NW_RSN_PROTECTION, 1,
                     NW_PF_P | NW_PF_W | NW_PF_U, 0, 0, 8);
        gset(&f, 1, e1);

        nwt_ctx("after a switch at shadow L3: host fault on the guest L1 table");
        uint64_t g1 = ge(&f, 1);
        uint64_t h1 = hval(&f, g1, 1);
        hset(&f, g1, 1, 0);
        walk(&f, VA, NW_ACC_READ, 0, &r);
        EXPECT_FAULT(&r, NW_HOST_FAULT, NW_RSN_NOT_PRESENT, 1, 0, g1, 1, 7);
        hset(&f, g1, 1, h1);

        nwt_ctx("after a switch at shadow L3: host fault on the final gPA");
        hset(&f, GPA, 1, hval(&f, GPA, 1) & ~NW_PTE_W);
        walk(&f, VA, NW_ACC_WRITE, 0, &r);
        EXPECT_FAULT(&r, NW_HOST_FAULT, NW_RSN_PROTECTION, 1, 0, GPA, 0, 12);
        CHECK_EQ(nw_reg_read(f.s, NW_REG_COUNTERS + 8 * NW_CNT_SHADOW_FAULTS), 0);
        CHECK_EQ(nw_reg_read(f.s, NW_REG_COUNTERS + 8 * NW_CNT_SWITCHES), 6);
        fw_free(&f);
    }
    /* a shadow fault above the switch is still a shadow fault */
    {
        nwt_ctx("shadow L4 not present above a switch at L2");
        fw f;
        fw_init(&f, 4, 4, 0, 0, NW_CTRL_VIRT | NW_CTRL_SHADOW_EN);
        tu_shadow_map(&f.w, VA, 0, 0, 0, 2);
        sset(&f, 4, 0);
        walk(&f, VA, NW_ACC_READ, 0, &r);
        EXPECT_FAULT(&r, NW_SHADOW_FAULT, NW_RSN_NOT_PRESENT, 4, 0, 0, 0, 1);
        fw_free(&f);
    }
}

/* ---- bus errors ---- */

/* The level of the n-th read (1-based) of a 4-level nested walk:
 * per guest level: host L4..L1 then the guest entry; then host L4..L1. */
static int nested_read_level(int n)
{
    int i = n - 1;
    if (i < 20)
        return i % 5 < 4 ? 4 - i % 5 : 4 - i / 5;
    return 4 - (i - 20);
}

static void faults_bus_error(void)
{
    nw_result r;
    /* every read of a nested walk failing in turn */
    for (int n = 1; n <= 24; n++) {
        nwt_ctx("nested walk, read %d fails", n);
        fw f;
        fw_init(&f, 4, 4, 0, 0, NW_CTRL_VIRT | NW_CTRL_NXE);
        tu_rec rec;
        tu_rec_init(&rec, f.w.mem);
        rec.fail_at = n;
        tu_walk_rec(f.s, &rec, VA, NW_ACC_WRITE, 1, &r);
        EXPECT_FAULT(&r, NW_BUS_ERROR, NW_RSN_NONE, nested_read_level(n), 0, 0, 0, n);
        CHECK_EQ(nw_reg_read(f.s, NW_REG_COUNTERS + 8 * NW_CNT_BUS_ERRORS), 1);
        fw_free(&f);
    }
    /* every read of an agile walk with a switch at L2 */
    static const int agile_levels[8] = {4, 3, 2, 1, 4, 3, 2, 1};
    for (int n = 1; n <= 8; n++) {
        nwt_ctx("agile walk (switch at L2), read %d fails", n);
        fw f;
        fw_init(&f, 4, 4, 0, 0, NW_CTRL_VIRT | NW_CTRL_SHADOW_EN);
        tu_shadow_map(&f.w, VA, 0, 0, 0, 2);
        tu_rec rec;
        tu_rec_init(&rec, f.w.mem);
        rec.fail_at = n;
        tu_walk_rec(f.s, &rec, VA, NW_ACC_READ, 0, &r);
        EXPECT_FAULT(&r, NW_BUS_ERROR, NW_RSN_NONE, agile_levels[n - 1], 0, 0, 0, n);
        fw_free(&f);
    }
    /* memory that was never written: a native table pointer to nowhere */
    for (int level = 4; level >= 1; level--) {
        nwt_ctx("native, the L%d table is not in memory", level);
        nw_mem *m = nw_mem_new();
        tu_tables t = {m, 0x10000, 0x100000, 0};
        uint64_t root = tu_table_new(&t);
        tu_map(&t, root, 4, VA & ~0xfffull, 0x5000, NW_SIZE_4K, PWU);
        nw_state *s = nw_new(NW_FEAT_ALL);
        nw_reg_write(s, NW_REG_GCR3, root);
        if (level == 4) {
            nw_reg_write(s, NW_REG_GCR3, 0x7777000);
        } else {
            uint64_t tbl = tu_table_at(&t, root, 4, VA, level + 1);
            uint64_t ea = tbl | (uint64_t)tu_idx(VA, level + 1) << 3;
            nw_mem_write(m, ea, 0x7777000 | PWU);
        }
        tu_walk(s, m, VA, NW_ACC_READ, 0, &r);
        EXPECT_FAULT(&r, NW_BUS_ERROR, NW_RSN_NONE, level, 0, 0, 0, 4 - level + 1);
        CHECK_EQ(r.reads[4 - level], 0x7777000 | (uint64_t)tu_idx(VA, level) << 3);
        nw_free(s);
        nw_mem_free(m);
    }
    /* shadow table pointer to nowhere: the failing read is shadow L2 */
    {
        nwt_ctx("shadow L2 table not in memory");
        fw f;
        fw_init(&f, 4, 4, 0, 0, NW_CTRL_VIRT | NW_CTRL_SHADOW_EN);
        sset(&f, 3, 0x7777000 | PWU);
        walk(&f, VA, NW_ACC_READ, 0, &r);
        EXPECT_FAULT(&r, NW_BUS_ERROR, NW_RSN_NONE, 2, 0, 0, 0, 3);
        fw_free(&f);
    }
}

void suite_faults(void)
{
    NWT_RUN(faults_guest_not_present);
    NWT_RUN(faults_guest_reserved);
    NWT_RUN(faults_large_frames);
    NWT_RUN(faults_non_canonical);
    NWT_RUN(faults_host_not_present);
    NWT_RUN(faults_host_reserved);
    NWT_RUN(faults_host_protection);
    NWT_RUN(faults_host_reach);
    NWT_RUN(faults_shadow);
    NWT_RUN(faults_agile);
    NWT_RUN(faults_bus_error);
}
