/*
 * The qcow2 driver: the header (checked field by field at open, so a bad
 * image gets a clear error rather than a crash or a huge allocation),
 * header extensions, image creation, growing, info, and the write-through
 * metadata cache.  Versions 2 and 3 are read; writes keep the image valid
 * for qemu-img check after a crash at any moment (see qcow2.h).
 */
#include <fcntl.h>
#include <stdarg.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mimic/log.h"
#include "qcow2.h"

static int fail(char **err, int ret, const char *fmt, ...)
    G_GNUC_PRINTF(3, 4);

static int fail(char **err, int ret, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    if (*err) {
        g_free(msg);
    } else {
        *err = msg;
    }
    return ret;
}

int qcow2_sync(Qcow2State *s)
{
    if (!s->unsafe && fdatasync(s->fd) < 0) {
        return -errno;
    }
    s->need_sync = false;
    return 0;
}

int qcow2_barrier(Qcow2State *s)
{
    return s->need_sync ? qcow2_sync(s) : 0;
}

int qcow2_write_meta(Qcow2State *s, uint64_t offset, const void *buf,
                     size_t len)
{
    int ret = blk_file_pwrite(s->fd, offset, buf, len);
    if (ret == 0 && offset + len > s->file_size) {
        s->file_size = offset + len;
    }
    return ret;
}

/* Does [off, off+len) meet the clusters of [moff, moff+mlen)? */
static bool overlaps(const Qcow2State *s, uint64_t off, uint64_t len,
                     uint64_t moff, uint64_t mlen)
{
    uint64_t cs = s->cluster_size;
    uint64_t mstart = moff & ~(cs - 1);
    uint64_t mend = (moff + mlen + cs - 1) & ~(cs - 1);
    return mlen && off < mend && mstart < off + len;
}

/* Which metadata [off, off+len) meets, or NULL. */
static const char *metadata_at(const Qcow2State *s, uint64_t off,
                               uint64_t len)
{
    uint64_t cs = s->cluster_size;
    if (overlaps(s, off, len, 0, cs)) {
        return "the header";
    }
    if (overlaps(s, off, len, s->l1_offset, (uint64_t)s->l1_size * 8)) {
        return "the L1 table";
    }
    if (overlaps(s, off, len, s->rct_offset, (uint64_t)s->rct_clusters * cs)) {
        return "the refcount table";
    }
    if (s->nb_snapshots &&
        overlaps(s, off, len, s->snapshots_offset, cs)) {
        return "the snapshot table";
    }
    for (uint64_t i = 0; i < s->rct_entries; i++) {
        uint64_t b = s->rct[i] & ~(cs - 1);
        if (b && overlaps(s, off, len, b, cs)) {
            return "a refcount block";
        }
    }
    for (uint32_t i = 0; i < s->l1_size; i++) {
        uint64_t t = s->l1[i] & QCOW2_OFFSET_MASK;
        if (t && overlaps(s, off, len, t, cs)) {
            return "an L2 table";
        }
    }
    return NULL;
}

int qcow2_check_overlap(Qcow2State *s, uint64_t offset, uint64_t len)
{
    if (s->corrupt) {
        return -EIO;
    }
    const char *what = metadata_at(s, offset, len);
    if (!what) {
        return 0;
    }
    s->corrupt = true;
    error_report("qcow2 %s: marking the image corrupt: a write to file "
                 "offset 0x%" PRIx64 " would overwrite %s (a corrupt L2 "
                 "entry or refcount); further writes fail (repair with "
                 "'qemu-img check -r all')", s->name ? s->name : "image",
                 offset, what);
    /* The corrupt bit (and no other change) in a version 3 header, so
       that QEMU and Mimic refuse to write the image until it is
       repaired. */
    uint8_t be[8];
    qcow2_st64(be, s->incompat | QCOW2_INCOMPAT_CORRUPT);
    if (s->version >= 3 && blk_file_pwrite(s->fd, QH_INCOMPAT, be, 8) == 0) {
        s->incompat |= QCOW2_INCOMPAT_CORRUPT;
        fdatasync(s->fd);
    }
    return -EIO;
}

