/*
 * x86-64 backend, part 2: op lowering.  tcg_target_out_ops, at the end,
 * is the backend's one list of the ops it implements: per op, where each
 * operand must be (the constraint strings of tcg-internal.h) and the
 * function that emits the op once the register allocator has placed them.
 * The emitters of qemu_ld/st (ldst.c), the IEEE ops (fp.c) and the ops
 * that leave the TB (prologue.c) live in their own files.  Two-address x86
 * forms alias the output to the first input ("0"); division and the
 * high-half multiplies pin rax/rdx; variable shifts want the count in cl.
 * i32 ops use the 32-bit encodings (which zero the upper half).
 */
#include "emit.h"

#define DEFS(...)                                                              \
    {                                                                          \
        {__VA_ARGS__}, 0                                                       \
    }

static const TCGTargetOpDef c_none = DEFS(NULL);
static const TCGTargetOpDef c_r = DEFS("r");
static const TCGTargetOpDef c_r_r = DEFS("r", "r");
static const TCGTargetOpDef c_r_0 = DEFS("r", "0");
static const TCGTargetOpDef c_r_rg = DEFS("r", "rg");
static const TCGTargetOpDef c_r_r_re = DEFS("r", "r", "re");
static const TCGTargetOpDef c_r_r_r = DEFS("r", "r", "r");
static const TCGTargetOpDef c_r_0_re = DEFS("r", "0", "re");
static const TCGTargetOpDef c_r_0_ci = DEFS("r", "0", "ci");
static const TCGTargetOpDef c_ri_r = DEFS("ri", "r");
static const TCGTargetOpDef c_re_r = DEFS("re", "r");
static const TCGTargetOpDef c_r_re = DEFS("r", "re");
static const TCGTargetOpDef c_movcond = DEFS("r", "r", "re", "r", "0");
static const TCGTargetOpDef c_div = {{"a", "0", "r"},
                                     (1u << R_RAX) | (1u << R_RDX)};
static const TCGTargetOpDef c_rem = {{"d", "a", "r"},
                                     (1u << R_RAX) | (1u << R_RDX)};

/* ---- Control flow ---- */

static void out_op_br(TCGContext *s, const TCGOp *op, const TCGArg *args,
                      const bool *const_args)
{
    tcg_out_jxx(s, -1, arg_label(args[0]));
}

static void out_op_brcond(TCGContext *s, const TCGOp *op, const TCGArg *args,
                          const bool *const_args)
{
    tcg_out_cmp(s, op->type, (int)args[0], (int64_t)args[1], const_args[1]);
    tcg_out_jxx(s, tcg_cond_to_jcc[args[2]], arg_label(args[3]));
}

static void out_op_setcond(TCGContext *s, const TCGOp *op, const TCGArg *args,
                           const bool *const_args)
{
    int d = (int)args[0];

    tcg_out_cmp(s, op->type, (int)args[1], (int64_t)args[2], const_args[2]);
    tcg_out_modrm(s, OPC_SETCC | tcg_cond_to_jcc[args[3]], 0, d);
    tcg_out_ext8u(s, d, d);
}

/* movcond d, c1, c2, v1, v2 (= d), cond */
static void out_op_movcond(TCGContext *s, const TCGOp *op, const TCGArg *args,
                           const bool *const_args)
{
    tcg_out_cmp(s, op->type, (int)args[1], (int64_t)args[2], const_args[2]);
    tcg_out_modrm(s, (OPC_CMOVCC | tcg_cond_to_jcc[args[5]]) + rexw(op->type),
                  (int)args[0], (int)args[3]);
}

static void out_op_goto_ptr(TCGContext *s, const TCGOp *op, const TCGArg *args,
                            const bool *const_args)
{
    tcg_out_modrm(s, OPC_GRP5, EXT5_JMPN_Ev, (int)args[0]);
}

/* ---- Arithmetic and logic ---- */

/* add has a three-operand form, lea, when the output is a third register. */
static void out_op_add(TCGContext *s, const TCGOp *op, const TCGArg *args,
                       const bool *const_args)
{
    TCGType type = op->type;
    int d = (int)args[0], a = (int)args[1];
    TCGArg b = args[2];

    if (const_args[2]) {
        if (d == a)
            tcg_out_arithi(s, ARITH_ADD, d, (int64_t)b, type == TCG_TYPE_I64);
        else
            tcg_out_modrm_offset(s, OPC_LEA + rexw(type), d, a, (int32_t)b);
    } else if (d == a) {
        tcg_out_modrm(s, OPC_ARITH_GvEv + (ARITH_ADD << 3) + rexw(type), d,
                      (int)b);
    } else if (d == (int)b) {
        tcg_out_modrm(s, OPC_ARITH_GvEv + (ARITH_ADD << 3) + rexw(type), d, a);
    } else {
        tcg_out_modrm_sib_offset(s, OPC_LEA + rexw(type), d, a, (int)b, 0, 0);
    }
}

/* d = d op b, b a register or a constant (group 1 operation c). */
static void out_arith(TCGContext *s, const TCGOp *op, int c, const TCGArg *args,
                      const bool *const_args)
{
    TCGType type = op->type;
    int d = (int)args[0];

    if (const_args[2])
        tcg_out_arithi(s, c, d, (int64_t)args[2], type == TCG_TYPE_I64);
    else
        tcg_out_modrm(s, OPC_ARITH_GvEv + (c << 3) + rexw(type), d,
                      (int)args[2]);
}

static void out_op_sub(TCGContext *s, const TCGOp *op, const TCGArg *args,
                       const bool *const_args)
{
    out_arith(s, op, ARITH_SUB, args, const_args);
}

static void out_op_and(TCGContext *s, const TCGOp *op, const TCGArg *args,
                       const bool *const_args)
{
    out_arith(s, op, ARITH_AND, args, const_args);
}

static void out_op_or(TCGContext *s, const TCGOp *op, const TCGArg *args,
                      const bool *const_args)
{
    out_arith(s, op, ARITH_OR, args, const_args);
}

static void out_op_xor(TCGContext *s, const TCGOp *op, const TCGArg *args,
                       const bool *const_args)
{
    out_arith(s, op, ARITH_XOR, args, const_args);
}

static void out_op_mul(TCGContext *s, const TCGOp *op, const TCGArg *args,
                       const bool *const_args)
{
    TCGType type = op->type;
    int d = (int)args[0];
    TCGArg b = args[2];

    if (!const_args[2]) {
        tcg_out_modrm(s, OPC_IMUL_GvEv + rexw(type), d, (int)b);
    } else if (fits_s8((int64_t)b)) {
        tcg_out_modrm(s, OPC_IMUL_GvEvIb + rexw(type), d, d);
        tcg_out8(s, (uint8_t)b);
    } else {
        tcg_out_modrm(s, OPC_IMUL_GvEvIz + rexw(type), d, d);
        tcg_out32(s, (uint32_t)b);
    }
}

static void out_op_neg(TCGContext *s, const TCGOp *op, const TCGArg *args,
                       const bool *const_args)
{
    tcg_out_modrm(s, OPC_GRP3_Ev + rexw(op->type), EXT3_NEG, (int)args[0]);
}

static void out_op_not(TCGContext *s, const TCGOp *op, const TCGArg *args,
                       const bool *const_args)
{
    tcg_out_modrm(s, OPC_GRP3_Ev + rexw(op->type), EXT3_NOT, (int)args[0]);
}

/* andc needs BMI1's andn (probed by tcg_target_init); without it the
   builder emits not + and. */
static bool have_andn(TCGType type)
{
    return have_bmi1;
}

static void out_op_andc(TCGContext *s, const TCGOp *op, const TCGArg *args,
                        const bool *const_args)
{
    /* andn d, b, a computes ~b & a. */
    tcg_out_vex_modrm(s, OPC_ANDN + rexw(op->type), (int)args[0], (int)args[2],
                      (int)args[1]);
}

/* d = d shifted by b (a constant, or cl), group 2 operation subop. */
static void out_shift(TCGContext *s, const TCGOp *op, int subop,
                      const TCGArg *args, const bool *const_args)
{
    TCGType type = op->type;
    int bits = type == TCG_TYPE_I64 ? 64 : 32;
    int d = (int)args[0];

    if (const_args[2]) {
        int n = (int)(args[2] & (TCGArg)(bits - 1));
        if (n)
            tcg_out_shifti(s, subop, d, n, type == TCG_TYPE_I64);
    } else {
        tcg_out_modrm(s, OPC_SHIFT_cl + rexw(type), subop, d);
    }
}

static void out_op_shl(TCGContext *s, const TCGOp *op, const TCGArg *args,
                       const bool *const_args)
{
    out_shift(s, op, SHIFT_SHL, args, const_args);
}

static void out_op_shr(TCGContext *s, const TCGOp *op, const TCGArg *args,
                       const bool *const_args)
{
    out_shift(s, op, SHIFT_SHR, args, const_args);
}

static void out_op_sar(TCGContext *s, const TCGOp *op, const TCGArg *args,
                       const bool *const_args)
{
    out_shift(s, op, SHIFT_SAR, args, const_args);
}

static void out_op_rotl(TCGContext *s, const TCGOp *op, const TCGArg *args,
                        const bool *const_args)
{
    out_shift(s, op, SHIFT_ROL, args, const_args);
}

static void out_op_rotr(TCGContext *s, const TCGOp *op, const TCGArg *args,
                        const bool *const_args)
{
    out_shift(s, op, SHIFT_ROR, args, const_args);
}

/* div and rem: idiv leaves the quotient in rax and the remainder in rdx,
   and the constraints put the output in the right one. */
static void out_op_div(TCGContext *s, const TCGOp *op, const TCGArg *args,
                       const bool *const_args)
{
    tcg_out_opc(s, OPC_CDQ + rexw(op->type), 0, 0, 0);
    tcg_out_modrm(s, OPC_GRP3_Ev + rexw(op->type), EXT3_IDIV, (int)args[2]);
}

/* divu and remu, as div and rem with rdx zeroed. */
static void out_op_divu(TCGContext *s, const TCGOp *op, const TCGArg *args,
                        const bool *const_args)
{
    tcg_out_modrm(s, OPC_ARITH_GvEv + (ARITH_XOR << 3), R_RDX, R_RDX);
    tcg_out_modrm(s, OPC_GRP3_Ev + rexw(op->type), EXT3_DIV, (int)args[2]);
}

/* One-operand imul/mul: the high half of rax * b lands in rdx. */
static void out_op_mulsh(TCGContext *s, const TCGOp *op, const TCGArg *args,
                         const bool *const_args)
{
    tcg_out_modrm(s, OPC_GRP3_Ev + rexw(op->type), EXT3_IMUL, (int)args[2]);
}

static void out_op_muluh(TCGContext *s, const TCGOp *op, const TCGArg *args,
                         const bool *const_args)
{
    tcg_out_modrm(s, OPC_GRP3_Ev + rexw(op->type), EXT3_MUL, (int)args[2]);
}

/* ---- Extensions and width changes ---- */

static void out_op_ext8s(TCGContext *s, const TCGOp *op, const TCGArg *args,
                         const bool *const_args)
{
    tcg_out_modrm(s, OPC_MOVSBL + P_REXB_RM + rexw(op->type), (int)args[0],
                  (int)args[1]);
}

static void out_op_ext8u(TCGContext *s, const TCGOp *op, const TCGArg *args,
                         const bool *const_args)
{
    tcg_out_ext8u(s, (int)args[0], (int)args[1]);
}

static void out_op_ext16s(TCGContext *s, const TCGOp *op, const TCGArg *args,
                          const bool *const_args)
{
    tcg_out_modrm(s, OPC_MOVSWL + rexw(op->type), (int)args[0], (int)args[1]);
}

static void out_op_ext16u(TCGContext *s, const TCGOp *op, const TCGArg *args,
                          const bool *const_args)
{
    tcg_out_modrm(s, OPC_MOVZWL, (int)args[0], (int)args[1]);
}

/* ext32s and ext_i32_i64 (an i64 op): i32 values are kept sign-extended,
   so within i32 this is a move. */
static void out_op_ext32s(TCGContext *s, const TCGOp *op, const TCGArg *args,
                          const bool *const_args)
{
    if (op->type == TCG_TYPE_I32)
        tcg_out_mov(s, op->type, (int)args[0], (int)args[1]);
    else
        tcg_out_modrm(s, OPC_MOVSLQ, (int)args[0], (int)args[1]);
}

/* ext32u, extu_i32_i64 and extrl_i64_i32: a 32-bit move zero-extends. */
static void out_op_ext32u(TCGContext *s, const TCGOp *op, const TCGArg *args,
                          const bool *const_args)
{
    tcg_out_modrm(s, OPC_MOVL_GvEv, (int)args[0], (int)args[1]);
}

/* ---- Host memory: ld* d, base, offset and st* v, base, offset ---- */

/* A load of the form opc d, [base + offset]. */
static void out_ld(TCGContext *s, int opc, const TCGArg *args)
{
    tcg_out_modrm_offset(s, opc, (int)args[0], (int)args[1], (intptr_t)args[2]);
}

static void out_op_ld8u(TCGContext *s, const TCGOp *op, const TCGArg *args,
                        const bool *const_args)
{
    out_ld(s, OPC_MOVZBL, args);
}

static void out_op_ld8s(TCGContext *s, const TCGOp *op, const TCGArg *args,
                        const bool *const_args)
{
    out_ld(s, OPC_MOVSBL + rexw(op->type), args);
}

