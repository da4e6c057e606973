#!/bin/sh
# targets: x86_64-linux-user
# Linux user mode for x86-64 guests (mimic-x86_64) against this x86-64
# machine itself: each program of tests/user/x86_64 (no libc) runs
# natively and under Mimic, and the standard output and exit status must
# be the same, deaths by signal included (the CPU's #UD, #DE, #BP, #GP and
# page faults become the same signals).  Prints TAP.
. tests/tap.sh

# large_page_gap NAME WHY: in test-user-largepage's run (MIMIC_HOST_PAGE_SIZE
# above 4 KiB), a skip for what a host with larger pages cannot give
# (docs/user-mode.md); status 0 then, so that the caller leaves the test out.
large_page_gap() {
    [ "${MIMIC_HOST_PAGE_SIZE:-4096}" -gt 4096 ] 2>/dev/null || return 1
    ok "$1 # SKIP Known limit of host pages larger than the guest's: $2"
}
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
same "mmx: every MMX insn (SSSE3's too), its x87 side effects, FXSAVE/FXRSTOR images" \
    "$P/mmx"
same "sse4: SSE3, SSSE3, SSE4.1, SSE4.2 (PCMPxSTRx with all 256 immediates, ROUND* in each mode, CRC32)" \
    "$P/sse4"
for f in pshufbgp ptestgp roundpsgp pcmpestriok roundssxm monitor \
    palignrmmok pshufbmmmf; do
    same "sse4: $f dies (or not) as on the CPU" "$P/sse4" "$f"
done
for f in ud2 div0 idivov int3 hlt segv cx16gp enter movapsgp paddbgp \
    movdqagp movupsok ldmxcsrgp xm xmmasked fxsavegp fxrstorgp fxsavepf \
    mmxmf cvtpi2psmem maskmovqpf maskmovq0 clflushok clflushpf; do
    [ "$f" = clflushpf ] && large_page_gap "faults: $f dies by the same signal" \
        "an access past a mapping inside its last host page does not fault" &&
        continue
    same "faults: $f dies by the same signal" "$P/faults" "$f"
done
same "faults: none" "$P/faults" none
G=$(pwd)/$B/tests/user/x86_64-glibc
same "glibc static hello: start-up, printf, SSE2 string functions" \
    "$G/hello" one "two words" "a longer argument with words in it"
same "glibc static float: printf of doubles and long doubles, exact libm" \
    "$G/float" 0.1 1e-320 -7.25e100 nan inf
same "glibc: SSE arithmetic on random operands of every magnitude, results and MXCSR" \
    "$G/sse-arith"
same "glibc: RCPPS/RCPSS/RSQRTPS/RSQRTSS: specials in full, MXCSR untouched, others within 1.5 * 2^-12" \
    "$G/rcp"
same "glibc: inline SSE arithmetic: NaNs, zeros, denormals; flags across TBs, syscalls, FXSAVE, faults and signal frames; LDMXCSR in a loop" \
    "$G/sse-inline"
same "signal frame fpstate: XMM, MXCSR, x87 saved, changed by the handler, restored" \
    "$G/sigfp" basic
same "signal frame fpstate: a NULL fpstate resets the FPU at sigreturn" \
    "$G/sigfp" null
same "signal frame fpstate: a reserved MXCSR bit makes sigreturn fail (SIGSEGV)" \
    "$G/sigfp" badmxcsr
same "signal frame fpstate: on a sigaltstack, 64-byte aligned" \
    "$G/sigfp" altstack
same "vsyscall page: the three calls emulated (registers kept), other uses fault as on Linux" \
    "$G/vsyscall"
# /proc/cpuinfo under Mimic says what CPUID says (cpuinfo.c: vendor,
# family, model, brand, flags from the CPUID bits by Linux's names and no
# others); its fields are Linux's, in Linux's order (a subsequence of the
# host's); each flag is named as the host's kernel names it, but for the
# bits the host's kernel hides (from cpuinfo's native run).
$LIMIT "$M" "$G/cpuinfo" exact >"$T/out" 2>&1
check "/proc/cpuinfo: what CPUID says, flags by Linux's names" \
    'grep -q "^ok: AuthenticAMD" "$T/out"'
