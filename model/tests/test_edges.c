/*
 * test_edges.c: corners of the SPEC and BEHAVIOUR.md that the topic files
 * do not reach: the order of the entry checks (P first, then SW, then
 * reserved bits), access code 3, the filter being exactly its registers,
 * a feature left out at run time, and the name functions.
 */
#include "tu.h"

#include <string.h>

#define VA  0x00003456c0123456ull
#define GPA 0x80123456ull

static uint64_t entry_at(tu_tables *t, uint64_t root, int levels, uint64_t va, int level)
{
    return tu_table_at(t, root, levels, va, level) | (uint64_t)tu_idx(va, level) << 3;
}

/* "P = 0 gives not-present (nothing else is looked at)": a not-present
 * entry with PS in L4, XD without NXE, or reserved bits of a large leaf is
 * not-present, not reserved; in a shadow table a not-present SW entry is
 * a not-present shadow fault. */
static void edges_not_present_first(void)
{
    static const uint64_t junk[] = {NW_PTE_PS | NW_PTE_XD, 0x000ffffffffff000ull | NW_PTE_XD,
                                    NW_PTE_PS | (1ull << 13) | (1ull << 29), ~1ull};
    for (unsigned j = 0; j < 4; j++)
        for (int level = 4; level >= 1; level--) {
            nwt_ctx("native L%d entry 0x%llx (P = 0)", level, (unsigned long long)junk[j]);
            nw_mem *m = nw_mem_new();
            tu_tables t = {m, 0x10000, 0x100000, 0};
            uint64_t root = tu_table_new(&t);
            tu_map(&t, root, 4, VA & ~0xfffull, GPA & ~0xfffull, NW_SIZE_4K, TU_PWU);
            nw_mem_write(m, entry_at(&t, root, 4, VA, level), junk[j]);
            nw_state *s = nw_new(NW_FEAT_ALL);
            nw_reg_write(s, NW_REG_GCR3, root);
            nw_result r;
            tu_walk(s, m, VA, NW_ACC_READ, 0, &r);
            EXPECT_FAULT(&r, NW_GUEST_FAULT, NW_RSN_NOT_PRESENT, level, 0, 0, 0, 5 - level);
            nw_free(s);
            nw_mem_free(m);
        }
    for (int level = 4; level >= 2; level--) {
        nwt_ctx("shadow L%d entry with SW but not P", level);
        tu_world w;
        tu_world_init(&w, 4, 4, NW_SIZE_4K);
        tu_guest_map(&w, VA & ~0xfffull, GPA & ~0xfffull, NW_SIZE_4K, TU_PWU);
        uint64_t ea = tu_shadow_map(&w, VA, 0, 0, 0, level);
        nw_mem_write(w.mem, ea, tu_get(&w.sh, ea) & ~NW_PTE_P);
        nw_state *s = nw_new(NW_FEAT_ALL);
        tu_world_regs(&w, s, NW_CTRL_VIRT | NW_CTRL_SHADOW_EN);
        nw_result r;
        tu_walk(s, w.mem, VA, NW_ACC_READ, 0, &r);
        EXPECT_FAULT(&r, NW_SHADOW_FAULT, NW_RSN_NOT_PRESENT, level, 0, 0, 0, 5 - level);
        CHECK_EQ(nw_reg_read(s, NW_REG_COUNTERS + 8 * NW_CNT_SWITCHES), 0);
        nw_free(s);
        tu_world_free(&w);
    }
}

/* A switching entry is checked for XD/NXE only: PS with bits 20:13 (as a
 * 2M leaf would have them) or bits 29:13 (1G) do not make it reserved. */
static void edges_switch_not_reserved(void)
{
    for (int level = 2; level <= 3; level++) {
        nwt_ctx("SW|PS with large-leaf reserved bits in shadow L%d", level);
        tu_world w;
        tu_world_init(&w, 4, 4, NW_SIZE_4K);
        tu_guest_map(&w, VA & ~0xfffull, GPA & ~0xfffull, NW_SIZE_4K, TU_PWU);
        tu_host_cover(&w, GPA);
        uint64_t ea = tu_shadow_map(&w, VA, 0, 0, 0, level);
        nw_mem_write(w.mem, ea, tu_get(&w.sh, ea) | NW_PTE_PS | (1ull << 13) | (1ull << 20) |
                                    (level == 3 ? 1ull << 29 : 0));
        nw_state *s = nw_new(NW_FEAT_ALL);
        tu_world_regs(&w, s, NW_CTRL_VIRT | NW_CTRL_SHADOW_EN);
        nw_result r;
        tu_walk(s, w.mem, VA, NW_ACC_READ, 0, &r);
        /* the entry's address field is bits 51:12: bits 13/20/29 move the
         * table, so read them back as part of it: the walk must go there */
        uint64_t tbl = (tu_get(&w.sh, ea) & NW_PTE_ADDR);
        CHECK_EQ(r.reads[4 - level + 1], tbl | (uint64_t)tu_idx(VA, level - 1) << 3);
        CHECK_MSG(r.status != NW_SHADOW_FAULT || r.reason != NW_RSN_RESERVED,
                  "a switching entry reported reserved (status %d reason %d level %d)",
                  r.status, r.reason, r.level);
        nw_free(s);
        tu_world_free(&w);
    }
}

