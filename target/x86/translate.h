/*
 * The x86-64 translator's shared definitions: the lazy-flags operations
 * (CCOp, stored in CPUX86State.cc_op), the TB flags word, and what
 * cpu.c, cc_helper.c and the translator share.  How EFLAGS is kept
 * lazily is written down in docs/devel/x86.md.
 */
#ifndef TARGET_X86_TRANSLATE_H
#define TARGET_X86_TRANSLATE_H

#include <stdint.h>

#include "mimic/cpu.h"
#include "mimic/tcg.h"
#include "cpu.h"

/*
 * The last flag-setting operation: a kind and an operand size.  cc_op is
 * (kind << 2) | log2(bytes), so one number says both and the size of an
 * operation is cc_op & 3.  What cc_dst, cc_src and cc_src2 hold:
 *
 *   EFLAGS  cc_src = the CC bits themselves (X86_CC_MASK)
 *   ADD     cc_dst = result, cc_src = second operand
 *   ADC     as ADD, cc_src2 = the carry in (0 or 1)
 *   SUB     cc_dst = result, cc_src = second operand (CMP, NEG: 0 - x)
 *   SBB     as SUB, cc_src2 = the borrow in
 *   LOGIC   cc_dst = result (CF = OF = 0)
 *   INC/DEC cc_dst = result, cc_src = the CF before (INC/DEC keep it)
 *   SHL     cc_dst = result, cc_src = the operand shifted by count - 1
 *           (its top bit is CF)
 *   SAR     cc_dst = result, cc_src = the operand shifted by count - 1
 *           (its low bit is CF); SHR too: OF is the top bit of
 *           cc_src ^ cc_dst either way
 *   MUL     cc_dst = result (low half), cc_src = non-zero if the high
 *           half is significant (CF = OF = 1)
 *
 * A ROL or ROR by a constant after one of these but EFLAGS, ADC and SBB
 * (or after another such rotate) is CC_OP_ROT(base, ror, size): the
 * base operation's cc_op and operands stay for SF, ZF, AF and PF, and
 * cc_src2 holds the rotate's result, whose bits give CF and OF.
 */
enum {
    CC_KIND_EFLAGS,
    CC_KIND_ADD,
    CC_KIND_ADC,
    CC_KIND_SUB,
    CC_KIND_SBB,
    CC_KIND_LOGIC,
    CC_KIND_INC,
    CC_KIND_DEC,
    CC_KIND_SHL,
    CC_KIND_SAR,
    CC_KIND_MUL,
    CC_KIND_COUNT,
};

#define CC_OP(kind, size_log2) (((kind) << 2) | (size_log2))
#define CC_OP_KIND(op) ((op) >> 2)
#define CC_OP_SIZE(op) ((op) & 3)
#define CC_OP_EFLAGS CC_OP(CC_KIND_EFLAGS, 0)
#define CC_OP_ROT_FLAG 0x200
#define CC_OP_ROT_RIGHT 0x100
#define CC_OP_ROT(base, right, size_log2) \
    (CC_OP_ROT_FLAG | ((right) ? CC_OP_ROT_RIGHT : 0) | \
     ((size_log2) << 6) | CC_OP_BASE(base))
#define CC_OP_IS_ROT(op) (((op) & CC_OP_ROT_FLAG) != 0)
/* The operation SF, ZF, AF and PF come from (op itself but for ROT). */
#define CC_OP_BASE(op) ((op) & 0x3f)
/* Translation time only: the generated code does not know cc_op. */
#define CC_OP_DYNAMIC (-1)

/* The CC bits (X86_CC_MASK) after the operation cc_op (pure). */
uint64_t x86_cc_compute(uint32_t cc_op, uint64_t dst, uint64_t src,
                        uint64_t src2);

/*
 * The TB flags word: what the translation depends on beyond the pc.
 * Only 64-bit user mode exists today, whose mode fields are all 0; they
 * are laid out for the modes to come: the code size (CS.L/CS.D), the
 * stack size (SS.B) and CPL.  Then whether MXCSR is in its default
 * state.
 */
#define X86_TB_CODE_MASK   3u      /* X86_TB_CODE64 (0), 32 or 16 */
#define X86_TB_CODE64      0u
#define X86_TB_CODE32      1u
#define X86_TB_CODE16      2u
#define X86_TB_STACK32     (1u << 2)
#define X86_TB_CPL_SHIFT   3
#define X86_TB_CPL_MASK    (3u << X86_TB_CPL_SHIFT)
/* MXCSR is in its default state but for its flags (round to nearest,
   every exception masked, no DAZ or FTZ): SSE arithmetic runs inline on
   the host's FPU (docs/devel/x86.md).  Only x86_set_mxcsr changes it. */
#define X86_TB_MXCSR_DEFAULT (1u << 5)

/* translate.c */
void x86_tcg_init(void);
void x86_translate(CPUState *cs, TranslationBlock *tb, int max_insns);

/* cpu.c: the hooks both modes' TargetOps share. */
void x86_reset(CPUState *cs);
void x86_get_tb_key(CPUState *cs, uint64_t *pc, uint64_t *flags);
void x86_restore_state(CPUState *cs, uint64_t pc, uint64_t extra);
/* TargetOps.fold_fp_exc: the host's flags (FP_EXC_*) into MXCSR. */
void x86_fold_fp_exc(CPUState *cs, unsigned exc);
/* A misaligned access whose MemOp wants alignment (SSE's 16-byte
   operands): #GP(0). */
_Noreturn void x86_unaligned_access(CPUState *cs, uint64_t vaddr,
                                    MMUAccessType access_type, int mmu_idx,
                                    uintptr_t retaddr);
void x86_dump_state(CPUState *cs, FILE *f);
int x86_disas(uint64_t pc, const uint8_t *code, unsigned avail, char *buf,
              size_t len);
int x86_gdb_read_register(CPUState *cs, uint8_t *buf, int reg);
int x86_gdb_write_register(CPUState *cs, const uint8_t *buf, int reg);

/* gdb's amd64 core registers: rax..r15 (gdb's order), rip, eflags, and
   the six segment registers. */
#define X86_GDB_NUM_CORE_REGS 24

#define X86_TARGET_OPS_COMMON                                   \
    .name = "x86_64",                                           \
    .cpu_size = sizeof(X86CPU),                                 \
    .tcg_init = x86_tcg_init,                                   \
    .get_tb_key = x86_get_tb_key,                               \
    .translate = x86_translate,                                 \
    .restore_state = x86_restore_state,                         \
    .fold_fp_exc = x86_fold_fp_exc,                             \
    .unaligned_access = x86_unaligned_access,                   \
    .dump_state = x86_dump_state,                               \
    .disas = x86_disas,                                         \
    .insn_unit = 1,                                             \
    /* TSO: every ordering but a store before a later load */   \
    .guest_mo = TCG_MO_LD_LD | TCG_MO_LD_ST | TCG_MO_ST_ST,     \
    .pc_offset = X86_ENV_OFFSET(rip),                           \
    .gdb_num_core_regs = X86_GDB_NUM_CORE_REGS,                 \
    .gdb_read_register = x86_gdb_read_register,                 \
    .gdb_write_register = x86_gdb_write_register

#endif
