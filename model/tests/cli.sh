#!/bin/sh
# cli.sh BINARY FIXTURE_DIR: tests of `nestwalk translate` (SPEC section 8)
# and `nestwalk demo`. Every expected line below is worked out by hand from
# the SPEC: on the linux-4level fixture (QEMU's answers, README.md) and on a
# small raw image this script writes entry by entry (layout below).
# Prints `N passed, M failed` last; exits non-zero if anything failed.

bin=$1
fix=$2
if [ -z "$bin" ] || [ -z "$fix" ]; then
    echo "usage: sh cli.sh BINARY FIXTURE_DIR" >&2
    exit 2
fi
elf=$fix/pagetables.elf
tmp=$(mktemp -d "${TMPDIR:-/tmp}/nwcli.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM
pass=0
fail=0

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); printf 'FAIL %s\n' "$1"; shift; for l in "$@"; do printf '    %s\n' "$l"; done; }

# run NAME ARGS...: runs the binary, keeps stdout, stderr and status
run() {
    "$bin" "$@" >"$tmp/out" 2>"$tmp/err"
    rc=$?
}

# expect NAME EXPECTED_STDOUT ARGS...: exact stdout (lines joined by
# newlines), empty stderr, exit status 0
expect() {
    name=$1; want=$2; shift 2
    run "$@"
    got=$(cat "$tmp/out")
    if [ "$rc" -eq 0 ] && [ "$got" = "$want" ] && [ ! -s "$tmp/err" ]; then
        ok
    else
        bad "$name" "command: nestwalk $*" "expected: $want" "got:      $got" \
            "status $rc, stderr: $(head -c 300 "$tmp/err")"
    fi
}

# expect_error NAME WORD ARGS...: exactly one line on stderr that names
# WORD, a non-zero status that is not a signal (< 128), nothing on stdout
expect_error() {
    name=$1; word=$2; shift 2
    run "$@"
    lines=$(wc -l <"$tmp/err" | tr -d ' ')
    if [ "$rc" -ne 0 ] && [ "$rc" -lt 128 ] && [ "$lines" -eq 1 ] &&
        grep -F -q -- "$word" "$tmp/err" && [ ! -s "$tmp/out" ]; then
        ok
    else
        bad "$name" "command: nestwalk $*" \
            "status $rc (want 1..127), $lines stderr line(s) (want 1 naming '$word')" \
            "stderr: $(head -c 300 "$tmp/err")" "stdout: $(head -c 200 "$tmp/out")"
    fi
}

# ---- a raw image, byte offset = hPA (16 pages) ----
# host tables:  H4 0x1000 [0] -> H3 0x2000 [0] -> H2 0x3000 [0] -> H1 0x4000
#               H1[n] = hPA (n + 8) << 12 for gPA pages n = 0..7
#               H5 0xe000 [0] -> H4 (for --host-levels 5)
# guest tables (gPA -> hPA + 0x8000):
#               G4 gPA 0x1000 [0] -> G3 0x2000 [0] -> G2 0x3000
#               G2[2] -> G1 0x4000 (va 0x400000..0x5fffff)
#               G2[3] = 2M page at gPA 0x200000 (the host does not map it)
#               G1[0] = gPA 0x5000 P|W|U; G1[1] = gPA 0x6000 P|U; G1[2] absent
# shadow:       S4 0x5000 [0] -> S3 0x6000 [0] -> S2 0x7000
#               S2[2] -> S1 0xf000, S1[0] = hPA 0xd000 (va 0x400000)
#               S2[4] = SW | hPA 0xc000 (G1): va 0x800000 switches at L2
img=$tmp/raw.img
dd if=/dev/zero of="$img" bs=4096 count=16 2>/dev/null
put() { # put HPA VALUE: 8 bytes, little endian
    v=$(printf '%016x' "$2")
    b=''
    i=15
    while [ $i -ge 1 ]; do
        b="$b\\$(printf '%03o' "0x$(printf '%s' "$v" | cut -c$i-$((i + 1)))")"
        i=$((i - 2))
    done
    printf "$b" | dd of="$img" bs=1 seek=$(($1)) conv=notrunc 2>/dev/null
}
put 0x1000 0x2007; put 0x2000 0x3007; put 0x3000 0x4007
n=0
while [ $n -le 7 ]; do put $((0x4000 + 8 * n)) $((((n + 8) << 12) | 7)); n=$((n + 1)); done
put 0xe000 0x1007
put 0x9000 0x2007; put 0xa000 0x3007
put 0xb010 0x4007; put 0xb018 0x200087
put 0xc000 0x5007; put 0xc008 0x6005
put 0x5000 0x6007; put 0x6000 0x7007
put 0x7010 0xf007; put 0x7020 0x1000000000c007
put 0xf000 0xd007

T="translate --image $img"
V="$T --gcr3 0x1000 --hcr3 0x1000"

