/*
 * The syscalls on files and descriptors.  Guest descriptors are host
 * descriptors and most calls pass through once their pointers are
 * checked; what is translated: open(2)'s flags (riscv64 and x86-64 both
 * use asm-generic's O_* numbers today, but the table keeps the two sides
 * apart), struct stat (asm-generic's is 128 bytes and laid out unlike
 * x86-64's 144; the guest's TargetUserInfo says which), the iovecs of readv/writev (their buffers are
 * guest pointers), and /proc/self/exe, which names the guest program, not
 * Mimic.  Extended attributes pass through with their names and buffers
 * checked.  Structures that are the same on both sides (statfs, statx,
 * termios, winsize, flock, linux_dirent64, timespec) are passed as they
 * are; the layouts are checked in tests/unit/test-user-syscall.c.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <glib.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#include "linux-user/safe-syscall.h"
#include "linux-user/syscall-internal.h"
#include "linux-user/user-signal.h"
#include "mimic/log.h"

#define GUEST_AT_FDCWD (-100)
#define GUEST_AT_EMPTY_PATH 0x1000

/* ---- open(2) flags ---- */

/* riscv64's numbers are asm-generic's <asm-generic/fcntl.h> (octal).  The
   host's O_LARGEFILE is the kernel's bit, which F_GETFL reports; glibc
   defines it as 0 on a 64-bit host, and the kernel's differs between
   hosts (arm64's 0100000 is O_NOFOLLOW). */
#if defined(__aarch64__)
#define HOST_O_LARGEFILE 0400000
#else
#define HOST_O_LARGEFILE 0100000
#endif
const OpenFlag open_flags[] = {
    { 0100, O_CREAT, "O_CREAT" },
    { 0200, O_EXCL, "O_EXCL" },
    { 0400, O_NOCTTY, "O_NOCTTY" },
    { 01000, O_TRUNC, "O_TRUNC" },
    { 02000, O_APPEND, "O_APPEND" },
    { 04000, O_NONBLOCK, "O_NONBLOCK" },
    { 010000, O_DSYNC, "O_DSYNC" },
    { 020000, O_ASYNC, "O_ASYNC" },
    { 040000, O_DIRECT, "O_DIRECT" },
    { 0100000, HOST_O_LARGEFILE, "O_LARGEFILE" },
    { 0200000, O_DIRECTORY, "O_DIRECTORY" },
    { 0400000, O_NOFOLLOW, "O_NOFOLLOW" },
    { 01000000, O_NOATIME, "O_NOATIME" },
    { 02000000, O_CLOEXEC, "O_CLOEXEC" },
    { 04000000, O_SYNC & ~O_DSYNC, "__O_SYNC" },
    { 010000000, O_PATH, "O_PATH" },
    { 020000000, O_TMPFILE & ~O_DIRECTORY, "__O_TMPFILE" },
    { 0 },
};

/* Maps each bit of v found in one column of open_flags to the other. */
static uint64_t map_open_flags(uint64_t v, bool to_host)
{
    uint64_t out = v & O_ACCMODE;

    for (size_t i = 0; open_flags[i].guest; i++) {
        uint64_t host = (unsigned)open_flags[i].host;
        if (v & (to_host ? open_flags[i].guest : host))
            out |= to_host ? host : open_flags[i].guest;
    }
    return out;
}

int open_flags_to_host(uint64_t guest_flags)
{
    return (int)map_open_flags(guest_flags, true);
}

uint64_t open_flags_to_guest(int host_flags)
{
    return map_open_flags((unsigned)host_flags, false);
}

/* ---- Paths ---- */

/* Whether path names this process's executable through /proc. */
bool is_proc_self_exe(const char *path)
{
    char mine[32];

    snprintf(mine, sizeof(mine), "/proc/%d/exe", (int)getpid());
    return strcmp(path, "/proc/self/exe") == 0 || strcmp(path, mine) == 0 ||
           strcmp(path, "/proc/thread-self/exe") == 0;
}

/* ---- read, write and their vectors ---- */

static int64_t sys_read(const uint64_t *a)
{
    void *p = guest_write_ptr(a[1], a[2]);
    return p ? safe_syscall(SYS_read, (int)a[0], p, a[2]) : -EFAULT;
}

