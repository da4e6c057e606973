/*
 * RV64I word operations (addw, subw, sllw, srlw, sraw, addiw, slliw, srliw,
 * sraiw): they compute on the low 32 bits, ignore the upper halves of their
 * sources, use only rs2[4:0] as the shift amount, and sign-extend the 32-bit
 * result to 64 bits.  Grid results come from tools/gen_expected.py.
 */
#include "lib.h"
#include "insn.h"
#include "rv64i_wops_expected.h"

DEF_RR(addw) DEF_RR(subw) DEF_RR(sllw) DEF_RR(srlw) DEF_RR(sraw)

typedef u64 (*rr_fn)(u64, u64);
static const struct {
    const char *name;
    rr_fn fn;
    const u64 (*expect)[NVALUES];
} rr_ops[] = {
    { "addw", rr_addw, expect_addw }, { "subw", rr_subw, expect_subw },
    { "sllw", rr_sllw, expect_sllw }, { "srlw", rr_srlw, expect_srlw },
    { "sraw", rr_sraw, expect_sraw },
};

static void test_grid(void)
{
    for (unsigned op = 0; op < ARRAY_SIZE(rr_ops); op++)
        for (int i = 0; i < NVALUES; i++)
            for (int j = 0; j < NVALUES; j++)
                CHECK_OP(rr_ops[op].name, values[i], values[j],
                         rr_ops[op].fn(values[i], values[j]), rr_ops[op].expect[i][j]);
#define X(insn, imm, k, exp) CHECK_OP(#insn " imm", imm_a[k], (u64)(imm), RI(insn, imm_a[k], imm), exp);
    RI_CHECKS(X)
#undef X
}

static void test_hand(void)
{
    /* 0x7fffffff + 1 overflows 32 bits: sign-extended 0x80000000. */
    CHECK_EQ(rr_addw(0x7fffffff, 1), 0xffffffff80000000ULL);
    CHECK_EQ(RI(addiw, 0x7fffffff, 1), 0xffffffff80000000ULL);
    /* upper halves of the sources are ignored */
    CHECK_EQ(rr_addw(0xdeadbeef00000001ULL, 0x1234567800000002ULL), 3);
    CHECK_EQ(rr_subw(0xffffffff00000000ULL, 1), ~0ULL);
    CHECK_EQ(rr_subw(0x80000000ULL, 1), 0x7fffffffULL);
    /* addiw rd, rs, 0 is sext.w */
    CHECK_EQ(RI(addiw, 0x00000000ffffffffULL, 0), ~0ULL);
    CHECK_EQ(RI(addiw, 0xffffffff7fffffffULL, 0), 0x7fffffffULL);
    CHECK_EQ(RI(addiw, 0, -2048), 0xfffffffffffff800ULL);
    /* shift amounts: only rs2[4:0] */
    CHECK_EQ(rr_sllw(1, 31), 0xffffffff80000000ULL);
    CHECK_EQ(rr_sllw(1, 32), 1);
    CHECK_EQ(rr_sllw(1, 63), 0xffffffff80000000ULL);
    CHECK_EQ(rr_srlw(0x80000000ULL, 31), 1);
    CHECK_EQ(rr_srlw(0x80000000ULL, 0), 0xffffffff80000000ULL);
    CHECK_EQ(rr_srlw(0x80000000ULL, 32), 0xffffffff80000000ULL);
    CHECK_EQ(rr_srlw(0xffffffff00000000ULL, 1), 0);
    CHECK_EQ(rr_srlw(0xffffffffULL, 1), 0x7fffffffULL);
    CHECK_EQ(rr_sraw(0x80000000ULL, 31), ~0ULL);
    CHECK_EQ(rr_sraw(0x80000000ULL, 4), 0xfffffffff8000000ULL);
    CHECK_EQ(rr_sraw(0x7fffffff00000000ULL, 4), 0);
    CHECK_EQ(rr_sraw(0x00000000f0000000ULL, 0x24), 0xffffffffff000000ULL);
    CHECK_EQ(RI(slliw, 0x00000000c0000001ULL, 1), 0xffffffff80000002ULL);
    CHECK_EQ(RI(srliw, 0xffffffff80000000ULL, 0), 0xffffffff80000000ULL);
    CHECK_EQ(RI(srliw, 0xffffffff80000000ULL, 1), 0x40000000ULL);
    CHECK_EQ(RI(sraiw, 0x12345678f0000000ULL, 28), ~0ULL);
    /* lui + addiw building 32-bit constants */
    CHECK_EQ(R1("lui %0, 0x80000\n\taddiw %0, %0, -1", 0), 0x7fffffffULL);
    CHECK_EQ(R1("lui %0, 0x7ffff\n\taddiw %0, %0, 0x7ff", 0), 0x7ffff7ffULL);
    /* W op into x0 */
    CHECK_EQ(R1("addw x0, %1, %1\n\tmv %0, x0", 5), 0);
}

int main(void)
{
    test_grid();
    test_hand();
    return test_end();
}
