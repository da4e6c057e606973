/*
 * x86_64's signal frame hooks (signal.c), its vsyscall page (vsyscall.c),
 * its /proc/cpuinfo (cpuinfo.c) and what target-info.c needs of the CPU loop, for the UserTarget of cpu-loop.c: see UserTarget in
 * linux-user/user-target.h.
 */
#ifndef LINUX_USER_X86_64_TARGET_SIGNAL_H
#define LINUX_USER_X86_64_TARGET_SIGNAL_H

#include "../user-target.h"

/* sizeof(struct rt_sigframe): pretcode, ucontext, siginfo. */
#define X86_64_SIGFRAME_SIZE 440
/* The most a signal takes of a stack: the frame, its 512-byte fpstate
   and their alignment (1040, what Linux computes for a CPU without
   XSAVE). */
#define X86_64_SIGFRAME_MAX 1040

uint64_t x86_64_get_sp(CPUState *cs);
bool x86_64_setup_frame(CPUState *cs, const TargetSiginfo *info,
                        const TargetSigaction *ka, uint64_t sp,
                        const TargetStack *uc_stack, uint64_t mask);
bool x86_64_restore_frame(CPUState *cs, uint64_t *mask,
                          TargetStack *uc_stack);
/* mov $15, %eax (rt_sigreturn); syscall; nop.  Handlers return through
   sa_restorer (mandatory on x86-64), so nothing jumps here; it is the
   trampoline page linux-user maps for every guest. */
extern const uint32_t x86_64_sigreturn_code[2];

/* A fetch fault on the vsyscall page (vsyscall.c): Linux's emulated
   call, or its signal; false for any other fault. */
bool x86_64_vsyscall(CPUState *cs);

/* /proc/cpuinfo's entry for processor i, from the CPUID answers of the
   calling thread's CPU (cpuinfo.c). */
void x86_64_cpuinfo_entry(GString *out, long i);

#endif
