/*
 * The SSE, SSE2 and MMX instructions of the x86-64 translator: moves and
 * the bitwise logic are inline IR on the 64-bit halves of the registers
 * in env; everything else calls a helper of sse_helper.c with register
 * numbers.  A memory source operand is loaded into env->xmm_tmp first
 * (X86_XMM_TMP), so a helper sees only registers.  Legacy SSE memory
 * operands of 16 bytes must be 16-byte aligned (#GP, SIGSEGV under
 * Linux) except for the unaligned moves (MOVUPS, MOVDQU, LDDQU): the
 * first 8-byte access carries a 16-byte alignment in its MemOp, and
 * x86_unaligned_access turns a miss into #GP.
 *
 * The MMX forms share the SSE2 mnemonics and generators (no prefix and
 * P, Q, N operands): an MMX register is the significand of x87 physical
 * register n, 64 bits wide; writing one sets that register's sign and
 * exponent to all ones, and every insn with an MMX register operand
 * first calls helper_mmx_enter (#MF if an x87 exception is pending),
 * then after its memory accesses sets TOP 0 and every tag valid (a
 * faulting operand leaves them alone), unless the insn before it in the
 * TB was one too.  docs/devel/x86.md says more.
 */
#include <glib.h>

#include "sse.h"
#include "translate-internal.h"

/* ---- Operands ---- */

intptr_t xmm_offset(int n)
{
    if (n >= X86_MM0)
        return X86_ENV_OFFSET(fpregs) +
               (n - X86_MM0) * (intptr_t)sizeof(FloatX80) +
               (intptr_t)offsetof(FloatX80, sig);
    return n == X86_XMM_TMP
           ? X86_ENV_OFFSET(xmm_tmp)
           : X86_ENV_OFFSET(xmm) + n * (intptr_t)sizeof(X86XMMReg);
}

static const X86OpSpec *opspec(DisasContext *ctx, int i)
{
    return &ctx->insn.info->op[i];
}

static bool is_mmx_kind(int k)
{
    return k == X86_OPK_P || k == X86_OPK_Q || k == X86_OPK_N;
}

/* ModRM.reg for V and P, ModRM.rm for W, U, Q and N (when it is not
   memory).  An MMX register ignores REX.R and REX.B. */
int xmm_reg(DisasContext *ctx, int i)
{
    switch (opspec(ctx, i)->kind) {
    case X86_OPK_V: return ctx->insn.reg;
    case X86_OPK_P: return X86_MM0 + (ctx->insn.reg & 7);
    case X86_OPK_Q:
    case X86_OPK_N: return X86_MM0 + (ctx->insn.rm & 7);
    default: return ctx->insn.rm;
    }
}

static bool xmm_is_mem(DisasContext *ctx, int i)
{
    int k = opspec(ctx, i)->kind;

    return (k == X86_OPK_W || k == X86_OPK_M || k == X86_OPK_Q) &&
           ctx->insn.is_mem;
}

/* The bytes operand i covers in memory. */
static unsigned xmm_bytes(DisasContext *ctx, int i)
{
    switch (opspec(ctx, i)->size) {
    case X86_SZ_B: return 1;
    case X86_SZ_Q: return 8;
    case X86_SZ_D: return 4;
    case X86_SZ_W: return 2;
    default: return 16;
    }
}

/* The bytes of the register (and so the lanes) an insn works on: 8 for
   an MMX destination. */
static unsigned reg_bytes(int n)
{
    return n >= X86_MM0 ? 8 : 16;
}

/*
 * The x87-to-MMX transition of an insn with an MMX register operand (a
 * Q operand in memory is not one: CVTPI2PS and CVTPI2PD from memory
 * leave the x87 state alone, as the SDM says and the host CPU does).
 * helper_mmx_enter raises a pending x87 exception, before any memory
 * access (#MF comes first); TOP and the tags change only once the
 * insn's memory accesses are done (gen_mmx_done, at the insn's end), so
 * that a faulting operand leaves them as they were, as on the CPU.  An
 * MMX insn right after another in the same TB needs none of that, as
 * nothing between them can have changed the x87 state.
 */
void gen_mmx_enter(DisasContext *ctx)
{
    bool mmx = false;

    for (int i = 0; i < 4; i++) {
        int k = opspec(ctx, i)->kind;

        if (is_mmx_kind(k) && !(k == X86_OPK_Q && ctx->insn.is_mem))
            mmx = true;
    }
    if (!mmx)
        return;
    if (!ctx->mmx_prev) {
        gen_helper_mmx_enter(tcg_env(), tcg_constant_i32(0));
        ctx->mmx_late = true;
    }
    ctx->mmx_now = true;
}

void gen_mmx_done(DisasContext *ctx)
{
    TCGv_i64 zero = tcg_constant_i64(0);

    tcg_gen_st32_i64(zero, tcg_env(), X86_ENV_OFFSET(fptop));
    tcg_gen_st8_i64(zero, tcg_env(), X86_ENV_OFFSET(fpempty));
    ctx->mmx_late = false;
}

/* After an inline write of MMX register n: its sign and exponent. */
static void gen_mmx_written(int n)
{
    if (n >= X86_MM0)
        tcg_gen_st16_i64(tcg_constant_i64(0xffff), tcg_env(),
                         xmm_offset(n) - (intptr_t)offsetof(FloatX80, sig) +
                         (intptr_t)offsetof(FloatX80, se));
}

static MemOp mo_bytes(unsigned bytes)
{
    return mo_bits(bytes * 8);
}

