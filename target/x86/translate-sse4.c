/*
 * The SSE3, SSSE3, SSE4.1 and SSE4.2 instructions of the x86-64
 * translator: element inserts and extracts and MOVNTDQA are inline IR on
 * env; the rest call sse4_helper.c with register numbers (sse.h), a
 * memory source loaded into env->xmm_tmp (X86_XMM_TMP) first by
 * translate-sse.c's gen_xmm_src.  16-byte memory operands must
 * be 16-byte aligned (#GP) except those of the string compares
 * PCMPxSTRx, as on the CPU; smaller ones (PMOVSX, ROUNDSS, INSERTPS...)
 * need no alignment.  Each insn asks the CPU model for its extension
 * (CPUID's bit) and is #UD without it.  The SSSE3 forms also take MMX
 * registers (no 66 prefix; P, Q, N operands), as translate-sse.c's MMX
 * forms do: the same helper on 8 bytes, after the x87-to-MMX
 * transition, and an 8-byte memory operand needs no alignment.
 * docs/devel/x86.md says more.
 */
#include <glib.h>

#include "sse4.h"
#include "translate-internal.h"

/* ---- Operands (xmm_reg, xmm_offset, gen_xmm_src: translate-sse.c) ---- */

static const X86OpSpec *spec(DisasContext *ctx, int i)
{
    return &ctx->insn.info->op[i];
}

static uint32_t imm8(DisasContext *ctx)
{
    return (uint32_t)ctx->insn.imm & 0xff;
}

/* ---- Extensions ---- */

static bool has_ext(DisasContext *ctx, X86Feature f)
{
    if (x86_cpu_has_feature(X86_CPU(ctx->base.cpu), f))
        return true;
    gen_exception(ctx, X86_EXCP_UD);
    return false;
}

/* The extension of a mnemonic's table entry (see sse4_gens). */
enum { EXT_SSE3, EXT_SSSE3, EXT_SSE41, EXT_SSE42 };
static const X86Feature ext_feature[] = {
    [EXT_SSE3] = X86_FEAT_SSE3, [EXT_SSSE3] = X86_FEAT_SSSE3,
    [EXT_SSE41] = X86_FEAT_SSE41, [EXT_SSE42] = X86_FEAT_SSE42,
};

/* An op's argument: the extension and the helper's op (sse4.h) or a
   size. */
#define ARG(ext, op) ((op) << 2 | (ext))
#define ARG_EXT(a) ((a) & 3)
#define ARG_OP(a) ((uint32_t)(a) >> 2)

/* Whether the insn runs: its extension is there (else #UD).  Then the
   SSSE3 forms on MMX registers make the x87-to-MMX transition, before
   a memory operand is read (#MF comes first, as on the CPU). */
static bool insn_ok(DisasContext *ctx, int arg)
{
    if (!has_ext(ctx, ext_feature[ARG_EXT(arg)]))
        return false;
    gen_mmx_enter(ctx);
    return true;
}

/* ---- Helper-backed ---- */

static void gen_s4_int(DisasContext *ctx, int arg)
{
    uint32_t op = ARG_OP(arg), imm = imm8(ctx);
    int s;

    if (!insn_ok(ctx, arg))
        return;
    s = gen_xmm_src(ctx, 1, false);
    if (S4_KIND(op) == S4_PALIGNR && xmm_reg(ctx, 0) < X86_MM0 &&
        tcg_have_vec(TCG_VEC_OP_IMM(TCG_VEC_ALIGNR, imm))) {
        /* Inline (the IR's vec op): glibc's SSSE3 memmove runs it. */
        intptr_t d = xmm_offset(xmm_reg(ctx, 0));

        tcg_gen_vec(TCG_VEC_OP_IMM(TCG_VEC_ALIGNR, imm), tcg_env(), d, d,
                    xmm_offset(s));
        return;
    }
    /* From memory INSERTPS reads its one element: no source lane. */
    if (S4_KIND(op) == S4_INSERTPS && s == X86_XMM_TMP)
        imm &= 0x3f;
    gen_helper_sse4_int(tcg_env(), tcg_constant_i32(op),
                        tcg_constant_i32(xmm_reg(ctx, 0)), tcg_constant_i32(s),
                        tcg_constant_i32(imm));
}

static void gen_s4_fp(DisasContext *ctx, int arg)
{
    int s;

    if (!insn_ok(ctx, arg))
        return;
    s = gen_xmm_src(ctx, 1, false);
    gen_helper_sse4_fp(tcg_env(), tcg_constant_i32(ARG_OP(arg)),
                       tcg_constant_i32(xmm_reg(ctx, 0)), tcg_constant_i32(s),
                       tcg_constant_i32(imm8(ctx)));
}

