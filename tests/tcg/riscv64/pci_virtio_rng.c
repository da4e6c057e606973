/*
 * PCI on the virt board, driven by hand through ECAM: enumerates bus 0
 * (the host bridge at 00:00.0, a virtio-rng-pci, nothing elsewhere),
 * checks the function's header as QEMU 7.2 makes it (transitional IDs,
 * class, subsystem, pin, capability list), sizes its BARs, programs them
 * and the command register, finds the modern virtio structures through the
 * vendor capabilities, gets random bytes through queue 0 with INTx raised
 * on the PLIC and cleared by reading the ISR; then moves the modern BAR
 * into the 64-bit window, checks the old address no longer decodes, and
 * uses the device again at the new one.  Run with pci_virtio_rng.args;
 * passes under qemu-system-riscv64 too.
 */
#include "lib.h"

#define ECAM 0x30000000UL
#define PCI_MMIO 0x40000000UL
#define PCI_MMIO_HIGH 0x400000000UL
#define PIO 0x03000000UL
#define PLIC_PENDING 0x0c001000UL

#define SLOT 1                    /* the first -device */
#define MODERN_AT PCI_MMIO + 0x10000
#define MOVED_TO PCI_MMIO_HIGH + 0x8000

#define QSIZE 8

struct desc { u64 addr; u32 len; u16 flags; u16 next; };
struct avail { u16 flags; u16 idx; u16 ring[QSIZE]; u16 used_event; };
struct used_elem { u32 id; u32 len; };
struct used { u16 flags; u16 idx; struct used_elem ring[QSIZE]; u16 avail_event; };

static struct desc descs[QSIZE] __attribute__((aligned(16)));
static struct avail avail __attribute__((aligned(2)));
static struct used used __attribute__((aligned(4)));
static u8 buf[64] __attribute__((aligned(8)));
static u16 next_avail;

static volatile u8 *cfg_base(unsigned slot)
{
    return (volatile u8 *)(ECAM + ((u64)slot << 15));
}
static u32 cfg32(unsigned slot, unsigned off)
{
    return *(volatile u32 *)(cfg_base(slot) + off);
}
static u16 cfg16(unsigned slot, unsigned off)
{
    return *(volatile u16 *)(cfg_base(slot) + off);
}
static u8 cfg8(unsigned slot, unsigned off)
{
    return cfg_base(slot)[off];
}
static void cfg_w32(unsigned slot, unsigned off, u32 v)
{
    *(volatile u32 *)(cfg_base(slot) + off) = v;
}
static void cfg_w16(unsigned slot, unsigned off, u16 v)
{
    *(volatile u16 *)(cfg_base(slot) + off) = v;
}
static void fence(void)
{
    __asm__ __volatile__("fence rw, rw" ::: "memory");
}
static u64 now(void)
{
    u64 t;

    __asm__ __volatile__("rdtime %0" : "=r"(t));
    return t;
}

/* Where the virtio structures are, as offsets in the modern BAR. */
static struct {
    u32 common, isr, device, notify, notify_mult;
    unsigned found, msix;
} caps;

static void find_caps(void)
{
    unsigned guard = 0;

    CHECK(cfg16(SLOT, 0x06) & 0x10);           /* capability list */
    for (u8 p = cfg8(SLOT, 0x34); p && guard < 16; p = cfg8(SLOT, p + 1), guard++) {
        u8 id = cfg8(SLOT, p);

        if (id == 0x11) {                      /* MSI-X, in BAR1 */
            caps.msix = p;
            CHECK_EQ(cfg32(SLOT, p + 4) & 7, 1);
            CHECK_EQ(cfg32(SLOT, p + 8), 0x801);
            continue;
        }
        CHECK_EQ(id, 0x09);                     /* vendor-specific */
        if (cfg8(SLOT, p + 3) == 5)             /* PCI config access */
            continue;
        CHECK_EQ(cfg8(SLOT, p + 4), 4);         /* in BAR4 */
        switch (cfg8(SLOT, p + 3)) {
        case 1: caps.common = cfg32(SLOT, p + 8); caps.found |= 1; break;
        case 2:
            caps.notify = cfg32(SLOT, p + 8);
            caps.notify_mult = cfg32(SLOT, p + 16);
            caps.found |= 2;
            break;
        case 3: caps.isr = cfg32(SLOT, p + 8); caps.found |= 4; break;
        case 4: caps.device = cfg32(SLOT, p + 8); caps.found |= 8; break;
        }
    }
    CHECK_EQ(caps.found, 15);
    CHECK(caps.msix != 0);
    /* QEMU's layout. */
    CHECK_EQ(caps.common, 0);
    CHECK_EQ(caps.isr, 0x1000);
    CHECK_EQ(caps.device, 0x2000);
    CHECK_EQ(caps.notify, 0x3000);
    CHECK_EQ(caps.notify_mult, 4);
}

