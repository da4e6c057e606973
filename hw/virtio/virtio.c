/*
 * The virtio device core (include/mimic/virtio.h): feature negotiation,
 * device status, config space, and split virtqueues (virtio spec 1.2,
 * section 2.7) with indirect descriptors and event-index notification
 * suppression.  The rings live in guest RAM and are read and written only
 * through the DMA address space, with fences that pair with the driver's
 * (the driver runs on vCPU threads, concurrently with a device on the main
 * loop).  A driver that breaks the ring rules makes the device broken
 * (virtio_error), never the host.
 */
#include <stdarg.h>
#include <string.h>

#include <glib.h>

#include "mimic/log.h"
#include "mimic/timer.h"
#include "mimic/virtio.h"

/* Descriptor flags (spec 2.7.5). */
enum {
    VRING_DESC_F_NEXT = 1,
    VRING_DESC_F_WRITE = 2,
    VRING_DESC_F_INDIRECT = 4,
};
#define VRING_AVAIL_F_NO_INTERRUPT 1
#define VRING_USED_F_NO_NOTIFY 1

typedef struct VRingDesc {
    uint64_t addr;
    uint32_t len;
    uint16_t flags;
    uint16_t next;
} VRingDesc;

void virtio_init(VirtIODevice *vdev, const VirtIODeviceOps *ops,
                 size_t config_len, uint64_t features, void *opaque)
{
    memset(vdev, 0, sizeof(*vdev));
    vdev->ops = ops;
    vdev->dma_as = &address_space_memory;
    vdev->host_features = features | (1ull << VIRTIO_F_VERSION_1) |
                          (1ull << VIRTIO_F_INDIRECT_DESC) |
                          (1ull << VIRTIO_F_EVENT_IDX);
    vdev->config_len = config_len;
    vdev->config = g_malloc0(config_len ? config_len : 1);
    vdev->opaque = opaque;
}

VirtQueue *virtio_add_queue(VirtIODevice *vdev, unsigned num_max,
                            VirtQueueHandler handle)
{
    VirtQueue *vq;

    g_assert(vdev->nvqs < VIRTIO_QUEUE_MAX);
    g_assert(num_max > 0 && num_max <= VIRTQUEUE_MAX_SIZE);
    vq = &vdev->vq[vdev->nvqs];
    memset(vq, 0, sizeof(*vq));
    vq->vdev = vdev;
    vq->index = vdev->nvqs++;
    vq->num_max = num_max;
    vq->num = num_max;
    vq->handle = handle;
    return vq;
}

bool virtio_has_feature(const VirtIODevice *vdev, unsigned bit)
{
    return (vdev->guest_features >> bit) & 1;
}

void virtio_update_irq(VirtIODevice *vdev)
{
    if (vdev->irq)
        irq_set(vdev->irq, vdev->isr != 0);
}

void virtio_error(VirtIODevice *vdev, const char *fmt, ...)
{
    va_list ap;
    g_autofree char *msg = NULL;

    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    log_mask(LOG_GUEST_ERROR, "%s: %s\n", vdev->ops->name, msg);
    if (vdev->broken)
        return;
    vdev->broken = true;
    /* Spec 2.1.2: tell the driver with NEEDS_RESET and a config
       interrupt, once it is running. */
    if (vdev->status & VIRTIO_STATUS_DRIVER_OK) {
        vdev->status |= VIRTIO_STATUS_NEEDS_RESET;
        virtio_notify_config(vdev);
    }
}

void virtio_notify_config(VirtIODevice *vdev)
{
    vdev->config_generation++;
    if (!(vdev->status & VIRTIO_STATUS_DRIVER_OK))
        return;
    vdev->isr |= 2;
    virtio_update_irq(vdev);
}

/* ---- Guest memory ---- */

static bool dma_read(VirtIODevice *vdev, uint64_t addr, void *buf, size_t len)
{
    return address_space_read(vdev->dma_as, addr, buf, len) == MEMTX_OK;
}