# ---- modes on the raw image ----
expect "nested 4K" "va=0x400123 status=ok pa=0xd123 size=4K perm=wux refs=24" \
    $V --mode nested 0x400123
expect "nested read-only user page" "va=0x401fff status=ok pa=0xefff size=4K perm=-ux refs=24" \
    $V --mode nested 0x401fff
expect "nested guest not present at L1" \
    "va=0x402000 status=guest-fault reason=not-present level=1 refs=20 pferr=0x0" \
    $V --mode nested 0x402000
expect "nested host fault on the final gPA (2M guest page)" \
    "va=0x612345 status=host-fault reason=not-present level=2 refs=18 gpa=0x212345 gpt=0" \
    $V --mode nested 0x612345
expect "nested, 5-level host" "va=0x400123 status=ok pa=0xd123 size=4K perm=wux refs=29" \
    $T --gcr3 0x1000 --hcr3 0xe000 --host-levels 5 --mode nested 0x400123
expect "--host-levels 4 explicit" "va=0x400123 status=ok pa=0xd123 size=4K perm=wux refs=24" \
    $V --host-levels 4 --levels 4 --mode nested 0x400123
expect "--ctrl 1 is nested" "va=0x400123 status=ok pa=0xd123 size=4K perm=wux refs=24" \
    $V --ctrl 1 0x400123
expect "shadow" "va=0x400123 status=ok pa=0xd123 size=4K perm=wux refs=4" \
    $V --scr3 0x5000 --mode shadow 0x400123
# SPEC section 8 prints pferr for a guest fault only
expect "shadow fault" \
    "va=0x402000 status=shadow-fault reason=not-present level=1 refs=4" \
    $V --scr3 0x5000 --mode shadow --access write --user 0x402000
expect "agile, switch at shadow L2" "va=0x800abc status=ok pa=0xdabc size=4K perm=wux refs=8" \
    $V --scr3 0x5000 --mode agile 0x800abc
expect "agile, SW in SCR3" "va=0x400123 status=ok pa=0xd123 size=4K perm=wux refs=20" \
    $V --scr3 0x10000000009000 --mode agile 0x400123
expect "vmm-direct" "va=0x400123 status=ok pa=0xd123 size=4K perm=wux refs=4" \
    $T --gcr3 0x1000 --mode vmm-direct --hseg 0:100000:8000 0x400123
expect "guest-direct" "va=0x400123 status=ok pa=0xd123 size=4K perm=wux refs=4" \
    $T --hcr3 0x1000 --mode guest-direct --gseg 400000:800000:ffffffffffc05000 0x400123
expect "dual-direct" "va=0x400123 status=ok pa=0xd123 size=4K perm=wux refs=0" \
    $T --mode dual-direct --gseg 400000:800000:ffffffffffc05000 --hseg 0:100000:8000 0x400123
expect "native direct segment" "va=0x400123 status=ok pa=0x5123 size=4K perm=wux refs=0" \
    $T --mode native --gseg 400000:800000:ffffffffffc05000 0x400123
# LIMIT itself is outside the segment: a native walk from GCR3 = 0 (a page
# of zeros in the image) faults not-present at L4
expect "segment LIMIT is outside" \
    "va=0x800000 status=guest-fault reason=not-present level=4 refs=1 pferr=0x0" \
    $T --mode native --gcr3 0x0 --gseg 400000:800000:ffffffffffc05000 0x800000
expect "--gseg-attr 0, user read" \
    "va=0x400123 status=guest-fault reason=protection level=0 refs=0 pferr=0x5" \
    $T --mode native --gseg 400000:800000:ffffffffffc05000 --gseg-attr 0 --user 0x400123
expect "--gseg-attr 0x8000000000000006 with --nxe, fetch" \
    "va=0x400123 status=guest-fault reason=protection level=0 refs=0 pferr=0x11" \
    $T --mode native --gseg 400000:800000:ffffffffffc05000 --gseg-attr 0x8000000000000006 \
    --nxe --access fetch 0x400123
expect "--gseg-attr 2: perm" "va=0x400123 status=ok pa=0x5123 size=4K perm=w-x refs=0" \
    $T --mode native --gseg 400000:800000:ffffffffffc05000 --gseg-attr 2 0x400123
expect "--hseg-attr 0, write" \
    "va=0x400123 status=host-fault reason=protection level=0 refs=0 gpa=0x5123 gpt=0" \
    $T --mode dual-direct --gseg 400000:800000:ffffffffffc05000 --hseg 0:100000:8000 \
    --hseg-attr 0 --access write 0x400123
expect "--gescape: the page walks (nested)" "va=0x400123 status=ok pa=0xd123 size=4K perm=wux refs=24" \
    $V --mode guest-direct --gseg 400000:800000:ffffffffffc05000 --gescape 400 0x400123
