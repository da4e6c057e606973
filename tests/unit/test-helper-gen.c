/* needs: none */
/*
 * include/mimic/helper-gen.h: the prototypes, TCGHelperInfos and
 * gen_helper_*() made from a helper list.  A list of test helpers
 * (helper-gen-test.def) covers every type name and arity: the tests check
 * the call op that each generator emits and its info, then run the TB to
 * see that the arguments and results travel as the types say.  A second
 * list with another env type is expanded in the same file, as a second
 * target's would be.  That a wrong temp or a wrong definition does not
 * compile is test-helper-gen-types.sh's.
 */
#include <stdlib.h>

#include "test-tcg-harness.h"
#include "mimic/helper-gen.h"

#define HELPER_ENV_TYPE FakeEnv
#include "helper-gen-test.def"
#undef HELPER_ENV_TYPE

/* The second list: env is a bare register file. */
#define HELPER_ENV_TYPE uint64_t
DEF_HELPER_1(hg_x1, i64, env, TCG_CALL_NO_RWG)
#undef HELPER_ENV_TYPE

static int count_calls;

uint64_t helper_hg_count(void)
{
    return (uint64_t)++count_calls;
}

uint32_t helper_hg_mul32(uint32_t a, uint32_t b)
{
    return a * b + 1;
}

uint64_t helper_hg_sum6(uint64_t a, uint64_t b, uint64_t c, uint64_t d,
                        uint64_t e, uint64_t f)
{
    return a + 2 * b + 3 * c + 4 * d + 5 * e + 6 * f;
}

void helper_hg_poke(FakeEnv *e, uint64_t v)
{
    e->x[5] = v;
}

void *helper_hg_scratch(FakeEnv *e)
{
    return e->scratch + 8;
}

uint64_t helper_hg_is_scratch(FakeEnv *e, void *p)
{
    return p == (void *)(e->scratch + 8);
}

/* Never called: the tests only generate calls to it. */
_Noreturn void helper_hg_raise(FakeEnv *e, uint64_t a, uint64_t b)
{
    abort();
}

uint64_t helper_hg_x1(uint64_t *regs)
{
    return regs[1];
}

/* The info of the call op just emitted (NULL if the last op is no call). */
static const TCGHelperInfo *last_call(TCGOp **opp)
{
    TCGOp *op = ctx->ops_last;

    *opp = op;
    if (!op || op->opc != INDEX_op_call)
        return NULL;
    return (const TCGHelperInfo *)op->args[op->nb_oargs + op->nb_iargs];
}

TEST(info_from_the_list)
{
    const TCGHelperInfo *info;
    TCGOp *op;

    tb_begin();
    gen_helper_hg_sum6(X[10], X[1], X[2], X[3], X[4], X[5], X[6]);
    info = last_call(&op);
    EXPECT(info != NULL);
    if (!info)
        return;
    EXPECT_STREQ(info->name, "hg_sum6");
    EXPECT(info->func == (void *)helper_hg_sum6);
    EXPECT_EQ(info->flags, TCG_CALL_NO_RWG);
    EXPECT_EQ(op->args[op->nb_oargs + op->nb_iargs + 1], TCG_CALL_NO_RWG);
    EXPECT_EQ(info->nb_args, 6);
    EXPECT(info->has_ret);
    EXPECT_EQ(info->ret_type, TCG_TYPE_I64);
    for (int i = 0; i < 6; i++)
        EXPECT_EQ(info->arg_types[i], TCG_TYPE_I64);
    /* The op: the result, then the arguments in the list's order. */
    EXPECT_EQ(op->nb_oargs, 1);
    EXPECT_EQ(op->nb_iargs, 6);
    EXPECT(arg_temp(op->args[0]) == tcgv_i64_temp(X[10]));
    for (int i = 0; i < 6; i++)
        EXPECT(arg_temp(op->args[1 + i]) == tcgv_i64_temp(X[1 + i]));

    gen_helper_hg_mul32(W[3], W[1], W[2]);
    info = last_call(&op);
    EXPECT(info && info->ret_type == TCG_TYPE_I32 &&
           info->arg_types[0] == TCG_TYPE_I32 &&
           info->arg_types[1] == TCG_TYPE_I32 &&
           info->flags == TCG_CALL_NO_RWG_SE);

    gen_helper_hg_count(X[11]);
    info = last_call(&op);
    EXPECT(info && info->nb_args == 0 && info->has_ret && op->nb_iargs == 0);

    /* env and ptr are pointers to the IR; void has no result. */
    gen_helper_hg_poke(tcg_env(), X[1]);
    info = last_call(&op);
    EXPECT(info && !info->has_ret && op->nb_oargs == 0 &&
           info->arg_types[0] == TCG_TYPE_PTR && info->flags == 0);
    EXPECT(arg_temp(op->args[0]) == tcgv_ptr_temp(tcg_env()));
}

TEST(noreturn_sets_the_flag)
{
    const TCGHelperInfo *info;
    TCGOp *op;

    tb_begin();
    gen_helper_hg_raise(tcg_env(), X[1], X[2]);
    info = last_call(&op);
    EXPECT(info != NULL);
    if (!info)
        return;
    EXPECT_EQ(info->flags, TCG_CALL_NO_RETURN | TCG_CALL_NO_WRITE_GLOBALS);
    EXPECT_EQ(op->args[op->nb_oargs + op->nb_iargs + 1],
              TCG_CALL_NO_RETURN | TCG_CALL_NO_WRITE_GLOBALS);
    EXPECT(!info->has_ret);
    EXPECT_EQ(op->nb_oargs, 0);
    EXPECT_EQ(info->nb_args, 3);
}

TEST(generated_calls_run)
{
    TCGv_ptr p;

    tb_begin();
    p = tcg_temp_new_ptr();
    gen_helper_hg_count(X[10]);
    gen_helper_hg_count(X[11]);
    gen_helper_hg_sum6(X[12], X[1], X[2], X[3], X[4], X[5], X[6]);
    gen_helper_hg_mul32(W[3], W[1], W[2]);
    /* A helper that writes a global (flags 0): the IR reloads it. */
    tcg_gen_addi_i64(X[5], X[5], 1);
    gen_helper_hg_poke(tcg_env(), X[7]);
    tcg_gen_addi_i64(X[13], X[5], 1);
    gen_helper_hg_scratch(p, tcg_env());
    gen_helper_hg_is_scratch(X[14], tcg_env(), p);
    gen_helper_hg_x1(X[15], tcg_env());
    const void *code = tb_finish(true);

    for (int i = 1; i <= 7; i++)
        env.x[i] = (uint64_t)i;
    env.w[1] = 0x10000;
    env.w[2] = 0x10001;
    count_calls = 0;
    tb_run(code);
    EXPECT_EQ(env.x[10], 1);
    EXPECT_EQ(env.x[11], 2);
    EXPECT_EQ(env.x[12], helper_hg_sum6(1, 2, 3, 4, 5, 6));
    EXPECT_EQ(env.w[3], 0x10000u * 0x10001u + 1);   /* wraps at 32 bits */
    EXPECT_EQ(env.x[5], 7);
    EXPECT_EQ(env.x[13], 8);
    EXPECT_EQ(env.x[14], 1);
    EXPECT_EQ(env.x[15], 1);
}

int main(void)
{
    harness_init();
    return unit_run();
}
