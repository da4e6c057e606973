/*
 * RV64M: mul, mulh, mulhsu, mulhu, mulw, div, divu, rem, remu, divw, divuw,
 * remw, remuw.  A grid of corner operands (expected values generated from the
 * ISA definitions by tools/gen_expected.py), the division-by-zero and
 * overflow table of the M chapter written out by hand, W-form sign
 * extension, and pseudo-random operands checked against a shift-and-add /
 * shift-and-subtract software model that uses no M instruction on its
 * critical path.
 */
#include "lib.h"
#include "insn.h"
#include "rv64m_expected.h"

DEF_RR(mul) DEF_RR(mulh) DEF_RR(mulhsu) DEF_RR(mulhu) DEF_RR(mulw)
DEF_RR(div) DEF_RR(divu) DEF_RR(rem) DEF_RR(remu)
DEF_RR(divw) DEF_RR(divuw) DEF_RR(remw) DEF_RR(remuw)

typedef u64 (*rr_fn)(u64, u64);
static const struct {
    const char *name;
    rr_fn fn;
    const u64 (*expect)[NVALUES];
} ops[] = {
    { "mul", rr_mul, expect_mul }, { "mulh", rr_mulh, expect_mulh },
    { "mulhsu", rr_mulhsu, expect_mulhsu }, { "mulhu", rr_mulhu, expect_mulhu },
    { "mulw", rr_mulw, expect_mulw }, { "div", rr_div, expect_div },
    { "divu", rr_divu, expect_divu }, { "rem", rr_rem, expect_rem },
    { "remu", rr_remu, expect_remu }, { "divw", rr_divw, expect_divw },
    { "divuw", rr_divuw, expect_divuw }, { "remw", rr_remw, expect_remw },
    { "remuw", rr_remuw, expect_remuw },
};

#define I64_MIN 0x8000000000000000ULL
#define ALL1    0xffffffffffffffffULL

static void test_grid(void)
{
    for (unsigned op = 0; op < ARRAY_SIZE(ops); op++)
        for (int i = 0; i < NVALUES; i++)
            for (int j = 0; j < NVALUES; j++)
                CHECK_OP(ops[op].name, values[i], values[j],
                         ops[op].fn(values[i], values[j]), ops[op].expect[i][j]);
}

