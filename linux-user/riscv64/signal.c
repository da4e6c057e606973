/*
 * riscv64 Linux's signal frame (the 6.1 kernel's arch/riscv/kernel/
 * signal.c, uapi asm/ucontext.h and asm/sigcontext.h): struct
 * rt_sigframe { siginfo; ucontext } at a 16-byte aligned sp, the handler
 * called with a0 = signo, a1 = &siginfo, a2 = &ucontext and ra at the
 * sigreturn trampoline (the kernel's is the vDSO's __vdso_rt_sigreturn;
 * Mimic maps a page with the same two insns).  The frame is built in a
 * host buffer and copied to the guest in one checked copy, so a bad
 * stack leaves the guest's registers untouched.
 */
#include <string.h>

#include "../syscall-internal.h"
#include "../user-target.h"
#include "target/riscv/cpu.h"
#include "target-signal.h"

/* Offsets in struct rt_sigframe. */
enum {
    FRAME_INFO = 0,
    FRAME_UC = 128,
    /* struct ucontext */
    UC_FLAGS = FRAME_UC + 0,
    UC_LINK = FRAME_UC + 8,
    UC_STACK = FRAME_UC + 16,           /* stack_t: sp, flags, size */
    UC_SIGMASK = FRAME_UC + 40,         /* then 120 bytes for growth */
    UC_MCONTEXT = FRAME_UC + 176,       /* aligned to 16 (the q union) */
    /* struct sigcontext: user_regs_struct (pc, then x1..x31) ... */
    SC_REGS = UC_MCONTEXT,
    /* ... and union __riscv_fp_state: d is f[32] then fcsr; q's
       reserved[3] (after q.f[64] and q.fcsr) must be zero. */
    SC_FP = UC_MCONTEXT + 32 * 8,
    SC_FCSR = SC_FP + 32 * 8,
    SC_FP_RESERVED = SC_FP + 64 * 8 + 4,
    FRAME_SIZE = SC_FP + 528,
};

_Static_assert(FRAME_SIZE == RISCV64_SIGFRAME_SIZE, "riscv64 rt_sigframe");

static void put64(uint8_t *b, unsigned off, uint64_t v)
{
    memcpy(b + off, &v, 8);
}

static uint64_t get64(const uint8_t *b, unsigned off)
{
    uint64_t v;

    memcpy(&v, b + off, 8);
    return v;
}

uint64_t riscv64_get_sp(CPUState *cs)
{
    return RISCV_CPU(cs)->env.gpr[2];
}

bool riscv64_setup_frame(CPUState *cs, const TargetSiginfo *info,
                                const TargetSigaction *ka, uint64_t sp,
                                const TargetStack *uc_stack, uint64_t mask)
{
    CPURISCVState *env = &RISCV_CPU(cs)->env;
    uint64_t frame = (sp - FRAME_SIZE) & ~15ull;
    uint8_t b[FRAME_SIZE];
    uint32_t fcsr = env->fcsr;

    memset(b, 0, sizeof(b));
    memcpy(b + FRAME_INFO, info, sizeof(*info));
    memcpy(b + UC_STACK, uc_stack, sizeof(*uc_stack));
    put64(b, UC_SIGMASK, mask);
    put64(b, SC_REGS, env->pc);
    for (int i = 1; i < 32; i++)
        put64(b, SC_REGS + 8 * i, env->gpr[i]);
    for (int i = 0; i < 32; i++)
        put64(b, SC_FP + 8 * i, env->fpr[i]);
    memcpy(b + SC_FCSR, &fcsr, 4);
    if (frame > sp || !copy_to_guest(frame, b, sizeof(b)))
        return false;
    env->gpr[1] = user_sigtramp;            /* ra */
    env->gpr[2] = frame;                    /* sp */
    env->gpr[10] = (uint64_t)info->si_signo;
    env->gpr[11] = frame + FRAME_INFO;
    env->gpr[12] = frame + FRAME_UC;
    env->pc = ka->handler;
    return true;
}

bool riscv64_restore_frame(CPUState *cs, uint64_t *mask,
                                  TargetStack *uc_stack)
{
    CPURISCVState *env = &RISCV_CPU(cs)->env;
    uint8_t b[FRAME_SIZE];
    uint32_t fcsr, reserved[3];

    if (!copy_from_guest(b, env->gpr[2], sizeof(b)))
        return false;
    memcpy(reserved, b + SC_FP_RESERVED, sizeof(reserved));
    if (reserved[0] | reserved[1] | reserved[2])
        return false;
    *mask = get64(b, UC_SIGMASK);
    memcpy(uc_stack, b + UC_STACK, sizeof(*uc_stack));
    env->pc = get64(b, SC_REGS);
    for (int i = 1; i < 32; i++)
        env->gpr[i] = get64(b, SC_REGS + 8 * i);
    for (int i = 0; i < 32; i++)
        env->fpr[i] = get64(b, SC_FP + 8 * i);
    memcpy(&fcsr, b + SC_FCSR, 4);
    env->fcsr = fcsr & 0xff;
    /* The TB flags say whether frm is RNE. */
    cpu_update_tb_flags(cs);
    return true;
}

/* li a7, 139 (rt_sigreturn); ecall */
const uint32_t riscv64_sigreturn_code[2] = { 0x08b00893, 0x00000073 };
