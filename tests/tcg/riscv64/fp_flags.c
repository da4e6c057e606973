/*
 * fflags as a program sees them around the common FP ops (add, sub, mul,
 * div, sqrt in round-to-nearest, which an emulator may run straight on its
 * host's FPU): each flag raised exactly and only by the op that raises it
 * (NX, UF with tininess after rounding, OF, DZ, NV for signaling NaNs and
 * invalid operations, nothing for quiet NaN inputs), canonical NaN results,
 * NaN-boxed singles (an improperly boxed input reads as the canonical
 * quiet NaN), flags of an op whose result is overwritten unread, flags
 * kept across many blocks of code, a trap, an access fault in the middle
 * of a block, device (MMIO) accesses and timer reads, flags that such
 * accesses must not add, csrw/csrrw of fflags and fcsr replacing pending
 * flags, and one piece of code run under RNE, then the other modes, then
 * RNE again.  Expected values come from the RISC-V F/D chapters and IEEE
 * 754.
 */
#include "lib.h"

#define NX 0x01
#define UF 0x02
#define OF 0x04
#define DZ 0x08
#define NV 0x10

#define CANON_D 0x7ff8000000000000UL
#define CANON_S 0xffffffff7fc00000UL
#define BOX(v) (0xffffffff00000000UL | (u32)(v))

#define ONE_D 0x3ff0000000000000UL
#define THREE_D 0x4008000000000000UL
#define HALF_D 0x3fe0000000000000UL
#define TWO_D 0x4000000000000000UL
#define INF_D 0x7ff0000000000000UL
#define MAX_D 0x7fefffffffffffffUL
#define MIN_D 0x0010000000000000UL          /* smallest normal */
#define SNAN_D 0x7ff0000000000001UL
#define QNAN_D 0x7ff8000000000123UL         /* with a payload */
#define NQNAN_D 0xfff8000000000000UL        /* negative */

#define ONE_S 0x3f800000U
#define THREE_S 0x40400000U
#define HALF_S 0x3f000000U
#define TWO_S 0x40000000U
#define INF_S 0x7f800000U
#define MAX_S 0x7f7fffffU
#define MIN_S 0x00800000U
#define SNAN_S 0x7f800001U
#define QNAN_S 0x7fc00123U

/* One op between csrw fflags, 0 and csrr fflags, in one block of code. */
#define OP2(insn, a, b, fl) ({ u64 _r;                                      \
    __asm__ __volatile__("fmv.d.x ft0, %2\n\tfmv.d.x ft1, %3\n\t"            \
                         "csrw fflags, zero\n\t" insn " ft2, ft0, ft1\n\t"  \
                         "csrr %1, fflags\n\tfmv.x.d %0, ft2"                \
                         : "=&r"(_r), "=&r"(fl) : "r"(OPAQUE(a)),            \
                           "r"(OPAQUE(b)) : "ft0", "ft1", "ft2"); _r; })
#define OP1(insn, a, fl) ({ u64 _r;                                         \
    __asm__ __volatile__("fmv.d.x ft0, %2\n\t"                               \
                         "csrw fflags, zero\n\t" insn " ft2, ft0\n\t"        \
                         "csrr %1, fflags\n\tfmv.x.d %0, ft2"                \
                         : "=&r"(_r), "=&r"(fl) : "r"(OPAQUE(a))             \
                         : "ft0", "ft2"); _r; })

struct case2 {
    const char *insn;
    u64 a, b, expect, flags;
};

#define CASE2(insn, a, b, r, f) { insn, a, b, r, f }

static u64 run2(const char *insn, u64 a, u64 b, u64 *fl)
{
    u64 f = 0, r = 0;

#define TRY2(name) if (!memcmp(insn, name, sizeof(name))) r = OP2(name, a, b, f)
#define TRY1(name) if (!memcmp(insn, name, sizeof(name))) r = OP1(name, a, f)
    TRY2("fadd.d"); TRY2("fsub.d"); TRY2("fmul.d"); TRY2("fdiv.d");
    TRY1("fsqrt.d");
    TRY2("fadd.s"); TRY2("fsub.s"); TRY2("fmul.s"); TRY2("fdiv.s");
    TRY1("fsqrt.s");
    *fl = f;
    return r;
}

