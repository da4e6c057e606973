/*
 * The socket backend: a TCP or Unix stream socket, as a server (listens;
 * one client at a time, later ones wait until it leaves) or a client
 * (connects at start-up).  Spellings, as QEMU's:
 *   -chardev socket,id=ID,host=HOST,port=PORT[,server=on|off][,wait=on|off]
 *   -chardev socket,id=ID,path=PATH[,server=on|off][,wait=on|off]
 *   -serial tcp:[HOST]:PORT[,server[=on|off]][,wait=on|off][,nowait]
 *   -serial unix:PATH[,server...]
 * A server with wait=on (the default for servers) holds start-up until the
 * first client connects.  Output while no client is connected is dropped;
 * a client that disconnects leaves the server listening again.  While a
 * client is connected the listening socket is not watched (a second client
 * waits in the backlog; polling a socket we would not accept from would
 * spin).  Writes never block the main loop or a vCPU: what the client does
 * not take at once waits in a buffer, sent as the socket becomes writable,
 * with the bounds of CHARDEV_OUT_PAUSE and CHARDEV_OUT_MAX.
 *
 * telnet=on (and -serial telnet:HOST:PORT,...) speaks enough telnet for a
 * telnet client to act as a raw terminal, as QEMU: on connecting it sends
 * IAC WILL ECHO, WILL SUPPRESS-GO-AHEAD, WILL BINARY, DO BINARY; IAC
 * commands from the client are taken out of the input (IAC IAC is one
 * 0xff byte), and a 0xff byte of output is sent doubled.
 *
 * reconnect=N (a client) does not need the server at start-up: it
 * connects without blocking, and while disconnected it tries again every
 * N seconds, on the main loop.
 */
#define _GNU_SOURCE   /* posix_openpt, ptsname, accept4 */
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <glib-unix.h>

#include "char-internal.h"
#include "mimic/log.h"
#include "mimic/options.h"

typedef struct SocketState {
    int listen_fd;           /* -1 for a client */
    int fd;                  /* the connection, or -1 */
    guint listen_watch, watch, out_watch;
    GByteArray *out;         /* output the client has not taken yet ... */
    size_t out_off;          /* ... from this offset */
    char *desc;              /* "tcp:HOST:PORT" or "unix:PATH" */
    char *unix_path;         /* a server's socket file, removed at exit */
    bool telnet;
    int telnet_state;        /* 0 data; 1 after IAC; 2 skip one more */
    /* reconnect=N: where to connect, the retry timer, a connection in
       progress, and whether its failure was reported already. */
    unsigned reconnect;
    char *host, *port, *path;
    guint retry_source, connect_watch;
    int connecting_fd;
    bool failure_reported;
} SocketState;

#define IAC 0xff
#define IAC_BREAK 0xf3

static void socket_schedule_reconnect(Chardev *chr);

static void socket_input_resume(Chardev *chr);
static gboolean socket_acceptable(gint fd, GIOCondition cond, gpointer data);

static size_t out_pending(const SocketState *s)
{
    return s->out->len - s->out_off;
}

static bool socket_output_full(Chardev *chr)
{
    SocketState *s = chr->be;

    return out_pending(s) >= CHARDEV_OUT_PAUSE;
}

/* A server watches its listening socket only while it has no client. */
static void socket_update_listen(Chardev *chr)
{
    SocketState *s = chr->be;
    bool want = s->listen_fd >= 0 && s->fd < 0;

    if (want && !s->listen_watch)
        s->listen_watch =
            g_unix_fd_add(s->listen_fd, G_IO_IN, socket_acceptable, chr);
    else if (!want && s->listen_watch) {
        g_source_remove(s->listen_watch);
        s->listen_watch = 0;
    }
}

