/*
 * F/D state and data movement: mstatus.FS (Off makes every FP insn and the
 * FP CSRs illegal; writes to FP registers or fcsr make it Dirty and set
 * SD), fflags/frm/fcsr, reserved rounding modes (static rm 5/6 and a
 * dynamic rm with frm 5..7 are illegal, even for exact conversions),
 * NaN-boxing of single-precision values (improperly boxed inputs read as
 * the canonical NaN; moves and stores do not check), loads, stores and
 * their compressed forms, fmv.x.w sign extension, and static against
 * dynamic rounding on halfway cases.  Expected values come from the
 * RISC-V spec (F and D chapters).
 */
#include "lib.h"

#define MSTATUS_FS_SHIFT 13
#define FS_OFF 0
#define FS_INITIAL 1
#define FS_CLEAN 2
#define FS_DIRTY 3
#define MSTATUS_SD (1UL << 63)

#define CANON_S 0xffffffff7fc00000UL
#define CANON_D 0x7ff8000000000000UL

static void set_fs(unsigned fs)
{
    csr_clear(mstatus, 3UL << MSTATUS_FS_SHIFT);
    csr_set(mstatus, (u64)fs << MSTATUS_FS_SHIFT);
}

static unsigned get_fs(void)
{
    return (csr_read(mstatus) >> MSTATUS_FS_SHIFT) & 3;
}

/* Raw FP register access, so the compiler puts nothing in between. */
#define SET_F(reg, v) __asm__ __volatile__("fmv.d.x " #reg ", %0" :: "r"((u64)(v)))
#define GET_F(reg) ({ u64 _v; __asm__ __volatile__("fmv.x.d %0, " #reg : "=r"(_v)); _v; })
#define FFLAGS() csr_read(fflags)

static void test_fs_off(void)
{
    u64 buf = 0;

    set_fs(FS_OFF);
    CHECK_EQ(get_fs(), FS_OFF);
    trap_expect(TRAP_SKIP);
    __asm__ __volatile__(".word 0x0200f0d3");     /* fadd.d ft1, ft1, ft0 */
    CHECK_TRAP_TVAL(CAUSE_ILLEGAL_INSN, 0x0200f0d3UL);
    trap_expect(TRAP_SKIP);
    __asm__ __volatile__(".option push\n.option norvc\nfld ft0, 0(%0)\n.option pop"
                         :: "r"(&buf));
    CHECK_TRAP(CAUSE_ILLEGAL_INSN);
    trap_expect(TRAP_SKIP);
    __asm__ __volatile__(".option push\n.option norvc\nfmv.x.w t0, ft0\n.option pop"
                         ::: "t0");
    CHECK_TRAP(CAUSE_ILLEGAL_INSN);
    trap_expect(TRAP_SKIP);
    __asm__ __volatile__("mv a5, %0\n\tc.fsd fa0, 0(a5)" :: "r"(&buf)
                         : "a5", "memory");
    CHECK_TRAP(CAUSE_ILLEGAL_INSN);
    /* The FP CSRs do not exist while FS is Off. */
    trap_expect(TRAP_SKIP);
    (void)csr_read(fcsr);
    CHECK_TRAP(CAUSE_ILLEGAL_INSN);
    trap_expect(TRAP_SKIP);
    csr_write(frm, 0);
    CHECK_TRAP(CAUSE_ILLEGAL_INSN);
    CHECK_EQ(get_fs(), FS_OFF);
    CHECK_EQ(buf, 0);
    set_fs(FS_INITIAL);
    CHECK_EQ(get_fs(), FS_INITIAL);
}

