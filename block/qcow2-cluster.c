/*
 * qcow2 guest I/O: guest offsets mapped to host clusters through the L1
 * table and L2 tables, reads (data, zero clusters, compressed clusters,
 * the backing file for unallocated ones), writes (in place, or to newly
 * allocated clusters with copy-on-write of the rest of the cluster), and
 * zeroing/discarding whole clusters by rewriting L2 entries.
 *
 * Write order for a new cluster: refcount (qcow2_alloc_clusters), data,
 * sync (qcow2_barrier), then the L2 entry; for a new L2 table: refcount,
 * the zeroed table, sync, then the L1 entry.  Freeing: the entry first,
 * sync, then the refcount.  So an entry never points at a free cluster.
 */
#include <zlib.h>

#include "qcow2.h"

/* Bytes of clusters written by one allocation at most. */
#define QCOW2_MAX_ALLOC_BYTES (4u << 20)
#define QCOW2_MAX_PARTS 17

enum { C_UNALLOC, C_ZERO, C_NORMAL, C_COMPRESSED };

static int classify(const Qcow2State *s, uint64_t entry)
{
    if (entry & QCOW2_COMPRESSED) {
        return C_COMPRESSED;
    }
    if (s->version >= 3 && (entry & QCOW2_ZERO)) {
        return C_ZERO;
    }
    return (entry & QCOW2_OFFSET_MASK) ? C_NORMAL : C_UNALLOC;
}

/* A standard cluster whose data we may overwrite where it is. */
static bool in_place(const Qcow2State *s, uint64_t entry)
{
    return classify(s, entry) == C_NORMAL && (entry & QCOW2_COPIED);
}

/* A zero cluster that keeps its host cluster (zeroed without unmap),
   which we may rewrite where it is. */
static bool zero_alloc(const Qcow2State *s, uint64_t entry)
{
    uint64_t host = entry & QCOW2_OFFSET_MASK;
    return classify(s, entry) == C_ZERO && (entry & QCOW2_COPIED) && host &&
           !(host & (s->cluster_size - 1)) && host < s->file_size;
}

/* The host range an L2 entry owns (0 length: none). */
static void owned_range(const Qcow2State *s, uint64_t entry, uint64_t *off,
                        uint64_t *len)
{
    if (entry & QCOW2_COMPRESSED) {
        qcow2_compressed_range(s, entry, off, len);
        return;
    }
    *off = entry & QCOW2_OFFSET_MASK;
    *len = *off ? s->cluster_size : 0;
}

void qcow2_compressed_range(const Qcow2State *s, uint64_t entry,
                            uint64_t *offset, uint64_t *len)
{
    uint32_t x = 62 - (s->cluster_bits - 8);
    uint64_t nsect = (entry >> x) & ((1ull << (s->cluster_bits - 8)) - 1);
    *offset = entry & ((1ull << x) - 1);
    *len = (nsect + 1) * 512 - (*offset & 511);
}

/* Host offset of a normal cluster, checked: -EIO if it cannot be one. */
static int normal_host(const Qcow2State *s, uint64_t entry, uint64_t *host)
{
    *host = entry & QCOW2_OFFSET_MASK;
    if ((*host & (s->cluster_size - 1)) || *host >= s->file_size) {
        return -EIO;
    }
    return 0;
}

/* A new, zeroed L2 table for L1 entry l1i. */
static int alloc_l2(Qcow2State *s, uint64_t l1i, uint64_t *l2off)
{
    int64_t off = qcow2_alloc_clusters(s, 1);
    if (off < 0) {
        return (int)off;
    }
    uint8_t *zero = g_malloc0(s->cluster_size);
    int ret = qcow2_write_meta(s, off, zero, s->cluster_size);
    if (ret == 0) {
        qcow2_cache_put(s, &s->l2_cache, off, zero);
        ret = qcow2_barrier(s);
    }
    g_free(zero);
    uint8_t be[8];
    qcow2_st64(be, (uint64_t)off | QCOW2_COPIED);
    if (ret == 0) {
        ret = qcow2_write_meta(s, s->l1_offset + l1i * 8, be, 8);
    }
    if (ret < 0) {
        return ret;
    }
    s->l1[l1i] = (uint64_t)off | QCOW2_COPIED;
    *l2off = off;
    return 0;
}

