#!/bin/sh
# targets: riscv64-softmmu
# Guest mistakes are the guest's: fetches, loads and stores to unmapped
# addresses trap to mtvec (trap_access checks mcause and mtval itself) and
# are logged under -d guest_errors; the host stays up.  Prints TAP.
B=${BUILD_DIR:-build}
EMU=$B/mimic-system-${MIMIC_TARGET:-riscv64}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
echo "1..4"

timeout 60 "$EMU" -M virt -nographic -bios none \
    -kernel "$B/tests/tcg/riscv64/trap_access.elf" \
    -d guest_errors -D "$T/log" </dev/null >"$T/out" 2>&1
rc=$?
if [ "$rc" -eq 0 ] && grep -q "^OK trap_access" "$T/out"; then
    echo "ok 1 - faults trap with the right mcause and mtval, and the guest goes on"
else
    echo "not ok 1 - faults trap with the right mcause and mtval (exit $rc)"
fi
n=2
for kind in fetch load store; do
    if grep -q "invalid $kind .* at 0x" "$T/log"; then
        echo "ok $n - an unmapped $kind is logged under -d guest_errors"
    else
        echo "not ok $n - an unmapped $kind is logged under -d guest_errors"
    fi
    n=$((n + 1))
done
