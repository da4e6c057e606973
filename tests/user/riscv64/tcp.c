/* TCP over 127.0.0.1 in one process: bind to port 0, getsockname,
   connect, accept4, send and recv, getpeername, shutdown, a
   non-blocking accept, MSG_PEEK. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

int main(void)
{
    int s = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    int on = 1;
    setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
    struct sockaddr_in sa = { .sin_family = AF_INET,
                              .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    socklen_t len = sizeof(sa);
    printf("bind %d listen %d\n", bind(s, (struct sockaddr *)&sa, sizeof(sa)),
           listen(s, 4));
    getsockname(s, (struct sockaddr *)&sa, &len);
    printf("getsockname: len %u family %d addr %s port set %d\n", len,
           sa.sin_family, inet_ntoa(sa.sin_addr), sa.sin_port != 0);
    int r = accept(s, NULL, NULL);
    printf("accept with nobody waiting: %d %s\n", r, strerror(errno));

    int c = socket(AF_INET, SOCK_STREAM, 0);
    printf("connect: %d\n", connect(c, (struct sockaddr *)&sa, sizeof(sa)));
    struct pollfd p = { s, POLLIN, 0 };
    printf("poll on the listener: %d %#x\n", poll(&p, 1, 2000), p.revents);
    struct sockaddr_in peer, me;
    len = sizeof(peer);
    int a = accept4(s, (struct sockaddr *)&peer, &len, SOCK_CLOEXEC);
    printf("accept4: ok %d, cloexec %d, peer len %u %s\n", a >= 0,
           !!(fcntl(a, F_GETFD) & FD_CLOEXEC), len, inet_ntoa(peer.sin_addr));
    len = sizeof(me);
    getsockname(c, (struct sockaddr *)&me, &len);
    printf("the client's port is the peer's: %d\n", me.sin_port == peer.sin_port);
    len = sizeof(peer);
    getpeername(c, (struct sockaddr *)&peer, &len);
    printf("getpeername is the server: %d\n", peer.sin_port == sa.sin_port);
    setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &on, sizeof(on));

    char buf[256];
    printf("send: %zd\n", send(c, "hello, server", 13, 0));
    ssize_t n = recv(a, buf, 5, MSG_PEEK | MSG_WAITALL);
    printf("peek: %.*s\n", (int)n, buf);
    int avail = 0;
    ioctl(a, FIONREAD, &avail);
    printf("FIONREAD: %d\n", avail);
    n = recv(a, buf, sizeof(buf), MSG_WAITALL | MSG_DONTWAIT);
    printf("recv: %zd %.*s\n", n, (int)n, buf);
    n = recv(a, buf, sizeof(buf), MSG_DONTWAIT);
    printf("recv with nothing: %zd %s\n", n, strerror(errno));
    static char big[200000];
    memset(big, 'z', sizeof(big));
    n = write(a, big, sizeof(big));
    size_t got = 0;
    while (got < (size_t)n) {
        ssize_t k = read(c, buf, sizeof(buf));
        if (k <= 0)
            break;
        got += k;
    }
    printf("200000 bytes back: %zu\n", got);
    printf("shutdown: %d\n", shutdown(c, SHUT_WR));
    n = recv(a, buf, sizeof(buf), 0);
    printf("recv after the peer's shutdown: %zd\n", n);
    n = sendto(a, "bye", 3, MSG_NOSIGNAL, NULL, 0);
    n = recvfrom(c, buf, sizeof(buf), 0, NULL, NULL);
    printf("the other direction still works: %zd %.*s\n", n, (int)n, buf);
    close(a);
    n = recv(c, buf, sizeof(buf), 0);
    printf("after close: %zd\n", n);
    int err = 0;
    len = sizeof(err);
    getsockopt(c, SOL_SOCKET, SO_ERROR, &err, &len);
    int type;
    len = sizeof(type);
    getsockopt(c, SOL_SOCKET, SO_TYPE, &type, &len);
    printf("SO_ERROR %d SO_TYPE %d\n", err, type);
    printf("connect to a closed port: %d %s\n",
           (close(s), connect(socket(AF_INET, SOCK_STREAM, 0),
                              (struct sockaddr *)&sa, sizeof(sa))),
           strerror(errno));
    return 0;
}
