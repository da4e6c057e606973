/*
 * The IR: temps, ops, labels and the per-thread translation context.
 *
 * A front end (target/<arch>/translate.c) builds a TB's ops with the
 * builders in tcg-op.h; tcg_gen_code() then optimizes them (tcg/optimize.c),
 * runs liveness, allocates host registers and emits host code through the
 * backend (tcg/<host>/).  tcg/ knows nothing about any guest: guest state
 * is reached only through globals bound to offsets from the env pointer.
 *
 *   tcg_func_start(s);
 *   TCGv_i64 x5 = tcg_global_mem_new_i64(offsetof(RISCVCPU, env.gpr[5]), "t0");
 *   tcg_gen_addi_i64(x5, x5, 1);
 *   tcg_gen_exit_tb(NULL, 0);
 *   int size = tcg_gen_code(s);
 *
 * Globals are created once at start-up (before the first tcg_func_start)
 * and live for the whole run; everything else is reset per TB.
 */
#ifndef MIMIC_TCG_H
#define MIMIC_TCG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "mimic/jitmem.h"
#include "mimic/memop.h"

typedef enum TCGType {
    TCG_TYPE_I32,
    TCG_TYPE_I64,
    TCG_TYPE_COUNT,
    TCG_TYPE_PTR = TCG_TYPE_I64,  /* 64-bit hosts only for now */
    TCG_TYPE_REG = TCG_TYPE_I64,
} TCGType;

/* Op flags, used in tcg-opc.h. */
enum {
    TCG_OPF_BB_EXIT = 0x01,
    TCG_OPF_BB_END = 0x02,
    TCG_OPF_CALL_CLOBBER = 0x04,
    TCG_OPF_SIDE_EFFECTS = 0x08,
    TCG_OPF_INT = 0x10,
    TCG_OPF_NOT_PRESENT = 0x20,
    TCG_OPF_COND_BRANCH = 0x40,
};

typedef enum TCGOpcode {
#define DEF(name, oargs, iargs, cargs, flags) INDEX_op_##name,
#include "mimic/tcg-opc.h"
#undef DEF
    NB_OPS,
} TCGOpcode;

typedef struct TCGOpDef {
    const char *name;
    uint8_t nb_oargs, nb_iargs, nb_cargs, nb_args;
    uint8_t flags;
} TCGOpDef;

extern const TCGOpDef tcg_op_defs[NB_OPS];

/* Conditions.  Bit 0 inverts, like the guest ISAs' own tables often do. */
typedef enum TCGCond {
    TCG_COND_NEVER = 0,
    TCG_COND_ALWAYS = 1,
    TCG_COND_EQ = 8,
    TCG_COND_NE = 8 | 1,
    TCG_COND_LT = 2,       /* signed */
    TCG_COND_GE = 2 | 1,
    TCG_COND_LE = 4,
    TCG_COND_GT = 4 | 1,
    TCG_COND_LTU = 2 | 16,  /* unsigned */
    TCG_COND_GEU = 2 | 16 | 1,
    TCG_COND_LEU = 4 | 16,
    TCG_COND_GTU = 4 | 16 | 1,
} TCGCond;

static inline TCGCond tcg_invert_cond(TCGCond c)
{
    return (TCGCond)(c ^ 1);
}

/* The condition that holds for (b, a) when c holds for (a, b). */
TCGCond tcg_swap_cond(TCGCond c);

static inline bool tcg_cond_is_unsigned(TCGCond c)
{
    return c & 16;
}

/* Formats of the IEEE arithmetic ops (fadd...; see tcg-opc.h), the low
   bits of their carg (TCG_FP_FMT_MASK). */
typedef enum TCGFPFormat {
    TCG_FP_F64,         /* binary64 */
    TCG_FP_F32_BOXED,   /* binary32 NaN-boxed in 64 bits */
    TCG_FP_F32,         /* binary32 in the low half; the result's upper
                           half is the first input's (x86's scalar SS) */
} TCGFPFormat;
#define TCG_FP_FMT_MASK 0xfu
/* Their NaN policy, ORed into the carg. */
#define TCG_FP_NAN_DEFAULT 0x00u /* every NaN result is the default NaN
                                    (RISC-V); F64 and F32_BOXED */
