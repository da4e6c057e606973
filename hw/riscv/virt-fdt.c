/*
 * The virt board's flattened device tree, built with libfdt in the shape
 * of QEMU's (compare `qemu-system-riscv64 -M virt,dumpdtb=F`): /cpus with
 * one node per hart and its interrupt controller, a cpu-map, /memory,
 * /soc with the CLINT, PLIC, UART, RTC, test device and the PCIe host
 * (pci-host-ecam-generic, INTx through the PLIC), the syscon
 * poweroff and reboot nodes, /chosen and /aliases.  Phandles are handed
 * out in creation order.  A -dtb file is used as given, except that
 * /chosen gets bootargs (-append) and the initrd range (-initrd), as QEMU
 * does.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <string.h>

#include <glib.h>
#include <libfdt.h>

#include "mimic/loader.h"
#include "mimic/riscv_aclint.h"
#include "mimic/sifive_plic.h"
#include "target/riscv/cpu.h"
#include "virt.h"

#define FDT_INITIAL_SIZE (64 * 1024)
#define FDT_MAX_SIZE (2u << 20) /* a -dtb: real ones are a few KiB */
#define FDT_SLACK 4096       /* room for /chosen edits in a -dtb file */

/* mip bit numbers, as interrupt specifiers of a hart's interrupt controller. */
enum { IRQ_M_SOFT = 3, IRQ_M_TIMER = 7, IRQ_S_EXT = 9, IRQ_M_EXT = 11 };

typedef struct FdtBuilder {
    void *fdt;
    size_t size;
    int error;               /* the first libfdt error */
    uint32_t next_phandle;
} FdtBuilder;

/* Runs a libfdt call, growing the blob and retrying when it is full. */
#define FDT_DO(b, call)                                                 \
    do {                                                                \
        int r_;                                                         \
        while ((r_ = (call)) == -FDT_ERR_NOSPACE)                       \
            fdt_grow(b);                                                \
        if (r_ < 0 && !(b)->error)                                      \
            (b)->error = r_;                                            \
    } while (0)

static void fdt_grow(FdtBuilder *b)
{
    size_t bigger = b->size * 2;

    b->fdt = g_realloc(b->fdt, bigger);
    fdt_open_into(b->fdt, b->fdt, (int)bigger);
    b->size = bigger;
}

static int fdt_node(FdtBuilder *b, int parent, const char *name)
{
    int off;

    while ((off = fdt_add_subnode(b->fdt, parent, name)) == -FDT_ERR_NOSPACE)
        fdt_grow(b);
    if (off < 0 && !b->error)
        b->error = off;
    return off;
}

static void prop_u32(FdtBuilder *b, int node, const char *name, uint32_t v)
{
    FDT_DO(b, fdt_setprop_u32(b->fdt, node, name, v));
}

static void prop_str(FdtBuilder *b, int node, const char *name, const char *v)
{
    FDT_DO(b, fdt_setprop_string(b->fdt, node, name, v));
}

static void prop_empty(FdtBuilder *b, int node, const char *name)
{
    FDT_DO(b, fdt_setprop(b->fdt, node, name, NULL, 0));
}

/* A string list (e.g. compatible), NULL-terminated. */
static void prop_strs(FdtBuilder *b, int node, const char *name, ...)
{
    GByteArray *buf = g_byte_array_new();
    va_list ap;
    const char *s;

    va_start(ap, name);
    while ((s = va_arg(ap, const char *)) != NULL)
        g_byte_array_append(buf, (const guint8 *)s, (guint)strlen(s) + 1);
    va_end(ap);
    FDT_DO(b, fdt_setprop(b->fdt, node, name, buf->data, (int)buf->len));
    g_byte_array_free(buf, TRUE);
}

/* An array of cells, converted to big-endian. */
static void prop_cells(FdtBuilder *b, int node, const char *name,
                       const uint32_t *cells, int n)
{
    fdt32_t *be = g_new(fdt32_t, n);

    for (int i = 0; i < n; i++)
        be[i] = cpu_to_fdt32(cells[i]);
    FDT_DO(b, fdt_setprop(b->fdt, node, name, be, n * (int)sizeof(fdt32_t)));
    g_free(be);
}

