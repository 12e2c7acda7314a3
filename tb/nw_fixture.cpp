// The Linux fixture: QEMU's `info tlb` of a real guest as the oracle for
// walks of its page tables, native and under a host the harness builds.
#include <cstdlib>

#include "nw_cov.h"
#include "nw_tb.h"

// Native: every oracle page through RTL and model; the model's ok results
// are also checked against QEMU's. Nested: the same guest under a host
// table the harness builds (gPA + 16 GiB, mixed host page sizes). DMT: the
// fixture's two large areas laid out as TEAs (nw_fixture_teas) with a guest
// window over each, every oracle page in them: QEMU's translation in one
// read (a 2 MiB page: the fall-back, 1 + 3).
void fixture(const std::string &dir, size_t nested_n, uint64_t seed)
{
    std::string tlb = dir + "/qemu-info-tlb.txt.gz";
    nw_tlb_line *lines;
    size_t nlines;
    char err[256];
    if (nw_tlb_load(tlb.c_str(), &lines, &nlines, err, sizeof err)) {
        printf("FAIL: fixture: %s\n", err);
        g_stats.failed++;
        return;
    }
    std::vector<nw_tlb_line> orc(lines, lines + nlines);
    free(lines);
    if (orc.empty()) {
        printf("FAIL: fixture %s: no oracle lines\n", dir.c_str());
        g_stats.failed++;
        return;
    }
    std::string image = dir + "/pagetables.elf";
    const uint64_t CR3 = NW_FIXTURE_CR3;
    Knobs k;
    for (int nested = 0; nested < 2; nested++) {
        if (nested && !need(NW_FEAT_VIRT))
            break;
        run(nested ? "fixture-nested" : "fixture-native", seed, k, [&](Sim &sim) {
            char err[256];
            World w(sim.mem);
            Rng g(seed);
            if (!nested) {
                if (nw_mem_load(sim.mem, image.c_str(), err, sizeof err)) {
                    sim.expect(false, err);
                    return;
                }
                sim.reg_write(NW_REG_GCR3, CR3);
                sim.reg_write(NW_REG_CTRL, NW_CTRL_NXE | NW_CTRL_WP);
            } else {
                w.begin(true, 4, 4, g);
                if (nw_mem_load(w.gmem, image.c_str(), err, sizeof err)) {
                    sim.expect(false, err);
                    return;
                }
                // host: gPA [0, 256 MiB) at +16 GiB, 2M pages except the
                // first 64 MiB (4K) and one 1G page above
                const uint64_t off = 16 * GB;
                for (uint64_t p = 0; p < (64ull << 20); p += 4096)
                    w.map_host(p, p + off, 0, NW_PTE_W | NW_PTE_U);
                for (uint64_t p = 64ull << 20; p < (256ull << 20); p += 2 << 20)
                    w.map_host(p, p + off, 1, NW_PTE_W | NW_PTE_U);
                nw_mem_copy(sim.mem, w.gmem, off);
                w.gcr3 = CR3;
                write_cfg(sim, w, NW_CTRL_VIRT | NW_CTRL_NXE | NW_CTRL_WP);
            }
            size_t n = nested ? std::min(nested_n, orc.size()) : orc.size();
            size_t step = orc.size() / n;
            for (size_t i = 0; i < n && !sim.failed; i++) {
                const nw_tlb_line &o = orc[i * step];
                uint64_t off = g.next() & (o.size == NW_SIZE_2M ? 0x1fffff : 0xfff);
                int acc = (int)g.below(3), user = (int)g.below(2);
                cwalk(sim, &w, rq(o.va + off, acc, user), g.pct(1) ? (int)g.below(4) : -1);
                const nw_result &r = sim.last;
                if (r.status == NW_OK) {
                    uint64_t want = o.pa + off + (nested ? 16 * GB : 0);
                    // nested: the host's 4K pages below 64 MiB cut the size
                    int size = nested && o.pa < (64ull << 20) ? NW_SIZE_4K : o.size;
                    // the oracle's flags are the leaf's own: a clear W or U,
                    // or a set XD, must show in the combined permissions
                    bool ok = r.pa == want && r.size == size && (o.w || !r.w) &&
                              (o.u || !r.u) && (!o.xd || r.xd);
                    if (!ok)
                        printf("  oracle: va 0x%llx pa 0x%llx, walk gives 0x%llx\n",
                               (unsigned long long)(o.va + off), (unsigned long long)want,
                               (unsigned long long)r.pa);
                    sim.expect(ok, "walk agrees with QEMU's info tlb");
                }
            }
            // an address inside no listed page
            cwalk(sim, &w, rq(0x0000100000000000ull));
            sim.expect(sim.last.status == NW_GUEST_FAULT &&
                           sim.last.reason == NW_RSN_NOT_PRESENT,
                       "unlisted address is not present");
        });
    }
    if (!need(NW_FEAT_DMT))
        return;
    run("fixture-dmt", seed, k, [&](Sim &sim) {
        char err[256];
        uint64_t tea[NW_FIXTURE_AREAS];
        if (nw_mem_load(sim.mem, image.c_str(), err, sizeof err)) {
            sim.expect(false, err);
            return;
        }
        sim.expect(nw_fixture_teas(sim.mem, tea) == 0, "the fixture's TEAs are laid out");
        sim.reg_write(NW_REG_GCR3, CR3);
        for (unsigned a = 0; a < NW_FIXTURE_AREAS; a++) {
            sim.reg_write(NW_REG_GDMT_BASE(a), nw_fixture_area_get(a)->base);
            sim.reg_write(NW_REG_GDMT_LIMIT(a), nw_fixture_area_get(a)->limit);
            sim.reg_write(NW_REG_GDMT_TEA(a), tea[a]);
        }
        sim.reg_write(NW_REG_CTRL, NW_CTRL_NXE | NW_CTRL_GDMT_EN);
        long in = 0, same = 0;
        for (const nw_tlb_line &o : orc) {
            bool inside = false;
            for (unsigned a = 0; a < NW_FIXTURE_AREAS; a++)
                inside |= o.va >= nw_fixture_area_get(a)->base &&
                          o.va < nw_fixture_area_get(a)->limit;
            if (!inside || sim.failed)
                continue;
            cwalk(sim, nullptr, rq(o.va, NW_ACC_READ, 0));
            const nw_result &r = sim.last;
            in++;
            same += r.status == NW_OK && r.pa == o.pa && r.size == o.size && r.w == o.w &&
                    r.u == o.u && r.xd == o.xd && r.refs == (o.size == NW_SIZE_4K ? 1 : 4);
        }
        printf("  fixture-dmt: %ld of QEMU's translations in the DMT areas, %ld unchanged "
               "in 1 read (4 KiB) or 1 + 3 (2 MiB)\n", in, same);
        sim.expect(in == 65536 + 3673 && same == in,
                   "every DMT-area translation is QEMU's, in the SPEC's reads");
    });
}
