#!/bin/sh
# Runs every test suite of `make check` and prints one summary line last:
# "N passed, N failed, N skipped".  Each suite prints TAP ("ok N - name",
# "not ok N - name", "ok N - name # SKIP why", or a "1..0 # SKIP why" plan
# for a suite that skips as a whole); this script counts the results of
# all of them.  On CI (MIMIC_CI=1, set by .ci/run) a skip is a failure,
# shown with its reason, since CI has every package and the images: a
# skip there means a suite silently stopped running.  A skip whose reason
# starts with "known" (a known, permanent deviation) is allowed there too,
# and so is one whose reason ends "not in this build's --target-list" in
# a build configured with fewer than every target (in a full build, that
# reason can only be a mistake).  A unit test that needs a target the
# build lacks (tests/needs.sh) is such a skip; so is a functional test.
# Run from the source root after a build.  SUITES=... limits the suites.
# Each suite ends with its time ("# NAME: N s"), and the run with its
# five slowest.
# Each run keeps its TAP, its stderr (check.log) and the tests' console
# logs in a folder of its own, $B/tests/run-PID (MIMIC_TEST_LOGS for the
# tests), so that two runs in one build tree do not mix their files; a
# run that passes removes its folder, one that fails keeps it and says so.
B=${BUILD_DIR:-build}
RUN=$B/tests/run-$$
LOG=$RUN/check.log
rm -rf "$RUN"
mkdir -p "$RUN"
: > "$LOG"
: > "$RUN/.check-start"
MIMIC_TEST_LOGS=$(cd "$RUN" && pwd)
export MIMIC_TEST_LOGS

# The targets this build has (configure --target-list): ARCH-softmmu
# (mimic-system-ARCH) and ARCH-linux-user (mimic-ARCH); and every target.
. "$(dirname "$0")/needs.sh"
needs_config "$B"
narrow=
for t in $ALL_TARGETS; do
    case " $TARGET_LIST " in *" $t "*) ;; *) narrow=yes ;; esac
done

pass=0
fail=0
skip=0
failed_names=""

# The reason of a TAP skip line ("ok 3 - x # SKIP why", "1..0 # skip why").
skip_reason() {
    echo "$1" | sed 's/^.*# *[sS][kK][iI][pP]:\{0,1\} *//'
}

# run_suite NAME CMD...: runs CMD, shows its TAP, adds up the results.
run_suite() {
    name=$1
    shift
    out=$RUN/suite-$(echo "$name" | tr '/ ' '__').tap
    echo "== $name"
    t0=$(date +%s)
    "$@" > "$out" 2>>"$LOG"
    rc=$?
    secs=$(($(date +%s) - t0))
    echo "$secs $name" >> "$RUN/times"
    cat "$out"
    echo "# $name: $secs s"
    p=$(grep -c '^ok ' "$out")
    f=$(grep -c '^not ok ' "$out")
    # Skipped tests, and a plan that skips the whole suite.
    grep -i -e '^ok .*# *skip' -e '^1\.\.0 *# *skip' "$out" > "$out.skips"
    s=$(grep -c . "$out.skips")
    p=$((p - $(grep -c '^ok ' "$out.skips")))
    if [ -n "$MIMIC_CI" ]; then
        while IFS= read -r line; do
            case $(skip_reason "$line") in
            [kK]nown*) continue ;;
            *"not in this build's --target-list")
                [ -n "$narrow" ] && continue ;;
            # A test of the host CPU's own instructions in another
            # host's build (needs host-x86_64 on ARM64).
            *"(this build's is "*) continue ;;
            esac
            echo "not ok - $name skipped on CI: $(skip_reason "$line")"
            c=$((c + 1))
        done < "$out.skips" > "$out.ci"
        cat "$out.ci"
        c=$(grep -c . "$out.ci")
        s=$((s - c))
        f=$((f + c))
    fi
    if [ "$p" -eq 0 ] && [ "$f" -eq 0 ] && [ "$s" -eq 0 ]; then
        # A suite that ran nothing (or crashed before its first test) fails.
        f=1
        echo "not ok - $name ran no test (exit status $rc)"
    elif [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
        f=1
        echo "not ok - $name exited with status $rc"
    fi
    pass=$((pass + p))
    fail=$((fail + f))
    skip=$((skip + s))
    [ "$f" -eq 0 ] || failed_names="$failed_names $name"
}

# want KIND [NAME]: SUITES lists kinds (unit, tcg, diff, functional) or
# whole suite names (functional/test-disk).
want() {
    [ -z "$SUITES" ] && return 0
    case " $SUITES " in *" $1 "*) return 0 ;; esac
    [ -n "$2" ] && case " $SUITES " in *" $2 "*) return 0 ;; esac
    return 1
}

