/*
 * aarch64 backend, part 1: the host register description the allocator
 * uses, constraint letters, immediate encodings (logical bitmasks, move
 * wide sequences, add/sub immediates) and the basic moves, loads,
 * stores, calls, compares and branches that the other parts (ops.c,
 * ldst.c, prologue.c, fp.c) are built from.
 *
 * Register use (AAPCS64): x19 holds env for the whole TB and x29 a
 * second base for env's far fields; x28 holds guest_base in user mode;
 * sp addresses the fixed frame (slow-path register save area, then spill
 * slots); x16, x17 and x30 are backend scratch; x18 (the platform
 * register) is left alone.  x20..x27 are the homes of pinned globals;
 * the other registers are allocatable, callee-saved ones first.
 */
#include "emit.h"

#include <assert.h>

TCGRegSet tcg_target_available_regs;
TCGRegSet tcg_target_call_clobber_regs;
const int tcg_target_call_iarg_regs[TCG_MAX_HELPER_ARGS] = {
    R_X0, R_X1, R_X2, R_X3, R_X4, R_X5,
};
const int tcg_target_call_oarg_reg = R_X0;
const int tcg_target_reg_alloc_order[] = {
    R_X20, R_X21, R_X22, R_X23, R_X24, R_X25, R_X26, R_X27, R_X28,
    R_X8,  R_X9,  R_X10, R_X11, R_X12, R_X13, R_X14, R_X15,
    R_X7,  R_X6,  R_X5,  R_X4,  R_X3,  R_X2,  R_X1,  R_X0,
};
/* Homes of pinned globals: callee-saved registers, which helper calls
   keep, so a call costs them nothing. */
const int tcg_target_pin_regs[] = { R_X20, R_X21, R_X22, R_X23,
                                    R_X24, R_X25, R_X26, R_X27 };
const int tcg_target_pin_regs_len =
    sizeof(tcg_target_pin_regs) / sizeof(tcg_target_pin_regs[0]);
const int tcg_target_reg_alloc_order_len =
    sizeof(tcg_target_reg_alloc_order) / sizeof(tcg_target_reg_alloc_order[0]);
const int tcg_target_env_reg = TCG_AREG0;
/* Weakly ordered: no ordering between plain accesses comes for free. */
const TCGBar tcg_target_default_mo = 0;
const int tcg_target_frame_reg = R_SP;
const char *const tcg_target_reg_names[TCG_TARGET_NB_REGS] = {
    "x0",  "x1",  "x2",  "x3",  "x4",  "x5",  "x6",  "x7",
    "x8",  "x9",  "x10", "x11", "x12", "x13", "x14", "x15",
    "x16", "x17", "x18", "x19", "x20", "x21", "x22", "x23",
    "x24", "x25", "x26", "x27", "x28", "x29", "x30", "sp",
};
/* [sp, sp + 256): slow-path register saves (x0..x31 by number); then
   the spill slots. */
const intptr_t tcg_target_frame_start = 256;
const intptr_t tcg_target_frame_size = 8192;

const uint8_t tcg_cond_to_arm[] = {
    [TCG_COND_EQ] = COND_EQ,  [TCG_COND_NE] = COND_NE,
    [TCG_COND_LT] = COND_LT,  [TCG_COND_GE] = COND_GE,
    [TCG_COND_LE] = COND_LE,  [TCG_COND_GT] = COND_GT,
    [TCG_COND_LTU] = COND_LO, [TCG_COND_GEU] = COND_HS,
    [TCG_COND_LEU] = COND_LS, [TCG_COND_GTU] = COND_HI,
};

void tcg_target_init(TCGContext *s)
{
    tcg_target_available_regs = 0;
    tcg_target_call_clobber_regs = 0;
    for (int r = R_X0; r <= R_X30; r++) {
        if (r <= R_X18 || r == R_X30)
            tcg_target_call_clobber_regs |= tcg_regset_bit(r);
        tcg_target_available_regs |= tcg_regset_bit(r);
    }
    s->reserved_regs = tcg_regset_bit(R_SP) | tcg_regset_bit(TCG_TMP0) |
                       tcg_regset_bit(TCG_TMP1) | tcg_regset_bit(TCG_TMP2) |
                       tcg_regset_bit(R_X18) | tcg_regset_bit(TCG_AREG0) |
                       tcg_regset_bit(TCG_REG_ENVHI);
    tcg_target_available_regs &= ~s->reserved_regs;
}

