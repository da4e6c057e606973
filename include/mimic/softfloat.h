/*
 * The soft-float core (fpu/softfloat.c): IEEE 754 binary32 and binary64
 * arithmetic in integer code, exact to the bit and to the flag, with what
 * differs between guest architectures as parameters in a FloatStatus: the
 * rounding mode, tininess detection, flush-to-zero and denormals-are-zero,
 * the NaN policy (which NaN a NaN result is) and what an out-of-range
 * conversion to an integer returns.  Values travel as raw bits (uint32_t
 * for binary32, uint64_t for binary64); no host floating point is used.
 * A target builds a status from its control register, calls the
 * operations, and maps the accrued flags back to its own register layout
 * (docs/devel/softfloat.md):
 *
 *   FloatStatus st = { .round = FLOAT_ROUND_TO_ZERO,
 *                      .nan_rule = FLOAT_NAN_DEFAULT };
 *   uint64_t r = f64_add(a, b, &st);
 *   if (st.flags & FLOAT_FLAG_INEXACT) ...
 *
 * Formats: f32_*, f64_* and x80_* (the x87 80-bit format, at the end of
 * this header); names leave room for f16_* and bf16_*.
 */
#ifndef MIMIC_SOFTFLOAT_H
#define MIMIC_SOFTFLOAT_H

#include <stdbool.h>
#include <stdint.h>

/* Rounding-direction attributes (IEEE 754-2019 4.3).  The numbering is
   RISC-V's rm field, which that target relies on. */
typedef enum FloatRound {
    FLOAT_ROUND_NEAREST_EVEN = 0,
    FLOAT_ROUND_TO_ZERO = 1,
    FLOAT_ROUND_DOWN = 2,       /* toward -inf */
    FLOAT_ROUND_UP = 3,         /* toward +inf */
    FLOAT_ROUND_NEAREST_MAX_MAG = 4,    /* ties away from zero */
} FloatRound;

/* The accrued exception flags.  The five IEEE flags have the bit order of
   FP_EXC_* in host-fp.h; a target maps them to its own register. */
enum {
    FLOAT_FLAG_INEXACT = 1,
    FLOAT_FLAG_UNDERFLOW = 2,
    FLOAT_FLAG_OVERFLOW = 4,
    FLOAT_FLAG_DIVBYZERO = 8,
    FLOAT_FLAG_INVALID = 16,
    /* Not IEEE: an arithmetic operation consumed a subnormal operand with
       denormals-are-zero off (x86's DE flag). */
    FLOAT_FLAG_INPUT_DENORMAL = 32,
    FLOAT_FLAGS_IEEE = 31,
};

/* When a result is tiny (IEEE 754-2019 7.5): x86 and RISC-V look after
   rounding (as if the exponent range were unbounded), Arm before. */
typedef enum FloatTininess {
    FLOAT_TININESS_AFTER_ROUNDING = 0,
    FLOAT_TININESS_BEFORE_ROUNDING = 1,
} FloatTininess;

/* Which NaN an operation with NaN operands returns. */
typedef enum FloatNaNRule {
    /* Always the default NaN (RISC-V). */
    FLOAT_NAN_DEFAULT = 0,
    /* The first NaN operand (in the order a, b, c), quieted (x86 SSE). */
    FLOAT_NAN_FIRST,
    /* The first signaling NaN, else the first quiet NaN, quieted (Arm). */
    FLOAT_NAN_SNAN_FIRST,
} FloatNaNRule;

/* What a conversion to an integer returns for a NaN or an out-of-range
   value (it always raises invalid, and never inexact, then). */
typedef enum FloatIntOverflow {
    /* The nearest representable end; a NaN gives the maximum (RISC-V). */
    FLOAT_INT_SATURATE = 0,
    /* The nearest end; a NaN gives 0 (Arm). */
    FLOAT_INT_SATURATE_NAN_ZERO,
    /* x86's "integer indefinite": the most negative signed value, or all
       ones for an unsigned result. */
    FLOAT_INT_INDEFINITE,
} FloatIntOverflow;

/*
 * The floating-point environment of one operation.  flags accrue (are
 * ORed into, never cleared); the rest is read only.  A zero-initialised
 * status is IEEE's default: round to nearest even, tininess after
 * rounding, no flushing, default NaNs that are positive, saturating
 * conversions, fma(inf, 0, qNaN) quiet.
 */
