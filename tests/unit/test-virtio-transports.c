/* needs: riscv64-softmmu */
/*
 * Tests of the register rules the virtio core keeps for both transports
 * (virtio_queue_field_*, the feature windows), driven through each: a
 * virtio-rng behind virtio-mmio and another behind virtio-pci (modern
 * common config, and the legacy I/O block), on one address space with
 * RAM for the rings.  Each case runs the same steps on both transports,
 * so a rule broken in the core, or a transport that maps an offset to
 * the wrong field, fails here.
 */
#include <unistd.h>

#include <glib.h>

#include "mimic/board.h"
#include "mimic/log.h"
#include "mimic/pci.h"
#include "mimic/virtio-devices.h"
#include "mimic/virtio-pci.h"
#include "unit.h"

#define RAM_BASE 0x80000000ull
#define RAM_SIZE (1ull << 20)
#define MMIO_BASE 0x10001000ull
#define ECAM_BASE 0x30000000ull
#define PIO_BASE 0x3000000ull
#define BAR4_ADDR 0x400000000ull
#define LEGACY_IO 0x100
#define PCI_FN PCI_DEVFN(1, 0)
#define NOT_RAM 0x20000000ull
#define QSIZE 16

/* A transport as a driver sees it: where its registers are. */
typedef struct Transport {
    const char *name;
    VirtIODevice *vdev;
    uint64_t base;
    uint16_t queue[VIRTQ_FIELD_COUNT];
    uint16_t queue_sel, status, dev_sel, dev_features, drv_sel, drv_features;
    int drv_features_readback;   /* -1: write-only */
    bool pci;
} Transport;

static Transport mmio = {
    .name = "virtio-mmio",
    .base = MMIO_BASE,
    .queue = { 0x038, 0x044, 0x080, 0x084, 0x090, 0x094, 0x0a0, 0x0a4 },
    .queue_sel = 0x030, .status = 0x070,
    .dev_sel = 0x014, .dev_features = 0x010,
    .drv_sel = 0x024, .drv_features = 0x020,
    .drv_features_readback = -1,
};

static Transport pci = {
    .name = "virtio-pci",
    .base = BAR4_ADDR,           /* common config at 0 of BAR4 */
    .queue = { 0x18, 0x1c, 0x20, 0x24, 0x28, 0x2c, 0x30, 0x34 },
    .queue_sel = 0x16, .status = 0x14,
    .dev_sel = 0x00, .dev_features = 0x04,
    .drv_sel = 0x08, .drv_features = 0x0c,
    .drv_features_readback = 0x0c,
    .pci = true,
};

static struct {
    bool ready;
    MemoryRegion root, ram;
    AddressSpace as;
    MachineState machine;   /* whose reset list the transports join */
    GPEXHost *gpex;
} m;

static void ignore_irq(void *opaque, int n, int level)
{
}

/* PCI common config has 8- and 16-bit fields; virtio-mmio is all 32. */
static unsigned reg_size(const Transport *t, unsigned off)
{
    if (!t->pci)
        return 4;
    if (off == 0x14)
        return 1;
    return off == 0x16 || off == 0x18 || off == 0x1c ? 2 : 4;
}

static uint32_t rd(const Transport *t, unsigned off)
{
    uint32_t v = 0;

    EXPECT_EQ(address_space_read(&m.as, t->base + off, &v, reg_size(t, off)),
              MEMTX_OK);
    return v;
}

static void wr(const Transport *t, unsigned off, uint32_t v)
{
    EXPECT_EQ(address_space_write(&m.as, t->base + off, &v,
                                  reg_size(t, off)), MEMTX_OK);
}

static uint32_t qrd(const Transport *t, VirtQueueField f)
{
    return rd(t, t->queue[f]);
}

static void qwr(const Transport *t, VirtQueueField f, uint32_t v)
{
    wr(t, t->queue[f], v);
}

static void ecam_wr(unsigned off, uint32_t v)
{
    address_space_write(&m.as, ECAM_BASE + ((uint64_t)PCI_FN << 12) + off,
                        &v, 4);
}

