/*
 * Shared between the files of semihosting/: the console (console.c), the
 * guest's file handles and the confined host paths (files.c).  Functions
 * that fail return a negative errno value.
 */
#ifndef SEMIHOSTING_INTERNAL_H
#define SEMIHOSTING_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "mimic/chardev.h"
#include "mimic/log.h"

/* ---- files.c ---- */
/* Confines paths beneath root (NULL: no confinement). */
bool sh_files_set_root(const char *root, char **err);
/* A new guest handle (lowest free, from 1) for hostfd, or -1 if full. */
int sh_fd_alloc(int hostfd);
/* The host descriptor of a guest handle, or -1. */
int sh_fd_host(int64_t guestfd);
/* Frees a guest handle (closing its host file but for stdio). */
int sh_fd_close(int64_t guestfd);
/* open(2), unlink(2) and rename(2) of guest-given names, confined. */
int sh_path_open(const char *name, int flags, mode_t mode);
int sh_path_remove(const char *name);
int sh_path_rename(const char *from, const char *to);

/* ---- console.c ---- */
/* Connects the console to chr (NULL: output to stderr, no input). */
void sh_console_init(Chardev *chr);
/* Writes len bytes to the console (BQL held). */
void sh_console_write(const void *buf, size_t len);
/* One input byte (BQL not held); -1 if there is no input backend or the
   machine is shutting down; SH_READC_AGAIN if none came within 50 ms. */
#define SH_READC_AGAIN (-2)
int sh_console_readc(void);

#endif