static int64_t sys_write(const uint64_t *a)
{
    void *p = guest_read_ptr(a[1], a[2]);
    return p ? safe_syscall(SYS_write, (int)a[0], p, a[2]) : -EFAULT;
}

static int64_t sys_pread64(const uint64_t *a)
{
    void *p = guest_write_ptr(a[1], a[2]);
    return p ? safe_syscall(SYS_pread64, (int)a[0], p, a[2], a[3])
             : -EFAULT;
}

static int64_t sys_pwrite64(const uint64_t *a)
{
    void *p = guest_read_ptr(a[1], a[2]);
    return p ? safe_syscall(SYS_pwrite64, (int)a[0], p, a[2], a[3])
             : -EFAULT;
}

/* The guest's iovec array (same 16-byte layout as the host's) with its
   bases made host pointers; NULL with *err set.  g_free the result. */
struct iovec *iov_to_host(uint64_t addr, uint64_t count, bool write,
                                 int *err)
{
    if (count > IOV_MAX) {
        *err = -EINVAL;
        return NULL;
    }
    struct iovec *iov = g_new(struct iovec, count ? count : 1);
    if (!copy_from_guest(iov, addr, count * sizeof(*iov))) {
        g_free(iov);
        *err = -EFAULT;
        return NULL;
    }
    for (uint64_t i = 0; i < count; i++) {
        uint64_t base = (uintptr_t)iov[i].iov_base;
        iov[i].iov_base = write ? guest_write_ptr(base, iov[i].iov_len)
                                : guest_read_ptr(base, iov[i].iov_len);
        if (!iov[i].iov_base) {
            g_free(iov);
            *err = -EFAULT;
            return NULL;
        }
    }
    return iov;
}

/* readv, writev, preadv, pwritev: nr the host's, to_guest for the reads;
   the offset (a[3], one register on a 64-bit guest) only for the p*v. */
static int64_t do_vec_io(const uint64_t *a, long nr, bool to_guest)
{
    int err = -EFAULT;
    struct iovec *iov = iov_to_host(a[1], a[2], to_guest, &err);

    if (!iov)
        return err;
    int64_t r = safe_syscall(nr, (int)a[0], iov, (int)a[2], a[3], 0);
    g_free(iov);
    return r;
}

static int64_t sys_readv(const uint64_t *a)
{
    return do_vec_io(a, SYS_readv, true);
}

static int64_t sys_writev(const uint64_t *a)
{
    return do_vec_io(a, SYS_writev, false);
}

static int64_t sys_preadv(const uint64_t *a)
{
    return do_vec_io(a, SYS_preadv, true);
}

static int64_t sys_pwritev(const uint64_t *a)
{
    return do_vec_io(a, SYS_pwritev, false);
}

/* ---- Opening, closing, descriptors ---- */

static int64_t sys_openat(const uint64_t *a)
{
    int err;
    const char *path = guest_path(a[1], &err);

    int64_t fd;

    if (!path)
        return err;
    if (user_procfs_open(path, open_flags_to_host(a[2]), &fd))
        return fd;
    if (is_proc_self_exe(path) && user_exe_path)
        path = user_exe_path;
    return safe_syscall(SYS_openat, (int)a[0], path,
                            open_flags_to_host(a[2]), (unsigned)a[3]);
}

/* dup3 and pipe2 take O_CLOEXEC (and pipe2 O_NONBLOCK, O_DIRECT) only;
   a bit outside open(2)'s must still fail with EINVAL, so it is kept. */
static int small_flags_to_host(uint64_t guest)
{
    uint64_t known = 0;

    for (size_t i = 0; open_flags[i].guest; i++)
        known |= open_flags[i].guest;
    return open_flags_to_host(guest) | (int)(guest & ~known & ~O_ACCMODE);
}

static int64_t sys_dup3(const uint64_t *a)
{
    return host_ret(syscall(SYS_dup3, (int)a[0], (int)a[1],
                            small_flags_to_host(a[2])));
}

static int64_t sys_pipe2(const uint64_t *a)
{
    int fds[2];
    void *p = guest_write_ptr(a[0], sizeof(fds));

    if (!p)
        return -EFAULT;
    int64_t r = host_ret(syscall(SYS_pipe2, fds, small_flags_to_host(a[1])));
    if (r == 0)
        memcpy(p, fds, sizeof(fds));
    return r;
}