expect "--gescape list, other page: no escape" \
    "va=0x401123 status=ok pa=0xe123 size=4K perm=wux refs=4" \
    $V --mode guest-direct --gseg 400000:800000:ffffffffffc05000 --gescape 7777,400 0x401123
expect "--hescape: the final gPA walks" "va=0x400123 status=ok pa=0xd123 size=4K perm=wux refs=8" \
    $V --mode vmm-direct --hseg 0:100000:8000 --hescape 5 0x400123
expect "--hescape list" "va=0x400123 status=ok pa=0xd123 size=4K perm=wux refs=8" \
    $V --mode vmm-direct --hseg 0:100000:8000 --hescape 6,5 0x400123
expect "--access write on a read-only guest page (WP 0, supervisor)" \
    "va=0x401000 status=ok pa=0xe000 size=4K perm=-ux refs=24" \
    $V --mode nested --access write 0x401000

# ---- bus errors: reads outside the image ----
run $T --gcr3 0x20000 0x1000
got=$(cat "$tmp/out")
case "$got" in
"va=0x1000 status=bus-error level=4 refs=1" | "va=0x1000 status=bus-error reason=none level=4 refs=1")
    [ "$rc" -eq 0 ] && ok || bad "bus error status" "status $rc" ;;
*) bad "bus error outside the image" "got: $got" ;;
esac

# ---- the fixture (QEMU's answers; perm from the leaf, see README) ----
F="translate --image $elf --gcr3 0x614c000"
expect "fixture 0x400000" "va=0x400000 status=ok pa=0x330d000 size=4K perm=-u- refs=4" \
    $F --nxe 0x400000
expect "fixture gcr3 without 0x" "va=0x400abc status=ok pa=0x330dabc size=4K perm=-u- refs=4" \
    translate --image "$elf" --gcr3 614c000 --nxe 0x400abc
expect "fixture several VAs" "va=0x401000 status=ok pa=0x330c000 size=4K perm=-ux refs=4
va=0x5e2008 status=ok pa=0x29f5008 size=4K perm=wu- refs=4
va=0xffffffff81234567 status=ok pa=0x1234567 size=2M perm=--x refs=3
va=0xffff888000000000 status=ok pa=0x0 size=4K perm=w-- refs=4
va=0xffff888000345678 status=ok pa=0x345678 size=2M perm=w-- refs=3" \
    $F --nxe 0x401000 0x5e2008 0xffffffff81234567 0xffff888000000000 0xffff888000345678
expect "fixture --mode native" "va=0x400000 status=ok pa=0x330d000 size=4K perm=-u- refs=4" \
    $F --mode native --nxe 0x400000
# an image that cannot be mapped (a pipe) is read instead, with the same answers
got=$(cat "$elf" | "$bin" translate --image /dev/stdin --gcr3 614c000 --nxe 0x400abc 2>&1)
if [ "$got" = "va=0x400abc status=ok pa=0x330dabc size=4K perm=-u- refs=4" ]; then ok; else
    bad "fixture through a pipe" "got: $got"; fi
expect "fixture --ctrl 0x40 (NXE)" "va=0x400000 status=ok pa=0x330d000 size=4K perm=-u- refs=4" \
    $F --ctrl 0x40 0x400000
expect "fixture without --nxe: XD is reserved" \
    "va=0x400000 status=guest-fault reason=reserved level=1 refs=4 pferr=0x9" $F 0x400000
expect "fixture fetch from an XD page" \
    "va=0x400000 status=guest-fault reason=protection level=1 refs=4 pferr=0x11" \
    $F --nxe --access fetch 0x400000
expect "fixture user write to a read-only page" \
    "va=0x400000 status=guest-fault reason=protection level=1 refs=4 pferr=0x7" \
    $F --nxe --access write --user 0x400000
expect "fixture supervisor write, WP 0" "va=0x401000 status=ok pa=0x330c000 size=4K perm=-ux refs=4" \
    $F --nxe --access write 0x401000
expect "fixture supervisor write, --wp" \
    "va=0x401000 status=guest-fault reason=protection level=1 refs=4 pferr=0x3" \
    $F --nxe --wp --access write 0x401000
expect "fixture --smep supervisor fetch from a user page" \
    "va=0x401000 status=guest-fault reason=protection level=1 refs=4 pferr=0x11" \
    $F --nxe --smep --access fetch 0x401000
expect "fixture --smep user fetch" "va=0x401000 status=ok pa=0x330c000 size=4K perm=-ux refs=4" \
    $F --nxe --smep --access fetch --user 0x401000
expect "fixture --smep without --nxe: I/D still set" \
    "va=0x401000 status=guest-fault reason=protection level=1 refs=4 pferr=0x11" \
    $F --smep --access fetch 0x401000
expect "fixture --access read" "va=0x401000 status=ok pa=0x330c000 size=4K perm=-ux refs=4" \
    $F --nxe --access read --user 0x401000
