/*
 * The block layer (block/): disk images behind one handle, whatever their
 * format.  A BlockBackend is an open image (raw or qcow2, probed or named)
 * together with its backing chain; devices (virtio-blk) and mimic-img read
 * and write it by byte offset and length and never see the format.
 *
 *   char *err = NULL;
 *   BlockBackend *blk = blk_open("disk.qcow2", NULL, 0, &err);
 *   if (!blk) { fprintf(stderr, "%s\n", err); g_free(err); ... }
 *   int ret = blk_pread(blk, 512, buf, 4096);     (0 or -errno)
 *   ret = blk_pwrite(blk, 0, buf, 512);
 *   blk_flush(blk);                                (guest FLUSH)
 *   blk_close(blk);
 *
 * All calls are synchronous: they return when the host I/O is done.  The
 * device model calls them from the main loop with the BQL held; one
 * BlockBackend must not be used from two threads at once.  An asynchronous
 * path (a worker thread or io_uring completing on the main loop) may come
 * later beside these calls, with the same argument conventions.
 *
 * Offsets and lengths are bytes; they need not be sector-aligned.  I/O
 * outside [0, blk_getlength()) fails with -EINVAL, a write to a read-only
 * image with -EROFS, a corrupt image structure met during I/O with -EIO.
 */
#ifndef MIMIC_BLOCK_H
#define MIMIC_BLOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/uio.h>

typedef struct BlockBackend BlockBackend;

/* blk_open flags. */
enum {
    BLK_RDONLY = 1 << 0,
    /* Writes go to a temporary qcow2 overlay, deleted when the image is
       closed or the process exits (-snapshot). */
    BLK_SNAPSHOT = 1 << 1,
    /* Cache modes.  The default (writeback) syncs only to order metadata
       updates (so a host crash leaves a consistent image) and on
       blk_flush.  WRITETHROUGH also syncs after every write; UNSAFE never
       syncs (blk_flush does nothing): fine for a scratch image, and the
       image still survives the process being killed. */
    BLK_CACHE_WRITETHROUGH = 1 << 2,
    BLK_CACHE_UNSAFE = 1 << 3,
    /* Do not open the backing file (mimic-img info, check). */
    BLK_NO_BACKING = 1 << 4,
    /* Read-only users only: take no lock that stops others from writing
       (qemu-img -U, -drive force-share=on).  The data may change under
       the reader. */
    BLK_FORCE_SHARE = 1 << 5,
    /* Do not lock this image's file (-drive file.locking=off); its
       backing files are still locked, as in QEMU. */
    BLK_NO_LOCK = 1 << 6,
    /* blk_discard frees space, and blk_write_zeroes may (-drive
       discard=unmap).  Without it a discard does nothing and zeroing
       keeps the space allocated, QEMU's default (discard=ignore). */
    BLK_DISCARD_UNMAP = 1 << 7,
    /* Only the metadata will be read (mimic-img info): locks as
       qemu-img info does, so a raw image in use can be looked at. */
    BLK_NO_IO = 1 << 8,
    /* The format was probed and found raw (-drive without format=): as
       QEMU, a write to the first 512 bytes that would make the image
       probe as another format (a qcow2 header written by the guest) fails
       with -EPERM, so the next start cannot open a host file for it. */
    BLK_PROBED_RAW = 1 << 9,
    /* detect-zeroes=on: a write of zeros becomes a write-zeroes;
       _UNMAP (detect-zeroes=unmap) lets it free the space when
       BLK_DISCARD_UNMAP is set too, as in QEMU. */
    BLK_DETECT_ZEROES = 1 << 10,
    BLK_DETECT_ZEROES_UNMAP = 1 << 11,
};

/*
 * Opens an image.  format is "raw" or "qcow2", or NULL to probe the file's
 * contents (a file that is not qcow2 is raw).  A qcow2 backing file is
 * opened read-only, relative to the image's directory.  Every file of the
 * chain is locked as QEMU locks it (docs/mimic-img.md), so an image that
 * QEMU, qemu-img or another Mimic is writing is refused, and they refuse
 * it while it is open here.  Returns NULL and sets *err (free with
 * g_free) on failure.
 */
BlockBackend *blk_open(const char *filename, const char *format, int flags,
                       char **err);
/* Closes the image and its backing chain (flushing unless UNSAFE). */
void blk_close(BlockBackend *blk);

/* Reads or writes len bytes at offset; 0 or -errno. */
int blk_pread(BlockBackend *blk, uint64_t offset, void *buf, size_t len);
int blk_pwrite(BlockBackend *blk, uint64_t offset, const void *buf,
               size_t len);
/* The same with a scatter/gather list (a guest's descriptor chain). */
int blk_preadv(BlockBackend *blk, uint64_t offset, const struct iovec *iov,
               int niov);
int blk_pwritev(BlockBackend *blk, uint64_t offset, const struct iovec *iov,
                int niov);
/* Makes every completed write durable (fdatasync); 0 or -errno. */
int blk_flush(BlockBackend *blk);
/* The guest no longer needs the range: the image may free it (its
   contents become unspecified, usually zeros).  0 or -errno. */
int blk_discard(BlockBackend *blk, uint64_t offset, uint64_t len);
/* The range reads as zeros afterwards; unmap allows freeing the space.
   0 or -errno. */
