/* needs: riscv64-softmmu */
/*
 * Tests of virtio-gpu (hw/display/virtio-gpu.c) against a hostile driver:
 * resource sizes whose byte count overflows, transfers and scanouts
 * outside the resource or past the backing, backing lists that are too
 * long, short or outside RAM, commands cut short, and many small
 * resources or backing lists that would take unbounded host memory.  Each
 * bad command gets an error response and the device goes on.
 */
#include <glib.h>

#include "mimic/ui.h"
#include "mimic/virtio-devices.h"
#include "unit.h"
#include "virtio-test.h"

#define F_V1 (1ull << VIRTIO_F_VERSION_1)
#define CTRLQ 0
#define CURSORQ 1

enum {
    CREATE_2D = 0x0101,
    UNREF = 0x0102,
    SET_SCANOUT = 0x0103,
    FLUSH = 0x0104,
    TRANSFER = 0x0105,
    ATTACH = 0x0106,
    DETACH = 0x0107,
    UPDATE_CURSOR = 0x0300,
    MOVE_CURSOR = 0x0301,
    OK_NODATA = 0x1100,
    ERR_UNSPEC = 0x1200,
    ERR_OOM = 0x1201,
    ERR_SCANOUT = 0x1202,
    ERR_RES = 0x1203,
    ERR_PARAM = 0x1205,
};

#define FMT_B8G8R8X8 2

static uint64_t cmd_buf, resp_buf;

static void setup(void)
{
    if (!vt.vdev) {
        char *err = NULL;

        vt_plug(virtio_gpu_create(NULL, NULL, &err));
    }
    vt_start(F_V1, 64);
    cmd_buf = vt_alloc(4096, 0);
    resp_buf = vt_alloc(64, 0);
}

static void put32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static void put64(uint8_t *p, uint64_t v)
{
    put32(p, (uint32_t)v);
    put32(p + 4, (uint32_t)(v >> 32));
}

/* Sends a command of len bytes (words: the le32 fields after the 24-byte
   header), with extra readable buffers after it; returns the response
   type, or 0 if the device gave none. */
static uint32_t send(uint32_t type, const uint32_t *words, unsigned nwords,
                     const VTBuf *extra, unsigned nextra)
{
    uint8_t *c = vt_ptr(cmd_buf, 24 + 4 * nwords);
    VTBuf bufs[8];
    unsigned n = 0;
    uint32_t id, len;

    memset(c, 0, 24);
    put32(c, type);
    for (unsigned i = 0; i < nwords; i++)
        put32(c + 24 + 4 * i, words[i]);
    bufs[n++] = (VTBuf){cmd_buf, 24 + 4 * nwords, false};
    for (unsigned i = 0; i < nextra; i++)
        bufs[n++] = extra[i];
    bufs[n++] = (VTBuf){resp_buf, 64, true};
    memset(vt_ptr(resp_buf, 64), 0, 64);
    vt_add(CTRLQ, bufs, n);
    vt_kick(CTRLQ);
    if (vt_used_count(CTRLQ) != 1)
        return 0;
    vt_used_next(CTRLQ, &id, &len);
    return len >= 24 ? vt_get32(resp_buf) : 0;
}

static uint32_t create(uint32_t id, uint32_t w, uint32_t h)
{
    return send(CREATE_2D, (uint32_t[]){id, FMT_B8G8R8X8, w, h}, 4, NULL, 0);
}

/* Backing entries {addr, len} written at guest address at. */
static uint32_t attach(uint32_t id, uint64_t at, const uint64_t *addr,
                       const uint32_t *len, uint32_t n, uint32_t announced)
{
    for (uint32_t i = 0; i < n; i++) {
        uint8_t *e = vt_ptr(at + 16ull * i, 16);

        put64(e, addr[i]);
        put32(e + 8, len[i]);
        put32(e + 12, 0);
    }
    return send(ATTACH, (uint32_t[]){id, announced}, 2,
                (VTBuf[]){{at, 16 * n, false}}, n ? 1 : 0);
}

static uint32_t transfer(uint32_t id, uint32_t x, uint32_t y, uint32_t w,
                         uint32_t h, uint64_t offset)
{
    return send(TRANSFER,
                (uint32_t[]){x, y, w, h, (uint32_t)offset,
                             (uint32_t)(offset >> 32), id, 0},
                8, NULL, 0);
}