#define TCG_FP_NAN_X86 0x10u     /* x86 SSE's: F64 and F32 only */

/* The operations of the vec op (tcg-opc.h), on lanes of 8 << vece bits:
   TCG_VEC_OP(kind, vece). */
typedef enum TCGVecKind {
    TCG_VEC_ADD,        /* a + b, modulo */
    TCG_VEC_SUB,        /* a - b, modulo */
    TCG_VEC_CMPEQ,      /* all ones where a == b, else 0 */
    TCG_VEC_CMPGT,      /* all ones where a > b (signed), else 0 */
    TCG_VEC_MINU,       /* unsigned minimum */
    TCG_VEC_MAXU,       /* unsigned maximum */
    TCG_VEC_AND,        /* bitwise (vece ignored) */
    TCG_VEC_OR,
    TCG_VEC_XOR,
    TCG_VEC_ANDC,       /* a & ~b */
    TCG_VEC_ZIPLO,      /* a0 b0 a1 b1 ...: the low halves' lanes interleaved */
    TCG_VEC_ZIPHI,      /* the same from the high halves */
    TCG_VEC_SHUF32,     /* 32-bit lane i = a's lane (b >> 2 * i) & 3 */
    TCG_VEC_ALIGNR,     /* bytes imm.. of the 32-byte a:b (a the high
                           half), zeros past its end: the immediate is
                           TCG_VEC_OP_IMM's */
    TCG_VEC_NB_KINDS,
} TCGVecKind;
#define TCG_VEC_OP(kind, vece) ((int)(kind) << 2 | (vece))
/* An op with an 8-bit immediate beside its two operands. */
#define TCG_VEC_OP_IMM(kind, imm) (TCG_VEC_OP(kind, 0) | (int)(imm) << 8)
#define TCG_VEC_KIND(op) (((unsigned)(op) >> 2) & 0x3f)

/* Memory-barrier kinds for the mb op. */
typedef enum TCGBar {
    TCG_MO_LD_LD = 1,
    TCG_MO_ST_LD = 2,
    TCG_MO_LD_ST = 4,
    TCG_MO_ST_ST = 8,
    TCG_MO_ALL = 15,
} TCGBar;

typedef enum TCGTempKind {
    TEMP_EBB,     /* dies at the end of its extended basic block */
    TEMP_TB,      /* lives for the whole TB, across labels */
    TEMP_GLOBAL,  /* bound to env + offset, synced at BB ends and calls */
    TEMP_FIXED,   /* a fixed host register (env) */
    TEMP_CONST,   /* an interned constant; never written */
} TCGTempKind;

typedef enum TCGTempVal {
    TEMP_VAL_DEAD,
    TEMP_VAL_REG,
    TEMP_VAL_MEM,
    TEMP_VAL_CONST,
} TCGTempVal;

typedef uint64_t TCGRegSet;
typedef uintptr_t TCGArg;

/* 64 bytes (checked in tcg.c): the passes touch many temps. */
typedef struct TCGTemp {
    uint8_t type; /* TCGType */
    uint8_t kind; /* TCGTempKind */
    /* Register-allocator state. */
    uint8_t val_type; /* TCGTempVal */
    int8_t reg;
    bool mem_coherent;   /* memory copy matches the register */
    bool mem_allocated;  /* has a frame slot (non-globals) */
    bool temp_allocated; /* in use (for the temp free list) */
    /* A global that lives in a host register (reg) across TBs: see
       tcg_global_pin. */
    bool pinned;
    struct TCGTemp *mem_base;
    intptr_t mem_offset;
    int64_t val;         /* constant value (TEMP_CONST / TEMP_VAL_CONST) */
    const char *name;
    /* Scratch for passes (optimizer, liveness). */
    uintptr_t state;
    void *state_ptr;
    /* Added: free-list link for recycled temps (tcg_temp_free). */
    struct TCGTemp *next_free;
} TCGTemp;

/* Typed handles for builders; they are TCGTemp pointers underneath. */
typedef struct TCGv_i32_d *TCGv_i32;
typedef struct TCGv_i64_d *TCGv_i64;
typedef struct TCGv_ptr_d *TCGv_ptr;

