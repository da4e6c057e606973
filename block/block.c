/*
 * The generic block layer: opening an image with the right driver (named
 * or probed), its backing chain and -snapshot overlay, argument checks of
 * every request, and the scatter/gather and file I/O helpers the drivers
 * share.  The drivers (raw.c, qcow2*.c) implement struct BlockDriver
 * (block-int.h); everything public is in include/mimic/block.h.
 */
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "block-int.h"

/* Deeper chains are refused, which also stops a chain that loops. */
#define BLK_MAX_CHAIN 64
/* Requests with more iovec entries are bounced through one buffer, so
   drivers may slice a request into a small array on the stack. */
#define BLK_MAX_IOV 16

static const BlockDriver *const drivers[] = {
    &blk_driver_qcow2,
    &blk_driver_raw,
};

static const BlockDriver *find_driver(const char *format)
{
    for (size_t i = 0; i < G_N_ELEMENTS(drivers); i++) {
        if (strcmp(drivers[i]->format_name, format) == 0) {
            return drivers[i];
        }
    }
    return NULL;
}

bool blk_format_known(const char *format)
{
    return find_driver(format) != NULL;
}

/* What a file that is not an image is, for messages. */
static const char *file_kind(mode_t mode)
{
    return S_ISDIR(mode)    ? "a directory"
           : S_ISFIFO(mode) ? "a FIFO"
           : S_ISSOCK(mode) ? "a socket"
           : S_ISCHR(mode)  ? "a character device"
                            : "not a regular file";
}

/* open() that cannot block (a FIFO's open waits for a writer) and
   accepts only regular files and block devices. */
static int open_image_file(const char *path, int oflags, struct stat *st,
                           char **err)
{
    int fd = open(path, oflags | O_CLOEXEC | O_NONBLOCK, 0644);
    if (fd < 0) {
        int e = errno;
        if (e == EISDIR) {
            *err =
                g_strdup_printf("'%s' is a directory, not a disk image", path);
        } else {
            *err =
                g_strdup_printf("could not open '%s': %s", path, g_strerror(e));
        }
        return -e;
    }
    int e = fstat(fd, st) < 0 ? errno : 0;
    if (e) {
        *err = g_strdup_printf("could not stat '%s': %s", path, g_strerror(e));
    } else if (!S_ISREG(st->st_mode) && !S_ISBLK(st->st_mode)) {
        *err = g_strdup_printf("'%s' is %s, not a disk image (a regular "
                               "file or block device)",
                               path, file_kind(st->st_mode));
        e = EINVAL;
    } else if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK) < 0) {
        e = errno;
        *err = g_strdup_printf("could not open '%s': %s", path, g_strerror(e));
    }
    if (e) {
        close(fd);
        return -e;
    }
    return fd;
}

int blk_file_open(BlockBackend *blk, int flags, bool metadata, char **err)
{
    struct stat st;
    unsigned perm, unshared;
    int fd = open_image_file(
        blk->filename, (flags & BLK_RDONLY) ? O_RDONLY : O_RDWR, &st, err);
    if (fd < 0) {
        return fd;
    }
    blk->dev = st.st_dev;
    blk->ino = st.st_ino;
    if (flags & BLK_NO_LOCK) {
        return fd;
    }
    blk_lock_perms(flags, metadata, &perm, &unshared);
    int ret = blk_lock_fd(fd, blk->filename, perm, unshared, err);
    if (ret < 0) {
        close(fd);
        return ret;
    }
    return fd;
}

int blk_file_create(const char *filename, char **err)
{
    struct stat st;
    int fd = open_image_file(filename, O_RDWR | O_CREAT, &st, err);
    if (fd < 0) {
        return fd;
    }
    /* As QEMU's image creation: resize is not shared, write is, so only
       a user that writes or refuses writers stops us. */
    int ret = blk_lock_fd(fd, filename, BLK_PERM_WRITE | BLK_PERM_RESIZE,
                          BLK_PERM_RESIZE, err);
    if (ret == 0 && S_ISREG(st.st_mode) && ftruncate(fd, 0) < 0) {
        ret = -errno;
        *err = g_strdup_printf("could not truncate '%s': %s", filename,
                               g_strerror(errno));
    }
    if (ret < 0) {
        close(fd);
        return ret;
    }
    return fd;
}

