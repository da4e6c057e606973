/*
 * U-mode: mret with MPP = U (0) enters U-mode at mepc; code runs there with
 * loads, stores, calls and loops (PMP entry 0 opened by run_user); ecall
 * from U is mcause 8 with MPP = U in the handler and mepc = the ecall; the
 * handler's mret returns to U-mode; ebreak, an illegal instruction, mret,
 * and machine-CSR access from U all trap to M (mcause 3 / 2 / 2 / 2) with
 * MPP = U; registers survive the round trips; after run_user returns the
 * hart is back in M-mode.
 */
#include "lib.h"

static volatile u64 shared[64];

static long u_compute(long n)
{
    /* a loop with loads, stores and calls, all in U-mode */
    u64 sum = 0;
    for (long i = 0; i < n; i++) {
        shared[i & 63] = (u64)i * 3;
        sum += shared[(i * 7) & 63] + (u64)i;
    }
    return (long)sum;
}

static u64 expected_compute(long n)
{
    static u64 m[64];
    u64 sum = 0;
    for (int i = 0; i < 64; i++)
        m[i] = shared[i];
    for (long i = 0; i < n; i++) {
        m[i & 63] = (u64)i * 3;
        sum += m[(i * 7) & 63] + (u64)i;
    }
    return sum;
}

static int syscall_hook(struct trap_frame *f, u64 mcause, u64 mtval)
{
    if (mcause != CAUSE_ECALL_U || f->x[17] != 1)
        return 0;
    /* "syscall 1": a0 = a0 * 2 + a1, and record what the handler saw */
    f->x[10] = f->x[10] * 2 + f->x[11];
    trap_last.mstatus = csr_read(mstatus);
    trap_last.mepc = f->mepc;
    trap_count++;
    f->mepc += 4;
    return 1;
}

static long u_syscalls(long n)
{
    long acc = 0;
    for (long i = 0; i < n; i++) {
        register long a0 __asm__("a0") = acc;
        register long a1 __asm__("a1") = i & 1;
        register long a7 __asm__("a7") = 1;
        __asm__ __volatile__(".option push\n\t.option norvc\n\tecall\n\t.option pop"
                             : "+r"(a0) : "r"(a1), "r"(a7) : "memory");
        acc = a0;
    }
    return acc;
}

static long u_ecall_at(long unused)
{
    u64 pc;
    __asm__ __volatile__("lla %0, 1f\n1:\tecall" : "=&r"(pc) :: "memory");
    return (long)pc;
}

static long u_trap(long which)
{
    u64 v = 0;
    switch (which) {
    case 0: __asm__ __volatile__("ebreak" ::: "memory"); break;
    case 1: __asm__ __volatile__(".half 0" ::: "memory"); break;
    case 2: __asm__ __volatile__("mret" ::: "memory"); break;
    case 3: __asm__ __volatile__("csrr %0, mepc" : "+r"(v) :: "memory"); break;
    case 4: __asm__ __volatile__("csrw mtvec, zero" ::: "memory"); break;
    case 5: __asm__ __volatile__(".word 0xffffffff" ::: "memory"); break;
    }
    return 0x600d + (long)v;
}

static const u64 u_trap_cause[] = {
    CAUSE_BREAKPOINT, CAUSE_ILLEGAL_INSN, CAUSE_ILLEGAL_INSN,
    CAUSE_ILLEGAL_INSN, CAUSE_ILLEGAL_INSN, CAUSE_ILLEGAL_INSN,
};

static long u_preserve(long unused)
{
    /* s-registers must survive an ecall round trip through M-mode */
    long ok;
    __asm__ __volatile__(
        "li s2, 0x1234\n\tli s3, -5\n\tli t3, 0x7777\n\tli a7, 1\n\tli a0, 3\n\tli a1, 1\n\t"
        "ecall\n\t"
        "li t4, 0x1234\n\tbne s2, t4, 1f\n\t"
        "li t4, -5\n\tbne s3, t4, 1f\n\t"
        "li t4, 0x7777\n\tbne t3, t4, 1f\n\t"
        "li t4, 7\n\tbne a0, t4, 1f\n\t"
        "li %0, 1\n\tj 2f\n"
        "1:\tli %0, 0\n2:"
        : "=r"(ok) :: "s2", "s3", "t3", "t4", "a0", "a1", "a7", "memory");
    return ok;
}

int main(void)
{
    csr_write(mie, 0);

    /* plain U-mode computation */
    for (int i = 0; i < 64; i++)
        shared[i] = 0;
    u64 want = expected_compute(10000);
    for (int i = 0; i < 64; i++)
        shared[i] = 0;
    CHECK_EQ(run_user(u_compute, 10000), want);
    /* back in M-mode: M CSRs accessible again */
    trap_expect(TRAP_SKIP);
    (void)csr_read(mscratch);
    CHECK_NO_TRAP();
    /* the mret that returned to M-mode set MPP to the least mode, U */
    CHECK_EQ(csr_read(mstatus) & MSTATUS_MPP, 0);

    /* ecall from U: cause 8, mepc = the ecall, MPP = U */
    trap_expect(TRAP_SKIP);
    u64 ecall_pc = (u64)run_user(u_ecall_at, 0);
    CHECK_TRAP(CAUSE_ECALL_U);
    CHECK_EQ(trap_last.mepc, ecall_pc);
    CHECK_EQ(trap_last.mtval, 0);
    CHECK_EQ(trap_last.mstatus & MSTATUS_MPP, 0);

    /* many ecalls from U, each returning to U via mret */
    trap_hook = syscall_hook;
    trap_count = 0;
    long acc = run_user(u_syscalls, 20);
    CHECK_EQ(trap_count, 20);
    CHECK_EQ(trap_last.mstatus & MSTATUS_MPP, 0);
    /* acc = acc*2 + (i&1) for i = 0..19: binary 0101...01 (10 ones) */
    CHECK_EQ(acc, 0x55555);
    CHECK_EQ(run_user(u_preserve, 0), 1);
    trap_hook = 0;

    /* other traps from U */
    for (long k = 0; k < (long)ARRAY_SIZE(u_trap_cause); k++) {
        trap_expect(TRAP_SKIP);
        long r = run_user(u_trap, k);
        CHECK_TRAP(u_trap_cause[k]);
        CHECK_EQ(trap_last.mstatus & MSTATUS_MPP, 0);
        CHECK_EQ(r & ~0xffffL, 0);
        CHECK_EQ(r, 0x600d);
    }
    return test_end();
}
