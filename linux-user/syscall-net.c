/*
 * The syscalls of I/O multiplexing (ppoll, pselect6, epoll), special
 * descriptors (eventfd, timerfd, signalfd, inotify, memfd), moving data
 * between descriptors (sendfile, splice, tee, vmsplice, copy_file_range)
 * and sockets.  Guest descriptors are host descriptors.
 *
 * riscv64 and x86-64 are both LP64 with the same alignments, and both use
 * asm-generic's socket option levels and numbers, SOCK_*, MSG_*, SCM_*,
 * EPOLL*, EFD_*, TFD_* and IN_* flags (O_NONBLOCK 04000 and O_CLOEXEC
 * 02000000 on both), so the byte layouts of sockaddr, pollfd, fd_set,
 * itimerspec, timeval, timespec, ucred, cmsghdr (control data is passed
 * in place: SCM_RIGHTS descriptors and SCM_CREDENTIALS pids need no
 * change either), signalfd_siginfo, inotify_event and ifreq are the same;
 * the sizes and offsets were compared with a program built by both
 * compilers.  What is translated:
 *   - struct epoll_event: packed, 12 bytes on x86-64; 16 on riscv64 (the
 *     64-bit data at offset 8);
 *   - everything holding a guest pointer: msghdr and mmsghdr (name, iovec
 *     array, control), iovecs, pselect6's {sigset pointer, size}, the
 *     sock_fprog of SO_ATTACH_FILTER;
 *   - the signal masks of the waits (see wait_sigmask).
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <glib.h>
#include <limits.h>
#include <signal.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <sys/uio.h>
#include <unistd.h>
#include <linux/filter.h>

#include "linux-user/safe-syscall.h"
#include "linux-user/syscall-internal.h"
#include "linux-user/user-signal.h"

/* The guest's numbers (asm-generic) are the host's: checked here, so the
   flags of socket, accept4, eventfd2, timerfd_create, inotify_init1,
   epoll_create1 and the MSG_* flags pass as they are. */
_Static_assert(SOCK_NONBLOCK == 04000 && SOCK_CLOEXEC == 02000000 &&
               EFD_NONBLOCK == 04000 && EFD_CLOEXEC == 02000000 &&
               TFD_NONBLOCK == 04000 && TFD_CLOEXEC == 02000000 &&
               IN_NONBLOCK == 04000 && IN_CLOEXEC == 02000000 &&
               EPOLL_CLOEXEC == 02000000, "asm-generic's flags");
_Static_assert(SOL_SOCKET == 1 && SO_RCVBUF == 8 && SO_RCVTIMEO == 20 &&
               SO_SNDTIMEO == 21 && SO_PEERCRED == 17 &&
               SO_ATTACH_FILTER == 26 && SCM_RIGHTS == 1 &&
               SCM_CREDENTIALS == 2 && MSG_CMSG_CLOEXEC == 0x40000000,
               "asm-generic's socket numbers");
/* struct msghdr, mmsghdr and cmsghdr as riscv64's (LP64). */
_Static_assert(sizeof(struct msghdr) == 56 &&
               offsetof(struct msghdr, msg_namelen) == 8 &&
               offsetof(struct msghdr, msg_iov) == 16 &&
               offsetof(struct msghdr, msg_control) == 32 &&
               offsetof(struct msghdr, msg_controllen) == 40 &&
               offsetof(struct msghdr, msg_flags) == 48 &&
               sizeof(struct mmsghdr) == 64 && sizeof(struct cmsghdr) == 16,
               "riscv64's msghdr");
_Static_assert(sizeof(struct iovec) == 16, "riscv64's iovec");

#define GUEST_SIGSET_SIZE 8
#define GUEST_SIGBUS 7
#define GUEST_SIGSEGV 11
#define SOCKADDR_MAX 128            /* sizeof(struct sockaddr_storage) */
#define GUEST_UIO_MAXIOV 1024

/* ---- Signal masks of the waits ---- */

