/*
 * The x87 instructions of the x86-64 translator: each mnemonic becomes a
 * call of one helper of x87_helper.c, with the memory operand's address
 * and a small op word saying which form it is (helper.h, X87_*); the
 * x87 state lives only in env, so nothing is cached in TCG values.
 * FCOMI and friends return ZF PF CF, put into the lazy flags' EFLAGS
 * form; FCMOVcc evaluates its condition here, as CMOVcc does.
 */
#include <glib.h>

#include "translate-internal.h"

/* The memory operand kind (X87_M_*) of operand 0. */
static int mem_kind(DisasContext *ctx, bool integer)
{
    switch (ctx->insn.info->op[0].size) {
    case X86_SZ_F32: return X87_M_F32;
    case X86_SZ_F64: return X87_M_F64;
    case X86_SZ_F80: return X87_M_F80;
    case X86_SZ_W: return X87_M_I16;
    case X86_SZ_Q: return X87_M_I64;
    default: return integer ? X87_M_I32 : X87_M_F32;
    }
}

static uint32_t sti(DisasContext *ctx)
{
    return ctx->insn.modrm & 7;
}

/* The selector of the memory operand's segment: SS with rSP or rBP as
   the base, else DS, unless overridden. */
static uint16_t operand_selector(DisasContext *ctx)
{
    int seg = ctx->insn.seg;

    if (seg == X86_SEG_NONE)
        seg = ctx->insn.base == R_ESP || ctx->insn.base == R_EBP
              ? X86_SEG_SS : X86_SEG_DS;
    return seg == X86_SEG_SS ? X86_USER_SS : seg == X86_SEG_CS ? X86_USER_CS
                                                                 : 0;
}

/* The memory operand's address, if the insn has one. */
static TCGv_i64 x87_ea(DisasContext *ctx)
{
    return ctx->insn.is_mem ? gen_ea(ctx) : NULL;
}

/*
 * Records FIP, FCS, FOP, and with a memory operand (ea) FDP and FDS,
 * for FNSTENV and FXSAVE: emitted after the insn's helper, so that an
 * insn that raises the #MF of an exception still pending from an
 * earlier one leaves that one's pointers, as the CPU does (it never
 * started); an insn that raises an exception of its own records them.
 */
static void note_insn(DisasContext *ctx, TCGv_i64 ea)
{
    uint64_t fop = (uint64_t)(ctx->insn.opcode & 7) << 8 | ctx->insn.modrm;

    tcg_gen_st_i64(tcg_constant_i64((int64_t)ctx->pc), tcg_env(),
                   X86_ENV_OFFSET(fpip));
    tcg_gen_st16_i64(tcg_constant_i64((int64_t)fop), tcg_env(),
                     X86_ENV_OFFSET(fpop));
    tcg_gen_st16_i64(tcg_constant_i64(X86_USER_CS), tcg_env(),
                     X86_ENV_OFFSET(fpcs));
    if (ea) {
        tcg_gen_st_i64(ea, tcg_env(), X86_ENV_OFFSET(fpdp));
        tcg_gen_st16_i64(tcg_constant_i64(operand_selector(ctx)), tcg_env(),
                         X86_ENV_OFFSET(fpds));
    }
}

/* FADD ... FDIVR, FCOM(P), FIADD ... FICOMP, FUCOM(P)(P): arg is the
   X87_* arithmetic and its pops. */
static void gen_x87_arith(DisasContext *ctx, int arg)
{
    TCGv_i64 ea = x87_ea(ctx);
    uint32_t op = (uint32_t)arg;

    if (ea) {
        op |= (uint32_t)mem_kind(ctx, ctx->insn.info->name[1] == 'i')
              << X87_M_SHIFT;
        gen_helper_x87_arith_mem(tcg_env(), ea, tcg_constant_i32((int32_t)op));
        note_insn(ctx, ea);
        return;
    }
    if (ctx->insn.info->op[0].kind == X86_OPK_STI &&
        ctx->insn.info->op[1].kind == X86_OPK_ST0)
        op |= X87_TO_STI;
    /* FCOMPP and FUCOMPP have no operand: ST(1). */
    gen_helper_x87_arith_reg(tcg_env(), tcg_constant_i32((int32_t)op),
                             tcg_constant_i32(ctx->insn.info->op[0].kind
                                              ? (int32_t)sti(ctx) : 1));
    note_insn(ctx, NULL);
}

