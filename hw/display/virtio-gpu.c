/*
 * virtio-gpu in 2D mode (virtio spec 1.2, section 5.7): the guest creates
 * resources (host-side images in one of eight 32-bit formats), attaches
 * guest pages to them as backing, copies from the backing with
 * TRANSFER_TO_HOST_2D, shows one on the scanout with SET_SCANOUT and says
 * what changed with RESOURCE_FLUSH, which copies it into the UI console
 * (include/mimic/ui.h).  One scanout; its preferred mode (xres x yres,
 * 1280x800 by default) is reported by GET_DISPLAY_INFO and by an EDID
 * (F_EDID).  The cursor queue defines and moves the mouse cursor.
 *
 * Guest pages are reached only through the DMA address space, each
 * backing entry checked to be RAM when attached; resources take at most
 * 256 MiB of host memory in all (pixels, backing lists and a page's worth
 * per resource).  A command with bad parameters gets an
 * error response and the device goes on; commands complete synchronously,
 * so a fenced command's response is its fence.
 *
 *   -device virtio-gpu-device[,xres=1280][,yres=800]
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "mimic/log.h"
#include "mimic/ui.h"
#include "mimic/virtio-devices.h"

#define VIRTIO_GPU_F_EDID 1

enum {
    CMD_GET_DISPLAY_INFO = 0x0100,
    CMD_RESOURCE_CREATE_2D,
    CMD_RESOURCE_UNREF,
    CMD_SET_SCANOUT,
    CMD_RESOURCE_FLUSH,
    CMD_TRANSFER_TO_HOST_2D,
    CMD_RESOURCE_ATTACH_BACKING,
    CMD_RESOURCE_DETACH_BACKING,
    CMD_GET_CAPSET_INFO,
    CMD_GET_CAPSET,
    CMD_GET_EDID,
    CMD_UPDATE_CURSOR = 0x0300,
    CMD_MOVE_CURSOR,
    RESP_OK_NODATA = 0x1100,
    RESP_OK_DISPLAY_INFO,
    RESP_OK_CAPSET_INFO,
    RESP_OK_CAPSET,
    RESP_OK_EDID,
    RESP_ERR_UNSPEC = 0x1200,
    RESP_ERR_OUT_OF_MEMORY,
    RESP_ERR_INVALID_SCANOUT_ID,
    RESP_ERR_INVALID_RESOURCE_ID,
    RESP_ERR_INVALID_CONTEXT_ID,
    RESP_ERR_INVALID_PARAMETER,
};

#define FLAG_FENCE 1
#define FLAG_INFO_RING_IDX 2
#define EVENT_DISPLAY 1

#define HDR_LEN 24                    /* virtio_gpu_ctrl_hdr */
#define MAX_SCANOUTS 16               /* in the display info response */
#define EDID_BLOCK 128
#define EDID_RESP_LEN (HDR_LEN + 8 + 1024)
#define GPU_QUEUE_SIZE 256
#define CURSOR_QUEUE_SIZE 16
#define MAX_HOSTMEM (256ull << 20)    /* all resources together */
/* What a resource costs besides its pixels (its record, pixman's image,
   the table entry), so that 1x1 resources cannot be made by the million. */
#define RES_OVERHEAD 4096
#define MAX_BACKING_ENTRIES 16384
#define MAX_CMD_LEN 64                /* the largest fixed command */
#define MIN_RES 16
#define MAX_RES 4095                  /* 12 bits in the EDID */

typedef struct GPURect {
    uint32_t x, y, width, height;
} GPURect;

typedef struct GPUBacking {
    uint64_t addr;
    uint32_t len;
    uint64_t start;                   /* offset of this entry in the backing */
} GPUBacking;

typedef struct GPUResource {
    uint32_t id, format, width, height;
    uint32_t *bits;
    pixman_image_t *image;
    uint64_t size;
    uint64_t hostmem; /* counted in VirtIOGPU.hostmem */
    GPUBacking *backing;
    unsigned nbacking;
    uint64_t backing_len;
} GPUResource;

typedef struct VirtIOGPU {
    VirtIODevice vdev;
    VirtQueue *ctrlq, *cursorq;
    UIConsole *con;
    GHashTable *resources;            /* id -> GPUResource */
    uint64_t hostmem;
    uint32_t xres, yres;              /* the preferred mode */
    uint32_t events_read;
    uint32_t scanout_res;             /* 0: scanout disabled */
    GPURect scanout;
} VirtIOGPU;

