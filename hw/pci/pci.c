/*
 * The PCI core (the contract is include/mimic/pci.h): a bus of up to 256
 * functions, each with a type 0 configuration header whose writable bits
 * are described by masks (wmask, and w1cmask for status bits cleared by
 * writing 1), so that one generic write path serves every device.  A write
 * that touches the command register or a BAR recomputes where each BAR
 * decodes and moves its memory region in the bus's memory or I/O space,
 * in one memory transaction, so a vCPU never sees a BAR half moved.  The
 * INTx pin of a device in slot S goes to bus line (pin + S) mod 4, the
 * swizzle that the board's interrupt-map describes; several devices share
 * a line, so the bus counts the assertions per line.
 */
#include <inttypes.h>
#include <string.h>

#include <glib.h>

#include "mimic/log.h"
#include "mimic/pci.h"

#define PCI_DEVFN_MAX 256

struct PCIBus {
    char *name;
    MemoryRegion *mem, *io;
    IRQLine *irqs[PCI_NUM_PINS];
    int irq_count[PCI_NUM_PINS];
    PCIDevice *devices[PCI_DEVFN_MAX];
};

/* QEMU's default subsystem IDs (Red Hat / QEMU). */
#define PCI_SUBVENDOR_REDHAT 0x1af4
#define PCI_SUBDEVICE_QEMU 0x1100

PCIBus *pci_bus_new(const char *name, MemoryRegion *mem, MemoryRegion *io,
                    IRQLine *const irqs[PCI_NUM_PINS])
{
    PCIBus *bus = g_new0(PCIBus, 1);

    bus->name = g_strdup(name);
    bus->mem = mem;
    bus->io = io;
    for (int i = 0; i < PCI_NUM_PINS; i++)
        bus->irqs[i] = irqs ? irqs[i] : NULL;
    return bus;
}

const char *pci_bus_name(const PCIBus *bus)
{
    return bus->name;
}

PCIDevice *pci_bus_device(PCIBus *bus, int devfn)
{
    return devfn >= 0 && devfn < PCI_DEVFN_MAX ? bus->devices[devfn] : NULL;
}

void pci_device_init(PCIDevice *d, const char *name, const PCIDeviceOps *ops,
                     uint16_t vendor, uint16_t device, uint16_t class_code,
                     uint8_t revision)
{
    uint8_t *c = d->config;

    memset(d->config, 0, sizeof(d->config));
    memset(d->wmask, 0, sizeof(d->wmask));
    memset(d->w1cmask, 0, sizeof(d->w1cmask));
    memset(d->bars, 0, sizeof(d->bars));
    d->name = name;
    d->ops = ops;
    d->devfn = -1;
    d->irq_level = 0;
    d->last_cap = 0;
    pci_set_word(c + PCI_VENDOR_ID, vendor);
    pci_set_word(c + PCI_DEVICE_ID, device);
    c[PCI_REVISION_ID] = revision;
    pci_set_word(c + PCI_CLASS_DEVICE, class_code);
    pci_set_word(c + PCI_SUBSYSTEM_VENDOR_ID, PCI_SUBVENDOR_REDHAT);
    pci_set_word(c + PCI_SUBSYSTEM_ID, PCI_SUBDEVICE_QEMU);
    c[PCI_INTERRUPT_PIN] = 1;
    pci_set_word(d->wmask + PCI_COMMAND, PCI_COMMAND_IO | PCI_COMMAND_MEMORY |
                 PCI_COMMAND_MASTER | PCI_COMMAND_INTX_DISABLE);
    /* Cache line size; the latency timer stays 0, as in QEMU. */
    d->wmask[0x0c] = 0xff;
    d->wmask[PCI_INTERRUPT_LINE] = 0xff;
    /* Parity, signalled/received aborts, SERR: write 1 to clear. */
    pci_set_word(d->w1cmask + PCI_STATUS, 0xf900);
}

void pci_device_set_no_pin(PCIDevice *d)
{
    d->config[PCI_INTERRUPT_PIN] = 0;
}