/* access 3 is treated as read (BEHAVIOUR.md, encodings) */
static void edges_access_3(void)
{
    nw_mem *m = nw_mem_new();
    tu_tables t = {m, 0x10000, 0x100000, 0};
    uint64_t root = tu_table_new(&t);
    tu_map(&t, root, 4, VA & ~0xfffull, GPA & ~0xfffull, NW_SIZE_4K, NW_PTE_U | NW_PTE_XD);
    nw_state *s = nw_new(NW_FEAT_ALL);
    nw_reg_write(s, NW_REG_CTRL, NW_CTRL_NXE | NW_CTRL_WP | NW_CTRL_SMEP);
    nw_reg_write(s, NW_REG_GCR3, root);
    nw_result r;
    tu_walk(s, m, VA, 3, 1, &r);
    EXPECT_OK(&r, GPA, NW_SIZE_4K, 0, 1, 1, 4);
    nw_mem_write(m, entry_at(&t, root, 4, VA, 1), 0);
    tu_walk(s, m, VA, 3, 1, &r);
    EXPECT_FAULT(&r, NW_GUEST_FAULT, NW_RSN_NOT_PRESENT, 1, NW_PF_U, 0, 0, 4);
    nw_free(s);
    nw_mem_free(m);
}

/* The filter is its registers: words written directly decide escapes;
 * all ones escapes every page, FILT_CLEAR none. Without the FILT feature
 * (SEG kept) GFILT_EN is ignored: no escape. */
static void edges_filter_is_registers(void)
{
    nw_mem *m = nw_mem_new();
    nw_mem_write(m, 0x1000, 0); /* empty root: an escape faults at L4 */
    for (int feat = 0; feat < 2; feat++) {
        nw_state *s = nw_new(feat ? NW_FEAT_ALL & ~NW_FEAT_FILT : NW_FEAT_ALL);
        nw_reg_write(s, NW_REG_CTRL, NW_CTRL_GSEG_EN | NW_CTRL_GFILT_EN);
        nw_reg_write(s, NW_REG_GCR3, 0x1000);
        nw_reg_write(s, NW_REG_GSEG_BASE, 0);
        nw_reg_write(s, NW_REG_GSEG_LIMIT, 1ull << 47);
        nw_reg_write(s, NW_REG_GSEG_ATTR, 6);
        for (int k = 0; k < 4; k++)
            nw_reg_write(s, NW_REG_GFILT + 8u * (unsigned)k, ~0ull);
        static const uint64_t vas[] = {0x0, 0x1234000, 0x00007ffffffff000ull};
        for (int i = 0; i < 3; i++) {
            nwt_ctx("%s, filter all ones, va 0x%llx", feat ? "no FILT feature" : "full",
                    (unsigned long long)vas[i]);
            nw_result r;
            tu_walk(s, m, vas[i], NW_ACC_READ, 0, &r);
            if (feat)
                EXPECT_OK(&r, vas[i], NW_SIZE_4K, 1, 1, 0, 0);
            else
                EXPECT_FAULT(&r, NW_GUEST_FAULT, NW_RSN_NOT_PRESENT, 4, 0, 0, 0, 1);
        }
        /* one page's bits written by hand */
        uint64_t p = 0x1234, w[4] = {0};
        for (int j = 0; j < 4; j++) {
            unsigned b = tu_h3(j, p);
            w[b / 64] |= 1ull << (b % 64);
        }
        nw_reg_write(s, NW_REG_FILT_CLEAR, 1);
        for (int k = 0; k < 4; k++)
            nw_reg_write(s, NW_REG_GFILT + 8u * (unsigned)k, w[k]);
        nwt_ctx("%s, hand-written filter for page 0x1234", feat ? "no FILT feature" : "full");
        nw_result r;
        tu_walk(s, m, p << 12, NW_ACC_READ, 0, &r);
        if (feat)
            EXPECT_OK(&r, p << 12, NW_SIZE_4K, 1, 1, 0, 0);
        else
            EXPECT_FAULT(&r, NW_GUEST_FAULT, NW_RSN_NOT_PRESENT, 4, 0, 0, 0, 1);
        nw_reg_write(s, NW_REG_FILT_CLEAR, 1);
        tu_walk(s, m, p << 12, NW_ACC_READ, 0, &r);
        EXPECT_OK(&r, p << 12, NW_SIZE_4K, 1, 1, 0, 0);
        nw_free(s);
    }
    nw_mem_free(m);
}

