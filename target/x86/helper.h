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

#endif
