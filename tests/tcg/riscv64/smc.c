/*
 * Self-modifying code, with the guarantee Zifencei gives: a store to
 * instruction memory followed by fence.i is seen by later fetches on the
 * same hart.  Patched code that has already been executed (and, on a
 * translator, translated and chained): an immediate rewritten a thousand
 * times, a hot function patched after ten thousand calls, only the upper
 * halfword of an instruction rewritten, a 32-bit instruction replaced by two
 * 16-bit ones, a branch condition flipped, code stored into a data buffer
 * and rewritten, and an instruction patched later in the very block that
 * does the store and the fence.i.  Also the fence forms execute as no-ops
 * for a single hart.  (Without fence.i nothing is guaranteed, so nothing is
 * tested that way.)
 */
#include "lib.h"

long smc_fn(void);
long smc_same_block(u32 insn);
long smc_cmp(long a, long b);
extern u32 smc_fn_insn[], smc_cmp_insn[];

__asm__(".text\n"
        ".option push\n"
        ".option norvc\n"
        ".balign 4\n"
        ".globl smc_fn, smc_fn_insn\n"
        "smc_fn:\n"
        "smc_fn_insn:\n"
        "  addi a0, zero, 1\n"
        "  ret\n"
        "  nop\n"
        ".globl smc_same_block\n"
        "smc_same_block:\n"          /* a0 = new instruction for 1: */
        "  lla t0, 1f\n"
        "  sw a0, 0(t0)\n"
        "  fence.i\n"
        "1:addi a0, zero, 0x111\n"
        "  ret\n"
        ".globl smc_cmp, smc_cmp_insn\n"
        "smc_cmp:\n"
        "smc_cmp_insn:\n"
        "  beq a0, a1, 1f\n"
        "  li a0, 0\n"
        "  ret\n"
        "1:li a0, 1\n"
        "  ret\n"
        ".option pop\n");

/* addi a0, zero, imm */
static u32 li_a0(long imm) { return ((u32)(imm & 0xfff) << 20) | 0x513; }

static void patch32(u32 *at, u32 insn)
{
    *(volatile u32 *)at = insn;
    __asm__ __volatile__("fence.i" ::: "memory");
}

static u32 code_buf[64] __attribute__((aligned(64)));

static void test_patch_immediate(void)
{
    CHECK_EQ(smc_fn(), 1);
    unsigned bad = 0;
    for (long i = 0; i < 1000; i++) {
        long v = (i * 37) % 2048 - 1024;
        patch32(smc_fn_insn, li_a0(v));
        bad += smc_fn() != v;
    }
    CHECK_EQ(bad, 0);

    /* make it hot, then patch */
    patch32(smc_fn_insn, li_a0(5));
    long sum = 0;
    for (int i = 0; i < 10000; i++)
        sum += smc_fn();
    CHECK_EQ(sum, 50000);
    patch32(smc_fn_insn, li_a0(-7));
    sum = 0;
    for (int i = 0; i < 10000; i++)
        sum += smc_fn();
    CHECK_EQ(sum, -70000);

    /* rewrite only the upper halfword (imm[11:0] is in bits 31:20) */
    u32 w = li_a0(0x2a5);
    *(volatile u16 *)((u8 *)smc_fn_insn + 2) = (u16)(w >> 16);
    __asm__ __volatile__("fence.i" ::: "memory");
    CHECK_EQ(smc_fn(), 0x2a5);

    /* one 32-bit instruction -> two 16-bit ones: c.li a0, 3; c.addi a0, 4 */
    patch32(smc_fn_insn, 0x0511450d);
    CHECK_EQ(smc_fn(), 7);
    patch32(smc_fn_insn, li_a0(1));
    CHECK_EQ(smc_fn(), 1);
}

static void test_branch_flip(void)
{
    u32 orig = smc_cmp_insn[0];
    CHECK_EQ(smc_cmp(3, 3), 1);
    CHECK_EQ(smc_cmp(3, 4), 0);
    patch32(smc_cmp_insn, orig | (1u << 12));     /* beq -> bne */
    CHECK_EQ(smc_cmp(3, 3), 0);
    CHECK_EQ(smc_cmp(3, 4), 1);
    patch32(smc_cmp_insn, orig);
    CHECK_EQ(smc_cmp(3, 3), 1);
}

static void test_code_buffer(void)
{
    typedef long (*fn_t)(long);
    fn_t f = (fn_t)(void *)code_buf;

    code_buf[0] = 0x00550513;        /* addi a0, a0, 5 */
    code_buf[1] = 0x00008067;        /* ret */
    __asm__ __volatile__("fence.i" ::: "memory");
    CHECK_EQ(f(10), 15);
    CHECK_EQ(f(-10), -5);

    code_buf[0] = 0x00251513;        /* slli a0, a0, 2 */
    __asm__ __volatile__("fence.i" ::: "memory");
    CHECK_EQ(f(10), 40);

    /* a longer body: a loop summing 1..a0 */
    static const u32 loop[] = {
        0x00000793,                  /* li a5, 0 */
        0x00a05663,                  /* blez a0, +12 */
        0x00a787b3,                  /* add a5, a5, a0 */
        0xfff50513,                  /* addi a0, a0, -1 */
        0xfe051ce3,                  /* bnez a0, -8 */
        0x00078513,                  /* mv a0, a5 */
        0x00008067,                  /* ret */
    };
    for (unsigned i = 0; i < ARRAY_SIZE(loop); i++)
        code_buf[i] = loop[i];
    __asm__ __volatile__("fence.i" ::: "memory");
    CHECK_EQ(f(100), 5050);
    CHECK_EQ(f(0), 0);
    /* patch the add into a sub inside the (now hot) loop */
    code_buf[2] = 0x40a787b3;        /* sub a5, a5, a0 */
    __asm__ __volatile__("fence.i" ::: "memory");
    CHECK_EQ(f(100), -5050);
}

static void test_same_block(void)
{
    CHECK_EQ(smc_same_block(li_a0(0x222)), 0x222);
    CHECK_EQ(smc_same_block(li_a0(0x333)), 0x333);
    CHECK_EQ(smc_same_block(li_a0(-1)), -1);
    long bad = 0;
    for (long i = 0; i < 500; i++)
        bad += smc_same_block(li_a0(i)) != i;
    CHECK_EQ(bad, 0);
}

static void test_fences(void)
{
    trap_expect(TRAP_SKIP);
    __asm__ __volatile__("fence\n\t"
                         "fence rw, rw\n\t"
                         "fence r, r\n\t"
                         "fence w, w\n\t"
                         "fence iorw, iorw\n\t"
                         "fence.tso\n\t"
                         ".word 0x0100000f\n\t"   /* pause (a fence HINT) */
                         "fence.i" ::: "memory");
    CHECK_NO_TRAP();
}

int main(void)
{
    test_patch_immediate();
    test_branch_flip();
    test_code_buffer();
    test_same_block();
    test_fences();
    return test_end();
}
