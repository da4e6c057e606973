/*
 * x86-64 backend, part 6: the vec and vec_movmsk ops (tcg-opc.h) on
 * 128-bit vectors in memory at base + offset, with SSE2, which every
 * x86-64 host has (and SSSE3's PALIGNR where the host has it).  Each op loads its operands into xmm0 and xmm1
 * (scratch, as in fp.c), runs one SSE insn and stores the result.
 *
 * An operand is loaded as two 8-byte halves (movq, movhps) rather than
 * one 16-byte load: front ends also write these vectors 8 bytes at a
 * time with plain st ops, and a 16-byte load of two such recent stores
 * cannot take its data from the store buffer (a stall of a dozen cycles
 * on current cores), where each 8-byte load can.  The result is stored
 * whole; 8-byte loads from it forward fine.
 */
#include "emit.h"

#include <assert.h>

#define OPC_MOVQ_VqWq (0x7e | P_EXT | P_SIMDF3)    /* movq xmm, m64 */
#define OPC_MOVHPS_VqMq (0x16 | P_EXT)             /* movhps xmm, m64 */
#define OPC_MOVDQU_WxVx (0x7f | P_EXT | P_SIMDF3)  /* movdqu m128, xmm */
#define OPC_PMOVMSKB (0xd7 | P_EXT | P_DATA16)     /* pmovmskb r32, xmm */
#define OPC_PSHUFD (0x70 | P_EXT | P_DATA16)       /* pshufd xmm, xmm, ib */
#define OPC_PALIGNR (0x0f | P_EXT3A | P_DATA16)    /* SSSE3 palignr, ib */

enum { XMM0, XMM1 };

/* The SSE2 opcode (66 0F xx, xmm0 op= xmm1) of each op, 0 if none. */
static int vec_opcode(int op)
{
    static const uint8_t opc[TCG_VEC_NB_KINDS][4] = {
        [TCG_VEC_ADD] = { 0xfc, 0xfd, 0xfe, 0xd4 },
        [TCG_VEC_SUB] = { 0xf8, 0xf9, 0xfa, 0xfb },
        [TCG_VEC_CMPEQ] = { 0x74, 0x75, 0x76, 0 },
        [TCG_VEC_CMPGT] = { 0x64, 0x65, 0x66, 0 },
        [TCG_VEC_MINU] = { 0xda, 0, 0, 0 },
        [TCG_VEC_MAXU] = { 0xde, 0, 0, 0 },
        [TCG_VEC_AND] = { 0xdb, 0xdb, 0xdb, 0xdb },
        [TCG_VEC_OR] = { 0xeb, 0xeb, 0xeb, 0xeb },
        [TCG_VEC_XOR] = { 0xef, 0xef, 0xef, 0xef },
        [TCG_VEC_ANDC] = { 0xdf, 0xdf, 0xdf, 0xdf }, /* pandn: ~x & y */
        [TCG_VEC_ZIPLO] = { 0x60, 0x61, 0x62, 0x6c },
        [TCG_VEC_ZIPHI] = { 0x68, 0x69, 0x6a, 0x6d },
        [TCG_VEC_SHUF32] = { 0x70, 0x70, 0x70, 0x70 },
    };
    unsigned kind = TCG_VEC_KIND(op);

    if (kind == TCG_VEC_ALIGNR)
        return have_ssse3 ? OPC_PALIGNR : 0;
    if (kind >= TCG_VEC_NB_KINDS || !opc[kind][op & 3])
        return 0;
    return opc[kind][op & 3] | P_EXT | P_DATA16;
}

bool tcg_target_have_vec(int op)
{
    return vec_opcode(op) != 0;
}

/* xmm = the 16 bytes at base + off, in two halves. */
static void out_vec_load(TCGContext *s, int xmm, int base, intptr_t off)
{
    tcg_out_modrm_offset(s, OPC_MOVQ_VqWq, xmm, base, off);
    tcg_out_modrm_offset(s, OPC_MOVHPS_VqMq, xmm, base, off + 8);
}

/* vec base, op, d, a, b */
void tcg_out_op_vec(TCGContext *s, const TCGOp *op, const TCGArg *args,
                    const bool *const_args)
{
    int base = (int)args[0], vop = (int)args[1];
    intptr_t d = (intptr_t)args[2], a = (intptr_t)args[3];
    intptr_t b = (intptr_t)args[4];
    int opc = vec_opcode(vop);

    (void)op;
    (void)const_args;
    assert(opc);  /* the front end asked tcg_have_vec() */
    if (TCG_VEC_KIND(vop) == TCG_VEC_ALIGNR) {
        out_vec_load(s, XMM0, base, a);
        out_vec_load(s, XMM1, base, b);
        tcg_out_modrm(s, opc, XMM0, XMM1);
        tcg_out8(s, (uint8_t)((unsigned)vop >> 8));
    } else if (TCG_VEC_KIND(vop) == TCG_VEC_SHUF32) {
        out_vec_load(s, XMM1, base, a);
        tcg_out_modrm(s, OPC_PSHUFD, XMM0, XMM1);
        tcg_out8(s, (uint8_t)b);
    } else if (TCG_VEC_KIND(vop) == TCG_VEC_ANDC) {
        /* pandn computes ~xmm0 & xmm1: xmm0 = b, xmm1 = a. */
        out_vec_load(s, XMM0, base, b);
        out_vec_load(s, XMM1, base, a);
        tcg_out_modrm(s, opc, XMM0, XMM1);
    } else {
        out_vec_load(s, XMM0, base, a);
        out_vec_load(s, XMM1, base, b);
        tcg_out_modrm(s, opc, XMM0, XMM1);
    }
    tcg_out_modrm_offset(s, OPC_MOVDQU_WxVx, XMM0, base, d);
}

/* vec_movmsk ret, base, a */
void tcg_out_op_vec_movmsk(TCGContext *s, const TCGOp *op,
                           const TCGArg *args, const bool *const_args)
{
    (void)op;
    (void)const_args;
    out_vec_load(s, XMM0, (int)args[1], (intptr_t)args[2]);
    tcg_out_modrm(s, OPC_PMOVMSKB, (int)args[0], XMM0);
}
