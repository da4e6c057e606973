/*
 * The IR's operations, listed once.  Every other list of ops (the TCGOpcode
 * enum, the op-definition table, names for `-d op`, the optimizer's and the
 * backends' switches) is generated from or checked against this table.
 *
 *   DEF(name, outputs, inputs, constant args, flags)
 *
 * Ops are typed: each TCGOp carries a TCGType (i32 or i64) instead of the
 * table holding a copy of every op per width.  Ops marked TCG_OPF_INT use
 * op->type; the rest have a fixed type given by their name.
 *
 * Flags (see tcg.h): BB_END ends a basic block (globals are synced and
 * EBB temps die); BB_EXIT leaves the TB; CALL_CLOBBER clobbers the host's
 * call-clobbered registers; SIDE_EFFECTS keeps the op alive even if its
 * outputs are unused and syncs globals before it (it may fault or read
 * guest state); COND_BRANCH is a conditional in-TB branch; NOT_PRESENT is
 * a pseudo op that the backend never sees.
 */

/* Pseudo ops. */
DEF(discard, 1, 0, 0, TCG_OPF_NOT_PRESENT)
DEF(set_label, 0, 0, 1, TCG_OPF_BB_END | TCG_OPF_NOT_PRESENT)
/* Marks the start of guest instruction; carg 0 = guest pc, 1 = extra. */
DEF(insn_start, 0, 0, 2, TCG_OPF_NOT_PRESENT)
/* Variable arity: nb outputs/inputs are stored in the op itself. */
DEF(call, 0, 0, 2, TCG_OPF_CALL_CLOBBER)

/* Control flow.  carg = label. */
DEF(br, 0, 0, 1, TCG_OPF_BB_END)
/* brcond a, b, cond, label */
DEF(brcond, 0, 2, 2, TCG_OPF_BB_END | TCG_OPF_COND_BRANCH | TCG_OPF_INT)

/* Moves and constants. */
DEF(mov, 1, 1, 0, TCG_OPF_INT | TCG_OPF_NOT_PRESENT)
/* setcond ret, a, b, cond: ret = (a cond b) ? 1 : 0 */
DEF(setcond, 1, 2, 1, TCG_OPF_INT)
/* movcond ret, c1, c2, v1, v2, cond: ret = (c1 cond c2) ? v1 : v2 */
DEF(movcond, 1, 4, 1, TCG_OPF_INT)

/* Arithmetic and logic. */
DEF(add, 1, 2, 0, TCG_OPF_INT)
DEF(sub, 1, 2, 0, TCG_OPF_INT)
DEF(mul, 1, 2, 0, TCG_OPF_INT)
DEF(neg, 1, 1, 0, TCG_OPF_INT)
DEF(and, 1, 2, 0, TCG_OPF_INT)
DEF(or, 1, 2, 0, TCG_OPF_INT)
DEF(xor, 1, 2, 0, TCG_OPF_INT)
DEF(not, 1, 1, 0, TCG_OPF_INT)
DEF(andc, 1, 2, 0, TCG_OPF_INT)
/* Shift counts are taken modulo the type's width (32 or 64). */
DEF(shl, 1, 2, 0, TCG_OPF_INT)
DEF(shr, 1, 2, 0, TCG_OPF_INT)
DEF(sar, 1, 2, 0, TCG_OPF_INT)
DEF(rotl, 1, 2, 0, TCG_OPF_INT)
DEF(rotr, 1, 2, 0, TCG_OPF_INT)
/*
 * Division follows the host's integer division: the builder never emits
 * these with a zero divisor or INT_MIN / -1 reaching the op; front ends
 * guard those cases with movcond (see tcg_gen_div_guarded in tcg-op.h).
 */
DEF(div, 1, 2, 0, TCG_OPF_INT)
DEF(divu, 1, 2, 0, TCG_OPF_INT)
DEF(rem, 1, 2, 0, TCG_OPF_INT)
DEF(remu, 1, 2, 0, TCG_OPF_INT)
/* High half of the double-width product. */
DEF(mulsh, 1, 2, 0, TCG_OPF_INT)
DEF(muluh, 1, 2, 0, TCG_OPF_INT)
/* Sign/zero extension within the op's type. */
DEF(ext8s, 1, 1, 0, TCG_OPF_INT)
DEF(ext8u, 1, 1, 0, TCG_OPF_INT)
DEF(ext16s, 1, 1, 0, TCG_OPF_INT)
DEF(ext16u, 1, 1, 0, TCG_OPF_INT)
DEF(ext32s, 1, 1, 0, TCG_OPF_INT)
DEF(ext32u, 1, 1, 0, TCG_OPF_INT)
/* Width changes: i32 -> i64 signed/unsigned, and i64 -> i32 (low half). */
DEF(ext_i32_i64, 1, 1, 0, 0)
DEF(extu_i32_i64, 1, 1, 0, 0)
DEF(extrl_i64_i32, 1, 1, 0, 0)

