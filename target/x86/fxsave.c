/*
 * The FXSAVE image: the x87, MMX and SSE state in the 512-byte layout of
 * FXSAVE and FXRSTOR (Intel SDM vol. 1, 10.5.1), built and read in one
 * place so that the instructions and Linux's signal frames (whose
 * fpstate has the same layout, linux-user/x86_64/signal.c) cannot
 * disagree.  FXSAVE writes bytes
 * 0-415 and leaves 416-511 alone; the ST(i) slots hold the registers in
 * stack order, ST(0) first, 10 bytes and 6 zero bytes each, so MMn
 * (physical register n) is in slot (n - TOP) & 7.
 *
 * The last instruction's pointers (FIP, FDP, FOP) are stored always, as
 * Intel's SDM says; AMD CPUs store zeros for them unless an unmasked
 * exception is pending (FSW.ES), tests/user/x86_64/mmx.c masks them then.
 * Without REX.W, FIP and FDP are 32 bits with the selectors FCS and FDS
 * after them (x87_helper.c records them), which FXRSTOR loads too;
 * FXRSTOR64 zeroes them, as this AMD host does.
 */
#include <string.h>

#include "mimic/exec.h"
#include "helper.h"

static void put_le(uint8_t *p, uint64_t v, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static uint64_t get_le(const uint8_t *p, unsigned n)
{
    uint64_t v = 0;

    for (unsigned i = 0; i < n; i++)
        v |= (uint64_t)p[i] << (8 * i);
    return v;
}

void x86_fxsave_image(const CPUX86State *env, uint8_t *img, bool rex_w)
{
    memset(img, 0, X86_FXSAVE_WRITTEN);
    put_le(img, env->fpcw, 2);
    put_le(img + 2, x87_status_word(env), 2);
    img[4] = (uint8_t)~env->fpempty;         /* the abridged tag: 1 valid */
    put_le(img + 6, env->fpop & 0x7ff, 2);
    if (rex_w) {
        put_le(img + 8, env->fpip, 8);
        put_le(img + 16, env->fpdp, 8);
    } else {
        put_le(img + 8, env->fpip, 4);
        put_le(img + 12, env->fpcs, 2);
        put_le(img + 16, env->fpdp, 4);
        put_le(img + 20, env->fpds, 2);
    }
    put_le(img + 24, env->mxcsr, 4);
    put_le(img + 28, X86_MXCSR_WRITABLE, 4);
    for (int i = 0; i < 8; i++) {
        const FloatX80 *r = &env->fpregs[(env->fptop + i) & 7];

        put_le(img + 32 + 16 * i, r->sig, 8);
        put_le(img + 40 + 16 * i, r->se, 2);
    }
    for (int i = 0; i < 16; i++)
        memcpy(img + 160 + 16 * i, env->xmm[i].b, 16);
}

bool x86_fxrstor_image(X86CPU *cpu, const uint8_t *img, bool rex_w)
{
    CPUX86State *env = &cpu->env;
    uint32_t mxcsr = (uint32_t)get_le(img + 24, 4);
    uint16_t sw = (uint16_t)get_le(img + 2, 2);

    if (mxcsr & ~X86_MXCSR_WRITABLE)
        return false;
    x86_set_mxcsr(cpu, mxcsr);
    env->fptop = sw >> 11 & 7;
    env->fpsw = sw & ~0x3800;
    env->fpempty = (uint8_t)~img[4];
    env->fpop = (uint16_t)(get_le(img + 6, 2) & 0x7ff);
    env->fpip = get_le(img + 8, rex_w ? 8 : 4);
    env->fpdp = get_le(img + 16, rex_w ? 8 : 4);
    /* REX.W's layout has no selectors: FXRSTOR64 zeroes them (the
       host does; so does Linux's XRSTOR64 at each context switch). */
    env->fpcs = rex_w ? 0 : (uint16_t)get_le(img + 12, 2);
    env->fpds = rex_w ? 0 : (uint16_t)get_le(img + 20, 2);
    for (int i = 0; i < 8; i++) {
        FloatX80 *r = &env->fpregs[(env->fptop + i) & 7];

        r->sig = get_le(img + 32 + 16 * i, 8);
        r->se = (uint16_t)get_le(img + 40 + 16 * i, 2);
    }
    for (int i = 0; i < 16; i++)
        memcpy(env->xmm[i].b, img + 160 + 16 * i, 16);
    /* As FLDCW: bit 6 reads as 1, ES and B say whether an exception the
       new mask leaves unmasked is pending. */
    helper_x87_fldcw(cpu, get_le(img, 2));
    return true;
}

void x86_fpu_init_state(X86CPU *cpu)
{
    CPUX86State *env = &cpu->env;

    x87_reset(env);
    memset(env->fpregs, 0, sizeof(env->fpregs));
    memset(env->xmm, 0, sizeof(env->xmm));
    x86_set_mxcsr(cpu, X86_MXCSR_RESET);
}

/* #GP(0) unless the image is 16-byte aligned. */
static void check_aligned(X86CPU *cpu, uint64_t addr, uintptr_t ra)
{
    if (addr & 15) {
        cpu->parent.exception_index = X86_EXCP_GP;
        cpu->env.error_code = 0;
        cpu_loop_exit_restore(&cpu->parent, ra);
    }
}

/* The whole 512 bytes are checked first, as the CPU does: a save whose
   unwritten tail is on an unmapped page faults and writes nothing. */
void helper_fxsave(X86CPU *cpu, uint64_t addr, uint32_t rex_w)
{
    uintptr_t ra = GETPC();
    MemOpIdx q = make_memop_idx(MO_UQ, 0);
    uint8_t img[X86_FXSAVE_SIZE];

    check_aligned(cpu, addr, ra);
    probe_access(&cpu->parent, addr, X86_FXSAVE_SIZE, MMU_DATA_STORE, 0, ra);
    x86_fold_host_fp_exc(cpu);
    x86_fxsave_image(&cpu->env, img, rex_w != 0);
    for (unsigned i = 0; i < X86_FXSAVE_WRITTEN; i += 8)
        cpu_st_mmu(&cpu->parent, addr + i, get_le(img + i, 8), q, ra);
}

void helper_fxrstor(X86CPU *cpu, uint64_t addr, uint32_t rex_w)
{
    uintptr_t ra = GETPC();
    MemOpIdx q = make_memop_idx(MO_UQ, 0);
    uint8_t img[X86_FXSAVE_SIZE];

    check_aligned(cpu, addr, ra);
    probe_access(&cpu->parent, addr, X86_FXSAVE_SIZE, MMU_DATA_LOAD, 0, ra);
    for (unsigned i = 0; i < X86_FXSAVE_WRITTEN; i += 8)
        put_le(img + i, cpu_ld_mmu(&cpu->parent, addr + i, q, ra), 8);
    /* The flags raised so far are the old MXCSR's: the image replaces
       them, or stays out with them kept (#GP). */
    x86_fold_host_fp_exc(cpu);
    if (!x86_fxrstor_image(cpu, img, rex_w != 0)) {
        cpu->parent.exception_index = X86_EXCP_GP;
        cpu->env.error_code = 0;
        cpu_loop_exit_restore(&cpu->parent, ra);
    }
}