static inline TCGTemp *tcgv_i32_temp(TCGv_i32 v) { return (TCGTemp *)v; }
static inline TCGTemp *tcgv_i64_temp(TCGv_i64 v) { return (TCGTemp *)v; }
static inline TCGTemp *tcgv_ptr_temp(TCGv_ptr v) { return (TCGTemp *)v; }
static inline TCGv_i32 temp_tcgv_i32(TCGTemp *t) { return (TCGv_i32)t; }
static inline TCGv_i64 temp_tcgv_i64(TCGTemp *t) { return (TCGv_i64)t; }
static inline TCGv_ptr temp_tcgv_ptr(TCGTemp *t) { return (TCGv_ptr)t; }

static inline TCGArg temp_arg(TCGTemp *t) { return (TCGArg)t; }
static inline TCGTemp *arg_temp(TCGArg a) { return (TCGTemp *)a; }

typedef struct TCGRelocation {
    struct TCGRelocation *next;
    uint8_t *ptr;   /* where in the code buffer the displacement lives */
    int type;       /* backend-defined relocation kind */
    intptr_t addend;
} TCGRelocation;

typedef struct TCGLabel {
    int id;
    bool has_value;
    bool refs;      /* referenced by a branch; unreferenced labels fold */
    uintptr_t value;
    TCGRelocation *relocs;
    int nb_refs;    /* added: branches to it (the optimizer drops unused labels) */
} TCGLabel;

/* Helper-call flags: what a helper may do to guest state. */
enum {
    TCG_CALL_NO_READ_GLOBALS = 0x1,  /* globals need not be synced before */
    TCG_CALL_NO_WRITE_GLOBALS = 0x2, /* globals need not be reloaded after */
    TCG_CALL_NO_SIDE_EFFECTS = 0x4,  /* removable if the result is unused */
    TCG_CALL_NO_RETURN = 0x8,        /* never returns (raises an exception) */
    TCG_CALL_NO_RWG = TCG_CALL_NO_READ_GLOBALS | TCG_CALL_NO_WRITE_GLOBALS,
    TCG_CALL_NO_RWG_SE = TCG_CALL_NO_RWG | TCG_CALL_NO_SIDE_EFFECTS,
};

#define TCG_MAX_HELPER_ARGS 6

/*
 * A helper a front end may call.  Declared once per helper as a const
 * object; args and ret are i32 or i64 (pointers are i64).  i32 values are
 * passed zero- or sign-extended as the C ABI requires (we pass them as
 * uint32_t/int32_t in the low half; helpers take uint32_t).
 */
typedef struct TCGHelperInfo {
    void *func;
    const char *name;
    unsigned flags;
    uint8_t nb_args;
    bool has_ret;
    TCGType ret_type;
    TCGType arg_types[TCG_MAX_HELPER_ARGS];
} TCGHelperInfo;

#define TCG_MAX_OP_ARGS 10

/*
 * One op.  args[] holds outputs, then inputs (as TCGTemp pointers), then
 * constant args.  For calls, nb_oargs/nb_iargs give the arity and the
 * constant args are (TCGHelperInfo *, flags).  life is filled by liveness:
 * bit i set in dead_args means input/output i dies here; sync_args bit i
 * means output i must be written back to memory.
 */
typedef struct TCGOp {
    TCGOpcode opc;
    TCGType type;
    uint8_t nb_oargs, nb_iargs;  /* for call; others use tcg_op_defs */
    uint16_t dead_args;
    uint16_t sync_args;
    struct TCGOp *prev, *next;
    TCGArg args[TCG_MAX_OP_ARGS];
} TCGOp;

#define TCG_MAX_TEMPS 512
#define TCG_MAX_PINNED 8
#define TCG_MAX_LABELS 512
#define TCG_MAX_INSNS 512
#define TCG_OP_CHUNK 1024
#define TCG_CONST_SLOTS 1024 /* power of 2, at least 2 * TCG_MAX_TEMPS */

/* Per-instruction record: guest pc (and extra word) and host code offset. */
typedef struct TCGInsnData {
    uint64_t pc;
    uint64_t extra;
    uint32_t host_end;   /* offset from TB start of this insn's last byte + 1 */
} TCGInsnData;

