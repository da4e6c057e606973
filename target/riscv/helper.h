/*
 * Run-time helpers that translated RISC-V code calls (op_helper.c, csr.c):
 * the C functions and, for each, the TCGHelperInfo the translator passes to
 * tcg_gen_callN().  The first argument of every helper is the env pointer,
 * which is the RISCVCPU itself.  Helpers that raise guest exceptions do so
 * through cpu_loop_exit_restore(), which rewinds env->pc to the faulting
 * insn from its insn_start record.
 */
#ifndef TARGET_RISCV_HELPER_H
#define TARGET_RISCV_HELPER_H

#include <stdint.h>

#include "mimic/tcg.h"
#include "cpu.h"

/* Raises exception cause with mtval tval at the current insn. */
_Noreturn void helper_raise_exception(RISCVCPU *cpu, uint64_t cause,
                                      uint64_t tval);
extern const TCGHelperInfo helper_info_raise_exception;

/*
 * A Zicsr access; op packs the CSR number (bits 11:0), RV_CSR_OP_* (13:12)
 * and the RV_CSR_READ/RV_CSR_WRITE flags.  Returns the old value; raises
 * illegal instruction (mtval = env->bins) if the access is not allowed.
 */
enum {
    RV_CSR_OP_RW = 0 << 12,
    RV_CSR_OP_RS = 1 << 12,
    RV_CSR_OP_RC = 2 << 12,
    RV_CSR_OP_MASK = 3 << 12,
    RV_CSR_READ = 1 << 14,
    RV_CSR_WRITE = 1 << 15,
};
uint64_t helper_csr(RISCVCPU *cpu, uint64_t op, uint64_t src);
extern const TCGHelperInfo helper_info_csr;

/* mret: returns the new pc (mepc); updates priv, mstatus and TB flags. */
uint64_t helper_mret(RISCVCPU *cpu);
extern const TCGHelperInfo helper_info_mret;

/* sret: returns the new pc (sepc); may raise illegal (TSR). */
uint64_t helper_sret(RISCVCPU *cpu);
extern const TCGHelperInfo helper_info_sret;

/* sfence.vma: flushes addr's page (has_addr) or every non-M mapping. */
void helper_sfence_vma(RISCVCPU *cpu, uint64_t addr, uint64_t which);
extern const TCGHelperInfo helper_info_sfence_vma;

/* A semihosting call: operation a0, parameter a1, result to a0; pc is the
   ebreak's, where a call that must wait (SYS_READC) runs again. */
void helper_semihosting(RISCVCPU *cpu, uint64_t pc);
extern const TCGHelperInfo helper_info_semihosting;

/* wfi: env->pc must already point past the wfi; may halt the vCPU. */
void helper_wfi(RISCVCPU *cpu);
extern const TCGHelperInfo helper_info_wfi;

/* sc.w/sc.d (size 4 or 8): returns 0 on success, 1 on failure. */
uint64_t helper_sc(RISCVCPU *cpu, uint64_t addr, uint64_t val, uint64_t size);
extern const TCGHelperInfo helper_info_sc;

/* AMOs: op is RV_AMO_* | size (4 or 8); returns the old memory value,
   sign-extended to 64 bits. */
enum {
    RV_AMO_SWAP = 0 << 4,
    RV_AMO_ADD = 1 << 4,
    RV_AMO_XOR = 2 << 4,
    RV_AMO_AND = 3 << 4,
    RV_AMO_OR = 4 << 4,
    RV_AMO_MIN = 5 << 4,
    RV_AMO_MAX = 6 << 4,
    RV_AMO_MINU = 7 << 4,
    RV_AMO_MAXU = 8 << 4,
    RV_AMO_OP_MASK = 0xf << 4,
};
uint64_t helper_amo(RISCVCPU *cpu, uint64_t addr, uint64_t val, uint64_t op);
extern const TCGHelperInfo helper_info_amo;

#endif
