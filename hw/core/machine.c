/*
 * The table of machines that -M chooses from, and the `-M help` list.
 * A new board adds its MachineClass to board.h and to this table.
 */
#include <string.h>

#include <glib.h>

#include "mimic/board.h"

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
