/*
 * The soft-float core: IEEE 754 binary32/binary64 arithmetic in integer
 * code, with the guest-specific choices (rounding, tininess, flushing, NaN
 * results, integer saturation) taken from a FloatStatus.  Every operation
 * follows one plan: decide the special operands (NaN, infinity, zero) by
 * the standard and the status' NaN rule, then compute the exact result,
 * or a result whose lowest bit is "sticky" (ORed with every bit that does
 * not fit), as sig * 2^exp2 in a 128-bit integer, and hand it to
 * float_round_pack, the one place that rounds, overflows, underflows and
 * flushes.  The core is written once over a FloatFmt (precision, exponent
 * width): a format is a table, not a copy of the code.  The header
 * (include/mimic/softfloat.h) documents the API, docs/devel/softfloat.md
 * the policies.
 *
 * The significands of binary32/64 fit in 64 bits and the products in 128,
 * so add, mul and fma are exact before rounding; div and sqrt compute at
 * least p + 2 quotient/root bits plus a sticky bit, which rounds correctly
 * in every mode (the sticky bit decides whether a tie is exact).
 */
#include "softfloat-internal.h"

/* The generic operations are inlined into each format's entry point, so
   that the format's constants fold: the same speed as code written for
   one format, without writing it twice. */
#define SF_GENERIC static inline __attribute__((always_inline))

const FloatFmt float_fmt_f32 = { .p = 24, .exp_bits = 8, .emax = 127 };
const FloatFmt float_fmt_f64 = { .p = 53, .exp_bits = 11, .emax = 1023 };

/* ---- Format fields ---- */

static inline uint64_t sign_bit(const FloatFmt *f)
{
    return 1ull << (f->p - 1 + f->exp_bits);
}

static inline uint64_t exp_mask(const FloatFmt *f)
{
    return ((1ull << f->exp_bits) - 1) << (f->p - 1);
}

static inline uint64_t frac_mask(const FloatFmt *f)
{
    return (1ull << (f->p - 1)) - 1;
}

static inline uint64_t quiet_bit(const FloatFmt *f)
{
    return 1ull << (f->p - 2);
}

static inline bool is_nan(const FloatFmt *f, uint64_t a)
{
    return (a & ~sign_bit(f)) > exp_mask(f);
}

static inline bool is_snan(const FloatFmt *f, uint64_t a)
{
    return is_nan(f, a) && !(a & quiet_bit(f));
}

static inline bool is_inf(const FloatFmt *f, uint64_t a)
{
    return (a & ~sign_bit(f)) == exp_mask(f);
}

static inline bool is_zero(const FloatFmt *f, uint64_t a)
{
    return (a & ~sign_bit(f)) == 0;
}

static inline bool is_subnormal(const FloatFmt *f, uint64_t a)
{
    return !(a & exp_mask(f)) && (a & frac_mask(f));
}

static inline bool sign_of(const FloatFmt *f, uint64_t a)
{
    return (a & sign_bit(f)) != 0;
}

/* Splits a finite nonzero value into sig * 2^exp2 (sig < 2^p). */
static inline void unpack(const FloatFmt *f, uint64_t a, uint64_t *sig,
                          int *exp2)
{
    int e = (int)((a & exp_mask(f)) >> (f->p - 1));

    *sig = a & frac_mask(f);
    if (e)
        *sig |= 1ull << (f->p - 1);
    else
        e = 1;
    *exp2 = e - f->emax - (f->p - 1);
}

bool float_is_nan(const FloatFmt *f, uint64_t a)
{
    return is_nan(f, a);
}

bool float_is_signaling_nan(const FloatFmt *f, uint64_t a)
{
    return is_snan(f, a);
}

/* ---- Operands ---- */

/*
 * An operand of an arithmetic operation, once NaNs are out of the way:
 * denormals-are-zero reads a subnormal as a zero of its sign; otherwise a
 * subnormal operand is noted (x86's DE).
 */
