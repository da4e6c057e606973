/* needs: none */
/*
 * The host backend's op table (tcg_target_out_ops, a TCGOutOp per IR op):
 * every op with an emitter has constraints for its arguments, no more and
 * no fewer than tcg-opc.h gives it, and every constraint set has an
 * emitter; the generic code's view of which ops the backend has follows
 * the table.  Also that tcg_out_ops_check, which holds the table to those
 * rules at start-up, catches each way of breaking them.
 */
#include <glib.h>

#include "mimic/tcg.h"
#include "tcg/tcg-internal.h"
#include "unit.h"

static const char *type_name(int t)
{
    return t == TCG_TYPE_I32 ? "i32" : "i64";
}

/* Are there exactly n constraint strings, one for each of args 0..n-1? */
static bool has_strings(const TCGTargetOpDef *def, int n)
{
    for (int i = 0; i < TCG_MAX_OP_ARGS; i++)
        if ((def->args[i] != NULL) != (i < n))
            return false;
    return true;
}

/* The rules, checked here on their own rather than through the function
   under test, so that a table and a check that are wrong together fail. */
TEST(backend_table_follows_the_op_list)
{
    int nb_emitters = 0;

    for (int opc = 0; opc < NB_OPS; opc++) {
        const TCGOutOp *o = &tcg_target_out_ops[opc];
        const TCGOpDef *d = &tcg_op_defs[opc];
        int nb_defs = 0;

        for (int t = 0; t < TCG_TYPE_COUNT; t++) {
            const TCGTargetOpDef *def = o->def[t];
            if (!def)
                continue;
            nb_defs++;
            if (!has_strings(def, d->nb_oargs + d->nb_iargs)) {
                printf("#   %s_%s: not one constraint string for each of "
                       "its %d args\n",
                       d->name, type_name(t), d->nb_oargs + d->nb_iargs);
                unit_case_failed = 1;
            }
        }
        if (o->emit && !nb_defs) {
            printf("#   %s: an emitter without constraints\n", d->name);
            unit_case_failed = 1;
        }
        if (!o->emit && (nb_defs || o->avail)) {
            printf("#   %s: constraints without an emitter\n", d->name);
            unit_case_failed = 1;
        }
        if (o->emit &&
            ((d->flags & TCG_OPF_NOT_PRESENT) || opc == INDEX_op_call)) {
            printf("#   %s: the backend never sees this op\n", d->name);
            unit_case_failed = 1;
        }
        nb_emitters += o->emit != NULL;
    }
    /* An empty table would pass the rules above. */
    EXPECT(nb_emitters > 40);
}

TEST(backend_table_passes_the_startup_check)
{
    char why[128] = "";

    EXPECT(tcg_out_ops_check(tcg_target_out_ops, why, sizeof(why)));
    if (why[0])
        printf("#   %s\n", why);
}

/* What the builders and the register allocator see (tcg_op_constraints)
   is the table: present exactly where an entry has a def for the type and
   the host has the instruction, with the entry's clobbers. */
TEST(generic_constraints_follow_the_table)
{
    TCGContext *s;
    char why[128];

    /* tcg_context_init stops the program on a broken table. */
    if (!tcg_out_ops_check(tcg_target_out_ops, why, sizeof(why))) {
        printf("#   not run: %s\n", why);
        unit_case_failed = 1;
        return;
    }
    s = g_new0(TCGContext, 1);
    tcg_context_init(s);
    for (int opc = 0; opc < NB_OPS; opc++) {
        const TCGOutOp *o = &tcg_target_out_ops[opc];

        for (int t = 0; t < TCG_TYPE_COUNT; t++) {
            const TCGOpConstraints *c =
                tcg_op_constraints((TCGOpcode)opc, (TCGType)t);
            bool want = o->def[t] && (!o->avail || o->avail((TCGType)t));

            if (c->present != want) {
                printf("#   %s_%s: present %d, the table says %d\n",
                       tcg_op_defs[opc].name, type_name(t), c->present, want);
                unit_case_failed = 1;
            }
            if (want)
                EXPECT_EQ(c->clobber, o->def[t]->clobber);
        }
    }
    /* Ops every backend must have: the builders cannot expand them. */
    EXPECT(tcg_op_constraints(INDEX_op_exit_tb, TCG_TYPE_I64)->present);
    EXPECT(tcg_op_constraints(INDEX_op_qemu_ld, TCG_TYPE_I64)->present);
    EXPECT(tcg_op_constraints(INDEX_op_qemu_st, TCG_TYPE_I32)->present);
    g_free(s);
}

