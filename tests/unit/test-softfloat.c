/* needs: host-x86_64 */
/*
 * Tests of the soft-float core (fpu/softfloat.c) on its own: a table of
 * IEEE 754 corner cases (signed zeros, subnormals, tininess before and
 * after rounding, overflow in each mode, NaN propagation under each rule,
 * sNaN raising invalid, exact zeros of fma, out-of-range conversions), and
 * a randomized differential check against this machine's SSE unit under
 * the x86 policy that the x86-64 guest will use: every rounding mode, DAZ
 * and FTZ on and off, operands biased toward special values, the result
 * and all six MXCSR flags (DE included) compared bit for bit.
 */
#include <cpuid.h>
#include <stdlib.h>

#include <glib.h>

#include "unit.h"
#include "mimic/softfloat.h"

enum { NX = FLOAT_FLAG_INEXACT, UF = FLOAT_FLAG_UNDERFLOW,
       OF = FLOAT_FLAG_OVERFLOW, DZ = FLOAT_FLAG_DIVBYZERO,
       NV = FLOAT_FLAG_INVALID, DE = FLOAT_FLAG_INPUT_DENORMAL };

static FloatStatus status(FloatRound rm, FloatNaNRule rule)
{
    return (FloatStatus){ .round = rm, .nan_rule = rule };
}

/* ---- IEEE corner cases ---- */

TEST(signed_zeros)
{
    FloatStatus st = status(FLOAT_ROUND_NEAREST_EVEN, FLOAT_NAN_DEFAULT);

    EXPECT_EQ(f64_add(0x8000000000000000ull, 0, &st), 0);
    EXPECT_EQ(f64_add(0x8000000000000000ull, 0x8000000000000000ull, &st),
              0x8000000000000000ull);
    EXPECT_EQ(f64_sub(0x3ff0000000000000ull, 0x3ff0000000000000ull, &st), 0);
    st.round = FLOAT_ROUND_DOWN;
    EXPECT_EQ(f64_sub(0x3ff0000000000000ull, 0x3ff0000000000000ull, &st),
              0x8000000000000000ull);
    EXPECT_EQ(f32_add(0x80000000, 0, &st), 0x80000000);
    EXPECT_EQ(f32_mul(0x80000000, 0x3f800000, &st), 0x80000000);
    EXPECT_EQ(f32_sqrt(0x80000000, &st), 0x80000000);
    EXPECT_EQ(st.flags, 0);
    /* fma with an exact zero result: -0 only when rounding down, or when
       both the product and the addend are -0. */
    st.round = FLOAT_ROUND_NEAREST_EVEN;
    EXPECT_EQ(f64_muladd(0x3ff0000000000000ull, 0x4000000000000000ull,
                         0xc000000000000000ull, 0, &st), 0);
    EXPECT_EQ(f64_muladd(0x8000000000000000ull, 0x3ff0000000000000ull,
                         0x8000000000000000ull, 0, &st),
              0x8000000000000000ull);
    EXPECT_EQ(f64_muladd(0x8000000000000000ull, 0x3ff0000000000000ull, 0,
                         0, &st), 0);
    st.round = FLOAT_ROUND_DOWN;
    EXPECT_EQ(f64_muladd(0x3ff0000000000000ull, 0x4000000000000000ull,
                         0xc000000000000000ull, 0, &st),
              0x8000000000000000ull);
    EXPECT_EQ(f32_muladd(0x3f800000, 0x3f800000, 0x3f800000,
                         FLOAT_MULADD_NEG_PRODUCT, &st), 0x80000000);
    EXPECT_EQ(st.flags, 0);
    /* x / -0 is -inf with divide-by-zero. */
    EXPECT_EQ(f64_div(0x3ff0000000000000ull, 0x8000000000000000ull, &st),
              0xfff0000000000000ull);
    EXPECT_EQ(st.flags, DZ);
}

/* (2^25 - 1) * 2^-151 = 2^-126 - 2^-151 rounds to 2^-126 in RNE: tiny
   before rounding, not after.  Built as a product of exact operands. */
