/*
 * The ns16550a UART (hw/char/serial.c) with one-byte registers at
 * consecutive addresses (reg-shift 0), as on the virt board.
 *
 *   serial_mm_init(ms, get_system_memory(), 0x10000000, uart_irq, chr);
 */
#ifndef MIMIC_SERIAL_H
#define MIMIC_SERIAL_H

#include <stdint.h>

#include "mimic/chardev.h"
#include "mimic/irq.h"
#include "mimic/memory.h"

typedef struct FdtBuilder FdtBuilder;
typedef struct MachineState MachineState;
typedef struct SerialState SerialState;

#define SERIAL_MMIO_SIZE 0x100

/* Maps a UART at base in parent; irq and chr may be NULL (not wired).  It
   joins ms's reset list. */
SerialState *serial_mm_init(MachineState *ms, MemoryRegion *parent,
                            uint64_t base, IRQLine *irq, Chardev *chr);
void serial_reset(SerialState *s);
/* Adds serial@base (ns16550a) under parent, interrupting on line irq of
   controller intc (a phandle), its input clock clock_hz. */
void serial_fdt_add(FdtBuilder *b, int parent, uint64_t base, uint32_t intc,
                    uint32_t irq, uint32_t clock_hz);

#endif
