/*
 * The IR optimizer: one forward pass doing constant folding and
 * propagation, copy propagation, algebraic simplification, a little
 * known-bits reasoning (to drop redundant zero-extensions) and removal of
 * unreachable ops after unconditional exits.  Ops whose results are never
 * used are removed afterwards by liveness (liveness.c).
 *
 * Each op is first rewritten to read the best copy of each input (a
 * constant, else a global, else a TB temp), then handed to its fold_*
 * function, tried in a fixed order: all-constant folding, identities on
 * copies (x - x, x ^ x), identities with one constant (x + 0, x * 1, x & 0),
 * known bits.  An op that simplifies becomes a mov or is removed.
 *
 * What is known about temps is forgotten at labels (another path may
 * arrive there) and, for globals, after helper calls that may write them.
 * A conditional branch keeps everything: the fall-through path continues
 * the same extended basic block.
 */
#include "tcg-internal.h"

#include <string.h>

typedef struct TempInfo {
    bool is_const;
    uint64_t val;                   /* canonical: i32 values sign-extended */
    uint64_t z_mask;                /* bits that may be nonzero */
    TCGTemp *prev_copy, *next_copy; /* ring of temps holding the same value */
    TCGTemp *const_temp;            /* if is_const: the interned constant
                                       of that value and type, once known */
    uint32_t age;                   /* when it got its value (0: before the
                                       epoch), for best_copy */
} TempInfo;

typedef struct OptContext {
    TCGContext *s;
    TempInfo *info;  /* indexed by temp index */
    /* A temp's info describes its current value only if the temp's
       scratch word (TCGTemp.state) holds this epoch; forgetting
       everything starts a new epoch.  Epochs are never reused within a
       context (TCGContext.opt_epoch). */
    uintptr_t epoch;
    uint32_t clock;  /* TempInfo.age */
} OptContext;

static uint64_t type_mask(TCGType type)
{
    return type == TCG_TYPE_I32 ? 0xffffffffull : ~0ull;
}

static TempInfo *ti_init(OptContext *c, TCGTemp *ts)
{
    TempInfo *t = &c->info[temp_idx(ts)];

    ts->state = c->epoch;
    ts->state_ptr = t;
    t->prev_copy = t->next_copy = ts;
    t->age = 0;
    t->is_const = ts->kind == TEMP_CONST;
    t->const_temp = t->is_const ? ts : NULL;
    t->val = (uint64_t)ts->val;
    t->z_mask =
        t->is_const ? t->val & type_mask(ts->type) : type_mask(ts->type);
    return t;
}

static inline TempInfo *ti(OptContext *c, TCGTemp *ts)
{
    if (__builtin_expect(ts->state == c->epoch, 1))
        return ts->state_ptr;
    return ti_init(c, ts);
}

static void forget_all(OptContext *c)
{
    c->epoch = ++c->s->opt_epoch;
}

/* ts gets a new, unknown value: leave its copy ring. */
static void reset_temp(OptContext *c, TCGTemp *ts)
{
    TempInfo *t = ti(c, ts);

    ti(c, t->prev_copy)->next_copy = t->next_copy;
    ti(c, t->next_copy)->prev_copy = t->prev_copy;
    t->prev_copy = t->next_copy = ts;
    t->is_const = false;
    t->z_mask = type_mask(ts->type);
    t->age = ++c->clock;
}

static bool is_const(OptContext *c, TCGArg a)
{
    return ti(c, arg_temp(a))->is_const;
}

static uint64_t cval(OptContext *c, TCGArg a)
{
    return ti(c, arg_temp(a))->val;
}

static bool const_is(OptContext *c, TCGArg a, int64_t v, TCGType type)
{
    return is_const(c, a) && (int64_t)cval(c, a) == tcg_canon(type, v);
}

