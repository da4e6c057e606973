/* needs: x86_64 host-x86_64 */
/*
 * The lazy EFLAGS of the x86-64 guest (target/x86/cc_helper.c) against
 * the host CPU: each operation runs natively in inline asm on random
 * operands of every size, with pushf after it, and x86_cc_compute on the
 * operands the translator records (translate.h) must give the same CF PF
 * AF ZF SF OF, except the flags the SDM leaves undefined for it.
 */
#include <stdlib.h>

#include "unit.h"
#include "target/x86/translate.h"

#define ALL X86_CC_MASK
#define N 20000

/* Runs "op src, dst" natively at the size of the suffix with CF preset
   to cf; returns the flags, and the result in *res. */
#define NATIVE2(insn, sfx, type, reg)                                     \
    static uint64_t native_##insn##sfx(uint64_t d, uint64_t s, int cf,    \
                                       uint64_t *res)                     \
    {                                                                     \
        type dv = (type)d, sv = (type)s;                                  \
        uint64_t fl;                                                      \
        __asm__ volatile("bt $0, %q[cf]\n\t" #insn #sfx " %" reg "[s], %" \
                         reg "[d]\n\tpushfq\n\tpopq %[fl]"                \
                         : [d] "+r"(dv), [fl] "=r"(fl)                    \
                         : [s] "r"(sv), [cf] "r"((uint64_t)cf) : "cc");   \
        *res = (uint64_t)dv;                                              \
        return fl & ALL;                                                  \
    }
#define NATIVE2_ALL(insn)                                                 \
    NATIVE2(insn, b, uint8_t, "b") NATIVE2(insn, w, uint16_t, "w")        \
    NATIVE2(insn, l, uint32_t, "k") NATIVE2(insn, q, uint64_t, "q")

NATIVE2_ALL(add)
NATIVE2_ALL(adc)
NATIVE2_ALL(sub)
NATIVE2_ALL(sbb)
NATIVE2_ALL(and)
NATIVE2_ALL(xor)

typedef uint64_t NativeFn(uint64_t, uint64_t, int, uint64_t *);

static uint64_t rnd(void)
{
    /* Biased toward the edges where carries and overflows happen. */
    uint64_t v = ((uint64_t)g_random_int() << 32) | g_random_int();

    switch (g_random_int_range(0, 8)) {
    case 0: return 0;
    case 1: return ~0ull;
    case 2: return 1ull << g_random_int_range(0, 64);
    case 3: return (1ull << g_random_int_range(0, 64)) - 1;
    case 4: return v & 0xff;
    default: return v;
    }
}

/* kind: the CCOp kind; the recorded operands as translate.c records them. */
static int check_binop(NativeFn *const fn[4], int kind)
{
    int bad = 0;

    for (int i = 0; i < N; i++) {
        int sz = i & 3, cf = g_random_int_range(0, 2);
        uint64_t d = rnd(), s = rnd(), res, want, got;
        unsigned bits = 8u << sz;
        uint64_t mask = bits == 64 ? ~0ull : (1ull << bits) - 1;
        uint64_t undefined = kind == CC_KIND_LOGIC ? X86_AF : 0;

        want = fn[sz](d, s, cf, &res);
        got = x86_cc_compute(CC_OP(kind, sz), res, s & mask, cf);
        if ((want ^ got) & ~undefined & ALL) {
            if (bad++ < 5)
                printf("#   kind %d size %u: 0x%" PRIx64 ", 0x%" PRIx64
                       " cf %d: flags 0x%" PRIx64 ", want 0x%" PRIx64 "\n",
                       kind, bits, d, s, cf, got, want);
        }
    }
    return bad;
}

TEST(add_adc_sub_sbb_flags_match_the_cpu)
{
    NativeFn *const add[4] = { native_addb, native_addw, native_addl,
                               native_addq };
    NativeFn *const adc[4] = { native_adcb, native_adcw, native_adcl,
                               native_adcq };
    NativeFn *const sub[4] = { native_subb, native_subw, native_subl,
                               native_subq };
    NativeFn *const sbb[4] = { native_sbbb, native_sbbw, native_sbbl,
                               native_sbbq };

    g_random_set_seed(15);
    EXPECT_EQ(check_binop(add, CC_KIND_ADD), 0);
    EXPECT_EQ(check_binop(adc, CC_KIND_ADC), 0);
    EXPECT_EQ(check_binop(sub, CC_KIND_SUB), 0);
    EXPECT_EQ(check_binop(sbb, CC_KIND_SBB), 0);
}

