/*
 * The SSE and MMX units of the differential test's generator (gen.c has
 * the rest): every XMM form from a table (SSE/SSE2 arithmetic, SSE3 to
 * SSE4.2, with their operand shapes and alignment), LDMXCSR/STMXCSR,
 * the moves between XMM and general registers, CRC32, and the MMX
 * forms with their shifts and moves.
 */
#include "gen-internal.h"

/* ---- SSE3 to SSE4.2 ---- */

/* Operand shapes of the SSE forms (XmmForm.shape). */
enum {
    X_A16,      /* xmm, xmm/m128, 16-byte aligned */
    X_U16,      /* xmm, xmm/m128, no alignment (the string compares) */
    X_M8,       /* xmm, xmm/m64 */
    X_M4,       /* xmm, xmm/m32 */
    X_M2,       /* xmm, xmm/m16 */
    X_MEM16,    /* xmm, m128 only, aligned (MOVNTDQA) */
    X_MEMU16,   /* xmm, m128 only, unaligned (LDDQU) */
};

typedef struct XmmForm {
    uint8_t pfx;        /* mandatory prefix: 0x66, 0xf2, 0xf3 or 0 */
    uint8_t map;        /* 0x0f, 0x38 or 0x3a (0F 38, 0F 3A) */
    uint8_t op;
    uint8_t shape;
    uint8_t imm;        /* an imm8 follows */
    uint8_t flags;      /* writes all six arithmetic flags */
} XmmForm;

