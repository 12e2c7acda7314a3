// Directed tests: the read counts of SPEC section 1 in every mode with 4-
// and 5-level tables, and every fault of SPEC section 6. One function a
// group; the table at the end lists them with their seeds and features.
#include "nw_cov.h"
#include "nw_tb.h"

static void native(Sim &sim, int gl, int)
{
    World w(sim.mem);
    small_vm(sim, w, false, gl, 4);
    for (uint64_t va : {VA_A, VA_B, VA_C}) {
        cwalk(sim, &w, rq(va_of(va, gl) + 0x123));
        expect_ok(sim, vm_levels(va, gl), "native");
    }
}

static void native_seg(Sim &sim, int gl, int)
{
    World w(sim.mem);
    small_vm(sim, w, false, gl, 4);
    uint64_t va = va_of(VA_A, gl);
    set_seg(sim, NW_REG_GSEG_BASE, va - 0x10000, va + 0x10000, 0x1000000);
    sim.reg_write(NW_REG_GSEG_ATTR, NW_PTE_W | NW_PTE_U);
    sim.reg_write(NW_REG_CTRL, NW_CTRL_GSEG_EN | lv_ctrl(gl, 4));
    cwalk(sim, &w, rq(va + 8));
    expect_ok(sim, 0, "native direct segment");
    sim.expect(sim.last.pa == ((va + 8 + 0x1000000) & NW_PA_MASK), "native segment pa");
    if (need(NW_FEAT_FILT)) {
        sim.reg_write(NW_REG_GFILT_INSERT, va >> 12);
        sim.reg_write(NW_REG_CTRL, NW_CTRL_GSEG_EN | NW_CTRL_GFILT_EN | lv_ctrl(gl, 4));
        cwalk(sim, &w, rq(va + 8));
        expect_ok(sim, gl, "guest escape walks");
    }
    // an empty segment and the segment's permissions
    sim.reg_write(NW_REG_CTRL, NW_CTRL_GSEG_EN | lv_ctrl(gl, 4));
    sim.reg_write(NW_REG_GSEG_ATTR, 0);
    cwalk(sim, &w, rq(va, NW_ACC_READ, 1));
    expect_fault(sim, NW_GUEST_FAULT, NW_RSN_PROTECTION, 0, "segment U");
    set_seg(sim, NW_REG_GSEG_BASE, va, va, 0);
    cwalk(sim, &w, rq(va));
    expect_ok(sim, gl, "empty segment");
}

// Nested walks of every host page size, and every guest x host page size in
// the other modes that walk both dimensions: agile (SCR3.SW), VMM direct
// over the guest tables only, guest direct.
static void nested(Sim &sim, int gl, int hl)
{
    for (int hsz = 0; hsz < 3; hsz++) {
        sim.reg_write(NW_REG_CTRL, 0);
        World w(sim.mem);
        small_vm(sim, w, true, gl, hl, hsz);
        uint64_t ctrl = nw_reg_read(sim.model, NW_REG_CTRL);
        for (uint64_t va : {VA_A, VA_B, VA_C}) {
            cwalk(sim, &w, rq(va_of(va, gl) + 0x40, NW_ACC_WRITE));
            expect_ok(sim, vm_levels(va, gl) * (hl + 1) + hl - hsz, "nested");
        }
        if (need(NW_FEAT_SHADOW)) {
            sim.reg_write(NW_REG_SCR3, w.host_of(w.gcr3) | NW_PTE_SW);
            sim.reg_write(NW_REG_CTRL, ctrl | NW_CTRL_SHADOW_EN);
            for (uint64_t va : {VA_A, VA_B, VA_C}) {
                cwalk(sim, &w, rq(va_of(va, gl)));
                // the top guest table read directly, the rest nested
                expect_ok(sim, 1 + (hl + 1) * (vm_levels(va, gl) - 1) + hl - hsz,
                          "agile from SCR3");
            }
        }
        if (need(NW_FEAT_SEG)) {
            w.copy_tables(VM_HOFF);
            set_seg(sim, NW_REG_HSEG_BASE, w.gt_base, w.gt_base + GT_SPAN, VM_HOFF);
            sim.reg_write(NW_REG_HSEG_ATTR, NW_PTE_W);
            sim.reg_write(NW_REG_CTRL, ctrl | NW_CTRL_HSEG_EN);
            for (uint64_t va : {VA_A, VA_B, VA_C}) {
                cwalk(sim, &w, rq(va_of(va, gl)));
                expect_ok(sim, vm_levels(va, gl) + hl - hsz, "VMM direct over the tables");
            }
            uint64_t va = va_of(VA_A, gl);
            set_seg(sim, NW_REG_GSEG_BASE, va, va + 0x1000, GPA_B - va);
            sim.reg_write(NW_REG_GSEG_ATTR, NW_PTE_W | NW_PTE_U);
            sim.reg_write(NW_REG_CTRL, ctrl | NW_CTRL_GSEG_EN);
            cwalk(sim, &w, rq(va));
            expect_ok(sim, hl - hsz, "guest direct, host page size");
        }
    }
}

