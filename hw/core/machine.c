/*
 * The table of machines that -M chooses from, the `-M help` list, and the
 * system reset that every board shares (CPUs back to their reset state,
 * then the board's own reset hook).  A new board adds its MachineClass to
 * board.h and to this table.
 */
#include <string.h>

#include <glib.h>

#include "mimic/board.h"
#include "mimic/runstate.h"
#include "mimic/exec.h"
#include "mimic/memory.h"

static const MachineClass *const machines[] = {
    &riscv_virt_machine,
};

const MachineClass *machine_find(const char *name)
{
    for (size_t i = 0; i < G_N_ELEMENTS(machines); i++) {
        if (!strcmp(machines[i]->name, name))
            return machines[i];
    }
    return NULL;
}

const MachineClass *machine_default(void)
{
    for (size_t i = 0; i < G_N_ELEMENTS(machines); i++) {
        if (machines[i]->is_default)
            return machines[i];
    }
    return machines[0];
}

void machine_print_list(FILE *f)
{
    fprintf(f, "Supported machines are:\n");
    for (size_t i = 0; i < G_N_ELEMENTS(machines); i++)
        fprintf(f, "%-20s %s%s\n", machines[i]->name, machines[i]->desc,
                machines[i]->is_default ? " (default)" : "");
}

void machine_reset(MachineState *ms)
{
    /* A vCPU may be waiting for the BQL to finish an MMIO access before
       it can park. */
    bql_unlock();
    for (int i = 0; i < ms->nr_cpus; i++)
        cpu_pause(ms->cpus[i]);
    bql_lock();
    for (int i = 0; i < ms->nr_cpus; i++) {
        CPUState *cpu = ms->cpus[i];

        tlb_flush(cpu);
        cpu_reset_interrupt(cpu, ~0u);
        cpu_reset(cpu);
        cpu_update_tb_flags(cpu);
    }
    /* Devices after CPUs: they raise the lines that are still high. */
    if (ms->mc->reset)
        ms->mc->reset(ms);
    tb_flush(NULL);
    /* A machine stopped by the monitor or gdb stays stopped. */
    if (runstate_is_running()) {
        for (int i = 0; i < ms->nr_cpus; i++)
            cpu_resume(ms->cpus[i]);
    }
}
