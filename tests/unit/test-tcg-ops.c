/* needs: none */
/*
 * Every integer op of the IR, for i32 and i64, generated and run on the
 * host: register-register, register-constant, constant-register and
 * in-place (output = first input) forms over edge-case values, compared
 * with the same computation in C.  Also setcond/movcond/brcond for every
 * condition, constants of every size, host loads/stores of every width,
 * and the IEEE arithmetic ops (results, default NaNs, NaN-boxing and the
 * flags they leave in the host FPU).
 */
#include "test-tcg-harness.h"
#include "mimic/host-fp.h"

static const uint64_t vals[] = {
    0,
    1,
    2,
    3,
    (uint64_t)-1,
    (uint64_t)-2,
    0x7f,
    0x80,
    0xff,
    0x7fff,
    0x8000,
    0xffff,
    0x7fffffff,
    0x80000000,
    0xffffffff,
    0x100000000ull,
    0x7fffffffffffffffull,
    0x8000000000000000ull,
    0x123456789abcdef0ull,
    0xfedcba9876543210ull,
    31,
    32,
    63,
    64,
};
#define NVALS (sizeof(vals) / sizeof(vals[0]))

typedef enum {
    B_ADD,
    B_SUB,
    B_MUL,
    B_AND,
    B_OR,
    B_XOR,
    B_ANDC,
    B_SHL,
    B_SHR,
    B_SAR,
    B_ROTL,
    B_ROTR,
    B_DIV,
    B_DIVU,
    B_REM,
    B_REMU,
    B_MULSH,
    B_MULUH,
    B_MULSUH,
    NB_BIN
} BinOp;
static const char *const bin_names[] = {
    "add", "sub",  "mul",   "and",   "or",     "xor", "andc",
    "shl", "shr",  "sar",   "rotl",  "rotr",   "div", "divu",
    "rem", "remu", "mulsh", "muluh", "mulsuh",
};

static uint64_t ref64(BinOp op, uint64_t a, uint64_t b)
{
    int64_t sa = (int64_t)a, sb = (int64_t)b;
    unsigned c = b & 63;

    switch (op) {
    case B_ADD:
        return a + b;
    case B_SUB:
        return a - b;
    case B_MUL:
        return a * b;
    case B_AND:
        return a & b;
    case B_OR:
        return a | b;
    case B_XOR:
        return a ^ b;
    case B_ANDC:
        return a & ~b;
    case B_SHL:
        return a << c;
    case B_SHR:
        return a >> c;
    case B_SAR:
        return (uint64_t)(sa >> c);
    case B_ROTL:
        return c ? (a << c) | (a >> (64 - c)) : a;
    case B_ROTR:
        return c ? (a >> c) | (a << (64 - c)) : a;
    case B_DIV:
        return (uint64_t)(sa / sb);
    case B_DIVU:
        return a / b;
    case B_REM:
        return (uint64_t)(sa % sb);
    case B_REMU:
        return a % b;
    case B_MULSH:
        return (uint64_t)(((__int128)sa * sb) >> 64);
    case B_MULUH:
        return (uint64_t)(((unsigned __int128)a * b) >> 64);
    case B_MULSUH:
        return (uint64_t)(((__int128)sa * (__int128)(unsigned __int128)b) >>
                          64);
    default:
        return 0;
    }
}

static uint32_t ref32(BinOp op, uint32_t a, uint32_t b)
{
    int32_t sa = (int32_t)a, sb = (int32_t)b;
    unsigned c = b & 31;

    switch (op) {
    case B_ADD:
        return a + b;
    case B_SUB:
        return a - b;
    case B_MUL:
        return a * b;
    case B_AND:
        return a & b;
    case B_OR:
        return a | b;
    case B_XOR:
        return a ^ b;
    case B_ANDC:
        return a & ~b;
    case B_SHL:
        return a << c;
    case B_SHR:
        return a >> c;
    case B_SAR:
        return (uint32_t)(sa >> c);
    case B_ROTL:
        return c ? (a << c) | (a >> (32 - c)) : a;
    case B_ROTR:
        return c ? (a >> c) | (a << (32 - c)) : a;
    case B_DIV:
        return (uint32_t)(sa / sb);
    case B_DIVU:
        return a / b;
    case B_REM:
        return (uint32_t)(sa % sb);
    case B_REMU:
        return a % b;
    case B_MULSH:
        return (uint32_t)(((int64_t)sa * sb) >> 32);
    case B_MULUH:
        return (uint32_t)(((uint64_t)a * b) >> 32);
    default:
        return 0;
    }
}

