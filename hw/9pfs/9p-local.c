/*
 * The local backend of the 9P server: every host file operation the guest
 * can cause, on paths relative to the shared folder (9p-internal.h says
 * what a path is).  This file is the wall between the guest and the rest
 * of the host, and keeps it with three rules:
 *
 * - A path is only ever resolved beneath the folder's O_PATH fd, by
 *   openat2(RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS)
 *   (or, on a kernel without openat2, one O_NOFOLLOW openat per name).  A
 *   symlink on the way is an error, never followed, so one swapped in by a
 *   racing host process cannot redirect us.  The name an operation creates
 *   or removes is one checked component, used with the *at() call on the
 *   resolved parent fd, with the no-follow flag.
 * - An operation on the object itself goes through its O_PATH fd: fstatat
 *   and fchownat with AT_EMPTY_PATH, or the /proc/self/fd/N link of that fd
 *   (chmod, xattrs, truncate, the reopen for I/O), which names exactly that
 *   inode.  Symlinks are never reached that way (their fd would not be
 *   followed, but the calls that follow links are simply not used on them).
 * - Only regular files and directories are opened for I/O, with
 *   O_NONBLOCK and O_NOCTTY: a FIFO, socket or device node of the share
 *   never becomes an open host device and never blocks the main loop.
 *
 * In the mapped-xattr model the guest's owner, mode and device number live
 * in user.virtfs.{uid,gid,mode,rdev} (little-endian, as QEMU stores them,
 * so shares move between the two), host files are created with the
 * fsdev's fmode/dmode, and symlinks and device nodes the guest makes are
 * regular files on the host (a symlink's target is its content).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <glib.h>

#include "9p-internal.h"

#define XATTR_UID "user.virtfs.uid"
#define XATTR_GID "user.virtfs.gid"
#define XATTR_MODE "user.virtfs.mode"
#define XATTR_RDEV "user.virtfs.rdev"
#define XATTR_PREFIX "user.virtfs."
#define XATTR_LIST_MAX_BYTES 65536

typedef struct ProcPath {
    char s[40];
} ProcPath;

/* /proc/self/fd/N: the inode of our own fd N (never a guest string). */
static ProcPath proc_path(int fd)
{
    ProcPath p;

    snprintf(p.s, sizeof(p.s), "/proc/self/fd/%d", fd);
    return p;
}

static bool mapped(const FsDev *fs)
{
    return fs->model == FS_SM_MAPPED_XATTR;
}

/* The fallback of open_beneath for a kernel without openat2: one openat
   per name, each O_NOFOLLOW, the names before the last directories. */
static int open_by_names(int dirfd, const char *path, int flags, mode_t mode)
{
    g_auto(GStrv) names = g_strsplit(path, "/", -1);
    int cur = dirfd, fd = -1;

    for (guint i = 0; names[i]; i++) {
        bool last = !names[i + 1];

        if (!strcmp(names[i], "..") || !*names[i]) {
            fd = -EXDEV;
            break;
        }
        fd = last ? openat(cur, names[i], flags | O_NOFOLLOW | O_CLOEXEC, mode)
                  : openat(cur, names[i],
                           O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0)
            fd = -errno;
        if (cur != dirfd)
            close(cur);
        if (fd < 0 || last)
            break;
        cur = fd;
    }
    return fd;
}

static bool no_openat2;        /* the kernel has none (before 5.6) */

void p9l_use_openat2(bool use)
{
    no_openat2 = !use;
}

/* Opens path beneath dirfd, following no symlink at all; -errno. */
static int open_beneath(int dirfd, const char *path, int flags, mode_t mode)
{
    struct open_how how = {
        .flags = (uint64_t)(flags | O_NOFOLLOW | O_CLOEXEC),
        .mode = (flags & O_CREAT) ? mode : 0,
        .resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS |
                   RESOLVE_NO_MAGICLINKS,
    };

    for (int tries = 0; !no_openat2; tries++) {
        long fd = syscall(SYS_openat2, dirfd, path, &how, sizeof(how));

        if (fd >= 0)
            return (int)fd;
        /* EAGAIN: a rename raced the lookup; the kernel asks us to retry. */
        if (errno == EAGAIN && tries < 16)
            continue;
        if (errno != ENOSYS)
            return -errno;
        no_openat2 = true;
    }
    return open_by_names(dirfd, path, flags, mode);
}

