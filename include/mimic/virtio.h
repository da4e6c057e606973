/*
 * Virtio devices (hw/virtio/, virtio spec 1.2): the device core with
 * feature negotiation, status, config space and split virtqueues
 * (virtio.c), the virtio-mmio transport version 2 (virtio-mmio.c), and the
 * devices (virtio-rng.c, virtio-blk.c, virtio-net.c, ...).
 *
 * A device fills a VirtIODeviceOps, creates its queues with
 * virtio_add_queue() and handles notifications by popping requests:
 *
 *   static void rng_handle(VirtIODevice *vdev, VirtQueue *vq) {
 *       VirtQueueElement *e;
 *       while ((e = virtqueue_pop(vq))) {
 *           n = fill(buf, e->in_len);
 *           virtqueue_elem_write(e, 0, buf, n);
 *           virtqueue_push(vq, e, n);       (frees e)
 *       }
 *       virtqueue_notify(vq);
 *   }
 *
 * Guest memory is reached only through the DMA address space
 * (address_space_read/write), so a write into RAM that holds translated
 * code invalidates it.  Every descriptor is checked: a chain that loops,
 * is longer than the ring, points outside the ring, mixes up readable and
 * writable parts, or names memory that is not RAM makes the device
 * "broken": it logs a guest error (-d guest_errors), sets
 * DEVICE_NEEDS_RESET, stops processing until the driver resets it, and the
 * host stays up.  Everything runs with the BQL held (MMIO from a vCPU, or
 * the main loop).  A handler that has served twice the ring's size in one
 * notification gets NULL from virtqueue_pop and is called again from the
 * main loop, so a driver that keeps adding requests cannot hold the BQL.
 */
#ifndef MIMIC_VIRTIO_H
#define MIMIC_VIRTIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mimic/irq.h"
#include "mimic/memory.h"

/* Device IDs (spec 5). */
enum {
    VIRTIO_ID_NET = 1,
    VIRTIO_ID_BLOCK = 2,
    VIRTIO_ID_CONSOLE = 3,
    VIRTIO_ID_RNG = 4,
    VIRTIO_ID_GPU = 16,
    VIRTIO_ID_INPUT = 18,
};

/* Feature bits common to all devices (spec 6). */
#define VIRTIO_F_INDIRECT_DESC 28
#define VIRTIO_F_EVENT_IDX 29
#define VIRTIO_F_VERSION_1 32
#define VIRTIO_F_ACCESS_PLATFORM 33

/* Device status bits (spec 2.1). */
enum {
    VIRTIO_STATUS_ACKNOWLEDGE = 1,
    VIRTIO_STATUS_DRIVER = 2,
    VIRTIO_STATUS_DRIVER_OK = 4,
    VIRTIO_STATUS_FEATURES_OK = 8,
    VIRTIO_STATUS_NEEDS_RESET = 64,
    VIRTIO_STATUS_FAILED = 128,
};

#define VIRTIO_QUEUE_MAX 64     /* virtio-serial: 2 per port + 2, 31 ports */
#define VIRTQUEUE_MAX_SIZE 1024

typedef struct VirtIODevice VirtIODevice;
typedef struct VirtQueue VirtQueue;

/* One request: the buffers of a descriptor chain, device-readable ("out")
   first, then device-writable ("in"). */
typedef struct VirtQueueElement {
    unsigned index;            /* head descriptor, returned in the used ring */
    unsigned out_num, in_num;
    uint64_t out_len, in_len;  /* total bytes of each part */
    struct VirtQueueBuf {
        uint64_t addr;
        uint32_t len;
    } *out, *in;
} VirtQueueElement;

typedef void (*VirtQueueHandler)(VirtIODevice *vdev, VirtQueue *vq);

struct VirtQueue {
    VirtIODevice *vdev;
    int index;
    unsigned num_max;          /* QueueNumMax */
    unsigned num;              /* size the driver chose */
    bool ready;
    uint64_t desc, avail, used;/* guest-physical ring addresses */
    uint16_t last_avail_idx;   /* next avail entry to pop */
    uint16_t used_idx;         /* next used entry to fill */
    uint16_t signalled_used;   /* used_idx at the last interrupt */
    bool signalled_used_valid;
    VirtQueueHandler handle;
    /* One notification pops at most 2 * num requests, so that a driver
       adding requests as fast as they are served (from another vCPU)
       cannot keep the handler, and the BQL, forever; the rest is served
       from the main loop (resume). */
    unsigned budget;
    bool in_handler, throttled;
    struct Timer *resume;
};