/*
 * ppoll, pselect6, epoll_pwait and epoll_pwait2 set the mask the guest
 * gives for the time of the wait, as sigsuspend does: they go through
 * user_signal_wait_call, which makes that mask the guest's (so a signal
 * it lets through runs its handler under it, and the old mask comes back
 * after the handler), fails with EINTR at once when such a signal is
 * already pending, and hands the host call the host mask to wait with.
 * The guest's mask: *mask; the result is 0, -EINVAL for a size other
 * than 8, or -EFAULT.
 */
static int wait_sigmask(uint64_t addr, uint64_t size, uint64_t *mask)
{
    if (size != GUEST_SIGSET_SIZE)
        return -EINVAL;
    if (!copy_from_guest(mask, addr, sizeof(*mask)))
        return -EFAULT;
    return 0;
}

/* A timeout (struct timespec, the same on both sides) the kernel reads
   and, for ppoll and pselect6, writes back with the time left: copied in
   here, and out by timeout_out (whose failure is ignored, as Linux's). */
static int timeout_in(uint64_t addr, struct timespec *ts, struct timespec **p)
{
    *p = NULL;
    if (!addr)
        return 0;
    if (!copy_from_guest(ts, addr, sizeof(*ts)))
        return -EFAULT;
    *p = ts;
    return 0;
}

static void timeout_out(uint64_t addr, const struct timespec *ts)
{
    if (addr)
        copy_to_guest(addr, ts, sizeof(*ts));
}

/* ---- poll and select ---- */

/* ppoll is syscall-signal.c's: it waits for the guest's signals too. */

/* fd_set is an array of 64-bit words on both sides, used in place; the
   sixth argument is {const sigset_t *, size_t}, whose pointer is the
   guest's. */
typedef struct PselectArgs {
    int n;
    void *sets[3];
    struct timespec *ts;
    bool has_sig;   /* a sixth argument (even one naming no mask) */
} PselectArgs;

/* The three fd_sets of select/pselect6 (a[1..3]), each optional. */
static int select_sets(PselectArgs *p, const uint64_t *a)
{
    bool bad = false;

    if (p->n < 0)
        return -EINVAL;
    uint64_t bytes = ((uint64_t)p->n + 63) / 64 * 8;
    for (int i = 0; i < 3; i++)
        p->sets[i] = guest_opt_ptr(a[1 + i], bytes, true, &bad);
    return bad ? -EFAULT : 0;
}

static int64_t host_pselect6(void *arg, const sigset_t *host_mask)
{
    PselectArgs *p = arg;
    struct { const sigset_t *set; size_t size; } hsig = {
        host_mask, GUEST_SIGSET_SIZE
    };

    return host_ret(syscall(SYS_pselect6, p->n, p->sets[0], p->sets[1],
                            p->sets[2], p->ts, &hsig));
}

static int64_t sys_pselect6(const uint64_t *a)
{
    PselectArgs p = { .n = (int)a[0] };
    struct timespec ts;
    uint64_t sig[2], mask;
    int err;

    if ((err = select_sets(&p, a)) != 0)
        return err;
    if ((err = timeout_in(a[4], &ts, &p.ts)) != 0)
        return err;
    sig[0] = 0;
    if (a[5]) {
        if (!copy_from_guest(sig, a[5], sizeof(sig)))
            return -EFAULT;
        if (sig[0] && (err = wait_sigmask(sig[0], sig[1], &mask)) != 0)
            return err;
    }
    int64_t r = user_signal_wait_call(sig[0] ? &mask : NULL, host_pselect6,
                                      &p);
    if (p.ts)
        timeout_out(a[4], p.ts);
    return r;
}

/* select (x86-64): pselect6 without a mask, the timeout a struct timeval
   (two 64-bit words) in which Linux leaves the time that remained. */