expect "fixture user read of a kernel page" \
    "va=0xffffffff81000000 status=guest-fault reason=protection level=2 refs=3 pferr=0x5" \
    $F --nxe --user 0xffffffff81000000
expect "fixture unmapped" \
    "va=0x8000000000 status=guest-fault reason=not-present level=4 refs=1 pferr=0x0
va=0x420000 status=guest-fault reason=not-present level=1 refs=4 pferr=0x0
va=0xffffea0000400000 status=guest-fault reason=not-present level=2 refs=3 pferr=0x0" \
    $F --nxe 0x8000000000 0x420000 0xffffea0000400000
expect "fixture non-canonical" \
    "va=0x800000000000 status=guest-fault reason=non-canonical level=0 refs=0 pferr=0x0" \
    $F --nxe 0x800000000000
# --levels 5 walks the same root as a PML5: L5[0] -> 0x6307000 as L4,
# L4[0] -> 0x61fd000 as L3, whose entry 0 is not present; for
# 0x800000000000 (canonical with 57 bits) L4 index 0x100 of 0x6307000 is
# not present
expect "fixture --levels 5" \
    "va=0x400000 status=guest-fault reason=not-present level=3 refs=3 pferr=0x0" \
    $F --nxe --levels 5 0x400000
expect "fixture --levels 5: 57-bit canonical" \
    "va=0x800000000000 status=guest-fault reason=not-present level=4 refs=2 pferr=0x0" \
    $F --nxe --levels 5 0x800000000000
# a VMM direct segment with offset 0 over the fixture: the same answer
expect "fixture vmm-direct identity" "va=0x5e2008 status=ok pa=0x29f5008 size=4K perm=wu- refs=4" \
    $F --nxe --mode vmm-direct --hseg 0:10000000:0 0x5e2008
expect "fixture dual-direct over the direct map" \
    "va=0xffff888001234568 status=ok pa=0x1234568 size=4K perm=wux refs=0" \
    $F --mode dual-direct --gseg ffff888000000000:ffff888010000000:0000778000000000 \
    --hseg 0:10000000:0 0xffff888001234568

# ---- --addrs FILE and - ----
printf '0x400000\n0x401000\n0x8000000000\n' >"$tmp/addrs"
want3="va=0x400000 status=ok pa=0x330d000 size=4K perm=-u- refs=4
va=0x401000 status=ok pa=0x330c000 size=4K perm=-ux refs=4
va=0x8000000000 status=guest-fault reason=not-present level=4 refs=1 pferr=0x0"
expect "--addrs FILE" "$want3" $F --nxe --addrs "$tmp/addrs"
"$bin" $F --nxe --addrs - <"$tmp/addrs" >"$tmp/out" 2>"$tmp/err"
rc=$?
if [ "$rc" -eq 0 ] && [ "$(cat "$tmp/out")" = "$want3" ] && [ ! -s "$tmp/err" ]; then ok; else
    bad "--addrs - (stdin)" "got: $(cat "$tmp/out")" "status $rc stderr $(cat "$tmp/err")"
fi

# "one VA a line": a line holding two VAs is not a VA; it must not be
# half-used (the second address silently dropped)
printf '0x400000 0x401000\n' >"$tmp/twoaddrs"
run $F --nxe --addrs "$tmp/twoaddrs"
if [ "$rc" -ne 0 ] && [ "$rc" -lt 128 ] && [ "$(wc -l <"$tmp/err" | tr -d ' ')" -eq 1 ]; then ok; else
    bad "--addrs line with two VAs is bad input" "status $rc, stdout: $(cat "$tmp/out")" \
        "stderr: $(cat "$tmp/err")"
fi

# ---- --json: one object per line, the same keys ----
run $F --nxe --json 0x400000 0x8000000000
l1=$(sed -n 1p "$tmp/out")
l2=$(sed -n 2p "$tmp/out")
nl=$(wc -l <"$tmp/out" | tr -d ' ')
jok=1
for kv in '"va": *"0x400000"' '"status": *"ok"' '"pa": *"0x330d000"' '"size": *"4K"' \
    '"perm": *"-u-"' '"refs": *"?4"?[,}]'; do
    printf '%s' "$l1" | grep -E -q "$kv" || { jok=0; bad "--json ok line has $kv" "got: $l1"; }
done
for kv in '"va": *"0x8000000000"' '"status": *"guest-fault"' '"reason": *"not-present"' \
    '"level": *"?4"?[,}]' '"refs": *"?1"?[,}]' '"pferr": *"?0x0"?[,}]'; do
    printf '%s' "$l2" | grep -E -q "$kv" || { jok=0; bad "--json fault line has $kv" "got: $l2"; }
