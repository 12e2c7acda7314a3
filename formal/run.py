#!/usr/bin/env python3
"""nestwalk formal runner.

Runs the builds and jobs of formal/jobs.py with Debian's yosys 0.23,
yosys-abc (pdr, bmc3) and yosys-smtbmc with z3, prints one line per job

    PASS|FAIL name engine result time

(result: F<k> the frame of pdr's inductive invariant, k=<n> an induction
depth, cex@<n> a counterexample or cover trace ending at step n (n+1
cycles), or the depth a bounded check reached) and ends with
`N passed, M failed`. A job answered by the engine that joined the race
(below) says "(joined at N s)" after its time. Every failure and every
cover leaves a VCD under build/formal/<job>/ (trace.vcd).

A build reads a wrapper and the RTL once (yosys `prep`) and keeps two
netlists: prep.il (word level, for smtbmc and VCD replay) and aig.il
(bit level, for abc). A job keeps the assertions whose labels match its
pattern, removes every other assertion (and the optional assumptions,
jobs.OPTIONAL, that it does not ask for) and runs one engine:
  pdr     abc `pdr` (IC3): an unbounded proof, or a counterexample (also
          a cover's trace, where it finds one deep in a walk sooner)
  scorr   abc `scorr`, merging the latches equal in every reachable state,
          then pdr
  bmc3    abc `bmc3` to a depth: used for covers (written as the assertion
          of the cover's negation: a counterexample is the cover trace)
  smtbmc  yosys-smtbmc with z3: BMC to the depth (covers)

usage: formal/run.py [--set proofs|mutants|all] [-j N] [--only SUBSTR]
"""
import argparse
import concurrent.futures as cf
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FORMAL = os.path.join(ROOT, "formal")
sys.path.insert(0, FORMAL)
import jobs as J  # noqa: E402

BUILD = os.path.join(ROOT, "build", "formal")
TIMEOUT = 900           # seconds a job may take, its build included
# A mutant's job looks for a counterexample; where the proof's engine
# cannot give one it runs bmc3 to this depth instead.
MUTANT_BMC_DEPTH = 40


def sh(cmd, log, timeout, cwd):
    """Runs cmd in cwd (its own process group, ended whole on a time-out),
    appends its output to log; returns (rc, output)."""
    with open(log, "a") as f:
        f.write("$ " + " ".join(cmd) + "\n")
        f.flush()
        p = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                             text=True, start_new_session=True)
        try:
            out, _ = p.communicate(timeout=timeout)
            rc = p.returncode
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)
            out, _ = p.communicate()
            out = (out or "") + "\n*** TIMEOUT ***\n"
            rc = -999
        f.write(out)
    return rc, out


# PDR's time on a property moves by 10x and more between netlists a few
# gates apart, and which of PDR alone and scorr then PDR decides first
# changes with them. So a job's own engine starts first and, should it not
# have answered within RACE_AFTER seconds (a job's `race`, where jobs.py
# knows it takes longer), the other starts beside it on the same AIG: the
# first to prove or refute the property wins.
RACE_AFTER = 120
_ABC_ANSWER = re.compile(r"Property proved|was asserted in frame")


def abc_cmd(eng, left):
    # scorr: first merge the latches that are equal in every reachable
    # state (k-induction under the constraints), then PDR
    pre = "scorr -c; " if eng == "scorr" else ""
    return "read_aiger design.aig; %sfold; strash; pdr -T %d; write_cex -a trace.aiw" % (
        pre, left)


