/*
 * The RISC-V translator's shared state and helpers, used by translate.c
 * (the TB loop) and by each extension's trans_*.c file.  A trans_NAME()
 * function, called by the generated decoders with the instruction's fields,
 * returns false if it does not accept the encoding (the caller then raises
 * illegal instruction) and otherwise emits IR through the gen_* helpers
 * below, which take the IR builder to use as a function pointer.
 * See docs/devel/riscv-frontend.md.
 */
#ifndef TARGET_RISCV_TRANSLATE_H
#define TARGET_RISCV_TRANSLATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mimic/exec.h"
#include "mimic/tcg-op.h"
#include "mimic/translator.h"
#include "cpu.h"
#include "decode-ex.h"
#include "helper.h"

/* The generated decoders' arg_* structs and trans_* prototypes. */
#define DECODETREE_DECLS_ONLY
#include "target/riscv/decode-insn32.c.inc"
#include "target/riscv/decode-insn16.c.inc"
#undef DECODETREE_DECLS_ONLY

/* How the TB ends after the current instruction, beyond the loop's own
   DISAS_NEXT, DISAS_TOO_MANY and DISAS_NORETURN (mimic/translator.h). */
/* stop; store pc_next and return to the loop (TB flags or interrupt
   state may have changed) */
#define DISAS_EXIT DISAS_TARGET_0
/* stop; pc already stored, return to the loop */
#define DISAS_EXIT_PC DISAS_TARGET_1
/* stop; store pc_next and go on through the jump cache, which compares
   the (maybe new) TB flags; the insn's helper asked for an exit if an
   interrupt became deliverable */
#define DISAS_LOOKUP DISAS_TARGET_2
/* stop; pc already stored; on as DISAS_LOOKUP */
#define DISAS_LOOKUP_PC DISAS_TARGET_3

struct DisasContext {
    DisasContextBase base; /* tb, cpu, pc_next, is_jmp, num_insns, ... */
    uint64_t pc;         /* pc of the current insn */
    uint32_t opcode;     /* current insn bits (16 or 32) */
    uint32_t ext;        /* RV_EXT() bits of enabled extensions */
    uint32_t zext;       /* RV_Z_* bits (Zicsr, Zifencei, ...) */
    int priv;            /* PRV_* the code runs at */
    int mmu_idx;         /* MMU index of loads and stores */
    int mstatus_fs;      /* mstatus.FS from the TB flags (0 = Off); 3 once
                            an insn of this TB has stored FS = Dirty */
    bool frm_checked;    /* an earlier insn of this TB checked frm */
    bool frm_rne;        /* frm is RNE (from the TB flags) */
};
/* The translator loop's hooks get &ctx->base and cast it back. */
_Static_assert(offsetof(DisasContext, base) == 0, "base comes first");

/* TCG globals (translate.c): gpr[0] is NULL, x0 reads as 0. */
extern TCGv_i64 cpu_gpr[32];
extern TCGv_i64 cpu_pc;

static inline bool has_ext(DisasContext *ctx, char ext)
{
    return (ctx->ext & RV_EXT(ext)) != 0;
}

/* Reads register r (a constant 0 for x0). */
TCGv_i64 get_gpr(DisasContext *ctx, int r);
/* The temp to compute rd's value into: the global, or a scratch for x0. */
TCGv_i64 dest_gpr(DisasContext *ctx, int r);
/* Writes rd from a value computed elsewhere (dropped for x0). */
void gen_set_gpr(DisasContext *ctx, int r, TCGv_i64 val);

/* Raises exception cause with mtval tval at the current insn; ends TB. */
void gen_exception(DisasContext *ctx, int cause, uint64_t tval);
/* Illegal instruction with mtval = the insn bits; ends the TB. */
void gen_exception_illegal(DisasContext *ctx);
/* Jumps to the constant dest (goto_tb slot n when chaining is allowed). */
void gen_goto_tb(DisasContext *ctx, int n, uint64_t dest);
/* Stores ctx->opcode into env->bins for helpers that may raise illegal. */
void gen_store_bins(DisasContext *ctx);

/* IR builder signatures the gen_* helpers accept. */
typedef void GenBinary(TCGv_i64 ret, TCGv_i64 a, TCGv_i64 b);
typedef void GenBinaryImm(TCGv_i64 ret, TCGv_i64 a, int64_t imm);
typedef void GenShiftImm(TCGv_i64 ret, TCGv_i64 a, unsigned sh);

/* rd = fn(rs1, rs2), optionally sign-extended from 32 bits (W forms). */
bool gen_arith(DisasContext *ctx, arg_r *a, GenBinary *fn, bool w);
/* rd = fn(rs1, imm), optionally sign-extended from 32 bits. */
bool gen_arith_imm(DisasContext *ctx, arg_i *a, GenBinaryImm *fn, bool w);
/* rd = fn(rs1, rs2) where rs1/rs2 are first sign- (or zero-) extended
   from 32 bits and the result is sign-extended (the M extension's W ops,
   the register shifts' W forms). */
bool gen_arith_w(DisasContext *ctx, arg_r *a, GenBinary *fn, bool sext_in);

#endif
