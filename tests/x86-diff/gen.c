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
 * end; the SSE and MMX units are in gen-simd.c, the x87 ones in
 * gen-x87.c (gen-internal.h is what the three share).  Forms the translator lacks today (RCL/RCR, SHLD/SHRD, ENTER,
 * CMPXCHG8B/16B) are not generated; TZCNT/LZCNT are not either, since
 * this host's CPU has BMI1/ABM and Mimic's CPUID has not (they run as
 * BSF/BSR there, which is right, but differs from the host).
 */
#include <stddef.h>

#include "gen-internal.h"

int xd_x87 = 1;

/* ---- Randomness (splitmix64: tiny and good enough) ---- */

uint64_t rnd(Gen *g)
{
    uint64_t z = (g->rng += 0x9e3779b97f4a7c15ull);

    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

unsigned below(Gen *g, unsigned n)
{
    return (unsigned)(rnd(g) % n);
}

int chance(Gen *g, unsigned percent)
{
    return below(g, 100) < percent;
}

/* A value with the edge cases an ALU cares about overrepresented. */
uint64_t rnd_value(Gen *g)
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

void flags(Gen *g, unsigned def, unsigned undef)
{
    g->undef = (uint16_t)((g->undef & ~def) | undef);
}

int readable(Gen *g, unsigned mask)
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

void byte(Gen *g, uint8_t b)
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
    c->insn_fundef[c->ninsns] = g->fundef;
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
void emit(Gen *g, Insn *in)
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

void prefix(Insn *in, uint8_t p)
{
    in->pfx[in->npfx++] = p;
}

Insn insn(int oplen, uint8_t op0, uint8_t op1)
{
    Insn in = { .oplen = oplen, .op = { op0, op1 }, .opreg = -1 };

    return in;
}

/* ---- Operands ---- */

int writable(Gen *g, int r)
{
    return r != RSP && r != g->base && r != g->index;
}

int pick_dst(Gen *g)
{
    int r;

    do {
        r = (int)below(g, 16);
    } while (!writable(g, r));
    return r;
}

int pick_src(Gen *g)
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
unsigned pick_size(Gen *g, Insn *in)
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

uint64_t reg_val(Gen *g, int r)
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
void pick_mem(Gen *g, Mem *m, unsigned size, unsigned how)
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
void mem_prefixes(Gen *g, Insn *in)
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
void pick_rm(Gen *g, Insn *in, unsigned bits, int written, unsigned how,
             unsigned mem_pct)
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
void set_reg32(Gen *g, int r, uint32_t v)
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

int can_push(Gen *g, int n)
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
    /* The skipped units may run or not (their effects are merged
       below), so a rel8 jump whose units grew past 127 bytes lands on
       the last unit boundary it reaches: the units after it run. */
    unsigned target = at;
    g->in_skip = 1;
    for (unsigned i = 0; i < k && c->code_len - at < 60; i++) {
        gen_unit(g);
        if (rel32 || c->code_len - at <= 127)
            target = c->code_len;
    }
    g->in_skip = 0;
    for (int i = 0; i < in.imm_size; i++)
        c->code[at - (unsigned)in.imm_size + (unsigned)i] =
            (uint8_t)((target - at) >> (8 * i));
    g->undef |= undef_before;
    g->fundef |= fundef_before;
    if (!known_before || g->fcw != fcw_before)
        g->fcw_known = 0;
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
    { u_pmovmskb, 0, 1, 0 },
    { u_mxcsr, 0, 2, U_STACK }, { u_mxcsr, 1, 1, 0 },
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
uint32_t rnd_mxcsr(Gen *g)
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
