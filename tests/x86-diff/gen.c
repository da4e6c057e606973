/*
 * The generator of the x86-64 differential test (see gen.h).  Instructions
 * are encoded here from their SDM forms, with no assembler: a unit picks
 * its operands (operand size, register or memory, prefixes), fills an
 * Insn and emit() writes prefixes, REX, opcode, ModRM/SIB, displacement
 * and immediate.  Memory operands address the data area through two
 * reserved registers (a base in the middle of the area and a small index)
 * or rsp, whose values the generator knows, so that it can aim a
 * displacement at a chosen address; those three registers are never
 * written.  The units and their weights are in the table `units` at the
 * end.  Forms the translator lacks today (RCL/RCR, SHLD/SHRD, ENTER,
 * CMPXCHG8B/16B) are not generated; TZCNT/LZCNT are not either, since
 * this host's CPU has BMI1/ABM and Mimic's CPUID has not (they run as
 * BSF/BSR there, which is right, but differs from the host).
 */
#include <stddef.h>

#include "gen.h"

enum { RAX, RCX, RDX, RBX, RSP, RBP, RSI, RDI };

int xd_x87;
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
    int mmx;            /* the next insn is an MMX one (XD_FUNDEF_MMX) */
} Gen;

/* ---- Randomness (splitmix64: tiny and good enough) ---- */

