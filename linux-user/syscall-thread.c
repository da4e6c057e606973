/*
 * Guest threads and processes: clone, futex, the exit of one thread.  A
 * guest thread (clone with CLONE_VM|CLONE_THREAD, what pthread_create
 * passes) is a host thread running the CPU loop on a CPU of its own, a
 * copy of its parent's registers; its tid is the host thread's, so
 * gettid, tgkill and futexes pass through.  Futexes are the host's on the
 * guest's memory (g2h): the kernel sees the same words the guest does.
 * A fork-like clone (no CLONE_VM), and vfork, is the host's fork(): taken
 * inside an exclusive section and with mmap_lock and tb_lock held, so the
 * child, where only the calling thread lives on, finds the translation
 * cache and the address space consistent and every lock free
 * (cpus_after_fork_child, mmap_fork_child).  The code buffer and the TBs
 * carry over: they are the same memory.
 *
 *   user_thread_init(cpu, &user_target);      (main.c, the first thread)
 *   ... guest clone() -> thread_main() on a new host thread ...
 *   ... guest exit(0) -> user_thread_exit(0): clear_child_tid = 0, woken
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <glib.h>
#include <inttypes.h>
#include <limits.h>
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "../accel/tcg/internal.h"
#include "linux-user/safe-syscall.h"
#include "linux-user/syscall-internal.h"
#include "linux-user/user-target.h"
#include "mimic/gdbstub.h"
#include "mimic/log.h"

/* What pthread_create must pass, and what it may add. */
#define THREAD_FLAGS (CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | \
                      CLONE_THREAD)
#define THREAD_OPT_FLAGS (CLONE_SYSVSEM | CLONE_SETTLS | CLONE_PARENT_SETTID | \
                          CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID | \
                          CLONE_DETACHED)
/* What fork, vfork and posix_spawn pass, besides the exit signal. */
#define FORK_OPT_FLAGS (CLONE_VM | CLONE_VFORK | CLONE_SETTLS | \
                        CLONE_PARENT_SETTID | CLONE_CHILD_SETTID | \
                        CLONE_CHILD_CLEARTID)
#define GUEST_CSIGNAL 0xff
#ifndef FUTEX_LOCK_PI2
#define FUTEX_LOCK_PI2 13
#endif
#define GUEST_SIGCHLD 17

static const UserTarget *target;
static GMutex threads_lock;
static int live_threads = 1;            /* under threads_lock */
static __thread CPUState *thread_cpu;   /* the calling guest thread's */
/* Where a thread started by clone leaves its CPU loop when it exits. */
static __thread sigjmp_buf thread_exit_jmp;
static __thread bool thread_has_exit_jmp;

void user_thread_init(CPUState *cpu, const UserTarget *t)
{
    thread_cpu = cpu;
    target = t;
}

CPUState *user_thread_cpu(void)
{
    return thread_cpu;
}

static void put_tid(uint64_t addr, int tid)
{
    uint32_t v = (uint32_t)tid;

    if (!copy_to_guest(addr, &v, sizeof(v)))
        log_mask(LOG_GUEST_ERROR, "clone: cannot store the tid at 0x%"
                 PRIx64 "\n", addr);
}

/* ---- Threads ---- */

typedef struct NewThread {
    CPUState *cpu;
    uint64_t flags, ptid, ctid;
    GMutex lock;
    GCond cond;
    int tid;            /* 0 until the thread stored its tid */
    uint64_t sigmask;   /* the parent's blocked signals */
} NewThread;

static void *thread_main(void *opaque)
{
    NewThread *nt = opaque;
    CPUState *cpu = nt->cpu;
    int tid = (int)syscall(SYS_gettid);

    thread_cpu = cpu;
    user_set_sigmask(nt->sigmask);
    /* The kernel stores the tids before the child runs, and the parent
       returns only after: glibc's mutexes read the tid at once. */
    if (nt->flags & CLONE_CHILD_CLEARTID)
        user_set_clear_child_tid(nt->ctid);
    if (nt->flags & CLONE_CHILD_SETTID)
        put_tid(nt->ctid, tid);
    if (nt->flags & CLONE_PARENT_SETTID)
        put_tid(nt->ptid, tid);
    g_mutex_lock(&nt->lock);
    nt->tid = tid;
    g_cond_signal(&nt->cond);
    g_mutex_unlock(&nt->lock);      /* nt is the parent's again */
    if (sigsetjmp(thread_exit_jmp, 0) == 0) {
        thread_has_exit_jmp = true;
        user_cpu_loop(cpu);
    }
    return NULL;
}

