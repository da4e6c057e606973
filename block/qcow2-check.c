/*
 * The qcow2 consistency check (mimic-img check): count the references to
 * every host cluster from the metadata (header, L1 and refcount tables,
 * refcount blocks, L2 tables, data and compressed clusters, snapshots),
 * compare with the stored refcounts, and report corruptions (a refcount
 * lower than the references: a later write may destroy data) and leaks
 * (higher: wasted space), as qemu-img check does.  With fix_leaks the
 * leaked refcounts are lowered.
 */
#include <stdarg.h>

#include "qcow2.h"

/* More clusters than this are not checked (the counts would take GiBs). */
#define CHECK_MAX_CLUSTERS (1ull << 28)
#define CHECK_MAX_MESSAGES 200

typedef struct Check {
    Qcow2State *s;
    BlockCheckResult *res;
    uint32_t *refs;
    uint64_t nclusters;
    GString *msg;
    int nmsg;
} Check;

static void note(Check *c, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

static void note(Check *c, const char *fmt, ...)
{
    va_list ap;
    if (c->nmsg++ >= CHECK_MAX_MESSAGES) {
        return;
    }
    va_start(ap, fmt);
    g_string_append_vprintf(c->msg, fmt, ap);
    va_end(ap);
    g_string_append_c(c->msg, '\n');
}

static void add_ref(Check *c, uint64_t off, uint64_t len, const char *what)
{
    Qcow2State *s = c->s;
    if (len == 0) {
        return;
    }
    if (off >= s->file_size) {
        note(c, "ERROR %s at offset 0x%" PRIx64 " is past the end of the "
             "image file", what, off);
        c->res->corruptions++;
        return;
    }
    uint64_t first = off >> s->cluster_bits;
    uint64_t last = MIN((off + len - 1) >> s->cluster_bits,
                        c->nclusters - 1);
    for (uint64_t cl = first; cl <= last; cl++) {
        if (c->refs[cl] != UINT32_MAX) {
            c->refs[cl]++;
        }
    }
    c->res->image_end_offset = MAX(c->res->image_end_offset,
                                   (last + 1) << s->cluster_bits);
}

static void count_l2(Check *c, const uint8_t *t, bool active)
{
    Qcow2State *s = c->s;
    uint64_t prev = 0;
    for (uint64_t j = 0; j < (1ull << s->l2_bits); j++) {
        uint64_t e = qcow2_be64(t + j * 8), off, len;
        if (e & QCOW2_COMPRESSED) {
            qcow2_compressed_range(s, e, &off, &len);
            add_ref(c, off, len, "compressed cluster");
            c->res->compressed_clusters += active;
            c->res->allocated_clusters += active;
            continue;
        }
        off = e & QCOW2_OFFSET_MASK;
        if (!off) {
            continue;
        }
        if (off & (s->cluster_size - 1)) {
            note(c, "ERROR data cluster offset 0x%" PRIx64 " is not "
                 "cluster aligned", off);
            c->res->corruptions++;
            continue;
        }
        add_ref(c, off, s->cluster_size, "data cluster");
        if (active && !(s->version >= 3 && (e & QCOW2_ZERO))) {
            c->res->allocated_clusters++;
            c->res->fragmented_clusters += prev && off != prev + s->cluster_size;
            prev = off;
        }
    }
}

/* Counts an L1 table's L2 tables and what they map. */
static void count_l1(Check *c, const uint64_t *l1, uint32_t size,
                     bool active)
{
    Qcow2State *s = c->s;
    uint8_t *t = g_malloc(s->cluster_size);
    for (uint32_t i = 0; i < size; i++) {
        uint64_t off = l1[i] & QCOW2_OFFSET_MASK;
        if (!off) {
            continue;
        }
        if (off & (s->cluster_size - 1)) {
            note(c, "ERROR L2 table offset 0x%" PRIx64 " is not cluster "
                 "aligned", off);
            c->res->corruptions++;
            continue;
        }
        add_ref(c, off, s->cluster_size, "L2 table");
        if (off + s->cluster_size > s->file_size ||
            blk_file_pread(s->fd, off, t, s->cluster_size) < 0) {
            c->res->check_errors += off < s->file_size;
            continue;
        }
        count_l2(c, t, active);
    }
    g_free(t);
}

static void count_snapshots(Check *c)
{
    Qcow2State *s = c->s;
    uint64_t pos = s->snapshots_offset;
    for (uint32_t i = 0; i < s->nb_snapshots && i < 65536; i++) {
        uint8_t h[40];
        if (pos >= s->file_size || blk_file_pread(s->fd, pos, h, 40) < 0) {
            note(c, "ERROR snapshot table is past the end of the file");
            c->res->corruptions++;
            return;
        }
        uint64_t l1off = qcow2_be64(h);
        uint32_t l1size = qcow2_be32(h + 8);
        uint64_t len = 40 + qcow2_be32(h + 36) +
                       (uint64_t)(h[12] << 8 | h[13]) + (h[14] << 8 | h[15]);
        pos += (len + 7) & ~7ull;
        if (l1size > QCOW2_MAX_L1_BYTES / 8 || l1off > s->file_size ||
            s->file_size - l1off < (uint64_t)l1size * 8) {
            note(c, "ERROR snapshot %u has an invalid L1 table", i);
            c->res->corruptions++;
            continue;
        }
        add_ref(c, l1off, (uint64_t)l1size * 8, "snapshot L1 table");
        uint64_t *l1 = g_new(uint64_t, MAX(l1size, 1));
        if (blk_file_pread(s->fd, l1off, l1, (size_t)l1size * 8) >= 0) {
            for (uint32_t j = 0; j < l1size; j++) {
                l1[j] = qcow2_be64((uint8_t *)&l1[j]);
            }
            count_l1(c, l1, l1size, false);
        }
        g_free(l1);
    }
    add_ref(c, s->snapshots_offset, pos - s->snapshots_offset,
            "snapshot table");
}

static void count_all(Check *c)
{
    Qcow2State *s = c->s;
    add_ref(c, 0, s->cluster_size, "header");
    add_ref(c, s->l1_offset, (uint64_t)s->l1_size * 8, "L1 table");
    add_ref(c, s->rct_offset, (uint64_t)s->rct_clusters * s->cluster_size,
            "refcount table");
    for (uint64_t i = 0; i < s->rct_entries; i++) {
        uint64_t off = s->rct[i] & QCOW2_OFFSET_MASK;
        if (!s->rct[i]) {
            continue;
        }
        if (off != s->rct[i] || (off & (s->cluster_size - 1))) {
            note(c, "ERROR refcount block %" PRIu64 " is not cluster "
                 "aligned", i);
            c->res->corruptions++;
        } else {
            add_ref(c, off, s->cluster_size, "refcount block");
        }
    }
    count_l1(c, s->l1, s->l1_size, true);
    if (s->nb_snapshots) {
        count_snapshots(c);
    }
}

/* The COPIED flag must be set exactly when the refcount is 1. */
static void check_copied(Check *c)
{
    Qcow2State *s = c->s;
    uint8_t *t = g_malloc(s->cluster_size);
    for (uint32_t i = 0; i < s->l1_size; i++) {
        uint64_t off = s->l1[i] & QCOW2_OFFSET_MASK, rc;
        if (!off || (off & (s->cluster_size - 1)) ||
            off + s->cluster_size > s->file_size ||
            qcow2_get_refcount(s, off >> s->cluster_bits, &rc) < 0 ||
            blk_file_pread(s->fd, off, t, s->cluster_size) < 0) {
            continue;
        }
        if ((rc == 1) != !!(s->l1[i] & QCOW2_COPIED)) {
            note(c, "ERROR OFLAG_COPIED L2 cluster: l1_index=%u "
                 "l1_entry=%" PRIx64 " refcount=%" PRIu64, i, s->l1[i], rc);
            c->res->corruptions++;
        }
        for (uint64_t j = 0; j < (1ull << s->l2_bits); j++) {
            uint64_t e = qcow2_be64(t + j * 8);
            uint64_t host = e & QCOW2_OFFSET_MASK;
            if ((e & QCOW2_COMPRESSED) || !host ||
                qcow2_get_refcount(s, host >> s->cluster_bits, &rc) < 0) {
                continue;
            }
            if ((rc == 1) != !!(e & QCOW2_COPIED)) {
                note(c, "ERROR OFLAG_COPIED data cluster: l2_entry=%" PRIx64
                     " refcount=%" PRIu64, e, rc);
                c->res->corruptions++;
            }
        }
    }
    g_free(t);
}

static void compare(Check *c, bool fix_leaks)
{
    Qcow2State *s = c->s;
    uint64_t limit = c->nclusters;
    for (uint64_t i = 0; i < s->rct_entries; i++) {
        if (s->rct[i]) {
            limit = MAX(limit, MIN((i + 1) << s->rb_bits,
                                   c->nclusters + CHECK_MAX_CLUSTERS));
        }
    }
    for (uint64_t cl = 0; cl < limit; cl++) {
        uint64_t i = cl >> s->rb_bits, rc;
        uint64_t ref = cl < c->nclusters ? c->refs[cl] : 0;
        if (cl >= c->nclusters && (i >= s->rct_entries || !s->rct[i])) {
            cl = ((i + 1) << s->rb_bits) - 1;
            continue;
        }
        if (qcow2_get_refcount(s, cl, &rc) < 0) {
            c->res->check_errors++;
            continue;
        }
        if (rc == ref) {
            continue;
        }
        if (rc < ref) {
            note(c, "ERROR cluster %" PRIu64 " refcount=%" PRIu64
                 " reference=%" PRIu64, cl, rc, ref);
            c->res->corruptions++;
        } else if (fix_leaks && qcow2_set_refcount(s, cl, ref) == 0) {
            c->res->leaks_fixed++;
        } else {
            note(c, "Leaked cluster %" PRIu64 " refcount=%" PRIu64
                 " reference=%" PRIu64, cl, rc, ref);
            c->res->leaks++;
        }
    }
}

int qcow2_check(BlockBackend *blk, bool fix_leaks, BlockCheckResult *res,
                char **err)
{
    Qcow2State *s = blk->opaque;
    Check c = { .s = s, .res = res };
    if (s->has_bitmaps && (s->autoclear & 1)) {
        *err = g_strdup("images with persistent dirty bitmaps cannot be "
                        "checked");
        return -ENOTSUP;
    }
    c.nclusters = (s->file_size + s->cluster_size - 1) >> s->cluster_bits;
    if (c.nclusters > CHECK_MAX_CLUSTERS) {
        *err = g_strdup_printf("image file too large to check (%" PRIu64
                               " clusters)", c.nclusters);
        return -EFBIG;
    }
    c.refs = g_try_new0(uint32_t, MAX(c.nclusters, 1));
    if (!c.refs) {
        *err = g_strdup("out of memory");
        return -ENOMEM;
    }
    c.msg = g_string_new(NULL);
    res->total_clusters = (blk->size + s->cluster_size - 1) >>
                          s->cluster_bits;
    count_all(&c);
    compare(&c, fix_leaks);
    check_copied(&c);
    if (res->leaks_fixed) {
        qcow2_sync(s);
    }
    if (c.nmsg > CHECK_MAX_MESSAGES) {
        g_string_append_printf(c.msg, "(%d more problems not shown)\n",
                               c.nmsg - CHECK_MAX_MESSAGES);
    }
    res->messages = g_string_free(c.msg, false);
    g_free(c.refs);
    return 0;
}
