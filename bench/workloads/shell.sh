#!/bin/sh
# The build-like shell workload of the user-shell bench row: a host shell
# script that starts many short programs (seq, sed, sort, tr, head,
# md5sum, cat) on small files, as a build or a configure script does.
#   shell.sh N [EMULATOR BUSYBOX]
# runs N rounds of seven programs; with EMULATOR and BUSYBOX, each
# program is that busybox's applet under the emulator (mimic-riscv64 or
# qemu-riscv64), else the host's own.  Prints a checksum of all output
# in the bench's BENCH-END form, the same either way.
set -e
n=$1
emu=$2
bb=$3
run() {
    if [ -n "$bb" ]; then "$emu" "$bb" "$@"; else "$@"; fi
}
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
: >"$d/sums"
i=0
while [ "$i" -lt "$n" ]; do
    run seq 1 300 >"$d/in"
    run sed -e "s/0/zero/g" -e "s/\$/.$i/" "$d/in" >"$d/mid"
    run sort -r "$d/mid" >"$d/out"
    run tr a-z A-Z <"$d/out" | run head -n 50 >"$d/top"
    run md5sum <"$d/top" >>"$d/sums"
    run cat "$d/out" "$d/top" >>"$d/all"
    i=$((i + 1))
done
run md5sum <"$d/all" >>"$d/sums"
sum=$(run md5sum <"$d/sums")
echo "BENCH-END shell checksum=$(echo "$sum" | cut -c1-16) "
