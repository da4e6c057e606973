/*
 * The RISC-V vCPU: architectural state and the target's entry points.
 * Generated code reaches every field through the env register, which
 * points at the RISCVCPU (CPUState first), so TCG globals are bound to
 * offsetof(RISCVCPU, env.<field>).
 */
#ifndef TARGET_RISCV_CPU_H
#define TARGET_RISCV_CPU_H

#include <stdbool.h>
#include <stdio.h>
#include <stddef.h>
#include <stdint.h>

#include "mimic/cpu.h"

/* Privilege levels. */
enum { PRV_U = 0, PRV_S = 1, PRV_M = 3 };

/*
 * MMU indexes (TLB sets).  Bits 1:0 say whose translation and permission
 * rules apply: U, S, S with mstatus.SUM (S may read and write U pages), M
 * (no translation; PMP only).  Bit 2 is mstatus.MXR (loads may read
 * execute-only pages); it is never set with RV_MMU_M.  Since SUM and MXR
 * select a TLB set, changing them needs no flush.  Instruction fetch uses
 * RV_MMU_U, RV_MMU_S or RV_MMU_M (the privilege).  See
 * docs/devel/riscv-frontend.md.
 */
enum {
    RV_MMU_U = 0,
    RV_MMU_S = 1,
    RV_MMU_S_SUM = 2,
    RV_MMU_M = 3,
    RV_MMU_MXR = 4,      /* flag ORed into U, S, S_SUM */
};

/* misa extension bits. */
#define RV_EXT(c) (1u << ((c) - 'A'))

typedef struct CPURISCVState {
    uint64_t gpr[32];          /* gpr[0] is always 0 */
    uint64_t fpr[32];          /* F/D: singles NaN-boxed */
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
    uint32_t fcsr;             /* frm (7:5) and fflags (4:0) */
    /* S-mode (sstatus, sie, sip are views of mstatus, mie, mip). */
    uint64_t stvec, sscratch, sepc, scause, stval, satp;
    uint64_t scounteren, senvcfg;
    /* mip.SEIP is the OR of the bit M-mode software writes (seip_sw) and
       the interrupt controller's line (seip_line). */
    uint32_t seip_sw, seip_line;

    /* Set by the translator for helpers that need the faulting insn. */
    uint64_t bins;             /* raw bits of the current insn (for mtval) */

    /* ---- Added by the front end (target/riscv/). ---- */
    uint64_t badaddr;          /* mtval of the exception being raised */
    uint64_t pmpcfg[2];        /* pmpcfg0, pmpcfg2 (enforced by pmp.c) */
    uint64_t pmpaddr[16];
    /* Decoded by riscv_pmp_update from pmpcfg/pmpaddr: entry i matches
       [pmp_lo[i], pmp_hi[i]) (hi 0: nothing); entries from pmp_n on are
       all off.  All zero (nothing on) after reset. */
    uint64_t pmp_lo[16], pmp_hi[16];
    int pmp_n;
    /* Counters: value = host ticks + delta; frozen while inhibited. */
    int64_t mcycle_delta, minstret_delta;
    uint64_t mcycle_frozen, minstret_frozen;
    uint64_t counter_last;     /* keeps cycle/instret strictly increasing */
    /* Set while an SC/AMO does its load through the softmmu (MMIO or a
       hole), so that a failing access reports a store/AMO fault. */
    bool amo_in_progress;
    /* -cpu ...,pmp=off: no PMP, so S and U may access everything. */
    bool no_pmp;
    /* Left M-mode for a lower mode since reset (firmware_state). */
    bool os_started;
} CPURISCVState;

/* Z extensions a hart may have (RISCVCPU.zext). */
#define RV_Z_ICSR (1u << 0)
#define RV_Z_IFENCEI (1u << 1)
#define RV_Z_IHINTPAUSE (1u << 2)

/* Privileged spec versions (-cpu ...,priv_spec=). */
enum { RV_PRIV_1_10 = 0, RV_PRIV_1_11 = 1, RV_PRIV_1_12 = 2 };

