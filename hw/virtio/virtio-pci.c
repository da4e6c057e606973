/*
 * The virtio-pci transport (virtio spec 1.2, 4.1), laid out as QEMU 7.2
 * lays out a virtio-*-pci function on the root bus of the virt board, so
 * that the guest sees the same IDs, BARs and capability list:
 *
 *   BAR0  I/O, the legacy register block (transitional devices only)
 *   BAR1  32-bit memory, 4 KiB: the MSI-X table (0) and PBA (0x800)
 *   BAR4  64-bit prefetchable memory, 16 KiB: the modern structures,
 *         common config at 0, ISR at 0x1000, device config at 0x2000,
 *         notifications at 0x3000 (4 bytes per queue)
 *   capabilities: vendor caps for common (0x40), ISR (0x50), device
 *   (0x60), notify (0x70) and the PCI config access window (0x84), then
 *   MSI-X (0x98), linked from the last one added.
 *
 * A device with a legacy ID (net, blk, rng, ...) is transitional by
 * default on this bus (QEMU's disable-legacy=auto on a root bus of
 * conventional slots): device ID 0x1000 + n, revision 0, subsystem ID
 * the virtio device ID; the others are modern only: 0x1040 + ID,
 * revision 1, subsystem 1af4:1100.  Interrupts are INTx through the ISR
 * (the board has no MSI controller, as QEMU's virt without aia=): the
 * MSI-X capability and table are there for the guest to probe, but no
 * message is sent.  A driver may use the legacy block instead of the
 * modern structures (U-Boot does, for transitional devices): the device
 * then runs in legacy mode until reset (VirtIODevice.legacy).
 */
#include <inttypes.h>
#include <string.h>

#include <glib.h>

#include "mimic/log.h"
#include "mimic/pci.h"
#include "mimic/virtio-pci.h"

#define VIRTIO_PCI_VENDOR 0x1af4
#define VIRTIO_NO_VECTOR 0xffff

/* Vendor capability types (4.1.4). */
enum {
    CAP_COMMON = 1,
    CAP_NOTIFY = 2,
    CAP_ISR = 3,
    CAP_DEVICE = 4,
    CAP_PCI_CFG = 5,
};

enum {
    MODERN_BAR = 4,
    MSIX_BAR = 1,
    LEGACY_BAR = 0,
    REGION_SIZE = 0x1000,
    COMMON_OFF = 0x0000,
    ISR_OFF = 0x1000,
    DEVICE_OFF = 0x2000,
    NOTIFY_OFF = 0x3000,
    NOTIFY_MULT = 4,
    MSIX_PBA_OFF = 0x800,
};

/* Common configuration fields (4.1.4.3). */
enum {
    CC_DFSELECT = 0x00,
    CC_DF = 0x04,
    CC_GFSELECT = 0x08,
    CC_GF = 0x0c,
    CC_MSIX = 0x10,
    CC_NUMQ = 0x12,
    CC_STATUS = 0x14,
    CC_CFGGEN = 0x15,
    CC_Q_SELECT = 0x16,
    CC_Q_SIZE = 0x18,
    CC_Q_MSIX = 0x1a,
    CC_Q_ENABLE = 0x1c,
    CC_Q_NOFF = 0x1e,
    CC_Q_DESCLO = 0x20,
    CC_Q_DESCHI = 0x24,
    CC_Q_AVAILLO = 0x28,
    CC_Q_AVAILHI = 0x2c,
    CC_Q_USEDLO = 0x30,
    CC_Q_USEDHI = 0x34,
};

/* Legacy registers (4.1.4.8), before the device config. */
enum {
    LG_HOST_FEATURES = 0x00,
    LG_GUEST_FEATURES = 0x04,
    LG_QUEUE_PFN = 0x08,
    LG_QUEUE_NUM = 0x0c,
    LG_QUEUE_SEL = 0x0e,
    LG_QUEUE_NOTIFY = 0x10,
    LG_STATUS = 0x12,
    LG_ISR = 0x13,
    LG_CONFIG = 0x14,         /* 0x18 with MSI-X enabled */
};

struct VirtIOPCIProxy {
    PCIDevice pci;
    VirtIODevice *vdev;
    char *name;
    bool legacy, modern;
    unsigned nvectors;
    MemoryRegion modern_bar, common, isr, device, notify;
    MemoryRegion msix_bar, msix_table, msix_pba;
    MemoryRegion legacy_io;
    uint32_t dfselect, gfselect;
    uint16_t queue_sel;
    uint16_t config_vector, vq_vector[VIRTIO_QUEUE_MAX];
    uint8_t msix_table_data[16 * 64];
    uint8_t msix_cap;
    IRQLine *irq;
};

