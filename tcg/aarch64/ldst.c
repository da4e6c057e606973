/*
 * aarch64 backend, part 3: guest memory access (qemu_ld/qemu_st) through
 * the softmmu TLB, or at guest_base in user mode, with the layout of
 * include/mimic/cpu.h.
 *
 * Fast path, inline (f = env->tlb_fast[mmu], the mode's table and mask):
 *   ldr  x16, [env + f.mask] ; ldr x17, [env + f.table]
 *   and  x16, x16, addr, lsr #(12 - 5) ; add x16, x16, x17   (x16 = entry)
 *   ldr  x17, [x16 + addr_read|addr_write]
 *   add/mov x30, addr (+ size - align) ; and x30, x30, #PAGE_MASK | (align - 1)
 *   cmp  x17, x30 ; b.ne slow
 *   ldr  x16, [x16 + addend] ; ldr data, [addr, x16]   (extension per MemOp)
 *   ret:
 * The compare value keeps the low address bits that must be zero, so a
 * misaligned access or one that crosses a page fails the compare.
 *
 * Slow path, after the TB's code: saves the caller-saved registers that
 * hold live values, calls tcg_runtime.ld_slow(env, addr, oi, ra) /
 * st_slow(env, addr, val, oi, ra) with ra = the fast path's "ret"
 * address, extends the loaded value into the output register, restores
 * and branches back to ret.
 */
#include "emit.h"

#include <stddef.h>

#include "mimic/cpu.h"

_Static_assert(sizeof(CPUTLBEntry) == 1 << CPU_TLB_ENTRY_BITS,
               "the TLB probe scales the index by the entry size");

typedef struct TCGLdstLabel {
    struct TCGLdstLabel *next;
    bool is_ld;
    TCGType type;
    MemOpIdx oi;
    int addr_reg, data_reg;
    int32_t offset;     /* added to addr_reg (user mode's guard) */
    TCGRegSet save;
    uint8_t *branch;    /* the b.cond or cbnz to the slow path (RW) */
    uint8_t *branch2;   /* a second one, or NULL */
    uint8_t *raddr;     /* where the slow path returns (RW) */
} TCGLdstLabel;

/* A branch to a slow path, its target patched when the path is placed:
   b.cond, or (cond < 0) cbnz x<reg>. */
static uint8_t *out_slow_branch(TCGContext *s, int cond, int reg)
{
    uint8_t *p = s->code_ptr;

    if (cond >= 0)
        tcg_out_insn(s, I_BCOND | (uint32_t)cond);
    else
        tcg_out_insn(s, I_CBNZ | 0x80000000u | (uint32_t)reg);
    return p;
}

static TCGLdstLabel *new_ldst_label(TCGContext *s, bool is_ld, TCGType type,
                                    int data, int addr, MemOpIdx oi,
                                    uint8_t *branch)
{
    TCGLdstLabel *l = tcg_malloc(sizeof(*l));

    l->is_ld = is_ld;
    l->type = type;
    l->oi = oi;
    l->data_reg = data;
    l->addr_reg = addr;
    l->offset = 0;
    l->save = 0;
    l->branch = branch;
    l->branch2 = NULL;
    /* Live values in caller-saved registers survive the slow path's call. */
    for (int r = 0; r < TCG_TARGET_NB_REGS; r++) {
        if (s->reg_to_temp[r] &&
            tcg_regset_test(tcg_target_call_clobber_regs, r) &&
            !(is_ld && r == data))
            l->save |= tcg_regset_bit(r);
    }
    l->next = s->ldst_labels;
    s->ldst_labels = l;
    return l;
}

/* Emits the TLB probe and its branch to the slow path; TMP0 then holds
   the host addend. */
