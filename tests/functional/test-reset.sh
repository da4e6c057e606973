#!/bin/sh
# targets: riscv64-softmmu
# System reset through the SiFive test finisher (0x7777): the machine
# reboots with the boot image reloaded (guest/reboot.S checks that), or
# with -no-reboot powers off.  Prints TAP.
B=${BUILD_DIR:-build}
EMU=$B/mimic-system-${MIMIC_TARGET:-riscv64}
G=$B/tests/functional/reboot.elf
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
echo "1..3"

timeout 30 "$EMU" -M virt -nographic -bios none -kernel "$G" -d int -D "$T/log" \
    </dev/null >"$T/out" 2>&1
rc=$?
if [ "$rc" -eq 0 ] && [ "$(tr -d '\r' <"$T/out")" = "$(printf 'boot 1\nboot 2')" ]; then
    echo "ok 1 - 0x7777 reboots; the image is reloaded; RAM outside it survives"
else
    echo "not ok 1 - 0x7777 reboots (exit $rc)"; sed 's/^/#   /' "$T/out" | head
fi
if grep -q "system reset" "$T/log"; then
    echo "ok 2 - the reset is logged under -d int"
else
    echo "not ok 2 - the reset is logged under -d int"
fi
timeout 30 "$EMU" -M virt -nographic -bios none -kernel "$G" -no-reboot \
    </dev/null >"$T/out" 2>&1
rc=$?
if [ "$rc" -eq 0 ] && [ "$(tr -d '\r' <"$T/out")" = "boot 1" ]; then
    echo "ok 3 - with -no-reboot a reset request powers off (status 0)"
else
    echo "not ok 3 - -no-reboot powers off (exit $rc)"; sed 's/^/#   /' "$T/out" | head
fi
