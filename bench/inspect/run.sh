#!/bin/bash
# Benchmark: `berth inspect` (default report) vs `go version -m` on the same Go binaries, one call
# each, and the resident memory of inspecting a 100 MB Go binary.
# usage: bench/inspect/run.sh [BERTH] [FIXTURE_DIR]   (defaults: build/berth, build/fixtures)
# Needs: hyperfine, GNU time (/usr/bin/time), golang-go. Prints medians in milliseconds.
set -euo pipefail
cd "$(dirname "$0")/../.."
BERTH=${1:-build/berth}
FIX=${2:-build/fixtures}
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT

files=()
for f in "$FIX"/go/*; do
    [ -x "$f" ] && [ -f "$f" ] && files+=("$f")
done
[ ${#files[@]} -gt 0 ] || { echo "no Go fixtures in $FIX/go: run ctest first" >&2; exit 2; }

median_ms() { # hyperfine JSON -> median in ms
    python3 -c 'import json,sys; print("%.2f" % (json.load(open(sys.argv[1]))["results"][0]["median"]*1000))' "$1"
}

echo "# inspect vs go version -m, one call per file (median of hyperfine runs, ms)"
printf '%-22s %12s %14s\n' file "berth inspect" "go version -m"
total_b=0; total_g=0
for f in "${files[@]}"; do
    hyperfine -N -w 3 -r 20 --export-json "$OUT/b.json" "$BERTH inspect $f" >/dev/null 2>&1
    hyperfine -N -w 3 -r 20 --export-json "$OUT/g.json" "go version -m $f" >/dev/null 2>&1
    b=$(median_ms "$OUT/b.json"); g=$(median_ms "$OUT/g.json")
    printf '%-22s %12s %14s\n' "$(basename "$f")" "$b" "$g"
    total_b=$(python3 -c "print($total_b+$b)"); total_g=$(python3 -c "print($total_g+$g)")
done
printf '%-22s %12.2f %14.2f\n' "sum of medians" "$total_b" "$total_g"

echo
echo "# resident memory inspecting a 100 MB Go binary (max RSS, KiB)"
BIG=$OUT/big
mkdir -p "$BIG/src"
head -c 95000000 /dev/urandom >"$BIG/src/blob.bin"
cat >"$BIG/src/main.go" <<'GO'
package main

import (
	_ "embed"
	"fmt"
)

//go:embed blob.bin
var blob []byte

func main() { fmt.Println(len(blob)) }
GO
printf 'module example.com/big\n\ngo 1.19\n' >"$BIG/src/go.mod"
(cd "$BIG/src" && GOFLAGS=-mod=mod GOPROXY=off CGO_ENABLED=0 go build -o "$BIG/big" .)
ls -l "$BIG/big" | awk '{printf "binary size: %.1f MB\n", $5/1e6}'
/usr/bin/time -f '%M' -o "$OUT/rss" "$BERTH" inspect "$BIG/big" >/dev/null
echo "berth inspect max RSS: $(cat "$OUT/rss") KiB"
/usr/bin/time -f '%M' -o "$OUT/rss" "$BERTH" inspect --json "$BIG/big" >/dev/null
echo "berth inspect --json max RSS: $(cat "$OUT/rss") KiB"
/usr/bin/time -f '%M' -o "$OUT/rss" go version -m "$BIG/big" >/dev/null
echo "go version -m max RSS: $(cat "$OUT/rss") KiB"
