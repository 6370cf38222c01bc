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
DIAG=3               # rounds after the measured ones: berth's events timestamped
source bench/lib.sh

bench_need "bench/deploy/run.sh [RUNS]" go curl ssh scp ansible-playbook python3 systemd-nspawn
export LC_ALL=C.UTF-8 # a "." in $EPOCHREALTIME's decimals; UTF-8 for Ansible
t_start=$EPOCHREALTIME
bench_lock

bench_begin "$HOST"
load_before=$(cut -d' ' -f1-3 /proc/loadavg)

"$T/tb-prepare.sh" >/dev/null
"$T/tb-up.sh" "$HOST" "$IP" >/dev/null 8>&-

# The service (bench/lib.sh), one build per round.
bench_service $(seq -f '1.0.%g' 0 $((RUNS + DIAG))) &
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

# The units of the floor and of Ansible's app (bench/lib.sh).
on_host mkdir -p /opt/floor /opt/ans
bench_unit floor 8081 | on_host "cat > /etc/systemd/system/floor.service"
bench_unit ans 8082 | on_host "cat > /etc/systemd/system/ans.service"
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
bench_ansible_env
printf '%s ansible_host=%s ansible_user=root ansible_ssh_private_key_file=%s ansible_python_interpreter=/usr/bin/python3\n' \
    "$HOST" "$IP" "$TESTBED_DIR/id_ed25519" >"$W/ansible/inventory"

do_floor() { # ROUND BINARY; its three parts' times go to floor.tsv
    bench_floor "$IP" floor 8081 "$2"
    printf '%s\t%s\n' "$1" "$BENCH_FLOOR_PARTS" >>"$OUT/floor.tsv"
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

echo "bench: $RUNS rounds (+1 warm-up) on $HOST ($IP); service $SIZE bytes; berth $(stat -c %s "$BERTH") bytes"
for round in $(seq 0 "$RUNS"); do
    v=1.0.$round bin=$W/bin/hello-1.0.$round
    # (no `a && b` here: set -e does not stop at a failure inside one)
    timed floor "$round" do_floor "$round" "$bin"
    serves "$IP" 8081 "$v"
    timed fast "$round" do_berth fast "$round" "$W/fast.yaml" "$bin" deployed --settle 0 --passes 1
    serves "$IP" 8080 "$v"
    timed same "$round" do_berth same "$round" "$W/fast.yaml" "$bin" unchanged --settle 0 --passes 1
    serves "$IP" 8080 "$v"
    timed default "$round" do_berth default "$round" "$W/default.yaml" "$bin" deployed
    serves "$IP" 8083 "$v"
    timed ansible "$round" do_ansible "$round" "$bin"
    serves "$IP" 8082 "$v"
    on_host rm -rf /var/lib/berth/bin # berth is not on the host any more
    timed first "$round" do_berth first "$round" "$W/first.yaml" "$bin" deployed --settle 0 --passes 1
    serves "$IP" 8084 "$v"
    awk -F'\t' -v r="$round" '$2 == r {printf " %s %.2f", $1, $3} END {print ""}' "$OUT/times.tsv" |
        sed "s/^/round $round:/"
done

# Where berth's time goes between its steps: a few more `fast` deploys whose --json lines are
# timestamped as they arrive (not counted above: the reader shares the CPU with berth). The reader
# is started first and waits on a FIFO: Python's own start must not delay the first stamps.
mkdir -p "$OUT/diag"
for round in $(seq $((RUNS + 1)) $((RUNS + DIAG))); do
    bench_stamped "$OUT/diag/$round" "$BERTH" deploy "$W/bin/hello-1.0.$round" --config "$W/fast.yaml" \
        "${BSSH[@]}" --json --settle 0 --passes 1
    serves "$IP" 8080 "1.0.$round"
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

python3 bench/deploy/summary.py "$OUT" "$RUNS" "$SIZE" "$(stat -c %s "$BERTH")" \
    "$load_before" "$load_after" "$(nproc)" | tee "$OUT/summary.md"
echo "bench: $(sub "$t_start" "$EPOCHREALTIME") s in all; results in $OUT"
