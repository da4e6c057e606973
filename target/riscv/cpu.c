/*
 * The RISC-V vCPU as accel/tcg sees it: the hooks of the TargetOps tables
 * (reset, TB key, softmmu faults, trap entry, interrupts, state dump;
 * the tables are cpu-system.c's and cpu-user.c's, one per mode) and
 * the configuration entry points boards and main() use (-cpu properties,
 * reset pc, interrupt lines).  Traps go to M-mode, or to S-mode when
 * medeleg/mideleg delegate them and the hart is not in M-mode; interrupts
 * are chosen by the spec's priority order and enable rules.  The MMU and
 * PMP (tlb_fill) live in mmu.c and pmp.c.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <glib.h>

#include "mimic/exec.h"
#include "mimic/log.h"
#include "mimic/rv-disas.h"
#include "internals.h"

/* ---- Configuration ---- */

void riscv_cpu_set_reset_pc(RISCVCPU *cpu, uint64_t pc)
{
    cpu->reset_pc = pc;
    cpu->has_reset_pc = true;
    /* Boards call this after cpu_create() has already reset the CPU. */
    cpu->env.pc = pc;
}

void riscv_cpu_set_time_source(RISCVCPU *cpu, uint64_t (*fn)(void *opaque),
                               void *opaque)
{
    cpu->time_source = fn;
    cpu->time_opaque = opaque;
}

/* ---- Interrupt lines ---- */

void riscv_update_irq_request(RISCVCPU *cpu)
{
    uint64_t pending = __atomic_load_n(&cpu->env.mip, __ATOMIC_ACQUIRE);

    if (pending & cpu->env.mie) {
        cpu_interrupt(&cpu->parent, CPU_INTERRUPT_HARD);
    } else {
        cpu_reset_interrupt(&cpu->parent, CPU_INTERRUPT_HARD);
        /* Another thread (a device, another hart's IPI) may have set a
           bit and raised the request since mip was read: clearing it
           then would lose that interrupt until the next one.  Seen as
           a stalled UART with -smp 2. */
        if (__atomic_load_n(&cpu->env.mip, __ATOMIC_SEQ_CST) & cpu->env.mie)
            cpu_interrupt(&cpu->parent, CPU_INTERRUPT_HARD);
    }
}

void riscv_update_seip(RISCVCPU *cpu)
{
    CPURISCVState *env = &cpu->env;

    if (__atomic_load_n(&env->seip_sw, __ATOMIC_ACQUIRE) |
        __atomic_load_n(&env->seip_line, __ATOMIC_ACQUIRE))
        __atomic_fetch_or(&env->mip, MIP_SEIP, __ATOMIC_ACQ_REL);
    else
        __atomic_fetch_and(&env->mip, ~MIP_SEIP, __ATOMIC_ACQ_REL);
    riscv_update_irq_request(cpu);
}

void riscv_cpu_set_irq(RISCVCPU *cpu, int irq, int level)
{
    uint64_t bit = 1ull << irq;

    if (irq == RV_IRQ_S_EXT) {
        __atomic_store_n(&cpu->env.seip_line, level != 0, __ATOMIC_RELEASE);
        riscv_update_seip(cpu);
        return;
    }
    if (level)
        __atomic_fetch_or(&cpu->env.mip, bit, __ATOMIC_ACQ_REL);
    else
        __atomic_fetch_and(&cpu->env.mip, ~bit, __ATOMIC_ACQ_REL);
    /* CPU_INTERRUPT_HARD stays set while an interrupt is pending and
       enabled in mie; exec_interrupt then applies mstatus.MIE. */
    riscv_update_irq_request(cpu);
}

/* ---- Hooks ---- */

void riscv_reset(CPUState *cs)
{
    RISCVCPU *cpu = RISCV_CPU(cs);
    CPURISCVState *env = &cpu->env;

    if (!cpu->ext)
        riscv_cpu_set_defaults(cpu);
    memset(env, 0, sizeof(*env));
    env->no_pmp = !cpu->pmp;
    env->pc = cpu->has_reset_pc ? cpu->reset_pc : RV_DEFAULT_RESET_PC;
    env->priv = PRV_M;
    env->misa = (2ull << 62) | cpu->ext;   /* MXL = 2: 64-bit */
    env->mhartid = (uint64_t)cs->cpu_index;
    /* MIE and MPRV reset to 0; UXL/SXL are fixed at 64 bits; MPP starts
       at U. */
    env->mstatus = riscv_has_ext(cpu, 'U') ? 2ull << 32 : 0;
    if (riscv_has_ext(cpu, 'S'))
        env->mstatus |= 2ull << 34;
    env->load_res = -1;
    riscv_csr_reset(cpu);
    cs->exception_index = EXCP_NONE;
    cs->halted = false;
    cpu_update_tb_flags(cs);
}