static const XmmForm xmm_forms[] = {
    /* SSE and SSE2 arithmetic (SQRT ADD MUL SUB MIN DIV MAX) in PS, PD,
       SS and SD: inline on the host FPU in the default MXCSR, else
       soft-float; MOVSS/MOVSD loads and register moves. */
    { 0, 0x0f, 0x51, X_A16, 0, 0 }, { 0x66, 0x0f, 0x51, X_A16, 0, 0 },
    { 0xf3, 0x0f, 0x51, X_M4, 0, 0 }, { 0xf2, 0x0f, 0x51, X_M8, 0, 0 },
    { 0, 0x0f, 0x58, X_A16, 0, 0 }, { 0x66, 0x0f, 0x58, X_A16, 0, 0 },
    { 0xf3, 0x0f, 0x58, X_M4, 0, 0 }, { 0xf2, 0x0f, 0x58, X_M8, 0, 0 },
    { 0, 0x0f, 0x59, X_A16, 0, 0 }, { 0x66, 0x0f, 0x59, X_A16, 0, 0 },
    { 0xf3, 0x0f, 0x59, X_M4, 0, 0 }, { 0xf2, 0x0f, 0x59, X_M8, 0, 0 },
    { 0, 0x0f, 0x5c, X_A16, 0, 0 }, { 0x66, 0x0f, 0x5c, X_A16, 0, 0 },
    { 0xf3, 0x0f, 0x5c, X_M4, 0, 0 }, { 0xf2, 0x0f, 0x5c, X_M8, 0, 0 },
    { 0, 0x0f, 0x5d, X_A16, 0, 0 }, { 0x66, 0x0f, 0x5d, X_A16, 0, 0 },
    { 0xf3, 0x0f, 0x5d, X_M4, 0, 0 }, { 0xf2, 0x0f, 0x5d, X_M8, 0, 0 },
    { 0, 0x0f, 0x5e, X_A16, 0, 0 }, { 0x66, 0x0f, 0x5e, X_A16, 0, 0 },
    { 0xf3, 0x0f, 0x5e, X_M4, 0, 0 }, { 0xf2, 0x0f, 0x5e, X_M8, 0, 0 },
    { 0, 0x0f, 0x5f, X_A16, 0, 0 }, { 0x66, 0x0f, 0x5f, X_A16, 0, 0 },
    { 0xf3, 0x0f, 0x5f, X_M4, 0, 0 }, { 0xf2, 0x0f, 0x5f, X_M8, 0, 0 },
    { 0xf3, 0x0f, 0x10, X_M4, 0, 0 }, { 0xf2, 0x0f, 0x10, X_M8, 0, 0 },
    /* SSE2 integer ops that run inline (the IR's vec op): unpacks,
       compares, PSHUFD, PMINUB/PMAXUB, PADD, PSUB; UNPCKL/HPS/PD */
    { 0x66, 0x0f, 0x60, X_A16, 0, 0 }, { 0x66, 0x0f, 0x61, X_A16, 0, 0 },
    { 0x66, 0x0f, 0x62, X_A16, 0, 0 }, { 0x66, 0x0f, 0x6c, X_A16, 0, 0 },
    { 0x66, 0x0f, 0x68, X_A16, 0, 0 }, { 0x66, 0x0f, 0x69, X_A16, 0, 0 },
    { 0x66, 0x0f, 0x6a, X_A16, 0, 0 }, { 0x66, 0x0f, 0x6d, X_A16, 0, 0 },
    { 0x66, 0x0f, 0x64, X_A16, 0, 0 }, { 0x66, 0x0f, 0x65, X_A16, 0, 0 },
    { 0x66, 0x0f, 0x66, X_A16, 0, 0 }, { 0x66, 0x0f, 0x74, X_A16, 0, 0 },
    { 0x66, 0x0f, 0x75, X_A16, 0, 0 }, { 0x66, 0x0f, 0x76, X_A16, 0, 0 },
    { 0x66, 0x0f, 0x70, X_A16, 1, 0 }, { 0x66, 0x0f, 0xda, X_A16, 0, 0 },
    { 0x66, 0x0f, 0xde, X_A16, 0, 0 }, { 0x66, 0x0f, 0xfc, X_A16, 0, 0 },
    { 0x66, 0x0f, 0xfd, X_A16, 0, 0 }, { 0x66, 0x0f, 0xfe, X_A16, 0, 0 },
    { 0x66, 0x0f, 0xd4, X_A16, 0, 0 }, { 0x66, 0x0f, 0xf8, X_A16, 0, 0 },
    { 0x66, 0x0f, 0xf9, X_A16, 0, 0 }, { 0x66, 0x0f, 0xfa, X_A16, 0, 0 },
    { 0x66, 0x0f, 0xfb, X_A16, 0, 0 }, { 0, 0x0f, 0x14, X_A16, 0, 0 },
    { 0, 0x0f, 0x15, X_A16, 0, 0 }, { 0x66, 0x0f, 0x14, X_A16, 0, 0 },
    { 0x66, 0x0f, 0x15, X_A16, 0, 0 },
    /* SSE3 */
    { 0x66, 0x0f, 0xd0, X_A16, 0, 0 }, { 0xf2, 0x0f, 0xd0, X_A16, 0, 0 },
    { 0x66, 0x0f, 0x7c, X_A16, 0, 0 }, { 0xf2, 0x0f, 0x7c, X_A16, 0, 0 },
    { 0x66, 0x0f, 0x7d, X_A16, 0, 0 }, { 0xf2, 0x0f, 0x7d, X_A16, 0, 0 },
    { 0xf3, 0x0f, 0x16, X_A16, 0, 0 }, { 0xf3, 0x0f, 0x12, X_A16, 0, 0 },
    { 0xf2, 0x0f, 0x12, X_M8, 0, 0 }, { 0xf2, 0x0f, 0xf0, X_MEMU16, 0, 0 },
    /* SSSE3 */
    { 0x66, 0x38, 0x00, X_A16, 0, 0 }, { 0x66, 0x38, 0x01, X_A16, 0, 0 },
    { 0x66, 0x38, 0x02, X_A16, 0, 0 }, { 0x66, 0x38, 0x03, X_A16, 0, 0 },
    { 0x66, 0x38, 0x04, X_A16, 0, 0 }, { 0x66, 0x38, 0x05, X_A16, 0, 0 },
    { 0x66, 0x38, 0x06, X_A16, 0, 0 }, { 0x66, 0x38, 0x07, X_A16, 0, 0 },
    { 0x66, 0x38, 0x08, X_A16, 0, 0 }, { 0x66, 0x38, 0x09, X_A16, 0, 0 },
    { 0x66, 0x38, 0x0a, X_A16, 0, 0 }, { 0x66, 0x38, 0x0b, X_A16, 0, 0 },
    { 0x66, 0x38, 0x1c, X_A16, 0, 0 }, { 0x66, 0x38, 0x1d, X_A16, 0, 0 },
    { 0x66, 0x38, 0x1e, X_A16, 0, 0 }, { 0x66, 0x3a, 0x0f, X_A16, 1, 0 },
    /* SSE4.1 */
    { 0x66, 0x38, 0x10, X_A16, 0, 0 }, { 0x66, 0x38, 0x14, X_A16, 0, 0 },
    { 0x66, 0x38, 0x15, X_A16, 0, 0 }, { 0x66, 0x38, 0x17, X_A16, 0, 1 },
    { 0x66, 0x38, 0x20, X_M8, 0, 0 }, { 0x66, 0x38, 0x21, X_M4, 0, 0 },
    { 0x66, 0x38, 0x22, X_M2, 0, 0 }, { 0x66, 0x38, 0x23, X_M8, 0, 0 },
    { 0x66, 0x38, 0x24, X_M4, 0, 0 }, { 0x66, 0x38, 0x25, X_M8, 0, 0 },
    { 0x66, 0x38, 0x28, X_A16, 0, 0 }, { 0x66, 0x38, 0x29, X_A16, 0, 0 },
    { 0x66, 0x38, 0x2a, X_MEM16, 0, 0 }, { 0x66, 0x38, 0x2b, X_A16, 0, 0 },
    { 0x66, 0x38, 0x30, X_M8, 0, 0 }, { 0x66, 0x38, 0x31, X_M4, 0, 0 },
    { 0x66, 0x38, 0x32, X_M2, 0, 0 }, { 0x66, 0x38, 0x33, X_M8, 0, 0 },
    { 0x66, 0x38, 0x34, X_M4, 0, 0 }, { 0x66, 0x38, 0x35, X_M8, 0, 0 },
    { 0x66, 0x38, 0x38, X_A16, 0, 0 }, { 0x66, 0x38, 0x39, X_A16, 0, 0 },
    { 0x66, 0x38, 0x3a, X_A16, 0, 0 }, { 0x66, 0x38, 0x3b, X_A16, 0, 0 },
    { 0x66, 0x38, 0x3c, X_A16, 0, 0 }, { 0x66, 0x38, 0x3d, X_A16, 0, 0 },
    { 0x66, 0x38, 0x3e, X_A16, 0, 0 }, { 0x66, 0x38, 0x3f, X_A16, 0, 0 },
    { 0x66, 0x38, 0x40, X_A16, 0, 0 }, { 0x66, 0x38, 0x41, X_A16, 0, 0 },
    { 0x66, 0x3a, 0x08, X_A16, 1, 0 }, { 0x66, 0x3a, 0x09, X_A16, 1, 0 },
    { 0x66, 0x3a, 0x0a, X_M4, 1, 0 }, { 0x66, 0x3a, 0x0b, X_M8, 1, 0 },
    { 0x66, 0x3a, 0x0c, X_A16, 1, 0 }, { 0x66, 0x3a, 0x0d, X_A16, 1, 0 },
    { 0x66, 0x3a, 0x0e, X_A16, 1, 0 }, { 0x66, 0x3a, 0x21, X_M4, 1, 0 },
    { 0x66, 0x3a, 0x40, X_A16, 1, 0 }, { 0x66, 0x3a, 0x41, X_A16, 1, 0 },
    { 0x66, 0x3a, 0x42, X_A16, 1, 0 },
    /* SSE4.2 */
    { 0x66, 0x38, 0x37, X_A16, 0, 0 },
    { 0x66, 0x3a, 0x60, X_U16, 1, 1 }, { 0x66, 0x3a, 0x61, X_U16, 1, 1 },
    { 0x66, 0x3a, 0x62, X_U16, 1, 1 }, { 0x66, 0x3a, 0x63, X_U16, 1, 1 },
};

