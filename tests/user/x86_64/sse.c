/*
 * SSE and SSE2 against the host CPU: each instruction runs, in its
 * register and its memory form, on a fixed stream of pseudo-random and
 * edge operands (for FP: zeros, infinities, quiet and signaling NaNs
 * with payloads, subnormals, the ends of the ranges, integer
 * boundaries) under every MXCSR rounding mode with DAZ and FTZ on and
 * off; the result and MXCSR afterwards (its flags) are hashed, and one
 * hash per instruction is printed.  Natively and under Mimic the lines
 * must be equal.  The C code has no SSE (-mgeneral-regs-only): only the
 * inline asm touches XMM registers and MXCSR, which is why no asm lists
 * them as clobbered (the compiler refuses it, and uses none of them).
 */
#include "rt.h"

typedef struct {
    _Alignas(16) u64 q[2];
} X;

static u64 seed = 0x2545f4914f6cdd1dul;

static u64 rnd(void)
{
    seed ^= seed << 13;
    seed ^= seed >> 7;
    seed ^= seed << 17;
    return seed;
}

static u64 hash;

static void mix(u64 v)
{
    hash = (hash ^ v) * 0x100000001b3ul;
}

static const u32 f32_edges[] = {
    0, 0x80000000, 0x3f800000, 0xbf800000, 0x7f800000, 0xff800000,
    0x7fc00000, 0xffc00000, 0x7fc12345, 0x7f800001, 0xff812345,
    0x00000001, 0x807fffff, 0x00800000, 0x7f7fffff, 0xff7fffff,
    0x3fc00000, 0x40200000, 0xc0200000, 0x3f000000, 0x4f000000,
    0xcf000000, 0x4effffff, 0x5f000000, 0xdf000000, 0x00400000,
};
static const u64 f64_edges[] = {
    0, 0x8000000000000000, 0x3ff0000000000000, 0xbff0000000000000,
    0x7ff0000000000000, 0xfff0000000000000, 0x7ff8000000000000,
    0xfff8000000000000, 0x7ff8000000012345, 0x7ff0000000000001,
    0xfff0000000012345, 0x0000000000000001, 0x800fffffffffffff,
    0x0010000000000000, 0x7fefffffffffffff, 0xffefffffffffffff,
    0x3ff8000000000000, 0x4004000000000000, 0xc004000000000000,
    0x3fe0000000000000, 0x41e0000000000000, 0xc1e0000000000000,
    0x41dfffffffc00000, 0x43e0000000000000, 0xc3e0000000000000,
    0x3810000000000000, 0x47efffffe0000000, 0x36a0000000000000,
};

#define N_F32E (sizeof(f32_edges) / sizeof(f32_edges[0]))
#define N_F64E (sizeof(f64_edges) / sizeof(f64_edges[0]))

enum { K_INT, K_F32, K_F64 };

/* A 32-bit lane: an edge, a number near 1 or a tiny one, or raw bits. */
static u32 f32_lane(void)
{
    u64 r = rnd();

    switch (r & 3) {
    case 0: return f32_edges[(r >> 8) % N_F32E];
    case 1: return 0x3f000000 + (u32)((r >> 8) & 0xffffff);
    case 2: return (u32)((r >> 8) & 0x80ffffff) | ((r >> 40) & 1) << 23;
    default: return (u32)(r >> 16);
    }
}

static u64 f64_lane(void)
{
    u64 r = rnd();

    switch (r & 3) {
    case 0: return f64_edges[(r >> 8) % N_F64E];
    case 1: return 0x3fe0000000000000 | (rnd() & 0x1fffffffffffff);
    case 2: return (rnd() & 0x800fffffffffffff) | ((r >> 8) & 1) << 52;
    default: return rnd();
    }
}

static u64 int_half(void)
{
    static const u64 pats[] = {
        0, ~0ul, 0x8080808080808080, 0x7f7f7f7f7f7f7f7f,
        0x8000800080008000, 0x7fff7fff7fff7fff, 0x8000000080000000,
        0x00ff00ff00ff00ff, 0x0101010101010101,
    };
    u64 r = rnd();

    switch (r & 3) {
    case 0: return pats[(r >> 8) % 9];
    case 1: return rnd() & rnd();
    default: return rnd();
    }
}