static void socket_disconnect(Chardev *chr)
{
    SocketState *s = chr->be;
    bool was_full = socket_output_full(chr);

    if (s->watch)
        g_source_remove(s->watch);
    if (s->out_watch)
        g_source_remove(s->out_watch);
    s->watch = s->out_watch = 0;
    g_byte_array_set_size(s->out, 0);
    s->out_off = 0;
    if (s->fd >= 0) {
        close(s->fd);
        s->fd = -1;
        chardev_drop_input(chr);
        socket_update_listen(chr);
        chardev_event(chr, CHARDEV_EVENT_CLOSED);
        socket_schedule_reconnect(chr);
    }
    /* A frontend waiting for the client to read may write again (into
       the void, until the next client). */
    if (was_full)
        chardev_output_drained(chr);
}

/* Takes the client's telnet commands out of buf (QEMU's rules: IAC X Y is
   a command, IAC IAC a 0xff byte, IAC BREAK two bytes); the data left. */
static ssize_t telnet_filter(SocketState *s, uint8_t *buf, size_t n)
{
    size_t out = 0;

    for (size_t i = 0; i < n; i++) {
        uint8_t c = buf[i];

        if (s->telnet_state == 0) {
            if (c == IAC)
                s->telnet_state = 1;
            else
                buf[out++] = c;
        } else if (s->telnet_state == 1) {
            if (c == IAC)
                buf[out++] = c;
            s->telnet_state = (c == IAC || c == IAC_BREAK) ? 0 : 2;
        } else {
            s->telnet_state = 0;
        }
    }
    return (ssize_t)out;
}

static gboolean socket_readable(gint fd, GIOCondition cond, gpointer data)
{
    Chardev *chr = data;
    SocketState *s = chr->be;
    uint8_t buf[CHARDEV_INBUF_SIZE];
    int space = chardev_input_space(chr);
    ssize_t n;

    if (space <= 0 || socket_output_full(chr)) {
        s->watch = 0; /* resumed by socket_input_resume() */
        return G_SOURCE_REMOVE;
    }
    n = recv(fd, buf, (size_t)MIN(space, (int)sizeof(buf)), 0);
    if (n < 0 && (errno == EINTR || errno == EAGAIN))
        return G_SOURCE_CONTINUE;
    if (n <= 0) {
        s->watch = 0;        /* the source goes away with this return */
        socket_disconnect(chr);
        return G_SOURCE_REMOVE;
    }
    if (s->telnet)
        n = telnet_filter(s, buf, (size_t)n);
    if (n > 0)
        chardev_receive(chr, buf, (int)n);
    return G_SOURCE_CONTINUE;
}

static void socket_input_resume(Chardev *chr)
{
    SocketState *s = chr->be;

    if (s->fd >= 0 && !s->watch && !socket_output_full(chr))
        s->watch = g_unix_fd_add(s->fd, G_IO_IN | G_IO_HUP | G_IO_ERR,
                                 socket_readable, chr);
}

/* Sends what the socket takes now: bytes sent, or -1 if the client is
   gone. */
static ssize_t send_some(int fd, const uint8_t *buf, size_t len)
{
    size_t done = 0;

    while (done < len) {
        ssize_t n =
            send(fd, buf + done, len - done, MSG_NOSIGNAL | MSG_DONTWAIT);

        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            break;
        if (n <= 0)
            return -1;
        done += (size_t)n;
    }
    return (ssize_t)done;
}

static gboolean socket_writable(gint fd, GIOCondition cond, gpointer data)
{
    Chardev *chr = data;
    SocketState *s = chr->be;
    bool was_full = socket_output_full(chr);
    ssize_t n = send_some(fd, s->out->data + s->out_off, out_pending(s));

    if (n < 0) {
        s->out_watch = 0; /* the source goes away with this return */
        socket_disconnect(chr);
        return G_SOURCE_REMOVE;
    }
    s->out_off += (size_t)n;
    if (!out_pending(s)) {
        g_byte_array_set_size(s->out, 0);
        s->out_off = 0;
    } else if (s->out_off >= s->out->len / 2) {
        g_byte_array_remove_range(s->out, 0, (guint)s->out_off);
        s->out_off = 0;
    }
    if (was_full && !socket_output_full(chr))
        chardev_output_drained(chr);
    if (out_pending(s))
        return G_SOURCE_CONTINUE;
    s->out_watch = 0;
    return G_SOURCE_REMOVE;
}

