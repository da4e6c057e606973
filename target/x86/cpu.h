/*
 * The x86-64 vCPU: architectural state and the target's entry points.
 * Generated code reaches every field through the env register, which
 * points at the X86CPU (CPUState first), so TCG globals are bound to
 * offsetof(X86CPU, env.<field>) (X86_ENV_OFFSET).
 *
 * EFLAGS is kept lazily: the arithmetic flags (CF PF AF ZF SF OF) are not
 * stored after each operation; the translator records the last
 * flag-setting operation (cc_op) and its operands (cc_dst, cc_src,
 * cc_src2), and x86_get_eflags computes them only when something reads
 * them.  DF is kept apart as +1/-1 (the step of the string instructions);
 * the remaining bits (ID, AC, TF, IF, the reserved bit 1) are in eflags.
 * See docs/devel/x86.md.
 */
#ifndef TARGET_X86_CPU_H
#define TARGET_X86_CPU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "mimic/cpu.h"
#include "mimic/softfloat.h"

/* General registers, in encoding order (ModRM.reg/rm + REX). */
enum {
    R_EAX, R_ECX, R_EDX, R_EBX, R_ESP, R_EBP, R_ESI, R_EDI,
    R_R8, R_R9, R_R10, R_R11, R_R12, R_R13, R_R14, R_R15,
};

/* EFLAGS bits. */
#define X86_CF (1u << 0)
#define X86_PF (1u << 2)
#define X86_AF (1u << 4)
#define X86_ZF (1u << 6)
#define X86_SF (1u << 7)
#define X86_TF (1u << 8)
#define X86_IF (1u << 9)
#define X86_DF (1u << 10)
#define X86_OF (1u << 11)
#define X86_AC (1u << 18)
#define X86_ID (1u << 21)
#define X86_CC_MASK (X86_CF | X86_PF | X86_AF | X86_ZF | X86_SF | X86_OF)

/* CPUID feature bits the models use (cpu.c); linux-user's AT_HWCAP is
   CPUID.1:EDX. */
#define X86_CPUID1_EDX_FPU (1u << 0)
#define X86_CPUID1_EDX_TSC (1u << 4)
#define X86_CPUID1_EDX_CX8 (1u << 8)
#define X86_CPUID1_EDX_CMOV (1u << 15)
#define X86_CPUID1_EDX_CLFSH (1u << 19)
#define X86_CPUID1_EDX_MMX (1u << 23)
#define X86_CPUID1_EDX_FXSR (1u << 24)
#define X86_CPUID1_EDX_SSE (1u << 25)
#define X86_CPUID1_EDX_SSE2 (1u << 26)
#define X86_CPUID1_ECX_SSE3 (1u << 0)
#define X86_CPUID1_ECX_SSSE3 (1u << 9)
#define X86_CPUID1_ECX_CX16 (1u << 13)
#define X86_CPUID1_ECX_SSE41 (1u << 19)
#define X86_CPUID1_ECX_SSE42 (1u << 20)
#define X86_CPUID1_ECX_MOVBE (1u << 22)
#define X86_CPUID1_ECX_POPCNT (1u << 23)
#define X86_CPUID_EXT1_ECX_LAHF_LM (1u << 0)
#define X86_CPUID_EXT1_ECX_ABM (1u << 5)       /* LZCNT */
#define X86_CPUID7_EBX_BMI1 (1u << 3)          /* TZCNT, ANDN, BEXTR... */
#define X86_CPUID_EXT1_EDX_SYSCALL (1u << 11)
#define X86_CPUID_EXT1_EDX_MMXEXT (1u << 22)   /* AMD: SSE's MMX integer ops */
#define X86_CPUID_EXT1_EDX_LM (1u << 29)
/* CPUID.1:EDX of the default model ("mimic"). */
#define X86_MIMIC_CPUID1_EDX (X86_CPUID1_EDX_FPU | X86_CPUID1_EDX_TSC | \
                              X86_CPUID1_EDX_CX8 | \
                              X86_CPUID1_EDX_CMOV | X86_CPUID1_EDX_CLFSH | \
                              X86_CPUID1_EDX_MMX | \
                              X86_CPUID1_EDX_FXSR | X86_CPUID1_EDX_SSE | \
                              X86_CPUID1_EDX_SSE2)