static void gen(X *x, int kind)
{
    for (int h = 0; h < 2; h++) {
        if (kind == K_F32)
            x->q[h] = f32_lane() | (u64)f32_lane() << 32;
        else if (kind == K_F64)
            x->q[h] = f64_lane();
        else
            x->q[h] = int_half();
    }
}

/* Two operands: the source sometimes equal to the destination, or to it
   in some lanes, so that compares see equality. */
static void gen2(X *d, X *s, int kind)
{
    u64 r = rnd();

    gen(d, kind);
    gen(s, kind);
    if ((r & 7) == 0)
        *s = *d;
    else if ((r & 7) == 1)
        s->q[r >> 63] = d->q[r >> 63];
}

/* The MXCSR of iteration i: every rounding mode with DAZ and FTZ on and
   off, all exceptions masked, no flags. */
static u32 mxcsr_for(int i)
{
    return 0x1f80 | (u32)(i & 3) << 13 | (i & 4 ? 0x40 : 0) |
           (i & 8 ? 0x8000 : 0);
}

typedef void OpFn(X *d, const X *s, u32 *csr);

/* d = insn(d, s) with s in a register (_r) and in memory (_m). */
#define OP(name, insn)                                                     \
    static void name##_r(X *d, const X *s, u32 *csr)                       \
    {                                                                      \
        __asm__ volatile("ldmxcsr %2\n\tmovdqu %0, %%xmm0\n\t"             \
                         "movdqu %1, %%xmm1\n\t" insn " %%xmm1, %%xmm0\n\t"\
                         "movdqu %%xmm0, %0\n\tstmxcsr %2"                 \
                         : "+m"(*d) : "m"(*s), "m"(*csr)                   \
                         : "memory");                      \
    }                                                                      \
    static void name##_m(X *d, const X *s, u32 *csr)                       \
    {                                                                      \
        __asm__ volatile("ldmxcsr %2\n\tmovdqa %0, %%xmm2\n\t"             \
                         insn " %1, %%xmm2\n\tmovdqa %%xmm2, %0\n\t"       \
                         "stmxcsr %2"                                      \
                         : "+m"(*d) : "m"(*s), "m"(*csr)                   \
                         : "memory");                              \
    }
/* d = insn(d) (shifts by an immediate; s unused). */
#define OP1(name, insn)                                                    \
    static void name##_r(X *d, const X *s, u32 *csr)                       \
    {                                                                      \
        (void)s;                                                           \
        __asm__ volatile("ldmxcsr %1\n\tmovdqa %0, %%xmm7\n\t"             \
                         insn " %%xmm7\n\tmovdqa %%xmm7, %0\n\t"           \
                         "stmxcsr %1"                                      \
                         : "+m"(*d) : "m"(*csr) : "memory");       \
    }

