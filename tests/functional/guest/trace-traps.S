/*
 * Traps, privilege changes and compressed code for
 * tests/functional/test-trace-diff.sh, which traces it under Mimic and
 * QEMU (-d cpu, one insn per TB) and requires identical traces.  M-mode
 * takes an ecall and load/store/fetch access faults, drops to U-mode with
 * mret, U-mode computes with compressed insns and makes "syscalls" that
 * come back to it; the handler counts the traps and checks mcause.  It
 * never copies mstatus, a counter or the time into a register, and uses
 * no ebreak: those differ between the emulators by design (QEMU's mtval
 * is 0 for ebreak, both allowed).  Exits through the SiFive test
 * finisher: 0 on success, 1 if a check failed.
 */
#define UNMAPPED 0x18000000
#define FINISHER 0x100000

    .section .text.start
    .globl _start
_start:
    la t0, handler
    csrw mtvec, t0
    la sp, __stack_top
    li s0, 0                /* traps taken */
    li s1, 0                /* U-mode checksum */

    /* M-mode: ecall (11), load (5), store (7) and fetch (1) faults. */
    li s2, 11
    ecall
    li s2, 5
    li t1, UNMAPPED
    ld t2, 0(t1)
    li s2, 7
    sw t2, 8(t1)
    li s2, 1
    la ra, 1f
    jr t1                   /* the handler returns to ra */
1:  li t0, 4
    bne s0, t0, fail

    /* To U-mode, with PMP entry 0 giving it all memory: MPP = 0. */
    li t0, -1
    csrw pmpaddr0, t0
    li t0, 0x1f             /* NAPOT, R, W, X */
    csrw pmpcfg0, t0
    li t0, 3 << 11
    csrc mstatus, t0
    la t0, user
    csrw mepc, t0
    li s2, 8
    mret

/* U-mode: compressed ALU and memory ops, loops and syscalls. */
user:
    li a0, 10
    li a1, 0
    la a2, buffer
2:  add a1, a1, a0
    sd a1, 0(a2)
    ld a3, 0(a2)
    xor s1, s1, a3
    slli a3, a3, 3
    addi a2, a2, 8
    addi a0, a0, -1
    bnez a0, 2b
    ecall                   /* U syscall: the handler adds a1 to s1 */
    srai a4, s1, 2
    andi a4, a4, 31
    mv a5, a4
    c.addi16sp sp, -32
    sd a5, 8(sp)
    ld a4, 8(sp)
    addi sp, sp, 32
    sub s1, s1, a4
    li s2, 99               /* the last syscall: stop in M-mode */
    ecall
    j fail                  /* never returns */

handler:
    csrr t0, mcause
    addi s0, s0, 1
    li t1, 99
    beq s2, t1, done
    bne t0, s2, fail
    li t1, 1
    beq t0, t1, 3f          /* fetch fault: return to ra */
    li t1, 8
    bne t0, t1, 4f
    add s1, s1, a1          /* U ecall */
4:  csrr t0, mepc
    addi t0, t0, 4
    csrw mepc, t0
    mret
3:  csrw mepc, ra
    mret

done:
    li t1, 8                /* U ecall */
    bne t0, t1, fail
    li t1, 6
    bne s0, t1, fail
    li t0, FINISHER
    li t1, 0x5555
    sw t1, 0(t0)
    j done
fail:
    li t0, FINISHER
    li t1, 0x13333
    sw t1, 0(t0)
    j fail

    .bss
    .balign 8
buffer:
    .space 128
