/*
 * x86-64 backend, part 5: the IEEE arithmetic ops (fadd, fsub, fmul, fdiv,
 * fsqrt; see tcg-opc.h) on SSE2.  Operands live in general registers as
 * raw bits; each op moves them to xmm0/xmm1 (scratch: nothing else in
 * generated code uses xmm registers, and helpers may clobber them anyway),
 * runs addsd/addss..., moves the result back and checks it for a NaN
 * (ucomisd r, r sets PF), since x86 returns a negative NaN or propagates
 * an input's payload where the op wants the default NaN.  SSE rounds in
 * MXCSR's mode, which is round to nearest while generated code runs, and
 * detects tininess after rounding, as IEEE 754's binary formats allow and
 * RISC-V requires; its flags accrue in MXCSR (include/mimic/host-fp.h).
 *
 * Binary32 NaN-boxed operands: the whole 64-bit value goes to the xmm
 * register and addss works on the low 32 bits, keeping the first operand's
 * upper bits, so a boxed input gives a boxed result.  Inputs are first
 * checked to be boxed (the upper halves ANDed together must be all ones).
 *
 * Under TCG_FP_NAN_X86 the host's result is the op's (x86's NaN rule is
 * this CPU's own), so there is neither NaN check nor stub, and TCG_FP_F32
 * is addss as it is: four instructions per op.
 *
 * The rare cases (a NaN result, an unboxed input) branch to stubs placed
 * after the TB's main line and jump back.
 */
#include "emit.h"

#define OPC_MOVQ_VqEq (0x6e | P_EXT | P_DATA16 | P_REXW) /* movq xmm, r64 */
#define OPC_MOVQ_EqVq (0x7e | P_EXT | P_DATA16 | P_REXW) /* movq r64, xmm */
#define OPC_UCOMISS (0x2e | P_EXT)
#define OPC_UCOMISD (0x2e | P_EXT | P_DATA16)
#define OPC_SQRTSx (0x51 | P_EXT)
#define OPC_ADDSx (0x58 | P_EXT)
#define OPC_MULSx (0x59 | P_EXT)
#define OPC_SUBSx (0x5c | P_EXT)
#define OPC_DIVSx (0x5e | P_EXT)

enum { XMM0, XMM1 };

#define DEFAULT_NAN_D 0x7ff8000000000000ull
#define BOXED_DEFAULT_NAN_S 0xffffffff7fc00000ull

/* An out-of-line case of one op. */
typedef struct TCGFPStub {
    struct TCGFPStub *next;
    TCGOpcode opc;
    bool dbl;          /* binary64 (else NaN-boxed binary32) */
    bool unboxed;      /* an input is not NaN-boxed (else: a NaN result) */
    int d, a, b;       /* registers; b < 0 for fsqrt */
    uint8_t *jcc_disp; /* the branch's rel32 (RW) */
    uint8_t *back;     /* where to continue (RW) */
} TCGFPStub;

static int sse_opcode(TCGOpcode opc, bool dbl)
{
    int prefix = dbl ? P_SIMDF2 : P_SIMDF3;

    switch (opc) {
    case INDEX_op_fadd: return OPC_ADDSx | prefix;
    case INDEX_op_fsub: return OPC_SUBSx | prefix;
    case INDEX_op_fmul: return OPC_MULSx | prefix;
    case INDEX_op_fdiv: return OPC_DIVSx | prefix;
    default: return OPC_SQRTSx | prefix;
    }
}

/* jcc rel32 to a new stub (finished by tcg_out_fp_finalize). */
static TCGFPStub *new_stub(TCGContext *s, int cc, TCGOpcode opc, bool dbl,
                           bool unboxed, int d, int a, int b)
{
    TCGFPStub *st = tcg_malloc(sizeof(*st));

    tcg_out_opc(s, OPC_JCC_long + cc, 0, 0, 0);
    st->jcc_disp = s->code_ptr;
    tcg_out32(s, 0);
    st->opc = opc;
    st->dbl = dbl;
    st->unboxed = unboxed;
    st->d = d;
    st->a = a;
    st->b = b;
    st->next = s->fp_stubs;
    s->fp_stubs = st;
    return st;
}

/* TMP0 = the upper halves of a and b ANDed, compared with all ones. */
static void out_box_check(TCGContext *s, int a, int b)
{
    tcg_out_mov(s, TCG_TYPE_I64, TCG_TMP0, a);
    if (b >= 0 && b != a)
        tcg_out_modrm(s, OPC_ARITH_GvEv + (ARITH_AND << 3) + P_REXW, TCG_TMP0,
                      b);
    tcg_out_shifti(s, SHIFT_SHR, TCG_TMP0, 32, true);
    tcg_out_arithi(s, ARITH_CMP, TCG_TMP0, -1, false);
}

