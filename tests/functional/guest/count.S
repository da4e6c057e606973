/*
 * Counts forever, the count in RAM at 0x80100000 (outside the image): a
 * guest that visibly keeps running, for tests/functional/
 * test-monitor-sockets.py (xp/1g 0x80100000 grows).
 */
    .section .text.start
    .globl _start
_start:
    li t0, 0x80100000
    li t1, 0
1:  addi t1, t1, 1
    sd t1, 0(t0)
    j 1b