/* Host memory relative to a base temp (normally env): carg = offset. */
DEF(ld8u, 1, 1, 1, TCG_OPF_INT)
DEF(ld8s, 1, 1, 1, TCG_OPF_INT)
DEF(ld16u, 1, 1, 1, TCG_OPF_INT)
DEF(ld16s, 1, 1, 1, TCG_OPF_INT)
DEF(ld32u, 1, 1, 1, TCG_OPF_INT)
DEF(ld32s, 1, 1, 1, TCG_OPF_INT)
DEF(ld, 1, 1, 1, TCG_OPF_INT)
DEF(st8, 0, 2, 1, TCG_OPF_INT)
DEF(st16, 0, 2, 1, TCG_OPF_INT)
DEF(st32, 0, 2, 1, TCG_OPF_INT)
DEF(st, 0, 2, 1, TCG_OPF_INT)

/* Guest memory through the softmmu TLB, or at guest_base in user mode.
   carg = MemOpIdx, with an offset added to the address in its high half
   (make_memop_arg; non-zero only under TCGRuntime.guest_guard). */
DEF(qemu_ld, 1, 1, 1, TCG_OPF_SIDE_EFFECTS | TCG_OPF_INT)
DEF(qemu_st, 0, 2, 1, TCG_OPF_SIDE_EFFECTS | TCG_OPF_INT)

/*
 * IEEE 754 arithmetic on floating-point values held as raw bits in i64
 * temps, rounding to nearest even (fsqrt has one input).  carg is a
 * TCGFPFormat ORed with a NaN policy (tcg.h).  Formats: TCG_FP_F64
 * (binary64); TCG_FP_F32_BOXED (binary32 in the low half with the upper
 * half all ones, "NaN-boxed"; an input not so boxed reads as the default
 * NaN, and the result is boxed); TCG_FP_F32 (binary32 in the low half;
 * the upper halves are not looked at, and the result's is the first
 * input's).  NaN policies: TCG_FP_NAN_DEFAULT, every NaN result is the
 * default NaN (positive and quiet with no payload: 0x7ff8000000000000,
 * 0x7fc00000; RISC-V's rule), with F64 and F32_BOXED; TCG_FP_NAN_X86,
 * x86 SSE's rule, with F64 and F32: the first input if it is a NaN, else
 * the second if it is one, made quiet (payload and sign kept), and for an
 * invalid operation on numbers the negative default NaN
 * (0xfff8000000000000, 0xffc00000).  The IEEE flags an op raises (a
 * signaling NaN input is invalid; tininess is detected after rounding),
 * and on an x86 host x86's denormal-operand flag (exact under
 * TCG_FP_NAN_X86; the default policy's NaN check may raise it when the
 * result is denormal), accrue in the host FPU
 * (include/mimic/host-fp.h): that side effect keeps the op alive when
 * its result is unused.  Optional: a front end asks tcg_have_fp_arith()
 * and calls a helper when the backend lacks them.
 */
DEF(fadd, 1, 2, 1, TCG_OPF_SIDE_EFFECTS)
DEF(fsub, 1, 2, 1, TCG_OPF_SIDE_EFFECTS)
DEF(fmul, 1, 2, 1, TCG_OPF_SIDE_EFFECTS)
DEF(fdiv, 1, 2, 1, TCG_OPF_SIDE_EFFECTS)
DEF(fsqrt, 1, 1, 1, TCG_OPF_SIDE_EFFECTS)

/*
 * 128-bit vectors that live in memory at base + offset (a front end's
 * vector registers in env: they are not temps, so nothing is allocated,
 * synced or spilled for them).  vec base, op, d, a, b: the 16 bytes at
 * d = op(the 16 at a, the 16 at b), where op is a TCGVecOp and b is an
 * immediate for TCG_VEC_SHUF32; d may be a or b.  vec_movmsk ret, base,
 * a: the top bit of each of the 16 bytes at a, byte i in bit i.
 * Optional: a front end asks tcg_have_vec() and calls a helper when the
 * backend lacks them.
 */
DEF(vec, 0, 1, 4, 0)
DEF(vec_movmsk, 1, 1, 1, 0)

/* Memory ordering; carg = TCGBar bits. */
DEF(mb, 0, 0, 1, TCG_OPF_SIDE_EFFECTS)

/*
 * Leaving the TB.  exit_tb returns carg (a TranslationBlock pointer ORed
 * with the jump slot, or 0) to the execution loop.  goto_tb n, check emits
 * a patchable direct jump (slot n, 0 or 1) that initially falls through
 * to the next op (normally exit_tb); with check >= 0 it first tests the
 * int32 at env + check (the exit request) and falls through when it is
 * set.  goto_ptr jumps to a host code address held in a temp.
 * lookup_and_goto_ptr pc, check probes the CPU's jump cache for guest pc
 * (an input, also stored in env already) and jumps to the translated
 * code, or returns 0 to the execution loop on a miss or, with check >= 0,
 * when the int32 at env + check is set.
 */
DEF(exit_tb, 0, 0, 1, TCG_OPF_BB_EXIT | TCG_OPF_BB_END)
DEF(goto_tb, 0, 0, 2, TCG_OPF_BB_EXIT | TCG_OPF_BB_END)
DEF(goto_ptr, 0, 1, 0, TCG_OPF_BB_EXIT | TCG_OPF_BB_END)
DEF(lookup_and_goto_ptr, 0, 1, 1, TCG_OPF_BB_EXIT | TCG_OPF_BB_END)
