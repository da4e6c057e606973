/*
 * A tiny bytecode interpreter run three ways -- a table of handler function
 * pointers (indirect calls and returns), a switch (a jump table: indirect
 * jumps from one place) and computed goto (threaded code: an indirect jump
 * at the end of every handler) -- over two programs: the total number of
 * Collatz steps for 1..N and a 64-bit LCG/xor-fold checksum.  Together
 * tens of millions of guest instructions, dominated by indirect control
 * flow.  All three must agree with a direct C computation and with the
 * values from the host:
 *     cc -O2 -DHOST_REFERENCE -I tests/tcg/riscv64 tests/tcg/riscv64/interp.c && ./a.out
 */
#ifdef HOST_REFERENCE
#include <stdint.h>
#include <stdio.h>
typedef uint32_t u32;
typedef uint64_t u64;
typedef int32_t i32;
typedef int8_t i8;
#else
#include "lib.h"
#endif

enum { HALT, LI, ADD, SUB, AND, XOR, SHRI, MUL, ADDI, JZ, JNZ, JMP, MOV, NOPS };

#define I(op, a, b, c) ((u32)(op) | (u32)(a) << 8 | (u32)(b) << 16 | (u32)((c) & 0xff) << 24)

#define COLLATZ_N 4000
static const u32 prog_collatz[] = {
    /*  0 */ I(LI, 5, 0, 0), 1,
    /*  2 */ I(LI, 0, 0, 0), 1,
    /*  4 */ I(LI, 1, 0, 0), COLLATZ_N,
    /*  6 */ I(LI, 2, 0, 0), 0,
    /*  8 outer */ I(MOV, 3, 0, 0),
    /*  9 inner */ I(SUB, 4, 3, 5),
    /* 10 */ I(JZ, 4, 0, 0), 25,
    /* 12 */ I(AND, 4, 3, 5),
    /* 13 */ I(JZ, 4, 0, 0), 21,
    /* 15 */ I(ADD, 4, 3, 3),
    /* 16 */ I(ADD, 3, 4, 3),
    /* 17 */ I(ADDI, 3, 3, 1),
    /* 18 */ I(ADDI, 2, 2, 1),
    /* 19 */ I(JMP, 0, 0, 0), 9,
    /* 21 even */ I(SHRI, 3, 3, 1),
    /* 22 */ I(ADDI, 2, 2, 1),
    /* 23 */ I(JMP, 0, 0, 0), 9,
    /* 25 done */ I(SUB, 4, 0, 1),
    /* 26 */ I(ADDI, 0, 0, 1),
    /* 27 */ I(JNZ, 4, 0, 0), 8,
    /* 29 */ I(HALT, 2, 0, 0),
};

#define LCG_N 300000
static const u32 prog_lcg[] = {
    /*  0 */ I(LI, 0, 0, 0), LCG_N,
    /*  2 */ I(LI, 1, 0, 0), 0x5851f42d,
    /*  4 */ I(LI, 2, 0, 0), 12345,
    /*  6 */ I(LI, 3, 0, 0), 0,
    /*  8 */ I(LI, 6, 0, 0), 0x3039,
    /* 10 loop */ I(MUL, 2, 2, 1),
    /* 11 */ I(ADD, 2, 2, 6),
    /* 12 */ I(SHRI, 4, 2, 29),
    /* 13 */ I(XOR, 3, 3, 4),
    /* 14 */ I(ADD, 3, 3, 2),
    /* 15 */ I(ADDI, 0, 0, -1),
    /* 16 */ I(JNZ, 0, 0, 0), 10,
    /* 18 */ I(HALT, 3, 0, 0),
};

struct vm {
    u64 r[8];
    const u32 *code;
    u32 pc;
    int halted;
};

#define OP(w) ((w) & 0xff)
#define RA(w) (((w) >> 8) & 7)
#define RB(w) (((w) >> 16) & 7)
#define RC(w) (((w) >> 24) & 7)
#define IMM8(w) ((u64)(int64_t)(i8)((w) >> 24))