void pci_register_bar(PCIDevice *d, int n, uint8_t type, MemoryRegion *mr)
{
    PCIIORegion *r = &d->bars[n];
    uint64_t mask = ~(mr->size - 1);
    uint8_t off = (uint8_t)(PCI_BASE_ADDRESS_0 + 4 * n);

    r->size = mr->size;
    r->type = type;
    r->mr = mr;
    r->addr = PCI_BAR_UNMAPPED;
    if (type & PCI_BAR_IO) {
        pci_set_long(d->config + off, PCI_BAR_IO);
        pci_set_long(d->wmask + off, (uint32_t)mask & ~3u);
    } else {
        pci_set_long(d->config + off, type);
        pci_set_long(d->wmask + off, (uint32_t)mask & ~0xfu);
        if (type & PCI_BAR_MEM64)
            pci_set_long(d->wmask + off + 4, (uint32_t)(mask >> 32));
    }
}

uint8_t pci_add_capability(PCIDevice *d, uint8_t id, uint8_t offset,
                           uint8_t size)
{
    uint8_t *c = d->config;

    if (!offset)
        offset = d->last_cap ? d->last_cap : 0x40;
    /* The new capability heads the list, as QEMU links them. */
    c[offset] = id;
    c[offset + 1] = c[PCI_CAPABILITY_LIST];
    c[PCI_CAPABILITY_LIST] = offset;
    pci_set_word(c + PCI_STATUS, pci_get_word(c + PCI_STATUS) |
                 PCI_STATUS_CAP_LIST);
    d->last_cap = (uint8_t)(offset + size);
    return offset;
}

bool pci_bus_plug(PCIBus *bus, PCIDevice *d, int devfn, bool multifunction,
                  char **err)
{
    if (devfn < 0) {
        for (devfn = 0; devfn < PCI_DEVFN_MAX; devfn += 8) {
            if (!bus->devices[devfn])
                break;
        }
        if (devfn >= PCI_DEVFN_MAX) {
            *err = g_strdup_printf("PCI bus '%s' is full (32 slots)", bus->name);
            return false;
        }
    }
    if (devfn >= PCI_DEVFN_MAX) {
        *err = g_strdup_printf("PCI address %02x.%x is out of range",
                               PCI_SLOT(devfn), PCI_FUNC(devfn));
        return false;
    }
    if (bus->devices[devfn]) {
        *err = g_strdup_printf("PCI: slot %d function %d not available for %s,"
                               " in use by %s", PCI_SLOT(devfn),
                               PCI_FUNC(devfn), d->name,
                               bus->devices[devfn]->name);
        return false;
    }
    if (multifunction)
        d->config[PCI_HEADER_TYPE] |= PCI_HEADER_TYPE_MULTI_FUNCTION;
    d->bus = bus;
    d->devfn = devfn;
    memcpy(d->reset_config, d->config, sizeof(d->config));
    bus->devices[devfn] = d;
    return true;
}

/* ---- BAR decoding ---- */

/* Where BAR n decodes now, or PCI_BAR_UNMAPPED. */
static uint64_t bar_address(PCIDevice *d, int n)
{
    PCIIORegion *r = &d->bars[n];
    uint16_t cmd = pci_get_word(d->config + PCI_COMMAND);
    const uint8_t *p = d->config + PCI_BASE_ADDRESS_0 + 4 * n;
    uint64_t addr, last;

    if (r->type & PCI_BAR_IO) {
        if (!(cmd & PCI_COMMAND_IO))
            return PCI_BAR_UNMAPPED;
        addr = pci_get_long(p) & ~3u;
        last = addr + r->size - 1;
        /* Port I/O is 64 KiB on this bus; 0 means not programmed. */
        if (addr == 0 || last > 0xffff || last < addr)
            return PCI_BAR_UNMAPPED;
        return addr;
    }
    if (!(cmd & PCI_COMMAND_MEMORY))
        return PCI_BAR_UNMAPPED;
    addr = pci_get_long(p) & ~0xfu;
    if (r->type & PCI_BAR_MEM64)
        addr |= (uint64_t)pci_get_long(p + 4) << 32;
    last = addr + r->size - 1;
    /* As QEMU: 0 is not programmed, a BAR that wraps decodes nothing,
       and a 32-bit BAR sized with all ones is not an address. */
    if (addr == 0 || last < addr)
        return PCI_BAR_UNMAPPED;
    if (!(r->type & PCI_BAR_MEM64) && last > UINT32_MAX)
        return PCI_BAR_UNMAPPED;
    if (last == UINT64_MAX)
        return PCI_BAR_UNMAPPED;
    return addr;
}