OP(paddb, "paddb") OP(paddw, "paddw") OP(paddd, "paddd") OP(paddq, "paddq")
OP(psubb, "psubb") OP(psubw, "psubw") OP(psubd, "psubd") OP(psubq, "psubq")
OP(paddusb, "paddusb") OP(paddusw, "paddusw") OP(psubusb, "psubusb")
OP(psubusw, "psubusw") OP(paddsb, "paddsb") OP(paddsw, "paddsw")
OP(psubsb, "psubsb") OP(psubsw, "psubsw")
OP(pcmpeqb, "pcmpeqb") OP(pcmpeqw, "pcmpeqw") OP(pcmpeqd, "pcmpeqd")
OP(pcmpgtb, "pcmpgtb") OP(pcmpgtw, "pcmpgtw") OP(pcmpgtd, "pcmpgtd")
OP(pminub, "pminub") OP(pmaxub, "pmaxub") OP(pminsw, "pminsw")
OP(pmaxsw, "pmaxsw") OP(pavgb, "pavgb") OP(pavgw, "pavgw")
OP(pmullw, "pmullw") OP(pmulhw, "pmulhw") OP(pmulhuw, "pmulhuw")
OP(pmuludq, "pmuludq") OP(pmaddwd, "pmaddwd") OP(psadbw, "psadbw")
OP(pand, "pand") OP(pandn, "pandn") OP(por, "por") OP(pxor, "pxor")
OP(andps, "andps") OP(andnpd, "andnpd") OP(orps, "orps") OP(xorpd, "xorpd")
OP(punpcklbw, "punpcklbw") OP(punpcklwd, "punpcklwd")
OP(punpckldq, "punpckldq") OP(punpcklqdq, "punpcklqdq")
OP(punpckhbw, "punpckhbw") OP(punpckhwd, "punpckhwd")
OP(punpckhdq, "punpckhdq") OP(punpckhqdq, "punpckhqdq")
OP(unpcklps, "unpcklps") OP(unpckhps, "unpckhps") OP(unpcklpd, "unpcklpd")
OP(unpckhpd, "unpckhpd")
OP(packsswb, "packsswb") OP(packssdw, "packssdw") OP(packuswb, "packuswb")
OP(psrlw, "psrlw") OP(psrld, "psrld") OP(psrlq, "psrlq") OP(psraw, "psraw")
OP(psrad, "psrad") OP(psllw, "psllw") OP(pslld, "pslld") OP(psllq, "psllq")
OP1(psrlw_i, "psrlw $5,") OP1(psrld_i, "psrld $31,") OP1(psrlq_i, "psrlq $64,")
OP1(psraw_i, "psraw $3,") OP1(psrad_i, "psrad $40,") OP1(psllw_i, "psllw $15,")
OP1(pslld_i, "pslld $7,") OP1(psllq_i, "psllq $33,")
OP1(psrldq_i, "psrldq $5,") OP1(pslldq_i, "pslldq $11,")
OP1(psrldq_16, "psrldq $16,")
OP(pshufd, "pshufd $0x1b,") OP(pshuflw, "pshuflw $0xd2,")
OP(pshufhw, "pshufhw $0x39,") OP(shufps, "shufps $0x8d,")
OP(shufpd, "shufpd $2,")
OP(addps, "addps") OP(addpd, "addpd") OP(addss, "addss") OP(addsd, "addsd")
OP(subps, "subps") OP(subpd, "subpd") OP(subss, "subss") OP(subsd, "subsd")
OP(mulps, "mulps") OP(mulpd, "mulpd") OP(mulss, "mulss") OP(mulsd, "mulsd")
OP(divps, "divps") OP(divpd, "divpd") OP(divss, "divss") OP(divsd, "divsd")
OP(minps, "minps") OP(minpd, "minpd") OP(minss, "minss") OP(minsd, "minsd")
OP(maxps, "maxps") OP(maxpd, "maxpd") OP(maxss, "maxss") OP(maxsd, "maxsd")
OP(sqrtps, "sqrtps") OP(sqrtpd, "sqrtpd") OP(sqrtss, "sqrtss")
OP(sqrtsd, "sqrtsd")
OP(cmpps0, "cmpps $0,") OP(cmpps1, "cmpps $1,") OP(cmpps2, "cmpps $2,")
OP(cmpps3, "cmpps $3,") OP(cmpps4, "cmpps $4,") OP(cmpps5, "cmpps $5,")
OP(cmpps6, "cmpps $6,") OP(cmpps7, "cmpps $7,")
OP(cmppd1, "cmppd $1,") OP(cmppd4, "cmppd $4,") OP(cmpss2, "cmpss $2,")
OP(cmpss7, "cmpss $7,") OP(cmpsd0, "cmpsd $0,") OP(cmpsd6, "cmpsd $6,")
OP(cvtps2pd, "cvtps2pd") OP(cvtpd2ps, "cvtpd2ps") OP(cvtss2sd, "cvtss2sd")
OP(cvtsd2ss, "cvtsd2ss") OP(cvtdq2ps, "cvtdq2ps") OP(cvtps2dq, "cvtps2dq")
OP(cvttps2dq, "cvttps2dq") OP(cvtdq2pd, "cvtdq2pd") OP(cvtpd2dq, "cvtpd2dq")
OP(cvttpd2dq, "cvttpd2dq")
OP(movss, "movss") OP(movsd, "movsd") OP(movq, "movq")
OP(movaps, "movaps") OP(movupd, "movupd")

