/*
 * The M extension: multiply and divide.  The IR's div/rem ops are raw host
 * divisions, so the divisor is first replaced (with movcond, no branches)
 * where the host would trap: by 1 when it is zero or for INT64_MIN / -1.
 * The RISC-V results then follow: x / 0 = -1, x % 0 = x, INT_MIN / -1 =
 * INT_MIN, INT_MIN % -1 = 0.  W forms divide the sign- or zero-extended
 * 32-bit operands in 64 bits (where nothing overflows) and sign-extend.
 */
#include "translate.h"

/* The divisor to give the host: b, or 1 when b == 0 (and, for signed
   division, when a == INT64_MIN and b == -1). */
static TCGv_i64 safe_divisor(TCGv_i64 a, TCGv_i64 b, bool is_signed)
{
    TCGv_i64 div = tcg_temp_new_i64();
    TCGv_i64 one = tcg_constant_i64(1);

    tcg_gen_movcond_i64(TCG_COND_EQ, div, b, tcg_constant_i64(0), one, b);
    if (is_signed) {
        TCGv_i64 ovf = tcg_temp_new_i64(), t = tcg_temp_new_i64();

        tcg_gen_setcondi_i64(TCG_COND_EQ, ovf, a, INT64_MIN);
        tcg_gen_setcondi_i64(TCG_COND_EQ, t, b, -1);
        tcg_gen_and_i64(ovf, ovf, t);
        tcg_gen_movcond_i64(TCG_COND_NE, div, ovf, tcg_constant_i64(0), one,
                            div);
        tcg_temp_free_i64(ovf);
        tcg_temp_free_i64(t);
    }
    return div;
}

/* Quotient: -1 when b == 0 (INT_MIN / -1 comes out right as INT_MIN / 1). */
static void gen_quotient(TCGv_i64 ret, TCGv_i64 a, TCGv_i64 b, bool is_signed)
{
    TCGv_i64 div = safe_divisor(a, b, is_signed), q = tcg_temp_new_i64();

    if (is_signed)
        tcg_gen_div_i64(q, a, div);
    else
        tcg_gen_divu_i64(q, a, div);
    tcg_gen_movcond_i64(TCG_COND_EQ, ret, b, tcg_constant_i64(0),
                        tcg_constant_i64(-1), q);
    tcg_temp_free_i64(q);
    tcg_temp_free_i64(div);
}

/* Remainder: a when b == 0 (INT_MIN % 1 gives the 0 INT_MIN % -1 needs). */
static void gen_remainder(TCGv_i64 ret, TCGv_i64 a, TCGv_i64 b, bool is_signed)
{
    TCGv_i64 div = safe_divisor(a, b, is_signed), r = tcg_temp_new_i64();

    if (is_signed)
        tcg_gen_rem_i64(r, a, div);
    else
        tcg_gen_remu_i64(r, a, div);
    tcg_gen_movcond_i64(TCG_COND_EQ, ret, b, tcg_constant_i64(0), a, r);
    tcg_temp_free_i64(r);
    tcg_temp_free_i64(div);
}

static void gen_div(TCGv_i64 ret, TCGv_i64 a, TCGv_i64 b) { gen_quotient(ret, a, b, true); }
static void gen_divu(TCGv_i64 ret, TCGv_i64 a, TCGv_i64 b) { gen_quotient(ret, a, b, false); }
static void gen_rem(TCGv_i64 ret, TCGv_i64 a, TCGv_i64 b) { gen_remainder(ret, a, b, true); }
static void gen_remu(TCGv_i64 ret, TCGv_i64 a, TCGv_i64 b) { gen_remainder(ret, a, b, false); }

bool trans_mul(DisasContext *ctx, arg_r *a)
{
    if (!has_ext(ctx, 'M'))
        return false;
    return gen_arith(ctx, a, tcg_gen_mul_i64, false);
}

bool trans_mulh(DisasContext *ctx, arg_r *a)
{
    if (!has_ext(ctx, 'M'))
        return false;
    return gen_arith(ctx, a, tcg_gen_mulsh_i64, false);
}

bool trans_mulhsu(DisasContext *ctx, arg_r *a)
{
    if (!has_ext(ctx, 'M'))
        return false;
    return gen_arith(ctx, a, tcg_gen_mulsuh_i64, false);
}

bool trans_mulhu(DisasContext *ctx, arg_r *a)
{
    if (!has_ext(ctx, 'M'))
        return false;
    return gen_arith(ctx, a, tcg_gen_muluh_i64, false);
}

bool trans_div(DisasContext *ctx, arg_r *a)
{
    if (!has_ext(ctx, 'M'))
        return false;
    return gen_arith(ctx, a, gen_div, false);
}

bool trans_divu(DisasContext *ctx, arg_r *a)
{
    if (!has_ext(ctx, 'M'))
        return false;
    return gen_arith(ctx, a, gen_divu, false);
}

bool trans_rem(DisasContext *ctx, arg_r *a)
{
    if (!has_ext(ctx, 'M'))
        return false;
    return gen_arith(ctx, a, gen_rem, false);
}

bool trans_remu(DisasContext *ctx, arg_r *a)
{
    if (!has_ext(ctx, 'M'))
        return false;
    return gen_arith(ctx, a, gen_remu, false);
}

bool trans_mulw(DisasContext *ctx, arg_r *a)
{
    if (!has_ext(ctx, 'M'))
        return false;
    return gen_arith(ctx, a, tcg_gen_mul_i64, true);
}

bool trans_divw(DisasContext *ctx, arg_r *a)
{
    if (!has_ext(ctx, 'M'))
        return false;
    return gen_arith_w(ctx, a, gen_div, true);
}

bool trans_divuw(DisasContext *ctx, arg_r *a)
{
    if (!has_ext(ctx, 'M'))
        return false;
    return gen_arith_w(ctx, a, gen_divu, false);
}

bool trans_remw(DisasContext *ctx, arg_r *a)
{
    if (!has_ext(ctx, 'M'))
        return false;
    return gen_arith_w(ctx, a, gen_rem, true);
}

bool trans_remuw(DisasContext *ctx, arg_r *a)
{
    if (!has_ext(ctx, 'M'))
        return false;
    return gen_arith_w(ctx, a, gen_remu, false);
}
