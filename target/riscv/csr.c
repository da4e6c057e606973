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
 * unsupported mode (S, or the reserved 2) and keeps its old value; mtvec
 * ignores writes of a reserved mode and keeps its old mode; the counters
 * count host nanoseconds (1 GHz) and never repeat a value; pmpcfg/pmpaddr
 * hold values (honouring the lock bits) but are not enforced yet.
 */
#include <time.h>

#include "mimic/exec.h"
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

static bool has_f(RISCVCPU *cpu, unsigned csrno)
{
    (void)csrno;
    return riscv_has_ext(cpu, 'F');
}

static bool has_s(RISCVCPU *cpu, unsigned csrno)
{
    (void)csrno;
    return riscv_has_ext(cpu, 'S');
}

/* cycle, time, instret, hpmcounterN below M-mode: mcounteren decides
   (and, once S-mode exists, scounteren for U-mode as well). */
static bool counter_enabled(RISCVCPU *cpu, unsigned csrno)
{
    if (cpu->env.priv == PRV_M)
        return true;
    return (cpu->env.mcounteren >> (csrno & 31)) & 1;
}

/* ---- Counters ---- */

static uint64_t host_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
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
    (void)cpu; (void)csrno;
    return riscv_time_source ? riscv_time_source() : 0;
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

static void write_mcounteren(RISCVCPU *cpu, unsigned csrno, uint64_t val)
{
    (void)csrno;
    cpu->env.mcounteren = (uint32_t)val;
}

/* Only FIOM is implemented (no CBO, Svpbmt or Sstc yet). */
static void write_menvcfg(RISCVCPU *cpu, unsigned csrno, uint64_t val)
{
    (void)csrno;
    cpu->env.menvcfg = val & 1;
}

/* Mode 0 (direct) and 1 (vectored); a reserved mode keeps the old one. */
static void write_mtvec(RISCVCPU *cpu, unsigned csrno, uint64_t val)
{
    (void)csrno;
    if ((val & 3) >= 2)
        val = (val & ~3ull) | (cpu->env.mtvec & 3);
    cpu->env.mtvec = val;
}

static uint64_t read_mepc(RISCVCPU *cpu, unsigned csrno)
{
    (void)csrno;
    return riscv_has_ext(cpu, 'C') ? cpu->env.mepc : cpu->env.mepc & ~3ull;
}

static void write_mepc(RISCVCPU *cpu, unsigned csrno, uint64_t val)
{
    (void)csrno;
    cpu->env.mepc = val & ~1ull;
}

/* ---- mstatus, mie, mip ---- */

static uint64_t read_mstatus(RISCVCPU *cpu, unsigned csrno)
{
    (void)csrno;
    return cpu->env.mstatus;
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
    if (!mpp_legal(cpu, (unsigned)((val & MSTATUS_MPP) >> MSTATUS_MPP_SHIFT)))
        val = (val & ~MSTATUS_MPP) | (env->mstatus & MSTATUS_MPP);
    env->mstatus = (env->mstatus & ~mask) | (val & mask);
    cpu_update_tb_flags(&cpu->parent);
}

#define MIP_M_ALL (MIP_MSIP | MIP_MTIP | MIP_MEIP)

static void write_mie(RISCVCPU *cpu, unsigned csrno, uint64_t val)
{
    (void)csrno;
    cpu->env.mie = val & MIP_M_ALL;
    riscv_update_irq_request(cpu);
}

/* MSIP, MTIP and MEIP are driven by the CLINT and PLIC: read-only here. */
static uint64_t read_mip(RISCVCPU *cpu, unsigned csrno)
{
    (void)csrno;
    return __atomic_load_n(&cpu->env.mip, __ATOMIC_ACQUIRE);
}

/* ---- PMP (stored, not enforced yet) ---- */

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
}

/* ---- The table ---- */

static const CSRInfo csr_table[4096] = {
    /* Unprivileged floating-point CSRs: only with F. */
    [0x001] = { "fflags", has_f, read_zero, NULL },
    [0x002] = { "frm", has_f, read_zero, NULL },
    [0x003] = { "fcsr", has_f, read_zero, NULL },
    /* Unprivileged counters. */
    [0xc00] = { "cycle", counter_enabled, read_counter, NULL },
    [0xc01] = { "time", counter_enabled, read_time, NULL },
    [0xc02] = { "instret", counter_enabled, read_counter, NULL },
    [0xc03 ... 0xc1f] = { "hpmcounter", counter_enabled, read_zero, NULL },
    /* Machine information. */
    [0xf11] = { "mvendorid", NULL, read_zero, NULL },
    [0xf12] = { "marchid", NULL, read_zero, NULL },
    [0xf13] = { "mimpid", NULL, read_zero, NULL },
    [0xf14] = { "mhartid", NULL, read_mhartid, NULL },
    [0xf15] = { "mconfigptr", NULL, read_zero, NULL },
    /* Machine trap setup and handling. */
    [CSR_MSTATUS] = { "mstatus", NULL, read_mstatus, write_mstatus },
    [CSR_MISA] = { "misa", NULL, read_misa, NULL },
    [0x302] = { "medeleg", has_s, read_zero, NULL },
    [0x303] = { "mideleg", has_s, read_zero, NULL },
    [CSR_MIE] = { "mie", NULL, read_plain, write_mie },
    [CSR_MTVEC] = { "mtvec", NULL, read_plain, write_mtvec },
    [0x306] = { "mcounteren", has_u, read_plain, write_mcounteren },
    [0x30a] = { "menvcfg", has_u, read_plain, write_menvcfg },
    [0x320] = { "mcountinhibit", NULL, read_plain, write_mcountinhibit },
    [0x323 ... 0x33f] = { "mhpmevent", NULL, read_zero, NULL },
    [0x340] = { "mscratch", NULL, read_plain, write_plain },
    [CSR_MEPC] = { "mepc", NULL, read_mepc, write_mepc },
    [CSR_MCAUSE] = { "mcause", NULL, read_plain, write_plain },
    [CSR_MTVAL] = { "mtval", NULL, read_plain, write_plain },
    [CSR_MIP] = { "mip", NULL, read_mip, NULL },
    /* Physical memory protection (RV64: only even pmpcfg numbers). */
    [0x3a0] = { "pmpcfg0", NULL, read_pmpcfg, write_pmpcfg },
    [0x3a2] = { "pmpcfg2", NULL, read_pmpcfg, write_pmpcfg },
    [0x3b0 ... 0x3bf] = { "pmpaddr", NULL, read_pmpaddr, write_pmpaddr },
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

uint64_t helper_csr(RISCVCPU *cpu, uint64_t op, uint64_t src)
{
    uint64_t old = 0;

    if (!riscv_csr_access(cpu, (unsigned)op, src, &old)) {
        riscv_raise_exception(cpu, RV_EXCP_ILLEGAL_INST, cpu->env.bins,
                              GETPC());
    }
    return old;
}

const TCGHelperInfo helper_info_csr = {
    .func = (void *)helper_csr,
    .name = "csr",
    .flags = 0,
    .nb_args = 3,
    .has_ret = true,
    .ret_type = TCG_TYPE_I64,
    .arg_types = { TCG_TYPE_PTR, TCG_TYPE_I64, TCG_TYPE_I64 },
};
