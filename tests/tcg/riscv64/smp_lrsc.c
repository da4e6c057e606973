/*
 * LR/SC from four harts at once (-smp 4, one host thread each under
 * -accel tcg,thread=multi): lr.d/sc.d and lr.w/sc.w increment loops on
 * shared words count every increment exactly once; a counter that half
 * the harts increment with LR/SC and the other half with amoadd ends
 * exact (an SC must fail when an AMO wrote in between); and an LR/SC
 * spinlock keeps two plain words equal for every hart that holds it.
 */
#include "smp.h"

#define ITERS 50000
#define LOCK_ITERS 20000

static volatile u32 go;
static volatile u64 cnt_d, mixed;
static volatile u32 cnt_w;
static volatile u32 lock;
static volatile u64 word_a, word_b, torn;

static inline void lrsc_inc_d(volatile u64 *p)
{
    u64 t, fail;

    __asm__ __volatile__("1: lr.d %0, %2\n\t"
                         "addi %0, %0, 1\n\t"
                         "sc.d %1, %0, %2\n\t"
                         "bnez %1, 1b"
                         : "=&r"(t), "=&r"(fail), "+A"(*p) :: "memory");
}

static inline void lrsc_inc_w(volatile u32 *p)
{
    u64 t, fail;

    __asm__ __volatile__("1: lr.w %0, %2\n\t"
                         "addiw %0, %0, 1\n\t"
                         "sc.w %1, %0, %2\n\t"
                         "bnez %1, 1b"
                         : "=&r"(t), "=&r"(fail), "+A"(*p) :: "memory");
}

static void lrsc_lock(volatile u32 *l)
{
    u64 t, fail;

    __asm__ __volatile__("1: lr.w.aq %0, %2\n\t"
                         "bnez %0, 1b\n\t"
                         "li %0, 1\n\t"
                         "sc.w %1, %0, %2\n\t"
                         "bnez %1, 1b"
                         : "=&r"(t), "=&r"(fail), "+A"(*l) :: "memory");
}

static void lrsc_unlock(volatile u32 *l)
{
    __asm__ __volatile__("fence rw, w\n\tsw zero, %0" : "=A"(*l) :: "memory");
}

static void work(void)
{
    int me = hart_id();

    while (!go)
        ;
    for (int i = 0; i < ITERS; i++) {
        lrsc_inc_d(&cnt_d);
        lrsc_inc_w(&cnt_w);
        if (me & 1)
            amoadd_d(&mixed, 1);
        else
            lrsc_inc_d(&mixed);
    }
    for (int i = 0; i < LOCK_ITERS; i++) {
        lrsc_lock(&lock);
        if (word_a != word_b)
            torn++;
        word_a = word_a + 1;
        word_b = word_b + 1;
        lrsc_unlock(&lock);
    }
}

static void secondary(void)
{
    work();
    smp_leave();
}

int main(void)
{
    smp_start(secondary);
    go = 1;
    work();
    smp_join();
    CHECK_EQ(cnt_d, (u64)NHARTS * ITERS);
    CHECK_EQ(cnt_w, (u32)(NHARTS * ITERS));
    CHECK_EQ(mixed, (u64)NHARTS * ITERS);
    CHECK_EQ(word_a, (u64)NHARTS * LOCK_ITERS);
    CHECK_EQ(word_b, (u64)NHARTS * LOCK_ITERS);
    CHECK_EQ(torn, 0);
    CHECK_EQ(lock, 0);
    return test_end();
}
