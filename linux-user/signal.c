/*
 * Guest signals in user mode (user-signal.h): the generic policy, the
 * frame layout being the architecture's (linux-user/<arch>/signal.c).
 *
 * Every host signal that may concern the guest (1..31 but SIGKILL and
 * SIGSTOP, and the real-time ones glibc leaves free, which carry the
 * guest's real-time signals: see user_host_signal) gets host_signal as its handler unless the guest ignores it
 * (then the host ignores it too: SIGPIPE gives EPIPE, SIGCHLD reaps), or
 * it is a stop signal left at its default (the host stops Mimic).  The
 * handler only records the signal as pending, with its host siginfo
 * (whose layout is the guest's), and kicks the CPU out of generated code
 * (cpu_exit plus yield_request, which makes cpu_exec return EXCP_YIELD);
 * the CPU loop delivers it.  Pending signals live in two queues: the
 * thread's (tkill/tgkill, faults) and the process's (kill, the kernel's
 * SIGALRM, SIGCHLD...).  The guest thread's mask is its host thread's
 * mask of the caught signals too (sync_host_mask): a blocked signal stays
 * pending in the host kernel (rt_sigpending asks it; sigsuspend and
 * sigtimedwait unblock what they wait for inside ppoll, atomically), and
 * the kernel gives a process-directed signal to a thread that takes it.
 * A host syscall sleeping when an unblocked one comes returns EINTR (the
 * handlers have no SA_RESTART), and user_signal_interrupted decides
 * whether the guest sees EINTR or the syscall restarts; one about to
 * start sleeping does not start (safe-syscall.h).  SIGSEGV and
 * SIGBUS keep the fault handler (user-exec.c maps a fault in generated
 * code back to the guest insn, and the CPU loop makes it a synchronous
 * signal with its si_code and si_addr); sent by kill, they are queued
 * like the others.  Under -g, gdb sees each signal before it is delivered
 * (gdbserver_user_signal) and may drop it or pass another, as ptrace lets
 * a debugger do.
 */
#define _GNU_SOURCE   /* REG_RIP, REG_ERR, ppoll */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sched.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>

#include <glib.h>

#include "mimic/gdbstub.h"
#include "mimic/host-fp.h"
#include "mimic/log.h"
#include "linux-user/safe-syscall.h"
/* The host's signal frame (pc, registers, fault kind, FP state). */
#if defined(__x86_64__)
#include "linux-user/host/x86_64/host-signal.h"
#elif defined(__aarch64__)
#include "linux-user/host/aarch64/host-signal.h"
#else
#error "linux-user: no host-signal.h for this host (linux-user/host/)"
#endif
#include "user-target.h"

extern __thread CPUState *current_cpu;

#define SIGBIT(s) (1ull << ((s) - 1))
#define UNBLOCKABLE (SIGBIT(SIGKILL) | SIGBIT(SIGSTOP))
/* Default actions other than ending the process. */
#define DFL_IGNORE (SIGBIT(SIGCHLD) | SIGBIT(SIGCONT) | SIGBIT(SIGURG) | \
                    SIGBIT(SIGWINCH))
#define DFL_STOP (SIGBIT(SIGSTOP) | SIGBIT(SIGTSTP) | SIGBIT(SIGTTIN) | \
                  SIGBIT(SIGTTOU))
/* The guest's first real-time signal (asm-generic's SIGRTMIN); below it
   the guest's numbers are the host's. */
#define TARGET_SIGRTMIN 32
#define IS_RT(sig) ((sig) >= TARGET_SIGRTMIN)
#define TARGET_SIG_DFL 0
#define TARGET_SIG_IGN 1
/* Real-time signals a queue holds at once; when the host gives a thread
   more, it leaves the rest pending in the host kernel (rt_throttle). */
#define RT_QUEUE_LEN 64

/* Pending signals, with the siginfo of each.  Standard signals do not
   queue: a second one while pending is merged.  Real-time signals queue,
   in arrival order.  The lock is taken with the caught signals blocked
   (a host handler takes it), so only another thread can hold it. */
typedef struct SignalQueue {
    uint64_t pending;               /* atomic: bit sig - 1 */
    int lock;
    TargetSiginfo info[TARGET_SIGRTMIN];
    unsigned rt_count;
    TargetSiginfo rt[RT_QUEUE_LEN];
} SignalQueue;