done
case "$l1" in "{"*"}") ;; *) jok=0; bad "--json line is an object" "got: $l1" ;; esac
run $V --mode nested --json 0x612345
l3=$(cat "$tmp/out")
for kv in '"status": *"host-fault"' '"reason": *"not-present"' '"level": *"?2"?[,}]' \
    '"refs": *"?18"?[,}]' '"gpa": *"?0x212345"?[,}]' '"gpt": *"?0"?[,}]'; do
    printf '%s' "$l3" | grep -E -q "$kv" || { jok=0; bad "--json host-fault line has $kv" "got: $l3"; }
done
[ "$nl" -eq 2 ] || { jok=0; bad "--json: one line per VA" "got $nl lines"; }
[ $jok -eq 1 ] && ok

# ---- bad input: one line on stderr naming it, non-zero status, no crash ----
# ---- walk caches (SPEC section 9) on the fixture: 0x400000 and 0x401000
# share every table down to L1, so with the caches warm the second walk
# starts at the guest PSC's L2 entry and reads its L1 entry only;
# 0xffff88800fe00000 shares no table entry above L1 with them (another
# L4 index): 4 reads. Without --walk-caches every walk reads 4.
L1="va=0x400000 status=ok pa=0x330d000 size=4K perm=-u- refs=4"
L1W="va=0x400000 status=ok pa=0x330d000 size=4K perm=-u- refs=1"
L2="va=0x401000 status=ok pa=0x330c000 size=4K perm=-ux refs=4"
L2W="va=0x401000 status=ok pa=0x330c000 size=4K perm=-ux refs=1"
L3="va=0x402000 status=ok pa=0x330b000 size=4K perm=-ux refs=4"
L3W="va=0x402000 status=ok pa=0x330b000 size=4K perm=-ux refs=1"
LK="va=0xffff88800fe00000 status=ok pa=0xfe00000 size=4K perm=w-- refs=4"
expect "--walk-caches warm from one VA to the next" "$L1
$L2W
$LK
$L1W" $F --nxe --walk-caches 400000 401000 ffff88800fe00000 400000
expect "without --walk-caches" "$L1
$L2" $F --nxe 400000 401000
expect "--ctrl with WC_EN (0x2040)" "$L1
$L2W" $F --ctrl 2040 400000 401000
expect "--flush-every 1" "$L1
$L2
$L3" $F --nxe --walk-caches --flush-every 1 400000 401000 402000
expect "--flush-every 2: flushes before VAs 0 and 2" "$L1
$L2W
$L3
$L1W" $F --nxe --walk-caches --flush-every 2 400000 401000 402000 400000
printf '401000\n402000\n' >"$tmp/wcaddrs"
expect "--flush-every counts the VAs of --addrs after the command line's" "$L1
$L2W
$L3" $F --nxe --walk-caches --flush-every 2 --addrs "$tmp/wcaddrs" 400000
expect_error "--flush-every 0" "--flush-every" $F --walk-caches --flush-every 0 400000
expect_error "--flush-every not a number" "x7" $F --walk-caches --flush-every x7 400000
expect_error "--flush-every negative" "-3" $F --walk-caches --flush-every -3 400000
expect_error "--flush-every too large" "99999999999999999999999" $F --flush-every 99999999999999999999999 400000
expect_error "--flush-every without its value" "--flush-every" $F 400000 --flush-every
expect_error "--ctrl with a bit CTRL lacks" "0x4000" $F --ctrl 4000 400000

# ---- DMT (SPEC section 10) on the fixture: the kernel keeps the level-1
# table of 0x400000's 2 MiB at PA 0x630d000 and that of
# 0xffff88800fe00000's at 0x4404000 (each the fourth read of its walk, and
# L1 index 0 of the window's first page), so a guest window from each
# region's start with that table as its TEA reads exactly one entry: the
# walk's own leaf. A TEA where the image has no page (0x600000) is a bus
# error at level 1.
D1="va=0x400000 status=ok pa=0x330d000 size=4K perm=-u- refs=1"
D2="va=0x401000 status=ok pa=0x330c000 size=4K perm=-ux refs=1"
DK="va=0xffff88800fe00000 status=ok pa=0xfe00000 size=4K perm=w-- refs=1"
expect "--gdmt: one read" "$D1
$D2" $F --nxe --gdmt 400000:600000:630d000 400000 401000
expect "--mode dmt, two windows" "$D1
$DK" $F --nxe --mode dmt --gdmt 400000:600000:630d000 \
    --gdmt ffff88800fe00000:ffff888010000000:4404000 400000 ffff88800fe00000
expect "--gdmt: outside every window the walk" "$L3" $F --nxe --gdmt 400000:402000:630d000 402000
expect "--gdmt: lowest window wins" "$D1" $F --nxe --gdmt 400000:600000:630d000 \
    --gdmt 400000:600000:600000 400000
expect "--gdmt: bus error on the DMT read at level 1" \
    "va=0x400000 status=bus-error level=1 refs=1" $F --nxe --gdmt 400000:600000:600000 400000