int qcow2_cache_get(Qcow2State *s, Qcow2Cache *c, uint64_t offset,
                    uint8_t **data)
{
    int victim = 0;
    if (offset == 0 || (offset & (s->cluster_size - 1)) ||
        offset > s->file_size || s->file_size - offset < s->cluster_size) {
        return -EIO;
    }
    for (int i = 0; i < QCOW2_CACHE_SLOTS; i++) {
        if (c->offset[i] == offset) {
            c->used[i] = ++c->tick;
            *data = c->data[i];
            return 0;
        }
        if (c->used[i] < c->used[victim]) {
            victim = i;
        }
    }
    if (!c->data[victim]) {
        c->data[victim] = g_malloc(s->cluster_size);
    }
    c->offset[victim] = 0;
    ssize_t n = blk_file_pread(s->fd, offset, c->data[victim],
                               s->cluster_size);
    if (n < 0) {
        return (int)n;
    }
    c->offset[victim] = offset;
    c->used[victim] = ++c->tick;
    *data = c->data[victim];
    return 0;
}

void qcow2_cache_put(Qcow2State *s, Qcow2Cache *c, uint64_t offset,
                     const uint8_t *data)
{
    uint8_t *slot;
    qcow2_cache_drop(c, offset);
    if (qcow2_cache_get(s, c, offset, &slot) == 0) {
        memcpy(slot, data, s->cluster_size);
    }
}

void qcow2_cache_drop(Qcow2Cache *c, uint64_t offset)
{
    for (int i = 0; i < QCOW2_CACHE_SLOTS; i++) {
        if (c->offset[i] == offset) {
            c->offset[i] = 0;
            c->used[i] = 0;
        }
    }
}

void qcow2_cache_free(Qcow2Cache *c)
{
    for (int i = 0; i < QCOW2_CACHE_SLOTS; i++) {
        g_free(c->data[i]);
    }
    memset(c, 0, sizeof(*c));
}

static int qcow2_probe(const uint8_t *buf, size_t len)
{
    return len >= 8 && qcow2_be32(buf) == QCOW2_MAGIC ? 100 : 0;
}

/* The name of incompatible feature bit, from the image's own feature
   name table if it has one. */
static char *feature_name(const uint8_t *table, uint32_t tlen, int bit)
{
    static const char *const known[] = {
        "dirty", "corrupt", "external data file",
        "compression type (zstd)", "extended L2 entries",
    };
    for (uint32_t i = 0; table && i + 48 <= tlen; i += 48) {
        if (table[i] == 0 && table[i + 1] == bit) {
            return g_strndup((const char *)table + i + 2, 46);
        }
    }
    if (bit < (int)G_N_ELEMENTS(known)) {
        return g_strdup(known[bit]);
    }
    return g_strdup_printf("unknown feature bit %d", bit);
}

/* Header extensions: the backing format is kept, bitmaps noted, the
   feature name table returned for messages, the rest skipped. */
static int parse_extensions(Qcow2State *s, const uint8_t *hdr, uint64_t end,
                            const uint8_t **ftable, uint32_t *flen,
                            char **err)
{
    uint64_t pos = s->version >= 3 ? s->header_length : QCOW2_V2_HEADER_LEN;
    while (pos + 8 <= end) {
        uint32_t type = qcow2_be32(hdr + pos);
        uint32_t len = qcow2_be32(hdr + pos + 4);
        if (type == QCOW2_EXT_END) {
            break;
        }
        if (len > end - pos - 8) {
            return fail(err, -EINVAL, "header extension 0x%08x is longer "
                        "than the header cluster", type);
        }
        const uint8_t *data = hdr + pos + 8;
        if (type == QCOW2_EXT_BACKING_FORMAT) {
            g_free(s->backing_format);
            s->backing_format = g_strndup((const char *)data, len);
        } else if (type == QCOW2_EXT_FEATURE_TABLE) {
            *ftable = data;
            *flen = len;
        } else if (type == QCOW2_EXT_BITMAPS) {
            s->has_bitmaps = true;
        }
        pos += 8 + (((uint64_t)len + 7) & ~7ull);
    }
    return 0;
}

