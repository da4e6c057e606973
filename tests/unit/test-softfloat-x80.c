/* needs: host-x86_64 */
/*
 * The x87 80-bit format of the soft-float core (fpu/softfloat-x80.c)
 * against this machine's x87: every operation on operands biased toward
 * the cases that matter (zeros, infinities, quiet and signaling NaNs with
 * random payloads, denormals, pseudo-denormals, unsupported encodings,
 * the ends of the exponent range, nearly equal values that cancel), in
 * every rounding mode and, for the operations it affects, every
 * precision control; the result bits and the six exception flags of the
 * status word must be equal.  The reference runs in inline assembly with
 * every exception masked, so the host's masked responses are what is
 * compared.  A few hand-written cases pin down what a failure of the
 * random part would be hard to read from.
 */
#include <stdlib.h>

#include <glib.h>

#include "unit.h"
#include "mimic/softfloat.h"

enum { NX = FLOAT_FLAG_INEXACT, UF = FLOAT_FLAG_UNDERFLOW,
       OF = FLOAT_FLAG_OVERFLOW, DZ = FLOAT_FLAG_DIVBYZERO,
       NV = FLOAT_FLAG_INVALID, DE = FLOAT_FLAG_INPUT_DENORMAL };

/* The 10-byte memory image of an x87 value, as fldt and fstpt see it. */
typedef struct __attribute__((packed)) X80Mem {
    uint64_t sig;
    uint16_t se;
} X80Mem;

static X80Mem to_mem(FloatX80 a) { return (X80Mem){ a.sig, a.se }; }

/* The status word's exception bits as soft-float flags. */
static unsigned flags_of_sw(unsigned sw)
{
    return (sw & 0x01 ? NV : 0) | (sw & 0x02 ? DE : 0) |
           (sw & 0x04 ? DZ : 0) | (sw & 0x08 ? OF : 0) |
           (sw & 0x10 ? UF : 0) | (sw & 0x20 ? NX : 0);
}

/* A control word with every exception masked, rounding rm and precision
   prec (24, 53 or 64). */
static uint16_t control_word(FloatRound rm, int prec)
{
    static const uint16_t rc[] = {
        [FLOAT_ROUND_NEAREST_EVEN] = 0, [FLOAT_ROUND_DOWN] = 1,
        [FLOAT_ROUND_UP] = 2, [FLOAT_ROUND_TO_ZERO] = 3,
    };
    uint16_t pc = prec == 24 ? 0 : prec == 53 ? 2 : 3;

    return 0x3f | pc << 8 | rc[rm] << 10 | 0x40;
}

enum {
    OP_ADD, OP_SUB, OP_MUL, OP_DIV, OP_SQRT, OP_RNDINT, OP_COM, OP_UCOM,
    OP_TO_I16, OP_TO_I32, OP_TO_I64, OP_TO_F32, OP_TO_F64, OP_FROM_F32,
    OP_FROM_F64, OP_SCALE_INT, OP_PREM, OP_PREM1, NUM_OPS,
};
static const char *const op_names[NUM_OPS] = {
    "add", "sub", "mul", "div", "sqrt", "frndint", "fcom", "fucom",
    "fist16", "fist32", "fist64", "fst32", "fst64", "fld32", "fld64",
    "fscale", "fprem", "fprem1",
};

/* Whether precision control applies to op (SDM vol. 1, 8.1.5.2). */
static bool uses_precision(int op)
{
    return op <= OP_SQRT;
}

/* The relation of FCOM's C3, C2, C0. */
static uint64_t relation_of_sw(unsigned sw)
{
    switch (sw & 0x4500) {
    case 0x0000: return FLOAT_GREATER;
    case 0x0100: return FLOAT_LESS;
    case 0x4000: return FLOAT_EQUAL;
    default: return FLOAT_UNORDERED;
    }
}

