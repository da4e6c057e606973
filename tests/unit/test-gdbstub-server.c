/* needs: none */
/*
 * Tests of gdbserver_start's device strings (gdbstub/system.c): tcp:,
 * unix: and chardev: devices, errors with a message, "none", and a
 * restart on the same device after "none" (the monitor's `gdbserver`),
 * which takes up the socket that still listens instead of failing to
 * bind it again.
 */
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <glib.h>

#include "mimic/chardev.h"
#include "mimic/gdbstub.h"
#include "unit.h"

static char *sock_path(const char *name)
{
    return g_strdup_printf("%s/mimic-gdbstub-%d-%s", g_get_tmp_dir(),
                           (int)getpid(), name);
}

TEST(bad_devices_are_errors)
{
    char *err = NULL;

    EXPECT(!gdbserver_start("serial0", &err));
    EXPECT(err && strstr(err, "tcp::PORT"));
    g_free(err);
    err = NULL;
    EXPECT(!gdbserver_start("tcp:1234", &err));
    EXPECT(err && strstr(err, "tcp:[HOST]:PORT"));
    g_free(err);
    err = NULL;
    EXPECT(!gdbserver_start("chardev:nope", &err));
    EXPECT(err && strstr(err, "nope"));
    g_free(err);
}

TEST(unix_none_and_again)
{
    g_autofree char *path = sock_path("a");
    g_autofree char *dev = g_strdup_printf("unix:%s", path);
    char *err = NULL;

    EXPECT(gdbserver_start(dev, &err));
    EXPECT(g_file_test(path, G_FILE_TEST_EXISTS));
    EXPECT(gdbserver_start("none", &err));
    EXPECT(gdbserver_start(dev, &err));
    EXPECT(gdbserver_start(dev, &err));
    EXPECT(err == NULL);
    g_free(err);
    unlink(path);
}

/* A TCP port that was free a moment ago. */
static int free_port(void)
{
    struct sockaddr_in sa = { .sin_family = AF_INET };
    socklen_t len = sizeof(sa);
    int fd = socket(AF_INET, SOCK_STREAM, 0), port;

    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(fd, (struct sockaddr *)&sa, sizeof(sa));
    getsockname(fd, (struct sockaddr *)&sa, &len);
    port = ntohs(sa.sin_port);
    close(fd);
    return port;
}

TEST(tcp_none_and_again)
{
    g_autofree char *dev = g_strdup_printf("tcp:127.0.0.1:%d", free_port());
    char *err = NULL;

    EXPECT(gdbserver_start(dev, &err));
    EXPECT(gdbserver_start("none", &err));
    EXPECT(gdbserver_start(dev, &err));
    if (err)
        printf("#   %s\n", err);
    EXPECT(err == NULL);
    g_free(err);
}

TEST(chardev_device)
{
    g_autofree char *path = sock_path("b");
    g_autofree char *spec = g_strdup_printf(
        "socket,id=gdbtest,path=%s,server=on,wait=off", path);
    char *err = NULL;

    EXPECT(chardev_new(spec, &err) != NULL);
    EXPECT(gdbserver_start("chardev:gdbtest", &err));
    EXPECT(err == NULL);
    EXPECT(gdbserver_start("none", &err));
    unlink(path);
}

int main(void)
{
    return unit_run();
}
