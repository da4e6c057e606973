/*
 * virtio-blk (virtio spec 1.2, section 5.2): one request queue on a block
 * backend (include/mimic/block.h, raw or qcow2).  Requests: read, write,
 * flush, get-id, discard and write-zeroes; a request the device cannot do
 * gets status UNSUPP, a failed or out-of-range one IOERR, and the guest
 * goes on.  Data goes through a bounce buffer and the DMA path, so a read
 * into RAM that holds translated code drops that code.
 *
 *   -drive file=disk.img,format=raw,if=none,id=d0
 *   -device virtio-blk-device,drive=d0
 */
#include <errno.h>
#include <string.h>

#include <glib.h>

#include "mimic/block.h"
#include "mimic/log.h"
#include "mimic/virtio-devices.h"

#define VIRTIO_BLK_F_SEG_MAX 2
#define VIRTIO_BLK_F_RO 5
#define VIRTIO_BLK_F_BLK_SIZE 6
#define VIRTIO_BLK_F_FLUSH 9
#define VIRTIO_BLK_F_DISCARD 13
#define VIRTIO_BLK_F_WRITE_ZEROES 14

enum {
    VIRTIO_BLK_T_IN = 0,
    VIRTIO_BLK_T_OUT = 1,
    VIRTIO_BLK_T_FLUSH = 4,
    VIRTIO_BLK_T_GET_ID = 8,
    VIRTIO_BLK_T_DISCARD = 11,
    VIRTIO_BLK_T_WRITE_ZEROES = 13,
};
enum { VIRTIO_BLK_S_OK = 0, VIRTIO_BLK_S_IOERR = 1, VIRTIO_BLK_S_UNSUPP = 2 };

#define BLK_QUEUE_SIZE 256
#define BLK_SEG_MAX (BLK_QUEUE_SIZE - 2)
#define BLK_MAX_REQUEST (32u << 20)       /* bytes of data per request */
#define BLK_MAX_DISCARD_SECTORS (1u << 22) /* 2 GiB per segment */
#define BLK_MAX_DISCARD_SEG 32
#define BLK_CONFIG_SIZE 60
#define VIRTIO_BLK_ID_BYTES 20

typedef struct VirtIOBlock {
    VirtIODevice vdev;
    BlockBackend *blk;
    char *serial;
    bool read_only;
} VirtIOBlock;

static void put_le32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static void blk_get_config(VirtIODevice *vdev, uint8_t *c)
{
    VirtIOBlock *b = vdev->opaque;
    uint64_t sectors = blk_getlength(b->blk) / 512;

    memset(c, 0, BLK_CONFIG_SIZE);
    for (int i = 0; i < 8; i++)
        c[i] = (uint8_t)(sectors >> (8 * i));       /* capacity */
    put_le32(c + 12, BLK_SEG_MAX);                   /* seg_max */
    put_le32(c + 20, 512);                           /* blk_size */
    c[32] = 1;                                       /* writeback */
    c[34] = 1;                                       /* num_queues */
    put_le32(c + 36, BLK_MAX_DISCARD_SECTORS);       /* max_discard_sectors */
    put_le32(c + 40, BLK_MAX_DISCARD_SEG);           /* max_discard_seg */
    put_le32(c + 44, 1);                             /* discard alignment */
    put_le32(c + 48, BLK_MAX_DISCARD_SECTORS);       /* max_write_zeroes */
    put_le32(c + 52, BLK_MAX_DISCARD_SEG);
    c[56] = 1;                                       /* may unmap */
}

/* Checks [sector, +bytes) against the disk; false (IOERR) if outside. */
static bool in_range(VirtIOBlock *b, uint64_t sector, uint64_t bytes)
{
    uint64_t size = blk_getlength(b->blk);

    return sector <= size / 512 && bytes <= size - sector * 512;
}

static uint8_t do_rw(VirtIOBlock *b, VirtQueueElement *e, uint32_t type,
                     uint64_t sector, uint32_t *written)
{
    VirtIODevice *vdev = &b->vdev;
    bool is_write = type == VIRTIO_BLK_T_OUT;
    uint64_t len = is_write ? e->out_len - 16 : e->in_len - 1;
    g_autofree uint8_t *buf = NULL;
    int r;

    if (len % 512 || len > BLK_MAX_REQUEST) {
        log_mask(LOG_GUEST_ERROR, "virtio-blk: %s of %" G_GUINT64_FORMAT
                 " bytes (a multiple of 512, at most %u)\n",
                 is_write ? "write" : "read", len, BLK_MAX_REQUEST);
        return VIRTIO_BLK_S_IOERR;
    }
    if (!in_range(b, sector, len))
        return VIRTIO_BLK_S_IOERR;
    if (is_write && b->read_only)
        return VIRTIO_BLK_S_IOERR;
    buf = g_try_malloc(len ? len : 1);
    if (!buf)
        return VIRTIO_BLK_S_IOERR;
    if (is_write) {
        if (virtqueue_elem_read(vdev, e, 16, buf, len) != len)
            return VIRTIO_BLK_S_IOERR;
        r = blk_pwrite(b->blk, sector * 512, buf, len);
    } else {
        r = blk_pread(b->blk, sector * 512, buf, len);
        if (r == 0 && virtqueue_elem_write(vdev, e, 0, buf, len) != len)
            r = -EFAULT;
        if (r == 0)
            *written = (uint32_t)len;
    }
    if (r < 0) {
        log_mask(LOG_GUEST_ERROR, "virtio-blk: %s at sector %" G_GUINT64_FORMAT
                 " failed: %s\n", is_write ? "write" : "read", sector,
                 g_strerror(-r));
        return VIRTIO_BLK_S_IOERR;
    }
    return VIRTIO_BLK_S_OK;
}

