/*
 * x86-64 backend, part 2: op lowering.  tcg_target_op_def() says which
 * ops the backend implements and where each wants its operands (the
 * constraint strings of tcg-internal.h); tcg_out_op() emits one op whose
 * operands the register allocator has already placed.  Two-address x86
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

const TCGTargetOpDef *tcg_target_op_def(TCGOpcode opc, TCGType type)
{
    switch (opc) {
    case INDEX_op_br:
    case INDEX_op_exit_tb:
    case INDEX_op_goto_tb:
    case INDEX_op_lookup_and_goto_ptr:
    case INDEX_op_mb:
        return &c_none;
    case INDEX_op_goto_ptr:
        return &c_r;
    case INDEX_op_brcond:
        return &c_r_re;
    case INDEX_op_setcond:
        return &c_r_r_re;
    case INDEX_op_movcond:
        return &c_movcond;
    case INDEX_op_add:
        return &c_r_r_re;
    case INDEX_op_sub:
    case INDEX_op_and:
    case INDEX_op_or:
    case INDEX_op_xor:
    case INDEX_op_mul:
        return &c_r_0_re;
    case INDEX_op_neg:
    case INDEX_op_not:
        return &c_r_0;
    case INDEX_op_andc:
        return have_bmi1 ? &c_r_r_r : NULL;
    case INDEX_op_shl:
    case INDEX_op_shr:
    case INDEX_op_sar:
    case INDEX_op_rotl:
    case INDEX_op_rotr:
        return &c_r_0_ci;
    case INDEX_op_div:
    case INDEX_op_divu:
        return &c_div;
    case INDEX_op_rem:
    case INDEX_op_remu:
    case INDEX_op_mulsh:
    case INDEX_op_muluh:
        return &c_rem;
    case INDEX_op_ext8s:
    case INDEX_op_ext8u:
    case INDEX_op_ext16s:
    case INDEX_op_ext16u:
    case INDEX_op_ext32s:
    case INDEX_op_ext32u:
        return &c_r_r;
    case INDEX_op_ext_i32_i64:
    case INDEX_op_extu_i32_i64:
        return type == TCG_TYPE_I64 ? &c_r_r : NULL;
    case INDEX_op_extrl_i64_i32:
        return type == TCG_TYPE_I32 ? &c_r_r : NULL;
    case INDEX_op_ld8u:
    case INDEX_op_ld8s:
    case INDEX_op_ld16u:
    case INDEX_op_ld16s:
    case INDEX_op_ld32u:
    case INDEX_op_ld32s:
    case INDEX_op_ld:
        return &c_r_r;
    case INDEX_op_st8:
    case INDEX_op_st16:
    case INDEX_op_st32:
        return &c_ri_r;
    case INDEX_op_st:
        return type == TCG_TYPE_I32 ? &c_ri_r : &c_re_r;
    case INDEX_op_qemu_ld:
    case INDEX_op_qemu_st:
        return &c_r_r;
    case INDEX_op_fadd:
    case INDEX_op_fsub:
    case INDEX_op_fmul:
    case INDEX_op_fdiv:
        return type == TCG_TYPE_I64 ? &c_r_r_r : NULL;
    case INDEX_op_fsqrt:
        return type == TCG_TYPE_I64 ? &c_r_r : NULL;
    default:
        return NULL;
    }
}

static void out_add(TCGContext *s, TCGType type, int d, int a, TCGArg b,
                    bool bc)
{
    bool w = type == TCG_TYPE_I64;

    if (bc) {
        if (d == a)
            tcg_out_arithi(s, ARITH_ADD, d, (int64_t)b, w);
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

static void out_arith(TCGContext *s, TCGType type, int c, int d, TCGArg b,
                      bool bc)
{
    if (bc)
        tcg_out_arithi(s, c, d, (int64_t)b, type == TCG_TYPE_I64);
    else
        tcg_out_modrm(s, OPC_ARITH_GvEv + (c << 3) + rexw(type), d, (int)b);
}

static void out_mul(TCGContext *s, TCGType type, int d, TCGArg b, bool bc)
{
    if (!bc) {
        tcg_out_modrm(s, OPC_IMUL_GvEv + rexw(type), d, (int)b);
    } else if (fits_s8((int64_t)b)) {
        tcg_out_modrm(s, OPC_IMUL_GvEvIb + rexw(type), d, d);
        tcg_out8(s, (uint8_t)b);
    } else {
        tcg_out_modrm(s, OPC_IMUL_GvEvIz + rexw(type), d, d);
        tcg_out32(s, (uint32_t)b);
    }
}

static void out_shift(TCGContext *s, TCGType type, int subop, int d, TCGArg b,
                      bool bc)
{
    int bits = type == TCG_TYPE_I64 ? 64 : 32;

    if (bc) {
        int n = (int)(b & (TCGArg)(bits - 1));
        if (n)
            tcg_out_shifti(s, subop, d, n, type == TCG_TYPE_I64);
    } else {
        tcg_out_modrm(s, OPC_SHIFT_cl + rexw(type), subop, d);
    }
}

static void out_divide(TCGContext *s, TCGType type, bool is_signed, int b)
{
    if (is_signed) {
        tcg_out_opc(s, OPC_CDQ + rexw(type), 0, 0, 0);
        tcg_out_modrm(s, OPC_GRP3_Ev + rexw(type), EXT3_IDIV, b);
    } else {
        tcg_out_modrm(s, OPC_ARITH_GvEv + (ARITH_XOR << 3), R_RDX, R_RDX);
        tcg_out_modrm(s, OPC_GRP3_Ev + rexw(type), EXT3_DIV, b);
    }
}

static void out_ext(TCGContext *s, TCGOpcode opc, TCGType type, int d, int a)
{
    switch (opc) {
    case INDEX_op_ext8s:
        tcg_out_modrm(s, OPC_MOVSBL + P_REXB_RM + rexw(type), d, a);
        break;
    case INDEX_op_ext8u:
        tcg_out_ext8u(s, d, a);
        break;
    case INDEX_op_ext16s:
        tcg_out_modrm(s, OPC_MOVSWL + rexw(type), d, a);
        break;
    case INDEX_op_ext16u:
        tcg_out_modrm(s, OPC_MOVZWL, d, a);
        break;
    case INDEX_op_ext32s:
    case INDEX_op_ext_i32_i64:
        if (type == TCG_TYPE_I32)
            tcg_out_mov(s, type, d, a);
        else
            tcg_out_modrm(s, OPC_MOVSLQ, d, a);
        break;
    default: /* ext32u, extu_i32_i64, extrl_i64_i32: a 32-bit move zero-extends
              */
        tcg_out_modrm(s, OPC_MOVL_GvEv, d, a);
        break;
    }
}

