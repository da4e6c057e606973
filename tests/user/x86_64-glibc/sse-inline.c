/*
 * SSE arithmetic where Mimic runs it inline on the host FPU (the default
 * MXCSR, docs/devel/x86.md) and where its flags, pending in the host's
 * MXCSR, must reach the guest's.  Prints, to be compared with the host
 * CPU:
 *   - ADD, SUB, MUL, DIV and SQRT in SS, SD, PS and PD (register and
 *     memory sources) on every pair of special operands (signed zeros,
 *     denormals, the smallest and largest numbers, infinities, quiet and
 *     signaling NaNs of both signs with payloads), in both operand
 *     orders: the result and MXCSR (DE for a denormal operand, the NaN
 *     the first operand wins with, the negative default NaN);
 *   - an inexact result's PE read by STMXCSR after branches and calls
 *     (other TBs), after a syscall, through FXSAVE, and gone after
 *     LDMXCSR and FXRSTOR replaced MXCSR;
 *   - in a signal handler: the MXCSR of the frame's fpstate after an
 *     inexact op and a fault (SIGSEGV) or a signal sent (SIGUSR1), a
 *     handler that changes the saved MXCSR to round up (the code after
 *     sigreturn must round up), and the handler's own arithmetic;
 *   - a loop that switches MXCSR to round up and back around each
 *     division.
 * tests/functional/test-user-x86_64.sh compares output and status.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <ucontext.h>
#include <unistd.h>
#include <sys/syscall.h>

static const uint64_t dvals[] = {
    0, 0x8000000000000000ull, 0x3ff0000000000000ull, 0xbff8000000000000ull,
    0x3fd5555555555555ull,                          /* 1/3 */
    0x0010000000000000ull, 0x0018000000000000ull,   /* smallest normals */
    0x0000000000000001ull, 0x800fffffffffffffull,   /* denormals */
    0x7fefffffffffffffull, 0xffe0000000000001ull,   /* huge */
    0x7ff0000000000000ull, 0xfff0000000000000ull,   /* infinities */
    0x7ff8000000000abcull, 0xfff800000000def0ull,   /* quiet NaNs */
    0x7ff0000000000123ull, 0xfff4000000000456ull,   /* signaling NaNs */
};
#define ND (sizeof(dvals) / sizeof(dvals[0]))

static const uint32_t fvals[] = {
    0, 0x80000000, 0x3f800000, 0xbfc00000, 0x3eaaaaab, 0x00800000,
    0x00c00000, 0x00000001, 0x807fffff, 0x7f7fffff, 0xff000001, 0x7f800000,
    0xff800000, 0x7fc00abc, 0xffc00def, 0x7f800123, 0xffa00456,
};
#define NF (sizeof(fvals) / sizeof(fvals[0]))

typedef struct { uint64_t q[2]; } __attribute__((aligned(16))) V128;

/* One insn on xmm0 = *d with source *s (a register, or memory with m),
   from MXCSR 0x1f80; *d gets the result, the return value MXCSR. */
#define DEF_OP(fn, ins)                                                    \
static unsigned fn(V128 *d, const V128 *s, int m)                          \
{                                                                          \
    unsigned csr = 0x1f80;                                                 \
                                                                           \
    if (m)                                                                 \
        __asm__ volatile("ldmxcsr %2\n\tmovdqa %0, %%xmm0\n\t"             \
                         ins " %1, %%xmm0\n\tmovdqa %%xmm0, %0\n\t"        \
                         "stmxcsr %2"                                      \
                         : "+m"(*d) : "m"(*s), "m"(csr) : "xmm0");         \
    else                                                                   \
        __asm__ volatile("ldmxcsr %2\n\tmovdqa %0, %%xmm0\n\t"             \
                         "movdqa %1, %%xmm1\n\t"                           \
                         ins " %%xmm1, %%xmm0\n\tmovdqa %%xmm0, %0\n\t"    \
                         "stmxcsr %2"                                      \
                         : "+m"(*d) : "m"(*s), "m"(csr)                    \
                         : "xmm0", "xmm1");                                \
    return csr;                                                            \
}

DEF_OP(addsd, "addsd") DEF_OP(subsd, "subsd") DEF_OP(mulsd, "mulsd")
DEF_OP(divsd, "divsd") DEF_OP(sqrtsd, "sqrtsd")
DEF_OP(addpd, "addpd") DEF_OP(subpd, "subpd") DEF_OP(mulpd, "mulpd")
DEF_OP(divpd, "divpd") DEF_OP(sqrtpd, "sqrtpd")
DEF_OP(addss, "addss") DEF_OP(subss, "subss") DEF_OP(mulss, "mulss")
DEF_OP(divss, "divss") DEF_OP(sqrtss, "sqrtss")
DEF_OP(addps, "addps") DEF_OP(subps, "subps") DEF_OP(mulps, "mulps")
DEF_OP(divps, "divps") DEF_OP(sqrtps, "sqrtps")

