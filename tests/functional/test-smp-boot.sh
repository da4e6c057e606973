#!/bin/sh
# Linux brings up its second hart through OpenSBI's HSM hart_start, which
# (in Debian's OpenSBI 1.1) marks the hart START_PENDING before it stores
# the start address while the hart spins: if round-robin let it run in that
# window, it started the kernel at its cold entry and the boot hung (about
# 1 boot in 10, 2 at a time).  A slice that ends in M-mode is put off to
# the next kick (docs/devel/debugging.md).  Boots -smp 2 to poweroff 8
# times, 2 at a time.  Prints TAP.
B=${BUILD_DIR:-build}
d=$(sh tests/images/build.sh --dir 2>/dev/null | tail -n 1)
if [ ! -f "$d/Image" ]; then
    echo "ok 1 - # SKIP guest images not built (make images)"
    echo "1..1"
    exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
for round in 1 2 3 4; do
    for k in 1 2; do
        timeout 120 "$B/mimic-system-riscv64" -M virt -m 256M -smp 2 -nographic \
            -kernel "$d/Image" -initrd "$d/initramfs.cpio.gz" \
            -append "console=ttyS0 mimic.poweroff=1" </dev/null \
            >"$tmp/boot-$round-$k.log" 2>&1 &
    done
    wait
    for k in 1 2; do
        n=$((n + 1))
        if grep -q "reboot: Power down" "$tmp/boot-$round-$k.log"; then
            echo "ok $n - -smp 2 boot $n brings up both harts and powers off"
        else
            echo "not ok $n - -smp 2 boot $n brings up both harts and powers off"
            tail -n 15 "$tmp/boot-$round-$k.log" | sed 's/^/#   /'
        fi
    done
done
echo "1..$n"
