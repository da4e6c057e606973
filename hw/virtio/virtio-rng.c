/*
 * virtio-rng (virtio spec 1.2, section 5.4): one request queue; each
 * request is a writable buffer the device fills with random bytes from its
 * entropy backend (-object rng-random or rng-builtin, include/mimic/rng.h),
 * or from the host's getrandom() without one.  A backend that has nothing
 * now (/dev/random) leaves the request in the ring until it has; one that
 * has nothing more (a file at its end) leaves it there for good, as QEMU
 * does.  No config space, no features.
 *
 *   -device virtio-rng-device[,rng=ID]
 */
#include <errno.h>
#include <sys/random.h>

#include <glib.h>

#include "mimic/log.h"
#include "mimic/rng.h"
#include "mimic/virtio-devices.h"

#define RNG_QUEUE_SIZE 64
#define RNG_MAX_REQUEST 65536     /* bytes filled per request at most */

typedef struct VirtIORNG {
    VirtIODevice vdev;
    RngBackend *rng;              /* NULL: getrandom() */
    VirtQueue *vq;
} VirtIORNG;

static size_t rng_fill(VirtIORNG *s, uint8_t *buf, size_t len)
{
    ssize_t r;

    if (s->rng)
        return rng_backend_read(s->rng, buf, len);
    do {
        r = getrandom(buf, len, 0);
    } while (r < 0 && errno == EINTR);
    return r > 0 ? (size_t)r : 0;
}

static void rng_handle(VirtIODevice *vdev, VirtQueue *vq);

static void rng_retry(void *opaque)
{
    VirtIORNG *s = opaque;

    rng_handle(&s->vdev, s->vq);
}

static void rng_handle(VirtIODevice *vdev, VirtQueue *vq)
{
    VirtIORNG *s = vdev->opaque;
    uint8_t buf[4096];
    VirtQueueElement *e;

    while ((e = virtqueue_pop(vq))) {
        uint64_t want = MIN(e->in_len, (uint64_t)RNG_MAX_REQUEST), done = 0;

        while (done < want) {
            size_t n = rng_fill(s, buf, (size_t)MIN(want - done,
                                                   (uint64_t)sizeof(buf)));

            if (n == 0)
                break;
            done += virtqueue_elem_write(vdev, e, done, buf, n);
        }
        if (done == 0 && want > 0) {
            /* Nothing now: the request waits for the backend. */
            virtqueue_unpop(vq, e);
            if (s->rng)
                rng_backend_wait(s->rng, rng_retry, s);
            break;
        }
        virtqueue_push(vq, e, (uint32_t)done);
    }
    virtqueue_notify(vq);
}

static const VirtIODeviceOps virtio_rng_ops = {
    .name = "virtio-rng-device",
    .device_id = VIRTIO_ID_RNG,
};

VirtIODevice *virtio_rng_create(char **err)
{
    return virtio_rng_create_backend(NULL, err);
}

VirtIODevice *virtio_rng_create_backend(RngBackend *rng, char **err)
{
    VirtIORNG *s = g_new0(VirtIORNG, 1);

    (void)err;
    s->rng = rng;
    virtio_init(&s->vdev, &virtio_rng_ops, 0, 0, s);
    s->vq = virtio_add_queue(&s->vdev, RNG_QUEUE_SIZE, rng_handle);
    return &s->vdev;
}