/*
 * Exceptions cpu_exec returns (cpu->exception_index) in user mode: the
 * vector numbers of the CPU's exceptions, and SYSCALL.  env->rip is the
 * faulting instruction for faults (#DE, #UD, #GP, ...), the next one for
 * INT3 (#BP, a trap) and SYSCALL.
 */
enum {
    X86_EXCP_DE = 0,       /* divide error */
    X86_EXCP_DB = 1,
    X86_EXCP_BP = 3,       /* INT3 */
    X86_EXCP_OF = 4,
    X86_EXCP_BR = 5,
    X86_EXCP_UD = 6,       /* invalid opcode */
    X86_EXCP_NM = 7,
    X86_EXCP_GP = 13,      /* general protection (privileged insn, ...) */
    X86_EXCP_PF = 14,
    X86_EXCP_MF = 16,      /* x87 error */
    X86_EXCP_AC = 17,
    X86_EXCP_XM = 19,      /* SIMD FP exception */
    X86_EXCP_SYSCALL = 0x100,
};

/* The segment selectors of a Linux x86-64 process (__USER_CS, SS is
   __USER_DS; DS, ES, FS and GS are null), which the x87 records for the
   last insn's code and operand (FCS, FDS). */
#define X86_USER_CS 0x33
#define X86_USER_SS 0x2b

/* MXCSR: the SSE control and status register. */
#define X86_MXCSR_IE (1u << 0)      /* exception flags: invalid, */
#define X86_MXCSR_DE (1u << 1)      /* denormal operand, */
#define X86_MXCSR_ZE (1u << 2)      /* divide by zero, */
#define X86_MXCSR_OE (1u << 3)      /* overflow, */
#define X86_MXCSR_UE (1u << 4)      /* underflow, */
#define X86_MXCSR_PE (1u << 5)      /* precision (inexact) */
#define X86_MXCSR_FLAGS 0x3fu
#define X86_MXCSR_DAZ (1u << 6)
#define X86_MXCSR_MASK_SHIFT 7      /* IM DM ZM OM UM PM: the flags << 7 */
#define X86_MXCSR_RC_SHIFT 13       /* rounding: nearest, down, up, zero */
#define X86_MXCSR_FTZ (1u << 15)
#define X86_MXCSR_RESET 0x1f80u     /* every exception masked */
/* The bits LDMXCSR may set (FXSAVE's MXCSR_MASK): others are #GP. */
#define X86_MXCSR_WRITABLE 0xffffu

/* One 128-bit XMM register, as lanes of each width (little-endian host
   order: b[0] is the lowest byte; hosts are little-endian). */
typedef union X86XMMReg {
    uint8_t b[16];
    uint16_t w[8];
    uint32_t l[4];
    uint64_t q[2];
} __attribute__((aligned(16))) X86XMMReg;

typedef struct CPUX86State {
    uint64_t regs[16];
    uint64_t rip;

    /* The lazy flags (cc_op is a CCOp of target/x86/translate.h). */
    uint64_t cc_dst, cc_src, cc_src2;
    uint32_t cc_op;
    int64_t df;                /* 1, or -1 when EFLAGS.DF is set */
    uint64_t eflags;           /* the bits outside X86_CC_MASK and DF */

    uint64_t fs_base, gs_base;

    /* The exception being raised: its error code (#GP, #PF). */
    uint32_t error_code;

    /* x87 (x87_helper.c): ST(i) is fpregs[(fptop + i) & 7]; fpempty has
       bit r set when physical register r is empty (the tag word's 11);
       fpsw holds the status word with TOP cleared (it lives in fptop);
       fpip/fpdp/fpop are the last non-control insn's address, memory
       operand and opcode, for FNSTENV, FNSAVE and FXSAVE, fpcs/fpds the
       selectors of their segments.  MMX register n is fpregs[n].sig. */
    FloatX80 fpregs[8];
    uint32_t fptop;
    uint16_t fpsw, fpcw, fpop;
    uint16_t fpcs, fpds;
    uint8_t fpempty;
    uint64_t fpip, fpdp;
    /*
     * SSE state (target/x86/sse_helper.c, translate-sse.c): XMM0-15,
     * MXCSR, and xmm_tmp, where the translator loads an instruction's
     * memory source operand so that a helper reads it as a register
     * (X86_XMM_TMP).
     */
    X86XMMReg xmm[16];
    X86XMMReg xmm_tmp;
    uint32_t mxcsr;
} CPUX86State;

