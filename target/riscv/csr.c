/*
 * The RISC-V control and status registers of an M+U hart: one table entry
 * per CSR number with an optional "exists" predicate and read/write
 * functions, plus the access rules every CSR shares (an unknown CSR, one
 * that needs more privilege than the hart has (number bits 9:8), or a write
 * to a read-only one (bits 11:10 == 3) is an illegal instruction).  Writes
 * are WARL: each write function keeps only legal values.  Entry point:
 * riscv_csr_access(), used by helper_csr() for the Zicsr instructions.
 *
 * Choices the spec leaves open, made here: mstatus.MPP ignores writes of an
 * unsupported mode (the reserved 2) and keeps its old value; mtvec/stvec
 * ignore writes of a reserved mode and keep their old mode; the counters
 * count host nanoseconds (1 GHz) and never repeat a value; pmpcfg/pmpaddr
 * honour the lock bits and are enforced by pmp.c; satp supports Bare,
 * Sv39, Sv48 and Sv57 with 16 ASID bits, and ignores a write of any other
 * mode entirely.  sstatus, sie and sip are views of mstatus, mie and mip.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "mimic/exec.h"
#include "mimic/host-fp.h"
#include "helper.h"
#include "internals.h"

typedef struct CSRInfo {
    const char *name;
    bool (*exists)(RISCVCPU *cpu, unsigned csrno);
    uint64_t (*read)(RISCVCPU *cpu, unsigned csrno);
    /* NULL: writes are ignored (a WARL register with no writable bits). */
    void (*write)(RISCVCPU *cpu, unsigned csrno, uint64_t val);
} CSRInfo;

/* ---- Predicates ---- */

static bool has_u(RISCVCPU *cpu, unsigned csrno)
{
    (void)csrno;
    return riscv_has_ext(cpu, 'U');
}

static bool has_s(RISCVCPU *cpu, unsigned csrno)
{
    (void)csrno;
    return riscv_has_ext(cpu, 'S');
}

/* cycle, time, instret, hpmcounterN below M-mode: mcounteren decides,
   and for U-mode with S-mode present, scounteren as well. */
static bool counter_enabled(RISCVCPU *cpu, unsigned csrno)
{
    CPURISCVState *env = &cpu->env;

    if (env->priv == PRV_M)
        return true;
    if (!((env->mcounteren >> (csrno & 31)) & 1))
        return false;
    if (env->priv == PRV_U && riscv_has_ext(cpu, 'S'))
        return (env->scounteren >> (csrno & 31)) & 1;
    return true;
}

/* CSRs of a later privileged spec than -cpu ...,priv_spec= says. */
static bool priv_1_11(RISCVCPU *cpu, unsigned csrno)
{
    (void)csrno;
    return cpu->priv_ver >= RV_PRIV_1_11;
}

static bool priv_1_12(RISCVCPU *cpu, unsigned csrno)
{
    (void)csrno;
    return cpu->priv_ver >= RV_PRIV_1_12;
}

static bool has_u_1_12(RISCVCPU *cpu, unsigned csrno)
{
    return has_u(cpu, csrno) && priv_1_12(cpu, csrno);
}

static bool has_s_1_12(RISCVCPU *cpu, unsigned csrno)
{
    return has_s(cpu, csrno) && priv_1_12(cpu, csrno);
}

/* -cpu ...,pmp=off: no PMP CSRs. */
static bool has_pmp(RISCVCPU *cpu, unsigned csrno)
{
    (void)csrno;
    return cpu->pmp;
}

/* satp: S-mode may not touch it while mstatus.TVM is set. */
static bool satp_accessible(RISCVCPU *cpu, unsigned csrno)
{
    return has_s(cpu, csrno) &&
           !(cpu->env.priv == PRV_S && (cpu->env.mstatus & MSTATUS_TVM));
}

/* ---- Counters ---- */

/* libc and the board's clock run inside generated code here: they must
   not add to the guest's pending FP flags (include/mimic/host-fp.h). */
static uint64_t host_ns(void)
{
    struct timespec ts;
    HostFPEnv fpenv = host_fp_save();

    clock_gettime(CLOCK_MONOTONIC, &ts);
    host_fp_restore(fpenv);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* A tick count that strictly increases from one read to the next. */
static uint64_t counter_now(CPURISCVState *env)
{
    uint64_t now = host_ns();

    if (now <= env->counter_last)
        now = env->counter_last + 1;
    env->counter_last = now;
    return now;
}

static bool is_instret(unsigned csrno)
{
    return (csrno & 0x1f) == 2;
}

static uint64_t read_counter(RISCVCPU *cpu, unsigned csrno)
{
    CPURISCVState *env = &cpu->env;
    bool ir = is_instret(csrno);

    if (env->mcountinhibit & (ir ? 4 : 1))
        return ir ? env->minstret_frozen : env->mcycle_frozen;
    return counter_now(env) + (uint64_t)(ir ? env->minstret_delta
                                            : env->mcycle_delta);
}

static void write_counter(RISCVCPU *cpu, unsigned csrno, uint64_t val)
{
    CPURISCVState *env = &cpu->env;
    int64_t delta = (int64_t)(val - counter_now(env));

    if (is_instret(csrno)) {
        env->minstret_delta = delta;
        env->minstret_frozen = val;
    } else {
        env->mcycle_delta = delta;
        env->mcycle_frozen = val;
    }
}

static uint64_t read_time(RISCVCPU *cpu, unsigned csrno)
{
    HostFPEnv fpenv;
    uint64_t t;

    (void)csrno;
    if (!cpu->time_source)
        return 0;
    fpenv = host_fp_save();
    t = cpu->time_source(cpu->time_opaque);
    host_fp_restore(fpenv);
    return t;
}

static void write_mcountinhibit(RISCVCPU *cpu, unsigned csrno, uint64_t val)
{
    CPURISCVState *env = &cpu->env;
    uint64_t old = env->mcountinhibit;

    (void)csrno;
    val &= 1 | 4;   /* CY and IR; the HPM counters are fixed at 0 */
    /* Freeze each counter at its value when it stops; resume from there. */
    if ((val ^ old) & 1) {
        if (val & 1)
            env->mcycle_frozen = read_counter(cpu, 0xb00);
        else
            env->mcycle_delta = (int64_t)(env->mcycle_frozen - counter_now(env));
    }
    if ((val ^ old) & 4) {
        if (val & 4)
            env->minstret_frozen = read_counter(cpu, 0xb02);
        else
            env->minstret_delta =
                (int64_t)(env->minstret_frozen - counter_now(env));
    }
    env->mcountinhibit = val;
}

void riscv_csr_reset(RISCVCPU *cpu)
{
    CPURISCVState *env = &cpu->env;
    uint64_t now = counter_now(env);

    env->mcycle_delta = -(int64_t)now;
    env->minstret_delta = -(int64_t)now;
    env->mcycle_frozen = env->minstret_frozen = 0;
    env->mcountinhibit = 0;
}

/* ---- Simple registers ---- */

static uint64_t read_zero(RISCVCPU *cpu, unsigned csrno)
{
    (void)cpu; (void)csrno;
    return 0;
}

static uint64_t read_id(RISCVCPU *cpu, unsigned csrno)
{
    return csrno == 0xf11 ? cpu->mvendorid
           : csrno == 0xf12 ? cpu->marchid : cpu->mimpid;
}

static uint64_t read_mhartid(RISCVCPU *cpu, unsigned csrno)
{
    (void)csrno;
    return cpu->env.mhartid;
}

static uint64_t read_misa(RISCVCPU *cpu, unsigned csrno)
{
    (void)csrno;
    return cpu->env.misa;
}

/* Plain read/write registers, found by number. */
static uint64_t *plain_reg(RISCVCPU *cpu, unsigned csrno)
{
    CPURISCVState *env = &cpu->env;

    switch (csrno) {
    case 0x340: return &env->mscratch;
    case CSR_MCAUSE: return &env->mcause;
    case CSR_MTVAL: return &env->mtval;
    case 0x306: return &env->mcounteren;
    case 0x30a: return &env->menvcfg;
    case 0x106: return &env->scounteren;
    case 0x10a: return &env->senvcfg;
    case 0x140: return &env->sscratch;
    case CSR_SCAUSE: return &env->scause;
    case CSR_STVAL: return &env->stval;
    case CSR_STVEC: return &env->stvec;
    case CSR_MEDELEG: return &env->medeleg;
    case CSR_MIDELEG: return &env->mideleg;
    case CSR_SATP: return &env->satp;
    case 0x320: return &env->mcountinhibit;
    case CSR_MIE: return &env->mie;
    case CSR_MTVEC: return &env->mtvec;
    }
    return NULL;
}

static uint64_t read_plain(RISCVCPU *cpu, unsigned csrno)
{
    return *plain_reg(cpu, csrno);
}

static void write_plain(RISCVCPU *cpu, unsigned csrno, uint64_t val)
{
    *plain_reg(cpu, csrno) = val;
}

/* mcounteren, scounteren: 32 bits. */
static void write_counteren(RISCVCPU *cpu, unsigned csrno, uint64_t val)
{
    *plain_reg(cpu, csrno) = (uint32_t)val;
}

/* menvcfg, senvcfg: only FIOM is implemented (no CBO, Svpbmt or Sstc). */
static void write_envcfg(RISCVCPU *cpu, unsigned csrno, uint64_t val)
{
    *plain_reg(cpu, csrno) = val & 1;
}

/* mtvec, stvec: mode 0 (direct) and 1 (vectored); a reserved mode keeps
   the old one. */
static void write_xtvec(RISCVCPU *cpu, unsigned csrno, uint64_t val)
{
    uint64_t *reg = plain_reg(cpu, csrno);

    if ((val & 3) >= 2)
        val = (val & ~3ull) | (*reg & 3);
    *reg = val;
}

static uint64_t *xepc_reg(RISCVCPU *cpu, unsigned csrno)
{
    return csrno == CSR_SEPC ? &cpu->env.sepc : &cpu->env.mepc;
}

/* mepc, sepc: bit 0 is always 0, bit 1 reads 0 without C. */
static uint64_t read_xepc(RISCVCPU *cpu, unsigned csrno)
{
    uint64_t v = *xepc_reg(cpu, csrno);

    return riscv_has_ext(cpu, 'C') ? v : v & ~3ull;
}

static void write_xepc(RISCVCPU *cpu, unsigned csrno, uint64_t val)
{
    *xepc_reg(cpu, csrno) = val & ~1ull;
}

/* Every exception but ecall from M-mode (11) and the reserved 10 and 14
   can be delegated. */
#define MEDELEG_MASK 0xb3ffull

static void write_medeleg(RISCVCPU *cpu, unsigned csrno, uint64_t val)
{
    (void)csrno;
    cpu->env.medeleg = val & MEDELEG_MASK;
}

static void write_mideleg(RISCVCPU *cpu, unsigned csrno, uint64_t val)
{
    (void)csrno;
    cpu->env.mideleg = val & MIP_S_ALL;
    riscv_update_irq_request(cpu);
}

/* A mode we do not support makes the whole write a no-op (spec 4.1.11).
   The TLB (but M-mode's sets) is flushed when the value changes, but for
   global mappings when the mode stays. */
static void write_satp(RISCVCPU *cpu, unsigned csrno, uint64_t val)
{
    CPURISCVState *env = &cpu->env;
    unsigned mode = (unsigned)(val >> SATP_MODE_SHIFT);

    (void)csrno;
    /* -cpu ...,mmu=off: satp stays 0 (Bare), as on QEMU. */
    if (!cpu->mmu)
        return;
    if (mode != SATP_BARE && mode != SATP_SV39 && mode != SATP_SV48 &&
        mode != SATP_SV57)
        return;
    if (val != env->satp) {
        uint16_t idxmap = (uint16_t)~((1u << RV_MMU_M) |
                                      (1u << (RV_MMU_M | RV_MMU_MXR)));

        /* A new address space in the same mode keeps the global
           mappings, as a TLB tagged with ASIDs would. */
        if (mode != SATP_BARE && mode == env->satp >> SATP_MODE_SHIFT)
            tlb_flush_by_mmuidx_nonglobal(&cpu->parent, idxmap);
        else
            tlb_flush_by_mmuidx(&cpu->parent, idxmap);
        env->satp = val;
    }
}

/* ---- Floating-point CSRs ---- */

/* fflags, frm and fcsr: with F only, and illegal while mstatus.FS is Off. */
static bool fp_csr_enabled(RISCVCPU *cpu, unsigned csrno)
{
    (void)csrno;
    return riscv_has_ext(cpu, 'F') && (cpu->env.mstatus & MSTATUS_FS);
}

/* fcsr holds frm in bits 7:5 and fflags in 4:0; frm keeps invalid modes
   (instructions with rm = DYN are then illegal). */
static uint64_t read_fcsr(RISCVCPU *cpu, unsigned csrno)
{
    uint32_t v = cpu->env.fcsr;

    switch (csrno) {
    case 0x001: return v & 0x1f;
    case 0x002: return (v >> 5) & 7;
    default: return v & 0xff;
    }
}

/* A write changes FP state: FS becomes Dirty. */
static void write_fcsr(RISCVCPU *cpu, unsigned csrno, uint64_t val)
{
    uint32_t v = cpu->env.fcsr;

    switch (csrno) {
    case 0x001: v = (v & ~0x1fu) | (uint32_t)(val & 0x1f); break;
    case 0x002: v = (v & ~0xe0u) | (uint32_t)(val & 7) << 5; break;
    default: v = (uint32_t)(val & 0xff); break;
    }
    cpu->env.fcsr = v;
    cpu->env.mstatus |= MSTATUS_FS | MSTATUS_SD;
    cpu_update_tb_flags(&cpu->parent);
}

/* ---- mstatus, mie, mip ---- */

/* SD summarises FS and XS (either dirty). */
static uint64_t status_with_sd(uint64_t ms)
{
    ms &= ~MSTATUS_SD;
    if ((ms & MSTATUS_FS) == MSTATUS_FS || (ms & MSTATUS_XS) == MSTATUS_XS)
        ms |= MSTATUS_SD;
    return ms;
}

static uint64_t read_mstatus(RISCVCPU *cpu, unsigned csrno)
{
    (void)csrno;
    return status_with_sd(cpu->env.mstatus);
}

static bool mpp_legal(RISCVCPU *cpu, unsigned mpp)
{
    return mpp == PRV_M || (mpp == PRV_U && riscv_has_ext(cpu, 'U')) ||
           (mpp == PRV_S && riscv_has_ext(cpu, 'S'));
}

static void write_mstatus(RISCVCPU *cpu, unsigned csrno, uint64_t val)
{
    CPURISCVState *env = &cpu->env;
    uint64_t mask = MSTATUS_MIE | MSTATUS_MPIE | MSTATUS_MPP;

    (void)csrno;
    if (riscv_has_ext(cpu, 'U'))
        mask |= MSTATUS_MPRV | MSTATUS_TW;
    if (riscv_has_ext(cpu, 'S')) {
        mask |= MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP | MSTATUS_SUM |
                MSTATUS_MXR | MSTATUS_TVM | MSTATUS_TSR;
    }
    if (riscv_has_ext(cpu, 'F'))
        mask |= MSTATUS_FS;
    if (!mpp_legal(cpu, (unsigned)((val & MSTATUS_MPP) >> MSTATUS_MPP_SHIFT)))
        val = (val & ~MSTATUS_MPP) | (env->mstatus & MSTATUS_MPP);
    env->mstatus = (env->mstatus & ~mask) | (val & mask);
    cpu_update_tb_flags(&cpu->parent);
}

#define MIP_M_ALL (MIP_MSIP | MIP_MTIP | MIP_MEIP)

/* The interrupt bits that exist (S-level ones only with S-mode). */
static uint64_t irq_mask(RISCVCPU *cpu)
{
    return riscv_has_ext(cpu, 'S') ? MIP_M_ALL | MIP_S_ALL : MIP_M_ALL;
}

static void write_mie(RISCVCPU *cpu, unsigned csrno, uint64_t val)
{
    (void)csrno;
    cpu->env.mie = val & irq_mask(cpu);
    riscv_update_irq_request(cpu);
}

/* MSIP, MTIP and MEIP are driven by the CLINT and PLIC: read-only here. */
static uint64_t read_mip(RISCVCPU *cpu, unsigned csrno)
{
    (void)csrno;
    return __atomic_load_n(&cpu->env.mip, __ATOMIC_ACQUIRE);
}

/*
 * Sets the bits of mip in mask to val, atomically with the devices that
 * drive the M-level bits.  SEIP is the software half of mip.SEIP.
 */
static void mip_update(RISCVCPU *cpu, uint64_t mask, uint64_t val)
{
    CPURISCVState *env = &cpu->env;
    uint64_t old = __atomic_load_n(&env->mip, __ATOMIC_RELAXED), nv;

    if (mask & MIP_SEIP) {
        __atomic_store_n(&env->seip_sw, (val & MIP_SEIP) != 0,
                         __ATOMIC_RELEASE);
        mask &= ~MIP_SEIP;
    }
    do {
        nv = (old & ~mask) | (val & mask);
    } while (!__atomic_compare_exchange_n(&env->mip, &old, nv, true,
                                          __ATOMIC_ACQ_REL, __ATOMIC_RELAXED));
    riscv_update_seip(cpu);
}

/* M-mode writes SSIP, STIP and (its half of) SEIP. */
static void write_mip(RISCVCPU *cpu, unsigned csrno, uint64_t val)
{
    (void)csrno;
    if (riscv_has_ext(cpu, 'S'))
        mip_update(cpu, MIP_S_ALL, val);
}

/* ---- S-mode views: sstatus, sie, sip ---- */

#define SSTATUS_MASK (MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP | MSTATUS_FS | \
                      MSTATUS_XS | MSTATUS_SUM | MSTATUS_MXR | MSTATUS_UXL | \
                      MSTATUS_SD)

static uint64_t read_sstatus(RISCVCPU *cpu, unsigned csrno)
{
    (void)csrno;
    return status_with_sd(cpu->env.mstatus) & SSTATUS_MASK;
}

static void write_sstatus(RISCVCPU *cpu, unsigned csrno, uint64_t val)
{
    uint64_t ms = cpu->env.mstatus;

    (void)csrno;
    write_mstatus(cpu, CSR_MSTATUS, (ms & ~SSTATUS_MASK) | (val & SSTATUS_MASK));
}

/* sie and sip show only the interrupts mideleg delegates. */
static uint64_t read_sie(RISCVCPU *cpu, unsigned csrno)
{
    (void)csrno;
    return cpu->env.mie & cpu->env.mideleg & MIP_S_ALL;
}

static void write_sie(RISCVCPU *cpu, unsigned csrno, uint64_t val)
{
    uint64_t mask = cpu->env.mideleg & MIP_S_ALL;

    (void)csrno;
    cpu->env.mie = (cpu->env.mie & ~mask) | (val & mask);
    riscv_update_irq_request(cpu);
}

static uint64_t read_sip(RISCVCPU *cpu, unsigned csrno)
{
    return read_mip(cpu, csrno) & cpu->env.mideleg & MIP_S_ALL;
}

