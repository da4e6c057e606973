/*
 * The aarch64 backend's private interface: register numbers, instruction
 * encodings (each a 32-bit word with its fixed bits; the emitters OR in
 * the fields) and the few functions every instruction goes through.
 * Shared by the files of tcg/aarch64/ only.
 *
 *   tcg_out_insn_rrr(s, I_ADD, true, d, a, b);     add x_d, x_a, x_b
 *   tcg_out_ldst(s, I_LDRX, reg, TCG_AREG0, off);  ldr x_reg, [env + off]
 *
 * Register 31 is sp or xzr depending on the instruction; the allocator
 * never sees it.  A "64-bit" flag (sf) selects the X or W form.
 */
#ifndef TCG_AARCH64_EMIT_H
#define TCG_AARCH64_EMIT_H

#include "../tcg-internal.h"

enum {
    R_X0, R_X1, R_X2, R_X3, R_X4, R_X5, R_X6, R_X7,
    R_X8, R_X9, R_X10, R_X11, R_X12, R_X13, R_X14, R_X15,
    R_X16, R_X17, R_X18, R_X19, R_X20, R_X21, R_X22, R_X23,
    R_X24, R_X25, R_X26, R_X27, R_X28, R_X29, R_X30,
    R_SP = 31,
    R_ZR = 31,
};

/* Backend scratch registers, never given to the allocator: the two
   intra-procedure-call registers, which no helper expects preserved,
   and the link register (every call made from generated code rewrites
   it anyway). */
#define TCG_TMP0 R_X16
#define TCG_TMP1 R_X17
#define TCG_TMP2 R_X30
#define TCG_AREG0 R_X19 /* env, for the whole TB */
/* env + tcg_env_hi_bias: reaches the fields far from env's start (the
   jump cache comes first in CPUState; the guest's registers are 2 MiB in)
   with one load or store (emit.c, tcg_out_ldst). */
#define TCG_REG_ENVHI R_X29
/* User mode: guest_base, for the whole run (prologue.c reserves it). */
#define TCG_GUEST_BASE_REG R_X28

/* Constant kinds of this backend's constraint letters (tcg-internal.h
   leaves the bits from 16 up to backends). */
#define TCG_CT_CONST_AIMM 16  /* 'A': add/sub immediate, either sign */
#define TCG_CT_CONST_LIMM 32  /* 'L': logical (bitmask) immediate */
#define TCG_CT_CONST_ZERO 64  /* 'Z': zero (the zero register) */

/* Condition codes. */
enum {
    COND_EQ, COND_NE, COND_HS, COND_LO, COND_MI, COND_PL, COND_VS, COND_VC,
    COND_HI, COND_LS, COND_GE, COND_LT, COND_GT, COND_LE, COND_AL,
};

/* Instruction words (64-bit forms have bit 31 set by the emitter). */
enum {
    /* Add/subtract (shifted register), logical (shifted register). */
    I_ADD = 0x0b000000, I_ADDS = 0x2b000000,
    I_SUB = 0x4b000000, I_SUBS = 0x6b000000,
    I_AND = 0x0a000000, I_BIC = 0x0a200000, I_ORR = 0x2a000000,
    I_ORN = 0x2a200000, I_EOR = 0x4a000000, I_ANDS = 0x6a000000,
    /* Add/subtract (immediate): imm12 << 10, bit 22 = LSL #12. */
    I_ADDI = 0x11000000, I_ADDSI = 0x31000000,
    I_SUBI = 0x51000000, I_SUBSI = 0x71000000,
    /* Logical (immediate): N << 22, immr << 16, imms << 10. */
    I_ANDI = 0x12000000, I_ORRI = 0x32000000, I_EORI = 0x52000000,
    I_ANDSI = 0x72000000,
    /* Move wide: hw << 21, imm16 << 5. */
    I_MOVN = 0x12800000, I_MOVZ = 0x52800000, I_MOVK = 0x72800000,
    /* Data processing (2 source). */
    I_LSLV = 0x1ac02000, I_LSRV = 0x1ac02400, I_ASRV = 0x1ac02800,
    I_RORV = 0x1ac02c00, I_UDIV = 0x1ac00800, I_SDIV = 0x1ac00c00,
    /* Data processing (3 source): Ra << 10. */
    I_MADD = 0x1b000000, I_MSUB = 0x1b008000,
    I_SMULL = 0x9b200000, I_UMULL = 0x9ba00000,
    I_SMULH = 0x9b400000, I_UMULH = 0x9bc00000,
    /* Bitfield: N (= sf) << 22, immr << 16, imms << 10. */
    I_SBFM = 0x13000000, I_UBFM = 0x53000000, I_EXTR = 0x13800000,
    /* Conditional select: cond << 12. */
    I_CSEL = 0x1a800000, I_CSINC = 0x1a800400,
    /* Data processing (1 source). */
    I_REV16 = 0x5ac00400, I_REV32 = 0x5ac00800, I_REV64 = 0x5ac00c00,
    /* Loads and stores, unsigned scaled imm12 << 10. */
    I_STRB = 0x39000000, I_LDRB = 0x39400000,
    I_LDRSBX = 0x39800000, I_LDRSBW = 0x39c00000,
    I_STRH = 0x79000000, I_LDRH = 0x79400000,
    I_LDRSHX = 0x79800000, I_LDRSHW = 0x79c00000,
    I_STRW = 0xb9000000, I_LDRW = 0xb9400000, I_LDRSW = 0xb9800000,
    I_STRX = 0xf9000000, I_LDRX = 0xf9400000,
    /* Pairs, signed scaled imm7 << 15 (pre-index, post-index, offset). */
    I_STP_PRE = 0xa9800000, I_LDP_POST = 0xa8c00000,
    I_STP = 0xa9000000, I_LDP = 0xa9400000,
    /* Branches. */
    I_B = 0x14000000, I_BL = 0x94000000, I_BCOND = 0x54000000,
    I_CBZ = 0x34000000, I_CBNZ = 0x35000000,
    I_BR = 0xd61f0000, I_BLR = 0xd63f0000, I_RET = 0xd65f0000,
    I_ADR = 0x10000000,
    I_NOP = 0xd503201f,
    I_DMB = 0xd50330bf, /* CRm << 8 */
};
/* DMB options (CRm). */
enum { DMB_ISHLD = 9, DMB_ISHST = 10, DMB_ISH = 11 };

