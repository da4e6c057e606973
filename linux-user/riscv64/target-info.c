/*
 * The numbers of riscv64 Linux's process ABI that linux-user/ needs: Sv39's
 * user space (TASK_SIZE 2^38), the ELF identity, AT_HWCAP of an rv64gc
 * CPU, where a PIE goes, and the initial stack's alignment.
 */
#include <elf.h>

#include "linux-user/user-internal.h"

#ifndef EM_RISCV
#define EM_RISCV 243
#endif

/* One bit per single-letter extension, as arch/riscv's hwcap has it. */
#define HWCAP_LETTER(c) (1ull << ((c) - 'A'))

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
};
