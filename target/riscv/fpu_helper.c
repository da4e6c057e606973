/*
 * The F and D extensions' arithmetic, exact to the bit and to the flag.
 *
 * The host FPU does the work where it already agrees with RISC-V: x86-64
 * SSE rounds add, sub, mul, div, sqrt and fma correctly in RNE, RTZ, RDN
 * and RUP, and detects tininess after rounding (Intel SDM vol. 1,
 * 11.5.2.5), which is also RISC-V's rule, so its MXCSR flags are the
 * fflags.  Add, sub, mul, div, sqrt and fma on numbers in RNE run on the
 * host FPU as it is and leave their flags there, pending, as the inline
 * IR ops do (include/mimic/host-fp.h; riscv_fold_host_fp_exc adds them to
 * fcsr).  Everything else sets MXCSR (rounding control, flags cleared,
 * every exception masked, no DAZ/FTZ), computes, reads the flags and
 * restores the caller's MXCSR with its pending flags: the rest of the
 * emulator keeps running in round-to-nearest.  Where x86 and RISC-V
 * differ, we fix up:
 *
 * - NaN results: x86 propagates an input's payload; RISC-V returns the
 *   canonical NaN, so every NaN result is replaced.
 * - RMM (ties to max magnitude) does not exist on x86.  The operation is
 *   computed in a wider format (double for single, __float128 for double)
 *   rounding toward zero, and the inexact flag ORed into the last bit
 *   ("round to odd", p + 2 <= wider precision, so no double rounding);
 *   rv_round_pack() then rounds that to the target in RMM with exact
 *   flags.  sqrt never needs it: a square root is never halfway between
 *   two floating-point numbers, so RNE gives the RMM result.
 * - fma(inf, 0, qNaN): RISC-V requires NV; x86 leaves it to the
 *   implementation.  Every fma with a NaN or an inf * 0 is decided here.
 * - Conversions to integers: x86 returns the "integer indefinite"
 *   0x80..0; RISC-V saturates.  They are done in integer code
 *   (rv_float_to_int), as are the conversions from integers
 *   (rv_round_pack), so every mode and flag is exact.
 * - Compares, min/max, fclass and sign injection work on the bits.
 *
 * Other hosts fall back to <fenv.h> (see host_fp_begin); a host that
 * detects tininess before rounding (Arm) would then need an UF fix-up.
 */
#include <math.h>
#include <string.h>

#include "mimic/exec.h"
#include "mimic/host-fp.h"
#include "fpu_helper.h"
#include "helper.h"
#include "internals.h"

const RVFloatFmt rv_fmt_s = { .p = 24, .emax = 127, .exp_bits = 8 };
const RVFloatFmt rv_fmt_d = { .p = 53, .emax = 1023, .exp_bits = 11 };

/* ---- The host's FP environment ---- */

#if defined(__x86_64__)
/* MXCSR: flags in bits 5:0, masks in 12:7, rounding control in 14:13. */
#define MXCSR_MASKS 0x1f80u
static const unsigned mxcsr_rc[4] = {
    [RV_RM_RNE] = 0, [RV_RM_RDN] = 1, [RV_RM_RUP] = 2, [RV_RM_RTZ] = 3,
};

typedef unsigned HostFPState;

static inline HostFPState host_fp_begin(unsigned rm)
{
    unsigned saved, csr = MXCSR_MASKS | mxcsr_rc[rm] << 13;

    __asm__ __volatile__("stmxcsr %0" : "=m"(saved) :: "memory");
    __asm__ __volatile__("ldmxcsr %0" :: "m"(csr) : "memory");
    return saved;
}

