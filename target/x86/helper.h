/*
 * Run-time helpers that translated x86-64 code calls: their prototypes
 * and typed gen_helper_*() generators, both expanded from helper.def
 * (include/mimic/helper-gen.h says how), and the constants packed into
 * their arguments.
 */
#ifndef TARGET_X86_HELPER_H
#define TARGET_X86_HELPER_H

#include <stdint.h>

#include "mimic/helper-gen.h"
#include "cpu.h"

#define HELPER_ENV_TYPE X86CPU
#include "helper.def"
#include "helper-sse.def"
#include "helper-sse4.def"
#undef HELPER_ENV_TYPE

/* helper_atomic_rmw's op: an operation | log2 of the size. */
enum {
    X86_ATOMIC_ADD = 0 << 2,     /* ADD, XADD, ADC/SUB/SBB after folding */
    X86_ATOMIC_AND = 1 << 2,
    X86_ATOMIC_OR = 2 << 2,
    X86_ATOMIC_XOR = 3 << 2,
    X86_ATOMIC_XCHG = 4 << 2,
    X86_ATOMIC_NEG = 5 << 2,     /* the new value is -old (val unused) */
    X86_ATOMIC_OP_MASK = 7 << 2,
};

/* helper_rotate_carry's op: log2 of the size | X86_RC_RIGHT for RCR. */
#define X86_RC_RIGHT 4

/* helper_bitcount's op: a count | log2 of the size. */
enum {
    X86_BITCOUNT_POPCNT = 0 << 2,
    X86_BITCOUNT_LZCNT = 1 << 2,
    X86_BITCOUNT_TZCNT = 2 << 2,
};

/* helper_div's op: log2 of the size | X86_DIV_SIGNED. */
#define X86_DIV_SIGNED 4

/* The x87 helpers' op arguments (x87_helper.c). */
enum {
    /* Arithmetic, in ModRM.reg's order of D8, and FUCOM. */
    X87_ADD, X87_MUL, X87_COM, X87_COMP, X87_SUB, X87_SUBR, X87_DIV,
    X87_DIVR, X87_UCOM,
    X87_OP_MASK = 15,
    X87_TO_STI = 16,            /* the destination is ST(i) */
    X87_POP = 32,               /* pop once after */
    X87_POP2 = 64,              /* pop once more (FCOMPP, FUCOMPP) */
    X87_TRUNC = 128,            /* FISTTP: round toward zero */
    X87_COMI_QUIET = 256,       /* FUCOMI */
    X87_NO_UNDERFLOW = 4096,    /* FSTP1: an empty ST(0) only pops */
};
/* Memory operand kinds, at X87_M_SHIFT in an op. */
enum {
    X87_M_F32, X87_M_F64, X87_M_F80, X87_M_I16, X87_M_I32, X87_M_I64,
    X87_M_MASK = 7,
};
#define X87_M_SHIFT 9
/* helper_x87_op and helper_x87_state. */
enum {
    X87_FLD1, X87_FLDL2T, X87_FLDL2E, X87_FLDPI, X87_FLDLG2, X87_FLDLN2,
    X87_FLDZ, X87_FCHS, X87_FABS, X87_FTST, X87_FXAM, X87_FSQRT,
    X87_FRNDINT, X87_FSCALE, X87_FXTRACT, X87_FPREM, X87_FPREM1,
    X87_FINCSTP, X87_FDECSTP, X87_FNCLEX, X87_FNINIT, X87_FWAIT, X87_FNOP,
    X87_FNSTENV, X87_FLDENV, X87_FNSAVE, X87_FRSTOR, X87_F2XM1, X87_FYL2X,
    X87_FYL2XP1, X87_FPATAN, X87_FSIN, X87_FCOS, X87_FSINCOS, X87_FPTAN,
};
/* helper_x87_state: with a 66 prefix, the 16-bit layouts (14-byte
   environment, 94-byte state). */
#define X87_STATE_16 0x100

#endif