typedef struct Result {
    X80Mem x;           /* an x87 result */
    uint64_t i;         /* an integer, binary32/64 or relation result */
    unsigned flags;
    unsigned quot;      /* FPREM's C0 C3 C1 C2 as bits 0-3 */
} Result;

/*
 * op on the host's x87: fninit, the control word, the operands loaded
 * with b below a (st0 = a, st1 = b), the operation, the result stored
 * and the stack emptied.  For the conversions from f32/f64 the operand
 * is the low bits of a.sig.
 */
static Result host_op(int op, FloatX80 fa, FloatX80 fb, uint16_t cw)
{
    X80Mem a = to_mem(fa), b = to_mem(fb);
    Result r = { 0 };
    uint16_t sw = 0, cc = 0;
    uint32_t f32 = (uint32_t)fa.sig;
    uint64_t f64 = fa.sig;
    int16_t i16 = 0;
    int32_t i32 = 0;
    int64_t i64 = 0;

    __asm__ __volatile__("fninit\n\tfldcw %0" :: "m"(cw));
    switch (op) {
    case OP_FROM_F32:
        __asm__ __volatile__("flds %1\n\tfnstsw %0\n\tfstpt %2"
                             : "=m"(sw) : "m"(f32), "m"(r.x) : "memory");
        break;
    case OP_FROM_F64:
        __asm__ __volatile__("fldl %1\n\tfnstsw %0\n\tfstpt %2"
                             : "=m"(sw) : "m"(f64), "m"(r.x) : "memory");
        break;
    default:
        __asm__ __volatile__("fldt %0\n\tfldt %1" :: "m"(b), "m"(a));
        switch (op) {
        case OP_ADD: __asm__ __volatile__("fadd %st(1), %st"); break;
        case OP_SUB: __asm__ __volatile__("fsub %st(1), %st"); break;
        case OP_MUL: __asm__ __volatile__("fmul %st(1), %st"); break;
        case OP_DIV: __asm__ __volatile__("fdiv %st(1), %st"); break;
        case OP_SQRT: __asm__ __volatile__("fsqrt"); break;
        case OP_RNDINT: __asm__ __volatile__("frndint"); break;
        case OP_COM: __asm__ __volatile__("fcom %st(1)"); break;
        case OP_UCOM: __asm__ __volatile__("fucom %st(1)"); break;
        case OP_SCALE_INT: __asm__ __volatile__("fscale"); break;
        case OP_PREM: __asm__ __volatile__("fprem"); break;
        case OP_PREM1: __asm__ __volatile__("fprem1"); break;
        }
        /* The condition codes now: a store leaves them undefined. */
        __asm__ __volatile__("fnstsw %0" : "=m"(cc));
        switch (op) {
        case OP_TO_I16:
            __asm__ __volatile__("fistps %0" : "=m"(i16));
            break;
        case OP_TO_I32:
            __asm__ __volatile__("fistpl %0" : "=m"(i32));
            break;
        case OP_TO_I64:
            __asm__ __volatile__("fistpll %0" : "=m"(i64));
            break;
        case OP_TO_F32:
            __asm__ __volatile__("fstps %0" : "=m"(f32));
            break;
        case OP_TO_F64:
            __asm__ __volatile__("fstpl %0" : "=m"(f64));
            break;
        default:
            __asm__ __volatile__("fstpt %0" : "=m"(r.x));
            break;
        }
        __asm__ __volatile__("fnstsw %0\n\tfstp %%st(0)" : "=m"(sw));
        break;
    }
    r.flags = flags_of_sw(sw);
    r.quot = (cc >> 8 & 1) | (cc >> 14 & 1) << 1 | (cc >> 9 & 1) << 2 |
             (cc >> 10 & 1) << 3;
    switch (op) {
    case OP_TO_I16: r.i = (uint64_t)(int64_t)i16; break;
    case OP_TO_I32: r.i = (uint64_t)(int64_t)i32; break;
    case OP_TO_I64: r.i = (uint64_t)i64; break;
    case OP_TO_F32: r.i = f32; break;
    case OP_TO_F64: r.i = f64; break;
    case OP_COM: case OP_UCOM: r.i = relation_of_sw(cc); break;
    }
    return r;
}

