/* needs: riscv64 */
/*
 * Tests of the RISC-V decoders generated from target/riscv/insn32.decode
 * and insn16.decode: each encoding (assembled with riscv64-linux-gnu-as)
 * must reach the right trans_ function with the right fields, and reserved
 * or unknown encodings must reach none (or trans_illegal).  The decoders are
 * compiled here with DECODETREE_TEST_STUBS, so every trans_ function is a
 * stub that records its name and arguments instead of emitting IR.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>

#include "unit.h"
#include "../../target/riscv/decode-ex.h"

struct DisasContext {
    const char *reject;   /* a trans_ name whose stub returns false */
};

static char seen[256];

static bool decodetree_test_record(DisasContext *ctx, const char *name,
                                   const char *fmt, ...)
{
    va_list ap;
    size_t n;

    n = (size_t)snprintf(seen, sizeof(seen), "%s%s", name, *fmt ? " " : "");
    va_start(ap, fmt);
    vsnprintf(seen + n, sizeof(seen) - n, fmt, ap);
    va_end(ap);
    return !ctx->reject || strcmp(ctx->reject, name) != 0;
}

#define DECODETREE_TEST_STUBS
#include "target/riscv/decode-insn32.c.inc"
#include "target/riscv/decode-insn16.c.inc"

typedef struct Case {
    uint32_t insn;
    const char *expect;   /* "" when no pattern may accept it */
} Case;

/* What decoding insn does: the last trans_ call it made, or "". */
static const char *decode(uint32_t insn, const char *reject, bool *accepted)
{
    DisasContext ctx = { reject };

    seen[0] = 0;
    if ((insn & 3) == 3)
        *accepted = decode_insn32(&ctx, insn);
    else
        *accepted = decode_insn16(&ctx, insn);
    return seen;
}

static void check_cases(const Case *cases, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        bool accepted;
        const char *got = decode(cases[i].insn, NULL, &accepted);

        if (strcmp(got, cases[i].expect) != 0 ||
            accepted != (cases[i].expect[0] != 0)) {
            printf("#   0x%08x: got \"%s\" (%s), expected \"%s\"\n",
                   cases[i].insn, got, accepted ? "accepted" : "rejected",
                   cases[i].expect);
            unit_case_failed = 1;
        }
    }
}