static bool skip(BinOp op, uint64_t a, uint64_t b, bool is64)
{
    if (op < B_DIV || op > B_REMU)
        return false;
    if (is64)
        return b == 0 || (a == 0x8000000000000000ull && b == (uint64_t)-1);
    return (uint32_t)b == 0 ||
           ((uint32_t)a == 0x80000000u && (uint32_t)b == 0xffffffffu);
}

static void gen_bin(BinOp op, TCGType type, TCGTemp *r, TCGTemp *a, TCGTemp *b)
{
    static const TCGOpcode opcs[] = {
        INDEX_op_add,
        INDEX_op_sub,
        INDEX_op_mul,
        INDEX_op_and,
        INDEX_op_or,
        INDEX_op_xor,
        0,
        INDEX_op_shl,
        INDEX_op_shr,
        INDEX_op_sar,
        0,
        0,
        INDEX_op_div,
        INDEX_op_divu,
        INDEX_op_rem,
        INDEX_op_remu,
        INDEX_op_mulsh,
        INDEX_op_muluh,
        0,
    };
    if (op == B_ANDC) {
        tcg_gen_andc(type, r, a, b);
    } else if (op == B_ROTL || op == B_ROTR) {
        tcg_gen_rot(type, op == B_ROTL, r, a, b);
    } else if (op == B_MULSUH) {
        tcg_gen_mulsuh(type, r, a, b);
    } else {
        TCGOp *o = tcg_emit_op(opcs[op], type, 3);
        o->args[0] = temp_arg(r);
        o->args[1] = temp_arg(a);
        o->args[2] = temp_arg(b);
    }
}

/* form 0: x3 = x1 op x2; 1: x3 = x1 op $b; 2: x3 = $a op x2; 3: x1 = x1 op x2
 */
static void check_bin64(BinOp op, int form)
{
    const void *code[NVALS] = {0};
    int ncode = (form == 1 || form == 2) ? (int)NVALS : 1;

    for (int k = 0; k < ncode; k++) {
        TCGTemp *a = tcgv_i64_temp(X[1]), *b = tcgv_i64_temp(X[2]);
        TCGTemp *r = tcgv_i64_temp(form == 3 ? X[1] : X[3]);
        tb_begin();
        if (form == 1)
            b = tcg_constant_internal(TCG_TYPE_I64, (int64_t)vals[k]);
        if (form == 2)
            a = tcg_constant_internal(TCG_TYPE_I64, (int64_t)vals[k]);
        gen_bin(op, TCG_TYPE_I64, r, a, b);
        code[k] = tb_finish(true);
    }
    for (unsigned i = 0; i < NVALS; i++) {
        for (unsigned j = 0; j < NVALS; j++) {
            if (skip(op, vals[i], vals[j], true))
                continue;
            memset(&env, 0, offsetof(FakeEnv, tlb));
            env.x[1] = vals[i];
            env.x[2] = vals[j];
            tb_run(code[form == 1 ? j : form == 2 ? i : 0]);
            uint64_t got = env.x[form == 3 ? 1 : 3];
            uint64_t want = ref64(op, vals[i], vals[j]);
            if (got != want) {
                printf("#   %s_i64 form %d: %#" PRIx64 ", %#" PRIx64
                       " -> %#" PRIx64 " want %#" PRIx64 "\n",
                       bin_names[op], form, vals[i], vals[j], got, want);
                unit_case_failed = 1;
                return;
            }
        }
    }
}