// Shadow (j 0) and the switch below every level j (gl + 1: SCR3.SW).
static void agile(Sim &sim, int gl, int hl)
{
    for (int j = 0; j <= gl + 1; j++) {
        if (j == 1)
            continue;
        World w(sim.mem);
        small_vm(sim, w, true, gl, hl);
        uint64_t va = va_of(VA_A, gl);
        w.sroot = nw_alloc_page(&w.sa);
        uint64_t scr3 = w.sroot;
        if (j == gl + 1)
            scr3 = w.host_of(w.gcr3) | NW_PTE_SW;
        else
            nw_shadow_map(&w.sa, w.sroot, w.gcr3, gl, w.hcr3, hl, va, j);
        sim.reg_write(NW_REG_SCR3, scr3);
        sim.reg_write(NW_REG_CTRL, NW_CTRL_VIRT | NW_CTRL_SHADOW_EN | lv_ctrl(gl, hl));
        cwalk(sim, &w, rq(va + 0x10));
        // shadow: gl reads; switch below level j: the shadow levels gl..j,
        // the guest table j-1 read directly, j-2 nested guest levels, the
        // final host walk
        int want = j == 0 ? gl : (gl - j + 1) + 1 + (hl + 1) * (j - 2) + hl;
        expect_ok(sim, want, j ? "agile" : "shadow");
        sim.expect(sim.last.pa == VM_HOST + GPA_A + 0x10, "shadow/agile pa");
        sim.reg_write(NW_REG_SCR3, 0);
    }
}

