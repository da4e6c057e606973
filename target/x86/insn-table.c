/*
 * The x86-64 one-byte opcode map (the 0F maps are in insn-table-0f.c;
 * the notation in insn-table.h): one entry per opcode, per ModRM.reg group
 * member or per mandatory prefix, after the opcode maps of the Intel SDM
 * (volume 2, appendix A).  An entry is an instruction's mnemonic, its
 * flags (X86_F_*) and its operand forms in the SDM's notation ("Ev,Gv"
 * is OP(E, V), OP(G, V)), or a choice among sub-entries by ModRM.reg
 * (GROUP), memory or register operand (MODS), ModRM.rm (RMS) or
 * mandatory prefix (PFX: none, 66, F3, F2).  The decoder derives
 * everything else from the operand forms: a ModRM when an operand lives
 * there, immediates from I, J and O, memory-only M and register-only
 * R, U and N.  An entry left out is #UD.
 */
#include "target/x86/insn-table.h"

/* The eight ALU operations at 00-3D, one row of six encodings each. */
#define ALU(base, n, f)                                         \
    [base + 0] = INSN(n, f, Eb, Gb), [base + 1] = INSN(n, f, Ev, Gv), \
    [base + 2] = INSN(n, 0, Gb, Eb), [base + 3] = INSN(n, 0, Gv, Ev), \
    [base + 4] = INSN(n, 0, AL, Ib), [base + 5] = INSN(n, 0, rAX, Iz)

static const X86InsnInfo grp1_Eb_Ib[8] = {
    INSN("add", LK, Eb, Ib), INSN("or", LK, Eb, Ib), INSN("adc", LK, Eb, Ib),
    INSN("sbb", LK, Eb, Ib), INSN("and", LK, Eb, Ib), INSN("sub", LK, Eb, Ib),
    INSN("xor", LK, Eb, Ib), INSN("cmp", 0, Eb, Ib),
};
static const X86InsnInfo grp1_Ev_Iz[8] = {
    INSN("add", LK, Ev, Iz), INSN("or", LK, Ev, Iz), INSN("adc", LK, Ev, Iz),
    INSN("sbb", LK, Ev, Iz), INSN("and", LK, Ev, Iz), INSN("sub", LK, Ev, Iz),
    INSN("xor", LK, Ev, Iz), INSN("cmp", 0, Ev, Iz),
};
static const X86InsnInfo grp1_Ev_Ib[8] = {
    INSN("add", LK, Ev, Ibs), INSN("or", LK, Ev, Ibs),
    INSN("adc", LK, Ev, Ibs), INSN("sbb", LK, Ev, Ibs),
    INSN("and", LK, Ev, Ibs), INSN("sub", LK, Ev, Ibs),
    INSN("xor", LK, Ev, Ibs), INSN("cmp", 0, Ev, Ibs),
};
/* 8F: POP Ev; the other ModRM.reg values are AMD's XOP prefix. */
static const X86InsnInfo grp1a[8] = {
    INSN("pop", D64, Ev),
    UD_BECAUSE(X86_F_UD_XOP), UD_BECAUSE(X86_F_UD_XOP),
    UD_BECAUSE(X86_F_UD_XOP), UD_BECAUSE(X86_F_UD_XOP),
    UD_BECAUSE(X86_F_UD_XOP), UD_BECAUSE(X86_F_UD_XOP),
    UD_BECAUSE(X86_F_UD_XOP),
};

/* Shift group 2: C0, C1, D0-D3 (the count operand differs). */
#define GRP2(name, dst, cnt)                                             \
    static const X86InsnInfo name[8] = {                                 \
        INSN("rol", 0, dst, cnt), INSN("ror", 0, dst, cnt),              \
        INSN("rcl", 0, dst, cnt), INSN("rcr", 0, dst, cnt),              \
        INSN("shl", 0, dst, cnt), INSN("shr", 0, dst, cnt),              \
        INSN("sal", 0, dst, cnt), INSN("sar", 0, dst, cnt),              \
    }
GRP2(grp2_Eb_Ib, Eb, Ib);
GRP2(grp2_Ev_Ib, Ev, Ib);
GRP2(grp2_Eb_1, Eb, One);
GRP2(grp2_Ev_1, Ev, One);
GRP2(grp2_Eb_CL, Eb, CL);
GRP2(grp2_Ev_CL, Ev, CL);