bool tcg_target_parse_constraint(char c, TCGType type, TCGArgConstraint *ct)
{
    switch (c) {
    case 'A':
        ct->ct |= TCG_CT_CONST_AIMM;
        return true;
    case 'L':
        ct->ct |= TCG_CT_CONST_LIMM;
        return true;
    case 'Z':
        ct->ct |= TCG_CT_CONST_ZERO;
        return true;
    case 'g':
        ct->ct |= TCG_CT_CONST_GADDR;
        return true;
    default:
        return false;
    }
}

bool tcg_target_const_match(int64_t val, TCGType type, unsigned ct)
{
    bool w64 = type == TCG_TYPE_I64;
    uint32_t enc;

    if (ct & TCG_CT_CONST_ANY)
        return true;
    if ((ct & TCG_CT_CONST_GADDR) && tcg_out_guest_addr_const_ok(val))
        return true;
    if (!w64)
        val = (int32_t)val;
    if ((ct & TCG_CT_CONST_ZERO) && val == 0)
        return true;
    if ((ct & TCG_CT_CONST_AIMM) &&
        (tcg_aimm_ok((uint64_t)val) || tcg_aimm_ok(-(uint64_t)val)))
        return true;
    if ((ct & TCG_CT_CONST_LIMM) &&
        tcg_logic_imm(w64 ? (uint64_t)val : (uint32_t)val, w64, &enc))
        return true;
    return false;
}

/* ---- Immediates ---- */

/*
 * A logical immediate is a run of ones, rotated, repeated to fill the
 * register with an element of 2, 4, 8, 16, 32 or 64 bits (ARM ARM,
 * DecodeBitMasks).  Find the smallest repeating element, then the run's
 * length and rotation within it.
 */
bool tcg_logic_imm(uint64_t val, bool w64, uint32_t *enc)
{
    unsigned size = 64;

    if (!w64)
        val = (val & 0xffffffffull) | val << 32;
    if (val == 0 || val == ~0ull)
        return false;
    /* The element size: halve while both halves are equal. */
    while (size > 2) {
        unsigned half = size / 2;
        uint64_t mask = (1ull << half) - 1;
        if ((val & mask) != ((val >> half) & mask))
            break;
        size = half;
    }
    uint64_t emask = size == 64 ? ~0ull : (1ull << size) - 1;
    uint64_t e = val & emask;
    /* Rotate right until the element is ones at the bottom followed by
       zeros: then it is a single run starting at bit 0. */
    unsigned rot;
    for (rot = 0; rot < size; rot++) {
        uint64_t r = rot ? ((e >> rot) | (e << (size - rot))) & emask : e;
        /* r = 0..01..1 (ones at the bottom, at least one zero on top) */
        if ((r & 1) && ((r + 1) & r) == 0) {
            unsigned ones = (unsigned)__builtin_popcountll(r);
            unsigned immr = (size - rot) % size;
            /* imms: the element size in its high bits (0xxxxx for 32,
               10xxxx for 16 ... 11110x for 2; N set for 64), the run
               length - 1 in the low ones. */
            unsigned imms = ((~(size * 2 - 1)) & 0x3f) | (ones - 1);
            unsigned n = size == 64;
            if (!w64 && n)
                return false;
            *enc = n << 22 | immr << 16 | imms << 10;
            return true;
        }
    }
    return false;
}

