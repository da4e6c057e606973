/*
 * The x86-64 translator: turns the guest instructions of one TB into IR.
 * x86_translate() runs the generic translator loop (mimic/translator.h)
 * with x86's hooks: translate_insn fetches the insn byte by byte as the
 * decoder (decode.c) asks for more, then dispatches on the table entry's
 * mnemonic through a hash built once at tcg_init (the mnemonic names one
 * gen_* function and its argument: "add" is gen_alu(ALU_ADD), "jne" is
 * gen_jcc(CC_NE)).  Operands are read and written through the entry's
 * operand forms (Ev, Gb, Iz, ...), so one gen_* serves every encoding of
 * an instruction.  EFLAGS is lazy (translate.h): flag-setting insns leave
 * cc_op and its operands in globals, and Jcc/SETcc/CMOVcc test them
 * inline after CMP, SUB, TEST, logic ops and ADD, calling the C helper
 * only for the rest.  The string insns and the bit, multiply and
 * exchange groups are in translate-ops.c.  docs/devel/x86.md says more.
 */
#include <stddef.h>

#include <glib.h>

#include "mimic/log.h"
#include "translate-internal.h"

TCGv_i64 cpu_regs[16];
TCGv_i64 cpu_rip, cpu_cc_dst, cpu_cc_src, cpu_cc_src2;
TCGv_i32 cpu_cc_op;

static GHashTable *insn_gens;

/* ---- Temps: freed after each insn ---- */

TCGv_i64 tmp(DisasContext *ctx)
{
    TCGv_i64 t = tcg_temp_new_i64();

    g_assert(ctx->ntmps < (int)G_N_ELEMENTS(ctx->tmps));
    ctx->tmps[ctx->ntmps++] = t;
    return t;
}

static void free_tmps(DisasContext *ctx)
{
    for (int i = 0; i < ctx->ntmps; i++)
        tcg_temp_free_i64(ctx->tmps[i]);
    ctx->ntmps = 0;
}

/* ---- Registers ---- */

/* AH, CH, DH, BH: byte registers 4-7 without a REX prefix. */
static bool is_high_byte(DisasContext *ctx, int r, unsigned bits)
{
    return bits == 8 && !ctx->insn.has_rex && r >= 4 && r < 8;
}

void gen_ext(TCGv_i64 dst, TCGv_i64 v, unsigned bits, bool sign)
{
    switch (bits) {
    case 8:
        sign ? tcg_gen_ext8s_i64(dst, v) : tcg_gen_ext8u_i64(dst, v);
        break;
    case 16:
        sign ? tcg_gen_ext16s_i64(dst, v) : tcg_gen_ext16u_i64(dst, v);
        break;
    case 32:
        sign ? tcg_gen_ext32s_i64(dst, v) : tcg_gen_ext32u_i64(dst, v);
        break;
    default:
        tcg_gen_mov_i64(dst, v);
    }
}

void gen_read_reg(DisasContext *ctx, TCGv_i64 dst, int r, unsigned bits)
{
    if (is_high_byte(ctx, r, bits)) {
        tcg_gen_shri_i64(dst, cpu_regs[r - 4], 8);
        tcg_gen_ext8u_i64(dst, dst);
        return;
    }
    gen_ext(dst, cpu_regs[r], bits, false);
}

/* The register that a write of bits to register number r changes. */
static int reg_written(DisasContext *ctx, int r, unsigned bits)
{
    return is_high_byte(ctx, r, bits) ? r - 4 : r;
}

/*
 * out = the whole 64-bit register reg_written(r) after writing v with
 * bits as x86 does: 8 and 16 bits merge into the old value (AH..BH are
 * bits 15:8 of rAX..rBX), 32 bits zero-extend, 64 bits replace.
 */
static void gen_merge_reg(DisasContext *ctx, TCGv_i64 out, int r,
                          unsigned bits, TCGv_i64 v)
{
    int dst = reg_written(ctx, r, bits);
    unsigned shift = dst != r ? 8 : 0;
    uint64_t mask = (bits == 8 ? 0xffull : 0xffffull) << shift;
    TCGv_i64 t;

    if (bits >= 32) {
        gen_ext(out, v, bits, false);
        return;
    }
    t = tmp(ctx);
    gen_ext(t, v, bits, false);
    if (shift)
        tcg_gen_shli_i64(t, t, shift);
    tcg_gen_andi_i64(out, cpu_regs[dst], (int64_t)~mask);
    tcg_gen_or_i64(out, out, t);
}

void gen_write_reg(DisasContext *ctx, int r, unsigned bits, TCGv_i64 v)
{
    gen_merge_reg(ctx, cpu_regs[reg_written(ctx, r, bits)], r, bits, v);
}

/* Writes v to register r only where cond holds for (a, b): the others
   keep their whole 64 bits (CMOVcc's false case on 32 bits does clear
   the top half; callers that need that pass the value anyway). */
static void gen_write_reg_if(DisasContext *ctx, TCGCond cond, TCGv_i64 a,
                             TCGv_i64 b, int r, unsigned bits, TCGv_i64 v)
{
    int dst = reg_written(ctx, r, bits);
    TCGv_i64 t = tmp(ctx);

    gen_merge_reg(ctx, t, r, bits, v);
    tcg_gen_movcond_i64(cond, cpu_regs[dst], a, b, t, cpu_regs[dst]);
}

/* ---- Operands ---- */

unsigned op_bits(DisasContext *ctx, int i)
{
    const X86OpSpec *op = &ctx->insn.info->op[i];
    unsigned os = ctx->insn.opsize;

    switch (op->size) {
    case X86_SZ_B: case X86_SZ_BS: return 8;
    case X86_SZ_W: return 16;
    case X86_SZ_D: return 32;
    case X86_SZ_Q: return 64;
    case X86_SZ_Z: return os == 16 ? 16 : 32;
    case X86_SZ_Y: return os == 64 ? 64 : 32;
    default: return os;
    }
}

MemOp mo_bits(unsigned bits)
{
    return MO_LE | (bits == 8 ? MO_8 : bits == 16 ? MO_16 :
                    bits == 32 ? MO_32 : MO_64);
}

/* The register an E, G, Z or REG operand names. */
static int op_reg(DisasContext *ctx, const X86OpSpec *op)
{
    const X86Insn *in = &ctx->insn;

    switch (op->kind) {
    case X86_OPK_G: return in->reg;
    case X86_OPK_Z:
        return (in->opcode & 7) | ((in->rex & X86_REX_B) ? 8 : 0);
    case X86_OPK_REG: return op->reg;
    default: return in->rm;
    }
}

/* Adds the FS or GS base of a segment override to addr (in 64-bit mode
   the other segments have base 0). */
void gen_add_seg(DisasContext *ctx, TCGv_i64 addr, int seg)
{
    TCGv_i64 base;

    if (seg != X86_SEG_FS && seg != X86_SEG_GS)
        return;
    base = tmp(ctx);
    tcg_gen_ld_i64(base, tcg_env(), seg == X86_SEG_FS
                   ? X86_ENV_OFFSET(fs_base) : X86_ENV_OFFSET(gs_base));
    tcg_gen_add_i64(addr, addr, base);
}

/* The effective address of the memory operand, without segment base. */
TCGv_i64 gen_lea_addr(DisasContext *ctx)
{
    const X86Insn *in = &ctx->insn;
    TCGv_i64 a = tmp(ctx);

    if (in->base == X86_RIP)
        tcg_gen_movi_i64(a, (int64_t)(ctx->base.pc_next + in->disp));
    else if (in->base >= 0)
        tcg_gen_addi_i64(a, cpu_regs[in->base], in->disp);
    else
        tcg_gen_movi_i64(a, in->disp);
    if (in->index >= 0) {
        TCGv_i64 t = tmp(ctx);

        tcg_gen_shli_i64(t, cpu_regs[in->index], in->scale);
        tcg_gen_add_i64(a, a, t);
    }
    if (in->addrsize == 32)
        tcg_gen_ext32u_i64(a, a);
    return a;
}

/* The guest address of the memory operand (computed once per insn). */
TCGv_i64 gen_ea(DisasContext *ctx)
{
    if (!ctx->ea) {
        ctx->ea = gen_lea_addr(ctx);
        gen_add_seg(ctx, ctx->ea, ctx->insn.seg);
    }
    return ctx->ea;
}

/*
 * The memory operand as base + offset for tcg_gen_qemu_ld_off_i64 and
 * st_off: a 64-bit [reg + disp] (no index, no FS/GS base) is the
 * register and the displacement, which user mode folds into the access
 * (no add; the register checked alone, and once per basic block).  The
 * address is the register's value at the insn's start, so an access
 * after an op of this insn that wrote the register (XCHG, XADD or
 * CMPXCHG with their operand's base) takes the sum made at the insn's
 * start instead, as every other form does (gen_ea).
 */
void gen_mem_addr(DisasContext *ctx, TCGv_i64 *base, int64_t *off)
{
    const X86Insn *in = &ctx->insn;
    TCGOp *start = ctx->base.insn_start_prev ? ctx->base.insn_start_prev->next
                                             : tcg_ctx->ops_first;

    *off = 0;
    if (!ctx->ea && in->base >= 0 && in->base != X86_RIP && in->index < 0 &&
        in->addrsize == 64 && in->seg != X86_SEG_FS &&
        in->seg != X86_SEG_GS && start) {
        if (!tcg_op_written_after(start, cpu_regs[in->base])) {
            *base = cpu_regs[in->base];
            *off = in->disp;
            return;
        }
        TCGOp *mark = tcg_last_op();
        gen_ea(ctx);
        tcg_ops_move_after(mark, start);
    }
    *base = gen_ea(ctx);
}

static void gen_mem_ld(DisasContext *ctx, TCGv_i64 v, MemOp mo)
{
    TCGv_i64 base;
    int64_t off;

    gen_mem_addr(ctx, &base, &off);
    tcg_gen_qemu_ld_off_i64(v, base, off, 0, mo);
}

static void gen_mem_st(DisasContext *ctx, TCGv_i64 v, MemOp mo)
{
    TCGv_i64 base;
    int64_t off;

    gen_mem_addr(ctx, &base, &off);
    tcg_gen_qemu_st_off_i64(v, base, off, 0, mo);
}

bool op_is_mem(DisasContext *ctx, int i)
{
    int k = ctx->insn.info->op[i].kind;

    return (k == X86_OPK_E || k == X86_OPK_M || k == X86_OPK_O) &&
           ctx->insn.is_mem;
}

/* Operand i, zero-extended from its size. */
void gen_load_op(DisasContext *ctx, int i, TCGv_i64 v)
{
    const X86OpSpec *op = &ctx->insn.info->op[i];
    unsigned bits = op_bits(ctx, i);

    switch (op->kind) {
    case X86_OPK_I:
        tcg_gen_movi_i64(v, (int64_t)(i > 0 && ctx->insn.imm2_size &&
                                      ctx->insn.info->op[i - 1].kind ==
                                      X86_OPK_I ? ctx->insn.imm2
                                                : ctx->insn.imm));
        return;
    case X86_OPK_ONE:
        tcg_gen_movi_i64(v, 1);
        return;
    case X86_OPK_S:
        /* The selectors of a Linux process: __USER_CS, __USER_DS; the
           others are null. */
        tcg_gen_movi_i64(v, ctx->insn.reg == X86_SEG_CS ? 0x33 :
                            ctx->insn.reg == X86_SEG_SS ? 0x2b : 0);
        return;
    }
    if (op_is_mem(ctx, i)) {
        gen_mem_ld(ctx, v, mo_bits(bits));
        return;
    }
    gen_read_reg(ctx, v, op_reg(ctx, op), bits);
}

void gen_store_op(DisasContext *ctx, int i, TCGv_i64 v)
{
    const X86OpSpec *op = &ctx->insn.info->op[i];
    unsigned bits = op_bits(ctx, i);

    if (op_is_mem(ctx, i)) {
        gen_mem_st(ctx, v, mo_bits(bits));
        return;
    }
    gen_write_reg(ctx, op_reg(ctx, op), bits, v);
}

/* Register operand i gets v only where cond holds for (a, b); elsewhere
   it keeps all 64 bits (no zero-extension of a 32-bit one). */
void gen_store_reg_op_if(DisasContext *ctx, int i, TCGCond cond,
                         TCGv_i64 a, TCGv_i64 b, TCGv_i64 v)
{
    const X86OpSpec *op = &ctx->insn.info->op[i];

    gen_write_reg_if(ctx, cond, a, b, op_reg(ctx, op), op_bits(ctx, i), v);
}

/* ---- Lazy flags ---- */

/* After a write of cc_op with a value the translator does not know
   (ctx->cc_op becomes CC_OP_DYNAMIC): env must have it, as the next
   insn_start records none for x86_restore_state to put back. */
void gen_store_cc_op(DisasContext *ctx)
{
    tcg_gen_st_i32(cpu_cc_op, tcg_env(), X86_ENV_OFFSET(cc_op));
    ctx->cc_op = CC_OP_DYNAMIC;
}

void set_cc_op(DisasContext *ctx, int op)
{
    if (ctx->cc_op != op) {
        tcg_gen_movi_i32(cpu_cc_op, op);
        ctx->cc_op = op;
    }
}

/* Records a flag-setting operation's result and operands. */
void gen_set_flags(DisasContext *ctx, int kind, unsigned bits, TCGv_i64 dst,
                   TCGv_i64 src, TCGv_i64 src2)
{
    int sz = bits == 8 ? 0 : bits == 16 ? 1 : bits == 32 ? 2 : 3;

    tcg_gen_mov_i64(cpu_cc_dst, dst);
    if (src)
        tcg_gen_mov_i64(cpu_cc_src, src);
    if (src2)
        tcg_gen_mov_i64(cpu_cc_src2, src2);
    set_cc_op(ctx, CC_OP(kind, sz));
}

/* The CC bits of EFLAGS now, in a new temp. */
TCGv_i64 gen_compute_flags(DisasContext *ctx)
{
    TCGv_i64 t = tmp(ctx);

    if (ctx->cc_op == CC_OP_EFLAGS)
        tcg_gen_mov_i64(t, cpu_cc_src);
    else
        gen_helper_cc_compute(t, cpu_cc_dst, cpu_cc_src, cpu_cc_src2,
                              cpu_cc_op);
    return t;
}

/* Puts the flags in cc_src as CC_OP_EFLAGS, for insns that change some
   of them and keep the others. */
TCGv_i64 gen_materialize_flags(DisasContext *ctx)
{
    if (ctx->cc_op != CC_OP_EFLAGS) {
        TCGv_i64 t = gen_compute_flags(ctx);

        tcg_gen_mov_i64(cpu_cc_src, t);
        set_cc_op(ctx, CC_OP_EFLAGS);
    }
    return cpu_cc_src;
}

/* The EFLAGS bits f (CC_OP_EFLAGS layout) that condition base (cc with
   its low bit clear, shifted: 0 O, 1 B, 2 E, 3 BE, 4 S, 5 P, 6 L, 7 LE)
   holds on: non-zero if it does, in a new temp. */
static TCGv_i64 gen_flags_test(DisasContext *ctx, TCGv_i64 f, int base)
{
    static const uint64_t bit[] = {
        [0] = X86_OF, [1] = X86_CF, [2] = X86_ZF,
        [3] = X86_CF | X86_ZF, [4] = X86_SF, [5] = X86_PF,
    };
    TCGv_i64 d = tmp(ctx), x;

    if (base <= 5) {
        tcg_gen_andi_i64(d, f, (int64_t)bit[base]);
        return d;
    }
    /* L: SF != OF; LE: that or ZF. */
    x = tmp(ctx);
    tcg_gen_shri_i64(x, f, 11 - 7);         /* OF to SF's place */
    tcg_gen_xor_i64(d, f, x);
    tcg_gen_andi_i64(d, d, X86_SF);
    if (base == 7) {
        tcg_gen_andi_i64(x, f, X86_ZF);
        tcg_gen_or_i64(d, d, x);
    }
    return d;
}

/*
 * The test of condition cc (the low nibble of Jcc: O NO B AE E NE BE A
 * S NS P NP L GE LE G) as a comparison of two values.  After SUB/CMP,
 * logic ops, ADD and the INC/DEC/shift/MUL family the common conditions
 * are compared from the operands directly; the others compute EFLAGS.
 */
CCTest gen_prepare_cc(DisasContext *ctx, int cc)
{
    int base = cc >> 1;
    int kind = ctx->cc_op == CC_OP_DYNAMIC ? -1
                                            : CC_OP_KIND(CC_OP_BASE(ctx->cc_op));
    unsigned bits = 8u << (ctx->cc_op & 3);
    CCTest t = { .cond = TCG_COND_NE };
    TCGv_i64 d = NULL, s1, s2;

    /* After a rotate (CC_OP_ROT), only ZF and SF are its base's. */
    if (kind >= 0 && CC_OP_IS_ROT(ctx->cc_op) && base != 2 && base != 4)
        kind = CC_KIND_COUNT;
    if (kind < 0 && (base == 2 || base == 4)) {
        /* cc_op unknown here (set before the block): ZF and SF are the
           result's, in cc_dst at the size cc_op & 3 says, unless cc_op
           is EFLAGS (0), where they are cc_src's bits. */
        TCGv_i64 op = tmp(ctx), e = tmp(ctx);

        d = tmp(ctx);
        tcg_gen_extu_i32_i64(op, cpu_cc_op);
        tcg_gen_andi_i64(d, op, 3);
        tcg_gen_shl_i64(d, tcg_constant_i64(8), d);
        tcg_gen_sub_i64(d, tcg_constant_i64(64), d);    /* 56, 48, 32, 0 */
        tcg_gen_shl_i64(d, cpu_cc_dst, d);      /* the result's bits on top */
        if (base == 2) {
            tcg_gen_andi_i64(e, cpu_cc_src, X86_ZF);
            tcg_gen_xori_i64(e, e, X86_ZF);     /* 0 if ZF */
        } else {
            tcg_gen_shli_i64(e, cpu_cc_src, 63 - 7);    /* SF on top */
        }
        tcg_gen_movcond_i64(TCG_COND_EQ, d, op, tcg_constant_i64(CC_OP_EFLAGS),
                            e, d);
        t.a = d;
        t.b = tcg_constant_i64(0);
        t.cond = base == 2 ? TCG_COND_EQ : TCG_COND_LT;
        goto done;
    }
    if (kind < 0 && ctx->cc_may_branch &&
        (base == 1 || base == 3 || base == 6 || base == 7)) {
        /* cc_op unknown here, most often the CMP that ended the block
           before ("cmp; ja; jb"): when it is SUB at any size, compare
           its operands (cc_dst + cc_src and cc_src) moved to the top
           of 64 bits, which keeps their order signed and unsigned;
           else ask the helper. */
        static const TCGCond conds[] = { [1] = TCG_COND_LTU,
            [3] = TCG_COND_LEU, [6] = TCG_COND_LT, [7] = TCG_COND_LE };
        TCGLabel *slow = gen_new_label(), *join = gen_new_label();
        TCGv_i64 v = tcg_temp_tb_new_i64(), op = tmp(ctx), sh = tmp(ctx);
        TCGv_i64 a = tmp(ctx), b = tmp(ctx), f;

        tcg_gen_extu_i32_i64(op, cpu_cc_op);
        tcg_gen_andi_i64(a, op, ~3);
        tcg_gen_brcondi_i64(TCG_COND_NE, a, CC_OP(CC_KIND_SUB, 0), slow);
        tcg_gen_andi_i64(sh, op, 3);
        tcg_gen_shl_i64(sh, tcg_constant_i64(8), sh);
        tcg_gen_sub_i64(sh, tcg_constant_i64(64), sh);
        tcg_gen_add_i64(a, cpu_cc_dst, cpu_cc_src);
        tcg_gen_shl_i64(a, a, sh);
        tcg_gen_shl_i64(b, cpu_cc_src, sh);
        tcg_gen_setcond_i64(conds[base], v, a, b);
        tcg_gen_br(join);
        gen_set_label(slow);
        f = tmp(ctx);
        gen_helper_cc_compute(f, cpu_cc_dst, cpu_cc_src, cpu_cc_src2,
                              cpu_cc_op);
        tcg_gen_setcondi_i64(TCG_COND_NE, v, gen_flags_test(ctx, f, base), 0);
        gen_set_label(join);
        t.a = v;
        t.b = tcg_constant_i64(0);
        t.cond = TCG_COND_NE;
        goto done;
    }
    if ((kind == CC_KIND_INC || kind == CC_KIND_DEC) &&
        (base == 6 || base == 7)) {
        /* L and LE: SF != OF is the sign of the exact result, old + 1
           or old - 1, where old is the result minus (plus) 1 wrapped:
           after DEC, old < 1 (old <= 1); after INC, old < -1 (old <= -1). */
        s1 = tmp(ctx);
        tcg_gen_addi_i64(s1, cpu_cc_dst, kind == CC_KIND_DEC ? 1 : -1);
        gen_ext(s1, s1, bits, true);
        t.a = s1;
        t.b = tcg_constant_i64(kind == CC_KIND_DEC ? 1 : -1);
        t.cond = base == 6 ? TCG_COND_LT : TCG_COND_LE;
        goto done;
    }
    if (kind >= CC_KIND_ADD && kind != CC_KIND_EFLAGS &&
        (base == 2 || base == 4)) {
        /* E and S from the result, whatever computed it but ADC/SBB
           (which are fine too: ZF and SF come from the result). */
        d = tmp(ctx);
        gen_ext(d, cpu_cc_dst, bits, base == 4);
        t.a = d;
        t.b = tcg_constant_i64(0);
        t.cond = base == 2 ? TCG_COND_EQ : TCG_COND_LT;
        goto done;
    }
    if (kind == CC_KIND_SUB && (base == 1 || base == 3 || base == 6 ||
                                base == 7)) {
        bool sign = base >= 6;

        s1 = tmp(ctx);
        s2 = tmp(ctx);
        if (ctx->fused_cc_op == ctx->cc_op) {
            /* The CMP/SUB just before: its operands, not dst + src. */
            gen_ext(s1, ctx->fused_a, bits, sign);
            gen_ext(s2, ctx->fused_b, bits, sign);
            t.a = s1;
            t.b = s2;
            t.cond = base == 1 ? TCG_COND_LTU : base == 3 ? TCG_COND_LEU :
                     base == 6 ? TCG_COND_LT : TCG_COND_LE;
            goto done;
        }
        tcg_gen_add_i64(s1, cpu_cc_dst, cpu_cc_src);
        gen_ext(s1, s1, bits, sign);
        gen_ext(s2, cpu_cc_src, bits, sign);
        t.a = s1;
        t.b = s2;
        t.cond = base == 1 ? TCG_COND_LTU : base == 3 ? TCG_COND_LEU :
                 base == 6 ? TCG_COND_LT : TCG_COND_LE;
        goto done;
    }
    if (kind == CC_KIND_LOGIC && (base == 0 || base == 1 || base == 3 ||
                                  base == 6 || base == 7)) {
        d = tmp(ctx);
        if (base <= 1) {
            tcg_gen_movi_i64(d, 0);     /* OF = CF = 0 */
            t.a = d;
            t.b = tcg_constant_i64(0);
            t.cond = TCG_COND_NE;
            goto done;
        }
        gen_ext(d, cpu_cc_dst, bits, base != 3);
        t.a = d;
        t.b = tcg_constant_i64(0);
        t.cond = base == 3 ? TCG_COND_EQ : base == 6 ? TCG_COND_LT
                                                      : TCG_COND_LE;
        goto done;
    }
    if (kind == CC_KIND_ADD && base == 1) {
        s1 = tmp(ctx);
        s2 = tmp(ctx);
        gen_ext(s1, cpu_cc_dst, bits, false);
        gen_ext(s2, cpu_cc_src, bits, false);
        t.a = s1;
        t.b = s2;
        t.cond = TCG_COND_LTU;
        goto done;
    }

    /* The general case: from the CC bits. */
    {
        t.a = gen_flags_test(ctx, gen_compute_flags(ctx), base);
        t.b = tcg_constant_i64(0);
        t.cond = TCG_COND_NE;
    }
done:
    if (cc & 1)
        t.cond = tcg_invert_cond(t.cond);
    return t;
}

/* CF as 0 or 1 in a new temp. */
TCGv_i64 gen_get_cf(DisasContext *ctx)
{
    CCTest t = gen_prepare_cc(ctx, CC_B);
    TCGv_i64 v = tmp(ctx);

    tcg_gen_setcond_i64(t.cond, v, t.a, t.b);
    return v;
}

/* ---- Exceptions and jumps ---- */

void gen_exception(DisasContext *ctx, int excp)
{
    gen_helper_raise_exception(tcg_env(), tcg_constant_i32(excp));
    ctx->base.is_jmp = DISAS_NORETURN;
}

