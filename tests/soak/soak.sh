#!/bin/sh
# make soak: boots the test images' Linux (tests/images) SOAK_N times
# (default 1000) to a shell that counts the harts it has and powers off,
# cycling -smp 1, 2 and 4, round-robin with slices of random length
# (-accel tcg,thread=single,slice=random), SOAK_JOBS at a time (default 2).
# A boot that has not powered off after SOAK_TIMEOUT seconds (default 120)
# is a hang: the guest PC and registers of every hart (the monitor's `info
# registers -a`), QMP's query-status and the last lines of its `-d int` log
# are saved in its folder under SOAK_DIR (default build/soak/<date>).  A
# crash (the emulator dies, or the kernel oopses or panics) keeps its
# console log there too.  Prints one line per failure and a summary; exits
# 1 if any boot failed.  Not part of `make check`.  SOAK_ACCEL replaces the
# -accel value, SOAK_IMAGES the image folder.  docs/devel/debugging.md
# says more.
B=${BUILD_DIR:-build}
EMU=$B/mimic-system-riscv64
N=${SOAK_N:-1000}
JOBS=${SOAK_JOBS:-2}
TIMEOUT=${SOAK_TIMEOUT:-120}
ACCEL=${SOAK_ACCEL:-tcg,thread=single,slice=random}
OUT=${SOAK_DIR:-$B/soak/$(date +%Y%m%d-%H%M%S)}
HERE=$(dirname "$0")

IMG=${SOAK_IMAGES:-$(sh tests/images/build.sh --dir 2>/dev/null | tail -n 1)}
if [ ! -f "$IMG/Image" ] || [ ! -f "$IMG/initramfs.cpio.gz" ]; then
    echo "soak: no guest images ($IMG): run 'make images' first" >&2
    exit 1
fi
mkdir -p "$OUT" || exit 1
: >"$OUT/results"
# The workload: the number of harts Linux brought up, then power-off.
# Through the kernel log, whose console output is synchronous: a line
# written to the tty may be dropped when the shell, a session leader,
# exits before the UART interrupt has sent it (Linux hangs the tty up and
# flushes it), which slices of random length make likely.
CMD=$(printf 'echo "soak: harts $(grep -c ^processor /proc/cpuinfo)" >/dev/kmsg\n' |
    base64 -w0)

# boot I SMP: one boot, in $OUT/boot-I; appends "I SMP RESULT SECONDS" to
# $OUT/results.  RESULT: ok, hang, crash (and why).
boot() {
    i=$1 smp=$2
    d=$OUT/boot-$i
    mkdir -p "$d"
    start=$(date +%s)
    "$EMU" -M virt -m 256M -smp "$smp" -accel "$ACCEL" -nographic \
        -monitor "unix:$d/hmp.sock,server,wait=off" \
        -qmp "unix:$d/qmp.sock,server,wait=off" -d int -D "$d/int.log" \
        -kernel "$IMG/Image" -initrd "$IMG/initramfs.cpio.gz" \
        -append "console=ttyS0 mimic.run64=$CMD" \
        </dev/null >"$d/console.log" 2>&1 &
    pid=$!
    # Wait for the emulator to exit (the guest powered off) or the limit.
    while kill -0 "$pid" 2>/dev/null &&
        [ $(($(date +%s) - start)) -lt "$TIMEOUT" ]; do
        sleep 1
    done
    if kill -0 "$pid" 2>/dev/null; then
        python3 "$HERE/monitor-dump.py" "$d/hmp.sock" "$d/qmp.sock" "$d"
        kill "$pid"
        wait "$pid"
        tail -n 3000 "$d/int.log" >"$d/int-tail.log"
        rm -f "$d/int.log"
        result=hang
    else
        wait "$pid"
        rc=$?
        tr -d '\r' <"$d/console.log" >"$d/console.txt"
        if [ "$rc" -ne 0 ]; then
            result="crash (exit status $rc)"
        elif grep -q -e "Kernel panic" -e "Oops" -e "BUG:" "$d/console.txt"; then
            result="crash (kernel: $(grep -m1 -e "Kernel panic" -e "Oops" -e "BUG:" "$d/console.txt"))"
        elif ! grep -q "soak: harts $smp\$" "$d/console.txt"; then
            result="crash (Linux has $(sed -n 's/.*soak: harts //p' "$d/console.txt") of $smp harts)"
        elif grep -q "unhandled signal" "$d/console.txt"; then
            # The workload ran and the guest powered off, but one of its
            # processes died: Linux 6.1's vDSO race (docs/devel/debugging.md).
            result="guest-fault ($(grep -m1 "unhandled signal" "$d/console.txt" | sed 's/^\[[^]]*\] //'))"
        else
            result=ok
        fi
        rm -f "$d/int.log" "$d/console.log"
    fi
    echo "$i $smp $result $(($(date +%s) - start))" >>"$OUT/results"
    if [ "$result" = ok ]; then
        rm -rf "$d"
    else
        tail -n 30 "$d/console.log" "$d/console.txt" 2>/dev/null >"$d/console-tail.txt"
        echo "soak: boot $i (-smp $smp): $result: $d"
    fi
}

# worker K: boots K, K+JOBS, K+2*JOBS, ... up to N.
worker() {
    i=$1
    while [ "$i" -le "$N" ]; do
        case $((i % 3)) in 1) smp=1 ;; 2) smp=2 ;; *) smp=4 ;; esac
        boot "$i" "$smp"
        i=$((i + JOBS))
    done
}

echo "soak: $N boots of $IMG, -accel $ACCEL, $JOBS at a time, into $OUT"
k=1
while [ "$k" -le "$JOBS" ]; do
    worker "$k" &
    k=$((k + 1))
done
wait
ok=$(grep -c " ok " "$OUT/results")
hang=$(grep -c " hang " "$OUT/results")
crash=$(grep -c " crash " "$OUT/results")
gfault=$(grep -c " guest-fault " "$OUT/results")
echo "soak: $N boots: $ok ok, $hang hangs, $crash crashes, $gfault guest faults (details in $OUT)"
for s in 1 2 4; do
    echo "soak:   -smp $s: $(grep -c "^[0-9]* $s ok" "$OUT/results") ok of $(grep -c "^[0-9]* $s " "$OUT/results")"
done
[ "$hang" -eq 0 ] && [ "$crash" -eq 0 ]
