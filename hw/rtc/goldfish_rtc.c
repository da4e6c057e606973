/*
 * The Goldfish RTC (include/mimic/goldfish_rtc.h): time is the host's
 * wall clock in nanoseconds at start-up, then advances with the virtual
 * clock (so it stands still while the VM is stopped, as guest time does).
 * Reading TIME_LOW latches the high half for the following TIME_HIGH read;
 * writing either half sets that half of the current time.  Writing
 * ALARM_LOW arms the alarm at ALARM_HIGH:ALARM_LOW; when the time reaches
 * it, the alarm stops and the interrupt becomes pending; the line is high
 * while an interrupt is pending and IRQ_ENABLED is 1.  Registers are 32
 * bits wide.  -rtc changes the start value and the clock it follows
 * (goldfish_rtc_set_clock): the host's wall clock, its monotonic clock,
 * or the virtual clock (the default).
 */
#include <inttypes.h>

#include <glib.h>

#include "mimic/board.h"
#include "mimic/fdt-builder.h"
#include "mimic/goldfish_rtc.h"
#include "mimic/log.h"
#include "mimic/timer.h"

struct GoldfishRTCState {
    MemoryRegion iomem;
    IRQLine *irq;
    Timer *timer;
    int64_t offset;           /* rtc ns = source ns + offset */
    TimerClock clock;         /* the alarm's clock, and the source ... */
    bool wall;                /* ... unless it is the host's wall clock */
    uint64_t alarm;           /* ALARM_HIGH:ALARM_LOW */
    uint32_t time_high_latch;
    bool alarm_running;
    bool irq_pending;
    bool irq_enabled;
};

static int64_t source_now(GoldfishRTCState *s)
{
    return s->wall ? g_get_real_time() * 1000 : clock_ns(s->clock);
}

static uint64_t rtc_now(GoldfishRTCState *s)
{
    return (uint64_t)(source_now(s) + s->offset);
}

static void rtc_update_irq(GoldfishRTCState *s)
{
    irq_set(s->irq, s->irq_pending && s->irq_enabled);
}

static void rtc_alarm_fire(void *opaque)
{
    GoldfishRTCState *s = opaque;

    s->alarm_running = false;
    s->irq_pending = true;
    rtc_update_irq(s);
}

static void rtc_arm_alarm(GoldfishRTCState *s)
{
    /* An alarm in the past fires at once (on the next main-loop turn). */
    s->alarm_running = true;
    if (s->wall)
        timer_mod(s->timer, clock_ns(s->clock) +
                                (int64_t)(s->alarm - rtc_now(s)));
    else
        timer_mod(s->timer, (int64_t)(s->alarm - (uint64_t)s->offset));
}

static void rtc_set_time(GoldfishRTCState *s, uint64_t t)
{
    s->offset = (int64_t)(t - (uint64_t)source_now(s));
    if (s->alarm_running)
        rtc_arm_alarm(s);     /* the alarm is in rtc time: move its timer */
}

static uint64_t rtc_read(void *opaque, uint64_t addr, unsigned size)
{
    GoldfishRTCState *s = opaque;
    uint64_t now;

    switch (addr) {
    case GOLDFISH_RTC_TIME_LOW:
        now = rtc_now(s);
        s->time_high_latch = (uint32_t)(now >> 32);
        return (uint32_t)now;
    case GOLDFISH_RTC_TIME_HIGH:
        return s->time_high_latch;
    case GOLDFISH_RTC_ALARM_LOW:
        return (uint32_t)s->alarm;
    case GOLDFISH_RTC_ALARM_HIGH:
        return (uint32_t)(s->alarm >> 32);
    case GOLDFISH_RTC_IRQ_ENABLED:
        return s->irq_enabled;
    case GOLDFISH_RTC_ALARM_STATUS:
        return s->alarm_running;
    default:
        log_mask(LOG_GUEST_ERROR, "goldfish_rtc: read of unknown register 0x%"
                 PRIx64 "\n", addr);
        return 0;
    }
}

