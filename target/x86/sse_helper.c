/*
 * The SSE, SSE2 and MMX helpers of translated x86-64 code: packed
 * integer operations and shuffles, and the floating-point operations,
 * which run on the soft-float core (fpu/softfloat.c) so that rounding,
 * flags, DAZ, FTZ and NaN results are x86's on every host.  Operands are
 * env->xmm[] registers, env->xmm_tmp (the memory operand the translator
 * loaded) or MMX registers, which are the significands of the x87
 * registers (env->fpregs[n].sig, by physical number); each helper
 * computes into a local copy and writes the destination last, so a
 * destination that is also the source reads the old value, and an
 * unmasked exception (#XM) leaves it unchanged, as on the CPU.  (In the
 * default MXCSR the translator does ADD, SUB, MUL, DIV and SQRT inline on
 * the host FPU instead, translate-sse.c.)  The
 * lanes are handled by size (1, 2, 4 or 8 bytes) and the register by
 * width (8 bytes for MMX, 16 for XMM) rather than by one function per
 * size: simple first; the inline 128-bit IR is the next stage
 * (docs/devel/x86.md).
 */
#include <string.h>

#include <glib.h>

#include "mimic/exec.h"
#include "mimic/softfloat.h"
#include "helper.h"
#include "sse.h"
#include "sse4.h"

static bool is_mm(uint32_t n)
{
    return n >= X86_MM0;
}

/* A copy of register n; an MMX register in the low half, zeros above
   (sse4_helper.c uses it too). */
X86XMMReg sse_get_reg(CPUX86State *env, uint32_t n)
{
    X86XMMReg r = { .q = { 0, 0 } };

    if (!is_mm(n))
        return *xmm(env, n);
    r.q[0] = env->fpregs[n & 7].sig;
    return r;
}

/* Writes register n: an MMX register takes the low half, and its x87
   register's sign and exponent become all ones, as on the CPU. */
void sse_put_reg(CPUX86State *env, uint32_t n, const X86XMMReg *r)
{
    if (!is_mm(n)) {
        *xmm(env, n) = *r;
        return;
    }
    env->fpregs[n & 7].sig = r->q[0];
    env->fpregs[n & 7].se = 0xffff;
}

/* GCC's portable vector types (one host SIMD insn per op where the host
   has them), for the common whole-register cases. */
typedef uint8_t V16u8 __attribute__((vector_size(16)));
typedef int8_t V16s8 __attribute__((vector_size(16)));
typedef uint16_t V8u16 __attribute__((vector_size(16)));
typedef int16_t V8s16 __attribute__((vector_size(16)));
typedef uint32_t V4u32 __attribute__((vector_size(16)));
typedef int32_t V4s32 __attribute__((vector_size(16)));
typedef uint64_t V2u64 __attribute__((vector_size(16)));

/* ---- Lanes ---- */

static int64_t slane(const X86XMMReg *r, unsigned sz, unsigned i)
{
    switch (sz) {
    case 0: return (int8_t)r->b[i];
    case 1: return (int16_t)r->w[i];
    case 2: return (int32_t)r->l[i];
    default: return (int64_t)r->q[i];
    }
}

static void set_lane(X86XMMReg *r, unsigned sz, unsigned i, uint64_t v)
{
    switch (sz) {
    case 0: r->b[i] = (uint8_t)v; break;
    case 1: r->w[i] = (uint16_t)v; break;
    case 2: r->l[i] = (uint32_t)v; break;
    default: r->q[i] = v;
    }
}

static int64_t sat_signed(int64_t v, unsigned bits)
{
    int64_t max = (int64_t)((1ull << (bits - 1)) - 1);

    return v > max ? max : v < -max - 1 ? -max - 1 : v;
}

static uint64_t sat_unsigned(int64_t v, unsigned bits)
{
    int64_t max = (int64_t)((1ull << bits) - 1);

    return (uint64_t)(v > max ? max : v < 0 ? 0 : v);
}

/* ---- Packed integer operations ---- */

