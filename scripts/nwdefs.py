"""Reads defs/nestwalk.toml, the one source of the project's shared facts,
for the generators and the flows (synthesis, formal, reports).

    import nwdefs
    D = nwdefs.load()
    D.params("full")   -> {"ENABLE_VIRT": 1, ...} (the RTL's parameters)
    D.mask("nofilt")   -> 0x0b (the model's feature mask)

A feature with rtl = false is the model's only: the RTL has no parameter
for it, and a configuration of an RTL flow (tb, synth, formal) that has it
is an error.

and for make and shell scripts:

    nwdefs.py flow FLOW                     the configurations of a flow
    nwdefs.py params CONFIG --yosys         -chparam NAME VALUE ...
    nwdefs.py params CONFIG --verilator     -GNAME=VALUE ...
    nwdefs.py mask CONFIG                   the feature mask, 0x..
"""
import argparse
import os
import sys
import tomllib

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PATH = os.path.join(ROOT, "defs", "nestwalk.toml")


class Defs:
    def __init__(self, data):
        self.data = data
        self.features = data["feature"]
        self.configs = data["config"]
        self.flows = data["flows"]
        self.rtl_features = [f for f in self.features if f.get("rtl", True)]
        names = {f["name"] for f in self.features}
        for c, v in self.configs.items():
            for f in v["features"]:
                if f not in names:
                    raise ValueError("defs: configuration %s names unknown feature %s" % (c, f))
        model_only = names - {f["name"] for f in self.rtl_features}
        for flow, cs in self.flows.items():
            for c in (cs.values() if isinstance(cs, dict) else cs):
                bad = model_only & set(self.configs[c]["features"])
                if bad:
                    raise ValueError("defs: flow %s builds configuration %s, which has %s: "
                                     "the RTL does not have it (rtl = false)"
                                     % (flow, c, ", ".join(sorted(bad))))

    def params(self, config, model_only=False):
        """The RTL parameters of a configuration, in the table's order; with
        model_only, those of the features the RTL lacks as well."""
        on = set(self.configs[config]["features"])
        fs = self.features if model_only else self.rtl_features
        return {f["param"]: int(f["name"] in on) for f in fs}

    def mask(self, config):
        on = set(self.configs[config]["features"])
        return sum(1 << f["bit"] for f in self.features if f["name"] in on)

    def label(self, config):
        return self.configs[config]["label"]

    def wc_params(self):
        """The walk-cache sizes of [wc] as (parameter, entries, doc)."""
        wc = self.data["wc"]
        out = []
        for dim, what in (("gpsc", "guest PSC"), ("hpsc", "host PSC")):
            for j, n in enumerate(wc[dim]):
                out.append(("WC_%s_L%d" % (dim.upper(), j + 2), n,
                            "%s entries at level %d" % (what, j + 2)))
        out.append(("WC_NTLB", wc["ntlb"], "nested TLB entries"))
        return out


def load(path=PATH):
    with open(path, "rb") as f:
        return Defs(tomllib.load(f))


def main():
    ap = argparse.ArgumentParser(description="the configurations of defs/nestwalk.toml")
    sub = ap.add_subparsers(dest="what", required=True)
    sub.add_parser("flow").add_argument("flow")
    p = sub.add_parser("params")
    p.add_argument("config")
    g = p.add_mutually_exclusive_group(required=True)
    g.add_argument("--yosys", action="store_true")
    g.add_argument("--verilator", action="store_true")
    sub.add_parser("mask").add_argument("config")
    a = ap.parse_args()
    D = load()
    if a.what == "flow":
        if a.flow not in D.flows:
            sys.exit("nwdefs: no flow '%s' (defs/nestwalk.toml has %s)" % (a.flow, " ".join(D.flows)))
        names = D.flows[a.flow]
        print(" ".join(names.values() if isinstance(names, dict) else names))
        return
    if a.config not in D.configs:
        sys.exit("nwdefs: unknown configuration '%s' (defs/nestwalk.toml has %s)"
                 % (a.config, " ".join(D.configs)))
    if a.what == "mask":
        print("0x%02x" % D.mask(a.config))
    elif a.yosys:
        print(" ".join("-chparam %s %d" % kv for kv in D.params(a.config).items()))
    else:
        print(" ".join("-G%s=%d" % kv for kv in D.params(a.config).items()))


if __name__ == "__main__":
    main()
