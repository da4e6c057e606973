/*
 * Code workload: keeps making new guest code, as a JIT or a loader does,
 * so an emulator's translation speed counts.  Each round writes a fresh
 * function of straight-line integer arithmetic into an executable page
 * (RISC-V machine code, made from templates with varying registers and
 * constants), makes it visible (fence.i through the cacheflush builtin)
 * and calls it.  On other hosts it only computes the same sum in C.
 */
#include <sys/mman.h>

#include "bench.h"

#define FN_INSNS 400

#ifdef __riscv
/* addi rd, rs1, imm */
static uint32_t addi(int rd, int rs1, int imm)
{
    return ((uint32_t)(imm & 0xfff) << 20) | (rs1 << 15) | (rd << 7) | 0x13;
}

/* op rd, rs1, rs2 with funct3/funct7 */
static uint32_t rtype(int f7, int rs2, int rs1, int f3, int rd)
{
    return (uint32_t)f7 << 25 | rs2 << 20 | rs1 << 15 | f3 << 12 | rd << 7 | 0x33;
}
#endif

/* The value the generated function returns, computed in C. */
static uint64_t model(uint64_t seed, uint64_t a0)
{
    uint64_t r[4] = { a0, 1, 2, 3 };

    for (int i = 0; i < FN_INSNS; i++) {
        uint64_t m = mix64(seed + i);
        int rd = (int)(m & 3), rs = (int)((m >> 2) & 3), imm = (int)((m >> 8) & 0x3ff);

        switch ((m >> 4) & 3) {
        case 0: r[rd] = r[rs] + (uint64_t)imm; break;
        case 1: r[rd] = r[rd] + r[rs]; break;
        case 2: r[rd] = r[rd] ^ r[rs]; break;
        default: r[rd] = r[rd] - r[rs]; break;
        }
    }
    return r[0] + r[1] + r[2] + r[3];
}

int main(int argc, char **argv)
{
    double s = bench_scale(argc, argv);
    long rounds = (long)(3000 * s) + 1;
    uint64_t h = 0;
#ifdef __riscv
    /* a0 a1 a2 a3 are x10..x13 */
    uint32_t *code = mmap(NULL, 1 << 16, PROT_READ | PROT_WRITE | PROT_EXEC,
                          MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

    if (code == MAP_FAILED) {
        perror("mmap");
        return 1;
    }
#endif
    bench_start("jit");
    for (long r = 0; r < rounds; r++) {
        uint64_t seed = mix64((uint64_t)r);
#ifdef __riscv
        /* A different page each round, as a JIT's code buffer fills. */
        uint32_t *fn = code + (r % 8) * (8192 / 4);
        int n = 0;
        uint64_t (*f)(uint64_t);

        fn[n++] = addi(11, 0, 1);
        fn[n++] = addi(12, 0, 2);
        fn[n++] = addi(13, 0, 3);
        for (int i = 0; i < FN_INSNS; i++) {
            uint64_t m = mix64(seed + i);
            int rd = 10 + (int)(m & 3), rs = 10 + (int)((m >> 2) & 3);
            int imm = (int)((m >> 8) & 0x3ff);

            switch ((m >> 4) & 3) {
            case 0: fn[n++] = addi(rd, rs, imm); break;
            case 1: fn[n++] = rtype(0, rs, rd, 0, rd); break;        /* add */
            case 2: fn[n++] = rtype(0, rs, rd, 4, rd); break;        /* xor */
            default: fn[n++] = rtype(0x20, rs, rd, 0, rd); break;    /* sub */
            }
        }
        fn[n++] = rtype(0, 11, 10, 0, 10);
        fn[n++] = rtype(0, 12, 10, 0, 10);
        fn[n++] = rtype(0, 13, 10, 0, 10);
        fn[n++] = 0x00008067;                                       /* ret */
        __builtin___clear_cache((char *)fn, (char *)(fn + n));
        f = (uint64_t (*)(uint64_t))(void *)fn;
        uint64_t got = f((uint64_t)r);

        if (got != model(seed, (uint64_t)r)) {
            printf("jit: round %ld: generated code gave %llx, expected %llx\n",
                   r, (unsigned long long)got,
                   (unsigned long long)model(seed, (uint64_t)r));
            return 1;
        }
        h += got;
#else
        h += model(seed, (uint64_t)r);
#endif
    }
    bench_end("jit", h);
    return 0;
}
