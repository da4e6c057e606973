#!/bin/sh
# targets: riscv64-linux-user
# Linux user mode (mimic-riscv64) against Debian's qemu-riscv64 on the
# riscv64 programs of tests/user/riscv64, each static and dynamic (the
# dynamic ones find their libraries under -L, the cross compiler's
# sysroot): the same standard output and exit status, including a death
# by SIGSEGV; then the command line and bad input (not an ELF, another
# architecture's ELF, a missing file or interpreter): exit status 1 and a
# message, never a crash.  Prints TAP.
. tests/tap.sh
B=${BUILD_DIR:-build}
M=$(pwd)/$B/mimic-${MIMIC_TARGET:-riscv64}
P=$(pwd)/$B/tests/user/riscv64
Q=${QEMU_USER:-qemu-riscv64}
SYSROOT=/usr/riscv64-linux-gnu
TAP_SHOW="out err"
# A bound on each run, not a duration: a deadlocked guest process (seen
# once: two threads, tb_lock and mmap_lock) fails its test instead of
# hanging the suite.
LIMIT="timeout -k 5 ${USER_RUN_TIMEOUT:-300}"

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

# verdict NAME STATUS WANT_STATUS WANT_FILE WHO: ok when the statuses and
# $T/mimic.out and WANT_FILE agree; else the diff and stderr are shown.
verdict() {
    if [ "$2" = "$3" ] && cmp -s "$T/mimic.out" "$4"; then
        ok "$1 (status $2)"
    else
        diff "$4" "$T/mimic.out" >"$T/out"
        { echo "status: mimic $2, $5 $3"; cat "$T/mimic.err"; } >"$T/err"
        not_ok "$1"
    fi
}

# same NAME PROG ARGS...: Mimic and QEMU print the same and exit alike.
same() {
    name=$1
    shift
    (cd "$T" && MIMIC_TEST_VAR=from-env $LIMIT "$M" -L "$SYSROOT" "$@" \
        >mimic.out 2>mimic.err)
    ms=$?
    (cd "$T" && MIMIC_TEST_VAR=from-env $LIMIT "$Q" -L "$SYSROOT" "$@" \
        >qemu.out 2>qemu.err)
    verdict "$name" "$ms" $? "$T/qemu.out" qemu
}

# cross_gap NAME WHY: under make check-cross-aarch64 (MIMIC_CROSS, the
# emulator the ARM64 Mimic runs on), a skip for what that emulator itself
# lacks; status 0 then, so that the caller leaves the test out.
cross_gap() {
    [ -n "$MIMIC_CROSS" ] || return 1
    ok "$1 # SKIP Known gap of $MIMIC_CROSS: $2"
}

# large_page_gap NAME WHY: in test-user-largepage's run (MIMIC_HOST_PAGE_SIZE
# above 4 KiB), a skip for what a host with larger pages cannot give
# (docs/user-mode.md); status 0 then, so that the caller leaves the test out.
large_page_gap() {
    [ "${MIMIC_HOST_PAGE_SIZE:-4096}" -gt 4096 ] 2>/dev/null || return 1
    ok "$1 # SKIP Known limit of host pages larger than the guest's: $2"
}

