/*
 * x86-64 Linux's vsyscall page: the legacy fixed entry points at
 * 0xffffffffff600000 (gettimeofday), +0x400 (time) and +0x800 (getcpu)
 * that old static binaries (and Go before 1.x's vDSO use) call.  Linux
 * today emulates them (vsyscall=xonly, its default since 5.3, and what
 * this host's kernel does): a call to one of the three addresses faults
 * on instruction fetch, and the kernel runs the syscall, puts its result
 * in rax and returns to the address on top of the stack, changing no
 * other register; any other use of the page (a read, a write, a call
 * elsewhere in it) is a fault.  The page lies far above the guest space,
 * so a call there is a fetch fault in Mimic too, and the CPU loop offers
 * it here (UserTarget.handle_fault) before making it a signal.
 *
 * The faults are Linux's (arch/x86/entry/vsyscall/vsyscall_64.c's rules,
 * checked against this host): a call elsewhere in the page or with an
 * unreadable return address, and a syscall that meets a bad pointer
 * (-EFAULT), give SIGSEGV with SI_KERNEL, rip left at the entry point; an
 * argument that is not a user address at all (past TASK_SIZE_MAX) gives
 * SIGSEGV with SEGV_MAPERR at that pointer.
 */
#define _GNU_SOURCE   /* SI_KERNEL */
#include <errno.h>
#include <signal.h>

#include "../syscall.h"
#include "../syscall-internal.h"
#include "../user-target.h"
#include "target/x86/cpu.h"
#include "syscall-nr.h"
#include "target-signal.h"

#define VSYSCALL_PAGE 0xffffffffff600000ull
/* Linux's highest user address + 1 on x86-64 (4-level paging): its
   access_ok bound, not the guest space Mimic gives. */
#define TASK_SIZE_MAX ((1ull << 47) - 4096)

/* Linux's write_ok_or_segv: NULL passes (it means "do not write"). */
static bool user_ptr_ok(CPUState *cs, uint64_t ptr, uint64_t size)
{
    if (ptr + size <= TASK_SIZE_MAX && ptr + size >= ptr)
        return true;
    user_signal_sync(cs, SIGSEGV, SEGV_MAPERR, ptr);
    return false;
}

bool x86_64_vsyscall(CPUState *cs)
{
    CPUX86State *env = &X86_CPU(cs)->env;
    uint64_t pc = cs->user_fault.addr, caller, di, si;
    int64_t ret;

    if (cs->user_fault.type != MMU_INST_FETCH || env->rip != pc ||
        (pc & ~0xfffull) != VSYSCALL_PAGE)
        return false;
    if ((pc & 0x3ff) || pc - VSYSCALL_PAGE > 0x800 ||
        !copy_from_guest(&caller, env->regs[R_ESP], sizeof(caller))) {
        user_signal_sync(cs, SIGSEGV, SI_KERNEL, 0);
        return true;
    }
    di = env->regs[R_EDI];
    si = env->regs[R_ESI];
    switch (pc - VSYSCALL_PAGE) {
    case 0:
        /* struct timeval, struct timezone */
        if (!user_ptr_ok(cs, di, 16) || !user_ptr_ok(cs, si, 8))
            return true;
        ret = do_syscall(TARGET_NR_gettimeofday, di, si, 0, 0, 0, 0);
        break;
    case 0x400:
        if (!user_ptr_ok(cs, di, 8))
            return true;
        ret = do_syscall(TARGET_NR_time, di, 0, 0, 0, 0, 0);
        break;
    default:
        /* getcpu's third argument, the old cache, is ignored. */
        if (!user_ptr_ok(cs, di, 4) || !user_ptr_ok(cs, si, 4))
            return true;
        ret = do_syscall(TARGET_NR_getcpu, di, si, 0, 0, 0, 0);
        break;
    }
    if (ret == -EFAULT) {
        user_signal_sync(cs, SIGSEGV, SI_KERNEL, 0);
        return true;
    }
    /* The result, and a RET. */
    env->regs[R_EAX] = (uint64_t)ret;
    env->rip = caller;
    env->regs[R_ESP] += 8;
    return true;
}