/* Restores the caller's MXCSR; returns the flags raised, as fflags. */
static inline unsigned host_fp_end(HostFPState saved)
{
    unsigned csr, f = 0;

    __asm__ __volatile__("stmxcsr %0" : "=m"(csr) :: "memory");
    __asm__ __volatile__("ldmxcsr %0" :: "m"(saved) : "memory");
    if (csr & 0x01) f |= RV_FFLAG_NV;
    if (csr & 0x04) f |= RV_FFLAG_DZ;
    if (csr & 0x08) f |= RV_FFLAG_OF;
    if (csr & 0x10) f |= RV_FFLAG_UF;
    if (csr & 0x20) f |= RV_FFLAG_NX;
    return f;
}
#else
#include <fenv.h>

typedef struct HostFPState { fenv_t env; } HostFPState;

static inline HostFPState host_fp_begin(unsigned rm)
{
    static const int modes[4] = {
        [RV_RM_RNE] = FE_TONEAREST, [RV_RM_RTZ] = FE_TOWARDZERO,
        [RV_RM_RDN] = FE_DOWNWARD, [RV_RM_RUP] = FE_UPWARD,
    };
    HostFPState s;

    feholdexcept(&s.env);
    fesetround(modes[rm]);
    return s;
}

static inline unsigned host_fp_end(HostFPState saved)
{
    int x = fetestexcept(FE_ALL_EXCEPT);
    unsigned f = 0;

    fesetenv(&saved.env);
    if (x & FE_INVALID) f |= RV_FFLAG_NV;
    if (x & FE_DIVBYZERO) f |= RV_FFLAG_DZ;
    if (x & FE_OVERFLOW) f |= RV_FFLAG_OF;
    if (x & FE_UNDERFLOW) f |= RV_FFLAG_UF;
    if (x & FE_INEXACT) f |= RV_FFLAG_NX;
    return f;
}
#endif

/*
 * The compiler does not know that arithmetic depends on the rounding mode
 * (no -frounding-math): pinning operands and results in memory with
 * volatile asm keeps every operation between host_fp_begin and
 * host_fp_end, and stops constant folding.
 */
#define FP_PIN(x) __asm__ __volatile__("" : "+m"(x))

static inline float f32(uint32_t u) { float f; memcpy(&f, &u, 4); return f; }
static inline double f64(uint64_t u) { double d; memcpy(&d, &u, 8); return d; }
static inline uint32_t bits32(float f) { uint32_t u; memcpy(&u, &f, 4); return u; }
static inline uint64_t bits64(double d) { uint64_t u; memcpy(&u, &d, 8); return u; }

/* ---- Format fields ---- */

static inline uint64_t sign_bit(const RVFloatFmt *f)
{
    return 1ull << (f->p - 1 + f->exp_bits);
}

static inline uint64_t exp_mask(const RVFloatFmt *f)
{
    return ((1ull << f->exp_bits) - 1) << (f->p - 1);
}

static inline uint64_t frac_mask(const RVFloatFmt *f)
{
    return (1ull << (f->p - 1)) - 1;
}

static inline uint64_t canon_nan(const RVFloatFmt *f)
{
    return exp_mask(f) | 1ull << (f->p - 2);
}

static inline bool is_nan(const RVFloatFmt *f, uint64_t a)
{
    return (a & ~sign_bit(f)) > exp_mask(f);
}

static inline bool is_snan(const RVFloatFmt *f, uint64_t a)
{
    return is_nan(f, a) && !(a & 1ull << (f->p - 2));
}

static inline bool is_inf(const RVFloatFmt *f, uint64_t a)
{
    return (a & ~sign_bit(f)) == exp_mask(f);
}

static inline bool is_zero(const RVFloatFmt *f, uint64_t a)
{
    return (a & ~sign_bit(f)) == 0;
}

/* Splits a finite nonzero value into sig * 2^exp2. */
static void unpack(const RVFloatFmt *f, uint64_t a, uint64_t *sig, int *exp2)
{
    int e = (int)((a & exp_mask(f)) >> (f->p - 1));

    *sig = a & frac_mask(f);
    if (e)
        *sig |= 1ull << (f->p - 1);
    else
        e = 1;
    *exp2 = e - f->emax - (f->p - 1);
}

