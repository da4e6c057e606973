/*
 * The F and D extensions' arithmetic, exact to the bit and to the flag:
 * RISC-V's policy on the shared soft-float core (fpu/softfloat.c,
 * docs/devel/softfloat.md).  The policy: every NaN result is the
 * canonical NaN, tininess is detected after rounding, fma(inf, 0, qNaN)
 * raises NV, conversions to integers saturate (a NaN to the maximum) and
 * 32-bit results are sign-extended, fmin/fmax are IEEE 754-2019
 * minimumNumber/maximumNumber, single-precision values are NaN-boxed in
 * the 64-bit registers.  The core's flags have fflags' bit order, and its
 * rounding modes rm's numbering.
 *
 * The commonest cases keep a fast path on an x86-64 host: add, sub, mul,
 * div, sqrt and fma on numbers in round-to-nearest-even run on the host
 * FPU as it is while guest code runs, leaving their flags pending in
 * MXCSR like the inline IR ops do (include/mimic/host-fp.h): SSE rounds
 * correctly and detects tininess after rounding (Intel SDM vol. 1,
 * 11.5.2.5), as RISC-V does, so only NaN results need replacing.
 * Everything else goes through the core.
 */
#include <string.h>

#include "mimic/exec.h"
#include "mimic/host-fp.h"
#include "mimic/softfloat.h"
#include "fpu_helper.h"
#include "helper.h"
#include "internals.h"

/* The core's numbering is RISC-V's. */
_Static_assert((int)FLOAT_FLAG_INEXACT == RV_FFLAG_NX &&
               (int)FLOAT_FLAG_UNDERFLOW == RV_FFLAG_UF &&
               (int)FLOAT_FLAG_OVERFLOW == RV_FFLAG_OF &&
               (int)FLOAT_FLAG_DIVBYZERO == RV_FFLAG_DZ &&
               (int)FLOAT_FLAG_INVALID == RV_FFLAG_NV, "fflags layout");
_Static_assert((int)FLOAT_ROUND_NEAREST_EVEN == RV_RM_RNE &&
               (int)FLOAT_ROUND_TO_ZERO == RV_RM_RTZ &&
               (int)FLOAT_ROUND_DOWN == RV_RM_RDN &&
               (int)FLOAT_ROUND_UP == RV_RM_RUP &&
               (int)FLOAT_ROUND_NEAREST_MAX_MAG == RV_RM_RMM, "rm numbering");

/* RISC-V's status for one operation in rm (RNE..RMM). */
static inline FloatStatus rv_status(unsigned rm)
{
    return (FloatStatus){
        .round = (uint8_t)rm,
        .tininess = FLOAT_TININESS_AFTER_ROUNDING,
        .nan_rule = FLOAT_NAN_DEFAULT,
        .int_overflow = FLOAT_INT_SATURATE,
        .fma_inf_zero_nan_invalid = true,
    };
}

/* The flags an operation raised, as fflags (the core's own DE is not one). */
static inline unsigned rv_flags(const FloatStatus *st)
{
    return st->flags & FLOAT_FLAGS_IEEE;
}

/* The single-precision value in a 64-bit register: improperly boxed
   values read as the canonical NaN. */
static inline uint64_t unbox_s(uint64_t r)
{
    return (r >> 32) == 0xffffffffu ? (uint32_t)r : RV_CANON_NAN_S;
}

uint64_t rv_float_to_int(bool dbl, uint64_t a, int width, bool is_signed,
                         unsigned rm, unsigned *flags)
{
    FloatStatus st = rv_status(rm);
    uint64_t r = dbl ? f64_to_int(a, width, is_signed, (FloatRound)rm, &st)
                     : f32_to_int((uint32_t)a, width, is_signed,
                                  (FloatRound)rm, &st);

    *flags |= rv_flags(&st);
    /* W and WU results alike are sign-extended to XLEN. */
    return width == 32 ? (uint64_t)(int64_t)(int32_t)r : r;
}