static void machine(void)
{
    GPEXConfig cfg = {
        .ecam_base = ECAM_BASE, .ecam_size = 0x10000000,
        .mmio_base = 0x40000000, .mmio_size = 0x40000000,
        .pio_base = PIO_BASE, .pio_size = 0x10000,
        .mmio64_base = BAR4_ADDR, .mmio64_size = 0x400000000ull,
    };
    VirtIOPCIOptions o = VIRTIO_PCI_OPTIONS_DEFAULT;
    char *err = NULL;
    VirtIOMMIO *t;

    if (m.ready)
        return;
    memory_region_init(&m.root, "vtt-root", UINT64_MAX);
    memory_region_init_ram(&m.ram, "vtt-ram", RAM_SIZE);
    memory_region_add_subregion(&m.root, RAM_BASE, &m.ram);
    address_space_init(&m.as, &m.root, "vtt");

    mmio.vdev = virtio_rng_create(&err);
    g_assert(mmio.vdev);
    mmio.vdev->dma_as = &m.as;
    t = virtio_mmio_create(&m.machine, &m.root, MMIO_BASE, irq_new(ignore_irq, NULL, 0));
    g_assert(virtio_mmio_plug(t, mmio.vdev));

    for (int i = 0; i < PCI_NUM_PINS; i++)
        cfg.irqs[i] = irq_new(ignore_irq, NULL, i);
    m.gpex = gpex_host_create(&m.machine, &m.root, &cfg);
    pci.vdev = virtio_rng_create(&err);
    g_assert(pci.vdev);
    pci.vdev->dma_as = &m.as;
    o.devfn = PCI_FN;
    o.class_code = 0x00ff;
    g_assert(virtio_pci_create(gpex_host_bus(m.gpex), pci.vdev, &o, &err));
    /* BAR0 (legacy I/O) and BAR4 (64-bit, modern) where the tests look. */
    ecam_wr(PCI_BASE_ADDRESS_0, LEGACY_IO);
    ecam_wr(PCI_BASE_ADDRESS_0 + 16, (uint32_t)BAR4_ADDR);
    ecam_wr(PCI_BASE_ADDRESS_0 + 20, (uint32_t)(BAR4_ADDR >> 32));
    ecam_wr(PCI_COMMAND, PCI_COMMAND_MEMORY | PCI_COMMAND_IO);
    m.ready = true;
}

/* Reset, then the status a driver sets before queues (3.1.1). */
static void negotiate(const Transport *t)
{
    machine();
    wr(t, t->status, 0);
    wr(t, t->status, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER);
    wr(t, t->drv_sel, 1);
    wr(t, t->drv_features, 1);               /* VERSION_1 */
    wr(t, t->status, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER |
                         VIRTIO_STATUS_FEATURES_OK);
    EXPECT(rd(t, t->status) & VIRTIO_STATUS_FEATURES_OK);
    wr(t, t->queue_sel, 0);
}

static void set_rings(const Transport *t, uint64_t desc, uint64_t avail,
                      uint64_t used)
{
    qwr(t, VIRTQ_FIELD_SIZE, QSIZE);
    qwr(t, VIRTQ_FIELD_DESC_LO, (uint32_t)desc);
    qwr(t, VIRTQ_FIELD_DESC_HI, (uint32_t)(desc >> 32));
    qwr(t, VIRTQ_FIELD_DRIVER_LO, (uint32_t)avail);
    qwr(t, VIRTQ_FIELD_DRIVER_HI, (uint32_t)(avail >> 32));
    qwr(t, VIRTQ_FIELD_DEVICE_LO, (uint32_t)used);
    qwr(t, VIRTQ_FIELD_DEVICE_HI, (uint32_t)(used >> 32));
}

static void set_good_rings(const Transport *t)
{
    set_rings(t, RAM_BASE, RAM_BASE + 0x1000, RAM_BASE + 0x2000);
}

static void driver_ok(const Transport *t)
{
    wr(t, t->status, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER |
                         VIRTIO_STATUS_FEATURES_OK | VIRTIO_STATUS_DRIVER_OK);
}