/* The lane-wise operations: one lane of a and b, of size sz. */
static uint64_t lane_op(unsigned kind, unsigned sz, const X86XMMReg *a,
                        const X86XMMReg *b, unsigned i)
{
    unsigned bits = 8u << sz;
    uint64_t ua = lane(a, sz, i), ub = lane(b, sz, i);
    int64_t sa = slane(a, sz, i), sb = slane(b, sz, i);

    switch (kind) {
    case SSE_PADD: return ua + ub;
    case SSE_PSUB: return ua - ub;
    case SSE_PADDUS: return sat_unsigned((int64_t)(ua + ub), bits);
    case SSE_PSUBUS: return sat_unsigned((int64_t)ua - (int64_t)ub, bits);
    case SSE_PADDS: return (uint64_t)sat_signed(sa + sb, bits);
    case SSE_PSUBS: return (uint64_t)sat_signed(sa - sb, bits);
    case SSE_PCMPEQ: return ua == ub ? ~0ull : 0;
    case SSE_PCMPGT: return sa > sb ? ~0ull : 0;
    case SSE_PMINU: return ua < ub ? ua : ub;
    case SSE_PMAXU: return ua > ub ? ua : ub;
    case SSE_PMINS: return (uint64_t)(sa < sb ? sa : sb);
    case SSE_PMAXS: return (uint64_t)(sa > sb ? sa : sb);
    case SSE_PAVG: return (ua + ub + 1) >> 1;
    case SSE_PMULL: return (uint64_t)(sa * sb);
    case SSE_PMULH: return (uint64_t)(sa * sb) >> bits;
    case SSE_PMULHU: return (ua * ub) >> bits;
    }
    g_assert_not_reached();
}

/* PSRL, PSRA, PSLL by count (the source's low 64 bits, all of them) on
   the register's bytes. */
static void shift(unsigned kind, unsigned sz, unsigned bytes, X86XMMReg *r,
                  uint64_t count)
{
    unsigned bits = 8u << sz, n = bytes >> sz;

    if (bytes == 16 && sz > 0) {
        /* Whole-vector shifts (the vector types of sse_int_fast). */
        int c = count >= bits ? (int)bits - 1 : (int)count;

        if (kind != SSE_PSRA && count >= bits) {
            memset(r, 0, sizeof(*r));
            return;
        }
#define VEC_SHIFT(T, expr)                                                 \
    do {                                                                   \
        T v;                                                               \
        memcpy(&v, r, 16);                                                 \
        v = (expr);                                                        \
        memcpy(r, &v, 16);                                                 \
    } while (0)
        switch (kind * 4 + sz) {
        case SSE_PSRL * 4 + 1: VEC_SHIFT(V8u16, v >> c); return;
        case SSE_PSRL * 4 + 2: VEC_SHIFT(V4u32, v >> c); return;
        case SSE_PSRL * 4 + 3: VEC_SHIFT(V2u64, v >> c); return;
        case SSE_PSLL * 4 + 1: VEC_SHIFT(V8u16, v << c); return;
        case SSE_PSLL * 4 + 2: VEC_SHIFT(V4u32, v << c); return;
        case SSE_PSLL * 4 + 3: VEC_SHIFT(V2u64, v << c); return;
        case SSE_PSRA * 4 + 1: VEC_SHIFT(V8s16, v >> c); return;
        case SSE_PSRA * 4 + 2: VEC_SHIFT(V4s32, v >> c); return;
        default: break;
        }
#undef VEC_SHIFT
    }
    for (unsigned i = 0; i < n; i++) {
        uint64_t v;

        if (kind == SSE_PSRA) {
            v = (uint64_t)(slane(r, sz, i) >>
                           (count >= bits ? bits - 1 : count));
        } else if (count >= bits) {
            v = 0;
        } else {
            v = kind == SSE_PSRL ? lane(r, sz, i) >> count
                                 : lane(r, sz, i) << count;
        }
        set_lane(r, sz, i, v);
    }
}

/* The operations that move lanes across the register or combine
   several: r = op(a, b), on registers of bytes bytes. */
