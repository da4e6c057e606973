/*
 * QEMU's generic loader device (-device loader), hw/core/generic-loader.c:
 * loads a file (an ELF at its own addresses, anything else raw at addr),
 * writes a value to memory, or sets a CPU's start address, before the
 * machine starts and again at every system reset.
 *
 *   if (!generic_loader_create(ms, opts, &err))   (opts: the -device
 *       die("%s", err);                            properties, taken out)
 */
#ifndef MIMIC_GENERIC_LOADER_H
#define MIMIC_GENERIC_LOADER_H

#include <stdbool.h>

#include <glib.h>

#include "mimic/board.h"

/* Takes file=, addr=, data=, data-len=, data-be=, cpu-num= and force-raw=
   out of opts and does what they say; false with QEMU's message in *err.
   Any property left in opts is the caller's to refuse. */
bool generic_loader_create(MachineState *ms, GHashTable *opts, char **err);

#endif
