#!/bin/sh
# targets: riscv64-softmmu
# A guest's power-off (the test finisher) stops the harts at once: a guest
# that writes to the UART right after its power-off store prints nothing
# more, in 20 runs, with one hart and with two (each on its thread), and exits
# with status 0.  (The harts used to run on until the main loop got round
# to pausing them: how far depended on the host's load, which made
# traces of the same program differ in length.)  Prints TAP.
B=${BUILD_DIR:-build}
EMU=$B/mimic-system-${MIMIC_TARGET:-riscv64}
ELF=$B/tests/functional/after-poweroff.elf
n=0
for smp in 1 2; do
    bad=0
    for i in $(seq 20); do
        out=$(timeout 60 "$EMU" -M virt -bios none -nographic -smp $smp \
            -kernel "$ELF" </dev/null 2>&1)
        rc=$?
        if [ "$rc" -ne 0 ] || [ "$out" != off ]; then
            bad=$((bad + 1))
            detail="exit status $rc, output '$(printf '%s' "$out" | head -c 60)'"
        fi
    done
    n=$((n + 1))
    if [ "$bad" -eq 0 ]; then
        echo "ok $n - -smp $smp: no guest code runs after the power-off (20 runs)"
    else
        echo "not ok $n - -smp $smp: no guest code runs after the power-off ($bad of 20 runs; last: $detail)"
    fi
done
echo "1..$n"
