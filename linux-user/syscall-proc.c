/*
 * The syscalls on processes, identity, resources and time (the signal
 * syscalls are syscall-signal.c's).  Numbers pass through (ids, clock ids,
 * signal numbers and wait options are asm-generic's on both sides), and so
 * do the structures that riscv64 and x86-64 lay out alike (timespec,
 * timeval, rusage, tms, sysinfo, rlimit, siginfo); what the emulator must
 * answer itself: uname's machine, the limits that would constrain Mimic
 * rather than the guest (stack, data, address space), and the addresses
 * of set_tid_address and set_robust_list.
 */
#define _GNU_SOURCE
#include <glib.h>
#include <sched.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "linux-user/safe-syscall.h"
#include "linux-user/syscall-internal.h"
#include "linux-user/user-signal.h"
#include "linux-user/user-target.h"
#include "mimic/log.h"

/* Sizes of the structures both sides share. */
enum {
    TIMESPEC_SIZE = 16,
    TIMEVAL_SIZE = 16,
    TIMEZONE_SIZE = 8,
    RUSAGE_SIZE = 144,
    TMS_SIZE = 32,
    SYSINFO_SIZE = 112,
    SIGINFO_SIZE = 128,
    RLIMIT_SIZE = 16,
    ROBUST_LIST_HEAD_SIZE = 24,
};

_Static_assert(sizeof(struct rusage) == RUSAGE_SIZE, "rusage");
_Static_assert(sizeof(struct rlimit) == RLIMIT_SIZE, "rlimit");
_Static_assert(sizeof(struct utsname) == 6 * 65, "new_utsname");

/* ---- Identity ---- */

/* getresuid/getresgid: three 32-bit ids, as on the host. */
static int64_t get_res_ids(const uint64_t *a, long nr)
{
    uint32_t ids[3];

    if (syscall(nr, &ids[0], &ids[1], &ids[2]) != 0)
        return -errno;
    for (int i = 0; i < 3; i++) {
        if (!copy_to_guest(a[i], &ids[i], 4))
            return -EFAULT;
    }
    return 0;
}

static int64_t sys_getresuid(const uint64_t *a)
{
    return get_res_ids(a, SYS_getresuid);
}

static int64_t sys_getresgid(const uint64_t *a)
{
    return get_res_ids(a, SYS_getresgid);
}

static int64_t sys_getgroups(const uint64_t *a)
{
    int size = (int)a[0];
    void *list = size > 0 ? guest_write_ptr(a[1], (uint64_t)size * 4) : NULL;

    if (size > 0 && !list)
        return -EFAULT;
    return host_ret(syscall(SYS_getgroups, size, list));
}

static int64_t sys_setgroups(const uint64_t *a)
{
    int size = (int)a[0];
    void *list = size > 0 ? guest_read_ptr(a[1], (uint64_t)size * 4) : NULL;

    if (size > 0 && size <= 65536 && !list)
        return -EFAULT;
    return host_ret(syscall(SYS_setgroups, size, list));
}

static int64_t sys_uname(const uint64_t *a)
{
    struct utsname u;

    if (uname(&u) != 0)
        return -errno;
    g_strlcpy(u.machine, user_target.info->name, sizeof(u.machine));
    return copy_to_guest(a[0], &u, sizeof(u)) ? 0 : -EFAULT;
}

/* ---- Resources ---- */

/* The limits kept for the guest only: setting them on the host would
   constrain Mimic (its code buffer, its heap, its own stack). */
static GMutex limit_lock;
static struct rlimit guest_limits[RLIM_NLIMITS];
static bool guest_limit_set[RLIM_NLIMITS];

static bool limit_is_guest_only(int resource)
{
    return resource == RLIMIT_STACK || resource == RLIMIT_DATA ||
           resource == RLIMIT_AS;
}