static VirtQueue *selected_vq(VirtIOPCIProxy *p)
{
    return virtio_get_queue(p->vdev, p->queue_sel);
}

/* The virtio core drives the line from isr != 0: that is INTx here. */
static void virtio_pci_irq(void *opaque, int n, int level)
{
    VirtIOPCIProxy *p = opaque;

    (void)n;
    pci_set_irq(&p->pci, level);
}

/* ---- Common configuration ---- */

/* The per-queue fields; what a write may do is the core's rule
   (virtio_queue_field_write), the same for every transport. */
static const uint16_t queue_layout[VIRTQ_FIELD_COUNT] = {
    [VIRTQ_FIELD_SIZE] = CC_Q_SIZE,
    [VIRTQ_FIELD_READY] = CC_Q_ENABLE,
    [VIRTQ_FIELD_DESC_LO] = CC_Q_DESCLO,
    [VIRTQ_FIELD_DESC_HI] = CC_Q_DESCHI,
    [VIRTQ_FIELD_DRIVER_LO] = CC_Q_AVAILLO,
    [VIRTQ_FIELD_DRIVER_HI] = CC_Q_AVAILHI,
    [VIRTQ_FIELD_DEVICE_LO] = CC_Q_USEDLO,
    [VIRTQ_FIELD_DEVICE_HI] = CC_Q_USEDHI,
};

static uint64_t common_read(void *opaque, uint64_t addr, unsigned size)
{
    VirtIOPCIProxy *p = opaque;
    VirtIODevice *vdev = p->vdev;
    VirtQueue *vq = selected_vq(p);
    VirtQueueField f;

    if (virtio_queue_field_at(queue_layout, addr, &f))
        return virtio_queue_field_read(vq, f);
    switch (addr) {
    case CC_DFSELECT:
        return p->dfselect;
    case CC_DF:
        return virtio_features_read(vdev->host_features, p->dfselect);
    case CC_GFSELECT:
        return p->gfselect;
    case CC_GF:
        return virtio_features_read(vdev->guest_features, p->gfselect);
    case CC_MSIX:
        return p->config_vector;
    case CC_NUMQ:
        return (uint64_t)vdev->nvqs;
    case CC_STATUS:
        return vdev->status;
    case CC_CFGGEN:
        return vdev->config_generation & 0xff;
    case CC_Q_SELECT:
        return p->queue_sel;
    case CC_Q_MSIX:
        return vq ? p->vq_vector[p->queue_sel] : VIRTIO_NO_VECTOR;
    case CC_Q_NOFF:
        return p->queue_sel;    /* queue n notifies at n * NOTIFY_MULT */
    default:
        log_mask(LOG_GUEST_ERROR, "%s: %u-byte read of common config at "
                 "0x%" PRIx64 "\n", p->name, size, addr);
        return 0;
    }
}

static uint16_t vector_or_none(VirtIOPCIProxy *p, uint32_t v)
{
    return v < p->nvectors ? (uint16_t)v : VIRTIO_NO_VECTOR;
}

static void common_reset(VirtIOPCIProxy *p)
{
    p->dfselect = p->gfselect = 0;
    p->queue_sel = 0;
    p->config_vector = VIRTIO_NO_VECTOR;
    for (int i = 0; i < VIRTIO_QUEUE_MAX; i++)
        p->vq_vector[i] = VIRTIO_NO_VECTOR;
}

