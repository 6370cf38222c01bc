#!/bin/bash
# usage: tb-prepare.sh [ROOTFS_DIR]
# Builds the target hosts' shared read-only rootfs (Debian 12 with systemd as PID 1 and sshd), or
# restores it from the cached tarball, and the test bed's ssh key. Idempotent; run it before tb-up.
#   cold (debootstrap): 1-5 min; cached: a few seconds. See docs/testbed.md.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
source "$HERE/tb-lib.sh"
ROOTFS=${1:-$TB/rootfs}
# Bump V when the package list or the users change: an older rootfs and cache are rebuilt.
#   v3: sudo; users deploy (key, passwordless sudo) and nosudo (key, no sudo rights).
V=3
CACHE=$TB/bookworm-nspawn-rootfs-v$V.tar.gz
# python3 is only there for Ansible as a peer; libpam-systemd gives ssh logins their own session
# scope; libnss-systemd resolves systemd's dynamic users.
PACKAGES=systemd,systemd-sysv,dbus,openssh-server,iproute2,libpam-systemd,libnss-systemd,sudo,python3

for tool in debootstrap systemd-nspawn ssh-keygen ip flock; do
    command -v "$tool" >/dev/null || { echo "tb-prepare: $tool is missing: run scripts/setup" >&2; exit 1; }
done
# The mirror apt already uses: the only one this machine (and CI) can reach.
MIRROR=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
MIRROR=${MIRROR:-http://deb.debian.org/debian}
mkdir -p "$TB"
# One prepare at a time per TESTBED_DIR (two clones' ctest runs may start together).
exec 7>"$TB/.prepare.lock"
flock 7
[ -f "$TB/id_ed25519" ] || ssh-keygen -t ed25519 -N '' -q -C berth-testbed -f "$TB/id_ed25519"

install_keys() {   # the key may be newer than a rootfs (TESTBED_DIR wiped but for rootfs/)
    local user home
    for user in root deploy nosudo; do
        home=$([ $user = root ] && echo /root || echo /home/$user)
        if ! cmp -s "$TB/id_ed25519.pub" "$ROOTFS$home/.ssh/authorized_keys"; then
            install -d -m700 "$ROOTFS$home/.ssh"
            install -m600 "$TB/id_ed25519.pub" "$ROOTFS$home/.ssh/authorized_keys"
            chroot "$ROOTFS" chown -R "$user:" "$home/.ssh"
        fi
    done
}

if [ -x "$ROOTFS/lib/systemd/systemd" ]; then
    if [ "$(cat "$ROOTFS/.testbed-version" 2>/dev/null)" = $V ]; then
        install_keys
        echo "tb-prepare: rootfs $ROOTFS (v$V) is ready"
        exit 0
    fi
    if grep -q "lowerdir=$ROOTFS," /proc/mounts; then
        echo "tb-prepare: rootfs $ROOTFS is older than v$V but hosts use it: tb-down.sh them first" >&2
        exit 1
    fi
fi
# Anything else there (older version, a half-made tree, a killed run's temporary one) goes.
for old in "$ROOTFS" "$ROOTFS".tmp.*; do
    [ -e "$old" ] || continue
    tb_umount_below "$old"
    rm -rf --one-file-system "$old"
done
tmp=$ROOTFS.tmp.$$
cleanup() {
    local rc=$?   # debootstrap's own log says why it failed; it goes with the tree
    [ $rc = 0 ] || tail -n 30 "$tmp/debootstrap/debootstrap.log" 2>/dev/null >&2 || true
    tb_umount_below "$tmp"
    rm -rf --one-file-system "$tmp"
}
trap cleanup EXIT
mkdir -p "$tmp"
if [ -f "$CACHE" ]; then
    echo "tb-prepare: restoring $CACHE"
    tar -C "$tmp" --numeric-owner -xzf "$CACHE"
else
    echo "tb-prepare: debootstrap bookworm from $MIRROR (cached afterwards in $CACHE)"
    debootstrap --variant=minbase --include="$PACKAGES" bookworm "$tmp" "$MIRROR"
    rm -f "$tmp/etc/hostname" "$tmp"/etc/ssh/ssh_host_*   # per host, written by tb-up.sh
    systemctl --root="$tmp" enable systemd-networkd.service # offline enable: no bus needed
    chroot "$tmp" sh -c 'echo root:root | chpasswd'        # console login, debugging only
    # deploy logs in with the key and may sudo without a password; nosudo may not sudo at all.
    # '*' is "no password" rather than useradd's locked '!': sshd refuses locked accounts
    # unless PAM decides.
    chroot "$tmp" useradd -m -s /bin/bash -p '*' deploy
    chroot "$tmp" useradd -m -s /bin/bash -p '*' nosudo
    echo 'deploy ALL=(ALL:ALL) NOPASSWD: ALL' > "$tmp/etc/sudoers.d/deploy"
    chmod 440 "$tmp/etc/sudoers.d/deploy"
    apt_lists=("$tmp"/var/lib/apt/lists/*_Packages)
    rm -f "${apt_lists[@]}" "$tmp"/var/cache/apt/archives/*.deb   # apt's lists: nobody reads them
    echo $V > "$tmp/.testbed-version"
    tar -C "$tmp" --numeric-owner -czf "$CACHE.part.$$" .     # ~10 s, 83 MB
    mv "$CACHE.part.$$" "$CACHE"
    # Older versions' tarballs (and their halves) are never read again.
    find "$TB" -maxdepth 1 -name 'bookworm-nspawn-rootfs-v*.tar.gz*' ! -name "${CACHE##*/}*" -delete
fi
mv "$tmp" "$ROOTFS"
trap - EXIT
install_keys
echo "tb-prepare: rootfs $ROOTFS (v$V) is ready"