/* MemOp of the first half of a 16-byte access: 16-byte aligned if the
   insn wants it. */
static MemOp mo_first(bool aligned)
{
    return MO_LE | MO_64 | (aligned ? (MemOp)(4 << MO_ASHIFT) : MO_UNALN);
}

/* Loads bytes of memory at the operand's address into the XMM register
   at env offset off (the rest of it unchanged).  Both halves are loaded
   before either is written, so a fault leaves the register as it was. */
static void gen_ld_mem(DisasContext *ctx, intptr_t off, unsigned bytes,
                       bool aligned)
{
    TCGv_i64 ea = gen_ea(ctx), lo = tmp(ctx);

    if (bytes == 16) {
        TCGv_i64 hi = tmp(ctx), a8 = tmp(ctx);

        tcg_gen_qemu_ld_i64(lo, ea, 0, mo_first(aligned));
        tcg_gen_addi_i64(a8, ea, 8);
        tcg_gen_qemu_ld_i64(hi, a8, 0, MO_LE | MO_64);
        tcg_gen_st_i64(lo, tcg_env(), off);
        tcg_gen_st_i64(hi, tcg_env(), off + 8);
        return;
    }
    tcg_gen_qemu_ld_i64(lo, ea, 0, mo_bytes(bytes));
    switch (bytes) {
    case 8: tcg_gen_st_i64(lo, tcg_env(), off); break;
    case 4: tcg_gen_st32_i64(lo, tcg_env(), off); break;
    case 2: tcg_gen_st16_i64(lo, tcg_env(), off); break;
    default: tcg_gen_st8_i64(lo, tcg_env(), off); break;
    }
}

/*
 * Stores bytes of the XMM register at env offset off to the operand's
 * address.  The CPU writes nothing when a 16-byte store faults: an
 * aligned one lies in one page, so its first half's fault (alignment or
 * page) comes before any write; an unaligned one writes its upper half
 * first, so that a store running into an unmapped page faults before
 * writing (one that starts in an unmapped page and ends in a mapped one
 * writes its upper half: a case programs do not meet).
 */
static void gen_st_mem(DisasContext *ctx, intptr_t off, unsigned bytes,
                       bool aligned)
{
    TCGv_i64 ea = gen_ea(ctx), v = tmp(ctx);

    if (bytes == 16) {
        TCGv_i64 a8 = tmp(ctx);

        tcg_gen_addi_i64(a8, ea, 8);
        if (aligned) {
            tcg_gen_ld_i64(v, tcg_env(), off);
            tcg_gen_qemu_st_i64(v, ea, 0, mo_first(true));
            tcg_gen_ld_i64(v, tcg_env(), off + 8);
            tcg_gen_qemu_st_i64(v, a8, 0, MO_LE | MO_64);
        } else {
            tcg_gen_ld_i64(v, tcg_env(), off + 8);
            tcg_gen_qemu_st_i64(v, a8, 0, MO_LE | MO_64);
            tcg_gen_ld_i64(v, tcg_env(), off);
            tcg_gen_qemu_st_i64(v, ea, 0, MO_LE | MO_64);
        }
        return;
    }
    tcg_gen_ld_i64(v, tcg_env(), off);
    tcg_gen_qemu_st_i64(v, ea, 0, mo_bytes(bytes));
}

int gen_xmm_src(DisasContext *ctx, int i, bool unaligned_ok)
{
    if (!xmm_is_mem(ctx, i))
        return xmm_reg(ctx, i);
    gen_ld_mem(ctx, xmm_offset(X86_XMM_TMP), xmm_bytes(ctx, i),
               !unaligned_ok);
    return X86_XMM_TMP;
}

static void gen_copy64(intptr_t dst, intptr_t src, TCGv_i64 t)
{
    tcg_gen_ld_i64(t, tcg_env(), src);
    tcg_gen_st_i64(t, tcg_env(), dst);
}

static void gen_zero64(intptr_t dst)
{
    tcg_gen_st_i64(tcg_constant_i64(0), tcg_env(), dst);
}

/* The immediate of the insn, if its last operand is one. */
static uint32_t insn_imm(DisasContext *ctx)
{
    for (int i = 1; i < 4; i++) {
        if (opspec(ctx, i)->kind == X86_OPK_I)
            return (uint32_t)ctx->insn.imm & 0xff;
    }
    return 0;
}

/* ---- Moves ---- */

/* MOVAPS/MOVAPD/MOVDQA/MOVNT* (aligned 1) and MOVUPS/MOVUPD/MOVDQU/
   LDDQU (0): 16 bytes. */
static void gen_mov128(DisasContext *ctx, int aligned)
{
    if (xmm_is_mem(ctx, 0)) {
        gen_st_mem(ctx, xmm_offset(xmm_reg(ctx, 1)), 16, aligned);
    } else if (xmm_is_mem(ctx, 1)) {
        gen_ld_mem(ctx, xmm_offset(xmm_reg(ctx, 0)), 16, aligned);
    } else {
        intptr_t d = xmm_offset(xmm_reg(ctx, 0));
        intptr_t s = xmm_offset(xmm_reg(ctx, 1));
        TCGv_i64 t = tmp(ctx);

        gen_copy64(d, s, t);
        gen_copy64(d + 8, s + 8, t);
    }
}

/*
 * t = the low 32 bits of t under the upper 32 of the quad at env offset
 * d, for a 64-bit store there: a 32-bit store that a 64-bit load of the
 * next insn reads back stalls the host (no store forwarding), which
 * made binary32 code several times slower.
 */