/* The same operation in soft-float. */
static Result soft_op(int op, FloatX80 a, FloatX80 b, FloatRound rm,
                      int prec)
{
    FloatStatus st = { .round = rm, .x80_precision = (uint8_t)prec };
    Result r = { 0 };
    uint64_t q;
    bool partial;

    switch (op) {
    case OP_ADD: r.x = to_mem(x80_add(a, b, &st)); break;
    case OP_SUB: r.x = to_mem(x80_sub(a, b, &st)); break;
    case OP_MUL: r.x = to_mem(x80_mul(a, b, &st)); break;
    case OP_DIV: r.x = to_mem(x80_div(a, b, &st)); break;
    case OP_SQRT: r.x = to_mem(x80_sqrt(a, &st)); break;
    case OP_RNDINT: r.x = to_mem(x80_round_to_int(a, &st)); break;
    case OP_COM: r.i = (uint64_t)x80_compare(a, b, true, &st); break;
    case OP_UCOM: r.i = (uint64_t)x80_compare(a, b, false, &st); break;
    case OP_TO_I16: r.i = (uint64_t)x80_to_int(a, 16, rm, &st); break;
    case OP_TO_I32: r.i = (uint64_t)x80_to_int(a, 32, rm, &st); break;
    case OP_TO_I64: r.i = (uint64_t)x80_to_int(a, 64, rm, &st); break;
    case OP_TO_F32: r.i = x80_to_f32(a, &st); break;
    case OP_TO_F64: r.i = x80_to_f64(a, &st); break;
    case OP_FROM_F32: r.x = to_mem(f32_to_x80((uint32_t)a.sig, &st)); break;
    case OP_FROM_F64: r.x = to_mem(f64_to_x80(a.sig, &st)); break;
    case OP_SCALE_INT: {
        /* Only integral, in-range scales: FSCALE's own special cases
           belong to the target's helper. */
        FloatStatus ist = { 0 };
        int64_t n = x80_to_int(b, 32, FLOAT_ROUND_TO_ZERO, &ist);

        r.x = to_mem(x80_scalbn(a, (int)n, &st));
        break;
    }
    case OP_PREM:
    case OP_PREM1:
        r.x = to_mem(x80_rem(a, b, op == OP_PREM1, &q, &partial, &st));
        r.quot = partial ? 8 : ((q >> 2 & 1) | (q >> 1 & 1) << 1 |
                                (q & 1) << 2);
        break;
    }
    r.flags = st.flags;
    return r;
}

/* ---- Operands ---- */

static uint64_t rnd64(void)
{
    return (uint64_t)g_random_int() << 32 | g_random_int();
}

/* A value of a random kind, biased toward the special ones. */
static FloatX80 random_x80(void)
{
    bool s = g_random_int() & 1;
    uint64_t sig = rnd64();

    switch (g_random_int_range(0, 16)) {
    case 0: return x80_make(s, 0, 0);
    case 1: return x80_make(s, X80_EXP_MAX, 1ull << 63);
    case 2: return x80_make(s, X80_EXP_MAX, sig | 3ull << 62);       /* qNaN */
    case 3: return x80_make(s, X80_EXP_MAX, ((sig | 1) & ~(1ull << 62)) | 1ull << 63);
    case 4: return x80_make(s, 0, sig >> g_random_int_range(1, 64)); /* denormal */
    case 5: return x80_make(s, 0, sig | 1ull << 63);  /* pseudo-denormal */
    case 6: return x80_make(s, g_random_int_range(1, X80_EXP_MAX + 1),
                            sig & ~(1ull << 63));     /* unsupported */
    case 7: return x80_make(s, g_random_int_range(1, 80),
                            sig | 1ull << 63);        /* near underflow */
    case 8: return x80_make(s, g_random_int_range(X80_EXP_MAX - 80, X80_EXP_MAX),
                            sig | 1ull << 63);        /* near overflow */
    case 9: return x80_make(s, X80_EXP_BIAS + g_random_int_range(-3, 70),
                            (sig | 1ull << 63) & ~0ull << g_random_int_range(0, 64));
    case 10: return x80_make(s, X80_EXP_BIAS + g_random_int_range(0, 64),
                             1ull << 63 | (sig & ~0ull << 60)); /* ties */
    default:
        return x80_make(s, X80_EXP_BIAS + g_random_int_range(-200, 200),
                        sig | 1ull << 63);
    }
}