keys() { sed -n '/^$/q; s/[[:space:]]*:.*//p'; }
$LIMIT "$M" /bin/cat /proc/cpuinfo >"$T/mimic.cpuinfo"
keys <"$T/mimic.cpuinfo" >"$T/mimic.keys"
keys </proc/cpuinfo >"$T/host.keys"
subseq=yes
awk 'NR == FNR { k[++n] = $0; next } { while (i < n && k[++i] != $0) ; if (k[i] != $0) bad = 1 }
    END { exit bad }' "$T/host.keys" "$T/mimic.keys" || subseq=no
diff "$T/host.keys" "$T/mimic.keys" >"$T/out"
check "/proc/cpuinfo: Linux's fields in Linux's order" '[ $subseq = yes ]'
"$G/cpuinfo" >"$T/native.cpuinfo"
hostflags=" $(sed -n '/^flags/{s/^[^:]*: *//p;q}' /proc/cpuinfo) "
: >"$T/out"
for f in $(sed -n '/^flags/{s/^[^:]*: *//p;q}' "$T/mimic.cpuinfo"); do
    case "$hostflags" in *" $f "*) continue ;; esac
    grep -q "^MISMATCH flag $f:" "$T/native.cpuinfo" || echo "$f" >>"$T/out"
done
check "/proc/cpuinfo: each flag named as the host's kernel names it" \
    '[ ! -s "$T/out" ]'
# What glibc makes of Mimic's CPUID: its dynamic loader (the host's, run
# under Mimic) prints the vendor kind (2: AMD), the ISA levels (bit 0 the
# x86-64 baseline, bit 1 x86-64-v2: CX16, LAHF, POPCNT, SSE3 to SSE4.2;
# not v3, which wants AVX2 and BMI), the caches it sized its memcpy by (docs/devel/x86.md).
LDSO=/lib64/ld-linux-x86-64.so.2
if [ -x "$LDSO" ]; then
    $LIMIT "$M" "$LDSO" --list-diagnostics >"$T/diag" 2>"$T/err"
    : >"$T/out"
    for want in basic.kind=0x2 basic.family=0xf isa_1=0x3 \
        data_cache_size=0x10000 shared_cache_size=0x80000 \
        non_temporal_threshold=0x60000 xsave_state_size=0x0; do
        grep -qx "x86.cpu_features.$want" "$T/diag" ||
            echo "missing: x86.cpu_features.$want" >>"$T/out"
    done
    check "glibc's ld.so sees an AMD CPU of x86-64-v2, a K8's caches" \
        '[ ! -s "$T/out" ]'
else
    ok "glibc's ld.so and CPUID # SKIP $LDSO is not there"
fi
# x86's memory order (TSO) in the host code: on an ARM64 build of Mimic
# (ELF machine 183), DMBs before guest loads and stores, none with
# -accel tcg,tso=off; an x86-64 build (62) needs none either way.
fences() {
    $LIMIT "$M" "$@" -d out_asm -D "$T/asm" "$P/hello" >/dev/null 2>&1
    grep -ci -e "dmb" -e "mfence" "$T/asm"
}
machine=$(od -An -j18 -N2 -tu2 "$M" | tr -d ' ')
tso=$(fences)
relaxed=$(fences -accel tcg,tso=off)
$LIMIT "$M" -accel tcg,tso=off "$P/hello" one >"$T/tso.out" 2>&1
ts=$?
"$P/hello" one >"$T/native.out" 2>&1
ns=$?
check "hello runs alike under -accel tcg,tso=off" \
    '[ $ts = $ns ] && cmp -s "$T/tso.out" "$T/native.out"'
case $machine in
183) check "TSO: host code fences (${tso:-?}), none with tso=off (${relaxed:-?})" \
        '[ "${tso:-0}" -gt 0 ] && [ "$relaxed" = 0 ]' ;;
*) check "TSO: an x86-64 host needs no fence (${tso:-?}, ${relaxed:-?})" \
        '[ "$tso" = 0 ] && [ "$relaxed" = 0 ]' ;;
esac
tap_end