TEST(tininess_before_and_after_rounding)
{
    uint32_t a = 0x40400000;        /* 3 */
    uint32_t b = 0x00000002;        /* 2^-148 */
    FloatStatus st = status(FLOAT_ROUND_NEAREST_EVEN, FLOAT_NAN_DEFAULT);

    /* (2^25 - 1) * 2^-151 directly through the rounding core. */
    EXPECT_EQ(float_round_pack(&float_fmt_f32, false, -151, (1u << 25) - 1,
                               &st), 0x00800000);
    EXPECT_EQ(st.flags, NX);
    st = status(FLOAT_ROUND_NEAREST_EVEN, FLOAT_NAN_DEFAULT);
    st.tininess = FLOAT_TININESS_BEFORE_ROUNDING;
    EXPECT_EQ(float_round_pack(&float_fmt_f32, false, -151, (1u << 25) - 1,
                               &st), 0x00800000);
    EXPECT_EQ(st.flags, NX | UF);
    /* Toward zero it stays subnormal: tiny either way. */
    st = status(FLOAT_ROUND_TO_ZERO, FLOAT_NAN_DEFAULT);
    EXPECT_EQ(float_round_pack(&float_fmt_f32, false, -151, (1u << 25) - 1,
                               &st), 0x007fffff);
    EXPECT_EQ(st.flags, NX | UF);
    /* An exact subnormal product raises nothing (no DE: not x86 here
       because DE is only noted, and this status ignores it). */
    st = status(FLOAT_ROUND_NEAREST_EVEN, FLOAT_NAN_DEFAULT);
    EXPECT_EQ(f32_mul(a, b, &st), 0x00000006);
    EXPECT_EQ(st.flags & FLOAT_FLAGS_IEEE, 0);
    /* Flush-to-zero: a tiny result is a zero with UF and NX. */
    st.flush_to_zero = true;
    st.flags = 0;
    EXPECT_EQ(f32_mul(0x00800000, 0xbf000000, &st), 0x80000000);
    EXPECT_EQ(st.flags, UF | NX);
    /* Denormals-are-zero: a subnormal operand is a zero. */
    st = status(FLOAT_ROUND_NEAREST_EVEN, FLOAT_NAN_DEFAULT);
    st.denormals_are_zero = true;
    EXPECT_EQ(f32_add(0x00000001, 0x80000000, &st), 0);
    EXPECT_EQ(f64_div(0x3ff0000000000000ull, 1, &st), 0x7ff0000000000000ull);
    EXPECT_EQ(st.flags, DZ);
}

TEST(overflow_in_each_mode)
{
    static const struct {
        FloatRound rm;
        uint64_t pos, neg;
    } cases[] = {
        { FLOAT_ROUND_NEAREST_EVEN, 0x7ff0000000000000ull, 0xfff0000000000000ull },
        { FLOAT_ROUND_NEAREST_MAX_MAG, 0x7ff0000000000000ull, 0xfff0000000000000ull },
        { FLOAT_ROUND_TO_ZERO, 0x7fefffffffffffffull, 0xffefffffffffffffull },
        { FLOAT_ROUND_UP, 0x7ff0000000000000ull, 0xffefffffffffffffull },
        { FLOAT_ROUND_DOWN, 0x7fefffffffffffffull, 0xfff0000000000000ull },
    };

    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        FloatStatus st = status(cases[i].rm, FLOAT_NAN_DEFAULT);

        EXPECT_EQ(f64_mul(0x7fe0000000000000ull, 0x4000000000000000ull, &st),
                  cases[i].pos);
        EXPECT_EQ(f64_mul(0xffe0000000000000ull, 0x4000000000000000ull, &st),
                  cases[i].neg);
        EXPECT_EQ(st.flags, OF | NX);
    }
}

