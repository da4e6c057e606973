/*
 * RV64I: translation of the base integer instructions (and their
 * compressed forms, which insn16.decode maps onto the same functions).
 * Jumps and branches end the TB with goto_tb when the target is known and
 * chaining is allowed, or through the jump cache (lookup_and_goto_ptr).
 * With C disabled a taken jump to a target that is not 4-byte aligned
 * raises instruction-address-misaligned with mtval = the target.
 */
#include "translate.h"

/* ---- Upper immediates and jumps ---- */

bool trans_lui(DisasContext *ctx, arg_u *a)
{
    if (a->rd)
        tcg_gen_movi_i64(cpu_gpr[a->rd], a->imm);
    return true;
}

bool trans_auipc(DisasContext *ctx, arg_u *a)
{
    if (a->rd)
        tcg_gen_movi_i64(cpu_gpr[a->rd], (int64_t)(ctx->pc + (int64_t)a->imm));
    return true;
}

static bool target_misaligned(DisasContext *ctx, uint64_t dest)
{
    return !has_ext(ctx, 'C') && (dest & 3);
}

bool trans_jal(DisasContext *ctx, arg_j *a)
{
    uint64_t dest = ctx->pc + (int64_t)a->imm;

    if (target_misaligned(ctx, dest)) {
        gen_exception(ctx, RV_EXCP_INST_ADDR_MIS, dest);
        return true;
    }
    if (a->rd)
        tcg_gen_movi_i64(cpu_gpr[a->rd], (int64_t)ctx->base.pc_next);
    gen_goto_tb(ctx, 0, dest);
    return true;
}

bool trans_jalr(DisasContext *ctx, arg_i *a)
{
    tcg_gen_addi_i64(cpu_pc, get_gpr(ctx, a->rs1), a->imm);
    tcg_gen_andi_i64(cpu_pc, cpu_pc, ~1ll);
    if (!has_ext(ctx, 'C')) {
        TCGLabel *ok = gen_new_label();
        TCGv_i64 low = tcg_temp_new_i64();

        tcg_gen_andi_i64(low, cpu_pc, 2);
        tcg_gen_brcondi_i64(TCG_COND_EQ, low, 0, ok);
        tcg_temp_free_i64(low);
        gen_helper_raise_exception(tcg_env(),
                                   tcg_constant_i64(RV_EXCP_INST_ADDR_MIS),
                                   cpu_pc);
        gen_set_label(ok);
    }
    if (a->rd)
        tcg_gen_movi_i64(cpu_gpr[a->rd], (int64_t)ctx->base.pc_next);
    tcg_gen_lookup_and_goto_ptr();
    ctx->base.is_jmp = DISAS_NORETURN;
    return true;
}

/* ---- Branches ---- */

static bool gen_branch(DisasContext *ctx, arg_b *a, TCGCond cond)
{
    TCGLabel *taken = gen_new_label();
    uint64_t dest = ctx->pc + (int64_t)a->imm;

    tcg_gen_brcond_i64(cond, get_gpr(ctx, a->rs1), get_gpr(ctx, a->rs2),
                       taken);
    gen_goto_tb(ctx, 1, ctx->base.pc_next);
    gen_set_label(taken);
    if (target_misaligned(ctx, dest))
        gen_exception(ctx, RV_EXCP_INST_ADDR_MIS, dest);
    else
        gen_goto_tb(ctx, 0, dest);
    ctx->base.is_jmp = DISAS_NORETURN;
    return true;
}

bool trans_beq(DisasContext *ctx, arg_b *a) { return gen_branch(ctx, a, TCG_COND_EQ); }
bool trans_bne(DisasContext *ctx, arg_b *a) { return gen_branch(ctx, a, TCG_COND_NE); }
bool trans_blt(DisasContext *ctx, arg_b *a) { return gen_branch(ctx, a, TCG_COND_LT); }
bool trans_bge(DisasContext *ctx, arg_b *a) { return gen_branch(ctx, a, TCG_COND_GE); }
bool trans_bltu(DisasContext *ctx, arg_b *a) { return gen_branch(ctx, a, TCG_COND_LTU); }
bool trans_bgeu(DisasContext *ctx, arg_b *a) { return gen_branch(ctx, a, TCG_COND_GEU); }

/* ---- Loads and stores (misaligned plain accesses are allowed) ---- */

static bool gen_load(DisasContext *ctx, arg_i *a, MemOp mop)
{
    TCGv_i64 dest = dest_gpr(ctx, a->rd);

    tcg_gen_qemu_ld_off_i64(dest, get_gpr(ctx, a->rs1), a->imm,
                            ctx->mmu_idx, mop);
    if (!a->rd)
        tcg_temp_free_i64(dest);
    return true;
}