static const struct {
    const char *name;
    OpFn *r, *m;
    int kind;
} ops[] = {
#define I(n) { #n, n##_r, n##_m, K_INT }
#define I1(n) { #n, n##_r, 0, K_INT }
#define S(n) { #n, n##_r, n##_m, K_F32 }
#define D(n) { #n, n##_r, n##_m, K_F64 }
    I(paddb), I(paddw), I(paddd), I(paddq), I(psubb), I(psubw), I(psubd),
    I(psubq), I(paddusb), I(paddusw), I(psubusb), I(psubusw), I(paddsb),
    I(paddsw), I(psubsb), I(psubsw), I(pcmpeqb), I(pcmpeqw), I(pcmpeqd),
    I(pcmpgtb), I(pcmpgtw), I(pcmpgtd), I(pminub), I(pmaxub), I(pminsw),
    I(pmaxsw), I(pavgb), I(pavgw), I(pmullw), I(pmulhw), I(pmulhuw),
    I(pmuludq), I(pmaddwd), I(psadbw), I(pand), I(pandn), I(por), I(pxor),
    I(andps), I(andnpd), I(orps), I(xorpd), I(punpcklbw), I(punpcklwd),
    I(punpckldq), I(punpcklqdq), I(punpckhbw), I(punpckhwd), I(punpckhdq),
    I(punpckhqdq), I(unpcklps), I(unpckhps), I(unpcklpd), I(unpckhpd),
    I(packsswb), I(packssdw), I(packuswb),
    I(psrlw), I(psrld), I(psrlq), I(psraw), I(psrad), I(psllw), I(pslld),
    I(psllq),
    I1(psrlw_i), I1(psrld_i), I1(psrlq_i), I1(psraw_i), I1(psrad_i),
    I1(psllw_i), I1(pslld_i), I1(psllq_i), I1(psrldq_i), I1(pslldq_i),
    I1(psrldq_16),
    I(pshufd), I(pshuflw), I(pshufhw), I(shufps), I(shufpd),
    S(addps), D(addpd), S(addss), D(addsd), S(subps), D(subpd), S(subss),
    D(subsd), S(mulps), D(mulpd), S(mulss), D(mulsd), S(divps), D(divpd),
    S(divss), D(divsd), S(minps), D(minpd), S(minss), D(minsd), S(maxps),
    D(maxpd), S(maxss), D(maxsd), S(sqrtps), D(sqrtpd), S(sqrtss),
    D(sqrtsd),
    S(cmpps0), S(cmpps1), S(cmpps2), S(cmpps3), S(cmpps4), S(cmpps5),
    S(cmpps6), S(cmpps7), D(cmppd1), D(cmppd4), S(cmpss2), S(cmpss7),
    D(cmpsd0), D(cmpsd6),
    S(cvtps2pd), D(cvtpd2ps), S(cvtss2sd), D(cvtsd2ss), I(cvtdq2ps),
    S(cvtps2dq), S(cvttps2dq), I(cvtdq2pd), D(cvtpd2dq), D(cvttpd2dq),
    S(movss), D(movsd), I(movq), I(movaps), I(movupd),
};

/* Small shifts by a register count too: the count's whole 64 bits. */
static void shift_count(X *s)
{
    u64 r = rnd();

    if (r & 1)
        s->q[0] = (r >> 8) % 70;
}

