/*
 * An S-mode payload for tests/functional/test-sbi-hsm.sh, started by
 * OpenSBI (fw_dynamic) at 0x80200000 on the hart that won its boot
 * lottery: it starts every other hart through SBI HSM hart_start at
 * `secondary`, waits until all of them have arrived, then asks for a
 * cold reboot, BOOTS times, and shuts down.  Each boot is a fresh OpenSBI
 * boot, so each replays the first start of harts that OpenSBI's warm-boot
 * path left spinning in sbi_hsm_hart_wait (the IPI that ended their wait
 * for the cold boot is still pending, so their WFI returns at once).
 *
 * OpenSBI 1.1 and 1.2 mark a hart START_PENDING before they store its
 * start address; a spinning hart that gets there in between starts at
 * the address of the cold boot, 0x80200000.  Such a hart is counted and
 * then joins the others (a second claim of the cold entry tells it from
 * the boot hart), so that the run measures that race instead of hanging
 * on it.  Words at 0x80f00000, outside every image, survive the reboots:
 * the boot counter, the arrivals, the entry claim and the count of cold
 * entries.  Position-independent; the test links it at 0x80200000.
 */
#ifndef BOOTS
#define BOOTS 50
#endif
#define NHARTS_MAX 8
#define SBI_HSM 0x48534D
#define SBI_SRST 0x53525354

    .globl _start
_start:
    la sp, stack_top
    mv s0, a0                 /* hart id */
    li s1, 0x80f00000         /* +0 boots, +8 arrivals, +16 claim, +24 cold */
    li t0, 1
    addi t1, s1, 16
    amoswap.w.aqrl t0, t0, (t1)
    bnez t0, cold_twice
    li t0, 0x5a5a0000
    lw t1, 0(s1)
    srli t2, t1, 16
    slli t2, t2, 16
    beq t2, t0, 1f
    mv t1, t0
1:  addi t1, t1, 1
    sw t1, 0(s1)
    li t0, 0xffff
    and s2, t1, t0            /* this boot's number, from 1 */
    sw zero, 8(s1)
    fence rw, rw
    /* Start every hart that SBI says is stopped; s3 counts them. */
    li s3, 0
    li s4, 0
2:  beq s4, s0, 3f
    mv a0, s4
    li a6, 2                  /* hart_get_status */
    li a7, SBI_HSM
    ecall
    bnez a0, 3f               /* no such hart */
    li t0, 1                  /* STOPPED */
    bne a1, t0, 3f
    mv a0, s4
    la a1, secondary
    mv a2, s2                 /* opaque: the boot number */
    li a6, 0                  /* hart_start */
    li a7, SBI_HSM
    ecall
    bnez a0, start_failed
    addi s3, s3, 1
3:  addi s4, s4, 1
    li t0, NHARTS_MAX
    bltu s4, t0, 2b
    /* Wait until each has arrived (a hart that never does hangs the
       test, which then names the boot from the output). */
4:  lw t0, 8(s1)
    bne t0, s3, 4b
    li t0, BOOTS
    bgeu s2, t0, 5f
    li a0, '.'
    call putc
    sw zero, 16(s1)           /* the next boot's entry claim */
    fence rw, rw
    li a0, 1                  /* cold reboot */
    j reset
5:  la a0, msg_done
    call puts
    mv a0, s2
    call putnum
    la a0, msg_done2
    call puts
    mv a0, s3
    call putnum
    la a0, msg_done3
    call puts
    lw a0, 24(s1)
    call putnum
    li a0, '\n'
    call putc
    sw zero, 0(s1)            /* the next run counts from 1 again */
    sw zero, 16(s1)
    sw zero, 24(s1)
    li a0, 0                  /* shutdown */
reset:
    li a1, 0
    li a6, 0
    li a7, SBI_SRST
    ecall
    j .

/* A started hart: a0 = hart id, a1 = the boot number. */
secondary:
    li s1, 0x80f00000
    lw t0, 0(s1)
    li t1, 0xffff
    and t0, t0, t1
    bne t0, a1, wrong_boot
arrive:
    li t0, 1
    addi t1, s1, 8
    amoadd.w.aqrl zero, t0, (t1)
1:  wfi
    j 1b

/* A hart started at the cold-boot address (OpenSBI's race, above). */
cold_twice:
    li s1, 0x80f00000
    li t0, 1
    addi t1, s1, 24
    amoadd.w.aqrl zero, t0, (t1)
    j arrive
start_failed:
    la a0, msg_start
    j fail
wrong_boot:
    la a0, msg_boot
fail:
    la sp, fail_stack_top     /* the boot hart's stack may be in use */
    call puts
    sw zero, 0(s1)
    sw zero, 16(s1)
    li a0, 0
    li a1, 1                  /* system failure */
    li a6, 0
    li a7, SBI_SRST
    ecall
    j .

putc:
    li a7, 1                  /* legacy console_putchar */
    ecall
    ret
puts:
    addi sp, sp, -16
    sd ra, 0(sp)
    sd s5, 8(sp)
    mv s5, a0
1:  lbu a0, 0(s5)
    beqz a0, 2f
    call putc
    addi s5, s5, 1
    j 1b
2:  ld ra, 0(sp)
    ld s5, 8(sp)
    addi sp, sp, 16
    ret
/* Prints a0 in decimal. */
putnum:
    addi sp, sp, -48
    sd ra, 0(sp)
    addi t3, sp, 40
    sb zero, 0(t3)
    li t4, 10
1:  remu t5, a0, t4
    divu a0, a0, t4
    addi t5, t5, '0'
    addi t3, t3, -1
    sb t5, 0(t3)
    bnez a0, 1b
    mv a0, t3
    call puts
    ld ra, 0(sp)
    addi sp, sp, 48
    ret

    .section .rodata
msg_done:  .string "\nboots: "
msg_done2: .string ", harts started in the last: "
msg_done3: .string ", starts at the cold-boot address: "
msg_start: .string "\nFAIL: SBI hart_start returned an error\n"
msg_boot:  .string "\nFAIL: a hart arrived with another boot's number\n"
    .bss
    .balign 16
    .space 4096
stack_top:
    .space 1024
fail_stack_top:
