/*
 * A PCI BAR moved while another hart uses it: hart 1 keeps reading
 * virtio-rng-pci's common configuration at one address while hart 0 moves
 * the modern BAR between that address and another (a config write, so a
 * new memory map published under hart 1's feet).  Every read must be the
 * device's register or the window's all ones, never anything else, and
 * after each move hart 1 must soon see it (within 1,000,000 of its reads:
 * counted in its reads, not in time, so that a loaded host that stops
 * hart 1's thread for a while fails nothing); at the end the device
 * answers at the BAR's last address only.  Run with pci_bar_smp.args (two
 * harts, one thread each).
 */
#include "lib.h"

#define ECAM 0x30000000UL
#define SLOT 1
#define AT_A 0x40010000UL
#define AT_B 0x40020000UL
#define MOVES 50

static volatile u32 *cfg(unsigned off)
{
    return (volatile u32 *)(ECAM + (SLOT << 15) + off);
}

static volatile int started, stop, finished;
static volatile unsigned long seen_dev, seen_ones, seen_bad, last_bad, reads;

/* device_feature_select then device_feature (low half: INDIRECT_DESC,
   EVENT_IDX) at AT_A; the select register is this hart's alone. */
static void hart1_main(void)
{
    volatile u32 *dfsel = (volatile u32 *)(AT_A + 0x00);
    volatile u32 *df = (volatile u32 *)(AT_A + 0x04);

    started = 1;
    while (!stop) {
        u32 v;

        *dfsel = 0;
        v = *df;
        reads++;
        if (v == 0xffffffff)
            seen_ones++;
        else if ((v & 0x30000000) == 0x30000000)
            seen_dev++;
        else {
            seen_bad++;
            last_bad = v;
        }
    }
    finished = 1;
}

static void place(unsigned long at)
{
    *cfg(0x20) = (u32)at | 0xc;
    *cfg(0x24) = 0;
}

/* Waits for *counter to move; 0 if hart 1 read 1,000,000 times first. */
static int moved(volatile unsigned long *counter)
{
    unsigned long before = *counter, r0 = reads;

    while (*counter == before)
        if (reads - r0 > 1000000)
            return 0;
    return 1;
}

int main(void)
{
    unsigned late = 0;

    CHECK_EQ(*cfg(0), 0x10051af4);
    place(AT_A);
    *(volatile u16 *)cfg(0x04) = 2;              /* memory decoding */
    start_secondary(hart1_main);
    while (!started)
        ;
    /* After each move hart 1 soon sees it: all ones where the BAR was,
       the device again once it is back. */
    for (int i = 0; i < MOVES; i++) {
        place(AT_B);
        late += !moved(&seen_ones);
        place(AT_A);
        late += !moved(&seen_dev);
    }
    place(AT_B);
    stop = 1;
    while (!finished)
        ;
    CHECK_EQ(late, 0);
    CHECK_EQ(seen_bad, 0);
    if (seen_bad)
        print_hex(last_bad);
    *(volatile u32 *)(AT_B + 0x00) = 0;
    CHECK_EQ(*(volatile u32 *)(AT_B + 0x04) & 0x30000000, 0x30000000);
    CHECK_EQ(*(volatile u32 *)(AT_A + 0x04), 0xffffffff);
    return test_end();
}