/* A request being handled: the command bytes and the response. */
typedef struct GPUCmd {
    VirtQueueElement *e;
    uint8_t buf[MAX_CMD_LEN];
    uint32_t type, flags, ctx_id;
    uint64_t fence_id;
    uint8_t ring_idx;
} GPUCmd;

static uint32_t rd32(const uint8_t *p) { return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24; }
static uint64_t rd64(const uint8_t *p) { return rd32(p) | (uint64_t)rd32(p + 4) << 32; }
static void wr32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}
static void wr64(uint8_t *p, uint64_t v)
{
    wr32(p, (uint32_t)v);
    wr32(p + 4, (uint32_t)(v >> 32));
}

static GPURect rd_rect(const uint8_t *p)
{
    return (GPURect){ rd32(p), rd32(p + 4), rd32(p + 8), rd32(p + 12) };
}

/* The rect lies inside a width x height image (no overflow). */
static bool rect_inside(const GPURect *r, uint32_t width, uint32_t height)
{
    return (uint64_t)r->x + r->width <= width &&
           (uint64_t)r->y + r->height <= height;
}

/* Guest formats (bytes in memory order) as pixman formats on this
   little-endian host. */
static pixman_format_code_t gpu_format(uint32_t format)
{
    switch (format) {
    case 1: return PIXMAN_a8r8g8b8;       /* B8G8R8A8_UNORM */
    case 2: return PIXMAN_x8r8g8b8;       /* B8G8R8X8_UNORM */
    case 3: return PIXMAN_b8g8r8a8;       /* A8R8G8B8_UNORM */
    case 4: return PIXMAN_b8g8r8x8;       /* X8R8G8B8_UNORM */
    case 67: return PIXMAN_a8b8g8r8;      /* R8G8B8A8_UNORM */
    case 68: return PIXMAN_r8g8b8x8;      /* X8B8G8R8_UNORM */
    case 121: return PIXMAN_r8g8b8a8;     /* A8B8G8R8_UNORM */
    case 134: return PIXMAN_x8b8g8r8;     /* R8G8B8X8_UNORM */
    default: return 0;
    }
}

/* ---- Responses ---- */

static void respond(VirtIOGPU *g, VirtQueue *vq, GPUCmd *c, uint32_t type,
                    uint8_t *resp, size_t len)
{
    uint32_t flags = c->flags & (FLAG_FENCE | FLAG_INFO_RING_IDX);

    memset(resp, 0, HDR_LEN);
    wr32(resp, type);
    wr32(resp + 4, flags);
    if (flags & FLAG_FENCE)
        wr64(resp + 8, c->fence_id);
    wr32(resp + 16, c->ctx_id);
    if (flags & FLAG_INFO_RING_IDX)
        resp[20] = c->ring_idx;
    if (c->e->in_len < len) {
        log_mask(LOG_GUEST_ERROR, "virtio-gpu: response buffer of %"
                 G_GUINT64_FORMAT " bytes for a %zu-byte response (command "
                 "0x%x)\n", c->e->in_len, len, c->type);
        len = (size_t)c->e->in_len;
    }
    len = virtqueue_elem_write(&g->vdev, c->e, 0, resp, len);
    virtqueue_push(vq, c->e, (uint32_t)len);
    c->e = NULL;
}

static void respond_type(VirtIOGPU *g, VirtQueue *vq, GPUCmd *c, uint32_t type)
{
    uint8_t resp[HDR_LEN];

    respond(g, vq, c, type, resp, sizeof(resp));
}

