// Random stimulus: walks over a random world (nw_world.cpp builds it) with
// injected bus errors, register accesses around and during the walks, and
// idle cycles; one world a seed.
#include "nw_cov.h"
#include "nw_tb.h"

static RegOp rand_regop(Rng &g, uint64_t ctrl)
{
    // flushes, and the root writes that flush (drawn only with walk caches)
    if (need(NW_FEAT_WC) && g.pct(20))
        return g.pct(50) ? RegOp{true, NW_REG_WC_FLUSH, g.below(4)}
                         : RegOp{false, NW_REG_WC_FLUSH, 0};
    switch (g.below(6)) {
    case 0: return {true, NW_REG_CTRL, ctrl ^ (NW_CTRL_NXE << g.below(3))};
    case 1: return {true, NW_REG_COUNTERS + 8 * (unsigned)g.below(12), g.next()};
    case 2: return {true, NW_REG_GFILT_INSERT, g.next()};
    case 3: return {true, NW_REG_FILT_CLEAR, g.below(4)};
    default: return {false, (unsigned)g.below(0x1000), 0};
    }
}

// With walk caches, streams with locality keep them warm: the next page,
// a stride (the next 2 MiB or 1 GiB region too) or a small hot set.
static bool stream_va(Rng &g, const World &w, uint64_t prev, uint64_t *va)
{
    static const uint64_t strides[] = {0x1000, 0x2000, 0x201000, 0x40000000};
    if (!need(NW_FEAT_WC) || w.vas.empty() || !g.pct(60))
        return false;
    if (g.pct(60))
        *va = canon(prev + strides[g.below(4)], w.gl);
    else
        *va = w.vas[g.below(w.vas.size() < 4 ? w.vas.size() : 4)] + g.below(4096);
    return true;
}

static void random_walks(Sim &sim, World &w, const RandWorld &rw, Rng &g, int nwalks)
{
    uint64_t va = 0;
    for (int i = 0; i < nwalks && !sim.failed; i++) {
        unsigned p = (unsigned)g.below(100);
        if (stream_va(g, w, va, &va))
            ;
        else if (p < 30 && rw.gseg)
            va = rw.gb + (g.below(((rw.glim - rw.gb) >> 12) + 2) << 12) + g.below(4096);
        else if (p < 75 && !w.vas.empty())
            va = w.vas[g.below(w.vas.size())] + (g.next() & (g.pct(50) ? 0xfff : 0x1fffff));
        else if (p < 95)
            va = rand_va(g, w.gl) | g.below(4096);
        else
            va = g.next();
        int acc = (int)g.below(10);
        acc = acc < 5 ? NW_ACC_READ : acc < 8 ? NW_ACC_WRITE : acc < 9 ? NW_ACC_FETCH : 3;
        nw_request r = rq(va, acc, (int)g.below(2));
        int inject = g.pct(5) ? (int)g.below(g.pct(50) ? 6 : 36) : -1;
        uint64_t cur = nw_reg_read(sim.model, NW_REG_CTRL);
        RegOp op = rand_regop(g, cur);
        cwalk(sim, &w, r, inject, g.pct(10) ? &op : nullptr);
        if (g.pct(10))
            sim.reg_read((unsigned)g.below(0x1000));
        if (g.pct(2))
            sim.reg(rand_regop(g, nw_reg_read(sim.model, NW_REG_CTRL)));
        if (i % 64 == 63)
            for (unsigned a = 0; a < NW_NUM_COUNTERS; a++)
                sim.reg_read(NW_REG_COUNTERS + 8 * a);
        if (g.pct(5))
            sim.idle((int)g.below(4));
        // a table changed under the walk caches, with no flush
        if (need(NW_FEAT_WC) && g.pct(1))
            damage_tables(w, g);
    }
}

void random_worlds(uint64_t base, long n, int chunk, int max_lat)
{
    for (long c = 0; c < n && !g_stats.failed; c++) {
        uint64_t seed = base + (uint64_t)c;
        Knobs k;
        // every fourth world with slow memory
        k.max_lat = seed % 4 == 3 ? 20 : max_lat;
        run("random", seed, k, [&](Sim &sim) {
            Rng g(seed * 0x2545f4914f6cdd1dull + 1);
            World w(sim.mem);
            RandWorld rw = random_world(sim, w, g);
            random_walks(sim, w, rw, g, chunk);
        });
    }
}
