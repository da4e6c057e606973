/*
 * The x86-64 insns that need more than a load, an op and a store (the
 * rest are in translate.c): shifts and rotates (RCL/RCR through a
 * helper) and SHLD/SHRD with their count rules, MUL/IMUL in all forms,
 * DIV/IDIV (a helper, for #DE), BT/BTS/BTR/BTC, BSF/BSR, POPCNT/LZCNT
 * (TZCNT once the model has BMI1), BSWAP, MOVBE, CLFLUSH, CMPXCHG and
 * XADD (host atomics under LOCK), CMPXCHG8B/16B (always atomic, a
 * helper) and the string insns with their REP prefixes.  A REP string
 * insn does one iteration per run of its TB and jumps back to itself, so
 * that a long copy can be interrupted (a signal) between two iterations,
 * as on the CPU.
 */
#include <glib.h>

#include "mimic/log.h"
#include "translate-internal.h"

/* ---- Shifts and rotates ---- */

enum { SH_ROL, SH_ROR, SH_RCL, SH_RCR, SH_SHL, SH_SHR, SH_SAL, SH_SAR };

/* The count, masked as the CPU does (5 bits, 6 with 64-bit operands). */
/* The masked count of a shift or rotate by an immediate (or by 1), or
   -1 for a count in CL. */
static int const_count(DisasContext *ctx, unsigned bits)
{
    int k = ctx->insn.info->op[1].kind;

    if (k == X86_OPK_ONE)
        return 1;
    if (k != X86_OPK_I)
        return -1;
    return (int)(ctx->insn.imm & (bits == 64 ? 63 : 31));
}

static TCGv_i64 shift_count(DisasContext *ctx, unsigned bits)
{
    TCGv_i64 c = tmp(ctx);

    gen_load_op(ctx, 1, c);
    tcg_gen_andi_i64(c, c, bits == 64 ? 63 : 31);
    return c;
}

/* SHL/SAL, SHR, SAR: flags only when the masked count is not 0. */
static void gen_shift_lr(DisasContext *ctx, int op, unsigned bits,
                         TCGv_i64 c, TCGv_i64 v)
{
    TCGv_i64 r = tmp(ctx), s = tmp(ctx), c1 = tmp(ctx), zero;
    TCGv_i32 c32 = tcg_temp_new_i32(), op32 = tcg_temp_new_i32();
    int kind = op == SH_SHL || op == SH_SAL ? CC_KIND_SHL : CC_KIND_SAR;
    int sz = bits == 8 ? 0 : bits == 16 ? 1 : bits == 32 ? 2 : 3;

    gen_ext(v, v, bits, op == SH_SAR);
    tcg_gen_subi_i64(c1, c, 1);
    tcg_gen_andi_i64(c1, c1, 63);
    if (kind == CC_KIND_SHL) {
        tcg_gen_shl_i64(r, v, c);
        tcg_gen_shl_i64(s, v, c1);
    } else if (op == SH_SAR) {
        tcg_gen_sar_i64(r, v, c);
        tcg_gen_sar_i64(s, v, c1);
    } else {
        tcg_gen_shr_i64(r, v, c);
        tcg_gen_shr_i64(s, v, c1);
    }
    gen_store_op(ctx, 0, r);
    /* A count of 0 leaves every flag (and cc_op) as it was; a constant
       one says at translation time which. */
    if (const_count(ctx, bits) == 0)
        return;
    if (const_count(ctx, bits) > 0) {
        gen_set_flags(ctx, kind, bits, r, s, NULL);
        return;
    }
    zero = tcg_constant_i64(0);
    tcg_gen_movcond_i64(TCG_COND_EQ, cpu_cc_dst, c, zero, cpu_cc_dst, r);
    tcg_gen_movcond_i64(TCG_COND_EQ, cpu_cc_src, c, zero, cpu_cc_src, s);
    tcg_gen_extrl_i64_i32(c32, c);
    tcg_gen_movi_i32(op32, CC_OP(kind, sz));
    tcg_gen_movcond_i32(TCG_COND_EQ, cpu_cc_op, c32, tcg_constant_i32(0),
                        cpu_cc_op, op32);
    tcg_temp_free_i32(c32);
    tcg_temp_free_i32(op32);
    gen_store_cc_op(ctx);
}

/*
 * ROL/ROR: the value repeated across 64 bits and rotated there is the
 * value rotated within its size.  Only CF and OF change (OF as the SDM
 * defines it for a count of 1, for every count); a count of 0 changes
 * nothing.  With a constant count after an operation whose flags are
 * known and leave cc_src2 free, the flags stay lazy: cc_src2 takes the
 * result, from which CF and OF come, and cc_op says both operations
 * (CC_OP_ROT); hashes rotate between additions and XORs, and
 * materializing EFLAGS at each rotate was a helper call.
 */
