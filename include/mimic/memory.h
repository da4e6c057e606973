/*
 * Memory regions and address spaces (hw/core/memory.c).
 *
 * A region is RAM, MMIO (a const ops struct and an opaque pointer), or a
 * container of subregions placed at offsets and overlapping by priority.
 * An address space is the flattened view of a root region; the softmmu and
 * device DMA both use it, and every access returns a MemTxResult so that a
 * DMA to a hole is an error the device handles, not a crash.
 *
 *   memory_region_init_ram(&ram, "ram", 128 << 20);
 *   memory_region_add_subregion(&sysmem, 0x80000000, &ram);
 *   memory_region_init_io(&uart, &uart_ops, s, "serial", 0x100);
 *   memory_region_add_subregion(&sysmem, 0x10000000, &uart);
 *   address_space_init(&as, &sysmem, "memory");
 *
 * The tree may change while vCPUs run (a PCI BAR moves when the guest
 * programs it): group changes between memory_region_transaction_begin()
 * and _commit(); the new flat view is published atomically at the
 * outermost commit, the old one freed once no lookup can still use it, and
 * every vCPU's TLB flushed of RAM mappings that changed (see the map-change
 * hook below).  Aliases show part of another region:
 *
 *   memory_region_init_alias(&win, "pcie-mmio", &bus_mem, 0x40000000, size);
 *   memory_region_add_subregion(&sysmem, 0x40000000, &win);
 */
#ifndef MIMIC_MEMORY_H
#define MIMIC_MEMORY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "mimic/bql.h"
#include "mimic/memop.h"

typedef enum MemTxResult {
    MEMTX_OK = 0,
    MEMTX_ERROR = 1,         /* the device refused the access */
    MEMTX_DECODE_ERROR = 2,  /* nothing at that address */
} MemTxResult;

typedef struct MemoryRegionOps {
    /* size is 1, 2, 4 or 8 and within [min, max]_access_size. */
    uint64_t (*read)(void *opaque, uint64_t addr, unsigned size);
    void (*write)(void *opaque, uint64_t addr, uint64_t val, unsigned size);
    /* Accesses the device accepts; others are split or widened by the
       core into accesses of impl sizes, or refused if not valid. */
    unsigned valid_min, valid_max;  /* 0 means 1 and 8 */
    unsigned impl_min, impl_max;    /* 0 means the valid sizes */
    bool valid_unaligned;
} MemoryRegionOps;

typedef struct MemoryRegion MemoryRegion;

struct MemoryRegion {
    const char *name;
    uint64_t size;
    bool ram;
    bool readonly;           /* ROM: guest writes are ignored */
    uint8_t *ram_ptr;        /* host memory, for RAM/ROM */
    uint8_t *code_bitmap;    /* RAM: one bit per page holding TBs */
    const MemoryRegionOps *ops;
    void *opaque;
    /* Container structure. */
    MemoryRegion *container;
    uint64_t addr;           /* offset within the container */
    int priority;
    MemoryRegion *subregions;    /* sorted by priority, highest first */
    MemoryRegion *next_sibling;
    bool enabled;
    /* An alias shows [alias_offset, alias_offset + size) of another. */
    MemoryRegion *alias;
    uint64_t alias_offset;
};

typedef struct FlatView FlatView;

typedef struct AddressSpace {
    const char *name;
    MemoryRegion *root;
    FlatView *view;          /* published atomically; see memory.c */
} AddressSpace;

/* What lives at one address of an address space. */
typedef struct MemoryRegionSection {
    MemoryRegion *mr;        /* NULL: nothing there */
    uint64_t offset_within_region;
    uint64_t offset_within_as;   /* start of the flat range */
    uint64_t size;               /* bytes of the flat range from its start */
} MemoryRegionSection;

void memory_region_init(MemoryRegion *mr, const char *name, uint64_t size);
/* Allocates zeroed host memory; exits with a message if it cannot. */
void memory_region_init_ram(MemoryRegion *mr, const char *name, uint64_t size);
void memory_region_init_rom(MemoryRegion *mr, const char *name, uint64_t size);
void memory_region_init_io(MemoryRegion *mr, const MemoryRegionOps *ops,
                           void *opaque, const char *name, uint64_t size);
/*
 * A ROM device (a parallel flash): memory the device fills (mr->ram_ptr)
 * that the CPUs execute in place, while their data reads and writes go to
 * ops, so that the device can answer a command (status, query) instead of
 * its contents.  Image loaders and DMA see the memory itself.  A device
 * that changes the memory calls memory_region_rom_device_changed.
 */
void memory_region_init_rom_device(MemoryRegion *mr, const MemoryRegionOps *ops,
                                   void *opaque, const char *name,
                                   uint64_t size);
/* Drops the translated code of [offset, offset + len) of a ROM device. */
void memory_region_rom_device_changed(MemoryRegion *mr, uint64_t offset,
                                      uint64_t len);
