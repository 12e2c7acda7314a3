#!/usr/bin/env python3
"""Collects the results of the synthesis flow (synth/run.sh) into
build/synth/report.md and build/synth/report.json, and the critical path
of every configuration placed on an FPGA family into
build/synth/CONFIG/critical_path_FAMILY.txt.

The configurations, their parameters and labels come from
defs/nestwalk.toml; the flow asks this script for them too:
The configurations come from defs/nestwalk.toml (scripts/nwdefs.py).

Python 3 standard library only. Exits non-zero when a configuration's
results are missing (a step failed), or when a configuration that must fit
a device does not; with 2 when a configuration is not in the table.
"""
import argparse
import json
import os
import re
import statistics
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                                "scripts"))
import gen_defs  # noqa: E402
import nwdefs  # noqa: E402

DEFS = nwdefs.load()
ICE40_LC = 7680  # iCE40 HX8K
# The FPGA families: the device, the utilisation line of its logic cells
# (the ones that decide whether a design fits) and the report's headings.
FAMILIES = {
    "ice40": {"device": "iCE40 HX8K", "lc": "ICESTORM_LC", "unit": "logic cells",
              "title": "iCE40 HX8K (yosys synth_ice40 + nextpnr-ice40)"},
    "ecp5": {"device": "ECP5 LFE5U-25F", "lc": "TRELLIS_COMB",
             "unit": "LUT4 (TRELLIS_COMB)",
             "title": "ECP5 LFE5U-25F (yosys synth_ecp5 + nextpnr-ecp5)"},
}


def read(path):
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return f.read()
    except OSError:
        return None


def read_json(path):
    text = read(path)
    if text is None:
        return None
    # `tee -o` also writes the command's log lines; the JSON starts at '{'
    start = text.find("{")
    return json.loads(text[start:]) if start >= 0 else None


def read_time(path):
    text = read(path)
    try:
        return int(text.strip()) if text else None
    except ValueError:
        return None


def stat_cells(stat):
    """num_cells_by_type of the top (only) module of a `stat -json`."""
    design = stat.get("design") or {}
    if "num_cells_by_type" in design:
        return design["num_cells"], dict(design["num_cells_by_type"])
    mod = next(iter(stat["modules"].values()))
    return mod["num_cells"], dict(mod["num_cells_by_type"])


def is_ff(cell_type):
    t = cell_type.upper()
    return "DFF" in t or t.startswith("TRELLIS_FF") or t.startswith("$_FF_")


def generic_results(d, step="generic"):
    """The generic step's results in d; step: its name, whose .time file
    holds its wall time (the AXI walker's is axi-generic)."""
    stat = read_json(os.path.join(d, "generic-stat.json"))
    if stat is None:
        return None
    cells, by_type = stat_cells(stat)
    res = {
        "cells": cells,
        "cells_by_type": by_type,
        "flip_flops": sum(n for t, n in by_type.items() if is_ff(t)),
        "time_s": read_time(os.path.join(d, step + ".time")),
    }
    cmos = read(os.path.join(d, "cmos.txt")) or ""
    m = re.search(r"Estimated number of transistors:\s*(\d+)(\+?)", cmos)
    res["transistors"] = int(m.group(1)) if m else None
    res["transistors_exact"] = bool(m) and m.group(2) != "+"
    m = re.search(r"Number of cells:\s*(\d+)", cmos)
    res["cmos_cells"] = int(m.group(1)) if m else None
    ltp = read(os.path.join(d, "ltp.txt")) or ""
    m = re.search(r"Longest topological path in \S+ \(length=(\d+)\)", ltp)
    res["ltp_cells"] = int(m.group(1)) if m else None
    nodes = re.findall(r"^\s*(?:\d+|ff):\s*(\S+(?: \[\d+\])?)", ltp, re.M)
    named = [n for n in nodes if n.startswith("\\")]
    res["ltp_from"] = named[0][1:] if named else None
    res["ltp_to"] = named[-1][1:] if named else None
    res["ltp_named"] = [n[1:] for n in named]
    latches = read(os.path.join(d, "latch-raw.txt")) or ""
    res["dead_latches_after_proc"] = [
        l.strip() for l in latches.splitlines() if "/" in l and "$" in l]
    return res