// VMM direct, guest direct with a nested host, dual direct, and the
// filters' escapes from the segments.
static void direct(Sim &sim, int gl, int hl)
{
    World w(sim.mem);
    small_vm(sim, w, true, gl, hl);
    uint64_t va = va_of(VA_A, gl), ctrl = NW_CTRL_VIRT | lv_ctrl(gl, hl);
    // VMM direct: the host segment maps all of guest memory
    w.copy_tables(VM_HOFF);
    set_seg(sim, NW_REG_HSEG_BASE, 0, 1ull << 40, VM_HOFF);
    sim.reg_write(NW_REG_HSEG_ATTR, NW_PTE_W);
    sim.reg_write(NW_REG_CTRL, ctrl | NW_CTRL_HSEG_EN);
    cwalk(sim, &w, rq(va));
    expect_ok(sim, gl, "VMM direct");
    sim.expect(sim.last.pa == GPA_A + VM_HOFF, "VMM direct pa");
    // guest direct with a nested host
    set_seg(sim, NW_REG_GSEG_BASE, va, va + 0x1000, GPA_A - va);
    sim.reg_write(NW_REG_GSEG_ATTR, NW_PTE_W | NW_PTE_U);
    sim.reg_write(NW_REG_CTRL, ctrl | NW_CTRL_GSEG_EN);
    cwalk(sim, &w, rq(va));
    expect_ok(sim, hl, "guest direct");
    uint64_t hl1 = World::entry_addr(w.mem, w.hcr3, hl, GPA_A, 1), e;
    nw_mem_read(w.mem, hl1, &e);
    nw_mem_write(w.mem, hl1, e & ~NW_PTE_W);
    cwalk(sim, &w, rq(va, NW_ACC_WRITE));
    expect_fault(sim, NW_HOST_FAULT, NW_RSN_PROTECTION, 1, "guest direct, host W");
    nw_mem_write(w.mem, hl1, e);
    // dual direct
    sim.reg_write(NW_REG_CTRL, ctrl | NW_CTRL_GSEG_EN | NW_CTRL_HSEG_EN);
    cwalk(sim, &w, rq(va + 0x7f8));
    expect_ok(sim, 0, "dual direct");
    sim.expect(sim.last.pa == GPA_A + VM_HOFF + 0x7f8, "dual direct pa");
    cwalk(sim, &w, rq(va, NW_ACC_FETCH));
    sim.expect(sim.last.status == NW_OK && !sim.last.xd, "dual fetch");
    sim.reg_write(NW_REG_GSEG_ATTR, NW_PTE_W);
    cwalk(sim, &w, rq(va, NW_ACC_READ, 1));
    expect_fault(sim, NW_GUEST_FAULT, NW_RSN_PROTECTION, 0, "guest segment U");
    sim.reg_write(NW_REG_GSEG_ATTR, NW_PTE_W | NW_PTE_U);
    sim.reg_write(NW_REG_HSEG_ATTR, 0);
    cwalk(sim, &w, rq(va, NW_ACC_WRITE));
    expect_fault(sim, NW_HOST_FAULT, NW_RSN_PROTECTION, 0, "host segment W");
    sim.reg_write(NW_REG_HSEG_ATTR, NW_PTE_W | NW_PTE_XD);
    sim.reg_write(NW_REG_CTRL, ctrl | NW_CTRL_GSEG_EN | NW_CTRL_HSEG_EN | NW_CTRL_NXE);
    cwalk(sim, &w, rq(va, NW_ACC_FETCH));
    expect_fault(sim, NW_HOST_FAULT, NW_RSN_PROTECTION, 0, "host segment XD");
    sim.reg_write(NW_REG_HSEG_ATTR, NW_PTE_W);
    if (need(NW_FEAT_FILT)) {
        // escapes: each dimension walks
        sim.reg_write(NW_REG_GFILT_INSERT, va >> 12);
        sim.reg_write(NW_REG_CTRL,
                      ctrl | NW_CTRL_GSEG_EN | NW_CTRL_HSEG_EN | NW_CTRL_GFILT_EN);
        cwalk(sim, &w, rq(va));
        expect_ok(sim, gl, "dual, guest escape");
        sim.reg_write(NW_REG_HFILT_INSERT, GPA_A >> 12);
        sim.reg_write(NW_REG_CTRL,
                      ctrl | NW_CTRL_GSEG_EN | NW_CTRL_HSEG_EN | NW_CTRL_HFILT_EN);
        cwalk(sim, &w, rq(va));
        expect_ok(sim, hl, "dual, host escape");
        sim.reg_write(NW_REG_FILT_CLEAR, 3);
        cwalk(sim, &w, rq(va));
        expect_ok(sim, 0, "filters cleared");
    }
}

// ------------------------------------------------------------ faults
// Every fault of SPEC section 6, in one 4-level small VM.

static const uint64_t FAULT_CTRL = NW_CTRL_VIRT | NW_CTRL_NXE;

// The entry of `level` on VA_A's guest path, in guest-physical scratch.
static uint64_t gentry(const World &w, int level)
{
    return World::entry_addr(w.gmem, w.gcr3, 4, VA_A, level);
}

