#!/bin/bash
# usage: bench/fleet/run.sh [RUNS=10]      (as root, after scripts/setup)
# Benchmark: `berth deploy` of a ~20 MB Go service to N test bed hosts in one batch, beside the same
# deploy to one of them and Ansible doing the same job on all N, side by side in one run on hosts it
# boots (docs/testbed.md; N=4: fb1..fb4, 10.77.0.130 up, on br-tb) and tears down on every exit
# path; then the rollout scheduler's own cost per host, from a simulation (scheduler_bench.cpp).
# Each round deploys a new build (bench/lib.sh: different bytes) with every case; the rounds
# interleave the cases, so the machine's load falls on all of them alike. Round 0 warms up (berth
# uploaded to each host, the units created) and is not counted.
#   floor1       the floor of bench/deploy (bench/lib.sh: scp, `mv && systemctl restart`, curl until
#                healthy, over a kept multiplexed connection) to fb1 (unit floor1, :8085)
#   one          berth deploy --settle 0 --passes 1 (health interval 100 ms) to fb1 (app bone, :8081)
#   floorn       the floor to all N hosts at once (unit floorn, :8086): what N hosts cost this test
#                bed without berth
#   fleet        berth to all N hosts: one batch (no --batch), --forks N (app bfleet, :8080)
#   ansible      ansible-playbook bench/deploy/deploy.yml on the N hosts, forks N: copy, systemd
#                restart, uri probe on each host; pipelining, ControlPersist, gather_facts: false
#   one-first    `one` after /var/lib/berth/bin was emptied on fb1: berth uploads itself (bonef, :8083)
#   fleet-first  `fleet` after the same on every host (bfleetf, :8084)
# After each case every host it deployed to answers the new version (curl /version); berth's last
# JSON line ({"type":"rollout-result"} with several hosts) says every host ended ok.
# Results go to OUT (default build/bench-fleet): times.tsv (wall time of every run), floor.tsv (the
# floor's parts per host: scp, restart, probe), cpu.tsv (CPU
# used meanwhile: by this script and all it started, by the hosts, by the whole machine, and the
# machine's CPU pressure; cgroup v2), json/ (berth's --json lines), ansible/, diag/ (DIAG more
# rounds of `one` and `fleet` with berth's JSON lines stamped as they arrived), sched.tsv (the
# simulation), summary.md. Traffic goes only to the hosts it booted. FLEET_N sets N (2-10);
# SIM=0 skips the simulation.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
RUNS=${1:-${RUNS:-10}}
BERTH=${BERTH:-$ROOT/build/berth}
OUT=${OUT:-$ROOT/build/bench-fleet}
T=$ROOT/tests/e2e/testbed
export TESTBED_DIR=${TESTBED_DIR:-/var/tmp/berth-testbed}
N=${FLEET_N:-4}
W=$TESTBED_DIR/bench-fleet # binaries, configs, ssh sockets: root's own, one bench at a time
DIAG=3                     # rounds after the measured ones: berth's events timestamped
source bench/lib.sh

bench_need "bench/fleet/run.sh [RUNS]" go curl ssh ansible-playbook python3 systemd-nspawn ninja
[[ $N =~ ^([2-9]|10)$ ]] || { echo "bench: FLEET_N=$N: from 2 to 10 hosts" >&2; exit 2; }
HOSTS=() IPS=()
for i in $(seq 1 "$N"); do HOSTS+=("fb$i") IPS+=("10.77.0.$((129 + i))"); done
export LC_ALL=C.UTF-8 # a "." in $EPOCHREALTIME's decimals; UTF-8 for Ansible
t_start=$EPOCHREALTIME
bench_lock

bench_begin "${HOSTS[@]}"
mkdir -p "$OUT/diag"
load_before=$(cut -d' ' -f1-3 /proc/loadavg)

# The simulation's program (bench/CMakeLists.txt), built now: a compile under load can take a
# minute, and must not overlap the measured rounds.
SCHED=$ROOT/build/bench/scheduler_bench
if [ "${SIM:-1}" != 0 ]; then
    ninja -C "$ROOT/build" scheduler_bench >"$W/ninja.log" 2>&1 8>&- ||
        { cat "$W/ninja.log" >&2; echo "bench: cannot build scheduler_bench" >&2; exit 1; }
fi

"$T/tb-prepare.sh" >/dev/null
for i in "${!HOSTS[@]}"; do "$T/tb-up.sh" "${HOSTS[$i]}" "${IPS[$i]}" >/dev/null 8>&-; done
bench_service $(seq -f '1.0.%g' 0 $((RUNS + DIAG))) &
builds=$!
waits=()
for h in "${HOSTS[@]}"; do "$T/tb-wait-ssh.sh" "$h" 90 8>&- & waits+=($!); done
for i in "${!waits[@]}"; do
    wait "${waits[$i]}" ||
        { tail -30 "$TESTBED_DIR/hosts/${HOSTS[$i]}/console.log" >&2; exit 1; }
