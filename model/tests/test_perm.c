/*
 * test_perm.c: the permission checks of SPEC section 6 ("Checks and the
 * result") over every combination of the W/U/XD bits of an upper entry and
 * the leaf (4K, 2M and 1G leaves), of access, user, WP, NXE and SMEP,
 * against an expectation written here from the SPEC:
 *   XD with NXE = 0 is a reserved-bit fault at the first entry that has it;
 *   W = AND of R/W, U = AND of U/S, XD = OR of XD (with NXE);
 *   fault if user and not U; write and not W when user or WP; fetch and XD;
 *   fetch by a supervisor from a U page with SMEP;
 *   #PF code: P=1, W/R, U/S, RSVD, I/D = fetch and (NXE or SMEP).
 * Then the host's W/XD (and U, never checked) on the final gPA in nested
 * mode, and the pure shadow walk, whose failures are shadow faults.
 */
#include "tu.h"

#define VA  0x00003456c0123456ull
#define GPA 0x80123456ull

typedef struct {
    int status, reason, level;
    unsigned pferr;
    int w, u, xd;
} perm_want;

/* The expected guest-side outcome of a walk whose upper entry (level up)
 * has flags a and leaf (level leaf) flags b. */
static perm_want guest_expect(uint64_t a, uint64_t b, int up, int leaf, int acc,
                              int user, int wp, int nxe, int smep, int fault_status)
{
    perm_want p = {NW_OK, 0, 0, 0, 0, 0, 0};
    unsigned acc_bits = (acc == NW_ACC_WRITE ? NW_PF_W : 0) | (user ? NW_PF_U : 0) |
                        (acc == NW_ACC_FETCH && (nxe || smep) ? NW_PF_ID : 0);
    if (!nxe && ((a | b) & NW_PTE_XD)) {
        p.status = fault_status;
        p.reason = NW_RSN_RESERVED;
        p.level = (a & NW_PTE_XD) ? up : leaf;
        p.pferr = NW_PF_P | NW_PF_RSVD | acc_bits;
        return p;
    }
    int w = !!(a & b & NW_PTE_W), u = !!(a & b & NW_PTE_U);
    int xd = nxe && ((a | b) & NW_PTE_XD);
    int bad = (user && !u) || (acc == NW_ACC_WRITE && !w && (user || wp)) ||
              (acc == NW_ACC_FETCH && xd) ||
              (acc == NW_ACC_FETCH && !user && u && smep);
    if (bad) {
        p.status = fault_status;
        p.reason = NW_RSN_PROTECTION;
        p.level = leaf;
        p.pferr = NW_PF_P | acc_bits;
        return p;
    }
    p.w = w;
    p.u = u;
    p.xd = xd;
    return p;
}

static void check(const char *file, int line, const nw_result *r, perm_want p,
                  uint64_t pa, int size, int refs_ok, int refs_fault)
{
    if (p.status == NW_OK)
        tu_expect_ok(file, line, r, pa, size, p.w, p.u, p.xd, refs_ok);
    else
        tu_expect_fault(file, line, r, p.status, p.reason, p.level, p.pferr, 0, 0,
                        refs_fault);
}

static const uint64_t flag_sets[8] = {
    0, NW_PTE_W, NW_PTE_U, NW_PTE_W | NW_PTE_U, NW_PTE_XD, NW_PTE_XD | NW_PTE_W,
    NW_PTE_XD | NW_PTE_U, NW_PTE_XD | NW_PTE_W | NW_PTE_U};

