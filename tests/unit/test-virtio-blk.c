/* needs: riscv64-softmmu */
/*
 * Tests of virtio-blk (hw/virtio/virtio-blk.c) against a hostile driver on
 * a 1 MiB raw scratch disk: request headers shorter than 16 bytes or cut
 * across descriptors, a missing status byte, sectors and lengths that run
 * past the disk or overflow, discard and write-zeroes lists of bad sizes,
 * and GET_ID into buffers of every size.  A bad request gets IOERR or
 * UNSUPP (or, with no room for a status, DEVICE_NEEDS_RESET) and never
 * touches the disk or guest memory outside its buffers.
 */
#include <unistd.h>

#include <glib.h>

#include "mimic/block.h"
#include "mimic/virtio-devices.h"
#include "unit.h"
#include "virtio-test.h"

#define F_V1 (1ull << VIRTIO_F_VERSION_1)
#define DISK_SECTORS 2048
#define S_OK 0
#define S_IOERR 1
#define S_UNSUPP 2
#define NO_STATUS 0xee

enum {
    T_IN = 0,
    T_OUT = 1,
    T_FLUSH = 4,
    T_GET_ID = 8,
    T_DISCARD = 11,
    T_WRITE_ZEROES = 13
};

static BlockBackend *blk;
static char *disk_path;
static uint64_t hdr_buf, status_buf;

static void setup(void)
{
    if (!vt.vdev) {
        char *err = NULL;
        int fd = g_file_open_tmp("mimic-vblk-XXXXXX", &disk_path, NULL);

        g_assert(fd >= 0);
        g_assert(ftruncate(fd, DISK_SECTORS * 512) == 0);
        close(fd);
        blk = blk_open(disk_path, "raw", BLK_CACHE_UNSAFE, &err);
        g_assert(blk);
        vt_plug(virtio_blk_create(blk, "serial-of-twenty-chr", &err));
    }
    vt_start(F_V1, 64);
    hdr_buf = vt_alloc(16, 0);
    status_buf = vt_alloc(1, NO_STATUS);
}

static void put_hdr(uint32_t type, uint64_t sector)
{
    uint8_t *h = vt_ptr(hdr_buf, 16);

    memset(h, 0, 16);
    for (int i = 0; i < 4; i++)
        h[i] = (uint8_t)(type >> (8 * i));
    for (int i = 0; i < 8; i++)
        h[8 + i] = (uint8_t)(sector >> (8 * i));
}

/* Submits the chain; returns the status byte (NO_STATUS if none was
   written) and the used length in *used (~0 if not used). */
static uint8_t submit(const VTBuf *bufs, unsigned n, uint32_t *used)
{
    uint32_t id, len = ~0u;

    *vt_ptr(status_buf, 1) = NO_STATUS;
    vt_add(0, bufs, n);
    vt_kick(0);
    if (vt_used_count(0) == 1)
        vt_used_next(0, &id, &len);
    if (used)
        *used = len;
    return *vt_ptr(status_buf, 1);
}

/* header, data (readable for a write), status */
static uint8_t rw(uint32_t type, uint64_t sector, uint64_t data, uint32_t len)
{
    put_hdr(type, sector);
    return submit((VTBuf[]){{hdr_buf, 16, false},
                            {data, len, type != T_OUT},
                            {status_buf, 1, true}},
                  3, NULL);
}

static void disk_read(uint64_t off, void *buf, size_t len)
{
    g_assert(blk_pread(blk, off, buf, len) == 0);
}

TEST(read_and_write)
{
    uint64_t d;
    uint8_t back[1024];
    uint32_t used;

    setup();
    d = vt_alloc(1024, 0x5a);
    EXPECT_EQ(rw(T_OUT, 10, d, 1024), S_OK);
    disk_read(10 * 512, back, 1024);
    EXPECT(!memcmp(back, vt_ptr(d, 1024), 1024));
    memset(vt_ptr(d, 1024), 0, 1024);
    put_hdr(T_IN, 10);
    EXPECT_EQ(submit((VTBuf[]){{hdr_buf, 16, false},
                               {d, 1024, true},
                               {status_buf, 1, true}},
                     3, &used),
              S_OK);
    EXPECT_EQ(used, 1025);
    EXPECT(!memcmp(back, vt_ptr(d, 1024), 1024));
    /* The last sector, and one past it. */
    EXPECT_EQ(rw(T_IN, DISK_SECTORS - 1, d, 512), S_OK);
    EXPECT_EQ(rw(T_IN, DISK_SECTORS, d, 512), S_IOERR);
    EXPECT_EQ(rw(T_IN, DISK_SECTORS - 1, d, 1024), S_IOERR);
    EXPECT_EQ(rw(T_OUT, DISK_SECTORS - 1, d, 1024), S_IOERR);
    EXPECT(!vt_needs_reset());
}

