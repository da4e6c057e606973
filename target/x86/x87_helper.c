/*
 * The x87 FPU of the x86-64 guest: the register stack with its tags, the
 * control and status words, and every instruction as a helper on env,
 * computed by the soft-float core's x80_* (fpu/softfloat-x80.c).  A
 * helper builds the FloatStatus from the control word (RC, PC), runs the
 * operation, and then finish() folds the flags into the status word:
 * an unmasked invalid, zero-divide or denormal leaves the destination
 * alone, any unmasked exception sets ES and B, and the next waiting x87
 * insn raises #MF (x87_check_pending), as the CPU does.  Stack faults
 * (a push onto a full register, a read of an empty one) are invalid with
 * SF and C1 telling which; masked, they give the indefinite.
 */

#include "mimic/exec.h"
#include "helper.h"

/* Status word bits. */
#define SW_IE 0x0001
#define SW_DE 0x0002
#define SW_ZE 0x0004
#define SW_OE 0x0008
#define SW_UE 0x0010
#define SW_PE 0x0020
#define SW_SF 0x0040
#define SW_ES 0x0080
#define SW_C0 0x0100
#define SW_C1 0x0200
#define SW_C2 0x0400
#define SW_C3 0x4000
#define SW_B 0x8000
#define SW_CC (SW_C0 | SW_C1 | SW_C2 | SW_C3)
#define SW_EXC 0x3f

static const FloatX80 indefinite = { 0xc000000000000000ull, 0xffff };

/* FNINIT and FNSAVE leave the registers' contents alone, as the CPU
   does (FXSAVE and the MMX registers show them); CPU reset clears them
   with the rest of env. */
void x87_reset(CPUX86State *env)
{
    env->fptop = 0;
    env->fpsw = 0;
    env->fpcw = 0x037f;
    env->fpempty = 0xff;
    env->fpop = 0;
    env->fpip = env->fpdp = 0;
    env->fpcs = env->fpds = 0;
}

uint16_t x87_status_word(const CPUX86State *env)
{
    return (uint16_t)((env->fpsw & ~0x3800) | (env->fptop & 7) << 11);
}

/* ---- The stack ---- */

static inline int phys(const CPUX86State *env, int i)
{
    return (int)((env->fptop + (unsigned)i) & 7);
}

static inline FloatX80 *st(CPUX86State *env, int i)
{
    return &env->fpregs[phys(env, i)];
}

static inline bool is_empty(const CPUX86State *env, int i)
{
    return env->fpempty & (1 << phys(env, i));
}

static inline void set_empty(CPUX86State *env, int i, bool empty)
{
    if (empty)
        env->fpempty |= (uint8_t)(1 << phys(env, i));
    else
        env->fpempty &= (uint8_t)~(1 << phys(env, i));
}

static void pop(CPUX86State *env)
{
    set_empty(env, 0, true);
    env->fptop = (env->fptop + 1) & 7;
}

/* ---- Exceptions ---- */

/* Raises #MF if an unmasked exception is pending (ES), before a waiting
   insn; Linux then delivers SIGFPE (linux-user/x86_64/cpu-loop.c). */
static void check_pending(X86CPU *cpu, uintptr_t ra)
{
    if (cpu->env.fpsw & SW_ES) {
        cpu->parent.exception_index = X86_EXCP_MF;
        cpu_loop_exit_restore(&cpu->parent, ra);
    }
}

/* The status of one operation: RC and PC from the control word. */
static FloatStatus status(const CPUX86State *env)
{
    static const uint8_t rc[4] = {
        FLOAT_ROUND_NEAREST_EVEN, FLOAT_ROUND_DOWN, FLOAT_ROUND_UP,
        FLOAT_ROUND_TO_ZERO,
    };
    /* PC 01 is reserved; it runs as 64 bits here. */
    static const uint8_t pc[4] = { 24, 64, 53, 64 };

    return (FloatStatus){ .round = rc[env->fpcw >> 10 & 3],
                          .x80_precision = pc[env->fpcw >> 8 & 3],
                          .x80_wrap_overflow = !(env->fpcw & SW_OE),
                          .x80_wrap_underflow = !(env->fpcw & SW_UE) };
}

static uint16_t sw_of_flags(unsigned f)
{
    return (uint16_t)((f & FLOAT_FLAG_INVALID ? SW_IE : 0) |
                      (f & FLOAT_FLAG_INPUT_DENORMAL ? SW_DE : 0) |
                      (f & FLOAT_FLAG_DIVBYZERO ? SW_ZE : 0) |
                      (f & FLOAT_FLAG_OVERFLOW ? SW_OE : 0) |
                      (f & FLOAT_FLAG_UNDERFLOW ? SW_UE : 0) |
                      (f & FLOAT_FLAG_INEXACT ? SW_PE : 0));
}

/* Folds exceptions (status word bits) into the status word: ES and B
   with an unmasked one. */
static void report(CPUX86State *env, uint16_t exc)
{
    env->fpsw |= exc;
    if (exc & ~env->fpcw & SW_EXC)
        env->fpsw |= SW_ES | SW_B;
}

/*
 * Folds an operation's exceptions (status word bits) into the status
 * word; returns whether the result may be written: not after an
 * unmasked IE, ZE or DE (the SDM's pre-computation exceptions).
 */
static bool finish(CPUX86State *env, uint16_t exc)
{
    uint16_t unmasked = exc & ~env->fpcw & SW_EXC;

    if (!(unmasked & (SW_IE | SW_ZE | SW_DE))) {
        report(env, exc);
        return true;
    }
    /* Stopped before the computation, the insn reports nothing of it
       (no OE, UE or PE) and C1 is 0 (not "rounded up"), but after a
       stack fault, which says with C1 which one it was: the host
       agrees. */
    if (!(exc & SW_SF))
        env->fpsw &= (uint16_t)~SW_C1;
    report(env, exc & (SW_IE | SW_ZE | SW_DE | SW_SF));
    return false;
}

/* A stack fault: overflow (C1 = 1) or underflow (C1 = 0); returns
   whether the masked response (the indefinite) may be written. */
static bool stack_fault(CPUX86State *env, bool overflow)
{
    env->fpsw = (uint16_t)((env->fpsw & ~SW_C1) | (overflow ? SW_C1 : 0));
    return finish(env, SW_IE | SW_SF);
}

/* Pushes v over whatever the register held. */
static void push_over(CPUX86State *env, FloatX80 v)
{
    env->fptop = (env->fptop - 1) & 7;
    *st(env, 0) = v;
    set_empty(env, 0, false);
}

