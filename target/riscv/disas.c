/*
 * RISC-V disassembler for `-d in_asm` and the monitor's `x/i`.  It turns one
 * RV64GC instruction (I, M, A, F, D, C, Zicsr, Zifencei and the privileged
 * instructions) into the text `riscv64-linux-gnu-objdump -d` prints for it,
 * aliases included.  Decoding is driven by two ordered tables, one for 32-bit
 * and one for 16-bit encodings: the first entry whose mask/match (and optional
 * extra check) fits the instruction wins, so a pseudo-instruction such as
 * `li` sits just before the real instruction it stands for.  An entry names a
 * layout (where its register and immediate fields are, as data) and a format
 * (which operands it prints, in which order).  A compressed instruction
 * decodes straight into the fields of the 32-bit instruction it expands to,
 * so it shares the printing code.  The only state is const tables.
 *
 * Where we differ from objdump (binutils 2.40) on purpose: immediate forms keep
 * their own mnemonic (objdump prints addi as "add a0,a0,1", slli as "sll",
 * csrrsi as "csrrs"); 0x0100000f is "pause" (Zihintpause) rather than "fence
 * w,unknown"; fcvt.d.w, fcvt.d.wu and fcvt.d.s accept any rounding mode and
 * print it unless it is rne, where objdump shows ".4byte"; sfence.vm of priv
 * spec 1.9 is not decoded; unknown encodings print as ".insn 0x...".
 */
#include "mimic/rv-disas.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* ---- Where the fields of an instruction are ---- */

/* Where a register operand comes from. */
typedef enum RvRegSrc {
    REG_NONE,   /* not used: reads as x0 */
    REG_7,      /* bits 11:7, rd of a 32-bit or CR/CI instruction */
    REG_15,     /* bits 19:15, rs1 */
    REG_20,     /* bits 24:20, rs2 */
    REG_27,     /* bits 31:27, rs3 */
    REG_2,      /* bits 6:2, rs2 of CR/CSS */
    REG_P2,     /* bits 4:2, x8..x15 (rd'/rs2') */
    REG_P7,     /* bits 9:7, x8..x15 (rs1'/rd') */
    REG_ZERO,   /* implied x0 */
    REG_SP,     /* implied x2 */
} RvRegSrc;

/* A run of immediate bits: instruction bits hi..lo go to immediate bit to. */
typedef struct RvBits {
    uint8_t hi, lo, to;
} RvBits;

/* How to pull the fields of one instruction format out of its bits. */
typedef struct RvLayout {
    uint8_t rd, rs1, rs2;   /* RvRegSrc of each register */
    int8_t sign_bit;        /* bit to sign-extend from; -1: unsigned */
    RvBits imm[9];          /* the immediate's bit runs, ended by hi == 0 */
} RvLayout;

typedef enum RvLayoutId {
    LY_R, LY_I, LY_S, LY_B, LY_U, LY_J, LY_SH6, LY_SH5, LY_CSR,
    LY_CIW, LY_CLW, LY_CLD, LY_CSW, LY_CSD, LY_CI, LY_C16SP, LY_CSH,
    LY_CBSH, LY_CBI, LY_CA, LY_CJ, LY_CB, LY_CLWSP, LY_CLDSP, LY_CSWSP,
    LY_CSDSP, LY_CR,
} RvLayoutId;

static const RvLayout layouts[] = {
    /* 32-bit: rs3, rm and the CSR number are always bits 31:27, 14:12, 31:20 */
    [LY_R]   = { REG_7, REG_15, REG_20, -1, { { 0 } } },
    [LY_I]   = { REG_7, REG_15, REG_20, 11, { { 31, 20, 0 } } },
    [LY_S]   = { REG_7, REG_15, REG_20, 11, { { 31, 25, 5 }, { 11, 7, 0 } } },
    [LY_B]   = { REG_7, REG_15, REG_20, 12,
                 { { 31, 31, 12 }, { 30, 25, 5 }, { 11, 8, 1 },
                   { 7, 7, 11 } } },
    [LY_U]   = { REG_7, REG_15, REG_20, -1, { { 31, 12, 0 } } },
    [LY_J]   = { REG_7, REG_15, REG_20, 20,
                 { { 31, 31, 20 }, { 30, 21, 1 }, { 20, 20, 11 },
                   { 19, 12, 12 } } },
    [LY_SH6] = { REG_7, REG_15, REG_20, -1, { { 25, 20, 0 } } },
    [LY_SH5] = { REG_7, REG_15, REG_20, -1, { { 24, 20, 0 } } },
    [LY_CSR] = { REG_7, REG_15, REG_20, -1, { { 19, 15, 0 } } },  /* uimm */
    /* 16-bit */
    [LY_CIW]   = { REG_P2, REG_SP, REG_NONE, -1,
                   { { 12, 11, 4 }, { 10, 7, 6 }, { 6, 6, 2 }, { 5, 5, 3 } } },
    [LY_CLW]   = { REG_P2, REG_P7, REG_NONE, -1,
                   { { 12, 10, 3 }, { 6, 6, 2 }, { 5, 5, 6 } } },
    [LY_CLD]   = { REG_P2, REG_P7, REG_NONE, -1,
                   { { 12, 10, 3 }, { 6, 5, 6 } } },
    [LY_CSW]   = { REG_NONE, REG_P7, REG_P2, -1,
                   { { 12, 10, 3 }, { 6, 6, 2 }, { 5, 5, 6 } } },
    [LY_CSD]   = { REG_NONE, REG_P7, REG_P2, -1,
                   { { 12, 10, 3 }, { 6, 5, 6 } } },
    [LY_CI]    = { REG_7, REG_7, REG_NONE, 5, { { 12, 12, 5 }, { 6, 2, 0 } } },
    [LY_C16SP] = { REG_SP, REG_SP, REG_NONE, 9,
                   { { 12, 12, 9 }, { 6, 6, 4 }, { 5, 5, 6 }, { 4, 3, 7 },
                     { 2, 2, 5 } } },
    [LY_CSH]   = { REG_7, REG_7, REG_NONE, -1, { { 12, 12, 5 }, { 6, 2, 0 } } },
    [LY_CBSH]  = { REG_P7, REG_P7, REG_NONE, -1,
                   { { 12, 12, 5 }, { 6, 2, 0 } } },
    [LY_CBI]   = { REG_P7, REG_P7, REG_NONE, 5,
                   { { 12, 12, 5 }, { 6, 2, 0 } } },
    [LY_CA]    = { REG_P7, REG_P7, REG_P2, -1, { { 0 } } },
    [LY_CJ]    = { REG_ZERO, REG_NONE, REG_NONE, 11,
                   { { 12, 12, 11 }, { 11, 11, 4 }, { 10, 9, 8 }, { 8, 8, 10 },
                     { 7, 7, 6 }, { 6, 6, 7 }, { 5, 3, 1 }, { 2, 2, 5 } } },
    [LY_CB]    = { REG_NONE, REG_P7, REG_ZERO, 8,
                   { { 12, 12, 8 }, { 11, 10, 3 }, { 6, 5, 6 }, { 4, 3, 1 },
                     { 2, 2, 5 } } },
    [LY_CLWSP] = { REG_7, REG_SP, REG_NONE, -1,
                   { { 12, 12, 5 }, { 6, 4, 2 }, { 3, 2, 6 } } },
    [LY_CLDSP] = { REG_7, REG_SP, REG_NONE, -1,
                   { { 12, 12, 5 }, { 6, 5, 3 }, { 4, 2, 6 } } },
    [LY_CSWSP] = { REG_NONE, REG_SP, REG_2, -1, { { 12, 9, 2 }, { 8, 7, 6 } } },
    [LY_CSDSP] = { REG_NONE, REG_SP, REG_2, -1,
                   { { 12, 10, 3 }, { 9, 7, 6 } } },
    [LY_CR]    = { REG_7, REG_7, REG_2, -1, { { 0 } } },
};

