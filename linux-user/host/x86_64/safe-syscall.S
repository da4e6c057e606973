/*
 * The safe syscall stub for an x86-64 host (linux-user/safe-syscall.h):
 * a host syscall that a guest signal cannot slip past.  It looks at the
 * calling thread's "a guest signal is pending" word right before the
 * syscall instruction; the host signal handler, finding the thread's pc
 * in [safe_syscall_start, safe_syscall_end), moves it to
 * safe_syscall_interrupted, so a signal that comes between the look and
 * the instruction is never left waiting for the syscall to end by
 * itself.  One that comes once the syscall sleeps interrupts it (-EINTR:
 * Mimic's handlers have no SA_RESTART).
 *
 *   int64_t safe_syscall_base(int *pending, long nr, long a1, long a2,
 *                             long a3, long a4, long a5, long a6);
 *   returns the kernel's answer (-errno on failure), or
 *   -TARGET_ERESTARTSYS (-512) if a signal was pending: the syscall did
 *   not run.
 *
 * SysV arguments: rdi pending, rsi nr, rdx rcx r8 r9 a1..a4, a5 and a6 on
 * the stack; the kernel's: rax nr, rdi rsi rdx r10 r8 r9.
 */
        .text
        .globl  safe_syscall_base
        .globl  safe_syscall_start
        .globl  safe_syscall_end
        .globl  safe_syscall_interrupted
        .type   safe_syscall_base, @function
        .p2align 4
safe_syscall_base:
        .cfi_startproc
        push    %rbp
        .cfi_adjust_cfa_offset 8
        .cfi_rel_offset %rbp, 0
        mov     %rdi, %rbp              /* pending, kept across the call */
        mov     %rsi, %rax
        mov     %rdx, %rdi
        mov     %rcx, %rsi
        mov     %r8, %rdx
        mov     %r9, %r10
        mov     16(%rsp), %r8
        mov     24(%rsp), %r9
        .cfi_remember_state
safe_syscall_start:
        cmpl    $0, (%rbp)
        jnz     safe_syscall_interrupted
        syscall
safe_syscall_end:
        pop     %rbp
        .cfi_adjust_cfa_offset -8
        .cfi_restore %rbp
        ret
        .cfi_restore_state
safe_syscall_interrupted:
        mov     $-512, %rax             /* -TARGET_ERESTARTSYS */
        pop     %rbp
        .cfi_adjust_cfa_offset -8
        .cfi_restore %rbp
        ret
        .cfi_endproc
        .size   safe_syscall_base, .-safe_syscall_base

        .section .note.GNU-stack, "", @progbits