static void check_bin32(BinOp op, int form)
{
    const void *code[NVALS] = {0};
    int ncode = (form == 1 || form == 2) ? (int)NVALS : 1;

    for (int k = 0; k < ncode; k++) {
        TCGTemp *a = tcgv_i32_temp(W[1]), *b = tcgv_i32_temp(W[2]);
        TCGTemp *r = tcgv_i32_temp(form == 3 ? W[1] : W[3]);
        tb_begin();
        if (form == 1)
            b = tcg_constant_internal(TCG_TYPE_I32, (int32_t)vals[k]);
        if (form == 2)
            a = tcg_constant_internal(TCG_TYPE_I32, (int32_t)vals[k]);
        gen_bin(op, TCG_TYPE_I32, r, a, b);
        code[k] = tb_finish(true);
    }
    for (unsigned i = 0; i < NVALS; i++) {
        for (unsigned j = 0; j < NVALS; j++) {
            if (skip(op, vals[i], vals[j], false))
                continue;
            memset(&env, 0, offsetof(FakeEnv, tlb));
            env.w[1] = (uint32_t)vals[i];
            env.w[2] = (uint32_t)vals[j];
            env.w[3] = 0xdeadbeef;
            tb_run(code[form == 1 ? j : form == 2 ? i : 0]);
            uint32_t got = env.w[form == 3 ? 1 : 3];
            uint32_t want = ref32(op, (uint32_t)vals[i], (uint32_t)vals[j]);
            if (got != want) {
                printf("#   %s_i32 form %d: %#x, %#x -> %#x want %#x\n",
                       bin_names[op], form, (uint32_t)vals[i],
                       (uint32_t)vals[j], got, want);
                unit_case_failed = 1;
                return;
            }
        }
    }
}

TEST(binary_ops_i64)
{
    for (int op = 0; op < NB_BIN; op++)
        for (int form = 0; form < 4; form++)
            check_bin64((BinOp)op, form);
}

TEST(binary_ops_i32)
{
    for (int op = 0; op < NB_BIN; op++) {
        if (op == B_MULSUH)
            continue;
        for (int form = 0; form < 4; form++)
            check_bin32((BinOp)op, form);
    }
}

typedef enum {
    U_NEG,
    U_NOT,
    U_EXT8S,
    U_EXT8U,
    U_EXT16S,
    U_EXT16U,
    U_EXT32S,
    U_EXT32U,
    NB_UN
} UnOp;

static uint64_t ref_un(UnOp op, uint64_t a, bool is64)
{
    uint64_t r;
    switch (op) {
    case U_NEG:
        r = 0 - a;
        break;
    case U_NOT:
        r = ~a;
        break;
    case U_EXT8S:
        r = (uint64_t)(int64_t)(int8_t)a;
        break;
    case U_EXT8U:
        r = (uint8_t)a;
        break;
    case U_EXT16S:
        r = (uint64_t)(int64_t)(int16_t)a;
        break;
    case U_EXT16U:
        r = (uint16_t)a;
        break;
    case U_EXT32S:
        r = (uint64_t)(int64_t)(int32_t)a;
        break;
    default:
        r = (uint32_t)a;
        break;
    }
    return is64 ? r : (uint32_t)r;
}

TEST(unary_ops)
{
    static const TCGOpcode opcs[] = {
        INDEX_op_neg,    INDEX_op_not,    INDEX_op_ext8s,  INDEX_op_ext8u,
        INDEX_op_ext16s, INDEX_op_ext16u, INDEX_op_ext32s, INDEX_op_ext32u,
    };
    for (int is64 = 0; is64 < 2; is64++) {
        for (int op = 0; op < NB_UN; op++) {
            for (int inplace = 0; inplace < 2; inplace++) {
                TCGType type = is64 ? TCG_TYPE_I64 : TCG_TYPE_I32;
                TCGTemp *a = is64 ? tcgv_i64_temp(X[1]) : tcgv_i32_temp(W[1]);
                TCGTemp *r = inplace ? a
                                     : (is64 ? tcgv_i64_temp(X[3])
                                             : tcgv_i32_temp(W[3]));
                tb_begin();
                TCGOp *o = tcg_emit_op(opcs[op], type, 2);
                o->args[0] = temp_arg(r);
                o->args[1] = temp_arg(a);
                const void *code = tb_finish(true);
                for (unsigned i = 0; i < NVALS; i++) {
                    env.x[1] = vals[i];
                    env.w[1] = (uint32_t)vals[i];
                    tb_run(code);
                    uint64_t got =
                        is64 ? env.x[inplace ? 1 : 3] : env.w[inplace ? 1 : 3];
                    EXPECT_EQ(got, ref_un((UnOp)op, vals[i], is64));
                }
            }
        }
    }
}