static uint64_t rnd(Gen *g)
{
    uint64_t z = (g->rng += 0x9e3779b97f4a7c15ull);

    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static unsigned below(Gen *g, unsigned n)
{
    return (unsigned)(rnd(g) % n);
}

static int chance(Gen *g, unsigned percent)
{
    return below(g, 100) < percent;
}

/* A value with the edge cases an ALU cares about overrepresented. */
static uint64_t rnd_value(Gen *g)
{
    static const uint64_t edges[] = {
        0x7f, 0x80, 0xff, 0x7fff, 0x8000, 0xffff, 0x7fffffff, 0x80000000,
        0xffffffff, 0x7fffffffffffffff, 0x8000000000000000, 0x100000000,
    };
    uint64_t v;

    switch (below(g, 10)) {
    case 0:
        return 0;
    case 1:
        return below(g, 256);
    case 2:
        return (uint64_t)0 - 1 - below(g, 4);
    case 3:
        v = 1ull << below(g, 64);
        return chance(g, 50) ? v : v - 1;
    case 4:
        return (uint32_t)rnd(g);
    case 5:
        v = edges[below(g, sizeof(edges) / sizeof(edges[0]))];
        return chance(g, 50) ? v : v ^ (rnd(g) & ~(v | (v - 1)) & -2ull);
    case 6:
        return (uint64_t)(int64_t)(int32_t)rnd(g);
    default:
        return rnd(g);
    }
}

/* ---- Flags ---- */

static void flags(Gen *g, unsigned def, unsigned undef)
{
    g->undef = (uint16_t)((g->undef & ~def) | undef);
}

static int readable(Gen *g, unsigned mask)
{
    return !(g->undef & mask);
}

/* The flags condition code cc reads (Jcc, SETcc, CMOVcc). */
static unsigned cc_reads(unsigned cc)
{
    static const uint16_t r[8] = {
        XD_OF, XD_CF, XD_ZF, XD_CF | XD_ZF, XD_SF, XD_PF, XD_SF | XD_OF,
        XD_ZF | XD_SF | XD_OF,
    };

    return r[cc >> 1];
}

/* A condition code whose flags are all defined; -1 if none is. */
static int pick_cc(Gen *g)
{
    unsigned cc = below(g, 16);

    for (unsigned i = 0; i < 16; i++, cc = (cc + 1) & 15) {
        if (readable(g, cc_reads(cc)))
            return (int)cc;
    }
    return -1;
}

/* ---- Forms seen, for the coverage figure ---- */

static uint32_t seen[8192];
static unsigned nseen;

static void note_form(const Insn *in)
{
    uint32_t h = 2166136261u;
    unsigned lock = 0, rep = 0, o16 = 0;

    for (int i = 0; i < in->npfx; i++) {
        lock |= in->pfx[i] == 0xf0;
        rep |= in->pfx[i] == 0xf3 || in->pfx[i] == 0xf2 ? in->pfx[i] : 0;
        o16 |= in->pfx[i] == 0x66;
    }
    for (int i = 0; i < in->oplen; i++)
        h = (h ^ in->op[i]) * 16777619u;
    h = (h ^ (in->group ? (unsigned)in->reg + 1 : 0)) * 16777619u;
    h = (h ^ (in->w ? 64 : o16 ? 16 : 32)) * 16777619u;
    h = (h ^ (in->modrm ? 1u + (unsigned)in->rm_mem : 0)) * 16777619u;
    h = (h ^ (lock << 8 | rep)) * 16777619u;
    h |= 1;
    for (unsigned i = h % 8192;; i = (i + 1) % 8192) {
        if (seen[i] == h)
            return;
        if (!seen[i]) {
            if (nseen < 8000) {
                seen[i] = h;
                nseen++;
            }
            return;
        }
    }
}

unsigned xd_forms_seen(void)
{
    return nseen;
}

/* ---- Encoding ---- */

static void byte(Gen *g, uint8_t b)
{
    g->c->code[g->c->code_len++] = b;
}

static void bytes_le(Gen *g, uint64_t v, int n)
{
    for (int i = 0; i < n; i++)
        byte(g, (uint8_t)(v >> (8 * i)));
}

/* Starts an insn: records where it is and which flags are undefined
   before it (what a fault at it leaves). */
static void begin(Gen *g)
{
    XdCase *c = g->c;

    c->insn_off[c->ninsns] = (uint16_t)c->code_len;
    c->insn_undef[c->ninsns] = g->undef;
    c->insn_fundef[c->ninsns] = (uint16_t)(g->fundef |
                                           (g->mmx ? XD_FUNDEF_MMX : 0));
    g->mmx = 0;
    c->ninsns++;
}

static void emit_mem(Gen *g, const Insn *in)
{
    const Mem *m = &in->m;
    unsigned reg = (unsigned)in->reg & 7, mod, ds = (unsigned)m->disp_size;
    unsigned idx = m->index < 0 ? 4 : (unsigned)m->index & 7;

    if (m->base == RIP) {
        byte(g, (uint8_t)(reg << 3 | 5));
        bytes_le(g, (uint32_t)m->disp, 4);
        return;
    }
    if (m->base < 0) {              /* SIB, no base: disp32 */
        byte(g, (uint8_t)(reg << 3 | 4));
        byte(g, (uint8_t)(m->scale << 6 | idx << 3 | 5));
        bytes_le(g, (uint32_t)m->disp, 4);
        return;
    }
    if (ds == 0 && (m->base & 7) == 5)  /* rbp/r13 need a displacement */
        ds = 1;
    mod = ds == 0 ? 0 : ds == 1 ? 1 : 2;
    if (m->index >= 0 || (m->base & 7) == 4 || m->sib) {
        byte(g, (uint8_t)(mod << 6 | reg << 3 | 4));
        byte(g, (uint8_t)(m->scale << 6 | idx << 3 | ((unsigned)m->base & 7)));
    } else {
        byte(g, (uint8_t)(mod << 6 | reg << 3 | ((unsigned)m->base & 7)));
    }
    bytes_le(g, (uint32_t)m->disp, (int)ds);
}

/* Writes one insn: legacy prefixes, REX, opcode, ModRM/SIB, disp, imm. */
static void emit(Gen *g, Insn *in)
{
    unsigned rex = in->w ? 8 : 0;
    int rip_fix = -1;

    begin(g);
    note_form(in);
    if (in->modrm && !in->group && (in->reg & 8))
        rex |= 4;
    if (in->modrm && in->rm_mem) {
        if (in->m.index >= 0 && (in->m.index & 8))
            rex |= 2;
        if (in->m.base >= 0 && in->m.base != RIP && (in->m.base & 8))
            rex |= 1;
    } else if (in->modrm && (in->rm & 8)) {
        rex |= 1;
    }
    if (in->opreg >= 0 && (in->opreg & 8))
        rex |= 1;
    /* Legacy prefixes in a random order: the CPU takes any. */
    for (int i = in->npfx - 1; i > 0; i--) {
        int j = (int)below(g, (unsigned)i + 1);
        uint8_t t = in->pfx[i];

        in->pfx[i] = in->pfx[j];
        in->pfx[j] = t;
    }
    for (int i = 0; i < in->npfx; i++)
        byte(g, in->pfx[i]);
    if (rex || in->rex)
        byte(g, (uint8_t)(0x40 | rex));
    for (int i = 0; i < in->oplen; i++) {
        uint8_t b = in->op[i];

        if (i == in->oplen - 1 && in->opreg >= 0)
            b = (uint8_t)(b | (in->opreg & 7));
        byte(g, b);
    }
    if (in->modrm) {
        if (!in->rm_mem) {
            byte(g, (uint8_t)(0xc0 | (in->reg & 7) << 3 | (in->rm & 7)));
        } else {
            if (in->m.base == RIP)
                rip_fix = (int)g->c->code_len + 1;
            emit_mem(g, in);
        }
    }
    bytes_le(g, in->imm, in->imm_size);
    if (rip_fix >= 0) {
        /* The displacement counts from the next insn: aim it back at
           the code page, at most 64 bytes past this insn. */
        unsigned end = g->c->code_len;
        int32_t d = in->m.disp - (int32_t)end;

        for (int i = 0; i < 4; i++)
            g->c->code[rip_fix + i] = (uint8_t)((uint32_t)d >> (8 * i));
    }
}

static void prefix(Insn *in, uint8_t p)
{
    in->pfx[in->npfx++] = p;
}

static Insn insn(int oplen, uint8_t op0, uint8_t op1)
{
    Insn in = { .oplen = oplen, .op = { op0, op1 }, .opreg = -1 };

    return in;
}

/* ---- Operands ---- */

static int writable(Gen *g, int r)
{
    return r != RSP && r != g->base && r != g->index;
}

static int pick_dst(Gen *g)
{
    int r;

    do {
        r = (int)below(g, 16);
    } while (!writable(g, r));
    return r;
}

static int pick_src(Gen *g)
{
    return (int)below(g, 16);
}

/* The register a byte-register code names: AH..BH without REX. */
static int byte_gpr(int code, int rex)
{
    return !rex && code >= 4 && code < 8 ? code - 4 : code;
}

static int pick_byte(Gen *g, int rex, int written)
{
    int r;

    do {
        r = (int)below(g, rex ? 16 : 8);
    } while (written && !writable(g, byte_gpr(r, rex)));
    return r;
}

/* 16, 32 or 64 bits, with the prefix that says so (rarely both 66 and
   REX.W, where W wins). */
static unsigned pick_size(Gen *g, Insn *in)
{
    switch (below(g, 3)) {
    case 0:
        prefix(in, 0x66);
        return 16;
    case 1:
        return 32;
    default:
        in->w = 1;
        if (chance(g, 5))
            prefix(in, 0x66);
        return 64;
    }
}

static uint64_t reg_val(Gen *g, int r)
{
    if (r == RSP)
        return XD_STACK_TOP - (uint64_t)(int64_t)g->depth;
    if (r == g->base)
        return g->base_val;
    if (r == g->index)
        return g->index_val;
    return 0;
}

/* An address for a `size`-byte access: inside the data area, or now and
   then across or past its end, into the guard page, to fault. */
static uint64_t pick_target(Gen *g, unsigned size, unsigned how, int *fault)
{
    unsigned lo = how & MEM_MARGIN ? 64 : 0;

    *fault = !(how & MEM_NOFAULT) && chance(g, 1);
    if (*fault) {
        switch (below(g, 3)) {
        case 0:
            return XD_GUARD - 1 - below(g, size > 1 ? size - 1 : 1);
        case 1:
            return XD_GUARD + below(g, 4096);
        default:
            return XD_DATA - 1 - below(g, 64);
        }
    }
    return XD_DATA + lo + below(g, XD_DATA_SIZE - size + 1 - 2 * lo);
}

/* A memory operand for a `size`-byte access (see MEM_*). */
static void pick_mem(Gen *g, Mem *m, unsigned size, unsigned how)
{
    int fault;
    uint64_t want = pick_target(g, size, how, &fault), fixed;
    unsigned kind = below(g, how & MEM_READ ? 8 : 7);

    *m = (Mem){ .base = g->base, .index = -1, .sib = chance(g, 10) };
    if (kind == 3 || kind == 4) {
        m->index = g->index;
        m->scale = below(g, 4);
    } else if (kind == 5 && !(how & MEM_NORSP)) {
        m->base = RSP;
    } else if (kind == 6) {
        m->base = -1;
        m->index = chance(g, 50) ? g->index : -1;
        m->scale = below(g, 4);
    } else if (kind == 7) {
        m->base = RIP;
        /* A code byte, at most 64 past the insn (emit() makes it
           relative to the insn's end). */
        m->disp = (int32_t)(g->c->code_len + 16 + below(g, 48));
        m->disp_size = 4;
        return;
    }
    fixed = (m->base >= 0 ? reg_val(g, m->base) : 0) +
            (m->index >= 0 ? reg_val(g, m->index) << m->scale : 0);
    if (m->base < 0 || fault) {
        m->disp_size = 4;
    } else {
        m->disp_size = (int)below(g, 3);
        m->disp_size += m->disp_size == 2 ? 2 : 0;
    }
    if (m->disp_size == 0) {
        m->disp = 0;
    } else if (m->disp_size == 1) {
        m->disp = (int8_t)rnd(g);
        /* The base is mid-area: disp8 stays inside it; keep the margin. */
        if ((how & MEM_MARGIN) && m->disp < -64)
            m->disp += 64;
    } else {
        m->disp = (int32_t)(int64_t)(want - fixed);
    }
}

static int mem_needs_rex(const Mem *m)
{
    return (m->base >= 0 && m->base != RIP && (m->base & 8)) ||
           (m->index >= 0 && (m->index & 8));
}

/* Rarely, segment overrides: ES/CS/SS/DS are ignored in 64-bit mode,
   FS/GS add a base that is 0 in this program; and 32-bit addressing. */
static void mem_prefixes(Gen *g, Insn *in)
{
    static const uint8_t segs[] = { 0x26, 0x2e, 0x36, 0x3e, 0x64, 0x65 };

    if (chance(g, 6))
        prefix(in, segs[below(g, 6)]);
    if (chance(g, 8))
        prefix(in, 0x67);
}

/* The r/m operand: memory (mem_pct percent of the time) or a register.
   For bytes it also chooses between the legacy registers (AH..BH) and a
   REX (SPL..DIL, R8B..R15B). */
static void pick_rm(Gen *g, Insn *in, unsigned bits, int written,
                    unsigned how, unsigned mem_pct)
{
    in->modrm = 1;
    in->rm_mem = chance(g, mem_pct);
    if (in->rm_mem) {
        pick_mem(g, &in->m, bits / 8, how);
        mem_prefixes(g, in);
    }
    if (bits == 8) {
        in->rex |= chance(g, 40) || (in->rm_mem && mem_needs_rex(&in->m));
        if (!in->rm_mem)
            in->rm = pick_byte(g, in->rex, written);
    } else if (!in->rm_mem) {
        in->rm = written ? pick_dst(g) : pick_src(g);
    }
}

static void pick_reg(Gen *g, Insn *in, unsigned bits, int written)
{
    if (bits == 8)
        in->reg = pick_byte(g, in->rex, written);
    else
        in->reg = written ? pick_dst(g) : pick_src(g);
}

/* An immediate of `size` bytes with interesting values. */
static uint64_t rnd_imm(Gen *g, int size)
{
    uint64_t v = rnd_value(g);

    return size == 8 ? v : v & ((1ull << (8 * size)) - 1);
}

static int lock_maybe(Gen *g, Insn *in)
{
    if (in->rm_mem && chance(g, 25)) {
        prefix(in, 0xf0);
        return 1;
    }
    return 0;
}

/* An operand size for ops that have a byte form: 8, 16, 32 or 64. */
static unsigned pick_size8(Gen *g, Insn *in)
{
    return chance(g, 25) ? 8 : pick_size(g, in);
}

/* mov r32, imm32 (B8+r): a setup insn with a known value. */
static void set_reg32(Gen *g, int r, uint32_t v)
{
    Insn in = insn(1, 0xb8, 0);

    in.opreg = r;
    in.imm = v;
    in.imm_size = 4;
    emit(g, &in);
}

/* ---- Units ---- */

/* ADD OR ADC SBB AND SUB XOR CMP in all their encodings:
   form 0 E,G; 1 G,E; 2 AL/eAX,imm; 3 group 1 (80, 81, 83) E,imm. */
static void u_alu(Gen *g, int form)
{
    Insn in = insn(1, 0, 0);
    unsigned op, bits;
    int isz;

    do {
        op = below(g, 8);
    } while ((op == 2 || op == 3) && !readable(g, XD_CF));
    bits = pick_size8(g, &in);
    isz = bits == 8 ? 1 : bits == 16 ? 2 : 4;
    if (bits == 8 && chance(g, 5)) {
        in.rex = 1;
        in.w = 1;               /* REX.W on a byte op: ignored */
    }
    switch (form) {
    case 0:
        in.op[0] = (uint8_t)(op * 8 + (bits != 8));
        pick_rm(g, &in, bits, op != 7, 0, 50);
        pick_reg(g, &in, bits, 0);
        if (op != 7)
            lock_maybe(g, &in);
        break;
    case 1:
        in.op[0] = (uint8_t)(op * 8 + 2 + (bits != 8));
        pick_rm(g, &in, bits, 0, MEM_READ, 40);
        pick_reg(g, &in, bits, op != 7);
        break;
    case 2:
        in.op[0] = (uint8_t)(op * 8 + 4 + (bits != 8));
        in.imm = rnd_imm(g, isz);
        in.imm_size = isz;
        break;
    default:
        in.group = 1;
        in.reg = (int)op;
        pick_rm(g, &in, bits, op != 7, 0, 40);
        if (bits != 8 && chance(g, 50)) {
            in.op[0] = 0x83;
            isz = 1;
        } else {
            in.op[0] = bits == 8 ? 0x80 : 0x81;
        }
        in.imm = rnd_imm(g, isz);
        in.imm_size = isz;
        if (op != 7)
            lock_maybe(g, &in);
    }
    emit(g, &in);
    if (op == 1 || op == 4 || op == 6)
        flags(g, XD_ARITH & ~XD_AF, XD_AF);
    else
        flags(g, XD_ARITH, 0);
}

/* TEST: 84/85 E,G; A8/A9 acc,imm; F6/F7 /0 E,imm. */
static void u_test(Gen *g, int form)
{
    Insn in = insn(1, 0, 0);
    unsigned bits = pick_size8(g, &in);
    int isz = bits == 8 ? 1 : bits == 16 ? 2 : 4;

    if (form == 0) {
        in.op[0] = bits == 8 ? 0x84 : 0x85;
        pick_rm(g, &in, bits, 0, MEM_READ, 40);
        pick_reg(g, &in, bits, 0);
    } else {
        if (form == 1) {
            in.op[0] = bits == 8 ? 0xa8 : 0xa9;
        } else {
            in.op[0] = bits == 8 ? 0xf6 : 0xf7;
            in.group = 1;
            pick_rm(g, &in, bits, 0, MEM_READ, 40);
        }
        in.imm = rnd_imm(g, isz);
        in.imm_size = isz;
    }
    emit(g, &in);
    flags(g, XD_ARITH & ~XD_AF, XD_AF);
}

/* INC, DEC (FE/FF /0 /1), NOT, NEG (F6/F7 /2 /3). */
static void u_unary(Gen *g, int ext)
{
    Insn in = insn(1, 0, 0);
    unsigned bits = pick_size8(g, &in);

    in.op[0] = (uint8_t)((ext < 2 ? 0xfe : 0xf6) + (bits != 8));
    in.group = 1;
    in.reg = ext;
    pick_rm(g, &in, bits, 1, 0, 40);
    lock_maybe(g, &in);
    emit(g, &in);
    if (ext < 2)
        flags(g, XD_ARITH & ~XD_CF, 0);
    else if (ext == 3)
        flags(g, XD_ARITH, 0);
}

/* A shift count: the edges of each size and of the count mask. */
static unsigned rnd_count(Gen *g, unsigned bits)
{
    static const uint8_t edges[] = { 0, 1, 2, 7, 8, 9, 15, 16, 17, 31, 32, 33,
                                     63, 64, 65, 255 };

    return chance(g, 50) ? edges[below(g, 16)] : below(g, 256) % (bits + 2);
}

/* The flags after a shift or rotate of a `bits` operand by `count`
   (the SDM: none change with a masked count of 0; OF is defined for a
   count of 1 only; CF is undefined for SHL/SHR by the size or more; AF
   is undefined). */
static void shift_flags(Gen *g, int ext, unsigned bits, unsigned count)
{
    unsigned mc = count & (bits == 64 ? 63 : 31), def, undef;

    if (!mc)
        return;
    def = mc == 1 ? XD_OF : 0;
    undef = mc == 1 ? 0 : XD_OF;
    if (ext < 2) {                      /* ROL, ROR */
        flags(g, def | XD_CF, undef);
        return;
    }
    def |= XD_SF | XD_ZF | XD_PF;
    undef |= XD_AF;
    if (ext == 7 || mc < bits)
        def |= XD_CF;
    else
        undef |= XD_CF;
    flags(g, def, undef);
}

/* ROL ROR SHL SHR SAL SAR: by 1 (D0/D1), by imm8 (C0/C1), by CL
   (D2/D3, after a mov cl, imm8 that makes the count known). */
static void u_shift(Gen *g, int how)
{
    static const uint8_t exts[] = { 0, 1, 4, 5, 6, 7 };
    Insn in = insn(1, 0, 0);
    unsigned bits = pick_size8(g, &in), count = 1;
    int ext = exts[below(g, 6)];

    in.group = 1;
    in.reg = ext;
    if (how == 0) {
        in.op[0] = 0xd0;
    } else if (how == 1) {
        in.op[0] = 0xc0;
        count = rnd_count(g, bits);
        in.imm = count;
        in.imm_size = 1;
    } else {
        Insn cl = insn(1, 0xb1, 0);

        in.op[0] = 0xd2;
        count = rnd_count(g, bits);
        cl.imm = count;
        cl.imm_size = 1;
        emit(g, &cl);
    }
    in.op[0] = (uint8_t)(in.op[0] + (bits != 8));
    pick_rm(g, &in, bits, 1, 0, 30);
    emit(g, &in);
    shift_flags(g, ext, bits, count);
}

/* MUL IMUL DIV IDIV with one operand (F6/F7 /4-7); a division is often
   prepared so that it does not fault (rDX cleared or sign-extended). */
static void u_muldiv(Gen *g, int ext)
{
    Insn in = insn(1, 0, 0);
    unsigned bits = pick_size8(g, &in);

    if (ext >= 6 && chance(g, 60)) {
        Insn s = insn(1, 0, 0);

        if (bits == 8 && ext == 6) {
            s.op[0] = 0xb4;             /* mov ah, 0 */
            s.imm_size = 1;
        } else if (bits == 8) {
            s.op[0] = 0x98;             /* cbw */
            prefix(&s, 0x66);
        } else if (ext == 6) {
            s.op[0] = 0x31;             /* xor edx, edx */
            s.modrm = 1;
            s.reg = RDX;
            s.rm = RDX;
        } else {
            s.op[0] = 0x99;             /* cwd, cdq, cqo */
            if (bits == 16)
                prefix(&s, 0x66);
            s.w = bits == 64;
        }
        emit(g, &s);
        if (s.op[0] == 0x31)
            flags(g, XD_ARITH & ~XD_AF, XD_AF);
    }
    in.op[0] = bits == 8 ? 0xf6 : 0xf7;
    in.group = 1;
    in.reg = ext;
    pick_rm(g, &in, bits, 0, MEM_READ, 40);
    emit(g, &in);
    if (ext < 6)
        flags(g, XD_CF | XD_OF, XD_SF | XD_ZF | XD_AF | XD_PF);
    else
        flags(g, 0, XD_ARITH);
}

/* IMUL G,E (0F AF), G,E,Iz (69), G,E,Ib (6B). */
static void u_imul(Gen *g, int form)
{
    Insn in = insn(form == 0 ? 2 : 1, 0, 0);
    unsigned bits = pick_size(g, &in);

    if (form == 0) {
        in.op[0] = 0x0f;
        in.op[1] = 0xaf;
    } else {
        in.op[0] = form == 1 ? 0x69 : 0x6b;
        in.imm_size = form == 2 ? 1 : bits == 16 ? 2 : 4;
        in.imm = rnd_imm(g, in.imm_size);
    }
    pick_rm(g, &in, bits, 0, MEM_READ, 40);
    pick_reg(g, &in, bits, 1);
    emit(g, &in);
    flags(g, XD_CF | XD_OF, XD_SF | XD_ZF | XD_AF | XD_PF);
}

/* MOV: 0 88/89 E,G; 1 8A/8B G,E; 2 C6/C7 E,imm; 3 B0+r/B8+r imm (imm64
   with REX.W); 4 A0-A3 moffs. */
static void u_mov(Gen *g, int form)
{
    Insn in = insn(1, 0, 0);
    unsigned bits = pick_size8(g, &in);
    int isz = bits == 8 ? 1 : bits == 16 ? 2 : 4;

    switch (form) {
    case 0:
    case 1:
        in.op[0] = (uint8_t)(0x88 + 2 * form + (bits != 8));
        pick_rm(g, &in, bits, form == 0, form ? MEM_READ : 0, 50);
        pick_reg(g, &in, bits, form == 1);
        break;
    case 2:
        in.op[0] = bits == 8 ? 0xc6 : 0xc7;
        in.group = 1;
        pick_rm(g, &in, bits, 1, 0, 50);
        in.imm = rnd_imm(g, isz);
        in.imm_size = isz;
        break;
    case 3:
        if (bits == 8) {
            in.rex = chance(g, 40);
            in.opreg = pick_byte(g, in.rex, 1);
            in.op[0] = 0xb0;
        } else {
            in.opreg = pick_dst(g);
            in.op[0] = 0xb8;
            isz = bits == 64 && chance(g, 80) ? 8 : bits == 16 ? 2 : 4;
            if (isz == 4 && bits == 64) {
                in.w = 0;       /* B8+r with imm32 zero-extends */
                in.npfx = 0;
            }
        }
        in.imm = rnd_imm(g, isz);
        in.imm_size = isz;
        break;
    default: {
        /* moffs: an absolute 8-byte address (4 with 67). */
        int fault;
        uint64_t a = pick_target(g, bits / 8, 0, &fault);
        int store = chance(g, 50);

        in.op[0] = (uint8_t)(0xa0 + 2 * store + (bits != 8));
        in.imm = a;
        in.imm_size = 8;
        if (chance(g, 20)) {
            prefix(&in, 0x67);
            in.imm_size = 4;
        }
        break;
    }
    }
    emit(g, &in);
}

/* MOVZX/MOVSX (0F B6 B7 BE BF) and MOVSXD (63). */
static void u_movx(Gen *g, int form)
{
    static const uint8_t ops[] = { 0xb6, 0xb7, 0xbe, 0xbf };
    Insn in = insn(2, 0x0f, 0);
    unsigned bits, sbits;

    if (form == 4) {
        in = insn(1, 0x63, 0);
        bits = 64;
        in.w = 1;
        sbits = 32;
    } else {
        in.op[1] = ops[form];
        bits = pick_size(g, &in);
        sbits = form & 1 ? 16 : 8;
    }
    /* A byte source 4-7 is AH..BH or SPL..DIL depending on whether a
       REX comes for another reason: either is only read. */
    pick_rm(g, &in, sbits, 0, MEM_READ, 40);
    pick_reg(g, &in, bits, 1);
    emit(g, &in);
}

/* An address mode for an insn that computes an address but does not
   access it (LEA, NOP, prefetch): any registers and displacements. */
static void free_mem(Gen *g, Insn *in)
{
    Mem *m = &in->m;

    in->modrm = 1;
    in->rm_mem = 1;
    *m = (Mem){ .base = (int)below(g, 17) - 1, .index = -1,
                .scale = below(g, 4), .sib = chance(g, 10) };
    if (m->base < 0 && chance(g, 30))
        m->base = RIP;
    if (chance(g, 60)) {
        do {
            m->index = (int)below(g, 16);
        } while (m->index == RSP);
    }
    m->disp_size = m->base < 0 || m->base == RIP ? 4 : (int)below(g, 3);
    m->disp_size += m->disp_size == 2 ? 2 : 0;
    m->disp = m->disp_size == 1 ? (int8_t)rnd(g) : (int32_t)rnd_value(g);
    if (m->disp_size == 0)
        m->disp = 0;
    if (m->base == RIP)
        m->disp = (int32_t)g->c->code_len + (int32_t)(rnd(g) % 4096) - 2048;
    if (chance(g, 15))
        prefix(in, 0x67);
}

/* LEA with every addressing mode. */
static void u_lea(Gen *g, int arg)
{
    Insn in = insn(1, 0x8d, 0);
    unsigned bits = pick_size(g, &in);

    (void)arg;
    free_mem(g, &in);
    pick_reg(g, &in, bits, 1);
    emit(g, &in);
}

/* XCHG E,G (86/87: a memory one locks) and XCHG eAX, r (90+r; 90 itself
   is NOP: no zero-extension of eax). */
static void u_xchg(Gen *g, int form)
{
    Insn in = insn(1, 0, 0);
    unsigned bits = form ? pick_size(g, &in) : pick_size8(g, &in);

    if (form == 0) {
        in.op[0] = bits == 8 ? 0x86 : 0x87;
        pick_rm(g, &in, bits, 1, 0, 50);
        pick_reg(g, &in, bits, 1);
    } else {
        in.op[0] = 0x90;
        in.opreg = pick_dst(g);
    }
    emit(g, &in);
}

/* XADD (0F C0/C1) and CMPXCHG (0F B0/B1), LOCK or not. */
static void u_xadd_cmpxchg(Gen *g, int cmpxchg)
{
    Insn in = insn(2, 0x0f, 0);
    unsigned bits = pick_size8(g, &in);

    in.op[1] = (uint8_t)((cmpxchg ? 0xb0 : 0xc0) + (bits != 8));
    pick_rm(g, &in, bits, 1, 0, 50);
    pick_reg(g, &in, bits, !cmpxchg);
    lock_maybe(g, &in);
    emit(g, &in);
    flags(g, XD_ARITH, 0);
}

/* BT BTS BTR BTC: by a register (0F A3 AB B3 BB) or imm8 (0F BA /4-7).
   With memory and a register, the offset reaches outside the operand:
   it is set to a small known value first. */
static void u_bt(Gen *g, int imm)
{
    static const uint8_t rops[] = { 0xa3, 0xab, 0xb3, 0xbb };
    Insn in = insn(2, 0x0f, 0);
    unsigned bits = pick_size(g, &in), kind = below(g, 4);

    if (imm) {
        in.op[1] = 0xba;
        in.group = 1;
        in.reg = 4 + (int)kind;
        in.imm = chance(g, 50) ? below(g, bits) : below(g, 256);
        in.imm_size = 1;
        pick_rm(g, &in, bits, kind != 0, kind ? 0 : MEM_READ, 40);
    } else {
        in.op[1] = rops[kind];
        pick_rm(g, &in, bits, kind != 0, MEM_MARGIN | MEM_NOFAULT, 40);
        pick_reg(g, &in, bits, 0);
        if (in.rm_mem) {
            Insn s = insn(1, 0xc7, 0);  /* mov reg, simm32 */

            in.reg = pick_dst(g);
            s.w = 1;
            s.modrm = 1;
            s.group = 1;
            s.rm = in.reg;
            s.imm = (uint32_t)((int32_t)below(g, 512) - 256);
            s.imm_size = 4;
            emit(g, &s);
        }
    }
    if (kind)
        lock_maybe(g, &in);
    emit(g, &in);
    flags(g, XD_CF, XD_OF | XD_SF | XD_AF | XD_PF);
}

/* BSF, BSR (0F BC/BD); BSWAP (0F C8+r). */
static void u_bitscan(Gen *g, int form)
{
    Insn in = insn(2, 0x0f, 0);

    if (form == 2) {
        in.op[1] = 0xc8;
        in.w = chance(g, 50);
        in.opreg = pick_dst(g);
        emit(g, &in);
        return;
    }
    in.op[1] = (uint8_t)(0xbc + form);
    pick_rm(g, &in, pick_size(g, &in), 0, MEM_READ, 40);
    pick_reg(g, &in, in.w ? 64 : 32, 1);
    emit(g, &in);
    flags(g, XD_ZF, XD_CF | XD_OF | XD_SF | XD_AF | XD_PF);
}

/* SETcc (0F 90+cc) and CMOVcc (0F 40+cc), on defined flags only. */
static void u_setcc_cmov(Gen *g, int cmov)
{
    Insn in = insn(2, 0x0f, 0);
    int cc = pick_cc(g);
    unsigned bits;

    if (cc < 0)
        return;
    if (cmov) {
        in.op[1] = (uint8_t)(0x40 + cc);
        bits = pick_size(g, &in);
        pick_rm(g, &in, bits, 0, MEM_READ, 40);
        pick_reg(g, &in, bits, 1);
    } else {
        in.op[1] = (uint8_t)(0x90 + cc);
        pick_rm(g, &in, 8, 1, 0, 40);
    }
    emit(g, &in);
}

/* CBW CWDE CDQE (98), CWD CDQ CQO (99). */
static void u_cwd(Gen *g, int op)
{
    Insn in = insn(1, (uint8_t)op, 0);

    pick_size(g, &in);
    emit(g, &in);
}

/* CLC STC CMC CLD STD LAHF SAHF. */
static void u_flagop(Gen *g, int op)
{
    Insn in = insn(1, (uint8_t)op, 0);

    if ((op == 0xf5 && !readable(g, XD_CF)) ||
        (op == 0x9f && !readable(g, XD_ARITH & ~XD_OF)))
        return;
    emit(g, &in);
    if (op == 0xf8 || op == 0xf9 || op == 0xf5)
        flags(g, XD_CF, 0);
    else if (op == 0x9e)
        flags(g, XD_ARITH & ~XD_OF, 0);
}

/* MOVS CMPS STOS LODS SCAS (A4 A6 AA AC AE), with REP/REPE/REPNE and a
   count of 0-8, in either direction; rsi and rdi are set first (once in
   a while next to the guard page, to fault midway). */
static void u_string(Gen *g, int op)
{
    Insn in = insn(1, (uint8_t)op, 0);
    unsigned bits = pick_size8(g, &in), n = below(g, 9);
    int rep = chance(g, 60) ? 0xf3 : 0, cmp = op == 0xa6 || op == 0xae;

    if (rep && cmp && chance(g, 50))
        rep = 0xf2;
    for (int r = RSI; r <= RDI; r++) {
        uint32_t a = (uint32_t)(XD_DATA + 0x100 + below(g, XD_DATA_SIZE - 0x200));
        int src = op == 0xa4 || op == 0xa6 || op == 0xac;

        if (r == RSI ? !src : op == 0xac)
            continue;
        if (chance(g, 3))
            a = (uint32_t)(XD_GUARD - below(g, 40));
        set_reg32(g, r, a);
    }
    if (rep) {
        set_reg32(g, RCX, n);
        prefix(&in, (uint8_t)rep);
    }
    if (chance(g, 10))
        prefix(&in, 0x67);
    in.op[0] = (uint8_t)(in.op[0] + (bits != 8));
    emit(g, &in);
    if (cmp && (!rep || n))
        flags(g, XD_ARITH, 0);
}

/* XLAT (D7): al = [rbx + al], when rbx is the base register. */
static void u_xlat(Gen *g, int arg)
{
    Insn in = insn(1, 0xd7, 0);

    (void)arg;
    if (g->base == RBX)
        emit(g, &in);
}

/* NOPs: 90, 66 90, F3 90 (PAUSE), 0F 1F /0 and the prefetch hints
   0F 18 /0-3 with any address (neither touches memory). */
static void u_nop(Gen *g, int form)
{
    Insn in = insn(1, 0x90, 0);

    if (form == 0) {
        if (chance(g, 30))
            prefix(&in, 0x66);
        else if (chance(g, 30))
            prefix(&in, 0xf3);
        emit(g, &in);
        return;
    }
    in = insn(2, 0x0f, form == 1 ? 0x1f : 0x18);
    in.group = 1;
    in.reg = form == 1 ? 0 : (int)below(g, 4);
    free_mem(g, &in);
    if (form == 1 && chance(g, 30))
        prefix(&in, 0x66);
    emit(g, &in);
}

/* ---- Stack units (not inside a region a branch skips) ---- */

static int can_push(Gen *g, int n)
{
    return g->depth + n <= 0x300;
}

static int can_pop(Gen *g, int n)
{
    return g->depth - n >= -0x300;
}

/* PUSH r (50+r, 66 50+r), r/m (FF /6), imm (6A, 68); POP r (58+r),
   r/m (8F /0). */
static void u_pushpop(Gen *g, int form)
{
    Insn in = insn(1, 0, 0);
    int n = chance(g, 15) ? 2 : 8;

    if (n == 2)
        prefix(&in, 0x66);
    if (form < 3 ? !can_push(g, n) : !can_pop(g, n))
        return;
    switch (form) {
    case 0:
        in.op[0] = 0x50;
        in.opreg = pick_src(g);
        break;
    case 1:
        in.op[0] = 0xff;
        in.group = 1;
        in.reg = 6;
        pick_rm(g, &in, (unsigned)n * 8, 0, MEM_READ, 60);
        break;
    case 2:
        in.op[0] = chance(g, 50) ? 0x6a : 0x68;
        in.imm_size = in.op[0] == 0x6a ? 1 : n == 2 ? 2 : 4;
        in.imm = rnd_imm(g, in.imm_size);
        break;
    case 3:
        in.op[0] = 0x58;
        in.opreg = pick_dst(g);
        break;
    default:
        in.op[0] = 0x8f;
        in.group = 1;
        pick_rm(g, &in, (unsigned)n * 8, 1, MEM_NORSP, 60);
    }
    emit(g, &in);
    g->depth += form < 3 ? n : -n;
}

/* PUSHF (9C), on defined flags; POPF (9D) of a pushed immediate that
   sets the arithmetic flags and DF at random (never TF or AC). */
static void u_pushf_popf(Gen *g, int popf)
{
    Insn in = insn(1, 0x9c, 0);

    if (!can_push(g, 8))
        return;
    if (!popf) {
        if (!readable(g, XD_ARITH))
            return;
        emit(g, &in);
        g->depth += 8;
        return;
    }
    in.op[0] = 0x68;
    in.imm = rnd(g) & (XD_ARITH | XD_DF);
    in.imm_size = 4;
    emit(g, &in);
    in = insn(1, 0x9d, 0);
    emit(g, &in);
    flags(g, XD_ARITH, 0);
}

/* CALL and RET: call +2; jmp +1; ret (returns to the jmp), sometimes
   RET imm16 dropping pushed words; and ENTER's partner LEAVE:
   push rbp; mov rbp, rsp; sub rsp, imm8; leave. */
static void u_call_leave(Gen *g, int leave)
{
    Insn in;

    if (!can_push(g, 0x100))
        return;
    if (leave) {
        in = insn(1, 0x55, 0);
        emit(g, &in);
        in = insn(1, 0x89, 0);
        in.w = 1;
        in.modrm = 1;
        in.reg = RSP;
        in.rm = RBP;
        emit(g, &in);
        in = insn(1, 0x83, 0);
        in.w = 1;
        in.modrm = 1;
        in.group = 1;
        in.reg = 5;
        in.rm = RSP;
        in.imm = below(g, 128);
        in.imm_size = 1;
        emit(g, &in);
        in = insn(1, 0xc9, 0);
        emit(g, &in);
        return;
    }
    /* call L; jmp over; L: ret -- the call's target is the ret, which
       returns to the jmp. */
    int near = chance(g, 50), ret_imm = chance(g, 30) && can_pop(g, 16);
    Insn jmp = insn(1, near ? 0xe9 : 0xeb, 0);

    jmp.imm_size = near ? 4 : 1;
    jmp.imm = ret_imm ? 3 : 1;
    in = insn(1, 0xe8, 0);
    in.imm = near ? 5 : 2;
    in.imm_size = 4;
    emit(g, &in);
    in = jmp;
    if (ret_imm) {
        unsigned k = below(g, 3) * 8;   /* RET imm16 */

        emit(g, &in);
        in = insn(1, 0xc2, 0);
        in.imm = k;
        in.imm_size = 2;
        emit(g, &in);
        g->depth -= (int)k;
    } else {
        emit(g, &in);
        in = insn(1, 0xc3, 0);
        emit(g, &in);
    }
}

static void gen_unit(Gen *g);

/* A forward branch over the next 0-3 units: Jcc rel8/rel32, JMP,
   LOOP/LOOPE/LOOPNE/JRCXZ.  The flags after the region are undefined
   where they are undefined on either path. */
static void u_branch(Gen *g, int form)
{
    Insn in = insn(1, 0, 0);
    XdCase *c = g->c;
    uint16_t undef_before, fundef_before, fcw_before;
    unsigned at, k = below(g, 4);
    int cc = pick_cc(g), rel32 = 0, known_before;

    if (form == 0 && cc < 0)
        return;
    if (form == 0) {
        rel32 = chance(g, 30);
        in = rel32 ? insn(2, 0x0f, (uint8_t)(0x80 + cc))
                   : insn(1, (uint8_t)(0x70 + cc), 0);
    } else if (form == 1) {
        rel32 = chance(g, 30);
        in.op[0] = rel32 ? 0xe9 : 0xeb;
    } else {
        static const uint8_t loops[] = { 0xe0, 0xe1, 0xe2, 0xe3 };

        in.op[0] = loops[below(g, 4)];
        if ((in.op[0] == 0xe0 || in.op[0] == 0xe1) && !readable(g, XD_ZF))
            in.op[0] = 0xe2;
        if (chance(g, 20))
            prefix(&in, 0x67);      /* ecx */
    }
    in.imm_size = rel32 ? 4 : 1;
    emit(g, &in);
    at = c->code_len;
    undef_before = g->undef;
    fundef_before = g->fundef;
    fcw_before = g->fcw;
    known_before = g->fcw_known;
    g->in_skip = 1;
    for (unsigned i = 0; i < k && c->code_len - at < 60; i++)
        gen_unit(g);
    g->in_skip = 0;
    for (int i = 0; i < in.imm_size; i++)
        c->code[at - (unsigned)in.imm_size + (unsigned)i] =
            (uint8_t)((c->code_len - at) >> (8 * i));
    g->undef |= undef_before;
    g->fundef |= fundef_before;
    if (!known_before || g->fcw != fcw_before)
        g->fcw_known = 0;
}

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
static void u_xmm(Gen *g, int arg)
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
static uint32_t rnd_mxcsr(Gen *g);

static void u_mxcsr(Gen *g, int form)
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
static void u_xmm_gpr(Gen *g, int form)
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
static void u_pmovmskb(Gen *g, int arg)
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
static void u_crc32(Gen *g, int arg)
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
static void u_mmx(Gen *g, int arg)
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
    g->mmx = 1;
    emit(g, &in);
}

