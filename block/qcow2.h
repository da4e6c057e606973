/*
 * The qcow2 driver's state and the functions its three files share:
 * qcow2.c (header, open, create, resize, info), qcow2-cluster.c (guest
 * to host mapping through L1/L2 tables: reads, writes, zeroing) and
 * qcow2-refcount.c (cluster allocation, refcounts, check).  Format facts
 * are from QEMU's docs/interop/qcow2.txt; the code is our own.
 *
 * Crash safety rests on the order of writes, never on a journal: a
 * cluster's refcount is written (and synced) before any L1/L2 entry points
 * at it, data before the L2 entry that maps it, and an entry is removed
 * (and synced) before the cluster it pointed at is freed.  A crash can
 * only leave leaked clusters (refcount 1, unreferenced).  docs/mimic-img.md
 * has the details.
 */
#ifndef BLOCK_QCOW2_H
#define BLOCK_QCOW2_H

#include "block-int.h"

#define QCOW2_MAGIC 0x514649fbu /* "QFI\xfb" */
#define QCOW2_MIN_CLUSTER_BITS 9
#define QCOW2_MAX_CLUSTER_BITS 21
#define QCOW2_V2_HEADER_LEN 72
#define QCOW2_V3_HEADER_LEN 104
#define QCOW2_MAX_L1_BYTES (32u << 20)
#define QCOW2_MAX_RCT_BYTES (8u << 20)
#define QCOW2_MAX_BACKING_NAME 1023

/* Header field offsets. */
#define QH_SIZE 24
#define QH_L1_SIZE 36
#define QH_RCT_OFFSET 48
#define QH_INCOMPAT 72
#define QH_AUTOCLEAR 88

#define QCOW2_INCOMPAT_DIRTY (1ull << 0)
#define QCOW2_INCOMPAT_CORRUPT (1ull << 1)
#define QCOW2_COMPAT_LAZY_REFCOUNTS (1ull << 0)

#define QCOW2_EXT_END 0
#define QCOW2_EXT_BACKING_FORMAT 0xe2792acau
#define QCOW2_EXT_FEATURE_TABLE 0x6803f857u
#define QCOW2_EXT_BITMAPS 0x23852875u

/* L1 and refcount table entries: bits 9-55 are the offset. */
#define QCOW2_OFFSET_MASK 0x00fffffffffffe00ull
#define QCOW2_COPIED (1ull << 63)
#define QCOW2_COMPRESSED (1ull << 62)
#define QCOW2_ZERO 1ull

/* A few clusters of metadata (L2 tables or refcount blocks) as on disk.
   Write-through: whoever changes one also writes the change to the file
   at once, so the cache never holds anything the file lacks. */
#define QCOW2_CACHE_SLOTS 16
typedef struct Qcow2Cache {
    uint64_t offset[QCOW2_CACHE_SLOTS]; /* 0: empty slot */
    uint64_t used[QCOW2_CACHE_SLOTS];
    uint8_t *data[QCOW2_CACHE_SLOTS];
    uint64_t tick;
} Qcow2Cache;

typedef struct Qcow2State {
    int fd;
    bool read_only;
    bool unsafe;               /* BLK_CACHE_UNSAFE: no ordering syncs */
    uint32_t version;
    uint32_t cluster_bits;
    uint64_t cluster_size;
    uint32_t l2_bits;          /* an L2 table has 1 << l2_bits entries */
    uint64_t *l1;              /* host order */
    uint32_t l1_size;
    uint64_t l1_offset;
    uint64_t *rct;             /* refcount table, host order */
    uint64_t rct_entries;
    uint64_t rct_offset;
    uint32_t rct_clusters;
    uint32_t refcount_order;   /* refcount_bits = 1 << refcount_order */
    uint32_t rb_bits;          /* a refcount block has 1 << rb_bits entries */
    uint64_t incompat, compat, autoclear;
    uint32_t header_length;
    uint32_t nb_snapshots;
    uint64_t snapshots_offset;
    bool has_bitmaps;
    char *backing_file;
    char *backing_format;
    uint64_t file_size;        /* bytes, grows with our writes */
    uint64_t free_hint;        /* no free cluster below this index */
    uint64_t alloc_end;        /* clusters allocated by us lie below */
    bool need_sync;            /* refcounts written since the last sync */
    uint64_t resv_start;       /* clusters allocated ahead (a reserve) */
    uint64_t resv_count;
    Qcow2Cache l2_cache;
    Qcow2Cache rb_cache;
    uint64_t zc_entry;         /* the L2 entry of zc_buf, 0: none */
    uint8_t *zc_buf;           /* the last decompressed cluster */
    const char *name;          /* the file, for messages */
    bool corrupt;              /* a write onto metadata was refused */
} Qcow2State;