typedef unsigned OpFn(V128 *d, const V128 *s, int m);
static const struct { const char *name; OpFn *fn; } ops[4][5] = {
    { { "addsd", addsd }, { "subsd", subsd }, { "mulsd", mulsd },
      { "divsd", divsd }, { "sqrtsd", sqrtsd } },
    { { "addpd", addpd }, { "subpd", subpd }, { "mulpd", mulpd },
      { "divpd", divpd }, { "sqrtpd", sqrtpd } },
    { { "addss", addss }, { "subss", subss }, { "mulss", mulss },
      { "divss", divss }, { "sqrtss", sqrtss } },
    { { "addps", addps }, { "subps", subps }, { "mulps", mulps },
      { "divps", divps }, { "sqrtps", sqrtps } },
};

/* Every pair of special operands through every op and form.  The bits
   the scalar forms must keep are set in the destination's other lanes;
   the packed forms get the pair in both orders (and a, a / b, b). */
static void specials(void)
{
    for (int f = 0; f < 4; f++) {
        unsigned n = f < 2 ? ND : NF;

        for (int o = 0; o < 5; o++)
            for (unsigned i = 0; i < n; i++)
                for (unsigned j = 0; j < n; j++)
                    for (int m = 0; m < 2; m++) {
                        V128 d, s;
                        unsigned csr;

                        if (f < 2) {
                            d.q[0] = dvals[i];
                            d.q[1] = f == 1 ? dvals[j] : 0x0123456789abcdefull;
                            s.q[0] = dvals[j];
                            s.q[1] = f == 1 ? dvals[i] : 0xfedcba9876543210ull;
                        } else {
                            uint32_t a = fvals[i], b = fvals[j];

                            d.q[0] = f == 3 ? (uint64_t)b << 32 | a
                                            : 0x0123456700000000ull | a;
                            d.q[1] = f == 3 ? (uint64_t)a << 32 | a
                                            : 0x89abcdef01234567ull;
                            s.q[0] = f == 3 ? (uint64_t)a << 32 | b
                                            : 0xfedcba9800000000ull | b;
                            s.q[1] = f == 3 ? (uint64_t)b << 32 | b
                                            : 0x7654321076543210ull;
                        }
                        csr = ops[f][o].fn(&d, &s, m);
                        printf("%s%s %u %u: %016llx %016llx %04x\n",
                               ops[f][o].name, m ? " m" : "", i, j,
                               (unsigned long long)d.q[1],
                               (unsigned long long)d.q[0], csr);
                    }
    }
}

/* 1 + 1/3 in xmm0: inexact (PE). */
#define INEXACT "movsd %[one], %%xmm0\n\tdivsd %[three], %%xmm0\n\t"      \
                "addsd %[one], %%xmm0\n\t"
static const double one = 1, three = 3;

__attribute__((noinline)) static int other_tb(int x)
{
    __asm__ volatile("" : "+r"(x));
    return x * 3 + 1;
}

/* PE raised in one TB and read in others. */
static void accrual(void)
{
    unsigned csr = 0x1f80, out;
    uint8_t img[512] __attribute__((aligned(16)));
    int x = 5;

    __asm__ volatile("ldmxcsr %[c]\n\t" INEXACT
                     "jmp 1f\n\t.p2align 6\n1:\n\tstmxcsr %[o]"
                     : [o] "=m"(out) : [c] "m"(csr), [one] "m"(one),
                       [three] "m"(three) : "xmm0");
    printf("after a jump: %04x\n", out);
    __asm__ volatile("ldmxcsr %[c]\n\t" INEXACT : : [c] "m"(csr),
                     [one] "m"(one), [three] "m"(three) : "xmm0");
    for (int i = 0; i < 100; i++)
        x = other_tb(x);
    __asm__ volatile("stmxcsr %0" : "=m"(out));
    printf("after calls and a loop: %04x (%d)\n", out, x);
    __asm__ volatile("ldmxcsr %[c]\n\t" INEXACT : : [c] "m"(csr),
                     [one] "m"(one), [three] "m"(three) : "xmm0");
    x = (int)syscall(SYS_getppid) > 0;
    __asm__ volatile("stmxcsr %0" : "=m"(out));
    printf("after a syscall: %04x (%d)\n", out, x);
    __asm__ volatile("ldmxcsr %[c]\n\t" INEXACT "fxsave64 %[i]"
                     : [i] "=m"(img) : [c] "m"(csr), [one] "m"(one),
                       [three] "m"(three) : "xmm0");
    memcpy(&out, img + 24, 4);
    printf("fxsave: %04x\n", out);
    /* The pending PE belongs to the MXCSR these replace. */
    __asm__ volatile("ldmxcsr %[c]\n\t" INEXACT "ldmxcsr %[c]\n\t"
                     "stmxcsr %[o]"
                     : [o] "=m"(out) : [c] "m"(csr), [one] "m"(one),
                       [three] "m"(three) : "xmm0");
    printf("ldmxcsr after it: %04x\n", out);
    memcpy(img + 24, &csr, 4);
    __asm__ volatile("ldmxcsr %[c]\n\t" INEXACT "fxrstor64 %[i]\n\t"
                     "stmxcsr %[o]"
                     : [o] "=m"(out) : [c] "m"(csr), [one] "m"(one),
                       [three] "m"(three), [i] "m"(img) : "xmm0");
    printf("fxrstor after it: %04x\n", out);
    /* DE, UE and PE together: a denormal operand and a tiny result. */
    {
        static const double tiny = 0x1p-1070, third = 1.0 / 3;
        double r;

        __asm__ volatile("ldmxcsr %[c]\n\tmovsd %[t], %%xmm0\n\t"
                         "mulsd %[h], %%xmm0\n\tmovsd %%xmm0, %[r]\n\t"
                         "stmxcsr %[o]"
                         : [o] "=m"(out), [r] "=m"(r)
                         : [c] "m"(csr), [t] "m"(tiny), [h] "m"(third)
                         : "xmm0");
        printf("denormal * 1/3: %a %04x\n", r, out);
    }
}