static void cross_op(unsigned kind, unsigned sz, unsigned bytes,
                     X86XMMReg *r, const X86XMMReg *a, const X86XMMReg *b,
                     unsigned imm)
{
    unsigned n = bytes >> sz, bits = 8u << sz;

    switch (kind) {
    case SSE_PMULUDQ:
        r->q[0] = (uint64_t)a->l[0] * b->l[0];
        r->q[1] = (uint64_t)a->l[2] * b->l[2];
        break;
    case SSE_PMADDWD:
        for (unsigned i = 0; i < 4; i++) {
            int64_t s = (int64_t)(int16_t)a->w[2 * i] * (int16_t)b->w[2 * i] +
                        (int64_t)(int16_t)a->w[2 * i + 1] *
                        (int16_t)b->w[2 * i + 1];

            r->l[i] = (uint32_t)s;  /* only -2^15 * -2^15 * 2 wraps */
        }
        break;
    case SSE_PSADBW:
        for (unsigned h = 0; h < bytes / 8; h++) {
            uint64_t s = 0;

            for (unsigned i = 8 * h; i < 8 * h + 8; i++)
                s += a->b[i] > b->b[i] ? a->b[i] - b->b[i]
                                       : b->b[i] - a->b[i];
            r->q[h] = s;
        }
        break;
    case SSE_PUNPCKL:
    case SSE_PUNPCKH: {
        unsigned base = kind == SSE_PUNPCKH ? n / 2 : 0;

        for (unsigned i = 0; i < n / 2; i++) {
            set_lane(r, sz, 2 * i, lane(a, sz, base + i));
            set_lane(r, sz, 2 * i + 1, lane(b, sz, base + i));
        }
        break;
    }
    case SSE_PACKSS:
    case SSE_PACKUS:
        /* sz is the source lanes' size; the result's is sz - 1. */
        for (unsigned i = 0; i < 2 * n; i++) {
            int64_t v = slane(i < n ? a : b, sz, i % n);

            set_lane(r, sz - 1, i, kind == SSE_PACKSS
                     ? (uint64_t)sat_signed(v, bits / 2)
                     : sat_unsigned(v, bits / 2));
        }
        break;
    case SSE_PSRLDQ:
    case SSE_PSLLDQ:
        memset(r, 0, sizeof(*r));
        for (unsigned i = 0; i < 16; i++) {
            unsigned from = kind == SSE_PSRLDQ ? i + imm : i - imm;

            if (from < 16)       /* i - imm wraps past 16 when below */
                r->b[i] = a->b[from];
        }
        break;
    case SSE_PSHUFD:
        for (unsigned i = 0; i < 4; i++)
            r->l[i] = b->l[(imm >> (2 * i)) & 3];
        break;
    case SSE_PSHUFLW:
    case SSE_PSHUFHW: {
        unsigned base = kind == SSE_PSHUFHW ? 4 : 0;

        *r = *b;
        for (unsigned i = 0; i < 4; i++)
            r->w[base + i] = b->w[base + ((imm >> (2 * i)) & 3)];
        break;
    }
    case SSE_SHUFPS:
        r->l[0] = a->l[imm & 3];
        r->l[1] = a->l[(imm >> 2) & 3];
        r->l[2] = b->l[(imm >> 4) & 3];
        r->l[3] = b->l[(imm >> 6) & 3];
        break;
    case SSE_SHUFPD:
        r->q[0] = a->q[imm & 1];
        r->q[1] = b->q[(imm >> 1) & 1];
        break;
    default:
        g_assert_not_reached();
    }
}

/*
 * The ops glibc's string and memory functions run most (PCMPEQB, PMINUB,
 * PADD/PSUB, compares) on two XMM registers, as whole-vector operations
 * of GCC's portable vector extension (one host SIMD insn where the host
 * has them).  True when op was one of them.
 */

