/*
 * The RISC-V `virt` board: the memory map of QEMU's virt machine (reset
 * ROM at 0x1000, SiFive test finisher at 0x100000, ns16550a UART at
 * 0x10000000, RAM at 0x80000000), one RV64 hart, the reset vector and the
 * boot images.  The CLINT (0x2000000), PLIC (0xc000000), virtio-mmio
 * (0x10001000) and the device tree come in later issues; their addresses
 * are already in the map below.  The hart starts in the reset ROM, which
 * loads a0 = mhartid, a1 = the device tree address (0 until there is one)
 * and jumps to the start address: the firmware (-bios FILE), or with
 * -bios none the -kernel entry (ELF) or the start of RAM (raw image).
 */
#include <inttypes.h>
#include <string.h>

#include <glib.h>

#include "mimic/board.h"
#include "mimic/loader.h"
#include "mimic/log.h"
#include "mimic/memory.h"
#include "mimic/serial.h"
#include "mimic/sifive_test.h"
#include "mimic/timer.h"
#include "target/riscv/cpu.h"

enum {
    VIRT_MROM,
    VIRT_TEST,
    VIRT_CLINT,
    VIRT_PLIC,
    VIRT_UART0,
    VIRT_VIRTIO,
    VIRT_DRAM,
};

static const struct {
    uint64_t base, size;
} virt_memmap[] = {
    [VIRT_MROM] = { 0x1000, 0xf000 },
    [VIRT_TEST] = { 0x100000, 0x1000 },
    [VIRT_CLINT] = { 0x2000000, 0x10000 },     /* later */
    [VIRT_PLIC] = { 0xc000000, 0x600000 },     /* later */
    [VIRT_UART0] = { 0x10000000, 0x100 },
    [VIRT_VIRTIO] = { 0x10001000, 0x1000 },    /* later, 8 of them */
    [VIRT_DRAM] = { 0x80000000, 0 },
};

/* RV64 kernels go at the first 2 MiB boundary after the firmware. */
#define KERNEL_ALIGN (2ull << 20)

typedef struct VirtState {
    MemoryRegion rom;
    MemoryRegion ram;
    SerialState *uart0;
} VirtState;

/* The virtual clock in 10 MHz ticks: the `time` CSR and (later) mtime. */
static uint64_t virt_time_ticks(void)
{
    return (uint64_t)clock_ns(TIMER_CLOCK_VIRTUAL) / 100;
}

/*
 * The reset vector.  Offsets 24 and 32 hold the start address and the
 * device tree address that the loads below pick up.
 */
static bool virt_write_reset_rom(uint64_t start, uint64_t fdt, char **err)
{
    uint32_t code[6] = {
        0x00000297,   /* auipc t0, 0        t0 = this ROM */
        0xf1402573,   /* csrr  a0, mhartid                */
        0x0202b583,   /* ld    a1, 32(t0)   device tree   */
        0x0182b283,   /* ld    t0, 24(t0)   start address */
        0x00028067,   /* jr    t0                         */
        0x00000013,   /* nop (pads the data to 8 bytes)   */
    };
    uint64_t data[2] = { start, fdt };
    uint64_t base = virt_memmap[VIRT_MROM].base;

    if (address_space_write_rom(&address_space_memory, base, code,
                                sizeof(code)) != MEMTX_OK ||
        address_space_write_rom(&address_space_memory, base + sizeof(code),
                                data, sizeof(data)) != MEMTX_OK) {
        *err = g_strdup("cannot write the reset ROM");
        return false;
    }
    return true;
}

/* Loads an ELF (by its addresses) or a raw image at addr. */
static bool virt_load_image(const char *path, uint64_t addr, uint64_t ram_end,
                            uint64_t *start, uint64_t *end, char **err)
{
    uint64_t size;

    if (file_is_elf(path))
        return load_elf(path, &address_space_memory, EM_RISCV, start, NULL,
                        end, err);
    if (addr >= ram_end) {
        *err = g_strdup_printf("%s: no room for the image in RAM", path);
        return false;
    }
    if (!load_image_raw(path, &address_space_memory, addr, ram_end - addr,
                        &size, err))
        return false;
    *start = addr;
    *end = addr + size;
    return true;
}

/* Loads -bios and -kernel; sets the address the reset ROM jumps to. */
static bool virt_load_boot(MachineState *ms, uint64_t *start, char **err)
{
    uint64_t dram = virt_memmap[VIRT_DRAM].base;
    uint64_t ram_end = dram + ms->ram_size;
    uint64_t kernel_addr = dram, fw_end = dram, kstart, kend;

    *start = dram;
    if (!ms->bios || !strcmp(ms->bios, "default")) {
        *err = g_strdup("no default firmware yet; use -bios none (with -kernel)");
        return false;
    }
    if (strcmp(ms->bios, "none") != 0) {
        if (!virt_load_image(ms->bios, dram, ram_end, start, &fw_end, err))
            return false;
        kernel_addr = (fw_end + KERNEL_ALIGN - 1) & ~(KERNEL_ALIGN - 1);
    }
    if (!ms->kernel)
        return true;
    if (!virt_load_image(ms->kernel, kernel_addr, ram_end, &kstart, &kend, err))
        return false;
    if (!strcmp(ms->bios, "none"))
        *start = kstart;
    return true;
}

static bool virt_create_cpus(MachineState *ms, char **err)
{
    RISCVCPU *cpu;

    if (ms->smp_cpus > 1) {
        *err = g_strdup_printf("virt: only 1 CPU is supported for now (-smp %d)",
                               ms->smp_cpus);
        return false;
    }
    ms->cpus[0] = cpu_create(&riscv_target_ops, 0, &address_space_memory);
    ms->nr_cpus = 1;
    cpu = RISCV_CPU(ms->cpus[0]);
    if (!riscv_cpu_parse_props(cpu, ms->cpu_model ? ms->cpu_model : "rv64", err))
        return false;
    riscv_cpu_set_reset_pc(cpu, virt_memmap[VIRT_MROM].base);
    return true;
}

static bool virt_init(MachineState *ms, char **err)
{
    VirtState *s = g_new0(VirtState, 1);
    MemoryRegion *sysmem = get_system_memory();
    uint64_t start;

    ms->board = s;
    memory_region_init_rom(&s->rom, "riscv_virt.mrom", virt_memmap[VIRT_MROM].size);
    memory_region_add_subregion(sysmem, virt_memmap[VIRT_MROM].base, &s->rom);
    sifive_test_init(sysmem, virt_memmap[VIRT_TEST].base);
    /* The UART's interrupt line is wired to the PLIC (source 10) later. */
    s->uart0 = serial_mm_init(sysmem, virt_memmap[VIRT_UART0].base, NULL,
                              ms->serial[0]);
    memory_region_init_ram(&s->ram, "riscv_virt.ram", ms->ram_size);
    memory_region_add_subregion(sysmem, virt_memmap[VIRT_DRAM].base, &s->ram);
    riscv_time_source = virt_time_ticks;

    if (!virt_create_cpus(ms, err) || !virt_load_boot(ms, &start, err))
        return false;
    return virt_write_reset_rom(start, 0, err);
}

const MachineClass riscv_virt_machine = {
    .name = "virt",
    .desc = "RISC-V VirtIO board",
    .is_default = true,
    .default_ram_size = 128ull << 20,
    .max_cpus = 1,
    .target_ops = &riscv_target_ops,
    .init = virt_init,
};