/* A guest thread's signal state; the thread code copies blocked and
   clears the rest for a new thread. */
typedef struct TaskSignals {
    SignalQueue q;
    uint64_t blocked;
    bool mask_saved;                /* rt_sigsuspend: saved_mask comes */
    uint64_t saved_mask;            /* back once its handler is set up */
    bool rt_throttled;              /* real-time ones blocked on the host */
    TargetStack altstack;
    CPUState *cpu;
} TaskSignals;

static __thread TaskSignals task = {
    .altstack = { .ss_flags = TARGET_SS_DISABLE },
};
/* Set by the host handler when it queued a signal for this thread (or
   for the process, on this thread); the safe syscall stub checks it
   right before it enters the kernel (safe-syscall.h). */
__thread int user_signal_pending;
static SignalQueue process_q;
static GMutex action_lock;
static TargetSigaction actions[TARGET_NSIG + 1];
static sigset_t caught_set;         /* what host_signal handles */
/* caught_set and the fault signals: blocked while a queue's lock is held
   outside a handler (a SIGSEGV sent by kill reaches host_signal too). */
static sigset_t queue_block_set;
uint64_t user_sigtramp;

/* ---- Guest and host signal numbers ---- */

/*
 * 1..31 are the same on both sides.  The host's glibc keeps its first
 * real-time signals for itself (SIGCANCEL and SIGSETXID, 32 and 33 on
 * x86-64; SIGRTMIN, read at run time, is the first it leaves free), so
 * guest signal 32 + n is host signal SIGRTMIN + n as long as there is
 * one: with glibc's SIGRTMIN of 34 the guest's 32..62 have a host
 * signal, and 63 and 64 none (qemu-user 7.2 maps them the same way).
 * Those two can be given an action and blocked, but never sent: kill and
 * sigqueue answer EINVAL.
 */
int user_host_signal(int sig)
{
    if (sig < 1 || sig > TARGET_NSIG)
        return 0;
    if (!IS_RT(sig))
        return sig;
    return SIGRTMIN + (sig - TARGET_SIGRTMIN) <= SIGRTMAX
               ? SIGRTMIN + (sig - TARGET_SIGRTMIN) : 0;
}

int user_guest_signal(int host_sig)
{
    if (host_sig >= 1 && host_sig < TARGET_SIGRTMIN)
        return host_sig;
    if (host_sig >= SIGRTMIN && host_sig <= SIGRTMAX &&
        host_sig - SIGRTMIN + TARGET_SIGRTMIN <= TARGET_NSIG)
        return host_sig - SIGRTMIN + TARGET_SIGRTMIN;
    return 0;
}

uint64_t user_host_sigmask(uint64_t mask)
{
    uint64_t host = 0;

    for (int sig = 1; sig <= TARGET_NSIG; sig++) {
        int h = user_host_signal(sig);

        if ((mask & SIGBIT(sig)) && h)
            host |= SIGBIT(h);
    }
    return host;
}

/* ---- Fatal signals ---- */

_Noreturn void user_force_sig(int sig)
{
    struct sigaction sa;
    struct rlimit nocore = { 0, 0 };
    sigset_t set;
    int host_sig = user_host_signal(sig);
    bool core = sig == SIGSEGV || sig == SIGBUS || sig == SIGILL ||
                sig == SIGFPE || sig == SIGABRT || sig == SIGTRAP ||
                sig == SIGQUIT || sig == SIGSYS;

    log_flush();
    fprintf(stderr, "%s: uncaught target signal %d (%s)%s\n", error_progname,
            sig, strsignal(host_sig), core ? " - core dumped" : "");
    fflush(stderr);
    gdbserver_user_signalled(sig);
    /* The guest's core would be a dump of Mimic: make none. */
    setrlimit(RLIMIT_CORE, &nocore);
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = SIG_DFL;
    sigaction(host_sig, &sa, NULL);
    sigemptyset(&set);
    sigaddset(&set, host_sig);
    sigprocmask(SIG_UNBLOCK, &set, NULL);
    raise(host_sig);
    _exit(128 + host_sig);
}