/* Group 3: F6 /1 and F7 /1 are TEST too (AMD documents them; Intel CPUs
   decode them the same). */
static const X86InsnInfo grp3_Eb[8] = {
    INSN("test", 0, Eb, Ib), INSN("test", 0, Eb, Ib), INSN("not", LK, Eb),
    INSN("neg", LK, Eb), INSN("mul", 0, Eb), INSN("imul", 0, Eb),
    INSN("div", 0, Eb), INSN("idiv", 0, Eb),
};
static const X86InsnInfo grp3_Ev[8] = {
    INSN("test", 0, Ev, Iz), INSN("test", 0, Ev, Iz), INSN("not", LK, Ev),
    INSN("neg", LK, Ev), INSN("mul", 0, Ev), INSN("imul", 0, Ev),
    INSN("div", 0, Ev), INSN("idiv", 0, Ev),
};
static const X86InsnInfo grp4[8] = {
    INSN("inc", LK, Eb), INSN("dec", LK, Eb),
};
static const X86InsnInfo grp5[8] = {
    INSN("inc", LK, Ev), INSN("dec", LK, Ev), INSN("call", F64, Ev),
    INSN("lcall", 0, Mp), INSN("jmp", F64, Ev), INSN("ljmp", 0, Mp),
    INSN("push", D64, Ev),
};

/* Group 11: MOV, and the RTM instructions XABORT (C6 F8) and XBEGIN
   (C7 F8) at ModRM.reg 7. */
static const X86InsnInfo xabort_rm[8] = { INSN("xabort", 0, Ib) };
static const X86InsnInfo xbegin_rm[8] = { INSN("xbegin", F64, Jz) };
static const X86InsnInfo xabort_mod[2] = { {0}, RMS(xabort_rm) };
static const X86InsnInfo xbegin_mod[2] = { {0}, RMS(xbegin_rm) };
static const X86InsnInfo grp11_Eb[8] = {
    INSN("mov", 0, Eb, Ib), [7] = MODS(xabort_mod),
};
static const X86InsnInfo grp11_Ev[8] = {
    INSN("mov", 0, Ev, Iz), [7] = MODS(xbegin_mod),
};

/* x87 (D8-DF): memory forms by ModRM.reg, register forms by the whole
   ModRM byte (a row of eight per ModRM.reg, split by rm where the row
   holds different instructions).  The rows the SDM leaves blank (D9 D8,
   DC D0, DC D8, DD C8, DE D0, DF C8-DF) are aliases that Intel and AMD
   CPUs run as FSTP, FCOM, FCOMP and FXCH, so they are decoded as such;
   DF C0 is FFREEP, which AMD documents, Intel CPUs run, and libm uses. */
#define X87_ARITH(name, m, dst, src)                                     \
    static const X86InsnInfo name[8] = {                                 \
        INSN("fadd", 0, dst, src), INSN("fmul", 0, dst, src),            \
        INSN("fcom", 0, dst, src), INSN("fcomp", 0, dst, src),           \
        INSN("fsub", 0, dst, src), INSN("fsubr", 0, dst, src),           \
        INSN("fdiv", 0, dst, src), INSN("fdivr", 0, dst, src),           \
    }
