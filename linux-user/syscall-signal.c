/*
 * The signal syscalls: rt_sigaction, rt_sigprocmask, rt_sigpending,
 * rt_sigsuspend, rt_sigtimedwait, sigaltstack and rt_sigreturn, and the
 * syscalls that wait for signals or make them: ppoll (what pause() is on
 * riscv64), setitimer and getitimer (alarm()).  They check and copy the
 * guest's arguments as Linux does; the state they change (actions, the
 * thread's mask and alternate stack, the pending queues) is signal.c's,
 * which delivers from it.  Here too is which
 * syscalls Linux restarts for a handler with SA_RESTART.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "linux-user/syscall-internal.h"
#include "linux-user/user-signal.h"

#define GUEST_SIGKILL 9
#define GUEST_SIGSTOP 19
#define GUEST_SIGSET_SIZE 8
#define TIMESPEC_SIZE 16

/* struct sigaction in guest memory: handler, flags, [restorer,] mask. */
static bool sigaction_from_guest(TargetSigaction *ka, uint64_t addr)
{
    uint64_t w[4] = { 0 };
    bool restorer = guest_target()->sa_restorer;

    if (!copy_from_guest(w, addr, (restorer ? 4 : 3) * sizeof(w[0])))
        return false;
    ka->handler = w[0];
    ka->flags = w[1];
    ka->restorer = restorer ? w[2] : 0;
    ka->mask = restorer ? w[3] : w[2];
    if (!restorer)
        ka->flags &= ~(uint64_t)TARGET_SA_RESTORER;
    return true;
}

static bool sigaction_to_guest(uint64_t addr, const TargetSigaction *ka)
{
    bool restorer = guest_target()->sa_restorer;
    uint64_t w[4] = { ka->handler, ka->flags, ka->mask };

    if (restorer) {
        w[2] = ka->restorer;
        w[3] = ka->mask;
    }
    return copy_to_guest(addr, w, (restorer ? 4 : 3) * sizeof(w[0]));
}

/* Like Linux: the new action is read before the old one is written (they
   may be the same buffer), and stays set if writing the old one faults. */
static int64_t sys_rt_sigaction(const uint64_t *a)
{
    int sig = (int)a[0];
    TargetSigaction new, old;

    if (a[3] != GUEST_SIGSET_SIZE || sig < 1 || sig > TARGET_NSIG)
        return -EINVAL;
    if (a[1] && (sig == GUEST_SIGKILL || sig == GUEST_SIGSTOP))
        return -EINVAL;
    if (a[1] && !sigaction_from_guest(&new, a[1]))
        return -EFAULT;
    user_set_sigaction(sig, a[1] ? &new : NULL, &old);
    if (a[2] && !sigaction_to_guest(a[2], &old))
        return -EFAULT;
    return 0;
}

static int64_t sys_rt_sigprocmask(const uint64_t *a)
{
    uint64_t set, old = user_sigmask();

    if (a[3] != GUEST_SIGSET_SIZE)
        return -EINVAL;
    if (a[1]) {
        if (!copy_from_guest(&set, a[1], sizeof(set)))
            return -EFAULT;
        switch ((int)a[0]) {
        case 0: /* SIG_BLOCK */
            user_set_sigmask(old | set);
            break;
        case 1: /* SIG_UNBLOCK */
            user_set_sigmask(old & ~set);
            break;
        case 2: /* SIG_SETMASK */
            user_set_sigmask(set);
            break;
        default:
            return -EINVAL;
        }
    }
    if (a[2] && !copy_to_guest(a[2], &old, sizeof(old)))
        return -EFAULT;
    return 0;
}

/* The pending signals the thread blocks (Linux: pending & blocked). */
static int64_t sys_rt_sigpending(const uint64_t *a)
{
    uint64_t set = user_sigpending() & user_sigmask();

    if (a[1] > GUEST_SIGSET_SIZE)
        return -EINVAL;
    return copy_to_guest(a[0], &set, a[1]) ? 0 : -EFAULT;
}

/* Returns -EINTR once a signal is pending that runs a handler; the CPU
   loop delivers it with the old mask saved in its frame. */
static int64_t sys_rt_sigsuspend(const uint64_t *a)
{
    uint64_t mask;

    if (a[1] != GUEST_SIGSET_SIZE)
        return -EINVAL;
    if (!copy_from_guest(&mask, a[0], sizeof(mask)))
        return -EFAULT;
    user_sigsuspend(mask);
    return -EINTR;
}