static bool temps_are_copies(OptContext *c, TCGArg a, TCGArg b)
{
    TCGTemp *ta = arg_temp(a), *tb = arg_temp(b);

    if (ta == tb)
        return true;
    if (is_const(c, a) && is_const(c, b))
        return cval(c, a) == cval(c, b) && ta->type == tb->type;
    for (TCGTemp *i = ti(c, ta)->next_copy; i != ta; i = ti(c, i)->next_copy)
        if (i == tb)
            return true;
    return false;
}

static int kind_rank(const TCGTemp *ts)
{
    switch (ts->kind) {
    case TEMP_CONST:
        return 5;
    case TEMP_FIXED:
        return 4;
    case TEMP_GLOBAL:
        return ts->pinned ? 4 : 3;
    case TEMP_TB:
        return 2;
    default:
        return 1;
    }
}

/*
 * The copy of ts that is cheapest to read: a constant, a register
 * (pinned global), a global, then a temp; among equals the oldest, which
 * holds the value where it was made (a guest register, where its
 * copies are the frontend's flags or scratch: reading those keeps their
 * writes alive after the next insn has overwritten them).
 */
static TCGTemp *best_copy(OptContext *c, TCGTemp *ts)
{
    TempInfo *t = ti(c, ts);
    TCGTemp *best = ts;
    int best_rank = kind_rank(ts);
    uint32_t best_age = t->age;

    if (t->is_const && ts->kind != TEMP_CONST) {
        if (!t->const_temp || t->const_temp->type != ts->type)
            t->const_temp = tcg_constant_internal(ts->type, (int64_t)t->val);
        return t->const_temp;
    }
    for (TCGTemp *i = t->next_copy; i != ts; i = ti(c, i)->next_copy) {
        int r = kind_rank(i);
        uint32_t age = ti(c, i)->age;

        if (r > best_rank || (r == best_rank && age < best_age)) {
            best = i;
            best_rank = r;
            best_age = age;
        }
    }
    return best;
}

/* ---- Turning an op into a mov ---- */

static void set_copy_info(OptContext *c, TCGTemp *dst, TCGTemp *src)
{
    TempInfo *d = ti(c, dst), *sr = ti(c, src);

    reset_temp(c, dst);
    d->is_const = sr->is_const;
    d->const_temp = sr->const_temp;
    d->val = sr->val;
    d->z_mask = sr->z_mask;
    if (dst->type == src->type && !sr->is_const) {
        d->next_copy = sr->next_copy;
        d->prev_copy = src;
        ti(c, d->next_copy)->prev_copy = dst;
        sr->next_copy = dst;
    }
}

/* op becomes "mov dst, src" (or disappears if they already match). */
static void gen_mov(OptContext *c, TCGOp *op, TCGArg dst, TCGArg src)
{
    if (temps_are_copies(c, dst, src)) {
        tcg_op_remove(c->s, op);
        return;
    }
    op->opc = INDEX_op_mov;
    op->nb_oargs = 1;
    op->nb_iargs = 1;
    op->args[0] = dst;
    op->args[1] = src;
    set_copy_info(c, arg_temp(dst), arg_temp(src));
}

static void gen_movi(OptContext *c, TCGOp *op, TCGArg dst, uint64_t val)
{
    TCGTemp *k = tcg_constant_internal(op->type, (int64_t)val);
    gen_mov(c, op, dst, temp_arg(k));
}

/* ---- Constant evaluation ---- */

static uint64_t eval32(TCGOpcode opc, uint32_t x, uint32_t y)
{
    int32_t sx = (int32_t)x, sy = (int32_t)y;
    unsigned n = y & 31;

    switch (opc) {
    case INDEX_op_add:
        return x + y;
    case INDEX_op_sub:
        return x - y;
    case INDEX_op_mul:
        return x * y;
    case INDEX_op_shl:
        return x << n;
    case INDEX_op_shr:
        return x >> n;
    case INDEX_op_sar:
        return (uint32_t)(sx >> n);
    case INDEX_op_rotl:
        return n ? (x << n) | (x >> (32 - n)) : x;
    case INDEX_op_rotr:
        return n ? (x >> n) | (x << (32 - n)) : x;
    case INDEX_op_div:
        return (uint32_t)(sx / sy);
    case INDEX_op_divu:
        return x / y;
    case INDEX_op_rem:
        return (uint32_t)(sx % sy);
    case INDEX_op_remu:
        return x % y;
    case INDEX_op_mulsh:
        return (uint32_t)(((int64_t)sx * sy) >> 32);
    case INDEX_op_muluh:
        return (uint32_t)(((uint64_t)x * y) >> 32);
    default:
        return 0;
    }
}