static int64_t sys_select(const uint64_t *a)
{
    PselectArgs p = { .n = (int)a[0] };
    struct timespec ts;
    int64_t tv[2];
    int err;

    if ((err = select_sets(&p, a)) != 0)
        return err;
    if (a[4]) {
        if (!copy_from_guest(tv, a[4], sizeof(tv)))
            return -EFAULT;
        if (tv[0] < 0 || tv[1] < 0 || tv[1] >= 1000000)
            return -EINVAL;
        ts.tv_sec = tv[0];
        ts.tv_nsec = tv[1] * 1000;
        p.ts = &ts;
    }
    int64_t r = user_signal_wait_call(NULL, host_pselect6, &p);
    if (p.ts) {
        tv[0] = ts.tv_sec;
        tv[1] = ts.tv_nsec / 1000;
        copy_to_guest(a[4], tv, sizeof(tv));
    }
    return r;
}

/* ---- epoll ---- */

/* asm-generic's struct epoll_event (riscv64, and an aarch64 host's):
   not packed, 16 bytes; x86-64's is packed, 12 bytes
   (TargetUserInfo.epoll_packed).  Each is converted field by field
   from or to the host's, whichever that is. */
typedef struct TargetEpollEvent {
    uint32_t events;
    uint32_t pad;
    uint64_t data;
} TargetEpollEvent;

typedef struct __attribute__((packed)) TargetEpollEventPacked {
    uint32_t events;
    uint64_t data;
} TargetEpollEventPacked;

_Static_assert(sizeof(TargetEpollEvent) == 16, "asm-generic epoll_event");
_Static_assert(sizeof(TargetEpollEventPacked) == 12, "x86-64's epoll_event");

static size_t guest_epoll_event_size(void)
{
    return guest_target()->epoll_packed ? sizeof(TargetEpollEventPacked)
                                        : sizeof(TargetEpollEvent);
}

/* The guest's event at p, of either layout, into a host one. */
static void epoll_event_from_guest(struct epoll_event *ev, const void *p)
{
    if (guest_target()->epoll_packed) {
        TargetEpollEventPacked t;
        memcpy(&t, p, sizeof(t));
        ev->events = t.events;
        ev->data.u64 = t.data;
    } else {
        TargetEpollEvent t;
        memcpy(&t, p, sizeof(t));
        ev->events = t.events;
        ev->data.u64 = t.data;
    }
}

static void epoll_event_to_guest(void *p, const struct epoll_event *ev)
{
    if (guest_target()->epoll_packed) {
        TargetEpollEventPacked t = { .events = ev->events,
                                     .data = ev->data.u64 };
        memcpy(p, &t, sizeof(t));
    } else {
        TargetEpollEvent t = { .events = ev->events, .data = ev->data.u64 };
        memcpy(p, &t, sizeof(t));
    }
}

static int64_t sys_epoll_ctl(const uint64_t *a)
{
    TargetEpollEvent t;
    struct epoll_event ev, *evp = NULL;

    /* EPOLL_CTL_DEL ignores the event (a NULL one is fine). */
    if (a[3] || (int)a[1] != EPOLL_CTL_DEL) {
        if (!copy_from_guest(&t, a[3], guest_epoll_event_size()))
            return -EFAULT;
        epoll_event_from_guest(&ev, &t);
        evp = &ev;
    }
    return host_ret(syscall(SYS_epoll_ctl, (int)a[0], (int)a[1], (int)a[2],
                            evp));
}

/* epoll_pwait (timeout in ms, a[3]) and epoll_pwait2 (a struct timespec
   pointer); the events are copied out one by one. */
typedef struct EpollArgs {
    int fd, maxevents, timeout_ms;
    struct epoll_event *ev;
    struct timespec *ts;
    bool pwait2;
} EpollArgs;

static int64_t host_epoll_wait(void *arg, const sigset_t *host_mask)
{
    EpollArgs *p = arg;

    return host_ret(p->pwait2
        ? syscall(SYS_epoll_pwait2, p->fd, p->ev, p->maxevents, p->ts,
                  host_mask, (size_t)GUEST_SIGSET_SIZE)
        : syscall(SYS_epoll_pwait, p->fd, p->ev, p->maxevents, p->timeout_ms,
                  host_mask, (size_t)GUEST_SIGSET_SIZE));
}

