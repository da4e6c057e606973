/*
 * The vsyscall page: Linux x86-64's legacy fixed entry points at
 * 0xffffffffff600000 (gettimeofday), ...400 (time) and ...800 (getcpu).
 * This host's kernel (CONFIG_LEGACY_VSYSCALL_XONLY, the default since
 * Linux 5.3) emulates a call to one of them and faults on any other use
 * of the page: a read, a write, a call elsewhere in it.  Each case prints
 * what it returned or the signal it died of (number, si_code, si_addr and
 * where rip was left), natively and under mimic-x86_64 alike
 * (tests/functional/test-user-x86_64.sh).  What varies between runs (the
 * time itself, the CPU number) is printed only as a comparison.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>

#define VSYSCALL 0xffffffffff600000ul

static sigjmp_buf jb;
static volatile int sig, code;
static volatile uintptr_t addr, rip;

static void on_signal(int s, siginfo_t *si, void *ucv)
{
    ucontext_t *uc = ucv;

    sig = s;
    code = si->si_code;
    addr = (uintptr_t)si->si_addr;
    rip = uc->uc_mcontext.gregs[REG_RIP];
    siglongjmp(jb, 1);
}

/* Calls the entry at VSYSCALL + off with three arguments; rax back. */
static long vcall(unsigned long off, long a, long b, long c)
{
    long r;

    __asm__ volatile("call *%1"
                     : "=a"(r)
                     : "r"(VSYSCALL + off), "D"(a), "S"(b), "d"(c)
                     : "rcx", "r8", "r9", "r10", "r11", "memory", "cc");
    return r;
}

#define TRY(name, stmt)                                                      \
    do {                                                                     \
        printf("%-28s ", name);                                              \
        fflush(stdout);                                                      \
        if (sigsetjmp(jb, 1) == 0) {                                         \
            stmt;                                                            \
        } else {                                                             \
            printf("signal %d code %d addr %#lx rip %#lx\n", sig, code,      \
                   (unsigned long)addr, (unsigned long)rip);                 \
        }                                                                    \
    } while (0)

/* The registers a vsyscall leaves: only rax and rsp (its RET) change,
   and not the flags, unlike a SYSCALL, which takes rcx and r11.
   vs_regs(tv) sets every register to a pattern, the flags to
   OF SF ZF AF PF CF, calls gettimeofday(tv, NULL) there and stores the
   registers after it in vs_out by number (rsp at 4, the flags at 16),
   rsp before it in vs_out[17]. */
uint64_t vs_out[18];
void vs_regs(struct timeval *tv);
__asm__(".text\n"
        "vs_regs:\n"
        "  push %rbx\n  push %rbp\n  push %r12\n  push %r13\n"
        "  push %r14\n  push %r15\n"
        "  mov %rsp, vs_out+136(%rip)\n"
        "  movabs $0x0101010101010101, %rcx\n"
        "  movabs $0x0202020202020202, %rdx\n"
        "  movabs $0x0303030303030303, %rbx\n"
        "  movabs $0x0505050505050505, %rbp\n"
        "  xor %esi, %esi\n"
        "  movabs $0x0808080808080808, %r8\n"
        "  movabs $0x0909090909090909, %r9\n"
        "  movabs $0x0a0a0a0a0a0a0a0a, %r10\n"
        "  movabs $0x0b0b0b0b0b0b0b0b, %r11\n"
        "  movabs $0x0c0c0c0c0c0c0c0c, %r12\n"
        "  movabs $0x0d0d0d0d0d0d0d0d, %r13\n"
        "  movabs $0x0e0e0e0e0e0e0e0e, %r14\n"
        "  movabs $0x0f0f0f0f0f0f0f0f, %r15\n"
        "  push $0x8d7\n  popf\n"
        "  movabs $0xffffffffff600000, %rax\n"
        "  call *%rax\n"
        "  pushf\n  pop vs_out+128(%rip)\n"
        "  mov %rax, vs_out(%rip)\n  mov %rcx, vs_out+8(%rip)\n"
        "  mov %rdx, vs_out+16(%rip)\n  mov %rbx, vs_out+24(%rip)\n"
        "  mov %rsp, vs_out+32(%rip)\n  mov %rbp, vs_out+40(%rip)\n"
        "  mov %rsi, vs_out+48(%rip)\n  mov %rdi, vs_out+56(%rip)\n"
        "  mov %r8, vs_out+64(%rip)\n  mov %r9, vs_out+72(%rip)\n"
        "  mov %r10, vs_out+80(%rip)\n  mov %r11, vs_out+88(%rip)\n"
        "  mov %r12, vs_out+96(%rip)\n  mov %r13, vs_out+104(%rip)\n"
        "  mov %r14, vs_out+112(%rip)\n  mov %r15, vs_out+120(%rip)\n"
        "  pop %r15\n  pop %r14\n  pop %r13\n  pop %r12\n"
        "  pop %rbp\n  pop %rbx\n"
        "  ret\n");