static bool dma_write(VirtIODevice *vdev, uint64_t addr, const void *buf,
                      size_t len)
{
    return address_space_write(vdev->dma_as, addr, buf, len) == MEMTX_OK;
}

/* Ring fields, little-endian (a VERSION_1 device).  false: not RAM. */
static bool ring_read16(VirtQueue *vq, uint64_t addr, uint16_t *v)
{
    uint16_t le;

    if (!dma_read(vq->vdev, addr, &le, 2)) {
        virtio_error(vq->vdev, "queue %d: ring at 0x%" G_GINT64_MODIFIER
                     "x is not in RAM", vq->index, addr);
        return false;
    }
    *v = GUINT16_FROM_LE(le);
    return true;
}

static bool ring_write16(VirtQueue *vq, uint64_t addr, uint16_t v)
{
    uint16_t le = GUINT16_TO_LE(v);

    if (!dma_write(vq->vdev, addr, &le, 2)) {
        virtio_error(vq->vdev, "queue %d: ring at 0x%" G_GINT64_MODIFIER
                     "x is not in RAM", vq->index, addr);
        return false;
    }
    return true;
}

/* avail: flags, idx, ring[num], used_event.  used: flags, idx,
   ring[num] of {id, len}, avail_event. */
static uint64_t avail_idx_addr(VirtQueue *vq) { return vq->avail + 2; }
static uint64_t avail_ring_addr(VirtQueue *vq, unsigned i)
{
    return vq->avail + 4 + 2ull * i;
}
static uint64_t used_event_addr(VirtQueue *vq)
{
    return vq->avail + 4 + 2ull * vq->num;
}
static uint64_t used_idx_addr(VirtQueue *vq) { return vq->used + 2; }
static uint64_t used_elem_addr(VirtQueue *vq, unsigned i)
{
    return vq->used + 4 + 8ull * i;
}
static uint64_t avail_event_addr(VirtQueue *vq)
{
    return vq->used + 4 + 8ull * vq->num;
}

bool virtqueue_rings_valid(VirtQueue *vq)
{
    AddressSpace *as = vq->vdev->dma_as;
    unsigned num = vq->num;

    /* Spec 2.7: the sizes and alignments of the three parts. */
    if (num == 0 || num > vq->num_max || (num & (num - 1)) || (vq->desc & 15) ||
        (vq->avail & 1) || (vq->used & 3))
        return false;
    /* In RAM, so ring accesses never reach a device's registers, and
       never wrap around the address space. */
    return address_space_ram_ptr(as, vq->desc, 16ull * num) &&
           address_space_ram_ptr(as, vq->avail, 6 + 2ull * num) &&
           address_space_ram_ptr(as, vq->used, 6 + 8ull * num);
}

static bool vq_usable(VirtQueue *vq)
{
    return vq->ready && !vq->vdev->broken &&
           (vq->vdev->status & VIRTIO_STATUS_DRIVER_OK);
}

bool virtqueue_has_work(VirtQueue *vq)
{
    uint16_t idx;

    if (!vq_usable(vq) || !ring_read16(vq, avail_idx_addr(vq), &idx))
        return false;
    return idx != vq->last_avail_idx;
}

/* ---- Popping a descriptor chain ---- */

static bool read_desc(VirtQueue *vq, uint64_t table, unsigned i, VRingDesc *d)
{
    uint8_t raw[16];

    if (!dma_read(vq->vdev, table + 16ull * i, raw, sizeof(raw))) {
        virtio_error(vq->vdev, "queue %d: descriptor table at 0x%"
                     G_GINT64_MODIFIER "x is not in RAM", vq->index, table);
        return false;
    }
    memcpy(&d->addr, raw, 8);
    memcpy(&d->len, raw + 8, 4);
    memcpy(&d->flags, raw + 12, 2);
    memcpy(&d->next, raw + 14, 2);
    d->addr = GUINT64_FROM_LE(d->addr);
    d->len = GUINT32_FROM_LE(d->len);
    d->flags = GUINT16_FROM_LE(d->flags);
    d->next = GUINT16_FROM_LE(d->next);
    return true;
}

