/*
 * A small virtio driver for unit tests of the virtio core and devices
 * (tests/unit/test-virtio-*.c), playing the guest: a device made by its
 * create function sits behind a virtio-mmio transport on an address space
 * of its own with 4 MiB of RAM, and the test negotiates, lays out split
 * rings in that RAM and posts descriptor chains, good or broken, as a
 * driver would, then looks at what the device wrote back.  No board, no
 * CPU: every device call runs in the test's thread.
 *
 *   VirtIODevice *vdev = virtio_rng_create(&err);
 *   vt_plug(vdev);
 *   vt_start(1ull << VIRTIO_F_VERSION_1, 16);
 *   uint64_t buf = vt_alloc(64, 0);
 *   vt_add(0, (VTBuf[]){ { buf, 64, true } }, 1);
 *   vt_kick(0);
 *   EXPECT_EQ(vt_used_count(0), 1);
 *
 * Each test program includes this once (static functions, one device at a
 * time).  A fuzzing harness can follow the same steps.
 */
#ifndef TESTS_UNIT_VIRTIO_TEST_H
#define TESTS_UNIT_VIRTIO_TEST_H

#include <string.h>

#include <glib.h>

#include "mimic/board.h"
#include "mimic/irq.h"
#include "mimic/memory.h"
#include "mimic/virtio.h"

#define VT_RAM_BASE 0x80000000ull
#define VT_RAM_SIZE (4ull << 20)
#define VT_MMIO_BASE 0x10001000ull
#define VT_RING_AREA 0x4000ull /* per queue: desc, avail, used */
#define VT_BUF_BASE (VT_RAM_BASE + 0x40000)

/* virtio-mmio registers the tests use (virtio spec 4.2.2). */
enum {
    VT_MAGIC = 0x000,
    VT_DEVICE_ID = 0x008,
    VT_DEVICE_FEATURES = 0x010,
    VT_DEVICE_FEATURES_SEL = 0x014,
    VT_DRIVER_FEATURES = 0x020,
    VT_DRIVER_FEATURES_SEL = 0x024,
    VT_QUEUE_SEL = 0x030,
    VT_QUEUE_NUM_MAX = 0x034,
    VT_QUEUE_NUM = 0x038,
    VT_QUEUE_READY = 0x044,
    VT_QUEUE_NOTIFY = 0x050,
    VT_INTERRUPT_STATUS = 0x060,
    VT_INTERRUPT_ACK = 0x064,
    VT_STATUS = 0x070,
    VT_QUEUE_DESC_LOW = 0x080,
    VT_QUEUE_DESC_HIGH = 0x084,
    VT_QUEUE_DRIVER_LOW = 0x090,
    VT_QUEUE_DRIVER_HIGH = 0x094,
    VT_QUEUE_DEVICE_LOW = 0x0a0,
    VT_QUEUE_DEVICE_HIGH = 0x0a4,
    VT_CONFIG = 0x100,
};

enum { VT_F_NEXT = 1, VT_F_WRITE = 2, VT_F_INDIRECT = 4 };

/* One buffer of a chain: guest address, length, device-writable. */
typedef struct VTBuf {
    uint64_t addr;
    uint32_t len;
    bool write;
} VTBuf;

typedef struct VTQueue {
    unsigned num;
    uint64_t desc, avail, used;
    uint16_t avail_idx; /* next avail entry the driver fills */
    uint16_t next_desc; /* next free descriptor (a simple cycle) */
    uint16_t used_seen; /* used entries taken by vt_used_next */
} VTQueue;

static struct {
    bool ready;
    MemoryRegion root, ram;
    AddressSpace as;
    MachineState machine;   /* whose reset list the transports join */
    unsigned nslots;
    uint64_t base; /* the current device's transport */
    VirtIODevice *vdev;
    int nvqs;
    VTQueue q[VIRTIO_QUEUE_MAX];
    uint64_t bump; /* vt_alloc's next address */
    int irq;
} vt;

static inline void vt_irq_handler(void *opaque, int n, int level)
{
    (void)opaque;
    (void)n;
    vt.irq = level;
}

/* The test machine: RAM on an address space of its own. */
static inline void vt_machine(void)
{
    if (vt.ready)
        return;
    memory_region_init(&vt.root, "vt-root", UINT64_MAX);
    memory_region_init_ram(&vt.ram, "vt-ram", VT_RAM_SIZE);
    memory_region_add_subregion(&vt.root, VT_RAM_BASE, &vt.ram);
    address_space_init(&vt.as, &vt.root, "vt");
    vt.ready = true;
}