unsigned riscv_mmu_index(const CPURISCVState *env)
{
    uint64_t ms = env->mstatus;
    unsigned priv = (unsigned)env->priv, idx;

    if (priv == PRV_M && (ms & MSTATUS_MPRV))
        priv = (unsigned)((ms & MSTATUS_MPP) >> MSTATUS_MPP_SHIFT);
    if (priv == PRV_M)
        return RV_MMU_M;
    if (priv == PRV_S)
        idx = (ms & MSTATUS_SUM) ? RV_MMU_S_SUM : RV_MMU_S;
    else
        idx = RV_MMU_U;
    return (ms & MSTATUS_MXR) ? idx | RV_MMU_MXR : idx;
}

int riscv_mmu_index_hook(CPUState *cs, bool ifetch)
{
    CPURISCVState *env = &RISCV_CPU(cs)->env;

    /* Fetch: RV_MMU_U/S/M have the PRV_* values; no MPRV, SUM or MXR. */
    return ifetch ? (int)env->priv : (int)riscv_mmu_index(env);
}

void riscv_get_tb_key(CPUState *cs, uint64_t *pc, uint64_t *flags)
{
    CPURISCVState *env = &RISCV_CPU(cs)->env;

    *pc = env->pc;
    *flags = (uint32_t)(env->priv & RV_TB_PRIV_MASK) |
             (riscv_mmu_index(env) << RV_TB_MMU_SHIFT) |
             (uint32_t)((env->mstatus & MSTATUS_FS) >> 13) << RV_TB_FS_SHIFT |
             (((env->fcsr >> 5) & 7) == 0 ? RV_TB_FRM_RNE : 0);
}

void riscv_restore_state(CPUState *cs, uint64_t pc, uint64_t extra)
{
    (void)extra;
    RISCV_CPU(cs)->env.pc = pc;
}

void riscv_transaction_failed(CPUState *cs, uint64_t vaddr,
                                     uint64_t paddr, unsigned size,
                                     MMUAccessType access_type, int mmu_idx,
                                     uintptr_t retaddr)
{
    static const int cause[] = {
        [MMU_DATA_LOAD] = RV_EXCP_LOAD_ACCESS_FAULT,
        [MMU_DATA_STORE] = RV_EXCP_STORE_AMO_ACCESS_FAULT,
        [MMU_INST_FETCH] = RV_EXCP_INST_ACCESS_FAULT,
    };

    RISCVCPU *cpu = RISCV_CPU(cs);

    (void)paddr; (void)size; (void)mmu_idx;
    /* The load half of an SC/AMO faults as the store/AMO it is. */
    if (cpu->env.amo_in_progress) {
        cpu->env.amo_in_progress = false;
        access_type = MMU_DATA_STORE;
    }
    riscv_raise_exception(cpu, cause[access_type], vaddr, retaddr);
}

void riscv_unaligned_access(CPUState *cs, uint64_t vaddr,
                                   MMUAccessType access_type, int mmu_idx,
                                   uintptr_t retaddr)
{
    static const int cause[] = {
        [MMU_DATA_LOAD] = RV_EXCP_LOAD_ADDR_MIS,
        [MMU_DATA_STORE] = RV_EXCP_STORE_AMO_ADDR_MIS,
        [MMU_INST_FETCH] = RV_EXCP_INST_ADDR_MIS,
    };

    RISCVCPU *cpu = RISCV_CPU(cs);

    (void)mmu_idx;
    if (cpu->env.amo_in_progress) {
        cpu->env.amo_in_progress = false;
        access_type = MMU_DATA_STORE;
    }
    riscv_raise_exception(cpu, cause[access_type], vaddr, retaddr);
}

/* mtval for a synchronous exception: the address or insn bits the raiser
   left in badaddr, and 0 for the causes that carry nothing. */
static uint64_t trap_value(const CPURISCVState *env, int cause)
{
    switch (cause) {
    case RV_EXCP_U_ECALL:
    case RV_EXCP_S_ECALL:
    case RV_EXCP_M_ECALL:
        return 0;
    }
    return env->badaddr;
}

