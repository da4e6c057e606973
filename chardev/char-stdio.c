/*
 * The stdio backend: guest output to standard output, input from standard
 * input.  When stdin is a terminal it is put in raw mode (no echo, no line
 * editing, output post-processing kept) and restored at exit, including
 * exits through SIGINT/SIGTERM/SIGHUP, which the main loop turns into a
 * normal shutdown.  With signal=on (the default) Ctrl-C still interrupts
 * the emulator; signal=off passes it to the guest.  When stdin is not a
 * terminal (a pipe, /dev/null) termios is left alone, and at end of file
 * the backend simply stops reading while the guest keeps running.
 *
 * Output is gathered a line at a time: a UART sends one byte per register
 * write, and a write(2) per byte was a visible part of a verbose boot.  A
 * line end, 2 KiB of output or 2 ms without either sends what there is,
 * and so does exit.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <glib-unix.h>

#include "char-internal.h"
#include "mimic/log.h"
#include "mimic/main-loop.h"
#include "mimic/options.h"

typedef struct StdioState {
    guint watch;       /* stdin source, 0 when paused or at EOF */
    bool eof;
} StdioState;

#define OUT_FLUSH_BYTES 2048
#define OUT_FLUSH_MS 2

/* Output not yet written; writers may be on any thread. */
static struct {
    pthread_mutex_t lock;
    uint8_t buf[OUT_FLUSH_BYTES];
    int len;
    bool timer_armed;
} out = { .lock = PTHREAD_MUTEX_INITIALIZER };

static bool stdio_in_use;
static bool term_saved;
static struct termios term_orig;

static void stdio_restore_terminal(void)
{
    if (term_saved) {
        tcsetattr(STDIN_FILENO, TCSANOW, &term_orig);
        term_saved = false;
    }
}

static void stdio_raw_mode(bool allow_signals)
{
    struct termios t;

    if (!isatty(STDIN_FILENO) || tcgetattr(STDIN_FILENO, &term_orig) < 0)
        return;
    term_saved = true;
    atexit(stdio_restore_terminal);
    main_loop_add_early_exit(stdio_restore_terminal);
    t = term_orig;
    t.c_iflag &= ~(IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR | IGNCR | ICRNL | IXON);
    t.c_oflag |= OPOST;
    t.c_lflag &= ~(ECHO | ECHONL | ICANON | IEXTEN);
    if (!allow_signals)
        t.c_lflag &= ~ISIG;
    t.c_cflag &= ~(CSIZE | PARENB);
    t.c_cflag |= CS8;
    t.c_cc[VMIN] = 1;
    t.c_cc[VTIME] = 0;
    tcsetattr(STDIN_FILENO, TCSANOW, &t);
}

int chardev_write_fd(int fd, const uint8_t *buf, int len)
{
    int done = 0;

    while (done < len) {
        ssize_t n = write(fd, buf + done, (size_t)(len - done));

        if (n < 0 && (errno == EINTR || errno == EAGAIN))
            continue;
        if (n <= 0)
            return -1;
        done += (int)n;
    }
    return len;
}

/* Writes out what is gathered; called with out.lock held. */
static void out_flush_locked(void)
{
    if (out.len > 0)
        chardev_write_fd(STDOUT_FILENO, out.buf, out.len);
    out.len = 0;
}

static void out_flush(void)
{
    pthread_mutex_lock(&out.lock);
    out_flush_locked();
    pthread_mutex_unlock(&out.lock);
}

static gboolean out_timer(gpointer opaque)
{
    pthread_mutex_lock(&out.lock);
    out.timer_armed = false;
    out_flush_locked();
    pthread_mutex_unlock(&out.lock);
    return G_SOURCE_REMOVE;
}

static gboolean stdio_readable(gint fd, GIOCondition cond, gpointer data)
{
    Chardev *chr = data;
    StdioState *s = chr->be;
    uint8_t buf[CHARDEV_INBUF_SIZE];
    int space = chardev_input_space(chr);
    ssize_t n;

    if (space <= 0) {
        s->watch = 0;          /* resumed by stdio_input_resume() */
        return G_SOURCE_REMOVE;
    }
    n = read(fd, buf, (size_t)MIN(space, (int)sizeof(buf)));
    if (n < 0 && (errno == EINTR || errno == EAGAIN))
        return G_SOURCE_CONTINUE;
    if (n <= 0) {
        s->eof = true;         /* the guest runs on without input */
        s->watch = 0;
        return G_SOURCE_REMOVE;
    }
    chardev_receive(chr, buf, (int)n);
    return G_SOURCE_CONTINUE;
}

static void stdio_input_resume(Chardev *chr)
{
    StdioState *s = chr->be;

    if (!s->watch && !s->eof)
        s->watch = g_unix_fd_add(STDIN_FILENO, G_IO_IN | G_IO_HUP | G_IO_ERR,
                                 stdio_readable, chr);
}

static bool stdio_open(Chardev *chr, GHashTable *opts, char **err)
{
    g_autofree char *sig = opts_take(opts, "signal");
    bool allow_signals = true;

    if (stdio_in_use) {
        *err = g_strdup("cannot use stdio for more than one character device");
        return false;
    }
    if (sig && !opts_parse_bool(sig, &allow_signals)) {
        *err = g_strdup_printf("chardev '%s': signal=%s is not on or off",
                               chr->id, sig);
        return false;
    }
    stdio_in_use = true;
    atexit(out_flush);
    chr->be = g_new0(StdioState, 1);
    stdio_raw_mode(allow_signals);
    stdio_input_resume(chr);
    return true;
}

static int stdio_write(Chardev *chr, const uint8_t *buf, int len)
{
    int ret = len;

    pthread_mutex_lock(&out.lock);
    if (out.len + len > OUT_FLUSH_BYTES)
        out_flush_locked();
    if (len >= OUT_FLUSH_BYTES) {
        ret = chardev_write_fd(STDOUT_FILENO, buf, len);
    } else {
        memcpy(out.buf + out.len, buf, (size_t)len);
        out.len += len;
        if (memchr(buf, '\n', (size_t)len)) {
            out_flush_locked();
        } else if (!out.timer_armed) {
            GSource *t = g_timeout_source_new(OUT_FLUSH_MS);

            out.timer_armed = true;
            g_source_set_callback(t, out_timer, NULL, NULL);
            g_source_attach(t, main_loop_context());
            g_source_unref(t);
        }
    }
    pthread_mutex_unlock(&out.lock);
    return ret;
}

static void stdio_cleanup(Chardev *chr)
{
    out_flush();
    stdio_restore_terminal();
}

const ChardevClass chardev_stdio_class = {
    .name = "stdio",
    .open = stdio_open,
    .write = stdio_write,
    .input_resume = stdio_input_resume,
    .cleanup = stdio_cleanup,
};