TEST(nan_rules)
{
    uint32_t qa = 0x7fc00001, qb = 0xffc00002, sb = 0x7f800003;
    FloatStatus st = status(FLOAT_ROUND_NEAREST_EVEN, FLOAT_NAN_DEFAULT);

    EXPECT_EQ(f32_add(qa, qb, &st), 0x7fc00000);
    EXPECT_EQ(st.flags, 0);
    EXPECT_EQ(f32_add(qa, sb, &st), 0x7fc00000);
    EXPECT_EQ(st.flags, NV);
    st = status(FLOAT_ROUND_NEAREST_EVEN, FLOAT_NAN_FIRST);
    EXPECT_EQ(f32_add(qb, qa, &st), qb);
    EXPECT_EQ(f32_add(qa, sb, &st), qa);
    EXPECT_EQ(f32_add(0x3f800000, sb, &st), 0x7fc00003);
    EXPECT_EQ(st.flags, NV);
    st = status(FLOAT_ROUND_NEAREST_EVEN, FLOAT_NAN_SNAN_FIRST);
    EXPECT_EQ(f32_add(qa, sb, &st), 0x7fc00003);
    EXPECT_EQ(f32_muladd(qa, qb, 0x7f800004, 0, &st), 0x7fc00004);
    /* inf - inf: the default NaN, negative under the x86 policy. */
    st.default_nan_negative = true;
    EXPECT_EQ(f64_sub(0x7ff0000000000000ull, 0x7ff0000000000000ull, &st),
              0xfff8000000000000ull);
    /* inf * 0 + qNaN raises invalid if the status says so. */
    st = status(FLOAT_ROUND_NEAREST_EVEN, FLOAT_NAN_DEFAULT);
    EXPECT_EQ(f32_muladd(0x7f800000, 0, qa, 0, &st), 0x7fc00000);
    EXPECT_EQ(st.flags, 0);
    st.fma_inf_zero_nan_invalid = true;
    EXPECT_EQ(f32_muladd(0x7f800000, 0, qa, 0, &st), 0x7fc00000);
    EXPECT_EQ(st.flags, NV);
    /* Format changes keep the payload's top (x86) or give the default. */
    st = status(FLOAT_ROUND_NEAREST_EVEN, FLOAT_NAN_FIRST);
    EXPECT_EQ(f32_to_f64(0xff800001, &st), 0xfff8000020000000ull);
    EXPECT_EQ(st.flags, NV);
    EXPECT_EQ(f64_to_f32(0x7ff4000020000000ull, &st), 0x7fe00001);
}

TEST(min_max_variants)
{
    uint64_t one = 0x3ff0000000000000ull, q = 0x7ff8000000000001ull,
             s = 0x7ff0000000000001ull, nz = 0x8000000000000000ull;
    FloatStatus st = status(FLOAT_ROUND_NEAREST_EVEN, FLOAT_NAN_DEFAULT);

    EXPECT_EQ(f64_minmax(one, q, FLOAT_MINMAX_NUMBER, false, &st), one);
    EXPECT_EQ(f64_minmax(nz, 0, FLOAT_MINMAX_NUMBER, false, &st), nz);
    EXPECT_EQ(f64_minmax(nz, 0, FLOAT_MINMAX_NUMBER, true, &st), 0);
    EXPECT_EQ(st.flags, 0);
    EXPECT_EQ(f64_minmax(one, s, FLOAT_MINMAX_NUMBER, false, &st), one);
    EXPECT_EQ(st.flags, NV);
    EXPECT_EQ(f64_minmax(one, s, FLOAT_MINMAX_NUM_2008, false, &st),
              0x7ff8000000000000ull);
    EXPECT_EQ(f64_minmax(one, q, FLOAT_MINMAX_NAN_PROPAGATING, true, &st),
              0x7ff8000000000000ull);
    st.flags = 0;
    EXPECT_EQ(f64_minmax(nz, 0, FLOAT_MINMAX_X86, false, &st), 0);
    EXPECT_EQ(f64_minmax(q, one, FLOAT_MINMAX_X86, false, &st), one);
    EXPECT_EQ(st.flags, NV);
}

TEST(conversions_out_of_range)
{
    FloatStatus st = status(FLOAT_ROUND_NEAREST_EVEN, FLOAT_NAN_DEFAULT);

    /* 2^31 - 0.5 rounds to 2^31: invalid, saturated, no inexact. */
    EXPECT_EQ(f64_to_int(0x41dfffffffe00000ull, 32, true, FLOAT_ROUND_NEAREST_EVEN, &st), 0x7fffffff);
    EXPECT_EQ(st.flags, NV);
    st.flags = 0;
    EXPECT_EQ(f64_to_int(0x41dfffffffe00000ull, 32, true, FLOAT_ROUND_TO_ZERO,
                         &st), 0x7fffffff);
    EXPECT_EQ(st.flags, NX);
    EXPECT_EQ(f64_to_int(0xfff8000000000000ull, 64, true, FLOAT_ROUND_NEAREST_EVEN, &st), INT64_MAX);
    st.int_overflow = FLOAT_INT_SATURATE_NAN_ZERO;
    EXPECT_EQ(f64_to_int(0xfff8000000000000ull, 64, true, FLOAT_ROUND_NEAREST_EVEN, &st), 0);
    st.int_overflow = FLOAT_INT_INDEFINITE;
    EXPECT_EQ(f64_to_int(0x7ff0000000000000ull, 32, true, FLOAT_ROUND_NEAREST_EVEN, &st),
              0xffffffff80000000ull);
    EXPECT_EQ(f64_to_int(0xbff0000000000000ull, 64, false, FLOAT_ROUND_NEAREST_EVEN, &st), UINT64_MAX);
    /* 2^64 - 1 to binary32 rounds up to 2^64; 2^53 + 1 to binary64 is a tie. */
    st.flags = 0;
    EXPECT_EQ(f32_from_uint64(UINT64_MAX, &st), 0x5f800000);
    EXPECT_EQ(f64_from_int64((1ll << 53) + 1, &st), 0x4340000000000000ull);
    EXPECT_EQ(st.flags, NX);
    EXPECT_EQ(f64_round_to_int(0xc004000000000000ull, FLOAT_ROUND_NEAREST_MAX_MAG,
                               false, &st), 0xc008000000000000ull);
    EXPECT_EQ(f64_round_to_int(0xbfe0000000000000ull, FLOAT_ROUND_NEAREST_EVEN,
                               true, &st), 0x8000000000000000ull);
    EXPECT_EQ(f32_classify(0x00000001), FLOAT_CLASS_POS_SUBNORMAL);
    EXPECT_EQ(f32_classify(0xff800001), FLOAT_CLASS_SNAN);
}

