/*
 * Liveness analysis: one backward pass over the op list that fills each
 * op's dead_args (inputs whose value is not needed after the op, outputs
 * never read) and sync_args (outputs that must also be written to their
 * memory slot), deletes ops without side effects whose outputs are
 * all dead, and lets an op write straight into the register a mov then
 * copies its result to (la_output_into_mov).
 *
 * Each temp's state while walking backwards is a pair of bits, kept as
 * two bitsets indexed by temp index (so the rules below are a few word
 * operations, not walks over every temp):
 *   dead  no later op reads the value from its register
 *   mem   a later point needs the value in its memory slot
 * Globals must be in memory at the end of every basic block, at helper
 * calls that read globals, and before ops that may fault (qemu_ld/st);
 * a helper that may write globals also kills their register copies.  TB
 * temps go to memory at block ends; EBB temps die there.  A conditional
 * branch only syncs (the fall-through path keeps its registers); a label
 * resets everything to the block-end state, which is why one pass is
 * enough even with loops.
 */
#include "tcg-internal.h"

#include <string.h>

#define LA_WORDS (TCG_MAX_TEMPS / 64)

typedef struct LaState {
    uint64_t dead[LA_WORDS], mem[LA_WORDS];
    uint64_t globals[LA_WORDS]; /* kind TEMP_GLOBAL */
    /* The globals an access that may fault needs in env: all but the
       fault_restored ones. */
    uint64_t fault_sync[LA_WORDS];
    uint64_t in_mem[LA_WORDS];  /* TEMP_GLOBAL or TEMP_TB: kept in memory */
    int words;                  /* words covering nb_temps */
} LaState;

static bool la_test(const uint64_t *set, int i)
{
    return (set[i / 64] >> (i % 64)) & 1;
}

static void la_set(uint64_t *set, int i)
{
    set[i / 64] |= 1ull << (i % 64);
}

static void la_clear(uint64_t *set, int i)
{
    set[i / 64] &= ~(1ull << (i % 64));
}

static void la_func_end(LaState *la)
{
    for (int w = 0; w < la->words; w++) {
        la->dead[w] = ~0ull;
        la->mem[w] = la->globals[w];
    }
}

static void la_bb_end(LaState *la)
{
    for (int w = 0; w < la->words; w++) {
        la->dead[w] = ~0ull;
        la->mem[w] = la->in_mem[w];
    }
}

static void la_bb_sync(LaState *la)
{
    for (int w = 0; w < la->words; w++)
        la->mem[w] |= la->in_mem[w];
}

static void la_global_sync(LaState *la)
{
    for (int w = 0; w < la->words; w++)
        la->mem[w] |= la->globals[w];
}

static void la_fault_sync(LaState *la)
{
    for (int w = 0; w < la->words; w++)
        la->mem[w] |= la->fault_sync[w];
}

static void la_global_kill(LaState *la)
{
    for (int w = 0; w < la->words; w++) {
        la->dead[w] |= la->globals[w];
        la->mem[w] |= la->globals[w];
    }
}

/* Outputs: note which die or need a sync; before the op they are dead. */
static void la_outputs(LaState *la, TCGOp *op, int nb_o)
{
    for (int i = 0; i < nb_o; i++) {
        int t = temp_idx(arg_temp(op->args[i]));
        if (la_test(la->dead, t))
            op->dead_args |= 1u << i;
        if (la_test(la->mem, t))
            op->sync_args |= 1u << i;
        la_set(la->dead, t);
        la_clear(la->mem, t);
    }
}

static void la_inputs(LaState *la, TCGOp *op, int nb_o, int nb_i)
{
    for (int i = nb_o; i < nb_o + nb_i; i++) {
        TCGTemp *ts = arg_temp(op->args[i]);
        if (la_test(la->dead, temp_idx(ts)) && ts->kind != TEMP_FIXED)
            op->dead_args |= 1u << i;
    }
    for (int i = nb_o; i < nb_o + nb_i; i++)
        la_clear(la->dead, temp_idx(arg_temp(op->args[i])));
}

/* Every output dead and not needed in memory. */
static bool outputs_all_dead(const LaState *la, const TCGOp *op, int nb_o)
{
    for (int i = 0; i < nb_o; i++) {
        int t = temp_idx(arg_temp(op->args[i]));
        if (!la_test(la->dead, t) || la_test(la->mem, t))
            return false;
    }
    return nb_o > 0;
}

