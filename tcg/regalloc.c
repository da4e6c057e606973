/*
 * Register allocation and the code generation driver (tcg_gen_code).
 *
 * Every temp has a location (TCGTemp.val_type): a host register, its
 * memory slot (a global's env field, or a frame slot for EBB/TB temps
 * allocated on first spill), a constant not yet materialized, or dead.
 * Ops are allocated one at a time, forward, using the backend's per-op
 * constraints: inputs are loaded into acceptable registers (or passed as
 * immediates), inputs that die are released, clobbered registers are
 * emptied, outputs get a register (the aliased input's for two-address
 * forms), the backend emits the op, and outputs that liveness marked are
 * written back or released.
 *
 * Invariants:
 * - Guest globals stay in host registers for the whole TB; they are
 *   written back ("synced") only where liveness says their memory copy is
 *   needed: block ends, helper calls that read or write globals (the
 *   latter also drop the registers), and ops that may fault (qemu_ld/st).
 * - At a label everything is in its canonical place: globals and TB temps
 *   in memory, EBB temps dead, constants unmaterialized.  A conditional
 *   branch only syncs, so the fall-through path keeps its registers.
 * - A helper call clobbers the host's caller-saved registers: live values
 *   there move to free callee-saved registers, or are spilled.
 * - A pinned global (tcg_global_pin) is always in its home register, a
 *   reserved one, at every label and across TBs: nothing syncs or frees
 *   it; an op that would destroy an input in place works on a copy unless
 *   it writes that same global; an output computed elsewhere is moved
 *   home.  Its env copy is written only where C code may read it (helper
 *   calls that read or write globals, the slow paths, the exit to C) and
 *   reread after calls that write globals.
 */
#include "tcg-internal.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "mimic/log.h"

#define IS_DEAD_ARG(n) ((op->dead_args >> (n)) & 1)
#define NEED_SYNC_ARG(n) ((op->sync_args >> (n)) & 1)

static bool temp_is_const(const TCGTemp *ts)
{
    return ts->val_type == TEMP_VAL_CONST;
}

static void temp_allocate_frame(TCGContext *s, TCGTemp *ts)
{
    if (s->current_frame_offset + 8 > s->frame_end) {
        s->overflow = true; /* the TB is discarded; keep going safely */
        ts->mem_offset = s->frame_start;
    } else {
        ts->mem_offset = s->current_frame_offset;
        s->current_frame_offset += 8;
    }
    ts->mem_base = s->frame_temp;
    ts->mem_allocated = true;
}

static void held_set(TCGContext *s, TCGTemp *ts)
{
    int i = temp_idx(ts);
    s->held[i / 64] |= 1ull << (i % 64);
}

static void held_clear(TCGContext *s, TCGTemp *ts)
{
    int i = temp_idx(ts);
    s->held[i / 64] &= ~(1ull << (i % 64));
}

/*
 * The first held temp with index in [i, hi), or hi.  Loops re-read the set
 * after each step: acting on a temp may release others (already in their
 * canonical place then), never hold a new one.
 */
static int held_next(TCGContext *s, int i, int hi)
{
    while (i < hi) {
        uint64_t m = s->held[i / 64] >> (i % 64);
        if (m)
            return i + __builtin_ctzll(m) < hi ? i + __builtin_ctzll(m) : hi;
        i = (i / 64 + 1) * 64;
    }
    return hi;
}

static void set_temp_reg(TCGContext *s, TCGTemp *ts, int reg)
{
    assert(!ts->pinned);
    if (ts->kind != TEMP_FIXED)
        held_set(s, ts);
    ts->val_type = TEMP_VAL_REG;
    ts->reg = (int8_t)reg;
    s->reg_to_temp[reg] = ts;
}

/* Releases ts's register; dead: the value is gone, else kept in memory. */
static void temp_free_or_dead(TCGContext *s, TCGTemp *ts, bool dead)
{
    if (ts->kind == TEMP_FIXED || ts->pinned)
        return;
    if (ts->val_type == TEMP_VAL_REG)
        s->reg_to_temp[ts->reg] = NULL;
    held_clear(s, ts);
    ts->reg = -1;
    switch (ts->kind) {
    case TEMP_GLOBAL:
    case TEMP_TB:
        ts->val_type = TEMP_VAL_MEM;
        break;
    case TEMP_EBB:
        ts->val_type = dead ? TEMP_VAL_DEAD : TEMP_VAL_MEM;
        break;
    case TEMP_CONST:
        ts->val_type = TEMP_VAL_CONST;
        break;
    default:
        break;
    }
}