static inline uint64_t qcow2_be64(const uint8_t *p)
{
    uint64_t v = 0;
    for (int i = 0; i < 8; i++) {
        v = (v << 8) | p[i];
    }
    return v;
}

static inline uint32_t qcow2_be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | p[2] << 8 | p[3];
}

static inline void qcow2_st64(uint8_t *p, uint64_t v)
{
    for (int i = 7; i >= 0; i--) {
        p[i] = v & 0xff;
        v >>= 8;
    }
}

static inline void qcow2_st32(uint8_t *p, uint32_t v)
{
    p[0] = v >> 24;
    p[1] = v >> 16;
    p[2] = v >> 8;
    p[3] = v;
}

/* qcow2.c */
int qcow2_sync(Qcow2State *s);
/* Syncs if refcounts were written since the last sync: call before an
   L1/L2 entry starts pointing at a newly allocated cluster. */
int qcow2_barrier(Qcow2State *s);
int qcow2_write_meta(Qcow2State *s, uint64_t offset, const void *buf,
                     size_t len);
/* Before data (or a new cluster) goes to [offset, offset+len) of the
   file: -EIO if that holds metadata (the header, the L1 or refcount
   table, a refcount block, an L2 table, the snapshot table), which only a
   corrupt L2 entry or refcount can ask for.  The image is then marked
   corrupt, as QEMU marks it, and refuses every later write. */
int qcow2_check_overlap(Qcow2State *s, uint64_t offset, uint64_t len);

/* The cache: *data points at the cluster at offset (read on a miss).
   -EIO when offset is not a cluster inside the file. */
int qcow2_cache_get(Qcow2State *s, Qcow2Cache *c, uint64_t offset,
                    uint8_t **data);
/* Puts a cluster just written to offset into the cache. */
void qcow2_cache_put(Qcow2State *s, Qcow2Cache *c, uint64_t offset,
                     const uint8_t *data);
void qcow2_cache_drop(Qcow2Cache *c, uint64_t offset);
void qcow2_cache_free(Qcow2Cache *c);

/* qcow2-refcount.c */
uint64_t qcow2_rc_max(const Qcow2State *s);
uint64_t qcow2_rc_get(const Qcow2State *s, const uint8_t *block,
                      uint64_t idx);
void qcow2_rc_set(const Qcow2State *s, uint8_t *block, uint64_t idx,
                  uint64_t value);
int qcow2_get_refcount(Qcow2State *s, uint64_t cluster, uint64_t *rc);
/* Sets the refcount of a cluster whose refcount block exists. */
int qcow2_set_refcount(Qcow2State *s, uint64_t cluster, uint64_t value);
/* Allocates n contiguous clusters with refcount 1 (written, maybe not
   yet synced: call qcow2_barrier before pointing an entry at them);
   returns the host offset or -errno.  A few more are allocated ahead
   each time, so most calls write and sync nothing. */
int64_t qcow2_alloc_clusters(Qcow2State *s, uint64_t n);
/* Frees the clusters allocated ahead but not used (at close). */
int qcow2_release_reserve(Qcow2State *s);
/* Drops one reference of each cluster of [offset, offset+len). */
int qcow2_free_range(Qcow2State *s, uint64_t offset, uint64_t len);

/* qcow2-check.c */
int qcow2_check(BlockBackend *blk, bool fix_leaks, BlockCheckResult *res,
                char **err);

/* qcow2-cluster.c */
int qcow2_preadv(BlockBackend *blk, uint64_t offset, const struct iovec *iov,
                 int niov, size_t len);
int qcow2_pwritev(BlockBackend *blk, uint64_t offset,
                  const struct iovec *iov, int niov, size_t len);
int qcow2_discard(BlockBackend *blk, uint64_t offset, uint64_t len);
int qcow2_write_zeroes(BlockBackend *blk, uint64_t offset, uint64_t len,
                       bool unmap);
/* The host range a compressed L2 entry's data occupies. */
void qcow2_compressed_range(const Qcow2State *s, uint64_t entry,
                            uint64_t *offset, uint64_t *len);

#endif
