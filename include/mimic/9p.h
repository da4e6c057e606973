/*
 * Host folders shared with the guest over 9P2000.L (hw/9pfs/): the -fsdev
 * backends (fsdev.c), the protocol server (9p.c, on the local backend in
 * 9p-local.c) and the virtio-9p device that carries it (virtio-9p.c).
 * The server is independent of any transport: it takes one request
 * message and writes one reply, so virtio-mmio, virtio-pci, the unit
 * tests and the fuzzer all drive it the same way.
 *
 *   FsDev *fs = fsdev_new("local,id=f0,path=/srv,security_model=mapped-xattr",
 *                         &err);
 *   V9fsServer *s = v9fs_server_new(fs);
 *   size_t n = v9fs_server_handle(s, req, req_len, reply, reply_cap);
 *
 * The guest never reaches a host path outside the shared folder: every
 * name is resolved beneath the folder's directory fd with openat2() and no
 * symlink is ever followed on the host (docs/sharing.md).
 */
#ifndef MIMIC_9P_H
#define MIMIC_9P_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* How the guest's owners and modes are kept on the host (QEMU's names). */
typedef enum FsSecurityModel {
    FS_SM_PASSTHROUGH,  /* host files get the guest's uid, gid and mode */
    FS_SM_MAPPED_XATTR, /* kept in user.virtfs.* xattrs */
    FS_SM_NONE,         /* passthrough, failures to set them ignored */
} FsSecurityModel;

/* One -fsdev backend: a host folder. */
typedef struct FsDev {
    char *id;
    char *path;
    FsSecurityModel model;
    bool readonly;
    bool writeout_immediate;   /* writes are made durable at once */
    mode_t fmode, dmode;       /* host modes of new files (mapped) */
    int root_fd;               /* O_PATH fd of the folder, once opened */
    int users;                 /* devices serving it */
} FsDev;

/* Parses and registers "-fsdev local,id=ID,path=DIR,security_model=M
   [,readonly=on][,writeout=immediate][,fmode=O][,dmode=O]"; NULL with
   *err (g_free it) on a bad option or a duplicate id. */
FsDev *fsdev_new(const char *spec, char **err);
FsDev *fsdev_find(const char *id);
/* Opens the folder for a device (the first user opens it); false with
   *err if it is not a directory that can be opened. */
bool fsdev_open(FsDev *fs, char **err);
/* Forgets every fsdev (tests). */
void fsdev_remove_all(void);

#define V9FS_MAX_MSIZE (1u << 20) /* largest message size negotiated */
#define V9FS_MIN_MSIZE 4096

typedef struct V9fsServer V9fsServer;

/* A 9P2000.L server on an opened fsdev. */
V9fsServer *v9fs_server_new(FsDev *fs);
/* Serves one request of req_len bytes; writes the reply (at most
   reply_cap bytes) and returns its length, or 0 when nothing can be
   answered (no room for even an error reply). */
size_t v9fs_server_handle(V9fsServer *s, const uint8_t *req, size_t req_len,
                          uint8_t *reply, size_t reply_cap);
/* Drops every fid (device reset): open files are closed. */
void v9fs_server_reset(V9fsServer *s);
void v9fs_server_free(V9fsServer *s);
/* Fids in use (tests). */
unsigned v9fs_server_fid_count(const V9fsServer *s);
/* Files the guest may hold open at once: the fd limit less what the
   emulator keeps for itself (beyond it, EMFILE). */
unsigned v9fs_server_max_open(const V9fsServer *s);

#endif
