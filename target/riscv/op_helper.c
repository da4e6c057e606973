/*
 * Run-time helpers of translated RISC-V code: raising exceptions, mret,
 * sret, wfi, sfence.vma, and the atomic memory operations (SC and AMOs).  The atomics probe
 * the TLB for a store (which also raises the guest's fault) and then work
 * on the host pointer with __atomic builtins, so they are atomic with
 * respect to other vCPU threads; MMIO (no host pointer) falls back to a
 * load and a store through the softmmu.  Each helper is declared, with the
 * flags that describe it to the IR, in helper.def.
 */
#include <inttypes.h>

#include "mimic/exec.h"
#include "mimic/log.h"
#include "helper.h"
#include "internals.h"

_Noreturn void riscv_raise_exception(RISCVCPU *cpu, int cause, uint64_t tval,
                                     uintptr_t ra)
{
    CPUState *cs = &cpu->parent;

    cs->exception_index = cause;
    cpu->env.badaddr = tval;
    cpu_loop_exit_restore(cs, ra);
}

_Noreturn void helper_raise_exception(RISCVCPU *cpu, uint64_t cause,
                                      uint64_t tval)
{
    riscv_raise_exception(cpu, (int)cause, tval, GETPC());
}

/* ---- mret, sret, wfi, sfence.vma ---- */

uint64_t helper_mret(RISCVCPU *cpu)
{
    CPURISCVState *env = &cpu->env;
    uint64_t ms = env->mstatus;
    int mpp = (int)((ms & MSTATUS_MPP) >> MSTATUS_MPP_SHIFT);

    ms &= ~(MSTATUS_MIE | MSTATUS_MPP);
    if (ms & MSTATUS_MPIE)
        ms |= MSTATUS_MIE;
    ms |= MSTATUS_MPIE;
    /* MPP becomes the least-privileged mode: U (M-only harts keep M). */
    if (!riscv_has_ext(cpu, 'U'))
        ms |= (uint64_t)PRV_M << MSTATUS_MPP_SHIFT;
    if (mpp != PRV_M)
        ms &= ~MSTATUS_MPRV;
    env->mstatus = ms;
    env->priv = mpp;
    env->load_res = -1;
    cpu_update_tb_flags(&cpu->parent);
    /* The TB goes on through the jump cache: leave for the loop if an
       interrupt can be taken in the new mode. */
    if (riscv_pending_irq(env) >= 0)
        cpu_exit(&cpu->parent);
    if (mpp != PRV_M) {
        log_mask(LOG_INT, "riscv: hart %d: mret to 0x%016" PRIx64 " priv %d\n",
                 (int)env->mhartid, env->mepc, mpp);
        /* Back to the OS: harts held at the firmware gate (accel/tcg)
           may go on once the loop sees it. */
        __atomic_store_n(&env->os_started, true, __ATOMIC_RELAXED);
        if (cpu->parent.fw_in_call)
            cpu_exit(&cpu->parent);
    }
    return riscv_has_ext(cpu, 'C') ? env->mepc : env->mepc & ~3ull;
}

/*
 * sret from S-mode (the translator rejects it in U-mode) traps when
 * mstatus.TSR is set.  It returns to SPP with SIE = SPIE, SPIE = 1,
 * SPP = U, and (1.12) clears MPRV, since the new mode is below M.
 */
uint64_t helper_sret(RISCVCPU *cpu)
{
    CPURISCVState *env = &cpu->env;
    uint64_t ms = env->mstatus;

    if (env->priv == PRV_S && (ms & MSTATUS_TSR))
        riscv_raise_exception(cpu, RV_EXCP_ILLEGAL_INST, env->bins, GETPC());
    env->priv = (ms & MSTATUS_SPP) ? PRV_S : PRV_U;
    __atomic_store_n(&env->os_started, true, __ATOMIC_RELAXED);
    ms &= ~(MSTATUS_SIE | MSTATUS_SPP | MSTATUS_MPRV);
    if (ms & MSTATUS_SPIE)
        ms |= MSTATUS_SIE;
    ms |= MSTATUS_SPIE;
    env->mstatus = ms;
    env->load_res = -1;
    cpu_update_tb_flags(&cpu->parent);
    if (riscv_pending_irq(env) >= 0)
        cpu_exit(&cpu->parent);
    return riscv_has_ext(cpu, 'C') ? env->sepc : env->sepc & ~3ull;
}

