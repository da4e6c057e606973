/*
 * The RISC-V system emulator's boards, for -M (hw/core/machine.c): the
 * list that makes mimic-system-riscv64 a riscv64 program.
 */
#include <stddef.h>

#include "mimic/board.h"
#include "virt.h"

const char target_name[] = "riscv64";

const MachineClass *const target_machines[] = {
    &riscv_virt_machine,
    NULL,
};
