/*
 * The x87 80-bit extended format in the soft-float core: the same plan as
 * fpu/softfloat.c (special operands first, then an exact or sticky result
 * handed to one packer), with what x87 adds: an explicit integer bit, so
 * that some encodings are unsupported (an invalid operand) and some
 * denormals are "pseudo" (integer bit set); precision control, which
 * rounds the significand of add, sub, mul, div and sqrt to 24 or 53 bits
 * while keeping the 15-bit exponent range; and x87's own NaN rule.  The
 * 64-bit significand makes products 128 bits and quotients and roots need
 * a third word, so div and sqrt here go further than the generic ones.
 * The SDM (vol. 1, 4.8.3 and 8.2.2; vol. 2, FPREM) is the reference;
 * tests/unit/test-softfloat-x80.c checks every operation against the
 * host's x87.
 */
#include "softfloat-internal.h"

#define SIGN_BIT 0x8000
#define INT_BIT (1ull << 63)
#define QUIET_BIT (1ull << 62)
#define EMIN (1 - X80_EXP_BIAS)         /* of normal numbers */
#define EMAX X80_EXP_BIAS

/* ---- Encodings ---- */

static inline int exp_of(FloatX80 a) { return a.se & X80_EXP_MAX; }
static inline bool sign_of(FloatX80 a) { return a.se & SIGN_BIT; }

static inline bool is_inf(FloatX80 a)
{
    return exp_of(a) == X80_EXP_MAX && a.sig == INT_BIT;
}

static inline bool is_zero(FloatX80 a)
{
    return exp_of(a) == 0 && a.sig == 0;
}

/* A denormal or pseudo-denormal: DE when it is an operand. */
static inline bool is_denormal(FloatX80 a)
{
    return exp_of(a) == 0 && a.sig != 0;
}

bool x80_is_unsupported(FloatX80 a)
{
    return exp_of(a) != 0 && !(a.sig & INT_BIT);
}

bool x80_is_nan(FloatX80 a)
{
    return exp_of(a) == X80_EXP_MAX && (a.sig & INT_BIT) &&
           (a.sig & ~INT_BIT) != 0;
}

bool x80_is_signaling_nan(FloatX80 a)
{
    return x80_is_nan(a) && !(a.sig & QUIET_BIT);
}

FloatX80 x80_default_nan(void)
{
    return x80_make(true, X80_EXP_MAX, INT_BIT | QUIET_BIT);
}

static inline FloatX80 quieted(FloatX80 a)
{
    a.sig |= QUIET_BIT;
    return a;
}

static inline FloatX80 signed_zero(bool sign)
{
    return x80_make(sign, 0, 0);
}

static inline FloatX80 signed_inf(bool sign)
{
    return x80_make(sign, X80_EXP_MAX, INT_BIT);
}

/* A finite value as sig * 2^exp2; a (pseudo-)denormal has exponent 1's
   scale, like the normals just above it. */
static inline void unpack(FloatX80 a, uint64_t *sig, int *exp2)
{
    int e = exp_of(a);

    *sig = a.sig;
    *exp2 = (e ? e : 1) - X80_EXP_BIAS - 63;
}

/* ---- Exceptions ---- */

/*
 * x87's NaN result (SDM vol. 1, table 4-7): a signaling NaN raises
 * invalid; a quiet NaN beats a signaling one; of two alike, the larger
 * significand wins, and of equal significands the positive one.
 */
static FloatX80 nan2(FloatX80 a, FloatX80 b, FloatStatus *st)
{
    bool qa, qb;

    if (x80_is_signaling_nan(a) || x80_is_signaling_nan(b))
        st->flags |= FLOAT_FLAG_INVALID;
    if (!x80_is_nan(a))
        return quieted(b);
    if (!x80_is_nan(b))
        return quieted(a);
    qa = !x80_is_signaling_nan(a);
    qb = !x80_is_signaling_nan(b);
    if (qa != qb)
        return qa ? a : b;
    if (a.sig != b.sig)
        return quieted(a.sig > b.sig ? a : b);
    return quieted(sign_of(a) ? b : a);
}