/* reg = <base size> with two address and two size cells. */
static void prop_reg(FdtBuilder *b, int node, uint64_t base, uint64_t size)
{
    uint32_t reg[4] = { (uint32_t)(base >> 32), (uint32_t)base,
                        (uint32_t)(size >> 32), (uint32_t)size };

    prop_cells(b, node, "reg", reg, 4);
}

static uint32_t new_phandle(FdtBuilder *b, int node)
{
    uint32_t ph = b->next_phandle++;

    prop_u32(b, node, "phandle", ph);
    return ph;
}

/* /cpus; intc[i] gets the phandle of hart i's interrupt controller. */
static void fdt_add_cpus(FdtBuilder *b, MachineState *ms, uint32_t *intc)
{
    int cpus = fdt_node(b, 0, "cpus");
    uint32_t *cpu_ph = g_new(uint32_t, ms->nr_cpus);
    int map, cluster;

    prop_u32(b, cpus, "#address-cells", 1);
    prop_u32(b, cpus, "#size-cells", 0);
    prop_u32(b, cpus, "timebase-frequency", RISCV_ACLINT_TIMEBASE_FREQ);
    /* Creation order puts the last node first: add harts backwards so
       that cpu@0 comes first, as in QEMU's tree. */
    for (int i = ms->nr_cpus - 1; i >= 0; i--) {
        g_autofree char *name = g_strdup_printf("cpu@%x", i);
        g_autofree char *isa = riscv_isa_string(RISCV_CPU(ms->cpus[i]));
        int cpu = fdt_node(b, cpus, name);
        int ic;

        cpu_ph[i] = new_phandle(b, cpu);
        prop_str(b, cpu, "device_type", "cpu");
        prop_u32(b, cpu, "reg", (uint32_t)i);
        prop_str(b, cpu, "status", "okay");
        prop_str(b, cpu, "compatible", "riscv");
        prop_str(b, cpu, "riscv,isa", isa);
        /* QEMU 7.2's default: Linux probes the deepest mode itself. */
        prop_str(b, cpu, "mmu-type", RISCV_CPU(ms->cpus[i])->mmu
                                         ? "riscv,sv48" : "riscv,none");
        ic = fdt_node(b, cpu, "interrupt-controller");
        prop_u32(b, ic, "#interrupt-cells", 1);
        prop_empty(b, ic, "interrupt-controller");
        prop_str(b, ic, "compatible", "riscv,cpu-intc");
        intc[i] = new_phandle(b, ic);
    }
    map = fdt_node(b, cpus, "cpu-map");
    cluster = fdt_node(b, map, "cluster0");
    for (int i = ms->nr_cpus - 1; i >= 0; i--) {
        g_autofree char *name = g_strdup_printf("core%d", i);
        int core = fdt_node(b, cluster, name);

        prop_u32(b, core, "cpu", cpu_ph[i]);
    }
    g_free(cpu_ph);
}

/* interrupts-extended = <intc[0] a intc[0] b intc[1] a ...>. */
static void prop_irqs_ext(FdtBuilder *b, int node, const uint32_t *intc,
                          int harts, uint32_t a, uint32_t c)
{
    uint32_t *cells = g_new(uint32_t, 4 * harts);

    for (int i = 0; i < harts; i++) {
        cells[4 * i] = intc[i];
        cells[4 * i + 1] = a;
        cells[4 * i + 2] = intc[i];
        cells[4 * i + 3] = c;
    }
    prop_cells(b, node, "interrupts-extended", cells, 4 * harts);
    g_free(cells);
}

/* A device under /soc: name@base with reg (and interrupts on the PLIC). */
static int soc_device(FdtBuilder *b, int soc, const char *name, int which,
                      uint32_t plic, int irq)
{
    g_autofree char *n = g_strdup_printf("%s@%" PRIx64, name,
                                         virt_memmap[which].base);
    int node = fdt_node(b, soc, n);

    prop_reg(b, node, virt_memmap[which].base, virt_memmap[which].size);
    if (irq) {
        prop_u32(b, node, "interrupt-parent", plic);
        prop_u32(b, node, "interrupts", (uint32_t)irq);
    }
    return node;
}

/* ranges entry: PCI space code, PCI address, CPU address, size. */
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