static void enumerate(void)
{
    unsigned present = 0;

    CHECK_EQ(cfg32(0, 0x00), 0x00081b36);       /* gpex host bridge */
    CHECK_EQ(cfg32(0, 0x08) >> 8, 0x060000);
    CHECK_EQ(cfg32(SLOT, 0x00), 0x10051af4);    /* transitional rng */
    CHECK_EQ(cfg32(SLOT, 0x08), 0x00ff0000);    /* class 00ff, rev 0 */
    CHECK_EQ(cfg32(SLOT, 0x2c), 0x00041af4);    /* subsystem: rng */
    CHECK_EQ(cfg8(SLOT, 0x3d), 1);              /* INTA */
    CHECK_EQ(cfg8(SLOT, 0x0e), 0);              /* type 0, one function */
    for (unsigned s = 0; s < 32; s++) {
        if (cfg16(s, 0) != 0xffff)
            present++;
    }
    CHECK_EQ(present, 2);
    CHECK_EQ(cfg32(5, 0), 0xffffffff);          /* an empty slot */
    CHECK_EQ(cfg32(SLOT, 0x100), 0xffffffff);   /* conventional: 256 bytes */
    /* Another bus: nothing there. */
    CHECK_EQ(*(volatile u32 *)(ECAM + (1UL << 20)), 0xffffffff);
}

/* Writes all ones to the BAR and returns what reads back, restoring 0. */
static u32 size_bar(unsigned n)
{
    u32 v;

    cfg_w32(SLOT, 0x10 + 4 * n, 0xffffffff);
    v = cfg32(SLOT, 0x10 + 4 * n);
    cfg_w32(SLOT, 0x10 + 4 * n, 0);
    return v;
}

static void size_bars(void)
{
    CHECK_EQ(cfg32(SLOT, 0x10), 1);             /* I/O */
    CHECK_EQ(cfg32(SLOT, 0x20), 0xc);           /* 64-bit prefetchable */
    CHECK_EQ(size_bar(0), 0xffffffe1);          /* 32 bytes of I/O */
    CHECK_EQ(size_bar(1), 0xfffff000);          /* 4 KiB, MSI-X */
    CHECK_EQ(size_bar(2), 0);
    CHECK_EQ(size_bar(3), 0);
    CHECK_EQ(size_bar(4), 0xffffc00c);          /* 16 KiB */
    CHECK_EQ(size_bar(5), 0xffffffff);          /* BAR4's high half */
}

static volatile u8 *modern;

static volatile u32 *c32(unsigned off) { return (volatile u32 *)(modern + caps.common + off); }
static volatile u16 *c16(unsigned off) { return (volatile u16 *)(modern + caps.common + off); }
static volatile u8 *c8(unsigned off) { return modern + caps.common + off; }

static void driver_init(void)
{
    *c8(0x14) = 0;                               /* reset */
    CHECK_EQ(*c8(0x14), 0);
    *c8(0x14) = 1;
    *c8(0x14) = 3;
    *c32(0x00) = 1;
    CHECK(*c32(0x04) & 1);                       /* VERSION_1 */
    *c32(0x08) = 0;
    *c32(0x0c) = 0;
    *c32(0x08) = 1;
    *c32(0x0c) = 1;
    *c8(0x14) = 3 | 8;
    CHECK(*c8(0x14) & 8);                        /* FEATURES_OK stuck */
    CHECK_EQ(*c16(0x12), 1);                     /* one queue */
    *c16(0x16) = 0;
    CHECK(*c16(0x18) >= QSIZE);
    *c16(0x18) = QSIZE;
    memset(&avail, 0, sizeof(avail));
    memset(&used, 0, sizeof(used));
    next_avail = 0;
    *c32(0x20) = (u32)(u64)descs;
    *c32(0x24) = (u32)((u64)descs >> 32);
    *c32(0x28) = (u32)(u64)&avail;
    *c32(0x2c) = (u32)((u64)&avail >> 32);
    *c32(0x30) = (u32)(u64)&used;
    *c32(0x34) = (u32)((u64)&used >> 32);
    *c16(0x1c) = 1;
    CHECK_EQ(*c16(0x1c), 1);
    *c8(0x14) = 3 | 8 | 4;                       /* DRIVER_OK */
}