X87_ARITH(x87_d8_reg, 0, ST0, STi);
static const X86InsnInfo x87_d8_mem[8] = {
    INSN("fadd", 0, Mf32), INSN("fmul", 0, Mf32), INSN("fcom", 0, Mf32),
    INSN("fcomp", 0, Mf32), INSN("fsub", 0, Mf32), INSN("fsubr", 0, Mf32),
    INSN("fdiv", 0, Mf32), INSN("fdivr", 0, Mf32),
};
static const X86InsnInfo x87_dc_mem[8] = {
    INSN("fadd", 0, Mf64), INSN("fmul", 0, Mf64), INSN("fcom", 0, Mf64),
    INSN("fcomp", 0, Mf64), INSN("fsub", 0, Mf64), INSN("fsubr", 0, Mf64),
    INSN("fdiv", 0, Mf64), INSN("fdivr", 0, Mf64),
};
static const X86InsnInfo x87_dc_reg[8] = {
    INSN("fadd", 0, STi, ST0), INSN("fmul", 0, STi, ST0),
    INSN("fcom", 0, STi), INSN("fcomp", 0, STi), INSN("fsubr", 0, STi, ST0), INSN("fsub", 0, STi, ST0),
    INSN("fdivr", 0, STi, ST0), INSN("fdiv", 0, STi, ST0),
};
static const X86InsnInfo x87_d9_mem[8] = {
    INSN("fld", 0, Mf32), {0}, INSN("fst", 0, Mf32), INSN("fstp", 0, Mf32),
    INSN("fldenv", 0, M), INSN("fldcw", 0, Mw), INSN("fnstenv", 0, M),
    INSN("fnstcw", 0, Mw),
};
static const X86InsnInfo x87_d9_d0[8] = { INSN("fnop", 0) };
static const X86InsnInfo x87_d9_e0[8] = {
    INSN("fchs", 0), INSN("fabs", 0), {0}, {0}, INSN("ftst", 0),
    INSN("fxam", 0),
};
static const X86InsnInfo x87_d9_e8[8] = {
    INSN("fld1", 0), INSN("fldl2t", 0), INSN("fldl2e", 0), INSN("fldpi", 0),
    INSN("fldlg2", 0), INSN("fldln2", 0), INSN("fldz", 0),
};
static const X86InsnInfo x87_d9_f0[8] = {
    INSN("f2xm1", 0), INSN("fyl2x", 0), INSN("fptan", 0),
    INSN("fpatan", 0), INSN("fxtract", 0), INSN("fprem1", 0),
    INSN("fdecstp", 0), INSN("fincstp", 0),
};
static const X86InsnInfo x87_d9_f8[8] = {
    INSN("fprem", 0), INSN("fyl2xp1", 0), INSN("fsqrt", 0),
    INSN("fsincos", 0), INSN("frndint", 0), INSN("fscale", 0),
    INSN("fsin", 0), INSN("fcos", 0),
};
static const X86InsnInfo x87_d9_reg[8] = {
    INSN("fld", 0, STi), INSN("fxch", 0, STi), RMS(x87_d9_d0),
    INSN("fstp1", 0, STi),
    RMS(x87_d9_e0), RMS(x87_d9_e8), RMS(x87_d9_f0), RMS(x87_d9_f8),
};
static const X86InsnInfo x87_da_mem[8] = {
    INSN("fiadd", 0, Md), INSN("fimul", 0, Md), INSN("ficom", 0, Md),
    INSN("ficomp", 0, Md), INSN("fisub", 0, Md), INSN("fisubr", 0, Md),
    INSN("fidiv", 0, Md), INSN("fidivr", 0, Md),
};
static const X86InsnInfo x87_da_e8[8] = { [1] = INSN("fucompp", 0) };
static const X86InsnInfo x87_da_reg[8] = {
    INSN("fcmovb", 0, ST0, STi), INSN("fcmove", 0, ST0, STi),
    INSN("fcmovbe", 0, ST0, STi), INSN("fcmovu", 0, ST0, STi),
    {0}, RMS(x87_da_e8),
};
static const X86InsnInfo x87_db_mem[8] = {
    INSN("fild", 0, Md), INSN("fisttp", 0, Md), INSN("fist", 0, Md),
    INSN("fistp", 0, Md), {0}, INSN("fld", 0, Mf80), {0},
    INSN("fstp", 0, Mf80),
};
/* FNENI, FNDISI (8087) and FNSETPM (287) do nothing on later CPUs. */
static const X86InsnInfo x87_db_e0[8] = {
    INSN("fneni", 0), INSN("fndisi", 0), INSN("fnclex", 0),
    INSN("fninit", 0), INSN("fnsetpm", 0),
};
static const X86InsnInfo x87_db_reg[8] = {
    INSN("fcmovnb", 0, ST0, STi), INSN("fcmovne", 0, ST0, STi),
    INSN("fcmovnbe", 0, ST0, STi), INSN("fcmovnu", 0, ST0, STi),
    RMS(x87_db_e0), INSN("fucomi", 0, ST0, STi), INSN("fcomi", 0, ST0, STi),
};
static const X86InsnInfo x87_dd_mem[8] = {
    INSN("fld", 0, Mf64), INSN("fisttp", 0, Mq), INSN("fst", 0, Mf64),
    INSN("fstp", 0, Mf64), INSN("frstor", 0, M), {0}, INSN("fnsave", 0, M),
    INSN("fnstsw", 0, Mw),
};
static const X86InsnInfo x87_dd_reg[8] = {
    INSN("ffree", 0, STi), INSN("fxch", 0, STi), INSN("fst", 0, STi), INSN("fstp", 0, STi),
    INSN("fucom", 0, STi), INSN("fucomp", 0, STi),
};
static const X86InsnInfo x87_de_mem[8] = {
    INSN("fiadd", 0, Mw), INSN("fimul", 0, Mw), INSN("ficom", 0, Mw),
    INSN("ficomp", 0, Mw), INSN("fisub", 0, Mw), INSN("fisubr", 0, Mw),
    INSN("fidiv", 0, Mw), INSN("fidivr", 0, Mw),
};
static const X86InsnInfo x87_de_d8[8] = { [1] = INSN("fcompp", 0) };
static const X86InsnInfo x87_de_reg[8] = {
    INSN("faddp", 0, STi, ST0), INSN("fmulp", 0, STi, ST0),
    INSN("fcomp", 0, STi),
    RMS(x87_de_d8), INSN("fsubrp", 0, STi, ST0), INSN("fsubp", 0, STi, ST0),
    INSN("fdivrp", 0, STi, ST0), INSN("fdivp", 0, STi, ST0),
};
static const X86InsnInfo x87_df_mem[8] = {
    INSN("fild", 0, Mw), INSN("fisttp", 0, Mw), INSN("fist", 0, Mw),
    INSN("fistp", 0, Mw), INSN("fbld", 0, Mf80), INSN("fild", 0, Mq),
    INSN("fbstp", 0, Mf80), INSN("fistp", 0, Mq),
};
static const X86InsnInfo x87_df_e0[8] = { INSN("fnstsw", 0, AX) };
static const X86InsnInfo x87_df_reg[8] = {
    INSN("ffreep", 0, STi), INSN("fxch", 0, STi), INSN("fstp", 0, STi),
    INSN("fstp", 0, STi),
    RMS(x87_df_e0), INSN("fucomip", 0, ST0, STi),
    INSN("fcomip", 0, ST0, STi),
};
static const X86InsnInfo x87_d8[2] = { GROUP(x87_d8_mem), GROUP(x87_d8_reg) };
static const X86InsnInfo x87_d9[2] = { GROUP(x87_d9_mem), GROUP(x87_d9_reg) };
static const X86InsnInfo x87_da[2] = { GROUP(x87_da_mem), GROUP(x87_da_reg) };
static const X86InsnInfo x87_db[2] = { GROUP(x87_db_mem), GROUP(x87_db_reg) };
static const X86InsnInfo x87_dc[2] = { GROUP(x87_dc_mem), GROUP(x87_dc_reg) };
static const X86InsnInfo x87_dd[2] = { GROUP(x87_dd_mem), GROUP(x87_dd_reg) };
static const X86InsnInfo x87_de[2] = { GROUP(x87_de_mem), GROUP(x87_de_reg) };
static const X86InsnInfo x87_df[2] = { GROUP(x87_df_mem), GROUP(x87_df_reg) };