#define N_XMM_FORMS (sizeof(xmm_forms) / sizeof(xmm_forms[0]))

/* Starts an SSE insn: its mandatory prefix and opcode bytes. */
static Insn sse_insn(uint8_t pfx, uint8_t map, uint8_t op)
{
    Insn in = insn(map == 0x0f ? 2 : 3, 0x0f, map == 0x0f ? op : map);

    if (map != 0x0f)
        in.op[2] = op;
    if (pfx)
        prefix(&in, pfx);
    return in;
}

/* A memory operand of `size` bytes for an SSE insn: 16-byte aligned
   when `align` (now and then, on purpose, not: #GP), else anywhere;
   `how` is pick_mem's (MEM_READ: a source, which may be code). */
static void pick_xmm_mem(Gen *g, Insn *in, unsigned size, int align,
                         unsigned how)
{
    Mem *m = &in->m;
    uint64_t addr;
    unsigned off;

    in->modrm = 1;
    in->rm_mem = 1;
    pick_mem(g, m, size, how);
    mem_prefixes(g, in);
    if (!align)
        return;
    off = chance(g, 2) ? 1 + below(g, 15) : 0;
    if (m->base == RIP) {
        m->disp = (int32_t)(((uint32_t)m->disp + 15) & ~15u) + (int32_t)off;
        return;
    }
    addr = (m->base >= 0 ? reg_val(g, m->base) : 0) +
           (m->index >= 0 ? reg_val(g, m->index) << m->scale : 0) +
           (uint64_t)(int64_t)m->disp;
    if (in->npfx && in->pfx[in->npfx - 1] == 0x67)
        addr = (uint32_t)addr;
    if (m->disp_size == 0)
        m->disp_size = 1;
    m->disp += (int32_t)off - (int32_t)(addr & 15);
    if (m->disp_size == 1 && m->disp < -128)
        m->disp += 16;
}

