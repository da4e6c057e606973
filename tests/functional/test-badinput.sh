#!/bin/sh
# targets: riscv64-softmmu
# Bad host input gets a clear error on stderr and exit status 1, never a
# crash: missing, truncated, garbage and wrong-architecture kernels,
# unknown -M, -d and options; every file option's error names the option
# and the file; FIFOs, devices and oversized files are refused without
# blocking or reading them whole.  Prints TAP.
B=${BUILD_DIR:-build}
EMU=$B/mimic-system-${MIMIC_TARGET:-riscv64}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
n=0

# expect_error NAME PATTERN ARGS...: exit status 1 and stderr matching PATTERN.
expect_error() {
    name=$1 pat=$2
    shift 2
    n=$((n + 1))
    timeout -k 5 20 "$EMU" "$@" </dev/null >"$T/out" 2>"$T/err"
    rc=$?
    if [ "$rc" -eq 1 ] && grep -qi -- "$pat" "$T/err"; then
        echo "ok $n - $name"
    else
        echo "not ok $n - $name (exit $rc, stderr: $(head -c 300 "$T/err"))"
    fi
}

GOOD=$B/tests/demo/demo.elf
expect_error "missing kernel file" "no-such" -M virt -nographic -bios none -kernel "$T/no-such.elf"
head -c 100 "$GOOD" > "$T/trunc.elf"
expect_error "truncated ELF" "trunc" -M virt -nographic -bios none -kernel "$T/trunc.elf"
head -c 3000 "$GOOD" > "$T/trunc2.elf"
expect_error "ELF cut inside a segment" "trunc" -M virt -nographic -bios none -kernel "$T/trunc2.elf"
expect_error "ELF for x86-64" "machine\|architecture" -M virt -nographic -bios none -kernel /bin/true
printf '\177ELF\002\001\001\000garbagegarbagegarbagegarbage' > "$T/garbage.elf"
expect_error "garbage after an ELF magic" "elf" -M virt -nographic -bios none -kernel "$T/garbage.elf"
expect_error "unknown machine" "machine" -M nosuchboard -nographic -bios none -kernel "$GOOD"
expect_error "unknown -d item" "nosuchitem" -d nosuchitem -M virt -nographic -bios none -kernel "$GOOD"
expect_error "unknown option" "invalid option" -nosuchoption
expect_error "-m with garbage" "-m\|memory\|size" -m lots -M virt -nographic -bios none -kernel "$GOOD"
expect_error "unknown -cpu property" "nosuchext" -cpu rv64,nosuchext=on -M virt -nographic -bios none -kernel "$GOOD"
expect_error "-accel slice that is no length" "slice" -accel tcg,slice=often -M virt -nographic -bios none -kernel "$GOOD"
expect_error "-accel slice of 0 us" "slice" -accel tcg,slice=0 -M virt -nographic -bios none -kernel "$GOOD"
expect_error "-accel tso that is neither on nor off" "tso must be" -accel tcg,tso=sometimes -M virt -nographic -bios none -kernel "$GOOD"

# Every file option names itself and the file in its error.
BM="-M virt -nographic -bios none"
expect_error "-kernel missing: option and file named" "^mimic-system-riscv64: -kernel $T/nope: No such file" $BM -kernel "$T/nope"
expect_error "-bios missing: option and file named" "^mimic-system-riscv64: -bios $T/nope: No such file" -M virt -nographic -bios "$T/nope" -kernel "$GOOD"
expect_error "-initrd missing: option and file named" "^mimic-system-riscv64: -initrd $T/nope: No such file" $BM -kernel "$GOOD" -initrd "$T/nope"
expect_error "-dtb missing: option and file named" "^mimic-system-riscv64: -dtb $T/nope: No such file" $BM -kernel "$GOOD" -dtb "$T/nope"
expect_error "-D unwritable: option and file named" "^mimic-system-riscv64: -D $T/nope/log: .*No such file" -D "$T/nope/log" $BM -kernel "$GOOD"
expect_error "-drive missing: option and file named" "^mimic-system-riscv64: -drive file=$T/nope: .*No such file" $BM -kernel "$GOOD" -drive "file=$T/nope"
expect_error "-kernel truncated ELF: option named" "^mimic-system-riscv64: -kernel $T/trunc.elf: truncated" $BM -kernel "$T/trunc.elf"
expect_error "-bios truncated ELF: option named" "^mimic-system-riscv64: -bios $T/trunc.elf: truncated" -M virt -nographic -bios "$T/trunc.elf"

# What is not a regular file is refused at once: a FIFO would block the
# open until a writer comes, /dev/zero would be read without end.
mkfifo "$T/fifo"
expect_error "-kernel FIFO refused" "-kernel $T/fifo: not a regular file" $BM -kernel "$T/fifo"
expect_error "-bios FIFO refused" "-bios $T/fifo: not a regular file" -M virt -nographic -bios "$T/fifo" -kernel "$GOOD"
expect_error "-initrd FIFO refused" "-initrd $T/fifo: not a regular file" $BM -kernel "$GOOD" -initrd "$T/fifo"
expect_error "-dtb FIFO refused" "-dtb $T/fifo: not a regular file" $BM -kernel "$GOOD" -dtb "$T/fifo"
expect_error "-dtb /dev/zero refused" "-dtb /dev/zero: not a regular file" $BM -kernel "$GOOD" -dtb /dev/zero
expect_error "-kernel /dev/zero refused" "-kernel /dev/zero: not a regular file" $BM -kernel /dev/zero
expect_error "-kernel directory refused" "-kernel $T: not a regular file" $BM -kernel "$T"
# A huge (sparse) -dtb is refused by its size, not read.
truncate -s 4G "$T/huge.dtb"
expect_error "-dtb of 4 GiB refused by its size" "-dtb $T/huge.dtb: too large" $BM -kernel "$GOOD" -dtb "$T/huge.dtb"

# A valid run for contrast: exit status 0 and the demo's output.
n=$((n + 1))
timeout 60 "$EMU" -M virt -nographic -bios none -kernel "$GOOD" </dev/null >"$T/out" 2>"$T/err"
rc=$?
if [ "$rc" -eq 0 ] && grep -q "primes below 100000: 9592" "$T/out"; then
    echo "ok $n - the demo runs and powers off"
else
    echo "not ok $n - the demo runs and powers off (exit $rc)"
fi
n=$((n + 1))
timeout 20 "$EMU" -d help </dev/null >"$T/out" 2>&1
if [ $? -eq 0 ] && grep -q out_asm "$T/out" && grep -q guest_errors "$T/out"; then
    echo "ok $n - -d help lists the log items"
else
    echo "not ok $n - -d help lists the log items"
fi
echo "1..$n"