/* A trap (INT3) or SYSCALL: rip is the next insn. */
static void gen_trap(DisasContext *ctx, int excp)
{
    tcg_gen_movi_i64(cpu_rip, (int64_t)ctx->base.pc_next);
    gen_helper_raise_trap(tcg_env(), tcg_constant_i32(excp));
    ctx->base.is_jmp = DISAS_NORETURN;
}

void gen_goto_tb(DisasContext *ctx, int n, uint64_t dest)
{
    if (translator_use_goto_tb(ctx->base.tb, dest)) {
        tcg_gen_goto_tb(n);
        tcg_gen_movi_i64(cpu_rip, (int64_t)dest);
        tcg_gen_exit_tb(ctx->base.tb, n);
    } else {
        tcg_gen_movi_i64(cpu_rip, (int64_t)dest);
        tcg_gen_lookup_and_goto_ptr();
    }
    ctx->base.is_jmp = DISAS_NORETURN;
}

void gen_end_tb_flags(DisasContext *ctx)
{
    tcg_gen_movi_i64(cpu_rip, (int64_t)ctx->base.pc_next);
    ctx->base.is_jmp = DISAS_JUMP;
}

/* Jumps to the address in v (rip = v, then the jump cache). */
static void gen_jump_reg(DisasContext *ctx, TCGv_i64 v)
{
    tcg_gen_mov_i64(cpu_rip, v);
    ctx->base.is_jmp = DISAS_JUMP;
}

/* ---- Stack ---- */

void gen_push(DisasContext *ctx, TCGv_i64 v, unsigned bits)
{
    (void)ctx;
    tcg_gen_qemu_st_off_i64(v, cpu_regs[R_ESP], -(int64_t)(bits / 8), 0,
                            mo_bits(bits));
    tcg_gen_subi_i64(cpu_regs[R_ESP], cpu_regs[R_ESP], bits / 8);
}

/* Loads the top of the stack into v; the caller moves rsp (after any
   fault, so that a faulting POP leaves rsp as it was). */
static void gen_pop_load(DisasContext *ctx, TCGv_i64 v, unsigned bits)
{
    (void)ctx;
    tcg_gen_qemu_ld_i64(v, cpu_regs[R_ESP], 0, mo_bits(bits));
}

/* PUSH, POP, CALL, RET: 64 bits, or 16 with a 66 prefix. */
static unsigned stack_bits(DisasContext *ctx)
{
    return ctx->insn.opsize == 16 ? 16 : 64;
}

/* ---- Instructions: moves ---- */

/* The global of operand 0 if it is a 32- or 64-bit register, else v: a
   move loads its source straight into the register (a load lands in
   a pinned register's home rather than a copy moved there; a faulting
   load writes nothing), and gen_store_op's write of it to itself is
   then only the zero-extension of a 32-bit one. */
static TCGv_i64 dest_reg_global(DisasContext *ctx, TCGv_i64 v)
{
    const X86OpSpec *op = &ctx->insn.info->op[0];

    if (op_is_mem(ctx, 0) || op_bits(ctx, 0) < 32 ||
        (op->kind != X86_OPK_E && op->kind != X86_OPK_G &&
         op->kind != X86_OPK_Z && op->kind != X86_OPK_REG))
        return v;
    return cpu_regs[op_reg(ctx, op)];
}

static void gen_mov(DisasContext *ctx, int arg)
{
    TCGv_i64 v = tmp(ctx);

    (void)arg;
    if (ctx->insn.info->op[0].kind == X86_OPK_S) {
        /* Loading a segment register: not in 64-bit user programs. */
        log_mask(LOG_UNIMP, "x86: mov to a segment register at 0x%llx\n",
                 (unsigned long long)ctx->pc);
        gen_exception(ctx, X86_EXCP_UD);
        return;
    }
    v = dest_reg_global(ctx, v);
    gen_load_op(ctx, 1, v);
    gen_store_op(ctx, 0, v);
}

/* MOVZX (arg 0), MOVSX and MOVSXD (arg 1). */
static void gen_movx(DisasContext *ctx, int sign)
{
    TCGv_i64 v = dest_reg_global(ctx, tmp(ctx));

    gen_load_op(ctx, 1, v);
    if (sign)
        gen_ext(v, v, op_bits(ctx, 1), true);
    gen_store_op(ctx, 0, v);
}

static void gen_lea(DisasContext *ctx, int arg)
{
    const X86Insn *in = &ctx->insn;
    TCGv_i64 d = dest_reg_global(ctx, NULL);

    (void)arg;
    if (d && in->base >= 0 && in->base != X86_RIP && in->index >= 0) {
        /* Computed in the destination register, which may be the base or
           the index (both read before it is written): no copy moved
           there. */
        TCGv_i64 t = tmp(ctx);

        tcg_gen_shli_i64(t, cpu_regs[in->index], in->scale);
        tcg_gen_add_i64(d, cpu_regs[in->base], t);
        tcg_gen_addi_i64(d, d, in->disp);
        if (in->addrsize == 32 || op_bits(ctx, 0) == 32)
            tcg_gen_ext32u_i64(d, d);
        return;
    }
    if (d && in->base >= 0 && in->base != X86_RIP && in->index < 0) {
        tcg_gen_addi_i64(d, cpu_regs[in->base], in->disp);
        if (in->addrsize == 32 || op_bits(ctx, 0) == 32)
            tcg_gen_ext32u_i64(d, d);
        return;
    }
    gen_store_op(ctx, 0, gen_lea_addr(ctx));
}

/* CBW/CWDE/CDQE (arg 0): rAX from its low half, sign-extended;
   CWD/CDQ/CQO (arg 1): rDX from rAX's sign. */
static void gen_cwd(DisasContext *ctx, int arg)
{
    unsigned bits = ctx->insn.opsize;
    TCGv_i64 v = tmp(ctx);

    if (arg == 0) {
        gen_read_reg(ctx, v, R_EAX, bits / 2);
        gen_ext(v, v, bits / 2, true);
        gen_write_reg(ctx, R_EAX, bits, v);
    } else {
        gen_ext(v, cpu_regs[R_EAX], bits, true);
        tcg_gen_sari_i64(v, v, 63);
        gen_write_reg(ctx, R_EDX, bits, v);
    }
}

static void gen_nop(DisasContext *ctx, int arg)
{
    (void)ctx;
    (void)arg;
}

/* 90 is NOP (XCHG EAX, EAX would zero-extend); with REX.B, XCHG R8. */
static void gen_xchg(DisasContext *ctx, int arg)
{
    TCGv_i64 a = tmp(ctx), b = tmp(ctx);

    (void)arg;
    if (ctx->insn.map == X86_MAP_ONE && ctx->insn.opcode == 0x90 &&
        !(ctx->insn.rex & X86_REX_B))
        return;
    if (op_is_mem(ctx, 0)) {
        /* XCHG with memory is always locked. */
        unsigned bits = op_bits(ctx, 0);

        gen_load_op(ctx, 1, b);
        gen_helper_atomic_rmw(a, tcg_env(), gen_ea(ctx), b,
                              tcg_constant_i32(X86_ATOMIC_XCHG |
                                               mo_bits(bits)));
        gen_store_op(ctx, 1, a);
        return;
    }
    gen_load_op(ctx, 0, a);
    gen_load_op(ctx, 1, b);
    gen_store_op(ctx, 0, b);
    gen_store_op(ctx, 1, a);
}

/* ---- Instructions: arithmetic ---- */

enum { ALU_ADD, ALU_OR, ALU_ADC, ALU_SBB, ALU_AND, ALU_SUB, ALU_XOR,
       ALU_CMP };

/* LOCK'd ALU op on memory: the old value from the host atomic; the
   result recomputed from it for the flags. */
static void gen_alu_locked(DisasContext *ctx, int op, TCGv_i64 src,
                           TCGv_i64 carry, TCGv_i64 old, unsigned bits)
{
    static const int aop[] = {
        [ALU_ADD] = X86_ATOMIC_ADD, [ALU_OR] = X86_ATOMIC_OR,
        [ALU_ADC] = X86_ATOMIC_ADD, [ALU_SBB] = X86_ATOMIC_ADD,
        [ALU_AND] = X86_ATOMIC_AND, [ALU_SUB] = X86_ATOMIC_ADD,
        [ALU_XOR] = X86_ATOMIC_XOR,
    };
    TCGv_i64 v = tmp(ctx);

    /* ADC adds src + CF; SUB and SBB add the negation. */
    tcg_gen_mov_i64(v, src);
    if (carry)
        tcg_gen_add_i64(v, v, carry);
    if (op == ALU_SUB || op == ALU_SBB)
        tcg_gen_neg_i64(v, v);
    gen_helper_atomic_rmw(old, tcg_env(), gen_ea(ctx), v,
                          tcg_constant_i32(aop[op] | mo_bits(bits)));
}

