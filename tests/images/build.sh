#!/bin/bash
# usage: build.sh OUT_DIR     (the CTest fixture images.build)
# Makes OUT_DIR/bullseye and OUT_DIR/bookworm with make-image.sh: cold (debootstrap) ~1-2 min each,
# both at once since they mostly wait on the mirror; restored from the cache in seconds.
set -euo pipefail
OUT=${1:?usage: build.sh OUT_DIR}
HERE=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$OUT"
pids=()
for suite in bullseye bookworm; do
    "$HERE/make-image.sh" "$suite" "$OUT/$suite" > "$OUT/$suite.log" 2>&1 & pids+=($!)
done
rc=0
for i in 0 1; do
    if ! wait "${pids[$i]}"; then rc=1; fi
done
for suite in bullseye bookworm; do
    echo "== $suite"; tail -n 20 "$OUT/$suite.log"
done
exit $rc