typedef struct X86CPU {
    CPUState parent;
    CPUX86State env;
    /* The -cpu model's CPUID answers (cpu.c). */
    const struct X86CPUModel *model;
} X86CPU;

#define X86_CPU(cs) ((X86CPU *)(cs))
#define X86_ENV_OFFSET(field) ((intptr_t)offsetof(X86CPU, env.field))

/* EFLAGS as the guest sees it (PUSHF, signal frames, gdb), and back. */
uint64_t x86_get_eflags(const CPUX86State *env);
void x86_set_eflags(CPUX86State *env, uint64_t eflags);

/* Sets MXCSR, the only way to: the TB flags say whether its control bits
   are the default (X86_TB_MXCSR_DEFAULT). */
void x86_set_mxcsr(X86CPU *cpu, uint32_t mxcsr);
/* Adds the host FPU's pending flags (include/mimic/host-fp.h), which
   inline SSE arithmetic raised, to MXCSR: before C code running inside
   generated code reads or replaces MXCSR (STMXCSR, FXSAVE, LDMXCSR,
   FXRSTOR). */
void x86_fold_host_fp_exc(X86CPU *cpu);

/* An instruction set extension the translator asks the model about. */
typedef enum X86Feature {
    X86_FEAT_CX16,      /* CMPXCHG16B */
    X86_FEAT_CLFSH,     /* CLFLUSH */
    X86_FEAT_MOVBE,
    X86_FEAT_POPCNT,
    X86_FEAT_LZCNT,     /* F3 0F BD is LZCNT, else BSR */
    X86_FEAT_BMI1,      /* F3 0F BC is TZCNT, else BSF */
    X86_FEAT_SSE3,
    X86_FEAT_SSSE3,
    X86_FEAT_SSE41,
    X86_FEAT_SSE42,     /* PCMPGTQ, the string compares, CRC32 */
} X86Feature;

/* Whether the vCPU's model has feature f: read from its CPUID answers,
   so that what runs and what CPUID says cannot disagree. */
bool x86_cpu_has_feature(const X86CPU *cpu, X86Feature f);
/* CPUID of the vCPU's model: leaf, subleaf in, eax..edx out (linux-user's
   /proc/cpuinfo reads it too). */
void x86_cpuid(const X86CPU *cpu, uint32_t leaf, uint32_t subleaf,
               uint32_t out[4]);

/* The x87 after FNINIT (and at reset); the status word with TOP. */
void x87_reset(CPUX86State *env);
uint16_t x87_status_word(const CPUX86State *env);

/* The FXSAVE image (fxsave.c), 512 bytes of which FXSAVE writes the
   first 416: built from env (64-bit FIP/FDP with REX.W), and loaded into
   it (false, with nothing changed, if its MXCSR has a bit LDMXCSR would
   refuse). */
#define X86_FXSAVE_SIZE 512
#define X86_FXSAVE_WRITTEN 416
void x86_fxsave_image(const CPUX86State *env, uint8_t *img, bool rex_w);
bool x86_fxrstor_image(X86CPU *cpu, const uint8_t *img, bool rex_w);
/* The x87, MMX and SSE state a Linux signal handler starts with (and a
   sigreturn without an fpstate leaves): FNINIT's, every register zero,
   MXCSR at reset. */
void x86_fpu_init_state(X86CPU *cpu);

/* The TargetOps of user mode (cpu-user.c). */
extern const TargetOps x86_user_target_ops;
/* -cpu help, and -cpu MODEL (false with *err if it is not one). */
void x86_cpu_print_list(FILE *f);
bool x86_cpu_set_model(X86CPU *cpu, const char *model, char **err);

#endif
