/*
 * AMOs from four harts at once (-smp 4, one host thread each under
 * -accel tcg,thread=multi) on the same words: every amoadd.w/.d is
 * counted exactly once and returns a distinct old value (their sum is
 * exact), amoor sets every hart's bit, amomaxu keeps the largest value,
 * and an amoswap.w.aq / amoswap.w.rl spinlock protects a plain counter.
 * A read-modify-write that is not atomic between host threads loses
 * updates here within a few thousand iterations.
 */
#include "smp.h"

#define ITERS 100000
#define LOCK_ITERS 20000

static volatile u32 go;
static volatile u32 cnt_w;
static volatile u64 cnt_d, sum_old, bits, max_seen;
static volatile u32 lock;
static volatile u64 plain;

static inline u64 amoor_d(volatile u64 *p, u64 v)
{
    u64 r;

    __asm__ __volatile__("amoor.d %0, %2, %1" : "=r"(r), "+A"(*p) : "r"(v)
                         : "memory");
    return r;
}

static inline u64 amomaxu_d(volatile u64 *p, u64 v)
{
    u64 r;

    __asm__ __volatile__("amomaxu.d %0, %2, %1" : "=r"(r), "+A"(*p) : "r"(v)
                         : "memory");
    return r;
}

static inline u32 amoswap_w_aq(volatile u32 *p, u32 v)
{
    u32 r;

    __asm__ __volatile__("amoswap.w.aq %0, %2, %1" : "=r"(r), "+A"(*p)
                         : "r"(v) : "memory");
    return r;
}

static void spin_lock(volatile u32 *l)
{
    while (amoswap_w_aq(l, 1))
        while (*l)
            ;
}

static void spin_unlock(volatile u32 *l)
{
    __asm__ __volatile__("amoswap.w.rl zero, zero, %0" : "+A"(*l) :: "memory");
}

static void work(void)
{
    int me = hart_id();
    u64 olds = 0;

    while (!go)
        ;
    for (u64 i = 0; i < ITERS; i++) {
        olds += amoadd_w(&cnt_w, 1);
        amoadd_d(&cnt_d, (1ull << 32) | 1);
        amomaxu_d(&max_seen, (u64)me * ITERS + i);
    }
    amoadd_d(&sum_old, olds);
    for (int i = 0; i < LOCK_ITERS; i++) {
        spin_lock(&lock);
        plain = plain + 1;
        spin_unlock(&lock);
    }
    amoor_d(&bits, 1ull << me);
}

static void secondary(void)
{
    work();
    smp_leave();
}

int main(void)
{
    const u64 n = (u64)NHARTS * ITERS;

    smp_start(secondary);
    go = 1;
    work();
    smp_join();
    CHECK_EQ(cnt_w, (u32)n);
    CHECK_EQ(cnt_d, (n << 32) | n);
    CHECK_EQ(sum_old, n * (n - 1) / 2);
    CHECK_EQ(max_seen, (u64)(NHARTS - 1) * ITERS + ITERS - 1);
    CHECK_EQ(plain, (u64)NHARTS * LOCK_ITERS);
    CHECK_EQ(bits, (1ull << NHARTS) - 1);
    CHECK_EQ(lock, 0);
    return test_end();
}
