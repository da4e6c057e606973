/*
 * The F and D extensions' run-time helpers (fpu_helper.c) and RISC-V's
 * policy on the soft-float core (include/mimic/softfloat.h), which
 * tests/unit/test-riscv-fpu.c checks directly.  Values travel as raw bits: a single-precision operand
 * is the whole 64-bit FP register (the helper checks its NaN-boxing) and a
 * single-precision result comes back already NaN-boxed.  The helpers
 * themselves are listed in helper.def (helper.h has their prototypes):
 * they touch no TCG global, they read frm and accrue fflags in env->fcsr
 * only, which is why they are declared TCG_CALL_NO_RWG.
 *
 * The op argument of each helper is a constant built by the translator from
 * the RV_FOP_* fields below: the operation, RV_FOP_D for double precision,
 * and the rounding mode (the instruction's rm field; RV_RM_DYN means frm,
 * which the translator has already checked with helper_check_frm).
 */
#ifndef TARGET_RISCV_FPU_HELPER_H
#define TARGET_RISCV_FPU_HELPER_H

#include <stdbool.h>
#include <stdint.h>

#include "mimic/softfloat.h"


/* Rounding modes (the rm field and frm). */
enum {
    RV_RM_RNE = 0,
    RV_RM_RTZ = 1,
    RV_RM_RDN = 2,
    RV_RM_RUP = 3,
    RV_RM_RMM = 4,
    RV_RM_DYN = 7,
};

/* fflags bits. */
enum {
    RV_FFLAG_NX = 1,
    RV_FFLAG_UF = 2,
    RV_FFLAG_OF = 4,
    RV_FFLAG_DZ = 8,
    RV_FFLAG_NV = 16,
};

#define RV_FCSR_FRM_SHIFT 5
#define RV_FCSR_MASK 0xffu

/* Canonical NaNs and the NaN-boxing of single-precision values. */
#define RV_CANON_NAN_S 0x7fc00000u
#define RV_CANON_NAN_D 0x7ff8000000000000ull
#define RV_NANBOX_S 0xffffffff00000000ull

/* The op argument: rm in bits 2:0, precision in bit 3, operation above. */
#define RV_FOP_RM_MASK 7u
#define RV_FOP_D 8u
#define RV_FOP_SHIFT 4
enum {
    /* helper_fbinop (sqrt ignores b). */
    RV_FOP_ADD, RV_FOP_SUB, RV_FOP_MUL, RV_FOP_DIV, RV_FOP_SQRT,
    RV_FOP_MIN, RV_FOP_MAX,
    /* helper_fcmp */
    RV_FOP_EQ, RV_FOP_LT, RV_FOP_LE,
    /* helper_fmadd: the two negations, ORed together. */
    RV_FOP_FMA = 0, RV_FOP_NEG_ADDEND = 1, RV_FOP_NEG_PRODUCT = 2,
};

/* helper_fcvt: what to convert from and to (with RV_FOP_D meaning nothing:
   the kind says both formats). */
enum {
    RV_CVT_W_S, RV_CVT_WU_S, RV_CVT_L_S, RV_CVT_LU_S,   /* float -> int */
    RV_CVT_W_D, RV_CVT_WU_D, RV_CVT_L_D, RV_CVT_LU_D,
    RV_CVT_S_W, RV_CVT_S_WU, RV_CVT_S_L, RV_CVT_S_LU,   /* int -> float */
    RV_CVT_D_W, RV_CVT_D_WU, RV_CVT_D_L, RV_CVT_D_LU,
    RV_CVT_S_D, RV_CVT_D_S,                             /* float -> float */
};

static inline uint64_t rv_fop(unsigned op, bool dbl, unsigned rm)
{
    return ((uint64_t)op << RV_FOP_SHIFT) | (dbl ? RV_FOP_D : 0) | rm;
}

/* ---- RISC-V's policy on the soft-float core (exported for tests/unit) ---- */

/*
 * Converts float bits (binary64 if dbl, else binary32) to an integer of 32 or 64 bits, signed or not,
 * rounding in rm, with RISC-V's saturation (NaN -> the maximum, out of
 * range -> the nearest end, NV and no NX); W and WU results sign-extended.
 */
uint64_t rv_float_to_int(bool dbl, uint64_t bits, int width,
                         bool is_signed, unsigned rm, unsigned *flags);

/*
 * The arithmetic itself, for tests: op is RV_FOP_ADD..RV_FOP_MAX (or
 * the fma negations for rv_fp_fma); a, b, c are raw format bits (no
 * NaN-boxing); returns the result bits and ORs fflags into *flags.
 */
uint64_t rv_fp_binop(unsigned op, bool dbl, uint64_t a, uint64_t b,
                     unsigned rm, unsigned *flags);
uint64_t rv_fp_fma(unsigned neg, bool dbl, uint64_t a, uint64_t b,
                   uint64_t c, unsigned rm, unsigned *flags);

#endif
