/*
 * Signals and threads: a process-directed signal goes to a thread that
 * does not block it (a thread in sigwait, a busy thread with a handler)
 * while the main thread blocks it; tgkill reaches the thread it names; a
 * new thread starts with its creator's mask.  Exits 0.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static volatile pid_t handled_by;
static volatile int handled;
static volatile pid_t worker_tid;

static void handler(int sig)
{
    handled_by = gettid();
    handled = sig;
}

static void *waiter(void *arg)
{
    sigset_t set;
    int sig = 0;

    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    sigwait(&set, &sig);
    return (void *)(long)sig;
}

/* Blocks nothing; spins until its handler ran. */
static void *spinner(void *arg)
{
    sigset_t none, inherited;

    pthread_sigmask(SIG_BLOCK, NULL, &inherited);
    *(int *)arg = sigismember(&inherited, SIGUSR2);
    sigemptyset(&none);
    pthread_sigmask(SIG_SETMASK, &none, NULL);
    worker_tid = gettid();
    while (!handled)
        ;
    return NULL;
}

int main(void)
{
    sigset_t set;
    pthread_t t;
    void *ret;
    int inherited = -1;
    struct sigaction sa;

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = handler;
    sigaction(SIGUSR2, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);

    /* sigwait in a thread: the classic signal thread. */
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    sigaddset(&set, SIGUSR2);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    pthread_create(&t, NULL, waiter, NULL);
    usleep(50000);
    kill(getpid(), SIGUSR1);
    pthread_join(t, &ret);
    printf("sigwait thread got %ld\n", (long)ret);

    /* A busy thread that lets SIGUSR2 in handles it; main blocks it. */
    pthread_create(&t, NULL, spinner, &inherited);
    while (!worker_tid)
        usleep(1000);
    kill(getpid(), SIGUSR2);
    pthread_join(t, NULL);
    printf("mask inherited %d; handled %d by the worker %d\n", inherited,
           handled, handled_by == worker_tid);

    /* tgkill names the thread: here the main one. */
    handled = 0;
    syscall(SYS_tgkill, getpid(), gettid(), SIGTERM);
    printf("tgkill: handled %d by main %d\n", handled,
           handled_by == gettid());
    return 0;
}
