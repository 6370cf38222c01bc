#!/bin/bash
# usage: tb-wait-ssh.sh NAME|IP [TIMEOUT_S=60] [USER=root]
# Waits until sshd on the host lets USER in with the test bed's key: tb-up.sh returns before the
# boot finishes, this is the "host is usable" point. Given a NAME, it also gives up as soon as that
# host's systemd-nspawn has exited (a broken boot fails in a second, not at the timeout).
# Host keys are not checked here: a wiped host has a new one.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
source "$HERE/tb-lib.sh"
TARGET=${1:?usage: tb-wait-ssh.sh NAME|IP [TIMEOUT_S] [USER]}
TIMEOUT=${2:-60}
USER_=${3:-root}
NAME='' IP=$TARGET
if [ -f "$TB/hosts/$TARGET/ip" ]; then NAME=$TARGET IP=$(cat "$TB/hosts/$TARGET/ip"); fi
end=$((SECONDS + TIMEOUT))
until ssh -i "$TB/id_ed25519" -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null \
    -o LogLevel=ERROR -o ConnectTimeout=2 -o BatchMode=yes "$USER_@$IP" true 2>/dev/null; do
    if [ -n "$NAME" ] && ! tb_host_running "$NAME"; then
        echo "tb-wait-ssh: $NAME ($IP) is not running any more: see $TB/hosts/$NAME/console.log" >&2
        exit 1
    fi
    if [ $SECONDS -ge $end ]; then echo "tb-wait-ssh: no ssh on $IP after ${TIMEOUT}s" >&2; exit 1; fi
    sleep 0.2
done
