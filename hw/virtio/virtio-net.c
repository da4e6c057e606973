/*
 * virtio-net (virtio spec 1.2, section 5.1): one receive and one transmit
 * queue, connected to a network backend (include/mimic/net.h).  Features:
 * MAC (the mac= option, default 52:54:00:12:34:56 plus the NIC's index),
 * STATUS (link always up) and MRG_RXBUF (a received frame may span several
 * receive buffers).  No checksum or segmentation offload: every frame
 * carries a full checksum, so the 12-byte header is all zeros on receive
 * but for num_buffers, and ignored on transmit.
 *
 *   -device virtio-net-device,netdev=ID[,mac=52:54:00:12:34:57]
 */
#include <stdio.h>
#include <string.h>

#include <glib.h>

#include "mimic/log.h"
#include "mimic/net.h"
#include "mimic/virtio-devices.h"

#define VIRTIO_NET_F_MAC 5
#define VIRTIO_NET_F_MRG_RXBUF 15
#define VIRTIO_NET_F_STATUS 16
#define VIRTIO_NET_S_LINK_UP 1

#define NET_HDR_LEN 12            /* virtio_net_hdr with num_buffers */
#define NET_HDR_LEN_LEGACY 10     /* without: a legacy driver, no MRG_RXBUF */
#define NET_QUEUE_SIZE 256
#define NET_MAX_FRAME 65536

typedef struct VirtIONet {
    VirtIODevice vdev;
    VirtQueue *rx, *tx;
    NetBackend *nb;
    uint8_t mac[6];
} VirtIONet;

/* Config: mac[6], status (le16). */
static void net_get_config(VirtIODevice *vdev, uint8_t *config)
{
    VirtIONet *n = vdev->opaque;

    memcpy(config, n->mac, 6);
    config[6] = VIRTIO_NET_S_LINK_UP;
    config[7] = 0;
}

static bool net_can_receive(void *opaque)
{
    VirtIONet *n = opaque;

    return virtqueue_has_work(n->rx);
}

/* The header before each frame: num_buffers is there for a modern
   driver, or a legacy one that took MRG_RXBUF (spec 5.1.6.1). */
static size_t net_hdr_len(VirtIODevice *vdev)
{
    return vdev->legacy && !virtio_has_feature(vdev, VIRTIO_NET_F_MRG_RXBUF)
           ? NET_HDR_LEN_LEGACY : NET_HDR_LEN;
}

/* Writes bytes [pos, pos + n) of the received stream (the header, then
   the frame) at the start of e's writable part. */
static void put_stream(VirtIODevice *vdev, VirtQueueElement *e,
                       const uint8_t *hdr, const uint8_t *frame, size_t pos,
                       size_t n)
{
    size_t off = 0, hlen = net_hdr_len(vdev);

    if (pos < hlen) {
        size_t h = MIN(n, hlen - pos);

        virtqueue_elem_write(vdev, e, 0, hdr + pos, h);
        off = h;
        pos += h;
    }
    if (off < n)
        virtqueue_elem_write(vdev, e, off, frame + (pos - hlen),
                             n - off);
}

/*
 * Puts hdr + frame into as many receive buffers as it needs (one unless
 * MRG_RXBUF was negotiated); 0 if the ring has too few right now.  The
 * header and the frame are one stream cut at buffer ends wherever those
 * fall: a driver that posts a buffer shorter than the header (which spec
 * 5.1.6.3.1 forbids) gets the header's rest in the next one.
 */
static ssize_t net_receive(void *opaque, const uint8_t *buf, size_t len)
{
    VirtIONet *n = opaque;
    VirtIODevice *vdev = &n->vdev;
    bool mrg = virtio_has_feature(vdev, VIRTIO_NET_F_MRG_RXBUF);
    size_t hlen = net_hdr_len(vdev), total = hlen + len, done = 0;
    VirtQueueElement *elems[64];
    uint32_t lens[64];
    unsigned nelem = 0;
    uint8_t hdr[NET_HDR_LEN] = { 0 };

    while (done < total) {
        VirtQueueElement *e;
        size_t room;

        if (nelem == G_N_ELEMENTS(elems) || !(e = virtqueue_pop(n->rx)))
            goto no_room;
        room = (size_t)MIN(e->in_len, (uint64_t)(total - done));
        if (!mrg && room < total) {
            /* Without MRG_RXBUF the whole frame must fit one buffer. */
            log_mask(LOG_GUEST_ERROR, "virtio-net: receive buffer of %"
                     G_GUINT64_FORMAT " bytes for a %zu-byte frame\n",
                     e->in_len, total);
            virtqueue_push(n->rx, e, 0);
            virtqueue_notify(n->rx);
            return (ssize_t)len;          /* dropped */
        }
        if (done == 0 && room < hlen)
            log_mask(LOG_GUEST_ERROR,
                     "virtio-net: receive buffer of %" G_GUINT64_FORMAT
                     " bytes, shorter than the %zu-byte header\n",
                     e->in_len, hlen);
        elems[nelem] = e;
        lens[nelem++] = (uint32_t)room;
        done += room;
    }
    hdr[10] = (uint8_t)nelem; /* num_buffers */
    hdr[11] = (uint8_t)(nelem >> 8);
    done = 0;
    for (unsigned i = 0; i < nelem; i++) {
        put_stream(vdev, elems[i], hdr, buf, done, lens[i]);
        done += lens[i];
    }
    for (unsigned i = 0; i < nelem; i++)
        virtqueue_push(n->rx, elems[i], lens[i]);
    virtqueue_notify(n->rx);
    return (ssize_t)len;

no_room:
    /* Give the buffers back, last first, for when the driver adds more. */
    while (nelem)
        virtqueue_unpop(n->rx, elems[--nelem]);
    return 0;
}

