#!/bin/sh
# Runs each libFuzzer harness for a while on its seed corpus (make
# fuzz-run): sh tests/fuzz/run.sh FUZZ_DIR SCRATCH SECONDS NAME...
# New corpus entries and the input of any crash, leak or timeout go to
# SCRATCH/NAME/, never to tests/fuzz/corpus/.  Fails if any harness found
# something; prints the executions of each.  FUZZ_SEED=N fixes libFuzzer's
# random seed (CI's short runs), so that a run explores the same inputs.
fdir=$1 scratch=$2 secs=$3
shift 3
fails=""
for h in "$@"; do
    out=$scratch/$h
    mkdir -p "$out/corpus"
    dict=
    [ -f "tests/fuzz/$h.dict" ] && dict=-dict=tests/fuzz/$h.dict
    regs=
    [ -d "tests/fuzz/regressions/$h" ] && regs=tests/fuzz/regressions/$h
    echo "== fuzz-$h: $secs s"
    "$fdir/fuzz-$h" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
        ${FUZZ_SEED:+-seed=$FUZZ_SEED} \
        -max_len=65536 -print_final_stats=1 -artifact_prefix="$out/" $dict \
        "$out/corpus" "tests/fuzz/corpus/$h" $regs > "$out/log" 2>&1
    rc=$?
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$out/log")
    if [ "$rc" -ne 0 ] || grep -q -e 'runtime error:' -e 'ERROR: ' "$out/log"; then
        echo "not ok - fuzz-$h failed after ${runs:-?} runs (exit $rc): see $out/log"
        grep -m 5 -e 'ERROR: ' -e 'runtime error:' -e 'Test unit written' "$out/log"
        fails="$fails $h"
    else
        echo "ok - fuzz-$h: ${runs:-?} runs"
    fi
done
[ -z "$fails" ] || { echo "fuzz-run: failures in:$fails"; exit 1; }
