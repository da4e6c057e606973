/* needs: none */
/*
 * The optimizer (and liveness's dead-code removal) on small op lists,
 * checked through the -d op_opt dump: constant chains fold to one move,
 * branches with known outcomes become br or vanish, copies propagate,
 * knowledge is forgotten at labels and after helpers that write globals,
 * algebraic identities simplify, redundant extensions go, dead ops go;
 * nothing learnt leaks into a TB translated by another thread.
 */
#include <stdlib.h>

#include "test-tcg-harness.h"

/* Runs the passes and returns the op list as text (caller frees). */
static char *optimized(void)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);

    tcg_optimize(ctx);
    tcg_liveness_analysis(ctx);
    ctx->liveness_done = false;
    tcg_dump_ops(ctx, f);
    fclose(f);
    return buf;
}

#define EXPECT_OPS(want)                                                       \
    do {                                                                       \
        char *got_ = optimized();                                              \
        EXPECT_STREQ(got_, want);                                              \
        free(got_);                                                            \
    } while (0)

TEST(constant_chain_folds_to_one_move)
{
    tb_begin();
    TCGv_i64 t = tcg_temp_new_i64();
    tcg_gen_movi_i64(t, 1);
    tcg_gen_addi_i64(t, t, 2);
    tcg_gen_muli_i64(t, t, 3);
    tcg_gen_xori_i64(X[1], t, 5);
    tcg_gen_shli_i64(X[2], X[1], 4);
    TCGv_i32 w = tcg_temp_new_i32();
    tcg_gen_movi_i32(w, -1);
    tcg_gen_shri_i32(W[1], w, 28);
    EXPECT_OPS("mov_i64 x1,$0xc\nmov_i64 x2,$0xc0\nmov_i32 w1,$0xf\n");
}

TEST(brcond_with_known_outcome)
{
    TCGLabel *l1, *l2;

    tb_begin();
    l1 = gen_new_label();
    l2 = gen_new_label();
    tcg_gen_movi_i64(X[1], 3);
    tcg_gen_brcondi_i64(TCG_COND_LTU, X[1], 2, l1); /* never taken: vanishes */
    tcg_gen_addi_i64(X[2], X[2], 1);
    gen_set_label(l1);                             /* unused now: merges */
    tcg_gen_brcondi_i64(TCG_COND_GT, X[1], 2, l2); /* always taken: br */
    tcg_gen_addi_i64(X[3], X[3], 1);               /* unreachable */
    gen_set_label(l2);
    tcg_gen_exit_tb(NULL, 0);
    EXPECT_OPS("mov_i64 x1,$0x3\nadd_i64 x2,x2,$0x1\nbr $L1\nset_label "
               "$L1\nexit_tb $0x0\n");
}

TEST(copies_propagate)
{
    tb_begin();
    TCGv_i64 t = tcg_temp_new_i64();
    tcg_gen_mov_i64(t, X[1]);
    tcg_gen_add_i64(X[2], t, X[3]);
    tcg_gen_mov_i64(X[4], X[2]);
    tcg_gen_sub_i64(X[5], X[4], X[2]); /* copies: x - x = 0 */
    tcg_gen_addi_i64(X[1], X[1], 1);   /* t keeps the old x1 */
    tcg_gen_add_i64(X[6], t, X[1]);
    EXPECT_OPS(
        "mov_i64 tmp0,x1\nadd_i64 x2,x1,x3\nmov_i64 x4,x2\nmov_i64 x5,$0x0\n"
        "add_i64 x1,x1,$0x1\nadd_i64 x6,tmp0,x1\n");
}