/* fadd/fsub/fmul/fdiv d, a, b, fmt and fsqrt d, a, fmt (TCGFPFormat). */
void tcg_out_op_fp(TCGContext *s, const TCGOp *op, const TCGArg *args,
                   const bool *const_args)
{
    TCGOpcode opc = op->opc;
    bool is_sqrt = opc == INDEX_op_fsqrt;
    int d = (int)args[0], a = (int)args[1], b = is_sqrt ? -1 : (int)args[2];
    unsigned fp = (unsigned)args[is_sqrt ? 2 : 3];
    bool dbl = (fp & TCG_FP_FMT_MASK) == TCG_FP_F64;
    bool x86_nan = (fp & ~TCG_FP_FMT_MASK) == TCG_FP_NAN_X86;
    TCGFPStub *unboxed = NULL, *nan;

    if (x86_nan) {
        tcg_out_modrm(s, OPC_MOVQ_VqEq, XMM0, a);
        if (b >= 0)
            tcg_out_modrm(s, OPC_MOVQ_VqEq, XMM1, b);
        tcg_out_modrm(s, sse_opcode(opc, dbl), XMM0, b >= 0 ? XMM1 : XMM0);
        tcg_out_modrm(s, OPC_MOVQ_EqVq, XMM0, d);
        return;
    }
    if (!dbl) {
        out_box_check(s, a, b);
        unboxed = new_stub(s, JCC_JNE, opc, false, true, d, a, b);
    }
    tcg_out_modrm(s, OPC_MOVQ_VqEq, XMM0, a);
    if (b >= 0) {
        tcg_out_modrm(s, OPC_MOVQ_VqEq, XMM1, b);
        tcg_out_modrm(s, sse_opcode(opc, dbl), XMM0, XMM1);
    } else {
        tcg_out_modrm(s, sse_opcode(opc, dbl), XMM0, XMM0);
    }
    tcg_out_modrm(s, OPC_MOVQ_EqVq, XMM0, d);
    tcg_out_modrm(s, dbl ? OPC_UCOMISD : OPC_UCOMISS, XMM0, XMM0);
    nan = new_stub(s, JCC_JP, opc, dbl, false, d, a, b);
    nan->back = s->code_ptr;
    if (unboxed)
        unboxed->back = s->code_ptr;
}

/* Puts in xmm the boxed input r, or the default NaN (in TMP1) if r is
   not boxed. */
static void out_unbox(TCGContext *s, int xmm, int r)
{
    tcg_out_mov(s, TCG_TYPE_I64, TCG_TMP0, r);
    tcg_out_shifti(s, SHIFT_SHR, TCG_TMP0, 32, true);
    tcg_out_arithi(s, ARITH_CMP, TCG_TMP0, -1, false);
    tcg_out_mov(s, TCG_TYPE_I64, TCG_TMP0, r);
    tcg_out_modrm(s, (OPC_CMOVCC | JCC_JNE) + P_REXW, TCG_TMP0, TCG_TMP1);
    tcg_out_modrm(s, OPC_MOVQ_VqEq, xmm, TCG_TMP0);
}

static void out_stub(TCGContext *s, TCGFPStub *st)
{
    tcg_patch32(st->jcc_disp, (uint32_t)(s->code_ptr - (st->jcc_disp + 4)));
    if (st->unboxed && st->b >= 0) {
        /* The result is the default NaN, but a boxed signaling NaN in the
           other operand must still raise invalid: do the op with the
           unboxed input replaced (sqrt of the default NaN raises nothing). */
        tcg_out_movi(s, TCG_TYPE_I64, TCG_TMP1, (int64_t)BOXED_DEFAULT_NAN_S);
        out_unbox(s, XMM0, st->a);
        out_unbox(s, XMM1, st->b);
        tcg_out_modrm(s, sse_opcode(st->opc, false), XMM0, XMM1);
    }
    tcg_out_movi(s, TCG_TYPE_I64, st->d,
                 (int64_t)(st->dbl ? DEFAULT_NAN_D : BOXED_DEFAULT_NAN_S));
    tcg_out8(s, OPC_JMP_long);
    tcg_out32(s, (uint32_t)(st->back - (s->code_ptr + 4)));
}

bool tcg_out_fp_finalize(TCGContext *s)
{
    for (TCGFPStub *st = s->fp_stubs; st; st = st->next) {
        if (s->code_ptr > s->code_gen_highwater)
            return false;
        out_stub(s, st);
    }
    s->fp_stubs = NULL;
    return s->code_ptr <= s->code_gen_highwater;
}
