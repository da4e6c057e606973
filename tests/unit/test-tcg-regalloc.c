/* needs: none */
/*
 * Register allocation and control flow in generated code: more live
 * values than host registers (spills), loops inside one TB with TB temps
 * and globals, EBB temps across a conditional branch, helper calls with
 * 0 to 6 arguments and return values (and what they may do to globals),
 * a loop of ALU ops that must contain no call, and the out-of-space
 * report when the code buffer's high-water mark is near.
 */
#include <capstone.h>

#include "test-tcg-harness.h"
#include "tcg/tcg-internal.h"

TEST(register_pressure_globals_and_temps)
{
    TCGv_i64 t[40];
    uint64_t ref[32], tv[40];

    tb_begin();
    for (int i = 0; i < 40; i++) {
        t[i] = tcg_temp_new_i64();
        tcg_gen_muli_i64(t[i], X[i % 32], i + 3);
        tcg_gen_xor_i64(t[i], t[i], X[(i + 7) % 32]);
    }
    for (int i = 0; i < 32; i++)
        tcg_gen_add_i64(X[i], X[i], X[(i + 1) % 32]);
    for (int i = 0; i < 40; i++)
        tcg_gen_add_i64(X[i % 32], X[i % 32], t[i]);
    const void *code = tb_finish(true);

    for (int i = 0; i < 32; i++)
        env.x[i] = ref[i] = 0x1000 * i + 0x11 * (uint64_t)i * i + 5;
    for (int i = 0; i < 40; i++)
        tv[i] = ref[i % 32] * (uint64_t)(i + 3) ^ ref[(i + 7) % 32];
    for (int i = 0; i < 32; i++)
        ref[i] += (i == 31) ? ref[0] : ref[i + 1];
    for (int i = 0; i < 40; i++)
        ref[i % 32] += tv[i];
    tb_run(code);
    for (int i = 0; i < 32; i++)
        EXPECT_EQ(env.x[i], ref[i]);
    EXPECT(ctx->stat_spills > 0);
}

TEST(loop_with_tb_temp)
{
    TCGLabel *top;
    TCGv_i64 n;

    tb_begin();
    top = gen_new_label();
    n = tcg_temp_tb_new_i64();
    tcg_gen_movi_i64(n, 0);
    gen_set_label(top);
    tcg_gen_add_i64(X[1], X[1], X[2]);
    tcg_gen_addi_i64(n, n, 1);
    tcg_gen_brcondi_i64(TCG_COND_LTU, n, 100, top);
    tcg_gen_mov_i64(X[3], n);
    const void *code = tb_finish(true);
    env.x[1] = 5;
    env.x[2] = 7;
    tb_run(code);
    EXPECT_EQ(env.x[1], 5 + 700);
    EXPECT_EQ(env.x[3], 100);
}

TEST(loop_on_globals_and_forward_branches)
{
    TCGLabel *top, *skip, *out;

    tb_begin();
    top = gen_new_label();
    skip = gen_new_label();
    out = gen_new_label();
    gen_set_label(top);
    tcg_gen_brcondi_i64(TCG_COND_EQ, X[3], 0, out);
    tcg_gen_andi_i64(X[4], X[3], 1);
    tcg_gen_brcondi_i64(TCG_COND_NE, X[4], 0, skip);
    tcg_gen_add_i64(X[1], X[1], X[3]); /* sum of even counts */
    gen_set_label(skip);
    tcg_gen_subi_i64(X[3], X[3], 1);
    tcg_gen_br(top);
    gen_set_label(out);
    const void *code = tb_finish(true);
    env.x[1] = 0;
    env.x[3] = 10;
    tb_run(code);
    EXPECT_EQ(env.x[1], 10 + 8 + 6 + 4 + 2);
    EXPECT_EQ(env.x[3], 0);
}

