/*
 * test_order.c: the exact, ordered list of memory reads of one walk in every
 * mode (SPEC section 6, "Order of reads"), on tables written entry by entry
 * at fixed addresses, so every expected address below is a constant worked
 * out by hand from the SPEC's index formula.
 *
 * The address translated everywhere is VA = 0x5a5a5a5a5678:
 *   L4 index 0xb4 (*8 = 0x5a0), L3 0x169 (0xb48), L2 0xd2 (0x690),
 *   L1 0x1a5 (0xd28), offset 0x678.
 *
 * Memory (one nw_mem, hPA; every entry P|W|U = 7 unless said):
 *  native tables (PA):   N4 0x10000, N3 0x11000, N2 0x12000, N1 0x13000,
 *                        N5 0x14000 (5-level), frame 0x777000
 *  host tables (hPA):    H4 0x100000 [0] -> H3 0x101000
 *                        H3[0] -> H2a 0x102000, H3[1] -> H2b 0x104000
 *                        H2a[0] -> H1a 0x103000, H2b[0] -> H1b 0x105000
 *                        H1a[n] = 0x200000 + n*0x1000 for n = 1..4
 *                        H1b[5] = 0xabcd000
 *    so gPA 0x1000..0x4fff -> hPA 0x201000..0x204fff (4 KiB pages)
 *       gPA 0x40005000     -> hPA 0xabcd000
 *  guest tables (gPA, stored at hPA = gPA + 0x200000):
 *                        G4 0x1000, G3 0x2000, G2 0x3000, G1 0x4000,
 *                        G1[0x1a5] = gPA 0x40005000
 *    Host memory at hPA 0x1000..0x4fff is never written: a model that
 *    read a guest table at its gPA would get a bus error.
 *  shadow tables (hPA):  S4 0x300000, S3 0x301000, S2 0x302000, S1 0x303000,
 *                        S1[0x1a5] = hPA 0xabcd000
 */
#include "tu.h"

#include <stdlib.h>

#define VA     0x00005a5a5a5a5678ull
#define PWU    7ull
#define VPAGE  0x5a5a5a5a5ull /* VA >> 12 */

/* The host walk of each guest table entry's gPA and of the final gPA. */
#define HOST_G4 0x100000, 0x101000, 0x102000, 0x103008 /* gPA 0x15a0 */
#define HOST_G3 0x100000, 0x101000, 0x102000, 0x103010 /* gPA 0x2b48 */
#define HOST_G2 0x100000, 0x101000, 0x102000, 0x103018 /* gPA 0x3690 */
#define HOST_G1 0x100000, 0x101000, 0x102000, 0x103020 /* gPA 0x4d28 */
#define HOST_FINAL 0x100000, 0x101008, 0x104000, 0x105028 /* gPA 0x40005678 */

static nw_mem *hand_world(void)
{
    nw_mem *m = nw_mem_new();
    /* native */
    nw_mem_write(m, 0x143d8, 0x10000 | PWU);   /* N5[0x7b] (5-level VA below) */
    nw_mem_write(m, 0x105a0, 0x11000 | PWU);   /* N4[0xb4] */
    nw_mem_write(m, 0x11b48, 0x12000 | PWU);   /* N3[0x169] */
    nw_mem_write(m, 0x12690, 0x13000 | PWU);   /* N2[0xd2] */
    nw_mem_write(m, 0x13d28, 0x777000 | PWU);  /* N1[0x1a5] */
    /* host */
    nw_mem_write(m, 0x100000, 0x101000 | PWU);
    nw_mem_write(m, 0x101000, 0x102000 | PWU);
    nw_mem_write(m, 0x101008, 0x104000 | PWU);
    nw_mem_write(m, 0x102000, 0x103000 | PWU);
    nw_mem_write(m, 0x104000, 0x105000 | PWU);
    for (uint64_t n = 1; n <= 4; n++)
        nw_mem_write(m, 0x103000 + 8 * n, (0x200000 + n * 0x1000) | PWU);
    nw_mem_write(m, 0x105028, 0xabcd000 | PWU);
    /* guest, at hPA = gPA + 0x200000 */
    nw_mem_write(m, 0x2015a0, 0x2000 | PWU);
    nw_mem_write(m, 0x202b48, 0x3000 | PWU);
    nw_mem_write(m, 0x203690, 0x4000 | PWU);
    nw_mem_write(m, 0x204d28, 0x40005000 | PWU);
    /* shadow */
    nw_mem_write(m, 0x3005a0, 0x301000 | PWU);
    nw_mem_write(m, 0x301b48, 0x302000 | PWU);
    nw_mem_write(m, 0x302690, 0x303000 | PWU);
    nw_mem_write(m, 0x303d28, 0xabcd000 | PWU);
    return m;
}