/* The offsets of the load/store encodings between the scaled-imm12 form
   and the others (same size and opc fields). */
#define LDST_UNSCALED(insn) (((insn) & ~0x3f000000u) | 0x38000000u)
#define LDST_REGOFF(insn) (((insn) & ~0x3f000000u) | 0x38206800u)

/* Relocation kinds (tcg_patch_reloc). */
enum { R_AARCH64_JUMP26 = 1, R_AARCH64_CONDBR19 = 2 };

/* TCG_REG_ENVHI holds env + this (prologue.c). */
extern intptr_t tcg_env_hi_bias;
extern const uint8_t tcg_cond_to_arm[];

static inline void tcg_out_insn(TCGContext *s, uint32_t insn)
{
    tcg_out32(s, insn);
}

static inline uint32_t sf(bool w64)
{
    return w64 ? 0x80000000u : 0;
}

/* Three registers: d = a op b (add/sub/logical shifted-register forms
   with no shift, and the data-processing 2-source ones). */
static inline void tcg_out_insn_rrr(TCGContext *s, uint32_t insn, bool w64,
                                    int d, int a, int b)
{
    tcg_out_insn(s, insn | sf(w64) | (uint32_t)(b & 31) << 16 |
                        (uint32_t)(a & 31) << 5 | (uint32_t)(d & 31));
}

/* Bitfield move (SBFM/UBFM): immr, imms; N follows sf. */
static inline void tcg_out_bfm(TCGContext *s, uint32_t insn, bool w64, int d,
                               int n, unsigned immr, unsigned imms)
{
    tcg_out_insn(s, insn | sf(w64) | (w64 ? 1u << 22 : 0) | immr << 16 |
                        imms << 10 | (uint32_t)(n & 31) << 5 |
                        (uint32_t)(d & 31));
}

/* Encodes val as a logical immediate of the width (N:immr:imms in their
   places, bits 22..10); false if it has no such encoding. */
bool tcg_logic_imm(uint64_t val, bool w64, uint32_t *enc);
/* An add/sub immediate: imm12, optionally shifted by 12. */
static inline bool tcg_aimm_ok(uint64_t v)
{
    return v < 0x1000 || ((v & 0xfff) == 0 && v < 0x1000000);
}

/* Small building blocks. */
void tcg_out_ldst(TCGContext *s, uint32_t insn, int rt, int base,
                  intptr_t off);
void tcg_out_addi(TCGContext *s, bool w64, int d, int a, int64_t val);
void tcg_out_logici(TCGContext *s, uint32_t insn, bool w64, int d, int a,
                    uint64_t val);
void tcg_out_cmp(TCGContext *s, TCGType type, int a, int64_t b, bool b_const);
void tcg_out_jmp_abs(TCGContext *s, uintptr_t target_rx, bool call);
void tcg_out_bcond_label(TCGContext *s, int cond, TCGLabel *l);
/* A branch (cond < 0: B) to an RX address in this code buffer. */
void tcg_out_b_rx(TCGContext *s, int cond, uintptr_t target_rx);
void tcg_out_shifti(TCGContext *s, int kind, bool w64, int d, int a,
                    unsigned n);
enum { SH_LSL, SH_LSR, SH_ASR, SH_ROR };
void tcg_out_ext(TCGContext *s, bool w64, int d, int a, unsigned bits,
                 bool sign);

/* Emitters of ops.c's table (tcg_target_out_ops) that live in their own
   files: qemu_ld/qemu_st (ldst.c), the IEEE ops (fp.c), the ops that
   leave the TB (prologue.c). */
TCGOutOpFn tcg_out_op_qemu_ld, tcg_out_op_qemu_st;
TCGOutOpFn tcg_out_op_fp;
TCGOutOpFn tcg_out_op_exit_tb, tcg_out_op_goto_tb;
TCGOutOpFn tcg_out_op_lookup_and_goto_ptr;

#endif