/* An XMM form of xmm_forms: register or memory source, an imm8, REX.W
   now and then (ignored by these forms, but for PCMPESTR*'s lengths). */
void u_xmm(Gen *g, int arg)
{
    const XmmForm *f = &xmm_forms[below(g, N_XMM_FORMS)];
    Insn in = sse_insn(f->pfx, f->map, f->op);
    static const unsigned bytes[] = { 16, 16, 8, 4, 2, 16, 16 };
    int mem_only = f->shape == X_MEM16 || f->shape == X_MEMU16;

    (void)arg;
    /* The string compares: small lengths in eAX and eDX first. */
    if (f->map == 0x3a && f->op >= 0x60 && f->op <= 0x61 && chance(g, 70)) {
        set_reg32(g, RAX, (uint32_t)((int)below(g, 41) - 20));
        set_reg32(g, RDX, (uint32_t)((int)below(g, 41) - 20));
    }
    in.modrm = 1;
    in.reg = (int)below(g, 16);
    in.w = chance(g, 10);
    if (mem_only || chance(g, 40))
        pick_xmm_mem(g, &in, bytes[f->shape],
                     f->shape == X_A16 || f->shape == X_MEM16, MEM_READ);
    else
        in.rm = (int)below(g, 16);
    if (f->imm) {
        in.imm = rnd(g) & 0xff;
        in.imm_size = 1;
    }
    emit(g, &in);
    if (f->flags)
        flags(g, XD_ARITH, 0);
}

/* LDMXCSR of a value rnd_mxcsr picks (form 0: push imm32; ldmxcsr
   [rsp]; lea rsp, [rsp + 8]), which changes the mode of the SSE
   arithmetic after it, or STMXCSR to memory (1), which reads the flags
   the arithmetic before it raised. */

void u_mxcsr(Gen *g, int form)
{
    Insn in = sse_insn(0, 0x0f, 0xae);

    in.modrm = 1;
    in.group = 1;
    in.rm_mem = 1;
    if (form == 1) {
        in.reg = 3;
        pick_xmm_mem(g, &in, 4, 0, 0);
        emit(g, &in);
        return;
    }
    if (!can_push(g, 8))
        return;
    {
        Insn push = insn(1, 0x68, 0), lea = insn(1, 0x8d, 0);

        push.imm = rnd_mxcsr(g);
        push.imm_size = 4;
        emit(g, &push);
        g->depth += 8;
        in.reg = 2;
        in.m = (Mem){ .base = RSP, .index = -1 };
        emit(g, &in);
        lea.w = 1;
        lea.modrm = 1;
        lea.reg = RSP;
        lea.rm_mem = 1;
        lea.m = (Mem){ .base = RSP, .index = -1, .disp = 8,
                       .disp_size = 1 };
        emit(g, &lea);
        g->depth -= 8;
    }
}