static const NetFrontendOps virtio_net_frontend = {
    .can_receive = net_can_receive,
    .receive = net_receive,
};

static void net_handle_rx(VirtIODevice *vdev, VirtQueue *vq)
{
    VirtIONet *n = vdev->opaque;

    (void)vq;
    net_flush_queued(n->nb);
}

static void net_handle_tx(VirtIODevice *vdev, VirtQueue *vq)
{
    VirtIONet *n = vdev->opaque;
    VirtQueueElement *e;
    uint8_t *frame = NULL;
    size_t hlen = net_hdr_len(vdev);

    while ((e = virtqueue_pop(vq))) {
        uint64_t len = e->out_len;

        if (len < hlen || len - hlen > NET_MAX_FRAME) {
            log_mask(LOG_GUEST_ERROR, "virtio-net: transmit of %"
                     G_GUINT64_FORMAT " bytes (header %zu, frame at most %d)\n",
                     len, hlen, NET_MAX_FRAME);
        } else {
            if (!frame)
                frame = g_malloc(NET_MAX_FRAME);
            len -= hlen;
            virtqueue_elem_read(vdev, e, hlen, frame, (size_t)len);
            net_send(n->nb, frame, (size_t)len);
        }
        virtqueue_push(vq, e, 0);
    }
    g_free(frame);
    virtqueue_notify(vq);
}

static void net_set_status(VirtIODevice *vdev, uint8_t status)
{
    VirtIONet *n = vdev->opaque;

    /* Frames held while the driver was not ready. */
    if (status & VIRTIO_STATUS_DRIVER_OK)
        net_flush_queued(n->nb);
}

static const VirtIODeviceOps virtio_net_ops = {
    .name = "virtio-net-device",
    .device_id = VIRTIO_ID_NET,
    .get_config = net_get_config,
    .set_status = net_set_status,
};

static bool parse_mac(const char *s, uint8_t mac[6])
{
    unsigned v[6];
    char extra;

    if (sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x%c", &v[0], &v[1], &v[2], &v[3],
               &v[4], &v[5], &extra) != 6)
        return false;
    for (int i = 0; i < 6; i++)
        mac[i] = (uint8_t)v[i];
    return true;
}

VirtIODevice *virtio_net_create(const char *netdev, const char *mac,
                                char **err)
{
    static unsigned nics;
    VirtIONet *n;
    NetBackend *nb;

    if (!netdev) {
        *err = g_strdup("virtio-net-device needs netdev=ID (a -netdev)");
        return NULL;
    }
    nb = net_backend_find(netdev);
    if (!nb) {
        *err = g_strdup_printf("no network backend with id '%s' (-netdev "
                               "user,id=%s)", netdev, netdev);
        return NULL;
    }
    n = g_new0(VirtIONet, 1);
    /* QEMU's default: 52:54:00:12:34:56, then :57, ... per NIC. */
    memcpy(n->mac, (uint8_t[]){ 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 }, 6);
    n->mac[5] += (uint8_t)nics;
    if (mac && !parse_mac(mac, n->mac)) {
        *err = g_strdup_printf("mac=%s is not a MAC address like "
                               "52:54:00:12:34:56", mac);
        g_free(n);
        return NULL;
    }
    if (n->mac[0] & 1) {
        *err = g_strdup_printf("mac=%s is a multicast address", mac);
        g_free(n);
        return NULL;
    }
    if (!net_backend_attach(nb, &virtio_net_frontend, n, err)) {
        g_free(n);
        return NULL;
    }
    nics++;
    n->nb = nb;
    virtio_init(&n->vdev, &virtio_net_ops, 8,
                (1ull << VIRTIO_NET_F_MAC) | (1ull << VIRTIO_NET_F_STATUS) |
                (1ull << VIRTIO_NET_F_MRG_RXBUF), n);
    n->rx = virtio_add_queue(&n->vdev, NET_QUEUE_SIZE, net_handle_rx);
    n->tx = virtio_add_queue(&n->vdev, NET_QUEUE_SIZE, net_handle_tx);
    return &n->vdev;
}