static void regs_kept(void)
{
    struct timeval tv;

    vs_regs(&tv);
    printf("rax %lu", (unsigned long)vs_out[0]);
    for (int r = 1; r < 16; r++) {
        uint64_t want = r == 4 ? vs_out[17] : r == 6 ? 0
                      : r == 7 ? (uint64_t)&tv : 0x0101010101010101ull * r;
        if (vs_out[r] != want)
            printf(" r%d changed", r);
    }
    printf(" flags %#lx\n", (unsigned long)(vs_out[16] & 0xcd5));
}

/* A JMP rather than a CALL there: the emulated RET takes whatever is on
   top of the stack (here the address of label 1), or faults when rsp
   (sp, if not 0) points nowhere. */
static long vjmp(uint64_t off, uint64_t sp)
{
    long r;

    __asm__ volatile("mov %%rsp, %%r12\n\t"
                     "test %2, %2\n\t"
                     "jz 2f\n\t"
                     "mov %2, %%rsp\n\t"
                     "jmp *%1\n\t"
                     "2: lea 1f(%%rip), %%rax\n\t"
                     "push %%rax\n\t"
                     "jmp *%1\n\t"
                     "1: mov %%r12, %%rsp"
                     : "=&a"(r)
                     : "r"(VSYSCALL + off), "r"(sp), "D"(0), "S"(0)
                     : "rcx", "rdx", "r8", "r9", "r10", "r11", "r12",
                       "memory", "cc");
    return r;
}

/* The page's line in /proc/self/maps: Linux lists it, execute-only. */
static void maps_line(void)
{
    char line[256];
    FILE *f = fopen("/proc/self/maps", "r");
    int found = 0;

    while (f && fgets(line, sizeof(line), f))
        if (strstr(line, "[vsyscall]")) {
            printf("%s", line);
            found = 1;
        }
    if (!found)
        printf("no [vsyscall] line\n");
    if (f)
        fclose(f);
}

int main(void)
{
    struct sigaction sa;
    stack_t ss = { .ss_sp = malloc(65536), .ss_size = 65536 };
    struct timeval tv, tv2;
    struct timezone tz = { 77, 77 };
    long t = 0, r;
    unsigned cpu = 999, node = 999;

    setvbuf(stdout, NULL, _IOLBF, 0);
    sigaltstack(&ss, NULL);
    memset(&sa, 0, sizeof(sa));
    sa.sa_sigaction = on_signal;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
    sigaction(SIGSEGV, &sa, NULL);
    sigaction(SIGBUS, &sa, NULL);

    TRY("gettimeofday", {
        gettimeofday(&tv2, NULL);
        r = vcall(0, (long)&tv, (long)&tz, 0);
        printf("%ld close %d usec<1e6 %d tz %d %d\n", r,
               tv.tv_sec - tv2.tv_sec <= 2 && tv.tv_sec >= tv2.tv_sec,
               tv.tv_usec >= 0 && tv.tv_usec < 1000000,
               tz.tz_minuteswest, tz.tz_dsttime);
    });
    TRY("gettimeofday NULL NULL", printf("%ld\n", vcall(0, 0, 0, 0)));
    TRY("time", {
        long now = time(NULL);
        r = vcall(0x400, (long)&t, 0, 0);
        printf("same %d close %d\n", r == t, r - now >= 0 && r - now <= 2);
    });
    TRY("time NULL", {
        long now = time(NULL);
        r = vcall(0x400, 0, 0, 0);
        printf("close %d\n", r - now >= 0 && r - now <= 2);
    });
    TRY("getcpu", {
        r = vcall(0x800, (long)&cpu, (long)&node, 0);
        printf("%ld cpu<n %d node %u\n", r,
               cpu < (unsigned)sysconf(_SC_NPROCESSORS_CONF), node);
    });
    TRY("getcpu NULL NULL cache", printf("%ld\n", vcall(0x800, 0, 0, 8)));
    TRY("read", printf("%d\n", *(volatile uint8_t *)VSYSCALL));
    TRY("write", *(volatile uint8_t *)(VSYSCALL + 0x400) = 1);
    TRY("call +0x10", vcall(0x10, 0, 0, 0));
    TRY("call +0xc00", vcall(0xc00, 0, 0, 0));
    TRY("call +0x1000", vcall(0x1000, 0, 0, 0));
    TRY("gettimeofday tv unmapped", vcall(0, 8, 0, 0));
    TRY("gettimeofday tz kernel", vcall(0, 0, (long)0xffff888000000000ul, 0));
    TRY("time read-only", vcall(0x400, (long)main, 0, 0));
    TRY("getcpu node unmapped", vcall(0x800, (long)&cpu, 16, 0));
    TRY("registers", regs_kept());
    TRY("jmp, return address pushed", printf("%ld\n", vjmp(0, 0)));
    TRY("jmp, rsp unmapped", vjmp(0, 4096));
    TRY("jmp, rsp kernel", vjmp(0x400, 0xffff888000001000ul));
    maps_line();
    return 0;
}