static void temp_dead(TCGContext *s, TCGTemp *ts)
{
    temp_free_or_dead(s, ts, true);
}

static int reg_alloc(TCGContext *s, TCGRegSet required, TCGRegSet allocated,
                     TCGRegSet pref);

/* Makes ts's memory slot hold its value (the register copy is kept). */
static void temp_sync(TCGContext *s, TCGTemp *ts, TCGRegSet allocated)
{
    if (ts->kind == TEMP_FIXED || ts->kind == TEMP_CONST || ts->pinned ||
        ts->mem_coherent)
        return;
    if (!ts->mem_allocated)
        temp_allocate_frame(s, ts);
    switch (ts->val_type) {
    case TEMP_VAL_CONST:
        if (!tcg_out_sti(s, ts->type, ts->val, ts->mem_base->reg,
                         ts->mem_offset)) {
            /* A transient register: the temp stays a constant. */
            int r = reg_alloc(s, tcg_target_available_regs, allocated, 0);
            tcg_out_movi(s, ts->type, r, ts->val);
            tcg_out_st(s, ts->type, r, ts->mem_base->reg, ts->mem_offset);
        }
        break;
    case TEMP_VAL_REG:
        tcg_out_st(s, ts->type, ts->reg, ts->mem_base->reg, ts->mem_offset);
        break;
    case TEMP_VAL_MEM:
    case TEMP_VAL_DEAD:
        break;
    }
    ts->mem_coherent = true;
}

/* Writes back (if needed) and releases ts's register. */
static void temp_save(TCGContext *s, TCGTemp *ts, TCGRegSet allocated)
{
    temp_sync(s, ts, allocated);
    temp_free_or_dead(s, ts, false);
}

/* Empties reg: its temp moves to a free register outside avoid, or spills. */
static void reg_evict(TCGContext *s, int reg, TCGRegSet avoid)
{
    TCGTemp *ts = s->reg_to_temp[reg];

    if (!ts)
        return;
    assert(!ts->pinned); /* home registers are reserved */
    if (ts->kind != TEMP_CONST) {
        TCGRegSet ok = tcg_target_available_regs & ~avoid & ~s->reserved_regs &
                       ~tcg_regset_bit(reg);
        for (int i = 0; i < tcg_target_reg_alloc_order_len; i++) {
            int r = tcg_target_reg_alloc_order[i];
            if (tcg_regset_test(ok, r) && !s->reg_to_temp[r]) {
                tcg_out_mov(s, ts->type, r, reg);
                s->reg_to_temp[reg] = NULL;
                set_temp_reg(s, ts, r);
                return;
            }
        }
        s->stat_spills++;
    }
    temp_save(s, ts, avoid | tcg_regset_bit(reg));
}

/* A register in required, not in allocated; free ones first. */
static int reg_alloc(TCGContext *s, TCGRegSet required, TCGRegSet allocated,
                     TCGRegSet pref)
{
    TCGRegSet set = required & ~allocated & ~s->reserved_regs;
    const int *order = tcg_target_reg_alloc_order;
    int n = tcg_target_reg_alloc_order_len;

    if (!set) {
        fprintf(stderr,
                "tcg: register allocation failed (constraint unsatisfiable)\n");
        abort();
    }
    pref &= set;
    for (int i = 0; i < n && pref; i++)
        if (tcg_regset_test(pref, order[i]) && !s->reg_to_temp[order[i]])
            return order[i];
    for (int i = 0; i < n; i++)
        if (tcg_regset_test(set, order[i]) && !s->reg_to_temp[order[i]])
            return order[i];
    /* Everything is taken: evict, preferring a value memory already holds. */
    for (int i = 0; i < n; i++) {
        int r = order[i];
        TCGTemp *ts = s->reg_to_temp[r];
        if (tcg_regset_test(set, r) &&
            (ts->mem_coherent || ts->kind == TEMP_CONST)) {
            reg_evict(s, r, allocated | required);
            return r;
        }
    }
    for (int i = 0; i < n; i++) {
        int r = order[i];
        if (tcg_regset_test(set, r)) {
            reg_evict(s, r, allocated | required);
            return r;
        }
    }
    abort();
}