static void ring_addresses_in_halves_on(const Transport *t)
{
    VirtQueue *vq;

    negotiate(t);
    vq = &t->vdev->vq[0];
    set_rings(t, 0x123456789abcdef0ull, 0x0fedcba987654322ull,
              0x1122334455667784ull);
    EXPECT_EQ(qrd(t, VIRTQ_FIELD_DESC_LO), 0x9abcdef0);
    EXPECT_EQ(qrd(t, VIRTQ_FIELD_DESC_HI), 0x12345678);
    EXPECT_EQ(qrd(t, VIRTQ_FIELD_DRIVER_LO), 0x87654322);
    EXPECT_EQ(qrd(t, VIRTQ_FIELD_DRIVER_HI), 0x0fedcba9);
    EXPECT_EQ(qrd(t, VIRTQ_FIELD_DEVICE_LO), 0x55667784);
    EXPECT_EQ(qrd(t, VIRTQ_FIELD_DEVICE_HI), 0x11223344);
    EXPECT_EQ(vq->desc, 0x123456789abcdef0ull);
    EXPECT_EQ(vq->avail, 0x0fedcba987654322ull);
    EXPECT_EQ(vq->used, 0x1122334455667784ull);
    /* One half again: the other stays. */
    qwr(t, VIRTQ_FIELD_DESC_HI, 0);
    EXPECT_EQ(vq->desc, 0x9abcdef0ull);
    qwr(t, VIRTQ_FIELD_DEVICE_LO, 0x1000);
    EXPECT_EQ(vq->used, 0x1122334400001000ull);
    EXPECT_EQ(qrd(t, VIRTQ_FIELD_SIZE), QSIZE);
    /* A selector past the queues: reads 0, writes go nowhere. */
    wr(t, t->queue_sel, 5);
    EXPECT_EQ(qrd(t, VIRTQ_FIELD_DESC_LO), 0);
    qwr(t, VIRTQ_FIELD_DESC_LO, 0x5000);
    wr(t, t->queue_sel, 0);
    EXPECT_EQ(vq->desc, 0x9abcdef0ull);
}

TEST(ring_addresses_written_in_halves_read_back)
{
    ring_addresses_in_halves_on(&mmio);
    ring_addresses_in_halves_on(&pci);
}

static void ready_queue_cannot_move_on(const Transport *t)
{
    VirtQueue *vq;
    g_autofree char *path = NULL;
    g_autofree char *logged = NULL;
    int fd = g_file_open_tmp("vtt-log-XXXXXX", &path, NULL);
    unsigned old_flags = log_flags;

    g_assert(fd >= 0);
    close(fd);
    negotiate(t);
    vq = &t->vdev->vq[0];
    set_good_rings(t);
    qwr(t, VIRTQ_FIELD_READY, 1);
    EXPECT_EQ(qrd(t, VIRTQ_FIELD_READY), 1);
    g_assert(log_set_file(path));
    log_flags |= LOG_GUEST_ERROR;
    qwr(t, VIRTQ_FIELD_SIZE, 4);
    qwr(t, VIRTQ_FIELD_DESC_LO, 0x4000);
    qwr(t, VIRTQ_FIELD_DRIVER_HI, 1);
    qwr(t, VIRTQ_FIELD_DEVICE_LO, 0);
    log_flush();
    log_flags = old_flags;
    EXPECT_EQ(qrd(t, VIRTQ_FIELD_SIZE), QSIZE);
    EXPECT_EQ(vq->desc, RAM_BASE);
    EXPECT_EQ(vq->avail, RAM_BASE + 0x1000);
    EXPECT_EQ(vq->used, RAM_BASE + 0x2000);
    EXPECT(!t->vdev->broken);
    /* The guest error names the transport, the register and the queue. */
    EXPECT(g_file_get_contents(path, &logged, NULL, NULL));
    if (logged) {
        g_autofree char *want = g_strdup_printf(
            "queue desc low (register 0x%x) written while queue 0 is ready",
            t->queue[VIRTQ_FIELD_DESC_LO]);

        EXPECT(strstr(logged, want));
        EXPECT(strstr(logged, t->pci ? "virtio-rng-pci: "
                                     : "virtio-mmio@10001000: "));
    }
    /* The log stays on the (unlinked) file: nothing else logs here. */
    unlink(path);
}

TEST(ring_of_a_ready_queue_cannot_move)
{
    ready_queue_cannot_move_on(&mmio);
    ready_queue_cannot_move_on(&pci);
}

static void rings_not_in_ram_on(const Transport *t)
{
    negotiate(t);
    set_rings(t, RAM_BASE, NOT_RAM, RAM_BASE + 0x2000);
    qwr(t, VIRTQ_FIELD_READY, 1);
    EXPECT_EQ(qrd(t, VIRTQ_FIELD_READY), 0);
    EXPECT(t->vdev->broken);
    /* Told once the driver runs (2.1.2). */
    driver_ok(t);
    EXPECT(rd(t, t->status) & VIRTIO_STATUS_NEEDS_RESET);
    /* A reset makes it usable again. */
    negotiate(t);
    EXPECT(!t->vdev->broken);
    set_good_rings(t);
    qwr(t, VIRTQ_FIELD_READY, 1);
    EXPECT_EQ(qrd(t, VIRTQ_FIELD_READY), 1);
    driver_ok(t);
    EXPECT(!(rd(t, t->status) & VIRTIO_STATUS_NEEDS_RESET));
}

TEST(enabling_rings_outside_ram_asks_for_a_reset)
{
    rings_not_in_ram_on(&mmio);
    rings_not_in_ram_on(&pci);
}

