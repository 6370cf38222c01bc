#!/bin/bash
# usage: bench/deploy/run.sh [RUNS=10]      (as root, after scripts/setup)
# Benchmark: `berth deploy` of a ~20 MB Go service beside the floor (scp + systemctl restart + one
# health probe over a multiplexed ssh connection) and Ansible, side by side in one run on one test
# bed host (docs/testbed.md) that it boots, and tears down on every exit path. Each round deploys a
# new build (different bytes) with every tool; rounds are interleaved so that the machine's load
# falls on all of them alike. Round 0 warms up (first deploys, units created) and is not counted.
#   floor      scp to NAME.new, `ssh mv NAME.new NAME && systemctl restart floor`, curl /healthz
#              from here until it answers (every 10 ms); the unit was installed once beforehand
#   fast       berth deploy --settle 0 --passes 1 (health interval 100 ms), gate and verify included
#   same       berth deploy of the binary `fast` just deployed: says already current
#   default    berth deploy with the default health settings (settle 5 s, passes 3, interval 1 s)
#   ansible    ansible-playbook bench/deploy/deploy.yml: copy, systemd restart, uri probe on the
#              host; pipelining, ControlPersist, gather_facts: false, no ssh compression
#   first      berth deploy after /var/lib/berth/bin was emptied: berth uploads itself again
# Results go to OUT (default build/bench-deploy): times.tsv (every run), json/ (berth's --json
# lines), summary.md (medians, the ratio to the floor, berth's steps). Traffic goes only to the
# host it booted (BENCH_IP, default 10.77.0.120, on br-tb).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
RUNS=${1:-${RUNS:-10}}
BERTH=${BERTH:-$ROOT/build/berth}
OUT=${OUT:-$ROOT/build/bench-deploy}
T=$ROOT/tests/e2e/testbed
export TESTBED_DIR=${TESTBED_DIR:-/var/tmp/berth-testbed}
HOST=bench1
IP=${BENCH_IP:-10.77.0.120}
W=$TESTBED_DIR/bench # binaries, configs, ssh sockets: root's own, one bench at a time (the lock)
BLOB_TOTAL=$((20 * 1000 * 1000)) # the service's size, about
DIAG=3                           # rounds after the measured ones: berth's events timestamped

[ "$(id -u)" -eq 0 ] || { echo "bench: run it as root (it boots a host with systemd-nspawn)" >&2; exit 2; }
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || { echo "usage: bench/deploy/run.sh [RUNS]" >&2; exit 2; }
[ -x "$BERTH" ] || { echo "bench: no $BERTH: run scripts/setup first" >&2; exit 2; }
for tool in go curl ssh scp ansible-playbook python3 systemd-nspawn; do
    command -v "$tool" >/dev/null || { echo "bench: $tool is missing: run scripts/setup first" >&2; exit 2; }
done
export LC_ALL=C.UTF-8 # a "." in $EPOCHREALTIME's decimals; UTF-8 for Ansible
t_start=$EPOCHREALTIME

# One test bed run at a time on this machine (the e2e tests and scripts/demo take the same lock).
exec 8>/run/lock/berth-testbed.run.lock
if ! flock -n 8; then
    echo "bench: another test bed run is using the machine; waiting for it..."
    flock -w 900 8 || { echo "bench: still busy after 15 min" >&2; exit 1; }