/*
 * The PCIe host as QEMU's virt describes it without an MSI controller:
 * INTx of slot S, pin P (1..4) on PLIC source 32 + (S + P - 1) mod 4,
 * listed for slots 0..3 (the mask keeps two slot bits).
 */
static void fdt_add_pcie(FdtBuilder *b, MachineState *ms, int soc,
                         uint32_t plic)
{
    VirtMemMapEntry high = virt_pcie_mmio_high(ms->ram_size);
    g_autofree char *name = g_strdup_printf(
        "pci@%" PRIx64, virt_memmap[VIRT_PCIE_ECAM].base);
    uint32_t map[4 * 4 * 6], mask[4] = { 0x1800, 0, 0, 7 }, ranges[3 * 7];
    uint32_t bus_range[2] = { 0, virt_memmap[VIRT_PCIE_ECAM].size / 0x100000 - 1 };
    int node = fdt_node(b, soc, name), k = 0;

    prop_u32(b, node, "#address-cells", 3);
    prop_u32(b, node, "#interrupt-cells", 1);
    prop_u32(b, node, "#size-cells", 2);
    prop_str(b, node, "compatible", "pci-host-ecam-generic");
    prop_str(b, node, "device_type", "pci");
    prop_u32(b, node, "linux,pci-domain", 0);
    prop_cells(b, node, "bus-range", bus_range, 2);
    prop_empty(b, node, "dma-coherent");
    prop_reg(b, node, virt_memmap[VIRT_PCIE_ECAM].base,
             virt_memmap[VIRT_PCIE_ECAM].size);
    pci_range(ranges, 0x1000000, 0, virt_memmap[VIRT_PCIE_PIO].base,
              virt_memmap[VIRT_PCIE_PIO].size);
    pci_range(ranges + 7, 0x2000000, virt_memmap[VIRT_PCIE_MMIO].base,
              virt_memmap[VIRT_PCIE_MMIO].base, virt_memmap[VIRT_PCIE_MMIO].size);
    pci_range(ranges + 14, 0x3000000, high.base, high.base, high.size);
    prop_cells(b, node, "ranges", ranges, 21);
    for (uint32_t slot = 0; slot < 4; slot++) {
        for (uint32_t pin = 1; pin <= 4; pin++) {
            map[k++] = slot << 11;
            map[k++] = 0;
            map[k++] = 0;
            map[k++] = pin;
            map[k++] = plic;
            map[k++] = VIRT_PCIE_IRQ + (slot + pin - 1) % 4;
        }
    }
    prop_cells(b, node, "interrupt-map", map, k);
    prop_cells(b, node, "interrupt-map-mask", mask, 4);
}

/* /soc; returns the phandle of the test device (for poweroff/reboot). */
static uint32_t fdt_add_soc(FdtBuilder *b, MachineState *ms,
                            const uint32_t *intc)
{
    int soc = fdt_node(b, 0, "soc");
    uint32_t plic_ph, test_ph;
    int node;

    prop_u32(b, soc, "#address-cells", 2);
    prop_u32(b, soc, "#size-cells", 2);
    prop_str(b, soc, "compatible", "simple-bus");
    prop_empty(b, soc, "ranges");

    node = soc_device(b, soc, "clint", VIRT_CLINT, 0, 0);
    prop_strs(b, node, "compatible", "sifive,clint0", "riscv,clint0", NULL);
    prop_irqs_ext(b, node, intc, ms->nr_cpus, IRQ_M_SOFT, IRQ_M_TIMER);

    node = soc_device(b, soc, "plic", VIRT_PLIC, 0, 0);
    plic_ph = new_phandle(b, node);
    prop_strs(b, node, "compatible", "sifive,plic-1.0.0", "riscv,plic0", NULL);
    prop_u32(b, node, "#address-cells", 0);
    prop_u32(b, node, "#interrupt-cells", 1);
    prop_empty(b, node, "interrupt-controller");
    prop_irqs_ext(b, node, intc, ms->nr_cpus, IRQ_M_EXT, IRQ_S_EXT);
    prop_u32(b, node, "riscv,ndev", VIRT_PLIC_NUM_SOURCES - 1);

    /* Every virtio-mmio slot, used or not (an empty one reads as device
       ID 0).  Added in increasing address order, each new node going
       before the others, so the highest slot comes first in the tree and
       Linux names it first: it holds the first -device (plug_virtio). */
    for (int i = 0; i < VIRT_VIRTIO_COUNT; i++) {
        uint64_t base = virt_memmap[VIRT_VIRTIO].base +
                        (uint64_t)i * virt_memmap[VIRT_VIRTIO].size;
        g_autofree char *n = g_strdup_printf("virtio_mmio@%" PRIx64, base);

        node = fdt_node(b, soc, n);
        prop_reg(b, node, base, virt_memmap[VIRT_VIRTIO].size);
        prop_u32(b, node, "interrupt-parent", plic_ph);
        prop_u32(b, node, "interrupts", (uint32_t)(VIRT_VIRTIO_IRQ + i));
        prop_str(b, node, "compatible", "virtio,mmio");
    }

    node = soc_device(b, soc, "test", VIRT_TEST, 0, 0);
    test_ph = new_phandle(b, node);
    prop_strs(b, node, "compatible", "sifive,test1", "sifive,test0", "syscon",
              NULL);

    node = soc_device(b, soc, "serial", VIRT_UART0, plic_ph, VIRT_UART0_IRQ);
    prop_str(b, node, "compatible", "ns16550a");
    prop_u32(b, node, "clock-frequency", VIRT_UART_CLOCK);

    node = soc_device(b, soc, "rtc", VIRT_RTC, plic_ph, VIRT_RTC_IRQ);
    prop_str(b, node, "compatible", "google,goldfish-rtc");
    fdt_add_pcie(b, ms, soc, plic_ph);
    return test_ph;
}