typedef struct ChainBuilder {
    GArray *out, *in;
    uint64_t out_len, in_len;
} ChainBuilder;

static bool chain_add(VirtQueue *vq, ChainBuilder *c, const VRingDesc *d)
{
    struct VirtQueueBuf b = { d->addr, d->len };

    if (d->len && d->addr + d->len - 1 < d->addr) {
        virtio_error(vq->vdev, "queue %d: buffer wraps around", vq->index);
        return false;
    }
    if (d->len && !address_space_ram_ptr(vq->vdev->dma_as, d->addr, d->len)) {
        virtio_error(vq->vdev, "queue %d: buffer 0x%" G_GINT64_MODIFIER
                     "x+%u is not in RAM", vq->index, d->addr, d->len);
        return false;
    }
    if (c->out->len + c->in->len >= VIRTQUEUE_MAX_SIZE) {
        virtio_error(vq->vdev, "queue %d: chain longer than %u buffers",
                     vq->index, VIRTQUEUE_MAX_SIZE);
        return false;
    }
    if (d->flags & VRING_DESC_F_WRITE) {
        g_array_append_val(c->in, b);
        c->in_len += d->len;
    } else {
        if (c->in->len) {
            virtio_error(vq->vdev, "queue %d: readable buffer after a "
                         "writable one", vq->index);
            return false;
        }
        g_array_append_val(c->out, b);
        c->out_len += d->len;
    }
    return true;
}

/* Walks the chain from head; false (device broken) on any rule broken. */
static bool walk_chain(VirtQueue *vq, unsigned head, ChainBuilder *c)
{
    uint64_t table = vq->desc;
    unsigned table_num = vq->num, i = head, seen = 0;
    bool indirect = false;
    VRingDesc d;

    for (;;) {
        if (!read_desc(vq, table, i, &d))
            return false;
        if (d.flags & VRING_DESC_F_INDIRECT) {
            if (!virtio_has_feature(vq->vdev, VIRTIO_F_INDIRECT_DESC) ||
                indirect || (d.flags & VRING_DESC_F_NEXT)) {
                virtio_error(vq->vdev, "queue %d: bad indirect descriptor "
                             "(flags 0x%x)", vq->index, d.flags);
                return false;
            }
            if (d.len == 0 || d.len % 16 || d.len / 16 > VIRTQUEUE_MAX_SIZE) {
                virtio_error(vq->vdev, "queue %d: indirect table of %u bytes",
                             vq->index, d.len);
                return false;
            }
            /* Read as descriptors only from RAM: not from a device's
               registers (reads there have side effects), not past RAM. */
            if (!address_space_ram_ptr(vq->vdev->dma_as, d.addr, d.len)) {
                virtio_error(vq->vdev,
                             "queue %d: indirect table 0x%" G_GINT64_MODIFIER
                             "x+%u is not in RAM",
                             vq->index, d.addr, d.len);
                return false;
            }
            table = d.addr;
            table_num = d.len / 16;
            i = 0;
            seen = 0;
            indirect = true;
            continue;
        }
        if (++seen > table_num) {
            virtio_error(vq->vdev, "queue %d: descriptor chain loops",
                         vq->index);
            return false;
        }
        if (!chain_add(vq, c, &d))
            return false;
        if (!(d.flags & VRING_DESC_F_NEXT))
            return true;
        i = d.next;
        if (i >= table_num) {
            virtio_error(vq->vdev, "queue %d: next descriptor %u out of %u",
                         vq->index, i, table_num);
            return false;
        }
    }
}

