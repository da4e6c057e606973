/*
 * Shorthands for writing the opcode tables (insn-table.c for the one-byte
 * map, insn-table-0f.c for the 0F, 0F 38 and 0F 3A maps): operand forms
 * in the Intel SDM's notation (Ev is OP(E, V)), flags, and the entry
 * kinds.  Included by the table files only.
 */
#ifndef TARGET_X86_INSN_TABLE_H
#define TARGET_X86_INSN_TABLE_H

#include "target/x86/decode.h"

#define OP(k, s) { X86_OPK_##k, X86_SZ_##s, 0 }
#define FIXED(k, s, r) { X86_OPK_##k, X86_SZ_##s, r }

#define Eb OP(E, B)
#define Ew OP(E, W)
#define Ed OP(E, D)
#define Eq OP(E, Q)
#define Ev OP(E, V)
#define Ey OP(E, Y)
#define Gb OP(G, B)
#define Gw OP(G, W)
#define Gd OP(G, D)
#define Gq OP(G, Q)
#define Gv OP(G, V)
#define Gy OP(G, Y)
#define M OP(M, NONE)
#define Mb OP(M, B)
#define Mw OP(M, W)
#define Md OP(M, D)
#define Mq OP(M, Q)
#define Mv OP(M, V)
#define My OP(M, Y)
#define Mx OP(M, X)
#define Mp OP(M, P)
#define Ms OP(M, S)
#define Mf32 OP(M, F32)
#define Mf64 OP(M, F64)
#define Mf80 OP(M, F80)
#define Rv OP(R, V)
#define Rw OP(R, W)
#define Ry OP(R, Y)
#define Rq OP(R, Q)
#define Sw OP(S, W)
#define Cq OP(C, Q)
#define Dq OP(D, Q)
#define Ib OP(I, B)
#define Ibs OP(I, BS)
#define Iw OP(I, W)
#define Iz OP(I, Z)
#define Iv OP(I, V)
#define Jb OP(J, BS)
#define Jz OP(J, Z)
#define Ob OP(O, B)
#define Ov OP(O, V)
#define Zb OP(Z, B)
#define Zv OP(Z, V)
#define Zy OP(Z, Y)
#define Vx OP(V, X)
#define Vq OP(V, Q)
#define Wx OP(W, X)
#define Wq OP(W, Q)
#define Wd OP(W, D)
#define Ww OP(W, W)
#define Ux OP(U, X)
#define Uq OP(U, Q)
#define Pq OP(P, Q)
#define Qq OP(Q, Q)
#define Qd OP(Q, D)
#define Nq OP(N, Q)
#define STi OP(STI, F80)
#define ST0 OP(ST0, F80)
#define XMM0 OP(XMM0, X)
#define One OP(ONE, NONE)
#define AL FIXED(REG, B, 0)
#define CL FIXED(REG, B, 1)
#define AX FIXED(REG, W, 0)
#define DX FIXED(REG, W, 2)
#define eAX FIXED(REG, Z, 0)
#define rAX FIXED(REG, V, 0)
#define FS FIXED(SEGREG, W, X86_SEG_FS)
#define GS FIXED(SEGREG, W, X86_SEG_GS)

#define LK X86_F_LOCK
#define D64 X86_F_DEF64
#define F64 X86_F_F64
#define N64 X86_F_NO64
#define OSZ X86_F_OSZ66

#define INSN(n, f, ...) { .name = n, .kind = X86_E_INSN, .flags = f, \
                          .op = { __VA_ARGS__ } }
#define GROUP(t) { .kind = X86_E_GROUP, .sub = t }
#define MODS(t) { .kind = X86_E_MOD, .sub = t }
#define RMS(t) { .kind = X86_E_RM, .sub = t }
#define PFX(t) { .kind = X86_E_PREFIX, .sub = t }
#define UD_BECAUSE(f) { .flags = f }

/* Sub-tables written in place (file-scope compound literals are static). */
#define P4(none, p66, pf3, pf2) \
    PFX(((const X86InsnInfo[4]){ none, p66, pf3, pf2 }))
#define G8(...) GROUP(((const X86InsnInfo[8]){ __VA_ARGS__ }))
#define RM8(...) RMS(((const X86InsnInfo[8]){ __VA_ARGS__ }))
#define MOD2(mem, reg) MODS(((const X86InsnInfo[2]){ mem, reg }))
#define NONE {0}

#endif
