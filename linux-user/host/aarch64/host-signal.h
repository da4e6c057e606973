/*
 * What linux-user/signal.c reads from (and changes in) an aarch64 host's
 * signal frame: the interrupted pc, the general registers in the host
 * backend's numbering (x0..x30, then sp: tcg_pinned_from_host), whether
 * a fault was a write, and the interrupted FP state.
 *
 * Whether a fault wrote comes from the ESR record the kernel adds to the
 * frame for data aborts (its WnR bit); without one (an emulator's frame
 * may lack it) the faulting instruction itself says, decoded as the
 * Arm ARM's load/store encoding classes.
 */
#ifndef LINUX_USER_HOST_SIGNAL_H
#define LINUX_USER_HOST_SIGNAL_H

#include <asm/sigcontext.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <ucontext.h>

#include "mimic/host-fp.h"

#define HOST_NB_REGS 32

static inline uintptr_t host_signal_pc(const ucontext_t *uc)
{
    return (uintptr_t)uc->uc_mcontext.pc;
}

static inline void host_signal_set_pc(ucontext_t *uc, uintptr_t pc)
{
    uc->uc_mcontext.pc = pc;
}

static inline void host_signal_regs(const ucontext_t *uc,
                                    uint64_t regs[HOST_NB_REGS])
{
    for (int i = 0; i < 31; i++)
        regs[i] = uc->uc_mcontext.regs[i];
    regs[31] = uc->uc_mcontext.sp;
}

/* The record with this magic in the frame's extension area, or NULL. */
static inline const struct _aarch64_ctx *
host_signal_record(const ucontext_t *uc, uint32_t magic)
{
    const uint8_t *p = (const uint8_t *)uc->uc_mcontext.__reserved;
    const uint8_t *end = p + sizeof(uc->uc_mcontext.__reserved);

    while (p + sizeof(struct _aarch64_ctx) <= end) {
        const struct _aarch64_ctx *h = (const struct _aarch64_ctx *)p;
        if (h->magic == 0 || h->size < sizeof(*h) || h->size > end - p)
            return NULL;
        if (h->magic == magic)
            return h;
        p += h->size;
    }
    return NULL;
}

/* Does the load/store instruction insn write memory? */
static inline bool host_insn_writes(uint32_t insn)
{
    /* Exclusive and ordered (LDXR/STXR, LDAR/STLR, CAS): bits 29:24 =
       001000, L (bit 22) clear for stores; CAS (bit 23 set, bit 21
       set) reads and writes. */
    if ((insn & 0x3f000000u) == 0x08000000u)
        return !(insn & (1u << 22)) || (insn & 0x00a00000u) == 0x00a00000u;
    /* Pairs (STP/LDP, STNP/LDNP, all index forms): bits 29:27 = 101. */
    if ((insn & 0x38000000u) == 0x28000000u)
        return !(insn & (1u << 22));
    /* One register: bits 29:27 = 111. */
    if ((insn & 0x38000000u) == 0x38000000u) {
        unsigned opc = (insn >> 22) & 3;
        /* Atomic memory operations (LDADD, SWP...) read and write. */
        if ((insn & 0x3b200c00u) == 0x38200000u)
            return true;
        /* SIMD&FP registers (bit 26): opc 00 and 10 store. */
        if (insn & (1u << 26))
            return (opc & 1) == 0;
        return opc == 0;
    }
    return false;
}

static inline bool host_signal_write(const ucontext_t *uc)
{
    const struct _aarch64_ctx *h = host_signal_record(uc, ESR_MAGIC);
    uint32_t insn;

    if (h) {
        uint64_t esr = ((const struct esr_context *)h)->esr;
        unsigned ec = (unsigned)(esr >> 26) & 0x3f;
        /* Data aborts: WnR, unless a cache maintenance op (CM). */
        if (ec == 0x24 || ec == 0x25)
            return (esr & (1u << 6)) && !(esr & (1u << 8));
    }
    memcpy(&insn, (const void *)uc->uc_mcontext.pc, sizeof(insn));
    return host_insn_writes(insn);
}

/* The FP state the interrupted code had (its flags are the guest's, not
   yet folded). */
static inline void host_signal_fp_restore(const ucontext_t *uc)
{
    const struct _aarch64_ctx *h = host_signal_record(uc, FPSIMD_MAGIC);

    if (h) {
        const struct fpsimd_context *f = (const struct fpsimd_context *)h;
        host_fp_restore((HostFPEnv){ .fpcr = f->fpcr, .fpsr = f->fpsr });
    }
}

#endif
