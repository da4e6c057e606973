/*
 * The rest of the x87 under Mimic against the host CPU: the
 * transcendentals (F2XM1, FYL2X, FYL2XP1, FPATAN, FSIN, FCOS, FSINCOS,
 * FPTAN) and packed BCD (FBLD, FBSTP).  Special operands (zeros,
 * infinities, NaNs, denormals, unsupported encodings, |x| >= 2^63 with
 * C2) print both result registers and the status word in full in every
 * rounding mode; so do stack underflow and overflow and unmasked
 * exceptions.  Ordinary numbers (the ends of each domain, multiples of
 * the x87's pi, tiny ones) and random operands print their results
 * rounded to binary64 only: the CPU's own
 * transcendentals are not correctly rounded and Mimic's are (they differ
 * in the last place in a few percent of cases, docs/devel/x86.md), and
 * the 11 bits dropped hide that difference unless it straddles a
 * binary64 rounding boundary, which these fixed operands do not.
 */
#include "rt.h"

typedef struct __attribute__((packed)) { u64 sig; unsigned short se; } X80;

static u64 seed = 2871;

static u64 rnd(void)
{
    seed ^= seed << 13;
    seed ^= seed >> 7;
    seed ^= seed << 17;
    return seed;
}

static const X80 edges[] = {
    { 0, 0 }, { 0, 0x8000 },                            /* zeros */
    { 1ull << 63, 0x7fff }, { 1ull << 63, 0xffff },     /* infinities */
    { 3ull << 62, 0x7fff }, { 5ull << 61, 0xffff },     /* qNaN, sNaN */
    { 1ull << 62, 0x3fff },                             /* unnormal */
    { 1ull << 63, 0x403e }, { 1ull << 63, 0xc03e },     /* +-2^63 */
    /* The numbers from here on are ordinary (NSPECIAL on); denormals
       and huge ones among them, as the CPU's results from them are not
       always correctly rounded (FYL2XP1 of a denormal, of 2^16383). */
    { 1ull << 63, 0x7ffe },                             /* huge */
    { 0x1234, 0 }, { 1ull << 63, 0x8000 },              /* denormal, pseudo */
    { 1ull << 63, 0x3fff }, { 1ull << 63, 0xbfff },     /* +-1 */
    { 1ull << 63, 0x3ffe }, { 1ull << 63, 0xbffe },     /* +-1/2 */
    { 1ull << 63, 0x4000 }, { 0xc000000000000000ull, 0x4001 }, /* 2, 6 */
    { ~0ull, 0x403d },                                  /* 2^63 - 1 */
    { 0xc90fdaa22168c235ull, 0x4000 },                  /* pi */
    { 0xc90fdaa22168c234ull, 0x3fff },                  /* pi/2 below */
    { 0xc90fdaa22168c235ull, 0x403c },                  /* a big multiple */
    { 1ull << 63, 0x3fbf }, { 0x8000000000000001ull, 0x3f00 }, /* tiny */
    { 1ull << 63, 1 }, { 0x95f619980c4336f7ull, 0xbffd },  /* -(1-sqrt2/2) */
    { 0xffffffffffffffffull, 0xbffe },                  /* -(1 - 2^-64) */
};
#define NEDGES (int)(sizeof(edges) / sizeof(edges[0]))
#define NSPECIAL 9

static void show_x80(X80 r)
{
    put_hex(r.se);
    put(".");
    put_hex(r.sig);
}

static void show(const char *what, X80 r0, X80 r1, unsigned sw)
{
    put(what);
    put(" ");
    show_x80(r0);
    put(" ");
    show_x80(r1);
    put(" sw ");
    put_hex(sw & 0xffff);
    put("\n");
}

/* ST(0) = a, ST(1) = b; the insn; the status word and the two top
   registers (an empty one reads as whatever fstpt makes of it: the
   indefinite, with the underflow reported in the second status word). */
#define RUN(name, insn)                                                      \
    __asm__ volatile("fninit\n\tfldcw %4\n\tfldt %3\n\tfldt %2\n\t" insn    \
                     "\n\tfnstsw %5\n\tfnclex\n\tfstpt %0\n\tfstpt %1"      \
                     : "=m"(r0), "=m"(r1) : "m"(a), "m"(b), "m"(cw),        \
                       "m"(sw) : "memory");                                 \
    show(name, r0, r1, sw)

static void all_ops(X80 a, X80 b, unsigned short cw)
{
    X80 r0, r1;
    unsigned short sw;

    RUN("f2xm1", "f2xm1");
    RUN("fyl2x", "fyl2x\n\tfld1");
    RUN("fyl2xp1", "fyl2xp1\n\tfld1");
    RUN("fpatan", "fpatan\n\tfld1");
    RUN("fsin", "fsin");
    RUN("fcos", "fcos");
    RUN("fsincos", "fsincos");
    RUN("fptan", "fptan");
}

