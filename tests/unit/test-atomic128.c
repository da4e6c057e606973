/* needs: none */
/*
 * util/atomic128.c: the 16-byte compare-and-swap, by the host
 * instruction and by the lock, alone and with threads racing on one
 * counter whose two halves must never be seen torn.
 */
#include "unit.h"
#include "mimic/atomic128.h"

typedef bool Cas128(void *, uint64_t[2], uint64_t, uint64_t);

static void check_single(Cas128 *cas)
{
    _Alignas(16) uint64_t m[2] = { 0x1111, 0x2222 };
    uint64_t cmp[2] = { 0x1111, 0x2222 };

    EXPECT(cas(m, cmp, 0xaaaa, 0xbbbb));
    EXPECT_EQ(m[0], 0xaaaa);
    EXPECT_EQ(m[1], 0xbbbb);
    /* A difference in either half fails and reports the memory. */
    cmp[0] = 0xaaaa;
    cmp[1] = 0xbbbc;
    EXPECT(!cas(m, cmp, 1, 2));
    EXPECT_EQ(m[0], 0xaaaa);
    EXPECT_EQ(m[1], 0xbbbb);
    EXPECT_EQ(cmp[0], 0xaaaa);
    EXPECT_EQ(cmp[1], 0xbbbb);
    cmp[0] = 0xaaab;
    EXPECT(!cas(m, cmp, 1, 2));
    EXPECT_EQ(m[0], 0xaaaa);
    EXPECT_EQ(cmp[0], 0xaaaa);
}

TEST(host_path_compares_both_halves)
{
    check_single(atomic128_cmpxchg);
}

TEST(lock_path_compares_both_halves)
{
    check_single(atomic128_cmpxchg_locked);
}

TEST(x86_64_hosts_with_cx16_use_the_instruction)
{
#if defined(__x86_64__)
    unsigned a, b, c, d;

    __asm__("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(1), "c"(0));
    EXPECT_EQ(atomic128_is_lock_free(), (c >> 13) & 1);
#else
    EXPECT(!atomic128_is_lock_free());
#endif
}

#define THREADS 4
#define ITERS 50000

/* The counter: low half n, high half ~n; a torn read or a lost update
   breaks one or the other. */
static _Alignas(16) uint64_t counter[2];
static int torn;

static gpointer racer(gpointer data)
{
    Cas128 *cas = (Cas128 *)data;

    for (int i = 0; i < ITERS; i++) {
        uint64_t cmp[2] = { counter[0], counter[1] };

        while (!cas(counter, cmp, cmp[0] + 1, ~(cmp[0] + 1))) {
            if (cmp[1] != ~cmp[0])
                __atomic_store_n(&torn, 1, __ATOMIC_RELAXED);
        }
    }
    return NULL;
}

static void race(Cas128 *cas)
{
    GThread *t[THREADS];

    counter[0] = 0;
    counter[1] = ~0ull;
    torn = 0;
    for (int i = 0; i < THREADS; i++)
        t[i] = g_thread_new("racer", racer, (gpointer)cas);
    for (int i = 0; i < THREADS; i++)
        g_thread_join(t[i]);
    EXPECT_EQ(counter[0], (uint64_t)THREADS * ITERS);
    EXPECT_EQ(counter[1], ~((uint64_t)THREADS * ITERS));
    EXPECT(!torn);
}

TEST(host_path_loses_no_update_between_threads)
{
    race(atomic128_cmpxchg);
}

TEST(lock_path_loses_no_update_between_threads)
{
    race(atomic128_cmpxchg_locked);
}

int main(void)
{
    return unit_run();
}
