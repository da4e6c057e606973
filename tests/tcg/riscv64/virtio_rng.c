/*
 * A virtio-rng device on the virtio-mmio transport (version 2), driven by
 * hand: finds the device among the 8 slots, negotiates VERSION_1, sets up
 * queue 0 and gets random bytes; then checks that a driver that breaks the
 * ring rules (a descriptor chain that loops, a buffer outside RAM, a next
 * index out of range, a nested indirect table) gets the device marked
 * DEVICE_NEEDS_RESET without filling anything, and that after a reset the
 * device works again.  Run with the arguments in virtio_rng.args.
 */
#include "lib.h"

#define SLOT_BASE 0x10001000UL
#define SLOT_SIZE 0x1000UL
#define NSLOTS 8

enum {
    MAGIC = 0x000, VERSION = 0x004, DEVICE_ID = 0x008,
    DEV_FEATURES = 0x010, DEV_FEATURES_SEL = 0x014,
    DRV_FEATURES = 0x020, DRV_FEATURES_SEL = 0x024,
    QUEUE_SEL = 0x030, QUEUE_NUM_MAX = 0x034, QUEUE_NUM = 0x038,
    QUEUE_READY = 0x044, QUEUE_NOTIFY = 0x050,
    INT_STATUS = 0x060, INT_ACK = 0x064, STATUS = 0x070,
    DESC_LO = 0x080, DESC_HI = 0x084, AVAIL_LO = 0x090, AVAIL_HI = 0x094,
    USED_LO = 0x0a0, USED_HI = 0x0a4,
};

enum { S_ACK = 1, S_DRIVER = 2, S_DRIVER_OK = 4, S_FEATURES_OK = 8,
       S_NEEDS_RESET = 64 };
enum { F_NEXT = 1, F_WRITE = 2, F_INDIRECT = 4 };

#define QSIZE 8

struct desc { u64 addr; u32 len; u16 flags; u16 next; };
struct avail { u16 flags; u16 idx; u16 ring[QSIZE]; u16 used_event; };
struct used_elem { u32 id; u32 len; };
struct used { u16 flags; u16 idx; struct used_elem ring[QSIZE]; u16 avail_event; };

static struct desc descs[QSIZE] __attribute__((aligned(16)));
static struct desc indirect[4] __attribute__((aligned(16)));
static struct avail avail __attribute__((aligned(2)));
static struct used used __attribute__((aligned(4)));
static u8 buf[64] __attribute__((aligned(8)));
static u16 next_avail;
static volatile u32 *dev;

static u32 rd(unsigned off) { return dev[off / 4]; }
static void wr(unsigned off, u32 v) { dev[off / 4] = v; }

static void fence(void) { __asm__ __volatile__("fence rw, rw" ::: "memory"); }

static void driver_init(void)
{
    wr(STATUS, 0);
    CHECK_EQ(rd(STATUS), 0);
    wr(STATUS, S_ACK);
    wr(STATUS, S_ACK | S_DRIVER);
    wr(DEV_FEATURES_SEL, 1);
    CHECK(rd(DEV_FEATURES) & 1);          /* VERSION_1 offered */
    wr(DRV_FEATURES_SEL, 0);
    wr(DRV_FEATURES, 1u << 28);           /* INDIRECT_DESC */
    wr(DRV_FEATURES_SEL, 1);
    wr(DRV_FEATURES, 1);                  /* VERSION_1 */
    wr(STATUS, S_ACK | S_DRIVER | S_FEATURES_OK);
    CHECK(rd(STATUS) & S_FEATURES_OK);
    wr(QUEUE_SEL, 0);
    CHECK_EQ(rd(QUEUE_READY), 0);
    CHECK(rd(QUEUE_NUM_MAX) >= QSIZE);
    wr(QUEUE_NUM, QSIZE);
    for (unsigned i = 0; i < sizeof(avail); i++)
        ((volatile u8 *)&avail)[i] = 0;
    for (unsigned i = 0; i < sizeof(used); i++)
        ((volatile u8 *)&used)[i] = 0;
    next_avail = 0;
    wr(DESC_LO, (u32)(u64)descs);
    wr(DESC_HI, (u32)((u64)descs >> 32));
    wr(AVAIL_LO, (u32)(u64)&avail);
    wr(AVAIL_HI, (u32)((u64)&avail >> 32));
    wr(USED_LO, (u32)(u64)&used);
    wr(USED_HI, (u32)((u64)&used >> 32));
    wr(QUEUE_READY, 1);
    CHECK_EQ(rd(QUEUE_READY), 1);
    wr(STATUS, S_ACK | S_DRIVER | S_FEATURES_OK | S_DRIVER_OK);
}

