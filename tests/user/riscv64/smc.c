/* A program that writes code and runs it, then rewrites it and runs it
   again (a JIT inside the guest): the second call must see the new code.
   The function is "li a0, N; ret" (addi a0, x0, N; jalr x0, 0(ra)).
   Then the same through a direct jump from one page into the next (the
   emulator may chain such jumps): the target page rewritten, replaced by
   a new mapping, and made non-executable.  In between, code written by
   read() and after an mprotect that changes nothing. */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static void emit(uint32_t *code, int n)
{
    code[0] = 0x00000513u | ((uint32_t)(n & 0xfff) << 20);
    code[1] = 0x00008067u;
    __builtin___clear_cache((char *)code, (char *)(code + 2));
}

static sigjmp_buf fault_jmp;
static volatile uintptr_t fault_addr;

static void on_segv(int sig, siginfo_t *si, void *uc)
{
    (void)sig;
    (void)uc;
    fault_addr = (uintptr_t)si->si_addr;
    siglongjmp(fault_jmp, 1);
}

/* Page 0 starts with "j +4096" (jal x0, 4096), so calling it runs the
   function at the start of page 1. */
static int cross_page(void)
{
    const int prot = PROT_READ | PROT_WRITE | PROT_EXEC;
    uint8_t *pages = mmap(NULL, 8192, prot, MAP_PRIVATE | MAP_ANONYMOUS,
                          -1, 0);
    uint32_t *next = (uint32_t *)(pages + 4096);
    int (*fn)(void) = (int (*)(void))pages;
    struct sigaction sa;
    int sum = 0;

    if (pages == MAP_FAILED)
        return 1;
    /* jal x0, 4096: the offset's bit 12 is the insn's bit 12. */
    ((uint32_t *)pages)[0] = 0x0000006fu | (1u << 12);
    __builtin___clear_cache((char *)pages, (char *)pages + 4);
    for (int i = 1; i <= 100; i++) {
        emit(next, i);
        for (int k = 0; k < 3; k++)
            sum += fn();
    }
    printf("cross-page sum %d\n", sum);
    /* A new mapping over the target page, holding other code. */
    if (mmap(next, 4096, prot, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
             -1, 0) != next)
        return 1;
    emit(next, 55);
    printf("cross-page after mmap %d %d\n", fn(), fn());
    /* The target page no longer executable: the jump into it faults
       there, at the page's first byte. */
    memset(&sa, 0, sizeof(sa));
    sa.sa_sigaction = on_segv;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGSEGV, &sa, NULL);
    mprotect(next, 4096, PROT_READ | PROT_WRITE);
    if (sigsetjmp(fault_jmp, 1) == 0) {
        printf("cross-page no fault %d\n", fn());
    } else {
        printf("cross-page SIGSEGV at the target: %s\n",
               fault_addr == (uintptr_t)next ? "yes" : "no");
    }
    mprotect(next, 4096, prot);
    emit(next, 66);
    printf("cross-page executable again %d\n", fn());
    munmap(pages, 8192);
    return 0;
}

int main(void)
{
    uint32_t *code = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
                          MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    int (*fn)(void) = (int (*)(void))code;
    int sum = 0;

    if (code == MAP_FAILED)
        return 1;
    for (int i = 1; i <= 100; i++) {
        emit(code, i);
        sum += fn();
    }
    printf("sum %d\n", sum);
    /* Code the kernel writes: read() from a pipe into the page holding
       translated code; then an mprotect that changes nothing, and a
       store: each call sees the new code. */
    uint32_t insn[2];
    int p[2];
    emit(insn, 21);
    if (pipe(p) != 0 || write(p[1], insn, sizeof(insn)) != sizeof(insn) ||
        read(p[0], code, sizeof(insn)) != sizeof(insn))
        printf("read into code: %s\n", strerror(errno));
    __builtin___clear_cache((char *)code, (char *)(code + 2));
    printf("read into code %d\n", fn());
    mprotect(code, 4096, PROT_READ | PROT_WRITE | PROT_EXEC);
    emit(code, 22);
    printf("after an mprotect that changes nothing %d\n", fn());
    /* The same page as data, then code again after mprotect. */
    mprotect(code, 4096, PROT_READ | PROT_WRITE);
    emit(code, 7);
    mprotect(code, 4096, PROT_READ | PROT_EXEC);
    printf("after mprotect %d\n", fn());
    munmap(code, 4096);
    return cross_page();
}