/* Pushes v, or the indefinite on overflow (masked). */
static void push(CPUX86State *env, FloatX80 v)
{
    if (!is_empty(env, -1)) {
        if (!stack_fault(env, true))
            return;
        v = indefinite;
    }
    push_over(env, v);
}

/* Whether ST(i) (and ST(j)) are there to be read; if not, a stack
   underflow, and whether its indefinite may be written. */
static bool underflow(CPUX86State *env, int i, int j, bool *write)
{
    if (!is_empty(env, i) && !is_empty(env, j))
        return false;
    *write = stack_fault(env, false);
    return true;
}

/*
 * The result of an arithmetic operation, with C1 (set when the result
 * was rounded up in magnitude, cleared otherwise): rounding up is told
 * from the same operation rounded toward zero.
 */
typedef FloatX80 X80BinOp(FloatX80 a, FloatX80 b, FloatStatus *st);

static FloatX80 arith(CPUX86State *env, X80BinOp *fn, FloatX80 a,
                      FloatX80 b, uint16_t *exc)
{
    FloatStatus fs = status(env), tz;
    FloatX80 r = fn(a, b, &fs);
    bool up = false;

    if ((fs.flags & FLOAT_FLAG_INEXACT) && fs.round != FLOAT_ROUND_TO_ZERO) {
        tz = fs;
        tz.round = FLOAT_ROUND_TO_ZERO;
        tz.flags = 0;
        FloatX80 t = fn(a, b, &tz);

        up = t.sig != r.sig || t.se != r.se;
    }
    /* An overflow to infinity rounded up, in any mode (with OE
       unmasked, an FSCALE beyond the biased exponent's range). */
    if ((fs.flags & FLOAT_FLAG_OVERFLOW) && (r.se & X80_EXP_MAX) == X80_EXP_MAX)
        up = true;
    *exc = sw_of_flags(fs.flags);
    env->fpsw = (uint16_t)((env->fpsw & ~SW_C1) | (up ? SW_C1 : 0));
    return r;
}

static FloatX80 op_sqrt(FloatX80 a, FloatX80 b, FloatStatus *s)
{
    (void)b;
    return x80_sqrt(a, s);
}

static FloatX80 op_rndint(FloatX80 a, FloatX80 b, FloatStatus *s)
{
    (void)b;
    return x80_round_to_int(a, s);
}

static FloatX80 op_subr(FloatX80 a, FloatX80 b, FloatStatus *s)
{
    return x80_sub(b, a, s);
}

static FloatX80 op_divr(FloatX80 a, FloatX80 b, FloatStatus *s)
{
    return x80_div(b, a, s);
}

/* ---- Compares ---- */

/* FCOM/FUCOM's C3 C2 C0 of a relation. */
static void set_compare_cc(CPUX86State *env, FloatRelation r)
{
    static const uint16_t cc[4] = {
        [FLOAT_EQUAL] = SW_C3, [FLOAT_GREATER] = 0,
        [FLOAT_UNORDERED] = SW_C3 | SW_C2 | SW_C0,
    };
    uint16_t v = r == FLOAT_LESS ? SW_C0 : cc[r];

    env->fpsw = (uint16_t)((env->fpsw & ~SW_CC) | v);
}

/* Returns false after an unmasked exception, which still sets the
   condition codes (to unordered), as the host does (the SDM says they
   are left alone), but stops a pop. */
static bool compare(CPUX86State *env, FloatX80 a, FloatX80 b, bool quiet)
{
    FloatStatus fs = status(env);
    FloatRelation r = x80_compare(a, b, !quiet, &fs);
    bool ok = finish(env, sw_of_flags(fs.flags));

    set_compare_cc(env, r);
    return ok;
}

/* ---- Arithmetic on ST(0) with another operand ---- */

static X80BinOp *const arith_ops[8] = {
    [X87_ADD] = x80_add, [X87_MUL] = x80_mul, [X87_SUB] = x80_sub,
    [X87_SUBR] = op_subr, [X87_DIV] = x80_div, [X87_DIVR] = op_divr,
};

/* ST(d) = ST(d) op v (op an X87_* of ModRM.reg's order), or a compare
   of ST(0) with v; pops as op says. */
static void arith_with(CPUX86State *env, int op, int d, FloatX80 v)
{
    int kind = op & X87_OP_MASK;
    uint16_t exc;
    FloatX80 r;
    bool ok;

    if (kind == X87_COM || kind == X87_COMP || kind == X87_UCOM) {
        ok = compare(env, *st(env, 0), v, kind == X87_UCOM);
    } else {
        r = arith(env, arith_ops[kind], *st(env, d), v, &exc);
        ok = finish(env, exc);
        if (ok)
            *st(env, d) = r;
    }
    /* An unmasked IE, ZE or DE leaves TOP alone too (the host agrees). */
    if (!ok)
        return;
    if (kind == X87_COMP || (op & X87_POP))
        pop(env);
    if (op & X87_POP2)
        pop(env);
}

/* A memory operand of kind X87_M_* as an x80 value. */
static FloatX80 load_mem(X86CPU *cpu, uint64_t addr, int kind, uintptr_t ra,
                         uint16_t *exc)
{
    CPUState *cs = &cpu->parent;
    FloatStatus fs = { 0 };
    FloatX80 v;

    switch (kind) {
    case X87_M_F32:
        v = f32_to_x80((uint32_t)cpu_ld_mmu(cs, addr, make_memop_idx(MO_UL, 0), ra), &fs);
        break;
    case X87_M_F64:
        v = f64_to_x80(cpu_ld_mmu(cs, addr, make_memop_idx(MO_UQ, 0), ra), &fs);
        break;
    case X87_M_I16:
        v = x80_from_int64((int16_t)cpu_ld_mmu(cs, addr, make_memop_idx(MO_UW, 0), ra));
        break;
    case X87_M_I32:
        v = x80_from_int64((int32_t)cpu_ld_mmu(cs, addr, make_memop_idx(MO_UL, 0), ra));
        break;
    case X87_M_I64:
        v = x80_from_int64((int64_t)cpu_ld_mmu(cs, addr, make_memop_idx(MO_UQ, 0), ra));
        break;
    default:
        v.sig = cpu_ld_mmu(cs, addr, make_memop_idx(MO_UQ, 0), ra);
        v.se = (uint16_t)cpu_ld_mmu(cs, addr + 8, make_memop_idx(MO_UW, 0), ra);
        break;
    }
    *exc = sw_of_flags(fs.flags);
    return v;
}