static void gen_rotate(DisasContext *ctx, int op, unsigned bits,
                       TCGv_i64 c, TCGv_i64 v)
{
    static const uint64_t rep[] = { 0x0101010101010101ull,
                                    0x0001000100010001ull,
                                    0x0000000100000001ull, 1 };
    int sz = bits == 8 ? 0 : bits == 16 ? 1 : bits == 32 ? 2 : 3;
    TCGv_i64 r = tmp(ctx), f, nf = tmp(ctx), cf = tmp(ctx), of = tmp(ctx);

    gen_ext(v, v, bits, false);
    tcg_gen_muli_i64(r, v, (int64_t)rep[sz]);
    if (op == SH_ROL)
        tcg_gen_rotl_i64(r, r, c);
    else
        tcg_gen_rotr_i64(r, r, c);
    gen_ext(r, r, bits, false);
    gen_store_op(ctx, 0, r);
    if (const_count(ctx, bits) == 0)
        return;
    if (const_count(ctx, bits) > 0 && ctx->cc_op != CC_OP_DYNAMIC &&
        ctx->cc_op != CC_OP_EFLAGS) {
        int base = CC_OP_BASE(ctx->cc_op), kind = CC_OP_KIND(base);

        if (kind != CC_KIND_ADC && kind != CC_KIND_SBB) {
            tcg_gen_mov_i64(cpu_cc_src2, r);
            set_cc_op(ctx, CC_OP_ROT(base, op == SH_ROR, sz));
            return;
        }
    }
    f = gen_materialize_flags(ctx);
    if (op == SH_ROL) {
        tcg_gen_andi_i64(cf, r, 1);                 /* CF = low bit */
        tcg_gen_shri_i64(of, r, bits - 1);
        tcg_gen_xor_i64(of, of, cf);                /* OF = top ^ CF */
    } else {
        tcg_gen_shri_i64(cf, r, bits - 1);          /* CF = top bit */
        tcg_gen_shri_i64(of, r, bits - 2);
        tcg_gen_xor_i64(of, of, cf);                /* OF = top ^ next */
        tcg_gen_andi_i64(of, of, 1);
    }
    tcg_gen_shli_i64(of, of, 11);
    tcg_gen_andi_i64(nf, f, ~(int64_t)(X86_CF | X86_OF));
    tcg_gen_or_i64(nf, nf, cf);
    tcg_gen_or_i64(nf, nf, of);
    tcg_gen_movcond_i64(TCG_COND_EQ, f, c, tcg_constant_i64(0), f, nf);
}

/* RCL/RCR: rare enough for a helper, which reads and writes CF and OF
   in the flags made CC_OP_EFLAGS first. */
static void gen_rotate_carry(DisasContext *ctx, int op, unsigned bits,
                             TCGv_i64 c, TCGv_i64 v)
{
    int sz = bits == 8 ? 0 : bits == 16 ? 1 : bits == 32 ? 2 : 3;
    TCGv_i64 r = tmp(ctx);

    gen_materialize_flags(ctx);
    gen_helper_rotate_carry(r, tcg_env(), v, c,
                            tcg_constant_i32(sz | (op == SH_RCR ?
                                                   X86_RC_RIGHT : 0)));
    gen_store_op(ctx, 0, r);
}

static void gen_shift(DisasContext *ctx, int op)
{
    unsigned bits = op_bits(ctx, 0);
    TCGv_i64 v = tmp(ctx), c = shift_count(ctx, bits);

    gen_load_op(ctx, 0, v);
    if (op == SH_RCL || op == SH_RCR) {
        gen_rotate_carry(ctx, op, bits, c, v);
    } else if (op == SH_ROL || op == SH_ROR) {
        gen_rotate(ctx, op, bits, c, v);
    } else {
        gen_shift_lr(ctx, op, bits, c, v);
    }
}

/*
 * SHLD (arg 0) and SHRD (1): the destination shifted, the vacated bits
 * filled from the source.  The pair is laid out in one 64-bit value
 * where it fits (16 and 32 bits); 64 bits combine two shifts.  The
 * lazy flags are SHL's and SHR's: cc_src is the destination shifted by
 * count - 1, whose top (SHLD) or low (SHRD) bit is CF; OF for a count
 * above 1 as for 1, as AMD CPUs do; AF = 0.  A 16-bit count above 16 is
 * undefined: Mimic shifts the 48 bits dest:src:dest (AMD CPUs differ).
 */