TEST(knowledge_forgotten_at_labels_and_calls)
{
    static const TCGHelperInfo wr = {(void *)abs, "wr",         0,  0,
                                     false,       TCG_TYPE_I64, {0}};
    static const TCGHelperInfo pure = {
        (void *)abs, "pure", TCG_CALL_NO_RWG, 0, false, TCG_TYPE_I64, {0}};
    TCGLabel *l;

    tb_begin();
    l = gen_new_label();
    tcg_gen_movi_i64(X[1], 5);
    tcg_gen_brcondi_i64(TCG_COND_EQ, X[2], 0, l);
    tcg_gen_addi_i64(X[3], X[1], 1); /* fall-through still knows x1 */
    gen_set_label(l);
    tcg_gen_addi_i64(X[4], X[1], 1); /* not after the label */
    tcg_gen_movi_i64(X[5], 7);
    tcg_gen_call0(&pure, NULL);
    tcg_gen_addi_i64(X[6], X[5], 1); /* a pure helper keeps it */
    tcg_gen_call0(&wr, NULL);
    tcg_gen_addi_i64(X[7], X[5], 1); /* a writing helper does not */
    EXPECT_OPS("mov_i64 x1,$0x5\nbrcond_i64 x2,$0x0,eq,$L0\nmov_i64 "
               "x3,$0x6\nset_label $L0\n"
               "add_i64 x4,x1,$0x1\nmov_i64 x5,$0x7\ncall "
               "pure,$0x3,$0\nmov_i64 x6,$0x8\n"
               "call wr,$0x0,$0\nadd_i64 x7,x5,$0x1\n");
}

TEST(algebraic_identities)
{
    tb_begin();
    tcg_gen_add_i64(X[1], X[2], tcg_constant_i64(0));
    tcg_gen_mul_i64(X[3], X[2], tcg_constant_i64(1));
    tcg_gen_and_i64(X[4], X[2], tcg_constant_i64(0));
    tcg_gen_or_i64(X[5], X[2], X[2]);
    tcg_gen_xor_i64(X[6], X[2], X[2]);
    tcg_gen_shl_i64(X[7], X[2], tcg_constant_i64(64));
    tcg_gen_and_i64(X[8], X[2], tcg_constant_i64(-1));
    tcg_gen_sub_i64(X[9], X[2], tcg_constant_i64(3));
    tcg_gen_add_i64(X[10], tcg_constant_i64(9), X[2]);
    EXPECT_OPS(
        "mov_i64 x1,x2\nmov_i64 x3,x2\nmov_i64 x4,$0x0\nmov_i64 x5,x2\nmov_i64 "
        "x6,$0x0\n"
        "mov_i64 x7,x2\nmov_i64 x8,x2\nadd_i64 x9,x2,$0xfffffffffffffffd\n"
        "add_i64 x10,x2,$0x9\n");
}

TEST(redundant_extensions_go)
{
    tb_begin();
    TCGv_i64 t = tcg_temp_new_i64();
    tcg_gen_ld8u_i64(t, tcg_env(), 0);
    tcg_gen_ext8u_i64(X[1], t);
    tcg_gen_ext32u_i64(X[2], X[1]);
    tcg_gen_andi_i64(X[3], X[1], 0xfff);
    tcg_gen_ext8s_i64(X[4], X[1]); /* may be negative: stays */
    EXPECT_OPS("ld8u_i64 x1,env,$0x0\nmov_i64 x2,x1\nmov_i64 x3,x1\n"
               "ext8s_i64 x4,x1\n");
}

/* A result made in a scratch temp and then moved to a register is made
   in the register (liveness), commutative ops with that register's old
   value first (so a two-address host works in place). */
TEST(results_go_straight_to_their_register)
{
    tb_begin();
    TCGv_i64 t = tcg_temp_new_i64(), u = tcg_temp_new_i64();
    tcg_gen_mul_i64(t, X[2], X[1]);
    tcg_gen_mov_i64(X[1], t);
    tcg_gen_sub_i64(u, X[3], X[1]);
    tcg_gen_mov_i64(X[4], u);
    tcg_gen_mov_i64(X[5], u);   /* (reads x4, the copy) */
    EXPECT_OPS("mul_i64 x1,x1,x2\nsub_i64 x4,x3,x1\nmov_i64 x5,x4\n");
}

/* Of a value's copies, the oldest global is read (the frontend's flag
   copies are overwritten an insn later: reading them would keep their
   writes alive). */
TEST(the_oldest_copy_is_read)
{
    tb_begin();
    TCGv_i64 t = tcg_temp_new_i64();
    tcg_gen_xor_i64(X[1], X[1], X[2]);
    tcg_gen_mov_i64(X[9], X[1]);
    tcg_gen_mov_i64(t, X[1]);
    tcg_gen_muli_i64(X[3], t, 5);
    tcg_gen_movi_i64(X[9], 0);
    EXPECT_OPS("xor_i64 x1,x1,x2\nmul_i64 x3,x1,$0x5\nmov_i64 x9,$0x0\n");
}