/* Returns false if the call was removed. */
static bool la_call(TCGContext *s, LaState *la, TCGOp *op)
{
    int nb_o = op->nb_oargs, nb_i = op->nb_iargs;
    unsigned flags = (unsigned)op->args[nb_o + nb_i + 1];

    if ((flags & TCG_CALL_NO_SIDE_EFFECTS) && outputs_all_dead(la, op, nb_o)) {
        tcg_op_remove(s, op);
        return false;
    }
    la_outputs(la, op, nb_o);
    if (!(flags & TCG_CALL_NO_WRITE_GLOBALS))
        la_global_kill(la);
    else if (!(flags & TCG_CALL_NO_READ_GLOBALS))
        la_global_sync(la);
    la_inputs(la, op, nb_o, nb_i);
    return true;
}

static bool op_commutes(TCGOpcode opc)
{
    return opc == INDEX_op_add || opc == INDEX_op_mul ||
           opc == INDEX_op_and || opc == INDEX_op_or || opc == INDEX_op_xor;
}

/*
 * "op t, ...; mov g, t" where t dies at the mov (a frontend computing
 * into a scratch temp, then writing the guest register): op writes g
 * itself, and the mov goes.  The mov, already walked, left g's state as
 * op's output needs it and its flags for g are op's; t is dead again.
 */
static bool la_output_into_mov(TCGContext *s, LaState *la, TCGOp *op,
                               int nb_o)
{
    TCGOp *mv = op->next;
    TCGTemp *t, *g;

    if (nb_o != 1 || !mv || mv->opc != INDEX_op_mov || mv->type != op->type ||
        !(mv->dead_args & 2) || arg_temp(mv->args[1]) != arg_temp(op->args[0]))
        return false;
    t = arg_temp(op->args[0]);
    g = arg_temp(mv->args[0]);
    if (t->kind != TEMP_EBB || g->kind == TEMP_FIXED || g->kind == TEMP_CONST)
        return false;
    op->args[0] = mv->args[0];
    if (op_commutes(op->opc) && op->args[2] == op->args[0]) {
        /* Two-address hosts then work in place: "g = x op g". */
        op->args[2] = op->args[1];
        op->args[1] = op->args[0];
    }
    op->dead_args |= mv->dead_args & 1;
    op->sync_args |= mv->sync_args & 1;
    tcg_op_remove(s, mv);
    la_set(la->dead, temp_idx(t));
    return true;
}

static void la_op(TCGContext *s, LaState *la, TCGOp *op)
{
    const TCGOpDef *def = &tcg_op_defs[op->opc];
    int nb_o = def->nb_oargs, nb_i = def->nb_iargs;

    if (!(def->flags & (TCG_OPF_SIDE_EFFECTS | TCG_OPF_BB_END)) &&
        outputs_all_dead(la, op, nb_o)) {
        tcg_op_remove(s, op);
        return;
    }
    /* (Into a mov's output: its flags and state are the mov's.) */
    if ((def->flags & TCG_OPF_BB_END) || !la_output_into_mov(s, la, op, nb_o))
        la_outputs(la, op, nb_o);
    if (def->flags & TCG_OPF_BB_EXIT)
        la_func_end(la);
    else if (def->flags & TCG_OPF_COND_BRANCH)
        la_bb_sync(la);
    else if (def->flags & TCG_OPF_BB_END)
        la_bb_end(la);
    else if (op->opc == INDEX_op_qemu_ld || op->opc == INDEX_op_qemu_st)
        la_fault_sync(la);
    la_inputs(la, op, nb_o, nb_i);
}

void tcg_liveness_analysis(TCGContext *s)
{
    LaState la;
    TCGOp *op, *prev;

    la.words = (s->nb_temps + 63) / 64;
    memset(la.globals, 0, sizeof(la.globals));
    memset(la.in_mem, 0, sizeof(la.in_mem));
    for (int i = 0; i < s->nb_temps; i++) {
        TCGTempKind k = s->temps[i].kind;
        if (k == TEMP_GLOBAL)
            la_set(la.globals, i);
        if (k == TEMP_GLOBAL || k == TEMP_TB)
            la_set(la.in_mem, i);
    }
    for (int w = 0; w < la.words; w++)
        la.fault_sync[w] = la.globals[w] & ~s->fault_restored[w];
    la_func_end(&la);
    for (op = s->ops_last; op; op = prev) {
        prev = op->prev;
        op->dead_args = 0;
        op->sync_args = 0;
        switch (op->opc) {
        case INDEX_op_call:
            la_call(s, &la, op);
            break;
        case INDEX_op_insn_start:
            break;
        case INDEX_op_set_label:
            la_bb_end(&la);
            break;
        case INDEX_op_discard: {
            int t = temp_idx(arg_temp(op->args[0]));
            la_set(la.dead, t);
            la_clear(la.mem, t);
            break;
        }
        default:
            la_op(s, &la, op);
            break;
        }
    }
    s->liveness_done = true;
}
