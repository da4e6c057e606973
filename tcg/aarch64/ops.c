/*
 * aarch64 backend, part 2: op lowering.  tcg_target_out_ops, at the end,
 * is the backend's one list of the ops it implements: per op, where each
 * operand must be (the constraint strings of tcg-internal.h; 'A' an
 * add/sub immediate, 'L' a bitmask immediate, 'Z' zero) and the function
 * that emits the op once the register allocator has placed them.  The
 * emitters of qemu_ld/st (ldst.c) and the ops that leave the TB
 * (prologue.c) live in their own files.  All forms are three-address;
 * i32 ops use the W forms (which zero the upper half).
 */
#include "emit.h"

#define DEFS(...)                                                              \
    {                                                                          \
        {__VA_ARGS__}, 0                                                       \
    }

static const TCGTargetOpDef c_none = DEFS(NULL);
static const TCGTargetOpDef c_r = DEFS("r");
static const TCGTargetOpDef c_r_r = DEFS("r", "r");
static const TCGTargetOpDef c_r_rg = DEFS("r", "rg");
static const TCGTargetOpDef c_rZ_r = DEFS("rZ", "r");
static const TCGTargetOpDef c_r_rA = DEFS("r", "rA");
static const TCGTargetOpDef c_r_r_r = DEFS("r", "r", "r");
static const TCGTargetOpDef c_r_r_ri = DEFS("r", "r", "ri");
static const TCGTargetOpDef c_r_r_rA = DEFS("r", "r", "rA");
static const TCGTargetOpDef c_r_r_rL = DEFS("r", "r", "rL");
static const TCGTargetOpDef c_movcond = DEFS("r", "r", "rA", "rZ", "rZ");

static inline bool w64(const TCGOp *op)
{
    return op->type == TCG_TYPE_I64;
}

/* ---- Control flow ---- */

static void out_op_br(TCGContext *s, const TCGOp *op, const TCGArg *args,
                      const bool *const_args)
{
    tcg_out_bcond_label(s, -1, arg_label(args[0]));
}

static void out_op_brcond(TCGContext *s, const TCGOp *op, const TCGArg *args,
                          const bool *const_args)
{
    tcg_out_cmp(s, op->type, (int)args[0], (int64_t)args[1], const_args[1]);
    tcg_out_bcond_label(s, tcg_cond_to_arm[args[2]], arg_label(args[3]));
}

static void out_op_setcond(TCGContext *s, const TCGOp *op, const TCGArg *args,
                           const bool *const_args)
{
    tcg_out_cmp(s, op->type, (int)args[1], (int64_t)args[2], const_args[2]);
    /* cset d, cond = csinc d, zr, zr, !cond */
    tcg_out_insn(s, I_CSINC | R_ZR << 16 |
                        (uint32_t)(tcg_cond_to_arm[args[3]] ^ 1) << 12 |
                        R_ZR << 5 | (uint32_t)args[0]);
}

/* movcond d, c1, c2, v1, v2, cond: csel d, v1, v2, cond */
static void out_op_movcond(TCGContext *s, const TCGOp *op, const TCGArg *args,
                           const bool *const_args)
{
    int v1 = const_args[3] ? R_ZR : (int)args[3];
    int v2 = const_args[4] ? R_ZR : (int)args[4];

    tcg_out_cmp(s, op->type, (int)args[1], (int64_t)args[2], const_args[2]);
    tcg_out_insn(s, I_CSEL | sf(w64(op)) | (uint32_t)v2 << 16 |
                        (uint32_t)tcg_cond_to_arm[args[5]] << 12 |
                        (uint32_t)v1 << 5 | (uint32_t)args[0]);
}

static void out_op_goto_ptr(TCGContext *s, const TCGOp *op, const TCGArg *args,
                            const bool *const_args)
{
    tcg_out_insn(s, I_BR | (uint32_t)args[0] << 5);
}

/* ---- Arithmetic and logic ---- */

