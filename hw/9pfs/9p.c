/*
 * The 9P2000.L server (include/mimic/9p.h): message framing, msize
 * negotiation, the fid table and one handler per request, on the local
 * backend (9p-local.c), which alone touches host files.  Requests are
 * served one at a time, to completion, on the caller's thread (the main
 * loop or a vCPU's MMIO, under the BQL): nothing here can block for
 * long, since the backend never opens a FIFO or a device.
 *
 * A fid names a path in the share (a list of checked names, never
 * resolved by the host's plain path walk), and when opened holds the
 * host fd (a file), the DIR stream (a directory) or an xattr buffer.
 * Every error reply is Rlerror with a Linux errno (the host's: Mimic runs
 * on Linux hosts, whose values the protocol uses).  A malformed request
 * gets EINVAL, a reply that does not fit in the guest's buffer ENOBUFS.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <glib.h>

#include "9p-internal.h"
#include "mimic/log.h"

/* Message types (T; the R reply is T + 1). */
enum {
    P9_TLERROR = 6,
    P9_TSTATFS = 8,
    P9_TLOPEN = 12,
    P9_TLCREATE = 14,
    P9_TSYMLINK = 16,
    P9_TMKNOD = 18,
    P9_TRENAME = 20,
    P9_TREADLINK = 22,
    P9_TGETATTR = 24,
    P9_TSETATTR = 26,
    P9_TXATTRWALK = 30,
    P9_TXATTRCREATE = 32,
    P9_TREADDIR = 40,
    P9_TFSYNC = 50,
    P9_TLOCK = 52,
    P9_TGETLOCK = 54,
    P9_TLINK = 70,
    P9_TMKDIR = 72,
    P9_TRENAMEAT = 74,
    P9_TUNLINKAT = 76,
    P9_TVERSION = 100,
    P9_TAUTH = 102,
    P9_TATTACH = 104,
    P9_TFLUSH = 108,
    P9_TWALK = 110,
    P9_TREAD = 116,
    P9_TWRITE = 118,
    P9_TCLUNK = 120,
    P9_TREMOVE = 122,
};

#define P9_HDR 7              /* size[4] type[1] tag[2] */
#define P9_MAXWELEM 16
#define P9_MAX_FIDS 65536
#define P9_XATTR_MAX 65536    /* Linux's XATTR_SIZE_MAX */
#define P9_NOUID 0xffffffffu
#define P9_GETATTR_BASIC 0x7ffull
#define P9_QID_DIR 0x80
#define P9_QID_SYMLINK 0x02
#define P9_DOTL_AT_REMOVEDIR 0x200
#define P9_LOCK_SUCCESS 0
#define P9_LOCK_TYPE_UNLCK 2

/* Linux's open flags on the wire (9P2000.L "dotl" flags). */
enum {
    P9_DOTL_ACCMODE = 3,
    P9_DOTL_EXCL = 0200,
    P9_DOTL_TRUNC = 01000,
    P9_DOTL_APPEND = 02000,
    P9_DOTL_DSYNC = 010000,
    P9_DOTL_DIRECTORY = 0200000,
    P9_DOTL_SYNC = 04000000,
};

typedef enum FidKind { FID_PATH, FID_FILE, FID_DIR, FID_XATTR } FidKind;

typedef struct Fid {
    V9fsServer *server;
    uint32_t num;
    FidKind kind;
    char *path;
    uint32_t uid;          /* the attaching user: owner of new files */
    int fd;                /* FID_FILE */
    DIR *dir;              /* FID_DIR */
    GByteArray *xvalue;    /* FID_XATTR: the value read, or being written */
    char *xname;           /* FID_XATTR being created */
    uint64_t xsize;
    int xflags;
    bool xcreate;
} Fid;

struct V9fsServer {
    FsDev *fs;
    uint32_t msize;
    GHashTable *fids;      /* num -> Fid */
    /* Open files and directories: each holds a host fd, and the guest may
       not take the ones the rest of the emulator needs. */
    unsigned nopen, max_open;
};

typedef int (*P9Handler)(V9fsServer *s, P9In *in, P9Out *out);

/* ---- Fids ---- */

static void fid_close(Fid *f)
{
    if (f->kind == FID_FILE || f->kind == FID_DIR)
        f->server->nopen--;
    if (f->kind == FID_FILE && f->fd >= 0)
        close(f->fd);
    if (f->kind == FID_DIR && f->dir)
        closedir(f->dir);
    if (f->xvalue)
        g_byte_array_unref(f->xvalue);
    g_free(f->xname);
    f->xvalue = NULL;
    f->xname = NULL;
    f->fd = -1;
    f->dir = NULL;
    f->kind = FID_PATH;
}

static void fid_free(gpointer p)
{
    Fid *f = p;

    fid_close(f);
    g_free(f->path);
    g_free(f);
}

static Fid *fid_get(V9fsServer *s, uint32_t num)
{
    return g_hash_table_lookup(s->fids, GUINT_TO_POINTER(num));
}