def abc_race(eng, log, timeout, wd, race_after):
    """PDR (eng: "pdr" or "scorr") on wd/design.aig, the other engine
    joining after race_after seconds in wd/race; returns (engine that
    answered, its output). A refutation's trace ends up in wd."""
    other = "scorr" if eng == "pdr" else "pdr"
    alt = os.path.join(wd, "race")
    t0 = time.time()
    runs = []                        # (engine, cwd, Popen, log path)

    def start(e, cwd):
        left = max(10, int(timeout - (time.time() - t0)))
        lp = os.path.join(cwd, "abc-%s.txt" % e)
        with open(lp, "w") as f:
            p = subprocess.Popen(["yosys-abc", "-c", abc_cmd(e, left)], cwd=cwd, stdout=f,
                                 stderr=subprocess.STDOUT, text=True, start_new_session=True)
        runs.append((e, cwd, p, lp))

    start(eng, wd)
    won = None
    while won is None and time.time() - t0 < timeout:
        time.sleep(1)
        for r in runs:
            if r[2].poll() is not None:
                with open(r[3]) as f:
                    if _ABC_ANSWER.search(f.read()):
                        won = r
        done = all(r[2].poll() is not None for r in runs)
        if won is None and len(runs) == 1 and (done or time.time() - t0 >= race_after):
            os.makedirs(alt, exist_ok=True)
            shutil.copy(os.path.join(wd, "design.aig"), alt)
            start(other, alt)
        elif won is None and done:
            break
    for r in runs:
        if r[2].poll() is None:
            os.killpg(r[2].pid, signal.SIGKILL)
            r[2].wait()
    win = won or runs[0]
    with open(win[3]) as f:
        out = f.read()
    if won is None:
        out += "\n*** TIMEOUT ***\n"
    if win[1] != wd and os.path.exists(os.path.join(win[1], "trace.aiw")):
        shutil.copy(os.path.join(win[1], "trace.aiw"), wd)
    with open(log, "a") as f:
        for e, _, _, lp in runs:
            f.write("$ yosys-abc (%s)%s\n" % (e, " answered" if won and won[0] == e else ""))
            with open(lp) as g:
                f.write(g.read())
    return win[0], out


# ---------------------------------------------------------------- builds
_builds_lock = threading.Lock()
_builds = {}            # bdir -> {"lock", "done", "err"}: each build made once


def build(b, rtl, bdir):
    """Builds b (a dict of jobs.BUILDS) into bdir once, whichever job asks
    first (the others wait for it); returns an error or None."""
    with _builds_lock:
        entry = _builds.setdefault(bdir, {"lock": threading.Lock(), "done": False,
                                          "err": None})
    with entry["lock"]:
        if not entry["done"]:
            entry["err"] = make_build(b, rtl, bdir)
            entry["done"] = True
    return entry["err"]


def make_build(b, rtl, bdir):
    shutil.rmtree(bdir, ignore_errors=True)
    os.makedirs(bdir)
    files = [os.path.join(FORMAL, f) for f in b["wrappers"]]
    files += [os.path.join(rtl, f) for f in b["rtl"]]
    s = ["read_verilog -formal %s-I %s -I %s %s" % ("".join("-D%s " % d for d in b["defines"]),
                                                    rtl, FORMAL, " ".join(files))]
    for k, v in b["params"].items():
        s.append("chparam -set %s %s %s" % (k, v, b["top"]))
    s.append("prep -top %s" % b["top"])
    if b["cut"]:
        s += ["flatten"] + b["cut"]
    s += ["async2sync", "chformal -assume -early",
          "opt_clean", "write_rtlil prep.il"]
    # (a memory's flip-flops come out of memory_map coarse: the second
    # techmap maps them, and nothing else is left for it)
    s += ["flatten", "setattr -unset keep", "delete -output", "dffunmap",
          "opt -full", "techmap", "opt -fast", "memory_map", "opt -full", "techmap",
          "dffunmap", "abc -g AND -fast", "opt_clean", "write_rtlil aig.il"]
    with open(os.path.join(bdir, "build.ys"), "w") as f:
        f.write("\n".join(s) + "\n")
    # an implicitly declared identifier is a misspelt one: a free wire
    # would make a property vacuous, so it fails the build
    rc, _ = sh(["yosys", "-q", "-e", "is implicitly declared", "-l", "yosys.log", "build.ys"],
               os.path.join(bdir, "log.txt"), 1200, bdir)
    return None if rc == 0 else "build %s failed (see %s/log.txt)" % (b["name"], bdir)


def select_script(src, job):
    keep = " ".join("t:$assert n:%s %%i" % p for p in job["keep"])
    n = len(job["keep"])
    unions = " %u" * (n - 1)
    drop = job["drop"] + [p for p in J.OPTIONAL if p not in job["assume"]]
    assumes = "t:$assume" + "".join(" t:$assume n:%s %%i %%d" % p for p in drop)
    return ["read_rtlil %s" % src,
            "select -set keep %s%s %s %%u" % (keep, unions, assumes),
            "chformal -remove t:$assert t:$assume %u @keep %d",
            "opt_clean"]