TEST(resource_sizes)
{
    setup();
    EXPECT_EQ(create(1, 64, 64), OK_NODATA);
    EXPECT_EQ(create(1, 64, 64), ERR_RES);
    EXPECT_EQ(create(0, 64, 64), ERR_RES);
    EXPECT_EQ(create(2, 0, 64), ERR_PARAM);
    /* width * height * 4 overflows 32 bits */
    EXPECT_EQ(create(2, 0x10000, 0x10000), ERR_PARAM);
    EXPECT_EQ(create(2, 0x80000001, 2), ERR_PARAM);
    /* 1 GiB: more than resources may take */
    EXPECT_EQ(create(2, 16384, 16384), ERR_OOM);
    EXPECT_EQ(send(CREATE_2D, (uint32_t[]){3, 99, 8, 8}, 4, NULL, 0),
              ERR_PARAM);
    EXPECT_EQ(create(2, 16, 16), OK_NODATA);
    EXPECT(!vt_needs_reset());
}

TEST(transfer_bounds)
{
    uint64_t page;

    setup();
    page = vt_alloc(64 * 64 * 4, 0x55);
    EXPECT_EQ(create(1, 64, 64), OK_NODATA);
    EXPECT_EQ(transfer(1, 0, 0, 64, 64, 0), ERR_UNSPEC); /* no backing */
    EXPECT_EQ(attach(1, vt_alloc(16, 0), (uint64_t[]){page},
                     (uint32_t[]){64 * 64 * 4}, 1, 1),
              OK_NODATA);
    EXPECT_EQ(transfer(1, 0, 0, 64, 64, 0), OK_NODATA);
    EXPECT_EQ(transfer(1, 1, 0, 64, 64, 0), ERR_PARAM);
    EXPECT_EQ(transfer(1, 0xffffffff, 0, 2, 1, 0), ERR_PARAM);
    EXPECT_EQ(transfer(1, 0, 0xfffffff0, 1, 0x20, 0), ERR_PARAM);
    /* Past the end of the backing, by the offset or the last row. */
    EXPECT_EQ(transfer(1, 0, 0, 64, 64, 4), ERR_PARAM);
    EXPECT_EQ(transfer(1, 0, 0, 1, 1, 64 * 64 * 4), ERR_PARAM);
    EXPECT_EQ(transfer(1, 0, 0, 1, 1, UINT64_MAX - 2), ERR_PARAM);
    EXPECT_EQ(transfer(1, 0, 63, 64, 1, 63 * 256 + 4), ERR_PARAM);
    EXPECT_EQ(transfer(1, 0, 63, 64, 1, 63 * 256), OK_NODATA);
    EXPECT_EQ(transfer(7, 0, 0, 1, 1, 0), ERR_RES);
    EXPECT(!vt_needs_reset());
}

