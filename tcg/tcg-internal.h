/*
 * What the generic code generator (the files of tcg/) and a host backend
 * (tcg/<host>/) share, and nobody else sees: the constraint language a
 * backend uses to say where each op wants its operands, the per-op table
 * (TCGOutOp) that pairs those constraints with the op's emitter, the
 * functions a backend provides (moves, loads, stores, calls, slow paths),
 * and the register allocator's view of the host.
 *
 * Constraint strings, one per argument (outputs first, then inputs):
 *   r        any allocatable register
 *   0..9     (input) the same register as output N; the input is copied
 *            first if it is still live after the op
 *   &        (output prefix) a register distinct from every input
 *   i        any constant is accepted in place of a register
 *   other    backend letters (tcg_target_parse_constraint), e.g. 'a' = rax,
 *            'e' = a constant that fits a sign-extended 32-bit immediate
 * A backend also names registers the op clobbers (e.g. rdx for div).
 */
#ifndef TCG_INTERNAL_H
#define TCG_INTERNAL_H

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "mimic/tcg.h"

/* The host backend's registers (tcg/<host>/emit.h numbers them). */
#if defined(__x86_64__)
#define TCG_TARGET_NB_REGS 16
#elif defined(__aarch64__)
#define TCG_TARGET_NB_REGS 32
#else
#error "Mimic's JIT has no backend for this host (tcg/x86_64, tcg/aarch64)"
#endif
/* capstone's names for the host (with capstone.h: disas-host.c, tests). */
#if defined(__x86_64__)
#define TCG_HOST_CS_ARCH CS_ARCH_X86
#define TCG_HOST_CS_MODE CS_MODE_64
#else
#define TCG_HOST_CS_ARCH CS_ARCH_ARM64
#define TCG_HOST_CS_MODE CS_MODE_ARM
#endif

enum {
    TCG_CT_CONST_ANY = 1,
    TCG_CT_CONST_S32 = 2, /* fits a sign-extended 32-bit immediate */
    TCG_CT_CONST_U32 = 4, /* fits a zero-extended 32-bit immediate */
    TCG_CT_CONST_GADDR = 8, /* a guest address the backend reaches as is */
    /* 16, 32, 64, 128: the backend's own kinds (its constraint letters) */
};

typedef struct TCGArgConstraint {
    TCGRegSet regs;
    int8_t alias; /* input: output index it shares a register with */
    bool newreg;  /* output: distinct from all inputs */
    uint8_t ct;   /* TCG_CT_CONST_* accepted */
} TCGArgConstraint;

/* Where an op wants its operands: one constraint string per argument,
   outputs first, then inputs (no more, no fewer), and clobbered registers. */
typedef struct TCGTargetOpDef {
    const char *args[TCG_MAX_OP_ARGS];
    TCGRegSet clobber;
} TCGTargetOpDef;

/*
 * Emits one op.  args[] holds host registers for temp arguments or the
 * value for constant ones (const_args[i] set), then the op's constant
 * arguments unchanged.
 */
typedef void TCGOutOpFn(TCGContext *s, const TCGOp *op, const TCGArg *args,
                        const bool *const_args);

/*
 * A backend's knowledge of one IR op, kept in one place so that what the
 * register allocator is told and what the emitter expects cannot drift
 * apart.  Each backend fills one const table indexed by opcode,
 * tcg_target_out_ops, with designated initializers, e.g.:
 *
 *   [INDEX_op_add] = {.def = ANY_TYPE(c_r_r_re), .emit = out_op_add},
 *   [INDEX_op_st] = {.def = {[TCG_TYPE_I32] = &c_ri_r,
 *                            [TCG_TYPE_I64] = &c_re_r},
 *                    .emit = out_op_st},
 *   [INDEX_op_andc] = {.def = ANY_TYPE(c_r_r_r), .avail = have_andn,
 *                      .emit = out_op_andc},
 *
 * An op whose entry is empty is not implemented by the backend (the
 * builders expand it or call a helper); so is an op of a type whose def
 * is NULL, or for which avail() (a host feature probed by
 * tcg_target_init) says false.  The pseudo ops (TCG_OPF_NOT_PRESENT) and
 * call have no entry: the generic code handles them.  tcg_out_ops_check()
 * holds a table to these rules, at start-up and in tests/unit.
 */
