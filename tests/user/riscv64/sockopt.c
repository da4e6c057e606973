/* Socket options: SO_RCVBUF (the kernel doubles it), SO_RCVTIMEO and
   SO_SNDTIMEO (struct timeval: a recv times out), SO_KEEPALIVE, SO_LINGER,
   a short buffer, bad levels and names, a socket filter
   (SO_ATTACH_FILTER: its struct sock_fprog holds a pointer).  With the
   argument "detach", SO_DETACH_FILTER too, which qemu-riscv64 7.2 does
   not know (ENOPROTOOPT): test-user.sh checks that against its known
   output. */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/filter.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    int s = socket(AF_INET, SOCK_DGRAM, 0), v;
    socklen_t len = sizeof(v);

    v = 65536;
    printf("set SO_RCVBUF: %d\n",
           setsockopt(s, SOL_SOCKET, SO_RCVBUF, &v, sizeof(v)));
    v = 0;
    getsockopt(s, SOL_SOCKET, SO_RCVBUF, &v, &len);
    printf("SO_RCVBUF %d (len %u)\n", v, len);
    v = 1;
    setsockopt(s, SOL_SOCKET, SO_KEEPALIVE, &v, sizeof(v));
    v = 0;
    getsockopt(s, SOL_SOCKET, SO_KEEPALIVE, &v, &len);
    printf("SO_KEEPALIVE %d\n", v);

    struct timeval tv = { 0, 30000 }, got;
    printf("set SO_RCVTIMEO: %d\n",
           setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)));
    len = sizeof(got);
    getsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &got, &len);
    printf("SO_RCVTIMEO %ld.%06ld (len %u)\n", (long)got.tv_sec,
           (long)got.tv_usec, len);
    tv.tv_sec = 2;
    tv.tv_usec = 500000;
    setsockopt(s, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
    getsockopt(s, SOL_SOCKET, SO_SNDTIMEO, &got, &len);
    printf("SO_SNDTIMEO %ld.%06ld\n", (long)got.tv_sec, (long)got.tv_usec);

    struct sockaddr_in sa = { .sin_family = AF_INET,
                              .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    bind(s, (struct sockaddr *)&sa, sizeof(sa));
    struct timespec t0, t1;
    char buf[16];
    clock_gettime(CLOCK_MONOTONIC, &t0);
    ssize_t n = recv(s, buf, sizeof(buf), 0);
    int e = errno;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double waited = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
    printf("recv timed out: %zd %s, after >= 20ms %d\n", n, strerror(e),
           waited >= 0.02);

    struct linger lg = { 1, 7 }, lg2;
    int t = socket(AF_INET, SOCK_STREAM, 0);
    setsockopt(t, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
    len = sizeof(lg2);
    getsockopt(t, SOL_SOCKET, SO_LINGER, &lg2, &len);
    printf("SO_LINGER %d %d (len %u)\n", lg2.l_onoff, lg2.l_linger, len);
    char small = 0;
    len = 1;
    int r = getsockopt(s, SOL_SOCKET, SO_TYPE, &small, &len);
    printf("a 1-byte buffer: %d len %u\n", r, len);
    r = getsockopt(s, SOL_SOCKET, 9999, &v, &len);
    printf("an unknown option: %d %s\n", r, strerror(errno));
    r = setsockopt(s, 9999, 1, &v, sizeof(v));
    printf("an unknown level: %d %s\n", r, strerror(errno));
    r = setsockopt(s, SOL_SOCKET, SO_RCVBUF, (void *)16, sizeof(v));
    printf("a bad pointer: %d %s\n", r, strerror(errno));

    /* A filter that drops everything: a datagram sent to s never comes. */
    struct sock_filter drop[] = { BPF_STMT(BPF_RET | BPF_K, 0) };
    struct sock_fprog prog = { 1, drop };
    r = setsockopt(s, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof(prog));
    printf("SO_ATTACH_FILTER: %d\n", r);
    int c = socket(AF_INET, SOCK_DGRAM, 0);
    socklen_t sl = sizeof(sa);
    getsockname(s, (struct sockaddr *)&sa, &sl);
    sendto(c, "dropped", 7, 0, (struct sockaddr *)&sa, sizeof(sa));
    n = recv(s, buf, sizeof(buf), MSG_DONTWAIT);
    printf("with the filter: %zd %s\n", n, strerror(errno));
    if (argc < 2 || strcmp(argv[1], "detach"))
        return 0;
    r = setsockopt(s, SOL_SOCKET, SO_DETACH_FILTER, &v, sizeof(v));
    sendto(c, "passed", 6, 0, (struct sockaddr *)&sa, sizeof(sa));
    n = recv(s, buf, sizeof(buf), 0);
    printf("detached %d: %zd %.*s\n", r, n, (int)n, buf);
    return 0;
}
