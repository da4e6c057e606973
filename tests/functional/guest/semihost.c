/*
 * A bare-metal guest that exercises the RISC-V semihosting calls (the Arm
 * operations through slli/ebreak/srai) and reports every result through
 * semihosting itself.  What it does is chosen by its command line
 * (SYS_GET_CMDLINE: -append or -semihosting-config arg=), so that one
 * program serves tests/functional/test-semihosting.sh, which runs it under
 * QEMU and under Mimic and compares the console output, the files left
 * behind and the exit status.  Every value printed is the same on both
 * emulators (no addresses, no times).
 */
#include <stddef.h>
#include <stdint.h>

#define SYS_OPEN 0x01
#define SYS_CLOSE 0x02
#define SYS_WRITEC 0x03
#define SYS_WRITE0 0x04
#define SYS_WRITE 0x05
#define SYS_READ 0x06
#define SYS_READC 0x07
#define SYS_ISERROR 0x08
#define SYS_ISTTY 0x09
#define SYS_SEEK 0x0a
#define SYS_FLEN 0x0c
#define SYS_TMPNAM 0x0d
#define SYS_REMOVE 0x0e
#define SYS_RENAME 0x0f
#define SYS_CLOCK 0x10
#define SYS_TIME 0x11
#define SYS_SYSTEM 0x12
#define SYS_ERRNO 0x13
#define SYS_GET_CMDLINE 0x15
#define SYS_HEAPINFO 0x16
#define SYS_EXIT 0x18
#define SYS_EXIT_EXTENDED 0x20
#define SYS_ELAPSED 0x30
#define SYS_TICKFREQ 0x31

#define BAD_PTR 0x18000000L     /* nothing is mapped there on virt */

/* The entry sequence: three uncompressed instructions, kept in one page
   by the 16-byte alignment. */
static long __attribute__((noinline)) semi(long op, long arg)
{
    register long a0 __asm__("a0") = op;
    register long a1 __asm__("a1") = arg;

    __asm__ __volatile__(".option push\n"
                         ".option norvc\n"
                         ".balign 16\n"
                         "slli x0, x0, 0x1f\n"
                         "ebreak\n"
                         "srai x0, x0, 7\n"
                         ".option pop\n"
                         : "+r"(a0) : "r"(a1) : "memory");
    return a0;
}

static long semi3(long op, long x, long y, long z)
{
    long b[3] = { x, y, z };

    return semi(op, (long)b);
}

static size_t slen(const char *s)
{
    size_t n = 0;

    while (s[n])
        n++;
    return n;
}

static int seq(const char *a, const char *b)
{
    while (*a && *a == *b)
        a++, b++;
    return *a == *b;
}

static void puts0(const char *s)
{
    semi(SYS_WRITE0, (long)s);
}

static void putdec(long v)
{
    char buf[24], *p = buf + sizeof(buf) - 1;
    unsigned long u = v < 0 ? -(unsigned long)v : (unsigned long)v;

    *p = 0;
    do {
        *--p = '0' + u % 10;
        u /= 10;
    } while (u);
    if (v < 0)
        *--p = '-';
    puts0(p);
}

static void puthex(unsigned long v)
{
    char buf[20];
    int i;

    buf[0] = '0';
    buf[1] = 'x';
    for (i = 0; i < 16; i++)
        buf[2 + i] = "0123456789abcdef"[(v >> (60 - 4 * i)) & 15];
    buf[18] = 0;
    puts0(buf);
}

/* "name = value (errno E)\n" */
static void report(const char *name, long v)
{
    puts0(name);
    puts0(" = ");
    putdec(v);
    if (v < 0) {
        puts0(" errno ");
        putdec(semi(SYS_ERRNO, 0));
    }
    puts0("\n");
}

static long sopen(const char *name, long mode)
{
    return semi3(SYS_OPEN, (long)name, mode, (long)slen(name));
}

static long swrite(long fd, const void *buf, long n)
{
    return semi3(SYS_WRITE, fd, (long)buf, n);
}

static long sread(long fd, void *buf, long n)
{
    return semi3(SYS_READ, fd, (long)buf, n);
}

static long sclose(long fd)
{
    long b[1] = { fd };

    return semi(SYS_CLOSE, (long)b);
}

static long srename(const char *from, const char *to)
{
    long b[4] = { (long)from, (long)slen(from), (long)to, (long)slen(to) };

    return semi(SYS_RENAME, (long)b);
}

