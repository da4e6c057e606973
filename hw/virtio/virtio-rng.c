/*
 * virtio-rng (virtio spec 1.2, section 5.4): one request queue; each
 * request is a writable buffer the device fills with random bytes from its
 * entropy backend (-object rng-random or rng-builtin, include/mimic/rng.h),
 * or from the host's getrandom() without one.  A backend that has nothing
 * now (/dev/random) leaves the request in the ring until it has; one that
 * has nothing more (a file at its end) leaves it there for good, as QEMU
 * does.  max-bytes=N,period=MS limits the guest to N bytes per MS
 * milliseconds, as QEMU's (default: no limit); requests past the quota wait
 * for the next period.  No config space, no features.
 *
 *   -device virtio-rng-device[,rng=ID][,max-bytes=N][,period=MS]
 */
#include <errno.h>
#include <sys/random.h>

#include <glib.h>

#include "mimic/log.h"
#include "mimic/rng.h"
#include "mimic/timer.h"
#include "mimic/virtio-devices.h"

#define RNG_QUEUE_SIZE 64
#define RNG_MAX_REQUEST 65536     /* bytes filled per request at most */

typedef struct VirtIORNG {
    VirtIODevice vdev;
    RngBackend *rng;              /* NULL: getrandom() */
    VirtQueue *vq;
    uint64_t max_bytes;           /* per period; UINT64_MAX: no limit */
    uint32_t period_ms;
    uint64_t quota;               /* bytes left in this period */
    Timer *refill;                /* armed while a period runs */
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

static void rng_refill(void *opaque)
{
    VirtIORNG *s = opaque;

    s->quota = s->max_bytes;
    rng_handle(&s->vdev, s->vq);
}

static void rng_handle(VirtIODevice *vdev, VirtQueue *vq)
{
    VirtIORNG *s = vdev->opaque;
    uint8_t buf[4096];
    VirtQueueElement *e;

    while ((e = virtqueue_pop(vq))) {
        uint64_t want = MIN(e->in_len, (uint64_t)RNG_MAX_REQUEST), done = 0;

        if (s->refill) {
            /* A period starts with the first request after a quiet one. */
            if (!timer_pending(s->refill))
                timer_mod(s->refill, clock_ns(TIMER_CLOCK_VIRTUAL) +
                                         (int64_t)s->period_ms * 1000000);
            if (s->quota == 0) {
                virtqueue_unpop(vq, e);    /* rng_refill serves it */
                break;
            }
            want = MIN(want, s->quota);
        }

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
        if (s->refill)
            s->quota -= done;
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

bool virtio_rng_set_limit(VirtIODevice *vdev, const char *max_bytes,
                          const char *period, char **err)
{
    VirtIORNG *s = vdev->opaque;
    guint64 n = G_MAXINT64, ms = 65536;

    if (max_bytes &&
        !g_ascii_string_to_unsigned(max_bytes, 10, 0, G_MAXINT64, &n, NULL)) {
        *err = g_strdup("Parameter 'max-bytes' expects integer");
        return false;
    }
    if (period &&
        !g_ascii_string_to_unsigned(period, 10, 0, UINT32_MAX, &ms, NULL)) {
        *err = g_strdup("Parameter 'period' expects integer");
        return false;
    }
    if (ms == 0) {
        *err = g_strdup("'period' parameter expects a positive integer");
        return false;
    }
    if (n == G_MAXINT64)
        return true;              /* QEMU's default: no limit */
    s->max_bytes = s->quota = n;
    s->period_ms = (uint32_t)ms;
    s->refill = timer_new(TIMER_CLOCK_VIRTUAL, rng_refill, s);
    return true;
}
