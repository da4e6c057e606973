/*
 * Cross-modifying code on four harts (-smp 4, one host thread each under
 * -accel tcg,thread=multi): in every round one hart (taking turns)
 * rewrites a small function, all harts meet at a barrier, execute
 * fence.i and call it, and must get the value the writer just stored.
 * The function lives in one of three slots used in turn, so each slot
 * was run (translated, chained, in every hart's jump cache) by every hart
 * three rounds before; one slot shares its page with the barrier's
 * words, which every hart keeps storing to.  A stale translation, a
 * jump cache or TLB entry that missed the invalidation, or a store to
 * code that did not reach the translator gives a wrong value.
 */
#include "smp.h"

#define ROUNDS 500

/* addi a0, zero, imm; ret */
#define ADDI_A0(imm) (0x00000513u | ((u32)(imm) << 20))
#define RET 0x00008067u

static u32 slot0[16] __attribute__((aligned(4096)));
static u32 slot1[16] __attribute__((aligned(4096)));
/* The barrier's page: data stores next to code. */
static struct {
    volatile u64 count, gen;
    u32 code[16];
} mixed __attribute__((aligned(4096)));
static volatile u64 bad[NHARTS];

static u32 *slot_of(int r)
{
    return r % 3 == 0 ? slot0 : r % 3 == 1 ? slot1 : mixed.code;
}

static u32 value_of(int r)
{
    return (u32)(r * 7 + 1) & 0x7ff;
}

static void barrier_mixed(void)
{
    smp_barrier_on(&mixed.count, &mixed.gen);
}

static void work(void)
{
    int me = hart_id();

    smp_wfi_init();
    for (int r = 0; r < ROUNDS; r++) {
        u32 *slot = slot_of(r);
        long (*fn)(void) = (long (*)(void))(void *)slot;

        if (r % NHARTS == me) {
            slot[0] = ADDI_A0(value_of(r));
            slot[1] = RET;
        }
        barrier_mixed();
        fence_i();
        if (fn() != (long)value_of(r))
            bad[me]++;
        barrier_mixed();
    }
}

static void secondary(void)
{
    work();
    smp_leave();
}

int main(void)
{
    /* Every slot is run once by every hart before it is first rewritten. */
    for (int s = 0; s < 3; s++) {
        slot_of(s)[0] = ADDI_A0(0);
        slot_of(s)[1] = RET;
    }
    fence_i();
    smp_start(secondary);
    work();
    smp_join();
    for (int h = 0; h < NHARTS; h++)
        CHECK_EQ(bad[h], 0);
    return test_end();
}