typedef struct RISCVCPU {
    CPUState parent;
    CPURISCVState env;
    /* The -cpu configuration (cpu-models.c), fixed before the hart runs:
       misa's extension letters, the Z extensions, whether there is an
       MMU (satp) and PMP, the privileged spec version and the IDs. */
    uint32_t ext;
    uint32_t zext;
    bool mmu, pmp;
    int priv_ver;
    uint64_t mvendorid, marchid, mimpid;
    /* Where reset starts (riscv_cpu_set_reset_pc; default RV_DEFAULT_RESET_PC). */
    uint64_t reset_pc;
    bool has_reset_pc;
    char *gdb_xml;             /* target.xml for gdb, built on first use */
    /* The semihosting trap sequence's helper, if this mode has one (system
       mode: cpu-system.c sets it; NULL in user mode), and whether it is on
       for a hart in U-mode (user) or above. */
    const struct RISCVSemihosting *semihosting;
    /* The `time` CSR's counter, 10 MHz ticks, from whoever made the hart
       (riscv_cpu_set_time_source): the board's timer device or user
       mode's host clock.  NULL: time reads 0. */
    uint64_t (*time_source)(void *opaque);
    void *time_opaque;
} RISCVCPU;

/* The IR's temps (mimic/tcg.h), named here for gen_helper's type. */
struct TCGv_ptr_d;
struct TCGv_i64_d;

typedef struct RISCVSemihosting {
    bool (*enabled)(bool user);
    /* gen_helper_semihosting(env, pc) (helper.def). */
    void (*gen_helper)(struct TCGv_ptr_d *env, struct TCGv_i64_d *pc);
} RISCVSemihosting;

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

/* mcause interrupt numbers (with RV_IRQ_FLAG in exception_index). */
enum {
    RV_IRQ_S_SOFT = 1,
    RV_IRQ_M_SOFT = 3,
    RV_IRQ_S_TIMER = 5,
    RV_IRQ_M_TIMER = 7,
    RV_IRQ_S_EXT = 9,
    RV_IRQ_M_EXT = 11,
};
/* cpu->exception_index of an interrupt: RV_IRQ_FLAG | irq number. */
#define RV_IRQ_FLAG 0x8000  /* below EXCP_INTERRUPT */

/* mip/mie bits. */
#define MIP_MSIP (1ull << RV_IRQ_M_SOFT)
#define MIP_MTIP (1ull << RV_IRQ_M_TIMER)
#define MIP_MEIP (1ull << RV_IRQ_M_EXT)
#define MIP_SSIP (1ull << RV_IRQ_S_SOFT)
#define MIP_STIP (1ull << RV_IRQ_S_TIMER)
#define MIP_SEIP (1ull << RV_IRQ_S_EXT)
#define MIP_S_ALL (MIP_SSIP | MIP_STIP | MIP_SEIP)

/* mstatus fields (RV64). */
#define MSTATUS_SIE (1ull << 1)
#define MSTATUS_MIE (1ull << 3)
#define MSTATUS_SPIE (1ull << 5)
#define MSTATUS_MPIE (1ull << 7)
#define MSTATUS_SPP (1ull << 8)
#define MSTATUS_MPP_SHIFT 11
#define MSTATUS_MPP (3ull << MSTATUS_MPP_SHIFT)
#define MSTATUS_FS (3ull << 13)
#define MSTATUS_XS (3ull << 15)
#define MSTATUS_MPRV (1ull << 17)
#define MSTATUS_SUM (1ull << 18)
#define MSTATUS_MXR (1ull << 19)
#define MSTATUS_TVM (1ull << 20)
#define MSTATUS_TW (1ull << 21)
#define MSTATUS_TSR (1ull << 22)
#define MSTATUS_UXL (3ull << 32)
#define MSTATUS_SXL (3ull << 34)
#define MSTATUS_SD (1ull << 63)

/* satp (RV64). */
#define SATP_MODE_SHIFT 60
#define SATP_ASID_SHIFT 44
#define SATP_ASID_MASK (0xffffull << SATP_ASID_SHIFT)
#define SATP_PPN_MASK ((1ull << 44) - 1)
enum { SATP_BARE = 0, SATP_SV39 = 8, SATP_SV48 = 9, SATP_SV57 = 10 };