static int socket_write_raw(Chardev *chr, const uint8_t *buf, int len);

static void socket_set_client(Chardev *chr, int fd)
{
    SocketState *s = chr->be;
    int one = 1;

    s->fd = fd;
    s->failure_reported = false;
    s->telnet_state = 0;
    if (s->telnet) {
        /* Binary, no local echo, single characters. */
        static const uint8_t hello[] = { IAC, 0xfb, 0x01, IAC, 0xfb, 0x03,
                                         IAC, 0xfb, 0x00, IAC, 0xfd, 0x00 };

        socket_write_raw(chr, hello, sizeof(hello));
    }
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    socket_update_listen(chr);
    socket_input_resume(chr);
    chardev_event(chr, CHARDEV_EVENT_OPENED);
}

static gboolean socket_acceptable(gint fd, GIOCondition cond, gpointer data)
{
    Chardev *chr = data;
    SocketState *s = chr->be;
    int c;

    if (s->fd >= 0) {
        s->listen_watch = 0; /* watched again when it leaves */
        return G_SOURCE_REMOVE;
    }
    c = accept4(fd, NULL, NULL, SOCK_CLOEXEC);
    if (c >= 0) {
        s->listen_watch = 0; /* socket_set_client must not remove it */
        socket_set_client(chr, c);
        return G_SOURCE_REMOVE;
    }
    return G_SOURCE_CONTINUE;
}

/*
 * Binds fd to path and listens.  The socket file appears only once it
 * listens (bound under a temporary name, then renamed over path), so a
 * client that waits for the file to exist is never refused.
 */
static int unix_listen_at(int fd, const char *path)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    g_autofree char *tmp = g_strdup_printf("%s.%d~", path, (int)getpid());
    const char *at = strlen(tmp) < sizeof(sa.sun_path) ? tmp : path;

    strcpy(sa.sun_path, at);
    unlink(at);
    if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
        return -1;
    if (listen(fd, 1) < 0 || (at != path && rename(at, path) < 0)) {
        int e = errno;

        unlink(at);
        errno = e;
        return -1;
    }
    return 0;
}

/* A listening or connected socket for host:port or path; -1 with *err. */
static int socket_make(const char *host, const char *port, const char *path,
                       bool server, char **err)
{
    struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM,
                              .ai_flags = server ? AI_PASSIVE : 0 };
    struct addrinfo *res, *ai;
    int fd = -1, r, one = 1;

    if (path) {
        struct sockaddr_un sa = { .sun_family = AF_UNIX };

        if (strlen(path) >= sizeof(sa.sun_path)) {
            *err = g_strdup_printf("socket path too long: %s", path);
            return -1;
        }
        strcpy(sa.sun_path, path);
        fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        r = server ? unix_listen_at(fd, path)
                   : connect(fd, (struct sockaddr *)&sa, sizeof(sa));
        if (r < 0) {
            *err = g_strdup_printf("cannot %s unix:%s: %s",
                                   server ? "listen on" : "connect to", path,
                                   strerror(errno));
            close(fd);
            return -1;
        }
        return fd;
    }
    r = getaddrinfo(host && *host ? host : NULL, port, &hints, &res);
    if (r != 0) {
        *err = g_strdup_printf("address '%s:%s': %s", host ? host : "", port,
                               gai_strerror(r));
        return -1;
    }
    for (ai = res; ai; ai = ai->ai_next) {
        fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
        if (fd < 0)
            continue;
        if (server) {
            setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
            if (bind(fd, ai->ai_addr, ai->ai_addrlen) == 0 && listen(fd, 1) == 0)
                break;
        } else if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0) {
            break;
        }
        close(fd);
        fd = -1;
    }
    if (fd < 0)
        *err = g_strdup_printf("cannot %s tcp:%s:%s: %s",
                               server ? "listen on" : "connect to",
                               host ? host : "", port, strerror(errno));
    freeaddrinfo(res);
    return fd;
}

