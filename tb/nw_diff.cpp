// `--diff`: the options of `nestwalk translate`, parsed by the model's own
// nw_options_parse so both read them alike, run through RTL and model.
#include <cstdlib>

#include "nw_tb.h"

static int add_va(void *vas, uint64_t va)
{
    static_cast<std::vector<uint64_t> *>(vas)->push_back(va);
    return 0;
}

int diff(int argc, char **argv)
{
    nw_options o;
    char err[512];
    if (nw_options_parse(&o, argc, argv, err, sizeof err)) {
        fprintf(stderr, "nw_tb: %s\n", err);
        exit(2);
    }
    // the caches would be ignored by both, and the diff say nothing of them
    bool wc = o.flush_every || (o.ops[o.nops - 1].value & NW_CTRL_WC_EN);
    if (wc && !need(NW_FEAT_WC)) {
        fprintf(stderr, "nw_tb: this RTL has no walk caches (--walk-caches, --flush-every)\n");
        exit(2);
    }
    // likewise the DMT windows
    if ((o.ops[o.nops - 1].value & (NW_CTRL_GDMT_EN | NW_CTRL_HDMT_EN)) && !need(NW_FEAT_DMT)) {
        fprintf(stderr, "nw_tb: this RTL has no DMT windows (--gdmt, --hdmt, --mode dmt)\n");
        exit(2);
    }
    std::vector<uint64_t> vas(o.vas, o.vas + o.nvas);
    if (o.addrs && nw_addrs_read(o.addrs, add_va, &vas, err, sizeof err)) {
        fprintf(stderr, "nw_tb: %s\n", err);
        exit(2);
    }
    std::vector<RegOp> ops;
    for (size_t i = 0; i < o.nops; i++)
        ops.push_back({true, o.ops[i].addr, o.ops[i].value});
    std::string image = o.image;
    nw_request req{0, o.access, o.user};
    unsigned long flush_every = o.flush_every;
    nw_options_free(&o);
    Knobs k;
    bool ok = run("diff", 1, k, [&](Sim &sim) {
        if (nw_mem_load(sim.mem, image.c_str(), err, sizeof err)) {
            fprintf(stderr, "nw_tb: %s\n", err);
            exit(2);
        }
        for (const RegOp &op : ops)
            sim.reg(op);
        for (size_t i = 0; i < vas.size(); i++) {
            // as `nestwalk translate --flush-every N` does
            if (flush_every && i % flush_every == 0)
                sim.reg_write(NW_REG_WC_FLUSH, NW_WC_FLUSH_GUEST | NW_WC_FLUSH_ALL);
            nw_request r = req;
            r.va = vas[i];
            if (!sim.walk(r))
                break;
        }
    });
    if (ok)
        printf("identical: %zu translations\n", vas.size());
    return ok ? 0 : 1;
}