/* Host pointer to guest RAM at addr (len bytes must be RAM). */
static inline uint8_t *vt_ptr(uint64_t addr, uint64_t len)
{
    uint8_t *p = address_space_ram_ptr(&vt.as, addr, len ? len : 1);

    g_assert(p);
    return p;
}

static inline uint32_t vt_rd(unsigned reg)
{
    uint32_t v = 0;

    address_space_read(&vt.as, vt.base + reg, &v, 4);
    return v;
}

static inline void vt_wr(unsigned reg, uint32_t v)
{
    address_space_write(&vt.as, vt.base + reg, &v, 4);
}

/* Puts vdev on a new transport slot (DMA through the test's RAM); it
   becomes the device the other calls drive. */
static inline void vt_plug(VirtIODevice *vdev)
{
    VirtIOMMIO *t;

    vt_machine();
    g_assert(vdev);
    vt.base = VT_MMIO_BASE + 0x1000ull * vt.nslots++;
    t = virtio_mmio_create(&vt.machine, &vt.root, vt.base, irq_new(vt_irq_handler, NULL, 1));
    vdev->dma_as = &vt.as;
    g_assert(virtio_mmio_plug(t, vdev));
    vt.vdev = vdev;
}

/* Reset; RAM zeroed for buffers; the driver's status bits so far. */
static inline void vt_reset(void)
{
    vt_wr(VT_STATUS, 0);
    memset(vt_ptr(VT_RAM_BASE, VT_RAM_SIZE), 0, VT_RAM_SIZE);
    memset(vt.q, 0, sizeof(vt.q));
    vt.bump = VT_BUF_BASE;
}

static inline bool vt_negotiate(uint64_t features)
{
    vt_wr(VT_STATUS, VIRTIO_STATUS_ACKNOWLEDGE);
    vt_wr(VT_STATUS, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER);
    vt_wr(VT_DRIVER_FEATURES_SEL, 0);
    vt_wr(VT_DRIVER_FEATURES, (uint32_t)features);
    vt_wr(VT_DRIVER_FEATURES_SEL, 1);
    vt_wr(VT_DRIVER_FEATURES, (uint32_t)(features >> 32));
    vt_wr(VT_STATUS, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER |
                         VIRTIO_STATUS_FEATURES_OK);
    return vt_rd(VT_STATUS) & VIRTIO_STATUS_FEATURES_OK;
}

/* Sets up queue n with num entries at its ring area; returns whether
   the device took it (QueueReady reads back 1). */
static inline bool vt_queue_setup(int n, unsigned num)
{
    VTQueue *q = &vt.q[n];
    uint64_t area = VT_RAM_BASE + VT_RING_AREA * (uint64_t)n;

    q->num = num;
    q->desc = area;
    q->avail = area + 0x1000;
    q->used = area + 0x2000;
    q->avail_idx = q->next_desc = q->used_seen = 0;
    vt_wr(VT_QUEUE_SEL, (uint32_t)n);
    vt_wr(VT_QUEUE_NUM, num);
    vt_wr(VT_QUEUE_DESC_LOW, (uint32_t)q->desc);
    vt_wr(VT_QUEUE_DESC_HIGH, (uint32_t)(q->desc >> 32));
    vt_wr(VT_QUEUE_DRIVER_LOW, (uint32_t)q->avail);
    vt_wr(VT_QUEUE_DRIVER_HIGH, (uint32_t)(q->avail >> 32));
    vt_wr(VT_QUEUE_DEVICE_LOW, (uint32_t)q->used);
    vt_wr(VT_QUEUE_DEVICE_HIGH, (uint32_t)(q->used >> 32));
    vt_wr(VT_QUEUE_READY, 1);
    return vt_rd(VT_QUEUE_READY) == 1;
}

static inline void vt_driver_ok(void)
{
    vt_wr(VT_STATUS, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER |
                         VIRTIO_STATUS_FEATURES_OK | VIRTIO_STATUS_DRIVER_OK);
}

/* The whole start-up (spec 3.1.1), each queue of num entries (or its
   QueueNumMax if smaller). */