static int64_t clone_thread(uint64_t flags, uint64_t newsp, uint64_t ptid,
                            uint64_t tls, uint64_t ctid)
{
    NewThread nt = { .flags = flags, .ptid = ptid, .ctid = ctid,
                     .sigmask = user_sigmask() };
    pthread_attr_t attr;
    pthread_t th;
    int err;

    if ((flags & THREAD_FLAGS) != THREAD_FLAGS ||
        (flags & ~(uint64_t)(THREAD_FLAGS | THREAD_OPT_FLAGS | GUEST_CSIGNAL))) {
        log_mask(LOG_UNIMP, "clone: flags %#" PRIx64 " not supported\n",
                 flags);
        return -EINVAL;
    }
    nt.cpu = cpu_obtain(thread_cpu->ops);
    target->clone_regs(nt.cpu, thread_cpu, newsp, flags & CLONE_SETTLS, tls);
    g_mutex_init(&nt.lock);
    g_cond_init(&nt.cond);
    g_mutex_lock(&threads_lock);
    live_threads++;
    g_mutex_unlock(&threads_lock);
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    err = pthread_create(&th, &attr, thread_main, &nt);
    pthread_attr_destroy(&attr);
    if (err) {
        g_mutex_lock(&threads_lock);
        live_threads--;
        g_mutex_unlock(&threads_lock);
        cpu_release(nt.cpu);
        g_mutex_clear(&nt.lock);
        g_cond_clear(&nt.cond);
        return -EAGAIN;
    }
    g_mutex_lock(&nt.lock);
    while (!nt.tid)
        g_cond_wait(&nt.cond, &nt.lock);
    g_mutex_unlock(&nt.lock);
    g_mutex_clear(&nt.lock);
    g_cond_clear(&nt.cond);
    return nt.tid;
}

/* ---- The robust futex list ---- */

/*
 * What the kernel does for a task that dies holding robust mutexes
 * (set_robust_list, include/uapi/linux/futex.h): the guest registered
 * the head of a list in its memory, which the host kernel never sees (the
 * host thread's list is Mimic's glibc's), so it is walked here.  Each
 * entry is a guest pointer whose bit 0 says PI; the futex word is at
 * entry + futex_offset.  A word whose owner tid is the dying thread gets
 * FUTEX_OWNER_DIED (keeping FUTEX_WAITERS) and one waiter is woken, so
 * the next locker sees EOWNERDEAD.  list_op_pending is an entry being
 * locked or unlocked when the thread died.  The walk stops after
 * ROBUST_LIST_LIMIT entries or at memory it cannot read: a corrupt list
 * ends it, as it ends the kernel's.
 */
#define ROBUST_LIST_LIMIT 2048

typedef struct GuestRobustHead {
    uint64_t next;
    int64_t futex_offset;
    uint64_t list_op_pending;
} GuestRobustHead;

/* The kernel's handle_futex_death on the guest word at addr. */
static void futex_owner_died(uint64_t addr, int tid, bool pi, bool pending)
{
    uint32_t *word, old, new;

    if (addr & 3)
        return;
    word = guest_write_ptr(addr, 4);
    if (!word)
        return;
    old = __atomic_load_n(word, __ATOMIC_SEQ_CST);
    do {
        /* Died between taking the lock's word and setting its tid: a
           waiter may sleep on the word that nobody will wake. */
        if (pending && !pi && old == 0) {
            syscall(SYS_futex, word, FUTEX_WAKE, 1, NULL, NULL, 0);
            return;
        }
        if ((old & FUTEX_TID_MASK) != (uint32_t)tid)
            return;
        new = (old & FUTEX_WAITERS) | FUTEX_OWNER_DIED;
    } while (!__atomic_compare_exchange_n(word, &old, new, false,
                                          __ATOMIC_SEQ_CST,
                                          __ATOMIC_SEQ_CST));
    /* A PI futex's waiters are the host kernel's to wake (the host
       thread's own exit hands the lock's PI state on). */
    if (!pi && (old & FUTEX_WAITERS))
        syscall(SYS_futex, word, FUTEX_WAKE, 1, NULL, NULL, 0);
}

