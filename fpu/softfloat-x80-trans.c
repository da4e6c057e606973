/*
 * The x87 transcendental instructions in the soft-float core: F2XM1,
 * FYL2X, FYL2XP1, FPATAN, FSIN, FCOS, FSINCOS and FPTAN.  Each decides
 * its special operands as the x87 does (SDM vol. 2, the tables of each
 * instruction; the AMD EPYC this was measured on where the SDM leaves a
 * choice), then computes in a 128-bit binary floating-point format of
 * its own (Wide: a 128-bit significand, truncating operations, relative
 * error near 2^-127 each) and rounds once to 64 bits in st->round
 * (precision control does not apply, as on the CPU).  The sums are
 * Taylor and atanh/atan series, many terms long but exact to about 120
 * bits, so the result is the correctly rounded value unless the exact one
 * lies within 2^-120 of a rounding boundary.
 *
 * FSIN, FCOS and FPTAN reduce their argument as the x87 does, against
 * pi rounded to 66 bits (SDM vol. 1, 8.3.10): the reduction is exact
 * integer arithmetic against that constant, so the results agree with
 * the CPU's even for large arguments and near multiples of pi/2, where a
 * reduction against the true pi would give a different number.
 */
#include "softfloat-internal.h"

/* (-1)^sign * sig * 2^exp; sig is 0 or has bit 127 set. */
typedef struct Wide {
    bool sign;
    int exp;
    u128 sig;
} Wide;

#define U128(hi, lo) ((u128)(hi) << 64 | (lo))

static const Wide w_ln2 = { false, -128, U128(0xb17217f7d1cf79abull, 0xc9e3b39803f2f6afull) };
static const Wide w_log2e = { false, -127, U128(0xb8aa3b295c17f0bbull, 0xbe87fed0691d3e88ull) };
static const Wide w_pi_2 = { false, -127, U128(0xc90fdaa22168c234ull, 0xc4c6628b80dc1cd1ull) };
static const Wide w_pi = { false, -126, U128(0xc90fdaa22168c234ull, 0xc4c6628b80dc1cd1ull) };
static const Wide w_one = { false, -127, (u128)1 << 127 };

/* atan(k/8), k = 1..8 (atan's table-driven reduction). */
static const Wide w_atan_k8[9] = {
    { false, 0, 0 },
    { false, -131, U128(0xfeadd4d5617b6e32ull, 0xc897989f3e888ef7ull) },
    { false, -130, U128(0xfadbafc96406eb15ull, 0x6dc79ef5f7a217e5ull) },
    { false, -129, U128(0xb7b0ca0f26f78473ull, 0x8aa32122dcfe4483ull) },
    { false, -129, U128(0xed63382b0dda7b45ull, 0x6fe445ecbc3a8d03ull) },
    { false, -128, U128(0x8f005d5ef7f59f9bull, 0x5c835e1665c43747ull) },
    { false, -128, U128(0xa4bc7d1934f70924ull, 0x19a87f2a457dac9eull) },
    { false, -128, U128(0xb8053e2bc2319e73ull, 0xcb2da55210a4443dull) },
    { false, -128, U128(0xc90fdaa22168c234ull, 0xc4c6628b80dc1cd1ull) },
};

/* The x87's pi/2 for argument reduction: pi to 66 bits, halved. */
static const u128 pi66_2 = U128(0x3ull, 0x243f6a8885a308d3ull);   /* * 2^-65 */

/* ---- The Wide format ---- */

static Wide w_make(bool sign, int exp, u128 sig)
{
    int n;

    if (!sig)
        return (Wide){ sign, 0, 0 };
    n = 128 - sf_bitlen128(sig);
    return (Wide){ sign, exp - n, sig << n };
}

static Wide w_of_x80(FloatX80 a)
{
    int e = a.se & X80_EXP_MAX;

    return w_make(a.se & 0x8000, (e ? e : 1) - X80_EXP_BIAS - 63, a.sig);
}