TEST(backing_lists)
{
    uint64_t page, list;

    setup();
    page = vt_alloc(4096, 0);
    list = vt_alloc(16 * 4, 0);
    EXPECT_EQ(create(1, 16, 16), OK_NODATA);
    EXPECT_EQ(attach(1, list, NULL, NULL, 0, 0), ERR_PARAM);
    EXPECT_EQ(attach(1, list, NULL, NULL, 0, 16385), ERR_PARAM);
    /* Announced 4, sent 2. */
    EXPECT_EQ(
        attach(1, list, (uint64_t[]){page, page}, (uint32_t[]){512, 512}, 2, 4),
        ERR_PARAM);
    /* Outside RAM, wrapping, or empty. */
    EXPECT_EQ(attach(1, list, (uint64_t[]){0x1000}, (uint32_t[]){512}, 1, 1),
              ERR_PARAM);
    EXPECT_EQ(attach(1, list, (uint64_t[]){VT_RAM_BASE + VT_RAM_SIZE - 8},
                     (uint32_t[]){16}, 1, 1),
              ERR_PARAM);
    EXPECT_EQ(
        attach(1, list, (uint64_t[]){UINT64_MAX - 15}, (uint32_t[]){32}, 1, 1),
        ERR_PARAM);
    EXPECT_EQ(attach(1, list, (uint64_t[]){page}, (uint32_t[]){0}, 1, 1),
              ERR_PARAM);
    /* Pieces of 3 and 500 bytes: rows and pixels straddle entries. */
    {
        static const uint32_t lens[4] = {3, 500, 3, 518};
        uint64_t addrs[4];
        pixman_image_t *s;
        const uint8_t *px;
        unsigned bad = 0;

        for (int i = 0; i < 4; i++)
            addrs[i] = page + 1024 * i;
        for (int i = 0, off = 0; i < 4; off += lens[i++]) {
            for (uint32_t j = 0; j < lens[i]; j++)
                vt_ptr(addrs[i], lens[i])[j] = (uint8_t)(off + j + 1);
        }
        EXPECT_EQ(attach(1, list, addrs, lens, 4, 4), OK_NODATA);
        EXPECT_EQ(attach(1, list, addrs, lens, 4, 4), ERR_UNSPEC);
        EXPECT_EQ(transfer(1, 0, 0, 16, 16, 4), ERR_PARAM);
        EXPECT_EQ(transfer(1, 0, 1, 16, 16, 64), ERR_PARAM);
        EXPECT_EQ(transfer(1, 0, 0, 16, 16, 0), OK_NODATA);
        EXPECT_EQ(
            send(SET_SCANOUT, (uint32_t[]){0, 0, 16, 16, 0, 1}, 6, NULL, 0),
            OK_NODATA);
        s = ui_console_surface(ui_console_get_default());
        EXPECT_EQ(pixman_image_get_width(s), 16);
        px = (const uint8_t *)pixman_image_get_data(s);
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 16; x++) {
                const uint8_t *p = px + y * pixman_image_get_stride(s) + 4 * x;
                unsigned off = (unsigned)(y * 64 + 4 * x);

                for (int b = 0; b < 3; b++)
                    bad += p[b] != (uint8_t)(off + b + 1);
            }
        }
        EXPECT_EQ(bad, 0);
    }
    EXPECT_EQ(send(DETACH, (uint32_t[]){1, 0}, 2, NULL, 0), OK_NODATA);
    EXPECT_EQ(send(DETACH, (uint32_t[]){1, 0}, 2, NULL, 0), ERR_UNSPEC);
    EXPECT(!vt_needs_reset());
}

TEST(scanout_and_flush_bounds)
{
    setup();
    EXPECT_EQ(create(1, 64, 32), OK_NODATA);
    EXPECT_EQ(send(SET_SCANOUT, (uint32_t[]){0, 0, 64, 32, 1, 1}, 6, NULL, 0),
              ERR_SCANOUT);
    EXPECT_EQ(send(SET_SCANOUT, (uint32_t[]){0, 0, 65, 32, 0, 1}, 6, NULL, 0),
              ERR_PARAM);
    EXPECT_EQ(send(SET_SCANOUT, (uint32_t[]){0xffffffc0, 0, 0x80, 32, 0, 1}, 6,
                   NULL, 0),
              ERR_PARAM);
    EXPECT_EQ(send(SET_SCANOUT, (uint32_t[]){0, 0, 0, 0, 0, 1}, 6, NULL, 0),
              ERR_PARAM);
    EXPECT_EQ(send(SET_SCANOUT, (uint32_t[]){8, 8, 32, 16, 0, 1}, 6, NULL, 0),
              OK_NODATA);
    EXPECT_EQ(send(FLUSH, (uint32_t[]){0, 0, 64, 32, 1, 0}, 6, NULL, 0),
              OK_NODATA);
    EXPECT_EQ(send(FLUSH, (uint32_t[]){0, 0xffffffff, 64, 2, 1, 0}, 6, NULL, 0),
              ERR_PARAM);
    EXPECT_EQ(send(UNREF, (uint32_t[]){1, 0}, 2, NULL, 0), OK_NODATA);
    EXPECT_EQ(send(FLUSH, (uint32_t[]){0, 0, 1, 1, 1, 0}, 6, NULL, 0), ERR_RES);
    EXPECT(!vt_needs_reset());
}

/* A command shorter than its fixed part, or a response buffer too short,
   is still answered as far as it fits. */