static TCGLdstLabel *out_tlb_probe(TCGContext *s, bool is_ld, TCGType type,
                                   int data, int addr, MemOpIdx oi)
{
    MemOp mop = get_memop(oi);
    intptr_t fast = tcg_runtime.tlb_fast_offset +
                    (intptr_t)get_mmuidx(oi) * (intptr_t)sizeof(CPUTLBDescFast);
    unsigned size = memop_size(mop), a = memop_align_bytes(mop);
    intptr_t cmp_off = is_ld ? offsetof(CPUTLBEntry, addr_read)
                             : offsetof(CPUTLBEntry, addr_write);
    TCGLdstLabel *l;

    tcg_out_ldst(s, I_LDRX, TCG_TMP0, TCG_AREG0,
                 fast + (intptr_t)offsetof(CPUTLBDescFast, mask));
    tcg_out_ldst(s, I_LDRX, TCG_TMP1, TCG_AREG0,
                 fast + (intptr_t)offsetof(CPUTLBDescFast, table));
    /* and x16, x16, addr, lsr #(PAGE_BITS - ENTRY_BITS) */
    tcg_out_insn(s, I_AND | sf(true) | 1u << 22 | (uint32_t)addr << 16 |
                        (uint32_t)(TARGET_PAGE_BITS - CPU_TLB_ENTRY_BITS) << 10 |
                        (uint32_t)TCG_TMP0 << 5 | TCG_TMP0);
    tcg_out_insn_rrr(s, I_ADD, true, TCG_TMP0, TCG_TMP0, TCG_TMP1);
    tcg_out_ldst(s, I_LDRX, TCG_TMP1, TCG_TMP0, cmp_off);
    if (size > a)
        tcg_out_addi(s, true, TCG_TMP2, addr, (int64_t)(size - a));
    else
        tcg_out_mov(s, TCG_TYPE_I64, TCG_TMP2, addr);
    tcg_out_logici(s, I_AND, true, TCG_TMP2, TCG_TMP2,
                   (uint64_t)(int64_t)(TARGET_PAGE_MASK | (a - 1)));
    tcg_out_insn_rrr(s, I_SUBS, true, R_ZR, TCG_TMP1, TCG_TMP2);
    l = new_ldst_label(s, is_ld, type, data, addr, oi,
                       out_slow_branch(s, COND_NE, 0));
    tcg_out_ldst(s, I_LDRX, TCG_TMP0, TCG_TMP0,
                 offsetof(CPUTLBEntry, addend));
    return l;
}

/* The load instruction (scaled-offset form) of a MemOp, without swap. */
static uint32_t ld_insn(TCGType type, MemOp mop)
{
    bool w = type == TCG_TYPE_I64;

    switch (mop & (MO_SIZE | MO_SIGN)) {
    case MO_UB: return I_LDRB;
    case MO_SB: return w ? I_LDRSBX : I_LDRSBW;
    case MO_UW: return I_LDRH;
    case MO_SW: return w ? I_LDRSHX : I_LDRSHW;
    case MO_UL: return I_LDRW;
    case MO_SL: return w ? I_LDRSW : I_LDRW;
    default: return I_LDRX;
    }
}

/* Sign or zero extension of a freshly loaded value in src into d. */
static void out_ld_extend(TCGContext *s, TCGType type, MemOp mop, int d,
                          int src)
{
    bool w = type == TCG_TYPE_I64;

    switch (mop & (MO_SIZE | MO_SIGN)) {
    case MO_UB: tcg_out_ext(s, false, d, src, 8, false); break;
    case MO_SB: tcg_out_ext(s, w, d, src, 8, true); break;
    case MO_UW: tcg_out_ext(s, false, d, src, 16, false); break;
    case MO_SW: tcg_out_ext(s, w, d, src, 16, true); break;
    case MO_UL: tcg_out_ext(s, false, d, src, 32, false); break;
    case MO_SL:
        if (w)
            tcg_out_ext(s, true, d, src, 32, true);
        else
            tcg_out_mov(s, type, d, src);
        break;
    default: tcg_out_mov(s, TCG_TYPE_I64, d, src); break;
    }
}