typedef struct TCGContext {
    /* Temps: globals first (nb_globals), then per-TB temps. */
    int nb_globals;
    int nb_temps;
    TCGTemp temps[TCG_MAX_TEMPS];
    TCGTemp *env;        /* the fixed env-pointer temp */
    /* Globals kept in host registers across TBs (tcg_global_pin). */
    TCGTemp *pinned[TCG_MAX_PINNED];
    int nb_pinned;
    /* Bit i: global i is restored by the target at a fault
       (tcg_global_fault_restored); accesses need not store it first. */
    uint64_t fault_restored[TCG_MAX_TEMPS / 64];

    /* The op list of the TB being built. */
    TCGOp *ops_first, *ops_last;
    int nb_ops;
    /* Op structs: handed out in order from chunks of TCG_OP_CHUNK kept
       across TBs, so the passes walk memory mostly sequentially. */
    TCGOp **op_chunks;
    int nb_op_chunks;
    int op_next; /* ops handed out in this TB */

    TCGLabel labels[TCG_MAX_LABELS];
    int nb_labels;

    /* Guest instructions of the current TB (from insn_start ops). */
    TCGInsnData insns[TCG_MAX_INSNS];
    int nb_insns;

    /* Code generation. */
    uint8_t *code_buf;    /* start of this TB's code (writable view) */
    uint8_t *code_ptr;    /* next byte to emit (writable view) */
    uint8_t *code_gen_highwater;  /* stop emitting a TB past this point */
    intptr_t code_rx_offset;      /* executable view = writable + offset */

    /* Filled by goto_tb: offsets (from code_buf) of each jump's
       displacement and of the instruction after the jump. */
    uint16_t goto_tb_jmp_offset[2];
    uint16_t goto_tb_reset_offset[2];
    /* The exit-request check (accel/tcg/translator.c): env-relative
       offset of the int32 flag that generated code polls, or -1 for no
       check; goto_tb then checks it first if goto_tb_check is set (a
       backward jump: every loop has one) and lookup_and_goto_ptr always
       does, leaving to the main loop when it is set. */
    intptr_t exit_check_offset;
    bool goto_tb_check;
    /* Offset (from code_buf) where the TB's out-of-line slow paths start;
       the fast path is everything before it (for -d out_asm). */
    uint32_t slow_path_offset;

    /* Frame for spills and TB temps. */
    intptr_t frame_start, frame_end, current_frame_offset;
    TCGTemp *frame_temp;

    TCGRegSet reserved_regs;
    TCGTemp *reg_to_temp[64];

    /* Logging: dump IR before/after optimization when set. */
    FILE *log_op, *log_op_opt;

    /* Statistics. */
    uint64_t stat_ops, stat_ops_opt, stat_helper_calls_emitted;
    /* Added statistics: TBs and bytes generated, spill stores, slow paths. */
    uint64_t stat_tbs, stat_code_bytes, stat_spills, stat_slow_paths;

    /* ---- Added: private to tcg/ (accel code should not touch these). ---- */
    TCGTemp *free_temps[TCG_TYPE_COUNT][2];  /* [type][EBB, TB] */
    /* Interned constants of this TB: an open-addressed table of temp
       indices keyed by (type, value); a slot counts only if its gen is
       const_gen, so starting a TB just bumps const_gen. */
    struct {
        int64_t val;
        uint32_t gen;
        uint16_t idx;
        uint16_t type;
    } const_slots[TCG_CONST_SLOTS];
    uint32_t const_gen;
    /* Optimizer: the last epoch handed out (optimize.c); per context,
       since vCPU threads take turns translating with one context. */
    uintptr_t opt_epoch;
    /* Register allocation: temps (other than env) whose value sits in a
       register or as an unmaterialized constant, i.e. those a block end
       or a sync may have to act on. */
    uint64_t held[TCG_MAX_TEMPS / 64];
    struct TCGPool *pool_first, *pool_cur;    /* per-TB arena (tcg_malloc) */
    uint8_t *pool_ptr, *pool_end;
    bool overflow;            /* too many temps/labels/insns: return -2 */
    bool liveness_done;       /* dump shows dead/sync annotations */
    JitMem jit;               /* the code buffer */
    size_t code_prefaulted;   /* bytes of it mapped in ahead of use */
    uint8_t *code_gen_start;  /* first byte after the prologue (RW view) */
    struct TCGLdstLabel *ldst_labels;  /* slow paths of the current TB */
    /* User mode: the address temps of this basic block's guest accesses
       so far, changed since by constant additions only (delta: their
       sum), whose range check a later access with the same base can skip
       (regalloc.c); and that verdict for the access being emitted. */
    struct {
        struct TCGTemp *ts;
        int64_t delta;
    } checked_bases[8];
    int nb_checked_bases;
    bool ldst_base_checked;
    struct TCGFPStub *fp_stubs;        /* FP ops' rare cases (backend) */
    int cur_insn;             /* insn record being generated, or -1 */
    struct TCGOp *cur_op;     /* op being generated (for the backend) */
} TCGContext;