/* The L2 table of guest cluster gc (0: none, unless alloc). */
static int l2_table(Qcow2State *s, uint64_t gc, bool alloc, uint64_t *l2off)
{
    uint64_t l1i = gc >> s->l2_bits;
    *l2off = 0;
    if (l1i >= s->l1_size) {
        return alloc ? -EIO : 0;
    }
    uint64_t off = s->l1[l1i] & QCOW2_OFFSET_MASK;
    if (off) {
        if (off & (s->cluster_size - 1)) {
            return -EIO;
        }
        *l2off = off;
        return 0;
    }
    return alloc ? alloc_l2(s, l1i, l2off) : 0;
}

/* The L2 entry of guest cluster gc; 0 when unallocated. */
static int get_entry(Qcow2State *s, uint64_t gc, uint64_t *entry)
{
    uint64_t l2off;
    uint8_t *t;
    int ret = l2_table(s, gc, false, &l2off);
    *entry = 0;
    if (ret < 0 || !l2off) {
        return ret;
    }
    ret = qcow2_cache_get(s, &s->l2_cache, l2off, &t);
    if (ret == 0) {
        *entry = qcow2_be64(t + (gc & ((1ull << s->l2_bits) - 1)) * 8);
    }
    return ret;
}

static int decompress(Qcow2State *s, uint64_t entry, const uint8_t **out)
{
    uint64_t host, clen;
    if (s->zc_buf && s->zc_entry == entry) {
        *out = s->zc_buf;
        return 0;
    }
    qcow2_compressed_range(s, entry, &host, &clen);
    if (host >= s->file_size) {
        return -EIO;
    }
    clen = MIN(clen, s->file_size - host);
    uint8_t *in = g_malloc(clen);
    ssize_t n = blk_file_pread(s->fd, host, in, clen);
    if (!s->zc_buf) {
        s->zc_buf = g_malloc(s->cluster_size);
    }
    s->zc_entry = 0;
    int ret = n < 0 ? (int)n : -EIO;
    z_stream z = { 0 };
    if (n >= 0 && inflateInit2(&z, -15) == Z_OK) {
        z.next_in = in;
        z.avail_in = clen;
        z.next_out = s->zc_buf;
        z.avail_out = s->cluster_size;
        int zr = inflate(&z, Z_FINISH);
        if ((zr == Z_STREAM_END || zr == Z_BUF_ERROR || zr == Z_OK) &&
            z.avail_out == 0) {
            ret = 0;
            s->zc_entry = entry;
        }
        inflateEnd(&z);
    }
    g_free(in);
    *out = s->zc_buf;
    return ret;
}

/* Reads n bytes at in-cluster offset in of guest cluster gc mapped by
   entry into [pos, pos+n) of iov. */
static int read_piece(BlockBackend *blk, uint64_t gc, uint64_t entry,
                      uint64_t in, const struct iovec *iov, int niov,
                      size_t pos, size_t n)
{
    Qcow2State *s = blk->opaque;
    struct iovec part[QCOW2_MAX_PARTS];
    int np = blk_iov_slice(iov, niov, pos, n, part, QCOW2_MAX_PARTS);
    const uint8_t *data;
    uint64_t host;
    int ret;

    if (np < 0) {
        return -EINVAL;
    }
    switch (classify(s, entry)) {
    case C_UNALLOC:
        return blk_read_backing(blk, (gc << s->cluster_bits) + in, part, np,
                                n);
    case C_ZERO:
        blk_iov_memset(part, np, 0, 0, n);
        return 0;
    case C_COMPRESSED:
        ret = decompress(s, entry, &data);
        if (ret == 0) {
            blk_iov_from_buf(part, np, 0, data + in, n);
        }
        return ret;
    default:
        ret = normal_host(s, entry, &host);
        if (ret == 0) {
            ssize_t r = blk_file_preadv(s->fd, host + in, part, np, n);
            ret = r < 0 ? (int)r : 0;
        }
        return ret;
    }
}

