/* needs: riscv64-softmmu */
/*
 * Tests of virtio-net (hw/virtio/virtio-net.c) against a driver that posts
 * odd receive and transmit buffers: the guest must see the 12-byte header
 * and the frame, exactly, in the buffers it gave and nothing else; a
 * transmitted frame reaches the network whole however its chain is cut.
 * The network is a callback backend (net_backend_new_callback).
 */
#include <glib.h>

#include "mimic/net.h"
#include "mimic/virtio-devices.h"
#include "unit.h"
#include "virtio-test.h"

#define F_MRG_RXBUF (1ull << 15)
#define F_V1 (1ull << VIRTIO_F_VERSION_1)
#define HDR 12
#define RXQ 0
#define TXQ 1

static NetBackend *nb;
static GByteArray *sent; /* the last frame the guest sent */
static unsigned nsent;

static void on_send(void *opaque, const uint8_t *buf, size_t len)
{
    (void)opaque;
    g_byte_array_set_size(sent, 0);
    g_byte_array_append(sent, buf, (guint)len);
    nsent++;
}

static void setup(uint64_t features)
{
    if (!nb) {
        char *err = NULL;
        VirtIODevice *vdev;

        sent = g_byte_array_new();
        nb = net_backend_new_callback("t0", on_send, NULL, &err);
        g_assert(nb);
        vdev = virtio_net_create("t0", NULL, &err);
        g_assert(vdev);
        vt_plug(vdev);
    }
    vt_start(F_V1 | features, 16);
    nsent = 0;
}

/* A frame whose bytes are their offset plus 1; the 8 bytes in front of
   it are a canary that must never reach the guest. */
static struct {
    uint8_t canary[8];
    uint8_t frame[1514];
} src;

static const uint8_t *frame(size_t len)
{
    memset(src.canary, 0xcc, sizeof(src.canary));
    for (size_t i = 0; i < len; i++)
        src.frame[i] = (uint8_t)(i + 1);
    return src.frame;
}

/* The header the device writes: zeros but num_buffers (le16 at 10). */
static void expect_header(const uint8_t *hdr, unsigned num_buffers)
{
    for (int i = 0; i < 10; i++)
        EXPECT_EQ(hdr[i], 0);
    EXPECT_EQ(hdr[10] | hdr[11] << 8, num_buffers);
}

static bool all(const uint8_t *p, size_t len, uint8_t v)
{
    for (size_t i = 0; i < len; i++) {
        if (p[i] != v)
            return false;
    }
    return true;
}

TEST(rx_frame_in_one_buffer)
{
    uint64_t b;
    uint32_t id, len;

    setup(0);
    b = vt_alloc(2048, 0xaa);
    vt_add(RXQ, (VTBuf[]){{b, 2048, true}}, 1);
    net_backend_inject(nb, frame(60), 60);
    EXPECT_EQ(vt_used_count(RXQ), 1);
    vt_used_next(RXQ, &id, &len);
    EXPECT_EQ(len, HDR + 60);
    expect_header(vt_ptr(b, HDR), 1);
    EXPECT(!memcmp(vt_ptr(b + HDR, 60), src.frame, 60));
    EXPECT(all(vt_ptr(b + HDR + 60, 2048 - HDR - 60), 2048 - HDR - 60, 0xaa));
    EXPECT(!vt_needs_reset());
}

/* MRG_RXBUF: a frame larger than one buffer spans several; num_buffers
   in the header counts them. */
