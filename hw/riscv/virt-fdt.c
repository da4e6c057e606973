/*
 * The virt board's flattened device tree, built with libfdt in the shape
 * of QEMU's (compare `qemu-system-riscv64 -M virt,dumpdtb=F`).  This file
 * builds the board's frame: the root, /cpus with one node per hart and
 * its interrupt controller, a cpu-map, /memory, /soc, /chosen and
 * /aliases; each device model adds its own node (the CLINT, PLIC,
 * virtio-mmio slots, test device with its poweroff and reboot nodes, UART,
 * RTC, PCIe host, flash) from the board's memory map and interrupt
 * numbers, in the order listed here, which is QEMU's.  Phandles are
 * handed out in creation order.  A -dtb file is used as given, except
 * that /chosen gets bootargs (-append) and the initrd range (-initrd), as
 * QEMU does.
 */
#include <inttypes.h>
#include <string.h>

#include <glib.h>
#include <libfdt.h>

#include "mimic/fdt-builder.h"
#include "mimic/goldfish_rtc.h"
#include "mimic/loader.h"
#include "mimic/pci.h"
#include "mimic/pflash.h"
#include "mimic/riscv_aclint.h"
#include "mimic/serial.h"
#include "mimic/sifive_plic.h"
#include "mimic/sifive_test.h"
#include "mimic/virtio.h"
#include "target/riscv/cpu.h"
#include "virt.h"

#define FDT_MAX_SIZE (2u << 20) /* a -dtb: real ones are a few KiB */
#define FDT_SLACK 4096       /* room for /chosen edits in a -dtb file */

/* /cpus; intc[i] gets the phandle of hart i's interrupt controller. */
static void fdt_add_cpus(FdtBuilder *b, MachineState *ms, uint32_t *intc)
{
    int cpus = fdtb_node(b, 0, "cpus");
    uint32_t *cpu_ph = g_new(uint32_t, ms->nr_cpus);
    int map, cluster;

    fdtb_prop_u32(b, cpus, "#address-cells", 1);
    fdtb_prop_u32(b, cpus, "#size-cells", 0);
    fdtb_prop_u32(b, cpus, "timebase-frequency", RISCV_ACLINT_TIMEBASE_FREQ);
    /* Creation order puts the last node first: add harts backwards so
       that cpu@0 comes first, as in QEMU's tree. */
    for (int i = ms->nr_cpus - 1; i >= 0; i--) {
        g_autofree char *name = g_strdup_printf("cpu@%x", i);
        g_autofree char *isa = riscv_isa_string(RISCV_CPU(ms->cpus[i]));
        int cpu = fdtb_node(b, cpus, name);
        int ic;

        cpu_ph[i] = fdtb_phandle(b, cpu);
        fdtb_prop_str(b, cpu, "device_type", "cpu");
        fdtb_prop_u32(b, cpu, "reg", (uint32_t)i);
        fdtb_prop_str(b, cpu, "status", "okay");
        fdtb_prop_str(b, cpu, "compatible", "riscv");
        fdtb_prop_str(b, cpu, "riscv,isa", isa);
        /* QEMU 7.2's default: Linux probes the deepest mode itself. */
        fdtb_prop_str(b, cpu, "mmu-type", RISCV_CPU(ms->cpus[i])->mmu
                                              ? "riscv,sv48" : "riscv,none");
        ic = fdtb_node(b, cpu, "interrupt-controller");
        fdtb_prop_u32(b, ic, "#interrupt-cells", 1);
        fdtb_prop_empty(b, ic, "interrupt-controller");
        fdtb_prop_str(b, ic, "compatible", "riscv,cpu-intc");
        intc[i] = fdtb_phandle(b, ic);
    }
    map = fdtb_node(b, cpus, "cpu-map");
    cluster = fdtb_node(b, map, "cluster0");
    for (int i = ms->nr_cpus - 1; i >= 0; i--) {
        g_autofree char *name = g_strdup_printf("core%d", i);
        int core = fdtb_node(b, cluster, name);

        fdtb_prop_u32(b, core, "cpu", cpu_ph[i]);
    }
    g_free(cpu_ph);
}