VirtQueueElement *virtqueue_pop(VirtQueue *vq)
{
    ChainBuilder c;
    VirtQueueElement *e;
    uint16_t avail, head;
    bool ok;

    if (!vq_usable(vq))
        return NULL;
    if (!ring_read16(vq, avail_idx_addr(vq), &avail))
        return NULL;
    if ((uint16_t)(avail - vq->last_avail_idx) > vq->num) {
        virtio_error(vq->vdev, "queue %d: avail index moved from %u to %u",
                     vq->index, vq->last_avail_idx, avail);
        return NULL;
    }
    if (avail == vq->last_avail_idx)
        return NULL;
    if (vq->in_handler) {
        if (vq->budget == 0) {
            vq->throttled = true;
            return NULL;
        }
        vq->budget--;
    }
    /* Read the ring entry only after seeing the index (pairs with the
       driver's write barrier). */
    __atomic_thread_fence(__ATOMIC_ACQUIRE);
    if (!ring_read16(vq, avail_ring_addr(vq, vq->last_avail_idx % vq->num),
                     &head))
        return NULL;
    if (head >= vq->num) {
        virtio_error(vq->vdev, "queue %d: head descriptor %u out of %u",
                     vq->index, head, vq->num);
        return NULL;
    }
    c.out = g_array_new(FALSE, FALSE, sizeof(struct VirtQueueBuf));
    c.in = g_array_new(FALSE, FALSE, sizeof(struct VirtQueueBuf));
    c.out_len = c.in_len = 0;
    ok = walk_chain(vq, head, &c);
    if (!ok) {
        g_array_free(c.out, TRUE);
        g_array_free(c.in, TRUE);
        return NULL;
    }
    vq->last_avail_idx++;
    if (virtio_has_feature(vq->vdev, VIRTIO_F_EVENT_IDX))
        ring_write16(vq, avail_event_addr(vq), vq->last_avail_idx);
    /* One allocation: the element, then its out and in arrays. */
    e = g_malloc0(sizeof(*e) + (c.out->len + c.in->len) *
                  sizeof(struct VirtQueueBuf));
    e->index = head;
    e->out_num = c.out->len;
    e->in_num = c.in->len;
    e->out_len = c.out_len;
    e->in_len = c.in_len;
    e->out = (struct VirtQueueBuf *)(e + 1);
    e->in = e->out + e->out_num;
    /* An empty GArray has no data pointer at all. */
    if (e->out_num)
        memcpy(e->out, c.out->data, e->out_num * sizeof(struct VirtQueueBuf));
    if (e->in_num)
        memcpy(e->in, c.in->data, e->in_num * sizeof(struct VirtQueueBuf));
    g_array_free(c.out, TRUE);
    g_array_free(c.in, TRUE);
    return e;
}

static size_t elem_copy(VirtIODevice *vdev, const struct VirtQueueBuf *bufs,
                        unsigned n, uint64_t offset, void *buf, size_t len,
                        bool to_guest)
{
    size_t done = 0;

    for (unsigned i = 0; i < n && done < len; i++) {
        uint64_t blen = bufs[i].len, chunk;

        if (offset >= blen) {
            offset -= blen;
            continue;
        }
        chunk = MIN(blen - offset, len - done);
        if (to_guest ? !dma_write(vdev, bufs[i].addr + offset,
                                  (uint8_t *)buf + done, chunk)
                     : !dma_read(vdev, bufs[i].addr + offset,
                                 (uint8_t *)buf + done, chunk))
            break;
        done += chunk;
        offset = 0;
    }
    return done;
}

size_t virtqueue_elem_read(VirtIODevice *vdev, const VirtQueueElement *e,
                           uint64_t offset, void *buf, size_t len)
{
    return elem_copy(vdev, e->out, e->out_num, offset, buf, len, false);
}

size_t virtqueue_elem_write(VirtIODevice *vdev, const VirtQueueElement *e,
                            uint64_t offset, const void *buf, size_t len)
{
    return elem_copy(vdev, e->in, e->in_num, offset, (void *)buf, len, true);
}

