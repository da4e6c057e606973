#!/bin/sh
# needs: none
# tests/check.sh's summary line, on made-up trees of suites: a skipped
# test is counted as skipped, not passed ("ok N - x # SKIP why" and a
# "1..0 # SKIP why" plan), and on CI (MIMIC_CI=1) a skip is a failure
# whose reason is shown, unless it is a known, permanent one ("# SKIP
# known ..."), or a target missing from a narrow --target-list.  A unit
# test whose needs (tests/needs.sh) the build lacks is such a skip; one
# with a bad needs line, or built for none of its needs, fails.  Prints
# TAP.  Run from the source root.
SRC=$(pwd)
. tests/tap.sh

# suite TREE NAME BODY: a shell suite that needs nothing.
suite() {
    mkdir -p "$T/$1/tests/unit"
    printf '#!/bin/sh\n# needs: none\n%s\n' "$3" >"$T/$1/tests/unit/test-$2.sh"
}
# ctest TREE NAME NEEDS [BODY]: a C unit test; with a BODY, its "binary"
# (a script printing BODY's TAP) is built.
ctest() {
    mkdir -p "$T/$1/tests/unit" "$T/$1-build/tests/unit"
    printf '/* needs: %s */\nint main(void) { return 0; }\n' "$3" \
        >"$T/$1/tests/unit/test-$2.c"
    if [ -n "$4" ]; then
        printf '#!/bin/sh\n%s\n' "$4" >"$T/$1-build/tests/unit/test-$2"
        chmod +x "$T/$1-build/tests/unit/test-$2"
    fi
}
# config TREE TARGET_LIST: the build's config.mak, of two targets in all.
config() {
    mkdir -p "$T/$1-build"
    printf 'TARGET_LIST=%s\nALL_TARGETS=riscv64-softmmu x86_64-linux-user\n' \
        "$2" >"$T/$1-build/config.mak"
}
# run TREE: runs check.sh on the tree (with the environment given).
run() {
    (cd "$T/$1" && SUITES=unit BUILD_DIR="$T/$1-build" sh "$SRC/tests/check.sh") \
        >"$T/out" 2>&1
}
# expect NAME STATUS(0 or 1) SUMMARY [PATTERN...]: checks the last run.
expect() {
    ename=$1 erc=$2 esum=$3
    shift 3
    eok=yes
    if [ "$erc" -eq 0 ]; then [ "$rc" -eq 0 ] || eok=; else [ "$rc" -ne 0 ] || eok=; fi
    [ "$(tail -n 1 "$T/out")" = "$esum" ] || eok=
    for p in "$@"; do
        grep -q -- "$p" "$T/out" || { echo "#   no '$p'"; eok=; }
    done
    if [ -n "$eok" ]; then
        ok "$ename"
    else
        echo "#   exit status $rc"
        TAP_SHOW=out not_ok "$ename"
    fi
}

config plain "riscv64-softmmu x86_64-linux-user"
suite plain pass 'echo "ok 1 - a"; echo "ok 2 - b"; echo "1..2"'
suite plain skip 'echo "ok 1 - boot # SKIP no image cache (run make images)"; echo "1..1"'
suite plain plan 'echo "1..0 # SKIP dtc not installed"'
suite plain known 'echo "ok 1 - x # skip known reference deviation: y"; echo "1..1"'

# Off CI, whatever the environment of this run (CI runs it with MIMIC_CI=1).
MIMIC_CI= run plain; rc=$?
expect "skipped tests are counted as skipped" 0 "2 passed, 0 failed, 3 skipped"

MIMIC_CI=1 run plain; rc=$?
expect "on CI a skip fails, with its reason" 1 "2 passed, 2 failed, 1 skipped" \
    "unit/test-skip.*no image cache (run make images)" \
    "unit/test-plan.*dtc not installed"

# A build of riscv64-softmmu alone: a test of x86_64-linux-user (C or
# shell) is skipped, not built, and that is no failure on CI either.
config narrow riscv64-softmmu
ctest narrow rv riscv64-softmmu 'echo "ok 1 - rv"; echo "1..1"'
ctest narrow x86 x86_64-linux-user
ctest narrow both "riscv64-softmmu x86_64"
suite narrow shx86 'echo "not ok 1 - ran"'
sed -i '2s/none/x86_64/' "$T/narrow/tests/unit/test-shx86.sh"
MIMIC_CI=1 run narrow; rc=$?
expect "a narrow build skips the tests of the targets it lacks, on CI too" 0 \
    "1 passed, 0 failed, 3 skipped" \
    "SKIP x86_64-linux-user is not in this build's --target-list" \
    "SKIP x86_64 (either mode) is not in this build's --target-list"

# The full build: that reason is a mistake there, and a test whose needs
# are met but whose binary is missing was not built.
config full "riscv64-softmmu x86_64-linux-user"
suite full tl "echo \"1..0 # SKIP x86_64-linux-user is not in this build's --target-list\""
ctest full missing x86_64-linux-user
MIMIC_CI=1 run full; rc=$?
expect "in a full build on CI, a target-list skip fails; an unbuilt test fails" 1 \
    "0 passed, 2 failed, 0 skipped" "unit/test-tl skipped on CI" \
    "unit/test-missing.*was not built"

# Bad needs lines fail, whatever the build.
config bad riscv64-softmmu
ctest bad typo riscv64-sofmmu 'echo "ok 1 - x"; echo "1..1"'
ctest bad none2 "none x86_64" 'echo "ok 1 - x"; echo "1..1"'
suite bad noline 'echo "ok 1 - x"; echo "1..1"'
sed -i 2d "$T/bad/tests/unit/test-noline.sh"
MIMIC_CI= run bad; rc=$?
expect "a missing or wrong needs line fails" 1 "0 passed, 3 failed, 0 skipped" \
    "needs 'riscv64-sofmmu': not a target" "'none' with other needs" \
    "no '# needs: WORD...' second line"

tap_end
