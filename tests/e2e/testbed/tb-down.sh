#!/bin/bash
# usage: tb-down.sh NAME... [--wipe]       stop these hosts
#        tb-down.sh --owner OWNER [--wipe]  stop the hosts tb-up.sh started with TB_OWNER=OWNER
#        tb-down.sh --stale [--wipe]        stop the hosts whose owner ("PID STARTTIME") is gone
#        tb-down.sh --all [--wipe]          stop every host under $TESTBED_DIR/hosts
# A clean poweroff (30 s at most, then SIGKILL), then the overlay is unmounted and the cgroups
# removed; --wipe also deletes the host's overlay (all its changes, its host key, console.log).
# The bridge br-tb is deleted once no host is running any more. Safe to run twice, or concurrently.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
source "$HERE/tb-lib.sh"
wipe=0 mode=names owner='' names=()
while [ $# -gt 0 ]; do
    case $1 in
    --wipe) wipe=1 ;;
    --owner) mode=owner owner=${2:?--owner needs a value}; shift ;;
    --stale) mode=stale ;;
    --all) mode=all ;;
    -*) echo "tb-down: unknown option $1" >&2; exit 2 ;;
    *) names+=("$1") ;;
    esac
    shift
done

if [ $mode != names ]; then
    for h in "$TB"/hosts/*/; do
        [ -d "$h" ] || continue
        n=$(basename "$h") o=$(cat "$h/owner" 2>/dev/null || true)
        case $mode in
        all) names+=("$n") ;;
        owner) [ "$o" = "$owner" ] && names+=("$n") ;;
        stale) [ -n "$o" ] && ! tb_pid_alive "${o% *}" "${o#* }" && names+=("$n") ;; # o: PID START
        esac
    done
fi

down_one() {
    local name=$1 h=$TB/hosts/$1 pid child
    # One tb-down per host at a time (a run's own teardown and its reaper may overlap).
    { exec 8>>"$h/.down.lock"; } 2>/dev/null || return 0 # wiped meanwhile by another tb-down
    flock 8
    if [ -f "$h/run.pid" ]; then
        pid=$(cat "$h/run.pid")
        if tb_pid_alive "$pid"; then
            kill -TERM "$pid" # the wrapper forwards it to nspawn: clean poweroff
            for _ in $(seq 1 150); do tb_pid_alive "$pid" || break; sleep 0.2; done
            if tb_pid_alive "$pid"; then # still there after 30 s: SIGKILL nspawn, then the wrapper
                echo "tb-down: $name did not power off in 30 s: killing it" >&2
                for child in $(pgrep -P "$pid" || true); do kill -KILL "$child" 2>/dev/null || true; done
                sleep 1
                kill -KILL "$pid" 2>/dev/null || true
            fi
        fi
        rm -f "$h/run.pid"
    fi
    # The container's veth may outlive nspawn for a moment; the bridge check below counts it.
    for _ in $(seq 1 50); do ip link show "vb-$name" >/dev/null 2>&1 || break; sleep 0.1; done
    if mountpoint -q "$h/merged"; then umount "$h/merged" || umount -l "$h/merged"; fi
    local root
    while read -r root; do # the per-container cgroup subtree, depth-first
        [ -d "$root/testbed-$name" ] &&
            find "$root/testbed-$name" -depth -type d -exec rmdir {} \; 2>/dev/null || true
    done < <(tb_cgroup_roots)
    # nspawn leaves this behind on every exit ("Attempted to remove disk file system under
    # /run/systemd/nspawn/propagate/NAME", harmless).
    rm -rf "/run/systemd/nspawn/propagate/$name"
    rm -f "$h/owner"
    exec 8>&-
    if [ $wipe = 1 ]; then rm -rf --one-file-system "$h"; fi
}

pids=()
for n in "${names[@]}"; do
    if [ -d "$TB/hosts/$n" ]; then down_one "$n" & pids+=($!); fi # in parallel: ~1 s each
done
rc=0
for p in "${pids[@]}"; do wait "$p" || rc=1; done

# The bridge goes when no host is left (under tb-up.sh's lock: none is being started now): none of
# ours runs and no veth of any container (another TESTBED_DIR's) hangs on it.
exec 9>"$TB_LOCK"
flock 9
running=0
for h in "$TB"/hosts/*/; do
    [ -d "$h" ] && tb_host_running "$(basename "$h")" && running=1
done
[ -n "$(ip -o link show master "$TB_BRIDGE" 2>/dev/null)" ] && running=1
if [ $running = 0 ] && ip link show "$TB_BRIDGE" >/dev/null 2>&1; then ip link del "$TB_BRIDGE"; fi
exit $rc