/* The context the tcg_gen_* builders of this thread append to: bound by
   tcg_context_init (for creating globals) and by tcg_func_start at the
   start of each TB; nothing else re-points it. */
extern __thread TCGContext *tcg_ctx;

/* Index of a temp in tcg_ctx->temps. */
static inline int temp_idx(TCGTemp *t)
{
    return (int)(t - tcg_ctx->temps);
}

/* ---- Setting up ---- */

/* Creates the calling thread's context; env_reg names the host register. */
void tcg_context_init(TCGContext *s);

/* A global bound to env + offset, of the given type. */
TCGv_i64 tcg_global_mem_new_i64(intptr_t offset, const char *name);
TCGv_i32 tcg_global_mem_new_i32(intptr_t offset, const char *name);
/*
 * Pins a global to a host register for the whole run: generated code keeps
 * it there across TBs and chained jumps, the prologue loads it from env and
 * the exit to C stores it back, and helper calls that read or write
 * globals see it in env (stored before, reloaded after).  A host fault in
 * generated code takes the value from the faulting context
 * (tcg_pinned_from_host).  Call in priority order while creating globals,
 * before the prologue is generated; false when the host has no register
 * left for it (the global then stays in memory as usual).
 */
bool tcg_global_pin(TCGTemp *ts);
static inline bool tcg_global_pin_i64(TCGv_i64 v)
{
    return tcg_global_pin(tcgv_i64_temp(v));
}
/*
 * Says that the target's restore_state puts this global's value back at a
 * fault, from the insn_start data of the faulting insn (x86: cc_op, when
 * the translator knew it): a qemu_ld/st then need not store it to env
 * first, so a value overwritten later in the block is never stored.
 * Helper calls still see it in env (they may read it), as do the block's
 * exits.  A translator that writes such a global with a value it does not
 * record in insn_start must store it to env itself (tcg_gen_st).
 */
void tcg_global_fault_restored(TCGTemp *ts, bool on);
static inline void tcg_global_fault_restored_i32(TCGv_i32 v)
{
    tcg_global_fault_restored(tcgv_i32_temp(v), true);
}
/* Writes the pinned globals' values, taken from a host register file
   (indexed by host register number), into the env at env_base. */
void tcg_pinned_from_host(void *env_base, const uint64_t *host_regs);

/* The env pointer as a temp (for ld/st builders and helper args). */
TCGv_ptr tcg_env(void);

/* ---- Per TB ---- */

/* Resets ops, labels and non-global temps before translating a TB. */
void tcg_func_start(TCGContext *s);

TCGv_i64 tcg_temp_new_i64(void);   /* EBB temp */
TCGv_i32 tcg_temp_new_i32(void);
TCGv_i64 tcg_temp_tb_new_i64(void); /* lives across labels */
void tcg_temp_free_i64(TCGv_i64 t);
void tcg_temp_free_i32(TCGv_i32 t);
TCGv_i64 tcg_constant_i64(int64_t val);  /* read-only, interned per TB */
TCGv_i32 tcg_constant_i32(int32_t val);

TCGLabel *gen_new_label(void);

/* Added: more temp kinds and per-TB scratch memory. */
TCGv_i32 tcg_temp_tb_new_i32(void);
TCGv_ptr tcg_temp_new_ptr(void);
void tcg_temp_free_ptr(TCGv_ptr t);
TCGv_ptr tcg_constant_ptr(const void *p);
TCGTemp *tcg_temp_new_internal(TCGType type, TCGTempKind kind);
TCGTemp *tcg_constant_internal(TCGType type, int64_t val);
void tcg_temp_free_internal(TCGTemp *t);
/* Memory valid until the next tcg_func_start (relocations, slow paths). */
void *tcg_malloc(size_t size);
/* "eq", "ltu", ... for dumps. */
const char *tcg_cond_name(TCGCond c);
/* Result of (a cond b) for constants, in the width of type. */
bool tcg_cond_eval(TCGCond c, TCGType type, uint64_t a, uint64_t b);

