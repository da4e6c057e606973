/*
 * The RISC-V vCPU: architectural state and the target's entry points.
 * Generated code reaches every field through the env register, which
 * points at the RISCVCPU (CPUState first), so TCG globals are bound to
 * offsetof(RISCVCPU, env.<field>).
 */
#ifndef TARGET_RISCV_CPU_H
#define TARGET_RISCV_CPU_H

#include <stdbool.h>
#include <stdint.h>

#include "mimic/cpu.h"

/* Privilege levels. */
enum { PRV_U = 0, PRV_S = 1, PRV_M = 3 };

/* MMU indexes (TLB sets); MPRV and paging arrive with the Linux issue. */
enum { RV_MMU_U = 0, RV_MMU_S = 1, RV_MMU_M = 3 };

/* misa extension bits. */
#define RV_EXT(c) (1u << ((c) - 'A'))

typedef struct CPURISCVState {
    uint64_t gpr[32];          /* gpr[0] is always 0 */
    uint64_t fpr[32];          /* F/D: with the Linux issue */
    uint64_t pc;

    /* LR/SC reservation: address (or -1) and the value loaded. */
    uint64_t load_res;
    uint64_t load_val;

    uint64_t priv;             /* PRV_* */
    uint64_t misa;
    uint64_t mhartid;
    uint64_t mstatus;
    uint64_t medeleg, mideleg;
    uint64_t mie, mip;
    uint64_t mtvec, mscratch, mepc, mcause, mtval;
    uint64_t mcounteren, mcountinhibit;
    uint64_t menvcfg;
    uint32_t fcsr;

    /* Set by the translator for helpers that need the faulting insn. */
    uint64_t bins;             /* raw bits of the current insn (for mtval) */
} CPURISCVState;

typedef struct RISCVCPU {
    CPUState parent;
    CPURISCVState env;
    /* Extensions enabled with -cpu rv64,X=on|off (a misa-like bitmap). */
    uint32_t ext;
} RISCVCPU;

static inline RISCVCPU *RISCV_CPU(CPUState *cpu)
{
    return (RISCVCPU *)cpu;
}

/* Offset of an env field from the env register, for TCG globals. */
#define RV_ENV_OFFSET(field) ((intptr_t)offsetof(RISCVCPU, env.field))

/* Exception causes (mcause without the interrupt bit). */
enum {
    RV_EXCP_INST_ADDR_MIS = 0,
    RV_EXCP_INST_ACCESS_FAULT = 1,
    RV_EXCP_ILLEGAL_INST = 2,
    RV_EXCP_BREAKPOINT = 3,
    RV_EXCP_LOAD_ADDR_MIS = 4,
    RV_EXCP_LOAD_ACCESS_FAULT = 5,
    RV_EXCP_STORE_AMO_ADDR_MIS = 6,
    RV_EXCP_STORE_AMO_ACCESS_FAULT = 7,
    RV_EXCP_U_ECALL = 8,
    RV_EXCP_S_ECALL = 9,
    RV_EXCP_M_ECALL = 11,
    RV_EXCP_INST_PAGE_FAULT = 12,
    RV_EXCP_LOAD_PAGE_FAULT = 13,
    RV_EXCP_STORE_PAGE_FAULT = 15,
};

/* The target's hook table (target/riscv/cpu.c). */
extern const TargetOps riscv_target_ops;

/*
 * The 10 MHz time base shared by the `time` CSR and (later) the CLINT:
 * ticks of the virtual clock.  Set by the board.
 */
extern uint64_t (*riscv_time_source)(void);

#endif