/* Sectors whose byte offset (sector * 512) or end overflows 64 bits. */
TEST(sector_overflow)
{
    static const uint64_t sectors[] = {
        UINT64_MAX,   UINT64_MAX / 512,   UINT64_MAX / 512 + 1,
        (1ull << 55), (1ull << 63) / 256, DISK_SECTORS + 1,
    };
    uint64_t d;

    setup();
    d = vt_alloc(4096, 0x11);
    for (unsigned i = 0; i < G_N_ELEMENTS(sectors); i++) {
        EXPECT_EQ(rw(T_IN, sectors[i], d, 4096), S_IOERR);
        EXPECT_EQ(rw(T_OUT, sectors[i], d, 4096), S_IOERR);
    }
    EXPECT_EQ(vt_ptr(d, 4096)[0], 0x11);
    EXPECT(!vt_needs_reset());
}

TEST(lengths_not_a_multiple_of_512)
{
    uint64_t d;

    setup();
    d = vt_alloc(1024, 0x22);
    EXPECT_EQ(rw(T_IN, 0, d, 511), S_IOERR);
    EXPECT_EQ(rw(T_OUT, 0, d, 513), S_IOERR);
    EXPECT_EQ(vt_ptr(d, 1024)[0], 0x22);
    EXPECT(!vt_needs_reset());
}

/* The header cut over three descriptors, the status in the last byte of
   a larger writable buffer. */
TEST(header_and_status_anywhere)
{
    uint64_t d, tail;
    uint32_t used;

    setup();
    d = vt_alloc(512, 0);
    tail = vt_alloc(8, 0);
    put_hdr(T_IN, 0);
    vt_add(0,
           (VTBuf[]){{hdr_buf, 3, false},
                     {hdr_buf + 3, 9, false},
                     {hdr_buf + 12, 4, false},
                     {d, 500, true},
                     {tail, 13, true}},
           5);
    vt_kick(0);
    EXPECT_EQ(vt_used_count(0), 1);
    {
        uint32_t id;

        vt_used_next(0, &id, &used);
    }
    EXPECT_EQ(used, 513);
    EXPECT_EQ(vt_ptr(tail, 13)[12], S_OK);
    EXPECT(!vt_needs_reset());
}

/* No room for a header or a status: the driver broke the rules. */
TEST(short_header_or_no_status)
{
    uint64_t d;
    uint32_t used;

    setup();
    d = vt_alloc(512, 0x33);
    put_hdr(T_IN, 0);
    EXPECT_EQ(submit((VTBuf[]){{hdr_buf, 15, false}, {status_buf, 1, true}}, 2,
                     &used),
              NO_STATUS);
    EXPECT_EQ(used, ~0u);
    EXPECT(vt_needs_reset());

    setup();
    put_hdr(T_OUT, 0);
    EXPECT_EQ(
        submit((VTBuf[]){{hdr_buf, 16, false}, {d, 512, false}}, 2, &used),
        NO_STATUS);
    EXPECT_EQ(used, ~0u);
    EXPECT(vt_needs_reset());

    setup();
    EXPECT_EQ(submit((VTBuf[]){{status_buf, 1, true}}, 1, &used), NO_STATUS);
    EXPECT(vt_needs_reset());
    setup();
    EXPECT_EQ(rw(T_IN, 0, d, 512), S_OK);
}