static FloatX80 nan1(FloatX80 a, FloatStatus *st)
{
    if (x80_is_signaling_nan(a))
        st->flags |= FLOAT_FLAG_INVALID;
    return quieted(a);
}

/* An invalid operation: the indefinite, and (as in fpu/softfloat.c) DE
   noted since before is withdrawn, x87 reporting the invalid instead. */
static FloatX80 invalid(FloatStatus *st, uint8_t before)
{
    st->flags &= before | ~FLOAT_FLAG_INPUT_DENORMAL;
    st->flags |= FLOAT_FLAG_INVALID;
    return x80_default_nan();
}

static inline void note_denormal(FloatX80 a, FloatStatus *st)
{
    if (is_denormal(a))
        st->flags |= FLOAT_FLAG_INPUT_DENORMAL;
}

X80Operand x80_operand(FloatX80 a, FloatX80 *r, uint64_t *sig, int *exp2,
                       FloatStatus *st)
{
    if (x80_is_unsupported(a)) {
        *r = invalid(st, st->flags);
        return X80_OPERAND_DONE;
    }
    if (x80_is_nan(a)) {
        *r = nan1(a, st);
        return X80_OPERAND_DONE;
    }
    note_denormal(a, st);
    if (is_inf(a) || is_zero(a))
        return X80_OPERAND_INF_ZERO;
    unpack(a, sig, exp2);
    return X80_OPERAND_FINITE;
}

FloatX80 x80_nan2(FloatX80 a, FloatX80 b, FloatStatus *st)
{
    return nan2(a, b, st);
}

FloatX80 x80_invalid(FloatStatus *st, uint8_t before)
{
    return invalid(st, before);
}

void x80_note_denormal(FloatX80 a, FloatStatus *st)
{
    note_denormal(a, st);
}

/* ---- Rounding ---- */

/* The x87's exponent bias adjust for unmasked overflow and underflow
   (x80_wrap_overflow, x80_wrap_underflow): 3 * 2^13. */
#define X80_WRAP 24576

static FloatX80 overflow_result(bool sign, int p, FloatRound rm)
{
    bool to_max = rm == FLOAT_ROUND_TO_ZERO ||
                  (rm == FLOAT_ROUND_DOWN && !sign) ||
                  (rm == FLOAT_ROUND_UP && sign);

    if (!to_max)
        return signed_inf(sign);
    return x80_make(sign, X80_EXP_MAX - 1, ~0ull << (64 - p));
}

/*
 * The packer, for a precision of p bits.  As in float_round_pack, the
 * last place is at the larger of the value's own and the smallest normal
 * exponent, p - 1 bits down; so a tiny result under precision control is
 * rounded at emin - p + 1, as the x87 rounds it.  The significand is then
 * stored from bit 63 down whatever p is.
 */