static sigjmp_buf jb;
static volatile unsigned handler_csr;

static void handler(int sig, siginfo_t *si, void *ucv)
{
    ucontext_t *uc = ucv;
    unsigned mine;
    double r;

    (void)si;
    handler_csr = uc->uc_mcontext.fpregs->mxcsr;
    /* The handler's own arithmetic, from the MXCSR Linux gives it. */
    __asm__ volatile(INEXACT "movsd %%xmm0, %[r]\n\tstmxcsr %[o]"
                     : [o] "=m"(mine), [r] "=m"(r) : [one] "m"(one),
                       [three] "m"(three) : "xmm0");
    printf("signal %d: frame mxcsr %04x, handler's %04x %a\n", sig,
           handler_csr, mine, r);
    if (sig == SIGSEGV)
        siglongjmp(jb, 1);
    /* Round up from here on, and no flags. */
    uc->uc_mcontext.fpregs->mxcsr = 0x5f80;
}

static void signals(void)
{
    struct sigaction sa;
    unsigned csr = 0x1f80, out;
    double up, near;

    memset(&sa, 0, sizeof(sa));
    sa.sa_sigaction = handler;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGSEGV, &sa, NULL);
    sigaction(SIGUSR1, &sa, NULL);
    if (!sigsetjmp(jb, 1)) {
        __asm__ volatile("ldmxcsr %[c]\n\t" INEXACT
                         "xor %%eax, %%eax\n\tmov (%%rax), %%eax"
                         : : [c] "m"(csr), [one] "m"(one),
                           [three] "m"(three) : "xmm0", "rax", "memory");
    }
    __asm__ volatile("stmxcsr %0" : "=m"(out));
    printf("after siglongjmp: %04x\n", out);
    __asm__ volatile("ldmxcsr %[c]\n\t" INEXACT : : [c] "m"(csr),
                     [one] "m"(one), [three] "m"(three) : "xmm0");
    kill(getpid(), SIGUSR1);
    /* The handler set round up: 1/3 rounds up here. */
    __asm__ volatile("movsd %[one], %%xmm0\n\tdivsd %[three], %%xmm0\n\t"
                     "movsd %%xmm0, %[r]\n\tstmxcsr %[o]\n\tldmxcsr %[c]\n\t"
                     "movsd %[one], %%xmm0\n\tdivsd %[three], %%xmm0\n\t"
                     "movsd %%xmm0, %[n]"
                     : [o] "=m"(out), [r] "=m"(up), [n] "=m"(near)
                     : [c] "m"(csr), [one] "m"(one), [three] "m"(three)
                     : "xmm0");
    printf("after sigreturn: %a %04x, then %a\n", up, out, near);
}

/* LDMXCSR to round up and back around each division, in a loop. */
static void switching(void)
{
    unsigned up = 0x5f80, dflt = 0x1f80, c1, c2;
    uint64_t h = 0;

    for (int i = 1; i <= 2000; i++) {
        double a = i, b = i % 7 + 3, x, y;

        __asm__ volatile("ldmxcsr %[u]\n\tmovsd %[a], %%xmm0\n\t"
                         "divsd %[b], %%xmm0\n\tmovsd %%xmm0, %[x]\n\t"
                         "stmxcsr %[c1]\n\tldmxcsr %[d]\n\t"
                         "movsd %[a], %%xmm0\n\tdivsd %[b], %%xmm0\n\t"
                         "movsd %%xmm0, %[y]\n\tstmxcsr %[c2]"
                         : [x] "=m"(x), [y] "=m"(y), [c1] "=m"(c1),
                           [c2] "=m"(c2)
                         : [u] "m"(up), [d] "m"(dflt), [a] "m"(a),
                           [b] "m"(b)
                         : "xmm0");
        uint64_t xb, yb;

        memcpy(&xb, &x, 8);
        memcpy(&yb, &y, 8);
        h = (h ^ xb ^ yb * 3 ^ (uint64_t)c1 << 20 ^ c2) * 1099511628211ull;
        if (i % 500 == 0 || i == 1)
            printf("switch %d: %a %04x %a %04x\n", i, x, c1, y, c2);
    }
    printf("switch hash %016llx\n", (unsigned long long)h);
}

int main(void)
{
    setvbuf(stdout, NULL, _IOFBF, 1 << 16);
    specials();
    accrual();
    fflush(stdout);
    signals();
    switching();
    return 0;
}
