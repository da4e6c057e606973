/*
 * Integer workload: hashing, sorting, a bytecode interpreter loop, integer
 * matrix multiply and string processing, each a fixed share of the run.
 */
#include "bench.h"

static uint64_t hash_bytes(const uint8_t *p, size_t n)
{
    uint64_t h = 0xcbf29ce484222325ull;

    for (size_t i = 0; i < n; i++) {
        h ^= p[i];
        h *= 0x100000001b3ull;
    }
    return h;
}

static uint64_t k_hash(int reps)
{
    static uint8_t buf[1 << 16];
    uint64_t h = 0;

    for (size_t i = 0; i < sizeof(buf); i++)
        buf[i] = (uint8_t)mix64(i);
    for (int r = 0; r < reps; r++) {
        buf[r & 0xffff] ^= (uint8_t)h;
        h += hash_bytes(buf, sizeof(buf));
    }
    return h;
}

static void quicksort(int32_t *a, long lo, long hi)
{
    while (lo < hi) {
        int32_t p = a[(lo + hi) / 2];
        long i = lo, j = hi;

        while (i <= j) {
            while (a[i] < p)
                i++;
            while (a[j] > p)
                j--;
            if (i <= j) {
                int32_t t = a[i];
                a[i++] = a[j];
                a[j--] = t;
            }
        }
        if (j - lo < hi - i) {
            quicksort(a, lo, j);
            lo = i;
        } else {
            quicksort(a, i, hi);
            hi = j;
        }
    }
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

    return x < y ? -1 : x > y;
}

static uint64_t k_sort(int n)
{
    int32_t *a = malloc(n * sizeof(*a));
    uint32_t *b = malloc(n * sizeof(*b));
    uint64_t h = 0;

    for (int i = 0; i < n; i++) {
        a[i] = (int32_t)mix64(i);
        b[i] = (uint32_t)mix64(i + n);
    }
    quicksort(a, 0, n - 1);
    qsort(b, n, sizeof(*b), cmp_u32);
    for (int i = 0; i < n; i += 97)
        h = h * 31 + (uint32_t)a[i] + b[i];
    free(a);
    free(b);
    return h;
}

/* A stack VM: counts primes below n by trial division. */
enum { OP_PUSH, OP_LOAD, OP_STORE, OP_ADD, OP_MOD, OP_LT, OP_JZ, OP_JMP,
       OP_MUL, OP_HALT, OP_INC, OP_DUP_LE };

static uint64_t k_interp(int n)
{
    /* vars: 0 = candidate, 1 = divisor, 2 = count, 3 = limit */
    static const int32_t prog[] = {
        OP_PUSH, 2, OP_STORE, 0,            /* 0: cand = 2 */
        OP_LOAD, 0, OP_LOAD, 3, OP_LT, OP_JZ, 47, /* 4: while cand < limit */
        OP_PUSH, 2, OP_STORE, 1,            /* 11: div = 2 */
        OP_LOAD, 1, OP_LOAD, 1, OP_MUL, OP_LOAD, 0, OP_DUP_LE, OP_JZ, 38, /* 15: while div*div <= cand */
        OP_LOAD, 0, OP_LOAD, 1, OP_MOD, OP_JZ, 42, /* 25: if cand % div == 0: composite */
        OP_INC, 1, OP_JMP, 15,              /* 32: div++ */
        OP_INC, 2,                          /* 36 (unused pad) */
        OP_INC, 2, OP_JMP, 42,              /* 38: prime: count++ */
        OP_INC, 0, OP_JMP, 4,               /* 42: cand++ */
        OP_HALT,                            /* 46 */
        OP_HALT,
    };
    int64_t vars[4] = { 0, 0, 0, n }, stack[16];
    int sp = 0, pc = 0;

    for (;;) {
        switch (prog[pc]) {
        case OP_PUSH: stack[sp++] = prog[pc + 1]; pc += 2; break;
        case OP_LOAD: stack[sp++] = vars[prog[pc + 1]]; pc += 2; break;
        case OP_STORE: vars[prog[pc + 1]] = stack[--sp]; pc += 2; break;
        case OP_ADD: sp--; stack[sp - 1] += stack[sp]; pc++; break;
        case OP_MUL: sp--; stack[sp - 1] *= stack[sp]; pc++; break;
        case OP_MOD: sp--; stack[sp - 1] %= stack[sp]; pc++; break;
        case OP_LT: sp--; stack[sp - 1] = stack[sp - 1] < stack[sp]; pc++; break;
        case OP_DUP_LE: sp--; stack[sp - 1] = stack[sp - 1] <= stack[sp]; pc++; break;
        case OP_JZ: pc = stack[--sp] ? pc + 2 : prog[pc + 1]; break;
        case OP_JMP: pc = prog[pc + 1]; break;
        case OP_INC: vars[prog[pc + 1]]++; pc += 2; break;
        default: return (uint64_t)vars[2];
        }
    }
}

static uint64_t k_matmul(int n)
{
    int32_t *a = malloc(n * n * 4), *b = malloc(n * n * 4), *c = calloc(n * n, 4);
    uint64_t h = 0;

    for (int i = 0; i < n * n; i++) {
        a[i] = (int32_t)(mix64(i) & 0xff);
        b[i] = (int32_t)(mix64(i + 7) & 0xff);
    }
    for (int i = 0; i < n; i++)
        for (int k = 0; k < n; k++) {
            int32_t x = a[i * n + k];

            for (int j = 0; j < n; j++)
                c[i * n + j] += x * b[k * n + j];
        }
    for (int i = 0; i < n * n; i++)
        h = h * 131 + (uint32_t)c[i];
    free(a);
    free(b);
    free(c);
    return h;
}

static uint64_t k_strings(int reps)
{
    char buf[4096], word[64];
    uint64_t h = 0;

    for (int r = 0; r < reps; r++) {
        size_t len = 0;

        buf[0] = 0;
        for (int w = 0; w < 200 && len < sizeof(buf) - 64; w++) {
            int n = snprintf(word, sizeof(word), "w%llx ",
                             (unsigned long long)(mix64(r * 200 + w) & 0xfffff));
            memcpy(buf + len, word, (size_t)n + 1);
            len += (size_t)n;
        }
        for (char *p = buf; (p = strstr(p, "w1")) != NULL; p += 2)
            h++;
        h += strlen(buf);
        for (size_t i = 0; buf[i]; i++)
            if (buf[i] >= 'a' && buf[i] <= 'f')
                buf[i] -= 32;
        h = h * 33 + hash_bytes((uint8_t *)buf, len);
    }
    return h;
}

int main(int argc, char **argv)
{
    double s = bench_scale(argc, argv);
    uint64_t h = 0;

    bench_start("int");
    h ^= k_hash((int)(600 * s));
    h ^= k_sort((int)(400000 * s)) << 1;
    h ^= k_interp((int)(60000 * s)) << 2;
    h ^= k_matmul((int)(160 * (s < 1 ? s : 1) + 1)) << 3;
    h ^= k_strings((int)(6000 * s)) << 4;
    bench_end("int", h);
    return 0;
}
