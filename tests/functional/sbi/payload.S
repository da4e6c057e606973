/*
 * An S-mode payload for tests/functional/test-opensbi.sh, started by
 * OpenSBI (fw_dynamic, the default firmware) at 0x80200000: it prints
 * through the SBI console, takes a supervisor timer interrupt armed with
 * SBI set_timer (OpenSBI programs the CLINT's mtimecmp and forwards MTIP
 * as STIP), then asks SBI for a cold reboot (OpenSBI writes 0x7777 to the
 * test device) after the first boot and for a shutdown after the second.
 * A counter in RAM outside every boot image tells the boots apart.
 * Position-independent; the test links it at 0x80200000.
 */
    .globl _start
_start:
    la sp, stack_top
    mv s0, a0                 /* hart id */
    li s1, 0x80f00000         /* boot counter, outside every image */
    li t0, 0x5a5a0000
    lw t1, 0(s1)
    srli t2, t1, 16
    slli t2, t2, 16
    beq t2, t0, 1f
    mv t1, t0
1:  addi t1, t1, 1
    sw t1, 0(s1)
    andi s2, t1, 0xff
    la a0, msg_hello
    call puts
    addi a0, s2, '0'
    call putc
    li a0, '\n'
    call putc
    /* Supervisor timer interrupts through SBI set_timer (TIME extension):
       one already due when it is armed (taken before the hart ever gets
       to WFI), then one 10 ms away (taken while it sleeps in WFI). */
    la t0, handler
    csrw stvec, t0
    li t0, 0x20
    csrs sie, t0              /* STIE */
    li a0, 0
    call wait_tick
    la a0, msg_timer_due
    call puts
    li a0, 100000             /* 10 ms */
    call wait_tick
    la a0, msg_timer
    call puts
    /* SBI system reset: reboot after the first boot, then shut down. */
    li a7, 0x53525354
    li a6, 0
    li a0, 1                  /* cold reboot */
    li t0, 2
    bne s2, t0, 3f
    li a0, 0                  /* shutdown */
3:  li a1, 0
    ecall
    j .

/*
 * Arms the timer a0 ticks from now and waits for its interrupt.  The
 * check of `ticks` and the WFI run with SIE clear, so the interrupt
 * cannot come between them (it would find the hart about to sleep with
 * the timer disarmed: a hang whenever the deadline passes before the
 * WFI, e.g. on a loaded host); WFI wakes for a pending STIP whatever SIE
 * is, and the interrupt is taken where SIE is set.
 */
wait_tick:
    la t0, ticks
    sd zero, 0(t0)
    rdtime t0
    add a0, a0, t0
    li a7, 0x54494D45
    li a6, 0
    ecall
1:  la t0, ticks
    ld t0, 0(t0)
    bnez t0, 2f
    wfi
    csrsi sstatus, 2          /* SIE: take it */
    csrci sstatus, 2
    j 1b
2:  ret

    .balign 4                 /* stvec's base: its low bits are the mode */
handler:
    csrr t0, scause
    li t1, 0x8000000000000005
    bne t0, t1, bad
    la t0, ticks
    li t1, 1
    sd t1, 0(t0)
    li a0, -1                 /* no more timer interrupts */
    li a7, 0x54494D45
    li a6, 0
    ecall
    sret
bad:
    la a0, msg_bad
    call puts
    j .

putc:
    li a7, 1                  /* legacy console_putchar */
    ecall
    ret
puts:
    addi sp, sp, -16
    sd ra, 0(sp)
    sd s3, 8(sp)
    mv s3, a0
4:  lbu a0, 0(s3)
    beqz a0, 5f
    call putc
    addi s3, s3, 1
    j 4b
5:  ld ra, 0(sp)
    ld s3, 8(sp)
    addi sp, sp, 16
    ret

    .section .rodata
msg_hello: .string "payload in S-mode, boot "
msg_timer_due: .string "supervisor timer interrupt, due when armed\n"
msg_timer: .string "supervisor timer interrupt\n"
msg_bad:   .string "unexpected trap\n"
    .data
    .balign 8
ticks: .dword 0
    .bss
    .balign 16
    .space 4096
stack_top:
