/*
 * IR builders (include/mimic/tcg-op.h).  Lowering lives here: immediates
 * become interned constants, trivial cases fold on the spot (adding 0 is a
 * move, and-ing with 0xff is ext8u), ops the backend lacks are expanded
 * (andc as not + and, mulsuh from muluh), and i32 builders emit the same
 * ops as i64 with op->type = TCG_TYPE_I32.  Typed wrappers at the end just
 * unwrap the handles.
 */
#include "tcg-internal.h"

#include "mimic/tcg-op.h"

static TCGTemp *T(TCGv_i64 v)
{
    return tcgv_i64_temp(v);
}
static TCGTemp *T32(TCGv_i32 v)
{
    return tcgv_i32_temp(v);
}

static bool backend_has(TCGOpcode opc, TCGType type)
{
    return tcg_op_constraints(opc, type)->present;
}

static TCGOp *op_args(TCGOpcode opc, TCGType type, int n, const TCGArg *a)
{
    TCGOp *op = tcg_emit_op(opc, type, n);

    for (int i = 0; i < n; i++)
        op->args[i] = a[i];
    return op;
}

static void op2(TCGOpcode opc, TCGType type, TCGTemp *r, TCGTemp *a)
{
    op_args(opc, type, 2, (TCGArg[]){temp_arg(r), temp_arg(a)});
}

static void op3(TCGOpcode opc, TCGType type, TCGTemp *r, TCGTemp *a, TCGTemp *b)
{
    op_args(opc, type, 3, (TCGArg[]){temp_arg(r), temp_arg(a), temp_arg(b)});
}

static TCGTemp *cst(TCGType type, int64_t v)
{
    return tcg_constant_internal(type, v);
}

static int width(TCGType type)
{
    return type == TCG_TYPE_I32 ? 32 : 64;
}

/* ---- Generic (typed by TCGType) builders ---- */

void tcg_gen_mov(TCGType type, TCGTemp *r, TCGTemp *a)
{
    if (r != a)
        op2(INDEX_op_mov, type, r, a);
}

void tcg_gen_movi(TCGType type, TCGTemp *r, int64_t v)
{
    op2(INDEX_op_mov, type, r, cst(type, v));
}

void tcg_gen_addi(TCGType type, TCGTemp *r, TCGTemp *a, int64_t b)
{
    if (tcg_canon(type, b) == 0)
        tcg_gen_mov(type, r, a);
    else
        op3(INDEX_op_add, type, r, a, cst(type, b));
}

void tcg_gen_muli(TCGType type, TCGTemp *r, TCGTemp *a, int64_t b)
{
    b = tcg_canon(type, b);
    if (b == 0)
        tcg_gen_movi(type, r, 0);
    else if (b == 1)
        tcg_gen_mov(type, r, a);
    else if (b > 0 && (b & (b - 1)) == 0)
        op3(INDEX_op_shl, type, r, a, cst(type, __builtin_ctzll((uint64_t)b)));
    else
        op3(INDEX_op_mul, type, r, a, cst(type, b));
}

void tcg_gen_andi(TCGType type, TCGTemp *r, TCGTemp *a, int64_t b)
{
    uint64_t m = type == TCG_TYPE_I32 ? (uint32_t)b : (uint64_t)b;
    uint64_t all = type == TCG_TYPE_I32 ? 0xffffffffu : ~0ull;

    if (m == 0)
        tcg_gen_movi(type, r, 0);
    else if (m == all)
        tcg_gen_mov(type, r, a);
    else if (m == 0xff)
        op2(INDEX_op_ext8u, type, r, a);
    else if (m == 0xffff)
        op2(INDEX_op_ext16u, type, r, a);
    else if (m == 0xffffffffu)
        op2(INDEX_op_ext32u, type, r, a);
    else
        op3(INDEX_op_and, type, r, a, cst(type, b));
}

void tcg_gen_ori(TCGType type, TCGTemp *r, TCGTemp *a, int64_t b)
{
    b = tcg_canon(type, b);
    if (b == 0)
        tcg_gen_mov(type, r, a);
    else if (b == -1)
        tcg_gen_movi(type, r, -1);
    else
        op3(INDEX_op_or, type, r, a, cst(type, b));
}

void tcg_gen_xori(TCGType type, TCGTemp *r, TCGTemp *a, int64_t b)
{
    b = tcg_canon(type, b);
    if (b == 0)
        tcg_gen_mov(type, r, a);
    else if (b == -1)
        op2(INDEX_op_not, type, r, a);
    else
        op3(INDEX_op_xor, type, r, a, cst(type, b));
}

void tcg_gen_shifti(TCGOpcode opc, TCGType type, TCGTemp *r, TCGTemp *a,
                    unsigned b)
{
    b &= (unsigned)width(type) - 1;
    if (b == 0)
        tcg_gen_mov(type, r, a);
    else
        op3(opc, type, r, a, cst(type, b));
}

void tcg_gen_andc(TCGType type, TCGTemp *r, TCGTemp *a, TCGTemp *b)
{
    if (backend_has(INDEX_op_andc, type)) {
        op3(INDEX_op_andc, type, r, a, b);
    } else {
        TCGTemp *t = tcg_temp_new_internal(type, TEMP_EBB);
        op2(INDEX_op_not, type, t, b);
        op3(INDEX_op_and, type, r, a, t);
        tcg_temp_free_internal(t);
    }
}

/* A rotate the backend lacks, from two shifts and an or. */
static void gen_rot_expand(TCGType type, bool left, TCGTemp *r, TCGTemp *a,
                           TCGTemp *b)
{
    TCGTemp *t0 = tcg_temp_new_internal(type, TEMP_EBB);
    TCGTemp *t1 = tcg_temp_new_internal(type, TEMP_EBB);

    op3(left ? INDEX_op_shl : INDEX_op_shr, type, t0, a, b);
    op2(INDEX_op_neg, type, t1, b);
    op3(left ? INDEX_op_shr : INDEX_op_shl, type, t1, a, t1);
    op3(INDEX_op_or, type, r, t0, t1);
    tcg_temp_free_internal(t0);
    tcg_temp_free_internal(t1);
}

void tcg_gen_rot(TCGType type, bool left, TCGTemp *r, TCGTemp *a, TCGTemp *b)
{
    TCGOpcode opc = left ? INDEX_op_rotl : INDEX_op_rotr;

    if (backend_has(opc, type))
        op3(opc, type, r, a, b);
    else
        gen_rot_expand(type, left, r, a, b);
}

void tcg_gen_mulsuh(TCGType type, TCGTemp *r, TCGTemp *a, TCGTemp *b)
{
    /* hi(a_signed * b_unsigned) = hi_u(a * b) - (a < 0 ? b : 0) */
    TCGTemp *t = tcg_temp_new_internal(type, TEMP_EBB);
    TCGTemp *h = tcg_temp_new_internal(type, TEMP_EBB);

    op3(INDEX_op_sar, type, t, a, cst(type, width(type) - 1));
    op3(INDEX_op_and, type, t, t, b);
    op3(INDEX_op_muluh, type, h, a, b);
    op3(INDEX_op_sub, type, r, h, t);
    tcg_temp_free_internal(t);
    tcg_temp_free_internal(h);
}

void tcg_gen_setcond(TCGType type, TCGCond c, TCGTemp *r, TCGTemp *a,
                     TCGTemp *b)
{
    if (c == TCG_COND_ALWAYS || c == TCG_COND_NEVER)
        tcg_gen_movi(type, r, c == TCG_COND_ALWAYS);
    else
        op_args(INDEX_op_setcond, type, 4,
                (TCGArg[]){temp_arg(r), temp_arg(a), temp_arg(b), c});
}

void tcg_gen_movcond(TCGType type, TCGCond c, TCGTemp *r, TCGTemp *c1,
                     TCGTemp *c2, TCGTemp *v1, TCGTemp *v2)
{
    if (c == TCG_COND_ALWAYS || v1 == v2)
        tcg_gen_mov(type, r, v1);
    else if (c == TCG_COND_NEVER)
        tcg_gen_mov(type, r, v2);
    else
        op_args(INDEX_op_movcond, type, 6,
                (TCGArg[]){temp_arg(r), temp_arg(c1), temp_arg(c2),
                           temp_arg(v1), temp_arg(v2), c});
}

void tcg_gen_brcond(TCGType type, TCGCond c, TCGTemp *a, TCGTemp *b,
                    TCGLabel *l)
{
    if (c == TCG_COND_ALWAYS) {
        tcg_gen_br(l);
    } else if (c != TCG_COND_NEVER) {
        l->nb_refs++;
        l->refs = true;
        op_args(INDEX_op_brcond, type, 4,
                (TCGArg[]){temp_arg(a), temp_arg(b), c, label_arg(l)});
    }
}

void tcg_gen_ldst(TCGOpcode opc, TCGType type, TCGTemp *v, TCGTemp *base,
                  intptr_t off)
{
    op_args(opc, type, 3, (TCGArg[]){temp_arg(v), temp_arg(base), (TCGArg)off});
}

/*
 * The guest's memory model (tcg_runtime.guest_mo, from its TargetOps) asks
 * that a load or store be ordered after the accesses before it (bar: the
 * pairs an access of its kind takes part in).  What the host does not keep
 * by itself becomes a barrier: nothing for a weakly ordered guest
 * (RISC-V, whose fences are explicit) or for x86 on x86; on a weaker host,
 * the barriers that make x86 code see TSO.
 */
static void gen_req_mo(TCGBar bar)
{
    bar &= tcg_runtime.guest_mo & ~tcg_target_default_mo;
    if (bar)
        tcg_gen_mb(bar);
}

static void gen_qemu(TCGOpcode opc, TCGType type, TCGTemp *v, TCGTemp *addr,
                     int32_t offset, unsigned mmu_idx, MemOp mop)
{
    gen_req_mo(opc == INDEX_op_qemu_ld ? TCG_MO_LD_LD | TCG_MO_ST_LD
                                       : TCG_MO_LD_ST | TCG_MO_ST_ST);
    if (type == TCG_TYPE_I32 && (mop & MO_SIZE) == MO_64)
        mop = (MemOp)((mop & ~MO_SIZE) | MO_32);
    if ((mop & MO_SIZE) == MO_64 ||
        (type == TCG_TYPE_I32 && (mop & MO_SIZE) == MO_32))
        mop = (MemOp)(mop & ~MO_SIGN);
    op_args(
        opc, type, 3,
        (TCGArg[]){temp_arg(v), temp_arg(addr),
                   make_memop_arg(make_memop_idx(mop, mmu_idx), offset)});
}

/* Whether an access of mop at base + offset can be one op: the guard
   (TCGRuntime.guest_guard) covers the offset and the widest access (16
   bytes), and no alignment check needs the whole address. */
static bool offset_folds(int64_t offset, MemOp mop)
{
    int64_t max = (int64_t)tcg_runtime.guest_guard - 16;

    return tcg_runtime.direct && max > 0 && memop_align_bytes(mop) == 1 &&
           offset >= -max && offset <= max;
}

static void gen_qemu_off(TCGOpcode opc, TCGv_i64 v, TCGv_i64 base,
                         int64_t offset, unsigned mmu_idx, MemOp mop)
{
    TCGv_i64 addr;

    if (!offset || offset_folds(offset, mop)) {
        gen_qemu(opc, TCG_TYPE_I64, T(v), T(base), (int32_t)offset, mmu_idx,
                 mop);
        return;
    }
    addr = tcg_temp_new_i64();
    tcg_gen_addi_i64(addr, base, offset);
    gen_qemu(opc, TCG_TYPE_I64, T(v), T(addr), 0, mmu_idx, mop);
    tcg_temp_free_i64(addr);
}

/* ---- i64 ---- */