/* A new fid num at path; NULL if num is taken or there are too many. */
static Fid *fid_new(V9fsServer *s, uint32_t num, const char *path,
                    uint32_t uid)
{
    Fid *f;

    if (fid_get(s, num) || g_hash_table_size(s->fids) >= P9_MAX_FIDS)
        return NULL;
    f = g_new0(Fid, 1);
    f->server = s;
    f->num = num;
    f->path = g_strdup(path);
    f->uid = uid;
    f->fd = -1;
    g_hash_table_insert(s->fids, GUINT_TO_POINTER(num), f);
    return f;
}

static void fid_remove(V9fsServer *s, uint32_t num)
{
    g_hash_table_remove(s->fids, GUINT_TO_POINTER(num));
}

/* After a rename of from to to, the fids below from follow it. */
static void fids_renamed(V9fsServer *s, const char *from, const char *to)
{
    size_t n = strlen(from);
    GHashTableIter it;
    gpointer v;

    g_hash_table_iter_init(&it, s->fids);
    while (g_hash_table_iter_next(&it, NULL, &v)) {
        Fid *f = v;

        if (strncmp(f->path, from, n) || (f->path[n] && f->path[n] != '/'))
            continue;
        if (strlen(to) + strlen(f->path + n) > P9_PATH_MAX)
            continue;
        char *np = g_strconcat(to, f->path + n, NULL);
        g_free(f->path);
        f->path = np;
    }
}

/* ---- Helpers ---- */

static P9Qid qid_of(const struct stat *st)
{
    P9Qid q = { 0 };

    q.type = S_ISDIR(st->st_mode) ? P9_QID_DIR
             : S_ISLNK(st->st_mode) ? P9_QID_SYMLINK : 0;
    q.version = (uint32_t)((uint64_t)st->st_mtime ^
                           ((uint64_t)st->st_size << 8));
    q.path = st->st_ino;
    return q;
}

static int path_qid(V9fsServer *s, const char *path, P9Qid *qid)
{
    struct stat st;
    int r = p9l_stat(s->fs, path, &st);

    if (!r)
        *qid = qid_of(&st);
    return r;
}

/* The attributes of a fid: of its open file if it has one (an open file
   may have been unlinked or renamed on the host since). */
static int fid_stat(V9fsServer *s, Fid *f, struct stat *st)
{
    int fd = f->kind == FID_FILE ? f->fd
             : f->kind == FID_DIR ? dirfd(f->dir) : -1;

    return fd < 0 ? p9l_stat(s->fs, f->path, st) : p9l_fstat(s->fs, fd, st);
}

/* Host open flags for Linux's dotl flags (the rest are dropped, as
   O_DIRECT, O_NOATIME or O_ASYNC make no sense on the host side). */
static int host_flags(uint32_t dotl)
{
    int f = (int)(dotl & P9_DOTL_ACCMODE);

    if (f == 3)
        f = O_RDWR;
    if (dotl & P9_DOTL_EXCL)
        f |= O_EXCL;
    if (dotl & P9_DOTL_TRUNC)
        f |= O_TRUNC;
    if (dotl & P9_DOTL_APPEND)
        f |= O_APPEND;
    if (dotl & P9_DOTL_DSYNC)
        f |= O_DSYNC;
    if (dotl & P9_DOTL_SYNC)
        f |= O_SYNC;
    if (dotl & P9_DOTL_DIRECTORY)
        f |= O_DIRECTORY;
    return f;
}

static bool writes(int flags)
{
    return (flags & O_ACCMODE) != O_RDONLY || (flags & (O_TRUNC | O_APPEND));
}

static uint32_t fid_uid(uint32_t n_uname)
{
    return n_uname == P9_NOUID ? 0 : n_uname;
}

/* ---- Session ---- */

static int h_version(V9fsServer *s, P9In *in, P9Out *out)
{
    uint32_t msize = p9_get32(in);
    g_autofree char *version = p9_getstr(in);

    if (in->err)
        return -EINVAL;
    if (msize < V9FS_MIN_MSIZE)
        return -EMSGSIZE;
    v9fs_server_reset(s);
    s->msize = MIN(msize, V9FS_MAX_MSIZE);
    p9_put32(out, s->msize);
    p9_putstr(out, g_str_has_prefix(version, "9P2000.L") ? "9P2000.L"
                                                          : "unknown");
    return 0;
}

static int h_attach(V9fsServer *s, P9In *in, P9Out *out)
{
    uint32_t fid = p9_get32(in), afid = p9_get32(in);
    g_autofree char *uname = p9_getstr(in), *aname = p9_getstr(in);
    uint32_t n_uname = p9_get32(in);
    P9Qid qid;
    int r;

    (void)afid;
    (void)uname;     /* who the guest says it is: n_uname is what counts */
    (void)aname;     /* one tree per device: any name attaches its root */
    if (in->err)
        return -EINVAL;
    if (p9_room(out) < 13)
        return -ENOBUFS;
    r = path_qid(s, "", &qid);
    if (r)
        return r;
    if (!fid_new(s, fid, "", fid_uid(n_uname)))
        return fid_get(s, fid) ? -EBADF : -ENFILE;
    p9_putqid(out, &qid);
    return 0;
}

