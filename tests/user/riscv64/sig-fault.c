/*
 * Synchronous signals to handlers: SIGSEGV from a NULL store recovered
 * with siglongjmp (si_code SEGV_MAPERR, si_addr), from a store to a
 * read-only page (SEGV_ACCERR), SIGILL from an illegal instruction
 * (ILL_ILLOPC, si_addr the pc; the handler skips it through the
 * ucontext's pc), and a SIGSEGV handler on an alternate stack
 * (sigaltstack, SA_ONSTACK), also for a stack overflow, with
 * sigaltstack's errors.  Exits 0.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

static sigjmp_buf env;
static volatile int code_seen, signo_seen;
static volatile uintptr_t addr_seen, local_seen;
static volatile int eperm_seen, onstack_flag;
static char *alt;
static size_t alt_size = 65536;

static void segv(int sig, siginfo_t *si, void *ctx)
{
    int local;

    signo_seen = sig;
    code_seen = si->si_code;
    addr_seen = (uintptr_t)si->si_addr;
    local_seen = (uintptr_t)&local;
    siglongjmp(env, 1);
}

static void segv_onstack(int sig, siginfo_t *si, void *ctx)
{
    int local;
    stack_t ss, cur;

    local_seen = (uintptr_t)&local;
    /* Changing the stack while on it: EPERM. */
    memset(&ss, 0, sizeof(ss));
    ss.ss_flags = SS_DISABLE;
    eperm_seen = sigaltstack(&ss, NULL) == -1 && errno == EPERM;
    sigaltstack(NULL, &cur);
    onstack_flag = cur.ss_flags;
    siglongjmp(env, 1);
}

/* Recurses until the stack runs out (far before the limit). */
static volatile int recurse_limit = 1 << 30;

static int recurse(volatile char *p, int n)
{
    volatile char buf[1024];

    buf[0] = (char)n;
    if (n >= recurse_limit)
        return 0;
    return recurse(buf, n + 1) + buf[0] + (p ? p[0] : 0);
}

static void ill(int sig, siginfo_t *si, void *ctx)
{
    ucontext_t *uc = ctx;

    signo_seen = sig;
    code_seen = si->si_code;
    addr_seen = (uintptr_t)si->si_addr;
    uc->uc_mcontext.__gregs[REG_PC] += 4;
}

static void on(int sig, void (*fn)(int, siginfo_t *, void *), int flags)
{
    struct sigaction sa;

    memset(&sa, 0, sizeof(sa));
    sa.sa_sigaction = fn;
    sa.sa_flags = SA_SIGINFO | flags;
    sigemptyset(&sa.sa_mask);
    sigaction(sig, &sa, NULL);
}

int main(void)
{
    volatile int *volatile null = NULL;
    char *ro;
    stack_t ss, old;
    int local;

    on(SIGSEGV, segv, 0);
    if (sigsetjmp(env, 1) == 0) {
        *null = 1;
        printf("NULL store: no fault\n");
    } else {
        printf("NULL store: signal %d code %d (MAPERR %d) addr %#lx\n",
               signo_seen, code_seen, SEGV_MAPERR, (unsigned long)addr_seen);
    }
    /* The mask came back with siglongjmp: it faults again. */
    if (sigsetjmp(env, 1) == 0) {
        null[4] = 1;
        printf("again: no fault\n");
    } else {
        printf("again: code %d addr %#lx\n", code_seen,
               (unsigned long)addr_seen);
    }
    ro = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (sigsetjmp(env, 1) == 0) {
        ro[100] = 1;
        printf("read-only store: no fault\n");
    } else {
        printf("read-only store: code %d (ACCERR %d) offset %ld\n",
               code_seen, SEGV_ACCERR, (long)(addr_seen - (uintptr_t)ro));
    }
    printf("handler on the normal stack: %d\n",
           local_seen < (uintptr_t)&local &&
           (uintptr_t)&local - local_seen < 65536);

    /* sigaltstack: errors first. */
    alt = malloc(alt_size);
    memset(&ss, 0, sizeof(ss));
    ss.ss_sp = alt;
    ss.ss_size = 1024;
    printf("too small: %d ENOMEM %d\n", sigaltstack(&ss, NULL),
           errno == ENOMEM);
    ss.ss_flags = 77;
    ss.ss_size = alt_size;
    printf("bad flags: %d EINVAL %d\n", sigaltstack(&ss, NULL),
           errno == EINVAL);
    sigaltstack(NULL, &old);
    printf("none yet: flags %d (SS_DISABLE %d)\n", old.ss_flags, SS_DISABLE);
    ss.ss_flags = 0;
    printf("set: %d\n", sigaltstack(&ss, &old));
    sigaltstack(NULL, &old);
    printf("now: flags %d size ok %d sp ok %d\n", old.ss_flags,
           old.ss_size == alt_size, old.ss_sp == alt);
    on(SIGSEGV, segv_onstack, SA_ONSTACK);
    if (sigsetjmp(env, 1) == 0) {
        *null = 2;
    } else {
        printf("SA_ONSTACK: on the alternate stack %d, EPERM there %d, "
               "flags there %d (SS_ONSTACK %d)\n",
               local_seen >= (uintptr_t)alt &&
               local_seen < (uintptr_t)alt + alt_size,
               eperm_seen, onstack_flag, SS_ONSTACK);
    }
    /* The classic use: a stack overflow (si_code is SEGV_MAPERR on Linux,
       where nothing is mapped below the stack; QEMU 7.2 says ACCERR). */
    if (sigsetjmp(env, 1) == 0) {
        recurse(NULL, 0);
    } else {
        printf("stack overflow: handler on the alternate stack %d\n",
               local_seen >= (uintptr_t)alt &&
               local_seen < (uintptr_t)alt + alt_size);
    }
    ss.ss_flags = SS_DISABLE;
    printf("disable: %d\n", sigaltstack(&ss, NULL));
    sigaltstack(NULL, &old);
    printf("disabled: flags %d size %lu\n", old.ss_flags,
           (unsigned long)old.ss_size);

    on(SIGILL, ill, 0);
    __asm__ volatile(".word 0" ::: "memory");
    printf("SIGILL: signal %d code %d (ILL_ILLOPC %d) addr is pc %d\n",
           signo_seen, code_seen, ILL_ILLOPC, addr_seen != 0);
    printf("skipped the insn and went on\n");
    return 0;
}
