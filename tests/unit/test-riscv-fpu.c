/* needs: riscv64 host-x86_64 */
/*
 * Tests of the F/D helpers in target/riscv/fpu_helper.c, without running
 * guest code: exact rounding (the core's float_round_pack) in the five
 * modes with tininess after rounding, the saturating float-to-int conversions, RMM
 * ties of add/mul/div/fma against an independent reference (the nearest
 * of the two neighbours, computed exactly in double or __float128), the
 * x86 underflow boundary, that helpers leave the host's MXCSR alone, NaN
 * boxing and the fflags/frm/fcsr CSRs with mstatus.FS.
 */
#include <math.h>
#include <stdlib.h>
#include <xmmintrin.h>

#include <glib.h>

#include "unit.h"
#include "../../target/riscv/fpu_helper.h"
#include "../../target/riscv/helper.h"
#include "../../target/riscv/internals.h"

enum { NX = RV_FFLAG_NX, UF = RV_FFLAG_UF, OF = RV_FFLAG_OF,
       DZ = RV_FFLAG_DZ, NV = RV_FFLAG_NV };

/* The core's rounding under RISC-V's rules (tininess after rounding). */
static uint64_t pack(const FloatFmt *f, bool sign, int exp2, uint64_t sig,
                     unsigned rm, unsigned *flags)
{
    FloatStatus st = { .round = rm };
    uint64_t r = float_round_pack(f, sign, exp2, sig, &st);

    *flags = st.flags;
    return r;
}

TEST(round_pack_ties)
{
    unsigned fl;

    /* 1 + 2^-24 (sig 2^24 + 1, exp -24): halfway between 1 and 1 + 2^-23. */
    EXPECT_EQ(pack(&float_fmt_f32, 0, -24, (1 << 24) + 1, RV_RM_RNE, &fl), 0x3f800000);
    EXPECT_EQ(fl, NX);
    EXPECT_EQ(pack(&float_fmt_f32, 0, -24, (1 << 24) + 1, RV_RM_RMM, &fl), 0x3f800001);
    EXPECT_EQ(pack(&float_fmt_f32, 1, -24, (1 << 24) + 1, RV_RM_RMM, &fl), 0xbf800001);
    EXPECT_EQ(pack(&float_fmt_f32, 1, -24, (1 << 24) + 1, RV_RM_RDN, &fl), 0xbf800001);
    EXPECT_EQ(pack(&float_fmt_f32, 1, -24, (1 << 24) + 1, RV_RM_RUP, &fl), 0xbf800000);
    EXPECT_EQ(pack(&float_fmt_f32, 0, -24, (1 << 24) + 1, RV_RM_RTZ, &fl), 0x3f800000);
    /* 1 + 3 * 2^-24: the tie goes up in RNE too (odd last bit). */
    EXPECT_EQ(pack(&float_fmt_f32, 0, -24, (1 << 24) + 3, RV_RM_RNE, &fl), 0x3f800002);
    /* Exact values raise nothing. */
    EXPECT_EQ(pack(&float_fmt_f64, 0, 0, 3, RV_RM_RMM, &fl), 0x4008000000000000ull);
    EXPECT_EQ(fl, 0);
}

TEST(round_pack_overflow)
{
    unsigned fl;

    /* 2^128 overflows single precision: inf or max by mode and sign. */
    EXPECT_EQ(pack(&float_fmt_f32, 0, 128, 1, RV_RM_RNE, &fl), 0x7f800000);
    EXPECT_EQ(fl, OF | NX);
    EXPECT_EQ(pack(&float_fmt_f32, 0, 128, 1, RV_RM_RTZ, &fl), 0x7f7fffff);
    EXPECT_EQ(pack(&float_fmt_f32, 1, 128, 1, RV_RM_RUP, &fl), 0xff7fffff);
    EXPECT_EQ(pack(&float_fmt_f32, 1, 128, 1, RV_RM_RDN, &fl), 0xff800000);
    EXPECT_EQ(pack(&float_fmt_f32, 0, 128, 1, RV_RM_RMM, &fl), 0x7f800000);
    /* max + half an ulp: RNE and RMM overflow, RTZ does not. */
    EXPECT_EQ(pack(&float_fmt_f32, 0, 103, (1 << 25) - 1, RV_RM_RMM, &fl), 0x7f800000);
    EXPECT_EQ(pack(&float_fmt_f32, 0, 103, (1 << 25) - 1, RV_RM_RTZ, &fl), 0x7f7fffff);
    EXPECT_EQ(fl, NX);
}

