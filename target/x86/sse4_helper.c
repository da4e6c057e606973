/*
 * The SSE3, SSSE3, SSE4.1 and SSE4.2 helpers of translated x86-64 code:
 * the packed integer ops, shuffles and blends, the floating-point ones
 * (ADDSUB, horizontal add and subtract, dot products, ROUND*) on the
 * soft-float core with MXCSR's rounding, DAZ, FTZ and flags (sse_helper.c's
 * sse_status and sse_accrue), PTEST, the string compares PCMPxSTRx and
 * CRC32.  As in sse_helper.c, operands are env->xmm[], env->xmm_tmp (a
 * memory operand the translator loaded) or, for SSSE3's MMX forms, an
 * MMX register (sse_get_reg/sse_put_reg); each helper computes into a
 * local copy and writes the destination last, so a destination that is
 * also a source reads its old value and an unmasked #XM changes nothing.
 */
#include <string.h>

#include <glib.h>

#include "mimic/exec.h"
#include "mimic/softfloat.h"
#include "helper.h"
#include "sse.h"
#include "sse4.h"

static int64_t slane(const X86XMMReg *r, unsigned sz, unsigned i)
{
    unsigned shift = 64 - (8u << sz);

    return (int64_t)(lane(r, sz, i) << shift) >> shift;
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

static int64_t sat16(int64_t v)
{
    return v > 32767 ? 32767 : v < -32768 ? -32768 : v;
}

/* ---- Integer ---- */

/* PHADD*, PHSUB* (sz 1, 2; sat: the saturating word forms) on bytes
   (16, 8 for MMX): the sums or differences of adjacent lanes of a, then
   of b. */
static void horizontal(X86XMMReg *r, const X86XMMReg *a, const X86XMMReg *b,
                       unsigned bytes, unsigned sz, bool sub, bool sat)
{
    unsigned n = bytes >> sz, bits = 8u << sz;

    for (unsigned i = 0; i < n; i++) {
        const X86XMMReg *src = i < n / 2 ? a : b;
        unsigned j = 2 * (i % (n / 2));
        int64_t x = slane(src, sz, j), y = slane(src, sz, j + 1);
        int64_t v = sub ? x - y : x + y;

        set_lane(r, sz, i, (uint64_t)(sat ? sat16(v) : v) &
                 ((bits == 64 ? 0 : 1ull << bits) - 1));
    }
}

/* The lane-wise ops of one lane i of size sz. */
static uint64_t lane_op(unsigned kind, unsigned sz, const X86XMMReg *a,
                        const X86XMMReg *b, unsigned i)
{
    uint64_t ua = lane(a, sz, i), ub = lane(b, sz, i);
    int64_t sa = slane(a, sz, i), sb = slane(b, sz, i);

    switch (kind) {
    case S4_PSIGN: return sb < 0 ? (uint64_t)-sa : sb == 0 ? 0 : ua;
    case S4_PABS: return sb < 0 ? (uint64_t)-sb : ub;
    case S4_PMAXS: return (uint64_t)(sa > sb ? sa : sb);
    case S4_PMINS: return (uint64_t)(sa < sb ? sa : sb);
    case S4_PMAXU: return ua > ub ? ua : ub;
    case S4_PMINU: return ua < ub ? ua : ub;
    case S4_PCMPEQQ: return ua == ub ? ~0ull : 0;
    case S4_PCMPGTQ: return sa > sb ? ~0ull : 0;
    case S4_PMULLD: return (uint64_t)(sa * sb);
    }
    g_assert_not_reached();
}

/* The blends: lane i of the result from b where the mask says so. */
static void blend(X86XMMReg *r, const X86XMMReg *b, const X86XMMReg *mask,
                  unsigned sz, unsigned imm)
{
    unsigned n = 16u >> sz, top = (8u << sz) - 1;

    for (unsigned i = 0; i < n; i++) {
        bool take = mask ? (lane(mask, sz, i) >> top) & 1 : (imm >> i) & 1;

        if (take)
            set_lane(r, sz, i, lane(b, sz, i));
    }
}

/* MPSADBW: eight sums of absolute differences of 4-byte groups, a's
   sliding from the block imm[2] picks, b's fixed at the one imm[1:0]
   picks. */
static void mpsadbw(X86XMMReg *r, const X86XMMReg *a, const X86XMMReg *b,
                    unsigned imm)
{
    unsigned ao = (imm & 4) ? 4 : 0, bo = (imm & 3) * 4;

    for (unsigned i = 0; i < 8; i++) {
        unsigned s = 0;

        for (unsigned k = 0; k < 4; k++) {
            int d = (int)a->b[ao + i + k] - (int)b->b[bo + k];

            s += (unsigned)(d < 0 ? -d : d);
        }
        r->w[i] = (uint16_t)s;
    }
}

static void phminposuw(X86XMMReg *r, const X86XMMReg *b)
{
    unsigned at = 0;

    for (unsigned i = 1; i < 8; i++) {
        if (b->w[i] < b->w[at])
            at = i;
    }
    r->q[0] = b->w[at] | (uint64_t)at << 16;
    r->q[1] = 0;
}

/* PMOVSX/PMOVZX: the low lanes of b widened. */
static void pmovx(X86XMMReg *r, const X86XMMReg *b, unsigned arg, bool sign)
{
    unsigned from = arg >> 2, to = arg & 3, n = 16u >> to;
    X86XMMReg t;

    for (unsigned i = 0; i < n; i++)
        set_lane(&t, to, i, sign ? (uint64_t)slane(b, from, i)
                                 : lane(b, from, i));
    *r = t;
}

static void insertps(X86XMMReg *r, const X86XMMReg *b, unsigned imm)
{
    r->l[(imm >> 4) & 3] = b->l[(imm >> 6) & 3];
    for (unsigned i = 0; i < 4; i++) {
        if (imm & (1u << i))
            r->l[i] = 0;
    }
}

/* The SSSE3 ops that combine lanes across the register, on bytes (16,
   or 8 for an MMX register). */
static void ssse3_cross_op(unsigned kind, unsigned x, unsigned bytes,
                           X86XMMReg *r, const X86XMMReg *a,
                           const X86XMMReg *b, unsigned imm)
{
    switch (kind) {
    case S4_PSHUFB:
        for (unsigned i = 0; i < bytes; i++)
            r->b[i] = b->b[i] & 0x80 ? 0 : a->b[b->b[i] & (bytes - 1)];
        break;
    case S4_PHADD: case S4_PHSUB:
        horizontal(r, a, b, bytes, x, kind == S4_PHSUB, false);
        break;
    case S4_PHADDSW: case S4_PHSUBSW:
        horizontal(r, a, b, bytes, 1, kind == S4_PHSUBSW, true);
        break;
    case S4_PMADDUBSW:
        for (unsigned i = 0; i < bytes / 2; i++)
            r->w[i] = (uint16_t)sat16(a->b[2 * i] * (int8_t)b->b[2 * i] +
                                      a->b[2 * i + 1] *
                                      (int8_t)b->b[2 * i + 1]);
        break;
    case S4_PMULHRSW:
        for (unsigned i = 0; i < bytes / 2; i++) {
            int32_t p = (int16_t)a->w[i] * (int16_t)b->w[i];

            r->w[i] = (uint16_t)(((p >> 14) + 1) >> 1);
        }
        break;
    case S4_PALIGNR:
        for (unsigned i = 0; i < bytes; i++) {
            unsigned k = i + imm;   /* byte k of b:a, b the low half */

            r->b[i] = k < bytes ? b->b[k]
                      : k < 2 * bytes ? a->b[k - bytes] : 0;
        }
        break;
    default:
        g_assert_not_reached();
    }
}

/* The SSE4.1 and SSE4.2 ops that combine lanes across the register. */
static void cross_op(unsigned kind, unsigned x, X86XMMReg *r,
                     const X86XMMReg *a, const X86XMMReg *b,
                     const X86XMMReg *x0, unsigned imm)
{
    switch (kind) {
    case S4_BLENDV:
        blend(r, b, x0, x, 0);
        break;
    case S4_BLEND:
        blend(r, b, NULL, x, imm);
        break;
    case S4_MPSADBW:
        mpsadbw(r, a, b, imm);
        break;
    case S4_PACKUSDW:
        for (unsigned i = 0; i < 8; i++) {
            int32_t v = (int32_t)(i < 4 ? a->l[i] : b->l[i - 4]);

            r->w[i] = (uint16_t)(v < 0 ? 0 : v > 65535 ? 65535 : v);
        }
        break;
    case S4_PHMINPOSUW:
        phminposuw(r, b);
        break;
    case S4_PMOVSX: case S4_PMOVZX:
        pmovx(r, b, x, kind == S4_PMOVSX);
        break;
    case S4_PMULDQ:
        r->q[0] = (uint64_t)((int64_t)(int32_t)a->l[0] * (int32_t)b->l[0]);
        r->q[1] = (uint64_t)((int64_t)(int32_t)a->l[2] * (int32_t)b->l[2]);
        break;
    case S4_INSERTPS:
        insertps(r, b, imm);
        break;
    case S4_MOVSHDUP: case S4_MOVSLDUP: {
        unsigned o = kind == S4_MOVSHDUP;
        X86XMMReg t = *b;

        r->l[0] = r->l[1] = t.l[o];
        r->l[2] = r->l[3] = t.l[2 + o];
        break;
    }
    case S4_MOVDDUP:
        r->q[1] = r->q[0] = b->q[0];
        break;
    default:
        g_assert_not_reached();
    }
}

/* An MMX destination (only SSSE3's forms have one) makes it 8 bytes. */
void helper_sse4_int(X86CPU *cpu, uint32_t op, uint32_t d, uint32_t s,
                     uint32_t imm)
{
    CPUX86State *env = &cpu->env;
    unsigned kind = S4_KIND(op), x = S4_ARG(op);
    unsigned bytes = d >= X86_MM0 ? 8 : 16;
    const X86XMMReg a = sse_get_reg(env, d), b = sse_get_reg(env, s);
    const X86XMMReg x0 = env->xmm[0];
    X86XMMReg r = a;

    switch (kind) {
    case S4_PSIGN: case S4_PABS: case S4_PMAXS: case S4_PMINS:
    case S4_PMAXU: case S4_PMINU: case S4_PCMPEQQ: case S4_PCMPGTQ:
    case S4_PMULLD:
        for (unsigned i = 0; i < bytes >> x; i++)
            set_lane(&r, x, i, lane_op(kind, x, &a, &b, i));
        break;
    case S4_PSHUFB: case S4_PHADD: case S4_PHADDSW: case S4_PHSUB:
    case S4_PHSUBSW: case S4_PMADDUBSW: case S4_PMULHRSW: case S4_PALIGNR:
        ssse3_cross_op(kind, x, bytes, &r, &a, &b, imm & 0xff);
        break;
    default:
        cross_op(kind, x, &r, &a, &b, &x0, imm & 0xff);
    }
    sse_put_reg(env, d, &r);
}

/* ---- Floating point ---- */

static uint32_t f32_addsub(uint32_t a, uint32_t b, bool sub, FloatStatus *st)
{
    return sub ? f32_sub(a, b, st) : f32_add(a, b, st);
}

static uint64_t f64_addsub(uint64_t a, uint64_t b, bool sub, FloatStatus *st)
{
    return sub ? f64_sub(a, b, st) : f64_add(a, b, st);
}

/*
 * DPPS: the products imm[7:4] selects (+0 for the others), summed in
 * pairs and the pairs summed, each step rounded as an SSE op of its own
 * (an intermediate subnormal is DE for the next step, or zero under
 * DAZ); the sum goes to the lanes imm[3:0] selects, +0 to the others.
 * The steps are the CPU's: an unmasked exception in one raises #XM with
 * the flags of the steps so far (sse_accrue after each), the later
 * ones' not raised.
 */
static void dpps(X86CPU *cpu, X86XMMReg *r, const X86XMMReg *a,
                 const X86XMMReg *b, unsigned imm, FloatStatus *st,
                 uintptr_t ra)
{
    uint32_t p[4], sum;

    for (unsigned i = 0; i < 4; i++)
        p[i] = imm & (16u << i) ? f32_mul(a->l[i], b->l[i], st) : 0;
    sse_accrue(cpu, st, ra);
    p[0] = f32_add(p[0], p[1], st);
    p[2] = f32_add(p[2], p[3], st);
    sse_accrue(cpu, st, ra);
    sum = f32_add(p[0], p[2], st);
    for (unsigned i = 0; i < 4; i++)
        r->l[i] = imm & (1u << i) ? sum : 0;
}

static void dppd(X86CPU *cpu, X86XMMReg *r, const X86XMMReg *a,
                 const X86XMMReg *b, unsigned imm, FloatStatus *st,
                 uintptr_t ra)
{
    uint64_t p[2], sum;

    for (unsigned i = 0; i < 2; i++)
        p[i] = imm & (16u << i) ? f64_mul(a->q[i], b->q[i], st) : 0;
    sse_accrue(cpu, st, ra);
    sum = f64_add(p[0], p[1], st);
    for (unsigned i = 0; i < 2; i++)
        r->q[i] = imm & (1u << i) ? sum : 0;
}

/* ROUNDPS/PD/SS/SD: imm[1:0] is the rounding (MXCSR.RC's order), imm[2]
   says MXCSR.RC instead, imm[3] suppresses the precision exception. */
static void round_fp(X86XMMReg *r, const X86XMMReg *b, unsigned fmt,
                     unsigned imm, FloatStatus *st)
{
    static const uint8_t rc[4] = {
        FLOAT_ROUND_NEAREST_EVEN, FLOAT_ROUND_DOWN, FLOAT_ROUND_UP,
        FLOAT_ROUND_TO_ZERO,
    };
    FloatRound rm = imm & 4 ? (FloatRound)st->round : (FloatRound)rc[imm & 3];
    bool exact = !(imm & 8);
    unsigned n = fmt == SSE_FMT_PS ? 4 : fmt == SSE_FMT_PD ? 2 : 1;

    for (unsigned i = 0; i < n; i++) {
        if (fmt == SSE_FMT_PS || fmt == SSE_FMT_SS)
            r->l[i] = f32_round_to_int(b->l[i], rm, exact, st);
        else
            r->q[i] = f64_round_to_int(b->q[i], rm, exact, st);
    }
}

void helper_sse4_fp(X86CPU *cpu, uint32_t op, uint32_t d, uint32_t s,
                    uint32_t imm)
{
    CPUX86State *env = &cpu->env;
    unsigned kind = S4_KIND(op), fmt = S4_ARG(op);
    const X86XMMReg a = *xmm(env, d), b = *xmm(env, s);
    bool ps = fmt == SSE_FMT_PS;
    X86XMMReg r = a;
    FloatStatus st = sse_status(env);

    switch (kind) {
    case S4_ADDSUB:
        /* Even lanes subtract, odd lanes add. */
        for (unsigned i = 0; i < (ps ? 4u : 2u); i++) {
            if (ps)
                r.l[i] = f32_addsub(a.l[i], b.l[i], !(i & 1), &st);
            else
                r.q[i] = f64_addsub(a.q[i], b.q[i], !(i & 1), &st);
        }
        break;
    case S4_HADD: case S4_HSUB:
        /* Adjacent lanes of a, then of b, added or subtracted. */
        for (unsigned i = 0; i < (ps ? 4u : 2u); i++) {
            const X86XMMReg *src = i < (ps ? 2u : 1u) ? &a : &b;
            unsigned j = ps ? 2 * (i & 1) : 0;

            if (ps)
                r.l[i] = f32_addsub(src->l[j], src->l[j + 1],
                                    kind == S4_HSUB, &st);
            else
                r.q[i] = f64_addsub(src->q[0], src->q[1],
                                    kind == S4_HSUB, &st);
        }
        break;
    case S4_DP:
        if (ps)
            dpps(cpu, &r, &a, &b, imm & 0xff, &st, GETPC());
        else
            dppd(cpu, &r, &a, &b, imm & 0xff, &st, GETPC());
        break;
    case S4_ROUND:
        round_fp(&r, &b, fmt, imm & 0xff, &st);
        break;
    default:
        g_assert_not_reached();
    }
    sse_accrue(cpu, &st, GETPC());
    *xmm(env, d) = r;
}

/* ---- PTEST, CRC32 ---- */

uint64_t helper_ptest(X86CPU *cpu, uint32_t d, uint32_t s)
{
    const X86XMMReg *a = xmm(&cpu->env, d), *b = xmm(&cpu->env, s);
    uint64_t f = 0;

    if (!((a->q[0] & b->q[0]) | (a->q[1] & b->q[1])))
        f |= X86_ZF;
    if (!((~a->q[0] & b->q[0]) | (~a->q[1] & b->q[1])))
        f |= X86_CF;
    return f;
}

/* CRC-32C (Castagnoli), bit-reflected, as CRC32 computes it: no initial
   or final inversion (software does those). */
uint64_t helper_crc32(uint64_t crc, uint64_t data, uint32_t bits)
{
    uint32_t c = (uint32_t)crc;

    for (unsigned i = 0; i < bits; i++) {
        c ^= (uint32_t)(data >> i) & 1;
        c = c & 1 ? (c >> 1) ^ 0x82f63b78u : c >> 1;
    }
    return c;
}

/* ---- PCMPESTRI, PCMPESTRM, PCMPISTRI, PCMPISTRM ---- */

/* The length of an implicit string: the index of its first null. */
static unsigned implicit_len(const X86XMMReg *r, unsigned sz)
{
    unsigned n = 16u >> sz, i;

    for (i = 0; i < n && lane(r, sz, i); i++)
        ;
    return i;
}

/* An explicit length: the register's absolute value (v sign-extended
   from its operand size), saturated to n. */
static unsigned explicit_len(uint64_t v, unsigned n)
{
    uint64_t m = (int64_t)v < 0 ? -v : v;

    return m > n ? n : (unsigned)m;
}

/*
 * IntRes1: bit i is the aggregation's answer for position i of b (the
 * second operand), a being the first, la and lb their valid lengths.
 * A pair with an element past its string's length compares as the SDM
 * says: false for equal any and ranges; for equal each, true only when
 * both are past; for equal ordered, true when a's element is past (the
 * needle ended), false when only b's is.
 */
static unsigned aggregate(const X86XMMReg *a, const X86XMMReg *b,
                          unsigned la, unsigned lb, unsigned imm)
{
    unsigned sz = imm & 1, n = 16u >> sz, res = 0;
    bool sgn = imm & 2;

#define EL(r, i) (sgn ? slane(r, sz, i) : (int64_t)lane(r, sz, i))
    for (unsigned i = 0; i < n; i++) {
        bool t = false;

        switch ((imm >> 2) & 3) {
        case 0:     /* equal any: b[i] is one of a's elements */
            for (unsigned j = 0; j < la && i < lb && !t; j++)
                t = EL(a, j) == EL(b, i);
            break;
        case 1:     /* ranges: a[2k] <= b[i] <= a[2k + 1] for some k */
            for (unsigned j = 0; j + 1 < la && i < lb && !t; j += 2)
                t = EL(a, j) <= EL(b, i) && EL(b, i) <= EL(a, j + 1);
            break;
        case 2:     /* equal each */
            t = i >= la && i >= lb ? true
                : i >= la || i >= lb ? false : EL(a, i) == EL(b, i);
            break;
        default:    /* equal ordered: a occurs in b at i */
            t = true;
            for (unsigned j = 0; i + j < n && t; j++) {
                if (j >= la)
                    break;
                t = i + j < lb && EL(a, j) == EL(b, i + j);
            }
            break;
        }
        res |= (unsigned)t << i;
    }
#undef EL
    return res;
}

uint64_t helper_pcmpstr(X86CPU *cpu, uint32_t op, uint32_t d, uint32_t s,
                        uint64_t rax, uint64_t rdx)
{
    CPUX86State *env = &cpu->env;
    unsigned imm = (op >> S4_STR_IMM_SHIFT) & 0xff, sz = imm & 1;
    unsigned n = 16u >> sz, all = (1u << n) - 1, la, lb, res, idx;
    const X86XMMReg *a = xmm(env, d), *b = xmm(env, s);
    uint64_t f = 0;

    if (op & S4_STR_EXPLICIT) {
        la = explicit_len(rax, n);
        lb = explicit_len(rdx, n);
    } else {
        la = implicit_len(a, sz);
        lb = implicit_len(b, sz);
    }
    res = aggregate(a, b, la, lb, imm);
    switch ((imm >> 4) & 3) {
    case 1: res ^= all; break;                      /* negative */
    case 3: res ^= (1u << lb) - 1; break;           /* masked negative */
    }
    if (op & S4_STR_MASK) {
        X86XMMReg m = { .q = { 0, 0 } };

        if (imm & 0x40) {
            for (unsigned i = 0; i < n; i++)
                set_lane(&m, sz, i, (res >> i) & 1 ? ~0ull : 0);
        } else {
            m.w[0] = (uint16_t)res;
        }
        env->xmm[0] = m;
        idx = 0;
    } else if (!res) {
        idx = n;
    } else {
        idx = imm & 0x40 ? 31u - (unsigned)__builtin_clz(res)
                         : (unsigned)__builtin_ctz(res);
    }
    if (res)
        f |= X86_CF;
    if (lb < n)
        f |= X86_ZF;
    if (la < n)
        f |= X86_SF;
    if (res & 1)
        f |= X86_OF;
    return f | (uint64_t)idx << 32;
}
