/*
 * Dies the way argv[1] says, as the CPU makes a program die: ud2 (SIGILL),
 * a division by zero and an idiv overflow (SIGFPE), int3 (SIGTRAP), hlt
 * at user level (SIGSEGV), a store to an unmapped page (SIGSEGV).  The
 * exit status (the signal) must be the same natively and under Mimic.
 */
#include "rt.h"

static int same(const char *a, const char *b)
{
    while (*a && *a == *b)
        a++, b++;
    return *a == *b;
}

int main(int argc, char **argv, char **envp)
{
    const char *m = argc > 1 ? argv[1] : "";
    volatile u64 zero = 0, big = 0x8000000000000000ul, minus1 = -1ul;

    put("before\n");
    if (same(m, "ud2"))
        __asm__ volatile("ud2");
    if (same(m, "div0")) {
        u64 q = 5, r = 0;
        __asm__ volatile("divq %2" : "+a"(q), "+d"(r) : "r"(zero));
    }
    if (same(m, "idivov")) {
        u64 q = big, r = minus1;
        __asm__ volatile("idivq %2" : "+a"(q), "+d"(r) : "r"(minus1));
    }
    if (same(m, "int3"))
        __asm__ volatile("int3");
    if (same(m, "hlt"))
        __asm__ volatile("hlt");
    if (same(m, "segv")) {
        int *volatile unmapped = (int *)16;
        *unmapped = 1;
    }
    put("after\n");
    return 0;
}