typedef struct TCGOutOp {
    const TCGTargetOpDef *def[TCG_TYPE_COUNT];
    bool (*avail)(TCGType type); /* NULL: every type with a def */
    TCGOutOpFn *emit;
} TCGOutOp;

/* TCGOutOp.def for an op with the same constraints c for every type. */
#define ANY_TYPE(c) {[TCG_TYPE_I32] = &(c), [TCG_TYPE_I64] = &(c)}
_Static_assert(TCG_TYPE_COUNT == 2, "ANY_TYPE lists every type");

/* The parsed form, cached per (op, type). */
typedef struct TCGOpConstraints {
    bool present;
    TCGArgConstraint args[TCG_MAX_OP_ARGS];
    uint8_t sort_in[TCG_MAX_OP_ARGS]; /* inputs, most constrained first */
    TCGRegSet clobber;
} TCGOpConstraints;

/* Per-TB arena block (tcg_malloc). */
typedef struct TCGPool {
    struct TCGPool *next;
    size_t size;
    uint8_t data[];
} TCGPool;

/* ---- Provided by the backend ---- */

/* Registers the allocator may use, those a call clobbers, call args. */
extern TCGRegSet tcg_target_available_regs;
extern TCGRegSet tcg_target_call_clobber_regs;
extern const int tcg_target_call_iarg_regs[TCG_MAX_HELPER_ARGS];
extern const int tcg_target_call_oarg_reg;
/* Allocation order (callee-saved first keeps values across calls). */
extern const int tcg_target_reg_alloc_order[];
extern const int tcg_target_reg_alloc_order_len;
extern const int tcg_target_env_reg, tcg_target_frame_reg;
/* Callee-saved registers that pinned globals take, in order. */
extern const int tcg_target_pin_regs[];
extern const int tcg_target_pin_regs_len;
extern const char *const tcg_target_reg_names[TCG_TARGET_NB_REGS];
/* Spill slots: [frame_reg + start, + size). */
extern const intptr_t tcg_target_frame_start, tcg_target_frame_size;
/* The orderings the host keeps between plain loads and stores without a
   barrier (x86-64, TSO: all but a store before a later load). */
extern const TCGBar tcg_target_default_mo;

void tcg_target_init(TCGContext *s);
/* The ops the backend implements: constraints and emitters (TCGOutOp). */
extern const TCGOutOp tcg_target_out_ops[NB_OPS];
/* Does the backend's vec op do op (a TCG_VEC_OP)? */
bool tcg_target_have_vec(int op);
/* Parses a backend constraint letter; returns false if unknown. */
bool tcg_target_parse_constraint(char c, TCGType type, TCGArgConstraint *ct);
/* Does constant val satisfy the constant kinds ct for type? */
bool tcg_target_const_match(int64_t val, TCGType type, unsigned ct);

void tcg_out_mov(TCGContext *s, TCGType type, int dst, int src);
void tcg_out_movi(TCGContext *s, TCGType type, int reg, int64_t val);
void tcg_out_ld(TCGContext *s, TCGType type, int reg, int base, intptr_t off);
/* Stores the pinned globals whose home registers are in regs to env /
   loads them back (regalloc.c): for the backend's prologue, epilogue and
   slow paths (regs ~0: all). */
void tcg_out_pinned_store(TCGContext *s, TCGRegSet regs);
void tcg_out_pinned_load(TCGContext *s, TCGRegSet regs);
void tcg_out_st(TCGContext *s, TCGType type, int reg, int base, intptr_t off);
/* User mode: the prologue loaded the backend's guest-base register with
   tcg_runtime.guest_base (set by the backend, tcg.c's). */
