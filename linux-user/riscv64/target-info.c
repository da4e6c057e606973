/*
 * The numbers of riscv64 Linux's process ABI that linux-user/ needs: Sv39's
 * user space (TASK_SIZE 2^38), the ELF identity, AT_HWCAP of an rv64gc
 * CPU, where a PIE goes, the initial stack's alignment, its syscall
 * numbers (generated, syscall-nr.c) and its own syscall, riscv_flush_icache.
 */
#include <elf.h>
#include <errno.h>

#include "linux-user/riscv64/syscall-nr.h"
#include "linux-user/syscall-internal.h"
#include "linux-user/user-internal.h"

#ifndef EM_RISCV
#define EM_RISCV 243
#endif

/* One bit per single-letter extension, as arch/riscv's hwcap has it. */
#define HWCAP_LETTER(c) (1ull << ((c) - 'A'))

/* Generated code is kept coherent with guest stores by the JIT itself,
   so there is nothing to flush; only the flags are checked, as Linux does
   (SYS_RISCV_FLUSH_ICACHE_LOCAL is 1). */
static int64_t sys_riscv_flush_icache(const uint64_t *a)
{
    return (a[2] & ~1ull) ? -EINVAL : 0;
}

static const SyscallEntry riscv64_syscalls[] = {
    { SYSID_riscv_flush_icache, sys_riscv_flush_icache, "ppx" },
    { SYSID_NONE },
};

/* What a riscv64 Linux prints for each hart. */
static void riscv64_cpuinfo_entry(GString *out, long i)
{
    g_string_append_printf(out, "processor\t: %ld\nhart\t\t: %ld\n"
                           "isa\t\t: rv64imafdc\nmmu\t\t: sv39\n"
                           "uarch\t\t: mimic\n\n", i, i);
}

const TargetUserInfo riscv64_user_info = {
    .name = "riscv64",
    .space_bits = 38,
    /* Twice the space: the upper half stays PROT_NONE as a guard, so an
       access just past the user space faults instead of hitting host data. */
    .reserve_bits = 39,
    .elf_machine = EM_RISCV,
    .elf_class = ELFCLASS64,
    .elf_data = ELFDATA2LSB,
    .hwcap = HWCAP_LETTER('I') | HWCAP_LETTER('M') | HWCAP_LETTER('A') |
             HWCAP_LETTER('F') | HWCAP_LETTER('D') | HWCAP_LETTER('C'),
    /* sizeof(struct rt_sigframe) without the vector state: siginfo (128)
       + ucontext (960, its sigcontext holding the 528-byte Q-sized FP
       state), which Linux (6.5 on) gives as AT_MINSIGSTKSZ on a CPU
       without V. */
    .minsigstksz = 1088,
    .platform = NULL,
    /* ELF_ET_DYN_BASE: 2/3 of TASK_SIZE, page aligned. */
    .et_dyn_base = ((1ull << 38) / 3 * 2) & ~0xfffull,
    .stack_align = 16,
    .default_stack_size = 8ull << 20,
    .syscall_ids = riscv64_syscall_ids,
    .nr_syscalls = TARGET_NR_SYSCALLS,
    .syscalls = riscv64_syscalls,
    .cpuinfo_entry = riscv64_cpuinfo_entry,
};