static uint64_t eval64(TCGOpcode opc, uint64_t x, uint64_t y)
{
    int64_t sx = (int64_t)x, sy = (int64_t)y;
    unsigned n = y & 63;

    switch (opc) {
    case INDEX_op_add:
        return x + y;
    case INDEX_op_sub:
        return x - y;
    case INDEX_op_mul:
        return x * y;
    case INDEX_op_shl:
        return x << n;
    case INDEX_op_shr:
        return x >> n;
    case INDEX_op_sar:
        return (uint64_t)(sx >> n);
    case INDEX_op_rotl:
        return n ? (x << n) | (x >> (64 - n)) : x;
    case INDEX_op_rotr:
        return n ? (x >> n) | (x << (64 - n)) : x;
    case INDEX_op_div:
        return (uint64_t)(sx / sy);
    case INDEX_op_divu:
        return x / y;
    case INDEX_op_rem:
        return (uint64_t)(sx % sy);
    case INDEX_op_remu:
        return x % y;
    case INDEX_op_mulsh:
        return (uint64_t)(((__int128)sx * sy) >> 64);
    case INDEX_op_muluh:
        return (uint64_t)(((unsigned __int128)x * y) >> 64);
    default:
        return 0;
    }
}

static uint64_t eval_op(TCGOpcode opc, TCGType type, uint64_t x, uint64_t y)
{
    uint64_t r;

    switch (opc) {
    case INDEX_op_and:
        r = x & y;
        break;
    case INDEX_op_or:
        r = x | y;
        break;
    case INDEX_op_xor:
        r = x ^ y;
        break;
    case INDEX_op_andc:
        r = x & ~y;
        break;
    case INDEX_op_neg:
        r = 0 - x;
        break;
    case INDEX_op_not:
        r = ~x;
        break;
    case INDEX_op_ext8s:
        r = (uint64_t)(int64_t)(int8_t)x;
        break;
    case INDEX_op_ext8u:
        r = (uint8_t)x;
        break;
    case INDEX_op_ext16s:
        r = (uint64_t)(int64_t)(int16_t)x;
        break;
    case INDEX_op_ext16u:
        r = (uint16_t)x;
        break;
    case INDEX_op_ext32s:
    case INDEX_op_ext_i32_i64:
        r = (uint64_t)(int64_t)(int32_t)x;
        break;
    case INDEX_op_ext32u:
    case INDEX_op_extu_i32_i64:
        r = (uint32_t)x;
        break;
    case INDEX_op_extrl_i64_i32:
        r = (uint32_t)x;
        break;
    default:
        r = type == TCG_TYPE_I32 ? eval32(opc, (uint32_t)x, (uint32_t)y)
                                 : eval64(opc, x, y);
        break;
    }
    return (uint64_t)tcg_canon(type, (int64_t)r);
}

/* ---- Shared pieces of the fold functions ---- */

static bool fold_const1(OptContext *c, TCGOp *op)
{
    if (!is_const(c, op->args[1]))
        return false;
    gen_movi(c, op, op->args[0],
             eval_op(op->opc, op->type, cval(c, op->args[1]), 0));
    return true;
}

static bool fold_const2(OptContext *c, TCGOp *op)
{
    if (!is_const(c, op->args[1]) || !is_const(c, op->args[2]))
        return false;
    gen_movi(
        c, op, op->args[0],
        eval_op(op->opc, op->type, cval(c, op->args[1]), cval(c, op->args[2])));
    return true;
}

