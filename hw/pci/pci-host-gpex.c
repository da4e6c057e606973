/*
 * The generic PCIe host bridge of QEMU's virt boards ("gpex",
 * pci-host-ecam-generic in the device tree): an ECAM window where each
 * function's 4 KiB of configuration space sits at bus << 20 | devfn << 12,
 * a port I/O window whose first byte is bus port 0, and two memory windows
 * (below and above 4 GiB) that show the bus's memory space at the same
 * addresses, so a BAR's bus address is its CPU address.  The windows are
 * aliases of the bus's own containers, laid out and named as in QEMU's
 * `info mtree`.  Function 00:00.0 is the host bridge itself (1b36:0008).
 * Only bus 0 exists: configuration reads of other buses, and of absent
 * functions, return all ones, and writes to them are dropped.  So do
 * accesses to the windows where no BAR is (a master abort, QEMU's
 * allow-unmapped-accesses default): the bus spaces are I/O regions that
 * read all ones beneath the BARs, not holes that would fault.
 */
#include <inttypes.h>

#include <glib.h>

#include "mimic/board.h"
#include "mimic/fdt-builder.h"
#include "mimic/log.h"
#include "mimic/pci.h"

#define ECAM_BUS_SHIFT 20
#define ECAM_DEVFN_SHIFT 12

struct GPEXHost {
    MemoryRegion ecam_mmio, ecam_alias;
    MemoryRegion mmio_window, mmio, mmio_alias, mmio64_alias;
    MemoryRegion pio_window, pio;
    PCIBus *bus;
    PCIDevice root;
};

static PCIDevice *ecam_device(GPEXHost *h, uint64_t addr)
{
    if (addr >> ECAM_BUS_SHIFT)
        return NULL;             /* no bridges: bus 0 only */
    return pci_bus_device(h->bus, (int)((addr >> ECAM_DEVFN_SHIFT) & 0xff));
}

static uint64_t ecam_read(void *opaque, uint64_t addr, unsigned size)
{
    PCIDevice *d = ecam_device(opaque, addr);

    if (!d)
        return size == 4 ? 0xffffffffu : (1u << (8 * size)) - 1;
    return pci_config_read(d, (uint32_t)(addr & 0xfff), (int)size);
}

static void ecam_write(void *opaque, uint64_t addr, uint64_t val,
                       unsigned size)
{
    PCIDevice *d = ecam_device(opaque, addr);

    if (d)
        pci_config_write(d, (uint32_t)(addr & 0xfff), (uint32_t)val, (int)size);
}

static uint64_t unmapped_read(void *opaque, uint64_t addr, unsigned size)
{
    (void)opaque; (void)addr;
    return size == 8 ? UINT64_MAX : (1ull << (8 * size)) - 1;
}

static void unmapped_write(void *opaque, uint64_t addr, uint64_t val,
                           unsigned size)
{
    (void)opaque; (void)addr; (void)val; (void)size;
}

static const MemoryRegionOps unmapped_ops = {
    .read = unmapped_read,
    .write = unmapped_write,
    .valid_unaligned = true,
};

static const MemoryRegionOps ecam_ops = {
    .read = ecam_read,
    .write = ecam_write,
    .valid_min = 1,
    .valid_max = 4,
};

/* A ranges entry: PCI space code, PCI address, CPU address, size. */
static void pci_range(uint32_t *c, uint32_t space, uint64_t pci, uint64_t cpu,
                      uint64_t size)
{
    c[0] = space;
    c[1] = (uint32_t)(pci >> 32);
    c[2] = (uint32_t)pci;
    c[3] = (uint32_t)(cpu >> 32);
    c[4] = (uint32_t)cpu;
    c[5] = (uint32_t)(size >> 32);
    c[6] = (uint32_t)size;
}

/* As QEMU's virt describes the host without an MSI controller; the
   interrupt-map lists slots 0..3 and its mask keeps two slot bits, since
   the swizzle repeats every four slots. */
