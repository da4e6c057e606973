/*
 * The x87 under Mimic against the host CPU: arithmetic, loads and stores
 * of every width, compares (FCOM's condition codes, FCOMI's flags), the
 * constants, FXAM, FSCALE, FXTRACT, FPREM, stack overflow and underflow,
 * on edge and pseudo-random operands in every rounding and precision
 * control; each result is printed in hex with the status word.  The
 * output must be the same natively and under Mimic.
 */
#include "rt.h"

typedef struct __attribute__((packed)) { u64 sig; unsigned short se; } X80;

static u64 seed = 87;

static u64 rnd(void)
{
    seed ^= seed << 13;
    seed ^= seed >> 7;
    seed ^= seed << 17;
    return seed;
}

static X80 operand(int k)
{
    static const X80 edges[] = {
        { 0, 0 }, { 0, 0x8000 }, { 1ull << 63, 0x3fff }, { 3ull << 62, 0x4000 },
        { 1ull << 63, 0x7fff }, { 3ull << 62, 0xffff }, { 5ull << 61, 0x7fff },
        { 0x1234, 0 }, { 1ull << 63, 0 }, { 1ull << 62, 0x3fff },
        { ~0ull, 0x7ffe }, { 1ull << 63, 1 }, { 0xc90fdaa22168c235ull, 0x4000 },
    };
    u64 r = rnd();

    if (k < 13)
        return edges[k];
    return (X80){ r | 1ull << 63, (unsigned short)(0x3fff + (int)(rnd() % 160) - 80) |
                                  (unsigned short)(rnd() & 0x8000) };
}

static void show(const char *what, X80 r, unsigned sw)
{
    put(what);
    put(" ");
    put_hex(r.se);
    put(".");
    put_hex(r.sig);
    put(" sw ");
    put_hex(sw & 0xffff);
    put("\n");
}

static void binops(X80 a, X80 b, unsigned short cw)
{
    X80 r;
    unsigned short sw;
    u64 eflags;
    double d;
    float f;
    long long q;

#define BIN(name, insn)                                                      \
    __asm__ volatile("fninit\n\tfldcw %3\n\tfldt %2\n\tfldt %1\n\t" insn    \
                     "\n\tfnstsw %4\n\tfstpt %0\n\tffreep %%st(0)"          \
                     : "=m"(r) : "m"(a), "m"(b), "m"(cw), "m"(sw));         \
    show(name, r, sw);
    BIN("fadd", "fadd %%st(1), %%st");
    BIN("fsub", "fsub %%st(1), %%st");
    BIN("fsubrp", "fsubrp %%st, %%st(1)\n\tfld1");
    BIN("fmul", "fmul %%st(1), %%st");
    BIN("fdiv", "fdiv %%st(1), %%st");
    BIN("fdivr", "fdivr %%st(1), %%st");
    BIN("fsqrt", "fsqrt");
    BIN("frndint", "frndint");
    BIN("fcom", "fcom %%st(1)");
    BIN("fucom", "fucom %%st(1)");
    BIN("fprem", "fprem");
    BIN("fprem1", "fprem1");
    BIN("fxam", "fxam");
    BIN("ftst", "ftst");
    BIN("fchs", "fchs");
    BIN("fabs", "fabs");
    BIN("fxtract", "fxtract\n\tfstp %%st(1)");
    __asm__ volatile("fninit\n\tfldcw %4\n\tfldt %3\n\tfldt %2\n\tfucomi %%st(1), %%st\n\t"
                     "pushf\n\tpop %1\n\tfnstsw %0\n\tfstp %%st(0)\n\tfstp %%st(0)"
                     : "=m"(sw), "=r"(eflags) : "m"(a), "m"(b), "m"(cw));
    r.sig = eflags & 0x8d5;
    r.se = 0;
    show("fucomi", r, sw);
    __asm__ volatile("fninit\n\tfldcw %3\n\tfldt %4\n\tfsts %1\n\tfstpl %2\n\tfnstsw %0"
                     : "=m"(sw), "=m"(f), "=m"(d) : "m"(cw), "m"(a));
    __builtin_memcpy(&r.sig, &d, 8);
    r.se = 0;
    show("fst", r, sw);
    __builtin_memcpy(&r.sig, &f, 4);
    r.sig &= 0xffffffff;
    show("fsts", r, sw);
    __asm__ volatile("fninit\n\tfldcw %2\n\tfldt %3\n\tfistpll %1\n\tfnstsw %0"
                     : "=m"(sw), "=m"(q) : "m"(cw), "m"(a));
    r.sig = (u64)q;
    show("fistp", r, sw);
    __asm__ volatile("fninit\n\tfldcw %2\n\tfldt %3\n\tfisttpll %1\n\tfnstsw %0"
                     : "=m"(sw), "=m"(q) : "m"(cw), "m"(a));
    r.sig = (u64)q;
    show("fisttp", r, sw);
}

int main(int argc, char **argv, char **envp)
{
    static const char *const cnames[] = {
        "fld1", "fldl2t", "fldl2e", "fldpi", "fldlg2", "fldln2", "fldz",
    };
    X80 r;
    unsigned short sw;

    (void)argc; (void)argv; (void)envp;
    for (int rc = 0; rc < 4; rc++) {
        for (int pc = 0; pc < 4; pc += (pc == 0 ? 2 : 1)) {
            unsigned short cw = (unsigned short)(0x37f & ~0x0f00) |
                                (unsigned short)(rc << 10 | pc << 8);

            for (int i = 0; i < 40; i++)
                binops(operand(i % 20), operand((i * 7 + 3) % 20), cw);
#define CONST(i, insn)                                                       \
            __asm__ volatile("fninit\n\tfldcw %2\n\t" insn "\n\tfnstsw %1\n\tfstpt %0" \
                             : "=m"(r), "=m"(sw) : "m"(cw));                 \
            show(cnames[i], r, sw);
            CONST(0, "fld1"); CONST(1, "fldl2t"); CONST(2, "fldl2e");
            CONST(3, "fldpi"); CONST(4, "fldlg2"); CONST(5, "fldln2");
            CONST(6, "fldz");
        }
    }
    /* Nine pushes: the ninth overflows (IE SF C1, the indefinite). */
    __asm__ volatile("fninit\n\tfld1\n\tfld1\n\tfld1\n\tfld1\n\tfld1\n\tfld1\n\tfld1\n\tfld1\n\t"
                     "fldpi\n\tfnstsw %1\n\tfstpt %0" : "=m"(r), "=m"(sw));
    show("overflow", r, sw);
    /* An add on an empty stack underflows (IE SF, C1 clear). */
    __asm__ volatile("fninit\n\tfadd %%st(1), %%st\n\tfnstsw %1\n\tfstpt %0"
                     : "=m"(r), "=m"(sw));
    show("underflow", r, sw);
    rt_exit(0);
}