/* The flags a helper returned, as EFLAGS bits (ZF PF CF ... ). */
static void set_eflags_from(DisasContext *ctx, TCGv_i64 f)
{
    tcg_gen_andi_i64(cpu_cc_src, f, X86_CC_MASK);
    set_cc_op(ctx, CC_OP_EFLAGS);
}

static void gen_ptest(DisasContext *ctx, int arg)
{
    TCGv_i64 f;
    int s;

    if (!insn_ok(ctx, arg))
        return;
    s = gen_xmm_src(ctx, 1, false);
    f = tmp(ctx);
    gen_helper_ptest(f, tcg_env(), tcg_constant_i32(xmm_reg(ctx, 0)),
                     tcg_constant_i32(s));
    set_eflags_from(ctx, f);
}

/* PCMPESTRI/M, PCMPISTRI/M (arg's op: S4_STR_*).  The explicit lengths
   are EAX and EDX, or RAX and RDX with REX.W; the index goes to ECX. */
static void gen_pcmpstr(DisasContext *ctx, int arg)
{
    uint32_t op = ARG_OP(arg);
    unsigned bits = ctx->insn.rex & X86_REX_W ? 64 : 32;
    TCGv_i64 la = tmp(ctx), lb = tmp(ctx), r = tmp(ctx);
    int s;

    if (!insn_ok(ctx, arg))
        return;
    s = gen_xmm_src(ctx, 1, true);
    gen_ext(la, cpu_regs[R_EAX], bits, true);
    gen_ext(lb, cpu_regs[R_EDX], bits, true);
    gen_helper_pcmpstr(r, tcg_env(),
                       tcg_constant_i32(op | imm8(ctx) << S4_STR_IMM_SHIFT),
                       tcg_constant_i32(xmm_reg(ctx, 0)), tcg_constant_i32(s),
                       la, lb);
    if (!(op & S4_STR_MASK)) {
        TCGv_i64 idx = tmp(ctx);

        tcg_gen_shri_i64(idx, r, 32);
        gen_write_reg(ctx, R_ECX, 32, idx);
    }
    set_eflags_from(ctx, r);
}

/* CRC32 r32/r64, r/m8/16/32/64: the destination's low 32 bits are the
   CRC, the result zero-extended. */
static void gen_crc32(DisasContext *ctx, int arg)
{
    TCGv_i64 crc = tmp(ctx), v = tmp(ctx);

    if (!has_ext(ctx, ext_feature[ARG_EXT(arg)]))
        return;
    gen_load_op(ctx, 1, v);
    gen_read_reg(ctx, crc, ctx->insn.reg, 32);
    gen_helper_crc32(crc, crc, v, tcg_constant_i32(op_bits(ctx, 1)));
    gen_write_reg(ctx, ctx->insn.reg, 32, crc);
}

/* ---- Inline ---- */

/* PEXTRB/W/D/Q, EXTRACTPS (arg's op: log2 of the element size): to
   memory of the element's size, or to a general register zero-extended
   (32 bits, 64 for PEXTRQ). */
static void gen_pextr(DisasContext *ctx, int arg)
{
    unsigned sz = ARG_OP(arg), n = 16u >> sz;
    TCGv_i64 v = tmp(ctx);
    intptr_t off;

    if (!insn_ok(ctx, arg))
        return;
    if (spec(ctx, 0)->size == X86_SZ_Y && (ctx->insn.rex & X86_REX_W))
        sz = 3, n = 2;          /* PEXTRQ (EXTRACTPS's Ed ignores REX.W) */
    off = xmm_offset(xmm_reg(ctx, 1)) + (imm8(ctx) & (n - 1)) * (1u << sz);
    switch (sz) {
    case 0: tcg_gen_ld8u_i64(v, tcg_env(), off); break;
    case 1: tcg_gen_ld16u_i64(v, tcg_env(), off); break;
    case 2: tcg_gen_ld32u_i64(v, tcg_env(), off); break;
    default: tcg_gen_ld_i64(v, tcg_env(), off); break;
    }
    if (ctx->insn.is_mem)
        tcg_gen_qemu_st_i64(v, gen_ea(ctx), 0, mo_bits(8u << sz));
    else
        gen_write_reg(ctx, ctx->insn.rm, sz == 3 ? 64 : 32, v);
}