/* ---- What an instruction prints ---- */

typedef enum RvArg {
    A_END,
    A_RD, A_RS1, A_RS2,             /* integer registers */
    A_FRD, A_FRS1, A_FRS2, A_FRS3,  /* floating-point registers */
    A_IMM,      /* signed decimal immediate */
    A_HEX,      /* shift amount or lui/auipc immediate, in hex */
    A_MEM,      /* imm(rs1) */
    A_AMEM,     /* (rs1), for atomics */
    A_TARGET,   /* pc + imm as an absolute address */
    A_CSR,      /* CSR name or number */
    A_ZIMM,     /* CSR immediate (the rs1 field), decimal */
    A_RM,       /* rounding mode; printed only when it is not dyn */
    A_RMX,      /* rounding mode of an exact conversion; printed unless rne */
    A_PRED, A_SUCC,                 /* fence sets */
} RvArg;

typedef enum RvFmtId {
    FMT_NONE, FMT_R, FMT_I, FMT_SH, FMT_RD_HEX, FMT_LOAD, FMT_STORE, FMT_FLOAD,
    FMT_FSTORE, FMT_BRANCH, FMT_RS1_TARGET, FMT_RS2_TARGET, FMT_TARGET,
    FMT_RD_TARGET, FMT_RD, FMT_RS1, FMT_RD_RS1, FMT_RD_RS2, FMT_RD_IMM,
    FMT_MEM, FMT_IMM, FMT_CSR, FMT_CSRI, FMT_RD_CSR, FMT_CSR_RS1, FMT_CSR_ZIMM,
    FMT_RD_ZIMM, FMT_LR, FMT_AMO, FMT_FENCE, FMT_RS1_RS2, FMT_F_R,
    FMT_F_R_RM, FMT_F_R4_RM, FMT_F_R1, FMT_F_R1_RM, FMT_X_F, FMT_X_F_RM,
    FMT_X_FF, FMT_F_X, FMT_F_X_RM, FMT_F_R1_RMX, FMT_F_X_RMX,
} RvFmtId;

typedef struct RvFormat {
    uint8_t args[6];    /* RvArg list, ended by A_END */
    bool aqrl;          /* append .aq/.rl/.aqrl to the mnemonic */
} RvFormat;

static const RvFormat formats[] = {
    [FMT_NONE]       = { { A_END }, false },
    [FMT_R]          = { { A_RD, A_RS1, A_RS2 }, false },
    [FMT_I]          = { { A_RD, A_RS1, A_IMM }, false },
    [FMT_SH]         = { { A_RD, A_RS1, A_HEX }, false },
    [FMT_RD_HEX]     = { { A_RD, A_HEX }, false },
    [FMT_LOAD]       = { { A_RD, A_MEM }, false },
    [FMT_STORE]      = { { A_RS2, A_MEM }, false },
    [FMT_FLOAD]      = { { A_FRD, A_MEM }, false },
    [FMT_FSTORE]     = { { A_FRS2, A_MEM }, false },
    [FMT_BRANCH]     = { { A_RS1, A_RS2, A_TARGET }, false },
    [FMT_RS1_TARGET] = { { A_RS1, A_TARGET }, false },
    [FMT_RS2_TARGET] = { { A_RS2, A_TARGET }, false },
    [FMT_TARGET]     = { { A_TARGET }, false },
    [FMT_RD_TARGET]  = { { A_RD, A_TARGET }, false },
    [FMT_RD]         = { { A_RD }, false },
    [FMT_RS1]        = { { A_RS1 }, false },
    [FMT_RD_RS1]     = { { A_RD, A_RS1 }, false },
    [FMT_RD_RS2]     = { { A_RD, A_RS2 }, false },
    [FMT_RD_IMM]     = { { A_RD, A_IMM }, false },
    [FMT_MEM]        = { { A_MEM }, false },
    [FMT_IMM]        = { { A_IMM }, false },
    [FMT_CSR]        = { { A_RD, A_CSR, A_RS1 }, false },
    [FMT_CSRI]       = { { A_RD, A_CSR, A_ZIMM }, false },
    [FMT_RD_CSR]     = { { A_RD, A_CSR }, false },
    [FMT_CSR_RS1]    = { { A_CSR, A_RS1 }, false },
    [FMT_CSR_ZIMM]   = { { A_CSR, A_ZIMM }, false },
    [FMT_RD_ZIMM]    = { { A_RD, A_ZIMM }, false },
    [FMT_LR]         = { { A_RD, A_AMEM }, true },
    [FMT_AMO]        = { { A_RD, A_RS2, A_AMEM }, true },
    [FMT_FENCE]      = { { A_PRED, A_SUCC }, false },
    [FMT_RS1_RS2]    = { { A_RS1, A_RS2 }, false },
    [FMT_F_R]        = { { A_FRD, A_FRS1, A_FRS2 }, false },
    [FMT_F_R_RM]     = { { A_FRD, A_FRS1, A_FRS2, A_RM }, false },
    [FMT_F_R4_RM]    = { { A_FRD, A_FRS1, A_FRS2, A_FRS3, A_RM }, false },
    [FMT_F_R1]       = { { A_FRD, A_FRS1 }, false },
    [FMT_F_R1_RM]    = { { A_FRD, A_FRS1, A_RM }, false },
    [FMT_X_F]        = { { A_RD, A_FRS1 }, false },
    [FMT_X_F_RM]     = { { A_RD, A_FRS1, A_RM }, false },
    [FMT_X_FF]       = { { A_RD, A_FRS1, A_FRS2 }, false },
    [FMT_F_X]        = { { A_FRD, A_RS1 }, false },
    [FMT_F_X_RM]     = { { A_FRD, A_RS1, A_RM }, false },
    [FMT_F_R1_RMX]   = { { A_FRD, A_FRS1, A_RMX }, false },
    [FMT_F_X_RMX]    = { { A_FRD, A_RS1, A_RMX }, false },
};

/* ---- The opcode tables ---- */

/* Conditions that a mask and match cannot say. */
typedef enum RvCheck {
    CHK_NONE,
    CHK_RD_NZ,          /* rd is not x0 */
    CHK_RS1_NZ,         /* rs1 is not x0 */
    CHK_RS2_NZ,         /* rs2 is not x0 */
    CHK_IMM_NZ,         /* the immediate is not 0 */
    CHK_SAME,           /* rs1 == rs2 (fmv.s and friends) */
} RvCheck;

typedef struct RvOpcode {
    const char *name;
    uint32_t mask;
    uint32_t match;
    uint8_t layout;     /* RvLayoutId */
    uint8_t fmt;        /* RvFmtId */
    uint8_t check;      /* RvCheck */
} RvOpcode;

/* Fields of a 32-bit encoding, to build masks from. */
#define M_OPC   0x0000007fu
#define M_RD    0x00000f80u
#define M_F3    0x00007000u
#define M_RS1   0x000f8000u
#define M_RS2   0x01f00000u
#define M_F7    0xfe000000u
#define M_IMM   0xfff00000u     /* I-type immediate, CSR number */
#define M_ALL   0xffffffffu
#define M_OF    (M_OPC | M_F3)
#define M_OFR   (M_OPC | M_F3 | M_F7)           /* R-type */
#define M_SH6   (M_OPC | M_F3 | 0xfc000000u)    /* RV64 shift immediate */
#define M_AMO   (M_OPC | M_F3 | 0xf8000000u)    /* funct5; aq/rl free */
#define M_FP    (M_OPC | M_F7)                  /* funct7; rm free */
#define M_FP1   (M_OPC | M_F7 | M_RS2)          /* one source; rm free */
#define M_R4    (M_OPC | 0x06000000u)           /* fused multiply-add */
#define M_FENCE (M_OF | M_RD | M_RS1 | 0xf0000000u)     /* fm, rd, rs1 = 0 */