static uint32_t guest_error(GPUCmd *c, uint32_t resp, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Logs what the driver got wrong; returns the error response type. */
static uint32_t guest_error(GPUCmd *c, uint32_t resp, const char *fmt, ...)
{
    va_list ap;
    g_autofree char *msg = NULL;

    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    log_mask(LOG_GUEST_ERROR, "virtio-gpu: command 0x%x: %s\n", c->type, msg);
    return resp;
}

/* ---- Resources ---- */

static void res_free_backing(GPUResource *r)
{
    g_free(r->backing);
    r->backing = NULL;
    r->nbacking = 0;
    r->backing_len = 0;
}

static void res_free(gpointer p)
{
    GPUResource *r = p;

    pixman_image_unref(r->image);
    g_free(r->bits);
    res_free_backing(r);
    g_free(r);
}

static GPUResource *res_find(VirtIOGPU *g, uint32_t id)
{
    return g_hash_table_lookup(g->resources, GUINT_TO_POINTER(id));
}

static void scanout_disable(VirtIOGPU *g)
{
    g->scanout_res = 0;
    memset(&g->scanout, 0, sizeof(g->scanout));
    ui_console_resize(g->con, 0, 0);
}

static uint32_t cmd_create_2d(VirtIOGPU *g, GPUCmd *c)
{
    uint32_t id = rd32(c->buf + 24), format = rd32(c->buf + 28);
    uint32_t width = rd32(c->buf + 32), height = rd32(c->buf + 36);
    pixman_format_code_t pf = gpu_format(format);
    uint64_t size = (uint64_t)width * height * 4;
    GPUResource *r;
    uint32_t *bits;

    if (id == 0 || res_find(g, id))
        return guest_error(c, RESP_ERR_INVALID_RESOURCE_ID,
                           "resource %u is %s", id, id ? "in use" : "invalid");
    if (!pf)
        return guest_error(c, RESP_ERR_INVALID_PARAMETER,
                           "unknown format %u", format);
    if (width == 0 || height == 0 || width > 16384 || height > 16384)
        return guest_error(c, RESP_ERR_INVALID_PARAMETER,
                           "size %ux%u", width, height);
    if (size + RES_OVERHEAD > MAX_HOSTMEM - g->hostmem ||
        !(bits = g_try_malloc0((gsize)size))) {
        log_mask(LOG_GUEST_ERROR, "virtio-gpu: resource %u (%ux%u) would "
                 "take more than the %llu MiB of host memory for resources\n",
                 id, width, height, MAX_HOSTMEM >> 20);
        return RESP_ERR_OUT_OF_MEMORY;
    }
    r = g_new0(GPUResource, 1);
    r->id = id;
    r->format = format;
    r->width = width;
    r->height = height;
    r->bits = bits;
    r->size = size;
    r->hostmem = size + RES_OVERHEAD;
    r->image = pixman_image_create_bits(pf, (int)width, (int)height, bits,
                                        (int)width * 4);
    g_assert(r->image);
    g->hostmem += r->hostmem;
    g_hash_table_insert(g->resources, GUINT_TO_POINTER(id), r);
    return RESP_OK_NODATA;
}

static uint32_t cmd_unref(VirtIOGPU *g, GPUCmd *c)
{
    uint32_t id = rd32(c->buf + 24);
    GPUResource *r = res_find(g, id);

    if (!r)
        return guest_error(c, RESP_ERR_INVALID_RESOURCE_ID,
                           "no resource %u", id);
    if (g->scanout_res == id)
        scanout_disable(g);
    g->hostmem -= r->hostmem;
    g_hash_table_remove(g->resources, GUINT_TO_POINTER(id));
    return RESP_OK_NODATA;
}

static uint32_t cmd_attach_backing(VirtIOGPU *g, GPUCmd *c)
{
    uint32_t id = rd32(c->buf + 24), n = rd32(c->buf + 28);
    GPUResource *r = res_find(g, id);
    g_autofree GPUBacking *b = NULL;
    g_autofree uint8_t *raw = NULL;
    uint64_t total = 0, cost;

    if (!r)
        return guest_error(c, RESP_ERR_INVALID_RESOURCE_ID,
                           "no resource %u", id);
    if (r->backing)
        return guest_error(c, RESP_ERR_UNSPEC,
                           "resource %u already has backing", id);
    if (n == 0 || n > MAX_BACKING_ENTRIES)
        return guest_error(c, RESP_ERR_INVALID_PARAMETER,
                           "%u backing entries (1 to %u)", n,
                           MAX_BACKING_ENTRIES);
    cost = (uint64_t)n * sizeof(GPUBacking);
    if (cost > MAX_HOSTMEM - g->hostmem) {
        log_mask(LOG_GUEST_ERROR,
                 "virtio-gpu: %u backing entries for "
                 "resource %u would take more than the %llu MiB of host "
                 "memory for resources\n",
                 n, id, MAX_HOSTMEM >> 20);
        return RESP_ERR_OUT_OF_MEMORY;
    }
    raw = g_malloc((size_t)n * 16);
    if (virtqueue_elem_read(&g->vdev, c->e, 32, raw, (size_t)n * 16) !=
        (size_t)n * 16)
        return guest_error(c, RESP_ERR_INVALID_PARAMETER,
                           "%u backing entries announced, fewer sent", n);
    b = g_new(GPUBacking, n);
    for (uint32_t i = 0; i < n; i++) {
        uint64_t addr = rd64(raw + 16 * i);
        uint32_t len = rd32(raw + 16 * i + 8);

        if (len == 0 || addr + len - 1 < addr ||
            !address_space_ram_ptr(g->vdev.dma_as, addr, len))
            return guest_error(c, RESP_ERR_INVALID_PARAMETER,
                               "backing entry %u (0x%" G_GINT64_MODIFIER
                               "x+0x%x) is not in RAM", i, addr, len);
        b[i] = (GPUBacking){ addr, len, total };
        total += len;
    }
    r->backing = g_steal_pointer(&b);
    r->nbacking = n;
    r->backing_len = total;
    r->hostmem += cost;
    g->hostmem += cost;
    return RESP_OK_NODATA;
}

static uint32_t cmd_detach_backing(VirtIOGPU *g, GPUCmd *c)
{
    uint32_t id = rd32(c->buf + 24);
    GPUResource *r = res_find(g, id);

    if (!r)
        return guest_error(c, RESP_ERR_INVALID_RESOURCE_ID,
                           "no resource %u", id);
    if (!r->backing)
        return guest_error(c, RESP_ERR_UNSPEC,
                           "resource %u has no backing", id);
    r->hostmem -= (uint64_t)r->nbacking * sizeof(GPUBacking);
    g->hostmem -= (uint64_t)r->nbacking * sizeof(GPUBacking);
    res_free_backing(r);
    return RESP_OK_NODATA;
}

/* Copies len bytes at offset of r's backing to dst; false if the guest
   memory went away (cannot happen with fixed RAM, but is checked). */
static bool backing_read(VirtIOGPU *g, GPUResource *r, uint64_t offset,
                         uint8_t *dst, uint64_t len)
{
    unsigned lo = 0, hi = r->nbacking;

    /* The entry holding offset: the last one starting at or before it. */
    while (hi - lo > 1) {
        unsigned mid = (lo + hi) / 2;

        if (r->backing[mid].start <= offset)
            lo = mid;
        else
            hi = mid;
    }
    for (unsigned i = lo; len && i < r->nbacking; i++) {
        const GPUBacking *b = &r->backing[i];
        uint64_t skip = offset - b->start, n = MIN(len, b->len - skip);

        if (address_space_read(g->vdev.dma_as, b->addr + skip, dst, n) !=
            MEMTX_OK)
            return false;
        dst += n;
        len -= n;
        offset += n;
    }
    return len == 0;
}

static uint32_t cmd_transfer_2d(VirtIOGPU *g, GPUCmd *c)
{
    GPURect rect = rd_rect(c->buf + 24);
    uint64_t offset = rd64(c->buf + 40);
    uint32_t id = rd32(c->buf + 48);
    GPUResource *r = res_find(g, id);
    uint64_t stride, row_len;

    if (!r)
        return guest_error(c, RESP_ERR_INVALID_RESOURCE_ID,
                           "no resource %u", id);
    if (!r->backing)
        return guest_error(c, RESP_ERR_UNSPEC,
                           "resource %u has no backing", id);
    if (!rect_inside(&rect, r->width, r->height))
        return guest_error(c, RESP_ERR_INVALID_PARAMETER,
                           "rect %ux%u+%u+%u outside resource %u (%ux%u)",
                           rect.width, rect.height, rect.x, rect.y, id,
                           r->width, r->height);
    if (rect.width == 0 || rect.height == 0)
        return RESP_OK_NODATA;
    stride = (uint64_t)r->width * 4;
    row_len = (uint64_t)rect.width * 4;
    /* Row h of the rect is at offset + h * stride in the backing. */
    if (offset > r->backing_len ||
        (r->backing_len - offset) < (rect.height - 1) * stride + row_len)
        return guest_error(c, RESP_ERR_INVALID_PARAMETER,
                           "transfer at offset %" G_GUINT64_FORMAT
                           " past the %" G_GUINT64_FORMAT "-byte backing",
                           offset, r->backing_len);
    for (uint32_t h = 0; h < rect.height; h++) {
        uint8_t *dst = (uint8_t *)r->bits +
                       (uint64_t)(rect.y + h) * stride + rect.x * 4ull;

        if (!backing_read(g, r, offset + h * stride, dst, row_len))
            return guest_error(c, RESP_ERR_UNSPEC, "backing not readable");
    }
    return RESP_OK_NODATA;
}

/* Copies the part of r inside rect that the scanout shows to the console. */
static void scanout_update(VirtIOGPU *g, GPUResource *r, const GPURect *rect)
{
    const GPURect *s = &g->scanout;
    uint32_t x0 = MAX(rect->x, s->x), y0 = MAX(rect->y, s->y);
    uint64_t x1 = MIN((uint64_t)rect->x + rect->width, (uint64_t)s->x + s->width);
    uint64_t y1 = MIN((uint64_t)rect->y + rect->height, (uint64_t)s->y + s->height);

    if (x1 <= x0 || y1 <= y0)
        return;
    ui_console_copy(g->con, r->image, (int)x0, (int)y0, (int)(x0 - s->x),
                    (int)(y0 - s->y), (int)(x1 - x0), (int)(y1 - y0));
}

static uint32_t cmd_set_scanout(VirtIOGPU *g, GPUCmd *c)
{
    GPURect rect = rd_rect(c->buf + 24);
    uint32_t scanout_id = rd32(c->buf + 40), id = rd32(c->buf + 44);
    GPUResource *r;

    if (scanout_id != 0)
        return guest_error(c, RESP_ERR_INVALID_SCANOUT_ID,
                           "no scanout %u", scanout_id);
    if (id == 0) {
        scanout_disable(g);
        return RESP_OK_NODATA;
    }
    r = res_find(g, id);
    if (!r)
        return guest_error(c, RESP_ERR_INVALID_RESOURCE_ID,
                           "no resource %u", id);
    if (rect.width == 0 || rect.height == 0 ||
        !rect_inside(&rect, r->width, r->height))
        return guest_error(c, RESP_ERR_INVALID_PARAMETER,
                           "scanout %ux%u+%u+%u does not fit resource %u "
                           "(%ux%u)", rect.width, rect.height, rect.x, rect.y,
                           id, r->width, r->height);
    if (!g->scanout_res || g->scanout.width != rect.width ||
        g->scanout.height != rect.height)
        ui_console_resize(g->con, (int)rect.width, (int)rect.height);
    g->scanout_res = id;
    g->scanout = rect;
    scanout_update(g, r, &rect);
    return RESP_OK_NODATA;
}

static uint32_t cmd_flush(VirtIOGPU *g, GPUCmd *c)
{
    GPURect rect = rd_rect(c->buf + 24);
    uint32_t id = rd32(c->buf + 40);
    GPUResource *r = res_find(g, id);

    if (!r)
        return guest_error(c, RESP_ERR_INVALID_RESOURCE_ID,
                           "no resource %u", id);
    if (!rect_inside(&rect, r->width, r->height))
        return guest_error(c, RESP_ERR_INVALID_PARAMETER,
                           "flush %ux%u+%u+%u outside resource %u (%ux%u)",
                           rect.width, rect.height, rect.x, rect.y, id,
                           r->width, r->height);
    if (g->scanout_res == id)
        scanout_update(g, r, &rect);
    return RESP_OK_NODATA;
}

/* ---- Display information and EDID ---- */

static void cmd_display_info(VirtIOGPU *g, GPUCmd *c)
{
    uint8_t resp[HDR_LEN + MAX_SCANOUTS * 24] = { 0 };

    wr32(resp + HDR_LEN + 8, g->xres);
    wr32(resp + HDR_LEN + 12, g->yres);
    wr32(resp + HDR_LEN + 16, 1);             /* enabled */
    respond(g, g->ctrlq, c, RESP_OK_DISPLAY_INFO, resp, sizeof(resp));
}

/* An 18-byte detailed timing descriptor for width x height, with reduced
   blanking at 60 Hz (less if the pixel clock would not fit 16 bits). */
static void edid_timing(uint8_t *d, uint32_t w, uint32_t h)
{
    uint32_t hblank = 160, hfp = 48, hsync = 32;
    uint32_t vblank = h * 3 / 100 + 10, vfp = 3, vsync = 6;
    uint64_t total = (uint64_t)(w + hblank) * (h + vblank);
    uint64_t clock = total * 60 / 10000;          /* in 10 kHz */
    uint32_t wmm = w * 254 / 960, hmm = h * 254 / 960;   /* 96 dpi */

    if (clock > 0xffff)
        clock = 0xffff;
    d[0] = (uint8_t)clock;
    d[1] = (uint8_t)(clock >> 8);
    d[2] = (uint8_t)w;
    d[3] = (uint8_t)hblank;
    d[4] = (uint8_t)((w >> 8) << 4 | hblank >> 8);
    d[5] = (uint8_t)h;
    d[6] = (uint8_t)vblank;
    d[7] = (uint8_t)((h >> 8) << 4 | vblank >> 8);
    d[8] = (uint8_t)hfp;
    d[9] = (uint8_t)hsync;
    d[10] = (uint8_t)(vfp << 4 | vsync);
    d[11] = (uint8_t)((hfp >> 8) << 6 | (hsync >> 8) << 4);
    d[12] = (uint8_t)wmm;
    d[13] = (uint8_t)hmm;
    d[14] = (uint8_t)((wmm >> 8) << 4 | (hmm >> 8));
    d[17] = 0x1a;                 /* digital separate sync, +hsync -vsync */
}

/* A display descriptor: tag, then 13 bytes of text padded as EDID wants. */
static void edid_text(uint8_t *d, uint8_t tag, const char *text)
{
    size_t n = strlen(text);

    d[3] = tag;
    memset(d + 5, ' ', 13);
    memcpy(d + 5, text, n);
    if (n < 13)
        d[5 + n] = '\n';
}

/* EDID 1.4, one block: the preferred mode, sRGB, and a name. */
static void edid_build(uint8_t *e, uint32_t w, uint32_t h)
{
    static const uint8_t header[8] = { 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0 };
    /* sRGB primaries and D65 white as 10-bit fractions: Rx Ry Gx Gy Bx By Wx Wy */
    static const uint16_t chroma[8] = { 655, 338, 307, 614, 154, 61, 320, 337 };
    uint16_t mfg = 13 << 10 | 9 << 5 | 13;        /* "MIM" */
    uint8_t sum = 0;
    uint8_t *r;

    memset(e, 0, EDID_BLOCK);
    memcpy(e, header, 8);
    e[8] = (uint8_t)(mfg >> 8);
    e[9] = (uint8_t)mfg;
    e[10] = 1;                                    /* product code */
    e[17] = 2024 - 1990;                          /* year of manufacture */
    e[18] = 1;                                    /* EDID 1.4 */
    e[19] = 4;
    e[20] = 0xa0;                                 /* digital, 8 bits/colour */
    e[21] = (uint8_t)MIN(w * 254 / 9600, 255u);   /* cm at 96 dpi */
    e[22] = (uint8_t)MIN(h * 254 / 9600, 255u);
    e[23] = 120;                                  /* gamma 2.2 */
    e[24] = 0x06;                                 /* sRGB, preferred timing */
    e[25] = (uint8_t)((chroma[0] & 3) << 6 | (chroma[1] & 3) << 4 |
                      (chroma[2] & 3) << 2 | (chroma[3] & 3));
    e[26] = (uint8_t)((chroma[4] & 3) << 6 | (chroma[5] & 3) << 4 |
                      (chroma[6] & 3) << 2 | (chroma[7] & 3));
    for (int i = 0; i < 8; i++)
        e[27 + i] = (uint8_t)(chroma[i] >> 2);
    e[35] = 0x21;                                 /* 640x480, 800x600 @60 */
    e[36] = 0x08;                                 /* 1024x768 @60 */
    for (int i = 0; i < 8; i++) {                 /* no standard timings */
        e[38 + 2 * i] = 1;
        e[39 + 2 * i] = 1;
    }
    edid_timing(e + 54, w, h);
    /* Range limits: 50-75 Hz, 30-160 kHz, up to 660 MHz, no formula. */
    r = e + 72;
    r[3] = 0xfd;
    r[5] = 50;
    r[6] = 75;
    r[7] = 30;
    r[8] = 160;
    r[9] = 66;
    r[10] = 1;
    r[11] = '\n';
    memset(r + 12, ' ', 6);
    edid_text(e + 90, 0xfc, "Mimic");
    e[108 + 3] = 0x10;                            /* dummy descriptor */
    for (int i = 0; i < EDID_BLOCK - 1; i++)
        sum += e[i];
    e[127] = (uint8_t)-sum;
}

static void cmd_get_edid(VirtIOGPU *g, GPUCmd *c)
{
    uint8_t resp[EDID_RESP_LEN] = { 0 };
    uint32_t scanout = rd32(c->buf + 24);

    if (!virtio_has_feature(&g->vdev, VIRTIO_GPU_F_EDID)) {
        respond_type(g, g->ctrlq, c, guest_error(c, RESP_ERR_UNSPEC,
                     "GET_EDID without F_EDID"));
        return;
    }
    if (scanout != 0) {
        respond_type(g, g->ctrlq, c, guest_error(c,
                     RESP_ERR_INVALID_SCANOUT_ID, "no scanout %u", scanout));
        return;
    }
    wr32(resp + HDR_LEN, EDID_BLOCK);
    edid_build(resp + HDR_LEN + 8, g->xres, g->yres);
    respond(g, g->ctrlq, c, RESP_OK_EDID, resp, sizeof(resp));
}

/* ---- The queues ---- */

/* The fixed part of each command (header included). */
static size_t cmd_len(uint32_t type)
{
    switch (type) {
    case CMD_GET_DISPLAY_INFO: return HDR_LEN;
    case CMD_RESOURCE_CREATE_2D: return HDR_LEN + 16;
    case CMD_RESOURCE_UNREF: return HDR_LEN + 8;
    case CMD_SET_SCANOUT: return HDR_LEN + 24;
    case CMD_RESOURCE_FLUSH: return HDR_LEN + 24;
    case CMD_TRANSFER_TO_HOST_2D: return HDR_LEN + 32;
    case CMD_RESOURCE_ATTACH_BACKING: return HDR_LEN + 8;
    case CMD_RESOURCE_DETACH_BACKING: return HDR_LEN + 8;
    case CMD_GET_EDID: return HDR_LEN + 8;
    case CMD_UPDATE_CURSOR: return HDR_LEN + 32;
    case CMD_MOVE_CURSOR: return HDR_LEN + 32;
    default: return HDR_LEN;
    }
}

/* Reads the command of e into c; false if it is too short (logged). */
static bool cmd_read(VirtIOGPU *g, GPUCmd *c, VirtQueueElement *e)
{
    size_t len;

    memset(c, 0, sizeof(*c));
    c->e = e;
    if (virtqueue_elem_read(&g->vdev, e, 0, c->buf, HDR_LEN) != HDR_LEN) {
        log_mask(LOG_GUEST_ERROR, "virtio-gpu: request of %" G_GUINT64_FORMAT
                 " bytes, shorter than a header\n", e->out_len);
        return false;
    }
    c->type = rd32(c->buf);
    c->flags = rd32(c->buf + 4);
    c->fence_id = rd64(c->buf + 8);
    c->ctx_id = rd32(c->buf + 16);
    c->ring_idx = c->buf[20];
    len = cmd_len(c->type);
    if (virtqueue_elem_read(&g->vdev, e, HDR_LEN, c->buf + HDR_LEN,
                            len - HDR_LEN) != len - HDR_LEN) {
        log_mask(LOG_GUEST_ERROR, "virtio-gpu: command 0x%x of %"
                 G_GUINT64_FORMAT " bytes, needs %zu\n", c->type, e->out_len,
                 len);
        return false;
    }
    return true;
}

static void ctrl_command(VirtIOGPU *g, GPUCmd *c)
{
    uint32_t resp;

    switch (c->type) {
    case CMD_GET_DISPLAY_INFO: cmd_display_info(g, c); return;
    case CMD_GET_EDID: cmd_get_edid(g, c); return;
    case CMD_RESOURCE_CREATE_2D: resp = cmd_create_2d(g, c); break;
    case CMD_RESOURCE_UNREF: resp = cmd_unref(g, c); break;
    case CMD_SET_SCANOUT: resp = cmd_set_scanout(g, c); break;
    case CMD_RESOURCE_FLUSH: resp = cmd_flush(g, c); break;
    case CMD_TRANSFER_TO_HOST_2D: resp = cmd_transfer_2d(g, c); break;
    case CMD_RESOURCE_ATTACH_BACKING: resp = cmd_attach_backing(g, c); break;
    case CMD_RESOURCE_DETACH_BACKING: resp = cmd_detach_backing(g, c); break;
    default:
        log_mask(LOG_UNIMP, "virtio-gpu: command 0x%x\n", c->type);
        resp = RESP_ERR_UNSPEC;
        break;
    }
    respond_type(g, g->ctrlq, c, resp);
}

static void gpu_handle_ctrl(VirtIODevice *vdev, VirtQueue *vq)
{
    VirtIOGPU *g = vdev->opaque;
    VirtQueueElement *e;
    GPUCmd c;

    while ((e = virtqueue_pop(vq))) {
        if (cmd_read(g, &c, e))
            ctrl_command(g, &c);
        else
            respond_type(g, vq, &c, RESP_ERR_UNSPEC);
    }
    virtqueue_notify(vq);
}

/* UPDATE_CURSOR: the cursor image from a resource (or none). */
static void cursor_define(VirtIOGPU *g, GPUCmd *c, uint32_t id)
{
    GPUResource *r = res_find(g, id);
    pixman_image_t *img;
    uint32_t *argb;
    int w, h;

    if (id == 0) {
        ui_console_define_cursor(g->con, NULL, 0, 0, 0, 0);
        return;
    }
    if (!r) {
        guest_error(c, 0, "no cursor resource %u", id);
        return;
    }
    w = (int)MIN(r->width, 256u);
    h = (int)MIN(r->height, 256u);
    argb = g_new0(uint32_t, (size_t)w * h);
    img = pixman_image_create_bits(PIXMAN_a8r8g8b8, w, h, argb, w * 4);
    pixman_image_composite32(PIXMAN_OP_SRC, r->image, NULL, img, 0, 0, 0, 0,
                             0, 0, w, h);
    pixman_image_unref(img);
    ui_console_define_cursor(g->con, argb, w, h, (int)rd32(c->buf + 44),
                             (int)rd32(c->buf + 48));
    g_free(argb);
}

static void gpu_handle_cursor(VirtIODevice *vdev, VirtQueue *vq)
{
    VirtIOGPU *g = vdev->opaque;
    VirtQueueElement *e;
    GPUCmd c;

    while ((e = virtqueue_pop(vq))) {
        if (cmd_read(g, &c, e) && (c.type == CMD_UPDATE_CURSOR ||
                                   c.type == CMD_MOVE_CURSOR)) {
            /* cursor_pos: scanout_id, x, y */
            if (rd32(c.buf + 24) == 0) {
                if (c.type == CMD_UPDATE_CURSOR)
                    cursor_define(g, &c, rd32(c.buf + 40));
                ui_console_move_cursor(g->con, (int)rd32(c.buf + 28),
                                       (int)rd32(c.buf + 32));
            }
        } else if (c.e) {
            log_mask(LOG_GUEST_ERROR, "virtio-gpu: cursor queue command "
                     "0x%x\n", c.type);
        }
        /* The driver expects no response here. */
        virtqueue_push(vq, e, 0);
    }
    virtqueue_notify(vq);
}

/* ---- Config space, reset, the window ---- */

/* events_read, events_clear, num_scanouts, num_capsets */
static void gpu_get_config(VirtIODevice *vdev, uint8_t *config)
{
    VirtIOGPU *g = vdev->opaque;

    wr32(config, g->events_read);
    wr32(config + 4, 0);
    wr32(config + 8, 1);
    wr32(config + 12, 0);
}

static void gpu_set_config(VirtIODevice *vdev, const uint8_t *config)
{
    VirtIOGPU *g = vdev->opaque;

    g->events_read &= ~rd32(config + 4);
}

static void gpu_reset(VirtIODevice *vdev)
{
    VirtIOGPU *g = vdev->opaque;

    g_hash_table_remove_all(g->resources);
    g->hostmem = 0;
    g->events_read = 0;
    scanout_disable(g);
    ui_console_define_cursor(g->con, NULL, 0, 0, 0, 0);
}

/* The window was resized: offer its size as the preferred mode. */
static void gpu_ui_info(void *opaque, int width, int height)
{
    VirtIOGPU *g = opaque;
    uint32_t w = (uint32_t)CLAMP(width, MIN_RES, MAX_RES);
    uint32_t h = (uint32_t)CLAMP(height, MIN_RES, MAX_RES);

    if (w == g->xres && h == g->yres)
        return;
    g->xres = w;
    g->yres = h;
    g->events_read |= EVENT_DISPLAY;
    virtio_notify_config(&g->vdev);
}

static const UIConsoleOps gpu_console_ops = {
    .ui_info = gpu_ui_info,
};

static const VirtIODeviceOps virtio_gpu_ops = {
    .name = "virtio-gpu-device",
    .device_id = VIRTIO_ID_GPU,
    .get_config = gpu_get_config,
    .set_config = gpu_set_config,
    .reset = gpu_reset,
};

static bool parse_res(const char *s, const char *what, uint32_t *v, char **err)
{
    char *end;
    unsigned long n;

    if (!s)
        return true;
    n = strtoul(s, &end, 10);
    if (!*s || *end || n < MIN_RES || n > MAX_RES) {
        *err = g_strdup_printf("%s=%s: not a number from %d to %d", what, s,
                               MIN_RES, MAX_RES);
        return false;
    }
    *v = (uint32_t)n;
    return true;
}

VirtIODevice *virtio_gpu_create(const char *xres, const char *yres,
                                char **err)
{
    VirtIOGPU *g;
    uint32_t w = 1280, h = 800;

    if (!parse_res(xres, "xres", &w, err) || !parse_res(yres, "yres", &h, err))
        return NULL;
    if (ui_console_get_default()) {
        *err = g_strdup("only one virtio-gpu-device is supported");
        return NULL;
    }
    g = g_new0(VirtIOGPU, 1);
    virtio_init(&g->vdev, &virtio_gpu_ops, 16, 1ull << VIRTIO_GPU_F_EDID, g);
    g->ctrlq = virtio_add_queue(&g->vdev, GPU_QUEUE_SIZE, gpu_handle_ctrl);
    g->cursorq = virtio_add_queue(&g->vdev, CURSOR_QUEUE_SIZE,
                                  gpu_handle_cursor);
    g->resources = g_hash_table_new_full(NULL, NULL, NULL, res_free);
    g->xres = w;
    g->yres = h;
    g->con = ui_console_new(&gpu_console_ops, g);
    return &g->vdev;
}