/* b, or a value close to a (cancellation, ties, equal operands). */
static FloatX80 second_operand(FloatX80 a)
{
    switch (g_random_int_range(0, 8)) {
    case 0: return a;
    case 1: a.sig ^= 1ull << g_random_int_range(0, 64); return a;
    case 2: a.se ^= 0x8000; a.sig += g_random_int_range(-3, 4); return a;
    case 3: a.se = (uint16_t)((a.se & 0x8000) |
                    ((a.se + g_random_int_range(-70, 70)) & 0x7fff)); return a;
    default: return random_x80();
    }
}

/* A random binary32 or binary64 encoding, biased toward special ones. */
static uint64_t random_float(bool is64)
{
    int fb = is64 ? 52 : 23, eb = is64 ? 11 : 8;
    uint64_t frac = rnd64() & ((1ull << fb) - 1);
    uint64_t s = (uint64_t)(g_random_int() & 1) << (fb + eb);
    uint64_t emax = (1ull << eb) - 1;

    switch (g_random_int_range(0, 6)) {
    case 0: return s | emax << fb | frac;               /* NaN or inf */
    case 1: return s | frac;                            /* subnormal */
    case 2: return s | emax << fb | (frac | 1) >> 1;    /* sNaN */
    default: return s | (rnd64() % emax) << fb | frac;
    }
}

static const FloatRound modes[] = {
    FLOAT_ROUND_NEAREST_EVEN, FLOAT_ROUND_DOWN, FLOAT_ROUND_UP,
    FLOAT_ROUND_TO_ZERO,
};
static const int precisions[] = { 64, 53, 24 };

/* How many FPREM/FPREM1 results the host left partial (C2): the random
   operands must reach x87's reduction in steps, not only whole ones. */
static int partial_seen;

static bool same(int op, Result h, Result s)
{
    if (h.flags != s.flags)
        return false;
    switch (op) {
    case OP_COM: case OP_UCOM: case OP_TO_I16: case OP_TO_I32:
    case OP_TO_I64: case OP_TO_F32: case OP_TO_F64:
        return h.i == s.i;
    case OP_PREM: case OP_PREM1:
        if (h.quot != s.quot)
            return false;
        /* fall through */
    default:
        return h.x.sig == s.x.sig && h.x.se == s.x.se;
    }
}

/* n random cases of op in every mode and precision; prints the first
   few mismatches and returns how many there were. */
