/*
 * The command-line side of shared folders (system/virtfs.c): -fsdev
 * backends and QEMU's -virtfs shorthand, which makes an -fsdev and the
 * virtio-9p device on it.  Called once by main() after the options are
 * read and before the devices are created.
 */
#ifndef MIMIC_VIRTFS_H
#define MIMIC_VIRTFS_H

#include <stdbool.h>

#include <glib.h>

/* Registers every -fsdev (fsdevs) and -virtfs (virtfs) string, and adds
   the -device string of each -virtfs to devices (g_free'd by nobody: they
   live as long as the program).  False with *err ("-virtfs SPEC: why"). */
bool virtfs_setup(GPtrArray *fsdevs, GPtrArray *virtfs, GPtrArray *devices,
                  char **err);

#endif
