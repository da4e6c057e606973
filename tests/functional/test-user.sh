#!/bin/sh
# Linux user mode (mimic-riscv64) against Debian's qemu-riscv64 on the
# riscv64 programs of tests/user/riscv64, each static and dynamic (the
# dynamic ones find their libraries under -L, the cross compiler's
# sysroot): the same standard output and exit status, including a death
# by SIGSEGV; then the command line and bad input (not an ELF, another
# architecture's ELF, a missing file or interpreter): exit status 1 and a
# message, never a crash.  Prints TAP.
. tests/tap.sh
B=${BUILD_DIR:-build}
M=$(pwd)/$B/mimic-riscv64
P=$(pwd)/$B/tests/user/riscv64
Q=${QEMU_USER:-qemu-riscv64}
SYSROOT=/usr/riscv64-linux-gnu
TAP_SHOW="out err"

if [ ! -x "$M" ]; then
    echo "1..0 # SKIP $M not built (configure's target list has no riscv64-linux-user)"
    exit 0
fi
if ! command -v "$Q" >/dev/null 2>&1; then
    echo "not ok 1 - $Q not installed (scripts/install-deps.sh adds qemu-user)"
    exit 1
fi
if [ ! -x "$P/hello-static" ]; then
    echo "not ok 1 - the riscv64 test programs are not built (gcc-riscv64-linux-gnu)"
    exit 1
fi

# same NAME PROG ARGS...: Mimic and QEMU print the same and exit alike.
same() {
    name=$1
    shift
    (cd "$T" && MIMIC_TEST_VAR=from-env "$M" -L "$SYSROOT" "$@" >mimic.out 2>mimic.err)
    ms=$?
    (cd "$T" && MIMIC_TEST_VAR=from-env "$Q" -L "$SYSROOT" "$@" >qemu.out 2>qemu.err)
    qs=$?
    if [ "$ms" = "$qs" ] && cmp -s "$T/mimic.out" "$T/qemu.out"; then
        ok "$name (status $ms)"
    else
        diff "$T/qemu.out" "$T/mimic.out" >"$T/out"
        { echo "status: qemu $qs, mimic $ms"; cat "$T/mimic.err"; } >"$T/err"
        not_ok "$name"
    fi
}

# expected NAME PROG: Mimic prints what tests/user/riscv64/PROG.expected
# says, then "status N" (the programs of qemu-deviations.txt, where QEMU
# 7.2 is not Linux).
expected() {
    name=$1
    prog=$2
    (cd "$T" && "$M" -L "$SYSROOT" "$P/$prog" >mimic.out 2>mimic.err;
     echo "status $?" >>mimic.out)
    base=${prog%-static}
    base=${base%-dynamic}
    if cmp -s "$T/mimic.out" "tests/user/riscv64/$base.expected"; then
        ok "$name"
    else
        diff "tests/user/riscv64/$base.expected" "$T/mimic.out" >"$T/out"
        cp "$T/mimic.err" "$T/err"
        not_ok "$name"
    fi
}

for kind in static dynamic; do
    same "hello-$kind: output, a file, exit status 0" "$P/hello-$kind"
    same "hello-$kind: arguments and status 3" "$P/hello-$kind" one 'two words' ''
    same "fault-$kind: a store to address 16 dies of SIGSEGV" "$P/fault-$kind"
    same "fault-$kind: a store far outside the address space dies of SIGSEGV" \
        "$P/fault-$kind" 0xffff000000000000
    same "smc-$kind: code written, run, rewritten and run again" "$P/smc-$kind"
    same "compute-$kind: atomics, libm, long double, malloc, qsort" \
        "$P/compute-$kind"
    same "sig-basic-$kind: handlers, siginfo, masks, SA_NODEFER, SA_RESETHAND" \
        "$P/sig-basic-$kind"
    same "sig-fault-$kind: SIGSEGV and SIGILL handlers, siglongjmp, sigaltstack" \
        "$P/sig-fault-$kind"
    same "sig-alarm-$kind: SIGALRM interrupts pause, sleep, read; SA_RESTART" \
        "$P/sig-alarm-$kind"
    same "sig-fp-$kind: the frame saves FP state; ucontext changes come back" \
        "$P/sig-fp-$kind"
    same "sig-pipe-$kind: SIGPIPE ignored, handled, then fatal" \
        "$P/sig-pipe-$kind"
    expected "sig-mask-$kind: sa_mask defers a signal (Linux's output)" \
        "sig-mask-$kind"
done

# -E and -U change the program's environment (QEMU's options too).
"$M" -E MIMIC_TEST_VAR=set-by-E "$P/hello-static" >"$T/out" 2>"$T/err"
check "-E var=value reaches the program" "grep -q '^MIMIC_TEST_VAR=set-by-E$' '$T/out'"
MIMIC_TEST_VAR=x "$M" -U MIMIC_TEST_VAR "$P/hello-static" >"$T/out" 2>"$T/err"
check "-U var removes it" "grep -q '^MIMIC_TEST_VAR=(unset)$' '$T/out'"
QEMU_LD_PREFIX=$SYSROOT "$M" "$P/hello-dynamic" >"$T/out" 2>"$T/err"
check "QEMU_LD_PREFIX works as -L" "grep -q '^file: written and read back$' '$T/out'"
"$M" -strace "$P/hello-static" >"$T/out" 2>"$T/err"
check "-strace shows the syscalls and their results" \
    "grep -q 'write(1,.*) = ' '$T/err' && grep -q 'exit_group(0)' '$T/err'"
"$M" -version >"$T/out" 2>&1
check "-version" "grep -q '^mimic-riscv64 version ' '$T/out'"
"$M" -h >"$T/out" 2>&1
check "-h shows the options" "grep -q -- '-L path' '$T/out'"

# bad NAME ARGS...: exit status 1 with a message on stderr.
bad() {
    name=$1
    shift
    "$M" "$@" >"$T/out" 2>"$T/err"
    s=$?
    if [ "$s" = 1 ] && [ -s "$T/err" ]; then ok "$name"; else
        echo "status $s" >>"$T/err"; not_ok "$name"
    fi
}
printf 'echo not an ELF\n' >"$T/text"
chmod +x "$T/text"
head -c 100 "$P/hello-static" >"$T/truncated"
bad "no program: an error" 
bad "an unknown option: an error" -no-such-option "$P/hello-static"
bad "a missing file: an error" "$T/no-such-file"
bad "a text file: an error" "$T/text"
bad "a truncated ELF: an error" "$T/truncated"
bad "an x86-64 ELF: an error" /bin/true
bad "a dynamic program whose interpreter is missing: an error" \
    -L "$T" "$P/hello-dynamic"
tap_end