/* ---- Differential check against the host's SSE ---- */

/* MXCSR: IE DE ZE OE UE PE in bits 5:0, DAZ bit 6, masks 12:7, RC 14:13,
   FTZ bit 15. */
#define MXCSR_MASKS 0x1f80u
#define MXCSR_DAZ 0x40u
#define MXCSR_FTZ 0x8000u
static const unsigned mxcsr_rc[] = {
    [FLOAT_ROUND_NEAREST_EVEN] = 0, [FLOAT_ROUND_DOWN] = 1,
    [FLOAT_ROUND_UP] = 2, [FLOAT_ROUND_TO_ZERO] = 3,
};

static unsigned to_mxcsr_flags(unsigned f)
{
    return (f & NV ? 0x01 : 0) | (f & DE ? 0x02 : 0) | (f & DZ ? 0x04 : 0) |
           (f & OF ? 0x08 : 0) | (f & UF ? 0x10 : 0) | (f & NX ? 0x20 : 0);
}

enum {
    OP_ADD, OP_SUB, OP_MUL, OP_DIV, OP_SQRT, OP_MIN, OP_MAX, OP_FMA,
    OP_FMSUB, OP_FNMADD, OP_CVT_FMT, OP_TO_I32, OP_TO_I64, OP_TO_I32_TRUNC,
    OP_TO_I64_TRUNC, OP_FROM_I32, OP_FROM_I64, OP_UCOMI, OP_COMI,
    OP_ROUND, OP_ROUND_NX, NUM_OPS,
};
static const char *const op_names[NUM_OPS] = {
    "add", "sub", "mul", "div", "sqrt", "min", "max", "fmadd", "fmsub",
    "fnmadd", "cvt", "cvt2i32", "cvt2i64", "cvtt2i32", "cvtt2i64",
    "cvt_i32", "cvt_i64", "ucomi", "comi", "round", "round_nx",
};

static bool host_has_fma(void)
{
    unsigned a, b, c, d;

    return __get_cpuid(1, &a, &b, &c, &d) && (c & bit_FMA);
}

static bool host_has_sse41(void)
{
    unsigned a, b, c, d;

    return __get_cpuid(1, &a, &b, &c, &d) && (c & bit_SSE4_1);
}

/* ZF, PF, CF of (u)comisd as a FloatRelation. */
static uint64_t relation_of(uint8_t zf, uint8_t pf, uint8_t cf)
{
    if (pf)
        return FLOAT_UNORDERED;
    return zf ? FLOAT_EQUAL : cf ? FLOAT_LESS : FLOAT_GREATER;
}

/*
 * One double-precision operation on the host under csr; returns the result
 * bits (an integer, a relation or a float) and the MXCSR flags raised.
 * Inline assembly throughout: the compiler neither folds these nor moves
 * them across the MXCSR writes.
 */