/* /soc and the devices on it; returns the phandle of the test device (for
   poweroff/reboot). */
static uint32_t fdt_add_soc(FdtBuilder *b, MachineState *ms,
                            const uint32_t *intc)
{
    int soc = fdtb_node(b, 0, "soc");
    GPEXConfig pcie = virt_pcie_config(ms->ram_size);
    uint32_t plic, test;

    fdtb_prop_u32(b, soc, "#address-cells", 2);
    fdtb_prop_u32(b, soc, "#size-cells", 2);
    fdtb_prop_str(b, soc, "compatible", "simple-bus");
    fdtb_prop_empty(b, soc, "ranges");

    riscv_aclint_fdt_add(b, soc, virt_memmap[VIRT_CLINT].base, intc,
                         ms->nr_cpus);
    plic = sifive_plic_fdt_add(b, soc, virt_memmap[VIRT_PLIC].base, intc,
                               ms->nr_cpus, VIRT_PLIC_NUM_SOURCES);
    /* Every virtio-mmio slot, used or not.  Added in increasing address
       order, each new node going before the others, so the highest slot
       comes first in the tree and Linux names it first: it holds the
       first -device (plug_virtio). */
    for (int i = 0; i < VIRT_VIRTIO_COUNT; i++)
        virtio_mmio_fdt_add(b, soc, virt_memmap[VIRT_VIRTIO].base +
                                    (uint64_t)i * virt_memmap[VIRT_VIRTIO].size,
                            plic, VIRT_VIRTIO_IRQ + i);
    test = sifive_test_fdt_add(b, soc, virt_memmap[VIRT_TEST].base);
    serial_fdt_add(b, soc, virt_memmap[VIRT_UART0].base, plic, VIRT_UART0_IRQ,
                   VIRT_UART_CLOCK);
    goldfish_rtc_fdt_add(b, soc, virt_memmap[VIRT_RTC].base, plic,
                         VIRT_RTC_IRQ);
    gpex_host_fdt_add(b, soc, &pcie, plic, VIRT_PCIE_IRQ);
    return test;
}

static void fdt_add_chosen(FdtBuilder *b)
{
    g_autofree char *uart = g_strdup_printf("/soc/serial@%" PRIx64,
                                            virt_memmap[VIRT_UART0].base);
    uint32_t seed[8];
    int node;

    /* A new node goes before its older siblings and moves them: finish
       each node before adding the next. */
    node = fdtb_node(b, 0, "aliases");
    fdtb_prop_str(b, node, "serial0", uart);
    node = fdtb_node(b, 0, "chosen");
    fdtb_prop_str(b, node, "stdout-path", uart);
    /* Entropy for the guest's random pool from its first moment, as QEMU. */
    for (int i = 0; i < 8; i++)
        seed[i] = g_random_int();
    fdtb_prop_cells(b, node, "rng-seed", seed, 8);
}

void *virt_fdt_build(MachineState *ms, const VirtFdtBoot *boot, size_t *size,
                     char **err)
{
    FdtBuilder b;
    uint32_t *intc = g_new0(uint32_t, ms->nr_cpus);
    uint32_t test;
    int mem;

    fdtb_init(&b);
    fdtb_prop_u32(&b, 0, "#address-cells", 2);
    fdtb_prop_u32(&b, 0, "#size-cells", 2);
    fdtb_prop_str(&b, 0, "compatible", "riscv-virtio");
    fdtb_prop_str(&b, 0, "model", "riscv-virtio,qemu");
    pflash_cfi01_fdt_add(&b, 0, virt_memmap[VIRT_FLASH].base, 2,
                         &PFLASH_VIRT_GEOMETRY);
    fdt_add_chosen(&b);
    fdt_add_cpus(&b, ms, intc);
    mem = fdtb_node(&b, 0, "memory@80000000");
    fdtb_prop_str(&b, mem, "device_type", "memory");
    fdtb_prop_reg(&b, mem, virt_memmap[VIRT_DRAM].base, ms->ram_size);
    test = fdt_add_soc(&b, ms, intc);
    sifive_test_fdt_add_syscon(&b, 0, test);
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
