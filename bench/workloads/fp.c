/*
 * Floating-point workload: dense matrix multiply, a radix-2 FFT and an
 * n-body simulation, each in double and in single precision.  Built with
 * -ffp-contract=off and no libm calls (sines come from a Taylor series),
 * so every platform computes the same bits and the checksums agree.
 */
#include "bench.h"

#define DEF_KERNELS(T, S)                                                    \
static T sin_##S(T x)             /* |x| <= pi */                            \
{                                                                            \
    T x2 = x * x, term = x, sum = x;                                         \
    for (int k = 1; k < 12; k++) {                                           \
        term = -term * x2 / (T)((2 * k) * (2 * k + 1));                      \
        sum += term;                                                         \
    }                                                                        \
    return sum;                                                              \
}                                                                            \
                                                                             \
static T matmul_##S(int n)                                                   \
{                                                                            \
    T *a = malloc(n * n * sizeof(T)), *b = malloc(n * n * sizeof(T));        \
    T *c = calloc(n * n, sizeof(T)), sum = 0;                                \
    for (int i = 0; i < n * n; i++) {                                        \
        a[i] = (T)(mix64(i) % 1000) / 1000;                                  \
        b[i] = (T)(mix64(i + 3) % 1000) / 1000;                              \
    }                                                                        \
    for (int i = 0; i < n; i++)                                              \
        for (int k = 0; k < n; k++) {                                        \
            T x = a[i * n + k];                                              \
            for (int j = 0; j < n; j++)                                      \
                c[i * n + j] += x * b[k * n + j];                            \
        }                                                                    \
    for (int i = 0; i < n * n; i++)                                          \
        sum += c[i];                                                         \
    free(a); free(b); free(c);                                               \
    return sum;                                                              \
}                                                                            \
                                                                             \
static T fft_##S(int logn, int reps)                                         \
{                                                                            \
    int n = 1 << logn;                                                       \
    T *re = malloc(n * sizeof(T)), *im = malloc(n * sizeof(T));              \
    T *wr = malloc(n / 2 * sizeof(T)), *wi = malloc(n / 2 * sizeof(T));      \
    const T pi = (T)3.14159265358979323846;                                  \
    T sum = 0;                                                               \
    for (int k = 0; k < n / 2; k++) {                                        \
        T ang = -2 * pi * k / n;                                             \
        wi[k] = sin_##S(ang);                                                \
        wr[k] = sin_##S(ang + pi / 2 > pi ? ang - 3 * pi / 2 : ang + pi / 2); \
    }                                                                        \
    for (int r = 0; r < reps; r++) {                                         \
        for (int i = 0; i < n; i++) {                                        \
            re[i] = (T)((mix64(i + r) % 2000)) / 1000 - 1;                   \
            im[i] = 0;                                                       \
        }                                                                    \
        for (int i = 1, j = 0; i < n; i++) {                                 \
            int bit = n >> 1;                                                \
            for (; j & bit; bit >>= 1)                                       \
                j ^= bit;                                                    \
            j ^= bit;                                                        \
            if (i < j) {                                                     \
                T t = re[i]; re[i] = re[j]; re[j] = t;                       \
                t = im[i]; im[i] = im[j]; im[j] = t;                         \
            }                                                                \
        }                                                                    \
        for (int len = 2; len <= n; len <<= 1) {                             \
            int step = n / len;                                              \
            for (int i = 0; i < n; i += len)                                 \
                for (int k = 0; k < len / 2; k++) {                          \
                    T xr = wr[k * step], xi = wi[k * step];                  \
                    T ur = re[i + k], ui = im[i + k];                        \
                    T vr = re[i + k + len / 2] * xr - im[i + k + len / 2] * xi; \
                    T vi = re[i + k + len / 2] * xi + im[i + k + len / 2] * xr; \
                    re[i + k] = ur + vr; im[i + k] = ui + vi;                \
                    re[i + k + len / 2] = ur - vr;                           \
                    im[i + k + len / 2] = ui - vi;                           \
                }                                                            \
        }                                                                    \
        sum += re[1] + im[n / 3];                                            \
    }                                                                        \
    free(re); free(im); free(wr); free(wi);                                  \
    return sum;                                                              \
}                                                                            \
                                                                             \
static T nbody_##S(int steps)                                                \
{                                                                            \
    enum { N = 5 };                                                          \
    T x[N], y[N], z[N], vx[N], vy[N], vz[N], m[N], e = 0;                    \
    const T dt = (T)0.01;                                                    \
    for (int i = 0; i < N; i++) {                                            \
        x[i] = (T)i; y[i] = (T)(i * i) / 3; z[i] = (T)(N - i) / 2;           \
        vx[i] = (T)(i % 2) / 10; vy[i] = (T)0.05; vz[i] = -(T)i / 20;        \
        m[i] = (T)(i + 1);                                                   \
    }                                                                        \
    for (int s = 0; s < steps; s++) {                                        \
        for (int i = 0; i < N; i++)                                          \
            for (int j = i + 1; j < N; j++) {                                \
                T dx = x[i] - x[j], dy = y[i] - y[j], dz = z[i] - z[j];      \
                T d2 = dx * dx + dy * dy + dz * dz + (T)0.01;                \
                T inv = 1 / (d2 * sqrt_##S(d2));                             \
                vx[i] -= dx * m[j] * inv * dt; vy[i] -= dy * m[j] * inv * dt; \
                vz[i] -= dz * m[j] * inv * dt;                               \
                vx[j] += dx * m[i] * inv * dt; vy[j] += dy * m[i] * inv * dt; \
                vz[j] += dz * m[i] * inv * dt;                               \
            }                                                                \
        for (int i = 0; i < N; i++) {                                        \
            x[i] += vx[i] * dt; y[i] += vy[i] * dt; z[i] += vz[i] * dt;      \
        }                                                                    \
    }                                                                        \
    for (int i = 0; i < N; i++)                                              \
        e += m[i] * (vx[i] * vx[i] + vy[i] * vy[i] + vz[i] * vz[i]) / 2;     \
    return e;                                                                \
}

static double sqrt_d(double x) { return __builtin_sqrt(x); }
static float sqrt_f(float x) { return __builtin_sqrtf(x); }

DEF_KERNELS(double, d)
DEF_KERNELS(float, f)

/* Mixes a result into the checksum at ~7 significant digits. */
static uint64_t fold(uint64_t h, double v)
{
    char buf[32];

    snprintf(buf, sizeof(buf), "%.6e", v);
    for (char *p = buf; *p; p++)
        h = h * 131 + (uint8_t)*p;
    return h;
}

int main(int argc, char **argv)
{
    double s = bench_scale(argc, argv);
    int n = (int)(260 * (s < 1 ? s : 1)) + 2;
    uint64_t h = 0;

    bench_start("fp");
    h = fold(h, matmul_d(n));
    h = fold(h, matmul_f(n));
    h = fold(h, fft_d(14, (int)(40 * s) + 1));
    h = fold(h, fft_f(14, (int)(40 * s) + 1));
    h = fold(h, nbody_d((int)(1000000 * s)));
    h = fold(h, nbody_f((int)(1000000 * s)));
    bench_end("fp", h);
    return 0;
}
