#!/bin/sh
# run.sh SECONDS FUZZ_DIR TARGET...: runs each libFuzzer target of
# FUZZ_DIR/bin for SECONDS on its corpus (FUZZ_DIR/corpus/T, grown from
# FUZZ_DIR/seeds/T), prints one line per target and `N passed, M failed`
# last. A crash, leak, out-of-memory or timeout fails the target; libFuzzer
# saves its reproducer as FUZZ_DIR/T-crash-..., -leak-, -oom-, -timeout-.
secs=$1
dir=$2
shift 2
pass=0
fail=0
for t in "$@"; do
    mkdir -p "$dir/corpus/$t"
    log=$dir/$t.log
    "$dir/bin/$t" -max_total_time="$secs" -timeout=10 -rss_limit_mb=1024 \
        -malloc_limit_mb=256 -print_final_stats=1 -artifact_prefix="$dir/$t-" \
        "$dir/corpus/$t" "$dir/seeds/$t" >"$log" 2>&1
    rc=$?
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    cov=$(grep -E '^#[0-9]+' "$log" | tail -1 | sed -n 's/.* cov: \([0-9]*\) ft: \([0-9]*\).*corp: \([0-9]*\).*/cov \1, ft \2, corpus \3/p')
    if [ "$rc" -eq 0 ]; then
        pass=$((pass + 1))
        echo "fuzz $t: ${execs:-?} execs in ${secs}s, ${cov:-no stats}, no findings"
    else
        fail=$((fail + 1))
        art=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -1)
        what=$(grep -a -m1 -E 'ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error|^fuzz: ' "$log" |
            tr -c '[:print:]' '?' | cut -c1-160)
        echo "FAIL fuzz $t: ${what:-exit $rc} (reproducer: ${art:-none}; log: $log)"
    fi
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