static bool bool_opt(Chardev *chr, GHashTable *opts, const char *key,
                     bool dflt, bool *out, char **err)
{
    g_autofree char *v = opts_take(opts, key);

    *out = dflt;
    if (v && !opts_parse_bool(v, out)) {
        *err = g_strdup_printf("chardev '%s': %s=%s is not on or off",
                               chr->id, key, v);
        return false;
    }
    return true;
}

/* A TCP port: decimal, 0 (any free port) to 65535.  getaddrinfo would
   take a service name, and wrap or refuse a number out of range. */
static bool port_valid(const char *port)
{
    unsigned long v = 0;

    if (!*port || strspn(port, "0123456789") != strlen(port) ||
        strlen(port) > 5)
        return false;
    v = strtoul(port, NULL, 10);
    return v <= 65535;
}

/* ---- reconnect=N ---- */

/* Starts connecting without blocking: a connected fd (*pending false),
   one still connecting (*pending true), or -1 with *err. */
static int connect_nonblocking(const SocketState *s, bool *pending,
                               char **err)
{
    struct addrinfo hints = { .ai_family = AF_UNSPEC,
                              .ai_socktype = SOCK_STREAM };
    struct addrinfo *res = NULL;
    int fd, r, e;

    *pending = false;
    if (s->path) {
        struct sockaddr_un sa = { .sun_family = AF_UNIX };

        strcpy(sa.sun_path, s->path);   /* length checked at open */
        fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
        r = fd < 0 ? -1 : connect(fd, (struct sockaddr *)&sa, sizeof(sa));
    } else {
        r = getaddrinfo(s->host && *s->host ? s->host : NULL, s->port, &hints,
                        &res);
        if (r != 0) {
            *err = g_strdup_printf("address '%s:%s': %s", s->host, s->port,
                                   gai_strerror(r));
            return -1;
        }
        fd = socket(res->ai_family,
                    res->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK,
                    res->ai_protocol);
        r = fd < 0 ? -1 : connect(fd, res->ai_addr, res->ai_addrlen);
        freeaddrinfo(res);
    }
    if (r == 0)
        return fd;
    e = errno;
    if (fd >= 0 && e == EINPROGRESS) {
        *pending = true;
        return fd;
    }
    if (fd >= 0)
        close(fd);
    *err = g_strdup_printf("Failed to connect to '%s': %s",
                           s->desc + (s->path ? 5 : 4), strerror(e));
    return -1;
}

static void socket_try_connect(Chardev *chr);

static void connect_failed(Chardev *chr, char *err)
{
    SocketState *s = chr->be;

    /* Once per run of failures, not every N seconds. */
    if (!s->failure_reported)
        error_report("Unable to connect character device %s: %s", chr->id,
                     err);
    s->failure_reported = true;
    g_free(err);
    socket_schedule_reconnect(chr);
}

static gboolean socket_connected(gint fd, GIOCondition cond, gpointer data)
{
    Chardev *chr = data;
    SocketState *s = chr->be;
    int e = 0;
    socklen_t len = sizeof(e);

    s->connect_watch = 0;
    s->connecting_fd = -1;
    if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &e, &len) < 0)
        e = errno;
    if (e) {
        close(fd);
        connect_failed(chr, g_strdup_printf("Failed to connect to '%s': %s",
                                            s->desc + (s->path ? 5 : 4),
                                            strerror(e)));
    } else {
        socket_set_client(chr, fd);
    }
    return G_SOURCE_REMOVE;
}

