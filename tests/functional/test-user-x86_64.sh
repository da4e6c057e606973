#!/bin/sh
# targets: x86_64-linux-user
# Linux user mode for x86-64 guests (mimic-x86_64) against this x86-64
# machine itself: each program of tests/user/x86_64 (no libc) runs
# natively and under Mimic, and the standard output and exit status must
# be the same, deaths by signal included (the CPU's #UD, #DE, #BP, #GP and
# page faults become the same signals).  Prints TAP.
. tests/tap.sh
B=${BUILD_DIR:-build}
M=$(pwd)/$B/mimic-x86_64
P=$(pwd)/$B/tests/user/x86_64
TAP_SHOW="out err"
# A bound on each run, not a duration: a hang fails its test.
LIMIT="timeout -k 5 ${USER_RUN_TIMEOUT:-300}"

if [ ! -x "$M" ]; then
    echo "1..0 # SKIP $M not built (configure's target list has no x86_64-linux-user)"
    exit 0
fi
if [ "$(uname -m)" != x86_64 ]; then
    echo "1..0 # SKIP the reference is the host CPU: this host is not x86-64"
    exit 0
fi
if [ ! -x "$P/hello" ]; then
    echo "not ok 1 - the x86-64 test programs are not built"
    exit 1
fi

# same NAME PROG ARGS...: Mimic and the host print the same and exit alike.
same() {
    name=$1
    shift
    (cd "$T" && $LIMIT "$M" "$@" >mimic.out 2>mimic.err)
    ms=$?
    (cd "$T" && $LIMIT "$@" >native.out 2>native.err)
    ns=$?
    if [ "$ms" = "$ns" ] && cmp -s "$T/mimic.out" "$T/native.out"; then
        ok "$name (status $ms)"
    else
        diff "$T/native.out" "$T/mimic.out" >"$T/out"
        { echo "status: mimic $ms, native $ns"; cat "$T/mimic.err"; } >"$T/err"
        not_ok "$name"
    fi
}

same "hello: write, arguments, exit status" "$P/hello" one "two words"
same "alu: every ALU, shift, multiply and divide form, flags included" \
    "$P/alu"
same "alu2: RCL/RCR, SHLD/SHRD, ENTER, CMPXCHG8B/16B, POPCNT, LZCNT, MOVBE" \
    "$P/alu2"
same "strings: MOVS/STOS/SCAS/CMPS/LODS, REP, DF" "$P/strings"
same "x87: arithmetic, loads, stores, compares, constants in every RC and PC" \
    "$P/x87"
same "x87t: transcendentals and packed BCD, specials in full, numbers as binary64" \
    "$P/x87t"
same "sse: SSE and SSE2 results and MXCSR flags in every rounding mode" \
    "$P/sse"
for f in ud2 div0 idivov int3 hlt segv cx16gp enter movapsgp paddbgp \
    movdqagp movupsok ldmxcsrgp xm xmmasked; do
    same "faults: $f dies by the same signal" "$P/faults" "$f"
done
same "faults: none" "$P/faults" none
G=$(pwd)/$B/tests/user/x86_64-glibc
same "glibc static hello: start-up, printf, SSE2 string functions" \
    "$G/hello" one "two words" "a longer argument with words in it"
same "glibc static float: printf of doubles and long doubles, exact libm" \
    "$G/float" 0.1 1e-320 -7.25e100 nan inf
tap_end