static int64_t do_epoll_wait(const uint64_t *a, bool pwait2)
{
    EpollArgs p = { .fd = (int)a[0], .maxevents = (int)a[2],
                    .timeout_ms = (int)a[3], .pwait2 = pwait2 };
    struct timespec ts;
    uint64_t mask;
    int err;

    size_t esize = guest_epoll_event_size();

    if (p.maxevents <= 0 || p.maxevents > INT_MAX / (int)esize)
        return -EINVAL;
    uint8_t *out = guest_write_ptr(a[1], (uint64_t)p.maxevents * esize);
    if (!out)
        return -EFAULT;
    if (pwait2 && a[3]) {
        if (!copy_from_guest(&ts, a[3], sizeof(ts)))
            return -EFAULT;
        p.ts = &ts;
    }
    if (a[4] && (err = wait_sigmask(a[4], a[5], &mask)) != 0)
        return err;
    p.ev = g_new(struct epoll_event, p.maxevents);
    int64_t r = user_signal_wait_call(a[4] ? &mask : NULL, host_epoll_wait,
                                      &p);
    for (int64_t i = 0; i < r; i++)
        epoll_event_to_guest(out + i * esize, &p.ev[i]);
    g_free(p.ev);
    return r;
}

static int64_t sys_epoll_pwait(const uint64_t *a)
{
    return do_epoll_wait(a, false);
}

static int64_t sys_epoll_pwait2(const uint64_t *a)
{
    return do_epoll_wait(a, true);
}

/* ---- timerfd, signalfd, memfd ---- */

/* struct itimerspec: four 64-bit words on both sides. */
static int64_t sys_timerfd_settime(const uint64_t *a)
{
    bool bad = false;
    void *new = guest_read_ptr(a[2], sizeof(struct itimerspec));
    void *old = guest_opt_ptr(a[3], sizeof(struct itimerspec), true, &bad);

    if (!new || bad)
        return -EFAULT;
    return host_ret(syscall(SYS_timerfd_settime, (int)a[0], (int)a[1], new,
                            old));
}

static int64_t sys_timerfd_gettime(const uint64_t *a)
{
    void *cur = guest_write_ptr(a[1], sizeof(struct itimerspec));
    return cur ? host_ret(syscall(SYS_timerfd_gettime, (int)a[0], cur))
               : -EFAULT;
}

/* The mask becomes the host's signal numbers; the descriptor reads
   struct signalfd_siginfo, 128 bytes of fixed-size fields on every Linux
   (its ssi_signo is the host's number: a real-time signal's differs from
   the guest's).  The guest must block the signals, which rt_sigprocmask
   does on the host too. */
static int64_t sys_signalfd4(const uint64_t *a)
{
    uint64_t mask;

    if (a[2] != GUEST_SIGSET_SIZE)
        return -EINVAL;
    if (!copy_from_guest(&mask, a[1], sizeof(mask)))
        return -EFAULT;
    mask = user_host_sigmask(mask);
    return host_ret(syscall(SYS_signalfd4, (int)a[0], &mask,
                            GUEST_SIGSET_SIZE, (int)a[3]));
}

/* The name is not a path (no -L lookup); MFD_* pass as they are. */
static int64_t sys_memfd_create(const uint64_t *a)
{
    int err;
    const char *name = guest_string(a[0], PATH_MAX, &err);

    if (!name)
        return err == -ENAMETOOLONG ? -EINVAL : err;
    return host_ret(syscall(SYS_memfd_create, name, (unsigned)a[1]));
}

/* ---- Between descriptors ---- */

/* sendfile's off_t, splice's and copy_file_range's loff_t: 8 bytes the
   kernel reads and writes, optional. */
static int64_t sys_sendfile(const uint64_t *a)
{
    bool bad = false;
    void *off = guest_opt_ptr(a[2], 8, true, &bad);

    return bad ? -EFAULT : safe_syscall(SYS_sendfile, (int)a[0],
                                            (int)a[1], off, a[3]);
}