/* Only SSIP is writable through sip (STIP and SEIP belong to M-mode). */
static void write_sip(RISCVCPU *cpu, unsigned csrno, uint64_t val)
{
    (void)csrno;
    mip_update(cpu, cpu->env.mideleg & MIP_SSIP, val);
}

/* ---- PMP (enforced by pmp.c; every change flushes the TLB) ---- */

static bool pmp_locked(CPURISCVState *env, int i)
{
    return (env->pmpcfg[i / 8] >> (8 * (i % 8) + 7)) & 1;
}

static int pmp_mode(CPURISCVState *env, int i)
{
    return (int)((env->pmpcfg[i / 8] >> (8 * (i % 8) + 3)) & 3);
}

static uint64_t read_pmpcfg(RISCVCPU *cpu, unsigned csrno)
{
    return cpu->env.pmpcfg[(csrno - 0x3a0) / 2];
}

/* Bits 6:5 of each entry are reserved (0); locked entries keep theirs. */
static void write_pmpcfg(RISCVCPU *cpu, unsigned csrno, uint64_t val)
{
    CPURISCVState *env = &cpu->env;
    int reg = (csrno - 0x3a0) / 2;
    uint64_t out = 0;

    for (int b = 0; b < 8; b++) {
        uint64_t byte = (val >> (8 * b)) & 0x9f;

        if (pmp_locked(env, reg * 8 + b))
            byte = (env->pmpcfg[reg] >> (8 * b)) & 0xff;
        out |= byte << (8 * b);
    }
    env->pmpcfg[reg] = out;
    riscv_pmp_update(env);
    tlb_flush(&cpu->parent);
}