/* The results of random operands as binary64 (round to nearest). */
#define RUN64(name, insn)                                                    \
    __asm__ volatile("fninit\n\tfldcw %4\n\tfldt %3\n\tfldt %2\n\t" insn    \
                     "\n\tfldcw %5\n\tfstpl %0\n\tfstpl %1"                 \
                     : "=m"(d0), "=m"(d1) : "m"(a), "m"(b), "m"(cw),        \
                       "m"(cw0) : "memory");                                \
    put(name);                                                               \
    put(" ");                                                                \
    put_hex(d0);                                                             \
    put(" ");                                                                \
    put_hex(d1);                                                             \
    put("\n")

/* A number of a random magnitude for op's domain: within [-1, 1] for
   F2XM1 and FYL2XP1 (a third of those tiny), up to 2^64 for the
   trigonometric ones, anywhere for FYL2X and FPATAN. */
static X80 random_number(int lo, int hi)
{
    return (X80){ rnd() | 1ull << 63,
                  (unsigned short)((0x3fff + lo + (int)(rnd() % (u64)(hi - lo))) |
                                   (rnd() & 0x8000)) };
}

/* The stack faults: underflow of each insn (one register or none), an
   overflow of the two that push, and an unmasked invalid (IE and ES set,
   the register left alone). */
static void stack_faults(void)
{
    X80 r0, r1, a = edges[NSPECIAL], b = edges[NSPECIAL + 4];
    unsigned short sw, cw = 0x37f;

#define FAULT(name, setup, insn)                                             \
    __asm__ volatile("fninit\n\tfldcw %4\n\t" setup "\n\t" insn             \
                     "\n\tfnstsw %5\n\tfnclex\n\tfstpt %0\n\tfstpt %1"      \
                     : "=m"(r0), "=m"(r1) : "m"(a), "m"(b), "m"(cw),        \
                       "m"(sw) : "memory");                                 \
    show(name, r0, r1, sw)

    FAULT("empty f2xm1", "", "f2xm1");
    FAULT("empty fsin", "", "fsin");
    FAULT("empty fsincos", "", "fsincos");
    FAULT("empty fptan", "", "fptan");
    FAULT("one fyl2x", "fldt %2", "fyl2x\n\tfld1");
    FAULT("one fpatan", "fldt %2", "fpatan\n\tfld1");
    FAULT("one fyl2xp1", "fldt %2", "fyl2xp1\n\tfld1");
    FAULT("full fsincos", "fldt %2\n\tfld1\n\tfld1\n\tfld1\n\tfld1\n\tfld1\n\tfld1\n\tfldt %3",
          "fsincos");
    FAULT("full fptan", "fldt %2\n\tfld1\n\tfld1\n\tfld1\n\tfld1\n\tfld1\n\tfld1\n\tfldt %3",
          "fptan");
    a = edges[5];
    cw = 0x37e;
    FAULT("unmasked fsin snan", "fldt %3\n\tfldt %2", "fsin");
    FAULT("unmasked fpatan snan", "fldt %3\n\tfldt %2", "fpatan");
    a = edges[0];
    cw = 0x37b;
    FAULT("unmasked fyl2x zero", "fldt %3\n\tfldt %2", "fyl2x");
}

/* ---- Packed BCD ---- */

typedef struct __attribute__((packed)) { unsigned char b[10]; } Bcd;

static void show_bcd(const char *what, Bcd v, unsigned sw)
{
    char digits[21];

    for (int i = 0; i < 10; i++) {
        digits[2 * i] = "0123456789abcdef"[v.b[9 - i] >> 4];
        digits[2 * i + 1] = "0123456789abcdef"[v.b[9 - i] & 15];
    }
    digits[20] = 0;
    put(what);
    put(" ");
    put(digits);
    put(" sw ");
    put_hex(sw & 0xffff);
    put("\n");
}

static void bcd_store(X80 a, unsigned short cw)
{
    Bcd v;
    unsigned short sw;

    v = (Bcd){ { 0x5a, 0x5a, 0x5a, 0x5a, 0x5a, 0x5a, 0x5a, 0x5a, 0x5a, 0x5a } };
    __asm__ volatile("fninit\n\tfldcw %2\n\tfldt %1\n\tfbstp %0\n\tfnstsw %3"
                     "\n\tfnclex"
                     : "=m"(v) : "m"(a), "m"(cw), "m"(sw) : "memory");
    show_bcd("fbstp", v, sw);
}

static void bcd_load(Bcd v)
{
    X80 r;
    unsigned short sw;

    __asm__ volatile("fninit\n\tfbld %1\n\tfnstsw %2\n\tfstpt %0"
                     : "=m"(r) : "m"(v), "m"(sw) : "memory");
    show("fbld", r, r, sw);
}

