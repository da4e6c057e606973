/*
 * x86-64 backend, part 1: the encoder funnel (prefixes, REX, opcode,
 * ModRM, SIB and displacement; a VEX form for BMI), the host register
 * description the allocator uses, constraint letters, and the basic
 * moves, loads, stores, calls, compares and jumps that the other parts
 * (ops.c, ldst.c, prologue.c) are built from.
 *
 * Register use: rbp holds env for the whole TB, rsp addresses the fixed
 * frame (slow-path register save area, then spill slots), r10 and r11 are
 * backend scratch; the other 12 registers are allocatable, callee-saved
 * ones first so values survive helper calls and TLB-miss slow paths.
 */
#include "emit.h"

#include <cpuid.h>

bool have_bmi1, have_ssse3;

TCGRegSet tcg_target_available_regs;
TCGRegSet tcg_target_call_clobber_regs;
const int tcg_target_call_iarg_regs[TCG_MAX_HELPER_ARGS] = {
    R_RDI, R_RSI, R_RDX, R_RCX, R_R8, R_R9,
};
const int tcg_target_call_oarg_reg = R_RAX;
const int tcg_target_reg_alloc_order[] = {
    R_RBX, R_R12, R_R13, R_R14, R_R15, R_R9,
    R_R8,  R_RSI, R_RDI, R_RDX, R_RCX, R_RAX,
};
/* Homes of pinned globals: callee-saved first, which helper calls keep;
   then r9, r8 and rsi, argument registers, which calls clobber (the
   allocator stores and reloads them around calls).  Seven at most: the
   allocator keeps four (rax, rcx, rdx, rdi) with r15 holding guest_base,
   what a movcond of four distinct temps needs. */
const int tcg_target_pin_regs[] = { R_RBX, R_R12, R_R13, R_R14, R_R9, R_R8,
                                     R_RSI };
const int tcg_target_pin_regs_len =
    sizeof(tcg_target_pin_regs) / sizeof(tcg_target_pin_regs[0]);
const int tcg_target_reg_alloc_order_len =
    sizeof(tcg_target_reg_alloc_order) / sizeof(tcg_target_reg_alloc_order[0]);
const int tcg_target_env_reg = TCG_AREG0;
const TCGBar tcg_target_default_mo = TCG_MO_ALL & ~TCG_MO_ST_LD;
const int tcg_target_frame_reg = R_RSP;
const char *const tcg_target_reg_names[TCG_TARGET_NB_REGS] = {
    "rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
    "r8",  "r9",  "r10", "r11", "r12", "r13", "r14", "r15",
};
/* [rsp, rsp + 128): slow-path register saves; then the spill slots. */
const intptr_t tcg_target_frame_start = 128;
const intptr_t tcg_target_frame_size = 8192;

const uint8_t tcg_cond_to_jcc[] = {
    [TCG_COND_EQ] = JCC_JE,  [TCG_COND_NE] = JCC_JNE,  [TCG_COND_LT] = JCC_JL,
    [TCG_COND_GE] = JCC_JGE, [TCG_COND_LE] = JCC_JLE,  [TCG_COND_GT] = JCC_JG,
    [TCG_COND_LTU] = JCC_JB, [TCG_COND_GEU] = JCC_JAE, [TCG_COND_LEU] = JCC_JBE,
    [TCG_COND_GTU] = JCC_JA,
};

void tcg_target_init(TCGContext *s)
{
    unsigned a, b, c, d;

    if (__get_cpuid_count(7, 0, &a, &b, &c, &d))
        have_bmi1 = (b >> 3) & 1;
    if (__get_cpuid(1, &a, &b, &c, &d))
        have_ssse3 = (c >> 9) & 1;
    tcg_target_available_regs = 0xffff;
    tcg_target_call_clobber_regs = 0;
    for (int r = 0; r < 16; r++) {
        bool clobbered = r == R_RAX || r == R_RCX || r == R_RDX || r == R_RSI ||
                         r == R_RDI || (r >= R_R8 && r <= R_R11);
        if (clobbered)
            tcg_target_call_clobber_regs |= tcg_regset_bit(r);
    }
    s->reserved_regs = tcg_regset_bit(R_RSP) | tcg_regset_bit(R_RBP) |
                       tcg_regset_bit(TCG_TMP0) | tcg_regset_bit(TCG_TMP1);
    tcg_target_available_regs &= ~s->reserved_regs;
}

