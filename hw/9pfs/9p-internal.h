/*
 * What the files of hw/9pfs/ share: the checked message reader and writer
 * (9p-msg.c) and the local backend (9p-local.c), which does every host
 * file operation on paths relative to the shared folder.
 *
 * A path here is a list of names joined by '/', "" for the folder itself,
 * each name checked by p9_name_ok (not empty, no '/', not "." or "..").
 * The backend never hands such a path to the plain path walk: it is
 * resolved beneath the folder's fd by openat2(RESOLVE_BENEATH |
 * RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS), so a symlink anywhere on
 * it, even one swapped in a moment ago, fails with ELOOP instead of
 * leading out.  Functions return 0 (or an fd, or a length) or -errno.
 */
#ifndef HW_9PFS_9P_INTERNAL_H
#define HW_9PFS_9P_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/statfs.h>

#include "mimic/9p.h"

/* ---- Messages (9p-msg.c): little-endian, strings are len[2] bytes ---- */

typedef struct P9In {
    const uint8_t *buf;
    size_t len, pos;
    bool err;          /* read past the end, or a string with a NUL */
} P9In;

typedef struct P9Out {
    uint8_t *buf;
    size_t cap, pos;
    bool overflow;     /* something did not fit: the reply is an error */
} P9Out;

typedef struct P9Qid {
    uint8_t type;
    uint32_t version;
    uint64_t path;
} P9Qid;

uint8_t p9_get8(P9In *in);
uint16_t p9_get16(P9In *in);
uint32_t p9_get32(P9In *in);
uint64_t p9_get64(P9In *in);
/* A string as a NUL-terminated copy (g_free it); NULL, with in->err, if
   it runs past the message or holds a NUL. */
char *p9_getstr(P9In *in);

void p9_put8(P9Out *out, uint8_t v);
void p9_put16(P9Out *out, uint16_t v);
void p9_put32(P9Out *out, uint32_t v);
void p9_put64(P9Out *out, uint64_t v);
void p9_putstr(P9Out *out, const char *s);
void p9_putbytes(P9Out *out, const void *p, size_t len);
void p9_putqid(P9Out *out, const P9Qid *qid);
/* Room left in the reply. */
size_t p9_room(const P9Out *out);
/* Writes a le32 at offset (a count filled in after the data). */
void p9_poke32(P9Out *out, size_t offset, uint32_t v);

/* ---- Names and paths ---- */

#define P9_NAME_MAX 255
#define P9_PATH_MAX 4095

/* 0 if name can be one component of a path, else -errno. */
int p9_name_check(const char *name);
/* dir + "/" + name (or name alone when dir is ""); NULL if too long. */
char *p9_path_join(const char *dir, const char *name);
/* Splits a path into its parent and last name (g_free both); false for
   "" (the folder has no parent here). */
bool p9_path_split(const char *path, char **dir, char **name);

/* ---- The local backend (9p-local.c) ---- */

/* Credentials the guest gives a new file. */
typedef struct P9Cred {
    uint32_t uid, gid;
    uint32_t mode;     /* with its type bits (S_IFREG, S_IFLNK, ...) */
    uint64_t rdev;
} P9Cred;

/* What Tsetattr asks for (its valid bits). */
enum {
    P9_SETATTR_MODE = 1 << 0,
    P9_SETATTR_UID = 1 << 1,
    P9_SETATTR_GID = 1 << 2,
    P9_SETATTR_SIZE = 1 << 3,
    P9_SETATTR_ATIME = 1 << 4,
    P9_SETATTR_MTIME = 1 << 5,
    P9_SETATTR_CTIME = 1 << 6,
    P9_SETATTR_ATIME_SET = 1 << 7,
    P9_SETATTR_MTIME_SET = 1 << 8,
};

typedef struct P9SetAttr {
    uint32_t valid, mode, uid, gid;
    uint64_t size;
    struct timespec atime, mtime;
} P9SetAttr;

/* Tests: false makes every lookup take the path of kernels without
   openat2 (one O_NOFOLLOW openat per name). */
void p9l_use_openat2(bool use);
/* An O_PATH fd of path (never following a symlink: a symlink gives an fd
   of the link itself); extra is O_DIRECTORY to ask for a directory. */
int p9l_resolve(FsDev *fs, const char *path, int extra);
/* lstat of path, with the guest's owner and mode in a mapped model. */
int p9l_stat(FsDev *fs, const char *path, struct stat *st);
/* The same for a file the guest has open (its name may be gone). */
int p9l_fstat(FsDev *fs, int fd, struct stat *st);
/* Opens path for I/O with host open flags; only regular files and
   directories open (a FIFO or a device node of the share never becomes
   an open host device, and nothing blocks). */
int p9l_open(FsDev *fs, const char *path, int flags);
/* Creates and opens dir/name. */
int p9l_create(FsDev *fs, const char *dir, const char *name, int flags,
               const P9Cred *cred);
int p9l_mkdir(FsDev *fs, const char *dir, const char *name,
              const P9Cred *cred);
int p9l_symlink(FsDev *fs, const char *dir, const char *name,
                const char *target, const P9Cred *cred);
int p9l_mknod(FsDev *fs, const char *dir, const char *name,
              const P9Cred *cred);
/* A hard link dir/name to path. */
int p9l_link(FsDev *fs, const char *path, const char *dir, const char *name);
int p9l_rename(FsDev *fs, const char *odir, const char *oname,
               const char *ndir, const char *nname);
/* flags: AT_REMOVEDIR for a directory. */
int p9l_unlink(FsDev *fs, const char *dir, const char *name, int flags);
/* The target of a symlink (NUL-terminated in buf); its length. */
int p9l_readlink(FsDev *fs, const char *path, char *buf, size_t size);
/* fd: the fid's open file, or -1. */
int p9l_setattr(FsDev *fs, const char *path, int fd, const P9SetAttr *a);
int p9l_statfs(FsDev *fs, const char *path, struct statfs *sf);
/* Extended attributes as the guest sees them (the model's mapping).  With
   buf NULL, the size only.  list: names, each NUL-terminated. */
ssize_t p9l_getxattr(FsDev *fs, const char *path, const char *name,
                     void *buf, size_t size);
ssize_t p9l_listxattr(FsDev *fs, const char *path, char *buf, size_t size);
int p9l_setxattr(FsDev *fs, const char *path, const char *name,
                 const void *value, size_t size, int flags);
int p9l_removexattr(FsDev *fs, const char *path, const char *name);

#endif