TEST(get_id_into_any_buffer)
{
    static const uint32_t sizes[] = {0, 1, 19, 20, 21, 512};
    uint64_t d;

    setup();
    for (unsigned i = 0; i < G_N_ELEMENTS(sizes); i++) {
        uint32_t used, n = MIN(sizes[i], 20u);

        d = vt_alloc(sizes[i] + 16, 0x44);
        put_hdr(T_GET_ID, 0);
        VTBuf bufs[3] = {
            {hdr_buf, 16, false}, {d, sizes[i], true}, {status_buf, 1, true}};

        if (!sizes[i])
            bufs[1] = bufs[2];
        EXPECT_EQ(submit(bufs, sizes[i] ? 3 : 2, &used), S_OK);
        EXPECT_EQ(used, n + 1);
        EXPECT(!memcmp(vt_ptr(d, n + 1), "serial-of-twenty-chr", n));
        EXPECT_EQ(vt_ptr(d + sizes[i], 16)[0], 0x44);
    }
    EXPECT(!vt_needs_reset());
}

/* Discard and write-zeroes: {sector, num_sectors, flags} segments. */
static uint8_t ranges(uint32_t type, uint64_t list, uint32_t nbytes)
{
    VTBuf bufs[3] = {
        {hdr_buf, 16, false}, {list, nbytes, false}, {status_buf, 1, true}};

    put_hdr(type, 0);
    if (!nbytes)
        bufs[1] = bufs[2];
    return submit(bufs, nbytes ? 3 : 2, NULL);
}

static void put_seg(uint64_t list, unsigned i, uint64_t sector, uint32_t num,
                    uint32_t flags)
{
    uint8_t *s = vt_ptr(list + 16ull * i, 16);

    for (int b = 0; b < 8; b++)
        s[b] = (uint8_t)(sector >> (8 * b));
    for (int b = 0; b < 4; b++) {
        s[8 + b] = (uint8_t)(num >> (8 * b));
        s[12 + b] = (uint8_t)(flags >> (8 * b));
    }
}

TEST(discard_and_write_zeroes_segments)
{
    uint64_t list, d;
    uint8_t back[512];

    setup();
    list = vt_alloc(16 * 40, 0);
    d = vt_alloc(512, 0x77);
    EXPECT_EQ(rw(T_OUT, 100, d, 512), S_OK);
    put_seg(list, 0, 100, 1, 0);
    EXPECT_EQ(ranges(T_WRITE_ZEROES, list, 16), S_OK);
    disk_read(100 * 512, back, 512);
    EXPECT_EQ(back[0], 0);
    EXPECT_EQ(ranges(T_DISCARD, list, 16), S_OK);
    EXPECT_EQ(ranges(T_DISCARD, list, 0), S_UNSUPP);
    EXPECT_EQ(ranges(T_DISCARD, list, 15), S_UNSUPP);
    EXPECT_EQ(ranges(T_DISCARD, list, 16 * 33), S_UNSUPP);
    put_seg(list, 0, DISK_SECTORS - 1, 2, 0);
    EXPECT_EQ(ranges(T_DISCARD, list, 16), S_IOERR);
    put_seg(list, 0, UINT64_MAX / 512, 1, 0);
    EXPECT_EQ(ranges(T_WRITE_ZEROES, list, 16), S_IOERR);
    put_seg(list, 0, UINT64_MAX, 0xffffffff, 0);
    EXPECT_EQ(ranges(T_WRITE_ZEROES, list, 16), S_UNSUPP);
    put_seg(list, 0, 0, 1, 1); /* unmap: discard has none */
    EXPECT_EQ(ranges(T_DISCARD, list, 16), S_UNSUPP);
    put_seg(list, 0, 0, 1, 2);
    EXPECT_EQ(ranges(T_WRITE_ZEROES, list, 16), S_UNSUPP);
    EXPECT(!vt_needs_reset());
}

TEST(flush_and_unknown_requests)
{
    setup();
    put_hdr(T_FLUSH, 0);
    EXPECT_EQ(
        submit((VTBuf[]){{hdr_buf, 16, false}, {status_buf, 1, true}}, 2, NULL),
        S_OK);
    put_hdr(0xdeadbeef, 7);
    EXPECT_EQ(
        submit((VTBuf[]){{hdr_buf, 16, false}, {status_buf, 1, true}}, 2, NULL),
        S_UNSUPP);
    EXPECT(!vt_needs_reset());
}

int main(void)
{
    int r = unit_run();

    blk_close(blk);
    unlink(disk_path);
    return r;
}