static const struct case2 cases[] = {
    /* Exact results raise nothing. */
    CASE2("fadd.d", ONE_D, TWO_D, THREE_D, 0),
    CASE2("fdiv.d", ONE_D, TWO_D, HALF_D, 0),
    CASE2("fsqrt.d", 0x4010000000000000UL, 0, TWO_D, 0),
    CASE2("fsqrt.d", 0x8000000000000000UL, 0, 0x8000000000000000UL, 0),
    /* Inexact. */
    CASE2("fdiv.d", ONE_D, THREE_D, 0x3fd5555555555555UL, NX),
    CASE2("fsqrt.d", TWO_D, 0, 0x3ff6a09e667f3bcdUL, NX),
    /* Underflow: tiny and inexact; exact tiny results raise nothing. */
    CASE2("fmul.d", 0x0010000000000001UL, HALF_D, 0x0008000000000000UL, UF | NX),
    CASE2("fmul.d", MIN_D, HALF_D, 0x0008000000000000UL, 0),
    /* Tiny in the exponent range but exact at 53 bits: still UF. */
    CASE2("fmul.d", 0x001fffffffffffffUL, HALF_D, MIN_D, UF | NX),
    /* Tininess after rounding: (1 - 2^-52)(1 + 2^-52) 2^-1022 =
       (1 - 2^-104) 2^-1022 rounds to 2^-1022 with an unbounded exponent,
       not tiny, so NX alone (it would be UF with tininess before). */
    CASE2("fmul.d", 0x3feffffffffffffeUL, 0x0010000000000001UL, MIN_D, NX),
    /* Overflow. */
    CASE2("fmul.d", MAX_D, TWO_D, INF_D, OF | NX),
    CASE2("fadd.d", MAX_D, MAX_D, INF_D, OF | NX),
    /* Divide by zero, and 0/0 (invalid). */
    CASE2("fdiv.d", ONE_D, 0, INF_D, DZ),
    CASE2("fdiv.d", 0, 0, CANON_D, NV),
    /* Invalid: inf - inf, 0 * inf, sqrt(-1), sNaN inputs. */
    CASE2("fsub.d", INF_D, INF_D, CANON_D, NV),
    CASE2("fmul.d", 0, INF_D, CANON_D, NV),
    CASE2("fsqrt.d", 0xbff0000000000000UL, 0, CANON_D, NV),
    CASE2("fadd.d", SNAN_D, ONE_D, CANON_D, NV),
    CASE2("fmul.d", ONE_D, SNAN_D, CANON_D, NV),
    CASE2("fsqrt.d", SNAN_D, 0, CANON_D, NV),
    /* Quiet NaN inputs: no flag, canonical NaN out (payload and sign
       dropped). */
    CASE2("fadd.d", QNAN_D, ONE_D, CANON_D, 0),
    CASE2("fdiv.d", ONE_D, NQNAN_D, CANON_D, 0),
    CASE2("fsqrt.d", NQNAN_D, 0, CANON_D, 0),
    CASE2("fmul.d", QNAN_D, SNAN_D, CANON_D, NV),

    /* The same in single precision, NaN-boxed. */
    CASE2("fadd.s", BOX(ONE_S), BOX(TWO_S), BOX(THREE_S), 0),
    CASE2("fdiv.s", BOX(ONE_S), BOX(THREE_S), BOX(0x3eaaaaab), NX),
    CASE2("fsqrt.s", BOX(TWO_S), 0, BOX(0x3fb504f3), NX),
    CASE2("fmul.s", BOX(0x00800001), BOX(HALF_S), BOX(0x00400000), UF | NX),
    CASE2("fmul.s", BOX(MIN_S), BOX(HALF_S), BOX(0x00400000), 0),
    CASE2("fmul.s", BOX(0x00ffffff), BOX(HALF_S), BOX(MIN_S), UF | NX),
    CASE2("fmul.s", BOX(0x3f7ffffe), BOX(0x00800001), BOX(MIN_S), NX),
    CASE2("fmul.s", BOX(MAX_S), BOX(TWO_S), BOX(INF_S), OF | NX),
    CASE2("fdiv.s", BOX(ONE_S), BOX(0), BOX(INF_S), DZ),
    CASE2("fsub.s", BOX(INF_S), BOX(INF_S), CANON_S, NV),
    CASE2("fadd.s", BOX(SNAN_S), BOX(ONE_S), CANON_S, NV),
    CASE2("fsqrt.s", BOX(0xbf800000), 0, CANON_S, NV),
    CASE2("fadd.s", BOX(QNAN_S), BOX(ONE_S), CANON_S, 0),
    CASE2("fsqrt.s", BOX(0xffc00000), 0, CANON_S, 0),
    /* Improperly boxed inputs read as the canonical quiet NaN: no flag,
       even when their low half is a signaling NaN, but a properly boxed
       signaling NaN in the other operand is still invalid. */
    CASE2("fadd.s", ONE_S, BOX(ONE_S), CANON_S, 0),
    CASE2("fmul.s", BOX(ONE_S), 0x7fffffff3f800000UL, CANON_S, 0),
    CASE2("fadd.s", SNAN_S, BOX(ONE_S), CANON_S, 0),
    CASE2("fadd.s", ONE_S, BOX(SNAN_S), CANON_S, NV),
    CASE2("fdiv.s", BOX(SNAN_S), ONE_S, CANON_S, NV),
    CASE2("fsub.s", ONE_S, ONE_S, CANON_S, 0),
    CASE2("fsqrt.s", TWO_S, 0, CANON_S, 0),
    CASE2("fsqrt.s", SNAN_S, 0, CANON_S, 0),
    /* A double is not a boxed single. */
    CASE2("fadd.s", ONE_D, BOX(ONE_S), CANON_S, 0),
};