static void socket_try_connect(Chardev *chr)
{
    SocketState *s = chr->be;
    char *err = NULL;
    bool pending;
    int fd = connect_nonblocking(s, &pending, &err);

    if (fd < 0) {
        connect_failed(chr, err);
    } else if (!pending) {
        socket_set_client(chr, fd);
    } else {
        s->connecting_fd = fd;
        s->connect_watch = g_unix_fd_add(fd, G_IO_OUT | G_IO_ERR | G_IO_HUP,
                                         socket_connected, chr);
    }
}

static gboolean socket_retry(gpointer data)
{
    Chardev *chr = data;
    SocketState *s = chr->be;

    s->retry_source = 0;
    if (s->fd < 0 && s->connecting_fd < 0)
        socket_try_connect(chr);
    return G_SOURCE_REMOVE;
}

static void socket_schedule_reconnect(Chardev *chr)
{
    SocketState *s = chr->be;

    if (s->reconnect && !s->retry_source && s->fd < 0 &&
        s->connecting_fd < 0)
        s->retry_source = g_timeout_add_seconds(s->reconnect, socket_retry,
                                                chr);
}

static bool socket_open(Chardev *chr, GHashTable *opts, char **err)
{
    g_autofree char *host = opts_take(opts, "host");
    g_autofree char *port = opts_take(opts, "port");
    g_autofree char *path = opts_take(opts, "path");
    g_autofree char *nowait = opts_take(opts, "nowait");
    g_autofree char *nodelay = opts_take(opts, "nodelay");
    g_autofree char *reconnect = opts_take(opts, "reconnect");
    guint64 retry = 0;
    bool server, wait, telnet;
    SocketState *s;
    int fd;

    if (!bool_opt(chr, opts, "server", false, &server, err) ||
        !bool_opt(chr, opts, "wait", server && !nowait, &wait, err) ||
        !bool_opt(chr, opts, "telnet", false, &telnet, err))
        return false;
    if (reconnect && !g_ascii_string_to_unsigned(reconnect, 10, 0, 86400,
                                                 &retry, NULL)) {
        *err = g_strdup_printf("chardev '%s': reconnect=%s is not a number of "
                               "seconds (0 to 86400)", chr->id, reconnect);
        return false;
    }
    if (retry && server) {
        *err = g_strdup("'reconnect' option is incompatible with socket in "
                        "server listen mode");
        return false;
    }
    if (!path && !port) {
        *err = g_strdup_printf("chardev '%s': socket needs port=PORT (TCP) "
                               "or path=PATH (Unix)", chr->id);
        return false;
    }
    if (!path && !port_valid(port)) {
        *err = g_strdup_printf("chardev '%s': port '%s' is not a number from "
                               "0 to 65535",
                               chr->id, port);
        return false;
    }
    if (retry) {
        struct sockaddr_un sa;

        if (path && strlen(path) >= sizeof(sa.sun_path)) {
            *err = g_strdup_printf("socket path too long: %s", path);
            return false;
        }
        s = g_new0(SocketState, 1);
        s->listen_fd = s->fd = s->connecting_fd = -1;
        s->out = g_byte_array_new();
        s->desc = path ? g_strdup_printf("unix:%s", path)
                       : g_strdup_printf("tcp:%s:%s", host ? host : "", port);
        s->telnet = telnet;
        s->reconnect = (unsigned)retry;
        s->host = g_strdup(host ? host : "");
        s->port = g_strdup(port);
        s->path = g_strdup(path);
        chr->be = s;
        socket_try_connect(chr);   /* start-up does not wait for it */
        return true;
    }
    fd = socket_make(host, port, path, server, err);
    if (fd < 0)
        return false;
    s = g_new0(SocketState, 1);
    s->telnet = telnet;
    s->connecting_fd = -1;
    s->listen_fd = server ? fd : -1;
    s->fd = -1;
    s->out = g_byte_array_new();
    s->desc = path ? g_strdup_printf("unix:%s", path)
                   : g_strdup_printf("tcp:%s:%s", host ? host : "", port);
    s->unix_path = server && path ? g_strdup(path) : NULL;
    chr->be = s;
    if (!server) {
        socket_set_client(chr, fd);
        return true;
    }
    if (wait) {
        int c;

        error_report("info: waiting for connection on %s,server=on", s->desc);
        do {
            c = accept4(fd, NULL, NULL, SOCK_CLOEXEC);
        } while (c < 0 && errno == EINTR);
        if (c >= 0)
            socket_set_client(chr, c);
    }
    socket_update_listen(chr);
    return true;
}

