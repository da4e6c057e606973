/*
 * Semihosting's host files: the guest's file handles (small numbers from
 * 1, as QEMU hands them out) and the rule that confines the names a guest
 * gives to one host directory.  By default that is the directory Mimic
 * started in; -semihosting-config root=DIR picks another, root=/ gives
 * the guest the whole host file system as QEMU does.  Confined names are
 * resolved by the kernel beneath the root (openat2 RESOLVE_BENEATH): an
 * absolute name, a ".." that climbs out or a symlink that points out
 * fails with EACCES, checked at the open itself, so there is no window
 * between a check and the use.  Removing and renaming open the parent
 * directory the same way and act on a last component that is a plain name.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <glib.h>

#include "semihosting-internal.h"

#define SH_MAX_FDS 256

/* hostfd + 1 (0: the slot is free), so that the table starts all free. */
static int fd_table[SH_MAX_FDS];
static int root_fd = -1;
static bool confined;

bool sh_files_set_root(const char *root, char **err)
{
    if (root_fd >= 0)
        close(root_fd);
    root_fd = -1;
    confined = root != NULL;
    if (!confined)
        return true;
    root_fd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (root_fd < 0) {
        *err = g_strdup_printf("cannot open the semihosting root '%s': %s",
                               root, strerror(errno));
        return false;
    }
    return true;
}

int sh_fd_alloc(int hostfd)
{
    for (int i = 1; i < SH_MAX_FDS; i++) {
        if (!fd_table[i]) {
            fd_table[i] = hostfd + 1;
            return i;
        }
    }
    return -1;
}

int sh_fd_host(int64_t guestfd)
{
    if (guestfd < 1 || guestfd >= SH_MAX_FDS || !fd_table[guestfd])
        return -1;
    return fd_table[guestfd] - 1;
}

int sh_fd_close(int64_t guestfd)
{
    int hostfd = sh_fd_host(guestfd);

    if (hostfd < 0)
        return -EBADF;
    fd_table[guestfd] = 0;
    /* The console handles (":tt") share the emulator's own stdio. */
    if (hostfd > STDERR_FILENO && close(hostfd) < 0)
        return -errno;
    return 0;
}

/* An escape attempt reads as "permission denied" to the guest. */
static int confined_errno(int e)
{
    return e == EXDEV ? EACCES : e;
}

static int open_beneath(const char *name, int flags, mode_t mode)
{
    struct open_how how = {
        .flags = (uint64_t)(flags | O_CLOEXEC),
        .mode = (flags & O_CREAT) ? mode : 0,
        .resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS,
    };
    long fd = syscall(SYS_openat2, root_fd, name, &how, sizeof(how));

    if (fd < 0) {
        int e = confined_errno(errno);

        log_mask(LOG_GUEST_ERROR, "semihosting: cannot open '%s' beneath "
                 "the semihosting root: %s\n", name, strerror(e));
        return -e;
    }
    return (int)fd;
}

int sh_path_open(const char *name, int flags, mode_t mode)
{
    int fd;

    if (confined)
        return open_beneath(name, flags, mode);
    fd = open(name, flags | O_CLOEXEC, mode);
    return fd < 0 ? -errno : fd;
}

/*
 * Splits name into its parent directory, opened beneath the root (or
 * AT_FDCWD when not confined), and its last component, which must be a
 * plain name.  Returns the directory descriptor or -errno.
 */
static int open_parent(const char *name, const char **base)
{
    const char *slash = strrchr(name, '/');
    g_autofree char *dir = NULL;

    *base = slash ? slash + 1 : name;
    if (!confined)
        return AT_FDCWD;
    if (!**base || !strcmp(*base, ".") || !strcmp(*base, ".."))
        return -EACCES;
    dir = slash ? g_strndup(name, (gsize)(slash - name) + (slash == name))
                : g_strdup(".");
    return open_beneath(dir, O_PATH | O_DIRECTORY, 0);
}

static void close_parent(int fd)
{
    if (fd >= 0)
        close(fd);
}

int sh_path_remove(const char *name)
{
    const char *base;
    int dfd = open_parent(name, &base), r;

    if (dfd < 0 && dfd != AT_FDCWD)
        return dfd;
    r = unlinkat(dfd, confined ? base : name, 0) < 0 ? -errno : 0;
    close_parent(dfd);
    return r;
}

int sh_path_rename(const char *from, const char *to)
{
    const char *b1, *b2;
    int d1 = open_parent(from, &b1), d2, r;

    if (d1 < 0 && d1 != AT_FDCWD)
        return d1;
    d2 = open_parent(to, &b2);
    if (d2 < 0 && d2 != AT_FDCWD) {
        close_parent(d1);
        return d2;
    }
    r = renameat(d1, confined ? b1 : from, d2, confined ? b2 : to) < 0
            ? -errno : 0;
    close_parent(d1);
    close_parent(d2);
    return r;
}
