#!/bin/bash
# Benchmark: `berth inspect` (default report) and `go version -m` on the largest Go programs
# Debian ships, side by side in the same run: median wall time (hyperfine) and max RSS (GNU time).
# The packages are downloaded, never installed or started: `apt-get download` and `dpkg-deb -x`
# into a cache directory outside the clone, reused by later runs.
#
#   bench/inspect/debian.sh [BERTH] [CACHE_DIR]   (defaults: build/berth, /var/tmp/berth-bench-debian)
#
# Needs: apt lists (apt-get update), hyperfine, GNU time (/usr/bin/time), golang-go. Also checks
# that `berth inspect --go-version-m` prints what `go version -m` prints on every binary.
set -euo pipefail
cd "$(dirname "$0")/../.."
BERTH=$(realpath "${1:-build/berth}")
CACHE=${2:-/var/tmp/berth-bench-debian}
RUNS=${RUNS:-30}
PACKAGES=(docker.io containerd rclone etcd-server)
BINARIES=(usr/sbin/dockerd usr/bin/containerd usr/bin/rclone usr/bin/etcd)

mkdir -p "$CACHE/debs" "$CACHE/root"
for p in "${PACKAGES[@]}"; do
    if ! ls "$CACHE/debs/${p}_"*.deb >/dev/null 2>&1; then
        (cd "$CACHE/debs" && apt-get download "$p")
    fi
done
for f in "${BINARIES[@]}"; do
    if [ ! -e "$CACHE/root/$f" ]; then
        for deb in "$CACHE"/debs/*.deb; do dpkg-deb -x "$deb" "$CACHE/root"; done
        break
    fi
done
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT

median_ms() { # hyperfine JSON, result index -> median in ms
    python3 -c 'import json,sys; print("%.1f" % (json.load(open(sys.argv[1]))["results"][int(sys.argv[2])]["median"]*1000))' "$1" "$2"
}
max_rss_mib() { # command... -> max RSS in MiB
    /usr/bin/time -v -o "$OUT/time" "$@" >/dev/null 2>&1 || true
    awk -F': ' '/Maximum resident set size/ {printf "%.1f", $2/1024}' "$OUT/time"
}

echo "# berth: $BERTH ($(git rev-parse --short HEAD 2>/dev/null || echo '?')); $(go version)"
echo "# load average: $(cut -d' ' -f1-3 /proc/loadavg); $RUNS runs after 3 warm-ups"
printf '| %-20s | %7s | %9s | %15s | %15s | %14s | %14s |\n' file MB functions \
    "berth inspect" "go version -m" "berth max RSS" "go max RSS"
printf '|%s|%s|%s|%s|%s|%s|%s|\n' ---------------------- ---------: ----------: \
    ----------------: ----------------: ---------------: ---------------:
for f in "${BINARIES[@]}"; do
    path=$CACHE/root/$f
    if ! diff <("$BERTH" inspect --go-version-m "$path") <(go version -m "$path") >/dev/null; then
        echo "berth inspect --go-version-m differs from go version -m on $path" >&2
        exit 1
    fi
    hyperfine -N -w 3 -r "$RUNS" --export-json "$OUT/h.json" \
        "$BERTH inspect $path" "go version -m $path" >/dev/null 2>&1
    funcs=$("$BERTH" inspect --json "$path" |
        python3 -c 'import json,sys; p=json.load(sys.stdin)["files"][0]["program"]; print(p["function_count"] if p else 0)')
    printf '| %-20s | %7.1f | %9s | %12s ms | %12s ms | %10s MiB | %10s MiB |\n' \
        "$(basename "$f")" "$(stat -c %s "$path" | awk '{print $1/1e6}')" "$funcs" \
        "$(median_ms "$OUT/h.json" 0)" "$(median_ms "$OUT/h.json" 1)" \
        "$(max_rss_mib "$BERTH" inspect "$path")" "$(max_rss_mib go version -m "$path")"
done