static uint64_t host_op_d(int op, uint64_t a, uint64_t b, uint64_t c,
                          unsigned csr, unsigned *flags)
{
    double x, y, z, r = 0;
    uint64_t ir = 0;
    uint8_t zf = 0, pf = 0, cf = 0;
    unsigned out, clean = MXCSR_MASKS;
    float fr;

    memcpy(&x, &a, 8);
    memcpy(&y, &b, 8);
    memcpy(&z, &c, 8);
    __asm__ __volatile__("ldmxcsr %0" :: "m"(csr));
    switch (op) {
    case OP_ADD: __asm__ __volatile__("addsd %2, %0" : "=x"(r) : "0"(x), "x"(y)); break;
    case OP_SUB: __asm__ __volatile__("subsd %2, %0" : "=x"(r) : "0"(x), "x"(y)); break;
    case OP_MUL: __asm__ __volatile__("mulsd %2, %0" : "=x"(r) : "0"(x), "x"(y)); break;
    case OP_DIV: __asm__ __volatile__("divsd %2, %0" : "=x"(r) : "0"(x), "x"(y)); break;
    case OP_SQRT: __asm__ __volatile__("sqrtsd %1, %0" : "=x"(r) : "x"(x)); break;
    case OP_MIN: __asm__ __volatile__("minsd %2, %0" : "=x"(r) : "0"(x), "x"(y)); break;
    case OP_MAX: __asm__ __volatile__("maxsd %2, %0" : "=x"(r) : "0"(x), "x"(y)); break;
    /* vfmadd213sd xmm1, xmm2, xmm3 is xmm2 * xmm1 + xmm3: with xmm2 = x,
       xmm1 = y, it is x * y + z, and x86 picks a NaN operand in that
       order (of the pseudo-code's formula), as FLOAT_NAN_FIRST does. */
    case OP_FMA: __asm__ __volatile__("vfmadd213sd %3, %2, %0" : "=x"(r) : "0"(y), "x"(x), "x"(z)); break;
    case OP_FMSUB: __asm__ __volatile__("vfmsub213sd %3, %2, %0" : "=x"(r) : "0"(y), "x"(x), "x"(z)); break;
    case OP_FNMADD: __asm__ __volatile__("vfnmadd213sd %3, %2, %0" : "=x"(r) : "0"(y), "x"(x), "x"(z)); break;
    case OP_CVT_FMT:
        __asm__ __volatile__("cvtsd2ss %1, %0" : "=x"(fr) : "x"(x));
        ir = 0;
        memcpy(&ir, &fr, 4);
        break;
    case OP_TO_I32: __asm__ __volatile__("cvtsd2si %1, %k0" : "=r"(ir) : "x"(x)); ir = (uint64_t)(int64_t)(int32_t)ir; break;
    case OP_TO_I64: __asm__ __volatile__("cvtsd2si %1, %q0" : "=r"(ir) : "x"(x)); break;
    case OP_TO_I32_TRUNC: __asm__ __volatile__("cvttsd2si %1, %k0" : "=r"(ir) : "x"(x)); ir = (uint64_t)(int64_t)(int32_t)ir; break;
    case OP_TO_I64_TRUNC: __asm__ __volatile__("cvttsd2si %1, %q0" : "=r"(ir) : "x"(x)); break;
    case OP_FROM_I32: __asm__ __volatile__("cvtsi2sdl %k1, %0" : "=x"(r) : "r"(a)); break;
    case OP_FROM_I64: __asm__ __volatile__("cvtsi2sdq %q1, %0" : "=x"(r) : "r"(a)); break;
    case OP_UCOMI: __asm__ __volatile__("ucomisd %3, %4" : "=@ccz"(zf), "=@ccp"(pf), "=@ccc"(cf) : "x"(y), "x"(x)); break;
    case OP_COMI: __asm__ __volatile__("comisd %3, %4" : "=@ccz"(zf), "=@ccp"(pf), "=@ccc"(cf) : "x"(y), "x"(x)); break;
    /* roundsd with the mode from MXCSR (imm bit 2) or not: bit 3 off
       raises inexact, on suppresses it. */
    case OP_ROUND: __asm__ __volatile__("roundsd $12, %1, %0" : "=x"(r) : "x"(x)); break;
    case OP_ROUND_NX: __asm__ __volatile__("roundsd $4, %1, %0" : "=x"(r) : "x"(x)); break;
    }
    __asm__ __volatile__("stmxcsr %0" : "=m"(out));
    __asm__ __volatile__("ldmxcsr %0" :: "m"(clean));
    *flags = out & 0x3f;
    if (op == OP_UCOMI || op == OP_COMI)
        return relation_of(zf, pf, cf);
    if ((op >= OP_CVT_FMT && op <= OP_TO_I64_TRUNC))
        return ir;
    memcpy(&ir, &r, 8);
    return ir;
}