static int64_t sys_splice(const uint64_t *a)
{
    bool bad = false;
    void *off_in = guest_opt_ptr(a[1], 8, true, &bad);
    void *off_out = guest_opt_ptr(a[3], 8, true, &bad);

    return bad ? -EFAULT
               : safe_syscall(SYS_splice, (int)a[0], off_in, (int)a[2],
                                  off_out, a[4], (unsigned)a[5]);
}

static int64_t sys_copy_file_range(const uint64_t *a)
{
    bool bad = false;
    void *off_in = guest_opt_ptr(a[1], 8, true, &bad);
    void *off_out = guest_opt_ptr(a[3], 8, true, &bad);

    return bad ? -EFAULT
               : safe_syscall(SYS_copy_file_range, (int)a[0], off_in,
                                  (int)a[2], off_out, a[4], (unsigned)a[5]);
}

/* vmsplice reads the guest's buffers into a pipe's write end, or fills
   them from its read end. */
static int64_t sys_vmsplice(const uint64_t *a)
{
    int fl = fcntl((int)a[0], F_GETFL);
    int err = -EFAULT;

    if (fl < 0)
        return -errno;
    struct iovec *iov = iov_to_host(a[1], a[2], (fl & O_ACCMODE) == O_RDONLY,
                                    &err);
    if (!iov)
        return err;
    int64_t r = safe_syscall(SYS_vmsplice, (int)a[0], iov, a[2],
                                 (unsigned)a[3]);
    g_free(iov);
    return r;
}

/* ---- Socket addresses and options ---- */

/* A sockaddr the kernel reads: len bytes, at most a sockaddr_storage. */
static int sockaddr_in(uint64_t addr, uint64_t len, void **p)
{
    *p = NULL;
    if ((int)len < 0 || (int)len > SOCKADDR_MAX)
        return -EINVAL;
    if (len == 0)
        return 0;
    *p = guest_read_ptr(addr, len);
    return *p ? 0 : -EFAULT;
}

/* A sockaddr the kernel writes (accept, getsockname, recvfrom...) with
   the socklen_t at lenp it reads and writes: both used in place once the
   guest may write them.  A NULL addr is no address. */
static int sockaddr_out(uint64_t addr, uint64_t lenp, void **p, void **lp)
{
    int32_t len;

    *p = *lp = NULL;
    if (!addr)
        return 0;
    *lp = guest_write_ptr(lenp, sizeof(len));
    if (!*lp)
        return -EFAULT;
    memcpy(&len, *lp, sizeof(len));
    /* A negative length is the kernel's EINVAL; it writes at most this. */
    *p = guest_write_ptr(addr, len < 0 ? 0 : MIN(len, SOCKADDR_MAX));
    return *p ? 0 : -EFAULT;
}

static int64_t sys_socketpair(const uint64_t *a)
{
    int sv[2];
    void *p = guest_write_ptr(a[3], sizeof(sv));

    if (!p)
        return -EFAULT;
    int64_t r = host_ret(syscall(SYS_socketpair, (int)a[0], (int)a[1],
                                 (int)a[2], sv));
    if (r == 0)
        memcpy(p, sv, sizeof(sv));
    return r;
}

/* bind and connect. */
static int64_t do_addr_call(const uint64_t *a, long nr)
{
    void *sa;
    int err = sockaddr_in(a[1], a[2], &sa);

    return err ? err : safe_syscall(nr, (int)a[0], sa, (int)a[2]);
}

static int64_t sys_bind(const uint64_t *a)
{
    return do_addr_call(a, SYS_bind);
}

static int64_t sys_connect(const uint64_t *a)
{
    return do_addr_call(a, SYS_connect);
}

/* accept4 (flags in a[3]; accept is accept4 with 0), getsockname,
   getpeername: an address out. */