/* Emits code putting ts's value in reg without changing ts's location. */
static void temp_copy_to(TCGContext *s, TCGTemp *ts, int reg)
{
    switch (ts->val_type) {
    case TEMP_VAL_REG:
        if (ts->reg != reg)
            tcg_out_mov(s, ts->type, reg, ts->reg);
        break;
    case TEMP_VAL_CONST:
        tcg_out_movi(s, ts->type, reg, ts->val);
        break;
    case TEMP_VAL_MEM:
        tcg_out_ld(s, ts->type, reg, ts->mem_base->reg, ts->mem_offset);
        break;
    case TEMP_VAL_DEAD:
        break; /* reading an undefined temp: any value will do */
    }
}

/* Puts ts in a register of required (binding it there); returns it. */
static int temp_load(TCGContext *s, TCGTemp *ts, TCGRegSet required,
                     TCGRegSet allocated, TCGRegSet pref)
{
    int reg;

    if (ts->val_type == TEMP_VAL_REG && tcg_regset_test(required, ts->reg))
        return ts->reg;
    /* A fixed register (env) satisfies any general register constraint. */
    if (ts->kind == TEMP_FIXED && __builtin_popcountll(required) > 1)
        return ts->reg;
    /* A pinned global never leaves home: elsewhere, a copy. */
    if (ts->pinned) {
        if (tcg_regset_test(required, ts->reg))
            return ts->reg;
        reg = reg_alloc(s, required, allocated, pref);
        tcg_out_mov(s, ts->type, reg, ts->reg);
        return reg;
    }
    reg = reg_alloc(s, required, allocated, pref);
    temp_copy_to(s, ts, reg);
    if (ts->val_type == TEMP_VAL_REG) {
        s->reg_to_temp[ts->reg] = NULL;
    } else if (ts->val_type == TEMP_VAL_MEM) {
        ts->mem_coherent = true;
    } else {
        ts->mem_coherent = false;
    }
    set_temp_reg(s, ts, reg);
    return reg;
}

/* Only held temps can differ from their canonical place (memory, dead or
   unmaterialized constant), so only they are visited. */
static void save_globals(TCGContext *s, TCGRegSet allocated)
{
    int n = s->nb_globals;

    for (int i = held_next(s, 0, n); i < n; i = held_next(s, i + 1, n))
        temp_save(s, &s->temps[i], allocated);
}

static void sync_globals(TCGContext *s, TCGRegSet allocated)
{
    int n = s->nb_globals;

    for (int i = held_next(s, 0, n); i < n; i = held_next(s, i + 1, n))
        temp_sync(s, &s->temps[i], allocated);
}

/* Before an access that may fault: the globals the target does not
   restore itself (tcg_global_fault_restored_i32). */
static void sync_globals_for_fault(TCGContext *s, TCGRegSet allocated)
{
    int n = s->nb_globals;

    for (int i = held_next(s, 0, n); i < n; i = held_next(s, i + 1, n)) {
        if (!(s->fault_restored[i / 64] >> (i % 64) & 1))
            temp_sync(s, &s->temps[i], allocated);
    }
}

/* End of a basic block: everything to its canonical place. */
/*
 * User mode's range checks (tcg/x86_64/ldst.c): an access whose base temp
 * an earlier access of the same basic block checked, and which nothing
 * wrote since but additions of constants (delta, their sum; a PUSH after
 * a PUSH), needs no check of its own when delta plus its offset is within
 * the guard.  The earlier access went on only with a base below the
 * limit (its inline check passed), or through its slow path, which
 * returned only after a valid access: from a base at or above the limit,
 * only a sum that wrapped below 0 reaches a guest page, so the base is
 * within the guard of 0 and the later base + delta + offset lands within
 * twice the guard below guest_base, which linux-user/mmap.c keeps
 * inaccessible (so: only under TCGRuntime.guest_guard, and only with slow
 * paths that fault rather than return for an address outside the
 * space).  Other writes of a temp, calls (which may write globals) and
 * block ends forget.
 */
static int checked_find(TCGContext *s, const TCGTemp *ts)
{
    for (int i = 0; i < s->nb_checked_bases; i++)
        if (s->checked_bases[i].ts == ts)
            return i;
    return -1;
}

static void checked_forget(TCGContext *s, const TCGTemp *ts)
{
    int i = checked_find(s, ts);

    if (i >= 0)
        s->checked_bases[i] = s->checked_bases[--s->nb_checked_bases];
}

/* The access at ts + offset being emitted: whether it may skip its check;
   ts is checked (at its current value, delta 0) after it either way. */
