/*
 * The virtio-mmio transport, version 2 (virtio spec 1.2, section 4.2.2):
 * one 4 KiB register window per slot.  A slot with no device reads as
 * device ID 0, which drivers skip, so a board can list every slot in its
 * device tree whether or not a device is plugged in (QEMU's virt does the
 * same).  Legacy (version 1) is not offered.
 */
#include <string.h>

#include <glib.h>

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
    uint64_t base;
    VirtIODevice *vdev;
    uint32_t dev_features_sel, drv_features_sel, queue_sel;
};

static VirtQueue *selected_queue(VirtIOMMIO *t)
{
    return t->queue_sel < (uint32_t)t->vdev->nvqs ? &t->vdev->vq[t->queue_sel]
                                                  : NULL;
}

static uint64_t config_read(VirtIOMMIO *t, uint64_t off, unsigned size)
{
    VirtIODevice *vdev = t->vdev;
    uint64_t v = 0;

    if (off + size > vdev->config_len)
        return 0;
    if (vdev->ops->get_config)
        vdev->ops->get_config(vdev, vdev->config);
    memcpy(&v, vdev->config + off, size);    /* little-endian host */
    return v;
}

static void config_write(VirtIOMMIO *t, uint64_t off, uint64_t val,
                         unsigned size)
{
    VirtIODevice *vdev = t->vdev;

    if (off + size > vdev->config_len)
        return;
    if (vdev->ops->get_config)
        vdev->ops->get_config(vdev, vdev->config);
    memcpy(vdev->config + off, &val, size);
    if (vdev->ops->set_config)
        vdev->ops->set_config(vdev, vdev->config);
}