static const RvOpcode rv32_ops[] = {
    /* RV64I: upper immediates and jumps */
    { "lui",      M_OPC,               0x00000037, LY_U,  FMT_RD_HEX, 0 },
    { "auipc",    M_OPC,               0x00000017, LY_U,  FMT_RD_HEX, 0 },
    { "j",        M_OPC | M_RD,        0x0000006f, LY_J,  FMT_TARGET, 0 },
    { "jal",      M_OPC | M_RD,        0x000000ef, LY_J,  FMT_TARGET, 0 },
    { "jal",      M_OPC,               0x0000006f, LY_J,  FMT_RD_TARGET, 0 },
    { "ret",      M_ALL,               0x00008067, LY_I,  FMT_NONE, 0 },
    { "jr",       M_OF | M_RD | M_IMM, 0x00000067, LY_I,  FMT_RS1, 0 },
    { "jr",       M_OF | M_RD,         0x00000067, LY_I,  FMT_MEM, 0 },
    { "jalr",     M_OF | M_RD | M_IMM, 0x000000e7, LY_I,  FMT_RS1, 0 },
    { "jalr",     M_OF | M_RD,         0x000000e7, LY_I,  FMT_MEM, 0 },
    { "jalr",     M_OF | M_IMM,        0x00000067, LY_I,  FMT_RD_RS1, 0 },
    { "jalr",     M_OF,                0x00000067, LY_I,  FMT_LOAD, 0 },
    /* branches */
    { "beqz",     M_OF | M_RS2,        0x00000063, LY_B,  FMT_RS1_TARGET, 0 },
    { "beq",      M_OF,                0x00000063, LY_B,  FMT_BRANCH, 0 },
    { "bnez",     M_OF | M_RS2,        0x00001063, LY_B,  FMT_RS1_TARGET, 0 },
    { "bne",      M_OF,                0x00001063, LY_B,  FMT_BRANCH, 0 },
    { "bltz",     M_OF | M_RS2,        0x00004063, LY_B,  FMT_RS1_TARGET, 0 },
    { "bgtz",     M_OF | M_RS1,        0x00004063, LY_B,  FMT_RS2_TARGET, 0 },
    { "blt",      M_OF,                0x00004063, LY_B,  FMT_BRANCH, 0 },
    { "blez",     M_OF | M_RS1,        0x00005063, LY_B,  FMT_RS2_TARGET, 0 },
    { "bgez",     M_OF | M_RS2,        0x00005063, LY_B,  FMT_RS1_TARGET, 0 },
    { "bge",      M_OF,                0x00005063, LY_B,  FMT_BRANCH, 0 },
    { "bltu",     M_OF,                0x00006063, LY_B,  FMT_BRANCH, 0 },
    { "bgeu",     M_OF,                0x00007063, LY_B,  FMT_BRANCH, 0 },
    /* loads and stores */
    { "lb",       M_OF,                0x00000003, LY_I,  FMT_LOAD, 0 },
    { "lh",       M_OF,                0x00001003, LY_I,  FMT_LOAD, 0 },
    { "lw",       M_OF,                0x00002003, LY_I,  FMT_LOAD, 0 },
    { "ld",       M_OF,                0x00003003, LY_I,  FMT_LOAD, 0 },
    { "lbu",      M_OF,                0x00004003, LY_I,  FMT_LOAD, 0 },
    { "lhu",      M_OF,                0x00005003, LY_I,  FMT_LOAD, 0 },
    { "lwu",      M_OF,                0x00006003, LY_I,  FMT_LOAD, 0 },
    { "sb",       M_OF,                0x00000023, LY_S,  FMT_STORE, 0 },
    { "sh",       M_OF,                0x00001023, LY_S,  FMT_STORE, 0 },
    { "sw",       M_OF,                0x00002023, LY_S,  FMT_STORE, 0 },
    { "sd",       M_OF,                0x00003023, LY_S,  FMT_STORE, 0 },
    /* register-immediate */
    { "nop",      M_ALL,               0x00000013, LY_I,  FMT_NONE, 0 },
    { "li",       M_OF | M_RS1,        0x00000013, LY_I,  FMT_RD_IMM, 0 },
    { "mv",       M_OF | M_IMM,        0x00000013, LY_I,  FMT_RD_RS1, 0 },
    { "addi",     M_OF,                0x00000013, LY_I,  FMT_I, 0 },
    { "slti",     M_OF,                0x00002013, LY_I,  FMT_I, 0 },
    { "seqz",     M_OF | M_IMM,        0x00103013, LY_I,  FMT_RD_RS1, 0 },
    { "sltiu",    M_OF,                0x00003013, LY_I,  FMT_I, 0 },
    { "not",      M_OF | M_IMM,        0xfff04013, LY_I,  FMT_RD_RS1, 0 },
    { "xori",     M_OF,                0x00004013, LY_I,  FMT_I, 0 },
    { "ori",      M_OF,                0x00006013, LY_I,  FMT_I, 0 },
    { "zext.b",   M_OF | M_IMM,        0x0ff07013, LY_I,  FMT_RD_RS1, 0 },
    { "andi",     M_OF,                0x00007013, LY_I,  FMT_I, 0 },
    { "slli",     M_SH6,               0x00001013, LY_SH6, FMT_SH, 0 },
    { "srli",     M_SH6,               0x00005013, LY_SH6, FMT_SH, 0 },
    { "srai",     M_SH6,               0x40005013, LY_SH6, FMT_SH, 0 },
    { "sext.w",   M_OF | M_IMM,        0x0000001b, LY_I,  FMT_RD_RS1, 0 },
    { "addiw",    M_OF,                0x0000001b, LY_I,  FMT_I, 0 },
    { "slliw",    M_OFR,               0x0000101b, LY_SH5, FMT_SH, 0 },
    { "srliw",    M_OFR,               0x0000501b, LY_SH5, FMT_SH, 0 },
    { "sraiw",    M_OFR,               0x4000501b, LY_SH5, FMT_SH, 0 },
    /* register-register */
    { "add",      M_OFR,               0x00000033, LY_R,  FMT_R, 0 },
    { "neg",      M_OFR | M_RS1,       0x40000033, LY_R,  FMT_RD_RS2, 0 },
    { "sub",      M_OFR,               0x40000033, LY_R,  FMT_R, 0 },
    { "sll",      M_OFR,               0x00001033, LY_R,  FMT_R, 0 },
    { "sltz",     M_OFR | M_RS2,       0x00002033, LY_R,  FMT_RD_RS1, 0 },
    { "sgtz",     M_OFR | M_RS1,       0x00002033, LY_R,  FMT_RD_RS2, 0 },
    { "slt",      M_OFR,               0x00002033, LY_R,  FMT_R, 0 },
    { "snez",     M_OFR | M_RS1,       0x00003033, LY_R,  FMT_RD_RS2, 0 },
    { "sltu",     M_OFR,               0x00003033, LY_R,  FMT_R, 0 },
    { "xor",      M_OFR,               0x00004033, LY_R,  FMT_R, 0 },
    { "srl",      M_OFR,               0x00005033, LY_R,  FMT_R, 0 },
    { "sra",      M_OFR,               0x40005033, LY_R,  FMT_R, 0 },
    { "or",       M_OFR,               0x00006033, LY_R,  FMT_R, 0 },
    { "and",      M_OFR,               0x00007033, LY_R,  FMT_R, 0 },
    { "addw",     M_OFR,               0x0000003b, LY_R,  FMT_R, 0 },
    { "negw",     M_OFR | M_RS1,       0x4000003b, LY_R,  FMT_RD_RS2, 0 },
    { "subw",     M_OFR,               0x4000003b, LY_R,  FMT_R, 0 },
    { "sllw",     M_OFR,               0x0000103b, LY_R,  FMT_R, 0 },
    { "srlw",     M_OFR,               0x0000503b, LY_R,  FMT_R, 0 },
    { "sraw",     M_OFR,               0x4000503b, LY_R,  FMT_R, 0 },
    /* M */
    { "mul",      M_OFR,               0x02000033, LY_R,  FMT_R, 0 },
    { "mulh",     M_OFR,               0x02001033, LY_R,  FMT_R, 0 },
    { "mulhsu",   M_OFR,               0x02002033, LY_R,  FMT_R, 0 },
    { "mulhu",    M_OFR,               0x02003033, LY_R,  FMT_R, 0 },
    { "div",      M_OFR,               0x02004033, LY_R,  FMT_R, 0 },
    { "divu",     M_OFR,               0x02005033, LY_R,  FMT_R, 0 },
    { "rem",      M_OFR,               0x02006033, LY_R,  FMT_R, 0 },
    { "remu",     M_OFR,               0x02007033, LY_R,  FMT_R, 0 },
    { "mulw",     M_OFR,               0x0200003b, LY_R,  FMT_R, 0 },
    { "divw",     M_OFR,               0x0200403b, LY_R,  FMT_R, 0 },
    { "divuw",    M_OFR,               0x0200503b, LY_R,  FMT_R, 0 },
    { "remw",     M_OFR,               0x0200603b, LY_R,  FMT_R, 0 },
    { "remuw",    M_OFR,               0x0200703b, LY_R,  FMT_R, 0 },
    /* fences (Zifencei, Zihintpause) */
    { "fence",    M_ALL,               0x0ff0000f, LY_I,  FMT_NONE, 0 },
    { "fence.tso", M_ALL,               0x8330000f, LY_I,  FMT_NONE, 0 },
    { "pause",    M_ALL,               0x0100000f, LY_I,  FMT_NONE, 0 },
    { "fence",    M_FENCE,             0x0000000f, LY_I,  FMT_FENCE, 0 },
    { "fence.i",  M_ALL,               0x0000100f, LY_I,  FMT_NONE, 0 },
    /* system and privileged */
    { "ecall",    M_ALL,               0x00000073, LY_I,  FMT_NONE, 0 },
    { "ebreak",   M_ALL,               0x00100073, LY_I,  FMT_NONE, 0 },
    { "uret",     M_ALL,               0x00200073, LY_I,  FMT_NONE, 0 },
    { "sret",     M_ALL,               0x10200073, LY_I,  FMT_NONE, 0 },
    { "mret",     M_ALL,               0x30200073, LY_I,  FMT_NONE, 0 },
    { "dret",     M_ALL,               0x7b200073, LY_I,  FMT_NONE, 0 },
    { "wfi",      M_ALL,               0x10500073, LY_I,  FMT_NONE, 0 },
    { "sfence.vma", M_ALL,               0x12000073, LY_R,  FMT_NONE, 0 },
    { "sfence.vma", M_OFR | M_RD | M_RS2, 0x12000073, LY_R,  FMT_RS1, 0 },
    { "sfence.vma", M_OFR | M_RD,        0x12000073, LY_R,  FMT_RS1_RS2, 0 },
    /* Zicsr, with the aliases for the counters and the FP CSRs */
    { "unimp",    M_ALL,               0xc0001073, LY_CSR, FMT_NONE, 0 },
    { "fscsr",    M_OF | M_IMM | M_RD, 0x00301073, LY_CSR, FMT_RS1, 0 },
    { "fscsr",    M_OF | M_IMM,        0x00301073, LY_CSR, FMT_RD_RS1, 0 },
    { "fsrm",     M_OF | M_IMM | M_RD, 0x00201073, LY_CSR, FMT_RS1, 0 },
    { "fsrm",     M_OF | M_IMM,        0x00201073, LY_CSR, FMT_RD_RS1, 0 },
    { "fsflags",  M_OF | M_IMM | M_RD, 0x00101073, LY_CSR, FMT_RS1, 0 },
    { "fsflags",  M_OF | M_IMM,        0x00101073, LY_CSR, FMT_RD_RS1, 0 },
    { "csrw",     M_OF | M_RD,         0x00001073, LY_CSR, FMT_CSR_RS1, 0 },
    { "csrrw",    M_OF,                0x00001073, LY_CSR, FMT_CSR, 0 },
    { "frcsr",    M_OF | M_IMM | M_RS1, 0x00302073, LY_CSR, FMT_RD, 0 },
    { "frrm",     M_OF | M_IMM | M_RS1, 0x00202073, LY_CSR, FMT_RD, 0 },
    { "frflags",  M_OF | M_IMM | M_RS1, 0x00102073, LY_CSR, FMT_RD, 0 },
    { "rdcycle",  M_OF | M_IMM | M_RS1, 0xc0002073, LY_CSR, FMT_RD, 0 },
    { "rdtime",   M_OF | M_IMM | M_RS1, 0xc0102073, LY_CSR, FMT_RD, 0 },
    { "rdinstret", M_OF | M_IMM | M_RS1, 0xc0202073, LY_CSR, FMT_RD, 0 },
    { "csrr",     M_OF | M_RS1,        0x00002073, LY_CSR, FMT_RD_CSR, 0 },
    { "csrs",     M_OF | M_RD,         0x00002073, LY_CSR, FMT_CSR_RS1, 0 },
    { "csrrs",    M_OF,                0x00002073, LY_CSR, FMT_CSR, 0 },
    { "csrc",     M_OF | M_RD,         0x00003073, LY_CSR, FMT_CSR_RS1, 0 },
    { "csrrc",    M_OF,                0x00003073, LY_CSR, FMT_CSR, 0 },
    { "fsrmi",    M_OF | M_IMM,        0x00205073, LY_CSR, FMT_RD_ZIMM, 0 },
    { "fsflagsi", M_OF | M_IMM,        0x00105073, LY_CSR, FMT_RD_ZIMM, 0 },
    { "csrwi",    M_OF | M_RD,         0x00005073, LY_CSR, FMT_CSR_ZIMM, 0 },
    { "csrrwi",   M_OF,                0x00005073, LY_CSR, FMT_CSRI, 0 },
    { "csrsi",    M_OF | M_RD,         0x00006073, LY_CSR, FMT_CSR_ZIMM, 0 },
    { "csrrsi",   M_OF,                0x00006073, LY_CSR, FMT_CSRI, 0 },
    { "csrci",    M_OF | M_RD,         0x00007073, LY_CSR, FMT_CSR_ZIMM, 0 },
    { "csrrci",   M_OF,                0x00007073, LY_CSR, FMT_CSRI, 0 },
    /* A */
    { "lr.w",     M_AMO | M_RS2,       0x1000202f, LY_R,  FMT_LR, 0 },
    { "sc.w",     M_AMO,               0x1800202f, LY_R,  FMT_AMO, 0 },
    { "amoswap.w", M_AMO,               0x0800202f, LY_R,  FMT_AMO, 0 },
    { "amoadd.w", M_AMO,               0x0000202f, LY_R,  FMT_AMO, 0 },
    { "amoxor.w", M_AMO,               0x2000202f, LY_R,  FMT_AMO, 0 },
    { "amoand.w", M_AMO,               0x6000202f, LY_R,  FMT_AMO, 0 },
    { "amoor.w",  M_AMO,               0x4000202f, LY_R,  FMT_AMO, 0 },
    { "amomin.w", M_AMO,               0x8000202f, LY_R,  FMT_AMO, 0 },
    { "amomax.w", M_AMO,               0xa000202f, LY_R,  FMT_AMO, 0 },
    { "amominu.w", M_AMO,               0xc000202f, LY_R,  FMT_AMO, 0 },
    { "amomaxu.w", M_AMO,               0xe000202f, LY_R,  FMT_AMO, 0 },
    { "lr.d",     M_AMO | M_RS2,       0x1000302f, LY_R,  FMT_LR, 0 },
    { "sc.d",     M_AMO,               0x1800302f, LY_R,  FMT_AMO, 0 },
    { "amoswap.d", M_AMO,               0x0800302f, LY_R,  FMT_AMO, 0 },
    { "amoadd.d", M_AMO,               0x0000302f, LY_R,  FMT_AMO, 0 },
    { "amoxor.d", M_AMO,               0x2000302f, LY_R,  FMT_AMO, 0 },
    { "amoand.d", M_AMO,               0x6000302f, LY_R,  FMT_AMO, 0 },
    { "amoor.d",  M_AMO,               0x4000302f, LY_R,  FMT_AMO, 0 },
    { "amomin.d", M_AMO,               0x8000302f, LY_R,  FMT_AMO, 0 },
    { "amomax.d", M_AMO,               0xa000302f, LY_R,  FMT_AMO, 0 },
    { "amominu.d", M_AMO,               0xc000302f, LY_R,  FMT_AMO, 0 },
    { "amomaxu.d", M_AMO,               0xe000302f, LY_R,  FMT_AMO, 0 },
    /* F and D: loads, stores, fused multiply-add */
    { "flw",      M_OF,                0x00002007, LY_I,  FMT_FLOAD, 0 },
    { "fld",      M_OF,                0x00003007, LY_I,  FMT_FLOAD, 0 },
    { "fsw",      M_OF,                0x00002027, LY_S,  FMT_FSTORE, 0 },
    { "fsd",      M_OF,                0x00003027, LY_S,  FMT_FSTORE, 0 },
    { "fmadd.s",  M_R4,                0x00000043, LY_R,  FMT_F_R4_RM, 0 },
    { "fmsub.s",  M_R4,                0x00000047, LY_R,  FMT_F_R4_RM, 0 },
    { "fnmsub.s", M_R4,                0x0000004b, LY_R,  FMT_F_R4_RM, 0 },
    { "fnmadd.s", M_R4,                0x0000004f, LY_R,  FMT_F_R4_RM, 0 },
    { "fmadd.d",  M_R4,                0x02000043, LY_R,  FMT_F_R4_RM, 0 },
    { "fmsub.d",  M_R4,                0x02000047, LY_R,  FMT_F_R4_RM, 0 },
    { "fnmsub.d", M_R4,                0x0200004b, LY_R,  FMT_F_R4_RM, 0 },
    { "fnmadd.d", M_R4,                0x0200004f, LY_R,  FMT_F_R4_RM, 0 },
    /* F: arithmetic, sign injection, compares, conversions, moves */
    { "fadd.s",   M_FP,                0x00000053, LY_R,  FMT_F_R_RM, 0 },
    { "fsub.s",   M_FP,                0x08000053, LY_R,  FMT_F_R_RM, 0 },
    { "fmul.s",   M_FP,                0x10000053, LY_R,  FMT_F_R_RM, 0 },
    { "fdiv.s",   M_FP,                0x18000053, LY_R,  FMT_F_R_RM, 0 },
    { "fsqrt.s",  M_FP1,               0x58000053, LY_R,  FMT_F_R1_RM, 0 },
    { "fmv.s",    M_OFR,               0x20000053, LY_R,  FMT_F_R1, CHK_SAME },
    { "fsgnj.s",  M_OFR,               0x20000053, LY_R,  FMT_F_R, 0 },
    { "fneg.s",   M_OFR,               0x20001053, LY_R,  FMT_F_R1, CHK_SAME },
    { "fsgnjn.s", M_OFR,               0x20001053, LY_R,  FMT_F_R, 0 },
    { "fabs.s",   M_OFR,               0x20002053, LY_R,  FMT_F_R1, CHK_SAME },
    { "fsgnjx.s", M_OFR,               0x20002053, LY_R,  FMT_F_R, 0 },
    { "fmin.s",   M_OFR,               0x28000053, LY_R,  FMT_F_R, 0 },
    { "fmax.s",   M_OFR,               0x28001053, LY_R,  FMT_F_R, 0 },
    { "fcvt.w.s", M_FP1,               0xc0000053, LY_R,  FMT_X_F_RM, 0 },
    { "fcvt.wu.s", M_FP1,               0xc0100053, LY_R,  FMT_X_F_RM, 0 },
    { "fcvt.l.s", M_FP1,               0xc0200053, LY_R,  FMT_X_F_RM, 0 },
    { "fcvt.lu.s", M_FP1,               0xc0300053, LY_R,  FMT_X_F_RM, 0 },
    { "fmv.x.w",  M_FP1 | M_F3,        0xe0000053, LY_R,  FMT_X_F, 0 },
    { "fclass.s", M_FP1 | M_F3,        0xe0001053, LY_R,  FMT_X_F, 0 },
    { "feq.s",    M_OFR,               0xa0002053, LY_R,  FMT_X_FF, 0 },
    { "flt.s",    M_OFR,               0xa0001053, LY_R,  FMT_X_FF, 0 },
    { "fle.s",    M_OFR,               0xa0000053, LY_R,  FMT_X_FF, 0 },
    { "fcvt.s.w", M_FP1,               0xd0000053, LY_R,  FMT_F_X_RM, 0 },
    { "fcvt.s.wu", M_FP1,               0xd0100053, LY_R,  FMT_F_X_RM, 0 },
    { "fcvt.s.l", M_FP1,               0xd0200053, LY_R,  FMT_F_X_RM, 0 },
    { "fcvt.s.lu", M_FP1,               0xd0300053, LY_R,  FMT_F_X_RM, 0 },
    { "fmv.w.x",  M_FP1 | M_F3,        0xf0000053, LY_R,  FMT_F_X, 0 },
    /* D */
    { "fadd.d",   M_FP,                0x02000053, LY_R,  FMT_F_R_RM, 0 },
    { "fsub.d",   M_FP,                0x0a000053, LY_R,  FMT_F_R_RM, 0 },
    { "fmul.d",   M_FP,                0x12000053, LY_R,  FMT_F_R_RM, 0 },
    { "fdiv.d",   M_FP,                0x1a000053, LY_R,  FMT_F_R_RM, 0 },
    { "fsqrt.d",  M_FP1,               0x5a000053, LY_R,  FMT_F_R1_RM, 0 },
    { "fmv.d",    M_OFR,               0x22000053, LY_R,  FMT_F_R1, CHK_SAME },
    { "fsgnj.d",  M_OFR,               0x22000053, LY_R,  FMT_F_R, 0 },
    { "fneg.d",   M_OFR,               0x22001053, LY_R,  FMT_F_R1, CHK_SAME },
    { "fsgnjn.d", M_OFR,               0x22001053, LY_R,  FMT_F_R, 0 },
    { "fabs.d",   M_OFR,               0x22002053, LY_R,  FMT_F_R1, CHK_SAME },
    { "fsgnjx.d", M_OFR,               0x22002053, LY_R,  FMT_F_R, 0 },
    { "fmin.d",   M_OFR,               0x2a000053, LY_R,  FMT_F_R, 0 },
    { "fmax.d",   M_OFR,               0x2a001053, LY_R,  FMT_F_R, 0 },
    { "fcvt.s.d", M_FP1,               0x40100053, LY_R,  FMT_F_R1_RM, 0 },
    { "fcvt.d.s", M_FP1,               0x42000053, LY_R,  FMT_F_R1_RMX, 0 },
    { "feq.d",    M_OFR,               0xa2002053, LY_R,  FMT_X_FF, 0 },
    { "flt.d",    M_OFR,               0xa2001053, LY_R,  FMT_X_FF, 0 },
    { "fle.d",    M_OFR,               0xa2000053, LY_R,  FMT_X_FF, 0 },
    { "fclass.d", M_FP1 | M_F3,        0xe2001053, LY_R,  FMT_X_F, 0 },
    { "fcvt.w.d", M_FP1,               0xc2000053, LY_R,  FMT_X_F_RM, 0 },
    { "fcvt.wu.d", M_FP1,               0xc2100053, LY_R,  FMT_X_F_RM, 0 },
    { "fcvt.l.d", M_FP1,               0xc2200053, LY_R,  FMT_X_F_RM, 0 },
    { "fcvt.lu.d", M_FP1,               0xc2300053, LY_R,  FMT_X_F_RM, 0 },
    { "fmv.x.d",  M_FP1 | M_F3,        0xe2000053, LY_R,  FMT_X_F, 0 },
    { "fcvt.d.w", M_FP1,               0xd2000053, LY_R,  FMT_F_X_RMX, 0 },
    { "fcvt.d.wu", M_FP1,               0xd2100053, LY_R,  FMT_F_X_RMX, 0 },
    { "fcvt.d.l", M_FP1,               0xd2200053, LY_R,  FMT_F_X_RM, 0 },
    { "fcvt.d.lu", M_FP1,               0xd2300053, LY_R,  FMT_F_X_RM, 0 },
    { "fmv.d.x",  M_FP1 | M_F3,        0xf2000053, LY_R,  FMT_F_X, 0 },
};

