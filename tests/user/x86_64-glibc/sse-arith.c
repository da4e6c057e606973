/*
 * SSE arithmetic in the default MXCSR (round to nearest, all masked) on
 * 400,000 random operand sets whose exponents cover the whole range, with
 * extra weight on the smallest and around 1.0: ADD, SUB, MUL, DIV and
 * SQRT, packed and scalar, single and double.  Prints a running hash of
 * every result and of MXCSR after each insn, to be compared with the host
 * CPU.  Mimic computes these inline on the host FPU (translate-sse.c);
 * its soft-float helpers, the reference for every other MXCSR, once did
 * them too, with a host fast path for plain operands, and the edges
 * between the two (tiny results, denormals, zeros from underflow, huge
 * quotients) were where they had to agree.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static uint64_t s = 88172645463325252ull;

static uint64_t rnd(void)
{
    s ^= s << 13;
    s ^= s >> 7;
    s ^= s << 17;
    return s;
}

/* A binary64 of any class, often near the bottom of the range or 1.0,
   sometimes with a short significand (exact products). */
static uint64_t rd(void)
{
    uint64_t m = rnd() & 0xfffffffffffffull, e = rnd() % 2048, sg = rnd() & 1;

    if (rnd() % 4 == 0)
        e = (rnd() % 2) ? rnd() % 40 : 1023 + (rnd() % 40) - 20;
    if (rnd() % 16 == 0)
        m &= ~0xffffffull;
    return sg << 63 | e << 52 | m;
}

static uint32_t rf(void)
{
    uint64_t m = rnd() & 0x7fffff, e = rnd() % 256, sg = rnd() & 1;

    if (rnd() % 4 == 0)
        e = (rnd() % 2) ? rnd() % 30 : 127 + (rnd() % 30) - 15;
    return (uint32_t)(sg << 31 | e << 23 | m);
}

int main(void)
{
    uint64_t h = 1469598103934665603ull;

    for (int i = 0; i < 400000; i++) {
        uint64_t a[2] = { rd(), rd() }, b[2] = { rd(), rd() }, r[2];
        uint32_t fa[4] = { rf(), rf(), rf(), rf() };
        uint32_t fb[4] = { rf(), rf(), rf(), rf() }, fr[4];
        unsigned csr = 0x1f80;

#define OP(ins, x, y, out)                                                 \
    __asm__ volatile("ldmxcsr %3\n\tmovdqu %1, %%xmm0\n\t"                 \
                     "movdqu %2, %%xmm1\n\t" ins " %%xmm1, %%xmm0\n\t"     \
                     "movdqu %%xmm0, %0\n\tstmxcsr %3"                     \
                     : "=m"(out) : "m"(x), "m"(y), "m"(csr)                \
                     : "xmm0", "xmm1");                                    \
    memcpy(r, out, 16);                                                    \
    h = (h ^ r[0] ^ r[1] * 3 ^ csr) * 1099511628211ull;                    \
    csr = 0x1f80;
        OP("addpd", a, b, r) OP("subpd", a, b, r) OP("mulpd", a, b, r)
        OP("divpd", a, b, r) OP("sqrtpd", a, b, r) OP("mulsd", a, b, r)
        OP("divsd", a, b, r)
        OP("addps", fa, fb, fr) OP("subps", fa, fb, fr)
        OP("mulps", fa, fb, fr) OP("divps", fa, fb, fr)
        OP("sqrtps", fa, fb, fr) OP("addss", fa, fb, fr)
        OP("divss", fa, fb, fr)
        if (i % 50000 == 0)
            printf("%d %016llx\n", i, (unsigned long long)h);
    }
    printf("end %016llx\n", (unsigned long long)h);
    return 0;
}