/* The same in single precision (the format conversion widens). */
static uint64_t host_op_s(int op, uint32_t a, uint32_t b, uint32_t c,
                          uint64_t ia, unsigned csr, unsigned *flags)
{
    float x, y, z, r = 0;
    uint64_t ir = 0;
    uint8_t zf = 0, pf = 0, cf = 0;
    unsigned out, clean = MXCSR_MASKS;
    double dr;

    memcpy(&x, &a, 4);
    memcpy(&y, &b, 4);
    memcpy(&z, &c, 4);
    __asm__ __volatile__("ldmxcsr %0" :: "m"(csr));
    switch (op) {
    case OP_ADD: __asm__ __volatile__("addss %2, %0" : "=x"(r) : "0"(x), "x"(y)); break;
    case OP_SUB: __asm__ __volatile__("subss %2, %0" : "=x"(r) : "0"(x), "x"(y)); break;
    case OP_MUL: __asm__ __volatile__("mulss %2, %0" : "=x"(r) : "0"(x), "x"(y)); break;
    case OP_DIV: __asm__ __volatile__("divss %2, %0" : "=x"(r) : "0"(x), "x"(y)); break;
    case OP_SQRT: __asm__ __volatile__("sqrtss %1, %0" : "=x"(r) : "x"(x)); break;
    case OP_MIN: __asm__ __volatile__("minss %2, %0" : "=x"(r) : "0"(x), "x"(y)); break;
    case OP_MAX: __asm__ __volatile__("maxss %2, %0" : "=x"(r) : "0"(x), "x"(y)); break;
    case OP_FMA: __asm__ __volatile__("vfmadd213ss %3, %2, %0" : "=x"(r) : "0"(y), "x"(x), "x"(z)); break;
    case OP_FMSUB: __asm__ __volatile__("vfmsub213ss %3, %2, %0" : "=x"(r) : "0"(y), "x"(x), "x"(z)); break;
    case OP_FNMADD: __asm__ __volatile__("vfnmadd213ss %3, %2, %0" : "=x"(r) : "0"(y), "x"(x), "x"(z)); break;
    case OP_CVT_FMT:
        __asm__ __volatile__("cvtss2sd %1, %0" : "=x"(dr) : "x"(x));
        memcpy(&ir, &dr, 8);
        break;
    case OP_TO_I32: __asm__ __volatile__("cvtss2si %1, %k0" : "=r"(ir) : "x"(x)); ir = (uint64_t)(int64_t)(int32_t)ir; break;
    case OP_TO_I64: __asm__ __volatile__("cvtss2si %1, %q0" : "=r"(ir) : "x"(x)); break;
    case OP_TO_I32_TRUNC: __asm__ __volatile__("cvttss2si %1, %k0" : "=r"(ir) : "x"(x)); ir = (uint64_t)(int64_t)(int32_t)ir; break;
    case OP_TO_I64_TRUNC: __asm__ __volatile__("cvttss2si %1, %q0" : "=r"(ir) : "x"(x)); break;
    case OP_FROM_I32: __asm__ __volatile__("cvtsi2ssl %k1, %0" : "=x"(r) : "r"(ia)); break;
    case OP_FROM_I64: __asm__ __volatile__("cvtsi2ssq %q1, %0" : "=x"(r) : "r"(ia)); break;
    case OP_UCOMI: __asm__ __volatile__("ucomiss %3, %4" : "=@ccz"(zf), "=@ccp"(pf), "=@ccc"(cf) : "x"(y), "x"(x)); break;
    case OP_COMI: __asm__ __volatile__("comiss %3, %4" : "=@ccz"(zf), "=@ccp"(pf), "=@ccc"(cf) : "x"(y), "x"(x)); break;
    case OP_ROUND: __asm__ __volatile__("roundss $12, %1, %0" : "=x"(r) : "x"(x)); break;
    case OP_ROUND_NX: __asm__ __volatile__("roundss $4, %1, %0" : "=x"(r) : "x"(x)); break;
    }
    __asm__ __volatile__("stmxcsr %0" : "=m"(out));
    __asm__ __volatile__("ldmxcsr %0" :: "m"(clean));
    *flags = out & 0x3f;
    if (op == OP_UCOMI || op == OP_COMI)
        return relation_of(zf, pf, cf);
    if (op >= OP_CVT_FMT && op <= OP_TO_I64_TRUNC)
        return ir;
    memcpy(&ir, &r, 4);
    return (uint32_t)ir;
}

