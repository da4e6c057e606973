#!/bin/sh
# Regenerates the test vectors of tests/unit/test-rv-disas.c.  It assembles
# the listings below with riscv64-linux-gnu-as, disassembles the raw bytes with
# riscv64-linux-gnu-objdump (the reference) at a chosen address, and prints one
# C initialiser { insn, pc, "text" } per instruction, to paste between the
# VECTORS markers of the test.  Read the output before pasting it: each line is
# meant to be checked against the ISA spec by eye.
#
# objdump's text is normalised to what rv_disas() prints on purpose:
#   - tabs become one space and "# 0x..." address comments are dropped;
#   - objdump 2.40 names an immediate form after the register form ("add
#     a0,a0,1", "sll a0,a1,0x3", "csrrs a0,mstatus,4"); rv_disas() prints
#     the real mnemonic (addi, slli, csrrsi, ...);
#   - ".4byte 0x13"/".2byte 0x4" become ".insn 0x00000013"/".insn 0x0004";
#   - 0x0100000f, which objdump for rv64gc shows as "fence w,unknown", is
#     Zihintpause's "pause".
#
# Usage: sh tests/unit/rv-disas-vectors.sh > /tmp/vectors.inc
set -eu

AS=${AS:-riscv64-linux-gnu-as}
OBJCOPY=${OBJCOPY:-riscv64-linux-gnu-objcopy}
OBJDUMP=${OBJDUMP:-riscv64-linux-gnu-objdump}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Rewrites objdump -D lines into C initialisers.  The chunk's address comes
# in as hi and lo, its upper and lower 32 bits in hex; the address of each
# instruction is worked out here from the lengths, as objdump's column may be
# cut short.  A chunk must not cross a 4 GiB boundary.
cat > "$tmp/norm.awk" <<'EOF'
function hexval(h,    i, v) {
    v = 0
    for (i = 1; i <= length(h); i++)
        v = v * 16 + index("0123456789abcdef", substr(h, i, 1)) - 1
    return v
}
function hex8(v,    s, i) {
    s = ""
    for (i = 0; i < 8; i++) {
        s = substr("0123456789abcdef", v % 16 + 1, 1) s
        v = int(v / 16)
    }
    return s
}
BEGIN { FS = "\t"; lo = hexval(lo); off = 0 }
/^ *[0-9a-f]+:\t[0-9a-f]+ *\t/ {
    hex = $2; gsub(/ /, "", hex)
    pc = hi hex8(lo + off); sub(/^0+/, "", pc); if (pc == "") pc = "0"
    off += length(hex) / 2
    mn = $3; ops = $4; sub(/ *#.*$/, "", ops)
    n = split(ops, o, ",")
    imm = n > 0 && (o[n] ~ /^-?[0-9]+$/ || o[n] ~ /^0x[0-9a-f]+$/)
    if (imm && mn ~ /^(add|sll|srl|sra|and|or|xor)$/)
        mn = mn "i"
    else if (imm && mn ~ /^(csrrw|csrrs|csrrc|csrw|csrs|csrc)$/)
        mn = mn "i"
    else if (imm && mn ~ /^(addw|sllw|srlw|sraw)$/)
        sub(/w$/, "iw", mn)
    text = ops == "" ? mn : mn " " ops
    if (mn == ".4byte" || mn == ".2byte")
        text = ".insn 0x" hex
    if (hex == "0100000f")
        text = "pause"
    printf "    { 0x%s, 0x%sull, \"%s\" },\n", hex, pc, text
}
EOF

# chunk ADDRESS: assembles stdin and disassembles it as if loaded at ADDRESS.
chunk() {
    cat > "$tmp/in.s"
    "$AS" -march=rv64gc -o "$tmp/in.o" "$tmp/in.s"
    "$OBJCOPY" -O binary -j .text "$tmp/in.o" "$tmp/in.bin"
    addr=$(printf '%016x' "$1")
    hi=$(echo "$addr" | cut -c1-8)
    lo=$(echo "$addr" | cut -c9-16)
    "$OBJDUMP" -D -b binary -m riscv:rv64 --adjust-vma="$1" "$tmp/in.bin" |
        awk -v hi="$hi" -v lo="$lo" -f "$tmp/norm.awk"
}

echo "    /* RV64I */"
chunk 0x80000000 <<'EOF'
.option norvc
lui a0, 0x12345
lui t6, 0xfffff
auipc a0, 0
auipc sp, 0x80000
jal ra, .+8
jal zero, .-4
jal a1, .+0x7fffe
jal t0, .-0x100000
jalr zero, 0(ra)
jalr zero, 0(a0)
jalr zero, 16(a5)
jalr ra, 0(a0)
jalr ra, -8(a0)
jalr a1, 0(a0)
jalr t0, -2048(t1)
jalr s0, 2047(s1)
beq a0, a1, .+16
bne a0, a1, .-16
blt t0, t1, .+4094
bge t0, t1, .-4096
bltu s2, s3, .+8
bgeu s2, s3, .+8
beq a0, zero, .+8
bne a1, zero, .-8
blt a2, zero, .+8
blt zero, a3, .+8
bge zero, a4, .+8
bge a5, zero, .+8
bgt a0, a1, .+8
ble a0, a1, .+8
bgtu a0, a1, .+8
bleu a0, a1, .+8
beq zero, a0, .+8
lb a0, 0(a1)
lh a1, -2(a2)
lw a2, 2047(sp)
ld s0, -2048(sp)
lbu t0, 1(gp)
lhu t1, 6(tp)
lwu t2, 12(s1)
ld ra, 8(zero)
sb a0, 0(a1)
sh a1, -2(a2)
sw a2, 2047(sp)
sd s0, -2048(sp)
addi a0, a0, 1
addi sp, sp, -16
addi a0, zero, 5
addi a0, zero, -2048
addi a0, zero, 0
addi a0, a1, 0
addi zero, zero, 0
addi zero, a0, 1
slti a0, a1, -1
sltiu a0, a1, 1
sltiu a0, a1, 2
xori a0, a1, -1
xori a0, a1, 0x7ff
ori a0, a1, 2
ori zero, zero, 0
andi a0, a1, 255
andi a0, a1, -16
slli a0, a1, 3
slli a0, a1, 63
srli t0, t1, 32
srai t0, t1, 1
addiw a0, a1, 1
addiw a0, a1, -1
addiw a0, a1, 0
slliw a0, a1, 31
srliw a0, a1, 0
sraiw a0, a1, 5
add a0, a1, a2
add zero, zero, zero
sub a0, a1, a2
sub a0, zero, a2
sll a0, a1, a2
slt a0, a1, a2
slt a0, a1, zero
slt a0, zero, a2
sltu a0, a1, a2
sltu a0, zero, a2
xor a0, a1, a2
srl a0, a1, a2
sra a0, a1, a2
or a0, a1, a2
and a0, a1, a2
addw a0, a1, a2
subw a0, a1, a2
subw a0, zero, a2
sllw a0, a1, a2
srlw a0, a1, a2
sraw a0, a1, a2
fence
fence rw, rw
fence r, w
fence iorw, o
fence i, ir
fence.tso
.insn 0x0100000f
.insn 0x0000000f
fence.i
ecall
ebreak
EOF
echo "    /* M */"
chunk 0x80001000 <<'EOF'
.option norvc
mul a0, a1, a2
mulh a0, a1, a2
mulhsu a0, a1, a2
mulhu a0, a1, a2
div a0, a1, a2
divu a0, a1, a2
rem a0, a1, a2
remu a0, a1, a2
mulw t0, t1, t2
divw t0, t1, t2
divuw t0, t1, t2
remw t0, t1, t2
remuw t0, t1, t2
EOF
echo "    /* A */"
chunk 0x80002000 <<'EOF'
.option norvc
lr.w a0, (a1)
lr.w.aq a0, (a1)
lr.d.rl t0, (sp)
lr.d.aqrl t0, (sp)
sc.w a0, a2, (a1)
sc.w.rl a0, a2, (a1)
sc.d a0, a2, (a1)
sc.d.aqrl a0, a2, (a1)
amoswap.w a0, a2, (a1)
amoadd.w.aq a0, a2, (a1)
amoxor.w.rl a0, a2, (a1)
amoand.w.aqrl a0, a2, (a1)
amoor.w a0, a2, (a1)
amomin.w a0, a2, (a1)
amomax.w a0, a2, (a1)
amominu.w a0, a2, (a1)
amomaxu.w a0, a2, (a1)
amoswap.d.aq a0, a2, (a1)
amoadd.d zero, a2, (a1)
amoxor.d a0, a2, (a1)
amoand.d a0, a2, (a1)
amoor.d.rl a0, a2, (a1)
amomin.d a0, a2, (a1)
amomax.d.aqrl a0, a2, (a1)
amominu.d a0, a2, (a1)
amomaxu.d a0, a2, (a1)
EOF
echo "    /* Zicsr: aliases and CSR names */"
chunk 0x80003000 <<'EOF'
.option norvc
csrrw a0, mstatus, a1
csrrw zero, mstatus, a1
csrrs a0, mstatus, a1
csrrs a0, mstatus, zero
csrrs zero, mstatus, a1
csrrc a0, mie, a1
csrrc zero, mie, a1
csrrwi a0, mtvec, 5
csrrwi zero, mtvec, 5
csrrsi a0, sstatus, 2
csrrsi zero, sstatus, 2
csrrci a0, sstatus, 31
csrrci zero, sstatus, 31
rdcycle a0
rdtime a1
rdinstret a2
csrr a0, cycleh
frcsr a0
fscsr a1
fscsr a0, a1
frrm a0
fsrm a1
fsrm a0, a1
fsrmi 2
fsrmi a0, 3
frflags a0
fsflags a1
fsflags a0, a1
fsflagsi 1
fsflagsi a0, 31
csrr a0, fflags
csrr a0, frm
csrw fcsr, zero
unimp
csrr a0, sstatus
csrr a0, sie
csrr a0, stvec
csrr a0, scounteren
csrr a0, senvcfg
csrr a0, sscratch
csrr a0, sepc
csrr a0, scause
csrr a0, stval
csrr a0, sip
csrr a0, 0x14d
csrr a0, satp
csrr a0, misa
csrr a0, medeleg
csrr a0, mideleg
csrr a0, mcounteren
csrr a0, menvcfg
csrr a0, mstatush
csrr a0, mscratch
csrr a0, mepc
csrr a0, mcause
csrr a0, mtval
csrr a0, mip
csrr a0, mtinst
csrr a0, mtval2
csrr a0, mcountinhibit
csrr a0, mhpmevent3
csrr a0, mhpmevent31
csrr a0, pmpcfg0
csrr a0, pmpcfg15
csrr a0, pmpaddr0
csrr a0, pmpaddr63
csrr a0, mseccfg
csrr a0, mcycle
csrr a0, minstret
csrr a0, mhpmcounter3
csrr a0, mhpmcounter31
csrr a0, mhpmcounter3h
csrr a0, hpmcounter3
csrr a0, hpmcounter31
csrr a0, hpmcounter17h
csrr a0, instreth
csrr a0, mvendorid
csrr a0, marchid
csrr a0, mimpid
csrr a0, mhartid
csrr a0, mconfigptr
csrr a0, tselect
csrr a0, dcsr
csrr a0, dpc
csrr a0, dscratch0
csrr a0, hstatus
csrr a0, hgatp
csrr a0, vsstatus
csrr a0, 0x7c0
csrr a0, 0x800
csrr a0, 0xfff
csrw 0x0, a0
EOF
echo "    /* privileged */"
chunk 0x80004000 <<'EOF'
.option norvc
sret
mret
wfi
uret
dret
sfence.vma
sfence.vma a0
sfence.vma a0, a1
sfence.vma zero, a1
EOF
echo "    /* F */"
chunk 0x80005000 <<'EOF'
.option norvc
flw fa0, 0(a0)
flw ft0, -4(sp)
fsw fs0, 2047(a1)
fmadd.s fa0, fa1, fa2, fa3
fmadd.s fa0, fa1, fa2, fa3, rne
fmsub.s ft0, ft1, ft2, ft3, rtz
fnmsub.s fs0, fs1, fs2, fs3, rdn
fnmadd.s ft8, ft9, ft10, ft11, rup
fadd.s fa0, fa1, fa2
fadd.s fa0, fa1, fa2, rmm
fsub.s fa0, fa1, fa2
fmul.s fa0, fa1, fa2, rtz
fdiv.s fa0, fa1, fa2
fsqrt.s fa0, fa1
fsqrt.s fa0, fa1, rne
fsgnj.s fa0, fa1, fa2
fsgnjn.s fa0, fa1, fa2
fsgnjx.s fa0, fa1, fa2
fmv.s fa0, fa1
fneg.s fa0, fa1
fabs.s fa0, fa1
fmin.s fa0, fa1, fa2
fmax.s fa0, fa1, fa2
fcvt.w.s a0, fa0
fcvt.w.s a0, fa0, rtz
fcvt.wu.s a0, fa0, rtz
fcvt.l.s a0, fa0
fcvt.lu.s a0, fa0, rup
fmv.x.w a0, fa0
feq.s a0, fa0, fa1
flt.s a0, fa0, fa1
fle.s a0, fa0, fa1
fclass.s a0, fa0
fcvt.s.w fa0, a0
fcvt.s.wu fa0, a0, rne
fcvt.s.l fa0, a0
fcvt.s.lu fa0, a0, rdn
fmv.w.x fa0, a0
fmv.w.x fa0, zero
EOF
echo "    /* D */"
chunk 0x80006000 <<'EOF'
.option norvc
fld fa0, 8(a0)
fsd fa0, -8(sp)
fmadd.d fa0, fa1, fa2, fa3
fmsub.d fa0, fa1, fa2, fa3
fnmsub.d fa0, fa1, fa2, fa3, rmm
fnmadd.d fa0, fa1, fa2, fa3
fadd.d fa0, fa1, fa2
fsub.d fa0, fa1, fa2, rne
fmul.d fa0, fa1, fa2
fdiv.d fa0, fa1, fa2, rup
fsqrt.d fa0, fa1
fsgnj.d fa0, fa1, fa2
fsgnjn.d fa0, fa1, fa2
fsgnjx.d fa0, fa1, fa2
fmv.d fs0, fs1
fneg.d fs0, fs1
fabs.d fs0, fs1
fmin.d fa0, fa1, fa2
fmax.d fa0, fa1, fa2
fcvt.s.d fa0, fa1
fcvt.s.d fa0, fa1, rtz
fcvt.d.s fa0, fa1
feq.d a0, fa0, fa1
flt.d a0, fa0, fa1
fle.d a0, fa0, fa1
fclass.d a0, fa0
fcvt.w.d a0, fa0, rtz
fcvt.wu.d a0, fa0
fcvt.l.d a0, fa0, rtz
fcvt.lu.d a0, fa0
fmv.x.d a0, fa0
fcvt.d.w fa0, a0
fcvt.d.wu fa0, a0
fcvt.d.l fa0, a0
fcvt.d.lu fa0, a0, rne
fmv.d.x fa0, a0
EOF
echo "    /* C, shown as the instructions they expand to */"
chunk 0x80007000 <<'EOF'
.option rvc
c.addi4spn a0, sp, 16
c.addi4spn s1, sp, 1020
c.fld fa0, 8(a1)
c.lw a0, 4(a1)
c.lw s0, 124(a5)
c.ld a0, 8(a1)
c.ld a5, 248(s1)
c.fsd fa0, 8(a1)
c.sw a0, 4(a1)
c.sd a0, 8(a1)
c.nop
c.addi a0, 1
c.addi sp, -32
c.addiw a0, 1
c.addiw a0, -32
c.addiw a0, 0
c.li a0, 5
c.li ra, -32
c.addi16sp sp, 16
c.addi16sp sp, -512
c.addi16sp sp, 496
c.lui a0, 1
c.lui s0, 0x1f
c.lui a5, 0xfffe0
c.srli a0, 1
c.srli a5, 63
c.srai a0, 32
c.andi a0, -1
c.andi s1, 15
c.sub a0, a1
c.xor a0, a1
c.or s0, s1
c.and a4, a5
c.subw a0, a1
c.addw a0, a1
c.j .+8
c.j .-2048
c.j .+2046
c.beqz a0, .+8
c.beqz s0, .-256
c.bnez a5, .+254
c.slli a0, 1
c.slli t6, 63
c.fldsp fa0, 8(sp)
c.lwsp a0, 4(sp)
c.lwsp ra, 252(sp)
c.ldsp a0, 8(sp)
c.ldsp s11, 504(sp)
c.jr a0
c.jr ra
c.mv a0, a1
c.ebreak
c.jalr a0
c.jalr ra
c.add a0, a1
c.fsdsp fa0, 8(sp)
c.swsp a0, 4(sp)
c.swsp t6, 252(sp)
c.sdsp a0, 8(sp)
c.sdsp s0, 504(sp)
c.unimp
EOF
echo "    /* C hints and reserved encodings */"
chunk 0x80008000 <<'EOF'
.option rvc
.insn 0x0005
.insn 0x107d
.insn 0x4015
.insn 0x0002
.insn 0x0506
.insn 0x0016
.insn 0x8001
.insn 0x8401
.insn 0x800a
.insn 0x900a
.insn 0x6005
.insn 0x0501
.insn 0x6101
.insn 0x0004
.insn 0x4002
.insn 0x6002
.insn 0x8002
.insn 0x6001
.insn 0x8000
.insn 0x9c41
.insn 0x9c61
.insn 0x2001
.insn 0x0008
EOF
echo "    /* unknown 32-bit encodings */"
chunk 0x80009000 <<'EOF'
.option norvc
.insn 0x00000057
.insn 0x0000000b
.insn 0xfe000033
.insn 0x0000707b
.insn 0x10000073
.insn 0x12000173
.insn 0x40001033
.insn 0x00007023
.insn 0x0000400f
.insn 0x0000200f
EOF
echo "    /* targets that wrap below address 0 */"
chunk 0x0 <<'EOF'
.option norvc
jal zero, .-4
jal ra, .-0x100000
beq a0, zero, .-16
bgeu a0, a1, .-2
.option rvc
c.j .-2048
c.bnez a0, .-256
EOF
echo "    /* a kernel-style address */"
chunk 0xffffffff80200000 <<'EOF'
.option norvc
auipc t0, 0
jal ra, .+0x1000
beq a0, a1, .-0x800
.option rvc
c.j .-2
c.beqz a0, .+2
EOF