const char *blk_probe_format(const char *filename, char **err)
{
    uint8_t buf[512];
    struct stat st;
    int fd = open_image_file(filename, O_RDONLY, &st, err);
    if (fd < 0) {
        return NULL;
    }
    ssize_t n = blk_file_pread(fd, 0, buf, sizeof(buf));
    close(fd);
    if (n < 0) {
        *err = g_strdup_printf("could not read '%s': %s", filename,
                               g_strerror((int)-n));
        return NULL;
    }
    const BlockDriver *best = &blk_driver_raw;
    int best_score = 0;
    for (size_t i = 0; i < G_N_ELEMENTS(drivers); i++) {
        int score = drivers[i]->probe ? drivers[i]->probe(buf, n) : 0;
        if (score > best_score) {
            best = drivers[i];
            best_score = score;
        }
    }
    return best->format_name;
}

static void blk_free(BlockBackend *blk)
{
    g_free(blk->opaque);
    g_free(blk->filename);
    g_free(blk->snapshot_base);
    g_free(blk);
}

static BlockBackend *open_chain(const char *filename, const char *format,
                                int flags, BlockBackend *overlay, int *ret,
                                char **err);

/* -snapshot: the image read-only under a temporary qcow2 overlay that is
   unlinked at once, so it goes away however the process ends. */
static BlockBackend *open_snapshot(const char *filename, const char *format,
                                   int flags, int *ret, char **err)
{
    int base_flags = (flags & ~BLK_SNAPSHOT) | BLK_RDONLY;
    BlockBackend *base =
        open_chain(filename, format, base_flags, NULL, ret, err);
    if (!base) {
        return NULL;
    }
    char *tmp = g_build_filename(g_get_tmp_dir(),
                                 "mimic-snapshot-XXXXXX.qcow2", NULL);
    int fd = g_mkstemp(tmp);
    if (fd < 0) {
        *ret = -errno;
        *err = g_strdup_printf("could not create a temporary overlay in "
                               "'%s': %s", g_get_tmp_dir(),
                               g_strerror(errno));
        g_free(tmp);
        blk_close(base);
        return NULL;
    }
    close(fd);
    char *abs = g_canonicalize_filename(filename, NULL);
    BlockCreateOptions opts = {
        .backing_file = abs,
        .backing_format = blk_format_name(base),
    };
    BlockBackend *top = NULL;
    *ret = blk_create(tmp, "qcow2", base->size, &opts, err);
    if (*ret == 0) {
        int top_flags = (flags & ~(BLK_SNAPSHOT | BLK_RDONLY | BLK_FORCE_SHARE |
                                   BLK_NO_LOCK)) |
                        BLK_NO_BACKING;
        top = open_chain(tmp, "qcow2", top_flags, NULL, ret, err);
    }
    unlink(tmp);
    g_free(tmp);
    g_free(abs);
    if (!top) {
        blk_close(base);
        return NULL;
    }
    top->backing = base;
    top->flags &= ~BLK_NO_BACKING;
    top->snapshot_base = g_strdup(filename);
    return top;
}

/* A chain that comes back to one of its images (by device and inode), or
   is too deep, is refused once, here, with a message naming its top. */
static int check_chain(const char *filename, BlockBackend *overlay, char **err)
{
    struct stat st;
    int depth = 0;
    BlockBackend *top = overlay;
    bool have_st = overlay && stat(filename, &st) == 0;
    for (BlockBackend *o = overlay; o; o = o->overlay) {
        if (have_st && o->dev == st.st_dev && o->ino == st.st_ino) {
            while (top->overlay) {
                top = top->overlay;
            }
            *err = g_strdup_printf("backing chain of '%s' loops back to "
                                   "'%s'",
                                   top->filename, o->filename);
            return -ELOOP;
        }
        top = o;
        depth++;
    }
    if (depth > BLK_MAX_CHAIN) {
        *err = g_strdup_printf("backing chain of '%s' is deeper than %d "
                               "images",
                               top->filename, BLK_MAX_CHAIN);
        return -ELOOP;
    }
    return 0;
}