/* fcntl's commands have the same (asm-generic) numbers on both sides, and
   struct flock and f_owner_ex the same layout; the file status flags of
   F_GETFL/F_SETFL and the signal numbers of F_SETSIG/F_GETSIG are
   translated. */
static int64_t sys_fcntl(const uint64_t *a)
{
    int fd = (int)a[0], cmd = (int)a[1];
    void *p;

    switch (cmd) {
    case F_GETFL: {
        int64_t r = safe_syscall(SYS_fcntl, fd, cmd);
        return r < 0 ? r : (int64_t)open_flags_to_guest((int)r);
    }
    case F_SETFL:
        return safe_syscall(SYS_fcntl, fd, cmd,
                                open_flags_to_host(a[2]));
    case F_SETSIG: {
        /* The guest's number (0: SIGIO again) as the host's. */
        int hsig = a[2] == 0 ? 0
                 : a[2] <= TARGET_NSIG ? user_host_signal((int)a[2]) : -1;
        if (hsig < 0 || (a[2] && !hsig))
            return -EINVAL;
        return safe_syscall(SYS_fcntl, fd, cmd, hsig);
    }
    case F_GETSIG: {
        int64_t r = safe_syscall(SYS_fcntl, fd, cmd);
        return r <= 0 ? r : user_guest_signal((int)r);
    }
    case F_DUPFD: case F_DUPFD_CLOEXEC: case F_GETFD: case F_SETFD:
    case F_SETOWN: case F_GETOWN:
    case F_SETLEASE: case F_GETLEASE: case F_NOTIFY:
    case F_SETPIPE_SZ: case F_GETPIPE_SZ: case F_ADD_SEALS: case F_GET_SEALS:
        return safe_syscall(SYS_fcntl, fd, cmd, a[2]);
    case F_GETLK: case F_OFD_GETLK:
        p = guest_write_ptr(a[2], sizeof(struct flock));
        break;
    case F_SETLK: case F_SETLKW: case F_OFD_SETLK: case F_OFD_SETLKW:
        p = guest_read_ptr(a[2], sizeof(struct flock));
        break;
    case F_GETOWN_EX:
        p = guest_write_ptr(a[2], sizeof(struct f_owner_ex));
        break;
    case F_SETOWN_EX:
        p = guest_read_ptr(a[2], sizeof(struct f_owner_ex));
        break;
    default:
        log_mask(LOG_UNIMP, "fcntl: unknown command %d\n", cmd);
        return -EINVAL;
    }
    return p ? safe_syscall(SYS_fcntl, fd, cmd, p) : -EFAULT;
}

_Static_assert(sizeof(struct flock) == 32, "flock as riscv64's");

/* The terminal requests programs use.  The numbers and the structures
   (the kernel's 36-byte termios, not glibc's, and winsize) are the same
   on both sides: asm-generic's. */
typedef struct IoctlDef {
    unsigned req;
    char arg;                   /* 'r' read from the guest, 'w' written to
                                   it, 'i' an integer, '-' none */
    unsigned size;
} IoctlDef;

#define KERNEL_TERMIOS_SIZE 36
#define IFREQ_SIZE 40

_Static_assert(sizeof(struct ifreq) == IFREQ_SIZE, "riscv64's ifreq");
_Static_assert(sizeof(struct ifconf) == 16 &&
               offsetof(struct ifconf, ifc_buf) == 8, "riscv64's ifconf");