static inline uint64_t operand(const FloatFmt *f, uint64_t a, FloatStatus *st)
{
    if (is_subnormal(f, a)) {
        if (st->denormals_are_zero)
            return a & sign_bit(f);
        st->flags |= FLOAT_FLAG_INPUT_DENORMAL;
    }
    return a;
}

/* The same for operations that do not report subnormal operands
   (conversions to integers, rounding to an integral value). */
static inline uint64_t operand_daz(const FloatFmt *f, uint64_t a,
                                   const FloatStatus *st)
{
    return st->denormals_are_zero && is_subnormal(f, a) ? a & sign_bit(f) : a;
}

uint64_t float_default_nan(const FloatFmt *f, const FloatStatus *st)
{
    return exp_mask(f) | quiet_bit(f) |
           (st->default_nan_negative ? sign_bit(f) : 0);
}

/*
 * The result of an operation with NaN operands (n of them in ops[],
 * highest priority first; at least one is a NaN): raises invalid for a
 * signaling NaN and picks the result by the NaN rule.
 */
static uint64_t propagate_nan(const FloatFmt *f, const uint64_t *ops, int n,
                              FloatStatus *st)
{
    int pick = -1;

    for (int i = 0; i < n; i++) {
        if (is_snan(f, ops[i])) {
            st->flags |= FLOAT_FLAG_INVALID;
            if (pick < 0 && st->nan_rule == FLOAT_NAN_SNAN_FIRST)
                pick = i;
        }
    }
    switch (st->nan_rule) {
    case FLOAT_NAN_DEFAULT:
        return float_default_nan(f, st);
    default:
        for (int i = 0; pick < 0 && i < n; i++) {
            if (is_nan(f, ops[i]))
                pick = i;
        }
        return ops[pick] | quiet_bit(f);
    }
}

static uint64_t nan2(const FloatFmt *f, uint64_t a, uint64_t b,
                     FloatStatus *st)
{
    uint64_t ops[2] = { a, b };

    return propagate_nan(f, ops, 2, st);
}

/*
 * An invalid operation on operands that are not NaNs: the default NaN.
 * before is the flags on entry: x86 reports an invalid operation (and a
 * division by zero) instead of a subnormal operand, so DE raised since
 * is withdrawn.
 */
static uint64_t invalid(const FloatFmt *f, FloatStatus *st, uint8_t before)
{
    st->flags &= before | ~FLOAT_FLAG_INPUT_DENORMAL;
    st->flags |= FLOAT_FLAG_INVALID;
    return float_default_nan(f, st);
}

/* ---- Rounding ---- */

/* sig >> sh (sh <= 0: an exact left shift), rounded in rm; *inexact says
   whether bits were lost. */
static u128 round_shift(u128 sig, int sh, bool sign, FloatRound rm,
                        bool *inexact)
{
    u128 q, rem;
    int cmp;    /* the lost bits against one half of the last place */
    bool up;

    if (sh <= 0) {
        *inexact = false;
        return sig << -sh;
    }
    if (sh < 128) {
        u128 half = (u128)1 << (sh - 1);

        q = sig >> sh;
        rem = sig & ((half << 1) - 1);
        cmp = rem < half ? -1 : rem > half;
    } else {
        u128 half = (u128)1 << 127;

        q = 0;
        rem = sig;
        cmp = sh > 128 || rem < half ? -1 : rem > half;
    }
    *inexact = rem != 0;
    switch (rm) {
    case FLOAT_ROUND_NEAREST_EVEN: up = cmp > 0 || (cmp == 0 && (q & 1)); break;
    case FLOAT_ROUND_NEAREST_MAX_MAG: up = cmp >= 0; break;
    case FLOAT_ROUND_DOWN: up = *inexact && sign; break;
    case FLOAT_ROUND_UP: up = *inexact && !sign; break;
    default: up = false; break;
    }
    return q + up;
}

u128 float_round_shift(u128 sig, int sh, bool sign, FloatRound rm,
                       bool *inexact)
{
    return round_shift(sig, sh, sign, rm, inexact);
}