static inline const RVFloatFmt *fmt_of(bool dbl)
{
    return dbl ? &rv_fmt_d : &rv_fmt_s;
}

/* The single-precision value in a 64-bit register: improperly boxed
   values read as the canonical NaN. */
static inline uint64_t unbox_s(uint64_t r)
{
    return (r >> 32) == 0xffffffffu ? (uint32_t)r : RV_CANON_NAN_S;
}

/* ---- Exact rounding ---- */

static int bitlen128(unsigned __int128 x)
{
    uint64_t hi = (uint64_t)(x >> 64);

    return hi ? 128 - __builtin_clzll(hi)
              : 64 - __builtin_clzll((uint64_t)x);
}

/* sig >> sh (sh may be <= 0: exact left shift), rounded in rm;
   *inexact says whether bits were lost. */
static unsigned __int128 round_shift(unsigned __int128 sig, int sh, bool sign,
                                     unsigned rm, bool *inexact)
{
    unsigned __int128 q, rem;
    int cmp;   /* the lost bits against one half of the last place */
    bool up;

    if (sh <= 0) {
        *inexact = false;
        return sig << -sh;
    }
    if (sh < 128) {
        unsigned __int128 half = (unsigned __int128)1 << (sh - 1);

        q = sig >> sh;
        rem = sig & ((half << 1) - 1);
        cmp = rem < half ? -1 : rem > half;
    } else {
        unsigned __int128 half = (unsigned __int128)1 << 127;

        q = 0;
        rem = sig;
        cmp = sh > 128 || rem < half ? -1 : rem > half;
    }
    *inexact = rem != 0;
    switch (rm) {
    case RV_RM_RNE: up = cmp > 0 || (cmp == 0 && (q & 1)); break;
    case RV_RM_RMM: up = cmp >= 0; break;
    case RV_RM_RDN: up = *inexact && sign; break;
    case RV_RM_RUP: up = *inexact && !sign; break;
    default: up = false; break;
    }
    return q + up;
}

/* The magnitude an overflow rounds to: infinity, or the largest finite
   number in the modes that round toward zero for this sign. */
static uint64_t overflow_result(const RVFloatFmt *f, bool sign, unsigned rm)
{
    bool to_max = rm == RV_RM_RTZ || (rm == RV_RM_RDN && !sign) ||
                  (rm == RV_RM_RUP && sign);

    return to_max ? exp_mask(f) - 1 : exp_mask(f);
}

uint64_t rv_round_pack(const RVFloatFmt *f, bool sign, int exp2,
                       unsigned __int128 sig, unsigned rm, unsigned *flags)
{
    int p = f->p, emin = 1 - f->emax;
    int nb = bitlen128(sig);
    int e = exp2 + nb - 1;          /* sig * 2^exp2 is in [2^e, 2^(e+1)) */
    int lsb;                        /* exponent of the result's last place */
    uint64_t s = sign ? sign_bit(f) : 0;
    unsigned __int128 q;
    bool tiny = false, inexact;
    int er;

    if (e < emin) {
        /* Tininess after rounding: round to p bits as if the exponent
           range were unbounded, and see if that is still below 2^emin. */
        unsigned __int128 qu = round_shift(sig, nb - p, sign, rm, &inexact);

        tiny = e + (bitlen128(qu) > p) < emin;
    }
    lsb = (e > emin ? e : emin) - p + 1;
    q = round_shift(sig, lsb - exp2, sign, rm, &inexact);
    if (q >> p) {                   /* rounded up into the next binade */
        q >>= 1;
        lsb++;
    }
    if (inexact) {
        *flags |= RV_FFLAG_NX;
        if (tiny)
            *flags |= RV_FFLAG_UF;
    }
    if (q < (1ull << (p - 1)))      /* zero or subnormal */
        return s | (uint64_t)q;
    er = lsb + p - 1;
    if (er > f->emax) {
        *flags |= RV_FFLAG_OF | RV_FFLAG_NX;
        return s | overflow_result(f, sign, rm);
    }
    return s | (uint64_t)(er + f->emax) << (p - 1) | ((uint64_t)q & frac_mask(f));
}