/* Allocates and links a new op at the end of the list. */
TCGOp *tcg_emit_op(TCGOpcode opc, TCGType type, int nargs);
/* Inserts a new op before/after op (used by the optimizer). */
TCGOp *tcg_op_insert_before(TCGContext *s, TCGOp *op, TCGOpcode opc, TCGType type);
TCGOp *tcg_op_insert_after(TCGContext *s, TCGOp *op, TCGOpcode opc, TCGType type);
void tcg_op_remove(TCGContext *s, TCGOp *op);
/* The last op of the current TB so far (NULL if none). */
TCGOp *tcg_last_op(void);
/* Removes every op after op (all of them if op is NULL): the translator
   dropping an insn it had begun. */
void tcg_remove_ops_after(TCGOp *op);

static inline TCGLabel *arg_label(TCGArg a) { return (TCGLabel *)a; }
static inline TCGArg label_arg(TCGLabel *l) { return (TCGArg)l; }

/* Number of output/input/constant args of this op (calls are variable). */
/* Whether an op after `after` (NULL: from the first op) may have written
   v: one naming it as an output, or for a global a helper call that may
   write globals.  For a frontend whose operand is a register's value at
   the insn's start. */
bool tcg_op_written_after(const TCGOp *after, TCGv_i64 v);
/* Moves the ops after `from` (NULL: all) to just after `dest` (NULL: to
   the front), which comes before from: code made now that must run
   earlier (at the insn's start). */
void tcg_ops_move_after(TCGOp *from, TCGOp *dest);
int tcg_op_nb_oargs(const TCGOp *op);
int tcg_op_nb_iargs(const TCGOp *op);

/* ---- Generating code ---- */

/*
 * Optimizes, allocates registers and emits host code for the op list at
 * s->code_ptr.  Returns the code size in bytes, or -1 if the code buffer
 * high-water mark was crossed (the caller flushes and retries), or -2 if
 * the TB is too large (the caller retries with fewer guest insns).
 */
int tcg_gen_code(TCGContext *s);

/* Writes the op list in a readable form to f (for -d op / op_opt). */
void tcg_dump_ops(TCGContext *s, FILE *f);

/* Constant folding, copy propagation and dead code removal (optimize.c). */
void tcg_optimize(TCGContext *s);

/* Backward liveness pass: fills dead_args/sync_args (tcg.c). */
void tcg_liveness_analysis(TCGContext *s);

/*
 * The code buffer: one W^X dual mapping (util/jitmem.c) of size bytes,
 * created once; the prologue/epilogue are emitted at its start.  Each
 * tcg_gen_code() places a TB's code at s->code_ptr (aligned), leaving
 * s->code_buf at its start and s->code_ptr just past its end; the
 * executable address is s->code_buf + s->code_rx_offset.
 * tcg_code_buffer_reset() discards every TB's code (after a tb_flush).
 */
void tcg_code_buffer_init(TCGContext *s, size_t size);
void tcg_code_buffer_reset(TCGContext *s);
/* In the child of fork() (user mode): the buffer is shared memory, so
   the child gets its own copy at the same addresses; false if the host
   refused. */
bool tcg_code_buffer_unshare(TCGContext *s);
/* Bytes of TB code emitted since the last reset, and the buffer's size. */
size_t tcg_code_size(TCGContext *s);
/* Maps the code buffer in a chunk ahead of s->code_ptr (call after each
   TB): cheaper than faulting its pages in one at a time. */
void tcg_code_prefault(TCGContext *s);
size_t tcg_code_capacity(TCGContext *s);

/* Disassembles host code (capstone) to f, for -d out_asm. */
void tcg_disas_host(FILE *f, const void *code, size_t size);
/* The number of host instructions in [code, code + size) (capstone; 0
   if it cannot be opened), for -d jit_stats; tb_lock held. */
uint64_t tcg_host_insn_count(const void *code, size_t size);

/*
 * Emits the prologue/epilogue into the code buffer (once, at start-up).
 * Afterwards tcg_qemu_tb_exec(env, code) enters generated code and
 * returns the value of the exit_tb that left it.
 */