static nw_state *hand_state(uint64_t ctrl)
{
    nw_state *s = nw_new(NW_FEAT_ALL);
    nw_reg_write(s, NW_REG_CTRL, ctrl);
    nw_reg_write(s, NW_REG_GCR3, (ctrl & NW_CTRL_VIRT) ? 0x1000 : 0x10000);
    nw_reg_write(s, NW_REG_HCR3, 0x100000);
    nw_reg_write(s, NW_REG_SCR3, 0x300000);
    nw_reg_write(s, NW_REG_GSEG_ATTR, NW_PTE_W | NW_PTE_U);
    nw_reg_write(s, NW_REG_HSEG_ATTR, NW_PTE_W);
    return s;
}

/* guest segment: exactly VA's page, to gPA 0x40005000 */
static void guest_segment(nw_state *s)
{
    nw_reg_write(s, NW_REG_GSEG_BASE, 0x5a5a5a5a5000ull);
    nw_reg_write(s, NW_REG_GSEG_LIMIT, 0x5a5a5a5a6000ull);
    nw_reg_write(s, NW_REG_GSEG_OFFSET, 0xffffa5a5e5a60000ull); /* -(0x5a5a1a5a0000) */
}

/* host segment: gPA [0, 2 GiB) -> + 0x200000 (agrees with the host tables
 * for the guest table pages, not for the final gPA: 0x40205678) */
static void host_segment(nw_state *s)
{
    nw_reg_write(s, NW_REG_HSEG_BASE, 0);
    nw_reg_write(s, NW_REG_HSEG_LIMIT, 0x80000000ull);
    nw_reg_write(s, NW_REG_HSEG_OFFSET, 0x200000);
}

static uint64_t counter(nw_state *s, int k)
{
    return nw_reg_read(s, NW_REG_COUNTERS + 8u * (unsigned)k);
}

static void order_native4(void)
{
    nw_mem *m = hand_world();
    nw_state *s = hand_state(0);
    nw_result r;
    tu_walk(s, m, VA, NW_ACC_READ, 0, &r);
    EXPECT_OK(&r, 0x777678, NW_SIZE_4K, 1, 1, 0, 4);
    EXPECT_READS(&r, 0x105a0, 0x11b48, 0x12690, 0x13d28);
    nw_free(s);
    nw_mem_free(m);
}

static void order_native5(void)
{
    /* 0x007b5a5a5a5a5678: L5 index 0x7b (*8 = 0x3d8), the rest as VA;
     * canonical for 57 bits (bits 63:56 zero) */
    nw_mem *m = hand_world();
    nw_state *s = hand_state(NW_CTRL_G5);
    nw_reg_write(s, NW_REG_GCR3, 0x14000);
    nw_result r;
    tu_walk(s, m, 0x007b5a5a5a5a5678ull, NW_ACC_READ, 0, &r);
    EXPECT_OK(&r, 0x777678, NW_SIZE_4K, 1, 1, 0, 5);
    EXPECT_READS(&r, 0x143d8, 0x105a0, 0x11b48, 0x12690, 0x13d28);
    nw_free(s);
    nw_mem_free(m);
}

static void order_nested(void)
{
    nw_mem *m = hand_world();
    nw_state *s = hand_state(NW_CTRL_VIRT);
    nw_result r;
    tu_walk(s, m, VA, NW_ACC_READ, 0, &r);
    EXPECT_OK(&r, 0xabcd678, NW_SIZE_4K, 1, 1, 0, 24);
    EXPECT_READS(&r, HOST_G4, 0x2015a0, HOST_G3, 0x202b48, HOST_G2, 0x203690,
                 HOST_G1, 0x204d28, HOST_FINAL);
    CHECK_EQ(counter(s, NW_CNT_WALKS), 1);
    CHECK_EQ(counter(s, NW_CNT_READS), 24);
    nw_free(s);
    nw_mem_free(m);
}

static void order_shadow(void)
{
    nw_mem *m = hand_world();
    nw_state *s = hand_state(NW_CTRL_VIRT | NW_CTRL_SHADOW_EN);
    nw_result r;
    tu_walk(s, m, VA, NW_ACC_READ, 0, &r);
    EXPECT_OK(&r, 0xabcd678, NW_SIZE_4K, 1, 1, 0, 4);
    EXPECT_READS(&r, 0x3005a0, 0x301b48, 0x302690, 0x303d28);
    CHECK_EQ(counter(s, NW_CNT_SWITCHES), 0);
    nw_free(s);
    nw_mem_free(m);
}