expect "--gdmt :pv is ignored natively" "$D1" $F --nxe --gdmt 400000:600000:630d000:pv 400000
expect "--hdmt is ignored natively" "$L1" $F --nxe --hdmt 0:10000000:600000 400000
expect "--mode dmt without windows walks" "$L1" $F --nxe --mode dmt 400000
expect "--ctrl with GDMT_EN (0x840)" "$D1" $F --ctrl 840 --gdmt 400000:600000:630d000 400000
expect_error "a fifth --gdmt" "--gdmt windows" $F --gdmt 0:0:0 --gdmt 0:0:0 --gdmt 0:0:0 \
    --gdmt 0:0:0 --gdmt 0:0:0 400000
expect_error "a fifth --hdmt" "--hdmt windows" $F --hdmt 0:0:0 --hdmt 0:0:0 --hdmt 0:0:0 \
    --hdmt 0:0:0 --hdmt 0:0:0 400000
expect_error "--gdmt with two fields" "1:2" $F --gdmt 1:2 400000
expect_error "--gdmt with a malformed number" "'zz'" $F --gdmt 1:2:zz 400000
expect_error "--gdmt with an empty number" "--gdmt" $F --gdmt 1::3 400000
expect_error "--gdmt with a bad flag" "1:2:3:px" $F --gdmt 1:2:3:px 400000
expect_error "--gdmt with five fields" "1:2:3:pv:5" $F --gdmt 1:2:3:pv:5 400000
expect_error "--hdmt has no pv" "1:2:3:pv" $F --hdmt 1:2:3:pv 400000
expect_error "--gdmt with a 17-digit number" "11111111111111111" $F \
    --gdmt 11111111111111111:2:3 400000
expect_error "--gdmt without a value" "--gdmt" $F 400000 --gdmt

expect_error "missing image" "$tmp/nothere.elf" translate --image "$tmp/nothere.elf" 0x1000
head -c 3000 "$elf" >"$tmp/trunc.elf"
expect_error "truncated ELF" "trunc.elf" translate --image "$tmp/trunc.elf" --gcr3 0x614c000 0x400000
printf '\177ELF\002\001\001\000garbage garbage garbage garbage garbage garbage garbage' >"$tmp/garbage.elf"
expect_error "garbage ELF" "garbage.elf" translate --image "$tmp/garbage.elf" 0x400000
expect_error "malformed --gcr3" "xyz" $F --gcr3 xyz 0x400000
expect_error "malformed VA" "0x40zz" $F 0x40zz
expect_error "malformed --ctrl" "12g" $F --ctrl 12g 0x400000
expect_error "malformed --gseg" "1:2" $F --gseg 1:2 0x400000
expect_error "malformed --gescape" "zz" $F --gescape 400,zz 0x400000
expect_error "bad --levels" "levels" $F --levels 7 0x400000
expect_error "bad --access" "execute" $F --access execute 0x400000
expect_error "unknown mode" "foo" $F --mode foo 0x400000
expect_error "unknown option" "--bogus" $F --bogus 0x400000
expect_error "missing --addrs file" "$tmp/noaddrs" $F --addrs "$tmp/noaddrs"
expect_error "option without its value" "--gcr3" translate --image "$elf" --gcr3
# a directory cannot be read as a file of VAs (or as an image)
mkdir "$tmp/adir"
expect_error "--addrs names a directory" "$tmp/adir" $F --addrs "$tmp/adir"
expect_error "--image names a directory" "$tmp/adir: is a directory" translate --image "$tmp/adir" 0x1000
expect_error "unknown --hseg-attr value" "q1" $F --hseg-attr q1 0x400000
printf '0x400000\nnot-a-number\n' >"$tmp/badaddrs"
run $F --nxe --addrs "$tmp/badaddrs"
if [ "$rc" -ne 0 ] && [ "$rc" -lt 128 ] && [ "$(wc -l <"$tmp/err" | tr -d ' ')" -eq 1 ] &&
    grep -q "not-a-number" "$tmp/err"; then ok; else
    bad "malformed VA in --addrs" "status $rc stderr $(cat "$tmp/err")"
fi