static void run_op(int k)
{
    X d, s, d0;
    u32 csr;

    hash = 0xcbf29ce484222325ul;
    for (int i = 0; i < 3000; i++) {
        gen2(&d, &s, ops[k].kind);
        if (ops[k].name[1] == 's' && ops[k].name[2] != 'u' &&
            ops[k].name[2] != 'a' && ops[k].name[2] != 'h')
            shift_count(&s);     /* psrl*, psll*, psra* */
        d0 = d;
        csr = mxcsr_for(i);
        ops[k].r(&d, &s, &csr);
        mix(d.q[0]);
        mix(d.q[1]);
        mix(csr);
        if (ops[k].m) {
            d = d0;
            csr = mxcsr_for(i);
            ops[k].m(&d, &s, &csr);
            mix(d.q[0]);
            mix(d.q[1]);
            mix(csr);
        }
    }
    put(ops[k].name);
    put(" ");
    put_hex(hash);
    put("\n");
}

/* UCOMISS/UCOMISD/COMISS/COMISD: the six arithmetic flags (OF SF AF
   cleared) and MXCSR. */
#define COMI(name, insn)                                                   \
    static void name(X *d, const X *s, u32 *csr)                           \
    {                                                                      \
        u64 fl;                                                            \
        __asm__ volatile("ldmxcsr %3\n\tmovdqa %1, %%xmm3\n\t"             \
                         "movdqa %2, %%xmm4\n\tstc\n\t" insn               \
                         " %%xmm4, %%xmm3\n\tpushf\n\tpop %0\n\t"          \
                         "stmxcsr %3"                                      \
                         : "=r"(fl) : "m"(*d), "m"(*s), "m"(*csr)          \
                         : "cc", "memory");                \
        mix(fl & 0x8d5);                                                   \
        __asm__ volatile("ldmxcsr %3\n\tmovdqa %1, %%xmm3\n\t" insn        \
                         " %2, %%xmm3\n\tpushf\n\tpop %0\n\tstmxcsr %3"    \
                         : "=r"(fl) : "m"(*d), "m"(*s), "m"(*csr)          \
                         : "cc", "memory");                        \
        mix(fl & 0x8d5);                                                   \
    }
COMI(ucomiss, "ucomiss") COMI(ucomisd, "ucomisd") COMI(comiss, "comiss")
COMI(comisd, "comisd")

/* Conversions to and from general registers, 32 and 64 bits. */
static void cvt_gpr(X *d, const X *s, u32 *csr)
{
    u64 a, b, c, e, v = s->q[0];
    u32 w = (u32)v;

    __asm__ volatile("ldmxcsr %4\n\tmovdqa %5, %%xmm5\n\t"
                     "cvtss2si %%xmm5, %0\n\tcvttss2si %%xmm5, %k1\n\t"
                     "cvtsd2si %5, %k2\n\tcvttsd2si %%xmm5, %3\n\t"
                     "stmxcsr %4"
                     : "=r"(a), "=r"(b), "=r"(c), "=r"(e), "+m"(*csr)
                     : "m"(*d) : "memory");
    mix(a);
    mix(b);
    mix(c);
    mix(e);
    mix(*csr);
    __asm__ volatile("ldmxcsr %1\n\tmovdqa %0, %%xmm6\n\t"
                     "cvtsi2ss %2, %%xmm6\n\tcvtsi2sd %k3, %%xmm6\n\t"
                     "cvtsi2ssl %4, %%xmm6\n\tmovdqa %%xmm6, %0\n\t"
                     "stmxcsr %1"
                     : "+m"(*d), "+m"(*csr) : "r"(v), "r"(v >> 7), "m"(w)
                     : "memory");
}

/* MOVMSKPS/PD, PMOVMSKB, MOVD/MOVQ with general registers and memory,
   PINSRW/PEXTRW, MOVLPS/MOVHPS/MOVHLPS/MOVLHPS, STMXCSR. */