static void gen_x87_fld(DisasContext *ctx, int integer)
{
    TCGv_i64 ea = x87_ea(ctx);

    if (ea) {
        gen_helper_x87_fld_mem(tcg_env(), ea,
                               tcg_constant_i32(mem_kind(ctx, integer)));
    } else {
        gen_helper_x87_fld_sti(tcg_env(), tcg_constant_i32((int32_t)sti(ctx)));
    }
    note_insn(ctx, ea);
}

/* FST, FSTP, FIST, FISTP, FISTTP: arg is X87_POP | X87_TRUNC, and 1
   for the integer forms. */
static void gen_x87_fst(DisasContext *ctx, int arg)
{
    TCGv_i64 ea = x87_ea(ctx);
    uint32_t op = (uint32_t)arg & ~1u;

    if (ea) {
        op |= (uint32_t)mem_kind(ctx, arg & 1) << X87_M_SHIFT;
        gen_helper_x87_fst_mem(tcg_env(), ea, tcg_constant_i32((int32_t)op));
    } else {
        gen_helper_x87_fst_sti(tcg_env(),
                               tcg_constant_i32((int32_t)(op | sti(ctx))));
    }
    note_insn(ctx, ea);
}

static void gen_x87_fxch(DisasContext *ctx, int arg)
{
    (void)arg;
    gen_helper_x87_fxch(tcg_env(), tcg_constant_i32((int32_t)sti(ctx)));
    note_insn(ctx, NULL);
}

static void gen_x87_ffree(DisasContext *ctx, int arg)
{
    gen_helper_x87_ffree(tcg_env(),
                         tcg_constant_i32((int32_t)(sti(ctx) | (uint32_t)arg)));
    note_insn(ctx, NULL);
}

static void gen_x87_op(DisasContext *ctx, int arg)
{
    gen_helper_x87_op(tcg_env(), tcg_constant_i32(arg));
    if (arg != X87_FNCLEX && arg != X87_FNINIT && arg != X87_FWAIT)
        note_insn(ctx, NULL);
}

/* FNENI, FNDISI, FNSETPM: control insns that do nothing now, not even
   raise a pending exception or record FIP and FOP (the host agrees). */
static void gen_x87_ignored(DisasContext *ctx, int arg)
{
    (void)ctx;
    (void)arg;
}

/* FCOMI, FCOMIP, FUCOMI, FUCOMIP: ZF PF CF from the compare, OF SF AF
   cleared. */
static void gen_x87_comi(DisasContext *ctx, int arg)
{
    TCGv_i64 r = tmp(ctx), f;

    gen_helper_x87_comi(r, tcg_env(), tcg_constant_i32((int32_t)sti(ctx)),
                        tcg_constant_i32(arg));
    note_insn(ctx, NULL);
    f = gen_materialize_flags(ctx);
    tcg_gen_andi_i64(f, f, ~(int64_t)X86_CC_MASK);
    tcg_gen_or_i64(f, f, r);
}

/* FCMOVcc: arg is the CC_* condition of CMOVcc. */
static void gen_x87_fcmov(DisasContext *ctx, int cc)
{
    CCTest t = gen_prepare_cc(ctx, cc);
    TCGv_i64 c = tmp(ctx);

    tcg_gen_setcond_i64(t.cond, c, t.a, t.b);
    gen_helper_x87_fcmov(tcg_env(), tcg_constant_i32((int32_t)sti(ctx)), c);
    note_insn(ctx, NULL);
}

/* FLDCW: the helper loads the operand, after raising a pending #MF. */
static void gen_x87_fldcw(DisasContext *ctx, int arg)
{
    (void)arg;
    gen_helper_x87_fldcw_mem(tcg_env(), gen_ea(ctx));
}