def core_name(name):
    """A name of the core, without the wrapper's instance path (the AXI
    walker's own flip-flops keep no prefix, its walker's keep u_walker)."""
    return re.sub(r"^(g_(walker|axi)\.)?u_core\.(u_walker\.|u_axi_walker\.)?", "", name)


def clean_name(name):
    """The RTL signal behind a name that synthesis and packing extended
    (u_core.u_walker.u_fsm.va_q_SB_DFFESR_Q_51_DFFLC -> u_fsm.va_q)."""
    if not name:
        return name
    return core_name(re.split(r"_SB_|_TRELLIS|_LUT4|_CCU2|_PFUMX|_L6MUX|_DFFLC|"
                              r"_LC\b|\$|_DFF|_SDFF|_ALU|_MUX|_CARRY", name)[0])


def bit_name(name, i, width):
    return name + ("[%d]" % i if width != 1 else "")


# the parameter widths of the wrapper's cores (synth/nw_ooc.v's defaults)
OOC_WIDTHS = {"ID_WIDTH": 8, "AXI_ID_WIDTH": 1}


def width(w):
    """A width or offset of the flat buses (gen_defs: "245 + AXI_ID_WIDTH")
    as a number."""
    return sum(int(t) if t.isdigit() else OOC_WIDTHS[t]
               for t in str(w).split(" + "))


def core_port(direction, k, axi=False):
    """The port bit of the core at bit k of its flat input or output bus
    (nw_walker_flat's, or nw_axi_walker_flat's with axi): "input
    mem_resp_data_i[24]"."""
    P = gen_defs.Ports(DEFS.data["port"])
    if axi:
        P = gen_defs.axi_ports(DEFS, P)
    ports, _, _ = P.flat(direction)
    for p, off in reversed(ports):
        if k >= width(off):
            return "%s %s" % (direction, bit_name(p["name"], k - width(off), width(p["width"])))
    return None


def flop_namer(netlist, axi=False):
    """A function from the cell of a placed flip-flop to the RTL bit it
    holds ("u_fsm.state_q[2]"), read from the netlist that went into place
    and route (FAMILY.json); the wrapper's registers in_q and out_q
    (synth/nw_ooc.v) are named by the core port bit they stand for. The
    iCE40 packer names a logic cell that holds a LUT and its flip-flop
    after the LUT: that one is followed from the LUT's output to the
    flip-flop it feeds."""
    if netlist is None:
        return clean_name
    top = netlist["modules"]["nw_ooc"]
    cells = top["cells"]
    names = {}
    for n, v in top["netnames"].items():
        if not v.get("hide_name"):
            for i, b in enumerate(v["bits"]):
                names.setdefault(b, []).append((n, v.get("offset", 0) + i,
                                                len(v["bits"])))
    ff_by_d = {}
    for c in cells.values():
        d = c["connections"].get("D") or c["connections"].get("DI")
        if d and "Q" in c["connections"]:
            ff_by_d[d[0]] = c
    wrapper = {"in_q": "input", "out_q": "output"}

    def name(cell):
        if not cell:
            return cell
        c = cells.get(cell) or cells.get(re.sub(r"_(DFF)?LC$", "", cell))
        if c is not None and "Q" not in c["connections"]:
            out = c["connections"].get("O") or [None]
            c = ff_by_d.get(out[0])
        if c is None:
            return clean_name(cell)
        held = names.get(c["connections"]["Q"][0], [])
        for n, i, _ in held:
            if n in wrapper:
                return core_port(wrapper[n], i, axi)
        if not held:
            return clean_name(cell)
        regs = [h for h in held if h[0].endswith("_q")] or held
        n, i, w = min(regs, key=lambda h: len(h[0]))
        return bit_name(core_name(n), i, w)
    return name


LUT_OUT = ("O", "F", "OFX", "Z")
CARRY_OUT = ("COUT", "FCO", "CO")