def write_design(job, bdir, wd, log, kind):
    if kind == "aig":
        s = select_script(os.path.join(bdir, "aig.il"), job)
        if job["init0"]:
            # registers without reset power up as 0 instead of any value
            s.append("setundef -zero -init")
        s.append("write_aiger -zinit -map design.aim design.aig")
        name = "aig.ys"
    else:
        s = select_script(os.path.join(bdir, "prep.il"), job)
        s.append("write_smt2 -wires design.smt2")
        name = "smt2.ys"
    with open(os.path.join(wd, name), "w") as f:
        f.write("\n".join(s) + "\n")
    rc, _ = sh(["yosys", "-q", name], log, 600, wd)
    return rc == 0


def replay_vcd(job, bdir, wd, log):
    """Simulates the AIGER witness of abc on the netlist the AIG came from."""
    s = select_script(os.path.join(bdir, "aig.il"), job)
    s.append("sim -clock clk_i -r trace.aiw -map design.aim -vcd trace.vcd")
    with open(os.path.join(wd, "sim.ys"), "w") as f:
        f.write("\n".join(s) + "\n")
    sh(["yosys", "-q", "sim.ys"], log, 600, wd)


def run_job(job, rtl, bprefix):
    t0 = time.time()
    name = job["name"]
    wd = os.path.join(BUILD, name)
    shutil.rmtree(wd, ignore_errors=True)
    os.makedirs(wd)
    log = os.path.join(wd, "log.txt")
    b = J.BUILDS[job["build"]]
    bdir = os.path.join(BUILD, bprefix + "build-" + b["name"])
    err = build(b, rtl, bdir)
    eng = job["engine"]
    depth = job["depth"]
    limit = job.get("limit") or TIMEOUT
    if err:
        return name, False, eng, "-", time.time() - t0, err
    expect_cex = job["cover"] or job.get("expect_fail", False)
    ok, shown, note = False, str(depth), ""
    if eng in ("pdr", "scorr", "bmc3"):
        if not write_design(job, bdir, wd, log, "aig"):
            return name, False, eng, "-", time.time() - t0, "yosys failed"
        left = max(10, limit - (time.time() - t0))
        if eng in ("pdr", "scorr"):
            race_after = job.get("race") or RACE_AFTER
            eng, out = abc_race(eng, log, left, wd, race_after)
            if eng != job["engine"]:
                # the job's own engine is the wrong one for this netlist:
                # it cost race_after seconds and a core (jobs.py's engine)
                note = "joined at %d s" % race_after
        else:
            cmd = "read_aiger design.aig; fold; strash; bmc3 -F %d -T %d; write_cex -a trace.aiw" % (
                depth, left)
            _, out = sh(["yosys-abc", "-c", cmd], log, left + 60, wd)
        m = re.search(r"was asserted in frame (\d+)", out)
        if "Property proved" in out:
            m2 = re.search(r"Invariant F\[(\d+)\]", out)
            shown = "F%s" % (m2.group(1) if m2 else "?")
            ok = not expect_cex
        elif m:
            shown = "cex@%s" % m.group(1)
            replay_vcd(job, bdir, wd, log)
            ok = expect_cex
        elif eng == "bmc3" and re.search(r"No output asserted in (\d+) frames", out):
            ok = not expect_cex
        else:
            shown, note = "undecided", "time limit"
    else:
        if not write_design(job, bdir, wd, log, "smt2"):
            return name, False, eng, "-", time.time() - t0, "yosys failed"
        left = max(10, limit - (time.time() - t0))
        _, out = sh(["yosys-smtbmc", "-s", "z3", "--noprogress", "-t", str(depth),
                     "--dump-vcd", "trace.vcd", "design.smt2"], log, left, wd)
        if "Status: FAILED" in out:
            # smtbmc checks one step at a time: the failed one is the last
            # it announced before reporting the failure
            m = re.search(r"Checking assertions in step (\d+)\.\.\n[^\n]*BMC failed!", out)
            shown = "cex@%s" % (m.group(1) if m else "?")
            ok = expect_cex
        elif "Status: PASSED" in out:
            ok = not expect_cex
        else:
            shown, note = "undecided", "time limit"
    return name, ok, eng, shown, time.time() - t0, note


