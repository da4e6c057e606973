#!/bin/sh
# targets: riscv64-softmmu
# The instruction trace compared with QEMU's: bare-metal programs run under
# Mimic and QEMU 7.2 with one insn per TB (-singlestep / -accel
# tcg,one-insn-per-tb=on) and -d cpu,nochain, and scripts/trace-diff.py must
# find no divergence; then the script must find a doctored one, and shrug
# off duplicate records and a shorter trace; and the trace must end at the
# guest's power-off.  Prints TAP.
#
# The comparison starts at the program's entry (0x80000000): the reset
# vectors in ROM differ.  a1 (device tree address) and a2 (fw_dynamic info)
# are boot arguments, compared once the guest writes them; mstatus.SXL is
# masked while Mimic has no S-mode.  docs/devel/debugging.md explains.
B=${BUILD_DIR:-build}
EMU=$B/mimic-system-${MIMIC_TARGET:-riscv64}
QEMU=${QEMU:-qemu-system-riscv64}
DIFF="python3 scripts/trace-diff.py --start-pc 0x80000000 --initial-ignore a1,a2 --mask mstatus=~0xc00000000"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
TCG=$B/tests/tcg/riscv64
# trace-traps first: the self-tests use its traces.  The tests/tcg trap
# tests are left out: their printf-heavy handlers make 300 MB traces.
# TRACE_PROGS="ELF..." runs others (e.g. $TCG/trap_umode.elf).
PROGS=${TRACE_PROGS:-"$B/tests/functional/trace-traps.elf $TCG/rv64i_alu.elf $TCG/rvc_alu.elf $TCG/rvc_ctrl.elf"}
NPROG=$(echo $PROGS | wc -w)
echo "1..$((NPROG + 6))"

if ! command -v "$QEMU" >/dev/null 2>&1; then
    for i in $(seq 1 $((NPROG + 6))); do
        echo "ok $i # SKIP $QEMU not installed"
    done
    exit 0
fi

# mimic_trace ELF OUT [extra options]: Mimic's trace; prints the exit status.
mimic_trace() {
    elf=$1 out=$2
    shift 2
    timeout 120 "$EMU" -M virt -bios none -nographic -kernel "$elf" \
        -d cpu,nochain -D "$out" "$@" </dev/null >/dev/null 2>&1
    echo $?
}

qemu_trace() {
    timeout 120 "$QEMU" -M virt -cpu rv64,h=false -bios none -nographic \
        -kernel "$1" -singlestep -icount shift=0 -d cpu,nochain -D "$2" \
        </dev/null >/dev/null 2>&1
    echo $?
}

# Bits 35:34 of the first mstatus Mimic logs: S-mode is there once SXL is.
has_sxl() {
    v=$(grep -m1 '^ mstatus' "$1" | awk '{print $2}')
    [ -n "$v" ] && [ $(( (0x$v >> 34) & 3 )) -ne 0 ]
}

n=1
for elf in $PROGS; do
    name=$(basename "$elf" .elf)
    m=$T/$name.mimic
    q=$T/$name.qemu
    if [ ! -f "$elf" ]; then
        echo "not ok $n - $name: $elf not built"
        n=$((n + 1))
        continue
    fi
    rm=$(mimic_trace "$elf" "$m" -singlestep)
    rq=$(qemu_trace "$elf" "$q")
    case $name in trap_*|csr_*|rv64a_*)
        if ! has_sxl "$m"; then
            echo "ok $n - $name: trace identical to QEMU's # SKIP its trap handler copies mstatus, whose SXL needs S-mode"
            n=$((n + 1))
            continue
        fi
    esac
    $DIFF --objdump "$elf" "$m" "$q" >"$T/$name.diff" 2>&1
    rd=$?
    if [ "$rm" -eq "$rq" ] && [ "$rd" -eq 0 ]; then
        echo "ok $n - $name: trace identical to QEMU's ($(grep -o '[0-9]* records compared' "$T/$name.diff"))"
    else
        echo "not ok $n - $name: trace identical to QEMU's (exit status mimic $rm, qemu $rq, trace-diff $rd)"
        sed 's/^/# /' "$T/$name.diff"
    fi
    n=$((n + 1))
done

# The self-tests use trace-traps' traces.
m=$T/trace-traps.mimic
q=$T/trace-traps.qemu

# One register of record 120 changed: exit status 1, the field and the
# instruction before it named.
awk 'BEGIN { r = 0 }
     /^ pc / { r++ }
     r == 120 && /x10\/a0/ { sub(/x10\/a0   [0-9a-f]+/, "x10/a0   00000000deadbeef") }
     { print }' "$m" >"$T/doctored"