static Wide w_of_int(int64_t v)
{
    return w_make(v < 0, 0, v < 0 ? -(uint64_t)v : (uint64_t)v);
}

static Wide w_neg(Wide a)
{
    a.sign = !a.sign;
    return a;
}

/* The top 128 bits of the 256-bit product. */
static Wide w_mul(Wide a, Wide b)
{
    uint64_t ah = (uint64_t)(a.sig >> 64), al = (uint64_t)a.sig;
    uint64_t bh = (uint64_t)(b.sig >> 64), bl = (uint64_t)b.sig;
    u128 ll = (u128)al * bl, lh = (u128)al * bh, hl = (u128)ah * bl;
    u128 mid = (ll >> 64) + (uint64_t)lh + (uint64_t)hl;
    u128 hi = (u128)ah * bh + (lh >> 64) + (hl >> 64) + (mid >> 64);
    int exp = a.exp + b.exp + 128;

    if (!a.sig || !b.sig)
        return (Wide){ a.sign != b.sign, 0, 0 };
    if (!(hi >> 127)) {
        hi = hi << 1 | (uint64_t)mid >> 63;
        exp--;
    }
    return (Wide){ a.sign != b.sign, exp, hi };
}

/* a + b; the bits of the smaller shifted out are jammed into its last
   bit, so that a sum just below a round number stays below it. */
static Wide w_add(Wide a, Wide b)
{
    Wide t;
    u128 sa, sb;

    if (!b.sig)
        return a;
    if (!a.sig)
        return b;
    if (a.exp < b.exp || (a.exp == b.exp && a.sig < b.sig)) {
        t = a;
        a = b;
        b = t;
    }
    sa = a.sig >> 1;
    sb = sf_shift_right_jam(b.sig, a.exp - b.exp + 1);
    return w_make(a.sign, a.exp + 1, a.sign == b.sign ? sa + sb : sa - sb);
}

static Wide w_sub(Wide a, Wide b)
{
    return w_add(a, w_neg(b));
}

/* a / b (b nonzero), 128 quotient bits by long division. */
static Wide w_div(Wide a, Wide b)
{
    u128 r = a.sig, q = 0;
    bool carry = false;

    if (!a.sig)
        return (Wide){ a.sign != b.sign, 0, 0 };
    for (int i = 127; i >= 0; i--) {
        if (carry || r >= b.sig) {
            r -= b.sig;
            q |= (u128)1 << i;
        }
        carry = r >> 127;
        r <<= 1;
    }
    return w_make(a.sign != b.sign, a.exp - b.exp - 127, q);
}

/* a / k for a small positive k: a 192-bit quotient cut to 128. */
static Wide w_div_small(Wide a, uint64_t k)
{
    u128 q1 = a.sig / k, r = a.sig % k;
    uint64_t q0 = (uint64_t)((r << 64) / k);
    int n = 128 - sf_bitlen128(q1);

    if (!a.sig)
        return a;
    return (Wide){ a.sign, a.exp - n, q1 << n | (u128)q0 >> (64 - n) };
}

/* Whether a term is too small to matter next to sum (2^-135 of it).  A
   series adds that last term still: jammed into the sum's last bit, it
   says on which side of the partial sum the exact value lies. */
static bool negligible(Wide term, Wide sum)
{
    return !term.sig || term.exp < sum.exp - 135;
}

/* Rounds a result that is not exact (its sticky bit set) to 64 bits in
   st->round; precision control does not apply. */
static FloatX80 w_round(Wide a, FloatStatus *st)
{
    FloatStatus s64 = *st;
    FloatX80 r;

    s64.x80_precision = 64;
    r = x80_round_pack(a.sign, a.exp, a.sig | 1, &s64);
    st->flags = s64.flags;
    return r;
}

/* ---- Series ---- */