/* ---- Host handlers ---- */

static void queue_lock(SignalQueue *q)
{
    while (__atomic_exchange_n(&q->lock, 1, __ATOMIC_ACQUIRE))
        sched_yield();
}

static void queue_unlock(SignalQueue *q)
{
    __atomic_store_n(&q->lock, 0, __ATOMIC_RELEASE);
}

/* Queues sig with the host's info (whose layout is the guest's, with
   the guest's number put in); false if a real-time signal found the
   queue full. */
static bool queue_signal(SignalQueue *q, int sig, const void *host_info)
{
    TargetSiginfo *slot;

    queue_lock(q);
    if (IS_RT(sig)) {
        if (q->rt_count == RT_QUEUE_LEN) {
            queue_unlock(q);
            return false;
        }
        slot = &q->rt[q->rt_count++];
    } else {
        slot = &q->info[sig];
    }
    memcpy(slot, host_info, sizeof(*slot));
    slot->si_signo = sig;
    __atomic_or_fetch(&q->pending, SIGBIT(sig), __ATOMIC_SEQ_CST);
    queue_unlock(q);
    return true;
}

/* Makes the thread's CPU leave generated code at the next TB entry and
   cpu_exec return (the user hart has no firmware to finish first). */
static void kick_cpu(void)
{
    CPUState *cpu = task.cpu;

    if (cpu) {
        cpu->yield_request = true;
        cpu_exit(cpu);
    }
}

/* A real-time signal that found its queue full: sent again to this
   thread, where it stays pending in the host kernel because the
   interrupted code goes on with every real-time signal blocked, until
   the guest takes some (user_signal_deliver resyncs the mask). */
static void rt_throttle(int host_sig, siginfo_t *si, ucontext_t *uc)
{
    for (int h = SIGRTMIN; h <= SIGRTMAX; h++)
        sigaddset(&uc->uc_sigmask, h);
    task.rt_throttled = true;
    syscall(SYS_rt_tgsigqueueinfo, getpid(), syscall(SYS_gettid), host_sig,
            si);
}

/* A thread that was about to enter a safe syscall (between the stub's
   check of user_signal_pending and its syscall instruction) leaves by
   the stub's exit instead: it would have slept with the signal queued. */
static void safe_syscall_rewind(ucontext_t *uc)
{
    uintptr_t pc = host_signal_pc(uc);

    if (pc >= (uintptr_t)safe_syscall_start && pc < (uintptr_t)safe_syscall_end)
        host_signal_set_pc(uc, (uintptr_t)safe_syscall_interrupted);
}

static void host_signal(int host_sig, siginfo_t *si, void *ctx)
{
    int saved_errno = errno;
    int sig = user_guest_signal(host_sig);

    if (!queue_signal(si->si_code == SI_TKILL ? &task.q : &process_q, sig,
                      si)) {
        rt_throttle(host_sig, si, ctx);
    }
    user_signal_pending = 1;
    safe_syscall_rewind(ctx);
    kick_cpu();
    errno = saved_errno;
}

/*
 * The FP flags generated code had raised and not yet folded into the
 * guest (include/mimic/host-fp.h) are in the interrupted FP state (on
 * x86-64 the kernel starts this handler with a clean MXCSR), and a guest
 * fault leaves by siglongjmp, whose way back folds the live one: so the
 * handler takes the interrupted state first (host_signal_fp_restore).
 */
static void host_fault(int sig, siginfo_t *si, void *ctx)
{
    bool is_write;
    uintptr_t pc;
    uint64_t regs[HOST_NB_REGS];
    struct sigaction sa;

    if (si->si_code <= 0) {
        /* Sent (kill, tgkill, sigqueue): the guest's, like any other,
           queued with the other signals blocked as host_signal's own
           sa_mask would (this handler's blocks nothing). */
        sigset_t old;

        pthread_sigmask(SIG_BLOCK, &caught_set, &old);
        host_signal(sig, si, ctx);
        pthread_sigmask(SIG_SETMASK, &old, NULL);
        return;
    }
    pc = host_signal_pc(ctx);
    is_write = host_signal_write(ctx);
    host_signal_regs(ctx, regs);
    host_signal_fp_restore(ctx);
    if (user_handle_host_fault(current_cpu, si->si_addr, pc, regs, is_write,
                               sig == SIGBUS))
        return;
    /* Not the guest's: Mimic crashed.  Die of it (the default action,
       with a core if the host allows one). */
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = SIG_DFL;
    sigaction(sig, &sa, NULL);
}

