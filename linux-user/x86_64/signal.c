/*
 * x86_64 Linux's signal frame (the kernel's arch/x86/kernel/signal_64.c,
 * uapi asm/ucontext.h and asm/sigcontext.h): struct rt_sigframe
 * { pretcode; ucontext; siginfo } below the 128-byte red zone, placed so
 * that rsp + 8 is 16-byte aligned as at a function's entry; the handler
 * runs with rdi = signo, rsi = &siginfo, rdx = &ucontext, rax = 0 and
 * returns to pretcode, the sa_restorer the guest gave (SA_RESTORER is
 * mandatory on x86-64: without it Linux kills the process with
 * SIGSEGV).  Above the frame, 64-byte aligned, is the x87/MMX/SSE state
 * in FXSAVE's 512-byte layout (struct _fpstate_64, target/x86/fxsave.c
 * builds it), which sigcontext's fpstate points at and rt_sigreturn loads
 * back: Linux's frame for a CPU without XSAVE, so there is no XSAVE
 * header and no magic in its sw_reserved bytes (they are zero), and
 * uc_flags has no UC_FP_XSTATE.  The handler starts with the FPU as
 * FNINIT leaves it, every XMM register zero and MXCSR 0x1f80, as Linux's
 * does; an fpstate of 0 in the frame rt_sigreturn reads gives that state
 * too, and one whose MXCSR FXRSTOR would refuse is a bad frame (SIGSEGV).
 * The frame and the fpstate are built in host buffers and copied to the
 * guest in checked copies.
 */
#include <string.h>

#include "../syscall-internal.h"
#include "../user-target.h"
#include "target/x86/cpu.h"
#include "target-signal.h"

/* Offsets in struct rt_sigframe. */
enum {
    FRAME_PRETCODE = 0,
    FRAME_UC = 8,
    UC_FLAGS = FRAME_UC + 0,
    UC_LINK = FRAME_UC + 8,
    UC_STACK = FRAME_UC + 16,           /* stack_t: sp, flags, size */
    UC_MCONTEXT = FRAME_UC + 40,        /* struct sigcontext, 256 bytes */
    /* struct sigcontext: r8..r15, rdi, rsi, rbp, rbx, rdx, rax, rcx,
       rsp, rip, eflags, then cs gs fs ss (16 bits each), err, trapno,
       oldmask, cr2, fpstate, reserved1[8]. */
    SC_R8 = UC_MCONTEXT,
    SC_RIP = UC_MCONTEXT + 16 * 8,
    SC_EFLAGS = SC_RIP + 8,
    SC_SEGS = SC_EFLAGS + 8,
    SC_OLDMASK = SC_SEGS + 8 + 2 * 8,
    SC_FPSTATE = SC_OLDMASK + 2 * 8,
    UC_SIGMASK = UC_MCONTEXT + 256,
    FRAME_INFO = UC_SIGMASK + 8,
    FRAME_SIZE = FRAME_INFO + 128,
};

_Static_assert(FRAME_SIZE == X86_64_SIGFRAME_SIZE, "x86_64 rt_sigframe");

/* uc_flags: the saved ss is meaningful and restored strictly. */
#define UC_SIGCONTEXT_SS 2
#define UC_STRICT_RESTORE_SS 4

/* The order of the general registers in struct sigcontext. */
static const uint8_t sc_regs[16] = {
    R_R8, R_R9, R_R10, R_R11, R_R12, R_R13, R_R14, R_R15,
    R_EDI, R_ESI, R_EBP, R_EBX, R_EDX, R_EAX, R_ECX, R_ESP,
};

/* EFLAGS bits rt_sigreturn takes from the frame (Linux's FIX_EFLAGS:
   the arithmetic flags, TF, DF, AC and RF). */
#define FIX_EFLAGS (X86_CC_MASK | X86_TF | X86_DF | X86_AC | (1u << 16))

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

_Static_assert(FRAME_SIZE + X86_FXSAVE_SIZE + 63 + 15 + 8 <=
               X86_64_SIGFRAME_MAX, "x86_64 frame with its fpstate");

uint64_t x86_64_get_sp(CPUState *cs)
{
    return X86_CPU(cs)->env.regs[R_ESP];
}

