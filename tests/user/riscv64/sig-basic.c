/*
 * Signal delivery to handlers: SIGUSR1 from raise() and kill(), an
 * SA_SIGINFO handler reading si_signo, si_code, si_pid and the pc of its
 * ucontext (just after the ecall that sent it), sigprocmask blocking a
 * signal that stays pending until unblocked, nested handlers (SA_NODEFER)
 * and SA_RESETHAND, ignored signals; then SIGTERM's default action ends
 * it (status 143 from a shell).
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>
#include "sig.h"

static volatile int count, last_sig, depth, max_depth;
static volatile int si_signo_seen, si_code_seen, si_pid_ok;
static volatile uint64_t pc_seen;
static char order[64];
static volatile int norder;

static void plain(int sig)
{
    count++;
    last_sig = sig;
    order[norder++] = 'a' + sig % 26;
}

static void with_info(int sig, siginfo_t *si, void *ctx)
{
    ucontext_t *uc = ctx;

    si_signo_seen = si->si_signo;
    si_code_seen = si->si_code;
    si_pid_ok = si->si_pid == getpid();
    pc_seen = uc->uc_mcontext.__gregs[REG_PC];
}

/* Raises its own signal until it ran 3 times in all. */
static void recursive(int sig)
{
    depth++;
    if (depth > max_depth)
        max_depth = depth;
    if (++count < 3)
        raise(sig);
    depth--;
}

int main(void)
{
    struct sigaction sa, old;
    sigset_t block, pend;

    set(SIGUSR1, plain, 0, 0);
    raise(SIGUSR1);
    printf("raise: count %d sig %d\n", count, last_sig);
    kill(getpid(), SIGUSR1);
    printf("kill: count %d sig %d\n", count, last_sig);
    syscall(SYS_tgkill, getpid(), gettid(), SIGUSR1);
    printf("tgkill: count %d\n", count);

    memset(&sa, 0, sizeof(sa));
    sa.sa_sigaction = with_info;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGUSR2, &sa, NULL);
    kill(getpid(), SIGUSR2);
    printf("siginfo (kill): signo %d code %d (SI_USER %d) pid ok %d\n",
           si_signo_seen, si_code_seen, SI_USER, si_pid_ok);
    printf("ucontext pc: after an ecall %d\n",
           pc_seen && *(uint32_t *)(uintptr_t)(pc_seen - 4) == 0x00000073);
    raise(SIGUSR2);
    printf("siginfo (raise): signo %d code %d (SI_TKILL %d) pid ok %d\n",
           si_signo_seen, si_code_seen, SI_TKILL, si_pid_ok);

    /* Blocked: pending until unblocked, then delivered at once. */
    count = 0;
    sigemptyset(&block);
    sigaddset(&block, SIGUSR1);
    sigprocmask(SIG_BLOCK, &block, NULL);
    raise(SIGUSR1);
    sigpending(&pend);
    printf("blocked: count %d pending %d\n", count, sigismember(&pend, SIGUSR1));
    sigprocmask(SIG_UNBLOCK, &block, NULL);
    printf("unblocked: count %d\n", count);
    sigpending(&pend);
    printf("pending after: %d\n", sigismember(&pend, SIGUSR1));

    /* Two pending at unblock: lowest number first. */
    norder = 0;
    set(SIGUSR2, plain, 0, 0);
    sigaddset(&block, SIGUSR2);
    sigprocmask(SIG_BLOCK, &block, NULL);
    raise(SIGUSR2);
    raise(SIGUSR1);
    sigprocmask(SIG_UNBLOCK, &block, NULL);
    order[norder] = 0;
    printf("order of two: %s\n", order);

    /* SA_NODEFER: the handler interrupts itself. */
    max_depth = 0;
    count = 0;
    set(SIGUSR1, recursive, SA_NODEFER, 0);
    raise(SIGUSR1);
    printf("SA_NODEFER: depth %d runs %d\n", max_depth, count);
    max_depth = 0;
    count = 0;
    set(SIGUSR1, recursive, 0, 0);
    raise(SIGUSR1);
    printf("deferred: depth %d runs %d\n", max_depth, count);
    /* The mask in the handler came back. */
    sigprocmask(SIG_BLOCK, NULL, &block);
    printf("mask restored: %d\n", !sigismember(&block, SIGUSR1));

    /* SA_RESETHAND: the second one gets SIG_DFL. */
    count = 0;
    set(SIGUSR1, plain, SA_RESETHAND, 0);
    raise(SIGUSR1);
    sigaction(SIGUSR1, NULL, &old);
    printf("SA_RESETHAND: count %d then SIG_DFL %d\n", count,
           old.sa_handler == SIG_DFL);

    /* SIG_IGN'd and default-ignored signals do nothing. */
    signal(SIGUSR2, SIG_IGN);
    raise(SIGUSR2);
    raise(SIGCHLD);
    raise(SIGWINCH);
    printf("ignored: still here\n");
    fflush(stdout);
    /* The default action of SIGTERM ends the program. */
    kill(getpid(), SIGTERM);
    printf("not reached\n");
    return 1;
}