static FloatX80 round_pack_p(bool sign, int exp2, u128 sig, int p,
                             FloatStatus *st)
{
    FloatRound rm = (FloatRound)st->round;
    int nb = sf_bitlen128(sig);
    int e = exp2 + nb - 1;
    int lsb, er;
    bool tiny = false, inexact;
    u128 q;

    /* Too tiny even then (FSCALE): zero, as the x87 gives it. */
    if (e < EMIN && st->x80_wrap_underflow && e + X80_WRAP < EMIN) {
        st->flags |= FLOAT_FLAG_UNDERFLOW | FLOAT_FLAG_INEXACT;
        return signed_zero(sign);
    }
    if (e < EMIN && st->x80_wrap_underflow) {
        lsb = e - p + 1;
        q = float_round_shift(sig, lsb - exp2, sign, rm, &inexact);
        if (q >> p) {
            q >>= 1;
            lsb++;
        }
        st->flags |= FLOAT_FLAG_UNDERFLOW | (inexact ? FLOAT_FLAG_INEXACT : 0);
        return x80_make(sign, lsb + p - 1 + X80_WRAP + X80_EXP_BIAS,
                        (uint64_t)q << (64 - p));
    }
    if (e < EMIN) {
        if (st->tininess == FLOAT_TININESS_BEFORE_ROUNDING) {
            tiny = true;
        } else {
            u128 qu = float_round_shift(sig, nb - p, sign, rm, &inexact);

            tiny = e + (sf_bitlen128(qu) > p) < EMIN;
        }
    }
    lsb = (e > EMIN ? e : EMIN) - p + 1;
    q = float_round_shift(sig, lsb - exp2, sign, rm, &inexact);
    if (q >> p) {
        q >>= 1;
        lsb++;
    }
    if (inexact) {
        st->flags |= FLOAT_FLAG_INEXACT;
        if (tiny)
            st->flags |= FLOAT_FLAG_UNDERFLOW;
    }
    if (q == 0)
        return signed_zero(sign);
    if (!(q >> (p - 1)))        /* denormal: exponent field 0 */
        return x80_make(sign, 0, (uint64_t)q << (64 - p));
    er = lsb + p - 1;
    if (er > EMAX && st->x80_wrap_overflow && er - X80_WRAP <= EMAX) {
        st->flags |= FLOAT_FLAG_OVERFLOW;
        return x80_make(sign, er - X80_WRAP + X80_EXP_BIAS,
                        (uint64_t)q << (64 - p));
    }
    /* Too big even then (FSCALE): infinity in every rounding mode, as
       the x87 gives it. */
    if (er > EMAX && st->x80_wrap_overflow) {
        st->flags |= FLOAT_FLAG_OVERFLOW | FLOAT_FLAG_INEXACT;
        return signed_inf(sign);
    }
    if (er > EMAX) {
        st->flags |= FLOAT_FLAG_OVERFLOW | FLOAT_FLAG_INEXACT;
        return overflow_result(sign, p, rm);
    }
    return x80_make(sign, er + X80_EXP_BIAS, (uint64_t)q << (64 - p));
}

static inline int precision(const FloatStatus *st)
{
    return st->x80_precision ? st->x80_precision : 64;
}

FloatX80 x80_round_pack(bool sign, int exp2, u128 sig, FloatStatus *st)
{
    return round_pack_p(sign, exp2, sig, precision(st), st);
}

/* ---- Arithmetic ---- */

static inline FloatX80 zero_sum(const FloatStatus *st)
{
    return signed_zero(st->round == FLOAT_ROUND_DOWN);
}

/* sa * 2^ea + sb * 2^eb, both exact and under 2^64, not both zero,
   rounded to the precision. */
static FloatX80 add_exact(bool signa, int ea, u128 sa, bool signb, int eb,
                          u128 sb, FloatStatus *st)
{
    int p = precision(st), e;
    bool sign;
    u128 r;

    if (!sa)
        return round_pack_p(signb, eb, sb, p, st);
    if (!sb)
        return round_pack_p(signa, ea, sa, p, st);
    r = sf_add_exact(signa, ea, sa, signb, eb, sb, &sign, &e);
    if (!r)
        return zero_sum(st);
    return round_pack_p(sign, e, r, p, st);
}