TEST(ebb_temp_across_conditional_branch)
{
    TCGLabel *l;
    TCGv_i64 t = tcg_temp_new_i64();

    tb_begin();
    l = gen_new_label();
    t = tcg_temp_new_i64();
    tcg_gen_muli_i64(t, X[1], 3);
    tcg_gen_brcondi_i64(TCG_COND_EQ, X[2], 0, l);
    tcg_gen_add_i64(X[3], t, X[2]); /* t still live on the fall-through */
    gen_set_label(l);
    const void *code = tb_finish(true);
    env.x[1] = 4;
    env.x[2] = 1;
    env.x[3] = 0;
    tb_run(code);
    EXPECT_EQ(env.x[3], 13);
    env.x[2] = 0;
    env.x[3] = 99;
    tb_run(code);
    EXPECT_EQ(env.x[3], 99);
}

/* ---- Helper calls ---- */

static int helper_calls;
static uint64_t h0(void)
{
    helper_calls++;
    return 42;
}
static uint64_t h1(uint64_t a)
{
    return a * 3;
}
static uint64_t h2(uint64_t a, uint64_t b)
{
    return a - b;
}
static uint64_t h3(uint64_t a, uint64_t b, uint64_t c)
{
    return a * 100 + b * 10 + c;
}
static uint64_t h4(uint64_t a, uint64_t b, uint64_t c, uint64_t d)
{
    return a ^ (b << 8) ^ (c << 16) ^ (d << 24);
}
static uint64_t h5(uint64_t a, uint64_t b, uint64_t c, uint64_t d, uint64_t e)
{
    return a + 2 * b + 3 * c + 4 * d + 5 * e;
}
static uint64_t h6(uint64_t a, uint64_t b, uint64_t c, uint64_t d, uint64_t e,
                   uint64_t f)
{
    return a + 2 * b + 3 * c + 4 * d + 5 * e + 6 * f;
}
static uint32_t h32(uint32_t a, uint32_t b)
{
    return a * b + 1;
}
static void hw(FakeEnv *e)
{
    e->x[5] = 0x5555;
    e->x[6] += 1;
}

#define HINFO(fn, n, flags)                                                    \
    {                                                                          \
        (void *)fn, #fn, flags, n, true, TCG_TYPE_I64,                         \
        {                                                                      \
            TCG_TYPE_I64, TCG_TYPE_I64, TCG_TYPE_I64, TCG_TYPE_I64,            \
                TCG_TYPE_I64, TCG_TYPE_I64                                     \
        }                                                                      \
    }
static const TCGHelperInfo info_h0 = HINFO(h0, 0, TCG_CALL_NO_RWG);
static const TCGHelperInfo info_h1 = HINFO(h1, 1, TCG_CALL_NO_RWG_SE);
static const TCGHelperInfo info_h2 = HINFO(h2, 2, TCG_CALL_NO_RWG_SE);
static const TCGHelperInfo info_h3 = HINFO(h3, 3, 0);
static const TCGHelperInfo info_h4 = HINFO(h4, 4, TCG_CALL_NO_WRITE_GLOBALS);
static const TCGHelperInfo info_h5 = HINFO(h5, 5, TCG_CALL_NO_RWG);
static const TCGHelperInfo info_h6 = HINFO(h6, 6, TCG_CALL_NO_RWG);
static const TCGHelperInfo info_h32 = {(void *)h32,
                                       "h32",
                                       TCG_CALL_NO_RWG,
                                       2,
                                       true,
                                       TCG_TYPE_I32,
                                       {TCG_TYPE_I32, TCG_TYPE_I32}};
static const TCGHelperInfo info_hw = {(void *)hw,   "hw",          0, 1, false,
                                      TCG_TYPE_I64, {TCG_TYPE_PTR}};

