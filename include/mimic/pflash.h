/*
 * A CFI parallel NOR flash with the Intel/Sharp command set (0x0001), as
 * QEMU's cfi.pflash01 (hw/block/pflash-cfi01.c): the virt board's two
 * 32 MiB banks at 0x20000000 and 0x22000000 (-drive if=pflash).
 *
 *   PFlashCFI01 *f = pflash_cfi01_create(ms, sysmem, 0x20000000, "virt.flash0",
 *                                        &PFLASH_VIRT_GEOMETRY, blk, &err);
 *   (a system reset puts it back to read-array mode: pflash_cfi01_reset)
 */
#ifndef MIMIC_PFLASH_H
#define MIMIC_PFLASH_H

#include <stdbool.h>
#include <stdint.h>

#include "mimic/block.h"
#include "mimic/memory.h"

typedef struct FdtBuilder FdtBuilder;
typedef struct MachineState MachineState;
typedef struct PFlashCFI01 PFlashCFI01;

typedef struct PFlashGeometry {
    uint32_t sector_len;       /* erase block of the whole bank, bytes */
    uint32_t nb_blocks;
    unsigned bank_width;       /* bytes per bus access (the chips side by side) */
    unsigned device_width;     /* bytes per chip */
    uint16_t ident[2];         /* manufacturer and device ids */
} PFlashGeometry;

/* QEMU's virt: 128 blocks of 256 KiB, two 16-bit chips on a 32-bit bus,
   Intel 28F128-style ids. */
extern const PFlashGeometry PFLASH_VIRT_GEOMETRY;

/*
 * Maps a flash at base.  blk (may be NULL: an erased-to-zero flash whose
 * writes are not kept) must be exactly the bank's size; its contents are
 * read now and every program or erase is written back to it.  A
 * read-only blk gives a flash whose program and erase fail with an error
 * status.  It joins ms's reset list.  NULL with QEMU's message in *err.
 */
PFlashCFI01 *pflash_cfi01_create(MachineState *ms, MemoryRegion *parent,
                                 uint64_t base,
                                 const char *name, const PFlashGeometry *g,
                                 BlockBackend *blk, char **err);
void pflash_cfi01_reset(PFlashCFI01 *f);
/* Adds one flash@base node under parent for nbanks banks of geometry g
   side by side from base (one reg entry each), as QEMU describes them. */
void pflash_cfi01_fdt_add(FdtBuilder *b, int parent, uint64_t base,
                          int nbanks, const PFlashGeometry *g);

#endif