static void common_write(void *opaque, uint64_t addr, uint64_t val,
                         unsigned size)
{
    VirtIOPCIProxy *p = opaque;
    VirtIODevice *vdev = p->vdev;
    VirtQueue *vq = selected_vq(p);
    uint32_t v = (uint32_t)val;
    VirtQueueField f;

    if (virtio_queue_field_at(queue_layout, addr, &f)) {
        /* 4.1.4.3.2: the driver writes 1 to queue_enable, never 0; a 0
           is ignored (unlike virtio-mmio's QueueReady). */
        if (f == VIRTQ_FIELD_READY && (!(v & 1) || (vq && vq->ready)))
            return;
        if (f == VIRTQ_FIELD_SIZE)
            v &= 0xffff;        /* a 16-bit field */
        virtio_queue_field_write(vq, f, v, p->name, addr);
        return;
    }
    switch (addr) {
    case CC_DFSELECT:
        p->dfselect = v;
        break;
    case CC_GFSELECT:
        p->gfselect = v;
        break;
    case CC_GF:
        virtio_guest_features_write(vdev, p->gfselect, v);
        break;
    case CC_MSIX:
        p->config_vector = vector_or_none(p, v);
        break;
    case CC_STATUS:
        virtio_set_status(vdev, (uint8_t)v);
        if ((v & 0xff) == 0)
            common_reset(p);
        break;
    case CC_Q_SELECT:
        p->queue_sel = (uint16_t)v;
        break;
    case CC_Q_MSIX:
        if (vq)
            p->vq_vector[p->queue_sel] = vector_or_none(p, v);
        break;
    default:
        log_mask(LOG_GUEST_ERROR, "%s: %u-byte write of read-only or unknown "
                 "common config 0x%" PRIx64 "\n", p->name, size, addr);
        break;
    }
}

static const MemoryRegionOps common_ops = {
    .read = common_read,
    .write = common_write,
    .valid_min = 1,
    .valid_max = 4,
};

/* ---- ISR, device config, notifications ---- */

/* Reading the ISR acknowledges it (4.1.4.5) and lowers INTx. */
static uint64_t isr_take(VirtIOPCIProxy *p)
{
    uint8_t v = p->vdev->isr;

    p->vdev->isr = 0;
    virtio_update_irq(p->vdev);
    return v;
}

static uint64_t isr_read(void *opaque, uint64_t addr, unsigned size)
{
    (void)size;
    return addr == 0 ? isr_take(opaque) : 0;
}

static void ignore_write(void *opaque, uint64_t addr, uint64_t val,
                         unsigned size)
{
    (void)opaque; (void)addr; (void)val; (void)size;
}

static const MemoryRegionOps isr_ops = {
    .read = isr_read,
    .write = ignore_write,
    .valid_min = 1,
    .valid_max = 4,
};

static uint64_t device_read(void *opaque, uint64_t addr, unsigned size)
{
    VirtIOPCIProxy *p = opaque;

    return virtio_config_read(p->vdev, addr, size);
}

static void device_write(void *opaque, uint64_t addr, uint64_t val,
                         unsigned size)
{
    VirtIOPCIProxy *p = opaque;

    virtio_config_write(p->vdev, addr, val, size);
}

static const MemoryRegionOps device_ops = {
    .read = device_read,
    .write = device_write,
    .valid_min = 1,
    .valid_max = 4,
};

static uint64_t notify_read(void *opaque, uint64_t addr, unsigned size)
{
    (void)opaque; (void)addr; (void)size;
    return 0;
}

static void notify_write(void *opaque, uint64_t addr, uint64_t val,
                         unsigned size)
{
    VirtIOPCIProxy *p = opaque;

    (void)val; (void)size;
    virtio_queue_notify(p->vdev, (unsigned)(addr / NOTIFY_MULT));
}

static const MemoryRegionOps notify_ops = {
    .read = notify_read,
    .write = notify_write,
    .valid_min = 1,
    .valid_max = 4,
};

static void virtio_pci_reset(PCIDevice *d);

/* ---- The legacy I/O block ---- */

static uint64_t legacy_config_off(VirtIOPCIProxy *p)
{
    uint16_t ctrl = pci_get_word(p->pci.config + p->msix_cap + 2);

    return (ctrl & 0x8000) ? LG_CONFIG + 4 : LG_CONFIG;
}

static uint64_t legacy_read(void *opaque, uint64_t addr, unsigned size)
{
    VirtIOPCIProxy *p = opaque;
    VirtIODevice *vdev = p->vdev;
    VirtQueue *vq = selected_vq(p);
    uint64_t cfg = legacy_config_off(p);

    if (addr >= cfg)
        return virtio_config_read(vdev, addr - cfg, size);
    switch (addr) {
    case LG_HOST_FEATURES:
        return virtio_features_read(vdev->host_features, 0);
    case LG_GUEST_FEATURES:
        return virtio_features_read(vdev->guest_features, 0);
    case LG_QUEUE_PFN:
        return vq ? (uint32_t)(vq->desc >> 12) : 0;
    case LG_QUEUE_NUM:
        return vq ? vq->num_max : 0;
    case LG_QUEUE_SEL:
        return p->queue_sel;
    case LG_STATUS:
        return vdev->status;
    case LG_ISR:
        return isr_take(p);
    case 0x14:
        return p->config_vector;
    case 0x16:
        return vq ? p->vq_vector[p->queue_sel] : VIRTIO_NO_VECTOR;
    default:
        return 0;
    }
}

