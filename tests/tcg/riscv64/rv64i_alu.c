/*
 * RV64I integer computational instructions: every register-register and
 * register-immediate ALU op over a grid of corner operands (expected results
 * generated from the ISA definitions by tools/gen_expected.py), shift amounts
 * beyond 63 (only rs2[5:0] is used), slt/sltu corners, lui/auipc sign
 * extension, register aliasing and x0 as source and destination.
 */
#include "lib.h"
#include "insn.h"
#include "rv64i_alu_expected.h"

DEF_RR(add) DEF_RR(sub) DEF_RR(and) DEF_RR(or) DEF_RR(xor)
DEF_RR(slt) DEF_RR(sltu) DEF_RR(sll) DEF_RR(srl) DEF_RR(sra)

typedef u64 (*rr_fn)(u64, u64);
static const struct {
    const char *name;
    rr_fn fn;
    const u64 (*expect)[NVALUES];
} rr_ops[] = {
    { "add", rr_add, expect_add }, { "sub", rr_sub, expect_sub },
    { "and", rr_and, expect_and }, { "or", rr_or, expect_or },
    { "xor", rr_xor, expect_xor }, { "slt", rr_slt, expect_slt },
    { "sltu", rr_sltu, expect_sltu }, { "sll", rr_sll, expect_sll },
    { "srl", rr_srl, expect_srl }, { "sra", rr_sra, expect_sra },
};

static void test_rr_grid(void)
{
    for (unsigned op = 0; op < ARRAY_SIZE(rr_ops); op++)
        for (int i = 0; i < NVALUES; i++)
            for (int j = 0; j < NVALUES; j++)
                CHECK_OP(rr_ops[op].name, values[i], values[j],
                         rr_ops[op].fn(values[i], values[j]), rr_ops[op].expect[i][j]);
}

static void test_ri_grid(void)
{
#define X(insn, imm, k, exp) CHECK_OP(#insn " imm", imm_a[k], (u64)(imm), RI(insn, imm_a[k], imm), exp);
    RI_CHECKS(X)
#undef X
}

static void test_shift_amounts(void)
{
    /* Register shifts use rs2[5:0] only: 64 -> 0, 65 -> 1, -1 -> 63. */
    u64 v = 0x8000000000000001ULL;
    CHECK_EQ(rr_sll(v, 64), v);
    CHECK_EQ(rr_sll(v, 65), 0x2ULL);
    CHECK_EQ(rr_sll(v, ~0ULL), 0x8000000000000000ULL);
    CHECK_EQ(rr_srl(v, 0x1000000000000040ULL), v);
    CHECK_EQ(rr_srl(v, 127), 0x1ULL);
    CHECK_EQ(rr_sra(v, 127), ~0ULL);
    CHECK_EQ(rr_sra(v, 0xffffffffffffffc1ULL), 0xc000000000000000ULL);
    CHECK_EQ(rr_sra(0x4000000000000000ULL, 62 + 128), 1);
    for (unsigned s = 0; s < 256; s += 7)
        CHECK_EQ(rr_srl(~0ULL, s), ~0ULL >> (s & 63));
}

static void test_slt_corners(void)
{
    CHECK_EQ(rr_slt(0x8000000000000000ULL, 0x7fffffffffffffffULL), 1);
    CHECK_EQ(rr_slt(0x7fffffffffffffffULL, 0x8000000000000000ULL), 0);
    CHECK_EQ(rr_sltu(0x8000000000000000ULL, 0x7fffffffffffffffULL), 0);
    CHECK_EQ(rr_sltu(0x7fffffffffffffffULL, 0x8000000000000000ULL), 1);
    CHECK_EQ(rr_slt(~0ULL, 0), 1);
    CHECK_EQ(rr_sltu(~0ULL, 0), 0);
    CHECK_EQ(rr_slt(5, 5), 0);
    CHECK_EQ(rr_sltu(5, 5), 0);
    /* sltu rd, x0, rs = (rs != 0) (snez) */
    CHECK_EQ(R1("sltu %0, x0, %1", 0), 0);
    CHECK_EQ(R1("sltu %0, x0, %1", 0x8000000000000000ULL), 1);
    /* sltiu rd, rs, 1 = (rs == 0) (seqz); sltiu with -1 compares with 2^64-1 */
    CHECK_EQ(RI(sltiu, 0, 1), 1);
    CHECK_EQ(RI(sltiu, 1, 1), 0);
    CHECK_EQ(RI(sltiu, 0xfffffffffffffffeULL, -1), 1);
    CHECK_EQ(RI(sltiu, ~0ULL, -1), 0);
    CHECK_EQ(RI(slti, 0xfffffffffffff800ULL, -2048), 0);
    CHECK_EQ(RI(slti, 0xfffffffffffff7ffULL, -2048), 1);
}

