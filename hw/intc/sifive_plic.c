/*
 * The platform-level interrupt controller (include/mimic/sifive_plic.h),
 * following the RISC-V PLIC specification: a gateway per source, a
 * priority per source, per-context enables and threshold, and
 * claim/complete.  Sources are level-triggered: a source is pending while
 * its line is high, except between its claim and its completion (the
 * gateway holds new requests back); completion re-arms the gateway, so a
 * line still high becomes pending again at once.  A context's interrupt
 * line (MEIP or SEIP of its hart) is high while some pending, enabled
 * source has a priority above the context's threshold.  Every register is
 * 32 bits wide; other access sizes and unknown offsets are guest errors.
 */
#include <inttypes.h>
#include <string.h>

#include <glib.h>

#include "mimic/board.h"
#include "mimic/fdt-builder.h"
#include "mimic/log.h"
#include "mimic/sifive_plic.h"
#include "target/riscv/cpu.h"

/* mip bits of the external interrupts (privileged spec): M and S mode. */
enum { PLIC_MEIP_IRQ = 11, PLIC_SEIP_IRQ = 9 };

#define WORDS(n) (((n) + 31) / 32)

typedef struct PLICContext {
    RISCVCPU *cpu;
    int irq;                  /* PLIC_MEIP_IRQ or PLIC_SEIP_IRQ */
    uint32_t threshold;
    uint32_t *enable;         /* WORDS(num_sources) */
    int level;                /* last level sent to the hart */
} PLICContext;

struct SiFivePLICState {
    MemoryRegion iomem;
    int num_sources, num_contexts;
    uint32_t *priority;
    uint32_t *pending;        /* bitmaps of WORDS(num_sources) words */
    uint32_t *claimed;
    uint32_t *line;           /* current input levels */
    PLICContext *ctx;
    IRQLine **irqs;
};

static bool bit_get(const uint32_t *map, int n)
{
    return (map[n / 32] >> (n % 32)) & 1;
}

static void bit_set(uint32_t *map, int n, bool on)
{
    if (on)
        map[n / 32] |= 1u << (n % 32);
    else
        map[n / 32] &= ~(1u << (n % 32));
}

/* The source a claim by context c would return now, or 0. */
static int plic_best(SiFivePLICState *s, PLICContext *c)
{
    uint32_t best_prio = c->threshold;
    int best = 0;

    for (int w = 0; w < WORDS(s->num_sources); w++) {
        uint32_t bits = s->pending[w] & c->enable[w];

        while (bits) {
            int n = w * 32 + __builtin_ctz(bits);

            bits &= bits - 1;
            /* Strictly greater: ties go to the lowest source number. */
            if (s->priority[n] > best_prio) {
                best_prio = s->priority[n];
                best = n;
            }
        }
    }
    return best;
}

static void plic_update(SiFivePLICState *s)
{
    for (int i = 0; i < s->num_contexts; i++) {
        PLICContext *c = &s->ctx[i];
        int level = plic_best(s, c) != 0;

        if (level != c->level) {
            c->level = level;
            riscv_cpu_set_irq(c->cpu, c->irq, level);
        }
    }
}

static void plic_set_irq(void *opaque, int n, int level)
{
    SiFivePLICState *s = opaque;

    bit_set(s->line, n, level);
    if (!level)
        bit_set(s->pending, n, false);
    else if (!bit_get(s->claimed, n))
        bit_set(s->pending, n, true);
    plic_update(s);
}

static uint32_t plic_claim(SiFivePLICState *s, PLICContext *c)
{
    int n = plic_best(s, c);

    if (n) {
        bit_set(s->pending, n, false);
        bit_set(s->claimed, n, true);
        plic_update(s);
    }
    return (uint32_t)n;
}

static void plic_complete(SiFivePLICState *s, PLICContext *c, uint32_t n)
{
    /* The spec ignores completion of a source not enabled for the context. */
    if (n == 0 || n >= (uint32_t)s->num_sources || !bit_get(c->enable, (int)n)) {
        log_mask(LOG_GUEST_ERROR, "plic: completion of source %u ignored\n", n);
        return;
    }
    bit_set(s->claimed, (int)n, false);
    if (bit_get(s->line, (int)n))
        bit_set(s->pending, (int)n, true);
    plic_update(s);
}

