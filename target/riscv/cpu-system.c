/*
 * The RISC-V hart of the system emulator: the TargetOps table with the
 * softmmu (tlb_fill, in mmu.c), trap entry and interrupts, the firmware
 * hooks of the scheduler, the monitor's hooks, and semihosting.
 */
#include "mimic/rv-disas.h"
#include "internals.h"

static void riscv_system_reset(CPUState *cs)
{
    riscv_reset(cs);
    RISCV_CPU(cs)->semihosting = &riscv_semihosting;
}

const TargetOps riscv_target_ops = {
    RISCV_TARGET_OPS_COMMON,
    .reset = riscv_system_reset,
    .gdb_read_register = riscv_gdb_read_register,
    .gdb_write_register = riscv_gdb_write_register,
    .gdb_get_xml = riscv_gdb_get_xml,
    .tlb_fill = riscv_tlb_fill,
    .transaction_failed = riscv_transaction_failed,
    .do_interrupt = riscv_do_interrupt,
    .exec_interrupt = riscv_exec_interrupt,
    .has_work = riscv_has_work,
    .sched_in = riscv_sched_in,
    .in_firmware = riscv_in_firmware,
    .firmware_state = riscv_firmware_state,
    .get_phys_page_debug = riscv_get_phys_page_debug,
    .dump_mappings = riscv_dump_mappings,
    .monitor_get_register = riscv_monitor_get_register,
};