// Sets and clears bits of that entry, in scratch and in its host copy.
static void poke_guest(World &w, int level, uint64_t set, uint64_t clr)
{
    uint64_t ga = gentry(w, level), v;
    nw_mem_read(w.gmem, ga, &v);
    v = (v | set) & ~clr;
    nw_mem_write(w.gmem, ga, v);
    nw_mem_write(w.mem, w.host_of(ga), v);
}

static void guest_faults(Sim &sim, World &w)
{
    cwalk(sim, &w, rq(0x0000800000000000ull, NW_ACC_WRITE, 1));
    expect_fault(sim, NW_GUEST_FAULT, NW_RSN_NON_CANONICAL, 0, "non-canonical");
    sim.expect(sim.last.pferr == (NW_PF_W | NW_PF_U) && sim.last.refs == 0,
               "non-canonical pferr");
    cwalk(sim, &w, rq(VA_A ^ (1ull << 35)));
    expect_fault(sim, NW_GUEST_FAULT, NW_RSN_NOT_PRESENT, 3, "guest not present");
    poke_guest(w, 4, NW_PTE_PS, 0);
    cwalk(sim, &w, rq(VA_A));
    expect_fault(sim, NW_GUEST_FAULT, NW_RSN_RESERVED, 4, "PS in L4");
    sim.expect(sim.last.pferr == (NW_PF_P | NW_PF_RSVD), "reserved pferr");
    poke_guest(w, 4, 0, NW_PTE_PS);
    poke_guest(w, 2, NW_PTE_XD, 0);
    sim.reg_write(NW_REG_CTRL, NW_CTRL_VIRT);
    cwalk(sim, &w, rq(VA_A));
    expect_fault(sim, NW_GUEST_FAULT, NW_RSN_RESERVED, 2, "XD without NXE");
    sim.reg_write(NW_REG_CTRL, FAULT_CTRL);
    cwalk(sim, &w, rq(VA_A, NW_ACC_FETCH));
    expect_fault(sim, NW_GUEST_FAULT, NW_RSN_PROTECTION, 1, "fetch from XD");
    sim.expect(sim.last.pferr == (NW_PF_P | NW_PF_ID), "fetch pferr");
    poke_guest(w, 2, 0, NW_PTE_XD);
    poke_guest(w, 1, 0, NW_PTE_U);
    cwalk(sim, &w, rq(VA_A, NW_ACC_READ, 1));
    expect_fault(sim, NW_GUEST_FAULT, NW_RSN_PROTECTION, 1, "user, not U");
    poke_guest(w, 1, NW_PTE_U, NW_PTE_W);
    cwalk(sim, &w, rq(VA_A, NW_ACC_WRITE, 1));
    expect_fault(sim, NW_GUEST_FAULT, NW_RSN_PROTECTION, 1, "user write, not W");
    cwalk(sim, &w, rq(VA_A, NW_ACC_WRITE, 0));
    expect_ok(sim, 24, "supervisor write without WP");
    sim.reg_write(NW_REG_CTRL, FAULT_CTRL | NW_CTRL_WP);
    cwalk(sim, &w, rq(VA_A, NW_ACC_WRITE, 0));
    expect_fault(sim, NW_GUEST_FAULT, NW_RSN_PROTECTION, 1, "WP");
    sim.reg_write(NW_REG_CTRL, FAULT_CTRL | NW_CTRL_SMEP);
    cwalk(sim, &w, rq(VA_A, NW_ACC_FETCH, 0));
    expect_fault(sim, NW_GUEST_FAULT, NW_RSN_PROTECTION, 1, "SMEP");
    poke_guest(w, 1, NW_PTE_W, 0);
    sim.reg_write(NW_REG_CTRL, FAULT_CTRL);
    // 2M and 1G leaves with reserved frame bits
    uint64_t b2 = World::entry_addr(w.gmem, w.gcr3, 4, VA_B, 2);
    uint64_t v;
    nw_mem_read(w.gmem, b2, &v);
    for (int bit : {13, 20}) {
        nw_mem_write(w.mem, w.host_of(b2), v | (1ull << bit));
        cwalk(sim, &w, rq(VA_B));
        expect_fault(sim, NW_GUEST_FAULT, NW_RSN_RESERVED, 2, "2M leaf bits 20:13");
    }
    nw_mem_write(w.mem, w.host_of(b2), v);
    uint64_t c3 = World::entry_addr(w.gmem, w.gcr3, 4, VA_C, 3);
    nw_mem_read(w.gmem, c3, &v);
    for (int bit : {13, 29}) {
        nw_mem_write(w.mem, w.host_of(c3), v | (1ull << bit));
        cwalk(sim, &w, rq(VA_C));
        expect_fault(sim, NW_GUEST_FAULT, NW_RSN_RESERVED, 3, "1G leaf bits 29:13");
    }
    nw_mem_write(w.mem, w.host_of(c3), v | (1ull << 30));
    cwalk(sim, &w, rq(VA_C));
    expect_ok(sim, 14, "1G leaf bit 30 is address");
    nw_mem_write(w.mem, w.host_of(c3), v);
}

