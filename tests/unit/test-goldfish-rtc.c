/* needs: riscv64-softmmu */
/*
 * Tests of the Goldfish RTC (hw/rtc/goldfish_rtc.c) as Linux's
 * rtc-goldfish driver uses it: the time is the host's wall clock in ns
 * (TIME_LOW latches TIME_HIGH), setting it, and an alarm that raises the
 * interrupt line through the main loop when enabled.
 */
#include <glib.h>

#include "mimic/board.h"
#include "mimic/goldfish_rtc.h"
#include "mimic/irq.h"
#include "mimic/memory.h"
#include "mimic/timer.h"
#include "unit.h"

#define BASE 0x101000ull

static MemoryRegion root;
static AddressSpace as;
static GoldfishRTCState *rtc;
/* The machine whose reset list the RTC joins: the tests reset it as a
   system reset does. */
static MachineState machine;
static int line;

static void irq_handler(void *opaque, int n, int level)
{
    line = level;
}

static void setup(void)
{
    if (!rtc) {
        memory_region_init(&root, "root", UINT64_MAX);
        address_space_init(&as, &root, "as");
        rtc = goldfish_rtc_create(&machine, &root, BASE, irq_new(irq_handler, NULL, 11));
        timers_attach(g_main_context_default());
    }
    machine_reset_devices(&machine);
}

static uint32_t rd(unsigned reg)
{
    uint32_t v = 0xdead;

    EXPECT_EQ(address_space_read(&as, BASE + reg, &v, 4), MEMTX_OK);
    return v;
}

static void wr(unsigned reg, uint32_t v)
{
    EXPECT_EQ(address_space_write(&as, BASE + reg, &v, 4), MEMTX_OK);
}

static uint64_t rtc_time(void)
{
    uint64_t lo = rd(GOLDFISH_RTC_TIME_LOW);

    return lo | (uint64_t)rd(GOLDFISH_RTC_TIME_HIGH) << 32;
}

TEST(time_is_wall_clock_ns)
{
    int64_t host = g_get_real_time() * 1000;
    uint64_t t;

    setup();
    t = rtc_time();
    EXPECT((int64_t)t - host > -1000000000ll && (int64_t)t - host < 1000000000ll);
    g_usleep(10000);
    EXPECT(rtc_time() - t >= 10000000);
}

TEST(set_time)
{
    uint64_t want = 1000000000ull * 86400 * 365 * 30, t;   /* about 2000 */

    setup();
    wr(GOLDFISH_RTC_TIME_HIGH, (uint32_t)(want >> 32));
    wr(GOLDFISH_RTC_TIME_LOW, (uint32_t)want);
    t = rtc_time();
    EXPECT(t >= want && t - want < 1000000000ull);
}

TEST(alarm_raises_irq_when_enabled)
{
    uint64_t at;
    int64_t start;

    setup();
    wr(GOLDFISH_RTC_IRQ_ENABLED, 1);
    at = rtc_time() + 5000000;           /* 5 ms */
    wr(GOLDFISH_RTC_ALARM_HIGH, (uint32_t)(at >> 32));
    wr(GOLDFISH_RTC_ALARM_LOW, (uint32_t)at);
    EXPECT_EQ(rd(GOLDFISH_RTC_ALARM_STATUS), 1);
    EXPECT_EQ(rd(GOLDFISH_RTC_ALARM_LOW), (uint32_t)at);
    EXPECT(!line);
    start = clock_ns(TIMER_CLOCK_HOST);
    while (!line && clock_ns(TIMER_CLOCK_HOST) - start < 2000000000)
        g_main_context_iteration(NULL, TRUE);
    EXPECT(line);
    EXPECT(rtc_time() >= at);
    EXPECT_EQ(rd(GOLDFISH_RTC_ALARM_STATUS), 0);
    wr(GOLDFISH_RTC_CLEAR_INTERRUPT, 1);
    EXPECT(!line);
}

TEST(alarm_without_enable_and_clear_alarm)
{
    uint64_t at;

    setup();
    at = rtc_time();                     /* already due */
    wr(GOLDFISH_RTC_ALARM_HIGH, (uint32_t)(at >> 32));
    wr(GOLDFISH_RTC_ALARM_LOW, (uint32_t)at);
    for (int i = 0; i < 10; i++)
        g_main_context_iteration(NULL, FALSE);
    g_usleep(2000);
    g_main_context_iteration(NULL, FALSE);
    EXPECT(!line);                       /* pending but not enabled */
    wr(GOLDFISH_RTC_IRQ_ENABLED, 1);
    EXPECT(line);
    wr(GOLDFISH_RTC_CLEAR_INTERRUPT, 1);
    EXPECT(!line);
    at = rtc_time() + 1000000000ull;
    wr(GOLDFISH_RTC_ALARM_HIGH, (uint32_t)(at >> 32));
    wr(GOLDFISH_RTC_ALARM_LOW, (uint32_t)at);
    EXPECT_EQ(rd(GOLDFISH_RTC_ALARM_STATUS), 1);
    wr(GOLDFISH_RTC_CLEAR_ALARM, 1);
    EXPECT_EQ(rd(GOLDFISH_RTC_ALARM_STATUS), 0);
}

int main(void)
{
    return unit_run();
}
