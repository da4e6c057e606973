/*
 * The x87 units of the differential test's generator (gen.c has the
 * rest): loads and stores of every width, the arithmetic and compares in
 * every form, the operations on ST(0), control and environment insns,
 * and the transcendentals through the fuzzy slots; and the random x87
 * state every case starts with.  Each unit also keeps the generator's
 * view of the status word's condition codes the SDM leaves undefined
 * (Gen.fundef) and of the control word (Gen.fcw), which decides whether
 * an insn may stop on an unmasked exception.
 */
#include "gen-internal.h"

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
   mostly masked, now and then one or two unmasked. */
static uint16_t rnd_fcw(Gen *g)
{
    static const uint8_t unmaskable[] = { 0x01, 0x02, 0x04, 0x08, 0x10,
                                          0x20 };
    const unsigned n = sizeof(unmaskable);
    unsigned masks = 0x3f, pc = chance(g, 70) ? 3 : below(g, 4);

    if (chance(g, 20)) {
        masks &= ~(unsigned)unmaskable[below(g, n)];
        if (chance(g, 30))
            masks &= ~(unsigned)unmaskable[below(g, n)];
    }
    return (uint16_t)(0x40 | below(g, 4) << 10 | pc << 8 | masks);
}

/* FADD FMUL FCOM FCOMP FSUB FSUBR FDIV FDIVR: with m32fp (D8), m64fp
   (DC), m32int (DA) and m16int (DE) operands; ST(0), ST(i) (D8),
   ST(i), ST(0) (DC), the P forms (DE), FCOMPP (DE D9) and the aliases
   FCOM2/FCOMP3/FCOMP5 (DC D0, DC D8, DE D0). */
void u_x87_arith(Gen *g, int reg)
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
void u_x87_ucom(Gen *g, int comi)
{
    Insn in;

    if (comi) {
        in = x87_insn(g, chance(g, 50) ? 0xdb : 0xdf, 5 + below(g, 2),
                      (int)below(g, 8));
        emit(g, &in);
        flags(g, XD_ARITH, 0);
        /* The SDM: C1 = 0; AMD keeps it (as defined as it was, then),
           C0 C2 C3 kept. */
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
void u_x87_load(Gen *g, int reg)
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
void u_x87_store(Gen *g, int reg)
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
void u_x87_misc(Gen *g, int arg)
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
void u_x87_fcmov(Gen *g, int arg)
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
void u_x87_control(Gen *g, int form)
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
 * FLDENV or FRSTOR of what was stored, in the 32-bit layouts or, with
 * a 66 prefix, the 16-bit ones.  Between them the stored image
 * loses what may differ for reasons of no interest: the condition
 * codes undefined there (an AND) and the pointers, FIP, FCS, FOP, FDP
 * and FDS (zeroed: Linux's XRSTOR64 zeroes the selectors when the task
 * is preempted, and under heavy load the native run's image differed
 * from a quiet run's there too, docs/devel/x86.md; the final state's
 * ptr= still compares FOP:FIP:FDP when ES is set).
 */
void u_x87_env(Gen *g, int save)
{
    uint16_t und = (uint16_t)(g->fundef & XF_CC), fcw = g->fcw;
    int known = g->fcw_known;
    Insn st = x87_insn(g, 0xdd, 6, 0), ld = x87_insn(g, 0xdd, 4, 0);
    /* A 66 prefix selects the 16-bit layout: 14-byte environment. */
    int o16 = chance(g, 30), env = o16 ? 14 : 28, w = o16 ? 2 : 4;
    Mem m;

    if (!save) {
        st.reg = 6;
        st.op[0] = ld.op[0] = 0xd9;
    }
    st.npfx = ld.npfx = 0;
    if (o16) {
        prefix(&st, 0x66);
        st.w = ld.w = 0;            /* REX.W would choose 32 bits again */
    }
    x87_mem(g, &st, save ? env + 80 : env, 0, XK_NONE);
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
        m = mem_plus(st.m, w);
        word_op(g, &m, 0, (uint16_t)~und);
    }
    for (int off = 3 * w; off < env; off += 2) {
        m = mem_plus(st.m, off);
        word_op(g, &m, 1, 0);
    }
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
 * (and whose C1, the other inexact part, FSTP replaces); the registers
 * FSTP freed are overwritten then, as they hold the results too.  Only
 * when OE, UE and PE are masked: an unmasked one would stop FSTP with
 * the result still on the stack.
 */
void u_x87_trans(Gen *g, int arg)
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
    /* The registers FSTP freed still hold the results, which the state
       compares: FLDZ over each, then FSTP ST(0) to free it again. */
    for (unsigned i = 0; i < 2 * n; i++) {
        Insn z = i < n ? x87_insn(g, 0xd9, 5, 6) : x87_insn(g, 0xdd, 3, 0);

        emit(g, &z);
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
void rnd_x87(Gen *g, XdCase *c)
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
    if (g->x87_weight <= 1 && chance(g, 50)) {
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