static int h_flush(V9fsServer *s, P9In *in, P9Out *out)
{
    (void)p9_get16(in);
    /* Every request is answered before the next is read: nothing is
       ever in flight to cancel. */
    return in->err ? -EINVAL : 0;
}

static int h_clunk(V9fsServer *s, P9In *in, P9Out *out)
{
    uint32_t num = p9_get32(in);
    Fid *f;
    int r = 0;

    if (in->err)
        return -EINVAL;
    f = fid_get(s, num);
    if (!f)
        return -ENOENT;
    /* An xattr being created is set when its fid is clunked. */
    if (f->kind == FID_XATTR && f->xcreate) {
        if (f->xvalue->len != f->xsize)
            r = -EINVAL;
        else if (f->xsize == 0 && (f->xflags & XATTR_REPLACE))
            r = p9l_removexattr(s->fs, f->path, f->xname);
        else
            r = p9l_setxattr(s->fs, f->path, f->xname, f->xvalue->data,
                             f->xvalue->len, f->xflags);
    }
    fid_remove(s, num);
    return r;
}

/* ---- Walk ---- */

/* One step of a walk from path; the new path or NULL with *err. */
static char *walk_step(const char *path, const char *name, int *err)
{
    char *slash;
    char *np;

    if (!strcmp(name, ".."))  {
        /* ".." of the shared folder is the folder itself, as in QEMU. */
        np = g_strdup(path);
        slash = strrchr(np, '/');
        if (slash)
            *slash = '\0';
        else
            *np = '\0';
        return np;
    }
    if (!strcmp(name, "."))
        return g_strdup(path);
    *err = p9_name_check(name);
    if (*err)
        return NULL;
    np = p9_path_join(path, name);
    if (!np)
        *err = -ENAMETOOLONG;
    return np;
}

static int h_walk(V9fsServer *s, P9In *in, P9Out *out)
{
    uint32_t fid = p9_get32(in), newfid = p9_get32(in);
    uint16_t nwname = p9_get16(in);
    char *names[P9_MAXWELEM] = { 0 };
    P9Qid qids[P9_MAXWELEM];
    g_autofree char *path = NULL;
    Fid *f, *nf;
    int r = 0, n = 0;

    if (!in->err && nwname > P9_MAXWELEM)
        return -EINVAL;
    for (int i = 0; i < nwname && !in->err; i++)
        names[i] = p9_getstr(in);
    f = fid_get(s, fid);
    if (in->err || !f) {
        r = in->err ? -EINVAL : -ENOENT;
        goto out;
    }
    nf = fid_get(s, newfid);
    if (newfid != fid && nf) {
        r = -EBADF;
        goto out;
    }
    if (newfid == fid && f->kind != FID_PATH && nwname) {
        r = -EBUSY;
        goto out;
    }
    path = g_strdup(f->path);
    for (n = 0; n < nwname; n++) {
        char *np = walk_step(path, names[n], &r);

        if (!r)
            r = path_qid(s, np, &qids[n]);
        if (r) {
            g_free(np);
            break;
        }
        g_free(path);
        path = np;
    }
    if (n == 0 && r)
        goto out;
    r = 0;
    /* The reply must fit before the new fid exists: the guest would not
       know of a fid made for a reply it never got. */
    if (p9_room(out) < 2 + 13 * (size_t)n) {
        r = -ENOBUFS;
        goto out;
    }
    if (n == nwname) {
        if (newfid == fid) {
            g_free(f->path);
            f->path = g_steal_pointer(&path);
        } else if (!fid_new(s, newfid, path, f->uid)) {
            r = -ENFILE;
            goto out;
        }
    }
    p9_put16(out, (uint16_t)n);
    for (int i = 0; i < n; i++)
        p9_putqid(out, &qids[i]);
out:
    for (int i = 0; i < P9_MAXWELEM; i++)
        g_free(names[i]);
    return r;
}

/* ---- Opening and creating ---- */

/* The fid, which must exist and not be open. */
static int path_fid(V9fsServer *s, uint32_t num, Fid **f)
{
    *f = fid_get(s, num);
    if (!*f)
        return -ENOENT;
    return (*f)->kind == FID_PATH ? 0 : -EBADF;
}

static int h_lopen(V9fsServer *s, P9In *in, P9Out *out)
{
    uint32_t num = p9_get32(in), dotl = p9_get32(in);
    int flags = host_flags(dotl), fd, r;
    struct stat st;
    Fid *f;

    if (in->err)
        return -EINVAL;
    if (p9_room(out) < 17)
        return -ENOBUFS;
    if ((r = path_fid(s, num, &f)))
        return r;
    if (s->fs->readonly && writes(flags))
        return -EROFS;
    if (s->nopen >= s->max_open)
        return -EMFILE;
    if ((r = p9l_stat(s->fs, f->path, &st)))
        return r;
    if (S_ISDIR(st.st_mode)) {
        fd = p9l_open(s->fs, f->path, O_RDONLY | O_DIRECTORY);
        if (fd < 0)
            return fd;
        f->dir = fdopendir(fd);
        if (!f->dir) {
            r = -errno;
            close(fd);
            return r;
        }
        f->kind = FID_DIR;
        s->nopen++;
    } else {
        fd = p9l_open(s->fs, f->path, flags & ~O_EXCL);
        if (fd < 0)
            return fd;
        f->fd = fd;
        f->kind = FID_FILE;
        s->nopen++;
    }
    P9Qid q = qid_of(&st);
    p9_putqid(out, &q);
    p9_put32(out, 0);            /* iounit: msize decides */
    return 0;
}