/* 16-bit encodings (RV64C), printed as objdump prints their expansions. */
static const RvOpcode rvc_ops[] = {
    /* quadrant 0 */
    { "unimp",    0xffff, 0x0000, LY_CIW,   FMT_NONE, 0 },
    /* c.addi4spn */
    { "addi",     0xe003, 0x0000, LY_CIW,   FMT_I, CHK_IMM_NZ },
    { "fld",      0xe003, 0x2000, LY_CLD,   FMT_FLOAD, 0 },
    { "lw",       0xe003, 0x4000, LY_CLW,   FMT_LOAD, 0 },
    { "ld",       0xe003, 0x6000, LY_CLD,   FMT_LOAD, 0 },
    { "fsd",      0xe003, 0xa000, LY_CSD,   FMT_FSTORE, 0 },
    { "sw",       0xe003, 0xc000, LY_CSW,   FMT_STORE, 0 },
    { "sd",       0xe003, 0xe000, LY_CSD,   FMT_STORE, 0 },
    /* quadrant 1 */
    { "nop",      0xffff, 0x0001, LY_CI,    FMT_NONE, 0 },
    { "c.nop",    0xef83, 0x0001, LY_CI,    FMT_IMM, 0 }, /* hint */
    { "addi",     0xe003, 0x0001, LY_CI,    FMT_I, 0 },
    /* c.addiw rd,0 */
    { "sext.w",   0xf07f, 0x2001, LY_CI,    FMT_RD_RS1, CHK_RD_NZ },
    { "addiw",    0xe003, 0x2001, LY_CI,    FMT_I, CHK_RD_NZ },
    { "c.li",     0xef83, 0x4001, LY_CI,    FMT_RD_IMM, 0 }, /* hint */
    { "li",       0xe003, 0x4001, LY_CI,    FMT_RD_IMM, 0 },
    { "addi",     0xef83, 0x6101, LY_C16SP, FMT_I, 0 }, /* c.addi16sp */
    { "c.lui",    0xef83, 0x6001, LY_CI,    FMT_RD_HEX, CHK_IMM_NZ }, /* hint */
    { "lui",      0xe003, 0x6001, LY_CI,    FMT_RD_HEX, CHK_IMM_NZ },
    { "c.srli64", 0xfc7f, 0x8001, LY_CBSH,  FMT_RD, 0 }, /* hint */
    { "srli",     0xec03, 0x8001, LY_CBSH,  FMT_SH, 0 },
    { "c.srai64", 0xfc7f, 0x8401, LY_CBSH,  FMT_RD, 0 }, /* hint */
    { "srai",     0xec03, 0x8401, LY_CBSH,  FMT_SH, 0 },
    { "andi",     0xec03, 0x8801, LY_CBI,   FMT_I, 0 },
    { "sub",      0xfc63, 0x8c01, LY_CA,    FMT_R, 0 },
    { "xor",      0xfc63, 0x8c21, LY_CA,    FMT_R, 0 },
    { "or",       0xfc63, 0x8c41, LY_CA,    FMT_R, 0 },
    { "and",      0xfc63, 0x8c61, LY_CA,    FMT_R, 0 },
    { "subw",     0xfc63, 0x9c01, LY_CA,    FMT_R, 0 },
    { "addw",     0xfc63, 0x9c21, LY_CA,    FMT_R, 0 },
    { "j",        0xe003, 0xa001, LY_CJ,    FMT_TARGET, 0 },
    { "beqz",     0xe003, 0xc001, LY_CB,    FMT_RS1_TARGET, 0 },
    { "bnez",     0xe003, 0xe001, LY_CB,    FMT_RS1_TARGET, 0 },
    /* quadrant 2 */
    { "c.slli64", 0xf07f, 0x0002, LY_CSH,   FMT_RD, 0 }, /* hint */
    { "c.slli",   0xef83, 0x0002, LY_CSH,   FMT_RD_HEX, 0 }, /* hint */
    { "slli",     0xe003, 0x0002, LY_CSH,   FMT_SH, 0 },
    { "fld",      0xe003, 0x2002, LY_CLDSP, FMT_FLOAD, 0 },
    { "lw",       0xe003, 0x4002, LY_CLWSP, FMT_LOAD, CHK_RD_NZ },
    { "ld",       0xe003, 0x6002, LY_CLDSP, FMT_LOAD, CHK_RD_NZ },
    { "ret",      0xffff, 0x8082, LY_CR,    FMT_NONE, 0 },
    { "jr",       0xf07f, 0x8002, LY_CR,    FMT_RS1, CHK_RS1_NZ },
    { "c.mv",     0xff83, 0x8002, LY_CR,    FMT_RD_RS2, CHK_RS2_NZ }, /* hint */
    { "mv",       0xf003, 0x8002, LY_CR,    FMT_RD_RS2, CHK_RS2_NZ },
    { "ebreak",   0xffff, 0x9002, LY_CR,    FMT_NONE, 0 },
    { "jalr",     0xf07f, 0x9002, LY_CR,    FMT_RS1, CHK_RS1_NZ },
    { "c.add",    0xff83, 0x9002, LY_CR,    FMT_RD_RS2, CHK_RS2_NZ }, /* hint */
    { "add",      0xf003, 0x9002, LY_CR,    FMT_R, CHK_RS2_NZ },
    { "fsd",      0xe003, 0xa002, LY_CSDSP, FMT_FSTORE, 0 },
    { "sw",       0xe003, 0xc002, LY_CSWSP, FMT_STORE, 0 },
    { "sd",       0xe003, 0xe002, LY_CSDSP, FMT_STORE, 0 },
};