void tcg_out_movi(TCGContext *s, TCGType type, int reg, int64_t val)
{
    bool w64 = type == TCG_TYPE_I64;
    uint64_t v = w64 ? (uint64_t)val : (uint32_t)val;
    int halves = w64 ? 4 : 2, zeros = 0, ones = 0;
    uint32_t enc;

    for (int i = 0; i < halves; i++) {
        uint16_t h = (uint16_t)(v >> (16 * i));
        zeros += h == 0;
        ones += h == 0xffff;
    }
    if (zeros >= halves - 1 || ones >= halves - 1) {
        /* One MOVZ or MOVN. */
    } else if (tcg_logic_imm(v, w64, &enc)) {
        tcg_out_insn(s, I_ORRI | sf(w64) | enc | R_ZR << 5 | (uint32_t)reg);
        return;
    } else if (w64) {
        /* An address near the code: ADR (+-1 MiB) or ADRP + ADD. */
        intptr_t pc = (intptr_t)tcg_rx(s, s->code_ptr);
        intptr_t d = (intptr_t)v - pc;
        if (d >= -(1 << 20) && d < (1 << 20)) {
            tcg_out_insn(s, I_ADR | (uint32_t)(d & 3) << 29 |
                                (uint32_t)((d >> 2) & 0x7ffff) << 5 |
                                (uint32_t)reg);
            return;
        }
        intptr_t pg = ((intptr_t)v >> 12) - (pc >> 12);
        int movs = halves - (zeros > ones ? zeros : ones);
        if (movs > 2 && pg >= -(1 << 20) && pg < (1 << 20)) {
            tcg_out_insn(s, 0x90000000u | (uint32_t)(pg & 3) << 29 |
                                (uint32_t)((pg >> 2) & 0x7ffff) << 5 |
                                (uint32_t)reg);
            if (v & 0xfff)
                tcg_out_insn(s, I_ADDI | sf(true) |
                                    (uint32_t)(v & 0xfff) << 10 |
                                    (uint32_t)reg << 5 | (uint32_t)reg);
            return;
        }
    }
    /* MOVZ (or MOVN when more halves are all ones) for the first half
       that differs from the background, MOVK for the rest. */
    bool inv = ones > zeros;
    uint16_t bg = inv ? 0xffff : 0;
    bool first = true;
    for (int i = 0; i < halves; i++) {
        uint16_t h = (uint16_t)(v >> (16 * i));
        if (h == bg)
            continue;
        if (first) {
            uint16_t imm = inv ? (uint16_t)~h : h;
            tcg_out_insn(s, (inv ? I_MOVN : I_MOVZ) | sf(w64) |
                                (uint32_t)i << 21 | (uint32_t)imm << 5 |
                                (uint32_t)reg);
            first = false;
        } else {
            tcg_out_insn(s, I_MOVK | sf(w64) | (uint32_t)i << 21 |
                                (uint32_t)h << 5 | (uint32_t)reg);
        }
    }
    if (first) /* v is the background itself: 0 or all ones */
        tcg_out_insn(s, (inv ? I_MOVN : I_MOVZ) | sf(w64) | (uint32_t)reg);
}

/* d = a + val, val any constant (d or a may be sp: the immediate forms
   take it, and only they are used with it). */
void tcg_out_addi(TCGContext *s, bool w64, int d, int a, int64_t val)
{
    uint32_t op = I_ADDI;
    uint64_t m;

    if (!w64)
        val = (int32_t)val;
    m = (uint64_t)val;
    if (val < 0) {
        op = I_SUBI;
        m = -(uint64_t)val;
    }
    if (m < 0x1000000) {
        /* One or two immediates: the high 12 bits shifted, the low 12. */
        if (m >> 12) {
            tcg_out_insn(s, op | sf(w64) | 1u << 22 |
                                (uint32_t)(m >> 12) << 10 |
                                (uint32_t)(a & 31) << 5 | (uint32_t)(d & 31));
            a = d;
        }
        if ((m & 0xfff) || !(m >> 12))
            tcg_out_insn(s, op | sf(w64) | (uint32_t)(m & 0xfff) << 10 |
                                (uint32_t)(a & 31) << 5 | (uint32_t)(d & 31));
        return;
    }
    assert(d != R_SP && a != R_SP);
    tcg_out_movi(s, w64 ? TCG_TYPE_I64 : TCG_TYPE_I32, TCG_TMP2, val);
    tcg_out_insn_rrr(s, I_ADD, w64, d, a, TCG_TMP2);
}

/* d = a op val for a logical op (AND, ORR, EOR, ANDS; insn is the
   shifted-register form), through scratch when val is no bitmask. */
void tcg_out_logici(TCGContext *s, uint32_t insn, bool w64, int d, int a,
                    uint64_t val)
{
    uint32_t enc;
    uint32_t imm = insn == I_AND ? I_ANDI : insn == I_ORR ? I_ORRI
                 : insn == I_EOR ? I_EORI : I_ANDSI;

    if (!w64)
        val = (uint32_t)val;
    if (tcg_logic_imm(val, w64, &enc)) {
        tcg_out_insn(s, imm | sf(w64) | enc | (uint32_t)(a & 31) << 5 |
                            (uint32_t)(d & 31));
    } else {
        tcg_out_movi(s, w64 ? TCG_TYPE_I64 : TCG_TYPE_I32, TCG_TMP2,
                     (int64_t)val);
        tcg_out_insn_rrr(s, insn, w64, d, a, TCG_TMP2);
    }
}

/* ---- Moves, loads, stores ---- */

