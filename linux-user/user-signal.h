/*
 * Guest signals in Linux user mode: what the CPU loop, the signal
 * syscalls and a guest architecture's frame code (linux-user/<arch>/
 * signal.c) share.  Host signals that concern the guest are caught by
 * signal.c, recorded as pending (per guest thread, or for the process)
 * and the CPU is kicked out of generated code; the CPU loop then calls
 * user_signal_deliver at that boundary, after every syscall and after
 * every synchronous signal, which runs the default action or builds the
 * guest's signal frame through the UserTarget hooks.
 *
 *   user_signal_thread_start(cpu);           (top of the CPU loop)
 *   for (;;) {
 *       trap = cpu_exec(cpu);
 *       ... ecall: ret = do_syscall(...);
 *           if (ret == -TARGET_ERESTARTSYS) pc -= 4 (ecall again);
 *           else if (ret != -TARGET_ESIGRETURN) a0 = ret;
 *       ... fault: user_signal_sync(cpu, SIGSEGV, SEGV_MAPERR, addr);
 *       user_signal_deliver(cpu);
 *   }
 */
#ifndef MIMIC_USER_SIGNAL_H
#define MIMIC_USER_SIGNAL_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#include "mimic/cpu.h"
#include "linux-user/syscall.h"

/* do_syscall's answers that are no result: restart the syscall (back to
   its ecall, its argument registers untouched; the kernel's ERESTARTSYS),
   and "the registers were replaced, write no result" (rt_sigreturn). */
#define TARGET_ERESTARTSYS 512
#define TARGET_ESIGRETURN 4097

/* The guest's siginfo_t: 128 bytes, laid out as asm-generic's (riscv64
   and the x86-64 host agree, so a host siginfo is copied as it is). */
typedef struct TargetSiginfo {
    int32_t si_signo;
    int32_t si_errno;
    int32_t si_code;
    int32_t pad;
    union {
        uint64_t addr;              /* SIGSEGV, SIGBUS, SIGILL, ... */
        struct {
            int32_t pid;
            uint32_t uid;
        } kill;
        uint8_t raw[112];
    } u;
} TargetSiginfo;

/* The guest's stack_t (sigaltstack, uc_stack). */
typedef struct TargetStack {
    uint64_t ss_sp;
    int32_t ss_flags;
    int32_t pad;
    uint64_t ss_size;
} TargetStack;

_Static_assert(sizeof(TargetSiginfo) == 128, "siginfo");
_Static_assert(sizeof(TargetStack) == 24, "stack_t");

#define TARGET_SS_ONSTACK 1
#define TARGET_SS_DISABLE 2
#define TARGET_SS_AUTODISARM (1u << 31)

/* The guest address of the sigreturn trampoline (signal.c maps it at
   start-up with the target's sigreturn_code); handlers return there. */
extern uint64_t user_sigtramp;

/* The host signal that carries guest signal sig (0: none, see signal.c:
   a real-time signal beyond the host's last free one), the guest signal
   a host one carries (0: none, e.g. glibc's own), and a guest sigset as
   the host's (bit sig - 1; the signals with no host one left out). */
int user_host_signal(int sig);
int user_guest_signal(int host_sig);
uint64_t user_host_sigmask(uint64_t mask);
/* Non-zero once the host handler queued a signal on the calling thread,
   until user_signal_deliver looks at the queues. */
extern __thread int user_signal_pending;

/* Installs the host handlers (faults; the signals the guest may get).
   Call once, before the guest runs. */
void user_signal_init(void);
/* The CPU the calling host thread runs (the host handlers kick it); the
   first call also maps the sigreturn trampoline (after the program was
   loaded, so that it takes no address the program wants). */
void user_signal_thread_start(CPUState *cpu);

/* Delivers the pending signals the guest does not block: default
   actions, or a frame per signal for the guest's handlers. */
void user_signal_deliver(CPUState *cpu);
/* A synchronous signal (a fault, an illegal insn) at the current pc:
   fatal if blocked or ignored, as Linux forces it; else delivered now. */
void user_signal_sync(CPUState *cpu, int sig, int code, uint64_t addr);
/* cpu_exec returned EXCP_DEBUG (a breakpoint or single-step of gdb's),
   or a step over a syscall ended: a SIGTRAP that gdb sees first and
   normally drops. */
void user_signal_debug(CPUState *cpu);
/* rt_sigreturn: the registers, mask and alternate stack from the frame
   at sp; a bad frame is the guest's SIGSEGV.  Returns -TARGET_ESIGRETURN. */
int64_t user_signal_return(void);

/* A syscall answered -EINTR because a host signal came: -EINTR, or
   -TARGET_ERESTARTSYS if Linux would restart it (no handler runs, or the
   handler has SA_RESTART and restartable says the syscall may be). */
int64_t user_signal_interrupted(bool restartable);

/* A syscall that Linux resumes by itself unless a handler runs (a
   relative sleep) was interrupted: drops the pending ignored signals and
   says whether one is left that runs a handler or ends the process (the
   syscall must return EINTR) rather than none (it may go on). */
bool user_signal_must_return(void);

/* The bookkeeping of the signal syscalls (syscall-signal.c). */
/* Sets the action of sig (1..TARGET_NSIG, not SIGKILL/SIGSTOP), with
   the host's action to match; *old gets the previous one. */
void user_set_sigaction(int sig, const TargetSigaction *new,
                        TargetSigaction *old);
/* Sets the calling thread's blocked set (SIGKILL and SIGSTOP stay
   unblocked). */
void user_set_sigmask(uint64_t mask);
/* Pending signals of the thread and of the process. */
uint64_t user_sigpending(void);
/* rt_sigsuspend: waits with mask until a signal that runs a handler or
   ends the process is pending; the old mask comes back after delivery. */
void user_sigsuspend(uint64_t mask);
/* A host syscall that waits (ppoll, pselect6...) without missing a host
   signal: with the guest's mask set to *mask meanwhile (if mask), it
   returns -EINTR at once if a signal is deliverable, else runs
   call(arg, host_mask), which must pass host_mask to the host syscall
   (the host's mask with the caught signals unblocked: they are blocked
   until then).  Returns call's result (-errno). */
int64_t user_signal_wait_call(const uint64_t *mask,
                              int64_t (*call)(void *arg,
                                              const sigset_t *host_mask),
                              void *arg);
/* rt_sigtimedwait: takes a pending signal of set (waits at most timeout_ns
   if >= 0): its number and *info, or -EAGAIN on timeout. */
int user_sigwait(uint64_t set, int64_t timeout_ns, TargetSiginfo *info);
/* The calling thread's guest stack pointer. */
uint64_t user_signal_guest_sp(void);
/* sigaltstack on the calling thread, with sp the guest's stack pointer:
   0 or -EPERM, -EINVAL, -ENOMEM as Linux (new may be NULL). */
int user_sigaltstack(const TargetStack *new, TargetStack *old, uint64_t sp);

#endif