static void test_fs_dirty(void)
{
    u64 buf = 0x4000000000000000UL;

    /* Writing an FP register makes FS Dirty, and SD shows it. */
    set_fs(FS_CLEAN);
    CHECK_EQ(csr_read(mstatus) & MSTATUS_SD, 0);
    __asm__ __volatile__("fadd.d ft0, ft1, ft2");
    CHECK_EQ(get_fs(), FS_DIRTY);
    CHECK_EQ(csr_read(mstatus) & MSTATUS_SD, MSTATUS_SD);

    set_fs(FS_CLEAN);
    __asm__ __volatile__("fld ft3, 0(%0)" :: "r"(&buf));
    CHECK_EQ(get_fs(), FS_DIRTY);
    set_fs(FS_INITIAL);
    SET_F(ft4, 1);
    CHECK_EQ(get_fs(), FS_DIRTY);

    /* Reading FP state (stores, moves to x registers) keeps it Clean. */
    set_fs(FS_CLEAN);
    __asm__ __volatile__("fsd ft3, 0(%0)" :: "r"(&buf) : "memory");
    CHECK_EQ(GET_F(ft3), 0x4000000000000000UL);
    (void)csr_read(fcsr);
    CHECK_EQ(get_fs(), FS_CLEAN);
    CHECK_EQ(csr_read(mstatus) & MSTATUS_SD, 0);

    /* Writing fcsr is writing FP state. */
    csr_write(fflags, 0);
    CHECK_EQ(get_fs(), FS_DIRTY);
    set_fs(FS_INITIAL);
}

static void test_fcsr(void)
{
    csr_write(fcsr, 0x1ff);
    CHECK_EQ(csr_read(fcsr), 0xff);
    CHECK_EQ(csr_read(frm), 7);
    CHECK_EQ(csr_read(fflags), 0x1f);
    csr_write(frm, 0xfb);               /* only 3 bits */
    CHECK_EQ(csr_read(fcsr), 0x7f);
    csr_write(fflags, 0x3a);            /* only 5 bits */
    CHECK_EQ(csr_read(fcsr), 0x7a);
    CHECK_EQ(csr_swap(fflags, 0), 0x1a);
    CHECK_EQ(csr_read(fcsr), 0x60);
    csr_write(fcsr, 0);
    /* Flags accrue: they are never cleared by an instruction. */
    SET_F(ft0, 0x3ff0000000000000UL);   /* 1.0 */
    SET_F(ft1, 0x4008000000000000UL);   /* 3.0 */
    __asm__ __volatile__("fdiv.d ft2, ft0, ft1");
    CHECK_EQ(FFLAGS(), 0x01);
    __asm__ __volatile__("fadd.d ft2, ft0, ft1");
    CHECK_EQ(FFLAGS(), 0x01);
    csr_write(fcsr, 0);
}

/* Reserved rounding modes.  Encodings: fadd.d ft0, ft1, ft2 with rm in
   bits 14:12, fcvt.d.w ft0, ra with rm. */
#define FADD_D_RM(rm) (0x020080d3UL | ((u64)(rm) << 12))
#define FCVT_D_W_RM(rm) (0xd2008053UL | ((u64)(rm) << 12))

static void test_rm(void)
{
    trap_expect(TRAP_SKIP);
    __asm__ __volatile__(".word 0x0200d0d3");       /* rm = 5 */
    CHECK_TRAP_TVAL(CAUSE_ILLEGAL_INSN, FADD_D_RM(5));
    trap_expect(TRAP_SKIP);
    __asm__ __volatile__(".word 0x0200e0d3");       /* rm = 6 */
    CHECK_TRAP_TVAL(CAUSE_ILLEGAL_INSN, FADD_D_RM(6));
    trap_expect(TRAP_SKIP);
    __asm__ __volatile__(".word 0xd200d053");       /* fcvt.d.w, rm = 5 */
    CHECK_TRAP_TVAL(CAUSE_ILLEGAL_INSN, FCVT_D_W_RM(5));

    for (u64 frm = 5; frm <= 7; frm++) {
        csr_write(frm, frm);
        trap_expect(TRAP_SKIP);
        __asm__ __volatile__(".word 0x0200f0d3");   /* rm = dyn */
        CHECK_TRAP_TVAL(CAUSE_ILLEGAL_INSN, FADD_D_RM(7));
        trap_expect(TRAP_SKIP);
        __asm__ __volatile__(".word 0xd200f053");
        CHECK_TRAP(CAUSE_ILLEGAL_INSN);
        /* Static modes do not look at frm. */
        trap_expect(TRAP_SKIP);
        __asm__ __volatile__("fadd.d ft0, ft1, ft2, rne");
        CHECK_NO_TRAP();
    }
    for (u64 frm = 0; frm <= 4; frm++) {
        csr_write(frm, frm);
        trap_expect(TRAP_SKIP);
        __asm__ __volatile__("fadd.d ft0, ft1, ft2, dyn");
        CHECK_NO_TRAP();
    }
    csr_write(fcsr, 0);
}