static void fdt_add_syscon(FdtBuilder *b, const char *name, const char *compat,
                           uint32_t regmap, uint32_t value)
{
    int node = fdt_node(b, 0, name);

    prop_str(b, node, "compatible", compat);
    prop_u32(b, node, "regmap", regmap);
    prop_u32(b, node, "offset", 0);
    prop_u32(b, node, "value", value);
}

/* The two CFI flash banks, one node as QEMU's: bank-width 4. */
static void fdt_add_flash(FdtBuilder *b)
{
    uint64_t base = virt_memmap[VIRT_FLASH].base;
    uint64_t bank = virt_memmap[VIRT_FLASH].size / 2;
    uint32_t reg[8] = { (uint32_t)(base >> 32), (uint32_t)base,
                        (uint32_t)(bank >> 32), (uint32_t)bank,
                        (uint32_t)((base + bank) >> 32), (uint32_t)(base + bank),
                        (uint32_t)(bank >> 32), (uint32_t)bank };
    g_autofree char *name = g_strdup_printf("flash@%" PRIx64, base);
    int node = fdt_node(b, 0, name);

    prop_u32(b, node, "bank-width", 4);
    prop_cells(b, node, "reg", reg, 8);
    prop_str(b, node, "compatible", "cfi-flash");
}

static void fdt_add_chosen(FdtBuilder *b)
{
    g_autofree char *uart = g_strdup_printf("/soc/serial@%" PRIx64,
                                            virt_memmap[VIRT_UART0].base);
    uint32_t seed[8];
    int node;

    /* A new node goes before its older siblings and moves them: finish
       each node before adding the next. */
    node = fdt_node(b, 0, "aliases");
    prop_str(b, node, "serial0", uart);
    node = fdt_node(b, 0, "chosen");
    prop_str(b, node, "stdout-path", uart);
    /* Entropy for the guest's random pool from its first moment, as QEMU. */
    for (int i = 0; i < 8; i++)
        seed[i] = g_random_int();
    prop_cells(b, node, "rng-seed", seed, 8);
}

