/*
 * MMX and FXSAVE/FXRSTOR against the host CPU.  Each MMX instruction
 * (SSSE3's MMX forms too) runs in its register and memory forms on a fixed stream of
 * pseudo-random and edge operands, one hash per instruction printed;
 * the conversions between MMX and XMM registers cycle MXCSR through the
 * rounding modes and hash it too.  Then the x87 side of MMX: what TOP,
 * the tags and the registers' sign and exponent look like after each
 * kind of MMX instruction (FXSAVE's first 160 bytes printed), and the
 * FNSTENV tag word of registers MMX wrote.  Then FXSAVE in both layouts
 * in several states, printed whole (bytes 416-511 too: the CPU leaves
 * them alone), and FXSAVE after FXRSTOR of random images, hashed.
 *
 * Masked by design: MXCSR_MASK's bit 17 (this AMD host's MM, misaligned
 * SSE exception mask, which Mimic does not have), and FIP, FCS, FOP,
 * FDP, FDS unless an unmasked exception is pending: AMD CPUs store zeros
 * then, Intel's SDM (and Mimic) the last x87 insn's pointers.
 * Masked because a preemption changes them natively: FCS and FDS, in
 * FXSAVE's layout without REX.W, read as zero after a context switch
 * (fold_selectors says why), so zero is taken there for the value
 * expected, and any other value must still match.
 *
 * As in sse.c, the C code uses no MMX, x87 or SSE (-mgeneral-regs-only),
 * so the asm statements do not list those registers as clobbered.
 */
#include "rt.h"

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

static void put_hash(const char *name)
{
    put(name);
    put(" ");
    put_hex(hash);
    put("\n");
}

static u64 int_q(void)
{
    static const u64 pats[] = {
        0, ~0ul, 0x8080808080808080, 0x7f7f7f7f7f7f7f7f,
        0x8000800080008000, 0x7fff7fff7fff7fff, 0x8000000080000000,
        0x00ff00ff00ff00ff, 0x0101010101010101, 0xffff0000ffff0000,
    };
    u64 r = rnd();

    switch (r & 3) {
    case 0: return pats[(r >> 8) % 10];
    case 1: return rnd() & rnd();
    default: return rnd();
    }
}

/* ---- MMX arithmetic, logic, compares, packs, shifts, shuffles ---- */

typedef void OpFn(u64 *d, const u64 *s);

/* d = insn(d, s) with s in a register (_r) and in memory (_m). */
#define OP(name, insn)                                                     \
    static void name##_r(u64 *d, const u64 *s)                             \
    {                                                                      \
        __asm__ volatile("movq %0, %%mm0\n\tmovq %1, %%mm1\n\t"            \
                         insn " %%mm1, %%mm0\n\tmovq %%mm0, %0"            \
                         : "+m"(*d) : "m"(*s) : "memory");                 \
    }                                                                      \
    static void name##_m(u64 *d, const u64 *s)                             \
    {                                                                      \
        __asm__ volatile("movq %0, %%mm6\n\t" insn " %1, %%mm6\n\t"        \
                         "movq %%mm6, %0"                                  \
                         : "+m"(*d) : "m"(*s) : "memory");                 \
    }