bool tcg_target_parse_constraint(char c, TCGType type, TCGArgConstraint *ct)
{
    switch (c) {
    case 'a':
        ct->regs = tcg_regset_bit(R_RAX);
        return true;
    case 'c':
        ct->regs = tcg_regset_bit(R_RCX);
        return true;
    case 'd':
        ct->regs = tcg_regset_bit(R_RDX);
        return true;
    case 'e':
        ct->ct |= TCG_CT_CONST_S32;
        return true;
    case 'Z':
        ct->ct |= TCG_CT_CONST_U32;
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
    if (ct & TCG_CT_CONST_ANY)
        return true;
    if ((ct & TCG_CT_CONST_GADDR) && tcg_out_guest_addr_const_ok(val))
        return true;
    if (type == TCG_TYPE_I32)
        return ct & (TCG_CT_CONST_S32 | TCG_CT_CONST_U32);
    if ((ct & TCG_CT_CONST_S32) && fits_s32(val))
        return true;
    return (ct & TCG_CT_CONST_U32) && val == (int64_t)(uint32_t)val;
}

/* ---- The funnel ---- */

/*
 * The prefix and opcode bytes of opc, packed little-endian into a word
 * (at most 6 bytes: 66, f3 or f2, REX, 0f, 38, op); *n gets their count.
 * Callers append ModRM/SIB bytes and store the word at once: byte-at-a-
 * time stores through s->code_ptr reload and store the pointer each time.
 */
static inline uint64_t opc_bytes(int opc, int r, int rm, int x, int *n)
{
    uint64_t b = 0;
    int k = 0, rex = 0;

    if (opc & P_DATA16)
        b |= (uint64_t)0x66 << (8 * k++);
    if (opc & P_SIMDF3)
        b |= (uint64_t)0xf3 << (8 * k++);
    if (opc & P_SIMDF2)
        b |= (uint64_t)0xf2 << (8 * k++);
    if (opc & P_REXW)
        rex |= 8;
    rex |= (r & 8) >> 1;  /* REX.R */
    rex |= (x & 8) >> 2;  /* REX.X */
    rex |= (rm & 8) >> 3; /* REX.B */
    /* spl, bpl, sil, dil exist only with a REX prefix. */
    if ((opc & P_REXB_R) && r >= 4)
        rex |= 0x40;
    if ((opc & P_REXB_RM) && rm >= 4)
        rex |= 0x40;
    if (rex)
        b |= (uint64_t)(0x40 | rex) << (8 * k++);
    if (opc & (P_EXT | P_EXT38 | P_EXT3A)) {
        b |= (uint64_t)0x0f << (8 * k++);
        if (opc & P_EXT38)
            b |= (uint64_t)0x38 << (8 * k++);
        if (opc & P_EXT3A)
            b |= (uint64_t)0x3a << (8 * k++);
    }
    b |= (uint64_t)(uint8_t)opc << (8 * k++);
    *n = k;
    return b;
}

/* Emits the low n bytes of b (n <= 8; the code buffer has slack past
   the high-water mark, so the full word store stays inside it). */
static inline void out_bytes(TCGContext *s, uint64_t b, int n)
{
    __builtin_memcpy(s->code_ptr, &b, 8);
    s->code_ptr += n;
}

void tcg_out_opc(TCGContext *s, int opc, int r, int rm, int x)
{
    int n;
    uint64_t b = opc_bytes(opc, r, rm, x, &n);

    out_bytes(s, b, n);
}

void tcg_out_modrm(TCGContext *s, int opc, int r, int rm)
{
    int n;
    uint64_t b = opc_bytes(opc, r, rm, 0, &n);

    b |= (uint64_t)(0xc0 | ((r & 7) << 3) | (rm & 7)) << (8 * n);
    out_bytes(s, b, n + 1);
}

void tcg_out_vex_modrm(TCGContext *s, int opc, int r, int v, int rm)
{
    /* Three-byte VEX: C4, RXB.mmmmm, W.vvvv.L.pp, opcode, modrm. */
    int mmmmm = (opc & P_EXT38) ? 2 : 1;

    tcg_out8(s, 0xc4);
    tcg_out8(s, (uint8_t)((((~r >> 3) & 1) << 7) | (1 << 6) |
                          (((~rm >> 3) & 1) << 5) | mmmmm));
    tcg_out8(s, (uint8_t)(((opc & P_REXW) ? 0x80 : 0) | ((~v & 15) << 3)));
    tcg_out8(s, (uint8_t)opc);
    tcg_out8(s, (uint8_t)(0xc0 | ((r & 7) << 3) | (rm & 7)));
}

static void out_rip_relative(TCGContext *s, int opc, int r, intptr_t target)
{
    tcg_out_opc(s, opc, r, 0, 0);
    tcg_out8(s, (uint8_t)(0x05 | ((r & 7) << 3)));
    intptr_t disp = target - (intptr_t)(tcg_rx(s, s->code_ptr) + 4);
    tcg_out32(s, (uint32_t)disp);
}

void tcg_out_modrm_sib_offset(TCGContext *s, int opc, int r, int base,
                              int index, int shift, intptr_t offset)
{
    int mod, len;

    if (base < 0 && index < 0) {
        out_rip_relative(s, opc, r, offset);
        return;
    }
    if (base < 0) {
        /* [index << shift + disp32]: SIB with no base. */
        tcg_out_opc(s, opc, r, 0, index);
        tcg_out8(s, (uint8_t)(0x04 | ((r & 7) << 3)));
        tcg_out8(s, (uint8_t)((shift << 6) | ((index & 7) << 3) | 5));
        tcg_out32(s, (uint32_t)offset);
        return;
    }
    if (offset == 0 && (base & 7) != R_RBP) {
        mod = 0, len = 0;
    } else if (fits_s8(offset)) {
        mod = 0x40, len = 1;
    } else {
        mod = 0x80, len = 4;
    }
    if (index < 0 && (base & 7) != R_RSP) {
        int n;
        uint64_t b = opc_bytes(opc, r, base, 0, &n);
        b |= (uint64_t)(mod | ((r & 7) << 3) | (base & 7)) << (8 * n);
        out_bytes(s, b, n + 1);
    } else {
        int ix = index < 0 ? 4 : index; /* index field 100 = none */
        int n;
        uint64_t b = opc_bytes(opc, r, base, index < 0 ? 0 : index, &n);
        b |= (uint64_t)(mod | ((r & 7) << 3) | 4) << (8 * n);
        b |= (uint64_t)(((index < 0 ? 0 : shift) << 6) | ((ix & 7) << 3) |
                        (base & 7))
             << (8 * (n + 1));
        out_bytes(s, b, n + 2);
    }
    if (len == 1)
        tcg_out8(s, (uint8_t)offset);
    else if (len == 4)
        tcg_out32(s, (uint32_t)offset);
}

/* ---- Moves, loads, stores ---- */

void tcg_out_mov(TCGContext *s, TCGType type, int dst, int src)
{
    if (dst != src)
        tcg_out_modrm(s, OPC_MOVL_GvEv + rexw(type), dst, src);
}

void tcg_out_movi(TCGContext *s, TCGType type, int reg, int64_t val)
{
    if (type == TCG_TYPE_I32)
        val = (uint32_t)val;
    if (val == 0) {
        tcg_out_modrm(s, OPC_ARITH_GvEv + (ARITH_XOR << 3), reg, reg);
    } else if (val == (int64_t)(uint32_t)val) {
        tcg_out_opc(s, OPC_MOVL_Iv + (reg & 7), 0, reg, 0);
        tcg_out32(s, (uint32_t)val);
    } else if (fits_s32(val)) {
        tcg_out_modrm(s, OPC_MOVL_EvIz + P_REXW, 0, reg);
        tcg_out32(s, (uint32_t)val);
    } else {
        intptr_t disp = val - (intptr_t)(tcg_rx(s, s->code_ptr) + 7);
        if (fits_s32(disp)) {
            /* An address near the code: lea is shorter than movabs. */
            tcg_out_modrm_sib_offset(s, OPC_LEA + P_REXW, reg, -1, -1, 0, val);
        } else {
            tcg_out_opc(s, (OPC_MOVL_Iv + (reg & 7)) | P_REXW, 0, reg, 0);
            tcg_out64(s, (uint64_t)val);
        }
    }
}

void tcg_out_ld(TCGContext *s, TCGType type, int reg, int base, intptr_t off)
{
    tcg_out_modrm_offset(s, OPC_MOVL_GvEv + rexw(type), reg, base, off);
}

void tcg_out_st(TCGContext *s, TCGType type, int reg, int base, intptr_t off)
{
    tcg_out_modrm_offset(s, OPC_MOVL_EvGv + rexw(type), reg, base, off);
}

bool tcg_out_sti(TCGContext *s, TCGType type, int64_t val, int base,
                 intptr_t off)
{
    if (type == TCG_TYPE_I64 && !fits_s32(val))
        return false;
    tcg_out_modrm_offset(s, OPC_MOVL_EvIz + rexw(type), 0, base, off);
    tcg_out32(s, (uint32_t)val);
    return true;
}

/* ---- Arithmetic helpers ---- */

void tcg_out_arithi(TCGContext *s, int c, int r0, int64_t val, bool w)
{
    int rw = w ? P_REXW : 0;

    if (fits_s8(val)) {
        tcg_out_modrm(s, OPC_ARITH_EvIb + rw, c, r0);
        tcg_out8(s, (uint8_t)val);
    } else {
        tcg_out_modrm(s, OPC_ARITH_EvIz + rw, c, r0);
        tcg_out32(s, (uint32_t)val);
    }
}

void tcg_out_shifti(TCGContext *s, int subop, int reg, int count, bool w)
{
    int rw = w ? P_REXW : 0;

    if (count == 1) {
        tcg_out_modrm(s, OPC_SHIFT_1 + rw, subop, reg);
    } else {
        tcg_out_modrm(s, OPC_SHIFT_Ib + rw, subop, reg);
        tcg_out8(s, (uint8_t)count);
    }
}

void tcg_out_cmp(TCGContext *s, TCGType type, int a, int64_t b, bool b_const)
{
    if (!b_const) {
        tcg_out_modrm(s, OPC_ARITH_GvEv + (ARITH_CMP << 3) + rexw(type), a,
                      (int)b);
    } else if (tcg_canon(type, b) == 0) {
        tcg_out_modrm(s, OPC_TESTL + rexw(type), a, a);
    } else {
        tcg_out_arithi(s, ARITH_CMP, a, b, type == TCG_TYPE_I64);
    }
}

void tcg_out_ext8u(TCGContext *s, int dst, int src)
{
    tcg_out_modrm(s, OPC_MOVZBL + P_REXB_RM, dst, src);
}

/* n bytes of padding in as few instructions as the SDM's multi-byte NOP
   forms (0F 1F /0) allow: padding that runs costs one per instruction. */
void tcg_out_nopn(TCGContext *s, int n)
{
    static const uint8_t nops[8][8] = {
        { 0x90 },
        { 0x66, 0x90 },
        { 0x0f, 0x1f, 0x00 },
        { 0x0f, 0x1f, 0x40, 0x00 },
        { 0x0f, 0x1f, 0x44, 0x00, 0x00 },
        { 0x66, 0x0f, 0x1f, 0x44, 0x00, 0x00 },
        { 0x0f, 0x1f, 0x80, 0x00, 0x00, 0x00, 0x00 },
        { 0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00 },
    };

    while (n > 0) {
        int k = n < 8 ? n : 8;

        for (int i = 0; i < k; i++)
            tcg_out8(s, nops[k - 1][i]);
        n -= k;
    }
}

/* ---- Control transfer ---- */

void tcg_out_jmp_abs(TCGContext *s, uintptr_t target_rx, bool call)
{
    intptr_t disp =
        (intptr_t)target_rx - (intptr_t)(tcg_rx(s, s->code_ptr) + 5);

    if (fits_s32(disp)) {
        tcg_out8(s, call ? OPC_CALL_Jz : OPC_JMP_long);
        tcg_out32(s, (uint32_t)disp);
    } else {
        tcg_out_movi(s, TCG_TYPE_I64, TCG_TMP1, (int64_t)target_rx);
        tcg_out_modrm(s, OPC_GRP5, call ? EXT5_CALLN_Ev : EXT5_JMPN_Ev,
                      TCG_TMP1);
    }
}

void tcg_out_call(TCGContext *s, const void *func)
{
    tcg_out_jmp_abs(s, (uintptr_t)func, true);
}

/* Jump (cc < 0) or conditional jump to label l. */
void tcg_out_jxx(TCGContext *s, int cc, TCGLabel *l)
{
    if (l->has_value) {
        intptr_t d = (intptr_t)l->value - (intptr_t)s->code_ptr;
        if (fits_s8(d - 2)) {
            tcg_out8(s, (uint8_t)(cc < 0 ? OPC_JMP_short : OPC_JCC_short + cc));
            tcg_out8(s, (uint8_t)(d - 2));
        } else if (cc < 0) {
            tcg_out8(s, OPC_JMP_long);
            tcg_out32(s, (uint32_t)(d - 5));
        } else {
            tcg_out_opc(s, OPC_JCC_long + cc, 0, 0, 0);
            tcg_out32(s, (uint32_t)(d - 6));
        }
        return;
    }
    if (cc < 0)
        tcg_out8(s, OPC_JMP_long);
    else
        tcg_out_opc(s, OPC_JCC_long + cc, 0, 0, 0);
    tcg_out_reloc(s, s->code_ptr, R_X86_64_PC32, l, -4);
    tcg_out32(s, 0);
}

bool tcg_patch_reloc(TCGContext *s, uint8_t *ptr, int type, intptr_t value,
                     intptr_t addend)
{
    intptr_t d = value + addend - (intptr_t)ptr;

    (void)s;
    if (type != R_X86_64_PC32 || !fits_s32(d))
        return false;
    tcg_patch32(ptr, (uint32_t)d);
    return true;
}
