/*
 * SSE3, SSSE3, SSE4.1 and SSE4.2 against the host CPU, as sse.c does
 * for SSE2: each instruction (register and memory forms, several
 * immediates) runs on 2,000 pseudo-random and edge operands under every
 * MXCSR rounding mode with DAZ and FTZ on and off, and one hash of the
 * results, flags and MXCSR is printed per instruction.  The string
 * compares run with each of the 256 immediates on strings with nulls,
 * repeats and every explicit length from -20 to 20 (and huge ones); ROUND*
 * with each of its 16 immediates; CRC32 on the known check value of
 * CRC-32C.  With an argument it dies as the CPU makes it: a misaligned
 * PSHUFB/PTEST/ROUNDPS memory operand (#GP, SIGSEGV), an unaligned
 * PCMPESTRI that must not fault, a ROUNDSS of a signaling NaN with the
 * invalid exception unmasked (#XM, SIGFPE), MONITOR at user level (#UD),
 * PALIGNR and PSHUFB on MMX registers from misaligned memory (fine), and
 * PSHUFB on MMX with an x87 exception pending and an unmapped memory
 * operand (#MF first, SIGFPE).
 * The C code has no SSE (-mgeneral-regs-only).
 */
#include "rt.h"

typedef struct {
    _Alignas(16) u64 q[2];
} X;

static u64 seed = 0x9e3779b97f4a7c15ul;

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

static void put_line(const char *name)
{
    put(name);
    put(" ");
    put_hex(hash);
    put("\n");
}

static const u32 f32_edges[] = {
    0, 0x80000000, 0x3f800000, 0xbf800000, 0x7f800000, 0xff800000,
    0x7fc00000, 0xffc00000, 0x7fc12345, 0x7f800001, 0xff812345,
    0x00000001, 0x807fffff, 0x00800000, 0x7f7fffff, 0xff7fffff,
    0x3fc00000, 0x40200000, 0xc0200000, 0x3f000000, 0x4b000000,
    0x4b7fffff, 0xcb3fffff, 0x3effffff, 0xbf400000, 0x40400000,
};
static const u64 f64_edges[] = {
    0, 0x8000000000000000, 0x3ff0000000000000, 0xbff0000000000000,
    0x7ff0000000000000, 0xfff0000000000000, 0x7ff8000000000000,
    0xfff8000000000000, 0x7ff8000000012345, 0x7ff0000000000001,
    0xfff0000000012345, 0x0000000000000001, 0x800fffffffffffff,
    0x0010000000000000, 0x7fefffffffffffff, 0xffefffffffffffff,
    0x3ff8000000000000, 0x4004000000000000, 0xc004000000000000,
    0x3fe0000000000000, 0x4330000000000000, 0x432fffffffffffff,
    0xc32ffffffffffffe, 0x3fdfffffffffffff, 0xbfe8000000000000,
};

#define N_F32E (sizeof(f32_edges) / sizeof(f32_edges[0]))
#define N_F64E (sizeof(f64_edges) / sizeof(f64_edges[0]))

enum { K_INT, K_F32, K_F64 };

static u32 f32_lane(void)
{
    u64 r = rnd();

    switch (r & 3) {
    case 0: return f32_edges[(r >> 8) % N_F32E];
    case 1: return 0x3e000000 + (u32)((r >> 8) & 0x1ffffff);
    case 2: return (u32)((r >> 8) & 0x80ffffff) | ((r >> 40) & 1) << 23;
    default: return (u32)(r >> 16);
    }
}

static u64 f64_lane(void)
{
    u64 r = rnd();

    switch (r & 3) {
    case 0: return f64_edges[(r >> 8) % N_F64E];
    case 1: return 0x3fc0000000000000 | (rnd() & 0x3fffffffffffff);
    case 2: return (rnd() & 0x800fffffffffffff) | ((r >> 8) & 1) << 52;
    default: return rnd();
    }
}