/* Starts from the host's limit the first time; limit_lock held. */
static struct rlimit *guest_limit(int resource)
{
    if (!guest_limit_set[resource]) {
        getrlimit(resource, &guest_limits[resource]);
        guest_limit_set[resource] = true;
    }
    return &guest_limits[resource];
}

void syscall_set_stack_limit(uint64_t bytes)
{
    g_mutex_lock(&limit_lock);
    guest_limit(RLIMIT_STACK)->rlim_cur = bytes;
    g_mutex_unlock(&limit_lock);
}

/* prlimit64 on this process for a guest-only limit; the new one must keep
   cur <= max, as Linux checks (raising max is not refused: Mimic does not
   know the guest's capabilities). */
static int64_t guest_prlimit(int resource, const struct rlimit *new,
                             uint64_t old_addr)
{
    int64_t ret = 0;

    if (new && new->rlim_cur > new->rlim_max)
        return -EINVAL;
    g_mutex_lock(&limit_lock);
    struct rlimit *l = guest_limit(resource);
    struct rlimit old = *l;
    if (new)
        *l = *new;
    g_mutex_unlock(&limit_lock);
    if (old_addr && !copy_to_guest(old_addr, &old, sizeof(old)))
        ret = -EFAULT;
    return ret;
}

static int64_t do_prlimit(int pid, int resource, uint64_t new_addr,
                          uint64_t old_addr)
{
    struct rlimit new;
    bool bad = false;

    if (new_addr && !copy_from_guest(&new, new_addr, sizeof(new)))
        return -EFAULT;
    if (resource >= 0 && resource < RLIM_NLIMITS &&
        limit_is_guest_only(resource) && (pid == 0 || pid == getpid()))
        return guest_prlimit(resource, new_addr ? &new : NULL, old_addr);
    void *old = guest_opt_ptr(old_addr, sizeof(struct rlimit), true, &bad);
    if (bad)
        return -EFAULT;
    return host_ret(syscall(SYS_prlimit64, pid, resource,
                            new_addr ? &new : NULL, old));
}

static int64_t sys_getrlimit(const uint64_t *a)
{
    if (a[1] == 0)
        return -EFAULT;
    return do_prlimit(0, (int)a[0], 0, a[1]);
}

static int64_t sys_setrlimit(const uint64_t *a)
{
    if (a[1] == 0)
        return -EFAULT;
    return do_prlimit(0, (int)a[0], a[1], 0);
}

static int64_t sys_prlimit64(const uint64_t *a)
{
    return do_prlimit((int)a[0], (int)a[1], a[2], a[3]);
}

/* A host call whose one pointer argument (index arg) is a structure of
   size bytes the kernel writes; NULL allowed when opt. */
static int64_t out_struct_call(long nr, const uint64_t *a, int arg,
                               uint64_t size, bool opt)
{
    uint64_t h[4];
    bool bad = false;

    memcpy(h, a, sizeof(h));
    if (!opt && a[arg] == 0)
        return -EFAULT;
    h[arg] = (uintptr_t)guest_opt_ptr(a[arg], size, true, &bad);
    if (bad)
        return -EFAULT;
    return host_ret(syscall(nr, h[0], h[1], h[2], h[3]));
}

static int64_t sys_getrusage(const uint64_t *a)
{
    return out_struct_call(SYS_getrusage, a, 1, RUSAGE_SIZE, false);
}

static int64_t sys_times(const uint64_t *a)
{
    return out_struct_call(SYS_times, a, 0, TMS_SIZE, true);
}

static int64_t sys_sysinfo(const uint64_t *a)
{
    return out_struct_call(SYS_sysinfo, a, 0, SYSINFO_SIZE, false);
}

static int64_t sys_getrandom(const uint64_t *a)
{
    return out_struct_call(SYS_getrandom, a, 0, a[1], a[1] == 0);
}

static int64_t sys_sched_getaffinity(const uint64_t *a)
{
    return out_struct_call(SYS_sched_getaffinity, a, 2, a[1], false);
}

