/*
 * The x86-64 instruction decoder (decode.h): prefixes, REX, the opcode
 * maps, ModRM, SIB, displacement and immediates, walking the tables of
 * insn-table.c.  Every byte is read through fetch(), which answers MORE at
 * the end of the caller's bytes and GP past the 15-byte limit, so no byte
 * string reads out of bounds.  What the instruction needs (ModRM,
 * immediates, a memory or register operand) comes from its operand forms
 * in the table, so the table is the only list of encodings.
 */
#include <stdio.h>
#include <string.h>

#include "target/x86/decode.h"

typedef struct Decoder {
    const uint8_t *buf;
    size_t avail;
    size_t pos;
    X86Insn *insn;
} Decoder;

/* Reads the next byte; a limit hit sets *res and answers false. */
static bool fetch(Decoder *d, uint8_t *byte, X86DecodeResult *res)
{
    if (d->pos >= X86_MAX_INSN_LEN) {
        *res = X86_DECODE_GP;
        return false;
    }
    if (d->pos >= d->avail) {
        d->insn->len = (uint8_t)(d->pos + 1);
        *res = X86_DECODE_MORE;
        return false;
    }
    *byte = d->buf[d->pos++];
    return true;
}

/* Reads a little-endian value of n bytes (1, 2, 4 or 8). */
static bool fetch_le(Decoder *d, int n, uint64_t *val, X86DecodeResult *res)
{
    uint64_t v = 0;

    for (int i = 0; i < n; i++) {
        uint8_t b;
        if (!fetch(d, &b, res))
            return false;
        v |= (uint64_t)b << (8 * i);
    }
    *val = v;
    return true;
}

static int64_t sext(uint64_t v, int bytes)
{
    int shift = 64 - 8 * bytes;

    return bytes >= 8 ? (int64_t)v : (int64_t)(v << shift) >> shift;
}

static X86DecodeResult ud(X86Insn *insn, X86UdReason why)
{
    insn->ud = (uint8_t)why;
    return X86_DECODE_UD;
}

/* Legacy prefixes and REX, up to the first opcode byte (in *op). */
static bool decode_prefixes(Decoder *d, uint8_t *op, X86DecodeResult *res)
{
    X86Insn *insn = d->insn;

    for (;;) {
        uint8_t b;
        if (!fetch(d, &b, res))
            return false;
        switch (b) {
        case 0x66: insn->prefixes |= X86_PFX_OPSIZE; break;
        case 0x67: insn->prefixes |= X86_PFX_ADDRSIZE; break;
        case 0xf0: insn->prefixes |= X86_PFX_LOCK; break;
        case 0xf2: insn->prefixes |= X86_PFX_REPNZ; insn->rep = b; break;
        case 0xf3: insn->prefixes |= X86_PFX_REPZ; insn->rep = b; break;
        case 0x26: insn->seg = X86_SEG_ES; break;
        case 0x2e: insn->seg = X86_SEG_CS; break;
        case 0x36: insn->seg = X86_SEG_SS; break;
        case 0x3e: insn->seg = X86_SEG_DS; break;
        case 0x64: insn->seg = X86_SEG_FS; break;
        case 0x65: insn->seg = X86_SEG_GS; break;
        default:
            if ((b & 0xf0) == 0x40) {
                /* A REX counts only right before the opcode: a legacy
                   prefix or another REX after it makes the CPU ignore it. */
                insn->has_rex = true;
                insn->rex = b & 0xf;
                continue;
            }
            *op = b;
            return true;
        }
        if (insn->seg != X86_SEG_NONE)
            insn->prefixes |= X86_PFX_SEG;
        insn->has_rex = false;
        insn->rex = 0;
    }
}

/* ModRM's memory operand: SIB and displacement (64-bit mode, address size
   64 or, with 67, 32; the forms are the same). */