def pnr_path_summary(path, flop_name, axi=False):
    """Start, end, levels, delays and signals of a nextpnr JSON path."""
    segs = path.get("path", [])
    if not segs:
        return None
    logic = [s for s in segs if s.get("type") == "logic"]
    routing = [s for s in segs if s.get("type") == "routing"]
    total = sum(s.get("delay", 0.0) for s in segs)
    first = segs[0]
    start = (first.get("to") if first.get("type") == "clk-to-q"
             else first.get("from")) or {}
    nets = []
    for s in routing:
        n = clean_name(s.get("net"))
        # the wrapper's input register carries a core input
        m = re.match(r"in_q\[(\d+)\]$", n or "")
        if m:
            n = core_port("input", int(m.group(1)), axi)
        if n and n not in nets:
            nets.append(n)
    return {
        "from": flop_name(start.get("cell")),
        "to": flop_name(segs[-1].get("to", {}).get("cell")),
        "from_cell": start.get("cell"),
        "to_cell": segs[-1].get("to", {}).get("cell"),
        "logic_levels": sum(1 for s in logic
                            if s.get("to", {}).get("port") in LUT_OUT),
        "carry_steps": sum(1 for s in logic
                           if s.get("to", {}).get("port") in CARRY_OUT),
        "delay_ns": round(total, 2),
        "logic_ns": round(sum(s.get("delay", 0.0) for s in segs
                              if s.get("type") != "routing"), 2),
        "routing_ns": round(sum(s.get("delay", 0.0) for s in routing), 2),
        "signals": nets,
    }


def clock_section(log):
    """The clock-to-clock critical path report of a nextpnr log (the last
    one printed, i.e. after routing), and the RTL lines it goes through."""
    if not log:
        return None, []
    starts = [m.start() for m in re.finditer(
        r"^Info: Critical path report for clock .*$", log, re.M)]
    if not starts:
        return None, []
    text = log[starts[-1]:]
    end = re.search(r"^Info: *\n|^Info: Critical path report for cross|"
                    r"^Info: Max delay|^Warning: Max frequency", text[1:], re.M)
    if end:
        text = text[:end.start() + 1]
    srcs = []
    for m in re.finditer(r"^Info:\s+(/\S+:\d+)[.\d-]*\s*$", text, re.M):
        loc = m.group(1)
        # the techmap library, line 0 and the wrappers' port lists (on
        # every path into or out of the core) say nothing of the RTL
        if ("/share/yosys/" in loc or "/synth/nw_ooc.v" in loc
                or "/rtl/nw_walker_flat.v" in loc
                or "/rtl/nw_axi_walker_flat.v" in loc
                or loc.endswith(":0")):
            continue
        loc = re.sub(r"^.*/(rtl/[^/]+)$", r"\1", loc)
        if loc not in srcs:
            srcs.append(loc)
    return text.rstrip() + "\n", srcs


def pnr_results(d, family, axi=False):
    report = read_json(os.path.join(d, family + "-pnr.json"))
    log = read(os.path.join(d, family + "-pnr.log"))
    nofit = os.path.exists(os.path.join(d, family + "-pnr.nofit"))
    why = (read(os.path.join(d, family + "-pnr.nofit")) or "").strip() if nofit else ""
    stat = read_json(os.path.join(d, family + "-stat.json"))
    res = {
        "fit": not nofit,
        "nofit": why,
        # a placement its time limit stopped (run.sh)
        "unrouted": os.path.exists(os.path.join(d, family + "-pnr.unrouted")),
        "critical_path": None,
        "time_s": (read_time(os.path.join(d, family + "-syn.time")) or 0)
                  + (read_time(os.path.join(d, family + "-pnr.time")) or 0),
    }
    if stat is not None:
        res["synth_cells"] = stat_cells(stat)[1]
    util = {}
    for m in re.finditer(r"^Info:\s+([A-Z0-9_]+):\s+(\d+)/\s*(\d+)", log or "",
                         re.M):
        util[m.group(1)] = {"used": int(m.group(2)),
                            "available": int(m.group(3))}
    if report is not None:
        for k, v in report.get("utilization", {}).items():
            util[k] = {"used": v["used"], "available": v["available"]}
    res["utilization"] = util
    if nofit:
        return res
    if report is None:
        return None
    fmax = [v for k, v in report.get("fmax", {}).items()]
    if fmax:
        res["fmax_mhz"] = round(min(v["achieved"] for v in fmax), 2)
        res["target_mhz"] = fmax[0].get("constraint")
    clk_paths = [p for p in report.get("critical_paths", [])
                 if p.get("from", "").startswith("posedge")
                 and p.get("to", "").startswith("posedge")]
    section, srcs = clock_section(log)
    if clk_paths and section:
        cp = pnr_path_summary(
            clk_paths[0], flop_namer(read_json(os.path.join(d, family + ".json")), axi), axi)
        cp["rtl"] = srcs
        res["critical_path"] = cp
        res["_section"] = section
    return res