static bool checked_access(TCGContext *s, TCGTemp *ts, int64_t offset)
{
    int i = checked_find(s, ts);
    int64_t reach = (int64_t)tcg_runtime.guest_guard - 16;

    if (i >= 0) {
        int64_t d = s->checked_bases[i].delta + offset;

        if (d >= -reach && d <= reach)
            return true;
        s->checked_bases[i].delta = 0;
        return false;
    }
    if (s->nb_checked_bases <
        (int)(sizeof(s->checked_bases) / sizeof(s->checked_bases[0]))) {
        s->checked_bases[s->nb_checked_bases].ts = ts;
        s->checked_bases[s->nb_checked_bases++].delta = 0;
    }
    return false;
}

/* After op wrote its outputs: "t = t + c" keeps t checked, c added to
   its delta (while the delta stays within the guard); any other write
   forgets. */
static void checked_written(TCGContext *s, const TCGOp *op, int nb_o)
{
    if (nb_o == 1 && op->type == TCG_TYPE_I64 &&
        (op->opc == INDEX_op_add || op->opc == INDEX_op_sub) &&
        op->args[1] == op->args[0] && temp_is_const(arg_temp(op->args[2]))) {
        int i = checked_find(s, arg_temp(op->args[0]));
        int64_t c = arg_temp(op->args[2])->val, d;

        if (i < 0)
            return;
        d = s->checked_bases[i].delta;
        if (c > -(1ll << 31) && c < (1ll << 31)) {
            d += op->opc == INDEX_op_add ? c : -c;
            if (d >= -(int64_t)tcg_runtime.guest_guard &&
                d <= (int64_t)tcg_runtime.guest_guard) {
                s->checked_bases[i].delta = d;
                return;
            }
        }
    }
    for (int o = 0; o < nb_o; o++)
        checked_forget(s, arg_temp(op->args[o]));
}

static void reg_alloc_bb_end(TCGContext *s, TCGRegSet allocated, bool exiting)
{
    s->nb_checked_bases = 0;
    int g = s->nb_globals, n = s->nb_temps;

    for (int i = held_next(s, g, n); i < n; i = held_next(s, i + 1, n)) {
        TCGTemp *ts = &s->temps[i];
        if (ts->kind == TEMP_TB && !exiting)
            temp_save(s, ts, allocated);
        else
            temp_dead(s, ts);
    }
    save_globals(s, allocated);
}

/* Before a conditional branch: memory copies valid, registers kept. */
static void reg_alloc_cbranch(TCGContext *s, TCGRegSet allocated)
{
    int g = s->nb_globals, n = s->nb_temps;

    for (int i = held_next(s, g, n); i < n; i = held_next(s, i + 1, n))
        if (s->temps[i].kind == TEMP_TB)
            temp_sync(s, &s->temps[i], allocated);
    sync_globals(s, allocated);
}

/* Handles sync/dead of output ts after the op wrote it. */
static void output_done(TCGContext *s, TCGTemp *ts, bool sync, bool dead,
                        TCGRegSet allocated)
{
    if (sync)
        temp_sync(s, ts, allocated);
    if (dead)
        temp_dead(s, ts);
}

static void bind_output(TCGContext *s, TCGTemp *ts, int reg)
{
    if (ts->kind == TEMP_FIXED || ts->kind == TEMP_CONST) {
        fprintf(stderr, "tcg: writing a fixed or constant temp\n");
        abort();
    }
    if (ts->pinned) {
        /* The value computed in reg goes home. */
        if (reg != ts->reg)
            tcg_out_mov(s, ts->type, ts->reg, reg);
        return;
    }
    if (ts->val_type == TEMP_VAL_REG && ts->reg != reg)
        s->reg_to_temp[ts->reg] = NULL;
    set_temp_reg(s, ts, reg);
    ts->mem_coherent = false;
}

