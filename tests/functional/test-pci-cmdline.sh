#!/bin/sh
# targets: riscv64-softmmu
# The PCI devices' command line: every -pci name is in -device help next
# to its virtio-mmio twin; the transport properties QEMU scripts use are
# taken (addr, bus, multifunction, disable-legacy, romfile=, vectors, id),
# and what cannot be honoured is a clear error with exit status 1, never
# a crash: a taken or malformed address, another bus, a modern-only
# device made transitional, a legacy-only device, a missing romfile.
# info pci shows the functions where addr= put them.  Prints TAP.
B=${BUILD_DIR:-build}
EMU=$B/mimic-system-${MIMIC_TARGET:-riscv64}
. tests/tap.sh

"$EMU" -device help >"$T/out" 2>&1
for d in blk net rng gpu keyboard tablet mouse; do
    check "-device help lists virtio-$d-pci and virtio-$d-device" \
        'grep -q "\"virtio-$d-pci\"" "$T/out" && grep -q "\"virtio-$d-device\"" "$T/out"'
done

# err NAME PATTERN ARGS...: exit status 1 and PATTERN on stderr.
err() {
    name=$1 pat=$2
    shift 2
    timeout 20 "$EMU" -M virt -S -display none -serial none -monitor none \
        "$@" </dev/null >"$T/out" 2>&1
    rc=$?
    check "$name" '[ $rc -eq 1 ] && grep -q -- "$pat" "$T/out"'
}
err "addr of the host bridge is taken" "slot 0 function 0 not available for virtio-rng-pci, in use by gpex-root" \
    -device virtio-rng-pci,addr=0
err "two devices at one addr" "slot 3 function 0 not available" \
    -device virtio-rng-pci,addr=3 -device virtio-keyboard-pci,addr=03.0
err "a malformed addr" "expected SLOT\[.FN\]" -device virtio-rng-pci,addr=20
err "another bus" "Bus 'pci.1' not found" -device virtio-rng-pci,bus=pci.1
err "a modern-only device made transitional" "device is modern-only, use disable-legacy=on" \
    -device virtio-gpu-pci,disable-legacy=off
err "a legacy-only device" "disable-modern=on is not supported" \
    -device virtio-rng-pci,disable-modern=on
err "a romfile that does not exist" "failed to find romfile \"$T/none.rom\"" \
    -device virtio-net-pci,netdev=n0,romfile="$T/none.rom" -netdev user,id=n0
err "a bad disable-legacy" "expected on, off or auto" -device virtio-rng-pci,disable-legacy=maybe
err "too many vectors" "vectors=65" -device virtio-rng-pci,vectors=65
err "an unknown property" "unknown property 'bogus'" -device virtio-rng-pci,bogus=1
err "virtio-blk-pci without a drive" "needs drive=ID" -device virtio-blk-pci

printf 'info pci\nquit\n' | timeout 20 "$EMU" -M virt -S -display none \
    -serial none -monitor stdio -device virtio-rng-pci,id=rng0,addr=0x5,bus=pcie.0,romfile= \
    -device virtio-keyboard-pci,addr=6.2,multifunction=on,vectors=4 \
    -device virtio-rng-pci,disable-legacy=on >"$T/out" 2>&1
check "addr=0x5 puts the device in slot 5" 'grep -A1 "device   5, function 0" "$T/out" | grep -q "1af4:1005"'
check "addr=6.2 puts it at function 2" 'grep -A1 "device   6, function 2" "$T/out" | grep -q "Keyboard: PCI device 1af4:1052"'
check "disable-legacy=on makes rng modern-only (1af4:1044, no I/O BAR)" \
    'grep -A5 "device   1, function 0" "$T/out" | grep -q "1af4:1044" && ! grep -A5 "device   1, function 0" "$T/out" | grep -q "I/O"'
tap_end