/* native: upper entry = L4, leaf of every size */
static void perm_native(void)
{
    for (int size = 0; size < 3; size++) {
        nw_mem *m = nw_mem_new();
        tu_tables t = {m, 0x10000, 0x100000, 0};
        uint64_t root = tu_table_new(&t);
        uint64_t mask = tu_page_bytes(size) - 1;
        uint64_t leaf_ea = tu_map(&t, root, 4, VA & ~mask, GPA & ~mask, size, 0);
        uint64_t l4_ea = root | (uint64_t)tu_idx(VA, 4) << 3;
        uint64_t l4 = tu_get(&t, l4_ea), lf = tu_get(&t, leaf_ea);
        nw_state *s = nw_new(NW_FEAT_ALL);
        nw_reg_write(s, NW_REG_GCR3, root);
        for (int ai = 0; ai < 8; ai++)
            for (int bi = 0; bi < 8; bi++) {
                uint64_t a = flag_sets[ai], b = flag_sets[bi];
                nw_mem_write(m, l4_ea, (l4 & ~(NW_PTE_W | NW_PTE_U)) | a);
                nw_mem_write(m, leaf_ea, lf | b);
                for (int cfg = 0; cfg < 8; cfg++)
                    for (int acc = 0; acc < 3; acc++)
                        for (int user = 0; user < 2; user++) {
                            int wp = cfg & 1, nxe = cfg >> 1 & 1, smep = cfg >> 2 & 1;
                            nw_reg_write(s, NW_REG_CTRL,
                                         (wp ? NW_CTRL_WP : 0) | (nxe ? NW_CTRL_NXE : 0) |
                                             (smep ? NW_CTRL_SMEP : 0));
                            nwt_ctx("native %s leaf, L4 flags 0x%llx, leaf flags 0x%llx, "
                                    "access %d user %d WP %d NXE %d SMEP %d",
                                    size == 0 ? "4K" : size == 1 ? "2M" : "1G",
                                    (unsigned long long)a, (unsigned long long)b, acc,
                                    user, wp, nxe, smep);
                            perm_want p = guest_expect(a, b, 4, size + 1, acc, user, wp,
                                                       nxe, smep, NW_GUEST_FAULT);
                            nw_result r;
                            tu_walk(s, m, VA, acc, user, &r);
                            int reads = 4 - size;
                            int fault_refs = p.reason == NW_RSN_RESERVED && p.level == 4
                                                 ? 1 : reads;
                            check(__FILE__, __LINE__, &r, p, GPA, size, reads, fault_refs);
                        }
            }
        nw_free(s);
        nw_mem_free(m);
    }
}

/* nested: guest leaf flags x host leaf flags of the final gPA */
static void perm_nested_host(void)
{
    tu_world w;
    tu_world_init(&w, 4, 4, NW_SIZE_2M);
    uint64_t g_ea = tu_guest_map(&w, VA & ~0xfffull, GPA & ~0xfffull, NW_SIZE_4K, 0);
    uint64_t gl = tu_get(&w.g, g_ea);
    uint64_t ht = tu_table_at(&w.h, w.hcr3, 4, GPA, 2);
    uint64_t h_ea = ht | (uint64_t)tu_idx(GPA, 2) << 3;
    uint64_t hl = tu_get(&w.h, h_ea) & ~(NW_PTE_W | NW_PTE_U);
    nw_state *s = nw_new(NW_FEAT_ALL);
    for (int gi = 0; gi < 8; gi++)
        for (int hi = 0; hi < 8; hi++) {
            uint64_t gb = flag_sets[gi], hb = flag_sets[hi];
            tu_put(&w.g, g_ea, gl | gb);
            nw_mem_write(w.mem, h_ea, hl | hb);
            for (int cfg = 0; cfg < 8; cfg++)
                for (int acc = 0; acc < 3; acc++)
                    for (int user = 0; user < 2; user++) {
                        int wp = cfg & 1, nxe = cfg >> 1 & 1, smep = cfg >> 2 & 1;
                        tu_world_regs(&w, s, NW_CTRL_VIRT | (wp ? NW_CTRL_WP : 0) |
                                                 (nxe ? NW_CTRL_NXE : 0) |
                                                 (smep ? NW_CTRL_SMEP : 0));
                        nwt_ctx("nested, guest leaf 0x%llx, host 2M leaf 0x%llx, access %d "
                                "user %d WP %d NXE %d SMEP %d", (unsigned long long)gb,
                                (unsigned long long)hb, acc, user, wp, nxe, smep);
                        /* the guest's upper entries are P|W|U */
                        perm_want p = guest_expect(TU_PWU, gb, 4, 1, acc, user, wp, nxe,
                                                   smep, NW_GUEST_FAULT);
                        nw_result r;
                        tu_walk(s, w.mem, VA, acc, user, &r);
                        /* 4 guest levels x (3 host + 1), then 3 host reads */
                        if (p.status != NW_OK) {
                            check(__FILE__, __LINE__, &r, p, 0, 0, 0, 16);
                            continue;
                        }
                        /* the host: XD with NXE = 0 is reserved; else W for a
                         * write, no XD for a fetch; U never */
                        if (!nxe && (hb & NW_PTE_XD)) {
                            EXPECT_FAULT(&r, NW_HOST_FAULT, NW_RSN_RESERVED, 2, 0, GPA, 0, 19);
                        } else if ((acc == NW_ACC_WRITE && !(hb & NW_PTE_W)) ||
                                   (acc == NW_ACC_FETCH && (hb & NW_PTE_XD))) {
                            EXPECT_FAULT(&r, NW_HOST_FAULT, NW_RSN_PROTECTION, 2, 0, GPA, 0,
                                         19);
                        } else {
                            EXPECT_OK(&r, GPA + TU_HOFF, NW_SIZE_4K, p.w && (hb & NW_PTE_W),
                                      p.u, p.xd || (hb & NW_PTE_XD), 19);
                        }
                    }
        }
    nw_free(s);
    tu_world_free(&w);
}