int p9l_resolve(FsDev *fs, const char *path, int extra)
{
    return open_beneath(fs->root_fd, *path ? path : ".", O_PATH | extra, 0);
}

static int host_stat(int fd, struct stat *st)
{
    return fstatat(fd, "", st, AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW) < 0
               ? -errno : 0;
}

/* ---- Credentials ---- */

static bool get_le_xattr(const char *p, const char *name, uint64_t *v,
                         size_t size)
{
    uint8_t b[8];

    if (getxattr(p, name, b, size) != (ssize_t)size)
        return false;
    *v = 0;
    for (size_t i = 0; i < size; i++)
        *v |= (uint64_t)b[i] << (8 * i);
    return true;
}

static int set_le_xattr(const char *p, const char *name, uint64_t v,
                        size_t size)
{
    uint8_t b[8];

    for (size_t i = 0; i < size; i++)
        b[i] = (uint8_t)(v >> (8 * i));
    return setxattr(p, name, b, size, 0) < 0 ? -errno : 0;
}

/* The guest's view of a (non-symlink) host file in the mapped model. */
static void mapped_overlay(int fd, struct stat *st)
{
    ProcPath p = proc_path(fd);
    uint64_t v;

    if (get_le_xattr(p.s, XATTR_UID, &v, 4))
        st->st_uid = (uid_t)v;
    if (get_le_xattr(p.s, XATTR_GID, &v, 4))
        st->st_gid = (gid_t)v;
    if (get_le_xattr(p.s, XATTR_MODE, &v, 4))
        st->st_mode = (mode_t)v;
    if (get_le_xattr(p.s, XATTR_RDEV, &v, 8))
        st->st_rdev = (dev_t)v;
}

/* Gives a new file (fd: O_PATH or open) the guest's credentials. */
static int set_cred(FsDev *fs, int fd, const P9Cred *c, bool is_link)
{
    ProcPath p = proc_path(fd);
    struct stat st;
    int r;

    /* The /proc link of fd is only used on what is no symlink (a host
       process may have put one at the name since we made it). */
    if ((r = host_stat(fd, &st)))
        return r;
    if (S_ISLNK(st.st_mode) != is_link)
        return -ELOOP;

    if (mapped(fs)) {
        if ((r = set_le_xattr(p.s, XATTR_UID, c->uid, 4)) ||
            (r = set_le_xattr(p.s, XATTR_GID, c->gid, 4)) ||
            (r = set_le_xattr(p.s, XATTR_MODE, c->mode, 4)))
            return r;
        if (S_ISCHR(c->mode) || S_ISBLK(c->mode))
            return set_le_xattr(p.s, XATTR_RDEV, c->rdev, 8);
        return 0;
    }
    r = fchownat(fd, "", c->uid, c->gid, AT_EMPTY_PATH) < 0 ? -errno : 0;
    /* The emulator's umask must not change the mode the guest asked for. */
    if (!r && !is_link && chmod(p.s, c->mode & 07777) < 0)
        r = -errno;
    return fs->model == FS_SM_NONE ? 0 : r;
}

int p9l_stat(FsDev *fs, const char *path, struct stat *st)
{
    int fd = p9l_resolve(fs, path, 0), r;

    if (fd < 0)
        return fd;
    r = host_stat(fd, st);
    if (!r && mapped(fs) && !S_ISLNK(st->st_mode))
        mapped_overlay(fd, st);
    close(fd);
    return r;
}

int p9l_fstat(FsDev *fs, int fd, struct stat *st)
{
    if (fstat(fd, st) < 0)
        return -errno;
    if (mapped(fs))
        mapped_overlay(fd, st);
    return 0;
}

/* ---- Opening ---- */

/* Reopens the inode of O_PATH fd for I/O; refuses what is not a regular
   file or a directory. */
static int reopen(int opath, int flags)
{
    struct stat st, st2;
    int fd, r = host_stat(opath, &st);

    if (r)
        return r;
    if (!S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode))
        return S_ISLNK(st.st_mode) ? -ELOOP : -EACCES;
    if (S_ISDIR(st.st_mode) && (flags & O_ACCMODE) != O_RDONLY)
        return -EISDIR;
    flags &= ~(O_CREAT | O_EXCL | O_NOFOLLOW);
    fd = open(proc_path(opath).s, flags | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0)
        return -errno;
    /* The same inode, or something is very wrong with /proc. */
    if (fstat(fd, &st2) < 0 || st2.st_ino != st.st_ino ||
        st2.st_dev != st.st_dev) {
        close(fd);
        return -EIO;
    }
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    return fd;
}

