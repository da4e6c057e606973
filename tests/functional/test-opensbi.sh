#!/bin/sh
# targets: riscv64-softmmu
# The default boot flow with the real firmware: OpenSBI (fw_dynamic from
# Debian's opensbi package) reads our device tree, prints its banner with
# the harts, CLINT, UART and test device it found, and starts an S-mode
# payload (sbi/payload.S) at 0x80200000, whose SBI console, SBI timer (a
# deadline already passed when armed, and one the hart sleeps for) and
# SBI reboot/shutdown must work; the payload's output must match QEMU's.
# Prints TAP.
B=${BUILD_DIR:-build}
EMU=$B/mimic-system-${MIMIC_TARGET:-riscv64}
QEMU=${QEMU:-qemu-system-riscv64}
CROSS_CC=${CROSS_CC:-riscv64-linux-gnu-gcc}
FW=/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
if [ ! -f "$FW" ] || ! command -v "$CROSS_CC" >/dev/null 2>&1; then
    echo "1..0 # SKIP needs the opensbi package and $CROSS_CC"
    exit 0
fi
n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); echo "not ok $n - $1"; sed 's/^/#   /' "$T/out" | tail -8; }
check() { if eval "$2"; then ok "$1"; else not_ok "$1"; fi; }

"$CROSS_CC" -march=rv64imac_zicsr_zifencei -mabi=lp64 -mcmodel=medany \
    -nostdlib -static -no-pie -Wl,--build-id=none -Wl,-Ttext=0x80200000 \
    -o "$T/payload.elf" tests/functional/sbi/payload.S &&
    "${CROSS_CC%gcc}objcopy" -O binary "$T/payload.elf" "$T/payload.bin"

timeout 60 "$EMU" -M virt -nographic -smp 2 -kernel "$T/payload.bin" \
    </dev/null >"$T/out" 2>&1
rc=$?
tr -d '\r' <"$T/out" >"$T/o"
check "OpenSBI prints its banner" 'grep -q "^OpenSBI v" "$T/o"'
check "it finds 2 harts, the CLINT, the UART and the test device" \
    'grep -q "Platform HART Count *: 2" "$T/o" && grep -q "Platform Timer Device *: aclint-mtimer @ 10000000Hz" "$T/o" && grep -q "Platform Console Device *: uart8250" "$T/o" && grep -q "Platform Reboot Device *: sifive_test" "$T/o"'
check "next stage at 0x80200000 in S-mode, device tree in a1" \
    'grep -q "Domain0 Next Address *: 0x0000000080200000" "$T/o" && grep -q "Domain0 Next Mode *: S-mode" "$T/o" && grep -q "Domain0 Next Arg1 *: 0x0000000087e00000" "$T/o"'
check "the payload runs in S-mode and gets a supervisor timer interrupt" \
    'grep -q "^payload in S-mode, boot 1$" "$T/o" && grep -q "^supervisor timer interrupt$" "$T/o"'
check "a timer interrupt due when it is armed comes too" \
    'grep -q "^supervisor timer interrupt, due when armed$" "$T/o"'
check "SBI reboot resets the machine (boot 2), SBI shutdown exits 0" \
    '[ $rc -eq 0 ] && grep -q "^payload in S-mode, boot 2$" "$T/o" && [ "$(grep -c "^OpenSBI v" "$T/o")" -eq 2 ]'
if command -v "$QEMU" >/dev/null 2>&1; then
    timeout 60 "$QEMU" -M virt -nographic -smp 2 -kernel "$T/payload.bin" \
        </dev/null 2>&1 | tr -d '\r' | grep -a -e '^payload' -e '^supervisor' >"$T/q"
    grep -a -e '^payload' -e '^supervisor' "$T/o" >"$T/m"
    check "the payload's output is QEMU's" 'cmp -s "$T/q" "$T/m"'
fi
echo "1..$n"