TEST(width_changes)
{
    tb_begin();
    tcg_gen_ext_i32_i64(X[3], W[1]);
    tcg_gen_extu_i32_i64(X[4], W[1]);
    tcg_gen_extrl_i64_i32(W[2], X[1]);
    const void *code = tb_finish(true);
    for (unsigned i = 0; i < NVALS; i++) {
        env.w[1] = (uint32_t)vals[i];
        env.x[1] = vals[i];
        tb_run(code);
        EXPECT_EQ(env.x[3], (uint64_t)(int64_t)(int32_t)vals[i]);
        EXPECT_EQ(env.x[4], (uint32_t)vals[i]);
        EXPECT_EQ(env.w[2], (uint32_t)vals[i]);
    }
}

static const TCGCond conds[] = {
    TCG_COND_EQ,  TCG_COND_NE,  TCG_COND_LT,     TCG_COND_GE,
    TCG_COND_LE,  TCG_COND_GT,  TCG_COND_LTU,    TCG_COND_GEU,
    TCG_COND_LEU, TCG_COND_GTU, TCG_COND_ALWAYS, TCG_COND_NEVER,
};
#define NCONDS (sizeof(conds) / sizeof(conds[0]))

static void check_conds(TCGType type, bool imm)
{
    bool is64 = type == TCG_TYPE_I64;

    for (unsigned c = 0; c < NCONDS; c++) {
        for (unsigned j = 0; j < (imm ? NVALS : 1); j++) {
            TCGTemp *a = is64 ? tcgv_i64_temp(X[1]) : tcgv_i32_temp(W[1]);
            TCGTemp *b = is64 ? tcgv_i64_temp(X[2]) : tcgv_i32_temp(W[2]);
            TCGTemp *r = is64 ? tcgv_i64_temp(X[3]) : tcgv_i32_temp(W[3]);
            TCGTemp *m = is64 ? tcgv_i64_temp(X[4]) : tcgv_i32_temp(W[4]);
            TCGTemp *v1 = is64 ? tcgv_i64_temp(X[5]) : tcgv_i32_temp(W[5]);
            TCGTemp *v2 = is64 ? tcgv_i64_temp(X[6]) : tcgv_i32_temp(W[6]);
            TCGTemp *br = is64 ? tcgv_i64_temp(X[7]) : tcgv_i32_temp(W[7]);
            TCGLabel *l = gen_new_label();

            tb_begin();
            l = gen_new_label();
            if (imm)
                b = tcg_constant_internal(type, (int64_t)vals[j]);
            tcg_gen_setcond(type, conds[c], r, a, b);
            tcg_gen_movcond(type, conds[c], m, a, b, v1, v2);
            tcg_gen_movi(type, br, 1);
            tcg_gen_brcond(type, conds[c], a, b, l);
            tcg_gen_movi(type, br, 0);
            gen_set_label(l);
            const void *code = tb_finish(true);
            for (unsigned i = 0; i < NVALS; i++) {
                for (unsigned k = 0; k < (imm ? 1 : NVALS); k++) {
                    uint64_t bv = imm ? vals[j] : vals[k];
                    env.x[1] = vals[i];
                    env.x[2] = bv;
                    env.w[1] = (uint32_t)vals[i];
                    env.w[2] = (uint32_t)bv;
                    env.x[5] = env.w[5] = 0x55555555;
                    env.x[6] = env.w[6] = 0x66666666;
                    tb_run(code);
                    bool want = tcg_cond_eval(conds[c], type, vals[i], bv);
                    uint64_t got_r = is64 ? env.x[3] : env.w[3];
                    uint64_t got_m = is64 ? env.x[4] : env.w[4];
                    uint64_t got_b = is64 ? env.x[7] : env.w[7];
                    if (got_r != want ||
                        got_m != (want ? 0x55555555u : 0x66666666u) ||
                        got_b != want) {
                        printf("#   cond %s i%d imm=%d a=%#" PRIx64
                               " b=%#" PRIx64 ": set %" PRIu64 " mov %#" PRIx64
                               " br %" PRIu64 "\n",
                               tcg_cond_name(conds[c]), is64 ? 64 : 32, imm,
                               vals[i], bv, got_r, got_m, got_b);
                        unit_case_failed = 1;
                        return;
                    }
                }
            }
        }
    }
}

