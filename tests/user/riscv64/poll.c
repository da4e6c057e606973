/* poll, ppoll, select and pselect on pipes: nothing ready (the timeout
   runs out), a readable end, a writable end, a hung-up end, and ppoll's
   and pselect's signal mask and time left. */
#define _GNU_SOURCE
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <sys/select.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

int main(void)
{
    int a[2], b[2];
    if (pipe(a) || pipe(b))
        return 1;

    struct pollfd p[3] = { { a[0], POLLIN, 0 }, { b[0], POLLIN, 0 },
                           { b[1], POLLOUT, 0 } };
    double t0 = now();
    int n = poll(p, 2, 50);
    printf("poll, nothing ready: %d, waited >= 40ms: %d\n", n,
           now() - t0 >= 0.04);

    write(a[1], "x", 1);
    n = poll(p, 3, 1000);
    printf("poll: %d ready, revents %#x %#x %#x\n", n, p[0].revents,
           p[1].revents, p[2].revents);

    sigset_t mask;
    sigemptyset(&mask);
    sigaddset(&mask, SIGUSR1);
    struct timespec ts = { 0, 30 * 1000 * 1000 };
    t0 = now();
    n = ppoll(&p[1], 1, &ts, &mask);
    printf("ppoll with a mask, nothing ready: %d, waited >= 20ms: %d\n", n,
           now() - t0 >= 0.02);
    ts.tv_sec = 5;
    ts.tv_nsec = 0;
    n = ppoll(p, 1, &ts, NULL);
    printf("ppoll: %d, revents %#x\n", n, p[0].revents);

    close(b[1]);
    n = poll(&p[1], 1, 0);
    printf("poll on a hung-up pipe: %d, revents %#x\n", n, p[1].revents);

    fd_set r, w;
    FD_ZERO(&r);
    FD_SET(a[0], &r);
    FD_SET(b[0], &r);
    FD_ZERO(&w);
    FD_SET(a[1], &w);
    struct timeval tv = { 1, 0 };
    n = select(b[0] + 1, &r, &w, NULL, &tv);
    printf("select: %d, a readable %d, b readable %d, a writable %d\n", n,
           FD_ISSET(a[0], &r), FD_ISSET(b[0], &r), FD_ISSET(a[1], &w));

    char c;
    read(a[0], &c, 1);
    FD_ZERO(&r);
    FD_SET(a[0], &r);
    tv.tv_sec = 0;
    tv.tv_usec = 40000;
    t0 = now();
    n = select(a[0] + 1, &r, NULL, NULL, &tv);
    printf("select, nothing ready: %d, waited >= 30ms: %d, left %ld.%06ld\n",
           n, now() - t0 >= 0.03, (long)tv.tv_sec, (long)tv.tv_usec);

    FD_ZERO(&r);
    FD_SET(a[0], &r);
    ts.tv_sec = 0;
    ts.tv_nsec = 20 * 1000 * 1000;
    n = pselect(a[0] + 1, &r, NULL, NULL, &ts, &mask);
    printf("pselect with a mask, nothing ready: %d\n", n);
    write(a[1], "yz", 2);
    FD_ZERO(&r);
    FD_SET(a[0], &r);
    ts.tv_sec = 3;
    n = pselect(a[0] + 1, &r, NULL, NULL, &ts, NULL);
    printf("pselect: %d, readable %d\n", n, FD_ISSET(a[0], &r));
    n = select(0, NULL, NULL, NULL, &(struct timeval){ 0, 10000 });
    printf("select as a sleep: %d\n", n);
    return 0;
}
