/*
 * Prints "login: " on the UART with no line end, then waits forever:
 * tests/functional/test-serial-output.sh checks that buffered serial
 * output still reaches stdout while the guest sits at a prompt.
 */
    .section .text.start
    .globl _start
_start:
    li t0, 0x10000000           /* UART THR */
    la t1, msg
1:  lbu t2, 0(t1)
    beqz t2, 2f
    sb t2, 0(t0)
    addi t1, t1, 1
    j 1b
2:  csrw mie, zero
3:  wfi
    j 3b

    .section .rodata
msg:
    .asciz "login: "
