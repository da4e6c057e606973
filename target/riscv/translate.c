/*
 * The RISC-V translator: turns the guest instructions of one TB into IR.
 * riscv_translate() runs the generic translator loop (mimic/translator.h:
 * max_insns, the end of the page, breakpoints) with RISC-V's hooks: fetch,
 * decode through the generated decode_insn16/decode_insn32, one trans_*
 * call per insn, stop at a jump, a trap or a state change; this file also
 * owns the TCG globals for the guest registers and the gen_* helpers every
 * trans_*.c file shares.  The rules for where a TB ends are written down
 * in docs/devel/riscv-frontend.md.
 */
#include <stddef.h>

#include "mimic/debug.h"
#include "mimic/log.h"
#include "internals.h"
#include "translate.h"
#include "trans_fp.h"

TCGv_i64 cpu_gpr[32];
TCGv_i64 cpu_pc;

static const char *const gpr_names[32] = {
    "zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2",
    "s0", "s1", "a0", "a1", "a2", "a3", "a4", "a5",
    "a6", "a7", "s2", "s3", "s4", "s5", "s6", "s7",
    "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6",
};

void riscv_tcg_init(void)
{
    for (int i = 1; i < 32; i++) {
        cpu_gpr[i] = tcg_global_mem_new_i64(
            RV_ENV_OFFSET(gpr) + i * (intptr_t)sizeof(uint64_t), gpr_names[i]);
    }
    cpu_pc = tcg_global_mem_new_i64(RV_ENV_OFFSET(pc), "pc");
    /* The registers compiled code uses most (weighted by run time in the
       integer benchmark: a5 a4 sp a3 a2 a1 a0 s0), as many as the host
       can keep in registers across TBs. */
    static const int pin_order[] = { 15, 14, 2, 13, 12, 11, 10, 8 };
    for (size_t i = 0; i < sizeof(pin_order) / sizeof(pin_order[0]); i++)
        if (!tcg_global_pin_i64(cpu_gpr[pin_order[i]]))
            break;
    riscv_fp_tcg_init();
}

/* ---- Registers ---- */

TCGv_i64 get_gpr(DisasContext *ctx, int r)
{
    (void)ctx;
    return r ? cpu_gpr[r] : tcg_constant_i64(0);
}

TCGv_i64 dest_gpr(DisasContext *ctx, int r)
{
    (void)ctx;
    return r ? cpu_gpr[r] : tcg_temp_new_i64();
}

void gen_set_gpr(DisasContext *ctx, int r, TCGv_i64 val)
{
    (void)ctx;
    if (r)
        tcg_gen_mov_i64(cpu_gpr[r], val);
}

/* ---- Traps and jumps ---- */

void gen_exception(DisasContext *ctx, int cause, uint64_t tval)
{
    gen_helper_raise_exception(tcg_env(), tcg_constant_i64(cause),
                               tcg_constant_i64((int64_t)tval));
    ctx->base.is_jmp = DISAS_NORETURN;
}

void gen_exception_illegal(DisasContext *ctx)
{
    gen_exception(ctx, RV_EXCP_ILLEGAL_INST, ctx->opcode);
}

void gen_store_bins(DisasContext *ctx)
{
    tcg_gen_st_i64(tcg_constant_i64(ctx->opcode), tcg_env(),
                   RV_ENV_OFFSET(bins));
}

void gen_goto_tb(DisasContext *ctx, int n, uint64_t dest)
{
    if (translator_use_goto_tb(ctx->base.tb, dest)) {
        tcg_gen_goto_tb(n);
        tcg_gen_movi_i64(cpu_pc, (int64_t)dest);
        tcg_gen_exit_tb(ctx->base.tb, n);
    } else {
        tcg_gen_movi_i64(cpu_pc, (int64_t)dest);
        tcg_gen_lookup_and_goto_ptr();
    }
    ctx->base.is_jmp = DISAS_NORETURN;
}

/* Encodings the decoders reserve (see insn16.decode). */
bool trans_illegal(DisasContext *ctx, arg_empty *a)
{
    (void)a;
    gen_exception_illegal(ctx);
    return true;
}

/* ---- Shared arithmetic helpers ---- */

bool gen_arith(DisasContext *ctx, arg_r *a, GenBinary *fn, bool w)
{
    TCGv_i64 dest = dest_gpr(ctx, a->rd);

    fn(dest, get_gpr(ctx, a->rs1), get_gpr(ctx, a->rs2));
    if (w)
        tcg_gen_ext32s_i64(dest, dest);
    if (!a->rd)
        tcg_temp_free_i64(dest);
    return true;
}

bool gen_arith_imm(DisasContext *ctx, arg_i *a, GenBinaryImm *fn, bool w)
{
    TCGv_i64 dest = dest_gpr(ctx, a->rd);

    fn(dest, get_gpr(ctx, a->rs1), a->imm);
    if (w)
        tcg_gen_ext32s_i64(dest, dest);
    if (!a->rd)
        tcg_temp_free_i64(dest);
    return true;
}