# expect_out NAME OUTPUT STATUS PROG ARGS...: Mimic alone, against the
# output and status given.
expect_out() {
    name=$1
    printf '%s\n' "$2" >"$T/want"
    wstatus=$3
    shift 3
    (cd "$T" && $LIMIT "$M" -L "$SYSROOT" "$@" >mimic.out 2>mimic.err)
    verdict "$name" $? "$wstatus" "$T/want" expected
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
    same "indirect-$kind: a PIE's 256 KiB-aligned text stays aligned; calls through pointers" \
        "$P/indirect-$kind"
    # The two callees share a jump-cache slot: each call misses it, and
    # generated code finds the TB in the TB table (tb_lookup_code) instead
    # of going back to the execution loop for it.
    $LIMIT "$M" -L "$SYSROOT" -d jit_stats -D "$T/jit.log" "$P/indirect-$kind" \
        >"$T/out" 2>&1
    found=$(sed -n 's/.*jump cache (in code) *\([0-9]*\) misses found.*/\1/p' "$T/jit.log")
    entered=$(sed -n 's/.*TBs entered from loop *\([0-9]*\),.*/\1/p' "$T/jit.log")
    cp "$T/jit.log" "$T/out"
    check "indirect-$kind: 100000 jump-cache misses found from generated code (${found:-?}), few loop entries (${entered:-?})" \
        '[ "${found:-0}" -ge 99000 ] && [ "${entered:-99999}" -lt 10000 ]'
    same "auxv-$kind: the auxiliary vector's page size, hwcap, execfn" \
        "$P/auxv-$kind"
    large_page_gap "procfs-$kind: /proc/self/maps, auxv and exe describe the program" \
        "a file's pages read into memory show no file name" ||
    same "procfs-$kind: /proc/self/maps, auxv and exe describe the program" \
        "$P/procfs-$kind"
    same "threads-$kind: 8 threads, mutexes, condition variables, atomics" \
        "$P/threads-$kind"
    same "thread-life-$kind: pthread_exit, join order, 300 short threads" \
        "$P/thread-life-$kind"
    same "fork-$kind: fork, vfork, waitpid statuses" "$P/fork-$kind"
    same "exec-$kind: exec of host programs, system(), scripts" \
        "$P/exec-$kind"
    # What qemu-riscv64 cannot do without binfmt_misc (or aborts on).
    expect_out "exec-$kind: the program execs itself, and is a script's interpreter" \
        "level 4
level 3
level 2
level 1
level 0
level 1: level 0 (argv[0]) exited with 0
level 2: level 1 (/proc/self/exe) exited with 1
run as an interpreter: argc 4: script-arg ./exec-interp.sh from-argv
a script run by this program: exited with 9
level 3: level 2 (argv[0]) exited with 2
level 4: level 3 (/proc/self/exe) exited with 3" 4 "$P/exec-$kind" chain 4
    same "poll-$kind: poll, ppoll, select, pselect on pipes, timeouts" \
        "$P/poll-$kind"
    same "epoll-$kind: several fds, 64-bit data, ET, MOD, DEL, pwait" \
        "$P/epoll-$kind"
    same "eventfd-$kind: eventfd, timerfd, inotify, memfd, sendfile, splice" \
        "$P/eventfd-$kind"
    same "unix-$kind: SCM_RIGHTS, SCM_CREDENTIALS, sendmmsg, recvmmsg" \
        "$P/unix-$kind"
    same "tcp-$kind: a server and a client over 127.0.0.1" "$P/tcp-$kind"
    same "udp-$kind: sendto, recvfrom, recvmsg, IPv6" "$P/udp-$kind"
    same "sockopt-$kind: SO_RCVBUF, SO_RCVTIMEO, SO_LINGER, a BPF filter" \
        "$P/sockopt-$kind"
    # qemu-riscv64 7.2 answers ENOPROTOOPT to SO_DETACH_FILTER: the
    # expected output is its run without it and the line detaching gives.
    (cd "$T" && "$Q" -L "$SYSROOT" "$P/sockopt-$kind" >sockopt.want 2>&1)
    cross_gap "sockopt-$kind: SO_DETACH_FILTER lets a datagram through" \
        "setsockopt(SO_DETACH_FILTER) fails" ||
    expect_out "sockopt-$kind: SO_DETACH_FILTER lets a datagram through" \
        "$(cat "$T/sockopt.want")
detached 0: 6 passed" 0 "$P/sockopt-$kind" detach
    cross_gap "fork-$kind: fork while another thread runs" \
        "it aborts on fork with a second thread (cpu_exec assertion)" ||
    expect_out "fork-$kind: fork while another thread runs" \
        "child of a threaded parent: its thread returned 42
threaded parent's child: exited with 3" 0 "$P/fork-$kind" threaded
    same "sig-basic-$kind: handlers, siginfo, masks, SA_NODEFER, SA_RESETHAND" \
        "$P/sig-basic-$kind"
    same "sig-fault-$kind: SIGSEGV and SIGILL handlers, siglongjmp, sigaltstack" \
        "$P/sig-fault-$kind"
    same "sig-regs-$kind: every register seen by a SIGSEGV/SIGTRAP handler and back from it" \
        "$P/sig-regs-$kind"
    same "sig-alarm-$kind: SIGALRM interrupts pause, sleep, read; SA_RESTART" \
        "$P/sig-alarm-$kind"
    same "sig-fp-$kind: the frame saves FP state; ucontext changes come back" \
        "$P/sig-fp-$kind"
    same "sig-pipe-$kind: SIGPIPE ignored, handled, then fatal" \
        "$P/sig-pipe-$kind"
    same "sig-thread-$kind: process signals reach a thread not blocking them" \
        "$P/sig-thread-$kind"
    same "sig-rt-$kind: sigqueue values, real-time signals queue in order" \
        "$P/sig-rt-$kind"
    same "sig-restart-$kind: EINTR or SA_RESTART in read, nanosleep's rem, no lost signal" \
        "$P/sig-restart-$kind"
    # Linux's output, where QEMU 7.2 differs (qemu-deviations.txt).
    large_page_gap "mem-edge-$kind: a base plus an offset leaving the space faults at their sum, or comes back in" \
        "an access past a mapping inside its last host page does not fault" ||
    expect_out "mem-edge-$kind: a base plus an offset leaving the space faults at their sum, or comes back in" \
        "113 accesses, 0 wrong" 0 "$P/mem-edge-$kind"
    same "sig-wait-$kind: pselect6, ppoll, epoll_pwait and sigsuspend wait with their mask" \
        "$P/sig-wait-$kind"
    same "sig-io-$kind: O_ASYNC with F_SETSIG to a real-time signal, F_GETSIG" \
        "$P/sig-io-$kind"
    expect_out "spawn-$kind: posix_spawn, fexecve, execveat" \
        "  spawned: hello
posix_spawn: 0, exited with 3
posix_spawnp with a file action: 0, exited with 3, wrote  spawned: hello
  from sh: x arg
fexecve of /bin/sh: exited with 4
execveat(/usr/bin, sh): exited with 5
execveat AT_SYMLINK_NOFOLLOW of a symlink: Too many levels of symbolic links
execveat of an empty path without AT_EMPTY_PATH: No such file or directory
execveat with unknown flags: Invalid argument
execveat of a bad descriptor: Bad file descriptor" 0 "$P/spawn-$kind"
    expect_out "spawn-$kind: fexecve of the program itself runs it under Mimic" \
        "the fexecve'd program: argc 3, argv[2] arg" 6 "$P/spawn-$kind" self
    expect_out "robust-$kind: a robust mutex's owner thread or process dies" \
        "round 0: lock after the owner died: EOWNERDEAD
  consistent: 0
  lock again: 0
round 1: lock after the owner died: EOWNERDEAD
  consistent: 0
  lock again: 0
round 2: lock after the owner died: EOWNERDEAD
  lock of an inconsistent one: ENOTRECOVERABLE
shared, the child exited holding it: EOWNERDEAD
shared, the child exec'd holding it (status 0): EOWNERDEAD
a looping robust list: set 0, the thread ended
an unmapped robust entry: set 0, the thread ended" 0 "$P/robust-$kind"
    # Linux's output, where QEMU 7.2 differs (qemu-deviations.txt).
    expect_out "sig-mask-$kind: sa_mask defers a signal, SA_RESETHAND" \
        "sa_mask: order 12 depth 1
mask after: SIGUSR2 blocked 0
no sa_mask: order 21 depth 2
SA_RESETHAND: count 1" 138 "$P/sig-mask-$kind"
done

same "-cpu rv64,f=false,d=false: the program's FP instructions are illegal" \
    -cpu rv64,f=false,d=false "$P/hello-static"
same "-cpu sifive-u54 runs the same program" -cpu sifive-u54 "$P/compute-static"
# -R (QEMU_RESERVED_VA): a smaller guest address space, as qemu-riscv64's.
same "-R 1G: the dynamic program in a 1 GiB address space" -R 1G \
    "$P/compute-dynamic"
# (qemu-aarch64 reads QEMU_RESERVED_VA itself: MIMIC_RESERVED_VA there.)
RVA=QEMU_RESERVED_VA
[ -n "$MIMIC_CROSS" ] && RVA=MIMIC_RESERVED_VA
env $RVA=256M $LIMIT "$M" -L "$SYSROOT" "$P/hello-dynamic" \
    >"$T/out" 2>"$T/err"
check "$RVA=256M works as -R" \
    "grep -q '^file: written and read back$' '$T/out'"
"$M" -cpu help >"$T/out" 2>"$T/err"
check "-cpu help lists the models" "grep -q '^  rv64 ' '$T/out'"

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
"$M" -perfmap "$P/hello-static" >"$T/out" 2>"$T/err" &
pid=$!
wait $pid
check "-perfmap names the program's translated code in /tmp/perf-PID.map" \
    "grep -q '^[0-9a-f]* [0-9a-f]* guest:[0-9a-f]*$' /tmp/perf-$pid.map"
rm -f /tmp/perf-$pid.map
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
bad "an unknown CPU model: an error" -cpu no-such-cpu "$P/hello-static"
bad "-R 10: a space too small for a program" -R 10 "$P/hello-static"
bad "-R 1024T: more than the target's space" -R 1024T "$P/hello-static"
bad "a missing file: an error" "$T/no-such-file"
bad "a text file: an error" "$T/text"
bad "a truncated ELF: an error" "$T/truncated"
bad "an x86-64 ELF: an error" /bin/true
bad "a dynamic program whose interpreter is missing: an error" \
    -L "$T" "$P/hello-dynamic"
tap_end
