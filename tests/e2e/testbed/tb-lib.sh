# shellcheck shell=bash disable=SC2034
# Sourced by the tb-*.sh scripts: where the test bed lives and the pieces they share.
# TESTBED_DIR defaults to a place outside any clone, so reruns (CI included) reuse the cached
# rootfs tarball instead of debootstrapping again.
TB=${TESTBED_DIR:-/var/tmp/berth-testbed}
# Bridge, subnet and lock are machine-wide whatever TESTBED_DIR says: one test bed at a time.
TB_BRIDGE=br-tb
TB_BRIDGE_CIDR=10.77.0.1/24
TB_LOCK=/run/lock/berth-testbed.lock

# The cgroup hierarchies a host's wrapper moves into (see tb-up.sh): the named v1 "systemd" tree
# and the v2 tree of a hybrid layout (this kind of CI machine), or the v2 root of a pure v2 one.
tb_cgroup_roots() {
    local found=0 r
    for r in /sys/fs/cgroup/systemd /sys/fs/cgroup/unified; do
        if mountpoint -q "$r"; then echo "$r"; found=1; fi
    done
    [ $found = 1 ] || [ ! -e /sys/fs/cgroup/cgroup.controllers ] || echo /sys/fs/cgroup
}

# True when PID is alive and, if START (field 22 of /proc/PID/stat) is given, is still the same
# process: a pid reused since is not the owner of a host.
tb_pid_alive() {
    local pid=$1 start=${2:-} stat
    [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
    [ -z "$start" ] && return 0
    stat=$(cat "/proc/$pid/stat" 2>/dev/null) || return 1
    stat=${stat##*) }                        # the command name may contain spaces
    [ "$(echo "$stat" | awk '{print $20}')" = "$start" ]
}

# True when host NAME's wrapper (started by tb-up.sh) is running.
tb_host_running() {
    local pidfile=$TB/hosts/$1/run.pid
    [ -f "$pidfile" ] && tb_pid_alive "$(cat "$pidfile")"
}

# Unmounts every mount at or below DIR, deepest first (a killed debootstrap leaves proc/sys there).
# Mounts stacked on one path come off one per pass.
tb_umount_below() {
    local dir m _
    dir=$(realpath -m "$1")
    for _ in 1 2 3 4 5; do
        m=$(awk -v d="$dir" '$2 == d || index($2, d "/") == 1 {print $2}' /proc/self/mounts | sort -r)
        [ -z "$m" ] && return 0
        while read -r m; do umount -l "$m" 2>/dev/null || true; done <<<"$m"
    done
}
