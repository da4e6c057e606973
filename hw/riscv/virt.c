/*
 * The RISC-V `virt` board, with the memory map, interrupt wiring and boot
 * flow of QEMU's virt machine: reset ROM at 0x1000, SiFive test finisher
 * at 0x100000, Goldfish RTC at 0x101000 (PLIC source 11), CLINT at
 * 0x2000000, PLIC at 0xc000000, ns16550a UART at 0x10000000 (source 10),
 * eight virtio-mmio slots from 0x10001000, two CFI flash banks at
 * 0x20000000 and 0x22000000, the generic PCIe host (ECAM at
 * 0x30000000, I/O at 0x3000000, MMIO at 0x40000000 and above RAM, INTx
 * on sources 32..35), RAM at 0x80000000; 1 to 64 harts.  Boot: the firmware (OpenSBI
 * fw_dynamic by default, or -bios FILE, or none) at the start of RAM, the
 * -kernel at the next 2 MiB boundary (at the start of RAM without
 * firmware), the -initrd and the device tree (built here, or -dtb) higher
 * up; every hart starts in the reset ROM, which jumps to the firmware (or
 * the kernel) with a0 = hart id, a1 = device tree, a2 = fw_dynamic info.
 * Each device joins the machine's reset list when it is created here, so
 * a system reset (hw/core/machine.c) puts them back to their power-on
 * state in this order after reloading the boot images.  hw/riscv/boot.c
 * has the boot helpers, virt-fdt.c the device tree.
 */
#include <inttypes.h>
#include <string.h>

#include <glib.h>
#include <libfdt.h>

#include "mimic/semihosting.h"
#include "mimic/goldfish_rtc.h"
#include "mimic/loader.h"
#include "mimic/log.h"
#include "mimic/memory.h"
#include "mimic/pci.h"
#include "mimic/pflash.h"
#include "mimic/riscv_aclint.h"
#include "mimic/riscv_boot.h"
#include "mimic/serial.h"
#include "mimic/sifive_plic.h"
#include "mimic/sifive_test.h"
#include "mimic/virtio.h"
#include "target/riscv/cpu.h"
#include "virt.h"

const VirtMemMapEntry virt_memmap[] = {
    [VIRT_MROM] = { 0x1000, 0xf000 },
    [VIRT_TEST] = { 0x100000, 0x1000 },
    [VIRT_RTC] = { 0x101000, 0x1000 },
    [VIRT_CLINT] = { 0x2000000, 0x10000 },
    [VIRT_PLIC] = { 0xc000000, SIFIVE_PLIC_SIZE },
    [VIRT_UART0] = { 0x10000000, 0x100 },
    [VIRT_VIRTIO] = { 0x10001000, 0x1000 },    /* 8 slots, one page each */
    [VIRT_PCIE_PIO] = { 0x3000000, 0x10000 },
    [VIRT_PCIE_ECAM] = { 0x30000000, 0x10000000 },
    [VIRT_PCIE_MMIO] = { 0x40000000, 0x40000000 },
    [VIRT_FLASH] = { 0x20000000, 0x4000000 },  /* two CFI banks of 32 MiB */
    [VIRT_DRAM] = { 0x80000000, 0 },
};

#define VIRT_MAX_CPUS MIMIC_MAX_CPUS
#define VIRT_PCIE_MMIO_HIGH_SIZE 0x400000000ull

VirtMemMapEntry virt_pcie_mmio_high(uint64_t ram_size)
{
    uint64_t size = VIRT_PCIE_MMIO_HIGH_SIZE;
    uint64_t base = virt_memmap[VIRT_DRAM].base + ram_size;

    return (VirtMemMapEntry){ (base + size - 1) & ~(size - 1), size };
}

typedef struct VirtState {
    MemoryRegion rom;
    MemoryRegion ram;
    RISCVCPU *harts[VIRT_MAX_CPUS];
    RISCVAclintState *clint;
    SiFivePLICState *plic;
    GoldfishRTCState *rtc;
    SerialState *uart0;
    VirtIOMMIO *virtio[VIRT_VIRTIO_COUNT];
    GPEXHost *pcie;
    PFlashCFI01 *flash[2];
} VirtState;

/* Where the images went, for the device tree and the reset vector. */
typedef struct VirtBoot {
    uint64_t start;                /* where the reset ROM jumps */
    uint64_t fw_end;               /* one past the firmware (or RAM base) */
    uint64_t kernel_entry, kernel_end;
    bool has_kernel;
} VirtBoot;