static int plic_pending(unsigned src)
{
    return (*(volatile u32 *)(PLIC_PENDING + 4 * (src / 32)) >> (src % 32)) & 1;
}

/* Gets 64 random bytes through queue 0. */
static void get_random(void)
{
    u16 before = used.idx, noff;
    unsigned zeros = 0;
    u64 start;

    memset(buf, 0, sizeof(buf));
    descs[0] = (struct desc){ (u64)buf, sizeof(buf), 2, 0 };
    avail.ring[next_avail % QSIZE] = 0;
    fence();
    next_avail++;
    *(volatile u16 *)&avail.idx = next_avail;
    fence();
    *c16(0x16) = 0;
    noff = *c16(0x1e);
    *(volatile u16 *)(modern + caps.notify + noff * caps.notify_mult) = 0;
    start = now();
    while (*(volatile u16 *)&used.idx == before && now() - start < 20000000UL)
        ;
    fence();
    CHECK_EQ((u16)(*(volatile u16 *)&used.idx - before), 1);
    CHECK_EQ(used.ring[before % QSIZE].len, sizeof(buf));
    for (unsigned i = 0; i < sizeof(buf); i++)
        zeros += buf[i] == 0;
    CHECK(zeros < 16);
    /* INTA of slot 1 is PLIC source 32 + 1; the ISR read clears it. */
    CHECK(plic_pending(33));
    CHECK_EQ(modern[caps.isr] & 1, 1);
    CHECK_EQ(modern[caps.isr], 0);
    CHECK_EQ(cfg16(SLOT, 0x06) & 0x08, 0);       /* status: INTx low */
}

/* Nothing decodes at base (a window of the host bridge): a master abort
   reads all ones and drops writes, without a fault, as on QEMU. */
static void unmapped(u64 base)
{
    trap_expect(TRAP_SKIP);
    CHECK_EQ(*(volatile u32 *)(base + caps.common + 0x04), 0xffffffff);
    CHECK_EQ(*(volatile u8 *)(base + caps.common + 0x14), 0xff);
    *(volatile u8 *)(base + caps.common + 0x14) = 0;    /* would reset */
    CHECK_NO_TRAP();
}

int main(void)
{
    enumerate();
    size_bars();
    find_caps();
    cfg_w32(SLOT, 0x10, 0x1000);                  /* I/O port 0x1000 */
    cfg_w32(SLOT, 0x14, PCI_MMIO);
    cfg_w32(SLOT, 0x20, (u32)(MODERN_AT));
    cfg_w32(SLOT, 0x24, 0);
    modern = (volatile u8 *)(MODERN_AT);
    cfg_w16(SLOT, 0x04, 7);                       /* I/O, memory, master */
    CHECK_EQ(cfg16(SLOT, 0x04), 7);
    CHECK_EQ(cfg32(SLOT, 0x20), (u32)(MODERN_AT) | 0xc);
    /* The legacy block answers at its port: INDIRECT_DESC and EVENT_IDX
       among its features. */
    CHECK_EQ(*(volatile u32 *)(PIO + 0x1000) & 0x30000000, 0x30000000);
    CHECK_EQ(*(volatile u32 *)(PIO + 0x1400), 0xffffffff);  /* no device */

    driver_init();
    get_random();
    get_random();

    /* Move the modern BAR into the 64-bit window, with decoding off
       while both halves change. */
    cfg_w16(SLOT, 0x04, 5);
    cfg_w32(SLOT, 0x20, (u32)(MOVED_TO));
    cfg_w32(SLOT, 0x24, (u32)((MOVED_TO) >> 32));
    cfg_w16(SLOT, 0x04, 7);
    CHECK_EQ(cfg32(SLOT, 0x24), (u32)((MOVED_TO) >> 32));
    /* The old address decodes nothing: all ones, no fault, and a write
       there reaches no device (the status stays). */
    unmapped(MODERN_AT);
    modern = (volatile u8 *)(MOVED_TO);
    CHECK_EQ(*c8(0x14), 3 | 8 | 4);               /* same device state */
    get_random();
    driver_init();
    get_random();

    /* Memory decoding off: the BAR is gone. */
    cfg_w16(SLOT, 0x04, 5);
    unmapped(MOVED_TO);
    CHECK_EQ(*(volatile u32 *)(PCI_MMIO + 0x30000000), 0xffffffff);
    return test_end();
}