TEST(rx_mergeable_frame_spans_buffers)
{
    uint64_t b[3];
    uint32_t id, len;

    setup(F_MRG_RXBUF);
    for (int i = 0; i < 3; i++) {
        b[i] = vt_alloc(40, 0xaa);
        vt_add(RXQ, (VTBuf[]){{b[i], 40, true}}, 1);
    }
    net_backend_inject(nb, frame(100), 100);
    EXPECT_EQ(vt_used_count(RXQ), 3);
    vt_used_next(RXQ, &id, &len);
    EXPECT_EQ(len, 40);
    vt_used_next(RXQ, &id, &len);
    EXPECT_EQ(len, 40);
    vt_used_next(RXQ, &id, &len);
    EXPECT_EQ(len, HDR + 100 - 80);
    expect_header(vt_ptr(b[0], HDR), 3);
    EXPECT(!memcmp(vt_ptr(b[0] + HDR, 28), src.frame, 28));
    EXPECT(!memcmp(vt_ptr(b[1], 40), src.frame + 28, 40));
    EXPECT(!memcmp(vt_ptr(b[2], 32), src.frame + 68, 32));
    EXPECT(all(vt_ptr(b[2] + 32, 8), 8, 0xaa));
}

/*
 * A first receive buffer shorter than the header (4 bytes): the header
 * goes on in the next buffer, then the frame.  The device used to
 * compute the first buffer's frame part as 4 - 12, and copied the second
 * buffer's bytes from 8 bytes in front of the frame: host memory (here
 * the canary) reached the guest, and the header was cut short.
 */
TEST(rx_mergeable_header_split_across_buffers)
{
    uint64_t b0, b1;
    uint32_t id, len;
    uint8_t hdr[HDR];

    setup(F_MRG_RXBUF);
    b0 = vt_alloc(16, 0xaa);
    b1 = vt_alloc(256, 0xaa);
    vt_add(RXQ, (VTBuf[]){{b0, 4, true}}, 1);
    vt_add(RXQ, (VTBuf[]){{b1, 256, true}}, 1);
    net_backend_inject(nb, frame(60), 60);
    EXPECT_EQ(vt_used_count(RXQ), 2);
    vt_used_next(RXQ, &id, &len);
    EXPECT_EQ(id, 0);
    EXPECT_EQ(len, 4);
    vt_used_next(RXQ, &id, &len);
    EXPECT_EQ(id, 1);
    EXPECT_EQ(len, HDR - 4 + 60);
    memcpy(hdr, vt_ptr(b0, 4), 4);
    memcpy(hdr + 4, vt_ptr(b1, HDR - 4), HDR - 4);
    expect_header(hdr, 2);
    EXPECT(!memcmp(vt_ptr(b1 + HDR - 4, 60), src.frame, 60));
    EXPECT(all(vt_ptr(b0 + 4, 12), 12, 0xaa));
    EXPECT(all(vt_ptr(b1 + HDR - 4 + 60, 256 - 68), 256 - 68, 0xaa));
    EXPECT(!memchr(vt_ptr(b1, 256), 0xcc, 256));
    EXPECT(!vt_needs_reset());
}

/* The header cut into three buffers, one of them a single byte. */
TEST(rx_mergeable_header_over_three_buffers)
{
    static const uint32_t sizes[] = {5, 1, 100};
    uint64_t b[3];
    uint32_t id, len;
    uint8_t hdr[HDR];

    setup(F_MRG_RXBUF);
    for (int i = 0; i < 3; i++) {
        b[i] = vt_alloc(128, 0xaa);
        vt_add(RXQ, (VTBuf[]){{b[i], sizes[i], true}}, 1);
    }
    net_backend_inject(nb, frame(50), 50);
    EXPECT_EQ(vt_used_count(RXQ), 3);
    for (int i = 0; i < 3; i++) {
        vt_used_next(RXQ, &id, &len);
        EXPECT_EQ(len, i < 2 ? sizes[i] : HDR - 6 + 50);
    }
    memcpy(hdr, vt_ptr(b[0], 5), 5);
    memcpy(hdr + 5, vt_ptr(b[1], 1), 1);
    memcpy(hdr + 6, vt_ptr(b[2], 6), 6);
    expect_header(hdr, 3);
    EXPECT(!memcmp(vt_ptr(b[2] + 6, 50), src.frame, 50));
}

/* Without MRG_RXBUF the frame must fit one buffer: a short one is given
   back empty and the frame is dropped. */