/* Frees what init allocated; the region must be detached and unused. */
void memory_region_finalize(MemoryRegion *mr);
void memory_region_add_subregion(MemoryRegion *parent, uint64_t offset,
                                 MemoryRegion *child);
void memory_region_add_subregion_overlap(MemoryRegion *parent, uint64_t offset,
                                         MemoryRegion *child, int priority);
/* A region that shows [offset, offset + size) of orig (which must outlive
   it); it is placed with add_subregion like any other. */
void memory_region_init_alias(MemoryRegion *mr, const char *name,
                              MemoryRegion *orig, uint64_t offset,
                              uint64_t size);
/* Takes child out of parent (it may be added again, anywhere). */
void memory_region_del_subregion(MemoryRegion *parent, MemoryRegion *child);
/* Moves a region within its container (keeping its priority). */
void memory_region_set_address(MemoryRegion *mr, uint64_t addr);
/* Points an alias at another offset of its region. */
void memory_region_set_alias_offset(MemoryRegion *mr, uint64_t offset);
/* Changes a region's size (an alias shows more or less). */
void memory_region_set_size(MemoryRegion *mr, uint64_t size);
/*
 * Groups changes of the tree: the flat views are rebuilt once, at the
 * outermost commit, so that no lookup sees a half-made change (a BAR
 * taken out and not yet put back).  Nests.
 */
void memory_region_transaction_begin(void);
void memory_region_transaction_commit(void);

/* Shows or hides a region (and its subregions) in every address space. */
void memory_region_set_enabled(MemoryRegion *mr, bool enabled);
/* Physical address of offset 0 of mr, following its containers up to the
   root (which is taken to sit at address 0). */
uint64_t memory_region_absolute_addr(MemoryRegion *mr);

void address_space_init(AddressSpace *as, MemoryRegion *root, const char *name);
/* Forgets an address space (its regions are left alone). */
void address_space_destroy(AddressSpace *as);
/*
 * Rebuilds the flat view after the region tree changed.  Every change
 * through this API (add, del, move, enable, alias) rebuilds the address
 * spaces it concerns by itself.  Changes are made under the BQL (or
 * before the vCPUs start); lookups take no lock: they run against
 * whichever view was published when they started, and that view stays
 * allocated until they are done.
 */
void address_space_update(AddressSpace *as);
/* The number of flat ranges (for tests and `info mtree -f`). */
int address_space_nr_ranges(AddressSpace *as);
/* What is at addr; for a hole, mr is NULL and offset_within_as/size give
   the extent of the hole. */
MemoryRegionSection address_space_lookup(AddressSpace *as, uint64_t addr);

/* Byte-granular accesses of any length; RAM writes invalidate code. */
MemTxResult address_space_read(AddressSpace *as, uint64_t addr, void *buf,
                               uint64_t len);
MemTxResult address_space_write(AddressSpace *as, uint64_t addr,
                                const void *buf, uint64_t len);
/* Loads ROM contents: like write, but also into read-only regions. */
MemTxResult address_space_write_rom(AddressSpace *as, uint64_t addr,
                                    const void *buf, uint64_t len);
/* Host pointer for [addr, addr+len) if it lies wholly in RAM, else NULL. */
void *address_space_ram_ptr(AddressSpace *as, uint64_t addr, uint64_t len);

/* One access of 1/2/4/8 bytes at a region offset (MMIO or RAM). */
MemTxResult memory_region_dispatch_read(MemoryRegion *mr, uint64_t addr,
                                        uint64_t *val, MemOp op);
MemTxResult memory_region_dispatch_write(MemoryRegion *mr, uint64_t addr,
                                         uint64_t val, MemOp op);

/*
 * Code tracking: accel/tcg marks RAM pages that hold TBs; a write to such
 * a page through the memory API calls the hook (set once by accel/tcg)
 * with the physical range written.
 */
void memory_set_code_write_hook(void (*hook)(uint64_t start, uint64_t end));
void memory_region_set_code_page(MemoryRegion *mr, uint64_t offset, bool on);
bool memory_region_is_code_page(MemoryRegion *mr, uint64_t offset);

/*
 * Called after a commit changed where RAM or ROM is mapped in some address
 * space (set once, by accel/tcg): no vCPU may go on using a TLB entry made
 * from the old view.  MMIO and holes need nothing: the softmmu looks them
 * up again on every access.
 */
void memory_set_map_change_hook(void (*hook)(void));

/*
 * The machine's physical memory: a container spanning the 64-bit space
 * (created on first use) and the address space that the CPUs and DMA see.
 */
MemoryRegion *get_system_memory(void);
extern AddressSpace address_space_memory;

/* Prints the region tree for `info mtree`. */
void memory_region_dump(MemoryRegion *root, FILE *f);
/* `info mtree`: every address space's tree, then the regions that
   aliases show, as QEMU prints them. */
void memory_dump_all(FILE *f);


#endif