int p9l_open(FsDev *fs, const char *path, int flags)
{
    int opath = p9l_resolve(fs, path, 0), fd;

    if (opath < 0)
        return opath;
    fd = reopen(opath, flags);
    close(opath);
    return fd;
}

/* The parent directory's fd of a new name. */
static int parent_fd(FsDev *fs, const char *dir, const char *name)
{
    int r = p9_name_check(name);

    return r ? r : p9l_resolve(fs, dir, O_DIRECTORY);
}

int p9l_create(FsDev *fs, const char *dir, const char *name, int flags,
               const P9Cred *cred)
{
    int dfd = parent_fd(fs, dir, name), fd, r;
    mode_t mode = mapped(fs) ? fs->fmode : (cred->mode & 07777);

    if (dfd < 0)
        return dfd;
    fd = open_beneath(dfd, name, (flags & ~O_CREAT) | O_CREAT | O_EXCL |
                      O_NONBLOCK | O_NOCTTY, mode);
    if (fd == -EEXIST && !(flags & O_EXCL)) {
        /* An existing file is opened as it is, its owner kept. */
        g_autofree char *path = p9_path_join(dir, name);

        close(dfd);
        return path ? p9l_open(fs, path, flags & ~O_CREAT) : -ENAMETOOLONG;
    }
    if (fd >= 0 && (r = set_cred(fs, fd, cred, false)) < 0) {
        close(fd);
        unlinkat(dfd, name, 0);
        fd = r;
    }
    close(dfd);
    if (fd >= 0)
        fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    return fd;
}

/* Sets the credentials of dfd/name, just made; removes it on failure. */
static int finish_new(FsDev *fs, int dfd, const char *name,
                      const P9Cred *cred, bool is_link, int rmflags)
{
    int fd = open_beneath(dfd, name, O_PATH, 0), r;

    if (fd < 0)
        return fd;
    r = set_cred(fs, fd, cred, is_link);
    close(fd);
    if (r < 0)
        unlinkat(dfd, name, rmflags);
    return r;
}

int p9l_mkdir(FsDev *fs, const char *dir, const char *name,
              const P9Cred *cred)
{
    int dfd = parent_fd(fs, dir, name), r;

    if (dfd < 0)
        return dfd;
    r = mkdirat(dfd, name, mapped(fs) ? fs->dmode : cred->mode & 07777);
    r = r < 0 ? -errno : finish_new(fs, dfd, name, cred, false, AT_REMOVEDIR);
    close(dfd);
    return r;
}

/* Mapped model: a regular file holding data, with the guest's creds. */
static int mapped_file(FsDev *fs, int dfd, const char *name, const void *data,
                       size_t len, const P9Cred *cred)
{
    int fd = open_beneath(dfd, name, O_CREAT | O_EXCL | O_WRONLY, fs->fmode);
    int r = 0;

    if (fd < 0)
        return fd;
    if (len && write(fd, data, len) != (ssize_t)len)
        r = -EIO;
    if (!r)
        r = set_cred(fs, fd, cred, false);
    close(fd);
    if (r < 0)
        unlinkat(dfd, name, 0);
    return r;
}

int p9l_symlink(FsDev *fs, const char *dir, const char *name,
                const char *target, const P9Cred *cred)
{
    P9Cred c = *cred;
    int dfd = parent_fd(fs, dir, name), r;

    if (dfd < 0)
        return dfd;
    c.mode = S_IFLNK | 0777;
    if (mapped(fs))
        r = mapped_file(fs, dfd, name, target, strlen(target), &c);
    else if (symlinkat(target, dfd, name) < 0)
        r = -errno;
    else
        r = finish_new(fs, dfd, name, &c, true, 0);
    close(dfd);
    return r;
}

