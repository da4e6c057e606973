/*
 * The virtio-mmio transport, version 2 (virtio spec 1.2, section 4.2.2):
 * one 4 KiB register window per slot.  A slot with no device reads as
 * device ID 0, which drivers skip, so a board can list every slot in its
 * device tree whether or not a device is plugged in (QEMU's virt does the
 * same).  Legacy (version 1) is not offered.
 */
#include <glib.h>

#include "mimic/board.h"
#include "mimic/fdt-builder.h"
#include "mimic/log.h"
#include "mimic/virtio.h"

#define VIRTIO_MMIO_MAGIC 0x74726976u     /* "virt" */
#define VIRTIO_MMIO_VENDOR 0x494d494du    /* "MIMI" */

enum {
    REG_MAGIC = 0x000,
    REG_VERSION = 0x004,
    REG_DEVICE_ID = 0x008,
    REG_VENDOR_ID = 0x00c,
    REG_DEVICE_FEATURES = 0x010,
    REG_DEVICE_FEATURES_SEL = 0x014,
    REG_DRIVER_FEATURES = 0x020,
    REG_DRIVER_FEATURES_SEL = 0x024,
    REG_QUEUE_SEL = 0x030,
    REG_QUEUE_NUM_MAX = 0x034,
    REG_QUEUE_NUM = 0x038,
    REG_QUEUE_READY = 0x044,
    REG_QUEUE_NOTIFY = 0x050,
    REG_INTERRUPT_STATUS = 0x060,
    REG_INTERRUPT_ACK = 0x064,
    REG_STATUS = 0x070,
    REG_QUEUE_DESC_LOW = 0x080,
    REG_QUEUE_DESC_HIGH = 0x084,
    REG_QUEUE_DRIVER_LOW = 0x090,
    REG_QUEUE_DRIVER_HIGH = 0x094,
    REG_QUEUE_DEVICE_LOW = 0x0a0,
    REG_QUEUE_DEVICE_HIGH = 0x0a4,
    REG_SHM_SEL = 0x0ac,
    REG_SHM_LEN_LOW = 0x0b0,
    REG_SHM_LEN_HIGH = 0x0b4,
    REG_SHM_BASE_LOW = 0x0b8,
    REG_SHM_BASE_HIGH = 0x0bc,
    REG_CONFIG_GENERATION = 0x0fc,
    REG_CONFIG = 0x100,
};

struct VirtIOMMIO {
    MemoryRegion iomem;
    IRQLine *irq;
    char *name;                /* "virtio-mmio@10001000", for the log */
    VirtIODevice *vdev;
    uint32_t dev_features_sel, drv_features_sel, queue_sel;
};

/* The per-queue registers; what a write may do is the core's rule
   (virtio_queue_field_write), the same for every transport. */
static const uint16_t queue_layout[VIRTQ_FIELD_COUNT] = {
    [VIRTQ_FIELD_SIZE] = REG_QUEUE_NUM,
    [VIRTQ_FIELD_READY] = REG_QUEUE_READY,
    [VIRTQ_FIELD_DESC_LO] = REG_QUEUE_DESC_LOW,
    [VIRTQ_FIELD_DESC_HI] = REG_QUEUE_DESC_HIGH,
    [VIRTQ_FIELD_DRIVER_LO] = REG_QUEUE_DRIVER_LOW,
    [VIRTQ_FIELD_DRIVER_HI] = REG_QUEUE_DRIVER_HIGH,
    [VIRTQ_FIELD_DEVICE_LO] = REG_QUEUE_DEVICE_LOW,
    [VIRTQ_FIELD_DEVICE_HI] = REG_QUEUE_DEVICE_HIGH,
};

static uint64_t mmio_read(void *opaque, uint64_t addr, unsigned size)
{
    VirtIOMMIO *t = opaque;
    VirtIODevice *vdev = t->vdev;
    VirtQueue *vq;
    VirtQueueField f;

    if (addr >= REG_CONFIG)
        return vdev ? virtio_config_read(vdev, addr - REG_CONFIG, size) : 0;
    if (size != 4) {
        log_mask(LOG_GUEST_ERROR, "%s: %u-byte read of register 0x%"
                 G_GINT64_MODIFIER "x\n", t->name, size, addr);
        return 0;
    }
    switch (addr) {
    case REG_MAGIC:
        return VIRTIO_MMIO_MAGIC;
    case REG_VERSION:
        return 2;
    case REG_DEVICE_ID:
        return vdev ? vdev->ops->device_id : 0;
    case REG_VENDOR_ID:
        return VIRTIO_MMIO_VENDOR;
    }
    if (!vdev)
        return 0;
    vq = virtio_get_queue(vdev, t->queue_sel);
    if (virtio_queue_field_at(queue_layout, addr, &f))
        return virtio_queue_field_read(vq, f);
    switch (addr) {
    case REG_DEVICE_FEATURES:
        return virtio_features_read(vdev->host_features, t->dev_features_sel);
    case REG_QUEUE_NUM_MAX:
        return vq ? vq->num_max : 0;
    case REG_INTERRUPT_STATUS:
        return vdev->isr;
    case REG_STATUS:
        return vdev->status;
    case REG_SHM_LEN_LOW:
    case REG_SHM_LEN_HIGH:
        return 0xffffffffu;          /* no shared memory regions */
    case REG_CONFIG_GENERATION:
        return vdev->config_generation;
    default:
        log_mask(LOG_GUEST_ERROR, "%s: read of write-only or unknown "
                 "register 0x%" G_GINT64_MODIFIER "x\n", t->name, addr);
        return 0;
    }
}