static int64_t sys_sched_setaffinity(const uint64_t *a)
{
    void *mask = guest_read_ptr(a[2], a[1]);
    return mask ? host_ret(syscall(SYS_sched_setaffinity, (int)a[0], a[1],
                                   mask))
                : -EFAULT;
}

static int64_t sys_getcpu(const uint64_t *a)
{
    bool bad = false;
    void *cpu = guest_opt_ptr(a[0], 4, true, &bad);
    void *node = guest_opt_ptr(a[1], 4, true, &bad);

    return bad ? -EFAULT : host_ret(syscall(SYS_getcpu, cpu, node, NULL));
}

/* ---- Process ---- */

static __thread uint64_t clear_child_tid, robust_list;

uint64_t user_clear_child_tid(void)
{
    return clear_child_tid;
}

void user_set_clear_child_tid(uint64_t addr)
{
    clear_child_tid = addr;
}

uint64_t user_robust_list(void)
{
    return robust_list;
}

static int64_t sys_set_tid_address(const uint64_t *a)
{
    clear_child_tid = a[0];
    return syscall(SYS_gettid);
}

/* Recorded for the thread code, which walks the list when the thread
   ends; the host's robust list is Mimic's. */
static int64_t sys_set_robust_list(const uint64_t *a)
{
    if (a[1] != ROBUST_LIST_HEAD_SIZE)
        return -EINVAL;
    robust_list = a[0];
    return 0;
}

/* glibc registers rseq when it can and copes with -ENOSYS. */
static int64_t sys_rseq(const uint64_t *a)
{
    return -ENOSYS;
}

static int64_t sys_exit_group(const uint64_t *a)
{
    user_robust_list_release();
    user_exit_group((int)a[0]);
}

/* Ends the calling thread; the last thread's exit ends the process. */
static int64_t sys_exit(const uint64_t *a)
{
    user_thread_exit((int)a[0]);
}

static int64_t sys_wait4(const uint64_t *a)
{
    bool bad = false;
    void *status = guest_opt_ptr(a[1], 4, true, &bad);
    void *ru = guest_opt_ptr(a[3], RUSAGE_SIZE, true, &bad);

    int64_t ret;

    if (bad)
        return -EFAULT;
    ret = safe_syscall(SYS_wait4, (int)a[0], status, (int)a[2], ru);
    /* A child killed or stopped by a real-time signal: the host's number
       in the status becomes the guest's. */
    if (ret > 0 && status) {
        int st = *(int *)status, sig = st & 0x7f;

        if (sig == 0x7f)
            st = (st & ~0xff00) | user_guest_signal((st >> 8) & 0xff) << 8;
        else if (sig)
            st = (st & ~0x7f) | user_guest_signal(sig);
        *(int *)status = st;
    }
    return ret;
}

static int64_t sys_waitid(const uint64_t *a)
{
    bool bad = false;
    void *info = guest_opt_ptr(a[2], SIGINFO_SIZE, true, &bad);
    void *ru = guest_opt_ptr(a[4], RUSAGE_SIZE, true, &bad);

    int64_t ret;

    if (bad)
        return -EFAULT;
    ret = safe_syscall(SYS_waitid, (int)a[0], (int)a[1], info,
                           (int)a[3], ru);
    /* si_status (at byte 24) is a signal number for CLD_KILLED (2),
       CLD_DUMPED (3), CLD_STOPPED (5) and CLD_TRAPPED (4). */
    if (ret == 0 && info) {
        TargetSiginfo *si = info;
        int32_t *st = (int32_t *)((char *)info + 24);

        if (si->si_signo && si->si_code >= 2 && si->si_code <= 5)
            *st = user_guest_signal(*st);
    }
    return ret;
}

/* PR_SET_NAME reads at most 16 bytes, stopping at a NUL; names the host
   thread too, as the guest's ps would see it. */