int p9l_mknod(FsDev *fs, const char *dir, const char *name,
              const P9Cred *cred)
{
    mode_t type = cred->mode & S_IFMT;
    int dfd, r;

    if (type != S_IFREG && type != S_IFCHR && type != S_IFBLK &&
        type != S_IFIFO && type != S_IFSOCK)
        return -EINVAL;
    dfd = parent_fd(fs, dir, name);
    if (dfd < 0)
        return dfd;
    if (mapped(fs))
        r = mapped_file(fs, dfd, name, NULL, 0, cred);
    else if (mknodat(dfd, name, cred->mode, (dev_t)cred->rdev) < 0)
        r = -errno;
    else
        r = finish_new(fs, dfd, name, cred, false, 0);
    close(dfd);
    return r;
}

/* ---- Names ---- */

/* The parent fd and last name of an existing path (not the folder). */
static int split_fd(FsDev *fs, const char *path, char **name)
{
    g_autofree char *dir = NULL;
    int fd;

    if (!p9_path_split(path, &dir, name))
        return -EBUSY;      /* the shared folder itself */
    fd = p9l_resolve(fs, dir, O_DIRECTORY);
    if (fd < 0) {
        g_free(*name);
        *name = NULL;
    }
    return fd;
}

int p9l_link(FsDev *fs, const char *path, const char *dir, const char *name)
{
    g_autofree char *oname = NULL;
    int ofd, dfd, r;

    dfd = parent_fd(fs, dir, name);
    if (dfd < 0)
        return dfd;
    ofd = split_fd(fs, path, &oname);
    if (ofd < 0) {
        close(dfd);
        return ofd;
    }
    /* flags 0: a symlink is linked itself, never followed. */
    r = linkat(ofd, oname, dfd, name, 0) < 0 ? -errno : 0;
    close(ofd);
    close(dfd);
    return r;
}

int p9l_rename(FsDev *fs, const char *odir, const char *oname,
               const char *ndir, const char *nname)
{
    int ofd = parent_fd(fs, odir, oname), nfd, r;

    if (ofd < 0)
        return ofd;
    nfd = parent_fd(fs, ndir, nname);
    if (nfd < 0) {
        close(ofd);
        return nfd;
    }
    r = renameat(ofd, oname, nfd, nname) < 0 ? -errno : 0;
    close(ofd);
    close(nfd);
    return r;
}

int p9l_unlink(FsDev *fs, const char *dir, const char *name, int flags)
{
    int dfd = parent_fd(fs, dir, name), r;

    if (dfd < 0)
        return dfd;
    r = unlinkat(dfd, name, flags) < 0 ? -errno : 0;
    close(dfd);
    return r;
}

int p9l_readlink(FsDev *fs, const char *path, char *buf, size_t size)
{
    struct stat st;
    int fd = p9l_resolve(fs, path, 0), r;
    ssize_t n = -EINVAL;

    if (fd < 0)
        return fd;
    r = host_stat(fd, &st);
    if (r) {
        close(fd);
        return r;
    }
    if (S_ISLNK(st.st_mode)) {
        n = readlinkat(fd, "", buf, size - 1);
        n = n < 0 ? -errno : n;
    } else if (mapped(fs) && S_ISREG(st.st_mode)) {
        mapped_overlay(fd, &st);
        if (S_ISLNK(st.st_mode)) {
            int rfd = reopen(fd, O_RDONLY);

            n = rfd < 0 ? rfd : read(rfd, buf, size - 1);
            n = n < 0 && rfd >= 0 ? -errno : n;
            if (rfd >= 0)
                close(rfd);
        }
    }
    close(fd);
    if (n >= (ssize_t)size - 1)
        return -ENAMETOOLONG;
    if (n >= 0)
        buf[n] = '\0';
    return (int)n;
}

/* ---- Attributes ---- */