/* The shifts by an immediate: 0F 71/72 /2 /4 /6, 0F 73 /2 /6 (and /3
   /7, PSRLDQ/PSLLDQ, which without 66 are #UD). */
static void u_mmx_shift(Gen *g, int arg)
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
    g->mmx = 1;
    emit(g, &in);
}

/* The MMX moves and conversions with general registers, memory and XMM
   registers (form: which one), EMMS, MASKMOVQ. */
static void u_mmx_move(Gen *g, int form)
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
    g->mmx = 1;
    emit(g, &in);
}

/* ---- x87 ---- */

/* The condition codes of the x87 status word. */
#define XF_C0 0x0100u
#define XF_C1 0x0200u
#define XF_C2 0x0400u
#define XF_C3 0x4000u
#define XF_CC (XF_C0 | XF_C1 | XF_C2 | XF_C3)
#define XF_C023 (XF_C0 | XF_C2 | XF_C3)

/* What a planted memory operand holds. */
enum { XK_F32, XK_F64, XK_F80, XK_I16, XK_I32, XK_I64, XK_BCD, XK_NONE };

/* Whether the next x87 insn may stop on an unmasked exception of its
   own (then it leaves the condition codes as they were). */
static int x87_may_abort(Gen *g)
{
    return !g->fcw_known || (g->fcw & 0x3f) != 0x3f;
}