uint64_t rv_float_to_int(const RVFloatFmt *f, uint64_t a, int width,
                         bool is_signed, unsigned rm, unsigned *flags)
{
    bool sign = (a & sign_bit(f)) != 0;
    uint64_t max, min, sig, res;
    unsigned __int128 q, limit;
    bool inexact = false;
    int exp2;

    if (is_signed) {
        max = width == 32 ? INT32_MAX : INT64_MAX;
        min = -max - 1;
    } else {
        max = width == 32 ? UINT32_MAX : UINT64_MAX;
        min = 0;
    }
    if (is_nan(f, a)) {
        *flags |= RV_FFLAG_NV;
        res = max;
        goto out;
    }
    if (is_inf(f, a)) {
        *flags |= RV_FFLAG_NV;
        res = sign ? min : max;
        goto out;
    }
    if (is_zero(f, a))
        return 0;
    unpack(f, a, &sig, &exp2);
    limit = sign ? (is_signed ? (unsigned __int128)max + 1 : 0) : max;
    if (exp2 > 64) {
        q = limit + 1;
    } else {
        q = round_shift(sig, -exp2, sign, rm, &inexact);
    }
    if (q > limit) {
        /* Out of range: NV only, no NX (nor for -0.5 -> 0 unsigned,
           which is in range). */
        *flags |= RV_FFLAG_NV;
        res = sign ? min : max;
        goto out;
    }
    if (inexact)
        *flags |= RV_FFLAG_NX;
    res = sign ? -(uint64_t)q : (uint64_t)q;
out:
    return width == 32 ? (uint64_t)(int64_t)(int32_t)res : res;
}

/* Rounds a wider result computed toward zero (inexact says whether that
   lost bits) to f in RMM: NaN, infinity and zero pass through. */
static uint64_t finish_rmm(const RVFloatFmt *f, bool sign, bool nan, bool inf,
                           int exp2, unsigned __int128 sig, bool inexact,
                           unsigned *flags)
{
    uint64_t s = sign ? sign_bit(f) : 0;

    if (nan)
        return canon_nan(f);
    if (inf)
        return s | exp_mask(f);
    if (sig == 0)
        return s;
    return rv_round_pack(f, sign, exp2, sig | inexact, RV_RM_RMM, flags);
}

/* ---- Add, sub, mul, div, sqrt in the host's four modes ---- */

static uint64_t host_binop_s(unsigned op, uint32_t a, uint32_t b, unsigned rm,
                             unsigned *flags)
{
    float x = f32(a), y = f32(b), r = 0;
    HostFPState st = host_fp_begin(rm);

    FP_PIN(x);
    FP_PIN(y);
    switch (op) {
    case RV_FOP_ADD: r = x + y; break;
    case RV_FOP_SUB: r = x - y; break;
    case RV_FOP_MUL: r = x * y; break;
    case RV_FOP_DIV: r = x / y; break;
    case RV_FOP_SQRT: r = sqrtf(x); break;
    }
    FP_PIN(r);
    *flags |= host_fp_end(st);
    return is_nan(&rv_fmt_s, bits32(r)) ? RV_CANON_NAN_S : bits32(r);
}

static uint64_t host_binop_d(unsigned op, uint64_t a, uint64_t b, unsigned rm,
                             unsigned *flags)
{
    double x = f64(a), y = f64(b), r = 0;
    HostFPState st = host_fp_begin(rm);

    FP_PIN(x);
    FP_PIN(y);
    switch (op) {
    case RV_FOP_ADD: r = x + y; break;
    case RV_FOP_SUB: r = x - y; break;
    case RV_FOP_MUL: r = x * y; break;
    case RV_FOP_DIV: r = x / y; break;
    case RV_FOP_SQRT: r = sqrt(x); break;
    }
    FP_PIN(r);
    *flags |= host_fp_end(st);
    return is_nan(&rv_fmt_d, bits64(r)) ? RV_CANON_NAN_D : bits64(r);
}