static int set_times(FsDev *fs, const char *path, int fd, bool is_link,
                     const P9SetAttr *a)
{
    struct timespec ts[2] = { { .tv_nsec = UTIME_OMIT },
                              { .tv_nsec = UTIME_OMIT } };
    g_autofree char *name = NULL;
    int dfd, r;

    if (a->valid & P9_SETATTR_ATIME)
        ts[0] = (a->valid & P9_SETATTR_ATIME_SET)
                    ? a->atime : (struct timespec){ .tv_nsec = UTIME_NOW };
    if (a->valid & P9_SETATTR_MTIME)
        ts[1] = (a->valid & P9_SETATTR_MTIME_SET)
                    ? a->mtime : (struct timespec){ .tv_nsec = UTIME_NOW };
    for (int i = 0; i < 2; i++) {
        if (ts[i].tv_nsec != UTIME_NOW && ts[i].tv_nsec != UTIME_OMIT &&
            (ts[i].tv_nsec < 0 || ts[i].tv_nsec >= 1000000000))
            return -EINVAL;
    }
    if (!is_link)
        return utimensat(AT_FDCWD, proc_path(fd).s, ts, 0) < 0 ? -errno : 0;
    dfd = split_fd(fs, path, &name);
    if (dfd < 0)
        return dfd;
    r = utimensat(dfd, name, ts, AT_SYMLINK_NOFOLLOW) < 0 ? -errno : 0;
    close(dfd);
    return r;
}

static int set_mode(FsDev *fs, int fd, const struct stat *host, uint32_t mode)
{
    if (mapped(fs)) {
        struct stat st = *host;

        mapped_overlay(fd, &st);
        return set_le_xattr(proc_path(fd).s, XATTR_MODE,
                            (st.st_mode & S_IFMT) | (mode & 07777), 4);
    }
    if (S_ISLNK(host->st_mode))
        return -EOPNOTSUPP;
    return chmod(proc_path(fd).s, mode & 07777) < 0 ? -errno : 0;
}

static int set_owner(FsDev *fs, int fd, const struct stat *host,
                     const P9SetAttr *a)
{
    uid_t uid = (a->valid & P9_SETATTR_UID) ? a->uid : (uid_t)-1;
    gid_t gid = (a->valid & P9_SETATTR_GID) ? a->gid : (gid_t)-1;
    ProcPath p = proc_path(fd);
    int r = 0;

    if (mapped(fs)) {
        if (S_ISLNK(host->st_mode))
            return -EOPNOTSUPP;
        if (uid != (uid_t)-1)
            r = set_le_xattr(p.s, XATTR_UID, uid, 4);
        if (!r && gid != (gid_t)-1)
            r = set_le_xattr(p.s, XATTR_GID, gid, 4);
        return r;
    }
    r = fchownat(fd, "", uid, gid, AT_EMPTY_PATH) < 0 ? -errno : 0;
    return fs->model == FS_SM_NONE ? 0 : r;
}

int p9l_setattr(FsDev *fs, const char *path, int fd, const P9SetAttr *a)
{
    struct stat host;
    int ofd = p9l_resolve(fs, path, 0), r;

    if (ofd < 0)
        return ofd;
    r = host_stat(ofd, &host);
    if (!r && (a->valid & P9_SETATTR_MODE))
        r = set_mode(fs, ofd, &host, a->mode);
    if (!r && (a->valid & (P9_SETATTR_ATIME | P9_SETATTR_MTIME)))
        r = set_times(fs, path, ofd, S_ISLNK(host.st_mode), a);
    if (!r && (a->valid & (P9_SETATTR_UID | P9_SETATTR_GID)))
        r = set_owner(fs, ofd, &host, a);
    if (!r && (a->valid & P9_SETATTR_SIZE)) {
        if (a->size > INT64_MAX)
            r = -EINVAL;
        else if (fd >= 0)
            r = ftruncate(fd, (off_t)a->size) < 0 ? -errno : 0;
        else if (!S_ISREG(host.st_mode))
            r = S_ISDIR(host.st_mode) ? -EISDIR : -EINVAL;
        else
            r = truncate(proc_path(ofd).s, (off_t)a->size) < 0 ? -errno : 0;
    }
    close(ofd);
    return r;
}

int p9l_statfs(FsDev *fs, const char *path, struct statfs *sf)
{
    int fd = p9l_resolve(fs, path, 0), r;

    if (fd < 0)
        return fd;
    r = fstatfs(fd, sf) < 0 ? -errno : 0;
    close(fd);
    return r;
}

/* ---- Extended attributes ---- */

enum { XA_HOST, XA_HIDDEN, XA_REFUSED };

/* The host name of the guest's xattr name in the mapped model: POSIX ACLs
   are kept under user.virtfs., the guest's own user.* are the host's, and
   the rest (security.*, trusted.*) is none of the guest's business. */