TEST(short_commands_and_responses)
{
    uint32_t id, len;

    setup();
    EXPECT_EQ(send(CREATE_2D, (uint32_t[]){1, FMT_B8G8R8X8}, 2, NULL, 0),
              ERR_UNSPEC);
    EXPECT_EQ(send(ATTACH, (uint32_t[]){1}, 1, NULL, 0), ERR_UNSPEC);
    vt_add(CTRLQ, (VTBuf[]){{cmd_buf, 8, false}, {resp_buf, 64, true}}, 2);
    vt_add(CTRLQ, (VTBuf[]){{cmd_buf, 24, false}, {resp_buf, 3, true}}, 2);
    vt_add(CTRLQ, (VTBuf[]){{cmd_buf, 24, false}}, 1);
    vt_kick(CTRLQ);
    EXPECT_EQ(vt_used_count(CTRLQ), 3);
    vt_used_next(CTRLQ, &id, &len);
    EXPECT_EQ(len, 24);
    vt_used_next(CTRLQ, &id, &len);
    EXPECT_EQ(len, 3);
    vt_used_next(CTRLQ, &id, &len);
    EXPECT_EQ(len, 0);
    EXPECT(!vt_needs_reset());
}

TEST(cursor_commands)
{
    uint8_t *c;
    uint32_t id, len;

    setup();
    EXPECT_EQ(create(5, 300, 300), OK_NODATA);
    c = vt_ptr(cmd_buf, 56);
    memset(c, 0, 56);
    put32(c, UPDATE_CURSOR);
    put32(c + 28, 0x7fffffff); /* x */
    put32(c + 32, 0x80000000); /* y */
    put32(c + 40, 5);          /* resource */
    put32(c + 44, 0xffffffff); /* hot_x */
    put32(c + 48, 0x7fffffff); /* hot_y */
    vt_add(CURSORQ, (VTBuf[]){{cmd_buf, 56, false}}, 1);
    vt_add(CURSORQ, (VTBuf[]){{cmd_buf, 10, false}}, 1);
    put32(c + 40, 77);
    vt_add(CURSORQ, (VTBuf[]){{cmd_buf, 56, false}}, 1);
    vt_kick(CURSORQ);
    EXPECT_EQ(vt_used_count(CURSORQ), 3);
    for (int i = 0; i < 3; i++)
        vt_used_next(CURSORQ, &id, &len);
    EXPECT(!vt_needs_reset());
}

/*
 * Host memory for resources is bounded (256 MiB) for their pixels, but
 * each resource also costs the host its bookkeeping, and each backing
 * entry its record: 1x1 resources (4 bytes of pixels each) could be made
 * by the million, and backing lists of 16384 entries attached to each.
 * Both must run into ERR_OUT_OF_MEMORY long before the host runs out.
 */
TEST(many_small_resources_are_bounded)
{
    uint32_t id, r = OK_NODATA;

    setup();
    for (id = 1; id <= 200000 && r == OK_NODATA; id++)
        r = create(id, 1, 1);
    EXPECT_EQ(r, ERR_OOM);
    EXPECT(id <= 100000);
    /* Freeing some lets new ones in. */
    EXPECT_EQ(send(UNREF, (uint32_t[]){1, 0}, 2, NULL, 0), OK_NODATA);
    EXPECT_EQ(create(1, 1, 1), OK_NODATA);
    EXPECT(!vt_needs_reset());
    /* A reset gives it all back. */
    setup();
    EXPECT_EQ(create(1, 4096, 4096), OK_NODATA);
}

TEST(backing_lists_are_bounded)
{
    enum { N = 16384 };
    uint64_t page, list;
    uint8_t *e;
    uint32_t r = OK_NODATA;
    unsigned i;

    setup();
    page = vt_alloc(4096, 0);
    list = vt_alloc(16ull * N, 0);
    for (i = 0; i < N; i++) {
        e = vt_ptr(list + 16ull * i, 16);
        put64(e, page);
        put32(e + 8, 4096);
    }
    /* Pixels take most of the 256 MiB: 250 MiB. */
    EXPECT_EQ(create(1000, 16000, 4096), OK_NODATA);
    for (i = 1; i <= 200 && r == OK_NODATA; i++) {
        EXPECT_EQ(create(i, 1, 1), OK_NODATA);
        r = send(ATTACH, (uint32_t[]){i, N}, 2,
                 (VTBuf[]){{list, 16 * N, false}}, 1);
    }
    EXPECT_EQ(r, ERR_OOM);
    EXPECT(i < 100);
    EXPECT(!vt_needs_reset());
}

int main(void)
{
    return unit_run();
}
