/*
 * virtio-rng (virtio spec 1.2, section 5.4): one request queue; each
 * request is a writable buffer the device fills with random bytes from
 * the host's getrandom().  No config space, no features.
 *
 *   -device virtio-rng-device
 */
#include <errno.h>
#include <sys/random.h>

#include <glib.h>

#include "mimic/log.h"
#include "mimic/virtio-devices.h"

#define RNG_QUEUE_SIZE 64
#define RNG_MAX_REQUEST 65536     /* bytes filled per request at most */

static void rng_handle(VirtIODevice *vdev, VirtQueue *vq)
{
    uint8_t buf[4096];
    VirtQueueElement *e;

    while ((e = virtqueue_pop(vq))) {
        uint64_t want = MIN(e->in_len, (uint64_t)RNG_MAX_REQUEST), done = 0;

        while (done < want) {
            size_t n = (size_t)MIN(want - done, (uint64_t)sizeof(buf));
            ssize_t r = getrandom(buf, n, 0);

            if (r < 0 && errno == EINTR)
                continue;
            if (r <= 0)
                break;
            done += virtqueue_elem_write(vdev, e, done, buf, (size_t)r);
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
    VirtIODevice *vdev = g_new0(VirtIODevice, 1);

    (void)err;
    virtio_init(vdev, &virtio_rng_ops, 0, 0, NULL);
    virtio_add_queue(vdev, RNG_QUEUE_SIZE, rng_handle);
    return vdev;
}
