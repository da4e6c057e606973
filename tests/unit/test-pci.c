/* needs: riscv64-softmmu */
/*
 * Tests of the PCI core and the ECAM host bridge (hw/pci/): the header's
 * writable and read-only bits, BAR sizing and mapping of 32-bit, 64-bit
 * and I/O BARs by the command register and BAR writes, a BAR moved while
 * mapped, INTx with the swizzle, shared lines and INTx disable, the
 * capability list, ECAM decoding of absent functions and buses, the
 * window that reads all ones where nothing decodes, and reset.
 */
#include "mimic/board.h"
#include "mimic/pci.h"
#include "unit.h"

static int line_level[PCI_NUM_PINS];

static void set_line(void *opaque, int n, int level)
{
    (void)opaque;
    line_level[n] = level;
}

typedef struct Host {
    MemoryRegion root;
    MachineState machine;       /* whose reset list the host joins */
    AddressSpace as;
    GPEXHost *gpex;
    PCIBus *bus;
    IRQLine *irqs[PCI_NUM_PINS];
} Host;

static void host_init(Host *h)
{
    GPEXConfig cfg = {
        .ecam_base = 0x30000000, .ecam_size = 0x10000000,
        .mmio_base = 0x40000000, .mmio_size = 0x40000000,
        .pio_base = 0x3000000, .pio_size = 0x10000,
        .mmio64_base = 0x400000000ull, .mmio64_size = 0x400000000ull,
    };

    memset(line_level, 0, sizeof(line_level));
    memory_region_init(&h->root, "root", UINT64_MAX);
    for (int i = 0; i < PCI_NUM_PINS; i++)
        cfg.irqs[i] = h->irqs[i] = irq_new(set_line, NULL, i);
    h->gpex = gpex_host_create(&h->machine, &h->root, &cfg);
    h->bus = gpex_host_bus(h->gpex);
    address_space_init(&h->as, &h->root, "pci-test");
}

/* The host bridge has no destructor: keep them reachable (for the leak
   checker; the tests' hosts and devices are static for the same reason),
   and forget their address spaces, so that no later change renders a
   finished test's tree. */
static GPtrArray *old_hosts;

static void host_fini(Host *h)
{
    if (!old_hosts)
        old_hosts = g_ptr_array_new();
    g_ptr_array_add(old_hosts, h->gpex);
    for (int i = 0; i < PCI_NUM_PINS; i++)
        g_ptr_array_add(old_hosts, h->irqs[i]);
    address_space_destroy(&h->as);
}

static uint32_t ecam_rd(Host *h, int devfn, unsigned off, unsigned len)
{
    uint32_t v = 0;

    EXPECT_EQ(address_space_read(&h->as, 0x30000000 + ((uint64_t)devfn << 12) + off,
                                 &v, len), MEMTX_OK);
    return v;
}

static void ecam_wr(Host *h, int devfn, unsigned off, uint32_t v, unsigned len)
{
    EXPECT_EQ(address_space_write(&h->as, 0x30000000 + ((uint64_t)devfn << 12) + off,
                                  &v, len), MEMTX_OK);
}

typedef struct Dev {
    PCIDevice pci;
    MemoryRegion bar0, bar1, bar2;
    uint32_t regs[16];
} Dev;

static uint64_t dev_read(void *opaque, uint64_t addr, unsigned size)
{
    Dev *d = opaque;

    (void)size;
    return d->regs[(addr / 4) % 16];
}

static void dev_write(void *opaque, uint64_t addr, uint64_t val, unsigned size)
{
    Dev *d = opaque;

    (void)size;
    d->regs[(addr / 4) % 16] = (uint32_t)val;
}

static const MemoryRegionOps dev_ops = {
    .read = dev_read, .write = dev_write, .valid_min = 4, .valid_max = 4,
};

