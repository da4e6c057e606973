/*
 * sa_mask: a signal in the handler's sa_mask raised inside the handler
 * stays pending until the handler returns (rt_sigreturn restores the
 * mask), then runs (without sa_mask it runs inside); and SA_RESETHAND:
 * the second raise() of the signal takes the default action, which ends
 * the program (status 138 from a shell).  QEMU 7.2 runs the masked signal's handler inside the first
 * one: test-user.sh compares this program with what Linux prints
 * (qemu-deviations.txt in this directory).
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "sig.h"

static volatile int depth, max_depth, count;
static char order[16];
static volatile int norder;

static void nesting(int sig)
{
    depth++;
    if (depth > max_depth)
        max_depth = depth;
    if (sig == SIGUSR1)
        raise(SIGUSR2);
    order[norder++] = sig == SIGUSR1 ? '1' : '2';
    depth--;
}

static void counting(int sig)
{
    count++;
}

int main(void)
{
    sigset_t now;

    set(SIGUSR1, nesting, 0, SIGUSR2);
    set(SIGUSR2, nesting, 0, 0);
    raise(SIGUSR1);
    order[norder] = 0;
    printf("sa_mask: order %s depth %d\n", order, max_depth);
    sigprocmask(SIG_BLOCK, NULL, &now);
    printf("mask after: SIGUSR2 blocked %d\n", sigismember(&now, SIGUSR2));
    /* Without it, SIGUSR2 runs inside. */
    norder = 0;
    max_depth = 0;
    set(SIGUSR1, nesting, 0, 0);
    raise(SIGUSR1);
    order[norder] = 0;
    printf("no sa_mask: order %s depth %d\n", order, max_depth);

    set(SIGUSR1, counting, SA_RESETHAND, 0);
    raise(SIGUSR1);
    printf("SA_RESETHAND: count %d\n", count);
    fflush(stdout);
    raise(SIGUSR1);
    printf("not reached\n");
    return 0;
}