/*
 * sfence.vma: illegal in S-mode with mstatus.TVM (U-mode is rejected at
 * translation).  which: bit 0 set when rs1 != x0 (one page: its entries
 * go in every MMU index), bit 1 when rs2 != x0 (one ASID: global mappings
 * stay).  Our TLB does not tag entries with ASIDs, so the ASID operand
 * otherwise narrows nothing: every form flushes at least what the spec
 * requires.
 */
void helper_sfence_vma(RISCVCPU *cpu, uint64_t addr, uint64_t which)
{
    CPURISCVState *env = &cpu->env;
    uint16_t idxmap = (uint16_t)~((1u << RV_MMU_M) |
                                  (1u << (RV_MMU_M | RV_MMU_MXR)));

    if (env->priv == PRV_S && (env->mstatus & MSTATUS_TVM))
        riscv_raise_exception(cpu, RV_EXCP_ILLEGAL_INST, env->bins, GETPC());
    if ((which & 3) == 3)
        tlb_flush_page_nonglobal(&cpu->parent, addr);  /* one ASID */
    else if (which & 1)
        tlb_flush_page(&cpu->parent, addr);
    else if (which & 2)
        tlb_flush_by_mmuidx_nonglobal(&cpu->parent, idxmap);
    else
        tlb_flush_by_mmuidx(&cpu->parent, idxmap);
}

/*
 * WFI may stall forever, so a less-privileged mode may not use it when
 * mstatus.TW is set; and once S-mode exists U-mode never may.  With a
 * locally enabled interrupt pending it completes at once (whatever MIE).
 */
void helper_wfi(RISCVCPU *cpu)
{
    CPURISCVState *env = &cpu->env;
    CPUState *cs = &cpu->parent;

    if (env->priv < PRV_M &&
        ((env->mstatus & MSTATUS_TW) ||
         (env->priv == PRV_U && riscv_has_ext(cpu, 'S')))) {
        riscv_raise_exception(cpu, RV_EXCP_ILLEGAL_INST, env->bins, GETPC());
    }
    if (__atomic_load_n(&env->mip, __ATOMIC_ACQUIRE) & env->mie)
        return;
    cs->halted = true;
    cs->exception_index = EXCP_HLT;
    cpu_loop_exit(cs);
}

/* ---- Atomics ---- */

static void check_amo_alignment(RISCVCPU *cpu, uint64_t addr, unsigned size,
                                uintptr_t ra)
{
    if (addr & (size - 1))
        riscv_raise_exception(cpu, RV_EXCP_STORE_AMO_ADDR_MIS, addr, ra);
}

static MemOpIdx amo_oi(RISCVCPU *cpu, unsigned size)
{
    MemOp mop = (size == 8 ? MO_UQ : MO_UL) | MO_ALIGN;

    return make_memop_idx(mop, riscv_mmu_index(&cpu->env));
}