TEST(conditions_i64)
{
    check_conds(TCG_TYPE_I64, false);
    check_conds(TCG_TYPE_I64, true);
}
TEST(conditions_i32)
{
    check_conds(TCG_TYPE_I32, false);
    check_conds(TCG_TYPE_I32, true);
}

TEST(constants_of_every_size)
{
    static const int64_t c64[] = {
        0,
        1,
        -1,
        127,
        -128,
        128,
        0x7fffffff,
        -0x80000000ll,
        0x80000000ll,
        0xffffffffll,
        0x100000000ll,
        INT64_MAX,
        INT64_MIN,
        0x123456789abcdef0ll,
    };
    tb_begin();
    for (unsigned i = 0; i < sizeof(c64) / sizeof(c64[0]); i++)
        tcg_gen_movi_i64(X[i + 8], c64[i]);
    tcg_gen_movi_i32(W[1], -5);
    tcg_gen_movi_i32(W[2], 0x7fffffff);
    tcg_gen_addi_i64(X[1], X[2],
                     0x123456789ll); /* add with a 64-bit immediate */
    const void *code = tb_finish(true);
    env.x[2] = 1;
    tb_run(code);
    for (unsigned i = 0; i < sizeof(c64) / sizeof(c64[0]); i++)
        EXPECT_EQ(env.x[i + 8], c64[i]);
    EXPECT_EQ(env.w[1], (uint32_t)-5);
    EXPECT_EQ(env.w[2], 0x7fffffff);
    EXPECT_EQ(env.x[1], 0x12345678all);
}