# Verilog tokens: a comment, a name or number (a based number is three:
# 3'd1 is 3 ' d1), a multi-character operator, any other character
_TOKEN = re.compile(r"//[^\n]*|/\*.*?\*/|[\w$]+|`\w+|"
                    r"<<<|>>>|===|!==|[<>=!]=|&&|\|\||<<|>>|~[&|^]|\^~|\*\*|[+-]:|\S", re.S)


def replace_tokens(src, old, new):
    """src with the one place whose tokens are those of old (any spacing,
    line breaks included) replaced by new; (text, None) or (None, error)."""
    have = [(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(src)]
    want = _TOKEN.findall(old)
    n = len(want)
    hits = [i for i in range(len(have) - n + 1)
            if [t for t, _, _ in have[i:i + n]] == want] if n else []
    if len(hits) != 1:
        return None, "%d times" % len(hits)
    i = hits[0]
    return src[:have[i][1]] + new + src[have[i + n - 1][2]:], None


def mutant_dir(mut):
    return os.path.join(BUILD, "mutants", mut["name"], "rtl")


def make_mutant(mut, rtl):
    """Writes the copy of rtl with mut applied; returns an error or None."""
    names = {j["name"] for j in J.JOBS}
    for jname in mut["jobs"]:
        if jname not in names:
            return "no job %s" % jname
    try:
        with open(os.path.join(rtl, mut["file"])) as f:
            src = f.read()
    except OSError as e:
        return "rtl/%s: %s" % (mut["file"], e.strerror)
    text, err = replace_tokens(src, mut["old"], mut["new"])
    if err:
        return "`%s` is in rtl/%s %s, not once" % (mut["old"], mut["file"], err)
    mdir = mutant_dir(mut)
    shutil.rmtree(os.path.dirname(mdir), ignore_errors=True)
    shutil.copytree(rtl, mdir)
    with open(os.path.join(mdir, mut["file"]), "w") as f:
        f.write(text)
    return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--set", default="proofs", choices=["proofs", "mutants", "all"])
    ap.add_argument("-j", type=int, default=2)
    ap.add_argument("--only", default="")
    args = ap.parse_args()
    os.makedirs(BUILD, exist_ok=True)
    rtl = os.path.join(ROOT, "rtl")
    work, pre_fail = [], []
    if args.set in ("proofs", "all"):
        for job in J.JOBS:
            if args.only in job["name"] and (args.only or not job.get("extra")):
                work.append((job, rtl, ""))
    if args.set in ("mutants", "all"):
        for mut in J.MUTANTS:
            if args.only and args.only not in mut["name"]:
                continue
            err = make_mutant(mut, rtl)
            if err:
                pre_fail.append("FAIL mutant-%s - - 0s (%s)" % (mut["name"], err))
                continue
            for jname in mut["jobs"]:
                job = dict(J.job(jname))
                job["expect_fail"] = True
                job["name"] = "mutant-%s:%s" % (mut["name"], job["name"])
                # scorr's proofs are fast for merging latches equal in
                # every reachable state; a mutant's are not equal, so its
                # counterexample is searched with bmc3 (and so is that of
                # a mutant jobs.py marks bmc, where PDR searched too long)
                if job["engine"] == "scorr" or mut["bmc"]:
                    job["engine"] = "bmc3"
                    job["depth"] = MUTANT_BMC_DEPTH
                work.append((job, mutant_dir(mut), "mutants/%s/" % mut["name"]))
    work.sort(key=lambda w: not w[0].get("first"))
    passed, failed = 0, 0
    for line in pre_fail:
        print(line, flush=True)
        failed += 1
    with cf.ThreadPoolExecutor(max_workers=args.j) as ex:
        futs = [ex.submit(run_job, *w) for w in work]
        for fu in futs:
            name, ok, eng, shown, dt, note = fu.result()
            print("%s %s %s %s %.0fs%s" % ("PASS" if ok else "FAIL", name, eng, shown, dt,
                                           (" (" + note + ")") if note else ""), flush=True)
            if ok:
                passed += 1
            else:
                failed += 1
    print("%d passed, %d failed" % (passed, failed))
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
