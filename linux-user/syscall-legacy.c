/*
 * The syscalls older architectures keep and asm-generic dropped (x86-64
 * has them; riscv64 and aarch64 do not): each is its successor with the
 * arguments the kernel's own compatibility code supplies, so that there is
 * one implementation of each operation.  open is openat(AT_FDCWD, ...),
 * stat is newfstatat(AT_FDCWD, path, buf, 0), pipe is pipe2(fds, 0), poll
 * is ppoll with the milliseconds as a timespec (syscall-signal.c, as
 * select is pselect6's, syscall-net.c), and so on.  A guest whose
 * table lacks a number never reaches these.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <sys/time.h>
#include <time.h>

#include "linux-user/syscall-internal.h"
#include "linux-user/user-signal.h"

#define G_AT_FDCWD ((uint64_t)(int64_t)-100)
#define G_AT_SYMLINK_NOFOLLOW 0x100
#define G_AT_REMOVEDIR 0x200
#define G_O_WRONLY 01
#define G_O_CREAT 0100
#define G_O_TRUNC 01000
#define G_CLONE_VM 0x100
#define G_CLONE_VFORK 0x4000
#define G_SIGCHLD 17

/* call(ID, a, b, ...): the successor ID with those arguments. */
#define call(id, ...) \
    syscall_call_id(SYSID_##id, (const uint64_t[6]){ __VA_ARGS__ })

static int64_t sys_open(const uint64_t *a)
{
    return call(openat, G_AT_FDCWD, a[0], a[1], a[2]);
}

static int64_t sys_creat(const uint64_t *a)
{
    return call(openat, G_AT_FDCWD, a[0], G_O_CREAT | G_O_WRONLY | G_O_TRUNC,
                a[1]);
}

static int64_t sys_stat(const uint64_t *a)
{
    return call(newfstatat, G_AT_FDCWD, a[0], a[1], 0);
}

static int64_t sys_lstat(const uint64_t *a)
{
    return call(newfstatat, G_AT_FDCWD, a[0], a[1], G_AT_SYMLINK_NOFOLLOW);
}

static int64_t sys_access(const uint64_t *a)
{
    return call(faccessat, G_AT_FDCWD, a[0], a[1]);
}

static int64_t sys_mkdir(const uint64_t *a)
{
    return call(mkdirat, G_AT_FDCWD, a[0], a[1]);
}

static int64_t sys_mknod(const uint64_t *a)
{
    return call(mknodat, G_AT_FDCWD, a[0], a[1], a[2]);
}

static int64_t sys_unlink(const uint64_t *a)
{
    return call(unlinkat, G_AT_FDCWD, a[0], 0);
}

static int64_t sys_rmdir(const uint64_t *a)
{
    return call(unlinkat, G_AT_FDCWD, a[0], G_AT_REMOVEDIR);
}

static int64_t sys_rename(const uint64_t *a)
{
    return call(renameat2, G_AT_FDCWD, a[0], G_AT_FDCWD, a[1], 0);
}

static int64_t sys_link(const uint64_t *a)
{
    return call(linkat, G_AT_FDCWD, a[0], G_AT_FDCWD, a[1], 0);
}

static int64_t sys_symlink(const uint64_t *a)
{
    return call(symlinkat, a[0], G_AT_FDCWD, a[1]);
}

static int64_t sys_readlink(const uint64_t *a)
{
    return call(readlinkat, G_AT_FDCWD, a[0], a[1], a[2]);
}

static int64_t sys_chmod(const uint64_t *a)
{
    return call(fchmodat, G_AT_FDCWD, a[0], a[1]);
}

static int64_t sys_chown(const uint64_t *a)
{
    return call(fchownat, G_AT_FDCWD, a[0], a[1], a[2], 0);
}

static int64_t sys_lchown(const uint64_t *a)
{
    return call(fchownat, G_AT_FDCWD, a[0], a[1], a[2],
                G_AT_SYMLINK_NOFOLLOW);
}

static int64_t sys_pipe(const uint64_t *a)
{
    return call(pipe2, a[0], 0);
}

/* dup2(fd, fd) checks fd and returns it; dup3 would say EINVAL. */
static int64_t sys_dup2(const uint64_t *a)
{
    if (a[0] == a[1]) {
        int64_t r = call(fcntl, a[0], 1);   /* F_GETFD */
        return r < 0 ? r : (int64_t)(int)a[0];
    }
    return call(dup3, a[0], a[1], 0);
}

static int64_t sys_epoll_create(const uint64_t *a)
{
    return (int)a[0] <= 0 ? -EINVAL : call(epoll_create1, 0);
}

static int64_t sys_epoll_wait(const uint64_t *a)
{
    return call(epoll_pwait, a[0], a[1], a[2], a[3], 0, 8);
}

static int64_t sys_inotify_init(const uint64_t *a)
{
    return call(inotify_init1, 0);
}

static int64_t sys_eventfd(const uint64_t *a)
{
    return call(eventfd2, a[0], 0);
}

static int64_t sys_signalfd(const uint64_t *a)
{
    return call(signalfd4, a[0], a[1], a[2], 0);
}

static int64_t sys_getpgrp(const uint64_t *a)
{
    return call(getpgid, 0);
}

static int64_t sys_fork(const uint64_t *a)
{
    return call(clone, G_SIGCHLD, 0, 0, 0, 0);
}

static int64_t sys_vfork(const uint64_t *a)
{
    return call(clone, G_CLONE_VFORK | G_CLONE_VM | G_SIGCHLD, 0, 0, 0, 0);
}

/* pause: rt_sigsuspend with the mask the thread has. */
static int64_t sys_pause(const uint64_t *a)
{
    user_sigsuspend(user_sigmask());
    return -EINTR;
}

static int64_t sys_alarm(const uint64_t *a)
{
    struct itimerval it = { .it_value = { .tv_sec = (time_t)(unsigned)a[0] } };
    struct itimerval old;

    if (setitimer(ITIMER_REAL, &it, &old) != 0)
        return -errno;
    /* Linux rounds the remainder up to whole seconds, and never to 0 for
       a timer that is still running. */
    return old.it_value.tv_sec + (old.it_value.tv_usec >= 500000 ||
                                  (!old.it_value.tv_sec &&
                                   old.it_value.tv_usec));
}

static int64_t sys_time(const uint64_t *a)
{
    int64_t t = (int64_t)time(NULL);

    if (a[0] && !copy_to_guest(a[0], &t, sizeof(t)))
        return -EFAULT;
    return t;
}

const SyscallEntry syscall_legacy_table[] = {
    { SYSID_open, sys_open, "sOm" },
    { SYSID_creat, sys_creat, "so" },
    { SYSID_stat, sys_stat, "sp" },
    { SYSID_lstat, sys_lstat, "sp" },
    { SYSID_access, sys_access, "so" },
    { SYSID_mkdir, sys_mkdir, "so" },
    { SYSID_mknod, sys_mknod, "sox" },
    { SYSID_unlink, sys_unlink, "s" },
    { SYSID_rmdir, sys_rmdir, "s" },
    { SYSID_rename, sys_rename, "ss" },
    { SYSID_link, sys_link, "ss" },
    { SYSID_symlink, sys_symlink, "ss" },
    { SYSID_readlink, sys_readlink, "spd" },
    { SYSID_chmod, sys_chmod, "so" },
    { SYSID_chown, sys_chown, "sdd" },
    { SYSID_lchown, sys_lchown, "sdd" },
    { SYSID_pipe, sys_pipe, "p" },
    { SYSID_dup2, sys_dup2, "dd" },
    { SYSID_epoll_create, sys_epoll_create, "d" },
    { SYSID_epoll_wait, sys_epoll_wait, "dpdd" },
    { SYSID_inotify_init, sys_inotify_init, "" },
    { SYSID_eventfd, sys_eventfd, "u" },
    { SYSID_signalfd, sys_signalfd, "dpu" },
    { SYSID_getpgrp, sys_getpgrp, "" },
    { SYSID_fork, sys_fork, "" },
    { SYSID_vfork, sys_vfork, "" },
    { SYSID_pause, sys_pause, "" },
    { SYSID_alarm, sys_alarm, "u" },
    { SYSID_time, sys_time, "p" },
    { SYSID_NONE },
};