/* sin and cos of |r| <= pi/4 by their Taylor series. */
static void sin_cos_series(Wide r, Wide *s, Wide *c)
{
    Wide r2 = w_mul(r, r), term = r, sum = r;

    for (uint64_t k = 2; !negligible(term, sum); k += 2) {
        term = w_neg(w_div_small(w_mul(term, r2), k * (k + 1)));
        sum = w_add(sum, term);
    }
    *s = sum;
    term = sum = w_one;
    for (uint64_t k = 1; !negligible(term, sum); k += 2) {
        term = w_neg(w_div_small(w_mul(term, r2), k * (k + 1)));
        sum = w_add(sum, term);
    }
    *c = sum;
}

/* e^y - 1 for |y| < 0.7: y + y^2/2! + ... */
static Wide expm1_series(Wide y)
{
    Wide term = y, sum = y;

    for (uint64_t k = 2; !negligible(term, sum); k++) {
        term = w_div_small(w_mul(term, y), k);
        sum = w_add(sum, term);
    }
    return sum;
}

/* atanh(s) for |s| <= 0.18: s + s^3/3 + s^5/5 + ... */
static Wide atanh_series(Wide s)
{
    Wide s2 = w_mul(s, s), pow = s, sum = s, term;

    for (uint64_t k = 3;; k += 2) {
        pow = w_mul(pow, s2);
        term = w_div_small(pow, k);
        sum = w_add(sum, term);
        if (negligible(term, sum))
            return sum;
    }
}

/* atan(u) for |u| <= 1/16: u - u^3/3 + u^5/5 - ... */
static Wide atan_series(Wide u)
{
    Wide u2 = w_neg(w_mul(u, u)), pow = u, sum = u, term;

    for (uint64_t k = 3;; k += 2) {
        pow = w_mul(pow, u2);
        term = w_div_small(pow, k);
        sum = w_add(sum, term);
        if (negligible(term, sum))
            return sum;
    }
}

/* log2(x) of a finite x > 0: e + 2 atanh((m - 1)/(m + 1)) log2(e) with
   x = m * 2^e, m in [sqrt(1/2), sqrt(2)). */
static Wide log2_wide(Wide x)
{
    /* sqrt(2) * 2^127 */
    static const u128 sqrt2 = U128(0xb504f333f9de6484ull, 0x597d89b3754abe9full);
    Wide m = { false, -127, x.sig }, s;
    int e = x.exp + 127;

    if (x.sig >= sqrt2) {
        m.exp--;
        e++;
    }
    s = w_div(w_sub(m, w_one), w_add(m, w_one));
    return w_add(w_of_int(e), w_mul(atanh_series(s), w_mul(w_log2e, w_of_int(2))));
}

/* log2(1 + x) for |x| < 0.3: 2 atanh(x / (2 + x)) log2(e). */
static Wide log2p1_wide(Wide x)
{
    Wide s = w_div(x, w_add(w_of_int(2), x));

    return w_mul(atanh_series(s), w_mul(w_log2e, w_of_int(2)));
}

/* atan(t) for 0 <= t <= 1: atan(k/8) + atan((t - k/8) / (1 + t k/8)). */
static Wide atan_wide(Wide t)
{
    Wide c, u;
    int k;

    if (!t.sig)
        return t;
    /* k = round(8t) from floor(16t); t <= 1 means t.exp + 127 <= 0. */
    k = t.exp + 127 < -4 ? 0
        : (int)(((t.sig >> (123 - (t.exp + 127))) + 1) >> 1);
    if (!k)
        return atan_series(t);
    c = w_div_small(w_of_int(k), 8);
    u = w_div(w_sub(t, c), w_add(w_one, w_mul(t, c)));
    return w_add(w_atan_k8[k], atan_series(u));
}

/* ---- The instructions ---- */

static inline bool is_zero(FloatX80 a)
{
    return (a.se & X80_EXP_MAX) == 0 && a.sig == 0;
}

static inline bool is_inf(FloatX80 a)
{
    return (a.se & X80_EXP_MAX) == X80_EXP_MAX && a.sig == 1ull << 63;
}

static inline bool sign_of(FloatX80 a)
{
    return a.se & 0x8000;
}

static FloatX80 signed_inf(bool sign)
{
    return x80_make(sign, X80_EXP_MAX, 1ull << 63);
}

