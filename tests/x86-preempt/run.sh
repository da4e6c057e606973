#!/bin/sh
# Runs each program of tests/functional/test-user-x86_64.sh and two
# ranges of the x86-diff runner natively, plainly and under
# tests/x86-preempt/preempt (a stop before and after each instruction of
# the program's own code, its first K executions, K=${K:-50}): the
# output and exit status must be the same, or the test compares state a
# context switch changes.  Not in make check (minutes, and it says
# nothing about Mimic): `make check-x86-preempt [K=n]`.  Prints TAP.
. tests/tap.sh
B=${BUILD_DIR:-build}
K=${K:-50}
PRE=$(pwd)/$B/tests/x86-preempt/preempt
P=$(pwd)/$B/tests/user/x86_64
G=$(pwd)/$B/tests/user/x86_64-glibc
TAP_SHOW="out"

# sites PROG: the instructions of PROG's code; of a glibc program only
# its own functions (the test's code, not glibc's, prints the state).
sites() {
    case $1 in
    */x86_64-glibc/*)
        for f in $(nm "$1" | awk '$2 == "T" || $2 == "t" { print $3 }' |
            grep -x -e main -e c_handler -e sig_entry -e print_bytes \
                -e print_entry_state); do
            objdump -d --no-show-raw-insn --disassemble="$f" "$1"
        done ;;
    *) objdump -d --no-show-raw-insn "$1" ;;
    esac | awk '/^ *[0-9a-f]+:\t/ { sub(":", "", $1); print $1 }'
}

# same NAME PROG ARGS...
same() {
    name=$1
    shift
    sites "$1" >"$T/sites"
    "$@" >"$T/plain" 2>/dev/null
    ps=$?
    "$PRE" "$T/sites" "$K" "$@" >"$T/pre" 2>/dev/null
    qs=$?
    if [ "$ps" = "$qs" ] && cmp -s "$T/plain" "$T/pre"; then
        ok "$name (status $ps)"
    else
        { echo "status: plain $ps, preempted $qs"
          diff "$T/plain" "$T/pre"; } >"$T/out"
        not_ok "$name"
    fi
}

if [ "$(uname -m)" != x86_64 ] || ! command -v objdump >/dev/null; then
    echo "1..0 # SKIP needs an x86-64 host and objdump"
    exit 0
fi
same "hello" "$P/hello" one "two words"
for t in alu alu2 strings x87 sse mmx; do
    same "$t" "$P/$t"
done
for f in ud2 div0 idivov int3 hlt segv cx16gp enter movapsgp paddbgp \
    movdqagp movupsok ldmxcsrgp xm xmmasked fxsavegp fxrstorgp fxsavepf \
    mmxmf cvtpi2psmem maskmovqpf maskmovq0 clflushok clflushpf none; do
    same "faults $f" "$P/faults" "$f"
done
same "glibc hello" "$G/hello" one "two words"
same "glibc float" "$G/float" 0.1 1e-320 -7.25e100 nan inf
for m in basic null badmxcsr altstack; do
    same "sigfp $m" "$G/sigfp" "$m"
done
same "x86-diff seed 1" "$(pwd)/$B/tests/x86-diff/runner" 1 0 2000
same "x86-diff seed 5" "$(pwd)/$B/tests/x86-diff/runner" 5 0 2000
tap_end