/* ---- CSR names ---- */

typedef struct RvCsrName {
    uint16_t num;
    const char *name;
} RvCsrName;

/* CSRs with a name of their own, sorted by number (binary search). */
static const RvCsrName csr_names[] = {
    /* unprivileged: FP, vector, entropy source */
    { 0x001, "fflags" }, { 0x002, "frm" }, { 0x003, "fcsr" },
    { 0x008, "vstart" }, { 0x009, "vxsat" }, { 0x00a, "vxrm" },
    { 0x00f, "vcsr" }, { 0x015, "seed" },
    /* supervisor */
    { 0x100, "sstatus" }, { 0x104, "sie" }, { 0x105, "stvec" },
    { 0x106, "scounteren" }, { 0x10a, "senvcfg" }, { 0x10c, "sstateen0" },
    { 0x10d, "sstateen1" }, { 0x10e, "sstateen2" }, { 0x10f, "sstateen3" },
    { 0x114, "sieh" }, { 0x140, "sscratch" }, { 0x141, "sepc" },
    { 0x142, "scause" }, { 0x143, "stval" }, { 0x144, "sip" },
    { 0x14d, "stimecmp" }, { 0x150, "siselect" }, { 0x151, "sireg" },
    { 0x154, "siph" }, { 0x15c, "stopei" }, { 0x15d, "stimecmph" },
    { 0x180, "satp" },
    /* virtual supervisor (H) */
    { 0x200, "vsstatus" }, { 0x204, "vsie" }, { 0x205, "vstvec" },
    { 0x214, "vsieh" }, { 0x240, "vsscratch" }, { 0x241, "vsepc" },
    { 0x242, "vscause" }, { 0x243, "vstval" }, { 0x244, "vsip" },
    { 0x24d, "vstimecmp" }, { 0x250, "vsiselect" }, { 0x251, "vsireg" },
    { 0x254, "vsiph" }, { 0x25c, "vstopei" }, { 0x25d, "vstimecmph" },
    { 0x280, "vsatp" },
    /* machine */
    { 0x300, "mstatus" }, { 0x301, "misa" }, { 0x302, "medeleg" },
    { 0x303, "mideleg" }, { 0x304, "mie" }, { 0x305, "mtvec" },
    { 0x306, "mcounteren" }, { 0x308, "mvien" }, { 0x309, "mvip" },
    { 0x30a, "menvcfg" }, { 0x30c, "mstateen0" }, { 0x30d, "mstateen1" },
    { 0x30e, "mstateen2" }, { 0x30f, "mstateen3" }, { 0x310, "mstatush" },
    { 0x313, "midelegh" }, { 0x314, "mieh" }, { 0x318, "mvienh" },
    { 0x319, "mviph" }, { 0x31a, "menvcfgh" }, { 0x31c, "mstateen0h" },
    { 0x31d, "mstateen1h" }, { 0x31e, "mstateen2h" }, { 0x31f, "mstateen3h" },
    { 0x320, "mcountinhibit" }, { 0x340, "mscratch" }, { 0x341, "mepc" },
    { 0x342, "mcause" }, { 0x343, "mtval" }, { 0x344, "mip" },
    { 0x34a, "mtinst" }, { 0x34b, "mtval2" }, { 0x350, "miselect" },
    { 0x351, "mireg" }, { 0x354, "miph" }, { 0x35c, "mtopei" },
    /* debug context, hypervisor */
    { 0x5a8, "scontext" }, { 0x600, "hstatus" }, { 0x602, "hedeleg" },
    { 0x603, "hideleg" }, { 0x604, "hie" }, { 0x605, "htimedelta" },
    { 0x606, "hcounteren" }, { 0x607, "hgeie" }, { 0x608, "hvien" },
    { 0x609, "hvictl" }, { 0x60a, "henvcfg" }, { 0x60c, "hstateen0" },
    { 0x60d, "hstateen1" }, { 0x60e, "hstateen2" }, { 0x60f, "hstateen3" },
    { 0x613, "hidelegh" }, { 0x615, "htimedeltah" }, { 0x618, "hvienh" },
    { 0x61a, "henvcfgh" }, { 0x61c, "hstateen0h" }, { 0x61d, "hstateen1h" },
    { 0x61e, "hstateen2h" }, { 0x61f, "hstateen3h" }, { 0x643, "htval" },
    { 0x644, "hip" }, { 0x645, "hvip" }, { 0x646, "hviprio1" },
    { 0x647, "hviprio2" }, { 0x64a, "htinst" }, { 0x655, "hviph" },
    { 0x656, "hviprio1h" }, { 0x657, "hviprio2h" }, { 0x680, "hgatp" },
    { 0x6a8, "hcontext" },
    /* machine security, trigger and debug-mode */
    { 0x747, "mseccfg" }, { 0x757, "mseccfgh" }, { 0x7a0, "tselect" },
    { 0x7a1, "tdata1" }, { 0x7a2, "tdata2" }, { 0x7a3, "tdata3" },
    { 0x7a4, "tinfo" }, { 0x7a5, "tcontrol" }, { 0x7a8, "mcontext" },
    { 0x7aa, "mscontext" }, { 0x7b0, "dcsr" }, { 0x7b1, "dpc" },
    { 0x7b2, "dscratch0" }, { 0x7b3, "dscratch1" },
    /* counters */
    { 0xb00, "mcycle" }, { 0xb02, "minstret" }, { 0xb80, "mcycleh" },
    { 0xb82, "minstreth" }, { 0xc00, "cycle" }, { 0xc01, "time" },
    { 0xc02, "instret" }, { 0xc20, "vl" }, { 0xc21, "vtype" },
    { 0xc22, "vlenb" }, { 0xc80, "cycleh" }, { 0xc81, "timeh" },
    { 0xc82, "instreth" },
    /* read-only status and machine information */
    { 0xda0, "scountovf" }, { 0xdb0, "stopi" }, { 0xe12, "hgeip" },
    { 0xeb0, "vstopi" }, { 0xf11, "mvendorid" }, { 0xf12, "marchid" },
    { 0xf13, "mimpid" }, { 0xf14, "mhartid" }, { 0xf15, "mconfigptr" },
    { 0xfb0, "mtopi" },
};

