/*
 * Privileged and environment instructions: ecall, ebreak, mret, sret, wfi
 * and sfence.vma.  The privilege level is part of the TB flags, so checks
 * that depend only on it (mret outside M-mode, sret and sfence.vma in
 * U-mode are illegal) are made at translation time; checks that depend on
 * mstatus (wfi with TW, sret with TSR, sfence.vma with TVM) are made in
 * the helpers.
 */
#include "translate.h"

bool trans_ecall(DisasContext *ctx, arg_empty *a)
{
    static const int cause[4] = {
        [PRV_U] = RV_EXCP_U_ECALL, [PRV_S] = RV_EXCP_S_ECALL,
        [2] = RV_EXCP_ILLEGAL_INST, [PRV_M] = RV_EXCP_M_ECALL,
    };

    (void)a;
    gen_exception(ctx, cause[ctx->priv & 3], 0);
    return true;
}

/*
 * The semihosting trap sequence (RISC-V semihosting spec): an uncompressed
 * ebreak between "slli x0, x0, 0x1f" and "srai x0, x0, 7", all three on
 * one page (so that reading the neighbours cannot fault), from M or S
 * mode, or U mode with userspace=on.  Anything else is a breakpoint.
 */
#define RV_SEMI_PRE 0x01f01013u    /* slli x0, x0, 0x1f */
#define RV_SEMI_EBREAK 0x00100073u
#define RV_SEMI_POST 0x40705013u   /* srai x0, x0, 7 */

static bool is_semihosting_call(DisasContext *ctx)
{
    uint64_t off = ctx->pc & ~TARGET_PAGE_MASK;

    const RISCVSemihosting *semi = RISCV_CPU(ctx->base.cpu)->semihosting;

    if (ctx->opcode != RV_SEMI_EBREAK || !semi ||
        !semi->enabled(ctx->priv == PRV_U) ||
        off < 4 || off + 8 > TARGET_PAGE_SIZE)
        return false;
    return translator_ldl(&ctx->base, ctx->pc - 4) == RV_SEMI_PRE &&
           translator_ldl(&ctx->base, ctx->pc + 4) == RV_SEMI_POST;
}

/* mtval = the ebreak's own address, as QEMU does; the spec allows it.
   A semihosting call goes on at the srai (a no-op) after the helper, out
   of the TB: SYS_EXIT stops the vCPU at the next TB entry. */
bool trans_ebreak(DisasContext *ctx, arg_empty *a)
{
    (void)a;
    if (is_semihosting_call(ctx)) {
        RISCV_CPU(ctx->base.cpu)->semihosting->gen_helper(
            tcg_env(), tcg_constant_i64((int64_t)ctx->pc));
        ctx->base.is_jmp = DISAS_EXIT;
        return true;
    }
    gen_exception(ctx, RV_EXCP_BREAKPOINT, ctx->pc);
    return true;
}

bool trans_mret(DisasContext *ctx, arg_empty *a)
{
    (void)a;
    if (ctx->priv != PRV_M)
        return false;
    gen_helper_mret(cpu_pc, tcg_env());
    ctx->base.is_jmp = DISAS_LOOKUP_PC;
    return true;
}

bool trans_sret(DisasContext *ctx, arg_empty *a)
{
    (void)a;
    if (!has_ext(ctx, 'S') || ctx->priv == PRV_U)
        return false;
    gen_store_bins(ctx);
    gen_helper_sret(cpu_pc, tcg_env());
    ctx->base.is_jmp = DISAS_LOOKUP_PC;
    return true;
}

/* Ends the TB: the code after it may be mapped differently now.  The
   next TB comes from the jump cache, which the flush cleared of the
   flushed pages' TBs. */
bool trans_sfence_vma(DisasContext *ctx, arg_sfence_vma *a)
{
    if (!has_ext(ctx, 'S') || ctx->priv == PRV_U)
        return false;
    gen_store_bins(ctx);
    gen_helper_sfence_vma(tcg_env(), get_gpr(ctx, a->rs1),
                          tcg_constant_i64((a->rs1 != 0) |
                                           (a->rs2 != 0) << 1));
    ctx->base.is_jmp = DISAS_LOOKUP;
    return true;
}

/* The helper may halt the vCPU, which then resumes after the wfi. */
bool trans_wfi(DisasContext *ctx, arg_empty *a)
{
    (void)a;
    tcg_gen_movi_i64(cpu_pc, (int64_t)ctx->base.pc_next);
    gen_store_bins(ctx);
    gen_helper_wfi(tcg_env());
    ctx->base.is_jmp = DISAS_EXIT_PC;
    return true;
}
