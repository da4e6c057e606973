/*
 * A virtio-gpu device on the virtio-mmio transport (version 2), driven by
 * hand on its control queue: display info and EDID (1280x800, a valid
 * block), a resource with backing, scanout, transfer and flush, a fenced
 * command; then a driver's mistakes, each of which must get an error
 * response while the device goes on working (no DEVICE_NEEDS_RESET): a
 * resource id in use or unknown, an unknown format, a resource too big
 * for the host, backing outside RAM, a scanout larger than its resource or
 * on a scanout that does not exist, a transfer outside the resource.  Run
 * with the arguments in virtio_gpu.args.
 */
#include "virtio.h"

enum {
    GET_DISPLAY_INFO = 0x100, RESOURCE_CREATE_2D, RESOURCE_UNREF,
    SET_SCANOUT, RESOURCE_FLUSH, TRANSFER_TO_HOST_2D,
    RESOURCE_ATTACH_BACKING, RESOURCE_DETACH_BACKING,
    GET_EDID = 0x10a,
    OK_NODATA = 0x1100, OK_DISPLAY_INFO, OK_EDID = 0x1104,
    ERR_UNSPEC = 0x1200, ERR_OUT_OF_MEMORY, ERR_INVALID_SCANOUT_ID,
    ERR_INVALID_RESOURCE_ID, ERR_INVALID_CONTEXT_ID, ERR_INVALID_PARAMETER,
};
#define FLAG_FENCE 1
#define FORMAT_B8G8R8X8 2
#define F_EDID 1

struct hdr { u32 type, flags; u64 fence_id; u32 ctx_id; u8 ring_idx, pad[3]; };
struct rect { u32 x, y, w, h; };

static u8 cmd[512] __attribute__((aligned(8)));
static u8 resp[1100] __attribute__((aligned(8)));
static u32 pixels[64 * 64] __attribute__((aligned(4096)));
/* Sends cmd[0..len) on the control queue with a response buffer of
   resp_len; returns the response type (0 if none came within 2 s). */
static u32 submit(u32 len, u32 resp_len)
{
    memset(resp, 0xee, sizeof(resp));
    descs[0] = (struct desc){ (u64)cmd, len, F_NEXT, 1 };
    descs[1] = (struct desc){ (u64)resp, resp_len, F_WRITE, 0 };
    if (!virtio_submit())
        return 0;
    return ((struct hdr *)resp)->type;
}

static struct hdr *cmd_hdr(u32 type)
{
    struct hdr *h = (struct hdr *)cmd;

    memset(cmd, 0, sizeof(cmd));
    h->type = type;
    return h;
}

static u32 *args(void) { return (u32 *)(cmd + sizeof(struct hdr)); }

static u32 create_2d(u32 id, u32 format, u32 w, u32 h)
{
    cmd_hdr(RESOURCE_CREATE_2D);
    args()[0] = id;
    args()[1] = format;
    args()[2] = w;
    args()[3] = h;
    return submit(40, 24);
}

static u32 attach(u32 id, u64 addr, u32 len)
{
    cmd_hdr(RESOURCE_ATTACH_BACKING);
    args()[0] = id;
    args()[1] = 1;                        /* nr_entries */
    *(u64 *)(cmd + 32) = addr;
    *(u32 *)(cmd + 40) = len;
    return submit(48, 24);
}

static u32 rect_cmd(u32 type, struct rect r, u32 a, u32 b)
{
    cmd_hdr(type);
    memcpy(args(), &r, sizeof(r));
    args()[4] = a;
    args()[5] = b;
    return submit(48, 24);
}

static u32 set_scanout(u32 scanout, u32 id, struct rect r)
{
    return rect_cmd(SET_SCANOUT, r, scanout, id);
}

static u32 flush(u32 id, struct rect r)
{
    return rect_cmd(RESOURCE_FLUSH, r, id, 0);
}

static u32 transfer(u32 id, struct rect r, u64 offset)
{
    cmd_hdr(TRANSFER_TO_HOST_2D);
    memcpy(args(), &r, sizeof(r));
    *(u64 *)(cmd + 40) = offset;
    *(u32 *)(cmd + 48) = id;
    return submit(56, 24);
}

static u32 unref(u32 id)
{
    cmd_hdr(RESOURCE_UNREF);
    args()[0] = id;
    return submit(32, 24);
}

static void check_display_info(void)
{
    u32 *m = (u32 *)(resp + sizeof(struct hdr));

    cmd_hdr(GET_DISPLAY_INFO);
    CHECK_EQ(submit(24, 24 + 16 * 24), OK_DISPLAY_INFO);
    CHECK_EQ(m[2], 1280);                 /* pmodes[0].r.width */
    CHECK_EQ(m[3], 800);
    CHECK_EQ(m[4], 1);                    /* enabled */
    CHECK_EQ(vrd(VM_CONFIG + 8), 1);          /* num_scanouts */
}

