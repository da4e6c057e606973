/*
 * Prints what a hart reports about itself, on the UART: misa, mvendorid,
 * marchid, mimpid, and which optional CSRs and instructions it has (an
 * access that traps prints "illegal").  tests/unit/test-cpu-models.sh
 * runs it under QEMU and Mimic with the same -cpu and compares.
 * Bare metal, M-mode, -bios none; exits through the test finisher.
 */
#include <stdint.h>

#define UART_THR ((volatile char *)0x10000000)
#define FINISHER ((volatile uint32_t *)0x100000)

static volatile int trapped;

static void puts_(const char *s)
{
    while (*s)
        *UART_THR = *s++;
}

static void puthex(uint64_t v)
{
    puts_("0x");
    for (int i = 60; i >= 0; i -= 4)
        *UART_THR = "0123456789abcdef"[(v >> i) & 15];
}

/* The trap handler skips the trapping 4-byte instruction. */
void trap_c(void)
{
    trapped = 1;
}

#define PROBE(name, insn)                                          \
    do {                                                           \
        uint64_t v = 0;                                            \
        trapped = 0;                                               \
        __asm__ __volatile__(".option push\n.option norvc\n"       \
                             insn "\n.option pop"                  \
                             : "=&r"(v) :: "memory");              \
        puts_(name);                                               \
        puts_(": ");                                               \
        if (trapped)                                               \
            puts_("illegal");                                      \
        else                                                       \
            puthex(v);                                             \
        puts_("\n");                                               \
    } while (0)

void __attribute__((noreturn)) main_c(void)
{
    PROBE("misa", "csrr %0, misa");
    PROBE("mvendorid", "csrr %0, mvendorid");
    PROBE("marchid", "csrr %0, marchid");
    PROBE("mimpid", "csrr %0, mimpid");
    PROBE("mconfigptr", "csrr %0, 0xf15");
    PROBE("menvcfg", "csrr %0, 0x30a");
    PROBE("mcountinhibit", "csrr %0, 0x320");
    PROBE("sstatus", "csrr %0, sstatus");
    PROBE("mcounteren", "csrr %0, mcounteren");
    PROBE("satp sv39", "li %0, 8\n slli %0, %0, 60\n csrw satp, %0\n"
                       "csrr %0, satp\n csrw satp, zero");
    PROBE("pmpaddr0", "li %0, 0x1234\n csrw pmpaddr0, %0\n csrr %0, pmpaddr0");
    PROBE("fence.i", "li %0, 1\n fence.i");
    *FINISHER = 0x5555;
    for (;;)
        ;
}

__asm__(".section .text.start\n"
        ".globl _start\n"
        "_start:\n"
        "  la sp, __stack_top\n"
        "  la t0, trap_entry\n"
        "  csrw mtvec, t0\n"
        "  call main_c\n"
        ".balign 4\n"
        "trap_entry:\n"
        "  addi sp, sp, -32\n"
        "  sd ra, 0(sp)\n"
        "  sd t0, 8(sp)\n"
        "  sd a0, 16(sp)\n"
        "  call trap_c\n"
        "  csrr t0, mepc\n"
        "  addi t0, t0, 4\n"
        "  csrw mepc, t0\n"
        "  ld ra, 0(sp)\n"
        "  ld t0, 8(sp)\n"
        "  ld a0, 16(sp)\n"
        "  addi sp, sp, 32\n"
        "  mret\n");