/*
 * The condition codes after an x87 insn that gives the bits `set` a
 * value and leaves `undef` undefined (the others unchanged), per the
 * "FPU Flags Affected" of each insn in the SDM, volume 2.  An insn that
 * stops on an unmasked exception sets none of them: then the bits of
 * `set` stay as defined as they were.
 */
static void x87_cc(Gen *g, unsigned set, unsigned undef)
{
    /* Compares (FCOM, FTST) set theirs even then: unordered, on AMD
       CPUs (the SDM says they are left alone); they do not come here. */
    if (x87_may_abort(g))
        g->fundef = (uint16_t)(g->fundef | undef);
    else
        g->fundef = (uint16_t)((g->fundef & ~set) | undef);
}

/* An 80-bit value from one of the classes the x87 treats apart: zeros,
   denormals, pseudo-denormals, unnormals (pseudo-zeros too),
   pseudo-infinities and pseudo-NaNs (invalid operands since the 387),
   infinities, quiet and signaling NaNs with payloads, huge and tiny
   exponents, integers, ordinary numbers (now and then with few
   significant bits, so that results can be exact). */
static void rnd_x80(Gen *g, uint8_t out[10])
{
    uint64_t sig = rnd(g) | 1ull << 63, m62 = (1ull << 62) - 1;
    unsigned e, sign = (unsigned)chance(g, 50), cls = below(g, 16);

    switch (cls) {
    case 0:
        e = 0;
        sig = 0;
        break;
    case 1:                     /* denormal */
        e = 0;
        sig = (rnd(g) >> (1 + below(g, 63))) | 1;
        break;
    case 2:                     /* pseudo-denormal: J set */
        e = 0;
        break;
    case 3:                     /* unnormal, pseudo-zero */
        e = 1 + below(g, 0x7ffe);
        sig = chance(g, 20) ? 0 : rnd(g) >> (1 + below(g, 63));
        break;
    case 4:                     /* pseudo-infinity, pseudo-NaN: J clear */
        e = 0x7fff;
        sig = chance(g, 30) ? 0 : rnd(g) & ~(1ull << 63);
        break;
    case 5:
        e = 0x7fff;
        sig = 1ull << 63;
        break;
    case 6:                     /* QNaN (the indefinite now and then) */
        e = 0x7fff;
        sig = 3ull << 62 | (chance(g, 30) ? 0 : (rnd(g) >> below(g, 64)) & m62);
        break;
    case 7:                     /* SNaN */
        e = 0x7fff;
        sig = 1ull << 63 | ((rnd(g) >> below(g, 63)) & m62) | 1;
        break;
    case 8:
        e = 0x7ffe - below(g, 80);
        break;
    case 9:
        e = 1 + below(g, 80);
        break;
    case 10: {                  /* an integer */
        int64_t v = chance(g, 50) ? (int64_t)below(g, 2001) - 1000
                                  : (int64_t)rnd_value(g);
        uint64_t mag = v < 0 ? -(uint64_t)v : (uint64_t)v;
        int n = mag ? __builtin_clzll(mag) : 0;

        sign = v < 0;
        e = mag ? 0x3fff + 63 - (unsigned)n : 0;
        sig = mag << n;
        break;
    }
    case 11:
    case 12:
        e = 0x3fff - 8 + below(g, 16);
        break;
    case 13:
        e = 0x3fff - 70 + below(g, 140);
        break;
    case 14:
        e = (unsigned)rnd(g) & 0x7fff;
        sig = rnd(g);
        break;
    default:
        e = 0x3fff + below(g, 66);
        break;
    }
    if ((cls == 8 || cls == 9 || cls >= 11) && cls != 14 && chance(g, 30))
        sig &= ~0ull << below(g, 64);
    for (int i = 0; i < 8; i++)
        out[i] = (uint8_t)(sig >> (8 * i));
    out[8] = (uint8_t)e;
    out[9] = (uint8_t)(e >> 8 | sign << 7);
}