static int check_features(Qcow2State *s, int flags, const uint8_t *ftable,
                          uint32_t flen, char **err)
{
    uint64_t unsupported = s->incompat &
                           ~(QCOW2_INCOMPAT_DIRTY | QCOW2_INCOMPAT_CORRUPT);
    if (unsupported) {
        int bit = __builtin_ctzll(unsupported);
        char *name = feature_name(ftable, flen, bit);
        int ret = fail(err, -ENOTSUP, "image uses an unsupported "
                       "incompatible feature: %s (bit %d)", name, bit);
        g_free(name);
        return ret;
    }
    if (flags & BLK_RDONLY) {
        return 0;
    }
    if (s->incompat & QCOW2_INCOMPAT_CORRUPT) {
        return fail(err, -EROFS, "image is marked corrupt: it can only be "
                    "opened read-only (repair it with 'qemu-img check "
                    "-r all')");
    }
    if (s->incompat & QCOW2_INCOMPAT_DIRTY) {
        return fail(err, -EROFS, "image is marked dirty (its refcounts "
                    "may be stale): open it read-only or repair it with "
                    "'qemu-img check -r all'");
    }
    if (s->nb_snapshots) {
        return fail(err, -EROFS, "image has internal snapshots, which "
                    "Mimic can only read: open it read-only");
    }
    return 0;
}