/* The `time` CSR of each hart reads the CLINT's mtime. */
static uint64_t virt_time_ticks(void *clint)
{
    return riscv_aclint_mtime(clint);
}

/* Loads -bios (ELF at its addresses, raw at the start of RAM). */
static bool virt_load_firmware(MachineState *ms, VirtBoot *vb, char **err)
{
    uint64_t dram = virt_memmap[VIRT_DRAM].base, low = dram;
    g_autofree char *path = NULL;

    vb->fw_end = dram;
    if (!riscv_firmware_path(ms->bios, &path, err))
        return false;
    if (!path)
        return true;
    if (file_is_elf(path)) {
        if (!riscv_name_option(load_elf_rom(ROM_SPACE_BOARD, path,
                                            &address_space_memory, EM_RISCV,
                                            &vb->start, &low, &vb->fw_end,
                                            err),
                               "-bios", path, err))
            return false;
    } else {
        uint64_t size;

        if (!riscv_name_option(load_image_raw(path, &address_space_memory, dram,
                                              ms->ram_size, &size, err),
                               "-bios", path, err))
            return false;
        vb->start = dram;
        vb->fw_end = dram + size;
        if (!rom_add(ROM_SPACE_BOARD, path, &address_space_memory, dram, size,
                     err))
            return false;
    }
    return true;
}

static bool virt_load_kernel(MachineState *ms, VirtBoot *vb, bool firmware,
                             char **err)
{
    uint64_t dram = virt_memmap[VIRT_DRAM].base;
    uint64_t addr = firmware ? (vb->fw_end + RISCV_KERNEL_ALIGN - 1) &
                               ~(RISCV_KERNEL_ALIGN - 1) : dram;
    uint64_t low;

    if (!ms->kernel)
        return true;
    if (!riscv_load_kernel(ms->kernel, addr, dram + ms->ram_size,
                           &vb->kernel_entry, &low, &vb->kernel_end, err))
        return false;
    vb->has_kernel = true;
    return true;
}

/* Builds (or loads) the device tree, places it and the initrd in RAM. */
static bool virt_load_fdt_initrd(MachineState *ms, VirtBoot *vb,
                                 uint64_t *fdt_addr, char **err)
{
    uint64_t dram = virt_memmap[VIRT_DRAM].base;
    uint64_t used = MAX(vb->fw_end, vb->has_kernel ? vb->kernel_end : dram);
    /* With S-mode firmware in flash bank 1, QEMU hands the initrd to it
       through fw_cfg instead of loading it. */
    const char *initrd = ms->pflash[1] ? NULL : ms->initrd;
    VirtFdtBoot fb = { .bootargs = ms->append, .has_initrd = initrd != NULL };
    size_t size;
    void *fdt;

    fdt = ms->dtb ? virt_fdt_load(ms->dtb, &size, err)
                  : virt_fdt_build(ms, &fb, &size, err);
    if (!fdt || (ms->dtb && !virt_fdt_set_chosen(&fdt, &size, &fb, false, err)))
        return false;
    fdt_pack(fdt);
    size = fdt_totalsize(fdt);
    *fdt_addr = riscv_fdt_addr(dram, ms->ram_size, size);
    if (size > ms->ram_size || *fdt_addr < used) {
        *err = g_strdup_printf("-m %" PRIu64 "M is too small: the firmware and "
                               "kernel end at 0x%" PRIx64 ", with no room above "
                               "them for the device tree (%zu bytes, 2 MiB "
                               "aligned); give more memory with -m",
                               ms->ram_size >> 20, used, size);
        g_free(fdt);
        return false;
    }
    if (initrd) {
        if (!riscv_load_initrd(initrd, vb->has_kernel ? vb->kernel_entry : dram,
                               used, ms->ram_size, *fdt_addr, &fb.initrd_start,
                               &fb.initrd_end, err) ||
            !virt_fdt_set_chosen(&fdt, &size, &fb, true, err)) {
            g_free(fdt);
            return false;
        }
    }
    address_space_write_rom(&address_space_memory, *fdt_addr, fdt,
                            fdt_totalsize(fdt));
    if (!rom_add(ROM_SPACE_BOARD, "fdt", &address_space_memory, *fdt_addr,
                 fdt_totalsize(fdt), err)) {
        g_free(fdt);
        return false;
    }
    ms->fdt = fdt;
    ms->fdt_size = fdt_totalsize(fdt);
    return true;
}

