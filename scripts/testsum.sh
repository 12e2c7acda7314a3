#!/bin/sh
# Runs `MAKE target...` one target at a time, echoes their output, and sums
# the `N passed, M failed` lines the suites print into one closing line.
# Run inside another testsum, its total is printed as a subtotal, which the
# outer one does not count again.
make=$1; shift
label=
[ -n "${NW_TESTSUM:-}" ] && label="subtotal "
export NW_TESTSUM=1
log=$(mktemp); trap 'rm -f "$log"' EXIT
rc=0
for t in "$@"; do
    { "$make" --no-print-directory "$t"; echo $? >"$log.rc"; } 2>&1 | tee -a "$log"
    [ "$(cat "$log.rc")" -eq 0 ] || { rc=1; echo "testsum: 'make $t' failed"; }
done
rm -f "$log.rc"
# a failed target with no count line still fails the run
set -- $(sed -n 's/^\([A-Za-z-]*: \)\{0,1\}\([0-9][0-9]*\) passed, \([0-9][0-9]*\) failed.*/\2 \3/p' "$log" | awk '{p+=$1; f+=$2} END {print p+0, f+0}')
echo
echo "$label$1 passed, $2 failed"
[ "$2" -eq 0 ] && [ "$rc" -eq 0 ]