static FloatX80 add(FloatX80 a, FloatX80 b, bool subtract, FloatStatus *st)
{
    uint8_t before = st->flags;
    uint64_t siga, sigb;
    int ea, eb;

    if (x80_is_unsupported(a) || x80_is_unsupported(b))
        return invalid(st, before);
    if (x80_is_nan(a) || x80_is_nan(b))
        return nan2(a, b, st);
    if (subtract)
        b.se ^= SIGN_BIT;
    note_denormal(a, st);
    note_denormal(b, st);
    if (is_inf(a)) {
        if (is_inf(b) && sign_of(a) != sign_of(b))
            return invalid(st, before);
        return a;
    }
    if (is_inf(b))
        return b;
    if (is_zero(a) && is_zero(b))
        return sign_of(a) == sign_of(b) ? a : zero_sum(st);
    unpack(a, &siga, &ea);
    unpack(b, &sigb, &eb);
    return add_exact(sign_of(a), ea, siga, sign_of(b), eb, sigb, st);
}

FloatX80 x80_add(FloatX80 a, FloatX80 b, FloatStatus *st)
{
    return add(a, b, false, st);
}

FloatX80 x80_sub(FloatX80 a, FloatX80 b, FloatStatus *st)
{
    return add(a, b, true, st);
}

FloatX80 x80_mul(FloatX80 a, FloatX80 b, FloatStatus *st)
{
    bool sign = sign_of(a) != sign_of(b);
    uint8_t before = st->flags;
    uint64_t siga, sigb;
    int ea, eb;

    if (x80_is_unsupported(a) || x80_is_unsupported(b))
        return invalid(st, before);
    if (x80_is_nan(a) || x80_is_nan(b))
        return nan2(a, b, st);
    note_denormal(a, st);
    note_denormal(b, st);
    if (is_inf(a) || is_inf(b)) {
        if (is_zero(a) || is_zero(b))
            return invalid(st, before);
        return signed_inf(sign);
    }
    if (is_zero(a) || is_zero(b))
        return signed_zero(sign);
    unpack(a, &siga, &ea);
    unpack(b, &sigb, &eb);
    return x80_round_pack(sign, ea + eb, (u128)siga * sigb, st);
}

FloatX80 x80_div(FloatX80 a, FloatX80 b, FloatStatus *st)
{
    bool sign = sign_of(a) != sign_of(b);
    uint8_t before = st->flags;
    uint64_t siga, sigb, q2;
    int ea, eb, na, nb;
    u128 n, q1, r;

    if (x80_is_unsupported(a) || x80_is_unsupported(b))
        return invalid(st, before);
    if (x80_is_nan(a) || x80_is_nan(b))
        return nan2(a, b, st);
    note_denormal(a, st);
    note_denormal(b, st);
    if (is_inf(a)) {
        if (is_inf(b))
            return invalid(st, before);
        return signed_inf(sign);
    }
    if (is_inf(b))
        return signed_zero(sign);
    if (is_zero(b)) {
        if (is_zero(a))
            return invalid(st, before);
        st->flags &= before | ~FLOAT_FLAG_INPUT_DENORMAL;
        st->flags |= FLOAT_FLAG_DIVBYZERO;
        return signed_inf(sign);
    }
    if (is_zero(a))
        return signed_zero(sign);
    unpack(a, &siga, &ea);
    unpack(b, &sigb, &eb);
    na = __builtin_clzll(siga);
    nb = __builtin_clzll(sigb);
    siga <<= na;
    sigb <<= nb;
    /* Long division by the 64-bit divisor: a first quotient word of 63
       or 64 bits from the dividend at bit 126, a second from the
       remainder, then the last remainder as the sticky bit; the result
       has 127 or 128 bits, far more than a 64-bit result needs. */
    n = (u128)siga << 63;
    q1 = n / sigb;
    r = n % sigb;
    q2 = (uint64_t)((r << 64) / sigb);
    r = (r << 64) % sigb;
    return x80_round_pack(sign, (ea - na) - (eb - nb) - 63 - 64,
                          (q1 << 64 | q2) | (r != 0), st);
}

/*
 * The k-bit integer square root of m = sig * 2^sh (m < 2^2k, sh >= -1),
 * a bit at a time; m's bits below sig are zeros, so k may exceed what a
 * 128-bit m would allow.  rem stays under 2^(k+2).
 */
