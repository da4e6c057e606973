/* UDP over 127.0.0.1: sendto and recvfrom with addresses, connected
   sockets, recvmsg with a name and a truncated datagram; IPv6 too when
   the host has ::1 (the same host for both emulators). */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int main(void)
{
    int a = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    int b = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    struct sockaddr_in sa = { .sin_family = AF_INET,
                              .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    struct sockaddr_in sb = sa, from;
    socklen_t len = sizeof(sa);
    bind(a, (struct sockaddr *)&sa, sizeof(sa));
    getsockname(a, (struct sockaddr *)&sa, &len);
    bind(b, (struct sockaddr *)&sb, sizeof(sb));
    len = sizeof(sb);
    getsockname(b, (struct sockaddr *)&sb, &len);

    ssize_t n = sendto(b, "datagram one", 12, 0, (struct sockaddr *)&sa,
                       sizeof(sa));
    printf("sendto: %zd\n", n);
    char buf[64];
    len = sizeof(from);
    n = recvfrom(a, buf, sizeof(buf), 0, (struct sockaddr *)&from, &len);
    printf("recvfrom: %zd \"%.*s\" len %u from b %d\n", n, (int)n, buf, len,
           from.sin_port == sb.sin_port);
    len = 4;
    memset(&from, 0, sizeof(from));
    sendto(b, "x", 1, 0, (struct sockaddr *)&sa, sizeof(sa));
    n = recvfrom(a, buf, sizeof(buf), 0, (struct sockaddr *)&from, &len);
    printf("a short address buffer: %zd, len %u, family %d, port 0 %d\n", n,
           len, from.sin_family, from.sin_port == 0);

    connect(b, (struct sockaddr *)&sa, sizeof(sa));
    send(b, "a longer datagram", 17, 0);
    struct iovec iov = { buf, 8 };
    struct msghdr m = { .msg_name = &from, .msg_namelen = sizeof(from),
                        .msg_iov = &iov, .msg_iovlen = 1 };
    n = recvmsg(a, &m, 0);
    printf("recvmsg into 8 bytes: %zd \"%.*s\" truncated %d namelen %u\n", n,
           (int)n, buf, !!(m.msg_flags & MSG_TRUNC), m.msg_namelen);
    send(b, "peek", 4, 0);
    n = recv(a, buf, sizeof(buf), MSG_PEEK | MSG_TRUNC);
    printf("peek %zd, then recv %zd\n", n, recv(a, buf, sizeof(buf), 0));
    printf("sendto with a bad length: %zd\n",
           sendto(a, "x", 1, 0, (struct sockaddr *)&sb, 200));
    printf("sendto a bad address: %zd\n",
           sendto(a, "x", 1, 0, (struct sockaddr *)16, sizeof(sb)));

    int s6 = socket(AF_INET6, SOCK_DGRAM, 0);
    struct sockaddr_in6 six = { .sin6_family = AF_INET6,
                                .sin6_addr = IN6ADDR_LOOPBACK_INIT }, f6;
    if (s6 >= 0 && bind(s6, (struct sockaddr *)&six, sizeof(six)) == 0) {
        len = sizeof(six);
        getsockname(s6, (struct sockaddr *)&six, &len);
        sendto(s6, "six", 3, 0, (struct sockaddr *)&six, sizeof(six));
        len = sizeof(f6);
        n = recvfrom(s6, buf, sizeof(buf), 0, (struct sockaddr *)&f6, &len);
        printf("IPv6: %zd len %u same port %d\n", n, len,
               f6.sin6_port == six.sin6_port);
    } else {
        printf("IPv6: no ::1 on this host\n");
    }
    return 0;
}