def seed_fmax(r, d, seeds, c, errors, axi=False):
    """Adds the Fmax of every seed (seed 1 is the flow's own placement) and
    their median to an ECP5 result: one seed's figure can be luck."""
    fmax = {"1": r.get("fmax_mhz")}
    for s in seeds:
        rs = pnr_results(os.path.join(d, "ecp5-seed%s" % s), "ecp5", axi)
        if rs is not None and rs["nofit"]:
            errors.append("%s (seed %s)" % (rs["nofit"], s))
            return
        if rs is None or rs.get("fmax_mhz") is None:
            errors.append("%s: ECP5 place and route results of seed %s missing" % (c, s))
            return
        fmax[s] = rs["fmax_mhz"]
    r["fmax_by_seed_mhz"] = fmax
    r["fmax_median_mhz"] = statistics.median(fmax.values())


def logic_cells(family, res):
    return res.get("utilization", {}).get(FAMILIES[family]["lc"], {})


def delta(cur, prev):
    if cur is None or prev is None:
        return ""
    d = cur - prev
    return "+%d" % d if d >= 0 else "%d" % d


def fmt(v, nd=None):
    if v is None:
        return "-"
    if isinstance(v, float):
        return "%.1f" % v
    return str(v)


def write_critical_path(path, row, fam, res, section):
    """nextpnr's report of the path (section of its log), under a summary."""
    cp = res["critical_path"]
    head = [
        "# Critical path of configuration '%s' (%s) on the %s, post-route" % (
            row["name"], row["label"], FAMILIES[fam]["device"]),
        "# %.2f ns (Fmax %s MHz): %d LUT levels and %d carry steps, "
        "%.2f ns in cells + %.2f ns routing" % (
            cp["delay_ns"], res.get("fmax_mhz"), cp["logic_levels"],
            cp["carry_steps"], cp["logic_ns"], cp["routing_ns"]),
        "# From %s to %s" % (cp["from"], cp["to"]),
        "# Signals along the path: %s" % " -> ".join(cp["signals"]),
        "# RTL lines along the path: %s" % ", ".join(cp["rtl"]),
        "",
    ]
    with open(path, "w") as f:
        f.write("\n".join(head) + section)


def tool_versions(out):
    text = read(os.path.join(out, "versions.txt")) or ""
    return [l.strip() for l in text.splitlines() if l.strip()]