static int socket_write_raw(Chardev *chr, const uint8_t *buf, int len)
{
    SocketState *s = chr->be;
    ssize_t n = 0;

    if (s->fd < 0 || len <= 0)
        return len; /* no client: output is dropped */
    if (!out_pending(s)) {
        n = send_some(s->fd, buf, (size_t)len);
        if (n < 0) {
            socket_disconnect(chr); /* the client went away */
            return len;
        }
    }
    if (n == len)
        return len;
    if (out_pending(s) + (size_t)(len - n) > CHARDEV_OUT_MAX) {
        error_report("chardev '%s': the client on %s reads none of its "
                     "output; disconnected",
                     chr->id, s->desc);
        socket_disconnect(chr);
        return len;
    }
    g_byte_array_append(s->out, buf + n, (guint)(len - n));
    if (!s->out_watch)
        s->out_watch = g_unix_fd_add(s->fd, G_IO_OUT | G_IO_HUP | G_IO_ERR,
                                     socket_writable, chr);
    return len;
}

static int socket_write(Chardev *chr, const uint8_t *buf, int len)
{
    SocketState *s = chr->be;
    g_autoptr(GByteArray) esc = NULL;

    if (!s->telnet || !memchr(buf, IAC, (size_t)MAX(len, 0)))
        return socket_write_raw(chr, buf, len);
    /* Telnet: a 0xff byte is sent as IAC IAC. */
    esc = g_byte_array_sized_new((guint)len * 2);
    for (int i = 0; i < len; i++) {
        g_byte_array_append(esc, &buf[i], 1);
        if (buf[i] == IAC)
            g_byte_array_append(esc, &buf[i], 1);
    }
    socket_write_raw(chr, esc->data, (int)esc->len);
    return len;
}

/* At exit: what the client is still owed (the reply to quit, the last
   events), as long as it keeps taking it. */
static void socket_flush(SocketState *s)
{
    while (s->fd >= 0 && out_pending(s)) {
        struct pollfd p = {.fd = s->fd, .events = POLLOUT};
        ssize_t n;

        if (poll(&p, 1, 200) <= 0)
            return;
        n = send_some(s->fd, s->out->data + s->out_off, out_pending(s));
        if (n <= 0)
            return;
        s->out_off += (size_t)n;
    }
}

static void socket_cleanup(Chardev *chr)
{
    SocketState *s = chr->be;

    if (!s)
        return;
    s->reconnect = 0;
    if (s->retry_source)
        g_source_remove(s->retry_source);
    if (s->connect_watch)
        g_source_remove(s->connect_watch);
    if (s->connecting_fd >= 0)
        close(s->connecting_fd);
    s->retry_source = s->connect_watch = 0;
    s->connecting_fd = -1;
    g_free(s->host);
    g_free(s->port);
    g_free(s->path);
    socket_flush(s);
    socket_disconnect(chr);
    g_byte_array_free(s->out, TRUE);
    if (s->listen_watch)
        g_source_remove(s->listen_watch);
    if (s->listen_fd >= 0)
        close(s->listen_fd);
    if (s->unix_path)
        unlink(s->unix_path);
    g_free(s->unix_path);
    g_free(s->desc);
    g_free(s);
    chr->be = NULL;
}

const ChardevClass chardev_socket_class = {
    .name = "socket",
    .open = socket_open,
    .write = socket_write,
    .input_resume = socket_input_resume,
    .output_full = socket_output_full,
    .cleanup = socket_cleanup,
};