/* The magnitude an overflow gives: infinity, or the largest finite number
   in the modes that round toward zero for this sign. */
static uint64_t overflow_result(const FloatFmt *f, bool sign, FloatRound rm)
{
    bool to_max = rm == FLOAT_ROUND_TO_ZERO ||
                  (rm == FLOAT_ROUND_DOWN && !sign) ||
                  (rm == FLOAT_ROUND_UP && sign);

    return to_max ? exp_mask(f) - 1 : exp_mask(f);
}

uint64_t float_round_pack(const FloatFmt *f, bool sign, int exp2, u128 sig,
                          FloatStatus *st)
{
    FloatRound rm = (FloatRound)st->round;
    int p = f->p, emin = 1 - f->emax;
    int nb = sf_bitlen128(sig);
    int e = exp2 + nb - 1;          /* sig * 2^exp2 is in [2^e, 2^(e+1)) */
    int lsb;                        /* exponent of the result's last place */
    uint64_t s = sign ? sign_bit(f) : 0;
    u128 q;
    bool tiny = false, inexact;
    int er;

    if (e < emin) {
        if (st->tininess == FLOAT_TININESS_BEFORE_ROUNDING) {
            tiny = true;
        } else {
            /* Round to p bits as if the exponent range were unbounded,
               and see whether that is still below 2^emin. */
            u128 qu = round_shift(sig, nb - p, sign, rm, &inexact);

            tiny = e + (sf_bitlen128(qu) > p) < emin;
        }
        if (tiny && st->flush_to_zero) {
            st->flags |= FLOAT_FLAG_UNDERFLOW | FLOAT_FLAG_INEXACT;
            return s;
        }
    }
    lsb = (e > emin ? e : emin) - p + 1;
    q = round_shift(sig, lsb - exp2, sign, rm, &inexact);
    if (q >> p) {                   /* rounded up into the next binade */
        q >>= 1;
        lsb++;
    }
    if (inexact) {
        st->flags |= FLOAT_FLAG_INEXACT;
        if (tiny)
            st->flags |= FLOAT_FLAG_UNDERFLOW;
    }
    if (q < (1ull << (p - 1)))      /* zero or subnormal */
        return s | (uint64_t)q;
    er = lsb + p - 1;
    if (er > f->emax) {
        st->flags |= FLOAT_FLAG_OVERFLOW |
                     (st->overflow_trapped ? 0 : FLOAT_FLAG_INEXACT);
        return s | overflow_result(f, sign, rm);
    }
    return s | (uint64_t)(er + f->emax) << (p - 1) | ((uint64_t)q & frac_mask(f));
}

/* A finite operand, already exact in fmt, through round_pack (which only
   matters for flush-to-zero). */
static uint64_t repack(const FloatFmt *f, uint64_t a, FloatStatus *st)
{
    uint64_t sig;
    int exp2;

    if (is_zero(f, a))
        return a;
    unpack(f, a, &sig, &exp2);
    return float_round_pack(f, sign_of(f, a), exp2, sig, st);
}

/* The sign of an exact zero sum of operands of opposite signs. */
static inline uint64_t zero_sum(const FloatFmt *f, FloatStatus *st)
{
    return st->round == FLOAT_ROUND_DOWN ? sign_bit(f) : 0;
}

/*
 * The sum of two exact values sa * 2^ea and sb * 2^eb (each under 2^126,
 * not both zero), rounded; sb may have a sticky low bit if it is far
 * below sa (sf_add_exact says why that is safe).
 */
static uint64_t add_exact(const FloatFmt *f, bool signa, int ea, u128 sa,
                          bool signb, int eb, u128 sb, FloatStatus *st)
{
    bool sign;
    int e;
    u128 r;

    if (!sa)
        return float_round_pack(f, signb, eb, sb, st);
    if (!sb)
        return float_round_pack(f, signa, ea, sa, st);
    r = sf_add_exact(signa, ea, sa, signb, eb, sb, &sign, &e);
    if (!r)
        return zero_sum(f, st);
    return float_round_pack(f, sign, e, r, st);
}

