/* needs: none */
/*
 * User mode's direct guest memory access with guest_base in a register:
 * the prologue loads it once (tcg/x86_64/prologue.c) because the harness
 * here turns direct access on before generating it.  Two checks of the
 * guest address: against the base register itself when the reservation
 * starts at 1 << guest_addr_bits, and by shifting otherwise.
 * test-tcg-mem.c covers the form without the register.
 */
#include <sys/mman.h>

#include "test-tcg-harness.h"

static struct {
    int calls;
    uint64_t addr;
} slow;

static uint64_t test_ld_slow(void *e, uint64_t addr, MemOpIdx oi,
                             uintptr_t ra)
{
    slow.calls++;
    slow.addr = addr;
    return 0x5151;
}

static void test_st_slow(void *e, uint64_t addr, uint64_t val, MemOpIdx oi,
                         uintptr_t ra)
{
    slow.calls++;
    slow.addr = addr;
}

/* 64 GiB: small enough for qemu-aarch64 to map (make check-cross-aarch64;
   it keeps flags for every page of a mapping). */
#define BITS 36
#define GADDR 0x10000ull

static uint8_t *space;   /* guest address 0 */

/* The reservation at 1 << BITS, as linux-user/mmap.c makes it, with one
   guest page readable and writable; anywhere if that address is taken. */
