#!/bin/sh
# targets: riscv64-softmmu
# The virt board's device tree (-M virt,dumpdtb=FILE, decoded with dtc):
# the nodes and properties Linux and OpenSBI need, with QEMU's values and
# node names; -append/-initrd in /chosen; -dtb FILE used as given but for
# /chosen; and the boot errors a user can cause (a foreign kernel, an
# initrd or -m that does not fit).  Prints TAP.
B=${BUILD_DIR:-build}
EMU=$B/mimic-system-${MIMIC_TARGET:-riscv64}
QEMU=${QEMU:-qemu-system-riscv64}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; }
check() { if eval "$2"; then ok "$1"; else not_ok "$1"; fi; }

if ! command -v dtc >/dev/null 2>&1; then
    echo "1..0 # SKIP dtc not installed (Debian package device-tree-compiler)"
    exit 0
fi
printf '\157\000\000\000' >"$T/spin.bin"        # j .
printf 'initrd-contents' >"$T/initrd"

"$EMU" -M virt,dumpdtb="$T/m.dtb" -smp 2 -m 256M -kernel "$T/spin.bin" \
    -initrd "$T/initrd" -append "console=ttyS0 quiet" >"$T/out" 2>"$T/err"
rc=$?
check "dumpdtb exits 0 and says so" '[ $rc -eq 0 ] && grep -q "dtb dumped to" "$T/err"'
dtc -I dtb -O dts -o "$T/m.dts" "$T/m.dtb" 2>/dev/null
check "dtc decodes the dump" '[ -s "$T/m.dts" ]'
# prop NODE-PATTERN PROPERTY-LINE: the property inside the node's block.
prop() {
    awk -v node="$1" -v want="$2" '
        $0 ~ "^[\t]*" node " \\{" { inside = 1; depth = 0 }
        inside && /\{/ { depth++ }
        inside && index($0, want) { found = 1 }
        inside && /\};/ { if (--depth == 0) inside = 0 }
        END { exit !found }' "$T/m.dts"
}
check "root compatible and model" 'prop "\\/" "compatible = \"riscv-virtio\"" && prop "\\/" "model = \"riscv-virtio,qemu\""'
check "timebase-frequency 10 MHz" 'prop cpus "timebase-frequency = <0x989680>"'
check "cpu@0 and cpu@1 with reg, status, compatible" 'prop "cpu@0" "reg = <0x00>" && prop "cpu@1" "reg = <0x01>" && prop "cpu@1" "status = \"okay\"" && prop "cpu@0" "compatible = \"riscv\""'
check "riscv,isa lists the base and Zicsr/Zifencei" 'grep -q "riscv,isa = \"rv64ima[a-z]*c_zicsr_zifencei_zihintpause\"" "$T/m.dts"'
check "mmu-type" 'prop "cpu@0" "mmu-type = \"riscv,sv"'
check "per-cpu interrupt controller" 'prop "interrupt-controller" "compatible = \"riscv,cpu-intc\"" && prop "interrupt-controller" "#interrupt-cells = <0x01>"'
check "cpu-map cluster0" 'prop cluster0 "core1"'
check "memory node" 'prop "memory@80000000" "reg = <0x00 0x80000000 0x00 0x10000000>" && prop "memory@80000000" "device_type = \"memory\""'
check "clint: M soft and timer of each hart" 'prop "clint@2000000" "compatible = \"sifive,clint0\\\\0riscv,clint0\"" && grep -q "interrupts-extended = <0x[0-9a-f]* 0x03 0x[0-9a-f]* 0x07 0x[0-9a-f]* 0x03 0x[0-9a-f]* 0x07>" "$T/m.dts"'
check "plic: M/S external of each hart, 95 sources" 'prop "plic@c000000" "riscv,ndev = <0x5f>" && prop "plic@c000000" "reg = <0x00 0xc000000 0x00 0x600000>" && grep -q "interrupts-extended = <0x[0-9a-f]* 0x0b 0x[0-9a-f]* 0x09 0x[0-9a-f]* 0x0b 0x[0-9a-f]* 0x09>" "$T/m.dts"'
check "serial: irq 10, clock 3686400" 'prop "serial@10000000" "interrupts = <0x0a>" && prop "serial@10000000" "compatible = \"ns16550a\"" && prop "serial@10000000" "clock-frequency = "'
check "rtc: goldfish, irq 11" 'prop "rtc@101000" "compatible = \"google,goldfish-rtc\"" && prop "rtc@101000" "interrupts = <0x0b>"'
check "test device is a syscon" 'prop "test@100000" "compatible = \"sifive,test1\\\\0sifive,test0\\\\0syscon\""'
check "poweroff 0x5555 and reboot 0x7777" 'prop poweroff "value = <0x5555>" && prop poweroff "syscon-poweroff" && prop reboot "value = <0x7777>" && prop reboot "syscon-reboot"'
check "chosen: bootargs, stdout-path" 'prop chosen "bootargs = \"console=ttyS0 quiet\"" && prop chosen "stdout-path = \"/soc/serial@10000000\""'
# 256 MiB: the initrd goes 128 MiB above the kernel at 0x80200000.
check "chosen: initrd range" 'prop chosen "linux,initrd-start = <0x00 0x88200000>" && prop chosen "linux,initrd-end = <0x00 0x8820000f>"'
check "aliases: serial0" 'prop aliases "serial0 = \"/soc/serial@10000000\""'