/* ---- Arithmetic ---- */

SF_GENERIC uint64_t add(const FloatFmt *f, uint64_t a, uint64_t b, bool subtract,
                    FloatStatus *st)
{
    uint64_t siga, sigb;
    int ea, eb;
    uint8_t before = st->flags;

    if (is_nan(f, a) || is_nan(f, b))
        return nan2(f, a, b, st);
    if (subtract)
        b ^= sign_bit(f);
    a = operand(f, a, st);
    b = operand(f, b, st);
    if (is_inf(f, a)) {
        if (is_inf(f, b) && sign_of(f, a) != sign_of(f, b))
            return invalid(f, st, before);
        return a;
    }
    if (is_inf(f, b))
        return b;
    if (is_zero(f, a) && is_zero(f, b))
        return sign_of(f, a) == sign_of(f, b) ? a : zero_sum(f, st);
    if (is_zero(f, a))
        return repack(f, b, st);
    if (is_zero(f, b))
        return repack(f, a, st);
    unpack(f, a, &siga, &ea);
    unpack(f, b, &sigb, &eb);
    return add_exact(f, sign_of(f, a), ea, siga, sign_of(f, b), eb, sigb, st);
}

SF_GENERIC uint64_t mul(const FloatFmt *f, uint64_t a, uint64_t b,
                    FloatStatus *st)
{
    uint64_t s = (a ^ b) & sign_bit(f), siga, sigb;
    int ea, eb;
    uint8_t before = st->flags;

    if (is_nan(f, a) || is_nan(f, b))
        return nan2(f, a, b, st);
    a = operand(f, a, st);
    b = operand(f, b, st);
    if (is_inf(f, a) || is_inf(f, b)) {
        if (is_zero(f, a) || is_zero(f, b))
            return invalid(f, st, before);
        return s | exp_mask(f);
    }
    if (is_zero(f, a) || is_zero(f, b))
        return s;
    unpack(f, a, &siga, &ea);
    unpack(f, b, &sigb, &eb);
    return float_round_pack(f, s != 0, ea + eb, (u128)siga * sigb, st);
}

SF_GENERIC uint64_t divide(const FloatFmt *f, uint64_t a, uint64_t b,
                       FloatStatus *st)
{
    uint64_t s = (a ^ b) & sign_bit(f), siga, sigb;
    int ea, eb, na, nb;
    u128 n, q;
    uint8_t before = st->flags;

    if (is_nan(f, a) || is_nan(f, b))
        return nan2(f, a, b, st);
    a = operand(f, a, st);
    b = operand(f, b, st);
    if (is_inf(f, a)) {
        if (is_inf(f, b))
            return invalid(f, st, before);
        return s | exp_mask(f);
    }
    if (is_inf(f, b))
        return s;
    if (is_zero(f, b)) {
        if (is_zero(f, a))
            return invalid(f, st, before);
        /* Likewise a division by zero. */
        st->flags &= before | ~FLOAT_FLAG_INPUT_DENORMAL;
        st->flags |= FLOAT_FLAG_DIVBYZERO;
        return s | exp_mask(f);
    }
    if (is_zero(f, a))
        return s;
    unpack(f, a, &siga, &ea);
    unpack(f, b, &sigb, &eb);
    /* The dividend at bit 126 and the divisor at bit 63: a quotient of
       at least 63 bits, then the remainder as the sticky bit. */
    na = 126 - (64 - __builtin_clzll(siga)) + 1;
    nb = __builtin_clzll(sigb);
    n = (u128)siga << na;
    sigb <<= nb;
    q = n / sigb;
    q = q << 1 | (n % sigb != 0);
    return float_round_pack(f, s != 0, ea - na - (eb - nb) - 1, q, st);
}

/*
 * The k-bit integer square root of m (m < 2^2k), a bit at a time: r is
 * the root of the top bits of m seen so far and rem their excess over r^2,
 * which stays under 2^(k+1), so 64-bit arithmetic does for k <= 61.
 */
