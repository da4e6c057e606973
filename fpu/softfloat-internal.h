/*
 * What the soft-float core's files share and no target needs: the one
 * rounding step (fpu/softfloat.c) that the x87 format's own packer
 * (fpu/softfloat-x80.c) reuses, the exact signed sum both formats' add
 * is built on, and two small bit tools.
 */
#ifndef MIMIC_SOFTFLOAT_INTERNAL_H
#define MIMIC_SOFTFLOAT_INTERNAL_H

#include "mimic/softfloat.h"

typedef unsigned __int128 u128;

/* sig >> sh (sh <= 0: an exact left shift), rounded in rm; *inexact says
   whether bits were lost. */
u128 float_round_shift(u128 sig, int sh, bool sign, FloatRound rm,
                       bool *inexact);

static inline int sf_bitlen128(u128 x)
{
    uint64_t hi = (uint64_t)(x >> 64);

    return hi ? 128 - __builtin_clzll(hi)
              : (uint64_t)x ? 64 - __builtin_clzll((uint64_t)x) : 0;
}

/* x >> n, with every bit shifted out ORed into bit 0. */
static inline u128 sf_shift_right_jam(u128 x, int n)
{
    if (n <= 0)
        return x;
    if (n >= 128)
        return x != 0;
    return (x >> n) | ((x & (((u128)1 << n) - 1)) != 0);
}

/* What a one-operand x87 operation finds in its operand. */
typedef enum X80Operand {
    X80_OPERAND_DONE,       /* unsupported or NaN: *r is the result */
    X80_OPERAND_INF_ZERO,   /* an infinity or a zero */
    X80_OPERAND_FINITE,     /* nonzero and finite: *sig * 2^*exp2 */
} X80Operand;

/*
 * The special cases every one-operand x87 operation starts with
 * (fpu/softfloat-x80.c): an unsupported encoding is invalid (the
 * indefinite), a NaN propagates (invalid if signaling), a denormal
 * raises DE; a finite nonzero value is unpacked into *sig * 2^*exp2.
 */
X80Operand x80_operand(FloatX80 a, FloatX80 *r, uint64_t *sig, int *exp2,
                       FloatStatus *st);
/* x87's NaN result of two operands, one at least a NaN. */
FloatX80 x80_nan2(FloatX80 a, FloatX80 b, FloatStatus *st);
/* An invalid operation: the indefinite; DE raised since before (the
   flags on entry) is withdrawn, as x87 reports the invalid instead. */
FloatX80 x80_invalid(FloatStatus *st, uint8_t before);
/* DE for a denormal or pseudo-denormal operand. */
void x80_note_denormal(FloatX80 a, FloatStatus *st);

/*
 * The sum of two exact nonzero values sa * 2^ea and sb * 2^eb (each under
 * 2^126) before rounding: both are normalised to bit 125 (two bits of
 * headroom for the carry) and the smaller is shifted right with jamming.
 * When the shift loses bits the exponents differ by more than the
 * significands' widths, so at most one bit cancels and the sticky bit
 * stays far below any rounding position.  Returns the magnitude (0 for
 * an exact zero) with its sign and exponent in *sign and *exp.
 */
static inline u128 sf_add_exact(bool signa, int ea, u128 sa, bool signb,
                                int eb, u128 sb, bool *sign, int *exp)
{
    int na = 126 - sf_bitlen128(sa), nb = 126 - sf_bitlen128(sb);

    sa <<= na;
    ea -= na;
    sb <<= nb;
    eb -= nb;
    if (ea < eb) {
        u128 ts = sa;
        int te = ea;
        bool tg = signa;

        sa = sb; ea = eb; signa = signb;
        sb = ts; eb = te; signb = tg;
    }
    sb = sf_shift_right_jam(sb, ea - eb);
    *exp = ea;
    if (signa == signb) {
        *sign = signa;
        return sa + sb;
    }
    *sign = sa >= sb ? signa : signb;
    return sa >= sb ? sa - sb : sb - sa;
}

#endif
