/*
 * riscv64 Linux processes: the registers a process starts with, and the
 * CPU loop that turns what cpu_exec returns into syscalls (ecall: a7 the
 * number, a0-a5 the arguments, a0 the result) and signals (faults,
 * illegal instructions, breakpoints), as the riscv64 kernel does.
 */
#include <inttypes.h>
#include <signal.h>

#include "mimic/log.h"

#include "../syscall.h"
#include "../user-target.h"
#include "target/riscv/cpu.h"

static void riscv64_init_regs(CPUState *cs, const ImageInfo *image)
{
    CPURISCVState *env = &RISCV_CPU(cs)->env;

    env->pc = image->entry;
    env->gpr[2] = image->stack_pointer;
    /* a0: the kernel passes no rtld_fini (0). */
    env->gpr[10] = 0;
}

/* The pc is already past the ecall, in both. */
static void riscv64_clone_regs(CPUState *child, const CPUState *parent,
                               uint64_t newsp, bool set_tls, uint64_t tls)
{
    CPURISCVState *env = &RISCV_CPU(child)->env;

    if (child != parent)
        *env = RISCV_CPU((CPUState *)parent)->env;
    env->load_res = -1;
    if (newsp)
        env->gpr[2] = newsp;
    if (set_tls)
        env->gpr[4] = tls;
    env->gpr[10] = 0;
    cpu_update_tb_flags(child);
}

static int fault_signal(const CPUState *cs)
{
    return cs->user_fault.bus ? SIGBUS : SIGSEGV;
}

_Noreturn static void riscv64_cpu_loop(CPUState *cs)
{
    CPURISCVState *env = &RISCV_CPU(cs)->env;

    for (;;) {
        int trap = cpu_exec(cs);

        switch (trap) {
        case RV_EXCP_U_ECALL:
            env->pc += 4;
            env->gpr[10] = (uint64_t)do_syscall(
                (int)env->gpr[17], env->gpr[10], env->gpr[11], env->gpr[12],
                env->gpr[13], env->gpr[14], env->gpr[15]);
            break;
        case RV_EXCP_ILLEGAL_INST:
            user_force_sig(SIGILL);
        case RV_EXCP_BREAKPOINT:
            user_force_sig(SIGTRAP);
        case RV_EXCP_INST_ADDR_MIS:
        case RV_EXCP_LOAD_ADDR_MIS:
        case RV_EXCP_STORE_AMO_ADDR_MIS:
            user_force_sig(SIGBUS);
        case RV_EXCP_INST_ACCESS_FAULT:
        case RV_EXCP_LOAD_ACCESS_FAULT:
        case RV_EXCP_STORE_AMO_ACCESS_FAULT:
        case RV_EXCP_INST_PAGE_FAULT:
        case RV_EXCP_LOAD_PAGE_FAULT:
        case RV_EXCP_STORE_PAGE_FAULT:
            user_force_sig(SIGSEGV);
        case EXCP_USER_FAULT:
            user_force_sig(fault_signal(cs));
        case EXCP_INTERRUPT:
        case EXCP_YIELD:
        case EXCP_HALTED:
        case EXCP_HLT:
        case EXCP_DEBUG:
            break;
        default:
            error_report("unexpected exception %#x at pc 0x%" PRIx64, trap,
                         env->pc);
            user_force_sig(SIGILL);
        }
    }
}

/* The same models and properties as the system emulator's -cpu; the
   hart then starts again in U-mode with them. */
static bool riscv64_set_cpu_model(CPUState *cs, const char *model, char **err)
{
    if (!riscv_cpu_parse_props(RISCV_CPU(cs), model, err))
        return false;
    cs->ops->reset(cs);
    return true;
}

const UserTarget user_target = {
    .ops = &riscv_user_target_ops,
    .info = &riscv64_user_info,
    .init_regs = riscv64_init_regs,
    .cpu_loop = riscv64_cpu_loop,
    .set_cpu_model = riscv64_set_cpu_model,
    .print_cpu_list = riscv_cpu_print_list,
    .clone_regs = riscv64_clone_regs,
};