static uint64_t isqrt_bits(u128 m, int k, bool *exact)
{
    uint64_t rem = 0, r = 0;

    for (int i = k - 1; i >= 0; i--) {
        uint64_t trial, take;

        rem = (rem << 2) | ((uint64_t)(m >> (2 * i)) & 3);
        trial = (r << 2) | 1;       /* (2r + 1)^2 - (2r)^2 */
        /* Without a branch: it would be mispredicted half the time. */
        take = -(uint64_t)(rem >= trial);
        rem -= trial & take;
        r = (r << 1) | (take & 1);
    }
    *exact = rem == 0;
    return r;
}

SF_GENERIC uint64_t square_root(const FloatFmt *f, uint64_t a, FloatStatus *st)
{
    uint64_t sig, root;
    int exp2, sh, k;
    bool exact;
    uint8_t before = st->flags;

    if (is_nan(f, a))
        return propagate_nan(f, &a, 1, st);
    a = operand(f, a, st);
    if (is_zero(f, a))
        return a;
    if (sign_of(f, a))
        return invalid(f, st, before);
    if (is_inf(f, a))
        return a;
    unpack(f, a, &sig, &exp2);
    /* A root of k = p + 2 bits (a guard bit to spare) from sig shifted to
       2k or 2k - 1 bits, so that the exponent left is even; the
       remainder is the sticky bit. */
    k = f->p + 2;
    sh = 2 * k - (64 - __builtin_clzll(sig));
    if ((exp2 - sh) & 1)
        sh--;
    root = isqrt_bits((u128)sig << sh, k, &exact);
    return float_round_pack(f, false, (exp2 - sh) / 2 - 1,
                            (u128)root << 1 | !exact, st);
}

SF_GENERIC uint64_t muladd(const FloatFmt *f, uint64_t a, uint64_t b, uint64_t c,
                       unsigned neg, FloatStatus *st)
{
    bool inf_zero, ps, cs;
    uint64_t siga, sigb, sigc;
    int ea, eb, ec;
    uint8_t before = st->flags;

    if (is_nan(f, a) || is_nan(f, b) || is_nan(f, c)) {
        uint64_t ops[3] = { a, b, c };
        bool iz = (is_inf(f, a) && is_zero(f, b)) ||
                  (is_zero(f, a) && is_inf(f, b));

        /* inf * 0 + qNaN: invalid or not by the status (IEEE 754
           leaves it to the implementation). */
        if (iz && st->fma_inf_zero_nan_invalid)
            st->flags |= FLOAT_FLAG_INVALID;
        return propagate_nan(f, ops, 3, st);
    }
    ps = sign_of(f, a) ^ sign_of(f, b) ^ !!(neg & FLOAT_MULADD_NEG_PRODUCT);
    cs = sign_of(f, c) ^ !!(neg & FLOAT_MULADD_NEG_ADDEND);
    a = operand(f, a, st);
    b = operand(f, b, st);
    c = operand(f, c, st);
    inf_zero = (is_inf(f, a) && is_zero(f, b)) ||
               (is_zero(f, a) && is_inf(f, b));
    if (inf_zero)
        return invalid(f, st, before);
    if (is_inf(f, a) || is_inf(f, b)) {
        if (is_inf(f, c) && cs != ps)
            return invalid(f, st, before);
        return (ps ? sign_bit(f) : 0) | exp_mask(f);
    }
    if (is_inf(f, c))
        return (cs ? sign_bit(f) : 0) | exp_mask(f);
    c = (c & ~sign_bit(f)) | (cs ? sign_bit(f) : 0);
    if (is_zero(f, a) || is_zero(f, b)) {
        if (is_zero(f, c))
            return ps == cs ? c : zero_sum(f, st);
        return repack(f, c, st);
    }
    unpack(f, a, &siga, &ea);
    unpack(f, b, &sigb, &eb);
    if (is_zero(f, c))
        return float_round_pack(f, ps, ea + eb, (u128)siga * sigb, st);
    unpack(f, c, &sigc, &ec);
    return add_exact(f, ps, ea + eb, (u128)siga * sigb, cs, ec, sigc, st);
}

