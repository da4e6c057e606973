/*
 * IR builders used by front ends.  Each builder appends ops to the current
 * TB (tcg_ctx).  Lowering lives here: a builder emits the native op when
 * the backend has it, or an expansion (tcg/tcg-op.c).  Immediate forms
 * ("addi") take an int64_t and fold trivial cases (adding 0 is a move).
 */
#ifndef MIMIC_TCG_OP_H
#define MIMIC_TCG_OP_H

#include "mimic/tcg.h"

/* ---- i64 ---- */
void tcg_gen_mov_i64(TCGv_i64 ret, TCGv_i64 arg);
void tcg_gen_movi_i64(TCGv_i64 ret, int64_t arg);
void tcg_gen_add_i64(TCGv_i64 ret, TCGv_i64 a, TCGv_i64 b);
void tcg_gen_addi_i64(TCGv_i64 ret, TCGv_i64 a, int64_t b);
void tcg_gen_sub_i64(TCGv_i64 ret, TCGv_i64 a, TCGv_i64 b);
void tcg_gen_subi_i64(TCGv_i64 ret, TCGv_i64 a, int64_t b);
void tcg_gen_neg_i64(TCGv_i64 ret, TCGv_i64 a);
void tcg_gen_mul_i64(TCGv_i64 ret, TCGv_i64 a, TCGv_i64 b);
void tcg_gen_muli_i64(TCGv_i64 ret, TCGv_i64 a, int64_t b);
void tcg_gen_mulsh_i64(TCGv_i64 ret, TCGv_i64 a, TCGv_i64 b);
void tcg_gen_muluh_i64(TCGv_i64 ret, TCGv_i64 a, TCGv_i64 b);
/* High half of signed a times unsigned b. */
void tcg_gen_mulsuh_i64(TCGv_i64 ret, TCGv_i64 a, TCGv_i64 b);
/* Raw division: the caller guarantees b != 0 and no INT64_MIN / -1. */
void tcg_gen_div_i64(TCGv_i64 ret, TCGv_i64 a, TCGv_i64 b);
void tcg_gen_divu_i64(TCGv_i64 ret, TCGv_i64 a, TCGv_i64 b);
void tcg_gen_rem_i64(TCGv_i64 ret, TCGv_i64 a, TCGv_i64 b);
void tcg_gen_remu_i64(TCGv_i64 ret, TCGv_i64 a, TCGv_i64 b);
void tcg_gen_and_i64(TCGv_i64 ret, TCGv_i64 a, TCGv_i64 b);
void tcg_gen_andi_i64(TCGv_i64 ret, TCGv_i64 a, int64_t b);
void tcg_gen_or_i64(TCGv_i64 ret, TCGv_i64 a, TCGv_i64 b);
void tcg_gen_ori_i64(TCGv_i64 ret, TCGv_i64 a, int64_t b);
void tcg_gen_xor_i64(TCGv_i64 ret, TCGv_i64 a, TCGv_i64 b);
void tcg_gen_xori_i64(TCGv_i64 ret, TCGv_i64 a, int64_t b);
void tcg_gen_not_i64(TCGv_i64 ret, TCGv_i64 a);
void tcg_gen_andc_i64(TCGv_i64 ret, TCGv_i64 a, TCGv_i64 b);
/* Shift counts are taken modulo 64. */
void tcg_gen_shl_i64(TCGv_i64 ret, TCGv_i64 a, TCGv_i64 b);
void tcg_gen_shr_i64(TCGv_i64 ret, TCGv_i64 a, TCGv_i64 b);
void tcg_gen_sar_i64(TCGv_i64 ret, TCGv_i64 a, TCGv_i64 b);
void tcg_gen_shli_i64(TCGv_i64 ret, TCGv_i64 a, unsigned b);
void tcg_gen_shri_i64(TCGv_i64 ret, TCGv_i64 a, unsigned b);
void tcg_gen_sari_i64(TCGv_i64 ret, TCGv_i64 a, unsigned b);
void tcg_gen_rotl_i64(TCGv_i64 ret, TCGv_i64 a, TCGv_i64 b);
void tcg_gen_rotr_i64(TCGv_i64 ret, TCGv_i64 a, TCGv_i64 b);
void tcg_gen_ext8s_i64(TCGv_i64 ret, TCGv_i64 a);
void tcg_gen_ext8u_i64(TCGv_i64 ret, TCGv_i64 a);
void tcg_gen_ext16s_i64(TCGv_i64 ret, TCGv_i64 a);
void tcg_gen_ext16u_i64(TCGv_i64 ret, TCGv_i64 a);
void tcg_gen_ext32s_i64(TCGv_i64 ret, TCGv_i64 a);
void tcg_gen_ext32u_i64(TCGv_i64 ret, TCGv_i64 a);
void tcg_gen_setcond_i64(TCGCond cond, TCGv_i64 ret, TCGv_i64 a, TCGv_i64 b);
void tcg_gen_setcondi_i64(TCGCond cond, TCGv_i64 ret, TCGv_i64 a, int64_t b);
void tcg_gen_movcond_i64(TCGCond cond, TCGv_i64 ret, TCGv_i64 c1, TCGv_i64 c2,
                         TCGv_i64 v1, TCGv_i64 v2);