static const IoctlDef ioctls[] = {
    { TCGETS, 'w', KERNEL_TERMIOS_SIZE },
    { TCSETS, 'r', KERNEL_TERMIOS_SIZE },
    { TCSETSW, 'r', KERNEL_TERMIOS_SIZE },
    { TCSETSF, 'r', KERNEL_TERMIOS_SIZE },
    { TIOCGWINSZ, 'w', 8 },
    { TIOCSWINSZ, 'r', 8 },
    { TIOCGPGRP, 'w', 4 },
    { TIOCSPGRP, 'r', 4 },
    { TIOCGSID, 'w', 4 },
    { TIOCOUTQ, 'w', 4 },
    { FIONREAD, 'w', 4 },
    { FIONBIO, 'r', 4 },
    { TIOCGPTN, 'w', 4 },
    { TIOCSPTLCK, 'r', 4 },
    { TIOCSCTTY, 'i', 0 },
    { TCSBRK, 'i', 0 },
    { TCXONC, 'i', 0 },
    { TCFLSH, 'i', 0 },
    { TIOCNOTTY, '-', 0 },
    { FIOCLEX, '-', 0 },
    { FIONCLEX, '-', 0 },
    /* Sockets: SIOCINQ and SIOCOUTQ are FIONREAD and TIOCOUTQ; the
       interface requests read a struct ifreq (a name and a union of byte
       layouts, 40 bytes on both LP64 sides) and write their answer in it. */
    { SIOCATMARK, 'w', 4 },
    { SIOCGIFNAME, 'w', IFREQ_SIZE },
    { SIOCGIFINDEX, 'w', IFREQ_SIZE },
    { SIOCGIFFLAGS, 'w', IFREQ_SIZE },
    { SIOCGIFADDR, 'w', IFREQ_SIZE },
    { SIOCGIFDSTADDR, 'w', IFREQ_SIZE },
    { SIOCGIFBRDADDR, 'w', IFREQ_SIZE },
    { SIOCGIFNETMASK, 'w', IFREQ_SIZE },
    { SIOCGIFMTU, 'w', IFREQ_SIZE },
    { SIOCGIFHWADDR, 'w', IFREQ_SIZE },
    { SIOCGIFTXQLEN, 'w', IFREQ_SIZE },
};

/* SIOCGIFCONF: struct ifconf is {int len; pointer to ifreqs}, the
   pointer the guest's. */
static int64_t ioctl_ifconf(int fd, uint64_t addr)
{
    struct ifconf ifc;
    uint64_t buf;

    if (!copy_from_guest(&ifc, addr, sizeof(ifc)))
        return -EFAULT;
    buf = (uintptr_t)ifc.ifc_buf;
    if (buf) {
        ifc.ifc_buf = guest_write_ptr(buf, ifc.ifc_len < 0 ? 0 : ifc.ifc_len);
        if (!ifc.ifc_buf)
            return -EFAULT;
    }
    int64_t r = host_ret(syscall(SYS_ioctl, fd, SIOCGIFCONF, &ifc));
    if (r >= 0 && !copy_to_guest(addr + offsetof(struct ifconf, ifc_len),
                                 &ifc.ifc_len, sizeof(ifc.ifc_len)))
        return -EFAULT;
    return r;
}

static int64_t sys_ioctl(const uint64_t *a)
{
    int fd = (int)a[0];
    unsigned req = (unsigned)a[1];

    if (req == SIOCGIFCONF)
        return ioctl_ifconf(fd, a[2]);
    for (size_t i = 0; i < G_N_ELEMENTS(ioctls); i++) {
        const IoctlDef *d = &ioctls[i];
        if (d->req != req)
            continue;
        if (d->arg == 'i' || d->arg == '-')
            return safe_syscall(SYS_ioctl, fd, req, a[2]);
        void *p = d->arg == 'w' ? guest_write_ptr(a[2], d->size)
                                : guest_read_ptr(a[2], d->size);
        return p ? safe_syscall(SYS_ioctl, fd, req, p) : -EFAULT;
    }
    log_mask(LOG_UNIMP, "ioctl: unknown request 0x%x on fd %d\n", req, fd);
    return -ENOTTY;
}

/* ---- struct stat and friends ---- */

/* asm-generic's struct stat (riscv64, aarch64): 128 bytes. */
typedef struct TargetStat {
    uint64_t st_dev;
    uint64_t st_ino;
    uint32_t st_mode;
    uint32_t st_nlink;
    uint32_t st_uid;
    uint32_t st_gid;
    uint64_t st_rdev;
    uint64_t pad1;
    int64_t st_size;
    int32_t st_blksize;
    int32_t pad2;
    int64_t st_blocks;
    int64_t st_atime_sec, st_atime_nsec;
    int64_t st_mtime_sec, st_mtime_nsec;
    int64_t st_ctime_sec, st_ctime_nsec;
    uint32_t unused4, unused5;
} TargetStat;