static void out_op_ld16u(TCGContext *s, const TCGOp *op, const TCGArg *args,
                         const bool *const_args)
{
    out_ld(s, OPC_MOVZWL, args);
}

static void out_op_ld16s(TCGContext *s, const TCGOp *op, const TCGArg *args,
                         const bool *const_args)
{
    out_ld(s, OPC_MOVSWL + rexw(op->type), args);
}

static void out_op_ld32u(TCGContext *s, const TCGOp *op, const TCGArg *args,
                         const bool *const_args)
{
    out_ld(s, OPC_MOVL_GvEv, args);
}

static void out_op_ld32s(TCGContext *s, const TCGOp *op, const TCGArg *args,
                         const bool *const_args)
{
    out_ld(s, op->type == TCG_TYPE_I64 ? OPC_MOVSLQ : OPC_MOVL_GvEv, args);
}

static void out_op_ld(TCGContext *s, const TCGOp *op, const TCGArg *args,
                      const bool *const_args)
{
    tcg_out_ld(s, op->type, (int)args[0], (int)args[1], (intptr_t)args[2]);
}

static void out_op_st8(TCGContext *s, const TCGOp *op, const TCGArg *args,
                       const bool *const_args)
{
    int base = (int)args[1];
    intptr_t off = (intptr_t)args[2];

    if (const_args[0]) {
        tcg_out_modrm_offset(s, OPC_MOVB_EvIb, 0, base, off);
        tcg_out8(s, (uint8_t)args[0]);
    } else {
        tcg_out_modrm_offset(s, OPC_MOVB_EvGv, (int)args[0], base, off);
    }
}

static void out_op_st16(TCGContext *s, const TCGOp *op, const TCGArg *args,
                        const bool *const_args)
{
    int base = (int)args[1];
    intptr_t off = (intptr_t)args[2];

    if (const_args[0]) {
        tcg_out_modrm_offset(s, OPC_MOVL_EvIz + P_DATA16, 0, base, off);
        tcg_out16(s, (uint16_t)args[0]);
    } else {
        tcg_out_modrm_offset(s, OPC_MOVL_EvGv + P_DATA16, (int)args[0], base,
                             off);
    }
}

/* A store of type's width; a constant value must fit the immediate (the
   constraints see to that). */
static void out_st(TCGContext *s, TCGType type, const TCGArg *args,
                   const bool *const_args)
{
    if (const_args[0])
        tcg_out_sti(s, type, (int64_t)args[0], (int)args[1], (intptr_t)args[2]);
    else
        tcg_out_st(s, type, (int)args[0], (int)args[1], (intptr_t)args[2]);
}

static void out_op_st32(TCGContext *s, const TCGOp *op, const TCGArg *args,
                        const bool *const_args)
{
    out_st(s, TCG_TYPE_I32, args, const_args);
}

static void out_op_st(TCGContext *s, const TCGOp *op, const TCGArg *args,
                      const bool *const_args)
{
    out_st(s, op->type, args, const_args);
}

/* ---- Memory ordering ---- */

static void out_op_mb(TCGContext *s, const TCGOp *op, const TCGArg *args,
                      const bool *const_args)
{
    /* x86 is TSO: only a store followed by a load needs a fence. */
    if (args[0] & TCG_MO_ST_LD) {
        tcg_out_opc(s, OPC_MFENCE, 0, 0, 0);
        tcg_out8(s, 0xf0);
    }
}

/* ---- The table ---- */