/* ---- RMM through a wider format ---- */

/* A double result of a single-precision operation, rounded to odd. */
static uint64_t rmm_from_double(double r, unsigned hflags, unsigned *flags)
{
    uint64_t u = bits64(r), sig = 0;
    int exp2 = 0;
    bool nan = is_nan(&rv_fmt_d, u), inf = is_inf(&rv_fmt_d, u);

    *flags |= hflags & (RV_FFLAG_NV | RV_FFLAG_DZ);
    if (!nan && !inf && !is_zero(&rv_fmt_d, u))
        unpack(&rv_fmt_d, u, &sig, &exp2);
    return finish_rmm(&rv_fmt_s, u >> 63, nan, inf, exp2, sig,
                      (hflags & RV_FFLAG_NX) != 0, flags);
}

/* A __float128 result of a double-precision operation, rounded to odd. */
static uint64_t rmm_from_quad(__float128 r, unsigned hflags, unsigned *flags)
{
    unsigned __int128 u, sig = 0, fmask = ((unsigned __int128)1 << 112) - 1;
    int e, exp2 = 0;
    bool nan, inf;

    memcpy(&u, &r, sizeof(u));
    e = (int)(u >> 112) & 0x7fff;
    nan = e == 0x7fff && (u & fmask);
    inf = e == 0x7fff && !(u & fmask);
    *flags |= hflags & (RV_FFLAG_NV | RV_FFLAG_DZ);
    if (e != 0x7fff && (e || (u & fmask))) {
        sig = u & fmask;
        if (e)
            sig |= (unsigned __int128)1 << 112;
        else
            e = 1;
        exp2 = e - 16383 - 112;
    }
    return finish_rmm(&rv_fmt_d, (bool)(u >> 127), nan, inf, exp2, sig,
                      (hflags & RV_FFLAG_NX) != 0, flags);
}

static uint64_t rmm_binop_s(unsigned op, uint32_t a, uint32_t b,
                            unsigned *flags)
{
    float x = f32(a), y = f32(b);
    double dx, dy, r = 0;
    HostFPState st = host_fp_begin(RV_RM_RTZ);

    FP_PIN(x);
    FP_PIN(y);
    dx = x;         /* exact (an sNaN raises NV here) */
    dy = y;
    switch (op) {
    case RV_FOP_ADD: r = dx + dy; break;
    case RV_FOP_SUB: r = dx - dy; break;
    case RV_FOP_MUL: r = dx * dy; break;
    case RV_FOP_DIV: r = dx / dy; break;
    }
    FP_PIN(r);
    return rmm_from_double(r, host_fp_end(st), flags);
}

static uint64_t rmm_binop_d(unsigned op, uint64_t a, uint64_t b,
                            unsigned *flags)
{
    double x = f64(a), y = f64(b);
    __float128 qx, qy, r = 0;
    HostFPState st = host_fp_begin(RV_RM_RTZ);

    FP_PIN(x);
    FP_PIN(y);
    qx = x;
    qy = y;
    FP_PIN(qx);
    FP_PIN(qy);
    switch (op) {
    case RV_FOP_ADD: r = qx + qy; break;
    case RV_FOP_SUB: r = qx - qy; break;
    case RV_FOP_MUL: r = qx * qy; break;
    case RV_FOP_DIV: r = qx / qy; break;
    }
    FP_PIN(r);
    return rmm_from_quad(r, host_fp_end(st), flags);
}

/* ---- min/max (IEEE 754-2019 minimumNumber/maximumNumber) ---- */

/* An integer that orders non-NaN values, with -0 below +0. */
static int64_t order_key(const RVFloatFmt *f, uint64_t a, bool zero_signed)
{
    int64_t mag = (int64_t)(a & ~sign_bit(f));

    if (!(a & sign_bit(f)))
        return mag;
    return zero_signed ? -mag - 1 : -mag;
}

