/*
 * The host FPU's accrued IEEE 754 exception flags, as guest floating point
 * uses them.  Generated code (the IR's fadd, fsub, fmul, fdiv and fsqrt
 * ops) and the fast paths of a target's FP helpers compute on the host FPU
 * and leave the flags they raise in the host's status register (x86-64:
 * MXCSR); those flags are the guest's, not yet added to the guest's own
 * accrued flags.  Reading them (stmxcsr) is slow, so it is done only where
 * C code needs the guest's true flags: when a vCPU leaves generated code
 * for the execution loop (accel/tcg/cpu-exec.c folds them into the guest
 * through TargetOps.fold_fp_exc) and when the guest reads its flags
 * register.  Between entry to and exit from generated code the host flags
 * belong to the vCPU that runs on this thread: the loop clears them before
 * entering, and emulator code that runs inside generated code and might
 * compute in floating point (device callbacks, libc) is bracketed by
 * host_fp_save()/host_fp_restore().  A host signal handler starts with a
 * clean MXCSR: user mode's host fault handler, which leaves for the loop
 * by siglongjmp, first takes the interrupted code's (linux-user/signal.c).
 *
 * The clean state is what C code expects and generated code relies on:
 * round to nearest even, every exception masked, no flags, no
 * flush-to-zero or denormals-are-zero.
 *
 *   host_fp_exc_clear();                  // entering generated code
 *   ret = run_generated_code();
 *   unsigned exc = host_fp_exc_take();    // FP_EXC_* raised meanwhile
 */
#ifndef MIMIC_HOST_FP_H
#define MIMIC_HOST_FP_H

/* The five IEEE flags (the same bit order as RISC-V's fflags), and x86's
   denormal-operand flag, which only an x86 host raises (a guest without
   it ignores it). */
enum {
    FP_EXC_INEXACT = 1,
    FP_EXC_UNDERFLOW = 2,
    FP_EXC_OVERFLOW = 4,
    FP_EXC_DIVBYZERO = 8,
    FP_EXC_INVALID = 16,
    FP_EXC_IEEE = 31,
    FP_EXC_DENORMAL = 32,
};

#if defined(__x86_64__)
/* MXCSR: flags in bits 5:0 (IE DE ZE OE UE PE), masks in 12:7. */
#define HOST_MXCSR_CLEAN 0x1f80u
#define HOST_MXCSR_FLAGS 0x3fu

typedef unsigned HostFPEnv;

static inline unsigned host_mxcsr_read(void)
{
    unsigned csr;

    __asm__ __volatile__("stmxcsr %0" : "=m"(csr) :: "memory");
    return csr;
}

static inline void host_mxcsr_write(unsigned csr)
{
    __asm__ __volatile__("ldmxcsr %0" :: "m"(csr) : "memory");
}

/* Back to the clean state, dropping any flags (ldmxcsr is cheap). */
static inline void host_fp_exc_clear(void)
{
    host_mxcsr_write(HOST_MXCSR_CLEAN);
}

/* The flags raised since the last clear, as FP_EXC_*; clears them. */
static inline unsigned host_fp_exc_take(void)
{
    unsigned csr = host_mxcsr_read();

    if (!(csr & HOST_MXCSR_FLAGS))
        return 0;
    host_mxcsr_write(HOST_MXCSR_CLEAN);
    return (csr & 0x01) << 4 |     /* IE -> invalid */
           (csr & 0x02) << 4 |     /* DE -> denormal operand */
           (csr & 0x04) << 1 |     /* ZE -> divide by zero */
           (csr & 0x08) >> 1 |     /* OE -> overflow */
           (csr & 0x10) >> 3 |     /* UE -> underflow */
           (csr & 0x20) >> 5;      /* PE -> inexact */
}

/* Saves the whole FP state (pending flags included) around code that
   must not add to it. */
static inline HostFPEnv host_fp_save(void)
{
    return host_mxcsr_read();
}

static inline void host_fp_restore(HostFPEnv env)
{
    host_mxcsr_write(env);
}
#elif defined(__aarch64__)
#include <stdint.h>

/* FPSR: cumulative flags in bits 4:0 (IOC DZC OFC UFC IXC) and 7 (IDC);
   FPCR: rounding mode, trap enables, FZ, DN, all 0 in the clean state. */
#define HOST_FPSR_FLAGS 0x9fu

typedef struct HostFPEnv {
    uint64_t fpcr, fpsr;
} HostFPEnv;

static inline uint64_t host_fpsr_read(void)
{
    uint64_t v;

    __asm__ __volatile__("mrs %0, fpsr" : "=r"(v) :: "memory");
    return v;
}

static inline void host_fpsr_write(uint64_t v)
{
    __asm__ __volatile__("msr fpsr, %0" :: "r"(v) : "memory");
}

static inline uint64_t host_fpcr_read(void)
{
    uint64_t v;

    __asm__ __volatile__("mrs %0, fpcr" : "=r"(v) :: "memory");
    return v;
}

static inline void host_fpcr_write(uint64_t v)
{
    __asm__ __volatile__("msr fpcr, %0" :: "r"(v) : "memory");
}

/* Back to the clean state, dropping any flags (an FPCR write can stall
   the pipeline: only when it differs). */
static inline void host_fp_exc_clear(void)
{
    if (host_fpcr_read())
        host_fpcr_write(0);
    host_fpsr_write(0);
}

/* The flags raised since the last clear, as FP_EXC_*; clears them. */
static inline unsigned host_fp_exc_take(void)
{
    unsigned sr = (unsigned)host_fpsr_read();

    if (!(sr & HOST_FPSR_FLAGS))
        return 0;
    host_fpsr_write(0);
    return (sr & 0x01) << 4 |     /* IOC -> invalid */
           (sr & 0x02) << 2 |     /* DZC -> divide by zero */
           (sr & 0x04) |          /* OFC -> overflow */
           (sr & 0x08) >> 2 |     /* UFC -> underflow */
           (sr & 0x10) >> 4;      /* IXC -> inexact */
}

static inline HostFPEnv host_fp_save(void)
{
    return (HostFPEnv){ .fpcr = host_fpcr_read(), .fpsr = host_fpsr_read() };
}

static inline void host_fp_restore(HostFPEnv env)
{
    if (host_fpcr_read() != env.fpcr)
        host_fpcr_write(env.fpcr);
    host_fpsr_write(env.fpsr);
}
#else
#include <fenv.h>

typedef fenv_t HostFPEnv;

static inline void host_fp_exc_clear(void)
{
    fesetenv(FE_DFL_ENV);
}

static inline unsigned host_fp_exc_take(void)
{
    int x = fetestexcept(FE_ALL_EXCEPT);

    if (!x)
        return 0;
    feclearexcept(FE_ALL_EXCEPT);
    return (x & FE_INVALID ? FP_EXC_INVALID : 0) |
           (x & FE_DIVBYZERO ? FP_EXC_DIVBYZERO : 0) |
           (x & FE_OVERFLOW ? FP_EXC_OVERFLOW : 0) |
           (x & FE_UNDERFLOW ? FP_EXC_UNDERFLOW : 0) |
           (x & FE_INEXACT ? FP_EXC_INEXACT : 0);
}

static inline HostFPEnv host_fp_save(void)
{
    HostFPEnv env;

    fegetenv(&env);
    return env;
}

static inline void host_fp_restore(HostFPEnv env)
{
    fesetenv(&env);
}
#endif

#endif
