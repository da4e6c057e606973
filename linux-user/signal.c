/*
 * Signals in user mode.  For now: host SIGSEGV and SIGBUS raised by
 * generated code on guest memory become the guest's fault (user-exec.c),
 * and a fatal guest signal ends the process the way the signal would
 * natively.  Delivering signals to guest handlers (frames, sigreturn,
 * masks) comes with the signal-frame work.
 */
#define _GNU_SOURCE   /* REG_RIP, REG_ERR */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <ucontext.h>
#include <unistd.h>

#include "mimic/log.h"
#include "user-target.h"

extern __thread CPUState *current_cpu;

_Noreturn void user_force_sig(int sig)
{
    struct sigaction sa;
    struct rlimit nocore = { 0, 0 };
    sigset_t set;
    bool core = sig == SIGSEGV || sig == SIGBUS || sig == SIGILL ||
                sig == SIGFPE || sig == SIGABRT || sig == SIGTRAP ||
                sig == SIGQUIT || sig == SIGSYS;

    log_flush();
    fprintf(stderr, "%s: uncaught target signal %d (%s)%s\n", error_progname,
            sig, strsignal(sig), core ? " - core dumped" : "");
    fflush(stderr);
    /* The guest's core would be a dump of Mimic: make none. */
    setrlimit(RLIMIT_CORE, &nocore);
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = SIG_DFL;
    sigaction(sig, &sa, NULL);
    sigemptyset(&set);
    sigaddset(&set, sig);
    sigprocmask(SIG_UNBLOCK, &set, NULL);
    raise(sig);
    _exit(128 + sig);
}

/* The host pc and whether the access wrote, from the host's frame. */
static uintptr_t host_fault_pc(const ucontext_t *uc, bool *is_write)
{
#if defined(__x86_64__)
    *is_write = (uc->uc_mcontext.gregs[REG_ERR] & 2) != 0;
    return (uintptr_t)uc->uc_mcontext.gregs[REG_RIP];
#else
#error "linux-user: host fault decoding for this host is missing"
#endif
}

static void host_fault(int sig, siginfo_t *si, void *ctx)
{
    bool is_write;
    uintptr_t pc = host_fault_pc(ctx, &is_write);
    struct sigaction sa;

    if (user_handle_host_fault(current_cpu, si->si_addr, pc, is_write,
                               sig == SIGBUS))
        return;
    /* Not the guest's: Mimic crashed.  Die of it (the default action,
       with a core if the host allows one). */
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = SIG_DFL;
    sigaction(sig, &sa, NULL);
}

void user_signal_init(void)
{
    struct sigaction sa;

    memset(&sa, 0, sizeof(sa));
    sa.sa_sigaction = host_fault;
    /* NODEFER: the handler leaves by siglongjmp into cpu_exec, which
       does not restore the signal mask. */
    sa.sa_flags = SA_SIGINFO | SA_NODEFER;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGSEGV, &sa, NULL);
    sigaction(SIGBUS, &sa, NULL);
}
