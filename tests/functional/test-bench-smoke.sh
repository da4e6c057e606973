#!/bin/sh
# targets: riscv64-softmmu
# A 1-iteration smoke run of the benchmark harness (bench/run.py --smoke):
# every row runs once on Mimic and on QEMU at a tiny scale, and the
# workloads' checksums must agree with the native build.  Speed is not
# checked here (make bench measures it).  Prints TAP.
d=$(sh tests/images/build.sh --dir 2>/dev/null | tail -n 1)
if [ ! -f "$d/Image" ]; then
    echo "ok 1 - # SKIP guest images not built (make images)"
    echo "ok 2 - # SKIP guest images not built (make images)"
    echo "1..2"
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
# Two runs at once in one tree (make check twice in parallel): each keeps
# its outputs to itself and sees the shared builds whole.
t=$(mktemp -d)
python3 bench/run.py --smoke --rows user-int,x86-user-gcc >"$t/a" 2>&1 &
a=$!
python3 bench/run.py --smoke --rows user-int,x86-user-gcc >"$t/b" 2>&1
rb=$?
wait $a
ra=$?
if [ $ra -eq 0 ] && [ $rb -eq 0 ]; then
    echo "ok 2 - two smoke runs at once in one tree both pass"
else
    echo "not ok 2 - two smoke runs at once in one tree (exit status $ra, $rb)"
    tail -n 5 "$t/a" "$t/b" | sed 's/^/#   /'
fi
rm -rf "$t"
echo "1..2"