TEST(host_loads_and_stores)
{
    TCGv_ptr e = tcg_env();
    intptr_t sc = offsetof(FakeEnv, scratch);

    tb_begin();
    e = tcg_env();
    tcg_gen_ld8u_i64(X[1], e, sc);
    tcg_gen_ld8s_i64(X[2], e, sc);
    tcg_gen_ld16u_i64(X[3], e, sc);
    tcg_gen_ld16s_i64(X[4], e, sc);
    tcg_gen_ld32u_i64(X[5], e, sc);
    tcg_gen_ld32s_i64(X[6], e, sc);
    tcg_gen_ld_i64(X[7], e, sc);
    tcg_gen_ld_i32(W[1], e, sc);
    tcg_gen_ld8s_i32(W[2], e, sc);
    tcg_gen_ld16s_i32(W[3], e, sc);
    tcg_gen_st8_i64(X[10], e, sc + 8);
    tcg_gen_st16_i64(X[10], e, sc + 16);
    tcg_gen_st32_i64(X[10], e, sc + 24);
    tcg_gen_st_i64(X[10], e, sc + 32);
    tcg_gen_st_i64(tcg_constant_i64(-2), e, sc + 40);
    tcg_gen_st8_i32(tcg_constant_i32(0x1ab), e, sc + 48);
    tcg_gen_st16_i32(W[4], e, sc + 56);
    const void *code = tb_finish(true);
    memset(env.scratch, 0xee, sizeof(env.scratch));
    uint64_t v = 0xfedcba9887654321ull;
    memcpy(env.scratch, &v, 8);
    env.x[10] = 0x1122334455667788ull;
    env.w[4] = 0xabcd1234;
    tb_run(code);
    EXPECT_EQ(env.x[1], 0x21);
    EXPECT_EQ(env.x[2], 0x21);
    EXPECT_EQ(env.x[3], 0x4321);
    EXPECT_EQ(env.x[4], 0x4321);
    EXPECT_EQ(env.x[5], 0x87654321);
    EXPECT_EQ(env.x[6], 0xffffffff87654321ull);
    EXPECT_EQ(env.x[7], v);
    EXPECT_EQ(env.w[1], 0x87654321);
    EXPECT_EQ(env.w[2], 0x21);
    EXPECT_EQ(env.w[3], 0x4321);
    uint64_t m;
    memcpy(&m, env.scratch + 8, 8);
    EXPECT_EQ(m, 0xeeeeeeeeeeeeee88ull);
    memcpy(&m, env.scratch + 16, 8);
    EXPECT_EQ(m, 0xeeeeeeeeeeee7788ull);
    memcpy(&m, env.scratch + 24, 8);
    EXPECT_EQ(m, 0xeeeeeeee55667788ull);
    memcpy(&m, env.scratch + 32, 8);
    EXPECT_EQ(m, 0x1122334455667788ull);
    memcpy(&m, env.scratch + 40, 8);
    EXPECT_EQ(m, (uint64_t)-2);
    EXPECT_EQ(env.scratch[48], 0xab);
    EXPECT_EQ(env.scratch[49], 0xee);
    memcpy(&m, env.scratch + 56, 8);
    EXPECT_EQ(m, 0xeeeeeeeeeeee1234ull);
}

TEST(exit_tb_value)
{
    tb_begin();
    tcg_gen_exit_tb((void *)0x123450, 1);
    const void *code = tb_finish(false);
    EXPECT_EQ(tb_run(code), 0x123451);
    tb_begin();
    tcg_gen_mb(TCG_MO_ALL);
    tcg_gen_mb(TCG_MO_LD_LD);
    const void *code2 = tb_finish(true);
    EXPECT_EQ(tb_run(code2), 0);
}

/* The IEEE arithmetic ops: IEEE results in round to nearest even, the
   default NaN for every NaN (TCG_FP_NAN_DEFAULT) or x86's NaNs
   (TCG_FP_NAN_X86), NaN-boxed binary32 or binary32 under other upper
   bits, and their flags (under TCG_FP_NAN_X86 the denormal-operand flag
   too, on this host; the other policy's NaN check may raise it). */
typedef struct FPCase {
    TCGOpcode opc;
    unsigned fmt;
    uint64_t a, b, expect;
    unsigned exc;
} FPCase;

#define X64 (TCG_FP_F64 | TCG_FP_NAN_X86)
#define X32 (TCG_FP_F32 | TCG_FP_NAN_X86)

#define BOXED(v) (0xffffffff00000000ull | (uint32_t)(v))
#define DNAN_D 0x7ff8000000000000ull
#define DNAN_S BOXED(0x7fc00000)