static void out_ldst(TCGContext *s, TCGOpcode opc, TCGType type, TCGArg v,
                     bool vc, int base, intptr_t off)
{
    int w = rexw(type);

    switch (opc) {
    case INDEX_op_ld8u:
        tcg_out_modrm_offset(s, OPC_MOVZBL, (int)v, base, off);
        break;
    case INDEX_op_ld8s:
        tcg_out_modrm_offset(s, OPC_MOVSBL + w, (int)v, base, off);
        break;
    case INDEX_op_ld16u:
        tcg_out_modrm_offset(s, OPC_MOVZWL, (int)v, base, off);
        break;
    case INDEX_op_ld16s:
        tcg_out_modrm_offset(s, OPC_MOVSWL + w, (int)v, base, off);
        break;
    case INDEX_op_ld32u:
        tcg_out_modrm_offset(s, OPC_MOVL_GvEv, (int)v, base, off);
        break;
    case INDEX_op_ld32s:
        tcg_out_modrm_offset(s,
                             type == TCG_TYPE_I64 ? OPC_MOVSLQ : OPC_MOVL_GvEv,
                             (int)v, base, off);
        break;
    case INDEX_op_ld:
        tcg_out_ld(s, type, (int)v, base, off);
        break;
    case INDEX_op_st8:
        if (vc) {
            tcg_out_modrm_offset(s, OPC_MOVB_EvIb, 0, base, off);
            tcg_out8(s, (uint8_t)v);
        } else {
            tcg_out_modrm_offset(s, OPC_MOVB_EvGv, (int)v, base, off);
        }
        break;
    case INDEX_op_st16:
        if (vc) {
            tcg_out_modrm_offset(s, OPC_MOVL_EvIz + P_DATA16, 0, base, off);
            tcg_out16(s, (uint16_t)v);
        } else {
            tcg_out_modrm_offset(s, OPC_MOVL_EvGv + P_DATA16, (int)v, base,
                                 off);
        }
        break;
    case INDEX_op_st32:
    case INDEX_op_st:
        if (opc == INDEX_op_st32)
            type = TCG_TYPE_I32;
        if (vc)
            tcg_out_sti(s, type, (int64_t)v, base, off);
        else
            tcg_out_st(s, type, (int)v, base, off);
        break;
    default:
        break;
    }
}

