/*
 * Entropy backends (include/mimic/rng.h): rng-builtin (getrandom) and
 * rng-random (a file read without blocking), kept by id for the devices
 * that name them.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include <glib.h>
#include <glib-unix.h>

#include "mimic/rng.h"

struct RngBackend {
    char *id;
    int fd;                  /* rng-random's file; -1 for rng-builtin */
    bool at_end;             /* a regular file read to its end */
    guint watch;
    void (*wait_fn)(void *);
    void *wait_opaque;
};

static GHashTable *backends; /* id -> RngBackend */

RngBackend *rng_backend_find(const char *id)
{
    return backends ? g_hash_table_lookup(backends, id) : NULL;
}

static RngBackend *rng_add(const char *id, int fd, char **err)
{
    RngBackend *rng;

    if (rng_backend_find(id)) {
        *err = g_strdup_printf("Duplicate ID '%s' for object", id);
        if (fd >= 0)
            close(fd);
        return NULL;
    }
    rng = g_new0(RngBackend, 1);
    rng->id = g_strdup(id);
    rng->fd = fd;
    if (!backends)
        backends = g_hash_table_new(g_str_hash, g_str_equal);
    g_hash_table_insert(backends, rng->id, rng);
    return rng;
}

RngBackend *rng_backend_new_builtin(const char *id, char **err)
{
    return rng_add(id, -1, err);
}

RngBackend *rng_backend_new_random(const char *id, const char *filename,
                                   char **err)
{
    int fd;

    if (rng_backend_find(id)) {
        *err = g_strdup_printf("Duplicate ID '%s' for object", id);
        return NULL;
    }
    fd = open(filename, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        *err = g_strdup_printf("Could not open '%s': %s", filename,
                               strerror(errno));
        return NULL;
    }
    return rng_add(id, fd, err);
}

size_t rng_backend_read(RngBackend *rng, void *buf, size_t len)
{
    ssize_t n;

    if (rng->fd < 0) {
        do {
            n = getrandom(buf, len, 0);
        } while (n < 0 && errno == EINTR);
        return n > 0 ? (size_t)n : 0;
    }
    if (rng->at_end)
        return 0;
    do {
        n = read(rng->fd, buf, len);
    } while (n < 0 && errno == EINTR);
    if (n == 0)
        rng->at_end = true;
    return n > 0 ? (size_t)n : 0;
}

static gboolean rng_readable(gint fd, GIOCondition cond, gpointer data)
{
    RngBackend *rng = data;
    void (*fn)(void *) = rng->wait_fn;

    rng->watch = 0;
    rng->wait_fn = NULL;
    if (fn)
        fn(rng->wait_opaque);
    return G_SOURCE_REMOVE;
}

void rng_backend_wait(RngBackend *rng, void (*fn)(void *), void *opaque)
{
    if (rng->fd < 0 || rng->at_end)
        return;
    rng->wait_fn = fn;
    rng->wait_opaque = opaque;
    if (!rng->watch)
        rng->watch = g_unix_fd_add(rng->fd, G_IO_IN | G_IO_HUP, rng_readable,
                                   rng);
}

void rng_backend_cleanup_all(void)
{
    GHashTableIter it;
    gpointer v;

    if (!backends)
        return;
    g_hash_table_iter_init(&it, backends);
    while (g_hash_table_iter_next(&it, NULL, &v)) {
        RngBackend *rng = v;

        if (rng->watch)
            g_source_remove(rng->watch);
        rng->watch = 0;
        if (rng->fd >= 0)
            close(rng->fd);
        rng->fd = -1;
    }
}