int qcow2_preadv(BlockBackend *blk, uint64_t offset, const struct iovec *iov,
                 int niov, size_t len)
{
    Qcow2State *s = blk->opaque;
    uint64_t cs = s->cluster_size;
    size_t pos = 0;
    while (pos < len) {
        uint64_t off = offset + pos, gc = off >> s->cluster_bits;
        uint64_t in = off & (cs - 1), entry, next;
        size_t n = MIN(cs - in, len - pos);
        int ret = get_entry(s, gc, &entry);
        if (ret < 0) {
            return ret;
        }
        /* Host-contiguous data clusters make one read. */
        while (classify(s, entry) == C_NORMAL && pos + n < len &&
               get_entry(s, gc + ((in + n) >> s->cluster_bits), &next) == 0 &&
               classify(s, next) == C_NORMAL &&
               (next & QCOW2_OFFSET_MASK) ==
                   (entry & QCOW2_OFFSET_MASK) + in + n) {
            n += MIN(cs, len - pos - n);
        }
        ret = read_piece(blk, gc, entry, in, iov, niov, pos, n);
        if (ret < 0) {
            return ret;
        }
        pos += n;
    }
    return 0;
}

/* The whole current contents of guest cluster gc (for copy-on-write). */
static int read_cluster(BlockBackend *blk, uint64_t gc, uint64_t entry,
                        uint8_t *buf)
{
    Qcow2State *s = blk->opaque;
    struct iovec iov = { buf, s->cluster_size };
    return read_piece(blk, gc, entry, 0, &iov, 1, 0, s->cluster_size);
}

/* 0 when old owned host clusters that new does not (they must be freed
   once new is on disk), 1 otherwise. */
static int still_owned(const Qcow2State *s, uint64_t old, uint64_t new)
{
    uint64_t o, l, no, nl;
    owned_range(s, old, &o, &l);
    owned_range(s, new, &no, &nl);
    return l == 0 || (o == no && l == nl);
}

/* Points L2 entries [idx, idx+k) of the table at l2off to new values,
   then frees what the old entries owned and the new ones do not. */
static int set_entries(Qcow2State *s, uint64_t l2off, uint64_t idx,
                       uint64_t k, const uint64_t *new_e,
                       const uint64_t *old_e)
{
    uint8_t *t;
    int ret = qcow2_cache_get(s, &s->l2_cache, l2off, &t);
    if (ret < 0) {
        return ret;
    }
    bool frees = false;
    for (uint64_t j = 0; j < k; j++) {
        qcow2_st64(t + (idx + j) * 8, new_e[j]);
        frees |= still_owned(s, old_e[j], new_e[j]) == 0;
    }
    ret = qcow2_write_meta(s, l2off + idx * 8, t + idx * 8, k * 8);
    if (ret < 0) {
        qcow2_cache_drop(&s->l2_cache, l2off);
        return ret;
    }
    if (!frees) {
        return 0;
    }
    ret = qcow2_sync(s); /* the entries are gone before the clusters */
    for (uint64_t j = 0; j < k && ret == 0; j++) {
        uint64_t o, l;
        owned_range(s, old_e[j], &o, &l);
        if (still_owned(s, old_e[j], new_e[j]) == 0) {
            ret = qcow2_free_range(s, o, l);
        }
    }
    return ret;
}

/* Writes [pos, pos+n) of iov in place, over contiguous allocated clusters
   starting at gc (n is extended as far as they go); returns n or -errno. */
static int64_t write_in_place(BlockBackend *blk, uint64_t off, uint64_t entry,
                              const struct iovec *iov, int niov, size_t pos,
                              size_t len)
{
    Qcow2State *s = blk->opaque;
    uint64_t cs = s->cluster_size, in = off & (cs - 1), host, next;
    uint64_t gc = off >> s->cluster_bits;
    size_t n = MIN(cs - in, len - pos);
    int ret = normal_host(s, entry, &host);
    if (ret < 0) {
        return ret;
    }
    while (pos + n < len &&
           get_entry(s, gc + ((in + n) >> s->cluster_bits), &next) == 0 &&
           in_place(s, next) &&
           (next & QCOW2_OFFSET_MASK) == host + in + n) {
        n += MIN(cs, len - pos - n);
    }
    ret = qcow2_check_overlap(s, host + in, n);
    if (ret < 0) {
        return ret;
    }
    struct iovec part[QCOW2_MAX_PARTS];
    int np = blk_iov_slice(iov, niov, pos, n, part, QCOW2_MAX_PARTS);
    if (np < 0) {
        return -EINVAL;
    }
    ret = blk_file_pwritev(s->fd, host + in, part, np, n);
    if (ret == 0 && host + in + n > s->file_size) {
        s->file_size = host + in + n;
    }
    return ret < 0 ? ret : (int64_t)n;
}

/* Writes to k clusters from gc that need new clusters (all in one L2
   table): allocate, merge with the old contents, write, map. */