/* 1 + 2^-53 is halfway between 1 and 1 + 2^-52: every mode differs. */
#define TIE_A 0x3ff0000000000000UL
#define TIE_B 0x3ca0000000000000UL

#define ADD_RM(rm) ({ u64 _r; __asm__ __volatile__(                          \
        "fmv.d.x ft0, %1\n\tfmv.d.x ft1, %2\n\tfadd.d ft2, ft0, ft1, " rm   \
        "\n\tfmv.x.d %0, ft2" : "=r"(_r) : "r"(a), "r"(b) : "ft0", "ft1", "ft2"); _r; })

static void test_static_dynamic(void)
{
    static const u64 expect[5][2] = {
        /* 1 + 2^-53, -1 - 2^-53 */
        { 0x3ff0000000000000UL, 0xbff0000000000000UL },   /* RNE: even */
        { 0x3ff0000000000000UL, 0xbff0000000000000UL },   /* RTZ */
        { 0x3ff0000000000000UL, 0xbff0000000000001UL },   /* RDN */
        { 0x3ff0000000000001UL, 0xbff0000000000000UL },   /* RUP */
        { 0x3ff0000000000001UL, 0xbff0000000000001UL },   /* RMM: away */
    };

    for (int neg = 0; neg < 2; neg++) {
        u64 a = TIE_A | (u64)neg << 63, b = TIE_B | (u64)neg << 63;

        a = OPAQUE(a);
        b = OPAQUE(b);
        CHECK_OP("fadd.d rne", a, b, ADD_RM("rne"), expect[0][neg]);
        CHECK_OP("fadd.d rtz", a, b, ADD_RM("rtz"), expect[1][neg]);
        CHECK_OP("fadd.d rdn", a, b, ADD_RM("rdn"), expect[2][neg]);
        CHECK_OP("fadd.d rup", a, b, ADD_RM("rup"), expect[3][neg]);
        CHECK_OP("fadd.d rmm", a, b, ADD_RM("rmm"), expect[4][neg]);
        for (int rm = 0; rm < 5; rm++) {
            csr_write(frm, rm);
            CHECK_OP("fadd.d dyn", a, rm, ADD_RM("dyn"), expect[rm][neg]);
            /* A static mode ignores frm. */
            CHECK_OP("fadd.d rmm/frm", a, rm, ADD_RM("rmm"), expect[4][neg]);
        }
    }
    csr_write(fcsr, 0);
}

static void test_nanbox(void)
{
    u64 r;
    u32 mem = 0;

    /* A single-precision write boxes the value. */
    __asm__ __volatile__("fmv.w.x ft0, %0" :: "r"(0x123456783f800000UL));
    CHECK_EQ(GET_F(ft0), 0xffffffff3f800000UL);
    /* 1.0f without the box reads as the canonical NaN (a quiet NaN: no NV). */
    csr_write(fflags, 0);
    SET_F(ft0, 0x000000003f800000UL);
    __asm__ __volatile__("fadd.s ft1, ft0, ft0");
    CHECK_EQ(GET_F(ft1), CANON_S);
    CHECK_EQ(FFLAGS(), 0);
    SET_F(ft0, 0xfffffffe3f800000UL);   /* one bit short */
    __asm__ __volatile__("fmul.s ft1, ft0, ft0");
    CHECK_EQ(GET_F(ft1), CANON_S);
    __asm__ __volatile__("fcvt.d.s ft1, ft0");
    CHECK_EQ(GET_F(ft1), CANON_D);
    __asm__ __volatile__("fclass.s %0, ft0" : "=r"(r));
    CHECK_EQ(r, 1 << 9);
    __asm__ __volatile__("feq.s %0, ft0, ft0" : "=r"(r));
    CHECK_EQ(r, 0);
    __asm__ __volatile__("fcvt.w.s %0, ft0, rtz" : "=r"(r));
    CHECK_EQ(r, 0x7fffffff);            /* NaN -> max */
    CHECK_EQ(FFLAGS(), 0x10);
    csr_write(fflags, 0);
    /* Sign injection checks the boxes too; the result is boxed. */
    __asm__ __volatile__("fsgnjn.s ft1, ft0, ft0");
    CHECK_EQ(GET_F(ft1), 0xffffffffffc00000UL);
    __asm__ __volatile__("fmv.s ft1, ft0");     /* fsgnj.s ft1, ft0, ft0 */
    CHECK_EQ(GET_F(ft1), CANON_S);
    SET_F(ft2, 0xffffffffbf800000UL);           /* -1.0f, boxed */
    __asm__ __volatile__("fsgnj.s ft1, ft2, ft0");
    CHECK_EQ(GET_F(ft1), 0xffffffff3f800000UL);
    /* fmv.x.w and fsw take the low 32 bits unchecked; fmv.x.w sign-extends. */
    __asm__ __volatile__("fmv.x.w %0, ft0" : "=r"(r));
    CHECK_EQ(r, 0x3f800000);
    SET_F(ft0, 0x0000000080000001UL);
    __asm__ __volatile__("fmv.x.w %0, ft0" : "=r"(r));
    CHECK_EQ(r, 0xffffffff80000001UL);
    __asm__ __volatile__("fsw ft0, 0(%0)" :: "r"(&mem) : "memory");
    CHECK_EQ(mem, 0x80000001);
    __asm__ __volatile__("flw ft1, 0(%0)" :: "r"(&mem));
    CHECK_EQ(GET_F(ft1), 0xffffffff80000001UL);
    /* Double-precision ops see all 64 bits. */
    SET_F(ft0, 0xffffffff3f800000UL);
    __asm__ __volatile__("fclass.d %0, ft0" : "=r"(r));
    CHECK_EQ(r, 1 << 9);                /* a quiet NaN as a double */
    CHECK_EQ(FFLAGS(), 0);
}