/* Commutative ops keep their constant second, and their output's old
   value first ("g = g op x": two-address hosts then work in place). */
static void swap_commutative(OptContext *c, TCGOp *op)
{
    if ((is_const(c, op->args[1]) && !is_const(c, op->args[2])) ||
        (op->args[2] == op->args[0] && !is_const(c, op->args[1]))) {
        TCGArg t = op->args[1];
        op->args[1] = op->args[2];
        op->args[2] = t;
    }
}

static bool fold_to_mov_if(OptContext *c, TCGOp *op, bool cond, int src)
{
    if (cond)
        gen_mov(c, op, op->args[0], op->args[src]);
    return cond;
}

static bool fold_to_movi_if(OptContext *c, TCGOp *op, bool cond, uint64_t val)
{
    if (cond)
        gen_movi(c, op, op->args[0], val);
    return cond;
}

static uint64_t zm(OptContext *c, TCGArg a)
{
    return ti(c, arg_temp(a))->z_mask;
}

/* ---- One fold function per op ---- */

static bool fold_add(OptContext *c, TCGOp *op)
{
    swap_commutative(c, op);
    return fold_const2(c, op) ||
           fold_to_mov_if(c, op, const_is(c, op->args[2], 0, op->type), 1);
}

static bool fold_sub(OptContext *c, TCGOp *op)
{
    if (fold_const2(c, op) ||
        fold_to_movi_if(c, op, temps_are_copies(c, op->args[1], op->args[2]),
                        0) ||
        fold_to_mov_if(c, op, const_is(c, op->args[2], 0, op->type), 1))
        return true;
    if (is_const(c, op->args[2])) {
        /* x - c is x + (-c): the backend can use lea. */
        op->opc = INDEX_op_add;
        op->args[2] = temp_arg(tcg_constant_internal(
            op->type, (int64_t)(0 - cval(c, op->args[2]))));
    }
    return false;
}

static bool fold_mul(OptContext *c, TCGOp *op)
{
    swap_commutative(c, op);
    return fold_const2(c, op) ||
           fold_to_movi_if(c, op, const_is(c, op->args[2], 0, op->type), 0) ||
           fold_to_mov_if(c, op, const_is(c, op->args[2], 1, op->type), 1);
}

static bool fold_mulh(OptContext *c, TCGOp *op)
{
    swap_commutative(c, op);
    return fold_const2(c, op) ||
           fold_to_movi_if(c, op, const_is(c, op->args[2], 0, op->type), 0);
}

static bool fold_and(OptContext *c, TCGOp *op)
{
    swap_commutative(c, op);
    if (fold_const2(c, op) ||
        fold_to_movi_if(c, op, const_is(c, op->args[2], 0, op->type), 0) ||
        fold_to_mov_if(c, op, temps_are_copies(c, op->args[1], op->args[2]), 1))
        return true;
    /* and with a mask that keeps every bit that may be set. */
    return fold_to_mov_if(c, op,
                          is_const(c, op->args[2]) &&
                              (zm(c, op->args[1]) & ~cval(c, op->args[2]) &
                               type_mask(op->type)) == 0,
                          1);
}

static bool fold_or(OptContext *c, TCGOp *op)
{
    swap_commutative(c, op);
    return fold_const2(c, op) ||
           fold_to_mov_if(c, op, const_is(c, op->args[2], 0, op->type), 1) ||
           fold_to_mov_if(c, op, temps_are_copies(c, op->args[1], op->args[2]),
                          1) ||
           fold_to_movi_if(c, op, const_is(c, op->args[2], -1, op->type),
                           (uint64_t)-1);
}

static bool fold_xor(OptContext *c, TCGOp *op)
{
    swap_commutative(c, op);
    return fold_const2(c, op) ||
           fold_to_mov_if(c, op, const_is(c, op->args[2], 0, op->type), 1) ||
           fold_to_movi_if(c, op, temps_are_copies(c, op->args[1], op->args[2]),
                           0);
}