void helper_x87_arith_mem(X86CPU *cpu, uint64_t addr, uint32_t op)
{
    CPUX86State *env = &cpu->env;
    uintptr_t ra = GETPC();
    uint16_t exc;
    bool write;
    FloatX80 v;

    check_pending(cpu, ra);
    v = load_mem(cpu, addr, (int)(op >> X87_M_SHIFT), ra, &exc);
    if (underflow(env, 0, 0, &write)) {
        int kind = op & X87_OP_MASK;

        if (kind == X87_COM || kind == X87_COMP) {
            set_compare_cc(env, FLOAT_UNORDERED);
            if (kind == X87_COMP && write)
                pop(env);
        } else if (write) {
            *st(env, 0) = indefinite;
            set_empty(env, 0, false);
        }
        return;
    }
    /* The operand's conversion raises only IE (sNaN) and DE; an
       unmasked one stops the insn as the operation's own would.  A
       NaN or an unsupported encoding in ST(0) takes precedence over a
       denormal operand (the SDM's exception priorities, 8.7.1 of
       volume 1): no DE then, as on the host. */
    if (x80_is_nan(*st(env, 0)) || x80_is_unsupported(*st(env, 0)))
        exc &= (uint16_t)~SW_DE;
    /* So does a zero divisor over a denormal dividend (ZE alone, as
       x80_div gives for registers): FDIVR m by a zero ST(0). */
    if ((op & X87_OP_MASK) == X87_DIVR && !(st(env, 0)->se & X80_EXP_MAX) &&
        !st(env, 0)->sig)
        exc &= (uint16_t)~SW_DE;
    /* A signaling NaN operand stays one for the operation, which
       raises IE and, with a quiet NaN in ST(0), returns that one (the
       SDM's NaN rules, table 4-7 of volume 1), as on the host. */
    if ((exc & SW_IE) && x80_is_nan(v)) {
        v.sig &= ~(1ull << 62);
        exc &= (uint16_t)~SW_IE;
    }
    if (exc && !finish(env, exc)) {
        /* A compare stopped by a denormal operand (unmasked DE) still
           sets the condition codes, and does not pop: the host's way. */
        int kind = op & X87_OP_MASK;
        FloatStatus fs = status(env);

        if (kind == X87_COM || kind == X87_COMP)
            set_compare_cc(env, x80_compare(*st(env, 0), v, true, &fs));
        return;
    }
    arith_with(env, (int)(op & ~(X87_M_MASK << X87_M_SHIFT)), 0, v);
}

void helper_x87_arith_reg(X86CPU *cpu, uint32_t op, uint32_t i)
{
    CPUX86State *env = &cpu->env;
    int kind = op & X87_OP_MASK;
    int d = (op & X87_TO_STI) ? (int)i : 0;
    bool write;

    check_pending(cpu, GETPC());
    if (underflow(env, 0, (int)i, &write)) {
        if (kind == X87_COM || kind == X87_COMP || kind == X87_UCOM) {
            set_compare_cc(env, FLOAT_UNORDERED);
            if (!write)
                return;
        } else if (write) {
            *st(env, d) = indefinite;
            set_empty(env, d, false);
        } else {
            return;
        }
        if (kind == X87_COMP || (op & X87_POP))
            pop(env);
        if (op & X87_POP2)
            pop(env);
        return;
    }
    arith_with(env, (int)op, d, *st(env, (int)(d ? 0 : i)));
}

/* FCOMI/FUCOMI(P) ST(0), ST(i): ZF PF CF as EFLAGS bits. */
uint64_t helper_x87_comi(X86CPU *cpu, uint32_t i, uint32_t op)
{
    CPUX86State *env = &cpu->env;
    uint64_t flags = X86_ZF | X86_PF | X86_CF;
    FloatStatus fs = status(env);
    uint16_t c1 = env->fpsw & SW_C1;
    FloatRelation r;
    bool write = true;

    check_pending(cpu, GETPC());
    /* C1 is kept (cleared by a stack underflow only), even when an
       unmasked exception stops it: the SDM says FCOMI clears it, this
       AMD host keeps it. */
    if (!underflow(env, 0, (int)i, &write)) {
        r = x80_compare(*st(env, 0), *st(env, (int)i), !(op & X87_COMI_QUIET),
                        &fs);
        write = finish(env, sw_of_flags(fs.flags));
        env->fpsw = (uint16_t)((env->fpsw & ~SW_C1) | c1);
        flags = r == FLOAT_LESS ? X86_CF : r == FLOAT_EQUAL ? X86_ZF
              : r == FLOAT_GREATER ? 0 : flags;
    }
    /* An unmasked exception still sets ZF PF CF (where the SDM says
       they are left alone): to unordered after an invalid one (a NaN,
       an unsupported operand, a stack underflow), to the relation
       after a denormal; and it does not pop: the host's way. */
    if (!write)
        return flags;
    if (op & X87_POP)
        pop(env);
    return flags;
}

/* ---- Loads and stores ---- */

void helper_x87_fld_mem(X86CPU *cpu, uint64_t addr, uint32_t kind)
{
    CPUX86State *env = &cpu->env;
    uintptr_t ra = GETPC();
    uint16_t exc;
    FloatX80 v;

    check_pending(cpu, ra);
    v = load_mem(cpu, addr, (int)kind, ra, &exc);
    env->fpsw &= (uint16_t)~SW_C1;
    /* A stack overflow takes precedence over the operand's IE or DE
       (the host agrees).  A denormal operand loads even when DE is
       unmasked (normalized: the SDM's FLD says so for the
       pseudo-precomputation of DE); an unmasked IE stops it. */
    if (exc && is_empty(env, -1)) {
        if (exc & SW_IE) {
            if (!finish(env, exc))
                return;
        } else {
            report(env, exc);
        }
    }
    push(env, v);
}

void helper_x87_fld_sti(X86CPU *cpu, uint32_t i)
{
    CPUX86State *env = &cpu->env;
    FloatX80 v = *st(env, (int)i);
    bool write;

    check_pending(cpu, GETPC());
    env->fpsw &= (uint16_t)~SW_C1;
    if (underflow(env, (int)i, (int)i, &write)) {
        if (!write)
            return;
        /* The indefinite goes into the new ST(0) even if full: the
           underflow is the stack fault reported, C1 stays 0 (the host
           agrees). */
        push_over(env, indefinite);
        return;
    }
    push(env, v);
}

/* FST/FSTP ST(i) (op: i | X87_POP); FSTP1 (D9 D8+i, X87_NO_UNDERFLOW)
   is FSTP but for an empty ST(0), which it pops and writes nothing,
   reporting no stack fault (this AMD host's way: the SDM lists D9 D8+i
   as a reserved alias of FSTP). */
