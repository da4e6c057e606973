/*
 * RV64C integer computational instructions, each written as a raw .half so
 * that the encoding under test is exactly the one named in the comment
 * (encodings from tools/rvc.py, checked against binutils' disassembler):
 * c.li, c.lui (both signs of nzimm[17]), c.addi, c.addiw (funct3 001 of
 * quadrant 1, which is c.jal on RV32), c.addi16sp, c.addi4spn, c.slli,
 * c.srli, c.srai (shift amounts >= 32 via shamt[5]), c.andi, c.sub, c.xor,
 * c.or, c.and, c.subw, c.addw, c.mv, c.add, c.nop, and HINT encodings
 * (which must not change any state).
 */
#include "asm.h"

TEST_BEGIN
    /* c.li: 6-bit signed immediate, sign-extended to 64 bits */
    li      a0, 0x1234
    .half   0x5501                 /* c.li a0, -32 */
    CHECK_IMM(a0, 0xffffffffffffffe0)
    .half   0x457d                 /* c.li a0, 31 */
    CHECK_IMM(a0, 31)
    .half   0x4281                 /* c.li t0, 0 */
    CHECK_IMM(t0, 0)
    .half   0x5d7d                 /* c.li s10, -1 */
    CHECK_IMM(s10, -1)

    /* c.lui: rd = sext(nzimm[17:12] << 12) */
    .half   0x6505                 /* c.lui a0, 0x1 */
    CHECK_IMM(a0, 0x1000)
    .half   0x65fd                 /* c.lui a1, 0x1f */
    CHECK_IMM(a1, 0x1f000)
    .half   0x7601                 /* c.lui a2, 0x20 */
    CHECK_IMM(a2, 0xfffffffffffe0000)
    .half   0x737d                 /* c.lui t1, 0x3f */
    CHECK_IMM(t1, 0xfffffffffffff000)
    .half   0x7085                 /* c.lui ra, 0x21 */
    CHECK_IMM(ra, 0xfffffffffffe1000)

    /* c.addi: 64-bit add of a 6-bit signed immediate */
    li      a0, 100
    .half   0x1501                 /* c.addi a0, -32 */
    CHECK_IMM(a0, 68)
    .half   0x057d                 /* c.addi a0, 31 */
    CHECK_IMM(a0, 99)
    li      a3, 0x7fffffffffffffff
    .half   0x0685                 /* c.addi a3, 1 */
    CHECK_IMM(a3, 0x8000000000000000)
    li      a3, 0xffffffff
    .half   0x0685                 /* c.addi a3, 1 */
    CHECK_IMM(a3, 0x100000000)
    li      t2, 0
    .half   0x13fd                 /* c.addi t2, -1 */
    CHECK_IMM(t2, -1)

    /* c.addiw: 32-bit add, result sign-extended (this encoding is c.jal on RV32) */
    li      a0, 0x7fffffff
    .half   0x2505                 /* c.addiw a0, 1 */
    CHECK_IMM(a0, 0xffffffff80000000)
    li      a0, 0x80000000
    .half   0x357d                 /* c.addiw a0, -1 */
    CHECK_IMM(a0, 0x7fffffff)
    li      a1, 0x12345678ffffffff
    .half   0x2581                 /* c.addiw a1, 0 */
    CHECK_IMM(a1, -1)
    li      s2, 0xfffffffe00000005
    .half   0x3969                 /* c.addiw s2, -6 */
    CHECK_IMM(s2, -1)

    /* c.addi16sp: sp += nzimm (multiple of 16, -512..496) */
    mv      s2, sp
    .half   0x7101                 /* c.addi16sp sp, -512 */
    mv      a0, sp
    mv      sp, s2
    sub     a0, a0, s2
    CHECK_IMM(a0, -512)
    .half   0x617d                 /* c.addi16sp sp, 496 */
    mv      a0, sp
    mv      sp, s2
    sub     a0, a0, s2
    CHECK_IMM(a0, 496)
    .half   0x6141                 /* c.addi16sp sp, 16 */
    .half   0x717d                 /* c.addi16sp sp, -16 */
    CHECK_REG(sp, s2)
    .half   0x6171                 /* c.addi16sp sp, 0x150 */
    mv      a0, sp
    mv      sp, s2
    sub     a0, a0, s2
    CHECK_IMM(a0, 0x150)
    .half   0x7161                 /* c.addi16sp sp, -0x1b0 */
    mv      a0, sp
    mv      sp, s2
    sub     a0, a0, s2
    CHECK_IMM(a0, -0x1b0)

    /* c.addi4spn: rd' = sp + nzuimm (multiple of 4, 4..1020) */
    .half   0x1fe8                 /* c.addi4spn a0, sp, 1020 */
    sub     a0, a0, sp
    CHECK_IMM(a0, 1020)
    .half   0x0040                 /* c.addi4spn s0, sp, 4 */
    sub     s0, s0, sp
    CHECK_IMM(s0, 4)
    .half   0x153c                 /* c.addi4spn a5, sp, 0x2a8 */
    sub     a5, a5, sp
    CHECK_IMM(a5, 0x2a8)

    /* c.slli (full register), c.srli / c.srai (x8-x15), shamt up to 63 */
    li      a0, 0x8000000000000001
    .half   0x0506                 /* c.slli a0, 1 */
    CHECK_IMM(a0, 2)
    li      a0, 1
    .half   0x157e                 /* c.slli a0, 63 */
    CHECK_IMM(a0, 0x8000000000000000)
    li      t3, 0x00000000ffffffff
    .half   0x1e02                 /* c.slli t3, 32 */
    CHECK_IMM(t3, 0xffffffff00000000)
    li      s0, 0x8000000000000000
    .half   0x907d                 /* c.srli s0, 63 */
    CHECK_IMM(s0, 1)
    li      s0, 0xffffffff00000000
    .half   0x9001                 /* c.srli s0, 32 */
    CHECK_IMM(s0, 0xffffffff)
    li      a4, 0xf0
    .half   0x8311                 /* c.srli a4, 4 */
    CHECK_IMM(a4, 0xf)
    li      s1, 0x8000000000000000
    .half   0x94fd                 /* c.srai s1, 63 */
    CHECK_IMM(s1, -1)
    li      s1, 0x8000000000000000
    .half   0x9481                 /* c.srai s1, 32 */
    CHECK_IMM(s1, 0xffffffff80000000)
    li      s1, 0x4000000000000000
    .half   0x9485                 /* c.srai s1, 33 */
    CHECK_IMM(s1, 0x20000000)
    li      a2, -16
    .half   0x8609                 /* c.srai a2, 2 */
    CHECK_IMM(a2, -4)

    /* c.andi: 6-bit signed immediate, sign-extended */
    li      a5, 0xffffffffffffffff
    .half   0x9b81                 /* c.andi a5, -32 */
    CHECK_IMM(a5, 0xffffffffffffffe0)
    li      a5, 0x123456789abcdef7
    .half   0x8bfd                 /* c.andi a5, 31 */
    CHECK_IMM(a5, 0x17)
    li      a5, 0x123456789abcdef7
    .half   0x8b81                 /* c.andi a5, 0 */
    CHECK_IMM(a5, 0)
    li      a5, 0x8000000000000021
    .half   0x9bfd                 /* c.andi a5, -1 */
    CHECK_IMM(a5, 0x8000000000000021)

    /* register-register ops on x8..x15 */
    li      s0, 0x00000000ffffffff
    li      s1, 0xffffffff00000001
    mv      a0, s0
    .half   0x8d05                 /* c.sub a0, s1 */
    CHECK_IMM(a0, 0x00000001fffffffe)
    mv      a0, s0
    .half   0x8d25                 /* c.xor a0, s1 */
    CHECK_IMM(a0, 0xfffffffffffffffe)
    mv      a0, s0
    .half   0x8d45                 /* c.or a0, s1 */
    CHECK_IMM(a0, 0xffffffffffffffff)
    mv      a0, s0
    .half   0x8d65                 /* c.and a0, s1 */
    CHECK_IMM(a0, 1)
    /* c.subw / c.addw: 32-bit, sign-extended */
    li      a1, 0x80000000
    li      a2, 1
    mv      a3, a1
    .half   0x9e91                 /* c.subw a3, a2 */
    CHECK_IMM(a3, 0x7fffffff)
    li      a3, 0x7fffffff
    .half   0x9eb1                 /* c.addw a3, a2 */
    CHECK_IMM(a3, 0xffffffff80000000)
    li      a4, 0x1234567800000003
    li      a5, 0xabcdef0000000004
    .half   0x9f1d                 /* c.subw a4, a5 */
    CHECK_IMM(a4, -1)
    li      a4, 0x1234567800000003
    .half   0x9f3d                 /* c.addw a4, a5 */
    CHECK_IMM(a4, 7)
    /* same register both sides */
    li      s1, 0x123456789
    .half   0x8c85                 /* c.sub s1, s1 */
    CHECK_IMM(s1, 0)
    li      s1, 0x40000000
    .half   0x9ca5                 /* c.addw s1, s1 */
    CHECK_IMM(s1, 0xffffffff80000000)

    /* c.mv / c.add on any registers */
    li      t4, 0x0123456789abcdef
    .half   0x8576                 /* c.mv a0, t4 */
    CHECK_IMM(a0, 0x0123456789abcdef)
    .half   0x898a                 /* c.mv s3, sp */
    CHECK_REG(s3, sp)
    li      t5, 0x7fffffffffffffff
    li      t0, 2
    .half   0x9f16                 /* c.add t5, t0 */
    CHECK_IMM(t5, 0x8000000000000001)
    li      ra, 5
    .half   0x9086                 /* c.add ra, ra */
    CHECK_IMM(ra, 10)
    .half   0x0001                 /* c.nop */

    /*
     * HINTs: encodings whose base instruction writes x0 or changes nothing;
     * they must execute as no-ops.
     */
    li      a0, 0x5a5a
    .half   0x001d                 /* c.nop 7 */
    .half   0x0501                 /* c.addi a0, 0 */
    .half   0x4015                 /* c.li x0, 5 */
    .half   0x600d                 /* c.lui x0, 0x3 */
    .half   0x802a                 /* c.mv x0, a0 */
    .half   0x902a                 /* c.add x0, a0 */
    .half   0x000e                 /* c.slli x0, 3 */
    CHECK_IMM(a0, 0x5a5a)
    CHECK_IMM(x0, 0)
TEST_END