/* ---- tcg_out_ops_check on broken copies of the table ---- */

static TCGOutOp table[NB_OPS];

static void emit_nothing(TCGContext *s, const TCGOp *op, const TCGArg *args,
                         const bool *const_args)
{
}

static bool always(TCGType type)
{
    return true;
}

/* Checks the modified table; expects it to be refused, naming op. */
static void expect_refused(const char *op, const char *what)
{
    char why[128] = "";

    EXPECT(!tcg_out_ops_check(table, why, sizeof(why)));
    if (!strstr(why, op) || !strstr(why, what)) {
        printf("#   expected \"%s\" about %s, got \"%s\"\n", what, op, why);
        unit_case_failed = 1;
    }
    memcpy(table, tcg_target_out_ops, sizeof(table));
}

static const TCGTargetOpDef def_r = {{"r"}, 0};
static const TCGTargetOpDef def_r_r = {{"r", "r"}, 0};
static const TCGTargetOpDef def_r_r_r = {{"r", "r", "r"}, 0};
static const TCGTargetOpDef def_r_r_r_r = {{"r", "r", "r", "r"}, 0};
static const TCGTargetOpDef def_gap = {{"r", NULL, "r"}, 0};

TEST(check_refuses_broken_tables)
{
    char why[128];

    memcpy(table, tcg_target_out_ops, sizeof(table));
    EXPECT(tcg_out_ops_check(table, why, sizeof(why)));

    /* An emitter added without constraints, for one op or all types. */
    table[INDEX_op_xor].def[TCG_TYPE_I32] = NULL;
    table[INDEX_op_xor].def[TCG_TYPE_I64] = NULL;
    expect_refused("xor", "an emitter without constraints");
    /* Constraints (or a host-feature test) without an emitter. */
    table[INDEX_op_sub].emit = NULL;
    expect_refused("sub", "constraints without an emitter");
    memset(&table[INDEX_op_rotr], 0, sizeof(table[0]));
    table[INDEX_op_rotr].avail = always;
    expect_refused("rotr", "constraints without an emitter");
    /* Too few, too many, or a hole among the strings (add: 1 + 2). */
    table[INDEX_op_add].def[TCG_TYPE_I64] = &def_r_r;
    expect_refused("add_i64", "2 constraint strings, 3 arguments");
    table[INDEX_op_add].def[TCG_TYPE_I32] = &def_r_r_r_r;
    expect_refused("add_i32", "4 constraint strings, 3 arguments");
    table[INDEX_op_add].def[TCG_TYPE_I32] = &def_gap;
    expect_refused("add_i32", "a constraint string missing");
    table[INDEX_op_goto_ptr].def[TCG_TYPE_I64] = &def_r_r_r;
    expect_refused("goto_ptr_i64", "3 constraint strings, 1 arguments");
    /* An entry for an op the generic code handles itself. */
    table[INDEX_op_mov] =
        (TCGOutOp){.def = {[TCG_TYPE_I64] = &def_r_r}, .emit = emit_nothing};
    expect_refused("mov", "an op the generic code handles");
    table[INDEX_op_call].emit = emit_nothing;
    expect_refused("call", "an op the generic code handles");
    table[INDEX_op_discard].def[TCG_TYPE_I32] = &def_r;
    expect_refused("discard", "an op the generic code handles");
}

int main(void)
{
    return unit_run();
}
