# shellcheck shell=bash
# Sourced by the benchmarks that boot test bed hosts (bench/deploy/run.sh, bench/fleet/run.sh): the
# machine-wide lock, the ~20 MB service they deploy, the CPU accounting, timing helpers. The caller
# sets ROOT (the clone), BERTH, W (its private work directory, root's own) and OUT (its results),
# runs under `set -euo pipefail` and LC_ALL=C.UTF-8 (a "." in $EPOCHREALTIME's decimals).

BLOB_TOTAL=$((20 * 1000 * 1000)) # the service's size, about

# bench_need USAGE TOOL...: as root, after scripts/setup; else exit 2 saying what is missing.
bench_need() {
    local usage=$1 tool
    shift
    [ "$(id -u)" -eq 0 ] || { echo "bench: run it as root (it boots hosts with systemd-nspawn)" >&2; exit 2; }
    [[ $RUNS =~ ^[1-9][0-9]*$ ]] || { echo "usage: $usage" >&2; exit 2; }
    [ -x "$BERTH" ] || { echo "bench: no $BERTH: run scripts/setup first" >&2; exit 2; }
    for tool; do
        command -v "$tool" >/dev/null || { echo "bench: $tool is missing: run scripts/setup first" >&2; exit 2; }
    done
}

# bench_lock: one test bed run at a time on this machine (the e2e tests and scripts/demo take the
# same lock), held on fd 8 until the shell exits; every child that outlives a command must get
# `8>&-`. Exports TB_OWNER, which lets the next e2e run stop a host a killed bench left.
bench_lock() {
    exec 8>/run/lock/berth-testbed.run.lock
    if ! flock -n 8; then
        echo "bench: another test bed run is using the machine; waiting for it..."
        flock -w 900 8 || { echo "bench: still busy after 15 min" >&2; exit 1; }
    fi
    local stat
    stat=$(cat /proc/$$/stat)
    stat=${stat##*) }
    TB_OWNER="$$ $(echo "$stat" | awk '{print $20}')"
    export TB_OWNER
}

# bench_close_ssh: ends every multiplexed ssh connection whose socket lies under $W.
bench_close_ssh() {
    local s
    while read -r s; do
        ssh -o ControlPath="$s" -O exit bench-host >/dev/null 2>&1 || true
    done < <(find "$W" -type s 2>/dev/null)
}

# bench_begin HOST...: the exit path and a clean start. On every exit (success, failure, ^C,
# SIGTERM): background jobs killed, every multiplexed ssh connection closed, HOST... stopped and
# wiped, $W removed, the CPU cgroup left. First it removes what a run killed outright left, then
# makes a fresh $W (mode 700) and $OUT/json and $OUT/ansible. The caller sets T (the test bed
# scripts).
BENCH_HOSTS=()
bench_teardown() {
    local rc=0
    bench_close_ssh # the floor's, berth's and Ansible's connections
    "$T/tb-down.sh" "${BENCH_HOSTS[@]}" --wipe || rc=1
    rm -rf "$W"
    return $rc
}
bench_cleanup() {
    local rc=$?
    trap '' INT TERM
    trap - EXIT
    # shellcheck disable=SC2046 # one pid a word
    kill $(jobs -p) 2>/dev/null || true
    bench_teardown || rc=1
    bench_cpu_stop || rc=1
    [ "$rc" -eq 0 ] || echo "bench: stopped (exit $rc); the test bed hosts are down, nothing is left running" >&2
    exit "$rc"
}
bench_begin() {
    BENCH_HOSTS=("$@")
    trap bench_cleanup EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
    bench_teardown >/dev/null 2>&1 || true
    mkdir -p "$TESTBED_DIR"
    mkdir -m 700 "$W"
    rm -rf "$OUT"
    mkdir -p "$OUT/json" "$OUT/ansible"
}

# bench_service VERSION...: the service, $W/bin/hello-VERSION for each VERSION: examples/hello plus
# an embedded blob of random bytes (it does not compress) that makes it BLOB_TOTAL bytes;
# -X main.version tells the builds apart (and /version proves which one serves). Output in
# $W/build.log.
bench_service() {
    mkdir -p "$W/src" "$W/bin"
    cp "$ROOT/examples/hello/go.mod" "$ROOT/examples/hello/main.go" "$W/src/"
    cat >"$W/src/blob.go" <<'GO'
package main

import _ "embed"

// Random bytes that make the program ~20 MB; len() keeps them from being dropped at link time.
//
//go:embed blob.bin
var blob []byte

var blobSize = len(blob)
GO
    (
        : >"$W/src/blob.bin"
        bench_go_build probe
        head -c $((BLOB_TOTAL - $(stat -c %s "$W/bin/hello-probe"))) /dev/urandom >"$W/src/blob.bin"
        rm "$W/bin/hello-probe"
        local v
        for v; do bench_go_build "$v"; done
    ) >"$W/build.log" 2>&1 8>&-
}
bench_go_build() { # VERSION
    (cd "$W/src" && GOFLAGS=-mod=mod GOPROXY=off GOCACHE="$ROOT/build/go-cache" GOTOOLCHAIN=local \
        CGO_ENABLED=0 go build -trimpath -ldflags "-X main.version=$1" -o "$W/bin/hello-$1" .)
}

# bench_ansible_env: Ansible configured by the environment alone (no config file), its files under
# $W/ansible: pipelining, ControlPersist 60 s, no host key prompts, no retry files, no colour.
bench_ansible_env() {
    mkdir -p "$W/ansible/tmp" "$W/ansible/cp"
    export ANSIBLE_HOME=$W/ansible ANSIBLE_LOCAL_TEMP=$W/ansible/tmp \
        ANSIBLE_REMOTE_TEMP=/root/.ansible-tmp ANSIBLE_SSH_CONTROL_PATH_DIR=$W/ansible/cp \
        ANSIBLE_HOST_KEY_CHECKING=False ANSIBLE_PIPELINING=True ANSIBLE_RETRY_FILES_ENABLED=False \
        ANSIBLE_NOCOLOR=1 \
        ANSIBLE_SSH_ARGS="-o ControlMaster=auto -o ControlPersist=60s -o UserKnownHostsFile=$W/known_hosts"
}

# serves IP PORT VERSION: that build answers /version (checked after every run, not timed).
serves() {
    local got
    got=$(curl -fsS -m 5 "http://$1:$2/version") || { echo "bench: nothing on $1:$2" >&2; return 1; }
    [ "$got" = "$3" ] || { echo "bench: $1:$2 serves $got, not $3" >&2; return 1; }
}

# bench_unit APP PORT: the unit of a service deployed by hand (the floor) or by Ansible, on stdout:
# the one berth generates, so that every tool restarts the same kind of service (DynamicUser and
# the sandboxing cost the same to all), but without its start limit (5 starts in 60 s): berth's
# restart resets the counter (reset-failed), a bare `systemctl restart` does not, and the 6th round
# within a minute would fail ("start of the service was attempted too often").
bench_unit() {
    "$BERTH" unit generate --name "$1" --listen ":$2" --exec "/opt/$1/hello" \
        --arg=-listen --arg=":$2" --shutdown-timeout 3 |
        sed 's/^StartLimitIntervalSec=.*/StartLimitIntervalSec=0/'
}

# probe_until IP PORT: /healthz from here until it answers 200 (every 10 ms, 30 s at most).
probe_until() {
    local end=$((SECONDS + 30))
    until curl -fsS -m 2 -o /dev/null "http://$1:$2/healthz" 2>/dev/null; do
        [ $SECONDS -lt $end ] || { echo "bench: no health on $1:$2 after 30 s" >&2; return 1; }
        sleep 0.01
    done
}

# bench_floor IP APP PORT BINARY: the least a deploy can do, over the caller's ssh options FSSH (a
# multiplexed connection kept per host): scp to APP.new, `mv APP.new APP && systemctl restart APP`,
# /healthz from here until 200. Its three parts' times (s, tab-separated) in BENCH_FLOOR_PARTS.
bench_floor() {
    local a b c d
    a=$EPOCHREALTIME
    scp -q "${FSSH[@]}" "$4" "root@$1:/opt/$2/hello.new" 8>&-
    b=$EPOCHREALTIME
    # shellcheck disable=SC2029 # expanded here on purpose
    ssh "${FSSH[@]}" "root@$1" "mv /opt/$2/hello.new /opt/$2/hello && systemctl restart $2" 8>&-
    c=$EPOCHREALTIME
    probe_until "$1" "$3"
    d=$EPOCHREALTIME
    # shellcheck disable=SC2034 # for the caller
    printf -v BENCH_FLOOR_PARTS '%s\t%s\t%s' "$(sub "$a" "$b")" "$(sub "$b" "$c")" "$(sub "$c" "$d")"
}

sub() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.4f", b - a}'; } # seconds from A to B

# timed CASE ROUND COMMAND...: its wall time into $OUT/times.tsv ($EPOCHREALTIME: no fork to read
# it), and, when bench_cpu_start ran, the CPU used meanwhile into $OUT/cpu.tsv.
timed() {
    local case=$1 round=$2 t0 t1 c0 c1
    shift 2
    c0=$(bench_cpu_mark)
    t0=$EPOCHREALTIME
    "$@"
    t1=$EPOCHREALTIME
    c1=$(bench_cpu_mark)
    printf '%s\t%s\t%s\n' "$case" "$round" "$(sub "$t0" "$t1")" >>"$OUT/times.tsv"
    [ -z "$c0" ] || printf '%s\t%s\t%s\t%s\n' "$case" "$round" "$c0" "$c1" >>"$OUT/cpu.tsv"
}

# CPU accounting through cgroup v2 (the hybrid layout's unified tree, or a pure v2 root): this
# script and everything it starts (berth, ssh and its masters, Ansible) in a cgroup of its own;
# each test bed host is in testbed-NAME (tb-up.sh). bench_cpu_start HOST... ; bench_cpu_mark prints
# "OURS HOSTS MACHINE STALL" in µs: CPU time used by us, by the hosts, by the whole machine, and the
# machine's CPU pressure (time some task waited for a CPU). Nothing is printed without cgroup v2.
BENCH_CG=""
BENCH_CG_HOSTS=()
bench_cpu_start() {
    local v2=""
    if mountpoint -q /sys/fs/cgroup/unified; then
        v2=/sys/fs/cgroup/unified
    elif [ -e /sys/fs/cgroup/cgroup.controllers ]; then
        v2=/sys/fs/cgroup
    fi
    [ -n "$v2" ] && [ -e "$v2/cpu.pressure" ] || return 0
    BENCH_CG=$v2/berth-bench-$$
    mkdir -p "$BENCH_CG"
    echo $$ >"$BENCH_CG/cgroup.procs"
    local h
    for h; do BENCH_CG_HOSTS+=("$v2/testbed-$h"); done
}
bench_cpu_mark() {
    [ -n "$BENCH_CG" ] || return 0
    local ours hosts=0 all stall h u
    read -r _ ours <"$BENCH_CG/cpu.stat"
    for h in "${BENCH_CG_HOSTS[@]}"; do
        { read -r _ u <"$h/cpu.stat"; } 2>/dev/null || u=0
        hosts=$((hosts + u))
    done
    read -r _ all <"${BENCH_CG%/*}/cpu.stat"
    stall=$(<"${BENCH_CG%/*}/cpu.pressure")
    stall=${stall%%$'\n'*}
    printf '%s\t%s\t%s\t%s' "$ours" "$hosts" "$all" "${stall##*total=}"
}
# bench_cpu_stop: this script back in its parent cgroup, ours removed (once nothing runs in it).
bench_cpu_stop() {
    [ -n "$BENCH_CG" ] && [ -d "$BENCH_CG" ] || return 0
    echo $$ >"${BENCH_CG%/*}/cgroup.procs" 2>/dev/null || true
    local _
    for _ in 1 2 3 4 5 6 7 8 9 10; do
        rmdir "$BENCH_CG" 2>/dev/null && return 0
        sleep 0.2
    done
    echo "bench: $BENCH_CG still has processes: $(tr '\n' ' ' <"$BENCH_CG/cgroup.procs")" >&2
    return 1
}

# bench_stamped PREFIX COMMAND...: runs COMMAND with each line of its output stamped as it arrives
# (PREFIX.events: "EPOCH<tab>line") and its start and end in PREFIX.times. The reader is started
# first and waits on a FIFO: Python's own start must not delay the first stamps. (The reader shares
# the CPU with the command: these runs are not the measured ones.)
bench_stamped() {
    local d=$1 stamper rc=0
    shift
    rm -f "$W/events" "$W/ready"
    mkfifo "$W/events"
    python3 -c 'import sys, time
open(sys.argv[2], "w").close()
with open(sys.argv[1], "rb") as f, open(sys.argv[3], "w") as out:
    for line in f:
        out.write("%.6f\t%s" % (time.time(), line.decode()))' "$W/events" "$W/ready" "$d.events" 8>&- &
    stamper=$!
    until [ -e "$W/ready" ]; do sleep 0.01; done
    sleep 0.05 # from the file's creation to the open() that waits for the command
    printf 'exec\t%s\n' "$EPOCHREALTIME" >"$d.times"
    "$@" >"$W/events" 2>&1 8>&- || rc=$?
    printf 'exit\t%s\n' "$EPOCHREALTIME" >>"$d.times"
    wait $stamper
    return $rc
}
