/* A program that writes code and runs it, then rewrites it and runs it
   again (a JIT inside the guest): the second call must see the new code.
   The function is "li a0, N; ret" (addi a0, x0, N; jalr x0, 0(ra)). */
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>

static void emit(uint32_t *code, int n)
{
    code[0] = 0x00000513u | ((uint32_t)(n & 0xfff) << 20);
    code[1] = 0x00008067u;
    __builtin___clear_cache((char *)code, (char *)(code + 2));
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
    /* The same page as data, then code again after mprotect. */
    mprotect(code, 4096, PROT_READ | PROT_WRITE);
    emit(code, 7);
    mprotect(code, 4096, PROT_READ | PROT_EXEC);
    printf("after mprotect %d\n", fn());
    return 0;
}
