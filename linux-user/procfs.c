/*
 * The /proc files whose host version would describe Mimic instead of the
 * guest: /proc/self/maps (the guest's mappings at guest addresses, with
 * the guest's permissions and the host's file names), /proc/self/auxv
 * (the guest's auxiliary vector), /proc/self/cmdline (the guest's
 * arguments, not Mimic's command line: pidof and ps find a program by its
 * argv[0] there) and /proc/cpuinfo (the guest machine's, one entry per
 * host CPU).  openat gives the guest a memfd holding the
 * text, made when it opens the file; glibc reads maps to find the main
 * thread's stack (pthread_getattr_np), garbage collectors and sanitizers
 * read it too.
 */
#define _GNU_SOURCE   /* memfd_create */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <glib.h>

#include "syscall.h"
#include "user-internal.h"
#include "user-target.h"

UserProcInfo user_proc;

/* One line of the host's /proc/self/maps. */
typedef struct HostMap {
    uintptr_t start, end;
    uint64_t offset;
    char shared;               /* 's' or 'p' */
    char dev[16];
    uint64_t inode;
    char *path;                /* "" for anonymous memory */
} HostMap;

static GArray *read_host_maps(void)
{
    GArray *maps = g_array_new(FALSE, TRUE, sizeof(HostMap));
    FILE *f = fopen("/proc/self/maps", "r");
    char line[PATH_MAX + 128];

    if (!f)
        return maps;
    while (fgets(line, sizeof(line), f)) {
        HostMap m = { 0 };
        char perms[8], path[PATH_MAX] = "";
        unsigned long start, end;
        unsigned long long off, inode;

        if (sscanf(line, "%lx-%lx %7s %llx %15s %llu %4095[^\n]", &start,
                   &end, perms, &off, m.dev, &inode, path) < 6)
            continue;
        m.start = start;
        m.end = end;
        m.offset = off;
        m.shared = perms[3];
        m.inode = inode;
        m.path = g_strdup(g_strstrip(path));
        g_array_append_val(maps, m);
    }
    fclose(f);
    return maps;
}

typedef struct MapsCtx {
    GString *out;
    GArray *host;
    uint64_t brk_start, brk_end;
} MapsCtx;

static void maps_line(MapsCtx *c, uint64_t start, uint64_t end, int flags,
                      const HostMap *h)
{
    uint64_t off = h ? h->offset + ((uintptr_t)g2h(start) - h->start) : 0;
    const char *path = h ? h->path : "";

    if (start >= c->brk_start && end <= c->brk_end && c->brk_end > c->brk_start)
        path = "[heap]";
    else if (start >= user_proc.stack_base && end <= user_proc.stack_top)
        path = "[stack]";
    g_string_append_printf(c->out, "%08" PRIx64 "-%08" PRIx64 " %c%c%c%c "
                           "%08" PRIx64 " %s %" PRIu64, start, end,
                           flags & PAGE_READ ? 'r' : '-',
                           flags & PAGE_WRITE ? 'w' : '-',
                           flags & PAGE_EXEC ? 'x' : '-',
                           h && h->shared == 's' ? 's' : 'p',
                           h && h->path[0] == '/' ? off : 0,
                           h && h->path[0] == '/' ? h->dev : "00:00",
                           h && h->path[0] == '/' ? h->inode : 0);
    if (*path)
        g_string_append_printf(c->out, "%*s%s", 8, "", path);
    g_string_append_c(c->out, '\n');
}

/* A run of guest pages: one line per host mapping it lies in (the
   reservation's filler is anonymous, so files show by their name). */
static void maps_run(uint64_t start, uint64_t end, int flags, void *opaque)
{
    MapsCtx *c = opaque;
    uint64_t at = start;

    for (guint i = 0; i < c->host->len && at < end; i++) {
        const HostMap *h = &g_array_index(c->host, HostMap, i);
        uint64_t hs = h2g((void *)h->start), he = h2g((void *)h->end);

        if (h->end <= (uintptr_t)g2h(at) || h->start >= (uintptr_t)g2h(end))
            continue;
        if (hs > at) {
            maps_line(c, at, hs, flags, NULL);
            at = hs;
        }
        maps_line(c, at, he < end ? he : end, flags, h);
        at = he < end ? he : end;
    }
    if (at < end)
        maps_line(c, at, end, flags, NULL);
}

static GString *make_maps(void)
{
    MapsCtx c = { .out = g_string_new(NULL), .host = read_host_maps() };

    target_brk_range(&c.brk_start, &c.brk_end);
    page_for_each_run(maps_run, &c);
    if (user_target.info->maps_tail)
        g_string_append(c.out, user_target.info->maps_tail);
    for (guint i = 0; i < c.host->len; i++)
        g_free(g_array_index(c.host, HostMap, i).path);
    g_array_free(c.host, TRUE);
    return c.out;
}

static GString *make_auxv(void)
{
    GString *out = g_string_new(NULL);

    if (user_proc.auxv_len &&
        page_check_range(user_proc.auxv, user_proc.auxv_len, PAGE_READ) == 0)
        g_string_append_len(out, g2h(user_proc.auxv), (gssize)user_proc.auxv_len);
    return out;
}

/* The argument strings as they are now in the guest's memory, as Linux
   reads them from arg_start to arg_end (a program may rewrite them). */
static GString *make_cmdline(void)
{
    GString *out = g_string_new(NULL);
    uint64_t len = user_proc.arg_end - user_proc.arg_start;

    if (len && page_check_range(user_proc.arg_start, len, PAGE_READ) == 0)
        g_string_append_len(out, g2h(user_proc.arg_start), (gssize)len);
    return out;
}

static GString *make_cpuinfo(void)
{
    GString *out = g_string_new(NULL);
    long n = sysconf(_SC_NPROCESSORS_ONLN);

    for (long i = 0; i < (n > 0 ? n : 1); i++)
        user_target.info->cpuinfo_entry(out, i);
    return out;
}

/* "/proc/self/NAME", "/proc/thread-self/NAME" or "/proc/PID/NAME" for
   this process: NAME, else NULL. */
static const char *self_file(const char *path)
{
    char mine[32];
    size_t n;

    if (g_str_has_prefix(path, "/proc/self/"))
        return path + strlen("/proc/self/");
    if (g_str_has_prefix(path, "/proc/thread-self/"))
        return path + strlen("/proc/thread-self/");
    n = (size_t)snprintf(mine, sizeof(mine), "/proc/%d/", (int)getpid());
    return strncmp(path, mine, n) == 0 ? path + n : NULL;
}

bool user_procfs_open(const char *path, int host_flags, int64_t *ret)
{
    const char *name = self_file(path);
    GString *text;
    int fd;

    if (name && !strcmp(name, "maps"))
        text = make_maps();
    else if (name && !strcmp(name, "auxv"))
        text = make_auxv();
    else if (name && !strcmp(name, "cmdline"))
        text = make_cmdline();
    else if (!strcmp(path, "/proc/cpuinfo"))
        text = make_cpuinfo();
    else
        return false;
    fd = memfd_create("mimic-procfs",
                      (host_flags & O_CLOEXEC) ? MFD_CLOEXEC : 0);
    if (fd < 0 || write(fd, text->str, text->len) != (ssize_t)text->len ||
        lseek(fd, 0, SEEK_SET) != 0) {
        *ret = -errno;
        if (fd >= 0)
            close(fd);
    } else {
        *ret = fd;
    }
    g_string_free(text, TRUE);
    return true;
}
