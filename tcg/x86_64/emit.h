/*
 * The x86-64 backend's private interface: register numbers, the opcode
 * constants of the encoder funnel (named with their operand form, prefixes
 * ORed in as flag bits) and the few functions every instruction goes
 * through.  Shared by the files of tcg/x86_64/ only.
 *
 *   tcg_out_modrm(s, OPC_ARITH_GvEv + (ARITH_ADD << 3) + P_REXW, dst, src);
 *   tcg_out_modrm_offset(s, OPC_MOVL_GvEv + P_REXW, reg, R_RBP, 0x40);
 */
#ifndef TCG_X86_64_EMIT_H
#define TCG_X86_64_EMIT_H

#include "../tcg-internal.h"

enum {
    R_RAX,
    R_RCX,
    R_RDX,
    R_RBX,
    R_RSP,
    R_RBP,
    R_RSI,
    R_RDI,
    R_R8,
    R_R9,
    R_R10,
    R_R11,
    R_R12,
    R_R13,
    R_R14,
    R_R15,
};

/* Backend scratch registers, never given to the allocator. */
#define TCG_TMP0 R_R10
#define TCG_TMP1 R_R11
#define TCG_AREG0 R_RBP /* env, for the whole TB */
/* User mode: guest_base, for the whole run (prologue.c reserves it). */
#define TCG_GUEST_BASE_REG R_R15

/* Prefix and escape flags ORed into an opcode. */
#define P_EXT 0x100      /* 0x0f escape */
#define P_EXT38 0x200    /* 0x0f 0x38 escape */
#define P_DATA16 0x400   /* 0x66 operand-size prefix */
#define P_REXW 0x1000    /* REX.W: 64-bit operand */
#define P_REXB_R 0x2000  /* reg field names a byte register */
#define P_REXB_RM 0x4000 /* r/m field names a byte register */
#define P_SIMDF3 0x8000  /* 0xf3 prefix */
#define P_SIMDF2 0x10000 /* 0xf2 prefix */
#define P_EXT3A 0x20000  /* 0x0f 0x3a escape */

#define OPC_ARITH_EvIz 0x81
#define OPC_ARITH_EvIb 0x83
#define OPC_ARITH_GvEv 0x03 /* + (ARITH_x << 3) */
#define OPC_BSWAP (0xc8 | P_EXT)
#define OPC_CALL_Jz 0xe8
#define OPC_CMOVCC (0x40 | P_EXT) /* + cc */
#define OPC_CDQ 0x99              /* cqo with P_REXW */
#define OPC_IMUL_GvEv (0xaf | P_EXT)
#define OPC_IMUL_GvEvIb 0x6b
#define OPC_IMUL_GvEvIz 0x69
#define OPC_JCC_long (0x80 | P_EXT) /* + cc */
#define OPC_JCC_short 0x70          /* + cc */
#define OPC_JMP_long 0xe9
#define OPC_JMP_short 0xeb
#define OPC_LEA 0x8d
#define OPC_MOVB_EvGv (0x88 | P_REXB_R)
#define OPC_MOVL_EvGv 0x89
#define OPC_MOVL_GvEv 0x8b
#define OPC_MOVB_EvIb 0xc6
#define OPC_MOVL_EvIz 0xc7
#define OPC_MOVL_Iv 0xb8 /* + reg */
#define OPC_MOVZBL (0xb6 | P_EXT)
#define OPC_MOVZWL (0xb7 | P_EXT)
#define OPC_MOVSBL (0xbe | P_EXT)
#define OPC_MOVSWL (0xbf | P_EXT)
#define OPC_MOVSLQ (0x63 | P_REXW)
#define OPC_MFENCE (0xae | P_EXT) /* modrm 0xf0 */
#define OPC_POP_r32 0x58
#define OPC_PUSH_r32 0x50
#define OPC_RET 0xc3
#define OPC_SETCC (0x90 | P_EXT | P_REXB_RM) /* + cc */
#define OPC_SHIFT_1 0xd1
#define OPC_SHIFT_Ib 0xc1
#define OPC_SHIFT_cl 0xd3
#define OPC_TESTL 0x85
#define OPC_GRP3_Ev 0xf7
#define OPC_GRP5 0xff
#define OPC_ANDN (0xf2 | P_EXT38) /* VEX-encoded */