void tcg_gen_brcond_i64(TCGCond cond, TCGv_i64 a, TCGv_i64 b, TCGLabel *l);
void tcg_gen_brcondi_i64(TCGCond cond, TCGv_i64 a, int64_t b, TCGLabel *l);

/* Host memory at base + offset (base is normally tcg_env()). */
void tcg_gen_ld_i64(TCGv_i64 ret, TCGv_ptr base, intptr_t off);
void tcg_gen_ld32u_i64(TCGv_i64 ret, TCGv_ptr base, intptr_t off);
void tcg_gen_ld32s_i64(TCGv_i64 ret, TCGv_ptr base, intptr_t off);
void tcg_gen_ld8u_i64(TCGv_i64 ret, TCGv_ptr base, intptr_t off);
void tcg_gen_st_i64(TCGv_i64 val, TCGv_ptr base, intptr_t off);
void tcg_gen_st32_i64(TCGv_i64 val, TCGv_ptr base, intptr_t off);
void tcg_gen_st8_i64(TCGv_i64 val, TCGv_ptr base, intptr_t off);

/* ---- i32 ---- */
void tcg_gen_mov_i32(TCGv_i32 ret, TCGv_i32 arg);
void tcg_gen_movi_i32(TCGv_i32 ret, int32_t arg);
void tcg_gen_add_i32(TCGv_i32 ret, TCGv_i32 a, TCGv_i32 b);
void tcg_gen_addi_i32(TCGv_i32 ret, TCGv_i32 a, int32_t b);
void tcg_gen_sub_i32(TCGv_i32 ret, TCGv_i32 a, TCGv_i32 b);
void tcg_gen_and_i32(TCGv_i32 ret, TCGv_i32 a, TCGv_i32 b);
void tcg_gen_andi_i32(TCGv_i32 ret, TCGv_i32 a, int32_t b);
void tcg_gen_or_i32(TCGv_i32 ret, TCGv_i32 a, TCGv_i32 b);
void tcg_gen_xor_i32(TCGv_i32 ret, TCGv_i32 a, TCGv_i32 b);
void tcg_gen_shl_i32(TCGv_i32 ret, TCGv_i32 a, TCGv_i32 b);
void tcg_gen_shr_i32(TCGv_i32 ret, TCGv_i32 a, TCGv_i32 b);
void tcg_gen_sar_i32(TCGv_i32 ret, TCGv_i32 a, TCGv_i32 b);
void tcg_gen_mul_i32(TCGv_i32 ret, TCGv_i32 a, TCGv_i32 b);
void tcg_gen_div_i32(TCGv_i32 ret, TCGv_i32 a, TCGv_i32 b);
void tcg_gen_divu_i32(TCGv_i32 ret, TCGv_i32 a, TCGv_i32 b);
void tcg_gen_rem_i32(TCGv_i32 ret, TCGv_i32 a, TCGv_i32 b);
void tcg_gen_remu_i32(TCGv_i32 ret, TCGv_i32 a, TCGv_i32 b);
void tcg_gen_setcond_i32(TCGCond cond, TCGv_i32 ret, TCGv_i32 a, TCGv_i32 b);
void tcg_gen_movcond_i32(TCGCond cond, TCGv_i32 ret, TCGv_i32 c1, TCGv_i32 c2,
                         TCGv_i32 v1, TCGv_i32 v2);