void tcg_gen_mov_i64(TCGv_i64 r, TCGv_i64 a)
{
    tcg_gen_mov(TCG_TYPE_I64, T(r), T(a));
}
void tcg_gen_movi_i64(TCGv_i64 r, int64_t v)
{
    tcg_gen_movi(TCG_TYPE_I64, T(r), v);
}
void tcg_gen_add_i64(TCGv_i64 r, TCGv_i64 a, TCGv_i64 b)
{
    op3(INDEX_op_add, TCG_TYPE_I64, T(r), T(a), T(b));
}
void tcg_gen_addi_i64(TCGv_i64 r, TCGv_i64 a, int64_t b)
{
    tcg_gen_addi(TCG_TYPE_I64, T(r), T(a), b);
}
void tcg_gen_sub_i64(TCGv_i64 r, TCGv_i64 a, TCGv_i64 b)
{
    op3(INDEX_op_sub, TCG_TYPE_I64, T(r), T(a), T(b));
}
void tcg_gen_subi_i64(TCGv_i64 r, TCGv_i64 a, int64_t b)
{
    tcg_gen_addi(TCG_TYPE_I64, T(r), T(a), (int64_t)(0 - (uint64_t)b));
}
void tcg_gen_neg_i64(TCGv_i64 r, TCGv_i64 a)
{
    op2(INDEX_op_neg, TCG_TYPE_I64, T(r), T(a));
}
void tcg_gen_mul_i64(TCGv_i64 r, TCGv_i64 a, TCGv_i64 b)
{
    op3(INDEX_op_mul, TCG_TYPE_I64, T(r), T(a), T(b));
}
void tcg_gen_muli_i64(TCGv_i64 r, TCGv_i64 a, int64_t b)
{
    tcg_gen_muli(TCG_TYPE_I64, T(r), T(a), b);
}
void tcg_gen_mulsh_i64(TCGv_i64 r, TCGv_i64 a, TCGv_i64 b)
{
    op3(INDEX_op_mulsh, TCG_TYPE_I64, T(r), T(a), T(b));
}
void tcg_gen_muluh_i64(TCGv_i64 r, TCGv_i64 a, TCGv_i64 b)
{
    op3(INDEX_op_muluh, TCG_TYPE_I64, T(r), T(a), T(b));
}
void tcg_gen_mulsuh_i64(TCGv_i64 r, TCGv_i64 a, TCGv_i64 b)
{
    tcg_gen_mulsuh(TCG_TYPE_I64, T(r), T(a), T(b));
}
void tcg_gen_div_i64(TCGv_i64 r, TCGv_i64 a, TCGv_i64 b)
{
    op3(INDEX_op_div, TCG_TYPE_I64, T(r), T(a), T(b));
}
void tcg_gen_divu_i64(TCGv_i64 r, TCGv_i64 a, TCGv_i64 b)
{
    op3(INDEX_op_divu, TCG_TYPE_I64, T(r), T(a), T(b));
}
void tcg_gen_rem_i64(TCGv_i64 r, TCGv_i64 a, TCGv_i64 b)
{
    op3(INDEX_op_rem, TCG_TYPE_I64, T(r), T(a), T(b));
}
void tcg_gen_remu_i64(TCGv_i64 r, TCGv_i64 a, TCGv_i64 b)
{
    op3(INDEX_op_remu, TCG_TYPE_I64, T(r), T(a), T(b));
}
void tcg_gen_and_i64(TCGv_i64 r, TCGv_i64 a, TCGv_i64 b)
{
    op3(INDEX_op_and, TCG_TYPE_I64, T(r), T(a), T(b));
}
void tcg_gen_andi_i64(TCGv_i64 r, TCGv_i64 a, int64_t b)
{
    tcg_gen_andi(TCG_TYPE_I64, T(r), T(a), b);
}
void tcg_gen_or_i64(TCGv_i64 r, TCGv_i64 a, TCGv_i64 b)
{
    op3(INDEX_op_or, TCG_TYPE_I64, T(r), T(a), T(b));
}
void tcg_gen_ori_i64(TCGv_i64 r, TCGv_i64 a, int64_t b)
{
    tcg_gen_ori(TCG_TYPE_I64, T(r), T(a), b);
}
void tcg_gen_xor_i64(TCGv_i64 r, TCGv_i64 a, TCGv_i64 b)
{
    op3(INDEX_op_xor, TCG_TYPE_I64, T(r), T(a), T(b));
}
void tcg_gen_xori_i64(TCGv_i64 r, TCGv_i64 a, int64_t b)
{
    tcg_gen_xori(TCG_TYPE_I64, T(r), T(a), b);
}
void tcg_gen_not_i64(TCGv_i64 r, TCGv_i64 a)
{
    op2(INDEX_op_not, TCG_TYPE_I64, T(r), T(a));
}
void tcg_gen_andc_i64(TCGv_i64 r, TCGv_i64 a, TCGv_i64 b)
{
    tcg_gen_andc(TCG_TYPE_I64, T(r), T(a), T(b));
}
void tcg_gen_shl_i64(TCGv_i64 r, TCGv_i64 a, TCGv_i64 b)
{
    op3(INDEX_op_shl, TCG_TYPE_I64, T(r), T(a), T(b));
}
void tcg_gen_shr_i64(TCGv_i64 r, TCGv_i64 a, TCGv_i64 b)
{
    op3(INDEX_op_shr, TCG_TYPE_I64, T(r), T(a), T(b));
}
void tcg_gen_sar_i64(TCGv_i64 r, TCGv_i64 a, TCGv_i64 b)
{
    op3(INDEX_op_sar, TCG_TYPE_I64, T(r), T(a), T(b));
}
void tcg_gen_shli_i64(TCGv_i64 r, TCGv_i64 a, unsigned b)
{
    tcg_gen_shifti(INDEX_op_shl, TCG_TYPE_I64, T(r), T(a), b);
}
void tcg_gen_shri_i64(TCGv_i64 r, TCGv_i64 a, unsigned b)
{
    tcg_gen_shifti(INDEX_op_shr, TCG_TYPE_I64, T(r), T(a), b);
}
void tcg_gen_sari_i64(TCGv_i64 r, TCGv_i64 a, unsigned b)
{
    tcg_gen_shifti(INDEX_op_sar, TCG_TYPE_I64, T(r), T(a), b);
}
void tcg_gen_rotl_i64(TCGv_i64 r, TCGv_i64 a, TCGv_i64 b)
{
    tcg_gen_rot(TCG_TYPE_I64, true, T(r), T(a), T(b));
}
void tcg_gen_rotr_i64(TCGv_i64 r, TCGv_i64 a, TCGv_i64 b)
{
    tcg_gen_rot(TCG_TYPE_I64, false, T(r), T(a), T(b));
}
void tcg_gen_rotli_i64(TCGv_i64 r, TCGv_i64 a, unsigned b)
{
    tcg_gen_shifti(INDEX_op_rotl, TCG_TYPE_I64, T(r), T(a), b);
}
void tcg_gen_rotri_i64(TCGv_i64 r, TCGv_i64 a, unsigned b)
{
    tcg_gen_shifti(INDEX_op_rotr, TCG_TYPE_I64, T(r), T(a), b);
}
void tcg_gen_ext8s_i64(TCGv_i64 r, TCGv_i64 a)
{
    op2(INDEX_op_ext8s, TCG_TYPE_I64, T(r), T(a));
}
void tcg_gen_ext8u_i64(TCGv_i64 r, TCGv_i64 a)
{
    op2(INDEX_op_ext8u, TCG_TYPE_I64, T(r), T(a));
}
void tcg_gen_ext16s_i64(TCGv_i64 r, TCGv_i64 a)
{
    op2(INDEX_op_ext16s, TCG_TYPE_I64, T(r), T(a));
}
void tcg_gen_ext16u_i64(TCGv_i64 r, TCGv_i64 a)
{
    op2(INDEX_op_ext16u, TCG_TYPE_I64, T(r), T(a));
}
void tcg_gen_ext32s_i64(TCGv_i64 r, TCGv_i64 a)
{
    op2(INDEX_op_ext32s, TCG_TYPE_I64, T(r), T(a));
}
void tcg_gen_ext32u_i64(TCGv_i64 r, TCGv_i64 a)
{
    op2(INDEX_op_ext32u, TCG_TYPE_I64, T(r), T(a));
}
void tcg_gen_setcond_i64(TCGCond c, TCGv_i64 r, TCGv_i64 a, TCGv_i64 b)
{
    tcg_gen_setcond(TCG_TYPE_I64, c, T(r), T(a), T(b));
}
void tcg_gen_setcondi_i64(TCGCond c, TCGv_i64 r, TCGv_i64 a, int64_t b)
{
    tcg_gen_setcond(TCG_TYPE_I64, c, T(r), T(a), cst(TCG_TYPE_I64, b));
}
void tcg_gen_movcond_i64(TCGCond c, TCGv_i64 r, TCGv_i64 c1, TCGv_i64 c2,
                         TCGv_i64 v1, TCGv_i64 v2)
{
    tcg_gen_movcond(TCG_TYPE_I64, c, T(r), T(c1), T(c2), T(v1), T(v2));
}
void tcg_gen_brcond_i64(TCGCond c, TCGv_i64 a, TCGv_i64 b, TCGLabel *l)
{
    tcg_gen_brcond(TCG_TYPE_I64, c, T(a), T(b), l);
}
void tcg_gen_brcondi_i64(TCGCond c, TCGv_i64 a, int64_t b, TCGLabel *l)
{
    tcg_gen_brcond(TCG_TYPE_I64, c, T(a), cst(TCG_TYPE_I64, b), l);
}
bool tcg_have_fp_arith(void)
{
    static const TCGOpcode ops[] = {
        INDEX_op_fadd, INDEX_op_fsub, INDEX_op_fmul, INDEX_op_fdiv,
        INDEX_op_fsqrt,
    };

    for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
        if (!backend_has(ops[i], TCG_TYPE_I64))
            return false;
    return true;
}