/* The soft-float side of each op under st. */
static uint64_t soft_op(int op, bool dbl, uint64_t a, uint64_t b, uint64_t c,
                        FloatStatus *st)
{
    FloatRound rm = (FloatRound)st->round;

    switch (op) {
    case OP_ADD: return dbl ? f64_add(a, b, st) : f32_add(a, b, st);
    case OP_SUB: return dbl ? f64_sub(a, b, st) : f32_sub(a, b, st);
    case OP_MUL: return dbl ? f64_mul(a, b, st) : f32_mul(a, b, st);
    case OP_DIV: return dbl ? f64_div(a, b, st) : f32_div(a, b, st);
    case OP_SQRT: return dbl ? f64_sqrt(a, st) : f32_sqrt(a, st);
    case OP_MIN:
    case OP_MAX:
        return dbl ? f64_minmax(a, b, FLOAT_MINMAX_X86, op == OP_MAX, st)
                   : f32_minmax(a, b, FLOAT_MINMAX_X86, op == OP_MAX, st);
    case OP_FMA:
    case OP_FMSUB:
    case OP_FNMADD: {
        unsigned neg = op == OP_FMSUB ? FLOAT_MULADD_NEG_ADDEND
                     : op == OP_FNMADD ? FLOAT_MULADD_NEG_PRODUCT : 0;

        return dbl ? f64_muladd(a, b, c, neg, st) : f32_muladd(a, b, c, neg, st);
    }
    case OP_CVT_FMT: return dbl ? f64_to_f32(a, st) : f32_to_f64(a, st);
    case OP_TO_I32:
    case OP_TO_I64:
    case OP_TO_I32_TRUNC:
    case OP_TO_I64_TRUNC: {
        int width = op == OP_TO_I32 || op == OP_TO_I32_TRUNC ? 32 : 64;

        if (op == OP_TO_I32_TRUNC || op == OP_TO_I64_TRUNC)
            rm = FLOAT_ROUND_TO_ZERO;
        return dbl ? f64_to_int(a, width, true, rm, st)
                   : f32_to_int((uint32_t)a, width, true, rm, st);
    }
    case OP_FROM_I32:
        return dbl ? f64_from_int64((int32_t)a, st) : f32_from_int64((int32_t)a, st);
    case OP_FROM_I64:
        return dbl ? f64_from_int64((int64_t)a, st) : f32_from_int64((int64_t)a, st);
    case OP_UCOMI:
    case OP_COMI: {
        FloatRelation r = dbl ? f64_compare(a, b, op == OP_COMI, st)
                              : f32_compare(a, b, op == OP_COMI, st);

        return (uint64_t)r;
    }
    case OP_ROUND:
    case OP_ROUND_NX:
        return dbl ? f64_round_to_int(a, rm, op == OP_ROUND_NX, st)
                   : f32_round_to_int(a, rm, op == OP_ROUND_NX, st);
    }
    return 0;
}

static uint64_t rnd64(void)
{
    return (uint64_t)g_random_int() << 32 | g_random_int();
}

/*
 * A random operand of fmt, biased toward what breaks arithmetic: zeros,
 * infinities, quiet and signaling NaNs with payloads, subnormals, the
 * ends of the normal range, short significands (exact results and ties),
 * and exponents close to a pivot (cancellation, rounding into the next
 * binade, underflow, overflow).
 */
static uint64_t special(const FloatFmt *f, int pivot)
{
    int mbits = f->p - 1, ebits = f->exp_bits;
    uint64_t sign = (uint64_t)g_random_int_range(0, 2) << (mbits + ebits);
    uint64_t fmask = (1ull << mbits) - 1, emax = (1ull << ebits) - 1;
    uint64_t frac = rnd64() & fmask;
    int e;

    switch (g_random_int_range(0, 14)) {
    case 0: return sign;
    case 1: return sign | emax << mbits;
    case 2: return sign | emax << mbits | 1ull << (mbits - 1) | (frac >> g_random_int_range(1, mbits));
    case 3: return sign | emax << mbits | ((frac >> 1) | 1);               /* sNaN */
    case 4: return sign | (frac >> g_random_int_range(0, mbits)) | 1;     /* subnormal */
    case 5: return sign | 1ull << mbits | (g_random_int_range(0, 2) ? fmask : 0);
    case 6: return sign | (emax - 1) << mbits | (frac | (fmask - 3));     /* near max */
    case 7:
        e = pivot + g_random_int_range(-3, 4);
        e = e < 1 ? 1 : e >= (int)emax ? (int)emax - 1 : e;
        return sign | (uint64_t)e << mbits |
               (frac & ~((1ull << g_random_int_range(0, mbits)) - 1));
    case 8:
        e = pivot + g_random_int_range(-2 * f->p, 2 * f->p);
        e = e < 1 ? 1 : e >= (int)emax ? (int)emax - 1 : e;
        return sign | (uint64_t)e << mbits | frac;
    case 9:     /* around the tiny boundary */
        return sign | (uint64_t)g_random_int_range(1, f->p + 2) << mbits | frac;
    case 10:    /* around 1, for products and quotients near the ends */
        return sign | (uint64_t)(f->emax + g_random_int_range(-2, 3)) << mbits |
               (g_random_int_range(0, 2) ? fmask - (frac & 7) : frac & 7);
    default:
        return rnd64() & ((2ull << (mbits + ebits)) - 1);
    }
}