static void gen_shiftd(DisasContext *ctx, int right)
{
    unsigned bits = op_bits(ctx, 0);
    TCGv_i64 d = tmp(ctx), s = tmp(ctx), c = tmp(ctx), c1 = tmp(ctx);
    TCGv_i64 x = tmp(ctx), r = tmp(ctx), w = tmp(ctx), t = tmp(ctx), zero;
    TCGv_i32 c32 = tcg_temp_new_i32(), op32 = tcg_temp_new_i32();
    int sz = bits == 16 ? 1 : bits == 32 ? 2 : 3;

    gen_load_op(ctx, 0, d);
    gen_load_op(ctx, 1, s);
    gen_load_op(ctx, 2, c);
    tcg_gen_andi_i64(c, c, bits == 64 ? 63 : 31);
    tcg_gen_subi_i64(c1, c, 1);
    tcg_gen_andi_i64(c1, c1, 63);           /* c = 0 is thrown away */
    if (bits == 64) {
        /* r = d << c | s >> (64 - c), w the same for c - 1; the s part
           is shifted in two steps so that no count reaches 64. */
        TCGv_i64 n = tmp(ctx), n1 = tmp(ctx);

        tcg_gen_xori_i64(n, c, 63);                 /* 63 - c */
        tcg_gen_xori_i64(n1, c1, 63);               /* 64 - c */
        if (!right) {
            tcg_gen_shri_i64(t, s, 1);
            tcg_gen_shr_i64(x, t, n);
            tcg_gen_shl_i64(r, d, c);
            tcg_gen_or_i64(r, r, x);
            tcg_gen_shr_i64(x, t, n1);
            tcg_gen_shl_i64(w, d, c1);
            tcg_gen_or_i64(w, w, x);
        } else {
            tcg_gen_shli_i64(t, s, 1);
            tcg_gen_shl_i64(x, t, n);
            tcg_gen_shr_i64(r, d, c);
            tcg_gen_or_i64(r, r, x);
            tcg_gen_shl_i64(x, t, n1);
            tcg_gen_shr_i64(w, d, c1);
            tcg_gen_or_i64(w, w, x);
        }
    } else {
        /* 32: d:s (SHLD) or s:d (SHRD); 16: d:s:d for both. */
        if (bits == 32) {
            tcg_gen_shli_i64(x, right ? s : d, 32);
            tcg_gen_or_i64(x, x, right ? d : s);
        } else {
            tcg_gen_shli_i64(x, d, 32);
            tcg_gen_shli_i64(t, s, 16);
            tcg_gen_or_i64(x, x, t);
            tcg_gen_or_i64(x, x, d);
        }
        if (right) {
            tcg_gen_shr_i64(r, x, c);
            tcg_gen_shr_i64(w, x, c1);
        } else {
            /* The top of the window: bits 63:32 (32) or 47:32 (16) of
               x shifted left, taken by shifting right instead. */
            TCGv_i64 n = tmp(ctx);

            tcg_gen_movi_i64(n, 32);
            tcg_gen_sub_i64(n, n, c);               /* 32 - c >= 1 */
            tcg_gen_shr_i64(r, x, n);
            tcg_gen_addi_i64(n, n, 1);
            tcg_gen_andi_i64(n, n, 63);
            tcg_gen_shr_i64(w, x, n);
        }
        gen_ext(r, r, bits, false);
        gen_ext(w, w, bits, false);
    }
    zero = tcg_constant_i64(0);
    tcg_gen_movcond_i64(TCG_COND_EQ, r, c, zero, d, r);
    gen_store_op(ctx, 0, r);
    /* A count of 0 leaves every flag (and cc_op) as it was. */
    tcg_gen_movcond_i64(TCG_COND_EQ, cpu_cc_dst, c, zero, cpu_cc_dst, r);
    tcg_gen_movcond_i64(TCG_COND_EQ, cpu_cc_src, c, zero, cpu_cc_src, w);
    tcg_gen_extrl_i64_i32(c32, c);
    tcg_gen_movi_i32(op32, CC_OP(right ? CC_KIND_SAR : CC_KIND_SHL, sz));
    tcg_gen_movcond_i32(TCG_COND_EQ, cpu_cc_op, c32, tcg_constant_i32(0),
                        cpu_cc_op, op32);
    tcg_temp_free_i32(c32);
    tcg_temp_free_i32(op32);
    gen_store_cc_op(ctx);
}

/* ---- Multiply and divide ---- */

/* MUL (arg 0) and IMUL (arg 1) with one operand: rDX:rAX = rAX * src
   (AX = AL * src for bytes). */
static void gen_mul1(DisasContext *ctx, int sign)
{
    unsigned bits = op_bits(ctx, 0);
    TCGv_i64 a = tmp(ctx), b = tmp(ctx), lo = tmp(ctx), hi = tmp(ctx);
    TCGv_i64 ovf = tmp(ctx);

    gen_load_op(ctx, 0, b);
    gen_ext(b, b, bits, sign);
    gen_ext(a, cpu_regs[R_EAX], bits, sign);
    if (bits == 64) {
        tcg_gen_mul_i64(lo, a, b);
        if (sign)
            tcg_gen_mulsh_i64(hi, a, b);
        else
            tcg_gen_muluh_i64(hi, a, b);
    } else {
        tcg_gen_mul_i64(lo, a, b);      /* the whole product fits */
        if (sign)
            tcg_gen_sari_i64(hi, lo, bits);
        else
            tcg_gen_shri_i64(hi, lo, bits);
    }
    /* CF = OF = the high half is more than the low half's extension. */
    if (sign) {
        TCGv_i64 e = tmp(ctx);

        gen_ext(e, lo, bits, true);
        if (bits == 64) {
            tcg_gen_sari_i64(e, lo, 63);
            tcg_gen_setcond_i64(TCG_COND_NE, ovf, hi, e);
        } else {
            tcg_gen_setcond_i64(TCG_COND_NE, ovf, lo, e);
        }
    } else {
        gen_ext(hi, hi, bits, false);
        tcg_gen_setcondi_i64(TCG_COND_NE, ovf, hi, 0);
    }
    if (bits == 8) {
        gen_write_reg(ctx, R_EAX, 16, lo);
    } else {
        gen_write_reg(ctx, R_EAX, bits, lo);
        gen_write_reg(ctx, R_EDX, bits, hi);
    }
    gen_set_flags(ctx, CC_KIND_MUL, bits, lo, ovf, NULL);
}