void virtqueue_push(VirtQueue *vq, VirtQueueElement *e, uint32_t len)
{
    uint32_t elem[2] = { GUINT32_TO_LE(e->index), GUINT32_TO_LE(len) };

    g_free(e);
    if (vq->vdev->broken || !vq->ready)
        return;
    if (!dma_write(vq->vdev, used_elem_addr(vq, vq->used_idx % vq->num),
                   elem, sizeof(elem))) {
        virtio_error(vq->vdev, "queue %d: used ring is not in RAM", vq->index);
        return;
    }
    /* The entry before the index that publishes it. */
    __atomic_thread_fence(__ATOMIC_RELEASE);
    vq->used_idx++;
    ring_write16(vq, used_idx_addr(vq), vq->used_idx);
}

void virtqueue_unpop(VirtQueue *vq, VirtQueueElement *e)
{
    g_free(e);
    vq->last_avail_idx--;
    /* The driver must kick us again for this entry. */
    if (virtio_has_feature(vq->vdev, VIRTIO_F_EVENT_IDX) && !vq->vdev->broken)
        ring_write16(vq, avail_event_addr(vq), vq->last_avail_idx);
}

/* Spec 2.7.10: with event index, interrupt when used_event is among the
   entries added since the last interrupt. */
static bool vring_need_event(uint16_t event, uint16_t new_idx, uint16_t old)
{
    return (uint16_t)(new_idx - event - 1) < (uint16_t)(new_idx - old);
}

void virtqueue_notify(VirtQueue *vq)
{
    VirtIODevice *vdev = vq->vdev;
    bool need;

    if (!vq_usable(vq))
        return;
    /* Our used index store before the driver's suppression fields. */
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    if (virtio_has_feature(vdev, VIRTIO_F_EVENT_IDX)) {
        uint16_t old = vq->signalled_used, event;
        bool valid = vq->signalled_used_valid;

        if (!ring_read16(vq, used_event_addr(vq), &event))
            return;
        vq->signalled_used = vq->used_idx;
        vq->signalled_used_valid = true;
        need = !valid || vring_need_event(event, vq->used_idx, old);
    } else {
        uint16_t flags;

        if (!ring_read16(vq, vq->avail, &flags))
            return;
        need = !(flags & VRING_AVAIL_F_NO_INTERRUPT);
    }
    if (need) {
        vdev->isr |= 1;
        virtio_update_irq(vdev);
    }
}

/* ---- Transport side ---- */

void virtio_reset(VirtIODevice *vdev)
{
    vdev->status = 0;
    vdev->isr = 0;
    vdev->guest_features = 0;
    vdev->broken = false;
    vdev->legacy = false;
    for (int i = 0; i < vdev->nvqs; i++) {
        VirtQueue *vq = &vdev->vq[i];

        vq->ready = false;
        vq->num = vq->num_max;
        vq->desc = vq->avail = vq->used = 0;
        vq->last_avail_idx = vq->used_idx = 0;
        vq->signalled_used = 0;
        vq->signalled_used_valid = false;
        if (vq->resume)
            timer_del(vq->resume);
    }
    if (vdev->ops->reset)
        vdev->ops->reset(vdev);
    virtio_update_irq(vdev);
}

void virtio_set_status(VirtIODevice *vdev, uint8_t status)
{
    if (status == 0) {
        virtio_reset(vdev);
        if (vdev->ops->set_status)
            vdev->ops->set_status(vdev, 0);
        return;
    }
    /* FEATURES_OK sticks only if the features were accepted. */
    if ((status & VIRTIO_STATUS_FEATURES_OK) &&
        !(vdev->status & VIRTIO_STATUS_FEATURES_OK) &&
        !virtio_set_features(vdev, vdev->guest_features))
        status &= ~VIRTIO_STATUS_FEATURES_OK;
    vdev->status = status | (vdev->status & VIRTIO_STATUS_NEEDS_RESET);
    if (status & VIRTIO_STATUS_DRIVER_OK) {
        /* Spec 3.1.1: DRIVER_OK comes after FEATURES_OK; without it the
           device would run on features it never accepted. */
        if (!(status & VIRTIO_STATUS_FEATURES_OK) && !vdev->legacy)
            virtio_error(vdev, "DRIVER_OK without FEATURES_OK");
        /* Broken during set-up: now the driver can hear of it. */
        if (vdev->broken && !(vdev->status & VIRTIO_STATUS_NEEDS_RESET)) {
            vdev->status |= VIRTIO_STATUS_NEEDS_RESET;
            virtio_notify_config(vdev);
        }
    }
    if (vdev->ops->set_status)
        vdev->ops->set_status(vdev, vdev->status);
    if (status & VIRTIO_STATUS_DRIVER_OK) {
        /* Requests queued before DRIVER_OK. */
        for (int i = 0; i < vdev->nvqs; i++) {
            if (virtqueue_has_work(&vdev->vq[i]))
                virtio_queue_notify(vdev, (unsigned)i);
        }
    }
}