int blk_write_zeroes(BlockBackend *blk, uint64_t offset, uint64_t len,
                     bool unmap);
/* The virtual disk size in bytes. */
uint64_t blk_getlength(BlockBackend *blk);
/* Grows (or, where the format allows, shrinks) the virtual disk. */
int blk_truncate(BlockBackend *blk, uint64_t size, char **err);
bool blk_is_read_only(BlockBackend *blk);
/* The cache mode as QEMU's info block says it: "writeback",
   "writethrough" or "writeback, ignore flushes" (unsafe). */
const char *blk_cache_mode(BlockBackend *blk);
const char *blk_format_name(BlockBackend *blk);
const char *blk_filename(BlockBackend *blk);
/* The opened backing image, or NULL. */
BlockBackend *blk_backing(BlockBackend *blk);
/* Gives an image opened with BLK_NO_BACKING the backing image to read
   unallocated data from (-blockdev backing=NODE); blk owns it from now. */
void blk_set_backing(BlockBackend *blk, BlockBackend *backing);

/* What mimic-img info shows about one image of a chain. */
typedef struct BlockInfo {
    char *filename;
    char *format;
    uint64_t virtual_size;
    uint64_t actual_size;          /* bytes allocated on the host */
    uint64_t cluster_size;         /* 0: the format has no clusters */
    char *backing_filename;        /* as stored in the image, or NULL */
    char *full_backing_filename;   /* resolved path, or NULL */
    char *backing_format;          /* as stored, or NULL */
    bool dirty;
    /* qcow2 ("format-specific"): */
    bool is_qcow2;
    int qcow2_version;             /* 2 (compat 0.10) or 3 (compat 1.1) */
    bool lazy_refcounts;
    bool corrupt;
    int refcount_bits;
    int nb_snapshots;
} BlockInfo;

/* Fills *info (free with blk_info_free); 0 or -errno. */
int blk_info(BlockBackend *blk, BlockInfo *info);
void blk_info_free(BlockInfo *info);

/* The result of a consistency check (mimic-img check). */
typedef struct BlockCheckResult {
    int64_t corruptions;          /* references to clusters not counted */
    int64_t leaks;                /* clusters counted but not referenced */
    int64_t check_errors;         /* I/O errors while checking */
    int64_t corruptions_fixed;
    int64_t leaks_fixed;
    uint64_t allocated_clusters;  /* guest clusters with data */
    uint64_t total_clusters;      /* guest clusters of the virtual disk */
    uint64_t fragmented_clusters;
    uint64_t compressed_clusters;
    uint64_t image_end_offset;
    /* One line per problem found (the first few hundred), for stderr. */
    char *messages;
} BlockCheckResult;

/*
 * Checks the image's metadata; with fix_leaks, frees leaked clusters.
 * Returns 0 (whatever was found), -ENOTSUP if the format has no checks,
 * or another -errno when the check itself could not run (*err set).
 */
int blk_check(BlockBackend *blk, bool fix_leaks, BlockCheckResult *res,
              char **err);
void blk_check_result_free(BlockCheckResult *res);

/* Options of blk_create; zero means the format's default. */
typedef struct BlockCreateOptions {
    uint64_t cluster_size;
    const char *backing_file;     /* stored as given */
    const char *backing_format;   /* NULL: probed when creating */
} BlockCreateOptions;

/* Creates (or truncates) an image of size bytes; 0 or -errno with *err. */
int blk_create(const char *filename, const char *format, uint64_t size,
               const BlockCreateOptions *opts, char **err);

/* The format of a file by its contents: "qcow2" or "raw"; NULL and *err
   when it cannot be read. */
const char *blk_probe_format(const char *filename, char **err);
/* Whether format names a driver ("raw", "qcow2"). */
bool blk_format_known(const char *format);

/*
 * Named images (block/blk-names.c): -drive id=ID and -blockdev
 * node-name=N register their image (NULL: an empty drive), a device finds
 * it by name (as QEMU's blk_by_name), and blk_close_all() closes (and so
 * flushes) every one at exit, however the emulator ends.
 */
enum {
    BLK_NAME_NODE = 1 << 0,     /* a -blockdev node, not a -drive */
    BLK_NAME_AUTO = 1 << 1,     /* a device was made for it (if=virtio) */
    BLK_NAME_RO_CHILD = 1 << 2, /* read-write node on a read-only file */
};
bool blk_register(const char *id, BlockBackend *blk, char **err);
bool blk_register_full(const char *id, BlockBackend *blk, unsigned flags,
                       char **err);
bool blk_name_exists(const char *id);
BlockBackend *blk_by_name(const char *id);
/* Marks the image as used by a device; false with *err (QEMU's words; prop
   names the property, "virtio-blk-device.drive") if there is no such image,
   it is empty, or a device has it already. */
bool blk_claim_for(const char *id, const char *prop, char **err);
bool blk_claim(const char *id, char **err);
bool blk_is_claimed(const char *id);
/* Calls fn for each named image, in the order they were registered
   (blk NULL: an empty drive, or a file node under a format node). */
typedef void (*BlkNameFn)(const char *id, BlockBackend *blk, unsigned flags,
                          bool attached, void *opaque);
void blk_names_foreach(BlkNameFn fn, void *opaque);
void blk_close_all(void);

#endif