static bool sse_int_fast(X86XMMReg *d, const X86XMMReg *s, uint32_t op)
{
#define VEC_OP(T, expr)                                                    \
    do {                                                                   \
        T a, b, r;                                                         \
        memcpy(&a, d, 16);                                                 \
        memcpy(&b, s, 16);                                                 \
        r = (T)(expr);                                                     \
        memcpy(d, &r, 16);                                                 \
    } while (0)
    switch (op) {
    case SSE_OP(SSE_PCMPEQ, 0): VEC_OP(V16s8, a == b); return true;
    case SSE_OP(SSE_PCMPEQ, 1): VEC_OP(V8s16, a == b); return true;
    case SSE_OP(SSE_PCMPEQ, 2): VEC_OP(V4s32, a == b); return true;
    case SSE_OP(SSE_PCMPGT, 0): VEC_OP(V16s8, a > b); return true;
    case SSE_OP(SSE_PCMPGT, 1): VEC_OP(V8s16, a > b); return true;
    case SSE_OP(SSE_PCMPGT, 2): VEC_OP(V4s32, a > b); return true;
    case SSE_OP(SSE_PMINU, 0):
        VEC_OP(V16u8, (a & (V16u8)(a < b)) | (b & ~(V16u8)(a < b)));
        return true;
    case SSE_OP(SSE_PMAXU, 0):
        VEC_OP(V16u8, (a & (V16u8)(a > b)) | (b & ~(V16u8)(a > b)));
        return true;
    case SSE_OP(SSE_PADD, 0): VEC_OP(V16u8, a + b); return true;
    case SSE_OP(SSE_PADD, 1): VEC_OP(V8u16, a + b); return true;
    case SSE_OP(SSE_PADD, 2): VEC_OP(V4u32, a + b); return true;
    case SSE_OP(SSE_PADD, 3): VEC_OP(V2u64, a + b); return true;
    case SSE_OP(SSE_PSUB, 0): VEC_OP(V16u8, a - b); return true;
    case SSE_OP(SSE_PSUB, 1): VEC_OP(V8u16, a - b); return true;
    case SSE_OP(SSE_PSUB, 2): VEC_OP(V4u32, a - b); return true;
    case SSE_OP(SSE_PSUB, 3): VEC_OP(V2u64, a - b); return true;
    default: return false;
    }
#undef VEC_OP
}

void helper_sse_int(X86CPU *cpu, uint32_t op, uint32_t d, uint32_t s,
                    uint32_t imm)
{
    CPUX86State *env = &cpu->env;
    unsigned kind = op >> 2, sz = op & 3, bytes = is_mm(d) ? 8 : 16;
    X86XMMReg a, b, r;

    if (!is_mm(d) && !is_mm(s) && sse_int_fast(xmm(env, d), xmm(env, s), op))
        return;
    a = sse_get_reg(env, d);
    b = sse_get_reg(env, s);
    r = a;
    if (kind <= SSE_PMULHU) {
        for (unsigned i = 0; i < bytes >> sz; i++)
            set_lane(&r, sz, i, lane_op(kind, sz, &a, &b, i));
    } else if (kind >= SSE_PSRL && kind <= SSE_PSLL) {
        shift(kind, sz, bytes, &r, b.q[0]);
    } else {
        cross_op(kind, sz, bytes, &r, &a, &b, imm & 0xff);
    }
    sse_put_reg(env, d, &r);
}

uint64_t helper_sse_movmsk(X86CPU *cpu, uint32_t sz, uint32_t s)
{
    X86XMMReg r = sse_get_reg(&cpu->env, s);
    unsigned n = (is_mm(s) ? 8u : 16u) >> sz, top = (8u << sz) - 1;
    uint64_t m = 0;

    if (sz == 0) {
        /* PMOVMSKB: each byte's top bit, gathered 8 at a time by one
           multiply (bit 7 of byte k lands in bit 56 + k). */
        const uint64_t hi = 0x8080808080808080ull, gather = 0x0002040810204081ull;

        m = ((r.q[0] & hi) * gather) >> 56 & 0xff;
        if (n == 16)
            m |= (((r.q[1] & hi) * gather) >> 56 & 0xff) << 8;
        return m;
    }

    for (unsigned i = 0; i < n; i++)
        m |= ((lane(&r, sz, i) >> top) & 1) << i;
    return m;
}

/* Whether the bytes the mask leaves out may fault is the CPU's choice
   (the SDM); the host CPU checks all of them, even with a zero mask, and
   so does this, before it writes any. */
void helper_sse_maskmov(X86CPU *cpu, uint64_t addr, uint32_t d, uint32_t s)
{
    CPUX86State *env = &cpu->env;
    uintptr_t ra = GETPC();
    X86XMMReg v = sse_get_reg(env, d), m = sse_get_reg(env, s);
    unsigned bytes = is_mm(d) ? 8 : 16;

    probe_access(&cpu->parent, addr, (int)bytes, MMU_DATA_STORE, 0, ra);
    for (unsigned i = 0; i < bytes; i++) {
        if (m.b[i] & 0x80)
            cpu_st_mmu(&cpu->parent, addr + i, v.b[i],
                       make_memop_idx(MO_UB, 0), ra);
    }
}

/* ---- Floating point ---- */