static uint64_t mmio_read(void *opaque, uint64_t addr, unsigned size)
{
    VirtIOMMIO *t = opaque;
    VirtIODevice *vdev = t->vdev;
    VirtQueue *vq;

    if (addr >= REG_CONFIG)
        return vdev ? config_read(t, addr - REG_CONFIG, size) : 0;
    if (size != 4) {
        log_mask(LOG_GUEST_ERROR, "virtio-mmio@%" G_GINT64_MODIFIER "x: "
                 "%u-byte read of register 0x%" G_GINT64_MODIFIER "x\n",
                 t->base, size, addr);
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
    vq = selected_queue(t);
    switch (addr) {
    case REG_DEVICE_FEATURES:
        return t->dev_features_sel > 1 ? 0
             : (uint32_t)(vdev->host_features >> (32 * t->dev_features_sel));
    case REG_QUEUE_NUM_MAX:
        return vq ? vq->num_max : 0;
    case REG_QUEUE_READY:
        return vq ? vq->ready : 0;
    case REG_INTERRUPT_STATUS:
        return vdev->isr;
    case REG_STATUS:
        return vdev->status;
    case REG_SHM_LEN_LOW:
    case REG_SHM_LEN_HIGH:
        return 0xffffffffu;          /* no shared memory regions */
    case REG_CONFIG_GENERATION:
        return vdev->config_generation;
    case REG_QUEUE_NUM:
        return vq ? vq->num : 0;
    case REG_QUEUE_DESC_LOW:
        return vq ? (uint32_t)vq->desc : 0;
    case REG_QUEUE_DESC_HIGH:
        return vq ? (uint32_t)(vq->desc >> 32) : 0;
    case REG_QUEUE_DRIVER_LOW:
        return vq ? (uint32_t)vq->avail : 0;
    case REG_QUEUE_DRIVER_HIGH:
        return vq ? (uint32_t)(vq->avail >> 32) : 0;
    case REG_QUEUE_DEVICE_LOW:
        return vq ? (uint32_t)vq->used : 0;
    case REG_QUEUE_DEVICE_HIGH:
        return vq ? (uint32_t)(vq->used >> 32) : 0;
    default:
        log_mask(LOG_GUEST_ERROR, "virtio-mmio@%" G_GINT64_MODIFIER "x: "
                 "read of write-only or unknown register 0x%"
                 G_GINT64_MODIFIER "x\n", t->base, addr);
        return 0;
    }
}

static void set_half(uint64_t *v, bool high, uint32_t val)
{
    if (high)
        *v = (*v & 0xffffffffu) | ((uint64_t)val << 32);
    else
        *v = (*v & ~0xffffffffull) | val;
}

/* The ring addresses and size may change only while the queue is off. */
static bool queue_writable(VirtIOMMIO *t, VirtQueue *vq, uint64_t addr)
{
    if (!vq)
        return false;
    if (vq->ready) {
        log_mask(LOG_GUEST_ERROR, "virtio-mmio@%" G_GINT64_MODIFIER "x: "
                 "register 0x%" G_GINT64_MODIFIER "x written while queue %d "
                 "is ready\n", t->base, addr, vq->index);
        return false;
    }
    return true;
}

static void queue_set_ready(VirtIOMMIO *t, VirtQueue *vq, bool ready)
{
    if (ready && !virtqueue_rings_valid(vq)) {
        virtio_error(t->vdev,
                     "queue %d: size %u, or rings misaligned or not in RAM",
                     vq->index, vq->num);
        return;
    }
    vq->ready = ready;
}

static void mmio_write(void *opaque, uint64_t addr, uint64_t val,
                       unsigned size)
{
    VirtIOMMIO *t = opaque;
    VirtIODevice *vdev = t->vdev;
    VirtQueue *vq;
    uint32_t v = (uint32_t)val;

    if (!vdev)
        return;
    if (addr >= REG_CONFIG) {
        config_write(t, addr - REG_CONFIG, val, size);
        return;
    }
    if (size != 4) {
        log_mask(LOG_GUEST_ERROR, "virtio-mmio@%" G_GINT64_MODIFIER "x: "
                 "%u-byte write of register 0x%" G_GINT64_MODIFIER "x\n",
                 t->base, size, addr);
        return;
    }
    vq = selected_queue(t);
    switch (addr) {
    case REG_DEVICE_FEATURES_SEL:
        t->dev_features_sel = v;
        break;
    case REG_DRIVER_FEATURES:
        if (t->drv_features_sel <= 1 &&
            !(vdev->status & VIRTIO_STATUS_FEATURES_OK))
            set_half(&vdev->guest_features, t->drv_features_sel == 1, v);
        break;
    case REG_DRIVER_FEATURES_SEL:
        t->drv_features_sel = v;
        break;
    case REG_QUEUE_SEL:
        t->queue_sel = v;
        break;
    case REG_QUEUE_NUM:
        if (queue_writable(t, vq, addr))
            vq->num = v;
        break;
    case REG_QUEUE_READY:
        if (vq)
            queue_set_ready(t, vq, v & 1);
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
    case REG_QUEUE_DESC_LOW:
    case REG_QUEUE_DESC_HIGH:
        if (queue_writable(t, vq, addr))
            set_half(&vq->desc, addr == REG_QUEUE_DESC_HIGH, v);
        break;
    case REG_QUEUE_DRIVER_LOW:
    case REG_QUEUE_DRIVER_HIGH:
        if (queue_writable(t, vq, addr))
            set_half(&vq->avail, addr == REG_QUEUE_DRIVER_HIGH, v);
        break;
    case REG_QUEUE_DEVICE_LOW:
    case REG_QUEUE_DEVICE_HIGH:
        if (queue_writable(t, vq, addr))
            set_half(&vq->used, addr == REG_QUEUE_DEVICE_HIGH, v);
        break;
    case REG_SHM_SEL:
        break;
    default:
        log_mask(LOG_GUEST_ERROR, "virtio-mmio@%" G_GINT64_MODIFIER "x: "
                 "write of read-only or unknown register 0x%"
                 G_GINT64_MODIFIER "x\n", t->base, addr);
        break;
    }
}

static const MemoryRegionOps virtio_mmio_ops = {
    .read = mmio_read,
    .write = mmio_write,
    .valid_min = 1,
    .valid_max = 8,
};

VirtIOMMIO *virtio_mmio_create(MemoryRegion *parent, uint64_t base,
                               IRQLine *irq)
{
    VirtIOMMIO *t = g_new0(VirtIOMMIO, 1);

    t->irq = irq;
    t->base = base;
    memory_region_init_io(&t->iomem, &virtio_mmio_ops, t, "virtio-mmio",
                          0x1000);
    memory_region_add_subregion(parent, base, &t->iomem);
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
