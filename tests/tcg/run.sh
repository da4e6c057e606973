#!/bin/sh
# Run bare-metal guest test ELFs under a system emulator and report TAP.
#
#   tests/tcg/run.sh [--reference] EMULATOR ELF...
#
# EMULATOR is a command prefix (split on blanks), e.g. "qemu-system-riscv64"
# or "build/mimic-system-riscv64 -d nochain".  Each ELF runs as (plus the
# options in tests/tcg/ARCH/NAME.args, if that file exists)
#   EMULATOR -M virt -bios none -nographic -kernel ELF
# under `timeout`, with stdin from /dev/null.  A test passes when the exit
# status is 0 and the last line of its UART output is "OK <name>", where name
# is the ELF's base name without .elf.  On failure the tail of the output is
# shown as TAP comments.  Exits 1 if any test failed.
#
# --reference says EMULATOR is the reference (QEMU): a test listed in
# tests/tcg/ARCH/qemu-deviations.txt checks behaviour where the reference
# departs from the specification: when it fails there, it is reported as
# "ok N - name # SKIP known reference deviation: ..." (so that tools counting
# "not ok" lines do not count it) and is not a failure.
#
# Environment: TCG_TIMEOUT (seconds, default 60), TCG_KEEP_OUTPUT=DIR keeps each
# test's normalised output in DIR/NAME.out.

reference=0
if [ "$1" = "--reference" ]; then
    reference=1
    shift
fi
if [ $# -lt 2 ]; then
    echo "usage: $0 [--reference] EMULATOR ELF..." >&2
    exit 2
fi
srcdir=$(dirname "$0")
emu=$1
shift
timeout_s=${TCG_TIMEOUT:-60}
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM

# Normalise guest output: drop CRs, ANSI escape sequences and other control
# bytes a terminal backend might add, and trailing blanks.
normalise() {
    tr -d '\r' | sed -e 's/\x1b\[[0-9;?]*[a-zA-Z]//g' -e 's/\x1b[()][0-9A-Za-z]//g' \
        -e 's/[[:cntrl:]]//g' -e 's/[[:blank:]]*$//'
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
    # Extra options a test needs (devices): tests/tcg/ARCH/NAME.args.
    args=
    argsfile="$srcdir/$(basename "$(dirname "$elf")")/$name.args"
    [ -f "$argsfile" ] && args=$(cat "$argsfile")
    # A disk image the options name (file=X.img, made next to the test)
    # gets a fresh copy for each run, so that two runs at once never share
    # (or lock) it and the build folder may be any.
    for img in $(printf '%s\n' "$args" | grep -o 'file=[^, ]*\.img'); do
        img=${img#file=}
        cp "$(dirname "$elf")/$(basename "$img")" "$tmp/$(basename "$img")" &&
            args=$(printf '%s\n' "$args" | sed "s|file=$img|file=$tmp/$(basename "$img")|")
    done
    # shellcheck disable=SC2086  # EMULATOR and args are deliberately split
    timeout "$timeout_s" $emu -M virt -bios none -nographic $args -kernel "$elf" \
        </dev/null >"$tmp/raw" 2>"$tmp/err"
    status=$?
    normalise <"$tmp/raw" >"$tmp/out"
    if [ -n "$TCG_KEEP_OUTPUT" ]; then
        mkdir -p "$TCG_KEEP_OUTPUT" && cp "$tmp/out" "$TCG_KEEP_OUTPUT/$name.out"
    fi
    last=$(grep -v '^$' "$tmp/out" | tail -n 1)
    dev=
    if [ "$reference" -eq 1 ] && reason=$(deviation "$name" "$(basename "$(dirname "$elf")")"); then
        dev=$reason
    fi
    if [ "$status" -eq 0 ] && [ "$last" = "OK $name" ]; then
        echo "ok $n - $name"
    elif [ -n "$dev" ]; then
        echo "ok $n - $name # SKIP known reference deviation (exit status $status): $dev"
    else
        failed=$((failed + 1))
        why="exit status $status"
        [ "$status" -eq 124 ] && why="timed out after ${timeout_s}s"
        echo "not ok $n - $name ($why)"
        tail -n 20 "$tmp/out" | sed 's/^/#   /'
        if [ -s "$tmp/err" ]; then
            echo "#   stderr:"
            tail -n 5 "$tmp/err" | sed 's/^/#   /'
        fi
    fi
done
if [ "$failed" -ne 0 ]; then
    echo "# $failed of $n tests failed"
    exit 1
fi
exit 0