/* PINSRB/D/Q (arg's op: log2 of the element size): from memory of the
   element's size or a general register's low bits. */
static void gen_pinsr(DisasContext *ctx, int arg)
{
    unsigned sz = ARG_OP(arg), n;
    TCGv_i64 v = tmp(ctx);
    intptr_t off;

    if (!insn_ok(ctx, arg))
        return;
    if (sz == 2 && (ctx->insn.rex & X86_REX_W))
        sz = 3;                 /* PINSRQ */
    n = 16u >> sz;
    if (ctx->insn.is_mem)
        tcg_gen_qemu_ld_i64(v, gen_ea(ctx), 0, mo_bits(8u << sz));
    else
        tcg_gen_mov_i64(v, cpu_regs[ctx->insn.rm]);
    off = xmm_offset(xmm_reg(ctx, 0)) + (imm8(ctx) & (n - 1)) * (1u << sz);
    switch (sz) {
    case 0: tcg_gen_st8_i64(v, tcg_env(), off); break;
    case 2: tcg_gen_st32_i64(v, tcg_env(), off); break;
    default: tcg_gen_st_i64(v, tcg_env(), off); break;
    }
}

/* MOVNTDQA xmm, m128: an aligned load (the hint changes nothing). */
static void gen_movntdqa(DisasContext *ctx, int arg)
{
    TCGv_i64 t = tmp(ctx);
    intptr_t d = xmm_offset(xmm_reg(ctx, 0));

    if (!insn_ok(ctx, arg))
        return;
    gen_xmm_src(ctx, 1, false);
    tcg_gen_ld_i64(t, tcg_env(), xmm_offset(X86_XMM_TMP));
    tcg_gen_st_i64(t, tcg_env(), d);
    tcg_gen_ld_i64(t, tcg_env(), xmm_offset(X86_XMM_TMP) + 8);
    tcg_gen_st_i64(t, tcg_env(), d + 8);
}

/* MONITOR and MWAIT: #UD at CPL 3 as Linux leaves them (this machine's
   CPU too); CPUID does not say MONITOR. */
static void gen_ud(DisasContext *ctx, int arg)
{
    (void)arg;
    gen_exception(ctx, X86_EXCP_UD);
}

/* ---- The mnemonics ---- */

#define INT(n, ext, kind, x) { n, gen_s4_int, ARG(ext, S4_OP(kind, x)) }
#define FP(n, ext, kind, x) { n, gen_s4_fp, ARG(ext, S4_OP(kind, x)) }
#define MOVX(n, from, to)                                                  \
    INT("pmovsx" n, EXT_SSE41, S4_PMOVSX, S4_MOVX(from, to)),              \
    INT("pmovzx" n, EXT_SSE41, S4_PMOVZX, S4_MOVX(from, to))