/* XOR r, r and SUB r, r (the zeroing idiom compilers emit for every
   zero): both operands the same register, so the result is 0 whatever
   its value, and the flags are those of a logic op with result 0 (CF,
   OF, SF and AF clear, ZF and PF set), as for SUB. */
static bool is_zero_idiom(DisasContext *ctx, int op)
{
    const X86Insn *in = &ctx->insn;
    const X86OpSpec *o = in->info->op;

    if ((op != ALU_XOR && op != ALU_SUB) || in->is_mem ||
        (in->prefixes & X86_PFX_LOCK))
        return false;
    if (!((o[0].kind == X86_OPK_E && o[1].kind == X86_OPK_G) ||
          (o[0].kind == X86_OPK_G && o[1].kind == X86_OPK_E)))
        return false;
    /* The same number is the same register, AH..BH included. */
    return in->reg == in->rm;
}

static void gen_alu(DisasContext *ctx, int op)
{
    static const int kind[] = {
        [ALU_ADD] = CC_KIND_ADD, [ALU_OR] = CC_KIND_LOGIC,
        [ALU_ADC] = CC_KIND_ADC, [ALU_SBB] = CC_KIND_SBB,
        [ALU_AND] = CC_KIND_LOGIC, [ALU_SUB] = CC_KIND_SUB,
        [ALU_XOR] = CC_KIND_LOGIC, [ALU_CMP] = CC_KIND_SUB,
    };
    unsigned bits = op_bits(ctx, 0);
    TCGv_i64 a = tmp(ctx), b = tmp(ctx), r = tmp(ctx), carry = NULL;

    if (is_zero_idiom(ctx, op)) {
        tcg_gen_movi_i64(r, 0);
        gen_store_op(ctx, 0, r);
        gen_set_flags(ctx, CC_KIND_LOGIC, bits, r, NULL, NULL);
        return;
    }
    gen_load_op(ctx, 1, b);
    gen_ext(b, b, bits, false);
    if (op == ALU_ADC || op == ALU_SBB)
        carry = gen_get_cf(ctx);
    if (ctx->insn.prefixes & X86_PFX_LOCK)
        gen_alu_locked(ctx, op, b, carry, a, bits);
    else
        gen_load_op(ctx, 0, a);
    if (op != ALU_CMP && bits >= 32 && !op_is_mem(ctx, 0)) {
        /* A 32- or 64-bit register destination: computed in place (the
           backend then works on the register's home, not a copy moved
           back), zero-extended after for 32 bits. */
        r = cpu_regs[op_reg(ctx, &ctx->insn.info->op[0])];
    }
    switch (op) {
    case ALU_ADD: tcg_gen_add_i64(r, a, b); break;
    case ALU_OR: tcg_gen_or_i64(r, a, b); break;
    case ALU_AND: tcg_gen_and_i64(r, a, b); break;
    case ALU_XOR: tcg_gen_xor_i64(r, a, b); break;
    case ALU_ADC:
        tcg_gen_add_i64(r, a, b);
        tcg_gen_add_i64(r, r, carry);
        break;
    case ALU_SBB:
        tcg_gen_sub_i64(r, a, b);
        tcg_gen_sub_i64(r, r, carry);
        break;
    default:
        tcg_gen_sub_i64(r, a, b);
    }
    if (op != ALU_CMP && bits >= 32 && !op_is_mem(ctx, 0)) {
        if (bits == 32)
            tcg_gen_ext32u_i64(r, r);
    } else if (op != ALU_CMP && !(ctx->insn.prefixes & X86_PFX_LOCK)) {
        gen_store_op(ctx, 0, r);
    }
    gen_set_flags(ctx, kind[op], bits, r,
                  kind[op] == CC_KIND_LOGIC ? NULL : b, carry);
    if (kind[op] == CC_KIND_SUB && !(ctx->insn.prefixes & X86_PFX_LOCK)) {
        /* Both zero-extended from bits: the next insn may compare them
           (copies that liveness drops when it does not). */
        tcg_gen_mov_i64(ctx->fused_a, a);
        tcg_gen_mov_i64(ctx->fused_b, b);
        ctx->fused_next = ctx->cc_op;
    }
}

static void gen_test(DisasContext *ctx, int arg)
{
    TCGv_i64 a = tmp(ctx), b = tmp(ctx);

    (void)arg;
    gen_load_op(ctx, 0, a);
    gen_load_op(ctx, 1, b);
    tcg_gen_and_i64(a, a, b);
    gen_set_flags(ctx, CC_KIND_LOGIC, op_bits(ctx, 0), a, NULL, NULL);
}

/* INC (arg 1) and DEC (arg -1): CF stays as it was. */
static void gen_incdec(DisasContext *ctx, int arg)
{
    unsigned bits = op_bits(ctx, 0);
    TCGv_i64 cf = gen_get_cf(ctx), a = tmp(ctx), r = tmp(ctx);

    if (ctx->insn.prefixes & X86_PFX_LOCK) {
        gen_helper_atomic_rmw(a, tcg_env(), gen_ea(ctx),
                              tcg_constant_i64(arg),
                              tcg_constant_i32(X86_ATOMIC_ADD |
                                               mo_bits(bits)));
        tcg_gen_addi_i64(r, a, arg);
    } else {
        gen_load_op(ctx, 0, a);
        tcg_gen_addi_i64(r, a, arg);
        gen_store_op(ctx, 0, r);
    }
    gen_set_flags(ctx, arg > 0 ? CC_KIND_INC : CC_KIND_DEC, bits, r, cf,
                  NULL);
}

/* NEG (arg 1): flags as 0 - x; NOT (arg 0): no flags. */
static void gen_negnot(DisasContext *ctx, int neg)
{
    unsigned bits = op_bits(ctx, 0);
    TCGv_i64 a = tmp(ctx), r = tmp(ctx);

    if (ctx->insn.prefixes & X86_PFX_LOCK) {
        gen_helper_atomic_rmw(a, tcg_env(), gen_ea(ctx),
                              tcg_constant_i64(neg ? 0 : -1),
                              tcg_constant_i32((neg ? X86_ATOMIC_NEG
                                                    : X86_ATOMIC_XOR) |
                                               mo_bits(bits)));
    } else {
        gen_load_op(ctx, 0, a);
    }
    if (neg)
        tcg_gen_neg_i64(r, a);
    else
        tcg_gen_not_i64(r, a);
    if (!(ctx->insn.prefixes & X86_PFX_LOCK))
        gen_store_op(ctx, 0, r);
    if (neg)
        gen_set_flags(ctx, CC_KIND_SUB, bits, r, a, NULL);
}

/* ---- Instructions: stack ---- */

static void gen_push_insn(DisasContext *ctx, int arg)
{
    TCGv_i64 v = tmp(ctx);

    (void)arg;
    gen_load_op(ctx, 0, v);
    gen_push(ctx, v, stack_bits(ctx));
}

static void gen_pop_insn(DisasContext *ctx, int arg)
{
    unsigned bits = stack_bits(ctx);
    TCGv_i64 v = tmp(ctx);

    (void)arg;
    if (!op_is_mem(ctx, 0) && bits == 64 &&
        dest_reg_global(ctx, v) != cpu_regs[R_ESP]) {
        /* Straight into the register (a faulting load writes nothing). */
        gen_pop_load(ctx, dest_reg_global(ctx, v), bits);
        tcg_gen_addi_i64(cpu_regs[R_ESP], cpu_regs[R_ESP], 8);
        return;
    }
    gen_pop_load(ctx, v, bits);
    if (!op_is_mem(ctx, 0)) {
        /* POP rsp: the loaded value replaces the incremented rsp. */
        tcg_gen_addi_i64(cpu_regs[R_ESP], cpu_regs[R_ESP], bits / 8);
        gen_store_op(ctx, 0, v);
        return;
    }
    /* A memory destination addressed through rsp sees rsp after the
       pop (the SDM's POP), but a store that faults must leave rsp as it
       was: the address is computed with rsp moved, rsp moves back for
       the store and forward for good after it. */
    tcg_gen_addi_i64(cpu_regs[R_ESP], cpu_regs[R_ESP], bits / 8);
    gen_ea(ctx);
    tcg_gen_subi_i64(cpu_regs[R_ESP], cpu_regs[R_ESP], bits / 8);
    gen_store_op(ctx, 0, v);
    tcg_gen_addi_i64(cpu_regs[R_ESP], cpu_regs[R_ESP], bits / 8);
}

