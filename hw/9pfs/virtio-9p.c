/*
 * virtio-9p (virtio spec 1.2, section 5.11, "9P transport"): one request
 * queue; each chain holds a 9P request in its readable part and room for
 * the reply in its writable part.  The config space is the mount tag
 * (le16 length, then the bytes, no NUL) that the guest names in
 * `mount -t 9p -o trans=virtio TAG /mnt`.  The device only moves messages:
 * the server (9p.c) does the rest, so it is the same behind virtio-mmio
 * or virtio-pci.
 *
 *   -fsdev local,id=f0,path=/srv/share,security_model=mapped-xattr
 *   -device virtio-9p-device,fsdev=f0,mount_tag=host0
 */
#include <string.h>

#include <glib.h>

#include "mimic/9p.h"
#include "mimic/log.h"
#include "mimic/virtio-devices.h"

#define VIRTIO_ID_9P 9
#define VIRTIO_9P_MOUNT_TAG 0
#define V9_QUEUE_SIZE 128
#define V9_TAG_MAX 31          /* QEMU's limit, in bytes */

typedef struct VirtIO9P {
    VirtIODevice vdev;
    V9fsServer *server;
    char *tag;
    uint8_t *req, *reply;      /* one message each, msize at most */
} VirtIO9P;

static void v9_handle(VirtIODevice *vdev, VirtQueue *vq)
{
    VirtIO9P *d = vdev->opaque;
    VirtQueueElement *e;

    while ((e = virtqueue_pop(vq))) {
        size_t len = (size_t)MIN(e->out_len, (uint64_t)V9FS_MAX_MSIZE);
        size_t cap = (size_t)MIN(e->in_len, (uint64_t)V9FS_MAX_MSIZE);
        size_t n;

        len = virtqueue_elem_read(vdev, e, 0, d->req, len);
        n = v9fs_server_handle(d->server, d->req, len, d->reply, cap);
        if (n)
            n = virtqueue_elem_write(vdev, e, 0, d->reply, n);
        virtqueue_push(vq, e, (uint32_t)n);
    }
    virtqueue_notify(vq);
}

static void v9_get_config(VirtIODevice *vdev, uint8_t *config)
{
    VirtIO9P *d = vdev->opaque;
    size_t n = strlen(d->tag);

    config[0] = (uint8_t)n;
    config[1] = (uint8_t)(n >> 8);
    memcpy(config + 2, d->tag, n);
}

/* Reset: the driver starts a new session (Tversion would drop the fids
   too), so every open file is closed. */
static void v9_reset(VirtIODevice *vdev)
{
    VirtIO9P *d = vdev->opaque;

    v9fs_server_reset(d->server);
}

static void v9_cleanup(VirtIODevice *vdev)
{
    VirtIO9P *d = vdev->opaque;

    v9fs_server_free(d->server);
    g_free(d->tag);
    g_free(d->req);
    g_free(d->reply);
}

static const VirtIODeviceOps virtio_9p_ops = {
    .name = "virtio-9p-device",
    .device_id = VIRTIO_ID_9P,
    .get_config = v9_get_config,
    .reset = v9_reset,
    .cleanup = v9_cleanup,
};

VirtIODevice *virtio_9p_create(const char *fsdev, const char *tag, char **err)
{
    FsDev *fs = fsdev_find(fsdev);
    VirtIO9P *d;

    if (!fs) {
        *err = g_strdup_printf("9pfs device couldn't find fsdev with the "
                               "id = %s", fsdev ? fsdev : "NULL");
        return NULL;
    }
    if (!tag || !*tag) {
        *err = g_strdup_printf("fsdev with id %s needs mount_tag arguments",
                               fsdev);
        return NULL;
    }
    if (strlen(tag) > V9_TAG_MAX) {
        *err = g_strdup_printf("mount tag '%s' (%zu bytes) is longer than "
                               "maximum (%d bytes)", tag, strlen(tag),
                               V9_TAG_MAX);
        return NULL;
    }
    if (!fsdev_open(fs, err))
        return NULL;
    d = g_new0(VirtIO9P, 1);
    d->server = v9fs_server_new(fs);
    d->tag = g_strdup(tag);
    d->req = g_malloc(V9FS_MAX_MSIZE);
    d->reply = g_malloc(V9FS_MAX_MSIZE);
    virtio_init(&d->vdev, &virtio_9p_ops, 2 + strlen(tag),
                1ull << VIRTIO_9P_MOUNT_TAG, d);
    virtio_add_queue(&d->vdev, V9_QUEUE_SIZE, v9_handle);
    return &d->vdev;
}