static const Case cases32[] = {
    { 0x12345537, "lui rd=10 imm=305418240" },  /* lui a0, 0x12345 */
    { 0xffffffb7, "lui rd=31 imm=-4096" },  /* lui t6, 0xfffff */
    { 0x80000097, "auipc rd=1 imm=-2147483648" },  /* auipc ra, 0x80000 */
    { 0x001000ef, "jal rd=1 imm=2048" },  /* jal ra, .+2048 */
    { 0xffdff06f, "jal rd=0 imm=-4" },  /* jal zero, .-4 */
    { 0xfff58567, "jalr rd=10 rs1=11 imm=-1" },  /* jalr a0, -1(a1) */
    { 0x80b50063, "beq rs1=10 rs2=11 imm=-4096" },  /* beq a0, a1, .-4096 */
    { 0x7e629fe3, "bne rs1=5 rs2=6 imm=4094" },  /* bne t0, t1, .+4094 */
    { 0x00944463, "blt rs1=8 rs2=9 imm=8" },  /* blt s0, s1, .+8 */
    { 0x00d65863, "bge rs1=12 rs2=13 imm=16" },  /* bge a2, a3, .+16 */
    { 0xfef76fe3, "bltu rs1=14 rs2=15 imm=-2" },  /* bltu a4, a5, .-2 */
    { 0x01187163, "bgeu rs1=16 rs2=17 imm=2" },  /* bgeu a6, a7, .+2 */
    { 0x80098903, "lb rd=18 rs1=19 imm=-2048" },  /* lb s2, -2048(s3) */
    { 0x7ffa9a03, "lh rd=20 rs1=21 imm=2047" },  /* lh s4, 2047(s5) */
    { 0x004bab03, "lw rd=22 rs1=23 imm=4" },  /* lw s6, 4(s7) */
    { 0x008cbc03, "ld rd=24 rs1=25 imm=8" },  /* ld s8, 8(s9) */
    { 0x000dcd03, "lbu rd=26 rs1=27 imm=0" },  /* lbu s10, 0(s11) */
    { 0x002ede03, "lhu rd=28 rs1=29 imm=2" },  /* lhu t3, 2(t4) */
    { 0x006fef03, "lwu rd=30 rs1=31 imm=6" },  /* lwu t5, 6(t6) */
    { 0xfea58fa3, "sb rs1=11 rs2=10 imm=-1" },  /* sb a0, -1(a1) */
    { 0x7ea59fa3, "sh rs1=11 rs2=10 imm=2047" },  /* sh a0, 2047(a1) */
    { 0x80a5a023, "sw rs1=11 rs2=10 imm=-2048" },  /* sw a0, -2048(a1) */
    { 0x00113c23, "sd rs1=2 rs2=1 imm=24" },  /* sd ra, 24(sp) */
    { 0xfff50513, "addi rd=10 rs1=10 imm=-1" },  /* addi a0, a0, -1 */
    { 0x0055a513, "slti rd=10 rs1=11 imm=5" },  /* slti a0, a1, 5 */
    { 0xffb5b513, "sltiu rd=10 rs1=11 imm=-5" },  /* sltiu a0, a1, -5 */
    { 0x7ff5c513, "xori rd=10 rs1=11 imm=2047" },  /* xori a0, a1, 0x7ff */
    { 0x0015e513, "ori rd=10 rs1=11 imm=1" },  /* ori a0, a1, 1 */
    { 0xff05f513, "andi rd=10 rs1=11 imm=-16" },  /* andi a0, a1, -16 */
    { 0x03f59513, "slli rd=10 rs1=11 shamt=63" },  /* slli a0, a1, 63 */
    { 0x0205d513, "srli rd=10 rs1=11 shamt=32" },  /* srli a0, a1, 32 */
    { 0x4015d513, "srai rd=10 rs1=11 shamt=1" },  /* srai a0, a1, 1 */
    { 0x00c58533, "add rd=10 rs1=11 rs2=12" },  /* add a0, a1, a2 */
    { 0x40c58533, "sub rd=10 rs1=11 rs2=12" },  /* sub a0, a1, a2 */
    { 0x00c59533, "sll rd=10 rs1=11 rs2=12" },  /* sll a0, a1, a2 */
    { 0x00c5a533, "slt rd=10 rs1=11 rs2=12" },  /* slt a0, a1, a2 */
    { 0x00c5b533, "sltu rd=10 rs1=11 rs2=12" },  /* sltu a0, a1, a2 */
    { 0x00c5c533, "xor rd=10 rs1=11 rs2=12" },  /* xor a0, a1, a2 */
    { 0x00c5d533, "srl rd=10 rs1=11 rs2=12" },  /* srl a0, a1, a2 */
    { 0x40c5d533, "sra rd=10 rs1=11 rs2=12" },  /* sra a0, a1, a2 */
    { 0x00c5e533, "or rd=10 rs1=11 rs2=12" },  /* or a0, a1, a2 */
    { 0x00c5f533, "and rd=10 rs1=11 rs2=12" },  /* and a0, a1, a2 */
    { 0xffd5851b, "addiw rd=10 rs1=11 imm=-3" },  /* addiw a0, a1, -3 */
    { 0x01f5951b, "slliw rd=10 rs1=11 shamt=31" },  /* slliw a0, a1, 31 */
    { 0x0075d51b, "srliw rd=10 rs1=11 shamt=7" },  /* srliw a0, a1, 7 */
    { 0x4005d51b, "sraiw rd=10 rs1=11 shamt=0" },  /* sraiw a0, a1, 0 */
    { 0x00c5853b, "addw rd=10 rs1=11 rs2=12" },  /* addw a0, a1, a2 */
    { 0x40c5853b, "subw rd=10 rs1=11 rs2=12" },  /* subw a0, a1, a2 */
    { 0x00c5953b, "sllw rd=10 rs1=11 rs2=12" },  /* sllw a0, a1, a2 */
    { 0x00c5d53b, "srlw rd=10 rs1=11 rs2=12" },  /* srlw a0, a1, a2 */
    { 0x40c5d53b, "sraw rd=10 rs1=11 rs2=12" },  /* sraw a0, a1, a2 */
    { 0x0310000f, "fence pred=3 succ=1" },  /* fence rw, w */
    { 0x8330000f, "fence pred=3 succ=3" },  /* fence.tso */
    { 0x0000100f, "fence_i" },  /* fence.i */
    { 0x00000073, "ecall" },  /* ecall */
    { 0x00100073, "ebreak" },  /* ebreak */
    { 0x30200073, "mret" },  /* mret */
    { 0x10500073, "wfi" },  /* wfi */
    { 0x10200073, "sret" },  /* sret */
    { 0x12000073, "sfence_vma rs1=0 rs2=0" },  /* sfence.vma */
    { 0x12b50073, "sfence_vma rs1=10 rs2=11" },  /* sfence.vma a0, a1 */
    { 0x30059573, "csrrw rd=10 rs1=11 csr=768" },  /* csrrw a0, mstatus, a1 */
    { 0xc0002573, "csrrs rd=10 rs1=0 csr=3072" },  /* csrrs a0, cycle, zero */
    { 0x3042b073, "csrrc rd=0 rs1=5 csr=772" },  /* csrrc zero, mie, t0 */
    { 0x340fd573, "csrrwi rd=10 rs1=31 csr=832" },  /* csrrwi a0, mscratch, 31 */
    { 0xfff0e573, "csrrsi rd=10 rs1=1 csr=4095" },  /* csrrsi a0, 0xfff, 1 */
    { 0x34117573, "csrrci rd=10 rs1=2 csr=833" },  /* csrrci a0, mepc, 2 */
    { 0x02c58533, "mul rd=10 rs1=11 rs2=12" },  /* mul a0, a1, a2 */
    { 0x02c59533, "mulh rd=10 rs1=11 rs2=12" },  /* mulh a0, a1, a2 */
    { 0x02c5a533, "mulhsu rd=10 rs1=11 rs2=12" },  /* mulhsu a0, a1, a2 */
    { 0x02c5b533, "mulhu rd=10 rs1=11 rs2=12" },  /* mulhu a0, a1, a2 */
    { 0x02c5c533, "div rd=10 rs1=11 rs2=12" },  /* div a0, a1, a2 */
    { 0x02c5d533, "divu rd=10 rs1=11 rs2=12" },  /* divu a0, a1, a2 */
    { 0x02c5e533, "rem rd=10 rs1=11 rs2=12" },  /* rem a0, a1, a2 */
    { 0x02c5f533, "remu rd=10 rs1=11 rs2=12" },  /* remu a0, a1, a2 */
    { 0x02c5853b, "mulw rd=10 rs1=11 rs2=12" },  /* mulw a0, a1, a2 */
    { 0x02c5c53b, "divw rd=10 rs1=11 rs2=12" },  /* divw a0, a1, a2 */
    { 0x02c5d53b, "divuw rd=10 rs1=11 rs2=12" },  /* divuw a0, a1, a2 */
    { 0x02c5e53b, "remw rd=10 rs1=11 rs2=12" },  /* remw a0, a1, a2 */
    { 0x02c5f53b, "remuw rd=10 rs1=11 rs2=12" },  /* remuw a0, a1, a2 */
    { 0x1005a52f, "lr_w rd=10 rs1=11 rs2=0 aq=0 rl=0" },  /* lr.w a0, (a1) */
    { 0x1605b52f, "lr_d rd=10 rs1=11 rs2=0 aq=1 rl=1" },  /* lr.d.aqrl a0, (a1) */
    { 0x1ac5a52f, "sc_w rd=10 rs1=11 rs2=12 aq=0 rl=1" },  /* sc.w.rl a0, a2, (a1) */
    { 0x18c5b52f, "sc_d rd=10 rs1=11 rs2=12 aq=0 rl=0" },  /* sc.d a0, a2, (a1) */
    { 0x0cc5a52f, "amoswap_w rd=10 rs1=11 rs2=12 aq=1 rl=0" },  /* amoswap.w.aq a0, a2, (a1) */
    { 0x00c5a52f, "amoadd_w rd=10 rs1=11 rs2=12 aq=0 rl=0" },  /* amoadd.w a0, a2, (a1) */
    { 0x20c5a52f, "amoxor_w rd=10 rs1=11 rs2=12 aq=0 rl=0" },  /* amoxor.w a0, a2, (a1) */
    { 0x60c5a52f, "amoand_w rd=10 rs1=11 rs2=12 aq=0 rl=0" },  /* amoand.w a0, a2, (a1) */
    { 0x40c5a52f, "amoor_w rd=10 rs1=11 rs2=12 aq=0 rl=0" },  /* amoor.w a0, a2, (a1) */
    { 0x80c5a52f, "amomin_w rd=10 rs1=11 rs2=12 aq=0 rl=0" },  /* amomin.w a0, a2, (a1) */
    { 0xa0c5a52f, "amomax_w rd=10 rs1=11 rs2=12 aq=0 rl=0" },  /* amomax.w a0, a2, (a1) */
    { 0xc0c5a52f, "amominu_w rd=10 rs1=11 rs2=12 aq=0 rl=0" },  /* amominu.w a0, a2, (a1) */
    { 0xe0c5a52f, "amomaxu_w rd=10 rs1=11 rs2=12 aq=0 rl=0" },  /* amomaxu.w a0, a2, (a1) */
    { 0x08c5b52f, "amoswap_d rd=10 rs1=11 rs2=12 aq=0 rl=0" },  /* amoswap.d a0, a2, (a1) */
    { 0x00c5b52f, "amoadd_d rd=10 rs1=11 rs2=12 aq=0 rl=0" },  /* amoadd.d a0, a2, (a1) */
    { 0x20c5b52f, "amoxor_d rd=10 rs1=11 rs2=12 aq=0 rl=0" },  /* amoxor.d a0, a2, (a1) */
    { 0x60c5b52f, "amoand_d rd=10 rs1=11 rs2=12 aq=0 rl=0" },  /* amoand.d a0, a2, (a1) */
    { 0x40c5b52f, "amoor_d rd=10 rs1=11 rs2=12 aq=0 rl=0" },  /* amoor.d a0, a2, (a1) */
    { 0x80c5b52f, "amomin_d rd=10 rs1=11 rs2=12 aq=0 rl=0" },  /* amomin.d a0, a2, (a1) */
    { 0xa0c5b52f, "amomax_d rd=10 rs1=11 rs2=12 aq=0 rl=0" },  /* amomax.d a0, a2, (a1) */
    { 0xc0c5b52f, "amominu_d rd=10 rs1=11 rs2=12 aq=0 rl=0" },  /* amominu.d a0, a2, (a1) */
    { 0xe6c5b52f, "amomaxu_d rd=10 rs1=11 rs2=12 aq=1 rl=1" },  /* amomaxu.d.aqrl a0, a2, (a1) */
    /* F and D. */
    { 0x02c59553, "fadd_d rd=10 rs1=11 rs2=12 rm=1" },  /* fadd.d fa0, fa1, fa2, rtz */
    { 0x1820c043, "fmadd_s rd=0 rs1=1 rs2=2 rs3=3 rm=4" },  /* fmadd.s ft0, ft1, ft2, ft3, rmm */
    { 0x931ffdcf, "fnmadd_d rd=27 rs1=31 rs2=17 rs3=18 rm=7" },  /* fnmadd.d fs11, ft11, fa7, fs2 */
    { 0x58058553, "fsqrt_s rd=10 rs1=11 rm=0" },  /* fsqrt.s fa0, fa1, rne */
    { 0xc200b553, "fcvt_w_d rd=10 rs1=1 rm=3" },  /* fcvt.w.d a0, ft1, rup */
    { 0xd236a153, "fcvt_d_lu rd=2 rs1=13 rm=2" },  /* fcvt.d.lu ft2, a3, rdn */
    { 0x4015c553, "fcvt_s_d rd=10 rs1=11 rm=4" },  /* fcvt.s.d fa0, fa1, rmm */
    { 0x2220a053, "fsgnjx_d rd=0 rs1=1 rs2=2" },  /* fsgnjx.d ft0, ft1, ft2 */
    { 0x28c59553, "fmax_s rd=10 rs1=11 rs2=12" },  /* fmax.s fa0, fa1, fa2 */
    { 0xa2c58553, "fle_d rd=10 rs1=11 rs2=12" },  /* fle.d a0, fa1, fa2 */
    { 0xe00195d3, "fclass_s rd=11 rs1=3" },  /* fclass.s a1, ft3 */
    { 0xe0008553, "fmv_x_w rd=10 rs1=1" },  /* fmv.x.w a0, ft1 */
    { 0xf20500d3, "fmv_d_x rd=1 rs1=10" },  /* fmv.d.x ft1, a0 */
    { 0xfea5ae27, "fsw rs1=11 rs2=10 imm=-4" },  /* fsw fa0, -4(a1) */
    { 0x7ff12007, "flw rd=0 rs1=2 imm=2047" },  /* flw ft0, 2047(sp) */
    { 0x0005b507, "fld rd=10 rs1=11 imm=0" },  /* fld fa0, 0(a1) */
};