def fpga_results(row, d, c, want, nofit_ok, a, errors, notes):
    """The place and route results of configuration c's row (the bare or
    the AXI walker's, in directory d) on every family it is wanted on."""
    axi = "axi_of" in row
    for fam, info in FAMILIES.items():
        if c not in want[fam]:
            continue
        r = pnr_results(d, fam, axi)
        crit = os.path.join(d, "critical_path_%s.txt" % fam)
        if r is None:
            errors.append("%s: %s place and route results missing" % (row["name"], fam))
        elif r["unrouted"]:
            errors.append(r["nofit"])
        elif not r["fit"]:
            lc = logic_cells(fam, r)
            msg = "%s does not fit the %s (%s logic cells used of %s%s)" % (
                "the AXI walker of " + c if axi else c, info["device"], lc.get("used"),
                lc.get("available"),
                "; the placer finds no legal placement" if "placer" in r["nofit"] else "")
            (notes if (fam == "ice40" and c in nofit_ok) else errors).append(msg)
            if os.path.exists(crit):
                os.remove(crit)
        elif r["critical_path"] is None:
            errors.append("%s: no clock-to-clock critical path in %s" % (
                row["name"], os.path.join(d, fam + "-pnr.log")))
        else:
            write_critical_path(crit, row, fam, r, r.pop("_section"))
            r["critical_path"]["file"] = os.path.relpath(crit, a.out)
            if fam == "ecp5" and a.ecp5_seeds.split():
                seed_fmax(r, d, a.ecp5_seeds.split(), row["name"], errors, axi)
        row[fam] = r


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--out", default="build/synth")
    ap.add_argument("--configs", default=" ".join(DEFS.flows["synth"]))
    ap.add_argument("--generic", default=None,
                    help="configurations with generic results (default: all)")
    ap.add_argument("--ice40", default="")
    ap.add_argument("--ecp5", default="")
    ap.add_argument("--ecp5-seeds", default="",
                    help="further placement seeds of each ECP5 configuration, "
                         "placed under CONFIG/ecp5-seedN (the Fmax median)")
    ap.add_argument("--axi", default="",
                    help="configurations whose AXI walker (OUT/axi-CONFIG, run.sh "
                         "axi-generic and axi-FAMILY-*) gets a row in the generic table "
                         "and in that of each family its bare walker is placed on")
    ap.add_argument("--nofit-ok", default="")
    ap.add_argument("--filter", default=None,
                    help="directory of run.sh filter-generic (one escape filter alone)")
    ap.add_argument("--wall", default=None, help="file with the wall seconds")
    ap.add_argument("--name", default="report")
    a = ap.parse_args()

    configs = a.configs.split()
    unknown = [c for c in configs if c not in DEFS.configs]
    if unknown:
        sys.stderr.write("synth: unknown configuration '%s' (defs/nestwalk.toml has %s)\n"
                         % (unknown[0], " ".join(DEFS.configs)))
        return 2
    if not os.path.isdir(a.out):
        sys.stderr.write("synth: no results directory '%s' (run `make synth`)\n" % a.out)
        return 1
    want_generic = (a.generic.split() if a.generic is not None else configs)
    want = {"ice40": a.ice40.split(), "ecp5": a.ecp5.split()}
    nofit_ok = set(a.nofit_ok.split())
    errors, notes = [], []

    rows = []
    for c in configs:
        d = os.path.join(a.out, c)
        row = {"name": c, "label": DEFS.label(c), "parameters": DEFS.params(c)}
        if c in want_generic:
            g = generic_results(d)
            if g is None:
                errors.append("%s: generic synthesis results missing" % c)
            row["generic"] = g
            if g and g["dead_latches_after_proc"]:
                notes.append("%s: `proc` inferred latches on signals nothing "
                             "reads (removed by opt_clean, not fatal): %s"
                             % (c, ", ".join(g["dead_latches_after_proc"])))
        fpga_results(row, d, c, want, nofit_ok, a, errors, notes)
        rows.append(row)

    # the AXI walker of a configuration: on the families its bare walker
    # is placed on, and allowed not to fit the iCE40 where that one is (it
    # is the larger)
    for c in a.axi.split():
        d = os.path.join(a.out, "axi-" + c)
        g = generic_results(d, "axi-generic")
        if g is None:
            errors.append("axi-%s: generic synthesis results of the AXI walker missing" % c)
        row = {"name": "axi-" + c, "label": "AXI walker (nw_axi_walker), " + DEFS.label(c),
               "parameters": DEFS.params(c), "generic": g, "axi_of": c}
        fpga_results(row, d, c, want, nofit_ok, a, errors, notes)
        rows.append(row)

    filt = None
    if a.filter:
        filt = generic_results(a.filter, "filter-generic")
        if filt is None:
            errors.append("filter: generic synthesis results of nw_filter missing")

    wall = read_time(a.wall) if a.wall else None
    steps = 0
    for row in rows:
        for fam in ("generic", "ice40", "ecp5"):
            if row.get(fam):
                steps += row[fam].get("time_s") or 0
    result = {
        "tools": tool_versions(a.out),
        "wall_time_s": wall,
        "step_time_s": steps,
        "ice40_device": "iCE40 HX8K (ct256), %d logic cells" % ICE40_LC,
        "ecp5_device": "LFE5U-25F (CABGA381), speed 6" if want["ecp5"] else None,
        "ltp_unit": "cells of Yosys's internal gate library after `synth` "
                    "(AND/OR/XOR/MUX/NOT...), flip-flops excluded; not time",
        "wrapper": "FPGA figures include the nw_ooc wrapper: NI + NO + 1 + "
                   "ceil(NO / 16) flip-flops (499 for nw_walker with ID_WIDTH = 8, "
                   "563 for the AXI walker), about one logic cell each",
        "configurations": rows,
        "filter": filt,
        "notes": notes,
        "errors": errors,
    }
    with open(os.path.join(a.out, a.name + ".json"), "w") as f:
        json.dump(result, f, indent=2, sort_keys=False)
        f.write("\n")

    md = render_md(result, rows, want)
    with open(os.path.join(a.out, a.name + ".md"), "w") as f:
        f.write(md)
    sys.stdout.write(md)
    if errors:
        sys.stderr.write("synth: FAILED:\n  " + "\n  ".join(errors) + "\n")
        return 1
    return 0


