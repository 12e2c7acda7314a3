#!/bin/sh
# make eval-quick: the stored short trace through `nestwalk sim`, every
# figure of its tables checked against the expected ones, line by line
# (4 KiB pages, then 2 MiB guest and host pages).
# Usage: scripts/eval_quick.sh NESTWALK TRACE EXPECTED
# Prints `N passed, M failed` last; a line that differs is shown both ways.
nw=$1
trace=$2
want=$3
got=$(mktemp) || exit 2
trap 'rm -f "$got"' EXIT
{ "$nw" sim --name quick "$trace" &&
  "$nw" sim --thp --host-pages 2m --name "quick --thp" "$trace"; } >"$got" 2>&1
pass=0
fail=0
n=$(wc -l <"$want")
m=$(wc -l <"$got")
i=1
while [ $i -le $n ] || [ $i -le $m ]; do
    a=$(sed -n "${i}p" "$want")
    b=$(sed -n "${i}p" "$got")
    if [ "$a" = "$b" ]; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
        printf 'FAIL line %d\n    expected: %s\n    got:      %s\n' $i "$a" "$b"
    fi
    i=$((i + 1))
done
echo "eval-quick: $pass passed, $fail failed"
[ $fail -eq 0 ]