/* The format and NaN policy pairs tcg-opc.h allows. */
static void check_fp_arg(unsigned fp)
{
    unsigned fmt = fp & TCG_FP_FMT_MASK, nan = fp & ~TCG_FP_FMT_MASK;

    bool ok = nan == TCG_FP_NAN_X86
              ? fmt == TCG_FP_F64 || fmt == TCG_FP_F32
              : nan == TCG_FP_NAN_DEFAULT &&
                (fmt == TCG_FP_F64 || fmt == TCG_FP_F32_BOXED);

    if (!ok) {
        fprintf(stderr, "tcg: IEEE op with format and NaN policy 0x%x\n", fp);
        abort();
    }
}

void tcg_gen_fp_binop(TCGOpcode opc, unsigned fp, TCGv_i64 ret,
                      TCGv_i64 a, TCGv_i64 b)
{
    check_fp_arg(fp);
    op_args(opc, TCG_TYPE_I64, 4,
            (TCGArg[]){temp_arg(T(ret)), temp_arg(T(a)), temp_arg(T(b)),
                       (TCGArg)fp});
}

void tcg_gen_fsqrt(unsigned fp, TCGv_i64 ret, TCGv_i64 a)
{
    check_fp_arg(fp);
    op_args(INDEX_op_fsqrt, TCG_TYPE_I64, 3,
            (TCGArg[]){temp_arg(T(ret)), temp_arg(T(a)), (TCGArg)fp});
}

bool tcg_have_vec(int op)
{
    return backend_has(INDEX_op_vec, TCG_TYPE_I64) &&
           backend_has(INDEX_op_vec_movmsk, TCG_TYPE_I64) &&
           tcg_target_have_vec(op);
}