/* IMUL Gv, Ev and IMUL Gv, Ev, imm: the low half of the product. */
static void gen_imul(DisasContext *ctx, int arg)
{
    const X86InsnInfo *info = ctx->insn.info;
    unsigned bits;
    TCGv_i64 a = tmp(ctx), b = tmp(ctx), lo = tmp(ctx), e = tmp(ctx);
    TCGv_i64 ovf = tmp(ctx);

    (void)arg;
    if (info->op[1].kind == X86_OPK_NONE) {
        gen_mul1(ctx, 1);
        return;
    }
    bits = op_bits(ctx, 0);
    gen_load_op(ctx, 1, a);
    if (info->op[2].kind == X86_OPK_I)
        tcg_gen_movi_i64(b, (int64_t)ctx->insn.imm);
    else
        gen_load_op(ctx, 0, b);
    gen_ext(a, a, bits, true);
    gen_ext(b, b, bits, true);
    tcg_gen_mul_i64(lo, a, b);
    if (bits == 64) {
        TCGv_i64 hi = tmp(ctx);

        tcg_gen_mulsh_i64(hi, a, b);
        tcg_gen_sari_i64(e, lo, 63);
        tcg_gen_setcond_i64(TCG_COND_NE, ovf, hi, e);
    } else {
        gen_ext(e, lo, bits, true);
        tcg_gen_setcond_i64(TCG_COND_NE, ovf, lo, e);
    }
    gen_store_op(ctx, 0, lo);
    gen_set_flags(ctx, CC_KIND_MUL, bits, lo, ovf, NULL);
}

/* DIV (arg 0), IDIV (arg X86_DIV_SIGNED).  The flags are undefined:
   Mimic leaves them as they were. */
/*
 * The common 64-bit DIV/IDIV inline: a dividend rDX:rAX that is rAX
 * zero- or sign-extended (what compilers divide after XOR EDX or CQO)
 * and a divisor that cannot fault (not 0; for IDIV not INT64_MIN / -1)
 * need one host division, not the helper's 128-bit one.  Quotient and
 * remainder are computed with a safe divisor whatever happens and
 * written only when that holds; otherwise the helper runs (the
 * general case, #DE): returns the label that skips it.
 */
/* q and r = n divided by v, or by 1 where ok is 0 (the division must
   not run there: it would fault on the host). */
static void gen_divrem_safe(DisasContext *ctx, TCGv_i64 q, TCGv_i64 r,
                            TCGv_i64 n, TCGv_i64 v, TCGv_i64 ok, int sign)
{
    TCGv_i64 d = tmp(ctx);

    tcg_gen_movcond_i64(TCG_COND_NE, d, ok, tcg_constant_i64(0), v,
                        tcg_constant_i64(1));
    if (sign) {
        tcg_gen_div_i64(q, n, d);
        tcg_gen_rem_i64(r, n, d);
    } else {
        tcg_gen_divu_i64(q, n, d);
        tcg_gen_remu_i64(r, n, d);
    }
}

/* rAX and rDX take q and r where ok, and the returned label (placed
   after the helper by gen_div) is reached without the helper. */
static TCGLabel *gen_div_write_if(TCGv_i64 q, TCGv_i64 r, TCGv_i64 ok)
{
    TCGLabel *done = gen_new_label();

    tcg_gen_movcond_i64(TCG_COND_NE, cpu_regs[R_EAX], ok,
                        tcg_constant_i64(0), q, cpu_regs[R_EAX]);
    tcg_gen_movcond_i64(TCG_COND_NE, cpu_regs[R_EDX], ok,
                        tcg_constant_i64(0), r, cpu_regs[R_EDX]);
    tcg_gen_brcondi_i64(TCG_COND_NE, ok, 0, done);
    return done;
}

static TCGLabel *gen_div64_inline(DisasContext *ctx, TCGv_i64 v, int sign)
{
    TCGv_i64 ok = tmp(ctx), t = tmp(ctx), d = tmp(ctx), q = tmp(ctx);
    TCGv_i64 r = tmp(ctx);
    TCGv_i64 rax = cpu_regs[R_EAX], rdx = cpu_regs[R_EDX];

    if (sign) {
        tcg_gen_sari_i64(t, rax, 63);
        tcg_gen_setcond_i64(TCG_COND_EQ, ok, rdx, t);
        tcg_gen_setcondi_i64(TCG_COND_NE, t, rax, INT64_MIN);
        tcg_gen_setcondi_i64(TCG_COND_NE, d, v, -1);
        tcg_gen_or_i64(t, t, d);
        tcg_gen_and_i64(ok, ok, t);
    } else {
        tcg_gen_setcondi_i64(TCG_COND_EQ, ok, rdx, 0);
    }
    tcg_gen_setcondi_i64(TCG_COND_NE, t, v, 0);
    tcg_gen_and_i64(ok, ok, t);
    gen_divrem_safe(ctx, q, r, rax, v, ok, sign);
    return gen_div_write_if(q, r, ok);
}

/*
 * 32-bit DIV/IDIV inline: the dividend EDX:EAX fits a host register, so
 * one 64-bit host division gives quotient and remainder; it is written
 * when the divisor is not 0 and the quotient fits 32 bits (for IDIV, the
 * dividend INT64_MIN with -1 is left to the helper as well, as the host
 * division would fault).  Big-number code (CPython's 30-bit digits)
 * divides this way.  As gen_div64_inline: the label skipping the helper.
 */