/* A binary32 or binary64 (ebits, mbits) with the same classes. */
static uint64_t rnd_ieee(Gen *g, unsigned ebits, unsigned mbits)
{
    uint64_t emax = (1ull << ebits) - 1, bias = emax >> 1;
    uint64_t fmask = (1ull << mbits) - 1, f = rnd(g) & fmask, e;
    uint64_t sign = (uint64_t)chance(g, 50) << (ebits + mbits);

    switch (below(g, 11)) {
    case 0:
        return sign;
    case 1:
        return sign | (f >> below(g, mbits)) | 1;
    case 2:
        return sign | emax << mbits;
    case 3:
        return sign | emax << mbits | 1ull << (mbits - 1) | (f >> below(g, mbits));
    case 4:
        return sign | emax << mbits | ((f >> below(g, mbits)) & (fmask >> 1)) | 1;
    case 5:
        e = emax - 1 - below(g, 8);
        break;
    case 6:
        e = 1 + below(g, 8);
        break;
    case 7: {                   /* a small integer */
        uint64_t k = 1 + below(g, 3000);
        int top = 63 - __builtin_clzll(k);

        return sign | (bias + (uint64_t)top) << mbits |
               ((k << (mbits - (unsigned)top)) & fmask);
    }
    case 8:
        return (rnd(g) & (emax << mbits | fmask)) | sign;
    default:
        e = bias - 20 + below(g, 40);
        break;
    }
    if (chance(g, 30))
        f &= ~0ull << below(g, mbits);
    return sign | e << mbits | f;
}

/* Packed BCD: 18 digits (now and then one over 9, or only a few), the
   sign in bit 79 and bits 72-78 ignored (now and then not zero). */
static void rnd_bcd(Gen *g, uint8_t out[10])
{
    unsigned digits = chance(g, 50) ? 18 : below(g, 19);

    for (unsigned i = 0; i < 9; i++) {
        unsigned lo = 2 * i < digits ? below(g, 10) : 0;
        unsigned hi = 2 * i + 1 < digits ? below(g, 10) : 0;

        if (chance(g, 3))
            lo = 10 + below(g, 6);
        out[i] = (uint8_t)(hi << 4 | lo);
    }
    out[9] = (uint8_t)((chance(g, 50) ? 0x80 : 0) |
                       (chance(g, 10) ? rnd(g) & 0x7f : 0));
}

/* The address of a memory operand, if the generator knows it (not
   RIP-relative). */
static int mem_addr(Gen *g, const Insn *in, uint64_t *addr)
{
    const Mem *m = &in->m;

    if (m->base == RIP)
        return 0;
    *addr = (m->base >= 0 ? reg_val(g, m->base) : 0) +
            (m->index >= 0 ? reg_val(g, m->index) << m->scale : 0) +
            (uint64_t)(int64_t)m->disp;
    for (int i = 0; i < in->npfx; i++) {
        if (in->pfx[i] == 0x67)
            *addr = (uint32_t)*addr;
    }
    return 1;
}

/* Writes a value of `kind` into the initial data area at off. */
static void plant(Gen *g, unsigned off, int kind)
{
    uint8_t *d = g->c->data + off;
    uint64_t v;
    unsigned n;

    switch (kind) {
    case XK_F80:
        rnd_x80(g, d);
        return;
    case XK_BCD:
        rnd_bcd(g, d);
        return;
    case XK_F32: v = rnd_ieee(g, 8, 23); n = 4; break;
    case XK_F64: v = rnd_ieee(g, 11, 52); n = 8; break;
    case XK_I16: v = chance(g, 50) ? (uint64_t)(int64_t)((int)below(g, 2001) - 1000) : rnd_value(g); n = 2; break;
    case XK_I32: v = chance(g, 50) ? (uint64_t)(int64_t)((int)below(g, 2001) - 1000) : rnd_value(g); n = 4; break;
    default: v = rnd_value(g); n = 8; break;
    }
    for (unsigned i = 0; i < n; i++)
        d[i] = (uint8_t)(v >> (8 * i));
}

/* Now and then prefixes the x87 ignores: a REX (W too), a 66 (`o16`
   where it changes nothing: not FNSTENV/FLDENV/FNSAVE/FRSTOR). */
static void x87_prefixes(Gen *g, Insn *in, int o16)
{
    if (chance(g, 4)) {
        in->rex = 1;
        in->w = chance(g, 50);
    }
    if (o16 && chance(g, 3))
        prefix(in, 0x66);
}

/* An x87 insn: opcode D8-DF, ModRM.reg ext; a register form takes
   ModRM.rm = rm (ST(i), or the insn within a row), a memory form
   calls x87_mem. */