static void reg_alloc_mov(TCGContext *s, const TCGOp *op)
{
    TCGTemp *ots = arg_temp(op->args[0]), *ts = arg_temp(op->args[1]);
    TCGRegSet allocated = s->reserved_regs;
    bool odead = IS_DEAD_ARG(0), osync = NEED_SYNC_ARG(0);

    checked_forget(s, ots);

    if (ots == ts) {
        output_done(s, ots, osync, odead, allocated);
        return;
    }
    if (ots->pinned) {
        if (temp_is_const(ts))
            tcg_out_movi(s, ots->type, ots->reg, ts->val);
        else
            temp_copy_to(s, ts, ots->reg);
        if (IS_DEAD_ARG(1))
            temp_dead(s, ts);
        return;
    }
    if (temp_is_const(ts)) {
        int64_t val = ts->val;
        if (ots->val_type == TEMP_VAL_REG)
            s->reg_to_temp[ots->reg] = NULL;
        ots->reg = -1;
        ots->val_type = TEMP_VAL_CONST;
        held_set(s, ots);
        ots->val = val;
        ots->mem_coherent = false;
        if (IS_DEAD_ARG(1))
            temp_dead(s, ts);
        output_done(s, ots, osync, odead, allocated);
        return;
    }
    /* A pinned source is read at home (its register is reserved). */
    int ireg = ts->pinned ? ts->reg
                          : temp_load(s, ts, tcg_target_available_regs,
                                      allocated, 0);
    if (odead && osync && ots->kind == TEMP_GLOBAL) {
        /* Wanted only in memory: stored from where the value is. */
        tcg_out_st(s, ots->type, ireg, ots->mem_base->reg, ots->mem_offset);
        temp_dead(s, ots);
        ots->mem_coherent = true;
        if (IS_DEAD_ARG(1))
            temp_dead(s, ts);
        return;
    }
    if (IS_DEAD_ARG(1) && ts->kind != TEMP_FIXED && !ts->pinned) {
        temp_dead(s, ts);
        bind_output(s, ots, ireg);
    } else {
        int oreg;
        if (ots->val_type == TEMP_VAL_REG && ots->reg != ireg)
            oreg = ots->reg;
        else
            oreg = reg_alloc(s, tcg_target_available_regs,
                             allocated | tcg_regset_bit(ireg), 0);
        tcg_out_mov(s, ots->type, oreg, ireg);
        bind_output(s, ots, oreg);
    }
    output_done(s, ots, osync, odead, allocated);
}

/* Whether ots, written by op, is a pinned global whose home can take the
   op's destroyed input: allowed there by ok, not taken (taken), and
   not read by op (its old value is then dead). */
static bool home_is_free_output(const TCGOp *op, const TCGTemp *ots,
                                TCGRegSet ok, TCGRegSet taken)
{
    int nb_o = tcg_op_defs[op->opc].nb_oargs,
        nb_i = tcg_op_defs[op->opc].nb_iargs;

    if (!ots->pinned || !tcg_regset_test(ok, ots->reg) ||
        tcg_regset_test(taken, ots->reg))
        return false;
    for (int i = nb_o; i < nb_o + nb_i; i++)
        if (arg_temp(op->args[i]) == ots)
            return false;
    return true;
}

/* Loads the inputs of op per constraints; fills args/const_args. */
static TCGRegSet alloc_inputs(TCGContext *s, const TCGOp *op,
                              const TCGOpConstraints *c, TCGArg *args,
                              bool *const_args, TCGRegSet *copies)
{
    int nb_o = tcg_op_defs[op->opc].nb_oargs,
        nb_i = tcg_op_defs[op->opc].nb_iargs;
    TCGRegSet i_alloc = 0;

    *copies = 0;
    for (int k = 0; k < nb_i; k++) {
        int i = c->sort_in[k];
        const TCGArgConstraint *ct = &c->args[i];
        TCGTemp *ts = arg_temp(op->args[i]);
        TCGRegSet regs = ct->regs;
        bool owned = ct->alias >= 0 || (regs & ~c->clobber) == 0;
        int reg;

        if (temp_is_const(ts) && ct->ct &&
            tcg_target_const_match(ts->val, op->type, ct->ct)) {
            const_args[i] = true;
            args[i] = (TCGArg)ts->val;
            continue;
        }
        if (!owned)
            regs &= ~c->clobber;
        if (ts->pinned && ct->alias >= 0 &&
            arg_temp(op->args[ct->alias]) == ts &&
            tcg_regset_test(regs, ts->reg)) {
            /* The op writes the global it reads: in place, at home. */
            reg = ts->reg;
        } else if (ct->alias >= 0 && nb_o == 1 &&
                   home_is_free_output(op, arg_temp(op->args[ct->alias]),
                                       regs, i_alloc)) {
            /* The op writes a pinned global that it does not read: it
               works at that home, on a copy of this input put there. */
            reg = arg_temp(op->args[ct->alias])->reg;
            temp_copy_to(s, ts, reg);
            *copies |= tcg_regset_bit(reg);
        } else if (owned &&
                   (!IS_DEAD_ARG(i) || ts->kind == TEMP_FIXED || ts->pinned)) {
            /* The op destroys this register: work on a copy. */
            reg = reg_alloc(s, regs, i_alloc, 0);
            temp_copy_to(s, ts, reg);
            *copies |= tcg_regset_bit(reg);
        } else {
            reg = temp_load(s, ts, regs, i_alloc, 0);
        }
        args[i] = (TCGArg)reg;
        i_alloc |= tcg_regset_bit(reg);
    }
    (void)nb_o;
    return i_alloc;
}