_Static_assert(sizeof(TargetStat) == 128, "asm-generic struct stat");
_Static_assert(offsetof(TargetStat, st_size) == 48, "asm-generic st_size");
_Static_assert(offsetof(TargetStat, st_blocks) == 64,
               "asm-generic st_blocks");
_Static_assert(offsetof(TargetStat, st_ctime_nsec) == 112,
               "asm-generic ctime");

/* x86-64's struct stat: 144 bytes, st_nlink 64-bit and before st_mode. */
typedef struct TargetStatX86 {
    uint64_t st_dev;
    uint64_t st_ino;
    uint64_t st_nlink;
    uint32_t st_mode;
    uint32_t st_uid;
    uint32_t st_gid;
    uint32_t pad0;
    uint64_t st_rdev;
    int64_t st_size;
    int64_t st_blksize;
    int64_t st_blocks;
    int64_t st_atime_sec, st_atime_nsec;
    int64_t st_mtime_sec, st_mtime_nsec;
    int64_t st_ctime_sec, st_ctime_nsec;
    int64_t unused[3];
} TargetStatX86;

_Static_assert(sizeof(TargetStatX86) == 144, "x86-64 struct stat");
_Static_assert(offsetof(TargetStatX86, st_size) == 48, "x86-64 st_size");
_Static_assert(offsetof(TargetStatX86, st_atime_sec) == 72,
               "x86-64 st_atime");

/* Both layouts have the same fields, of different widths and order. */
#define STAT_FIELDS(st)                                                   \
    .st_dev = (st)->st_dev, .st_ino = (st)->st_ino,                       \
    .st_mode = (st)->st_mode, .st_nlink = (st)->st_nlink,                 \
    .st_uid = (st)->st_uid, .st_gid = (st)->st_gid,                       \
    .st_rdev = (st)->st_rdev, .st_size = (st)->st_size,                   \
    .st_blksize = (st)->st_blksize, .st_blocks = (st)->st_blocks,         \
    .st_atime_sec = (st)->st_atim.tv_sec,                                 \
    .st_atime_nsec = (st)->st_atim.tv_nsec,                               \
    .st_mtime_sec = (st)->st_mtim.tv_sec,                                 \
    .st_mtime_nsec = (st)->st_mtim.tv_nsec,                               \
    .st_ctime_sec = (st)->st_ctim.tv_sec,                                 \
    .st_ctime_nsec = (st)->st_ctim.tv_nsec

static int64_t stat_to_guest(uint64_t addr, const struct stat *st)
{
    if (guest_target()->stat_x86_64) {
        TargetStatX86 t = { STAT_FIELDS(st) };
        return copy_to_guest(addr, &t, sizeof(t)) ? 0 : -EFAULT;
    }
    TargetStat t = { STAT_FIELDS(st) };
    return copy_to_guest(addr, &t, sizeof(t)) ? 0 : -EFAULT;
}

static int64_t sys_fstat(const uint64_t *a)
{
    struct stat st;

    if (fstat((int)a[0], &st) != 0)
        return -errno;
    return stat_to_guest(a[1], &st);
}

/* newfstatat; a NULL path with AT_EMPTY_PATH means dirfd itself (6.11). */
static int64_t sys_newfstatat(const uint64_t *a)
{
    struct stat st;
    int err, flags = (int)a[3];
    const char *path = "";

    if (a[1] != 0 || !(flags & GUEST_AT_EMPTY_PATH)) {
        path = guest_path(a[1], &err);
        if (!path)
            return err;
    }
    if (fstatat((int)a[0], path, &st, flags) != 0)
        return -errno;
    return stat_to_guest(a[2], &st);
}

/* struct statx is the same everywhere: 256 bytes. */
static int64_t sys_statx(const uint64_t *a)
{
    int err;
    const char *path = "";
    void *buf = guest_write_ptr(a[4], 256);

    if (a[1] != 0 || !((int)a[2] & GUEST_AT_EMPTY_PATH)) {
        path = guest_path(a[1], &err);
        if (!path)
            return err;
    }
    if (!buf)
        return -EFAULT;
    return host_ret(syscall(SYS_statx, (int)a[0], path, (int)a[2],
                            (unsigned)a[3], buf));
}

