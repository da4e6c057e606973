#!/bin/sh
# targets: riscv64-softmmu
# -smp N: harts sharing one host thread round-robin (thread=single), and
# one host thread per hart (the default with -smp > 1; accel/tcg/cpus.c).
# smp-atomics makes 4 harts meet at a spinning barrier and count with
# LR/SC, AMOs and a spinlock; it exits 0 only if no update was lost, which
# needs spinning harts to be preempted and stale reservations to fail.
# Idle harts (WFI) must leave the host idle.  Prints TAP.
B=${BUILD_DIR:-build}
EMU=$B/mimic-system-${MIMIC_TARGET:-riscv64}
QEMU=${QEMU:-qemu-system-riscv64}
G=$B/tests/functional
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
echo "1..7"

# run N DESCRIPTION EMULATOR OPTIONS...: ok if the guest exits with 0.
run() {
    n=$1 desc=$2
    shift 2
    timeout 60 "$@" -M virt -bios none -nographic </dev/null >"$T/out" 2>&1
    rc=$?
    if [ "$rc" -eq 0 ]; then
        echo "ok $n - $desc"
    else
        echo "not ok $n - $desc (exit status $rc)"
        sed 's/^/# /' "$T/out" | head -20
    fi
}

ST="-accel tcg,thread=single"
run 1 "4 harts on one thread: barrier, LR/SC, AMOs and a spinlock lose no update" \
    "$EMU" -smp 4 $ST -kernel "$G/smp-atomics.elf"
run 2 "the same with one insn per TB (a switch can fall between LR and SC)" \
    "$EMU" -smp 4 $ST -singlestep -kernel "$G/smp-atomics.elf"
run 3 "8 harts, 4 of them parked in WFI" \
    "$EMU" -smp 8 $ST -kernel "$G/smp-atomics.elf"
run 4 "one thread per hart (the default): the same" \
    "$EMU" -smp 4 -kernel "$G/smp-atomics.elf"
run 5 "one thread per hart, 8 harts, 4 of them parked in WFI" \
    "$EMU" -smp 8 -kernel "$G/smp-atomics.elf"
if command -v "$QEMU" >/dev/null 2>&1; then
    run 6 "the guest passes under QEMU -smp 4 too" \
        "$QEMU" -smp 4 -kernel "$G/smp-atomics.elf"
else
    echo "ok 6 # SKIP $QEMU not installed"
fi

# Four harts in WFI: over one second (after start-up) the emulator uses
# next to no CPU time, so their threads sleep.
cpu=$(python3 - "$EMU" "$G/idle.elf" <<'PY'
import os, subprocess, sys, time
cmd = [sys.argv[1], "-M", "virt", "-bios", "none", "-nographic", "-smp", "4",
       "-kernel", sys.argv[2]]
p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                     stderr=subprocess.DEVNULL)


def cpu_seconds():
    f = open("/proc/%d/stat" % p.pid).read().rsplit(")", 1)[1].split()
    return (int(f[11]) + int(f[12])) / os.sysconf("SC_CLK_TCK")


try:
    time.sleep(0.5)
    c0 = cpu_seconds()
    time.sleep(1.0)
    print("%.2f" % (cpu_seconds() - c0))
except OSError:
    print("99")     # it exited
p.kill()
p.wait()
PY
)
if python3 -c "import sys; sys.exit(0 if float('$cpu') < 0.2 else 1)"; then
    echo "ok 7 - 4 idle harts: the host is idle too (${cpu}s CPU in 1s)"
else
    echo "not ok 7 - 4 idle harts: the host is idle too (${cpu}s CPU in 1s)"
fi