/* Group 1 (ARITH), group 2 (SHIFT), group 3 and group 5 extensions. */
enum {
    ARITH_ADD,
    ARITH_OR,
    ARITH_ADC,
    ARITH_SBB,
    ARITH_AND,
    ARITH_SUB,
    ARITH_XOR,
    ARITH_CMP
};
enum {
    SHIFT_ROL = 0,
    SHIFT_ROR = 1,
    SHIFT_SHL = 4,
    SHIFT_SHR = 5,
    SHIFT_SAR = 7
};
enum {
    EXT3_NOT = 2,
    EXT3_NEG = 3,
    EXT3_MUL = 4,
    EXT3_IMUL = 5,
    EXT3_DIV = 6,
    EXT3_IDIV = 7
};
enum { EXT5_CALLN_Ev = 2, EXT5_JMPN_Ev = 4 };

/* Condition codes (the low nibble of jcc/setcc/cmovcc). */
enum {
    JCC_JO,
    JCC_JNO,
    JCC_JB,
    JCC_JAE,
    JCC_JE,
    JCC_JNE,
    JCC_JBE,
    JCC_JA,
    JCC_JS,
    JCC_JNS,
    JCC_JP,
    JCC_JNP,
    JCC_JL,
    JCC_JGE,
    JCC_JLE,
    JCC_JG,
};

#define R_X86_64_PC32 1

/* Host features found with cpuid at start-up. */
extern bool have_bmi1, have_ssse3;

static inline int rexw(TCGType type)
{
    return type == TCG_TYPE_I64 ? P_REXW : 0;
}

static inline bool fits_s32(int64_t v)
{
    return v == (int32_t)v;
}
static inline bool fits_s8(int64_t v)
{
    return v == (int8_t)v;
}

/* The funnel. */
void tcg_out_opc(TCGContext *s, int opc, int r, int rm, int x);
void tcg_out_modrm(TCGContext *s, int opc, int r, int rm);
/* [base + index << shift + offset]; base < 0 and index < 0: RIP-relative
   to the absolute address offset (no immediate may follow). */
void tcg_out_modrm_sib_offset(TCGContext *s, int opc, int r, int base,
                              int index, int shift, intptr_t offset);
static inline void tcg_out_modrm_offset(TCGContext *s, int opc, int r, int base,
                                        intptr_t offset)
{
    tcg_out_modrm_sib_offset(s, opc, r, base, -1, 0, offset);
}
void tcg_out_vex_modrm(TCGContext *s, int opc, int r, int v, int rm);

/* Small building blocks. */
void tcg_out_arithi(TCGContext *s, int c, int r0, int64_t val, bool rexw_);
void tcg_out_shifti(TCGContext *s, int subop, int reg, int count, bool rexw_);
void tcg_out_jmp_abs(TCGContext *s, uintptr_t target_rx, bool call);
void tcg_out_jxx(TCGContext *s, int cc, TCGLabel *l);
void tcg_out_cmp(TCGContext *s, TCGType type, int a, int64_t b, bool b_const);
void tcg_out_ext8u(TCGContext *s, int dst, int src);
void tcg_out_nopn(TCGContext *s, int n);
extern const uint8_t tcg_cond_to_jcc[];

/* Emitters of ops.c's table (tcg_target_out_ops) that live in their own
   files: qemu_ld/qemu_st (ldst.c), the IEEE ops (fp.c), and the ops that
   leave the TB (prologue.c), the vector ops (vec.c). */
TCGOutOpFn tcg_out_op_qemu_ld, tcg_out_op_qemu_st;
TCGOutOpFn tcg_out_op_fp;
TCGOutOpFn tcg_out_op_vec, tcg_out_op_vec_movmsk;
TCGOutOpFn tcg_out_op_exit_tb, tcg_out_op_goto_tb;
TCGOutOpFn tcg_out_op_lookup_and_goto_ptr;

#endif
