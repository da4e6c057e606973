/*
 * Zicsr: the six CSR instructions.  Every access goes through helper_csr
 * (csr.c), which checks privilege and read-only-ness and may trap.  The
 * spec's rules about which accesses happen are decided here: csrrw/csrrwi
 * with rd=x0 do not read the CSR, and csrrs/csrrc with rs1=x0 (csrrsi/
 * csrrci with uimm=0) do not write it.  A write may change the TB flags or
 * enable an interrupt, so it ends the TB.  The next TB is found through the
 * jump cache, which compares the TB flags the helper updated, and the
 * helper asks for an exit to the loop when an interrupt became
 * deliverable: the kernel's local_irq_save/restore (csrrc/csrs sstatus)
 * then costs no trip through the execution loop.
 */
#include "translate.h"

static bool gen_csr(DisasContext *ctx, arg_csr *a, TCGv_i64 src,
                    unsigned op, bool read, bool write)
{
    TCGv_i64 dest = dest_gpr(ctx, a->rd);
    uint64_t flags = (uint64_t)a->csr | op | (read ? RV_CSR_READ : 0) |
                     (write ? RV_CSR_WRITE : 0);

    if (!(ctx->zext & RV_Z_ICSR))       /* -cpu rv64,Zicsr=off */
        return false;
    gen_store_bins(ctx);
    gen_helper_csr(dest, tcg_env(), tcg_constant_i64((int64_t)flags), src);
    if (!a->rd)
        tcg_temp_free_i64(dest);
    if (write)
        ctx->base.is_jmp = DISAS_LOOKUP;
    return true;
}

bool trans_csrrw(DisasContext *ctx, arg_csr *a)
{
    return gen_csr(ctx, a, get_gpr(ctx, a->rs1), RV_CSR_OP_RW, a->rd != 0,
                   true);
}

bool trans_csrrs(DisasContext *ctx, arg_csr *a)
{
    return gen_csr(ctx, a, get_gpr(ctx, a->rs1), RV_CSR_OP_RS, true,
                   a->rs1 != 0);
}

bool trans_csrrc(DisasContext *ctx, arg_csr *a)
{
    return gen_csr(ctx, a, get_gpr(ctx, a->rs1), RV_CSR_OP_RC, true,
                   a->rs1 != 0);
}

/* In the immediate forms the rs1 field holds a 5-bit zero-extended uimm. */
bool trans_csrrwi(DisasContext *ctx, arg_csr *a)
{
    return gen_csr(ctx, a, tcg_constant_i64(a->rs1), RV_CSR_OP_RW, a->rd != 0,
                   true);
}

bool trans_csrrsi(DisasContext *ctx, arg_csr *a)
{
    return gen_csr(ctx, a, tcg_constant_i64(a->rs1), RV_CSR_OP_RS, true,
                   a->rs1 != 0);
}

bool trans_csrrci(DisasContext *ctx, arg_csr *a)
{
    return gen_csr(ctx, a, tcg_constant_i64(a->rs1), RV_CSR_OP_RC, true,
                   a->rs1 != 0);
}