static TCGLabel *gen_div32_inline(DisasContext *ctx, TCGv_i64 v, int sign)
{
    TCGv_i64 n = tmp(ctx), d = tmp(ctx), ok = tmp(ctx), t = tmp(ctx);
    TCGv_i64 q = tmp(ctx), r = tmp(ctx);

    tcg_gen_shli_i64(n, cpu_regs[R_EDX], 32);
    tcg_gen_ext32u_i64(t, cpu_regs[R_EAX]);
    tcg_gen_or_i64(n, n, t);
    gen_ext(d, v, 32, sign != 0);
    tcg_gen_setcondi_i64(TCG_COND_NE, ok, d, 0);
    if (sign) {
        tcg_gen_setcondi_i64(TCG_COND_NE, t, n, INT64_MIN);
        tcg_gen_setcondi_i64(TCG_COND_NE, q, d, -1);
        tcg_gen_or_i64(t, t, q);
        tcg_gen_and_i64(ok, ok, t);
    }
    gen_divrem_safe(ctx, q, r, n, d, ok, sign);
    gen_ext(t, q, 32, sign != 0);
    tcg_gen_setcond_i64(TCG_COND_EQ, t, t, q);      /* the quotient fits */
    tcg_gen_and_i64(ok, ok, t);
    tcg_gen_ext32u_i64(q, q);
    tcg_gen_ext32u_i64(r, r);
    return gen_div_write_if(q, r, ok);
}

static void gen_div(DisasContext *ctx, int sign)
{
    unsigned bits = op_bits(ctx, 0);
    int sz = bits == 8 ? 0 : bits == 16 ? 1 : bits == 32 ? 2 : 3;
    TCGv_i64 v = tmp(ctx);
    TCGLabel *done = NULL;

    gen_load_op(ctx, 0, v);
    if (bits == 64)
        done = gen_div64_inline(ctx, v, sign);
    else if (bits == 32)
        done = gen_div32_inline(ctx, v, sign);
    gen_helper_div(tcg_env(), v, tcg_constant_i32(sz | sign));
    if (done)
        gen_set_label(done);
}

/* ---- Bit insns ---- */

enum { BT_TEST, BT_SET, BT_RESET, BT_COMPLEMENT };

/*
 * BT/BTS/BTR/BTC: CF = the bit; the others keep their values (the SDM
 * leaves OF SF AF PF undefined).  A register bit offset with a memory
 * operand is signed and reaches any byte: the address moves by whole
 * operands.
 */
static void gen_bt(DisasContext *ctx, int op)
{
    unsigned bits = op_bits(ctx, 0);
    TCGv_i64 off = tmp(ctx), mask = tmp(ctx), v = tmp(ctx), r = tmp(ctx);
    TCGv_i64 cf = tmp(ctx), addr = NULL, f;
    bool mem = op_is_mem(ctx, 0);
    bool reg_off = ctx->insn.info->op[1].kind == X86_OPK_G;

    gen_load_op(ctx, 1, off);
    if (mem && reg_off) {
        TCGv_i64 d = tmp(ctx);
        int lg = bits == 16 ? 4 : bits == 32 ? 5 : 6;

        gen_ext(d, off, bits, true);
        tcg_gen_sari_i64(d, d, lg);
        tcg_gen_shli_i64(d, d, lg - 3);
        addr = tmp(ctx);
        tcg_gen_add_i64(addr, gen_ea(ctx), d);
    } else if (mem) {
        addr = gen_ea(ctx);
    }
    tcg_gen_andi_i64(off, off, bits - 1);
    tcg_gen_shl_i64(mask, tcg_constant_i64(1), off);
    if (mem && (ctx->insn.prefixes & X86_PFX_LOCK)) {
        static const int aop[] = { 0, X86_ATOMIC_OR, X86_ATOMIC_AND,
                                   X86_ATOMIC_XOR };
        TCGv_i64 arg = tmp(ctx);

        if (op == BT_RESET)
            tcg_gen_not_i64(arg, mask);
        else
            tcg_gen_mov_i64(arg, mask);
        gen_helper_atomic_rmw(v, tcg_env(), addr, arg,
                              tcg_constant_i32(aop[op] | mo_bits(bits)));
    } else {
        if (mem)
            tcg_gen_qemu_ld_i64(v, addr, 0, mo_bits(bits));
        else
            gen_load_op(ctx, 0, v);
        if (op != BT_TEST) {
            if (op == BT_SET)
                tcg_gen_or_i64(r, v, mask);
            else if (op == BT_RESET)
                tcg_gen_andc_i64(r, v, mask);
            else
                tcg_gen_xor_i64(r, v, mask);
            if (mem)
                tcg_gen_qemu_st_i64(r, addr, 0, mo_bits(bits));
            else
                gen_store_op(ctx, 0, r);
        }
    }
    tcg_gen_shr_i64(cf, v, off);
    tcg_gen_andi_i64(cf, cf, 1);
    f = gen_materialize_flags(ctx);
    tcg_gen_andi_i64(f, f, ~(int64_t)X86_CF);
    tcg_gen_or_i64(f, f, cf);
}

/*
 * BSF (arg 0) and BSR (1), and TZCNT and LZCNT on a model without them
 * (gen_bitcount).  ZF = the source is 0, and then the destination
 * keeps its whole value (as Intel and AMD CPUs do); the other flags keep
 * theirs.
 */