bool virtio_set_features(VirtIODevice *vdev, uint64_t features)
{
    if (features & ~vdev->host_features) {
        log_mask(LOG_GUEST_ERROR, "%s: driver accepted features 0x%"
                 G_GINT64_MODIFIER "x the device does not offer\n",
                 vdev->ops->name, features & ~vdev->host_features);
        return false;
    }
    if (!(features & (1ull << VIRTIO_F_VERSION_1)) && !vdev->legacy) {
        log_mask(LOG_GUEST_ERROR, "%s: driver did not accept VERSION_1 "
                 "(legacy drivers are not supported)\n", vdev->ops->name);
        return false;
    }
    vdev->guest_features = features;
    if (vdev->ops->set_features)
        vdev->ops->set_features(vdev, features);
    return true;
}

/* The main loop serves what a throttled notification left. */
static void virtqueue_resume(void *opaque)
{
    VirtQueue *vq = opaque;

    virtio_queue_notify(vq->vdev, (unsigned)vq->index);
}

void virtio_queue_notify(VirtIODevice *vdev, unsigned n)
{
    VirtQueue *vq;

    if (n >= (unsigned)vdev->nvqs) {
        log_mask(LOG_GUEST_ERROR, "%s: notify of queue %u (the device has "
                 "%d)\n", vdev->ops->name, n, vdev->nvqs);
        return;
    }
    vq = &vdev->vq[n];
    if (!vq_usable(vq) || !vq->handle || vq->in_handler)
        return;
    vq->budget = 2 * vq->num;
    vq->throttled = false;
    vq->in_handler = true;
    vq->handle(vdev, vq);
    vq->in_handler = false;
    if (vq->throttled) {
        if (!vq->resume)
            vq->resume = timer_new(TIMER_CLOCK_HOST, virtqueue_resume, vq);
        timer_mod(vq->resume, clock_ns(TIMER_CLOCK_HOST));
    }
}

/* ---- Registers every modern transport has ---- */

VirtQueue *virtio_get_queue(VirtIODevice *vdev, uint32_t n)
{
    return n < (uint32_t)vdev->nvqs ? &vdev->vq[n] : NULL;
}

bool virtio_queue_field_at(const uint16_t layout[VIRTQ_FIELD_COUNT],
                           uint64_t reg, VirtQueueField *f)
{
    for (int i = 0; i < VIRTQ_FIELD_COUNT; i++) {
        if (layout[i] == reg) {
            *f = (VirtQueueField)i;
            return true;
        }
    }
    return false;
}

static const char *const queue_field_names[VIRTQ_FIELD_COUNT] = {
    [VIRTQ_FIELD_SIZE] = "queue size",
    [VIRTQ_FIELD_READY] = "queue ready",
    [VIRTQ_FIELD_DESC_LO] = "queue desc low",
    [VIRTQ_FIELD_DESC_HI] = "queue desc high",
    [VIRTQ_FIELD_DRIVER_LO] = "queue driver low",
    [VIRTQ_FIELD_DRIVER_HI] = "queue driver high",
    [VIRTQ_FIELD_DEVICE_LO] = "queue device low",
    [VIRTQ_FIELD_DEVICE_HI] = "queue device high",
};