/* The M chapter's table: division by zero and signed overflow do not trap. */
static void test_special_cases(void)
{
    u64 x = 0x123456789abcdef0ULL;

    /* by zero: quotient all ones, remainder the dividend */
    CHECK_EQ(rr_div(x, 0), ALL1);
    CHECK_EQ(rr_divu(x, 0), ALL1);
    CHECK_EQ(rr_rem(x, 0), x);
    CHECK_EQ(rr_remu(x, 0), x);
    CHECK_EQ(rr_div(0, 0), ALL1);
    CHECK_EQ(rr_rem(I64_MIN, 0), I64_MIN);
    /* W forms: by zero gives -1 (sign-extended), remainder sext(dividend[31:0]) */
    CHECK_EQ(rr_divw(x, 0), ALL1);
    CHECK_EQ(rr_divuw(x, 0), ALL1);
    CHECK_EQ(rr_remw(x, 0), 0xffffffff9abcdef0ULL);
    CHECK_EQ(rr_remuw(x, 0), 0xffffffff9abcdef0ULL);
    CHECK_EQ(rr_remw(0x1234567812345678ULL, 0), 0x12345678ULL);
    /* the divisor's upper half is ignored: 0x1_0000_0000 is zero for W forms */
    CHECK_EQ(rr_divw(7, 0x100000000ULL), ALL1);
    CHECK_EQ(rr_divuw(7, 0x100000000ULL), ALL1);
    CHECK_EQ(rr_remw(7, 0x100000000ULL), 7);
    CHECK_EQ(rr_remuw(7, 0x100000000ULL), 7);

    /* signed overflow: quotient = dividend, remainder 0 */
    CHECK_EQ(rr_div(I64_MIN, ALL1), I64_MIN);
    CHECK_EQ(rr_rem(I64_MIN, ALL1), 0);
    CHECK_EQ(rr_divw(0x80000000ULL, ALL1), 0xffffffff80000000ULL);
    CHECK_EQ(rr_remw(0x80000000ULL, ALL1), 0);
    CHECK_EQ(rr_divw(0xabcdef0180000000ULL, 0xffffffffULL), 0xffffffff80000000ULL);
    /* not overflow for the unsigned forms */
    CHECK_EQ(rr_divu(I64_MIN, ALL1), 0);
    CHECK_EQ(rr_remu(I64_MIN, ALL1), I64_MIN);
    CHECK_EQ(rr_divuw(0x80000000ULL, ALL1), 0);
    CHECK_EQ(rr_remuw(0x80000000ULL, ALL1), 0xffffffff80000000ULL);

    /* rounding toward zero; remainder has the dividend's sign */
    CHECK_EQ(rr_div(-7ULL, 2), -3ULL);
    CHECK_EQ(rr_rem(-7ULL, 2), -1ULL);
    CHECK_EQ(rr_div(7, -2ULL), -3ULL);
    CHECK_EQ(rr_rem(7, -2ULL), 1);
    CHECK_EQ(rr_div(-7ULL, -2ULL), 3);
    CHECK_EQ(rr_rem(-7ULL, -2ULL), -1ULL);
    CHECK_EQ(rr_divw(-7ULL, 2), -3ULL);
    CHECK_EQ(rr_remw(-7ULL, 2), -1ULL);
    CHECK_EQ(rr_divuw(0xfffffff9ULL, 2), 0x7ffffffcULL);
    CHECK_EQ(rr_remuw(0xfffffff9ULL, 2), 1);
    /* divuw result with bit 31 set is sign-extended */
    CHECK_EQ(rr_divuw(0xfffffffeULL, 1), 0xfffffffffffffffeULL);
    CHECK_EQ(rr_remuw(0x80000000ULL, 0x80000001ULL), 0xffffffff80000000ULL);

    /* multiply corners */
    CHECK_EQ(rr_mulh(I64_MIN, I64_MIN), 0x4000000000000000ULL);
    CHECK_EQ(rr_mulhu(I64_MIN, I64_MIN), 0x4000000000000000ULL);
    CHECK_EQ(rr_mulhsu(I64_MIN, I64_MIN), 0xc000000000000000ULL);
    CHECK_EQ(rr_mulh(ALL1, ALL1), 0);
    CHECK_EQ(rr_mulhu(ALL1, ALL1), 0xfffffffffffffffeULL);
    CHECK_EQ(rr_mulhsu(ALL1, ALL1), ALL1);
    CHECK_EQ(rr_mulhsu(1, ALL1), 0);
    CHECK_EQ(rr_mulh(ALL1, 1), ALL1);
    CHECK_EQ(rr_mul(ALL1, ALL1), 1);
    CHECK_EQ(rr_mulw(0x10000ULL, 0x8000ULL), 0xffffffff80000000ULL);
    CHECK_EQ(rr_mulw(0xffffffff00000003ULL, 0x1234567800000005ULL), 15);
    CHECK_EQ(rr_mulw(0x7fffffffULL, 0x7fffffffULL), 1);

    /* the usual mulh + mul pairing for a full 128-bit product (rd != rs) */
    u64 hi, lo;
    __asm__ __volatile__(NORVC("mulhu %0, %2, %3\n\tmul %1, %2, %3")
                         : "=&r"(hi), "=&r"(lo) : "r"(x), "r"(x));
    CHECK_EQ(hi, 0x014b66dc33f6acdcULL);
    CHECK_EQ(lo, 0xa5e20890f2a52100ULL);
}

/* ---- software model ---- */

static u64 rng_state = 0x9e3779b97f4a7c15ULL;
static u64 rnd(void)
{
    u64 x = rng_state;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return rng_state = x;
}

/* A random operand with a random number of significant bits, maybe negated. */
static u64 rnd_operand(void)
{
    u64 r = rnd(), v = rnd();
    unsigned bits = r & 63;
    v &= bits == 63 ? ALL1 : (1ULL << (bits + 1)) - 1;
    if (r & 0x100)
        v = -v;
    if ((r & 0x3e00) == 0)
        v = (r & 0x4000) ? I64_MIN : 0;
    return v;
}