TEST(conditions_on_copies_and_constants)
{
    tb_begin();
    tcg_gen_setcond_i64(TCG_COND_LE, X[1], X[2], X[2]);
    tcg_gen_setcond_i64(TCG_COND_LTU, X[3], X[2], tcg_constant_i64(0));
    tcg_gen_movcond_i64(TCG_COND_EQ, X[4], X[5], X[5], X[6], X[7]);
    tcg_gen_setcond_i64(TCG_COND_LT, X[8], tcg_constant_i64(4), X[2]);
    EXPECT_OPS("mov_i64 x1,$0x1\nmov_i64 x3,$0x0\nmov_i64 x4,x6\nsetcond_i64 "
               "x8,x2,$0x4,gt\n");
}

TEST(dead_ops_go)
{
    tb_begin();
    TCGv_i64 t = tcg_temp_new_i64();
    tcg_gen_muli_i64(t, X[1], 3); /* result never used */
    tcg_gen_movi_i64(X[2], 1);    /* overwritten below */
    tcg_gen_add_i64(X[2], X[1], X[1]);
    EXPECT_OPS("add_i64 x2,x1,x1\n");
}

/* A global the target restores at a fault itself (x86's cc_op) is not
   stored before an access that may fault: a value overwritten after the
   access is never written.  Another global is. */
TEST(fault_restored_globals_skip_the_sync_before_an_access)
{
    tb_begin();
    TCGv_i64 t = tcg_temp_new_i64();
    tcg_global_fault_restored(tcgv_i64_temp(X[9]), true);
    tcg_gen_movi_i64(X[9], 1);
    tcg_gen_movi_i64(X[10], 1);
    tcg_gen_qemu_ld_i64(t, X[1], 0, MO_UQ);
    tcg_gen_movi_i64(X[9], 2);
    tcg_gen_movi_i64(X[10], 2);
    tcg_gen_add_i64(X[2], t, t);
    char *got = optimized();
    tcg_global_fault_restored(tcgv_i64_temp(X[9]), false);
    EXPECT_STREQ(got, "mov_i64 x10,$0x1\n"
                      "qemu_ld_i64 tmp0,x1,uq,0\n"
                      "mov_i64 x9,$0x2\n"
                      "mov_i64 x10,$0x2\n"
                      "add_i64 x2,tmp0,tmp0\n");
    free(got);
}

/* vCPU threads take turns translating with one context: what one
   thread's optimizer learnt must not apply in another's TB. */
static gpointer learn_x7_is_5(gpointer unused)
{
    (void)unused;
    tb_begin();
    tcg_gen_movi_i64(X[7], 5);
    return optimized();
}

static gpointer add_1_to_x7(gpointer unused)
{
    (void)unused;
    tb_begin();
    tcg_gen_addi_i64(X[8], X[7], 1);
    return optimized();
}

TEST(knowledge_stays_in_its_tb_across_threads)
{
    harness_init();
    char *a = g_thread_join(g_thread_new("a", learn_x7_is_5, NULL));
    char *b = g_thread_join(g_thread_new("b", add_1_to_x7, NULL));
    EXPECT_STREQ(a, "mov_i64 x7,$0x5\n");
    EXPECT_STREQ(b, "add_i64 x8,x7,$0x1\n");
    free(a);
    free(b);
}

TEST(optimized_code_still_runs)
{
    TCGLabel *l;

    tb_begin();
    l = gen_new_label();
    TCGv_i64 t = tcg_temp_new_i64();
    tcg_gen_movi_i64(t, 10);
    tcg_gen_mov_i64(X[2], t);
    tcg_gen_brcondi_i64(TCG_COND_NE, X[2], 10, l);
    tcg_gen_add_i64(X[1], X[1], t);
    gen_set_label(l);
    tcg_gen_sub_i64(X[3], X[1], X[1]);
    const void *code = tb_finish(true);
    env.x[1] = 5;
    env.x[3] = 9;
    tb_run(code);
    EXPECT_EQ(env.x[1], 15);
    EXPECT_EQ(env.x[2], 10);
    EXPECT_EQ(env.x[3], 0);
    EXPECT(ctx->stat_ops_opt < ctx->stat_ops);
}

int main(void)
{
    harness_init();
    return unit_run();
}
