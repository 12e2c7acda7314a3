#!/bin/sh
# Installs, from Debian's packages, whichever of the named tools is missing,
# so that `make demo` and `make test` work on a fresh Debian 12 machine.
# Usage: scripts/setup.sh TOOL...   (cc make gzip verilator iverilog yosys z3 nextpnr-ice40
#                                    clang; the libraries zlib and libfuzzer)
set -e
missing=
for tool in "$@"; do
    case $tool in
        # libraries: present when their file is
        zlib) [ -f /usr/include/zlib.h ] && continue ;;
        libfuzzer) ls /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a \
                       >/dev/null 2>&1 && continue ;;
        *) command -v "$tool" >/dev/null 2>&1 && continue ;;
    esac
    case $tool in
        zlib) pkg=zlib1g-dev ;;
        libfuzzer) pkg=libclang-rt-14-dev ;;
        cc) pkg=gcc ;;
        yosys|yosys-smtbmc|yosys-abc) pkg=yosys ;;
        nextpnr-ice40) pkg=nextpnr-ice40 ;;
        icepack) pkg=fpga-icestorm ;;
        *) pkg=$tool ;;
    esac
    missing="$missing $pkg"
done
[ -z "$missing" ] && exit 0
echo "setup: installing$missing"
sudo=
[ "$(id -u)" -eq 0 ] || sudo=sudo
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq >/dev/null
$sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null
