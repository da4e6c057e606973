/*
 * The CLINT of the virt board: the ACLINT MSWI and MTIMER devices at one
 * base in the SiFive CLINT layout (include/mimic/riscv_aclint.h).  mtime is
 * the virtual clock in 10 MHz ticks plus an offset that guest writes to
 * mtime change.  For each hart, MTIP follows "mtime >= mtimecmp": it is
 * recomputed when mtimecmp or mtime is written, and a virtual-clock timer
 * armed for the next deadline re-checks it when it expires.  The timer runs
 * on the main loop (ms poll resolution), so a timer interrupt arrives at
 * most about a millisecond late; riscv_cpu_set_irq() then kicks the vCPU at
 * once, even out of WFI.  Accesses are 4 or 8 bytes; mtimecmp and mtime may
 * be written in 32-bit halves.  Like QEMU, a hart's MTIP is left alone
 * until its mtimecmp is first written (mtimecmp reads 0 after reset).
 */
#include <inttypes.h>

#include <glib.h>

#include "mimic/board.h"
#include "mimic/fdt-builder.h"
#include "mimic/log.h"
#include "mimic/riscv_aclint.h"
#include "mimic/timer.h"
#include "target/riscv/cpu.h"

#define NS_PER_TICK (1000000000ull / RISCV_ACLINT_TIMEBASE_FREQ)

typedef struct AclintHart {
    RISCVAclintState *s;
    RISCVCPU *cpu;
    int hartid;
    uint32_t msip;
    uint64_t mtimecmp;
    bool armed;          /* mtimecmp written since reset */
    Timer *timer;
} AclintHart;

struct RISCVAclintState {
    MemoryRegion iomem;
    int num_harts;
    uint64_t mtime_offset;   /* mtime = virtual ticks + offset (mod 2^64) */
    AclintHart *harts;
};

static uint64_t virtual_ticks(void)
{
    return (uint64_t)clock_ns(TIMER_CLOCK_VIRTUAL) / NS_PER_TICK;
}

uint64_t riscv_aclint_mtime(RISCVAclintState *s)
{
    return virtual_ticks() + __atomic_load_n(&s->mtime_offset, __ATOMIC_RELAXED);
}

/* Sets MTIP from mtime and mtimecmp; arms the timer for a future deadline. */
static void aclint_update_timer(AclintHart *h)
{
    uint64_t now = riscv_aclint_mtime(h->s);
    uint64_t delta;
    int64_t vnow;

    if (!h->armed)
        return;
    if (now >= h->mtimecmp) {
        timer_del(h->timer);
        riscv_cpu_set_irq(h->cpu, RV_IRQ_M_TIMER, 1);
        return;
    }
    riscv_cpu_set_irq(h->cpu, RV_IRQ_M_TIMER, 0);
    delta = h->mtimecmp - now;
    /* A deadline centuries away (mtimecmp = -1 disables) needs no timer. */
    if (delta > (uint64_t)INT64_MAX / NS_PER_TICK / 2) {
        timer_del(h->timer);
        return;
    }
    /* The tick at which mtime reaches mtimecmp, in virtual ns. */
    vnow = clock_ns(TIMER_CLOCK_VIRTUAL);
    timer_mod(h->timer, vnow - vnow % (int64_t)NS_PER_TICK +
              (int64_t)(delta * NS_PER_TICK));
}

static void aclint_timer_cb(void *opaque)
{
    aclint_update_timer(opaque);
}

/* Replaces the bytes of *reg selected by a (size, offset) access. */
static uint64_t merge64(uint64_t old, uint64_t val, unsigned size, unsigned off)
{
    uint64_t mask;

    if (size == 8)
        return val;
    mask = 0xffffffffull << (8 * off);
    return (old & ~mask) | ((val << (8 * off)) & mask);
}

static uint64_t aclint_read(void *opaque, uint64_t addr, unsigned size)
{
    RISCVAclintState *s = opaque;
    uint64_t v;

    if (addr < RISCV_ACLINT_MTIMECMP_BASE) {
        uint64_t hart = addr / 4;

        if (size != 4 || hart >= (uint64_t)s->num_harts)
            goto bad;
        return s->harts[hart].msip;
    }
    if (addr >= RISCV_ACLINT_MTIME && addr + size <= RISCV_ACLINT_MTIME + 8) {
        v = riscv_aclint_mtime(s);
        return size == 8 ? v : (uint32_t)(v >> (8 * (addr & 4)));
    }
    if (addr < RISCV_ACLINT_MTIME) {
        uint64_t hart = (addr - RISCV_ACLINT_MTIMECMP_BASE) / 8;

        if (hart >= (uint64_t)s->num_harts || (size == 8 && (addr & 4)))
            goto bad;
        v = s->harts[hart].mtimecmp;
        return size == 8 ? v : (uint32_t)(v >> (8 * (addr & 4)));
    }
bad:
    log_mask(LOG_GUEST_ERROR, "clint: bad %u-byte read at 0x%" PRIx64 "\n",
             size, addr);
    return 0;
}