/* struct statfs: on both sides ten 64-bit words, fsid and 4 spare words
   (riscv64's __statfs_word is 64-bit): 120 bytes. */
#define STATFS_SIZE 120

static int64_t sys_statfs(const uint64_t *a)
{
    int err;
    const char *path = guest_path(a[0], &err);
    void *buf = guest_write_ptr(a[1], STATFS_SIZE);

    if (!path)
        return err;
    return buf ? host_ret(syscall(SYS_statfs, path, buf)) : -EFAULT;
}

static int64_t sys_fstatfs(const uint64_t *a)
{
    void *buf = guest_write_ptr(a[1], STATFS_SIZE);
    return buf ? host_ret(syscall(SYS_fstatfs, (int)a[0], buf)) : -EFAULT;
}

/* linux_dirent64 has one layout everywhere. */
static int64_t sys_getdents64(const uint64_t *a)
{
    void *buf = guest_write_ptr(a[1], (unsigned)a[2]);
    return buf ? host_ret(syscall(SYS_getdents64, (int)a[0], buf,
                                  (unsigned)a[2]))
               : -EFAULT;
}

static int64_t sys_readlinkat(const uint64_t *a)
{
    int err;
    const char *path = guest_path(a[1], &err);
    int64_t size = (int)a[3];

    if (!path)
        return err;
    if (size <= 0)
        return -EINVAL;
    char *buf = guest_write_ptr(a[2], size);
    if (!buf)
        return -EFAULT;
    if (is_proc_self_exe(path) && user_exe_path) {
        int64_t n = MIN((int64_t)strlen(user_exe_path), size);
        memcpy(buf, user_exe_path, n);
        return n;
    }
    return host_ret(syscall(SYS_readlinkat, (int)a[0], path, buf, size));
}

/* getcwd returns the length with the NUL, written straight to the guest. */
static int64_t sys_getcwd(const uint64_t *a)
{
    void *buf = guest_write_ptr(a[0], a[1]);
    return buf ? host_ret(syscall(SYS_getcwd, buf, a[1])) : -EFAULT;
}

/* utimensat: the path may be NULL (then dirfd is the file), times NULL
   (now); struct timespec is two 64-bit words on both sides. */
static int64_t sys_utimensat(const uint64_t *a)
{
    int err;
    const char *path = NULL;
    const void *times = NULL;

    if (a[1]) {
        path = guest_path(a[1], &err);
        if (!path)
            return err;
    }
    if (a[2]) {
        times = guest_read_ptr(a[2], 32);
        if (!times)
            return -EFAULT;
    }
    return host_ret(syscall(SYS_utimensat, (int)a[0], path, times,
                            (int)a[3]));
}

/* ---- extended attributes ---- */

/* Each xattr call comes in three forms: on a path, on a path without
   following a last symlink (l), on a descriptor (f).  The name is at most
   255 bytes (the kernel: ERANGE beyond); a value or list buffer the
   kernel would clamp to XATTR_SIZE_MAX is checked up to that. */
enum { XATTR_ON_PATH, XATTR_ON_LINK, XATTR_ON_FD };
#define GUEST_XATTR_NAME_MAX 255
#define GUEST_XATTR_SIZE_MAX 65536

static const long xattr_get_nr[] = { SYS_getxattr, SYS_lgetxattr,
                                     SYS_fgetxattr };
static const long xattr_set_nr[] = { SYS_setxattr, SYS_lsetxattr,
                                     SYS_fsetxattr };
static const long xattr_list_nr[] = { SYS_listxattr, SYS_llistxattr,
                                      SYS_flistxattr };
static const long xattr_remove_nr[] = { SYS_removexattr, SYS_lremovexattr,
                                        SYS_fremovexattr };

/* The first argument as the host call takes it: a host path, or the
   descriptor. */
static bool xattr_target(int on, uint64_t arg, uintptr_t *out, int *err)
{
    const char *path;

    if (on == XATTR_ON_FD) {
        *out = (uintptr_t)(int)arg;
        return true;
    }
    path = guest_path(arg, err);
    *out = (uintptr_t)path;
    return path != NULL;
}

