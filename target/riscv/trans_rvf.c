/*
 * The F extension (single precision), and the gen_fp_* helpers that the D
 * extension (trans_rvd.c) shares.  FP registers are 64-bit TCG globals; a
 * single-precision value lives NaN-boxed in the low half (upper 32 bits
 * all ones).  Loads, stores, moves and sign injection are inline IR, and
 * so are add, sub, mul, div and sqrt in round to nearest even (the IR's
 * fadd... ops, if the backend has them); the other arithmetic, compares,
 * fclass and conversions call fpu_helper.c, passing
 * register values and a constant op (operation, precision, rm) and
 * getting the (boxed) result back.  Those helpers touch no TCG global, so
 * guest registers stay in host registers across them.
 *
 * mstatus.FS comes from the TB flags: with FS = Off every FP instruction
 * is refused at translation time (illegal instruction); otherwise the
 * first instruction of a TB that writes an FP register or fflags stores
 * FS = Dirty and SD, and later ones need not.  The frm check for rm = DYN
 * is also made once per TB, and not at all when the TB flags say frm is
 * RNE: frm only changes through a CSR write, which ends the TB.
 */
#include "fpu_helper.h"
#include "trans_fp.h"

TCGv_i64 cpu_fpr[32];

static const char *const fpr_names[32] = {
    "ft0", "ft1", "ft2", "ft3", "ft4", "ft5", "ft6", "ft7",
    "fs0", "fs1", "fa0", "fa1", "fa2", "fa3", "fa4", "fa5",
    "fa6", "fa7", "fs2", "fs3", "fs4", "fs5", "fs6", "fs7",
    "fs8", "fs9", "fs10", "fs11", "ft8", "ft9", "ft10", "ft11",
};

void riscv_fp_tcg_init(void)
{
    for (int i = 0; i < 32; i++) {
        cpu_fpr[i] = tcg_global_mem_new_i64(
            RV_ENV_OFFSET(fpr) + i * (intptr_t)sizeof(uint64_t), fpr_names[i]);
    }
}

/* ---- Access checks and FS ---- */

bool fp_insn_ok(DisasContext *ctx, char ext, int rm)
{
    if (!has_ext(ctx, ext) || ctx->mstatus_fs == 0)
        return false;
    if (rm == 5 || rm == 6)
        return false;
    if (rm == RV_RM_DYN && !ctx->frm_checked && !ctx->frm_rne) {
        gen_helper_check_frm(tcg_env(), tcg_constant_i64(ctx->opcode));
        ctx->frm_checked = true;
    }
    return true;
}

void gen_fs_dirty(DisasContext *ctx)
{
    TCGv_i64 t;

    if (ctx->mstatus_fs == 3)
        return;
    t = tcg_temp_new_i64();
    tcg_gen_ld_i64(t, tcg_env(), RV_ENV_OFFSET(mstatus));
    tcg_gen_ori_i64(t, t, (int64_t)(MSTATUS_FS | MSTATUS_SD));
    tcg_gen_st_i64(t, tcg_env(), RV_ENV_OFFSET(mstatus));
    tcg_temp_free_i64(t);
    ctx->mstatus_fs = 3;
}

/* ---- Loads, stores ---- */

bool gen_fp_load(DisasContext *ctx, arg_i *a, bool dbl)
{
    TCGv_i64 val;

    if (!fp_insn_ok(ctx, dbl ? 'D' : 'F', FP_NO_RM))
        return false;
    val = tcg_temp_new_i64();
    tcg_gen_qemu_ld_off_i64(val, get_gpr(ctx, a->rs1), a->imm, ctx->mmu_idx,
                            dbl ? MO_UQ : MO_UL);
    if (!dbl)
        tcg_gen_ori_i64(val, val, (int64_t)RV_NANBOX_S);
    tcg_gen_mov_i64(cpu_fpr[a->rd], val);
    tcg_temp_free_i64(val);
    gen_fs_dirty(ctx);
    return true;
}

/* fsw stores the low 32 bits whatever the boxing. */
bool gen_fp_store(DisasContext *ctx, arg_s *a, bool dbl)
{
    if (!fp_insn_ok(ctx, dbl ? 'D' : 'F', FP_NO_RM))
        return false;
    tcg_gen_qemu_st_off_i64(cpu_fpr[a->rs2], get_gpr(ctx, a->rs1), a->imm,
                            ctx->mmu_idx, dbl ? MO_UQ : MO_UL);
    return true;
}