static uint64_t read_pmpaddr(RISCVCPU *cpu, unsigned csrno)
{
    return cpu->env.pmpaddr[csrno - 0x3b0];
}

/* An address is locked by its own entry, or by the next entry when that
   one is locked and uses it as the bottom of a TOR range. */
static void write_pmpaddr(RISCVCPU *cpu, unsigned csrno, uint64_t val)
{
    CPURISCVState *env = &cpu->env;
    int i = (int)(csrno - 0x3b0);

    if (pmp_locked(env, i))
        return;
    if (i < 15 && pmp_locked(env, i + 1) && pmp_mode(env, i + 1) == 1)
        return;
    env->pmpaddr[i] = val & ((1ull << 54) - 1);
    riscv_pmp_update(env);
    tlb_flush(&cpu->parent);
}

/* ---- The table ---- */

static const CSRInfo csr_table[4096] = {
    /* Unprivileged floating-point CSRs: only with F. */
    [0x001] = { "fflags", fp_csr_enabled, read_fcsr, write_fcsr },
    [0x002] = { "frm", fp_csr_enabled, read_fcsr, write_fcsr },
    [0x003] = { "fcsr", fp_csr_enabled, read_fcsr, write_fcsr },
    /* Unprivileged counters. */
    [0xc00] = { "cycle", counter_enabled, read_counter, NULL },
    [0xc01] = { "time", counter_enabled, read_time, NULL },
    [0xc02] = { "instret", counter_enabled, read_counter, NULL },
    [0xc03 ... 0xc1f] = { "hpmcounter", counter_enabled, read_zero, NULL },
    /* Machine information. */
    [0xf11] = { "mvendorid", NULL, read_id, NULL },
    [0xf12] = { "marchid", NULL, read_id, NULL },
    [0xf13] = { "mimpid", NULL, read_id, NULL },
    [0xf14] = { "mhartid", NULL, read_mhartid, NULL },
    [0xf15] = { "mconfigptr", priv_1_12, read_zero, NULL },
    /* Machine trap setup and handling. */
    [CSR_MSTATUS] = { "mstatus", NULL, read_mstatus, write_mstatus },
    [CSR_MISA] = { "misa", NULL, read_misa, NULL },
    [CSR_MEDELEG] = { "medeleg", has_s, read_plain, write_medeleg },
    [CSR_MIDELEG] = { "mideleg", has_s, read_plain, write_mideleg },
    [CSR_MIE] = { "mie", NULL, read_plain, write_mie },
    [CSR_MTVEC] = { "mtvec", NULL, read_plain, write_xtvec },
    [0x306] = { "mcounteren", has_u, read_plain, write_counteren },
    [0x30a] = { "menvcfg", has_u_1_12, read_plain, write_envcfg },
    [0x320] = { "mcountinhibit", priv_1_11, read_plain, write_mcountinhibit },
    [0x323 ... 0x33f] = { "mhpmevent", NULL, read_zero, NULL },
    [0x340] = { "mscratch", NULL, read_plain, write_plain },
    [CSR_MEPC] = { "mepc", NULL, read_xepc, write_xepc },
    [CSR_MCAUSE] = { "mcause", NULL, read_plain, write_plain },
    [CSR_MTVAL] = { "mtval", NULL, read_plain, write_plain },
    [CSR_MIP] = { "mip", NULL, read_mip, write_mip },
    /* Supervisor trap setup, handling and protection. */
    [CSR_SSTATUS] = { "sstatus", has_s, read_sstatus, write_sstatus },
    [CSR_SIE] = { "sie", has_s, read_sie, write_sie },
    [CSR_STVEC] = { "stvec", has_s, read_plain, write_xtvec },
    [0x106] = { "scounteren", has_s, read_plain, write_counteren },
    [0x10a] = { "senvcfg", has_s_1_12, read_plain, write_envcfg },
    [0x140] = { "sscratch", has_s, read_plain, write_plain },
    [CSR_SEPC] = { "sepc", has_s, read_xepc, write_xepc },
    [CSR_SCAUSE] = { "scause", has_s, read_plain, write_plain },
    [CSR_STVAL] = { "stval", has_s, read_plain, write_plain },
    [CSR_SIP] = { "sip", has_s, read_sip, write_sip },
    [CSR_SATP] = { "satp", satp_accessible, read_plain, write_satp },
    /* Physical memory protection (RV64: only even pmpcfg numbers). */
    [0x3a0] = { "pmpcfg0", has_pmp, read_pmpcfg, write_pmpcfg },
    [0x3a2] = { "pmpcfg2", has_pmp, read_pmpcfg, write_pmpcfg },
    [0x3b0 ... 0x3bf] = { "pmpaddr", has_pmp, read_pmpaddr, write_pmpaddr },
    /* Machine counters. */
    [0xb00] = { "mcycle", NULL, read_counter, write_counter },
    [0xb02] = { "minstret", NULL, read_counter, write_counter },
    [0xb03 ... 0xb1f] = { "mhpmcounter", NULL, read_zero, NULL },
};