static void test_cases(void)
{
    for (unsigned i = 0; i < ARRAY_SIZE(cases); i++) {
        const struct case2 *t = &cases[i];
        u64 fl, r = run2(t->insn, t->a, t->b, &fl);

        CHECK_OP(t->insn, t->a, t->b, r, t->expect);
        if (fl != t->flags) {
            uart_puts("  flags of case ");
            print_dec(i);
            uart_puts("\n");
        }
        CHECK_OP(t->insn, t->a, t->b, fl, t->flags);
    }
}

/* An op whose result is overwritten before anyone reads it still raises
   its flags. */
static void test_dead_result(void)
{
    u64 fl;

    __asm__ __volatile__("fmv.d.x ft0, %1\n\tfmv.d.x ft1, %2\n\t"
                         "csrw fflags, zero\n\t"
                         "fdiv.d ft2, ft0, ft1\n\t"
                         "fmv.d.x ft2, zero\n\t"
                         "fsqrt.s ft3, ft2\n\t"      /* unboxed: no flag */
                         "fmv.d.x ft3, zero\n\t"
                         "csrr %0, fflags"
                         : "=&r"(fl) : "r"(OPAQUE(ONE_D)), "r"(OPAQUE(0))
                         : "ft0", "ft1", "ft2", "ft3");
    CHECK_EQ(fl, DZ);
}

static u64 fdiv_d(u64 a, u64 b)
{
    u64 r;

    __asm__ __volatile__("fmv.d.x ft0, %1\n\tfmv.d.x ft1, %2\n\t"
                         "fdiv.d ft2, ft0, ft1\n\tfmv.x.d %0, ft2"
                         : "=r"(r) : "r"(a), "r"(b) : "ft0", "ft1", "ft2");
    return r;
}

/* Flags accrue over many blocks and calls until the program reads them;
   reading does not clear them; writing replaces them. */