static bool fold_andc(OptContext *c, TCGOp *op)
{
    return fold_const2(c, op) ||
           fold_to_movi_if(c, op, temps_are_copies(c, op->args[1], op->args[2]),
                           0) ||
           fold_to_mov_if(c, op, const_is(c, op->args[2], 0, op->type), 1) ||
           fold_to_movi_if(c, op, const_is(c, op->args[1], 0, op->type), 0);
}

static bool fold_shift(OptContext *c, TCGOp *op)
{
    int bits = op->type == TCG_TYPE_I32 ? 32 : 64;

    if (fold_const2(c, op) ||
        fold_to_movi_if(c, op, const_is(c, op->args[1], 0, op->type), 0))
        return true;
    return fold_to_mov_if(c, op,
                          is_const(c, op->args[2]) &&
                              (cval(c, op->args[2]) & (uint64_t)(bits - 1)) ==
                                  0,
                          1);
}

static bool fold_divide(OptContext *c, TCGOp *op)
{
    uint64_t m = type_mask(op->type), y;

    if (!is_const(c, op->args[1]) || !is_const(c, op->args[2]))
        return fold_to_mov_if(
            c, op,
            (op->opc == INDEX_op_div || op->opc == INDEX_op_divu) &&
                const_is(c, op->args[2], 1, op->type),
            1);
    y = cval(c, op->args[2]) & m;
    if (y == 0 ||
        (y == m && (op->opc == INDEX_op_div || op->opc == INDEX_op_rem)))
        return false; /* the IR forbids these; leave them to the host */
    return fold_const2(c, op);
}

static bool fold_unary(OptContext *c, TCGOp *op)
{
    return fold_const1(c, op);
}

static bool fold_ext(OptContext *c, TCGOp *op)
{
    uint64_t z = zm(c, op->args[1]);

    if (fold_const1(c, op))
        return true;
    switch (op->opc) {
    case INDEX_op_ext8u:
        return fold_to_mov_if(c, op, z <= 0xff, 1);
    case INDEX_op_ext16u:
        return fold_to_mov_if(c, op, z <= 0xffff, 1);
    case INDEX_op_ext32u:
        return fold_to_mov_if(c, op, z <= 0xffffffffu, 1);
    case INDEX_op_ext8s:
        return fold_to_mov_if(c, op, z <= 0x7f, 1);
    case INDEX_op_ext16s:
        return fold_to_mov_if(c, op, z <= 0x7fff, 1);
    case INDEX_op_ext32s:
        return fold_to_mov_if(c, op, z <= 0x7fffffff, 1);
    default:
        return false;
    }
}

/* Result of (a cond b) if known: 1 or 0, else -1. */
static int cond_known(OptContext *c, TCGType type, TCGCond cond, TCGArg a,
                      TCGArg b)
{
    if (is_const(c, a) && is_const(c, b))
        return tcg_cond_eval(cond, type, cval(c, a), cval(c, b));
    if (temps_are_copies(c, a, b))
        return tcg_cond_eval(cond, type, 0, 0);
    if (const_is(c, b, 0, type) &&
        (cond == TCG_COND_LTU || cond == TCG_COND_GEU))
        return cond == TCG_COND_GEU;
    return -1;
}

/* Puts a constant operand of a comparison second. */
static TCGCond swap_cmp(OptContext *c, TCGArg *a, TCGArg *b, TCGCond cond)
{
    if (is_const(c, *a) && !is_const(c, *b)) {
        TCGArg t = *a;
        *a = *b;
        *b = t;
        return tcg_swap_cond(cond);
    }
    return cond;
}

static bool fold_setcond(OptContext *c, TCGOp *op)
{
    TCGCond cond =
        swap_cmp(c, &op->args[1], &op->args[2], (TCGCond)op->args[3]);
    int k = cond_known(c, op->type, cond, op->args[1], op->args[2]);

    op->args[3] = cond;
    return fold_to_movi_if(c, op, k >= 0, (uint64_t)k);
}