TEST(helper_calls_0_to_6_args)
{
    TCGTemp *x[16];

    tb_begin();
    for (int i = 0; i < 16; i++)
        x[i] = tcgv_i64_temp(X[i]);
    tcg_gen_call0(&info_h0, x[10]);
    tcg_gen_call1(&info_h1, x[11], x[1]);
    tcg_gen_call2(&info_h2, x[12], x[2], x[1]);
    tcg_gen_call3(&info_h3, x[13], x[1], x[2], x[3]);
    tcg_gen_call4(&info_h4, x[14], x[4], x[3], x[2], x[1]);
    tcg_gen_call5(&info_h5, x[15], x[1], x[2], x[3], x[4], x[5]);
    tcg_gen_call6(&info_h6, x[9], x[6], x[5], x[4], x[3], x[2], x[1]);
    tcg_gen_call2(&info_h32, tcgv_i32_temp(W[3]), tcgv_i32_temp(W[1]),
                  tcgv_i32_temp(W[2]));
    /* Arguments in swapped order exercise the parallel move into arg regs. */
    tcg_gen_call2(&info_h2, x[8], x[2], x[2]);
    const void *code = tb_finish(true);
    for (int i = 1; i <= 6; i++)
        env.x[i] = (uint64_t)i;
    env.w[1] = 7;
    env.w[2] = 9;
    helper_calls = 0;
    tb_run(code);
    EXPECT_EQ(helper_calls, 1);
    EXPECT_EQ(env.x[10], 42);
    EXPECT_EQ(env.x[11], 3);
    EXPECT_EQ(env.x[12], 1);
    EXPECT_EQ(env.x[13], 123);
    EXPECT_EQ(env.x[14], h4(4, 3, 2, 1));
    EXPECT_EQ(env.x[15], h5(1, 2, 3, 4, 5));
    EXPECT_EQ(env.x[9], h6(6, 5, 4, 3, 2, 1));
    EXPECT_EQ(env.w[3], 64);
    EXPECT_EQ(env.x[8], 0);
    EXPECT(ctx->stat_helper_calls_emitted >= 9);
}

TEST(helper_call_writes_globals)
{
    tb_begin();
    /* x5/x6 are cached in registers, then the helper changes them in env. */
    tcg_gen_addi_i64(X[5], X[5], 1);
    tcg_gen_addi_i64(X[6], X[6], 10);
    tcg_gen_call1(&info_hw, NULL, tcgv_ptr_temp(tcg_env()));
    tcg_gen_add_i64(X[7], X[5], X[6]);
    /* Values live across a call survive in callee-saved registers. */
    TCGv_i64 t = tcg_temp_new_i64();
    tcg_gen_muli_i64(t, X[7], 2);
    tcg_gen_call0(&info_h0, tcgv_i64_temp(X[9]));
    tcg_gen_add_i64(X[8], t, X[9]);
    const void *code = tb_finish(true);
    env.x[5] = 1;
    env.x[6] = 2;
    tb_run(code);
    EXPECT_EQ(env.x[5], 0x5555);
    EXPECT_EQ(env.x[6], 13);
    EXPECT_EQ(env.x[7], 0x5555 + 13);
    EXPECT_EQ(env.x[8], (0x5555 + 13) * 2 + 42);
}

TEST(unused_pure_helper_is_removed)
{
    tb_begin();
    TCGv_i64 t = tcg_temp_new_i64();
    tcg_gen_call1(&info_h1, tcgv_i64_temp(t), tcgv_i64_temp(X[1]));
    uint64_t before = ctx->stat_helper_calls_emitted;
    const void *code = tb_finish(true);
    EXPECT(code != NULL);
    EXPECT_EQ(ctx->stat_helper_calls_emitted, before);
}

/* The host's calls (x86-64: call; aarch64: bl, blr) in size bytes of code. */
static int count_calls(const void *code, size_t size)
{
    csh h;
    cs_insn *insn;
    int calls = 0;
    size_t n;

    if (cs_open(TCG_HOST_CS_ARCH, TCG_HOST_CS_MODE, &h) != CS_ERR_OK)
        return -1;
    n = cs_disasm(h, code, size, (uintptr_t)code, 0, &insn);
    for (size_t i = 0; i < n; i++)
        if (strncmp(insn[i].mnemonic, "call", 4) == 0 ||
            strcmp(insn[i].mnemonic, "bl") == 0 ||
            strcmp(insn[i].mnemonic, "blr") == 0)
            calls++;
    cs_free(insn, n);
    cs_close(&h);
    return calls;
}