static void pci_update_mappings(PCIDevice *d)
{
    memory_region_transaction_begin();
    for (int n = 0; n < PCI_NUM_BARS; n++) {
        PCIIORegion *r = &d->bars[n];
        MemoryRegion *space;
        uint64_t addr;

        if (!r->size)
            continue;
        space = (r->type & PCI_BAR_IO) ? d->bus->io : d->bus->mem;
        addr = bar_address(d, n);
        if (addr == r->addr)
            continue;
        if (r->addr != PCI_BAR_UNMAPPED)
            memory_region_del_subregion(space, r->mr);
        r->addr = addr;
        /* Priority 1: a BAR placed over the bus's own regions wins. */
        if (addr != PCI_BAR_UNMAPPED)
            memory_region_add_subregion_overlap(space, addr, r->mr, 1);
    }
    memory_region_transaction_commit();
}

/* ---- INTx ---- */

static int pci_intx_line(PCIDevice *d)
{
    int pin = d->config[PCI_INTERRUPT_PIN] - 1;

    return (pin + PCI_SLOT(d->devfn)) % PCI_NUM_PINS;
}

static bool intx_asserted(PCIDevice *d)
{
    return d->irq_level &&
           !(pci_get_word(d->config + PCI_COMMAND) & PCI_COMMAND_INTX_DISABLE);
}

/* Moves the bus line by the change of what d drives (was -> now). */
static void pci_intx_change(PCIDevice *d, bool was, bool now)
{
    PCIBus *bus = d->bus;
    int line;

    if (was == now || !bus || d->config[PCI_INTERRUPT_PIN] == 0)
        return;
    line = pci_intx_line(d);
    bus->irq_count[line] += now ? 1 : -1;
    irq_set(bus->irqs[line], bus->irq_count[line] > 0);
}

void pci_set_irq(PCIDevice *d, int level)
{
    bool was = intx_asserted(d);
    uint16_t status = pci_get_word(d->config + PCI_STATUS);

    d->irq_level = level != 0;
    status = d->irq_level ? status | PCI_STATUS_INTERRUPT
                          : status & ~PCI_STATUS_INTERRUPT;
    pci_set_word(d->config + PCI_STATUS, status);
    pci_intx_change(d, was, intx_asserted(d));
}

/* ---- Config accesses ---- */

uint32_t pci_config_read(PCIDevice *d, uint32_t addr, int len)
{
    uint32_t v = 0;

    if (addr >= PCI_CONFIG_SPACE_SIZE || addr + (uint32_t)len > PCI_CONFIG_SPACE_SIZE)
        return len == 4 ? 0xffffffffu : (1u << (8 * len)) - 1;
    if (d->ops && d->ops->config_read)
        d->ops->config_read(d, addr, len);
    for (int i = 0; i < len; i++)
        v |= (uint32_t)d->config[addr + i] << (8 * i);
    return v;
}

static bool ranges_overlap(uint32_t a, int alen, uint32_t b, int blen)
{
    return a < b + (uint32_t)blen && b < a + (uint32_t)alen;
}

void pci_config_write(PCIDevice *d, uint32_t addr, uint32_t val, int len)
{
    bool was = intx_asserted(d);

    if (addr >= PCI_CONFIG_SPACE_SIZE || addr + (uint32_t)len > PCI_CONFIG_SPACE_SIZE)
        return;
    for (int i = 0; i < len; i++) {
        uint8_t b = (uint8_t)(val >> (8 * i));
        uint8_t wm = d->wmask[addr + i], w1c = d->w1cmask[addr + i];

        d->config[addr + i] = (uint8_t)((d->config[addr + i] & ~wm) | (b & wm));
        d->config[addr + i] &= (uint8_t)~(b & w1c);
    }
    if (ranges_overlap(addr, len, PCI_COMMAND, 2) ||
        ranges_overlap(addr, len, PCI_BASE_ADDRESS_0, 4 * PCI_NUM_BARS))
        pci_update_mappings(d);
    if (ranges_overlap(addr, len, PCI_COMMAND, 2))
        pci_intx_change(d, was, intx_asserted(d));
    if (d->ops && d->ops->config_write)
        d->ops->config_write(d, addr, val, len);
}

