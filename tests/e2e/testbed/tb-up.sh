#!/bin/bash
# usage: tb-up.sh NAME IP      e.g. tb-up.sh t1 10.77.0.11   (IP in 10.77.0.0/24, not .1)
# Boots one target host: systemd as PID 1 in systemd-nspawn over the shared read-only rootfs
# (tb-prepare.sh) plus a per-host overlay under $TESTBED_DIR/hosts/NAME, on the bridge br-tb.
# Returns as soon as the container is launched: wait with tb-wait-ssh.sh; boot messages go to
# hosts/NAME/console.log. TB_OWNER (any text, e.g. "PID STARTTIME") is written to hosts/NAME/owner
# so that tb-down.sh --owner/--stale can find the hosts of one run.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
source "$HERE/tb-lib.sh"
NAME=${1:?usage: tb-up.sh NAME IP}
IP=${2:?usage: tb-up.sh NAME IP}
BASE=${TB_BASE:-$TB/rootfs}
H=$TB/hosts/$NAME
[[ $NAME =~ ^[a-z0-9][a-z0-9-]{0,11}$ ]] || { echo "tb-up: host name '$NAME': 1-12 of [a-z0-9-] (it names the veth vb-NAME)" >&2; exit 1; }
[[ $IP =~ ^10\.77\.0\.([0-9]+)$ ]] && [ "${BASH_REMATCH[1]}" -ge 2 ] && [ "${BASH_REMATCH[1]}" -le 254 ] ||
    { echo "tb-up: IP '$IP' is not in 10.77.0.2-254" >&2; exit 1; }
[ -x "$BASE/lib/systemd/systemd" ] || { echo "tb-up: no rootfs at $BASE: run tb-prepare.sh" >&2; exit 1; }

# Everything up to the recorded pid happens under the machine-wide lock: parallel tb-up calls race
# on the bridge, and tb-down.sh deletes the bridge (under the same lock) only when no host runs.
exec 9>"$TB_LOCK"
flock 9
if ! ip link show "$TB_BRIDGE" >/dev/null 2>&1; then
    ip link add "$TB_BRIDGE" type bridge
    ip addr add "$TB_BRIDGE_CIDR" dev "$TB_BRIDGE"
    ip link set "$TB_BRIDGE" up
fi
if tb_host_running "$NAME"; then echo "tb-up: $NAME is already running" >&2; exit 1; fi
mkdir -p "$H/upper" "$H/work" "$H/merged"
mountpoint -q "$H/merged" ||
    mount -t overlay overlay -o "lowerdir=$BASE,upperdir=$H/upper,workdir=$H/work" "$H/merged"
echo "$NAME" > "$H/merged/etc/hostname"
# The host's own name resolves, as on an installed Debian (else sudo: "unable to resolve host").
printf '127.0.0.1\tlocalhost\n127.0.1.1\t%s\n::1\tlocalhost ip6-localhost ip6-loopback\n' "$NAME" \
    > "$H/merged/etc/hosts"
mkdir -p "$H/merged/etc/systemd/network"
cat > "$H/merged/etc/systemd/network/10-host0.network" <<NET
[Match]
Name=host0
[Network]
Address=$IP/24
LinkLocalAddressing=no
IPv6AcceptRA=no
NET
# A fresh host key per host (ed25519: an RSA key would cost ~1 s per host under load).
[ -e "$H/merged/etc/ssh/ssh_host_ed25519_key" ] ||
    ssh-keygen -q -t ed25519 -N '' -f "$H/merged/etc/ssh/ssh_host_ed25519_key"
echo "$IP" > "$H/ip"
if [ -n "${TB_OWNER:-}" ]; then echo "$TB_OWNER" > "$H/owner"; else rm -f "$H/owner"; fi

# Its own cgroup subtree per container: nspawn --keep-unit puts payload/ and supervisor/ below the
# *caller's* cgroup; without this every container shares one payload/system.slice tree.
CGROUPS=()
while read -r root; do
    mkdir -p "$root/testbed-$NAME"
    CGROUPS+=("$root/testbed-$NAME")
done < <(tb_cgroup_roots)
# --register=no --keep-unit: no systemd on this machine to register with (without them:
# "Failed to open system bus: No such file or directory").
# SYSTEMD_NSPAWN_UNIFIED_HIERARCHY=1: pure cgroup v2 inside, like a real bookworm host (without it:
# noisy "Failed to create symlink /sys/fs/cgroup/...").
export SYSTEMD_NSPAWN_UNIFIED_HIERARCHY=${SYSTEMD_NSPAWN_UNIFIED_HIERARCHY:-1}
export H NAME NSPAWN_EXTRA=${NSPAWN_EXTRA:-} TB_BRIDGE
export TB_CGROUPS="${CGROUPS[*]}"
# The wrapper, in its own session (no terminal's SIGINT) and its own cgroup: relaunches nspawn on
# exit code 133 (a "reboot" inside the container); SIGTERM makes nspawn power the container off.
# Its output goes to console.log only: it must not hold a caller's pipe (ctest waits for EOF).
setsid bash -c '
    for cg in $TB_CGROUPS; do echo $$ > "$cg/cgroup.procs"; done
    stop=0; child=
    trap "stop=1; [ -n \"\$child\" ] && kill -TERM \$child" TERM
    while :; do
        systemd-nspawn -b -D "$H/merged" -M "$NAME" --register=no --keep-unit \
            --network-bridge="$TB_BRIDGE" --console=read-only $NSPAWN_EXTRA </dev/null & child=$!
        rc=0; while kill -0 $child 2>/dev/null; do wait $child; rc=$?; done
        [ $stop = 1 ] && exit 0
        [ $rc = 133 ] || { echo "=== systemd-nspawn exited with $rc ==="; exit $rc; }
        echo "=== container rebooted ==="
    done' </dev/null >>"$H/console.log" 2>&1 9>&- &
echo $! > "$H/run.pid"
echo "tb-up: $NAME ($IP) wrapper pid $!"