# Unit tests: tests/unit/test-NAME.c built as $B/tests/unit/test-NAME,
# and shell tests; each says what it needs (tests/needs.sh).
for t in tests/unit/test-*.c tests/unit/test-*.sh; do
    [ -f "$t" ] || continue
    n=unit/$(basename "${t%.*}")
    want unit "$n" || continue
    if ! why=$(needs_unmet "$t" 2>&1); then
        run_suite "$n" echo "not ok 1 - $why"
    elif [ -n "$why" ]; then
        run_suite "$n" echo "1..0 # SKIP $why"
    elif [ "${t%.sh}" != "$t" ]; then
        run_suite "$n" sh "$t"
    elif [ -x "$B/tests/$n" ]; then
        run_suite "$n" "$B/tests/$n"
    else
        run_suite "$n" echo "not ok 1 - $B/tests/$n was not built (make)"
    fi
done

# Bare-metal guest programs of each system target (tests/tcg/ARCH/), run
# on Mimic and, for the differential suite, on Debian's QEMU.
for t in $TARGET_LIST; do
    case $t in *-softmmu) ;; *) continue ;; esac
    arch=${t%-softmmu}
    [ -d "tests/tcg/$arch" ] || continue
    temu=$B/mimic-system-$arch
    tqemu=${QEMU:-qemu-system-$arch}
    ELFS=$(ls "$B"/tests/tcg/"$arch"/*.elf 2>/dev/null)
    if want tcg "tcg/$arch"; then
        if [ -n "$ELFS" ]; then
            run_suite "tcg/$arch" sh tests/tcg/run.sh "$temu" $ELFS
        else
            echo "not ok - no $arch guest test programs were built"
            fail=$((fail + 1))
        fi
    fi
    if want diff "tcg/diff-qemu-$arch" && [ -n "$ELFS" ]; then
        if command -v "$tqemu" >/dev/null 2>&1; then
            run_suite "tcg/diff-qemu-$arch" sh tests/tcg/diff.sh "$tqemu" \
                "$temu" $ELFS
        else
            echo "not ok - $tqemu not installed (run scripts/install-deps.sh)"
            fail=$((fail + 1))
        fi
    fi
done

# Functional tests name the targets they test on their second line
# ("# targets: riscv64-softmmu", "any" for target-neutral tools) and get
# the guest architecture in MIMIC_TARGET; a test of several targets runs
# once per target (functional/test-NAME/ARCH).  One whose targets are not
# in this build is a skip, so that CI (which builds them all) notices.
for t in tests/functional/test-*.sh tests/functional/test-*.py; do
    [ -f "$t" ] || continue
    case "$t" in
    *.py) base=functional/$(basename "$t" .py); runner=python3 ;;
    *) base=functional/$(basename "$t" .sh); runner=sh ;;
    esac
    want functional "$base" || continue
    targets=$(sed -n '2s/^# targets: *//p' "$t")
    [ -n "$targets" ] || targets=riscv64-softmmu
    set -- $targets
    multi=$#
    for tt in $targets; do
        n=$base
        [ "$multi" -gt 1 ] && n=$base/${tt%%-*}
        case " $TARGET_LIST any " in
        *" $tt "*)
            MIMIC_TARGET=${tt%%-*} run_suite "$n" "$runner" "$t" ;;
        *)
            run_suite "$n" echo "1..0 # SKIP $tt is not in this build's --target-list" ;;
        esac
    done
done

# Sanitizer reports (./configure --enable-sanitizers) that a test did not
# see itself: the emulator's stderr often goes to a guest console log.
san=$(find "$B/tests" -name '*.log' -newer "$RUN/.check-start" 2>/dev/null |
      xargs grep -l -e 'runtime error:' -e 'ERROR: AddressSanitizer' \
            -e 'ERROR: LeakSanitizer' 2>/dev/null)
san="$san$(grep -l -e 'runtime error:' -e 'ERROR: AddressSanitizer' \
            -e 'ERROR: LeakSanitizer' "$LOG" 2>/dev/null)"
if [ -n "$san" ]; then
    echo "not ok - sanitizer reports in:" $san
    fail=$((fail + 1))
    failed_names="$failed_names sanitizers"
fi

# Where the time went: the slowest suites.
echo "slowest suites: $(sort -rn "$RUN/times" | head -n 5 |
    awk '{ printf "%s%s %d s", (NR > 1 ? ", " : ""), $2, $1 }')"
if [ -z "$failed_names" ]; then
    rm -rf "$RUN"
else
    echo "failed suites:$failed_names (their output, stderr and logs in $RUN)"
fi
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