static void gen_x87_fnstcw(DisasContext *ctx, int arg)
{
    TCGv_i64 v = tmp(ctx);

    (void)arg;
    tcg_gen_ld16u_i64(v, tcg_env(), X86_ENV_OFFSET(fpcw));
    tcg_gen_qemu_st_i64(v, gen_ea(ctx), 0, MO_UW);
}

static void gen_x87_fnstsw(DisasContext *ctx, int arg)
{
    TCGv_i64 v = tmp(ctx);

    (void)arg;
    gen_helper_x87_fnstsw(v, tcg_env());
    if (ctx->insn.is_mem)
        tcg_gen_qemu_st_i64(v, gen_ea(ctx), 0, MO_UW);
    else
        gen_write_reg(ctx, R_EAX, 16, v);
}

/* FBLD (arg 0), FBSTP (arg 1). */
static void gen_x87_bcd(DisasContext *ctx, int arg)
{
    TCGv_i64 ea = x87_ea(ctx);

    gen_helper_x87_bcd(tcg_env(), ea, tcg_constant_i32(arg));
    note_insn(ctx, ea);
}

static void gen_x87_state(DisasContext *ctx, int arg)
{
    if (ctx->insn.opsize == 16)
        arg |= X87_STATE_16;
    gen_helper_x87_state(tcg_env(), gen_ea(ctx), tcg_constant_i32(arg));
}

/* FXSAVE (arg 0) and FXRSTOR (1): the 64-bit layout with REX.W. */
static void gen_fxsave(DisasContext *ctx, int restore)
{
    TCGv_i32 w = tcg_constant_i32((ctx->insn.rex & X86_REX_W) ? 1 : 0);

    if (restore) {
        gen_helper_fxrstor(tcg_env(), gen_ea(ctx), w);
        gen_end_tb_flags(ctx);   /* MXCSR may have changed */
    } else {
        gen_helper_fxsave(tcg_env(), gen_ea(ctx), w);
    }
}

#define ARITH(name, op) { name, gen_x87_arith, (op) }