static void gen_bitscan(DisasContext *ctx, int reverse)
{
    unsigned bits = op_bits(ctx, 0);
    TCGv_i64 v = tmp(ctx), idx = tmp(ctx), z = tmp(ctx), f, cur = tmp(ctx);
    int r = ctx->insn.reg;

    gen_load_op(ctx, 1, v);
    gen_helper_bitscan(idx, v, tcg_constant_i32(reverse));
    tcg_gen_mov_i64(cur, cpu_regs[r]);
    gen_write_reg(ctx, r, bits, idx);
    tcg_gen_movcond_i64(TCG_COND_EQ, cpu_regs[r], v, tcg_constant_i64(0),
                        cur, cpu_regs[r]);
    f = gen_materialize_flags(ctx);
    tcg_gen_setcondi_i64(TCG_COND_EQ, z, v, 0);
    tcg_gen_shli_i64(z, z, 6);
    tcg_gen_andi_i64(f, f, ~(int64_t)X86_ZF);
    tcg_gen_or_i64(f, f, z);
}

static bool has_feature(DisasContext *ctx, X86Feature f)
{
    return x86_cpu_has_feature(X86_CPU(ctx->base.cpu), f);
}

/* An insn of an extension the CPU model lacks: #UD, as on such a CPU. */
static bool require(DisasContext *ctx, X86Feature f)
{
    if (has_feature(ctx, f))
        return true;
    gen_exception(ctx, X86_EXCP_UD);
    return false;
}

/*
 * POPCNT: every flag cleared but ZF (the source is 0).  LZCNT and
 * TZCNT: CF = the source is 0, ZF = the result is 0; the SDM leaves OF,
 * SF, AF and PF undefined, and Mimic does what AMD CPUs do: SF, AF and
 * PF cleared, OF kept.  Without LZCNT (BMI1 for TZCNT) in the model
 * these encodings are BSR and BSF, the F3 ignored as such a CPU does.
 */
static void gen_bitcount(DisasContext *ctx, int op)
{
    unsigned bits = op_bits(ctx, 0);
    int sz = bits == 16 ? 1 : bits == 32 ? 2 : 3;
    TCGv_i64 v = tmp(ctx), r = tmp(ctx), z = tmp(ctx), f;

    if (op == X86_BITCOUNT_POPCNT && !require(ctx, X86_FEAT_POPCNT))
        return;
    if (op == X86_BITCOUNT_LZCNT && !has_feature(ctx, X86_FEAT_LZCNT)) {
        gen_bitscan(ctx, 1);
        return;
    }
    if (op == X86_BITCOUNT_TZCNT && !has_feature(ctx, X86_FEAT_BMI1)) {
        gen_bitscan(ctx, 0);
        return;
    }
    gen_load_op(ctx, 1, v);
    gen_helper_bitcount(r, v, tcg_constant_i32(op | sz));
    gen_store_op(ctx, 0, r);
    if (op == X86_BITCOUNT_POPCNT) {
        gen_ext(v, v, bits, false);
        tcg_gen_setcondi_i64(TCG_COND_EQ, z, v, 0);
        tcg_gen_shli_i64(cpu_cc_src, z, 6);         /* ZF */
        set_cc_op(ctx, CC_OP_EFLAGS);
        return;
    }
    f = gen_materialize_flags(ctx);
    tcg_gen_andi_i64(f, f, X86_OF);
    tcg_gen_setcondi_i64(TCG_COND_EQ, z, r, bits);  /* CF */
    tcg_gen_or_i64(f, f, z);
    tcg_gen_setcondi_i64(TCG_COND_EQ, z, r, 0);
    tcg_gen_shli_i64(z, z, 6);                      /* ZF */
    tcg_gen_or_i64(f, f, z);
}

/* MOVBE: a load or a store with the bytes reversed; a 16-bit register
   destination keeps its other bits. */
static void gen_movbe(DisasContext *ctx, int arg)
{
    unsigned bits = op_bits(ctx, 0);
    TCGv_i64 v = tmp(ctx);

    (void)arg;
    if (!require(ctx, X86_FEAT_MOVBE))
        return;
    if (op_is_mem(ctx, 0)) {
        gen_load_op(ctx, 1, v);
        tcg_gen_qemu_st_i64(v, gen_ea(ctx), 0, mo_bits(bits) | MO_BE);
    } else {
        tcg_gen_qemu_ld_i64(v, gen_ea(ctx), 0, mo_bits(bits) | MO_BE);
        gen_store_op(ctx, 0, v);
    }
}

/* CLFLUSH: there is no cache to write back, but the insn faults as a
   byte load of its operand would (the SDM: "subject to all permission
   checking and faults associated with a byte load"). */
static void gen_clflush(DisasContext *ctx, int arg)
{
    TCGv_i64 v = tmp(ctx);

    (void)arg;
    if (!require(ctx, X86_FEAT_CLFSH))
        return;
    tcg_gen_qemu_ld_i64(v, gen_ea(ctx), 0, MO_UB);
}

static void gen_bswap(DisasContext *ctx, int arg)
{
    unsigned bits = op_bits(ctx, 0);
    TCGv_i64 v = tmp(ctx);

    (void)arg;
    gen_load_op(ctx, 0, v);
    gen_helper_bswap(v, v, tcg_constant_i32(bits));
    gen_store_op(ctx, 0, v);
}

/* ---- Exchanges ---- */