/* An access at [base + index] (index >= 0) or [base + off]. */
static void out_access(TCGContext *s, uint32_t insn, int rt, int base,
                       int index, int32_t off)
{
    if (index >= 0)
        tcg_out_insn(s, LDST_REGOFF(insn) | (uint32_t)index << 16 |
                            (uint32_t)base << 5 | (uint32_t)rt);
    else
        tcg_out_ldst(s, insn, rt, base, off);
}

static void out_rev(TCGContext *s, unsigned sz, int d, int a)
{
    uint32_t insn = sz == MO_16 ? I_REV16 : sz == MO_32 ? I_REV32
                                                        : I_REV64 | sf(true);

    tcg_out_insn(s, insn | (uint32_t)a << 5 | (uint32_t)d);
}

static void out_ld_direct(TCGContext *s, TCGType type, MemOp mop, int d,
                          int base, int index, int32_t off)
{
    unsigned sz = mop & MO_SIZE;

    if ((mop & MO_BSWAP) && sz != MO_8) {
        /* Load raw (zero-extended), swap, then extend. */
        out_access(s, ld_insn(TCG_TYPE_I64, (MemOp)sz), d, base, index, off);
        out_rev(s, sz, d, d);
        if (mop & MO_SIGN)
            out_ld_extend(s, type, mop, d, d);
        return;
    }
    out_access(s, ld_insn(type, mop), d, base, index, off);
}

static void out_st_direct(TCGContext *s, MemOp mop, int v, int base,
                          int index, int32_t off)
{
    static const uint32_t insn[4] = { I_STRB, I_STRH, I_STRW, I_STRX };
    unsigned sz = mop & MO_SIZE;

    if ((mop & MO_BSWAP) && sz != MO_8) {
        out_rev(s, sz, TCG_TMP1, v);
        v = TCG_TMP1;
    }
    out_access(s, insn[sz], v, base, index, off);
}

/*
 * User mode (tcg_runtime.direct): the access is [addr + guest_base] (the
 * base in TCG_GUEST_BASE_REG, or TMP0 loaded here).  The slow path (which
 * raises the guest's fault) takes an address outside the guest's space
 * and a misaligned access whose MemOp wants alignment; when the
 * reservation starts at exactly 1 << guest_addr_bits, the base register
 * is also the limit:
 *   cmp addr, x28 ; b.hs slow                    (guest_base == limit)
 *   lsr x17, addr, #bits ; cbnz x17, slow        (other guest_base)
 *   tst addr, #(a - 1) ; b.ne slow               (if a > 1)
 * With an offset (under TCGRuntime.guest_guard), addr is checked alone
 * and the access is [addr + base + offset], which lands in a guard when
 * it leaves the space (ldst.c of x86_64 says why that is safe), and a
 * base that an earlier access of the basic block checked is not checked
 * again (s->ldst_base_checked).
 */
static TCGLdstLabel *out_direct_base(TCGContext *s, bool is_ld, TCGType type,
                                     int data, int addr, MemOpIdx oi,
                                     int *base)
{
    unsigned a = memop_align_bytes(get_memop(oi));
    unsigned bits = tcg_runtime.guest_addr_bits;
    TCGLdstLabel *l = NULL;

    *base = guest_base_in_reg ? TCG_GUEST_BASE_REG : TCG_TMP0;
    if (s->ldst_base_checked) {
        /* An earlier access of the block checked this base. */
    } else if (bits && guest_base_in_reg &&
               tcg_runtime.guest_base == 1ull << bits) {
        tcg_out_insn_rrr(s, I_SUBS, true, R_ZR, addr, TCG_GUEST_BASE_REG);
        l = new_ldst_label(s, is_ld, type, data, addr, oi,
                           out_slow_branch(s, COND_HS, 0));
    } else if (bits) {
        tcg_out_shifti(s, SH_LSR, true, TCG_TMP1, addr, bits);
        l = new_ldst_label(s, is_ld, type, data, addr, oi,
                           out_slow_branch(s, -1, TCG_TMP1));
    }
    if (a > 1) {
        /* tst addr, #(a - 1) */
        tcg_out_logici(s, I_ANDS, true, R_ZR, addr, a - 1);
        uint8_t *b = out_slow_branch(s, COND_NE, 0);
        if (l)
            l->branch2 = b;
        else
            l = new_ldst_label(s, is_ld, type, data, addr, oi, b);
    }
    if (!guest_base_in_reg)
        tcg_out_movi(s, TCG_TYPE_I64, TCG_TMP0,
                     (int64_t)tcg_runtime.guest_base);
    return l;
}