static const char *xattr_name(uint64_t addr, int *err)
{
    const char *name = guest_string(addr, GUEST_XATTR_NAME_MAX + 1, err);

    if (!name && *err == -ENAMETOOLONG)
        *err = -ERANGE;
    return name;
}

static int64_t xattr_get(int on, const uint64_t *a)
{
    uintptr_t t;
    int err;
    const char *name;
    uint64_t size = MIN(a[3], GUEST_XATTR_SIZE_MAX);
    void *value = NULL;

    if (!xattr_target(on, a[0], &t, &err) || !(name = xattr_name(a[1], &err)))
        return err;
    if (size && !(value = guest_write_ptr(a[2], size)))
        return -EFAULT;
    return host_ret(syscall(xattr_get_nr[on], t, name, value, (size_t)a[3]));
}

static int64_t xattr_set(int on, const uint64_t *a)
{
    uintptr_t t;
    int err;
    const char *name;
    const void *value = NULL;

    if (!xattr_target(on, a[0], &t, &err) || !(name = xattr_name(a[1], &err)))
        return err;
    if (a[3] > GUEST_XATTR_SIZE_MAX)
        return -E2BIG;
    if (a[3] && !(value = guest_read_ptr(a[2], a[3])))
        return -EFAULT;
    return host_ret(syscall(xattr_set_nr[on], t, name, value, (size_t)a[3],
                            (int)a[4]));
}

static int64_t xattr_list(int on, const uint64_t *a)
{
    uintptr_t t;
    int err;
    uint64_t size = MIN(a[2], GUEST_XATTR_SIZE_MAX);
    void *list = NULL;

    if (!xattr_target(on, a[0], &t, &err))
        return err;
    if (size && !(list = guest_write_ptr(a[1], size)))
        return -EFAULT;
    return host_ret(syscall(xattr_list_nr[on], t, list, (size_t)a[2]));
}

static int64_t xattr_remove(int on, const uint64_t *a)
{
    uintptr_t t;
    int err;
    const char *name;

    if (!xattr_target(on, a[0], &t, &err) || !(name = xattr_name(a[1], &err)))
        return err;
    return host_ret(syscall(xattr_remove_nr[on], t, name));
}

static int64_t sys_getxattr(const uint64_t *a)
{
    return xattr_get(XATTR_ON_PATH, a);
}

static int64_t sys_lgetxattr(const uint64_t *a)
{
    return xattr_get(XATTR_ON_LINK, a);
}

static int64_t sys_fgetxattr(const uint64_t *a)
{
    return xattr_get(XATTR_ON_FD, a);
}

static int64_t sys_setxattr(const uint64_t *a)
{
    return xattr_set(XATTR_ON_PATH, a);
}

static int64_t sys_lsetxattr(const uint64_t *a)
{
    return xattr_set(XATTR_ON_LINK, a);
}

static int64_t sys_fsetxattr(const uint64_t *a)
{
    return xattr_set(XATTR_ON_FD, a);
}

static int64_t sys_listxattr(const uint64_t *a)
{
    return xattr_list(XATTR_ON_PATH, a);
}

static int64_t sys_llistxattr(const uint64_t *a)
{
    return xattr_list(XATTR_ON_LINK, a);
}

static int64_t sys_flistxattr(const uint64_t *a)
{
    return xattr_list(XATTR_ON_FD, a);
}

static int64_t sys_removexattr(const uint64_t *a)
{
    return xattr_remove(XATTR_ON_PATH, a);
}

static int64_t sys_lremovexattr(const uint64_t *a)
{
    return xattr_remove(XATTR_ON_LINK, a);
}

static int64_t sys_fremovexattr(const uint64_t *a)
{
    return xattr_remove(XATTR_ON_FD, a);
}

