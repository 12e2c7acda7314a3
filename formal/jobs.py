"""Builds, jobs and mutants of the nestwalk formal flow (run.py)."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                                "scripts"))
import nwdefs  # noqa: E402

RTL_UNITS = ["nw_psc.v", "nw_ntlb.v", "nw_wc_array.v", "nw_dmt.v"]
RTL_TOP = ["nw_walker.v", "nw_walker_flat.v", "nw_regfile.v", "nw_walk_fsm.v", "nw_segment.v",
           "nw_filter.v", "nw_h3.v", "nw_pte.v"] + RTL_UNITS
RTL_FSM = ["nw_walk_fsm.v", "nw_segment.v", "nw_pte.v"] + RTL_UNITS

# configurations by their short names in the job names (defs/nestwalk.toml,
# flows.formal): every feature (5-level capable), 4-level only, and
# virtualization, shadow and filters left out (native with segments)
_D = nwdefs.load()
CONFIGS = {short: _D.params(cfg) for short, cfg in _D.flows["formal"].items()}

BUILDS = {}


# The walker's entry decode as fv_common.vh's lemma a_pte_ent sees it: the
# decode unit's inputs and the registers it is loaded into, connected to
# the wrapper's f_pte_* wires (prefix: the walk FSM's instance path)
_PTE_OUT = (("np", 1), ("rsv", 1), ("sw", 1), ("page", 1), ("leaf", 1), ("w", 1), ("u", 1),
            ("xd", 1), ("a", 1), ("size", 2), ("next", 40), ("pa", 52))


def _pte_taps(prefix, wc):
    # (without a walk cache nothing reads the A bit: no register of it is
    # left to tap, and the wrapper compares the others; fv_common.vh)
    ins = (("level", "level_i"), ("sw_en", "sw_en_i"), ("nxe", "nxe_i"), ("x", "x_i"),
           ("w_in", "w_i"), ("u_in", "u_i"), ("xd_in", "xd_i"))
    outs, lsb = [], sum(width for _, width in _PTE_OUT)   # f_pte_q's width
    for o, width in _PTE_OUT:
        lsb -= width
        if o != "a" or wc:
            outs.append("connect -set f_pte_q[%d:%d] %spte_%s" % (lsb + width - 1, lsb, prefix, o))
    return ["connect -nounset -set f_pte_%s %su_pte.%s" % (w, prefix, p) for w, p in ins] + outs


def _b(name, top, wrappers, rtl, params=None, cut=None, defines=None):
    if top in ("fv_top", "fv_fsm"):
        cut = _pte_taps("dut.u_fsm." if top == "fv_top" else "dut.",
                        "FV_WC" in (defines or [])) + (cut or [])
    BUILDS[name] = {"name": name, "top": top, "wrappers": wrappers, "rtl": rtl,
                    "params": params or {}, "cut": cut or [],
                    "defines": defines or []}


for _c, _p in CONFIGS.items():
    # (fv_top's reference model knows no walk caches; the FSM alone has none:
    # their sizes are its defaults, 0. With DMT the FSM gets one window a
    # dimension: see fv_fsm.v and P11)
    if not _p.get("ENABLE_WC"):
        _b("top-" + _c, "fv_top", ["fv_top.v"], RTL_TOP, _p)
    _b("fsm-" + _c, "fv_fsm", ["fv_fsm.v"], RTL_FSM, dict(_p, DMT_W=1) if _p["ENABLE_DMT"] else _p)
# Cutting the hash unit out of the nw_filter instance at `path` (yosys
# commands on the flattened wrapper, each failing if its net is missing):
# its hash becomes a free value, and the wrapper's wires hash_w and page_w
# get that hash and the page the unit was given. A build ends its cuts
# with a check that no XOR of a hash unit is left.
def _cut_h3(path, hash_w, page_w):
    return ["cutpoint w:%s.hash" % path,
            "connect -set %s %s.hash" % (hash_w, path),
            "connect -set %s %s.u_h3.page_i" % (page_w, path)]


_NO_XOR = ["opt_clean", "select -assert-none t:$xor"]


# top builds with every filter's hash unit cut out (fv_top HASHCUT): the
# guest (g) and host (h) filters of the walker (w) and of the copy (c)
def _hashcut():
    cut = []
    for f, w, c in (("g", "dut.u_regfile.g_gfilt.u_filt", "g_gf.u_gf"),
                    ("h", "dut.u_regfile.g_hfilt.u_filt", "g_hf.u_hf")):
        for side, path in (("w", w), ("c", c)):
            cut += _cut_h3(path, "f_%sh_%s" % (f, side), "f_%sp_%s" % (f, side))
    return cut + _NO_XOR


for _c in ("def", "la4"):
    _b("top-%s-hc" % _c, "fv_top", ["fv_top.v"], RTL_TOP, dict(CONFIGS[_c], HASHCUT=1),
       cut=_hashcut())


# the walk FSM with walk caches (every feature but DMT; and every feature,
# one DMT window a dimension as in fsm-dmt), the caches cut
# out (fv_common.vh, FV_WC): their answers free values the model sees, and
# the wrapper's f_*_look/f_*_ins wires driven by what the walker gives them
def _wccut():
    # every cell of the three units: their outputs any value in any cycle
    cut = ["cutpoint c:*u_gpsc.* c:*u_hpsc.* c:*u_ntlb.* %u %u"]
    # the PSCs' levels, and the walker's registers of the answers it uses
    cut += ["connect -set f_%s dut.%s" % (w, w)
            for w in ("gpsc_lvl", "hpsc_lvl", "gpsc_lvl_q", "gpsc_ent_q", "hpsc_lvl_q",
                      "hpsc_ent_q", "ntlb_hit_q")]
    cut += ["connect -set f_ntlb_hpa_q dut.ntlb_ent_q[39:0]"]
    psc = (("look", "look_x_i"), ("ins", "ins_i"), ("ins_lvl", "ins_level_i"),
           ("ins_x", "ins_x_i"), ("ins_data", "ins_data_i"))
    ntlb = (("look", "look_gpa_i"), ("ins", "ins_i"), ("ins_gpa", "ins_gpa_i"),
            ("ins_hpa", "ins_hpa_i"), ("ins_size", "ins_size_i"))
    for u, ports in (("gpsc", psc), ("hpsc", psc), ("ntlb", ntlb)):
        cut += ["connect -set f_%s_%s dut.u_%s.%s" % (u, f, u, port) for f, port in ports]
    # nothing of the units is left
    return cut + ["opt_clean", "select -assert-none c:*u_gpsc.* c:*u_hpsc.* c:*u_ntlb.*"]


_b("fsm-wc", "fv_fsm", ["fv_fsm.v"], RTL_FSM, _D.params("wc"), cut=_wccut(), defines=["FV_WC"])
_b("fsm-wcdmt", "fv_fsm", ["fv_fsm.v"], RTL_FSM, dict(CONFIGS["dmt"], DMT_W=1), cut=_wccut(),
   defines=["FV_WC"])
_b("snap-def", "fv_snap", ["fv_snap.v"], RTL_TOP, CONFIGS["def"])
_b("snap-novs", "fv_snap", ["fv_snap.v"], RTL_TOP, CONFIGS["novs"])
# every feature with the DMT windows' registers; the walk caches' arrays
# left out (sizes 0: their CTRL bit, flush register and counters stay)
_b("snap-dmt", "fv_snap", ["fv_snap.v"], RTL_TOP,
   dict(CONFIGS["dmt"], **{p: 0 for p, _, _ in _D.wc_params()}))
_b("seg", "fv_segment", ["fv_segment.v"], ["nw_segment.v"])
_b("dmtu", "fv_dmt", ["fv_dmt.v"], ["nw_dmt.v"])
# P7 cuts the hash unit out of the filter (see fv_filter.v); the last
# check: the cut left exactly one free value
_b("filt", "fv_filter", ["fv_filter.v"], ["nw_filter.v", "nw_h3.v"],
   cut=_cut_h3("dut", "f_hash", "f_hashed") + _NO_XOR
   + ["select -assert-count 1 t:$anyseq"])

# P10 on a walk-cache array: one slot, several (three: the FIFO wraps
# short of a power of two; four: two slots' indices ORed name a third),
# and sized entries as in the NTLB; covers of a PSC's hit at every level
for _n, _s in ((1, 0), (3, 0), (4, 0), (3, 1)):
    _b("wc-%d%s" % (_n, "s" if _s else ""), "fv_wc", ["fv_wc.v"], ["nw_wc_array.v"],
       {"N": _n, "SIZED": _s})
_b("psc", "fv_psc", ["fv_psc.v"], ["nw_psc.v", "nw_wc_array.v"])

JOBS = []


# assumptions a job keeps only when it asks for them: the memory's latency
# (P5's) and P3 as a lemma (P8's)
OPTIONAL = ["e_live_*", "e_p3_*"]


def _j(name, build, keep, engine="pdr", depth=0, cover=False, live=False, extra=False,
       drop=None, init0=False, limit=None, first=False, race=None, assume=None):
    # limit: the job's time limit in seconds, where not run.py's default;
    # first: started before the others, for it takes minutes where most
    # take seconds (formal/README.md, "Last measured runs"): begun last,
    # one worker would run it alone at the end;
    # race: seconds before the other engine joins, where not run.py's
    # RACE_AFTER: for a job whose own engine takes minutes, a second
    # engine joining early slows both and the jobs beside them;
    # assume: the optional assumptions (OPTIONAL) it keeps, besides e_live_*
    # with live
    JOBS.append({"name": name, "build": build, "keep": keep, "engine": engine,
                 "depth": depth, "cover": cover, "live": live, "extra": extra,
                 "assume": (["e_live_*"] if live else []) + (assume or []),
                 "drop": drop or [], "init0": init0, "limit": limit, "first": first,
                 "race": race})


# ---- proofs (unbounded) ----
for _c in ("def", "la4", "novs"):
    _j("p1-iface-top-" + _c, "top-" + _c, ["a_p1_*"])
    _j("p2-mem-top-" + _c, "top-" + _c, ["a_p2_*"])
    # (def, novs: scorr then PDR: with the walk FSM's addresses formed
    # apart from its decisions, PDR alone left P3 on def undecided at 900 s,
    # where the latches scorr proves equal merged first it takes 20-50 s;
    # on la4 too since the entry is decoded as it is taken: PDR had not
    # answered at 120 s when scorr joined, alone it takes 51 s; def: PDR
    # again since the walk caches' three-cycle lookup, for in the CI of
    # af8e141 scorr had not answered when PDR joined at 120 s and proved
    # it in 47 s)
    _j("p3-table-fsm-" + _c, "fsm-" + _c, ["a_p3_*"], engine="pdr" if _c == "def" else "scorr")
    # with filters: PDR alone did not decide it within the limit since the
    # filters answer over two cycles (def), nor on the netlist of the
    # registered walk-cache insert (la4: 37 s before, undecided at 900 s
    # after, the AIG the same size in another order); with the latches
    # scorr proves equal merged first it takes one to two minutes
    # (la4: extra, run by --only: undecided at 900 s since the entry is
    # decoded as it is taken, by scorr then PDR, with the lemma a_pte_ent
    # assumed and without it; it holds on fsm-def, every feature)
    # (def: which engine answers first changes with netlists a few gates
    # apart: scorr had not answered at 893 s on one, where PDR joined at
    # 600 s proved it; on af8e141's scorr took 246 s, PDR alone 205 s. PDR
    # first, scorr joining at 300 s, within a limit of its own)
    _j("p4-bound-fsm-" + _c, "fsm-" + _c, ["a_p4_*"], engine="scorr" if _c == "la4" else "pdr",
       first=_c == "def", extra=_c == "la4", race=300 if _c == "def" else None,
       limit=1500 if _c == "def" else None)
    # (extra with filters: there P5 did not finish within the time limit
    # since the walker is pipelined; the FSM job below is the proof)
    _j("p5-live-top-" + _c, "top-" + _c, ["a_p5_*"], live=True, extra=_c != "novs")
# P3, P4, P8 on the top: scorr proves the wrapper's copy of the
# configuration equal to the register file. With filters the copy's bits
# equal the walker's only through two H3 XOR trees, which neither scorr
# nor pdr decided on top-def in 16 minutes: there the hash units are cut
_j("p3-table-top-novs", "top-novs", ["a_p3_*"], engine="scorr")
_j("p4-bound-top-novs", "top-novs", ["a_p4_*"], engine="scorr")
# (extra, run by --only: P4 on top-def-hc and top-la4-hc, undecided at the
# time limit since the walker is pipelined, while P4 holds on the walk FSM
# of every configuration with any filter answers, and on top-novs; P3 on
# top-def-hc, 411-478 s before the filters' lookup became a pipeline and
# undecided at the 960 s limit after it (twice, on a loaded machine),
# while P3 holds on the walk FSM of every configuration with any filter
# answers, on top-novs, and P7 on the filter; P3 and P8 on top-la4-hc,
# 6-8 minutes each, to keep CI within its time: they hold on fsm-la4; P8
# on top-def-hc, 381-585 s before the walk caches were in the model and
# undecided at 960 s twice after, its AIG a few gates apart (the model
# unchanged without FV_WC but for line numbers), while P8 holds on the
# walk FSM of every configuration)
for _c in ("def", "la4"):
    for _p, _n in (("p3", "table"), ("p4", "bound"), ("p8", "agile")):
        _j("%s-%s-top-%s-hc" % (_p, _n, _c), "top-%s-hc" % _c, ["a_%s_*" % _p], engine="scorr",
           extra=True)
# the same properties on the walk FSM alone (cheaper; used by the mutants)
# (extra: run by the mutants only, not by `make formal`)
_j("p1-iface-fsm-def", "fsm-def", ["a_p1_*"], extra=True)
_j("p2-mem-fsm-def", "fsm-def", ["a_p2_*"], extra=True)
# (PDR alone: 477 s with one other job beside it, F431)
_j("p5-live-fsm-def", "fsm-def", ["a_p5_*"], live=True, first=True, race=600)
# (la4: scorr then PDR, 12 s; def: PDR, 18 s once it joined scorr at
# 120 s in the CI of af8e141, which had not answered)
for _c in ("def", "la4"):
    _j("p8-agile-fsm-" + _c, "fsm-" + _c, ["a_p8_*"], engine="pdr" if _c == "def" else "scorr",
       assume=["e_p3_*"])
# with DMT windows (four a dimension, any contents): the DMT read, its
# fall-back and host windows over every host translation
# (P4 extra, run by --only: 724 s here with three jobs on the 2 cores, and
# undecided at the time limit in one run while the machine was loaded more)
# (P8 with P3 assumed: 27 s; without, from 229 s to more than 1,400 s on
# netlists a few gates apart)
# (P3 by scorr then PDR: PDR alone had not answered at 120 s in the CI of
# af8e141, when scorr joined and answered; 73 s by PDR on earlier netlists)
for _p, _n in (("p3", "table"), ("p4", "bound"), ("p8", "agile")):
    _j("%s-%s-fsm-dmt" % (_p, _n), "fsm-dmt", ["a_%s_*" % _p], extra=_p == "p4",
       engine="scorr" if _p == "p3" else "pdr", assume=["e_p3_*"] if _p == "p8" else None)
# with walk caches: walks that start below the root (P3, P4, P8), and the
# caches' fills (P12); with DMT windows too (P4 extra, run by --only: 515 s
# here with two jobs on the 2 cores; P8 there not run: undecided at 754 s
# by scorr then PDR, 900 s by PDR, while it holds on fsm-wc and fsm-dmt)
# P4 on fsm-wc in parts: whole, undecided at 900 s in the clean-clone CI
# on the netlist of the three-cycle lookup (169-387 s before); refs and
# max 193 s (scorr), shadow 37 s, dual and vmm each undecided at 8 minutes
# alone (run by --only; they hold on the FSM without caches). In the CI
# of af8e141 PDR proved refs and max in 125 s after joining scorr at
# 120 s, and scorr then PDR answered P3 100 s after joining PDR: each now
# starts with the engine that answered.
_P4_WC = {"bound": ["a_p4_refs", "a_p4_max"], "shadow": ["a_p4_shadow"],
          "direct": ["a_p4_dual", "a_p4_vmm"]}
for _n, _k in _P4_WC.items():
    _j("p4-%s-fsm-wc" % _n, "fsm-wc", _k, extra=_n == "direct")
for _p, _n in (("p3", "table"), ("p8", "agile"), ("p12", "fill")):
    _j("%s-%s-fsm-wc" % (_p, _n), "fsm-wc", ["a_%s_*" % _p],
       engine="scorr" if _p == "p3" else "pdr", assume=["e_p3_*"] if _p == "p8" else None)
# (P3 by scorr then PDR: PDR alone undecided in an earlier run; both
# undecided at 900 s, alone on the 2 cores, since the walk caches' answers
# are registered between compare and use, where it took 73 s: run by
# --only, as P4)
for _p, _n in (("p3", "table"), ("p4", "bound"), ("p12", "fill")):
    _j("%s-%s-fsm-wcdmt" % (_p, _n), "fsm-wcdmt", ["a_%s_*" % _p], extra=_p != "p12",
       engine="scorr" if _p == "p3" else "pdr")
# (the two units are combinational: an AIG for abc, whose structural
# hashing and SAT answer in seconds; z3 k-induction on the word-level SMT
# repeated its base case in the induction step, for P11 two to three
# minutes)
_j("p6-segment", "seg", ["a_p6_*"])
_j("p11-dmt-unit", "dmtu", ["a_p11_*"])
# P7 on the filter with its hash unit cut out (any hash function)
_j("p7-filter", "filt", ["a_p7_*"])
for _b_name in ("wc-1", "wc-3", "wc-4", "wc-3s"):
    _j("p10-cache-" + _b_name, _b_name, ["a_p10_*"])
# (scorr then PDR: 33 s, PDR alone 122 s in the CI of af8e141)
_j("p9-snapshot-top-novs", "snap-novs", ["a_p9_*"], drop=["e_p9_closed"], engine="scorr")
_j("p9-lemma-top-def", "snap-def", ["a_p9_closed"], drop=["e_p9_closed"])
# every feature: PDR alone did not converge in 15 minutes (two walkers, 3,300
# latches); with both walkers powered up alike (registers without reset at
# 0, init0) and the lemma assumed, abc's scorr proves every latch of B equal
# to its twin in A, and the property follows
_j("p9-snapshot-top-def", "snap-def", ["a_p9_same", "a_p9_regport"], engine="scorr",
   init0=True)
# (extra, run by --only, to keep CI within its time: the DMT windows are
# registers of the register file like those of def's proof, 10 minutes)
_j("p9-lemma-top-dmt", "snap-dmt", ["a_p9_closed"], drop=["e_p9_closed"], extra=True)
_j("p9-snapshot-top-dmt", "snap-dmt", ["a_p9_same", "a_p9_regport"], engine="scorr",
   init0=True, extra=True)

# ---- covers (each must be reached: a trace under build/formal/<name>/) ----
for _n in (1, 2, 3):
    _j("c_p1_%d-top-def" % _n, "top-def", ["c_p1_%d" % _n], "bmc3", 30, cover=True)
for _n in (1, 2):
    _j("c_p2_%d-top-def" % _n, "top-def", ["c_p2_%d" % _n], "bmc3", 30, cover=True)
# depths: a read takes at least 3 cycles (presented and taken, answered,
# decoded), a gPA handed over 2 (HLOOK, HOST), the start 2 (LOOK, START)
for _n, _d in ((1, 100), (2, 135), (3, 20)):
    _j("c_p3_%d-fsm-def" % _n, "fsm-def", ["c_p3_%d" % _n], "bmc3", _d, cover=True)
# (c_p4_1, a response after 35 reads, to its frame 121: by bmc3 106 s
# against PDR's 138 s side by side on the netlist of the address selects
# as flip-flops, 175 s in its clean-clone CI; PDR had taken 63 s against
# bmc3's 137 s on af8e141's. c_p3_2's 35th read 98 s by bmc3 against
# PDR's 191)
for _n, _d in ((1, 135), (2, 10), (3, 35), (4, 20)):
    _j("c_p4_%d-fsm-def" % _n, "fsm-def", ["c_p4_%d" % _n], "bmc3", _d, cover=True)
for _n, _d in ((5, 25), (6, 40)):
    _j("c_p3_%d-fsm-dmt" % _n, "fsm-dmt", ["c_p3_%d" % _n], "bmc3", _d, cover=True)
_j("c_p4_5-fsm-dmt", "fsm-dmt", ["c_p4_5"], "bmc3", 25, cover=True)
for _n, _d in ((1, 25), (2, 30), (3, 25), (4, 25), (5, 25)):
    _j("c_p12_%d-fsm-wc" % _n, "fsm-wc", ["c_p12_%d" % _n], "bmc3", _d, cover=True)
_j("c_p3_4-top-def-hc", "top-def-hc", ["c_p3_4"], "bmc3", 20, cover=True)
_j("c_p5_1-top-def", "top-def", ["c_p5_1"], "bmc3", 40, cover=True, live=True)
for _n in (1, 2, 3):
    _j("c_p6_%d-segment" % _n, "seg", ["c_p6_%d" % _n], "smtbmc", 1, cover=True)
for _n in (1, 2):
    _j("c_p11_%d-dmt-unit" % _n, "dmtu", ["c_p11_%d" % _n], "smtbmc", 1, cover=True)
# (a lookup of P answered: P's insert, its four bits, the lookup's five
# cycles and the reset cycle)
for _n in (1, 2, 3):
    _j("c_p7_%d-filter" % _n, "filt", ["c_p7_%d" % _n], "bmc3", 14, cover=True)
for _n, _d in ((1, 30), (2, 60)):
    _j("c_p8_%d-fsm-def" % _n, "fsm-def", ["c_p8_%d" % _n], "bmc3", _d, cover=True)
_j("c_p9_1-top-def", "snap-def", ["c_p9_1"], "bmc3", 20, cover=True)
# a hit, then an eviction after N + 1 inserts
for _n, _d in ((1, 5), (2, 10)):
    _j("c_p10_%d-wc-3s" % _n, "wc-3s", ["c_p10_%d" % _n], "bmc3", _d, cover=True)
for _n in (3, 4, 5, 6):
    _j("c_p10_%d-psc" % _n, "psc", ["c_p10_%d" % _n], "bmc3", 5, cover=True)

# the entry decode's lemma (fv_common.vh, a_pte_ent), which every other job
# on these builds assumes: on each build a job of the flow uses
for _bn, _bd in list(BUILDS.items()):
    _users = [_x for _x in JOBS if _x["build"] == _bn]
    if _bd["top"] in ("fv_top", "fv_fsm") and _users:
        _j("pte-lemma-" + _bn, _bn, ["a_pte_ent"], drop=["e_pte_ent"],
           extra=all(_x["extra"] for _x in _users))


def job(name):
    for j in JOBS:
        if j["name"] == name:
            return j
    raise KeyError(name)


# Deliberate bugs, each applied to a copy of rtl/ under
# build/formal/mutants/NAME/rtl: the one place of `file` with the tokens of
# `old` (whatever its spacing and line breaks) is replaced by `new`. Each
# named job must then fail (`make formal-mutants` passes when every mutant
# is caught); a mutant whose `old` is found other than once fails too.
def _m(name, file, old, new, *jobs, bmc=False):
    # bmc: its jobs search the counterexample with bmc3, whatever their
    # proof's engine
    MUTANTS.append({"name": name, "file": file, "old": old, "new": new, "jobs": jobs,
                    "bmc": bmc})


MUTANTS = []
_F = "nw_walk_fsm.v"
# a truncated page number: the next table's address loses bits 51:48
_m("trunc-next", "nw_pte.v", "assign next_o = pte_i[51:12];",
   "assign next_o = {4'd0, pte_i[47:12]};", "p3-table-fsm-def", "p3-table-top-novs")
# a truncated gPA page number in the host walk's index (5-level host)
# (by bmc3: PDR on p3-table-fsm-def ran past the time limit on the netlist
# of the registered walk-cache insert; bmc3 finds it at depth 6 in 8 s)
_m("trunc-hpage", _F, "h_root = entry_addr(hcr3_i, {5'd0, gpa_q[51:12]}, hlevels);",
   "h_root = entry_addr(hcr3_i, {9'd0, gpa_q[47:12]}, hlevels);",
   "p3-table-fsm-def", "p3-table-top-def-hc", bmc=True)
# a dropped ready check on the memory request: the read is dropped
_m("drop-mreq-ready", _F, "if (mem_req_ready_i) begin", "if (1'b1) begin",
   "p1-iface-fsm-def")
# a dropped ready check on the response
_m("drop-resp-ready", _F, "if (resp_ready_i) begin", "if (1'b1) begin",
   "p1-iface-fsm-def")
# the response carries a stale id
_m("stale-id", _F, "id_d = req_id_i;", "id_d = id_q;", "p1-iface-fsm-def")
# a request accepted in the cycle of a register access
_m("reg-prio", _F, "assign req_ready_o = state_q == S_IDLE && !reg_valid_i;",
   "assign req_ready_o = state_q == S_IDLE;", "p1-iface-fsm-def")
# entry addresses not 8-byte aligned
_m("misalign", _F, "entry_addr = {table_f, index, 3'd0};",
   "entry_addr = {table_f, index, level_f};",
   "p2-mem-fsm-def")
# the guest level does not go down: walks without end (by bmc3: PDR on
# p4-bound-fsm-def had not found the counterexample at 300 s, when scorr
# joined and found it at 334 s; bmc3 at frame 17)
_m("level-stuck", _F, "glevel_d = glevel_q - 3'd1;", "glevel_d = glevel_q;",
   "p4-bound-fsm-def", "p4-bound-top-novs", bmc=True)
# the host segment is not used for the final gPA: Dual Direct walks
_m("dual-walks", _F, "if (hseg_hit_q && !hesc_q) begin", "if (hseg_hit_q && !hesc_q && h_gpt) begin",
   "p4-bound-fsm-def", "p4-bound-top-def-hc")
# an agile switch that stays in the shadow table (P8 on the FSM assumes
# P3, which the switch's next read breaks: P3 there catches it; by bmc3,
# cex@10: PDR had not found it at 120 s, scorr then PDR at 154 s)
_m("no-switch", _F, "shadow_d = shadow_q && !pte_sw;", "shadow_d = shadow_q;",
   "p3-table-fsm-def", "p8-agile-top-def-hc", bmc=True)
# a memory response that is not taken: the walk hangs
_m("hang", _F, "if (mem_resp_valid_i) state_d = S_ENTRY;",
   "if (mem_resp_valid_i && !mem_resp_data_i[62]) state_d = S_ENTRY;",
   "p5-live-fsm-def")
# register writes accepted during a walk; on novs only: on def (bmc3, its
# job being scorr) the counterexample is no longer at frame 4 since the
# port's ready is a flop, and bmc3 from frame 4 through the two walkers'
# H3 XOR trees found none within the time limit
_m("reg-open", "nw_walker.v", ".acc_i (reg_valid_i && reg_ready_o)", ".acc_i (reg_valid_i)",
   "p9-snapshot-top-novs")
# segment limit inclusive
_m("seg-limit", "nw_segment.v", "- {1'b0, limit_i};", "- {1'b0, limit_i} - 53'd1;",
   "p6-segment")
# an insert sets only three of the four hashed bits
_m("filt-3bits", "nw_filter.v", "wire set = |step_q[4:1];", "wire set = |step_q[3:1];", "p7-filter")
# an insert clears the bits of the pages inserted before it
_m("filt-ins-clears", "nw_filter.v", "if (rst_i || clear_i)", "if (rst_i || clear_i || ins_i)",
   "p7-filter")
# a lookup's AND not started at its first hash (the last lookup's result
# carried into it)
_m("filt-and-carry", "nw_filter.v", "wire hit_w = bit_w && (look_q[1] || and_q);",
   "wire hit_w = bit_w && and_q;", "p7-filter")
# the walker takes the guest filter's answer after three bits, before
# the fourth is read (by bmc3, cex@7: PDR had not found it at 120 s,
# scorr then PDR at 167 s)
_m("filt-early", _F, "wire g_ans = gflook_q[4] || (|gflook_q[3:1] && !gfilt_hit_i);",
   "wire g_ans = gflook_q[3] || (|gflook_q[3:1] && !gfilt_hit_i);", "p3-table-fsm-def",
   bmc=True)
# the highest DMT window wins where windows overlap
_m("dmt-highest", "nw_dmt.v", "for (w = 3; w >= 0; w = w - 1) begin",
   "for (w = 0; w < 4; w = w + 1) begin", "p11-dmt-unit")
# a guest TEA address read as an hPA without PV: no host translation
_m("dmt-no-host", _F, "direct   = !virt || gdmt_pv_q;", "direct = 1'b1;", "p3-table-fsm-dmt")
# a walk-cache flush that leaves the entries valid
_m("wc-no-flush", "nw_wc_array.v", "if (rst_i || flush_i) begin", "if (rst_i) begin",
   "p10-cache-wc-3")
# a flush that leaves an insert not yet written to be written after it
_m("wc-flush-pending", "nw_wc_array.v", "ins_q   <= 1'b0;", "ins_q <= ins_i && !rst_i;",
   "p10-cache-wc-3")
# an entry's data written to the first slot, whichever slot its key goes to
_m("wc-data-slot", "nw_wc_array.v", "data_q[next_q] <= ins_data_q;", "data_q[0] <= ins_data_q;",
   "p10-cache-wc-3")
# two slots holding the key answered as a hit (its index the OR of theirs)
_m("wc-multi", "nw_wc_array.v", "assign any_o  = |g_any && !multi;", "assign any_o  = |g_any;",
   "p10-cache-wc-4")
# the first read below a guest PSC hit indexed with the hit's level
_m("wc-gindex", _F, "g_root = entry_addr(gpsc_ent_q[39:0], va_q[56:12], gpsc_lvl_q - 3'd1);",
   "g_root = entry_addr(gpsc_ent_q[39:0], va_q[56:12], gpsc_lvl_q);", "p3-table-fsm-wc")
# the guest PSC looked up with the VA's bits above a 4-level walk's reach
_m("wc-gkey", _F, "gkey_q <= reach(req_va_i[56:21]);", "gkey_q <= req_va_i[56:21];",
   "p12-fill-fsm-wc")
# the guest PSC given a nested walk's entry at the level below its own
_m("wc-keep-level", _F, "gkins_q ? glevel_q + 3'd1 : glevel_q", "glevel_q", "p12-fill-fsm-wc")
# the NTLB given a host DMT read's leaf
_m("wc-ntlb-dmt", _F, "ntlb_ins     = wc_en && pte_a && !hdmt_q;", "ntlb_ins = wc_en && pte_a;",
   "p12-fill-fsm-wcdmt")