typedef struct FloatStatus {
    uint8_t round;          /* FloatRound */
    uint8_t tininess;       /* FloatTininess */
    uint8_t nan_rule;       /* FloatNaNRule */
    uint8_t int_overflow;   /* FloatIntOverflow */
    bool default_nan_negative;  /* x86: 0xffc00000; RISC-V: 0x7fc00000 */
    bool flush_to_zero;     /* tiny results become zero, raising UF + NX */
    bool denormals_are_zero;    /* subnormal operands read as zero */
    /* fma(inf, 0, qNaN) raises invalid (RISC-V, Arm; x86 does not). */
    bool fma_inf_zero_nan_invalid;
    /* An overflow raises inexact only if rounding the significand was
       inexact, as x86 SSE does with the overflow exception unmasked
       (whose result is not delivered); else always, as IEEE says. */
    bool overflow_trapped;
    uint8_t flags;          /* FLOAT_FLAG_*, accrued */
    /* x87 precision control: the significand bits (24, 53; 0 or 64 for
       all 64) to which x80 add, sub, mul, div and sqrt round. */
    uint8_t x80_precision;
    /* The x87 with overflow (underflow) unmasked: an x80 result too big
       (tiny, even exact) is rounded at its own exponent and delivered
       with 24576 taken from (added to) its exponent, raising overflow
       (underflow); one still out of range after that is a signed
       infinity (zero) in every rounding mode, inexact. */
    bool x80_wrap_overflow, x80_wrap_underflow;
} FloatStatus;

/* A binary interchange format: p significand bits (the hidden one
   included), the exponent field width and emax (emin = 1 - emax). */
typedef struct FloatFmt {
    int p;
    int exp_bits;
    int emax;
} FloatFmt;

extern const FloatFmt float_fmt_f32, float_fmt_f64;

/* The classes of IEEE 754-2019 5.7.2, in RISC-V fclass's bit order. */
typedef enum FloatClass {
    FLOAT_CLASS_NEG_INF, FLOAT_CLASS_NEG_NORMAL, FLOAT_CLASS_NEG_SUBNORMAL,
    FLOAT_CLASS_NEG_ZERO, FLOAT_CLASS_POS_ZERO, FLOAT_CLASS_POS_SUBNORMAL,
    FLOAT_CLASS_POS_NORMAL, FLOAT_CLASS_POS_INF, FLOAT_CLASS_SNAN,
    FLOAT_CLASS_QNAN,
} FloatClass;

typedef enum FloatRelation {
    FLOAT_LESS = -1, FLOAT_EQUAL = 0, FLOAT_GREATER = 1, FLOAT_UNORDERED = 2,
} FloatRelation;

/* The min/max operations. */
typedef enum FloatMinMax {
    /* IEEE 754-2019 minimumNumber/maximumNumber: a NaN operand loses to a
       number, -0 < +0, a signaling NaN raises invalid (RISC-V F 2.2+). */
    FLOAT_MINMAX_NUMBER,
    /* IEEE 754-2008 minNum/maxNum: the same, except that a signaling NaN
       operand gives a NaN result (by the NaN rule). */
    FLOAT_MINMAX_NUM_2008,
    /* IEEE 754-2019 minimum/maximum: any NaN operand gives a NaN. */
    FLOAT_MINMAX_NAN_PROPAGATING,
    /* x86 MINSD/MAXSD: a < b ? a : b (a > b for max), so the second
       operand when either is a NaN or both are zeros; any NaN raises
       invalid. */
    FLOAT_MINMAX_X86,
} FloatMinMax;

/* fused multiply-add: the negations apply to numbers; NaN operands
   propagate as they are. */
enum {
    FLOAT_MULADD_NEG_ADDEND = 1,    /* a * b - c */
    FLOAT_MULADD_NEG_PRODUCT = 2,   /* -(a * b) + c */
};

/* ---- The format-generic core (raw bits of fmt in a uint64_t) ---- */

/*
 * Rounds (-1)^sign * sig * 2^exp2 (sig != 0) to fmt under st (rounding,
 * tininess, flush-to-zero), raising overflow, underflow and inexact;
 * returns the encoding.  The building block of every operation, exported
 * for targets that compute a wide result themselves and for tests.
 */
uint64_t float_round_pack(const FloatFmt *fmt, bool sign, int exp2,
                          unsigned __int128 sig, FloatStatus *st);

/* fmt's default NaN under st (quiet, payload zero). */
uint64_t float_default_nan(const FloatFmt *fmt, const FloatStatus *st);

bool float_is_nan(const FloatFmt *fmt, uint64_t a);
bool float_is_signaling_nan(const FloatFmt *fmt, uint64_t a);

/* ---- binary32 ---- */