static int64_t sys_rt_sigtimedwait(const uint64_t *a)
{
    uint64_t set;
    int64_t ts[2], timeout = -1;
    TargetSiginfo info;
    int sig;

    if (a[3] != GUEST_SIGSET_SIZE)
        return -EINVAL;
    if (!copy_from_guest(&set, a[0], sizeof(set)))
        return -EFAULT;
    if (a[2]) {
        if (!copy_from_guest(ts, a[2], TIMESPEC_SIZE))
            return -EFAULT;
        if (ts[0] < 0 || ts[1] < 0 || ts[1] >= 1000000000)
            return -EINVAL;
        timeout = ts[0] > INT64_MAX / 1000000000 - 1
                      ? INT64_MAX : ts[0] * 1000000000 + ts[1];
    }
    sig = user_sigwait(set, timeout, &info);
    if (sig > 0 && a[1] && !copy_to_guest(a[1], &info, sizeof(info)))
        return -EFAULT;
    return sig;
}

static int64_t sys_sigaltstack(const uint64_t *a)
{
    TargetStack new, old;
    int ret;

    if (a[0] && !copy_from_guest(&new, a[0], sizeof(new)))
        return -EFAULT;
    ret = user_sigaltstack(a[0] ? &new : NULL, &old, user_signal_guest_sp());
    if (ret == 0 && a[1] && !copy_to_guest(a[1], &old, sizeof(old)))
        return -EFAULT;
    return ret;
}

static int64_t sys_rt_sigreturn(const uint64_t *a)
{
    return user_signal_return();
}

/* ppoll: struct pollfd (int fd; short events, revents) and the timespec
   are alike on both sides; the host kernel writes the remaining time
   into the guest's timespec, as Linux does for the guest. */
typedef struct PpollArgs {
    void *fds;
    uint64_t nfds;
    void *ts;
} PpollArgs;

static int64_t host_ppoll(void *arg, const sigset_t *host_mask)
{
    PpollArgs *p = arg;

    return host_ret(syscall(SYS_ppoll, p->fds, p->nfds, p->ts, host_mask,
                            (size_t)GUEST_SIGSET_SIZE));
}

static int64_t sys_ppoll(const uint64_t *a)
{
    PpollArgs p = { .nfds = a[1] };
    uint64_t mask;
    bool bad = false;

    if (a[1] > 1u << 20)
        return -EINVAL;
    p.fds = guest_opt_ptr(a[0], a[1] * 8, true, &bad);
    p.ts = guest_opt_ptr(a[2], TIMESPEC_SIZE, true, &bad);
    if (bad || (a[1] && !a[0]))
        return -EFAULT;
    if (a[3]) {
        if (a[4] != GUEST_SIGSET_SIZE)
            return -EINVAL;
        if (!copy_from_guest(&mask, a[3], sizeof(mask)))
            return -EFAULT;
    }
    return user_signal_wait_call(a[3] ? &mask : NULL, host_ppoll, &p);
}

/* poll (x86-64): ppoll with the timeout in ms (negative: none), no mask. */
static int64_t sys_poll(const uint64_t *a)
{
    PpollArgs p = { .nfds = a[1] };
    struct timespec ts = { (int)a[2] / 1000, (int)a[2] % 1000 * 1000000 };
    bool bad = false;

    if (a[1] > 1u << 20)
        return -EINVAL;
    p.fds = guest_opt_ptr(a[0], a[1] * 8, true, &bad);
    if (bad || (a[1] && !a[0]))
        return -EFAULT;
    p.ts = (int)a[2] >= 0 ? &ts : NULL;
    return user_signal_wait_call(NULL, host_ppoll, &p);
}

/* setitimer and getitimer: struct itimerval is four 64-bit words on both
   sides; SIGALRM, SIGVTALRM and SIGPROF come as host signals. */
static int64_t sys_setitimer(const uint64_t *a)
{
    bool bad = false;
    void *new = guest_opt_ptr(a[1], 2 * TIMESPEC_SIZE, false, &bad);
    void *old = guest_opt_ptr(a[2], 2 * TIMESPEC_SIZE, true, &bad);

    return bad ? -EFAULT
               : host_ret(syscall(SYS_setitimer, (int)a[0], new, old));
}

static int64_t sys_getitimer(const uint64_t *a)
{
    void *cur = guest_write_ptr(a[1], 2 * TIMESPEC_SIZE);

    return cur ? host_ret(syscall(SYS_getitimer, (int)a[0], cur)) : -EFAULT;
}

