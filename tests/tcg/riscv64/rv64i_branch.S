/*
 * RV64I control transfer: the six conditional branches on signed/unsigned
 * corner operands (taken and not taken), x0 and same-register operands,
 * branches at the ends of their +-4 KiB range, jal over +-64 KiB, the link
 * values of jal/jalr, jalr's offset and clearing of target bit 0, jalr with
 * rd == rs1, and a counted loop (backward branch run many times).
 * 32-bit encodings only (norvc); rvc_ctrl.S covers the compressed ones.
 */
#include "asm.h"

    .option norvc

    /* a2 = 1 if `insn va, vb` branches, checked against `taken` */
    .macro BR_ insn, va, vb, taken, line
    li      a0, \va
    li      a1, \vb
    li      a2, 1
    \insn   a0, a1, 8f
    li      a2, 0
8:
    CHECK_IMM_ a2, \taken, \line
    CHECK_IMM_ a0, \va, \line
    CHECK_IMM_ a1, \vb, \line
    .endm
#define BRS(a, b, eq, ne, lt, ge, ltu, geu) \
    BR_ beq, a, b, eq, __LINE__; BR_ bne, a, b, ne, __LINE__; \
    BR_ blt, a, b, lt, __LINE__; BR_ bge, a, b, ge, __LINE__; \
    BR_ bltu, a, b, ltu, __LINE__; BR_ bgeu, a, b, geu, __LINE__

    /* single-register forms: `insn a0, a0` / with x0 */
    .macro BR1_ text, va, taken, line
    li      a0, \va
    li      a2, 1
    \text, 8f
    li      a2, 0
8:
    CHECK_IMM_ a2, \taken, \line
    .endm
#define BR1(text, va, taken) BR1_ text, va, taken, __LINE__

TEST_BEGIN
    /* expected outcomes: beq bne blt bge bltu bgeu */
    BRS(0x0, 0x0, 1, 0, 0, 1, 0, 1)
    BRS(0x1, 0x0, 0, 1, 0, 1, 0, 1)
    BRS(0x0, 0x1, 0, 1, 1, 0, 1, 0)
    BRS(0xffffffffffffffff, 0x0, 0, 1, 1, 0, 0, 1)
    BRS(0x0, 0xffffffffffffffff, 0, 1, 0, 1, 1, 0)
    BRS(0x8000000000000000, 0x7fffffffffffffff, 0, 1, 1, 0, 0, 1)
    BRS(0x7fffffffffffffff, 0x8000000000000000, 0, 1, 0, 1, 1, 0)
    BRS(0xffffffffffffffff, 0xffffffffffffffff, 1, 0, 0, 1, 0, 1)
    BRS(0xfffffffffffffffe, 0xffffffffffffffff, 0, 1, 1, 0, 1, 0)
    BRS(0x80000000, 0x7fffffff, 0, 1, 0, 1, 0, 1)
    BRS(0x100000000, 0x0, 0, 1, 0, 1, 0, 1)
    BRS(0xffffffff, 0xffffffff00000000, 0, 1, 0, 1, 1, 0)
    BRS(0x8000000000000000, 0x0, 0, 1, 1, 0, 0, 1)

    BR1("beq a0, a0", 0x8000000000000000, 1)
    BR1("bne a0, a0", 0x8000000000000000, 0)
    BR1("blt a0, a0", 0x8000000000000000, 0)
    BR1("bge a0, a0", 0x8000000000000000, 1)
    BR1("bltu a0, a0", 0x8000000000000000, 0)
    BR1("bgeu a0, a0", 0x8000000000000000, 1)
    BR1("blt a0, x0", 0x8000000000000000, 1)     /* bltz */
    BR1("blt x0, a0", 0x8000000000000000, 0)     /* bgtz */
    BR1("bge x0, a0", 0x0, 1)                    /* blez */
    BR1("bltu x0, a0", 0x1, 1)                   /* bnez-like */
    BR1("bltu x0, a0", 0x0, 0)
    BR1("bgeu a0, x0", 0x1234, 1)                /* always */
    BR1("bltu a0, x0", 0xffffffffffffffff, 0)    /* never */
    BR1("beq x0, x0", 0, 1)

    /* branch to the next instruction, taken and not taken */
    li      a2, 0
    beq     zero, zero, 1f
1:  addi    a2, a2, 1
    bne     zero, zero, 1f
1:  addi    a2, a2, 1
    CHECK_IMM(a2, 2)

    /* the ends of the branch range: +4094 and -4096 */
    li      a2, 0
    /* beq a2, zero, far_fwd: spelled out, or gas relaxes it to bnez + j */
    .word   0x7e060fe3                 /* beq a2, zero, .+4094 */
    .skip   4090                       /* zeros: illegal if executed */
far_fwd:
    addi    a2, a2, 1
    j       1f
far_back:                              /* 4096 bytes before the bne */
    addi    a2, a2, 0x10
    j       2f
    .skip   4088
1:  bne     a2, zero, far_back         /* offset -4096 */
    li      a2, -1
2:  CHECK_IMM(a2, 0x11)

    /* jal over 64 KiB forward and back; link = pc + 4 */
    la      a3, 1f
    jal     t0, jal_fwd                /* forward, +64 KiB */
1:  j       5f
jal_back:
    CHECK_REG(t1, a3)
    jr      t1
    .skip   0x10000
jal_fwd:
    CHECK_REG(t0, a3)
    la      a3, 2f
    jal     t1, jal_back               /* backward, -64 KiB */
2:  jr      t0
5:
    /* jalr: target = (rs1 + imm) & ~1; link = pc + 4 */
    li      a6, 0
    la      a4, jalr_target
    addi    a4, a4, 1                  /* odd address: bit 0 is cleared */
    la      a5, 1f
    jalr    t2, 0(a4)
1:  CHECK_REG(t2, a5)
    CHECK_IMM(a6, 1)
    la      a4, jalr_target
    addi    a4, a4, 2047
    la      a5, 1f
    jalr    t2, -2047(a4)              /* negative offset */
1:  CHECK_REG(t2, a5)
    CHECK_IMM(a6, 2)
    la      a4, jalr_target
    addi    a4, a4, -2046
    la      a5, 1f
    jalr    t2, 2047(a4)               /* target + 1: bit 0 cleared */
1:  CHECK_REG(t2, a5)
    CHECK_IMM(a6, 3)
    j       6f

    .balign 4
jalr_target:
    addi    a6, a6, 1
    jr      t2
6:
    /* rd == rs1: the target is read before the link is written */
    la      t3, jalr_same
    la      a5, 1f
    jalr    t3, 0(t3)
1:  CHECK_REG(t3, a5)
    j       7f
jalr_same:
    jr      t3
7:
    /* jal x0 / jalr x0 do not write x0 */
    jal     x0, 1f
1:  la      a4, 1f
    jalr    x0, 0(a4)
1:  CHECK_IMM(x0, 0)

    /* call/ret through a register other than ra */
    la      a5, 1f
    jal     t4, jalr_t4
1:  CHECK_REG(t4, a5)
    CHECK_IMM(a7, 0x77)

    /* a counted loop: 100000 backward branches */
    li      a0, 100000
    li      a1, 0
1:  addi    a1, a1, 3
    addi    a0, a0, -1
    bnez    a0, 1b
    CHECK_IMM(a1, 300000)
    CHECK_IMM(a0, 0)
TEST_END

jalr_t4:
    li      a7, 0x77
    jalr    x0, 0(t4)