typedef struct VirtIODeviceOps {
    const char *name;          /* "virtio-rng-device" */
    uint16_t device_id;
    /* Reads/writes the device's config space (config_len bytes);
       get_config refreshes vdev->config before a driver read. */
    void (*get_config)(VirtIODevice *vdev, uint8_t *config);
    void (*set_config)(VirtIODevice *vdev, const uint8_t *config);
    /* The driver accepted these features (FEATURES_OK). */
    void (*set_features)(VirtIODevice *vdev, uint64_t features);
    /* Status changed (DRIVER_OK set, or the device was reset). */
    void (*set_status)(VirtIODevice *vdev, uint8_t status);
    /* Back to power-on state (status 0 written, or system reset). */
    void (*reset)(VirtIODevice *vdev);
    /* Frees the device's own state (exit). */
    void (*cleanup)(VirtIODevice *vdev);
} VirtIODeviceOps;

struct VirtIODevice {
    const VirtIODeviceOps *ops;
    AddressSpace *dma_as;
    uint64_t host_features;    /* offered (VERSION_1 etc. added by core) */
    uint64_t guest_features;   /* accepted by the driver */
    uint8_t status;
    uint8_t isr;               /* bit 0 used buffer, bit 1 config change */
    bool broken;
    /* Driven through a legacy (pre-1.0) interface since the last reset:
       features without VERSION_1, no FEATURES_OK step, guest-endian
       (little-endian here) rings laid out by one page number. */
    bool legacy;
    uint32_t config_generation;
    size_t config_len;
    uint8_t *config;
    int nvqs;
    VirtQueue vq[VIRTIO_QUEUE_MAX];
    /* Set by the transport: the interrupt line follows isr != 0. */
    IRQLine *irq;
    void *opaque;              /* the device's own state */
};

/* Sets up vdev for ops with a config space of config_len bytes. */
void virtio_init(VirtIODevice *vdev, const VirtIODeviceOps *ops,
                 size_t config_len, uint64_t features, void *opaque);
VirtQueue *virtio_add_queue(VirtIODevice *vdev, unsigned num_max,
                            VirtQueueHandler handle);
bool virtio_has_feature(const VirtIODevice *vdev, unsigned bit);

/* The next request, or NULL if the ring is empty or the device is broken.
   g_free it (virtqueue_push does). */
VirtQueueElement *virtqueue_pop(VirtQueue *vq);
/* Copies from the readable part at offset; returns bytes copied. */
size_t virtqueue_elem_read(VirtIODevice *vdev, const VirtQueueElement *e,
                           uint64_t offset, void *buf, size_t len);
/* Copies into the writable part at offset; returns bytes copied. */
size_t virtqueue_elem_write(VirtIODevice *vdev, const VirtQueueElement *e,
                            uint64_t offset, const void *buf, size_t len);
/* Puts e in the used ring with len bytes written, and frees it. */
void virtqueue_push(VirtQueue *vq, VirtQueueElement *e, uint32_t len);
/* Gives e back unprocessed (it will be popped again), and frees it. */
void virtqueue_unpop(VirtQueue *vq, VirtQueueElement *e);
/* Interrupts the driver if it wants to hear of the used entries since
   the last notification (event index or the NO_INTERRUPT flag). */
void virtqueue_notify(VirtQueue *vq);
/* True if the avail ring has entries not yet popped. */
bool virtqueue_has_work(VirtQueue *vq);