static BlockBackend *open_chain(const char *filename, const char *format,
                                int flags, BlockBackend *overlay, int *ret,
                                char **err)
{
    *ret = check_chain(filename, overlay, err);
    if (*ret < 0) {
        return NULL;
    }
    if (flags & BLK_SNAPSHOT) {
        return open_snapshot(filename, format, flags, ret, err);
    }
    *ret = -EINVAL;
    if (!format) {
        format = blk_probe_format(filename, err);
        if (!format) {
            return NULL;
        }
    }
    const BlockDriver *drv = find_driver(format);
    if (!drv) {
        *err = g_strdup_printf("unknown format '%s' (known: raw, qcow2)",
                               format);
        return NULL;
    }
    BlockBackend *blk = g_new0(BlockBackend, 1);
    blk->drv = drv;
    blk->opaque = g_malloc0(drv->state_size);
    blk->filename = g_strdup(filename);
    blk->flags = flags;
    blk->overlay = overlay;
    *ret = drv->open(blk, flags, err);
    blk->overlay = NULL;
    if (*ret < 0) {
        blk_close(blk->backing);
        blk_free(blk);
        return NULL;
    }
    return blk;
}

BlockBackend *blk_open(const char *filename, const char *format, int flags,
                       char **err)
{
    int ret;
    if ((flags & BLK_FORCE_SHARE) && !(flags & BLK_RDONLY)) {
        *err = g_strdup("force-share=on can only be used with read-only "
                        "images");
        return NULL;
    }
    return open_chain(filename, format, flags, NULL, &ret, err);
}

char *blk_resolve_relative(const char *image, const char *name)
{
    if (g_path_is_absolute(name)) {
        return g_strdup(name);
    }
    char *dir = g_path_get_dirname(image);
    char *path = g_build_filename(dir, name, NULL);
    g_free(dir);
    return path;
}

int blk_open_backing(BlockBackend *blk, const char *name, const char *format,
                     char **err)
{
    char *path = blk_resolve_relative(blk->filename, name);
    char *sub = NULL;
    int bflags =
        BLK_RDONLY | (blk->flags & (BLK_CACHE_UNSAFE | BLK_FORCE_SHARE));
    int ret;
    if (format && !find_driver(format)) {
        *err = g_strdup_printf("backing file '%s' has unknown format '%s'",
                               name, format);
        g_free(path);
        return -ENOTSUP;
    }
    blk->backing = open_chain(path, format, bflags, blk, &ret, &sub);
    g_free(path);
    if (!blk->backing) {
        if (ret == -ELOOP) {
            *err = sub;
            return ret;
        }
        *err = g_strdup_printf("could not open backing file: %s", sub);
        g_free(sub);
        return ret < 0 ? ret : -EINVAL;
    }
    return 0;
}

void blk_close(BlockBackend *blk)
{
    if (!blk) {
        return;
    }
    if (!(blk->flags & (BLK_RDONLY | BLK_CACHE_UNSAFE)) && blk->drv->flush) {
        blk->drv->flush(blk);
    }
    blk->drv->close(blk);
    blk_close(blk->backing);
    blk_free(blk);
}

static int check_request(BlockBackend *blk, uint64_t offset, uint64_t len,
                         bool write)
{
    if (write && (blk->flags & BLK_RDONLY)) {
        return -EROFS;
    }
    if (offset > blk->size || len > blk->size - offset) {
        return -EINVAL;
    }
    return 0;
}

static size_t iov_size(const struct iovec *iov, int niov)
{
    size_t len = 0;
    for (int i = 0; i < niov; i++) {
        len += iov[i].iov_len;
    }
    return len;
}

int blk_preadv(BlockBackend *blk, uint64_t offset, const struct iovec *iov,
               int niov)
{
    size_t len = iov_size(iov, niov);
    int ret = check_request(blk, offset, len, false);
    if (ret < 0 || len == 0) {
        return ret;
    }
    if (niov <= BLK_MAX_IOV) {
        return blk->drv->preadv(blk, offset, iov, niov, len);
    }
    void *buf = g_try_malloc(len);
    if (!buf) {
        return -ENOMEM;
    }
    struct iovec one = { buf, len };
    ret = blk->drv->preadv(blk, offset, &one, 1, len);
    if (ret == 0) {
        blk_iov_from_buf(iov, niov, 0, buf, len);
    }
    g_free(buf);
    return ret;
}

