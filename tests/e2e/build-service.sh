#!/bin/bash
# usage: build-service.sh OUT_DIR     (the CTest fixture e2e.service)
# Builds the releases the deploy tests install: examples/hello as v1, v2, v3, and broken ones
# (-X main.mode=exit|unhealthy|crashloop|ignore-term). Static, without VCS stamps (the tests give
# each deploy its version in berth.yaml). Idempotent: a release that exists is kept.
set -euo pipefail
OUT=${1:?usage: build-service.sh OUT_DIR}
mkdir -p "$OUT" && OUT=$(cd "$OUT" && pwd)
HERE=$(cd "$(dirname "$0")/../.." && pwd)
mkdir -p "$OUT"
export GOFLAGS=-mod=mod GOPROXY=off GOTOOLCHAIN=local CGO_ENABLED=0
export GOCACHE=${GOCACHE:-$HERE/build/go-cache}
cd "$HERE/examples/hello"
build() { # NAME MODE
    [ -x "$OUT/$1" ] && return 0
    go build -trimpath -buildvcs=false -ldflags "-X main.version=$1 -X main.mode=$2" -o "$OUT/$1.tmp" .
    mv "$OUT/$1.tmp" "$OUT/$1"
}
for v in v1 v2 v3; do build "$v" ""; done
for m in exit unhealthy crashloop ignore-term; do build "$m" "$m"; done
echo "e2e service releases in $OUT: $(ls "$OUT" | tr '\n' ' ')"
