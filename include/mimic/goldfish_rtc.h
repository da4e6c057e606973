/*
 * The Goldfish real-time clock (hw/rtc/goldfish_rtc.c): a 64-bit
 * nanosecond wall clock with one alarm and an interrupt line, as Linux's
 * rtc-goldfish driver expects it on QEMU's virt board.
 *
 *   goldfish_rtc_create(ms, sysmem, 0x101000, sifive_plic_irq(plic, 11));
 */
#ifndef MIMIC_GOLDFISH_RTC_H
#define MIMIC_GOLDFISH_RTC_H

#include <stdint.h>

#include "mimic/irq.h"
#include "mimic/memory.h"
#include "mimic/timer.h"

#define GOLDFISH_RTC_SIZE 0x1000

enum {
    GOLDFISH_RTC_TIME_LOW = 0x00,       /* read: latches TIME_HIGH */
    GOLDFISH_RTC_TIME_HIGH = 0x04,
    GOLDFISH_RTC_ALARM_LOW = 0x08,      /* write: arms the alarm */
    GOLDFISH_RTC_ALARM_HIGH = 0x0c,
    GOLDFISH_RTC_IRQ_ENABLED = 0x10,
    GOLDFISH_RTC_CLEAR_ALARM = 0x14,
    GOLDFISH_RTC_ALARM_STATUS = 0x18,
    GOLDFISH_RTC_CLEAR_INTERRUPT = 0x1c,
};

typedef struct FdtBuilder FdtBuilder;
typedef struct MachineState MachineState;
typedef struct GoldfishRTCState GoldfishRTCState;

/* Maps the RTC at base; it joins ms's reset list. */
GoldfishRTCState *goldfish_rtc_create(MachineState *ms, MemoryRegion *parent,
                                      uint64_t base, IRQLine *irq);
/* Disarms the alarm and the interrupt; the clock keeps its time. */
void goldfish_rtc_reset(GoldfishRTCState *s);
/* Adds rtc@base under parent, interrupting on line irq of controller
   intc (a phandle). */
void goldfish_rtc_fdt_add(FdtBuilder *b, int parent, uint64_t base,
                          uint32_t intc, uint32_t irq);
/* -rtc: the time is start_ns now, then follows the host's wall clock
   (wall) or clock (TIMER_CLOCK_HOST: monotonic; VIRTUAL: stops with the
   VM). */
void goldfish_rtc_set_clock(GoldfishRTCState *s, int64_t start_ns, bool wall,
                            TimerClock clock);

#endif