static u64 int_half(void)
{
    static const u64 pats[] = {
        0, ~0ul, 0x8080808080808080, 0x7f7f7f7f7f7f7f7f,
        0x8000800080008000, 0x7fff7fff7fff7fff, 0x8000000080000000,
        0x00ff00ff00ff00ff, 0x0101010101010101, 0x0f0e0d0c0b0a0908,
        0x7fffffff80000000, 0xffff0000ffff0000,
    };
    u64 r = rnd();

    switch (r & 3) {
    case 0: return pats[(r >> 8) % 12];
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

static u32 mxcsr_for(int i)
{
    return 0x1f80 | (u32)(i & 3) << 13 | (i & 4 ? 0x40 : 0) |
           (i & 8 ? 0x8000 : 0);
}

/* The blend mask (XMM0 of PBLENDVB, BLENDVPS, BLENDVPD). */
static X mask;

typedef void OpFn(X *d, const X *s, u32 *csr);

/* d = insn(d, s) with s in a register (_r) and in memory (_m); XMM0 is
   the blend mask. */
#define OP(name, insn)                                                     \
    static void name##_r(X *d, const X *s, u32 *csr)                       \
    {                                                                      \
        __asm__ volatile("ldmxcsr %2\n\tmovdqu %0, %%xmm1\n\t"             \
                         "movdqu %1, %%xmm2\n\tmovdqa %3, %%xmm0\n\t"      \
                         insn " %%xmm2, %%xmm1\n\t"                        \
                         "movdqu %%xmm1, %0\n\tstmxcsr %2"                 \
                         : "+m"(*d) : "m"(*s), "m"(*csr), "m"(mask)        \
                         : "memory");                                      \
    }                                                                      \
    static void name##_m(X *d, const X *s, u32 *csr)                       \
    {                                                                      \
        __asm__ volatile("ldmxcsr %2\n\tmovdqa %0, %%xmm9\n\t"             \
                         "movdqa %3, %%xmm0\n\t"                           \
                         insn " %1, %%xmm9\n\tmovdqa %%xmm9, %0\n\t"       \
                         "stmxcsr %2"                                      \
                         : "+m"(*d) : "m"(*s), "m"(*csr), "m"(mask)        \
                         : "memory");                                      \
    }

/* SSE3 */
OP(addsubps, "addsubps") OP(addsubpd, "addsubpd") OP(haddps, "haddps")
OP(haddpd, "haddpd") OP(hsubps, "hsubps") OP(hsubpd, "hsubpd")
OP(movshdup, "movshdup") OP(movsldup, "movsldup") OP(movddup, "movddup")
/* SSSE3 */
OP(pshufb, "pshufb") OP(phaddw, "phaddw") OP(phaddd, "phaddd")
OP(phaddsw, "phaddsw") OP(phsubw, "phsubw") OP(phsubd, "phsubd")
OP(phsubsw, "phsubsw") OP(pmaddubsw, "pmaddubsw") OP(pmulhrsw, "pmulhrsw")
OP(psignb, "psignb") OP(psignw, "psignw") OP(psignd, "psignd")
OP(pabsb, "pabsb") OP(pabsw, "pabsw") OP(pabsd, "pabsd")
OP(palignr0, "palignr $0,") OP(palignr5, "palignr $5,")
OP(palignr16, "palignr $16,") OP(palignr23, "palignr $23,")
OP(palignr32, "palignr $32,") OP(palignr255, "palignr $255,")
/* SSE4.1 */
OP(pblendvb, "pblendvb") OP(blendvps, "blendvps") OP(blendvpd, "blendvpd")
OP(blendps5, "blendps $5,") OP(blendps14, "blendps $0xfe,")
OP(blendpd1, "blendpd $1,") OP(blendpd2, "blendpd $2,")
OP(pblendw, "pblendw $0xa6,") OP(pblendw2, "pblendw $0x01,")
OP(dpps_ff, "dpps $0xff,") OP(dpps_f1, "dpps $0xf1,")
OP(dpps_35, "dpps $0x35,") OP(dpps_ca, "dpps $0xca,")
OP(dpps_0f, "dpps $0x0f,") OP(dpps_80, "dpps $0x80,")
OP(dppd_33, "dppd $0x33,") OP(dppd_31, "dppd $0x31,")
OP(dppd_12, "dppd $0x12,") OP(dppd_23, "dppd $0x23,")
OP(dppd_ff, "dppd $0xff,")
OP(insertps_00, "insertps $0x00,") OP(insertps_5a, "insertps $0x5a,")
OP(insertps_c1, "insertps $0xc1,") OP(insertps_3f, "insertps $0x3f,")
OP(insertps_b4, "insertps $0xb4,")
OP(mpsadbw0, "mpsadbw $0,") OP(mpsadbw3, "mpsadbw $3,")
OP(mpsadbw5, "mpsadbw $5,") OP(mpsadbw6, "mpsadbw $6,")
OP(mpsadbwf8, "mpsadbw $0xf8,")
OP(packusdw, "packusdw") OP(pcmpeqq, "pcmpeqq") OP(phminposuw, "phminposuw")
OP(pmaxsb, "pmaxsb") OP(pmaxsd, "pmaxsd") OP(pmaxuw, "pmaxuw")
OP(pmaxud, "pmaxud") OP(pminsb, "pminsb") OP(pminsd, "pminsd")
OP(pminuw, "pminuw") OP(pminud, "pminud")
OP(pmovsxbw, "pmovsxbw") OP(pmovsxbd, "pmovsxbd") OP(pmovsxbq, "pmovsxbq")
OP(pmovsxwd, "pmovsxwd") OP(pmovsxwq, "pmovsxwq") OP(pmovsxdq, "pmovsxdq")
OP(pmovzxbw, "pmovzxbw") OP(pmovzxbd, "pmovzxbd") OP(pmovzxbq, "pmovzxbq")
OP(pmovzxwd, "pmovzxwd") OP(pmovzxwq, "pmovzxwq") OP(pmovzxdq, "pmovzxdq")
OP(pmuldq, "pmuldq") OP(pmulld, "pmulld")
/* SSE4.2 */
OP(pcmpgtq, "pcmpgtq")

#define RND16(f, n)                                                        \
    OP(f##0, n " $0,") OP(f##1, n " $1,") OP(f##2, n " $2,")               \
    OP(f##3, n " $3,") OP(f##4, n " $4,") OP(f##5, n " $5,")               \
    OP(f##6, n " $6,") OP(f##7, n " $7,") OP(f##8, n " $8,")               \
    OP(f##9, n " $9,") OP(f##10, n " $10,") OP(f##11, n " $11,")           \
    OP(f##12, n " $12,") OP(f##13, n " $13,") OP(f##14, n " $14,")         \
    OP(f##15, n " $0xff,")
RND16(roundps, "roundps") RND16(roundpd, "roundpd")
RND16(roundss, "roundss") RND16(roundsd, "roundsd")

static const struct {
    const char *name;
    OpFn *r, *m;
    int kind;
} ops[] = {
#define I(n) { #n, n##_r, n##_m, K_INT }
#define S(n) { #n, n##_r, n##_m, K_F32 }
#define D(n) { #n, n##_r, n##_m, K_F64 }
#define S16(f) S(f##0), S(f##1), S(f##2), S(f##3), S(f##4), S(f##5),       \
    S(f##6), S(f##7), S(f##8), S(f##9), S(f##10), S(f##11), S(f##12),      \
    S(f##13), S(f##14), S(f##15)
#define D16(f) D(f##0), D(f##1), D(f##2), D(f##3), D(f##4), D(f##5),       \
    D(f##6), D(f##7), D(f##8), D(f##9), D(f##10), D(f##11), D(f##12),      \
    D(f##13), D(f##14), D(f##15)
    S(addsubps), D(addsubpd), S(haddps), D(haddpd), S(hsubps), D(hsubpd),
    I(movshdup), I(movsldup), I(movddup),
    I(pshufb), I(phaddw), I(phaddd), I(phaddsw), I(phsubw), I(phsubd),
    I(phsubsw), I(pmaddubsw), I(pmulhrsw), I(psignb), I(psignw), I(psignd),
    I(pabsb), I(pabsw), I(pabsd), I(palignr0), I(palignr5), I(palignr16),
    I(palignr23), I(palignr32), I(palignr255),
    I(pblendvb), I(blendvps), I(blendvpd), I(blendps5), I(blendps14),
    I(blendpd1), I(blendpd2), I(pblendw), I(pblendw2),
    S(dpps_ff), S(dpps_f1), S(dpps_35), S(dpps_ca), S(dpps_0f), S(dpps_80),
    D(dppd_33), D(dppd_31), D(dppd_12), D(dppd_23), D(dppd_ff),
    I(insertps_00), I(insertps_5a), I(insertps_c1), I(insertps_3f),
    I(insertps_b4),
    I(mpsadbw0), I(mpsadbw3), I(mpsadbw5), I(mpsadbw6), I(mpsadbwf8),
    I(packusdw), I(pcmpeqq), I(phminposuw), I(pmaxsb), I(pmaxsd), I(pmaxuw),
    I(pmaxud), I(pminsb), I(pminsd), I(pminuw), I(pminud),
    I(pmovsxbw), I(pmovsxbd), I(pmovsxbq), I(pmovsxwd), I(pmovsxwq),
    I(pmovsxdq), I(pmovzxbw), I(pmovzxbd), I(pmovzxbq), I(pmovzxwd),
    I(pmovzxwq), I(pmovzxdq), I(pmuldq), I(pmulld), I(pcmpgtq),
    S16(roundps), D16(roundpd), S16(roundss), D16(roundsd),
};

static void run_op(int k)
{
    X d, s, d0;
    u32 csr;

    hash = 0xcbf29ce484222325ul;
    for (int i = 0; i < 2000; i++) {
        gen2(&d, &s, ops[k].kind);
        gen(&mask, K_INT);
        d0 = d;
        csr = mxcsr_for(i);
        ops[k].r(&d, &s, &csr);
        mix(d.q[0]);
        mix(d.q[1]);
        mix(csr);
        d = d0;
        csr = mxcsr_for(i);
        ops[k].m(&d, &s, &csr);
        mix(d.q[0]);
        mix(d.q[1]);
        mix(csr);
    }
    put_line(ops[k].name);
}

/* PTEST's flags (all six: it clears AF OF PF SF), from a register and
   memory, with every flag set before. */
static void ptest(void)
{
    X d, s;
    u64 f1, f2;

    hash = 0xcbf29ce484222325ul;
    for (int i = 0; i < 2000; i++) {
        gen2(&d, &s, K_INT);
        if (i & 1)
            s.q[i & 2 ? 0 : 1] &= ~d.q[i & 2 ? 0 : 1];
        if (i & 4)
            s.q[0] &= d.q[0], s.q[1] &= d.q[1];
        __asm__ volatile("movdqa %2, %%xmm3\n\tmovdqa %3, %%xmm4\n\t"
                         "push $0x8d5\n\tpopf\n\tptest %%xmm4, %%xmm3\n\t"
                         "pushf\n\tpop %0\n\tpush $0\n\tpopf\n\t"
                         "ptest %3, %%xmm3\n\tpushf\n\tpop %1"
                         : "=r"(f1), "=r"(f2) : "m"(d), "m"(s)
                         : "cc", "memory");
        mix(f1 & 0x8d5);
        mix(f2 & 0x8d5);
    }
    put_line("ptest");
}

/* PEXTRB/W/D/Q, EXTRACTPS, PINSRB/D/Q with registers and memory; the
   register destinations start with all bits set (they zero-extend). */
static void extract_insert(void)
{
    X d, s;
    u64 r[8];
    _Alignas(16) u8 buf[32];

    hash = 0xcbf29ce484222325ul;
    for (int i = 0; i < 500; i++) {
        gen2(&d, &s, K_INT);
        for (int b = 0; b < 32; b++)
            buf[b] = (u8)(rnd() >> 13);
        for (int j = 0; j < 8; j++)
            r[j] = ~0ul;
        __asm__ volatile("movdqa %8, %%xmm5\n\t"
                         "pextrb $13, %%xmm5, %k0\n\tpextrb $3, %%xmm5, %1\n\t"
                         "pextrw $6, %%xmm5, %k2\n\tpextrd $2, %%xmm5, %k3\n\t"
                         "pextrq $1, %%xmm5, %4\n\textractps $3, %%xmm5, %k5\n\t"
                         "extractps $1, %%xmm5, %6\n\tpextrw $7, %%xmm5, %k7\n\t"
                         "pextrb $2, %%xmm5, 3(%9)\n\t"
                         "pextrw $1, %%xmm5, 5(%9)\n\t"
                         "pextrd $3, %%xmm5, 9(%9)\n\t"
                         "pextrq $0, %%xmm5, 17(%9)\n\t"
                         "extractps $2, %%xmm5, 26(%9)"
                         : "+r"(r[0]), "+r"(r[1]), "+r"(r[2]), "+r"(r[3]),
                           "+r"(r[4]), "+r"(r[5]), "+r"(r[6]), "+r"(r[7])
                         : "m"(d), "r"(buf) : "memory");
        for (int j = 0; j < 8; j++)
            mix(r[j]);
        __asm__ volatile("movdqa %0, %%xmm6\n\t"
                         "pinsrb $9, %k1, %%xmm6\n\tpinsrb $0, 7(%2), %%xmm6\n\t"
                         "pinsrd $1, %k1, %%xmm6\n\tpinsrd $3, 2(%2), %%xmm6\n\t"
                         "movdqa %%xmm6, %%xmm7\n\t"
                         "pinsrq $1, %1, %%xmm7\n\tpinsrq $0, 11(%2), %%xmm6\n\t"
                         "mov %%rsp, %%r11\n\tmov %1, %%rsp\n\t"
                         "pinsrb $15, %%esp, %%xmm7\n\tmov %%r11, %%rsp\n\t"
                         "pextrw $2, %%xmm7, %k1\n\tpaddq %%xmm7, %%xmm6\n\t"
                         "movdqa %%xmm6, %0"
                         : "+m"(d), "+r"(s.q[0]) : "r"(buf) : "r11", "memory");
        mix(d.q[0]);
        mix(d.q[1]);
        mix(s.q[0]);
        for (int b = 0; b < 32; b++)
            mix(buf[b]);
    }
    put_line("extract_insert");
}

/* MOVNTDQA and LDDQU (memory only; LDDQU misaligned too). */
static void loads(void)
{
    _Alignas(16) u8 buf[48];
    X a, b;

    hash = 0xcbf29ce484222325ul;
    for (int i = 0; i < 200; i++) {
        for (int k = 0; k < 48; k++)
            buf[k] = (u8)rnd();
        __asm__ volatile("movntdqa 16(%2), %%xmm8\n\tlddqu 3(%2), %%xmm10\n\t"
                         "movdqa %%xmm8, %0\n\tmovdqa %%xmm10, %1"
                         : "=m"(a), "=m"(b) : "r"(buf) : "memory");
        mix(a.q[0] ^ b.q[1]);
        mix(a.q[1] + b.q[0]);
    }
    put_line("movntdqa_lddqu");
}

/* CRC32 of every operand size, from registers and memory, chained. */
static void crc32(void)
{
    static const char check[] = "123456789";
    u64 c = ~0u, v, r64;
    u32 c32;
    u16 v16;
    u8 v8;

    for (int i = 0; i < 9; i++)
        __asm__("crc32b %1, %k0" : "+r"(c) : "m"(check[i]));
    put("crc32c(\"123456789\") ");
    put_hex(~c & 0xffffffffu);
    put("\n");
    hash = 0xcbf29ce484222325ul;
    for (int i = 0; i < 2000; i++) {
        v = int_half();
        r64 = rnd();
        c32 = (u32)rnd();
        v8 = (u8)(v >> 8);
        v16 = (u16)(v >> 16);
        __asm__("crc32b %b2, %k0\n\tcrc32w %w2, %k0\n\tcrc32l %k2, %k0\n\t"
                "crc32q %2, %1\n\tcrc32b %3, %1\n\tcrc32w %4, %k0\n\t"
                "crc32q %5, %1\n\tcrc32b %%ah, %k0"
                : "+a"(c32), "+r"(r64)
                : "r"(v), "m"(v8), "m"(v16), "m"(v));
        mix(c32);
        mix(r64);
    }
    put_line("crc32");
}

/* ---- The string compares, with every immediate ---- */

typedef struct {
    X a, b, c;      /* c: PCMPISTRM's register operand */
    u64 la, lb;
} StrIn;

typedef struct {
    u64 ecx_e, fl_e, ecx_i, fl_i, fl_em, fl_im;
    X m_e, m_i;
} StrOut;

typedef void StrFn(const StrIn *in, StrOut *out);

/* The four forms with one immediate; rcx starts all ones. */
#define STR(imm)                                                           \
    static void str_##imm(const StrIn *in, StrOut *o)                      \
    {                                                                      \
        __asm__ volatile(                                                  \
            "movdqu %6, %%xmm1\n\tmov %8, %%rax\n\tmov %9, %%rdx\n\t"      \
            "mov $-1, %%rcx\n\tpcmpestri $" #imm ", %7, %%xmm1\n\t"        \
            "pushf\n\tpop %1\n\tmov %%rcx, %0\n\t"                         \
            "mov $-1, %%rcx\n\tpcmpistri $" #imm ", %7, %%xmm1\n\t"        \
            "pushf\n\tpop %3\n\tmov %%rcx, %2\n\t"                         \
            "pcmpestrm $" #imm ", %7, %%xmm1\n\tpushf\n\tpop %4\n\t"       \
            "movdqu %%xmm0, %10\n\tmovdqu %12, %%xmm2\n\t"                \
            "pcmpistrm $" #imm ", %%xmm2, %%xmm1\n\tpushf\n\tpop %5\n\t"   \
            "movdqu %%xmm0, %11"                                           \
            : "=&r"(o->ecx_e), "=&r"(o->fl_e), "=&r"(o->ecx_i),            \
              "=&r"(o->fl_i), "=&r"(o->fl_em), "=&r"(o->fl_im)             \
            : "m"(in->a), "m"(in->b), "m"(in->la), "m"(in->lb),            \
              "m"(o->m_e), "m"(o->m_i), "m"(in->c)                         \
            : "rax", "rdx", "rcx", "cc", "memory");                        \
    }
#define STR16(h)                                                           \
    STR(0x##h##0) STR(0x##h##1) STR(0x##h##2) STR(0x##h##3)                \
    STR(0x##h##4) STR(0x##h##5) STR(0x##h##6) STR(0x##h##7)                \
    STR(0x##h##8) STR(0x##h##9) STR(0x##h##a) STR(0x##h##b)                \
    STR(0x##h##c) STR(0x##h##d) STR(0x##h##e) STR(0x##h##f)
STR16(0) STR16(1) STR16(2) STR16(3) STR16(4) STR16(5) STR16(6) STR16(7)
STR16(8) STR16(9) STR16(a) STR16(b) STR16(c) STR16(d) STR16(e) STR16(f)

#define FN16(h)                                                            \
    str_0x##h##0, str_0x##h##1, str_0x##h##2, str_0x##h##3,                \
    str_0x##h##4, str_0x##h##5, str_0x##h##6, str_0x##h##7,                \
    str_0x##h##8, str_0x##h##9, str_0x##h##a, str_0x##h##b,                \
    str_0x##h##c, str_0x##h##d, str_0x##h##e, str_0x##h##f
static StrFn *const str_fns[256] = {
    FN16(0), FN16(1), FN16(2), FN16(3), FN16(4), FN16(5), FN16(6), FN16(7),
    FN16(8), FN16(9), FN16(a), FN16(b), FN16(c), FN16(d), FN16(e), FN16(f),
};

/* Strings over a small alphabet (so that compares hit), with nulls and
   ranges, and b followed by a second operand for PCMPISTRM's register
   form.  The explicit lengths run through -20..20 and huge values. */
static void str_input(StrIn *in, int i)
{
    static const u64 big[] = { 0x7fffffff, 0x80000000, 0xffffffff,
                               0x100000003, 0x8000000000000000,
                               0xfffffffffffffff0 };
    u8 *a = (u8 *)&in->a, *b = (u8 *)&in->b, *c = (u8 *)&in->c;
    u64 r = rnd();
    unsigned alpha = 2 + (unsigned)(r % 7);

    for (int k = 0; k < 48; k++) {
        u8 *p = k < 16 ? a + k : k < 32 ? b + k - 16 : c + k - 32;
        u64 x = rnd();

        *p = (u8)(x % 13 == 0 ? 0 : 'a' + x % alpha);
        if (x % 29 == 1)
            *p = (u8)(x >> 20);
    }
    if (r & 0x100) {                 /* a substring of b: equal ordered */
        unsigned at = (unsigned)(r >> 12) % 16, len = (unsigned)(r >> 20) % 6;

        for (unsigned k = 0; k < len && at + k < 16; k++)
            a[k] = b[at + k];
    }
    if (r & 0x200) {                 /* ranges: ordered pairs */
        for (int k = 0; k < 16; k += 2) {
            if (a[k] > a[k + 1]) {
                u8 t = a[k];

                a[k] = a[k + 1];
                a[k + 1] = t;
            }
        }
    }
    if (r & 0x400)                   /* equal each */
        in->b.q[r >> 63] = in->a.q[r >> 63];
    in->la = (u64)(i64)((int)((r >> 24) % 41) - 20);
    in->lb = (u64)(i64)((int)((r >> 32) % 41) - 20);
    if ((r >> 40) % 9 == 0)
        in->la = big[(r >> 44) % 6];
    if ((r >> 48) % 9 == 0)
        in->lb = big[(r >> 52) % 6];
    (void)i;
}

static void pcmpstr(void)
{
    StrIn in[64];
    StrOut o;

    for (int i = 0; i < 64; i++)
        str_input(&in[i], i);
    for (int imm = 0; imm < 256; imm++) {
        char name[] = "pcmpstr_00";

        hash = 0xcbf29ce484222325ul;
        for (int i = 0; i < 64; i++) {
            str_fns[imm](&in[i], &o);
            mix(o.ecx_e);
            mix(o.fl_e & 0x8d5);
            mix(o.ecx_i);
            mix(o.fl_i & 0x8d5);
            mix(o.fl_em & 0x8d5);
            mix(o.fl_im & 0x8d5);
            mix(o.m_e.q[0]);
            mix(o.m_e.q[1]);
            mix(o.m_i.q[0]);
            mix(o.m_i.q[1]);
        }
        name[8] = "0123456789abcdef"[imm >> 4];
        name[9] = "0123456789abcdef"[imm & 15];
        put_line(name);
    }
}

/* ---- Faults ---- */

static int same(const char *a, const char *b)
{
    while (*a && *a == *b)
        a++, b++;
    return *a == *b;
}

static const u16 mf_cw = 0x037b;        /* ZM unmasked */
static const double mf_one = 1, mf_zero = 0;

static int fault(const char *m)
{
    static _Alignas(16) u8 buf[64];
    u32 csr = 0x1f00;       /* invalid (IM) unmasked */
    X snan = { { 0x7f800001, 0 } };

    put("before\n");
    if (same(m, "pshufbgp"))
        __asm__ volatile("pshufb %0, %%xmm1" : : "m"(buf[1]));
    else if (same(m, "ptestgp"))
        __asm__ volatile("ptest %0, %%xmm1" : : "m"(buf[8]) : "cc");
    else if (same(m, "roundpsgp"))
        __asm__ volatile("roundps $1, %0, %%xmm1" : : "m"(buf[4]));
    else if (same(m, "pcmpestriok"))
        __asm__ volatile("mov $3, %%eax\n\tmov $5, %%edx\n\t"
                         "pcmpestri $0x0c, %0, %%xmm1"
                         : : "m"(buf[3]) : "rax", "rdx", "rcx", "cc");
    else if (same(m, "roundssxm"))
        __asm__ volatile("ldmxcsr %0\n\troundss $4, %1, %%xmm1"
                         : : "m"(csr), "m"(snan));
    else if (same(m, "palignrmmok"))
        /* SSSE3's MMX forms take any alignment. */
        __asm__ volatile("palignr $3, %0, %%mm1\n\tpshufb %1, %%mm2\n\temms"
                         : : "m"(buf[1]), "m"(buf[13]));
    else if (same(m, "pshufbmmmf"))
        /* An unmasked x87 divide by zero pending: #MF, before the
           unmapped memory operand's #PF. */
        __asm__ volatile("fldcw %0\n\tfldl %1\n\tfdivl %2\n\t"
                         "pshufb (%3), %%mm0"
                         : : "m"(mf_cw), "m"(mf_one), "m"(mf_zero),
                           "r"((u64)16));
    else if (same(m, "monitor"))
        __asm__ volatile("lea %0, %%rax\n\txor %%ecx, %%ecx\n\t"
                         "xor %%edx, %%edx\n\tmonitor"
                         : : "m"(buf) : "rax", "rcx", "rdx");
    else if (!same(m, "none"))
        return 2;
    put("after\n");
    return 0;
}

int main(int argc, char **argv, char **envp)
{
    (void)envp;
    if (argc > 1)
        return fault(argv[1]);
    for (unsigned k = 0; k < sizeof(ops) / sizeof(ops[0]); k++)
        run_op((int)k);
    ptest();
    extract_insert();
    loads();
    crc32();
    pcmpstr();
    return 0;
}
