/*
 * Helpers of the multi-hart tests (smp_*.c, run with -smp 4): the atomic
 * operations they use, a barrier for all harts, and a join.  Every hart
 * runs in M-mode with no trap handler but hart 0's, so nothing here may
 * trap.
 */
#ifndef TESTS_TCG_RISCV64_SMP_H
#define TESTS_TCG_RISCV64_SMP_H

#include "lib.h"

#define NHARTS 4

static inline u32 amoadd_w(volatile u32 *p, u32 v)
{
    u32 r;

    __asm__ __volatile__("amoadd.w %0, %2, %1" : "=r"(r), "+A"(*p) : "r"(v)
                         : "memory");
    return r;
}

static inline u64 amoadd_d(volatile u64 *p, u64 v)
{
    u64 r;

    __asm__ __volatile__("amoadd.d %0, %2, %1" : "=r"(r), "+A"(*p) : "r"(v)
                         : "memory");
    return r;
}

static inline void fence_i(void)
{
    __asm__ __volatile__("fence.i" ::: "memory");
}

static inline void fence(void)
{
    __asm__ __volatile__("fence rw, rw" ::: "memory");
}

#define CLINT_MSIP(h) ((volatile u32 *)(0x2000000UL + 4 * (unsigned long)(h)))

/* Lets a software interrupt end this hart's wfi (mstatus.MIE stays 0, so
   no trap is taken).  Call once on each hart before smp_barrier_on. */
static inline void smp_wfi_init(void)
{
    __asm__ __volatile__("csrs mie, %0" :: "r"(8) : "memory");
}

/*
 * A barrier on two words (count, gen) that may live anywhere: the last
 * hart to arrive resets the count, starts the next generation and wakes
 * the others with a CLINT software interrupt; the others sleep in wfi
 * (on an emulator, their host threads sleep instead of spinning, which
 * matters when there are more harts than host CPUs).
 */
static inline void smp_barrier_on(volatile u64 *count, volatile u64 *gen)
{
    u64 g = *gen;
    int me = hart_id();

    fence();
    if (amoadd_d(count, 1) == NHARTS - 1) {
        *count = 0;
        fence();
        *gen = g + 1;
        fence();
        for (int h = 0; h < NHARTS; h++) {
            if (h != me)
                *CLINT_MSIP(h) = 1;
        }
    } else {
        for (;;) {
            *CLINT_MSIP(me) = 0;
            fence();
            if (*gen != g)
                break;
            __asm__ __volatile__("wfi" ::: "memory");
        }
    }
    fence();
}

static volatile u64 smp_done;

/* Starts fn on harts 1 .. NHARTS - 1 (each runs fn, then smp_leave()). */
static inline void smp_start(void (*fn)(void))
{
    for (int h = 1; h < NHARTS; h++)
        start_hart(h, fn);
}

static inline void smp_leave(void)
{
    amoadd_d(&smp_done, 1);
}

/* Hart 0: waits until the other harts have left. */
static inline void smp_join(void)
{
    while (smp_done != NHARTS - 1)
        ;
    fence();
}

#endif