void helper_x87_fst_sti(X86CPU *cpu, uint32_t op)
{
    CPUX86State *env = &cpu->env;
    int i = op & 7;
    FloatX80 v = *st(env, 0);
    bool write = true;

    check_pending(cpu, GETPC());
    env->fpsw &= (uint16_t)~SW_C1;
    if ((op & X87_NO_UNDERFLOW) && is_empty(env, 0)) {
        pop(env);
        return;
    }
    if (underflow(env, 0, 0, &write)) {
        if (!write)
            return;
        v = indefinite;
    }
    *st(env, i) = v;
    set_empty(env, i, false);
    if (op & X87_POP)
        pop(env);
}

/* Whether v is finite, nonzero and below 2^emin, the smallest normal
   of the binary format a store converts it to. */
static bool store_tiny(FloatX80 v, int emin)
{
    int e = v.se & X80_EXP_MAX;

    if (e == X80_EXP_MAX || !v.sig)
        return false;
    return (e ? e : 1) - X80_EXP_BIAS - __builtin_clzll(v.sig) < emin;
}

void helper_x87_fst_mem(X86CPU *cpu, uint64_t addr, uint32_t op)
{
    CPUX86State *env = &cpu->env;
    CPUState *cs = &cpu->parent;
    uintptr_t ra = GETPC();
    int kind = (int)(op >> X87_M_SHIFT) & X87_M_MASK;
    FloatStatus fs = status(env);
    FloatRound rm = (op & X87_TRUNC) ? FLOAT_ROUND_TO_ZERO
                                     : (FloatRound)fs.round;
    FloatX80 v = *st(env, 0);
    bool write = true, empty;
    uint64_t bits;
    MemOp mo;

    check_pending(cpu, ra);
    /* A fault on the destination comes before the operation's own
       exceptions (the host agrees). */
    probe_access(cs, addr, kind == X87_M_F32 || kind == X87_M_I32 ? 4
                           : kind == X87_M_I16 ? 2 : kind == X87_M_F80 ? 10 : 8,
                 MMU_DATA_STORE, 0, ra);
    env->fpsw &= (uint16_t)~SW_C1;
    empty = underflow(env, 0, 0, &write);
    if (empty && !write)
        return;
    if (empty)
        v = indefinite;
    switch (kind) {
    case X87_M_F32: bits = x80_to_f32(v, &fs); mo = MO_UL; break;
    case X87_M_F64: bits = x80_to_f64(v, &fs); mo = MO_UQ; break;
    case X87_M_I16: bits = (uint64_t)x80_to_int(v, 16, rm, &fs); mo = MO_UW; break;
    case X87_M_I32: bits = (uint64_t)x80_to_int(v, 32, rm, &fs); mo = MO_UL; break;
    case X87_M_I64: bits = (uint64_t)x80_to_int(v, 64, rm, &fs); mo = MO_UQ; break;
    default:
        /* Probe both parts first: a fault leaves memory as it was. */
        probe_access(cs, addr, 10, MMU_DATA_STORE, 0, ra);
        cpu_st_mmu(cs, addr, v.sig, make_memop_idx(MO_UQ, 0), ra);
        cpu_st_mmu(cs, addr + 8, v.se, make_memop_idx(MO_UW, 0), ra);
        if (op & X87_POP)
            pop(env);
        return;
    }
    if (empty)
        fs.flags &= ~FLOAT_FLAG_INVALID;   /* reported as a stack fault */
    /* C1 when the store rounded up in magnitude: told from the same
       conversion toward zero. */
    if (fs.flags & FLOAT_FLAG_INEXACT) {
        FloatStatus tz = { .round = FLOAT_ROUND_TO_ZERO };
        uint64_t t = kind == X87_M_F32 ? x80_to_f32(v, &tz)
                   : kind == X87_M_F64 ? x80_to_f64(v, &tz)
                   : (uint64_t)x80_to_int(v, kind == X87_M_I16 ? 16
                                          : kind == X87_M_I32 ? 32 : 64,
                                          FLOAT_ROUND_TO_ZERO, &tz);

        if (t != bits)
            env->fpsw |= SW_C1;
    }
    /* An unmasked overflow or underflow (tiny, even exact) of a store to
       memory stores nothing and does not pop, and reports only itself
       (no PE; C1 0), as the host does: unlike a register, the
       destination cannot take the biased-exponent result. */
    if (kind == X87_M_F32 || kind == X87_M_F64) {
        uint16_t wrap = sw_of_flags(fs.flags) & (SW_OE | SW_UE);

        if (store_tiny(v, kind == X87_M_F32 ? -126 : -1022))
            wrap |= SW_UE;
        wrap &= (uint16_t)~env->fpcw;
        if (wrap && !(fs.flags & FLOAT_FLAG_INVALID)) {
            env->fpsw &= (uint16_t)~SW_C1;
            report(env, wrap);
            return;
        }
    }
    if (!finish(env, sw_of_flags(fs.flags)))
        return;
    cpu_st_mmu(cs, addr, bits, make_memop_idx(mo, 0), ra);
    if (op & X87_POP)
        pop(env);
}

void helper_x87_fxch(X86CPU *cpu, uint32_t i)
{
    CPUX86State *env = &cpu->env;
    bool write;
    FloatX80 t;

    check_pending(cpu, GETPC());
    env->fpsw &= (uint16_t)~SW_C1;
    if (underflow(env, 0, (int)i, &write)) {
        if (!write)
            return;
        /* The masked response: an empty one becomes the indefinite. */
        if (is_empty(env, 0))
            *st(env, 0) = indefinite;
        if (is_empty(env, (int)i))
            *st(env, (int)i) = indefinite;
        set_empty(env, 0, false);
        set_empty(env, (int)i, false);
    }
    t = *st(env, 0);
    *st(env, 0) = *st(env, (int)i);
    *st(env, (int)i) = t;
}

/* FFREE ST(i), FFREEP (op: i | X87_POP). */
void helper_x87_ffree(X86CPU *cpu, uint32_t op)
{
    CPUX86State *env = &cpu->env;

    check_pending(cpu, GETPC());
    set_empty(env, op & 7, true);
    /* FFREEP pops: ST(0) is freed too (the host agrees). */
    if (op & X87_POP)
        pop(env);
}

