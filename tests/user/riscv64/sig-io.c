/*
 * Signal-driven I/O: O_ASYNC on a pipe, F_SETOWN to this process and
 * F_SETSIG to a real-time signal (whose host number differs from the
 * guest's): a write to the pipe raises that signal with si_code POLL_IN
 * and si_fd, and F_GETSIG reads the number back.  F_SETSIG 0 returns to
 * SIGIO.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static volatile int got_sig, got_code, got_fd, got_io;

static void on_rt(int sig, siginfo_t *si, void *uc)
{
    (void)uc;
    got_sig = sig;
    got_code = si->si_code;
    got_fd = si->si_fd;
}

static void on_io(int sig)
{
    (void)sig;
    got_io++;
}

int main(void)
{
    struct sigaction sa;
    int p[2], sig = SIGRTMIN + 3;

    memset(&sa, 0, sizeof(sa));
    sa.sa_sigaction = on_rt;
    sa.sa_flags = SA_SIGINFO;
    sigaction(sig, &sa, NULL);
    signal(SIGIO, on_io);
    if (pipe(p))
        return 1;
    fcntl(p[0], F_SETOWN, getpid());
    printf("F_SETSIG SIGRTMIN+3: %d\n", fcntl(p[0], F_SETSIG, sig));
    printf("F_GETSIG is SIGRTMIN+%d\n", fcntl(p[0], F_GETSIG) - SIGRTMIN);
    fcntl(p[0], F_SETFL, fcntl(p[0], F_GETFL) | O_ASYNC | O_NONBLOCK);
    if (write(p[1], "x", 1) != 1)
        return 1;
    for (int i = 0; i < 10000 && !got_sig; i++)
        usleep(1000);
    printf("signal SIGRTMIN+%d, si_code POLL_IN %d, si_fd is the pipe %d\n",
           got_sig - SIGRTMIN, got_code == POLL_IN, got_fd == p[0]);
    printf("F_SETSIG 65: %d\n", fcntl(p[0], F_SETSIG, 65));
    fcntl(p[0], F_SETSIG, 0);
    printf("F_GETSIG after 0: %d\n", fcntl(p[0], F_GETSIG));
    char c;
    while (read(p[0], &c, 1) == 1)
        ;
    if (write(p[1], "y", 1) != 1)
        return 1;
    for (int i = 0; i < 10000 && !got_io; i++)
        usleep(1000);
    printf("SIGIO after F_SETSIG 0: %d\n", got_io > 0);
    return 0;
}