FloatX80 x80_f2xm1(FloatX80 a, FloatStatus *st)
{
    FloatX80 r;
    uint64_t sig;
    int exp2;

    switch (x80_operand(a, &r, &sig, &exp2, st)) {
    case X80_OPERAND_DONE:
        return r;
    case X80_OPERAND_INF_ZERO:
        /* 2^-inf - 1 is -1; +inf and zeros are their own result. */
        return is_inf(a) && sign_of(a) ? x80_make(true, X80_EXP_BIAS, 1ull << 63)
                                       : a;
    default:
        break;
    }
    /* 2^-1 - 1 is -1/2 exactly, yet the CPU reports it inexact. */
    if (a.se == (0x8000 | X80_EXP_BIAS) && a.sig == 1ull << 63) {
        st->flags |= FLOAT_FLAG_INEXACT;
        return x80_make(true, X80_EXP_BIAS - 1, 1ull << 63);
    }
    /* Outside [-1, 1] the result is undefined; this CPU returns the
       operand with PE. */
    if ((a.se & X80_EXP_MAX) > X80_EXP_BIAS ||
        ((a.se & X80_EXP_MAX) == X80_EXP_BIAS && a.sig != 1ull << 63)) {
        st->flags |= FLOAT_FLAG_INEXACT;
        return a;
    }
    return w_round(expm1_series(w_mul(w_of_x80(a), w_ln2)), st);
}

/*
 * FYL2X's and FYL2XP1's special cases (SDM vol. 2, their tables): the
 * NaNs, then log2 of x (or of 1 + x) as far as its class decides it;
 * *done says whether r is the result.  lx is what log2 gives: -1 below
 * its domain, 0 for log2 of zero's class (x = 0, or 1 + x = 0 never
 * reached), 1 for the rest.
 */
static FloatX80 ylog_special(FloatX80 x, FloatX80 y, bool plus1, bool *done,
                             FloatStatus *st, uint8_t before)
{
    bool xs = sign_of(x), ys = sign_of(y);
    bool yzero = is_zero(y), yinf = is_inf(y);

    *done = true;
    if (x80_is_unsupported(x) || x80_is_unsupported(y))
        return x80_invalid(st, before);
    if (x80_is_nan(x) || x80_is_nan(y))
        return x80_nan2(x, y, st);
    x80_note_denormal(x, st);
    x80_note_denormal(y, st);
    if (!plus1 && xs && !is_zero(x))
        return x80_invalid(st, before);
    if (!plus1 && is_zero(x)) {
        /* log2(0) = -inf: y * -inf. */
        if (yzero)
            return x80_invalid(st, before);
        if (!yinf) {
            st->flags &= before | ~FLOAT_FLAG_INPUT_DENORMAL;
            st->flags |= FLOAT_FLAG_DIVBYZERO;
        }
        return signed_inf(!ys);
    }
    if (is_inf(x)) {
        /* log2(+inf) = +inf; FYL2XP1 of -inf is invalid. */
        if (yzero || (plus1 && xs))
            return x80_invalid(st, before);
        return signed_inf(ys);
    }
    if (plus1 && is_zero(x)) {
        /* log2(1 + 0) = 0: y * +-0. */
        if (yinf)
            return x80_invalid(st, before);
        return x80_make(xs != ys, 0, 0);
    }
    if (yinf) {
        /* log2 is +, - or 0 (x = 1 for FYL2X); log2(1 + x) has x's
           sign, even for x <= -1 on this CPU. */
        if (!plus1 && (x.se & X80_EXP_MAX) == X80_EXP_BIAS &&
            x.sig == 1ull << 63)
            return x80_invalid(st, before);
        if (plus1)
            return signed_inf(ys != xs);
        return signed_inf(ys != ((x.se & X80_EXP_MAX) < X80_EXP_BIAS));
    }
    *done = false;
    return x;
}