/* PEXTRB/W/D/Q, EXTRACTPS to a register or memory; PINSRB/D/Q from one. */
void u_xmm_gpr(Gen *g, int form)
{
    static const uint8_t ops[] = { 0x14, 0x15, 0x16, 0x17, 0x20, 0x22 };
    static const unsigned size[] = { 1, 2, 4, 4, 1, 4 };
    unsigned i = below(g, 6), bytes;
    uint8_t op = ops[i];
    Insn in = sse_insn(0x66, 0x3a, op);

    (void)form;
    in.w = chance(g, 30);
    bytes = size[i] == 4 && in.w && op != 0x17 ? 8 : size[i];
    in.modrm = 1;
    in.reg = (int)below(g, 16);
    if (chance(g, 40)) {
        pick_xmm_mem(g, &in, bytes, 0, op >= 0x20 ? MEM_READ : 0);
    } else {
        /* A written general register must be writable; a read one any. */
        in.rm = op >= 0x20 ? pick_src(g) : pick_dst(g);
    }
    in.imm = rnd(g) & 0xff;
    in.imm_size = 1;
    emit(g, &in);
}

/* PMOVMSKB r32/r64, xmm (66 0F D7; REX.W changes nothing). */
void u_pmovmskb(Gen *g, int arg)
{
    Insn in = sse_insn(0x66, 0x0f, 0xd7);

    (void)arg;
    in.modrm = 1;
    in.w = chance(g, 20);
    in.reg = pick_dst(g);
    in.rm = (int)below(g, 16);
    emit(g, &in);
}

/* CRC32 r32/r64, r/m8/16/32/64 (F2 0F 38 F0/F1; 66 for 16 bits). */
void u_crc32(Gen *g, int arg)
{
    Insn in = sse_insn(0xf2, 0x38, 0xf0);
    unsigned bits;

    (void)arg;
    if (chance(g, 40)) {
        bits = 8;
        in.w = chance(g, 50);
    } else {
        in.op[2] = 0xf1;
        bits = pick_size(g, &in);
    }
    in.reg = pick_dst(g);
    pick_rm(g, &in, bits, 0, MEM_READ, 30);
    emit(g, &in);
}

/* ---- MMX ---- */

/* The MMX forms mm, mm/m64 (or m32: PUNPCKL*), no prefix: opcode bytes
   after 0F, the SSSE3 ones after 0F 38 and 0F 3A. */
typedef struct MmxForm {
    uint8_t map;        /* 0x0f, 0x38 or 0x3a */
    uint8_t op;
    uint8_t mem4;       /* the memory operand is 32 bits */
    uint8_t imm;        /* an imm8 follows */
} MmxForm;