void tcg_gen_brcond_i32(TCGCond cond, TCGv_i32 a, TCGv_i32 b, TCGLabel *l);
void tcg_gen_brcondi_i32(TCGCond cond, TCGv_i32 a, int32_t b, TCGLabel *l);
void tcg_gen_ld_i32(TCGv_i32 ret, TCGv_ptr base, intptr_t off);
void tcg_gen_st_i32(TCGv_i32 val, TCGv_ptr base, intptr_t off);

/* ---- Width changes ---- */
void tcg_gen_ext_i32_i64(TCGv_i64 ret, TCGv_i32 a);   /* sign-extend */
void tcg_gen_extu_i32_i64(TCGv_i64 ret, TCGv_i32 a);  /* zero-extend */
void tcg_gen_extrl_i64_i32(TCGv_i32 ret, TCGv_i64 a); /* low half */

/* ---- Control ---- */
void gen_set_label(TCGLabel *l);
void tcg_gen_br(TCGLabel *l);
/* Records the start of a guest insn at pc (with one extra word). */
void tcg_gen_insn_start(uint64_t pc, uint64_t extra);
/* Leaves the TB returning (tb | idx) to the loop; tb NULL returns 0. */
void tcg_gen_exit_tb(const void *tb, unsigned idx);
/* Patchable direct jump, slot idx (0 or 1); follow with exit_tb(tb, idx). */
void tcg_gen_goto_tb(unsigned idx);
/* Jumps to the TB for the pc in env through the jump cache, or exits. */
void tcg_gen_lookup_and_goto_ptr(void);
void tcg_gen_mb(TCGBar bar);

/* ---- Guest memory ---- */
void tcg_gen_qemu_ld_i64(TCGv_i64 val, TCGv_i64 addr, unsigned mmu_idx, MemOp op);
void tcg_gen_qemu_st_i64(TCGv_i64 val, TCGv_i64 addr, unsigned mmu_idx, MemOp op);
void tcg_gen_qemu_ld_i32(TCGv_i32 val, TCGv_i64 addr, unsigned mmu_idx, MemOp op);
void tcg_gen_qemu_st_i32(TCGv_i32 val, TCGv_i64 addr, unsigned mmu_idx, MemOp op);
/* The same at base + offset: one op with the offset folded in where the
   mode's guard allows it (user mode: no add, and the check is of base
   alone), else an add and the access. */
void tcg_gen_qemu_ld_off_i64(TCGv_i64 val, TCGv_i64 base, int64_t offset,
                             unsigned mmu_idx, MemOp op);
void tcg_gen_qemu_st_off_i64(TCGv_i64 val, TCGv_i64 base, int64_t offset,
                             unsigned mmu_idx, MemOp op);

/* ---- Helper calls ----
 * ret may be NULL when the helper returns nothing; args are TCGTemp
 * pointers (use tcgv_i64_temp() etc.) matching info->arg_types.
 */
void tcg_gen_call(const TCGHelperInfo *info, TCGTemp *ret, int nargs,
                  TCGTemp **args);
void tcg_gen_call0(const TCGHelperInfo *info, TCGTemp *ret);
void tcg_gen_call1(const TCGHelperInfo *info, TCGTemp *ret, TCGTemp *a1);
void tcg_gen_call2(const TCGHelperInfo *info, TCGTemp *ret, TCGTemp *a1,
                   TCGTemp *a2);
void tcg_gen_call3(const TCGHelperInfo *info, TCGTemp *ret, TCGTemp *a1,
                   TCGTemp *a2, TCGTemp *a3);