// Host faults: on a guest table entry, on the final gPA, beyond the host.
static void host_faults(Sim &sim, World &w)
{
    uint64_t t1 = gentry(w, 1), v;
    uint64_t h2 = World::entry_addr(w.mem, w.hcr3, 4, t1, 1);
    nw_mem_read(w.mem, h2, &v);
    nw_mem_write(w.mem, h2, v & ~NW_PTE_P);
    cwalk(sim, &w, rq(VA_A));
    expect_fault(sim, NW_HOST_FAULT, NW_RSN_NOT_PRESENT, 1, "host not present");
    sim.expect(sim.last.gpt == 1 && sim.last.fault_gpa == t1 && sim.last.refs == 19,
               "host fault on a guest table: gpt, gPA, refs");
    nw_mem_write(w.mem, h2, v | NW_PTE_PS);
    cwalk(sim, &w, rq(VA_A));
    sim.expect(sim.last.status != NW_HOST_FAULT || sim.last.reason != NW_RSN_NOT_PRESENT,
               "host PS leaf");
    nw_mem_write(w.mem, h2, v);
    uint64_t f1 = World::entry_addr(w.mem, w.hcr3, 4, GPA_A, 1);
    nw_mem_read(w.mem, f1, &v);
    nw_mem_write(w.mem, f1, v & ~NW_PTE_W);
    cwalk(sim, &w, rq(VA_A, NW_ACC_WRITE));
    expect_fault(sim, NW_HOST_FAULT, NW_RSN_PROTECTION, 1, "host write protection");
    sim.expect(sim.last.gpt == 0 && sim.last.fault_gpa == GPA_A, "final gPA fault");
    nw_mem_write(w.mem, f1, v | NW_PTE_XD);
    cwalk(sim, &w, rq(VA_A, NW_ACC_FETCH));
    expect_fault(sim, NW_HOST_FAULT, NW_RSN_PROTECTION, 1, "host XD");
    nw_mem_write(w.mem, f1, v | (1ull << 63));
    sim.reg_write(NW_REG_CTRL, NW_CTRL_VIRT);
    cwalk(sim, &w, rq(VA_A));
    expect_fault(sim, NW_HOST_FAULT, NW_RSN_RESERVED, 1, "host XD without NXE");
    nw_mem_write(w.mem, f1, v);
    sim.reg_write(NW_REG_CTRL, FAULT_CTRL);
    // a gPA beyond a 4-level host
    uint64_t a1 = gentry(w, 1);
    nw_mem_read(w.gmem, a1, &v);
    for (int bit = 48; bit < 52; bit++) {
        nw_mem_write(w.mem, w.host_of(a1), v | (1ull << bit));
        cwalk(sim, &w, rq(VA_A));
        expect_fault(sim, NW_HOST_FAULT, NW_RSN_NOT_PRESENT, 0, "gPA beyond the host");
    }
    nw_mem_write(w.mem, w.host_of(a1), v);
}

