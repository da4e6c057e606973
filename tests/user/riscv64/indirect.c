/*
 * Indirect calls to two functions whose addresses share a jump-cache
 * slot (include/mimic/cpu.h, tb_jmp_cache_hash with TB_JMP_CACHE_BITS
 * 16: they are 0x20002 bytes apart, with bits 1 and 17 of the first
 * clear), called in turn, so that each call misses the cache that the
 * other one filled.  Prints the sum; test-user.sh also checks in
 * -d jit_stats that the misses were served from generated code
 * (tb_lookup_code) and not by leaving for the execution loop.
 */
#include <stdio.h>
#include <stdlib.h>

long jc_one(long);
long jc_two(long);

__asm__(".text\n"
        ".balign 0x40000\n"
        ".globl jc_one\n"
        "jc_one:\n"
        "    addi a0, a0, 1\n"
        "    ret\n"
        ".skip 0x20002 - (. - jc_one)\n"
        ".globl jc_two\n"
        "jc_two:\n"
        "    slli a0, a0, 1\n"
        "    addi a0, a0, 3\n"
        "    ret\n");

int main(int argc, char **argv)
{
    long (*volatile f[2])(long) = { jc_one, jc_two };
    long n = argc > 1 ? atol(argv[1]) : 100000, acc = 0;

    if ((char *)jc_two - (char *)jc_one != 0x20002) {
        printf("layout: %p %p\n", (void *)jc_one, (void *)jc_two);
        return 2;
    }
    for (long i = 0; i < n; i++)
        acc = f[i & 1](acc) & 0xffffffffffffl;
    printf("%ld calls: %ld\n", n, acc);
    return 0;
}
