/*
 * RV64A atomic memory operations: amoswap, amoadd, amoxor, amoand, amoor,
 * amomin, amomax, amominu, amomaxu in .w and .d forms.  Each must return the
 * old memory value in rd (sign-extended from 32 bits for .w), store
 * op(old, rs2) (.w: only the addressed 32 bits), treat min/max as signed and
 * minu/maxu as unsigned, compare only the low 32 bits for .w, and accept
 * aq/rl bits, rd = x0 and rd == rs2.
 */
#include "lib.h"
#include "insn.h"

static volatile u64 cell[4] __attribute__((aligned(16)));

#define AMO(insn, addr, v) ({                                              \
        u64 _r;                                                            \
        __asm__ __volatile__(#insn " %0, %2, (%1)"                         \
                             : "=&r"(_r) : "r"(addr), "r"((u64)(v)) : "memory"); \
        _r; })

enum { SWAP, ADD, XOR, AND, OR, MIN, MAX, MINU, MAXU };

static u64 model(int op, u64 m, u64 s, int w)
{
    if (w) {                    /* operate on the low 32 bits, signed as i32 */
        m = (u64)(i64)(i32)m;
        s = (u64)(i64)(i32)s;
    }
    i64 sm = (i64)m, ss = (i64)s;
    u64 um = w ? (u32)m : m, us = w ? (u32)s : s;
    u64 r = 0;
    switch (op) {
    case SWAP: r = s; break;
    case ADD: r = m + s; break;
    case XOR: r = m ^ s; break;
    case AND: r = m & s; break;
    case OR: r = m | s; break;
    case MIN: r = sm < ss ? m : s; break;
    case MAX: r = sm > ss ? m : s; break;
    case MINU: r = um < us ? m : s; break;
    case MAXU: r = um > us ? m : s; break;
    }
    return w ? (u32)r : r;
}

static u64 run_amo(int op, int w, volatile void *p, u64 s)
{
    switch (op * 2 + w) {
    case SWAP * 2: return AMO(amoswap.d, p, s);
    case SWAP * 2 + 1: return AMO(amoswap.w, p, s);
    case ADD * 2: return AMO(amoadd.d, p, s);
    case ADD * 2 + 1: return AMO(amoadd.w, p, s);
    case XOR * 2: return AMO(amoxor.d, p, s);
    case XOR * 2 + 1: return AMO(amoxor.w, p, s);
    case AND * 2: return AMO(amoand.d, p, s);
    case AND * 2 + 1: return AMO(amoand.w, p, s);
    case OR * 2: return AMO(amoor.d, p, s);
    case OR * 2 + 1: return AMO(amoor.w, p, s);
    case MIN * 2: return AMO(amomin.d, p, s);
    case MIN * 2 + 1: return AMO(amomin.w, p, s);
    case MAX * 2: return AMO(amomax.d, p, s);
    case MAX * 2 + 1: return AMO(amomax.w, p, s);
    case MINU * 2: return AMO(amominu.d, p, s);
    case MINU * 2 + 1: return AMO(amominu.w, p, s);
    case MAXU * 2: return AMO(amomaxu.d, p, s);
    case MAXU * 2 + 1: return AMO(amomaxu.w, p, s);
    }
    return 0;
}

static const char *const names[2][9] = {
    { "amoswap.d", "amoadd.d", "amoxor.d", "amoand.d", "amoor.d",
      "amomin.d", "amomax.d", "amominu.d", "amomaxu.d" },
    { "amoswap.w", "amoadd.w", "amoxor.w", "amoand.w", "amoor.w",
      "amomin.w", "amomax.w", "amominu.w", "amomaxu.w" },
};

static const u64 vals[] = {
    0, 1, 0x7fffffff, 0x80000000, 0xffffffff, 0x100000000ULL,
    0x7fffffffffffffffULL, 0x8000000000000000ULL, 0xffffffffffffffffULL,
    0xffffffff80000000ULL, 0x00000001fffffffeULL, 0xfedcba9876543210ULL,
};

static void test_grid(void)
{
    for (int w = 0; w < 2; w++)
        for (int op = 0; op < 9; op++)
            for (unsigned i = 0; i < ARRAY_SIZE(vals); i++)
                for (unsigned j = 0; j < ARRAY_SIZE(vals); j++) {
                    u64 m = vals[i], s = vals[j];
                    /* .w targets the upper word of cell[1] half the time */
                    int hi = w && ((i + j) & 1);
                    volatile u8 *p = (volatile u8 *)&cell[1] + (hi ? 4 : 0);
                    cell[0] = cell[2] = 0x5a5a5a5a5a5a5a5aULL;
                    cell[1] = 0xa5a5a5a5a5a5a5a5ULL;
                    u64 guard = cell[1];
                    if (w)
                        *(volatile u32 *)p = (u32)m;
                    else
                        *(volatile u64 *)p = m;
                    u64 old = run_amo(op, w, p, s);
                    u64 want_old = w ? (u64)(i64)(i32)m : m;
                    CHECK_OP(names[w][op], m, s, old, want_old);
                    if (w) {
                        CHECK_OP(names[w][op], m, s, *(volatile u32 *)p, model(op, m, s, 1));
                        /* the other half of the doubleword is untouched */
                        u32 other = *(volatile u32 *)((volatile u8 *)&cell[1] + (hi ? 0 : 4));
                        CHECK_OP(names[w][op], m, s, other, (u32)guard);
                    } else {
                        CHECK_OP(names[w][op], m, s, cell[1], model(op, m, s, 0));
                    }
                    CHECK_EQ(cell[0], 0x5a5a5a5a5a5a5a5aULL);
                    CHECK_EQ(cell[2], 0x5a5a5a5a5a5a5a5aULL);
                }
}

