/*
 * x86-64 backend, part 3: guest memory access (qemu_ld/qemu_st) through
 * the softmmu TLB, with the layout of include/mimic/cpu.h.
 *
 * Fast path, inline (f = env->tlb_fast[mmu], the mode's table and mask):
 *   mov  r10, addr ; shr r10, 12 - 5
 *   and  r10, [rbp + f.mask] ; add r10, [rbp + f.table]      (r10 = entry)
 *   lea/mov r11, addr (+ size - align) ; and r11, PAGE_MASK | (align - 1)
 *   cmp  r11, [r10 + addr_read|addr_write] ; jne slow
 *   mov  r10, [r10 + addend] ; mov data, [addr + r10]   (extension per MemOp)
 *   ret:
 * The compare value keeps the low address bits that must be zero, so a
 * misaligned access or one that crosses a page fails the compare.  The
 * table and its size live in env because the C side resizes the TLB.
 *
 * Slow path, after the TB's code: saves the caller-saved registers that
 * hold live values (so globals cached there survive), calls
 * tcg_runtime.ld_slow(env, addr, oi, ra) / st_slow(env, addr, val, oi, ra)
 * with ra = the fast path's "ret" address, extends the loaded value into
 * the output register, restores and jumps back to ret.
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
    int32_t offset;    /* added to addr_reg (user mode's guard) */
    TCGRegSet save;
    uint8_t *jcc_disp; /* the jne's rel32 (RW) */
    uint8_t *jcc_disp2; /* a second jne to the slow path, or NULL */
    uint8_t *raddr;    /* where the slow path returns (RW) */
} TCGLdstLabel;

/* Emits the TLB compare; returns the displacement of the host addend
   from TCG_TMP0, which then points at the entry. */
static intptr_t out_tlb_probe(TCGContext *s, int addr, MemOp mop, unsigned mmu,
                              bool is_ld)
{
    intptr_t fast = tcg_runtime.tlb_fast_offset +
                    (intptr_t)mmu * (intptr_t)sizeof(CPUTLBDescFast);
    unsigned size = memop_size(mop), a = memop_align_bytes(mop);
    intptr_t cmp_off = is_ld ? offsetof(CPUTLBEntry, addr_read)
                             : offsetof(CPUTLBEntry, addr_write);

    tcg_out_mov(s, TCG_TYPE_I64, TCG_TMP0, addr);
    tcg_out_shifti(s, SHIFT_SHR, TCG_TMP0,
                   TARGET_PAGE_BITS - CPU_TLB_ENTRY_BITS, true);
    tcg_out_modrm_offset(s, OPC_ARITH_GvEv + (ARITH_AND << 3) + P_REXW,
                         TCG_TMP0, TCG_AREG0,
                         fast + (intptr_t)offsetof(CPUTLBDescFast, mask));
    tcg_out_modrm_offset(s, OPC_ARITH_GvEv + (ARITH_ADD << 3) + P_REXW,
                         TCG_TMP0, TCG_AREG0,
                         fast + (intptr_t)offsetof(CPUTLBDescFast, table));
    if (size > a)
        tcg_out_modrm_offset(s, OPC_LEA + P_REXW, TCG_TMP1, addr,
                             (intptr_t)(size - a));
    else
        tcg_out_mov(s, TCG_TYPE_I64, TCG_TMP1, addr);
    tcg_out_arithi(s, ARITH_AND, TCG_TMP1,
                   (int64_t)(int32_t)(TARGET_PAGE_MASK | (a - 1)), true);
    tcg_out_modrm_offset(s, OPC_ARITH_GvEv + (ARITH_CMP << 3) + P_REXW,
                         TCG_TMP1, TCG_TMP0, cmp_off);
    return (intptr_t)offsetof(CPUTLBEntry, addend);
}