FloatX80 x80_yl2x(FloatX80 x, FloatX80 y, FloatStatus *st)
{
    uint8_t before = st->flags;
    bool done;
    FloatX80 r = ylog_special(x, y, false, &done, st, before);
    Wide wx, l;

    if (done)
        return r;
    wx = w_of_x80(x);
    /* A power of two has an exact log: the product is y * e, rounded
       once; the CPU reports a nonzero one inexact even when it is not
       (and so a tiny one as an underflow). */
    if (wx.sig == (u128)1 << 127) {
        FloatStatus s64 = *st;

        s64.x80_precision = 64;
        r = x80_mul(y, x80_from_int64(wx.exp + 127), &s64);
        st->flags = s64.flags;
        if (!is_zero(r))
            st->flags |= FLOAT_FLAG_INEXACT |
                         ((r.se & X80_EXP_MAX) ? 0 : FLOAT_FLAG_UNDERFLOW);
        return r;
    }
    if (is_zero(y))
        return x80_make(sign_of(y) != ((x.se & X80_EXP_MAX) < X80_EXP_BIAS),
                        0, 0);
    l = log2_wide(wx);
    return w_round(w_mul(l, w_of_x80(y)), st);
}

FloatX80 x80_yl2xp1(FloatX80 x, FloatX80 y, FloatStatus *st)
{
    uint8_t before = st->flags;
    bool done;
    FloatX80 r = ylog_special(x, y, true, &done, st, before);
    Wide wx;

    if (done)
        return r;
    wx = w_of_x80(x);
    /* The SDM defines it for |x| < 1 - sqrt(2)/2; beyond, this CPU
       computes log2(1 + x) where 1 + x > 0, and where it is not gives
       y * -0 (a zero or infinite y) or x itself, inexact. */
    if (is_zero(y))
        return x80_make(sign_of(y) != sign_of(x), 0, 0);
    if (wx.exp + 127 >= 0 && wx.sign) {
        st->flags |= FLOAT_FLAG_INEXACT;
        return x;
    }
    if (wx.exp + 127 >= -2)
        return w_round(w_mul(log2_wide(w_add(w_one, wx)), w_of_x80(y)), st);
    return w_round(w_mul(log2p1_wide(wx), w_of_x80(y)), st);
}

/* FPATAN: atan(y / x), in (-pi, pi] by the signs of both. */
FloatX80 x80_atan2(FloatX80 y, FloatX80 x, FloatStatus *st)
{
    uint8_t before = st->flags;
    bool ys = sign_of(y), xs = sign_of(x);
    Wide a, b, r;
    bool swapped;

    if (x80_is_unsupported(x) || x80_is_unsupported(y))
        return x80_invalid(st, before);
    if (x80_is_nan(x) || x80_is_nan(y))
        return x80_nan2(y, x, st);
    x80_note_denormal(x, st);
    x80_note_denormal(y, st);
    if (is_zero(y) || (is_inf(x) && !is_inf(y))) {
        /* +-0, or +-pi for x negative (zero or not). */
        if (!xs)
            return x80_make(ys, 0, 0);
        return w_round((Wide){ ys, w_pi.exp, w_pi.sig }, st);
    }
    if (is_inf(y) && is_inf(x)) {
        r = w_div_small(w_pi, 4);
        r = xs ? w_mul(r, w_of_int(3)) : r;
        r.sign = ys;
        return w_round(r, st);
    }
    if (is_inf(y) || is_zero(x))
        return w_round((Wide){ ys, w_pi_2.exp, w_pi_2.sig }, st);
    a = w_of_x80(y);
    b = w_of_x80(x);
    a.sign = b.sign = false;
    swapped = a.exp > b.exp || (a.exp == b.exp && a.sig > b.sig);
    r = atan_wide(swapped ? w_div(b, a) : w_div(a, b));
    if (swapped)
        r = w_sub(w_pi_2, r);
    if (xs)
        r = w_sub(w_pi, r);
    r.sign = ys;
    return w_round(r, st);
}

/*
 * The reduction of FSIN, FCOS, FSINCOS, FPTAN: a finite nonzero a with
 * |a| < 2^63 as r + q * pi66/2, |r| <= pi66/4, r exact.
 */