long boot_a1;             /* the device tree's address, from the loader */
static char cmdline[256];
static char *argv[16];
static int argc;

static long atol_(const char *s)
{
    long v = 0, sign = 1;

    if (*s == '-')
        sign = -1, s++;
    if (s[0] == '0' && s[1] == 'x') {
        for (s += 2; *s; s++)
            v = v * 16 + (*s <= '9' ? *s - '0' : (*s | 32) - 'a' + 10);
        return v * sign;
    }
    while (*s >= '0' && *s <= '9')
        v = v * 10 + *s++ - '0';
    return v * sign;
}

static void get_args(void)
{
    long b[2] = { (long)cmdline, sizeof(cmdline) };
    char *p = cmdline;

    if (semi(SYS_GET_CMDLINE, (long)b) != 0) {
        puts0("GET_CMDLINE failed\n");
        return;
    }
    while (*p && argc < 16) {
        while (*p == ' ')
            *p++ = 0;
        if (!*p)
            break;
        argv[argc++] = p;
        while (*p && *p != ' ')
            p++;
    }
}

static void do_console(void)
{
    static const char msg[] = "write to :tt\n";
    char c = 'C';
    long fd;

    semi(SYS_WRITEC, (long)&c);
    c = '\n';
    semi(SYS_WRITEC, (long)&c);
    puts0("write0 line\n");
    fd = sopen(":tt", 4);
    report(":tt w fd", fd);
    report(":tt write left", swrite(fd, msg, sizeof(msg) - 1));
    report(":tt istty", semi(SYS_ISTTY, (long)&fd));
    fd = sopen(":tt", 8);
    report(":tt a fd", fd);
    report(":tt a write left", swrite(fd, "to stderr\n", 10));
    fd = sopen(":tt", 0);
    report(":tt r fd", fd);
}

static void do_files(void)
{
    static const char data[] = "hello, semihosting\n";
    char buf[64];
    long fd, fd2, n, b[2];

    (void)fd2;

    fd = sopen("out.txt", 4);                     /* "w" */
    report("open out.txt w", fd);
    report("write left", swrite(fd, data, sizeof(data) - 1));
    report("flen", semi(SYS_FLEN, (long)&fd));
    report("istty", semi(SYS_ISTTY, (long)&fd));
    report("close", sclose(fd));
    report("close again", sclose(fd));
    fd = sopen("out.txt", 0);                     /* "r" */
    report("open out.txt r", fd);
    b[0] = fd;
    b[1] = 7;
    report("seek 7", semi(SYS_SEEK, (long)b));
    n = sread(fd, buf, sizeof(buf));
    report("read left", n);
    buf[sizeof(buf) - n] = 0;
    puts0("read: ");
    puts0(buf);
    report("read at eof left", sread(fd, buf, 8));
    fd2 = sopen("out.txt", 2);                    /* "r+" */
    report("open out.txt r+", fd2);
    report("overwrite left", swrite(fd2, "HELLO", 5));
    report("flen after overwrite", semi(SYS_FLEN, (long)&fd2));
    sclose(fd2);
    sclose(fd);
    report("open missing r", sopen("missing.txt", 0));
    report("open bad mode 12", sopen("out.txt", 12));
    fd = sopen("tmp.bin", 6);                     /* "w+b" */
    report("open tmp.bin w+b", fd);
    report("write tmp", swrite(fd, "abcdef", 6));
    b[0] = fd;
    b[1] = 2;
    semi(SYS_SEEK, (long)b);
    report("read tmp left", sread(fd, buf, 3));
    buf[3] = 0;
    puts0("read tmp: ");
    puts0(buf);
    puts0("\n");
    sclose(fd);
    report("rename", srename("tmp.bin", "moved.bin"));
    report("rename missing", srename("nope", "nope2"));
    fd = sopen("gone.txt", 4);
    sclose(fd);
    b[0] = (long)"gone.txt";
    b[1] = 8;
    report("remove", semi(SYS_REMOVE, (long)b));
    report("remove again", semi(SYS_REMOVE, (long)b));
    report("read bad fd", sread(99, buf, 4));
    report("write bad fd", swrite(99, buf, 4));
    fd = 99;
    report("flen bad fd", semi(SYS_FLEN, (long)&fd));
    report("istty bad fd", semi(SYS_ISTTY, (long)&fd));
    fd = -1;
    report("iserror -1", semi(SYS_ISERROR, (long)&fd));
    fd = 0;
    report("iserror 0", semi(SYS_ISERROR, (long)&fd));
    fd = 5;
    report("iserror 5", semi(SYS_ISERROR, (long)&fd));
}