static const FPCase fp_cases[] = {
    {INDEX_op_fadd, TCG_FP_F64, 0x3ff0000000000000ull, 0x4000000000000000ull,
     0x4008000000000000ull, 0},
    {INDEX_op_fdiv, TCG_FP_F64, 0x3ff0000000000000ull, 0x4008000000000000ull,
     0x3fd5555555555555ull, FP_EXC_INEXACT},
    {INDEX_op_fmul, TCG_FP_F64, 0x0010000000000001ull, 0x3fe0000000000000ull,
     0x0008000000000000ull, FP_EXC_UNDERFLOW | FP_EXC_INEXACT},
    {INDEX_op_fmul, TCG_FP_F64, 0x3feffffffffffffeull, 0x0010000000000001ull,
     0x0010000000000000ull, FP_EXC_INEXACT},   /* tiny only before rounding */
    {INDEX_op_fmul, TCG_FP_F64, 0x7fefffffffffffffull, 0x4000000000000000ull,
     0x7ff0000000000000ull, FP_EXC_OVERFLOW | FP_EXC_INEXACT},
    {INDEX_op_fdiv, TCG_FP_F64, 0xbff0000000000000ull, 0, 0xfff0000000000000ull,
     FP_EXC_DIVBYZERO},
    {INDEX_op_fsub, TCG_FP_F64, 0x7ff0000000000000ull, 0x7ff0000000000000ull,
     DNAN_D, FP_EXC_INVALID},
    {INDEX_op_fadd, TCG_FP_F64, 0xfff8000000000001ull, 0, DNAN_D, 0},
    {INDEX_op_fadd, TCG_FP_F64, 0x7ff0000000000001ull, 0, DNAN_D,
     FP_EXC_INVALID},
    {INDEX_op_fsqrt, TCG_FP_F64, 0x4010000000000000ull, 0,
     0x4000000000000000ull, 0},
    {INDEX_op_fsqrt, TCG_FP_F64, 0xbff0000000000000ull, 0, DNAN_D,
     FP_EXC_INVALID},
    {INDEX_op_fadd, TCG_FP_F32_BOXED, BOXED(0x3f800000), BOXED(0x40000000),
     BOXED(0x40400000), 0},
    {INDEX_op_fdiv, TCG_FP_F32_BOXED, BOXED(0x3f800000), BOXED(0x40400000),
     BOXED(0x3eaaaaab), FP_EXC_INEXACT},
    {INDEX_op_fmul, TCG_FP_F32_BOXED, BOXED(0xffc00001), BOXED(0x3f800000),
     DNAN_S, 0},
    {INDEX_op_fsub, TCG_FP_F32_BOXED, BOXED(0x7f800000), BOXED(0x7f800000),
     DNAN_S, FP_EXC_INVALID},
    {INDEX_op_fadd, TCG_FP_F32_BOXED, 0x3f800000, BOXED(0x3f800000), DNAN_S,
     0},
    {INDEX_op_fadd, TCG_FP_F32_BOXED, 0x7f800001, BOXED(0x3f800000), DNAN_S,
     0},
    {INDEX_op_fadd, TCG_FP_F32_BOXED, 0x3f800000, BOXED(0x7f800001), DNAN_S,
     FP_EXC_INVALID},
    {INDEX_op_fsqrt, TCG_FP_F32_BOXED, 0x40800000, 0, DNAN_S, 0},
    {INDEX_op_fsqrt, TCG_FP_F32_BOXED, BOXED(0x40800000), 0,
     BOXED(0x40000000), 0},
    /* x86's NaNs: the first operand's, then the second's, quieted with
       sign and payload; an invalid op on numbers: the negative default
       NaN. */
    {INDEX_op_fadd, X64, 0xfff8000000000123ull, 0x3ff0000000000000ull,
     0xfff8000000000123ull, 0},
    {INDEX_op_fmul, X64, 0x3ff0000000000000ull, 0x7ff8000000000456ull,
     0x7ff8000000000456ull, 0},
    {INDEX_op_fsub, X64, 0x7ff0000000000123ull, 0xfff8000000000456ull,
     0x7ff8000000000123ull, FP_EXC_INVALID},
    {INDEX_op_fdiv, X64, 0xfff8000000000123ull, 0x7ff0000000000456ull,
     0xfff8000000000123ull, FP_EXC_INVALID},
    {INDEX_op_fdiv, X64, 0x3ff0000000000000ull, 0x7ff0000000000456ull,
     0x7ff8000000000456ull, FP_EXC_INVALID},
    {INDEX_op_fsub, X64, 0x7ff0000000000000ull, 0x7ff0000000000000ull,
     0xfff8000000000000ull, FP_EXC_INVALID},
    {INDEX_op_fdiv, X64, 0, 0x8000000000000000ull, 0xfff8000000000000ull,
     FP_EXC_INVALID},
    {INDEX_op_fsqrt, X64, 0xbff0000000000000ull, 0, 0xfff8000000000000ull,
     FP_EXC_INVALID},
    {INDEX_op_fsqrt, X64, 0xfff0000000000001ull, 0, 0xfff8000000000001ull,
     FP_EXC_INVALID},
    {INDEX_op_fsqrt, X64, 0x8000000000000000ull, 0, 0x8000000000000000ull,
     0},
    {INDEX_op_fmul, X64, 0x0000000000000001ull, 0x4000000000000000ull,
     0x0000000000000002ull, FP_EXC_DENORMAL},
    {INDEX_op_fdiv, X64, 0x3ff0000000000000ull, 0, 0x7ff0000000000000ull,
     FP_EXC_DIVBYZERO},
    /* Binary32: the result's upper half is the first operand's. */
    {INDEX_op_fadd, X32, 0x123456783f800000ull, 0xabcdef0140000000ull,
     0x1234567840400000ull, 0},
    {INDEX_op_fadd, X32, 0xdeadbeef7f800001ull, 0x000000003f800000ull,
     0xdeadbeef7fc00001ull, FP_EXC_INVALID},
    {INDEX_op_fmul, X32, 0x000000003f800000ull, 0xffffffffff800002ull,
     0x00000000ffc00002ull, FP_EXC_INVALID},
    {INDEX_op_fsub, X32, 0xffffffff7f800000ull, 0x7f800000ull,
     0xffffffffffc00000ull, FP_EXC_INVALID},
    {INDEX_op_fdiv, X32, 0x1111111100000001ull, 0x3f000000ull,
     0x1111111100000002ull, FP_EXC_DENORMAL},
    {INDEX_op_fdiv, X32, 0x3f800000ull, 0x40400000ull, 0x3eaaaaabull,
     FP_EXC_INEXACT},
    {INDEX_op_fsqrt, X32, 0x1111111140800000ull, 0, 0x1111111140000000ull,
     0},
    {INDEX_op_fsqrt, X32, 0xbf800000ull, 0, 0xffc00000ull, FP_EXC_INVALID},
};