static const MmxForm mmx_forms[] = {
    { 0x0f, 0x60, 1, 0 }, { 0x0f, 0x61, 1, 0 }, { 0x0f, 0x62, 1, 0 },
    { 0x0f, 0x63, 0, 0 }, { 0x0f, 0x64, 0, 0 }, { 0x0f, 0x65, 0, 0 },
    { 0x0f, 0x66, 0, 0 }, { 0x0f, 0x67, 0, 0 }, { 0x0f, 0x68, 0, 0 },
    { 0x0f, 0x69, 0, 0 }, { 0x0f, 0x6a, 0, 0 }, { 0x0f, 0x6b, 0, 0 },
    { 0x0f, 0x6f, 0, 0 }, { 0x0f, 0x70, 0, 1 }, { 0x0f, 0x74, 0, 0 },
    { 0x0f, 0x75, 0, 0 }, { 0x0f, 0x76, 0, 0 },
    { 0x0f, 0xd1, 0, 0 }, { 0x0f, 0xd2, 0, 0 }, { 0x0f, 0xd3, 0, 0 },
    { 0x0f, 0xd4, 0, 0 }, { 0x0f, 0xd5, 0, 0 }, { 0x0f, 0xd8, 0, 0 },
    { 0x0f, 0xd9, 0, 0 }, { 0x0f, 0xda, 0, 0 }, { 0x0f, 0xdb, 0, 0 },
    { 0x0f, 0xdc, 0, 0 }, { 0x0f, 0xdd, 0, 0 }, { 0x0f, 0xde, 0, 0 },
    { 0x0f, 0xdf, 0, 0 }, { 0x0f, 0xe0, 0, 0 }, { 0x0f, 0xe1, 0, 0 },
    { 0x0f, 0xe2, 0, 0 }, { 0x0f, 0xe3, 0, 0 }, { 0x0f, 0xe4, 0, 0 },
    { 0x0f, 0xe5, 0, 0 }, { 0x0f, 0xe8, 0, 0 }, { 0x0f, 0xe9, 0, 0 },
    { 0x0f, 0xea, 0, 0 }, { 0x0f, 0xeb, 0, 0 }, { 0x0f, 0xec, 0, 0 },
    { 0x0f, 0xed, 0, 0 }, { 0x0f, 0xee, 0, 0 }, { 0x0f, 0xef, 0, 0 },
    { 0x0f, 0xf1, 0, 0 }, { 0x0f, 0xf2, 0, 0 }, { 0x0f, 0xf3, 0, 0 },
    { 0x0f, 0xf4, 0, 0 }, { 0x0f, 0xf5, 0, 0 }, { 0x0f, 0xf6, 0, 0 },
    { 0x0f, 0xf8, 0, 0 }, { 0x0f, 0xf9, 0, 0 }, { 0x0f, 0xfa, 0, 0 },
    { 0x0f, 0xfb, 0, 0 }, { 0x0f, 0xfc, 0, 0 }, { 0x0f, 0xfd, 0, 0 },
    { 0x0f, 0xfe, 0, 0 },
    /* SSSE3 */
    { 0x38, 0x00, 0, 0 }, { 0x38, 0x01, 0, 0 }, { 0x38, 0x02, 0, 0 },
    { 0x38, 0x03, 0, 0 }, { 0x38, 0x04, 0, 0 }, { 0x38, 0x05, 0, 0 },
    { 0x38, 0x06, 0, 0 }, { 0x38, 0x07, 0, 0 }, { 0x38, 0x08, 0, 0 },
    { 0x38, 0x09, 0, 0 }, { 0x38, 0x0a, 0, 0 }, { 0x38, 0x0b, 0, 0 },
    { 0x38, 0x1c, 0, 0 }, { 0x38, 0x1d, 0, 0 }, { 0x38, 0x1e, 0, 0 },
    { 0x3a, 0x0f, 0, 1 },
};

#define N_MMX_FORMS (sizeof(mmx_forms) / sizeof(mmx_forms[0]))

/* An MMX register operand: 0-15, since REX.R and REX.B do not extend
   MMX register numbers (the CPU ignores them; so must Mimic). */
static int pick_mm(Gen *g)
{
    return (int)below(g, chance(g, 20) ? 16 : 8);
}

/* A form of mmx_forms, register or memory source (any alignment). */
void u_mmx(Gen *g, int arg)
{
    const MmxForm *f = &mmx_forms[below(g, N_MMX_FORMS)];
    Insn in = sse_insn(0, f->map, f->op);

    (void)arg;
    in.modrm = 1;
    in.reg = pick_mm(g);
    if (chance(g, 40))
        pick_xmm_mem(g, &in, f->mem4 ? 4 : 8, 0, MEM_READ);
    else
        in.rm = pick_mm(g);
    if (f->imm) {
        in.imm = rnd(g) & 0xff;
        in.imm_size = 1;
    }
    emit(g, &in);
}

/* The shifts by an immediate: 0F 71/72 /2 /4 /6, 0F 73 /2 /6 (and /3
   /7, PSRLDQ/PSLLDQ, which without 66 are #UD). */