static bool decode_modrm_mem(Decoder *d, X86DecodeResult *res)
{
    X86Insn *insn = d->insn;
    int rm = insn->modrm & 7;
    int disp_size = insn->mod == 1 ? 1 : insn->mod == 2 ? 4 : 0;
    uint64_t disp;

    insn->is_mem = true;
    insn->base = X86_NOREG;
    insn->index = X86_NOREG;
    if (rm == 4) {
        uint8_t sib;
        if (!fetch(d, &sib, res))
            return false;
        insn->has_sib = true;
        insn->sib = sib;
        insn->scale = sib >> 6;
        int index = ((sib >> 3) & 7) | (insn->rex & X86_REX_X ? 8 : 0);
        if (index != 4)          /* 4 without REX.X: no index (r12 is one) */
            insn->index = (int8_t)index;
        if ((sib & 7) == 5 && insn->mod == 0)
            disp_size = 4;       /* no base: disp32 */
        else
            insn->base = (int8_t)((sib & 7) | (insn->rex & X86_REX_B ? 8 : 0));
    } else if (rm == 5 && insn->mod == 0) {
        insn->base = X86_RIP;
        disp_size = 4;
    } else {
        insn->base = (int8_t)(rm | (insn->rex & X86_REX_B ? 8 : 0));
    }
    if (disp_size) {
        if (!fetch_le(d, disp_size, &disp, res))
            return false;
        insn->disp = sext(disp, disp_size);
        insn->disp_size = (uint8_t)disp_size;
    }
    return true;
}

static bool fetch_modrm(Decoder *d, X86DecodeResult *res)
{
    X86Insn *insn = d->insn;
    uint8_t m;

    if (insn->has_modrm)
        return true;
    if (!fetch(d, &m, res))
        return false;
    insn->has_modrm = true;
    insn->modrm = m;
    insn->mod = m >> 6;
    insn->reg = ((m >> 3) & 7) | (insn->rex & X86_REX_R ? 8 : 0);
    insn->rm = (m & 7) | (insn->rex & X86_REX_B ? 8 : 0);
    return true;
}

/* Column of an X86_E_PREFIX table: the last of F2/F3 wins over 66. */
static int prefix_column(const X86Insn *insn)
{
    if (insn->rep == 0xf3)
        return 2;
    if (insn->rep == 0xf2)
        return 3;
    return insn->prefixes & X86_PFX_OPSIZE ? 1 : 0;
}

/* An entry with nothing in it (not even a reason to be #UD). */
static bool is_empty(const X86InsnInfo *e)
{
    return e->kind == X86_E_INSN && !e->name && !e->flags;
}

/* Follows groups, prefix tables and mod/rm splits to the instruction. */
static const X86InsnInfo *walk(Decoder *d, const X86InsnInfo *e,
                               X86DecodeResult *res)
{
    static const uint8_t column_prefix[4] = { 0, 0x66, 0xf3, 0xf2 };
    X86Insn *insn = d->insn;

    for (;;) {
        int col;
        switch (e->kind) {
        case X86_E_INSN:
            return e;
        case X86_E_PREFIX:
            col = prefix_column(insn);
            /* A prefix that selects nothing here is an ignored REP or
               operand-size prefix, as on the CPU (F3 0F 58 is ADDSS but
               F3 0F FD is PADDW). */
            if (col >= 2 && is_empty(&e->sub[col]))
                col = insn->prefixes & X86_PFX_OPSIZE ? 1 : 0;
            if (col == 1 && is_empty(&e->sub[col]))
                col = 0;
            if (!(e->sub[col].flags & X86_F_OSZ66))
                insn->mandatory = column_prefix[col];
            e = &e->sub[col];
            break;
        case X86_E_GROUP:
            if (!fetch_modrm(d, res))
                return NULL;
            e = &e->sub[(insn->modrm >> 3) & 7];
            break;
        case X86_E_MOD:
            if (!fetch_modrm(d, res))
                return NULL;
            e = &e->sub[insn->mod == 3];
            break;
        case X86_E_RM:
            if (!fetch_modrm(d, res))
                return NULL;
            e = &e->sub[insn->modrm & 7];
            break;
        default:            /* not a kind: a table mistake */
            insn->ud = X86_UD_OPCODE;
            *res = X86_DECODE_UD;
            return NULL;
        }
    }
}

static bool op_uses_modrm(uint8_t kind)
{
    switch (kind) {
    case X86_OPK_E: case X86_OPK_G: case X86_OPK_M: case X86_OPK_R:
    case X86_OPK_S: case X86_OPK_C: case X86_OPK_D: case X86_OPK_V:
    case X86_OPK_W: case X86_OPK_U: case X86_OPK_P: case X86_OPK_Q:
    case X86_OPK_N: case X86_OPK_STI:
        return true;
    }
    return false;
}