/* ---- 1: function-pointer table ---- */
typedef void handler_fn(struct vm *, u32);
static void h_halt(struct vm *v, u32 w) { v->halted = 1; v->r[0] = v->r[RA(w)]; }
static void h_li(struct vm *v, u32 w) { v->r[RA(w)] = (u64)(int64_t)(i32)v->code[v->pc + 1]; v->pc += 2; }
static void h_add(struct vm *v, u32 w) { v->r[RA(w)] = v->r[RB(w)] + v->r[RC(w)]; v->pc++; }
static void h_sub(struct vm *v, u32 w) { v->r[RA(w)] = v->r[RB(w)] - v->r[RC(w)]; v->pc++; }
static void h_and(struct vm *v, u32 w) { v->r[RA(w)] = v->r[RB(w)] & v->r[RC(w)]; v->pc++; }
static void h_xor(struct vm *v, u32 w) { v->r[RA(w)] = v->r[RB(w)] ^ v->r[RC(w)]; v->pc++; }
static void h_shri(struct vm *v, u32 w) { v->r[RA(w)] = v->r[RB(w)] >> (w >> 24); v->pc++; }
static void h_mul(struct vm *v, u32 w) { v->r[RA(w)] = v->r[RB(w)] * v->r[RC(w)]; v->pc++; }
static void h_addi(struct vm *v, u32 w) { v->r[RA(w)] = v->r[RB(w)] + IMM8(w); v->pc++; }
static void h_jz(struct vm *v, u32 w) { v->pc = v->r[RA(w)] == 0 ? v->code[v->pc + 1] : v->pc + 2; }
static void h_jnz(struct vm *v, u32 w) { v->pc = v->r[RA(w)] != 0 ? v->code[v->pc + 1] : v->pc + 2; }
static void h_jmp(struct vm *v, u32 w) { v->pc = v->code[v->pc + 1]; }
static void h_mov(struct vm *v, u32 w) { v->r[RA(w)] = v->r[RB(w)]; v->pc++; }
static handler_fn *const handlers[NOPS] = {
    h_halt, h_li, h_add, h_sub, h_and, h_xor, h_shri, h_mul, h_addi, h_jz, h_jnz, h_jmp, h_mov,
};

static u64 run_table(const u32 *code)
{
    struct vm v = { .code = code };
    while (!v.halted) {
        u32 w = code[v.pc];
        handlers[OP(w)](&v, w);
    }
    return v.r[0];
}

/* ---- 2: switch ---- */
static __attribute__((noinline)) u64 run_switch(const u32 *code)
{
    u64 r[8] = { 0 };
    u32 pc = 0;
    for (;;) {
        u32 w = code[pc];
        switch (OP(w)) {
        case HALT: return r[RA(w)];
        case LI: r[RA(w)] = (u64)(int64_t)(i32)code[pc + 1]; pc += 2; break;
        case ADD: r[RA(w)] = r[RB(w)] + r[RC(w)]; pc++; break;
        case SUB: r[RA(w)] = r[RB(w)] - r[RC(w)]; pc++; break;
        case AND: r[RA(w)] = r[RB(w)] & r[RC(w)]; pc++; break;
        case XOR: r[RA(w)] = r[RB(w)] ^ r[RC(w)]; pc++; break;
        case SHRI: r[RA(w)] = r[RB(w)] >> (w >> 24); pc++; break;
        case MUL: r[RA(w)] = r[RB(w)] * r[RC(w)]; pc++; break;
        case ADDI: r[RA(w)] = r[RB(w)] + IMM8(w); pc++; break;
        case JZ: pc = r[RA(w)] == 0 ? code[pc + 1] : pc + 2; break;
        case JNZ: pc = r[RA(w)] != 0 ? code[pc + 1] : pc + 2; break;
        case JMP: pc = code[pc + 1]; break;
        case MOV: r[RA(w)] = r[RB(w)]; pc++; break;
        default: return ~0ULL;
        }
    }
}