/* The soft-float environment MXCSR describes (sse4_helper.c uses it too). */
FloatStatus sse_status(const CPUX86State *env)
{
    static const uint8_t rc[4] = {
        FLOAT_ROUND_NEAREST_EVEN, FLOAT_ROUND_DOWN, FLOAT_ROUND_UP,
        FLOAT_ROUND_TO_ZERO,
    };

    return (FloatStatus){
        .round = rc[(env->mxcsr >> X86_MXCSR_RC_SHIFT) & 3],
        .tininess = FLOAT_TININESS_AFTER_ROUNDING,
        .nan_rule = FLOAT_NAN_FIRST,
        .int_overflow = FLOAT_INT_INDEFINITE,
        .default_nan_negative = true,
        .flush_to_zero = (env->mxcsr & X86_MXCSR_FTZ) != 0,
        .denormals_are_zero = (env->mxcsr & X86_MXCSR_DAZ) != 0,
        .overflow_trapped = !(env->mxcsr &
                              X86_MXCSR_OE << X86_MXCSR_MASK_SHIFT),
    };
}

static uint32_t mxcsr_flags(unsigned f)
{
    return (f & FLOAT_FLAG_INVALID ? X86_MXCSR_IE : 0) |
           (f & FLOAT_FLAG_INPUT_DENORMAL ? X86_MXCSR_DE : 0) |
           (f & FLOAT_FLAG_DIVBYZERO ? X86_MXCSR_ZE : 0) |
           (f & FLOAT_FLAG_OVERFLOW ? X86_MXCSR_OE : 0) |
           (f & FLOAT_FLAG_UNDERFLOW ? X86_MXCSR_UE : 0) |
           (f & FLOAT_FLAG_INEXACT ? X86_MXCSR_PE : 0);
}

/*
 * Accrues the flags st raised into MXCSR, or raises #XM when one is
 * unmasked.  As the SDM's SIMD exception rules say, an unmasked
 * pre-computation exception (IE, DE, ZE) in any lane stops the insn
 * with only those flags set; else an unmasked post-computation one (OE,
 * UE, PE) stops it with every flag set.  The caller writes its
 * destination only when this returns.  sse4_helper.c uses it too.
 */
void sse_accrue(X86CPU *cpu, const FloatStatus *st, uintptr_t ra)
{
    CPUX86State *env = &cpu->env;
    uint32_t f = mxcsr_flags(st->flags);
    uint32_t unmasked = ~(env->mxcsr >> X86_MXCSR_MASK_SHIFT) &
                        X86_MXCSR_FLAGS;
    uint32_t pre = f & (X86_MXCSR_IE | X86_MXCSR_DE | X86_MXCSR_ZE);

    if (pre & unmasked)
        f = pre;
    env->mxcsr |= f;
    if (f & unmasked) {
        cpu->parent.exception_index = X86_EXCP_XM;
        cpu_loop_exit_restore(&cpu->parent, ra);
    }
}

/* CMPPS/CMPSS predicates: EQ LT LE UNORD NEQ NLT NLE ORD.  LT, LE and
   their negations are signaling (any NaN is invalid). */
static bool cmp_pred(FloatRelation r, unsigned pred)
{
    bool t;

    switch (pred & 3) {
    case 0: t = r == FLOAT_EQUAL; break;
    case 1: t = r == FLOAT_LESS; break;
    case 2: t = r == FLOAT_LESS || r == FLOAT_EQUAL; break;
    default: t = r == FLOAT_UNORDERED; break;
    }
    return pred & 4 ? !t : t;
}

/*
 * RCPPS/RCPSS and RSQRTPS/RSQRTSS.  The CPU's results are approximations
 * within a relative 1.5 * 2^-12, read from tables that differ between
 * Intel and AMD; Mimic's are the correctly rounded 1/x and 1/sqrt(x)
 * (QEMU's choice too), within that bound.  As on both vendors: MXCSR's
 * rounding mode, DAZ and FTZ do not apply, a denormal operand reads as
 * a zero of its sign, a tiny reciprocal is a zero of the operand's sign,
 * and no flag is raised (st is only read).
 */
static uint32_t f32_approx(unsigned kind, uint32_t b, const FloatStatus *st)
{
    FloatStatus t = *st;
    uint32_t r;

    t.round = FLOAT_ROUND_NEAREST_EVEN;
    t.denormals_are_zero = true;
    t.flush_to_zero = false;
    if (kind == SSE_RSQRT)
        b = f32_sqrt(b, &t);
    r = f32_div(0x3f800000, b, &t);
    if ((r & 0x7f800000) == 0)
        r &= 0x80000000;
    return r;
}