/* ---- Sending: the guest's signal numbers become the host's ---- */

/* The host number of guest signal a (0 stays 0: a check that the
   target exists), or -1 for a bad one or one without a host signal. */
static int send_sig(uint64_t a)
{
    if (a == 0)
        return 0;
    if (a > TARGET_NSIG)
        return -1;
    return user_host_signal((int)a) ? user_host_signal((int)a) : -1;
}

static int64_t sys_kill(const uint64_t *a)
{
    int sig = send_sig(a[1]);

    return sig < 0 ? -EINVAL : host_ret(syscall(SYS_kill, (int)a[0], sig));
}

static int64_t sys_tkill(const uint64_t *a)
{
    int sig = send_sig(a[1]);

    return sig < 0 ? -EINVAL : host_ret(syscall(SYS_tkill, (int)a[0], sig));
}

static int64_t sys_tgkill(const uint64_t *a)
{
    int sig = send_sig(a[2]);

    return sig < 0 ? -EINVAL
                   : host_ret(syscall(SYS_tgkill, (int)a[0], (int)a[1], sig));
}

/* sigqueue's: the siginfo is the guest's (same layout), with the host's
   signal number in si_signo; the kernel checks si_code. */
static int64_t queue_info(const uint64_t *a, int sig_arg, long nr)
{
    int sig = send_sig(a[sig_arg]);
    TargetSiginfo info;

    if (sig < 0)
        return -EINVAL;
    if (!copy_from_guest(&info, a[sig_arg + 1], sizeof(info)))
        return -EFAULT;
    info.si_signo = sig;
    if (nr == SYS_rt_sigqueueinfo)
        return host_ret(syscall(nr, (int)a[0], sig, &info));
    return host_ret(syscall(nr, (int)a[0], (int)a[1], sig, &info));
}

static int64_t sys_rt_sigqueueinfo(const uint64_t *a)
{
    return queue_info(a, 1, SYS_rt_sigqueueinfo);
}

static int64_t sys_rt_tgsigqueueinfo(const uint64_t *a)
{
    return queue_info(a, 2, SYS_rt_tgsigqueueinfo);
}

/* The syscalls Linux does not restart after a handler even with
   SA_RESTART (signal(7): they return EINTR). */
static bool restart_with_sa_restart(int id)
{
    switch (id) {
    case SYSID_nanosleep:
    case SYSID_clock_nanosleep:
    case SYSID_ppoll:
    case SYSID_pselect6:
    case SYSID_epoll_pwait:
    case SYSID_epoll_pwait2:
    case SYSID_io_getevents:
    case SYSID_semtimedop:
    case SYSID_rt_sigsuspend:
    case SYSID_rt_sigtimedwait:
        return false;
    default:
        return true;
    }
}

int64_t syscall_interrupted(int id)
{
    if (id == SYSID_rt_sigsuspend || id == SYSID_rt_sigtimedwait)
        return -EINTR;
    return user_signal_interrupted(restart_with_sa_restart(id));
}

const SyscallEntry syscall_signal_table[] = {
    { SYSID_rt_sigaction, sys_rt_sigaction, "dppu" },
    { SYSID_rt_sigprocmask, sys_rt_sigprocmask, "dppu" },
    { SYSID_rt_sigpending, sys_rt_sigpending, "pu" },
    { SYSID_rt_sigsuspend, sys_rt_sigsuspend, "pu" },
    { SYSID_poll, sys_poll, "pud" },
    { SYSID_rt_sigtimedwait, sys_rt_sigtimedwait, "pppu" },
    { SYSID_sigaltstack, sys_sigaltstack, "pp" },
    { SYSID_rt_sigreturn, sys_rt_sigreturn, "" },
    { SYSID_ppoll, sys_ppoll, "pupxu" },
    { SYSID_kill, sys_kill, "dd" },
    { SYSID_tkill, sys_tkill, "dd" },
    { SYSID_tgkill, sys_tgkill, "ddd" },
    { SYSID_rt_sigqueueinfo, sys_rt_sigqueueinfo, "ddp" },
    { SYSID_rt_tgsigqueueinfo, sys_rt_tgsigqueueinfo, "dddp" },
    { SYSID_setitimer, sys_setitimer, "dpp" },
    { SYSID_getitimer, sys_getitimer, "dp" },
    { SYSID_NONE },
};