/* ---- Arithmetic through fpu_helper.c ---- */

static TCGv_i64 op_const(unsigned op, bool dbl, int rm)
{
    return tcg_constant_i64((int64_t)rv_fop(op, dbl, (unsigned)rm));
}

/* Round to nearest even, statically or through frm: the IR's own FP ops
   (tcg-opc.h) have RISC-V's semantics then, NaN-boxing and canonical NaN
   included, if the backend has them. */
static bool fp_inline_ok(DisasContext *ctx, int rm)
{
    static int have = -1;

    if (!(rm == RV_RM_RNE || (rm == RV_RM_DYN && ctx->frm_rne)))
        return false;
    if (have < 0)
        have = tcg_have_fp_arith();
    return have;
}

static const TCGOpcode fp_arith_opc[] = {
    [RV_FOP_ADD] = INDEX_op_fadd, [RV_FOP_SUB] = INDEX_op_fsub,
    [RV_FOP_MUL] = INDEX_op_fmul, [RV_FOP_DIV] = INDEX_op_fdiv,
};

bool gen_fp_arith(DisasContext *ctx, arg_r_rm *a, unsigned op, bool dbl)
{
    if (!fp_insn_ok(ctx, dbl ? 'D' : 'F', a->rm))
        return false;
    if (fp_inline_ok(ctx, a->rm)) {
        tcg_gen_fp_binop(fp_arith_opc[op], dbl ? TCG_FP_F64 : TCG_FP_F32_BOXED,
                         cpu_fpr[a->rd], cpu_fpr[a->rs1], cpu_fpr[a->rs2]);
        gen_fs_dirty(ctx);
        return true;
    }
    gen_helper_fbinop(cpu_fpr[a->rd], tcg_env(), cpu_fpr[a->rs1],
                      cpu_fpr[a->rs2], op_const(op, dbl, a->rm));
    gen_fs_dirty(ctx);
    return true;
}

bool gen_fp_sqrt(DisasContext *ctx, arg_r2_rm *a, bool dbl)
{
    if (!fp_insn_ok(ctx, dbl ? 'D' : 'F', a->rm))
        return false;
    if (fp_inline_ok(ctx, a->rm)) {
        tcg_gen_fsqrt(dbl ? TCG_FP_F64 : TCG_FP_F32_BOXED, cpu_fpr[a->rd],
                      cpu_fpr[a->rs1]);
        gen_fs_dirty(ctx);
        return true;
    }
    gen_helper_fbinop(cpu_fpr[a->rd], tcg_env(), cpu_fpr[a->rs1],
                      cpu_fpr[a->rs1], op_const(RV_FOP_SQRT, dbl, a->rm));
    gen_fs_dirty(ctx);
    return true;
}

/* min/max have no rm field: funct3 selects the operation. */
bool gen_fp_minmax(DisasContext *ctx, arg_r *a, unsigned op, bool dbl)
{
    if (!fp_insn_ok(ctx, dbl ? 'D' : 'F', FP_NO_RM))
        return false;
    gen_helper_fbinop(cpu_fpr[a->rd], tcg_env(), cpu_fpr[a->rs1],
                      cpu_fpr[a->rs2], op_const(op, dbl, 0));
    gen_fs_dirty(ctx);
    return true;
}

bool gen_fp_fma(DisasContext *ctx, arg_r4_rm *a, unsigned neg, bool dbl)
{
    if (!fp_insn_ok(ctx, dbl ? 'D' : 'F', a->rm))
        return false;
    gen_helper_fmadd(cpu_fpr[a->rd], tcg_env(), cpu_fpr[a->rs1],
                     cpu_fpr[a->rs2], cpu_fpr[a->rs3], op_const(neg, dbl, a->rm));
    gen_fs_dirty(ctx);
    return true;
}

bool gen_fp_cmp(DisasContext *ctx, arg_r *a, unsigned op, bool dbl)
{
    TCGv_i64 dest;

    if (!fp_insn_ok(ctx, dbl ? 'D' : 'F', FP_NO_RM))
        return false;
    dest = dest_gpr(ctx, a->rd);
    gen_helper_fcmp(dest, tcg_env(), cpu_fpr[a->rs1], cpu_fpr[a->rs2],
                    op_const(op, dbl, 0));
    if (!a->rd)
        tcg_temp_free_i64(dest);
    gen_fs_dirty(ctx);      /* may have raised NV */
    return true;
}

