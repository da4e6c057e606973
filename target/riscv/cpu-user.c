/*
 * The RISC-V hart of Linux user mode: a hart that stays in U-mode, with
 * the FPU on and the counters readable, as Linux sets up a process.  Its
 * TargetOps table has no softmmu and no trap entry: cpu_exec returns each
 * exception (ecall, a fault, an illegal insn) to the CPU loop of
 * linux-user/riscv64/, which turns it into a syscall or a signal.
 */
#include <time.h>

#include "mimic/rv-disas.h"
#include "internals.h"

/* The time CSR: 10 MHz, the timebase Linux reports on riscv64 machines
   (QEMU's virt), from the host's monotonic clock. */
static uint64_t user_time_ticks(void *opaque)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 10000000u + (uint64_t)ts.tv_nsec / 100u;
}

static void riscv_user_reset(CPUState *cs)
{
    CPURISCVState *env = &RISCV_CPU(cs)->env;

    riscv_reset(cs);
    riscv_cpu_set_time_source(RISCV_CPU(cs), user_time_ticks, NULL);
    env->priv = PRV_U;
    /* FS = Dirty: Linux gives every process an enabled FPU. */
    env->mstatus |= MSTATUS_FS | MSTATUS_SD;
    /* cycle, time and instret readable in U-mode (the kernel allows
       them through scounteren). */
    env->mcounteren = env->scounteren = 7;
    cpu_update_tb_flags(cs);
}

const TargetOps riscv_user_target_ops = {
    RISCV_TARGET_OPS_COMMON,
    .reset = riscv_user_reset,
    .gdb_read_register = riscv_gdb_user_read_register,
    .gdb_write_register = riscv_gdb_user_write_register,
    .gdb_get_xml = riscv_gdb_user_get_xml,
};