/* Numbered CSR families: csr in [base, base + count) is prefix N suffix. */
typedef struct RvCsrRange {
    uint16_t base, count;
    uint8_t first;          /* number of the first member */
    const char *prefix, *suffix;
} RvCsrRange;

static const RvCsrRange csr_ranges[] = {
    { 0x323, 29, 3, "mhpmevent", "" },
    { 0x3a0, 16, 0, "pmpcfg", "" },
    { 0x3b0, 64, 0, "pmpaddr", "" },
    { 0x723, 29, 3, "mhpmevent", "h" },
    { 0xb03, 29, 3, "mhpmcounter", "" },
    { 0xb83, 29, 3, "mhpmcounter", "h" },
    { 0xc03, 29, 3, "hpmcounter", "" },
    { 0xc83, 29, 3, "hpmcounter", "h" },
};

static int csr_cmp(const void *key, const void *elem)
{
    unsigned num = *(const unsigned *)key;
    const RvCsrName *c = elem;
    return num < c->num ? -1 : num > c->num;
}

void rv_disas_csr_name(unsigned csr, char *buf, size_t buflen)
{
    const RvCsrName *c;
    size_t i;

    if (buflen == 0)
        return;
    c = bsearch(&csr, csr_names, ARRAY_LEN(csr_names), sizeof(csr_names[0]),
                csr_cmp);
    if (c) {
        snprintf(buf, buflen, "%s", c->name);
        return;
    }
    for (i = 0; i < ARRAY_LEN(csr_ranges); i++) {
        const RvCsrRange *r = &csr_ranges[i];
        if (csr >= r->base && csr < (unsigned)r->base + r->count) {
            snprintf(buf, buflen, "%s%u%s", r->prefix, csr - r->base + r->first,
                     r->suffix);
            return;
        }
    }
    snprintf(buf, buflen, "0x%x", csr);
}

