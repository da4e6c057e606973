/*
 * qcow2 host cluster management: refcounts of any width (refcount_order
 * 0-6), allocation of contiguous free clusters (reusing freed ones, else
 * at the end of the file), new refcount blocks and a growing refcount
 * table, freeing, and the consistency check of mimic-img check.
 *
 * Every refcount change is written to the file at once.  An allocation
 * sets the refcount before the caller points any entry at the cluster
 * (after qcow2_barrier); a new refcount block describes itself and is
 * written before the table entry that points at it; a new refcount table
 * is written in full before the header switches to it.
 */
#include "qcow2.h"

uint64_t qcow2_rc_max(const Qcow2State *s)
{
    uint32_t bits = 1u << s->refcount_order;
    return bits == 64 ? UINT64_MAX : (1ull << bits) - 1;
}

uint64_t qcow2_rc_get(const Qcow2State *s, const uint8_t *block,
                      uint64_t idx)
{
    uint32_t order = s->refcount_order;
    if (order < 3) {
        uint64_t bit = idx << order;
        return (block[bit >> 3] >> (bit & 7)) & qcow2_rc_max(s);
    }
    const uint8_t *p = block + (idx << (order - 3));
    switch (order) {
    case 3:
        return p[0];
    case 4:
        return (uint64_t)p[0] << 8 | p[1];
    case 5:
        return qcow2_be32(p);
    default:
        return qcow2_be64(p);
    }
}

void qcow2_rc_set(const Qcow2State *s, uint8_t *block, uint64_t idx,
                  uint64_t value)
{
    uint32_t order = s->refcount_order;
    if (order < 3) {
        uint64_t bit = idx << order;
        uint8_t mask = qcow2_rc_max(s) << (bit & 7);
        block[bit >> 3] = (block[bit >> 3] & ~mask) |
                          ((value << (bit & 7)) & mask);
        return;
    }
    uint8_t *p = block + (idx << (order - 3));
    switch (order) {
    case 3:
        p[0] = value;
        break;
    case 4:
        p[0] = value >> 8;
        p[1] = value;
        break;
    case 5:
        qcow2_st32(p, value);
        break;
    default:
        qcow2_st64(p, value);
        break;
    }
}

/* The byte range of refcount entry idx inside its block. */
static void rc_bytes(const Qcow2State *s, uint64_t idx, uint64_t *pos,
                     uint64_t *len)
{
    uint64_t bit = idx << s->refcount_order;
    *pos = bit >> 3;
    *len = MAX(1, (1u << s->refcount_order) / 8);
}

/* The refcount block of cluster (NULL data when it has none). */
static int get_block(Qcow2State *s, uint64_t cluster, uint64_t *boff,
                     uint8_t **data)
{
    uint64_t i = cluster >> s->rb_bits;
    *data = NULL;
    *boff = 0;
    if (i >= s->rct_entries || s->rct[i] == 0) {
        return 0;
    }
    *boff = s->rct[i] & QCOW2_OFFSET_MASK;
    if (*boff != s->rct[i]) {
        return -EIO; /* reserved bits set */
    }
    return qcow2_cache_get(s, &s->rb_cache, *boff, data);
}

int qcow2_get_refcount(Qcow2State *s, uint64_t cluster, uint64_t *rc)
{
    uint64_t boff;
    uint8_t *data;
    int ret = get_block(s, cluster, &boff, &data);
    *rc = 0;
    if (ret == 0 && data) {
        uint64_t mask = (1ull << s->rb_bits) - 1;
        *rc = qcow2_rc_get(s, data, cluster & mask);
    }
    return ret;
}

int qcow2_set_refcount(Qcow2State *s, uint64_t cluster, uint64_t value)
{
    uint64_t boff, pos, len;
    uint8_t *data;
    int ret = get_block(s, cluster, &boff, &data);
    if (ret < 0) {
        return ret;
    }
    if (!data) {
        return -EIO;
    }
    uint64_t idx = cluster & ((1ull << s->rb_bits) - 1);
    qcow2_rc_set(s, data, idx, value);
    rc_bytes(s, idx, &pos, &len);
    ret = qcow2_write_meta(s, boff + pos, data + pos, len);
    if (ret < 0) {
        qcow2_cache_drop(&s->rb_cache, boff);
        return ret;
    }
    s->need_sync = true;
    if (value == 0 && cluster < s->free_hint) {
        s->free_hint = cluster;
    }
    return 0;
}

