/* epoll on several pipes and an eventfd: the 64-bit data of each event
   comes back whole (riscv64's struct epoll_event is 16 bytes, x86-64's
   12), level and edge triggering, EPOLL_CTL_MOD and DEL, a timeout. */
#define _GNU_SOURCE
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#define N 4

int main(void)
{
    int ep = epoll_create1(EPOLL_CLOEXEC), p[N][2];
    struct epoll_event ev, out[8];

    for (int i = 0; i < N; i++) {
        pipe(p[i]);
        ev.events = EPOLLIN;
        ev.data.u64 = 0x1122334455667700ull + i + ((uint64_t)i << 60);
        if (epoll_ctl(ep, EPOLL_CTL_ADD, p[i][0], &ev))
            return 1;
    }
    int efd = eventfd(0, EFD_NONBLOCK);
    ev.events = EPOLLIN | EPOLLET;
    ev.data.u64 = 0xdeadbeefcafef00dull;
    epoll_ctl(ep, EPOLL_CTL_ADD, efd, &ev);

    printf("nothing ready: %d\n", epoll_wait(ep, out, 8, 30));
    write(p[1][1], "a", 1);
    write(p[3][1], "b", 1);
    eventfd_write(efd, 5);
    int n = epoll_wait(ep, out, 8, 1000);
    uint64_t seen = 0;
    printf("ready: %d\n", n);
    /* The order is the kernel's: print by data. */
    for (int i = 0; i < n; i++)
        seen ^= out[i].data.u64;
    for (int i = 0; i < n; i++)
        for (int j = i + 1; j < n; j++)
            if (out[j].data.u64 < out[i].data.u64) {
                struct epoll_event t = out[i];
                out[i] = out[j];
                out[j] = t;
            }
    for (int i = 0; i < n; i++)
        printf("  data %#018llx events %#x\n",
               (unsigned long long)out[i].data.u64, out[i].events);
    printf("xor of data %#llx\n", (unsigned long long)seen);

    n = epoll_wait(ep, out, 8, 0);
    printf("again (the eventfd is edge-triggered): %d\n", n);
    n = epoll_wait(ep, out, 1, 0);
    printf("maxevents 1: %d\n", n);

    ev.events = EPOLLOUT;
    ev.data.ptr = &ev;
    epoll_ctl(ep, EPOLL_CTL_MOD, p[1][0], &ev);
    epoll_ctl(ep, EPOLL_CTL_DEL, p[3][0], NULL);
    ev.events = EPOLLOUT;
    ev.data.fd = -7;
    epoll_ctl(ep, EPOLL_CTL_ADD, p[2][1], &ev);
    n = epoll_wait(ep, out, 8, 0);
    printf("after MOD, DEL and ADD: %d, data.fd %d events %#x\n", n,
           out[0].data.fd, out[0].events);

    sigset_t mask;
    sigemptyset(&mask);
    n = epoll_pwait(ep, out, 8, 0, &mask);
    printf("epoll_pwait: %d\n", n);
    n = epoll_ctl(ep, EPOLL_CTL_ADD, p[2][1], &ev);
    printf("adding twice: %d\n", n);
    n = epoll_wait(ep, out, 0, 0);
    printf("maxevents 0: %d\n", n);
    return 0;
}