void tcg_gen_vec(int op, TCGv_ptr base, intptr_t d, intptr_t a, intptr_t b)
{
    op_args(INDEX_op_vec, TCG_TYPE_I64, 5,
            (TCGArg[]){temp_arg(tcgv_ptr_temp(base)), (TCGArg)op, (TCGArg)d, (TCGArg)a,
                       (TCGArg)b});
}

void tcg_gen_vec_movmsk(TCGv_i64 ret, TCGv_ptr base, intptr_t a)
{
    op_args(INDEX_op_vec_movmsk, TCG_TYPE_I64, 3,
            (TCGArg[]){temp_arg(T(ret)), temp_arg(tcgv_ptr_temp(base)), (TCGArg)a});
}

void tcg_gen_discard_i64(TCGv_i64 a)
{
    op_args(INDEX_op_discard, TCG_TYPE_I64, 1, (TCGArg[]){temp_arg(T(a))});
}

void tcg_gen_ld_i64(TCGv_i64 r, TCGv_ptr b, intptr_t o)
{
    tcg_gen_ldst(INDEX_op_ld, TCG_TYPE_I64, T(r), tcgv_ptr_temp(b), o);
}
void tcg_gen_ld32u_i64(TCGv_i64 r, TCGv_ptr b, intptr_t o)
{
    tcg_gen_ldst(INDEX_op_ld32u, TCG_TYPE_I64, T(r), tcgv_ptr_temp(b), o);
}
void tcg_gen_ld32s_i64(TCGv_i64 r, TCGv_ptr b, intptr_t o)
{
    tcg_gen_ldst(INDEX_op_ld32s, TCG_TYPE_I64, T(r), tcgv_ptr_temp(b), o);
}
void tcg_gen_ld16u_i64(TCGv_i64 r, TCGv_ptr b, intptr_t o)
{
    tcg_gen_ldst(INDEX_op_ld16u, TCG_TYPE_I64, T(r), tcgv_ptr_temp(b), o);
}
void tcg_gen_ld16s_i64(TCGv_i64 r, TCGv_ptr b, intptr_t o)
{
    tcg_gen_ldst(INDEX_op_ld16s, TCG_TYPE_I64, T(r), tcgv_ptr_temp(b), o);
}
void tcg_gen_ld8u_i64(TCGv_i64 r, TCGv_ptr b, intptr_t o)
{
    tcg_gen_ldst(INDEX_op_ld8u, TCG_TYPE_I64, T(r), tcgv_ptr_temp(b), o);
}
void tcg_gen_ld8s_i64(TCGv_i64 r, TCGv_ptr b, intptr_t o)
{
    tcg_gen_ldst(INDEX_op_ld8s, TCG_TYPE_I64, T(r), tcgv_ptr_temp(b), o);
}
void tcg_gen_st_i64(TCGv_i64 v, TCGv_ptr b, intptr_t o)
{
    tcg_gen_ldst(INDEX_op_st, TCG_TYPE_I64, T(v), tcgv_ptr_temp(b), o);
}
void tcg_gen_st32_i64(TCGv_i64 v, TCGv_ptr b, intptr_t o)
{
    tcg_gen_ldst(INDEX_op_st32, TCG_TYPE_I64, T(v), tcgv_ptr_temp(b), o);
}
void tcg_gen_st16_i64(TCGv_i64 v, TCGv_ptr b, intptr_t o)
{
    tcg_gen_ldst(INDEX_op_st16, TCG_TYPE_I64, T(v), tcgv_ptr_temp(b), o);
}
void tcg_gen_st8_i64(TCGv_i64 v, TCGv_ptr b, intptr_t o)
{
    tcg_gen_ldst(INDEX_op_st8, TCG_TYPE_I64, T(v), tcgv_ptr_temp(b), o);
}

/* ---- i32 ---- */