void gpex_host_fdt_add(FdtBuilder *b, int parent, const GPEXConfig *cfg,
                       uint32_t intc, uint32_t first_irq)
{
    g_autofree char *name = g_strdup_printf("pci@%" PRIx64, cfg->ecam_base);
    uint32_t map[4 * PCI_NUM_PINS * 6], mask[4] = { 0x1800, 0, 0, 7 };
    uint32_t ranges[3 * 7];
    uint32_t bus_range[2] = { 0, (uint32_t)(cfg->ecam_size / 0x100000 - 1) };
    int node = fdtb_node(b, parent, name), k = 0;

    fdtb_prop_u32(b, node, "#address-cells", 3);
    fdtb_prop_u32(b, node, "#interrupt-cells", 1);
    fdtb_prop_u32(b, node, "#size-cells", 2);
    fdtb_prop_str(b, node, "compatible", "pci-host-ecam-generic");
    fdtb_prop_str(b, node, "device_type", "pci");
    fdtb_prop_u32(b, node, "linux,pci-domain", 0);
    fdtb_prop_cells(b, node, "bus-range", bus_range, 2);
    fdtb_prop_empty(b, node, "dma-coherent");
    fdtb_prop_reg(b, node, cfg->ecam_base, cfg->ecam_size);
    pci_range(ranges, 0x1000000, 0, cfg->pio_base, cfg->pio_size);
    pci_range(ranges + 7, 0x2000000, cfg->mmio_base, cfg->mmio_base,
              cfg->mmio_size);
    pci_range(ranges + 14, 0x3000000, cfg->mmio64_base, cfg->mmio64_base,
              cfg->mmio64_size);
    fdtb_prop_cells(b, node, "ranges", ranges, 21);
    for (uint32_t slot = 0; slot < 4; slot++) {
        for (uint32_t pin = 1; pin <= PCI_NUM_PINS; pin++) {
            map[k++] = slot << 11;
            map[k++] = 0;
            map[k++] = 0;
            map[k++] = pin;
            map[k++] = intc;
            map[k++] = first_irq + (slot + pin - 1) % PCI_NUM_PINS;
        }
    }
    fdtb_prop_cells(b, node, "interrupt-map", map, k);
    fdtb_prop_cells(b, node, "interrupt-map-mask", mask, 4);
}

static void gpex_machine_reset(void *opaque)
{
    GPEXHost *h = opaque;

    pci_bus_reset(h->bus);
}

GPEXHost *gpex_host_create(MachineState *ms, MemoryRegion *sysmem,
                           const GPEXConfig *cfg)
{
    GPEXHost *h = g_new0(GPEXHost, 1);
    char *err = NULL;

    memory_region_init_io(&h->ecam_mmio, &ecam_ops, h, "pcie-mmcfg-mmio",
                          cfg->ecam_size);
    memory_region_init_alias(&h->ecam_alias, "pcie-ecam", &h->ecam_mmio, 0,
                             cfg->ecam_size);
    memory_region_add_subregion(sysmem, cfg->ecam_base, &h->ecam_alias);

    memory_region_init(&h->mmio_window, "gpex_mmio_window", UINT64_MAX);
    memory_region_init_io(&h->mmio, &unmapped_ops, h, "gpex_mmio", UINT64_MAX);
    memory_region_add_subregion(&h->mmio_window, 0, &h->mmio);
    memory_region_init_alias(&h->mmio_alias, "pcie-mmio", &h->mmio_window,
                             cfg->mmio_base, cfg->mmio_size);
    memory_region_add_subregion(sysmem, cfg->mmio_base, &h->mmio_alias);
    memory_region_init_alias(&h->mmio64_alias, "pcie-mmio-high",
                             &h->mmio_window, cfg->mmio64_base,
                             cfg->mmio64_size);
    memory_region_add_subregion(sysmem, cfg->mmio64_base, &h->mmio64_alias);

    memory_region_init(&h->pio_window, "gpex_ioport_window", cfg->pio_size);
    memory_region_init_io(&h->pio, &unmapped_ops, h, "gpex_ioport",
                          cfg->pio_size);
    memory_region_add_subregion(&h->pio_window, 0, &h->pio);
    memory_region_add_subregion(sysmem, cfg->pio_base, &h->pio_window);

    h->bus = pci_bus_new("pcie.0", &h->mmio, &h->pio, cfg->irqs);
    pci_device_init(&h->root, "gpex-root", NULL, 0x1b36, 0x0008, 0x0600, 0);
    pci_device_set_no_pin(&h->root);
    if (!pci_bus_plug(h->bus, &h->root, 0, false, &err)) {
        error_report("%s", err);
        abort();
    }
    machine_register_reset(ms, gpex_machine_reset, h);
    return h;
}

PCIBus *gpex_host_bus(GPEXHost *h)
{
    return h->bus;
}
