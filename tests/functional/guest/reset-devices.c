/*
 * Whether a system reset puts every device of the virt board back to its
 * power-on state, for tests/functional/test-reset-devices.py.  Boot 1
 * writes a register of each device that keeps state (and a CSR of the
 * hart), prints "dirty", and waits: for an 'r' on the UART, upon which it
 * asks for a reset itself (0x7777), or for the monitor's system_reset.
 * Boot 2 reads the same registers back and prints "ok NAME" or "not ok
 * NAME VALUE" for each, then "done", and powers off.  A counter in RAM
 * outside the image tells the boots apart (RAM survives a reset).  Needs
 * -device virtio-rng-device (the last virtio-mmio slot) and -device
 * virtio-rng-pci (00:01.0).  Bare metal, M-mode, -bios none.
 */
#include <stdint.h>

#define REG32(a) (*(volatile uint32_t *)(uintptr_t)(a))
#define REG64(a) (*(volatile uint64_t *)(uintptr_t)(a))
#define REG16(a) (*(volatile uint16_t *)(uintptr_t)(a))
#define REG8(a) (*(volatile uint8_t *)(uintptr_t)(a))

#define UART 0x10000000ul
#define UART_LSR (UART + 5)
#define UART_SCR (UART + 7)
#define FINISHER 0x100000ul
#define RTC 0x101000ul
#define CLINT 0x2000000ul
#define PLIC 0xc000000ul
#define VIRTIO_SLOT7 0x10008000ul   /* the first -device goes here */
#define FLASH0 0x20000000ul
#define ECAM_01_0 (0x30000000ul + (1ul << 15))
#define BOOT_COUNTER 0x80100000ul   /* outside the image */
#define MAGIC 0x5a5a0000u

static void puts_(const char *s)
{
    while (*s)
        REG8(UART) = (uint8_t)*s++;
}

static void puthex(uint64_t v)
{
    puts_("0x");
    for (int i = 60; i >= 0; i -= 4)
        REG8(UART) = (uint8_t)"0123456789abcdef"[(v >> i) & 15];
}

static void check(const char *name, uint64_t got)
{
    if (got == 0) {
        puts_("ok ");
        puts_(name);
    } else {
        puts_("not ok ");
        puts_(name);
        puts_(" ");
        puthex(got);
    }
    puts_("\n");
}

static uint64_t read_mscratch(void)
{
    uint64_t v;

    __asm__ __volatile__("csrr %0, mscratch" : "=r"(v));
    return v;
}

/* Every value here is nonzero, and zero is each register's reset value. */
static void dirty(void)
{
    __asm__ __volatile__("csrw mscratch, %0" : : "r"(0x77ul));
    REG8(UART_SCR) = 0x5a;
    REG64(CLINT + 0x4000) = 0x123456789ull;   /* mtimecmp of hart 0 */
    REG32(PLIC + 4 * 10) = 5;                  /* priority of source 10 */
    REG32(PLIC + 0x2000) = 1u << 10;           /* context 0 enables */
    REG32(PLIC + 0x200000) = 3;                /* context 0 threshold */
    REG32(RTC + 0x10) = 1;                     /* IRQ_ENABLED */
    REG32(RTC + 0x0c) = 0x7fffffff;            /* alarm far ahead, */
    REG32(RTC + 0x08) = 0;                     /* armed by the low word */
    REG32(VIRTIO_SLOT7 + 0x70) = 1;            /* status ACKNOWLEDGE */
    REG32(FLASH0) = 0x00900090;                /* read identifiers */
    REG16(ECAM_01_0 + 4) = 4;                  /* bus master */
}

static void verify(void)
{
    check("hart mscratch", read_mscratch());
    check("uart scratch", REG8(UART_SCR));
    check("clint mtimecmp", REG64(CLINT + 0x4000));
    check("plic priority", REG32(PLIC + 4 * 10));
    check("plic enable", REG32(PLIC + 0x2000));
    check("plic threshold", REG32(PLIC + 0x200000));
    check("rtc irq enabled", REG32(RTC + 0x10));
    check("rtc alarm", REG32(RTC + 0x18));     /* ALARM_STATUS */
    check("virtio-mmio status", REG32(VIRTIO_SLOT7 + 0x70));
    check("pflash read mode", REG32(FLASH0));   /* an empty flash reads 0 */
    check("pci command", REG16(ECAM_01_0 + 4));
}

void main_c(void)
{
    uint32_t boot = REG32(BOOT_COUNTER);

    if ((boot & 0xffff0000u) != MAGIC)
        boot = MAGIC;                           /* power-on: RAM is zero */
    REG32(BOOT_COUNTER) = ++boot;
    if ((boot & 0xff) == 1) {
        dirty();
        puts_("dirty\n");
        for (;;) {
            if ((REG8(UART_LSR) & 1) && REG8(UART) == 'r')
                REG32(FINISHER) = 0x7777;
        }
    }
    verify();
    puts_("done\n");
    REG32(FINISHER) = 0x5555;
    for (;;)
        ;
}

__asm__(".section .text.start\n"
        ".globl _start\n"
        "_start:\n"
        "  la sp, __stack_top\n"
        "  call main_c\n"
        "1: j 1b\n");
