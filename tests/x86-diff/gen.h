/*
 * The generator of the x86-64 differential test (tests/x86-diff/): from a
 * seed and a case number, one random test case: the initial registers and
 * flags, the content of a data area, and a sequence of 1-20 instruction
 * "units" (an insn, or a few insns that must stay together, such as
 * "mov cl, imm; shl r/m, cl") drawn from the forms Mimic's translator
 * implements, ending in ud2.  Memory operands land in the data area (or,
 * on purpose and rarely, just outside it, to fault).  The generator
 * tracks which arithmetic flags the SDM leaves undefined after each insn,
 * so that only those are masked when states are compared, and so that no
 * insn reads an undefined flag (ADC, Jcc, SETcc, CMOVcc, LAHF, PUSHF).
 * The XMM registers and MXCSR are part of the state too (SSE3 to SSE4.2),
 * and the x87 state (FCW, FSW with TOP, the tags and the eight registers,
 * whose low halves are the MMX registers); the generator also tracks the
 * status word's condition codes the SDM leaves undefined, as it does the
 * flags.  x87 transcendentals store their results in the "fuzzy slots",
 * compared within the ulp the docs allow.
 * Freestanding: the runner (runner.c) is built without libc.
 */
#ifndef X86_DIFF_GEN_H
#define X86_DIFF_GEN_H

#include <stdint.h>

/* The fixed addresses both runs use: under 4 GiB, so that 32-bit
   addressing (67 prefix) reaches them too. */
#define XD_DATA 0x20000000ul
#define XD_DATA_SIZE 0x2000u
#define XD_GUARD (XD_DATA + XD_DATA_SIZE)   /* one PROT_NONE page */
#define XD_CODE 0x30000000ul
#define XD_CODE_SIZE 0x1000u
#define XD_STACK_TOP (XD_DATA + 0x1800)     /* initial rsp */
/* The fuzzy slots: 16 bytes each, for the 80-bit results of x87
   transcendentals, which Mimic computes within one ulp of the host (not
   bit for bit): a page of its own after the guard page, outside the
   hashed data area, that no other operand reaches. */
#define XD_FUZZ (XD_GUARD + 0x1000)
#define XD_MAX_FUZZ 16

#define XD_MAX_CODE 2048
#define XD_MAX_INSNS 256

/* The arithmetic flags, as bits of RFLAGS. */
#define XD_CF 0x001u
#define XD_PF 0x004u
#define XD_AF 0x010u
#define XD_ZF 0x040u
#define XD_SF 0x080u
#define XD_DF 0x400u
#define XD_OF 0x800u
#define XD_ARITH (XD_CF | XD_PF | XD_AF | XD_ZF | XD_SF | XD_OF)

typedef struct XdCase {
    uint64_t regs[16];          /* in encoding order: rax rcx rdx rbx rsp ... */
    uint64_t rflags;            /* arithmetic flags and DF */
    uint64_t xmm[16][2];        /* XMM0-15, low half first (offset 136) */
    uint32_t mxcsr;             /* (offset 392) */
    uint16_t fcw, fsw;          /* FSW with TOP (offset 400) */
    uint8_t ftw;                /* abridged: bit n = physical reg n valid */
    uint8_t fpr[8][10];         /* physical registers R0-R7 (MMn = Rn) */
    uint8_t data[XD_DATA_SIZE]; /* initial content of the data area */
    uint8_t code[XD_MAX_CODE];
    unsigned code_len;
    unsigned ninsns;
    uint16_t insn_off[XD_MAX_INSNS];    /* each insn's offset in code */
    uint16_t insn_undef[XD_MAX_INSNS];  /* flags undefined before it */
    uint16_t final_undef;               /* ... and at the final ud2 */
    uint16_t insn_fundef[XD_MAX_INSNS]; /* FSW C0-C3 undefined before it */
    uint16_t final_fundef;
    unsigned nfuzz;                     /* fuzzy slots written */
} XdCase;

/* Whether cases contain x87 insns (by default; not with X86_DIFF_X87=0
   in the runner's environment); the x87 state is part of every case
   either way. */
extern int xd_x87;

/* Fills *c with case number index of seed; the same arguments always
   give the same case. */
void xd_generate(XdCase *c, uint64_t seed, uint64_t index);

/* The flags undefined when the sequence stopped at rip (a fault or the
   final ud2): those undefined before the insn at rip. */
unsigned xd_undef_at(const XdCase *c, uint64_t rip);

/* The same for the x87 status word's condition codes C0-C3. */
unsigned xd_fundef_at(const XdCase *c, uint64_t rip);

/* Distinct instruction forms (opcode, operand size, register or memory
   operand, prefixes that change behaviour) emitted since the start. */
unsigned xd_forms_seen(void);

#endif