/* d = insn(d): the shifts by an immediate. */
#define OP1(name, insn)                                                    \
    static void name##_r(u64 *d, const u64 *s)                             \
    {                                                                      \
        (void)s;                                                           \
        __asm__ volatile("movq %0, %%mm7\n\t" insn " %%mm7\n\t"            \
                         "movq %%mm7, %0" : "+m"(*d) : : "memory");        \
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
OP(punpcklbw, "punpcklbw") OP(punpcklwd, "punpcklwd")
OP(punpckldq, "punpckldq") OP(punpckhbw, "punpckhbw")
OP(punpckhwd, "punpckhwd") OP(punpckhdq, "punpckhdq")
OP(packsswb, "packsswb") OP(packssdw, "packssdw") OP(packuswb, "packuswb")
OP(psrlw, "psrlw") OP(psrld, "psrld") OP(psrlq, "psrlq") OP(psraw, "psraw")
OP(psrad, "psrad") OP(psllw, "psllw") OP(pslld, "pslld") OP(psllq, "psllq")
OP1(psrlw_i, "psrlw $5,") OP1(psrld_i, "psrld $31,") OP1(psrlq_i, "psrlq $64,")
OP1(psraw_i, "psraw $3,") OP1(psrad_i, "psrad $40,") OP1(psllw_i, "psllw $15,")
OP1(pslld_i, "pslld $7,") OP1(psllq_i, "psllq $33,") OP1(psllw_16, "psllw $16,")
OP1(psrlq_1, "psrlq $1,") OP1(psraw_99, "psraw $99,")
OP(pshufw1b, "pshufw $0x1b,") OP(pshufwd2, "pshufw $0xd2,")
OP(movq, "movq")
/* SSSE3's MMX forms (0F 38 xx and 0F 3A 0F without 66) */
OP(pshufb, "pshufb") OP(phaddw, "phaddw") OP(phaddd, "phaddd")
OP(phaddsw, "phaddsw") OP(phsubw, "phsubw") OP(phsubd, "phsubd")
OP(phsubsw, "phsubsw") OP(pmaddubsw, "pmaddubsw") OP(pmulhrsw, "pmulhrsw")
OP(psignb, "psignb") OP(psignw, "psignw") OP(psignd, "psignd")
OP(pabsb, "pabsb") OP(pabsw, "pabsw") OP(pabsd, "pabsd")
OP(palignr0, "palignr $0,") OP(palignr3, "palignr $3,")
OP(palignr8, "palignr $8,") OP(palignr13, "palignr $13,")
OP(palignr16, "palignr $16,") OP(palignr255, "palignr $255,")

static const struct {
    const char *name;
    OpFn *r, *m;
} ops[] = {
#define I(n) { #n, n##_r, n##_m }
#define I1(n) { #n, n##_r, 0 }
    I(paddb), I(paddw), I(paddd), I(paddq), I(psubb), I(psubw), I(psubd),
    I(psubq), I(paddusb), I(paddusw), I(psubusb), I(psubusw), I(paddsb),
    I(paddsw), I(psubsb), I(psubsw), I(pcmpeqb), I(pcmpeqw), I(pcmpeqd),
    I(pcmpgtb), I(pcmpgtw), I(pcmpgtd), I(pminub), I(pmaxub), I(pminsw),
    I(pmaxsw), I(pavgb), I(pavgw), I(pmullw), I(pmulhw), I(pmulhuw),
    I(pmuludq), I(pmaddwd), I(psadbw), I(pand), I(pandn), I(por), I(pxor),
    I(punpcklbw), I(punpcklwd), I(punpckldq), I(punpckhbw), I(punpckhwd),
    I(punpckhdq), I(packsswb), I(packssdw), I(packuswb),
    I(psrlw), I(psrld), I(psrlq), I(psraw), I(psrad), I(psllw), I(pslld),
    I(psllq),
    I1(psrlw_i), I1(psrld_i), I1(psrlq_i), I1(psraw_i), I1(psrad_i),
    I1(psllw_i), I1(pslld_i), I1(psllq_i), I1(psllw_16), I1(psrlq_1),
    I1(psraw_99),
    I(pshufw1b), I(pshufwd2), I(movq),
    I(pshufb), I(phaddw), I(phaddd), I(phaddsw), I(phsubw), I(phsubd),
    I(phsubsw), I(pmaddubsw), I(pmulhrsw), I(psignb), I(psignw), I(psignd),
    I(pabsb), I(pabsw), I(pabsd), I(palignr0), I(palignr3), I(palignr8),
    I(palignr13), I(palignr16), I(palignr255),
};

static void run_op(int k)
{
    u64 d, s, d0;

    hash = 0xcbf29ce484222325ul;
    for (int i = 0; i < 3000; i++) {
        u64 r = rnd();

        d = int_q();
        s = (r & 7) == 0 ? d : int_q();
        /* Shifts by a register: small counts too (all 64 bits count). */
        if (ops[k].name[1] == 's' && (r & 8))
            s = (r >> 8) % 70;
        d0 = d;
        ops[k].r(&d, &s);
        mix(d);
        if (ops[k].m) {
            d = d0;
            ops[k].m(&d, &s);
            mix(d);
        }
    }
    __asm__ volatile("emms");
    put_hash(ops[k].name);
}

/* ---- Moves with general registers and memory, PINSRW, PEXTRW,
   PMOVMSKB, MASKMOVQ, MOVNTQ, MOVQ2DQ, MOVDQ2Q ---- */

static void moves(void)
{
    hash = 0xcbf29ce484222325ul;
    for (int i = 0; i < 2000; i++) {
        u64 a = int_q(), b = int_q(), c, d, e, f, g;
        _Alignas(16) u64 buf[6];
        _Alignas(16) u64 x[2] = { rnd(), rnd() }, y[2];
        u16 w = (u16)rnd();

        for (int j = 0; j < 6; j++)
            buf[j] = rnd();
        __asm__ volatile("movd %k5, %%mm0\n\tmovq %%mm0, %0\n\t"
                         "movq %5, %%mm1\n\tmovd %%mm1, %k1\n\t"
                         "movq %%mm1, %2\n\tmovd %6, %%mm2\n\t"
                         "movd %%mm1, %3\n\tmovq %%mm2, %4"
                         : "=m"(c), "=r"(d), "=r"(e), "=m"(buf[0]),
                           "=m"(f)
                         : "r"(a), "m"(b) : "memory");
        mix(c);
        mix(d);
        mix(e);
        mix(f);
        __asm__ volatile("movq %4, %%mm3\n\tpinsrw $1, %k5, %%mm3\n\t"
                         "pinsrw $6, %6, %%mm3\n\tmovq %%mm3, %0\n\t"
                         "pextrw $2, %%mm3, %k1\n\tpextrw $7, %%mm3, %k2\n\t"
                         "pmovmskb %%mm3, %k3"
                         : "=m"(c), "=r"(d), "=r"(e), "=r"(g)
                         : "m"(a), "r"(b), "m"(w) : "memory");
        mix(c);
        mix(d);
        mix(e);
        mix(g);
        /* MASKMOVQ data, mask stores to rdi; MOVNTQ. */
        __asm__ volatile("movq %1, %%mm4\n\tmovq %2, %%mm5\n\t"
                         "maskmovq %%mm5, %%mm4\n\tmovntq %%mm5, 24(%3)"
                         : "+m"(buf) : "m"(a), "m"(b), "r"(buf), "D"(&buf[1])
                         : "memory");
        for (int j = 0; j < 6; j++)
            mix(buf[j]);
        /* MASKMOVDQU: the SSE2 form, 16 bytes. */
        y[0] = int_q();
        y[1] = int_q();
        __asm__ volatile("movdqa %1, %%xmm4\n\tmovdqa %2, %%xmm5\n\t"
                         "maskmovdqu %%xmm5, %%xmm4"
                         : "+m"(buf) : "m"(x), "m"(y), "D"((u8 *)buf + 3)
                         : "memory");
        for (int j = 0; j < 6; j++)
            mix(buf[j]);
        __asm__ volatile("movdqa %2, %%xmm1\n\tmovq %3, %%mm2\n\t"
                         "movq2dq %%mm2, %%xmm1\n\tmovdqa %%xmm1, %0\n\t"
                         "movdq2q %%xmm1, %%mm3\n\tpaddb %%mm2, %%mm3\n\t"
                         "movq %%mm3, %1"
                         : "=m"(y), "=m"(c) : "m"(x), "m"(a) : "memory");
        mix(y[0]);
        mix(y[1]);
        mix(c);
        __asm__ volatile("movdqa %2, %%xmm2\n\tmovdq2q %%xmm2, %%mm1\n\t"
                         "movq %%mm1, %1\n\tmovq2dq %%mm1, %%xmm3\n\t"
                         "movdqa %%xmm3, %0"
                         : "=m"(y), "=m"(c) : "m"(x) : "memory");
        mix(y[0]);
        mix(y[1]);
        mix(c);
    }
    __asm__ volatile("emms");
    put_hash("moves");
}

/* ---- Conversions between MMX and XMM registers ---- */

static u32 f32_lane(void)
{
    static const u32 e[] = {
        0, 0x80000000, 0x3f800000, 0xbf800000, 0x7f800000, 0xff800000,
        0x7fc00000, 0x7f800001, 0x00000001, 0x4f000000, 0xcf000000,
        0x4effffff, 0x3fc00000, 0x40200000, 0xc0200000, 0x3f000000,
    };
    u64 r = rnd();

    switch (r & 3) {
    case 0: return e[(r >> 8) % 16];
    case 1: return 0x3f000000 + (u32)((r >> 8) & 0x1ffffff);
    case 2: return 0x40000000 + (u32)((r >> 8) & 0xfffffff);
    default: return (u32)(r >> 16);
    }
}

static u64 f64_lane(void)
{
    static const u64 e[] = {
        0, 0x8000000000000000, 0x3ff0000000000000, 0x7ff0000000000000,
        0x7ff8000000000000, 0x7ff0000000000001, 0x41e0000000000000,
        0xc1e0000000000000, 0x41dfffffffc00000, 0x41dfffffffe00000,
        0x3ff8000000000000, 0x4004000000000000, 0xc004000000000000,
        0x3fe0000000000000, 0x0000000000000001, 0xc1e0000000200000,
    };
    u64 r = rnd();

    switch (r & 3) {
    case 0: return e[(r >> 8) % 16];
    case 1: return 0x3fe0000000000000 | (rnd() & 0x3fffffffffffff);
    case 2: return 0x4000000000000000 | (rnd() & 0x3ffffffffffff);
    default: return rnd();
    }
}

static u32 mxcsr_for(int i)
{
    return 0x1f80 | (u32)(i & 3) << 13 | (i & 4 ? 0x40 : 0) |
           (i & 8 ? 0x8000 : 0);
}

static void conversions(void)
{
    hash = 0xcbf29ce484222325ul;
    for (int i = 0; i < 3000; i++) {
        _Alignas(16) u64 x[2], s[2], y[2];
        u64 m = rnd(), a, b, c, d;
        u32 csr = mxcsr_for(i);

        x[0] = rnd();
        x[1] = rnd();
        s[0] = f32_lane() | (u64)f32_lane() << 32;
        s[1] = f64_lane();
        if (i & 16)
            s[0] = f64_lane();
        /* CVTPI2PS and CVTPI2PD, from mm and from memory. */
        __asm__ volatile("ldmxcsr %2\n\tmovdqa %1, %%xmm4\n\t"
                         "movq %3, %%mm1\n\tcvtpi2ps %%mm1, %%xmm4\n\t"
                         "movdqa %%xmm4, %0\n\tstmxcsr %2"
                         : "=m"(y) : "m"(x), "m"(csr), "m"(m) : "memory");
        mix(y[0]);
        mix(y[1]);
        mix(csr);
        __asm__ volatile("ldmxcsr %2\n\tmovdqa %1, %%xmm5\n\t"
                         "cvtpi2ps %3, %%xmm5\n\tmovdqa %%xmm5, %0\n\t"
                         "stmxcsr %2"
                         : "=m"(y) : "m"(x), "m"(csr), "m"(m) : "memory");
        mix(y[0]);
        mix(y[1]);
        mix(csr);
        __asm__ volatile("movq %2, %%mm2\n\tcvtpi2pd %%mm2, %%xmm6\n\t"
                         "movdqa %%xmm6, %0\n\tcvtpi2pd %2, %%xmm7\n\t"
                         "movdqa %%xmm7, %1"
                         : "=m"(y), "=m"(x) : "m"(m) : "memory");
        mix(y[0]);
        mix(y[1]);
        mix(x[0]);
        mix(x[1]);
        /* CVT(T)PS2PI, CVT(T)PD2PI from xmm and from memory. */
        __asm__ volatile("ldmxcsr %4\n\tmovdqa %5, %%xmm0\n\t"
                         "cvtps2pi %%xmm0, %%mm0\n\tmovq %%mm0, %0\n\t"
                         "cvttps2pi %5, %%mm1\n\tmovq %%mm1, %1\n\t"
                         "cvtpd2pi %%xmm0, %%mm2\n\tmovq %%mm2, %2\n\t"
                         "cvttpd2pi %5, %%mm3\n\tmovq %%mm3, %3\n\t"
                         "stmxcsr %4"
                         : "=m"(a), "=m"(b), "=m"(c), "=m"(d), "+m"(csr)
                         : "m"(s) : "memory");
        mix(a);
        mix(b);
        mix(c);
        mix(d);
        mix(csr);
        __asm__ volatile("ldmxcsr %4\n\tmovdqa %5, %%xmm0\n\t"
                         "cvtps2pi %5, %%mm0\n\tmovq %%mm0, %0\n\t"
                         "cvttps2pi %%xmm0, %%mm1\n\tmovq %%mm1, %1\n\t"
                         "cvtpd2pi %5, %%mm2\n\tmovq %%mm2, %2\n\t"
                         "cvttpd2pi %%xmm0, %%mm3\n\tmovq %%mm3, %3\n\t"
                         "stmxcsr %4"
                         : "=m"(a), "=m"(b), "=m"(c), "=m"(d), "+m"(csr)
                         : "m"(s) : "memory");
        mix(a);
        mix(b);
        mix(c);
        mix(d);
        mix(csr);
    }
    __asm__ volatile("emms");
    put_hash("conversions");
}

/* ---- FXSAVE images ---- */

static _Alignas(16) u8 img[512];
static _Alignas(16) u8 img2[512];

static void put_byte(u8 b)
{
    char s[4] = { "0123456789abcdef"[b >> 4], "0123456789abcdef"[b & 15],
                  ' ', 0 };

    put(s);
}

/* Masks what differs by design (the header comment): MXCSR_MASK's bit
   17, and the pointers when no exception is pending. */
static void mask_image(u8 *p)
{
    p[30] &= ~2;
    if (!(p[2] & 0x80)) {
        for (int i = 6; i < 24; i++)
            p[i] = 0;
    }
}

/* FCS and FDS (bytes 12-13 and 20-21 of the layout without REX.W) are
   what the last x87 insn or FXRSTOR set only until the kernel switches
   this process out: Linux saves and restores a task's FPU state with
   XSAVE*64/XRSTOR*64, whose layout has 64-bit FIP and FDP and no room
   for the selectors, and XRSTOR64 (as FXRSTOR64, which fxsave_states
   checks) loads them as zero.  A preemption between the insn that set
   them and the FXSAVE, which a loaded machine makes now and then, so
   leaves zeros there; signal delivery and sigreturn do the same.  A
   zero is taken for the value expected (what Mimic, never preempted in
   that sense, stores); any other value is compared as it is. */
static void fold_selectors(u8 *p, u16 fcs, u16 fds)
{
    if (p[12] == 0 && p[13] == 0) {
        p[12] = (u8)fcs;
        p[13] = (u8)(fcs >> 8);
    }
    if (p[20] == 0 && p[21] == 0) {
        p[20] = (u8)fds;
        p[21] = (u8)(fds >> 8);
    }
}

/* The selector in CS, DS or SS: what an x87 insn records as FCS, FDS. */
static u16 sel_cs(void)
{
    u16 v;

    __asm__("mov %%cs, %0" : "=r"(v));
    return v;
}

static u16 sel_ds(void)
{
    u16 v;

    __asm__("mov %%ds, %0" : "=r"(v));
    return v;
}

static u16 sel_ss(void)
{
    u16 v;

    __asm__("mov %%ss, %0" : "=r"(v));
    return v;
}

/* Prints the image a line of 16 bytes at a time, lines from..to. */
static void dump(const char *label, u8 *p, int from, int to)
{
    mask_image(p);
    put(label);
    put("\n");
    for (int i = from; i < to; i += 16) {
        put_dec(i);
        put(": ");
        for (int j = 0; j < 16; j++)
            put_byte(p[i + j]);
        put("\n");
    }
}

static void set_le(u8 *p, u64 v, int n)
{
    for (int i = 0; i < n; i++)
        p[i] = (u8)(v >> (8 * i));
}

static void fill(u8 *p, u8 v)
{
    for (int i = 0; i < 512; i++)
        p[i] = v;
}

static const u64 one = 0x3ff0000000000000ul, zero = 0;
static const u32 three = 3;
static const u16 cw_zm = 0x037b;     /* divide by zero unmasked */

/* Sets XMM0-15 and MXCSR to known values. */
static void set_sse(void)
{
    _Alignas(16) u64 v[32];
    u32 csr = 0x3fa5;         /* round up, some masks off, flags set */

    for (int i = 0; i < 32; i++)
        v[i] = 0x0101010101010101ul * (u64)(i + 1) ^ (u64)i << 60;
    __asm__ volatile("movdqa 0(%0), %%xmm0\n\tmovdqa 16(%0), %%xmm1\n\t"
                     "movdqa 32(%0), %%xmm2\n\tmovdqa 48(%0), %%xmm3\n\t"
                     "movdqa 64(%0), %%xmm4\n\tmovdqa 80(%0), %%xmm5\n\t"
                     "movdqa 96(%0), %%xmm6\n\tmovdqa 112(%0), %%xmm7\n\t"
                     "movdqa 128(%0), %%xmm8\n\tmovdqa 144(%0), %%xmm9\n\t"
                     "movdqa 160(%0), %%xmm10\n\tmovdqa 176(%0), %%xmm11\n\t"
                     "movdqa 192(%0), %%xmm12\n\tmovdqa 208(%0), %%xmm13\n\t"
                     "movdqa 224(%0), %%xmm14\n\tmovdqa 240(%0), %%xmm15\n\t"
                     "ldmxcsr %1"
                     : : "r"(v), "m"(csr) : "memory");
}

static void fxsave_states(void)
{
    fill(img, 0xa5);
    __asm__ volatile("fninit\n\tfxsave %0" : "=m"(img) : : "memory");
    dump("fxsave after fninit", img, 0, 512);

    set_sse();
    fill(img, 0x5a);
    __asm__ volatile("fninit\n\tfldl %1\n\tfildl %2\n\tfldpi\n\tfldz\n\t"
                     "faddp\n\tfxsave64 %0"
                     : "=m"(img) : "m"(one), "m"(three) : "memory");
    dump("fxsave64 with three registers, SSE state", img, 0, 512);
    __asm__ volatile("ldmxcsr %0" : : "m"((u32){ 0x1f80 }));

    /* An unmasked divide by zero pending: the pointers are compared. */
    fill(img, 0xa5);
    fill(img2, 0xa5);
    __asm__ volatile("fninit\n\tfldcw %2\n\tfldl %3\n\tfdivl %4\n\t"
                     "fxsave %0\n\tfxsave64 %1\n\tfnclex\n\tfninit"
                     : "=m"(img), "=m"(img2)
                     : "m"(cw_zm), "m"(one), "m"(zero) : "memory");
    fold_selectors(img, sel_cs(), sel_ds());
    dump("fxsave with ZE pending", img, 0, 32);
    dump("fxsave64 with ZE pending", img2, 0, 32);

    /* The same with the operand on the stack: FDS is SS then. */
    {
        volatile u64 z = 0;

        fill(img, 0xa5);
        __asm__ volatile("fninit\n\tfldcw %1\n\tfldl %2\n\tfdivl %3\n\t"
                         "fxsave %0\n\tfnclex\n\tfninit"
                         : "=m"(img)
                         : "m"(cw_zm), "m"(one), "m"(z) : "memory");
        img[16] = img[17] = img[18] = img[19] = 0;  /* FDP: the stack's */
        fold_selectors(img, sel_cs(), sel_ss());
        dump("fxsave with ZE pending, operand on the stack", img, 0, 32);
    }

    /* FXRSTOR64 zeroes FCS and FDS, which its layout does not have: the
       selectors an FXRSTOR loaded just before are gone.  ZE unmasked and
       pending in both images, so that FXSAVE stores the pointers; a
       preemption anywhere in between leaves the same zeros. */
    fill(img, 0);
    set_le(img, 0x037b, 2);                     /* FCW: ZE unmasked */
    set_le(img + 2, 0x8084, 2);                 /* FSW: B, ES, ZE */
    set_le(img + 6, 0x435, 2);                  /* FOP */
    set_le(img + 24, 0x1f80, 4);                /* MXCSR */
    fill(img2, 0);
    for (int i = 0; i < 32; i++)
        img2[i] = img[i];
    set_le(img + 8, 0x112233445566ul, 8);       /* FIP */
    set_le(img + 16, 0x7766554433ul, 8);        /* FDP */
    set_le(img2 + 8, 0x89abcdef, 4);            /* FIP */
    set_le(img2 + 12, 0x4321, 2);               /* FCS */
    set_le(img2 + 16, 0x76543210, 4);           /* FDP */
    set_le(img2 + 20, 0x8765, 2);               /* FDS */
    __asm__ volatile("fxrstor %0\n\tfxrstor64 %1\n\tfxsave %0\n\t"
                     "fnclex\n\tfninit"
                     : "+m"(img2) : "m"(img) : "memory");
    dump("fxsave after fxrstor with selectors, fxrstor64", img2, 0, 32);

    /* FNINIT keeps the registers' contents; TOP and the tags go. */
    fill(img, 0xa5);
    __asm__ volatile("fninit\n\tfld1\n\tfldpi\n\tfninit\n\tfxsave %0"
                     : "=m"(img) : : "memory");
    dump("fxsave after fld1, fldpi, fninit", img, 0, 160);
}

/* ---- The x87 side of MMX ---- */

#define MMX_STATE(name, insn)                                              \
    static void name(void)                                                 \
    {                                                                      \
        static u64 v = 0x1122334455667788ul;                               \
        _Alignas(16) u64 x[2] = { 0x0123456789abcdeful, 1 };               \
        fill(img, 0xa5);                                                   \
        __asm__ volatile("fninit\n\tfld1\n\tfldpi\n\tfldz\n\t"             \
                         insn "\n\tfxsave64 %0"                            \
                         : "=m"(img) : "m"(v), "m"(x) : "rax", "memory");  \
        dump(#name ": " insn, img, 0, 160);                                \
    }

MMX_STATE(st_movq, "movq %1, %%mm3")
MMX_STATE(st_movq_store, "movq %%mm2, %1")
MMX_STATE(st_paddb, "paddb %1, %%mm6")
MMX_STATE(st_pxor, "pxor %%mm1, %%mm1")
MMX_STATE(st_psllq, "psllq $3, %%mm5")
MMX_STATE(st_pextrw, "pextrw $1, %%mm5, %%eax")
MMX_STATE(st_pinsrw, "pinsrw $1, %%eax, %%mm4")
MMX_STATE(st_movd_to_gpr, "movd %%mm7, %%eax")
MMX_STATE(st_movq2dq, "movq2dq %%mm0, %%xmm0")
MMX_STATE(st_movdq2q, "movdq2q %%xmm0, %%mm0")
MMX_STATE(st_cvtpi2ps_reg, "cvtpi2ps %%mm1, %%xmm1")
MMX_STATE(st_cvtpi2ps_mem, "cvtpi2ps %1, %%xmm1")
MMX_STATE(st_cvtpi2pd_mem, "cvtpi2pd %1, %%xmm1")
MMX_STATE(st_cvtpi2pd_reg, "cvtpi2pd %%mm2, %%xmm1")
MMX_STATE(st_cvtpd2pi, "cvtpd2pi %2, %%mm2")
MMX_STATE(st_emms, "emms")
MMX_STATE(st_movq_emms, "movq %1, %%mm3\n\temms")
MMX_STATE(st_movq_fld, "movq %1, %%mm0\n\temms\n\tfld1")
MMX_STATE(st_pshufb_mem, "pshufb %1, %%mm2")
MMX_STATE(st_palignr, "palignr $3, %%mm1, %%mm4")
MMX_STATE(st_pabsw, "pabsw %%mm5, %%mm5")

/* The full tag word of registers MMX wrote (special: exponent all
   ones) and of the others, and what an x87 load then sees. */
static void mmx_then_x87(void)
{
    static const u64 v = 0x8000000000000001ul;
    u8 env[28];
    _Alignas(16) u8 t[10];

    __asm__ volatile("fninit\n\tfld1\n\tfldz\n\tmovq %2, %%mm0\n\t"
                     "pxor %%mm1, %%mm1\n\tfnstenv %0\n\tfldenv %0\n\t"
                     "fstpt %1\n\tfninit"
                     : "=m"(env), "=m"(t) : "m"(v) : "memory");
    put("fnstenv after movq mm0 and pxor mm1: tags ");
    put_hex(env[8] | env[9] << 8);
    put(" status ");
    put_hex(env[4] | env[5] << 8);
    put(" st0 ");
    put_hex(*(u64 *)t);
    put(" ");
    put_hex(t[8] | t[9] << 8);
    put("\n");
}

/* ---- FXRSTOR of random images ---- */

static void fxrstor_round_trips(void)
{
    u8 env[28];

    hash = 0xcbf29ce484222325ul;
    for (int i = 0; i < 1000; i++) {
        for (int j = 0; j < 512; j += 8) {
            u64 r = rnd();

            for (int k = 0; k < 8; k++)
                img[j + k] = (u8)(r >> (8 * k));
        }
        img[26] = img[27] = 0;          /* MXCSR's reserved bits */
        /* Pointers a program can have: with REX.W, user addresses (the
           host keeps only 56 bits or so of others); without, any. */
        if (i & 2)
            img[15] = img[23] = img[14] = img[22] = 0;
        if (i & 1) {                    /* mostly masked exceptions */
            img[0] |= 0x3f;
            img[29] = 0;
        }
        fill(img2, 0xa5);
        if (i & 2) {
            __asm__ volatile("fxrstor64 %2\n\tfxsave64 %0\n\tfnstenv %1\n\t"
                             "fninit"
                             : "=m"(img2), "=m"(env) : "m"(img) : "memory");
        } else {
            __asm__ volatile("fxrstor %2\n\tfxsave %0\n\tfnstenv %1\n\t"
                             "fninit"
                             : "=m"(img2), "=m"(env) : "m"(img) : "memory");
        }
        if (!(i & 2))
            fold_selectors(img2, (u16)(img[12] | img[13] << 8),
                           (u16)(img[20] | img[21] << 8));
        mask_image(img2);
        for (int j = 0; j < 512; j += 8)
            mix(*(u64 *)(img2 + j));
        mix(env[8] | env[9] << 8);      /* the full tag word */
    }
    __asm__ volatile("ldmxcsr %0" : : "m"((u32){ 0x1f80 }));
    put_hash("fxrstor round trips");
}

int main(int argc, char **argv, char **envp)
{
    (void)argc;
    (void)argv;
    (void)envp;
    for (unsigned k = 0; k < sizeof(ops) / sizeof(ops[0]); k++)
        run_op((int)k);
    moves();
    conversions();
    fxsave_states();
    st_movq();
    st_movq_store();
    st_paddb();
    st_pxor();
    st_psllq();
    st_pextrw();
    st_pinsrw();
    st_movd_to_gpr();
    st_movq2dq();
    st_movdq2q();
    st_cvtpi2ps_reg();
    st_cvtpi2ps_mem();
    st_cvtpi2pd_mem();
    st_cvtpi2pd_reg();
    st_cvtpd2pi();
    st_emms();
    st_movq_emms();
    st_movq_fld();
    st_pshufb_mem();
    st_palignr();
    st_pabsw();
    mmx_then_x87();
    fxrstor_round_trips();
    return 0;
}
