/*
 * The RISC-V CLINT (hw/intc/riscv_aclint.c) in the SiFive layout that the
 * ACLINT spec keeps compatible: an MSWI device (one msip word per hart at
 * +0) and an MTIMER device (one 64-bit mtimecmp per hart at +0x4000, the
 * shared mtime at +0xbff8), 0x10000 bytes in all.  mtime counts the
 * virtual clock at 10 MHz; the device drives each hart's MSIP and MTIP
 * through riscv_cpu_set_irq().
 *
 *   RISCVAclintState *c = riscv_aclint_create(ms, sysmem, 0x2000000, cpus, n);
 *   // each hart's time CSR: riscv_cpu_set_time_source(hart, fn, c), where
 *   // fn(c) returns riscv_aclint_mtime(c)
 */
#ifndef MIMIC_RISCV_ACLINT_H
#define MIMIC_RISCV_ACLINT_H

#include <stdint.h>

#include "mimic/memory.h"

#define RISCV_ACLINT_SIZE 0x10000
#define RISCV_ACLINT_MSIP_BASE 0x0
#define RISCV_ACLINT_MTIMECMP_BASE 0x4000
#define RISCV_ACLINT_MTIME 0xbff8
#define RISCV_ACLINT_TIMEBASE_FREQ 10000000ull
#define RISCV_ACLINT_MAX_HARTS 4095

typedef struct FdtBuilder FdtBuilder;
typedef struct MachineState MachineState;
typedef struct RISCVCPU RISCVCPU;
typedef struct RISCVAclintState RISCVAclintState;

/* Maps the CLINT at base for harts 0..num_harts-1 (cpus[i] is hart i);
   it joins ms's reset list. */
RISCVAclintState *riscv_aclint_create(MachineState *ms, MemoryRegion *parent,
                                      uint64_t base,
                                      RISCVCPU *const *cpus, int num_harts);
/* mtime now: the `time` CSR reads the same counter. */
uint64_t riscv_aclint_mtime(RISCVAclintState *s);
/* Back to the power-on state: msip 0, mtimecmp 0 and not armed, mtime
   following the virtual clock again. */
void riscv_aclint_reset(RISCVAclintState *s);
/* Adds clint@base under parent: intc[i] is the phandle of hart i's
   interrupt controller, which gets MSIP and MTIP. */
void riscv_aclint_fdt_add(FdtBuilder *b, int parent, uint64_t base,
                          const uint32_t *intc, int num_harts);

#endif