/* Tries to open each name given after "open": prints the result. */
static void do_open(int first)
{
    for (int i = first; i < argc; i++) {
        long fd = sopen(argv[i], 0);

        puts0("open ");
        report(argv[i], fd < 0 ? fd : 1);
        if (fd >= 0)
            sclose(fd);
    }
}

static void do_create(int first)
{
    for (int i = first; i < argc; i++) {
        long fd = sopen(argv[i], 4);

        puts0("create ");
        report(argv[i], fd < 0 ? fd : 1);
        if (fd >= 0) {
            swrite(fd, "x\n", 2);
            sclose(fd);
        }
    }
}

static void do_remove(int first)
{
    for (int i = first; i < argc; i++) {
        long b[2] = { (long)argv[i], (long)slen(argv[i]) };

        puts0("remove ");
        report(argv[i], semi(SYS_REMOVE, (long)b));
    }
}

static void do_rename(int first)
{
    if (first + 1 < argc) {
        puts0("rename ");
        puts0(argv[first]);
        puts0(" ");
        report(argv[first + 1], srename(argv[first], argv[first + 1]));
    }
}

static void do_misc(void)
{
    long b[4] = { 0, 0, 0, 0 }, hb[1], t0, c;
    char name[64];

    c = semi(SYS_CLOCK, 0);
    report("clock >= 0", c >= 0);
    t0 = semi(SYS_TIME, 0);
    report("time > 2020", t0 > 1577836800L);
    report("tickfreq", semi(SYS_TICKFREQ, 0));
    report("elapsed", semi(SYS_ELAPSED, (long)b));
    report("elapsed nonzero", b[0] != 0 || b[1] != 0);
    b[0] = (long)name;
    b[1] = 0;
    b[2] = sizeof(name);
    report("tmpnam", semi(SYS_TMPNAM, (long)b));
    report("tmpnam small", semi3(SYS_TMPNAM, (long)name, 0, 4));
    b[0] = b[1] = b[2] = b[3] = 0x5555555555555555L;
    hb[0] = (long)b;
    report("heapinfo", semi(SYS_HEAPINFO, (long)hb));
    puts0("heap base ");
    puthex(b[0]);
    puts0(" limit ");
    puthex(b[1]);
    puts0(" stack base ");
    puthex(b[2]);
    puts0(" limit ");
    puthex(b[3]);
    puts0("\n");
    b[0] = (long)name;
    b[1] = 4;
    report("cmdline small", semi(SYS_GET_CMDLINE, (long)b));
    report("cmdline small len", b[1]);
    report("write bad buf", semi3(SYS_WRITE, 1, BAD_PTR, 4));
    report("open bad name", semi3(SYS_OPEN, BAD_PTR, 0, 4));
    report("open bad block", semi(SYS_OPEN, BAD_PTR));
    report("heapinfo bad ptr", semi(SYS_HEAPINFO, BAD_PTR));
    puts0("fdt at ");
    puthex(boot_a1);
    puts0("\n");
}

/* Where QEMU 7.2 returns garbage or aborts, Mimic returns -1 (EFAULT for
   a bad pointer, ENOSYS for an unknown operation). */
static void do_deviations(void)
{
    long b[4] = { 0, 0, 0, 0 }, fd;

    /* QEMU 7.2 opens "a" without O_APPEND and writes at offset 0. */
    fd = sopen("app.txt", 4);
    swrite(fd, "first\n", 6);
    sclose(fd);
    fd = sopen("app.txt", 8);
    report("open app.txt a", fd);
    report("append left", swrite(fd, "more\n", 5));
    report("flen after append", semi(SYS_FLEN, (long)&fd));
    sclose(fd);
    /* QEMU runs the host command. */
    report("system", semi3(SYS_SYSTEM, (long)"true", 4, 0));
    report("write0 bad ptr", semi(SYS_WRITE0, BAD_PTR));
    report("writec bad ptr", semi(SYS_WRITEC, BAD_PTR));
    report("read bad buf", semi3(SYS_READ, 1, BAD_PTR, 4));
    b[0] = BAD_PTR;
    b[1] = 3;
    report("remove bad name", semi(SYS_REMOVE, (long)b));
    b[0] = (long)"x";
    b[1] = -1;
    report("remove huge len", semi(SYS_REMOVE, (long)b));
    report("open huge len", semi3(SYS_OPEN, (long)"x", 0, -2));
    report("unknown op 0x99", semi(0x99, 0));
}