TEST(alu_loop_has_no_call)
{
    TCGLabel *top;

    tb_begin();
    top = gen_new_label();
    gen_set_label(top);
    tcg_gen_add_i64(X[1], X[1], X[2]);
    tcg_gen_xor_i64(X[2], X[2], X[1]);
    tcg_gen_shli_i64(X[4], X[1], 3);
    tcg_gen_mul_i64(X[5], X[4], X[2]);
    tcg_gen_sub_i64(X[1], X[1], X[5]);
    tcg_gen_subi_i64(X[3], X[3], 1);
    tcg_gen_brcondi_i64(TCG_COND_NE, X[3], 0, top);
    const void *code = tb_finish(true);
    int size = (int)(ctx->code_ptr - ctx->code_buf);
    EXPECT_EQ(count_calls(code, (size_t)size), 0);
    env.x[3] = 3;
    tb_run(code);
    EXPECT_EQ(env.x[3], 0);
}

TEST(out_of_space_is_reported)
{
    uint8_t *hw = ctx->code_gen_highwater;

    tb_begin();
    for (int i = 0; i < 50; i++)
        tcg_gen_addi_i64(X[i % 8], X[(i + 1) % 8], i);
    ctx->code_gen_highwater = ctx->code_ptr + 64;
    EXPECT_EQ(tcg_gen_code(ctx), -1);
    ctx->code_gen_highwater = hw;
    /* A retry after the flush works. */
    tcg_code_buffer_reset(ctx);
    tb_begin();
    tcg_gen_movi_i64(X[1], 77);
    const void *code = tb_finish(true);
    tb_run(code);
    EXPECT_EQ(env.x[1], 77);
}

TEST(too_many_temps_is_reported)
{
    tb_begin();
    for (int i = 0; i < TCG_MAX_TEMPS + 10; i++)
        tcg_gen_movi_i64(tcg_temp_new_i64(), i);
    EXPECT_EQ(tcg_gen_code(ctx), -2);
}

TEST(insn_records)
{
    tb_begin();
    tcg_gen_insn_start(0x1000, 0);
    tcg_gen_addi_i64(X[1], X[1], 1);
    tcg_gen_insn_start(0x1004, 7);
    tcg_gen_addi_i64(X[2], X[2], 1);
    const void *code = tb_finish(true);
    EXPECT(code != NULL);
    EXPECT_EQ(ctx->nb_insns, 2);
    EXPECT_EQ(ctx->insns[0].pc, 0x1000);
    EXPECT_EQ(ctx->insns[1].pc, 0x1004);
    EXPECT_EQ(ctx->insns[1].extra, 7);
    EXPECT(ctx->insns[0].host_end <= ctx->insns[1].host_end);
    EXPECT(ctx->insns[1].host_end <= (uint32_t)(ctx->code_ptr - ctx->code_buf));
}

TEST(dump_and_disassembly)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f;

    tb_begin();
    tcg_gen_insn_start(0x80000000, 0);
    tcg_gen_addi_i64(X[5], X[5], 1);
    f = open_memstream(&buf, &len);
    tcg_dump_ops(ctx, f);
    fclose(f);
    EXPECT(strstr(buf, "---- 0000000080000000 0000000000000000") != NULL);
    EXPECT(strstr(buf, "add_i64 x5,x5,$0x1") != NULL);
    free(buf);
    const void *code = tb_finish(true);
    f = open_memstream(&buf, &len);
    tcg_disas_host(f, code, (size_t)(ctx->code_ptr - ctx->code_buf));
    fclose(f);
    EXPECT(strstr(buf, "add") != NULL || strstr(buf, "inc") != NULL);
    /* The exit: x86-64's jmp, aarch64's b. */
    EXPECT(strstr(buf, "jmp") != NULL || strstr(buf, " b ") != NULL);
    free(buf);
}

int main(void)
{
    harness_init();
    return unit_run();
}