// Bus errors: injected, and a table outside memory.
static void bus_errors(Sim &sim, World &w)
{
    cwalk(sim, &w, rq(VA_A), 7);
    sim.expect(sim.last.status == NW_BUS_ERROR && sim.last.refs == 8 && sim.last.level == 2,
               "injected bus error on the 8th read");
    sim.reg_write(NW_REG_HCR3, 0x7000000000ull);
    cwalk(sim, &w, rq(VA_A));
    sim.expect(sim.last.status == NW_BUS_ERROR && sim.last.refs == 1, "host root absent");
    sim.reg_write(NW_REG_HCR3, w.hcr3);
}

static void shadow_faults(Sim &sim, World &w)
{
    w.sroot = nw_alloc_page(&w.sa);
    nw_shadow_map(&w.sa, w.sroot, w.gcr3, 4, w.hcr3, 4, VA_A, 0);
    sim.reg_write(NW_REG_SCR3, w.sroot);
    sim.reg_write(NW_REG_CTRL, FAULT_CTRL | NW_CTRL_SHADOW_EN);
    cwalk(sim, &w, rq(VA_A ^ (1ull << 35)));
    expect_fault(sim, NW_SHADOW_FAULT, NW_RSN_NOT_PRESENT, 3, "shadow not present");
    uint64_t s1 = World::entry_addr(w.mem, w.sroot, 4, VA_A, 1), v;
    nw_mem_read(w.mem, s1, &v);
    nw_mem_write(w.mem, s1, v | NW_PTE_SW);
    cwalk(sim, &w, rq(VA_A));
    expect_ok(sim, 4, "SW in a shadow L1 entry is ignored");
    nw_mem_write(w.mem, s1, v & ~NW_PTE_W);
    cwalk(sim, &w, rq(VA_A, NW_ACC_WRITE, 1));
    expect_fault(sim, NW_SHADOW_FAULT, NW_RSN_PROTECTION, 1, "shadow protection");
    sim.expect(sim.last.pferr == (NW_PF_P | NW_PF_W | NW_PF_U), "shadow pferr");
    uint64_t s4 = World::entry_addr(w.mem, w.sroot, 4, VA_A, 4);
    nw_mem_read(w.mem, s4, &v);
    nw_mem_write(w.mem, s4, v | NW_PTE_PS);
    cwalk(sim, &w, rq(VA_A));
    expect_fault(sim, NW_SHADOW_FAULT, NW_RSN_RESERVED, 4, "shadow reserved");
    // SW wins over PS
    nw_mem_write(w.mem, s4, (w.host_of(World::entry_addr(w.gmem, w.gcr3, 4, VA_A, 3)) &
                             NW_PTE_ADDR) | NW_PTE_P | NW_PTE_W | NW_PTE_U | NW_PTE_PS |
                                NW_PTE_SW);
    cwalk(sim, &w, rq(VA_A));
    expect_ok(sim, 16, "switch at L4 with PS");
    // the switching entry's own permissions fold in
    nw_mem_read(w.mem, s4, &v);
    nw_mem_write(w.mem, s4, v & ~NW_PTE_W);
    cwalk(sim, &w, rq(VA_A));
    sim.expect(sim.last.status == NW_OK && !sim.last.w, "switching entry's W folds");
    cwalk(sim, &w, rq(VA_A, NW_ACC_WRITE, 1));
    expect_fault(sim, NW_GUEST_FAULT, NW_RSN_PROTECTION, 1,
                 "protection after a switch is a guest fault");
}