$DIFF "$T/doctored" "$q" >"$T/out" 2>&1
rd=$?
if [ "$rd" -eq 1 ] && grep -q "^first divergence: mimic record 120 " "$T/out" &&
   grep -q "x10/a0 .*00000000deadbeef" "$T/out" && grep -q "after the insn at pc" "$T/out"; then
    echo "ok $n - a doctored register is reported at its record, with the insn before it"
else
    echo "not ok $n - a doctored register is reported (exit status $rd)"
    sed 's/^/# /' "$T/out"
fi
n=$((n + 1))

# A wrong pc (a branch gone the other way) is a divergence too.
awk 'BEGIN { r = 0 }
     /^ pc / { r++; if (r == 150) $0 = " pc       0000000080001234" }
     { print }' "$m" >"$T/doctored-pc"
$DIFF "$T/doctored-pc" "$q" >"$T/out" 2>&1
rd=$?
if [ "$rd" -eq 1 ] && grep -q "^  pc .*0000000080001234" "$T/out"; then
    echo "ok $n - a different pc is reported"
else
    echo "not ok $n - a different pc is reported (exit status $rd)"
    sed 's/^/# /' "$T/out"
fi
n=$((n + 1))

# Records logged twice (a TB entered again after an exit request) and an
# extra record on one side are skipped; a shorter trace is no divergence.
awk 'BEGIN { r = 0 }
     /^ pc / { r++; if (r == 61) printf "%s", dup }
     { print }
     r == 60 { dup = dup $0 "\n" }' "$m" >"$T/dups"
$DIFF "$T/dups" "$q" >"$T/out" 2>&1
rd=$?
if [ "$rd" -eq 0 ] && grep -q "[0-9]* records compared (.*; 1 and [0-9]* duplicates dropped" "$T/out"; then
    echo "ok $n - a record logged twice is dropped"
else
    echo "not ok $n - a record logged twice is dropped (exit status $rd)"
    sed 's/^/# /' "$T/out"
fi
n=$((n + 1))

head -n 2600 "$m" >"$T/short"
$DIFF "$T/short" "$q" >"$T/out" 2>&1
rd=$?
if [ "$rd" -eq 0 ] && grep -q "mimic ended first" "$T/out"; then
    echo "ok $n - a shorter trace agrees up to its end"
else
    echo "not ok $n - a shorter trace agrees up to its end (exit status $rd)"
    sed 's/^/# /' "$T/out"
fi
n=$((n + 1))

# -accel tcg,one-insn-per-tb=on is -singlestep: the same trace; without
# either, TBs hold several insns (fewer records) and the guest still passes.
r1=$(mimic_trace "$B/tests/functional/trace-traps.elf" "$T/oipt" -accel tcg,one-insn-per-tb=on)
r2=$(mimic_trace "$B/tests/functional/trace-traps.elf" "$T/multi")
if [ "$r1" -eq 0 ] && [ "$r2" -eq 0 ] &&
   python3 scripts/trace-diff.py --window 0 "$T/oipt" "$m" >"$T/out" 2>&1 &&
   [ "$(grep -c '^ pc ' "$T/multi")" -lt "$(grep -c '^ pc ' "$m")" ]; then
    echo "ok $n - one-insn-per-tb=on traces like -singlestep; the default has multi-insn TBs"
else
    echo "not ok $n - one-insn-per-tb=on traces like -singlestep (exit status $r1, $r2)"
fi
n=$((n + 1))

# The harts stop at the guest's power-off (the finisher store): after it,
# trace-traps would jump to `fail` (t0 then holds the finisher's address)
# and its traces would run on for as long as the main loop took to pause
# the harts, longer on a loaded host, so that the default trace could
# outgrow the one-insn-per-tb one above.  Nothing at `fail` is traced.
NM=${CROSS_CC:-riscv64-linux-gnu-gcc}
NM=${NM%gcc}nm
fail_pc=$($NM "$B/tests/functional/trace-traps.elf" 2>/dev/null | awk '$3 == "fail" { print $1 }')
if [ -n "$fail_pc" ] && ! grep -q "^ pc  *$fail_pc\$" "$m" "$T/oipt" "$T/multi"; then
    echo "ok $n - the trace ends at the guest's power-off"
else
    echo "not ok $n - the trace ends at the guest's power-off (fail at ${fail_pc:-?})"
    for f in "$m" "$T/oipt" "$T/multi"; do
        echo "#   $(basename "$f"): $(grep -c "^ pc  *$fail_pc\$" "$f") records at fail, last: $(grep '^ pc ' "$f" | tail -n 1)"
    done
fi