static X80 from_int(long long v)
{
    X80 r;

    __asm__ volatile("fildll %1\n\tfstpt %0" : "=m"(r) : "m"(v) : "memory");
    return r;
}

static void bcd(void)
{
    static const long long ints[] = {
        0, 1, -1, 9, 10, 99, 123456789012345678ll, 999999999999999999ll,
        -999999999999999999ll, 1000000000000000000ll, -1000000000000000000ll,
        0x7fffffffffffffffll,
    };
    static const X80 fracs[] = {
        { 1ull << 63, 0x3ffe }, { 1ull << 63, 0xbffe },      /* +-0.5 */
        { 0xa000000000000000ull, 0x4000 },                   /* 2.5 */
        { 0xc000000000000000ull, 0xbfff },                   /* -1.5 */
        { 0xde0b6b3a763ffffcull, 0x403a },                   /* 10^18 - 0.25 */
        { 0xde0b6b3a763ffffeull, 0x403a },                   /* 10^18 - 0.5 */
        { 0x1234, 0 },                                       /* denormal */
    };
    static const unsigned short cws[] = { 0x37f, 0x77f, 0xb7f, 0xf7f, 0x37e };
    Bcd v;

    for (int c = 0; c < 5; c++) {
        for (int i = 0; i < (int)(sizeof(ints) / sizeof(ints[0])); i++)
            bcd_store(from_int(ints[i]), cws[c]);
        for (int i = 0; i < (int)(sizeof(fracs) / sizeof(fracs[0])); i++)
            bcd_store(fracs[i], cws[c]);
        for (int i = 0; i < NSPECIAL + 2; i++)
            bcd_store(edges[i], cws[c]);
    }
    {
        X80 r0, r1;
        unsigned short sw, cw = 0x37f;
        X80 a = edges[0], b = edges[0];

        /* An empty ST(0): the indefinite, and the pop. */
        __asm__ volatile("fninit\n\tfbstp %0\n\tfnstsw %1"
                         : "=m"(v), "=m"(sw) :: "memory");
        show_bcd("fbstp empty", v, sw);
        FAULT("full fbld", "fld1\n\tfld1\n\tfld1\n\tfld1\n\tfld1\n\tfld1\n\tfld1\n\tfld1",
              "fbld %2");
    }
    for (int i = 0; i < 40; i++) {
        for (int k = 0; k < 10; k++)
            v.b[k] = (unsigned char)rnd();
        /* Valid digits in most, any nibble in some. */
        if (i < 30) {
            for (int k = 0; k < 9; k++)
                v.b[k] = (unsigned char)((v.b[k] >> 4) % 10 << 4 | (v.b[k] & 15) % 10);
        }
        if (i % 3 == 0)
            v.b[9] &= 0x80;
        bcd_load(v);
    }
}

int main(int argc, char **argv, char **envp)
{
    static const unsigned short cws[] = { 0x37f, 0x77f, 0xb7f, 0xf7f };

    (void)argc; (void)argv; (void)envp;
    /* Special operands in full; a pair with an ordinary number as
       binary64. */
    for (int c = 0; c < 4; c++) {
        for (int i = 0; i < NEDGES; i++) {
            for (int j = 0; j < NEDGES; j += (i + c) % 3 + 1) {
                X80 a = edges[i], b = edges[j];
                unsigned short cw = cws[c], cw0 = 0x37f;
                u64 d0, d1;

                if (i < NSPECIAL && j < NSPECIAL) {
                    all_ops(a, b, cw);
                    continue;
                }
                RUN64("f2xm1", "f2xm1");
                RUN64("fyl2x", "fyl2x\n\tfld1");
                RUN64("fyl2xp1", "fyl2xp1\n\tfld1");
                RUN64("fpatan", "fpatan\n\tfld1");
                RUN64("fsin", "fsin");
                RUN64("fcos", "fcos");
                RUN64("fsincos", "fsincos");
                RUN64("fptan", "fptan");
            }
        }
    }
    stack_faults();
    bcd();
    for (int i = 0; i < 300; i++) {
        X80 a, b = random_number(-100, 100);
        unsigned short cw = cws[i & 3], cw0 = 0x37f;
        u64 d0, d1;

        a = random_number(-60, 0);
        RUN64("f2xm1", "f2xm1");
        a = random_number(-60, -2);
        RUN64("fyl2xp1", "fyl2xp1\n\tfld1");
        a = random_number(-8, 64);
        RUN64("fsin", "fsin");
        RUN64("fcos", "fcos");
        RUN64("fsincos", "fsincos");
        RUN64("fptan", "fptan");
        a = random_number(-1000, 1000);
        a.se &= 0x7fff;
        RUN64("fyl2x", "fyl2x\n\tfld1");
        RUN64("fpatan", "fpatan\n\tfld1");
    }
    return 0;
}