static uint32_t f32_op(unsigned kind, uint32_t a, uint32_t b, unsigned imm,
                       FloatStatus *st)
{
    switch (kind) {
    case SSE_ADD: return f32_add(a, b, st);
    case SSE_SUB: return f32_sub(a, b, st);
    case SSE_MUL: return f32_mul(a, b, st);
    case SSE_DIV: return f32_div(a, b, st);
    case SSE_MIN: return f32_minmax(a, b, FLOAT_MINMAX_X86, false, st);
    case SSE_MAX: return f32_minmax(a, b, FLOAT_MINMAX_X86, true, st);
    case SSE_SQRT: return f32_sqrt(b, st);
    case SSE_RCP:
    case SSE_RSQRT: return f32_approx(kind, b, st);
    default:
        return cmp_pred(f32_compare(a, b, ((imm & 3) - 1) < 2, st), imm)
               ? ~0u : 0;
    }
}

static uint64_t f64_op(unsigned kind, uint64_t a, uint64_t b, unsigned imm,
                       FloatStatus *st)
{
    switch (kind) {
    case SSE_ADD: return f64_add(a, b, st);
    case SSE_SUB: return f64_sub(a, b, st);
    case SSE_MUL: return f64_mul(a, b, st);
    case SSE_DIV: return f64_div(a, b, st);
    case SSE_MIN: return f64_minmax(a, b, FLOAT_MINMAX_X86, false, st);
    case SSE_MAX: return f64_minmax(a, b, FLOAT_MINMAX_X86, true, st);
    case SSE_SQRT: return f64_sqrt(b, st);
    default:
        return cmp_pred(f64_compare(a, b, ((imm & 3) - 1) < 2, st), imm)
               ? ~0ull : 0;
    }
}

/* The conversions: r from a (the destination's old value) and b. */
static void fp_convert(unsigned kind, X86XMMReg *r, const X86XMMReg *b,
                       FloatStatus *st)
{
    FloatRound rm = (FloatRound)st->round;
    X86XMMReg t = { .q = { 0, 0 } };

    switch (kind) {
    case SSE_CVTSS2SD:
        r->q[0] = f32_to_f64(b->l[0], st);
        return;
    case SSE_CVTPI2PS:
        r->l[0] = f32_from_int64((int32_t)b->l[0], st);
        r->l[1] = f32_from_int64((int32_t)b->l[1], st);
        return;
    case SSE_CVTSD2SS:
        r->l[0] = f64_to_f32(b->q[0], st);
        return;
    case SSE_CVTPS2PD:
        t.q[0] = f32_to_f64(b->l[0], st);
        t.q[1] = f32_to_f64(b->l[1], st);
        break;
    case SSE_CVTPD2PS:
        t.l[0] = f64_to_f32(b->q[0], st);
        t.l[1] = f64_to_f32(b->q[1], st);
        break;
    case SSE_CVTDQ2PS:
        for (unsigned i = 0; i < 4; i++)
            t.l[i] = f32_from_int64((int32_t)b->l[i], st);
        break;
    case SSE_CVTPS2DQ:
    case SSE_CVTTPS2DQ:
    case SSE_CVTPS2PI:
    case SSE_CVTTPS2PI:
        if (kind == SSE_CVTTPS2DQ || kind == SSE_CVTTPS2PI)
            rm = FLOAT_ROUND_TO_ZERO;
        for (unsigned i = 0; i < (kind >= SSE_CVTPS2PI ? 2 : 4); i++)
            t.l[i] = (uint32_t)f32_to_int(b->l[i], 32, true, rm, st);
        break;
    case SSE_CVTDQ2PD:
        t.q[0] = f64_from_int64((int32_t)b->l[0], st);
        t.q[1] = f64_from_int64((int32_t)b->l[1], st);
        break;
    case SSE_CVTPD2DQ:
    case SSE_CVTTPD2DQ:
        if (kind == SSE_CVTTPD2DQ)
            rm = FLOAT_ROUND_TO_ZERO;
        t.l[0] = (uint32_t)f64_to_int(b->q[0], 32, true, rm, st);
        t.l[1] = (uint32_t)f64_to_int(b->q[1], 32, true, rm, st);
        break;
    default:
        g_assert_not_reached();
    }
    *r = t;
}

