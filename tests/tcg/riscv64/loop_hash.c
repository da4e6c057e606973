/*
 * Long-running integer workloads (together some tens of millions of guest
 * instructions) whose results are known: FNV-1a and a multiply-xorshift
 * hash over a 64 KiB buffer, repeated; a heap sort and an insertion-sorted
 * merge of pseudo-random keys; a nested-loop matrix product checksum; a
 * sieve of Eratosthenes.  They stress direct block chaining, loops that run
 * millions of times, and the data path.  The expected values were computed
 * by compiling this same file on the host:
 *     cc -O2 -DHOST_REFERENCE -I tests/tcg/riscv64 tests/tcg/riscv64/loop_hash.c && ./a.out
 */
#ifdef HOST_REFERENCE
#include <stdint.h>
#include <stdio.h>
typedef uint8_t u8;
typedef uint32_t u32;
typedef uint64_t u64;
#else
#include "lib.h"
#endif

#define BUF_SIZE (64 * 1024)
static u8 buf[BUF_SIZE];
static u32 keys[8192];
static u32 mat_a[48][48], mat_b[48][48], mat_c[48][48];
static u8 sieve[200000];

static u64 xs_state;
static u64 xs(void)
{
    u64 x = xs_state;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return xs_state = x;
}

static u64 hash_fnv(int passes)
{
    u64 h = 0xcbf29ce484222325ULL;
    for (int p = 0; p < passes; p++)
        for (u32 i = 0; i < BUF_SIZE; i++) {
            h ^= buf[i];
            h *= 0x100000001b3ULL;
        }
    return h;
}

static u64 hash_words(int passes)
{
    const u64 *w = (const u64 *)buf;
    u64 h = 0;
    for (int p = 0; p < passes; p++)
        for (u32 i = 0; i < BUF_SIZE / 8; i++) {
            h += w[i] ^ (h >> 29);
            h *= 0xbf58476d1ce4e5b9ULL;
            h ^= h >> 32;
        }
    return h;
}

static void heap_sift(u32 *a, long start, long end)
{
    long root = start;
    while (2 * root + 1 <= end) {
        long child = 2 * root + 1, sw = root;
        if (a[sw] < a[child])
            sw = child;
        if (child + 1 <= end && a[sw] < a[child + 1])
            sw = child + 1;
        if (sw == root)
            return;
        u32 t = a[root];
        a[root] = a[sw];
        a[sw] = t;
        root = sw;
    }
}

static void heap_sort(u32 *a, long n)
{
    for (long s = (n - 2) / 2; s >= 0; s--)
        heap_sift(a, s, n - 1);
    for (long end = n - 1; end > 0; end--) {
        u32 t = a[end];
        a[end] = a[0];
        a[0] = t;
        heap_sift(a, 0, end - 1);
    }
}

static void insertion_sort(u32 *a, long n)
{
    for (long i = 1; i < n; i++) {
        u32 v = a[i];
        long j = i - 1;
        while (j >= 0 && a[j] > v) {
            a[j + 1] = a[j];
            j--;
        }
        a[j + 1] = v;
    }
}

static u64 sort_checksum(u32 *a, long n, int *sorted)
{
    u64 c = 0;
    *sorted = 1;
    for (long i = 0; i < n; i++) {
        c = c * 31 + a[i];
        if (i && a[i - 1] > a[i])
            *sorted = 0;
    }
    return c;
}

static u64 matrix(void)
{
    for (int i = 0; i < 48; i++)
        for (int j = 0; j < 48; j++) {
            mat_a[i][j] = (u32)xs();
            mat_b[i][j] = (u32)xs();
        }
    u64 sum = 0;
    for (int r = 0; r < 4; r++) {
        for (int i = 0; i < 48; i++)
            for (int j = 0; j < 48; j++) {
                u32 acc = 0;
                for (int k = 0; k < 48; k++)
                    acc += mat_a[i][k] * mat_b[k][j];
                mat_c[i][j] = acc;
            }
        for (int i = 0; i < 48; i++)
            for (int j = 0; j < 48; j++) {
                sum = (sum << 1 | sum >> 63) ^ mat_c[i][j];
                mat_a[i][j] = mat_c[i][j] ^ (u32)r;
            }
    }
    return sum;
}

static u64 primes(u32 *count)
{
    u32 n = sizeof(sieve);
    for (u32 i = 0; i < n; i++)
        sieve[i] = 1;
    sieve[0] = sieve[1] = 0;
    for (u32 i = 2; (u64)i * i < n; i++)
        if (sieve[i])
            for (u32 j = i * i; j < n; j += i)
                sieve[j] = 0;
    u64 sum = 0;
    u32 c = 0;
    for (u32 i = 0; i < n; i++)
        if (sieve[i]) {
            sum += i;
            c++;
        }
    *count = c;
    return sum;
}

struct results {
    u64 fnv, words, heap, insertion, mat, prime_sum;
    u32 prime_count;
    int heap_sorted, ins_sorted;
};

static void run(struct results *r)
{
    xs_state = 0x0123456789abcdefULL;
    for (u32 i = 0; i < BUF_SIZE; i++)
        buf[i] = (u8)(xs() >> 24);
    r->fnv = hash_fnv(60);
    r->words = hash_words(150);

    for (u32 i = 0; i < 8192; i++)
        keys[i] = (u32)xs();
    heap_sort(keys, 8192);
    r->heap = sort_checksum(keys, 8192, &r->heap_sorted);
    for (u32 i = 0; i < 2048; i++)
        keys[i] = (u32)(xs() >> 7);
    insertion_sort(keys, 2048);
    r->insertion = sort_checksum(keys, 2048, &r->ins_sorted);

    r->mat = matrix();
    r->prime_sum = primes(&r->prime_count);
}

#ifdef HOST_REFERENCE
int main(void)
{
    struct results r;
    run(&r);
    printf("fnv 0x%016llx\nwords 0x%016llx\nheap 0x%016llx %d\nins 0x%016llx %d\n"
           "mat 0x%016llx\nprimes %llu %u\n",
           (unsigned long long)r.fnv, (unsigned long long)r.words,
           (unsigned long long)r.heap, r.heap_sorted,
           (unsigned long long)r.insertion, r.ins_sorted,
           (unsigned long long)r.mat, (unsigned long long)r.prime_sum, r.prime_count);
    return 0;
}
#else
/* from the host run described at the top */
#define EXPECT_FNV       0xd0cbbc4c6794a675ULL
#define EXPECT_WORDS     0xdcf8ad5158e2afc6ULL
#define EXPECT_HEAP      0x91568c064ab972b0ULL
#define EXPECT_INS       0xc1883c73094922f8ULL
#define EXPECT_MAT       0x87edfb08e5b61804ULL
#define EXPECT_PRIME_SUM 1709600813ULL

int main(void)
{
    struct results r;
    run(&r);
    CHECK_EQ(r.fnv, EXPECT_FNV);
    CHECK_EQ(r.words, EXPECT_WORDS);
    CHECK_EQ(r.heap_sorted, 1);
    CHECK_EQ(r.heap, EXPECT_HEAP);
    CHECK_EQ(r.ins_sorted, 1);
    CHECK_EQ(r.insertion, EXPECT_INS);
    CHECK_EQ(r.mat, EXPECT_MAT);
    CHECK_EQ(r.prime_count, 17984);     /* pi(200000) */
    CHECK_EQ(r.prime_sum, EXPECT_PRIME_SUM);
    return test_end();
}
#endif