uint64_t helper_sc(RISCVCPU *cpu, uint64_t addr, uint64_t val, uint64_t size)
{
    CPURISCVState *env = &cpu->env;
    uintptr_t ra = GETPC();
    uint64_t expected = env->load_val;
    bool ok;
    void *host;

    check_amo_alignment(cpu, addr, (unsigned)size, ra);
    host = probe_access(&cpu->parent, addr, (int)size, MMU_DATA_STORE,
                        (int)riscv_mmu_index(env), ra);
    if (env->load_res != addr) {
        env->load_res = -1;
        return 1;
    }
    env->load_res = -1;
    if (host && size == 8) {
        ok = __atomic_compare_exchange_n((uint64_t *)host, &expected, val,
                                         false, __ATOMIC_SEQ_CST,
                                         __ATOMIC_SEQ_CST);
    } else if (host) {
        uint32_t exp32 = (uint32_t)expected;

        ok = __atomic_compare_exchange_n((uint32_t *)host, &exp32,
                                         (uint32_t)val, false,
                                         __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
    } else {
        MemOpIdx oi = amo_oi(cpu, (unsigned)size);
        uint64_t mask = size == 8 ? ~0ull : 0xffffffffull;

        env->amo_in_progress = true;
        ok = ((cpu_ld_mmu(&cpu->parent, addr, oi, ra) ^ expected) & mask) == 0;
        env->amo_in_progress = false;
        if (ok)
            cpu_st_mmu(&cpu->parent, addr, val, oi, ra);
    }
    return ok ? 0 : 1;
}

/* The new memory value of an AMO, computed in 64 bits on values that are
   sign-extended from the access size (so MIN/MAX compare correctly). */
static uint64_t amo_compute(unsigned op, uint64_t old, uint64_t val)
{
    switch (op) {
    case RV_AMO_SWAP: return val;
    case RV_AMO_ADD: return old + val;
    case RV_AMO_XOR: return old ^ val;
    case RV_AMO_AND: return old & val;
    case RV_AMO_OR: return old | val;
    case RV_AMO_MIN: return (int64_t)old < (int64_t)val ? old : val;
    case RV_AMO_MAX: return (int64_t)old > (int64_t)val ? old : val;
    case RV_AMO_MINU: return old < val ? old : val;
    case RV_AMO_MAXU: return old > val ? old : val;
    }
    return old;
}

static uint64_t amo_extend(uint64_t v, unsigned size, unsigned op)
{
    if (size == 8)
        return v;
    if (op == RV_AMO_MINU || op == RV_AMO_MAXU)
        return (uint32_t)v;
    return (uint64_t)(int64_t)(int32_t)v;
}

static uint64_t amo_host(void *host, unsigned op, unsigned size, uint64_t val)
{
    if (size == 8) {
        uint64_t *p = host, old = __atomic_load_n(p, __ATOMIC_RELAXED);

        while (!__atomic_compare_exchange_n(p, &old, amo_compute(op, old, val),
                                            true, __ATOMIC_SEQ_CST,
                                            __ATOMIC_RELAXED)) {
        }
        return old;
    } else {
        uint32_t *p = host, old = __atomic_load_n(p, __ATOMIC_RELAXED);
        uint64_t v = amo_extend(val, 4, op);

        while (!__atomic_compare_exchange_n(
                   p, &old, (uint32_t)amo_compute(op, amo_extend(old, 4, op), v),
                   true, __ATOMIC_SEQ_CST, __ATOMIC_RELAXED)) {
        }
        return old;
    }
}

uint64_t helper_amo(RISCVCPU *cpu, uint64_t addr, uint64_t val, uint64_t opsz)
{
    unsigned op = (unsigned)opsz & RV_AMO_OP_MASK;
    unsigned size = (unsigned)opsz & 0xf;
    uintptr_t ra = GETPC();
    uint64_t old;
    void *host;

    check_amo_alignment(cpu, addr, size, ra);
    host = probe_access(&cpu->parent, addr, (int)size, MMU_DATA_STORE,
                        (int)riscv_mmu_index(&cpu->env), ra);
    if (host) {
        old = amo_host(host, op, size, val);
    } else {
        MemOpIdx oi = amo_oi(cpu, size);

        cpu->env.amo_in_progress = true;
        old = cpu_ld_mmu(&cpu->parent, addr, oi, ra);
        cpu->env.amo_in_progress = false;
        cpu_st_mmu(&cpu->parent, addr,
                   amo_compute(op, amo_extend(old, size, op),
                               amo_extend(val, size, op)), oi, ra);
    }
    return size == 8 ? old : (uint64_t)(int64_t)(int32_t)old;
}
