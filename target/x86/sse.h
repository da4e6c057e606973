/*
 * What the SSE and MMX translator (translate-sse.c) and its helpers
 * (sse_helper.c) agree on: the operation numbers packed into the
 * helpers' op arguments.  Register arguments are XMM numbers 0-15,
 * X86_XMM_TMP for env->xmm_tmp, where the translator has loaded a memory
 * source operand, or X86_MM0 + n for MMX register n.  An operation whose
 * destination is an MMX register works on 64 bits, else on 128.
 */
#ifndef TARGET_X86_SSE_H
#define TARGET_X86_SSE_H

#include <stdint.h>

#include "target/x86/cpu.h"

#define X86_XMM_TMP 16
#define X86_MM0 32

/*
 * helper_sse_int's op: SSE_OP(kind, log2 of the lane size in bytes);
 * on MMX registers PSHUFW is SSE_PSHUFLW.
 * For PACKSS/PACKUS the size is the source lanes'; for shifts by an
 * immediate the translator puts the count in xmm_tmp and passes it as
 * the source, as the register form would.
 */
#define SSE_OP(kind, sz) ((kind) << 2 | (sz))
enum {
    SSE_PADD, SSE_PSUB, SSE_PADDUS, SSE_PSUBUS, SSE_PADDS, SSE_PSUBS,
    SSE_PCMPEQ, SSE_PCMPGT, SSE_PMINU, SSE_PMAXU, SSE_PMINS, SSE_PMAXS,
    SSE_PAVG, SSE_PMULL, SSE_PMULH, SSE_PMULHU, SSE_PMULUDQ, SSE_PMADDWD,
    SSE_PSADBW, SSE_PUNPCKL, SSE_PUNPCKH, SSE_PACKSS, SSE_PACKUS,
    SSE_PSRL, SSE_PSRA, SSE_PSLL, SSE_PSRLDQ, SSE_PSLLDQ,
    SSE_PSHUFD, SSE_PSHUFLW, SSE_PSHUFHW, SSE_SHUFPS, SSE_SHUFPD,
    SSE_INT_KINDS,
};

/* helper_sse_fp's op: SSE_OP(kind, format), the format the insn's
   suffix (the conversions have their own kinds and format 0). */
enum { SSE_FMT_PS, SSE_FMT_PD, SSE_FMT_SS, SSE_FMT_SD };
enum {
    SSE_ADD, SSE_SUB, SSE_MUL, SSE_DIV, SSE_MIN, SSE_MAX, SSE_SQRT,
    SSE_RCP, SSE_RSQRT,  /* PS and SS only */
    SSE_CMP,            /* the predicate (0-7) in imm */
    SSE_CVTPS2PD, SSE_CVTPD2PS, SSE_CVTSS2SD, SSE_CVTSD2SS,
    SSE_CVTDQ2PS, SSE_CVTPS2DQ, SSE_CVTTPS2DQ,
    SSE_CVTDQ2PD, SSE_CVTPD2DQ, SSE_CVTTPD2DQ,
    /* Between XMM and MMX registers (CVTPI2PD, CVT(T)PD2PI are
       CVTDQ2PD and CVT(T)PD2DQ with an MMX source or destination). */
    SSE_CVTPI2PS, SSE_CVTPS2PI, SSE_CVTTPS2PI,
    SSE_FP_KINDS,
};

/* helper_sse_comi's, helper_sse_cvtsi's and helper_sse_cvt2si's op. */
#define SSE_CVT_DOUBLE 1        /* the sd form (else ss) */
#define SSE_CVT_SIGNALING 2     /* COMIS*: any NaN is invalid */
#define SSE_CVT_TRUNC 2         /* CVTT*: round toward zero */
#define SSE_CVT_64 4            /* a 64-bit integer (REX.W) */

/* Register n of an SSE helper's operand numbering (XMM0-15, or
   X86_XMM_TMP, the memory operand's copy), and lane i of width 1 << sz
   bytes, for sse_helper.c and sse4_helper.c. */
static inline X86XMMReg *xmm(CPUX86State *env, uint32_t n)
{
    return n == X86_XMM_TMP ? &env->xmm_tmp : &env->xmm[n & 15];
}

static inline uint64_t lane(const X86XMMReg *r, unsigned sz, unsigned i)
{
    switch (sz) {
    case 0: return r->b[i];
    case 1: return r->w[i];
    case 2: return r->l[i];
    default: return r->q[i];
    }
}

#endif