uint32_t f32_add(uint32_t a, uint32_t b, FloatStatus *st);
uint32_t f32_sub(uint32_t a, uint32_t b, FloatStatus *st);
uint32_t f32_mul(uint32_t a, uint32_t b, FloatStatus *st);
uint32_t f32_div(uint32_t a, uint32_t b, FloatStatus *st);
uint32_t f32_sqrt(uint32_t a, FloatStatus *st);
/* a * b + c with one rounding; neg is FLOAT_MULADD_*. */
uint32_t f32_muladd(uint32_t a, uint32_t b, uint32_t c, unsigned neg,
                    FloatStatus *st);
uint32_t f32_minmax(uint32_t a, uint32_t b, FloatMinMax kind, bool is_max,
                    FloatStatus *st);
/* Quiet compares raise invalid for signaling NaNs only; signaling
   compares (IEEE's compareSignaling*) for any NaN. */
FloatRelation f32_compare(uint32_t a, uint32_t b, bool signaling,
                          FloatStatus *st);
FloatClass f32_classify(uint32_t a);
/* roundToIntegral in rm; exact: raise inexact when the value changes
   (roundToIntegralExact). */
uint32_t f32_round_to_int(uint32_t a, FloatRound rm, bool exact,
                          FloatStatus *st);
/*
 * To an integer of width 32 or 64 bits, signed or not, rounding in rm
 * (not st->round: x86's truncating conversions pass TO_ZERO); NaN and
 * out-of-range operands follow st->int_overflow.  Signed 32-bit results
 * come back sign-extended to 64 bits, unsigned ones zero-extended.
 */
uint64_t f32_to_int(uint32_t a, int width, bool is_signed, FloatRound rm,
                    FloatStatus *st);
uint64_t f32_to_f64(uint32_t a, FloatStatus *st);
/* Integers to binary32, rounding in st->round. */
uint32_t f32_from_int64(int64_t v, FloatStatus *st);
uint32_t f32_from_uint64(uint64_t v, FloatStatus *st);

/* ---- binary64 ---- */

uint64_t f64_add(uint64_t a, uint64_t b, FloatStatus *st);
uint64_t f64_sub(uint64_t a, uint64_t b, FloatStatus *st);
uint64_t f64_mul(uint64_t a, uint64_t b, FloatStatus *st);
uint64_t f64_div(uint64_t a, uint64_t b, FloatStatus *st);
uint64_t f64_sqrt(uint64_t a, FloatStatus *st);
uint64_t f64_muladd(uint64_t a, uint64_t b, uint64_t c, unsigned neg,
                    FloatStatus *st);
uint64_t f64_minmax(uint64_t a, uint64_t b, FloatMinMax kind, bool is_max,
                    FloatStatus *st);
FloatRelation f64_compare(uint64_t a, uint64_t b, bool signaling,
                          FloatStatus *st);
FloatClass f64_classify(uint64_t a);
uint64_t f64_round_to_int(uint64_t a, FloatRound rm, bool exact,
                          FloatStatus *st);
uint64_t f64_to_int(uint64_t a, int width, bool is_signed, FloatRound rm,
                    FloatStatus *st);
uint32_t f64_to_f32(uint64_t a, FloatStatus *st);
uint64_t f64_from_int64(int64_t v, FloatStatus *st);
uint64_t f64_from_uint64(uint64_t v, FloatStatus *st);

/* ---- x87 80-bit extended (fpu/softfloat-x80.c) ---- */

/*
 * The x87 double extended format: a sign, a 15-bit biased exponent and a
 * 64-bit significand whose top bit (the integer bit) is explicit.  The
 * encodings the SDM calls unsupported (an exponent other than 0 with the
 * integer bit clear: unnormals, pseudo-infinities, pseudo-NaNs) are an
 * invalid operation as operands; pseudo-denormals (exponent 0, integer
 * bit set) read as denormals, as x87 reads them.  NaNs follow x87's rule
 * (SDM vol. 1, table 4-7), not st->nan_rule: a quiet NaN beats a
 * signaling one, of two NaNs alike the one with the larger significand;
 * the default NaN is the "real indefinite" 0xffff c000000000000000.
 * The status' round, tininess and x80_precision apply; flush_to_zero and
 * denormals_are_zero do not (x87 has neither).  FLOAT_FLAG_INPUT_DENORMAL
 * is x87's DE: raised for denormal operands of arithmetic, compares,
 * rounding to an integer and conversions from f32/f64.
 */