static const Case cases16[] = {
    { 0x1fe8, "addi rd=10 rs1=2 imm=1020" },  /* c.addi4spn a0, sp, 1020 */
    { 0x0044, "addi rd=9 rs1=2 imm=4" },  /* c.addi4spn s1, sp, 4 */
    { 0x5f7c, "lw rd=15 rs1=14 imm=124" },  /* c.lw a5, 124(a4) */
    { 0x7ce0, "ld rd=8 rs1=9 imm=248" },  /* c.ld s0, 248(s1) */
    { 0xc13c, "sw rs1=10 rs2=15 imm=64" },  /* c.sw a5, 64(a0) */
    { 0xe690, "sd rs1=13 rs2=12 imm=8" },  /* c.sd a2, 8(a3) */
    { 0x0001, "addi rd=0 rs1=0 imm=0" },  /* c.nop */
    { 0x1501, "addi rd=10 rs1=10 imm=-32" },  /* c.addi a0, -32 */
    { 0x0ffd, "addi rd=31 rs1=31 imm=31" },  /* c.addi t6, 31 */
    { 0x357d, "addiw rd=10 rs1=10 imm=-1" },  /* c.addiw a0, -1 */
    { 0x55bd, "addi rd=11 rs1=0 imm=-17" },  /* c.li a1, -17 */
    { 0x7101, "addi rd=2 rs1=2 imm=-512" },  /* c.addi16sp sp, -512 */
    { 0x617d, "addi rd=2 rs1=2 imm=496" },  /* c.addi16sp sp, 496 */
    { 0x7501, "lui rd=10 imm=-131072" },  /* c.lui a0, 0xfffe0 */
    { 0x647d, "lui rd=8 imm=126976" },  /* c.lui s0, 0x1f */
    { 0x917d, "srli rd=10 rs1=10 shamt=63" },  /* c.srli a0, 63 */
    { 0x8485, "srai rd=9 rs1=9 shamt=1" },  /* c.srai s1, 1 */
    { 0x9bfd, "andi rd=15 rs1=15 imm=-1" },  /* c.andi a5, -1 */
    { 0x8d0d, "sub rd=10 rs1=10 rs2=11" },  /* c.sub a0, a1 */
    { 0x8c3d, "xor rd=8 rs1=8 rs2=15" },  /* c.xor s0, a5 */
    { 0x8e55, "or rd=12 rs1=12 rs2=13" },  /* c.or a2, a3 */
    { 0x8f7d, "and rd=14 rs1=14 rs2=15" },  /* c.and a4, a5 */
    { 0x9d05, "subw rd=10 rs1=10 rs2=9" },  /* c.subw a0, s1 */
    { 0x9d25, "addw rd=10 rs1=10 rs2=9" },  /* c.addw a0, s1 */
    { 0xb001, "jal rd=0 imm=-2048" },  /* c.j .-2048 */
    { 0xaffd, "jal rd=0 imm=2046" },  /* c.j .+2046 */
    { 0xd101, "beq rs1=10 rs2=0 imm=-256" },  /* c.beqz a0, .-256 */
    { 0xecfd, "bne rs1=9 rs2=0 imm=254" },  /* c.bnez s1, .+254 */
    { 0x1506, "slli rd=10 rs1=10 shamt=33" },  /* c.slli a0, 33 */
    { 0x50fe, "lw rd=1 rs1=2 imm=252" },  /* c.lwsp ra, 252(sp) */
    { 0x7ffe, "ld rd=31 rs1=2 imm=504" },  /* c.ldsp t6, 504(sp) */
    { 0x8082, "jalr rd=0 rs1=1 imm=0" },  /* c.jr ra */
    { 0x852e, "add rd=10 rs1=0 rs2=11" },  /* c.mv a0, a1 */
    { 0x9002, "ebreak" },  /* c.ebreak */
    { 0x9282, "jalr rd=1 rs1=5 imm=0" },  /* c.jalr t0 */
    { 0x957e, "add rd=10 rs1=10 rs2=31" },  /* c.add a0, t6 */
    { 0xdfaa, "sw rs1=2 rs2=10 imm=252" },  /* c.swsp a0, 252(sp) */
    { 0xffee, "sd rs1=2 rs2=27 imm=504" },  /* c.sdsp s11, 504(sp) */
    { 0x3fe4, "fld rd=9 rs1=15 imm=248" },  /* c.fld fs1, 248(a5) */
    { 0xa41c, "fsd rs1=8 rs2=15 imm=8" },  /* c.fsd fa5, 8(s0) */
    { 0x3ffe, "fld rd=31 rs1=2 imm=504" },  /* c.fldsp ft11, 504(sp) */
    { 0xa422, "fsd rs1=2 rs2=8 imm=8" },  /* c.fsdsp fs0, 8(sp) */
};