static int h_lcreate(V9fsServer *s, P9In *in, P9Out *out)
{
    uint32_t num = p9_get32(in);
    g_autofree char *name = p9_getstr(in);
    uint32_t dotl = p9_get32(in), mode = p9_get32(in), gid = p9_get32(in);
    g_autofree char *path = NULL;
    P9Cred cred;
    P9Qid qid;
    Fid *f;
    int fd, r;

    if (in->err)
        return -EINVAL;
    if (p9_room(out) < 17)
        return -ENOBUFS;
    if ((r = path_fid(s, num, &f)))
        return r;
    if (s->nopen >= s->max_open)
        return -EMFILE;
    path = p9_path_join(f->path, name);
    if (!path)
        return -ENAMETOOLONG;
    cred = (P9Cred){ f->uid, gid, S_IFREG | (mode & 07777), 0 };
    fd = p9l_create(s->fs, f->path, name, host_flags(dotl), &cred);
    if (fd < 0)
        return fd;
    r = path_qid(s, path, &qid);
    if (r) {
        close(fd);
        return r;
    }
    g_free(f->path);
    f->path = g_steal_pointer(&path);
    f->fd = fd;
    f->kind = FID_FILE;
    s->nopen++;
    p9_putqid(out, &qid);
    p9_put32(out, 0);
    return 0;
}

/* Replies with the qid of dir/name, just made. */
static int new_qid(V9fsServer *s, const char *dir, const char *name,
                   P9Out *out)
{
    g_autofree char *path = p9_path_join(dir, name);
    P9Qid qid;
    int r = path ? path_qid(s, path, &qid) : -ENAMETOOLONG;

    if (!r)
        p9_putqid(out, &qid);
    return r;
}

static int h_mkdir(V9fsServer *s, P9In *in, P9Out *out)
{
    uint32_t num = p9_get32(in);
    g_autofree char *name = p9_getstr(in);
    uint32_t mode = p9_get32(in), gid = p9_get32(in);
    Fid *f;
    int r;

    if (in->err)
        return -EINVAL;
    if (p9_room(out) < 13)
        return -ENOBUFS;
    f = fid_get(s, num);
    if (!f)
        return -ENOENT;
    P9Cred cred = { f->uid, gid, S_IFDIR | (mode & 07777), 0 };
    r = p9l_mkdir(s->fs, f->path, name, &cred);
    return r ? r : new_qid(s, f->path, name, out);
}

static int h_symlink(V9fsServer *s, P9In *in, P9Out *out)
{
    uint32_t num = p9_get32(in);
    g_autofree char *name = p9_getstr(in), *target = p9_getstr(in);
    uint32_t gid = p9_get32(in);
    Fid *f;
    int r;

    if (in->err)
        return -EINVAL;
    if (p9_room(out) < 13)
        return -ENOBUFS;
    f = fid_get(s, num);
    if (!f)
        return -ENOENT;
    if (!*target || strlen(target) > P9_PATH_MAX)
        return *target ? -ENAMETOOLONG : -ENOENT;
    P9Cred cred = { f->uid, gid, S_IFLNK | 0777, 0 };
    r = p9l_symlink(s->fs, f->path, name, target, &cred);
    return r ? r : new_qid(s, f->path, name, out);
}

static int h_mknod(V9fsServer *s, P9In *in, P9Out *out)
{
    uint32_t num = p9_get32(in);
    g_autofree char *name = p9_getstr(in);
    uint32_t mode = p9_get32(in), major = p9_get32(in), minor = p9_get32(in);
    uint32_t gid = p9_get32(in);
    Fid *f;
    int r;

    if (in->err)
        return -EINVAL;
    if (p9_room(out) < 13)
        return -ENOBUFS;
    f = fid_get(s, num);
    if (!f)
        return -ENOENT;
    P9Cred cred = { f->uid, gid, mode, makedev(major, minor) };
    r = p9l_mknod(s->fs, f->path, name, &cred);
    return r ? r : new_qid(s, f->path, name, out);
}

/* ---- Names ---- */

static int do_rename(V9fsServer *s, const char *odir, const char *oname,
                     const char *ndir, const char *nname)
{
    g_autofree char *from = p9_path_join(odir, oname);
    g_autofree char *to = p9_path_join(ndir, nname);
    int r;

    if (!from || !to)
        return -ENAMETOOLONG;
    r = p9l_rename(s->fs, odir, oname, ndir, nname);
    if (!r)
        fids_renamed(s, from, to);
    return r;
}

static int h_rename(V9fsServer *s, P9In *in, P9Out *out)
{
    uint32_t num = p9_get32(in), dnum = p9_get32(in);
    g_autofree char *name = p9_getstr(in), *odir = NULL, *oname = NULL;
    Fid *f, *d;

    if (in->err)
        return -EINVAL;
    f = fid_get(s, num);
    d = fid_get(s, dnum);
    if (!f || !d)
        return -ENOENT;
    if (!p9_path_split(f->path, &odir, &oname))
        return -EBUSY;
    return do_rename(s, odir, oname, d->path, name);
}

