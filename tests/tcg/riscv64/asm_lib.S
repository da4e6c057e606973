/*
 * Out-of-line halves of the asm.h check macros.  Both are entered with
 * `jal t6, ...` and preserve every register but t6.
 */
#include "lib.h"

    .text
    /* sp -> {expected, got, line}; counts and reports a failure. */
    .globl asm_check_fail
asm_check_fail:
    addi    sp, sp, -TRAP_FRAME_SIZE
    sd      x1, 1*8(sp)
    sd      x3, 3*8(sp)
    sd      x4, 4*8(sp)
    sd      x5, 5*8(sp)
    sd      x6, 6*8(sp)
    sd      x7, 7*8(sp)
    sd      x8, 8*8(sp)
    sd      x9, 9*8(sp)
    sd      x10, 10*8(sp)
    sd      x11, 11*8(sp)
    sd      x12, 12*8(sp)
    sd      x13, 13*8(sp)
    sd      x14, 14*8(sp)
    sd      x15, 15*8(sp)
    sd      x16, 16*8(sp)
    sd      x17, 17*8(sp)
    sd      x28, 28*8(sp)
    sd      x29, 29*8(sp)
    sd      x30, 30*8(sp)
    sd      x31, 31*8(sp)
    .option push
    .option norelax
    la      gp, __global_pointer$
    .option pop
    ld      a0, TRAP_FRAME_SIZE+16(sp)   /* line */
    ld      a1, TRAP_FRAME_SIZE+8(sp)    /* got */
    ld      a2, TRAP_FRAME_SIZE+0(sp)    /* expected */
    call    asm_check_failed
    ld      x1, 1*8(sp)
    ld      x3, 3*8(sp)
    ld      x4, 4*8(sp)
    ld      x5, 5*8(sp)
    ld      x6, 6*8(sp)
    ld      x7, 7*8(sp)
    ld      x8, 8*8(sp)
    ld      x9, 9*8(sp)
    ld      x10, 10*8(sp)
    ld      x11, 11*8(sp)
    ld      x12, 12*8(sp)
    ld      x13, 13*8(sp)
    ld      x14, 14*8(sp)
    ld      x15, 15*8(sp)
    ld      x16, 16*8(sp)
    ld      x17, 17*8(sp)
    ld      x28, 28*8(sp)
    ld      x29, 29*8(sp)
    ld      x30, 30*8(sp)
    ld      x31, 31*8(sp)
    addi    sp, sp, TRAP_FRAME_SIZE
    jr      t6

    .globl asm_check_pass
asm_check_pass:
    addi    sp, sp, -16
    sd      t5, 0(sp)
    sd      t4, 8(sp)
    la      t5, test_checks
    lw      t4, 0(t5)
    addi    t4, t4, 1
    sw      t4, 0(t5)
    ld      t5, 0(sp)
    ld      t4, 8(sp)
    addi    sp, sp, 16
    jr      t6