/* Discard and write-zeroes: a list of {sector, num_sectors, flags}. */
static uint8_t do_ranges(VirtIOBlock *b, VirtQueueElement *e, uint32_t type)
{
    uint64_t len = e->out_len - 16;

    if (b->read_only)
        return VIRTIO_BLK_S_IOERR;
    if (len == 0 || len % 16 || len / 16 > BLK_MAX_DISCARD_SEG)
        return VIRTIO_BLK_S_UNSUPP;
    for (uint64_t off = 0; off < len; off += 16) {
        uint8_t seg[16];
        uint64_t sector = 0;
        uint32_t num = 0, flags = 0;
        int r;

        if (virtqueue_elem_read(&b->vdev, e, 16 + off, seg, 16) != 16)
            return VIRTIO_BLK_S_IOERR;
        for (int i = 0; i < 8; i++)
            sector |= (uint64_t)seg[i] << (8 * i);
        for (int i = 0; i < 4; i++) {
            num |= (uint32_t)seg[8 + i] << (8 * i);
            flags |= (uint32_t)seg[12 + i] << (8 * i);
        }
        if (num > BLK_MAX_DISCARD_SECTORS || (flags & ~1u) ||
            (type == VIRTIO_BLK_T_DISCARD && flags))
            return VIRTIO_BLK_S_UNSUPP;
        if (!in_range(b, sector, (uint64_t)num * 512))
            return VIRTIO_BLK_S_IOERR;
        r = type == VIRTIO_BLK_T_DISCARD
            ? blk_discard(b->blk, sector * 512, (uint64_t)num * 512)
            : blk_write_zeroes(b->blk, sector * 512, (uint64_t)num * 512,
                               flags & 1);
        if (r < 0)
            return VIRTIO_BLK_S_IOERR;
    }
    return VIRTIO_BLK_S_OK;
}

static void blk_handle(VirtIODevice *vdev, VirtQueue *vq)
{
    VirtIOBlock *b = vdev->opaque;
    VirtQueueElement *e;

    while ((e = virtqueue_pop(vq))) {
        uint8_t hdr[16], status;
        uint32_t type, written = 0;
        uint64_t sector = 0;

        if (e->out_len < 16 || e->in_len < 1 ||
            virtqueue_elem_read(vdev, e, 0, hdr, 16) != 16) {
            virtio_error(vdev, "request without a header or status byte");
            g_free(e);
            return;
        }
        type = (uint32_t)hdr[0] | (uint32_t)hdr[1] << 8 |
               (uint32_t)hdr[2] << 16 | (uint32_t)hdr[3] << 24;
        for (int i = 0; i < 8; i++)
            sector |= (uint64_t)hdr[8 + i] << (8 * i);
        switch (type) {
        case VIRTIO_BLK_T_IN:
        case VIRTIO_BLK_T_OUT:
            status = do_rw(b, e, type, sector, &written);
            break;
        case VIRTIO_BLK_T_FLUSH:
            status = blk_flush(b->blk) < 0 ? VIRTIO_BLK_S_IOERR
                                           : VIRTIO_BLK_S_OK;
            break;
        case VIRTIO_BLK_T_GET_ID: {
            char id[VIRTIO_BLK_ID_BYTES] = { 0 };
            size_t n = MIN(e->in_len - 1, (uint64_t)sizeof(id));

            strncpy(id, b->serial ? b->serial : "", sizeof(id));
            virtqueue_elem_write(vdev, e, 0, id, n);
            written = (uint32_t)n;
            status = VIRTIO_BLK_S_OK;
            break;
        }
        case VIRTIO_BLK_T_DISCARD:
        case VIRTIO_BLK_T_WRITE_ZEROES:
            status = do_ranges(b, e, type);
            break;
        default:
            status = VIRTIO_BLK_S_UNSUPP;
            break;
        }
        virtqueue_elem_write(vdev, e, e->in_len - 1, &status, 1);
        virtqueue_push(vq, e, written + 1);
    }
    virtqueue_notify(vq);
}

static const VirtIODeviceOps virtio_blk_ops = {
    .name = "virtio-blk-device",
    .device_id = VIRTIO_ID_BLOCK,
    .get_config = blk_get_config,
};

VirtIODevice *virtio_blk_create(BlockBackend *blk, const char *serial,
                                char **err)
{
    VirtIOBlock *b;
    uint64_t features = (1ull << VIRTIO_BLK_F_SEG_MAX) |
                        (1ull << VIRTIO_BLK_F_BLK_SIZE) |
                        (1ull << VIRTIO_BLK_F_FLUSH) |
                        (1ull << VIRTIO_BLK_F_DISCARD) |
                        (1ull << VIRTIO_BLK_F_WRITE_ZEROES);

    if (serial && strlen(serial) > VIRTIO_BLK_ID_BYTES) {
        *err = g_strdup_printf("serial=%s is longer than %d characters",
                               serial, VIRTIO_BLK_ID_BYTES);
        return NULL;
    }
    b = g_new0(VirtIOBlock, 1);
    b->blk = blk;
    b->serial = g_strdup(serial);
    b->read_only = blk_is_read_only(blk);
    if (b->read_only)
        features |= 1ull << VIRTIO_BLK_F_RO;
    virtio_init(&b->vdev, &virtio_blk_ops, BLK_CONFIG_SIZE, features, b);
    virtio_add_queue(&b->vdev, BLK_QUEUE_SIZE, blk_handle);
    return &b->vdev;
}