static u128 isqrt_shifted(uint64_t sig, int sh, int k, bool *exact)
{
    u128 rem = 0, r = 0;

    for (int i = k - 1; i >= 0; i--) {
        int pos = 2 * i - sh;       /* where bit 2i of m is in sig */
        unsigned pair = pos >= 64 || pos < -1 ? 0
                        : pos >= 0 ? (unsigned)(sig >> pos) & 3
                                   : (unsigned)(sig << 1) & 3;
        u128 trial;

        rem = (rem << 2) | pair;
        trial = (r << 2) | 1;
        r <<= 1;
        if (rem >= trial) {
            rem -= trial;
            r |= 1;
        }
    }
    *exact = rem == 0;
    return r;
}

FloatX80 x80_sqrt(FloatX80 a, FloatStatus *st)
{
    uint8_t before = st->flags;
    X80Operand k;
    uint64_t sig;
    int exp2, sh;
    bool exact;
    u128 root;
    FloatX80 r;

    k = x80_operand(a, &r, &sig, &exp2, st);
    if (k == X80_OPERAND_DONE)
        return r;
    if (sign_of(a) && !is_zero(a))
        return invalid(st, before);
    if (k == X80_OPERAND_INF_ZERO)
        return a;
    /* A root of 66 bits (a guard bit to spare over p + 1), from sig
       shifted to 132 or 131 bits so that the exponent left is even;
       the remainder is the sticky bit. */
    sh = 2 * 66 - (64 - __builtin_clzll(sig));
    if ((exp2 - sh) & 1)
        sh--;
    root = isqrt_shifted(sig, sh, 66, &exact);
    return x80_round_pack(false, (exp2 - sh) / 2 - 1, root << 1 | !exact, st);
}

/* ---- Integers, compares ---- */

FloatX80 x80_round_to_int(FloatX80 a, FloatStatus *st)
{
    bool sign = sign_of(a), inexact;
    uint64_t sig;
    int exp2;
    u128 q;
    FloatX80 r;

    switch (x80_operand(a, &r, &sig, &exp2, st)) {
    case X80_OPERAND_DONE: return r;
    case X80_OPERAND_INF_ZERO: return a;
    default: break;
    }
    if (exp2 >= 0)
        return a;
    q = float_round_shift(sig, -exp2, sign, (FloatRound)st->round, &inexact);
    if (inexact)
        st->flags |= FLOAT_FLAG_INEXACT;
    if (!q)
        return signed_zero(sign);
    return round_pack_p(sign, 0, q, 64, st);
}

/* The magnitude's order: (exponent, significand), a (pseudo-)denormal at
   exponent 1 below the normals there. */
static inline u128 magnitude_key(FloatX80 a)
{
    int e = exp_of(a);

    return (u128)(e ? e : 1) << 64 | a.sig;
}

FloatRelation x80_compare(FloatX80 a, FloatX80 b, bool signaling,
                          FloatStatus *st)
{
    u128 ka, kb;
    bool sa = sign_of(a), sb = sign_of(b);

    if (x80_is_unsupported(a) || x80_is_unsupported(b) ||
        x80_is_nan(a) || x80_is_nan(b)) {
        if (signaling || x80_is_unsupported(a) || x80_is_unsupported(b) ||
            x80_is_signaling_nan(a) || x80_is_signaling_nan(b))
            st->flags |= FLOAT_FLAG_INVALID;
        return FLOAT_UNORDERED;
    }
    note_denormal(a, st);
    note_denormal(b, st);
    if (is_zero(a) && is_zero(b))
        return FLOAT_EQUAL;
    if (sa != sb)
        return sa ? FLOAT_LESS : FLOAT_GREATER;
    ka = is_zero(a) ? 0 : magnitude_key(a);
    kb = is_zero(b) ? 0 : magnitude_key(b);
    if (ka == kb)
        return FLOAT_EQUAL;
    return (ka < kb) != sa ? FLOAT_LESS : FLOAT_GREATER;
}