/* BLK_PROBED_RAW: would the first sector after this write probe as
   another format?  Then the write is refused, as QEMU's raw driver does. */
static int check_probed_write(BlockBackend *blk, uint64_t offset,
                              const struct iovec *iov, int niov, size_t len)
{
    uint8_t first[512];
    if (!(blk->flags & BLK_PROBED_RAW) || offset >= sizeof(first)) {
        return 0;
    }
    size_t n = MIN(len, sizeof(first) - offset);
    size_t have = MIN(blk->size, sizeof(first));
    memset(first, 0, sizeof(first));
    if (offset > 0 || n < have) {
        struct iovec old = { first, have };
        int ret = blk->drv->preadv(blk, 0, &old, 1, have);
        if (ret < 0) {
            return ret;
        }
    }
    blk_iov_to_buf(iov, niov, 0, first + offset, n);
    for (size_t i = 0; i < G_N_ELEMENTS(drivers); i++) {
        if (drivers[i] != &blk_driver_raw && drivers[i]->probe &&
            drivers[i]->probe(first, sizeof(first)) > 1) {
            return -EPERM;
        }
    }
    return 0;
}

/* BLK_DETECT_ZEROES: whether the whole request is zeros. */
static bool iov_is_zero(const struct iovec *iov, int niov)
{
    for (int i = 0; i < niov; i++) {
        const uint8_t *p = iov[i].iov_base;
        for (size_t k = 0; k < iov[i].iov_len; k++) {
            if (p[k]) {
                return false;
            }
        }
    }
    return true;
}

int blk_pwritev(BlockBackend *blk, uint64_t offset, const struct iovec *iov,
                int niov)
{
    size_t len = iov_size(iov, niov);
    int ret = check_request(blk, offset, len, true);
    if (ret == 0 && len > 0) {
        ret = check_probed_write(blk, offset, iov, niov, len);
    }
    if (ret < 0 || len == 0) {
        return ret;
    }
    if ((blk->flags & BLK_DETECT_ZEROES) && iov_is_zero(iov, niov)) {
        bool unmap = (blk->flags & BLK_DETECT_ZEROES_UNMAP) != 0;
        return blk_write_zeroes(blk, offset, len, unmap);
    }
    if (niov <= BLK_MAX_IOV) {
        ret = blk->drv->pwritev(blk, offset, iov, niov, len);
    } else {
        void *buf = g_try_malloc(len);
        if (!buf) {
            return -ENOMEM;
        }
        blk_iov_to_buf(iov, niov, 0, buf, len);
        struct iovec one = { buf, len };
        ret = blk->drv->pwritev(blk, offset, &one, 1, len);
        g_free(buf);
    }
    if (ret == 0 && (blk->flags & BLK_CACHE_WRITETHROUGH)) {
        ret = blk->drv->flush(blk);
    }
    return ret;
}

int blk_pread(BlockBackend *blk, uint64_t offset, void *buf, size_t len)
{
    struct iovec iov = { buf, len };
    return blk_preadv(blk, offset, &iov, 1);
}

int blk_pwrite(BlockBackend *blk, uint64_t offset, const void *buf,
               size_t len)
{
    struct iovec iov = { (void *)buf, len };
    return blk_pwritev(blk, offset, &iov, 1);
}

int blk_flush(BlockBackend *blk)
{
    if (blk->flags & (BLK_RDONLY | BLK_CACHE_UNSAFE)) {
        return 0;
    }
    return blk->drv->flush(blk);
}

int blk_discard(BlockBackend *blk, uint64_t offset, uint64_t len)
{
    int ret = check_request(blk, offset, len, true);
    if (ret < 0 || len == 0 || !blk->drv->discard ||
        !(blk->flags & BLK_DISCARD_UNMAP)) {
        return ret; /* discard=ignore, QEMU's default */
    }
    return blk->drv->discard(blk, offset, len);
}