/* ---- Decoding ---- */

/* The fields of one decoded instruction, whatever its length. */
typedef struct RvInsn {
    uint64_t pc;
    uint32_t bits;
    int rd, rs1, rs2, rs3;
    int rm;             /* bits 14:12 of a 32-bit instruction */
    unsigned csr;       /* bits 31:20 of a 32-bit instruction */
    int64_t imm;
} RvInsn;

static uint32_t field(uint32_t x, int hi, int lo)
{
    return (x >> lo) & ((1u << (hi - lo + 1)) - 1);
}

static int reg_from(uint32_t bits, RvRegSrc src)
{
    switch (src) {
    case REG_7:    return field(bits, 11, 7);
    case REG_15:   return field(bits, 19, 15);
    case REG_20:   return field(bits, 24, 20);
    case REG_27:   return field(bits, 31, 27);
    case REG_2:    return field(bits, 6, 2);
    case REG_P2:   return 8 + field(bits, 4, 2);
    case REG_P7:   return 8 + field(bits, 9, 7);
    case REG_SP:   return 2;
    case REG_NONE:
    case REG_ZERO: return 0;
    }
    return 0;
}

static int64_t imm_from(uint32_t bits, const RvLayout *ly)
{
    uint64_t imm = 0;
    const RvBits *b;

    for (b = ly->imm; b->hi != 0; b++)
        imm |= (uint64_t)field(bits, b->hi, b->lo) << b->to;
    if (ly->sign_bit >= 0 && (imm >> ly->sign_bit) & 1)
        imm |= ~0ull << ly->sign_bit;
    return (int64_t)imm;
}

