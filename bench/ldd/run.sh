#!/bin/bash
# Benchmark: `berth ldd` over every ELF file in /usr/bin in ONE call, against `libtree` over the
# same files in one call, and against a loop running `ldd` (which executes ld.so --list) per file.
# Needs: hyperfine, libtree (apt). Usage: bench/ldd/run.sh [BERTH_EXE] [RUNS]
# Prints hyperfine's table and the medians (seconds); JSON results go to $OUT (default /tmp).
set -euo pipefail
BERTH=${1:-$(dirname "$0")/../../build/berth}
RUNS=${2:-10}
OUT=${OUT:-/tmp}
LIST=$OUT/berth-bench-ldd-files.txt
for f in /usr/bin/*; do
    [ -f "$f" ] && [ "$(head -c4 "$f" | tr -d '\0')" = "$(printf '\177ELF')" ] && echo "$f"
done >"$LIST"
echo "files: $(wc -l <"$LIST") ELF files from /usr/bin"
FILES=$(tr '\n' ' ' <"$LIST")
unset LD_LIBRARY_PATH || true

# -i: both tools exit non-zero when some library is missing (java's libjli.so via $ORIGIN).
hyperfine -N -i --warmup 2 --runs "$RUNS" --export-json "$OUT/berth-bench-ldd-fast.json" \
    -n "berth ldd (one call)" "$BERTH ldd $FILES" \
    -n "libtree (one call)" "libtree $FILES"
hyperfine -i --warmup 1 --runs 3 --export-json "$OUT/berth-bench-ldd-loop.json" \
    -n "ldd loop" "while IFS= read -r f; do ldd \"\$f\"; done < $LIST > /dev/null 2>&1"

python3 - "$OUT/berth-bench-ldd-fast.json" "$OUT/berth-bench-ldd-loop.json" <<'PY'
import json, sys
rows = []
for path in sys.argv[1:]:
    for r in json.load(open(path))["results"]:
        rows.append((r["command"], r["median"], r["user"], r["system"]))
for name, median, user, system in rows:
    print(f"{name:24s} median {median*1000:9.1f} ms   (user {user*1000:.1f} ms, sys {system*1000:.1f} ms)")
m = {n: med for n, med, _, _ in rows}
b = m["berth ldd (one call)"]
print(f"berth vs libtree: {m['libtree (one call)'] / b:.2f}x   berth vs ldd loop: {m['ldd loop'] / b:.0f}x")
PY