void tcg_out_mov(TCGContext *s, TCGType type, int dst, int src)
{
    if (dst == src)
        return;
    if (dst == R_SP || src == R_SP)
        tcg_out_addi(s, true, dst, src, 0);
    else
        tcg_out_insn_rrr(s, I_ORR, type == TCG_TYPE_I64, dst, R_ZR, src);
}

/*
 * A load or store (insn: its scaled unsigned-offset form) of rt at
 * base + off: scaled imm12 when off is a multiple of the size within
 * 4096 of them, else unscaled imm9, else (for env) from the second env
 * base, else with the offset in TMP2.
 */
void tcg_out_ldst(TCGContext *s, uint32_t insn, int rt, int base, intptr_t off)
{
    unsigned size = insn >> 30;

    for (int pass = 0; pass < 2; pass++) {
        if (off >= 0 && (off & ((1 << size) - 1)) == 0 &&
            (off >> size) < 0x1000) {
            tcg_out_insn(s, insn | (uint32_t)(off >> size) << 10 |
                                (uint32_t)(base & 31) << 5 | (uint32_t)(rt & 31));
            return;
        }
        if (off >= -256 && off < 256) {
            tcg_out_insn(s, LDST_UNSCALED(insn) | (uint32_t)(off & 0x1ff) << 12 |
                                (uint32_t)(base & 31) << 5 | (uint32_t)(rt & 31));
            return;
        }
        if (base != TCG_AREG0 || !tcg_env_hi_bias)
            break;
        base = TCG_REG_ENVHI;
        off -= tcg_env_hi_bias;
    }
    tcg_out_movi(s, TCG_TYPE_I64, TCG_TMP2, off);
    tcg_out_insn(s, LDST_REGOFF(insn) | (uint32_t)TCG_TMP2 << 16 |
                        (uint32_t)(base & 31) << 5 | (uint32_t)(rt & 31));
}

void tcg_out_ld(TCGContext *s, TCGType type, int reg, int base, intptr_t off)
{
    tcg_out_ldst(s, type == TCG_TYPE_I64 ? I_LDRX : I_LDRW, reg, base, off);
}

void tcg_out_st(TCGContext *s, TCGType type, int reg, int base, intptr_t off)
{
    tcg_out_ldst(s, type == TCG_TYPE_I64 ? I_STRX : I_STRW, reg, base, off);
}

/* Only zero stores directly (from the zero register). */
bool tcg_out_sti(TCGContext *s, TCGType type, int64_t val, int base,
                 intptr_t off)
{
    if (val != 0)
        return false;
    tcg_out_st(s, type, R_ZR, base, off);
    return true;
}

/* ---- Arithmetic helpers ---- */

void tcg_out_cmp(TCGContext *s, TCGType type, int a, int64_t b, bool b_const)
{
    bool w64 = type == TCG_TYPE_I64;

    if (!b_const) {
        tcg_out_insn_rrr(s, I_SUBS, w64, R_ZR, a, (int)b);
        return;
    }
    uint64_t v = w64 ? (uint64_t)b : (uint32_t)b;
    uint64_t nv = w64 ? -(uint64_t)b : (uint32_t)-(uint32_t)b;
    if (tcg_aimm_ok(v) || tcg_aimm_ok(nv)) {
        bool neg = !tcg_aimm_ok(v);
        uint64_t m = neg ? nv : v;
        uint32_t insn = neg ? I_ADDSI : I_SUBSI;
        if (m >= 0x1000)
            insn |= 1u << 22, m >>= 12;
        tcg_out_insn(s, insn | sf(w64) | (uint32_t)m << 10 |
                            (uint32_t)(a & 31) << 5 | R_ZR);
    } else {
        tcg_out_movi(s, type, TCG_TMP2, b);
        tcg_out_insn_rrr(s, I_SUBS, w64, R_ZR, a, TCG_TMP2);
    }
}

/* Shift by a constant: LSL/LSR/ASR as bitfield moves, ROR as EXTR. */
void tcg_out_shifti(TCGContext *s, int kind, bool w64, int d, int a,
                    unsigned n)
{
    unsigned bits = w64 ? 64 : 32;

    n &= bits - 1;
    switch (kind) {
    case SH_LSL:
        tcg_out_bfm(s, I_UBFM, w64, d, a, (bits - n) & (bits - 1),
                    bits - 1 - n);
        break;
    case SH_LSR:
        tcg_out_bfm(s, I_UBFM, w64, d, a, n, bits - 1);
        break;
    case SH_ASR:
        tcg_out_bfm(s, I_SBFM, w64, d, a, n, bits - 1);
        break;
    default:
        tcg_out_insn(s, I_EXTR | sf(w64) | (w64 ? 1u << 22 : 0) |
                            (uint32_t)(a & 31) << 16 | n << 10 |
                            (uint32_t)(a & 31) << 5 | (uint32_t)(d & 31));
        break;
    }
}

