/*
 * A minimal virtio-mmio (version 2) driver for the bare-metal guest tests:
 * finds a device by ID among the virt board's 8 slots, negotiates
 * VERSION_1 (and INDIRECT_DESC), sets up queue 0 with QSIZE descriptors in
 * static memory, and submits the chain that starts at descriptor 0,
 * waiting (up to 2 s of the 10 MHz timebase) for the device to use it or
 * to give up with DEVICE_NEEDS_RESET.  One device per test program.
 */
#ifndef TCG_RISCV64_VIRTIO_H
#define TCG_RISCV64_VIRTIO_H

#include "lib.h"

#define VIRTIO_SLOT_BASE 0x10001000UL
#define VIRTIO_SLOT_SIZE 0x1000UL
#define VIRTIO_NSLOTS 8

enum {
    VM_MAGIC = 0x000, VM_VERSION = 0x004, VM_DEVICE_ID = 0x008,
    VM_DEV_FEATURES = 0x010, VM_DEV_FEATURES_SEL = 0x014,
    VM_DRV_FEATURES = 0x020, VM_DRV_FEATURES_SEL = 0x024,
    VM_QUEUE_SEL = 0x030, VM_QUEUE_NUM_MAX = 0x034, VM_QUEUE_NUM = 0x038,
    VM_QUEUE_READY = 0x044, VM_QUEUE_NOTIFY = 0x050,
    VM_INT_STATUS = 0x060, VM_INT_ACK = 0x064, VM_STATUS = 0x070,
    VM_DESC_LO = 0x080, VM_DESC_HI = 0x084, VM_AVAIL_LO = 0x090,
    VM_AVAIL_HI = 0x094, VM_USED_LO = 0x0a0, VM_USED_HI = 0x0a4,
    VM_CONFIG = 0x100,
};

enum { S_ACK = 1, S_DRIVER = 2, S_DRIVER_OK = 4, S_FEATURES_OK = 8,
       S_NEEDS_RESET = 64 };
enum { F_NEXT = 1, F_WRITE = 2, F_INDIRECT = 4 };
#define VIRTIO_F_INDIRECT_DESC (1u << 28)

#define QSIZE 8

struct desc { u64 addr; u32 len; u16 flags; u16 next; };
struct avail { u16 flags; u16 idx; u16 ring[QSIZE]; u16 used_event; };
struct used_elem { u32 id; u32 len; };
struct used { u16 flags; u16 idx; struct used_elem ring[QSIZE]; u16 avail_event; };

static struct desc descs[QSIZE] __attribute__((aligned(16)));
static struct avail avail __attribute__((aligned(2)));
static struct used used __attribute__((aligned(4)));
static u16 next_avail;
static volatile u32 *dev;

static inline u32 vrd(unsigned off) { return dev[off / 4]; }
static inline void vwr(unsigned off, u32 v) { dev[off / 4] = v; }
static inline void vfence(void) { __asm__ __volatile__("fence rw, rw" ::: "memory"); }

static inline u64 vnow(void)
{
    u64 t;

    __asm__ __volatile__("rdtime %0" : "=r"(t));
    return t;
}

/* Finds the first device with this ID; false if there is none. */
static inline int virtio_find(u32 device_id)
{
    for (unsigned i = 0; i < VIRTIO_NSLOTS && !dev; i++) {
        volatile u32 *d = (volatile u32 *)(VIRTIO_SLOT_BASE + i * VIRTIO_SLOT_SIZE);

        CHECK_EQ(d[VM_MAGIC / 4], 0x74726976);
        if (d[VM_VERSION / 4] == 2 && d[VM_DEVICE_ID / 4] == device_id)
            dev = d;
    }
    return dev != 0;
}

/* Resets the device and sets up queue 0; features are the low 32
   feature bits the driver accepts (VERSION_1 is always added). */
static inline void virtio_driver_init(u32 features)
{
    vwr(VM_STATUS, 0);
    CHECK_EQ(vrd(VM_STATUS), 0);
    vwr(VM_STATUS, S_ACK);
    vwr(VM_STATUS, S_ACK | S_DRIVER);
    vwr(VM_DEV_FEATURES_SEL, 1);
    CHECK(vrd(VM_DEV_FEATURES) & 1);          /* VERSION_1 offered */
    vwr(VM_DEV_FEATURES_SEL, 0);
    CHECK_EQ(vrd(VM_DEV_FEATURES) & features, features);
    vwr(VM_DRV_FEATURES_SEL, 0);
    vwr(VM_DRV_FEATURES, features);
    vwr(VM_DRV_FEATURES_SEL, 1);
    vwr(VM_DRV_FEATURES, 1);                  /* VERSION_1 */
    vwr(VM_STATUS, S_ACK | S_DRIVER | S_FEATURES_OK);
    CHECK(vrd(VM_STATUS) & S_FEATURES_OK);
    vwr(VM_QUEUE_SEL, 0);
    CHECK_EQ(vrd(VM_QUEUE_READY), 0);
    CHECK(vrd(VM_QUEUE_NUM_MAX) >= QSIZE);
    vwr(VM_QUEUE_NUM, QSIZE);
    for (unsigned i = 0; i < sizeof(avail); i++)
        ((volatile u8 *)&avail)[i] = 0;
    for (unsigned i = 0; i < sizeof(used); i++)
        ((volatile u8 *)&used)[i] = 0;
    next_avail = 0;
    vwr(VM_DESC_LO, (u32)(u64)descs);
    vwr(VM_DESC_HI, (u32)((u64)descs >> 32));
    vwr(VM_AVAIL_LO, (u32)(u64)&avail);
    vwr(VM_AVAIL_HI, (u32)((u64)&avail >> 32));
    vwr(VM_USED_LO, (u32)(u64)&used);
    vwr(VM_USED_HI, (u32)((u64)&used >> 32));
    vwr(VM_QUEUE_READY, 1);
    CHECK_EQ(vrd(VM_QUEUE_READY), 1);
    vwr(VM_STATUS, S_ACK | S_DRIVER | S_FEATURES_OK | S_DRIVER_OK);
}

/* Offers the chain starting at descriptor 0; returns the used entries the
   device added. */
static inline unsigned virtio_submit(void)
{
    u16 before = *(volatile u16 *)&used.idx;
    u64 start;

    avail.ring[next_avail % QSIZE] = 0;
    vfence();
    next_avail++;
    *(volatile u16 *)&avail.idx = next_avail;
    vfence();
    vwr(VM_QUEUE_NOTIFY, 0);
    start = vnow();
    while (vnow() - start < 20000000UL) {
        if (*(volatile u16 *)&used.idx != before || (vrd(VM_STATUS) & S_NEEDS_RESET))
            break;
    }
    vfence();
    if (vrd(VM_INT_STATUS))
        vwr(VM_INT_ACK, vrd(VM_INT_STATUS));
    return (u16)(*(volatile u16 *)&used.idx - before);
}

static inline struct used_elem virtio_last_used(void)
{
    return used.ring[(u16)(used.idx - 1) % QSIZE];
}

#endif
