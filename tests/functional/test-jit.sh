#!/bin/sh
# targets: riscv64-softmmu
# The fast paths are generated code: the hot loop of hotloop.S (ALU ops, a
# load and a branch) is translated once, its host code calls no helper
# outside the out-of-line TLB-miss slow paths, and it runs through chained
# jumps rather than exits to the C loop; on either host backend (x86-64,
# or ARM64 in make check-cross-aarch64).  Prints TAP.
B=${BUILD_DIR:-build}
EMU=$B/mimic-system-${MIMIC_TARGET:-riscv64}
ELF=$B/tests/functional/hotloop.elf
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
echo "1..7"

timeout 60 "$EMU" -M virt -nographic -bios none -kernel "$ELF" \
    -d in_asm,out_asm,jit_stats -D "$T/log" </dev/null >"$T/out" 2>&1
rc=$?
[ "$rc" -eq 0 ] && echo "ok 1 - hotloop computes the right sum" ||
    echo "not ok 1 - hotloop computes the right sum (exit $rc)"

loop=$(riscv64-linux-gnu-nm "$ELF" | awk '$3 == "loop" { print $1 }')
# Each TB's in_asm block starts "IN: " followed by its first guest address.
n=$(awk -v pc="0x$loop:" '/^IN:/ { getline; if ($1 == pc) n++ } END { print n + 0 }' "$T/log")
[ "$n" -eq 1 ] && echo "ok 2 - the loop TB was translated once" ||
    echo "not ok 2 - the loop TB was translated once (translated $n times)"

# The host code of that TB: from its OUT: line to the next blank line,
# cut at the slow-path marker.
awk -v pc="0x$loop:" '
    /^IN:/ { getline; want = ($1 == pc) }
    /^OUT:/ && want { grab = 1; next }
    grab && /^$/ { exit }
    grab && /-- slow paths/ { exit }
    grab { print }' "$T/log" > "$T/loop.asm"
lines=$(wc -l < "$T/loop.asm")
# The host the emulator's code is for, by its ELF machine: 183 is ARM64.
if [ "$(od -An -j18 -N2 -tu2 "$EMU" | tr -d ' ')" = 183 ]; then
    CALL='\bblr?\b'
else
    CALL='\bcall'
fi
if [ "$lines" -gt 5 ] && ! grep -qE "$CALL" "$T/loop.asm"; then
    echo "ok 3 - the loop's fast path has no helper call ($lines host insns)"
else
    echo "not ok 3 - the loop's fast path has no helper call ($lines lines, calls: $(grep -cE "$CALL" "$T/loop.asm"))"
fi
# The TLB index mask and table pointer read from env, the tag compare
# against the entry, then a load through the host address (base plus
# addend).  x86-64 in AT&T syntax (env in %rbp); ARM64 (env in x19, and
# x29 near its guest registers).
if [ "$CALL" = '\bcall' ] &&
    grep -qE 'andq [^,]*\(%rbp\), %r' "$T/loop.asm" &&
    grep -qE 'addq [^,]*\(%rbp\), %r' "$T/loop.asm" &&
    grep -qE 'cmpq [^,]*\(%r[a-z0-9]+\), %r' "$T/loop.asm" &&
    grep -qE 'movq \(%r[a-z0-9]+, %r[a-z0-9]+\), %r' "$T/loop.asm"; then
    echo "ok 4 - the guest load is an inline TLB probe and host load"
elif [ "$CALL" != '\bcall' ] &&
    [ "$(grep -cE 'ldr x[0-9]+, \[x(19|29), #' "$T/loop.asm")" -ge 2 ] &&
    grep -qE 'and x[0-9]+, x[0-9]+, x[0-9]+, lsr #' "$T/loop.asm" &&
    grep -qE 'cmp x[0-9]+, x[0-9]+$' "$T/loop.asm" &&
    grep -qE 'ldr x[0-9]+, \[x[0-9]+, x[0-9]+\]' "$T/loop.asm"; then
    echo "ok 4 - the guest load is an inline TLB probe and host load (ARM64)"
else
    echo "not ok 4 - the guest load is an inline TLB probe and host load"
fi

# JIT statistics: 2M iterations, a handful of exits.
entered=$(sed -n 's/.*TBs entered from loop *\([0-9]*\).*/\1/p' "$T/log")
chained=$(sed -n 's/.*chained jumps patched *\([0-9]*\).*/\1/p' "$T/log")
if [ -n "$entered" ] && [ "$entered" -lt 1000 ]; then
    echo "ok 5 - the loop does not return to the C loop ($entered TB entries from the loop)"
else
    echo "not ok 5 - the loop does not return to the C loop (entries: '$entered')"
fi
if [ -n "$chained" ] && [ "$chained" -ge 1 ]; then
    echo "ok 6 - jumps were chained ($chained patched)"
else
    echo "not ok 6 - jumps were chained ('$chained')"
fi

# -perfmap: each TB's host code is named in /tmp/perf-PID.map, and the
# loop's TB is among them, inside the executable code mapping.
"$EMU" -M virt -nographic -bios none -kernel "$ELF" -perfmap \
    </dev/null >"$T/out" 2>&1 &
pid=$!
wait $pid
map=/tmp/perf-$pid.map
if [ -s "$map" ] && grep -q "^[0-9a-f]* [0-9a-f]* guest:$(echo "$loop" | sed 's/^0*//')\$" "$map" &&
        ! grep -qv "^[0-9a-f]* [0-9a-f]* guest:[0-9a-f]*\$" "$map"; then
    echo "ok 7 - -perfmap names the loop's TB in $map"
else
    echo "not ok 7 - -perfmap names the loop's TB in $map"
    head -3 "$map" 2>/dev/null | sed 's/^/#   /'
fi
rm -f "$map"
