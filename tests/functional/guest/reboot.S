/*
 * A guest that reboots once, for tests/functional/test-reset.sh.  RAM
 * survives a system reset but the boot image is reloaded, so a counter in
 * RAM outside the image tells the boots apart; the copy of the counter in
 * .data (part of the image) must read 0 at every boot, which shows that
 * the image was reloaded.  Boot 1 prints "boot 1", dirties .data and asks
 * for a reset (0x7777); boot 2 prints "boot 2" and powers off, or exits
 * with status 1 if .data still holds what boot 1 wrote.  The counter
 * starts at the magic value, as RAM holds zeros at power-on.
 */
    .section .text.start
    .globl _start
_start:
    li s0, 0x10000000       /* UART */
    li s1, 0x80100000       /* boot counter, outside the image */
    li t0, 0x5a5a0000
    lw t1, 0(s1)
    srli t2, t1, 16
    slli t2, t2, 16
    beq t2, t0, 1f
    mv t1, t0               /* power-on: RAM is zero */
1:  addi t1, t1, 1
    sw t1, 0(s1)
    andi s2, t1, 0xff       /* boot number */
    la a0, msg
    call puts
    addi a0, s2, '0'
    sb a0, 0(s0)
    li a0, '\n'
    sb a0, 0(s0)
    la t0, image_word
    lw t1, 0(t0)
    li t2, 0x100000         /* finisher */
    bnez t1, fail           /* .data was not reloaded */
    li t3, 2
    beq s2, t3, done
    li t1, 1
    sw t1, 0(t0)            /* dirty the image */
    li t1, 0x7777
    sw t1, 0(t2)
2:  j 2b
done:
    li t1, 0x5555
    sw t1, 0(t2)
    j 2b
fail:
    li t1, 0x13333
    sw t1, 0(t2)
    j 2b

puts:
    lbu t0, 0(a0)
    beqz t0, 1f
    sb t0, 0(s0)
    addi a0, a0, 1
    j puts
1:  ret

    .section .rodata
msg:
    .string "boot "

    .data
    .balign 4
image_word:
    .word 0