static void reg_alloc_op(TCGContext *s, const TCGOp *op)
{
    const TCGOpDef *def = &tcg_op_defs[op->opc];
    const TCGOpConstraints *c = tcg_op_constraints(op->opc, op->type);
    int nb_o = def->nb_oargs, nb_i = def->nb_iargs;
    TCGArg args[TCG_MAX_OP_ARGS];
    bool const_args[TCG_MAX_OP_ARGS] = {false};
    TCGRegSet i_alloc, copies, dead_regs = 0, o_alloc = 0;

    if (!c->present) {
        fprintf(stderr, "tcg: the host backend lacks %s_i%d\n", def->name,
                op->type == TCG_TYPE_I32 ? 32 : 64);
        abort();
    }
    for (int i = 0; i < def->nb_cargs; i++)
        args[nb_o + nb_i + i] = op->args[nb_o + nb_i + i];
    if (op->opc == INDEX_op_qemu_ld || op->opc == INDEX_op_qemu_st)
        sync_globals_for_fault(s, s->reserved_regs);

    i_alloc = alloc_inputs(s, op, c, args, const_args, &copies);

    /* Inputs that die here release their registers. */
    for (int i = nb_o; i < nb_o + nb_i; i++) {
        TCGTemp *ts = arg_temp(op->args[i]);
        if (IS_DEAD_ARG(i)) {
            if (!const_args[i] && ts->val_type == TEMP_VAL_REG &&
                !tcg_regset_test(copies, (int)args[i]))
                dead_regs |= tcg_regset_bit(ts->reg);
            temp_dead(s, ts);
        }
    }
    if (def->flags & TCG_OPF_BB_END) {
        if (def->flags & TCG_OPF_COND_BRANCH)
            reg_alloc_cbranch(s, i_alloc);
        else
            reg_alloc_bb_end(s, i_alloc, def->flags & TCG_OPF_BB_EXIT);
    }
    for (TCGRegSet m = c->clobber; m; m &= m - 1)
        reg_evict(s, __builtin_ctzll(m), i_alloc | c->clobber);

    for (int o = 0; o < nb_o; o++) {
        const TCGArgConstraint *ct = &c->args[o];
        TCGTemp *ts = arg_temp(op->args[o]);
        int reg = -1;

        for (int i = nb_o; i < nb_o + nb_i; i++)
            if (c->args[i].alias == o && !const_args[i])
                reg = (int)args[i];
        if (reg < 0 && ts->pinned && tcg_regset_test(ct->regs, ts->reg) &&
            !tcg_regset_test(o_alloc, ts->reg) &&
            !(ct->newreg && tcg_regset_test(i_alloc, ts->reg))) {
            /* Straight home (its old value, if an input, dies here). */
            reg = ts->reg;
        } else if (reg < 0) {
            TCGRegSet forbid =
                o_alloc | (ct->newreg ? i_alloc : (i_alloc & ~dead_regs));
            reg = reg_alloc(s, ct->regs, forbid, dead_regs);
        } else if (s->reg_to_temp[reg] && s->reg_to_temp[reg] != ts) {
            reg_evict(s, reg, i_alloc | o_alloc);
        }
        if (!ts->pinned)
            bind_output(s, ts, reg);
        args[o] = (TCGArg)reg;
        o_alloc |= tcg_regset_bit(reg);
    }

    s->cur_op = (TCGOp *)op;
    s->ldst_base_checked = false;
    if (tcg_runtime.direct && tcg_runtime.guest_guard &&
        (op->opc == INDEX_op_qemu_ld || op->opc == INDEX_op_qemu_st))
        s->ldst_base_checked =
            checked_access(s, arg_temp(op->args[1]),
                           get_memop_offset(op->args[2]));
    tcg_target_out_ops[op->opc].emit(s, op, args, const_args);
    checked_written(s, op, nb_o);

    /* Pinned outputs computed elsewhere go home now. */
    for (int o = 0; o < nb_o; o++)
        if (arg_temp(op->args[o])->pinned)
            bind_output(s, arg_temp(op->args[o]), (int)args[o]);
    for (int o = 0; o < nb_o; o++)
        output_done(s, arg_temp(op->args[o]), NEED_SYNC_ARG(o), IS_DEAD_ARG(o),
                    s->reserved_regs);
}