def render_md(result, rows, want):
    L = []
    L.append("# nw_walker synthesis report\n")
    L.append("Tools: " + "; ".join(result["tools"]) + ".")
    if result["wall_time_s"] is not None:
        L.append(" Wall time of this make run: %d s (it rebuilds only what "
                 "changed)." % result["wall_time_s"])
    L.append(" Sum of the tool steps' wall times: %d s." % result["step_time_s"])
    L.append("\n")

    grows = [r for r in rows if r.get("generic")]
    if grows:
        L.append("\n## Generic (Yosys `synth`, technology independent)\n\n")
        L.append("| configuration | cells | delta | flip-flops | delta | "
                 "transistors (CMOS est.) | delta | longest path (cells) |\n")
        L.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n")
        prev = None
        for r in grows:
            g = r["generic"]
            # each row's delta is over the row above; the AXI walker's over
            # the bare walker of its configuration
            base = ([q for q in grows if q["name"] == r["axi_of"]] or [None])[0] \
                if r.get("axi_of") else prev
            p = base["generic"] if base else {}
            tr = fmt(g["transistors"]) + ("" if g["transistors_exact"] else "+")
            L.append("| %s | %s | %s | %s | %s | %s | %s | %s |\n" % (
                r["label"], g["cells"], delta(g["cells"], p.get("cells")),
                g["flip_flops"], delta(g["flip_flops"], p.get("flip_flops")),
                tr, delta(g["transistors"], p.get("transistors")),
                fmt(g["ltp_cells"])))
            prev = r
        L.append("\nCells: Yosys internal gates after `synth -flatten`. "
                 "Transistors: `dfflegalize` to plain D flip-flops, "
                 "`abc -g cmos2`, `stat -tech cmos` (NAND/NOR/NOT, 16 per "
                 "flip-flop). Longest path: `ltp -noff` on the flattened "
                 "gate netlist; it counts cells (gate levels), not delay.\n")
        # cell types
        types = sorted({t for r in grows for t in r["generic"]["cells_by_type"]})
        L.append("\n### Cells by type\n\n| type | " +
                 " | ".join(r["name"] for r in grows) + " |\n")
        L.append("| --- |" + " ---: |" * len(grows) + "\n")
        for t in types:
            L.append("| `%s` | " % t + " | ".join(
                str(r["generic"]["cells_by_type"].get(t, 0)) for r in grows)
                + " |\n")
        L.append("\n### Longest logic path (cells)\n\n")
        for r in grows:
            g = r["generic"]
            L.append("- %s: %s cells, from `%s` to `%s`\n" % (
                r["name"], g["ltp_cells"], g["ltp_from"], g["ltp_to"]))
    f = result.get("filter")
    if f:
        L.append("\n### One escape filter alone\n\n"
                 "`nw_filter` with its H3 unit (every configuration with filters "
                 "has two): %d generic cells, %d flip-flops, longest path %s cells.\n"
                 % (f["cells"], f["flip_flops"], f["ltp_cells"]))

    for fam, info in FAMILIES.items():
        title, lckey = info["title"], info["lc"]
        frows = [r for r in rows if r.get(fam)]
        if not frows:
            if want[fam]:
                L.append("\n## %s\n\nno results\n" % title)
            continue
        L.append("\n## %s\n\n" % title)
        L.append("| configuration | %s | delta | use | flip-flops | Fmax MHz | "
                 "delta | critical path: ns, LUTs + carries | runtime s |\n"
                 % info["unit"])
        L.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n")
        seeded = [r for r in frows if r[fam].get("fmax_by_seed_mhz")]
        prev = None
        for r in frows:
            f = r[fam]
            u = f["utilization"].get(lckey, {})
            ffs = None
            if f.get("synth_cells"):
                ffs = sum(n for t, n in f["synth_cells"].items() if is_ff(t))
            # as in the generic table: the AXI walker's delta is over the
            # bare walker of its configuration
            base = ([q for q in frows if q["name"] == r["axi_of"]] or [None])[0] \
                if r.get("axi_of") else prev
            pf = base[fam] if base else {}
            use = ("%d%%" % round(100.0 * u["used"] / u["available"])
                   if u.get("available") else "-")
            if not f["fit"]:
                use += " **not routed**" if f["unrouted"] else " **no fit**"
            cp = f["critical_path"]
            L.append("| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n" % (
                r["label"], fmt(u.get("used")),
                delta(u.get("used"), (pf.get("utilization") or {}).get(lckey, {}).get("used")),
                use, fmt(ffs), fmt(f.get("fmax_mhz")),
                ("%+.1f" % (f["fmax_mhz"] - pf["fmax_mhz"])
                 if f.get("fmax_mhz") and pf.get("fmax_mhz") else ""),
                ("%.1f: %d + %d" % (cp["delay_ns"], cp["logic_levels"],
                                    cp["carry_steps"]) if cp else "-"),
                fmt(f.get("time_s"))))
            prev = r
        L.append("\nIncludes the out-of-context wrapper (synth/nw_ooc.v, "
                 "about 500 flip-flops/cells of shift registers, 560 around the "
                 "AXI walker). Fmax is "
                 "post-route, nextpnr's own timing model, fixed seed.\n")
        if seeded:
            seeds = list(seeded[0][fam]["fmax_by_seed_mhz"])
            L.append("\nFmax by placement seed (the same netlist placed again):\n\n"
                     "| configuration | " + " | ".join("seed %s" % s for s in seeds)
                     + " | median |\n| --- |" + " ---: |" * (len(seeds) + 1) + "\n")
            for r in seeded:
                f = r[fam]
                L.append("| %s | %s | %s |\n" % (
                    r["label"], " | ".join(fmt(f["fmax_by_seed_mhz"][s]) for s in seeds),
                    fmt(f["fmax_median_mhz"])))
        L.append("\n### Critical paths on the %s\n\n" % info["device"])
        for r in frows:
            cp = r[fam]["critical_path"]
            if not r[fam]["fit"]:
                L.append("- `%s`: %s the %s, so no path.\n"
                         % (r["name"], "did not route on" if r[fam]["unrouted"]
                            else "does not fit", info["device"]))
            elif cp:
                L.append("- `%s` (`%s`): %.2f ns, %d LUT levels and %d carry "
                         "steps, %.2f ns in cells + %.2f ns routing; from `%s` "
                         "to `%s`.\n  RTL: %s.\n" % (
                             r["name"], cp["file"], cp["delay_ns"],
                             cp["logic_levels"], cp["carry_steps"],
                             cp["logic_ns"], cp["routing_ns"], cp["from"],
                             cp["to"], ", ".join(cp["rtl"])))
    if result["notes"]:
        L.append("\n## Notes\n\n" + "".join("- %s\n" % n for n in result["notes"]))
    if result["errors"]:
        L.append("\n## ERRORS (the flow failed)\n\n" +
                 "".join("- %s\n" % e for e in result["errors"]))
    return "".join(L)


if __name__ == "__main__":
    sys.exit(main())