static TCGLdstLabel *new_ldst_label(TCGContext *s, bool is_ld, TCGType type,
                                    int data, int addr, MemOpIdx oi, int jcc)
{
    TCGLdstLabel *l = tcg_malloc(sizeof(*l));

    l->is_ld = is_ld;
    l->type = type;
    l->oi = oi;
    l->data_reg = data;
    l->addr_reg = addr;
    l->offset = 0;
    l->save = 0;
    l->jcc_disp2 = NULL;
    /* Live values in caller-saved registers survive the slow path's call. */
    for (int r = 0; r < TCG_TARGET_NB_REGS; r++) {
        if (s->reg_to_temp[r] &&
            tcg_regset_test(tcg_target_call_clobber_regs, r) &&
            !(is_ld && r == data))
            l->save |= tcg_regset_bit(r);
    }
    /* jcc slow (rel32, patched when the slow path is placed) */
    tcg_out_opc(s, OPC_JCC_long + jcc, 0, 0, 0);
    l->jcc_disp = s->code_ptr;
    tcg_out32(s, 0);
    l->next = s->ldst_labels;
    s->ldst_labels = l;
    return l;
}

/* Sign or zero extension of a freshly loaded narrow value in reg. */
static void out_ld_extend(TCGContext *s, TCGType type, MemOp mop, int d,
                          int src)
{
    int w = rexw(type);

    switch (mop & (MO_SIZE | MO_SIGN)) {
    case MO_UB:
        tcg_out_ext8u(s, d, src);
        break;
    case MO_SB:
        tcg_out_modrm(s, OPC_MOVSBL + P_REXB_RM + w, d, src);
        break;
    case MO_UW:
        tcg_out_modrm(s, OPC_MOVZWL, d, src);
        break;
    case MO_SW:
        tcg_out_modrm(s, OPC_MOVSWL + w, d, src);
        break;
    case MO_UL:
        tcg_out_modrm(s, OPC_MOVL_GvEv, d, src);
        break;
    case MO_SL:
        tcg_out_modrm(s, type == TCG_TYPE_I64 ? OPC_MOVSLQ : OPC_MOVL_GvEv, d,
                      src);
        break;
    default:
        tcg_out_mov(s, TCG_TYPE_I64, d, src);
        break;
    }
}

/* The loads and stores at [addr + base]. */
static void out_ld_direct(TCGContext *s, TCGType type, MemOp mop, int d,
                          int addr, int base, int32_t off)
{
    int w = rexw(type);
    bool bswap = (mop & MO_BSWAP) && (mop & MO_SIZE) != MO_8;

    if (bswap) {
        /* Load raw, swap, then extend. */
        switch (mop & MO_SIZE) {
        case MO_16:
            tcg_out_modrm_sib_offset(s, OPC_MOVZWL, d, addr, base, 0, off);
            tcg_out_modrm(s, OPC_SHIFT_Ib + P_DATA16, SHIFT_ROL, d);
            tcg_out8(s, 8);
            break;
        case MO_32:
            tcg_out_modrm_sib_offset(s, OPC_MOVL_GvEv, d, addr, base, 0, off);
            tcg_out_opc(s, OPC_BSWAP + (d & 7), 0, d, 0);
            break;
        default:
            tcg_out_modrm_sib_offset(s, OPC_MOVL_GvEv + P_REXW, d, addr,
                                     base, 0, off);
            tcg_out_opc(s, (OPC_BSWAP + (d & 7)) | P_REXW, 0, d, 0);
            return;
        }
        if (mop & MO_SIGN)
            out_ld_extend(s, type, mop, d, d);
        else if ((mop & MO_SIZE) == MO_16)
            tcg_out_modrm(s, OPC_MOVZWL, d, d);
        return;
    }
    switch (mop & (MO_SIZE | MO_SIGN)) {
    case MO_UB:
        tcg_out_modrm_sib_offset(s, OPC_MOVZBL, d, addr, base, 0, off);
        break;
    case MO_SB:
        tcg_out_modrm_sib_offset(s, OPC_MOVSBL + w, d, addr, base, 0, off);
        break;
    case MO_UW:
        tcg_out_modrm_sib_offset(s, OPC_MOVZWL, d, addr, base, 0, off);
        break;
    case MO_SW:
        tcg_out_modrm_sib_offset(s, OPC_MOVSWL + w, d, addr, base, 0, off);
        break;
    case MO_UL:
        tcg_out_modrm_sib_offset(s, OPC_MOVL_GvEv, d, addr, base, 0, off);
        break;
    case MO_SL:
        tcg_out_modrm_sib_offset(
            s, type == TCG_TYPE_I64 ? OPC_MOVSLQ : OPC_MOVL_GvEv, d, addr,
            base, 0, off);
        break;
    default:
        tcg_out_modrm_sib_offset(s, OPC_MOVL_GvEv + P_REXW, d, addr, base,
                                 0, off);
        break;
    }
}

