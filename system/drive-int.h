/*
 * What system/drive.c (-drive) and system/blockdev.c (-blockdev) share,
 * private to system/: the option values both read, and the -blockdev
 * entry points that drive.c calls first, as QEMU creates -blockdev nodes
 * before -drive drives.
 */
#ifndef SYSTEM_DRIVE_INT_H
#define SYSTEM_DRIVE_INT_H

#include <stdbool.h>

#include <glib.h>

/* cache= (-drive only), cache.direct, cache.no-flush, force-share, aio,
   discard, detect-zeroes: taken out of o into blk_open *flags; false with
   QEMU's message (its -blockdev wording when blockdev). */
bool drive_common_flags(GHashTable *o, bool blockdev, int *flags, char **err);
/* key=on|off|auto (file.locking for -drive, locking for -blockdev). */
bool drive_locking_flag(GHashTable *o, const char *key, bool blockdev,
                        int *flags, char **err);

void blockdev_cmdline_add(const char *arg);
/* Parses one -blockdev string (key=value or JSON) without opening
   anything, then forgets it (the fuzzer, tests/fuzz/fuzz-cmdline.c). */
bool blockdev_parse_only(const char *arg, char **err);
/* The same for a -drive string: its options, placement and id. */
bool drive_parse_only(const char *spec, char **err);
/* Parses and opens every -blockdev, registering each node by name. */
bool blockdev_setup_all(char **err);
void blockdev_reset_all(void);

#endif
