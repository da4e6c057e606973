/*
 * Machines (boards): the table that -M chooses from (hw/core/machine.c)
 * and the state that system/main.c fills from the command line before the
 * board's init builds the memory map, the devices and the CPUs and loads
 * the guest images.
 *
 *   const MachineClass *mc = machine_find("virt");
 *   MachineState ms = { .mc = mc, .ram_size = mc->default_ram_size, ... };
 *   if (!mc->init(&ms, &err)) { error_report("%s", err); exit(1); }
 */
#ifndef MIMIC_BOARD_H
#define MIMIC_BOARD_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "mimic/chardev.h"
#include "mimic/cpu.h"

#define MACHINE_MAX_SERIAL 4

typedef struct MachineClass MachineClass;
typedef struct VirtIODevice VirtIODevice;
typedef struct BlockBackend BlockBackend;
typedef struct MachineResetEntry MachineResetEntry;

/* Puts a device back to its power-on state (BQL held, vCPUs stopped). */
typedef void MachineResetFn(void *opaque);

typedef struct MachineState {
    const MachineClass *mc;
    uint64_t ram_size;
    int smp_cpus;
    const char *cpu_model;      /* -cpu string, or NULL for the default */
    const char *bios;           /* NULL or "default", "none", or a path */
    const char *kernel;         /* -kernel path or NULL */
    const char *initrd;         /* -initrd path or NULL */
    const char *append;         /* -append command line or NULL */
    const char *dtb;            /* -dtb path or NULL: use this device tree */
    /* -rtc: the RTC's value at start (ns since 1970), and whether it then
       follows the host's wall clock or rtc_clock (a TimerClock). */
    bool rtc_set, rtc_wall;
    int64_t rtc_start_ns;
    int rtc_clock;
    Chardev *serial[MACHINE_MAX_SERIAL];   /* NULL: not connected */
    CPUState *cpus[MIMIC_MAX_CPUS];
    int nr_cpus;
    void *board;                /* the board's own state */
    /* -drive if=pflash,unit=0|1: the images of the flash banks, or NULL. */
    BlockBackend *pflash[2];
    /* The flattened device tree the board built (or loaded from -dtb),
       as written to guest memory; for -M virt,dumpdtb=FILE. */
    void *fdt;
    size_t fdt_size;
    /* The devices' resets in registration order (machine_register_reset);
       a zeroed MachineState has none. */
    MachineResetEntry *resets;
} MachineState;

struct MachineClass {
    const char *name;
    const char *desc;
    bool is_default;
    uint64_t default_ram_size;
    int max_cpus;
    const TargetOps *target_ops;   /* the CPU type, for tcg_exec_init */
    /* Builds the machine; false with a message in *err (g_free it). */
    bool (*init)(MachineState *ms, char **err);
    /* Puts a virtio device in the next free transport slot; false with
       *err if there is none (or the board has no virtio slots: NULL). */
    bool (*plug_virtio)(MachineState *ms, VirtIODevice *vdev,
                        char **err);
    /* Makes CPU cpu start at pc at every reset instead of the board's
       reset vector (-device loader,cpu-num=N); false with *err if there
       is no such CPU. */
    bool (*set_start_pc)(MachineState *ms, int cpu, uint64_t pc, char **err);
    /* Prints the CPU models and their options, for -cpu help. */
    void (*print_cpu_list)(FILE *f);
};

/* The boards of this emulator's target (hw/<arch>/boards.c), NULL
   last, and the target's name as the program says it ("riscv64" makes
   mimic-system-riscv64). */
extern const MachineClass *const target_machines[];
extern const char target_name[];

const MachineClass *machine_find(const char *name);
const MachineClass *machine_default(void);
/* Prints the list for -M help. */
void machine_print_list(FILE *f);

/*
 * Adds a device's reset to the machine's list; a device model calls it
 * from its create function, once, so that the order of the list is the
 * order in which the board created the devices.
 */
void machine_register_reset(MachineState *ms, MachineResetFn *fn,
                            void *opaque);
/* Calls every registered reset, in registration order. */
void machine_reset_devices(MachineState *ms);

/*
 * System reset (main loop, BQL held): stops the vCPUs, resets them to the
 * reset vector, writes the boot images back (rom_reset_all), resets the
 * devices (machine_reset_devices), drops every translation, and starts
 * the vCPUs again.
 */
void machine_reset(MachineState *ms);

#endif