void pci_bus_reset(PCIBus *bus)
{
    for (int devfn = 0; devfn < PCI_DEVFN_MAX; devfn++) {
        PCIDevice *d = bus->devices[devfn];

        if (!d)
            continue;
        pci_set_irq(d, 0);
        memcpy(d->config, d->reset_config, sizeof(d->config));
        pci_update_mappings(d);
        if (d->ops && d->ops->reset)
            d->ops->reset(d);
    }
}

/* ---- info pci ---- */

/* QEMU's names; a class it has no name for prints as "Class" and the
   class code in decimal (virtio-serial's 0x0780 is "Class 1920"). */
static const struct {
    uint16_t class_code;
    const char *desc;
} pci_class_names[] = {
    { 0x0100, "SCSI controller" },
    { 0x0101, "IDE controller" },
    { 0x0106, "SATA controller" },
    { 0x0180, "Storage controller" },
    { 0x0200, "Ethernet controller" },
    { 0x0280, "Network controller" },
    { 0x0300, "VGA controller" },
    { 0x0380, "Display controller" },
    { 0x0600, "Host bridge" },
    { 0x0604, "PCI bridge" },
    { 0x0700, "Serial port" },
    { 0x0900, "Keyboard" },
    { 0x0901, "Pen" },
    { 0x0902, "Mouse" },
};

static void print_class(PCIDevice *d, FILE *f)
{
    uint16_t cls = pci_get_word(d->config + PCI_CLASS_DEVICE);

    for (size_t i = 0; i < G_N_ELEMENTS(pci_class_names); i++) {
        if (pci_class_names[i].class_code == cls) {
            fprintf(f, "    %s", pci_class_names[i].desc);
            return;
        }
    }
    fprintf(f, "    Class %04d", cls);
}

static void print_bar(PCIDevice *d, int n, FILE *f)
{
    PCIIORegion *r = &d->bars[n];
    uint64_t last = r->addr + r->size - 1;

    fprintf(f, "      BAR%d: ", n);
    if (r->type & PCI_BAR_IO)
        fprintf(f, "I/O at 0x%04" PRIx64 " [0x%04" PRIx64 "].\n", r->addr, last);
    else
        fprintf(f, "%d bit%s memory at 0x%08" PRIx64 " [0x%08" PRIx64 "].\n",
                (r->type & PCI_BAR_MEM64) ? 64 : 32,
                (r->type & PCI_BAR_PREFETCH) ? " prefetchable" : "", r->addr,
                last);
}

void pci_bus_print_info(PCIBus *bus, FILE *f)
{
    for (int devfn = 0; devfn < PCI_DEVFN_MAX; devfn++) {
        PCIDevice *d = bus->devices[devfn];
        const uint8_t *c;

        if (!d)
            continue;
        c = d->config;
        fprintf(f, "  Bus %2d, device %3d, function %d:\n", 0, PCI_SLOT(devfn),
                PCI_FUNC(devfn));
        print_class(d, f);
        fprintf(f, ": PCI device %04x:%04x\n", pci_get_word(c + PCI_VENDOR_ID),
                pci_get_word(c + PCI_DEVICE_ID));
        fprintf(f, "      PCI subsystem %04x:%04x\n",
                pci_get_word(c + PCI_SUBSYSTEM_VENDOR_ID),
                pci_get_word(c + PCI_SUBSYSTEM_ID));
        if (c[PCI_INTERRUPT_PIN])
            fprintf(f, "      IRQ %d, pin %c\n", c[PCI_INTERRUPT_LINE],
                    'A' + c[PCI_INTERRUPT_PIN] - 1);
        for (int n = 0; n < PCI_NUM_BARS; n++) {
            if (d->bars[n].size)
                print_bar(d, n, f);
        }
        fprintf(f, "      id \"\"\n");
    }
}

static PCIBus *default_bus;

void pci_set_default_bus(PCIBus *bus)
{
    default_bus = bus;
}

PCIBus *pci_default_bus(void)
{
    return default_bus;
}

void pci_info(FILE *f)
{
    if (default_bus)
        pci_bus_print_info(default_bus, f);
}
