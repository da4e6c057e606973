/* needs: none */
/*
 * Fuzzes the 9P2000.L server (hw/9pfs/9p.c and the local backend) with
 * sequences of messages on a temporary share, and checks after each input
 * that nothing outside the share changed: the server must answer anything
 * (or nothing) without crashing, leaking, hanging or escaping.
 *
 * Input: one byte picks the share (0 mapped-xattr, 1 passthrough, 2
 * mapped-xattr readonly), then messages, each as len[2] cap[2] bytes[len]
 * (little-endian): the request as the guest's buffer holds it, whatever
 * its size field says, and the room for the reply (0: 64 KiB).  Each
 * input starts from a fresh share holding a file, a directory, a symlink
 * to the outside, a relative one to ".." and a FIFO, and a server with no
 * fids.  Seeds: tests/fuzz/gen-seeds.py.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib.h>

#include "fuzz.h"
#include "mimic/9p.h"

#define NSHARES 3
#define REPLY_MAX 65536

static char *base, *share;
static uint8_t reply[REPLY_MAX];

static int rm_one(const char *path, const struct stat *st, int flag,
                  struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    remove(path);
    return 0;
}

static void rm_tree(const char *path)
{
    nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static void cleanup(void)
{
    if (base)
        rm_tree(base);
}

static void write_at(const char *dir, const char *name, const char *data)
{
    g_autofree char *p = g_build_filename(dir, name, NULL);
    int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0644);

    if (fd < 0 || write(fd, data, strlen(data)) < 0 || close(fd) < 0)
        abort();
}

/* What is outside the share, to check that it never changes. */
static void make_outside(void)
{
    g_autofree char *out = g_build_filename(base, "outdir", NULL);

    write_at(base, "canary", "CANARY");
    if (mkdir(out, 0755) < 0)
        abort();
    write_at(out, "f", "OUTSIDE");
}

static void check_outside(void)
{
    g_autofree char *canary = g_build_filename(base, "canary", NULL);
    g_autofree char *f = g_build_filename(base, "outdir", "f", NULL);
    g_autofree char *c = NULL, *o = NULL;
    GDir *d = g_dir_open(base, 0, NULL);
    const char *name;
    int n = 0;

    if (!g_file_get_contents(canary, &c, NULL, NULL) ||
        strcmp(c, "CANARY") ||
        !g_file_get_contents(f, &o, NULL, NULL) || strcmp(o, "OUTSIDE")) {
        fprintf(stderr, "fuzz-9p: a file outside the share changed\n");
        abort();
    }
    while (d && (name = g_dir_read_name(d))) {
        if (strcmp(name, "canary") && strcmp(name, "outdir") &&
            strcmp(name, "share")) {
            fprintf(stderr, "fuzz-9p: %s appeared outside the share\n", name);
            abort();
        }
        n++;
    }
    if (d)
        g_dir_close(d);
    if (n != 3)
        abort();
}

static void fresh_share(void)
{
    g_autofree char *sub = g_build_filename(share, "dir", NULL);
    g_autofree char *abs = g_build_filename(share, "abs", NULL);
    g_autofree char *up = g_build_filename(share, "up", NULL);
    g_autofree char *fifo = g_build_filename(share, "fifo", NULL);
    g_autofree char *outdir = g_build_filename(base, "outdir", NULL);

    rm_tree(share);
    if (mkdir(share, 0755) < 0 || mkdir(sub, 0755) < 0)
        abort();
    write_at(share, "file", "hello, world\n");
    write_at(sub, "inner", "inner\n");
    if (symlink(outdir, abs) < 0 || symlink("..", up) < 0 ||
        mkfifo(fifo, 0644) < 0)
        abort();
}

static const char *const models[NSHARES] = {
    "security_model=mapped-xattr",
    "security_model=passthrough",
    "security_model=mapped-xattr,readonly=on",
};

static void setup(void)
{
    base = fuzz_path("9p");
    if (mkdir(base, 0755) < 0)
        abort();
    atexit(cleanup);
    share = g_build_filename(base, "share", NULL);
    make_outside();
}

/* A server on a fresh copy of the share (the fsdev is made again: it
   holds the fd of the folder, which was just replaced). */
static V9fsServer *new_server(int model)
{
    g_autofree char *spec = NULL;
    char *err = NULL;
    FsDev *fs;

    fresh_share();
    spec = g_strdup_printf("local,id=fz,path=%s,%s", share, models[model]);
    fs = fsdev_new(spec, &err);
    if (!fs || !fsdev_open(fs, &err)) {
        fprintf(stderr, "fuzz-9p: %s\n", err);
        abort();
    }
    return v9fs_server_new(fs);
}

/* FUZZ_9P_TRACE=1: each request's type and its reply (the errno of an
   Rlerror), to check what a seed does. */
static void print_reply(const uint8_t *req, size_t len, size_t n)
{
    fprintf(stderr, "T%u -> ", len > 4 ? req[4] : 0);
    if (n < 7)
        fprintf(stderr, "nothing\n");
    else if (reply[4] == 7 && n >= 11)
        fprintf(stderr, "Rlerror %s\n", strerror((int)fuzz_le(reply, n, 7, 4)));
    else
        fprintf(stderr, "R%u (%zu bytes)\n", reply[4], n);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int trace = -1;
    V9fsServer *s;
    size_t pos = 1, n;

    if (trace < 0)
        trace = getenv("FUZZ_9P_TRACE") != NULL;
    if (!base)
        setup();
    if (size < 1)
        return 0;
    s = new_server(data[0] % NSHARES);
    while (size - pos >= 4) {
        size_t len = (size_t)fuzz_le(data, size, pos, 2);
        size_t cap = (size_t)fuzz_le(data, size, pos + 2, 2);

        pos += 4;
        len = MIN(len, size - pos);
        if (!cap)
            cap = REPLY_MAX;
        n = v9fs_server_handle(s, data + pos, len, reply, cap);
        if (n > cap)
            abort();
        if (trace)
            print_reply(data + pos, len, n);
        pos += len;
    }
    v9fs_server_free(s);
    fsdev_remove_all();
    check_outside();
    return 0;
}