static void test_accrue(void)
{
    u64 acc = 0;

    csr_write(fflags, 0);
    for (int i = 0; i < 100; i++)
        acc += fdiv_d(OPAQUE(ONE_D), OPAQUE(THREE_D)) & 1;
    CHECK_EQ(acc, 100);
    (void)fdiv_d(OPAQUE(ONE_D), OPAQUE(0));
    CHECK_EQ(csr_read(fflags), NX | DZ);
    CHECK_EQ(csr_read(fflags), NX | DZ);
    (void)fdiv_d(OPAQUE(0), OPAQUE(0));
    CHECK_EQ(csr_read(fcsr), NX | DZ | NV);

    /* csrw replaces the flags raised just before it. */
    (void)fdiv_d(OPAQUE(ONE_D), OPAQUE(THREE_D));
    csr_write(fflags, 0);
    CHECK_EQ(csr_read(fflags), 0);
    (void)fdiv_d(OPAQUE(ONE_D), OPAQUE(THREE_D));
    csr_write(fflags, OF);
    CHECK_EQ(csr_read(fflags), OF);
    (void)fdiv_d(OPAQUE(ONE_D), OPAQUE(0));
    CHECK_EQ(csr_swap(fflags, 0), OF | DZ);
    CHECK_EQ(csr_read(fflags), 0);
    (void)fdiv_d(OPAQUE(ONE_D), OPAQUE(THREE_D));
    CHECK_EQ(csr_swap(fcsr, 0), NX);
    CHECK_EQ(csr_read(fcsr), 0);
    /* csrs/csrc are read-modify-write of the pending flags too. */
    (void)fdiv_d(OPAQUE(ONE_D), OPAQUE(0));
    csr_set(fflags, NX);
    CHECK_EQ(csr_read(fflags), DZ | NX);
    (void)fdiv_d(OPAQUE(0), OPAQUE(0));
    csr_clear(fflags, DZ);
    CHECK_EQ(csr_read(fflags), NX | NV);
    /* Writing frm leaves the flags alone. */
    (void)fdiv_d(OPAQUE(ONE_D), OPAQUE(0));
    csr_write(frm, 0);
    CHECK_EQ(csr_read(fflags), NX | NV | DZ);
    csr_write(fcsr, 0);
}

#define UART_LSR ((volatile u8 *)0x10000005UL)

/* Flags of the guest survive a trap, an access fault in the middle of a
   block of code, device accesses and timer reads, which add none. */
static void test_kept(void)
{
    u64 fl;

    csr_write(fflags, 0);
    (void)fdiv_d(OPAQUE(ONE_D), OPAQUE(THREE_D));
    trap_expect(TRAP_SKIP);
    __asm__ __volatile__("ebreak");
    CHECK_TRAP(CAUSE_BREAKPOINT);
    CHECK_EQ(csr_read(fflags), NX);

    /* The fault is taken after the fdiv, in the same block. */
    csr_write(fflags, 0);
    trap_expect(TRAP_SKIP);
    __asm__ __volatile__("fmv.d.x ft0, %0\n\tfmv.d.x ft1, %1\n\t"
                         "fdiv.d ft2, ft0, ft1\n\t"
                         ".option push\n.option norvc\n"
                         "ld t0, 0(%2)\n"
                         ".option pop"
                         :: "r"(OPAQUE(ONE_D)), "r"(OPAQUE(0)),
                            "r"(UNMAPPED_ADDR)
                         : "ft0", "ft1", "ft2", "t0");
    CHECK_TRAP(CAUSE_LOAD_ACCESS);
    CHECK_EQ(csr_read(fflags), DZ);

    /* MMIO and the timer between an op and the read of fflags. */
    csr_write(fflags, 0);
    __asm__ __volatile__("fmv.d.x ft0, %1\n\tfmv.d.x ft1, %2\n\t"
                         "fsqrt.d ft2, ft1\n\t"
                         "fdiv.d ft2, ft0, ft1\n\t"
                         "lbu t0, 0(%3)\n\t"
                         "rdtime t0\n\t"
                         "lbu t0, 0(%3)\n\t"
                         "csrr %0, fflags"
                         : "=&r"(fl) : "r"(OPAQUE(ONE_D)), "r"(OPAQUE(THREE_D)),
                           "r"(UART_LSR) : "ft0", "ft1", "ft2", "t0");
    CHECK_EQ(fl, NX);
    csr_write(fflags, 0);
    for (int i = 0; i < 50; i++) {
        (void)*UART_LSR;
        (void)csr_read(time);
        (void)csr_read(cycle);
        (void)fdiv_d(OPAQUE(ONE_D), OPAQUE(TWO_D));
    }
    CHECK_EQ(csr_read(fflags), 0);
    uart_puts("");                  /* UART writes, too */
    CHECK_EQ(csr_read(fflags), 0);
}