static void out_setcond(TCGContext *s, TCGType type, TCGCond c, int d, int a,
                        TCGArg b, bool bc)
{
    tcg_out_cmp(s, type, a, (int64_t)b, bc);
    tcg_out_modrm(s, OPC_SETCC | tcg_cond_to_jcc[c], 0, d);
    tcg_out_ext8u(s, d, d);
}

static void out_movcond(TCGContext *s, TCGType type, TCGCond c, int d, int c1,
                        TCGArg c2, bool c2c, int v1)
{
    tcg_out_cmp(s, type, c1, (int64_t)c2, c2c);
    tcg_out_modrm(s, (OPC_CMOVCC | tcg_cond_to_jcc[c]) + rexw(type), d, v1);
}

static void out_andc(TCGContext *s, TCGType type, int d, int a, int b)
{
    /* andn d, b, a computes ~b & a. */
    tcg_out_vex_modrm(s, OPC_ANDN + rexw(type), d, b, a);
}

static void out_mb(TCGContext *s, unsigned bar)
{
    /* x86 is TSO: only a store followed by a load needs a fence. */
    if (bar & TCG_MO_ST_LD) {
        tcg_out_opc(s, OPC_MFENCE, 0, 0, 0);
        tcg_out8(s, 0xf0);
    }
}