bool riscv_csr_access(RISCVCPU *cpu, unsigned op, uint64_t src, uint64_t *old)
{
    unsigned csrno = op & 0xfff;
    const CSRInfo *info = &csr_table[csrno];
    bool write = (op & RV_CSR_WRITE) != 0;
    uint64_t val, nval;

    if (!info->read || cpu->env.priv < ((csrno >> 8) & 3))
        return false;
    if (write && (csrno >> 10) == 3)
        return false;
    if (info->exists && !info->exists(cpu, csrno))
        return false;
    /* No CSR here has read side effects, so RS/RC may always read. */
    val = info->read(cpu, csrno);
    *old = (op & RV_CSR_READ) ? val : 0;
    if (!write || !info->write)
        return true;
    /*
     * Priv spec 3.1.9: in a CSRRS/CSRRC of mip only the software-written
     * SEIP bit takes part in the read-modify-write; the interrupt
     * controller's line must not be latched into it (OpenSBI sets
     * mip.STIP this way on every timer tick: a latched SEIP became an
     * endless storm of external interrupts in Linux).
     */
    if (csrno == 0x344) {
        val &= ~MIP_SEIP;
        if (__atomic_load_n(&cpu->env.seip_sw, __ATOMIC_ACQUIRE))
            val |= MIP_SEIP;
    }
    switch (op & RV_CSR_OP_MASK) {
    case RV_CSR_OP_RS:
        nval = val | src;
        break;
    case RV_CSR_OP_RC:
        nval = val & ~src;
        break;
    default:
        nval = src;
        break;
    }
    info->write(cpu, csrno, nval);
    return true;
}