static Insn x87_insn(Gen *g, unsigned op, unsigned ext, int rm)
{
    Insn in = insn(1, (uint8_t)op, 0);

    in.modrm = 1;
    in.group = 1;
    in.reg = (int)ext;
    in.rm = rm;
    x87_prefixes(g, &in, 1);
    return in;
}

/* A memory operand of `size` bytes; one that lands in the data area
   often gets a value of `kind` planted there. */
static void x87_mem(Gen *g, Insn *in, unsigned size, unsigned how, int kind)
{
    uint64_t a;

    in->rm_mem = 1;
    pick_mem(g, &in->m, size, how);
    mem_prefixes(g, in);
    if (kind != XK_NONE && mem_addr(g, in, &a) && a >= XD_DATA &&
        a + size <= XD_DATA + XD_DATA_SIZE && chance(g, 70))
        plant(g, (unsigned)(a - XD_DATA), kind);
}

/* The same operand `off` bytes further (for fix-ups after a store). */
static Mem mem_plus(Mem m, int32_t off)
{
    m.disp += off;
    if (m.disp_size == 0)
        m.disp_size = 1;
    if (m.disp_size == 1 && (m.disp < -128 || m.disp > 127))
        m.disp_size = 4;
    return m;
}

/* and word [m], imm16 (66 81 /4), or mov word [m], imm16 (66 C7 /0). */
static void word_op(Gen *g, const Mem *m, int mov, uint16_t v)
{
    Insn in = insn(1, mov ? 0xc7 : 0x81, 0);

    prefix(&in, 0x66);
    in.modrm = 1;
    in.group = 1;
    in.reg = mov ? 0 : 4;
    in.rm_mem = 1;
    in.m = *m;
    in.imm = v;
    in.imm_size = 2;
    emit(g, &in);
    if (!mov)
        flags(g, XD_ARITH & ~XD_AF, XD_AF);
}

/* A random control word: any RC and PC (01 is reserved), exceptions
   mostly masked, now and then one or two of IE, DE, ZE and PE unmasked
   (not OE and UE: Mimic lacks their unmasked responses, the biased
   exponent and UE on an exact tiny result, docs/devel/x86.md). */
static uint16_t rnd_fcw(Gen *g)
{
    static const uint8_t unmaskable[] = { 0x01, 0x04, 0x20 };
    unsigned masks = 0x3f, pc = chance(g, 70) ? 3 : below(g, 4);

    if (chance(g, 20)) {
        masks &= ~(unsigned)unmaskable[below(g, 3)];
        if (chance(g, 30))
            masks &= ~(unsigned)unmaskable[below(g, 3)];
    }
    return (uint16_t)(0x40 | below(g, 4) << 10 | pc << 8 | masks);
}

/* FADD FMUL FCOM FCOMP FSUB FSUBR FDIV FDIVR: with m32fp (D8), m64fp
   (DC), m32int (DA) and m16int (DE) operands; ST(0), ST(i) (D8),
   ST(i), ST(0) (DC), the P forms (DE), FCOMPP (DE D9) and the aliases
   FCOM2/FCOMP3/FCOMP5 (DC D0, DC D8, DE D0). */
static void u_x87_arith(Gen *g, int reg)
{
    static const uint8_t mops[] = { 0xd8, 0xdc, 0xda, 0xde };
    static const uint8_t msize[] = { 4, 8, 4, 2 };
    static const uint8_t mkind[] = { XK_F32, XK_F64, XK_I32, XK_I16 };
    static const uint8_t rops[] = { 0xd8, 0xdc, 0xde };
    unsigned o = below(g, reg ? 3 : 4), ext = below(g, 8);
    Insn in;

    if (reg) {
        in = x87_insn(g, rops[o], ext, (int)below(g, 8));
        if (rops[o] == 0xde && ext == 3)
            in.rm = 1;                  /* FCOMPP */
    } else {
        in = x87_insn(g, mops[o], ext, 0);
        x87_mem(g, &in, msize[o], MEM_READ, mkind[o]);
    }
    emit(g, &in);
    if (ext == 2 || ext == 3)
        g->fundef &= ~XF_CC;            /* FCOM: C1 = 0, C0 C2 C3 */
    else
        x87_cc(g, XF_C1, XF_C023);      /* FADD...: C1 round-up */
}

/* FUCOM, FUCOMP (DD E0, E8), FUCOMPP (DA E9); FCOMI, FUCOMI (DB F0,
   E8), FCOMIP, FUCOMIP (DF F0, E8): ZF PF CF, and OF SF AF cleared. */
static void u_x87_ucom(Gen *g, int comi)
{
    Insn in;

    if (comi) {
        in = x87_insn(g, chance(g, 50) ? 0xdb : 0xdf, 5 + below(g, 2),
                      (int)below(g, 8));
        emit(g, &in);
        flags(g, XD_ARITH, 0);
        /* The SDM: C1 = 0 (AMD keeps it), C0 C2 C3 kept. */
        x87_cc(g, XF_C1, 0);
        return;
    }
    if (chance(g, 20))
        in = x87_insn(g, 0xda, 5, 1);
    else
        in = x87_insn(g, 0xdd, 4 + below(g, 2), (int)below(g, 8));
    emit(g, &in);
    g->fundef &= ~XF_CC;
}

/* Loads: FLD m32fp/m64fp/m80fp, FILD m16/m32/m64, FBLD; FLD ST(i) and
   the seven constants. */
static void u_x87_load(Gen *g, int reg)
{
    static const uint8_t op[] = { 0xd9, 0xdd, 0xdb, 0xdf, 0xdb, 0xdf, 0xdf };
    static const uint8_t ext[] = { 0, 0, 5, 0, 0, 5, 4 };
    static const uint8_t size[] = { 4, 8, 10, 2, 4, 8, 10 };
    static const uint8_t kind[] = { XK_F32, XK_F64, XK_F80, XK_I16, XK_I32,
                                    XK_I64, XK_BCD };
    unsigned i = below(g, 7);
    Insn in;

    if (reg) {
        in = chance(g, 50) ? x87_insn(g, 0xd9, 0, (int)below(g, 8))
                           : x87_insn(g, 0xd9, 5, (int)below(g, 7));
    } else {
        in = x87_insn(g, op[i], ext[i], 0);
        x87_mem(g, &in, size[i], MEM_READ, kind[i]);
    }
    emit(g, &in);
    x87_cc(g, XF_C1, XF_C023);          /* FLD: C1 = overflow */
}

/* Stores: FST/FSTP m32fp, m64fp, FSTP m80fp, FIST/FISTP m16/m32,
   FISTP m64, FISTTP m16/m32/m64, FBSTP; FST/FSTP ST(i) and the FSTP
   aliases (D9 D8, DF D0, DF D8). */
static void u_x87_store(Gen *g, int reg)
{
    static const uint8_t op[] = { 0xd9, 0xd9, 0xdd, 0xdd, 0xdb, 0xdf, 0xdf,
                                  0xdb, 0xdb, 0xdf, 0xdf, 0xdb, 0xdd, 0xdf };
    static const uint8_t ext[] = { 2, 3, 2, 3, 7, 2, 3, 2, 3, 7, 1, 1, 1, 6 };
    static const uint8_t size[] = { 4, 4, 8, 8, 10, 2, 2, 4, 4, 8, 2, 4, 8,
                                    10 };
    static const uint8_t rop[] = { 0xdd, 0xdd, 0xd9, 0xdf, 0xdf };
    static const uint8_t rext[] = { 2, 3, 3, 2, 3 };
    unsigned i;
    Insn in;

    if (reg) {
        i = below(g, chance(g, 80) ? 2 : 5);
        in = x87_insn(g, rop[i], rext[i], (int)below(g, 8));
    } else {
        i = below(g, 14);
        in = x87_insn(g, op[i], ext[i], 0);
        x87_mem(g, &in, size[i], 0, XK_NONE);
    }
    emit(g, &in);
    x87_cc(g, XF_C1, XF_C023);          /* FST: C1 round-up */
}

/* The insns on the stack top without operands, FXCH, FFREE(P), FNOP,
   FWAIT, FNCLEX, FNINIT and the 8087/287 leftovers. */
static void u_x87_misc(Gen *g, int arg)
{
    static const struct {
        uint8_t op, ext, rm, set, undef;
    } f[] = {
        /* set/undef: 1 C1, 2 C0 C2 C3, 3 all (the SDM's per insn);
           set 4: all, even when an unmasked exception stops it */
        { 0xd9, 4, 0, 1, 2 },   /* FCHS */
        { 0xd9, 4, 1, 1, 2 },   /* FABS */
        { 0xd9, 4, 4, 4, 0 },   /* FTST: all, even when stopped */
        { 0xd9, 4, 5, 3, 0 },   /* FXAM */
        { 0xd9, 7, 2, 1, 2 },   /* FSQRT */
        { 0xd9, 7, 4, 1, 2 },   /* FRNDINT */
        { 0xd9, 7, 5, 1, 2 },   /* FSCALE */
        { 0xd9, 6, 4, 1, 2 },   /* FXTRACT */
        { 0xd9, 7, 0, 3, 0 },   /* FPREM: C0 C3 C1 = Q2 Q1 Q0, C2 */
        { 0xd9, 6, 5, 3, 0 },   /* FPREM1 */
        { 0xd9, 6, 6, 1, 2 },   /* FDECSTP: C1 = 0 */
        { 0xd9, 6, 7, 1, 2 },   /* FINCSTP */
        { 0xd9, 1, 8, 1, 2 },   /* FXCH ST(i): C1 = 0 */
        { 0xdd, 1, 8, 1, 2 },   /* FXCH4 */
        { 0xdf, 1, 8, 1, 2 },   /* FXCH7 */
        { 0xdd, 0, 8, 0, 3 },   /* FFREE: all undefined */
        { 0xdf, 0, 8, 0, 3 },   /* FFREEP */
        { 0xd9, 2, 0, 0, 3 },   /* FNOP: all undefined */
        { 0x9b, 0, 0, 0, 3 },   /* FWAIT */
        { 0xdb, 4, 0, 0, 3 },   /* FNENI (an FNOP) */
        { 0xdb, 4, 1, 0, 3 },   /* FNDISI */
        { 0xdb, 4, 4, 0, 3 },   /* FNSETPM */
        { 0xdb, 4, 2, 0, 3 },   /* FNCLEX: all undefined */
        { 0xdb, 4, 3, 3, 0 },   /* FNINIT: all 0 */
    };
    static const unsigned bits[4] = { 0, XF_C1, XF_C023, XF_CC };
    unsigned i = below(g, sizeof(f) / sizeof(f[0]));
    Insn in;

    (void)arg;
    if (f[i].op == 0x9b) {
        in = insn(1, 0x9b, 0);
    } else {
        in = x87_insn(g, f[i].op, f[i].ext,
                      f[i].rm == 8 ? (int)below(g, 8) : f[i].rm);
    }
    emit(g, &in);
    if (f[i].op == 0xdb && f[i].rm == 3) {
        g->fcw = 0x37f;
        g->fcw_known = 1;
        g->fundef = 0;
        return;
    }
    if (f[i].set == 4)
        g->fundef &= ~XF_CC;
    else
        x87_cc(g, bits[f[i].set], bits[f[i].undef]);
}