/* The ring address a field is half of, and which half. */
static uint64_t *queue_field_addr(VirtQueue *vq, VirtQueueField f, bool *high)
{
    *high = f == VIRTQ_FIELD_DESC_HI || f == VIRTQ_FIELD_DRIVER_HI ||
            f == VIRTQ_FIELD_DEVICE_HI;
    switch (f) {
    case VIRTQ_FIELD_DESC_LO:
    case VIRTQ_FIELD_DESC_HI:
        return &vq->desc;
    case VIRTQ_FIELD_DRIVER_LO:
    case VIRTQ_FIELD_DRIVER_HI:
        return &vq->avail;
    case VIRTQ_FIELD_DEVICE_LO:
    case VIRTQ_FIELD_DEVICE_HI:
        return &vq->used;
    default:
        return NULL;
    }
}

static void set_half(uint64_t *v, bool high, uint32_t val)
{
    if (high)
        *v = (*v & 0xffffffffu) | ((uint64_t)val << 32);
    else
        *v = (*v & ~0xffffffffull) | val;
}

uint32_t virtio_queue_field_read(VirtQueue *vq, VirtQueueField f)
{
    uint64_t *addr;
    bool high;

    if (!vq)
        return 0;
    if (f == VIRTQ_FIELD_SIZE)
        return vq->num;
    if (f == VIRTQ_FIELD_READY)
        return vq->ready;
    addr = queue_field_addr(vq, f, &high);
    return addr ? (uint32_t)(*addr >> (high ? 32 : 0)) : 0;
}

void virtio_queue_field_write(VirtQueue *vq, VirtQueueField f, uint32_t v,
                              const char *who, uint64_t reg)
{
    uint64_t *addr;
    bool high;

    if (!vq)
        return;
    if (f == VIRTQ_FIELD_READY) {
        if ((v & 1) && !virtqueue_rings_valid(vq)) {
            virtio_error(vq->vdev, "queue %d: size %u, or rings misaligned "
                         "or not in RAM", vq->index, vq->num);
            return;
        }
        vq->ready = v & 1;
        return;
    }
    /* The device may be using the ring: it must not move under it. */
    if (vq->ready) {
        log_mask(LOG_GUEST_ERROR, "%s: %s (register 0x%" G_GINT64_MODIFIER
                 "x) written while queue %d is ready\n", who,
                 queue_field_names[f], reg, vq->index);
        return;
    }
    if (f == VIRTQ_FIELD_SIZE) {
        vq->num = v;
        return;
    }
    addr = queue_field_addr(vq, f, &high);
    if (addr)
        set_half(addr, high, v);
}

uint32_t virtio_features_read(uint64_t features, uint32_t sel)
{
    return sel > 1 ? 0 : (uint32_t)(features >> (32 * sel));
}

void virtio_guest_features_write(VirtIODevice *vdev, uint32_t sel, uint32_t v)
{
    if (sel <= 1 && !(vdev->status & VIRTIO_STATUS_FEATURES_OK))
        set_half(&vdev->guest_features, sel == 1, v);
}

uint64_t virtio_config_read(VirtIODevice *vdev, uint64_t off, unsigned size)
{
    uint64_t v = 0;

    if (off >= vdev->config_len || size > vdev->config_len - off)
        return 0;
    if (vdev->ops->get_config)
        vdev->ops->get_config(vdev, vdev->config);
    memcpy(&v, vdev->config + off, size);    /* little-endian host */
    return v;
}

void virtio_config_write(VirtIODevice *vdev, uint64_t off, uint64_t val,
                         unsigned size)
{
    if (off >= vdev->config_len || size > vdev->config_len - off)
        return;
    /* A write of part of a field keeps the rest as the device has it. */
    if (vdev->ops->get_config)
        vdev->ops->get_config(vdev, vdev->config);
    memcpy(vdev->config + off, &val, size);
    if (vdev->ops->set_config)
        vdev->ops->set_config(vdev, vdev->config);
}
