/*
 * The -fsdev backends (include/mimic/9p.h): a host folder with its
 * security model, registered by id for -device virtio-9p-device,fsdev=ID.
 * Options and their errors follow QEMU's; the folder itself is opened
 * when a device first uses it (as QEMU does), as an O_PATH directory fd
 * that every later lookup starts from.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/resource.h>
#include <unistd.h>

#include <glib.h>

#include "mimic/9p.h"
#include "mimic/options.h"

#define FS_SM_HELP "Valid options are: security_model=" \
    "[passthrough|mapped-xattr|mapped-file|none]"

static GHashTable *fsdevs;     /* id -> FsDev */

static void fsdev_free(gpointer p)
{
    FsDev *fs = p;

    if (fs->root_fd >= 0)
        close(fs->root_fd);
    g_free(fs->id);
    g_free(fs->path);
    g_free(fs);
}

FsDev *fsdev_find(const char *id)
{
    return fsdevs && id ? g_hash_table_lookup(fsdevs, id) : NULL;
}

void fsdev_remove_all(void)
{
    if (fsdevs)
        g_hash_table_remove_all(fsdevs);
}

static bool parse_model(const char *v, FsSecurityModel *m, char **err)
{
    if (!v) {
        *err = g_strdup("security_model property not set\n" FS_SM_HELP);
        return false;
    }
    if (!strcmp(v, "passthrough"))
        *m = FS_SM_PASSTHROUGH;
    else if (!strcmp(v, "mapped-xattr") || !strcmp(v, "mapped"))
        *m = FS_SM_MAPPED_XATTR;
    else if (!strcmp(v, "none"))
        *m = FS_SM_NONE;
    else if (!strcmp(v, "mapped-file")) {
        *err = g_strdup("security_model=mapped-file is not supported here "
                        "(use mapped-xattr: the same mapping, kept in "
                        "user.virtfs.* extended attributes)");
        return false;
    } else {
        *err = g_strdup_printf("invalid security_model property '%s'\n"
                               FS_SM_HELP, v);
        return false;
    }
    return true;
}

/* A mode such as 0600.  As in QEMU it is a C number (a leading 0 for
   octal, 0x for hex: "644" is decimal 644), kept to its 0777 bits. */
static bool parse_mode(const char *key, const char *v, mode_t *mode,
                       char **err)
{
    char *end;
    unsigned long long m;

    errno = 0;
    m = strtoull(v, &end, 0);
    if (!*v || *end || errno || *v == '-') {
        *err = g_strdup_printf("Parameter '%s' expects a number", key);
        return false;
    }
    *mode = (mode_t)(m & 0777);
    return true;
}

/* multidevs=: Mimic passes the host's inode numbers through, which is
   QEMU's default, warn (without the warning). */
static bool parse_multidevs(const char *v, char **err)
{
    if (!v || !strcmp(v, "warn"))
        return true;
    if (!strcmp(v, "remap") || !strcmp(v, "forbid"))
        *err = g_strdup_printf("multidevs=%s is not supported (only "
                               "multidevs=warn: inode numbers are the "
                               "host's)", v);
    else
        *err = g_strdup_printf("invalid multidevs property '%s'\n"
                               "Valid options are: multidevs=[remap|forbid|"
                               "warn]", v);
    return false;
}

static bool parse_options(FsDev *fs, GHashTable *opts, char **err)
{
    g_autofree char *model = opts_take(opts, "security_model");
    g_autofree char *ro = opts_take(opts, "readonly");
    g_autofree char *wo = opts_take(opts, "writeout");
    g_autofree char *fmode = opts_take(opts, "fmode");
    g_autofree char *dmode = opts_take(opts, "dmode");
    g_autofree char *multidevs = opts_take(opts, "multidevs");

    fs->path = opts_take(opts, "path");
    if (!parse_model(model, &fs->model, err))
        return false;
    if (ro && !opts_parse_bool(ro, &fs->readonly)) {
        *err = g_strdup("Parameter 'readonly' expects 'on' or 'off'");
        return false;
    }
    if (wo && strcmp(wo, "immediate")) {
        *err = g_strdup_printf("writeout=%s is not supported (only "
                               "writeout=immediate)", wo);
        return false;
    }
    fs->writeout_immediate = wo != NULL;
    if (!parse_multidevs(multidevs, err))
        return false;
    fs->fmode = 0600;
    fs->dmode = 0700;
    if ((fmode || dmode) && fs->model != FS_SM_MAPPED_XATTR) {
        *err = g_strdup_printf("%s is only valid for mapped security modes",
                               fmode ? "fmode" : "dmode");
        return false;
    }
    if (fmode && !parse_mode("fmode", fmode, &fs->fmode, err))
        return false;
    if (dmode && !parse_mode("dmode", dmode, &fs->dmode, err))
        return false;
    if (opts_first_key(opts)) {
        *err = g_strdup_printf("Invalid parameter '%s'", opts_first_key(opts));
        return false;
    }
    if (!fs->path || !*fs->path) {
        *err = g_strdup("path property not set");
        return false;
    }
    return true;
}

FsDev *fsdev_new(const char *spec, char **err)
{
    g_autoptr(GHashTable) opts = opts_parse(spec, "fsdriver", err);
    g_autofree char *driver = NULL, *id = NULL;
    FsDev *fs;

    if (!opts)
        return NULL;
    driver = opts_take(opts, "fsdriver");
    id = opts_take(opts, "id");
    if (!id || !*id) {
        *err = g_strdup("fsdev: No id specified");
        return NULL;
    }
    if (!driver || strcmp(driver, "local")) {
        *err = g_strdup_printf("fsdev: fsdriver %s not found (only 'local' "
                               "is available)", driver ? driver : "");
        return NULL;
    }
    if (fsdev_find(id)) {
        *err = g_strdup_printf("Duplicate ID '%s' for fsdev", id);
        return NULL;
    }
    fs = g_new0(FsDev, 1);
    fs->root_fd = -1;
    fs->id = g_steal_pointer(&id);
    if (!parse_options(fs, opts, err)) {
        fsdev_free(fs);
        return NULL;
    }
    if (!fsdevs)
        fsdevs = g_hash_table_new_full(g_str_hash, g_str_equal, NULL,
                                       fsdev_free);
    g_hash_table_insert(fsdevs, fs->id, fs);
    return fs;
}

/* Every open file of the guest is a host fd: the soft limit goes up to the
   hard one so that a guest with many open files does not starve the rest
   of the emulator. */
static void raise_fd_limit(void)
{
    struct rlimit rl;

    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
}

bool fsdev_open(FsDev *fs, char **err)
{
    struct stat st;

    if (fs->root_fd < 0) {
        int fd = open(fs->path, O_PATH | O_DIRECTORY | O_CLOEXEC);

        if (fd < 0 || fstat(fd, &st) < 0) {
            *err = g_strdup_printf("cannot initialize fsdev '%s': failed to "
                                   "open '%s': %s", fs->id, fs->path,
                                   strerror(errno));
            if (fd >= 0)
                close(fd);
            return false;
        }
        fs->root_fd = fd;
        raise_fd_limit();
    }
    fs->users++;
    return true;
}
