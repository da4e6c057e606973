/*
 * The safe syscall stub for an aarch64 host (linux-user/safe-syscall.h;
 * linux-user/host/x86_64/safe-syscall.S says how it works): the calling
 * thread's "a guest signal is pending" word is looked at right before
 * the svc, and the host signal handler moves a pc found in
 * [safe_syscall_start, safe_syscall_end) to safe_syscall_interrupted.
 *
 *   int64_t safe_syscall_base(int *pending, long nr, long a1, long a2,
 *                             long a3, long a4, long a5, long a6);
 *   returns the kernel's answer (-errno on failure), or
 *   -TARGET_ERESTARTSYS (-512) if a signal was pending.
 *
 * AAPCS64 arguments: x0 pending, x1 nr, x2..x7 a1..a6; the kernel's:
 * x8 nr, x0..x5.  x9 and x10 are scratch, so no frame is needed.
 */
        .text
        .globl  safe_syscall_base
        .globl  safe_syscall_start
        .globl  safe_syscall_end
        .globl  safe_syscall_interrupted
        .type   safe_syscall_base, %function
        .p2align 4
safe_syscall_base:
        .cfi_startproc
        mov     x9, x0                  /* pending */
        mov     x8, x1
        mov     x0, x2
        mov     x1, x3
        mov     x2, x4
        mov     x3, x5
        mov     x4, x6
        mov     x5, x7
safe_syscall_start:
        ldr     w10, [x9]
        cbnz    w10, safe_syscall_interrupted
        svc     #0
safe_syscall_end:
        ret
safe_syscall_interrupted:
        mov     x0, #-512               /* -TARGET_ERESTARTSYS */
        ret
        .cfi_endproc
        .size   safe_syscall_base, .-safe_syscall_base

        .section .note.GNU-stack, "", %progbits
