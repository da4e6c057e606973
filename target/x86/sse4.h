/*
 * What the SSE3 to SSE4.2 translator (translate-sse4.c) and its helpers
 * (sse4_helper.c) agree on: the operation numbers packed into the
 * helpers' op arguments.  Register arguments are XMM numbers 0-15,
 * X86_XMM_TMP (sse.h) where the translator has loaded a memory operand,
 * or X86_MM0 + n for the SSSE3 forms on MMX registers, which work on 8
 * bytes.
 */
#ifndef TARGET_X86_SSE4_H
#define TARGET_X86_SSE4_H

#include <stdint.h>

#include "mimic/softfloat.h"
#include "cpu.h"
#include "sse.h"

/* An op: a kind and a 4-bit argument (a lane size, a format, or the
   source and destination lane sizes of PMOVSX/PMOVZX). */
#define S4_OP(kind, x) ((kind) << 4 | (x))
#define S4_KIND(op) ((op) >> 4)
#define S4_ARG(op) ((op) & 15)
/* PMOVSX/PMOVZX's argument: log2 of the source and result lane sizes. */
#define S4_MOVX(from, to) ((from) << 2 | (to))

/* helper_sse4_int's kinds; x is log2 of the lane size unless said. */
enum {
    S4_PSHUFB, S4_PHADD, S4_PHADDSW, S4_PHSUB, S4_PHSUBSW, S4_PMADDUBSW,
    S4_PMULHRSW, S4_PSIGN, S4_PABS, S4_PALIGNR,
    S4_BLENDV,          /* mask: XMM0's lane sign bits */
    S4_BLEND,           /* mask: imm */
    S4_MPSADBW, S4_PACKUSDW, S4_PCMPEQQ, S4_PCMPGTQ, S4_PHMINPOSUW,
    S4_PMAXS, S4_PMINS, S4_PMAXU, S4_PMINU,
    S4_PMOVSX, S4_PMOVZX,   /* x: S4_MOVX */
    S4_PMULDQ, S4_PMULLD,
    S4_INSERTPS,        /* imm; from memory the translator clears its
                           source-lane bits */
    S4_MOVSHDUP, S4_MOVSLDUP, S4_MOVDDUP,
};

/* helper_sse4_fp's kinds; x is an SSE_FMT_* of sse.h. */
enum {
    S4_ADDSUB, S4_HADD, S4_HSUB,
    S4_DP,              /* DPPS, DPPD: imm's product and result masks */
    S4_ROUND,           /* imm: rounding control, MXCSR.RC, no PE */
};

/* helper_pcmpstr's op: the variant, and imm in bits 8-15. */
#define S4_STR_EXPLICIT 1   /* PCMPESTR*: lengths in rAX and rDX */
#define S4_STR_MASK 2       /* PCMPxSTRM: the mask to XMM0 (else the
                               index is returned for ECX) */
#define S4_STR_IMM_SHIFT 8

/* sse_helper.c's MXCSR glue, shared with sse4_helper.c: the soft-float
   status MXCSR describes, and the accrual of its flags into MXCSR or #XM
   (at host return address ra) when one is unmasked. */
FloatStatus sse_status(const CPUX86State *env);
void sse_accrue(X86CPU *cpu, const FloatStatus *st, uintptr_t ra);
/* sse_helper.c's register access, shared too: a copy of register n (an
   MMX register in the low half, zeros above), and a write of one (an MMX
   register takes the low half and its x87 sign and exponent become all
   ones). */
X86XMMReg sse_get_reg(CPUX86State *env, uint32_t n);
void sse_put_reg(CPUX86State *env, uint32_t n, const X86XMMReg *r);

#endif