static inline void vt_start(uint64_t features, unsigned num)
{
    vt_reset();
    g_assert(vt_negotiate(features));
    vt.nvqs = vt.vdev->nvqs;
    for (int i = 0; i < vt.nvqs; i++) {
        vt_wr(VT_QUEUE_SEL, (uint32_t)i);
        g_assert(vt_queue_setup(i, MIN(num, vt_rd(VT_QUEUE_NUM_MAX))));
    }
    vt_driver_ok();
}

static inline bool vt_needs_reset(void)
{
    return vt_rd(VT_STATUS) & VIRTIO_STATUS_NEEDS_RESET;
}

/* len bytes of guest RAM set to fill; returns the guest address. */
static inline uint64_t vt_alloc(uint64_t len, uint8_t fill)
{
    uint64_t addr = (vt.bump + 15) & ~15ull;

    g_assert(addr + len <= VT_RAM_BASE + VT_RAM_SIZE);
    vt.bump = addr + len;
    memset(vt_ptr(addr, len), fill, len);
    return addr;
}

static inline void vt_put16(uint64_t addr, uint16_t v)
{
    uint16_t le = GUINT16_TO_LE(v);

    memcpy(vt_ptr(addr, 2), &le, 2);
}

static inline uint16_t vt_get16(uint64_t addr)
{
    uint16_t le;

    memcpy(&le, vt_ptr(addr, 2), 2);
    return GUINT16_FROM_LE(le);
}

static inline uint32_t vt_get32(uint64_t addr)
{
    uint32_t le;

    memcpy(&le, vt_ptr(addr, 4), 4);
    return GUINT32_FROM_LE(le);
}

/* Writes descriptor i of a table at table (the queue's or indirect). */
static inline void vt_desc_at(uint64_t table, unsigned i, uint64_t addr,
                              uint32_t len, uint16_t flags, uint16_t next)
{
    uint8_t *d = vt_ptr(table + 16ull * i, 16);
    uint64_t a = GUINT64_TO_LE(addr);
    uint32_t l = GUINT32_TO_LE(len);
    uint16_t f = GUINT16_TO_LE(flags), nx = GUINT16_TO_LE(next);

    memcpy(d, &a, 8);
    memcpy(d + 8, &l, 4);
    memcpy(d + 12, &f, 2);
    memcpy(d + 14, &nx, 2);
}

static inline void vt_desc(int n, unsigned i, uint64_t addr, uint32_t len,
                           uint16_t flags, uint16_t next)
{
    vt_desc_at(vt.q[n].desc, i, addr, len, flags, next);
}

/* Makes head the next avail entry and publishes it (no kick). */
static inline void vt_avail_push(int n, uint16_t head)
{
    VTQueue *q = &vt.q[n];

    vt_put16(q->avail + 4 + 2ull * (q->avail_idx % q->num), head);
    q->avail_idx++;
    vt_put16(q->avail + 2, q->avail_idx);
}

/* Posts a chain of n buffers on queue q; returns its head. */
static inline uint16_t vt_add(int qn, const VTBuf *bufs, unsigned n)
{
    VTQueue *q = &vt.q[qn];
    uint16_t head = q->next_desc;

    g_assert(n > 0 && n <= q->num);
    for (unsigned i = 0; i < n; i++) {
        uint16_t d = (uint16_t)((head + i) % q->num);
        uint16_t next = (uint16_t)((d + 1) % q->num);

        vt_desc(qn, d, bufs[i].addr, bufs[i].len,
                (bufs[i].write ? VT_F_WRITE : 0) | (i + 1 < n ? VT_F_NEXT : 0),
                next);
    }
    q->next_desc = (uint16_t)((head + n) % q->num);
    vt_avail_push(qn, head);
    return head;
}

static inline void vt_kick(int n)
{
    vt_wr(VT_QUEUE_NOTIFY, (uint32_t)n);
}

/* Entries the device has put in the used ring so far. */
static inline uint16_t vt_used_idx(int n)
{
    return vt_get16(vt.q[n].used + 2);
}

static inline unsigned vt_used_count(int n)
{
    return (uint16_t)(vt_used_idx(n) - vt.q[n].used_seen);
}

/* The next used entry not yet taken: its head id and length. */
static inline void vt_used_next(int n, uint32_t *id, uint32_t *len)
{
    VTQueue *q = &vt.q[n];
    uint64_t e = q->used + 4 + 8ull * (q->used_seen % q->num);

    *id = vt_get32(e);
    *len = vt_get32(e + 4);
    q->used_seen++;
}

#endif
