/* needs: none */
/*
 * Tests of the socket backend (chardev/char-socket.c) with a client in
 * the test itself: output to a client that does not read is buffered, not
 * waited for (the main loop goes on), and holds back the client's input
 * until it reads; a client that reads nothing at all is dropped at the
 * bound; a server with a client does not poll its listening socket (a
 * second client waits in the backlog, then gets its turn).
 */
#define _GNU_SOURCE /* accept4 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <glib.h>

#include "mimic/chardev.h"
#include "unit.h"

static GString *input;
static GString *events;

static int fe_can_read(void *opaque)
{
    return 4096;
}

static void fe_read(void *opaque, const uint8_t *buf, int len)
{
    g_string_append_len(input, (const char *)buf, len);
}

static void fe_event(void *opaque, ChardevEvent event)
{
    g_string_append(events, event == CHARDEV_EVENT_OPENED   ? "open "
                            : event == CHARDEV_EVENT_CLOSED ? "close "
                                                            : "? ");
}

static char *sock_path(const char *name)
{
    return g_strdup_printf("%s/mimic-chrsock-%d-%s", g_get_tmp_dir(),
                           (int)getpid(), name);
}

static int unix_connect(const char *path)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

    g_strlcpy(sa.sun_path, path, sizeof(sa.sun_path));
    if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
        close(fd);
        return -1;
    }
    return fd;
}

static int unix_listen(const char *path)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

    g_strlcpy(sa.sun_path, path, sizeof(sa.sun_path));
    unlink(path);
    if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(fd, 1) < 0) {
        close(fd);
        return -1;
    }
    return fd;
}

/* Runs what the main loop has to do now, without waiting. */
static void run_pending(void)
{
    for (int i = 0; i < 100000 && g_main_context_iteration(NULL, FALSE); i++)
        ;
}

/* Reads what fd has now (non-blocking) into got; false at EOF. */
static bool drain(int fd, GString *got)
{
    char buf[65536];

    for (;;) {
        ssize_t n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);

        if (n > 0) {
            g_string_append_len(got, buf, n);
            continue;
        }
        return !(n == 0 || (errno != EAGAIN && errno != EINTR));
    }
}

/* A chardev connected (client mode) to a socket the test accepts on. */
static Chardev *connected_pair(const char *id, int *peer)
{
    g_autofree char *path = sock_path(id);
    g_autofree char *spec = g_strdup_printf("socket,id=%s,path=%s", id, path);
    int lfd = unix_listen(path);
    char *err = NULL;
    Chardev *chr = chardev_new(spec, &err);

    if (!chr)
        printf("#   %s\n", err);
    *peer = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
    close(lfd);
    unlink(path);
    if (input)
        g_string_free(input, TRUE);
    input = g_string_new(NULL);
    chardev_set_handlers(chr, fe_can_read, fe_read, NULL);
    return chr;
}

TEST(output_to_a_slow_client_is_buffered)
{
    size_t total = 4u << 20;
    g_autofree uint8_t *big = g_malloc(total);
    g_autoptr(GString) got = g_string_new(NULL);
    gint64 deadline;
    int peer;
    Chardev *chr = connected_pair("slow", &peer);

    for (size_t i = 0; i < total; i++)
        big[i] = (uint8_t)(i * 7 + i / 4096);
    /* Blocked forever if writes wait for the client (SIGALRM ends it). */
    alarm(60);
    EXPECT_EQ(chardev_write(chr, big, (int)total), total);
    alarm(0);
    EXPECT(chardev_is_open(chr));
    /* Input while the client owes us reading: held back. */
    EXPECT_EQ(send(peer, "req", 3, 0), 3);
    run_pending();
    EXPECT_STREQ(input->str, "");
    /* The client reads; everything arrives, in order, and then its input
       is taken. */
    deadline = g_get_monotonic_time() + 60 * G_USEC_PER_SEC;
    while ((got->len < total || input->len < 3) &&
           g_get_monotonic_time() < deadline) {
        drain(peer, got);
        g_main_context_iteration(NULL, FALSE);
    }
    EXPECT_EQ(got->len, total);
    EXPECT(got->len == total && memcmp(got->str, big, total) == 0);
    EXPECT_STREQ(input->str, "req");
    close(peer);
}

TEST(a_client_that_reads_nothing_is_dropped)
{
    static uint8_t chunk[1 << 20];
    g_autoptr(GString) got = g_string_new(NULL);
    gint64 deadline;
    int peer, i;
    Chardev *chr = connected_pair("deaf", &peer);

    events = g_string_new(NULL);
    chardev_set_event_handler(chr, fe_event);
    alarm(60);
    for (i = 0; i < 64 && chardev_is_open(chr); i++)
        EXPECT_EQ(chardev_write(chr, chunk, sizeof(chunk)), sizeof(chunk));
    alarm(0);
    EXPECT(!chardev_is_open(chr));
    EXPECT(i > 16 && i < 64);
    EXPECT_STREQ(events->str, "open close ");
    /* The client sees the end of the connection. */
    deadline = g_get_monotonic_time() + 60 * G_USEC_PER_SEC;
    while (drain(peer, got) && g_get_monotonic_time() < deadline)
        g_usleep(1000);
    EXPECT(g_get_monotonic_time() < deadline);
    close(peer);
    g_string_free(events, TRUE);
}

TEST(a_busy_server_does_not_poll_its_listening_socket)
{
    g_autofree char *path = sock_path("busy");
    g_autofree char *spec =
        g_strdup_printf("socket,id=busy,path=%s,server=on,wait=off", path);
    g_autoptr(GString) got = g_string_new(NULL);
    char *err = NULL;
    Chardev *chr = chardev_new(spec, &err);
    int a, b;
    gint64 deadline;

    EXPECT(chr != NULL);
    events = g_string_new(NULL);
    g_string_free(input, TRUE);
    input = g_string_new(NULL);
    chardev_set_handlers(chr, fe_can_read, fe_read, NULL);
    chardev_set_event_handler(chr, fe_event);
    a = unix_connect(path);
    deadline = g_get_monotonic_time() + 60 * G_USEC_PER_SEC;
    while (!chardev_is_open(chr) && g_get_monotonic_time() < deadline)
        g_main_context_iteration(NULL, FALSE);
    EXPECT(chardev_is_open(chr));
    /* A second client waits in the backlog: the loop has nothing to do
       (a watch on the listening socket would fire on every iteration). */
    b = unix_connect(path);
    EXPECT(b >= 0);
    run_pending();
    EXPECT(!g_main_context_iteration(NULL, FALSE));
    EXPECT_STREQ(events->str, "open ");
    /* The first leaves: the second is taken and is served. */
    close(a);
    deadline = g_get_monotonic_time() + 60 * G_USEC_PER_SEC;
    while (strcmp(events->str, "open close open ") != 0 &&
           g_get_monotonic_time() < deadline)
        g_main_context_iteration(NULL, FALSE);
    EXPECT_STREQ(events->str, "open close open ");
    EXPECT_EQ(send(b, "hi", 2, 0), 2);
    deadline = g_get_monotonic_time() + 60 * G_USEC_PER_SEC;
    while (input->len < 2 && g_get_monotonic_time() < deadline)
        g_main_context_iteration(NULL, FALSE);
    EXPECT_STREQ(input->str, "hi");
    close(b);
    chardev_cleanup_all();
    unlink(path);
    g_string_free(events, TRUE);
}

int main(void)
{
    signal(SIGPIPE, SIG_IGN);
    /* A write that blocks is ended by SIGALRM: show the cases before. */
    setvbuf(stdout, NULL, _IOLBF, 0);
    return unit_run();
}
