/*
 * A hot loop of ALU ops and loads for tests/functional/test-jit.sh: the
 * loop body must be translated once, run through chained jumps, and use
 * no helper calls (its out_asm holds no call instruction).
 */
    .section .text.start
    .globl _start
_start:
    la a0, table
    li a1, 0            /* sum */
    li a2, 2000000      /* iterations */
    li a3, 0
loop:
    andi a4, a3, 7
    slli a4, a4, 3
    add a4, a4, a0
    ld a5, 0(a4)
    xor a1, a1, a5
    add a1, a1, a3
    srli a6, a1, 3
    sub a1, a1, a6
    addi a3, a3, 1
    bne a3, a2, loop
    /* Power off cleanly if the sum matches what the host computed
       (Python, same arithmetic), else exit with status 1. */
    li t0, 0x100000
    li t1, 0x5555
    la t2, expected
    ld t2, 0(t2)
    beq a1, t2, 1f
    li t1, 0x13333     /* exit status 1: wrong sum */
1:  sw t1, 0(t0)
    j 1b

    .data
    .balign 8
table:
    .dword 1, 2, 3, 5, 8, 13, 21, 34
expected:
    .dword 0xd59f64