/* A bus error on the first read of an SCR3.SW walk (the guest's top
 * table, read directly): level = the guest's top level. */
static void edges_bus_error_scr3_switch(void)
{
    for (int gl = 4; gl <= 5; gl++) {
        nwt_ctx("SCR3.SW to memory never written, %d-level guest", gl);
        tu_world w;
        tu_world_init(&w, gl, 4, NW_SIZE_4K);
        nw_state *s = nw_new(NW_FEAT_ALL);
        tu_world_regs(&w, s, NW_CTRL_VIRT | NW_CTRL_SHADOW_EN);
        nw_reg_write(s, NW_REG_SCR3, NW_PTE_SW | 0x7777000);
        nw_result r;
        tu_walk(s, w.mem, VA, NW_ACC_READ, 0, &r);
        EXPECT_FAULT(&r, NW_BUS_ERROR, NW_RSN_NONE, gl, 0, 0, 0, 1);
        CHECK_EQ(r.reads[0], 0x7777000 | (uint64_t)tu_idx(VA, gl) << 3);
        nw_free(s);
        tu_world_free(&w);
    }
}

static void edges_names(void)
{
    static const char *st[] = {"ok", "guest-fault", "host-fault", "shadow-fault", "bus-error"};
    static const char *rs[] = {"not-present", "reserved", "protection", "non-canonical"};
    static const char *sz[] = {"4K", "2M", "1G"};
    for (int i = 0; i < 5; i++) {
        const char *n = nw_status_name(i);
        CHECK_MSG(n && !strcmp(n, st[i]), "nw_status_name(%d) = '%s', want '%s'", i,
                  n ? n : "(null)", st[i]);
    }
    for (int i = 1; i <= 4; i++) {
        const char *n = nw_reason_name(i);
        CHECK_MSG(n && !strcmp(n, rs[i - 1]), "nw_reason_name(%d) = '%s', want '%s'", i,
                  n ? n : "(null)", rs[i - 1]);
    }
    for (int i = 0; i < 3; i++) {
        const char *n = nw_size_name(i);
        CHECK_MSG(n && !strcmp(n, sz[i]), "nw_size_name(%d) = '%s', want '%s'", i,
                  n ? n : "(null)", sz[i]);
    }
}

/* The guest filter hashes bits 63:12 of a gVA: a high-half address (bits
 * 63:48 set) escapes when its 52-bit page number is in the filter, and
 * GFILT_INSERT takes that page number (wdata bits 51:0). */
static void edges_high_half_escape(void)
{
    nw_mem *m = nw_mem_new();
    nw_mem_write(m, 0x1000, 0);
    nw_state *s = nw_new(NW_FEAT_ALL);
    nw_reg_write(s, NW_REG_CTRL, NW_CTRL_GSEG_EN | NW_CTRL_GFILT_EN);
    nw_reg_write(s, NW_REG_GCR3, 0x1000);
    nw_reg_write(s, NW_REG_GSEG_BASE, 0xffff800000000000ull);
    nw_reg_write(s, NW_REG_GSEG_LIMIT, 0xfffffffffffff000ull);
    nw_reg_write(s, NW_REG_GSEG_OFFSET, 0x0000800000000000ull);
    nw_reg_write(s, NW_REG_GSEG_ATTR, 6);
    const uint64_t va = 0xffffc90012345678ull, page = va >> 12; /* 0xffffc90012345 */
    nw_result r;
    tu_walk(s, m, va, NW_ACC_READ, 0, &r);
    EXPECT_OK(&r, 0x0000490012345678ull, NW_SIZE_4K, 1, 1, 0, 0);
    nw_reg_write(s, NW_REG_GFILT_INSERT, page);
    uint64_t want[4] = {0};
    for (int j = 0; j < 4; j++) {
        unsigned b = tu_h3(j, page);
        want[b / 64] |= 1ull << (b % 64);
    }
    for (int k = 0; k < 4; k++)
        CHECK_EQ(nw_reg_read(s, NW_REG_GFILT + 8u * (unsigned)k), want[k]);
    tu_walk(s, m, va, NW_ACC_READ, 0, &r);
    EXPECT_FAULT(&r, NW_GUEST_FAULT, NW_RSN_NOT_PRESENT, 4, 0, 0, 0, 1);
    CHECK_EQ(r.reads[0], 0x1000 | (uint64_t)tu_idx(va, 4) << 3);
    nw_free(s);
    nw_mem_free(m);
}

void suite_edges(void)
{
    NWT_RUN(edges_not_present_first);
    NWT_RUN(edges_switch_not_reserved);
    NWT_RUN(edges_access_3);
    NWT_RUN(edges_filter_is_registers);
    NWT_RUN(edges_bus_error_scr3_switch);
    NWT_RUN(edges_names);
    NWT_RUN(edges_high_half_escape);
}
