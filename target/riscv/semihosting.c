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

const RISCVSemihosting riscv_semihosting = {
    .enabled = semihosting_enabled,
    .gen_helper = gen_helper_semihosting,
};