static uint64_t minmax(const RVFloatFmt *f, bool is_max, uint64_t a,
                       uint64_t b, unsigned *flags)
{
    bool an = is_nan(f, a), bn = is_nan(f, b);
    int64_t ka, kb;

    if (is_snan(f, a) || is_snan(f, b))
        *flags |= RV_FFLAG_NV;
    if (an && bn)
        return canon_nan(f);
    if (an)
        return b;
    if (bn)
        return a;
    ka = order_key(f, a, true);
    kb = order_key(f, b, true);
    return (ka < kb) != is_max ? a : b;
}

uint64_t rv_fp_binop(unsigned op, bool dbl, uint64_t a, uint64_t b,
                     unsigned rm, unsigned *flags)
{
    const RVFloatFmt *f = fmt_of(dbl);

    if (op == RV_FOP_MIN || op == RV_FOP_MAX)
        return minmax(f, op == RV_FOP_MAX, a, b, flags);
    if (rm == RV_RM_RMM && op == RV_FOP_SQRT)
        rm = RV_RM_RNE;     /* never a tie */
    if (rm == RV_RM_RMM) {
        return dbl ? rmm_binop_d(op, a, b, flags)
                   : rmm_binop_s(op, (uint32_t)a, (uint32_t)b, flags);
    }
    return dbl ? host_binop_d(op, a, b, rm, flags)
               : host_binop_s(op, (uint32_t)a, (uint32_t)b, rm, flags);
}

/* ---- Fused multiply-add ---- */

static uint64_t fma_s(uint32_t a, uint32_t b, uint32_t c, unsigned rm,
                      unsigned *flags)
{
    float x = f32(a), y = f32(b), z = f32(c);
    HostFPState st = host_fp_begin(rm == RV_RM_RMM ? RV_RM_RTZ : rm);

    FP_PIN(x);
    FP_PIN(y);
    FP_PIN(z);
    if (rm == RV_RM_RMM) {
        /* The product of two singles is exact in double. */
        double p = (double)x * (double)y, r;

        FP_PIN(p);
        r = p + (double)z;
        FP_PIN(r);
        return rmm_from_double(r, host_fp_end(st), flags);
    }
    float r = fmaf(x, y, z);

    FP_PIN(r);
    *flags |= host_fp_end(st);
    return is_nan(&rv_fmt_s, bits32(r)) ? RV_CANON_NAN_S : bits32(r);
}

static uint64_t fma_d(uint64_t a, uint64_t b, uint64_t c, unsigned rm,
                      unsigned *flags)
{
    double x = f64(a), y = f64(b), z = f64(c);
    HostFPState st = host_fp_begin(rm == RV_RM_RMM ? RV_RM_RTZ : rm);

    FP_PIN(x);
    FP_PIN(y);
    FP_PIN(z);
    if (rm == RV_RM_RMM) {
        /* The product of two doubles is exact in __float128. */
        __float128 p = (__float128)x * (__float128)y, r;

        FP_PIN(p);
        r = p + (__float128)z;
        FP_PIN(r);
        return rmm_from_quad(r, host_fp_end(st), flags);
    }
    double r = fma(x, y, z);

    FP_PIN(r);
    *flags |= host_fp_end(st);
    return is_nan(&rv_fmt_d, bits64(r)) ? RV_CANON_NAN_D : bits64(r);
}

