#!/bin/sh
# targets: riscv64-softmmu
# Linux 6.1 on Mimic with the default firmware (OpenSBI fw_dynamic), using
# the guest images of tests/images/ (skipped without the image cache):
# boots with the initramfs and -append, runs a command through the
# images' mimic.run64 hook that looks at what our devices gave Linux (the
# PLIC's UART interrupt, the Goldfish RTC, timer sleeps), and powers off;
# then `reboot -f` under -no-reboot ends the run too (SBI reset ->
# OpenSBI -> test device 0x7777).  Prints TAP.
# The default scheduler (round-robin) with one hart; MIMIC_LINUX_ARGS
# overrides, e.g. "-smp 2".  (Boots used to hang one time in five: an
# SEIP latched by OpenSBI's mip writes, fixed; see irq_seip_rmw.)
B=${BUILD_DIR:-build}
EMU=$B/mimic-system-${MIMIC_TARGET:-riscv64}
DIR=${MIMIC_IMAGES:-$(sh tests/images/build.sh --dir 2>/dev/null)}
N=3
echo "1..$N"
if [ ! -f "$DIR/Image" ] || [ ! -f "$DIR/initramfs.cpio.gz" ]; then
    i=1
    while [ $i -le $N ]; do
        echo "ok $i - Linux boot # SKIP no image cache ($DIR; run 'make images')"
        i=$((i + 1))
    done
    exit 0
fi
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

ARGS=${MIMIC_LINUX_ARGS:--smp 1}
cmd=$(printf '%s\n' 'uname -m' 'grep -c "PLIC.*ttyS0" /proc/interrupts' \
    'dmesg | grep -o "goldfish_rtc.*registered as rtc0"' \
    'sleep 1; echo slept' 'exit 5' | base64 -w0)
timeout 300 "$EMU" -M virt $ARGS -m 256M -nographic \
    -kernel "$DIR/Image" -initrd "$DIR/initramfs.cpio.gz" \
    -append "console=ttyS0 mimic.run64=$cmd" </dev/null >"$T/boot" 2>&1
rc=$?
tr -d '\r' <"$T/boot" >"$T/out"
if [ $rc -eq 0 ] && grep -q "^OpenSBI v" "$T/out" && grep -qx riscv64 "$T/out" &&
    grep -qx 1 "$T/out" && grep -qx 'mimic-guest: exit 5' "$T/out"; then
    echo "ok 1 - OpenSBI + Linux boot, run a command (UART on the PLIC) and power off"
else
    echo "not ok 1 - OpenSBI + Linux boot (exit $rc)"; tail -15 "$T/out" | sed 's/^/#   /'
fi
if grep -qx "goldfish_rtc 101000.rtc: registered as rtc0" "$T/out" &&
    grep -qx slept "$T/out"; then
    echo "ok 2 - the RTC is found and timer sleeps work"
else
    echo "not ok 2 - RTC and timers"
fi
cmd=$(printf 'reboot -f\n' | base64 -w0)
timeout 300 "$EMU" -M virt $ARGS -m 256M -nographic -no-reboot \
    -kernel "$DIR/Image" -initrd "$DIR/initramfs.cpio.gz" \
    -append "console=ttyS0 quiet mimic.run64=$cmd" </dev/null >"$T/boot" 2>&1
rc=$?
if [ $rc -eq 0 ] && [ "$(grep -c '^OpenSBI v' "$T/boot")" -eq 1 ]; then
    echo "ok 3 - reboot -f with -no-reboot exits 0"
else
    echo "not ok 3 - reboot with -no-reboot (exit $rc)"; tail -5 "$T/boot" | sed 's/^/#   /'
fi