static void out_st_direct(TCGContext *s, MemOp mop, int v, int addr,
                          int base, int32_t off)
{
    static const int opc[4] = {
        OPC_MOVB_EvGv,
        OPC_MOVL_EvGv + P_DATA16,
        OPC_MOVL_EvGv,
        OPC_MOVL_EvGv + P_REXW,
    };
    unsigned sz = mop & MO_SIZE;

    if ((mop & MO_BSWAP) && sz != MO_8) {
        tcg_out_mov(s, TCG_TYPE_I64, TCG_TMP1, v);
        if (sz == MO_16) {
            tcg_out_modrm(s, OPC_SHIFT_Ib + P_DATA16, SHIFT_ROL, TCG_TMP1);
            tcg_out8(s, 8);
        } else {
            tcg_out_opc(
                s, (OPC_BSWAP + (TCG_TMP1 & 7)) | (sz == MO_64 ? P_REXW : 0), 0,
                TCG_TMP1, 0);
        }
        v = TCG_TMP1;
    }
    tcg_out_modrm_sib_offset(s, opc[sz], v, addr, base, 0, off);
}

/*
 * User mode (tcg_runtime.direct): the access is [addr + base], base
 * holding guest_base: TCG_GUEST_BASE_REG, which the prologue loaded, or
 * else TCG_TMP0 loaded here.  The slow path (which raises the guest's
 * fault) takes an address outside the guest's space (at or above
 * 1 << guest_addr_bits: it would reach host memory past the reservation)
 * and a misaligned access whose MemOp wants alignment.  When the
 * reservation starts at exactly 1 << guest_addr_bits, the base register
 * is also the limit:
 *   cmp addr, r15 ; jae slow                     (guest_base == limit)
 *   mov r11, addr ; shr r11, bits ; jne slow    (other guest_base)
 *   test addr32, a - 1 ; jne slow                (if a > 1)
 * With an offset (the op's, under TCGRuntime.guest_guard), addr is the
 * base, checked alone, and the access is [addr + base + offset]: when
 * addr + offset leaves the space from a checked addr, the access lands in
 * a guard and faults.  The slow path adds the offset (its helper does the
 * access whole: a base past the limit may come back inside).  A base that
 * an earlier access of the basic block checked is not checked again
 * (s->ldst_base_checked; why that is safe: regalloc.c, checked_base).
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
        /* An earlier access of the block checked this base (regalloc.c,
           checked_base). */
    } else if (bits && guest_base_in_reg &&
               tcg_runtime.guest_base == 1ull << bits) {
        tcg_out_modrm(s, OPC_ARITH_GvEv + (ARITH_CMP << 3) + P_REXW, addr,
                      TCG_GUEST_BASE_REG);
        l = new_ldst_label(s, is_ld, type, data, addr, oi, JCC_JAE);
    } else if (bits) {
        tcg_out_mov(s, TCG_TYPE_I64, TCG_TMP1, addr);
        tcg_out_shifti(s, SHIFT_SHR, TCG_TMP1, bits, true);
        l = new_ldst_label(s, is_ld, type, data, addr, oi, JCC_JNE);
    }
    if (a > 1) {
        /* test addr32, a - 1 (F7 /0 id) */
        tcg_out_modrm(s, OPC_GRP3_Ev, 0, addr);
        tcg_out32(s, a - 1);
        if (l) {
            /* A second jne to the same slow path. */
            tcg_out_opc(s, OPC_JCC_long + JCC_JNE, 0, 0, 0);
            l->jcc_disp2 = s->code_ptr;
            tcg_out32(s, 0);
        } else {
            l = new_ldst_label(s, is_ld, type, data, addr, oi, JCC_JNE);
        }
    }
    if (!guest_base_in_reg)
        tcg_out_movi(s, TCG_TYPE_I64, TCG_TMP0,
                     (int64_t)tcg_runtime.guest_base);
    return l;
}

