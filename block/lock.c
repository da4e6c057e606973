/*
 * Image locking, interoperable with QEMU (7.2's file-posix driver) and
 * qemu-img: every user of an image file says, with open file description
 * (OFD) byte-range locks, which permissions it uses and which it does not
 * let others have.  Permission i (consistent-read 0, write 1,
 * write-unchanged 2, resize 3, graph-mod 4) in use is a shared lock on
 * byte 100 + i; "I do not share i" is a shared lock on byte 200 + i.  A
 * newcomer takes its own locks first, then tests for anyone else's: its
 * permissions against their 200 + i bytes, what it will not share against
 * their 100 + i bytes.  All locks are shared (read) locks, so two
 * newcomers that race both see each other and both fail: never both
 * succeed.  Locks belong to the file description, so they go away when
 * the image is closed or the process dies, however it dies.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <unistd.h>

#include "block-int.h"

#define LOCK_PERM_BASE 100
#define LOCK_SHARED_BASE 200
#define LOCK_NPERMS 5

static const char *const perm_names[LOCK_NPERMS] = {
    "consistent read", "write", "write unchanged", "resize", "change children",
};

/* One byte: F_RDLCK or F_UNLCK, or F_WRLCK to test (F_OFD_GETLK). */
static int lock_byte(int fd, int cmd, int off, short *type)
{
    struct flock fl = {
        .l_type = *type,
        .l_whence = SEEK_SET,
        .l_start = off,
        .l_len = 1,
    };
    int ret;
    do {
        ret = fcntl(fd, cmd, &fl);
    } while (ret < 0 && errno == EINTR);
    if (ret < 0) {
        return -errno;
    }
    *type = fl.l_type;
    return 0;
}

/* Sets our locks to exactly perm and unshared (bit masks). */
static int lock_apply(int fd, unsigned perm, unsigned unshared)
{
    for (int i = 0; i < LOCK_NPERMS; i++) {
        short a = (perm >> i) & 1 ? F_RDLCK : F_UNLCK;
        short b = (unshared >> i) & 1 ? F_RDLCK : F_UNLCK;
        int ret = lock_byte(fd, F_OFD_SETLK, LOCK_PERM_BASE + i, &a);
        if (ret == 0) {
            ret = lock_byte(fd, F_OFD_SETLK, LOCK_SHARED_BASE + i, &b);
        }
        if (ret < 0) {
            return ret;
        }
    }
    return 0;
}

/* Whether another file description holds a lock on byte off. */
static int held_by_other(int fd, int off, bool *held)
{
    short type = F_WRLCK;
    int ret = lock_byte(fd, F_OFD_GETLK, off, &type);
    *held = ret == 0 && type != F_UNLCK;
    return ret;
}

static int conflict(const char *filename, const char *what, bool ro, char **err)
{
    *err = g_strdup_printf("could not lock '%s': failed to get %s lock: "
                           "is another process (QEMU, qemu-img, Mimic) "
                           "using the image?%s",
                           filename, what,
                           ro ? " (-U / force-share=on reads it anyway)" : "");
    return -EAGAIN;
}

int blk_lock_change(int fd, const char *filename, unsigned old_perm,
                    unsigned old_unshared, unsigned perm, unsigned unshared,
                    char **err)
{
    int ret = lock_apply(fd, perm, unshared);
    if (ret == -EINVAL || ret == -ENOSYS || ret == -EOPNOTSUPP) {
        return 0; /* no OFD locks here (old kernel, some file systems) */
    }
    if (ret < 0) {
        *err = g_strdup_printf("could not lock '%s': %s", filename,
                               g_strerror(-ret));
        lock_apply(fd, old_perm, old_unshared);
        return ret;
    }
    bool ro = !(perm & BLK_PERM_WRITE);
    for (int i = 0; i < LOCK_NPERMS && ret == 0; i++) {
        bool held = false;
        char *what = NULL;
        if ((perm >> i) & 1) {
            ret = held_by_other(fd, LOCK_SHARED_BASE + i, &held);
            what = held ? g_strdup_printf("\"%s\"", perm_names[i]) : NULL;
        }
        if (ret == 0 && !held && ((unshared >> i) & 1)) {
            ret = held_by_other(fd, LOCK_PERM_BASE + i, &held);
            what =
                held ? g_strdup_printf("shared \"%s\"", perm_names[i]) : NULL;
        }
        if (ret < 0) {
            *err = g_strdup_printf("could not test the locks of '%s': %s",
                                   filename, g_strerror(-ret));
        } else if (held) {
            ret = conflict(filename, what, ro, err);
        }
        g_free(what);
    }
    if (ret < 0) {
        lock_apply(fd, old_perm, old_unshared);
    }
    return ret;
}

int blk_lock_fd(int fd, const char *filename, unsigned perm, unsigned unshared,
                char **err)
{
    return blk_lock_change(fd, filename, 0, 0, perm, unshared, err);
}

void blk_lock_perms(int flags, bool metadata, unsigned *perm,
                    unsigned *unshared)
{
    /* A format with metadata (qcow2) may grow its file and cannot let
       others resize it; raw does neither. */
    unsigned resize = metadata ? BLK_PERM_RESIZE : 0;
    *perm = BLK_PERM_CONSISTENT_READ;
    *unshared = BLK_PERM_WRITE | resize;
    if (flags & BLK_NO_IO) {
        *perm = 0; /* looks at the metadata only (qemu-img info) */
        *unshared = metadata ? *unshared : 0;
    }
    if (flags & BLK_FORCE_SHARE) {
        *unshared = 0;
    } else if (!(flags & BLK_RDONLY)) {
        *perm |= BLK_PERM_WRITE | resize;
    }
}