uint64_t rv_fp_binop(unsigned op, bool dbl, uint64_t a, uint64_t b,
                     unsigned rm, unsigned *flags)
{
    FloatStatus st = rv_status(rm);
    uint64_t r;

    switch (op) {
    case RV_FOP_ADD: r = dbl ? f64_add(a, b, &st) : f32_add(a, b, &st); break;
    case RV_FOP_SUB: r = dbl ? f64_sub(a, b, &st) : f32_sub(a, b, &st); break;
    case RV_FOP_MUL: r = dbl ? f64_mul(a, b, &st) : f32_mul(a, b, &st); break;
    case RV_FOP_DIV: r = dbl ? f64_div(a, b, &st) : f32_div(a, b, &st); break;
    case RV_FOP_SQRT: r = dbl ? f64_sqrt(a, &st) : f32_sqrt(a, &st); break;
    default:
        r = dbl ? f64_minmax(a, b, FLOAT_MINMAX_NUMBER, op == RV_FOP_MAX, &st)
                : f32_minmax(a, b, FLOAT_MINMAX_NUMBER, op == RV_FOP_MAX, &st);
        break;
    }
    *flags |= rv_flags(&st);
    return r;
}

uint64_t rv_fp_fma(unsigned neg, bool dbl, uint64_t a, uint64_t b,
                   uint64_t c, unsigned rm, unsigned *flags)
{
    FloatStatus st = rv_status(rm);
    unsigned n = (neg & RV_FOP_NEG_PRODUCT ? FLOAT_MULADD_NEG_PRODUCT : 0) |
                 (neg & RV_FOP_NEG_ADDEND ? FLOAT_MULADD_NEG_ADDEND : 0);
    uint64_t r = dbl ? f64_muladd(a, b, c, n, &st)
                     : f32_muladd(a, b, c, n, &st);

    *flags |= rv_flags(&st);
    return r;
}

#if defined(__x86_64__)
/*
 * The compiler does not know that arithmetic depends on the rounding mode
 * (no -frounding-math): pinning operands and results in memory with
 * volatile asm keeps every host operation where it is written and stops
 * constant folding.
 */
#define FP_PIN(x) __asm__ __volatile__("" : "+m"(x))

static inline float f32(uint32_t u) { float f; memcpy(&f, &u, 4); return f; }
static inline double f64(uint64_t u) { double d; memcpy(&d, &u, 8); return d; }
static inline uint32_t bits32(float f) { uint32_t u; memcpy(&u, &f, 4); return u; }
static inline uint64_t bits64(double d) { uint64_t u; memcpy(&u, &d, 8); return u; }
#endif

/* ---- The helpers ---- */

static unsigned helper_rm(RISCVCPU *cpu, uint64_t op)
{
    unsigned rm = op & RV_FOP_RM_MASK;

    if (rm == RV_RM_DYN)
        rm = (cpu->env.fcsr >> RV_FCSR_FRM_SHIFT) & 7;
    /* helper_check_frm has rejected 5..7 before any dynamic insn. */
    return rm <= RV_RM_RMM ? rm : RV_RM_RNE;
}

static inline uint64_t box(bool dbl, uint64_t r)
{
    return dbl ? r : r | RV_NANBOX_S;
}

static inline uint64_t unbox(bool dbl, uint64_t r)
{
    return dbl ? r : unbox_s(r);
}

#if defined(__x86_64__)
/* NaNs, and NaNs or infinities, tested in line: the fast paths cannot
   afford a call into the core for that. */
static inline bool host_nan_d(uint64_t a)
{
    return (a & ~(1ull << 63)) > 0x7ff0000000000000ull;
}

static inline bool host_nan_s(uint32_t a)
{
    return (a & ~(1u << 31)) > 0x7f800000u;
}

static inline bool nan_or_inf(bool dbl, uint64_t a)
{
    return dbl ? (a & 0x7ff0000000000000ull) == 0x7ff0000000000000ull
               : (a & 0x7f800000u) == 0x7f800000u;
}

/*
 * The fast paths of the commonest cases: add, sub, mul, div, sqrt and fma
 * on numbers with round-to-nearest-even, done on the host FPU as it is
 * while guest code runs (round to nearest, no flags but the guest's
 * pending ones; include/mimic/host-fp.h).  The flags the op raises stay
 * in the host FPU, pending, like those of the inline IR ops: reading or
 * writing MXCSR here would cost more than the op.
 */