bool x86_64_setup_frame(CPUState *cs, const TargetSiginfo *info,
                        const TargetSigaction *ka, uint64_t sp,
                        const TargetStack *uc_stack, uint64_t mask)
{
    CPUX86State *env = &X86_CPU(cs)->env;
    static const uint16_t segs[4] = { 0x33, 0, 0, 0x2b };  /* cs gs fs ss */
    uint8_t b[FRAME_SIZE];
    uint8_t fx[X86_FXSAVE_SIZE];
    uint64_t fpstate, frame;

    if (!(ka->flags & TARGET_SA_RESTORER))
        return false;
    /* The red zone is skipped on the stack the code was running on, not
       at the top of an alternate stack the frame switches to. */
    if (sp == env->regs[R_ESP])
        sp -= 128;
    fpstate = (sp - X86_FXSAVE_SIZE) & ~63ull;
    /* rsp + 8 16-byte aligned, as after a call. */
    frame = ((fpstate - FRAME_SIZE) & ~15ull) - 8;
    memset(b, 0, sizeof(b));
    put64(b, FRAME_PRETCODE, ka->restorer);
    put64(b, UC_FLAGS, UC_SIGCONTEXT_SS | UC_STRICT_RESTORE_SS);
    memcpy(b + UC_STACK, uc_stack, sizeof(*uc_stack));
    for (int i = 0; i < 16; i++)
        put64(b, SC_R8 + 8 * i, env->regs[sc_regs[i]]);
    put64(b, SC_RIP, env->rip);
    put64(b, SC_EFLAGS, x86_get_eflags(env));
    memcpy(b + SC_SEGS, segs, sizeof(segs));
    put64(b, SC_OLDMASK, mask);
    put64(b, SC_FPSTATE, fpstate);
    put64(b, UC_SIGMASK, mask);
    memcpy(b + FRAME_INFO, info, sizeof(*info));
    /* Linux saves with FXSAVE64: 64-bit FIP and FDP. */
    memset(fx, 0, sizeof(fx));
    x86_fxsave_image(env, fx, true);
    if (frame > sp || !copy_to_guest(fpstate, fx, sizeof(fx)) ||
        !copy_to_guest(frame, b, sizeof(b)))
        return false;
    env->regs[R_ESP] = frame;
    env->regs[R_EDI] = (uint64_t)info->si_signo;
    env->regs[R_ESI] = frame + FRAME_INFO;
    env->regs[R_EDX] = frame + FRAME_UC;
    env->regs[R_EAX] = 0;
    env->rip = ka->handler;
    /* The handler starts with DF (and TF, RF) clear. */
    x86_set_eflags(env, x86_get_eflags(env) & ~(uint64_t)(X86_DF | X86_TF |
                                                          (1u << 16)));
    x86_fpu_init_state(X86_CPU(cs));
    return true;
}

bool x86_64_restore_frame(CPUState *cs, uint64_t *mask,
                          TargetStack *uc_stack)
{
    X86CPU *cpu = X86_CPU(cs);
    CPUX86State *env = &cpu->env;
    /* The handler's RET popped pretcode: the frame starts 8 below. */
    uint64_t frame = env->regs[R_ESP] - 8;
    uint8_t b[FRAME_SIZE];
    uint8_t fx[X86_FXSAVE_SIZE];
    uint64_t fl, fpstate;

    if (!copy_from_guest(b, frame, sizeof(b)))
        return false;
    /* The FP state first, so that a bad one changes nothing.  Linux
       reads it at any alignment; reserved MXCSR bits make it bad. */
    fpstate = get64(b, SC_FPSTATE);
    if (fpstate) {
        if (!copy_from_guest(fx, fpstate, sizeof(fx)) ||
            !x86_fxrstor_image(cpu, fx, true))
            return false;
    } else {
        x86_fpu_init_state(cpu);
    }
    *mask = get64(b, UC_SIGMASK);
    memcpy(uc_stack, b + UC_STACK, sizeof(*uc_stack));
    for (int i = 0; i < 16; i++)
        env->regs[sc_regs[i]] = get64(b, SC_R8 + 8 * i);
    env->rip = get64(b, SC_RIP);
    fl = get64(b, SC_EFLAGS);
    x86_set_eflags(env, (x86_get_eflags(env) & ~(uint64_t)FIX_EFLAGS) |
                        (fl & FIX_EFLAGS));
    return true;
}

const uint32_t x86_64_sigreturn_code[2] = { 0x00000fb8, 0x90050f00 };