/* 2^-126 - 2^-151 = (2^25 - 1) * 2^-151 rounds (as if the exponent were
   unbounded) to 2^-126 in RNE/RMM/RUP, so it is not tiny: NX alone.  A
   before-rounding tininess rule (Arm) would raise UF too. */
TEST(round_pack_tininess_after_rounding)
{
    unsigned fl;

    EXPECT_EQ(pack(&float_fmt_f32, 0, -151, (1 << 25) - 1, RV_RM_RNE, &fl), 0x00800000);
    EXPECT_EQ(fl, NX);
    EXPECT_EQ(pack(&float_fmt_f32, 0, -151, (1 << 25) - 1, RV_RM_RMM, &fl), 0x00800000);
    EXPECT_EQ(fl, NX);
    EXPECT_EQ(pack(&float_fmt_f32, 0, -151, (1 << 25) - 1, RV_RM_RTZ, &fl), 0x007fffff);
    EXPECT_EQ(fl, NX | UF);
    EXPECT_EQ(pack(&float_fmt_f32, 1, -151, (1 << 25) - 1, RV_RM_RUP, &fl), 0x807fffff);
    EXPECT_EQ(fl, NX | UF);
    /* Exact subnormals are not underflows. */
    EXPECT_EQ(pack(&float_fmt_f32, 0, -149, 5, RV_RM_RNE, &fl), 5);
    EXPECT_EQ(fl, 0);
    /* Half the smallest subnormal: to 0 in RNE, up in RMM; UF + NX. */
    EXPECT_EQ(pack(&float_fmt_f64, 0, -1075, 1, RV_RM_RNE, &fl), 0);
    EXPECT_EQ(fl, UF | NX);
    EXPECT_EQ(pack(&float_fmt_f64, 0, -1075, 1, RV_RM_RMM, &fl), 1);
    EXPECT_EQ(fl, UF | NX);
}

/* The same boundary through the host FPU (x86 detects tininess after
   rounding, Intel SDM vol. 1 11.5.2.5): (2^18 - 1) * 2^-38 times
   (2^36 + 2^18 + 1) * 2^-1038 is exactly 2^-1022 - 2^-1076. */
TEST(host_underflow_boundary)
{
    double ad = ldexp((double)((1ull << 18) - 1), -38);
    double bd = ldexp((double)((1ull << 36) + (1ull << 18) + 1), -1038);
    uint64_t a, b;
    unsigned fl = 0;

    memcpy(&a, &ad, 8);
    memcpy(&b, &bd, 8);
    EXPECT_EQ(rv_fp_binop(RV_FOP_MUL, true, a, b, RV_RM_RNE, &fl),
              0x0010000000000000ull);
    EXPECT_EQ(fl, NX);
    fl = 0;
    EXPECT_EQ(rv_fp_binop(RV_FOP_MUL, true, a, b, RV_RM_RTZ, &fl),
              0x000fffffffffffffull);
    EXPECT_EQ(fl, NX | UF);
    fl = 0;
    EXPECT_EQ(rv_fp_binop(RV_FOP_MUL, true, a, b, RV_RM_RMM, &fl),
              0x0010000000000000ull);
    EXPECT_EQ(fl, NX);
}

