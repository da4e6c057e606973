#!/bin/sh
# needs: none
# Replays the seed corpus and the regression inputs of every fuzz harness
# (tests/fuzz/corpus/NAME, tests/fuzz/regressions/NAME) through the
# harness built without libFuzzer (build/tests/fuzz/replay-NAME): each
# input that once crashed, hung or leaked must now pass.  A harness whose
# needs (tests/needs.sh) this build lacks is skipped.  Prints TAP.
B=${BUILD_DIR:-build}
. tests/needs.sh
needs_config "$B"
n=0
fail=0
for src in tests/fuzz/fuzz-*.c; do
    h=$(basename "$src" .c)
    h=${h#fuzz-}
    [ "$h" = common ] && continue
    n=$((n + 1))
    if ! why=$(needs_unmet "$src" 2>&1); then
        echo "not ok $n - fuzz/$h: $why"
        fail=1
        continue
    elif [ -n "$why" ]; then
        echo "ok $n - fuzz/$h # SKIP $why"
        continue
    fi
    dirs="tests/fuzz/corpus/$h"
    [ -d "tests/fuzz/regressions/$h" ] && dirs="$dirs tests/fuzz/regressions/$h"
    if count=$(timeout 300 "$B/tests/fuzz/replay-$h" $dirs); then
        echo "ok $n - fuzz/$h: $count stored inputs replayed"
    else
        echo "not ok $n - fuzz/$h: an input failed (replay-$h $dirs)"
        fail=1
    fi
done
echo "1..$n"
exit $fail