const SyscallEntry syscall_file_table[] = {
    { SYSID_read, sys_read, "dpu" },
    { SYSID_write, sys_write, "dpu" },
    { SYSID_pread64, sys_pread64, "dpul" },
    { SYSID_pwrite64, sys_pwrite64, "dpul" },
    { SYSID_readv, sys_readv, "dpd" },
    { SYSID_writev, sys_writev, "dpd" },
    { SYSID_preadv, sys_preadv, "dpdl" },
    { SYSID_pwritev, sys_pwritev, "dpdl" },
    { SYSID_openat, sys_openat, "fsOm" },
    { SYSID_close, NULL, "d", 0, SYS_close },
    { SYSID_close_range, NULL, "ddx", 0, SYS_close_range },
    { SYSID_lseek, NULL, "dld", 0, SYS_lseek },
    { SYSID_dup, NULL, "d", 0, SYS_dup },
    { SYSID_dup3, sys_dup3, "ddO" },
    { SYSID_pipe2, sys_pipe2, "pO" },
    { SYSID_fcntl, sys_fcntl, "ddx" },
    { SYSID_ioctl, sys_ioctl, "dxp" },
    { SYSID_fstat, sys_fstat, "dp" },
    { SYSID_newfstatat, sys_newfstatat, "fspx" },
    { SYSID_statx, sys_statx, "fsxxp" },
    { SYSID_statfs, sys_statfs, "sp" },
    { SYSID_fstatfs, sys_fstatfs, "dp" },
    { SYSID_getdents64, sys_getdents64, "dpu" },
    { SYSID_readlinkat, sys_readlinkat, "fspd" },
    { SYSID_faccessat, NULL, "fso", 0, SYS_faccessat },
    { SYSID_faccessat2, NULL, "fsox", 0, SYS_faccessat2 },
    { SYSID_mkdirat, NULL, "fso", 0, SYS_mkdirat },
    { SYSID_mknodat, NULL, "fsox", 0, SYS_mknodat },
    { SYSID_unlinkat, NULL, "fsx", 0, SYS_unlinkat },
    { SYSID_renameat2, NULL, "fsfsx", 0, SYS_renameat2 },
    { SYSID_symlinkat, NULL, "sfs", 0, SYS_symlinkat },
    { SYSID_linkat, NULL, "fsfsx", 0, SYS_linkat },
    { SYSID_fchmod, NULL, "do", 0, SYS_fchmod },
    { SYSID_fchmodat, NULL, "fso", 0, SYS_fchmodat },
    { SYSID_fchown, NULL, "ddd", 0, SYS_fchown },
    { SYSID_fchownat, NULL, "fsddx", 0, SYS_fchownat },
    { SYSID_truncate, NULL, "sl", 0, SYS_truncate },
    { SYSID_ftruncate, NULL, "dl", 0, SYS_ftruncate },
    { SYSID_fallocate, NULL, "dxll", 0, SYS_fallocate },
    { SYSID_fadvise64, NULL, "dlld", 0, SYS_fadvise64 },
    { SYSID_fsync, NULL, "d", 0, SYS_fsync },
    { SYSID_fdatasync, NULL, "d", 0, SYS_fdatasync },
    { SYSID_sync, NULL, "", 0, SYS_sync },
    { SYSID_syncfs, NULL, "d", 0, SYS_syncfs },
    { SYSID_flock, NULL, "dx", 0, SYS_flock },
    { SYSID_chdir, NULL, "s", 0, SYS_chdir },
    { SYSID_fchdir, NULL, "d", 0, SYS_fchdir },
    { SYSID_chroot, NULL, "s", 0, SYS_chroot },
    { SYSID_getcwd, sys_getcwd, "pu" },
    { SYSID_umask, NULL, "o", 0, SYS_umask },
    { SYSID_utimensat, sys_utimensat, "fspx" },
    { SYSID_getxattr, sys_getxattr, "sspu" },
    { SYSID_lgetxattr, sys_lgetxattr, "sspu" },
    { SYSID_fgetxattr, sys_fgetxattr, "dspu" },
    { SYSID_setxattr, sys_setxattr, "sspux" },
    { SYSID_lsetxattr, sys_lsetxattr, "sspux" },
    { SYSID_fsetxattr, sys_fsetxattr, "dspux" },
    { SYSID_listxattr, sys_listxattr, "spu" },
    { SYSID_llistxattr, sys_llistxattr, "spu" },
    { SYSID_flistxattr, sys_flistxattr, "dpu" },
    { SYSID_removexattr, sys_removexattr, "ss" },
    { SYSID_lremovexattr, sys_lremovexattr, "ss" },
    { SYSID_fremovexattr, sys_fremovexattr, "ds" },
    { SYSID_NONE },
};