/* Where the access goes: *base = the host register to add to addr. */
static TCGLdstLabel *out_host_base(TCGContext *s, bool is_ld, TCGType type,
                                   int data, int addr, MemOpIdx oi, int *base)
{
    MemOp mop = get_memop(oi);
    intptr_t addend;
    TCGLdstLabel *l;

    if (tcg_runtime.direct)
        return out_direct_base(s, is_ld, type, data, addr, oi, base);
    /* (An offset comes only with user mode's guard: tcg-op.c.) */
    addend = out_tlb_probe(s, addr, mop, get_mmuidx(oi), is_ld);
    l = new_ldst_label(s, is_ld, type, data, addr, oi, JCC_JNE);
    tcg_out_modrm_offset(s, OPC_MOVL_GvEv + P_REXW, TCG_TMP0, TCG_TMP0,
                         addend);
    *base = TCG_TMP0;
    return l;
}

/*
 * User mode, a constant guest address (RISC-V's auipc + load, x86's
 * RIP-relative operands, absolute addresses), which the register
 * allocator leaves constant only when it is inside the space (and
 * guest_base is the limit): the access needs no check, as a checked base
 * needs none, the offset taking it at worst into a guard.  It is then
 * [guest_base + disp32] when the sum fits 32 bits, or through TCG_TMP0
 * (returned; *off stays); the one exception is an access that breaks its
 * MemOp's alignment, which goes to the slow path as a register address
 * would (through TCG_TMP0, checked in full).  Which constants qualify:
 * tcg_out_guest_addr_const_ok (tcg/tcg.c).
 */
static int out_const_addr(TCGContext *s, int64_t val, int32_t *off,
                          MemOpIdx oi)
{
    unsigned a = memop_align_bytes(get_memop(oi));
    int64_t ea = val + *off;

    if (a > 1 && (ea & (a - 1))) {
        s->ldst_base_checked = false;
    } else if (fits_s32(ea)) {
        *off = (int32_t)ea;
        return TCG_GUEST_BASE_REG;
    } else {
        s->ldst_base_checked = true;
    }
    tcg_out_movi(s, TCG_TYPE_I64, TCG_TMP0, val);
    return TCG_TMP0;
}

/* qemu_ld data, addr, oi */
void tcg_out_op_qemu_ld(TCGContext *s, const TCGOp *op, const TCGArg *args,
                        const bool *const_args)
{
    int data = (int)args[0], addr = (int)args[1];
    MemOpIdx oi = (MemOpIdx)args[2];
    int32_t off = get_memop_offset(args[2]);
    int base;
    TCGLdstLabel *l;

    if (const_args[1]) {
        addr = out_const_addr(s, (int64_t)args[1], &off, oi);
        if (addr == TCG_GUEST_BASE_REG) {
            out_ld_direct(s, op->type, get_memop(oi), data, addr, -1, off);
            return;
        }
    }
    l = out_host_base(s, true, op->type, data, addr, oi, &base);
    out_ld_direct(s, op->type, get_memop(oi), data, addr, base, off);
    if (l) {
        l->raddr = s->code_ptr;
        l->offset = off;
    }
}