/* FCMOVcc ST(0), ST(i): cond computed by the translator. */
void helper_x87_fcmov(X86CPU *cpu, uint32_t i, uint64_t cond)
{
    CPUX86State *env = &cpu->env;
    bool write;

    check_pending(cpu, GETPC());
    env->fpsw &= (uint16_t)~SW_C1;
    if (underflow(env, 0, (int)i, &write)) {
        if (write) {
            *st(env, 0) = indefinite;
            set_empty(env, 0, false);
        }
        return;
    }
    if (cond)
        *st(env, 0) = *st(env, (int)i);
}

/* ---- Operations on the stack top ---- */

/* The constants of FLD1 ... FLDZ: x87 keeps them to more than 64 bits
   and rounds them by RC; these are the values in round-to-nearest, and
   down marks those whose round-down (and toward-zero) value is one
   last place lower. */
static const struct {
    FloatX80 v;
    bool down;
} constants[] = {
    [X87_FLD1] = { { 0x8000000000000000ull, 0x3fff }, false },
    [X87_FLDL2T] = { { 0xd49a784bcd1b8afeull, 0x4000 }, false },
    [X87_FLDL2E] = { { 0xb8aa3b295c17f0bcull, 0x3fff }, true },
    [X87_FLDPI] = { { 0xc90fdaa22168c235ull, 0x4000 }, true },
    [X87_FLDLG2] = { { 0x9a209a84fbcff799ull, 0x3ffd }, true },
    [X87_FLDLN2] = { { 0xb17217f7d1cf79acull, 0x3ffe }, true },
    [X87_FLDZ] = { { 0, 0 }, false },
};

static void load_constant(CPUX86State *env, int op)
{
    FloatX80 v = constants[op].v;
    int rc = env->fpcw >> 10 & 3;

    if (constants[op].down && (rc == 1 || rc == 3))
        v.sig--;
    /* log2(10) is just below a tie: only rounding up moves it. */
    if (op == X87_FLDL2T && rc == 2)
        v.sig++;
    env->fpsw &= (uint16_t)~SW_C1;
    push(env, v);
}

/* FXAM's C3 C2 C0 and C1 (the sign). */
static void examine(CPUX86State *env)
{
    FloatX80 v = *st(env, 0);
    int e = v.se & X80_EXP_MAX;
    uint16_t c;

    if (is_empty(env, 0))
        c = SW_C3 | SW_C0;
    else if (x80_is_unsupported(v))
        c = 0;
    else if (x80_is_nan(v))
        c = SW_C0;
    else if (e == X80_EXP_MAX)
        c = SW_C2 | SW_C0;
    else if (e == 0 && v.sig == 0)
        c = SW_C3;
    else if (e == 0)
        c = SW_C3 | SW_C2;
    else
        c = SW_C2;
    if (v.se & 0x8000)
        c |= SW_C1;
    env->fpsw = (uint16_t)((env->fpsw & ~SW_CC) | c);
}

/* FSCALE: ST(0) * 2^trunc(ST(1)). */
static FloatX80 op_scale(FloatX80 a, FloatX80 b, FloatStatus *s)
{
    int eb = b.se & X80_EXP_MAX;
    bool bneg = b.se & 0x8000;
    bool a_zero = (a.se & X80_EXP_MAX) == 0 && a.sig == 0;
    bool a_inf = (a.se & X80_EXP_MAX) == X80_EXP_MAX && !x80_is_nan(a);
    FloatStatus ts = { 0 };
    int64_t n;

    if (x80_is_nan(a) || x80_is_nan(b) || x80_is_unsupported(a) ||
        x80_is_unsupported(b))
        return x80_add(a, b, s);        /* the NaN (or invalid) result */
    if (eb == X80_EXP_MAX) {            /* ST(1) infinite */
        if ((a_zero && !bneg) || (a_inf && bneg)) {
            s->flags |= FLOAT_FLAG_INVALID;
            return x80_default_nan();
        }
        if (a_zero || a_inf)
            return a;
        if (eb == 0 || !(a.se & X80_EXP_MAX))
            s->flags |= FLOAT_FLAG_INPUT_DENORMAL;
        return x80_make(a.se & 0x8000, bneg ? 0 : X80_EXP_MAX,
                        bneg ? 0 : 1ull << 63);
    }
    if (eb == 0 && b.sig)
        s->flags |= FLOAT_FLAG_INPUT_DENORMAL;
    if (eb > X80_EXP_BIAS + 30)
        n = bneg ? -100000 : 100000;
    else
        n = x80_to_int(b, 64, FLOAT_ROUND_TO_ZERO, &ts);
    return x80_scalbn(a, (int)n, s);
}

static void extract(CPUX86State *env)
{
    FloatX80 v = *st(env, 0), e, m;
    FloatStatus fs = { 0 };
    int exp = v.se & X80_EXP_MAX;

    /* C1 is 0 but after a stack overflow (the host agrees). */
    env->fpsw &= (uint16_t)~SW_C1;
    if (!is_empty(env, -1)) {
        if (stack_fault(env, true)) {
            *st(env, 0) = indefinite;
            push(env, indefinite);
        }
        return;
    }
    if (x80_is_nan(v) || x80_is_unsupported(v)) {
        e = m = x80_add(v, v, &fs);
    } else if (exp == X80_EXP_MAX) {
        e = x80_make(false, X80_EXP_MAX, 1ull << 63);
        m = v;
    } else if (exp == 0 && v.sig == 0) {
        fs.flags |= FLOAT_FLAG_DIVBYZERO;
        e = x80_make(true, X80_EXP_MAX, 1ull << 63);
        m = v;
    } else {
        int n = __builtin_clzll(v.sig);

        if (exp == 0) {
            fs.flags |= FLOAT_FLAG_INPUT_DENORMAL;
            exp = 1;
        }
        e = x80_from_int64(exp - n - X80_EXP_BIAS);
        m = x80_make(v.se & 0x8000, X80_EXP_BIAS, v.sig << n);
    }
    if (!finish(env, sw_of_flags(fs.flags)))
        return;
    *st(env, 0) = e;
    push(env, m);
}

static void partial_remainder(CPUX86State *env, bool ieee)
{
    FloatStatus fs = status(env);
    uint64_t q;
    bool partial;
    FloatX80 r = x80_rem(*st(env, 0), *st(env, 1), ieee, &q, &partial, &fs);
    uint16_t c = partial ? SW_C2 : (uint16_t)((q & 4 ? SW_C0 : 0) |
                                              (q & 2 ? SW_C3 : 0) |
                                              (q & 1 ? SW_C1 : 0));

    /* A NaN result (a NaN operand, or an invalid one) and an unmasked
       exception that stops it clear C1 and C2 and keep C0 and C3, as
       this AMD host does. */
    if (!finish(env, sw_of_flags(fs.flags))) {
        env->fpsw &= (uint16_t)~(SW_C1 | SW_C2);
        return;
    }
    if (x80_is_nan(r))
        env->fpsw &= (uint16_t)~(SW_C1 | SW_C2);
    else
        env->fpsw = (uint16_t)((env->fpsw & ~SW_CC) | c);
    *st(env, 0) = r;
}