/* FCMOVcc ST(0), ST(i) (DA, DB C0-DF) on defined flags.  The SDM: C1
   is set to 0 on a stack underflow (and not said otherwise), C0 C2 C3
   undefined: all four are taken as undefined. */
static void u_x87_fcmov(Gen *g, int arg)
{
    static const unsigned reads[4] = { XD_CF, XD_ZF, XD_CF | XD_ZF, XD_PF };
    unsigned k = below(g, 4);
    Insn in;

    (void)arg;
    for (int n = 0; n < 4 && !readable(g, reads[k]); n++)
        k = (k + 1) & 3;
    if (!readable(g, reads[k]))
        return;
    in = x87_insn(g, chance(g, 50) ? 0xda : 0xdb, k, (int)below(g, 8));
    emit(g, &in);
    x87_cc(g, 0, XF_CC);
}

/* Control: 0 FLDCW of a value a MOV puts there; 1 FLDCW of whatever
   memory holds; 2 FNSTCW; 3 FNSTSW m16; 4 FNSTSW AX.  FNSTSW stores the
   condition codes, so the bits undefined there are cleared after it
   (an AND), as no insn may read an undefined flag.  The SDM: C0-C3 are
   undefined after each of these. */
static void u_x87_control(Gen *g, int form)
{
    uint16_t und = (uint16_t)(g->fundef & XF_CC);
    Insn in;

    switch (form) {
    case 0: {
        uint16_t v = rnd_fcw(g);

        in = x87_insn(g, 0xd9, 5, 0);
        x87_mem(g, &in, 2, MEM_NOFAULT, XK_NONE);
        if (chance(g, 10))
            v ^= (uint16_t)(rnd(g) & 0xf080);   /* reserved bits */
        word_op(g, &in.m, 1, v);
        emit(g, &in);
        g->fcw = v;
        g->fcw_known = 1;
        break;
    }
    case 1:
        in = x87_insn(g, 0xd9, 5, 0);
        x87_mem(g, &in, 2, MEM_READ, XK_NONE);
        emit(g, &in);
        g->fcw_known = 0;
        break;
    case 2:
    case 3:
        in = x87_insn(g, form == 2 ? 0xd9 : 0xdd, 7, 0);
        x87_mem(g, &in, 2, 0, XK_NONE);
        emit(g, &in);
        if (form == 3 && und)
            word_op(g, &in.m, 0, (uint16_t)~und);
        break;
    default:
        in = x87_insn(g, 0xdf, 4, 0);
        emit(g, &in);
        if (und) {
            Insn a = insn(1, 0x25, 0);  /* and ax, imm16 */

            prefix(&a, 0x66);
            a.imm = (uint16_t)~und;
            a.imm_size = 2;
            emit(g, &a);
            flags(g, XD_ARITH & ~XD_AF, XD_AF);
        }
        break;
    }
    g->fundef |= XF_CC;
}

/*
 * FNSTENV (form 0) or FNSAVE (1), then now and then an insn, then
 * FLDENV or FRSTOR of what was stored.  Between them the stored image
 * loses what may differ for reasons of no interest: the condition
 * codes undefined there (an AND) and FCS and FDS (zeroed: Linux's
 * XRSTOR64 zeroes them when the task is preempted, docs/devel/x86.md).
 */
static void u_x87_env(Gen *g, int save)
{
    uint16_t und = (uint16_t)(g->fundef & XF_CC), fcw = g->fcw;
    int known = g->fcw_known;
    Insn st = x87_insn(g, 0xdd, 6, 0), ld = x87_insn(g, 0xdd, 4, 0);
    Mem m;

    if (!save) {
        st.reg = 6;
        st.op[0] = ld.op[0] = 0xd9;
    }
    /* 66 would select the 16-bit layout. */
    st.npfx = ld.npfx = 0;
    x87_mem(g, &st, save ? 108 : 28, 0, XK_NONE);
    ld.rm_mem = 1;
    ld.m = st.m;
    for (int i = 0; i < st.npfx; i++)
        prefix(&ld, st.pfx[i]);
    emit(g, &st);
    if (save) {
        g->fcw = 0x37f;             /* FNSAVE initializes the FPU */
        g->fcw_known = 1;
        g->fundef = 0;
    } else {
        g->fcw |= 0x3f;             /* FNSTENV masks all exceptions */
        g->fundef |= XF_CC;
    }
    if (und) {
        m = mem_plus(st.m, 4);
        word_op(g, &m, 0, (uint16_t)~und);
    }
    m = mem_plus(st.m, 16);
    word_op(g, &m, 1, 0);
    m = mem_plus(st.m, 24);
    word_op(g, &m, 1, 0);
    if (chance(g, 40))
        u_x87_misc(g, 0);
    emit(g, &ld);
    g->fcw = fcw;
    g->fcw_known = known;
    g->fundef = 0;
}

/*
 * The transcendentals F2XM1, FYL2X, FYL2XP1, FPATAN, FSIN, FCOS,
 * FSINCOS, FPTAN: Mimic's results are within one ulp of this CPU's, not
 * always equal (docs/devel/x86.md), so each result goes straight to a
 * fuzzy slot (FSTP m80fp), which the runner compares within that ulp
 * (and whose C1, the other inexact part, FSTP replaces).  Only when
 * OE, UE and PE are masked: an unmasked one would stop FSTP with the
 * result still on the stack.
 */
static void u_x87_trans(Gen *g, int arg)
{
    static const uint8_t rms[8] = { 0x30, 0x31, 0x32, 0x33, 0x39, 0x3b,
                                    0x3e, 0x3f };  /* D9 F0 + ... */
    unsigned r = rms[below(g, 8)], n = r == 0x32 || r == 0x3b ? 2 : 1;
    Insn in;

    (void)arg;
    if (!g->fcw_known || (g->fcw & 0x38) != 0x38 ||
        g->c->nfuzz + n > XD_MAX_FUZZ)
        return;
    in = x87_insn(g, 0xd9, r >> 3, (int)(r & 7));
    emit(g, &in);
    if (r >= 0x3b || r == 0x32)         /* FSIN...: C2 out of range */
        x87_cc(g, XF_C1 | XF_C2, XF_C0 | XF_C3);
    else
        x87_cc(g, XF_C1, XF_C023);
    for (unsigned i = 0; i < n; i++) {
        Insn s = x87_insn(g, 0xdb, 7, 0);

        s.rm_mem = 1;
        s.m = (Mem){ .base = -1, .index = -1, .disp_size = 4,
                     .disp = (int32_t)(XD_FUZZ + 16 * g->c->nfuzz++) };
        emit(g, &s);
        x87_cc(g, XF_C1, XF_C023);
    }
}

/* The x87 state at the start: any RC and PC, exceptions mostly masked;
   0-8 registers pushed from a random TOP (now and then random tags),
   every register (empty ones too) from rnd_x80; now and then exception
   flags already set, rarely an unmasked one pending (the first waiting
   insn faults); random condition codes.  In a case without x87 units,
   often the state MMX code leaves: TOP 0, all valid, exponents all
   ones. */
static void rnd_x87(Gen *g, XdCase *c)
{
    unsigned top = below(g, 8), n = below(g, 9), exc = 0;
    uint16_t fcw = rnd_fcw(g);

    for (int i = 0; i < 8; i++)
        rnd_x80(g, c->fpr[i]);
    c->ftw = 0;
    for (unsigned i = 0; i < n; i++)
        c->ftw |= (uint8_t)(1u << ((top + i) & 7));
    if (chance(g, 10))
        c->ftw = (uint8_t)rnd(g);
    /* Without X86_DIFF_X87 always: an MMX insn whose memory operand
       faults has already made the stack the MMX registers in Mimic (TOP
       0, all valid), not on the host; not yet fixed (translate-sse.c). */
    if (g->x87_weight == 0 || (g->x87_weight == 1 && chance(g, 50))) {
        fcw = 0x37f;
        top = 0;
        c->ftw = 0xff;
        for (int i = 0; i < 8; i++) {
            uint64_t v = rnd_value(g);

            for (int b = 0; b < 8; b++)
                c->fpr[i][b] = (uint8_t)(v >> (8 * b));
            c->fpr[i][8] = c->fpr[i][9] = 0xff;
        }
    }
    if (chance(g, 25)) {
        exc = (unsigned)rnd(g) & 0x3f;
        if (!chance(g, 10))
            exc &= fcw;                 /* no exception pending */
        if ((exc & 1) && chance(g, 50))
            exc |= 0x40;                /* SF */
    }
    c->fcw = fcw;
    c->fsw = (uint16_t)(exc | top << 11 | ((unsigned)rnd(g) & XF_CC));
    if (exc & ~fcw & 0x3f)
        c->fsw |= 0x8080;               /* ES, B */
    g->fcw = fcw;
    g->fcw_known = 1;
    g->fundef = 0;
}

/* ---- The table ---- */

enum { U_STACK = 1, U_BRANCH = 2, U_X87 = 4 };

typedef struct Unit {
    void (*gen)(Gen *g, int arg);
    int arg;
    unsigned weight;
    unsigned kind;
} Unit;