static void gen_merge_low32(DisasContext *ctx, TCGv_i64 t, intptr_t d)
{
    TCGv_i64 hi = tmp(ctx);

    tcg_gen_ld_i64(hi, tcg_env(), d);
    tcg_gen_shri_i64(hi, hi, 32);
    tcg_gen_shli_i64(hi, hi, 32);
    tcg_gen_ext32u_i64(t, t);
    tcg_gen_or_i64(t, t, hi);
}

/* MOVSS (4) and MOVSD (8): a load clears the rest of the register, a
   register move keeps it. */
static void gen_movscalar(DisasContext *ctx, int bytes)
{
    intptr_t d;
    TCGv_i64 t;

    if (xmm_is_mem(ctx, 0)) {
        gen_st_mem(ctx, xmm_offset(xmm_reg(ctx, 1)), (unsigned)bytes, false);
        return;
    }
    d = xmm_offset(xmm_reg(ctx, 0));
    t = tmp(ctx);
    if (xmm_is_mem(ctx, 1)) {
        /* Loaded zero-extended, then written: a fault changes nothing. */
        tcg_gen_qemu_ld_i64(t, gen_ea(ctx), 0, mo_bytes((unsigned)bytes));
        tcg_gen_st_i64(t, tcg_env(), d);
        gen_zero64(d + 8);
        return;
    }
    tcg_gen_ld_i64(t, tcg_env(), xmm_offset(xmm_reg(ctx, 1)));
    if (bytes == 4)
        gen_merge_low32(ctx, t, d);
    tcg_gen_st_i64(t, tcg_env(), d);
}

/* Writes the 64 bits of t to register d: an XMM register's upper half
   cleared, an MMX register's sign and exponent set. */
static void gen_put64(int d, TCGv_i64 t)
{
    tcg_gen_st_i64(t, tcg_env(), xmm_offset(d));
    if (d < X86_MM0)
        gen_zero64(xmm_offset(d) + 8);
    gen_mmx_written(d);
}

/* MOVQ in every form (mm, mm/m64 and back; xmm, xmm/m64 (F3 0F 7E) and
   back (66 0F D6)), MOVNTQ, MOVQ2DQ and MOVDQ2Q: 64 bits. */
static void gen_movq(DisasContext *ctx, int arg)
{
    TCGv_i64 t;

    (void)arg;
    gen_mmx_enter(ctx);
    if (xmm_is_mem(ctx, 0)) {
        gen_st_mem(ctx, xmm_offset(xmm_reg(ctx, 1)), 8, false);
        return;
    }
    t = tmp(ctx);
    if (xmm_is_mem(ctx, 1))
        tcg_gen_qemu_ld_i64(t, gen_ea(ctx), 0, MO_LE | MO_64);
    else
        tcg_gen_ld_i64(t, tcg_env(), xmm_offset(xmm_reg(ctx, 1)));
    gen_put64(xmm_reg(ctx, 0), t);
}

/* MOVD/MOVQ between a general register or memory (Ey) and an XMM or
   MMX register: into the register zero-extended. */
static void gen_movd(DisasContext *ctx, int arg)
{
    TCGv_i64 t;
    int k = opspec(ctx, 0)->kind;

    (void)arg;
    gen_mmx_enter(ctx);
    t = tmp(ctx);
    if (k == X86_OPK_V || k == X86_OPK_P) {
        gen_load_op(ctx, 1, t);
        gen_put64(xmm_reg(ctx, 0), t);
    } else {
        tcg_gen_ld_i64(t, tcg_env(), xmm_offset(xmm_reg(ctx, 1)));
        gen_store_op(ctx, 0, t);
    }
}

/* MOVLPS/MOVLPD (half 0) and MOVHPS/MOVHPD (1): 64 bits of memory to
   or from one half; MOVHLPS (2) and MOVLHPS (3) between registers. */
static void gen_movhalf(DisasContext *ctx, int half)
{
    TCGv_i64 t;
    intptr_t d;

    if (half >= 2) {
        t = tmp(ctx);
        d = xmm_offset(xmm_reg(ctx, 0));
        gen_copy64(half == 2 ? d : d + 8,
                   xmm_offset(xmm_reg(ctx, 1)) + (half == 2 ? 8 : 0), t);
        return;
    }
    if (xmm_is_mem(ctx, 0))
        gen_st_mem(ctx, xmm_offset(xmm_reg(ctx, 1)) + half * 8, 8, false);
    else
        gen_ld_mem(ctx, xmm_offset(xmm_reg(ctx, 0)) + half * 8, 8, false);
}

/* ---- Logic: inline on 64-bit halves ---- */

enum { LOGIC_AND, LOGIC_ANDN, LOGIC_OR, LOGIC_XOR };

static void gen_logic(DisasContext *ctx, int op)
{
    int s, dn = xmm_reg(ctx, 0);
    intptr_t d = xmm_offset(dn);

    gen_mmx_enter(ctx);
    s = gen_xmm_src(ctx, 1, false);
    for (unsigned h = 0; h < reg_bytes(dn); h += 8) {
        TCGv_i64 a = tmp(ctx), b = tmp(ctx);

        tcg_gen_ld_i64(a, tcg_env(), d + h);
        tcg_gen_ld_i64(b, tcg_env(), xmm_offset(s) + h);
        switch (op) {
        case LOGIC_AND: tcg_gen_and_i64(a, a, b); break;
        case LOGIC_ANDN: tcg_gen_andc_i64(a, b, a); break;
        case LOGIC_OR: tcg_gen_or_i64(a, a, b); break;
        default: tcg_gen_xor_i64(a, a, b); break;
        }
        tcg_gen_st_i64(a, tcg_env(), d + h);
    }
    gen_mmx_written(dn);
}