static void test_lui_auipc(void)
{
    /* lui places imm << 12 and sign-extends bit 31 to 64 bits. */
    CHECK_EQ(R1("lui %0, 0x80000", 0), 0xffffffff80000000ULL);
    CHECK_EQ(R1("lui %0, 0x7ffff", 0), 0x7ffff000ULL);
    CHECK_EQ(R1("lui %0, 0xfffff", 0), 0xfffffffffffff000ULL);
    CHECK_EQ(R1("lui %0, 0x00001", 0), 0x1000ULL);
    CHECK_EQ(R1("lui %0, 0x0", 0), 0);
    CHECK_EQ(R1("lui %0, 0x12345\n\taddi %0, %0, 0x678", 0), 0x12345678ULL);
    CHECK_EQ(R1("lui %0, 0x12345\n\taddi %0, %0, -0x800", 0), 0x12344800ULL);

    /* auipc adds the sign-extended imm << 12 to its own address. */
    u64 pc, r;
    __asm__ __volatile__(NORVC("1: auipc %0, 0x80000\n\tlla %1, 1b") : "=r"(r), "=r"(pc));
    CHECK_EQ(r - pc, 0xffffffff80000000ULL);
    __asm__ __volatile__(NORVC("1: auipc %0, 0x7ffff\n\tlla %1, 1b") : "=r"(r), "=r"(pc));
    CHECK_EQ(r - pc, 0x7ffff000ULL);
    __asm__ __volatile__(NORVC("1: auipc %0, 0\n\tlla %1, 1b") : "=r"(r), "=r"(pc));
    CHECK_EQ(r, pc);
    __asm__ __volatile__(NORVC("1: auipc %0, 0xfffff\n\tlla %1, 1b") : "=r"(r), "=r"(pc));
    CHECK_EQ(r - pc, 0xfffffffffffff000ULL);
    CHECK_EQ(pc >> 32, 0);            /* we run at 0x8000xxxx: no sign games */
    CHECK(pc >= 0x80000000ULL);
}

static void test_aliasing_and_x0(void)
{
    u64 a = 0x123456789abcdef0ULL, r;

    r = a;
    __asm__ __volatile__(NORVC("add %0, %0, %0") : "+r"(r));
    CHECK_EQ(r, 0x2468acf13579bde0ULL);
    r = a;
    __asm__ __volatile__(NORVC("sub %0, %0, %0") : "+r"(r));
    CHECK_EQ(r, 0);
    r = a;
    __asm__ __volatile__(NORVC("xor %0, %0, %0") : "+r"(r));
    CHECK_EQ(r, 0);
    r = 3;
    __asm__ __volatile__(NORVC("sll %0, %1, %0") : "+r"(r) : "r"(a));
    CHECK_EQ(r, a << 3);

    /* x0 reads as zero and ignores writes. */
    CHECK_EQ(R1("add x0, %1, %1\n\tmv %0, x0", a), 0);
    CHECK_EQ(R1("addi x0, x0, 5\n\tadd %0, x0, x0", 0), 0);
    CHECK_EQ(R1("lui x0, 0x12345\n\tor %0, x0, x0", 0), 0);
    CHECK_EQ(R1("sub %0, x0, %1", 1), ~0ULL);
    CHECK_EQ(R1("addi %0, x0, -1", 0), ~0ULL);
    CHECK_EQ(R1("xori %0, %1, -1", a), ~a);
    CHECK_EQ(R1("andi %0, %1, -2048", a), a & ~0x7ffULL);
    CHECK_EQ(R1("ori %0, %1, 0x7ff", a), a | 0x7ffULL);

    /* A chain through the same register (a dependent sequence in one block). */
    r = R1("li %0, 1\n\tslli %0, %0, 63\n\tsrai %0, %0, 31\n\tsrli %0, %0, 1\n\t"
           "addi %0, %0, 1\n\tsub %0, x0, %0", 0);
    /* 1<<63 = 0x8000000000000000, >>31 (arith) = 0xffffffff00000000,
     * >>1 (logical) = 0x7fffffff80000000, +1, then negated. */
    CHECK_EQ(r, 0x800000007fffffffULL);
}

int main(void)
{
    test_rr_grid();
    test_ri_grid();
    test_shift_amounts();
    test_slt_corners();
    test_lui_auipc();
    test_aliasing_and_x0();
    return test_end();
}
