/*
 * RV64C control transfer, as raw .half encodings (see tools/rvc.py): c.j at
 * both ends of its +-2 KiB range, c.beqz / c.bnez at both ends of +-256
 * bytes, taken and not taken on full 64-bit values, c.jr, c.jalr (link is
 * pc + 2), c.jalr through ra itself, 32-bit instructions at addresses that
 * are 2 mod 4 mixed with 16-bit ones, and a 32-bit instruction that straddles
 * a 4 KiB page boundary.  (c.ebreak is in trap_basic.c.)
 */
#include "asm.h"

    .option norvc

TEST_BEGIN
    /* c.j +2046 then c.j -2048 */
    li      a2, 0
    .half   0xaffd                 /* c.j 2046 */
    .skip   2044
    addi    a2, a2, 1
    j       2f
back_j:
    addi    a2, a2, 0x10
    j       3f
    .skip   2040
2:  .half   0xb001                 /* c.j -2048 */
3:  CHECK_IMM(a2, 0x11)

    /* c.beqz +254 (taken), c.bnez -256 (taken on an upper-half-only value) */
    li      a2, 0
    li      s0, 0
    li      s1, 0x100000000
    .half   0xcc7d                 /* c.beqz s0, 254 */
    .skip   252
    addi    a2, a2, 1
    j       2f
back_b:
    addi    a2, a2, 0x10
    j       3f
    .skip   248
2:  .half   0xf081                 /* c.bnez s1, -256 */
3:  CHECK_IMM(a2, 0x11)

    /* not taken */
    li      a2, 0
    li      a3, 0x8000000000000000
    .half   0xc299                 /* c.beqz a3, 6 */
    addi    a2, a2, 1                  /* 4 bytes: skipped only if taken */
    li      a4, 0
    .half   0xe319                 /* c.bnez a4, 6 */
    addi    a2, a2, 2
    CHECK_IMM(a2, 3)
    /* taken, short: skip one 4-byte instruction */
    li      a2, 0
    .half   0xc319                 /* c.beqz a4, 6 */
    addi    a2, a2, 1
    .half   0xe299                 /* c.bnez a3, 6 */
    addi    a2, a2, 2
    CHECK_IMM(a2, 0)

    /* c.jr: plain jump, no link */
    li      ra, 0x1234
    la      a0, 1f
    .half   0x8502                 /* c.jr a0 */
    li      a2, -1
1:  CHECK_IMM(ra, 0x1234)

    /* c.jalr: ra = pc + 2 */
    la      a0, jalr_target
    la      a5, 1f
    .half   0x9502                 /* c.jalr a0 */
1:  CHECK_IMM(a6, 0x66)
    /* c.jalr ra: target read before ra is written */
    la      ra, jalr_target
    la      a5, 1f
    .half   0x9082                 /* c.jalr ra */
1:  CHECK_IMM(a6, 0x66)

    /* 32-bit instructions at 2 mod 4, between 16-bit ones */
    li      a0, 0
    .balign 4
    .half   0x0001                 /* c.nop */
    addi    a0, a0, 1                  /* at 2 mod 4 */
    .half   0x0509                 /* c.addi a0, 2 */
    addi    a0, a0, 4                  /* at 0 mod 4 */
    .half   0x0001                 /* c.nop */
    lui     a1, 0x12345                /* at 2 mod 4 */
    .half   0x0521                 /* c.addi a0, 8 */
    CHECK_IMM(a0, 15)
    CHECK_IMM(a1, 0x12345000)

    /* a 32-bit instruction straddling a page boundary, reached by a call
     * and by falling through from a 16-bit instruction */
    li      a0, 0
    call    straddle
    CHECK_IMM(a0, 0x101)
    li      a0, 0
    call    straddle_pre
    CHECK_IMM(a0, 0x103)
TEST_END

jalr_target:
    CHECK_REG(ra, a5)
    li      a6, 0x66
    ret

    /*
     * P = the next 4 KiB boundary.  straddle_pre (P - 4) is a c.addi, then
     * straddle (P - 2) is a 4-byte addi occupying P - 2 .. P + 1.
     */
    .balign 4096
    .skip   4092
straddle_pre:
    .half   0x0509                 /* c.addi a0, 2 */
straddle:
    addi    a0, a0, 0x101
    ret