static void rtc_write(void *opaque, uint64_t addr, uint64_t val, unsigned size)
{
    GoldfishRTCState *s = opaque;
    uint32_t v = (uint32_t)val;
    uint64_t now;

    switch (addr) {
    case GOLDFISH_RTC_TIME_LOW:
        now = rtc_now(s);
        rtc_set_time(s, (now & ~0xffffffffull) | v);
        break;
    case GOLDFISH_RTC_TIME_HIGH:
        now = rtc_now(s);
        rtc_set_time(s, (now & 0xffffffffull) | ((uint64_t)v << 32));
        break;
    case GOLDFISH_RTC_ALARM_LOW:
        s->alarm = (s->alarm & ~0xffffffffull) | v;
        rtc_arm_alarm(s);
        break;
    case GOLDFISH_RTC_ALARM_HIGH:
        s->alarm = (s->alarm & 0xffffffffull) | ((uint64_t)v << 32);
        break;
    case GOLDFISH_RTC_IRQ_ENABLED:
        s->irq_enabled = v & 1;
        rtc_update_irq(s);
        break;
    case GOLDFISH_RTC_CLEAR_ALARM:
        timer_del(s->timer);
        s->alarm_running = false;
        break;
    case GOLDFISH_RTC_CLEAR_INTERRUPT:
        s->irq_pending = false;
        rtc_update_irq(s);
        break;
    default:
        log_mask(LOG_GUEST_ERROR, "goldfish_rtc: write of 0x%x to unknown "
                 "register 0x%" PRIx64 "\n", v, addr);
        break;
    }
}

static const MemoryRegionOps rtc_ops = {
    .read = rtc_read,
    .write = rtc_write,
    .valid_min = 4,
    .valid_max = 4,
};

void goldfish_rtc_reset(GoldfishRTCState *s)
{
    timer_del(s->timer);
    s->alarm = 0;
    s->time_high_latch = 0;
    s->alarm_running = false;
    s->irq_pending = false;
    s->irq_enabled = false;
    rtc_update_irq(s);
}

void goldfish_rtc_fdt_add(FdtBuilder *b, int parent, uint64_t base,
                          uint32_t intc, uint32_t irq)
{
    int node = fdtb_device_node(b, parent, "rtc", base, GOLDFISH_RTC_SIZE);

    fdtb_prop_irq(b, node, intc, irq);
    fdtb_prop_str(b, node, "compatible", "google,goldfish-rtc");
}

static void rtc_machine_reset(void *opaque)
{
    goldfish_rtc_reset(opaque);
}

GoldfishRTCState *goldfish_rtc_create(MachineState *ms, MemoryRegion *parent,
                                      uint64_t base, IRQLine *irq)
{
    GoldfishRTCState *s = g_new0(GoldfishRTCState, 1);

    s->irq = irq;
    s->clock = TIMER_CLOCK_VIRTUAL;
    s->timer = timer_new(TIMER_CLOCK_VIRTUAL, rtc_alarm_fire, s);
    s->offset = g_get_real_time() * 1000 - clock_ns(TIMER_CLOCK_VIRTUAL);
    goldfish_rtc_reset(s);
    machine_register_reset(ms, rtc_machine_reset, s);
    memory_region_init_io(&s->iomem, &rtc_ops, s, "goldfish_rtc",
                          GOLDFISH_RTC_SIZE);
    memory_region_add_subregion(parent, base, &s->iomem);
    return s;
}

void goldfish_rtc_set_clock(GoldfishRTCState *s, int64_t start_ns, bool wall,
                            TimerClock clock)
{
    timer_free(s->timer);
    s->clock = clock;
    s->wall = wall;
    s->timer = timer_new(clock, rtc_alarm_fire, s);
    s->alarm_running = false;
    rtc_set_time(s, (uint64_t)start_ns);
}