static void gen_fp_case(const FPCase *c, TCGv_i64 d, TCGv_i64 a, TCGv_i64 b)
{
    if (c->opc == INDEX_op_fsqrt)
        tcg_gen_fsqrt(c->fmt, d, a);
    else
        tcg_gen_fp_binop(c->opc, c->fmt, d, a, b);
}

TEST(ieee_arith_ops)
{
    if (!tcg_have_fp_arith())
        return;
    for (size_t i = 0; i < sizeof(fp_cases) / sizeof(fp_cases[0]); i++) {
        const FPCase *c = &fp_cases[i];
        unsigned mask = (c->fmt & ~TCG_FP_FMT_MASK) == TCG_FP_NAN_X86
                        ? ~0u : FP_EXC_IEEE;

        /* Registers; in place; constants; a result nobody reads (the
           flags must still be raised). */
        tb_begin();
        gen_fp_case(c, X[3], X[1], X[2]);
        gen_fp_case(c, X[1], X[1], X[2]);
        gen_fp_case(c, X[4], tcg_constant_i64((int64_t)c->a),
                    tcg_constant_i64((int64_t)c->b));
        const void *code = tb_finish(true);
        env.x[1] = c->a;
        env.x[2] = c->b;
        host_fp_exc_clear();
        tb_run(code);
        unsigned exc = host_fp_exc_take() & mask;
        EXPECT_EQ(env.x[3], c->expect);
        EXPECT_EQ(env.x[1], c->expect);
        EXPECT_EQ(env.x[4], c->expect);
        EXPECT_EQ(exc, c->exc);

        tb_begin();
        gen_fp_case(c, tcg_temp_new_i64(), X[1], X[2]);
        code = tb_finish(true);
        env.x[1] = c->a;
        tb_run(code);
        EXPECT_EQ(host_fp_exc_take() & mask, c->exc);
    }
}

int main(void)
{
    harness_init();
    return unit_run();
}
