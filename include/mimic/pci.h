/*
 * PCI (hw/pci/): the bus, the type 0 configuration header of a function,
 * its BARs and INTx pin, and the generic ECAM host bridge (pci-host-gpex.c)
 * that the virt board maps.  A device embeds a PCIDevice, fills its header,
 * registers its BARs (memory regions it owns) and plugs itself on a bus;
 * the core maps each BAR into the bus's memory or I/O space when the guest
 * programs it and enables decoding in the command register, and moves it
 * when the guest writes a new address (one memory transaction per config
 * write).  INTx goes to the bus's four lines with the standard swizzle.
 *
 *   pci_device_init(&p->pci, "virtio-rng-pci", 0x1af4, 0x1005, 0x00ff, 0);
 *   pci_register_bar(&p->pci, 4, PCI_BAR_MEM64 | PCI_BAR_PREFETCH, &p->bar4);
 *   if (!pci_bus_plug(bus, &p->pci, -1, false, &err)) ...
 *   pci_set_irq(&p->pci, 1);
 */
#ifndef MIMIC_PCI_H
#define MIMIC_PCI_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "mimic/irq.h"
#include "mimic/memory.h"

/* Configuration header offsets (PCI Local Bus 3.0, 6.1). */
enum {
    PCI_VENDOR_ID = 0x00,
    PCI_DEVICE_ID = 0x02,
    PCI_COMMAND = 0x04,
    PCI_STATUS = 0x06,
    PCI_REVISION_ID = 0x08,
    PCI_CLASS_PROG = 0x09,
    PCI_CLASS_DEVICE = 0x0a,
    PCI_HEADER_TYPE = 0x0e,
    PCI_BASE_ADDRESS_0 = 0x10,
    PCI_SUBSYSTEM_VENDOR_ID = 0x2c,
    PCI_SUBSYSTEM_ID = 0x2e,
    PCI_ROM_ADDRESS = 0x30,
    PCI_CAPABILITY_LIST = 0x34,
    PCI_INTERRUPT_LINE = 0x3c,
    PCI_INTERRUPT_PIN = 0x3d,
};

#define PCI_COMMAND_IO 0x1
#define PCI_COMMAND_MEMORY 0x2
#define PCI_COMMAND_MASTER 0x4
#define PCI_COMMAND_INTX_DISABLE 0x400
#define PCI_STATUS_INTERRUPT 0x08
#define PCI_STATUS_CAP_LIST 0x10
#define PCI_HEADER_TYPE_MULTI_FUNCTION 0x80

#define PCI_CAP_ID_MSIX 0x11
#define PCI_CAP_ID_VNDR 0x09

#define PCI_CONFIG_SPACE_SIZE 256
#define PCI_NUM_BARS 6
#define PCI_NUM_PINS 4
#define PCI_DEVFN(slot, fn) (((slot) << 3) | (fn))
#define PCI_SLOT(devfn) (((devfn) >> 3) & 0x1f)
#define PCI_FUNC(devfn) ((devfn) & 7)

/* BAR types (the low bits of the BAR register). */
#define PCI_BAR_IO 0x1
#define PCI_BAR_MEM32 0x0
#define PCI_BAR_MEM64 0x4
#define PCI_BAR_PREFETCH 0x8
#define PCI_BAR_UNMAPPED UINT64_MAX

typedef struct PCIBus PCIBus;
typedef struct PCIDevice PCIDevice;

typedef struct PCIIORegion {
    uint64_t size;           /* 0: no BAR here */
    uint8_t type;            /* PCI_BAR_* */
    MemoryRegion *mr;
    uint64_t addr;           /* where it is mapped, or PCI_BAR_UNMAPPED */
} PCIIORegion;

typedef struct PCIDeviceOps {
    /* After the core applied a config write (BARs already moved). */
    void (*config_write)(PCIDevice *d, uint32_t addr, uint32_t val, int len);
    /* Before a config read: refresh the bytes it will see. */
    void (*config_read)(PCIDevice *d, uint32_t addr, int len);
    /* System reset: the device's own state (the header is reset first). */
    void (*reset)(PCIDevice *d);
} PCIDeviceOps;

struct PCIDevice {
    const char *name;        /* "virtio-rng-pci", for info pci */
    const PCIDeviceOps *ops;
    PCIBus *bus;
    int devfn;
    uint8_t config[PCI_CONFIG_SPACE_SIZE];
    uint8_t wmask[PCI_CONFIG_SPACE_SIZE];    /* guest-writable bits */
    uint8_t w1cmask[PCI_CONFIG_SPACE_SIZE];  /* write 1 to clear */
    uint8_t reset_config[PCI_CONFIG_SPACE_SIZE];
    PCIIORegion bars[PCI_NUM_BARS];
    int irq_level;           /* what the device asks for on its pin */
    uint8_t last_cap;        /* offset of the last capability added */
};