/* ---- Helper-backed operations ---- */

/*
 * The IR's vec op (tcg-opc.h) that does helper_sse_int's op on XMM
 * registers, or -1: the ops glibc's string and memory functions run
 * most (compares, byte minimum, adds, the unpacks and PSHUFD that
 * broadcast a byte).  Inline, they cost a few host insns instead of a
 * helper call each (strchr's start-up was six calls).
 */
static int sse_vec_op(int op)
{
    static const int8_t kinds[] = {   /* the TCGVecKind + 1, 0: none */
        [SSE_PADD] = TCG_VEC_ADD + 1, [SSE_PSUB] = TCG_VEC_SUB + 1,
        [SSE_PCMPEQ] = TCG_VEC_CMPEQ + 1, [SSE_PCMPGT] = TCG_VEC_CMPGT + 1,
        [SSE_PMINU] = TCG_VEC_MINU + 1, [SSE_PMAXU] = TCG_VEC_MAXU + 1,
        [SSE_PUNPCKL] = TCG_VEC_ZIPLO + 1, [SSE_PUNPCKH] = TCG_VEC_ZIPHI + 1,
        [SSE_PSHUFD] = TCG_VEC_SHUF32 + 1,
    };
    unsigned kind = (unsigned)op >> 2;
    int vop;

    if (kind >= G_N_ELEMENTS(kinds) || !kinds[kind])
        return -1;
    vop = TCG_VEC_OP(kinds[kind] - 1, op & 3);
    return tcg_have_vec(vop) ? vop : -1;
}

/* A packed integer op or shuffle (arg: SSE_OP(kind, size)).  The
   shifts by an immediate (Ux, Ib) put the count where the register
   form has it, in the source's low 64 bits. */
static void gen_sse_int(DisasContext *ctx, int op)
{
    int d, s, vop = sse_vec_op(op);

    gen_mmx_enter(ctx);
    if (vop >= 0 && xmm_reg(ctx, 0) < X86_MM0 &&
        opspec(ctx, 1)->kind != X86_OPK_I) {
        s = gen_xmm_src(ctx, 1, false);
        d = xmm_reg(ctx, 0);
        if (op >> 2 == SSE_PSHUFD)
            tcg_gen_vec(vop, tcg_env(), xmm_offset(d), xmm_offset(s),
                        insn_imm(ctx));
        else
            tcg_gen_vec(vop, tcg_env(), xmm_offset(d), xmm_offset(d),
                        xmm_offset(s));
        return;
    }
    if (opspec(ctx, 1)->kind == X86_OPK_I) {
        d = xmm_reg(ctx, 0);
        s = X86_XMM_TMP;
        tcg_gen_st_i64(tcg_constant_i64((int64_t)ctx->insn.imm), tcg_env(),
                       xmm_offset(X86_XMM_TMP));
    } else {
        s = gen_xmm_src(ctx, 1, false);
        d = xmm_reg(ctx, 0);
    }
    gen_helper_sse_int(tcg_env(), tcg_constant_i32(op), tcg_constant_i32(d),
                       tcg_constant_i32(s), tcg_constant_i32(insn_imm(ctx)));
}

/* PMOVMSKB, MOVMSKPS, MOVMSKPD (arg: log2 of the lane size). */
static void gen_movmsk(DisasContext *ctx, int sz)
{
    TCGv_i64 v;

    gen_mmx_enter(ctx);
    v = tmp(ctx);
    if (sz == 0 && xmm_reg(ctx, 1) < X86_MM0 &&
        tcg_have_vec(TCG_VEC_OP(TCG_VEC_CMPEQ, 0))) {
        tcg_gen_vec_movmsk(v, tcg_env(), xmm_offset(xmm_reg(ctx, 1)));
        gen_store_op(ctx, 0, v);
        return;
    }
    gen_helper_sse_movmsk(v, tcg_env(), tcg_constant_i32(sz),
                          tcg_constant_i32(xmm_reg(ctx, 1)));
    gen_store_op(ctx, 0, v);
}

/* PINSRW xmm/mm, r32/m16, imm and PEXTRW r32, xmm/mm, imm: the word
   the immediate's low 3 bits (2 for MMX) select. */
static void gen_pinsrw(DisasContext *ctx, int arg)
{
    TCGv_i64 v;
    int d = xmm_reg(ctx, 0);

    (void)arg;
    gen_mmx_enter(ctx);
    v = tmp(ctx);
    gen_load_op(ctx, 1, v);
    tcg_gen_st16_i64(v, tcg_env(), xmm_offset(d) +
                     (insn_imm(ctx) & (reg_bytes(d) / 2 - 1)) * 2);
    gen_mmx_written(d);
}