static void check_edid(void)
{
    u8 *e = resp + sizeof(struct hdr) + 8, sum = 0;
    u32 size;
    static const u8 magic[8] = { 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0 };

    cmd_hdr(GET_EDID);
    CHECK_EQ(submit(32, 24 + 8 + 1024), OK_EDID);
    /* The blob's size (QEMU gives the whole 1024-byte field). */
    size = *(u32 *)(resp + sizeof(struct hdr));
    CHECK(size >= 128 && size <= 1024 && size % 128 == 0);
    CHECK_EQ(memcmp(e, magic, 8), 0);
    for (int i = 0; i < 128; i++)
        sum += e[i];
    CHECK_EQ(sum, 0);
    /* The preferred (first detailed) timing: 1280x800. */
    CHECK_EQ(e[56] | (e[58] >> 4) << 8, 1280);
    CHECK_EQ(e[59] | (e[61] >> 4) << 8, 800);
}

static void check_good_path(void)
{
    struct hdr *h;

    for (int i = 0; i < 64 * 64; i++)
        pixels[i] = 0x00ff0000 | i;
    CHECK_EQ(create_2d(1, FORMAT_B8G8R8X8, 64, 64), OK_NODATA);
    CHECK_EQ(attach(1, (u64)pixels, sizeof(pixels)), OK_NODATA);
    CHECK_EQ(set_scanout(0, 1, (struct rect){ 0, 0, 64, 64 }), OK_NODATA);
    CHECK_EQ(transfer(1, (struct rect){ 0, 0, 64, 64 }, 0), OK_NODATA);
    CHECK_EQ(transfer(1, (struct rect){ 8, 8, 16, 16 }, 8 * 256 + 8 * 4),
             OK_NODATA);
    CHECK_EQ(flush(1, (struct rect){ 0, 0, 64, 64 }), OK_NODATA);
    /* A fenced command: the response carries the fence. */
    h = cmd_hdr(RESOURCE_FLUSH);
    h->flags = FLAG_FENCE;
    h->fence_id = 0x123456789aUL;
    memcpy(args(), &(struct rect){ 0, 0, 8, 8 }, sizeof(struct rect));
    args()[4] = 1;
    CHECK_EQ(submit(48, 24), OK_NODATA);
    CHECK(((struct hdr *)resp)->flags & FLAG_FENCE);
    CHECK_EQ(((struct hdr *)resp)->fence_id, 0x123456789aUL);
}

static void check_bad_requests(void)
{
    /* Resource ids: in use, zero, unknown. */
    CHECK_EQ(create_2d(1, FORMAT_B8G8R8X8, 64, 64), ERR_INVALID_RESOURCE_ID);
    CHECK_EQ(create_2d(0, FORMAT_B8G8R8X8, 64, 64), ERR_INVALID_RESOURCE_ID);
    CHECK_EQ(flush(7, (struct rect){ 0, 0, 8, 8 }), ERR_INVALID_RESOURCE_ID);
    CHECK_EQ(set_scanout(0, 7, (struct rect){ 0, 0, 8, 8 }),
             ERR_INVALID_RESOURCE_ID);
    /* An unknown format; 1 GiB of pixels. */
    CHECK_EQ(create_2d(2, 999, 64, 64), ERR_INVALID_PARAMETER);
    CHECK_EQ(create_2d(3, FORMAT_B8G8R8X8, 16384, 16384), ERR_OUT_OF_MEMORY);
    /* Backing far outside RAM: some error, not a host crash. */
    CHECK_EQ(create_2d(4, FORMAT_B8G8R8X8, 16, 16), OK_NODATA);
    CHECK(attach(4, 0x4000000000UL, 4096) >= ERR_UNSPEC);
    CHECK(attach(4, UNMAPPED_ADDR, 4096) >= ERR_UNSPEC);
    CHECK_EQ(unref(4), OK_NODATA);
    /* A scanout larger than the resource, or past its edge; scanout 5. */
    CHECK_EQ(set_scanout(0, 1, (struct rect){ 0, 0, 128, 64 }),
             ERR_INVALID_PARAMETER);
    CHECK_EQ(set_scanout(0, 1, (struct rect){ 32, 0, 64, 64 }),
             ERR_INVALID_PARAMETER);
    CHECK_EQ(set_scanout(5, 1, (struct rect){ 0, 0, 64, 64 }),
             ERR_INVALID_SCANOUT_ID);
    /* Transfers and flushes outside the resource. */
    CHECK_EQ(transfer(1, (struct rect){ 0, 0, 65, 64 }, 0),
             ERR_INVALID_PARAMETER);
    CHECK_EQ(transfer(1, (struct rect){ 0xffffffffu, 0, 2, 2 }, 0),
             ERR_INVALID_PARAMETER);
    CHECK_EQ(flush(1, (struct rect){ 0, 60, 8, 8 }), ERR_INVALID_PARAMETER);
    /* Unref twice. */
    CHECK_EQ(unref(1), OK_NODATA);
    CHECK_EQ(unref(1), ERR_INVALID_RESOURCE_ID);
    /* Still working, never asking for a reset. */
    CHECK_EQ(vrd(VM_STATUS) & S_NEEDS_RESET, 0);
    CHECK_EQ(create_2d(1, FORMAT_B8G8R8X8, 32, 32), OK_NODATA);
    CHECK_EQ(unref(1), OK_NODATA);
}

int main(void)
{
    virtio_find(16);
    CHECK(dev != 0);
    if (!dev)
        return test_end();
    virtio_driver_init(1u << F_EDID);
    check_display_info();
    check_edid();
    check_good_path();
    check_bad_requests();
    return test_end();
}