static void faults(Sim &sim, int, int)
{
    World w(sim.mem);
    small_vm(sim, w, true, 4, 4);
    guest_faults(sim, w);
    host_faults(sim, w);
    bus_errors(sim, w);
    if (need(NW_FEAT_SHADOW))
        shadow_faults(sim, w);
}

// Two NTLB entries for one gPA, a 4 KiB and a 2 MiB page, after a host
// table change without a flush: a miss, which empties both, and the walk's
// insert hits next. The guest segment hands on gPAs in GPA_A's 2 MiB; the
// host's level-2 entry over it has A = 0, so the host PSC does not keep
// it, and becomes a 2 MiB page, which the next walk in it reads.
static void wc_multi_hit(Sim &sim, int, int)
{
    const uint64_t va = 0x10000000ull, big = VM_HOST + (GPA_A & ~0x1fffffull);
    World w(sim.mem);
    small_vm(sim, w, true, 4, 4);
    uint64_t l2 = World::entry_addr(sim.mem, w.hcr3, 4, GPA_A, 2), e = 0;
    nw_mem_read(sim.mem, l2, &e);
    nw_mem_write(sim.mem, l2, e & ~NW_PTE_A);
    set_seg(sim, NW_REG_GSEG_BASE, va, va + 0x200000, GPA_A - va);
    sim.reg_write(NW_REG_GSEG_ATTR, NW_PTE_W | NW_PTE_U);
    sim.reg_write(NW_REG_CTRL, nw_reg_read(sim.model, NW_REG_CTRL) | NW_CTRL_GSEG_EN |
                                   NW_CTRL_WC_EN);
    cwalk(sim, &w, rq(va));
    expect_ok(sim, 4, "4K NTLB entry");
    nw_mem_write(sim.mem, l2, big | NW_PTE_P | NW_PTE_W | NW_PTE_U | NW_PTE_A | NW_PTE_PS);
    cwalk(sim, &w, rq(va + 0x1000));
    expect_ok(sim, 1, "2M NTLB entry beside it");
    cwalk(sim, &w, rq(va));
    expect_ok(sim, 1, "two NTLB entries: a miss");
    sim.expect(sim.last.pa == VM_HOST + GPA_A, "the 2M page's pa");
    cwalk(sim, &w, rq(va + 8));
    expect_ok(sim, 0, "the one inserted hits");
}

// ------------------------------------------------------------ the table

struct Directed {
    const char *name;
    uint64_t seed;
    unsigned features; // the build must have all of them
    int dims;          // levels in the name: 0 none (4-level), 1 guest, 2 guest and host
    void (*test)(Sim &sim, int gl, int hl);
};

static const Directed tests[] = {
    {"native", 1, 0, 1, native},
    {"native-seg", 1, NW_FEAT_SEG, 1, native_seg},
    {"nested", 2, NW_FEAT_VIRT, 2, nested},
    {"agile", 3, NW_FEAT_VIRT | NW_FEAT_SHADOW, 2, agile},
    {"direct", 4, NW_FEAT_VIRT | NW_FEAT_SEG, 2, direct},
    {"faults", 5, NW_FEAT_VIRT, 0, faults},
    {"wc-multi-hit", 6, NW_FEAT_VIRT | NW_FEAT_SEG | NW_FEAT_WC, 0, wc_multi_hit},
};

void directed()
{
    int maxl = need(NW_FEAT_LA57) ? 5 : 4;
    Knobs k;
    for (const Directed &t : tests) {
        if (!need(t.features))
            continue;
        for (int gl = 4; gl <= (t.dims ? maxl : 4); gl++)
            for (int hl = 4; hl <= (t.dims == 2 ? maxl : 4); hl++) {
                std::string name = t.name;
                if (t.dims)
                    name += std::to_string(gl);
                if (t.dims == 2)
                    name += std::to_string(hl);
                run(name, t.seed, k, [&](Sim &sim) { t.test(sim, gl, hl); });
            }
    }
}
