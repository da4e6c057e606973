/*
 * The integer instructions alu.c does not cover: RCL/RCR, SHLD/SHRD,
 * ENTER, CMPXCHG8B/16B, POPCNT, LZCNT, MOVBE and the F3 0F BC encoding.
 * As in alu.c, each runs on edge and pseudo-random operands with random
 * flags in, and the result and the flags the SDM defines for it are
 * hashed; one hash per operation is printed.  Natively and under Mimic
 * the hashes must be equal.  The undefined flags left out: OF after a
 * rotate or double shift by more than 1, AF after SHLD/SHRD, OF SF AF PF
 * after LZCNT; and the undefined 16-bit SHLD/SHRD by more than 16.
 */
#include "rt.h"

#define CF 0x001
#define PF 0x004
#define AF 0x010
#define ZF 0x040
#define SF 0x080
#define OF 0x800
#define ALL (CF | PF | AF | ZF | SF | OF)

static u64 seed;

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
#define NEDGES (sizeof(edges) / sizeof(edges[0]))

static u64 operand(void)
{
    u64 r = rnd();

    switch (r & 3) {
    case 0: return r >> (r & 63);
    case 1: return edges[(r >> 8) % NEDGES] + ((r >> 16) & 3) - 1;
    default: return rnd();
    }
}

static u64 hash;

static void mix(u64 v)
{
    hash = (hash ^ v) * 0x100000001b3ul;
}

/* RCL/RCR by CL: the count is masked to 5 (6) bits, then taken modulo 9
   or 17 for bytes and words; OF is defined when the masked count is 1. */
#define RC(name, insn, type, sfx, width)                                   \
    static void name(u64 a, u64 b, u64 fin)                                \
    {                                                                      \
        type d = (type)a;                                                  \
        u64 fl = fin;                                                      \
        unsigned char c = (unsigned char)b;                                \
        unsigned n = c & (width == 64 ? 63 : 31);                          \
        __asm__("push %2\n\tpopf\n\t" insn sfx " %%cl, %0\n\tpushf\n\tpop %1" \
                : "+r"(d), "=r"(fl) : "r"(fl), "c"(c) : "cc");             \
        mix((u64)d);                                                       \
        mix(fl & (n == 1 ? ALL : ALL & ~OF));                              \
    }