int qcow2_free_range(Qcow2State *s, uint64_t offset, uint64_t len)
{
    uint64_t first = offset >> s->cluster_bits;
    uint64_t last = (offset + len - 1) >> s->cluster_bits;
    s->zc_entry = 0; /* a freed cluster may be reused */
    for (uint64_t c = first; c <= last; c++) {
        uint64_t rc;
        int ret = qcow2_get_refcount(s, c, &rc);
        if (ret < 0) {
            return ret;
        }
        if (rc == 0) {
            return -EIO; /* freeing a free cluster: refcounts are wrong */
        }
        ret = qcow2_set_refcount(s, c, rc - 1);
        if (ret < 0) {
            return ret;
        }
    }
    return 0;
}

/* The first run of at least n free clusters (refcount 0, or no refcount
   block yet) at or after the free hint, freed ones first, taken up to max
   clusters long: *start and *len.  The hint moves past the clusters in
   use at its place. */
static int find_free(Qcow2State *s, uint64_t n, uint64_t max, uint64_t *start,
                     uint64_t *len)
{
    uint64_t c = s->free_hint, run = 0;
    *start = c;
    while (run < max) {
        uint64_t i = c >> s->rb_bits, rc = 0;
        if (i >= s->rct_entries || s->rct[i] == 0) {
            uint64_t next = (i + 1) << s->rb_bits;
            if (run == 0) {
                *start = c;
            }
            run += next - c;
            c = next;
            continue;
        }
        int ret = qcow2_get_refcount(s, c, &rc);
        if (ret < 0) {
            return ret;
        }
        if (rc == 0) {
            if (run == 0) {
                *start = c;
            }
            run++;
        } else if (run >= n) {
            break;
        } else {
            run = 0;
            if (c == s->free_hint) {
                s->free_hint = c + 1;
            }
        }
        c++;
    }
    *len = MIN(run, max);
    /* Refcounts that call cluster 0 free are corrupt: whatever went there
       (data, an L1 or L2 table, a refcount block, which would then read
       as "no block" and be made again, a million times) would overwrite
       the header. */
    if (*start == 0) {
        return -EIO;
    }
    return 0;
}

/* The refcount table is too small: write a larger one (and the refcount
   blocks for its own clusters) after everything in the file, then switch
   the header to it and free the old one. */
