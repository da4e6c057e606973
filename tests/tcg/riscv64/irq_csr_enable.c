/*
 * A CSR write (or an mret) that makes a pending interrupt deliverable
 * takes it before the next instruction (priv spec: interrupts are checked
 * between instructions).  Mimic ends the TB after a CSR write and continues
 * through the jump cache without going back to its execution loop, so the
 * write itself must ask for the exit that takes the interrupt; and a write
 * that leaves interrupts masked must not take one.  mepc in the handler
 * says where the interrupt struck.
 */
#include "lib.h"

#define CLINT_MSIP0 (*(volatile u32 *)0x2000000UL)
#define IRQ_FLAG    (1UL << 63)
#define IRQ_M_SOFT  3
#define MIP_MSIP    (1UL << IRQ_M_SOFT)

static volatile unsigned irq_count;
static volatile u64 irq_cause, irq_mepc;

static int irq_hook(struct trap_frame *f, u64 mcause, u64 mtval)
{
    (void)mtval;
    if (!(mcause & IRQ_FLAG))
        return 0;
    irq_count++;
    irq_cause = mcause;
    irq_mepc = f->mepc;
    CLINT_MSIP0 = 0;
    return 1;
}

/* csrs mstatus.MIE with msip pending and enabled in mie.  Each test runs
   several times: only once its code is translated and in the jump cache
   does it skip the execution loop. */
static void test_csrs_mstatus(void)
{
    u64 after;

    CLINT_MSIP0 = 1;
    csr_write(mie, MIP_MSIP);
    irq_count = 0;
    __asm__ __volatile__("la %0, 1f\n\t"
                         "csrs mstatus, %1\n"
                         "1:\tnop\n\t"
                         "csrc mstatus, %1"
                         : "=&r"(after) : "r"(MSTATUS_MIE) : "memory");
    CHECK_EQ(irq_count, 1);
    CHECK_EQ(irq_cause, IRQ_FLAG | IRQ_M_SOFT);
    CHECK_EQ(irq_mepc, after);
}

/* csrw mie with mstatus.MIE already set and msip pending. */
static void test_csrw_mie(void)
{
    u64 after;

    csr_write(mie, 0);
    CLINT_MSIP0 = 1;
    irq_count = 0;
    csr_set(mstatus, MSTATUS_MIE);
    CHECK_EQ(irq_count, 0);
    __asm__ __volatile__("la %0, 1f\n\t"
                         "csrw mie, %1\n"
                         "1:\tnop\n\t"
                         "csrc mstatus, %2"
                         : "=&r"(after) : "r"(MIP_MSIP), "r"(MSTATUS_MIE)
                         : "memory");
    CHECK_EQ(irq_count, 1);
    CHECK_EQ(irq_mepc, after);
    csr_write(mie, 0);
}

/* mret to M-mode with MPIE set: MIE comes back on and the pending msip is
   taken at the mret's target, before its first instruction. */
static void test_mret_enables(void)
{
    u64 target;

    csr_clear(mstatus, MSTATUS_MIE);
    CLINT_MSIP0 = 1;
    csr_write(mie, MIP_MSIP);
    irq_count = 0;
    __asm__ __volatile__("la %0, 1f\n\t"
                         "csrw mepc, %0\n\t"
                         "li t0, 0x1880\n\t"        /* MPP = M, MPIE */
                         "csrs mstatus, t0\n\t"
                         "mret\n"
                         "1:\tnop\n\t"
                         "csrc mstatus, %1"
                         : "=&r"(target) : "r"(MSTATUS_MIE) : "t0", "memory");
    CHECK_EQ(irq_count, 1);
    CHECK_EQ(irq_mepc, target);
    csr_write(mie, 0);
}

/* Writes that leave the interrupt masked take nothing, however often. */
static void test_masked_writes(void)
{
    CLINT_MSIP0 = 1;
    csr_write(mie, MIP_MSIP);
    irq_count = 0;
    for (int i = 0; i < 1000; i++) {
        csr_clear(mstatus, MSTATUS_MIE);
        csr_write(mscratch, (u64)i);
    }
    CHECK_EQ(irq_count, 0);
    CHECK_EQ(csr_read(mscratch), 999);
    CLINT_MSIP0 = 0;
    csr_write(mie, 0);
}

int main(void)
{
    trap_hook = irq_hook;
    for (int i = 0; i < 4; i++) {
        test_csrs_mstatus();
        test_csrw_mie();
        test_mret_enables();
        test_masked_writes();
    }
    trap_hook = 0;
    return test_end();
}