void tcg_prologue_init(TCGContext *s);
typedef uintptr_t (*TCGPrologueFn)(void *env, const void *code);
extern TCGPrologueFn tcg_qemu_tb_exec;
/* Executable address the epilogue returns 0 from (for jump-cache misses). */
extern const void *tcg_code_gen_epilogue;

/*
 * Hooks the backend needs from accel/tcg, set once at start-up: where the
 * jump cache and current tb_flags live relative to env, the TLB layout, and
 * the softmmu slow-path entry points.  See include/mimic/exec.h.
 */
typedef struct TCGRuntime {
    intptr_t jmp_cache_offset;    /* env-relative: TBJumpCacheEntry[] */
    unsigned jmp_cache_bits;
    intptr_t pc_offset;           /* env-relative: guest pc (u64) */
    intptr_t tb_flags_offset;     /* env-relative: current tb flags (u64) */
    intptr_t tlb_fast_offset;     /* env-relative: CPUTLBDescFast[mmu] */
    /*
     * Slow paths: (env, addr, oi, retaddr) -> value / (env, addr, val, oi,
     * retaddr).  ld_slow returns the value in host order (MO_BSWAP already
     * applied); the backend sign/zero-extends it per the MemOp.  retaddr is
     * the host address just after the fast-path access: it lies inside the
     * code range (insns[].host_end) of the guest insn doing the access.
     */
    uint64_t (*ld_slow)(void *env, uint64_t addr, MemOpIdx oi, uintptr_t ra);
    void (*st_slow)(void *env, uint64_t addr, uint64_t val, MemOpIdx oi, uintptr_t ra);
    /*
     * A miss of lookup_and_goto_ptr's inline jump-cache probe: (env) ->
     * the executable address of the TB to go on with (already translated,
     * now in the jump cache), or NULL to leave through the epilogue for
     * the execution loop.  Called with the TB's globals in env (a block
     * end); NULL hook: every miss leaves.
     */
    const void *(*lookup_code)(void *env);
    /*
     * User mode: guest memory is host memory at guest_base + addr, with no
     * TLB.  An access reaches the slow path only when it breaks its
     * MemOp's alignment or its address is outside the guest's space; a
     * host fault on the access itself is the mode's to map back to the
     * guest (the restore data finds the guest insn).
     */
    bool direct;
    uintptr_t guest_base;
    /* Guest addresses at or above 1 << guest_addr_bits are outside the
       guest's reservation: the access goes to the slow path (which raises
       the guest's fault) instead of reaching host memory.  0: no check. */
    unsigned guest_addr_bits;
    /* Bytes of PROT_NONE guard the mode keeps just above the
       reservation's end, and twice that just below guest_base (0: none).
       With a guard, a qemu_ld/st may carry a constant offset
       (tcg_gen_qemu_ld_off_i64): the backend checks the base register
       alone and adds the offset in the access itself, which lands in a
       guard, and faults there (the mode maps such a fault to the guest's
       address, base + offset modulo 2^64), whenever base + offset leaves
       the space; and a base checked earlier in the basic block is not
       checked again (regalloc.c, checked_base), which needs slow paths
       that fault, never return, for an address outside the space. */
    uint32_t guest_guard;
    /* The orderings the guest's memory model promises between its plain
       loads and stores (TargetOps.guest_mo); qemu_ld/st add barriers for
       those the host does not keep. */
    TCGBar guest_mo;
    /* The pinned globals (tcg_global_pin), for code that runs outside
       the TB's context: env offset, host register, TCGType. */
    struct {
        intptr_t offset;
        int8_t reg;
        uint8_t type;
    } pinned[TCG_MAX_PINNED];
    int nb_pinned;
} TCGRuntime;

extern TCGRuntime tcg_runtime;

/*
 * Patches a goto_tb jump to go to target (an executable address).  jmp_rx
 * and jmp_rw are the executable and writable addresses of the jump's
 * 4-byte displacement (code start + goto_tb_jmp_offset[n]); the store is
 * atomic.  Resetting a jump = targeting code start + goto_tb_reset_offset.
 */
void tcg_tb_set_jmp_target(uintptr_t jmp_rx, uintptr_t jmp_rw, uintptr_t target);

#endif
