/*
 * What trans_rvf.c (F) and trans_rvd.c (D) share: the FP register globals
 * and the gen_fp_* helpers, each parameterized by the precision (dbl).
 * Every trans_ function of F/D first asks fp_insn_ok(), which refuses the
 * encoding (illegal instruction) when the extension is disabled, when
 * mstatus.FS is Off (known statically from the TB flags), or when the rm
 * field holds a reserved value; for rm = DYN it emits the one frm check
 * of the TB.  An instruction that writes an FP register or may write
 * fflags ends with gen_fs_dirty().
 */
#ifndef TARGET_RISCV_TRANS_FP_H
#define TARGET_RISCV_TRANS_FP_H

#include "translate.h"

/* f0..f31, bound to env.fpr[] and named by ABI name (ft0, fa0, fs0...). */
extern TCGv_i64 cpu_fpr[32];

/* Creates the FP register globals; called by riscv_tcg_init. */
void riscv_fp_tcg_init(void);

/* rm values for instructions without an rm field. */
#define FP_NO_RM (-1)

/* May this insn (of extension ext, with rounding field rm or FP_NO_RM)
   be translated?  Emits the dynamic frm check when rm is DYN. */
bool fp_insn_ok(DisasContext *ctx, char ext, int rm);
/* Sets mstatus.FS to Dirty (and SD), once per TB. */
void gen_fs_dirty(DisasContext *ctx);

bool gen_fp_load(DisasContext *ctx, arg_i *a, bool dbl);
bool gen_fp_store(DisasContext *ctx, arg_s *a, bool dbl);
/* RV_FOP_ADD, SUB, MUL, DIV. */
bool gen_fp_arith(DisasContext *ctx, arg_r_rm *a, unsigned op, bool dbl);
bool gen_fp_sqrt(DisasContext *ctx, arg_r2_rm *a, bool dbl);
/* RV_FOP_MIN, RV_FOP_MAX. */
bool gen_fp_minmax(DisasContext *ctx, arg_r *a, unsigned op, bool dbl);
/* neg: RV_FOP_NEG_PRODUCT | RV_FOP_NEG_ADDEND. */
bool gen_fp_fma(DisasContext *ctx, arg_r4_rm *a, unsigned neg, bool dbl);
/* Sign injection: kind 0 = fsgnj, 1 = fsgnjn, 2 = fsgnjx. */
bool gen_fp_sgnj(DisasContext *ctx, arg_r *a, int kind, bool dbl);
/* RV_FOP_EQ, LT, LE into an integer register. */
bool gen_fp_cmp(DisasContext *ctx, arg_r *a, unsigned op, bool dbl);
bool gen_fp_class(DisasContext *ctx, arg_r2 *a, bool dbl);
/* fcvt of kind RV_CVT_*: to_int says rd is an integer register,
   from_int that rs1 is. */
bool gen_fp_cvt(DisasContext *ctx, arg_r2_rm *a, char ext, unsigned kind,
                bool from_int, bool to_int);

#endif
