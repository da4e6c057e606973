/* needs: riscv64-softmmu */
/*
 * Fuzzes the virtqueue walk (hw/virtio/virtio.c: split rings, descriptor
 * chains, indirect tables, loops, lengths, buffers outside RAM or on
 * MMIO) and the virtio device models behind it: blk, net (transmit and
 * receive), rng, gpu, and the keyboard, tablet and mouse.  The input is
 * guest memory: it is copied to the start of the RAM of a -M virt
 * machine, and its first bytes (struct Header) say how the driver sets
 * the device up through its virtio-mmio registers: which device, the
 * features to accept, each queue's size and ring addresses, and which
 * queues to notify.  Whatever the rings say, the device must fail
 * cleanly (DEVICE_NEEDS_RESET), never crash the host.
 */
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "fuzz.h"
#include "mimic/block.h"
#include "mimic/irq.h"
#include "mimic/net.h"
#include "mimic/ui.h"
#include "mimic/virtio-devices.h"
#include "mimic/virtio.h"

#define RAM_BASE 0x80000000ull
#define GUEST_MEM (64u << 10)   /* the part of RAM an input fills */
#define MMIO_BASE 0x18000000ull /* free in the virt memory map (0x60000000, used before, is in the PCIe window) */
#define DISK_SIZE (1u << 20)

/* virtio-mmio registers (virtio spec 4.2.2). */
enum {
    MMIO_DEVICE_FEATURES = 0x010,
    MMIO_DEVICE_FEATURES_SEL = 0x014,
    MMIO_DRIVER_FEATURES = 0x020,
    MMIO_DRIVER_FEATURES_SEL = 0x024,
    MMIO_QUEUE_SEL = 0x030,
    MMIO_QUEUE_NUM = 0x038,
    MMIO_QUEUE_READY = 0x044,
    MMIO_QUEUE_NOTIFY = 0x050,
    MMIO_INTERRUPT_ACK = 0x064,
    MMIO_STATUS = 0x070,
    MMIO_QUEUE_DESC_LOW = 0x080,
    MMIO_QUEUE_DRIVER_LOW = 0x090,
    MMIO_QUEUE_DEVICE_LOW = 0x0a0,
    MMIO_CONFIG = 0x100,
};

enum {
    DEV_BLK,
    DEV_NET,
    DEV_RNG,
    DEV_GPU,
    DEV_KBD,
    DEV_TABLET,
    DEV_MOUSE,
    NDEVS
};

/* The start of the input (little-endian).  A ring address is an offset
   into RAM, or with bit 31 set an absolute address below 2 GiB (MMIO,
   holes). */
typedef struct Header {
    uint8_t device;
    uint8_t rounds;    /* notifications (and rx frames, events) */
    uint16_t notify;   /* bit r: round r notifies queue 1, not 0 */
    uint32_t features; /* accepted: bits 0-23 and 28-29 */
    struct {
        uint16_t num;
        uint16_t rx_len; /* net: a frame of this many input bytes */
        uint32_t desc, avail, used;
    } q[2];
    uint32_t config; /* written to the config space */
} Header;

static VirtIODevice *devs[NDEVS];
static NetBackend *net_nb;

static void no_irq(void *opaque, int n, int level)
{
}

static void no_send(void *opaque, const uint8_t *buf, size_t len)
{
}

static VirtIODevice *create(int i)
{
    g_autofree char *disk = NULL;
    char *err = NULL;
    VirtIODevice *d = NULL;
    BlockBackend *blk;

    switch (i) {
    case DEV_BLK:
        disk = fuzz_path("disk");
        if (blk_create(disk, "raw", DISK_SIZE, NULL, &err) == 0 &&
            (blk = blk_open(disk, "raw", BLK_CACHE_UNSAFE, &err)))
            d = virtio_blk_create(blk, "fuzz", &err);
        break;
    case DEV_NET:
        /* A backend wired to us: the guest's frames go nowhere. */
        net_nb = net_backend_new_callback("fuzznet", no_send, NULL, &err);
        if (net_nb)
            d = virtio_net_create("fuzznet", NULL, &err);
        break;
    case DEV_RNG:
        d = virtio_rng_create(&err);
        break;
    case DEV_GPU:
        d = virtio_gpu_create(NULL, NULL, &err);
        break;
    case DEV_KBD:
        d = virtio_keyboard_create(&err);
        break;
    case DEV_TABLET:
        d = virtio_tablet_create(&err);
        break;
    case DEV_MOUSE:
        d = virtio_mouse_create(&err);
        break;
    }
    if (!d) {
        fprintf(stderr, "fuzz: device %d: %s\n", i, err);
        abort();
    }
    return d;
}

static void setup(void)
{
    MachineState *ms = fuzz_machine();

    if (address_space_lookup(&address_space_memory, MMIO_BASE).mr) {
        fprintf(stderr, "fuzz: 0x%llx is taken\n", MMIO_BASE);
        abort();
    }
    for (int i = 0; i < NDEVS; i++) {
        VirtIOMMIO *t =
            virtio_mmio_create(ms, get_system_memory(), MMIO_BASE + 0x1000 * i,
                               irq_new(no_irq, NULL, 0));

        devs[i] = create(i);
        virtio_mmio_plug(t, devs[i]);
    }
    address_space_update(&address_space_memory);
}

static void reg_write(int dev, uint64_t reg, uint32_t v)
{
    address_space_write(&address_space_memory, MMIO_BASE + 0x1000 * dev + reg,
                        &v, 4);
}