/*
 * CMPXCHG: compares the accumulator with the destination; equal: the
 * destination gets the source; else the accumulator gets the
 * destination (a memory destination is written back unchanged, as the
 * CPU does; a register one is not written, so a 32-bit one keeps its top
 * half).  Flags as CMP accumulator, destination.
 */
static void gen_cmpxchg(DisasContext *ctx, int arg)
{
    unsigned bits = op_bits(ctx, 0);
    TCGv_i64 acc = tmp(ctx), src = tmp(ctx), old = tmp(ctx), r = tmp(ctx);
    TCGv_i64 newacc = tmp(ctx);

    (void)arg;
    gen_ext(acc, cpu_regs[R_EAX], bits, false);
    gen_load_op(ctx, 1, src);
    if (ctx->insn.prefixes & X86_PFX_LOCK) {
        gen_helper_atomic_cmpxchg(old, tcg_env(), gen_ea(ctx), acc, src,
                                  tcg_constant_i32(mo_bits(bits)));
    } else if (op_is_mem(ctx, 0)) {
        gen_load_op(ctx, 0, old);
        tcg_gen_movcond_i64(TCG_COND_EQ, r, old, acc, src, old);
        gen_store_op(ctx, 0, r);
    } else {
        /* A register is written only when they are equal: after a
           failed 32-bit CMPXCHG it keeps its top half. */
        gen_load_op(ctx, 0, old);
        gen_store_reg_op_if(ctx, 0, TCG_COND_EQ, old, acc, src);
    }
    /* The accumulator changes only when they differ (RAX keeps its top
       half when a 32-bit CMPXCHG succeeds). */
    tcg_gen_mov_i64(newacc, cpu_regs[R_EAX]);
    gen_write_reg(ctx, R_EAX, bits, old);
    tcg_gen_movcond_i64(TCG_COND_EQ, cpu_regs[R_EAX], old, acc, newacc,
                        cpu_regs[R_EAX]);
    tcg_gen_sub_i64(r, acc, old);
    gen_set_flags(ctx, CC_KIND_SUB, bits, r, old, NULL);
}

/*
 * CMPXCHG8B, and CMPXCHG16B with REX.W: a helper compares rDX:rAX (their
 * low halves for 8B) with memory and exchanges, atomically; only ZF
 * changes.
 */
static void gen_cmpxchg_pair(DisasContext *ctx, int arg)
{
    bool wide = ctx->insn.opsize == 64;
    TCGv_i64 z = tmp(ctx), f;

    (void)arg;
    if (wide && !require(ctx, X86_FEAT_CX16))
        return;
    f = gen_materialize_flags(ctx);
    gen_helper_cmpxchg_pair(z, tcg_env(), gen_ea(ctx),
                            tcg_constant_i32(wide ? 16 : 8));
    tcg_gen_shli_i64(z, z, 6);
    tcg_gen_andi_i64(f, f, ~(int64_t)X86_ZF);
    tcg_gen_or_i64(f, f, z);
}

/* XADD: the destination gets the sum, the source the old destination. */
static void gen_xadd(DisasContext *ctx, int arg)
{
    unsigned bits = op_bits(ctx, 0);
    TCGv_i64 src = tmp(ctx), old = tmp(ctx), sum = tmp(ctx);

    (void)arg;
    gen_load_op(ctx, 1, src);
    gen_ext(src, src, bits, false);
    if (ctx->insn.prefixes & X86_PFX_LOCK) {
        gen_helper_atomic_rmw(old, tcg_env(), gen_ea(ctx), src,
                              tcg_constant_i32(X86_ATOMIC_ADD |
                                               mo_bits(bits)));
        tcg_gen_add_i64(sum, old, src);
    } else {
        gen_load_op(ctx, 0, old);
        tcg_gen_add_i64(sum, old, src);
    }
    /* The source first: with the same register, it ends up the sum. */
    gen_store_op(ctx, 1, old);
    if (!(ctx->insn.prefixes & X86_PFX_LOCK))
        gen_store_op(ctx, 0, sum);
    gen_set_flags(ctx, CC_KIND_ADD, bits, sum, src, NULL);
}

/* ---- String insns ---- */

enum { STR_MOVS, STR_STOS, STR_LODS, STR_SCAS, STR_CMPS };

/* rSI or rDI as an address: with the 67 prefix, the low 32 bits. */
static TCGv_i64 str_addr(DisasContext *ctx, int r, bool seg)
{
    TCGv_i64 a = tmp(ctx);

    gen_ext(a, cpu_regs[r], ctx->insn.addrsize, false);
    /* ES (rDI) has no override; DS (rSI) takes FS or GS. */
    if (seg)
        gen_add_seg(ctx, a, ctx->insn.seg);
    return a;
}

static void str_advance(DisasContext *ctx, int r, TCGv_i64 step)
{
    TCGv_i64 v = tmp(ctx);

    tcg_gen_add_i64(v, cpu_regs[r], step);
    gen_write_reg(ctx, r, ctx->insn.addrsize, v);
}