static void reg_alloc_call(TCGContext *s, const TCGOp *op)
{
    int nb_o = op->nb_oargs, nb_i = op->nb_iargs;
    const TCGHelperInfo *info = (const TCGHelperInfo *)op->args[nb_o + nb_i];
    unsigned flags = (unsigned)op->args[nb_o + nb_i + 1];

    s->nb_checked_bases = 0;
    TCGRegSet allocated = s->reserved_regs;
    TCGRegSet clobbered = tcg_target_call_clobber_regs;

    /* Pinned globals in registers the call clobbers go to env first (and
       arguments take them from there); all of them if the helper may
       read or write globals. */
    tcg_out_pinned_store(s, (flags & TCG_CALL_NO_RWG) == TCG_CALL_NO_RWG
                                ? clobbered : ~(TCGRegSet)0);
    for (int i = 0; i < nb_i; i++) {
        TCGTemp *ts = arg_temp(op->args[nb_o + i]);
        int reg = tcg_target_call_iarg_regs[i];
        TCGTemp *in = s->reg_to_temp[reg];

        bool from_env = ts->pinned && tcg_regset_test(clobbered, ts->reg);

        if (from_env || !(ts->val_type == TEMP_VAL_REG && ts->reg == reg)) {
            if (!(in && in->pinned))
                reg_evict(s, reg, allocated | clobbered);
            if (from_env)
                tcg_out_ld(s, ts->type, reg, ts->mem_base->reg,
                           ts->mem_offset);
            else
                temp_copy_to(s, ts, reg);
        }
        allocated |= tcg_regset_bit(reg);
    }
    for (int i = 0; i < nb_i; i++)
        if (IS_DEAD_ARG(nb_o + i))
            temp_dead(s, arg_temp(op->args[nb_o + i]));
    for (TCGRegSet m = clobbered; m; m &= m - 1) {
        TCGTemp *in = s->reg_to_temp[__builtin_ctzll(m)];
        if (!(in && in->pinned))
            reg_evict(s, __builtin_ctzll(m), allocated | clobbered);
    }
    if (!(flags & TCG_CALL_NO_WRITE_GLOBALS))
        save_globals(s, allocated);
    else if (!(flags & TCG_CALL_NO_READ_GLOBALS))
        sync_globals(s, allocated);

    tcg_out_call(s, info->func);
    s->stat_helper_calls_emitted++;
    tcg_out_pinned_load(s, (flags & TCG_CALL_NO_WRITE_GLOBALS) ? clobbered
                                                              : ~(TCGRegSet)0);

    if (nb_o) {
        TCGTemp *ts = arg_temp(op->args[0]);
        bind_output(s, ts, tcg_target_call_oarg_reg);
        output_done(s, ts, NEED_SYNC_ARG(0), IS_DEAD_ARG(0), s->reserved_regs);
    }
}

static void reg_alloc_start(TCGContext *s)
{
    memset(s->reg_to_temp, 0, sizeof(s->reg_to_temp));
    memset(s->held, 0, sizeof(s->held));
    s->nb_checked_bases = 0;
    for (int i = 0; i < s->nb_temps; i++) {
        TCGTemp *ts = &s->temps[i];
        switch (ts->kind) {
        case TEMP_GLOBAL:
            if (ts->pinned) {
                s->reg_to_temp[ts->reg] = ts;
                break;
            }
            ts->val_type = TEMP_VAL_MEM;
            ts->mem_coherent = true;
            ts->reg = -1;
            break;
        case TEMP_EBB:
        case TEMP_TB:
            ts->val_type = TEMP_VAL_DEAD;
            ts->mem_allocated = false;
            ts->mem_coherent = false;
            ts->reg = -1;
            break;
        case TEMP_CONST:
            ts->val_type = TEMP_VAL_CONST;
            ts->reg = -1;
            break;
        case TEMP_FIXED:
            break;
        }
    }
    s->current_frame_offset = s->frame_start;
}

/* The pinned globals whose homes are in regs: to env, and back. */
void tcg_out_pinned_store(TCGContext *s, TCGRegSet regs)
{
    for (int i = 0; i < s->nb_pinned; i++) {
        TCGTemp *ts = s->pinned[i];
        if (tcg_regset_test(regs, ts->reg))
            tcg_out_st(s, ts->type, ts->reg, ts->mem_base->reg,
                       ts->mem_offset);
    }
}

void tcg_out_pinned_load(TCGContext *s, TCGRegSet regs)
{
    for (int i = 0; i < s->nb_pinned; i++) {
        TCGTemp *ts = s->pinned[i];
        if (tcg_regset_test(regs, ts->reg))
            tcg_out_ld(s, ts->type, ts->reg, ts->mem_base->reg,
                       ts->mem_offset);
    }
}

