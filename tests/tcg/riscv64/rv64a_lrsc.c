/*
 * RV64A load-reserved / store-conditional, limited to what the A chapter
 * guarantees on a single hart: an SC after a matching LR with nothing in
 * between succeeds (rd = 0) and stores; a failing SC writes a nonzero rd and
 * does not store; any SC invalidates the reservation, so a second SC fails;
 * an SC must fail if its address is not in the reservation set of the most
 * recent LR; lr.w sign-extends and sc.w stores 32 bits.  Also an LR/SC
 * retry loop, and the exceptions of LR: misaligned -> load address
 * misaligned or load access fault, unmapped -> load access fault, with
 * mtval = the address.  (SC/AMO faults are in rv64a_faults.c.)
 */
#include "lib.h"

static volatile u64 mem[1024] __attribute__((aligned(4096)));

static u64 lr_d(volatile void *p)
{
    u64 r;
    __asm__ __volatile__("lr.d %0, (%1)" : "=r"(r) : "r"(p) : "memory");
    return r;
}
static u64 lr_w(volatile void *p)
{
    u64 r;
    __asm__ __volatile__("lr.w %0, (%1)" : "=r"(r) : "r"(p) : "memory");
    return r;
}
static u64 sc_d(volatile void *p, u64 v)
{
    u64 r;
    __asm__ __volatile__("sc.d %0, %2, (%1)" : "=&r"(r) : "r"(p), "r"(v) : "memory");
    return r;
}
static u64 sc_w(volatile void *p, u64 v)
{
    u64 r;
    __asm__ __volatile__("sc.w %0, %2, (%1)" : "=&r"(r) : "r"(p), "r"(v) : "memory");
    return r;
}

/* lr.d then sc.d of v, back to back; returns sc's rd, *old = lr's rd */
static u64 lrsc_d(volatile void *p, u64 v, u64 *old)
{
    u64 r, o;
    __asm__ __volatile__("lr.d %1, (%2)\n\tsc.d %0, %3, (%2)"
                         : "=&r"(r), "=&r"(o) : "r"(p), "r"(v) : "memory");
    *old = o;
    return r;
}

static u64 lrsc_w(volatile void *p, u64 v, u64 *old)
{
    u64 r, o;
    __asm__ __volatile__("lr.w %1, (%2)\n\tsc.w %0, %3, (%2)"
                         : "=&r"(r), "=&r"(o) : "r"(p), "r"(v) : "memory");
    *old = o;
    return r;
}

static void test_success_and_failure(void)
{
    u64 old;
    mem[0] = 0x1111;
    CHECK_EQ(lrsc_d(&mem[0], 0x2222, &old), 0);
    CHECK_EQ(old, 0x1111);
    CHECK_EQ(mem[0], 0x2222);
    /* the SC consumed the reservation: another SC fails and does not store */
    CHECK(sc_d(&mem[0], 0x3333) != 0);
    CHECK_EQ(mem[0], 0x2222);
    /* and again, still no reservation */
    CHECK(sc_w(&mem[0], 0x4444) != 0);
    CHECK_EQ(mem[0], 0x2222);

    /* a failed SC also consumes the reservation held by an earlier LR */
    mem[0] = 1;
    mem[512] = 2;
    lr_d(&mem[0]);
    CHECK(sc_d(&mem[512], 9) != 0);      /* different address (4 KiB away) */
    CHECK_EQ(mem[512], 2);
    CHECK(sc_d(&mem[0], 9) != 0);        /* reservation is gone */
    CHECK_EQ(mem[0], 1);

    /* only the most recent LR counts */
    lr_d(&mem[0]);
    lr_d(&mem[512]);
    CHECK(sc_d(&mem[0], 7) != 0);
    CHECK_EQ(mem[0], 1);

    /* lr/sc in one asm block, the usual pattern */
    u64 fail;
    mem[8] = 41;
    __asm__ __volatile__("lr.d %0, (%2)\n\taddi %0, %0, 1\n\tsc.d %1, %0, (%2)"
                         : "=&r"(old), "=&r"(fail) : "r"(&mem[8]) : "memory");
    CHECK_EQ(fail, 0);
    CHECK_EQ(mem[8], 42);
    /* aq/rl bits */
    __asm__ __volatile__("lr.d.aqrl %0, (%2)\n\taddi %0, %0, 1\n\tsc.d.rl %1, %0, (%2)"
                         : "=&r"(old), "=&r"(fail) : "r"(&mem[8]) : "memory");
    CHECK_EQ(fail, 0);
    CHECK_EQ(mem[8], 43);
    __asm__ __volatile__("lr.w.aq %0, (%2)\n\taddi %0, %0, 1\n\tsc.w.aqrl %1, %0, (%2)"
                         : "=&r"(old), "=&r"(fail) : "r"(&mem[8]) : "memory");
    CHECK_EQ(fail, 0);
    CHECK_EQ(mem[8], 44);
}