/* Fixed header fields, checked against each other and the file size. */
static int parse_header(Qcow2State *s, const uint8_t *h, uint64_t *size,
                        char **err)
{
    uint64_t fsz = s->file_size;
    uint32_t cluster_bits = qcow2_be32(h + 20);
    /* The state never holds a width that a shift cannot take. */
    if (cluster_bits < QCOW2_MIN_CLUSTER_BITS ||
        cluster_bits > QCOW2_MAX_CLUSTER_BITS) {
        return fail(err, -EINVAL, "cluster_bits %u out of range (%d-%d)",
                    cluster_bits, QCOW2_MIN_CLUSTER_BITS,
                    QCOW2_MAX_CLUSTER_BITS);
    }
    s->cluster_bits = cluster_bits;
    s->cluster_size = 1ull << s->cluster_bits;
    s->l2_bits = s->cluster_bits - 3;
    uint64_t cs = s->cluster_size;
    *size = qcow2_be64(h + QH_SIZE);
    if (qcow2_be32(h + 32) != 0) {
        return fail(err, -ENOTSUP, "encrypted images are not supported");
    }
    s->l1_size = qcow2_be32(h + QH_L1_SIZE);
    s->l1_offset = qcow2_be64(h + 40);
    s->rct_offset = qcow2_be64(h + QH_RCT_OFFSET);
    s->rct_clusters = qcow2_be32(h + 56);
    s->nb_snapshots = qcow2_be32(h + 60);
    s->snapshots_offset = qcow2_be64(h + 64);
    if (s->version >= 3) {
        s->incompat = qcow2_be64(h + QH_INCOMPAT);
        s->compat = qcow2_be64(h + 80);
        s->autoclear = qcow2_be64(h + QH_AUTOCLEAR);
        s->refcount_order = qcow2_be32(h + 96);
        s->header_length = qcow2_be32(h + 100);
        if (s->header_length < QCOW2_V3_HEADER_LEN ||
            (s->header_length & 7) || s->header_length > cs) {
            return fail(err, -EINVAL, "bad header_length %u",
                        s->header_length);
        }
        if (s->refcount_order > 6) {
            return fail(err, -EINVAL, "refcount_order %u out of range (0-6)",
                        s->refcount_order);
        }
    } else {
        s->refcount_order = 4;
        s->header_length = QCOW2_V2_HEADER_LEN;
    }
    s->rb_bits = s->cluster_bits + 3 - s->refcount_order;
    if (*size > INT64_MAX) {
        return fail(err, -EFBIG, "virtual size %" PRIu64 " is too large",
                    *size);
    }
    uint32_t span = s->cluster_bits + s->l2_bits;
    uint64_t l1_need = *size ? ((*size - 1) >> span) + 1 : 0;
    if (l1_need > QCOW2_MAX_L1_BYTES / 8 ||
        s->l1_size > QCOW2_MAX_L1_BYTES / 8) {
        return fail(err, -EFBIG, "virtual size %" PRIu64 " needs an L1 "
                    "table larger than %u MiB", *size,
                    QCOW2_MAX_L1_BYTES >> 20);
    }
    if (s->l1_size < l1_need) {
        return fail(err, -EINVAL, "L1 table (%u entries) too small for "
                    "the virtual size %" PRIu64, s->l1_size, *size);
    }
    uint64_t l1_bytes = (uint64_t)s->l1_size * 8;
    if (s->l1_size && ((s->l1_offset & (cs - 1)) || s->l1_offset < cs ||
                       s->l1_offset > fsz || fsz - s->l1_offset < l1_bytes)) {
        return fail(err, -EINVAL, "L1 table offset 0x%" PRIx64 " is invalid "
                    "(unaligned, in the header or past the end of the "
                    "file)", s->l1_offset);
    }
    uint64_t rct_bytes = (uint64_t)s->rct_clusters << s->cluster_bits;
    if (s->rct_clusters == 0 || rct_bytes > QCOW2_MAX_RCT_BYTES) {
        return fail(err, -EINVAL, "refcount table of %u clusters is "
                    "invalid", s->rct_clusters);
    }
    if ((s->rct_offset & (cs - 1)) || s->rct_offset < cs ||
        s->rct_offset > fsz || fsz - s->rct_offset < rct_bytes) {
        return fail(err, -EINVAL, "refcount table offset 0x%" PRIx64 " is "
                    "invalid (unaligned, in the header or past the end of "
                    "the file)", s->rct_offset);
    }
    if (s->l1_size && s->l1_offset < s->rct_offset + rct_bytes &&
        s->rct_offset < s->l1_offset + l1_bytes) {
        return fail(err, -EINVAL, "L1 table and refcount table overlap");
    }
    return 0;
}

static int parse_backing_name(Qcow2State *s, const uint8_t *h, char **err)
{
    uint64_t off = qcow2_be64(h + 8);
    uint32_t len = qcow2_be32(h + 16);
    if (off == 0) {
        return 0;
    }
    if (len == 0 || len > QCOW2_MAX_BACKING_NAME || off > s->cluster_size ||
        s->cluster_size - off < len || off + len > s->file_size) {
        return fail(err, -EINVAL, "backing file name (offset %" PRIu64
                    ", %u bytes) is outside the header cluster", off, len);
    }
    s->backing_file = g_strndup((const char *)h + off, len);
    if (strlen(s->backing_file) != len) {
        return fail(err, -EINVAL, "backing file name contains a NUL byte");
    }
    return 0;
}

static int read_tables(Qcow2State *s, char **err)
{
    size_t l1_bytes = (size_t)s->l1_size * 8;
    size_t rct_bytes = (size_t)s->rct_clusters << s->cluster_bits;
    s->l1 = g_malloc0(MAX(l1_bytes, 8));
    s->rct_entries = rct_bytes / 8;
    s->rct = g_malloc(rct_bytes);
    ssize_t n = l1_bytes ? blk_file_pread(s->fd, s->l1_offset, s->l1,
                                          l1_bytes) : 0;
    if (n >= 0) {
        n = blk_file_pread(s->fd, s->rct_offset, s->rct, rct_bytes);
    }
    if (n < 0) {
        return fail(err, (int)n, "could not read the image's tables: %s",
                    g_strerror((int)-n));
    }
    for (uint32_t i = 0; i < s->l1_size; i++) {
        s->l1[i] = qcow2_be64((uint8_t *)&s->l1[i]);
    }
    for (uint64_t i = 0; i < s->rct_entries; i++) {
        s->rct[i] = qcow2_be64((uint8_t *)&s->rct[i]);
    }
    return 0;
}