fi
stat=$(cat /proc/$$/stat)
stat=${stat##*) }
TB_OWNER="$$ $(echo "$stat" | awk '{print $20}')" # lets the next e2e run stop a host we leave
export TB_OWNER

teardown() {
    local s rc=0
    while read -r s; do # every multiplexed ssh connection: the floor's, berth's, Ansible's
        ssh -o ControlPath="$s" -O exit bench-host >/dev/null 2>&1 || true
    done < <(find "$W" -type s 2>/dev/null)
    "$T/tb-down.sh" "$HOST" --wipe || rc=1
    rm -rf "$W"
    return $rc
}
cleanup() {
    local rc=$?
    trap '' INT TERM
    trap - EXIT
    # shellcheck disable=SC2046 # one pid a word
    kill $(jobs -p) 2>/dev/null || true
    teardown || rc=1
    [ "$rc" -eq 0 ] || echo "bench: stopped (exit $rc); the host is down, nothing is left running" >&2
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
teardown >/dev/null 2>&1 || true # what a run killed outright left
mkdir -p "$TESTBED_DIR"
mkdir -m 700 "$W"
rm -rf "$OUT"
mkdir -p "$OUT/json" "$OUT/ansible"
load_before=$(cut -d' ' -f1-3 /proc/loadavg)

"$T/tb-prepare.sh" >/dev/null
"$T/tb-up.sh" "$HOST" "$IP" >/dev/null 8>&-

# The service: examples/hello plus an embedded blob of random bytes (it does not compress), one
# build per round; -X main.version tells the builds apart (and /version proves which one serves).
mkdir -p "$W/src" "$W/bin"
cp examples/hello/go.mod examples/hello/main.go "$W/src/"
cat >"$W/src/blob.go" <<'GO'
package main

import _ "embed"

// Random bytes that make the program ~20 MB; len() keeps them from being dropped at link time.
//
//go:embed blob.bin
var blob []byte

var blobSize = len(blob)
GO
build() { # build VERSION
    (cd "$W/src" && GOFLAGS=-mod=mod GOPROXY=off GOCACHE="$ROOT/build/go-cache" GOTOOLCHAIN=local \
        CGO_ENABLED=0 go build -trimpath -ldflags "-X main.version=$1" -o "$W/bin/hello-$1" .)
}
(
    : >"$W/src/blob.bin"
    build probe
    head -c $((BLOB_TOTAL - $(stat -c %s "$W/bin/hello-probe"))) /dev/urandom >"$W/src/blob.bin"
    rm "$W/bin/hello-probe"
    for i in $(seq 0 $((RUNS + DIAG))); do build "1.0.$i"; done
) >"$W/build.log" 2>&1 8>&- &
builds=$!
"$T/tb-wait-ssh.sh" "$HOST" 60 || { tail -30 "$TESTBED_DIR/hosts/$HOST/console.log" >&2; exit 1; }
wait $builds || { cat "$W/build.log" >&2; echo "bench: go build failed" >&2; exit 1; }
SIZE=$(stat -c %s "$W/bin/hello-1.0.0")

# The floor's connection (also used for the untimed setup and checks): one master, kept.
FSSH=(-i "$TESTBED_DIR/id_ed25519" -o "UserKnownHostsFile=$W/known_hosts"
    -o StrictHostKeyChecking=accept-new -o BatchMode=yes -o LogLevel=ERROR
    -o ControlMaster=auto -o "ControlPath=$W/fm-%C" -o ControlPersist=600)
# shellcheck disable=SC2029 # the commands are ours, expanded here on purpose
on_host() { ssh "${FSSH[@]}" "root@$IP" "$@" 8>&-; }
# berth's: its own multiplexed connection (ControlPersist 60 s) with the socket here.
BSSH=(--host "root@$IP" --ssh-option "IdentityFile=$TESTBED_DIR/id_ed25519"
    --ssh-option "UserKnownHostsFile=$W/known_hosts" --ssh-option StrictHostKeyChecking=accept-new
    --ssh-option "ControlPath=$W/bm-%C")

# The units of the floor and of Ansible's app: the ones berth generates, so that every tool
# restarts the same kind of service (DynamicUser and the sandboxing cost the same to all). But
# without their start limit (5 starts in 60 s): berth's restart resets the counter (reset-failed),
# a bare `systemctl restart` does not, and the 6th round within a minute would fail ("start of the
# service was attempted too often").
on_host mkdir -p /opt/floor /opt/ans
for app_port in floor:8081 ans:8082; do
    app=${app_port%:*} port=${app_port#*:}
    "$BERTH" unit generate --name "$app" --listen ":$port" --exec "/opt/$app/hello" \
        --arg=-listen --arg=":$port" --shutdown-timeout 3 |
        sed 's/^StartLimitIntervalSec=.*/StartLimitIntervalSec=0/' |
        on_host "cat > /etc/systemd/system/$app.service"
done
on_host systemctl daemon-reload

# berth's apps, one per case: a binary another app of the host already has would still be sent
# (berth reuses only its own app's releases and its staging), but separate apps keep each case's
# history and releases its own.
cat >"$W/fast.yaml" <<'YAML'
name: bfast
listen: ":8080"
shutdown_timeout: 3
health: {http: /healthz, interval: 100ms}
YAML
cat >"$W/default.yaml" <<'YAML'
name: bdefault
listen: ":8083"
args: ["-listen", ":8083"]
shutdown_timeout: 3
health: {http: /healthz}
YAML
cat >"$W/first.yaml" <<'YAML'
name: bfirst
listen: ":8084"
args: ["-listen", ":8084"]
shutdown_timeout: 3
health: {http: /healthz, interval: 100ms}
YAML

# Ansible: everything in the environment (no config file), its files under $W.
mkdir -p "$W/ansible/tmp" "$W/ansible/cp"
printf '%s ansible_host=%s ansible_user=root ansible_ssh_private_key_file=%s ansible_python_interpreter=/usr/bin/python3\n' \
    "$HOST" "$IP" "$TESTBED_DIR/id_ed25519" >"$W/ansible/inventory"
export ANSIBLE_HOME=$W/ansible ANSIBLE_LOCAL_TEMP=$W/ansible/tmp ANSIBLE_REMOTE_TEMP=/root/.ansible-tmp \
    ANSIBLE_SSH_CONTROL_PATH_DIR=$W/ansible/cp ANSIBLE_HOST_KEY_CHECKING=False \
    ANSIBLE_PIPELINING=True ANSIBLE_RETRY_FILES_ENABLED=False ANSIBLE_NOCOLOR=1 \
    ANSIBLE_SSH_ARGS="-o ControlMaster=auto -o ControlPersist=60s -o UserKnownHostsFile=$W/known_hosts"

probe_until() { # PORT: /healthz from here until it answers 200
    local end=$((SECONDS + 30))
    until curl -fsS -m 2 -o /dev/null "http://$IP:$1/healthz" 2>/dev/null; do
        [ $SECONDS -lt $end ] || { echo "bench: no health on :$1 after 30 s" >&2; return 1; }
        sleep 0.01
    done
}
serves() { # PORT VERSION: that build answers (checked after every run, not timed)
    local got
    got=$(curl -fsS -m 5 "http://$IP:$1/version") || { echo "bench: nothing on :$1" >&2; return 1; }
    [ "$got" = "$2" ] || { echo "bench: :$1 serves $got, not $2" >&2; return 1; }
}
do_floor() { # ROUND BINARY; its three parts' times go to floor.tsv
    local a b c d
    a=$EPOCHREALTIME
    scp -q "${FSSH[@]}" "$2" "root@$IP:/opt/floor/hello.new" 8>&-
    b=$EPOCHREALTIME
    on_host 'mv /opt/floor/hello.new /opt/floor/hello && systemctl restart floor'
    c=$EPOCHREALTIME
    probe_until 8081
    d=$EPOCHREALTIME
    printf '%s\t%s\t%s\t%s\n' "$1" "$(sub "$a" "$b")" "$(sub "$b" "$c")" "$(sub "$c" "$d")" >>"$OUT/floor.tsv"
}
do_berth() { # CASE ROUND CONFIG BINARY OUTCOME [FLAG...]
    local case=$1 round=$2 config=$3 binary=$4 want=$5
    shift 5
    local out=$OUT/json/$case-$round.jsonl rc=0
    "$BERTH" deploy "$binary" --config "$config" "${BSSH[@]}" --json "$@" >"$out" 2>&1 8>&- || rc=$?
    if [ $rc -ne 0 ] || ! grep -q "\"outcome\":\"$want\"" "$out"; then
        echo "bench: berth deploy ($case, round $round) exited $rc, wanted outcome $want:" >&2
        tail -5 "$out" >&2
        return 1
    fi
}
do_ansible() { # ROUND BINARY
    ansible-playbook -i "$W/ansible/inventory" bench/deploy/deploy.yml \
        -e "binary=$2" -e app=ans -e port=8082 >"$OUT/ansible/$1.log" 2>&1 8>&- ||
        { tail -20 "$OUT/ansible/$1.log" >&2; return 1; }
}
sub() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.4f", b - a}'; } # seconds from A to B
timed() { # CASE ROUND COMMAND...: its wall time into times.tsv ($EPOCHREALTIME: no fork to read it)
    local case=$1 round=$2 t0 t1
    shift 2
    t0=$EPOCHREALTIME
    "$@"
    t1=$EPOCHREALTIME
    printf '%s\t%s\t%s\n' "$case" "$round" "$(sub "$t0" "$t1")" >>"$OUT/times.tsv"
}

echo "bench: $RUNS rounds (+1 warm-up) on $HOST ($IP); service $SIZE bytes; berth $(stat -c %s "$BERTH") bytes"
for round in $(seq 0 "$RUNS"); do
    v=1.0.$round bin=$W/bin/hello-1.0.$round
    # (no `a && b` here: set -e does not stop at a failure inside one)
    timed floor "$round" do_floor "$round" "$bin"
    serves 8081 "$v"
    timed fast "$round" do_berth fast "$round" "$W/fast.yaml" "$bin" deployed --settle 0 --passes 1
    serves 8080 "$v"
    timed same "$round" do_berth same "$round" "$W/fast.yaml" "$bin" unchanged --settle 0 --passes 1
    serves 8080 "$v"
    timed default "$round" do_berth default "$round" "$W/default.yaml" "$bin" deployed
    serves 8083 "$v"
    timed ansible "$round" do_ansible "$round" "$bin"
    serves 8082 "$v"
    on_host rm -rf /var/lib/berth/bin # berth is not on the host any more
    timed first "$round" do_berth first "$round" "$W/first.yaml" "$bin" deployed --settle 0 --passes 1
    serves 8084 "$v"
    awk -F'\t' -v r="$round" '$2 == r {printf " %s %.2f", $1, $3} END {print ""}' "$OUT/times.tsv" |
        sed "s/^/round $round:/"
done

# Where berth's time goes between its steps: a few more `fast` deploys whose --json lines are
# timestamped as they arrive (not counted above: the reader shares the CPU with berth). The reader
# is started first and waits on a FIFO: Python's own start must not delay the first stamps.
mkdir -p "$OUT/diag"
rm -f "$W/events"
mkfifo "$W/events"
for round in $(seq $((RUNS + 1)) $((RUNS + DIAG))); do
    d=$OUT/diag/$round
    rm -f "$W/ready"
    python3 -c 'import sys, time
open(sys.argv[2], "w").close()
with open(sys.argv[1], "rb") as f, open(sys.argv[3], "w") as out:
    for line in f:
        out.write("%.6f\t%s" % (time.time(), line.decode()))' "$W/events" "$W/ready" "$d.events" 8>&- &
    stamper=$!
    until [ -e "$W/ready" ]; do sleep 0.01; done
    sleep 0.05 # from the file's creation to the open() that waits for berth
    printf 'exec\t%s\n' "$EPOCHREALTIME" >"$d.times"
    "$BERTH" deploy "$W/bin/hello-1.0.$round" --config "$W/fast.yaml" "${BSSH[@]}" --json \
        --settle 0 --passes 1 >"$W/events" 2>&1 8>&-
    printf 'exit\t%s\n' "$EPOCHREALTIME" >>"$d.times"
    wait $stamper
    serves 8080 "1.0.$round"
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

python3 bench/deploy/summary.py "$OUT" "$RUNS" "$SIZE" "$(stat -c %s "$BERTH")" \
    "$load_before" "$load_after" "$(nproc)" | tee "$OUT/summary.md"
echo "bench: $(sub "$t_start" "$EPOCHREALTIME") s in all; results in $OUT"