static void test_word(void)
{
    volatile u32 *w = (volatile u32 *)&mem[16];
    u64 old;
    mem[16] = 0x1234567880000001ULL;
    /* lr.w sign-extends */
    CHECK_EQ(lr_w(w), 0xffffffff80000001ULL);
    CHECK_EQ(lrsc_w(w, 0xaaaaaaaa7fffffffULL, &old), 0);
    CHECK_EQ(old, 0xffffffff80000001ULL);
    /* sc.w stores only the low 32 bits of rs2, the upper word is untouched */
    CHECK_EQ(mem[16], 0x123456787fffffffULL);
    CHECK_EQ(lrsc_w(w + 1, 0xfedcba98ULL, &old), 0);
    CHECK_EQ(old, 0x12345678ULL);
    CHECK_EQ(mem[16], 0xfedcba987fffffffULL);
    CHECK_EQ(lrsc_w(w + 1, 0, &old), 0);
    CHECK_EQ(old, 0xfffffffffedcba98ULL);
    CHECK_EQ(mem[16], 0x000000007fffffffULL);
    /* sc.w with no reservation */
    CHECK(sc_w(w, 1) != 0);
    CHECK_EQ(mem[16], 0x000000007fffffffULL);
}

static void test_retry_loop(void)
{
    mem[32] = 0;
    for (int i = 0; i < 1000; i++) {
        u64 tmp, fail;
        __asm__ __volatile__("1: lr.d %0, (%2)\n\t"
                             "addi %0, %0, 5\n\t"
                             "sc.d %1, %0, (%2)\n\t"
                             "bnez %1, 1b"
                             : "=&r"(tmp), "=&r"(fail) : "r"(&mem[32]) : "memory");
    }
    CHECK_EQ(mem[32], 5000);

    /* compare-and-swap built from LR/SC */
    volatile u32 *w = (volatile u32 *)&mem[33];
    *w = 10;
    u64 seen, fail;
    __asm__ __volatile__("lr.w %0, (%2)\n\t"
                         "li %1, 1\n\t"
                         "bne %0, %3, 1f\n\t"
                         "sc.w %1, %4, (%2)\n"
                         "1:"
                         : "=&r"(seen), "=&r"(fail) : "r"(w), "r"(10UL), "r"(20UL) : "memory");
    CHECK_EQ(seen, 10);
    CHECK_EQ(fail, 0);
    CHECK_EQ(*w, 20);
}

static void test_lr_faults(void)
{
    u64 r = 0x5555;
    for (int off = 1; off < 8; off++) {
        volatile u8 *p = (volatile u8 *)&mem[64] + off;
        /* misaligned lr.d: load address misaligned (4) or load access fault (5) */
        trap_expect(TRAP_SKIP);
        __asm__ __volatile__("lr.d %0, (%1)" : "+r"(r) : "r"(p) : "memory");
        CHECK_EQ(trap_count, 1);
        CHECK(trap_last.mcause == CAUSE_MISALIGNED_LOAD || trap_last.mcause == CAUSE_LOAD_ACCESS);
        CHECK_EQ(trap_last.mtval, (u64)p);
        CHECK_EQ(r, 0x5555);                 /* rd not written */
        if (off & 3) {
            trap_expect(TRAP_SKIP);
            __asm__ __volatile__("lr.w %0, (%1)" : "+r"(r) : "r"(p) : "memory");
            CHECK_EQ(trap_count, 1);
            CHECK(trap_last.mcause == CAUSE_MISALIGNED_LOAD || trap_last.mcause == CAUSE_LOAD_ACCESS);
            CHECK_EQ(trap_last.mtval, (u64)p);
            CHECK_EQ(r, 0x5555);
        }
    }
    /* unmapped: load access fault, mtval = address */
    trap_expect(TRAP_SKIP);
    __asm__ __volatile__("lr.d %0, (%1)" : "+r"(r) : "r"(UNMAPPED_ADDR) : "memory");
    CHECK_TRAP_TVAL(CAUSE_LOAD_ACCESS, UNMAPPED_ADDR);
    trap_expect(TRAP_SKIP);
    __asm__ __volatile__("lr.w %0, (%1)" : "+r"(r) : "r"(UNMAPPED_ADDR + 4) : "memory");
    CHECK_TRAP_TVAL(CAUSE_LOAD_ACCESS, UNMAPPED_ADDR + 4);
    CHECK_EQ(r, 0x5555);
}

int main(void)
{
    test_success_and_failure();
    test_word();
    test_retry_loop();
    test_lr_faults();
    return test_end();
}
