/*
 * Prints "bye" on the UART with no line end and powers off through the
 * test finisher at once: tests/functional/test-serial-output.sh checks
 * that buffered serial output is written out at exit.
 */
    .section .text.start
    .globl _start
_start:
    li t0, 0x10000000           /* UART THR */
    li t2, 'b'
    sb t2, 0(t0)
    li t2, 'y'
    sb t2, 0(t0)
    li t2, 'e'
    sb t2, 0(t0)
    li t0, 0x100000             /* test finisher: pass */
    li t1, 0x5555
    sw t1, 0(t0)
1:  j 1b