static void gen_pextrw(DisasContext *ctx, int arg)
{
    TCGv_i64 v;
    int s = xmm_reg(ctx, 1);
    bool sse41_form = ctx->insn.map == X86_MAP_0F3A;

    (void)arg;
    if (sse41_form &&
        !x86_cpu_has_feature(X86_CPU(ctx->base.cpu), X86_FEAT_SSE41)) {
        gen_exception(ctx, X86_EXCP_UD);
        return;
    }
    gen_mmx_enter(ctx);
    v = tmp(ctx);
    tcg_gen_ld16u_i64(v, tcg_env(), xmm_offset(s) +
                      (insn_imm(ctx) & (reg_bytes(s) / 2 - 1)) * 2);
    if (sse41_form && !ctx->insn.is_mem) {
        /* SSE4.1's form (66 0F 3A 15): r/m16, a register zero-extended. */
        gen_write_reg(ctx, ctx->insn.rm, 32, v);
        return;
    }
    gen_store_op(ctx, 0, v);
}

/* MASKMOVQ and MASKMOVDQU: to DS:rDI (FS or GS with an override). */
static void gen_maskmov(DisasContext *ctx, int arg)
{
    TCGv_i64 a = tmp(ctx);

    (void)arg;
    gen_mmx_enter(ctx);
    /* Its operands are registers: the transition comes before the
       store, which may fault (the host agrees). */
    if (ctx->mmx_late)
        gen_mmx_done(ctx);
    gen_ext(a, cpu_regs[R_EDI], ctx->insn.addrsize, false);
    gen_add_seg(ctx, a, ctx->insn.seg);
    gen_helper_sse_maskmov(tcg_env(), a, tcg_constant_i32(xmm_reg(ctx, 0)),
                           tcg_constant_i32(xmm_reg(ctx, 1)));
}

static void gen_emms(DisasContext *ctx, int arg)
{
    (void)arg;
    gen_helper_mmx_enter(tcg_env(), tcg_constant_i32(1));
}

/* One lane (or 64-bit half of PS: its low lane) of an inline op. */
static void gen_fp_lane(unsigned kind, unsigned fp, TCGv_i64 r, TCGv_i64 a,
                        TCGv_i64 b)
{
    static const TCGOpcode opc[] = {
        [SSE_ADD] = INDEX_op_fadd, [SSE_SUB] = INDEX_op_fsub,
        [SSE_MUL] = INDEX_op_fmul, [SSE_DIV] = INDEX_op_fdiv,
    };

    if (kind == SSE_SQRT)
        tcg_gen_fsqrt(fp, r, b);
    else
        tcg_gen_fp_binop(opc[kind], fp, r, a, b);
}

/* A 64-bit half of PS: two binary32 lanes, each through TCG_FP_F32. */
static void gen_fp_ps_half(DisasContext *ctx, unsigned kind, TCGv_i64 r,
                           TCGv_i64 a, TCGv_i64 b)
{
    unsigned fp = TCG_FP_F32 | TCG_FP_NAN_X86;
    TCGv_i64 ah = tmp(ctx), bh = tmp(ctx), rh = tmp(ctx);

    tcg_gen_shri_i64(ah, a, 32);
    tcg_gen_shri_i64(bh, b, 32);
    gen_fp_lane(kind, fp, r, a, b);
    gen_fp_lane(kind, fp, rh, ah, bh);
    tcg_gen_ext32u_i64(r, r);
    tcg_gen_shli_i64(rh, rh, 32);
    tcg_gen_or_i64(r, r, rh);
}

/*
 * ADD, SUB, MUL, DIV and SQRT in PS, PD, SS and SD inline, when MXCSR
 * is in its default state for the whole TB (ctx->sse_inline): then the
 * host's SSE insn on the same bits gives the guest's result, NaN and
 * flags (which accrue in the host MXCSR, include/mimic/host-fp.h), and
 * no exception can be unmasked.  False for anything else.
 */
static bool gen_sse_fp_inline(DisasContext *ctx, int op)
{
    unsigned kind = (unsigned)op >> 2, fmt = op & 3;
    bool dbl = fmt == SSE_FMT_PD || fmt == SSE_FMT_SD;
    bool packed = fmt == SSE_FMT_PS || fmt == SSE_FMT_PD;
    unsigned fp = (dbl ? TCG_FP_F64 : TCG_FP_F32) | TCG_FP_NAN_X86;
    intptr_t d = xmm_offset(xmm_reg(ctx, 0));
    TCGv_i64 b[2], r[2];
    unsigned nq = packed ? 2 : 1;

    if (!ctx->sse_inline || (kind > SSE_DIV && kind != SSE_SQRT))
        return false;
    if (xmm_is_mem(ctx, 1)) {
        TCGv_i64 ea = gen_ea(ctx);

        b[0] = tmp(ctx);
        if (packed) {
            TCGv_i64 a8 = tmp(ctx);

            b[1] = tmp(ctx);
            tcg_gen_qemu_ld_i64(b[0], ea, 0, mo_first(true));
            tcg_gen_addi_i64(a8, ea, 8);
            tcg_gen_qemu_ld_i64(b[1], a8, 0, MO_LE | MO_64);
        } else {
            tcg_gen_qemu_ld_i64(b[0], ea, 0, mo_bytes(dbl ? 8 : 4));
        }
    } else {
        intptr_t s = xmm_offset(xmm_reg(ctx, 1));

        for (unsigned q = 0; q < nq; q++) {
            b[q] = tmp(ctx);
            tcg_gen_ld_i64(b[q], tcg_env(), s + 8 * q);
        }
    }
    for (unsigned q = 0; q < nq; q++) {
        TCGv_i64 a = tmp(ctx);

        r[q] = tmp(ctx);
        if (kind != SSE_SQRT || fmt == SSE_FMT_PS)
            tcg_gen_ld_i64(a, tcg_env(), d + 8 * q);
        if (fmt == SSE_FMT_PS)
            gen_fp_ps_half(ctx, kind, r[q], a, b[q]);
        else
            gen_fp_lane(kind, fp, r[q], a, b[q]);
    }
    /* TCG_FP_F32 kept the destination's bits 63:32, but for SQRTSS. */
    if (fmt == SSE_FMT_SS && kind == SSE_SQRT)
        gen_merge_low32(ctx, r[0], d);
    for (unsigned q = 0; q < nq; q++)
        tcg_gen_st_i64(r[q], tcg_env(), d + 8 * q);
    return true;
}