static const InsnGen sse4_gens[] = {
    /* SSE3 (LDDQU is translate-sse.c's, FISTTP translate-x87.c's) */
    FP("addsubps", EXT_SSE3, S4_ADDSUB, SSE_FMT_PS),
    FP("addsubpd", EXT_SSE3, S4_ADDSUB, SSE_FMT_PD),
    FP("haddps", EXT_SSE3, S4_HADD, SSE_FMT_PS),
    FP("haddpd", EXT_SSE3, S4_HADD, SSE_FMT_PD),
    FP("hsubps", EXT_SSE3, S4_HSUB, SSE_FMT_PS),
    FP("hsubpd", EXT_SSE3, S4_HSUB, SSE_FMT_PD),
    INT("movshdup", EXT_SSE3, S4_MOVSHDUP, 0),
    INT("movsldup", EXT_SSE3, S4_MOVSLDUP, 0),
    INT("movddup", EXT_SSE3, S4_MOVDDUP, 0),
    { "monitor", gen_ud, 0 }, { "mwait", gen_ud, 0 },
    /* SSSE3 */
    INT("pshufb", EXT_SSSE3, S4_PSHUFB, 0),
    INT("phaddw", EXT_SSSE3, S4_PHADD, 1),
    INT("phaddd", EXT_SSSE3, S4_PHADD, 2),
    INT("phaddsw", EXT_SSSE3, S4_PHADDSW, 1),
    INT("phsubw", EXT_SSSE3, S4_PHSUB, 1),
    INT("phsubd", EXT_SSSE3, S4_PHSUB, 2),
    INT("phsubsw", EXT_SSSE3, S4_PHSUBSW, 1),
    INT("pmaddubsw", EXT_SSSE3, S4_PMADDUBSW, 0),
    INT("pmulhrsw", EXT_SSSE3, S4_PMULHRSW, 1),
    INT("psignb", EXT_SSSE3, S4_PSIGN, 0),
    INT("psignw", EXT_SSSE3, S4_PSIGN, 1),
    INT("psignd", EXT_SSSE3, S4_PSIGN, 2),
    INT("pabsb", EXT_SSSE3, S4_PABS, 0),
    INT("pabsw", EXT_SSSE3, S4_PABS, 1),
    INT("pabsd", EXT_SSSE3, S4_PABS, 2),
    INT("palignr", EXT_SSSE3, S4_PALIGNR, 0),
    /* SSE4.1 */
    INT("pblendvb", EXT_SSE41, S4_BLENDV, 0),
    INT("blendvps", EXT_SSE41, S4_BLENDV, 2),
    INT("blendvpd", EXT_SSE41, S4_BLENDV, 3),
    INT("pblendw", EXT_SSE41, S4_BLEND, 1),
    INT("blendps", EXT_SSE41, S4_BLEND, 2),
    INT("blendpd", EXT_SSE41, S4_BLEND, 3),
    FP("dpps", EXT_SSE41, S4_DP, SSE_FMT_PS),
    FP("dppd", EXT_SSE41, S4_DP, SSE_FMT_PD),
    FP("roundps", EXT_SSE41, S4_ROUND, SSE_FMT_PS),
    FP("roundpd", EXT_SSE41, S4_ROUND, SSE_FMT_PD),
    FP("roundss", EXT_SSE41, S4_ROUND, SSE_FMT_SS),
    FP("roundsd", EXT_SSE41, S4_ROUND, SSE_FMT_SD),
    INT("insertps", EXT_SSE41, S4_INSERTPS, 0),
    INT("mpsadbw", EXT_SSE41, S4_MPSADBW, 0),
    INT("packusdw", EXT_SSE41, S4_PACKUSDW, 2),
    INT("pcmpeqq", EXT_SSE41, S4_PCMPEQQ, 3),
    INT("phminposuw", EXT_SSE41, S4_PHMINPOSUW, 1),
    INT("pmaxsb", EXT_SSE41, S4_PMAXS, 0),
    INT("pmaxsd", EXT_SSE41, S4_PMAXS, 2),
    INT("pmaxuw", EXT_SSE41, S4_PMAXU, 1),
    INT("pmaxud", EXT_SSE41, S4_PMAXU, 2),
    INT("pminsb", EXT_SSE41, S4_PMINS, 0),
    INT("pminsd", EXT_SSE41, S4_PMINS, 2),
    INT("pminuw", EXT_SSE41, S4_PMINU, 1),
    INT("pminud", EXT_SSE41, S4_PMINU, 2),
    MOVX("bw", 0, 1), MOVX("bd", 0, 2), MOVX("bq", 0, 3),
    MOVX("wd", 1, 2), MOVX("wq", 1, 3), MOVX("dq", 2, 3),
    INT("pmuldq", EXT_SSE41, S4_PMULDQ, 0),
    INT("pmulld", EXT_SSE41, S4_PMULLD, 2),
    { "ptest", gen_ptest, ARG(EXT_SSE41, 0) },
    { "pextrb", gen_pextr, ARG(EXT_SSE41, 0) },
    { "pextrd", gen_pextr, ARG(EXT_SSE41, 2) },
    { "extractps", gen_pextr, ARG(EXT_SSE41, 2) },
    { "pinsrb", gen_pinsr, ARG(EXT_SSE41, 0) },
    { "pinsrd", gen_pinsr, ARG(EXT_SSE41, 2) },
    { "movntdqa", gen_movntdqa, ARG(EXT_SSE41, 0) },
    /* SSE4.2 */
    INT("pcmpgtq", EXT_SSE42, S4_PCMPGTQ, 3),
    { "pcmpestri", gen_pcmpstr, ARG(EXT_SSE42, S4_STR_EXPLICIT) },
    { "pcmpestrm", gen_pcmpstr,
      ARG(EXT_SSE42, S4_STR_EXPLICIT | S4_STR_MASK) },
    { "pcmpistri", gen_pcmpstr, ARG(EXT_SSE42, 0) },
    { "pcmpistrm", gen_pcmpstr, ARG(EXT_SSE42, S4_STR_MASK) },
    { "crc32", gen_crc32, ARG(EXT_SSE42, 0) },
};

const X86OpsList *x86_sse4_list(void)
{
    static const X86OpsList list = { sse4_gens, G_N_ELEMENTS(sse4_gens) };

    return &list;
}