/* d = the low bits of a, sign- or zero-extended to the width. */
void tcg_out_ext(TCGContext *s, bool w64, int d, int a, unsigned bits,
                 bool sign)
{
    if (!sign && bits == 32) {
        tcg_out_insn_rrr(s, I_ORR, false, d, R_ZR, a); /* mov wd, wa */
        return;
    }
    tcg_out_bfm(s, sign ? I_SBFM : I_UBFM, sign && w64, d, a, 0, bits - 1);
}

/* ---- Control transfer ---- */

static bool fits_b26(intptr_t d)
{
    return d >= -(1 << 27) && d < (1 << 27) && (d & 3) == 0;
}

void tcg_out_jmp_abs(TCGContext *s, uintptr_t target_rx, bool call)
{
    intptr_t d = (intptr_t)target_rx - (intptr_t)tcg_rx(s, s->code_ptr);

    if (fits_b26(d)) {
        tcg_out_insn(s, (call ? I_BL : I_B) | (uint32_t)((d >> 2) & 0x3ffffff));
    } else {
        tcg_out_movi(s, TCG_TYPE_I64, TCG_TMP2, (int64_t)target_rx);
        tcg_out_insn(s, (call ? I_BLR : I_BR) | (uint32_t)TCG_TMP2 << 5);
    }
}

void tcg_out_call(TCGContext *s, const void *func)
{
    tcg_out_jmp_abs(s, (uintptr_t)func, true);
}

void tcg_out_b_rx(TCGContext *s, int cond, uintptr_t target_rx)
{
    intptr_t d = (intptr_t)target_rx - (intptr_t)tcg_rx(s, s->code_ptr);

    if (cond < 0) {
        tcg_out_jmp_abs(s, target_rx, false);
    } else if (d >= -(1 << 20) && d < (1 << 20)) {
        tcg_out_insn(s, I_BCOND | (uint32_t)((d >> 2) & 0x7ffff) << 5 |
                            (uint32_t)cond);
    } else {
        /* b.!cond over a far branch. */
        uint8_t *skip = s->code_ptr;
        tcg_out_insn(s, 0);
        tcg_out_jmp_abs(s, target_rx, false);
        tcg_patch32(skip, I_BCOND | (uint32_t)((s->code_ptr - skip) >> 2) << 5 |
                              (uint32_t)(cond ^ 1));
    }
}

/* Branch (cond < 0: always) to label l; TB code is far smaller than
   B.cond's +-1 MiB reach. */
void tcg_out_bcond_label(TCGContext *s, int cond, TCGLabel *l)
{
    if (l->has_value) {
        intptr_t d = (intptr_t)l->value - (intptr_t)s->code_ptr;
        if (cond < 0)
            tcg_out_insn(s, I_B | (uint32_t)((d >> 2) & 0x3ffffff));
        else
            tcg_out_insn(s, I_BCOND | (uint32_t)((d >> 2) & 0x7ffff) << 5 |
                                (uint32_t)cond);
        return;
    }
    tcg_out_reloc(s, s->code_ptr,
                  cond < 0 ? R_AARCH64_JUMP26 : R_AARCH64_CONDBR19, l, 0);
    tcg_out_insn(s, cond < 0 ? I_B : I_BCOND | (uint32_t)cond);
}

bool tcg_patch_reloc(TCGContext *s, uint8_t *ptr, int type, intptr_t value,
                     intptr_t addend)
{
    intptr_t d = (value + addend - (intptr_t)ptr) >> 2;
    uint32_t insn;

    (void)s;
    __builtin_memcpy(&insn, ptr, 4);
    if (type == R_AARCH64_JUMP26) {
        if (d < -(1 << 25) || d >= (1 << 25))
            return false;
        insn = (insn & 0xfc000000u) | (uint32_t)(d & 0x3ffffff);
    } else if (type == R_AARCH64_CONDBR19) {
        if (d < -(1 << 18) || d >= (1 << 18))
            return false;
        insn = (insn & 0xff00001fu) | (uint32_t)(d & 0x7ffff) << 5;
    } else {
        return false;
    }
    __builtin_memcpy(ptr, &insn, 4);
    return true;
}