/* ---- Transcendentals ---- */

static FloatX80 op_f2xm1(FloatX80 a, FloatX80 b, FloatStatus *s)
{
    (void)b;
    return x80_f2xm1(a, s);
}

static FloatX80 op_yl2x(FloatX80 a, FloatX80 b, FloatStatus *s)
{
    return x80_yl2x(a, b, s);
}

static FloatX80 op_yl2xp1(FloatX80 a, FloatX80 b, FloatStatus *s)
{
    return x80_yl2xp1(a, b, s);
}

static FloatX80 op_atan(FloatX80 a, FloatX80 b, FloatStatus *s)
{
    return x80_atan2(b, a, s);
}

static FloatX80 op_sin(FloatX80 a, FloatX80 b, FloatStatus *s)
{
    (void)b;
    x80_sin_cos(a, &a, NULL, s);
    return a;
}

static FloatX80 op_cos(FloatX80 a, FloatX80 b, FloatStatus *s)
{
    (void)b;
    x80_sin_cos(a, NULL, &a, s);
    return a;
}

static FloatX80 op_tan(FloatX80 a, FloatX80 b, FloatStatus *s)
{
    (void)b;
    x80_tan(a, &a, s);
    return a;
}

/* FSIN, FCOS, FSINCOS and FPTAN leave a finite |ST(0)| >= 2^63 alone
   and set C2. */
static bool out_of_range(FloatX80 a)
{
    int e = a.se & X80_EXP_MAX;

    return e >= X80_EXP_BIAS + 63 && e != X80_EXP_MAX &&
           !x80_is_unsupported(a);
}

/* FYL2X, FYL2XP1, FPATAN: ST(1) = f(ST(0), ST(1)), then a pop. */
static void transcendental2(CPUX86State *env, int op)
{
    X80BinOp *fn = op == X87_FYL2X ? op_yl2x
                 : op == X87_FYL2XP1 ? op_yl2xp1 : op_atan;
    uint16_t exc;
    FloatX80 r = arith(env, fn, *st(env, 0), *st(env, 1), &exc);

    if (!finish(env, exc))
        return;
    *st(env, 1) = r;
    pop(env);
}

/* F2XM1, FSIN, FCOS, FSINCOS, FPTAN; the last two push a second result
   (cos(ST(0)) under sin(ST(0)), or 1 over tan(ST(0))), and C1 tells of
   the sine's or the tangent's rounding. */
static void transcendental1(CPUX86State *env, int op)
{
    FloatX80 a = *st(env, 0), r, r2;
    bool pushes = op == X87_FSINCOS || op == X87_FPTAN;
    FloatStatus fs = status(env);
    uint16_t exc;

    env->fpsw &= (uint16_t)~SW_C2;
    if (pushes && !is_empty(env, -1)) {
        if (stack_fault(env, true)) {
            *st(env, 0) = indefinite;
            push(env, indefinite);
        }
        return;
    }
    if (op != X87_F2XM1 && out_of_range(a)) {
        env->fpsw = (uint16_t)((env->fpsw & ~SW_C1) | SW_C2);
        return;
    }
    r = arith(env, op == X87_F2XM1 ? op_f2xm1 : op == X87_FSIN ? op_sin
                   : op == X87_FCOS ? op_cos : op == X87_FPTAN ? op_tan
                   : op_sin, a, a, &exc);
    if (op == X87_FSINCOS) {
        r2 = op_cos(a, a, &fs);
        exc |= sw_of_flags(fs.flags);
    } else {
        /* FPTAN pushes 1, or its NaN result again. */
        r2 = x80_is_nan(r) ? r : x80_make(false, X80_EXP_BIAS, 1ull << 63);
    }
    if (!finish(env, exc))
        return;
    *st(env, 0) = r;
    if (pushes)
        push(env, r2);
}

/* ---- Packed BCD ---- */

/* The packed BCD indefinite FBSTP stores for an invalid operand. */
static const uint8_t bcd_indefinite[10] = {
    0, 0, 0, 0, 0, 0, 0, 0xc0, 0xff, 0xff,
};

/* FBLD: 18 digits, two a byte from the lowest, and the sign at bit 79;
   a digit over 9 counts with its value, as the CPU does it. */
static void fbld(X86CPU *cpu, uint64_t addr, uintptr_t ra)
{
    CPUX86State *env = &cpu->env;
    CPUState *cs = &cpu->parent;
    uint64_t v = 0;
    FloatX80 r;
    uint8_t b[10];

    for (int i = 0; i < 10; i++)
        b[i] = (uint8_t)cpu_ld_mmu(cs, addr + i, make_memop_idx(MO_UB, 0), ra);
    for (int i = 8; i >= 0; i--)
        v = v * 100 + (uint64_t)(b[i] >> 4) * 10 + (b[i] & 15);
    r = x80_from_int64((int64_t)v);
    if (b[9] & 0x80)
        r.se |= 0x8000;
    env->fpsw &= (uint16_t)~SW_C1;
    push(env, r);
}

/* FBSTP: ST(0) rounded to an integer in RC, as 18 digits and a sign. */
static void fbstp(X86CPU *cpu, uint64_t addr, uintptr_t ra)
{
    CPUX86State *env = &cpu->env;
    CPUState *cs = &cpu->parent;
    FloatStatus fs = status(env), tz = { .round = FLOAT_ROUND_TO_ZERO };
    FloatX80 a = *st(env, 0);
    bool write = true, sign = a.se & 0x8000;
    uint8_t b[10] = { 0 };
    int64_t v = 0;
    uint64_t m;

    /* A fault on the destination comes first, before any exception
       (the host agrees). */
    probe_access(cs, addr, 10, MMU_DATA_STORE, 0, ra);
    env->fpsw &= (uint16_t)~SW_C1;
    if (underflow(env, 0, 0, &write)) {
        if (!write)
            return;
        fs.flags = 0;
        memcpy(b, bcd_indefinite, 10);
    } else {
        v = x80_to_int(a, 64, (FloatRound)fs.round, &fs);
        if (v <= -1000000000000000000ll || v >= 1000000000000000000ll)
            fs.flags = FLOAT_FLAG_INVALID;
        if (!(fs.flags & FLOAT_FLAG_INVALID) &&
            (fs.flags & FLOAT_FLAG_INEXACT) &&
            x80_to_int(a, 64, FLOAT_ROUND_TO_ZERO, &tz) != v)
            env->fpsw |= SW_C1;
        if (!finish(env, sw_of_flags(fs.flags)))
            return;
        if (fs.flags & FLOAT_FLAG_INVALID) {
            memcpy(b, bcd_indefinite, 10);
        } else {
            m = v < 0 ? -(uint64_t)v : (uint64_t)v;
            for (int i = 0; i < 9; i++, m /= 100)
                b[i] = (uint8_t)((m % 100 / 10) << 4 | m % 10);
            b[9] = sign ? 0x80 : 0;
        }
    }
    for (int i = 0; i < 10; i++)
        cpu_st_mmu(cs, addr + i, b[i], make_memop_idx(MO_UB, 0), ra);
    pop(env);
}