static inline uint64_t fast_binop(unsigned kind, bool dbl, uint64_t a,
                                  uint64_t b)
{
    if (dbl) {
        double x = f64(a), y = f64(b), r;

        FP_PIN(x);
        FP_PIN(y);
        switch (kind) {
        case RV_FOP_ADD: r = x + y; break;
        case RV_FOP_SUB: r = x - y; break;
        case RV_FOP_MUL: r = x * y; break;
        case RV_FOP_DIV: r = x / y; break;
        default: r = __builtin_sqrt(x); break;
        }
        FP_PIN(r);
        return host_nan_d(bits64(r)) ? RV_CANON_NAN_D : bits64(r);
    } else {
        float x = f32((uint32_t)a), y = f32((uint32_t)b), r;

        FP_PIN(x);
        FP_PIN(y);
        switch (kind) {
        case RV_FOP_ADD: r = x + y; break;
        case RV_FOP_SUB: r = x - y; break;
        case RV_FOP_MUL: r = x * y; break;
        case RV_FOP_DIV: r = x / y; break;
        default: r = __builtin_sqrtf(x); break;
        }
        FP_PIN(r);
        return host_nan_s(bits32(r)) ? RV_CANON_NAN_S : bits32(r);
    }
}

/* The same for fmadd/fmsub/fnmsub/fnmadd on numbers (NaNs and inf * 0
   take the slow path, which has the NaN rules); false for the slow path. */
static inline bool fast_fma(unsigned neg, bool dbl, uint64_t a, uint64_t b,
                            uint64_t c, uint64_t *res)
{
    uint64_t sign = dbl ? 1ull << 63 : 1u << 31;

    if (nan_or_inf(dbl, a) || nan_or_inf(dbl, b) ||
        (dbl ? host_nan_d(c) : host_nan_s((uint32_t)c)))
        return false;
    if (neg & RV_FOP_NEG_PRODUCT)
        a ^= sign;
    if (neg & RV_FOP_NEG_ADDEND)
        c ^= sign;
    if (dbl) {
        double x = f64(a), y = f64(b), z = f64(c), r;

        FP_PIN(x);
        FP_PIN(y);
        FP_PIN(z);
        r = __builtin_fma(x, y, z);
        FP_PIN(r);
        *res = bits64(r);
    } else {
        float x = f32((uint32_t)a), y = f32((uint32_t)b), z = f32((uint32_t)c), r;

        FP_PIN(x);
        FP_PIN(y);
        FP_PIN(z);
        r = __builtin_fmaf(x, y, z);
        FP_PIN(r);
        *res = bits32(r);
    }
    return true;
}
#endif

void riscv_fold_host_fp_exc(RISCVCPU *cpu)
{
    /* FP_EXC_* has the bit order of fflags. */
    cpu->env.fcsr |= host_fp_exc_take() & FP_EXC_IEEE;
}

void riscv_fold_fp_exc(CPUState *cs, unsigned exc)
{
    RISCV_CPU(cs)->env.fcsr |= exc & FP_EXC_IEEE;
}

uint64_t helper_fbinop(RISCVCPU *cpu, uint64_t a, uint64_t b, uint64_t op)
{
    bool dbl = op & RV_FOP_D;
    unsigned flags = 0, kind = (unsigned)(op >> RV_FOP_SHIFT);
    unsigned rm = helper_rm(cpu, op);
    uint64_t r;

#if defined(__x86_64__)
    if (rm == RV_RM_RNE && kind <= RV_FOP_SQRT)
        return box(dbl, fast_binop(kind, dbl, unbox(dbl, a), unbox(dbl, b)));
#endif
    r = rv_fp_binop(kind, dbl, unbox(dbl, a), unbox(dbl, b), rm, &flags);
    cpu->env.fcsr |= flags;
    return box(dbl, r);
}

uint64_t helper_fmadd(RISCVCPU *cpu, uint64_t a, uint64_t b, uint64_t c,
                      uint64_t op)
{
    bool dbl = op & RV_FOP_D;
    unsigned flags = 0, neg = (unsigned)(op >> RV_FOP_SHIFT);
    unsigned rm = helper_rm(cpu, op);
    uint64_t r;

#if defined(__x86_64__)
    if (rm == RV_RM_RNE &&
        fast_fma(neg, dbl, unbox(dbl, a), unbox(dbl, b), unbox(dbl, c), &r))
        return box(dbl, r);
#endif
    r = rv_fp_fma(neg, dbl, unbox(dbl, a), unbox(dbl, b), unbox(dbl, c), rm,
                  &flags);
    cpu->env.fcsr |= flags;
    return box(dbl, r);
}