/* Trap entry into S-mode (a delegated trap taken in S or U). */
static void riscv_trap_to_s(RISCVCPU *cpu, bool irq, int cause)
{
    CPURISCVState *env = &cpu->env;
    uint64_t ms = env->mstatus;

    env->sepc = env->pc;
    env->scause = (uint64_t)cause | ((uint64_t)irq << 63);
    env->stval = irq ? 0 : trap_value(env, cause);
    ms &= ~(MSTATUS_SPIE | MSTATUS_SPP);
    if (ms & MSTATUS_SIE)
        ms |= MSTATUS_SPIE;
    ms &= ~MSTATUS_SIE;
    if (env->priv == PRV_S)
        ms |= MSTATUS_SPP;
    env->mstatus = ms;
    log_mask(LOG_INT, "riscv: hart %d: %s %d (%s) epc 0x%016" PRIx64
             " tval 0x%016" PRIx64 " priv %d -> S\n", (int)env->mhartid,
             irq ? "interrupt" : "exception", cause, irq ? "async" : "sync",
             env->sepc, env->stval, (int)env->priv);
    env->priv = PRV_S;
    env->pc = env->stvec & ~3ull;
    if (irq && (env->stvec & 3) == 1)
        env->pc += 4ull * (uint64_t)cause;
}

void riscv_do_interrupt(CPUState *cs)
{
    RISCVCPU *cpu = RISCV_CPU(cs);
    CPURISCVState *env = &cpu->env;
    bool irq = (cs->exception_index & RV_IRQ_FLAG) != 0;
    int cause = cs->exception_index & ~RV_IRQ_FLAG;
    uint64_t ms = env->mstatus;
    uint64_t deleg = irq ? env->mideleg : env->medeleg;

    if (env->priv <= PRV_S && cause < 64 && ((deleg >> cause) & 1)) {
        riscv_trap_to_s(cpu, irq, cause);
        env->load_res = -1;
        env->amo_in_progress = false;
        cs->exception_index = EXCP_NONE;
        cpu_update_tb_flags(cs);
        return;
    }
    env->mepc = env->pc;
    env->mcause = (uint64_t)cause | ((uint64_t)irq << 63);
    env->mtval = irq ? 0 : trap_value(env, cause);
    ms &= ~(MSTATUS_MPIE | MSTATUS_MPP);
    if (ms & MSTATUS_MIE)
        ms |= MSTATUS_MPIE;
    ms &= ~MSTATUS_MIE;
    ms |= (env->priv & 3) << MSTATUS_MPP_SHIFT;
    env->mstatus = ms;
    log_mask(LOG_INT, "riscv: hart %d: %s %d (%s) epc 0x%016" PRIx64
             " tval 0x%016" PRIx64 " priv %d -> M\n", (int)env->mhartid,
             irq ? "interrupt" : "exception", cause, irq ? "async" : "sync",
             env->mepc, env->mtval, (int)env->priv);
    env->priv = PRV_M;
    env->pc = env->mtvec & ~3ull;
    if (irq && (env->mtvec & 3) == 1)
        env->pc += 4ull * (uint64_t)cause;
    env->load_res = -1;
    env->amo_in_progress = false;
    cs->exception_index = EXCP_NONE;
    cpu_update_tb_flags(cs);
}

/* The highest-priority interrupt in irqs: MEI, MSI, MTI, SEI, SSI, STI. */
static int highest_irq(uint64_t irqs)
{
    static const int order[] = {
        RV_IRQ_M_EXT, RV_IRQ_M_SOFT, RV_IRQ_M_TIMER,
        RV_IRQ_S_EXT, RV_IRQ_S_SOFT, RV_IRQ_S_TIMER,
    };

    for (unsigned i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
        if (irqs & (1ull << order[i]))
            return order[i];
    }
    return -1;
}

/*
 * The interrupt to take now, or -1.  Interrupts not delegated go to M:
 * enabled below M always, in M with mstatus.MIE.  Delegated ones go to S:
 * enabled in U always, in S with mstatus.SIE, never in M.  M-level ones
 * come first.
 */
