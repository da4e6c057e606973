/*
 * Prints "off" on the UART, powers off through the test finisher, and
 * then writes '!' to the UART for as long as it keeps running: for
 * tests/functional/test-poweroff.sh, which requires that no '!' comes
 * out (a powered-off machine runs no more guest code).  A jump follows
 * the store: Mimic stops a hart where a translation block ends, and a
 * real hart too may run a few instructions on while its store goes out.
 * Other harts spin until hart 0 says it went on after the power-off,
 * then write '!' too: they may run a few instructions more, on their
 * own host threads, but must never see anything hart 0 did after it.
 */
    .section .text.start
    .globl _start
_start:
    li t0, 0x10000000           /* UART THR */
    la t4, went_on
    csrr t5, mhartid
    bnez t5, other
    li t2, 'o'
    sb t2, 0(t0)
    li t2, 'f'
    sb t2, 0(t0)
    sb t2, 0(t0)
    li t3, 0x100000             /* test finisher: pass */
    li t1, 0x5555
    sw t1, 0(t3)
    j 1f
1:  li t2, 1
    sw t2, 0(t4)
    li t2, '!'
    sb t2, 0(t0)
    j 1b
other:
    lw t2, 0(t4)
    beqz t2, other
    li t2, '!'
    sb t2, 0(t0)
    j other

    .data
    .balign 4
went_on:
    .word 0
