#!/usr/bin/env python3
"""The AXI wrapper's row of the synthesis table (`make synth-axi`): generic
cells, flip-flops, transistors and logic depth of nw_axi_walker beside
nw_walker's in the same configurations, and what the wrapper adds.

    axi_report.py --out build/synth --configs "native full"

reads OUT/CONFIG/ (nw_walker, synth/run.sh generic) and OUT/axi-CONFIG/
(run.sh axi-generic); writes OUT/axi.md and prints it. Exits non-zero when
a result is missing."""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import report  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", required=True)
    ap.add_argument("--configs", required=True)
    a = ap.parse_args()
    rows = ["| configuration | top | generic cells | flip-flops | transistors (est.) | ltp |",
            "|---|---|--:|--:|--:|--:|"]
    bad = 0
    for c in a.configs.split():
        if c not in report.DEFS.configs:
            sys.exit("axi_report: unknown configuration '%s'" % c)
        core = report.generic_results(os.path.join(a.out, c))
        axi = report.generic_results(os.path.join(a.out, "axi-" + c), "axi-generic")
        if core is None or axi is None:
            print("axi_report: %s: missing results (run.sh generic / axi-generic failed?)" % c)
            bad += 1
            continue
        for top, r in (("nw_walker", core), ("nw_axi_walker", axi)):
            d = {k: r[k] - core[k] for k in ("cells", "flip_flops", "transistors")} \
                if r is axi else None
            cell = (lambda k: "%d (+%d)" % (r[k], d[k])) if d else (lambda k: "%d" % r[k])
            rows.append("| %s | `%s` | %s | %s | %s | %d |" % (
                report.DEFS.label(c), top, cell("cells"), cell("flip_flops"),
                cell("transistors"), r["ltp_cells"]))
    text = "\n".join(rows) + "\n"
    with open(os.path.join(a.out, "axi.md"), "w") as f:
        f.write(text)
    print(text, end="")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