static int64_t prctl_set_name(uint64_t addr)
{
    char name[16] = { 0 };

    for (int i = 0; i < 15; i++) {
        if (!copy_from_guest(&name[i], addr + i, 1))
            return -EFAULT;
        if (!name[i])
            break;
    }
    return host_ret(prctl(PR_SET_NAME, name, 0, 0, 0));
}

static int64_t sys_prctl(const uint64_t *a)
{
    char name[16];

    switch ((int)a[0]) {
    case PR_SET_NAME:
        return prctl_set_name(a[1]);
    case PR_GET_NAME:
        if (prctl(PR_GET_NAME, name, 0, 0, 0) != 0)
            return -errno;
        return copy_to_guest(a[1], name, sizeof(name)) ? 0 : -EFAULT;
    case PR_SET_PDEATHSIG: case PR_GET_DUMPABLE: case PR_SET_DUMPABLE:
    case PR_SET_CHILD_SUBREAPER: case PR_SET_NO_NEW_PRIVS:
    case PR_GET_NO_NEW_PRIVS:
        return host_ret(prctl((int)a[0], a[1], a[2], a[3], a[4]));
    default:
        log_mask(LOG_UNIMP, "prctl: option %d not supported\n", (int)a[0]);
        return -EINVAL;
    }
}

/* ---- Time: timespec and timeval are two 64-bit words on both sides ---- */

static int64_t sys_clock_gettime(const uint64_t *a)
{
    return out_struct_call(SYS_clock_gettime, a, 1, TIMESPEC_SIZE, false);
}

static int64_t sys_clock_getres(const uint64_t *a)
{
    return out_struct_call(SYS_clock_getres, a, 1, TIMESPEC_SIZE, true);
}

static int64_t sys_gettimeofday(const uint64_t *a)
{
    bool bad = false;
    void *tv = guest_opt_ptr(a[0], TIMEVAL_SIZE, true, &bad);
    void *tz = guest_opt_ptr(a[1], TIMEZONE_SIZE, true, &bad);

    return bad ? -EFAULT : host_ret(syscall(SYS_gettimeofday, tv, tz));
}

/*
 * nanosleep(req, rem) and clock_nanosleep(clock, flags, req, rem), as
 * Linux: a relative sleep that a signal interrupts returns EINTR with the
 * time left in rem if a handler runs (SA_RESTART or not: signal(7)), and
 * sleeps on for the time left if none does (an ignored signal); an
 * absolute one (TIMER_ABSTIME) leaves rem alone and is restarted with the
 * same deadline (syscall_interrupted).  A signal pending before the sleep
 * starts is delivered first, and the whole sleep follows.
 */
static int64_t sleep_call(bool is_clock, const uint64_t *a)
{
    int req_arg = is_clock ? 2 : 0;
    bool abs = is_clock && (a[1] & TIMER_ABSTIME);
    struct timespec req, left;
    bool bad = false;
    void *rem = guest_opt_ptr(a[req_arg + 1], TIMESPEC_SIZE, true, &bad);
    int64_t r;

    if (!copy_from_guest(&req, a[req_arg], sizeof(req)) || bad)
        return -EFAULT;
    for (bool slept = false;; slept = true) {
        r = is_clock ? safe_syscall(SYS_clock_nanosleep, (int)a[0], (int)a[1],
                                    &req, abs ? NULL : &left)
                     : safe_syscall(SYS_nanosleep, &req, &left);
        if (abs || (r != -EINTR && r != -TARGET_ERESTARTSYS))
            return r;
        if (!user_signal_must_return()) {
            if (r == -EINTR)
                req = left;     /* no handler: sleep for the rest */
            continue;
        }
        /* Interrupted before it began: the handler, then all of it. */
        if (r == -TARGET_ERESTARTSYS && !slept)
            return r;
        if (r == -TARGET_ERESTARTSYS)
            left = req;
        if (rem)
            memcpy(rem, &left, sizeof(left));
        return -EINTR;
    }
}

static int64_t sys_nanosleep(const uint64_t *a)
{
    return sleep_call(false, a);
}

