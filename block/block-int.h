/*
 * The interface between the generic block layer (block/block.c) and the
 * format drivers (raw.c, qcow2*.c), private to block/.  block.c checks
 * the arguments of every request (bounds, read-only) before a driver sees
 * it, so a driver only deals with its format.
 */
#ifndef BLOCK_INT_H
#define BLOCK_INT_H

#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <sys/types.h>
#include <glib.h>

#include "mimic/block.h"

typedef struct BlockDriver BlockDriver;

struct BlockBackend {
    const BlockDriver *drv;
    void *opaque;            /* the driver's state, drv->state_size bytes */
    char *filename;
    int flags;
    uint64_t size;           /* virtual size, kept by the driver */
    BlockBackend *backing;   /* read-only, or NULL */
    char *snapshot_base;     /* BLK_SNAPSHOT: the image under the overlay */
    BlockBackend *overlay;   /* while opening: the image this backs */
    dev_t dev;               /* the file, from blk_file_open */
    ino_t ino;
};

struct BlockDriver {
    const char *format_name;
    size_t state_size;
    /* How sure the driver is that the first bytes are its format (0-100). */
    int (*probe)(const uint8_t *buf, size_t len);
    /* Opens blk->filename; sets blk->size.  Opening the backing file is
       the driver's job (blk_open_backing).  0 or -errno with *err. */
    int (*open)(BlockBackend *blk, int flags, char **err);
    void (*close)(BlockBackend *blk);
    int (*preadv)(BlockBackend *blk, uint64_t offset, const struct iovec *iov,
                  int niov, size_t len);
    int (*pwritev)(BlockBackend *blk, uint64_t offset,
                   const struct iovec *iov, int niov, size_t len);
    int (*flush)(BlockBackend *blk);
    int (*discard)(BlockBackend *blk, uint64_t offset, uint64_t len);
    int (*write_zeroes)(BlockBackend *blk, uint64_t offset, uint64_t len,
                        bool unmap);
    int (*truncate)(BlockBackend *blk, uint64_t size, char **err);
    int (*get_info)(BlockBackend *blk, BlockInfo *info);
    int (*check)(BlockBackend *blk, bool fix_leaks, BlockCheckResult *res,
                 char **err);
    int (*create)(const char *filename, uint64_t size,
                  const BlockCreateOptions *opts, char **err);
};

extern const BlockDriver blk_driver_raw;
extern const BlockDriver blk_driver_qcow2;

/* Opens blk->filename for a driver, read-only with BLK_RDONLY: refuses
   what is not a regular file or block device (a FIFO would block every
   read), and locks it for the use flags say and the format's metadata
   (block/lock.c).  The fd, or -errno with *err naming the file. */
int blk_file_open(BlockBackend *blk, int flags, bool metadata, char **err);
/* Creates or truncates filename for a new image, once the locks show
   nobody uses it.  The fd (read-write), or -errno with *err. */
int blk_file_create(const char *filename, char **err);

/* Permissions, as QEMU numbers them (block/lock.c). */
enum {
    BLK_PERM_CONSISTENT_READ = 1 << 0,
    BLK_PERM_WRITE = 1 << 1,
    BLK_PERM_WRITE_UNCHANGED = 1 << 2,
    BLK_PERM_RESIZE = 1 << 3,
};
/* The permissions an image opened with flags uses and does not share,
   as QEMU's: metadata for a format with metadata (qcow2). */
void blk_lock_perms(int flags, bool metadata, unsigned *perm,
                    unsigned *unshared);
/* Locks fd for perm and unshared and checks that no other user
   conflicts; 0, or -EAGAIN (in use) or -errno with *err. */
int blk_lock_fd(int fd, const char *filename, unsigned perm, unsigned unshared,
                char **err);
/* The same from the locks old_perm and old_unshared, which are kept when
   the new ones conflict. */
int blk_lock_change(int fd, const char *filename, unsigned old_perm,
                    unsigned old_unshared, unsigned perm, unsigned unshared,
                    char **err);

/* Opens the backing image of blk (read-only); name is resolved relative
   to blk's directory.  0 or -errno with *err; -ELOOP when the chain loops
   or is too deep, with *err a message to pass on as it is. */
int blk_open_backing(BlockBackend *blk, const char *name, const char *format,
                     char **err);
/* name as found from the image's directory (for backing files). */
char *blk_resolve_relative(const char *image, const char *name);

/* Reads len bytes at offset of the backing image, zeros past its end
   (a backing file may be shorter than the overlay).  0 or -errno. */
int blk_read_backing(BlockBackend *blk, uint64_t offset,
                     const struct iovec *iov, int niov, size_t len);

/* Scatter/gather helpers. */
void blk_iov_to_buf(const struct iovec *iov, int niov, size_t pos, void *buf,
                size_t len);
void blk_iov_from_buf(const struct iovec *iov, int niov, size_t pos,
                  const void *buf, size_t len);
void blk_iov_memset(const struct iovec *iov, int niov, size_t pos, int c,
                size_t len);
/* Fills dst (room for max entries) with the bytes [pos, pos+len) of iov;
   returns the entry count or -1 when max is too small. */
int blk_iov_slice(const struct iovec *iov, int niov, size_t pos, size_t len,
              struct iovec *dst, int max);

/* pread/pwrite of a whole range, retrying short transfers and EINTR.
   A read past the end of the file fills zeros and returns the number of
   bytes that were in the file; a write returns 0.  -errno on failure. */
ssize_t blk_file_pread(int fd, uint64_t offset, void *buf, size_t len);
int blk_file_pwrite(int fd, uint64_t offset, const void *buf, size_t len);
ssize_t blk_file_preadv(int fd, uint64_t offset, const struct iovec *iov,
                        int niov, size_t len);
int blk_file_pwritev(int fd, uint64_t offset, const struct iovec *iov,
                     int niov, size_t len);

#endif
