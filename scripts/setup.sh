#!/bin/sh
# Installs, from Debian's packages, whichever of the named tools is missing,
# so that `make demo` and `make test` work on a fresh Debian 12 machine.
# Usage: scripts/setup.sh TOOL...   (cc make gzip verilator iverilog yosys z3 nextpnr-ice40
#                                    clang; make eval's valgrind sqlite3 xz sort
#                                    redis-server redis-benchmark redis-cli;
#                                    the libraries zlib, libfuzzer and
#                                    libpython, the shared Python that cocotb
#                                    loads into the simulator)
#        scripts/setup.sh --venv DIR PACKAGE==VERSION...
#            PyPI packages (cocotb, fusesoc) into the virtual environment DIR,
#            made first with python3 -m venv (Debian's python3-venv), so
#            that nothing is installed into the system's Python; a package
#            already there at that version is left alone.
set -e
sudo=
[ "$(id -u)" -eq 0 ] || sudo=sudo
apt_install() {
    echo "setup: installing $*"
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get update -qq >/dev/null
    $sudo apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}
if [ "${1:-}" = --venv ]; then
    dir=$2; shift 2
    if [ ! -x "$dir/bin/python" ]; then
        python3 -c 'import ensurepip' 2>/dev/null || apt_install python3-venv
        python3 -m venv "$dir" || { rm -rf "$dir"; echo "setup: python3 -m venv $dir failed"; exit 1; }
    fi
    want=
    for spec in "$@"; do
        have=$("$dir/bin/python" -m pip show "${spec%%==*}" 2>/dev/null | sed -n 's/^Version: //p')
        [ "$have" = "${spec#*==}" ] || want="$want $spec"
    done
    [ -z "$want" ] && exit 0
    echo "setup: pip installing$want into $dir"
    # shellcheck disable=SC2086
    "$dir/bin/python" -m pip install -q $want
    exit 0
fi
missing=
for tool in "$@"; do
    case $tool in
        # libraries: present when their file is
        zlib) [ -f /usr/include/zlib.h ] && continue ;;
        libpython) python3 -c 'import glob, sys, sysconfig
v = sysconfig.get_config_var
sys.exit(not glob.glob("%s/libpython%s*.so*" % (v("LIBDIR"), v("VERSION"))))' && continue ;;
        libfuzzer) ls /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a \
                       >/dev/null 2>&1 && continue ;;
        *) command -v "$tool" >/dev/null 2>&1 && continue ;;
    esac
    case $tool in
        zlib) pkg=zlib1g-dev ;;
        libpython) pkg=libpython$(python3 -c 'import sysconfig; print(sysconfig.get_config_var("VERSION"))') ;;
        libfuzzer) pkg=libclang-rt-14-dev ;;
        cc) pkg=gcc ;;
        yosys|yosys-smtbmc|yosys-abc) pkg=yosys ;;
        nextpnr-ice40) pkg=nextpnr-ice40 ;;
        icepack) pkg=fpga-icestorm ;;
        redis-benchmark|redis-cli) pkg=redis-tools ;;
        xz) pkg=xz-utils ;;
        sort) pkg=coreutils ;;
        *) pkg=$tool ;;
    esac
    missing="$missing $pkg"
done
[ -z "$missing" ] && exit 0
# shellcheck disable=SC2086
apt_install $missing