/* One piece of code (rm = dyn) under RNE, the other modes, RNE again:
   1 + 2^-53 is a tie, and 1/3 rounds differently up and down. */
static __attribute__((noinline)) u64 add_dyn(u64 a, u64 b)
{
    u64 r;

    __asm__ __volatile__("fmv.d.x ft0, %1\n\tfmv.d.x ft1, %2\n\t"
                         "fadd.d ft2, ft0, ft1, dyn\n\tfmv.x.d %0, ft2"
                         : "=r"(r) : "r"(a), "r"(b) : "ft0", "ft1", "ft2");
    return r;
}

static __attribute__((noinline)) u64 div_s_dyn(u64 a, u64 b)
{
    u64 r;

    __asm__ __volatile__("fmv.d.x ft0, %1\n\tfmv.d.x ft1, %2\n\t"
                         "fdiv.s ft2, ft0, ft1, dyn\n\tfmv.x.d %0, ft2"
                         : "=r"(r) : "r"(a), "r"(b) : "ft0", "ft1", "ft2");
    return r;
}

static void test_frm_changes(void)
{
    static const u64 tie[5] = {
        0x3ff0000000000000UL, 0x3ff0000000000000UL, 0x3ff0000000000000UL,
        0x3ff0000000000001UL, 0x3ff0000000000001UL,
    };
    static const u64 third[5] = {   /* 1/3 in single: RNE/RMM up... */
        BOX(0x3eaaaaab), BOX(0x3eaaaaaa), BOX(0x3eaaaaaa), BOX(0x3eaaaaab),
        BOX(0x3eaaaaab),
    };
    static const int order[] = { 0, 0, 1, 2, 3, 4, 0, 3, 0 };

    for (unsigned i = 0; i < ARRAY_SIZE(order); i++) {
        int rm = order[i];

        csr_write(frm, rm);
        CHECK_OP("fadd.d dyn", ONE_D, rm, add_dyn(ONE_D, 0x3ca0000000000000UL),
                 tie[rm]);
        CHECK_OP("fdiv.s dyn", ONE_S, rm,
                 div_s_dyn(BOX(ONE_S), BOX(THREE_S)), third[rm]);
        CHECK_EQ(csr_read(fflags), NX);
        csr_write(fflags, 0);
    }
    /* frm written in the middle of a block applies to the next insn. */
    {
        u64 r;

        __asm__ __volatile__("fmv.d.x ft0, %1\n\tfmv.d.x ft1, %2\n\t"
                             "csrwi frm, 3\n\t"
                             "fadd.d ft2, ft0, ft1, dyn\n\t"
                             "csrwi frm, 0\n\t"
                             "fadd.d ft2, ft2, ft1, dyn\n\t"
                             "fmv.x.d %0, ft2"
                             : "=&r"(r) : "r"(OPAQUE(ONE_D)),
                               "r"(OPAQUE(0x3ca0000000000000UL))
                             : "ft0", "ft1", "ft2");
        /* RUP: 1 + 2^-52; then RNE of (1 + 2^-52) + 2^-53 ties to even,
           1 + 2^-51. */
        CHECK_EQ(r, 0x3ff0000000000002UL);
    }
    csr_write(fcsr, 0);
}

static __attribute__((noinline)) int run(void)
{
    test_cases();
    test_dead_result();
    test_accrue();
    test_kept();
    test_frm_changes();
    return test_end();
}

int main(void)
{
    /* FS = Initial before any FP insn the compiler may emit. */
    csr_set(mstatus, 1UL << 13);
    return run();
}