TEST(float_to_int_saturation)
{
    unsigned fl;
#define CVT(bits, w, s, rm, exp, eflags) do {                                \
        fl = 0;                                                            \
        EXPECT_EQ(rv_float_to_int(true, bits, w, s, rm, &fl), exp);   \
        EXPECT_EQ(fl, eflags);                                             \
    } while (0)
    /* 2^31 - 0.5: RNE and RMM round to 2^31, out of range; RTZ fits. */
    CVT(0x41dfffffffe00000ull, 32, true, RV_RM_RNE, 0x7fffffff, NV);
    CVT(0x41dfffffffe00000ull, 32, true, RV_RM_RMM, 0x7fffffff, NV);
    CVT(0x41dfffffffe00000ull, 32, true, RV_RM_RTZ, 0x7fffffff, NX);
    CVT(0xc1dfffffffe00000ull, 32, true, RV_RM_RNE, 0xffffffff80000000ull, NX);
    CVT(0x43e0000000000000ull, 64, true, RV_RM_RNE, INT64_MAX, NV);  /* 2^63 */
    CVT(0x43e0000000000000ull, 64, false, RV_RM_RNE, 1ull << 63, 0);
    CVT(0x7ff8000000000000ull, 32, false, RV_RM_RNE, UINT64_MAX, NV); /* NaN */
    CVT(0xfff8000000000000ull, 64, true, RV_RM_RNE, INT64_MAX, NV);   /* -NaN */
    CVT(0xfff0000000000000ull, 64, true, RV_RM_RNE, 1ull << 63, NV);  /* -inf */
    CVT(0xfff0000000000000ull, 32, false, RV_RM_RNE, 0, NV);
    CVT(0xbfe0000000000000ull, 32, false, RV_RM_RNE, 0, NX);          /* -0.5 */
    CVT(0xbfe0000000000000ull, 32, false, RV_RM_RMM, 0, NV);          /* -> -1 */
    CVT(0xbfe0000000000000ull, 64, false, RV_RM_RUP, 0, NX);
    CVT(0x3ff8000000000000ull, 64, true, RV_RM_RMM, 2, NX);           /* 1.5 */
    CVT(0xc004000000000000ull, 64, true, RV_RM_RNE, (uint64_t)-2, NX); /* -2.5 */
    CVT(0xc004000000000000ull, 64, true, RV_RM_RMM, (uint64_t)-3, NX);
#undef CVT
    /* -2^31 - 1 (double) in RTZ is out of range: the W minimum with NV. */
    fl = 0;
    EXPECT_EQ(rv_float_to_int(true, 0xc1e0000000200000ull, 32, true,
                              RV_RM_RTZ, &fl), 0xffffffff80000000ull);
    EXPECT_EQ(fl, NV);
}

/* ---- RMM ties against an independent reference ---- */

static uint64_t rnd64(void) { return ((uint64_t)g_random_int() << 32) | g_random_int(); }

/* The RMM rounding of exact x to float: the nearer of the two floats around
   it, the one of larger magnitude on a tie. */
static uint32_t ref_rmm_s(double x)
{
    float f = (float)x, g;
    double df, dg;
    uint32_t u;

    if ((double)f == x)
        return (memcpy(&u, &f, 4), u);
    g = (double)f < x ? nextafterf(f, INFINITY) : nextafterf(f, -INFINITY);
    df = fabs(x - (double)f);
    dg = fabs(x - (double)g);
    if (dg < df || (dg == df && fabsf(g) > fabsf(f)))
        f = g;
    memcpy(&u, &f, 4);
    return u;
}

static uint64_t ref_rmm_d(__float128 x)
{
    double f = (double)x, g;
    __float128 df, dg;
    uint64_t u;

    if ((__float128)f == x)
        return (memcpy(&u, &f, 8), u);
    g = (__float128)f < x ? nextafter(f, INFINITY) : nextafter(f, -INFINITY);
    df = x - (__float128)f;
    dg = x - (__float128)g;
    if (df < 0) df = -df;
    if (dg < 0) dg = -dg;
    if (dg < df || (dg == df && fabs(g) > fabs(f)))
        f = g;
    memcpy(&u, &f, 8);
    return u;
}

/* Random values with short significands (so many results are ties) in a
   narrow exponent range (so the sums are exact in the wider format). */
static uint32_t tie_prone_s(void)
{
    uint32_t frac = g_random_int() & 0x7fffff & ~((1u << g_random_int_range(0, 20)) - 1);

    return (g_random_int() & 0x80000000u) |
           (uint32_t)g_random_int_range(120, 134) << 23 | frac;
}

static uint64_t tie_prone_d(void)
{
    uint64_t frac = rnd64() & ((1ull << 52) - 1) &
                    ~((1ull << g_random_int_range(0, 48)) - 1);

    return (rnd64() & (1ull << 63)) |
           (uint64_t)g_random_int_range(1010, 1040) << 52 | frac;
}