static u64 now(void)
{
    u64 t;

    __asm__ __volatile__("rdtime %0" : "=r"(t));
    return t;
}

/* Offers the chain starting at descriptor 0; returns the used entries
   the device added, waiting up to 2 s (10 MHz timebase) for an entry or
   for the device to give up on the chain. */
static unsigned submit(void)
{
    u16 before = *(volatile u16 *)&used.idx;
    u64 start;

    avail.ring[next_avail % QSIZE] = 0;
    fence();
    next_avail++;
    *(volatile u16 *)&avail.idx = next_avail;
    fence();
    wr(QUEUE_NOTIFY, 0);
    start = now();
    while (now() - start < 20000000UL) {
        if (*(volatile u16 *)&used.idx != before || (rd(STATUS) & S_NEEDS_RESET))
            break;
    }
    fence();
    return (u16)(*(volatile u16 *)&used.idx - before);
}

static void good_request(void)
{
    unsigned zeros = 0;

    for (unsigned i = 0; i < sizeof(buf); i++)
        buf[i] = 0;
    descs[0] = (struct desc){ (u64)buf, sizeof(buf), F_WRITE, 0 };
    CHECK_EQ(submit(), 1);
    CHECK_EQ(used.ring[(u16)(used.idx - 1) % QSIZE].id, 0);
    CHECK_EQ(used.ring[(u16)(used.idx - 1) % QSIZE].len, sizeof(buf));
    for (unsigned i = 0; i < sizeof(buf); i++)
        zeros += buf[i] == 0;
    CHECK(zeros < 16);                    /* random, not left as zeros */
    CHECK_EQ(rd(STATUS) & S_NEEDS_RESET, 0);
    if (rd(INT_STATUS) & 1)
        wr(INT_ACK, 1);
}

/* Submits the broken chain set up in descs[]: nothing may be used, and
   the device must ask for a reset; then resets and checks it works. */
static void bad_request(const char *what)
{
    unsigned n = submit();

    if (n != 0 || !(rd(STATUS) & S_NEEDS_RESET)) {
        uart_puts("bad chain accepted: ");
        uart_puts(what);
        uart_puts("\n");
    }
    CHECK_EQ(n, 0);
    CHECK(rd(STATUS) & S_NEEDS_RESET);
    driver_init();
    good_request();
}

int main(void)
{
    for (unsigned i = 0; i < NSLOTS && !dev; i++) {
        volatile u32 *d = (volatile u32 *)(SLOT_BASE + i * SLOT_SIZE);

        CHECK_EQ(d[MAGIC / 4], 0x74726976);
        if (d[VERSION / 4] == 2 && d[DEVICE_ID / 4] == 4)
            dev = d;
    }
    CHECK(dev != 0);
    if (!dev)
        return test_end();

    driver_init();
    good_request();
    good_request();

    /* 0 -> 1 -> 0 -> ... */
    descs[0] = (struct desc){ (u64)buf, 8, F_WRITE | F_NEXT, 1 };
    descs[1] = (struct desc){ (u64)buf + 8, 8, F_WRITE | F_NEXT, 0 };
    bad_request("loop");

    /* A buffer far outside RAM. */
    descs[0] = (struct desc){ 0x4000000000UL, 64, F_WRITE, 0 };
    bad_request("outside RAM");

    /* next names a descriptor past the ring. */
    descs[0] = (struct desc){ (u64)buf, 8, F_WRITE | F_NEXT, 100 };
    bad_request("next out of range");

    /* An indirect table that holds another indirect descriptor. */
    indirect[0] = (struct desc){ (u64)indirect, 16, F_INDIRECT, 0 };
    descs[0] = (struct desc){ (u64)indirect, sizeof(indirect), F_INDIRECT, 0 };
    bad_request("nested indirect");

    /* A good indirect chain works. */
    indirect[0] = (struct desc){ (u64)buf, 16, F_WRITE | F_NEXT, 1 };
    indirect[1] = (struct desc){ (u64)buf + 16, 16, F_WRITE, 0 };
    descs[0] = (struct desc){ (u64)indirect, 2 * sizeof(struct desc), F_INDIRECT, 0 };
    CHECK_EQ(submit(), 1);
    CHECK_EQ(used.ring[(u16)(used.idx - 1) % QSIZE].len, 32);
    CHECK_EQ(rd(STATUS) & S_NEEDS_RESET, 0);

    return test_end();
}