/* 90: XCHG rAX with itself is NOP (no zero-extension of EAX in 64-bit
   mode); F3 90 is PAUSE.  With REX.B it exchanges R8 and rAX. */
static const X86InsnInfo op_90[4] = {
    INSN("xchg", 0, Zv, rAX), INSN("xchg", OSZ, Zv, rAX),
    INSN("pause", 0), INSN("xchg", 0, Zv, rAX),
};

const X86InsnInfo x86_table_one[256] = {
    ALU(0x00, "add", LK), ALU(0x08, "or", LK), ALU(0x10, "adc", LK),
    ALU(0x18, "sbb", LK), ALU(0x20, "and", LK), ALU(0x28, "sub", LK),
    ALU(0x30, "xor", LK), ALU(0x38, "cmp", 0),
    /* Gone from 64-bit mode; here for the 32-bit decoder to come. */
    [0x06] = INSN("push", N64, FIXED(SEGREG, W, X86_SEG_ES)),
    [0x07] = INSN("pop", N64, FIXED(SEGREG, W, X86_SEG_ES)),
    [0x0e] = INSN("push", N64, FIXED(SEGREG, W, X86_SEG_CS)),
    [0x16] = INSN("push", N64, FIXED(SEGREG, W, X86_SEG_SS)),
    [0x17] = INSN("pop", N64, FIXED(SEGREG, W, X86_SEG_SS)),
    [0x1e] = INSN("push", N64, FIXED(SEGREG, W, X86_SEG_DS)),
    [0x1f] = INSN("pop", N64, FIXED(SEGREG, W, X86_SEG_DS)),
    [0x27] = INSN("daa", N64), [0x2f] = INSN("das", N64),
    [0x37] = INSN("aaa", N64), [0x3f] = INSN("aas", N64),
    /* 40-4F are REX prefixes in 64-bit mode and never reach the table. */
    [0x40 ... 0x47] = INSN("inc", N64, Zv),
    [0x48 ... 0x4f] = INSN("dec", N64, Zv),
    [0x50 ... 0x57] = INSN("push", D64, Zv),
    [0x58 ... 0x5f] = INSN("pop", D64, Zv),
    [0x60] = INSN("pusha", N64), [0x61] = INSN("popa", N64),
    [0x62] = UD_BECAUSE(X86_F_UD_VEX),        /* EVEX; BOUND before */
    [0x63] = INSN("movsxd", 0, Gv, Ed),
    [0x68] = INSN("push", D64, Iz), [0x69] = INSN("imul", 0, Gv, Ev, Iz),
    [0x6a] = INSN("push", D64, Ibs), [0x6b] = INSN("imul", 0, Gv, Ev, Ibs),
    [0x6c] = INSN("insb", 0, DX), [0x6d] = INSN("ins", 0, DX),
    [0x6e] = INSN("outsb", 0, DX), [0x6f] = INSN("outs", 0, DX),
    [0x70] = INSN("jo", F64, Jb), [0x71] = INSN("jno", F64, Jb),
    [0x72] = INSN("jb", F64, Jb), [0x73] = INSN("jae", F64, Jb),
    [0x74] = INSN("je", F64, Jb), [0x75] = INSN("jne", F64, Jb),
    [0x76] = INSN("jbe", F64, Jb), [0x77] = INSN("ja", F64, Jb),
    [0x78] = INSN("js", F64, Jb), [0x79] = INSN("jns", F64, Jb),
    [0x7a] = INSN("jp", F64, Jb), [0x7b] = INSN("jnp", F64, Jb),
    [0x7c] = INSN("jl", F64, Jb), [0x7d] = INSN("jge", F64, Jb),
    [0x7e] = INSN("jle", F64, Jb), [0x7f] = INSN("jg", F64, Jb),
    [0x80] = GROUP(grp1_Eb_Ib), [0x81] = GROUP(grp1_Ev_Iz),
    [0x82] = INSN("grp1", N64, Eb, Ib), [0x83] = GROUP(grp1_Ev_Ib),
    [0x84] = INSN("test", 0, Eb, Gb), [0x85] = INSN("test", 0, Ev, Gv),
    [0x86] = INSN("xchg", LK, Eb, Gb), [0x87] = INSN("xchg", LK, Ev, Gv),
    [0x88] = INSN("mov", 0, Eb, Gb), [0x89] = INSN("mov", 0, Ev, Gv),
    [0x8a] = INSN("mov", 0, Gb, Eb), [0x8b] = INSN("mov", 0, Gv, Ev),
    [0x8c] = INSN("mov", 0, Ev, Sw), [0x8d] = INSN("lea", 0, Gv, M),
    [0x8e] = INSN("mov", 0, Sw, Ew), [0x8f] = GROUP(grp1a),
    [0x90] = PFX(op_90),
    [0x91 ... 0x97] = INSN("xchg", 0, Zv, rAX),
    [0x98] = INSN("cwde", 0), [0x99] = INSN("cdq", 0),
    [0x9a] = INSN("lcall", N64, Iz, Iw),
    [0x9b] = INSN("fwait", 0),
    [0x9c] = INSN("pushf", D64), [0x9d] = INSN("popf", D64),
    [0x9e] = INSN("sahf", 0), [0x9f] = INSN("lahf", 0),
    [0xa0] = INSN("mov", 0, AL, Ob), [0xa1] = INSN("mov", 0, rAX, Ov),
    [0xa2] = INSN("mov", 0, Ob, AL), [0xa3] = INSN("mov", 0, Ov, rAX),
    [0xa4] = INSN("movsb", 0), [0xa5] = INSN("movs", 0),
    [0xa6] = INSN("cmpsb", 0), [0xa7] = INSN("cmps", 0),
    [0xa8] = INSN("test", 0, AL, Ib), [0xa9] = INSN("test", 0, rAX, Iz),
    [0xaa] = INSN("stosb", 0), [0xab] = INSN("stos", 0),
    [0xac] = INSN("lodsb", 0), [0xad] = INSN("lods", 0),
    [0xae] = INSN("scasb", 0), [0xaf] = INSN("scas", 0),
    [0xb0 ... 0xb7] = INSN("mov", 0, Zb, Ib),
    [0xb8 ... 0xbf] = INSN("mov", 0, Zv, Iv),
    [0xc0] = GROUP(grp2_Eb_Ib), [0xc1] = GROUP(grp2_Ev_Ib),
    [0xc2] = INSN("ret", F64, Iw), [0xc3] = INSN("ret", F64),
    [0xc4] = UD_BECAUSE(X86_F_UD_VEX), [0xc5] = UD_BECAUSE(X86_F_UD_VEX),
    [0xc6] = GROUP(grp11_Eb), [0xc7] = GROUP(grp11_Ev),
    [0xc8] = INSN("enter", D64, Iw, Ib), [0xc9] = INSN("leave", D64),
    [0xca] = INSN("lret", 0, Iw), [0xcb] = INSN("lret", 0),
    [0xcc] = INSN("int3", 0), [0xcd] = INSN("int", 0, Ib),
    [0xce] = INSN("into", N64), [0xcf] = INSN("iret", 0),
    [0xd0] = GROUP(grp2_Eb_1), [0xd1] = GROUP(grp2_Ev_1),
    [0xd2] = GROUP(grp2_Eb_CL), [0xd3] = GROUP(grp2_Ev_CL),
    [0xd4] = INSN("aam", N64, Ib), [0xd5] = INSN("aad", N64, Ib),
    [0xd6] = INSN("salc", N64), [0xd7] = INSN("xlat", 0),
    [0xd8] = MODS(x87_d8), [0xd9] = MODS(x87_d9), [0xda] = MODS(x87_da),
    [0xdb] = MODS(x87_db), [0xdc] = MODS(x87_dc), [0xdd] = MODS(x87_dd),
    [0xde] = MODS(x87_de), [0xdf] = MODS(x87_df),
    [0xe0] = INSN("loopne", F64, Jb), [0xe1] = INSN("loope", F64, Jb),
    [0xe2] = INSN("loop", F64, Jb), [0xe3] = INSN("jrcxz", F64, Jb),
    [0xe4] = INSN("in", 0, AL, Ib), [0xe5] = INSN("in", 0, eAX, Ib),
    [0xe6] = INSN("out", 0, Ib, AL), [0xe7] = INSN("out", 0, Ib, eAX),
    [0xe8] = INSN("call", F64, Jz), [0xe9] = INSN("jmp", F64, Jz),
    [0xea] = INSN("ljmp", N64, Iz, Iw), [0xeb] = INSN("jmp", F64, Jb),
    [0xec] = INSN("in", 0, AL, DX), [0xed] = INSN("in", 0, eAX, DX),
    [0xee] = INSN("out", 0, DX, AL), [0xef] = INSN("out", 0, DX, eAX),
    [0xf1] = INSN("int1", 0), [0xf4] = INSN("hlt", 0),
    [0xf5] = INSN("cmc", 0),
    [0xf6] = GROUP(grp3_Eb), [0xf7] = GROUP(grp3_Ev),
    [0xf8] = INSN("clc", 0), [0xf9] = INSN("stc", 0),
    [0xfa] = INSN("cli", 0), [0xfb] = INSN("sti", 0),
    [0xfc] = INSN("cld", 0), [0xfd] = INSN("std", 0),
    [0xfe] = GROUP(grp4), [0xff] = GROUP(grp5),
};