void user_robust_list_release(void)
{
    uint64_t head_addr = user_robust_list();
    int tid = (int)syscall(SYS_gettid);
    GuestRobustHead head;
    uint64_t entry, pending;

    if (!head_addr || !copy_from_guest(&head, head_addr, sizeof(head)))
        return;
    pending = head.list_op_pending;
    entry = head.next;
    for (int limit = ROBUST_LIST_LIMIT; entry != head_addr && limit > 0;
         limit--) {
        uint64_t next;

        if (!copy_from_guest(&next, entry & ~1ull, sizeof(next)))
            return;
        if (entry != pending)
            futex_owner_died((entry & ~1ull) + head.futex_offset, tid,
                             entry & 1, false);
        entry = next;
    }
    if (pending)
        futex_owner_died((pending & ~1ull) + head.futex_offset, tid,
                         pending & 1, true);
}

_Noreturn void user_thread_exit(int status)
{
    uint64_t ctid = user_clear_child_tid();

    user_robust_list_release();

    g_mutex_lock(&threads_lock);
    if (live_threads == 1) {
        g_mutex_unlock(&threads_lock);
        user_exit_group(status);
    }
    live_threads--;
    g_mutex_unlock(&threads_lock);
    if (thread_cpu) {
        gdbserver_user_thread_exit(thread_cpu);
        cpu_release(thread_cpu);
    }
    if (ctid) {
        /* What the kernel does for CLONE_CHILD_CLEARTID: pthread_join
           waits on this word (a shared futex). */
        uint32_t *p = guest_write_ptr(ctid, 4);

        if (p) {
            __atomic_store_n(p, 0, __ATOMIC_SEQ_CST);
            syscall(SYS_futex, p, FUTEX_WAKE, 1, NULL, NULL, 0);
        }
    }
    if (thread_has_exit_jmp)
        siglongjmp(thread_exit_jmp, 1);
    /* The first thread: the process lives on in the others. */
    pthread_exit(NULL);
}

/* ---- fork ---- */

/* The write end of a pipe that a vfork child holds until it execs
   (close-on-exec) or exits; its parent waits for the end of file.  -1
   outside a vfork child. */
static int vfork_fd = -1;

/* Reads until one byte or the end of file. */
static void wait_for_byte(int fd)
{
    char c;

    while (read(fd, &c, 1) < 0 && errno == EINTR)
        ;
}

/* The child's half of clone_fork, right after fork(). */
static void fork_child(uint64_t flags, uint64_t newsp, uint64_t ptid,
                       uint64_t tls, uint64_t ctid, int copied_fd,
                       int vfork_wfd)
{
    if (!tcg_code_buffer_unshare(&tcg_exec_ctx)) {
        error_report("fork: cannot copy the JIT code buffer");
        _exit(127);
    }
    /* The parent may write code and patch jumps again. */
    close(copied_fd);
    mmap_fork_child();
    /* tb_lock took mmap_lock too (accel_tb_lock_outer): the tb_unlock
       after this gives that back. */
    mmap_lock();
    cpus_after_fork_child(thread_cpu);
    gdbserver_user_fork_child(thread_cpu);
    live_threads = 1;
    memset(&threads_lock, 0, sizeof(threads_lock));
    if (vfork_fd >= 0)
        close(vfork_fd);    /* only the vfork child's parent waits */
    vfork_fd = vfork_wfd;
    if (flags & CLONE_CHILD_CLEARTID)
        user_set_clear_child_tid(ctid);
    if (flags & CLONE_CHILD_SETTID)
        put_tid(ctid, (int)getpid());
    if (flags & CLONE_PARENT_SETTID)
        put_tid(ptid, (int)getpid());
    target->clone_regs(thread_cpu, thread_cpu, newsp, flags & CLONE_SETTLS,
                       tls);
}

/*
 * The code buffer is shared memory: until the child has its own copy
 * (fork_child), the parent must not change a byte of it (a new TB, a
 * chained jump), so it keeps tb_lock until the child closes copied[1].
 */