/* 64x64 -> 128 unsigned by shift-and-add */
static void soft_mulu128(u64 a, u64 b, u64 *hi, u64 *lo)
{
    u64 h = 0, l = 0, ah = 0, al = a;
    for (int i = 0; i < 64; i++) {
        if ((b >> i) & 1) {
            u64 nl = l + al;
            h += ah + (nl < l);
            l = nl;
        }
        ah = (ah << 1) | (al >> 63);
        al <<= 1;
    }
    *hi = h;
    *lo = l;
}

static u64 soft_mulh_ss(u64 a, u64 b, int sa, int sb)
{
    int neg = 0;
    if (sa && (a >> 63)) { a = -a; neg ^= 1; }
    if (sb && (b >> 63)) { b = -b; neg ^= 1; }
    u64 hi, lo;
    soft_mulu128(a, b, &hi, &lo);
    if (neg) {            /* negate the 128-bit value */
        lo = ~lo + 1;
        hi = ~hi + (lo == 0);
    }
    return hi;
}

/* unsigned a / b by shift-and-subtract; b != 0 */
static void soft_divu(u64 a, u64 b, u64 *q, u64 *r)
{
    u64 quo = 0, rem = 0;
    for (int i = 63; i >= 0; i--) {
        int carry = rem >> 63;
        rem = (rem << 1) | ((a >> i) & 1);
        if (carry || rem >= b) {
            rem -= b;
            quo |= 1ULL << i;
        }
    }
    *q = quo;
    *r = rem;
}

static u64 sx32(u64 v) { return (u64)(i64)(i32)(u32)v; }

static void soft_div_signed(u64 a, u64 b, u64 *q, u64 *r)
{
    /* only for b != 0 and not (I64_MIN / -1) */
    u64 ua = (a >> 63) ? -a : a, ub = (b >> 63) ? -b : b, uq, ur;
    soft_divu(ua, ub, &uq, &ur);
    *q = ((a ^ b) >> 63) ? -uq : uq;
    *r = (a >> 63) ? -ur : ur;
}

static void test_random(void)
{
    for (int n = 0; n < 400; n++) {
        u64 a = rnd_operand(), b = rnd_operand(), hi, lo, q, r;

        soft_mulu128(a, b, &hi, &lo);
        CHECK_OP("mul", a, b, rr_mul(a, b), lo);
        CHECK_OP("mulhu", a, b, rr_mulhu(a, b), hi);
        CHECK_OP("mulh", a, b, rr_mulh(a, b), soft_mulh_ss(a, b, 1, 1));
        CHECK_OP("mulhsu", a, b, rr_mulhsu(a, b), soft_mulh_ss(a, b, 1, 0));
        CHECK_OP("mulw", a, b, rr_mulw(a, b), sx32(lo));

        if (b == 0)
            continue;
        soft_divu(a, b, &q, &r);
        CHECK_OP("divu", a, b, rr_divu(a, b), q);
        CHECK_OP("remu", a, b, rr_remu(a, b), r);
        if (!(a == I64_MIN && b == ALL1)) {
            soft_div_signed(a, b, &q, &r);
            CHECK_OP("div", a, b, rr_div(a, b), q);
            CHECK_OP("rem", a, b, rr_rem(a, b), r);
        }
        u64 a32 = (u32)a, b32 = (u32)b;
        if (b32 == 0)
            continue;
        soft_divu(a32, b32, &q, &r);
        CHECK_OP("divuw", a, b, rr_divuw(a, b), sx32(q));
        CHECK_OP("remuw", a, b, rr_remuw(a, b), sx32(r));
        if (!(a32 == 0x80000000ULL && b32 == 0xffffffffULL)) {
            soft_div_signed(sx32(a), sx32(b), &q, &r);
            CHECK_OP("divw", a, b, rr_divw(a, b), sx32(q));
            CHECK_OP("remw", a, b, rr_remw(a, b), sx32(r));
        }
    }
}

int main(void)
{
    test_grid();
    test_special_cases();
    test_random();
    return test_end();
}