static int h_renameat(V9fsServer *s, P9In *in, P9Out *out)
{
    uint32_t onum = p9_get32(in);
    g_autofree char *oname = p9_getstr(in);
    uint32_t nnum = p9_get32(in);
    g_autofree char *nname = p9_getstr(in);
    Fid *od, *nd;

    if (in->err)
        return -EINVAL;
    od = fid_get(s, onum);
    nd = fid_get(s, nnum);
    if (!od || !nd)
        return -ENOENT;
    return do_rename(s, od->path, oname, nd->path, nname);
}

static int h_unlinkat(V9fsServer *s, P9In *in, P9Out *out)
{
    uint32_t num = p9_get32(in);
    g_autofree char *name = p9_getstr(in);
    uint32_t flags = p9_get32(in);
    Fid *d;

    if (in->err)
        return -EINVAL;
    d = fid_get(s, num);
    if (!d)
        return -ENOENT;
    if (flags & ~P9_DOTL_AT_REMOVEDIR)
        return -EINVAL;
    return p9l_unlink(s->fs, d->path, name,
                      flags ? AT_REMOVEDIR : 0);
}

static int h_remove(V9fsServer *s, P9In *in, P9Out *out)
{
    uint32_t num = p9_get32(in);
    g_autofree char *dir = NULL, *name = NULL;
    struct stat st;
    Fid *f;
    int r;

    if (in->err)
        return -EINVAL;
    f = fid_get(s, num);
    if (!f)
        return -ENOENT;
    /* Tremove clunks the fid, whether the remove works or not. */
    if (s->fs->readonly)
        r = -EROFS;
    else if (!p9_path_split(f->path, &dir, &name))
        r = -EBUSY;
    else if (!(r = p9l_stat(s->fs, f->path, &st)))
        r = p9l_unlink(s->fs, dir, name,
                       S_ISDIR(st.st_mode) ? AT_REMOVEDIR : 0);
    fid_remove(s, num);
    return r;
}

static int h_link(V9fsServer *s, P9In *in, P9Out *out)
{
    uint32_t dnum = p9_get32(in), num = p9_get32(in);
    g_autofree char *name = p9_getstr(in);
    Fid *d, *f;

    if (in->err)
        return -EINVAL;
    d = fid_get(s, dnum);
    f = fid_get(s, num);
    if (!d || !f)
        return -ENOENT;
    return p9l_link(s->fs, f->path, d->path, name);
}

static int h_readlink(V9fsServer *s, P9In *in, P9Out *out)
{
    uint32_t num = p9_get32(in);
    g_autofree char *buf = g_malloc(P9_PATH_MAX + 2);
    Fid *f;
    int r;

    if (in->err)
        return -EINVAL;
    f = fid_get(s, num);
    if (!f)
        return -ENOENT;
    r = p9l_readlink(s->fs, f->path, buf, P9_PATH_MAX + 2);
    if (r < 0)
        return r;
    p9_putstr(out, buf);
    return 0;
}

/* ---- Attributes ---- */

static int h_getattr(V9fsServer *s, P9In *in, P9Out *out)
{
    uint32_t num = p9_get32(in);
    struct stat st;
    P9Qid qid;
    Fid *f;
    int r;

    (void)p9_get64(in);      /* request_mask: everything basic is sent */
    if (in->err)
        return -EINVAL;
    f = fid_get(s, num);
    if (!f)
        return -ENOENT;
    if ((r = fid_stat(s, f, &st)))
        return r;
    qid = qid_of(&st);
    p9_put64(out, P9_GETATTR_BASIC);
    p9_putqid(out, &qid);
    p9_put32(out, st.st_mode);
    p9_put32(out, st.st_uid);
    p9_put32(out, st.st_gid);
    p9_put64(out, st.st_nlink);
    p9_put64(out, st.st_rdev);
    p9_put64(out, (uint64_t)st.st_size);
    p9_put64(out, (uint64_t)st.st_blksize);
    p9_put64(out, (uint64_t)st.st_blocks);
    p9_put64(out, (uint64_t)st.st_atim.tv_sec);
    p9_put64(out, (uint64_t)st.st_atim.tv_nsec);
    p9_put64(out, (uint64_t)st.st_mtim.tv_sec);
    p9_put64(out, (uint64_t)st.st_mtim.tv_nsec);
    p9_put64(out, (uint64_t)st.st_ctim.tv_sec);
    p9_put64(out, (uint64_t)st.st_ctim.tv_nsec);
    for (int i = 0; i < 4; i++)
        p9_put64(out, 0);    /* btime, gen, data_version */
    return 0;
}

