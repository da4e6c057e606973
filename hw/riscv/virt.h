/*
 * The virt board's memory map and interrupt numbers, shared by the board
 * (virt.c) and its device-tree builder (virt-fdt.c).  Addresses and PLIC
 * sources are QEMU's, so guests built for QEMU's virt machine run as-is.
 */
#ifndef HW_RISCV_VIRT_H
#define HW_RISCV_VIRT_H

#include <stdint.h>

#include "mimic/board.h"
#include "mimic/pci.h"

enum {
    VIRT_MROM,
    VIRT_TEST,
    VIRT_RTC,
    VIRT_CLINT,
    VIRT_PLIC,
    VIRT_UART0,
    VIRT_VIRTIO,
    VIRT_PCIE_PIO,
    VIRT_PCIE_ECAM,
    VIRT_PCIE_MMIO,
    VIRT_FLASH,
    VIRT_DRAM,
};

extern const MachineClass riscv_virt_machine;

typedef struct VirtMemMapEntry {
    uint64_t base, size;
} VirtMemMapEntry;

extern const VirtMemMapEntry virt_memmap[];

/* The 64-bit PCIe MMIO window: 16 GiB, above RAM, aligned to its size
   (QEMU's rule, so 0x4_0000_0000 up to 14 GiB of RAM). */
VirtMemMapEntry virt_pcie_mmio_high(uint64_t ram_size);
/* The PCIe host's windows (no interrupt lines: the board wires those). */
GPEXConfig virt_pcie_config(uint64_t ram_size);

/* PLIC sources. */
enum {
    VIRT_VIRTIO_IRQ = 1,        /* 1..8, one per virtio-mmio slot */
    VIRT_UART0_IRQ = 10,
    VIRT_RTC_IRQ = 11,
    VIRT_PCIE_IRQ = 32,         /* 32..35 */
};
#define VIRT_PLIC_NUM_SOURCES 96    /* 0 (none) .. 95 */
#define VIRT_VIRTIO_COUNT 8
#define VIRT_UART_CLOCK 3686400

/* What the device tree says about the boot. */
typedef struct VirtFdtBoot {
    const char *bootargs;         /* NULL: none */
    bool has_initrd;
    uint64_t initrd_start, initrd_end;
} VirtFdtBoot;

/* Builds the board's device tree (g_free it); *size is its allocation. */
void *virt_fdt_build(MachineState *ms, const VirtFdtBoot *boot, size_t *size,
                     char **err);
/* Loads a -dtb file (g_free it). */
void *virt_fdt_load(const char *path, size_t *size, char **err);
/* Sets /chosen bootargs and initrd (growing the blob as needed); first
   with placeholder initrd values, then in_place once the initrd is placed. */
bool virt_fdt_set_chosen(void **fdt, size_t *size, const VirtFdtBoot *boot,
                         bool in_place, char **err);

#endif