/* The host's action for sig given the guest's (action_lock held). */
static void update_host_action(int sig)
{
    const TargetSigaction *ka = &actions[sig];
    struct sigaction sa;
    int host_sig = user_host_signal(sig);

    if (sig == SIGSEGV || sig == SIGBUS || sig == SIGKILL ||
        sig == SIGSTOP || !host_sig)
        return;
    memset(&sa, 0, sizeof(sa));
    sa.sa_mask = caught_set;
    if (ka->handler == TARGET_SIG_IGN) {
        sa.sa_handler = SIG_IGN;
    } else if (ka->handler == TARGET_SIG_DFL && (DFL_STOP & SIGBIT(sig))) {
        sa.sa_handler = SIG_DFL;
    } else {
        sa.sa_sigaction = host_signal;
        sa.sa_flags = SA_SIGINFO;
    }
    sigaction(host_sig, &sa, NULL);
}

void user_signal_init(void)
{
    struct sigaction sa;
    sigset_t host_mask;

    sigemptyset(&caught_set);
    for (int sig = 1; sig <= TARGET_NSIG; sig++) {
        if (sig != SIGKILL && sig != SIGSTOP && sig != SIGSEGV &&
            sig != SIGBUS && user_host_signal(sig))
            sigaddset(&caught_set, user_host_signal(sig));
    }
    queue_block_set = caught_set;
    sigaddset(&queue_block_set, SIGSEGV);
    sigaddset(&queue_block_set, SIGBUS);
    memset(&sa, 0, sizeof(sa));
    sa.sa_sigaction = host_fault;
    /* NODEFER: the handler leaves by siglongjmp into cpu_exec, which
       does not restore the signal mask. */
    sa.sa_flags = SA_SIGINFO | SA_NODEFER;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGSEGV, &sa, NULL);
    sigaction(SIGBUS, &sa, NULL);
    /* execve keeps the blocked signals: they are the guest's. */
    pthread_sigmask(SIG_SETMASK, NULL, &host_mask);
    for (int sig = 1; sig <= TARGET_NSIG; sig++) {
        int h = user_host_signal(sig);

        if (h && sigismember(&caught_set, h) && sigismember(&host_mask, h))
            task.blocked |= SIGBIT(sig);
    }
    g_mutex_lock(&action_lock);
    for (int sig = 1; sig <= TARGET_NSIG; sig++) {
        struct sigaction old;
        int h = user_host_signal(sig);

        /* What Mimic's parent ignored, the guest starts ignoring (exec
           keeps SIG_IGN). */
        if (h && sigismember(&caught_set, h) &&
            sigaction(h, NULL, &old) == 0 && old.sa_handler == SIG_IGN)
            actions[sig].handler = TARGET_SIG_IGN;
        update_host_action(sig);
    }
    g_mutex_unlock(&action_lock);
}