void tcg_out_op(TCGContext *s, const TCGOp *op, const TCGArg *args,
                const bool *const_args)
{
    TCGType type = op->type;
    int a0 = (int)args[0], a1 = (int)args[1];

    switch (op->opc) {
    case INDEX_op_br:
        tcg_out_jxx(s, -1, arg_label(args[0]));
        break;
    case INDEX_op_brcond:
        tcg_out_cmp(s, type, a0, (int64_t)args[1], const_args[1]);
        tcg_out_jxx(s, tcg_cond_to_jcc[args[2]], arg_label(args[3]));
        break;
    case INDEX_op_setcond:
        out_setcond(s, type, (TCGCond)args[3], a0, a1, args[2], const_args[2]);
        break;
    case INDEX_op_movcond:
        out_movcond(s, type, (TCGCond)args[5], a0, a1, args[2], const_args[2],
                    (int)args[3]);
        break;
    case INDEX_op_add:
        out_add(s, type, a0, a1, args[2], const_args[2]);
        break;
    case INDEX_op_sub:
        out_arith(s, type, ARITH_SUB, a0, args[2], const_args[2]);
        break;
    case INDEX_op_and:
        out_arith(s, type, ARITH_AND, a0, args[2], const_args[2]);
        break;
    case INDEX_op_or:
        out_arith(s, type, ARITH_OR, a0, args[2], const_args[2]);
        break;
    case INDEX_op_xor:
        out_arith(s, type, ARITH_XOR, a0, args[2], const_args[2]);
        break;
    case INDEX_op_mul:
        out_mul(s, type, a0, args[2], const_args[2]);
        break;
    case INDEX_op_neg:
        tcg_out_modrm(s, OPC_GRP3_Ev + rexw(type), EXT3_NEG, a0);
        break;
    case INDEX_op_not:
        tcg_out_modrm(s, OPC_GRP3_Ev + rexw(type), EXT3_NOT, a0);
        break;
    case INDEX_op_andc:
        out_andc(s, type, a0, a1, (int)args[2]);
        break;
    case INDEX_op_shl:
        out_shift(s, type, SHIFT_SHL, a0, args[2], const_args[2]);
        break;
    case INDEX_op_shr:
        out_shift(s, type, SHIFT_SHR, a0, args[2], const_args[2]);
        break;
    case INDEX_op_sar:
        out_shift(s, type, SHIFT_SAR, a0, args[2], const_args[2]);
        break;
    case INDEX_op_rotl:
        out_shift(s, type, SHIFT_ROL, a0, args[2], const_args[2]);
        break;
    case INDEX_op_rotr:
        out_shift(s, type, SHIFT_ROR, a0, args[2], const_args[2]);
        break;
    case INDEX_op_div:
    case INDEX_op_rem:
        out_divide(s, type, true, (int)args[2]);
        break;
    case INDEX_op_divu:
    case INDEX_op_remu:
        out_divide(s, type, false, (int)args[2]);
        break;
    case INDEX_op_mulsh:
        tcg_out_modrm(s, OPC_GRP3_Ev + rexw(type), EXT3_IMUL, (int)args[2]);
        break;
    case INDEX_op_muluh:
        tcg_out_modrm(s, OPC_GRP3_Ev + rexw(type), EXT3_MUL, (int)args[2]);
        break;
    case INDEX_op_ext8s:
    case INDEX_op_ext8u:
    case INDEX_op_ext16s:
    case INDEX_op_ext16u:
    case INDEX_op_ext32s:
    case INDEX_op_ext32u:
    case INDEX_op_ext_i32_i64:
    case INDEX_op_extu_i32_i64:
    case INDEX_op_extrl_i64_i32:
        out_ext(s, op->opc, type, a0, a1);
        break;
    case INDEX_op_ld8u:
    case INDEX_op_ld8s:
    case INDEX_op_ld16u:
    case INDEX_op_ld16s:
    case INDEX_op_ld32u:
    case INDEX_op_ld32s:
    case INDEX_op_ld:
    case INDEX_op_st8:
    case INDEX_op_st16:
    case INDEX_op_st32:
    case INDEX_op_st:
        out_ldst(s, op->opc, type, args[0], const_args[0], a1,
                 (intptr_t)args[2]);
        break;
    case INDEX_op_qemu_ld:
        tcg_out_qemu_ld(s, type, a0, a1, (MemOpIdx)args[2]);
        break;
    case INDEX_op_qemu_st:
        tcg_out_qemu_st(s, type, a0, a1, (MemOpIdx)args[2]);
        break;
    case INDEX_op_mb:
        out_mb(s, (unsigned)args[0]);
        break;
    case INDEX_op_fadd:
    case INDEX_op_fsub:
    case INDEX_op_fmul:
    case INDEX_op_fdiv:
        tcg_out_fp_arith(s, op->opc, (unsigned)args[3], a0, a1, (int)args[2]);
        break;
    case INDEX_op_fsqrt:
        tcg_out_fp_arith(s, op->opc, (unsigned)args[2], a0, a1, -1);
        break;
    case INDEX_op_exit_tb:
        tcg_out_exit_tb(s, args[0]);
        break;
    case INDEX_op_goto_tb:
        tcg_out_goto_tb(s, (int)args[0]);
        break;
    case INDEX_op_goto_ptr:
        tcg_out_modrm(s, OPC_GRP5, EXT5_JMPN_Ev, a0);
        break;
    case INDEX_op_lookup_and_goto_ptr:
        tcg_out_lookup_and_goto_ptr(s);
        break;
    default:
        fprintf(stderr, "tcg/x86_64: unhandled op %s\n",
                tcg_op_defs[op->opc].name);
        abort();
    }
}
