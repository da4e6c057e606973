/*
 * Loading guest images into an address space (hw/core/loader.c): ELF64
 * executables placed at their physical addresses, and raw binaries.  Both
 * write through address_space_write_rom(), so they can fill ROM as well as
 * RAM, and report every problem with the file as a message in *err (to be
 * g_free()d), never a crash.
 *
 *   char *err = NULL;
 *   uint64_t entry;
 *   if (!load_elf(path, &address_space_memory, EM_RISCV, &entry, NULL, NULL, &err))
 *       error_report("%s", err);
 */
#ifndef MIMIC_LOADER_H
#define MIMIC_LOADER_H

#include <stdbool.h>
#include <stdio.h>
#include <stddef.h>
#include <stdint.h>

#include "mimic/memory.h"

#ifndef EM_RISCV
#define EM_RISCV 243
#endif

/*
 * Opens a file to load, read-only: a regular file only (a FIFO, a device
 * such as /dev/zero or a directory is an error, and a FIFO does not block
 * the open).  Returns the descriptor, or -1 with a message in *err.
 */
int loader_open(const char *path, char **err);
/* -L DIR: a folder where firmware named without a path is looked for,
   before the built-in places (in the order given). */
void loader_add_search_dir(const char *dir);
/* name itself if it exists, else the first -L DIR/name that does; NULL if
   none (g_free the result). */
char *loader_find_file(const char *name);
/* -L help: the folders, one a line. */
void loader_print_search_dirs(FILE *f, const char *builtin);

/* Reads a whole regular file of at most max_size bytes into *data (NUL
   terminated, to be g_free()d); *len gets its size. */
bool load_file(const char *path, size_t max_size, char **data, size_t *len,
               char **err);

/* True if the file starts with the ELF magic (false if it cannot be read). */
bool file_is_elf(const char *path);

/*
 * Loads the PT_LOAD segments of an ELF64 little-endian executable (ET_EXEC
 * or ET_DYN, e_machine == expected_machine) at their physical addresses
 * (p_paddr) and zeroes the rest of each segment (bss).  *entry is e_entry,
 * moved by p_paddr - p_vaddr when it lies in a segment; *low and *high are
 * the lowest and one past the highest physical address loaded.  Any output
 * pointer may be NULL.
 */
bool load_elf(const char *path, AddressSpace *as, uint16_t expected_machine,
              uint64_t *entry, uint64_t *low, uint64_t *high, char **err);

/* Loads a whole file at addr; fails if it is bigger than max_size.  *size
   (may be NULL) gets the file size. */
bool load_image_raw(const char *path, AddressSpace *as, uint64_t addr,
                    uint64_t max_size, uint64_t *size, char **err);

/* The name of an ELF machine number ("RISC-V", "x86-64", ...) or NULL. */
const char *elf_machine_name(uint16_t machine);

/*
 * Boot images survive a system reset as on QEMU: after loading, the board
 * records each image's guest memory range; rom_reset_all() writes the
 * recorded bytes back (the guest may have overwritten them), in the order
 * they were recorded.
 */
void rom_snapshot(AddressSpace *as, uint64_t addr, uint64_t len);

/*
 * Images that must not overlap, as QEMU 7.2 checks them: the board's
 * (-bios, -kernel, -initrd, the device tree, the reset vector) among
 * themselves, and -device loader files among themselves; a loader file
 * over a board image is allowed (it wins, being loaded later) as there.
 */
typedef enum RomSpace {
    ROM_SPACE_BOARD,
    ROM_SPACE_LOADER,
} RomSpace;

/*
 * Records the image name at [addr, addr + len) (for reset, as
 * rom_snapshot) and checks it against the images of its space: an overlap
 * is QEMU's "Some ROM regions are overlapping" message in *err, naming
 * both.  Returns false then.
 */
bool rom_add(RomSpace space, const char *name, AddressSpace *as,
             uint64_t addr, uint64_t len, char **err);
/* The name of an image of space that overlaps [addr, addr + len), with its
   range in *start, *end (exclusive); NULL if none. */
const char *rom_find_overlap(RomSpace space, uint64_t addr, uint64_t len,
                             uint64_t *start, uint64_t *end);

/* load_elf, then rom_add of each loaded segment ("PATH ELF program header
   segment N", as QEMU names them). */
bool load_elf_rom(RomSpace space, const char *path, AddressSpace *as,
                  uint16_t expected_machine, uint64_t *entry, uint64_t *low,
                  uint64_t *high, char **err);
void rom_reset_all(void);
/* The largest stretch of [base, base + size) that no recorded image
   covers, as [*gap_lo, *gap_hi) (first of equals; empty if none). */
void rom_largest_gap(uint64_t base, uint64_t size, uint64_t *gap_lo,
                     uint64_t *gap_hi);
/* Forgets every recorded range (tests). */
void rom_forget_all(void);

#endif
