#!/bin/sh
# Run bare-metal guest test ELFs under a reference and a test emulator and
# require the same UART output and exit status from both; report TAP.
#
#   tests/tcg/diff.sh REF_EMU TEST_EMU ELF...
#
# Each emulator is a command prefix (split on blanks); each ELF runs as
#   EMU -M virt -bios none -nographic -kernel ELF
# under `timeout`, with stdin from /dev/null (see run.sh).
#
# A test named in tests/tcg/ARCH/qemu-deviations.txt (ARCH is the name of the
# directory the ELF is in; lines "name: reason", # starts a comment) checks
# behaviour where the reference (QEMU) departs from the specification: for it
# the outputs are not compared, and the test emulator must pass it on its own
# (exit status 0, last line "OK name").  Exits 1 if any test failed.
#
# Environment: TCG_TIMEOUT (seconds, default 60).

if [ $# -lt 3 ]; then
    echo "usage: $0 REF_EMU TEST_EMU ELF..." >&2
    exit 2
fi
ref=$1
test=$2
shift 2
srcdir=$(dirname "$0")
timeout_s=${TCG_TIMEOUT:-60}
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM

# The number of checks a test ran is not compared: a test runs extra
# checks for optional features (S-mode, ...) that one emulator may lack;
# failures, their details and the exit status still must match.
normalise() {
    tr -d '\r' | sed -e 's/\x1b\[[0-9;?]*[a-zA-Z]//g' -e 's/\x1b[()][0-9A-Za-z]//g' \
        -e 's/[[:cntrl:]]//g' -e 's/[[:blank:]]*$//' \
        -e 's/^\([a-z0-9_]*\): [0-9]* checks, /\1: N checks, /'
}

# run EMU ELF TAG: output in $tmp/TAG.out, exit status in $tmp/TAG.status
run() {
    # Extra options a test needs (devices): tests/tcg/ARCH/NAME.args.
    args=
    argsfile="$srcdir/$(basename "$(dirname "$2")")/$(basename "$2" .elf).args"
    [ -f "$argsfile" ] && args=$(cat "$argsfile")
    # A disk image the options name (file=X.img, made next to the test)
    # gets a fresh copy for each run, so that two runs at once never share
    # (or lock) it and the build folder may be any.
    for img in $(printf '%s\n' "$args" | grep -o 'file=[^, ]*\.img'); do
        img=${img#file=}
        cp "$(dirname "$2")/$(basename "$img")" "$tmp/$(basename "$img")" &&
            args=$(printf '%s\n' "$args" | sed "s|file=$img|file=$tmp/$(basename "$img")|")
    done
    # shellcheck disable=SC2086  # the emulator prefix is deliberately split
    # The reference gets three times as long: it is not under test, and
    # QEMU's thread=multi runs slow on a loaded host (pci_bar_smp's
    # QEMU run passed 60 s with two make checks at once).
    t=$timeout_s
    [ "$3" = ref ] && t=$((timeout_s * 3))
    timeout "$t" $1 -M virt -bios none -nographic $args -kernel "$2" \
        </dev/null >"$tmp/$3.raw" 2>"$tmp/$3.err"
    echo $? >"$tmp/$3.status"
    normalise <"$tmp/$3.raw" >"$tmp/$3.out"
}

# deviation NAME ARCH: prints the reason if NAME is a listed deviation
deviation() {
    f="$srcdir/$2/qemu-deviations.txt"
    [ -f "$f" ] || return 1
    sed -n "s/^$1:[[:blank:]]*//p" "$f" | head -n 1 | grep .
}

echo "1..$#"
n=0
failed=0
for elf in "$@"; do
    n=$((n + 1))
    name=$(basename "$elf" .elf)
    arch=$(basename "$(dirname "$elf")")
    run "$ref" "$elf" ref
    run "$test" "$elf" test
    rs=$(cat "$tmp/ref.status")
    ts=$(cat "$tmp/test.status")
    if reason=$(deviation "$name" "$arch"); then
        last=$(grep -v '^$' "$tmp/test.out" | tail -n 1)
        if [ "$ts" -eq 0 ] && [ "$last" = "OK $name" ]; then
            echo "ok $n - $name # known reference deviation: $reason"
        else
            failed=$((failed + 1))
            echo "not ok $n - $name (known reference deviation; test emulator exit status $ts)"
            tail -n 20 "$tmp/test.out" | sed 's/^/#   /'
        fi
        continue
    fi
    if [ "$rs" = "$ts" ] && cmp -s "$tmp/ref.out" "$tmp/test.out"; then
        last=$(grep -v '^$' "$tmp/ref.out" | tail -n 1)
        if [ "$rs" -eq 0 ] && [ "$last" = "OK $name" ]; then
            echo "ok $n - $name"
        else
            echo "ok $n - $name # identical, but neither passes (exit status $rs)"
        fi
    else
        failed=$((failed + 1))
        echo "not ok $n - $name (exit status: reference $rs, test $ts)"
        diff -u "$tmp/ref.out" "$tmp/test.out" | sed -e 's/^/#   /' | head -n 40
    fi
done
if [ "$failed" -ne 0 ]; then
    echo "# $failed of $n tests failed"
    exit 1
fi
exit 0
