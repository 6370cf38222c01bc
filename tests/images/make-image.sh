#!/bin/bash
# usage: make-image.sh SUITE DEST      SUITE: bullseye (Debian 11) or bookworm (Debian 12)
# Makes DEST a real distribution root, `debootstrap --variant=minbase SUITE` from the mirror apt
# uses, for the --root tests (berth ldd --root DEST against chroot DEST ldd). The first run caches
# it as a tarball under $BERTH_IMAGE_CACHE (default /var/tmp/berth-images, outside any clone);
# later runs restore it in seconds. DEST/.berth-image holds "SUITE vV": a current DEST is kept.
set -euo pipefail
SUITE=${1:?usage: make-image.sh SUITE DEST}
DEST=${2:?usage: make-image.sh SUITE DEST}
case $SUITE in bullseye | bookworm) ;; *) echo "make-image: unknown suite $SUITE" >&2; exit 2 ;; esac
# Bump V when what goes into an image changes: older images and caches are made again.
V=1
CACHE_DIR=${BERTH_IMAGE_CACHE:-/var/tmp/berth-images}
CACHE=$CACHE_DIR/$SUITE-minbase-v$V.tar.gz
STAMP="$SUITE v$V"

[ "$(cat "$DEST/.berth-image" 2>/dev/null)" = "$STAMP" ] && { echo "make-image: $DEST ($STAMP) is ready"; exit 0; }
command -v debootstrap >/dev/null || { echo "make-image: debootstrap is missing: run scripts/setup" >&2; exit 1; }
MIRROR=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
MIRROR=${MIRROR:-http://deb.debian.org/debian}

umount_below() { # a killed debootstrap leaves proc/sys mounted in its target
    local d m _
    d=$(realpath -m "$1")
    for _ in 1 2 3 4 5; do # mounts stacked on one path come off one per pass
        m=$(awk -v d="$d" '$2 == d || index($2, d "/") == 1 {print $2}' /proc/self/mounts | sort -r)
        [ -z "$m" ] && return 0
        while read -r m; do umount -l "$m" 2>/dev/null || true; done <<<"$m"
    done
}
mkdir -p "$CACHE_DIR"
exec 7>"$CACHE_DIR/.$SUITE.lock" # one debootstrap per suite at a time, machine-wide
flock 7
for old in "$DEST".tmp.*; do # a killed run's half-made tree
    [ -e "$old" ] || continue
    umount_below "$old"
    rm -rf --one-file-system "$old"
done
tmp=$DEST.tmp.$$
cleanup() {
    local rc=$?   # debootstrap's own log says why it failed; it goes with the tree
    [ $rc = 0 ] || tail -n 30 "$tmp/debootstrap/debootstrap.log" 2>/dev/null >&2 || true
    umount_below "$tmp"
    rm -rf --one-file-system "$tmp"
}
trap cleanup EXIT
mkdir -p "$tmp"
if [ -f "$CACHE" ]; then
    tar -C "$tmp" --numeric-owner -xzf "$CACHE"
else
    echo "make-image: debootstrap --variant=minbase $SUITE from $MIRROR (cached afterwards in $CACHE)"
    debootstrap --variant=minbase "$SUITE" "$tmp" "$MIRROR"
    rm -rf "$tmp"/var/cache/apt/archives/*.deb "$tmp"/var/lib/apt/lists/*_Packages
    echo "$STAMP" > "$tmp/.berth-image"
    tar -C "$tmp" --numeric-owner -czf "$CACHE.part.$$" .
    mv "$CACHE.part.$$" "$CACHE"
    # Older versions' tarballs (and their halves) are never read again.
    find "$CACHE_DIR" -maxdepth 1 -name "$SUITE-minbase-v*.tar.gz*" ! -name "${CACHE##*/}*" -delete
fi
umount_below "$DEST"
rm -rf --one-file-system "$DEST"
mv "$tmp" "$DEST"
trap - EXIT
echo "make-image: $DEST ($STAMP, $(cat "$DEST/etc/debian_version")) is ready"