static bool fold_movcond(OptContext *c, TCGOp *op)
{
    TCGCond cond =
        swap_cmp(c, &op->args[1], &op->args[2], (TCGCond)op->args[5]);
    int k = cond_known(c, op->type, cond, op->args[1], op->args[2]);

    op->args[5] = cond;
    if (k >= 0)
        return fold_to_mov_if(c, op, true, k ? 3 : 4);
    return fold_to_mov_if(c, op, temps_are_copies(c, op->args[3], op->args[4]),
                          3);
}

static bool fold_brcond(OptContext *c, TCGOp *op)
{
    TCGCond cond =
        swap_cmp(c, &op->args[0], &op->args[1], (TCGCond)op->args[2]);
    int k = cond_known(c, op->type, cond, op->args[0], op->args[1]);

    op->args[2] = cond;
    if (k == 0) {
        tcg_op_remove(c->s, op);
        return true;
    }
    if (k == 1) {
        op->opc = INDEX_op_br;
        op->nb_iargs = 0;
        op->args[0] = op->args[3];
        forget_all(c);
        return true;
    }
    return false;
}

/* Known-zero bits of an output that did not fold. */
static uint64_t out_z_mask(OptContext *c, TCGOp *op)
{
    uint64_t m = type_mask(op->type);
    TCGArg *a = op->args;

    switch (op->opc) {
    case INDEX_op_and:
        return zm(c, a[1]) & zm(c, a[2]);
    case INDEX_op_or:
    case INDEX_op_xor:
        return (zm(c, a[1]) | zm(c, a[2])) & m;
    case INDEX_op_setcond:
        return 1;
    case INDEX_op_ext8u:
    case INDEX_op_ld8u:
        return 0xff;
    case INDEX_op_ext16u:
    case INDEX_op_ld16u:
        return 0xffff;
    case INDEX_op_ext32u:
    case INDEX_op_ld32u:
    case INDEX_op_extu_i32_i64:
    case INDEX_op_extrl_i64_i32:
        return 0xffffffffu;
    case INDEX_op_shr:
        return is_const(c, a[2])
                   ? zm(c, a[1]) >> (cval(c, a[2]) & (m == ~0ull ? 63 : 31))
                   : m;
    case INDEX_op_qemu_ld: {
        MemOp mop = get_memop((MemOpIdx)a[2]);
        if (!(mop & MO_SIGN) && (mop & MO_SIZE) < MO_64)
            return (1ull << (8 * memop_size(mop))) - 1;
        return m;
    }
    default:
        return m;
    }
}

static bool fold_op(OptContext *c, TCGOp *op)
{
    switch (op->opc) {
    case INDEX_op_add:
        return fold_add(c, op);
    case INDEX_op_sub:
        return fold_sub(c, op);
    case INDEX_op_mul:
        return fold_mul(c, op);
    case INDEX_op_mulsh:
    case INDEX_op_muluh:
        return fold_mulh(c, op);
    case INDEX_op_and:
        return fold_and(c, op);
    case INDEX_op_or:
        return fold_or(c, op);
    case INDEX_op_xor:
        return fold_xor(c, op);
    case INDEX_op_andc:
        return fold_andc(c, op);
    case INDEX_op_shl:
    case INDEX_op_shr:
    case INDEX_op_sar:
    case INDEX_op_rotl:
    case INDEX_op_rotr:
        return fold_shift(c, op);
    case INDEX_op_div:
    case INDEX_op_divu:
    case INDEX_op_rem:
    case INDEX_op_remu:
        return fold_divide(c, op);
    case INDEX_op_neg:
    case INDEX_op_not:
    case INDEX_op_ext_i32_i64:
    case INDEX_op_extu_i32_i64:
    case INDEX_op_extrl_i64_i32:
        return fold_unary(c, op);
    case INDEX_op_ext8s:
    case INDEX_op_ext8u:
    case INDEX_op_ext16s:
    case INDEX_op_ext16u:
    case INDEX_op_ext32s:
    case INDEX_op_ext32u:
        return fold_ext(c, op);
    case INDEX_op_setcond:
        return fold_setcond(c, op);
    case INDEX_op_movcond:
        return fold_movcond(c, op);
    case INDEX_op_brcond:
        return fold_brcond(c, op);
    case INDEX_op_mov:
        gen_mov(c, op, op->args[0], op->args[1]);
        return true;
    default:
        return false;
    }
}