TEST(logic_flags_match_the_cpu)
{
    NativeFn *const and[4] = { native_andb, native_andw, native_andl,
                               native_andq };
    NativeFn *const xor[4] = { native_xorb, native_xorw, native_xorl,
                               native_xorq };

    g_random_set_seed(16);
    EXPECT_EQ(check_binop(and, CC_KIND_LOGIC), 0);
    EXPECT_EQ(check_binop(xor, CC_KIND_LOGIC), 0);
}

/* INC, DEC, NEG (recorded as 0 - x) and the shifts, 32 and 64 bits. */
TEST(inc_dec_neg_shift_flags_match_the_cpu)
{
    int bad = 0;

    g_random_set_seed(17);
    for (int i = 0; i < N; i++) {
        uint64_t v = rnd(), r, fl, got, cf = g_random_int_range(0, 2);
        unsigned c = (unsigned)g_random_int_range(1, 64);

        __asm__ volatile("bt $0, %[cf]\n\tincq %[v]\n\tpushfq\n\tpopq %[fl]"
                         : [v] "=r"(r), [fl] "=r"(fl)
                         : "0"(v), [cf] "r"(cf) : "cc");
        got = x86_cc_compute(CC_OP(CC_KIND_INC, 3), r, cf, 0);
        bad += ((fl ^ got) & ALL) != 0;
        __asm__ volatile("bt $0, %[cf]\n\tdecl %k[v]\n\tpushfq\n\tpopq %[fl]"
                         : [v] "=r"(r), [fl] "=r"(fl)
                         : "0"(v), [cf] "r"(cf) : "cc");
        got = x86_cc_compute(CC_OP(CC_KIND_DEC, 2), r, cf, 0);
        bad += ((fl ^ got) & ALL) != 0;
        __asm__ volatile("negq %[v]\n\tpushfq\n\tpopq %[fl]"
                         : [v] "=r"(r), [fl] "=r"(fl) : "0"(v) : "cc");
        got = x86_cc_compute(CC_OP(CC_KIND_SUB, 3), r, v, 0);
        bad += ((fl ^ got) & ALL) != 0;
        /* SHL/SHR/SAR: AF undefined; OF only for a count of 1. */
        uint64_t undef = X86_AF | (c == 1 ? 0 : X86_OF);
        __asm__ volatile("shlq %%cl, %[v]\n\tpushfq\n\tpopq %[fl]"
                         : [v] "=r"(r), [fl] "=r"(fl)
                         : "0"(v), "c"(c) : "cc");
        got = x86_cc_compute(CC_OP(CC_KIND_SHL, 3), r, v << (c - 1), 0);
        bad += ((fl ^ got) & ALL & ~undef) != 0;
        __asm__ volatile("shrq %%cl, %[v]\n\tpushfq\n\tpopq %[fl]"
                         : [v] "=r"(r), [fl] "=r"(fl)
                         : "0"(v), "c"(c) : "cc");
        got = x86_cc_compute(CC_OP(CC_KIND_SAR, 3), r, v >> (c - 1), 0);
        bad += ((fl ^ got) & ALL & ~undef) != 0;
        __asm__ volatile("sarq %%cl, %[v]\n\tpushfq\n\tpopq %[fl]"
                         : [v] "=r"(r), [fl] "=r"(fl)
                         : "0"(v), "c"(c) : "cc");
        got = x86_cc_compute(CC_OP(CC_KIND_SAR, 3), r,
                             (uint64_t)((int64_t)v >> (c - 1)), 0);
        bad += ((fl ^ got) & ALL & ~undef) != 0;
    }
    EXPECT_EQ(bad, 0);
}

/* The EFLAGS image: lazy state, DF and the other bits. */
TEST(get_and_set_eflags_round_trip)
{
    CPUX86State env = { 0 };

    x86_set_eflags(&env, X86_IF | X86_DF | X86_ZF | X86_CF | 2);
    EXPECT_EQ(env.df, -1);
    EXPECT_EQ(x86_get_eflags(&env), X86_IF | X86_DF | X86_ZF | X86_CF | 2);
    /* cmp 1, 2 as the translator records it: 1 - 2 borrows. */
    env.cc_op = CC_OP(CC_KIND_SUB, 2);
    env.cc_dst = (uint32_t)(1 - 2);
    env.cc_src = 2;
    EXPECT_EQ(x86_get_eflags(&env) & X86_CC_MASK,
              X86_CF | X86_SF | X86_AF | X86_PF);
}

int main(void)
{
    return unit_run();
}
