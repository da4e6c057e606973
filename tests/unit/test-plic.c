/* needs: riscv64-softmmu */
/*
 * Tests of the PLIC (hw/intc/sifive_plic.c) through the memory API with
 * two real harts: priorities (0 never interrupts, ties go to the lowest
 * source), thresholds, per-context enables (M contexts drive MEIP, S
 * contexts SEIP), level-triggered claim/complete, the pending bits, and
 * reset.
 */
#include <glib.h>

#include "mimic/board.h"
#include "mimic/memory.h"
#include "mimic/sifive_plic.h"
#include "target/riscv/cpu.h"
#include "unit.h"

#define BASE 0xc000000ull
#define PRIO(n) (BASE + 4 * (n))
#define PENDING(w) (BASE + SIFIVE_PLIC_PENDING_BASE + 4 * (w))
#define ENABLE(c, w) (BASE + SIFIVE_PLIC_ENABLE_BASE + 0x80 * (c) + 4 * (w))
#define THRESHOLD(c) (BASE + SIFIVE_PLIC_CONTEXT_BASE + 0x1000 * (c))
#define CLAIM(c) (THRESHOLD(c) + 4)
#define MEIP (1ull << 11)
#define SEIP (1ull << 9)

static MemoryRegion root;
static AddressSpace as;
static RISCVCPU *cpus[2];
static SiFivePLICState *plic;
/* The machine whose reset list the PLIC joins: the tests reset it as a
   system reset does. */
static MachineState machine;

static void setup(void)
{
    if (!plic) {
        memory_region_init(&root, "root", UINT64_MAX);
        address_space_init(&as, &root, "as");
        for (int i = 0; i < 2; i++)
            cpus[i] = RISCV_CPU(cpu_create(&riscv_target_ops, i, &as));
        plic = sifive_plic_create(&machine, &root, BASE, cpus, 2, 96);
    }
    for (int n = 1; n < 96; n++)
        irq_set(sifive_plic_irq(plic, n), 0);
    machine_reset_devices(&machine);
}

static uint32_t rd(uint64_t addr)
{
    uint32_t v = 0xdead;

    EXPECT_EQ(address_space_read(&as, addr, &v, 4), MEMTX_OK);
    return v;
}

static void wr(uint64_t addr, uint32_t v)
{
    EXPECT_EQ(address_space_write(&as, addr, &v, 4), MEMTX_OK);
}

static bool mip(int hart, uint64_t bit)
{
    return (__atomic_load_n(&cpus[hart]->env.mip, __ATOMIC_ACQUIRE) & bit) != 0;
}

TEST(priority_zero_never_interrupts)
{
    setup();
    irq_raise(sifive_plic_irq(plic, 10));
    wr(ENABLE(0, 0), 1u << 10);
    EXPECT(!mip(0, MEIP));
    EXPECT_EQ(rd(PENDING(0)), 1u << 10);
    wr(PRIO(10), 1);
    EXPECT(mip(0, MEIP));
    EXPECT(!mip(0, SEIP));
    EXPECT(!mip(1, MEIP));
}

TEST(priority_register_bits)
{
    setup();
    wr(PRIO(10), 0xffffffff);
    EXPECT_EQ(rd(PRIO(10)), 7);
    wr(PRIO(0), 5);
    EXPECT_EQ(rd(PRIO(0)), 0);
    wr(ENABLE(0, 0), 0xffffffff);
    EXPECT_EQ(rd(ENABLE(0, 0)), 0xfffffffe);   /* no source 0 */
    wr(ENABLE(0, 2), 0xffffffff);
    EXPECT_EQ(rd(ENABLE(0, 2)), 0xffffffff);   /* 64..95 */
}

TEST(threshold_masks)
{
    setup();
    wr(PRIO(10), 3);
    wr(ENABLE(0, 0), 1u << 10);
    irq_raise(sifive_plic_irq(plic, 10));
    EXPECT(mip(0, MEIP));
    wr(THRESHOLD(0), 3);       /* priority must exceed the threshold */
    EXPECT_EQ(rd(THRESHOLD(0)), 3);
    EXPECT(!mip(0, MEIP));
    EXPECT_EQ(rd(CLAIM(0)), 0);
    wr(THRESHOLD(0), 2);
    EXPECT(mip(0, MEIP));
}

