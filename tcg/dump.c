/*
 * tcg_dump_ops: the op list as readable text for -d op and -d op_opt, one
 * op per line, temps by name (globals by their own names, tmpN for EBB
 * temps, locN for TB temps, $0x.. for constants), e.g.
 *
 *   ---- 0000000080000004 0000000000000000
 *   add_i64 a0,a0,$0x1
 *   qemu_ld_i64 tmp2,a1,uq,3
 *   brcond_i64 a0,$0x0,ne,$L1
 *
 * After liveness, ops carry "dead:" and "sync:" annotations with the
 * argument indexes that die or are written back.
 */
#include "tcg-internal.h"

#include <string.h>

static const char *memop_name(MemOp mop, char *buf, size_t len)
{
    static const char *const names[8] = {"ub", "uw", "ul", "uq",
                                         "sb", "sw", "sl", "sq"};
    const char *be = (mop & MO_BSWAP) ? "be" : "";
    unsigned a = (mop & MO_AMASK) >> MO_ASHIFT;

    if (a == 7)
        snprintf(buf, len, "%s%s+al", be, names[mop & (MO_SIZE | MO_SIGN)]);
    else if (a)
        snprintf(buf, len, "%s%s+al%u", be, names[mop & (MO_SIZE | MO_SIGN)],
                 1u << a);
    else
        snprintf(buf, len, "%s%s", be, names[mop & (MO_SIZE | MO_SIGN)]);
    return buf;
}

static void dump_cargs(TCGContext *s, FILE *f, const TCGOp *op, int first,
                       bool comma)
{
    const TCGOpDef *def = &tcg_op_defs[op->opc];
    char buf[64];

    for (int i = 0; i < def->nb_cargs; i++) {
        TCGArg a = op->args[first + i];
        const char *sep = (comma || i) ? "," : "";

        switch (op->opc) {
        case INDEX_op_brcond:
        case INDEX_op_setcond:
        case INDEX_op_movcond:
            if (i == 0) {
                fprintf(f, "%s%s", sep, tcg_cond_name((TCGCond)a));
                continue;
            }
            break;
        case INDEX_op_qemu_ld:
        case INDEX_op_qemu_st:
            fprintf(f, "%s%s,%u", sep,
                    memop_name(get_memop((MemOpIdx)a), buf, sizeof(buf)),
                    get_mmuidx((MemOpIdx)a));
            if (get_memop_offset(a))
                fprintf(f, ",%+d", get_memop_offset(a));
            continue;
        default:
            break;
        }
        if ((op->opc == INDEX_op_brcond && i == 1) || op->opc == INDEX_op_br ||
            op->opc == INDEX_op_set_label)
            fprintf(f, "%s$L%d", sep, arg_label(a)->id);
        else
            fprintf(f, "%s$0x%" PRIxPTR, sep, (uintptr_t)a);
    }
    (void)s;
}

static void dump_call(TCGContext *s, FILE *f, const TCGOp *op)
{
    int nb_o = op->nb_oargs, nb_i = op->nb_iargs;
    const TCGHelperInfo *info = (const TCGHelperInfo *)op->args[nb_o + nb_i];
    char buf[64];

    fprintf(f, "call %s,$0x%x,$%d", info->name,
            (unsigned)op->args[nb_o + nb_i + 1], nb_o);
    for (int i = 0; i < nb_o + nb_i; i++)
        fprintf(f, ",%s",
                tcg_temp_name(s, buf, sizeof(buf), arg_temp(op->args[i])));
}

static void dump_life(FILE *f, const TCGOp *op)
{
    if (op->dead_args) {
        fprintf(f, "  dead:");
        for (int i = 0; i < 16; i++)
            if (op->dead_args & (1u << i))
                fprintf(f, " %d", i);
    }
    if (op->sync_args) {
        fprintf(f, "  sync:");
        for (int i = 0; i < 16; i++)
            if (op->sync_args & (1u << i))
                fprintf(f, " %d", i);
    }
}

static void dump_one(TCGContext *s, FILE *f, const TCGOp *op)
{
    const TCGOpDef *def = &tcg_op_defs[op->opc];
    char buf[64];

    if (op->opc == INDEX_op_insn_start) {
        fprintf(f, "---- %016" PRIx64 " %016" PRIx64, (uint64_t)op->args[0],
                (uint64_t)op->args[1]);
        return;
    }
    if (op->opc == INDEX_op_call) {
        dump_call(s, f, op);
        return;
    }
    if (def->flags & TCG_OPF_INT)
        fprintf(f, "%s_%s", def->name,
                op->type == TCG_TYPE_I32 ? "i32" : "i64");
    else
        fprintf(f, "%s", def->name);
    int n = def->nb_oargs + def->nb_iargs;
    for (int i = 0; i < n; i++)
        fprintf(f, "%s%s", i ? "," : " ",
                tcg_temp_name(s, buf, sizeof(buf), arg_temp(op->args[i])));
    if (def->nb_cargs) {
        if (!n)
            fprintf(f, " ");
        dump_cargs(s, f, op, n, n > 0);
    }
}

void tcg_dump_ops(TCGContext *s, FILE *f)
{
    for (TCGOp *op = s->ops_first; op; op = op->next) {
        dump_one(s, f, op);
        if (s->liveness_done)
            dump_life(f, op);
        fprintf(f, "\n");
    }
}