static int64_t clone_fork(uint64_t flags, uint64_t newsp, uint64_t ptid,
                          uint64_t tls, uint64_t ctid)
{
    int pipefd[2] = { -1, -1 }, copied[2], fork_errno;
    pid_t pid;

    if ((flags & ~(uint64_t)(FORK_OPT_FLAGS | GUEST_CSIGNAL)) ||
        ((flags & CLONE_VM) && !(flags & CLONE_VFORK)) ||
        (flags & GUEST_CSIGNAL) != GUEST_SIGCHLD) {
        log_mask(LOG_UNIMP, "clone: flags %#" PRIx64 " not supported\n",
                 flags);
        return -EINVAL;
    }
    if (pipe2(copied, O_CLOEXEC) != 0)
        return -errno;
    /* vfork (and posix_spawn's CLONE_VM|CLONE_VFORK) becomes a fork, its
       parent held until the child execs or exits, as the kernel does. */
    if ((flags & CLONE_VFORK) && pipe2(pipefd, O_CLOEXEC) != 0) {
        int err = errno;

        close(copied[0]);
        close(copied[1]);
        return -err;
    }
    log_flush();
    fflush(stdout);
    fflush(stderr);
    start_exclusive();
    mmap_lock();
    tb_lock();
    pid = fork();
    fork_errno = errno;
    if (pid == 0) {
        close(copied[0]);
        if (pipefd[0] >= 0)
            close(pipefd[0]);
        fork_child(flags, newsp, ptid, tls, ctid, copied[1], pipefd[1]);
        tb_unlock();
        return 0;
    }
    close(copied[1]);
    if (pid > 0)
        wait_for_byte(copied[0]);
    close(copied[0]);
    tb_unlock();
    mmap_unlock();
    end_exclusive();
    if (pid < 0) {
        if (pipefd[0] >= 0) {
            close(pipefd[0]);
            close(pipefd[1]);
        }
        return -fork_errno;
    }
    if (flags & CLONE_PARENT_SETTID)
        put_tid(ptid, pid);
    if (pipefd[0] >= 0) {
        close(pipefd[1]);
        wait_for_byte(pipefd[0]);
        close(pipefd[0]);
    }
    return pid;
}

/* riscv64's order (the kernel's CLONE_BACKWARDS): flags, newsp,
   parent_tidptr, tls, child_tidptr. */
/* asm-generic: clone(flags, newsp, ptid, tls, ctid); x86-64 has ctid
   and tls the other way round. */
static int64_t sys_clone(const uint64_t *a)
{
    uint64_t tls = a[3], ctid = a[4];

    if (guest_target()->clone_tls_last) {
        tls = a[4];
        ctid = a[3];
    }
    if ((a[0] & CLONE_VM) && !(a[0] & CLONE_VFORK))
        return clone_thread(a[0], a[1], a[2], tls, ctid);
    return clone_fork(a[0], a[1], a[2], tls, ctid);
}

/* ---- futex ---- */

/* The host's futex on the guest's words: every operation has the same
   arguments on both sides (a struct timespec of two 64-bit words). */
static int64_t sys_futex(const uint64_t *a)
{
    int op = (int)a[1];
    int cmd = op & FUTEX_CMD_MASK;
    void *uaddr = guest_read_ptr(a[0], 4);
    void *uaddr2 = NULL;
    uint64_t arg4 = a[3];
    bool bad = false;

    if (!uaddr)
        return -EFAULT;
    switch (cmd) {
    case FUTEX_WAIT:
    case FUTEX_WAIT_BITSET:
        /* arg4 is the timeout (relative for WAIT, absolute for BITSET). */
        arg4 = (uintptr_t)guest_opt_ptr(a[3], 16, false, &bad);
        break;
    case FUTEX_LOCK_PI:
    case FUTEX_LOCK_PI2:
        /* PI futexes hold owner tids: the guest's are the host's. */
        arg4 = (uintptr_t)guest_opt_ptr(a[3], 16, false, &bad);
        break;
    case FUTEX_WAKE:
    case FUTEX_WAKE_BITSET:
    case FUTEX_UNLOCK_PI:
    case FUTEX_TRYLOCK_PI:
        break;
    case FUTEX_WAIT_REQUEUE_PI:
        arg4 = (uintptr_t)guest_opt_ptr(a[3], 16, false, &bad);
        uaddr2 = guest_write_ptr(a[4], 4);
        if (!uaddr2)
            return -EFAULT;
        break;
    case FUTEX_REQUEUE:
    case FUTEX_CMP_REQUEUE:
    case FUTEX_CMP_REQUEUE_PI:
    case FUTEX_WAKE_OP:
        /* arg4 is a count; uaddr2 a second word (written by WAKE_OP). */
        uaddr2 = guest_write_ptr(a[4], 4);
        if (!uaddr2)
            return -EFAULT;
        break;
    default:
        log_mask(LOG_UNIMP, "futex: operation %d not supported\n", cmd);
        return -ENOSYS;
    }
    if (bad)
        return -EFAULT;
    return safe_syscall(SYS_futex, uaddr, op, (int)a[2], arg4, uaddr2,
                            (int)a[5]);
}

const SyscallEntry syscall_thread_table[] = {
    { SYSID_clone, sys_clone, "xppxp" },
    { SYSID_futex, sys_futex, "pdupxx" },
    { SYSID_NONE },
};