static void out_op_add(TCGContext *s, const TCGOp *op, const TCGArg *args,
                       const bool *const_args)
{
    if (const_args[2])
        tcg_out_addi(s, w64(op), (int)args[0], (int)args[1], (int64_t)args[2]);
    else
        tcg_out_insn_rrr(s, I_ADD, w64(op), (int)args[0], (int)args[1],
                         (int)args[2]);
}

static void out_op_sub(TCGContext *s, const TCGOp *op, const TCGArg *args,
                       const bool *const_args)
{
    if (const_args[2])
        tcg_out_addi(s, w64(op), (int)args[0], (int)args[1],
                     -(int64_t)args[2]);
    else
        tcg_out_insn_rrr(s, I_SUB, w64(op), (int)args[0], (int)args[1],
                         (int)args[2]);
}

/* d = a op b for a logical op, b a register or a bitmask immediate. */
static void out_logic(TCGContext *s, const TCGOp *op, uint32_t insn,
                      const TCGArg *args, const bool *const_args)
{
    if (const_args[2])
        tcg_out_logici(s, insn, w64(op), (int)args[0], (int)args[1],
                       (uint64_t)args[2]);
    else
        tcg_out_insn_rrr(s, insn, w64(op), (int)args[0], (int)args[1],
                         (int)args[2]);
}

static void out_op_and(TCGContext *s, const TCGOp *op, const TCGArg *args,
                       const bool *const_args)
{
    out_logic(s, op, I_AND, args, const_args);
}

static void out_op_or(TCGContext *s, const TCGOp *op, const TCGArg *args,
                      const bool *const_args)
{
    out_logic(s, op, I_ORR, args, const_args);
}

static void out_op_xor(TCGContext *s, const TCGOp *op, const TCGArg *args,
                       const bool *const_args)
{
    out_logic(s, op, I_EOR, args, const_args);
}

/* andc d, a, b = a & ~b: bic */
static void out_op_andc(TCGContext *s, const TCGOp *op, const TCGArg *args,
                        const bool *const_args)
{
    tcg_out_insn_rrr(s, I_BIC, w64(op), (int)args[0], (int)args[1],
                     (int)args[2]);
}

static void out_op_neg(TCGContext *s, const TCGOp *op, const TCGArg *args,
                       const bool *const_args)
{
    tcg_out_insn_rrr(s, I_SUB, w64(op), (int)args[0], R_ZR, (int)args[1]);
}

static void out_op_not(TCGContext *s, const TCGOp *op, const TCGArg *args,
                       const bool *const_args)
{
    tcg_out_insn_rrr(s, I_ORN, w64(op), (int)args[0], R_ZR, (int)args[1]);
}

static void out_op_mul(TCGContext *s, const TCGOp *op, const TCGArg *args,
                       const bool *const_args)
{
    /* madd d, a, b, zr */
    tcg_out_insn(s, I_MADD | sf(w64(op)) | (uint32_t)args[2] << 16 |
                        R_ZR << 10 | (uint32_t)args[1] << 5 |
                        (uint32_t)args[0]);
}

/* d = a shifted by b: a constant (a bitfield move) or a register (the
   variable shifts take the count modulo the width, as the IR does). */
static void out_shift(TCGContext *s, const TCGOp *op, int kind,
                      uint32_t var, const TCGArg *args,
                      const bool *const_args)
{
    int d = (int)args[0], a = (int)args[1];

    if (const_args[2])
        tcg_out_shifti(s, kind, w64(op), d, a, (unsigned)args[2]);
    else
        tcg_out_insn_rrr(s, var, w64(op), d, a, (int)args[2]);
}

static void out_op_shl(TCGContext *s, const TCGOp *op, const TCGArg *args,
                       const bool *const_args)
{
    out_shift(s, op, SH_LSL, I_LSLV, args, const_args);
}

