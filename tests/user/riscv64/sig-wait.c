/*
 * The waits that take a signal mask (pselect6, ppoll, epoll_pwait,
 * sigsuspend): a signal the program blocks, already pending, must run
 * its handler during the wait when the wait's mask lets it through; the
 * wait fails with EINTR, and afterwards the program's own mask is back
 * (the signal blocked again).  A signal the wait's mask still blocks
 * stays pending and the wait times out.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <time.h>
#include <unistd.h>
#include "sig.h"

static volatile int handled;

static void on_usr1(int sig)
{
    sigset_t now;

    (void)sig;
    /* Inside the handler the wait's mask (plus SIGUSR1 itself) holds. */
    sigprocmask(SIG_BLOCK, NULL, &now);
    handled = sigismember(&now, SIGUSR2) ? 2 : 1;
}

static int usr1_blocked(void)
{
    sigset_t now;

    sigprocmask(SIG_BLOCK, NULL, &now);
    return sigismember(&now, SIGUSR1);
}

static void report(const char *what, int r, int err)
{
    printf("%s: %s, handler %s, SIGUSR1 blocked after: %d\n", what,
           r < 0 && err == EINTR ? "EINTR" : r == 0 ? "timed out" : "other",
           handled == 2 ? "ran (SIGUSR2 blocked inside)" :
           handled == 1 ? "ran" : "did not run", usr1_blocked());
    handled = 0;
}

int main(void)
{
    sigset_t block, wait_mask, wait_usr1_blocked;
    struct timespec ts = { 0, 200 * 1000 * 1000 };
    int ep = epoll_create1(0), r;

    /* Line by line: a run that hangs shows the step it hung in. */
    setvbuf(stdout, NULL, _IOLBF, 0);
    set(SIGUSR1, on_usr1, 0, 0);
    sigemptyset(&block);
    sigaddset(&block, SIGUSR1);
    sigaddset(&block, SIGUSR2);
    sigprocmask(SIG_BLOCK, &block, NULL);
    /* The waits' mask: SIGUSR2 stays blocked, SIGUSR1 gets through. */
    sigemptyset(&wait_mask);
    sigaddset(&wait_mask, SIGUSR2);
    wait_usr1_blocked = block;

    raise(SIGUSR1);
    r = pselect(0, NULL, NULL, NULL, &ts, &wait_mask);
    report("pselect6", r, errno);

    raise(SIGUSR1);
    r = ppoll(NULL, 0, &ts, &wait_mask);
    report("ppoll", r, errno);

    raise(SIGUSR1);
    r = epoll_pwait(ep, (struct epoll_event[1]){{0}}, 1, 200, &wait_mask);
    report("epoll_pwait", r, errno);

    raise(SIGUSR1);
    r = sigsuspend(&wait_mask);
    report("sigsuspend", r, errno);

    /* Still blocked by the wait's mask: pending through the wait. */
    raise(SIGUSR1);
    r = pselect(0, NULL, NULL, NULL, &ts, &wait_usr1_blocked);
    report("pselect6 with SIGUSR1 blocked", r, errno);
    r = epoll_pwait(ep, (struct epoll_event[1]){{0}}, 1, 200,
                    &wait_usr1_blocked);
    report("epoll_pwait with SIGUSR1 blocked", r, errno);
    sigprocmask(SIG_UNBLOCK, &block, NULL);
    report("unblocked at last", 0, 0);
    return 0;
}
