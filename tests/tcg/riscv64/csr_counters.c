/*
 * Zicntr and the machine counters: cycle, time and instret never go
 * backwards; instret and cycle advance over a loop, time (10 MHz on virt)
 * advances over a longer one; cycle/instret equal mcycle/minstret (read in
 * order, so the later read is not smaller); mcycle and minstret are
 * writable and count on from the written value; U-mode reads of cycle,
 * time and instret raise illegal instruction unless the counter's bit is
 * set in mcounteren (and, when S-mode exists, in scounteren too).
 * Counter values are never printed: they differ from run to run.
 */
#include "lib.h"

static u64 rd_cycle(void) { u64 v; __asm__ __volatile__("rdcycle %0" : "=r"(v)); return v; }
static u64 rd_time(void) { u64 v; __asm__ __volatile__("rdtime %0" : "=r"(v)); return v; }
static u64 rd_instret(void) { u64 v; __asm__ __volatile__("rdinstret %0" : "=r"(v)); return v; }

static void spin(long n)
{
    for (volatile long i = 0; i < n; i++)
        ;
}

static void test_monotonic(void)
{
    u64 c = rd_cycle(), t = rd_time(), n = rd_instret();
    int back_c = 0, back_t = 0, back_n = 0;
    for (int i = 0; i < 2000; i++) {
        u64 c2 = rd_cycle(), t2 = rd_time(), n2 = rd_instret();
        back_c += c2 < c;
        back_t += t2 < t;
        back_n += n2 < n;
        c = c2, t = t2, n = n2;
    }
    CHECK_EQ(back_c, 0);
    CHECK_EQ(back_t, 0);
    CHECK_EQ(back_n, 0);

    n = rd_instret();
    c = rd_cycle();
    spin(1000);
    CHECK(rd_instret() > n);
    CHECK(rd_cycle() > c);

    /* time: 10 MHz; a few hundred thousand instructions take well over 100 ns */
    t = rd_time();
    spin(300000);
    u64 t2 = rd_time();
    CHECK(t2 > t);
    /* and not absurdly fast: below 10 s of guest time for this loop */
    CHECK(t2 - t < 100000000ULL);

    /* the user-level counters shadow the machine ones */
    u64 mc = csr_read(mcycle);
    CHECK(rd_cycle() >= mc);
    u64 mi = csr_read(minstret);
    CHECK(rd_instret() >= mi);
}

static void test_write(void)
{
    const u64 base = 0x100000000000ULL;
    csr_write(mcycle, base);
    u64 v = csr_read(mcycle);
    CHECK(v >= base);
    CHECK(v - base < (1ULL << 40));
    csr_write(minstret, base);
    v = csr_read(minstret);
    CHECK(v >= base);
    CHECK(v - base < (1ULL << 40));
    /* and they keep counting from there */
    spin(1000);
    CHECK(csr_read(minstret) > v);
    CHECK(rd_instret() > v);
    csr_write(mcycle, 0);
    csr_write(minstret, 0);
    CHECK(csr_read(mcycle) < (1ULL << 40));
}

static long u_counter(long which)
{
    switch (which) {
    case 0: return (long)rd_cycle();
    case 1: return (long)rd_time();
    default: return (long)rd_instret();
    }
}

static void test_user_access(void)
{
    int has_s = (csr_read(misa) >> ('S' - 'A')) & 1;
    u64 saved_m = csr_read(mcounteren);

    if (has_s)
        csr_write(scounteren, 7);
    for (long k = 0; k < 3; k++) {
        /* bit clear: illegal instruction */
        csr_write(mcounteren, 7 & ~(1UL << k));
        trap_expect(TRAP_SKIP);
        run_user(u_counter, k);
        CHECK_TRAP(CAUSE_ILLEGAL_INSN);
        CHECK_EQ(trap_last.mstatus & MSTATUS_MPP, 0);
        CHECK_EQ(trap_last.mtval == 0 || trap_last.mtval == *(volatile u32 *)trap_last.mepc, 1);

        /* bit set: readable, and not below what M-mode saw just before */
        csr_write(mcounteren, 1UL << k);
        u64 before = k == 0 ? rd_cycle() : k == 1 ? rd_time() : rd_instret();
        trap_expect(TRAP_SKIP);
        u64 v = (u64)run_user(u_counter, k);
        CHECK_NO_TRAP();
        CHECK(v >= before);

        /* with S-mode, scounteren gates U-mode as well */
        if (has_s) {
            csr_write(scounteren, 7 & ~(1UL << k));
            trap_expect(TRAP_SKIP);
            run_user(u_counter, k);
            CHECK_TRAP(CAUSE_ILLEGAL_INSN);
            csr_write(scounteren, 7);
        }
    }
    /* mcounteren = 0: all three trap */
    csr_write(mcounteren, 0);
    for (long k = 0; k < 3; k++) {
        trap_expect(TRAP_SKIP);
        run_user(u_counter, k);
        CHECK_TRAP(CAUSE_ILLEGAL_INSN);
    }
    csr_write(mcounteren, saved_m);
}

int main(void)
{
    test_monotonic();
    test_write();
    test_user_access();
    return test_end();
}
