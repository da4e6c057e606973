/*
 * mip.SEIP is the OR of a software-writable bit and the interrupt
 * controller's S-mode line, but a CSRRS/CSRRC on mip reads back only the
 * software bit for its read-modify-write (privileged spec 1.12, 3.1.9).
 * So M-mode code that sets mip.STIP (as OpenSBI does on every timer tick)
 * while the PLIC holds SEIP high must not latch SEIP on: once the device
 * drops its line, SEIP reads 0 again.  Interrupts stay disabled (mie = 0),
 * so nothing is taken; only mip is looked at.
 */
#include "lib.h"

#define PLIC_BASE       0xc000000UL
#define PLIC_PRIO(n)    (*(volatile u32 *)(PLIC_BASE + 4 * (n)))
#define PLIC_ENABLE1    (*(volatile u32 *)(PLIC_BASE + 0x2080))   /* ctx 1: hart 0 S */
#define PLIC_THRESHOLD1 (*(volatile u32 *)(PLIC_BASE + 0x201000))
#define UART_IER        (*(volatile u8 *)(0x10000000UL + 1))
#define UART_IRQ        10
#define MIP_STIP        (1UL << 5)
#define MIP_SEIP        (1UL << 9)

int main(void)
{
    csr_write(mie, 0);
    PLIC_PRIO(UART_IRQ) = 1;
    PLIC_THRESHOLD1 = 0;
    PLIC_ENABLE1 = 1U << UART_IRQ;
    UART_IER = 0x02;                     /* THR empty: the line goes high */
    CHECK(csr_read(mip) & MIP_SEIP);     /* the PLIC drives SEIP */

    csr_set(mip, MIP_STIP);              /* RMW while the line is high */
    CHECK(csr_read(mip) & MIP_STIP);
    csr_clear(mip, MIP_STIP);

    UART_IER = 0;                        /* the line drops */
    CHECK(!(csr_read(mip) & MIP_SEIP));  /* nothing latched SEIP on */

    csr_set(mip, MIP_SEIP);              /* the software bit works alone */
    CHECK(csr_read(mip) & MIP_SEIP);
    csr_clear(mip, MIP_SEIP);
    CHECK(!(csr_read(mip) & MIP_SEIP));

    PLIC_ENABLE1 = 0;
    PLIC_PRIO(UART_IRQ) = 0;
    return test_end();
}
