/* The kinds of code programs are made of, checked against qemu-riscv64 by
   their printed results: atomics on negative 32-bit values (sign
   extension in the AMO helpers), compare-and-swap (LR/SC), float and
   double math from libm, 128-bit long double (soft-float in libgcc),
   malloc of many sizes (brk and mmap), qsort and string formatting. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int cmp(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

int main(void)
{
    int32_t a32 = -5;
    int64_t a64 = -1;
    unsigned long sum = 0;
    int *v;
    char *blocks[64];

    int32_t old = __atomic_fetch_add(&a32, -7, __ATOMIC_SEQ_CST);
    int64_t old64 = __atomic_fetch_xor(&a64, 0x5555, __ATOMIC_SEQ_CST);
    int32_t exp = -12;
    int swapped = __atomic_compare_exchange_n(&a32, &exp, -100, 0,
                                              __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
    int32_t mn;
    /* amomin.w: no builtin for it. */
    __asm__ __volatile__("amomin.w %0, %2, %1" : "=r"(mn), "+A"(a32) : "r"(-200));
    printf("amo: %d %d %lld %lld %d %d %d\n", old, a32, (long long)old64,
           (long long)a64, swapped, exp, mn);

    double d = 0;
    float f = 0;
    for (int i = 1; i <= 1000; i++) {
        d += sin(i * 0.001) * sqrt((double)i) / (1.0 + exp2(i % 7));
        f += sqrtf((float)i) / (float)i;
    }
    long double q = 1.0L;
    for (int i = 1; i <= 30; i++)
        q = q * 3.0L / (long double)i + 1.0L / 7.0L;
    printf("fp: %.15g %.7g %.25Lg %a\n", d, (double)f, q, d);

    v = malloc(10000 * sizeof(*v));
    for (int i = 0; i < 10000; i++)
        v[i] = (int)((i * 2654435761u) % 100003) - 50000;
    qsort(v, 10000, sizeof(*v), cmp);
    for (int i = 0; i < 10000; i += 997)
        sum = sum * 31 + (unsigned)v[i];
    printf("qsort: %d %d %lu\n", v[0], v[9999], sum);
    free(v);
    for (int i = 0; i < 64; i++) {
        blocks[i] = malloc((size_t)1 << (i % 22));
        memset(blocks[i], i, (size_t)1 << (i % 22));
    }
    sum = 0;
    for (int i = 0; i < 64; i++) {
        sum += (unsigned char)blocks[i][((size_t)1 << (i % 22)) - 1];
        free(blocks[i]);
    }
    printf("malloc: %lu %s\n", sum, strtod("6.02214076e23", NULL) > 6e23 ? "ok" : "bad");
    return 0;
}