static void gen_leave(DisasContext *ctx, int arg)
{
    unsigned bits = stack_bits(ctx);
    TCGv_i64 v = tmp(ctx);

    (void)arg;
    tcg_gen_qemu_ld_i64(v, cpu_regs[R_EBP], 0, mo_bits(bits));
    tcg_gen_addi_i64(cpu_regs[R_ESP], cpu_regs[R_EBP], bits / 8);
    gen_write_reg(ctx, R_EBP, bits, v);
}

/*
 * ENTER alloc, level: push rBP, copy level - 1 frame pointers from the
 * enclosing frame (read below rBP) and push the new frame's, then rBP =
 * the new frame and rSP goes down by alloc.  The CPU faults when a
 * write at the final rSP would (the SDM's #PF condition): that is probed
 * first.  The registers change only at the end, so a fault on the way
 * leaves them as they were.  The level is taken modulo 32.
 */
static void gen_enter(DisasContext *ctx, int arg)
{
    unsigned bits = stack_bits(ctx), size = bits / 8;
    unsigned level = ctx->insn.imm2 & 31, alloc = ctx->insn.imm & 0xffff;
    TCGv_i64 sp = tmp(ctx), frame = tmp(ctx), v = tmp(ctx);
    MemOp mo = mo_bits(bits);

    (void)arg;
    if (alloc) {
        tcg_gen_subi_i64(sp, cpu_regs[R_ESP],
                         (int64_t)(size * (level + 1) + alloc));
        gen_helper_probe_write(tcg_env(), sp, tcg_constant_i32(size));
    }
    tcg_gen_subi_i64(sp, cpu_regs[R_ESP], size);
    tcg_gen_qemu_st_i64(cpu_regs[R_EBP], sp, 0, mo);
    tcg_gen_mov_i64(frame, sp);
    for (unsigned i = 1; i < level; i++) {
        tcg_gen_subi_i64(v, cpu_regs[R_EBP], (int64_t)(i * size));
        tcg_gen_qemu_ld_i64(v, v, 0, mo);
        tcg_gen_subi_i64(sp, sp, size);
        tcg_gen_qemu_st_i64(v, sp, 0, mo);
    }
    if (level) {
        tcg_gen_subi_i64(sp, sp, size);
        tcg_gen_qemu_st_i64(frame, sp, 0, mo);
    }
    tcg_gen_mov_i64(cpu_regs[R_EBP], frame);
    tcg_gen_subi_i64(cpu_regs[R_ESP], sp, alloc);
}

static void gen_pushf(DisasContext *ctx, int arg)
{
    TCGv_i64 v = tmp(ctx);

    (void)arg;
    gen_helper_read_eflags(v, tcg_env());
    gen_push(ctx, v, stack_bits(ctx));
}

/* The EFLAGS bits POPF may change at CPL 3 with IOPL 0: not IF, IOPL,
   VM, VIF, VIP nor RF. */
#define X86_POPF_MASK (X86_CC_MASK | X86_TF | X86_DF | (1u << 14) | \
                       X86_AC | X86_ID)

static void gen_popf(DisasContext *ctx, int arg)
{
    unsigned bits = stack_bits(ctx);
    TCGv_i64 v = tmp(ctx);

    (void)arg;
    gen_pop_load(ctx, v, bits);
    tcg_gen_addi_i64(cpu_regs[R_ESP], cpu_regs[R_ESP], bits / 8);
    gen_helper_write_eflags(tcg_env(), v,
                            tcg_constant_i64(bits == 16 ? X86_POPF_MASK &
                                             0xffff : X86_POPF_MASK));
    /* The helper left cc_op = EFLAGS in env, and the global is read
       back from there. */
    ctx->cc_op = CC_OP_EFLAGS;
}

/* ---- Instructions: control transfer ---- */

static void gen_jmp(DisasContext *ctx, int arg)
{
    TCGv_i64 v;

    (void)arg;
    if (ctx->insn.info->op[0].kind == X86_OPK_J) {
        gen_goto_tb(ctx, 0, ctx->base.pc_next + ctx->insn.imm);
        return;
    }
    v = tmp(ctx);
    gen_load_op(ctx, 0, v);
    gen_jump_reg(ctx, v);
}

static void gen_call(DisasContext *ctx, int arg)
{
    TCGv_i64 ret = tcg_constant_i64((int64_t)ctx->base.pc_next), v;

    (void)arg;
    if (ctx->insn.info->op[0].kind == X86_OPK_J) {
        gen_push(ctx, ret, 64);
        gen_goto_tb(ctx, 0, ctx->base.pc_next + ctx->insn.imm);
        return;
    }
    /* The target first: it may be addressed through rsp. */
    v = tmp(ctx);
    gen_load_op(ctx, 0, v);
    gen_push(ctx, ret, 64);
    gen_jump_reg(ctx, v);
}

static void gen_ret(DisasContext *ctx, int arg)
{
    TCGv_i64 v = tmp(ctx);
    int64_t n = 8;

    (void)arg;
    if (ctx->insn.imm_size)
        n += (int64_t)ctx->insn.imm;
    gen_pop_load(ctx, v, 64);
    tcg_gen_addi_i64(cpu_regs[R_ESP], cpu_regs[R_ESP], n);
    gen_jump_reg(ctx, v);
}

static void gen_jcc(DisasContext *ctx, int cc)
{
    CCTest t;
    TCGLabel *taken = gen_new_label();

    ctx->cc_may_branch = true;
    t = gen_prepare_cc(ctx, cc);
    ctx->cc_may_branch = false;

    tcg_gen_brcond_i64(t.cond, t.a, t.b, taken);
    gen_goto_tb(ctx, 0, ctx->base.pc_next);
    gen_set_label(taken);
    gen_goto_tb(ctx, 1, ctx->base.pc_next + ctx->insn.imm);
}

/* LOOP, LOOPE, LOOPNE (arg: -1, CC_E, CC_NE) and JRCXZ (arg -2). */
static void gen_loop(DisasContext *ctx, int arg)
{
    TCGv_i64 c = tmp(ctx);
    TCGLabel *taken = gen_new_label(), *not_taken = gen_new_label();
    unsigned abits = ctx->insn.addrsize;

    if (arg == -2) {
        gen_ext(c, cpu_regs[R_ECX], abits, false);
        tcg_gen_brcondi_i64(TCG_COND_EQ, c, 0, taken);
    } else {
        tcg_gen_subi_i64(c, cpu_regs[R_ECX], 1);
        gen_write_reg(ctx, R_ECX, abits, c);
        gen_ext(c, c, abits, false);
        if (arg >= 0) {
            CCTest t = gen_prepare_cc(ctx, arg);

            tcg_gen_brcond_i64(tcg_invert_cond(t.cond), t.a, t.b,
                               not_taken);
        }
        tcg_gen_brcondi_i64(TCG_COND_NE, c, 0, taken);
    }
    gen_set_label(not_taken);
    gen_goto_tb(ctx, 0, ctx->base.pc_next);
    gen_set_label(taken);
    gen_goto_tb(ctx, 1, ctx->base.pc_next + ctx->insn.imm);
}

static void gen_setcc(DisasContext *ctx, int cc)
{
    CCTest t = gen_prepare_cc(ctx, cc);
    TCGv_i64 v = tmp(ctx);

    tcg_gen_setcond_i64(t.cond, v, t.a, t.b);
    gen_store_op(ctx, 0, v);
}

/* CMOVcc: the source is read (and may fault) whatever the condition; a
   32-bit destination is zero-extended even when nothing moves. */
static void gen_cmov(DisasContext *ctx, int cc)
{
    unsigned bits = op_bits(ctx, 0);
    CCTest t = gen_prepare_cc(ctx, cc);
    TCGv_i64 v = tmp(ctx), old = tmp(ctx);

    gen_load_op(ctx, 1, v);
    if (bits == 32) {
        gen_load_op(ctx, 0, old);
        tcg_gen_movcond_i64(t.cond, v, t.a, t.b, v, old);
        gen_store_op(ctx, 0, v);
        return;
    }
    gen_write_reg_if(ctx, t.cond, t.a, t.b, ctx->insn.reg, bits, v);
}