static int64_t write_new(BlockBackend *blk, uint64_t off, uint64_t l2off,
                         uint64_t *old_e, uint64_t k,
                         const struct iovec *iov, int niov, size_t pos,
                         size_t len)
{
    Qcow2State *s = blk->opaque;
    uint64_t cs = s->cluster_size, in = off & (cs - 1);
    uint64_t gc = off >> s->cluster_bits;
    uint64_t idx = gc & ((1ull << s->l2_bits) - 1);
    size_t n = MIN(k * cs - in, len - pos);
    /* A zeroed cluster that kept its space is rewritten where it is:
       until its entry loses the zero flag it reads zeros, whatever the
       cluster holds. */
    int64_t host = k == 1 && zero_alloc(s, old_e[0])
                       ? (int64_t)(old_e[0] & QCOW2_OFFSET_MASK)
                       : qcow2_alloc_clusters(s, k);
    if (host < 0) {
        return host;
    }
    int ret = qcow2_check_overlap(s, (uint64_t)host, k * cs);
    if (ret < 0) {
        return ret;
    }
    uint8_t *buf = g_malloc(k * cs);
    if (in) {
        ret = read_cluster(blk, gc, old_e[0], buf);
    }
    if (ret == 0 && (in + n) & (cs - 1)) {
        ret = read_cluster(blk, gc + k - 1, old_e[k - 1], buf + (k - 1) * cs);
    }
    blk_iov_to_buf(iov, niov, pos, buf + in, n);
    if (ret == 0) {
        ret = qcow2_write_meta(s, host, buf, k * cs);
    }
    g_free(buf);
    if (ret == 0) {
        ret = qcow2_barrier(s);
    }
    if (ret < 0) {
        return ret; /* the new clusters leak, which is harmless */
    }
    uint64_t *new_e = g_new(uint64_t, k);
    for (uint64_t j = 0; j < k; j++) {
        new_e[j] = ((uint64_t)host + j * cs) | QCOW2_COPIED;
    }
    ret = set_entries(s, l2off, idx, k, new_e, old_e);
    g_free(new_e);
    return ret < 0 ? ret : (int64_t)n;
}

int qcow2_pwritev(BlockBackend *blk, uint64_t offset,
                  const struct iovec *iov, int niov, size_t len)
{
    Qcow2State *s = blk->opaque;
    uint64_t cs = s->cluster_size, l2n = 1ull << s->l2_bits;
    uint64_t max_k = MAX(1, QCOW2_MAX_ALLOC_BYTES / cs);
    if (s->corrupt) {
        return -EIO;   /* a write onto metadata was refused: change nothing */
    }
    uint64_t *old_e = g_new(uint64_t, max_k);
    size_t pos = 0;
    int64_t ret = 0;
    while (pos < len) {
        uint64_t off = offset + pos, gc = off >> s->cluster_bits, l2off;
        uint64_t last = (offset + len - 1) >> s->cluster_bits;
        uint64_t idx = gc & (l2n - 1);
        ret = l2_table(s, gc, true, &l2off);
        if (ret == 0) {
            ret = get_entry(s, gc, &old_e[0]);
        }
        if (ret < 0) {
            break;
        }
        if (in_place(s, old_e[0])) {
            ret = write_in_place(blk, off, old_e[0], iov, niov, pos, len);
        } else {
            uint64_t k = 1, lim = MIN(MIN(max_k, l2n - idx), last - gc + 1);
            while (k < lim && !zero_alloc(s, old_e[0]) &&
                   get_entry(s, gc + k, &old_e[k]) == 0 &&
                   !in_place(s, old_e[k])) {
                k++;
            }
            ret = write_new(blk, off, l2off, old_e, k, iov, niov, pos, len);
        }
        if (ret < 0) {
            break;
        }
        pos += (size_t)ret;
        ret = 0;
    }
    g_free(old_e);
    return (int)ret;
}

/* The L2 entry that makes a guest cluster read as zeros instead of old.
   keep (zeroing without unmap) keeps a cluster we own allocated, with the
   zero flag (v3); else the cluster is freed: unallocated, or the zero flag
   where a backing file would show through. */
static uint64_t zero_entry(BlockBackend *blk, uint64_t old, bool keep)
{
    Qcow2State *s = blk->opaque;
    if (s->version < 3) {
        return 0;
    }
    if (keep && !(old & QCOW2_COMPRESSED) && (old & QCOW2_COPIED) &&
        (old & QCOW2_OFFSET_MASK)) {
        return (old & (QCOW2_OFFSET_MASK | QCOW2_COPIED)) | QCOW2_ZERO;
    }
    return blk->backing ? QCOW2_ZERO : 0;
}