static void out_op_shr(TCGContext *s, const TCGOp *op, const TCGArg *args,
                       const bool *const_args)
{
    out_shift(s, op, SH_LSR, I_LSRV, args, const_args);
}

static void out_op_sar(TCGContext *s, const TCGOp *op, const TCGArg *args,
                       const bool *const_args)
{
    out_shift(s, op, SH_ASR, I_ASRV, args, const_args);
}

static void out_op_rotr(TCGContext *s, const TCGOp *op, const TCGArg *args,
                        const bool *const_args)
{
    out_shift(s, op, SH_ROR, I_RORV, args, const_args);
}

/* rotl by n = rotr by -n (modulo the width). */
static void out_op_rotl(TCGContext *s, const TCGOp *op, const TCGArg *args,
                        const bool *const_args)
{
    int d = (int)args[0], a = (int)args[1];
    unsigned bits = w64(op) ? 64 : 32;

    if (const_args[2]) {
        tcg_out_shifti(s, SH_ROR, w64(op), d, a,
                       (bits - (unsigned)args[2]) & (bits - 1));
    } else {
        tcg_out_insn_rrr(s, I_SUB, false, TCG_TMP0, R_ZR, (int)args[2]);
        tcg_out_insn_rrr(s, I_RORV, w64(op), d, a, TCG_TMP0);
    }
}

static void out_op_div(TCGContext *s, const TCGOp *op, const TCGArg *args,
                       const bool *const_args)
{
    tcg_out_insn_rrr(s, I_SDIV, w64(op), (int)args[0], (int)args[1],
                     (int)args[2]);
}

static void out_op_divu(TCGContext *s, const TCGOp *op, const TCGArg *args,
                        const bool *const_args)
{
    tcg_out_insn_rrr(s, I_UDIV, w64(op), (int)args[0], (int)args[1],
                     (int)args[2]);
}

/* rem d, a, b: tmp = a / b; d = a - tmp * b (msub). */
static void out_rem(TCGContext *s, const TCGOp *op, uint32_t div,
                    const TCGArg *args)
{
    int d = (int)args[0], a = (int)args[1], b = (int)args[2];

    tcg_out_insn_rrr(s, div, w64(op), TCG_TMP0, a, b);
    tcg_out_insn(s, I_MSUB | sf(w64(op)) | (uint32_t)b << 16 |
                        (uint32_t)a << 10 | (uint32_t)TCG_TMP0 << 5 |
                        (uint32_t)d);
}

static void out_op_rem(TCGContext *s, const TCGOp *op, const TCGArg *args,
                       const bool *const_args)
{
    out_rem(s, op, I_SDIV, args);
}

static void out_op_remu(TCGContext *s, const TCGOp *op, const TCGArg *args,
                        const bool *const_args)
{
    out_rem(s, op, I_UDIV, args);
}

/* The high half of the product: smulh/umulh for i64; for i32 the full
   64-bit product (smull/umull) shifted down. */
static void out_mulh(TCGContext *s, const TCGOp *op, bool sign,
                     const TCGArg *args)
{
    int d = (int)args[0], a = (int)args[1], b = (int)args[2];
    uint32_t insn = w64(op) ? (sign ? I_SMULH : I_UMULH)
                            : (sign ? I_SMULL : I_UMULL);

    tcg_out_insn(s, insn | (uint32_t)b << 16 | R_ZR << 10 | (uint32_t)a << 5 |
                        (uint32_t)d);
    if (!w64(op))
        tcg_out_shifti(s, SH_LSR, true, d, d, 32);
}

static void out_op_mulsh(TCGContext *s, const TCGOp *op, const TCGArg *args,
                         const bool *const_args)
{
    out_mulh(s, op, true, args);
}

static void out_op_muluh(TCGContext *s, const TCGOp *op, const TCGArg *args,
                         const bool *const_args)
{
    out_mulh(s, op, false, args);
}

/* ---- Extensions and width changes ---- */