/*
 * User mode, a constant guest address, which the register allocator
 * leaves constant only when it is inside the space and guest_base is the
 * limit (x86_64's ldst.c says why it needs no check): [x28 + ea], unless
 * the access breaks its MemOp's alignment, which then goes through TMP0
 * and the checks, as a register address would.
 */
static int out_const_addr(TCGContext *s, int64_t val, int32_t *off,
                          MemOpIdx oi)
{
    unsigned a = memop_align_bytes(get_memop(oi));
    int64_t ea = val + *off;

    if (a > 1 && (ea & (a - 1))) {
        s->ldst_base_checked = false;
    } else if (ea == (int32_t)ea) {
        *off = (int32_t)ea;
        return TCG_GUEST_BASE_REG;
    } else {
        s->ldst_base_checked = true;
    }
    tcg_out_movi(s, TCG_TYPE_I64, TCG_TMP0, val);
    return TCG_TMP0;
}

/*
 * Where the access goes: the base register and index (or -1 with the
 * offset in *off) for out_ld_direct/out_st_direct, after the checks.
 */
static TCGLdstLabel *out_host_addr(TCGContext *s, bool is_ld, TCGType type,
                                   int data, int addr, MemOpIdx oi,
                                   int32_t *off, int *base, int *index)
{
    TCGLdstLabel *l;

    if (!tcg_runtime.direct) {
        l = out_tlb_probe(s, is_ld, type, data, addr, oi);
        *base = addr;
        *index = TCG_TMP0;
        return l;
    }
    l = out_direct_base(s, is_ld, type, data, addr, oi, base);
    if (*off) {
        /* [base + (addr + off)], the sum in TMP2: addr stays for the
           slow path, TMP0 may hold it or guest_base, a swapped store
           value goes to TMP1.  The guard is far below the 16 MiB past
           which tcg_out_addi would need TMP2 itself. */
        tcg_out_addi(s, true, TCG_TMP2, addr, *off);
        *index = TCG_TMP2;
    } else {
        *index = *base;
        *base = addr;
    }
    return l;
}

/* qemu_ld data, addr, oi and qemu_st data, addr, oi */
static void out_qemu_ldst(TCGContext *s, const TCGOp *op, const TCGArg *args,
                          const bool *const_args, bool is_ld)
{
    int data = (int)args[0], addr = (int)args[1];
    MemOpIdx oi = (MemOpIdx)args[2];
    MemOp mop = get_memop(oi);
    int32_t off = get_memop_offset(args[2]);
    int base = TCG_GUEST_BASE_REG, index = -1;
    TCGLdstLabel *l = NULL;

    /* A constant address is [x28 + off] as it is, or in TMP0 (checked
       as a register would be); x28 is an ordinary register in system
       mode, so only a constant says which. */
    if (const_args[1])
        addr = out_const_addr(s, (int64_t)args[1], &off, oi);
    if (!const_args[1] || addr != TCG_GUEST_BASE_REG)
        l = out_host_addr(s, is_ld, op->type, data, addr, oi, &off, &base,
                          &index);
    if (is_ld)
        out_ld_direct(s, op->type, mop, data, base, index, off);
    else
        out_st_direct(s, mop, data, base, index, off);
    if (l) {
        l->raddr = s->code_ptr;
        l->offset = off;
    }
}

