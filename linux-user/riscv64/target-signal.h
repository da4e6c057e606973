/*
 * riscv64's signal frame hooks (signal.c), for the UserTarget of
 * cpu-loop.c: see UserTarget in linux-user/user-target.h.
 */
#ifndef LINUX_USER_RISCV64_TARGET_SIGNAL_H
#define LINUX_USER_RISCV64_TARGET_SIGNAL_H

#include "../user-target.h"

/* sizeof(struct rt_sigframe): siginfo and ucontext. */
#define RISCV64_SIGFRAME_SIZE 1088

uint64_t riscv64_get_sp(CPUState *cs);
bool riscv64_setup_frame(CPUState *cs, const TargetSiginfo *info,
                         const TargetSigaction *ka, uint64_t sp,
                         const TargetStack *uc_stack, uint64_t mask);
bool riscv64_restore_frame(CPUState *cs, uint64_t *mask,
                           TargetStack *uc_stack);
/* The trampoline: li a7, 139; ecall. */
extern const uint32_t riscv64_sigreturn_code[2];

#endif