static int check_op(int op, int n)
{
    int bad = 0;

    for (int i = 0; i < n; i++) {
        FloatX80 a = random_x80(), b = second_operand(a);

        if (op == OP_FROM_F32 || op == OP_FROM_F64)
            a.sig = random_float(op == OP_FROM_F64);
        if (op == OP_SCALE_INT)
            b = x80_from_int64(g_random_int_range(-17000, 17000));
        for (size_t m = 0; m < G_N_ELEMENTS(modes); m++) {
            for (size_t p = 0; p < G_N_ELEMENTS(precisions); p++) {
                int prec = precisions[p];
                Result h, s;

                if (!uses_precision(op) && prec != 64)
                    continue;
                h = host_op(op, a, b, control_word(modes[m], prec));
                s = soft_op(op, a, b, modes[m], prec);
                if ((op == OP_PREM || op == OP_PREM1) && (h.quot & 8))
                    partial_seen++;
                if (same(op, h, s))
                    continue;
                if (bad++ < 5)
                    printf("#   %s rm %d pc %d: %04x.%016" PRIx64 ", %04x.%016"
                           PRIx64 ": host %04x.%016" PRIx64 " i %" PRIx64
                           " fl %02x q %x, soft %04x.%016" PRIx64 " i %"
                           PRIx64 " fl %02x q %x\n", op_names[op], modes[m],
                           prec, a.se, a.sig, b.se, b.sig, h.x.se, h.x.sig,
                           h.i, h.flags, h.quot, s.x.se, s.x.sig, s.i,
                           s.flags, s.quot);
            }
        }
    }
    return bad;
}

TEST(x80_matches_host_x87)
{
    g_random_set_seed(87);
    for (int op = 0; op < NUM_OPS; op++) {
        int bad = check_op(op, 20000);

        if (bad) {
            printf("#   %s: %d mismatches\n", op_names[op], bad);
            unit_case_failed = 1;
        }
    }
    EXPECT(partial_seen > 1000);
}

/* ---- Hand-written cases ---- */

static const FloatX80 one = { 1ull << 63, X80_EXP_BIAS };
static const FloatX80 three = { 3ull << 62, X80_EXP_BIAS + 1 };

TEST(x80_precision_control)
{
    FloatStatus st = { .x80_precision = 24 };
    FloatX80 r = x80_div(one, three, &st);

    /* 1/3 to 24 bits: 0xaaaaab << 40, with inexact. */
    EXPECT_EQ(r.sig, 0xaaaaab0000000000ull);
    EXPECT_EQ(r.se, X80_EXP_BIAS - 2);
    EXPECT_EQ(st.flags, NX);
    st = (FloatStatus){ .x80_precision = 53 };
    r = x80_div(one, three, &st);
    EXPECT_EQ(r.sig, 0xaaaaaaaaaaaaa800ull);
    st = (FloatStatus){ 0 };
    r = x80_div(one, three, &st);
    EXPECT_EQ(r.sig, 0xaaaaaaaaaaaaaaabull);
}

TEST(x80_special_encodings)
{
    FloatStatus st = { 0 };
    FloatX80 unnormal = { 1ull << 62, X80_EXP_BIAS };
    FloatX80 pseudo_denormal = { 1ull << 63, 0 };
    FloatX80 r;

    /* An unnormal operand is invalid: the indefinite. */
    r = x80_add(one, unnormal, &st);
    EXPECT_EQ(r.se, 0xffff);
    EXPECT_EQ(r.sig, 0xc000000000000000ull);
    EXPECT_EQ(st.flags, NV);
    /* A pseudo-denormal is 2^-16382, with DE; the sum is normalised. */
    st.flags = 0;
    r = x80_add(pseudo_denormal, pseudo_denormal, &st);
    EXPECT_EQ(r.se, 2);
    EXPECT_EQ(r.sig, 1ull << 63);
    EXPECT_EQ(st.flags, DE);
    /* Integer indefinite for a NaN, 2^15 to int16. */
    st.flags = 0;
    EXPECT_EQ((uint64_t)x80_to_int(x80_default_nan(), 16, 0, &st),
              (uint64_t)(int64_t)INT16_MIN);
    EXPECT_EQ((uint64_t)x80_to_int(x80_from_int64(32768), 16, 0, &st),
              (uint64_t)(int64_t)INT16_MIN);
    EXPECT_EQ(x80_to_int(x80_from_int64(-32768), 16, 0, &st), -32768);
    EXPECT_EQ(st.flags, NV);
}

int main(void)
{
    return unit_run();
}