/* BAR0 I/O 32 bytes, BAR1 32-bit 4 KiB, BAR2+3 64-bit 16 KiB. */
static void dev_init(Dev *d, Host *h, int devfn)
{
    char *err = NULL;

    memset(d, 0, sizeof(*d));
    memory_region_init_io(&d->bar0, &dev_ops, d, "io", 32);
    memory_region_init_io(&d->bar1, &dev_ops, d, "mem32", 0x1000);
    memory_region_init_io(&d->bar2, &dev_ops, d, "mem64", 0x4000);
    pci_device_init(&d->pci, "testdev", NULL, 0x1234, 0x5678, 0x0200, 3);
    pci_register_bar(&d->pci, 0, PCI_BAR_IO, &d->bar0);
    pci_register_bar(&d->pci, 1, PCI_BAR_MEM32, &d->bar1);
    pci_register_bar(&d->pci, 2, PCI_BAR_MEM64 | PCI_BAR_PREFETCH, &d->bar2);
    EXPECT(pci_bus_plug(h->bus, &d->pci, devfn, false, &err));
    g_free(err);
}

TEST(header_and_absent_functions)
{
    static Host h;
    static Dev d;

    host_init(&h);
    dev_init(&d, &h, PCI_DEVFN(2, 0));
    EXPECT_EQ(ecam_rd(&h, 0, 0, 4), 0x00081b36);
    EXPECT_EQ(ecam_rd(&h, PCI_DEVFN(2, 0), 0, 4), 0x56781234);
    EXPECT_EQ(ecam_rd(&h, PCI_DEVFN(2, 0), 8, 4), 0x02000003);
    EXPECT_EQ(ecam_rd(&h, PCI_DEVFN(2, 0), 0x2c, 4), 0x11001af4);
    EXPECT_EQ(ecam_rd(&h, PCI_DEVFN(2, 0), PCI_INTERRUPT_PIN, 1), 1);
    EXPECT_EQ(ecam_rd(&h, PCI_DEVFN(3, 0), 0, 4), 0xffffffff);
    EXPECT_EQ(ecam_rd(&h, PCI_DEVFN(2, 1), 0, 2), 0xffff);
    EXPECT_EQ(ecam_rd(&h, 256, 0, 4), 0xffffffff);      /* bus 1 */
    EXPECT_EQ(ecam_rd(&h, PCI_DEVFN(2, 0), 0x100, 4), 0xffffffff);
    /* Read-only IDs; the interrupt line is the guest's scratch. */
    ecam_wr(&h, PCI_DEVFN(2, 0), 0, 0, 4);
    EXPECT_EQ(ecam_rd(&h, PCI_DEVFN(2, 0), 0, 4), 0x56781234);
    ecam_wr(&h, PCI_DEVFN(2, 0), PCI_INTERRUPT_LINE, 0x2a, 1);
    EXPECT_EQ(ecam_rd(&h, PCI_DEVFN(2, 0), PCI_INTERRUPT_LINE, 1), 0x2a);
    ecam_wr(&h, PCI_DEVFN(2, 0), 0x0d, 0x80, 1);          /* latency timer */
    EXPECT_EQ(ecam_rd(&h, PCI_DEVFN(2, 0), 0x0d, 1), 0);
    host_fini(&h);
}

TEST(plug_refuses_taken_or_bad_addresses)
{
    static Host h;
    static Dev a, b;
    char *err = NULL;

    host_init(&h);
    dev_init(&a, &h, -1);
    EXPECT_EQ(a.pci.devfn, PCI_DEVFN(1, 0));    /* 0 is the host bridge */
    memset(&b, 0, sizeof(b));
    pci_device_init(&b.pci, "second", NULL, 1, 2, 0, 0);
    EXPECT(!pci_bus_plug(h.bus, &b.pci, PCI_DEVFN(1, 0), false, &err));
    EXPECT(err && strstr(err, "in use by testdev"));
    g_free(err);
    err = NULL;
    EXPECT(!pci_bus_plug(h.bus, &b.pci, 256, false, &err));
    g_free(err);
    host_fini(&h);
}