int64_t x80_to_int(FloatX80 a, int width, FloatRound rm, FloatStatus *st)
{
    bool sign = sign_of(a), inexact;
    int64_t min = -((int64_t)1 << (width - 2)) * 2;
    uint64_t sig;
    int exp2;
    u128 q;

    if (x80_is_unsupported(a) || x80_is_nan(a) || is_inf(a))
        goto invalid;
    if (is_zero(a))
        return 0;
    unpack(a, &sig, &exp2);
    if (exp2 > 0)
        goto invalid;
    q = float_round_shift(sig, -exp2, sign, rm, &inexact);
    if (q > (u128)-(uint64_t)min - !sign)
        goto invalid;
    if (inexact)
        st->flags |= FLOAT_FLAG_INEXACT;
    return sign ? (int64_t)-(uint64_t)q : (int64_t)q;

invalid:
    st->flags |= FLOAT_FLAG_INVALID;
    return min;
}

FloatX80 x80_from_int64(int64_t v)
{
    uint64_t mag = v < 0 ? -(uint64_t)v : (uint64_t)v;
    int n;

    if (!mag)
        return signed_zero(false);
    n = __builtin_clzll(mag);
    return x80_make(v < 0, X80_EXP_BIAS + 63 - n, mag << n);
}

/* ---- Other formats ---- */

/* From binary32 or binary64 (given by fmt): exact; a signaling NaN is
   quieted with invalid, a subnormal raises DE and is normalised. */
static FloatX80 from_float(const FloatFmt *f, uint64_t a, FloatStatus *st)
{
    int fbits = f->p - 1;
    bool sign = (a >> (fbits + f->exp_bits)) & 1;
    int e = (int)((a >> fbits) & ((1u << f->exp_bits) - 1));
    uint64_t frac = a & ((1ull << fbits) - 1);
    int n;

    if (e == (1 << f->exp_bits) - 1) {
        if (!frac)
            return signed_inf(sign);
        if (!(frac >> (fbits - 1)))
            st->flags |= FLOAT_FLAG_INVALID;
        return x80_make(sign, X80_EXP_MAX,
                        INT_BIT | QUIET_BIT | frac << (63 - fbits));
    }
    if (e == 0) {
        if (!frac)
            return signed_zero(sign);
        st->flags |= FLOAT_FLAG_INPUT_DENORMAL;
        n = __builtin_clzll(frac);
        return x80_make(sign, X80_EXP_BIAS + (1 - f->emax) - (n - (63 - fbits)),
                        frac << n);
    }
    return x80_make(sign, e - f->emax + X80_EXP_BIAS,
                    INT_BIT | frac << (63 - fbits));
}

/* To binary32 or binary64 (FST): rounded in st->round; the indefinite
   for an unsupported operand; a NaN keeps its sign and payload's top. */
static uint64_t to_float(const FloatFmt *f, FloatX80 a, FloatStatus *st)
{
    int fbits = f->p - 1;
    uint64_t s = (uint64_t)sign_of(a) << (fbits + f->exp_bits);
    uint64_t inf = ((1ull << f->exp_bits) - 1) << fbits;
    uint64_t sig;
    int exp2;

    if (x80_is_unsupported(a)) {
        st->flags |= FLOAT_FLAG_INVALID;
        return 1ull << (fbits + f->exp_bits) | inf | 1ull << (fbits - 1);
    }
    if (x80_is_nan(a)) {
        if (x80_is_signaling_nan(a))
            st->flags |= FLOAT_FLAG_INVALID;
        return s | inf | 1ull << (fbits - 1) |
               ((a.sig & ~INT_BIT) >> (63 - fbits));
    }
    if (is_inf(a))
        return s | inf;
    if (is_zero(a))
        return s;
    /* No DE here: FST reports none for a denormal source. */
    unpack(a, &sig, &exp2);
    return float_round_pack(f, s != 0, exp2, sig, st);
}