static void test_hand(void)
{
    volatile u32 *w = (volatile u32 *)&cell[3];
    volatile u64 *d = &cell[3];

    /* signed vs unsigned: 0x80000000 is the smallest i32 but a large u32 */
    *w = 0x80000000;
    CHECK_EQ(AMO(amomin.w, w, 1), 0xffffffff80000000ULL);
    CHECK_EQ(*w, 0x80000000);
    CHECK_EQ(AMO(amominu.w, w, 1), 0xffffffff80000000ULL);
    CHECK_EQ(*w, 1);
    *w = 0x80000000;
    CHECK_EQ(AMO(amomax.w, w, 1), 0xffffffff80000000ULL);
    CHECK_EQ(*w, 1);
    *w = 0x80000000;
    CHECK_EQ(AMO(amomaxu.w, w, 1), 0xffffffff80000000ULL);
    CHECK_EQ(*w, 0x80000000);
    /* .w compares only the low 32 bits of rs2: 0x1_00000000 is 0 */
    *w = 5;
    CHECK_EQ(AMO(amominu.w, w, 0x100000000ULL), 5);
    CHECK_EQ(*w, 0);
    *w = 5;
    CHECK_EQ(AMO(amomax.w, w, 0x7fffffff00000007ULL), 5);
    CHECK_EQ(*w, 7);
    /* .d: -1 vs 1 */
    *d = ~0ULL;
    CHECK_EQ(AMO(amomin.d, d, 1), ~0ULL);
    CHECK_EQ(*d, ~0ULL);
    CHECK_EQ(AMO(amominu.d, d, 1), ~0ULL);
    CHECK_EQ(*d, 1);
    CHECK_EQ(AMO(amomax.d, d, 0x8000000000000000ULL), 1);
    CHECK_EQ(*d, 1);
    CHECK_EQ(AMO(amomaxu.d, d, 0x8000000000000000ULL), 1);
    CHECK_EQ(*d, 0x8000000000000000ULL);
    /* amoadd.w wraps at 32 bits and sign-extends the old value */
    *d = 0;
    *w = 0x7fffffff;
    CHECK_EQ(AMO(amoadd.w, w, 1), 0x7fffffffULL);
    CHECK_EQ(*w, 0x80000000);
    CHECK_EQ(AMO(amoadd.w, w, 0x80000000ULL), 0xffffffff80000000ULL);
    CHECK_EQ(*d, 0);

    /* aq / rl / aqrl encodings behave the same on one hart */
    *d = 10;
    CHECK_EQ(AMO(amoadd.d.aq, d, 1), 10);
    CHECK_EQ(AMO(amoadd.d.rl, d, 1), 11);
    CHECK_EQ(AMO(amoadd.d.aqrl, d, 1), 12);
    CHECK_EQ(AMO(amoswap.w.aqrl, w, 0xdead), 13);
    CHECK_EQ(*d, 0xdead);

    /* rd = x0: memory still updated */
    *d = 40;
    __asm__ __volatile__("amoadd.d x0, %1, (%0)" :: "r"(d), "r"(2UL) : "memory");
    CHECK_EQ(*d, 42);
    __asm__ __volatile__("amoor.w x0, %1, (%0)" :: "r"(w), "r"(0x100UL) : "memory");
    CHECK_EQ(*d, 0x12a);

    /* rd == rs2: the old value lands in the register that supplied rs2 */
    u64 r = 7;
    *d = 100;
    __asm__ __volatile__("amoswap.d %0, %0, (%1)" : "+r"(r) : "r"(d) : "memory");
    CHECK_EQ(r, 100);
    CHECK_EQ(*d, 7);
    r = 5;
    __asm__ __volatile__("amoadd.d %0, %0, (%1)" : "+r"(r) : "r"(d) : "memory");
    CHECK_EQ(r, 7);
    CHECK_EQ(*d, 12);

    /* an AMO loop: 1000 atomic increments */
    *d = 0;
    for (int i = 0; i < 1000; i++)
        __asm__ __volatile__("amoadd.d x0, %1, (%0)" :: "r"(d), "r"(3UL) : "memory");
    CHECK_EQ(*d, 3000);
}

int main(void)
{
    test_grid();
    test_hand();
    return test_end();
}