static bool gen_store(DisasContext *ctx, arg_s *a, MemOp mop)
{
    tcg_gen_qemu_st_off_i64(get_gpr(ctx, a->rs2), get_gpr(ctx, a->rs1),
                            a->imm, ctx->mmu_idx, mop);
    return true;
}

bool trans_lb(DisasContext *ctx, arg_i *a) { return gen_load(ctx, a, MO_SB); }
bool trans_lh(DisasContext *ctx, arg_i *a) { return gen_load(ctx, a, MO_SW); }
bool trans_lw(DisasContext *ctx, arg_i *a) { return gen_load(ctx, a, MO_SL); }
bool trans_ld(DisasContext *ctx, arg_i *a) { return gen_load(ctx, a, MO_UQ); }
bool trans_lbu(DisasContext *ctx, arg_i *a) { return gen_load(ctx, a, MO_UB); }
bool trans_lhu(DisasContext *ctx, arg_i *a) { return gen_load(ctx, a, MO_UW); }
bool trans_lwu(DisasContext *ctx, arg_i *a) { return gen_load(ctx, a, MO_UL); }
bool trans_sb(DisasContext *ctx, arg_s *a) { return gen_store(ctx, a, MO_UB); }
bool trans_sh(DisasContext *ctx, arg_s *a) { return gen_store(ctx, a, MO_UW); }
bool trans_sw(DisasContext *ctx, arg_s *a) { return gen_store(ctx, a, MO_UL); }
bool trans_sd(DisasContext *ctx, arg_s *a) { return gen_store(ctx, a, MO_UQ); }

/* ---- Register-immediate ---- */

static void gen_slti(TCGv_i64 ret, TCGv_i64 a, int64_t imm)
{
    tcg_gen_setcondi_i64(TCG_COND_LT, ret, a, imm);
}

static void gen_sltiu(TCGv_i64 ret, TCGv_i64 a, int64_t imm)
{
    tcg_gen_setcondi_i64(TCG_COND_LTU, ret, a, imm);
}

bool trans_addi(DisasContext *ctx, arg_i *a) { return gen_arith_imm(ctx, a, tcg_gen_addi_i64, false); }
bool trans_slti(DisasContext *ctx, arg_i *a) { return gen_arith_imm(ctx, a, gen_slti, false); }
bool trans_sltiu(DisasContext *ctx, arg_i *a) { return gen_arith_imm(ctx, a, gen_sltiu, false); }
bool trans_xori(DisasContext *ctx, arg_i *a) { return gen_arith_imm(ctx, a, tcg_gen_xori_i64, false); }
bool trans_ori(DisasContext *ctx, arg_i *a) { return gen_arith_imm(ctx, a, tcg_gen_ori_i64, false); }
bool trans_andi(DisasContext *ctx, arg_i *a) { return gen_arith_imm(ctx, a, tcg_gen_andi_i64, false); }
bool trans_addiw(DisasContext *ctx, arg_i *a) { return gen_arith_imm(ctx, a, tcg_gen_addi_i64, true); }

/* Immediate shifts; in the W forms the source is first narrowed so that
   the bits shifted in come from bit 31. */
static bool gen_shift_imm(DisasContext *ctx, arg_shift *a, GenShiftImm *fn,
                          void (*narrow)(TCGv_i64, TCGv_i64))
{
    TCGv_i64 dest = dest_gpr(ctx, a->rd);

    if (narrow) {
        narrow(dest, get_gpr(ctx, a->rs1));
        fn(dest, dest, a->shamt);
        tcg_gen_ext32s_i64(dest, dest);
    } else {
        fn(dest, get_gpr(ctx, a->rs1), a->shamt);
    }
    if (!a->rd)
        tcg_temp_free_i64(dest);
    return true;
}

bool trans_slli(DisasContext *ctx, arg_shift *a) { return gen_shift_imm(ctx, a, tcg_gen_shli_i64, NULL); }
bool trans_srli(DisasContext *ctx, arg_shift *a) { return gen_shift_imm(ctx, a, tcg_gen_shri_i64, NULL); }
bool trans_srai(DisasContext *ctx, arg_shift *a) { return gen_shift_imm(ctx, a, tcg_gen_sari_i64, NULL); }
bool trans_slliw(DisasContext *ctx, arg_shift *a) { return gen_shift_imm(ctx, a, tcg_gen_shli_i64, tcg_gen_ext32u_i64); }
bool trans_srliw(DisasContext *ctx, arg_shift *a) { return gen_shift_imm(ctx, a, tcg_gen_shri_i64, tcg_gen_ext32u_i64); }
bool trans_sraiw(DisasContext *ctx, arg_shift *a) { return gen_shift_imm(ctx, a, tcg_gen_sari_i64, tcg_gen_ext32s_i64); }

/* ---- Register-register ---- */

static void gen_slt(TCGv_i64 ret, TCGv_i64 a, TCGv_i64 b)
{
    tcg_gen_setcond_i64(TCG_COND_LT, ret, a, b);
}