static int64_t do_addr_out(const uint64_t *a, long nr, bool flags)
{
    void *sa, *len;
    int err = sockaddr_out(a[1], a[2], &sa, &len);

    if (err)
        return err;
    return flags ? safe_syscall(nr, (int)a[0], sa, len, (int)a[3])
                 : safe_syscall(nr, (int)a[0], sa, len);
}

static int64_t sys_accept(const uint64_t *a)
{
    return do_addr_out(a, SYS_accept, false);
}

static int64_t sys_accept4(const uint64_t *a)
{
    return do_addr_out(a, SYS_accept4, true);
}

static int64_t sys_getsockname(const uint64_t *a)
{
    return do_addr_out(a, SYS_getsockname, false);
}

static int64_t sys_getpeername(const uint64_t *a)
{
    return do_addr_out(a, SYS_getpeername, false);
}

static int64_t sys_sendto(const uint64_t *a)
{
    void *buf = guest_read_ptr(a[1], a[2]), *sa = NULL;
    int err = a[4] ? sockaddr_in(a[4], a[5], &sa) : 0;

    if (!buf)
        return -EFAULT;
    if (err)
        return err;
    return safe_syscall(SYS_sendto, (int)a[0], buf, a[2], (unsigned)a[3],
                            sa, (int)a[5]);
}

static int64_t sys_recvfrom(const uint64_t *a)
{
    void *buf = guest_write_ptr(a[1], a[2]), *sa, *len;
    int err = sockaddr_out(a[4], a[5], &sa, &len);

    if (!buf)
        return -EFAULT;
    if (err)
        return err;
    return safe_syscall(SYS_recvfrom, (int)a[0], buf, a[2],
                            (unsigned)a[3], sa, len);
}

/* Option values are byte layouts the same on both sides (int, linger,
   timeval, ucred, ip_mreq...), used in place; SO_ATTACH_FILTER's and
   SO_ATTACH_REUSEPORT_CBPF's struct sock_fprog holds a guest pointer. */
static int64_t sys_setsockopt(const uint64_t *a)
{
    int level = (int)a[1], name = (int)a[2], len = (int)a[4];
    void *val;

    if (len < 0)
        return -EINVAL;
    val = guest_read_ptr(a[3], (uint64_t)len);
    if (!val)
        return -EFAULT;
    if (level == SOL_SOCKET && (name == SO_ATTACH_FILTER ||
                                name == SO_ATTACH_REUSEPORT_CBPF)) {
        struct sock_fprog prog;
        if ((size_t)len < sizeof(prog))
            return -EINVAL;
        memcpy(&prog, val, sizeof(prog));
        uint64_t filter = (uintptr_t)prog.filter;
        prog.filter = guest_read_ptr(filter, (uint64_t)prog.len *
                                             sizeof(struct sock_filter));
        if (!prog.filter)
            return -EFAULT;
        return host_ret(syscall(SYS_setsockopt, (int)a[0], level, name,
                                &prog, sizeof(prog)));
    }
    return host_ret(syscall(SYS_setsockopt, (int)a[0], level, name, val,
                            len));
}

static int64_t sys_getsockopt(const uint64_t *a)
{
    int32_t len;
    void *lenp = guest_write_ptr(a[4], sizeof(len)), *val;

    if (!lenp)
        return -EFAULT;
    memcpy(&len, lenp, sizeof(len));
    val = guest_write_ptr(a[3], len < 0 ? 0 : (uint64_t)len);
    if (!val)
        return -EFAULT;
    return host_ret(syscall(SYS_getsockopt, (int)a[0], (int)a[1], (int)a[2],
                            val, lenp));
}

/* ---- sendmsg, recvmsg and their vectors ---- */

/*
 * The guest's struct msghdr at addr (the same layout as the host's) with
 * its pointers made host pointers, checked for reading (send) or writing
 * (recv): the name (at most a sockaddr_storage, as Linux clamps it), the
 * iovec array (g_free *iov after the call) and the control buffer, whose
 * cmsghdrs (SCM_RIGHTS, SCM_CREDENTIALS...) are the same on both sides.
 */
static int msghdr_to_host(uint64_t addr, struct msghdr *m, bool recv,
                          struct iovec **iov)
{
    int err = -EFAULT;