bool gen_fp_class(DisasContext *ctx, arg_r2 *a, bool dbl)
{
    TCGv_i64 dest;

    if (!fp_insn_ok(ctx, dbl ? 'D' : 'F', FP_NO_RM))
        return false;
    dest = dest_gpr(ctx, a->rd);
    gen_helper_fclass(dest, cpu_fpr[a->rs1], op_const(0, dbl, 0));
    if (!a->rd)
        tcg_temp_free_i64(dest);
    return true;
}

bool gen_fp_cvt(DisasContext *ctx, arg_r2_rm *a, char ext, unsigned kind,
                bool from_int, bool to_int)
{
    TCGv_i64 src, dest;

    if (!fp_insn_ok(ctx, ext, a->rm))
        return false;
    src = from_int ? get_gpr(ctx, a->rs1) : cpu_fpr[a->rs1];
    dest = to_int ? dest_gpr(ctx, a->rd) : cpu_fpr[a->rd];
    gen_helper_fcvt(dest, tcg_env(), src, op_const(kind, false, a->rm));
    if (to_int && !a->rd)
        tcg_temp_free_i64(dest);
    gen_fs_dirty(ctx);
    return true;
}

/* ---- Sign injection (inline) ---- */

/* The single-precision value of r as a boxed 64-bit value: r itself, or
   the boxed canonical NaN when r is not properly boxed. */
static void gen_unbox_s(TCGv_i64 ret, TCGv_i64 r)
{
    TCGv_i64 hi = tcg_temp_new_i64();

    tcg_gen_shri_i64(hi, r, 32);
    tcg_gen_movcond_i64(TCG_COND_EQ, ret, hi, tcg_constant_i64(0xffffffff),
                        r, tcg_constant_i64((int64_t)(RV_NANBOX_S |
                                                      RV_CANON_NAN_S)));
    tcg_temp_free_i64(hi);
}

bool gen_fp_sgnj(DisasContext *ctx, arg_r *a, int kind, bool dbl)
{
    int64_t sbit = dbl ? INT64_MIN : 0x80000000;
    TCGv_i64 x, y;

    if (!fp_insn_ok(ctx, dbl ? 'D' : 'F', FP_NO_RM))
        return false;
    x = tcg_temp_new_i64();
    y = tcg_temp_new_i64();
    if (dbl) {
        tcg_gen_mov_i64(x, cpu_fpr[a->rs1]);
        tcg_gen_mov_i64(y, cpu_fpr[a->rs2]);
    } else {
        gen_unbox_s(x, cpu_fpr[a->rs1]);
        gen_unbox_s(y, cpu_fpr[a->rs2]);
    }
    if (kind == 2) {                            /* fsgnjx */
        tcg_gen_andi_i64(y, y, sbit);
        tcg_gen_xor_i64(cpu_fpr[a->rd], x, y);
    } else {
        if (kind == 1)                          /* fsgnjn */
            tcg_gen_not_i64(y, y);
        tcg_gen_andi_i64(y, y, sbit);
        tcg_gen_andi_i64(x, x, ~sbit);
        tcg_gen_or_i64(cpu_fpr[a->rd], x, y);
    }
    tcg_temp_free_i64(x);
    tcg_temp_free_i64(y);
    gen_fs_dirty(ctx);
    return true;
}

/* ---- The F instructions ---- */

bool trans_flw(DisasContext *ctx, arg_i *a) { return gen_fp_load(ctx, a, false); }
bool trans_fsw(DisasContext *ctx, arg_s *a) { return gen_fp_store(ctx, a, false); }

bool trans_fmadd_s(DisasContext *ctx, arg_r4_rm *a)
{
    return gen_fp_fma(ctx, a, RV_FOP_FMA, false);
}

bool trans_fmsub_s(DisasContext *ctx, arg_r4_rm *a)
{
    return gen_fp_fma(ctx, a, RV_FOP_NEG_ADDEND, false);
}

bool trans_fnmsub_s(DisasContext *ctx, arg_r4_rm *a)
{
    return gen_fp_fma(ctx, a, RV_FOP_NEG_PRODUCT, false);
}

bool trans_fnmadd_s(DisasContext *ctx, arg_r4_rm *a)
{
    return gen_fp_fma(ctx, a, RV_FOP_NEG_PRODUCT | RV_FOP_NEG_ADDEND, false);
}