done
wait $builds || { cat "$W/build.log" >&2; echo "bench: go build failed" >&2; exit 1; }
SIZE=$(stat -c %s "$W/bin/hello-1.0.0")
bench_cpu_start "${HOSTS[@]}" # from here on, what this script starts is accounted as ours

# The setup's and the checks' connections, one master per host, kept.
FSSH=(-i "$TESTBED_DIR/id_ed25519" -o "UserKnownHostsFile=$W/known_hosts"
    -o StrictHostKeyChecking=accept-new -o BatchMode=yes -o LogLevel=ERROR
    -o ControlMaster=auto -o "ControlPath=$W/fm-%C" -o ControlPersist=600)
# shellcheck disable=SC2029 # the commands are ours, expanded here on purpose
on_host() { local ip=$1; shift; ssh "${FSSH[@]}" "root@$ip" "$@" 8>&-; }
on_all() { # COMMAND: on every host at once
    local ip pids=() p rc=0
    for ip in "${IPS[@]}"; do on_host "$ip" "$@" & pids+=($!); done
    for p in "${pids[@]}"; do wait "$p" || rc=1; done
    return $rc
}
# berth's: its own multiplexed connection per host (ControlPersist 60 s), sockets here.
BSSH=(--ssh-option "IdentityFile=$TESTBED_DIR/id_ed25519"
    --ssh-option "UserKnownHostsFile=$W/known_hosts" --ssh-option StrictHostKeyChecking=accept-new
    --ssh-option "ControlPath=$W/bm-%C")
ONE=(--host "root@${IPS[0]}")
ALL=()
for ip in "${IPS[@]}"; do ALL+=(--host "root@$ip"); done

# The floor's and Ansible's units (bench/lib.sh).
install_unit() { # APP PORT IP...
    local app=$1 port=$2 ip
    shift 2
    bench_unit "$app" "$port" >"$W/$app.service"
    for ip; do
        # shellcheck disable=SC2029 # expanded here on purpose
        on_host "$ip" "mkdir -p /opt/$app && cat > /etc/systemd/system/$app.service" <"$W/$app.service"
    done
}
install_unit floor1 8085 "${IPS[0]}"
install_unit floorn 8086 "${IPS[@]}"
install_unit ans 8082 "${IPS[@]}"
on_all systemctl daemon-reload

# berth's apps, one per case (a case's new version must be new to its app).
app() { # NAME PORT
    printf 'name: %s\nlisten: ":%s"\nargs: ["-listen", ":%s"]\nshutdown_timeout: 3\n' "$1" "$2" "$2"
    printf 'health: {http: /healthz, interval: 100ms}\n'
}
app bone 8081 >"$W/one.yaml"
app bfleet 8080 >"$W/fleet.yaml"
app bonef 8083 >"$W/one-first.yaml"
app bfleetf 8084 >"$W/fleet-first.yaml"

bench_ansible_env
for i in "${!HOSTS[@]}"; do
    printf '%s ansible_host=%s ansible_user=root ansible_ssh_private_key_file=%s ansible_python_interpreter=/usr/bin/python3\n' \
        "${HOSTS[$i]}" "${IPS[$i]}" "$TESTBED_DIR/id_ed25519"
done >"$W/ansible/inventory"

# all_serve PORT VERSION IP...
all_serve() {
    local port=$1 v=$2 ip
    shift 2
    for ip; do serves "$ip" "$port" "$v"; done
}
# rollout_ok FILE HOSTS: the last line is the rollout's result, with every host ended ok.
rollout_ok() {
    python3 - "$1" "$2" <<'PY'
import json, sys
lines = open(sys.argv[1]).read().splitlines()
r = json.loads(lines[-1]) if lines else {}
ends = [h.get("end") for h in r.get("hosts", [])]
if r.get("type") != "rollout-result" or not r.get("completed") or ends != ["ok"] * int(sys.argv[2]):
    sys.exit("rollout not ok: " + (lines[-1] if lines else "(no output)")[:2000])
PY
}
do_berth() { # CASE ROUND BINARY HOSTFLAG...
    local case=$1 round=$2 binary=$3 rc=0
    shift 3
    local out=$OUT/json/$case-$round.jsonl
    "$BERTH" deploy "$binary" --config "$W/$case.yaml" "$@" "${BSSH[@]}" --json --forks "$N" \
        --settle 0 --passes 1 >"$out" 2>&1 8>&- || rc=$?
    if [ $rc -ne 0 ]; then
        echo "bench: berth deploy ($case, round $round) exited $rc:" >&2
        tail -c 3000 "$out" >&2
        return 1
    fi
}
check_berth() { # CASE ROUND: the outcome in its JSON lines (after the timed run)
    local out=$OUT/json/$1-$2.jsonl
    case $1 in
    one*) grep '"type":"result"' "$out" | grep -q '"outcome":"deployed"' ||
        { echo "bench: $1 round $2: not deployed" >&2; tail -3 "$out" >&2; return 1; } ;;
    *) rollout_ok "$out" "$N" ;;
    esac
}
do_floor() { # CASE ROUND APP PORT BINARY IP...: the floor on each IP at once; parts to floor.tsv
    local case=$1 round=$2 app=$3 port=$4 bin=$5 ip pids=() p rc=0
    shift 5
    for ip; do
        (
            bench_floor "$ip" "$app" "$port" "$bin"
            printf '%s\t%s\t%s\t%s\n' "$case" "$round" "$ip" "$BENCH_FLOOR_PARTS" >>"$OUT/floor.tsv"
        ) &
        pids+=($!)
    done
    for p in "${pids[@]}"; do wait "$p" || rc=1; done
    return $rc
}
do_ansible() { # ROUND BINARY
    ansible-playbook -i "$W/ansible/inventory" -f "$N" bench/deploy/deploy.yml \
        -e "binary=$2" -e app=ans -e port=8082 >"$OUT/ansible/$1.log" 2>&1 8>&- ||
        { tail -30 "$OUT/ansible/$1.log" >&2; return 1; }
}