static void test_loads_stores(void)
{
    u64 buf[4] = { 0x0123456789abcdefUL, 0, 0x4000000000000000UL, 0 };
    u64 r;

    __asm__ __volatile__("fld fa0, 0(%0)\n\tfsd fa0, 8(%0)" :: "r"(buf) : "memory");
    CHECK_EQ(buf[1], 0x0123456789abcdefUL);
    /* Compressed forms (RV64DC): c.fld/c.fsd with x8-x15/f8-f15. */
    __asm__ __volatile__("mv a5, %0\n\tc.fld fs1, 16(a5)\n\tc.fsd fs1, 24(a5)"
                         :: "r"(buf) : "a5", "memory");
    CHECK_EQ(buf[3], 0x4000000000000000UL);
    /* c.fldsp/c.fsdsp: sp-relative, any f register. */
    __asm__ __volatile__("addi sp, sp, -32\n\t"
                         "sd %1, 16(sp)\n\t"
                         "c.fldsp ft11, 16(sp)\n\t"
                         "c.fsdsp ft11, 24(sp)\n\t"
                         "ld %0, 24(sp)\n\t"
                         "addi sp, sp, 32"
                         : "=&r"(r) : "r"(0xfedcba9876543210UL) : "memory");
    CHECK_EQ(r, 0xfedcba9876543210UL);
    __asm__ __volatile__("fmv.x.d %0, ft11" : "=r"(r));
    CHECK_EQ(r, 0xfedcba9876543210UL);
    /* flw boxes; fsw stores 4 bytes only. */
    buf[0] = 0x1111111122222222UL;
    __asm__ __volatile__("flw ft5, 4(%0)\n\tfsw ft5, 8(%0)" :: "r"(buf) : "memory");
    CHECK_EQ(GET_F(ft5), 0xffffffff11111111UL);
    CHECK_EQ(buf[1], 0x0123456711111111UL);
    /* A faulting FP load leaves the register alone. */
    SET_F(ft6, 0x55);
    trap_expect(TRAP_SKIP);
    __asm__ __volatile__("fld ft6, 0(%0)" :: "r"(UNMAPPED_ADDR));
    CHECK_TRAP_TVAL(CAUSE_LOAD_ACCESS, UNMAPPED_ADDR);
    CHECK_EQ(GET_F(ft6), 0x55);
}

static __attribute__((noinline)) int run(void)
{
    test_fs_off();
    test_fs_dirty();
    test_fcsr();
    test_rm();
    test_static_dynamic();
    test_nanbox();
    test_loads_stores();
    return test_end();
}

int main(void)
{
    /* Before any FP insn the compiler may emit. */
    set_fs(FS_INITIAL);
    return run();
}
