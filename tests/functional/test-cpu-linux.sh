#!/bin/sh
# targets: riscv64-softmmu
# -cpu seen by Linux: the guest images (tests/images/; skipped without the
# image cache) boot under QEMU 7.2 and Mimic with the same -cpu lines, and
# /proc/cpuinfo's isa and mmu lines must be the same.  QEMU's rv64 has H,
# Zba, Zbb, Zbc, Zbs and Sstc, which Mimic lacks: the lines turn them off.
# Prints TAP.
B=${BUILD_DIR:-build}
EMU=$B/mimic-system-${MIMIC_TARGET:-riscv64}
QEMU=${QEMU:-qemu-system-riscv64}
DIR=${MIMIC_IMAGES:-$(sh tests/images/build.sh --dir 2>/dev/null)}
. tests/tap.sh

OFF=h=off,zba=off,zbb=off,zbc=off,zbs=off,sstc=off
set -- "rv64,$OFF" "rv64,$OFF,Zihintpause=off" sifive-u54
if [ ! -f "$DIR/Image" ] || [ ! -f "$DIR/initramfs.cpio.gz" ]; then
    for cpu; do
        ok "-cpu $cpu: Linux's isa line # SKIP no image cache ($DIR; run 'make images')"
    done
    tap_end
    exit
fi
if ! command -v "$QEMU" > /dev/null 2>&1; then
    for cpu; do
        ok "-cpu $cpu: Linux's isa line as on QEMU # SKIP $QEMU not installed"
    done
    tap_end
    exit
fi

cmd=$(printf '%s\n' 'grep -m1 "^isa" /proc/cpuinfo' \
    'grep -m1 "^mmu" /proc/cpuinfo' 'exit 0' | base64 -w0)
# cpuinfo EMU CPU: the isa and mmu lines Linux prints.
cpuinfo() {
    timeout 600 "$1" -M virt -cpu "$2" -m 256M -nographic \
        -kernel "$DIR/Image" -initrd "$DIR/initramfs.cpio.gz" \
        -append "console=ttyS0 quiet mimic.run64=$cmd" </dev/null 2>&1 |
        tr -d '\r' | grep -E "^(isa|mmu)[[:space:]]*:"
}
for cpu; do
    cpuinfo "$QEMU" "$cpu" > "$T/q"
    cpuinfo "$EMU" "$cpu" > "$T/m"
    diff "$T/q" "$T/m" > "$T/out"
    check "-cpu $cpu: Linux's /proc/cpuinfo isa and mmu as on QEMU ($(head -1 "$T/m" | tr -s '\t ' ' '))" \
        '[ -s "$T/m" ] && cmp -s "$T/q" "$T/m"'
done
tap_end
