/*
 * Support library for the bare-metal RISC-V guest tests: polled ns16550a
 * output, the SiFive test finisher exit, failure accounting, and the C half of
 * the trap handler (the entry/exit is trap_entry in crt.S).
 */
#include "lib.h"

#define UART_BASE   0x10000000UL
#define UART_THR    0
#define UART_LSR    5
#define UART_LSR_THRE 0x20
#define FINISHER    0x100000UL

unsigned test_failures;
unsigned test_checks;

volatile int trap_mode;
volatile unsigned trap_count;
volatile struct trap_record trap_last;
int (*volatile trap_hook)(struct trap_frame *f, u64 mcause, u64 mtval);
volatile int in_user_run;
static volatile int trap_depth;

void uart_putc(char c)
{
    volatile u8 *uart = (volatile u8 *)UART_BASE;
    while (!(uart[UART_LSR] & UART_LSR_THRE))
        ;
    uart[UART_THR] = (u8)c;
}

void uart_puts(const char *s)
{
    while (*s)
        uart_putc(*s++);
}

void print_hex(u64 v)
{
    uart_puts("0x");
    for (int i = 60; i >= 0; i -= 4)
        uart_putc("0123456789abcdef"[(v >> i) & 15]);
}

void print_udec(u64 v)
{
    char buf[24];
    int n = 0;
    do {
        buf[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (n)
        uart_putc(buf[--n]);
}

void print_dec(i64 v)
{
    if (v < 0) {
        uart_putc('-');
        print_udec(-(u64)v);
    } else {
        print_udec((u64)v);
    }
}

void test_exit(int code)
{
    volatile u32 *fin = (volatile u32 *)FINISHER;
    if (code == 0) {
        *fin = 0x5555;
    } else {
        /* The host sees an 8-bit exit status: never let it wrap to 0. */
        u32 c = code < 0 || code > 255 ? 255 : (u32)code;
        *fin = 0x3333 | (c << 16);
    }
    for (;;)
        __asm__ __volatile__("wfi");
}

void check_fail(const char *file, int line, const char *what,
                int has_values, u64 got, u64 expected)
{
    test_failures++;
    uart_puts("FAIL ");
    uart_puts(file);
    uart_putc(':');
    print_dec(line);
    uart_puts(": ");
    uart_puts(what);
    if (has_values) {
        uart_puts(" got ");
        print_hex(got);
        uart_puts(" expected ");
        print_hex(expected);
    }
    uart_putc('\n');
}

void check_op_fail(const char *file, int line, const char *op,
                   u64 a, u64 b, u64 got, u64 expected)
{
    test_failures++;
    uart_puts("FAIL ");
    uart_puts(file);
    uart_putc(':');
    print_dec(line);
    uart_puts(": ");
    uart_puts(op);
    uart_putc(' ');
    print_hex(a);
    uart_puts(", ");
    print_hex(b);
    uart_puts(" got ");
    print_hex(got);
    uart_puts(" expected ");
    print_hex(expected);
    uart_putc('\n');
}

int test_finish(const char *name)
{
    uart_puts(name);
    uart_puts(": ");
    print_udec(test_checks);
    uart_puts(" checks, ");
    print_udec(test_failures);
    uart_puts(" failed\n");
    if (test_failures == 0) {
        uart_puts("OK ");
        uart_puts(name);
        uart_putc('\n');
    } else {
        uart_puts("FAILED ");
        uart_puts(name);
        uart_putc('\n');
    }
    return (int)test_failures;
}

extern char user_return_m[], user_exit_ecall[];

/* Called by trap_entry (crt.S) for every trap, with the saved registers. */
void trap_handler(struct trap_frame *f)
{
    u64 mcause = csr_read(mcause);
    u64 mtval = csr_read(mtval);
    u64 mstatus = csr_read(mstatus);

    if (trap_depth++) {
        uart_puts("nested trap mcause=");
        print_hex(mcause);
        uart_puts(" mepc=");
        print_hex(f->mepc);
        uart_putc('\n');
        test_exit(3);
    }

    /* The ecall that ends run_user(): resume in M-mode at user_return_m. */
    if (mcause == CAUSE_ECALL_U && f->mepc == (u64)user_exit_ecall && in_user_run) {
        f->mepc = (u64)user_return_m;
        csr_set(mstatus, MSTATUS_MPP);
        goto out;
    }

    if (trap_hook && trap_hook(f, mcause, mtval))
        goto out;

    if (trap_mode != TRAP_NONE) {
        trap_last.mcause = mcause;
        trap_last.mepc = f->mepc;
        trap_last.mtval = mtval;
        trap_last.mstatus = mstatus;
        trap_count++;
        if (trap_mode == TRAP_SKIP)
            f->mepc += insn_len(f->mepc);
        else
            f->mepc = f->x[1];
        trap_mode = TRAP_NONE;
        goto out;
    }

    uart_puts("unexpected trap mcause=");
    print_hex(mcause);
    uart_puts(" mepc=");
    print_hex(f->mepc);
    uart_puts(" mtval=");
    print_hex(mtval);
    uart_putc('\n');
    test_exit(3);
out:
    trap_depth--;
}

void *memset(void *d, int c, size_t n)
{
    u8 *p = d;
    while (n--)
        *p++ = (u8)c;
    return d;
}

void *memcpy(void *d, const void *s, size_t n)
{
    u8 *p = d;
    const u8 *q = s;
    while (n--)
        *p++ = *q++;
    return d;
}

void *memmove(void *d, const void *s, size_t n)
{
    u8 *p = d;
    const u8 *q = s;
    if (p < q) {
        while (n--)
            *p++ = *q++;
    } else {
        while (n--)
            p[n] = q[n];
    }
    return d;
}

int memcmp(const void *a, const void *b, size_t n)
{
    const u8 *p = a, *q = b;
    for (; n; n--, p++, q++)
        if (*p != *q)
            return *p < *q ? -1 : 1;
    return 0;
}

/* Failure path of the asm.h check macros. */
const char *asm_test_file = "asm";

void asm_check_failed(long line, u64 got, u64 expected)
{
    test_checks++;
    check_fail(asm_test_file, (int)line, "register check", 1, got, expected);
}

void (*volatile hart_entry[MAX_HARTS])(void);
/* crt.S points hart N's sp at the end of hart_stacks[N]. */
u64 hart_stacks[MAX_HARTS][1024];

void start_hart(int hart, void (*fn)(void))
{
    hart_entry[hart] = fn;
    __asm__ __volatile__("fence" ::: "memory");
    *(volatile u32 *)(0x2000000UL + 4 * (unsigned long)hart) = 1;  /* msip */
}

void start_secondary(void (*fn)(void))
{
    start_hart(1, fn);
}