int blk_write_zeroes(BlockBackend *blk, uint64_t offset, uint64_t len,
                     bool unmap)
{
    int ret = check_request(blk, offset, len, true);
    if (ret < 0 || len == 0) {
        return ret;
    }
    unmap = unmap && (blk->flags & BLK_DISCARD_UNMAP);
    ret = blk->drv->write_zeroes(blk, offset, len, unmap);
    if (ret == 0 && (blk->flags & BLK_CACHE_WRITETHROUGH)) {
        ret = blk->drv->flush(blk);
    }
    return ret;
}

uint64_t blk_getlength(BlockBackend *blk)
{
    return blk->size;
}

int blk_truncate(BlockBackend *blk, uint64_t size, char **err)
{
    if (blk->flags & BLK_RDONLY) {
        *err = g_strdup("the image is opened read-only");
        return -EROFS;
    }
    if (!blk->drv->truncate) {
        *err = g_strdup_printf("format '%s' cannot be resized",
                               blk->drv->format_name);
        return -ENOTSUP;
    }
    return blk->drv->truncate(blk, size, err);
}

bool blk_is_read_only(BlockBackend *blk)
{
    return blk->flags & BLK_RDONLY;
}

const char *blk_cache_mode(BlockBackend *blk)
{
    return (blk->flags & BLK_CACHE_UNSAFE)         ? "writeback, ignore flushes"
           : (blk->flags & BLK_CACHE_WRITETHROUGH) ? "writethrough"
                                                    : "writeback";
}

const char *blk_format_name(BlockBackend *blk)
{
    return blk->drv->format_name;
}

const char *blk_filename(BlockBackend *blk)
{
    return blk->snapshot_base ? blk->snapshot_base : blk->filename;
}

BlockBackend *blk_backing(BlockBackend *blk)
{
    return blk->backing;
}

void blk_set_backing(BlockBackend *blk, BlockBackend *backing)
{
    blk_close(blk->backing);
    blk->backing = backing;
    blk->flags &= ~BLK_NO_BACKING;
}

int blk_info(BlockBackend *blk, BlockInfo *info)
{
    memset(info, 0, sizeof(*info));
    info->filename = g_strdup(blk_filename(blk));
    info->format = g_strdup(blk->drv->format_name);
    info->virtual_size = blk->size;
    return blk->drv->get_info ? blk->drv->get_info(blk, info) : 0;
}

void blk_info_free(BlockInfo *info)
{
    g_free(info->filename);
    g_free(info->format);
    g_free(info->backing_filename);
    g_free(info->full_backing_filename);
    g_free(info->backing_format);
    memset(info, 0, sizeof(*info));
}

int blk_check(BlockBackend *blk, bool fix_leaks, BlockCheckResult *res,
              char **err)
{
    memset(res, 0, sizeof(*res));
    if (!blk->drv->check) {
        *err = g_strdup("this image format does not support checks");
        return -ENOTSUP;
    }
    if (fix_leaks && (blk->flags & BLK_RDONLY)) {
        *err = g_strdup("cannot repair an image opened read-only");
        return -EROFS;
    }
    return blk->drv->check(blk, fix_leaks, res, err);
}

void blk_check_result_free(BlockCheckResult *res)
{
    g_free(res->messages);
    res->messages = NULL;
}

int blk_create(const char *filename, const char *format, uint64_t size,
               const BlockCreateOptions *opts, char **err)
{
    const BlockDriver *drv = find_driver(format);
    BlockCreateOptions none = { 0 };
    if (!drv) {
        *err = g_strdup_printf("unknown format '%s' (known: raw, qcow2)",
                               format);
        return -EINVAL;
    }
    return drv->create(filename, size, opts ? opts : &none, err);
}

int blk_read_backing(BlockBackend *blk, uint64_t offset,
                     const struct iovec *iov, int niov, size_t len)
{
    BlockBackend *b = blk->backing;
    uint64_t blen = b ? b->size : 0;
    size_t n = offset < blen ? MIN(len, blen - offset) : 0;
    if (n > 0) {
        struct iovec part[BLK_MAX_IOV];
        int np = blk_iov_slice(iov, niov, 0, n, part, BLK_MAX_IOV);
        int ret = np < 0 ? -EINVAL : b->drv->preadv(b, offset, part, np, n);
        if (ret < 0) {
            return ret;
        }
    }
    if (n < len) {
        blk_iov_memset(iov, niov, n, 0, len - n);
    }
    return 0;
}

