/*
 * The raw format: the virtual disk is the file, byte for byte.  Discard
 * punches a hole (the file stays sparse), write-zeroes asks the file
 * system for a zeroed range and falls back to writing zeros.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/falloc.h>
#include <sys/stat.h>
#include <unistd.h>

#include "block-int.h"

typedef struct RawState {
    int fd;
} RawState;

static int raw_probe(const uint8_t *buf, size_t len)
{
    return 1; /* anything is a raw image, as a last resort */
}

static int raw_open(BlockBackend *blk, int flags, char **err)
{
    RawState *s = blk->opaque;
    struct stat st;

    s->fd = blk_file_open(blk, flags, false, err);
    if (s->fd < 0) {
        return s->fd;
    }
    if (fstat(s->fd, &st) < 0) {
        int e = errno;
        *err = g_strdup_printf("could not stat '%s': %s", blk->filename,
                               g_strerror(e));
        close(s->fd);
        return -e;
    }
    if (S_ISBLK(st.st_mode)) {
        off_t end = lseek(s->fd, 0, SEEK_END);
        blk->size = end > 0 ? (uint64_t)end : 0;
    } else {
        blk->size = st.st_size;
    }
    return 0;
}

static void raw_close(BlockBackend *blk)
{
    RawState *s = blk->opaque;
    close(s->fd);
}

static int raw_preadv(BlockBackend *blk, uint64_t offset,
                      const struct iovec *iov, int niov, size_t len)
{
    RawState *s = blk->opaque;
    ssize_t n = blk_file_preadv(s->fd, offset, iov, niov, len);
    /* A file shortened behind our back reads as zeros past its end. */
    return n < 0 ? (int)n : 0;
}

static int raw_pwritev(BlockBackend *blk, uint64_t offset,
                       const struct iovec *iov, int niov, size_t len)
{
    RawState *s = blk->opaque;
    return blk_file_pwritev(s->fd, offset, iov, niov, len);
}

static int raw_flush(BlockBackend *blk)
{
    RawState *s = blk->opaque;
    return fdatasync(s->fd) < 0 ? -errno : 0;
}

static int raw_discard(BlockBackend *blk, uint64_t offset, uint64_t len)
{
    RawState *s = blk->opaque;
    int mode = FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE;
    if (fallocate(s->fd, mode, (off_t)offset, (off_t)len) < 0 &&
        errno != EOPNOTSUPP && errno != ENOSYS) {
        return -errno;
    }
    return 0; /* discard is advice: a file system without holes ignores it */
}

static int raw_write_zeroes(BlockBackend *blk, uint64_t offset, uint64_t len,
                            bool unmap)
{
    RawState *s = blk->opaque;
    int mode = unmap ? FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE
                     : FALLOC_FL_ZERO_RANGE | FALLOC_FL_KEEP_SIZE;
    if (fallocate(s->fd, mode, (off_t)offset, (off_t)len) == 0) {
        return 0;
    }
    if (errno != EOPNOTSUPP && errno != ENOSYS && errno != EINVAL) {
        return -errno;
    }
    size_t chunk = MIN(len, (uint64_t)1 << 20);
    uint8_t *zeros = g_malloc0(chunk);
    int ret = 0;
    while (len > 0 && ret == 0) {
        size_t n = MIN(len, chunk);
        ret = blk_file_pwrite(s->fd, offset, zeros, n);
        offset += n;
        len -= n;
    }
    g_free(zeros);
    return ret;
}

static int raw_truncate(BlockBackend *blk, uint64_t size, char **err)
{
    RawState *s = blk->opaque;
    unsigned perm, unshared;
    /* Resizing needs the resize permission, which a raw image in use
       does not take (nor refuse others) until then, as in QEMU. */
    blk_lock_perms(blk->flags, false, &perm, &unshared);
    int ret = (blk->flags & BLK_NO_LOCK)
                  ? 0
                  : blk_lock_change(s->fd, blk->filename, perm, unshared,
                                    perm | BLK_PERM_RESIZE, unshared, err);
    if (ret < 0) {
        return ret;
    }
    if (size > INT64_MAX || ftruncate(s->fd, (off_t)size) < 0) {
        int e = size > INT64_MAX ? EFBIG : errno;
        *err = g_strdup_printf("could not resize '%s': %s", blk->filename,
                               g_strerror(e));
        return -e;
    }
    blk->size = size;
    return 0;
}

static int raw_get_info(BlockBackend *blk, BlockInfo *info)
{
    RawState *s = blk->opaque;
    struct stat st;
    if (fstat(s->fd, &st) == 0) {
        info->actual_size = (uint64_t)st.st_blocks * 512;
    }
    return 0;
}

static int raw_create(const char *filename, uint64_t size,
                      const BlockCreateOptions *opts, char **err)
{
    if (opts->backing_file) {
        *err = g_strdup("the raw format has no backing files");
        return -ENOTSUP;
    }
    if (opts->cluster_size) {
        *err = g_strdup("the raw format has no cluster size");
        return -ENOTSUP;
    }
    int fd = blk_file_create(filename, err);
    if (fd < 0) {
        return fd;
    }
    int ret = 0;
    if (size > INT64_MAX || ftruncate(fd, (off_t)size) < 0) {
        ret = size > INT64_MAX ? -EFBIG : -errno;
        *err = g_strdup_printf("could not resize '%s': %s", filename,
                               g_strerror(-ret));
    }
    close(fd);
    return ret;
}

const BlockDriver blk_driver_raw = {
    .format_name = "raw",
    .state_size = sizeof(RawState),
    .probe = raw_probe,
    .open = raw_open,
    .close = raw_close,
    .preadv = raw_preadv,
    .pwritev = raw_pwritev,
    .flush = raw_flush,
    .discard = raw_discard,
    .write_zeroes = raw_write_zeroes,
    .truncate = raw_truncate,
    .get_info = raw_get_info,
    .create = raw_create,
};