/*
 * A legacy queue lives at one page number: the descriptors, then the
 * avail ring, then the used ring at the next 4 KiB boundary, with the
 * device's maximum size (spec 4.1.4.8, 2.7.2 legacy interfaces).  Page 0
 * resets the device, as in QEMU.
 */
static void legacy_set_pfn(VirtIOPCIProxy *p, VirtQueue *vq, uint32_t pfn)
{
    uint64_t pa = (uint64_t)pfn << 12;

    if (!pa) {
        virtio_pci_reset(&p->pci);
        return;
    }
    vq->num = vq->num_max;
    vq->desc = pa;
    vq->avail = pa + 16ull * vq->num;
    vq->used = (vq->avail + 6 + 2ull * vq->num + 4095) & ~4095ull;
    virtio_queue_field_write(vq, VIRTQ_FIELD_READY, 1, p->name, LG_QUEUE_PFN);
}

static void legacy_write(void *opaque, uint64_t addr, uint64_t val,
                         unsigned size)
{
    VirtIOPCIProxy *p = opaque;
    VirtIODevice *vdev = p->vdev;
    VirtQueue *vq = selected_vq(p);
    uint64_t cfg = legacy_config_off(p);

    if (addr >= cfg) {
        virtio_config_write(vdev, addr - cfg, val, size);
        return;
    }
    switch (addr) {
    case LG_GUEST_FEATURES:
        /* A legacy driver: its features take effect at once, without
           VERSION_1 or a FEATURES_OK step. */
        vdev->legacy = true;
        if (!virtio_set_features(vdev, (uint32_t)val))
            virtio_error(vdev, "legacy driver asked for features 0x%x the "
                         "device lacks", (uint32_t)val);
        break;
    case LG_QUEUE_PFN:
        vdev->legacy = true;
        if (vq)
            legacy_set_pfn(p, vq, (uint32_t)val);
        else if ((uint32_t)val == 0)
            virtio_pci_reset(&p->pci);
        break;
    case LG_QUEUE_SEL:
        p->queue_sel = (uint16_t)val;
        break;
    case LG_QUEUE_NOTIFY:
        virtio_queue_notify(vdev, (unsigned)(val & 0xffff));
        break;
    case LG_STATUS:
        if ((val & 0xff) == 0) {
            virtio_pci_reset(&p->pci);
        } else {
            vdev->legacy = true;
            virtio_set_status(vdev, (uint8_t)val);
        }
        break;
    case 0x14:
    case 0x16:
        if (cfg == LG_CONFIG + 4) {     /* the vectors, with MSI-X on */
            if (addr == 0x14)
                p->config_vector = vector_or_none(p, (uint32_t)val);
            else if (vq)
                p->vq_vector[p->queue_sel] = vector_or_none(p, (uint32_t)val);
        }
        break;
    default:
        log_mask(LOG_GUEST_ERROR, "%s: write of read-only legacy register "
                 "0x%" PRIx64 "\n", p->name, addr);
        break;
    }
}

static const MemoryRegionOps legacy_ops = {
    .read = legacy_read,
    .write = legacy_write,
    .valid_min = 1,
    .valid_max = 4,
};

/* ---- MSI-X table (kept, never signalled) ---- */

static uint64_t msix_table_read(void *opaque, uint64_t addr, unsigned size)
{
    VirtIOPCIProxy *p = opaque;
    uint64_t v = 0;

    if (addr + size <= sizeof(p->msix_table_data))
        memcpy(&v, p->msix_table_data + addr, size);
    return v;
}

static void msix_table_write(void *opaque, uint64_t addr, uint64_t val,
                             unsigned size)
{
    VirtIOPCIProxy *p = opaque;

    if (addr + size <= 16ull * p->nvectors)
        memcpy(p->msix_table_data + addr, &val, size);
}

static const MemoryRegionOps msix_table_ops = {
    .read = msix_table_read,
    .write = msix_table_write,
    .valid_min = 4,
    .valid_max = 8,
    .impl_min = 4,
    .impl_max = 8,
};