static bool virt_load_boot(MachineState *ms, char **err)
{
    VirtBoot vb = { .start = virt_memmap[VIRT_DRAM].base };
    bool firmware = !ms->bios || strcmp(ms->bios, "none") != 0;
    uint64_t flash = virt_memmap[VIRT_FLASH].base;
    uint64_t fdt_addr, next;

    /* As QEMU 7.2 (for EDK2): with an image in flash bank 1, the firmware
       goes on to the S-mode firmware there, which finds the kernel and
       initrd through fw_cfg: they are not loaded.  Mimic has no fw_cfg. */
    if (ms->pflash[1] && (ms->kernel || ms->initrd))
        error_report("warning: with -drive if=pflash,unit=1 the kernel and "
                     "initrd are for the flash's firmware to load (QEMU "
                     "gives them through fw_cfg, which Mimic does not "
                     "have): they are not loaded");
    if (!virt_load_firmware(ms, &vb, err) ||
        (!ms->pflash[1] && !virt_load_kernel(ms, &vb, firmware, err)) ||
        !virt_load_fdt_initrd(ms, &vb, &fdt_addr, err))
        return false;
    if (!firmware && vb.has_kernel)
        vb.start = vb.kernel_entry;
    next = ms->pflash[1] ? flash + virt_memmap[VIRT_FLASH].size / 2
           : vb.has_kernel ? vb.kernel_entry : 0;
    /* With an image in flash bank 0 the harts start there (a0, a1, a2 as
       for the firmware, which is loaded all the same), as on QEMU 7.2. */
    if (ms->pflash[0])
        vb.start = flash;
    return riscv_write_reset_vec(&address_space_memory,
                                 virt_memmap[VIRT_MROM].base, vb.start, fdt_addr,
                                 next, err);
}

static bool virt_create_cpus(MachineState *ms, VirtState *s, char **err)
{
    int n = ms->smp_cpus > 0 ? ms->smp_cpus : 1;

    if (n > VIRT_MAX_CPUS) {
        *err = g_strdup_printf("virt: at most %d CPUs are supported (-smp %d)",
                               VIRT_MAX_CPUS, n);
        return false;
    }
    for (int i = 0; i < n; i++) {
        ms->cpus[i] = cpu_create(&riscv_target_ops, i, &address_space_memory);
        s->harts[i] = RISCV_CPU(ms->cpus[i]);
        if (!riscv_cpu_parse_props(
                s->harts[i], ms->cpu_model ? ms->cpu_model : "rv64", err)) {
            char *e = g_strdup_printf("-cpu %s: %s", ms->cpu_model, *err);

            g_free(*err);
            *err = e;
            return false;
        }
        riscv_cpu_set_reset_pc(s->harts[i], virt_memmap[VIRT_MROM].base);
    }
    ms->nr_cpus = n;
    return true;
}

GPEXConfig virt_pcie_config(uint64_t ram_size)
{
    VirtMemMapEntry high = virt_pcie_mmio_high(ram_size);

    return (GPEXConfig){
        .ecam_base = virt_memmap[VIRT_PCIE_ECAM].base,
        .ecam_size = virt_memmap[VIRT_PCIE_ECAM].size,
        .mmio_base = virt_memmap[VIRT_PCIE_MMIO].base,
        .mmio_size = virt_memmap[VIRT_PCIE_MMIO].size,
        .pio_base = virt_memmap[VIRT_PCIE_PIO].base,
        .pio_size = virt_memmap[VIRT_PCIE_PIO].size,
        .mmio64_base = high.base,
        .mmio64_size = high.size,
    };
}

/* The PCIe host: INTA..INTD on PLIC sources 32..35. */
static void virt_create_pcie(MachineState *ms, VirtState *s)
{
    GPEXConfig cfg = virt_pcie_config(ms->ram_size);

    for (int i = 0; i < PCI_NUM_PINS; i++)
        cfg.irqs[i] = sifive_plic_irq(s->plic, VIRT_PCIE_IRQ + i);
    s->pcie = gpex_host_create(ms, get_system_memory(), &cfg);
    pci_set_default_bus(gpex_host_bus(s->pcie));
}

