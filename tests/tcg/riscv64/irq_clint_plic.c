/*
 * The virt board's interrupt controllers as bare-metal code sees them:
 * the CLINT's mtime (advancing, equal to the time CSR), a machine timer
 * interrupt from mtimecmp (taken with MIE, and a WFI wake-up without
 * MIE), a machine software interrupt from msip, and an external interrupt
 * through the PLIC from the UART's "transmitter holding register empty"
 * interrupt (IER bit 1, which needs no input): priority, enable,
 * threshold, pending bit, claim and complete.  Interrupts are handled in
 * trap_hook, which silences each source so that it fires once.
 */
#include "lib.h"

#define CLINT_BASE      0x2000000UL
#define CLINT_MSIP0     (*(volatile u32 *)(CLINT_BASE + 0x0))
#define CLINT_MTIMECMP0 (*(volatile u64 *)(CLINT_BASE + 0x4000))
#define CLINT_MTIME     (*(volatile u64 *)(CLINT_BASE + 0xbff8))

#define PLIC_BASE       0xc000000UL
#define PLIC_PRIO(n)    (*(volatile u32 *)(PLIC_BASE + 4 * (n)))
#define PLIC_PENDING0   (*(volatile u32 *)(PLIC_BASE + 0x1000))
#define PLIC_ENABLE0    (*(volatile u32 *)(PLIC_BASE + 0x2000))     /* ctx 0 */
#define PLIC_THRESHOLD0 (*(volatile u32 *)(PLIC_BASE + 0x200000))
#define PLIC_CLAIM0     (*(volatile u32 *)(PLIC_BASE + 0x200004))

#define UART_IER        (*(volatile u8 *)(0x10000000UL + 1))
#define UART_IRQ        10

#define IRQ_FLAG        (1UL << 63)
#define IRQ_M_SOFT      3
#define IRQ_M_TIMER     7
#define IRQ_M_EXT       11
#define MIP_MSIP        (1UL << IRQ_M_SOFT)
#define MIP_MTIP        (1UL << IRQ_M_TIMER)
#define MIP_MEIP        (1UL << IRQ_M_EXT)

static volatile unsigned irq_count;
static volatile u64 irq_cause, irq_mtime, irq_claimed;

static int irq_hook(struct trap_frame *f, u64 mcause, u64 mtval)
{
    if (!(mcause & IRQ_FLAG))
        return 0;
    irq_count++;
    irq_cause = mcause;
    switch (mcause & ~IRQ_FLAG) {
    case IRQ_M_TIMER:
        irq_mtime = CLINT_MTIME;
        CLINT_MTIMECMP0 = ~0UL;
        break;
    case IRQ_M_SOFT:
        CLINT_MSIP0 = 0;
        break;
    case IRQ_M_EXT:
        irq_claimed = PLIC_CLAIM0;
        UART_IER = 0;                   /* the line drops... */
        PLIC_CLAIM0 = (u32)irq_claimed; /* ...before completion */
        break;
    default:
        /* Unknown interrupt: mask everything so the test can go on. */
        csr_write(mie, 0);
        break;
    }
    return 1;
}

/* Spins until an interrupt arrives or about 2 s of mtime pass. */
static void wait_irq(void)
{
    u64 start = CLINT_MTIME;

    while (!irq_count && CLINT_MTIME - start < 20000000UL)
        ;
}

static void test_mtime(void)
{
    u64 t1, m, t2, a, b;

    t1 = csr_read(time);
    m = CLINT_MTIME;
    t2 = csr_read(time);
    CHECK(t1 <= m && m <= t2);
    a = CLINT_MTIME;
    do {
        b = CLINT_MTIME;
    } while (b == a);
    CHECK(b > a);
}

