#!/bin/sh
# targets: riscv64-softmmu
# A 1-iteration smoke run of the benchmark harness (bench/run.py --smoke):
# every row runs once on Mimic and on QEMU at a tiny scale, and the
# workloads' checksums must agree with the native build.  Speed is not
# checked here (make bench measures it).  Prints TAP.
d=$(sh tests/images/build.sh --dir 2>/dev/null | tail -n 1)
if [ ! -f "$d/Image" ]; then
    echo "ok 1 - # SKIP guest images not built (make images)"
    echo "1..1"
    exit 0
fi
out=$(python3 bench/run.py --smoke 2>&1)
rc=$?
if [ $rc -eq 0 ]; then
    echo "ok 1 - bench/run.py --smoke: every row ran on Mimic and QEMU, checksums agree"
else
    echo "not ok 1 - bench/run.py --smoke (exit status $rc)"
    echo "$out" | tail -n 30 | sed 's/^/#   /'
fi
echo "1..1"