static int map_name(FsDev *fs, const char *name, char **host)
{
    if (!mapped(fs)) {
        *host = g_strdup(name);
        return XA_HOST;
    }
    if (g_str_has_prefix(name, XATTR_PREFIX))
        return XA_HIDDEN;
    if (!strcmp(name, "system.posix_acl_access") ||
        !strcmp(name, "system.posix_acl_default")) {
        *host = g_strconcat(XATTR_PREFIX, name, NULL);
        return XA_HOST;
    }
    if (g_str_has_prefix(name, "user.")) {
        *host = g_strdup(name);
        return XA_HOST;
    }
    return XA_REFUSED;
}

/* An O_PATH fd of a path whose xattrs can be reached (not a symlink). */
static int xattr_fd(FsDev *fs, const char *path, int *fd)
{
    struct stat st;
    int r;

    *fd = p9l_resolve(fs, path, 0);
    if (*fd < 0)
        return *fd;
    r = host_stat(*fd, &st);
    if (!r && S_ISLNK(st.st_mode))
        r = -ENODATA;
    if (r)
        close(*fd);
    return r;
}

ssize_t p9l_getxattr(FsDev *fs, const char *path, const char *name,
                     void *buf, size_t size)
{
    g_autofree char *host = NULL;
    ssize_t n;
    int fd, r = map_name(fs, name, &host);

    if (r != XA_HOST)
        return -ENODATA;
    r = xattr_fd(fs, path, &fd);
    if (r)
        return r;
    n = getxattr(proc_path(fd).s, host, buf, size);
    n = n < 0 ? -errno : n;
    close(fd);
    return n;
}

/* Appends the guest's name of host xattr h to out. */
static void list_one(FsDev *fs, const char *h, GString *out)
{
    if (!mapped(fs)) {
        g_string_append_len(out, h, (gssize)strlen(h) + 1);
    } else if (g_str_has_prefix(h, XATTR_PREFIX "system.posix_acl_")) {
        h += strlen(XATTR_PREFIX);
        g_string_append_len(out, h, (gssize)strlen(h) + 1);
    } else if (g_str_has_prefix(h, "user.") &&
               !g_str_has_prefix(h, XATTR_PREFIX)) {
        g_string_append_len(out, h, (gssize)strlen(h) + 1);
    }
}

ssize_t p9l_listxattr(FsDev *fs, const char *path, char *buf, size_t size)
{
    g_autofree char *raw = g_malloc(XATTR_LIST_MAX_BYTES);
    g_autoptr(GString) out = g_string_new(NULL);
    ssize_t n;
    int fd, r = xattr_fd(fs, path, &fd);

    if (r == -ENODATA)
        return 0;
    if (r)
        return r;
    n = listxattr(proc_path(fd).s, raw, XATTR_LIST_MAX_BYTES);
    close(fd);
    if (n < 0)
        return -errno;
    for (ssize_t i = 0; i < n; i += (ssize_t)strnlen(raw + i, (size_t)(n - i)) + 1) {
        if (raw[i])
            list_one(fs, raw + i, out);
    }
    if (!buf)
        return (ssize_t)out->len;
    if (out->len > size)
        return -ERANGE;
    memcpy(buf, out->str, out->len);
    return (ssize_t)out->len;
}

int p9l_setxattr(FsDev *fs, const char *path, const char *name,
                 const void *value, size_t size, int flags)
{
    g_autofree char *host = NULL;
    int fd, r = map_name(fs, name, &host);

    if (r != XA_HOST)
        return r == XA_HIDDEN ? -EACCES : -EOPNOTSUPP;
    r = xattr_fd(fs, path, &fd);
    if (r)
        return r == -ENODATA ? -EPERM : r;
    r = setxattr(proc_path(fd).s, host, value, size, flags) < 0 ? -errno : 0;
    close(fd);
    return r;
}

int p9l_removexattr(FsDev *fs, const char *path, const char *name)
{
    g_autofree char *host = NULL;
    int fd, r = map_name(fs, name, &host);

    if (r != XA_HOST)
        return r == XA_HIDDEN ? -EACCES : -ENODATA;
    r = xattr_fd(fs, path, &fd);
    if (r)
        return r;
    r = removexattr(proc_path(fd).s, host) < 0 ? -errno : 0;
    close(fd);
    return r;
}