TEST(rmm_random_ties)
{
    int ties = 0;

    g_random_set_seed(1234);
    for (int i = 0; i < 200000; i++) {
        uint32_t a = tie_prone_s(), b = tie_prone_s();
        float fa, fb;
        unsigned fl = 0;

        memcpy(&fa, &a, 4);
        memcpy(&fb, &b, 4);
        EXPECT_EQ(rv_fp_binop(RV_FOP_ADD, false, a, b, RV_RM_RMM, &fl),
                  ref_rmm_s((double)fa + (double)fb));
        EXPECT_EQ(rv_fp_binop(RV_FOP_MUL, false, a, b, RV_RM_RMM, &fl),
                  ref_rmm_s((double)fa * (double)fb));
        ties += rv_fp_binop(RV_FOP_ADD, false, a, b, RV_RM_RMM, &fl) !=
                rv_fp_binop(RV_FOP_ADD, false, a, b, RV_RM_RNE, &fl);
        if (unit_case_failed)
            return;
    }
    for (int i = 0; i < 100000; i++) {
        uint64_t a = tie_prone_d(), b = tie_prone_d(), c = tie_prone_d();
        double da, db, dc;
        unsigned fl = 0;

        memcpy(&da, &a, 8);
        memcpy(&db, &b, 8);
        memcpy(&dc, &c, 8);
        EXPECT_EQ(rv_fp_binop(RV_FOP_ADD, true, a, b, RV_RM_RMM, &fl),
                  ref_rmm_d((__float128)da + db));
        EXPECT_EQ(rv_fp_binop(RV_FOP_MUL, true, a, b, RV_RM_RMM, &fl),
                  ref_rmm_d((__float128)da * db));
        /* a * b is exact in __float128; adding c there may not be, so
           only compare when it is. */
        __float128 p = (__float128)da * db, s = p + dc;
        if (s - p == (__float128)dc) {
            EXPECT_EQ(rv_fp_fma(0, true, a, b, c, RV_RM_RMM, &fl),
                      ref_rmm_d(s));
        }
        ties += rv_fp_binop(RV_FOP_MUL, true, a, b, RV_RM_RMM, &fl) !=
                rv_fp_binop(RV_FOP_MUL, true, a, b, RV_RM_RNE, &fl);
        if (unit_case_failed)
            return;
    }
    /* The inputs really exercise the tie rule. */
    EXPECT(ties > 1000);
}

/* Division ties only happen for subnormal results: 5 * 2^-1074 / 2. */
TEST(rmm_div_sqrt)
{
    unsigned fl = 0;

    EXPECT_EQ(rv_fp_binop(RV_FOP_DIV, true, 5, 0x4000000000000000ull,
                          RV_RM_RMM, &fl), 3);
    EXPECT_EQ(fl, UF | NX);
    EXPECT_EQ(rv_fp_binop(RV_FOP_DIV, true, 5, 0x4000000000000000ull,
                          RV_RM_RNE, &fl), 2);
    /* sqrt is never a tie: RMM gives the RNE result. */
    EXPECT_EQ(rv_fp_binop(RV_FOP_SQRT, true, 0x4000000000000000ull, 0,
                          RV_RM_RMM, &fl), 0x3ff6a09e667f3bcdull);
}

TEST(helpers_restore_mxcsr)
{
    unsigned before = 0x1f80 | (2u << 13) | 0x20;   /* RUP, PE set */
    unsigned fl = 0;

    _mm_setcsr(before);
    rv_fp_binop(RV_FOP_DIV, true, 0x3ff0000000000000ull, 0, RV_RM_RTZ, &fl);
    rv_fp_binop(RV_FOP_ADD, false, 0x3f800000, 0x33800000, RV_RM_RMM, &fl);
    rv_fp_fma(0, true, 1, 2, 3, RV_RM_RDN, &fl);
    EXPECT_EQ(_mm_getcsr(), before);
    _mm_setcsr(0x1f80);
    EXPECT_EQ(fl & DZ, DZ);
}