/* ---- Instructions: system and misc ---- */

static void gen_syscall(DisasContext *ctx, int arg)
{
    (void)arg;
    gen_trap(ctx, X86_EXCP_SYSCALL);
}

static void gen_int3(DisasContext *ctx, int arg)
{
    (void)arg;
    gen_trap(ctx, X86_EXCP_BP);
}

/* A fault at the insn: #UD (UD0, UD1, UD2) or #GP (privileged at CPL 3). */
static void gen_fault(DisasContext *ctx, int excp)
{
    gen_exception(ctx, excp);
}

static void gen_cpuid(DisasContext *ctx, int arg)
{
    (void)ctx;
    (void)arg;
    gen_helper_cpuid(tcg_env());
}

static void gen_rdtsc(DisasContext *ctx, int arg)
{
    TCGv_i64 v = tmp(ctx);

    (void)arg;
    gen_helper_rdtsc(v);
    tcg_gen_ext32u_i64(cpu_regs[R_EAX], v);
    tcg_gen_shri_i64(cpu_regs[R_EDX], v, 32);
}

/* CLD (arg 1), STD (arg -1). */
static void gen_setdf(DisasContext *ctx, int arg)
{
    (void)ctx;
    tcg_gen_st_i64(tcg_constant_i64(arg), tcg_env(), X86_ENV_OFFSET(df));
}

/* CLC (arg 0), STC (1), CMC (2). */
static void gen_cf_insn(DisasContext *ctx, int arg)
{
    TCGv_i64 f = gen_materialize_flags(ctx);

    if (arg == 0)
        tcg_gen_andi_i64(f, f, ~(int64_t)X86_CF);
    else if (arg == 1)
        tcg_gen_ori_i64(f, f, X86_CF);
    else
        tcg_gen_xori_i64(f, f, X86_CF);
}

static void gen_lahf(DisasContext *ctx, int arg)
{
    TCGv_i64 f = gen_compute_flags(ctx);

    (void)arg;
    tcg_gen_ori_i64(f, f, 2);       /* the reserved bit 1 */
    tcg_gen_andi_i64(f, f, 0xd7);
    tcg_gen_shli_i64(f, f, 8);
    tcg_gen_andi_i64(cpu_regs[R_EAX], cpu_regs[R_EAX], ~0xff00ll);
    tcg_gen_or_i64(cpu_regs[R_EAX], cpu_regs[R_EAX], f);
}

static void gen_sahf(DisasContext *ctx, int arg)
{
    const int64_t bits = X86_SF | X86_ZF | X86_AF | X86_PF | X86_CF;
    TCGv_i64 f = gen_materialize_flags(ctx), ah = tmp(ctx);

    (void)arg;
    tcg_gen_shri_i64(ah, cpu_regs[R_EAX], 8);
    tcg_gen_andi_i64(ah, ah, bits);
    tcg_gen_andi_i64(f, f, ~bits);
    tcg_gen_or_i64(f, f, ah);
}

static void gen_fence(DisasContext *ctx, int arg)
{
    (void)ctx;
    tcg_gen_mb((TCGBar)arg);
}

/* XLAT: AL = [seg:rBX + AL]. */
static void gen_xlat(DisasContext *ctx, int arg)
{
    TCGv_i64 a = tmp(ctx);

    (void)arg;
    tcg_gen_ext8u_i64(a, cpu_regs[R_EAX]);
    tcg_gen_add_i64(a, a, cpu_regs[R_EBX]);
    if (ctx->insn.addrsize == 32)
        tcg_gen_ext32u_i64(a, a);
    gen_add_seg(ctx, a, ctx->insn.seg);
    tcg_gen_qemu_ld_i64(a, a, 0, MO_UB);
    gen_write_reg(ctx, R_EAX, 8, a);
}

/* ---- Dispatch ---- */

#define CCS(prefix, fn)                                                   \
    { prefix "o", fn, CC_O }, { prefix "no", fn, CC_NO },                 \
    { prefix "b", fn, CC_B }, { prefix "ae", fn, CC_AE },                 \
    { prefix "e", fn, CC_E }, { prefix "ne", fn, CC_NE },                 \
    { prefix "be", fn, CC_BE }, { prefix "a", fn, CC_A },                 \
    { prefix "s", fn, CC_S }, { prefix "ns", fn, CC_NS },                 \
    { prefix "p", fn, CC_P }, { prefix "np", fn, CC_NP },                 \
    { prefix "l", fn, CC_L }, { prefix "ge", fn, CC_GE },                 \
    { prefix "le", fn, CC_LE }, { prefix "g", fn, CC_G }

/* Every mnemonic of the tables that the translator implements. */
static const InsnGen insn_gen_list[] = {
    { "mov", gen_mov, 0 }, { "movnti", gen_mov, 0 },
    { "movzx", gen_movx, 0 },
    { "movsx", gen_movx, 1 }, { "movsxd", gen_movx, 1 },
    { "lea", gen_lea, 0 },
    { "add", gen_alu, ALU_ADD }, { "or", gen_alu, ALU_OR },
    { "adc", gen_alu, ALU_ADC }, { "sbb", gen_alu, ALU_SBB },
    { "and", gen_alu, ALU_AND }, { "sub", gen_alu, ALU_SUB },
    { "xor", gen_alu, ALU_XOR }, { "cmp", gen_alu, ALU_CMP },
    { "test", gen_test, 0 }, { "inc", gen_incdec, 1 },
    { "dec", gen_incdec, -1 }, { "neg", gen_negnot, 1 },
    { "not", gen_negnot, 0 },
    { "push", gen_push_insn, 0 }, { "pop", gen_pop_insn, 0 },
    { "leave", gen_leave, 0 }, { "enter", gen_enter, 0 },
    { "pushf", gen_pushf, 0 },
    { "popf", gen_popf, 0 },
    { "jmp", gen_jmp, 0 }, { "call", gen_call, 0 }, { "ret", gen_ret, 0 },
    CCS("j", gen_jcc), CCS("set", gen_setcc), CCS("cmov", gen_cmov),
    { "loop", gen_loop, -1 }, { "loope", gen_loop, CC_E },
    { "loopne", gen_loop, CC_NE }, { "jrcxz", gen_loop, -2 },
    { "nop", gen_nop, 0 }, { "pause", gen_nop, 0 },
    { "endbr64", gen_nop, 0 }, { "endbr32", gen_nop, 0 },
    { "prefetch", gen_nop, 0 }, { "prefetchnta", gen_nop, 0 },
    { "prefetcht0", gen_nop, 0 }, { "prefetcht1", gen_nop, 0 },
    { "prefetcht2", gen_nop, 0 }, { "prefetchw", gen_nop, 0 },
    { "prefetchwt1", gen_nop, 0 },
    { "lfence", gen_fence, TCG_MO_LD_LD | TCG_MO_LD_ST },
    { "sfence", gen_fence, TCG_MO_ST_ST },
    { "mfence", gen_fence, TCG_MO_ALL },
    { "cwde", gen_cwd, 0 }, { "cdq", gen_cwd, 1 },
    { "xchg", gen_xchg, 0 }, { "xlat", gen_xlat, 0 },
    { "syscall", gen_syscall, 0 }, { "int3", gen_int3, 0 },
    { "ud0", gen_fault, X86_EXCP_UD }, { "ud1", gen_fault, X86_EXCP_UD },
    { "ud2", gen_fault, X86_EXCP_UD },
    /* Privileged at CPL 3, or I/O with IOPL 0: #GP(0). */
    { "hlt", gen_fault, X86_EXCP_GP }, { "cli", gen_fault, X86_EXCP_GP },
    { "sti", gen_fault, X86_EXCP_GP }, { "in", gen_fault, X86_EXCP_GP },
    { "out", gen_fault, X86_EXCP_GP }, { "insb", gen_fault, X86_EXCP_GP },
    { "ins", gen_fault, X86_EXCP_GP }, { "outsb", gen_fault, X86_EXCP_GP },
    { "outs", gen_fault, X86_EXCP_GP }, { "int", gen_fault, X86_EXCP_GP },
    { "clts", gen_fault, X86_EXCP_GP }, { "wbinvd", gen_fault, X86_EXCP_GP },
    { "invd", gen_fault, X86_EXCP_GP }, { "wrmsr", gen_fault, X86_EXCP_GP },
    { "rdmsr", gen_fault, X86_EXCP_GP }, { "rdpmc", gen_fault, X86_EXCP_GP },
    { "swapgs", gen_fault, X86_EXCP_GP }, { "sysret", gen_fault, X86_EXCP_GP },
    { "lgdt", gen_fault, X86_EXCP_GP }, { "lidt", gen_fault, X86_EXCP_GP },
    { "lldt", gen_fault, X86_EXCP_GP }, { "ltr", gen_fault, X86_EXCP_GP },
    { "lmsw", gen_fault, X86_EXCP_GP }, { "invlpg", gen_fault, X86_EXCP_GP },
    { "cpuid", gen_cpuid, 0 }, { "rdtsc", gen_rdtsc, 0 },
    { "cld", gen_setdf, 1 }, { "std", gen_setdf, -1 },
    { "clc", gen_cf_insn, 0 }, { "stc", gen_cf_insn, 1 },
    { "cmc", gen_cf_insn, 2 },
    { "lahf", gen_lahf, 0 }, { "sahf", gen_sahf, 0 },
};