void tcg_gen_mov_i32(TCGv_i32 r, TCGv_i32 a)
{
    tcg_gen_mov(TCG_TYPE_I32, T32(r), T32(a));
}
void tcg_gen_movi_i32(TCGv_i32 r, int32_t v)
{
    tcg_gen_movi(TCG_TYPE_I32, T32(r), v);
}
void tcg_gen_add_i32(TCGv_i32 r, TCGv_i32 a, TCGv_i32 b)
{
    op3(INDEX_op_add, TCG_TYPE_I32, T32(r), T32(a), T32(b));
}
void tcg_gen_addi_i32(TCGv_i32 r, TCGv_i32 a, int32_t b)
{
    tcg_gen_addi(TCG_TYPE_I32, T32(r), T32(a), b);
}
void tcg_gen_sub_i32(TCGv_i32 r, TCGv_i32 a, TCGv_i32 b)
{
    op3(INDEX_op_sub, TCG_TYPE_I32, T32(r), T32(a), T32(b));
}
void tcg_gen_subi_i32(TCGv_i32 r, TCGv_i32 a, int32_t b)
{
    tcg_gen_addi(TCG_TYPE_I32, T32(r), T32(a), (int32_t)(0u - (uint32_t)b));
}
void tcg_gen_neg_i32(TCGv_i32 r, TCGv_i32 a)
{
    op2(INDEX_op_neg, TCG_TYPE_I32, T32(r), T32(a));
}
void tcg_gen_mul_i32(TCGv_i32 r, TCGv_i32 a, TCGv_i32 b)
{
    op3(INDEX_op_mul, TCG_TYPE_I32, T32(r), T32(a), T32(b));
}
void tcg_gen_muli_i32(TCGv_i32 r, TCGv_i32 a, int32_t b)
{
    tcg_gen_muli(TCG_TYPE_I32, T32(r), T32(a), b);
}
void tcg_gen_mulsh_i32(TCGv_i32 r, TCGv_i32 a, TCGv_i32 b)
{
    op3(INDEX_op_mulsh, TCG_TYPE_I32, T32(r), T32(a), T32(b));
}
void tcg_gen_muluh_i32(TCGv_i32 r, TCGv_i32 a, TCGv_i32 b)
{
    op3(INDEX_op_muluh, TCG_TYPE_I32, T32(r), T32(a), T32(b));
}
void tcg_gen_div_i32(TCGv_i32 r, TCGv_i32 a, TCGv_i32 b)
{
    op3(INDEX_op_div, TCG_TYPE_I32, T32(r), T32(a), T32(b));
}
void tcg_gen_divu_i32(TCGv_i32 r, TCGv_i32 a, TCGv_i32 b)
{
    op3(INDEX_op_divu, TCG_TYPE_I32, T32(r), T32(a), T32(b));
}
void tcg_gen_rem_i32(TCGv_i32 r, TCGv_i32 a, TCGv_i32 b)
{
    op3(INDEX_op_rem, TCG_TYPE_I32, T32(r), T32(a), T32(b));
}
void tcg_gen_remu_i32(TCGv_i32 r, TCGv_i32 a, TCGv_i32 b)
{
    op3(INDEX_op_remu, TCG_TYPE_I32, T32(r), T32(a), T32(b));
}
void tcg_gen_and_i32(TCGv_i32 r, TCGv_i32 a, TCGv_i32 b)
{
    op3(INDEX_op_and, TCG_TYPE_I32, T32(r), T32(a), T32(b));
}
void tcg_gen_andi_i32(TCGv_i32 r, TCGv_i32 a, int32_t b)
{
    tcg_gen_andi(TCG_TYPE_I32, T32(r), T32(a), b);
}
void tcg_gen_or_i32(TCGv_i32 r, TCGv_i32 a, TCGv_i32 b)
{
    op3(INDEX_op_or, TCG_TYPE_I32, T32(r), T32(a), T32(b));
}
void tcg_gen_ori_i32(TCGv_i32 r, TCGv_i32 a, int32_t b)
{
    tcg_gen_ori(TCG_TYPE_I32, T32(r), T32(a), b);
}
void tcg_gen_xor_i32(TCGv_i32 r, TCGv_i32 a, TCGv_i32 b)
{
    op3(INDEX_op_xor, TCG_TYPE_I32, T32(r), T32(a), T32(b));
}
void tcg_gen_xori_i32(TCGv_i32 r, TCGv_i32 a, int32_t b)
{
    tcg_gen_xori(TCG_TYPE_I32, T32(r), T32(a), b);
}
void tcg_gen_not_i32(TCGv_i32 r, TCGv_i32 a)
{
    op2(INDEX_op_not, TCG_TYPE_I32, T32(r), T32(a));
}
void tcg_gen_andc_i32(TCGv_i32 r, TCGv_i32 a, TCGv_i32 b)
{
    tcg_gen_andc(TCG_TYPE_I32, T32(r), T32(a), T32(b));
}
void tcg_gen_shl_i32(TCGv_i32 r, TCGv_i32 a, TCGv_i32 b)
{
    op3(INDEX_op_shl, TCG_TYPE_I32, T32(r), T32(a), T32(b));
}
void tcg_gen_shr_i32(TCGv_i32 r, TCGv_i32 a, TCGv_i32 b)
{
    op3(INDEX_op_shr, TCG_TYPE_I32, T32(r), T32(a), T32(b));
}
void tcg_gen_sar_i32(TCGv_i32 r, TCGv_i32 a, TCGv_i32 b)
{
    op3(INDEX_op_sar, TCG_TYPE_I32, T32(r), T32(a), T32(b));
}
void tcg_gen_shli_i32(TCGv_i32 r, TCGv_i32 a, unsigned b)
{
    tcg_gen_shifti(INDEX_op_shl, TCG_TYPE_I32, T32(r), T32(a), b);
}
void tcg_gen_shri_i32(TCGv_i32 r, TCGv_i32 a, unsigned b)
{
    tcg_gen_shifti(INDEX_op_shr, TCG_TYPE_I32, T32(r), T32(a), b);
}
void tcg_gen_sari_i32(TCGv_i32 r, TCGv_i32 a, unsigned b)
{
    tcg_gen_shifti(INDEX_op_sar, TCG_TYPE_I32, T32(r), T32(a), b);
}
void tcg_gen_rotl_i32(TCGv_i32 r, TCGv_i32 a, TCGv_i32 b)
{
    tcg_gen_rot(TCG_TYPE_I32, true, T32(r), T32(a), T32(b));
}
void tcg_gen_rotr_i32(TCGv_i32 r, TCGv_i32 a, TCGv_i32 b)
{
    tcg_gen_rot(TCG_TYPE_I32, false, T32(r), T32(a), T32(b));
}
void tcg_gen_rotli_i32(TCGv_i32 r, TCGv_i32 a, unsigned b)
{
    tcg_gen_shifti(INDEX_op_rotl, TCG_TYPE_I32, T32(r), T32(a), b);
}
void tcg_gen_rotri_i32(TCGv_i32 r, TCGv_i32 a, unsigned b)
{
    tcg_gen_shifti(INDEX_op_rotr, TCG_TYPE_I32, T32(r), T32(a), b);
}
void tcg_gen_ext8s_i32(TCGv_i32 r, TCGv_i32 a)
{
    op2(INDEX_op_ext8s, TCG_TYPE_I32, T32(r), T32(a));
}
void tcg_gen_ext8u_i32(TCGv_i32 r, TCGv_i32 a)
{
    op2(INDEX_op_ext8u, TCG_TYPE_I32, T32(r), T32(a));
}
void tcg_gen_ext16s_i32(TCGv_i32 r, TCGv_i32 a)
{
    op2(INDEX_op_ext16s, TCG_TYPE_I32, T32(r), T32(a));
}
void tcg_gen_ext16u_i32(TCGv_i32 r, TCGv_i32 a)
{
    op2(INDEX_op_ext16u, TCG_TYPE_I32, T32(r), T32(a));
}
void tcg_gen_setcond_i32(TCGCond c, TCGv_i32 r, TCGv_i32 a, TCGv_i32 b)
{
    tcg_gen_setcond(TCG_TYPE_I32, c, T32(r), T32(a), T32(b));
}
void tcg_gen_setcondi_i32(TCGCond c, TCGv_i32 r, TCGv_i32 a, int32_t b)
{
    tcg_gen_setcond(TCG_TYPE_I32, c, T32(r), T32(a), cst(TCG_TYPE_I32, b));
}
void tcg_gen_movcond_i32(TCGCond c, TCGv_i32 r, TCGv_i32 c1, TCGv_i32 c2,
                         TCGv_i32 v1, TCGv_i32 v2)
{
    tcg_gen_movcond(TCG_TYPE_I32, c, T32(r), T32(c1), T32(c2), T32(v1),
                    T32(v2));
}
void tcg_gen_brcond_i32(TCGCond c, TCGv_i32 a, TCGv_i32 b, TCGLabel *l)
{
    tcg_gen_brcond(TCG_TYPE_I32, c, T32(a), T32(b), l);
}
void tcg_gen_brcondi_i32(TCGCond c, TCGv_i32 a, int32_t b, TCGLabel *l)
{
    tcg_gen_brcond(TCG_TYPE_I32, c, T32(a), cst(TCG_TYPE_I32, b), l);
}
void tcg_gen_ld_i32(TCGv_i32 r, TCGv_ptr b, intptr_t o)
{
    tcg_gen_ldst(INDEX_op_ld, TCG_TYPE_I32, T32(r), tcgv_ptr_temp(b), o);
}
void tcg_gen_ld8u_i32(TCGv_i32 r, TCGv_ptr b, intptr_t o)
{
    tcg_gen_ldst(INDEX_op_ld8u, TCG_TYPE_I32, T32(r), tcgv_ptr_temp(b), o);
}
void tcg_gen_ld8s_i32(TCGv_i32 r, TCGv_ptr b, intptr_t o)
{
    tcg_gen_ldst(INDEX_op_ld8s, TCG_TYPE_I32, T32(r), tcgv_ptr_temp(b), o);
}
void tcg_gen_ld16u_i32(TCGv_i32 r, TCGv_ptr b, intptr_t o)
{
    tcg_gen_ldst(INDEX_op_ld16u, TCG_TYPE_I32, T32(r), tcgv_ptr_temp(b), o);
}
void tcg_gen_ld16s_i32(TCGv_i32 r, TCGv_ptr b, intptr_t o)
{
    tcg_gen_ldst(INDEX_op_ld16s, TCG_TYPE_I32, T32(r), tcgv_ptr_temp(b), o);
}
void tcg_gen_st_i32(TCGv_i32 v, TCGv_ptr b, intptr_t o)
{
    tcg_gen_ldst(INDEX_op_st, TCG_TYPE_I32, T32(v), tcgv_ptr_temp(b), o);
}
void tcg_gen_st8_i32(TCGv_i32 v, TCGv_ptr b, intptr_t o)
{
    tcg_gen_ldst(INDEX_op_st8, TCG_TYPE_I32, T32(v), tcgv_ptr_temp(b), o);
}
void tcg_gen_st16_i32(TCGv_i32 v, TCGv_ptr b, intptr_t o)
{
    tcg_gen_ldst(INDEX_op_st16, TCG_TYPE_I32, T32(v), tcgv_ptr_temp(b), o);
}
void tcg_gen_discard_i32(TCGv_i32 a)
{
    op_args(INDEX_op_discard, TCG_TYPE_I32, 1, (TCGArg[]){temp_arg(T32(a))});
}

