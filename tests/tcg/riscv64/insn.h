/*
 * Inline-assembly wrappers that run exactly one instruction of a given form,
 * so that the compiler can neither fold nor pick another instruction.  The
 * instruction is assembled without the C extension (norvc), so it is the
 * 32-bit encoding under test; the rvc_* tests cover compressed forms.
 */
#ifndef TCG_RISCV64_INSN_H
#define TCG_RISCV64_INSN_H

#define NORVC(s) ".option push\n\t.option norvc\n\t" s "\n\t.option pop"

/* u64 rr_OP(u64 a, u64 b): rd = OP(rs1 = a, rs2 = b). */
#define DEF_RR(op)                                                         \
    static __attribute__((noinline)) u64 rr_##op(u64 a, u64 b)             \
    {                                                                      \
        u64 r;                                                             \
        __asm__ __volatile__(NORVC(#op " %0, %1, %2")                      \
                             : "=r"(r) : "r"(a), "r"(b));                  \
        return r;                                                          \
    }

/* RI(insn, a, imm): rd = insn(rs1 = a, imm), imm a constant expression. */
#define RI(insn, a, imm) ({                                                \
        u64 _r;                                                            \
        __asm__ __volatile__(NORVC(#insn " %0, %1, %2")                    \
                             : "=r"(_r) : "r"((u64)(a)), "i"(imm));        \
        _r; })

/* Runs a one-instruction asm text with rd as %0 and rs1 as %1, returns rd. */
#define R1(text, a) ({                                                     \
        u64 _r;                                                            \
        __asm__ __volatile__(NORVC(text) : "=r"(_r) : "r"((u64)(a)));      \
        _r; })

#endif
