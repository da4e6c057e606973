/*
 * The numbers of x86_64 Linux's process ABI that linux-user/ needs: the
 * user space, the ELF identity, AT_HWCAP (CPUID.1:EDX of Mimic's CPU),
 * AT_HWCAP2, AT_PLATFORM, where a PIE goes, its syscall numbers (generated,
 * syscall-nr.c), its own syscall arch_prctl, and the structure layouts
 * where x86-64 departs from asm-generic.
 */
#include <elf.h>
#include <errno.h>

#include "linux-user/syscall-internal.h"
#include "linux-user/user-internal.h"
#include "linux-user/x86_64/syscall-nr.h"
#include "target/x86/cpu.h"
#include "target-signal.h"

/*
 * Linux gives x86-64 processes 47 bits (TASK_SIZE 2^47 - 4096), but the
 * guest space is one host reservation below the host's own 47-bit user
 * space, with Mimic's heap and libraries beside it, so it cannot be that
 * large: the guest gets 2^44 bytes (16 TiB), twice that reserved so that
 * an access just past the end faults.  Programs that place mappings above
 * 2^44 themselves (MAP_FIXED hints) do not run.
 */
#define X86_64_SPACE_BITS 44

/* arch_prctl's codes (asm/prctl.h). */
enum {
    ARCH_SET_GS = 0x1001,
    ARCH_SET_FS = 0x1002,
    ARCH_GET_FS = 0x1003,
    ARCH_GET_GS = 0x1004,
    ARCH_GET_CPUID = 0x1011,
    ARCH_SET_CPUID = 0x1012,
};

static int64_t sys_arch_prctl(const uint64_t *a)
{
    CPUX86State *env = &X86_CPU(user_thread_cpu())->env;
    uint64_t v;

    switch (a[0]) {
    case ARCH_SET_FS:
    case ARCH_SET_GS:
        /* Linux refuses a base outside the user space. */
        if (a[1] >= (1ull << X86_64_SPACE_BITS))
            return -EPERM;
        if (a[0] == ARCH_SET_FS)
            env->fs_base = a[1];
        else
            env->gs_base = a[1];
        return 0;
    case ARCH_GET_FS:
    case ARCH_GET_GS:
        v = a[0] == ARCH_GET_FS ? env->fs_base : env->gs_base;
        return copy_to_guest(a[1], &v, sizeof(v)) ? 0 : -EFAULT;
    case ARCH_GET_CPUID:
        return 1;               /* CPUID does not fault */
    case ARCH_SET_CPUID:
        /* Linux's answer on a CPU without CPUID faulting. */
        return -ENODEV;
    }
    return -EINVAL;
}

static const SyscallEntry x86_64_syscalls[] = {
    { SYSID_arch_prctl, sys_arch_prctl, "xx" },
    { SYSID_NONE },
};

const TargetUserInfo x86_64_user_info = {
    .name = "x86_64",
    .space_bits = X86_64_SPACE_BITS,
    .reserve_bits = X86_64_SPACE_BITS + 1,
    .elf_machine = EM_X86_64,
    .elf_class = ELFCLASS64,
    .elf_data = ELFDATA2LSB,
    .hwcap = X86_MIMIC_CPUID1_EDX,
    /* Linux's x86 always gives AT_HWCAP2; its bits (ring-3 MWAIT,
       FSGSBASE enabled for user space) are features Mimic's CPU does not
       report. */
    .has_hwcap2 = true,
    .hwcap2 = 0,
    /* MINSIGSTKSZ of the uapi: the frame with its fxsave-format FP
       state needs at most 1040 bytes (X86_64_SIGFRAME_MAX). */
    .minsigstksz = 2048,
    .platform = "x86_64",
    /* ELF_ET_DYN_BASE: 2/3 of the space, page aligned. */
    .et_dyn_base = ((1ull << X86_64_SPACE_BITS) / 3 * 2) & ~0xfffull,
    .stack_align = 16,
    .default_stack_size = 8ull << 20,
    .syscall_ids = x86_64_syscall_ids,
    .nr_syscalls = TARGET_NR_SYSCALLS,
    .syscalls = x86_64_syscalls,
    .cpuinfo_entry = x86_64_cpuinfo_entry,   /* cpuinfo.c */
    /* Linux's line for the page (vsyscall=xonly: execute only; the
       calls are emulated, vsyscall.c), padded as it pads it. */
    .maps_tail = "ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0"
                 "                  [vsyscall]\n",
    .stat_x86_64 = true,
    .epoll_packed = true,
    .sa_restorer = true,
    .clone_tls_last = true,
};