static int64_t sys_clock_nanosleep(const uint64_t *a)
{
    return sleep_call(true, a);
}

const SyscallEntry syscall_proc_table[] = {
    { SYSID_getpid, NULL, "", 0, SYS_getpid },
    { SYSID_getppid, NULL, "", 0, SYS_getppid },
    { SYSID_gettid, NULL, "", 0, SYS_gettid },
    { SYSID_getuid, NULL, "", 0, SYS_getuid },
    { SYSID_geteuid, NULL, "", 0, SYS_geteuid },
    { SYSID_getgid, NULL, "", 0, SYS_getgid },
    { SYSID_getegid, NULL, "", 0, SYS_getegid },
    { SYSID_getresuid, sys_getresuid, "ppp" },
    { SYSID_getresgid, sys_getresgid, "ppp" },
    { SYSID_getgroups, sys_getgroups, "dp" },
    { SYSID_setgroups, sys_setgroups, "dp" },
    { SYSID_setuid, NULL, "d", 0, SYS_setuid },
    { SYSID_setgid, NULL, "d", 0, SYS_setgid },
    { SYSID_setreuid, NULL, "dd", 0, SYS_setreuid },
    { SYSID_setregid, NULL, "dd", 0, SYS_setregid },
    { SYSID_setresuid, NULL, "ddd", 0, SYS_setresuid },
    { SYSID_setresgid, NULL, "ddd", 0, SYS_setresgid },
    { SYSID_setfsuid, NULL, "d", 0, SYS_setfsuid },
    { SYSID_setfsgid, NULL, "d", 0, SYS_setfsgid },
    { SYSID_getpgid, NULL, "d", 0, SYS_getpgid },
    { SYSID_setpgid, NULL, "dd", 0, SYS_setpgid },
    { SYSID_getsid, NULL, "d", 0, SYS_getsid },
    { SYSID_setsid, NULL, "", 0, SYS_setsid },
    { SYSID_getpriority, NULL, "dd", 0, SYS_getpriority },
    { SYSID_setpriority, NULL, "ddd", 0, SYS_setpriority },
    { SYSID_uname, sys_uname, "p" },
    { SYSID_sysinfo, sys_sysinfo, "p" },
    { SYSID_getrlimit, sys_getrlimit, "dp" },
    { SYSID_setrlimit, sys_setrlimit, "dp" },
    { SYSID_prlimit64, sys_prlimit64, "ddpp" },
    { SYSID_getrusage, sys_getrusage, "dp" },
    { SYSID_times, sys_times, "p" },
    { SYSID_getrandom, sys_getrandom, "pux" },
    { SYSID_sched_yield, NULL, "", 0, SYS_sched_yield },
    { SYSID_sched_getaffinity, sys_sched_getaffinity, "dup" },
    { SYSID_sched_setaffinity, sys_sched_setaffinity, "dup" },
    { SYSID_getcpu, sys_getcpu, "ppp" },
    { SYSID_set_tid_address, sys_set_tid_address, "p" },
    { SYSID_set_robust_list, sys_set_robust_list, "pu" },
    { SYSID_rseq, sys_rseq, "pudx" },
    { SYSID_prctl, sys_prctl, "dxxxx" },
    { SYSID_exit, sys_exit, "d" },
    { SYSID_exit_group, sys_exit_group, "d" },
    { SYSID_wait4, sys_wait4, "dpxp" },
    { SYSID_waitid, sys_waitid, "ddpxp" },
    { SYSID_clock_gettime, sys_clock_gettime, "dp" },
    { SYSID_clock_getres, sys_clock_getres, "dp" },
    { SYSID_gettimeofday, sys_gettimeofday, "pp" },
    { SYSID_nanosleep, sys_nanosleep, "pp" },
    { SYSID_clock_nanosleep, sys_clock_nanosleep, "dxpp" },
    { SYSID_NONE },
};