static void mmio_write(void *opaque, uint64_t addr, uint64_t val,
                       unsigned size)
{
    VirtIOMMIO *t = opaque;
    VirtIODevice *vdev = t->vdev;
    VirtQueueField f;
    uint32_t v = (uint32_t)val;

    if (!vdev)
        return;
    if (addr >= REG_CONFIG) {
        virtio_config_write(vdev, addr - REG_CONFIG, val, size);
        return;
    }
    if (size != 4) {
        log_mask(LOG_GUEST_ERROR, "%s: %u-byte write of register 0x%"
                 G_GINT64_MODIFIER "x\n", t->name, size, addr);
        return;
    }
    /* QueueReady takes 0 as well: it stops the queue (4.2.2). */
    if (virtio_queue_field_at(queue_layout, addr, &f)) {
        virtio_queue_field_write(virtio_get_queue(vdev, t->queue_sel), f, v,
                                 t->name, addr);
        return;
    }
    switch (addr) {
    case REG_DEVICE_FEATURES_SEL:
        t->dev_features_sel = v;
        break;
    case REG_DRIVER_FEATURES:
        virtio_guest_features_write(vdev, t->drv_features_sel, v);
        break;
    case REG_DRIVER_FEATURES_SEL:
        t->drv_features_sel = v;
        break;
    case REG_QUEUE_SEL:
        t->queue_sel = v;
        break;
    case REG_QUEUE_NOTIFY:
        virtio_queue_notify(vdev, v & 0xffff);
        break;
    case REG_INTERRUPT_ACK:
        vdev->isr &= ~v;
        virtio_update_irq(vdev);
        break;
    case REG_STATUS:
        virtio_set_status(vdev, (uint8_t)v);
        if (v == 0)
            t->dev_features_sel = t->drv_features_sel = t->queue_sel = 0;
        break;
    case REG_SHM_SEL:
        break;
    default:
        log_mask(LOG_GUEST_ERROR, "%s: write of read-only or unknown "
                 "register 0x%" G_GINT64_MODIFIER "x\n", t->name, addr);
        break;
    }
}

static const MemoryRegionOps virtio_mmio_ops = {
    .read = mmio_read,
    .write = mmio_write,
    .valid_min = 1,
    .valid_max = 8,
};

void virtio_mmio_fdt_add(FdtBuilder *b, int parent, uint64_t base,
                         uint32_t intc, uint32_t irq)
{
    int node = fdtb_device_node(b, parent, "virtio_mmio", base,
                                VIRTIO_MMIO_SIZE);

    fdtb_prop_irq(b, node, intc, irq);
    fdtb_prop_str(b, node, "compatible", "virtio,mmio");
}

static void mmio_machine_reset(void *opaque)
{
    virtio_mmio_reset(opaque);
}

VirtIOMMIO *virtio_mmio_create(MachineState *ms, MemoryRegion *parent,
                               uint64_t base, IRQLine *irq)
{
    VirtIOMMIO *t = g_new0(VirtIOMMIO, 1);

    t->irq = irq;
    t->name = g_strdup_printf("virtio-mmio@%" G_GINT64_MODIFIER "x", base);
    memory_region_init_io(&t->iomem, &virtio_mmio_ops, t, "virtio-mmio",
                          VIRTIO_MMIO_SIZE);
    memory_region_add_subregion(parent, base, &t->iomem);
    machine_register_reset(ms, mmio_machine_reset, t);
    return t;
}

bool virtio_mmio_plug(VirtIOMMIO *t, VirtIODevice *vdev)
{
    if (t->vdev)
        return false;
    t->vdev = vdev;
    vdev->irq = t->irq;
    virtio_reset(vdev);
    return true;
}

bool virtio_mmio_is_empty(const VirtIOMMIO *t)
{
    return t->vdev == NULL;
}

void virtio_mmio_reset(VirtIOMMIO *t)
{
    t->dev_features_sel = t->drv_features_sel = t->queue_sel = 0;
    if (t->vdev)
        virtio_reset(t->vdev);
}