void tcg_out_op_qemu_ld(TCGContext *s, const TCGOp *op, const TCGArg *args,
                        const bool *const_args)
{
    out_qemu_ldst(s, op, args, const_args, true);
}

void tcg_out_op_qemu_st(TCGContext *s, const TCGOp *op, const TCGArg *args,
                        const bool *const_args)
{
    out_qemu_ldst(s, op, args, const_args, false);
}

/* Points the branch at p (RW) to the code pointer. */
static void patch_slow_branch(TCGContext *s, uint8_t *p)
{
    uint32_t insn;

    __builtin_memcpy(&insn, p, 4);
    insn |= (uint32_t)(((s->code_ptr - p) >> 2) & 0x7ffff) << 5;
    tcg_patch32(p, insn);
}

static void out_slow_path(TCGContext *s, TCGLdstLabel *l)
{
    patch_slow_branch(s, l->branch);
    if (l->branch2)
        patch_slow_branch(s, l->branch2);
    for (int r = 0; r < TCG_TARGET_NB_REGS; r++)
        if (tcg_regset_test(l->save, r))
            tcg_out_st(s, TCG_TYPE_I64, r, R_SP, r * 8);
    /* Through the scratch registers: addr/data may sit in argument
       registers.  The helper takes the whole address, offset added. */
    if (l->offset)
        tcg_out_addi(s, true, TCG_TMP0, l->addr_reg, l->offset);
    else
        tcg_out_mov(s, TCG_TYPE_I64, TCG_TMP0, l->addr_reg);
    if (!l->is_ld)
        tcg_out_mov(s, TCG_TYPE_I64, TCG_TMP1, l->data_reg);
    /* The slow path may raise the guest's fault: env must be whole. */
    tcg_out_pinned_store(s, ~(TCGRegSet)0);
    tcg_out_mov(s, TCG_TYPE_I64, R_X0, TCG_AREG0);
    tcg_out_mov(s, TCG_TYPE_I64, R_X1, TCG_TMP0);
    if (l->is_ld) {
        tcg_out_movi(s, TCG_TYPE_I32, R_X2, l->oi);
        tcg_out_movi(s, TCG_TYPE_I64, R_X3, (int64_t)tcg_rx(s, l->raddr));
        tcg_out_call(s, (const void *)tcg_runtime.ld_slow);
        out_ld_extend(s, l->type, get_memop(l->oi), l->data_reg, R_X0);
    } else {
        tcg_out_mov(s, TCG_TYPE_I64, R_X2, TCG_TMP1);
        tcg_out_movi(s, TCG_TYPE_I32, R_X3, l->oi);
        tcg_out_movi(s, TCG_TYPE_I64, R_X4, (int64_t)tcg_rx(s, l->raddr));
        tcg_out_call(s, (const void *)tcg_runtime.st_slow);
    }
    for (int r = 0; r < TCG_TARGET_NB_REGS; r++)
        if (tcg_regset_test(l->save, r))
            tcg_out_ld(s, TCG_TYPE_I64, r, R_SP, r * 8);
    tcg_out_insn(s, I_B | (uint32_t)(((l->raddr - s->code_ptr) >> 2) &
                                     0x3ffffff));
}

bool tcg_out_ldst_finalize(TCGContext *s)
{
    for (TCGLdstLabel *l = s->ldst_labels; l; l = l->next) {
        if (s->code_ptr > s->code_gen_highwater)
            return false;
        out_slow_path(s, l);
        s->stat_slow_paths++;
    }
    return s->code_ptr <= s->code_gen_highwater;
}

/* No inline IEEE ops yet: front ends call their helpers
   (tcg_have_fp_arith). */
bool tcg_out_fp_finalize(TCGContext *s)
{
    return s->code_ptr <= s->code_gen_highwater;
}