void helper_sse_fp(X86CPU *cpu, uint32_t op, uint32_t d, uint32_t s,
                   uint32_t imm)
{
    CPUX86State *env = &cpu->env;
    unsigned kind = op >> 2, fmt = op & 3;
    X86XMMReg a, b, r;
    FloatStatus st;

    a = sse_get_reg(env, d);
    b = sse_get_reg(env, s);
    r = a;
    st = sse_status(env);
    if (kind >= SSE_CVTPS2PD) {
        fp_convert(kind, &r, &b, &st);
    } else if (fmt == SSE_FMT_PS || fmt == SSE_FMT_SS) {
        unsigned n = fmt == SSE_FMT_PS ? 4 : 1;

        for (unsigned i = 0; i < n; i++)
            r.l[i] = f32_op(kind, a.l[i], b.l[i], imm, &st);
    } else {
        unsigned n = fmt == SSE_FMT_PD ? 2 : 1;

        for (unsigned i = 0; i < n; i++)
            r.q[i] = f64_op(kind, a.q[i], b.q[i], imm, &st);
    }
    sse_accrue(cpu, &st, GETPC());
    sse_put_reg(env, d, &r);
}

uint64_t helper_sse_comi(X86CPU *cpu, uint32_t op, uint32_t d, uint32_t s)
{
    CPUX86State *env = &cpu->env;
    const X86XMMReg *a = xmm(env, d), *b = xmm(env, s);
    FloatStatus st = sse_status(env);
    bool sig = (op & SSE_CVT_SIGNALING) != 0;
    FloatRelation r = op & SSE_CVT_DOUBLE
                      ? f64_compare(a->q[0], b->q[0], sig, &st)
                      : f32_compare(a->l[0], b->l[0], sig, &st);

    sse_accrue(cpu, &st, GETPC());
    switch (r) {
    case FLOAT_UNORDERED: return X86_ZF | X86_PF | X86_CF;
    case FLOAT_LESS: return X86_CF;
    case FLOAT_EQUAL: return X86_ZF;
    default: return 0;
    }
}

void helper_sse_cvtsi(X86CPU *cpu, uint32_t op, uint32_t d, uint64_t v)
{
    CPUX86State *env = &cpu->env;
    FloatStatus st = sse_status(env);
    uint64_t r = op & SSE_CVT_DOUBLE ? f64_from_int64((int64_t)v, &st)
                                     : f32_from_int64((int64_t)v, &st);

    sse_accrue(cpu, &st, GETPC());
    if (op & SSE_CVT_DOUBLE)
        xmm(env, d)->q[0] = r;
    else
        xmm(env, d)->l[0] = (uint32_t)r;
}

uint64_t helper_sse_cvt2si(X86CPU *cpu, uint32_t op, uint32_t s)
{
    CPUX86State *env = &cpu->env;
    const X86XMMReg *b = xmm(env, s);
    FloatStatus st = sse_status(env);
    FloatRound rm = op & SSE_CVT_TRUNC ? FLOAT_ROUND_TO_ZERO
                                       : (FloatRound)st.round;
    int width = op & SSE_CVT_64 ? 64 : 32;
    uint64_t r = op & SSE_CVT_DOUBLE
                 ? f64_to_int(b->q[0], width, true, rm, &st)
                 : f32_to_int(b->l[0], width, true, rm, &st);

    sse_accrue(cpu, &st, GETPC());
    return width == 32 ? (uint32_t)r : r;
}

void helper_ldmxcsr(X86CPU *cpu, uint64_t v)
{
    if (v & ~(uint64_t)X86_MXCSR_WRITABLE) {
        cpu->parent.exception_index = X86_EXCP_GP;
        cpu->env.error_code = 0;
        cpu_loop_exit_restore(&cpu->parent, GETPC());
    }
    /* The flags raised so far belong to the MXCSR being replaced. */
    x86_fold_host_fp_exc(cpu);
    x86_set_mxcsr(cpu, (uint32_t)v);
}

uint64_t helper_stmxcsr(X86CPU *cpu)
{
    x86_fold_host_fp_exc(cpu);
    return cpu->env.mxcsr;
}