/* Rewrites the L2 entries of whole clusters [gc, gc+count) to read as
   zeros (zero_entry). */
static int zero_clusters(BlockBackend *blk, uint64_t gc, uint64_t count,
                         bool keep)
{
    Qcow2State *s = blk->opaque;
    uint64_t l2n = 1ull << s->l2_bits;
    uint64_t *old_e = g_new(uint64_t, l2n), *new_e = g_new(uint64_t, l2n);
    int ret = 0;
    while (count > 0 && ret == 0) {
        uint64_t idx = gc & (l2n - 1), k = MIN(count, l2n - idx), l2off;
        uint8_t *t;
        /* Without a table the clusters read as zeros, unless a backing
           file shows through. */
        ret = l2_table(s, gc, blk->backing != NULL, &l2off);
        if (ret == 0 && l2off) {
            ret = qcow2_cache_get(s, &s->l2_cache, l2off, &t);
        }
        if (ret == 0 && l2off) {
            uint64_t first = k, end = 0;
            for (uint64_t j = 0; j < k; j++) {
                old_e[j] = qcow2_be64(t + (idx + j) * 8);
                new_e[j] = zero_entry(blk, old_e[j], keep);
                if (old_e[j] != new_e[j]) {
                    first = MIN(first, j);
                    end = j + 1;
                }
            }
            if (first < end) {
                ret = set_entries(s, l2off, idx + first, end - first,
                                  new_e + first, old_e + first);
            }
        }
        gc += k;
        count -= k;
    }
    g_free(old_e);
    g_free(new_e);
    return ret;
}

/* The whole clusters of [offset, offset+len): a cluster that ends past
   the virtual size counts as whole when the range reaches the end. */
static void whole_clusters(BlockBackend *blk, uint64_t offset, uint64_t len,
                           uint64_t *first, uint64_t *count)
{
    Qcow2State *s = blk->opaque;
    uint64_t cs = s->cluster_size, end = offset + len;
    uint64_t lo = (offset + cs - 1) >> s->cluster_bits;
    uint64_t hi = end == blk->size ? (end + cs - 1) >> s->cluster_bits
                                   : end >> s->cluster_bits;
    *first = lo;
    *count = hi > lo ? hi - lo : 0;
}

static int write_zero_bytes(BlockBackend *blk, uint64_t offset, uint64_t len)
{
    Qcow2State *s = blk->opaque;
    uint8_t *zero = g_malloc0(s->cluster_size);
    int ret = 0;
    while (len > 0 && ret == 0) {
        size_t n = MIN(len, s->cluster_size);
        struct iovec iov = { zero, n };
        ret = qcow2_pwritev(blk, offset, &iov, 1, n);
        offset += n;
        len -= n;
    }
    g_free(zero);
    return ret;
}

int qcow2_write_zeroes(BlockBackend *blk, uint64_t offset, uint64_t len,
                       bool unmap)
{
    Qcow2State *s = blk->opaque;
    uint64_t first, count, cs = s->cluster_size;
    if (s->corrupt) {
        return -EIO;
    }
    whole_clusters(blk, offset, len, &first, &count);
    if (s->version < 3 && (blk->backing || !unmap)) {
        count = 0; /* no zero flag: zeros must be written as data */
    }
    if (count == 0) {
        return write_zero_bytes(blk, offset, len);
    }
    uint64_t lo = first * cs, hi = MIN((first + count) * cs, offset + len);
    int ret = 0;
    if (offset < lo) {
        ret = write_zero_bytes(blk, offset, lo - offset);
    }
    if (ret == 0) {
        ret = zero_clusters(blk, first, count, !unmap);
    }
    if (ret == 0 && hi < offset + len) {
        ret = write_zero_bytes(blk, hi, offset + len - hi);
    }
    return ret;
}

int qcow2_discard(BlockBackend *blk, uint64_t offset, uint64_t len)
{
    uint64_t first, count;
    if (((Qcow2State *)blk->opaque)->corrupt) {
        return -EIO;
    }
    whole_clusters(blk, offset, len, &first, &count);
    if (count == 0) {
        return 0;
    }
    return zero_clusters(blk, first, count, false);
}