static void add_gens(const InsnGen *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        g_hash_table_insert(insn_gens, (gpointer)list[i].name,
                            (gpointer)&list[i]);
}

void x86_tcg_init(void)
{
    static const char *const names[16] = {
        "rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
        "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15",
    };
    const X86OpsList *more[] = { x86_ops_list(), x86_sse_list(),
                                 x86_x87_list(), x86_sse4_list() };

    for (int i = 0; i < 16; i++) {
        cpu_regs[i] = tcg_global_mem_new_i64(
            X86_ENV_OFFSET(regs) + i * (intptr_t)sizeof(uint64_t), names[i]);
    }
    cpu_rip = tcg_global_mem_new_i64(X86_ENV_OFFSET(rip), "rip");
    cpu_cc_dst = tcg_global_mem_new_i64(X86_ENV_OFFSET(cc_dst), "cc_dst");
    cpu_cc_src = tcg_global_mem_new_i64(X86_ENV_OFFSET(cc_src), "cc_src");
    cpu_cc_src2 = tcg_global_mem_new_i64(X86_ENV_OFFSET(cc_src2),
                                         "cc_src2");
    cpu_cc_op = tcg_global_mem_new_i32(X86_ENV_OFFSET(cc_op), "cc_op");
    /* Each insn_start records cc_op when the translator knows it, and
       x86_restore_state puts it back at a fault: an access that may
       fault does not store it first (gen_store_cc_op when not known). */
    tcg_global_fault_restored_i32(cpu_cc_op);
    /* Kept in host registers across TBs (tcg_global_pin), as many as
       the host has: the stack pointer, the accumulator, the lazy flags'
       operands (written by nearly every ALU op), the first two
       argument registers and rdx (the registers the integer benchmark's
       hot code uses most: rax, rdx, rsp, rcx, rdi, rsi by run time). */
    TCGv_i64 pins[] = { cpu_regs[R_ESP], cpu_regs[R_EAX], cpu_cc_dst,
                        cpu_cc_src, cpu_regs[R_EDI], cpu_regs[R_ESI],
                        cpu_regs[R_EDX] };
    for (size_t i = 0; i < sizeof(pins) / sizeof(pins[0]); i++)
        if (!tcg_global_pin_i64(pins[i]))
            break;

    insn_gens = g_hash_table_new(g_str_hash, g_str_equal);
    add_gens(insn_gen_list, G_N_ELEMENTS(insn_gen_list));
    for (size_t i = 0; i < G_N_ELEMENTS(more); i++)
        add_gens(more[i]->gens, more[i]->n);
}

/* The generator of a decoded insn: by name from insn_gens, remembered
   per decode-table entry (a string hash per guest insn was 0.6% of a gcc
   run).  Translation holds tb_lock, so one thread at a time is here. */
static const InsnGen *insn_gen_for(const X86InsnInfo *info)
{
    static struct {
        const X86InsnInfo *info;
        const InsnGen *gen;
    } cache[1024];
    unsigned i = (unsigned)((uintptr_t)info / sizeof(*info)) % 1024;

    if (cache[i].info != info) {
        cache[i].gen = g_hash_table_lookup(insn_gens, info->name);
        cache[i].info = info;
    }
    return cache[i].gen;
}

/* Fetches and decodes the insn at ctx->pc, reading only the bytes the
   decoder asks for (so that no fetch touches a page the insn does not
   reach). */
static X86DecodeResult fetch_decode(DisasContext *ctx)
{
    uint8_t buf[X86_MAX_INSN_LEN];
    size_t n = 0, need = 1;
    X86DecodeResult r;

    for (;;) {
        for (; n < need; n++)
            buf[n] = translator_ldub(&ctx->base, ctx->pc + n);
        r = x86_decode(X86_MODE_64, buf, n, &ctx->insn);
        if (r != X86_DECODE_MORE)
            return r;
        need = ctx->insn.len > n ? ctx->insn.len : n + 1;
        if (need > X86_MAX_INSN_LEN)
            return X86_DECODE_GP;
    }
}

/* The insn's extra word is cc_op + 1 before it, or 0 where only env
   has it (x86_restore_state). */
static void x86_insn_start(DisasContextBase *db, CPUState *cs)
{
    DisasContext *ctx = (DisasContext *)db;

    (void)cs;
    tcg_gen_insn_start(db->pc_next, ctx->cc_op == CC_OP_DYNAMIC
                                    ? 0 : (uint64_t)ctx->cc_op + 1);
}

static void x86_translate_insn(DisasContextBase *db, CPUState *cs)
{
    DisasContext *ctx = (DisasContext *)db;
    const InsnGen *g;

    (void)cs;
    ctx->pc = db->pc_next;
    ctx->ea = NULL;
    ctx->fused_cc_op = ctx->fused_next;
    ctx->fused_next = CC_OP_DYNAMIC;
    ctx->mmx_prev = ctx->mmx_now;
    ctx->mmx_now = false;
    switch (fetch_decode(ctx)) {
    case X86_DECODE_OK:
        break;
    case X86_DECODE_GP:
        db->pc_next = ctx->pc + 1;
        gen_exception(ctx, X86_EXCP_GP);
        return;
    default:
        db->pc_next = ctx->pc + 1;
        gen_exception(ctx, X86_EXCP_UD);
        return;
    }
    db->pc_next = ctx->pc + ctx->insn.len;
    g = insn_gen_for(ctx->insn.info);
    if (!g) {
        char text[64];

        x86_format_insn(&ctx->insn, text, sizeof(text));
        log_mask(LOG_UNIMP, "x86: unimplemented instruction '%s' at "
                 "0x%llx\n", text, (unsigned long long)ctx->pc);
        gen_exception(ctx, X86_EXCP_UD);
    } else {
        g->fn(ctx, g->arg);
        if (ctx->mmx_late)
            gen_mmx_done(ctx);
    }
    free_tmps(ctx);
}

static void x86_tb_stop(DisasContextBase *db, CPUState *cs)
{
    DisasContext *ctx = (DisasContext *)db;

    (void)cs;
    switch (db->is_jmp) {
    case DISAS_TOO_MANY:
        gen_goto_tb(ctx, 0, db->pc_next);
        break;
    case DISAS_JUMP:
        tcg_gen_lookup_and_goto_ptr();
        break;
    default:
        break;
    }
}

static const TranslatorOps x86_translator_ops = {
    .insn_start = x86_insn_start,
    .translate_insn = x86_translate_insn,
    .tb_stop = x86_tb_stop,
};

void x86_translate(CPUState *cs, TranslationBlock *tb, int max_insns)
{
    DisasContext ctx = {
        .cc_op = CC_OP_DYNAMIC,
        .sse_inline = (tb->flags & X86_TB_MXCSR_DEFAULT) &&
                      tcg_have_fp_arith(),
        .fused_cc_op = CC_OP_DYNAMIC,
        .fused_next = CC_OP_DYNAMIC,
    };

    ctx.fused_a = tcg_temp_new_i64();
    ctx.fused_b = tcg_temp_new_i64();
    translator_loop(cs, tb, max_insns, &x86_translator_ops, &ctx.base);
    tcg_temp_free_i64(ctx.fused_a);
    tcg_temp_free_i64(ctx.fused_b);
}