/*
 * TB flags (cpu->tb_flags, the key of every TB): the privilege level the
 * code runs at (bits 1:0) and the MMU index its loads and stores use
 * (bits 4:2; it folds in MPRV/MPP, SUM and MXR), then FP state: mstatus.FS
 * and whether frm is RNE.  Kept current by cpu_update_tb_flags whenever
 * priv, mstatus or fcsr changes.  The paging mode is not part of the key: TBs are found by
 * physical pc, and satp writes flush the TLB and the jump cache.
 */
#define RV_TB_PRIV_MASK 0x3
#define RV_TB_MMU_SHIFT 2
#define RV_TB_MMU_MASK (0x7 << RV_TB_MMU_SHIFT)
/* mstatus.FS (bits 6:5): 0 (Off) makes every F/D insn illegal at
   translation; below 3 (Dirty) the first FP write of a TB sets Dirty. */
#define RV_TB_FS_SHIFT 5
#define RV_TB_FS_MASK (0x3 << RV_TB_FS_SHIFT)
/* frm is RNE: FP ops with rm = DYN round to nearest even (they may be
   inlined, and need no check of frm).  A write to frm or fcsr ends the TB. */
#define RV_TB_FRM_RNE (1 << 7)

#define RV_DEFAULT_RESET_PC 0x1000

/* The extensions of the default model (rv64). */
#define RV_EXT_DEFAULT (RV_EXT('I') | RV_EXT('M') | RV_EXT('A') | \
                        RV_EXT('C') | RV_EXT('F') | RV_EXT('D') | \
                        RV_EXT('S') | RV_EXT('U'))

/*
 * Applies a -cpu string as QEMU spells it: a model (rv64, any, sifive-u54,
 * sifive-e51, shakti-c) and PROP=VALUE items (e.g. "rv64,c=off,Zifencei=off,
 * pmp=off"; docs/usage.md lists them).  Sets the hart's configuration and
 * misa from the model's defaults and the items; call it after
 * cpu_create() and before running.  On error returns false and sets *err
 * to a g_malloc'ed message (free with g_free): an unknown model or
 * property, a bad value, an extension Mimic does not implement turned on,
 * or a combination the spec forbids.
 */
bool riscv_cpu_parse_props(RISCVCPU *cpu, const char *cpu_string, char **err);
/* The default model's configuration (a hart nobody configured). */
void riscv_cpu_set_defaults(RISCVCPU *cpu);
/* Prints the list for -cpu help: the models and their properties. */
void riscv_cpu_print_list(FILE *f);

/* Sets the pc that reset (and every later reset) starts at, and moves the
   (just reset, not yet running) CPU there. */
void riscv_cpu_set_reset_pc(RISCVCPU *cpu, uint64_t pc);

/*
 * Raises (level 1) or lowers (0) the interrupt-pending bit irq (RV_IRQ_*)
 * in mip and kicks the vCPU.  Safe from any thread: the CLINT and PLIC
 * call it for MSIP, MTIP, MEIP and SEIP (for SEIP it sets the controller's
 * line, which mip.SEIP ORs with the bit M-mode software writes).
 */
void riscv_cpu_set_irq(RISCVCPU *cpu, int irq, int level);

/*
 * The ISA string of the extensions this CPU implements and has enabled,
 * in the canonical order of the device-tree riscv,isa property, e.g.
 * "rv64imac_zicsr_zifencei" (g_free it).
 */
char *riscv_isa_string(RISCVCPU *cpu);

/* The target's hook table (target/riscv/cpu.c). */
/* The hook tables of the two modes: system (cpu-system.c) and Linux user
   mode (cpu-user.c, a hart that stays in U-mode). */
extern const TargetOps riscv_target_ops;
extern const TargetOps riscv_user_target_ops;

/*
 * Where the hart's `time` CSR reads its 10 MHz counter: fn(opaque), called
 * on the vCPU's thread without the BQL.  A board sets it for each hart it
 * creates (its CLINT's mtime), user mode for its harts (the host clock).
 */
void riscv_cpu_set_time_source(RISCVCPU *cpu, uint64_t (*fn)(void *opaque),
                               void *opaque);

#endif