void helper_x87_bcd(X86CPU *cpu, uint64_t addr, uint32_t op)
{
    uintptr_t ra = GETPC();

    check_pending(cpu, ra);
    if (op)
        fbstp(cpu, addr, ra);
    else
        fbld(cpu, addr, ra);
}

/* Whether an insn without operands reads ST(1) as well. */
static bool two_operands(uint32_t op)
{
    return op == X87_FSCALE || op == X87_FPREM || op == X87_FPREM1 ||
           op == X87_FYL2X || op == X87_FYL2XP1 || op == X87_FPATAN;
}

/* The insns without operands (X87_F*). */
void helper_x87_op(X86CPU *cpu, uint32_t op)
{
    CPUX86State *env = &cpu->env;
    FloatX80 zero = { 0, 0 };
    uint16_t exc;
    bool write;
    FloatX80 r;

    if (op == X87_FNCLEX) {
        env->fpsw &= (uint16_t)~(SW_EXC | SW_SF | SW_ES | SW_B);
        return;
    }
    if (op == X87_FNINIT) {
        x87_reset(env);
        return;
    }
    check_pending(cpu, GETPC());
    switch (op) {
    case X87_FWAIT:
    case X87_FNOP:
        return;
    case X87_FLD1: case X87_FLDL2T: case X87_FLDL2E: case X87_FLDPI:
    case X87_FLDLG2: case X87_FLDLN2: case X87_FLDZ:
        load_constant(env, (int)op);
        return;
    case X87_FINCSTP:
    case X87_FDECSTP:
        env->fpsw &= (uint16_t)~SW_C1;
        env->fptop = (env->fptop + (op == X87_FINCSTP ? 1 : 7)) & 7;
        return;
    case X87_FXAM:
        examine(env);
        return;
    }
    /* The rest read ST(0), some ST(1) too. */
    if (underflow(env, 0, two_operands(op) ? 1 : 0, &write)) {
        if (op == X87_FTST)
            set_compare_cc(env, FLOAT_UNORDERED);
        /* FPREM, FPREM1 and the trigonometric insns clear C2 (not
           partial, in range), masked or not (the host agrees). */
        if (op == X87_FPREM || op == X87_FPREM1 || op == X87_FSIN ||
            op == X87_FCOS || op == X87_FSINCOS || op == X87_FPTAN)
            env->fpsw &= (uint16_t)~SW_C2;
        if (!write || op == X87_FTST)
            return;
        if (op == X87_FYL2X || op == X87_FYL2XP1 ||
                   op == X87_FPATAN) {
            *st(env, 1) = indefinite;
            set_empty(env, 1, false);
            pop(env);
        } else {
            *st(env, 0) = indefinite;
            set_empty(env, 0, false);
            /* Even onto a full stack: the underflow is the fault
               reported (as FLD ST(i)'s). */
            if (op == X87_FXTRACT || op == X87_FSINCOS || op == X87_FPTAN)
                push_over(env, indefinite);
        }
        return;
    }
    switch (op) {
    case X87_FCHS:
    case X87_FABS:
        env->fpsw &= (uint16_t)~SW_C1;
        if (op == X87_FCHS)
            st(env, 0)->se ^= 0x8000;
        else
            st(env, 0)->se &= 0x7fff;
        return;
    case X87_FTST:
        env->fpsw &= (uint16_t)~SW_C1;
        compare(env, *st(env, 0), zero, false);
        return;
    case X87_FSQRT:
    case X87_FRNDINT:
    case X87_FSCALE:
        r = arith(env, op == X87_FSQRT ? op_sqrt : op == X87_FRNDINT
                       ? op_rndint : op_scale, *st(env, 0), *st(env, 1), &exc);
        if (finish(env, exc))
            *st(env, 0) = r;
        return;
    case X87_FXTRACT:
        extract(env);
        return;
    case X87_FPREM:
    case X87_FPREM1:
        partial_remainder(env, op == X87_FPREM1);
        return;
    case X87_FYL2X:
    case X87_FYL2XP1:
    case X87_FPATAN:
        transcendental2(env, (int)op);
        return;
    case X87_F2XM1:
    case X87_FSIN:
    case X87_FCOS:
    case X87_FSINCOS:
    case X87_FPTAN:
        transcendental1(env, (int)op);
        return;
    }
}

/* ---- Control and state ---- */

void helper_x87_fldcw(X86CPU *cpu, uint64_t cw)
{
    CPUX86State *env = &cpu->env;

    /* Bit 6 reads as 1; unmasking a pending exception sets ES. */
    env->fpcw = (uint16_t)((cw & 0x1f3f) | 0x40);
    if (env->fpsw & ~env->fpcw & SW_EXC)
        env->fpsw |= SW_ES | SW_B;
    else
        env->fpsw &= (uint16_t)~(SW_ES | SW_B);
}

/* FLDCW, FLDENV and FRSTOR wait: a pending exception is raised before
   they load anything (the host agrees; the SDM lists only FNINIT,
   FNCLEX, FNSTSW, FNSTCW, FNSTENV and FNSAVE as non-waiting). */
void helper_x87_fldcw_mem(X86CPU *cpu, uint64_t addr)
{
    uintptr_t ra = GETPC();

    check_pending(cpu, ra);
    helper_x87_fldcw(cpu, cpu_ld_mmu(&cpu->parent, addr,
                                     make_memop_idx(MO_UW, 0), ra));
}

uint64_t helper_x87_fnstsw(X86CPU *cpu)
{
    return x87_status_word(&cpu->env);
}

