/*
 * The IR's core: the op-definition table generated from tcg-opc.h, the
 * per-thread context, temps (globals bound to env offsets, EBB and TB
 * temps, interned constants, the fixed env and frame registers), labels
 * and relocations, the op list, the per-TB arena and the code buffer.
 * Builders live in tcg-op.c, the passes in optimize.c and liveness.c,
 * register allocation and the code generation driver in regalloc.c.
 *
 *   TCGContext *s = g_new0(TCGContext, 1);
 *   tcg_context_init(s);               -- sets tcg_ctx for this thread
 *   tcg_code_buffer_init(s, 256 << 20);
 *   tcg_prologue_init(s);
 *   ... create globals, then per TB: tcg_func_start(s), build, tcg_gen_code(s)
 */
#include "tcg-internal.h"

#include <glib.h>
#include <stdlib.h>
#include <string.h>

#include "mimic/log.h"

__thread TCGContext *tcg_ctx;
TCGRuntime tcg_runtime;

/* clang-format off */
const TCGOpDef tcg_op_defs[NB_OPS] = {
#define DEF(name, oargs, iargs, cargs, flags) \
    [INDEX_op_##name] = { #name, oargs, iargs, cargs, oargs + iargs + cargs, flags },
#include "mimic/tcg-opc.h"
#undef DEF
};
/* clang-format on */

static TCGOpConstraints op_constraints[NB_OPS][TCG_TYPE_COUNT];

/* ---- Conditions ---- */

TCGCond tcg_swap_cond(TCGCond c)
{
    switch (c) {
    case TCG_COND_LT:
        return TCG_COND_GT;
    case TCG_COND_GT:
        return TCG_COND_LT;
    case TCG_COND_LE:
        return TCG_COND_GE;
    case TCG_COND_GE:
        return TCG_COND_LE;
    case TCG_COND_LTU:
        return TCG_COND_GTU;
    case TCG_COND_GTU:
        return TCG_COND_LTU;
    case TCG_COND_LEU:
        return TCG_COND_GEU;
    case TCG_COND_GEU:
        return TCG_COND_LEU;
    default:
        return c; /* EQ, NE, ALWAYS, NEVER are symmetric */
    }
}

const char *tcg_cond_name(TCGCond c)
{
    switch (c) {
    case TCG_COND_NEVER:
        return "never";
    case TCG_COND_ALWAYS:
        return "always";
    case TCG_COND_EQ:
        return "eq";
    case TCG_COND_NE:
        return "ne";
    case TCG_COND_LT:
        return "lt";
    case TCG_COND_GE:
        return "ge";
    case TCG_COND_LE:
        return "le";
    case TCG_COND_GT:
        return "gt";
    case TCG_COND_LTU:
        return "ltu";
    case TCG_COND_GEU:
        return "geu";
    case TCG_COND_LEU:
        return "leu";
    case TCG_COND_GTU:
        return "gtu";
    }
    return "?";
}

bool tcg_cond_eval(TCGCond c, TCGType type, uint64_t a, uint64_t b)
{
    int64_t sa = (int64_t)a, sb = (int64_t)b;

    if (type == TCG_TYPE_I32) {
        sa = (int32_t)a;
        sb = (int32_t)b;
        a = (uint32_t)a;
        b = (uint32_t)b;
    }
    switch (c) {
    case TCG_COND_NEVER:
        return false;
    case TCG_COND_ALWAYS:
        return true;
    case TCG_COND_EQ:
        return a == b;
    case TCG_COND_NE:
        return a != b;
    case TCG_COND_LT:
        return sa < sb;
    case TCG_COND_GE:
        return sa >= sb;
    case TCG_COND_LE:
        return sa <= sb;
    case TCG_COND_GT:
        return sa > sb;
    case TCG_COND_LTU:
        return a < b;
    case TCG_COND_GEU:
        return a >= b;
    case TCG_COND_LEU:
        return a <= b;
    case TCG_COND_GTU:
        return a > b;
    }
    return false;
}

/* ---- Constraints ---- */

static void parse_constraint(TCGOpcode opc, TCGType type,
                             const TCGTargetOpDef *def)
{
    TCGOpConstraints *c = &op_constraints[opc][type];
    const TCGOpDef *d = &tcg_op_defs[opc];
    int nb_o = d->nb_oargs, nb_i = d->nb_iargs;

    c->present = true;
    c->clobber = def->clobber;
    for (int i = 0; i < nb_o + nb_i; i++) {
        TCGArgConstraint *ct = &c->args[i];
        const char *p = def->args[i];

        ct->alias = -1;
        if (!p) {
            fprintf(stderr, "tcg: %s: missing constraint %d\n", d->name, i);
            abort();
        }
        for (; *p; p++) {
            if (*p == 'r') {
                ct->regs |= tcg_target_available_regs;
            } else if (*p >= '0' && *p <= '9') {
                ct->alias = (int8_t)(*p - '0');
                ct->regs = c->args[ct->alias].regs;
            } else if (*p == '&') {
                ct->newreg = true;
            } else if (*p == 'i') {
                ct->ct |= TCG_CT_CONST_ANY;
            } else if (!tcg_target_parse_constraint(*p, type, ct)) {
                fprintf(stderr, "tcg: %s: bad constraint '%c'\n", d->name, *p);
                abort();
            }
        }
    }
    /* Inputs with the fewest allowed registers are allocated first. */
    for (int i = 0; i < nb_i; i++)
        c->sort_in[i] = (uint8_t)(nb_o + i);
    for (int i = 1; i < nb_i; i++) {
        for (int j = i; j > 0; j--) {
            int a = c->sort_in[j - 1], b = c->sort_in[j];
            int pa = __builtin_popcountll(c->args[a].regs);
            int pb = __builtin_popcountll(c->args[b].regs);
            if (c->args[a].alias >= 0)
                pa += 64; /* aliased inputs go last: the output picks */
            if (c->args[b].alias >= 0)
                pb += 64;
            if (pb >= pa)
                break;
            c->sort_in[j - 1] = (uint8_t)b;
            c->sort_in[j] = (uint8_t)a;
        }
    }
}

/* The number of constraint strings in def, or -1 if one is missing
   between two others. */
static int op_def_nb_args(const TCGTargetOpDef *def)
{
    int n = 0;

    while (n < TCG_MAX_OP_ARGS && def->args[n])
        n++;
    for (int i = n; i < TCG_MAX_OP_ARGS; i++)
        if (def->args[i])
            return -1;
    return n;
}

static bool out_op_check(TCGOpcode opc, const TCGOutOp *o, char *why,
                         size_t len)
{
    const TCGOpDef *d = &tcg_op_defs[opc];
    bool has_def = false;

    for (int t = 0; t < TCG_TYPE_COUNT; t++)
        has_def |= o->def[t] != NULL;
    if ((d->flags & TCG_OPF_NOT_PRESENT) || opc == INDEX_op_call) {
        if (o->emit || o->avail || has_def) {
            snprintf(why, len,
                     "%s: an entry for an op the generic code handles",
                     d->name);
            return false;
        }
        return true;
    }
    for (int t = 0; t < TCG_TYPE_COUNT; t++) {
        int n;

        if (!o->def[t])
            continue;
        n = op_def_nb_args(o->def[t]);
        if (n < 0) {
            snprintf(why, len,
                     "%s_i%d: a constraint string missing between two others",
                     d->name, t == TCG_TYPE_I32 ? 32 : 64);
            return false;
        }
        if (n != d->nb_oargs + d->nb_iargs) {
            snprintf(why, len,
                     "%s_i%d: %d constraint strings, %d arguments "
                     "(outputs and inputs)",
                     d->name, t == TCG_TYPE_I32 ? 32 : 64, n,
                     d->nb_oargs + d->nb_iargs);
            return false;
        }
    }
    if (o->emit && !has_def) {
        snprintf(why, len, "%s: an emitter without constraints", d->name);
        return false;
    }
    if (!o->emit && (has_def || o->avail)) {
        snprintf(why, len, "%s: constraints without an emitter", d->name);
        return false;
    }
    return true;
}

bool tcg_out_ops_check(const TCGOutOp *ops, char *why, size_t len)
{
    for (int opc = 0; opc < NB_OPS; opc++)
        if (!out_op_check((TCGOpcode)opc, &ops[opc], why, len))
            return false;
    return true;
}

void tcg_constraints_init(void)
{
    static bool done;
    char why[128];

    if (done)
        return;
    done = true;
    /* A broken table is the backend's bug: stop before any code is made. */
    if (!tcg_out_ops_check(tcg_target_out_ops, why, sizeof(why))) {
        fprintf(stderr, "tcg: the host backend's op table: %s\n", why);
        abort();
    }
    for (int opc = 0; opc < NB_OPS; opc++) {
        const TCGOutOp *o = &tcg_target_out_ops[opc];

        for (int t = 0; t < TCG_TYPE_COUNT; t++) {
            if (o->def[t] && (!o->avail || o->avail((TCGType)t)))
                parse_constraint((TCGOpcode)opc, (TCGType)t, o->def[t]);
        }
    }
}

const TCGOpConstraints *tcg_op_constraints(TCGOpcode opc, TCGType type)
{
    return &op_constraints[opc][type];
}

/* ---- Context ---- */

static TCGTemp *temp_alloc(TCGContext *s)
{
    if (s->nb_temps >= TCG_MAX_TEMPS) {
        /* Keep building into a scratch temp; tcg_gen_code returns -2. */
        s->overflow = true;
        return &s->temps[TCG_MAX_TEMPS - 1];
    }
    TCGTemp *t = &s->temps[s->nb_temps++];
    memset(t, 0, sizeof(*t));
    t->reg = -1;
    return t;
}

static TCGTemp *fixed_temp(TCGContext *s, int reg, const char *name)
{
    TCGTemp *t = temp_alloc(s);

    t->type = TCG_TYPE_PTR;
    t->kind = TEMP_FIXED;
    t->val_type = TEMP_VAL_REG;
    t->reg = (int8_t)reg;
    t->name = name;
    t->temp_allocated = true;
    s->nb_globals = s->nb_temps;
    return t;
}

void tcg_context_init(TCGContext *s)
{
    memset(s, 0, sizeof(*s));
    tcg_ctx = s;
    tcg_target_init(s);
    tcg_constraints_init();
    s->env = fixed_temp(s, tcg_target_env_reg, "env");
    s->frame_temp = fixed_temp(s, tcg_target_frame_reg, "_frame");
    s->frame_start = tcg_target_frame_start;
    s->frame_end = tcg_target_frame_start + tcg_target_frame_size;
    s->const_gen = 1;
    s->cur_insn = -1;
}

TCGv_ptr tcg_env(void)
{
    return temp_tcgv_ptr(tcg_ctx->env);
}

static TCGTemp *global_mem_new(TCGType type, intptr_t offset, const char *name)
{
    TCGContext *s = tcg_ctx;

    if (s->nb_temps != s->nb_globals) {
        fprintf(stderr, "tcg: global %s created after per-TB temps\n", name);
        abort();
    }
    TCGTemp *t = temp_alloc(s);
    t->type = type;
    t->kind = TEMP_GLOBAL;
    t->val_type = TEMP_VAL_MEM;
    t->mem_base = s->env;
    t->mem_offset = offset;
    t->mem_coherent = true;
    t->mem_allocated = true;
    t->temp_allocated = true;
    t->name = name;
    s->nb_globals = s->nb_temps;
    return t;
}

TCGv_i64 tcg_global_mem_new_i64(intptr_t offset, const char *name)
{
    return temp_tcgv_i64(global_mem_new(TCG_TYPE_I64, offset, name));
}

TCGv_i32 tcg_global_mem_new_i32(intptr_t offset, const char *name)
{
    return temp_tcgv_i32(global_mem_new(TCG_TYPE_I32, offset, name));
}

/* How many globals may be pinned: the host's pin registers, or fewer with
   MIMIC_TCG_PIN=N (0 turns pinning off; for measuring what it gains). */
static int pin_limit(void)
{
    const char *e = getenv("MIMIC_TCG_PIN");
    int n = tcg_target_pin_regs_len;

    if (e && *e >= '0' && *e <= '9' && atoi(e) < n)
        n = atoi(e);
    return n < TCG_MAX_PINNED ? n : TCG_MAX_PINNED;
}

bool tcg_global_pin(TCGTemp *ts)
{
    TCGContext *s = tcg_ctx;
    int reg;

    if (ts->kind != TEMP_GLOBAL || ts->pinned || s->nb_pinned >= pin_limit())
        return false;
    reg = tcg_target_pin_regs[s->nb_pinned];
    if (tcg_regset_test(s->reserved_regs, reg))
        return false;
    s->reserved_regs |= tcg_regset_bit(reg);
    tcg_target_available_regs &= ~tcg_regset_bit(reg);
    ts->pinned = true;
    ts->val_type = TEMP_VAL_REG;
    ts->reg = (int8_t)reg;
    ts->mem_coherent = false;
    s->pinned[s->nb_pinned++] = ts;
    tcg_runtime.pinned[tcg_runtime.nb_pinned].offset = ts->mem_offset;
    tcg_runtime.pinned[tcg_runtime.nb_pinned].reg = (int8_t)reg;
    tcg_runtime.pinned[tcg_runtime.nb_pinned].type = ts->type;
    tcg_runtime.nb_pinned++;
    return true;
}

void tcg_global_fault_restored(TCGTemp *ts, bool on)
{
    TCGContext *s = tcg_ctx;
    int i = (int)(ts - s->temps);
    uint64_t bit = 1ull << (i % 64);

    g_assert(ts->kind == TEMP_GLOBAL);
    if (on)
        s->fault_restored[i / 64] |= bit;
    else
        s->fault_restored[i / 64] &= ~bit;
}

bool guest_base_in_reg;

bool tcg_out_guest_addr_const_ok(int64_t val)
{
    unsigned bits = tcg_runtime.guest_addr_bits;

    return tcg_runtime.direct && guest_base_in_reg && bits && bits < 64 &&
           tcg_runtime.guest_base == 1ull << bits &&
           (uint64_t)val < 1ull << bits;
}

void tcg_pinned_from_host(void *env_base, const uint64_t *host_regs)
{
    for (int i = 0; i < tcg_runtime.nb_pinned; i++) {
        uint8_t *p = (uint8_t *)env_base + tcg_runtime.pinned[i].offset;
        uint64_t v = host_regs[tcg_runtime.pinned[i].reg];

        if (tcg_runtime.pinned[i].type == TCG_TYPE_I32) {
            uint32_t w = (uint32_t)v;
            memcpy(p, &w, sizeof(w));
        } else {
            memcpy(p, &v, sizeof(v));
        }
    }
}

/* ---- Per-TB arena ---- */

void *tcg_malloc(size_t size)
{
    TCGContext *s = tcg_ctx;

    size = (size + 15) & ~(size_t)15;
    if ((size_t)(s->pool_end - s->pool_ptr) < size) {
        TCGPool *p = s->pool_cur ? s->pool_cur->next : s->pool_first;
        size_t want = size > 32768 ? size : 32768;

        if (!p || p->size < want) {
            /* Large or first blocks are chained after the current one. */
            TCGPool *np = g_malloc(sizeof(TCGPool) + want);
            np->size = want;
            np->next = p;
            if (s->pool_cur)
                s->pool_cur->next = np;
            else
                s->pool_first = np;
            p = np;
        }
        s->pool_cur = p;
        s->pool_ptr = p->data;
        s->pool_end = p->data + p->size;
    }
    void *r = s->pool_ptr;
    s->pool_ptr += size;
    return r;
}

static void pool_reset(TCGContext *s)
{
    s->pool_cur = NULL;
    s->pool_ptr = s->pool_end = NULL;
}

/* ---- Per TB ---- */

void tcg_func_start(TCGContext *s)
{
    tcg_ctx = s;
    pool_reset(s);
    /* No exit-request checks unless the translator asks (translator.c). */
    s->exit_check_offset = -1;
    s->goto_tb_check = false;
    /* Drop per-TB temps; reset the allocator state of globals. */
    s->nb_temps = s->nb_globals;
    memset(s->free_temps, 0, sizeof(s->free_temps));
    if (++s->const_gen == 0) {
        memset(s->const_slots, 0, sizeof(s->const_slots));
        s->const_gen = 1;
    }
    for (int i = 0; i < s->nb_globals; i++) {
        TCGTemp *ts = &s->temps[i];
        if (ts->kind == TEMP_GLOBAL && !ts->pinned) {
            ts->val_type = TEMP_VAL_MEM;
            ts->mem_coherent = true;
            ts->reg = -1;
        }
    }
    /* Recycle every op struct. */
    s->op_next = 0;
    s->ops_first = s->ops_last = NULL;
    s->nb_ops = 0;
    s->nb_labels = 0;
    s->nb_insns = 0;
    s->overflow = false;
    s->liveness_done = false;
    s->ldst_labels = NULL;
    s->current_frame_offset = s->frame_start;
}

TCGTemp *tcg_temp_new_internal(TCGType type, TCGTempKind kind)
{
    TCGContext *s = tcg_ctx;
    int k = kind == TEMP_TB;
    TCGTemp *t = s->free_temps[type][k];

    if (t) {
        s->free_temps[type][k] = t->next_free;
        t->temp_allocated = true;
        t->next_free = NULL;
        return t;
    }
    t = temp_alloc(s);
    t->type = type;
    t->kind = kind;
    t->val_type = TEMP_VAL_DEAD;
    t->temp_allocated = true;
    return t;
}

void tcg_temp_free_internal(TCGTemp *t)
{
    TCGContext *s = tcg_ctx;

    if (t->kind != TEMP_EBB && t->kind != TEMP_TB)
        return; /* freeing a global or constant is a no-op */
    if (!t->temp_allocated || temp_idx(t) >= TCG_MAX_TEMPS - 1)
        return;
    t->temp_allocated = false;
    int k = t->kind == TEMP_TB;
    t->next_free = s->free_temps[t->type][k];
    s->free_temps[t->type][k] = t;
}

_Static_assert(sizeof(TCGTemp) == 64, "TCGTemp grew past a cache line");
_Static_assert(TCG_CONST_SLOTS == 1 << 10 &&
                   TCG_CONST_SLOTS >= 2 * TCG_MAX_TEMPS,
               "the hash below takes 10 bits; the table must stay half empty");

TCGTemp *tcg_constant_internal(TCGType type, int64_t val)
{
    TCGContext *s = tcg_ctx;
    uint32_t gen = s->const_gen;
    unsigned mask = TCG_CONST_SLOTS - 1;
    unsigned h;
    TCGTemp *t;

    val = tcg_canon(type, val);
    h = (unsigned)(((uint64_t)val * 0x9e3779b97f4a7c15ull + (unsigned)type) >>
                   54) &
        mask;
    for (;; h = (h + 1) & mask) {
        if (s->const_slots[h].gen != gen)
            break;
        if (s->const_slots[h].val == val && s->const_slots[h].type == type)
            return &s->temps[s->const_slots[h].idx];
    }
    t = temp_alloc(s);
    if (s->overflow)
        return t;
    t->type = type;
    t->kind = TEMP_CONST;
    t->val_type = TEMP_VAL_CONST;
    t->val = val;
    t->temp_allocated = true;
    /* At most TCG_MAX_TEMPS entries: the table stays at most half full. */
    s->const_slots[h].val = val;
    s->const_slots[h].gen = gen;
    s->const_slots[h].idx = (uint16_t)temp_idx(t);
    s->const_slots[h].type = (uint16_t)type;
    return t;
}

TCGv_i64 tcg_temp_new_i64(void)
{
    return temp_tcgv_i64(tcg_temp_new_internal(TCG_TYPE_I64, TEMP_EBB));
}
TCGv_i32 tcg_temp_new_i32(void)
{
    return temp_tcgv_i32(tcg_temp_new_internal(TCG_TYPE_I32, TEMP_EBB));
}
TCGv_ptr tcg_temp_new_ptr(void)
{
    return temp_tcgv_ptr(tcg_temp_new_internal(TCG_TYPE_PTR, TEMP_EBB));
}
TCGv_i64 tcg_temp_tb_new_i64(void)
{
    return temp_tcgv_i64(tcg_temp_new_internal(TCG_TYPE_I64, TEMP_TB));
}
TCGv_i32 tcg_temp_tb_new_i32(void)
{
    return temp_tcgv_i32(tcg_temp_new_internal(TCG_TYPE_I32, TEMP_TB));
}
void tcg_temp_free_i64(TCGv_i64 t)
{
    tcg_temp_free_internal(tcgv_i64_temp(t));
}
void tcg_temp_free_i32(TCGv_i32 t)
{
    tcg_temp_free_internal(tcgv_i32_temp(t));
}
void tcg_temp_free_ptr(TCGv_ptr t)
{
    tcg_temp_free_internal(tcgv_ptr_temp(t));
}
TCGv_i64 tcg_constant_i64(int64_t val)
{
    return temp_tcgv_i64(tcg_constant_internal(TCG_TYPE_I64, val));
}
TCGv_i32 tcg_constant_i32(int32_t val)
{
    return temp_tcgv_i32(tcg_constant_internal(TCG_TYPE_I32, val));
}
TCGv_ptr tcg_constant_ptr(const void *p)
{
    return temp_tcgv_ptr(
        tcg_constant_internal(TCG_TYPE_PTR, (int64_t)(uintptr_t)p));
}

const char *tcg_temp_name(TCGContext *s, char *buf, size_t len, TCGTemp *t)
{
    int idx = temp_idx(t);

    switch (t->kind) {
    case TEMP_GLOBAL:
    case TEMP_FIXED:
        return t->name;
    case TEMP_TB:
        snprintf(buf, len, "loc%d", idx - s->nb_globals);
        return buf;
    case TEMP_EBB:
        snprintf(buf, len, "tmp%d", idx - s->nb_globals);
        return buf;
    case TEMP_CONST:
        if (t->type == TCG_TYPE_I32)
            snprintf(buf, len, "$0x%x", (uint32_t)t->val);
        else
            snprintf(buf, len, "$0x%" PRIx64, (uint64_t)t->val);
        return buf;
    }
    return "?";
}

/* ---- Labels ---- */

TCGLabel *gen_new_label(void)
{
    TCGContext *s = tcg_ctx;
    TCGLabel *l;

    if (s->nb_labels >= TCG_MAX_LABELS) {
        s->overflow = true;
        l = &s->labels[TCG_MAX_LABELS - 1];
    } else {
        l = &s->labels[s->nb_labels];
        l->id = s->nb_labels++;
    }
    l->has_value = false;
    l->refs = false;
    l->nb_refs = 0;
    l->value = 0;
    l->relocs = NULL;
    return l;
}

void tcg_out_reloc(TCGContext *s, uint8_t *ptr, int type, TCGLabel *l,
                   intptr_t addend)
{
    TCGRelocation *r = tcg_malloc(sizeof(*r));

    r->ptr = ptr;
    r->type = type;
    r->addend = addend;
    r->next = l->relocs;
    l->relocs = r;
}

/* ---- Ops ---- */

TCGOp *tcg_op_alloc(TCGContext *s)
{
    int c = s->op_next / TCG_OP_CHUNK;
    TCGOp *op;

    if (c >= s->nb_op_chunks) {
        s->op_chunks = g_renew(TCGOp *, s->op_chunks, c + 1);
        s->op_chunks[c] = g_new(TCGOp, TCG_OP_CHUNK);
        s->nb_op_chunks = c + 1;
    }
    op = &s->op_chunks[c][s->op_next++ % TCG_OP_CHUNK];
    /* Field by field: a memset of the whole op compiles to rep stos,
       whose start-up cost was most of building an op. */
    op->dead_args = 0;
    op->sync_args = 0;
    op->prev = op->next = NULL;
    for (int i = 0; i < TCG_MAX_OP_ARGS; i++)
        op->args[i] = 0;
    return op;
}

TCGOp *tcg_emit_op(TCGOpcode opc, TCGType type, int nargs)
{
    TCGContext *s = tcg_ctx;
    TCGOp *op = tcg_op_alloc(s);

    (void)nargs;
    op->opc = opc;
    op->type = type;
    op->nb_oargs = tcg_op_defs[opc].nb_oargs;
    op->nb_iargs = tcg_op_defs[opc].nb_iargs;
    op->prev = s->ops_last;
    if (s->ops_last)
        s->ops_last->next = op;
    else
        s->ops_first = op;
    s->ops_last = op;
    s->nb_ops++;
    return op;
}

TCGOp *tcg_op_insert_before(TCGContext *s, TCGOp *old, TCGOpcode opc,
                            TCGType type)
{
    TCGOp *op = tcg_op_alloc(s);

    op->opc = opc;
    op->type = type;
    op->nb_oargs = tcg_op_defs[opc].nb_oargs;
    op->nb_iargs = tcg_op_defs[opc].nb_iargs;
    op->next = old;
    op->prev = old->prev;
    if (old->prev)
        old->prev->next = op;
    else
        s->ops_first = op;
    old->prev = op;
    s->nb_ops++;
    return op;
}

TCGOp *tcg_op_insert_after(TCGContext *s, TCGOp *old, TCGOpcode opc,
                           TCGType type)
{
    if (old->next)
        return tcg_op_insert_before(s, old->next, opc, type);
    return tcg_emit_op(opc, type, 0);
}

void tcg_op_remove(TCGContext *s, TCGOp *op)
{
    if (op->opc == INDEX_op_br || op->opc == INDEX_op_brcond) {
        TCGLabel *l = arg_label(op->args[op->opc == INDEX_op_br ? 0 : 3]);
        l->nb_refs--;
        l->refs = l->nb_refs > 0;
    }
    if (op->prev)
        op->prev->next = op->next;
    else
        s->ops_first = op->next;
    if (op->next)
        op->next->prev = op->prev;
    else
        s->ops_last = op->prev;
    /* Its struct is reused from the next TB on. */
    s->nb_ops--;
}

TCGOp *tcg_last_op(void)
{
    return tcg_ctx->ops_last;
}

void tcg_remove_ops_after(TCGOp *op)
{
    TCGContext *s = tcg_ctx;

    while (s->ops_last && s->ops_last != op)
        tcg_op_remove(s, s->ops_last);
}

bool tcg_op_written_after(const TCGOp *after, TCGv_i64 v)
{
    const TCGTemp *ts = tcgv_i64_temp(v);

    for (const TCGOp *op = after ? after->next : tcg_ctx->ops_first; op;
         op = op->next) {
        int nb_o = op->nb_oargs;

        for (int i = 0; i < nb_o; i++)
            if (arg_temp(op->args[i]) == ts)
                return true;
        if (op->opc == INDEX_op_call && ts->kind == TEMP_GLOBAL &&
            !(op->args[nb_o + op->nb_iargs + 1] & TCG_CALL_NO_WRITE_GLOBALS))
            return true;
    }
    return false;
}

void tcg_ops_move_after(TCGOp *from, TCGOp *dest)
{
    TCGContext *s = tcg_ctx;
    TCGOp *first = from ? from->next : s->ops_first, *last = s->ops_last;

    if (!first || first == (dest ? dest->next : s->ops_first))
        return;
    /* Unlink first..last (the tail of the list). */
    s->ops_last = first->prev;
    if (first->prev)
        first->prev->next = NULL;
    else
        s->ops_first = NULL;
    /* Relink after dest. */
    first->prev = dest;
    last->next = dest ? dest->next : s->ops_first;
    if (last->next)
        last->next->prev = last;
    else
        s->ops_last = last;
    if (dest)
        dest->next = first;
    else
        s->ops_first = first;
}

int tcg_op_nb_oargs(const TCGOp *op)
{
    return op->nb_oargs;
}

int tcg_op_nb_iargs(const TCGOp *op)
{
    return op->nb_iargs;
}

int tcg_op_nb_cargs(const TCGOp *op)
{
    return tcg_op_defs[op->opc].nb_cargs;
}

/* ---- Code buffer ---- */

#define TCG_HIGHWATER_SLACK (64 * 1024)  /* one maximum-size TB */
/* Branches within the buffer must reach: x86-64's rel32 (+-2 GiB),
   aarch64's B (+-128 MiB; a chained jump out of reach stays unchained). */
#if defined(__aarch64__)
#define TCG_MAX_CODE_BUFFER (128ull << 20)
#else
#define TCG_MAX_CODE_BUFFER (1ull << 30)
#endif

void tcg_code_buffer_init(TCGContext *s, size_t size)
{
    const char *why;

    if (size < (1u << 20))
        size = 1u << 20;
    if (size > TCG_MAX_CODE_BUFFER)
        size = TCG_MAX_CODE_BUFFER;
    if (!jitmem_alloc(&s->jit, size, &why)) {
        error_report("cannot allocate %zu bytes of JIT code buffer: %s", size,
                     why);
        exit(1);
    }
    s->code_rx_offset = jitmem_rx_offset(&s->jit);
    s->code_gen_start = s->jit.rw;
    s->code_ptr = s->code_buf = s->jit.rw;
    s->code_gen_highwater = s->jit.rw + s->jit.size - TCG_HIGHWATER_SLACK;
}

void tcg_code_buffer_reset(TCGContext *s)
{
    s->code_ptr = s->code_buf = s->code_gen_start;
}

bool tcg_code_buffer_unshare(TCGContext *s)
{
    size_t used = (size_t)(s->code_ptr - s->jit.rw);

    return jitmem_unshare(&s->jit, used > s->code_prefaulted
                                       ? used : s->code_prefaulted);
}

size_t tcg_code_size(TCGContext *s)
{
    return (size_t)(s->code_ptr - s->code_gen_start);
}

/* Translation otherwise takes two page faults per code page, one for
   each view.  The mark only grows: after a flush the pages stay mapped. */
#define CODE_PREFAULT_CHUNK (1u << 20)

void tcg_code_prefault(TCGContext *s)
{
    size_t used = (size_t)(s->code_ptr - s->jit.rw);

    if (used + CODE_PREFAULT_CHUNK / 2 > s->code_prefaulted) {
        jitmem_prefault(&s->jit, s->code_prefaulted, CODE_PREFAULT_CHUNK);
        s->code_prefaulted += CODE_PREFAULT_CHUNK;
    }
}

size_t tcg_code_capacity(TCGContext *s)
{
    return s->jit.size - (size_t)(s->code_gen_start - s->jit.rw);
}

TCGPrologueFn tcg_qemu_tb_exec;
const void *tcg_code_gen_epilogue;

void tcg_prologue_init(TCGContext *s)
{
    s->code_buf = s->code_ptr;
    tcg_target_qemu_prologue(s);
    /* Start TBs on a fresh cache line after the prologue. */
    uintptr_t p = ((uintptr_t)s->code_ptr + 63) & ~(uintptr_t)63;
    s->code_ptr = (uint8_t *)p;
    jitmem_flush_icache((void *)tcg_rx(s, s->code_buf),
                        (size_t)(s->code_ptr - s->code_buf));
    if (log_enabled(LOG_OUT_ASM)) {
        log_printf("PROLOGUE: [size=%zu]\n",
                   (size_t)(s->code_ptr - s->code_buf));
        tcg_disas_host(log_file(), (void *)tcg_rx(s, s->code_buf),
                       (size_t)(s->code_ptr - s->code_buf));
    }
    s->code_gen_start = s->code_ptr;
    s->code_buf = s->code_ptr;
}