/* Replaces each input by the best copy of its value. */
static void propagate_inputs(OptContext *c, TCGOp *op)
{
    int nb_o = op->nb_oargs, nb_i = op->nb_iargs;

    for (int i = nb_o; i < nb_o + nb_i; i++) {
        TCGTemp *ts = arg_temp(op->args[i]);
        if (ts->kind != TEMP_FIXED)
            op->args[i] = temp_arg(best_copy(c, ts));
    }
}

static void forget_globals(OptContext *c)
{
    for (int i = 0; i < c->s->nb_globals; i++)
        if (c->s->temps[i].kind == TEMP_GLOBAL)
            reset_temp(c, &c->s->temps[i]);
}

static void opt_call(OptContext *c, TCGOp *op)
{
    unsigned flags = (unsigned)op->args[op->nb_oargs + op->nb_iargs + 1];

    propagate_inputs(c, op);
    if (!(flags & TCG_CALL_NO_WRITE_GLOBALS))
        forget_globals(c);
    for (int i = 0; i < op->nb_oargs; i++)
        reset_temp(c, arg_temp(op->args[i]));
}

/* Unreachable ops after an unconditional exit, up to the next label. */
static void remove_unreachable(OptContext *c, TCGOp *op)
{
    TCGOp *next;

    for (TCGOp *o = op->next; o && o->opc != INDEX_op_set_label; o = next) {
        next = o->next;
        if (o->opc != INDEX_op_insn_start)
            tcg_op_remove(c->s, o);
    }
}

static void opt_one(OptContext *c, TCGOp *op)
{
    const TCGOpDef *def = &tcg_op_defs[op->opc];

    if (op->opc == INDEX_op_set_label) {
        if (arg_label(op->args[0])->nb_refs <= 0)
            tcg_op_remove(c->s, op); /* nobody jumps here: one block */
        else
            forget_all(c);
        return;
    }
    if (op->opc == INDEX_op_insn_start)
        return;
    if (op->opc == INDEX_op_call) {
        opt_call(c, op);
        return;
    }
    if (op->opc == INDEX_op_discard) {
        reset_temp(c, arg_temp(op->args[0]));
        return;
    }
    propagate_inputs(c, op);
    bool is_br = op->opc == INDEX_op_brcond;
    if (fold_op(c, op)) {
        if (is_br && op->opc == INDEX_op_br)
            remove_unreachable(c, op);
        return;
    }
    for (int i = 0; i < def->nb_oargs; i++) {
        TCGTemp *out = arg_temp(op->args[i]);
        uint64_t z = out_z_mask(c, op);
        reset_temp(c, out);
        ti(c, out)->z_mask = z;
    }
    if ((def->flags & TCG_OPF_BB_END) && !(def->flags & TCG_OPF_COND_BRANCH)) {
        forget_all(c);
        /* goto_tb falls through to its exit_tb until it is patched. */
        if (op->opc != INDEX_op_goto_tb)
            remove_unreachable(c, op);
    }
}

void tcg_optimize(TCGContext *s)
{
    OptContext c = {s, NULL, 0};
    TCGOp *next;

    c.info = tcg_malloc(sizeof(TempInfo) * TCG_MAX_TEMPS);
    forget_all(&c);
    for (TCGOp *op = s->ops_first; op; op = next) {
        /* opt_one may remove op (then prev->next is its successor). */
        TCGOp *prev = op->prev;
        opt_one(&c, op);
        TCGOp *cur = prev ? prev->next : s->ops_first;
        next = cur == op ? op->next : cur;
    }
}