static int grow_table(Qcow2State *s, uint64_t min_index)
{
    uint64_t cs = s->cluster_size;
    uint64_t t = MAX(s->alloc_end, (s->file_size + cs - 1) / cs);
    uint64_t want = MAX(min_index + 1, s->rct_entries * 2);
    uint64_t tc = 1, nb = 0;
    for (;;) {
        uint64_t end = t + tc + nb;
        uint64_t entries = MAX(want, ((end - 1) >> s->rb_bits) + 1);
        uint64_t ntc = (entries * 8 + cs - 1) / cs, nnb = 0;
        for (uint64_t i = t >> s->rb_bits;
             i <= (t + ntc + nb - 1) >> s->rb_bits; i++) {
            nnb += i >= s->rct_entries || s->rct[i] == 0;
        }
        if (ntc == tc && nnb == nb) {
            break;
        }
        tc = ntc;
        nb = nnb;
    }
    if (tc * cs > QCOW2_MAX_RCT_BYTES) {
        return -EFBIG;
    }
    uint64_t entries = tc * cs / 8, region_end = t + tc + nb;
    uint64_t *table = g_malloc0(tc * cs);
    uint8_t *blocks = g_malloc0(MAX(nb, 1) * cs);
    memcpy(table, s->rct, s->rct_entries * 8);
    uint64_t j = 0;
    int ret = 0;
    for (uint64_t i = t >> s->rb_bits; i <= (region_end - 1) >> s->rb_bits;
         i++) {
        uint64_t lo = MAX(t, i << s->rb_bits);
        uint64_t hi = MIN(region_end, (i + 1) << s->rb_bits);
        if (i < s->rct_entries && s->rct[i]) {
            for (uint64_t c = lo; c < hi && ret == 0; c++) {
                ret = qcow2_set_refcount(s, c, 1); /* leaked until the switch */
            }
            continue;
        }
        table[i] = (t + tc + j) * cs;
        for (uint64_t c = lo; c < hi; c++) {
            qcow2_rc_set(s, blocks + j * cs, c & ((1ull << s->rb_bits) - 1),
                         1);
        }
        j++;
    }
    uint8_t *be = g_malloc(tc * cs);
    for (uint64_t i = 0; i < entries; i++) {
        qcow2_st64(be + i * 8, table[i]);
    }
    if (ret == 0 && nb) {
        ret = qcow2_write_meta(s, (t + tc) * cs, blocks, nb * cs);
    }
    if (ret == 0) {
        ret = qcow2_write_meta(s, t * cs, be, tc * cs);
    }
    if (ret == 0) {
        ret = qcow2_sync(s);
    }
    uint8_t hdr[12];
    qcow2_st64(hdr, t * cs);
    qcow2_st32(hdr + 8, tc);
    if (ret == 0) {
        ret = qcow2_write_meta(s, QH_RCT_OFFSET, hdr, sizeof(hdr));
    }
    if (ret == 0) {
        ret = qcow2_sync(s);
    }
    g_free(blocks);
    g_free(be);
    if (ret < 0) {
        g_free(table);
        return ret;
    }
    uint64_t old_off = s->rct_offset, old_clusters = s->rct_clusters;
    g_free(s->rct);
    s->rct = table;
    s->rct_entries = entries;
    s->rct_offset = t * cs;
    s->rct_clusters = tc;
    s->alloc_end = MAX(s->alloc_end, region_end);
    return qcow2_free_range(s, old_off, old_clusters * cs);
}

/* Refcount block i is missing: put a new one in the first free cluster.
   That cluster's refcount goes into the new block itself when it lies in
   the block's range, else into its own range's block; a range without a
   block gets one first (and the caller looks again).  The block is on
   disk before the table points at it. */
static int new_block(Qcow2State *s, uint64_t i)
{
    uint64_t c, mask = (1ull << s->rb_bits) - 1;
    if (i >= s->rct_entries) {
        return grow_table(s, i);
    }
    uint64_t len;
    int ret = find_free(s, 1, 1, &c, &len);
    if (ret < 0) {
        return ret;
    }
    uint64_t j = c >> s->rb_bits;
    if (j >= s->rct_entries) {
        return grow_table(s, j);
    }
    bool self = j == i || !s->rct[j];
    if (self) {
        i = j;
    }
    uint64_t cs = s->cluster_size;
    uint8_t *data = g_malloc0(cs);
    uint8_t be[8];
    if (self) {
        qcow2_rc_set(s, data, c & mask, 1);
    }
    ret = qcow2_write_meta(s, c * cs, data, cs);
    if (ret == 0 && !self) {
        ret = qcow2_set_refcount(s, c, 1);
    }
    if (ret == 0) {
        ret = qcow2_sync(s);
    }
    qcow2_st64(be, c * cs);
    if (ret == 0) {
        ret = qcow2_write_meta(s, s->rct_offset + i * 8, be, 8);
    }
    if (ret == 0) {
        s->rct[i] = c * cs;
        qcow2_cache_put(s, &s->rb_cache, c * cs, data);
        s->alloc_end = MAX(s->alloc_end, c + 1);
        s->need_sync = true;
    }
    g_free(data);
    return ret;
}

/* Refcount 1 for the n clusters from start (their blocks exist), one
   write per refcount block. */
