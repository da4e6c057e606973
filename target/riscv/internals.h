/*
 * Declarations shared by the files of target/riscv/ and no one else:
 * CSR numbers, the CSR access entry point, trap helpers and the translator
 * entry points that cpu.c puts in the hook table.
 */
#ifndef TARGET_RISCV_INTERNALS_H
#define TARGET_RISCV_INTERNALS_H

#include <stdbool.h>
#include <stdint.h>

#include "mimic/exec.h"
#include "cpu.h"

/* CSR numbers used outside csr.c's table. */
enum {
    CSR_MSTATUS = 0x300,
    CSR_MISA = 0x301,
    CSR_MIE = 0x304,
    CSR_MTVEC = 0x305,
    CSR_MEPC = 0x341,
    CSR_MCAUSE = 0x342,
    CSR_MTVAL = 0x343,
    CSR_MIP = 0x344,
    CSR_SSTATUS = 0x100,
    CSR_SIE = 0x104,
    CSR_STVEC = 0x105,
    CSR_SEPC = 0x141,
    CSR_SCAUSE = 0x142,
    CSR_STVAL = 0x143,
    CSR_SIP = 0x144,
    CSR_SATP = 0x180,
    CSR_MEDELEG = 0x302,
    CSR_MIDELEG = 0x303,
};

/* translate.c */
void riscv_tcg_init(void);
void riscv_translate(CPUState *cs, TranslationBlock *tb, int max_insns);

/*
 * csr.c: performs a CSR access (op as in helper_csr: number, RV_CSR_OP_*,
 * RV_CSR_READ/WRITE) with src as the operand; stores the old value in *old.
 * Returns false if the access must raise illegal instruction.  May change
 * priv-dependent state; calls cpu_update_tb_flags itself.
 */
bool riscv_csr_access(RISCVCPU *cpu, unsigned op, uint64_t src, uint64_t *old);
/* Resets the counters' bookkeeping. */
void riscv_csr_reset(RISCVCPU *cpu);
/* Reads CSR csrno as M-mode would, without side effects or privilege
   checks (for -d cpu); false if this hart does not have it. */
bool riscv_csr_peek(RISCVCPU *cpu, unsigned csrno, uint64_t *val);

/* cpu.c */
static inline bool riscv_has_ext(const RISCVCPU *cpu, char ext)
{
    return (cpu->ext & RV_EXT(ext)) != 0;
}
/* The MMU index of data accesses (priv, or MPP when MPRV is set in M). */
unsigned riscv_mmu_index(const CPURISCVState *env);
/* Re-evaluates CPU_INTERRUPT_HARD after mip or mie changed. */
void riscv_update_irq_request(RISCVCPU *cpu);
/* Re-evaluates mip.SEIP (software bit | controller line) and the irq. */
void riscv_update_seip(RISCVCPU *cpu);

/* mmu.c: the softmmu refill hook (see TargetOps.tlb_fill). */
bool riscv_tlb_fill(CPUState *cs, uint64_t addr, int size,
                    MMUAccessType type, int mmu_idx, bool probe,
                    uintptr_t retaddr);
/* The privilege (PRV_U/S/M) whose rules an MMU index applies. */
int riscv_mmu_priv(int mmu_idx);

/* pmp.c */
#define RV_PMP_ENTRIES 16
/* The configuration byte of PMP entry i. */
uint8_t riscv_pmp_cfg(const CPURISCVState *env, int i);
/*
 * The PAGE_* permissions PMP gives an access of size bytes at physical
 * addr in privilege priv (0: it fails whatever its type).  If page_uniform
 * is not NULL, sets it to whether the answer holds for every address of
 * addr's 4 KiB page.
 */
int riscv_pmp_check(const CPURISCVState *env, uint64_t addr, unsigned size,
                    int priv, bool *page_uniform);

/* Raises a synchronous exception from a helper or a softmmu hook. */
_Noreturn void riscv_raise_exception(RISCVCPU *cpu, int cause, uint64_t tval,
                                     uintptr_t ra);

#endif