static uint64_t pba_read(void *opaque, uint64_t addr, unsigned size)
{
    (void)opaque; (void)addr; (void)size;
    return 0;
}

static const MemoryRegionOps msix_pba_ops = {
    .read = pba_read,
    .write = ignore_write,
    .valid_min = 4,
    .valid_max = 8,
};

static void msix_reset(VirtIOPCIProxy *p)
{
    memset(p->msix_table_data, 0, sizeof(p->msix_table_data));
    /* Every vector masked at reset (PCI 3.0, 6.8.2.9). */
    for (unsigned i = 0; i < p->nvectors; i++)
        p->msix_table_data[16 * i + 12] = 1;
}

/* ---- Capabilities and BARs ---- */

static void add_vendor_cap(VirtIOPCIProxy *p, uint8_t type, uint8_t len,
                           uint8_t bar, uint32_t offset, uint32_t length)
{
    uint8_t off = pci_add_capability(&p->pci, PCI_CAP_ID_VNDR, 0, len);
    uint8_t *c = p->pci.config + off;

    c[2] = len;
    c[3] = type;
    c[4] = bar;
    pci_set_long(c + 8, offset);
    pci_set_long(c + 12, length);
}

static void add_msix_cap(VirtIOPCIProxy *p)
{
    uint8_t off = pci_add_capability(&p->pci, PCI_CAP_ID_MSIX, 0, 12);
    uint8_t *c = p->pci.config + off;

    p->msix_cap = off;
    pci_set_word(c + 2, (uint16_t)(p->nvectors - 1));
    pci_set_long(c + 4, MSIX_BAR);                   /* table at 0 */
    pci_set_long(c + 8, MSIX_PBA_OFF | MSIX_BAR);
    /* MSI-X enable and function mask. */
    pci_set_word(p->pci.wmask + off + 2, 0xc000);
}

static void init_modern(VirtIOPCIProxy *p, const char *base)
{
    g_autofree char *n_common = g_strdup_printf("virtio-pci-common-%s", base);
    g_autofree char *n_isr = g_strdup_printf("virtio-pci-isr-%s", base);
    g_autofree char *n_device = g_strdup_printf("virtio-pci-device-%s", base);
    g_autofree char *n_notify = g_strdup_printf("virtio-pci-notify-%s", base);

    memory_region_init(&p->modern_bar, "virtio-pci", 0x4000);
    memory_region_init_io(&p->common, &common_ops, p, n_common, REGION_SIZE);
    memory_region_init_io(&p->isr, &isr_ops, p, n_isr, REGION_SIZE);
    memory_region_init_io(&p->device, &device_ops, p, n_device, REGION_SIZE);
    memory_region_init_io(&p->notify, &notify_ops, p, n_notify, REGION_SIZE);
    memory_region_add_subregion(&p->modern_bar, COMMON_OFF, &p->common);
    memory_region_add_subregion(&p->modern_bar, ISR_OFF, &p->isr);
    memory_region_add_subregion(&p->modern_bar, DEVICE_OFF, &p->device);
    memory_region_add_subregion(&p->modern_bar, NOTIFY_OFF, &p->notify);
    add_vendor_cap(p, CAP_COMMON, 16, MODERN_BAR, COMMON_OFF, REGION_SIZE);
    add_vendor_cap(p, CAP_ISR, 16, MODERN_BAR, ISR_OFF, REGION_SIZE);
    add_vendor_cap(p, CAP_DEVICE, 16, MODERN_BAR, DEVICE_OFF, REGION_SIZE);
    add_vendor_cap(p, CAP_NOTIFY, 20, MODERN_BAR, NOTIFY_OFF, REGION_SIZE);
    pci_set_long(p->pci.config + p->pci.last_cap - 4, NOTIFY_MULT);
    /* The PCI-config access window (4.1.4.9): present, as in QEMU; its
       data register reads as zero here. */
    add_vendor_cap(p, CAP_PCI_CFG, 20, 0, 0, 0);
    pci_register_bar(&p->pci, MODERN_BAR, PCI_BAR_MEM64 | PCI_BAR_PREFETCH,
                     &p->modern_bar);
}

static uint64_t pow2ceil(uint64_t v)
{
    uint64_t r = 1;

    while (r < v)
        r <<= 1;
    return r;
}

static void virtio_pci_reset(PCIDevice *d)
{
    VirtIOPCIProxy *p = (VirtIOPCIProxy *)d;

    virtio_reset(p->vdev);
    common_reset(p);
    msix_reset(p);
}