void *virt_fdt_build(MachineState *ms, const VirtFdtBoot *boot, size_t *size,
                     char **err)
{
    FdtBuilder b = { .size = FDT_INITIAL_SIZE, .next_phandle = 1 };
    uint32_t *intc = g_new0(uint32_t, ms->nr_cpus);
    uint32_t test_ph;
    int mem;

    b.fdt = g_malloc0(b.size);
    FDT_DO(&b, fdt_create_empty_tree(b.fdt, (int)b.size));
    prop_u32(&b, 0, "#address-cells", 2);
    prop_u32(&b, 0, "#size-cells", 2);
    prop_str(&b, 0, "compatible", "riscv-virtio");
    prop_str(&b, 0, "model", "riscv-virtio,qemu");
    fdt_add_flash(&b);
    fdt_add_chosen(&b);
    fdt_add_cpus(&b, ms, intc);
    mem = fdt_node(&b, 0, "memory@80000000");
    prop_str(&b, mem, "device_type", "memory");
    prop_reg(&b, mem, virt_memmap[VIRT_DRAM].base, ms->ram_size);
    test_ph = fdt_add_soc(&b, ms, intc);
    fdt_add_syscon(&b, "poweroff", "syscon-poweroff", test_ph, 0x5555);
    fdt_add_syscon(&b, "reboot", "syscon-reboot", test_ph, 0x7777);
    g_free(intc);
    if (!b.error && !virt_fdt_set_chosen(&b.fdt, &b.size, boot, false, err)) {
        g_free(b.fdt);
        return NULL;
    }
    if (b.error) {
        *err = g_strdup_printf("cannot build the device tree: %s",
                               fdt_strerror(b.error));
        g_free(b.fdt);
        return NULL;
    }
    *size = b.size;
    return b.fdt;
}

void *virt_fdt_load(const char *path, size_t *size, char **err)
{
    g_autofree char *data = NULL, *why = NULL;
    size_t len;
    void *fdt;
    int r;

    /* A device tree is a few KiB; the limit keeps a wrong file (a disk
       image) from being read whole. */
    if (!load_file(path, FDT_MAX_SIZE, &data, &len, &why)) {
        *err = g_strdup_printf("-dtb %s", why);
        return NULL;
    }
    /* libfdt's fdt_open_into trusts the reserve map to end within the
       blob: one that runs off it made it copy a negative size. */
    if (len < sizeof(struct fdt_header) || fdt_check_header(data) != 0 ||
        fdt_totalsize(data) > len || fdt_num_mem_rsv(data) < 0) {
        *err = g_strdup_printf("-dtb %s: not a flattened device tree (.dtb)", path);
        return NULL;
    }
    *size = fdt_totalsize(data);
    fdt = g_malloc0(*size);
    r = fdt_open_into(data, fdt, (int)*size);
    if (r < 0) {
        *err = g_strdup_printf("-dtb %s: %s", path, fdt_strerror(r));
        g_free(fdt);
        return NULL;
    }
    return fdt;
}

/* Makes room for edits of about extra bytes. */
static void fdt_reserve(void **fdt, size_t *size, size_t extra)
{
    size_t need = fdt_totalsize(*fdt) + extra;

    if (need > *size) {
        *fdt = g_realloc(*fdt, need);
        fdt_open_into(*fdt, *fdt, (int)need);
        *size = need;
    }
}

bool virt_fdt_set_chosen(void **fdtp, size_t *size, const VirtFdtBoot *boot,
                         bool in_place, char **err)
{
    void *fdt;
    int chosen, r = 0;

    if (!in_place)
        fdt_reserve(fdtp, size, FDT_SLACK +
                    (boot->bootargs ? strlen(boot->bootargs) : 0));
    fdt = *fdtp;
    chosen = fdt_path_offset(fdt, "/chosen");
    if (chosen < 0)
        chosen = fdt_add_subnode(fdt, 0, "chosen");
    if (chosen < 0) {
        r = chosen;
    } else if (boot->has_initrd) {
        uint64_t s = boot->initrd_start, e = boot->initrd_end;

        if (in_place) {
            r = fdt_setprop_inplace_u64(fdt, chosen, "linux,initrd-start", s);
            if (r == 0)
                r = fdt_setprop_inplace_u64(fdt, chosen, "linux,initrd-end", e);
        } else {
            r = fdt_setprop_u64(fdt, chosen, "linux,initrd-start", s);
            if (r == 0)
                r = fdt_setprop_u64(fdt, chosen, "linux,initrd-end", e);
        }
    }
    if (r == 0 && !in_place && boot->bootargs)
        r = fdt_setprop_string(fdt, chosen, "bootargs", boot->bootargs);
    if (r < 0) {
        *err = g_strdup_printf("cannot set /chosen in the device tree: %s",
                               fdt_strerror(r));
        return false;
    }
    return true;
}
