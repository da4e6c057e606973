/*
 * The integer ALU at every operand size: each operation runs on a fixed
 * stream of pseudo-random operands (and edge values) with random carry
 * and direction in, and the result and the flags it leaves (the ones the
 * SDM defines for it) are hashed; one hash per operation is printed.
 * Natively and under Mimic the hashes must be equal.
 */
#include "rt.h"

#define CF 0x001
#define PF 0x004
#define AF 0x010
#define ZF 0x040
#define SF 0x080
#define OF 0x800
#define ALL (CF | PF | AF | ZF | SF | OF)

static u64 seed = 0x9e3779b97f4a7c15ul;

static u64 rnd(void)
{
    seed ^= seed << 13;
    seed ^= seed >> 7;
    seed ^= seed << 17;
    return seed;
}

static const u64 edges[] = {
    0, 1, 2, 0x7f, 0x80, 0xff, 0x7fff, 0x8000, 0xffff, 0x7fffffff,
    0x80000000, 0xffffffff, 0x7fffffffffffffff, 0x8000000000000000,
    0xffffffffffffffff, 0x100, 0x10000, 0x100000000,
};

static u64 operand(int i)
{
    u64 r = rnd();

    if (i < 18 * 18)
        return 0;
    switch (r & 3) {
    case 0: return r >> (r & 63);
    case 1: return edges[(r >> 8) % 18] + ((r >> 16) & 3) - 1;
    default: return rnd();
    }
}

static u64 hash;

static void mix(u64 v)
{
    hash = (hash ^ v) * 0x100000001b3ul;
}

/* Two-operand op at a size: dst = dst OP src, flags in and out. */
#define BIN(name, insn, type, sfx, mask)                                  \
    static void name(u64 a, u64 b, u64 cin)                               \
    {                                                                     \
        type d = (type)a, s = (type)b;                                    \
        u64 fl = cin & CF;                                                \
        __asm__("push %2\n\tpopf\n\t" insn sfx " %3, %0\n\tpushf\n\tpop %1" \
                : "+r"(d), "=r"(fl) : "r"(fl), "r"(s) : "cc");            \
        mix((u64)d);                                                      \
        mix(fl & (mask));                                                 \
    }