/* Reads and checks the header cluster; errors name the file. */
static int load_header(BlockBackend *blk, int flags, char **err)
{
    Qcow2State *s = blk->opaque;
    uint8_t first[QCOW2_V3_HEADER_LEN];
    const uint8_t *ftable = NULL;
    uint32_t flen = 0;

    if (s->file_size < QCOW2_V2_HEADER_LEN) {
        return fail(err, -EINVAL, "truncated qcow2 header");
    }
    ssize_t n = blk_file_pread(s->fd, 0, first, sizeof(first));
    if (n < 0) {
        return fail(err, (int)n, "could not read the header: %s",
                    g_strerror((int)-n));
    }
    if (qcow2_be32(first) != QCOW2_MAGIC) {
        return fail(err, -EINVAL, "not a qcow2 image (bad magic)");
    }
    s->version = qcow2_be32(first + 4);
    if (s->version != 2 && s->version != 3) {
        return fail(err, -ENOTSUP, "unsupported qcow2 version %u (2 and 3 "
                    "are known)", s->version);
    }
    if (s->version == 3 && s->file_size < QCOW2_V3_HEADER_LEN) {
        return fail(err, -EINVAL, "truncated qcow2 header");
    }
    uint64_t size = 0;
    int ret = parse_header(s, first, &size, err);
    if (ret < 0) {
        return ret;
    }
    uint8_t *h = g_malloc(s->cluster_size);
    n = blk_file_pread(s->fd, 0, h, s->cluster_size);
    if (n < (ssize_t)s->header_length) {
        g_free(h);
        return fail(err, -EINVAL, "truncated qcow2 header");
    }
    ret = parse_backing_name(s, h, err);
    if (ret == 0) {
        uint64_t bfo = qcow2_be64(h + 8);
        uint64_t end = bfo ? bfo : s->cluster_size;
        ret = parse_extensions(s, h, MIN(end, (uint64_t)n), &ftable, &flen,
                               err);
    }
    if (ret == 0) {
        ret = check_features(s, flags, ftable, flen, err);
    }
    g_free(h);
    blk->size = size;
    return ret;
}

static void qcow2_close(BlockBackend *blk)
{
    Qcow2State *s = blk->opaque;
    if (s->fd >= 0 && !s->read_only) {
        qcow2_release_reserve(s);
    }
    if (s->fd >= 0) {
        close(s->fd);
    }
    qcow2_cache_free(&s->l2_cache);
    qcow2_cache_free(&s->rb_cache);
    g_free(s->l1);
    g_free(s->rct);
    g_free(s->zc_buf);
    g_free(s->backing_file);
    g_free(s->backing_format);
}

static int qcow2_open(BlockBackend *blk, int flags, char **err)
{
    Qcow2State *s = blk->opaque;
    struct stat st;
    char *msg = NULL;

    s->read_only = flags & BLK_RDONLY;
    s->unsafe = flags & BLK_CACHE_UNSAFE;
    s->name = blk->filename;
    s->fd = blk_file_open(blk, flags, true, err);
    if (s->fd < 0) {
        return s->fd;
    }
    if (fstat(s->fd, &st) < 0) {
        int e = errno;
        close(s->fd);
        s->fd = -1;
        return fail(err, -e, "could not stat '%s': %s", blk->filename,
                    g_strerror(e));
    }
    s->file_size = st.st_size;
    int ret = load_header(blk, flags, &msg);
    if (ret == 0) {
        ret = read_tables(s, &msg);
    }
    if (ret == 0 && !s->read_only && s->autoclear) {
        /* Unknown auto-clear features must be cleared before writing. */
        uint8_t zero[8] = { 0 };
        ret = qcow2_write_meta(s, QH_AUTOCLEAR, zero, 8);
        if (ret == 0) {
            ret = qcow2_sync(s);
        }
        s->autoclear = 0;
    }
    if (ret == 0) {
        s->alloc_end = (s->file_size + s->cluster_size - 1) >> s->cluster_bits;
    }
    if (ret == 0 && s->backing_file && !(flags & BLK_NO_BACKING)) {
        ret = blk_open_backing(blk, s->backing_file, s->backing_format,
                               &msg);
    }
    if (ret < 0) {
        if (ret == -ELOOP && msg) {
            *err = g_steal_pointer(&msg); /* names the chain's top */
        } else {
            *err = g_strdup_printf("qcow2 image '%s': %s", blk->filename,
                                   msg ? msg : g_strerror(-ret));
        }
        g_free(msg);
        qcow2_close(blk);
        return ret;
    }
    return 0;
}