static bool check_ok(const RvInsn *in, RvCheck check)
{
    switch (check) {
    case CHK_NONE:       return true;
    case CHK_RD_NZ:      return in->rd != 0;
    case CHK_RS1_NZ:     return in->rs1 != 0;
    case CHK_RS2_NZ:     return in->rs2 != 0;
    case CHK_IMM_NZ:     return in->imm != 0;
    case CHK_SAME:       return in->rs1 == in->rs2;
    }
    return false;
}

/* Finds the first entry of ops[] that fits bits and fills *in from it. */
static const RvOpcode *decode(const RvOpcode *ops, size_t n, uint32_t bits,
                              RvInsn *in)
{
    size_t i;

    for (i = 0; i < n; i++) {
        const RvOpcode *op = &ops[i];
        const RvLayout *ly = &layouts[op->layout];

        if ((bits & op->mask) != op->match)
            continue;
        in->rd = reg_from(bits, ly->rd);
        in->rs1 = reg_from(bits, ly->rs1);
        in->rs2 = reg_from(bits, ly->rs2);
        in->imm = imm_from(bits, ly);
        if (check_ok(in, op->check))
            return op;
    }
    return NULL;
}

/* ---- Printing ---- */

/* The ABI names of the registers (for -d cpu, the monitor, gdb, the
   disassembler). */
const char *const riscv_gpr_names[32] = {
    "zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2",
    "s0", "s1", "a0", "a1", "a2", "a3", "a4", "a5",
    "a6", "a7", "s2", "s3", "s4", "s5", "s6", "s7",
    "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6",
};

const char *const riscv_fpr_names[32] = {
    "ft0", "ft1", "ft2", "ft3", "ft4", "ft5", "ft6", "ft7",
    "fs0", "fs1", "fa0", "fa1", "fa2", "fa3", "fa4", "fa5",
    "fa6", "fa7", "fs2", "fs3", "fs4", "fs5", "fs6", "fs7",
    "fs8", "fs9", "fs10", "fs11", "ft8", "ft9", "ft10", "ft11",
};

/* Rounding modes 5 and 6 are reserved; objdump prints them as "unknown". */
static const char *const rm_names[8] = {
    "rne", "rtz", "rdn", "rup", "rmm", "unknown", "unknown", "dyn",
};

/* A fixed-size line being built; appends never overflow it. */
typedef struct RvLine {
    char text[128];
    size_t len;
} RvLine;

static void line_add(RvLine *l, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(l->text + l->len, sizeof(l->text) - l->len, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n >= sizeof(l->text) - l->len)
        n = (int)(sizeof(l->text) - 1 - l->len);
    l->len += (size_t)n;
}

/* A fence's predecessor or successor set: "iorw" letters, or "unknown". */
static void add_fence_set(RvLine *l, unsigned set)
{
    if (set == 0) {
        line_add(l, "unknown");
        return;
    }
    line_add(l, "%s%s%s%s", set & 8 ? "i" : "", set & 4 ? "o" : "",
             set & 2 ? "r" : "", set & 1 ? "w" : "");
}

/* Appends one operand; returns false when it prints nothing (rm of dyn). */
static bool add_arg(RvLine *l, const RvInsn *in, RvArg arg)
{
    char csr[32];

    switch (arg) {
    case A_END:    return false;
    case A_RD:     line_add(l, "%s", riscv_gpr_names[in->rd]); break;
    case A_RS1:    line_add(l, "%s", riscv_gpr_names[in->rs1]); break;
    case A_RS2:    line_add(l, "%s", riscv_gpr_names[in->rs2]); break;
    case A_FRD:    line_add(l, "%s", riscv_fpr_names[in->rd]); break;
    case A_FRS1:   line_add(l, "%s", riscv_fpr_names[in->rs1]); break;
    case A_FRS2:   line_add(l, "%s", riscv_fpr_names[in->rs2]); break;
    case A_FRS3:   line_add(l, "%s", riscv_fpr_names[in->rs3]); break;
    case A_IMM:    line_add(l, "%" PRId64, in->imm); break;
    case A_HEX:    /* lui's immediate is its 20-bit field, as written */
        line_add(l, "0x%" PRIx64, (uint64_t)in->imm & 0xfffff);
        break;
    case A_MEM:
        line_add(l, "%" PRId64 "(%s)", in->imm, riscv_gpr_names[in->rs1]);
        break;
    case A_AMEM:   line_add(l, "(%s)", riscv_gpr_names[in->rs1]); break;
    case A_TARGET: line_add(l, "0x%" PRIx64, in->pc + (uint64_t)in->imm); break;
    case A_ZIMM:   line_add(l, "%d", in->rs1); break;
    case A_PRED:   add_fence_set(l, field(in->bits, 27, 24)); break;
    case A_SUCC:   add_fence_set(l, field(in->bits, 23, 20)); break;
    case A_CSR:
        rv_disas_csr_name(in->csr, csr, sizeof(csr));
        line_add(l, "%s", csr);
        break;
    case A_RM:
    case A_RMX:
        if (in->rm == (arg == A_RM ? 7 : 0))
            return false;
        line_add(l, "%s", rm_names[in->rm]);
        break;
    }
    return true;
}

/* Prints the mnemonic, its .aq/.rl suffix, then the operands. */
static void print_insn(RvLine *l, const RvOpcode *op, const RvInsn *in)
{
    const RvFormat *f = &formats[op->fmt];
    size_t i;

    line_add(l, "%s", op->name);
    if (f->aqrl) {
        static const char *const aqrl[4] = { "", ".rl", ".aq", ".aqrl" };
        line_add(l, "%s", aqrl[field(in->bits, 26, 25)]);
    }
    for (i = 0; i < sizeof(f->args) && f->args[i] != A_END; i++) {
        size_t mark = l->len;

        line_add(l, "%s", i == 0 ? " " : ",");
        if (!add_arg(l, in, f->args[i])) {
            l->len = mark;
            l->text[mark] = '\0';
        }
    }
}

int rv_disas(uint64_t pc, uint32_t insn, char *buf, size_t buflen)
{
    RvLine line = { .len = 0 };
    RvInsn in = { .pc = pc };
    const RvOpcode *op;
    int len;

    line.text[0] = '\0';
    if ((insn & 3) != 3) {
        len = 2;
        in.bits = insn & 0xffff;
        op = decode(rvc_ops, ARRAY_LEN(rvc_ops), in.bits, &in);
    } else {
        len = 4;
        in.bits = insn;
        in.rs3 = field(insn, 31, 27);
        in.rm = field(insn, 14, 12);
        in.csr = field(insn, 31, 20);
        op = decode(rv32_ops, ARRAY_LEN(rv32_ops), insn, &in);
    }
    if (op)
        print_insn(&line, op, &in);
    else if (len == 2)
        line_add(&line, ".insn 0x%04" PRIx32, in.bits);
    else
        line_add(&line, ".insn 0x%08" PRIx32, in.bits);
    if (buflen > 0)
        snprintf(buf, buflen, "%s", line.text);
    return len;
}

int rv_disas_code(uint64_t pc, const uint8_t *code, unsigned avail,
                  char *buf, size_t buflen)
{
    uint32_t insn;

    if (avail < 2 || ((code[0] & 3) == 3 && avail < 4))
        return 0;
    insn = (uint32_t)code[0] | (uint32_t)code[1] << 8;
    if ((code[0] & 3) == 3)
        insn |= (uint32_t)code[2] << 16 | (uint32_t)code[3] << 24;
    return rv_disas(pc, insn, buf, buflen);
}
