/*
 * Liveness analysis: one backward pass over the op list that fills each
 * op's dead_args (inputs whose value is not needed after the op, outputs
 * never read) and sync_args (outputs that must also be written to their
 * memory slot), and deletes ops without side effects whose outputs are
 * all dead.
 *
 * Each temp's state while walking backwards is a pair of bits:
 *   TS_DEAD  no later op reads the value from its register
 *   TS_MEM   a later point needs the value in its memory slot
 * Globals must be in memory at the end of every basic block, at helper
 * calls that read globals, and before ops that may fault (qemu_ld/st);
 * a helper that may write globals also kills their register copies.  TB
 * temps go to memory at block ends; EBB temps die there.  A conditional
 * branch only syncs (the fall-through path keeps its registers); a label
 * resets everything to the block-end state, which is why one pass is
 * enough even with loops.
 */
#include "tcg-internal.h"

enum {
    TS_DEAD = 1,
    TS_MEM = 2,
};

static void la_func_end(TCGContext *s)
{
    for (int i = 0; i < s->nb_temps; i++) {
        TCGTemp *t = &s->temps[i];
        t->state = t->kind == TEMP_GLOBAL ? TS_DEAD | TS_MEM : TS_DEAD;
    }
}

static void la_bb_end(TCGContext *s)
{
    for (int i = 0; i < s->nb_temps; i++) {
        TCGTemp *t = &s->temps[i];
        bool mem = t->kind == TEMP_GLOBAL || t->kind == TEMP_TB;
        t->state = mem ? TS_DEAD | TS_MEM : TS_DEAD;
    }
}

static void la_bb_sync(TCGContext *s)
{
    for (int i = 0; i < s->nb_temps; i++) {
        TCGTemp *t = &s->temps[i];
        if (t->kind == TEMP_GLOBAL || t->kind == TEMP_TB)
            t->state |= TS_MEM;
    }
}

static void la_global_sync(TCGContext *s)
{
    for (int i = 0; i < s->nb_globals; i++)
        if (s->temps[i].kind == TEMP_GLOBAL)
            s->temps[i].state |= TS_MEM;
}

static void la_global_kill(TCGContext *s)
{
    for (int i = 0; i < s->nb_globals; i++)
        if (s->temps[i].kind == TEMP_GLOBAL)
            s->temps[i].state = TS_DEAD | TS_MEM;
}

/* Outputs: note which die or need a sync; before the op they are dead. */
static void la_outputs(TCGOp *op, int nb_o)
{
    for (int i = 0; i < nb_o; i++) {
        TCGTemp *t = arg_temp(op->args[i]);
        if (t->state & TS_DEAD)
            op->dead_args |= 1u << i;
        if (t->state & TS_MEM)
            op->sync_args |= 1u << i;
        t->state = TS_DEAD;
    }
}

static void la_inputs(TCGOp *op, int nb_o, int nb_i)
{
    for (int i = nb_o; i < nb_o + nb_i; i++) {
        TCGTemp *t = arg_temp(op->args[i]);
        if ((t->state & TS_DEAD) && t->kind != TEMP_FIXED)
            op->dead_args |= 1u << i;
    }
    for (int i = nb_o; i < nb_o + nb_i; i++)
        arg_temp(op->args[i])->state &= ~(uintptr_t)TS_DEAD;
}

static bool outputs_all_dead(const TCGOp *op, int nb_o)
{
    for (int i = 0; i < nb_o; i++)
        if (arg_temp(op->args[i])->state != TS_DEAD)
            return false;
    return nb_o > 0;
}

/* Returns false if the call was removed. */
static bool la_call(TCGContext *s, TCGOp *op)
{
    int nb_o = op->nb_oargs, nb_i = op->nb_iargs;
    unsigned flags = (unsigned)op->args[nb_o + nb_i + 1];

    if ((flags & TCG_CALL_NO_SIDE_EFFECTS) && outputs_all_dead(op, nb_o)) {
        tcg_op_remove(s, op);
        return false;
    }
    la_outputs(op, nb_o);
    if (!(flags & TCG_CALL_NO_WRITE_GLOBALS))
        la_global_kill(s);
    else if (!(flags & TCG_CALL_NO_READ_GLOBALS))
        la_global_sync(s);
    la_inputs(op, nb_o, nb_i);
    return true;
}

static void la_op(TCGContext *s, TCGOp *op)
{
    const TCGOpDef *def = &tcg_op_defs[op->opc];
    int nb_o = def->nb_oargs, nb_i = def->nb_iargs;

    if (!(def->flags & (TCG_OPF_SIDE_EFFECTS | TCG_OPF_BB_END)) &&
        outputs_all_dead(op, nb_o)) {
        tcg_op_remove(s, op);
        return;
    }
    la_outputs(op, nb_o);
    if (def->flags & TCG_OPF_BB_EXIT)
        la_func_end(s);
    else if (def->flags & TCG_OPF_COND_BRANCH)
        la_bb_sync(s);
    else if (def->flags & TCG_OPF_BB_END)
        la_bb_end(s);
    else if (op->opc == INDEX_op_qemu_ld || op->opc == INDEX_op_qemu_st)
        la_global_sync(s);
    la_inputs(op, nb_o, nb_i);
}

void tcg_liveness_analysis(TCGContext *s)
{
    TCGOp *op, *prev;

    la_func_end(s);
    for (op = s->ops_last; op; op = prev) {
        prev = op->prev;
        op->dead_args = 0;
        op->sync_args = 0;
        switch (op->opc) {
        case INDEX_op_call:
            la_call(s, op);
            break;
        case INDEX_op_insn_start:
            break;
        case INDEX_op_set_label:
            la_bb_end(s);
            break;
        case INDEX_op_discard:
            arg_temp(op->args[0])->state = TS_DEAD;
            break;
        default:
            la_op(s, op);
            break;
        }
    }
    s->liveness_done = true;
}
