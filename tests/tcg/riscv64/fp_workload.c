/*
 * A floating-point workload, compiled C (the compiler picks the F/D
 * instructions): an n-body simulation in double precision, a float matrix
 * product with a Newton square root, and conversions to integers.  The
 * hashes of the exact result bits were computed on the host, where the
 * same code with the same IEEE 754 operations gives the same bits:
 *     cc -O2 -ffp-contract=off -DHOST_REFERENCE -I tests/tcg/riscv64 \
 *        tests/tcg/riscv64/fp_workload.c && ./a.out
 * (The guest is built with -ffp-contract=off too, so that no multiply and
 * add are fused, and sqrt comes from the fsqrt instruction.)
 */
#ifdef HOST_REFERENCE
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
typedef uint32_t u32;
typedef uint64_t u64;
typedef int64_t i64;
#define SQRT(x) sqrt(x)
#define SQRTF(x) sqrtf(x)
#else
#include "lib.h"
#define SQRT(x) __builtin_sqrt(x)
#define SQRTF(x) __builtin_sqrtf(x)
#endif

#define NB 5

struct body { double x[3], v[3], m; };

static u64 hash(u64 h, u64 v)
{
    return (h ^ v) * 0x100000001b3ULL;
}

static u64 dbits(double d) { u64 u; __builtin_memcpy(&u, &d, 8); return u; }
static u32 fbits(float f) { u32 u; __builtin_memcpy(&u, &f, 4); return u; }

static u64 nbody(int steps)
{
    struct body b[NB];
    double dt = 0.01;
    u64 h = 0xcbf29ce484222325ULL;

    for (int i = 0; i < NB; i++) {
        for (int k = 0; k < 3; k++) {
            b[i].x[k] = (double)((i * 7 + k * 3) % 11) - 5.0 + 0.125 * i;
            b[i].v[k] = ((i + k) % 3 - 1) * 0.3;
        }
        b[i].m = 1.0 + i * 0.5;
    }
    for (int s = 0; s < steps; s++) {
        for (int i = 0; i < NB; i++) {
            for (int j = i + 1; j < NB; j++) {
                double d[3], r2 = 0.01, inv;

                for (int k = 0; k < 3; k++) {
                    d[k] = b[j].x[k] - b[i].x[k];
                    r2 += d[k] * d[k];
                }
                inv = dt / (r2 * SQRT(r2));
                for (int k = 0; k < 3; k++) {
                    b[i].v[k] += d[k] * b[j].m * inv;
                    b[j].v[k] -= d[k] * b[i].m * inv;
                }
            }
        }
        for (int i = 0; i < NB; i++)
            for (int k = 0; k < 3; k++)
                b[i].x[k] += dt * b[i].v[k];
    }
    for (int i = 0; i < NB; i++)
        for (int k = 0; k < 3; k++)
            h = hash(hash(h, dbits(b[i].x[k])), dbits(b[i].v[k]));
    return h;
}

#define N 12

static u64 matrix(void)
{
    static float a[N][N], b[N][N], c[N][N];
    u64 h = 0xcbf29ce484222325ULL;

    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) {
            a[i][j] = (float)(i + 1) / (float)(j + 3);
            b[i][j] = (float)((i * j) % 7) - 2.5f;
        }
    for (int r = 0; r < 4; r++) {
        for (int i = 0; i < N; i++)
            for (int j = 0; j < N; j++) {
                float s = 0.0f;
                for (int k = 0; k < N; k++)
                    s += a[i][k] * b[k][j];
                c[i][j] = s;
            }
        for (int i = 0; i < N; i++)
            for (int j = 0; j < N; j++)
                a[i][j] = c[i][j] / (1.0f + SQRTF(c[i][j] * c[i][j] + 1.0f));
    }
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) {
            h = hash(h, fbits(a[i][j]));
            h = hash(h, (u64)(i64)(a[i][j] * 1000.0f));
            h = hash(h, (u64)(i64)((double)a[i][j] * 1e9));
        }
    return h;
}

#define NBODY_HASH 0x5b9c3aac53c7a654ULL
#define MATRIX_HASH 0x87a00fb5cb078fcaULL

#ifdef HOST_REFERENCE
int main(void)
{
    printf("nbody 0x%016llx\nmatrix 0x%016llx\n",
           (unsigned long long)nbody(200), (unsigned long long)matrix());
    return 0;
}
#else
static __attribute__((noinline)) int run(void)
{
    CHECK_EQ(nbody(200), NBODY_HASH);
    CHECK_EQ(matrix(), MATRIX_HASH);
    return test_end();
}

int main(void)
{
    csr_set(mstatus, 1UL << 13);   /* FS = Initial, before any FP insn */
    return run();
}
#endif