/* Agile paging: the shadow entry at level j gets SW and the hPA of the
 * guest table at level j-1; SCR3 with SW points at G4's hPA. */
static void order_agile(void)
{
    static const struct {
        int level;          /* shadow level with SW; 5 means SCR3 */
        uint64_t ea, value; /* the switching entry (or SCR3) */
    } sw[] = {
        {2, 0x302690, NW_PTE_SW | 0x204000 | PWU},
        {3, 0x301b48, NW_PTE_SW | 0x203000 | PWU},
        {4, 0x3005a0, NW_PTE_SW | 0x202000 | PWU},
        {5, 0, NW_PTE_SW | 0x201000},
    };
    for (int i = 0; i < 4; i++) {
        nw_mem *m = hand_world();
        nw_state *s = hand_state(NW_CTRL_VIRT | NW_CTRL_SHADOW_EN);
        if (sw[i].ea)
            nw_mem_write(m, sw[i].ea, sw[i].value);
        else
            nw_reg_write(s, NW_REG_SCR3, sw[i].value);
        nwt_ctx("switch at shadow level %d", sw[i].level);
        nw_result r;
        tu_walk(s, m, VA, NW_ACC_READ, 0, &r);
        switch (sw[i].level) {
        case 2:
            EXPECT_OK(&r, 0xabcd678, NW_SIZE_4K, 1, 1, 0, 8);
            EXPECT_READS(&r, 0x3005a0, 0x301b48, 0x302690, 0x204d28, HOST_FINAL);
            break;
        case 3:
            EXPECT_OK(&r, 0xabcd678, NW_SIZE_4K, 1, 1, 0, 12);
            EXPECT_READS(&r, 0x3005a0, 0x301b48, 0x203690, HOST_G1, 0x204d28,
                         HOST_FINAL);
            break;
        case 4:
            EXPECT_OK(&r, 0xabcd678, NW_SIZE_4K, 1, 1, 0, 16);
            EXPECT_READS(&r, 0x3005a0, 0x202b48, HOST_G2, 0x203690, HOST_G1,
                         0x204d28, HOST_FINAL);
            break;
        default:
            EXPECT_OK(&r, 0xabcd678, NW_SIZE_4K, 1, 1, 0, 20);
            EXPECT_READS(&r, 0x2015a0, HOST_G3, 0x202b48, HOST_G2, 0x203690,
                         HOST_G1, 0x204d28, HOST_FINAL);
            break;
        }
        CHECK_EQ(counter(s, NW_CNT_SWITCHES), 1);
        nw_free(s);
        nw_mem_free(m);
    }
}

static void order_vmm_direct(void)
{
    nw_mem *m = hand_world();
    nw_state *s = hand_state(NW_CTRL_VIRT | NW_CTRL_HSEG_EN);
    host_segment(s);
    nw_result r;
    tu_walk(s, m, VA, NW_ACC_READ, 0, &r);
    /* W from the host segment's ATTR (W), U from the guest */
    EXPECT_OK(&r, 0x40205678, NW_SIZE_4K, 1, 1, 0, 4);
    EXPECT_READS(&r, 0x2015a0, 0x202b48, 0x203690, 0x204d28);
    CHECK_EQ(counter(s, NW_CNT_HSEG_HITS), 5); /* 4 table gPAs + final gPA */
    nw_free(s);
    nw_mem_free(m);
}

static void order_guest_direct(void)
{
    nw_mem *m = hand_world();
    nw_state *s = hand_state(NW_CTRL_VIRT | NW_CTRL_GSEG_EN);
    guest_segment(s);
    nw_result r;
    tu_walk(s, m, VA, NW_ACC_READ, 0, &r);
    EXPECT_OK(&r, 0xabcd678, NW_SIZE_4K, 1, 1, 0, 4);
    EXPECT_READS(&r, HOST_FINAL);
    CHECK_EQ(counter(s, NW_CNT_GSEG_HITS), 1);
    nw_free(s);
    nw_mem_free(m);
}

static void order_dual_direct(void)
{
    nw_mem *m = hand_world();
    nw_state *s = hand_state(NW_CTRL_VIRT | NW_CTRL_GSEG_EN | NW_CTRL_HSEG_EN);
    guest_segment(s);
    host_segment(s);
    nw_result r;
    tu_walk(s, m, VA, NW_ACC_READ, 0, &r);
    EXPECT_OK(&r, 0x40205678, NW_SIZE_4K, 1, 1, 0, 0);
    CHECK_EQ(counter(s, NW_CNT_GSEG_HITS), 1);
    CHECK_EQ(counter(s, NW_CNT_HSEG_HITS), 1);
    nw_free(s);
    nw_mem_free(m);
}