/* The full tag word: 00 valid, 01 zero, 10 special, 11 empty. */
static uint16_t tag_word(const CPUX86State *env)
{
    uint16_t tw = 0;

    for (int r = 0; r < 8; r++) {
        const FloatX80 *v = &env->fpregs[r];
        int e = v->se & X80_EXP_MAX, t;

        if (env->fpempty & (1 << r))
            t = 3;
        else if (e == 0 && v->sig == 0)
            t = 1;
        else if (e == 0 || e == X80_EXP_MAX || !(v->sig >> 63))
            t = 2;
        else
            t = 0;
        tw |= (uint16_t)(t << (2 * r));
    }
    return tw;
}

/*
 * Checks that an environment or a whole state image (size bytes, in
 * fields of `word` bytes: 4, or 2 for the 16-bit layouts) can be
 * accessed before any of it is: as this AMD host does, first its first
 * field, then its last byte, so that a fault reports the first byte
 * past a page end in that field, else the image's last byte (and
 * nothing was stored or loaded).
 */
static void probe_image(X86CPU *cpu, uint64_t addr, int word, int size,
                        MMUAccessType access, uintptr_t ra)
{
    probe_access(&cpu->parent, addr, word, access, 0, ra);
    probe_access(&cpu->parent, addr + (uint64_t)size - 1, 1, access, 0, ra);
}

/*
 * The environment of protected mode, which 64-bit mode uses: 28 bytes
 * without a 66 prefix (FCW, FSW, FTW, FIP, FOP:FCS, FDP, FDS in dwords,
 * the upper halves of the 16-bit ones all ones), 14 with one (the same
 * words, FIP and FDP cut to 16 bits, no FOP).
 */
static void store_env(X86CPU *cpu, uint64_t addr, bool o16, uintptr_t ra)
{
    CPUX86State *env = &cpu->env;
    MemOpIdx oi = make_memop_idx(o16 ? MO_UW : MO_UL, 0);
    int n = o16 ? 2 : 4;
    uint32_t fill = o16 ? 0 : 0xffff0000u;
    uint32_t w[7] = {
        fill | env->fpcw, fill | x87_status_word(env), fill | tag_word(env),
        (uint32_t)env->fpip,
        o16 ? env->fpcs : (uint32_t)(env->fpop & 0x7ff) << 16 | env->fpcs,
        (uint32_t)env->fpdp, fill | env->fpds,
    };

    probe_image(cpu, addr, n, 7 * n, MMU_DATA_STORE, ra);
    for (int i = 0; i < 7; i++)
        cpu_st_mmu(&cpu->parent, addr + (uint64_t)(i * n), w[i], oi, ra);
}

static void load_env(X86CPU *cpu, uint64_t addr, bool o16, uintptr_t ra)
{
    CPUX86State *env = &cpu->env;
    MemOpIdx oi = make_memop_idx(o16 ? MO_UW : MO_UL, 0);
    int n = o16 ? 2 : 4;
    uint32_t w[7];
    uint16_t sw, tw;

    probe_image(cpu, addr, n, 7 * n, MMU_DATA_LOAD, ra);
    for (int i = 0; i < 7; i++)
        w[i] = (uint32_t)cpu_ld_mmu(&cpu->parent, addr + (uint64_t)(i * n),
                                    oi, ra);
    sw = (uint16_t)w[1];
    tw = (uint16_t)w[2];
    env->fpip = w[3];
    env->fpop = (uint16_t)(w[4] >> 16 & 0x7ff);
    env->fpcs = (uint16_t)w[4];
    env->fpdp = w[5];
    env->fpds = (uint16_t)w[6];
    env->fptop = sw >> 11 & 7;
    env->fpsw = sw & ~0x3800;
    env->fpempty = 0;
    for (int r = 0; r < 8; r++) {
        if ((tw >> (2 * r) & 3) == 3)
            env->fpempty |= (uint8_t)(1 << r);
    }
    helper_x87_fldcw(cpu, w[0]);
}

/* FNSTENV, FLDENV, FNSAVE and FRSTOR at addr (op: X87_*, X87_STATE_16
   for the 16-bit layouts; FXSAVE and FXRSTOR are fxsave.c's).  A state
   image is the environment, then ST(0) to ST(7) in 10 bytes each. */
void helper_x87_state(X86CPU *cpu, uint64_t addr, uint32_t op)
{
    CPUX86State *env = &cpu->env;
    CPUState *cs = &cpu->parent;
    uintptr_t ra = GETPC();
    MemOpIdx q = make_memop_idx(MO_UQ, 0), w = make_memop_idx(MO_UW, 0);
    bool o16 = (op & X87_STATE_16) != 0;
    int regs = o16 ? 14 : 28;

    switch (op & ~X87_STATE_16) {
    case X87_FNSTENV:
        store_env(cpu, addr, o16, ra);
        /* FNSTENV masks everything, which leaves nothing pending. */
        helper_x87_fldcw(cpu, env->fpcw | SW_EXC);
        break;
    case X87_FLDENV:
        check_pending(cpu, ra);
        load_env(cpu, addr, o16, ra);
        break;
    case X87_FNSAVE:
        probe_image(cpu, addr, regs / 7, regs + 80, MMU_DATA_STORE, ra);
        store_env(cpu, addr, o16, ra);
        for (int i = 0; i < 8; i++) {
            cpu_st_mmu(cs, addr + regs + 10 * i, st(env, i)->sig, q, ra);
            cpu_st_mmu(cs, addr + regs + 8 + 10 * i, st(env, i)->se, w, ra);
        }
        x87_reset(env);
        break;
    case X87_FRSTOR:
        check_pending(cpu, ra);
        probe_image(cpu, addr, regs / 7, regs + 80, MMU_DATA_LOAD, ra);
        load_env(cpu, addr, o16, ra);
        for (int i = 0; i < 8; i++) {
            st(env, i)->sig = cpu_ld_mmu(cs, addr + regs + 10 * i, q, ra);
            st(env, i)->se = (uint16_t)cpu_ld_mmu(cs, addr + regs + 8 + 10 * i,
                                                  w, ra);
        }
        break;
    }
}

/*
 * Every MMX insn but EMMS makes the x87 stack the MMX registers: TOP 0
 * and every tag valid, which the translator does inline after the
 * insn's memory accesses (gen_mmx_done); EMMS empties the tags (and
 * sets TOP to 0 too, as the host CPU does).  A pending unmasked x87
 * exception is raised first (#MF), as for a waiting x87 insn.
 */
void helper_mmx_enter(X86CPU *cpu, uint32_t emms)
{
    CPUX86State *env = &cpu->env;

    check_pending(cpu, GETPC());
    if (emms) {
        env->fptop = 0;
        env->fpempty = 0xff;
    }
}