void tcg_gen_call4(const TCGHelperInfo *info, TCGTemp *ret, TCGTemp *a1,
                   TCGTemp *a2, TCGTemp *a3, TCGTemp *a4);

/* ---- Added builders ---- */

/* Type-generic forms (type picks the op width); the typed builders above
   and below wrap these. */
void tcg_gen_mov(TCGType type, TCGTemp *r, TCGTemp *a);
void tcg_gen_movi(TCGType type, TCGTemp *r, int64_t v);
void tcg_gen_addi(TCGType type, TCGTemp *r, TCGTemp *a, int64_t b);
void tcg_gen_muli(TCGType type, TCGTemp *r, TCGTemp *a, int64_t b);
void tcg_gen_andi(TCGType type, TCGTemp *r, TCGTemp *a, int64_t b);
void tcg_gen_ori(TCGType type, TCGTemp *r, TCGTemp *a, int64_t b);
void tcg_gen_xori(TCGType type, TCGTemp *r, TCGTemp *a, int64_t b);
/* opc is shl, shr, sar, rotl or rotr; the count is taken modulo the width. */
void tcg_gen_shifti(TCGOpcode opc, TCGType type, TCGTemp *r, TCGTemp *a, unsigned b);
void tcg_gen_andc(TCGType type, TCGTemp *r, TCGTemp *a, TCGTemp *b);
void tcg_gen_rot(TCGType type, bool left, TCGTemp *r, TCGTemp *a, TCGTemp *b);
void tcg_gen_mulsuh(TCGType type, TCGTemp *r, TCGTemp *a, TCGTemp *b);
void tcg_gen_setcond(TCGType type, TCGCond c, TCGTemp *r, TCGTemp *a, TCGTemp *b);
void tcg_gen_movcond(TCGType type, TCGCond c, TCGTemp *r, TCGTemp *c1, TCGTemp *c2,
                     TCGTemp *v1, TCGTemp *v2);
void tcg_gen_brcond(TCGType type, TCGCond c, TCGTemp *a, TCGTemp *b, TCGLabel *l);
/* opc is one of ld8u ... st; v is the value (output for loads). */
void tcg_gen_ldst(TCGOpcode opc, TCGType type, TCGTemp *v, TCGTemp *base, intptr_t off);

void tcg_gen_rotli_i64(TCGv_i64 ret, TCGv_i64 a, unsigned b);
void tcg_gen_rotri_i64(TCGv_i64 ret, TCGv_i64 a, unsigned b);
/* Tells the optimizer and liveness that a's value is no longer needed. */
void tcg_gen_discard_i64(TCGv_i64 a);

/* True if the backend has the IEEE arithmetic ops (fadd, fsub, fmul, fdiv,
   fsqrt in every format and NaN policy; tcg-opc.h); else the front end
   calls helpers. */
bool tcg_have_fp_arith(void);
/* opc is fadd, fsub, fmul or fdiv; fp a TCGFPFormat ORed with a NaN
   policy (TCG_FP_NAN_*), one of the pairs tcg-opc.h allows. */
void tcg_gen_fp_binop(TCGOpcode opc, unsigned fp, TCGv_i64 ret,
                      TCGv_i64 a, TCGv_i64 b);
void tcg_gen_fsqrt(unsigned fp, TCGv_i64 ret, TCGv_i64 a);
/* True if the backend has the vec op for op (a TCG_VEC_OP) and
   vec_movmsk; else the front end calls helpers. */
bool tcg_have_vec(int op);
/* The 16 bytes at base + d = op(those at base + a, at base + b); b is the
   immediate of TCG_VEC_SHUF32. */
void tcg_gen_vec(int op, TCGv_ptr base, intptr_t d, intptr_t a, intptr_t b);
/* ret = the top bits of the 16 bytes at base + a (byte i in bit i). */
void tcg_gen_vec_movmsk(TCGv_i64 ret, TCGv_ptr base, intptr_t a);
void tcg_gen_ld16u_i64(TCGv_i64 ret, TCGv_ptr base, intptr_t off);
void tcg_gen_ld16s_i64(TCGv_i64 ret, TCGv_ptr base, intptr_t off);
void tcg_gen_ld8s_i64(TCGv_i64 ret, TCGv_ptr base, intptr_t off);
void tcg_gen_st16_i64(TCGv_i64 val, TCGv_ptr base, intptr_t off);