TEST(bar_sizing_and_mapping)
{
    static Host h;
    static Dev d;
    int fn = PCI_DEVFN(1, 0);
    uint32_t v = 0;

    host_init(&h);
    dev_init(&d, &h, fn);
    EXPECT_EQ(ecam_rd(&h, fn, 0x10, 4), 1);
    EXPECT_EQ(ecam_rd(&h, fn, 0x18, 4), 0xc);
    ecam_wr(&h, fn, 0x10, 0xffffffff, 4);
    ecam_wr(&h, fn, 0x14, 0xffffffff, 4);
    ecam_wr(&h, fn, 0x18, 0xffffffff, 4);
    ecam_wr(&h, fn, 0x1c, 0xffffffff, 4);
    ecam_wr(&h, fn, 0x20, 0xffffffff, 4);
    EXPECT_EQ(ecam_rd(&h, fn, 0x10, 4), 0xffffffe1);
    EXPECT_EQ(ecam_rd(&h, fn, 0x14, 4), 0xfffff000);
    EXPECT_EQ(ecam_rd(&h, fn, 0x18, 4), 0xffffc00c);
    EXPECT_EQ(ecam_rd(&h, fn, 0x1c, 4), 0xffffffff);
    EXPECT_EQ(ecam_rd(&h, fn, 0x20, 4), 0);             /* no BAR4 */

    /* Programmed but decoding off: nothing there (all ones). */
    ecam_wr(&h, fn, 0x10, 0x100, 4);
    ecam_wr(&h, fn, 0x14, 0x40001000, 4);
    ecam_wr(&h, fn, 0x18, 0, 4);
    ecam_wr(&h, fn, 0x1c, 4, 4);                        /* 0x4_0000_0000 */
    d.regs[1] = 0x11111111;
    address_space_read(&h.as, 0x40001004, &v, 4);
    EXPECT_EQ(v, 0xffffffff);
    EXPECT(pci_config_read(&d.pci, PCI_COMMAND, 2) == 0);

    ecam_wr(&h, fn, PCI_COMMAND, PCI_COMMAND_MEMORY, 2);
    address_space_read(&h.as, 0x40001004, &v, 4);
    EXPECT_EQ(v, 0x11111111);
    address_space_read(&h.as, 0x400000004ull, &v, 4);
    EXPECT_EQ(v, 0x11111111);
    address_space_read(&h.as, 0x3000104, &v, 4);        /* I/O still off */
    EXPECT_EQ(v, 0xffffffff);
    ecam_wr(&h, fn, PCI_COMMAND, PCI_COMMAND_MEMORY | PCI_COMMAND_IO, 2);
    address_space_read(&h.as, 0x3000104, &v, 4);
    EXPECT_EQ(v, 0x11111111);

    /* Moved while mapped: the old address decodes nothing. */
    ecam_wr(&h, fn, 0x14, 0x40100000, 4);
    address_space_read(&h.as, 0x40001004, &v, 4);
    EXPECT_EQ(v, 0xffffffff);
    address_space_read(&h.as, 0x40100004, &v, 4);
    EXPECT_EQ(v, 0x11111111);
    v = 0x22;
    address_space_write(&h.as, 0x40100008, &v, 4);
    EXPECT_EQ(d.regs[2], 0x22);

    /* A 32-bit BAR never decodes above 4 GiB, a 64-bit one that wraps
       never does either. */
    ecam_wr(&h, fn, 0x1c, 0xffffffff, 4);
    ecam_wr(&h, fn, 0x18, 0xffffc000, 4);
    EXPECT_EQ(address_space_lookup(&h.as, 0xffffffffffffc000ull).mr, NULL);
    /* A system reset (the host's entry in the machine's reset list)
       unmaps everything and restores the header. */
    machine_reset_devices(&h.machine);
    EXPECT_EQ(ecam_rd(&h, fn, PCI_COMMAND, 2), 0);
    EXPECT_EQ(ecam_rd(&h, fn, 0x14, 4), 0);
    address_space_read(&h.as, 0x40100004, &v, 4);
    EXPECT_EQ(v, 0xffffffff);
    host_fini(&h);
}