/* Reserved encodings: trans_illegal, or no pattern at all. */
static const Case reserved[] = {
    { 0x0000, "illegal" },       /* all-zero halfword */
    { 0x0004, "illegal" },       /* c.addi4spn s1, sp, 0 */
    { 0x2005, "illegal" },       /* c.addiw x0, 1 */
    { 0x6501, "illegal" },       /* c.lui a0, 0 */
    { 0x6101, "illegal" },       /* c.addi16sp sp, 0 */
    { 0x4012, "illegal" },       /* c.lwsp x0, 4(sp) */
    { 0x6012, "illegal" },       /* c.ldsp x0, 8(sp) */
    { 0x8002, "illegal" },       /* c.jr x0 */
    { 0x8000, "" },              /* quadrant 0, funct3 100 */
    { 0x9c41, "" },              /* reserved neighbours of c.subw/c.addw */
    { 0x9c61, "" },
    { 0xffffffff, "" },
    { 0x12000473, "" },          /* sfence.vma with rd != 0 */
    { 0x10200473, "" },          /* sret with rd != 0 */
    { 0x00000573, "" },          /* ecall with rd != 0 */
    { 0x0405d513, "" },          /* srli with funct6 000010 */
    { 0x0205951b, "" },          /* slliw with shamt bit 5 set */
    { 0x4205d51b, "" },          /* sraiw with shamt bit 5 set */
    { 0x02c5a53b, "" },          /* OP-32, funct7 1, funct3 010 */
    { 0x10c5a52f, "" },          /* lr.w with rs2 != 0 */
    { 0x0005c507, "" },          /* LOAD-FP with width 100 (flq) */
    { 0x06c58553, "" },          /* fadd with fmt 11 (Q) */
    { 0x58158553, "" },          /* fsqrt.s with rs2 != 0 */
    { 0xe000a553, "" },          /* fmv.x.w with funct3 010 */
    { 0x0000108f, "fence_i" },   /* fence.i ignores rd */
    { 0x8330000f, "fence pred=3 succ=3" },  /* fence.tso */
};

TEST(decode_rv64i_m_a_zicsr)
{
    check_cases(cases32, sizeof(cases32) / sizeof(cases32[0]));
}

TEST(decode_rv64c)
{
    check_cases(cases16, sizeof(cases16) / sizeof(cases16[0]));
}

TEST(decode_reserved_encodings)
{
    check_cases(reserved, sizeof(reserved) / sizeof(reserved[0]));
}

/* In an overlap group a trans_ that returns false passes the encoding on
   to the next pattern; outside groups nothing else is tried. */
TEST(decode_overlap_fallthrough)
{
    bool accepted;

    EXPECT_STREQ(decode(0x0000, "illegal", &accepted), "addi rd=8 rs1=2 imm=0");
    EXPECT(accepted);
    EXPECT_STREQ(decode(0x8082, "jalr", &accepted), "add rd=1 rs1=0 rs2=0");
    EXPECT(accepted);
    EXPECT_STREQ(decode(0x9002, "ebreak", &accepted), "jalr rd=1 rs1=0 imm=0");
    EXPECT_STREQ(decode(0x00b50533, "add", &accepted), "add rd=10 rs1=10 rs2=11");
    EXPECT(!accepted);
}

int main(void)
{
    return unit_run();
}