/* FP arithmetic, compares and conversions (arg: SSE_OP(kind, fmt)).
   Scalar and 8-byte memory operands need no alignment. */
static void gen_sse_fp(DisasContext *ctx, int op)
{
    int s;

    gen_mmx_enter(ctx);
    if (gen_sse_fp_inline(ctx, op))
        return;
    s = gen_xmm_src(ctx, 1, xmm_bytes(ctx, 1) < 16);
    /* The CVT*PI forms: an #XM still comes after the transition. */
    if (ctx->mmx_late)
        gen_mmx_done(ctx);

    gen_helper_sse_fp(tcg_env(), tcg_constant_i32(op),
                      tcg_constant_i32(xmm_reg(ctx, 0)),
                      tcg_constant_i32(s), tcg_constant_i32(insn_imm(ctx)));
}

/* UCOMISS/UCOMISD/COMISS/COMISD: ZF PF CF from the compare, OF SF AF
   cleared (arg: SSE_CVT_*). */
static void gen_comi(DisasContext *ctx, int op)
{
    int s = gen_xmm_src(ctx, 1, true);
    TCGv_i64 f = tmp(ctx);

    gen_helper_sse_comi(f, tcg_env(), tcg_constant_i32(op),
                        tcg_constant_i32(xmm_reg(ctx, 0)),
                        tcg_constant_i32(s));
    tcg_gen_mov_i64(cpu_cc_src, f);
    set_cc_op(ctx, CC_OP_EFLAGS);
}

/* CVTSI2SS/SD xmm, r/m32 or r/m64 (arg: SSE_CVT_DOUBLE or 0). */
static void gen_cvtsi(DisasContext *ctx, int op)
{
    TCGv_i64 v = tmp(ctx);
    unsigned bits = op_bits(ctx, 1);

    gen_load_op(ctx, 1, v);
    gen_ext(v, v, bits, true);
    gen_helper_sse_cvtsi(tcg_env(), tcg_constant_i32(op),
                         tcg_constant_i32(xmm_reg(ctx, 0)), v);
}

/* CVT(T)SS2SI, CVT(T)SD2SI r32/r64, xmm/m (arg: SSE_CVT_*). */
static void gen_cvt2si(DisasContext *ctx, int op)
{
    int s = gen_xmm_src(ctx, 1, true);
    TCGv_i64 v = tmp(ctx);

    if (op_bits(ctx, 0) == 64)
        op |= SSE_CVT_64;
    gen_helper_sse_cvt2si(v, tcg_env(), tcg_constant_i32(op),
                          tcg_constant_i32(s));
    gen_store_op(ctx, 0, v);
}

static void gen_ldmxcsr(DisasContext *ctx, int arg)
{
    TCGv_i64 v = tmp(ctx);

    (void)arg;
    gen_load_op(ctx, 0, v);
    gen_helper_ldmxcsr(tcg_env(), v);
    gen_end_tb_flags(ctx);
}

static void gen_stmxcsr(DisasContext *ctx, int arg)
{
    TCGv_i64 v = tmp(ctx);

    (void)arg;
    gen_helper_stmxcsr(v, tcg_env());
    gen_store_op(ctx, 0, v);
}

/* ---- The mnemonics ---- */

#define INT_BWDQ(name, kind)                                               \
    { name "b", gen_sse_int, SSE_OP(kind, 0) },                            \
    { name "w", gen_sse_int, SSE_OP(kind, 1) },                            \
    { name "d", gen_sse_int, SSE_OP(kind, 2) },                            \
    { name "q", gen_sse_int, SSE_OP(kind, 3) }
#define FP4(name, kind)                                                    \
    { name "ps", gen_sse_fp, SSE_OP(kind, SSE_FMT_PS) },                   \
    { name "pd", gen_sse_fp, SSE_OP(kind, SSE_FMT_PD) },                   \
    { name "ss", gen_sse_fp, SSE_OP(kind, SSE_FMT_SS) },                   \
    { name "sd", gen_sse_fp, SSE_OP(kind, SSE_FMT_SD) }

