/*
 * riscv64 Linux processes: the registers a process starts with, and what
 * linux-user's CPU loop (user_cpu_loop) asks of the target: turning the
 * hart's exceptions into syscalls (ecall: a7 the number, a0-a5 the
 * arguments, a0 the result; a restarted syscall runs its ecall again) and
 * synchronous signals (illegal instructions, breakpoints, misaligned and
 * failed accesses) with the si_code Linux gives (linux-user/user-signal.h).
 */
#define _GNU_SOURCE   /* TRAP_BRKPT */
#include <inttypes.h>
#include <signal.h>

#include "mimic/gdbstub.h"
#include "mimic/log.h"

#include "../syscall.h"
#include "../user-target.h"
#include "target/riscv/cpu.h"
#include "target-signal.h"

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

static void riscv64_syscall(CPURISCVState *env)
{
    int64_t ret;

    env->pc += 4;
    ret = do_syscall((int)env->gpr[17], env->gpr[10], env->gpr[11],
                     env->gpr[12], env->gpr[13], env->gpr[14], env->gpr[15]);
    if (ret == -TARGET_ERESTARTSYS)
        env->pc -= 4;           /* the ecall again, a0 untouched */
    else if (ret != -TARGET_ESIGRETURN)
        env->gpr[10] = (uint64_t)ret;
}

/* The hart's own exceptions: ecall, illegal insns, breakpoints,
   misaligned and failed accesses. */
static bool riscv64_handle_trap(CPUState *cs, int trap)
{
    CPURISCVState *env = &RISCV_CPU(cs)->env;

    switch (trap) {
    case RV_EXCP_U_ECALL:
        riscv64_syscall(env);
        /* gdb stepped the ecall: the step ends after the syscall. */
        if (cs->singlestep)
            user_signal_debug(cs);
        return true;
    case RV_EXCP_ILLEGAL_INST:
        user_signal_sync(cs, SIGILL, ILL_ILLOPC, env->pc);
        return true;
    case RV_EXCP_BREAKPOINT:
        user_signal_sync(cs, SIGTRAP, TRAP_BRKPT, env->pc);
        return true;
    case RV_EXCP_INST_ADDR_MIS:
    case RV_EXCP_LOAD_ADDR_MIS:
    case RV_EXCP_STORE_AMO_ADDR_MIS:
        user_signal_sync(cs, SIGBUS, BUS_ADRALN, env->badaddr);
        return true;
    case RV_EXCP_INST_ACCESS_FAULT:
    case RV_EXCP_LOAD_ACCESS_FAULT:
    case RV_EXCP_STORE_AMO_ACCESS_FAULT:
    case RV_EXCP_INST_PAGE_FAULT:
    case RV_EXCP_LOAD_PAGE_FAULT:
    case RV_EXCP_STORE_PAGE_FAULT:
        user_signal_sync(cs, SIGSEGV, SEGV_MAPERR, env->badaddr);
        return true;
    default:
        return false;
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
    .handle_trap = riscv64_handle_trap,
    .set_cpu_model = riscv64_set_cpu_model,
    .print_cpu_list = riscv_cpu_print_list,
    .clone_regs = riscv64_clone_regs,
    .get_sp = riscv64_get_sp,
    .frame_size = RISCV64_SIGFRAME_SIZE,
    .setup_frame = riscv64_setup_frame,
    .restore_frame = riscv64_restore_frame,
    .sigreturn_code = riscv64_sigreturn_code,
    .sigreturn_code_size = sizeof(riscv64_sigreturn_code),
};
