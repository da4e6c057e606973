/*
 * Finding a machine for -M among the target's boards, the `-M help` list,
 * the machine's reset list, and the system reset that every board shares:
 * CPUs back to their reset state, the boot images written back, then
 * every device that registered a reset, in the order the board created
 * them.  The boards are the target's: hw/<arch>/boards.c lists them in
 * target_machines.
 */
#include <string.h>

#include <glib.h>

#include "mimic/board.h"
#include "mimic/exec.h"
#include "mimic/loader.h"
#include "mimic/memory.h"
#include "mimic/runstate.h"

struct MachineResetEntry {
    MachineResetFn *fn;
    void *opaque;
    MachineResetEntry *next;
};

const MachineClass *machine_find(const char *name)
{
    for (const MachineClass *const *m = target_machines; *m; m++) {
        if (!strcmp((*m)->name, name))
            return *m;
    }
    return NULL;
}

const MachineClass *machine_default(void)
{
    for (const MachineClass *const *m = target_machines; *m; m++) {
        if ((*m)->is_default)
            return *m;
    }
    return target_machines[0];
}

void machine_print_list(FILE *f)
{
    fprintf(f, "Supported machines are:\n");
    for (const MachineClass *const *m = target_machines; *m; m++)
        fprintf(f, "%-20s %s%s\n", (*m)->name, (*m)->desc,
                (*m)->is_default ? " (default)" : "");
}

void machine_register_reset(MachineState *ms, MachineResetFn *fn,
                            void *opaque)
{
    MachineResetEntry *e = g_new0(MachineResetEntry, 1);
    MachineResetEntry **tail = &ms->resets;

    e->fn = fn;
    e->opaque = opaque;
    /* A board has a few dozen devices, registered once: a walk to the
       end keeps the list a plain pointer that a zeroed MachineState
       already has right. */
    while (*tail)
        tail = &(*tail)->next;
    *tail = e;
}

void machine_reset_devices(MachineState *ms)
{
    for (MachineResetEntry *e = ms->resets; e; e = e->next)
        e->fn(e->opaque);
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
    /* The guest may have written over its images.  Then the devices, after
       the CPUs: they raise the lines that are still high. */
    rom_reset_all();
    machine_reset_devices(ms);
    tb_flush(NULL);
    /* A machine stopped by the monitor or gdb stays stopped. */
    if (runstate_is_running()) {
        for (int i = 0; i < ms->nr_cpus; i++)
            cpu_resume(ms->cpus[i]);
    }
}
