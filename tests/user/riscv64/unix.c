/* UNIX sockets: a socketpair passing a descriptor with SCM_RIGHTS (the
   receiver reads the file through it) and its credentials with
   SCM_CREDENTIALS; datagrams with sendmmsg/recvmmsg; a named socket. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static void send_fd(int sock, int fd)
{
    char data[] = "fd", ctl[CMSG_SPACE(sizeof(int))];
    struct iovec iov = { data, 2 };
    struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1,
                        .msg_control = ctl, .msg_controllen = sizeof(ctl) };
    struct cmsghdr *c = CMSG_FIRSTHDR(&m);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(c), &fd, sizeof(int));
    printf("sendmsg with SCM_RIGHTS: %zd\n", sendmsg(sock, &m, 0));
}

static int recv_fd(int sock)
{
    char data[8], ctl[CMSG_SPACE(sizeof(int))];
    struct iovec iov = { data, sizeof(data) };
    struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1,
                        .msg_control = ctl, .msg_controllen = sizeof(ctl) };
    ssize_t n = recvmsg(sock, &m, MSG_CMSG_CLOEXEC);
    struct cmsghdr *c = CMSG_FIRSTHDR(&m);
    int fd = -1;
    printf("recvmsg: %zd bytes \"%.*s\", controllen %zu, flags %#x\n", n,
           (int)n, data, (size_t)m.msg_controllen, m.msg_flags);
    if (c && c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
        memcpy(&fd, CMSG_DATA(c), sizeof(int));
        printf("got a descriptor, close-on-exec %d\n",
               !!(fcntl(fd, F_GETFD) & FD_CLOEXEC));
    }
    return fd;
}

int main(void)
{
    int sv[2];
    char path[] = "/tmp/mimic-unix-XXXXXX", buf[128];
    int f = mkstemp(path);
    write(f, "the contents of the passed file\n", 32);
    close(f);
    f = open(path, O_RDONLY);
    unlink(path);

    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv))
        return 1;
    send_fd(sv[0], f);
    close(f);
    int g = recv_fd(sv[1]);
    ssize_t n = pread(g, buf, sizeof(buf), 0);
    printf("read through it: %.*s", (int)n, buf);

    int on = 1;
    setsockopt(sv[1], SOL_SOCKET, SO_PASSCRED, &on, sizeof(on));
    struct ucred cred = { getpid(), getuid(), getgid() };
    char ctl[CMSG_SPACE(sizeof(cred))];
    struct iovec iov = { "cred", 4 };
    struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1,
                        .msg_control = ctl, .msg_controllen = sizeof(ctl) };
    struct cmsghdr *c = CMSG_FIRSTHDR(&m);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_CREDENTIALS;
    c->cmsg_len = CMSG_LEN(sizeof(cred));
    memcpy(CMSG_DATA(c), &cred, sizeof(cred));
    printf("sendmsg with SCM_CREDENTIALS: %zd\n", sendmsg(sv[0], &m, 0));
    memset(&cred, 0, sizeof(cred));
    memset(ctl, 0, sizeof(ctl));
    iov.iov_base = buf;
    iov.iov_len = sizeof(buf);
    m.msg_controllen = sizeof(ctl);
    n = recvmsg(sv[1], &m, 0);
    c = CMSG_FIRSTHDR(&m);
    if (c && c->cmsg_type == SCM_CREDENTIALS)
        memcpy(&cred, CMSG_DATA(c), sizeof(cred));
    printf("recvmsg: %zd, credentials are ours: %d %d %d\n", n,
           cred.pid == getpid(), cred.uid == getuid(), cred.gid == getgid());
    struct ucred peer;
    socklen_t len = sizeof(peer);
    getsockopt(sv[0], SOL_SOCKET, SO_PEERCRED, &peer, &len);
    printf("SO_PEERCRED: len %u, pid ours %d\n", len, peer.pid == getpid());
    close(sv[0]);
    printf("after the peer closed: recv %zd\n", recv(sv[1], buf, 8, 0));

    socketpair(AF_UNIX, SOCK_DGRAM, 0, sv);
    struct mmsghdr mm[3];
    struct iovec iovs[3];
    char *words[3] = { "one", "three", "seven" };
    for (int i = 0; i < 3; i++) {
        iovs[i] = (struct iovec){ words[i], strlen(words[i]) };
        mm[i] = (struct mmsghdr){ { .msg_iov = &iovs[i], .msg_iovlen = 1 } };
    }
    printf("sendmmsg: %d\n", sendmmsg(sv[0], mm, 3, 0));
    char rb[3][16];
    for (int i = 0; i < 3; i++) {
        iovs[i] = (struct iovec){ rb[i], 16 };
        mm[i] = (struct mmsghdr){ { .msg_iov = &iovs[i], .msg_iovlen = 1 } };
    }
    struct timespec ts = { 1, 0 };
    n = recvmmsg(sv[1], mm, 3, 0, &ts);
    printf("recvmmsg: %zd:", n);
    for (int i = 0; i < n; i++)
        printf(" %.*s(%u)", (int)mm[i].msg_len, rb[i], mm[i].msg_len);
    printf("\n");

    struct sockaddr_un sa = { AF_UNIX }, got;
    snprintf(sa.sun_path, sizeof(sa.sun_path), "/tmp/mimic-sock-%d", getpid());
    int l = socket(AF_UNIX, SOCK_STREAM, 0), cl = socket(AF_UNIX, SOCK_STREAM, 0);
    printf("bind %d listen %d connect %d\n",
           bind(l, (struct sockaddr *)&sa, sizeof(sa)), listen(l, 1),
           connect(cl, (struct sockaddr *)&sa, sizeof(sa)));
    int a = accept(l, NULL, NULL);
    len = sizeof(got);
    getpeername(cl, (struct sockaddr *)&got, &len);
    printf("peer name is the path: %d\n", !strcmp(got.sun_path, sa.sun_path));
    write(cl, "over a named socket", 19);
    n = read(a, buf, sizeof(buf));
    printf("%.*s\n", (int)n, buf);
    unlink(sa.sun_path);
    return 0;
}
