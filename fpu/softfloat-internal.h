/*
 * What the soft-float core's files share and no target needs: the one
 * rounding step (fpu/softfloat.c) that the x87 format's own packer
 * (fpu/softfloat-x80.c) reuses, and two small bit tools.
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

#endif
