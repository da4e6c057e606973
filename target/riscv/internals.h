/*
 * Declarations shared by the files of target/riscv/ and no one else:
 * CSR numbers, the CSR access entry point, trap helpers and the translator
 * entry points that cpu.c puts in the hook table.
 */
#ifndef TARGET_RISCV_INTERNALS_H
#define TARGET_RISCV_INTERNALS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

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
/* The interrupt the hart must take now (mcause number), or -1. */
int riscv_pending_irq(const CPURISCVState *env);
bool riscv_csr_access(RISCVCPU *cpu, unsigned op, uint64_t src, uint64_t *old);
/* Resets the counters' bookkeeping. */
void riscv_csr_reset(RISCVCPU *cpu);
/* Reads CSR csrno as M-mode would, without side effects or privilege
   checks (for -d cpu); false if this hart does not have it. */
bool riscv_csr_peek(RISCVCPU *cpu, unsigned csrno, uint64_t *val);
/* Writes CSR csrno as M-mode would, without privilege checks (for the
   debugger); false if this hart does not have it. */
bool riscv_csr_poke(RISCVCPU *cpu, unsigned csrno, uint64_t val);
/* The CSR's name ("mstatus", "pmpaddr3") in buf, or NULL if csrno is
   not implemented. */
const char *riscv_csr_name(unsigned csrno, char *buf, size_t len);

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
/* TargetOps.get_phys_page_debug: a walk without A/D updates or traps. */
bool riscv_get_phys_page_debug(CPUState *cs, uint64_t vaddr, uint64_t *paddr);
/* The privilege (PRV_U/S/M) whose rules an MMU index applies. */
int riscv_mmu_priv(int mmu_idx);

/* gdbstub.c: the TargetOps.gdb_* hooks (system mode; user mode next). */
int riscv_gdb_read_register(CPUState *cs, uint8_t *buf, int reg);
int riscv_gdb_write_register(CPUState *cs, const uint8_t *buf, int reg);
const char *riscv_gdb_get_xml(CPUState *cs, const char *annex);
/* The same for a Linux process (cpu-user.c): no privileged CSRs and no
   priv; the counters cycle, time and instret read-only. */
int riscv_gdb_user_read_register(CPUState *cs, uint8_t *buf, int reg);
int riscv_gdb_user_write_register(CPUState *cs, const uint8_t *buf, int reg);
const char *riscv_gdb_user_get_xml(CPUState *cs, const char *annex);

/* monitor.c: TargetOps.dump_mappings (`info mem`) and
   TargetOps.monitor_get_register ($pc, $a0, $mstatus in the monitor). */
void riscv_dump_mappings(CPUState *cs, FILE *f);
bool riscv_monitor_get_register(CPUState *cs, const char *name, uint64_t *val);

/* pmp.c */
#define RV_PMP_ENTRIES 16
/* Decodes the entries again after pmpcfg or pmpaddr changed. */
void riscv_pmp_update(CPURISCVState *env);
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

/* Adds the IEEE flags pending in the host FPU (include/mimic/host-fp.h)
   to fflags; on the vCPU's thread, inside generated code or a helper. */
void riscv_fold_host_fp_exc(RISCVCPU *cpu);
/* TargetOps.fold_fp_exc: exc (FP_EXC_*) into fflags. */
void riscv_fold_fp_exc(CPUState *cs, unsigned exc);

/* ---- The hooks of the TargetOps tables (cpu.c), and what both modes'
   tables share ---- */
void riscv_reset(CPUState *cs);
int riscv_mmu_index_hook(CPUState *cs, bool ifetch);
void riscv_get_tb_key(CPUState *cs, uint64_t *pc, uint64_t *flags);
void riscv_restore_state(CPUState *cs, uint64_t pc, uint64_t extra);
void riscv_transaction_failed(CPUState *cs, uint64_t vaddr, uint64_t paddr,
                              unsigned size, MMUAccessType type, int mmu_idx,
                              uintptr_t ra);
void riscv_unaligned_access(CPUState *cs, uint64_t vaddr, MMUAccessType type,
                            int mmu_idx, uintptr_t ra);
void riscv_do_interrupt(CPUState *cs);
bool riscv_exec_interrupt(CPUState *cs);
bool riscv_has_work(CPUState *cs);
void riscv_sched_in(CPUState *cs);
void riscv_dump_state(CPUState *cs, FILE *f);
bool riscv_in_firmware(CPUState *cs);
int riscv_firmware_state(CPUState *cs);

extern const RISCVSemihosting riscv_semihosting;

#define RISCV_TARGET_OPS_COMMON                                 \
    .name = "riscv64",                                          \
    .cpu_size = sizeof(RISCVCPU),                               \
    .tcg_init = riscv_tcg_init,                                 \
    .get_tb_key = riscv_get_tb_key,                             \
    .translate = riscv_translate,                               \
    .restore_state = riscv_restore_state,                       \
    .unaligned_access = riscv_unaligned_access,                 \
    .dump_state = riscv_dump_state,                             \
    .disas = rv_disas_code,                                     \
    .insn_unit = 2,                                             \
    .guest_mo = 0, /* RVWMO: ordering comes from fences */      \
    .pc_offset = RV_ENV_OFFSET(pc),                             \
    .mmu_index = riscv_mmu_index_hook,                          \
    .fold_fp_exc = riscv_fold_fp_exc,                           \
    .gdb_num_core_regs = 33

#endif
