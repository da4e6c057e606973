/*
 * The D extension (double precision).  The gen_fp_* helpers live in
 * trans_rvf.c and take the precision as an argument; the conversions
 * between single and double precision need D (and so F, which D implies).
 */
#include "fpu_helper.h"
#include "trans_fp.h"

bool trans_fld(DisasContext *ctx, arg_i *a) { return gen_fp_load(ctx, a, true); }
bool trans_fsd(DisasContext *ctx, arg_s *a) { return gen_fp_store(ctx, a, true); }

bool trans_fmadd_d(DisasContext *ctx, arg_r4_rm *a)
{
    return gen_fp_fma(ctx, a, RV_FOP_FMA, true);
}

bool trans_fmsub_d(DisasContext *ctx, arg_r4_rm *a)
{
    return gen_fp_fma(ctx, a, RV_FOP_NEG_ADDEND, true);
}

bool trans_fnmsub_d(DisasContext *ctx, arg_r4_rm *a)
{
    return gen_fp_fma(ctx, a, RV_FOP_NEG_PRODUCT, true);
}

bool trans_fnmadd_d(DisasContext *ctx, arg_r4_rm *a)
{
    return gen_fp_fma(ctx, a, RV_FOP_NEG_PRODUCT | RV_FOP_NEG_ADDEND, true);
}

bool trans_fadd_d(DisasContext *ctx, arg_r_rm *a) { return gen_fp_arith(ctx, a, RV_FOP_ADD, true); }
bool trans_fsub_d(DisasContext *ctx, arg_r_rm *a) { return gen_fp_arith(ctx, a, RV_FOP_SUB, true); }
bool trans_fmul_d(DisasContext *ctx, arg_r_rm *a) { return gen_fp_arith(ctx, a, RV_FOP_MUL, true); }
bool trans_fdiv_d(DisasContext *ctx, arg_r_rm *a) { return gen_fp_arith(ctx, a, RV_FOP_DIV, true); }
bool trans_fsqrt_d(DisasContext *ctx, arg_r2_rm *a) { return gen_fp_sqrt(ctx, a, true); }
bool trans_fsgnj_d(DisasContext *ctx, arg_r *a) { return gen_fp_sgnj(ctx, a, 0, true); }
bool trans_fsgnjn_d(DisasContext *ctx, arg_r *a) { return gen_fp_sgnj(ctx, a, 1, true); }
bool trans_fsgnjx_d(DisasContext *ctx, arg_r *a) { return gen_fp_sgnj(ctx, a, 2, true); }
bool trans_fmin_d(DisasContext *ctx, arg_r *a) { return gen_fp_minmax(ctx, a, RV_FOP_MIN, true); }
bool trans_fmax_d(DisasContext *ctx, arg_r *a) { return gen_fp_minmax(ctx, a, RV_FOP_MAX, true); }
bool trans_feq_d(DisasContext *ctx, arg_r *a) { return gen_fp_cmp(ctx, a, RV_FOP_EQ, true); }
bool trans_flt_d(DisasContext *ctx, arg_r *a) { return gen_fp_cmp(ctx, a, RV_FOP_LT, true); }
bool trans_fle_d(DisasContext *ctx, arg_r *a) { return gen_fp_cmp(ctx, a, RV_FOP_LE, true); }
bool trans_fclass_d(DisasContext *ctx, arg_r2 *a) { return gen_fp_class(ctx, a, true); }

bool trans_fcvt_s_d(DisasContext *ctx, arg_r2_rm *a) { return gen_fp_cvt(ctx, a, 'D', RV_CVT_S_D, false, false); }
bool trans_fcvt_d_s(DisasContext *ctx, arg_r2_rm *a) { return gen_fp_cvt(ctx, a, 'D', RV_CVT_D_S, false, false); }
bool trans_fcvt_w_d(DisasContext *ctx, arg_r2_rm *a) { return gen_fp_cvt(ctx, a, 'D', RV_CVT_W_D, false, true); }
bool trans_fcvt_wu_d(DisasContext *ctx, arg_r2_rm *a) { return gen_fp_cvt(ctx, a, 'D', RV_CVT_WU_D, false, true); }
bool trans_fcvt_l_d(DisasContext *ctx, arg_r2_rm *a) { return gen_fp_cvt(ctx, a, 'D', RV_CVT_L_D, false, true); }
bool trans_fcvt_lu_d(DisasContext *ctx, arg_r2_rm *a) { return gen_fp_cvt(ctx, a, 'D', RV_CVT_LU_D, false, true); }
bool trans_fcvt_d_w(DisasContext *ctx, arg_r2_rm *a) { return gen_fp_cvt(ctx, a, 'D', RV_CVT_D_W, true, false); }
bool trans_fcvt_d_wu(DisasContext *ctx, arg_r2_rm *a) { return gen_fp_cvt(ctx, a, 'D', RV_CVT_D_WU, true, false); }
bool trans_fcvt_d_l(DisasContext *ctx, arg_r2_rm *a) { return gen_fp_cvt(ctx, a, 'D', RV_CVT_D_L, true, false); }
bool trans_fcvt_d_lu(DisasContext *ctx, arg_r2_rm *a) { return gen_fp_cvt(ctx, a, 'D', RV_CVT_D_LU, true, false); }

bool trans_fmv_x_d(DisasContext *ctx, arg_r2 *a)
{
    if (!fp_insn_ok(ctx, 'D', FP_NO_RM))
        return false;
    gen_set_gpr(ctx, a->rd, cpu_fpr[a->rs1]);
    return true;
}

bool trans_fmv_d_x(DisasContext *ctx, arg_r2 *a)
{
    if (!fp_insn_ok(ctx, 'D', FP_NO_RM))
        return false;
    tcg_gen_mov_i64(cpu_fpr[a->rd], get_gpr(ctx, a->rs1));
    gen_fs_dirty(ctx);
    return true;
}
