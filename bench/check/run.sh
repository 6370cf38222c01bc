#!/bin/bash
# Benchmark: `berth check` of a binary on the local host — all facts and all rules — target
# under 100 ms. usage: bench/check/run.sh [BERTH] [BINARY]
set -euo pipefail
cd "$(dirname "$0")/../.."
BERTH=${1:-build/berth}
BIN=${2:-build/examples/hello-cgo}
OUT=$(mktemp)
trap 'rm -f "$OUT"' EXIT
# -i: check exits 1 when it finds errors (this machine's PID 1 is not systemd): still a full run.
hyperfine -N -i -w 3 -r 30 --export-json "$OUT" \
    "$BERTH check $BIN --user nobody --listen :8080" >/dev/null
python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"][0]; print("berth check: median %.1f ms, min %.1f ms, max %.1f ms (%d runs)" % (r["median"]*1000, r["min"]*1000, r["max"]*1000, len(r["times"])))' "$OUT"