uint64_t helper_fcmp(RISCVCPU *cpu, uint64_t a, uint64_t b, uint64_t op)
{
    bool dbl = op & RV_FOP_D;
    unsigned kind = (unsigned)(op >> RV_FOP_SHIFT);
    FloatStatus st = rv_status(RV_RM_RNE);
    /* feq is quiet (NV for sNaN only); flt and fle signal. */
    bool signaling = kind != RV_FOP_EQ;
    FloatRelation rel = dbl ? f64_compare(a, b, signaling, &st)
                            : f32_compare((uint32_t)unbox_s(a),
                                          (uint32_t)unbox_s(b), signaling, &st);

    cpu->env.fcsr |= rv_flags(&st);
    switch (kind) {
    case RV_FOP_EQ: return rel == FLOAT_EQUAL;
    case RV_FOP_LT: return rel == FLOAT_LESS;
    default: return rel == FLOAT_LESS || rel == FLOAT_EQUAL;
    }
}

/* fclass's result bits are the core's classes in order. */
uint64_t helper_fclass(uint64_t a, uint64_t op)
{
    return 1u << (op & RV_FOP_D ? f64_classify(a)
                                : f32_classify((uint32_t)unbox_s(a)));
}

/* An integer (already sign- or zero-extended to 64 bits) to a format. */
static uint64_t int_to_float(bool dbl, uint64_t v, bool is_signed,
                             FloatStatus *st)
{
    if (is_signed)
        return dbl ? f64_from_int64((int64_t)v, st)
                   : f32_from_int64((int64_t)v, st);
    return dbl ? f64_from_uint64(v, st) : f32_from_uint64(v, st);
}

uint64_t helper_fcvt(RISCVCPU *cpu, uint64_t a, uint64_t op)
{
    unsigned kind = (unsigned)(op >> RV_FOP_SHIFT);
    unsigned rm = helper_rm(cpu, op), flags = 0;
    FloatStatus st = rv_status(rm);
    uint64_t r;

    switch (kind) {
    case RV_CVT_W_S: case RV_CVT_WU_S: case RV_CVT_L_S: case RV_CVT_LU_S:
        r = rv_float_to_int(false, unbox_s(a),
                            kind <= RV_CVT_WU_S ? 32 : 64,
                            !((kind - RV_CVT_W_S) & 1), rm, &flags);
        break;
    case RV_CVT_W_D: case RV_CVT_WU_D: case RV_CVT_L_D: case RV_CVT_LU_D:
        r = rv_float_to_int(true, a, kind <= RV_CVT_WU_D ? 32 : 64,
                            !((kind - RV_CVT_W_D) & 1), rm, &flags);
        break;
    case RV_CVT_S_W: case RV_CVT_S_WU: case RV_CVT_S_L: case RV_CVT_S_LU:
    case RV_CVT_D_W: case RV_CVT_D_WU: case RV_CVT_D_L: case RV_CVT_D_LU: {
        unsigned k = (kind - RV_CVT_S_W) & 3;
        bool dbl = kind >= RV_CVT_D_W;
        uint64_t v = k == 0 ? (uint64_t)(int64_t)(int32_t)a
                   : k == 1 ? (uint32_t)a : a;

        r = box(dbl, int_to_float(dbl, v, !(k & 1), &st));
        break;
    }
    case RV_CVT_S_D:
        r = box(false, f64_to_f32(a, &st));
        break;
    default:
        r = f32_to_f64((uint32_t)unbox_s(a), &st);
        break;
    }
    cpu->env.fcsr |= flags | rv_flags(&st);
    return r;
}

void helper_check_frm(RISCVCPU *cpu, uint64_t insn)
{
    if (((cpu->env.fcsr >> RV_FCSR_FRM_SHIFT) & 7) > RV_RM_RMM)
        riscv_raise_exception(cpu, RV_EXCP_ILLEGAL_INST, insn, GETPC());
}