/* An integer operand of a conversion: small, near the 2^p and 2^31 and
   2^63 boundaries, or random. */
static uint64_t special_int(void)
{
    switch (g_random_int_range(0, 4)) {
    case 0: return (uint64_t)(int64_t)g_random_int_range(-1000, 1000);
    case 1: return (1ull << g_random_int_range(0, 64)) + (uint64_t)g_random_int_range(-3, 4);
    case 2: return rnd64() >> g_random_int_range(0, 64);
    default: return rnd64();
    }
}

/* Many random operations of each kind in each mode, with DAZ and FTZ on
   and off, under the x86 policy; stops at the first mismatch. */
static void differential(bool dbl, int iterations)
{
    const FloatFmt *f = dbl ? &float_fmt_f64 : &float_fmt_f32;
    static const FloatRound modes[] = {
        FLOAT_ROUND_NEAREST_EVEN, FLOAT_ROUND_DOWN, FLOAT_ROUND_UP,
        FLOAT_ROUND_TO_ZERO,
    };
    bool fma = host_has_fma(), sse41 = host_has_sse41();
    int checked = 0;

    for (int op = 0; op < NUM_OPS; op++) {
        if (op >= OP_FMA && op <= OP_FNMADD && !fma)
            continue;
        if (op >= OP_ROUND && !sse41)
            continue;
        for (int i = 0; i < iterations; i++) {
            FloatRound rm = modes[i & 3];
            bool daz = i & 4, ftz = i & 8;
            FloatStatus st = {
                .round = rm, .nan_rule = FLOAT_NAN_FIRST,
                .default_nan_negative = true, .int_overflow = FLOAT_INT_INDEFINITE,
                .denormals_are_zero = daz, .flush_to_zero = ftz,
            };
            unsigned csr = MXCSR_MASKS | mxcsr_rc[rm] << 13 |
                           (daz ? MXCSR_DAZ : 0) | (ftz ? MXCSR_FTZ : 0);
            int pivot = g_random_int_range(1, (1 << f->exp_bits) - 1);
            uint64_t a = special(f, pivot), b = special(f, pivot),
                     c = special(f, pivot), want, got;
            unsigned hflags;

            if (op == OP_FMA || op == OP_FMSUB || op == OP_FNMADD) {
                /* Products near the addend: cancellation. */
                if (g_random_int_range(0, 2)) {
                    int pe = (int)((a >> (f->p - 1)) & ((1 << f->exp_bits) - 1)) +
                             (int)((b >> (f->p - 1)) & ((1 << f->exp_bits) - 1)) - f->emax;
                    c = special(f, pe);
                }
            }
            if (op == OP_FROM_I32 || op == OP_FROM_I64)
                a = special_int();
            want = dbl ? host_op_d(op, a, b, c, csr, &hflags)
                       : host_op_s(op, (uint32_t)a, (uint32_t)b, (uint32_t)c,
                                   a, csr, &hflags);
            got = soft_op(op, dbl, a, b, c, &st);
            if (got != want || to_mxcsr_flags(st.flags) != hflags) {
                printf("#   %s%s rm %d daz %d ftz %d a %#" PRIx64 " b %#" PRIx64
                       " c %#" PRIx64 ": soft %#" PRIx64 " flags %#x, host %#"
                       PRIx64 " flags %#x\n", op_names[op], dbl ? "d" : "s",
                       rm, daz, ftz, a, b, c, got,
                       to_mxcsr_flags(st.flags), want, hflags);
                unit_case_failed = 1;
                return;
            }
            checked++;
        }
    }
    EXPECT(checked >= iterations * (NUM_OPS - 5));
}

TEST(x86_policy_matches_host_sse_binary32)
{
    g_random_set_seed(754);
    differential(false, 40000);
}

TEST(x86_policy_matches_host_sse_binary64)
{
    g_random_set_seed(2019);
    differential(true, 40000);
}

int main(void)
{
    return unit_run();
}