static const PCIDeviceOps virtio_pci_ops = {
    .reset = virtio_pci_reset,
};

/* Transitional device IDs (4.1.2.3). */
static int legacy_device_id(uint16_t virtio_id)
{
    switch (virtio_id) {
    case VIRTIO_ID_NET: return 0x1000;
    case VIRTIO_ID_BLOCK: return 0x1001;
    case 5: return 0x1002;             /* balloon */
    case VIRTIO_ID_CONSOLE: return 0x1003;
    case 8: return 0x1004;             /* scsi */
    case VIRTIO_ID_RNG: return 0x1005;
    case 9: return 0x1009;             /* 9p */
    default: return -1;
    }
}

bool virtio_pci_has_legacy_id(uint16_t virtio_id)
{
    return legacy_device_id(virtio_id) >= 0;
}

VirtIOPCIProxy *virtio_pci_create(PCIBus *bus, VirtIODevice *vdev,
                                  const VirtIOPCIOptions *o, char **err)
{
    VirtIOPCIProxy *p = g_new0(VirtIOPCIProxy, 1);
    uint16_t id = vdev->ops->device_id;
    int legacy_id = legacy_device_id(id);
    g_autofree char *base = g_strdup(vdev->ops->name);
    char *dash = strrchr(base, '-');

    /* "virtio-rng-device" -> "virtio-rng", the stem QEMU names regions
       after. */
    if (dash && !strcmp(dash, "-device"))
        *dash = '\0';
    p->name = g_strdup_printf("%s-pci", base);
    p->vdev = vdev;
    p->legacy = legacy_id >= 0 && o->disable_legacy != VIRTIO_PCI_ON;
    p->modern = o->disable_modern != VIRTIO_PCI_ON;
    if (legacy_id < 0 && o->disable_legacy == VIRTIO_PCI_OFF) {
        *err = g_strdup_printf("device is modern-only, use disable-legacy=on");
        goto fail;
    }
    if (!p->modern) {
        *err = g_strdup_printf("disable-modern=on is not supported (a "
                               "legacy-only device)");
        goto fail;
    }
    p->nvectors = o->vectors ? o->vectors : 2;
    if (p->nvectors > 64) {
        *err = g_strdup_printf("vectors=%u: at most 64 are supported",
                               p->nvectors);
        goto fail;
    }
    pci_device_init(&p->pci, p->name, &virtio_pci_ops, VIRTIO_PCI_VENDOR,
                    p->legacy ? (uint16_t)legacy_id : (uint16_t)(0x1040 + id),
                    o->class_code, p->legacy ? 0 : 1);
    if (p->legacy)
        pci_set_word(p->pci.config + PCI_SUBSYSTEM_ID, id);
    if (p->legacy) {
        uint64_t size = pow2ceil(LG_CONFIG + 4 + vdev->config_len);

        memory_region_init_io(&p->legacy_io, &legacy_ops, p, "virtio-pci",
                              size);
        pci_register_bar(&p->pci, LEGACY_BAR, PCI_BAR_IO, &p->legacy_io);
    }
    {
        g_autofree char *n_msix = g_strdup_printf("%s-msix", p->name);

        memory_region_init(&p->msix_bar, n_msix, 0x1000);
        memory_region_init_io(&p->msix_table, &msix_table_ops, p, "msix-table",
                              16ull * p->nvectors);
        memory_region_init_io(&p->msix_pba, &msix_pba_ops, p, "msix-pba", 8);
        memory_region_add_subregion(&p->msix_bar, 0, &p->msix_table);
        memory_region_add_subregion(&p->msix_bar, MSIX_PBA_OFF, &p->msix_pba);
        pci_register_bar(&p->pci, MSIX_BAR, PCI_BAR_MEM32, &p->msix_bar);
    }
    init_modern(p, base);
    add_msix_cap(p);
    if (!pci_bus_plug(bus, &p->pci, o->devfn, o->multifunction, err))
        goto fail;
    p->irq = irq_new(virtio_pci_irq, p, 0);
    vdev->irq = p->irq;
    virtio_pci_reset(&p->pci);
    return p;

fail:
    g_free(p->name);
    g_free(p);
    return NULL;
}

PCIDevice *virtio_pci_device(VirtIOPCIProxy *p)
{
    return &p->pci;
}