static const InsnGen x87_gens[] = {
    ARITH("fadd", X87_ADD), ARITH("fmul", X87_MUL), ARITH("fcom", X87_COM),
    ARITH("fcomp", X87_COMP), ARITH("fsub", X87_SUB),
    ARITH("fsubr", X87_SUBR), ARITH("fdiv", X87_DIV),
    ARITH("fdivr", X87_DIVR),
    ARITH("faddp", X87_ADD | X87_POP), ARITH("fmulp", X87_MUL | X87_POP),
    ARITH("fsubp", X87_SUB | X87_POP), ARITH("fsubrp", X87_SUBR | X87_POP),
    ARITH("fdivp", X87_DIV | X87_POP), ARITH("fdivrp", X87_DIVR | X87_POP),
    ARITH("fiadd", X87_ADD), ARITH("fimul", X87_MUL),
    ARITH("ficom", X87_COM), ARITH("ficomp", X87_COMP),
    ARITH("fisub", X87_SUB), ARITH("fisubr", X87_SUBR),
    ARITH("fidiv", X87_DIV), ARITH("fidivr", X87_DIVR),
    ARITH("fcompp", X87_COMP | X87_POP2),
    ARITH("fucom", X87_UCOM), ARITH("fucomp", X87_UCOM | X87_POP),
    ARITH("fucompp", X87_UCOM | X87_POP | X87_POP2),
    { "fld", gen_x87_fld, 0 }, { "fild", gen_x87_fld, 1 },
    { "fst", gen_x87_fst, 0 }, { "fstp", gen_x87_fst, X87_POP },
    { "fstp1", gen_x87_fst, X87_POP | X87_NO_UNDERFLOW },
    { "fist", gen_x87_fst, 1 }, { "fistp", gen_x87_fst, X87_POP | 1 },
    { "fisttp", gen_x87_fst, X87_POP | X87_TRUNC | 1 },
    { "fxch", gen_x87_fxch, 0 },
    { "ffree", gen_x87_ffree, 0 }, { "ffreep", gen_x87_ffree, X87_POP },
    { "fcomi", gen_x87_comi, 0 }, { "fcomip", gen_x87_comi, X87_POP },
    { "fucomi", gen_x87_comi, X87_COMI_QUIET },
    { "fucomip", gen_x87_comi, X87_COMI_QUIET | X87_POP },
    { "fcmovb", gen_x87_fcmov, CC_B }, { "fcmove", gen_x87_fcmov, CC_E },
    { "fcmovbe", gen_x87_fcmov, CC_BE }, { "fcmovu", gen_x87_fcmov, CC_P },
    { "fcmovnb", gen_x87_fcmov, CC_AE }, { "fcmovne", gen_x87_fcmov, CC_NE },
    { "fcmovnbe", gen_x87_fcmov, CC_A }, { "fcmovnu", gen_x87_fcmov, CC_NP },
    { "fld1", gen_x87_op, X87_FLD1 }, { "fldl2t", gen_x87_op, X87_FLDL2T },
    { "fldl2e", gen_x87_op, X87_FLDL2E }, { "fldpi", gen_x87_op, X87_FLDPI },
    { "fldlg2", gen_x87_op, X87_FLDLG2 }, { "fldln2", gen_x87_op, X87_FLDLN2 },
    { "fldz", gen_x87_op, X87_FLDZ }, { "fchs", gen_x87_op, X87_FCHS },
    { "fabs", gen_x87_op, X87_FABS }, { "ftst", gen_x87_op, X87_FTST },
    { "fxam", gen_x87_op, X87_FXAM }, { "fsqrt", gen_x87_op, X87_FSQRT },
    { "frndint", gen_x87_op, X87_FRNDINT },
    { "fscale", gen_x87_op, X87_FSCALE },
    { "fxtract", gen_x87_op, X87_FXTRACT },
    { "fprem", gen_x87_op, X87_FPREM }, { "fprem1", gen_x87_op, X87_FPREM1 },
    { "f2xm1", gen_x87_op, X87_F2XM1 }, { "fyl2x", gen_x87_op, X87_FYL2X },
    { "fyl2xp1", gen_x87_op, X87_FYL2XP1 },
    { "fpatan", gen_x87_op, X87_FPATAN }, { "fsin", gen_x87_op, X87_FSIN },
    { "fcos", gen_x87_op, X87_FCOS }, { "fsincos", gen_x87_op, X87_FSINCOS },
    { "fptan", gen_x87_op, X87_FPTAN },
    { "fbld", gen_x87_bcd, 0 }, { "fbstp", gen_x87_bcd, 1 },
    { "fincstp", gen_x87_op, X87_FINCSTP },
    { "fdecstp", gen_x87_op, X87_FDECSTP },
    { "fnclex", gen_x87_op, X87_FNCLEX }, { "fninit", gen_x87_op, X87_FNINIT },
    { "fwait", gen_x87_op, X87_FWAIT }, { "fnop", gen_x87_op, X87_FNOP },
    /* 8087/287 leftovers that later CPUs ignore. */
    { "fneni", gen_x87_ignored, 0 }, { "fndisi", gen_x87_ignored, 0 },
    { "fnsetpm", gen_x87_ignored, 0 },
    { "fldcw", gen_x87_fldcw, 0 }, { "fnstcw", gen_x87_fnstcw, 0 },
    { "fnstsw", gen_x87_fnstsw, 0 },
    { "fnstenv", gen_x87_state, X87_FNSTENV },
    { "fldenv", gen_x87_state, X87_FLDENV },
    { "fnsave", gen_x87_state, X87_FNSAVE },
    { "frstor", gen_x87_state, X87_FRSTOR },
    { "fxsave", gen_fxsave, 0 }, { "fxrstor", gen_fxsave, 1 },
};

const X86OpsList *x86_x87_list(void)
{
    static const X86OpsList list = { x87_gens, G_N_ELEMENTS(x87_gens) };

    return &list;
}