static void test_timer_irq(void)
{
    u64 deadline;

    csr_write(mie, 0);
    CLINT_MTIMECMP0 = 0;                  /* due: pending but masked */
    CHECK(csr_read(mip) & MIP_MTIP);
    CLINT_MTIMECMP0 = ~0UL;
    CHECK(!(csr_read(mip) & MIP_MTIP));

    irq_count = 0;
    deadline = CLINT_MTIME + 10000;       /* 1 ms */
    CLINT_MTIMECMP0 = deadline;
    csr_write(mie, MIP_MTIP);
    csr_set(mstatus, MSTATUS_MIE);
    wait_irq();
    csr_clear(mstatus, MSTATUS_MIE);
    CHECK_EQ(irq_count, 1);
    CHECK_EQ(irq_cause, IRQ_FLAG | IRQ_M_TIMER);
    CHECK(irq_mtime >= deadline);
    CHECK(!(csr_read(mip) & MIP_MTIP));

    /* WFI wakes up on a pending enabled interrupt even with MIE clear. */
    irq_count = 0;
    CLINT_MTIMECMP0 = CLINT_MTIME + 10000;
    while (!(csr_read(mip) & MIP_MTIP))
        __asm__ __volatile__("wfi");
    CHECK_EQ(irq_count, 0);
    CLINT_MTIMECMP0 = ~0UL;
    csr_write(mie, 0);
}

static void test_software_irq(void)
{
    csr_write(mie, 0);
    CLINT_MSIP0 = 1;
    CHECK_EQ(CLINT_MSIP0, 1);
    CHECK(csr_read(mip) & MIP_MSIP);
    irq_count = 0;
    csr_write(mie, MIP_MSIP);
    csr_set(mstatus, MSTATUS_MIE);
    wait_irq();
    csr_clear(mstatus, MSTATUS_MIE);
    CHECK_EQ(irq_count, 1);
    CHECK_EQ(irq_cause, IRQ_FLAG | IRQ_M_SOFT);
    CHECK_EQ(CLINT_MSIP0, 0);
    CHECK(!(csr_read(mip) & MIP_MSIP));
    csr_write(mie, 0);
}

static void test_plic_uart_irq(void)
{
    csr_write(mie, 0);
    PLIC_PRIO(UART_IRQ) = 1;
    CHECK_EQ(PLIC_PRIO(UART_IRQ), 1);
    PLIC_THRESHOLD0 = 0;
    PLIC_ENABLE0 = 1U << UART_IRQ;
    CHECK_EQ(PLIC_ENABLE0, 1U << UART_IRQ);
    CHECK(!(csr_read(mip) & MIP_MEIP));

    UART_IER = 0x02;                      /* THR empty: the line goes high */
    CHECK(PLIC_PENDING0 & (1U << UART_IRQ));
    CHECK(csr_read(mip) & MIP_MEIP);
    PLIC_THRESHOLD0 = 1;                  /* priority 1 is not above 1 */
    CHECK(!(csr_read(mip) & MIP_MEIP));
    PLIC_THRESHOLD0 = 0;
    CHECK(csr_read(mip) & MIP_MEIP);

    irq_count = 0;
    irq_claimed = 0;
    csr_write(mie, MIP_MEIP);
    csr_set(mstatus, MSTATUS_MIE);
    wait_irq();
    csr_clear(mstatus, MSTATUS_MIE);
    CHECK_EQ(irq_count, 1);
    CHECK_EQ(irq_cause, IRQ_FLAG | IRQ_M_EXT);
    CHECK_EQ(irq_claimed, UART_IRQ);
    CHECK(!(csr_read(mip) & MIP_MEIP));
    CHECK(!(PLIC_PENDING0 & (1U << UART_IRQ)));
    CHECK_EQ(PLIC_CLAIM0, 0);             /* nothing left to claim */
    csr_write(mie, 0);
    PLIC_ENABLE0 = 0;
    PLIC_PRIO(UART_IRQ) = 0;
}

int main(void)
{
    trap_hook = irq_hook;
    test_mtime();
    test_timer_irq();
    test_software_irq();
    test_plic_uart_irq();
    trap_hook = 0;
    return test_end();
}
