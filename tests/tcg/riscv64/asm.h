/*
 * Macros for tests written in assembly.  A test defines `main` with
 * TEST_BEGIN ... TEST_END and checks registers with CHECK_IMM(reg, value) and
 * CHECK_REG(reg, reg2) (C-preprocessor macros, so they can report the line).
 *
 * Register conventions: t6 (x31) belongs to the check macros and is clobbered
 * by every check; a check preserves every other register (including ra and
 * sp), so a sequence of instructions and checks can be interleaved freely.
 * sp must stay a valid stack pointer across checks.  s11 (x27) holds main's
 * return address; leave it alone.
 */
#ifndef TCG_RISCV64_ASM_H
#define TCG_RISCV64_ASM_H

#include "lib.h"

    .macro TEST_BEGIN
    .text
    .globl main
    .balign 4
main:
    mv      s11, ra
    la      t0, 9996f
    la      t1, asm_test_file
    sd      t0, 0(t1)
    .pushsection .rodata
9996: .ascii TEST_NAME
    .asciz ".S"
    .popsection
    .endm

    /* Returns the number of failures from main (after the OK/FAIL line). */
    .macro TEST_END
    la      a0, 9999f
    call    test_finish
    mv      ra, s11
    ret
    .pushsection .rodata
9999: .asciz TEST_NAME
    .popsection
    .endm

/* Fails (reporting this line) unless reg == val (a 64-bit constant). */
#define CHECK_IMM(reg, val)  CHECK_IMM_ reg, val, __LINE__
/* Fails unless reg == reg2 (neither may be t6). */
#define CHECK_REG(reg, reg2) CHECK_REG_ reg, reg2, __LINE__

    .macro CHECK_IMM_ reg, val, line
    li      t6, \val
    CHECK_T6 \reg, \line
    .endm

    .macro CHECK_REG_ reg, reg2, line
    mv      t6, \reg2
    CHECK_T6 \reg, \line
    .endm

    .macro CHECK_T6 reg, line
    .option push
    .option norvc
    beq     \reg, t6, 9998f
    addi    sp, sp, -32
    sd      t6, 0(sp)               /* expected */
    sd      \reg, 8(sp)             /* got */
    li      t6, \line
    sd      t6, 16(sp)
    jal     t6, asm_check_fail
    addi    sp, sp, 32
    j       9997f
9998:
    /* count the passing check too */
    jal     t6, asm_check_pass
9997:
    .option pop
    .endm

#endif