void tcg_gen_subi_i32(TCGv_i32 ret, TCGv_i32 a, int32_t b);
void tcg_gen_neg_i32(TCGv_i32 ret, TCGv_i32 a);
void tcg_gen_muli_i32(TCGv_i32 ret, TCGv_i32 a, int32_t b);
void tcg_gen_mulsh_i32(TCGv_i32 ret, TCGv_i32 a, TCGv_i32 b);
void tcg_gen_muluh_i32(TCGv_i32 ret, TCGv_i32 a, TCGv_i32 b);
void tcg_gen_ori_i32(TCGv_i32 ret, TCGv_i32 a, int32_t b);
void tcg_gen_xori_i32(TCGv_i32 ret, TCGv_i32 a, int32_t b);
void tcg_gen_not_i32(TCGv_i32 ret, TCGv_i32 a);
void tcg_gen_andc_i32(TCGv_i32 ret, TCGv_i32 a, TCGv_i32 b);
void tcg_gen_shli_i32(TCGv_i32 ret, TCGv_i32 a, unsigned b);
void tcg_gen_shri_i32(TCGv_i32 ret, TCGv_i32 a, unsigned b);
void tcg_gen_sari_i32(TCGv_i32 ret, TCGv_i32 a, unsigned b);
void tcg_gen_rotl_i32(TCGv_i32 ret, TCGv_i32 a, TCGv_i32 b);
void tcg_gen_rotr_i32(TCGv_i32 ret, TCGv_i32 a, TCGv_i32 b);
void tcg_gen_rotli_i32(TCGv_i32 ret, TCGv_i32 a, unsigned b);
void tcg_gen_rotri_i32(TCGv_i32 ret, TCGv_i32 a, unsigned b);
void tcg_gen_ext8s_i32(TCGv_i32 ret, TCGv_i32 a);
void tcg_gen_ext8u_i32(TCGv_i32 ret, TCGv_i32 a);
void tcg_gen_ext16s_i32(TCGv_i32 ret, TCGv_i32 a);
void tcg_gen_ext16u_i32(TCGv_i32 ret, TCGv_i32 a);
void tcg_gen_setcondi_i32(TCGCond cond, TCGv_i32 ret, TCGv_i32 a, int32_t b);
void tcg_gen_ld8u_i32(TCGv_i32 ret, TCGv_ptr base, intptr_t off);
void tcg_gen_ld8s_i32(TCGv_i32 ret, TCGv_ptr base, intptr_t off);
void tcg_gen_ld16u_i32(TCGv_i32 ret, TCGv_ptr base, intptr_t off);
void tcg_gen_ld16s_i32(TCGv_i32 ret, TCGv_ptr base, intptr_t off);
void tcg_gen_st8_i32(TCGv_i32 val, TCGv_ptr base, intptr_t off);
void tcg_gen_st16_i32(TCGv_i32 val, TCGv_ptr base, intptr_t off);
void tcg_gen_discard_i32(TCGv_i32 a);

void tcg_gen_ld_ptr(TCGv_ptr ret, TCGv_ptr base, intptr_t off);
void tcg_gen_addi_ptr(TCGv_ptr ret, TCGv_ptr a, intptr_t b);
/* Jumps to the host code address in dest (an executable TB address). */
void tcg_gen_goto_ptr(TCGv_ptr dest);

void tcg_gen_call5(const TCGHelperInfo *info, TCGTemp *ret, TCGTemp *a1,
                   TCGTemp *a2, TCGTemp *a3, TCGTemp *a4, TCGTemp *a5);
void tcg_gen_call6(const TCGHelperInfo *info, TCGTemp *ret, TCGTemp *a1,
                   TCGTemp *a2, TCGTemp *a3, TCGTemp *a4, TCGTemp *a5,
                   TCGTemp *a6);

#endif