static int set_run(Qcow2State *s, uint64_t start, uint64_t n)
{
    uint64_t mask = (1ull << s->rb_bits) - 1;
    while (n > 0) {
        uint64_t boff, idx = start & mask, k = MIN(n, mask + 1 - idx);
        uint64_t pos, len, end_pos, end_len;
        uint8_t *data;
        int ret = get_block(s, start, &boff, &data);
        if (ret == 0 && !data) {
            ret = -EIO;
        }
        if (ret < 0) {
            return ret;
        }
        for (uint64_t j = 0; j < k; j++) {
            qcow2_rc_set(s, data, idx + j, 1);
        }
        rc_bytes(s, idx, &pos, &len);
        rc_bytes(s, idx + k - 1, &end_pos, &end_len);
        ret = qcow2_write_meta(s, boff + pos, data + pos,
                               end_pos + end_len - pos);
        if (ret < 0) {
            qcow2_cache_drop(&s->rb_cache, boff);
            return ret;
        }
        s->need_sync = true;
        start += k;
        n -= k;
    }
    return 0;
}

/* At least n and up to max contiguous free clusters get refcount 1:
   the first offset, and in *got how many. */
static int64_t alloc_run(Qcow2State *s, uint64_t n, uint64_t max, uint64_t *got)
{
    /* Each round that does not allocate adds a refcount block or grows
       the table, so the rounds are bounded by the run's blocks. */
    for (int tries = 0; tries < 1000000; tries++) {
        uint64_t start, len;
        int ret = find_free(s, n, max, &start, &len);
        if (ret < 0) {
            return ret;
        }
        if (start + len > (QCOW2_OFFSET_MASK >> s->cluster_bits)) {
            return -EFBIG;
        }
        bool made_block = false;
        for (uint64_t i = start >> s->rb_bits;
             i <= (start + len - 1) >> s->rb_bits; i++) {
            if (i < s->rct_entries && s->rct[i]) {
                continue;
            }
            ret = new_block(s, i);
            if (ret < 0) {
                return ret;
            }
            made_block = true;
            break;
        }
        if (made_block) {
            continue; /* the run lost a cluster to the block: look again */
        }
        ret = set_run(s, start, len);
        if (ret < 0) {
            return ret;
        }
        if (start == s->free_hint) {
            s->free_hint = start + len;
        }
        s->alloc_end = MAX(s->alloc_end, start + len);
        *got = len;
        return (int64_t)(start << s->cluster_bits);
    }
    return -EIO;
}

/* Clusters of the reserve are allocated (refcount 1, synced by the next
   barrier) but not yet used: handing them out needs no refcount write and
   no sync.  A crash leaks them, which qemu-img check -r leaks reclaims. */
int qcow2_release_reserve(Qcow2State *s)
{
    uint64_t n = s->resv_count;
    s->resv_count = 0;
    return n ? qcow2_free_range(s, s->resv_start << s->cluster_bits,
                                n << s->cluster_bits)
             : 0;
}

/* The reserve is refilled from the first free run long enough for the
   request, freed clusters first: a hole in the middle of the file is
   reused (with as many clusters ahead as it has), the end of the file
   only when no hole is large enough. */
int64_t qcow2_alloc_clusters(Qcow2State *s, uint64_t n)
{
    if (s->corrupt) {
        return -EIO;
    }
    if (s->resv_count < n) {
        uint64_t extra = MIN(256, MAX(1, (2u << 20) >> s->cluster_bits));
        uint64_t got;
        int ret = qcow2_release_reserve(s);
        if (ret < 0) {
            return ret;
        }
        int64_t off = alloc_run(s, n, n + extra, &got);
        if (off < 0) {
            return off;
        }
        /* Refcounts that call metadata free are corrupt: whatever went
           there would overwrite it. */
        ret = qcow2_check_overlap(s, (uint64_t)off, got << s->cluster_bits);
        if (ret < 0) {
            return ret;
        }
        s->resv_start = ((uint64_t)off >> s->cluster_bits) + n;
        s->resv_count = got - n;
        return off;
    }
    uint64_t c = s->resv_start;
    s->resv_start += n;
    s->resv_count -= n;
    return (int64_t)(c << s->cluster_bits);
}