const TCGOutOp tcg_target_out_ops[NB_OPS] = {
    [INDEX_op_br] = {.def = ANY_TYPE(c_none), .emit = out_op_br},
    [INDEX_op_brcond] = {.def = ANY_TYPE(c_r_re), .emit = out_op_brcond},
    [INDEX_op_setcond] = {.def = ANY_TYPE(c_r_r_re), .emit = out_op_setcond},
    [INDEX_op_movcond] = {.def = ANY_TYPE(c_movcond), .emit = out_op_movcond},

    [INDEX_op_add] = {.def = ANY_TYPE(c_r_r_re), .emit = out_op_add},
    [INDEX_op_sub] = {.def = ANY_TYPE(c_r_0_re), .emit = out_op_sub},
    [INDEX_op_mul] = {.def = ANY_TYPE(c_r_0_re), .emit = out_op_mul},
    [INDEX_op_neg] = {.def = ANY_TYPE(c_r_0), .emit = out_op_neg},
    [INDEX_op_and] = {.def = ANY_TYPE(c_r_0_re), .emit = out_op_and},
    [INDEX_op_or] = {.def = ANY_TYPE(c_r_0_re), .emit = out_op_or},
    [INDEX_op_xor] = {.def = ANY_TYPE(c_r_0_re), .emit = out_op_xor},
    [INDEX_op_not] = {.def = ANY_TYPE(c_r_0), .emit = out_op_not},
    [INDEX_op_andc] = {.def = ANY_TYPE(c_r_r_r),
                       .avail = have_andn,
                       .emit = out_op_andc},
    [INDEX_op_shl] = {.def = ANY_TYPE(c_r_0_ci), .emit = out_op_shl},
    [INDEX_op_shr] = {.def = ANY_TYPE(c_r_0_ci), .emit = out_op_shr},
    [INDEX_op_sar] = {.def = ANY_TYPE(c_r_0_ci), .emit = out_op_sar},
    [INDEX_op_rotl] = {.def = ANY_TYPE(c_r_0_ci), .emit = out_op_rotl},
    [INDEX_op_rotr] = {.def = ANY_TYPE(c_r_0_ci), .emit = out_op_rotr},
    [INDEX_op_div] = {.def = ANY_TYPE(c_div), .emit = out_op_div},
    [INDEX_op_divu] = {.def = ANY_TYPE(c_div), .emit = out_op_divu},
    [INDEX_op_rem] = {.def = ANY_TYPE(c_rem), .emit = out_op_div},
    [INDEX_op_remu] = {.def = ANY_TYPE(c_rem), .emit = out_op_divu},
    [INDEX_op_mulsh] = {.def = ANY_TYPE(c_rem), .emit = out_op_mulsh},
    [INDEX_op_muluh] = {.def = ANY_TYPE(c_rem), .emit = out_op_muluh},

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
    [INDEX_op_st8] = {.def = ANY_TYPE(c_ri_r), .emit = out_op_st8},
    [INDEX_op_st16] = {.def = ANY_TYPE(c_ri_r), .emit = out_op_st16},
    [INDEX_op_st32] = {.def = ANY_TYPE(c_ri_r), .emit = out_op_st32},
    /* movq's immediate is 32 bits, sign-extended. */
    [INDEX_op_st] =
        {.def = {[TCG_TYPE_I32] = &c_ri_r, [TCG_TYPE_I64] = &c_re_r},
         .emit = out_op_st},

    /* A constant address: ldst.c, tcg_out_guest_addr_const_ok. */
    [INDEX_op_qemu_ld] = {.def = ANY_TYPE(c_r_rg),
                          .emit = tcg_out_op_qemu_ld},
    [INDEX_op_qemu_st] = {.def = ANY_TYPE(c_r_rg),
                          .emit = tcg_out_op_qemu_st},

    /* The IEEE ops work on raw bits in i64 temps only. */
    [INDEX_op_fadd] = {.def = {[TCG_TYPE_I64] = &c_r_r_r},
                       .emit = tcg_out_op_fp},
    [INDEX_op_fsub] = {.def = {[TCG_TYPE_I64] = &c_r_r_r},
                       .emit = tcg_out_op_fp},
    [INDEX_op_fmul] = {.def = {[TCG_TYPE_I64] = &c_r_r_r},
                       .emit = tcg_out_op_fp},
    [INDEX_op_fdiv] = {.def = {[TCG_TYPE_I64] = &c_r_r_r},
                       .emit = tcg_out_op_fp},
    [INDEX_op_fsqrt] = {.def = {[TCG_TYPE_I64] = &c_r_r},
                        .emit = tcg_out_op_fp},

    /* 128-bit vectors in env (vec.c): the base register in, a result
       mask out. */
    [INDEX_op_vec] = {.def = {[TCG_TYPE_I64] = &c_r}, .emit = tcg_out_op_vec},
    [INDEX_op_vec_movmsk] = {.def = {[TCG_TYPE_I64] = &c_r_r},
                             .emit = tcg_out_op_vec_movmsk},

    [INDEX_op_mb] = {.def = ANY_TYPE(c_none), .emit = out_op_mb},

    [INDEX_op_exit_tb] = {.def = ANY_TYPE(c_none), .emit = tcg_out_op_exit_tb},
    [INDEX_op_goto_tb] = {.def = ANY_TYPE(c_none), .emit = tcg_out_op_goto_tb},
    [INDEX_op_goto_ptr] = {.def = ANY_TYPE(c_r), .emit = out_op_goto_ptr},
    [INDEX_op_lookup_and_goto_ptr] = {.def = ANY_TYPE(c_r),
                                      .emit = tcg_out_op_lookup_and_goto_ptr},
};