static void gen_sltu(TCGv_i64 ret, TCGv_i64 a, TCGv_i64 b)
{
    tcg_gen_setcond_i64(TCG_COND_LTU, ret, a, b);
}

/* W-form shifts: the count is taken modulo 32. */
static void gen_shift_w(TCGv_i64 ret, TCGv_i64 a, TCGv_i64 b, GenBinary *fn)
{
    TCGv_i64 count = tcg_temp_new_i64();

    tcg_gen_andi_i64(count, b, 31);
    fn(ret, a, count);
    tcg_temp_free_i64(count);
}

static void gen_sllw(TCGv_i64 ret, TCGv_i64 a, TCGv_i64 b) { gen_shift_w(ret, a, b, tcg_gen_shl_i64); }
static void gen_srlw(TCGv_i64 ret, TCGv_i64 a, TCGv_i64 b) { gen_shift_w(ret, a, b, tcg_gen_shr_i64); }
static void gen_sraw(TCGv_i64 ret, TCGv_i64 a, TCGv_i64 b) { gen_shift_w(ret, a, b, tcg_gen_sar_i64); }

bool trans_add(DisasContext *ctx, arg_r *a) { return gen_arith(ctx, a, tcg_gen_add_i64, false); }
bool trans_sub(DisasContext *ctx, arg_r *a) { return gen_arith(ctx, a, tcg_gen_sub_i64, false); }
bool trans_sll(DisasContext *ctx, arg_r *a) { return gen_arith(ctx, a, tcg_gen_shl_i64, false); }
bool trans_slt(DisasContext *ctx, arg_r *a) { return gen_arith(ctx, a, gen_slt, false); }
bool trans_sltu(DisasContext *ctx, arg_r *a) { return gen_arith(ctx, a, gen_sltu, false); }
bool trans_xor(DisasContext *ctx, arg_r *a) { return gen_arith(ctx, a, tcg_gen_xor_i64, false); }
bool trans_srl(DisasContext *ctx, arg_r *a) { return gen_arith(ctx, a, tcg_gen_shr_i64, false); }
bool trans_sra(DisasContext *ctx, arg_r *a) { return gen_arith(ctx, a, tcg_gen_sar_i64, false); }
bool trans_or(DisasContext *ctx, arg_r *a) { return gen_arith(ctx, a, tcg_gen_or_i64, false); }
bool trans_and(DisasContext *ctx, arg_r *a) { return gen_arith(ctx, a, tcg_gen_and_i64, false); }
bool trans_addw(DisasContext *ctx, arg_r *a) { return gen_arith(ctx, a, tcg_gen_add_i64, true); }
bool trans_subw(DisasContext *ctx, arg_r *a) { return gen_arith(ctx, a, tcg_gen_sub_i64, true); }
bool trans_sllw(DisasContext *ctx, arg_r *a) { return gen_arith(ctx, a, gen_sllw, true); }
bool trans_srlw(DisasContext *ctx, arg_r *a) { return gen_arith_w(ctx, a, gen_srlw, false); }
bool trans_sraw(DisasContext *ctx, arg_r *a) { return gen_arith_w(ctx, a, gen_sraw, true); }

/* ---- Memory ordering ---- */

/* FENCE's pred/succ bits: I, O, R, W.  Device input counts as a read
   and output as a write.  Only what the sets order is asked of the host
   (on x86, only a store before a load needs an instruction: fence rw,rw
   and fence w,r; fence rw,w or r,rw cost nothing). */
static TCGBar fence_bar(unsigned pred, unsigned succ)
{
    bool pr = pred & 0xa, pw = pred & 0x5, sr = succ & 0xa, sw = succ & 0x5;
    unsigned bar = 0;

    if (pr && sr)
        bar |= TCG_MO_LD_LD;
    if (pr && sw)
        bar |= TCG_MO_LD_ST;
    if (pw && sr)
        bar |= TCG_MO_ST_LD;
    if (pw && sw)
        bar |= TCG_MO_ST_ST;
    return (TCGBar)bar;
}

bool trans_fence(DisasContext *ctx, arg_fence *a)
{
    TCGBar bar = fence_bar((unsigned)a->pred, (unsigned)a->succ);

    /* A FENCE with an empty set orders nothing (it is a HINT; pause is
       fence w,0). */
    if (bar)
        tcg_gen_mb(bar);
    return true;
}

/* Stores to pages holding TBs already invalidate them (accel/tcg) and
   drop them from the jump cache, so fence.i only has to make the next
   insn come from a fresh lookup. */
bool trans_fence_i(DisasContext *ctx, arg_empty *a)
{
    (void)a;
    if (!(ctx->zext & RV_Z_IFENCEI))    /* -cpu rv64,Zifencei=off */
        return false;
    ctx->base.is_jmp = DISAS_LOOKUP;
    return true;
}
