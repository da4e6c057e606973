/*
 * Shared scaffolding for the tcg unit tests: a fake guest CPU (plain
 * registers, a pc, tb_flags, a TLB and a jump cache laid out like
 * CPUState's), one TCG context with a small code buffer, guest globals
 * x0..x31 (i64) and w0..w7 (i32) bound to the fake env, and helpers to
 * translate a TB and run it through tcg_qemu_tb_exec.
 */
#ifndef TEST_TCG_HARNESS_H
#define TEST_TCG_HARNESS_H

#include <glib.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "mimic/cpu.h"
#include "mimic/tcg-op.h"
#include "mimic/tcg.h"
#include "unit.h"

typedef struct FakeEnv {
    uint64_t x[32];
    uint32_t w[8];
    uint64_t pc;
    uint64_t tb_flags;
    uint32_t pad;
    uint8_t scratch[64];
    CPUTLBDescFast tlb_fast[NB_MMU_MODES];
    TBJumpCacheEntry jmp_cache[TB_JMP_CACHE_SIZE];
    CPUTLBEntry tlb[NB_MMU_MODES][1u << CPU_TLB_DYN_DEFAULT_BITS];
} FakeEnv;

static FakeEnv env;
static TCGContext *ctx;
/* How many of x1, x2, ... harness_init pins to host registers
   (tcg_global_pin): set it before the first harness_init. */
static int harness_pinned;
static TCGv_i64 X[32];
static TCGv_i32 W[8];

static void harness_init(void)
{
    static const char *const names[32] = {
        "x0",  "x1",  "x2",  "x3",  "x4",  "x5",  "x6",  "x7",
        "x8",  "x9",  "x10", "x11", "x12", "x13", "x14", "x15",
        "x16", "x17", "x18", "x19", "x20", "x21", "x22", "x23",
        "x24", "x25", "x26", "x27", "x28", "x29", "x30", "x31",
    };
    static const char *const wnames[8] = {"w0", "w1", "w2", "w3",
                                          "w4", "w5", "w6", "w7"};

    if (ctx)
        return;
    ctx = g_new0(TCGContext, 1);
    tcg_context_init(ctx);
    tcg_code_buffer_init(ctx, 4u << 20);
    for (int i = 0; i < 32; i++)
        X[i] = tcg_global_mem_new_i64(offsetof(FakeEnv, x[i]), names[i]);
    for (int i = 0; i < 8; i++)
        W[i] = tcg_global_mem_new_i32(offsetof(FakeEnv, w[i]), wnames[i]);
    for (int i = 1; i <= harness_pinned; i++)
        if (!tcg_global_pin_i64(X[i]))
            printf("#   x%d could not be pinned\n", i);
    tcg_prologue_init(ctx);
    tcg_runtime.pc_offset = offsetof(FakeEnv, pc);
    tcg_runtime.tb_flags_offset = offsetof(FakeEnv, tb_flags);
    tcg_runtime.tlb_fast_offset = offsetof(FakeEnv, tlb_fast);
    for (int m = 0; m < NB_MMU_MODES; m++) {
        env.tlb_fast[m].table = env.tlb[m];
        env.tlb_fast[m].mask = ((uintptr_t)(1u << CPU_TLB_DYN_DEFAULT_BITS) - 1)
                               << CPU_TLB_ENTRY_BITS;
    }
    tcg_runtime.jmp_cache_offset = offsetof(FakeEnv, jmp_cache);
    tcg_runtime.jmp_cache_bits = TB_JMP_CACHE_BITS;
}

static void tb_begin(void)
{
    harness_init();
    tcg_func_start(ctx);
}

/* Generates the TB (ending it with exit_tb 0 if end is set); returns
   its executable address, or NULL on failure. */
static const void *tb_finish(bool end)
{
    if (end)
        tcg_gen_exit_tb(NULL, 0);
    int n = tcg_gen_code(ctx);
    if (n <= 0) {
        printf("#   tcg_gen_code returned %d\n", n);
        unit_case_failed = 1;
        return NULL;
    }
    return (const void *)(ctx->code_buf + ctx->code_rx_offset);
}

static uintptr_t tb_run(const void *code)
{
    return code ? tcg_qemu_tb_exec(&env, code) : (uintptr_t)-1;
}

#endif