static void out_op_ext8s(TCGContext *s, const TCGOp *op, const TCGArg *args,
                         const bool *const_args)
{
    tcg_out_ext(s, w64(op), (int)args[0], (int)args[1], 8, true);
}

static void out_op_ext8u(TCGContext *s, const TCGOp *op, const TCGArg *args,
                         const bool *const_args)
{
    tcg_out_ext(s, w64(op), (int)args[0], (int)args[1], 8, false);
}

static void out_op_ext16s(TCGContext *s, const TCGOp *op, const TCGArg *args,
                          const bool *const_args)
{
    tcg_out_ext(s, w64(op), (int)args[0], (int)args[1], 16, true);
}

static void out_op_ext16u(TCGContext *s, const TCGOp *op, const TCGArg *args,
                          const bool *const_args)
{
    tcg_out_ext(s, w64(op), (int)args[0], (int)args[1], 16, false);
}

/* ext32s and ext_i32_i64 (an i64 op); within i32 a move. */
static void out_op_ext32s(TCGContext *s, const TCGOp *op, const TCGArg *args,
                          const bool *const_args)
{
    if (op->type == TCG_TYPE_I32)
        tcg_out_mov(s, op->type, (int)args[0], (int)args[1]);
    else
        tcg_out_ext(s, true, (int)args[0], (int)args[1], 32, true);
}

/* ext32u, extu_i32_i64 and extrl_i64_i32: a W move zero-extends. */
static void out_op_ext32u(TCGContext *s, const TCGOp *op, const TCGArg *args,
                          const bool *const_args)
{
    tcg_out_ext(s, false, (int)args[0], (int)args[1], 32, false);
}

/* ---- Host memory: ld* d, base, offset and st* v, base, offset ---- */

static void out_ld(TCGContext *s, uint32_t insn, const TCGArg *args)
{
    tcg_out_ldst(s, insn, (int)args[0], (int)args[1], (intptr_t)args[2]);
}

static void out_op_ld8u(TCGContext *s, const TCGOp *op, const TCGArg *args,
                        const bool *const_args)
{
    out_ld(s, I_LDRB, args);
}

static void out_op_ld8s(TCGContext *s, const TCGOp *op, const TCGArg *args,
                        const bool *const_args)
{
    out_ld(s, w64(op) ? I_LDRSBX : I_LDRSBW, args);
}

static void out_op_ld16u(TCGContext *s, const TCGOp *op, const TCGArg *args,
                         const bool *const_args)
{
    out_ld(s, I_LDRH, args);
}

static void out_op_ld16s(TCGContext *s, const TCGOp *op, const TCGArg *args,
                         const bool *const_args)
{
    out_ld(s, w64(op) ? I_LDRSHX : I_LDRSHW, args);
}

static void out_op_ld32u(TCGContext *s, const TCGOp *op, const TCGArg *args,
                         const bool *const_args)
{
    out_ld(s, I_LDRW, args);
}

static void out_op_ld32s(TCGContext *s, const TCGOp *op, const TCGArg *args,
                         const bool *const_args)
{
    out_ld(s, w64(op) ? I_LDRSW : I_LDRW, args);
}

static void out_op_ld(TCGContext *s, const TCGOp *op, const TCGArg *args,
                      const bool *const_args)
{
    out_ld(s, w64(op) ? I_LDRX : I_LDRW, args);
}

/* A store; a constant value is zero (the zero register). */
static void out_st(TCGContext *s, uint32_t insn, const TCGArg *args,
                   const bool *const_args)
{
    tcg_out_ldst(s, insn, const_args[0] ? R_ZR : (int)args[0], (int)args[1],
                 (intptr_t)args[2]);
}

static void out_op_st8(TCGContext *s, const TCGOp *op, const TCGArg *args,
                       const bool *const_args)
{
    out_st(s, I_STRB, args, const_args);
}

static void out_op_st16(TCGContext *s, const TCGOp *op, const TCGArg *args,
                        const bool *const_args)
{
    out_st(s, I_STRH, args, const_args);
}