uint64_t rv_fp_fma(unsigned neg, bool dbl, uint64_t a, uint64_t b,
                   uint64_t c, unsigned rm, unsigned *flags)
{
    const RVFloatFmt *f = fmt_of(dbl);
    bool inf_zero = (is_inf(f, a) && is_zero(f, b)) ||
                    (is_zero(f, a) && is_inf(f, b));

    if (neg & RV_FOP_NEG_PRODUCT)
        a ^= sign_bit(f);
    if (neg & RV_FOP_NEG_ADDEND)
        c ^= sign_bit(f);
    if (is_nan(f, a) || is_nan(f, b) || is_nan(f, c) || inf_zero) {
        /* inf * 0 is invalid even when the addend is a quiet NaN. */
        if (inf_zero || is_snan(f, a) || is_snan(f, b) || is_snan(f, c))
            *flags |= RV_FFLAG_NV;
        return canon_nan(f);
    }
    return dbl ? fma_d(a, b, c, rm, flags)
               : fma_s((uint32_t)a, (uint32_t)b, (uint32_t)c, rm, flags);
}

/* ---- Conversions between the formats ---- */

static uint64_t cvt_s_d(uint64_t a, unsigned rm, unsigned *flags)
{
    if (is_nan(&rv_fmt_d, a)) {
        if (is_snan(&rv_fmt_d, a))
            *flags |= RV_FFLAG_NV;
        return RV_CANON_NAN_S;
    }
    if (rm == RV_RM_RMM) {
        uint64_t s = (a >> 63) << 31, sig;
        int exp2;

        if (is_inf(&rv_fmt_d, a))
            return s | 0x7f800000u;
        if (is_zero(&rv_fmt_d, a))
            return s;
        unpack(&rv_fmt_d, a, &sig, &exp2);
        return rv_round_pack(&rv_fmt_s, a >> 63, exp2, sig, rm, flags);
    }
    double x = f64(a);
    float r;
    HostFPState st = host_fp_begin(rm);

    FP_PIN(x);
    r = (float)x;
    FP_PIN(r);
    *flags |= host_fp_end(st);
    return bits32(r);
}

/* Exact: only the NaN cases need care. */
static uint64_t cvt_d_s(uint32_t a, unsigned *flags)
{
    uint64_t sig;
    int exp2;

    if (is_nan(&rv_fmt_s, a)) {
        if (is_snan(&rv_fmt_s, a))
            *flags |= RV_FFLAG_NV;
        return RV_CANON_NAN_D;
    }
    if (is_inf(&rv_fmt_s, a))
        return (uint64_t)(a >> 31) << 63 | exp_mask(&rv_fmt_d);
    if (is_zero(&rv_fmt_s, a))
        return (uint64_t)(a >> 31) << 63;
    unpack(&rv_fmt_s, a, &sig, &exp2);
    return rv_round_pack(&rv_fmt_d, a >> 31, exp2, sig, RV_RM_RNE, flags);
}

/* An integer (already sign- or zero-extended to 64 bits) to a format. */
static uint64_t int_to_float(const RVFloatFmt *f, uint64_t v, bool is_signed,
                             unsigned rm, unsigned *flags)
{
    bool sign = is_signed && (int64_t)v < 0;
    uint64_t mag = sign ? -v : v;

    if (!mag)
        return 0;
    return rv_round_pack(f, sign, 0, mag, rm, flags);
}

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
        return is_nan(&rv_fmt_d, bits64(r)) ? RV_CANON_NAN_D : bits64(r);
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
        return is_nan(&rv_fmt_s, bits32(r)) ? RV_CANON_NAN_S : bits32(r);
    }
}

/* The same for fmadd/fmsub/fnmsub/fnmadd on numbers (NaNs and inf * 0
   take the slow path, which has the NaN rules); false for the slow path. */
static inline bool fast_fma(unsigned neg, bool dbl, uint64_t a, uint64_t b,
                            uint64_t c, uint64_t *res)
{
    const RVFloatFmt *f = fmt_of(dbl);

    if (is_nan(f, a) || is_nan(f, b) || is_nan(f, c) || is_inf(f, a) ||
        is_inf(f, b))
        return false;
    if (neg & RV_FOP_NEG_PRODUCT)
        a ^= sign_bit(f);
    if (neg & RV_FOP_NEG_ADDEND)
        c ^= sign_bit(f);
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
    cpu->env.fcsr |= host_fp_exc_take();
}