TEST(claim_complete_level_triggered)
{
    setup();
    wr(PRIO(10), 1);
    wr(ENABLE(0, 0), 1u << 10);
    irq_raise(sifive_plic_irq(plic, 10));
    EXPECT_EQ(rd(CLAIM(0)), 10);
    EXPECT(!mip(0, MEIP));              /* claimed: no longer pending */
    EXPECT_EQ(rd(PENDING(0)), 0);
    EXPECT_EQ(rd(CLAIM(0)), 0);         /* nothing else */
    irq_lower(sifive_plic_irq(plic, 10));
    irq_raise(sifive_plic_irq(plic, 10));
    EXPECT(!mip(0, MEIP));              /* gateway held until completion */
    wr(CLAIM(0), 10);                    /* complete: line still high */
    EXPECT(mip(0, MEIP));
    EXPECT_EQ(rd(CLAIM(0)), 10);
    irq_lower(sifive_plic_irq(plic, 10));
    wr(CLAIM(0), 10);
    EXPECT(!mip(0, MEIP));
    EXPECT_EQ(rd(CLAIM(0)), 0);
}

TEST(highest_priority_first_ties_to_lowest_id)
{
    setup();
    wr(ENABLE(0, 0), (1u << 3) | (1u << 5) | (1u << 10));
    wr(ENABLE(0, 1), 1u << (33 - 32));
    wr(PRIO(3), 2);
    wr(PRIO(5), 2);
    wr(PRIO(10), 6);
    wr(PRIO(33), 7);
    irq_raise(sifive_plic_irq(plic, 3));
    irq_raise(sifive_plic_irq(plic, 5));
    irq_raise(sifive_plic_irq(plic, 10));
    irq_raise(sifive_plic_irq(plic, 33));
    EXPECT_EQ(rd(PENDING(1)), 1u << 1);
    EXPECT_EQ(rd(CLAIM(0)), 33);
    EXPECT_EQ(rd(CLAIM(0)), 10);
    EXPECT_EQ(rd(CLAIM(0)), 3);
    EXPECT_EQ(rd(CLAIM(0)), 5);
    EXPECT_EQ(rd(CLAIM(0)), 0);
    EXPECT(!mip(0, MEIP));
}

TEST(contexts_drive_their_hart_and_mode)
{
    setup();
    wr(PRIO(11), 1);
    wr(ENABLE(3, 0), 1u << 11);         /* hart 1, S-mode */
    irq_raise(sifive_plic_irq(plic, 11));
    EXPECT(mip(1, SEIP));
    EXPECT(!mip(1, MEIP));
    EXPECT(!mip(0, MEIP) && !mip(0, SEIP));
    /* Another context's claim takes it from everyone. */
    wr(ENABLE(0, 0), 1u << 11);
    EXPECT(mip(0, MEIP));
    EXPECT_EQ(rd(CLAIM(3)), 11);
    EXPECT(!mip(1, SEIP));
    EXPECT(!mip(0, MEIP));
    /* Completion by a context where the source is not enabled is ignored. */
    wr(CLAIM(2), 11);
    EXPECT_EQ(rd(CLAIM(0)), 0);
    wr(CLAIM(3), 11);
    EXPECT(mip(1, SEIP));
}

TEST(pending_is_read_only_and_reset_clears)
{
    setup();
    wr(PENDING(0), 0xffffffff);
    EXPECT_EQ(rd(PENDING(0)), 0);
    wr(PRIO(1), 1);
    wr(ENABLE(1, 0), 2);
    irq_raise(sifive_plic_irq(plic, 1));
    EXPECT(mip(0, SEIP));
    machine_reset_devices(&machine);
    EXPECT(!mip(0, SEIP));
    EXPECT_EQ(rd(PRIO(1)), 0);
    EXPECT_EQ(rd(ENABLE(1, 0)), 0);
    EXPECT_EQ(rd(PENDING(0)), 2);        /* the line is still high */
}

int main(void)
{
    return unit_run();
}