static int qcow2_flush(BlockBackend *blk)
{
    Qcow2State *s = blk->opaque;
    return fdatasync(s->fd) < 0 ? -errno : 0;
}

/* A new, larger L1 table: written and synced before the header points at
   it, the old one freed after. */
static int grow_l1(Qcow2State *s, uint32_t new_size)
{
    uint64_t cs = s->cluster_size;
    uint64_t nclusters = ((uint64_t)new_size * 8 + cs - 1) / cs;
    int64_t off = qcow2_alloc_clusters(s, nclusters);
    if (off < 0) {
        return (int)off;
    }
    uint8_t *buf = g_malloc0(nclusters * cs);
    for (uint32_t i = 0; i < s->l1_size; i++) {
        qcow2_st64(buf + i * 8, s->l1[i]);
    }
    int ret = qcow2_write_meta(s, off, buf, nclusters * cs);
    g_free(buf);
    if (ret == 0) {
        ret = qcow2_sync(s);
    }
    uint8_t hdr[12];
    qcow2_st32(hdr, new_size);
    qcow2_st64(hdr + 4, off);
    if (ret == 0) {
        ret = qcow2_write_meta(s, QH_L1_SIZE, hdr, sizeof(hdr));
    }
    if (ret == 0) {
        ret = qcow2_sync(s);
    }
    if (ret < 0) {
        return ret;
    }
    uint64_t old_off = s->l1_offset, old_size = s->l1_size, rc = 0;
    s->l1 = g_realloc(s->l1, (size_t)new_size * 8);
    memset(s->l1 + old_size, 0, (new_size - old_size) * 8);
    s->l1_size = new_size;
    s->l1_offset = off;
    if (old_off && qcow2_get_refcount(s, old_off >> s->cluster_bits,
                                      &rc) == 0 && rc > 0) {
        uint64_t bytes = MAX(old_size * 8, 1);
        ret = qcow2_free_range(s, old_off, (bytes + cs - 1) & ~(cs - 1));
    }
    return ret;
}

static int qcow2_truncate(BlockBackend *blk, uint64_t size, char **err)
{
    Qcow2State *s = blk->opaque;
    if (size < blk->size) {
        *err = g_strdup("shrinking a qcow2 image is not supported");
        return -ENOTSUP;
    }
    uint32_t span = s->cluster_bits + s->l2_bits;
    uint64_t need = size ? ((size - 1) >> span) + 1 : 0;
    if (size > INT64_MAX || need > QCOW2_MAX_L1_BYTES / 8) {
        *err = g_strdup_printf("size %" PRIu64 " is too large for cluster "
                               "size %" PRIu64, size, s->cluster_size);
        return -EFBIG;
    }
    int ret = need > s->l1_size ? grow_l1(s, (uint32_t)need) : 0;
    uint8_t be[8];
    qcow2_st64(be, size);
    if (ret == 0) {
        ret = qcow2_write_meta(s, QH_SIZE, be, 8);
    }
    if (ret == 0) {
        ret = qcow2_sync(s);
    }
    if (ret < 0) {
        *err = g_strdup_printf("could not resize: %s", g_strerror(-ret));
        return ret;
    }
    blk->size = size;
    return 0;
}

