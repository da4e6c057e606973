/*
 * Blocking syscalls and signals, as signal(7) says: a thread asleep in
 * read() on a pipe returns EINTR when a handler without SA_RESTART runs,
 * and reads on with SA_RESTART; nanosleep returns EINTR with the time
 * left in rem whatever SA_RESTART says, and sleeps on for the time left
 * through a signal that is ignored; ten thousand signals sent while a
 * thread goes in and out of read() are each handled at once (none waits
 * for the read to end: without a safe syscall, one in a few thousand
 * comes just before the read sleeps, and the test hangs).
 * The main thread sends each signal once /proc says the other one sleeps
 * where it should (its wchan).  Exits 0.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "sig.h"

static int fd[2];
static volatile int handled;
static volatile pid_t tid;

static void handler(int sig)
{
    handled++;
}

/* Waits until thread tid sleeps in the kernel function named. */
static void wait_asleep(const char *where)
{
    char path[64], buf[64];

    snprintf(path, sizeof(path), "/proc/%d/task/%d/wchan", getpid(), tid);
    for (;;) {
        FILE *f = fopen(path, "r");
        size_t n = f ? fread(buf, 1, sizeof(buf) - 1, f) : 0;

        if (f)
            fclose(f);
        buf[n] = 0;
        if (strstr(buf, where))
            return;
        sched_yield();
    }
}

static void *reader(void *arg)
{
    char c;
    ssize_t n;

    tid = gettid();
    n = read(fd[0], &c, 1);
    printf("  read: %zd %s\n", n, n < 0 ? strerror(errno) : "");
    return NULL;
}

static char said[128];  /* what sleeper found, printed by the caller */

static void *sleeper(void *arg)
{
    struct timespec req = { *(int *)arg, 0 }, rem = { -1, -1 }, t0, t1;
    int r;

    tid = gettid();
    clock_gettime(CLOCK_MONOTONIC, &t0);
    r = nanosleep(&req, &rem);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double slept = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
    /* Linux counts rem from the timer's hard expiry, the request plus
       the thread's timer slack (50 us by default): a sleep interrupted
       at once may leave a little more than it asked for (seen on the
       host itself, in about nine runs in ten). */
    if (r < 0)
        snprintf(said, sizeof(said),
                 "  nanosleep: %s, rem in (0, %d s + slack): %d\n",
                 strerror(errno), *(int *)arg,
                 rem.tv_sec >= 0 && rem.tv_sec <= *(int *)arg &&
                 (rem.tv_sec > 0 || rem.tv_nsec > 0) &&
                 (rem.tv_sec < *(int *)arg || rem.tv_nsec < 100000000));
    else
        snprintf(said, sizeof(said),
                 "  nanosleep: 0, slept its time and no more: %d\n",
                 slept >= req.tv_sec && slept < req.tv_sec + 0.8);
    return NULL;
}

static volatile int done;

static void *read_loop(void *arg)
{
    char c;

    tid = gettid();
    while (!done)
        read(fd[0], &c, 1);
    return NULL;
}

int main(void)
{
    pthread_t t;
    int secs;

    setvbuf(stdout, NULL, _IOLBF, 0);
    pipe(fd);
    printf("read, no SA_RESTART:\n");
    set(SIGUSR1, handler, 0, 0);
    pthread_create(&t, NULL, reader, NULL);
    while (!tid)
        sched_yield();
    wait_asleep("pipe_read");
    pthread_kill(t, SIGUSR1);
    pthread_join(t, NULL);

    printf("read, SA_RESTART:\n");
    set(SIGUSR1, handler, SA_RESTART, 0);
    handled = 0;
    tid = 0;
    pthread_create(&t, NULL, reader, NULL);
    while (!tid)
        sched_yield();
    wait_asleep("pipe_read");
    pthread_kill(t, SIGUSR1);
    while (!handled)
        sched_yield();
    write(fd[1], "x", 1);
    pthread_join(t, NULL);

    /* Each case 200 times: rem comes from the race between the signal
       and the sleep's start (and the slack above shows in most rounds). */
    for (int restart = 0; restart < 2; restart++) {
        char first[sizeof(said)];
        int alike = 1;

        printf("nanosleep, %s:\n", restart ? "SA_RESTART" : "no SA_RESTART");
        set(SIGUSR1, handler, restart ? SA_RESTART : 0, 0);
        for (int round = 0; round < 200; round++) {
            secs = 20;
            tid = 0;
            pthread_create(&t, NULL, sleeper, &secs);
            while (!tid)
                sched_yield();
            wait_asleep("nanosleep");
            pthread_kill(t, SIGUSR1);
            pthread_join(t, NULL);
            if (!round)
                memcpy(first, said, sizeof(said));
            else if (strcmp(first, said)) {
                printf("  round %d:\n%s", round, said);
                alike = 0;
            }
        }
        printf("%s  200 rounds alike: %d\n", first, alike);
    }

    /* SIGWINCH's default action ignores it: the sleep goes on for the
       time left (sent halfway, a sleep that started again would last
       half as long again). */
    printf("nanosleep, an ignored signal:\n");
    secs = 2;
    tid = 0;
    pthread_create(&t, NULL, sleeper, &secs);
    while (!tid)
        sched_yield();
    wait_asleep("nanosleep");
    usleep(1000000);
    pthread_kill(t, SIGWINCH);
    pthread_join(t, NULL);
    fputs(said, stdout);

    /* Each signal comes wherever the thread is: in read, entering it or
       leaving it; none may wait for a byte that never comes. */
    set(SIGUSR1, handler, 0, 0);
    handled = 0;
    tid = 0;
    pthread_create(&t, NULL, read_loop, NULL);
    while (!tid)
        sched_yield();
    for (int i = 1; i <= 10000; i++) {
        pthread_kill(t, SIGUSR1);
        while (handled < i)
            sched_yield();
    }
    done = 1;
    write(fd[1], "x", 1);
    pthread_join(t, NULL);
    printf("10000 signals to a thread in and out of read: %d handled\n",
           handled);
    return 0;
}
