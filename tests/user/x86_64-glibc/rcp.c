/*
 * RCPPS, RCPSS, RSQRTPS and RSQRTSS, against the host CPU.  Their
 * results are approximations whose bits differ between Intel's and
 * AMD's tables, so only what the manuals fix prints in full: the
 * results of zeros, infinities, NaNs, denormals (read as zeros),
 * negative numbers (RSQRT: the default NaN) and numbers whose
 * reciprocal is tiny (flushed to a zero); the lanes RCPSS and RSQRTSS
 * keep; and MXCSR, which no rounding mode, DAZ, FTZ or unmasked
 * exception changes.  Ordinary operands (random, of every exponent)
 * print whether the relative error is within the manuals' 1.5 * 2^-12.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static uint64_t s = 0x9e3779b97f4a7c15ull;

static uint64_t rnd(void)
{
    s ^= s << 13;
    s ^= s >> 7;
    s ^= s << 17;
    return s;
}

typedef struct { uint32_t l[4]; } V;

static uint32_t get_mxcsr(void)
{
    uint32_t m;

    __asm__ volatile("stmxcsr %0" : "=m"(m));
    return m;
}

static void set_mxcsr(uint32_t m)
{
    __asm__ volatile("ldmxcsr %0" : : "m"(m));
}

/* One insn on d (the destination's old value) and b, from a register
   (mem 0) or memory (mem 1). */
static V run(int op, V d, V b, int mem)
{
    switch (op * 2 + mem) {
    case 0: __asm__("rcpps %1, %0" : "+x"(d) : "x"(b)); break;
    case 1: __asm__("rcpps %1, %0" : "+x"(d) : "m"(b)); break;
    case 2: __asm__("rcpss %1, %0" : "+x"(d) : "x"(b)); break;
    case 3: __asm__("rcpss %1, %0" : "+x"(d) : "m"(b.l[0])); break;
    case 4: __asm__("rsqrtps %1, %0" : "+x"(d) : "x"(b)); break;
    case 5: __asm__("rsqrtps %1, %0" : "+x"(d) : "m"(b)); break;
    case 6: __asm__("rsqrtss %1, %0" : "+x"(d) : "x"(b)); break;
    default: __asm__("rsqrtss %1, %0" : "+x"(d) : "m"(b.l[0])); break;
    }
    return d;
}

static const char *const names[] = { "rcpps", "rcpss", "rsqrtps", "rsqrtss" };

static float as_float(uint32_t u)
{
    float f;

    memcpy(&f, &u, 4);
    return f;
}

/* Operands whose results the manuals fix, four at a time: the last
   four RCP's (tiny reciprocals), or RSQRT's (negative numbers). */
static const uint32_t specials[2][20] = { {
    0x00000000, 0x80000000, 0x7f800000, 0xff800000,     /* zeros, infinities */
    0x7fc00000, 0xffc12345, 0x7f800001, 0xff812345,     /* qNaNs, sNaNs */
    0x00000001, 0x807fffff, 0x00400000, 0x80000010,     /* denormals */
    0x7f000000, 0xff7fffff, 0x7e900000, 0xfeffffff,     /* tiny 1/x */
    0xff000000, 0x7f7fffff, 0xfe900000, 0x7ec00000,
}, {
    0x00000000, 0x80000000, 0x7f800000, 0xff800000,
    0x7fc00000, 0xffc12345, 0x7f800001, 0xff812345,
    0x00000001, 0x807fffff, 0x00400000, 0x80000010,
    0xbf800000, 0xc2f60000, 0x80800000, 0xff7fffff,     /* negative */
    0xc0000000, 0xfeffffff, 0xbf000001, 0xc7000000,
} };

/* Whether r approximates op's result from x within 1.5 * 2^-12. */
static int close_enough(int op, uint32_t x, uint32_t r)
{
    double want = op < 2 ? 1.0 / as_float(x) : 1.0 / sqrt(as_float(x));

    return fabs((double)as_float(r) - want) <= 1.5 / 4096 * fabs(want);
}

/* A normal operand, positive for RSQRT; for RCP not in the band near
   2^126 where a CPU may or may not make 1/x tiny. */
static uint32_t ordinary(int op)
{
    for (;;) {
        uint32_t e = 1 + rnd() % 254, x = (uint32_t)rnd() & 0x807fffff;

        if (rnd() % 3 == 0)
            e = 127 + rnd() % 8 - 4;
        x |= e << 23;
        if (op >= 2)
            x &= 0x7fffffff;
        if (op < 2 && e >= 252)
            continue;
        return x;
    }
}

int main(void)
{
    static const uint32_t modes[] = {
        0x1f80, 0x3f80, 0x5f80, 0x7f80,     /* each rounding mode */
        0x9fc0, 0x0000, 0x603f, 0x1fbf,     /* FTZ, DAZ, unmasked, flags */
    };
    uint32_t saved = get_mxcsr();
    unsigned bad = 0, tested = 0;

    for (int op = 0; op < 4; op++) {
        for (int mem = 0; mem < 2; mem++) {
            for (unsigned m = 0; m < sizeof(modes) / sizeof(modes[0]); m++) {
                for (unsigned i = 0; i < 20; i += 4) {
                    V d = { { 0x11111111, 0x22222222, 0x33333333, 0x44444444 } };
                    V b, r;
                    uint32_t after;

                    memcpy(b.l, &specials[op >= 2][i], sizeof(b.l));
                    set_mxcsr(modes[m]);
                    r = run(op, d, b, mem);
                    after = get_mxcsr();
                    set_mxcsr(saved);
                    printf("%s%s mxcsr %04x: %08x %08x %08x %08x -> "
                           "%08x %08x %08x %08x mxcsr %04x\n", names[op],
                           mem ? " (mem)" : "", modes[m], b.l[0], b.l[1],
                           b.l[2], b.l[3], r.l[0], r.l[1], r.l[2], r.l[3],
                           after);
                }
            }
        }
    }
    for (int op = 0; op < 4; op++) {
        unsigned op_bad = 0;

        for (int n = 0; n < 20000; n++) {
            V d = { { 0x11111111, 0x22222222, 0x33333333, 0x44444444 } };
            V b, r;
            int lanes = op == 0 || op == 2 ? 4 : 1;

            for (int k = 0; k < 4; k++)
                b.l[k] = ordinary(op);
            set_mxcsr(modes[n % 8]);
            r = run(op, d, b, n & 1);
            set_mxcsr(saved);
            for (int k = 0; k < lanes; k++) {
                tested++;
                if (!close_enough(op, b.l[k], r.l[k])) {
                    if (op_bad++ < 5)
                        printf("%s: %08x -> %08x, error above 1.5 * 2^-12\n",
                               names[op], b.l[k], r.l[k]);
                }
            }
            for (int k = lanes; k < 4; k++)
                op_bad += r.l[k] != d.l[k];
        }
        printf("%s: ordinary operands, %u outside the bound\n", names[op],
               op_bad);
        bad += op_bad;
    }
    printf("%u lanes, %u wrong\n", tested, bad);
    return bad != 0;
}