static const Unit units[] = {
    { u_alu, 0, 12, 0 }, { u_alu, 1, 10, 0 }, { u_alu, 2, 4, 0 },
    { u_alu, 3, 10, 0 },
    { u_test, 0, 3, 0 }, { u_test, 1, 1, 0 }, { u_test, 2, 2, 0 },
    { u_unary, 0, 2, 0 }, { u_unary, 1, 2, 0 }, { u_unary, 2, 2, 0 },
    { u_unary, 3, 2, 0 },
    { u_shift, 0, 3, 0 }, { u_shift, 1, 5, 0 }, { u_shift, 2, 4, 0 },
    { u_muldiv, 4, 2, 0 }, { u_muldiv, 5, 2, 0 }, { u_muldiv, 6, 2, 0 },
    { u_muldiv, 7, 2, 0 },
    { u_imul, 0, 2, 0 }, { u_imul, 1, 1, 0 }, { u_imul, 2, 1, 0 },
    { u_mov, 0, 4, 0 }, { u_mov, 1, 4, 0 }, { u_mov, 2, 2, 0 },
    { u_mov, 3, 3, 0 }, { u_mov, 4, 1, 0 },
    { u_movx, 0, 2, 0 }, { u_movx, 1, 1, 0 }, { u_movx, 2, 2, 0 },
    { u_movx, 3, 1, 0 }, { u_movx, 4, 1, 0 },
    { u_lea, 0, 4, 0 },
    { u_xchg, 0, 2, 0 }, { u_xchg, 1, 1, 0 },
    { u_xadd_cmpxchg, 0, 2, 0 }, { u_xadd_cmpxchg, 1, 3, 0 },
    { u_bt, 0, 2, 0 }, { u_bt, 1, 2, 0 },
    { u_bitscan, 0, 2, 0 }, { u_bitscan, 1, 2, 0 }, { u_bitscan, 2, 1, 0 },
    { u_setcc_cmov, 0, 3, 0 }, { u_setcc_cmov, 1, 4, 0 },
    { u_cwd, 0x98, 1, 0 }, { u_cwd, 0x99, 1, 0 },
    { u_flagop, 0xf8, 1, 0 }, { u_flagop, 0xf9, 1, 0 },
    { u_flagop, 0xf5, 1, 0 }, { u_flagop, 0xfc, 1, 0 },
    { u_flagop, 0xfd, 1, 0 }, { u_flagop, 0x9f, 1, 0 },
    { u_flagop, 0x9e, 1, 0 },
    { u_string, 0xa4, 2, 0 }, { u_string, 0xa6, 2, 0 },
    { u_string, 0xaa, 2, 0 }, { u_string, 0xac, 1, 0 },
    { u_string, 0xae, 2, 0 },
    { u_xlat, 0, 1, 0 },
    { u_nop, 0, 1, 0 }, { u_nop, 1, 1, 0 }, { u_nop, 2, 1, 0 },
    { u_pushpop, 0, 2, U_STACK }, { u_pushpop, 1, 1, U_STACK },
    { u_pushpop, 2, 1, U_STACK }, { u_pushpop, 3, 2, U_STACK },
    { u_pushpop, 4, 1, U_STACK },
    { u_pushf_popf, 0, 1, U_STACK }, { u_pushf_popf, 1, 2, U_STACK },
    { u_call_leave, 0, 1, U_STACK }, { u_call_leave, 1, 1, U_STACK },
    { u_branch, 0, 4, U_BRANCH }, { u_branch, 1, 1, U_BRANCH },
    { u_branch, 2, 2, U_BRANCH },
    { u_xmm, 0, 24, 0 }, { u_xmm_gpr, 0, 4, 0 }, { u_crc32, 0, 3, 0 },
    { u_mxcsr, 0, 2, U_STACK }, { u_mxcsr, 1, 1, 0 },
    { u_pmovmskb, 0, 1, 0 },
    { u_mmx, 0, 12, 0 }, { u_mmx_shift, 0, 2, 0 },
    { u_mmx_move, 0, 1, 0 }, { u_mmx_move, 1, 1, 0 },
    { u_mmx_move, 2, 1, 0 }, { u_mmx_move, 3, 1, 0 },
    { u_mmx_move, 4, 1, 0 }, { u_mmx_move, 5, 1, 0 },
    { u_mmx_move, 6, 1, 0 }, { u_mmx_move, 7, 1, 0 },
    { u_mmx_move, 8, 1, 0 }, { u_mmx_move, 9, 1, 0 },
    { u_mmx_move, 10, 1, 0 }, { u_mmx_move, 11, 1, 0 },
    { u_mmx_move, 12, 1, 0 },
    { u_x87_arith, 0, 4, U_X87 }, { u_x87_arith, 1, 4, U_X87 },
    { u_x87_ucom, 0, 1, U_X87 }, { u_x87_ucom, 1, 2, U_X87 },
    { u_x87_load, 0, 4, U_X87 }, { u_x87_load, 1, 3, U_X87 },
    { u_x87_store, 0, 4, U_X87 }, { u_x87_store, 1, 2, U_X87 },
    { u_x87_misc, 0, 6, U_X87 }, { u_x87_fcmov, 0, 1, U_X87 },
    { u_x87_control, 0, 1, U_X87 }, { u_x87_control, 1, 1, U_X87 },
    { u_x87_control, 2, 1, U_X87 }, { u_x87_control, 3, 1, U_X87 },
    { u_x87_control, 4, 1, U_X87 },
    { u_x87_env, 0, 1, U_X87 }, { u_x87_env, 1, 1, U_X87 },
    { u_x87_trans, 0, 3, U_X87 },
};

#define NUNITS (sizeof(units) / sizeof(units[0]))

/* A unit's weight in this case: x87 cases weigh the x87 units more. */
static unsigned unit_weight(const Gen *g, const Unit *u)
{
    return u->kind & U_X87 ? u->weight * g->x87_weight : u->weight;
}

static void gen_unit(Gen *g)
{
    unsigned total = 0, r;
    const Unit *u;

    for (unsigned i = 0; i < NUNITS; i++)
        total += unit_weight(g, &units[i]);
    do {
        r = below(g, total);
        u = units;
        while (r >= unit_weight(g, u))
            r -= unit_weight(g, u++);
    } while (g->in_skip && (u->kind & (U_STACK | U_BRANCH)));
    u->gen(g, u->arg);
}

/* ---- Cases ---- */

/* An XMM register's initial value: integers, float or double lanes with
   the edge cases overrepresented, or a short string (for PCMPxSTRx). */
static void rnd_xmm(Gen *g, uint64_t x[2])
{
    static const uint32_t f32[] = {
        0, 0x80000000, 0x3f800000, 0xbf800000, 0x7f800000, 0xff800000,
        0x7fc00000, 0xffc00000, 0x7f800001, 0x00000001, 0x807fffff,
        0x00800000, 0x7f7fffff, 0x3fc00000, 0x4b000000, 0xcb3fffff,
    };
    static const uint64_t f64[] = {
        0, 0x8000000000000000, 0x3ff0000000000000, 0x7ff0000000000000,
        0xfff8000000000000, 0x7ff0000000000001, 0x0000000000000001,
        0x0010000000000000, 0x7fefffffffffffff, 0x3ff8000000000000,
        0x4330000000000000, 0xc32ffffffffffffe,
    };

    for (int h = 0; h < 2; h++) {
        switch (below(g, 5)) {
        case 0:
            x[h] = rnd_value(g);
            break;
        case 1:
            x[h] = 0;
            for (int l = 0; l < 2; l++) {
                uint32_t v = chance(g, 50) ? f32[below(g, 16)]
                             : 0x3e000000u + (uint32_t)(rnd(g) & 0x1ffffff);
                x[h] |= (uint64_t)v << (32 * l);
            }
            break;
        case 2:
            x[h] = chance(g, 50) ? f64[below(g, 12)]
                   : 0x3fc0000000000000ull | (rnd(g) & 0x3fffffffffffffull);
            break;
        case 3:
            x[h] = 0;
            for (int b = 0; b < 8; b++)
                x[h] |= (uint64_t)(chance(g, 10) ? 0 : 'a' + below(g, 4))
                        << (8 * b);
            break;
        default:
            x[h] = rnd(g);
        }
    }
}

/* MXCSR: half the time the default (where SSE arithmetic runs inline),
   else any rounding, DAZ and FTZ; now and then a flag already set or an
   exception unmasked (not UE: docs/devel/x86.md's known gap). */
static uint32_t rnd_mxcsr(Gen *g)
{
    static const uint32_t unmaskable[] = { 0x80, 0x100, 0x200, 0x400,
                                           0x1000 };
    uint32_t m = 0x1f80 | (uint32_t)below(g, 4) << 13;

    if (chance(g, 50))
        return 0x1f80 | (chance(g, 30) ? (uint32_t)rnd(g) & 0x3f : 0);

    if (chance(g, 25))
        m |= 0x40;
    if (chance(g, 25))
        m |= 0x8000;
    if (chance(g, 10))
        m |= (uint32_t)rnd(g) & 0x3f;
    if (chance(g, 10))
        m &= ~unmaskable[below(g, 5)];
    return m;
}

void xd_generate(XdCase *c, uint64_t seed, uint64_t index)
{
    static const uint8_t reservable[] = { RBX, RBP, 8, 9, 10, 11, 12, 13,
                                          14, 15 };
    Gen g = { .rng = seed * 0x2545f4914f6cdd1dull ^ index, .c = c };
    unsigned n;

    rnd(&g);
    c->code_len = 0;
    c->ninsns = 0;
    for (int i = 0; i < 16; i++)
        c->regs[i] = rnd_value(&g);
    g.base = reservable[below(&g, 10)];
    do {
        g.index = reservable[below(&g, 10)];
    } while (g.index == g.base);
    g.base_val = XD_DATA + 0x400 + below(&g, 0x800);
    g.index_val = below(&g, 64);
    c->regs[g.base] = g.base_val;
    c->regs[g.index] = g.index_val;
    c->regs[RSP] = XD_STACK_TOP;
    c->rflags = rnd(&g) & XD_ARITH;
    for (int i = 0; i < 16; i++)
        rnd_xmm(&g, c->xmm[i]);
    c->mxcsr = rnd_mxcsr(&g);
    /* A third of the cases are mostly x87: about half their units. */
    g.x87_weight = chance(&g, 33) ? 12 : 1;
    if (!xd_x87)
        g.x87_weight = 0;
    c->nfuzz = 0;
    rnd_x87(&g, c);
    if (chance(&g, 25))
        c->rflags |= XD_DF;
    for (unsigned i = 0; i < XD_DATA_SIZE; i += 8) {
        uint64_t v = rnd_value(&g), x[2];

        if (chance(&g, 30)) {       /* floats, doubles, strings */
            rnd_xmm(&g, x);
            v = x[0];
        }

        for (int b = 0; b < 8; b++)
            c->data[i + b] = (uint8_t)(v >> (8 * b));
    }
    n = 1 + below(&g, 20);
    for (unsigned i = 0; i < n; i++) {
        if (c->code_len > XD_MAX_CODE - 256 || c->ninsns > XD_MAX_INSNS - 32)
            break;
        gen_unit(&g);
    }
    begin(&g);              /* the final ud2 */
    byte(&g, 0x0f);
    byte(&g, 0x0b);
    c->final_undef = g.undef;
    c->final_fundef = g.fundef;
}

unsigned xd_fundef_at(const XdCase *c, uint64_t rip)
{
    for (unsigned i = 0; i < c->ninsns; i++) {
        if (XD_CODE + c->insn_off[i] == rip)
            return c->insn_fundef[i];
    }
    return 0;
}

unsigned xd_undef_at(const XdCase *c, uint64_t rip)
{
    for (unsigned i = 0; i < c->ninsns; i++) {
        if (XD_CODE + c->insn_off[i] == rip)
            return c->insn_undef[i];
    }
    return 0;
}
