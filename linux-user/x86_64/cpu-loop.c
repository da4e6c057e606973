/*
 * x86_64 Linux processes: the registers a process starts with, and what
 * linux-user's CPU loop (user_cpu_loop) asks of the target: turning the
 * CPU's exceptions into syscalls (SYSCALL: rax
 * the number, rdi rsi rdx r10 r8 r9 the arguments, rax the result; rcx
 * and r11 get rip and rflags as the CPU's SYSCALL leaves them; a
 * restarted syscall runs its SYSCALL again) and synchronous signals with
 * the si_code Linux gives (linux-user/user-signal.h).
 */
#define _GNU_SOURCE   /* TRAP_BRKPT */
#include <inttypes.h>
#include <signal.h>

#include "mimic/gdbstub.h"
#include "mimic/log.h"

#include "../syscall.h"
#include "../user-target.h"
#include "target/x86/cpu.h"
#include "target-signal.h"

static void x86_64_init_regs(CPUState *cs, const ImageInfo *image)
{
    CPUX86State *env = &X86_CPU(cs)->env;

    env->rip = image->entry;
    env->regs[R_ESP] = image->stack_pointer;
    /* rdx: the ABI's function for atexit, none (0). */
    env->regs[R_EDX] = 0;
}

/* rip is already past the SYSCALL, in both. */
static void x86_64_clone_regs(CPUState *child, const CPUState *parent,
                              uint64_t newsp, bool set_tls, uint64_t tls)
{
    CPUX86State *env = &X86_CPU(child)->env;

    if (child != parent)
        *env = X86_CPU((CPUState *)parent)->env;
    if (newsp)
        env->regs[R_ESP] = newsp;
    if (set_tls)
        env->fs_base = tls;
    env->regs[R_EAX] = 0;
    cpu_update_tb_flags(child);
}

static void x86_64_syscall(CPUX86State *env)
{
    int64_t ret;

    /* What the CPU's SYSCALL does before the kernel runs: a handler's
       frame, and rt_sigreturn's registers, see them so. */
    env->regs[R_ECX] = env->rip;
    env->regs[R_R11] = x86_get_eflags(env);
    ret = do_syscall((int)env->regs[R_EAX], env->regs[R_EDI],
                     env->regs[R_ESI], env->regs[R_EDX], env->regs[R_R10],
                     env->regs[R_R8], env->regs[R_R9]);
    if (ret == -TARGET_ERESTARTSYS)
        env->rip -= 2;          /* the SYSCALL (0F 05) again, rax intact */
    else if (ret != -TARGET_ESIGRETURN)
        env->regs[R_EAX] = (uint64_t)ret;
}

/* The si_code of an x87 #MF, as Linux picks it from the unmasked
   exceptions pending in the status word. */
static int x87_fpe_code(const CPUX86State *env)
{
    unsigned err = x87_status_word(env) & ~env->fpcw & 0x3f;

    if (err & 0x01)
        return FPE_FLTINV;
    if (err & 0x04)
        return FPE_FLTDIV;
    if (err & 0x08)
        return FPE_FLTOVF;
    if (err & 0x12)
        return FPE_FLTUND;
    if (err & 0x20)
        return FPE_FLTRES;
    return 0;
}

/* The si_code of an SSE exception (#XM): the first unmasked flag in
   the order Linux tests them (invalid, divide by zero, overflow,
   underflow or denormal, precision). */
static int x86_64_simd_fpe_code(uint32_t mxcsr)
{
    uint32_t err = mxcsr & ~(mxcsr >> X86_MXCSR_MASK_SHIFT) &
                   X86_MXCSR_FLAGS;

    if (err & X86_MXCSR_IE)
        return FPE_FLTINV;
    if (err & X86_MXCSR_ZE)
        return FPE_FLTDIV;
    if (err & X86_MXCSR_OE)
        return FPE_FLTOVF;
    if (err & (X86_MXCSR_UE | X86_MXCSR_DE))
        return FPE_FLTUND;
    if (err & X86_MXCSR_PE)
        return FPE_FLTRES;
    return 0;
}

/* The CPU's own exceptions, as Linux turns them into signals. */
static bool x86_64_handle_trap(CPUState *cs, int trap)
{
    CPUX86State *env = &X86_CPU(cs)->env;

    switch (trap) {
    case X86_EXCP_SYSCALL:
        x86_64_syscall(env);
        if (cs->singlestep)
            user_signal_debug(cs);
        return true;
    case X86_EXCP_DE:
        user_signal_sync(cs, SIGFPE, FPE_INTDIV, env->rip);
        return true;
    case X86_EXCP_MF:
        user_signal_sync(cs, SIGFPE, x87_fpe_code(env), env->rip);
        return true;
    case X86_EXCP_UD:
        user_signal_sync(cs, SIGILL, ILL_ILLOPN, env->rip);
        return true;
    case X86_EXCP_GP:
        /* Linux: SIGSEGV with SI_KERNEL and address 0. */
        user_signal_sync(cs, SIGSEGV, SI_KERNEL, 0);
        return true;
    case X86_EXCP_XM:
        user_signal_sync(cs, SIGFPE, x86_64_simd_fpe_code(env->mxcsr),
                         env->rip);
        return true;
    case X86_EXCP_BP:
        /* INT3 is a trap: rip is past it; Linux says SI_KERNEL. */
        user_signal_sync(cs, SIGTRAP, SI_KERNEL, 0);
        return true;
    default:
        return false;
    }
}

static bool x86_64_set_cpu_model(CPUState *cs, const char *model, char **err)
{
    if (!x86_cpu_set_model(X86_CPU(cs), model, err))
        return false;
    cs->ops->reset(cs);
    return true;
}

const UserTarget user_target = {
    .ops = &x86_user_target_ops,
    .info = &x86_64_user_info,
    .init_regs = x86_64_init_regs,
    .handle_trap = x86_64_handle_trap,
    .handle_fault = x86_64_vsyscall,
    .set_cpu_model = x86_64_set_cpu_model,
    .print_cpu_list = x86_cpu_print_list,
    .clone_regs = x86_64_clone_regs,
    .get_sp = x86_64_get_sp,
    .frame_size = X86_64_SIGFRAME_MAX,
    .setup_frame = x86_64_setup_frame,
    .restore_frame = x86_64_restore_frame,
    .sigreturn_code = x86_64_sigreturn_code,
    .sigreturn_code_size = sizeof(x86_64_sigreturn_code),
};