typedef struct FloatX80 {
    uint64_t sig;       /* the significand, integer bit at bit 63 */
    uint16_t se;        /* sign at bit 15, biased exponent below */
} FloatX80;

#define X80_EXP_BIAS 16383
#define X80_EXP_MAX 0x7fff

static inline FloatX80 x80_make(bool sign, int exp, uint64_t sig)
{
    return (FloatX80){ .sig = sig, .se = (uint16_t)((sign ? 0x8000 : 0) | exp) };
}

FloatX80 x80_default_nan(void);
bool x80_is_nan(FloatX80 a);
bool x80_is_signaling_nan(FloatX80 a);
/* An unnormal, pseudo-infinity or pseudo-NaN. */
bool x80_is_unsupported(FloatX80 a);

/* Rounds (-1)^sign * sig * 2^exp2 (sig != 0) to st->x80_precision bits
   (0: 64) in the 15-bit exponent range, raising OF, UF and NX. */
FloatX80 x80_round_pack(bool sign, int exp2, unsigned __int128 sig,
                        FloatStatus *st);

FloatX80 x80_add(FloatX80 a, FloatX80 b, FloatStatus *st);
FloatX80 x80_sub(FloatX80 a, FloatX80 b, FloatStatus *st);
FloatX80 x80_mul(FloatX80 a, FloatX80 b, FloatStatus *st);
FloatX80 x80_div(FloatX80 a, FloatX80 b, FloatStatus *st);
FloatX80 x80_sqrt(FloatX80 a, FloatStatus *st);
/* FRNDINT: to an integral value in st->round, inexact when it changes. */
FloatX80 x80_round_to_int(FloatX80 a, FloatStatus *st);
/* FCOM (signaling: any NaN is invalid) and FUCOM (quiet). */
FloatRelation x80_compare(FloatX80 a, FloatX80 b, bool signaling,
                          FloatStatus *st);
/* To a signed integer of 16, 32 or 64 bits in rm; NaNs, infinities and
   out-of-range values give the integer indefinite (the most negative
   value) with invalid.  The result is sign-extended to 64 bits. */
int64_t x80_to_int(FloatX80 a, int width, FloatRound rm, FloatStatus *st);
FloatX80 x80_from_int64(int64_t v);
/* Format changes; the narrowing ones round in st->round to 24 or 53
   bits and keep a NaN's sign and the top of its payload. */
FloatX80 f32_to_x80(uint32_t a, FloatStatus *st);
FloatX80 f64_to_x80(uint64_t a, FloatStatus *st);
uint32_t x80_to_f32(FloatX80 a, FloatStatus *st);
uint64_t x80_to_f64(FloatX80 a, FloatStatus *st);
/* a * 2^n, rounded to 64 bits (FSCALE once its operand is an integer). */
FloatX80 x80_scalbn(FloatX80 a, int n, FloatStatus *st);
/*
 * FPREM (round_nearest false: the quotient truncated) and FPREM1 (the
 * quotient rounded to nearest even): the partial remainder of a by b.
 * *quot gets the low bits of the quotient; *partial says the remainder is
 * not final (the exponents differ by 64 or more, so only part of the
 * reduction was done, as x87 does it; the instruction sets C2 then).
 */
FloatX80 x80_rem(FloatX80 a, FloatX80 b, bool round_nearest, uint64_t *quot,
                 bool *partial, FloatStatus *st);

/*
 * The transcendentals (fpu/softfloat-x80-trans.c), rounded once to 64
 * bits in st->round (x80_precision does not apply), correctly in all
 * but about one case in 2^50: F2XM1 (2^a - 1; outside [-1, 1] the
 * operand itself, inexact, as the CPU gives it), FYL2X (y * log2 x),
 * FYL2XP1 (y * log2(1 + x)), FPATAN (atan(y / x) in (-pi, pi]).
 * x80_sin_cos (either output may be NULL) and x80_tan reduce against
 * the x87's 66-bit pi and return false, writing nothing, for
 * |a| >= 2^63 (the instruction sets C2).
 */
FloatX80 x80_f2xm1(FloatX80 a, FloatStatus *st);
FloatX80 x80_yl2x(FloatX80 x, FloatX80 y, FloatStatus *st);
FloatX80 x80_yl2xp1(FloatX80 x, FloatX80 y, FloatStatus *st);
FloatX80 x80_atan2(FloatX80 y, FloatX80 x, FloatStatus *st);
bool x80_sin_cos(FloatX80 a, FloatX80 *sin, FloatX80 *cos, FloatStatus *st);
bool x80_tan(FloatX80 a, FloatX80 *tan, FloatStatus *st);

#endif
