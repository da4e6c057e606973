/*
 * What linux-user/signal.c reads from (and changes in) an x86-64 host's
 * signal frame: the interrupted pc, the general registers in the host
 * backend's numbering (rax rcx rdx rbx rsp rbp rsi rdi r8-r15, for the
 * pinned guest registers: tcg_pinned_from_host), whether a fault was a
 * write, and the interrupted FP state.
 */
#ifndef LINUX_USER_HOST_SIGNAL_H
#define LINUX_USER_HOST_SIGNAL_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <ucontext.h>

#include "mimic/host-fp.h"

#define HOST_NB_REGS 16

static inline uintptr_t host_signal_pc(const ucontext_t *uc)
{
    return (uintptr_t)uc->uc_mcontext.gregs[REG_RIP];
}

static inline void host_signal_set_pc(ucontext_t *uc, uintptr_t pc)
{
    uc->uc_mcontext.gregs[REG_RIP] = (greg_t)pc;
}

static inline void host_signal_regs(const ucontext_t *uc,
                                    uint64_t regs[HOST_NB_REGS])
{
    static const int greg[HOST_NB_REGS] = {
        REG_RAX, REG_RCX, REG_RDX, REG_RBX, REG_RSP, REG_RBP, REG_RSI,
        REG_RDI, REG_R8,  REG_R9,  REG_R10, REG_R11, REG_R12, REG_R13,
        REG_R14, REG_R15,
    };

    for (int i = 0; i < HOST_NB_REGS; i++)
        regs[i] = (uint64_t)uc->uc_mcontext.gregs[greg[i]];
}

/* The page-fault error code's W bit. */
static inline bool host_signal_write(const ucontext_t *uc)
{
    return (uc->uc_mcontext.gregs[REG_ERR] & 2) != 0;
}

/* The kernel starts a handler with a clean MXCSR: back to the
   interrupted one (its flags are the guest's, not yet folded). */
static inline void host_signal_fp_restore(const ucontext_t *uc)
{
    if (uc->uc_mcontext.fpregs)
        host_fp_restore(uc->uc_mcontext.fpregs->mxcsr);
}

#endif