static gpointer map_sigtramp(gpointer unused)
{
    int64_t page = target_mmap(0, TARGET_PAGE_SIZE, PROT_READ | PROT_WRITE,
                               MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

    if (page < 0 && page > -4096) {
        error_report("cannot map the signal trampoline: %s",
                     strerror((int)-page));
        exit(1);
    }
    memcpy(g2h((uint64_t)page), user_target.sigreturn_code,
           user_target.sigreturn_code_size);
    target_mprotect((uint64_t)page, TARGET_PAGE_SIZE, PROT_READ | PROT_EXEC);
    user_sigtramp = (uint64_t)page;
    return NULL;
}

void user_signal_thread_start(CPUState *cpu)
{
    static GOnce once = G_ONCE_INIT;

    g_once(&once, map_sigtramp, NULL);
    task.cpu = cpu;
}

/* ---- The queues ---- */

/* old with the caught signals of unblock unblocked, and the other caught
   ones blocked. */
static void host_unblocked(const sigset_t *old, sigset_t *out,
                           uint64_t unblock)
{
    *out = *old;
    for (int sig = 1; sig <= TARGET_NSIG; sig++) {
        int h = user_host_signal(sig);

        if (!h || !sigismember(&caught_set, h))
            continue;
        if (unblock & SIGBIT(sig))
            sigdelset(out, h);
        else
            sigaddset(out, h);
    }
}

/* Takes sig off q (lock held) into *info: a real-time signal's first
   entry, the others of that number staying pending. */
static void take_signal(SignalQueue *q, int sig, TargetSiginfo *info)
{
    unsigned i, left = 0;

    if (!IS_RT(sig)) {
        *info = q->info[sig];
        __atomic_and_fetch(&q->pending, ~SIGBIT(sig), __ATOMIC_SEQ_CST);
        return;
    }
    for (i = 0; i < q->rt_count && q->rt[i].si_signo != sig; i++)
        ;
    *info = q->rt[i];
    memmove(&q->rt[i], &q->rt[i + 1], (q->rt_count - i - 1) * sizeof(q->rt[0]));
    q->rt_count--;
    for (i = 0; i < q->rt_count; i++)
        left += q->rt[i].si_signo == sig;
    if (!left)
        __atomic_and_fetch(&q->pending, ~SIGBIT(sig), __ATOMIC_SEQ_CST);
}

/* The lowest pending signal in allowed, the thread's before the
   process's (0 if none); taken off its queue with its info if info. */
static int next_signal(uint64_t allowed, TargetSiginfo *info)
{
    SignalQueue *queues[2] = { &task.q, &process_q };
    sigset_t old;
    int sig = 0;

    if (!((__atomic_load_n(&task.q.pending, __ATOMIC_ACQUIRE) |
           __atomic_load_n(&process_q.pending, __ATOMIC_ACQUIRE)) & allowed))
        return 0;
    /* The host handler must not rewrite the queue while it is read. */
    pthread_sigmask(SIG_BLOCK, &queue_block_set, &old);
    for (int i = 0; i < 2 && !sig; i++) {
        uint64_t p;

        queue_lock(queues[i]);
        p = __atomic_load_n(&queues[i]->pending, __ATOMIC_ACQUIRE) & allowed;
        if (p) {
            sig = __builtin_ctzll(p) + 1;
            if (info)
                take_signal(queues[i], sig, info);
        }
        queue_unlock(queues[i]);
    }
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    return sig;
}

static TargetSigaction get_action(int sig)
{
    TargetSigaction ka;

    g_mutex_lock(&action_lock);
    ka = actions[sig];
    g_mutex_unlock(&action_lock);
    return ka;
}

/* Whether sig would be dropped if delivered now. */
static bool sig_ignored(int sig)
{
    TargetSigaction ka = get_action(sig);

    return ka.handler == TARGET_SIG_IGN ||
           (ka.handler == TARGET_SIG_DFL && (DFL_IGNORE & SIGBIT(sig)));
}

/* Drops the pending signals of allowed that are ignored. */
static void drop_ignored(uint64_t allowed)
{
    int sig;

    while ((sig = next_signal(allowed, NULL)) && sig_ignored(sig)) {
        TargetSiginfo info;

        next_signal(SIGBIT(sig), &info);
    }
}

/* Queued here, or still the host kernel's because the guest blocks it. */
uint64_t user_sigpending(void)
{
    uint64_t set = __atomic_load_n(&task.q.pending, __ATOMIC_ACQUIRE) |
                   __atomic_load_n(&process_q.pending, __ATOMIC_ACQUIRE);
    sigset_t host;

    sigpending(&host);
    for (int sig = 1; sig <= TARGET_NSIG; sig++) {
        int h = user_host_signal(sig);

        if (h && sigismember(&caught_set, h) && sigismember(&host, h))
            set |= SIGBIT(sig);
    }
    return set;
}

static void sync_host_mask(void);

/* ---- Delivery ---- */

static bool on_sig_stack(uint64_t sp)
{
    const TargetStack *s = &task.altstack;

    if (s->ss_flags & TARGET_SS_AUTODISARM)
        return false;
    return sp > s->ss_sp && sp - s->ss_sp <= s->ss_size;
}

static int sas_ss_flags(uint64_t sp)
{
    if (!task.altstack.ss_size)
        return TARGET_SS_DISABLE;
    return on_sig_stack(sp) ? TARGET_SS_ONSTACK : 0;
}

static void default_action(int sig)
{
    if (DFL_IGNORE & SIGBIT(sig))
        return;
    if (DFL_STOP & SIGBIT(sig)) {
        kill(getpid(), SIGSTOP);
        return;
    }
    user_force_sig(sig);
}

static void deliver_one(CPUState *cpu, int sig, const TargetSiginfo *info)
{
    TargetSigaction ka = get_action(sig);
    uint64_t mask = task.mask_saved ? task.saved_mask : task.blocked;
    uint64_t sp;
    TargetStack uc_stack = task.altstack;

    if (ka.handler == TARGET_SIG_IGN)
        return;
    if (ka.handler == TARGET_SIG_DFL) {
        default_action(sig);
        return;
    }
    sp = user_target.get_sp(cpu);
    if ((ka.flags & SA_ONSTACK) && sas_ss_flags(sp) == 0)
        sp = task.altstack.ss_sp + task.altstack.ss_size;
    /* On the alternate stack with no room left for the frame: Linux
       gives up rather than write below it. */
    if (on_sig_stack(sp) && !on_sig_stack(sp - user_target.frame_size))
        user_force_sig(SIGSEGV);
    if (!user_target.setup_frame(cpu, info, &ka, sp, &uc_stack, mask)) {
        /* Linux's force_sigsegv: a frame that cannot be written. */
        user_force_sig(SIGSEGV);
    }
    task.mask_saved = false;
    if (task.altstack.ss_flags & TARGET_SS_AUTODISARM)
        task.altstack = (TargetStack){ .ss_flags = TARGET_SS_DISABLE };
    user_set_sigmask(task.blocked | ka.mask |
                     (ka.flags & SA_NODEFER ? 0 : SIGBIT(sig)));
    if (ka.flags & SA_RESETHAND) {
        g_mutex_lock(&action_lock);
        actions[sig].handler = TARGET_SIG_DFL;
        update_host_action(sig);
        g_mutex_unlock(&action_lock);
    }
}

void user_signal_deliver(CPUState *cpu)
{
    TargetSiginfo info;
    int sig;

    /* Cleared before the queues are read: a signal that comes after the
       last look sets it again, and the next safe syscall sees it. */
    user_signal_pending = 0;
    while ((sig = next_signal(~task.blocked, &info))) {
        int to = gdbserver_user_signal(cpu, sig, false);

        if (!to)
            continue;           /* gdb dropped it */
        if (to != sig)
            info = (TargetSiginfo){ .si_signo = to, .si_code = SI_USER };
        deliver_one(cpu, to, &info);
    }
    if (task.mask_saved) {
        task.mask_saved = false;
        user_set_sigmask(task.saved_mask);
    }
    if (task.rt_throttled) {
        task.rt_throttled = false;
        sync_host_mask();       /* the host gives the rest now */
    }
}

/* user_signal_sync once gdb (if any) let sig through. */
static void deliver_sync(CPUState *cpu, int sig, int code, uint64_t addr)
{
    TargetSiginfo info = { .si_signo = sig, .si_code = code };
    TargetSigaction ka = get_action(sig);

    info.u.addr = addr;
    /* Linux forces it: blocked or ignored, it takes its default action,
       which for these signals ends the process. */
    if ((task.blocked & SIGBIT(sig)) || ka.handler == TARGET_SIG_IGN ||
        ka.handler == TARGET_SIG_DFL)
        user_force_sig(sig);
    deliver_one(cpu, sig, &info);
}

void user_signal_sync(CPUState *cpu, int sig, int code, uint64_t addr)
{
    int to = gdbserver_user_signal(cpu, sig, false);

    /* Dropped by gdb: the faulting insn runs again (and faults again,
       unless gdb changed what it faults on). */
    if (!to)
        return;
    if (to != sig)
        deliver_sync(cpu, to, SI_USER, 0);
    else
        deliver_sync(cpu, sig, code, addr);
}

void user_signal_debug(CPUState *cpu)
{
    int to = gdbserver_user_signal(cpu, SIGTRAP, true);

    if (to)
        deliver_sync(cpu, to, to == SIGTRAP ? TRAP_BRKPT : SI_USER,
                     cpu_get_pc(cpu));
}

int64_t user_signal_return(void)
{
    CPUState *cpu = task.cpu;
    TargetStack uc_stack;
    uint64_t mask;

    if (!user_target.restore_frame(cpu, &mask, &uc_stack)) {
        user_signal_sync(cpu, SIGSEGV, SI_KERNEL, 0);
        return -TARGET_ESIGRETURN;
    }
    user_set_sigmask(mask);
    /* Linux ignores the errors (EPERM on the stack) here. */
    user_sigaltstack(&uc_stack, NULL, user_target.get_sp(cpu));
    return -TARGET_ESIGRETURN;
}

int64_t user_signal_interrupted(bool restartable)
{
    int sig = next_signal(~task.blocked, NULL);
    TargetSigaction ka;

    /* The signal went to a guest-blocked queue, or no handler runs for
       it: Linux restarts the syscall without the guest seeing EINTR. */
    if (!sig || sig_ignored(sig))
        return -TARGET_ERESTARTSYS;
    ka = get_action(sig);
    if (ka.handler == TARGET_SIG_DFL)
        return (DFL_STOP & SIGBIT(sig)) ? -TARGET_ERESTARTSYS : -EINTR;
    return restartable && (ka.flags & SA_RESTART) ? -TARGET_ERESTARTSYS
                                                   : -EINTR;
}

bool user_signal_must_return(void)
{
    /* Cleared first: a signal that comes after the look sets it again. */
    user_signal_pending = 0;
    drop_ignored(~task.blocked);
    if (user_signal_interrupted(false) != -EINTR)
        return false;
    user_signal_pending = 1;
    return true;
}

/* ---- What the signal syscalls change ---- */

const TargetSigaction *user_sigaction(int sig)
{
    return sig >= 1 && sig <= TARGET_NSIG ? &actions[sig] : NULL;
}

void user_set_sigaction(int sig, const TargetSigaction *new,
                        TargetSigaction *old)
{
    g_mutex_lock(&action_lock);
    *old = actions[sig];
    if (new) {
        actions[sig] = *new;
        actions[sig].mask &= ~UNBLOCKABLE;
        update_host_action(sig);
    }
    g_mutex_unlock(&action_lock);
    /* Setting SIG_IGN (or SIG_DFL for an ignored-by-default signal)
       discards the pending ones, as Linux does. */
    if (new && sig_ignored(sig)) {
        TargetSiginfo info;

        while (next_signal(SIGBIT(sig), &info))
            ;
    }
}

uint64_t user_sigmask(void)
{
    return task.blocked;
}

/* The host mask of the caught signals is the guest's: the host kernel
   keeps a blocked signal pending and gives a process-directed one to a
   thread that does not block it, as it would for the guest. */
static void sync_host_mask(void)
{
    sigset_t set;

    pthread_sigmask(SIG_SETMASK, NULL, &set);
    host_unblocked(&set, &set, ~task.blocked);
    pthread_sigmask(SIG_SETMASK, &set, NULL);
}

void user_set_sigmask(uint64_t mask)
{
    task.blocked = mask & ~UNBLOCKABLE;
    sync_host_mask();
}

/* Sleeps until a host signal is handled or the deadline (CLOCK_MONOTONIC,
   NULL: none) passes; false on the deadline.  Called with caught_set
   blocked (old: the mask before); ppoll unblocks atomically the caught
   signals the guest does not block and those of also (sigtimedwait's). */
static bool wait_host_signal(const sigset_t *old, uint64_t also,
                             const struct timespec *deadline)
{
    struct timespec now, left, *timeout = NULL;
    sigset_t unblocked;

    host_unblocked(old, &unblocked, ~task.blocked | also);
    if (deadline) {
        clock_gettime(CLOCK_MONOTONIC, &now);
        left.tv_sec = deadline->tv_sec - now.tv_sec;
        left.tv_nsec = deadline->tv_nsec - now.tv_nsec;
        if (left.tv_nsec < 0) {
            left.tv_nsec += 1000000000;
            left.tv_sec--;
        }
        if (left.tv_sec < 0)
            left = (struct timespec){ 0, 0 };   /* still take what is pending */
        timeout = &left;
    }
    return ppoll(NULL, 0, timeout, &unblocked) != 0;
}

int64_t user_signal_wait_call(const uint64_t *mask,
                              int64_t (*call)(void *arg,
                                              const sigset_t *host_mask),
                              void *arg)
{
    sigset_t old, unblocked;
    int64_t ret;

    if (mask) {
        task.saved_mask = task.blocked;
        task.mask_saved = true;
        user_set_sigmask(*mask);
    }
    pthread_sigmask(SIG_BLOCK, &caught_set, &old);
    host_unblocked(&old, &unblocked, ~task.blocked);
    drop_ignored(~task.blocked);
    if (next_signal(~task.blocked, NULL))
        ret = -EINTR;
    else
        ret = call(arg, &unblocked);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    /* The old mask comes back now, unless a handler is about to run
       (user_signal_deliver puts it in the frame). */
    if (mask && !(ret == -EINTR && next_signal(~task.blocked, NULL))) {
        task.mask_saved = false;
        user_set_sigmask(task.saved_mask);
    }
    return ret;
}

void user_sigsuspend(uint64_t mask)
{
    sigset_t old;

    task.saved_mask = task.blocked;
    task.mask_saved = true;
    user_set_sigmask(mask);
    pthread_sigmask(SIG_BLOCK, &caught_set, &old);
    for (;;) {
        drop_ignored(~task.blocked);
        if (next_signal(~task.blocked, NULL))
            break;
        wait_host_signal(&old, 0, NULL);
    }
    pthread_sigmask(SIG_SETMASK, &old, NULL);
}

int user_sigwait(uint64_t set, int64_t timeout_ns, TargetSiginfo *info)
{
    struct timespec deadline;
    sigset_t old;
    int sig;

    if (timeout_ns >= 0) {
        clock_gettime(CLOCK_MONOTONIC, &deadline);
        deadline.tv_sec += timeout_ns / 1000000000;
        deadline.tv_nsec += timeout_ns % 1000000000;
        if (deadline.tv_nsec >= 1000000000) {
            deadline.tv_nsec -= 1000000000;
            deadline.tv_sec++;
        }
    }
    set &= ~UNBLOCKABLE;
    pthread_sigmask(SIG_BLOCK, &caught_set, &old);
    while (!(sig = next_signal(set, info))) {
        /* A signal outside set that runs a handler interrupts the wait. */
        drop_ignored(~task.blocked & ~set);
        if (next_signal(~task.blocked & ~set, NULL)) {
            sig = -EINTR;
            break;
        }
        if (!wait_host_signal(&old, set,
                              timeout_ns >= 0 ? &deadline : NULL)) {
            sig = -EAGAIN;
            break;
        }
    }
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    return sig;
}

uint64_t user_signal_guest_sp(void)
{
    return task.cpu ? user_target.get_sp(task.cpu) : 0;
}

int user_sigaltstack(const TargetStack *new, TargetStack *old, uint64_t sp)
{
    TargetStack *s = &task.altstack;

    if (old) {
        *old = (TargetStack){
            .ss_sp = s->ss_sp,
            .ss_size = s->ss_size,
            .ss_flags = sas_ss_flags(sp) |
                        (int32_t)(s->ss_flags & TARGET_SS_AUTODISARM),
        };
    }
    if (!new)
        return 0;
    if (on_sig_stack(sp))
        return -EPERM;
    uint32_t mode = (uint32_t)new->ss_flags & ~TARGET_SS_AUTODISARM;
    if (mode != TARGET_SS_DISABLE && mode != TARGET_SS_ONSTACK && mode != 0)
        return -EINVAL;
    if (mode == TARGET_SS_DISABLE) {
        *s = (TargetStack){ .ss_flags = new->ss_flags };
        return 0;
    }
    /* MINSIGSTKSZ: asm-generic's 2048 (AT_MINSIGSTKSZ may say more). */
    if (new->ss_size < 2048)
        return -ENOMEM;
    *s = (TargetStack){ .ss_sp = new->ss_sp, .ss_size = new->ss_size,
                        .ss_flags = new->ss_flags };
    return 0;
}