/* ---- Pointers ---- */

void tcg_gen_ld_ptr(TCGv_ptr r, TCGv_ptr b, intptr_t o)
{
    tcg_gen_ldst(INDEX_op_ld, TCG_TYPE_PTR, tcgv_ptr_temp(r), tcgv_ptr_temp(b),
                 o);
}
void tcg_gen_addi_ptr(TCGv_ptr r, TCGv_ptr a, intptr_t b)
{
    tcg_gen_addi(TCG_TYPE_PTR, tcgv_ptr_temp(r), tcgv_ptr_temp(a), b);
}

/* ---- Width changes ---- */

void tcg_gen_ext_i32_i64(TCGv_i64 r, TCGv_i32 a)
{
    op2(INDEX_op_ext_i32_i64, TCG_TYPE_I64, T(r), T32(a));
}
void tcg_gen_extu_i32_i64(TCGv_i64 r, TCGv_i32 a)
{
    op2(INDEX_op_extu_i32_i64, TCG_TYPE_I64, T(r), T32(a));
}
void tcg_gen_extrl_i64_i32(TCGv_i32 r, TCGv_i64 a)
{
    op2(INDEX_op_extrl_i64_i32, TCG_TYPE_I32, T32(r), T(a));
}

/* ---- Control ---- */

void gen_set_label(TCGLabel *l)
{
    op_args(INDEX_op_set_label, TCG_TYPE_I64, 1, (TCGArg[]){label_arg(l)});
}

void tcg_gen_br(TCGLabel *l)
{
    l->nb_refs++;
    l->refs = true;
    op_args(INDEX_op_br, TCG_TYPE_I64, 1, (TCGArg[]){label_arg(l)});
}

void tcg_gen_insn_start(uint64_t pc, uint64_t extra)
{
    op_args(INDEX_op_insn_start, TCG_TYPE_I64, 2,
            (TCGArg[]){(TCGArg)pc, (TCGArg)extra});
}

void tcg_gen_exit_tb(const void *tb, unsigned idx)
{
    op_args(INDEX_op_exit_tb, TCG_TYPE_I64, 1, (TCGArg[]){(uintptr_t)tb + idx});
}

/* With a check, a set flag skips the jump: what follows goto_tb (the
   unchained exit, which stores the pc first) leaves to the main loop. */
void tcg_gen_goto_tb(unsigned idx)
{
    intptr_t check = tcg_ctx->goto_tb_check ? tcg_ctx->exit_check_offset : -1;

    tcg_ctx->goto_tb_check = false;
    op_args(INDEX_op_goto_tb, TCG_TYPE_I64, 2,
            (TCGArg[]){idx & 1, (TCGArg)check});
}