/* Bytes of an immediate operand's encoding. */
static int imm_bytes(const X86Insn *insn, const X86OpSpec *op)
{
    if (op->kind == X86_OPK_O)
        return insn->addrsize / 8;
    switch (op->size) {
    case X86_SZ_B: case X86_SZ_BS: return 1;
    case X86_SZ_W: return 2;
    case X86_SZ_D: return 4;
    case X86_SZ_Q: return 8;
    case X86_SZ_V: return insn->opsize / 8;
    default:       return insn->opsize == 16 ? 2 : 4;   /* Z */
    }
}

static void set_sizes(X86Insn *insn, const X86InsnInfo *e)
{
    bool osz = (insn->prefixes & X86_PFX_OPSIZE) && insn->mandatory != 0x66;

    insn->addrsize = insn->prefixes & X86_PFX_ADDRSIZE ? 32 : 64;
    if (e->flags & X86_F_F64)
        insn->opsize = 64;
    else if (insn->rex & X86_REX_W)
        insn->opsize = 64;
    else if (osz)
        insn->opsize = 16;
    else
        insn->opsize = e->flags & X86_F_DEF64 ? 64 : 32;
}

/* ModRM operand, then the immediates, as the operand forms say. */
static X86DecodeResult decode_operands(Decoder *d, const X86InsnInfo *e)
{
    X86Insn *insn = d->insn;
    X86DecodeResult res = X86_DECODE_OK;
    bool modrm = false;
    uint64_t v;

    for (int i = 0; i < 4; i++)
        modrm |= op_uses_modrm(e->op[i].kind);
    if (modrm) {
        if (!fetch_modrm(d, &res))
            return res;
        if (insn->mod != 3 && !(e->flags & X86_F_MODREG)) {
            if (!decode_modrm_mem(d, &res))
                return res;
        }
    }
    for (int i = 0; i < 4; i++) {
        const X86OpSpec *op = &e->op[i];
        int n;
        if (op->kind != X86_OPK_I && op->kind != X86_OPK_J &&
            op->kind != X86_OPK_O)
            continue;
        n = imm_bytes(insn, op);
        if (!fetch_le(d, n, &v, &res))
            return res;
        if (op->kind == X86_OPK_O) {
            insn->is_mem = true;
            insn->base = insn->index = X86_NOREG;
            insn->disp = (int64_t)v;
            insn->disp_size = (uint8_t)n;
            continue;
        }
        if (op->kind == X86_OPK_J || op->size == X86_SZ_BS ||
            op->size == X86_SZ_Z)
            v = (uint64_t)sext(v, n);
        if (insn->imm_size == 0) {
            insn->imm = v;
            insn->imm_size = (uint8_t)n;
        } else {
            insn->imm2 = v;
            insn->imm2_size = (uint8_t)n;
        }
    }
    return res;
}

/* #UD checks that need the operands: memory-only or register-only
   operands, and LOCK. */
static X86UdReason check_operands(const X86Insn *insn, const X86InsnInfo *e)
{
    for (int i = 0; i < 4; i++) {
        uint8_t k = e->op[i].kind;
        if (k == X86_OPK_M && insn->mod == 3)
            return X86_UD_MOD;
        if ((k == X86_OPK_R || k == X86_OPK_U || k == X86_OPK_N) &&
            insn->mod != 3 && !(e->flags & X86_F_MODREG))
            return X86_UD_MOD;
        /* Six segment registers; and MOV cannot load CS. */
        if (k == X86_OPK_S &&
            (((insn->modrm >> 3) & 7) > X86_SEG_GS ||
             (i == 0 && ((insn->modrm >> 3) & 7) == X86_SEG_CS)))
            return X86_UD_OPCODE;
    }
    /* LOCK needs an instruction that allows it and a memory destination. */
    if ((insn->prefixes & X86_PFX_LOCK) &&
        (!(e->flags & X86_F_LOCK) || !insn->is_mem))
        return X86_UD_LOCK;
    return X86_UD_NONE;
}

