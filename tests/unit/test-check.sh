#!/bin/sh
# tests/check.sh's summary line, on a made-up tree of suites: a skipped
# test is counted as skipped, not passed ("ok N - x # SKIP why" and a
# "1..0 # SKIP why" plan), and on CI (MIMIC_CI=1) a skip is a failure
# whose reason is shown, unless it is a known, permanent one ("# SKIP
# known ...").  Prints TAP.  Run from the source root.
SRC=$(pwd)
. tests/tap.sh

mkdir -p "$T/tree/tests/unit"
suite() { printf '%s\n' "$2" >"$T/tree/tests/unit/test-$1.sh"; }
suite pass 'echo "ok 1 - a"; echo "ok 2 - b"; echo "1..2"'
suite skip 'echo "ok 1 - boot # SKIP no image cache (run make images)"; echo "1..1"'
suite plan 'echo "1..0 # SKIP dtc not installed"'
suite known 'echo "ok 1 - x # skip known reference deviation: y"; echo "1..1"'

# check NAME: runs check.sh on the tree (with the environment given).
check() {
    (cd "$T/tree" && SUITES=unit BUILD_DIR="$T/build" sh "$SRC/tests/check.sh") \
        >"$T/out" 2>&1
}

# Off CI, whatever the environment of this run (CI runs it with MIMIC_CI=1).
MIMIC_CI= check
rc=$?
if [ "$rc" -eq 0 ] && [ "$(tail -n 1 "$T/out")" = "2 passed, 0 failed, 3 skipped" ]; then
    ok "skipped tests are counted as skipped"
else
    echo "#   exit status $rc"
    not_ok "skipped tests are counted as skipped"
fi

MIMIC_CI=1 check
rc=$?
if [ "$rc" -ne 0 ] && [ "$(tail -n 1 "$T/out")" = "2 passed, 2 failed, 1 skipped" ] &&
   grep -q "unit/test-skip.*no image cache (run make images)" "$T/out" &&
   grep -q "unit/test-plan.*dtc not installed" "$T/out"; then
    ok "on CI a skip fails, with its reason"
else
    echo "#   exit status $rc"
    not_ok "on CI a skip fails, with its reason"
fi

tap_end