    *iov = NULL;
    if (!copy_from_guest(m, addr, sizeof(*m)))
        return -EFAULT;
    if (m->msg_name) {
        if ((int)m->msg_namelen < 0)
            return -EINVAL;
        m->msg_namelen = MIN(m->msg_namelen, SOCKADDR_MAX);
        uint64_t name = (uintptr_t)m->msg_name;
        m->msg_name = recv ? guest_write_ptr(name, m->msg_namelen)
                           : guest_read_ptr(name, m->msg_namelen);
        if (!m->msg_name)
            return -EFAULT;
    }
    if (m->msg_iovlen > GUEST_UIO_MAXIOV)
        return -EMSGSIZE;
    *iov = iov_to_host((uintptr_t)m->msg_iov, m->msg_iovlen, recv, &err);
    if (!*iov)
        return err;
    m->msg_iov = *iov;
    if (m->msg_control && m->msg_controllen) {
        uint64_t ctl = (uintptr_t)m->msg_control;
        m->msg_control = recv ? guest_write_ptr(ctl, m->msg_controllen)
                              : guest_read_ptr(ctl, m->msg_controllen);
        if (!m->msg_control) {
            g_free(*iov);
            *iov = NULL;
            return -EFAULT;
        }
    }
    return 0;
}

/* What recvmsg gives back in the guest's msghdr: the name's length (when
   there is a name), the control data's and the flags. */
static void msghdr_result(uint64_t addr, const struct msghdr *m)
{
    if (m->msg_name)
        copy_to_guest(addr + offsetof(struct msghdr, msg_namelen),
                      &m->msg_namelen, sizeof(m->msg_namelen));
    copy_to_guest(addr + offsetof(struct msghdr, msg_controllen),
                  &m->msg_controllen, sizeof(m->msg_controllen));
    copy_to_guest(addr + offsetof(struct msghdr, msg_flags),
                  &m->msg_flags, sizeof(m->msg_flags));
}

static int64_t do_msg(const uint64_t *a, bool recv)
{
    struct msghdr m;
    struct iovec *iov;
    int err = msghdr_to_host(a[1], &m, recv, &iov);

    if (err)
        return err;
    int64_t r = safe_syscall(recv ? SYS_recvmsg : SYS_sendmsg, (int)a[0],
                                 &m, (unsigned)a[2]);
    if (recv && r >= 0)
        msghdr_result(a[1], &m);
    g_free(iov);
    return r;
}

static int64_t sys_sendmsg(const uint64_t *a)
{
    return do_msg(a, false);
}

static int64_t sys_recvmsg(const uint64_t *a)
{
    return do_msg(a, true);
}

/* sendmmsg and recvmmsg (a[4]: its timeout, which Linux writes back):
   each struct mmsghdr (a msghdr and the byte count, 64 bytes on both
   sides) translated as above, up to the first bad one (Linux too stops
   there), at most UIO_MAXIOV of them as Linux takes. */
static int64_t do_mmsg(const uint64_t *a, bool recv)
{
    unsigned vlen = MIN((unsigned)a[2], GUEST_UIO_MAXIOV);
    struct mmsghdr *hv = g_new0(struct mmsghdr, vlen ? vlen : 1);
    struct iovec **iovs = g_new0(struct iovec *, vlen ? vlen : 1);
    void *timeout = NULL;
    unsigned n = 0;
    int64_t r = 0;

    if (recv && a[4] && !(timeout = guest_write_ptr(a[4],
                                                    sizeof(struct timespec))))
        r = -EFAULT;
    for (; r == 0 && n < vlen; n++) {
        int err = msghdr_to_host(a[1] + (uint64_t)n * sizeof(struct mmsghdr),
                                 &hv[n].msg_hdr, recv, &iovs[n]);
        if (err) {
            if (n == 0)
                r = err;
            break;
        }
    }
    if (r == 0 && (n > 0 || vlen == 0))
        r = recv ? safe_syscall(SYS_recvmmsg, (int)a[0], hv, n,
                                (unsigned)a[3], timeout)
                 : safe_syscall(SYS_sendmmsg, (int)a[0], hv, n,
                                (unsigned)a[3]);
    for (int64_t i = 0; i < r; i++) {
        uint64_t at = a[1] + (uint64_t)i * sizeof(struct mmsghdr);
        if (recv)
            msghdr_result(at, &hv[i].msg_hdr);
        copy_to_guest(at + offsetof(struct mmsghdr, msg_len), &hv[i].msg_len,
                      sizeof(hv[i].msg_len));
    }
    for (unsigned i = 0; i < n; i++)
        g_free(iovs[i]);
    g_free(iovs);
    g_free(hv);
    return r;
}