static void label_resolve(TCGContext *s, TCGLabel *l)
{
    l->has_value = true;
    l->value = (uintptr_t)s->code_ptr;
    for (TCGRelocation *r = l->relocs; r; r = r->next) {
        if (!tcg_patch_reloc(s, r->ptr, r->type, (intptr_t)l->value, r->addend))
            s->overflow = true;
    }
    l->relocs = NULL;
}

static void insn_close(TCGContext *s)
{
    if (s->cur_insn < 0)
        return;
    /* The exact end: a return address there (a call that ends the insn's
       code) maps to this insn, and a host fault at that address, whose
       PC + 1 the fault handler passes, to the next (accel/tcg/cpu-exec.c,
       tb_insn_for_host_pc). */
    s->insns[s->cur_insn].host_end = (uint32_t)tcg_current_code_size(s);
}

static void insn_open(TCGContext *s, const TCGOp *op)
{
    insn_close(s);
    if (s->nb_insns >= TCG_MAX_INSNS) {
        s->overflow = true;
        s->cur_insn = -1;
        return;
    }
    s->cur_insn = s->nb_insns++;
    s->insns[s->cur_insn].pc = op->args[0];
    s->insns[s->cur_insn].extra = op->args[1];
}

/* Allocates and emits one op; false if the op's code crossed the highwater. */
static void gen_one(TCGContext *s, TCGOp *op)
{
    switch (op->opc) {
    case INDEX_op_mov:
        reg_alloc_mov(s, op);
        break;
    case INDEX_op_call:
        reg_alloc_call(s, op);
        break;
    case INDEX_op_insn_start:
        insn_open(s, op);
        break;
    case INDEX_op_discard:
        temp_dead(s, arg_temp(op->args[0]));
        break;
    case INDEX_op_set_label:
        reg_alloc_bb_end(s, s->reserved_regs, false);
        label_resolve(s, arg_label(op->args[0]));
        break;
    default:
        reg_alloc_op(s, op);
        break;
    }
}

static void log_ops(TCGContext *s, FILE *f, const char *what)
{
    if (!f)
        return;
    fprintf(f, "%s:\n", what);
    tcg_dump_ops(s, f);
    fprintf(f, "\n");
}

int tcg_gen_code(TCGContext *s)
{
    uintptr_t start = ((uintptr_t)s->code_ptr + 15) & ~(uintptr_t)15;

    /* The context tcg_func_start bound this thread to. */
    assert(tcg_ctx == s);
    s->stat_ops += (uint64_t)s->nb_ops;
    log_ops(s, s->log_op, "OP");
    tcg_optimize(s);
    tcg_liveness_analysis(s);
    s->stat_ops_opt += (uint64_t)s->nb_ops;
    log_ops(s, s->log_op_opt, "OP after optimization and liveness analysis");
    if (s->overflow)
        return -2;

    reg_alloc_start(s);
    s->code_buf = s->code_ptr = (uint8_t *)start;
    s->nb_insns = 0;
    s->cur_insn = -1;
    s->ldst_labels = NULL;
    s->fp_stubs = NULL;
    s->goto_tb_jmp_offset[0] = s->goto_tb_jmp_offset[1] = 0xffff;
    s->goto_tb_reset_offset[0] = s->goto_tb_reset_offset[1] = 0xffff;
    if (s->code_ptr > s->code_gen_highwater)
        return -1;

    for (TCGOp *op = s->ops_first; op; op = op->next) {
        gen_one(s, op);
        if (s->code_ptr > s->code_gen_highwater)
            return -1;
        if (tcg_current_code_size(s) > UINT16_MAX)
            return -2;
    }
    insn_close(s);
    s->slow_path_offset = (uint32_t)tcg_current_code_size(s);
    if (!tcg_out_ldst_finalize(s) || !tcg_out_fp_finalize(s))
        return -1;
    if (tcg_current_code_size(s) > UINT16_MAX || s->overflow)
        return -2;
    for (int i = 0; i < s->nb_labels; i++) {
        if (s->labels[i].relocs) {
            fprintf(stderr, "tcg: branch to label L%d that is never set\n", i);
            abort();
        }
    }
    int size = (int)tcg_current_code_size(s);
    jitmem_flush_icache((void *)tcg_rx(s, s->code_buf), (size_t)size);
    s->stat_tbs++;
    s->stat_code_bytes += (uint64_t)size;
    return size;
}
