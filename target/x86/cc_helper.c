/*
 * EFLAGS from the lazy flags: the translator leaves the last flag-setting
 * operation in cc_op and its operands in cc_dst/cc_src/cc_src2
 * (translate.h says what each holds); x86_cc_compute turns them into
 * CF PF AF ZF SF OF as the Intel SDM defines them for that operation.
 * Where the SDM leaves a flag undefined, Mimic picks one behaviour and
 * keeps it: AF = 0 after logic ops, shifts and MUL; SF, ZF and PF from
 * the low half after MUL/IMUL; OF after a shift by more than 1 as for a
 * shift by 1 (SHL: top bit of the result XOR CF; SAR/SHR: top bit of the
 * last two values XORed).  docs/devel/x86.md has the table.
 */
#include "helper.h"
#include "translate.h"

static const uint8_t parity_table_bits[16] = {
    /* 1 for an even number of bits in a nibble */
    1, 0, 0, 1, 0, 1, 1, 0, 0, 1, 1, 0, 1, 0, 0, 1,
};

/* PF: the low byte of the result has an even number of 1 bits. */
static uint64_t pf_of(uint64_t v)
{
    unsigned b = (unsigned)v & 0xff;

    return parity_table_bits[(b ^ (b >> 4)) & 0xf] ? X86_PF : 0;
}

/* ZF, SF and PF of a result of the given width. */
static uint64_t szp(uint64_t dst, uint64_t mask, uint64_t sign)
{
    dst &= mask;
    return (dst == 0 ? X86_ZF : 0) | (dst & sign ? X86_SF : 0) | pf_of(dst);
}

uint64_t x86_cc_compute(uint32_t cc_op, uint64_t dst, uint64_t src,
                        uint64_t src2)
{
    unsigned bits = 8u << CC_OP_SIZE(cc_op);
    uint64_t mask = bits == 64 ? ~0ull : (1ull << bits) - 1;
    uint64_t sign = 1ull << (bits - 1);
    uint64_t flags, src1, cf;

    if (CC_OP_IS_ROT(cc_op)) {
        /* ROL/ROR: CF and OF from the rotate's result in src2, the
           others from the operation before it. */
        unsigned rbits = 8u << ((cc_op >> 6) & 3);
        uint64_t top = src2 >> (rbits - 1) & 1, of;

        flags = x86_cc_compute(CC_OP_BASE(cc_op), dst, src, 0) &
                ~(uint64_t)(X86_CF | X86_OF);
        if (cc_op & CC_OP_ROT_RIGHT) {
            cf = top;
            of = top ^ (src2 >> (rbits - 2) & 1);
        } else {
            cf = src2 & 1;
            of = top ^ cf;
        }
        return flags | (cf ? X86_CF : 0) | (of ? X86_OF : 0);
    }
    dst &= mask;
    switch (CC_OP_KIND(cc_op)) {
    case CC_KIND_EFLAGS:
        return src & X86_CC_MASK;
    case CC_KIND_ADD:
    case CC_KIND_ADC:
        src &= mask;
        cf = CC_OP_KIND(cc_op) == CC_KIND_ADC ? src2 & 1 : 0;
        src1 = (dst - src - cf) & mask;
        flags = szp(dst, mask, sign);
        flags |= (cf ? dst <= src : dst < src) ? X86_CF : 0;
        flags |= (src1 ^ src ^ dst) & X86_AF;
        flags |= ((src1 ^ dst) & (src ^ dst) & sign) ? X86_OF : 0;
        return flags;
    case CC_KIND_SUB:
    case CC_KIND_SBB:
        src &= mask;
        cf = CC_OP_KIND(cc_op) == CC_KIND_SBB ? src2 & 1 : 0;
        src1 = (dst + src + cf) & mask;
        flags = szp(dst, mask, sign);
        flags |= (cf ? src1 <= src : src1 < src) ? X86_CF : 0;
        flags |= (src1 ^ src ^ dst) & X86_AF;
        flags |= ((src1 ^ src) & (src1 ^ dst) & sign) ? X86_OF : 0;
        return flags;
    case CC_KIND_LOGIC:
        return szp(dst, mask, sign);
    case CC_KIND_INC:
        flags = szp(dst, mask, sign) | (src & X86_CF);
        flags |= (dst & 0xf) == 0 ? X86_AF : 0;
        flags |= dst == sign ? X86_OF : 0;
        return flags;
    case CC_KIND_DEC:
        flags = szp(dst, mask, sign) | (src & X86_CF);
        flags |= (dst & 0xf) == 0xf ? X86_AF : 0;
        flags |= dst == sign - 1 ? X86_OF : 0;
        return flags;
    case CC_KIND_SHL:
        flags = szp(dst, mask, sign);
        cf = (src & sign) != 0;
        flags |= cf ? X86_CF : 0;
        flags |= (((dst & sign) != 0) ^ cf) ? X86_OF : 0;
        return flags;
    case CC_KIND_SAR:
        flags = szp(dst, mask, sign);
        flags |= (src & 1) ? X86_CF : 0;
        flags |= ((src ^ dst) & sign) ? X86_OF : 0;
        return flags;
    case CC_KIND_MUL:
        flags = szp(dst, mask, sign);
        return flags | (src ? X86_CF | X86_OF : 0);
    }
    return 0;
}

uint64_t x86_get_eflags(const CPUX86State *env)
{
    return (env->eflags & ~(uint64_t)(X86_CC_MASK | X86_DF)) | 2 |
           x86_cc_compute(env->cc_op, env->cc_dst, env->cc_src,
                          env->cc_src2) |
           (env->df < 0 ? X86_DF : 0);
}

void x86_set_eflags(CPUX86State *env, uint64_t eflags)
{
    env->cc_op = CC_OP_EFLAGS;
    env->cc_src = eflags & X86_CC_MASK;
    env->df = (eflags & X86_DF) ? -1 : 1;
    env->eflags = (eflags & ~(uint64_t)(X86_CC_MASK | X86_DF)) | 2;
}

uint64_t helper_cc_compute(uint64_t dst, uint64_t src, uint64_t src2,
                           uint32_t cc_op)
{
    return x86_cc_compute(cc_op, dst, src, src2);
}

void helper_write_eflags(X86CPU *cpu, uint64_t val, uint64_t mask)
{
    uint64_t old = x86_get_eflags(&cpu->env);

    x86_set_eflags(&cpu->env, (old & ~mask) | (val & mask));
}

uint64_t helper_read_eflags(X86CPU *cpu)
{
    return x86_get_eflags(&cpu->env);
}