static void do_readc(long n)
{
    for (long i = 0; i < n; i++) {
        long c = semi(SYS_READC, 0);

        puts0("readc ");
        putdec(c);
        puts0("\n");
    }
}

static void do_read_stdin(void)
{
    char buf[16];
    long fd = sopen(":tt", 0);
    long left = sread(fd, buf, 8);

    report("read :tt left", left);
    buf[8 - left] = 0;
    puts0(buf);
    puts0("|\n");
}

#define UART_THR ((volatile char *)0x10000000)
#define FINISHER ((volatile uint32_t *)0x100000)

static void uart_puts(const char *s)
{
    while (*s)
        *UART_THR = *s++;
}

/* Any trap (an ebreak that is not a semihosting call): report its cause
   on the UART, exit 3 through the test finisher. */
void __attribute__((noreturn)) trap_c(long mcause)
{
    uart_puts("trap mcause=");
    *UART_THR = (char)('0' + mcause % 10);
    uart_puts("\n");
    *FINISHER = (3 << 16) | 0x3333;
    for (;;)
        ;
}

static void __attribute__((noreturn)) user_main(void)
{
    long b[2] = { 0x20026, 5 };

    puts0("hello from U-mode\n");
    semi(SYS_EXIT, (long)b);
    for (;;)
        ;
}

/* Runs user_main in U-mode (a PMP entry opens all memory to it). */
static void __attribute__((noreturn)) do_user(void)
{
    __asm__ __volatile__("csrw pmpaddr0, %0\n"
                         "csrw pmpcfg0, %1\n"
                         "csrw mepc, %2\n"
                         "csrc mstatus, %3\n"
                         "mret\n"
                         :: "r"(-1L), "r"(0x1fL), "r"(user_main),
                            "r"(0x1800L));
    for (;;)
        ;
}

void __attribute__((noreturn)) main_c(void)
{
    long b[2];

    get_args();
    puts0("cmdline:");
    for (int i = 1; i < argc; i++) {
        puts0(" ");
        puts0(argv[i]);
    }
    puts0("\n");
    if (argc > 1 && seq(argv[1], "console"))
        do_console();
    else if (argc > 1 && seq(argv[1], "files"))
        do_files();
    else if (argc > 1 && seq(argv[1], "misc"))
        do_misc();
    else if (argc > 1 && seq(argv[1], "deviations"))
        do_deviations();
    else if (argc > 1 && seq(argv[1], "open"))
        do_open(2);
    else if (argc > 1 && seq(argv[1], "create"))
        do_create(2);
    else if (argc > 2 && seq(argv[1], "readc"))
        do_readc(atol_(argv[2]));
    else if (argc > 1 && seq(argv[1], "rm"))
        do_remove(2);
    else if (argc > 1 && seq(argv[1], "mv"))
        do_rename(2);
    else if (argc > 1 && seq(argv[1], "user"))
        do_user();
    else if (argc > 1 && seq(argv[1], "readtt"))
        do_read_stdin();
    /* "... exit REASON SUBCODE" or "... exitx REASON SUBCODE" last. */
    for (int i = 1; i + 2 < argc; i++) {
        if (seq(argv[i], "exit") || seq(argv[i], "exitx")) {
            b[0] = atol_(argv[i + 1]);
            b[1] = atol_(argv[i + 2]);
            semi(argv[i][4] ? SYS_EXIT_EXTENDED : SYS_EXIT, (long)b);
            puts0("exit returned\n");
        }
    }
    b[0] = 0x20026;     /* ADP_Stopped_ApplicationExit */
    b[1] = 0;
    semi(SYS_EXIT, (long)b);
    for (;;)
        ;
}

__asm__(".section .text.start\n"
        ".globl _start\n"
        "_start:\n"
        "  la sp, __stack_top\n"
        "  la t0, trap_entry\n"
        "  csrw mtvec, t0\n"
        "  la t0, boot_a1\n"
        "  sd a1, 0(t0)\n"
        "  call main_c\n"
        ".balign 4\n"
        "trap_entry:\n"
        "  la sp, __stack_top\n"
        "  csrr a0, mcause\n"
        "  call trap_c\n");