check "pci: ECAM host with QEMU's windows" 'prop "pci@30000000" "compatible = \"pci-host-ecam-generic\"" && prop "pci@30000000" "ranges = <0x1000000 0x00 0x00 0x00 0x3000000 0x00 0x10000 0x2000000 0x00 0x40000000 0x00 0x40000000 0x00 0x40000000 0x3000000 0x04 0x00 0x04 0x00 0x04 0x00>"'
check "pci: INTx of slot 1 pin A on PLIC source 33" 'grep -Eq "interrupt-map = <.* 0x800 0x00 0x00 0x01 0x[0-9a-f]+ 0x21 " "$T/m.dts"'

# Every node name we have, QEMU's tree has too (and vice versa for the
# nodes of the devices we emulate).
names() { grep -o '^[[:space:]]*[a-z][a-z0-9,_@-]* {' "$1" | tr -d '\t {' | sort -u; }
if command -v "$QEMU" >/dev/null 2>&1; then
    "$QEMU" -M virt,dumpdtb="$T/q.dtb" -smp 2 -m 256M -kernel "$T/spin.bin" \
        -initrd "$T/initrd" -append "console=ttyS0 quiet" >/dev/null 2>&1
    dtc -I dtb -O dts -o "$T/q.dts" "$T/q.dtb" 2>/dev/null
    names "$T/m.dts" | grep -v '^aliases$' >"$T/mine"
    names "$T/q.dts" >"$T/qemu"
    check "our node names are QEMU's" '[ -z "$(comm -23 "$T/mine" "$T/qemu")" ]'
    # The PCIe host node: every property QEMU has, with its value (the
    # phandle of the PLIC in interrupt-map included).
    node() { sed -n '/^\t*pci@30000000 {/,/};/p' "$1" | sort; }
    node "$T/m.dts" >"$T/m.pci"
    node "$T/q.dts" >"$T/q.pci"
    check "the pci node is QEMU's, property for property" '[ -s "$T/q.pci" ] && cmp -s "$T/m.pci" "$T/q.pci"'
    # The same for the initrd placement QEMU chose.
    check "initrd where QEMU puts it" 'grep -q "linux,initrd-start = <0x88200000>" "$T/q.dts"'
    # A user's -dtb is used as given, /chosen updated from -append.
    "$EMU" -M virt,dumpdtb="$T/u.dtb" -dtb "$T/q.dtb" -kernel "$T/spin.bin" \
        -append "root=/dev/vda" >/dev/null 2>&1
    dtc -I dtb -O dts -o "$T/u.dts" "$T/u.dtb" 2>/dev/null
    check "-dtb: user tree kept, bootargs from -append" 'grep -q "flash@20000000" "$T/u.dts" && grep -q "bootargs = \"root=/dev/vda\"" "$T/u.dts"'
else
    echo "# $QEMU not installed: QEMU comparisons skipped"
fi

# run NAME PATTERN ARGS...: must exit 1 with PATTERN on stderr.
run_err() {
    name=$1 pat=$2
    shift 2
    timeout 20 "$EMU" -nographic "$@" </dev/null >"$T/out" 2>"$T/err"
    rc=$?
    if [ $rc -eq 1 ] && grep -q -- "$pat" "$T/err"; then ok "$name"; else
        not_ok "$name (exit $rc)"; sed 's/^/#   /' "$T/err" | head -3; fi
}
# An arm64 Image header ("ARM\x64" at 0x38) and a gzip file.
head -c 56 /dev/zero >"$T/arm64"; printf 'ARM\144\000\000\000\000' >>"$T/arm64"
printf '\037\213\010\000' >"$T/gz"
run_err "an arm64 kernel is refused" "arm64 Linux Image, not a RISC-V one" -kernel "$T/arm64"
run_err "a compressed kernel is refused" "gzip-compressed" -kernel "$T/gz"
run_err "an x86-64 ELF kernel is refused" "expected RISC-V" -kernel /bin/true
head -c 70000000 /dev/zero >"$T/big.initrd"
run_err "an initrd that does not fit" "does not fit in RAM" -m 64M -kernel "$T/spin.bin" -initrd "$T/big.initrd"
run_err "-m too small for firmware + kernel + device tree" "is too small" -m 4M -kernel "$T/spin.bin"
run_err "-initrd without -kernel" "only allowed with -kernel" -initrd "$T/initrd"
run_err "unknown -M property" "unknown machine property 'bogus'" -M virt,bogus=1
run_err "a -dtb that is not a device tree" "not a flattened device tree" -kernel "$T/spin.bin" -dtb "$T/spin.bin"

echo "1..$n"
[ "$failed" -eq 0 ]
