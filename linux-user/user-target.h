/*
 * What linux-user's generic part (main.c, signal.c) needs from the guest
 * architecture: its CPU's TargetOps for user mode, its ABI numbers, how a
 * process starts (registers from the loaded image) and its CPU loop, which
 * turns the exceptions cpu_exec returns into syscalls and signals.  Each
 * linux-user/<arch>/ defines user_target; a mimic-<arch> binary links one.
 */
#ifndef LINUX_USER_TARGET_H
#define LINUX_USER_TARGET_H

#include "mimic/cpu.h"
#include "user-internal.h"
#include "user-signal.h"

typedef struct UserTarget {
    const TargetOps *ops;
    const TargetUserInfo *info;
    /* Sets the registers a new process starts with. */
    void (*init_regs)(CPUState *cpu, const ImageInfo *image);
    /* Turns what cpu_exec returned into a syscall or a signal: the
       guest's own exceptions (a syscall insn, an illegal insn, a divide
       error...); false for one it does not know.  user_cpu_loop handles
       the rest (host faults on guest memory, debug stops, interrupts). */
    bool (*handle_trap)(CPUState *cpu, int trap);
    /* A guest fault (cpu->user_fault) the architecture's Linux handles
       itself (x86-64's vsyscall page: a call there is a fetch fault);
       true if handled, false (or NULL) for the common signal. */
    bool (*handle_fault)(CPUState *cpu);
    /* -cpu MODEL[,PROP=VALUE...]: false with *err if it is not one. */
    bool (*set_cpu_model)(CPUState *cpu, const char *model, char **err);
    /* -cpu help. */
    void (*print_cpu_list)(FILE *f);
    /* After clone: child gets parent's registers (child may be parent:
       a fork child), returns 0 from the syscall, and runs on newsp (if
       not 0) with tls as its thread pointer (if set_tls). */
    void (*clone_regs)(CPUState *child, const CPUState *parent,
                       uint64_t newsp, bool set_tls, uint64_t tls);

    /* Signals, as the architecture's Linux lays out its frame. */
    uint64_t (*get_sp)(CPUState *cpu);
    unsigned frame_size;                /* bytes of the signal frame */
    /* Writes the frame for a handler of ka below sp (the stack chosen
       already), saving the registers, uc_stack and the mask to restore,
       and points the registers at the handler returning to
       user_sigtramp; false if the frame cannot be written. */
    bool (*setup_frame)(CPUState *cpu, const TargetSiginfo *info,
                        const TargetSigaction *ka, uint64_t sp,
                        const TargetStack *uc_stack, uint64_t mask);
    /* rt_sigreturn: restores the registers from the frame at sp and gives
       its mask and uc_stack; false (nothing changed) for a bad frame. */
    bool (*restore_frame)(CPUState *cpu, uint64_t *mask,
                          TargetStack *uc_stack);
    /* The trampoline handlers return to: rt_sigreturn's syscall. */
    const uint32_t *sigreturn_code;
    unsigned sigreturn_code_size;       /* bytes */
} UserTarget;

extern const UserTarget user_target;

/* Registers the first guest thread's CPU and the target whose CPU loop
   and clone_regs new threads use (syscall-thread.c); main.c calls it
   before the guest runs. */
void user_thread_init(CPUState *cpu, const UserTarget *t);
/* The calling guest thread's CPU, for syscalls that change its registers
   (x86-64's arch_prctl); NULL outside a guest thread. */
CPUState *user_thread_cpu(void);

/* Runs the calling thread's guest CPU until the process exits (never
   returns): cpu_exec, then the target's handle_trap or the common
   exceptions, then pending signals, over and over. */
_Noreturn void user_cpu_loop(CPUState *cpu);

/* The default action of a fatal guest signal: say so as QEMU does
   ("uncaught target signal 11 (Segmentation fault) - core dumped") and
   end the process by that signal, so its parent sees it (signal.c). */
_Noreturn void user_force_sig(int sig);

/* user-exec.c: a host SIGSEGV/SIGBUS at host_addr, host pc pc; true if
   handled and the access may be retried, does not return if it became
   the guest's fault, false if it is not the guest's.  host_regs: the
   host's general registers at the fault, by host register number. */
bool user_handle_host_fault(CPUState *cpu, void *host_addr, uintptr_t pc,
                            const uint64_t *host_regs, bool is_write,
                            bool bus);

#endif
