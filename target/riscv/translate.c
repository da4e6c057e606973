/*
 * The RISC-V translator: turns the guest instructions of one TB into IR.
 * riscv_translate() is the TB loop (fetch, decode through the generated
 * decode_insn16/decode_insn32, one trans_* call per insn, stop at a jump,
 * a trap, a state change, max_insns or the end of the page); this file also
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
    ctx->is_jmp = DISAS_NORETURN;
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
    if (translator_use_goto_tb(ctx->tb, dest)) {
        tcg_gen_goto_tb(n);
        tcg_gen_movi_i64(cpu_pc, (int64_t)dest);
        tcg_gen_exit_tb(ctx->tb, n);
    } else {
        tcg_gen_movi_i64(cpu_pc, (int64_t)dest);
        tcg_gen_lookup_and_goto_ptr();
    }
    ctx->is_jmp = DISAS_NORETURN;
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
        ctx->pc_next = ctx->pc + 2;
        ok = has_ext(ctx, 'C') && decode_insn16(ctx, lo);
    } else {
        len = 4;
        ctx->opcode = lo | (uint32_t)translator_lduw(ctx->cs, ctx->tb,
                                                     ctx->pc + 2) << 16;
        ctx->pc_next = ctx->pc + 4;
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

/* A 32-bit insn in the last halfword of a page spans two pages. */
static bool insn_spans_pages(uint64_t pc, uint16_t lo)
{
    return (lo & 3) == 3 && (pc & ~TARGET_PAGE_MASK) == TARGET_PAGE_SIZE - 2;
}

/* Stops before tcg/ runs out of temps or labels for this TB. */
static bool ir_nearly_full(void)
{
    return tcg_ctx->nb_temps > TCG_MAX_TEMPS - 48 ||
           tcg_ctx->nb_labels > TCG_MAX_LABELS - 8;
}

static void translate_insns(DisasContext *ctx)
{
    for (;;) {
        uint16_t lo = translator_lduw(ctx->cs, ctx->tb, ctx->pc);

        /* A spanning insn goes first in its own TB, so a fetch fault on
           its second page does not undo insns translated before it. */
        if (ctx->num_insns > 0 && insn_spans_pages(ctx->pc, lo)) {
            ctx->pc_next = ctx->pc;
            ctx->is_jmp = DISAS_TOO_MANY;
            return;
        }
        tcg_gen_insn_start(ctx->pc, 0);
        ctx->num_insns++;
        if (ctx->cs->nb_breakpoints && cpu_breakpoint_test(ctx->cs, ctx->pc)) {
            /* Stop before the insn; the TB covers its first parcel so
               that invalidating the page drops it. */
            gen_debug_exception();
            ctx->pc_next = ctx->pc + 2;
            ctx->is_jmp = DISAS_NORETURN;
            return;
        }
        translate_one(ctx, lo);
        if (ctx->is_jmp != DISAS_NEXT)
            return;
        ctx->pc = ctx->pc_next;
        if (ctx->num_insns >= ctx->max_insns ||
            ((ctx->pc ^ ctx->pc_first) & TARGET_PAGE_MASK) || ir_nearly_full()) {
            ctx->is_jmp = DISAS_TOO_MANY;
            return;
        }
    }
}

void riscv_translate(CPUState *cs, TranslationBlock *tb, int max_insns)
{
    DisasContext ctx = {
        .cs = cs,
        .tb = tb,
        .pc = tb->pc,
        .pc_next = tb->pc,
        .pc_first = tb->pc,
        .ext = RISCV_CPU(cs)->ext,
        .zext = RISCV_CPU(cs)->zext,
        .priv = tb->flags & RV_TB_PRIV_MASK,
        .mmu_idx = (tb->flags & RV_TB_MMU_MASK) >> RV_TB_MMU_SHIFT,
        .mstatus_fs = (tb->flags & RV_TB_FS_MASK) >> RV_TB_FS_SHIFT,
        .frm_rne = (tb->flags & RV_TB_FRM_RNE) != 0,
        .max_insns = max_insns > 0 ? max_insns : TCG_MAX_INSNS,
        .is_jmp = DISAS_NEXT,
    };

    if (ctx.max_insns > TCG_MAX_INSNS)
        ctx.max_insns = TCG_MAX_INSNS;
    gen_tb_start(tb);
    translate_insns(&ctx);
    switch (ctx.is_jmp) {
    case DISAS_TOO_MANY:
        gen_goto_tb(&ctx, 0, ctx.pc_next);
        break;
    case DISAS_EXIT:
        tcg_gen_movi_i64(cpu_pc, (int64_t)ctx.pc_next);
        tcg_gen_exit_tb(NULL, 0);
        break;
    case DISAS_EXIT_PC:
        tcg_gen_exit_tb(NULL, 0);
        break;
    case DISAS_LOOKUP:
        tcg_gen_movi_i64(cpu_pc, (int64_t)ctx.pc_next);
        tcg_gen_lookup_and_goto_ptr();
        break;
    case DISAS_LOOKUP_PC:
        tcg_gen_lookup_and_goto_ptr();
        break;
    case DISAS_NEXT:
    case DISAS_NORETURN:
        break;
    }
    gen_tb_end(tb);
    tb->size = (uint32_t)(ctx.pc_next - ctx.pc_first);
    tb->icount = (uint16_t)ctx.num_insns;
}