static int qcow2_get_info(BlockBackend *blk, BlockInfo *info)
{
    Qcow2State *s = blk->opaque;
    struct stat st;
    if (fstat(s->fd, &st) == 0) {
        info->actual_size = (uint64_t)st.st_blocks * 512;
    }
    info->cluster_size = s->cluster_size;
    if (s->backing_file) {
        info->backing_filename = g_strdup(s->backing_file);
        info->full_backing_filename =
            blk_resolve_relative(blk->filename, s->backing_file);
    }
    info->backing_format = g_strdup(s->backing_format);
    info->dirty = s->incompat & QCOW2_INCOMPAT_DIRTY;
    info->is_qcow2 = true;
    info->qcow2_version = s->version;
    info->lazy_refcounts = s->compat & QCOW2_COMPAT_LAZY_REFCOUNTS;
    info->corrupt = s->incompat & QCOW2_INCOMPAT_CORRUPT;
    info->refcount_bits = 1 << s->refcount_order;
    info->nb_snapshots = s->nb_snapshots;
    return 0;
}

/* The header cluster of a new image: header, backing format extension,
   end of extensions, backing file name. */
static uint8_t *build_header(uint64_t cs, uint64_t size, uint32_t l1_size,
                             uint64_t l1_off, uint32_t rtc,
                             const char *backing, const char *bfmt)
{
    uint8_t *h = g_malloc0(cs);
    size_t pos = QCOW2_V3_HEADER_LEN;
    qcow2_st32(h, QCOW2_MAGIC);
    qcow2_st32(h + 4, 3);
    qcow2_st32(h + 20, __builtin_ctzll(cs));
    qcow2_st64(h + QH_SIZE, size);
    qcow2_st32(h + QH_L1_SIZE, l1_size);
    qcow2_st64(h + 40, l1_off);
    qcow2_st64(h + QH_RCT_OFFSET, cs);
    qcow2_st32(h + 56, rtc);
    qcow2_st32(h + 96, 4);
    qcow2_st32(h + 100, QCOW2_V3_HEADER_LEN);
    if (bfmt) {
        size_t len = strlen(bfmt);
        qcow2_st32(h + pos, QCOW2_EXT_BACKING_FORMAT);
        qcow2_st32(h + pos + 4, len);
        memcpy(h + pos + 8, bfmt, len);
        pos += 8 + ((len + 7) & ~(size_t)7);
    }
    pos += 8; /* the end-of-extensions marker, all zeros */
    if (backing) {
        size_t len = strlen(backing);
        qcow2_st64(h + 8, pos);
        qcow2_st32(h + 16, len);
        memcpy(h + pos, backing, len);
    }
    return h;
}

static int create_checks(const char *filename, uint64_t size,
                         const BlockCreateOptions *opts, uint64_t cs,
                         char **bfmt, char **err)
{
    if (cs < 512 || cs > (2u << 20) || (cs & (cs - 1))) {
        return fail(err, -EINVAL, "cluster size must be a power of two "
                    "between 512 and 2M (not %" PRIu64 ")", cs);
    }
    uint32_t span = 2 * __builtin_ctzll(cs) - 3;
    if (size > INT64_MAX ||
        (size ? ((size - 1) >> span) + 1 : 0) > QCOW2_MAX_L1_BYTES / 8) {
        return fail(err, -EFBIG, "size %" PRIu64 " is too large for "
                    "cluster size %" PRIu64, size, cs);
    }
    if (!opts->backing_file) {
        return 0;
    }
    size_t need = QCOW2_V3_HEADER_LEN + 16 + 16 + strlen(opts->backing_file);
    if (strlen(opts->backing_file) > QCOW2_MAX_BACKING_NAME || need > cs) {
        return fail(err, -EINVAL, "backing file name too long");
    }
    if (opts->backing_format) {
        if (!blk_format_known(opts->backing_format)) {
            return fail(err, -EINVAL, "unknown backing format '%s'",
                        opts->backing_format);
        }
        *bfmt = g_strdup(opts->backing_format);
        return 0;
    }
    char *path = blk_resolve_relative(filename, opts->backing_file);
    char *msg = NULL;
    const char *fmt = blk_probe_format(path, &msg);
    g_free(path);
    if (!fmt) {
        int ret = fail(err, -ENOENT, "backing file: %s", msg);
        g_free(msg);
        return ret;
    }
    *bfmt = g_strdup(fmt);
    return 0;
}

