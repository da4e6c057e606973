/* needs: none */
/*
 * Random op sequences: many small TBs of random i64/i32 ALU ops, moves,
 * constants, conditionals, forward branches and helper calls over guest
 * globals and EBB/TB temps, interpreted in C straight from the op list
 * and then optimized, allocated and run on the host; guest state must
 * match.  This shakes the optimizer and the register allocator together.
 */
#include <stdlib.h>

#include "test-tcg-harness.h"

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint64_t rnd(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static uint64_t helper_mix(uint64_t a, uint64_t b)
{
    return a * 31 + (b ^ 0x55);
}

static void helper_poke(FakeEnv *e)
{
    e->x[2] = e->x[2] * 3 + 1;
}

static const TCGHelperInfo info_mix = {(void *)helper_mix,
                                       "mix",
                                       TCG_CALL_NO_RWG_SE,
                                       2,
                                       true,
                                       TCG_TYPE_I64,
                                       {TCG_TYPE_I64, TCG_TYPE_I64}};
static const TCGHelperInfo info_poke = {
    (void *)helper_poke, "poke", 0, 1, false, TCG_TYPE_I64, {TCG_TYPE_PTR}};

#define NG 8 /* globals x1..x8 */
#define NT 6 /* temps */

static TCGTemp *vars[NG + NT];
static bool defined[NG + NT];

static int pick_src(void)
{
    for (;;) {
        int i = (int)(rnd() % (NG + NT));
        if (defined[i])
            return i;
    }
}

static TCGTemp *src_or_const(void)
{
    static const int64_t consts[] = {0,
                                     1,
                                     -1,
                                     2,
                                     31,
                                     32,
                                     63,
                                     0x7fffffff,
                                     0x80000000ll,
                                     INT64_MIN,
                                     0x12345678abcdll};
    if (rnd() % 4 == 0)
        return tcg_constant_internal(TCG_TYPE_I64,
                                     consts[rnd() % (sizeof(consts) / 8)]);
    return vars[pick_src()];
}

static void gen_random_op(void)
{
    static const TCGOpcode bin[] = {
        INDEX_op_add,  INDEX_op_sub,  INDEX_op_mul,  INDEX_op_and,
        INDEX_op_or,   INDEX_op_xor,  INDEX_op_shl,  INDEX_op_shr,
        INDEX_op_sar,  INDEX_op_rotl, INDEX_op_rotr, INDEX_op_mulsh,
        INDEX_op_muluh};
    static const TCGOpcode un[] = {INDEX_op_neg,    INDEX_op_not,
                                   INDEX_op_ext8s,  INDEX_op_ext16u,
                                   INDEX_op_ext32s, INDEX_op_ext32u};
    int d = (int)(rnd() % (NG + NT));
    TCGTemp *dst = vars[d];
    unsigned k = (unsigned)(rnd() % 10);
    TCGCond c = (TCGCond)(8 + (rnd() & 1));

    if (k < 4) {
        TCGOpcode opc = bin[rnd() % (sizeof(bin) / sizeof(bin[0]))];
        TCGTemp *a = vars[pick_src()], *b = src_or_const();
        TCGOp *op = tcg_emit_op(opc, TCG_TYPE_I64, 3);
        op->args[0] = temp_arg(dst);
        op->args[1] = temp_arg(a);
        op->args[2] = temp_arg(b);
    } else if (k < 5) {
        TCGOp *op = tcg_emit_op(un[rnd() % 6], TCG_TYPE_I64, 2);
        op->args[0] = temp_arg(dst);
        op->args[1] = temp_arg(vars[pick_src()]);
    } else if (k < 6) {
        tcg_gen_mov(TCG_TYPE_I64, dst, src_or_const());
    } else if (k < 7) {
        const TCGCond conds[] = {TCG_COND_EQ, TCG_COND_LT,  TCG_COND_GEU,
                                 TCG_COND_GT, TCG_COND_LEU, TCG_COND_NE};
        c = conds[rnd() % 6];
        if (rnd() & 1)
            tcg_gen_setcond(TCG_TYPE_I64, c, dst, vars[pick_src()],
                            src_or_const());
        else
            tcg_gen_movcond(TCG_TYPE_I64, c, dst, vars[pick_src()],
                            src_or_const(), vars[pick_src()], vars[pick_src()]);
    } else if (k < 8) {
        TCGTemp *args[2] = {vars[pick_src()], src_or_const()};
        tcg_gen_call(&info_mix, dst, 2, args);
    } else if (k < 9) {
        /* 32-bit round trip through an i32 temp. */
        TCGv_i32 t = tcg_temp_new_i32();
        tcg_gen_extrl_i64_i32(t, temp_tcgv_i64(vars[pick_src()]));
        tcg_gen_add_i32(t, t, tcg_constant_i32((int32_t)rnd()));
        if (rnd() & 1)
            tcg_gen_ext_i32_i64(temp_tcgv_i64(dst), t);
        else
            tcg_gen_extu_i32_i64(temp_tcgv_i64(dst), t);
        tcg_temp_free_i32(t);
    } else {
        TCGTemp *env_arg = tcgv_ptr_temp(tcg_env());
        tcg_gen_call(&info_poke, NULL, 1, &env_arg);
        return;
    }
    defined[d] = true;
}

/* ---- A reference interpreter over the unoptimized op list ---- */

static uint64_t *slot(TCGTemp *t, uint64_t *tv)
{
    if (t->kind == TEMP_GLOBAL)
        return (uint64_t *)((uint8_t *)&env + t->mem_offset);
    return &tv[temp_idx(t)];
}

static uint64_t rd(TCGTemp *t, uint64_t *tv)
{
    if (t->kind == TEMP_CONST)
        return (uint64_t)t->val;
    if (t->kind == TEMP_GLOBAL && t->type == TCG_TYPE_I32)
        return *(uint32_t *)slot(t, tv);
    return *slot(t, tv);
}

static void wr(TCGTemp *t, uint64_t *tv, uint64_t v)
{
    if (t->type == TCG_TYPE_I32)
        v = (uint32_t)v;
    if (t->kind == TEMP_GLOBAL && t->type == TCG_TYPE_I32)
        *(uint32_t *)slot(t, tv) = (uint32_t)v;
    else
        *slot(t, tv) = v;
}

static uint64_t eval(TCGOpcode opc, TCGType type, uint64_t x, uint64_t y)
{
    bool w = type == TCG_TYPE_I64;
    unsigned n = (unsigned)(y & (w ? 63 : 31));
    uint32_t x32 = (uint32_t)x;

    switch (opc) {
    case INDEX_op_add:
        return x + y;
    case INDEX_op_sub:
        return x - y;
    case INDEX_op_mul:
        return x * y;
    case INDEX_op_and:
        return x & y;
    case INDEX_op_or:
        return x | y;
    case INDEX_op_xor:
        return x ^ y;
    case INDEX_op_shl:
        return w ? x << n : (uint32_t)(x32 << n);
    case INDEX_op_shr:
        return w ? x >> n : x32 >> n;
    case INDEX_op_sar:
        return w ? (uint64_t)((int64_t)x >> n) : (uint32_t)((int32_t)x32 >> n);
    case INDEX_op_rotl:
        return n ? (x << n) | (x >> (64 - n)) : x;
    case INDEX_op_rotr:
        return n ? (x >> n) | (x << (64 - n)) : x;
    case INDEX_op_mulsh:
        return (uint64_t)(((__int128)(int64_t)x * (int64_t)y) >> 64);
    case INDEX_op_muluh:
        return (uint64_t)(((unsigned __int128)x * y) >> 64);
    case INDEX_op_neg:
        return 0 - x;
    case INDEX_op_not:
        return ~x;
    case INDEX_op_ext8s:
        return (uint64_t)(int64_t)(int8_t)x;
    case INDEX_op_ext16u:
        return (uint16_t)x;
    case INDEX_op_ext32s:
    case INDEX_op_ext_i32_i64:
        return (uint64_t)(int64_t)(int32_t)x;
    case INDEX_op_ext32u:
    case INDEX_op_extu_i32_i64:
    case INDEX_op_extrl_i64_i32:
        return (uint32_t)x;
    default:
        return 0;
    }
}

static void interpret(void)
{
    static uint64_t tv[TCG_MAX_TEMPS];

    for (TCGOp *op = ctx->ops_first; op; op = op->next) {
        TCGArg *a = op->args;
        switch (op->opc) {
        case INDEX_op_mov:
            wr(arg_temp(a[0]), tv, rd(arg_temp(a[1]), tv));
            break;
        case INDEX_op_setcond:
            wr(arg_temp(a[0]), tv,
               tcg_cond_eval((TCGCond)a[3], op->type, rd(arg_temp(a[1]), tv),
                             rd(arg_temp(a[2]), tv)));
            break;
        case INDEX_op_movcond: {
            bool t =
                tcg_cond_eval((TCGCond)a[5], op->type, rd(arg_temp(a[1]), tv),
                              rd(arg_temp(a[2]), tv));
            wr(arg_temp(a[0]), tv, rd(arg_temp(a[t ? 3 : 4]), tv));
            break;
        }
        case INDEX_op_call:
            if (op->nb_oargs)
                wr(arg_temp(a[0]), tv,
                   helper_mix(rd(arg_temp(a[1]), tv), rd(arg_temp(a[2]), tv)));
            else
                helper_poke(&env);
            break;
        case INDEX_op_exit_tb:
            return;
        default: {
            const TCGOpDef *d = &tcg_op_defs[op->opc];
            uint64_t x = rd(arg_temp(a[1]), tv);
            uint64_t y = d->nb_iargs > 1 ? rd(arg_temp(a[2]), tv) : 0;
            wr(arg_temp(a[0]), tv, eval(op->opc, op->type, x, y));
            break;
        }
        }
    }
}

TEST(random_programs_match_interpreter)
{
    /* TCG_RANDOM_ITERS=N runs longer (e.g. before committing a change). */
    const char *it = getenv("TCG_RANDOM_ITERS");
    int iters = it ? atoi(it) : 400;

    for (int iter = 0; iter < iters; iter++) {
        uint64_t start[NG + 1], want[NG + 1];

        if (tcg_code_size(ctx) > (2u << 20))
            tcg_code_buffer_reset(ctx); /* what the accel's flush does */
        tb_begin();
        memset(defined, 0, sizeof(defined));
        for (int i = 0; i < NG; i++) {
            vars[i] = tcgv_i64_temp(X[i + 1]);
            defined[i] = true;
        }
        for (int i = 0; i < NT; i++)
            vars[NG + i] = tcg_temp_new_internal(TCG_TYPE_I64,
                                                 (i & 1) ? TEMP_TB : TEMP_EBB);
        int n = 5 + (int)(rnd() % 40);
        for (int i = 0; i < n; i++)
            gen_random_op();
        tcg_gen_exit_tb(NULL, 0);

        for (int i = 1; i <= NG; i++)
            start[i] = env.x[i] = rnd() >> (rnd() % 64);
        interpret();
        for (int i = 1; i <= NG; i++) {
            want[i] = env.x[i];
            env.x[i] = start[i];
        }
        const void *code = tb_finish(false);
        tb_run(code);
        for (int i = 1; i <= NG; i++) {
            if (env.x[i] != want[i]) {
                printf("#   iter %d: x%d = %#" PRIx64 ", want %#" PRIx64 "\n",
                       iter, i, env.x[i], want[i]);
                unit_case_failed = 1;
                return;
            }
        }
    }
}

#ifndef RANDOM_PINNED
#define RANDOM_PINNED 0
#endif

int main(void)
{
    harness_pinned = RANDOM_PINNED;
    harness_init();
    return unit_run();
}