bool gen_arith_w(DisasContext *ctx, arg_r *a, GenBinary *fn, bool sext_in)
{
    TCGv_i64 s1 = tcg_temp_new_i64(), s2 = tcg_temp_new_i64();
    TCGv_i64 dest = dest_gpr(ctx, a->rd);

    if (sext_in) {
        tcg_gen_ext32s_i64(s1, get_gpr(ctx, a->rs1));
        tcg_gen_ext32s_i64(s2, get_gpr(ctx, a->rs2));
    } else {
        tcg_gen_ext32u_i64(s1, get_gpr(ctx, a->rs1));
        tcg_gen_ext32u_i64(s2, get_gpr(ctx, a->rs2));
    }
    fn(dest, s1, s2);
    tcg_gen_ext32s_i64(dest, dest);
    tcg_temp_free_i64(s1);
    tcg_temp_free_i64(s2);
    if (!a->rd)
        tcg_temp_free_i64(dest);
    return true;
}

/* ---- Decoding ---- */

#include "target/riscv/decode-insn32.c.inc"
#include "target/riscv/decode-insn16.c.inc"

/* Real encodings of extensions Mimic does not implement yet: V, and the
   Q and Zfh formats of the FP opcodes. */
static bool is_unimplemented_ext(uint32_t insn, int len)
{
    unsigned width = (insn >> 12) & 7, fmt = (insn >> 25) & 3;

    if (len == 2)
        return false;
    switch (insn & 0x7f) {
    case 0x57:
        return true;
    case 0x07: case 0x27:
        return width != 2 && width != 3;
    case 0x43: case 0x47: case 0x4b: case 0x4f: case 0x53:
        return fmt >= 2;
    }
    return false;
}

static void translate_one(DisasContext *ctx, uint16_t lo)
{
    bool ok;
    int len;

    if ((lo & 3) != 3) {
        len = 2;
        ctx->opcode = lo;
        ctx->base.pc_next = ctx->pc + 2;
        ok = has_ext(ctx, 'C') && decode_insn16(ctx, lo);
    } else {
        len = 4;
        ctx->opcode = lo | (uint32_t)translator_lduw(&ctx->base,
                                                     ctx->pc + 2) << 16;
        ctx->base.pc_next = ctx->pc + 4;
        ok = decode_insn32(ctx, ctx->opcode);
    }
    if (!ok) {
        if (is_unimplemented_ext(ctx->opcode, len)) {
            log_mask(LOG_UNIMP, "riscv: unimplemented instruction 0x%0*x "
                     "at 0x%016llx (Q/Zfh/V)\n", len * 2, ctx->opcode,
                     (unsigned long long)ctx->pc);
        }
        gen_exception_illegal(ctx);
    }
}

/* ---- The translator's hooks ---- */

static void riscv_insn_start(DisasContextBase *db, CPUState *cs)
{
    (void)cs;
    tcg_gen_insn_start(db->pc_next, 0);
}

static void riscv_translate_insn(DisasContextBase *db, CPUState *cs)
{
    DisasContext *ctx = (DisasContext *)db;

    (void)cs;
    ctx->pc = db->pc_next;
    translate_one(ctx, translator_lduw(db, ctx->pc));
}

static void riscv_tb_stop(DisasContextBase *db, CPUState *cs)
{
    (void)cs;
    switch (db->is_jmp) {
    case DISAS_TOO_MANY:
        gen_goto_tb((DisasContext *)db, 0, db->pc_next);
        break;
    case DISAS_EXIT:
        tcg_gen_movi_i64(cpu_pc, (int64_t)db->pc_next);
        tcg_gen_exit_tb(NULL, 0);
        break;
    case DISAS_EXIT_PC:
        tcg_gen_exit_tb(NULL, 0);
        break;
    case DISAS_LOOKUP:
        tcg_gen_movi_i64(cpu_pc, (int64_t)db->pc_next);
        tcg_gen_lookup_and_goto_ptr();
        break;
    case DISAS_LOOKUP_PC:
        tcg_gen_lookup_and_goto_ptr();
        break;
    default:
        break;
    }
}

static const TranslatorOps riscv_translator_ops = {
    .insn_start = riscv_insn_start,
    .translate_insn = riscv_translate_insn,
    .tb_stop = riscv_tb_stop,
};

void riscv_translate(CPUState *cs, TranslationBlock *tb, int max_insns)
{
    DisasContext ctx = {
        .ext = RISCV_CPU(cs)->ext,
        .zext = RISCV_CPU(cs)->zext,
        .priv = tb->flags & RV_TB_PRIV_MASK,
        .mmu_idx = (tb->flags & RV_TB_MMU_MASK) >> RV_TB_MMU_SHIFT,
        .mstatus_fs = (tb->flags & RV_TB_FS_MASK) >> RV_TB_FS_SHIFT,
        .frm_rne = (tb->flags & RV_TB_FRM_RNE) != 0,
    };

    translator_loop(cs, tb, max_insns, &riscv_translator_ops, &ctx.base);
}