bool riscv_csr_peek(RISCVCPU *cpu, unsigned csrno, uint64_t *val)
{
    const CSRInfo *info = &csr_table[csrno & 0xfff];

    *val = 0;
    if (!info->read || (info->exists && !info->exists(cpu, csrno)))
        return false;
    *val = info->read(cpu, csrno);
    return true;
}

bool riscv_csr_poke(RISCVCPU *cpu, unsigned csrno, uint64_t val)
{
    const CSRInfo *info = &csr_table[csrno & 0xfff];

    if (!info->read || (info->exists && !info->exists(cpu, csrno)))
        return false;
    if (info->write)
        info->write(cpu, csrno, val);
    return true;
}

const char *riscv_csr_name(unsigned csrno, char *buf, size_t len)
{
    const CSRInfo *info = &csr_table[csrno & 0xfff];
    const char *name = info->name;

    if (!name)
        return NULL;
    /* Numbered families share one table entry's name. */
    if (!strcmp(name, "pmpaddr"))
        snprintf(buf, len, "%s%u", name, csrno & 0xf);
    else if (strstr(name, "hpm"))
        snprintf(buf, len, "%s%u", name, csrno & 0x1f);
    else
        snprintf(buf, len, "%s", name);
    return buf;
}

uint64_t helper_csr(RISCVCPU *cpu, uint64_t op, uint64_t src)
{
    uint64_t old = 0;
    unsigned csrno = (unsigned)op & 0xfff;

    /* fflags and fcsr: the host FPU may hold flags of the guest's last FP
       ops; make env exact first (a write then replaces them all). */
    if (csrno == 0x001 || csrno == 0x003)
        riscv_fold_host_fp_exc(cpu);
    if (!riscv_csr_access(cpu, (unsigned)op, src, &old)) {
        riscv_raise_exception(cpu, RV_EXCP_ILLEGAL_INST, cpu->env.bins,
                              GETPC());
    }
    /* The TB ends with a jump-cache lookup (DISAS_LOOKUP): if the write
       made an interrupt deliverable, the next TB's entry check must
       return to the loop, which takes it. */
    if ((op & RV_CSR_WRITE) && riscv_pending_irq(&cpu->env) >= 0)
        cpu_exit(&cpu->parent);
    return old;
}