/* a pure shadow walk: same checks, failures are shadow faults */
static void perm_shadow(void)
{
    tu_world w;
    tu_world_init(&w, 4, 4, NW_SIZE_4K);
    tu_guest_map(&w, VA & ~0xfffull, GPA & ~0xfffull, NW_SIZE_4K, TU_PWU);
    uint64_t s_ea = tu_shadow_map(&w, VA & ~0x1fffffull, (GPA + TU_HOFF) & ~0x1fffffull,
                                  NW_SIZE_2M, 0, 0);
    uint64_t s3 = tu_table_at(&w.sh, w.sroot, 4, VA, 3) | (uint64_t)tu_idx(VA, 3) << 3;
    uint64_t sl = tu_get(&w.sh, s_ea), s3v = tu_get(&w.sh, s3) & ~(NW_PTE_W | NW_PTE_U);
    nw_state *s = nw_new(NW_FEAT_ALL);
    for (int ai = 0; ai < 8; ai++)
        for (int bi = 0; bi < 8; bi++) {
            uint64_t a = flag_sets[ai], b = flag_sets[bi];
            nw_mem_write(w.mem, s3, s3v | a);
            nw_mem_write(w.mem, s_ea, sl | b);
            for (int cfg = 0; cfg < 8; cfg++)
                for (int acc = 0; acc < 3; acc++)
                    for (int user = 0; user < 2; user++) {
                        int wp = cfg & 1, nxe = cfg >> 1 & 1, smep = cfg >> 2 & 1;
                        tu_world_regs(&w, s, NW_CTRL_VIRT | NW_CTRL_SHADOW_EN |
                                                 (wp ? NW_CTRL_WP : 0) |
                                                 (nxe ? NW_CTRL_NXE : 0) |
                                                 (smep ? NW_CTRL_SMEP : 0));
                        nwt_ctx("shadow, S3 flags 0x%llx, 2M shadow leaf 0x%llx, access %d "
                                "user %d WP %d NXE %d SMEP %d", (unsigned long long)a,
                                (unsigned long long)b, acc, user, wp, nxe, smep);
                        perm_want p = guest_expect(a, b, 3, 2, acc, user, wp, nxe, smep,
                                                   NW_SHADOW_FAULT);
                        nw_result r;
                        tu_walk(s, w.mem, VA, acc, user, &r);
                        int fault_refs = p.reason == NW_RSN_RESERVED && p.level == 3 ? 2 : 3;
                        check(__FILE__, __LINE__, &r, p, GPA + TU_HOFF, NW_SIZE_2M, 3,
                              fault_refs);
                    }
        }
    nw_free(s);
    tu_world_free(&w);
}

void suite_perm(void)
{
    NWT_RUN(perm_native);
    NWT_RUN(perm_nested_host);
    NWT_RUN(perm_shadow);
}