/* One iteration of the string insn op on bits-sized elements. */
static void gen_string_once(DisasContext *ctx, int op, unsigned bits)
{
    TCGv_i64 step = tmp(ctx), a = tmp(ctx), b = tmp(ctx), r;
    MemOp mo = mo_bits(bits);

    /* df is +1 or -1: the step is df times the element size. */
    tcg_gen_ld_i64(step, tcg_env(), X86_ENV_OFFSET(df));
    tcg_gen_muli_i64(step, step, bits / 8);
    switch (op) {
    case STR_MOVS:
        tcg_gen_qemu_ld_i64(a, str_addr(ctx, R_ESI, true), 0, mo);
        tcg_gen_qemu_st_i64(a, str_addr(ctx, R_EDI, false), 0, mo);
        str_advance(ctx, R_ESI, step);
        str_advance(ctx, R_EDI, step);
        break;
    case STR_STOS:
        tcg_gen_qemu_st_i64(cpu_regs[R_EAX], str_addr(ctx, R_EDI, false),
                            0, mo);
        str_advance(ctx, R_EDI, step);
        break;
    case STR_LODS:
        tcg_gen_qemu_ld_i64(a, str_addr(ctx, R_ESI, true), 0, mo);
        gen_write_reg(ctx, R_EAX, bits, a);
        str_advance(ctx, R_ESI, step);
        break;
    case STR_SCAS:
    case STR_CMPS:
        if (op == STR_SCAS) {
            gen_ext(a, cpu_regs[R_EAX], bits, false);
        } else {
            tcg_gen_qemu_ld_i64(a, str_addr(ctx, R_ESI, true), 0, mo);
        }
        tcg_gen_qemu_ld_i64(b, str_addr(ctx, R_EDI, false), 0, mo);
        r = tmp(ctx);
        tcg_gen_sub_i64(r, a, b);
        if (op == STR_CMPS)
            str_advance(ctx, R_ESI, step);
        str_advance(ctx, R_EDI, step);
        gen_set_flags(ctx, CC_KIND_SUB, bits, r, b, NULL);
        break;
    }
}

/* arg: STR_* << 1 | 1 for the byte form ("movsb"), 0 for "movs". */
static void gen_string(DisasContext *ctx, int arg)
{
    int op = arg >> 1;
    unsigned bits = (arg & 1) ? 8 : ctx->insn.opsize;
    TCGv_i64 c;
    TCGLabel *done;

    if (!ctx->insn.rep) {
        gen_string_once(ctx, op, bits);
        return;
    }
    /* REP: rCX times (none if 0); REPE/REPNE also stop on ZF. */
    c = tmp(ctx);
    done = gen_new_label();
    gen_ext(c, cpu_regs[R_ECX], ctx->insn.addrsize, false);
    tcg_gen_brcondi_i64(TCG_COND_EQ, c, 0, done);
    gen_string_once(ctx, op, bits);
    tcg_gen_subi_i64(c, c, 1);
    gen_write_reg(ctx, R_ECX, ctx->insn.addrsize, c);
    if (op == STR_SCAS || op == STR_CMPS) {
        CCTest t = gen_prepare_cc(ctx, ctx->insn.rep == 0xf3 ? CC_NE
                                                             : CC_E);

        tcg_gen_brcond_i64(t.cond, t.a, t.b, done);
    }
    gen_goto_tb(ctx, 1, ctx->pc);
    gen_set_label(done);
    /* The paths that meet here differ in what cc_op holds. */
    ctx->cc_op = CC_OP_DYNAMIC;
    gen_goto_tb(ctx, 0, ctx->base.pc_next);
}

#define STR(name, op) { name "b", gen_string, (op) << 1 | 1 }, \
                      { name, gen_string, (op) << 1 }

static const InsnGen ops_gens[] = {
    { "rol", gen_shift, SH_ROL }, { "ror", gen_shift, SH_ROR },
    { "rcl", gen_shift, SH_RCL }, { "rcr", gen_shift, SH_RCR },
    { "shl", gen_shift, SH_SHL }, { "shr", gen_shift, SH_SHR },
    { "sal", gen_shift, SH_SAL }, { "sar", gen_shift, SH_SAR },
    { "mul", gen_mul1, 0 }, { "imul", gen_imul, 0 },
    { "div", gen_div, 0 }, { "idiv", gen_div, X86_DIV_SIGNED },
    { "bt", gen_bt, BT_TEST }, { "bts", gen_bt, BT_SET },
    { "btr", gen_bt, BT_RESET }, { "btc", gen_bt, BT_COMPLEMENT },
    { "bsf", gen_bitscan, 0 }, { "bsr", gen_bitscan, 1 },
    { "tzcnt", gen_bitcount, X86_BITCOUNT_TZCNT },
    { "lzcnt", gen_bitcount, X86_BITCOUNT_LZCNT },
    { "popcnt", gen_bitcount, X86_BITCOUNT_POPCNT },
    { "movbe", gen_movbe, 0 }, { "clflush", gen_clflush, 0 },
    { "shld", gen_shiftd, 0 }, { "shrd", gen_shiftd, 1 },
    { "cmpxchg8b", gen_cmpxchg_pair, 0 },
    { "bswap", gen_bswap, 0 },
    { "cmpxchg", gen_cmpxchg, 0 }, { "xadd", gen_xadd, 0 },
    STR("movs", STR_MOVS), STR("stos", STR_STOS), STR("lods", STR_LODS),
    STR("scas", STR_SCAS), STR("cmps", STR_CMPS),
};

const X86OpsList *x86_ops_list(void)
{
    static const X86OpsList list = { ops_gens, G_N_ELEMENTS(ops_gens) };

    return &list;
}
