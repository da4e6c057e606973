/*
 * Synchronous exceptions taken in M-mode: ecall (mcause 11, mtval 0),
 * ebreak and c.ebreak (mcause 3; mtval is 0 or the pc -- QEMU 7.2 writes 0),
 * and illegal instructions (mcause 2; mtval is 0 or the instruction bits --
 * QEMU 7.2 writes the bits): the 16-bit all-zero pattern, the 32-bit
 * all-ones pattern, RV128-only loads/stores, reserved shift encodings of the
 * W ops, an undefined M-extension funct3 and FP instructions with
 * mstatus.FS = Off.  mepc is the trapping instruction in every case, no
 * register is changed by the trap itself, mret resumes at mepc, and many
 * traps in a row (a loop of ecalls) all arrive.
 */
#include "lib.h"

#define TRAP_AT(text, cause) ({                                            \
        u64 _pc;                                                           \
        trap_expect(TRAP_SKIP);                                            \
        __asm__ __volatile__("lla %0, 1f\n1:\t" text : "=&r"(_pc) :: "memory"); \
        CHECK_TRAP(cause);                                                 \
        CHECK_EQ(trap_last.mepc, _pc);                                     \
        _pc; })

/* An illegal instruction given as raw bits (16- or 32-bit). */
#define ILLEGAL_BITS(directive, bits) do {                                 \
        u64 _pc = TRAP_AT(directive " " #bits, CAUSE_ILLEGAL_INSN);        \
        CHECK(trap_last.mtval == 0 || trap_last.mtval == (u64)(bits));     \
        (void)_pc;                                                         \
    } while (0)

static void test_ecall_ebreak(void)
{
    TRAP_AT("ecall", CAUSE_ECALL_M);
    CHECK_EQ(trap_last.mtval, 0);
    u64 pc = TRAP_AT(".option push\n\t.option norvc\n\tebreak\n\t.option pop", CAUSE_BREAKPOINT);
    CHECK(trap_last.mtval == 0 || trap_last.mtval == pc);
    pc = TRAP_AT(".half 0x9002", CAUSE_BREAKPOINT);          /* c.ebreak */
    CHECK(trap_last.mtval == 0 || trap_last.mtval == pc);
}

static void test_illegal(void)
{
    ILLEGAL_BITS(".half", 0x0000);          /* defined illegal (16-bit zeros) */
    ILLEGAL_BITS(".word", 0xffffffff);      /* all ones (ILEN = 32) */
    ILLEGAL_BITS(".word", 0x00007503);      /* LOAD funct3=7 (ldu, RV128) */
    ILLEGAL_BITS(".word", 0x00a54023);      /* STORE funct3=4 (sq, RV128) */
    ILLEGAL_BITS(".word", 0x0205151b);      /* slliw with shamt[5] = 1 */
    ILLEGAL_BITS(".word", 0x0205551b);      /* srliw with shamt[5] = 1 */
    ILLEGAL_BITS(".word", 0x4205551b);      /* sraiw with shamt[5] = 1 */
    ILLEGAL_BITS(".word", 0x02b5153b);      /* OP-32 funct7=1 funct3=1 (no such M op) */
    ILLEGAL_BITS(".word", 0x00000073 | (0x7ff << 20)); /* SYSTEM, funct12 0x7ff */

    /* FP instructions with mstatus.FS = Off (or no F at all) are illegal */
    csr_clear(mstatus, 3UL << 13);
    ILLEGAL_BITS(".word", 0x00b57553);      /* fadd.s fa0, fa0, fa1 */
    ILLEGAL_BITS(".word", 0x00052007);      /* flw ft0, 0(a0) */
    ILLEGAL_BITS(".word", 0xe2050553);      /* fmv.x.d a0, fa0 */
    ILLEGAL_BITS(".word", 0x00302073);      /* frcsr (csrr fcsr) */
}

/* All registers but the handler's are untouched by a trap and mret. */
static void test_registers_preserved(void)
{
    static u64 before[8], after[8];
    trap_expect(TRAP_SKIP);
    __asm__ __volatile__(
        "li s2, 0x1111111111111111\n\t"
        "li s3, 0x2222222222222222\n\t"
        "li t3, 0x3333333333333333\n\t"
        "li t4, 0x4444444444444444\n\t"
        "li a6, 0x5555555555555555\n\t"
        "li a7, 0x6666666666666666\n\t"
        "li s4, 0x7777777777777777\n\t"
        "li s5, -1\n\t"
        "sd s2, 0(%0)\n\tsd s3, 8(%0)\n\tsd t3, 16(%0)\n\tsd t4, 24(%0)\n\t"
        "sd a6, 32(%0)\n\tsd a7, 40(%0)\n\tsd s4, 48(%0)\n\tsd s5, 56(%0)\n\t"
        "ecall\n\t"
        "sd s2, 0(%1)\n\tsd s3, 8(%1)\n\tsd t3, 16(%1)\n\tsd t4, 24(%1)\n\t"
        "sd a6, 32(%1)\n\tsd a7, 40(%1)\n\tsd s4, 48(%1)\n\tsd s5, 56(%1)\n\t"
        :: "r"(before), "r"(after)
        : "s2", "s3", "s4", "s5", "t3", "t4", "a6", "a7", "memory");
    CHECK_TRAP(CAUSE_ECALL_M);
    for (int i = 0; i < 8; i++)
        CHECK_EQ(after[i], before[i]);
}

/* mret goes to whatever mepc holds: a handler that redirects. */
static int redirect_hook(struct trap_frame *f, u64 mcause, u64 mtval)
{
    if (mcause != CAUSE_ECALL_M)
        return 0;
    f->mepc = f->x[11];         /* a1 = where to resume */
    f->x[10] = 0xc0de;          /* a0 */
    return 1;
}

static void test_redirect(void)
{
    u64 a0;
    trap_hook = redirect_hook;
    __asm__ __volatile__("li a0, 0\n\t"
                         "lla a1, 1f\n\t"
                         "ecall\n\t"
                         "li a0, -1\n"          /* skipped */
                         "1:\tmv %0, a0"
                         : "=r"(a0) :: "a0", "a1", "memory");
    trap_hook = 0;
    CHECK_EQ(a0, 0xc0de);
}

static volatile unsigned hook_count;
static int count_hook(struct trap_frame *f, u64 mcause, u64 mtval)
{
    if (mcause != CAUSE_ECALL_M || f->x[17] != 0x42)
        return 0;
    hook_count++;
    f->x[10] += f->x[12];       /* a0 += a2: a "system call" */
    f->mepc += 4;
    return 1;
}

static void test_many_traps(void)
{
    u64 acc = 0;
    hook_count = 0;
    trap_hook = count_hook;
    for (u64 i = 1; i <= 2000; i++) {
        register u64 a0 __asm__("a0") = acc;
        register u64 a2 __asm__("a2") = i;
        register u64 a7 __asm__("a7") = 0x42;
        __asm__ __volatile__(".option push\n\t.option norvc\n\tecall\n\t.option pop"
                             : "+r"(a0) : "r"(a2), "r"(a7) : "memory");
        acc = a0;
    }
    trap_hook = 0;
    CHECK_EQ(hook_count, 2000);
    CHECK_EQ(acc, 2000 * 2001 / 2);
}

int main(void)
{
    test_ecall_ebreak();
    test_illegal();
    test_registers_preserved();
    test_redirect();
    test_many_traps();
    return test_end();
}
