/*
 * A tiny freestanding runtime for the x86-64 guest tests: _start, raw
 * syscalls and printing, so that a program needs no libc (and so no SSE,
 * which the x86-64 guest does not have yet).  Built with gcc -static
 * -nostdlib -ffreestanding -mgeneral-regs-only; each program is run
 * natively and under mimic-x86_64, and the outputs must be the same.
 */
#ifndef X86_64_RT_H
#define X86_64_RT_H

typedef unsigned long u64;
typedef long i64;
typedef unsigned int u32;
typedef int i32;
typedef unsigned short u16;
typedef unsigned char u8;

static inline i64 sys3(i64 n, i64 a, i64 b, i64 c)
{
    i64 r;

    __asm__ volatile("syscall" : "=a"(r) : "a"(n), "D"(a), "S"(b), "d"(c)
                     : "rcx", "r11", "memory");
    return r;
}

static inline i64 sys6(i64 n, i64 a, i64 b, i64 c, i64 d, i64 e, i64 f)
{
    i64 r;
    register i64 r10 __asm__("r10") = d;
    register i64 r8 __asm__("r8") = e;
    register i64 r9 __asm__("r9") = f;

    __asm__ volatile("syscall" : "=a"(r)
                     : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8),
                       "r"(r9)
                     : "rcx", "r11", "memory");
    return r;
}

static inline u64 rt_strlen(const char *s)
{
    u64 n = 0;

    while (s[n])
        n++;
    return n;
}

static inline void put(const char *s)
{
    sys3(1, 1, (i64)s, (i64)rt_strlen(s));
}

static inline void put_hex(u64 v)
{
    char b[19];

    b[0] = '0';
    b[1] = 'x';
    for (int i = 0; i < 16; i++)
        b[2 + i] = "0123456789abcdef"[(v >> (60 - 4 * i)) & 15];
    b[18] = 0;
    put(b);
}

static inline void put_dec(i64 v)
{
    char b[24];
    int i = 23;
    u64 u = v < 0 ? -(u64)v : (u64)v;

    b[i] = 0;
    do {
        b[--i] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        b[--i] = '-';
    put(b + i);
}

static inline __attribute__((noreturn)) void rt_exit(int code)
{
    for (;;)
        sys3(231, code, 0, 0);   /* exit_group */
}

int main(int argc, char **argv, char **envp);

/* The kernel's entry: rsp points at argc, then argv, NULL, envp. */
__asm__(".globl _start\n"
        "_start:\n"
        "  xor %ebp, %ebp\n"
        "  mov (%rsp), %rdi\n"
        "  lea 8(%rsp), %rsi\n"
        "  lea 16(%rsp,%rdi,8), %rdx\n"
        "  and $-16, %rsp\n"
        "  call rt_start\n"
        "  hlt\n");

__attribute__((used, noreturn)) static void rt_start(i64 argc, char **argv,
                                                      char **envp)
{
    rt_exit(main((int)argc, argv, envp));
}

#endif