/* ---- Comparisons, min/max, classes ---- */

/* An integer that orders the non-NaN values; -0 below +0 if zero_signed. */
static inline int64_t order_key(const FloatFmt *f, uint64_t a,
                                bool zero_signed)
{
    int64_t mag = (int64_t)(a & ~sign_bit(f));

    if (!sign_of(f, a))
        return mag;
    return zero_signed ? -mag - 1 : -mag;
}

SF_GENERIC FloatRelation compare(const FloatFmt *f, uint64_t a, uint64_t b,
                             bool signaling, FloatStatus *st)
{
    int64_t ka, kb;

    if (is_nan(f, a) || is_nan(f, b)) {
        if (signaling || is_snan(f, a) || is_snan(f, b))
            st->flags |= FLOAT_FLAG_INVALID;
        return FLOAT_UNORDERED;
    }
    ka = order_key(f, operand(f, a, st), false);
    kb = order_key(f, operand(f, b, st), false);
    return ka < kb ? FLOAT_LESS : ka > kb ? FLOAT_GREATER : FLOAT_EQUAL;
}

SF_GENERIC uint64_t minmax(const FloatFmt *f, uint64_t a, uint64_t b,
                       FloatMinMax kind, bool is_max, FloatStatus *st)
{
    bool an = is_nan(f, a), bn = is_nan(f, b);
    int64_t ka, kb;

    if (kind == FLOAT_MINMAX_X86) {
        if (an || bn) {
            /* b as it reads (DAZ), but a NaN operand hides DE. */
            if (!bn && st->denormals_are_zero && is_subnormal(f, b))
                b &= sign_bit(f);
            st->flags |= FLOAT_FLAG_INVALID;
            return b;
        }
        a = operand(f, a, st);
        b = operand(f, b, st);
        ka = order_key(f, a, false);
        kb = order_key(f, b, false);
        return (is_max ? ka > kb : ka < kb) ? a : b;
    }
    if (an || bn) {
        bool snan = is_snan(f, a) || is_snan(f, b);

        if (kind == FLOAT_MINMAX_NAN_PROPAGATING || (an && bn) ||
            (kind == FLOAT_MINMAX_NUM_2008 && snan))
            return nan2(f, a, b, st);
        if (snan)
            st->flags |= FLOAT_FLAG_INVALID;
        return an ? operand(f, b, st) : operand(f, a, st);
    }
    a = operand(f, a, st);
    b = operand(f, b, st);
    ka = order_key(f, a, true);
    kb = order_key(f, b, true);
    return (ka < kb) != is_max ? a : b;
}

SF_GENERIC FloatClass classify(const FloatFmt *f, uint64_t a)
{
    bool neg = sign_of(f, a);

    if (is_nan(f, a))
        return is_snan(f, a) ? FLOAT_CLASS_SNAN : FLOAT_CLASS_QNAN;
    if (is_inf(f, a))
        return neg ? FLOAT_CLASS_NEG_INF : FLOAT_CLASS_POS_INF;
    if (is_zero(f, a))
        return neg ? FLOAT_CLASS_NEG_ZERO : FLOAT_CLASS_POS_ZERO;
    if (!(a & exp_mask(f)))
        return neg ? FLOAT_CLASS_NEG_SUBNORMAL : FLOAT_CLASS_POS_SUBNORMAL;
    return neg ? FLOAT_CLASS_NEG_NORMAL : FLOAT_CLASS_POS_NORMAL;
}

/* ---- Integers ---- */

SF_GENERIC uint64_t round_to_int(const FloatFmt *f, uint64_t a, FloatRound rm,
                             bool exact, FloatStatus *st)
{
    uint64_t sig;
    int exp2;
    bool sign = sign_of(f, a), inexact;
    u128 q;

    if (is_nan(f, a))
        return propagate_nan(f, &a, 1, st);
    a = operand_daz(f, a, st);
    if (is_inf(f, a) || is_zero(f, a))
        return a;
    unpack(f, a, &sig, &exp2);
    if (exp2 >= 0)
        return a;
    q = round_shift(sig, -exp2, sign, rm, &inexact);
    if (inexact && exact)
        st->flags |= FLOAT_FLAG_INEXACT;
    if (!q)
        return a & sign_bit(f);
    /* An integer of at most p bits: exact, no flags. */
    return float_round_pack(f, sign, 0, q, st);
}