/* The context and register (0 threshold, 4 claim) of a context offset. */
static PLICContext *plic_context(SiFivePLICState *s, uint64_t addr,
                                 unsigned *reg)
{
    uint64_t off = addr - SIFIVE_PLIC_CONTEXT_BASE;
    uint64_t i = off / SIFIVE_PLIC_CONTEXT_STRIDE;

    *reg = (unsigned)(off % SIFIVE_PLIC_CONTEXT_STRIDE);
    if (i >= (uint64_t)s->num_contexts || *reg > 4)
        return NULL;
    return &s->ctx[i];
}

/* The enable word of an enable-area offset. */
static uint32_t *plic_enable_word(SiFivePLICState *s, uint64_t addr)
{
    uint64_t off = addr - SIFIVE_PLIC_ENABLE_BASE;
    uint64_t i = off / SIFIVE_PLIC_ENABLE_STRIDE;
    uint64_t w = (off % SIFIVE_PLIC_ENABLE_STRIDE) / 4;

    if (i >= (uint64_t)s->num_contexts || w >= (uint64_t)WORDS(s->num_sources))
        return NULL;
    return &s->ctx[i].enable[w];
}

static uint64_t plic_read(void *opaque, uint64_t addr, unsigned size)
{
    SiFivePLICState *s = opaque;
    PLICContext *c;
    uint32_t *w;
    unsigned reg;

    if (addr < SIFIVE_PLIC_PENDING_BASE) {
        if (addr / 4 < (uint64_t)s->num_sources)
            return s->priority[addr / 4];
    } else if (addr < SIFIVE_PLIC_ENABLE_BASE) {
        uint64_t i = (addr - SIFIVE_PLIC_PENDING_BASE) / 4;

        if (i < (uint64_t)WORDS(s->num_sources))
            return s->pending[i];
    } else if (addr < SIFIVE_PLIC_CONTEXT_BASE) {
        w = plic_enable_word(s, addr);
        if (w)
            return *w;
    } else if ((c = plic_context(s, addr, &reg)) != NULL) {
        return reg == 0 ? c->threshold : plic_claim(s, c);
    }
    log_mask(LOG_GUEST_ERROR, "plic: read of unknown register 0x%" PRIx64 "\n",
             addr);
    return 0;
}

static void plic_write(void *opaque, uint64_t addr, uint64_t val,
                       unsigned size)
{
    SiFivePLICState *s = opaque;
    uint32_t v = (uint32_t)val;
    PLICContext *c;
    uint32_t *w;
    unsigned reg;

    if (addr < SIFIVE_PLIC_PENDING_BASE) {
        if (addr / 4 < (uint64_t)s->num_sources) {
            /* Source 0 does not exist: its priority stays 0. */
            s->priority[addr / 4] = addr ? v & SIFIVE_PLIC_MAX_PRIORITY : 0;
            plic_update(s);
            return;
        }
    } else if (addr < SIFIVE_PLIC_ENABLE_BASE) {
        if ((addr - SIFIVE_PLIC_PENDING_BASE) / 4 < (uint64_t)WORDS(s->num_sources)) {
            log_mask(LOG_GUEST_ERROR, "plic: pending bits are read-only\n");
            return;
        }
    } else if (addr < SIFIVE_PLIC_CONTEXT_BASE) {
        w = plic_enable_word(s, addr);
        if (w) {
            uint64_t first = (uint64_t)(w - s->ctx[0].enable) %
                             (uint64_t)WORDS(s->num_sources) * 32;
            uint32_t valid = first + 32 <= (uint64_t)s->num_sources ? ~0u
                : (1u << (s->num_sources - first)) - 1;

            *w = v & valid & (first == 0 ? ~1u : ~0u);
            plic_update(s);
            return;
        }
    } else if ((c = plic_context(s, addr, &reg)) != NULL) {
        if (reg == 0) {
            c->threshold = v & SIFIVE_PLIC_MAX_PRIORITY;
            plic_update(s);
        } else {
            plic_complete(s, c, v);
        }
        return;
    }
    log_mask(LOG_GUEST_ERROR, "plic: write of 0x%x to unknown register 0x%"
             PRIx64 "\n", v, addr);
}

