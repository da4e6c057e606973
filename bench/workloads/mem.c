/*
 * Memory and MMU workload: random reads and writes over a working set far
 * larger than any TLB reaches (192 MiB), a page-strided sweep, and
 * mmap/touch/munmap loops that take a page fault for every page.
 */
#include <sys/mman.h>

#include "bench.h"

#define PAGE 4096

int main(int argc, char **argv)
{
    double s = bench_scale(argc, argv);
    size_t bytes = (size_t)(192u << 20) * (s < 1 ? s : 1);
    size_t words = bytes / 8;
    uint64_t *a, h = 0, idx = 1;
    long random_ops = (long)(6000000 * s), sweeps = (long)(6 * s) + 1;
    long map_loops = (long)(40 * s) + 1;

    bench_start("mem");
    a = malloc(bytes);
    for (size_t i = 0; i < words; i += PAGE / 8)
        a[i] = i;                              /* fault everything in */
    for (long i = 0; i < random_ops; i++) {
        idx = idx * 6364136223846793005ull + 1442695040888963407ull;
        size_t k = (size_t)(idx >> 17) % words;

        a[k] += i;
        h += a[(k * 7) % words];
    }
    for (long r = 0; r < sweeps; r++)
        for (size_t i = 0; i < words; i += PAGE / 8)
            h += a[i]++;
    free(a);
    for (long r = 0; r < map_loops; r++) {
        size_t len = 8u << 20;
        uint8_t *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
                          MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

        if (p == MAP_FAILED) {
            perror("mmap");
            return 1;
        }
        for (size_t i = 0; i < len; i += PAGE)
            p[i] = (uint8_t)(i >> 12);
        h += p[len / 2];
        munmap(p, len);
    }
    bench_end("mem", h);
    return 0;
}
