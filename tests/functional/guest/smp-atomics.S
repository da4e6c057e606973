/*
 * Four harts hammer shared memory, for tests/functional/test-smp.sh (run
 * with -smp 4).  They meet at a spinning barrier, then each adds ITERS to
 * three counters: with LR/SC retry loops, with amoadd, and under a spinlock
 * (amoswap) around a plain load/add/store.  Hart 0 waits for the others
 * and exits through the SiFive test finisher with 0 if every counter is
 * 4 * ITERS, else 1.  Under round-robin scheduling the spinning harts must
 * not starve the others, and an LR whose hart was switched out must not
 * let a stale SC succeed.  Harts 4 and up park.
 */
#define NHARTS 4
#define ITERS 20000
#define FINISHER 0x100000

    .section .text.start
    .globl _start
_start:
    csrr s0, mhartid
    li t0, NHARTS
    bgeu s0, t0, park
    la t0, fail
    csrw mtvec, t0

    /* Barrier: everyone arrives before anyone counts. */
    la s1, arrive
    li t0, 1
    amoadd.w zero, t0, (s1)
1:  lw t1, 0(s1)
    li t2, NHARTS
    bne t1, t2, 1b

    /* LR/SC and AMO increments. */
    la s2, counter_lrsc
    la s4, counter_amo
    li s3, ITERS
2:  lr.w t0, (s2)
    addi t0, t0, 1
    sc.w t1, t0, (s2)
    bnez t1, 2b
    li t0, 1
    amoadd.w zero, t0, (s4)
    addi s3, s3, -1
    bnez s3, 2b

    /* A spinlock around a non-atomic increment. */
    la s5, lock
    la s6, counter_lock
    li s3, ITERS
3:  li t0, 1
4:  amoswap.w.aq t1, t0, (s5)
    bnez t1, 4b
    ld t2, 0(s6)
    addi t2, t2, 1
    sd t2, 0(s6)
    amoswap.w.rl zero, zero, (s5)
    addi s3, s3, -1
    bnez s3, 3b

    la t0, done
    li t1, 1
    amoadd.w zero, t1, (t0)
    bnez s0, park

    /* Hart 0: wait for the others, then check. */
5:  lw t1, 0(t0)
    li t2, NHARTS
    bne t1, t2, 5b
    li t3, NHARTS * ITERS
    lw t1, 0(s2)
    bne t1, t3, fail
    lw t1, 0(s4)
    bne t1, t3, fail
    ld t1, 0(s6)
    bne t1, t3, fail
    li t0, FINISHER
    li t1, 0x5555
    sw t1, 0(t0)
park:
    wfi
    j park

fail:
    li t0, FINISHER
    li t1, 0x13333
    sw t1, 0(t0)
    j fail

    .data
    .balign 64
arrive:       .word 0
    .balign 64
done:         .word 0
    .balign 64
counter_lrsc: .word 0
    .balign 64
counter_amo:  .word 0
    .balign 64
lock:         .word 0
    .balign 64
counter_lock: .dword 0