echo "bench: $RUNS rounds (+1 warm-up) on $N hosts (${IPS[0]}..${IPS[N - 1]}); service $SIZE bytes;" \
    "berth $(stat -c %s "$BERTH") bytes"
for round in $(seq 0 "$RUNS"); do
    v=1.0.$round bin=$W/bin/hello-1.0.$round
    timed floor1 "$round" do_floor floor1 "$round" floor1 8085 "$bin" "${IPS[0]}"
    all_serve 8085 "$v" "${IPS[0]}"
    timed one "$round" do_berth one "$round" "$bin" "${ONE[@]}"
    check_berth one "$round"
    all_serve 8081 "$v" "${IPS[0]}"
    timed floorn "$round" do_floor floorn "$round" floorn 8086 "$bin" "${IPS[@]}"
    all_serve 8086 "$v" "${IPS[@]}"
    timed fleet "$round" do_berth fleet "$round" "$bin" "${ALL[@]}"
    check_berth fleet "$round"
    all_serve 8080 "$v" "${IPS[@]}"
    timed ansible "$round" do_ansible "$round" "$bin"
    all_serve 8082 "$v" "${IPS[@]}"
    on_host "${IPS[0]}" rm -rf /var/lib/berth/bin # berth is not on fb1 any more
    timed one-first "$round" do_berth one-first "$round" "$bin" "${ONE[@]}"
    check_berth one-first "$round"
    all_serve 8083 "$v" "${IPS[0]}"
    on_all rm -rf /var/lib/berth/bin # nor on any host
    timed fleet-first "$round" do_berth fleet-first "$round" "$bin" "${ALL[@]}"
    check_berth fleet-first "$round"
    all_serve 8084 "$v" "${IPS[@]}"
    awk -F'\t' -v r="$round" '$2 == r {printf " %s %.2f", $1, $3} END {print ""}' "$OUT/times.tsv" |
        sed "s/^/round $round:/"
done

# Where the time goes across hosts: a few more `one` and `fleet` deploys whose JSON lines are
# stamped as they arrive (bench/lib.sh; not counted above).
for round in $(seq $((RUNS + 1)) $((RUNS + DIAG))); do
    for case in one fleet; do
        if [ $case = one ]; then hosts=("${ONE[@]}"); else hosts=("${ALL[@]}"); fi
        bench_stamped "$OUT/diag/$case-$round" "$BERTH" deploy "$W/bin/hello-1.0.$round" \
            --config "$W/$case.yaml" "${hosts[@]}" "${BSSH[@]}" --json --forks "$N" --settle 0 --passes 1
    done
    all_serve 8081 "1.0.$round" "${IPS[0]}"
    all_serve 8080 "1.0.$round" "${IPS[@]}"
done
load_hosts=$(cut -d' ' -f1-3 /proc/loadavg)
BERTH_SIZE=$(stat -c %s "$BERTH")
bench_teardown
echo "bench: the hosts are down; $(sub "$t_start" "$EPOCHREALTIME") s so far"

# The scheduler alone: simulated hosts (no ssh, no host), each configuration in its own process
# (its peak resident set is the process's).
if [ "${SIM:-1}" != 0 ]; then
    for hosts in 1000 10000; do
        for latency in 0 1000; do
            for forks in 10 50; do
                for events in count json; do
                    "$SCHED" "$hosts" "$forks" "$latency" "$events" 5 2>/dev/null 8>&- >>"$OUT/sched.tsv"
                done
            done
        done
    done
fi
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

python3 bench/fleet/summary.py "$OUT" "$RUNS" "$N" "$SIZE" "$BERTH_SIZE" "$load_before" \
    "$load_hosts" "$load_after" "$(nproc)" | tee "$OUT/summary.md"
echo "bench: $(sub "$t_start" "$EPOCHREALTIME") s in all; results in $OUT"