void tcg_gen_goto_ptr(TCGv_ptr dest)
{
    op_args(INDEX_op_goto_ptr, TCG_TYPE_PTR, 1,
            (TCGArg[]){temp_arg(tcgv_ptr_temp(dest))});
}

/* The guest pc global (bound to env + tcg_runtime.pc_offset), if the
   target made one. */
static TCGTemp *pc_global(TCGContext *s)
{
    for (int i = 0; i < s->nb_globals; i++) {
        TCGTemp *ts = &s->temps[i];
        if (ts->kind == TEMP_GLOBAL && ts->type == TCG_TYPE_I64 &&
            ts->mem_offset == tcg_runtime.pc_offset)
            return ts;
    }
    return NULL;
}

/* The pc is stored already: the probe takes it from the pc global's
   register (or loads it); with the exit flag set, it leaves to the main
   loop instead of looking up the next TB. */
void tcg_gen_lookup_and_goto_ptr(void)
{
    TCGTemp *pc = pc_global(tcg_ctx);
    TCGv_i64 tmp = NULL;

    if (!pc) {
        tmp = tcg_temp_new_i64();
        tcg_gen_ld_i64(tmp, tcg_env(), tcg_runtime.pc_offset);
        pc = tcgv_i64_temp(tmp);
    }
    op_args(INDEX_op_lookup_and_goto_ptr, TCG_TYPE_I64, 2,
            (TCGArg[]){temp_arg(pc), (TCGArg)tcg_ctx->exit_check_offset});
    if (tmp)
        tcg_temp_free_i64(tmp);
}

void tcg_gen_mb(TCGBar bar)
{
    op_args(INDEX_op_mb, TCG_TYPE_I64, 1, (TCGArg[]){bar});
}

/* ---- Guest memory ---- */

void tcg_gen_qemu_ld_i64(TCGv_i64 v, TCGv_i64 a, unsigned idx, MemOp op)
{
    gen_qemu(INDEX_op_qemu_ld, TCG_TYPE_I64, T(v), T(a), 0, idx, op);
}
void tcg_gen_qemu_st_i64(TCGv_i64 v, TCGv_i64 a, unsigned idx, MemOp op)
{
    gen_qemu(INDEX_op_qemu_st, TCG_TYPE_I64, T(v), T(a), 0, idx, op);
}
void tcg_gen_qemu_ld_i32(TCGv_i32 v, TCGv_i64 a, unsigned idx, MemOp op)
{
    gen_qemu(INDEX_op_qemu_ld, TCG_TYPE_I32, T32(v), T(a), 0, idx, op);
}
void tcg_gen_qemu_st_i32(TCGv_i32 v, TCGv_i64 a, unsigned idx, MemOp op)
{
    gen_qemu(INDEX_op_qemu_st, TCG_TYPE_I32, T32(v), T(a), 0, idx, op);
}
void tcg_gen_qemu_ld_off_i64(TCGv_i64 v, TCGv_i64 base, int64_t offset,
                             unsigned idx, MemOp op)
{
    gen_qemu_off(INDEX_op_qemu_ld, v, base, offset, idx, op);
}
void tcg_gen_qemu_st_off_i64(TCGv_i64 v, TCGv_i64 base, int64_t offset,
                             unsigned idx, MemOp op)
{
    gen_qemu_off(INDEX_op_qemu_st, v, base, offset, idx, op);
}

/* ---- Helper calls ---- */

void tcg_gen_call(const TCGHelperInfo *info, TCGTemp *ret, int nargs,
                  TCGTemp **args)
{
    TCGOp *op = tcg_emit_op(INDEX_op_call, TCG_TYPE_I64, 0);
    int n = 0;

    op->nb_oargs = ret ? 1 : 0;
    op->nb_iargs = (uint8_t)nargs;
    if (ret)
        op->args[n++] = temp_arg(ret);
    for (int i = 0; i < nargs; i++)
        op->args[n++] = temp_arg(args[i]);
    op->args[n++] = (TCGArg)info;
    op->args[n++] = info->flags;
}

void tcg_gen_call0(const TCGHelperInfo *info, TCGTemp *ret)
{
    tcg_gen_call(info, ret, 0, NULL);
}

void tcg_gen_call1(const TCGHelperInfo *info, TCGTemp *ret, TCGTemp *a1)
{
    tcg_gen_call(info, ret, 1, (TCGTemp *[]){a1});
}

void tcg_gen_call2(const TCGHelperInfo *info, TCGTemp *ret, TCGTemp *a1,
                   TCGTemp *a2)
{
    tcg_gen_call(info, ret, 2, (TCGTemp *[]){a1, a2});
}

void tcg_gen_call3(const TCGHelperInfo *info, TCGTemp *ret, TCGTemp *a1,
                   TCGTemp *a2, TCGTemp *a3)
{
    tcg_gen_call(info, ret, 3, (TCGTemp *[]){a1, a2, a3});
}

void tcg_gen_call4(const TCGHelperInfo *info, TCGTemp *ret, TCGTemp *a1,
                   TCGTemp *a2, TCGTemp *a3, TCGTemp *a4)
{
    tcg_gen_call(info, ret, 4, (TCGTemp *[]){a1, a2, a3, a4});
}

void tcg_gen_call5(const TCGHelperInfo *info, TCGTemp *ret, TCGTemp *a1,
                   TCGTemp *a2, TCGTemp *a3, TCGTemp *a4, TCGTemp *a5)
{
    tcg_gen_call(info, ret, 5, (TCGTemp *[]){a1, a2, a3, a4, a5});
}

void tcg_gen_call6(const TCGHelperInfo *info, TCGTemp *ret, TCGTemp *a1,
                   TCGTemp *a2, TCGTemp *a3, TCGTemp *a4, TCGTemp *a5,
                   TCGTemp *a6)
{
    tcg_gen_call(info, ret, 6, (TCGTemp *[]){a1, a2, a3, a4, a5, a6});
}