static void setup(void)
{
    uintptr_t want = 1ull << BITS;
    void *p;

    if (space)
        return;
    p = mmap((void *)want, 1ull << BITS, PROT_NONE,
             MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED_NOREPLACE,
             -1, 0);
    if (p == MAP_FAILED) {
        printf("# 1 << %d is taken: the base-is-limit form is not tested\n",
               BITS);
        p = mmap(NULL, 1ull << BITS, PROT_NONE,
                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    }
    space = p;
    mprotect(space + GADDR, 4096, PROT_READ | PROT_WRITE);
    tcg_runtime.ld_slow = test_ld_slow;
    tcg_runtime.st_slow = test_st_slow;
    tcg_runtime.direct = true;
    tcg_runtime.guest_base = (uintptr_t)space;
    tcg_runtime.guest_addr_bits = BITS;
    harness_init();   /* the prologue now loads the base register */
}

/* ld x3 <- [x1] (u32), st x5 -> [x2] (u64, aligned), ld x4 <- [x1] (s8). */
static const void *gen_accesses(void)
{
    tb_begin();
    tcg_gen_insn_start(0x1000, 0);
    tcg_gen_qemu_ld_i64(X[3], X[1], 0, MO_UL);
    tcg_gen_insn_start(0x1004, 0);
    tcg_gen_qemu_st_i64(X[5], X[2], 0, MO_UQ | MO_ALIGN);
    tcg_gen_insn_start(0x1008, 0);
    tcg_gen_qemu_ld_i64(X[4], X[1], 0, MO_SB);
    return tb_finish(true);
}

static void check_space(const char *form)
{
    uint8_t *page = space + GADDR;
    const void *code = gen_accesses();

    printf("# %s\n", form);
    memset(page, 0, 64);
    page[4] = 0xf0; page[5] = 0xde; page[6] = 0xbc; page[7] = 0x9a;
    env.x[1] = GADDR + 4;
    env.x[2] = GADDR + 16;
    env.x[5] = 0x0102030405060708ull;
    slow.calls = 0;
    tb_run(code);
    EXPECT_EQ(slow.calls, 0);
    EXPECT_EQ(env.x[3], 0x9abcdef0ull);
    EXPECT_EQ(env.x[4], (uint64_t)(int8_t)0xf0);
    EXPECT_EQ(page[16], 0x08);
    EXPECT_EQ(page[23], 0x01);

    /* The last bytes of the space are still inside. */
    mprotect(space + (1ull << BITS) - 4096, 4096, PROT_READ | PROT_WRITE);
    memcpy(space + (1ull << BITS) - 4, "\x77\x66\x55\x44", 4);
    env.x[1] = (1ull << BITS) - 4;
    tb_run(code);
    EXPECT_EQ(slow.calls, 0);
    EXPECT_EQ(env.x[3], 0x44556677ull);
    EXPECT_EQ(env.x[4], 0x77);
    mprotect(space + (1ull << BITS) - 4096, 4096, PROT_NONE);

    /* At and above 1 << BITS, and far above: the slow path, never the
       host memory past the reservation. */
    static const uint64_t outside[] = {
        1ull << BITS, (1ull << BITS) + GADDR, 1ull << 63, ~0ull,
    };
    for (unsigned i = 0; i < G_N_ELEMENTS(outside); i++) {
        env.x[1] = outside[i];
        env.x[2] = GADDR + 16;
        slow.calls = 0;
        tb_run(code);
        EXPECT_EQ(slow.calls, 2);
        EXPECT_EQ(env.x[3], 0x5151);
        EXPECT_EQ(slow.addr, outside[i]);
        env.x[1] = GADDR + 4;
        env.x[2] = outside[i] & ~7ull;
        slow.calls = 0;
        tb_run(code);
        EXPECT_EQ(slow.calls, 1);
        EXPECT_EQ(slow.addr, outside[i] & ~7ull);
    }
    /* Inside but misaligned, with MO_ALIGN: the slow path too. */
    env.x[2] = GADDR + 20;
    slow.calls = 0;
    tb_run(code);
    EXPECT_EQ(slow.calls, 1);
    EXPECT_EQ(slow.addr, GADDR + 20);
}

TEST(base_register_is_the_limit)
{
    setup();
    check_space(tcg_runtime.guest_base == 1ull << BITS
                    ? "cmp addr, base"
                    : "shift (the reservation is elsewhere)");
}

/* A space smaller than the reservation's alignment: the shift check, with
   the base still in its register. */
TEST(base_register_with_a_shift_check)
{
    setup();
    tcg_runtime.guest_addr_bits = BITS - 1;
    uint8_t *page = space + GADDR;
    const void *code = gen_accesses();

    page[4] = 0x11;
    env.x[1] = GADDR + 4;
    env.x[2] = GADDR + 16;
    slow.calls = 0;
    tb_run(code);
    EXPECT_EQ(slow.calls, 0);
    EXPECT_EQ(env.x[3] & 0xff, 0x11);
    env.x[1] = 1ull << (BITS - 1);
    slow.calls = 0;
    tb_run(code);
    EXPECT_EQ(slow.calls, 2);
    EXPECT_EQ(slow.addr, 1ull << (BITS - 1));
    tcg_runtime.guest_addr_bits = BITS;
}

/* Under a guard (TCGRuntime.guest_guard) an offset folds into the access:
   ld x3 <- [x1 - 8] (u64), st x5 -> [x2 + 2040] (u32), and an aligned
   access, which keeps its add (the alignment is of the whole address). */
static const void *gen_offset_accesses(void)
{
    tb_begin();
    tcg_gen_insn_start(0x1000, 0);
    tcg_gen_qemu_ld_off_i64(X[3], X[1], -8, 0, MO_UQ);
    tcg_gen_insn_start(0x1004, 0);
    tcg_gen_qemu_st_off_i64(X[5], X[2], 2040, 0, MO_UL);
    tcg_gen_insn_start(0x1008, 0);
    tcg_gen_qemu_ld_off_i64(X[4], X[1], 4, 0, MO_UL | MO_ALIGN);
    return tb_finish(true);
}

TEST(offset_folded_under_a_guard)
{
    setup();
    uint8_t *page = space + GADDR;

    for (int guard = 0; guard < 2; guard++) {
        tcg_runtime.guest_guard = guard ? 64 << 10 : 0;
        const void *code = gen_offset_accesses();

        printf("# guard %s\n", guard ? "64 KiB" : "none");
        memset(page, 0, 4096);
        memcpy(page + 8, "\x01\x02\x03\x04\x05\x06\x07\x08", 8);
        env.x[1] = GADDR + 16;
        env.x[2] = GADDR;
        env.x[5] = 0xa1b2c3d4e5f60718ull;
        slow.calls = 0;
        tb_run(code);
        EXPECT_EQ(slow.calls, 0);
        EXPECT_EQ(env.x[3], 0x0807060504030201ull);
        EXPECT_EQ(page[2040], 0x18);
        EXPECT_EQ(page[2043], 0xe5);
        EXPECT_EQ(page[2044], 0);
        EXPECT_EQ(env.x[4], 0);

        /* A base past the limit goes to the slow path, which gets the
           whole address. */
        env.x[1] = (1ull << BITS) + 64;
        env.x[2] = GADDR;
        slow.calls = 0;
        tb_run(code);
        EXPECT_EQ(slow.calls, 2);
        EXPECT_EQ(env.x[3], 0x5151);
        EXPECT_EQ(slow.addr, (1ull << BITS) + 68);
        env.x[1] = GADDR + 16;
        env.x[2] = (1ull << BITS) + 64;
        slow.calls = 0;
        tb_run(code);
        EXPECT_EQ(slow.calls, 1);
        EXPECT_EQ(slow.addr, (1ull << BITS) + 64 + 2040);
        /* A base that wraps with its offset: the check is of the base
           alone under a guard, so the slow path has the wrapped sum (its
           helper faults or accesses as that address says). */
        if (guard) {
            env.x[2] = ~0ull - 16;
            slow.calls = 0;
            tb_run(code);
            EXPECT_EQ(slow.calls, 1);
            EXPECT_EQ(slow.addr, 2040 - 17);
        }
    }
    tcg_runtime.guest_guard = 0;
}

/* Under a guard, a base checked by an access is not checked again in the
   same block until something other than a constant addition writes it:
   the loads at x1 + 0 and x1 + 8 share one range check (one slow path),
   also with x1 += 16 between them (a PUSH after a PUSH), and a write of
   x1 from a register between them brings a second. */
enum { WRITE_NONE, WRITE_ADDI, WRITE_ADD };

static uint64_t slow_paths_of(int write_between)
{
    uint64_t before = ctx->stat_slow_paths;

    tb_begin();
    tcg_gen_insn_start(0x1000, 0);
    tcg_gen_qemu_ld_off_i64(X[3], X[1], 0, 0, MO_UQ);
    if (write_between == WRITE_ADDI)
        tcg_gen_addi_i64(X[1], X[1], 16);
    if (write_between == WRITE_ADD)
        tcg_gen_add_i64(X[1], X[1], X[6]);
    tcg_gen_insn_start(0x1004, 0);
    tcg_gen_qemu_ld_off_i64(X[4], X[1], 8, 0, MO_UQ);
    tb_run(tb_finish(true));
    return ctx->stat_slow_paths - before;
}

TEST(checked_base_is_not_checked_again)
{
    setup();
    uint8_t *page = space + GADDR;

    tcg_runtime.guest_guard = 64 << 10;
    memset(page, 0, 64);
    page[8] = 0x42;
    page[24] = 0x43;
    env.x[1] = GADDR;
    EXPECT_EQ(slow_paths_of(WRITE_NONE), 1);
    EXPECT_EQ(env.x[3], 0);
    EXPECT_EQ(env.x[4], 0x42);
    env.x[1] = GADDR;
    EXPECT_EQ(slow_paths_of(WRITE_ADDI), 1);
    EXPECT_EQ(env.x[4], 0x43);
    env.x[1] = GADDR;
    env.x[6] = 16;
    EXPECT_EQ(slow_paths_of(WRITE_ADD), 2);
    EXPECT_EQ(env.x[4], 0x43);
    /* Without a guard, every access is checked. */
    tcg_runtime.guest_guard = 0;
    env.x[1] = GADDR;
    EXPECT_EQ(slow_paths_of(WRITE_NONE), 2);
}

/* Constant addresses (auipc + load, x86's RIP-relative operands): inside
   the space, no check and no slow path when guest_base is the limit;
   outside it, or misaligned under MO_ALIGN, the slow path as for a
   register. */
static uint64_t slow_paths_of_const(uint64_t ld_addr, uint64_t st_addr)
{
    uint64_t before = ctx->stat_slow_paths;
    TCGv_i64 a = tcg_temp_new_i64();

    tb_begin();
    tcg_gen_insn_start(0x1000, 0);
    tcg_gen_movi_i64(a, (int64_t)ld_addr);
    tcg_gen_qemu_ld_off_i64(X[3], a, 4, 0, MO_UL);
    tcg_gen_insn_start(0x1004, 0);
    tcg_gen_movi_i64(a, (int64_t)st_addr);
    tcg_gen_qemu_st_i64(X[5], a, 0, MO_UQ | MO_ALIGN);
    tcg_temp_free_i64(a);
    tb_run(tb_finish(true));
    return ctx->stat_slow_paths - before;
}

TEST(constant_address_needs_no_check)
{
    setup();
    uint8_t *page = space + GADDR;
    bool is_limit = tcg_runtime.guest_base == 1ull << BITS;

    tcg_runtime.guest_guard = 64 << 10;
    memset(page, 0, 64);
    memcpy(page + 8, "\x01\x02\x03\x04", 4);
    env.x[5] = 0x1122334455667788ull;
    slow.calls = 0;
    EXPECT_EQ(slow_paths_of_const(GADDR + 4, GADDR + 16), is_limit ? 0 : 2);
    EXPECT_EQ(slow.calls, 0);
    EXPECT_EQ(env.x[3], 0x04030201ull);
    EXPECT_EQ(page[16], 0x88);
    EXPECT_EQ(page[23], 0x11);
    /* Outside the space: the slow path, with the whole address. */
    slow.calls = 0;
    EXPECT_EQ(slow_paths_of_const((1ull << BITS) + 64, GADDR + 16),
              is_limit ? 1 : 2);
    EXPECT_EQ(slow.calls, 1);
    EXPECT_EQ(env.x[3], 0x5151);
    EXPECT_EQ(slow.addr, (1ull << BITS) + 68);
    /* Misaligned with MO_ALIGN. */
    slow.calls = 0;
    slow_paths_of_const(GADDR + 4, GADDR + 20);
    EXPECT_EQ(slow.calls, 1);
    EXPECT_EQ(slow.addr, GADDR + 20);
    tcg_runtime.guest_guard = 0;
}

int main(void)
{
    return unit_run();
}
