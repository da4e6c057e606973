/*
 * The RISC-V semihosting call's helper (system mode only: the generic
 * semihosting/ layer does the work).  The translator reaches it through
 * RISCVCPU.semihosting, which cpu-system.c sets, so that user mode links
 * none of it.
 */
#include <glib.h>

#include "mimic/exec.h"
#include "mimic/semihosting.h"
#include "helper.h"
#include "internals.h"

void helper_semihosting(RISCVCPU *cpu, uint64_t pc)
{
    CPURISCVState *env = &cpu->env;
    uint64_t r;

    if (!semihosting_call(&cpu->parent, env->gpr[10], env->gpr[11], 8, &r)) {
        /* Not done yet: let the loop (and the other harts) run, then
           come back to the ebreak. */
        env->pc = pc;
        cpu->parent.exception_index = EXCP_YIELD;
        cpu_loop_exit(&cpu->parent);
    }
    env->gpr[10] = r;
}

/* Reads and writes a0 and a1 in env: the globals are synced around it. */
const TCGHelperInfo helper_info_semihosting = {
    .func = (void *)helper_semihosting,
    .name = "semihosting",
    .flags = 0,
    .nb_args = 2,
    .arg_types = { TCG_TYPE_PTR, TCG_TYPE_I64 },
};

const RISCVSemihosting riscv_semihosting = {
    .enabled = semihosting_enabled,
    .helper = &helper_info_semihosting,
};