bool trans_fadd_s(DisasContext *ctx, arg_r_rm *a) { return gen_fp_arith(ctx, a, RV_FOP_ADD, false); }
bool trans_fsub_s(DisasContext *ctx, arg_r_rm *a) { return gen_fp_arith(ctx, a, RV_FOP_SUB, false); }
bool trans_fmul_s(DisasContext *ctx, arg_r_rm *a) { return gen_fp_arith(ctx, a, RV_FOP_MUL, false); }
bool trans_fdiv_s(DisasContext *ctx, arg_r_rm *a) { return gen_fp_arith(ctx, a, RV_FOP_DIV, false); }
bool trans_fsqrt_s(DisasContext *ctx, arg_r2_rm *a) { return gen_fp_sqrt(ctx, a, false); }
bool trans_fsgnj_s(DisasContext *ctx, arg_r *a) { return gen_fp_sgnj(ctx, a, 0, false); }
bool trans_fsgnjn_s(DisasContext *ctx, arg_r *a) { return gen_fp_sgnj(ctx, a, 1, false); }
bool trans_fsgnjx_s(DisasContext *ctx, arg_r *a) { return gen_fp_sgnj(ctx, a, 2, false); }
bool trans_fmin_s(DisasContext *ctx, arg_r *a) { return gen_fp_minmax(ctx, a, RV_FOP_MIN, false); }
bool trans_fmax_s(DisasContext *ctx, arg_r *a) { return gen_fp_minmax(ctx, a, RV_FOP_MAX, false); }
bool trans_feq_s(DisasContext *ctx, arg_r *a) { return gen_fp_cmp(ctx, a, RV_FOP_EQ, false); }
bool trans_flt_s(DisasContext *ctx, arg_r *a) { return gen_fp_cmp(ctx, a, RV_FOP_LT, false); }
bool trans_fle_s(DisasContext *ctx, arg_r *a) { return gen_fp_cmp(ctx, a, RV_FOP_LE, false); }
bool trans_fclass_s(DisasContext *ctx, arg_r2 *a) { return gen_fp_class(ctx, a, false); }

bool trans_fcvt_w_s(DisasContext *ctx, arg_r2_rm *a) { return gen_fp_cvt(ctx, a, 'F', RV_CVT_W_S, false, true); }
bool trans_fcvt_wu_s(DisasContext *ctx, arg_r2_rm *a) { return gen_fp_cvt(ctx, a, 'F', RV_CVT_WU_S, false, true); }
bool trans_fcvt_l_s(DisasContext *ctx, arg_r2_rm *a) { return gen_fp_cvt(ctx, a, 'F', RV_CVT_L_S, false, true); }
bool trans_fcvt_lu_s(DisasContext *ctx, arg_r2_rm *a) { return gen_fp_cvt(ctx, a, 'F', RV_CVT_LU_S, false, true); }
bool trans_fcvt_s_w(DisasContext *ctx, arg_r2_rm *a) { return gen_fp_cvt(ctx, a, 'F', RV_CVT_S_W, true, false); }
bool trans_fcvt_s_wu(DisasContext *ctx, arg_r2_rm *a) { return gen_fp_cvt(ctx, a, 'F', RV_CVT_S_WU, true, false); }
bool trans_fcvt_s_l(DisasContext *ctx, arg_r2_rm *a) { return gen_fp_cvt(ctx, a, 'F', RV_CVT_S_L, true, false); }
bool trans_fcvt_s_lu(DisasContext *ctx, arg_r2_rm *a) { return gen_fp_cvt(ctx, a, 'F', RV_CVT_S_LU, true, false); }

/* fmv.x.w: the low 32 bits, sign-extended (boxing is not checked). */
bool trans_fmv_x_w(DisasContext *ctx, arg_r2 *a)
{
    TCGv_i64 dest;

    if (!fp_insn_ok(ctx, 'F', FP_NO_RM))
        return false;
    dest = dest_gpr(ctx, a->rd);
    tcg_gen_ext32s_i64(dest, cpu_fpr[a->rs1]);
    if (!a->rd)
        tcg_temp_free_i64(dest);
    return true;
}

bool trans_fmv_w_x(DisasContext *ctx, arg_r2 *a)
{
    TCGv_i64 t;

    if (!fp_insn_ok(ctx, 'F', FP_NO_RM))
        return false;
    t = tcg_temp_new_i64();
    tcg_gen_ext32u_i64(t, get_gpr(ctx, a->rs1));
    tcg_gen_ori_i64(cpu_fpr[a->rd], t, (int64_t)RV_NANBOX_S);
    tcg_temp_free_i64(t);
    gen_fs_dirty(ctx);
    return true;
}