static const MemoryRegionOps plic_ops = {
    .read = plic_read,
    .write = plic_write,
    .valid_min = 4,
    .valid_max = 4,
};

void sifive_plic_reset(SiFivePLICState *s)
{
    int words = WORDS(s->num_sources);

    memset(s->priority, 0, sizeof(uint32_t) * (size_t)s->num_sources);
    memset(s->claimed, 0, sizeof(uint32_t) * (size_t)words);
    /* Lines that are high stay pending: the devices did not change. */
    memcpy(s->pending, s->line, sizeof(uint32_t) * (size_t)words);
    for (int i = 0; i < s->num_contexts; i++) {
        s->ctx[i].threshold = 0;
        memset(s->ctx[i].enable, 0, sizeof(uint32_t) * (size_t)words);
        s->ctx[i].level = 0;
        riscv_cpu_set_irq(s->ctx[i].cpu, s->ctx[i].irq, 0);
    }
}

uint32_t sifive_plic_fdt_add(FdtBuilder *b, int parent, uint64_t base,
                             const uint32_t *intc, int num_harts,
                             int num_sources)
{
    int node = fdtb_device_node(b, parent, "plic", base, SIFIVE_PLIC_SIZE);
    uint32_t ph = fdtb_phandle(b, node);

    fdtb_prop_strs(b, node, "compatible", "sifive,plic-1.0.0", "riscv,plic0",
                   NULL);
    fdtb_prop_u32(b, node, "#address-cells", 0);
    fdtb_prop_u32(b, node, "#interrupt-cells", 1);
    fdtb_prop_empty(b, node, "interrupt-controller");
    fdtb_prop_irqs_ext_pairs(b, node, intc, num_harts, PLIC_MEIP_IRQ,
                             PLIC_SEIP_IRQ);
    /* Source 0 is "none": riscv,ndev counts the others. */
    fdtb_prop_u32(b, node, "riscv,ndev", (uint32_t)num_sources - 1);
    return ph;
}

static void plic_machine_reset(void *opaque)
{
    sifive_plic_reset(opaque);
}

SiFivePLICState *sifive_plic_create(MachineState *ms, MemoryRegion *parent,
                                    uint64_t base, RISCVCPU *const *cpus,
                                    int num_harts, int num_sources)
{
    SiFivePLICState *s = g_new0(SiFivePLICState, 1);
    int words = WORDS(num_sources);

    g_assert(num_sources > 1 && num_sources <= SIFIVE_PLIC_MAX_SOURCES);
    s->num_sources = num_sources;
    s->num_contexts = 2 * num_harts;
    s->priority = g_new0(uint32_t, num_sources);
    s->pending = g_new0(uint32_t, words);
    s->claimed = g_new0(uint32_t, words);
    s->line = g_new0(uint32_t, words);
    s->ctx = g_new0(PLICContext, s->num_contexts);
    /* One allocation for all enable words keeps them contiguous. */
    s->ctx[0].enable = g_new0(uint32_t, (size_t)words * s->num_contexts);
    for (int i = 0; i < s->num_contexts; i++) {
        s->ctx[i].cpu = cpus[i / 2];
        s->ctx[i].irq = i % 2 ? PLIC_SEIP_IRQ : PLIC_MEIP_IRQ;
        s->ctx[i].enable = s->ctx[0].enable + (size_t)words * i;
    }
    s->irqs = g_new0(IRQLine *, num_sources);
    for (int n = 1; n < num_sources; n++)
        s->irqs[n] = irq_new(plic_set_irq, s, n);
    sifive_plic_reset(s);
    machine_register_reset(ms, plic_machine_reset, s);
    memory_region_init_io(&s->iomem, &plic_ops, s, "riscv.sifive.plic",
                          SIFIVE_PLIC_SIZE);
    memory_region_add_subregion(parent, base, &s->iomem);
    return s;
}

IRQLine *sifive_plic_irq(SiFivePLICState *s, int n)
{
    g_assert(n > 0 && n < s->num_sources);
    return s->irqs[n];
}