static void out_op_st32(TCGContext *s, const TCGOp *op, const TCGArg *args,
                        const bool *const_args)
{
    out_st(s, I_STRW, args, const_args);
}

static void out_op_st(TCGContext *s, const TCGOp *op, const TCGArg *args,
                      const bool *const_args)
{
    out_st(s, w64(op) ? I_STRX : I_STRW, args, const_args);
}

/* ---- Memory ordering ---- */

/* The lightest DMB that orders the pairs bar asks for: loads before
   later accesses (ISHLD), stores before later stores (ISHST), else all. */
static void out_op_mb(TCGContext *s, const TCGOp *op, const TCGArg *args,
                      const bool *const_args)
{
    unsigned bar = (unsigned)args[0] & TCG_MO_ALL;
    int opt;

    if (!bar)
        return;
    if (!(bar & (TCG_MO_ST_LD | TCG_MO_ST_ST)))
        opt = DMB_ISHLD;
    else if (bar == TCG_MO_ST_ST)
        opt = DMB_ISHST;
    else
        opt = DMB_ISH;
    tcg_out_insn(s, I_DMB | (uint32_t)opt << 8);
}

/* ---- The table ---- */

const TCGOutOp tcg_target_out_ops[NB_OPS] = {
    [INDEX_op_br] = {.def = ANY_TYPE(c_none), .emit = out_op_br},
    [INDEX_op_brcond] = {.def = ANY_TYPE(c_r_rA), .emit = out_op_brcond},
    [INDEX_op_setcond] = {.def = ANY_TYPE(c_r_r_rA), .emit = out_op_setcond},
    [INDEX_op_movcond] = {.def = ANY_TYPE(c_movcond), .emit = out_op_movcond},

    [INDEX_op_add] = {.def = ANY_TYPE(c_r_r_rA), .emit = out_op_add},
    [INDEX_op_sub] = {.def = ANY_TYPE(c_r_r_rA), .emit = out_op_sub},
    [INDEX_op_mul] = {.def = ANY_TYPE(c_r_r_r), .emit = out_op_mul},
    [INDEX_op_neg] = {.def = ANY_TYPE(c_r_r), .emit = out_op_neg},
    [INDEX_op_and] = {.def = ANY_TYPE(c_r_r_rL), .emit = out_op_and},
    [INDEX_op_or] = {.def = ANY_TYPE(c_r_r_rL), .emit = out_op_or},
    [INDEX_op_xor] = {.def = ANY_TYPE(c_r_r_rL), .emit = out_op_xor},
    [INDEX_op_not] = {.def = ANY_TYPE(c_r_r), .emit = out_op_not},
    [INDEX_op_andc] = {.def = ANY_TYPE(c_r_r_r), .emit = out_op_andc},
    [INDEX_op_shl] = {.def = ANY_TYPE(c_r_r_ri), .emit = out_op_shl},
    [INDEX_op_shr] = {.def = ANY_TYPE(c_r_r_ri), .emit = out_op_shr},
    [INDEX_op_sar] = {.def = ANY_TYPE(c_r_r_ri), .emit = out_op_sar},
    [INDEX_op_rotl] = {.def = ANY_TYPE(c_r_r_ri), .emit = out_op_rotl},
    [INDEX_op_rotr] = {.def = ANY_TYPE(c_r_r_ri), .emit = out_op_rotr},
    [INDEX_op_div] = {.def = ANY_TYPE(c_r_r_r), .emit = out_op_div},
    [INDEX_op_divu] = {.def = ANY_TYPE(c_r_r_r), .emit = out_op_divu},
    [INDEX_op_rem] = {.def = ANY_TYPE(c_r_r_r), .emit = out_op_rem},
    [INDEX_op_remu] = {.def = ANY_TYPE(c_r_r_r), .emit = out_op_remu},
    [INDEX_op_mulsh] = {.def = ANY_TYPE(c_r_r_r), .emit = out_op_mulsh},
    [INDEX_op_muluh] = {.def = ANY_TYPE(c_r_r_r), .emit = out_op_muluh},

    [INDEX_op_ext8s] = {.def = ANY_TYPE(c_r_r), .emit = out_op_ext8s},
    [INDEX_op_ext8u] = {.def = ANY_TYPE(c_r_r), .emit = out_op_ext8u},
    [INDEX_op_ext16s] = {.def = ANY_TYPE(c_r_r), .emit = out_op_ext16s},
    [INDEX_op_ext16u] = {.def = ANY_TYPE(c_r_r), .emit = out_op_ext16u},
    [INDEX_op_ext32s] = {.def = ANY_TYPE(c_r_r), .emit = out_op_ext32s},
    [INDEX_op_ext32u] = {.def = ANY_TYPE(c_r_r), .emit = out_op_ext32u},
    [INDEX_op_ext_i32_i64] = {.def = {[TCG_TYPE_I64] = &c_r_r},
                              .emit = out_op_ext32s},
    [INDEX_op_extu_i32_i64] = {.def = {[TCG_TYPE_I64] = &c_r_r},
                               .emit = out_op_ext32u},
    [INDEX_op_extrl_i64_i32] = {.def = {[TCG_TYPE_I32] = &c_r_r},
                                .emit = out_op_ext32u},

    [INDEX_op_ld8u] = {.def = ANY_TYPE(c_r_r), .emit = out_op_ld8u},
    [INDEX_op_ld8s] = {.def = ANY_TYPE(c_r_r), .emit = out_op_ld8s},
    [INDEX_op_ld16u] = {.def = ANY_TYPE(c_r_r), .emit = out_op_ld16u},
    [INDEX_op_ld16s] = {.def = ANY_TYPE(c_r_r), .emit = out_op_ld16s},
    [INDEX_op_ld32u] = {.def = ANY_TYPE(c_r_r), .emit = out_op_ld32u},
    [INDEX_op_ld32s] = {.def = ANY_TYPE(c_r_r), .emit = out_op_ld32s},
    [INDEX_op_ld] = {.def = ANY_TYPE(c_r_r), .emit = out_op_ld},
    [INDEX_op_st8] = {.def = ANY_TYPE(c_rZ_r), .emit = out_op_st8},
    [INDEX_op_st16] = {.def = ANY_TYPE(c_rZ_r), .emit = out_op_st16},
    [INDEX_op_st32] = {.def = ANY_TYPE(c_rZ_r), .emit = out_op_st32},
    [INDEX_op_st] = {.def = ANY_TYPE(c_rZ_r), .emit = out_op_st},

    /* A constant address: ldst.c, tcg_out_guest_addr_const_ok. */
    [INDEX_op_qemu_ld] = {.def = ANY_TYPE(c_r_rg),
                          .emit = tcg_out_op_qemu_ld},
    [INDEX_op_qemu_st] = {.def = ANY_TYPE(c_r_rg),
                          .emit = tcg_out_op_qemu_st},

    [INDEX_op_mb] = {.def = ANY_TYPE(c_none), .emit = out_op_mb},

    [INDEX_op_exit_tb] = {.def = ANY_TYPE(c_none), .emit = tcg_out_op_exit_tb},
    [INDEX_op_goto_tb] = {.def = ANY_TYPE(c_none), .emit = tcg_out_op_goto_tb},
    [INDEX_op_goto_ptr] = {.def = ANY_TYPE(c_r), .emit = out_op_goto_ptr},
    [INDEX_op_lookup_and_goto_ptr] = {.def = ANY_TYPE(c_r),
                                      .emit = tcg_out_op_lookup_and_goto_ptr},
};

/* No vector ops yet: front ends call their helpers (tcg_have_vec). */
bool tcg_target_have_vec(int op)
{
    (void)op;
    return false;
}