void u_mmx_shift(Gen *g, int arg)
{
    static const uint8_t op[] = { 0x71, 0x71, 0x71, 0x72, 0x72, 0x72,
                                  0x73, 0x73, 0x73, 0x73 };
    static const uint8_t ext[] = { 2, 4, 6, 2, 4, 6, 2, 6, 3, 7 };
    unsigned i = below(g, chance(g, 5) ? 10 : 8);
    Insn in = sse_insn(0, 0x0f, op[i]);

    (void)arg;
    in.modrm = 1;
    in.group = 1;
    in.reg = ext[i];
    in.rm = pick_mm(g);
    in.imm = chance(g, 70) ? below(g, 70) : rnd(g) & 0xff;
    in.imm_size = 1;
    emit(g, &in);
}

/* The MMX moves and conversions with general registers, memory and XMM
   registers (form: which one), EMMS, MASKMOVQ. */
void u_mmx_move(Gen *g, int form)
{
    static const uint8_t op[] = { 0x6e, 0x7e, 0x7f, 0xe7, 0xc4, 0xc5, 0xd7,
                                  0xd6, 0xd6, 0x2a, 0x2d, 0x77, 0xf7 };
    Insn in = sse_insn(form == 7 ? 0xf3 : form == 8 ? 0xf2 : 0, 0x0f,
                       op[form]);
    int mem = chance(g, 40), pd = chance(g, 50);

    in.modrm = form != 11;
    switch (form) {
    case 0:             /* MOVD/MOVQ mm, r/m32/64 */
    case 1:             /* MOVD/MOVQ r/m32/64, mm */
        in.w = chance(g, 50);
        in.reg = pick_mm(g);
        if (mem)
            pick_xmm_mem(g, &in, in.w ? 8 : 4, 0, form ? 0 : MEM_READ);
        else
            in.rm = form ? pick_dst(g) : pick_src(g);
        break;
    case 2:             /* MOVQ mm/m64, mm */
    case 3:             /* MOVNTQ m64, mm */
        in.reg = pick_mm(g);
        if (mem || form == 3)
            pick_xmm_mem(g, &in, 8, 0, 0);
        else
            in.rm = pick_mm(g);
        break;
    case 4:             /* PINSRW mm, r32/m16, imm */
    case 5:             /* PEXTRW r32, mm, imm */
    case 6:             /* PMOVMSKB r32, mm */
        in.reg = form == 4 ? pick_mm(g) : pick_dst(g);
        if (form == 4 && mem)
            pick_xmm_mem(g, &in, 2, 0, MEM_READ);
        else
            in.rm = form == 4 ? pick_src(g) : pick_mm(g);
        if (form != 6) {
            in.imm = rnd(g) & 0xff;
            in.imm_size = 1;
        }
        break;
    case 7:             /* MOVQ2DQ xmm, mm */
    case 8:             /* MOVDQ2Q mm, xmm */
        in.reg = form == 7 ? (int)below(g, 16) : pick_mm(g);
        in.rm = form == 7 ? pick_mm(g) : (int)below(g, 16);
        break;
    case 9:             /* CVTPI2PS/PD xmm, mm/m64 */
        if (pd)
            prefix(&in, 0x66);
        in.reg = (int)below(g, 16);
        if (mem)
            pick_xmm_mem(g, &in, 8, 0, MEM_READ);
        else
            in.rm = pick_mm(g);
        break;
    case 10:            /* CVT(T)PS2PI mm, xmm/m64, CVT(T)PD2PI mm, xmm/m128 */
        if (pd)
            prefix(&in, 0x66);
        in.op[1] = (uint8_t)(chance(g, 50) ? 0x2c : 0x2d);
        in.reg = pick_mm(g);
        if (mem)
            pick_xmm_mem(g, &in, pd ? 16 : 8, pd, MEM_READ);
        else
            in.rm = (int)below(g, 16);
        break;
    case 11:            /* EMMS */
        break;
    default:            /* MASKMOVQ mm, mm: to [rdi] */
        if (!writable(g, RDI))
            return;
        set_reg32(g, RDI, (uint32_t)(chance(g, 3)
                                     ? XD_GUARD - below(g, 16)
                                     : XD_DATA + below(g, XD_DATA_SIZE - 8)));
        in.reg = pick_mm(g);
        in.rm = pick_mm(g);
        break;
    }
    emit(g, &in);
}