static uint32_t reg_read(int dev, uint64_t reg)
{
    uint32_t v = 0;

    address_space_read(&address_space_memory, MMIO_BASE + 0x1000 * dev + reg,
                       &v, 4);
    return v;
}

static uint64_t ring_addr(uint32_t a)
{
    return a & 0x80000000u ? a & 0x7fffffffu : RAM_BASE + a;
}

static void set_up_queue(int dev, int q, const Header *h)
{
    uint64_t desc = ring_addr(h->q[q].desc), avail = ring_addr(h->q[q].avail),
             used = ring_addr(h->q[q].used);

    reg_write(dev, MMIO_QUEUE_SEL, q);
    reg_write(dev, MMIO_QUEUE_NUM, h->q[q].num);
    reg_write(dev, MMIO_QUEUE_DESC_LOW, (uint32_t)desc);
    reg_write(dev, MMIO_QUEUE_DESC_LOW + 4, (uint32_t)(desc >> 32));
    reg_write(dev, MMIO_QUEUE_DRIVER_LOW, (uint32_t)avail);
    reg_write(dev, MMIO_QUEUE_DRIVER_LOW + 4, (uint32_t)(avail >> 32));
    reg_write(dev, MMIO_QUEUE_DEVICE_LOW, (uint32_t)used);
    reg_write(dev, MMIO_QUEUE_DEVICE_LOW + 4, (uint32_t)(used >> 32));
    reg_write(dev, MMIO_QUEUE_READY, 1);
}

/* Features as a driver would: some of what the device offers. */
static void negotiate(int dev, uint32_t want)
{
    uint32_t lo, hi;

    reg_write(dev, MMIO_DEVICE_FEATURES_SEL, 0);
    lo = reg_read(dev, MMIO_DEVICE_FEATURES);
    reg_write(dev, MMIO_DEVICE_FEATURES_SEL, 1);
    hi = reg_read(dev, MMIO_DEVICE_FEATURES);
    reg_write(dev, MMIO_DRIVER_FEATURES_SEL, 0);
    reg_write(dev, MMIO_DRIVER_FEATURES, lo & want & 0x30ffffffu);
    reg_write(dev, MMIO_DRIVER_FEATURES_SEL, 1);
    reg_write(dev, MMIO_DRIVER_FEATURES, hi);
}

/* What arrives from outside between notifications: a frame from the
   network, a key or pointer event. */
static void outside_event(int dev, const Header *h, int r, const uint8_t *data,
                          size_t size)
{
    size_t len = h->q[r & 1].rx_len, off = sizeof(Header) + 64 * (size_t)r;

    switch (dev) {
    case DEV_NET:
        /* Every network backend sends whole Ethernet frames (a header at
           least), never an empty one. */
        if (off < size && MIN(len, size - off) >= 14)
            net_backend_inject(net_nb, data + off, MIN(len, size - off));
        break;
    case DEV_KBD:
        ui_input_event(INPUT_EVENT_KEY, 30 + r, !(r & 1));
        ui_input_sync();
        break;
    case DEV_TABLET:
        ui_input_event(INPUT_EVENT_ABS, 0, r * 1000);
        ui_input_event(INPUT_EVENT_BTN, 0x110, r & 1);
        ui_input_sync();
        break;
    case DEV_MOUSE:
        ui_input_event(INPUT_EVENT_REL, 0, r - 4);
        ui_input_sync();
        break;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uint8_t zero[GUEST_MEM];
    Header h = {0};
    int dev, nvqs;

    if (!devs[0])
        setup();
    memcpy(&h, data, MIN(size, sizeof(h)));
    dev = h.device % NDEVS;
    nvqs = MIN(devs[dev]->nvqs, 2);
    address_space_write(&address_space_memory, RAM_BASE, zero, GUEST_MEM);
    address_space_write(&address_space_memory, RAM_BASE, data,
                        MIN(size, GUEST_MEM));

    reg_write(dev, MMIO_STATUS, 0);
    reg_write(dev, MMIO_STATUS, VIRTIO_STATUS_ACKNOWLEDGE);
    reg_write(dev, MMIO_STATUS,
              VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER);
    negotiate(dev, h.features);
    reg_write(dev, MMIO_STATUS,
              VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER |
                  VIRTIO_STATUS_FEATURES_OK);
    for (int q = 0; q < nvqs; q++)
        set_up_queue(dev, q, &h);
    reg_read(dev, MMIO_CONFIG);
    reg_write(dev, MMIO_CONFIG + (h.config >> 24 & 0xfc), h.config & 0xffff);
    reg_write(dev, MMIO_STATUS,
              VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER |
                  VIRTIO_STATUS_FEATURES_OK | VIRTIO_STATUS_DRIVER_OK);
    for (int r = 0; r < 1 + h.rounds % 8; r++) {
        outside_event(dev, &h, r, data, size);
        reg_write(dev, MMIO_QUEUE_NOTIFY, (h.notify >> r) & (nvqs - 1));
        reg_write(dev, MMIO_INTERRUPT_ACK, 3);
    }
    if (getenv("FUZZ_LOG"))
        fprintf(stderr, "fuzz: device %d: status 0x%x, used %u %u\n", dev,
                devs[dev]->status, devs[dev]->vq[0].used_idx,
                devs[dev]->vq[1].used_idx);
    reg_write(dev, MMIO_STATUS, 0);
    return 0;
}