# ---- sim: a lackey trace through the TLBs (model/tests/test_sim.c works
# the tiny trace's figures out: 4 first touches, each a miss; native 4
# reads, nested 24; 6 records, 3 instructions at CPI 1) ----
tiny=$tmp/tiny.lackey
printf '==42== Command: tiny\nI  00400000,4\n L 00600000,8\nI  00400004,4\n S 00600ffc,8\nI  00400008,4\n M 00700000,4\n==42== \n' >"$tiny"
T_HEAD="workload tiny: 6 records, 3 instructions, 4 pages touched (0.0 MiB), 4 mapped at first touch (4 KiB pages); guest segment over 4 pages, 1 DMT window
mode          wc    accesses   miss/1k reads/mis   VMM int. walk cyc/1k  VMM cyc/1k  slowdown"
T_NATIVE="native       off           6   666.667      4.00          0     80000.0         0.0     1.000"
T_NESTED="nested       off           6   666.667     24.00          0    480000.0         0.0     5.969"
expect "sim: native and nested, a file" "$T_HEAD
$T_NATIVE
$T_NESTED" sim --modes native,nested --walk-caches off --name tiny "$tiny"
# `-` reads standard input (valgrind ... | nestwalk sim -)
"$bin" sim --modes native,nested --walk-caches off --name tiny - <"$tiny" >"$tmp/out" 2>"$tmp/err"
if [ $? -eq 0 ] && [ "$(cat "$tmp/out")" = "$T_HEAD
$T_NATIVE
$T_NESTED" ] && [ ! -s "$tmp/err" ]; then ok; else bad "sim: - reads standard input" "$(cat "$tmp/out" "$tmp/err")"; fi
expect "sim --json" '{"workload":"tiny","mode":"nested","wc":0,"accesses":6,"instructions":3,"walks":4,"reads":96,"interventions":0,"to_nested":0,"to_shadow":0,"misses_per_k":666.666667,"reads_per_miss":24.000000,"walk_cycles_per_k":480000.00,"vmm_cycles_per_k":0.00,"base_cycles_per_k":500.00,"slowdown":0.0000}' \
    sim --modes nested --walk-caches off --json --name tiny "$tiny"
# the binary form: written, read back (gzip-compressed) to the same table
expect "sim --write-trace" "" sim --write-trace "$tmp/tiny.nwt.gz" "$tiny"
expect "sim: the binary form reads back" "$T_HEAD
$T_NATIVE
$T_NESTED" sim --modes native,nested --walk-caches off --name tiny "$tmp/tiny.nwt.gz"
# a window of the trace: records 2..4 (the load, a fetch, the store over
# two pages)
run sim --skip 1 --limit 3 --modes native --walk-caches off "$tiny"
if [ "$rc" -eq 0 ] && grep -q "^workload .*: 3 records, 1 instructions, 3 pages touched" "$tmp/out"; then ok; else
    bad "sim --skip 1 --limit 3" "$(cat "$tmp/out" "$tmp/err")"; fi
# every mode, with and without walk caches: 16 rows and the header
run sim "$tiny"
if [ "$rc" -eq 0 ] && [ "$(wc -l <"$tmp/out")" -eq 18 ]; then ok; else bad "sim: 16 rows" "$(cat "$tmp/out")"; fi
# valgrind's own lines are skipped whatever their length (they quote the
# command line); a record line too long is an error
{ printf '==7== Command: '; i=0; while [ $i -lt 100 ]; do printf 'argument '; i=$((i + 1)); done
  printf '\n I 0400000,4\n'; } >"$tmp/longnoise"
run sim --modes native --walk-caches off "$tmp/longnoise"
if [ "$rc" -ne 0 ] && grep -q "line 2" "$tmp/err"; then ok; else bad "sim: long valgrind line skipped" "$(cat "$tmp/out" "$tmp/err")"; fi
sed 's/^ I 0400000,4$/I  0400000,4/' "$tmp/longnoise" >"$tmp/longnoise2"
run sim --modes native --walk-caches off "$tmp/longnoise2"
if [ "$rc" -eq 0 ] && grep -q ": 1 records" "$tmp/out"; then ok; else bad "sim: long valgrind line skipped, the record read" "$(cat "$tmp/out" "$tmp/err")"; fi
{ printf ' L 0400000,'; i=0; while [ $i -lt 100 ]; do printf '000'; i=$((i + 1)); done; printf '8\n'; } >"$tmp/longline"
expect_error "sim: a record line too long" "line 1: line too long" sim "$tmp/longline"
printf 'I  00400000,4\n L 00600000,8\n X 123,4\n' >"$tmp/badline"
expect_error "sim: a bad line, named with its number" "line 3" sim "$tmp/badline"
expect_error "sim: a missing trace" "$tmp/none" sim "$tmp/none"
expect_error "sim: a directory" "is a directory" sim "$tmp"
expect_error "sim: no trace" "no trace" sim --modes native
: >"$tmp/empty"
expect_error "sim: an empty trace" "no trace records" sim "$tmp/empty"
expect_error "sim: two traces" "more than one trace" sim "$tiny" "$tiny"
expect_error "sim: unknown option" "--frob" sim --frob "$tiny"
expect_error "sim: unknown mode" "bogus" sim --modes native,bogus "$tiny"
expect_error "sim: TLB not a multiple of its ways" "--dtlb" sim --dtlb 10:4 "$tiny"
expect_error "sim: TLB malformed" "--stlb" sim --stlb 1536 "$tiny"
expect_error "sim: guest memory not a power of two" "--guest-mem" sim --guest-mem 100 "$tiny"
expect_error "sim: bad count" "--interval" sim --interval 0 "$tiny"
expect_error "sim: bad cycles" "--read-cycles" sim --read-cycles x "$tiny"
expect_error "sim: bad host pages" "--host-pages" sim --host-pages 1g "$tiny"
expect_error "sim: option without its value" "--limit" sim "$tiny" --limit
printf 'NWTRACE1\n\005\377' >"$tmp/cut.nwt"
expect_error "sim: a damaged binary trace" "damaged" sim "$tmp/cut.nwt"
# 40 pages of 2 MiB do not fit in 64 MiB of guest memory
i=0; while [ $i -lt 40 ]; do printf ' L %x,8\n' $((0x40000000 + i * 0x200000)); i=$((i + 1)); done >"$tmp/big"
expect_error "sim: guest memory runs out" "guest memory of 64 MiB ran out" sim --thp --guest-mem 64 "$tmp/big"

# ---- usage and version: stdout, status 0, nothing on stderr ----
# expect_usage NAME FIRST_LINE ARGS...: the first line of stdout exactly
expect_usage() {
    name=$1; want=$2; shift 2
    run "$@"
    got=$(head -n 1 "$tmp/out")
    if [ "$rc" -eq 0 ] && [ "$got" = "$want" ] && [ ! -s "$tmp/err" ]; then ok; else
        bad "$name" "command: nestwalk $*" "expected first line: $want" "got: $got" \
            "status $rc, stderr: $(head -c 300 "$tmp/err")"
    fi
}
U_ALL="usage: nestwalk translate --image FILE [options] [VA ...]"
expect_usage "--help" "$U_ALL" --help
expect_usage "-h" "$U_ALL" -h
expect_usage "translate --help" "$U_ALL" translate --help
expect_usage "translate -h" "$U_ALL" translate -h
# --help wins over the options around it, a missing image included
expect_usage "translate ... --help" "$U_ALL" translate --gcr3 614c000 --help 0x400000
expect_usage "demo --help" "usage: nestwalk demo" demo --help
expect_usage "bench --help" "usage: nestwalk bench [--fixture DIR] [--seconds S] [--images DIR]" bench --help
expect_usage "sim --help" "usage: nestwalk sim [options] TRACE|-" sim --help
# translate's usage names every option of SPEC section 8 that it takes
run translate --help
for o in --image --mode --ctrl --gcr3 --hcr3 --scr3 --levels --host-levels --nxe --wp \
         --smep --gseg --hseg --gseg-attr --hseg-attr --gescape --hescape --access \
         --user --addrs --json; do
    if grep -q -- "$o" "$tmp/out"; then ok; else bad "translate --help names $o" "$(cat "$tmp/out")"; fi
done
# the version is the one of defs/nestwalk.toml
ver=$(sed -n 's/^version = "\(.*\)"$/\1/p' "$(dirname "$0")/../../defs/nestwalk.toml")
expect "--version" "nestwalk $ver" --version
expect_error "demo with an argument" "extra" demo extra
expect_error "unknown command" "frob" frob
expect_error "no command" "no command"

# ---- demo ----
run demo
if [ "$rc" -eq 0 ] && [ ! -s "$tmp/err" ]; then ok; else bad "demo runs" "status $rc stderr $(head -c 300 "$tmp/err")"; fi
for m in native nested shadow agile direct; do
    if grep -i -q "$m" "$tmp/out"; then ok; else bad "demo table mentions $m" "$(head -c 500 "$tmp/out")"; fi
done
# the nested row shows SPEC section 1's 24 (35) reads
if grep -i "nested" "$tmp/out" | grep -E -q '24.*35'; then ok; else
    bad "demo: nested row with 24 and 35" "$(grep -i nested "$tmp/out")"; fi

# the walk caches' section: a nested miss of the sequential stream costs
# the guest L1 entry and the final gPA's host L1 entry (2 reads), a little
# more where the stream crosses a 2 MiB boundary
seq=$(sed -n '/With walk caches/,$p' "$tmp/out" | grep "nested" | awk '{print $4}')
if awk -v x="$seq" 'BEGIN { exit !(x >= 2 && x < 2.1) }'; then ok; else
    bad "demo: nested sequential stream with walk caches 2 to 2.1 reads" "got '$seq'"; fi

# the DMT section: every row measured equal to SPEC's count, and the
# native row 1 read in both columns
dmt=$(sed -n '/^DMT (SPEC/,$p' "$tmp/out")
if printf '%s\n' "$dmt" | grep -q "^DMT, native  *1  *1  *1  *1  same$"; then ok; else
    bad "demo: DMT native row 1 1 1 1 same" "$dmt"; fi
if [ "$(printf '%s\n' "$dmt" | grep -c ' same$')" -eq 5 ] &&
    ! printf '%s\n' "$dmt" | grep -q "differ"; then ok; else
    bad "demo: five DMT rows, all same, none differing" "$dmt"; fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
