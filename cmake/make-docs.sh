#!/bin/sh
# usage: make-docs.sh BERTH OUT_DIR   (run by the build after berth is linked)
# Writes what the package installs besides berth, all made by berth itself from the command
# definitions --help prints: OUT_DIR/man/man1/*.1.gz, OUT_DIR/man/man7/berth-findings.7.gz, and
# OUT_DIR/completions/{berth,_berth,berth.fish}. BERTH may carry an emulator ("qemu-aarch64 berth").
set -eu
BERTH=$1
OUT=$2
rm -rf "$OUT/man" "$OUT/completions"
mkdir -p "$OUT/man/man1" "$OUT/man/man7" "$OUT/completions"
$BERTH man --dir "$OUT/man/man1"
mv "$OUT/man/man1/"*.7 "$OUT/man/man7/"
# -n: no name or time stamp in the .gz, so the package is the same from build to build.
gzip -9nf "$OUT/man/man1/"*.1 "$OUT/man/man7/"*.7
$BERTH completion bash >"$OUT/completions/berth"
$BERTH completion zsh >"$OUT/completions/_berth"
$BERTH completion fish >"$OUT/completions/berth.fish"
