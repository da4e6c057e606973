/*
 * Booting a RISC-V board the way QEMU does (hw/riscv/boot.c): firmware
 * (OpenSBI's fw_dynamic by default) at the start of RAM, the kernel at the
 * next 2 MiB boundary after it, the initrd and the device tree higher up
 * in RAM, and a reset vector in ROM that starts every hart with
 * a0 = mhartid, a1 = device tree, a2 = fw_dynamic info (whose next_addr is
 * the kernel entry and next_mode S-mode).
 *
 *   char *fw;  riscv_firmware_path(ms->bios, &fw, &err);
 *   riscv_load_kernel(path, addr, ram_end, &entry, &end, &err);
 *   riscv_write_reset_vec(&address_space_memory, 0x1000, fw_start, fdt,
 *                         entry, &err);
 */
#ifndef MIMIC_RISCV_BOOT_H
#define MIMIC_RISCV_BOOT_H

#include <stdbool.h>
#include <stdint.h>

#include "mimic/memory.h"

/* Debian's opensbi package installs the generic platform firmware here. */
#define RISCV_DEFAULT_FIRMWARE \
    "/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin"
/* Overrides the default firmware path (tests, other distributions). */
#define RISCV_FIRMWARE_ENV "MIMIC_DEFAULT_BIOS"

/* RV64 kernels are placed on 2 MiB (PMD) boundaries. */
#define RISCV_KERNEL_ALIGN (2ull << 20)

/* The fw_dynamic contract (OpenSBI include/sbi/fw_dynamic.h, version 2). */
#define FW_DYNAMIC_INFO_MAGIC 0x4942534full   /* "OSBI" */
#define FW_DYNAMIC_INFO_VERSION 2
#define FW_DYNAMIC_INFO_NEXT_MODE_S 1

/* Bytes of the reset vector (code, start, fdt, fw_dynamic info). */
#define RISCV_RESET_VEC_SIZE 0x58

/*
 * The firmware file for -bios: NULL in *path for "none"; the default
 * firmware for NULL or "default" ($MIMIC_DEFAULT_BIOS, else
 * RISCV_DEFAULT_FIRMWARE); else the file given.  False (with a message
 * naming the Debian package for the default) if the file is missing.
 */
bool riscv_firmware_path(const char *bios, char **path, char **err);

/* On failure (!ok), puts the option ("-kernel") before an *err that starts
   with the file's path, so the message says which option is wrong. */
bool riscv_name_option(bool ok, const char *option, const char *path,
                       char **err);

/*
 * Loads a kernel: an ELF at its own addresses, a RISC-V Linux Image (the
 * "RSC\x05" header; it occupies image_size bytes) or a raw binary at
 * addr.  Kernels of other architectures and compressed images are
 * refused with a message.  [*low, *end) is the memory the kernel needs.
 */
bool riscv_load_kernel(const char *path, uint64_t addr, uint64_t ram_end,
                       uint64_t *entry, uint64_t *low, uint64_t *end,
                       char **err);

/*
 * Places an initrd as QEMU does: min(RAM/2, 128 MiB) above the kernel
 * entry (or right after the kernel if that overlaps it), and fails unless
 * it fits below limit (the device tree).
 */
bool riscv_load_initrd(const char *path, uint64_t kernel_entry,
                       uint64_t kernel_end, uint64_t ram_size, uint64_t limit,
                       uint64_t *start, uint64_t *end, char **err);

/* Where the device tree goes: 2 MiB aligned, at the top of RAM but below
   3 GiB when RAM starts below it (32-bit kernels can reach it). */
uint64_t riscv_fdt_addr(uint64_t ram_base, uint64_t ram_size, uint64_t fdt_size);

/* Writes the reset vector at rom_base; kernel_entry 0 if there is none. */
bool riscv_write_reset_vec(AddressSpace *as, uint64_t rom_base, uint64_t start,
                           uint64_t fdt_addr, uint64_t kernel_entry, char **err);

#endif