/* virtio-mmio's QueueReady 0 stops the queue; virtio-pci's queue_enable
   0 is ignored (4.1.4.3.2). */
TEST(ready_zero_stops_mmio_only)
{
    const Transport *ts[] = { &mmio, &pci };

    for (int i = 0; i < 2; i++) {
        const Transport *t = ts[i];

        negotiate(t);
        set_good_rings(t);
        qwr(t, VIRTQ_FIELD_READY, 1);
        qwr(t, VIRTQ_FIELD_READY, 0);
        EXPECT_EQ(qrd(t, VIRTQ_FIELD_READY), t->pci ? 1 : 0);
        EXPECT_EQ(t->vdev->vq[0].ready, t->pci);
    }
}

static void feature_windows_on(const Transport *t)
{
    VirtIODevice *vdev;

    negotiate(t);
    vdev = t->vdev;
    wr(t, t->status, 0);
    wr(t, t->dev_sel, 0);
    EXPECT_EQ(rd(t, t->dev_features), (uint32_t)vdev->host_features);
    wr(t, t->dev_sel, 1);
    EXPECT_EQ(rd(t, t->dev_features), (uint32_t)(vdev->host_features >> 32));
    EXPECT_EQ(rd(t, t->dev_features), 1);    /* VERSION_1 */
    wr(t, t->dev_sel, 2);
    EXPECT_EQ(rd(t, t->dev_features), 0);
    wr(t, t->status, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER);
    wr(t, t->drv_sel, 0);
    wr(t, t->drv_features, 1u << VIRTIO_F_INDIRECT_DESC);
    wr(t, t->drv_sel, 1);
    wr(t, t->drv_features, 1);
    wr(t, t->drv_sel, 2);
    wr(t, t->drv_features, 0xffffffff);      /* no word 2 */
    EXPECT_EQ(vdev->guest_features, (1ull << VIRTIO_F_VERSION_1) |
                                        (1ull << VIRTIO_F_INDIRECT_DESC));
    if (t->drv_features_readback >= 0) {
        EXPECT_EQ(rd(t, t->drv_features_readback), 0);
        wr(t, t->drv_sel, 0);
        EXPECT_EQ(rd(t, t->drv_features_readback),
                  1u << VIRTIO_F_INDIRECT_DESC);
    }
    /* Accepted at FEATURES_OK: later writes change nothing. */
    wr(t, t->status, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER |
                         VIRTIO_STATUS_FEATURES_OK);
    EXPECT(rd(t, t->status) & VIRTIO_STATUS_FEATURES_OK);
    wr(t, t->drv_sel, 0);
    wr(t, t->drv_features, 0);
    EXPECT_EQ(vdev->guest_features, (1ull << VIRTIO_F_VERSION_1) |
                                        (1ull << VIRTIO_F_INDIRECT_DESC));
    /* Status 0 resets the selectors. */
    wr(t, t->dev_sel, 1);
    wr(t, t->status, 0);
    EXPECT_EQ(rd(t, t->dev_features), (uint32_t)vdev->host_features);
}

TEST(feature_windows)
{
    feature_windows_on(&mmio);
    feature_windows_on(&pci);
}

/* The legacy block starts a queue at a page number through the same
   rule: rings outside RAM break the device, in RAM the queue runs. */
TEST(legacy_queue_pfn_uses_the_same_rule)
{
    uint64_t io = PIO_BASE + LEGACY_IO;
    uint32_t v = 0;

    machine();
    wr(&pci, pci.status, 0);
    v = 0;
    address_space_write(&m.as, io + 0x0e, &v, 2);            /* QUEUE_SEL */
    v = (uint32_t)(NOT_RAM >> 12);
    address_space_write(&m.as, io + 0x08, &v, 4);            /* QUEUE_PFN */
    EXPECT(!pci.vdev->vq[0].ready);
    EXPECT(pci.vdev->broken);
    wr(&pci, pci.status, 0);
    v = (uint32_t)(RAM_BASE >> 12);
    address_space_write(&m.as, io + 0x08, &v, 4);
    EXPECT(pci.vdev->vq[0].ready);
    EXPECT(!pci.vdev->broken);
    EXPECT_EQ(pci.vdev->vq[0].desc, RAM_BASE);
    v = 0;
    address_space_read(&m.as, io + 0x00, &v, 4);             /* features */
    EXPECT_EQ(v, (uint32_t)pci.vdev->host_features);
    wr(&pci, pci.status, 0);
}

int main(void)
{
    return unit_run();
}