#define BIN4(op, mask)                                   \
    BIN(op##_b, #op, unsigned char, "b", mask)           \
    BIN(op##_w, #op, unsigned short, "w", mask)          \
    BIN(op##_l, #op, unsigned int, "l", mask)            \
    BIN(op##_q, #op, unsigned long, "q", mask)

BIN4(add, ALL)
BIN4(adc, ALL)
BIN4(sub, ALL)
BIN4(sbb, ALL)
BIN4(and, ALL & ~AF)
BIN4(or, ALL & ~AF)
BIN4(xor, ALL & ~AF)
BIN4(cmp, ALL)
BIN4(test, ALL & ~AF)

/* One-operand ops. */
#define UN(name, insn, type, sfx, mask)                                    \
    static void name(u64 a, u64 b, u64 cin)                                \
    {                                                                      \
        type d = (type)a;                                                  \
        u64 fl = cin & CF;                                                 \
        __asm__("push %2\n\tpopf\n\t" insn sfx " %0\n\tpushf\n\tpop %1"    \
                : "+r"(d), "=r"(fl) : "r"(fl) : "cc");                     \
        mix((u64)d);                                                       \
        mix(fl & (mask));                                                  \
    }
#define UN4(op, mask)                                    \
    UN(op##_b, #op, unsigned char, "b", mask)            \
    UN(op##_w, #op, unsigned short, "w", mask)           \
    UN(op##_l, #op, unsigned int, "l", mask)             \
    UN(op##_q, #op, unsigned long, "q", mask)

UN4(inc, ALL)
UN4(dec, ALL)
UN4(neg, ALL)
UN4(not, ALL)

/* Shifts and rotates by CL: OF is defined for a count of 1 only, AF
   never; a count of 0 (after masking) leaves every flag. */
#define SH(name, insn, type, sfx, width, rot)                              \
    static void name(u64 a, u64 b, u64 cin)                                \
    {                                                                      \
        type d = (type)a;                                                  \
        u64 fl = cin & CF, mask;                                           \
        unsigned char c = (unsigned char)b;                                \
        unsigned n = c & (width == 64 ? 63 : 31);                          \
        __asm__("push %2\n\tpopf\n\t" insn sfx " %%cl, %0\n\tpushf\n\tpop %1" \
                : "+r"(d), "=r"(fl) : "r"(fl), "c"(c) : "cc");             \
        mask = rot ? (CF | OF) : (ALL & ~AF);                              \
        if (n != 1)                                                        \
            mask &= ~OF;                                                   \
        if (rot && width < 32 && n >= width)                               \
            mask &= ~(CF | OF);                                            \
        mix((u64)d);                                                       \
        mix(fl & mask);                                                    \
    }
#define SH4(op, rot)                                           \
    SH(op##_b, #op, unsigned char, "b", 8, rot)                \
    SH(op##_w, #op, unsigned short, "w", 16, rot)              \
    SH(op##_l, #op, unsigned int, "l", 32, rot)                \
    SH(op##_q, #op, unsigned long, "q", 64, rot)

SH4(shl, 0)
SH4(shr, 0)
SH4(sar, 0)
SH4(rol, 1)
SH4(ror, 1)

/* imul r, r/m: CF and OF defined. */
#define IMUL(name, type, sfx)                                              \
    static void name(u64 a, u64 b, u64 cin)                                \
    {                                                                      \
        type d = (type)a, s = (type)b;                                     \
        u64 fl;                                                            \
        __asm__("imul" sfx " %2, %0\n\tpushf\n\tpop %1"                    \
                : "+r"(d), "=r"(fl) : "r"(s) : "cc");                      \
        mix((u64)d);                                                       \
        mix(fl & (CF | OF));                                               \
    }
IMUL(imul_w, unsigned short, "w")
IMUL(imul_l, unsigned int, "l")
IMUL(imul_q, unsigned long, "q")

/* mul and one-operand imul into rdx:rax. */
static void mul_q(u64 a, u64 b, u64 cin)
{
    u64 lo = a, hi, fl;

    __asm__("mulq %3\n\tpushf\n\tpop %2" : "+a"(lo), "=d"(hi), "=r"(fl)
            : "r"(b) : "cc");
    mix(lo);
    mix(hi);
    mix(fl & (CF | OF));
}

static void imul1_q(u64 a, u64 b, u64 cin)
{
    u64 lo = a, hi, fl;

    __asm__("imulq %3\n\tpushf\n\tpop %2" : "+a"(lo), "=d"(hi), "=r"(fl)
            : "r"(b) : "cc");
    mix(lo);
    mix(hi);
    mix(fl & (CF | OF));
}

/* div and idiv with a divisor that cannot fault. */
static void div_q(u64 a, u64 b, u64 cin)
{
    u64 q = a, r = b & 0xffff, d = (b >> 16) | 1;

    if (r >= d)
        r = 0;
    __asm__("divq %2" : "+a"(q), "+d"(r) : "r"(d) : "cc");
    mix(q);
    mix(r);
}

static void idiv_l(u64 a, u64 b, u64 cin)
{
    int q = (int)a, r, d = (int)(b | 1);

    if (d == -1)
        d = 3;
    __asm__("cltd\n\tidivl %2" : "+a"(q), "=&d"(r) : "r"(d) : "cc");
    mix((u64)(unsigned)q);
    mix((u64)(unsigned)r);
}

/* 64-bit IDIV after CQO and DIV after a cleared rDX (the translator's
   inline division), and IDIV with rDX not rAX's sign (the helper's). */
static void idiv_q(u64 a, u64 b, u64 cin)
{
    u64 q = a, r, d = b | 1;

    if (d == ~0ul && a == 1ul << 63)
        d = 3;
    __asm__("cqto\n\tidivq %2" : "+a"(q), "=&d"(r) : "r"(d) : "cc");
    mix(q);
    mix(r);
    q = a;
    r = 0;
    __asm__("divq %2" : "+a"(q), "+d"(r) : "r"(d) : "cc");
    mix(q);
    mix(r);
    q = a;
    r = (a >> 63) ? 0 : ~0ul;   /* the wrong sign: a 128-bit dividend */
    d = (b & ((1ul << 62) - 1)) | (1ul << 62);  /* |quotient| <= 4 */
    __asm__("idivq %2" : "+a"(q), "+d"(r) : "r"(d) : "cc");
    mix(q);
    mix(r);
    (void)cin;
}

/* Jcc / SETcc / CMOVcc after a compare: every condition. */
static void conds(u64 a, u64 b, u64 cin)
{
    u64 r = 0;
    u64 x = a, y = (b & 1) ? a : b;

#define C(cc, bit)                                                         \
    do {                                                                   \
        unsigned char s;                                                   \
        __asm__("cmp %2, %1\n\tset" cc " %0" : "=r"(s) : "r"(x), "r"(y)    \
                : "cc");                                                   \
        r |= (u64)s << bit;                                                \
        unsigned char t;                                                   \
        __asm__("cmpl %k2, %k1\n\tset" cc " %0" : "=r"(t) : "r"(x), "r"(y) \
                : "cc");                                                   \
        r |= (u64)t << (bit + 16);                                         \
        u64 m = 0, one = 1;                                                \
        __asm__("test %2, %1\n\tcmov" cc " %3, %0" : "+r"(m) : "r"(x),     \
                "r"(y), "r"(one) : "cc");                                  \
        r |= m << (bit + 32);                                              \
    } while (0)
    C("o", 0); C("no", 1); C("b", 2); C("ae", 3); C("e", 4); C("ne", 5);
    C("be", 6); C("a", 7); C("s", 8); C("ns", 9); C("p", 10); C("np", 11);
    C("l", 12); C("ge", 13); C("le", 14); C("g", 15);
    mix(r);
}

/*
 * The reader right after CMP or SUB in the same TB compares the
 * operands themselves (translate.c's fused compare): Jcc at every size,
 * CMOVcc into the register just compared, SBB and ADC taking CF from
 * it, a memory operand; and the same flags read in the next TB (after
 * a JMP), from the lazy flags in env.
 */
static void fused(u64 a, u64 b, u64 cin)
{
    u64 r = 0;
    u64 x = a, y = (b & 1) ? a : (b & 2) ? a + 1 : b;

#define J(cc, bit, sfx, ra, rb)                                            \
    do {                                                                   \
        u64 t = 0;                                                         \
        __asm__("cmp" sfx " %" rb "2, %" ra "1\n\tj" cc " 1f\n\t"          \
                "mov $1, %0\n1:" : "+r"(t) : "r"(x), "r"(y) : "cc");       \
        r |= t << (bit);                                                   \
    } while (0)
#define JS(cc, bit)                                                        \
    J(cc, bit, "b", "b", "b"); J(cc, bit + 16, "w", "w", "w");             \
    J(cc, bit + 32, "l", "k", "k"); J(cc, bit + 48, "q", "", "")
    JS("b", 0); JS("ae", 1); JS("be", 2); JS("a", 3); JS("l", 4);
    JS("ge", 5); JS("le", 6); JS("g", 7); JS("e", 8); JS("ne", 9);
    JS("s", 10); JS("o", 11);
    mix(r);
    r = x;
    __asm__("cmpl %k1, %k0\n\tcmovl %k1, %k0" : "+r"(r) : "r"(y) : "cc");
    mix(r);
    r = x;
    __asm__("cmp %1, %0\n\tcmovae %1, %0" : "+r"(r) : "r"(y) : "cc");
    mix(r);
    r = x;
    __asm__("sub %1, %0\n\tsbb %1, %0" : "+r"(r) : "r"(y) : "cc");
    mix(r);
    r = x;
    __asm__("subl %k1, %k0\n\tadcl $7, %k0" : "+r"(r) : "r"(y) : "cc");
    mix(r);
    r = 0;
    __asm__("cmpw %w2, %1\n\tsetg %b0" : "+q"(r) : "m"(x), "r"(y) : "cc");
    mix(r);
    r = 0;
    __asm__("cmp %2, %1\n\tjmp 1f\n1:\tsetle %b0\n\tsetb %h0"
            : "+Q"(r) : "r"(x), "r"(y) : "cc");
    mix(r);
    r = x;
    __asm__("cmpl %k1, %k0\n\tjmp 1f\n1:\tcmovg %1, %0" : "+r"(r) : "r"(y)
            : "cc");
    mix(r);
}

/* XOR r, r and SUB r, r at every size (AH too), from any flags: the
   zeroing idiom the translator turns into a constant. */
static void zero(u64 a, u64 b, u64 cin)
{
#define Z(insn)                                                            \
    do {                                                                   \
        u64 r = a, fl = cin & ALL;                                         \
        __asm__("push %1\n\tpopf\n\t" insn "\n\tpushf\n\tpop %1"           \
                : "+a"(r), "+r"(fl) : : "cc");                             \
        mix(r);                                                            \
        mix(fl & ALL);                                                     \
    } while (0)
    Z("xorb %%al, %%al"); Z("xorb %%ah, %%ah"); Z("xorw %%ax, %%ax");
    Z("xorl %%eax, %%eax"); Z("xorq %%rax, %%rax"); Z("subb %%ah, %%ah");
    Z("subw %%ax, %%ax"); Z("subl %%eax, %%eax"); Z("subq %%rax, %%rax");
    Z("xorb %%ah, %%al");
    (void)b;
}

/* lea, movzx, movsx, movsxd, bswap, xchg, cqo and friends. */
static void moves(u64 a, u64 b, u64 cin)
{
    u64 r;

    __asm__("lea 0x12(%1,%2,4), %0" : "=r"(r) : "r"(a), "r"(b));
    mix(r);
    __asm__("movzbl %b1, %k0" : "=r"(r) : "r"(a));
    mix(r);
    __asm__("movsbq %b1, %0" : "=r"(r) : "r"(a));
    mix(r);
    __asm__("movswq %w1, %0" : "=r"(r) : "r"(a));
    mix(r);
    __asm__("movslq %k1, %0" : "=r"(r) : "r"(a));
    mix(r);
    r = a;
    __asm__("bswap %0" : "+r"(r));
    mix(r);
    r = a;
    __asm__("bswap %k0" : "+r"(r));
    mix(r);
    u64 lo = a, hi;
    __asm__("cqto" : "+a"(lo), "=d"(hi));
    mix(hi);
    lo = a;
    __asm__("cltq" : "+a"(lo));
    mix(lo);
    r = a;
    u64 s = b;
    __asm__("xchg %0, %1" : "+r"(r), "+r"(s));
    mix(r ^ (s << 1));
    /* A byte register write keeps the rest; a 32-bit one clears it. */
    r = a;
    __asm__("movb %b1, %h0" : "+Q"(r) : "Q"(b));
    mix(r);
    r = a;
    __asm__("movl %k1, %k0" : "+r"(r) : "r"(b));
    mix(r);
}

typedef void Op(u64, u64, u64);
static const struct { const char *name; Op *fn; } ops[] = {
#define O4(op) { #op "b", op##_b }, { #op "w", op##_w }, { #op "l", op##_l }, \
               { #op "q", op##_q }
    O4(add), O4(adc), O4(sub), O4(sbb), O4(and), O4(or), O4(xor), O4(cmp),
    O4(test), O4(inc), O4(dec), O4(neg), O4(not), O4(shl), O4(shr), O4(sar),
    O4(rol), O4(ror),
    { "imulw", imul_w }, { "imull", imul_l }, { "imulq", imul_q },
    { "mulq", mul_q }, { "imul1q", imul1_q }, { "divq", div_q },
    { "idivl", idiv_l }, { "idivq", idiv_q }, { "conds", conds }, { "fused", fused },
    { "zero", zero }, { "moves", moves },
};

int main(int argc, char **argv, char **envp)
{
    for (unsigned k = 0; k < sizeof(ops) / sizeof(ops[0]); k++) {
        hash = 0xcbf29ce484222325ul;
        seed = 0x9e3779b97f4a7c15ul + k;
        for (int i = 0; i < 18 * 18 + 3000; i++) {
            u64 a, b;

            if (i < 18 * 18) {
                a = edges[i / 18];
                b = edges[i % 18];
            } else {
                a = operand(i);
                b = operand(i);
            }
            ops[k].fn(a, b, rnd());
        }
        put(ops[k].name);
        put(" ");
        put_hex(hash);
        put("\n");
    }
    return 0;
}