void riscv_fold_fp_exc(CPUState *cs, unsigned exc)
{
    RISCV_CPU(cs)->env.fcsr |= exc & 0x1f;
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
    const RVFloatFmt *f = fmt_of(dbl);
    unsigned kind = (unsigned)(op >> RV_FOP_SHIFT);
    int64_t ka, kb;

    a = unbox(dbl, a);
    b = unbox(dbl, b);
    if (is_nan(f, a) || is_nan(f, b)) {
        /* feq is quiet (NV for sNaN only); flt and fle signal. */
        if (kind != RV_FOP_EQ || is_snan(f, a) || is_snan(f, b))
            cpu->env.fcsr |= RV_FFLAG_NV;
        return 0;
    }
    ka = order_key(f, a, false);
    kb = order_key(f, b, false);
    switch (kind) {
    case RV_FOP_EQ: return ka == kb;
    case RV_FOP_LT: return ka < kb;
    default: return ka <= kb;
    }
}

uint64_t helper_fclass(uint64_t a, uint64_t op)
{
    bool dbl = op & RV_FOP_D;
    const RVFloatFmt *f = fmt_of(dbl);
    bool neg;

    a = unbox(dbl, a);
    neg = (a & sign_bit(f)) != 0;
    if (is_nan(f, a))
        return is_snan(f, a) ? 1u << 8 : 1u << 9;
    if (is_inf(f, a))
        return neg ? 1u << 0 : 1u << 7;
    if (is_zero(f, a))
        return neg ? 1u << 3 : 1u << 4;
    if (!(a & exp_mask(f)))
        return neg ? 1u << 2 : 1u << 5;
    return neg ? 1u << 1 : 1u << 6;
}

uint64_t helper_fcvt(RISCVCPU *cpu, uint64_t a, uint64_t op)
{
    unsigned kind = (unsigned)(op >> RV_FOP_SHIFT);
    unsigned rm = helper_rm(cpu, op), flags = 0;
    uint64_t r;

    switch (kind) {
    case RV_CVT_W_S: case RV_CVT_WU_S: case RV_CVT_L_S: case RV_CVT_LU_S:
        r = rv_float_to_int(&rv_fmt_s, unbox_s(a),
                            kind <= RV_CVT_WU_S ? 32 : 64,
                            !((kind - RV_CVT_W_S) & 1), rm, &flags);
        break;
    case RV_CVT_W_D: case RV_CVT_WU_D: case RV_CVT_L_D: case RV_CVT_LU_D:
        r = rv_float_to_int(&rv_fmt_d, a, kind <= RV_CVT_WU_D ? 32 : 64,
                            !((kind - RV_CVT_W_D) & 1), rm, &flags);
        break;
    case RV_CVT_S_W: case RV_CVT_S_WU: case RV_CVT_S_L: case RV_CVT_S_LU:
    case RV_CVT_D_W: case RV_CVT_D_WU: case RV_CVT_D_L: case RV_CVT_D_LU: {
        unsigned k = (kind - RV_CVT_S_W) & 3;
        bool dbl = kind >= RV_CVT_D_W;
        uint64_t v = k == 0 ? (uint64_t)(int64_t)(int32_t)a
                   : k == 1 ? (uint32_t)a : a;

        r = box(dbl, int_to_float(fmt_of(dbl), v, !(k & 1), rm, &flags));
        break;
    }
    case RV_CVT_S_D:
        r = box(false, cvt_s_d(a, rm, &flags));
        break;
    default:
        r = cvt_d_s((uint32_t)unbox_s(a), &flags);
        break;
    }
    cpu->env.fcsr |= flags;
    return r;
}

void helper_check_frm(RISCVCPU *cpu, uint64_t insn)
{
    if (((cpu->env.fcsr >> RV_FCSR_FRM_SHIFT) & 7) > RV_RM_RMM)
        riscv_raise_exception(cpu, RV_EXCP_ILLEGAL_INST, insn, GETPC());
}
