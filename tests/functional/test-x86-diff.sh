#!/bin/sh
# targets: x86_64-linux-user
# The differential test of the x86-64 guest against this host's CPU
# (tests/x86-diff/): random instruction sequences over the forms the
# translator implements, each run natively and under mimic-x86_64 by the
# same runner; registers, the defined flags, the data area, the XMM, MMX
# and x87 state and the signal that ended each sequence (number, si_code,
# si_addr) must be equal (x87 transcendentals' results within an ulp).  One
# TAP test per seed and range of cases.  A mismatch shows the case's
# bytes, their disassembly, the initial state and both final states.
#   X86_DIFF_SEEDS   seeds to run (make check: a fixed set)
#   X86_DIFF_N       cases per seed
#   X86_DIFF_CHUNK   cases per TAP test
#   X86_DIFF_X87=0   no x87 insns in the cases (the x87 state stays)
# `make check-x86-fuzz N=... [SEED=...]` runs a longer one.
. tests/tap.sh
B=${BUILD_DIR:-build}
M=$(pwd)/$B/mimic-x86_64
R=$(pwd)/$B/tests/x86-diff/runner
SEEDS=${X86_DIFF_SEEDS:-1 2 3 4 5 6 7 8}
N=${X86_DIFF_N:-10000}
CHUNK=${X86_DIFF_CHUNK:-10000}

if [ ! -x "$M" ]; then
    echo "1..0 # SKIP $M not built (configure's target list has no x86_64-linux-user)"
    exit 0
fi
if [ "$(uname -m)" != x86_64 ]; then
    echo "1..0 # SKIP the reference is the host CPU: this host is not x86-64"
    exit 0
fi
if [ ! -x "$R" ]; then
    echo "not ok 1 - the runner $R is not built"
    exit 1
fi
# An AMD host loses a pending exception's FDP at a badly timed context
# switch (tests/x86-diff/runner.c, no_fdp): the runner leaves it out.
if grep -q '^vendor_id.*AuthenticAMD' /proc/cpuinfo; then
    X86_DIFF_NO_FDP=1
    export X86_DIFF_NO_FDP
fi

# explain SEED INDEX: the case in full, natively and under Mimic.
explain() {
    "$R" -show "$1" "$2" >"$T/show.native" 2>&1
    "$M" "$R" -show "$1" "$2" >"$T/show.mimic" 2>&1
    echo "#   case $2 of seed $1 (rerun: $R -show $1 $2)"
    hex=$(sed -n 's/^code: //p' "$T/show.native")
    : >"$T/code.bin"
    for b in $hex; do
        # shellcheck disable=SC2059
        printf "$(printf '\\%03o' "0x$b")" >>"$T/code.bin"
    done
    if command -v objdump >/dev/null 2>&1; then
        objdump -D -b binary -m i386:x86-64 --adjust-vma=0x30000000 \
            "$T/code.bin" | sed -n '/<.data>:/,$p' | sed '1d; s/^/#   /'
    fi
    grep -v '^code:' "$T/show.native" | sed 's/^/#   native: /'
    grep -v -e '^code:' -e '^before:' -e '^undefined' "$T/show.mimic" |
        sed 's/^/#   mimic:  /'
}

# The hand-written regression cases first.
grep -v '^#' tests/x86-diff/regressions.txt | grep . | while IFS= read -r l; do
    hex=${l%%#*}
    what=$(echo "${l#*#}" | sed 's/^ *//')
    "$R" -code "$hex" 0 >"$T/native" 2>&1
    "$M" "$R" -code "$hex" 0 >"$T/mimic" 2>&1
    if cmp -s "$T/native" "$T/mimic"; then
        echo "ok - regression: $what"
    else
        echo "not ok - regression: $what (rerun: $R -code '$hex' 0)"
        diff "$T/native" "$T/mimic" | sed 's/^/#   /'
    fi
done >"$T/regressions"
while IFS= read -r l; do
    case $l in
    "ok - "*) ok "${l#ok - }" ;;
    "not ok - "*) not_ok "${l#not ok - }" ;;
    *) echo "$l" ;;
    esac
done <"$T/regressions"

for seed in $SEEDS; do
    first=0
    while [ "$first" -lt "$N" ]; do
        count=$CHUNK
        [ $((first + count)) -gt "$N" ] && count=$((N - first))
        name="seed $seed, cases $first-$((first + count - 1))"
        "$R" "$seed" "$first" "$count" >"$T/native" 2>"$T/native.err"
        ns=$?
        # The native output is the reference for the x87 transcendentals'
        # results, which may be one ulp apart (runner.c, out_fuzzy).
        "$M" "$R" "$seed" "$first" "$count" "$T/native" >"$T/mimic" \
            2>"$T/mimic.err"
        ms=$?
        # Mimic says nothing on stderr (a sanitizer build reports there).
        if [ "$ns" = 0 ] && [ "$ms" = 0 ] && cmp -s "$T/native" "$T/mimic" &&
            [ ! -s "$T/mimic.err" ] &&
            [ "$(grep -c . "$T/native")" = "$count" ]; then
            ok "$name"
        else
            not_ok "$name (status native $ns, mimic $ms)"
            head -n 5 "$T/mimic.err" | sed 's/^/#   mimic stderr: /'
            # The first three cases that differ (or the one Mimic died in).
            diff "$T/native" "$T/mimic" | sed -n 's/^< \([0-9]*\):.*/\1/p' |
                head -n 3 >"$T/bad"
            [ -s "$T/bad" ] || echo $((first + $(grep -c . "$T/mimic"))) >"$T/bad"
            for i in $(cat "$T/bad"); do
                # The lines of this run first: a case that differs only
                # among the others, or only once, shows it here alone.
                echo "#   this run's lines for case $i:"
                grep "^$i:" "$T/native" | sed 's/^/#   native run: /'
                grep "^$i:" "$T/mimic" | sed 's/^/#   mimic run:  /'
                explain "$seed" "$i"
            done
        fi
        first=$((first + count))
    done
done
tap_end
