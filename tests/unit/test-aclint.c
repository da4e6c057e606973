/* needs: riscv64-softmmu */
/*
 * Tests of the CLINT (hw/intc/riscv_aclint.c) as a guest sees it through
 * the memory API, with real RISC-V CPUs as the interrupt sinks: mtime
 * follows the virtual clock at 10 MHz and can be written, mtimecmp drives
 * MTIP (at once when the deadline has passed, through a main-loop timer
 * when it lies ahead), msip drives MSIP, each hart separately.
 */
#include <glib.h>

#include "mimic/board.h"
#include "mimic/memory.h"
#include "mimic/riscv_aclint.h"
#include "mimic/timer.h"
#include "target/riscv/cpu.h"
#include "unit.h"

#define BASE 0x2000000ull
#define MSIP(h) (BASE + 4 * (h))
#define MTIMECMP(h) (BASE + RISCV_ACLINT_MTIMECMP_BASE + 8 * (h))
#define MTIME (BASE + RISCV_ACLINT_MTIME)

static MemoryRegion root;
static AddressSpace as;
static RISCVCPU *cpus[2];
static RISCVAclintState *clint;
/* The machine whose reset list the CLINT joins: the tests reset it as a
   system reset does. */
static MachineState machine;

static void setup(void)
{
    if (clint) {
        machine_reset_devices(&machine);
        return;
    }
    memory_region_init(&root, "root", UINT64_MAX);
    address_space_init(&as, &root, "as");
    for (int i = 0; i < 2; i++)
        cpus[i] = RISCV_CPU(cpu_create(&riscv_target_ops, i, &as));
    clint = riscv_aclint_create(&machine, &root, BASE, cpus, 2);
    timers_attach(g_main_context_default());
}

static uint64_t rd(uint64_t addr, unsigned size)
{
    uint64_t v = 0;

    EXPECT_EQ(address_space_read(&as, addr, &v, size), MEMTX_OK);
    return v;
}

static void wr(uint64_t addr, uint64_t v, unsigned size)
{
    EXPECT_EQ(address_space_write(&as, addr, &v, size), MEMTX_OK);
}

static bool mip(int hart, uint64_t bit)
{
    return (__atomic_load_n(&cpus[hart]->env.mip, __ATOMIC_ACQUIRE) & bit) != 0;
}

TEST(mtime_counts_at_10mhz)
{
    uint64_t t0, t1, v0;
    int64_t h0, h1, hs;

    setup();
    h0 = g_get_monotonic_time();
    v0 = (uint64_t)clock_ns(TIMER_CLOCK_VIRTUAL) / 100;
    t0 = rd(MTIME, 8);
    h1 = g_get_monotonic_time();
    EXPECT(t0 >= v0 && t0 - v0 <= (uint64_t)(h1 - h0) * 10 + 1000);
    hs = h0;   /* before t0 was read: the window holds both reads */
    g_usleep(20000);
    t1 = rd(MTIME, 8);
    h1 = g_get_monotonic_time();
    /* 20 ms is 200000 ticks; a loaded host may sleep longer, but mtime
       never runs ahead of the host's clock (10 ticks a microsecond). */
    EXPECT(t1 - t0 >= 200000 && t1 - t0 <= (uint64_t)(h1 - hs) * 10 + 1000);
    /* The 32-bit halves read the same counter. */
    EXPECT_EQ(rd(MTIME + 4, 4), rd(MTIME, 8) >> 32);
}

TEST(mtime_write)
{
    uint64_t t;

    setup();
    wr(MTIME, 0x123400000000ull, 8);
    t = rd(MTIME, 8);
    EXPECT(t >= 0x123400000000ull && t < 0x123400000000ull + 10000000);
    wr(MTIME + 4, 0x42, 4);
    EXPECT_EQ(rd(MTIME, 8) >> 32, 0x42);
    machine_reset_devices(&machine);
    EXPECT(rd(MTIME, 8) < 0x4200000000ull);
}

TEST(mtimecmp_past_raises_mtip_at_once)
{
    setup();
    EXPECT(!mip(0, MIP_MTIP));
    EXPECT_EQ(rd(MTIMECMP(0), 8), 0);
    wr(MTIMECMP(0), rd(MTIME, 8) + 10000000000ull, 8);   /* 1000 s ahead */
    EXPECT(!mip(0, MIP_MTIP));
    wr(MTIMECMP(0), 1, 8);
    EXPECT(mip(0, MIP_MTIP));
    EXPECT(!mip(1, MIP_MTIP));
    /* Moving the deadline ahead again lowers MTIP. */
    wr(MTIMECMP(0), UINT64_MAX, 8);
    EXPECT(!mip(0, MIP_MTIP));
}

TEST(mtimecmp_halves)
{
    setup();
    wr(MTIMECMP(1), 0xffffffff, 4);
    wr(MTIMECMP(1) + 4, 0x7fffffff, 4);
    EXPECT_EQ(rd(MTIMECMP(1), 8), 0x7fffffffffffffffull);
    EXPECT_EQ(rd(MTIMECMP(1) + 4, 4), 0x7fffffff);
    EXPECT(!mip(1, MIP_MTIP));
    wr(MTIMECMP(1) + 4, 0, 4);    /* 0x00000000ffffffff: 7 min ahead */
    EXPECT(!mip(1, MIP_MTIP));
    wr(MTIMECMP(1), 0, 4);        /* 0: past */
    EXPECT(mip(1, MIP_MTIP));
    EXPECT(!mip(0, MIP_MTIP));
}

TEST(mtimecmp_future_fires_on_time)
{
    int64_t start, fired = -1;

    setup();
    start = clock_ns(TIMER_CLOCK_VIRTUAL);
    wr(MTIMECMP(0), rd(MTIME, 8) + 50000, 8);    /* 5 ms ahead */
    EXPECT(!mip(0, MIP_MTIP));
    while (clock_ns(TIMER_CLOCK_VIRTUAL) - start < 2000000000) {
        g_main_context_iteration(NULL, TRUE);
        if (mip(0, MIP_MTIP)) {
            fired = clock_ns(TIMER_CLOCK_VIRTUAL) - start;
            break;
        }
    }
    EXPECT(fired >= 5000000);
    EXPECT(fired >= 0 && fired < 5000000 + 100000000);
    EXPECT(rd(MTIME, 8) >= rd(MTIMECMP(0), 8));
}

TEST(msip_per_hart)
{
    setup();
    wr(MSIP(1), 1, 4);
    EXPECT(mip(1, MIP_MSIP));
    EXPECT(!mip(0, MIP_MSIP));
    EXPECT_EQ(rd(MSIP(1), 4), 1);
    EXPECT_EQ(rd(MSIP(0), 4), 0);
    wr(MSIP(1), 0xfffffffe, 4);    /* only bit 0 exists */
    EXPECT(!mip(1, MIP_MSIP));
    EXPECT_EQ(rd(MSIP(1), 4), 0);
    wr(MSIP(0), 1, 4);
    machine_reset_devices(&machine);
    EXPECT(!mip(0, MIP_MSIP));
}

TEST(no_such_hart_reads_zero)
{
    setup();
    EXPECT_EQ(rd(MSIP(5), 4), 0);
    wr(MSIP(5), 1, 4);
    EXPECT_EQ(rd(MTIMECMP(3), 8), 0);
}

int main(void)
{
    return unit_run();
}
