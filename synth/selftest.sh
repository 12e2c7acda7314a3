#!/bin/sh
# Checks that the checks of synth/generic.ys fail where they must: each of
# synth/selftest/{latch,loop,undrv,multi}.v must make Yosys exit non-zero,
# and ok.v must pass. Usage: sh synth/selftest.sh OUTDIR
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
exit $fail