#define RC4(op)                                          \
    RC(op##_b, #op, unsigned char, "b", 8)               \
    RC(op##_w, #op, unsigned short, "w", 16)             \
    RC(op##_l, #op, unsigned int, "l", 32)               \
    RC(op##_q, #op, unsigned long, "q", 64)
RC4(rcl)
RC4(rcr)

/* The by-1 and imm8 encodings (D1 /2, C1 /3), and a 32-bit register
   whose upper half a count of 0 still clears. */
static void rc_forms(u64 a, u64 b, u64 fin)
{
    u64 d = a, fl = fin;

    __asm__("push %2\n\tpopf\n\trclq $1, %0\n\tpushf\n\tpop %1"
            : "+r"(d), "=r"(fl) : "r"(fl) : "cc");
    mix(d);
    mix(fl & ALL);
    fl = fin;
    __asm__("push %2\n\tpopf\n\trcrl $1, %k0\n\tpushf\n\tpop %1"
            : "+r"(d), "=r"(fl) : "r"(fl) : "cc");
    mix(d);
    mix(fl & ALL);
    fl = fin;
    __asm__("push %2\n\tpopf\n\trcrw $13, %w0\n\tpushf\n\tpop %1"
            : "+r"(d), "=r"(fl) : "r"(fl) : "cc");
    mix(d);
    mix(fl & (ALL & ~OF));
    fl = fin;
    __asm__("push %2\n\tpopf\n\trclb $200, %b0\n\tpushf\n\tpop %1"
            : "+r"(d), "=r"(fl) : "r"(fl) : "cc");
    mix(d);
    mix(fl & (ALL & ~OF));
    d = a;
    __asm__("rcll %%cl, %k0" : "+r"(d) : "c"(b & 0xe0) : "cc");
    mix(d);
}

/* SHLD/SHRD by CL, dst = dst:src shifted.  A count of 0 changes
   nothing; a 16-bit count above 16 is undefined (skipped). */
#define SD(name, insn, type, sfx, width)                                   \
    static void name(u64 a, u64 b, u64 fin)                                \
    {                                                                      \
        type d = (type)a, s = (type)(b >> 8);                              \
        u64 fl = fin, mask = ALL & ~AF;                                    \
        unsigned char c = (unsigned char)b;                                \
        unsigned n = c & (width == 64 ? 63 : 31);                          \
        if (width == 16 && n > 16)                                         \
            return;                                                        \
        __asm__("push %2\n\tpopf\n\t" insn sfx " %%cl, %3, %0\n\tpushf\n\t" \
                "pop %1" : "+r"(d), "=r"(fl) : "r"(fl), "r"(s), "c"(c)     \
                : "cc");                                                   \
        if (n == 0)                                                        \
            mask = ALL;                                                    \
        else if (n != 1)                                                   \
            mask &= ~OF;                                                   \
        mix((u64)d);                                                       \
        mix(fl & mask);                                                    \
    }
#define SD3(op)                                          \
    SD(op##_w, #op, unsigned short, "w", 16)             \
    SD(op##_l, #op, unsigned int, "l", 32)               \
    SD(op##_q, #op, unsigned long, "q", 64)
SD3(shld)
SD3(shrd)

/* The imm8 encodings, a memory destination, and a 32-bit register
   destination with a count of 0 (its upper half cleared). */
static void sd_forms(u64 a, u64 b, u64 fin)
{
    static u64 m;   /* not in the red zone, which push would overwrite */
    u64 d = a, fl = fin;

    m = a;
    __asm__("push %2\n\tpopf\n\tshldq $1, %3, %0\n\tpushf\n\tpop %1"
            : "+r"(d), "=r"(fl) : "r"(fl), "r"(b) : "cc");
    mix(d);
    mix(fl & (ALL & ~AF));
    fl = fin;
    __asm__("push %2\n\tpopf\n\tshrdl $7, %k3, %k0\n\tpushf\n\tpop %1"
            : "+r"(d), "=r"(fl) : "r"(fl), "r"(b) : "cc");
    mix(d);
    mix(fl & (ALL & ~AF & ~OF));
    fl = fin;
    __asm__("push %2\n\tpopf\n\tshrdq $63, %3, %0\n\tpushf\n\tpop %1"
            : "+m"(m), "=r"(fl) : "r"(fl), "r"(b) : "cc");
    mix(m);
    mix(fl & (ALL & ~AF & ~OF));
    fl = fin;
    __asm__("push %2\n\tpopf\n\tshldw $16, %w3, %w0\n\tpushf\n\tpop %1"
            : "+r"(d), "=r"(fl) : "r"(fl), "r"(b) : "cc");
    mix(d);
    mix(fl & (ALL & ~AF & ~OF));
    d = a;
    __asm__("shldl $32, %k1, %k0" : "+r"(d) : "r"(b) : "cc");
    mix(d);
}

/* POPCNT: every flag defined.  LZCNT: CF and ZF. */
#define BC(name, insn, type, sfx, mask)                                    \
    static void name(u64 a, u64 b, u64 fin)                                \
    {                                                                      \
        type d = (type)b, s = (type)a;                                     \
        u64 fl = fin;                                                      \
        __asm__("push %2\n\tpopf\n\t" insn sfx " %3, %0\n\tpushf\n\tpop %1" \
                : "+r"(d), "=r"(fl) : "r"(fl), "r"(s) : "cc");             \
        mix((u64)d);                                                       \
        mix(fl & (mask));                                                  \
    }
BC(popcnt_w, "popcnt", unsigned short, "w", ALL)
BC(popcnt_l, "popcnt", unsigned int, "l", ALL)
BC(popcnt_q, "popcnt", unsigned long, "q", ALL)
BC(lzcnt_w, "lzcnt", unsigned short, "w", CF | ZF)
BC(lzcnt_l, "lzcnt", unsigned int, "l", CF | ZF)
BC(lzcnt_q, "lzcnt", unsigned long, "q", CF | ZF)

/* A whole register through the 16- and 32-bit forms, and memory. */
static void bc_forms(u64 a, u64 b, u64 fin)
{
    u64 d = b, m = a;

    __asm__("popcntw %w1, %w0" : "+r"(d) : "r"(a) : "cc");
    mix(d);
    __asm__("lzcntl %k1, %k0" : "+r"(d) : "r"(a) : "cc");
    mix(d);
    __asm__("lzcntq %1, %0" : "+r"(d) : "m"(m) : "cc");
    mix(d);
    /* F3 0F BC: TZCNT on the host, BSF on a CPU without BMI1 (Mimic's):
       the same result for a non-zero source. */
    if (a) {
        __asm__("rep bsfq %1, %0" : "=r"(d) : "r"(a) : "cc");
        mix(d);
    }
}

/* MOVBE both ways at every size; a 16-bit load keeps the rest. */
static void movbe(u64 a, u64 b, u64 fin)
{
    u64 m = a, r = b;

    __asm__("movbeq %1, %0" : "+r"(r) : "m"(m));
    mix(r);
    __asm__("movbel %1, %k0" : "+r"(r) : "m"(m));
    mix(r);
    r = b;
    __asm__("movbew %1, %w0" : "+r"(r) : "m"(m));
    mix(r);
    __asm__("movbeq %1, (%0)" : : "r"(&m), "r"(b) : "memory");
    mix(m);
    __asm__("movbel %k1, (%0)" : : "r"(&m), "r"(a) : "memory");
    mix(m);
    __asm__("movbew %w1, (%0)" : : "r"(&m), "r"(a) : "memory");
    mix(m);
}

/* CMPXCHG8B/16B: equal (half the time) or not, with and without LOCK;
   memory, rAX and rDX whole (their upper halves with 8B), and the
   flags, only ZF of which may change. */
static void cx8(u64 a, u64 b, u64 fin)
{
    static u64 m8[3];
    u64 ax = a, dx = rnd(), fl = fin, cmpm;
    u64 bx = b, cx = rnd();
    u64 *p = (u64 *)((char *)m8 + (b & 7));   /* any alignment */

    cmpm = (b & 0x100) ? ((u32)ax | (dx << 32)) : rnd();
    *p = cmpm;
    if (b & 0x200)
        __asm__("push %3\n\tpopf\n\tlock cmpxchg8b %2\n\tpushf\n\tpop %3"
                : "+a"(ax), "+d"(dx), "+m"(*p), "+r"(fl)
                : "b"(bx), "c"(cx) : "cc");
    else
        __asm__("push %3\n\tpopf\n\tcmpxchg8b %2\n\tpushf\n\tpop %3"
                : "+a"(ax), "+d"(dx), "+m"(*p), "+r"(fl)
                : "b"(bx), "c"(cx) : "cc");
    mix(ax);
    mix(dx);
    mix(*p);
    mix(fl & ALL);
}

static void cx16(u64 a, u64 b, u64 fin)
{
    static _Alignas(16) u64 m16[2];
    u64 ax = a, dx = rnd(), fl = fin, bx = b, cx = rnd();

    m16[0] = (b & 0x100) ? ax : rnd();
    m16[1] = (b & 0x100) && (b & 0x400) ? dx : rnd();
    if (b & 0x200)
        __asm__("push %3\n\tpopf\n\tlock cmpxchg16b %2\n\tpushf\n\tpop %3"
                : "+a"(ax), "+d"(dx), "+m"(m16), "+r"(fl)
                : "b"(bx), "c"(cx) : "cc");
    else
        __asm__("push %3\n\tpopf\n\tcmpxchg16b %2\n\tpushf\n\tpop %3"
                : "+a"(ax), "+d"(dx), "+m"(m16), "+r"(fl)
                : "b"(bx), "c"(cx) : "cc");
    mix(ax);
    mix(dx);
    mix(m16[0]);
    mix(m16[1]);
    mix(fl & ALL);
}

/*
 * ENTER alloc, level on a stack of our own, with rBP pointing into an
 * enclosing frame of known words: rSP and rBP after it (from the stack's
 * top) and the words it pushed.  With a 66 prefix (enterw) the pushes
 * are 16-bit.
 */
static u64 stack[1024];      /* room below the top for 0x1234 bytes */
static u64 outer[40];

#define ENTER(name, insn, alloc, level)                                    \
    static void name(u64 *sp, u64 *bp)                                     \
    {                                                                      \
        u64 top = (u64)&stack[1000], fp = (u64)&outer[36];                   \
        __asm__ volatile("mov %%rsp, %%r12\n\tmov %%rbp, %%r13\n\t"        \
                         "mov %2, %%rsp\n\tmov %3, %%rbp\n\t"              \
                         insn " $" #alloc ", $" #level "\n\t"              \
                         "mov %%rsp, %0\n\tmov %%rbp, %1\n\t"              \
                         "mov %%r12, %%rsp\n\tmov %%r13, %%rbp"            \
                         : "=&r"(*sp), "=&r"(*bp) : "r"(top), "r"(fp)      \
                         : "r12", "r13", "memory");                        \
    }
ENTER(enter_0, "enterq", 0, 0)
ENTER(enter_1, "enterq", 24, 1)
ENTER(enter_2, "enterq", 8, 2)
ENTER(enter_5, "enterq", 0x1234, 5)
ENTER(enter_31, "enterq", 16, 31)
ENTER(enter_33, "enterq", 16, 33)
ENTER(enterw_0, "enterw", 2, 0)
ENTER(enterw_3, "enterw", 6, 3)

static void enter(u64 a, u64 b, u64 fin)
{
    static void (*const fns[])(u64 *, u64 *) = {
        enter_0, enter_1, enter_2, enter_5, enter_31, enter_33, enterw_0,
        enterw_3,
    };
    u64 top = (u64)&stack[1000];

    for (unsigned k = 0; k < sizeof(fns) / sizeof(fns[0]); k++) {
        u64 sp, bp;

        for (int i = 936; i < 1000; i++)
            stack[i] = 0x5a5a5a5a00000000ul + (u64)i;
        for (int i = 0; i < 40; i++)
            outer[i] = a + (u64)i * b;
        fns[k](&sp, &bp);
        mix(top - sp);
        mix(top - bp);
        /* Frame pointers are addresses: hash them from the stack top. */
        for (int i = 936; i < 1000; i++)
            mix(stack[i] - top);
    }
}

typedef void Op(u64, u64, u64);
static const struct { const char *name; Op *fn; int n; } ops[] = {
#define O4(op) { #op "b", op##_b, 3000 }, { #op "w", op##_w, 3000 }, \
               { #op "l", op##_l, 3000 }, { #op "q", op##_q, 3000 }
#define O3(op) { #op "w", op##_w, 3000 }, { #op "l", op##_l, 3000 }, \
               { #op "q", op##_q, 3000 }
    O4(rcl), O4(rcr), { "rc_forms", rc_forms, 3000 },
    O3(shld), O3(shrd), { "sd_forms", sd_forms, 3000 },
    O3(popcnt), O3(lzcnt), { "bc_forms", bc_forms, 3000 },
    { "movbe", movbe, 3000 }, { "cmpxchg8b", cx8, 3000 },
    { "cmpxchg16b", cx16, 3000 }, { "enter", enter, 20 },
};

int main(int argc, char **argv, char **envp)
{
    for (unsigned k = 0; k < sizeof(ops) / sizeof(ops[0]); k++) {
        int edge_pairs = ops[k].n > (int)(NEDGES * NEDGES)
                         ? (int)(NEDGES * NEDGES) : 0;

        hash = 0xcbf29ce484222325ul;
        seed = 0x9e3779b97f4a7c15ul + k;
        for (int i = 0; i < edge_pairs + ops[k].n; i++) {
            u64 a, b, fin;

            if (i < edge_pairs) {
                a = edges[i / NEDGES];
                b = edges[i % NEDGES];
            } else {
                a = operand();
                b = operand();
            }
            /* Every arithmetic flag in at random: those an insn does not
               define must come out as they went in. */
            fin = rnd() & ALL;
            ops[k].fn(a, b, fin);
        }
        put(ops[k].name);
        put(" ");
        put_hex(hash);
        put("\n");
    }
    return 0;
}
