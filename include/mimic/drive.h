/*
 * The disks of the command line (system/drive.c): -drive, -blockdev,
 * -hda..-hdd, -cdrom and a bare image name, read with the rules of QEMU
 * 7.2's riscv virt machine.  main() hands every such option over as it
 * parses the command line, then opens them all in one go, before the
 * machine is built:
 *
 *   drive_cmdline_add("drive", "file=disk.img,format=raw,id=hd0");
 *   drive_cmdline_add(NULL, "disk.img");          (a bare image name)
 *   if (!drive_setup_all(snapshot, devices, &err)) die("%s", err);
 *   ... create the -device list (virtio-blk-device,drive=hd0 claims hd0) ...
 *   drive_warn_unclaimed();
 *
 * Images are registered by name in the block layer (blk_register_full),
 * where a device finds them.
 */
#ifndef MIMIC_DRIVE_H
#define MIMIC_DRIVE_H

#include <stdbool.h>

#include <glib.h>

#include "mimic/block.h"

/* The virt board's CFI flash banks (-drive if=pflash,unit=0|1). */
#define DRIVE_PFLASH_UNITS 2

/* Records one option: option is "drive", "blockdev", "hda", "hdb", "hdc",
   "hdd" or "cdrom", or NULL for an image name given without an option. */
void drive_cmdline_add(const char *option, const char *arg);

/*
 * Opens every -blockdev (first, as QEMU) and -drive; snapshot is -snapshot.
 * For each if=virtio drive, a -device string is put at the front of
 * devices (command-line order, so the first is /dev/vda).  False with a
 * message naming the option in *err.
 */
bool drive_setup_all(bool snapshot, GPtrArray *devices, char **err);

/* The image of a CFI flash bank (unit 0 or 1), or NULL for none. */
BlockBackend *drive_get_pflash(int unit);

/* Warns about drives that no device took and that were not asked to be
   if=none (-hda, -cdrom, -drive without if=): on QEMU's virt they are
   silently unused, which is rarely what the user meant. */
void drive_warn_unclaimed(void);

/* The -device string that makes the disk of an if=virtio drive: the one
   place to change when the disk becomes virtio-blk-pci. */
char *drive_virtio_device_spec(const char *id);

/* Forgets everything recorded (tests). */
void drive_reset_all(void);

#endif