static int h_setattr(V9fsServer *s, P9In *in, P9Out *out)
{
    uint32_t num = p9_get32(in);
    P9SetAttr a = { 0 };
    Fid *f;

    a.valid = p9_get32(in);
    a.mode = p9_get32(in);
    a.uid = p9_get32(in);
    a.gid = p9_get32(in);
    a.size = p9_get64(in);
    a.atime.tv_sec = (time_t)p9_get64(in);
    a.atime.tv_nsec = (long)p9_get64(in);
    a.mtime.tv_sec = (time_t)p9_get64(in);
    a.mtime.tv_nsec = (long)p9_get64(in);
    if (in->err)
        return -EINVAL;
    f = fid_get(s, num);
    if (!f)
        return -ENOENT;
    /* ftruncate of an open file works even when its name is gone. */
    if (a.valid == P9_SETATTR_SIZE && f->kind == FID_FILE)
        return a.size > INT64_MAX ? -EINVAL
               : ftruncate(f->fd, (off_t)a.size) < 0 ? -errno : 0;
    return p9l_setattr(s->fs, f->path, f->kind == FID_FILE ? f->fd : -1, &a);
}

static int h_statfs(V9fsServer *s, P9In *in, P9Out *out)
{
    uint32_t num = p9_get32(in);
    struct statfs sf;
    Fid *f;
    int r;

    if (in->err)
        return -EINVAL;
    f = fid_get(s, num);
    if (!f)
        return -ENOENT;
    if ((r = p9l_statfs(s->fs, f->path, &sf)))
        return r;
    p9_put32(out, (uint32_t)sf.f_type);
    p9_put32(out, (uint32_t)sf.f_bsize);
    p9_put64(out, sf.f_blocks);
    p9_put64(out, sf.f_bfree);
    p9_put64(out, sf.f_bavail);
    p9_put64(out, sf.f_files);
    p9_put64(out, sf.f_ffree);
    p9_put64(out, (uint32_t)sf.f_fsid.__val[0] |
                      (uint64_t)(uint32_t)sf.f_fsid.__val[1] << 32);
    p9_put32(out, (uint32_t)sf.f_namelen);
    return 0;
}

/* ---- Extended attributes ---- */

static int h_xattrwalk(V9fsServer *s, P9In *in, P9Out *out)
{
    uint32_t num = p9_get32(in), newnum = p9_get32(in);
    g_autofree char *name = p9_getstr(in);
    g_autofree uint8_t *buf = NULL;
    ssize_t n;
    Fid *f, *nf;

    if (in->err)
        return -EINVAL;
    if (p9_room(out) < 8)
        return -ENOBUFS;
    f = fid_get(s, num);
    if (!f)
        return -ENOENT;
    buf = g_malloc(P9_XATTR_MAX);
    n = *name ? p9l_getxattr(s->fs, f->path, name, buf, P9_XATTR_MAX)
              : p9l_listxattr(s->fs, f->path, (char *)buf, P9_XATTR_MAX);
    if (n < 0)
        return (int)n;
    if (newnum == num)
        return -EBADF;
    nf = fid_new(s, newnum, f->path, f->uid);
    if (!nf)
        return fid_get(s, newnum) ? -EBADF : -ENFILE;
    nf->kind = FID_XATTR;
    nf->xvalue = g_byte_array_new();
    g_byte_array_append(nf->xvalue, buf, (guint)n);
    p9_put64(out, (uint64_t)n);
    return 0;
}

static int h_xattrcreate(V9fsServer *s, P9In *in, P9Out *out)
{
    uint32_t num = p9_get32(in);
    g_autofree char *name = p9_getstr(in);
    uint64_t size = p9_get64(in);
    uint32_t flags = p9_get32(in);
    Fid *f;
    int r;

    if (in->err)
        return -EINVAL;
    if ((r = path_fid(s, num, &f)))
        return r;
    if (flags & ~(uint32_t)(XATTR_CREATE | XATTR_REPLACE) || !*name)
        return -EINVAL;
    if (size > P9_XATTR_MAX)
        return -E2BIG;
    f->kind = FID_XATTR;
    f->xcreate = true;
    f->xname = g_steal_pointer(&name);
    f->xsize = size;
    f->xflags = (int)flags;
    f->xvalue = g_byte_array_new();
    return 0;
}

/* ---- I/O ---- */

static int h_read(V9fsServer *s, P9In *in, P9Out *out)
{
    uint32_t num = p9_get32(in);
    uint64_t off = p9_get64(in);
    uint32_t count = p9_get32(in);
    size_t start = out->pos + 4;
    ssize_t n;
    Fid *f;

    if (in->err)
        return -EINVAL;
    f = fid_get(s, num);
    if (!f)
        return -ENOENT;
    if (p9_room(out) < 4)
        return -ENOBUFS;
    count = (uint32_t)MIN(count, p9_room(out) - 4);
    if (f->kind == FID_XATTR && !f->xcreate) {
        n = off >= f->xvalue->len ? 0 : MIN(count, f->xvalue->len - off);
        p9_put32(out, (uint32_t)n);
        if (n)      /* an empty value has no data pointer at all */
            p9_putbytes(out, f->xvalue->data + off, (size_t)n);
        return 0;
    }
    if (f->kind != FID_FILE)
        return f->kind == FID_DIR ? -EISDIR : -EBADF;
    if (off > INT64_MAX)
        return -EINVAL;
    n = pread(f->fd, out->buf + start, count, (off_t)off);
    if (n < 0)
        return -errno;
    p9_put32(out, (uint32_t)n);
    out->pos += (size_t)n;
    return 0;
}