/* A bus: mem and io are the containers BARs are mapped into; INTA..INTD
   of slot 0 go to irqs[0..3] (the board's lines). */
PCIBus *pci_bus_new(const char *name, MemoryRegion *mem, MemoryRegion *io,
                    IRQLine *const irqs[PCI_NUM_PINS]);
const char *pci_bus_name(const PCIBus *bus);
/* The function at devfn, or NULL. */
PCIDevice *pci_bus_device(PCIBus *bus, int devfn);

/* Fills the header: IDs, class (base << 8 | sub, prog-if 0), revision,
   QEMU's subsystem IDs (1af4:1100), interrupt pin A, the standard
   writable bits. */
void pci_device_init(PCIDevice *d, const char *name, const PCIDeviceOps *ops,
                     uint16_t vendor, uint16_t device, uint16_t class_code,
                     uint8_t revision);
/* No interrupt pin (a host bridge). */
void pci_device_set_no_pin(PCIDevice *d);
/* Declares BAR n (n + 1 too for a 64-bit one) with mr's size (a power
   of 2, at least 16 bytes for memory and 4 for I/O). */
void pci_register_bar(PCIDevice *d, int n, uint8_t type, MemoryRegion *mr);
/* Adds a capability of size bytes to the list; returns its offset (the
   caller fills it from offset + 2).  At offset 0 it is placed after the
   last one. */
uint8_t pci_add_capability(PCIDevice *d, uint8_t id, uint8_t offset,
                           uint8_t size);
/* Puts d at devfn (-1: the first free slot, function 0); false with *err
   if taken or out of range.  multifunction sets the header bit. */
bool pci_bus_plug(PCIBus *bus, PCIDevice *d, int devfn, bool multifunction,
                  char **err);
/* The device's INTx pin: asserted while level is 1 (and INTx enabled). */
void pci_set_irq(PCIDevice *d, int level);
/* Config accesses of 1, 2 or 4 bytes, as ECAM sees them. */
uint32_t pci_config_read(PCIDevice *d, uint32_t addr, int len);
void pci_config_write(PCIDevice *d, uint32_t addr, uint32_t val, int len);
/* System reset of every function of the bus: headers back to power-on,
   BARs unmapped, then each device's reset hook. */
void pci_bus_reset(PCIBus *bus);
/* The bus as QEMU's `info pci` shows it. */
void pci_bus_print_info(PCIBus *bus, FILE *f);
/* Little-endian helpers on config bytes. */
static inline void pci_set_word(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}
static inline void pci_set_long(uint8_t *p, uint32_t v)
{
    pci_set_word(p, (uint16_t)v);
    pci_set_word(p + 2, (uint16_t)(v >> 16));
}
static inline uint16_t pci_get_word(const uint8_t *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}
static inline uint32_t pci_get_long(const uint8_t *p)
{
    return pci_get_word(p) | (uint32_t)pci_get_word(p + 2) << 16;
}

/* ---- The generic ECAM host bridge (QEMU's gpex) ---- */

typedef struct GPEXHost GPEXHost;

typedef struct GPEXConfig {
    uint64_t ecam_base, ecam_size;    /* one bus per MiB */
    uint64_t mmio_base, mmio_size;    /* 32-bit window: bus address = CPU */
    uint64_t pio_base, pio_size;      /* I/O window, bus port 0 at pio_base */
    uint64_t mmio64_base, mmio64_size;
    IRQLine *irqs[PCI_NUM_PINS];      /* INTA..INTD */
} GPEXConfig;

typedef struct MachineState MachineState;
typedef struct FdtBuilder FdtBuilder;

/* Maps the windows into sysmem and creates bus pcie.0 with the host
   bridge function (1b36:0008) at 00:00.0; it joins ms's reset list, where
   it resets every function on the bus (pci_bus_reset). */
GPEXHost *gpex_host_create(MachineState *ms, MemoryRegion *sysmem,
                           const GPEXConfig *cfg);
PCIBus *gpex_host_bus(GPEXHost *h);
/*
 * Adds pci@ecam_base (pci-host-ecam-generic) under parent, with cfg's
 * windows; INTx goes to controller intc (a phandle): pin P (1..4) of slot
 * S on line first_irq + (S + P - 1) mod 4, the swizzle the host applies
 * to cfg->irqs.
 */
void gpex_host_fdt_add(FdtBuilder *b, int parent, const GPEXConfig *cfg,
                       uint32_t intc, uint32_t first_irq);

/* The bus a -device bus=NAME names (the board's), for the devices. */
void pci_set_default_bus(PCIBus *bus);
PCIBus *pci_default_bus(void);
/* `info pci` of the machine: nothing if it has no PCI bus. */
void pci_info(FILE *f);

#endif