static Wide reduce(FloatX80 a, int *quadrant)
{
    Wide w = w_of_x80(a);
    int sh = w.exp + 65;        /* a * 2^65 = w.sig << sh */
    u128 n, q, rem;
    bool neg = false;

    *quadrant = 0;
    if (w.exp + 127 < -1)       /* |a| < 0.5 < pi/4 */
        return w;
    /* |a| * 2^65 < 2^128: the multiple of pi66/2 in integers. */
    n = sh >= 0 ? w.sig << sh : w.sig >> -sh;
    q = n / pi66_2;
    rem = n % pi66_2;
    if (rem > pi66_2 / 2) {
        q++;
        rem = pi66_2 - rem;
        neg = true;
    }
    *quadrant = (int)(q & 3);
    if (w.sign)
        *quadrant = -*quadrant & 3;
    return w_make(w.sign != neg, -65, rem);
}

bool x80_sin_cos(FloatX80 a, FloatX80 *sin, FloatX80 *cos,
                 FloatStatus *st)
{
    uint8_t before = st->flags;
    FloatX80 r;
    uint64_t sig;
    int exp2, q;
    Wide w, s, c, t;

    switch (x80_operand(a, &r, &sig, &exp2, st)) {
    case X80_OPERAND_DONE:
        break;
    case X80_OPERAND_INF_ZERO:
        if (is_inf(a)) {
            r = x80_invalid(st, before);
            break;
        }
        if (sin)
            *sin = a;
        if (cos)
            *cos = x80_make(false, X80_EXP_BIAS, 1ull << 63);
        return true;
    default:
        if ((a.se & X80_EXP_MAX) >= X80_EXP_BIAS + 63)
            return false;
        w = reduce(a, &q);
        sin_cos_series(w, &s, &c);
        /* sin(r + q pi/2) and cos(r + q pi/2) by the quadrant. */
        t = s;
        switch (q) {
        case 1: s = c; c = w_neg(t); break;
        case 2: s = w_neg(s); c = w_neg(c); break;
        case 3: s = w_neg(c); c = t; break;
        }
        if (sin)
            *sin = w_round(s, st);
        if (cos)
            *cos = w_round(c, st);
        return true;
    }
    if (sin)
        *sin = r;
    if (cos)
        *cos = r;
    return true;
}

bool x80_tan(FloatX80 a, FloatX80 *tan, FloatStatus *st)
{
    uint8_t before = st->flags;
    FloatX80 r;
    uint64_t sig;
    int exp2, q;
    Wide w, s, c;

    switch (x80_operand(a, &r, &sig, &exp2, st)) {
    case X80_OPERAND_DONE:
        *tan = r;
        return true;
    case X80_OPERAND_INF_ZERO:
        *tan = is_inf(a) ? x80_invalid(st, before) : a;
        return true;
    default:
        break;
    }
    if ((a.se & X80_EXP_MAX) >= X80_EXP_BIAS + 63)
        return false;
    /* Below 2^-64 this CPU gives the operand back, inexact (and a
       denormal one with UE), though tan(a) = a + a^3/3 + ... rounds to
       it only in two of the four modes.  (Its C1 is set then except
       toward zero for a denormal, clear for the rest: not modelled.) */
    if ((a.se & X80_EXP_MAX) < X80_EXP_BIAS - 64) {
        st->flags |= FLOAT_FLAG_INEXACT;
        if (!(a.se & X80_EXP_MAX) && !(a.sig >> 63))
            st->flags |= FLOAT_FLAG_UNDERFLOW;
        if (!(a.se & X80_EXP_MAX) && a.sig >> 63)
            a.se |= 1;          /* a pseudo-denormal comes out normal */
        *tan = a;
        return true;
    }
    w = reduce(a, &q);
    sin_cos_series(w, &s, &c);
    *tan = w_round(q & 1 ? w_neg(w_div(c, s)) : w_div(s, c), st);
    return true;
}