static bool virt_init(MachineState *ms, char **err)
{
    VirtState *s = g_new0(VirtState, 1);
    MemoryRegion *sysmem = get_system_memory();

    ms->board = s;
    if (!virt_create_cpus(ms, s, err))
        return false;
    memory_region_init_rom(&s->rom, "riscv_virt.mrom", virt_memmap[VIRT_MROM].size);
    memory_region_add_subregion(sysmem, virt_memmap[VIRT_MROM].base, &s->rom);
    sifive_test_init(sysmem, virt_memmap[VIRT_TEST].base);
    s->clint = riscv_aclint_create(ms, sysmem, virt_memmap[VIRT_CLINT].base,
                                   s->harts, ms->nr_cpus);
    for (int i = 0; i < ms->nr_cpus; i++)
        riscv_cpu_set_time_source(s->harts[i], virt_time_ticks, s->clint);
    s->plic = sifive_plic_create(ms, sysmem, virt_memmap[VIRT_PLIC].base,
                                 s->harts, ms->nr_cpus, VIRT_PLIC_NUM_SOURCES);
    s->rtc = goldfish_rtc_create(ms, sysmem, virt_memmap[VIRT_RTC].base,
                                 sifive_plic_irq(s->plic, VIRT_RTC_IRQ));
    if (ms->rtc_set)
        goldfish_rtc_set_clock(s->rtc, ms->rtc_start_ns, ms->rtc_wall,
                               (TimerClock)ms->rtc_clock);
    s->uart0 = serial_mm_init(ms, sysmem, virt_memmap[VIRT_UART0].base,
                              sifive_plic_irq(s->plic, VIRT_UART0_IRQ),
                              ms->serial[0]);
    for (int i = 0; i < VIRT_VIRTIO_COUNT; i++)
        s->virtio[i] = virtio_mmio_create(
            ms, sysmem, virt_memmap[VIRT_VIRTIO].base + i * virt_memmap[VIRT_VIRTIO].size,
            sifive_plic_irq(s->plic, VIRT_VIRTIO_IRQ + i));
    virt_create_pcie(ms, s);
    for (int i = 0; i < 2; i++) {
        uint64_t bank = virt_memmap[VIRT_FLASH].size / 2;

        s->flash[i] = pflash_cfi01_create(ms, sysmem,
                                          virt_memmap[VIRT_FLASH].base + i * bank,
                                          i ? "virt.flash1" : "virt.flash0",
                                          &PFLASH_VIRT_GEOMETRY, ms->pflash[i],
                                          err);
        if (!s->flash[i])
            return false;
    }
    memory_region_init_ram(&s->ram, "riscv_virt.ram", ms->ram_size);
    memory_region_add_subregion(sysmem, virt_memmap[VIRT_DRAM].base, &s->ram);
    semihosting_set_ram(virt_memmap[VIRT_DRAM].base, ms->ram_size);
    return virt_load_boot(ms, err);
}

/* The first device goes in the highest slot, which the device tree lists
   first (as on QEMU's virt), so it becomes /dev/vda or eth0. */
static bool virt_plug_virtio(MachineState *ms, VirtIODevice *vdev, char **err)
{
    VirtState *s = ms->board;

    for (int i = VIRT_VIRTIO_COUNT - 1; i >= 0; i--) {
        if (virtio_mmio_plug(s->virtio[i], vdev))
            return true;
    }
    *err = g_strdup_printf("no free virtio-mmio slot for %s (the virt board "
                           "has %d)", vdev->ops->name, VIRT_VIRTIO_COUNT);
    return false;
}

static bool virt_set_start_pc(MachineState *ms, int cpu, uint64_t pc,
                              char **err)
{
    VirtState *s = ms->board;

    if (cpu < 0 || cpu >= ms->nr_cpus) {
        *err = g_strdup_printf("Specified boot CPU#%d is nonexistent", cpu);
        return false;
    }
    riscv_cpu_set_reset_pc(s->harts[cpu], pc);
    return true;
}

const MachineClass riscv_virt_machine = {
    .name = "virt",
    .desc = "RISC-V VirtIO board",
    .is_default = true,
    .default_ram_size = 128ull << 20,
    .max_cpus = VIRT_MAX_CPUS,
    .target_ops = &riscv_target_ops,
    .init = virt_init,
    .plug_virtio = virt_plug_virtio,
    .set_start_pc = virt_set_start_pc,
    .print_cpu_list = riscv_cpu_print_list,
};
