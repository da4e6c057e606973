/*
 * What the generator's files (gen.c: the encoder, the operands, the
 * integer units and the case; gen-simd.c: the SSE and MMX units;
 * gen-x87.c: the x87 units and state) share, and nothing else: the Gen
 * state of one case being made, the Insn an encoder fills, and the
 * helpers the units of the other files call.
 * Internal to tests/x86-diff/; the runner sees only gen.h.
 */
#ifndef X86_DIFF_GEN_INTERNAL_H
#define X86_DIFF_GEN_INTERNAL_H

#include "gen.h"

enum { RAX, RCX, RDX, RBX, RSP, RBP, RSI, RDI };

#define RIP 16

/* How a memory operand may be placed (pick_mem). */
enum {
    MEM_READ = 1,       /* only read: RIP-relative allowed */
    MEM_NOFAULT = 2,    /* never aimed outside the data area */
    MEM_NORSP = 4,      /* not rsp-based (POP r/m) */
    MEM_MARGIN = 8,     /* 64 bytes of room around it (BT with a reg offset) */
};

typedef struct Mem {
    int base, index;    /* -1: none; base RIP: RIP-relative */
    unsigned scale;     /* log2 */
    int32_t disp;
    int disp_size;      /* 0, 1 or 4 */
    int sib;            /* a SIB byte even where none is needed */
} Mem;

typedef struct Insn {
    uint8_t pfx[8];
    int npfx;
    int w, rex;         /* REX.W; a REX even with no bit set */
    uint8_t op[3];
    int oplen;
    int opreg;          /* register in the opcode's low bits, or -1 */
    int modrm;          /* has a ModRM byte */
    int group;          /* ModRM.reg is an opcode extension */
    int reg;            /* ModRM.reg: register or extension */
    int rm_mem;         /* the r/m operand is memory */
    int rm;             /* ... else its register */
    Mem m;
    uint64_t imm;
    int imm_size;
} Insn;

typedef struct Gen {
    uint64_t rng;
    XdCase *c;
    uint16_t undef;     /* arithmetic flags undefined now */
    int base, index;    /* the reserved registers */
    uint64_t base_val, index_val;
    int depth;          /* bytes pushed since the start */
    int in_skip;        /* inside a region a forward branch may skip */
    uint16_t fundef;    /* x87 condition codes (FSW bits) undefined now */
    uint16_t fcw;       /* the x87 control word, when fcw_known */
    int fcw_known;
    unsigned x87_weight;    /* x87 units' weight factor in this case */
} Gen;

/* Randomness: the next 64 bits of the case's stream; a number below n;
   true `percent` percent of the time; a value with the edges an ALU
   cares about overrepresented. */
uint64_t rnd(Gen *g);
unsigned below(Gen *g, unsigned n);
int chance(Gen *g, unsigned percent);
uint64_t rnd_value(Gen *g);

/* The arithmetic flags: `def` now defined, `undef` undefined; whether
   all of `mask` are defined. */
void flags(Gen *g, unsigned def, unsigned undef);
int readable(Gen *g, unsigned mask);

/* Encoding: a new Insn with `oplen` opcode bytes; a legacy prefix; and
   emit() writes the insn into the case (recording it for the coverage
   figure and the undefined-flag tracking). */
Insn insn(int oplen, uint8_t op0, uint8_t op1);
void prefix(Insn *in, uint8_t p);
void emit(Gen *g, Insn *in);
/* One raw code byte (an opcode escape after emit's prefixes). */
void byte(Gen *g, uint8_t b);

/* Operands: the value of a reserved register (base, index, rsp), 0 for
   the others; a memory operand for a `size`-byte access placed as `how`
   (MEM_*) says; now and then segment or address-size prefixes. */
uint64_t reg_val(Gen *g, int r);
void pick_mem(Gen *g, Mem *m, unsigned size, unsigned how);
void mem_prefixes(Gen *g, Insn *in);
/* General registers: whether r may be written (not rsp or a reserved
   one); a register to write; any register to read; 16, 32 or 64 bits
   with the prefix that says so; the r/m operand, memory mem_pct percent
   of the time; mov r32, imm32 (a setup insn). */
int writable(Gen *g, int r);
int pick_dst(Gen *g);
int pick_src(Gen *g);
unsigned pick_size(Gen *g, Insn *in);
void pick_rm(Gen *g, Insn *in, unsigned bits, int written, unsigned how,
             unsigned mem_pct);
void set_reg32(Gen *g, int r, uint32_t v);
/* Whether n more bytes may be pushed (the stack stays in the area). */
int can_push(Gen *g, int n);
/* An MXCSR: half the time the default, else any mode. */
uint32_t rnd_mxcsr(Gen *g);

/* gen-simd.c: the SSE3 to SSE4.2, SSE/SSE2 arithmetic and MMX units. */
void u_xmm(Gen *g, int arg);
void u_mxcsr(Gen *g, int form);
void u_xmm_gpr(Gen *g, int form);
void u_crc32(Gen *g, int arg);
void u_pmovmskb(Gen *g, int arg);
void u_mmx(Gen *g, int arg);
void u_mmx_shift(Gen *g, int arg);
void u_mmx_move(Gen *g, int form);

/* gen-x87.c: the x87 units (each `gen(g, arg)` of the unit table) and
   the x87 state a case starts with. */
void u_x87_arith(Gen *g, int reg);
void u_x87_ucom(Gen *g, int comi);
void u_x87_load(Gen *g, int reg);
void u_x87_store(Gen *g, int reg);
void u_x87_misc(Gen *g, int arg);
void u_x87_fcmov(Gen *g, int arg);
void u_x87_control(Gen *g, int form);
void u_x87_env(Gen *g, int save);
void u_x87_trans(Gen *g, int arg);
void rnd_x87(Gen *g, XdCase *c);

#endif
