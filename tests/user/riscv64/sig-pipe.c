/*
 * SIGPIPE: ignored, a write to a pipe without readers fails with EPIPE;
 * with a handler, the handler runs and the write fails with EPIPE too;
 * at its default, the write kills the program by SIGPIPE (status 141
 * from a shell).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static volatile int caught;

static void on_pipe(int sig)
{
    caught = sig;
}

int main(void)
{
    int fd[2];
    ssize_t n;

    pipe(fd);
    close(fd[0]);
    signal(SIGPIPE, SIG_IGN);
    n = write(fd[1], "x", 1);
    printf("ignored: %zd EPIPE %d\n", n, n < 0 && errno == EPIPE);
    signal(SIGPIPE, on_pipe);
    n = write(fd[1], "x", 1);
    printf("handled: %zd EPIPE %d caught %d\n", n, n < 0 && errno == EPIPE,
           caught);
    signal(SIGPIPE, SIG_DFL);
    fflush(stdout);
    n = write(fd[1], "x", 1);
    printf("default: not reached (%zd)\n", n);
    return 0;
}