static void misc_moves(X *d, const X *s, u32 *csr)
{
    u64 a, b, c, e, f, g;
    _Alignas(16) u8 buf[48];

    for (int i = 0; i < 48; i++)
        buf[i] = (u8)(s->q[0] >> (i & 7) * 8) ^ (u8)i;
    __asm__ volatile("movdqa %6, %%xmm8\n\tmovmskps %%xmm8, %k0\n\t"
                     "movmskpd %%xmm8, %k1\n\tpmovmskb %%xmm8, %k2\n\t"
                     "movd %%xmm8, %k3\n\tmovq %%xmm8, %4\n\t"
                     "pextrw $5, %%xmm8, %k5"
                     : "=r"(a), "=r"(b), "=r"(c), "=r"(e), "=r"(f), "=r"(g)
                     : "m"(*d) );
    mix(a);
    mix(b);
    mix(c);
    mix(e);
    mix(f);
    mix(g);
    __asm__ volatile("movdqa %0, %%xmm9\n\tmovdqa %1, %%xmm10\n\t"
                     "pinsrw $3, %k2, %%xmm9\n\tpinsrw $6, 3%3, %%xmm9\n\t"
                     "movlps 5%3, %%xmm9\n\tmovhps 9%3, %%xmm10\n\t"
                     "movhlps %%xmm9, %%xmm10\n\tmovlhps %%xmm10, %%xmm9\n\t"
                     "movhps %%xmm9, 17%3\n\tmovlps %%xmm10, 27%3\n\t"
                     "movups %%xmm9, 31%3\n\tmovd %k2, %%xmm11\n\t"
                     "movq %2, %%xmm12\n\tpaddq %%xmm11, %%xmm12\n\t"
                     "paddq %%xmm12, %%xmm10\n\tmovdqa %%xmm10, %1\n\t"
                     "movd 1%3, %%xmm13\n\tmovq %%xmm13, 13%3\n\t"
                     "movq 2%3, %%xmm14\n\tmovd %%xmm14, 40%3\n\t"
                     "movsd %%xmm12, 20%3\n\tmovss %%xmm11, 43%3\n\t"
                     "movdqu 7%3, %%xmm15\n\tmovntdq %%xmm15, 16%3\n\t"
                     "movdqa %%xmm9, %0\n\tstmxcsr %4"
                     : "+m"(*d), "+m"(*(X *)s), "+r"(a), "+m"(buf),
                       "=m"(*csr)
                     : : "memory");
    for (int i = 0; i < 6; i++)
        mix(((u64 *)buf)[i]);
    mix(s->q[0] ^ s->q[1]);
}

static void run_fn(const char *name, OpFn *fn, int kind)
{
    X d, s;
    u32 csr;

    hash = 0xcbf29ce484222325ul;
    for (int i = 0; i < 3000; i++) {
        gen2(&d, &s, kind);
        csr = mxcsr_for(i);
        fn(&d, &s, &csr);
        mix(d.q[0]);
        mix(d.q[1]);
        mix(csr);
    }
    put(name);
    put(" ");
    put_hex(hash);
    put("\n");
}

/* LDMXCSR/STMXCSR keep every writable bit, flags included. */
static void mxcsr_bits(void)
{
    hash = 0xcbf29ce484222325ul;
    for (int i = 0; i < 200; i++) {
        u32 v = (u32)rnd() & 0xffff, out;

        __asm__ volatile("ldmxcsr %1\n\tstmxcsr %0\n\tldmxcsr %2"
                         : "=m"(out) : "m"(v), "m"((u32){ 0x1f80 }));
        mix(out);
    }
    put("ldmxcsr ");
    put_hex(hash);
    put("\n");
}

int main(int argc, char **argv, char **envp)
{
    for (unsigned k = 0; k < sizeof(ops) / sizeof(ops[0]); k++)
        run_op((int)k);
    run_fn("ucomiss", ucomiss, K_F32);
    run_fn("ucomisd", ucomisd, K_F64);
    run_fn("comiss", comiss, K_F32);
    run_fn("comisd", comisd, K_F64);
    run_fn("cvt_gpr_f32", cvt_gpr, K_F32);
    run_fn("cvt_gpr_f64", cvt_gpr, K_F64);
    run_fn("misc_moves", misc_moves, K_INT);
    mxcsr_bits();
    return 0;
}