static void aclint_write_mtime(RISCVAclintState *s, uint64_t addr,
                               uint64_t val, unsigned size)
{
    uint64_t now = riscv_aclint_mtime(s);
    uint64_t want = merge64(now, val, size, addr & 4);

    __atomic_store_n(&s->mtime_offset, want - virtual_ticks(), __ATOMIC_RELAXED);
    for (int i = 0; i < s->num_harts; i++)
        aclint_update_timer(&s->harts[i]);
}

static void aclint_write(void *opaque, uint64_t addr, uint64_t val,
                         unsigned size)
{
    RISCVAclintState *s = opaque;

    if (addr < RISCV_ACLINT_MTIMECMP_BASE) {
        uint64_t hart = addr / 4;

        if (size != 4 || hart >= (uint64_t)s->num_harts)
            goto bad;
        s->harts[hart].msip = val & 1;
        riscv_cpu_set_irq(s->harts[hart].cpu, RV_IRQ_M_SOFT, val & 1);
        return;
    }
    if (addr >= RISCV_ACLINT_MTIME && addr + size <= RISCV_ACLINT_MTIME + 8) {
        aclint_write_mtime(s, addr, val, size);
        return;
    }
    if (addr < RISCV_ACLINT_MTIME) {
        uint64_t hart = (addr - RISCV_ACLINT_MTIMECMP_BASE) / 8;
        AclintHart *h;

        if (hart >= (uint64_t)s->num_harts || (size == 8 && (addr & 4)))
            goto bad;
        h = &s->harts[hart];
        h->mtimecmp = merge64(h->mtimecmp, val, size, addr & 4);
        h->armed = true;
        aclint_update_timer(h);
        return;
    }
bad:
    log_mask(LOG_GUEST_ERROR, "clint: bad %u-byte write of 0x%" PRIx64
             " at 0x%" PRIx64 "\n", size, val, addr);
}

static const MemoryRegionOps aclint_ops = {
    .read = aclint_read,
    .write = aclint_write,
    .valid_min = 4,
    .valid_max = 8,
};

void riscv_aclint_reset(RISCVAclintState *s)
{
    __atomic_store_n(&s->mtime_offset, 0, __ATOMIC_RELAXED);
    for (int i = 0; i < s->num_harts; i++) {
        AclintHart *h = &s->harts[i];

        timer_del(h->timer);
        h->msip = 0;
        h->mtimecmp = 0;
        h->armed = false;
        riscv_cpu_set_irq(h->cpu, RV_IRQ_M_SOFT, 0);
        riscv_cpu_set_irq(h->cpu, RV_IRQ_M_TIMER, 0);
    }
}

void riscv_aclint_fdt_add(FdtBuilder *b, int parent, uint64_t base,
                          const uint32_t *intc, int num_harts)
{
    int node = fdtb_device_node(b, parent, "clint", base, RISCV_ACLINT_SIZE);

    fdtb_prop_strs(b, node, "compatible", "sifive,clint0", "riscv,clint0",
                   NULL);
    fdtb_prop_irqs_ext_pairs(b, node, intc, num_harts, RV_IRQ_M_SOFT,
                             RV_IRQ_M_TIMER);
}

static void aclint_machine_reset(void *opaque)
{
    riscv_aclint_reset(opaque);
}

RISCVAclintState *riscv_aclint_create(MachineState *ms, MemoryRegion *parent,
                                      uint64_t base, RISCVCPU *const *cpus,
                                      int num_harts)
{
    RISCVAclintState *s = g_new0(RISCVAclintState, 1);

    s->num_harts = num_harts;
    s->harts = g_new0(AclintHart, num_harts);
    for (int i = 0; i < num_harts; i++) {
        s->harts[i].s = s;
        s->harts[i].cpu = cpus[i];
        s->harts[i].hartid = i;
        s->harts[i].timer = timer_new(TIMER_CLOCK_VIRTUAL, aclint_timer_cb,
                                      &s->harts[i]);
    }
    riscv_aclint_reset(s);
    machine_register_reset(ms, aclint_machine_reset, s);
    memory_region_init_io(&s->iomem, &aclint_ops, s, "riscv.aclint",
                          RISCV_ACLINT_SIZE);
    memory_region_add_subregion(parent, base, &s->iomem);
    return s;
}
