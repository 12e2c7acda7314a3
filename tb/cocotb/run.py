#!/usr/bin/env python3
"""Builds tb/cocotb/nw_axi_tb.v and the RTL with Icarus Verilog and runs
the cocotb tests of test_axi_walker.py (`make cocotb`). Prints the seed
first (replay: `make cocotb SEED=n`), then the translations checked, and
ends with `N passed, M failed`, N and M counting cocotb tests."""
import argparse
import glob
import json
import os
import sys
import time
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build", required=True, help="build directory")
    ap.add_argument("--lib", required=True, help="libnestwalk.so")
    ap.add_argument("--fixture", required=True, help="the Linux fixture's directory")
    ap.add_argument("--walks", type=int, default=600, help="native fixture walks")
    ap.add_argument("--seed", type=int, help="random seed (default: from the time)")
    ap.add_argument("--waves", action="store_true", help="write an FST waveform")
    a = ap.parse_args()
    for path, what in ((a.lib, "model library"), (a.fixture, "fixture")):
        if not os.path.exists(path):
            sys.exit("cocotb: %s %s: no such file or directory" % (what, path))
    seed = a.seed if a.seed is not None else int(time.time()) % 1000000
    print("cocotb: seed %d (replay: make cocotb SEED=%d)" % (seed, seed), flush=True)

    from cocotb_tools.runner import get_runner
    build = os.path.abspath(a.build)
    os.makedirs(build, exist_ok=True)
    stats = os.path.join(build, "stats.jsonl")
    if os.path.exists(stats):
        os.remove(stats)
    rtl = sorted(glob.glob(os.path.join(ROOT, "rtl", "nw_*.v")))
    runner = get_runner("icarus")
    # always: the runner looks only at the sources' times, not at the
    # generated includes the port lists are in
    runner.build(sources=rtl + [os.path.join(HERE, "nw_axi_tb.v")], always=True,
                 includes=[os.path.join(ROOT, "rtl"), HERE], hdl_toplevel="nw_axi_tb",
                 build_dir=build, build_args=["-g2005"], timescale=("1ns", "1ps"),
                 waves=a.waves, log_file=os.path.join(build, "build.log"))
    t0 = time.time()
    results = runner.test(test_module="test_axi_walker", hdl_toplevel="nw_axi_tb",
                          build_dir=build, test_dir=build, seed=seed, waves=a.waves,
                          extra_env={"NW_LIB": os.path.abspath(a.lib),
                                     "NW_FIXTURE": os.path.abspath(a.fixture),
                                     "NW_WALKS": str(a.walks), "NW_STATS": stats,
                                     "PYTHONPATH": HERE + os.pathsep + os.environ.get("PYTHONPATH", "")},
                          log_file=os.path.join(build, "test.log"))
    wall = time.time() - t0
    passed = failed = 0
    for case in ET.parse(results).getroot().iter("testcase"):
        bad = case.find("failure") is not None or case.find("error") is not None
        failed += bad
        passed += not bad
        print("cocotb: %-16s %s" % (case.get("name"), "FAIL" if bad else "ok"))
    walks = regs = reads = 0
    if os.path.exists(stats):
        with open(stats) as f:
            for line in f:
                s = json.loads(line)
                walks += s["walks"]
                regs += s["reg_accesses"]
                reads += s["reads"]
    print("cocotb: %d translations (%d AXI reads) and %d register accesses checked "
          "against the model in %.0f s" % (walks, reads, regs, wall))
    if failed:
        print("cocotb: the log is %s; seed %d" % (os.path.join(build, "test.log"), seed))
    print("%d passed, %d failed" % (passed, failed))
    sys.exit(1 if failed or not passed else 0)


if __name__ == "__main__":
    main()
