/*
 * The CPU loop of every guest thread in user mode: run the guest with
 * cpu_exec, turn what it returns into syscalls and signals (the target's
 * own exceptions through UserTarget.handle_trap, the common ones here),
 * deliver pending signals, and again.
 */
#define _GNU_SOURCE   /* BUS_ADRERR */
#include <inttypes.h>
#include <signal.h>

#include "mimic/gdbstub.h"
#include "mimic/log.h"
#include "user-signal.h"
#include "user-target.h"

/* A guest access that faulted (EXCP_USER_FAULT): SIGSEGV, or SIGBUS
   past the end of a mapped file, with si_code and si_addr as Linux. */
static void fault_signal(CPUState *cs)
{
    if (cs->user_fault.bus)
        user_signal_sync(cs, SIGBUS, BUS_ADRERR, cs->user_fault.addr);
    else
        user_signal_sync(cs, SIGSEGV,
                         cs->user_fault.maperr ? SEGV_MAPERR : SEGV_ACCERR,
                         cs->user_fault.addr);
}

_Noreturn void user_cpu_loop(CPUState *cs)
{
    user_signal_thread_start(cs);
    gdbserver_user_thread_start(cs);
    for (;;) {
        int trap;

        gdbserver_user_park(cs);
        trap = cpu_exec(cs);
        switch (trap) {
        case EXCP_USER_FAULT:
            if (!user_target.handle_fault || !user_target.handle_fault(cs))
                fault_signal(cs);
            break;
        case EXCP_INTERRUPT:
        case EXCP_YIELD:
        case EXCP_HALTED:
        case EXCP_HLT:
            break;
        case EXCP_DEBUG:
            user_signal_debug(cs);
            break;
        default:
            if (!user_target.handle_trap(cs, trap)) {
                uint64_t pc, flags;

                cs->ops->get_tb_key(cs, &pc, &flags);
                error_report("unexpected exception %#x at pc 0x%" PRIx64,
                             trap, pc);
                user_force_sig(SIGILL);
            }
        }
        user_signal_deliver(cs);
    }
}
