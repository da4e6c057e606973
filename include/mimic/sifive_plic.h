/*
 * The SiFive/RISC-V PLIC (hw/intc/sifive_plic.c) as on QEMU's virt board:
 * interrupt sources 1..num_sources-1 (0 means "none"), 3-bit priorities,
 * and two contexts per hart, 2*hart for M-mode (driving MEIP) and
 * 2*hart+1 for S-mode (driving SEIP), each with its enable bits, priority
 * threshold and claim/complete register.  Sources are level-triggered.
 *
 *   SiFivePLICState *p = sifive_plic_create(ms, sysmem, 0xc000000, cpus, n, 96);
 *   serial_mm_init(ms, sysmem, 0x10000000, sifive_plic_irq(p, 10), chr);
 */
#ifndef MIMIC_SIFIVE_PLIC_H
#define MIMIC_SIFIVE_PLIC_H

#include <stdint.h>

#include "mimic/irq.h"
#include "mimic/memory.h"

#define SIFIVE_PLIC_SIZE 0x600000          /* room for 512 harts */
#define SIFIVE_PLIC_PRIORITY_BASE 0x0
#define SIFIVE_PLIC_PENDING_BASE 0x1000
#define SIFIVE_PLIC_ENABLE_BASE 0x2000
#define SIFIVE_PLIC_ENABLE_STRIDE 0x80
#define SIFIVE_PLIC_CONTEXT_BASE 0x200000
#define SIFIVE_PLIC_CONTEXT_STRIDE 0x1000
#define SIFIVE_PLIC_MAX_PRIORITY 7
#define SIFIVE_PLIC_MAX_SOURCES 1024

typedef struct FdtBuilder FdtBuilder;
typedef struct MachineState MachineState;
typedef struct RISCVCPU RISCVCPU;
typedef struct SiFivePLICState SiFivePLICState;

/* Maps a PLIC with num_sources sources (including the unused 0) and two
   contexts for each of harts 0..num_harts-1; it joins ms's reset list. */
SiFivePLICState *sifive_plic_create(MachineState *ms, MemoryRegion *parent,
                                    uint64_t base, RISCVCPU *const *cpus,
                                    int num_harts, int num_sources);
/* The input line of source n (1..num_sources-1), for a device. */
IRQLine *sifive_plic_irq(SiFivePLICState *s, int n);
/* Clears priorities, enables, thresholds, claims; keeps input levels. */
void sifive_plic_reset(SiFivePLICState *s);
/* Adds plic@base under parent, as sifive_plic_create made it: intc[i] is
   the phandle of hart i's interrupt controller (MEIP, SEIP).  Returns the
   PLIC's phandle, the interrupt-parent of the devices wired to it. */
uint32_t sifive_plic_fdt_add(FdtBuilder *b, int parent, uint64_t base,
                             const uint32_t *intc, int num_harts,
                             int num_sources);

#endif