static int h_write(V9fsServer *s, P9In *in, P9Out *out)
{
    uint32_t num = p9_get32(in);
    uint64_t off = p9_get64(in);
    uint32_t count = p9_get32(in);
    const uint8_t *data = in->buf + in->pos;
    ssize_t n;
    Fid *f;

    if (in->err || count > in->len - in->pos)
        return -EINVAL;
    f = fid_get(s, num);
    if (!f)
        return -ENOENT;
    if (f->kind == FID_XATTR && f->xcreate) {
        if (off != f->xvalue->len || off + count > f->xsize)
            return -ENOSPC;
        g_byte_array_append(f->xvalue, data, count);
        p9_put32(out, count);
        return 0;
    }
    if (f->kind != FID_FILE)
        return -EBADF;
    if (off > INT64_MAX)
        return -EINVAL;
    n = pwrite(f->fd, data, count, (off_t)off);
    if (n < 0)
        return -errno;
    if (s->fs->writeout_immediate)
        fdatasync(f->fd);
    p9_put32(out, (uint32_t)n);
    return 0;
}

static uint8_t dirent_type(unsigned char d_type)
{
    return d_type == DT_DIR ? P9_QID_DIR : d_type == DT_LNK ? P9_QID_SYMLINK
                                                           : 0;
}

/* Entries from offset (a cookie that an earlier reply gave: the telldir
   after an entry), as many as fit in count. */
static int h_readdir(V9fsServer *s, P9In *in, P9Out *out)
{
    uint32_t num = p9_get32(in);
    uint64_t off = p9_get64(in);
    uint32_t count = p9_get32(in);
    size_t start, limit;
    struct dirent *de;
    Fid *f;

    if (in->err)
        return -EINVAL;
    f = fid_get(s, num);
    if (!f)
        return -ENOENT;
    if (f->kind != FID_DIR)
        return f->kind == FID_PATH ? -EBADF : -ENOTDIR;
    if (p9_room(out) < 4)
        return -ENOBUFS;
    if (off == 0)
        rewinddir(f->dir);
    else if ((uint64_t)telldir(f->dir) != off)
        seekdir(f->dir, (long)off);
    p9_put32(out, 0);
    start = out->pos;
    limit = start + MIN(count, p9_room(out));
    for (;;) {
        long before = telldir(f->dir);
        size_t len;

        errno = 0;
        de = readdir(f->dir);
        if (!de)
            break;
        len = 13 + 8 + 1 + 2 + strlen(de->d_name);
        if (out->pos + len > limit) {
            seekdir(f->dir, before);     /* the next reply starts here */
            break;
        }
        P9Qid q = { dirent_type(de->d_type), 0, de->d_ino };
        p9_putqid(out, &q);
        p9_put64(out, (uint64_t)telldir(f->dir));
        p9_put8(out, de->d_type);
        p9_putstr(out, de->d_name);
    }
    if (!de && errno && out->pos == start)
        return -errno;
    p9_poke32(out, start - 4, (uint32_t)(out->pos - start));
    return 0;
}

static int h_fsync(V9fsServer *s, P9In *in, P9Out *out)
{
    uint32_t num = p9_get32(in);
    uint32_t datasync = p9_get32(in);
    Fid *f;
    int fd;

    if (in->err)
        return -EINVAL;
    f = fid_get(s, num);
    if (!f)
        return -ENOENT;
    fd = f->kind == FID_FILE ? f->fd : f->kind == FID_DIR ? dirfd(f->dir)
                                                          : -1;
    if (fd < 0)
        return -EBADF;
    return (datasync ? fdatasync(fd) : fsync(fd)) < 0 ? -errno : 0;
}

/* ---- Locks ---- */

/* Locks are granted and never taken on the host (as QEMU does): a lock
   that waits would hold the main loop, and the guest's own kernel already
   serialises its processes. */
static int h_lock(V9fsServer *s, P9In *in, P9Out *out)
{
    uint32_t num = p9_get32(in);
    g_autofree char *client = NULL;

    (void)p9_get8(in);                  /* type */
    (void)p9_get32(in);                 /* flags */
    (void)p9_get64(in);                 /* start */
    (void)p9_get64(in);                 /* length */
    (void)p9_get32(in);                 /* proc_id */
    client = p9_getstr(in);
    if (in->err)
        return -EINVAL;
    if (!fid_get(s, num))
        return -ENOENT;
    p9_put8(out, P9_LOCK_SUCCESS);
    return 0;
}

static int h_getlock(V9fsServer *s, P9In *in, P9Out *out)
{
    uint32_t num = p9_get32(in);
    uint64_t start, length;
    uint32_t proc_id;
    g_autofree char *client = NULL;

    (void)p9_get8(in);
    start = p9_get64(in);
    length = p9_get64(in);
    proc_id = p9_get32(in);
    client = p9_getstr(in);
    if (in->err)
        return -EINVAL;
    if (!fid_get(s, num))
        return -ENOENT;
    p9_put8(out, P9_LOCK_TYPE_UNLCK);
    p9_put64(out, start);
    p9_put64(out, length);
    p9_put32(out, proc_id);
    p9_putstr(out, client);
    return 0;
}