FloatX80 f32_to_x80(uint32_t a, FloatStatus *st) { return from_float(&float_fmt_f32, a, st); }
FloatX80 f64_to_x80(uint64_t a, FloatStatus *st) { return from_float(&float_fmt_f64, a, st); }
uint32_t x80_to_f32(FloatX80 a, FloatStatus *st) { return (uint32_t)to_float(&float_fmt_f32, a, st); }
uint64_t x80_to_f64(FloatX80 a, FloatStatus *st) { return to_float(&float_fmt_f64, a, st); }

FloatX80 x80_scalbn(FloatX80 a, int n, FloatStatus *st)
{
    uint64_t sig;
    int exp2;
    FloatX80 r;

    switch (x80_operand(a, &r, &sig, &exp2, st)) {
    case X80_OPERAND_DONE: return r;
    case X80_OPERAND_INF_ZERO: return a;
    default: break;
    }
    /* Beyond 2^17 any finite value overflows or underflows to zero. */
    n = n > 70000 ? 70000 : n < -70000 ? -70000 : n;
    return round_pack_p(sign_of(a), exp2 + n, sig, 64, st);
}

/* ---- Partial remainder ---- */

/* The normalised unbiased exponent of a finite nonzero value, and its
   significand shifted to bit 63. */
static int normalise(FloatX80 a, uint64_t *sig)
{
    int exp2, n;

    unpack(a, sig, &exp2);
    n = __builtin_clzll(*sig);
    *sig <<= n;
    return exp2 - n + 63;
}

FloatX80 x80_rem(FloatX80 a, FloatX80 b, bool round_nearest, uint64_t *quot,
                 bool *partial, FloatStatus *st)
{
    uint8_t before = st->flags;
    bool sign = sign_of(a);
    uint64_t siga, sigb;
    int ea, eb, d, lsb;
    u128 num, den, q, r;

    *quot = 0;
    *partial = false;
    if (x80_is_unsupported(a) || x80_is_unsupported(b))
        return invalid(st, before);
    if (x80_is_nan(a) || x80_is_nan(b))
        return nan2(a, b, st);
    note_denormal(a, st);
    note_denormal(b, st);
    if (is_inf(a) || is_zero(b))
        return invalid(st, before);
    if (is_zero(a))
        return a;
    ea = normalise(a, &siga);
    /* x % inf is x, through the packer: a pseudo-denormal comes out
       with exponent 1, as from x87. */
    if (is_inf(b))
        return round_pack_p(sign, ea - 63, siga, 64, st);
    eb = normalise(b, &sigb);
    d = ea - eb;
    if (d < -1 || (d == -1 && !round_nearest))
        return round_pack_p(sign, ea - 63, siga, 64, st);
    if (d >= 64) {
        /* The SDM lets the implementation reduce the exponent by 32 to
           63 per step; the quotient is truncated in both instructions. */
        int n = 32 + (d - 64) % 32;

        *partial = true;
        num = (u128)siga << n;
        q = num / sigb;
        r = num - q * sigb;
        lsb = eb - 63 + (d - n);
        if (!r)
            return signed_zero(sign);
        return round_pack_p(sign, lsb, r, 64, st);
    }
    if (d >= 0) {
        num = (u128)siga << d;
        den = sigb;
        lsb = eb - 63;
    } else {
        num = siga;
        den = (u128)sigb << 1;
        lsb = ea - 63;
    }
    q = num / den;
    r = num % den;
    if (round_nearest && (2 * r > den || (2 * r == den && (q & 1)))) {
        q++;
        r = den - r;
        sign = !sign;
    }
    *quot = (uint64_t)q;
    if (!r)
        return signed_zero(sign_of(a));
    return round_pack_p(sign, lsb, r, 64, st);
}
