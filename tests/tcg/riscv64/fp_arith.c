/*
 * Every F/D arithmetic instruction in every rounding mode against a table
 * of about 26,000 cases (fp_arith_cases.h, generated at build time by
 * tools/gen_fp_tests.py with exact rational arithmetic from the spec):
 * results bit for bit (canonical NaNs, NaN-boxed singles, signed zeros,
 * overflow by mode) and the fflags each one raises (NX, UF with tininess
 * after rounding, OF, DZ, NV for sNaN and invalid operations).  Covers
 * add/sub/mul/div/sqrt, the four fused multiply-adds, min/max, feq/flt/
 * fle, fclass, and the conversions (float <-> w/wu/l/lu, s <-> d) with
 * their saturation.  Each instruction runs with rm = dyn and frm set from
 * the case; fp_basic checks that static modes round the same way.
 */
#include "lib.h"

struct fp_case {
    u8 op, rm, flags;
    u64 a, b, c, expect;
};

#include "fp_arith_cases.h"

static u64 run_case(const struct fp_case *t, u64 *flags)
{
    u64 a = t->a, b = t->b, c = t->c, fl, r = 0;

    csr_write(frm, t->rm);
#define RR(name, text) case name: __asm__ __volatile__(                     \
        "fmv.d.x ft0, %2\n\tfmv.d.x ft1, %3\n\tfmv.d.x ft2, %4\n\t"         \
        "csrw fflags, zero\n\t" text "\n\tcsrr %1, fflags"                  \
        : "=&r"(r), "=&r"(fl) : "r"(a), "r"(b), "r"(c)                      \
        : "ft0", "ft1", "ft2", "ft3"); break
#define F3(name, insn) RR(name, insn " ft3, ft0, ft1, ft2\n\tfmv.x.d %0, ft3")
#define F2(name, insn) RR(name, insn " ft3, ft0, ft1\n\tfmv.x.d %0, ft3")
#define F1(name, insn) RR(name, insn " ft3, ft0\n\tfmv.x.d %0, ft3")
#define X2(name, insn) RR(name, insn " %0, ft0, ft1")
#define X1(name, insn) RR(name, insn " %0, ft0")
#define FX(name, insn) RR(name, insn " ft3, %2\n\tfmv.x.d %0, ft3")
    switch (t->op) {
    F2(OP_FADD_S, "fadd.s"); F2(OP_FSUB_S, "fsub.s");
    F2(OP_FMUL_S, "fmul.s"); F2(OP_FDIV_S, "fdiv.s");
    F1(OP_FSQRT_S, "fsqrt.s");
    F2(OP_FMIN_S, "fmin.s"); F2(OP_FMAX_S, "fmax.s");
    X2(OP_FEQ_S, "feq.s"); X2(OP_FLT_S, "flt.s"); X2(OP_FLE_S, "fle.s");
    X1(OP_FCLASS_S, "fclass.s");
    F3(OP_FMADD_S, "fmadd.s"); F3(OP_FMSUB_S, "fmsub.s");
    F3(OP_FNMSUB_S, "fnmsub.s"); F3(OP_FNMADD_S, "fnmadd.s");
    X1(OP_FCVT_W_S, "fcvt.w.s"); X1(OP_FCVT_WU_S, "fcvt.wu.s");
    X1(OP_FCVT_L_S, "fcvt.l.s"); X1(OP_FCVT_LU_S, "fcvt.lu.s");
    FX(OP_FCVT_S_W, "fcvt.s.w"); FX(OP_FCVT_S_WU, "fcvt.s.wu");
    FX(OP_FCVT_S_L, "fcvt.s.l"); FX(OP_FCVT_S_LU, "fcvt.s.lu");
    F2(OP_FADD_D, "fadd.d"); F2(OP_FSUB_D, "fsub.d");
    F2(OP_FMUL_D, "fmul.d"); F2(OP_FDIV_D, "fdiv.d");
    F1(OP_FSQRT_D, "fsqrt.d");
    F2(OP_FMIN_D, "fmin.d"); F2(OP_FMAX_D, "fmax.d");
    X2(OP_FEQ_D, "feq.d"); X2(OP_FLT_D, "flt.d"); X2(OP_FLE_D, "fle.d");
    X1(OP_FCLASS_D, "fclass.d");
    F3(OP_FMADD_D, "fmadd.d"); F3(OP_FMSUB_D, "fmsub.d");
    F3(OP_FNMSUB_D, "fnmsub.d"); F3(OP_FNMADD_D, "fnmadd.d");
    X1(OP_FCVT_W_D, "fcvt.w.d"); X1(OP_FCVT_WU_D, "fcvt.wu.d");
    X1(OP_FCVT_L_D, "fcvt.l.d"); X1(OP_FCVT_LU_D, "fcvt.lu.d");
    FX(OP_FCVT_D_W, "fcvt.d.w"); FX(OP_FCVT_D_WU, "fcvt.d.wu");
    FX(OP_FCVT_D_L, "fcvt.d.l"); FX(OP_FCVT_D_LU, "fcvt.d.lu");
    F1(OP_FCVT_S_D, "fcvt.s.d"); F1(OP_FCVT_D_S, "fcvt.d.s");
    default:
        fl = 0xff;
        break;
    }
    *flags = fl;
    return r;
}

static const char *const rm_names[5] = { "rne", "rtz", "rdn", "rup", "rmm" };

static __attribute__((noinline)) int run(void)
{
    unsigned reported = 0;

    for (unsigned i = 0; i < ARRAY_SIZE(fp_cases); i++) {
        const struct fp_case *t = &fp_cases[i];
        u64 flags, r = run_case(t, &flags);
        unsigned before = test_failures;

        CHECK_OP(op_names[t->op], t->a, t->b, r, t->expect);
        CHECK_OP("fflags", t->a, t->b, flags, t->flags);
        if (test_failures != before && reported++ < 40) {
            uart_puts("  case ");
            print_dec(i);
            uart_puts(" rm=");
            uart_puts(rm_names[t->rm]);
            uart_puts(" c=");
            print_hex(t->c);
            uart_puts("\n");
        }
    }
    csr_write(fcsr, 0);
    return test_end();
}

int main(void)
{
    csr_set(mstatus, 1UL << 13);   /* FS = Initial, before any FP insn */
    return run();
}