static void order_native_direct(void)
{
    nw_mem *m = hand_world();
    nw_state *s = hand_state(NW_CTRL_GSEG_EN);
    guest_segment(s);
    nw_result r;
    tu_walk(s, m, VA, NW_ACC_READ, 0, &r);
    EXPECT_OK(&r, 0x40005678, NW_SIZE_4K, 1, 1, 0, 0);
    nw_free(s);
    nw_mem_free(m);
}

/* Guest escape: the segment hits VA's page but the filter holds it, so the
 * guest dimension is walked (nested, 24 reads). */
static void order_guest_escape(void)
{
    nw_mem *m = hand_world();
    nw_state *s = hand_state(NW_CTRL_VIRT | NW_CTRL_GSEG_EN | NW_CTRL_GFILT_EN);
    guest_segment(s);
    nw_reg_write(s, NW_REG_GFILT_INSERT, VPAGE);
    nw_result r;
    tu_walk(s, m, VA, NW_ACC_READ, 0, &r);
    EXPECT_OK(&r, 0xabcd678, NW_SIZE_4K, 1, 1, 0, 24);
    EXPECT_READS(&r, HOST_G4, 0x2015a0, HOST_G3, 0x202b48, HOST_G2, 0x203690,
                 HOST_G1, 0x204d28, HOST_FINAL);
    CHECK_EQ(counter(s, NW_CNT_GESCAPES), 1);
    CHECK_EQ(counter(s, NW_CNT_GSEG_HITS), 0); /* an escape is no translation */
    /* the same with the filter disabled: the segment translates */
    nw_reg_write(s, NW_REG_CTRL, NW_CTRL_VIRT | NW_CTRL_GSEG_EN);
    tu_walk(s, m, VA, NW_ACC_READ, 0, &r);
    EXPECT_OK(&r, 0xabcd678, NW_SIZE_4K, 1, 1, 0, 4);
    nw_free(s);
    nw_mem_free(m);
}

/* Host escape: gPA page 0x40005 is in the host filter (no H3 collision
 * with pages 1..4, worked out from the SPEC's Q), so only the final gPA is
 * walked by the host tables. */
static void order_host_escape(void)
{
    nw_mem *m = hand_world();
    nw_state *s = hand_state(NW_CTRL_VIRT | NW_CTRL_HSEG_EN | NW_CTRL_HFILT_EN);
    host_segment(s);
    nw_reg_write(s, NW_REG_HFILT_INSERT, 0x40005);
    nw_result r;
    tu_walk(s, m, VA, NW_ACC_READ, 0, &r);
    EXPECT_OK(&r, 0xabcd678, NW_SIZE_4K, 1, 1, 0, 8);
    EXPECT_READS(&r, 0x2015a0, 0x202b48, 0x203690, 0x204d28, HOST_FINAL);
    CHECK_EQ(counter(s, NW_CNT_HESCAPES), 1);
    CHECK_EQ(counter(s, NW_CNT_HSEG_HITS), 4);
    nw_free(s);
    nw_mem_free(m);
}

/* A page offset of every value passes through: the low 12 bits of VA end
 * up in the PA in every mode (here the last byte of the page). */
static void order_page_offset(void)
{
    nw_mem *m = hand_world();
    nw_state *s = hand_state(NW_CTRL_VIRT);
    nw_result r;
    tu_walk(s, m, 0x5a5a5a5a5fffull, NW_ACC_READ, 0, &r);
    EXPECT_OK(&r, 0xabcdfff, NW_SIZE_4K, 1, 1, 0, 24);
    tu_walk(s, m, 0x5a5a5a5a5000ull, NW_ACC_READ, 0, &r);
    EXPECT_OK(&r, 0xabcd000, NW_SIZE_4K, 1, 1, 0, 24);
    nw_free(s);
    nw_mem_free(m);
}

void suite_order(void)
{
    NWT_RUN(order_native4);
    NWT_RUN(order_native5);
    NWT_RUN(order_nested);
    NWT_RUN(order_shadow);
    NWT_RUN(order_agile);
    NWT_RUN(order_vmm_direct);
    NWT_RUN(order_guest_direct);
    NWT_RUN(order_dual_direct);
    NWT_RUN(order_native_direct);
    NWT_RUN(order_guest_escape);
    NWT_RUN(order_host_escape);
    NWT_RUN(order_page_offset);
}