/* The pieces of [pos, pos+len) of iov: returns how many were found (up to
   max), filling dst. */
static int blk_iov_pieces(const struct iovec *iov, int niov, size_t pos,
                      size_t len, struct iovec *dst, int max)
{
    int cnt = 0;
    for (int i = 0; i < niov && len > 0; i++) {
        if (pos >= iov[i].iov_len) {
            pos -= iov[i].iov_len;
            continue;
        }
        size_t n = MIN(iov[i].iov_len - pos, len);
        if (cnt == max) {
            return -1;
        }
        dst[cnt].iov_base = (uint8_t *)iov[i].iov_base + pos;
        dst[cnt].iov_len = n;
        cnt++;
        pos = 0;
        len -= n;
    }
    return cnt;
}

int blk_iov_slice(const struct iovec *iov, int niov, size_t pos, size_t len,
              struct iovec *dst, int max)
{
    return blk_iov_pieces(iov, niov, pos, len, dst, max);
}

/* The operations below see at most niov pieces. */
void blk_iov_to_buf(const struct iovec *iov, int niov, size_t pos, void *buf,
                size_t len)
{
    struct iovec part[niov > 0 ? niov : 1];
    int np = blk_iov_pieces(iov, niov, pos, len, part, niov);
    size_t done = 0;
    for (int i = 0; i < np; i++) {
        memcpy((uint8_t *)buf + done, part[i].iov_base, part[i].iov_len);
        done += part[i].iov_len;
    }
}

void blk_iov_from_buf(const struct iovec *iov, int niov, size_t pos,
                  const void *buf, size_t len)
{
    struct iovec part[niov > 0 ? niov : 1];
    int np = blk_iov_pieces(iov, niov, pos, len, part, niov);
    size_t done = 0;
    for (int i = 0; i < np; i++) {
        memcpy(part[i].iov_base, (const uint8_t *)buf + done,
               part[i].iov_len);
        done += part[i].iov_len;
    }
}

void blk_iov_memset(const struct iovec *iov, int niov, size_t pos, int c,
                size_t len)
{
    struct iovec part[niov > 0 ? niov : 1];
    int np = blk_iov_pieces(iov, niov, pos, len, part, niov);
    for (int i = 0; i < np; i++) {
        memset(part[i].iov_base, c, part[i].iov_len);
    }
}

ssize_t blk_file_pread(int fd, uint64_t offset, void *buf, size_t len)
{
    size_t done = 0;
    while (done < len) {
        ssize_t n = pread(fd, (uint8_t *)buf + done, len - done,
                          (off_t)(offset + done));
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            return -errno;
        }
        if (n == 0) {
            memset((uint8_t *)buf + done, 0, len - done);
            break;
        }
        done += n;
    }
    return (ssize_t)done;
}

int blk_file_pwrite(int fd, uint64_t offset, const void *buf, size_t len)
{
    size_t done = 0;
    while (done < len) {
        ssize_t n = pwrite(fd, (const uint8_t *)buf + done, len - done,
                           (off_t)(offset + done));
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            return -errno;
        }
        if (n == 0) {
            return -EIO;
        }
        done += n;
    }
    return 0;
}

ssize_t blk_file_preadv(int fd, uint64_t offset, const struct iovec *iov,
                        int niov, size_t len)
{
    size_t done = 0, in_file = 0;
    for (int i = 0; i < niov && done < len; i++) {
        size_t n = MIN(iov[i].iov_len, len - done);
        ssize_t r = blk_file_pread(fd, offset + done, iov[i].iov_base, n);
        if (r < 0) {
            return r;
        }
        in_file += r;
        done += n;
    }
    return (ssize_t)in_file;
}

int blk_file_pwritev(int fd, uint64_t offset, const struct iovec *iov,
                     int niov, size_t len)
{
    size_t done = 0;
    for (int i = 0; i < niov && done < len; i++) {
        size_t n = MIN(iov[i].iov_len, len - done);
        int r = blk_file_pwrite(fd, offset + done, iov[i].iov_base, n);
        if (r < 0) {
            return r;
        }
        done += n;
    }
    return 0;
}