TEST(intx_swizzle_sharing_and_disable)
{
    static Host h;
    static Dev a, b;

    host_init(&h);
    dev_init(&a, &h, PCI_DEVFN(1, 0));     /* INTA of slot 1: line 1 */
    dev_init(&b, &h, PCI_DEVFN(5, 0));     /* INTA of slot 5: line 1 too */
    pci_set_irq(&a.pci, 1);
    EXPECT_EQ(line_level[1], 1);
    EXPECT(ecam_rd(&h, PCI_DEVFN(1, 0), PCI_STATUS, 2) & PCI_STATUS_INTERRUPT);
    pci_set_irq(&b.pci, 1);
    pci_set_irq(&a.pci, 0);
    EXPECT_EQ(line_level[1], 1);           /* b still holds it */
    EXPECT_EQ(ecam_rd(&h, PCI_DEVFN(1, 0), PCI_STATUS, 2) & PCI_STATUS_INTERRUPT, 0);
    /* INTx disable masks b's pin, and unmasking brings it back. */
    ecam_wr(&h, PCI_DEVFN(5, 0), PCI_COMMAND, PCI_COMMAND_INTX_DISABLE, 2);
    EXPECT_EQ(line_level[1], 0);
    EXPECT(ecam_rd(&h, PCI_DEVFN(5, 0), PCI_STATUS, 2) & PCI_STATUS_INTERRUPT);
    ecam_wr(&h, PCI_DEVFN(5, 0), PCI_COMMAND, 0, 2);
    EXPECT_EQ(line_level[1], 1);
    pci_set_irq(&b.pci, 0);
    EXPECT_EQ(line_level[1], 0);
    EXPECT_EQ(line_level[0] + line_level[2] + line_level[3], 0);
    host_fini(&h);
}

TEST(capability_list)
{
    static Host h;
    static Dev d;
    uint8_t first, second;

    host_init(&h);
    memset(&d, 0, sizeof(d));
    pci_device_init(&d.pci, "caps", NULL, 1, 2, 0, 0);
    first = pci_add_capability(&d.pci, PCI_CAP_ID_VNDR, 0, 16);
    second = pci_add_capability(&d.pci, PCI_CAP_ID_MSIX, 0, 12);
    EXPECT_EQ(first, 0x40);
    EXPECT_EQ(second, 0x50);
    EXPECT_EQ(d.pci.config[PCI_CAPABILITY_LIST], 0x50);  /* newest first */
    EXPECT_EQ(d.pci.config[0x51], 0x40);
    EXPECT_EQ(d.pci.config[0x41], 0);
    EXPECT(pci_get_word(d.pci.config + PCI_STATUS) & PCI_STATUS_CAP_LIST);
    host_fini(&h);
}

TEST(info_pci_prints_unassigned_bars)
{
    static Host h;
    static Dev d;
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);

    host_init(&h);
    dev_init(&d, &h, PCI_DEVFN(1, 0));
    pci_bus_print_info(h.bus, f);
    fclose(f);
    EXPECT(strstr(text, "    Host bridge: PCI device 1b36:0008\n") != NULL);
    EXPECT(strstr(text, "    Ethernet controller: PCI device 1234:5678\n") != NULL);
    EXPECT(strstr(text, "      BAR0: I/O at 0xffffffffffffffff [0x001e].\n") != NULL);
    EXPECT(strstr(text, "      BAR2: 64 bit prefetchable memory at "
                        "0xffffffffffffffff [0x00003ffe].\n") != NULL);
    free(text);
    host_fini(&h);
}

int main(void)
{
    return unit_run();
}