/* Config space changed: bumps the generation and interrupts. */
void virtio_notify_config(VirtIODevice *vdev);
/* The driver broke the rules: log, mark broken, ask for a reset. */
void virtio_error(VirtIODevice *vdev, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Transport side (virtio-mmio.c, virtio-pci.c). */
void virtio_reset(VirtIODevice *vdev);
void virtio_set_status(VirtIODevice *vdev, uint8_t status);
/* Returns false if the driver asked for features the device lacks or
   without VERSION_1 (FEATURES_OK must then stay clear). */
bool virtio_set_features(VirtIODevice *vdev, uint64_t features);
void virtio_queue_notify(VirtIODevice *vdev, unsigned n);
/* The queue's size and ring addresses are ones it can start with: a
   power of 2 up to num_max, the rings aligned and wholly in RAM. */
bool virtqueue_rings_valid(VirtQueue *vq);
void virtio_update_irq(VirtIODevice *vdev);

/*
 * What the modern transports share (virtio-mmio 4.2.2, virtio-pci common
 * config 4.1.4.3): each maps its register offsets onto these, so the rules
 * live here once and only the layout is the transport's.
 */

/* Queue n, or NULL if the device has no such queue (a selector register
   can hold any value). */
VirtQueue *virtio_get_queue(VirtIODevice *vdev, uint32_t n);

/* The 32-bit per-queue registers of a modern transport. */
typedef enum VirtQueueField {
    VIRTQ_FIELD_SIZE,
    VIRTQ_FIELD_READY,
    VIRTQ_FIELD_DESC_LO,
    VIRTQ_FIELD_DESC_HI,
    VIRTQ_FIELD_DRIVER_LO,     /* the avail ring */
    VIRTQ_FIELD_DRIVER_HI,
    VIRTQ_FIELD_DEVICE_LO,     /* the used ring */
    VIRTQ_FIELD_DEVICE_HI,
    VIRTQ_FIELD_COUNT,
} VirtQueueField;

/* Finds the field at register offset reg in a transport's layout (the
   offset of each field); false if reg is none of them. */
bool virtio_queue_field_at(const uint16_t layout[VIRTQ_FIELD_COUNT],
                           uint64_t reg, VirtQueueField *f);

/* 0 for a NULL vq (no queue selected). */
uint32_t virtio_queue_field_read(VirtQueue *vq, VirtQueueField f);
/* Ignored for a NULL vq.  The size and ring addresses change only while
   the queue is not ready: otherwise a guest error names who (the
   transport instance) and reg (its register offset).  Writing READY 1
   starts the queue only if its rings are valid, else the device is broken
   (virtio_error); READY 0 stops it. */
void virtio_queue_field_write(VirtQueue *vq, VirtQueueField f, uint32_t v,
                              const char *who, uint64_t reg);

/* Word sel (0: bits 0-31, 1: bits 32-63) of a feature set; 0 beyond. */
uint32_t virtio_features_read(uint64_t features, uint32_t sel);
/* The driver's word sel of guest_features; ignored beyond word 1 and
   once FEATURES_OK is set (the features were accepted then). */
void virtio_guest_features_write(VirtIODevice *vdev, uint32_t sel,
                                 uint32_t v);

/* Device config space access of size bytes at off (little-endian host);
   outside config_len reads 0 and writes are ignored. */
uint64_t virtio_config_read(VirtIODevice *vdev, uint64_t off, unsigned size);
void virtio_config_write(VirtIODevice *vdev, uint64_t off, uint64_t val,
                         unsigned size);

/* ---- The virtio-mmio transport ---- */

typedef struct VirtIOMMIO VirtIOMMIO;
typedef struct MachineState MachineState;
typedef struct FdtBuilder FdtBuilder;

#define VIRTIO_MMIO_SIZE 0x1000

/* An (empty) transport at base, interrupting through irq; it joins ms's
   reset list (and resets the device plugged in it then). */
VirtIOMMIO *virtio_mmio_create(MachineState *ms, MemoryRegion *parent,
                               uint64_t base, IRQLine *irq);
/* Puts vdev behind an empty transport; false if it is taken. */
bool virtio_mmio_plug(VirtIOMMIO *t, VirtIODevice *vdev);
bool virtio_mmio_is_empty(const VirtIOMMIO *t);
/* System reset: the plugged device goes back to power-on state. */
void virtio_mmio_reset(VirtIOMMIO *t);
/* Adds virtio_mmio@base under parent, interrupting on line irq of
   controller intc (a phandle); an empty slot is listed too (it reads as
   device ID 0). */
void virtio_mmio_fdt_add(FdtBuilder *b, int parent, uint64_t base,
                         uint32_t intc, uint32_t irq);

#endif