static const InsnGen sse_gens[] = {
    { "movaps", gen_mov128, 1 }, { "movapd", gen_mov128, 1 },
    { "movdqa", gen_mov128, 1 }, { "movntps", gen_mov128, 1 },
    { "movntpd", gen_mov128, 1 }, { "movntdq", gen_mov128, 1 },
    { "movups", gen_mov128, 0 }, { "movupd", gen_mov128, 0 },
    { "movdqu", gen_mov128, 0 }, { "lddqu", gen_mov128, 0 },
    { "movss", gen_movscalar, 4 }, { "movsd", gen_movscalar, 8 },
    { "movq", gen_movq, 0 }, { "movd", gen_movd, 0 },
    { "movntq", gen_movq, 0 }, { "movq2dq", gen_movq, 0 },
    { "movdq2q", gen_movq, 0 },
    { "movlps", gen_movhalf, 0 }, { "movlpd", gen_movhalf, 0 },
    { "movhps", gen_movhalf, 1 }, { "movhpd", gen_movhalf, 1 },
    { "movhlps", gen_movhalf, 2 }, { "movlhps", gen_movhalf, 3 },
    { "pand", gen_logic, LOGIC_AND }, { "andps", gen_logic, LOGIC_AND },
    { "andpd", gen_logic, LOGIC_AND }, { "pandn", gen_logic, LOGIC_ANDN },
    { "andnps", gen_logic, LOGIC_ANDN }, { "andnpd", gen_logic, LOGIC_ANDN },
    { "por", gen_logic, LOGIC_OR }, { "orps", gen_logic, LOGIC_OR },
    { "orpd", gen_logic, LOGIC_OR }, { "pxor", gen_logic, LOGIC_XOR },
    { "xorps", gen_logic, LOGIC_XOR }, { "xorpd", gen_logic, LOGIC_XOR },
    INT_BWDQ("padd", SSE_PADD), INT_BWDQ("psub", SSE_PSUB),
    { "paddusb", gen_sse_int, SSE_OP(SSE_PADDUS, 0) },
    { "paddusw", gen_sse_int, SSE_OP(SSE_PADDUS, 1) },
    { "psubusb", gen_sse_int, SSE_OP(SSE_PSUBUS, 0) },
    { "psubusw", gen_sse_int, SSE_OP(SSE_PSUBUS, 1) },
    { "paddsb", gen_sse_int, SSE_OP(SSE_PADDS, 0) },
    { "paddsw", gen_sse_int, SSE_OP(SSE_PADDS, 1) },
    { "psubsb", gen_sse_int, SSE_OP(SSE_PSUBS, 0) },
    { "psubsw", gen_sse_int, SSE_OP(SSE_PSUBS, 1) },
    { "pcmpeqb", gen_sse_int, SSE_OP(SSE_PCMPEQ, 0) },
    { "pcmpeqw", gen_sse_int, SSE_OP(SSE_PCMPEQ, 1) },
    { "pcmpeqd", gen_sse_int, SSE_OP(SSE_PCMPEQ, 2) },
    { "pcmpgtb", gen_sse_int, SSE_OP(SSE_PCMPGT, 0) },
    { "pcmpgtw", gen_sse_int, SSE_OP(SSE_PCMPGT, 1) },
    { "pcmpgtd", gen_sse_int, SSE_OP(SSE_PCMPGT, 2) },
    { "pminub", gen_sse_int, SSE_OP(SSE_PMINU, 0) },
    { "pmaxub", gen_sse_int, SSE_OP(SSE_PMAXU, 0) },
    { "pminsw", gen_sse_int, SSE_OP(SSE_PMINS, 1) },
    { "pmaxsw", gen_sse_int, SSE_OP(SSE_PMAXS, 1) },
    { "pavgb", gen_sse_int, SSE_OP(SSE_PAVG, 0) },
    { "pavgw", gen_sse_int, SSE_OP(SSE_PAVG, 1) },
    { "pmullw", gen_sse_int, SSE_OP(SSE_PMULL, 1) },
    { "pmulhw", gen_sse_int, SSE_OP(SSE_PMULH, 1) },
    { "pmulhuw", gen_sse_int, SSE_OP(SSE_PMULHU, 1) },
    { "pmuludq", gen_sse_int, SSE_OP(SSE_PMULUDQ, 2) },
    { "pmaddwd", gen_sse_int, SSE_OP(SSE_PMADDWD, 1) },
    { "psadbw", gen_sse_int, SSE_OP(SSE_PSADBW, 0) },
    { "punpcklbw", gen_sse_int, SSE_OP(SSE_PUNPCKL, 0) },
    { "punpcklwd", gen_sse_int, SSE_OP(SSE_PUNPCKL, 1) },
    { "punpckldq", gen_sse_int, SSE_OP(SSE_PUNPCKL, 2) },
    { "punpcklqdq", gen_sse_int, SSE_OP(SSE_PUNPCKL, 3) },
    { "punpckhbw", gen_sse_int, SSE_OP(SSE_PUNPCKH, 0) },
    { "punpckhwd", gen_sse_int, SSE_OP(SSE_PUNPCKH, 1) },
    { "punpckhdq", gen_sse_int, SSE_OP(SSE_PUNPCKH, 2) },
    { "punpckhqdq", gen_sse_int, SSE_OP(SSE_PUNPCKH, 3) },
    { "unpcklps", gen_sse_int, SSE_OP(SSE_PUNPCKL, 2) },
    { "unpcklpd", gen_sse_int, SSE_OP(SSE_PUNPCKL, 3) },
    { "unpckhps", gen_sse_int, SSE_OP(SSE_PUNPCKH, 2) },
    { "unpckhpd", gen_sse_int, SSE_OP(SSE_PUNPCKH, 3) },
    { "packsswb", gen_sse_int, SSE_OP(SSE_PACKSS, 1) },
    { "packssdw", gen_sse_int, SSE_OP(SSE_PACKSS, 2) },
    { "packuswb", gen_sse_int, SSE_OP(SSE_PACKUS, 1) },
    { "psrlw", gen_sse_int, SSE_OP(SSE_PSRL, 1) },
    { "psrld", gen_sse_int, SSE_OP(SSE_PSRL, 2) },
    { "psrlq", gen_sse_int, SSE_OP(SSE_PSRL, 3) },
    { "psraw", gen_sse_int, SSE_OP(SSE_PSRA, 1) },
    { "psrad", gen_sse_int, SSE_OP(SSE_PSRA, 2) },
    { "psllw", gen_sse_int, SSE_OP(SSE_PSLL, 1) },
    { "pslld", gen_sse_int, SSE_OP(SSE_PSLL, 2) },
    { "psllq", gen_sse_int, SSE_OP(SSE_PSLL, 3) },
    { "psrldq", gen_sse_int, SSE_OP(SSE_PSRLDQ, 0) },
    { "pslldq", gen_sse_int, SSE_OP(SSE_PSLLDQ, 0) },
    { "pshufd", gen_sse_int, SSE_OP(SSE_PSHUFD, 0) },
    { "pshuflw", gen_sse_int, SSE_OP(SSE_PSHUFLW, 0) },
    { "pshufhw", gen_sse_int, SSE_OP(SSE_PSHUFHW, 0) },
    { "pshufw", gen_sse_int, SSE_OP(SSE_PSHUFLW, 0) },
    { "shufps", gen_sse_int, SSE_OP(SSE_SHUFPS, 0) },
    { "shufpd", gen_sse_int, SSE_OP(SSE_SHUFPD, 0) },
    { "pmovmskb", gen_movmsk, 0 }, { "movmskps", gen_movmsk, 2 },
    { "movmskpd", gen_movmsk, 3 },
    { "pinsrw", gen_pinsrw, 0 }, { "pextrw", gen_pextrw, 0 },
    { "maskmovq", gen_maskmov, 0 }, { "maskmovdqu", gen_maskmov, 0 },
    { "emms", gen_emms, 0 },
    FP4("add", SSE_ADD), FP4("sub", SSE_SUB), FP4("mul", SSE_MUL),
    FP4("div", SSE_DIV), FP4("min", SSE_MIN), FP4("max", SSE_MAX),
    FP4("sqrt", SSE_SQRT), FP4("cmp", SSE_CMP),
    { "rcpps", gen_sse_fp, SSE_OP(SSE_RCP, SSE_FMT_PS) },
    { "rcpss", gen_sse_fp, SSE_OP(SSE_RCP, SSE_FMT_SS) },
    { "rsqrtps", gen_sse_fp, SSE_OP(SSE_RSQRT, SSE_FMT_PS) },
    { "rsqrtss", gen_sse_fp, SSE_OP(SSE_RSQRT, SSE_FMT_SS) },
    { "cvtps2pd", gen_sse_fp, SSE_OP(SSE_CVTPS2PD, 0) },
    { "cvtpd2ps", gen_sse_fp, SSE_OP(SSE_CVTPD2PS, 0) },
    { "cvtss2sd", gen_sse_fp, SSE_OP(SSE_CVTSS2SD, 0) },
    { "cvtsd2ss", gen_sse_fp, SSE_OP(SSE_CVTSD2SS, 0) },
    { "cvtdq2ps", gen_sse_fp, SSE_OP(SSE_CVTDQ2PS, 0) },
    { "cvtps2dq", gen_sse_fp, SSE_OP(SSE_CVTPS2DQ, 0) },
    { "cvttps2dq", gen_sse_fp, SSE_OP(SSE_CVTTPS2DQ, 0) },
    { "cvtdq2pd", gen_sse_fp, SSE_OP(SSE_CVTDQ2PD, 0) },
    { "cvtpd2dq", gen_sse_fp, SSE_OP(SSE_CVTPD2DQ, 0) },
    { "cvttpd2dq", gen_sse_fp, SSE_OP(SSE_CVTTPD2DQ, 0) },
    { "cvtpi2ps", gen_sse_fp, SSE_OP(SSE_CVTPI2PS, 0) },
    { "cvtpi2pd", gen_sse_fp, SSE_OP(SSE_CVTDQ2PD, 0) },
    { "cvtps2pi", gen_sse_fp, SSE_OP(SSE_CVTPS2PI, 0) },
    { "cvttps2pi", gen_sse_fp, SSE_OP(SSE_CVTTPS2PI, 0) },
    { "cvtpd2pi", gen_sse_fp, SSE_OP(SSE_CVTPD2DQ, 0) },
    { "cvttpd2pi", gen_sse_fp, SSE_OP(SSE_CVTTPD2DQ, 0) },
    { "ucomiss", gen_comi, 0 }, { "ucomisd", gen_comi, SSE_CVT_DOUBLE },
    { "comiss", gen_comi, SSE_CVT_SIGNALING },
    { "comisd", gen_comi, SSE_CVT_SIGNALING | SSE_CVT_DOUBLE },
    { "cvtsi2ss", gen_cvtsi, 0 }, { "cvtsi2sd", gen_cvtsi, SSE_CVT_DOUBLE },
    { "cvtss2si", gen_cvt2si, 0 }, { "cvtsd2si", gen_cvt2si, SSE_CVT_DOUBLE },
    { "cvttss2si", gen_cvt2si, SSE_CVT_TRUNC },
    { "cvttsd2si", gen_cvt2si, SSE_CVT_TRUNC | SSE_CVT_DOUBLE },
    { "ldmxcsr", gen_ldmxcsr, 0 }, { "stmxcsr", gen_stmxcsr, 0 },
};

const X86OpsList *x86_sse_list(void)
{
    static const X86OpsList list = { sse_gens, G_N_ELEMENTS(sse_gens) };

    return &list;
}