SF_GENERIC uint64_t to_int(const FloatFmt *f, uint64_t a, int width,
                           bool is_signed, FloatRound rm, FloatStatus *st)
{
    bool sign = sign_of(f, a), inexact = false;
    uint64_t max, min, sig, res;
    u128 q, limit;
    int exp2;

    if (is_signed) {
        max = width == 32 ? INT32_MAX : INT64_MAX;
        min = -max - 1;
    } else {
        max = width == 32 ? UINT32_MAX : UINT64_MAX;
        min = 0;
    }
    if (is_nan(f, a) || is_inf(f, a))
        goto invalid;
    a = operand_daz(f, a, st);
    if (is_zero(f, a))
        return 0;
    unpack(f, a, &sig, &exp2);
    limit = sign ? (is_signed ? (u128)max + 1 : 0) : max;
    if (exp2 > 64)
        goto invalid;
    q = round_shift(sig, -exp2, sign, rm, &inexact);
    if (q > limit)
        goto invalid;
    if (inexact)
        st->flags |= FLOAT_FLAG_INEXACT;
    res = sign ? -(uint64_t)q : (uint64_t)q;
    return is_signed && width == 32 ? (uint64_t)(int64_t)(int32_t)res : res;

invalid:
    /* Out of range: invalid only, never inexact (not even for -0.5 to an
       unsigned result in a mode that rounds it to -1). */
    st->flags |= FLOAT_FLAG_INVALID;
    switch (st->int_overflow) {
    case FLOAT_INT_INDEFINITE:
        res = is_signed ? min : max;
        break;
    case FLOAT_INT_SATURATE_NAN_ZERO:
        res = is_nan(f, a) ? 0 : sign ? min : max;
        break;
    default:
        res = is_nan(f, a) ? max : sign ? min : max;
        break;
    }
    return is_signed && width == 32 ? (uint64_t)(int64_t)(int32_t)res : res;
}

SF_GENERIC uint64_t from_int(const FloatFmt *f, uint64_t v, bool is_signed,
                         FloatStatus *st)
{
    bool sign = is_signed && (int64_t)v < 0;
    uint64_t mag = sign ? -v : v;

    if (!mag)
        return 0;
    return float_round_pack(f, sign, 0, mag, st);
}

/* A format change: NaNs keep their sign and the top of their payload. */
SF_GENERIC uint64_t convert(const FloatFmt *from, const FloatFmt *to, uint64_t a,
                        FloatStatus *st)
{
    uint64_t s = sign_of(from, a) ? sign_bit(to) : 0, sig, frac;
    int exp2, shift = to->p - from->p;

    if (is_nan(from, a)) {
        if (is_snan(from, a))
            st->flags |= FLOAT_FLAG_INVALID;
        if (st->nan_rule == FLOAT_NAN_DEFAULT)
            return float_default_nan(to, st);
        frac = a & frac_mask(from);
        frac = shift >= 0 ? frac << shift : frac >> -shift;
        return s | exp_mask(to) | quiet_bit(to) | frac;
    }
    if (is_inf(from, a))
        return s | exp_mask(to);
    a = operand(from, a, st);
    if (is_zero(from, a))
        return s;
    unpack(from, a, &sig, &exp2);
    return float_round_pack(to, s != 0, exp2, sig, st);
}

/* ---- The formats ---- */

#define F32 (&float_fmt_f32)
#define F64 (&float_fmt_f64)