static int qcow2_create(const char *filename, uint64_t size,
                        const BlockCreateOptions *opts, char **err)
{
    uint64_t cs = opts->cluster_size ? opts->cluster_size : 65536;
    char *bfmt = NULL;
    /* QEMU counts qcow2 sizes in whole sectors: round up, as it does. */
    size = size > INT64_MAX - 511 ? size : (size + 511) & ~511ull;
    int ret = create_checks(filename, size, opts, cs, &bfmt, err);
    if (ret < 0) {
        return ret;
    }
    uint32_t cb = __builtin_ctzll(cs);
    uint64_t l1_size = size ? ((size - 1) >> (2 * cb - 3)) + 1 : 0;
    uint64_t l1c = MAX(1, (l1_size * 8 + cs - 1) / cs);
    uint64_t per_block = cs * 8 / 16, rbc = 1, rtc = 1;
    for (int i = 0; i < 8; i++) { /* converges in two or three rounds */
        uint64_t total = 1 + rtc + rbc + l1c;
        rbc = (total + per_block - 1) / per_block;
        rtc = (rbc * 8 + cs - 1) / cs;
    }
    uint64_t total = 1 + rtc + rbc + l1c;
    uint64_t l1_off = (1 + rtc + rbc) * cs;
    uint8_t *h = build_header(cs, size, l1_size, l1_off, rtc,
                              opts->backing_file, bfmt);
    uint8_t *rt = g_malloc0(rtc * cs);
    uint8_t *rb = g_malloc0(rbc * cs);
    for (uint64_t i = 0; i < rbc; i++) {
        qcow2_st64(rt + i * 8, (1 + rtc + i) * cs);
    }
    for (uint64_t c = 0; c < total; c++) {
        rb[c * 2 + 1] = 1; /* 16-bit big-endian refcount 1 */
    }
    int fd = blk_file_create(filename, err);
    if (fd < 0) {
        ret = fd;
    } else {
        ret = ftruncate(fd, total * cs) < 0 ? -errno : 0;
        if (ret == 0) {
            ret = blk_file_pwrite(fd, 0, h, cs);
        }
        if (ret == 0) {
            ret = blk_file_pwrite(fd, cs, rt, rtc * cs);
        }
        if (ret == 0) {
            ret = blk_file_pwrite(fd, (1 + rtc) * cs, rb, rbc * cs);
        }
        if (ret == 0 && fdatasync(fd) < 0) {
            ret = -errno;
        }
        if (ret < 0) {
            fail(err, ret, "could not write '%s': %s", filename,
                 g_strerror(-ret));
        }
        close(fd);
    }
    g_free(h);
    g_free(rt);
    g_free(rb);
    g_free(bfmt);
    return ret;
}

const BlockDriver blk_driver_qcow2 = {
    .format_name = "qcow2",
    .state_size = sizeof(Qcow2State),
    .probe = qcow2_probe,
    .open = qcow2_open,
    .close = qcow2_close,
    .preadv = qcow2_preadv,
    .pwritev = qcow2_pwritev,
    .flush = qcow2_flush,
    .discard = qcow2_discard,
    .write_zeroes = qcow2_write_zeroes,
    .truncate = qcow2_truncate,
    .get_info = qcow2_get_info,
    .check = qcow2_check,
    .create = qcow2_create,
};
