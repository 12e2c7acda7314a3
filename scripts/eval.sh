#!/bin/sh
# make eval: real programs from Debian's packages traced with valgrind's
# lackey, each trace run through `nestwalk sim` in every mode, the table and
# the Figure-5-style chart.
#
# Usage: scripts/eval.sh NESTWALK OUTDIR PYTHON
#   EVAL_RECORDS  records of each trace's window (default 40000000)
#   EVAL_ONLY     the workloads to run (names below; default all)
#
# Each workload is traced once into OUTDIR/NAME.nwt.gz (the binary form;
# delete it to trace again): lackey writes into a FIFO that `nestwalk sim
# --skip S --limit N --write-trace` reads, so the window is records S to
# S + N - 1 of the program's run (S skips its start-up: the dynamic loader,
# the interpreter's own start), and the traced program is ended once the
# window is full.
set -e
nw=$1
out=$2
py=$3
records=${EVAL_RECORDS:-40000000}
only=${EVAL_ONLY:-"sqlite3 python3 xz sort redis"}
mkdir -p "$out"

# ---- inputs, made without tracing ----
# 300 MiB of SQLite database: 2.5 M rows of 100 random bytes
db=$out/eval.db
if [ ! -f "$db" ]; then
    echo "eval: making $db"
    rm -f "$db.tmp"
    sqlite3 "$db.tmp" "CREATE TABLE t(id INTEGER PRIMARY KEY, v BLOB);
        WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 2500000)
        INSERT INTO t SELECT x, randomblob(100) FROM c;"
    mv "$db.tmp" "$db"
fi
# 24 MiB of text: lines of words drawn from a vocabulary of 5,000
words=$out/words.txt
if [ ! -f "$words" ]; then
    echo "eval: making $words"
    "$py" -c '
import random, sys
r = random.Random(14)
vocab = ["".join(r.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(r.randint(2, 10)))
         for _ in range(5000)]
out = sys.stdout
n = 0
while n < 24 << 20:
    line = " ".join(r.choice(vocab) for _ in range(r.randint(3, 12))) + "\n"
    out.write(line)
    n += len(line)
' >"$words.tmp"
    mv "$words.tmp" "$words"
fi

# trace NAME SKIP COMMAND...: lackey's records SKIP .. SKIP + records - 1
trace() {
    name=$1; skip=$2; shift 2
    t=$out/$name.nwt.gz
    [ -f "$t" ] && return 0
    echo "eval: tracing $name ($*), records $skip + $records"
    fifo=$out/$name.fifo
    rm -f "$fifo"; mkfifo "$fifo"
    valgrind --tool=lackey --trace-mem=yes --log-file="$fifo" "$@" >/dev/null 2>&1 </dev/null &
    vg=$!
    rc=0
    "$nw" sim --skip "$skip" --limit "$records" --write-trace "$t.tmp" "$fifo" || rc=$?
    kill -KILL "$vg" 2>/dev/null || true
    wait "$vg" 2>/dev/null || true
    rm -f "$fifo"
    [ $rc -eq 0 ] || { rm -f "$t.tmp"; echo "eval: tracing $name failed"; exit 1; }
    mv "$t.tmp" "$t"
}

for w in $only; do
    case $w in
    sqlite3)
        # the table scanned, and for each row another looked up by a
        # multiplicative hash of its id: random B-tree descents over the
        # database, mapped into memory (one line: valgrind's log quotes the
        # command line as it is)
        trace sqlite3 5000000 sqlite3 -cmd "PRAGMA mmap_size=1073741824" "$db" \
            "SELECT sum(length(b.v)) FROM t AS a JOIN t AS b ON b.id = (a.id * 7919) % 2500000 + 1;" ;;
    python3)
        # a dict of 800,000 keys made, then probed in a multiplicative-hash
        # order: random lookups over its table and its key objects
        printf '%s\n' "d = dict.fromkeys(range(800000))" "n = 0" \
            "for k in range(800000 * 8):" \
            "    n += d.get(k * 2654435761 % 1000000, 0) is None" "print(n)" >"$out/dict.py"
        trace python3 130000000 /usr/bin/python3 "$out/dict.py" ;;
    xz)
        # xz -9: a 64 MiB dictionary and its match finder's trees
        trace xz 5000000 xz -9 -T1 -c "$words" ;;
    sort)
        # the 24 MiB of lines sorted in memory
        trace sort 5000000 sort -S 512M "$words" ;;
    redis)
        # redis-server under redis-benchmark: random SETs and GETs of 20,000
        # keys with 4 KiB values
        t=$out/redis.nwt.gz
        if [ ! -f "$t" ]; then
            port=6399
            ( until redis-cli -p $port ping >/dev/null 2>&1; do sleep 1; done
              exec redis-benchmark -p $port -q -t set,get -n 100000000 -r 20000 -d 4096 -c 4 ) \
                >/dev/null 2>&1 &
            bench=$!
            trace redis 150000000 redis-server --port $port --save "" --appendonly no
            kill -KILL "$bench" 2>/dev/null || true
            wait "$bench" 2>/dev/null || true
        fi ;;
    *) echo "eval: unknown workload '$w'"; exit 1 ;;
    esac
done

# ---- every trace through the simulator ----
res=$out/results.jsonl
: >"$res"
for w in $only; do
    "$nw" sim --name "$w" "$out/$w.nwt.gz" | tee "$out/$w.txt"
    "$nw" sim --json --name "$w" "$out/$w.nwt.gz" >>"$res"
    "$nw" sim --thp --host-pages 2m --name "$w --thp" "$out/$w.nwt.gz" >"$out/$w-thp.txt"
done
"$py" scripts/eval_plot.py "$res" "$out/overhead.png"
echo "eval: $res, $out/overhead.png"