uint32_t f32_add(uint32_t a, uint32_t b, FloatStatus *st) { return (uint32_t)add(F32, a, b, false, st); }
uint32_t f32_sub(uint32_t a, uint32_t b, FloatStatus *st) { return (uint32_t)add(F32, a, b, true, st); }
uint32_t f32_mul(uint32_t a, uint32_t b, FloatStatus *st) { return (uint32_t)mul(F32, a, b, st); }
uint32_t f32_div(uint32_t a, uint32_t b, FloatStatus *st) { return (uint32_t)divide(F32, a, b, st); }
uint32_t f32_sqrt(uint32_t a, FloatStatus *st) { return (uint32_t)square_root(F32, a, st); }

uint32_t f32_muladd(uint32_t a, uint32_t b, uint32_t c, unsigned neg,
                    FloatStatus *st)
{
    return (uint32_t)muladd(F32, a, b, c, neg, st);
}

uint32_t f32_minmax(uint32_t a, uint32_t b, FloatMinMax kind, bool is_max,
                    FloatStatus *st)
{
    return (uint32_t)minmax(F32, a, b, kind, is_max, st);
}

FloatRelation f32_compare(uint32_t a, uint32_t b, bool signaling,
                          FloatStatus *st)
{
    return compare(F32, a, b, signaling, st);
}

FloatClass f32_classify(uint32_t a) { return classify(F32, a); }

uint64_t f32_to_int(uint32_t a, int width, bool is_signed, FloatRound rm,
                    FloatStatus *st)
{
    return to_int(F32, a, width, is_signed, rm, st);
}

uint32_t f32_round_to_int(uint32_t a, FloatRound rm, bool exact,
                          FloatStatus *st)
{
    return (uint32_t)round_to_int(F32, a, rm, exact, st);
}

uint64_t f32_to_f64(uint32_t a, FloatStatus *st) { return convert(F32, F64, a, st); }
uint32_t f32_from_int64(int64_t v, FloatStatus *st) { return (uint32_t)from_int(F32, (uint64_t)v, true, st); }
uint32_t f32_from_uint64(uint64_t v, FloatStatus *st) { return (uint32_t)from_int(F32, v, false, st); }

uint64_t f64_add(uint64_t a, uint64_t b, FloatStatus *st) { return add(F64, a, b, false, st); }
uint64_t f64_sub(uint64_t a, uint64_t b, FloatStatus *st) { return add(F64, a, b, true, st); }
uint64_t f64_mul(uint64_t a, uint64_t b, FloatStatus *st) { return mul(F64, a, b, st); }
uint64_t f64_div(uint64_t a, uint64_t b, FloatStatus *st) { return divide(F64, a, b, st); }
uint64_t f64_sqrt(uint64_t a, FloatStatus *st) { return square_root(F64, a, st); }

uint64_t f64_muladd(uint64_t a, uint64_t b, uint64_t c, unsigned neg,
                    FloatStatus *st)
{
    return muladd(F64, a, b, c, neg, st);
}

uint64_t f64_minmax(uint64_t a, uint64_t b, FloatMinMax kind, bool is_max,
                    FloatStatus *st)
{
    return minmax(F64, a, b, kind, is_max, st);
}

FloatRelation f64_compare(uint64_t a, uint64_t b, bool signaling,
                          FloatStatus *st)
{
    return compare(F64, a, b, signaling, st);
}

FloatClass f64_classify(uint64_t a) { return classify(F64, a); }

uint64_t f64_to_int(uint64_t a, int width, bool is_signed, FloatRound rm,
                    FloatStatus *st)
{
    return to_int(F64, a, width, is_signed, rm, st);
}

uint64_t f64_round_to_int(uint64_t a, FloatRound rm, bool exact,
                          FloatStatus *st)
{
    return round_to_int(F64, a, rm, exact, st);
}

uint32_t f64_to_f32(uint64_t a, FloatStatus *st) { return (uint32_t)convert(F64, F32, a, st); }
uint64_t f64_from_int64(int64_t v, FloatStatus *st) { return from_int(F64, (uint64_t)v, true, st); }
uint64_t f64_from_uint64(uint64_t v, FloatStatus *st) { return from_int(F64, v, false, st); }