static X86UdReason deliberate_ud(const X86InsnInfo *e)
{
    if (e->flags & X86_F_UD_VEX)
        return X86_UD_VEX;
    if (e->flags & X86_F_UD_XOP)
        return X86_UD_XOP;
    if (e->flags & X86_F_UD_3DNOW)
        return X86_UD_3DNOW;
    if (e->flags & X86_F_UD_VENDOR)
        return X86_UD_VENDOR;
    if (e->flags & X86_F_NO64)
        return X86_UD_NO64;
    return e->name ? X86_UD_NONE : X86_UD_OPCODE;
}

X86DecodeResult x86_decode(X86Mode mode, const uint8_t *buf, size_t avail,
                           X86Insn *insn)
{
    Decoder d = { buf, avail, 0, insn };
    X86DecodeResult res = X86_DECODE_OK;
    const X86InsnInfo *table = x86_table_one, *e;
    X86UdReason why;
    uint8_t op;

    memset(insn, 0, sizeof(*insn));
    insn->seg = X86_SEG_NONE;
    insn->base = insn->index = X86_NOREG;
    if (mode != X86_MODE_64)
        return X86_DECODE_BAD_MODE;
    if (!decode_prefixes(&d, &op, &res))
        return res;
    insn->map = X86_MAP_ONE;
    if (op == 0x0f) {
        if (!fetch(&d, &op, &res))
            return res;
        insn->map = X86_MAP_0F;
        table = x86_table_0f;
        if (op == 0x38 || op == 0x3a) {
            insn->map = op == 0x38 ? X86_MAP_0F38 : X86_MAP_0F3A;
            table = op == 0x38 ? x86_table_0f38 : x86_table_0f3a;
            if (!fetch(&d, &op, &res))
                return res;
        }
    }
    insn->opcode = op;
    e = walk(&d, &table[op], &res);
    if (!e)
        return res;
    why = deliberate_ud(e);
    if (why != X86_UD_NONE)
        return ud(insn, why);
    set_sizes(insn, e);
    res = decode_operands(&d, e);
    if (res != X86_DECODE_OK)
        return res;
    why = check_operands(insn, e);
    if (why != X86_UD_NONE)
        return ud(insn, why);
    insn->len = (uint8_t)d.pos;
    insn->info = e;
    return X86_DECODE_OK;
}

static const char *const kind_letter[] = {
    [X86_OPK_E] = "E", [X86_OPK_G] = "G", [X86_OPK_M] = "M",
    [X86_OPK_R] = "R", [X86_OPK_S] = "S", [X86_OPK_C] = "C",
    [X86_OPK_D] = "D", [X86_OPK_V] = "V", [X86_OPK_W] = "W",
    [X86_OPK_U] = "U", [X86_OPK_P] = "P", [X86_OPK_Q] = "Q",
    [X86_OPK_N] = "N", [X86_OPK_STI] = "ST(i)", [X86_OPK_I] = "I",
    [X86_OPK_J] = "J", [X86_OPK_O] = "O", [X86_OPK_Z] = "Z",
    [X86_OPK_REG] = "r", [X86_OPK_SEGREG] = "sreg", [X86_OPK_ST0] = "ST0",
    [X86_OPK_XMM0] = "XMM0", [X86_OPK_ONE] = "1",
};
static const char *const size_letter[] = {
    [X86_SZ_NONE] = "", [X86_SZ_B] = "b", [X86_SZ_BS] = "bs",
    [X86_SZ_W] = "w", [X86_SZ_D] = "d", [X86_SZ_Q] = "q",
    [X86_SZ_V] = "v", [X86_SZ_Z] = "z", [X86_SZ_Y] = "y",
    [X86_SZ_X] = "x", [X86_SZ_P] = "p", [X86_SZ_S] = "s",
    [X86_SZ_F32] = "f32", [X86_SZ_F64] = "f64", [X86_SZ_F80] = "f80",
};

void x86_format_insn(const X86Insn *insn, char *buf, size_t size)
{
    size_t n;

    if (!insn->info || !size) {
        if (size)
            snprintf(buf, size, "(invalid)");
        return;
    }
    n = (size_t)snprintf(buf, size, "%s", insn->info->name);
    for (int i = 0; i < 4 && n < size; i++) {
        const X86OpSpec *op = &insn->info->op[i];
        if (op->kind == X86_OPK_NONE)
            break;
        n += (size_t)snprintf(buf + n, size - n, "%s%s%s", i ? "," : " ",
                              kind_letter[op->kind], size_letter[op->size]);
    }
}