int riscv_pending_irq(const CPURISCVState *env)
{
    uint64_t pending = __atomic_load_n(&env->mip, __ATOMIC_ACQUIRE) & env->mie;
    uint64_t ms = env->mstatus;
    bool m_on = env->priv < PRV_M || (ms & MSTATUS_MIE);
    bool s_on = env->priv < PRV_S || (env->priv == PRV_S && (ms & MSTATUS_SIE));
    uint64_t irqs;

    if (!pending)
        return -1;
    irqs = pending & ~env->mideleg;
    if (m_on && irqs)
        return highest_irq(irqs);
    irqs = pending & env->mideleg;
    if (s_on && irqs)
        return highest_irq(irqs);
    return -1;
}

bool riscv_exec_interrupt(CPUState *cs)
{
    int irq = riscv_pending_irq(&RISCV_CPU(cs)->env);

    if (irq < 0)
        return false;
    cs->exception_index = RV_IRQ_FLAG | irq;
    riscv_do_interrupt(cs);
    return true;
}

bool riscv_has_work(CPUState *cs)
{
    CPURISCVState *env = &RISCV_CPU(cs)->env;

    return (__atomic_load_n(&env->mip, __ATOMIC_ACQUIRE) & env->mie) != 0;
}

/*
 * Round-robin scheduling switched to this hart after another one ran:
 * any store the others made to our LR reservation went unseen, so drop
 * it (the next SC fails, which the spec allows at any time).  With this,
 * LR/SC pairs are exact between harts that share one host thread.
 */
void riscv_sched_in(CPUState *cs)
{
    RISCV_CPU(cs)->env.load_res = -1;
}

/* Four registers per line: " x1/ra    0000000000000000 ...". */
static void dump_regs(FILE *f, char prefix, const char *const names[32],
                      const uint64_t regs[32])
{
    for (int i = 0; i < 32; i++) {
        char name[16];

        snprintf(name, sizeof(name), "%c%d/%s", prefix, i, names[i]);
        fprintf(f, " %-8s %016" PRIx64 "%s", name, regs[i],
                (i & 3) == 3 ? "\n" : "");
    }
}

/*
 * -d cpu: the layout of QEMU 7.2's RISC-V dump (without the H extension),
 * field for field, so that scripts/trace-diff.py can compare the two
 * emulators' traces.  CSRs this hart lacks print as 0.  The FP registers
 * follow under -d cpu,fpu when F is present, as in QEMU.
 */
void riscv_dump_state(CPUState *cs, FILE *f)
{
    static const struct { const char *name; unsigned csrno; } csrs[] = {
        { "mhartid", 0xf14 }, { "mstatus", 0x300 }, { "mip", 0x344 },
        { "mie", 0x304 }, { "mideleg", 0x303 }, { "medeleg", 0x302 },
        { "mtvec", 0x305 }, { "stvec", 0x105 }, { "mepc", 0x341 },
        { "sepc", 0x141 }, { "mcause", 0x342 }, { "scause", 0x142 },
        { "mtval", 0x343 }, { "stval", 0x143 }, { "mscratch", 0x340 },
        { "sscratch", 0x140 }, { "satp", 0x180 },
    };
    RISCVCPU *cpu = RISCV_CPU(cs);
    CPURISCVState *env = &cpu->env;

    fprintf(f, " %-8s %016" PRIx64 "\n", "pc", env->pc);
    for (unsigned i = 0; i < sizeof(csrs) / sizeof(csrs[0]); i++) {
        uint64_t val;

        riscv_csr_peek(cpu, csrs[i].csrno, &val);
        fprintf(f, " %-8s %016" PRIx64 "\n", csrs[i].name, val);
    }
    dump_regs(f, 'x', riscv_gpr_names, env->gpr);
    if (log_enabled(LOG_FPU) && riscv_has_ext(cpu, 'F'))
        dump_regs(f, 'f', riscv_fpr_names, env->fpr);
}

bool riscv_in_firmware(CPUState *cs)
{
    return RISCV_CPU(cs)->env.priv == PRV_M;
}

/* M-mode is the firmware; the OS got its first hart once mret or sret
   left M-mode. */
int riscv_firmware_state(CPUState *cs)
{
    const CPURISCVState *env = &RISCV_CPU(cs)->env;

    if (__atomic_load_n(&env->priv, __ATOMIC_RELAXED) != PRV_M)
        return CPU_FW_NONE;
    return __atomic_load_n(&env->os_started, __ATOMIC_RELAXED) ? CPU_FW_CALL
                                                               : CPU_FW_BOOT;
}
