/*
 * The pty backend (-serial pty, -chardev pty,id=ID): a pseudo-terminal
 * whose name is printed at start-up as QEMU prints it ("char device
 * redirected to /dev/pts/N (label ID)"); connect with `screen /dev/pts/N`
 * or `picocom`.  The backend keeps the slave side open itself, in raw
 * mode, so the master never sees a hang-up: output written while nobody is
 * connected waits in the pty's buffer (what does not fit is dropped, so
 * the guest never blocks), and clients may come and go.
 */
#define _GNU_SOURCE   /* posix_openpt, ptsname, accept4 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <glib-unix.h>

#include "char-internal.h"

typedef struct PtyState {
    int master, slave;
    guint watch;
    char *name;
} PtyState;

static gboolean pty_readable(gint fd, GIOCondition cond, gpointer data)
{
    Chardev *chr = data;
    PtyState *s = chr->be;
    uint8_t buf[CHARDEV_INBUF_SIZE];
    int space = chardev_input_space(chr);
    ssize_t n;

    if (space <= 0) {
        s->watch = 0;            /* resumed by pty_input_resume() */
        return G_SOURCE_REMOVE;
    }
    n = read(fd, buf, (size_t)MIN(space, (int)sizeof(buf)));
    if (n < 0 && (errno == EINTR || errno == EAGAIN))
        return G_SOURCE_CONTINUE;
    if (n <= 0) {
        s->watch = 0;            /* cannot happen while we hold the slave */
        return G_SOURCE_REMOVE;
    }
    chardev_receive(chr, buf, (int)n);
    return G_SOURCE_CONTINUE;
}

static void pty_input_resume(Chardev *chr)
{
    PtyState *s = chr->be;

    if (!s->watch)
        s->watch = g_unix_fd_add(s->master, G_IO_IN, pty_readable, chr);
}

static bool pty_open(Chardev *chr, GHashTable *opts, char **err)
{
    PtyState *s = g_new0(PtyState, 1);
    struct termios t;
    const char *name;

    s->master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (s->master < 0 || grantpt(s->master) < 0 || unlockpt(s->master) < 0 ||
        !(name = ptsname(s->master))) {
        *err = g_strdup_printf("chardev '%s': cannot create a pty: %s",
                               chr->id, strerror(errno));
        if (s->master >= 0)
            close(s->master);
        g_free(s);
        return false;
    }
    s->name = g_strdup(name);
    s->slave = open(s->name, O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (s->slave >= 0 && tcgetattr(s->slave, &t) == 0) {
        cfmakeraw(&t);
        tcsetattr(s->slave, TCSANOW, &t);
    }
    fcntl(s->master, F_SETFL, fcntl(s->master, F_GETFL) | O_NONBLOCK);
    chr->be = s;
    printf("char device redirected to %s (label %s)\n", s->name, chr->id);
    fflush(stdout);
    pty_input_resume(chr);
    return true;
}

static int pty_write(Chardev *chr, const uint8_t *buf, int len)
{
    PtyState *s = chr->be;
    int done = 0;

    while (done < len) {
        ssize_t n = write(s->master, buf + done, (size_t)(len - done));

        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;               /* full (nobody reading): drop the rest */
        done += (int)n;
    }
    return len;
}

static void pty_cleanup(Chardev *chr)
{
    PtyState *s = chr->be;

    if (!s)
        return;
    if (s->watch)
        g_source_remove(s->watch);
    close(s->master);
    if (s->slave >= 0)
        close(s->slave);
    g_free(s->name);
    g_free(s);
    chr->be = NULL;
}

const ChardevClass chardev_pty_class = {
    .name = "pty",
    .open = pty_open,
    .write = pty_write,
    .input_resume = pty_input_resume,
    .cleanup = pty_cleanup,
};
