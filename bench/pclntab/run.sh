#!/bin/bash
# Measures extracting the Go function table of a ~50 MB Go binary: wall time (median of RUNS)
# and maximum resident set size, for berth's reader (by section and by scanning a copy without
# section headers), `berth inspect --symbols` when the command has it, and `go tool nm`.
# Budget from the issue: under 0.3 s and 32 MiB resident.
#
#   bench/pclntab/run.sh [BUILD_DIR] [WORK_DIR]     (defaults: build-pclntab, /tmp/berth-bench-pclntab)
#
# The binary is real: a program that references every exported function and method of the
# standard library plus 20 generated packages (bench/pclntab/gen), built with Go 1.19 from apt.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
SRC=$(cd "$HERE/../.." && pwd)
BUILD=${1:-$SRC/build-pclntab}
WORK=${2:-/tmp/berth-bench-pclntab}
RUNS=${RUNS:-7}
mkdir -p "$WORK"

export GOCACHE=$WORK/go-cache GOPROXY=off GOFLAGS=-mod=mod
BIG=$WORK/big50
if [ ! -e "$BIG" ]; then
    echo "building $BIG (a few minutes)"
    rm -rf "$WORK/src"
    mkdir -p "$WORK/src"
    (cd "$HERE/gen" && go run main.go "$WORK/src" 20 700)
    (cd "$WORK/src" && go build -o "$BIG.tmp" .)
    mv "$BIG.tmp" "$BIG"
fi
# The same file without section headers: the reader must scan the segments for the header.
if [ ! -e "$BIG-noshdr" ]; then
    cp "$BIG" "$BIG-noshdr.tmp"
    printf '\0\0\0\0\0\0\0\0' | dd of="$BIG-noshdr.tmp" bs=1 seek=$((0x28)) conv=notrunc status=none
    printf '\0\0\0\0' | dd of="$BIG-noshdr.tmp" bs=1 seek=$((0x3c)) conv=notrunc status=none
    mv "$BIG-noshdr.tmp" "$BIG-noshdr"
fi

ninja -C "$BUILD" berthcore >/dev/null
DRIVER=$WORK/extract
${CXX:-c++} -std=c++20 -O2 -DFMT_HEADER_ONLY -I"$SRC/src" "$HERE/extract.cpp" \
    "$BUILD/libberthcore.a" -lelf -lz -lyaml-cpp -lssl -lcrypto -o "$DRIVER"

# measure LABEL CMD...: median wall time over RUNS and the largest max RSS.
measure() {
    local label=$1
    shift
    "$@" >/dev/null # warm the page cache
    local times=() rss=0 t0 t1 r
    for _ in $(seq "$RUNS"); do
        t0=$(date +%s%N)
        /usr/bin/time -o "$WORK/rss" -f '%M' "$@" >/dev/null 2>&1
        r=$(tail -1 "$WORK/rss")
        t1=$(date +%s%N)
        times+=($(((t1 - t0) / 1000)))
        [ "$r" -gt "$rss" ] && rss=$r
    done
    local median
    median=$(printf '%s\n' "${times[@]}" | sort -n | sed -n "$(((RUNS + 1) / 2))p")
    printf '%-34s %8.3f s %8.1f MiB\n' "$label" "$(echo "$median / 1000000" | bc -l)" \
        "$(echo "$rss / 1024" | bc -l)"
}

echo "file: $BIG ($(stat -c %s "$BIG") bytes), $("$DRIVER" "$BIG")"
echo "runs: $RUNS (median wall time incl. process start, max RSS)"
measure "berth reader (.gopclntab section)" "$DRIVER" "$BIG"
measure "berth reader (scan, no sections)" "$DRIVER" "$BIG-noshdr"
BERTH=$BUILD/berth
if [ -x "$BERTH" ] && "$BERTH" inspect --help 2>/dev/null | grep -q -- --symbols; then
    measure "berth inspect --symbols" "$BERTH" inspect --symbols "$BIG"
fi
measure "go tool nm" go tool nm "$BIG"