extern bool guest_base_in_reg;
/* User mode: may a qemu_ld/st take the constant guest address val as it
   is ('g' constraints)?  Only inside the space, with guest_base in its
   register and equal to the limit: such an access needs no check
   (tcg/x86_64/ldst.c, out_const_addr). */
bool tcg_out_guest_addr_const_ok(int64_t val);
/* Stores a constant directly if the host can; false if not. */
bool tcg_out_sti(TCGContext *s, TCGType type, int64_t val, int base,
                 intptr_t off);
void tcg_out_call(TCGContext *s, const void *func);
/* Patches a relocation of the backend's kind; false if out of range. */
bool tcg_patch_reloc(TCGContext *s, uint8_t *ptr, int type, intptr_t value,
                     intptr_t addend);
/* Emits the out-of-line slow paths of this TB; false past the highwater. */
bool tcg_out_ldst_finalize(TCGContext *s);
/* The same for the FP ops' rare cases (NaN results, unboxed inputs). */
bool tcg_out_fp_finalize(TCGContext *s);
/* Emits the prologue/epilogue at s->code_ptr. */
void tcg_target_qemu_prologue(TCGContext *s);

/* ---- Provided by tcg.c / regalloc.c for the backend ---- */

static inline uintptr_t tcg_rx(TCGContext *s, const void *rw)
{
    return (uintptr_t)rw + s->code_rx_offset;
}
static inline intptr_t tcg_current_code_size(TCGContext *s)
{
    return s->code_ptr - s->code_buf;
}

static inline void tcg_out8(TCGContext *s, uint8_t v)
{
    *s->code_ptr++ = v;
}
static inline void tcg_out16(TCGContext *s, uint16_t v)
{
    __builtin_memcpy(s->code_ptr, &v, 2);
    s->code_ptr += 2;
}
static inline void tcg_out32(TCGContext *s, uint32_t v)
{
    __builtin_memcpy(s->code_ptr, &v, 4);
    s->code_ptr += 4;
}
static inline void tcg_out64(TCGContext *s, uint64_t v)
{
    __builtin_memcpy(s->code_ptr, &v, 8);
    s->code_ptr += 8;
}
static inline void tcg_patch32(uint8_t *p, uint32_t v)
{
    __builtin_memcpy(p, &v, 4);
}

/* Records a relocation at ptr to label l (resolved when l is set). */
void tcg_out_reloc(TCGContext *s, uint8_t *ptr, int type, TCGLabel *l,
                   intptr_t addend);
/* ---- Shared between the generic passes ---- */

const TCGOpConstraints *tcg_op_constraints(TCGOpcode opc, TCGType type);
void tcg_constraints_init(void);
/* Checks a backend's op table against tcg-opc.h (see TCGOutOp): false,
   with the first problem in why, if an entry breaks a rule. */
bool tcg_out_ops_check(const TCGOutOp *ops, char *why, size_t len);
/* Number of constant args of op. */
int tcg_op_nb_cargs(const TCGOp *op);
/* Appends an op (no type/arg setup) and unlinks/recycles an op. */
TCGOp *tcg_op_alloc(TCGContext *s);
static inline bool tcg_regset_test(TCGRegSet set, int r)
{
    return (set >> r) & 1;
}
static inline TCGRegSet tcg_regset_bit(int r)
{
    return (TCGRegSet)1 << r;
}

/* Name of a temp for dumps, in buf. */
const char *tcg_temp_name(TCGContext *s, char *buf, size_t len, TCGTemp *t);

/* Sign-extends val to the width of type (i32 values are kept sign-extended). */
static inline int64_t tcg_canon(TCGType type, int64_t val)
{
    return type == TCG_TYPE_I32 ? (int64_t)(int32_t)val : val;
}

#endif
