/*
 * Two harts (-smp 2) doing floating point at the same time keep their own
 * fflags: hart 0 raises only DZ (1/0) and hart 1 only NX (1/3), each
 * between exact additions over many blocks of code and many scheduling
 * slices, and each must read back exactly its own flag every time.  An
 * emulator that keeps pending flags in its host FPU must not hand one
 * hart's flags to the other, whether the harts share a host thread or not.
 */
#include "lib.h"

#define NX 0x01
#define DZ 0x08
#define ONE_D 0x3ff0000000000000UL
#define THREE_D 0x4008000000000000UL

static volatile int started, stop, finished;
static volatile unsigned bad1, rounds1;

/* fflags after csrw fflags, 0, one fdiv a/b, and n exact additions. */
static u64 round_flags(u64 a, u64 b, int n)
{
    u64 fl, count = (u64)n;

    __asm__ __volatile__("fmv.d.x ft0, %2\n\tfmv.d.x ft1, %3\n\t"
                         "csrw fflags, zero\n\t"
                         "fdiv.d ft2, ft0, ft1\n\t"
                         "fmv.d.x ft3, zero\n"
                         "1:\tfadd.d ft3, ft3, ft0\n\t"
                         "addi %1, %1, -1\n\t"
                         "bnez %1, 1b\n\t"
                         "csrr %0, fflags"
                         : "=&r"(fl), "+r"(count) : "r"(a), "r"(b)
                         : "ft0", "ft1", "ft2", "ft3");
    return fl;
}

static __attribute__((noinline)) void hart1_work(void)
{
    started = 1;
    while (!stop) {
        if (round_flags(ONE_D, THREE_D, 200) != NX)
            bad1++;
        rounds1++;
    }
    finished = 1;
}

static void hart1_main(void)
{
    csr_set(mstatus, 1UL << 13);        /* FS = Initial on this hart */
    hart1_work();
}

static __attribute__((noinline)) int run(void)
{
    unsigned bad0 = 0, r0;

    start_secondary(hart1_main);
    while (!started)
        ;
    /* Until hart 1 has also run many rounds meanwhile (with harts on one
       thread, that takes several slices). */
    r0 = rounds1;
    for (int i = 0; i < 3000 || rounds1 - r0 < 1000; i++)
        if (round_flags(ONE_D, 0, 200) != DZ)
            bad0++;
    stop = 1;
    while (!finished)
        ;
    CHECK_EQ(bad0, 0);
    CHECK_EQ(bad1, 0);
    CHECK(rounds1 > 0);
    return test_end();
}

int main(void)
{
    csr_set(mstatus, 1UL << 13);
    return run();
}