TEST(fma_invalid_and_nans)
{
    unsigned fl = 0;

    /* inf * 0 + qNaN: NV per RISC-V, canonical NaN. */
    EXPECT_EQ(rv_fp_fma(0, true, 0x7ff0000000000000ull, 0, 0x7ff8000000000123ull,
                        RV_RM_RNE, &fl), RV_CANON_NAN_D);
    EXPECT_EQ(fl, NV);
    fl = 0;
    EXPECT_EQ(rv_fp_fma(0, false, 0x7fc00001, 0x3f800000, 0x3f800000,
                        RV_RM_RNE, &fl), RV_CANON_NAN_S);
    EXPECT_EQ(fl, 0);
    /* One rounding: (1 + 2^-52)(1 - 2^-53) - 1 = 2^-53 - 2^-105. */
    EXPECT_EQ(rv_fp_fma(0, true, 0x3ff0000000000001ull, 0x3fefffffffffffffull,
                        0xbff0000000000000ull, RV_RM_RNE, &fl),
              0x3c9ffffffffffffeull);
}

TEST(helper_nanbox_and_fcsr)
{
    RISCVCPU *cpu = RISCV_CPU(cpu_create(&riscv_target_ops, 0, NULL));
    uint64_t old = 0;

    /* fcsr does not exist while FS is Off (reset). */
    EXPECT(!riscv_csr_access(cpu, 0x003 | RV_CSR_OP_RS | RV_CSR_READ, 0, &old));
    EXPECT_EQ(cpu->parent.tb_flags & RV_TB_FS_MASK, 0);
    EXPECT(riscv_csr_access(cpu, CSR_MSTATUS | RV_CSR_OP_RS | RV_CSR_WRITE,
                            1ull << 13, &old));
    EXPECT_EQ(cpu->parent.tb_flags & RV_TB_FS_MASK, 1u << RV_TB_FS_SHIFT);
    EXPECT(riscv_csr_access(cpu, 0x002 | RV_CSR_OP_RW | RV_CSR_WRITE, 4, &old));
    EXPECT_EQ(cpu->env.fcsr, 4u << 5);
    EXPECT_EQ((cpu->env.mstatus & MSTATUS_FS) >> 13, 3);   /* Dirty */
    EXPECT_EQ(cpu->parent.tb_flags & RV_TB_FS_MASK, RV_TB_FS_MASK);
    /* frm = RMM drives rm = DYN; an unboxed input is the canonical NaN. */
    EXPECT_EQ(helper_fbinop(cpu, RV_NANBOX_S | 0x3f800000,
                            RV_NANBOX_S | 0x33800000,
                            rv_fop(RV_FOP_ADD, false, RV_RM_DYN)),
              RV_NANBOX_S | 0x3f800001);
    EXPECT_EQ(cpu->env.fcsr, (4u << 5) | NX);
    EXPECT_EQ(helper_fbinop(cpu, 0x3f800000, RV_NANBOX_S | 0x3f800000,
                            rv_fop(RV_FOP_MUL, false, RV_RM_RNE)),
              RV_NANBOX_S | RV_CANON_NAN_S);
    EXPECT_EQ(helper_fclass(0x00000000ffffffffull, 0), 1u << 9);
    EXPECT_EQ(helper_fcvt(cpu, (uint64_t)-1, rv_fop(RV_CVT_S_WU, false, 0)),
              RV_NANBOX_S | 0x4f800000);               /* 2^32 - 1 -> 2^32 */
}

TEST(cpu_props_fd)
{
    RISCVCPU *cpu = RISCV_CPU(cpu_create(&riscv_target_ops, 0, NULL));
    char *err = NULL;

    EXPECT(cpu->env.misa & RV_EXT('F'));
    EXPECT(cpu->env.misa & RV_EXT('D'));
    EXPECT(!riscv_cpu_parse_props(cpu, "rv64,f=off", &err));
    EXPECT(err && strstr(err, "requires F"));
    g_free(err);
    EXPECT(riscv_cpu_parse_props(cpu, "rv64,f=off,d=off", &err));
    EXPECT(!(cpu->env.misa & (RV_EXT('F') | RV_EXT('D'))));
    EXPECT(riscv_cpu_parse_props(cpu, "rv64,f=on,d=off", &err));
    EXPECT(cpu->env.misa & RV_EXT('F'));
    EXPECT(!(cpu->env.misa & RV_EXT('D')));
}

int main(void)
{
    return unit_run();
}