TEST(rx_short_buffer_without_mergeable_drops_frame)
{
    uint64_t b;
    uint32_t id, len;

    setup(0);
    b = vt_alloc(64, 0xaa);
    vt_add(RXQ, (VTBuf[]){{b, 40, true}}, 1);
    net_backend_inject(nb, frame(60), 60);
    EXPECT_EQ(vt_used_count(RXQ), 1);
    vt_used_next(RXQ, &id, &len);
    EXPECT_EQ(len, 0);
    EXPECT(!vt_needs_reset());
}

/* The header split over the descriptors of one chain (not MRG). */
TEST(rx_chain_of_small_descriptors)
{
    uint64_t b0, b1, b2;
    uint32_t id, len;
    uint8_t hdr[HDR];

    setup(0);
    b0 = vt_alloc(3, 0xaa);
    b1 = vt_alloc(16, 0xaa);
    b2 = vt_alloc(100, 0xaa);
    vt_add(RXQ, (VTBuf[]){{b0, 3, true}, {b1, 16, true}, {b2, 100, true}}, 3);
    net_backend_inject(nb, frame(60), 60);
    EXPECT_EQ(vt_used_count(RXQ), 1);
    vt_used_next(RXQ, &id, &len);
    EXPECT_EQ(len, HDR + 60);
    memcpy(hdr, vt_ptr(b0, 3), 3);
    memcpy(hdr + 3, vt_ptr(b1, 9), 9);
    expect_header(hdr, 1);
    EXPECT(!memcmp(vt_ptr(b1 + 9, 7), src.frame, 7));
    EXPECT(!memcmp(vt_ptr(b2, 53), src.frame + 7, 53));
}

/* Transmit: the frame reaches the network exactly, the header (cut
   across descriptors here) stripped. */
TEST(tx_header_split_across_descriptors)
{
    uint64_t h0, h1, f;
    uint32_t id, len;

    setup(0);
    h0 = vt_alloc(5, 0);
    h1 = vt_alloc(7 + 20, 0);
    f = vt_alloc(40, 0);
    memcpy(vt_ptr(h1 + 7, 20), frame(60), 20);
    memcpy(vt_ptr(f, 40), src.frame + 20, 40);
    vt_add(TXQ, (VTBuf[]){{h0, 5, false}, {h1, 27, false}, {f, 40, false}}, 3);
    vt_kick(TXQ);
    EXPECT_EQ(nsent, 1);
    EXPECT_EQ(sent->len, 60);
    EXPECT(sent->len == 60 && !memcmp(sent->data, src.frame, 60));
    EXPECT_EQ(vt_used_count(TXQ), 1);
    vt_used_next(TXQ, &id, &len);
    EXPECT(!vt_needs_reset());
}

/* A transmit shorter than the header, or longer than 64 KiB of frame,
   is given back unsent and the device goes on. */
TEST(tx_short_and_oversized_are_dropped)
{
    uint64_t h, big;
    uint32_t id, len;

    setup(0);
    h = vt_alloc(8, 0);
    big = vt_alloc(65536 + HDR + 1, 0);
    vt_add(TXQ, (VTBuf[]){{h, 8, false}}, 1);
    vt_add(TXQ, (VTBuf[]){{big, 65536 + HDR + 1, false}}, 1);
    vt_kick(TXQ);
    EXPECT_EQ(nsent, 0);
    EXPECT_EQ(vt_used_count(TXQ), 2);
    vt_used_next(TXQ, &id, &len);
    vt_used_next(TXQ, &id, &len);
    EXPECT(!vt_needs_reset());
    h = vt_alloc(HDR + 60, 0);
    memcpy(vt_ptr(h + HDR, 60), frame(60), 60);
    vt_add(TXQ, (VTBuf[]){{h, HDR + 60, false}}, 1);
    vt_kick(TXQ);
    EXPECT_EQ(nsent, 1);
}

int main(void)
{
    return unit_run();
}
