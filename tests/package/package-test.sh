#!/bin/bash
# usage: package-test.sh BUILD_DIR IMAGE_DIR      (the CTest test package.deb)
# Builds the Debian package with cpack, checks its contents and lintian (no errors), installs it
# with dpkg -i into a throwaway copy of the Debian 12 minbase image (tests/images) and there runs
# `berth --version`, finds its man page, loads the bash completion and completes with it, and
# removes it again.
set -euo pipefail
BUILD=$(realpath "${1:?usage: package-test.sh BUILD_DIR IMAGE_DIR}")
IMAGE=$(realpath "${2:?usage: package-test.sh BUILD_DIR IMAGE_DIR}")/bookworm
fail() { echo "package-test: FAIL: $*" >&2; exit 1; }
[ -x "$IMAGE/bin/bash" ] || fail "no Debian 12 image in $IMAGE (CTest fixture images.build)"

tmp=$(mktemp -d /tmp/berth-package-XXXXXX)
trap 'rm -rf --one-file-system "$tmp"' EXIT

echo "== cpack"
cpack -G DEB -B "$tmp/out" --config "$BUILD/CPackConfig.cmake" >"$tmp/cpack.log" 2>&1 ||
    { cat "$tmp/cpack.log"; fail "cpack"; }
# The version of project() in CMakeLists.txt, as CMake read it.
version=$(sed -n 's/^CMAKE_PROJECT_VERSION:STATIC=//p' "$BUILD/CMakeCache.txt")
arch=$(dpkg --print-architecture)
deb=$tmp/out/berth_${version}_${arch}.deb
[ -f "$deb" ] || { ls -l "$tmp/out"; fail "no $deb"; }
ls -l "$deb"
[ "$(dpkg-deb -f "$deb" Package Version Architecture | tr '\n' ' ')" = \
    "Package: berth Version: $version Architecture: $arch " ] || fail "control: $(dpkg-deb -f "$deb")"

echo "== contents"
dpkg-deb -c "$deb" | awk '{print $1, $6}' >"$tmp/contents"
want=(
    "-rwxr-xr-x ./usr/bin/berth"
    "-rw-r--r-- ./usr/share/man/man1/berth.1.gz"
    "-rw-r--r-- ./usr/share/man/man1/berth-deploy.1.gz"
    "-rw-r--r-- ./usr/share/man/man1/berth-unit-lint.1.gz"
    "-rw-r--r-- ./usr/share/man/man7/berth-findings.7.gz"
    "-rw-r--r-- ./usr/share/bash-completion/completions/berth"
    "-rw-r--r-- ./usr/share/zsh/vendor-completions/_berth"
    "-rw-r--r-- ./usr/share/fish/vendor_completions.d/berth.fish"
    "-rw-r--r-- ./usr/share/doc/berth/copyright"
    "-rw-r--r-- ./usr/share/doc/berth/changelog.gz"
    "-rw-r--r-- ./usr/share/doc/berth/README.md"
)
for w in "${want[@]}"; do grep -qxF -- "$w" "$tmp/contents" || { cat "$tmp/contents"; fail "missing $w"; }; done
# One man page for each page berth itself makes.
mkdir "$tmp/pages"
"$BUILD/berth" man --dir "$tmp/pages"
for p in "$tmp/pages"/*; do
    n=$(basename "$p")
    grep -q "/man${n##*.}/$n.gz\$" "$tmp/contents" || fail "no page $n in the package"
done
# Every directory root-owned and 0755.
dpkg-deb -c "$deb" | awk '$1 ~ /^d/ && ($1 != "drwxr-xr-x" || $2 != "root/root") {print; bad=1} END {exit bad}' ||
    fail "directories not root/root 0755"

echo "== lintian"
lintian --tag-display-limit 0 --info "$deb" >"$tmp/lintian" 2>&1 || true
cat "$tmp/lintian"
! grep -q '^E: ' "$tmp/lintian" || fail "lintian reports errors"

echo "== install into a copy of $IMAGE"
root=$tmp/root
cp -a "$IMAGE" "$root"
cp "$deb" "$root/tmp/berth.deb"
chroot "$root" dpkg -i /tmp/berth.deb
expected=$("$BUILD/berth" --version)
got=$(chroot "$root" /usr/bin/berth --version)
echo "berth --version in the root: $got"
[ "$got" = "$expected" ] || fail "berth --version in the root says '$got', the build '$expected'"
chroot "$root" berth inspect /usr/bin/berth | grep -q 'hardening   PIE yes, RELRO full' ||
    fail "the installed berth is not static-pie with full RELRO"
# The minbase root has no man-db: man -w runs on this machine against the root's man tree.
[ ! -e "$root/usr/bin/man" ] || fail "the image has man now: run man -w in the root instead"
page=$(man -M "$root/usr/share/man" -w berth)
[ "$page" = "$root/usr/share/man/man1/berth.1.gz" ] || fail "man -w berth: '$page'"
page=$(man -M "$root/usr/share/man" -w 7 berth-findings)
[ "$page" = "$root/usr/share/man/man7/berth-findings.7.gz" ] || fail "man -w 7 berth-findings: '$page'"
# bash in the root loads the completion from where bash-completion looks and completes with it.
# shellcheck disable=SC2016 # expanded by the bash in the root
got=$(chroot "$root" /bin/bash --norc -c '
    source /usr/share/bash-completion/completions/berth
    complete -p berth
    COMP_WORDS=(berth dep); COMP_CWORD=1; _berth; echo "${COMPREPLY[*]}"
    COMP_WORDS=(berth explain --mark); COMP_CWORD=2; _berth; echo "${COMPREPLY[*]}"')
echo "$got"
[ "$got" = "complete -F _berth berth
deploy
--markdown" ] || fail "bash completion in the root: '$got'"

echo "== remove"
chroot "$root" dpkg -r berth
if [ -e "$root/usr/bin/berth" ] || [ -e "$root/usr/share/man/man1/berth.1.gz" ]; then
    fail "dpkg -r left files behind"
fi
echo "package-test: ok ($deb, $(stat -c %s "$deb") bytes)"