/* qemu_st data, addr, oi */
void tcg_out_op_qemu_st(TCGContext *s, const TCGOp *op, const TCGArg *args,
                        const bool *const_args)
{
    int data = (int)args[0], addr = (int)args[1];
    MemOpIdx oi = (MemOpIdx)args[2];
    int32_t off = get_memop_offset(args[2]);
    int base;
    TCGLdstLabel *l;

    if (const_args[1]) {
        addr = out_const_addr(s, (int64_t)args[1], &off, oi);
        if (addr == TCG_GUEST_BASE_REG) {
            out_st_direct(s, get_memop(oi), data, addr, -1, off);
            return;
        }
    }
    l = out_host_base(s, false, op->type, data, addr, oi, &base);
    out_st_direct(s, get_memop(oi), data, addr, base, off);
    if (l) {
        l->raddr = s->code_ptr;
        l->offset = off;
    }
}

static void out_slow_path(TCGContext *s, TCGLdstLabel *l)
{
    tcg_patch32(l->jcc_disp, (uint32_t)(s->code_ptr - (l->jcc_disp + 4)));
    if (l->jcc_disp2)
        tcg_patch32(l->jcc_disp2,
                    (uint32_t)(s->code_ptr - (l->jcc_disp2 + 4)));
    for (int r = 0; r < TCG_TARGET_NB_REGS; r++)
        if (tcg_regset_test(l->save, r))
            tcg_out_st(s, TCG_TYPE_I64, r, R_RSP, r * 8);
    /* Through the scratch registers: addr/data may sit in argument
       registers.  The helper takes the whole address, offset added. */
    if (l->offset)
        tcg_out_modrm_offset(s, OPC_LEA + P_REXW, TCG_TMP0, l->addr_reg,
                             l->offset);
    else
        tcg_out_mov(s, TCG_TYPE_I64, TCG_TMP0, l->addr_reg);
    if (!l->is_ld)
        tcg_out_mov(s, TCG_TYPE_I64, TCG_TMP1, l->data_reg);
    /* The slow path may raise the guest's fault: env must be whole. */
    tcg_out_pinned_store(s, ~(TCGRegSet)0);
    tcg_out_mov(s, TCG_TYPE_I64, R_RDI, TCG_AREG0);
    tcg_out_mov(s, TCG_TYPE_I64, R_RSI, TCG_TMP0);
    if (l->is_ld) {
        tcg_out_movi(s, TCG_TYPE_I32, R_RDX, l->oi);
        tcg_out_modrm_sib_offset(s, OPC_LEA + P_REXW, R_RCX, -1, -1, 0,
                                 (intptr_t)tcg_rx(s, l->raddr));
        tcg_out_call(s, (const void *)tcg_runtime.ld_slow);
        out_ld_extend(s, l->type, get_memop(l->oi), l->data_reg, R_RAX);
    } else {
        tcg_out_mov(s, TCG_TYPE_I64, R_RDX, TCG_TMP1);
        tcg_out_movi(s, TCG_TYPE_I32, R_RCX, l->oi);
        tcg_out_modrm_sib_offset(s, OPC_LEA + P_REXW, R_R8, -1, -1, 0,
                                 (intptr_t)tcg_rx(s, l->raddr));
        tcg_out_call(s, (const void *)tcg_runtime.st_slow);
    }
    for (int r = 0; r < TCG_TARGET_NB_REGS; r++)
        if (tcg_regset_test(l->save, r))
            tcg_out_ld(s, TCG_TYPE_I64, r, R_RSP, r * 8);
    tcg_out8(s, OPC_JMP_long);
    tcg_out32(s, (uint32_t)(l->raddr - (s->code_ptr + 4)));
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