/* ---- Dispatch ---- */

typedef struct P9Op {
    uint8_t type;
    bool modifies;       /* refused with EROFS on a readonly share */
    P9Handler fn;
} P9Op;

static const P9Op p9_ops[] = {
    { P9_TSTATFS, false, h_statfs },
    { P9_TLOPEN, false, h_lopen },
    { P9_TLCREATE, true, h_lcreate },
    { P9_TSYMLINK, true, h_symlink },
    { P9_TMKNOD, true, h_mknod },
    { P9_TRENAME, true, h_rename },
    { P9_TREADLINK, false, h_readlink },
    { P9_TGETATTR, false, h_getattr },
    { P9_TSETATTR, true, h_setattr },
    { P9_TXATTRWALK, false, h_xattrwalk },
    { P9_TXATTRCREATE, true, h_xattrcreate },
    { P9_TREADDIR, false, h_readdir },
    { P9_TFSYNC, false, h_fsync },
    { P9_TLOCK, false, h_lock },
    { P9_TGETLOCK, false, h_getlock },
    { P9_TLINK, true, h_link },
    { P9_TMKDIR, true, h_mkdir },
    { P9_TRENAMEAT, true, h_renameat },
    { P9_TUNLINKAT, true, h_unlinkat },
    { P9_TVERSION, false, h_version },
    { P9_TATTACH, false, h_attach },
    { P9_TFLUSH, false, h_flush },
    { P9_TWALK, false, h_walk },
    { P9_TREAD, false, h_read },
    { P9_TWRITE, true, h_write },
    { P9_TCLUNK, false, h_clunk },
    { P9_TREMOVE, false, h_remove },
};

static const P9Op *find_op(uint8_t type)
{
    for (size_t i = 0; i < G_N_ELEMENTS(p9_ops); i++) {
        if (p9_ops[i].type == type)
            return &p9_ops[i];
    }
    return NULL;
}

size_t v9fs_server_handle(V9fsServer *s, const uint8_t *req, size_t req_len,
                          uint8_t *reply, size_t reply_cap)
{
    P9In in = { req, req_len, 0, false };
    P9Out out = { reply, MIN(reply_cap, (size_t)s->msize), P9_HDR, false };
    uint32_t size = p9_get32(&in);
    uint8_t type = p9_get8(&in);
    uint16_t tag = p9_get16(&in);
    const P9Op *op = find_op(type);
    int r;

    if (in.err || out.cap < P9_HDR + 4) {
        log_mask(LOG_GUEST_ERROR, "virtio-9p: a request of %zu bytes, or "
                 "no room for a reply (%zu bytes)\n", req_len, reply_cap);
        return 0;
    }
    if (size < P9_HDR || size > req_len) {
        log_mask(LOG_GUEST_ERROR, "virtio-9p: message size %u in a buffer "
                 "of %zu bytes\n", size, req_len);
        r = -EINVAL;
    } else if (!op || type & 1) {
        log_mask(LOG_UNIMP, "virtio-9p: message type %u\n", type);
        r = -EOPNOTSUPP;
    } else if (op->modifies && s->fs->readonly) {
        r = -EROFS;
    } else {
        in.len = size;
        r = op->fn(s, &in, &out);
        if (!r && out.overflow)
            r = -ENOBUFS;
    }
    if (r) {
        out = (P9Out){ reply, out.cap, P9_HDR, false };
        p9_put32(&out, (uint32_t)-r);
        type = P9_TLERROR;
    }
    p9_poke32(&out, 0, (uint32_t)out.pos);
    reply[4] = (uint8_t)(type + 1);
    reply[5] = (uint8_t)tag;
    reply[6] = (uint8_t)(tag >> 8);
    return out.pos;
}

/* ---- The server ---- */

V9fsServer *v9fs_server_new(FsDev *fs)
{
    V9fsServer *s = g_new0(V9fsServer, 1);
    struct rlimit rl;

    s->fs = fs;
    s->msize = V9FS_MAX_MSIZE;
    /* What the fd limit leaves once the emulator has its own (256). */
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY)
        s->max_open = rl.rlim_cur > 512 ? (unsigned)MIN(rl.rlim_cur - 256,
                                                        (rlim_t)1 << 20)
                                        : (unsigned)rl.rlim_cur / 2;
    else
        s->max_open = 1u << 20;
    s->fids = g_hash_table_new_full(NULL, NULL, NULL, fid_free);
    return s;
}

void v9fs_server_reset(V9fsServer *s)
{
    g_hash_table_remove_all(s->fids);
    s->msize = V9FS_MAX_MSIZE;
}

void v9fs_server_free(V9fsServer *s)
{
    if (!s)
        return;
    g_hash_table_unref(s->fids);
    g_free(s);
}

unsigned v9fs_server_fid_count(const V9fsServer *s)
{
    return g_hash_table_size(s->fids);
}

unsigned v9fs_server_max_open(const V9fsServer *s)
{
    return s->max_open;
}
