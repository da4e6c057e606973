#!/bin/sh
# targets: riscv64-softmmu
# -cpu as QEMU spells it: for each model and property setting, QEMU 7.2
# (the reference) and Mimic give the same device tree (riscv,isa and
# mmu-type) and the same hart as a bare-metal guest sees it
# (tests/functional/guest/cpuinfo.c: misa, the ID CSRs, which optional
# CSRs and instructions exist); bad settings fail with QEMU's words; and
# extensions Mimic does not implement are refused by name when turned on,
# accepted when turned off.  QEMU's rv64 has H, Zba, Zbb, Zbc, Zbs and
# Sstc, which Mimic lacks: the compared lines turn them off (on both).
# Prints TAP.
B=${BUILD_DIR:-build}
EMU=$B/mimic-system-${MIMIC_TARGET:-riscv64}
ELF=$B/tests/functional/cpuinfo.elf
QEMU=${QEMU:-qemu-system-riscv64}
. tests/tap.sh

have_qemu=
command -v "$QEMU" > /dev/null 2>&1 && have_qemu=1
OFF=h=off,zba=off,zbb=off,zbc=off,zbs=off,sstc=off
# Mimic reports 0 in marchid/mimpid, QEMU its version.
IDS=marchid=0,mimpid=0

# isa EMU CPU: "riscv,isa mmu-type" of the device tree, or the error.
isa() {
    rm -f "$T/d.dtb"
    timeout 60 "$1" -M virt,dumpdtb="$T/d.dtb" -bios none -cpu "$2" \
        -display none > "$T/isa.out" 2>&1
    if [ -f "$T/d.dtb" ]; then
        echo "$(fdtget "$T/d.dtb" /cpus/cpu@0 riscv,isa)" \
             "$(fdtget "$T/d.dtb" /cpus/cpu@0 mmu-type)"
    else
        grep -v "^$" "$T/isa.out" | head -1
    fi
}

# guest EMU CPU: what cpuinfo.elf prints (it is built with C: never
# c=off here).
guest() {
    timeout 60 "$1" -M virt -bios none -nographic -cpu "$2" -kernel "$ELF" \
        < /dev/null 2>&1
}

# same_dt CPU: the same device tree on both.
same_dt() {
    if [ -z "$have_qemu" ]; then
        ok "-cpu $1: device tree as QEMU's # SKIP $QEMU not installed"
        return
    fi
    q=$(isa "$QEMU" "$1")
    m=$(isa "$EMU" "$1")
    printf 'QEMU:  %s\nMimic: %s\n' "$q" "$m" > "$T/out"
    check "-cpu $1: riscv,isa and mmu-type as QEMU's ($m)" '[ "$q" = "$m" ]'
}

# same_guest CPU: the same hart on both.
same_guest() {
    if [ -z "$have_qemu" ]; then
        ok "-cpu $1: the guest sees QEMU's hart # SKIP $QEMU not installed"
        return
    fi
    guest "$QEMU" "$1" | grep -v "^qemu-system-riscv64: warning" > "$T/q"
    guest "$EMU" "$1" > "$T/m"
    diff "$T/q" "$T/m" > "$T/out"
    check "-cpu $1: misa, IDs, CSRs and fence.i as on QEMU" \
        '[ -s "$T/m" ] && cmp -s "$T/q" "$T/m"'
}

# refused CPU TEXT: Mimic exits 1 with TEXT in its message.
refused() {
    timeout 60 "$EMU" -M virt -bios none -display none -cpu "$1" \
        > "$T/out" 2>&1
    rc=$? text=$2
    check "-cpu $1 is refused: $2" '[ "$rc" = 1 ] && grep -qF "$text" "$T/out"'
}

# same_error CPU: QEMU's message (without its program name) is in Mimic's.
same_error() {
    if [ -z "$have_qemu" ]; then
        ok "-cpu $1: QEMU's error # SKIP $QEMU not installed"
        return
    fi
    want=$(timeout 60 "$QEMU" -M virt -bios none -display none -cpu "$1" 2>&1 |
           grep -v "warning\|^$" | head -1 | sed 's/^qemu-system-riscv64: //')
    refused "$1" "$want"
}

for cpu in "rv64,$OFF" "any,zba=off,zbb=off,zbc=off,zbs=off,sstc=off" \
    sifive-u54 sifive-e51 shakti-c "rv64,$OFF,c=off" "rv64,$OFF,m=no,a=false" \
    "rv64,$OFF,f=off,d=off,Zicsr=off" "rv64,$OFF,Zifencei=off" \
    "rv64,$OFF,Zihintpause=off" "rv64,$OFF,mmu=off" "rv64,$OFF,s=off" \
    "rv64,$OFF,g=on,f=off,d=off" "rv64,$OFF,v=off,Zfh=false,zk=no,svpbmt=off" \
    "rv64,$OFF,priv_spec=v1.10.0"; do
    same_dt "$cpu"
done

for cpu in "rv64,h=off,$IDS" "any,$IDS" "sifive-u54,$IDS" "sifive-e51,$IDS" \
    "shakti-c,$IDS" "rv64,h=off,$IDS,a=off,m=off" "rv64,h=off,$IDS,f=off,d=off" \
    "rv64,h=off,$IDS,priv_spec=v1.10.0" "rv64,h=off,$IDS,priv_spec=v1.11.0" \
    "rv64,h=off,$IDS,mmu=off" "rv64,h=off,$IDS,pmp=off" \
    "rv64,h=off,$IDS,s=off" "rv64,h=off,$IDS,u=off,s=off" \
    "rv64,h=off,$IDS,Zifencei=off" "rv64,h=off,mvendorid=7,marchid=0x123,mimpid=9"; do
    same_guest "$cpu"
done

for cpu in bogus rv64,foo=on rv64,c rv64,c=maybe rv64,f=off rv64,Zicsr=off \
    rv64,h=off,u=off rv64,i=off rv64,priv_spec=v1.13.0 rv64,mvendorid=x \
    sifive-u54,c=off sifive-e51,mmu=off; do
    same_error "$cpu"
done

refused rv64,v=on "v=on: the V extension (vectors) is not implemented by Mimic"
refused rv64,h=true "the H extension (hypervisor) is not implemented"
refused rv64,zba=on "the Zba extension"
refused rv64,Zfh=yes "the Zfh extension"
refused rv64,zkn=on "the Zkn extension"
refused rv64,sstc=on "the Sstc extension"
refused rv64,m=off,zmmul=on "Zmmul without M"
refused x-rv128 "needs 128-bit registers (RV128)"

# The default, and the guest's view of misa under a few settings.
check "-cpu help lists the models" \
    '"$EMU" -cpu help > "$T/out" && grep -q "sifive-u54" "$T/out" && grep -q "Zifencei" "$T/out"'
m=$(isa "$EMU" rv64)
check "the default rv64: rv64imafdc_zicsr_zifencei_zihintpause, Sv48 ($m)" \
    '[ "$m" = "rv64imafdc_zicsr_zifencei_zihintpause riscv,sv48" ]'
guest "$EMU" rv64,m=off,a=off > "$T/out"
check "-cpu rv64,m=off,a=off: misa has neither (0x800000000014012c)" \
    'grep -q "^misa: 0x800000000014012c" "$T/out"'
tap_end
