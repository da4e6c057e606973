/*
 * The file backend (-serial file:PATH, -chardev file,id=ID,path=PATH):
 * guest output is written to a file, created or truncated at start-up;
 * there is no input.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "char-internal.h"
#include "mimic/options.h"

static bool file_open(Chardev *chr, GHashTable *opts, char **err)
{
    g_autofree char *path = opts_take(opts, "path");
    int fd;

    if (!path || !*path) {
        *err = g_strdup_printf("chardev '%s': file backend needs path=PATH", chr->id);
        return false;
    }
    fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    if (fd < 0) {
        *err = g_strdup_printf("cannot open %s: %s", path, strerror(errno));
        return false;
    }
    chr->be = GINT_TO_POINTER(fd + 1);
    return true;
}

static int file_write(Chardev *chr, const uint8_t *buf, int len)
{
    int fd = GPOINTER_TO_INT(chr->be) - 1;

    return fd < 0 ? len : chardev_write_fd(fd, buf, len);
}

static void file_cleanup(Chardev *chr)
{
    int fd = GPOINTER_TO_INT(chr->be) - 1;

    if (fd >= 0)
        close(fd);
    chr->be = NULL;
}

const ChardevClass chardev_file_class = {
    .name = "file",
    .open = file_open,
    .write = file_write,
    .cleanup = file_cleanup,
};
