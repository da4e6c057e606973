/*
 * Start-up and trap entry for the bare-metal RISC-V guest tests.
 *
 * _start runs in M-mode at 0x80000000 (virt, -bios none): it parks every hart
 * but hart 0 (start_hart() in lib.c wakes another hart to run a function on
 * its own stack, with interrupts and traps off), sets up gp, sp and mtvec,
 * clears .bss, calls main() and turns main's return value into a SiFive test-finisher exit (0 -> pass, n -> exit
 * status n).  trap_entry saves the whole integer register file in a struct
 * trap_frame on the current stack and calls trap_handler() (lib.c), which may
 * edit the frame (registers and mepc) before it is restored and mret resumes.
 * run_user() calls a function in U-mode and comes back to M-mode when the
 * function returns (through the ecall at user_exit_ecall, which lib.c
 * recognises by its address).
 */
#include "lib.h"

    .section .text.init, "ax", @progbits
    .globl _start
_start:
    bnez    a0, park                /* a0 = hartid */
    .option push
    .option norelax
    la      gp, __global_pointer$
    .option pop
    la      sp, __stack_top
    la      t0, trap_entry
    csrw    mtvec, t0
    la      t0, __bss_start
    la      t1, __bss_end
1:  bgeu    t0, t1, 2f
    sd      zero, 0(t0)
    addi    t0, t0, 8
    j       1b
2:  call    main
    tail    test_exit
park:
    /* A software interrupt (CLINT msip) ends the wfi; mstatus.MIE stays 0,
       so no trap is taken. */
    li      t0, 8                   /* mie.MSIE */
    csrw    mie, t0
1:  wfi
    li      t0, MAX_HARTS
    bgeu    a0, t0, 1b              /* harts past MAX_HARTS stay parked */
    .option push
    .option norelax                 /* gp is not set up yet */
    la      t0, hart_entry
    .option pop
    slli    t2, a0, 3
    add     t0, t0, t2
    ld      t1, 0(t0)
    beqz    t1, 1b
    .option push
    .option norelax
    la      gp, __global_pointer$
    .option pop
    .option push
    .option norelax
    la      sp, hart_stacks         /* 8 KiB each, hart N's ends at (N+1)*8K */
    .option pop
    addi    t2, a0, 1
    slli    t2, t2, 13
    add     sp, sp, t2
    jalr    t1
    csrw    mie, zero
2:  wfi
    j       2b

    .text
    .balign 4
    .globl trap_entry
trap_entry:
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
    sd      x18, 18*8(sp)
    sd      x19, 19*8(sp)
    sd      x20, 20*8(sp)
    sd      x21, 21*8(sp)
    sd      x22, 22*8(sp)
    sd      x23, 23*8(sp)
    sd      x24, 24*8(sp)
    sd      x25, 25*8(sp)
    sd      x26, 26*8(sp)
    sd      x27, 27*8(sp)
    sd      x28, 28*8(sp)
    sd      x29, 29*8(sp)
    sd      x30, 30*8(sp)
    sd      x31, 31*8(sp)
    addi    t0, sp, TRAP_FRAME_SIZE
    sd      t0, 2*8(sp)
    sd      zero, 0(sp)
    csrr    t0, mepc
    sd      t0, 32*8(sp)
    .option push
    .option norelax
    la      gp, __global_pointer$
    .option pop
    mv      a0, sp
    call    trap_handler
    ld      t0, 32*8(sp)
    csrw    mepc, t0
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
    ld      x18, 18*8(sp)
    ld      x19, 19*8(sp)
    ld      x20, 20*8(sp)
    ld      x21, 21*8(sp)
    ld      x22, 22*8(sp)
    ld      x23, 23*8(sp)
    ld      x24, 24*8(sp)
    ld      x25, 25*8(sp)
    ld      x26, 26*8(sp)
    ld      x27, 27*8(sp)
    ld      x28, 28*8(sp)
    ld      x29, 29*8(sp)
    ld      x30, 30*8(sp)
    ld      x31, 31*8(sp)
    ld      x2, 2*8(sp)
    mret

/* long run_user(long (*fn)(long), long arg): call fn(arg) in U-mode. */
    .globl run_user
run_user:
    la      t0, user_save
    sd      ra, 0*8(t0)
    sd      sp, 1*8(t0)
    sd      gp, 2*8(t0)
    sd      tp, 3*8(t0)
    sd      s0, 4*8(t0)
    sd      s1, 5*8(t0)
    sd      s2, 6*8(t0)
    sd      s3, 7*8(t0)
    sd      s4, 8*8(t0)
    sd      s5, 9*8(t0)
    sd      s6, 10*8(t0)
    sd      s7, 11*8(t0)
    sd      s8, 12*8(t0)
    sd      s9, 13*8(t0)
    sd      s10, 14*8(t0)
    sd      s11, 15*8(t0)
    /*
     * U-mode accesses that match no PMP entry fail, so open one NAPOT entry
     * over the whole address space (R, W, X).
     */
    li      t1, -1
    csrw    pmpaddr0, t1
    li      t1, 0x1f
    csrw    pmpcfg0, t1
    csrw    mepc, a0
    li      t1, 0x1800              /* mstatus.MPP = 0 (U) */
    csrc    mstatus, t1
    li      t1, 1
    sw      t1, in_user_run, t2
    mv      a0, a1
    la      ra, user_exit_stub
    mret

    .globl user_exit_stub
user_exit_stub:
    .globl user_exit_ecall
user_exit_ecall:
    ecall
1:  j       1b

    /* trap_handler() resumes here in M-mode, a0 = fn's return value. */
    .globl user_return_m
user_return_m:
    sw      zero, in_user_run, t1
    la      t0, user_save
    ld      ra, 0*8(t0)
    ld      sp, 1*8(t0)
    ld      gp, 2*8(t0)
    ld      tp, 3*8(t0)
    ld      s0, 4*8(t0)
    ld      s1, 5*8(t0)
    ld      s2, 6*8(t0)
    ld      s3, 7*8(t0)
    ld      s4, 8*8(t0)
    ld      s5, 9*8(t0)
    ld      s6, 10*8(t0)
    ld      s7, 11*8(t0)
    ld      s8, 12*8(t0)
    ld      s9, 13*8(t0)
    ld      s10, 14*8(t0)
    ld      s11, 15*8(t0)
    ret

    .bss
    .balign 8
user_save:
    .space 16*8
