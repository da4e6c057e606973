/*
 * The A extension.  LR is an aligned load that records the reservation
 * (env->load_res = address, env->load_val = value).  SC and the AMOs are
 * helpers (op_helper.c) that do the whole read-modify-write atomically on
 * the host, so they stay correct when several vCPUs run in parallel.  All
 * require natural alignment: a misaligned LR raises load-address-misaligned,
 * a misaligned SC or AMO store/AMO-address-misaligned.
 */
#include "translate.h"

static bool gen_lr(DisasContext *ctx, arg_atomic *a, MemOp mop)
{
    TCGv_i64 addr, dest;

    if (!has_ext(ctx, 'A'))
        return false;
    addr = tcg_temp_new_i64();
    dest = dest_gpr(ctx, a->rd);
    tcg_gen_mov_i64(addr, get_gpr(ctx, a->rs1));
    if (a->rl)
        tcg_gen_mb(TCG_MO_ALL);
    tcg_gen_qemu_ld_i64(dest, addr, ctx->mmu_idx, mop | MO_ALIGN);
    tcg_gen_st_i64(addr, tcg_env(), RV_ENV_OFFSET(load_res));
    tcg_gen_st_i64(dest, tcg_env(), RV_ENV_OFFSET(load_val));
    if (a->aq)
        tcg_gen_mb(TCG_MO_ALL);
    tcg_temp_free_i64(addr);
    if (!a->rd)
        tcg_temp_free_i64(dest);
    return true;
}

/* rd = helper(env, rs1, rs2, arg): SC and the AMOs (gen_helper_sc,
   gen_helper_amo). */
static bool gen_atomic_helper(DisasContext *ctx, arg_atomic *a,
                              void (*gen_helper)(TCGv_i64, TCGv_ptr, TCGv_i64,
                                                 TCGv_i64, TCGv_i64),
                              uint64_t arg)
{
    TCGv_i64 dest;

    if (!has_ext(ctx, 'A'))
        return false;
    dest = dest_gpr(ctx, a->rd);
    gen_helper(dest, tcg_env(), get_gpr(ctx, a->rs1), get_gpr(ctx, a->rs2),
               tcg_constant_i64((int64_t)arg));
    if (!a->rd)
        tcg_temp_free_i64(dest);
    return true;
}

static bool gen_amo(DisasContext *ctx, arg_atomic *a, unsigned op, int size)
{
    return gen_atomic_helper(ctx, a, gen_helper_amo, op | size);
}

bool trans_lr_w(DisasContext *ctx, arg_atomic *a) { return gen_lr(ctx, a, MO_SL); }
bool trans_lr_d(DisasContext *ctx, arg_atomic *a) { return gen_lr(ctx, a, MO_UQ); }

bool trans_sc_w(DisasContext *ctx, arg_atomic *a)
{
    return gen_atomic_helper(ctx, a, gen_helper_sc, 4);
}

bool trans_sc_d(DisasContext *ctx, arg_atomic *a)
{
    return gen_atomic_helper(ctx, a, gen_helper_sc, 8);
}

bool trans_amoswap_w(DisasContext *ctx, arg_atomic *a) { return gen_amo(ctx, a, RV_AMO_SWAP, 4); }
bool trans_amoadd_w(DisasContext *ctx, arg_atomic *a) { return gen_amo(ctx, a, RV_AMO_ADD, 4); }
bool trans_amoxor_w(DisasContext *ctx, arg_atomic *a) { return gen_amo(ctx, a, RV_AMO_XOR, 4); }
bool trans_amoand_w(DisasContext *ctx, arg_atomic *a) { return gen_amo(ctx, a, RV_AMO_AND, 4); }
bool trans_amoor_w(DisasContext *ctx, arg_atomic *a) { return gen_amo(ctx, a, RV_AMO_OR, 4); }
bool trans_amomin_w(DisasContext *ctx, arg_atomic *a) { return gen_amo(ctx, a, RV_AMO_MIN, 4); }
bool trans_amomax_w(DisasContext *ctx, arg_atomic *a) { return gen_amo(ctx, a, RV_AMO_MAX, 4); }
bool trans_amominu_w(DisasContext *ctx, arg_atomic *a) { return gen_amo(ctx, a, RV_AMO_MINU, 4); }
bool trans_amomaxu_w(DisasContext *ctx, arg_atomic *a) { return gen_amo(ctx, a, RV_AMO_MAXU, 4); }
bool trans_amoswap_d(DisasContext *ctx, arg_atomic *a) { return gen_amo(ctx, a, RV_AMO_SWAP, 8); }
bool trans_amoadd_d(DisasContext *ctx, arg_atomic *a) { return gen_amo(ctx, a, RV_AMO_ADD, 8); }
bool trans_amoxor_d(DisasContext *ctx, arg_atomic *a) { return gen_amo(ctx, a, RV_AMO_XOR, 8); }
bool trans_amoand_d(DisasContext *ctx, arg_atomic *a) { return gen_amo(ctx, a, RV_AMO_AND, 8); }
bool trans_amoor_d(DisasContext *ctx, arg_atomic *a) { return gen_amo(ctx, a, RV_AMO_OR, 8); }
bool trans_amomin_d(DisasContext *ctx, arg_atomic *a) { return gen_amo(ctx, a, RV_AMO_MIN, 8); }
bool trans_amomax_d(DisasContext *ctx, arg_atomic *a) { return gen_amo(ctx, a, RV_AMO_MAX, 8); }
bool trans_amominu_d(DisasContext *ctx, arg_atomic *a) { return gen_amo(ctx, a, RV_AMO_MINU, 8); }
bool trans_amomaxu_d(DisasContext *ctx, arg_atomic *a) { return gen_amo(ctx, a, RV_AMO_MAXU, 8); }