/* ---- 3: computed goto (threaded) ---- */
static __attribute__((noinline)) u64 run_threaded(const u32 *code)
{
    static void *const labels[NOPS] = {
        &&l_halt, &&l_li, &&l_add, &&l_sub, &&l_and, &&l_xor, &&l_shri,
        &&l_mul, &&l_addi, &&l_jz, &&l_jnz, &&l_jmp, &&l_mov,
    };
    u64 r[8] = { 0 };
    u32 pc = 0, w;
#define NEXT() do { w = code[pc]; goto *labels[OP(w)]; } while (0)
    NEXT();
l_halt: return r[RA(w)];
l_li: r[RA(w)] = (u64)(int64_t)(i32)code[pc + 1]; pc += 2; NEXT();
l_add: r[RA(w)] = r[RB(w)] + r[RC(w)]; pc++; NEXT();
l_sub: r[RA(w)] = r[RB(w)] - r[RC(w)]; pc++; NEXT();
l_and: r[RA(w)] = r[RB(w)] & r[RC(w)]; pc++; NEXT();
l_xor: r[RA(w)] = r[RB(w)] ^ r[RC(w)]; pc++; NEXT();
l_shri: r[RA(w)] = r[RB(w)] >> (w >> 24); pc++; NEXT();
l_mul: r[RA(w)] = r[RB(w)] * r[RC(w)]; pc++; NEXT();
l_addi: r[RA(w)] = r[RB(w)] + IMM8(w); pc++; NEXT();
l_jz: pc = r[RA(w)] == 0 ? code[pc + 1] : pc + 2; NEXT();
l_jnz: pc = r[RA(w)] != 0 ? code[pc + 1] : pc + 2; NEXT();
l_jmp: pc = code[pc + 1]; NEXT();
l_mov: r[RA(w)] = r[RB(w)]; pc++; NEXT();
#undef NEXT
}

/* ---- the same computations written directly ---- */
static u64 direct_collatz(u64 n_max)
{
    u64 total = 0;
    for (u64 n = 1; n <= n_max; n++)
        for (u64 x = n; x != 1; total++)
            x = (x & 1) ? 3 * x + 1 : x >> 1;
    return total;
}

static u64 direct_lcg(u64 n)
{
    u64 s = 12345, acc = 0;
    for (; n; n--) {
        s = s * 0x5851f42d + 0x3039;
        acc = (acc ^ (s >> 29)) + s;
    }
    return acc;
}

#ifdef HOST_REFERENCE
int main(void)
{
    printf("collatz %llu %llu %llu %llu\n", (unsigned long long)direct_collatz(COLLATZ_N),
           (unsigned long long)run_table(prog_collatz),
           (unsigned long long)run_switch(prog_collatz),
           (unsigned long long)run_threaded(prog_collatz));
    printf("lcg 0x%016llx 0x%016llx 0x%016llx 0x%016llx\n", (unsigned long long)direct_lcg(LCG_N),
           (unsigned long long)run_table(prog_lcg), (unsigned long long)run_switch(prog_lcg),
           (unsigned long long)run_threaded(prog_lcg));
    return 0;
}
#else
/* from the host run described at the top */
#define EXPECT_COLLATZ 299275ULL
#define EXPECT_LCG     0x28ceef97dfdd0888ULL

int main(void)
{
    CHECK_EQ(direct_collatz(COLLATZ_N), EXPECT_COLLATZ);
    CHECK_EQ(run_table(prog_collatz), EXPECT_COLLATZ);
    CHECK_EQ(run_switch(prog_collatz), EXPECT_COLLATZ);
    CHECK_EQ(run_threaded(prog_collatz), EXPECT_COLLATZ);
    CHECK_EQ(direct_lcg(LCG_N), EXPECT_LCG);
    CHECK_EQ(run_table(prog_lcg), EXPECT_LCG);
    CHECK_EQ(run_switch(prog_lcg), EXPECT_LCG);
    CHECK_EQ(run_threaded(prog_lcg), EXPECT_LCG);
    return test_end();
}
#endif
