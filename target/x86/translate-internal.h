/*
 * What the x86-64 translator's files share (translate.c: the TB loop,
 * operands, flags and most insns; translate-ops.c: shifts, rotates and
 * double shifts, multiply and divide, bit insns, POPCNT/LZCNT, MOVBE,
 * CMPXCHG/CMPXCHG8B/16B/XADD, BSWAP and the string insns): the
 * DisasContext, the TCG globals and the gen_* building blocks.
 */
#ifndef TARGET_X86_TRANSLATE_INTERNAL_H
#define TARGET_X86_TRANSLATE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mimic/exec.h"
#include "mimic/tcg-op.h"
#include "mimic/translator.h"
#include "decode.h"
#include "helper.h"
#include "translate.h"

/* stop; rip already stored: go on through the jump cache */
#define DISAS_JUMP DISAS_TARGET_0

typedef struct DisasContext {
    DisasContextBase base;  /* pc_next: the next insn once decoded */
    uint64_t pc;            /* this insn */
    X86Insn insn;
    int cc_op;              /* what cc_op holds, or CC_OP_DYNAMIC */
    TCGv_i64 ea;            /* the memory operand's address, once made */
    bool mmx_prev;          /* the insn before this one in the TB used
                               MMX registers (x87 state already MMX's) */
    bool mmx_now;           /* this one does */
    bool mmx_late;          /* ... and its transition is still due */
    bool sse_inline;        /* SSE arithmetic inline on the host FPU
                               (X86_TB_MXCSR_DEFAULT) */
    /* CMP or SUB right before a Jcc/SETcc/CMOVcc in the same TB: the
       reader compares its operands directly (gen_prepare_cc). */
    int fused_cc_op;        /* the cc_op the insn before this one left
                               with its operands in fused_a, fused_b, or
                               CC_OP_DYNAMIC */
    int fused_next;         /* the same, set by this insn for the next */
    /* gen_prepare_cc may branch: no temp of the caller lives across it
       (Jcc, whose test is the last thing its block computes). */
    bool cc_may_branch;
    TCGv_i64 fused_a, fused_b;  /* TB-long temps */
    TCGv_i64 tmps[64];      /* the insn's temps, freed after it */
    int ntmps;
} DisasContext;
_Static_assert(offsetof(DisasContext, base) == 0, "base comes first");

/* Jcc condition numbers: the low nibble of the opcode. */
enum {
    CC_O, CC_NO, CC_B, CC_AE, CC_E, CC_NE, CC_BE, CC_A,
    CC_S, CC_NS, CC_P, CC_NP, CC_L, CC_GE, CC_LE, CC_G,
};

/* A condition as a comparison: true when cond(a, b). */
typedef struct CCTest {
    TCGCond cond;
    TCGv_i64 a, b;
} CCTest;

extern TCGv_i64 cpu_regs[16];
extern TCGv_i64 cpu_rip, cpu_cc_dst, cpu_cc_src, cpu_cc_src2;
extern TCGv_i32 cpu_cc_op;

/* The generator of a mnemonic: fn(ctx, arg). */
typedef void GenInsnFn(DisasContext *ctx, int arg);
typedef struct InsnGen InsnGen;
typedef struct X86OpsList {
    const struct InsnGen *gens;
    size_t n;
} X86OpsList;
/* translate-ops.c's mnemonics. */
const X86OpsList *x86_ops_list(void);
/* translate-x87.c's. */
const X86OpsList *x86_x87_list(void);
/* translate-sse.c's mnemonics (SSE, SSE2, MMX). */
const X86OpsList *x86_sse_list(void);
/* translate-sse4.c's (SSE3, SSSE3, SSE4.1, SSE4.2). */
const X86OpsList *x86_sse4_list(void);

/* translate-sse.c's SIMD operands, for translate-sse4.c too.  Registers
   are numbered as the helpers number them (sse.h): XMM 0-15,
   X86_XMM_TMP, X86_MM0 + n. */
/* The env offset of register n (an MMX register's significand). */
intptr_t xmm_offset(int n);
/* The register of operand i (V, U, W, P, Q or N). */
int xmm_reg(DisasContext *ctx, int i);
/* The register holding source operand i: its own, or X86_XMM_TMP with
   the memory operand loaded, both halves of a 16-byte one before either
   is written; a 16-byte one must be aligned (#GP) unless unaligned_ok. */
int gen_xmm_src(DisasContext *ctx, int i, bool unaligned_ok);
/* The x87-to-MMX transition, if the insn has an MMX register operand:
   #MF for a pending x87 exception, then TOP 0 and every tag valid, set
   by gen_mmx_done once the insn has done its memory accesses. */
void gen_mmx_enter(DisasContext *ctx);
void gen_mmx_done(DisasContext *ctx);

/* A temp freed when the insn is done. */
TCGv_i64 tmp(DisasContext *ctx);
/* dst = v zero- or sign-extended from bits. */
void gen_ext(TCGv_i64 dst, TCGv_i64 v, unsigned bits, bool sign);
/* Register r read with bits (8: AH..BH without REX for 4-7). */
void gen_read_reg(DisasContext *ctx, TCGv_i64 dst, int r, unsigned bits);
/* Register r written with bits as x86 does (32 zero-extends). */
void gen_write_reg(DisasContext *ctx, int r, unsigned bits, TCGv_i64 v);
/* Register operand i written with v only where cond holds for (a, b). */
void gen_store_reg_op_if(DisasContext *ctx, int i, TCGCond cond,
                         TCGv_i64 a, TCGv_i64 b, TCGv_i64 v);
/* The size in bits of operand i of the insn, and its MemOp. */
unsigned op_bits(DisasContext *ctx, int i);
MemOp mo_bits(unsigned bits);
bool op_is_mem(DisasContext *ctx, int i);
/* The memory operand's address: without, and with, the segment base. */
TCGv_i64 gen_lea_addr(DisasContext *ctx);
TCGv_i64 gen_ea(DisasContext *ctx);
void gen_mem_addr(DisasContext *ctx, TCGv_i64 *base, int64_t *off);
void gen_add_seg(DisasContext *ctx, TCGv_i64 addr, int seg);
/* Operand i zero-extended into v, or v written to it. */
void gen_load_op(DisasContext *ctx, int i, TCGv_i64 v);
void gen_store_op(DisasContext *ctx, int i, TCGv_i64 v);

/* Lazy flags (translate.h): record an operation, get the flags. */
void set_cc_op(DisasContext *ctx, int op);
void gen_store_cc_op(DisasContext *ctx);
void gen_set_flags(DisasContext *ctx, int kind, unsigned bits, TCGv_i64 dst,
                   TCGv_i64 src, TCGv_i64 src2);
TCGv_i64 gen_compute_flags(DisasContext *ctx);
TCGv_i64 gen_materialize_flags(DisasContext *ctx);
CCTest gen_prepare_cc(DisasContext *ctx, int cc);
TCGv_i64 gen_get_cf(DisasContext *ctx);

/* Fault excp at this insn; ends the TB. */
void gen_exception(DisasContext *ctx, int excp);
/* Ends the TB after this insn, which changed what the TB flags say: the
   next TB is looked up with the new flags. */
void gen_end_tb_flags(DisasContext *ctx);
/* Jumps to dest through goto_tb slot n when chaining is allowed. */
void gen_goto_tb(DisasContext *ctx, int n, uint64_t dest);
void gen_push(DisasContext *ctx, TCGv_i64 v, unsigned bits);

struct InsnGen {
    const char *name;
    GenInsnFn *fn;
    int arg;
};

#endif