static int64_t sys_sendmmsg(const uint64_t *a)
{
    return do_mmsg(a, false);
}

static int64_t sys_recvmmsg(const uint64_t *a)
{
    return do_mmsg(a, true);
}

const SyscallEntry syscall_net_table[] = {
    { SYSID_pselect6, sys_pselect6, "dppppp" },
    { SYSID_epoll_create1, NULL, "x", 0, SYS_epoll_create1 },
    { SYSID_epoll_ctl, sys_epoll_ctl, "dddp" },
    { SYSID_epoll_pwait, sys_epoll_pwait, "dpddpu" },
    { SYSID_epoll_pwait2, sys_epoll_pwait2, "dpdppu" },
    { SYSID_eventfd2, NULL, "ux", 0, SYS_eventfd2 },
    { SYSID_timerfd_create, NULL, "dx", 0, SYS_timerfd_create },
    { SYSID_timerfd_settime, sys_timerfd_settime, "dxpp" },
    { SYSID_timerfd_gettime, sys_timerfd_gettime, "dp" },
    { SYSID_signalfd4, sys_signalfd4, "dpux" },
    { SYSID_select, sys_select, "dpppp" },
    { SYSID_inotify_init1, NULL, "x", 0, SYS_inotify_init1 },
    { SYSID_inotify_add_watch, NULL, "dsx", 0, SYS_inotify_add_watch },
    { SYSID_inotify_rm_watch, NULL, "dd", 0, SYS_inotify_rm_watch },
    { SYSID_memfd_create, sys_memfd_create, "sx" },
    { SYSID_sendfile, sys_sendfile, "ddpu" },
    { SYSID_splice, sys_splice, "dpdpux" },
    { SYSID_tee, NULL, "ddux", 0, SYS_tee },
    { SYSID_vmsplice, sys_vmsplice, "dpux" },
    { SYSID_copy_file_range, sys_copy_file_range, "dpdpux" },
    { SYSID_socket, NULL, "ATd", 0, SYS_socket },
    { SYSID_socketpair, sys_socketpair, "ATdp" },
    { SYSID_bind, sys_bind, "dpu" },
    { SYSID_listen, NULL, "dd", 0, SYS_listen },
    { SYSID_accept, sys_accept, "dpp" },
    { SYSID_accept4, sys_accept4, "dppx" },
    { SYSID_connect, sys_connect, "dpu" },
    { SYSID_getsockname, sys_getsockname, "dpp" },
    { SYSID_getpeername, sys_getpeername, "dpp" },
    { SYSID_sendto, sys_sendto, "dpuxpu" },
    { SYSID_recvfrom, sys_recvfrom, "dpuxpp" },
    { SYSID_setsockopt, sys_setsockopt, "dddpu" },
    { SYSID_getsockopt, sys_getsockopt, "dddpp" },
    { SYSID_shutdown, NULL, "dd", 0, SYS_shutdown },
    { SYSID_sendmsg, sys_sendmsg, "dpx" },
    { SYSID_recvmsg, sys_recvmsg, "dpx" },
    { SYSID_sendmmsg, sys_sendmmsg, "dpux" },
    { SYSID_recvmmsg, sys_recvmmsg, "dpuxp" },
    { SYSID_NONE },
};
