/*
 * Shared by the benchmark workloads: the markers the harness timestamps on
 * the host (it reads the guest's serial console; the guest clock is the
 * emulator's own and is only printed for information), the scale argument,
 * and a checksum every workload prints so that a wrong result shows.
 */
#ifndef BENCH_H
#define BENCH_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double bench_t0;

static inline double bench_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* The scale: argv[1] as a number (default 1); smoke runs use small ones. */
static inline double bench_scale(int argc, char **argv)
{
    return argc > 1 ? atof(argv[1]) : 1.0;
}

static inline void bench_start(const char *name)
{
    printf("BENCH-START %s\n", name);
    fflush(stdout);
    bench_t0 = bench_now();
}

static inline void bench_end(const char *name, uint64_t checksum)
{
    double t = bench_now() - bench_t0;

    printf("BENCH-END %s checksum=%016llx guest_seconds=%.3f\n", name,
           (unsigned long long)checksum, t);
    fflush(stdout);
}

static inline uint64_t mix64(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdull;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ull;
    x ^= x >> 33;
    return x;
}

#endif
