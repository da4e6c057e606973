/* needs: none */
/*
 * Guest memory and TB exits in generated code: qemu_ld/qemu_st hitting a
 * TLB entry filled by hand (every size, sign and byte order), missing
 * into a test slow path (whose return address must lie inside the TB and
 * whose caller-saved registers must survive), alignment and page-crossing
 * checks, goto_tb patching between two TBs, goto_ptr, and the inline
 * jump-cache probe of lookup_and_goto_ptr on a hit and a miss.
 */
#include "mimic/jitmem.h"
#include "test-tcg-harness.h"
#include "tcg/tcg-internal.h"

#define PAGE 0x40000ull
static uint8_t guest_page[2 * TARGET_PAGE_SIZE] __attribute__((aligned(4096)));

static void tlb_fill_page(unsigned mmu, uint64_t vaddr, uint8_t *host)
{
    unsigned i = (unsigned)(vaddr >> TARGET_PAGE_BITS) &
                 ((1u << CPU_TLB_DYN_DEFAULT_BITS) - 1);
    CPUTLBEntry *e = &env.tlb[mmu][i];
    e->addr_read = e->addr_write = e->addr_code = vaddr;
    e->addend = (uintptr_t)host - vaddr;
}

static void tlb_clear(void)
{
    memset(env.tlb, 0xff, sizeof(env.tlb));
}

static struct {
    int calls;
    uint64_t addr, val;
    MemOpIdx oi;
    uintptr_t ra;
} slow;

static uint64_t test_ld_slow(void *e, uint64_t addr, MemOpIdx oi, uintptr_t ra)
{
    (void)e;
    slow.calls++;
    slow.addr = addr;
    slow.oi = oi;
    slow.ra = ra;
    return 0x8182838485868788ull;
}

static void test_st_slow(void *e, uint64_t addr, uint64_t val, MemOpIdx oi,
                         uintptr_t ra)
{
    (void)e;
    slow.calls++;
    slow.addr = addr;
    slow.val = val;
    slow.oi = oi;
    slow.ra = ra;
}

static bool ra_inside_tb(const void *code)
{
    uintptr_t start = (uintptr_t)code;
    uintptr_t end = start + (uintptr_t)(ctx->code_ptr - ctx->code_buf);
    return slow.ra > start && slow.ra < end;
}

TEST(qemu_ld_hits_every_memop)
{
    static const MemOp mops[] = {
        MO_UB,         MO_SB,         MO_UW,         MO_SW,
        MO_UL,         MO_SL,         MO_UQ,         MO_UW | MO_BE,
        MO_SW | MO_BE, MO_UL | MO_BE, MO_SL | MO_BE, MO_UQ | MO_BE,
    };
    uint64_t v = 0x8899aabbccddeeffull;

    tlb_clear();
    tlb_fill_page(2, PAGE, guest_page);
    memcpy(guest_page + 16, &v, 8);
    for (unsigned i = 0; i < sizeof(mops) / sizeof(mops[0]); i++) {
        MemOp mop = mops[i];
        unsigned size = memop_size(mop);
        uint64_t raw = size == 8 ? v : v & ((1ull << (size * 8)) - 1);
        if (mop & MO_BSWAP)
            raw = size == 2   ? __builtin_bswap16((uint16_t)raw)
                  : size == 4 ? __builtin_bswap32((uint32_t)raw)
                              : __builtin_bswap64(raw);
        uint64_t want = raw;
        if ((mop & MO_SIGN) && size < 8)
            want = (uint64_t)(((int64_t)(raw << (64 - size * 8))) >>
                              (64 - size * 8));

        tb_begin();
        tcg_gen_qemu_ld_i64(X[3], X[1], 2, mop);
        tcg_gen_qemu_ld_i32(W[3], X[1], 2, mop);
        const void *code = tb_finish(true);
        env.x[1] = PAGE + 16;
        slow.calls = 0;
        tb_run(code);
        EXPECT_EQ(slow.calls, 0);
        EXPECT_EQ(env.x[3], want);
        if (size < 8)
            EXPECT_EQ(env.w[3], (uint32_t)want);
    }
}

TEST(qemu_st_hits_every_size)
{
    tlb_clear();
    tlb_fill_page(0, PAGE, guest_page);
    tb_begin();
    tcg_gen_qemu_st_i64(X[2], X[1], 0, MO_UB);
    tcg_gen_addi_i64(X[1], X[1], 8);
    tcg_gen_qemu_st_i64(X[2], X[1], 0, MO_UW);
    tcg_gen_addi_i64(X[1], X[1], 8);
    tcg_gen_qemu_st_i64(X[2], X[1], 0, MO_UL);
    tcg_gen_addi_i64(X[1], X[1], 8);
    tcg_gen_qemu_st_i64(X[2], X[1], 0, MO_UQ);
    tcg_gen_addi_i64(X[1], X[1], 8);
    tcg_gen_qemu_st_i64(X[2], X[1], 0, MO_UL | MO_BE);
    tcg_gen_addi_i64(X[1], X[1], 8);
    tcg_gen_qemu_st_i32(W[2], X[1], 0, MO_UW | MO_BE);
    const void *code = tb_finish(true);
    memset(guest_page, 0, 64);
    env.x[1] = PAGE;
    env.x[2] = 0x1122334455667788ull;
    env.w[2] = 0xabcd;
    slow.calls = 0;
    tb_run(code);
    uint64_t m[6];
    memcpy(m, guest_page, sizeof(m));
    EXPECT_EQ(slow.calls, 0);
    EXPECT_EQ(m[0], 0x88);
    EXPECT_EQ(m[1], 0x7788);
    EXPECT_EQ(m[2], 0x55667788);
    EXPECT_EQ(m[3], 0x1122334455667788ull);
    EXPECT_EQ(m[4], 0x88776655);
    EXPECT_EQ(m[5], 0xcdab);
}

TEST(qemu_ld_miss_calls_slow_path_keeping_registers)
{
    TCGv_i64 t[10];

    tcg_runtime.ld_slow = test_ld_slow;
    tcg_runtime.st_slow = test_st_slow;
    tlb_clear();
    tb_begin();
    /* Many live values: some of them end up in caller-saved registers. */
    for (int i = 0; i < 10; i++) {
        t[i] = tcg_temp_new_i64();
        tcg_gen_addi_i64(t[i], X[i + 10], i);
    }
    tcg_gen_insn_start(0x1000, 0);
    tcg_gen_qemu_ld_i64(X[3], X[1], 1, MO_SW);
    tcg_gen_insn_start(0x1004, 0);
    for (int i = 0; i < 10; i++)
        tcg_gen_add_i64(X[i + 10], t[i], X[3]);
    const void *code = tb_finish(true);
    for (int i = 0; i < 10; i++)
        env.x[i + 10] = (uint64_t)i * 1000;
    env.x[1] = 0x777000;
    slow.calls = 0;
    tb_run(code);
    EXPECT_EQ(slow.calls, 1);
    EXPECT_EQ(slow.addr, 0x777000);
    EXPECT_EQ(slow.oi, make_memop_idx(MO_SW, 1));
    EXPECT(ra_inside_tb(code));
    /* The ra maps to the first guest insn. */
    uint32_t off = (uint32_t)(slow.ra - (uintptr_t)code);
    EXPECT(off < ctx->insns[0].host_end);
    EXPECT_EQ(env.x[3], (uint64_t)(int64_t)(int16_t)0x8788);
    for (int i = 0; i < 10; i++)
        EXPECT_EQ(env.x[i + 10], (uint64_t)i * 1000 + (uint64_t)i + env.x[3]);
}

TEST(qemu_st_miss_and_alignment)
{
    tcg_runtime.ld_slow = test_ld_slow;
    tcg_runtime.st_slow = test_st_slow;
    tlb_clear();
    tlb_fill_page(0, PAGE, guest_page);
    tb_begin();
    tcg_gen_insn_start(0x2000, 0);
    tcg_gen_qemu_st_i64(X[2], X[1], 0, MO_UL | MO_ALIGN);
    const void *code = tb_finish(true);
    env.x[2] = 0xfeed;
    /* Aligned, mapped: fast path. */
    env.x[1] = PAGE + 4;
    slow.calls = 0;
    tb_run(code);
    EXPECT_EQ(slow.calls, 0);
    /* Misaligned: the compare keeps the low bits, slow path. */
    env.x[1] = PAGE + 2;
    tb_run(code);
    EXPECT_EQ(slow.calls, 1);
    EXPECT_EQ(slow.val, 0xfeed);
    EXPECT(ra_inside_tb(code));
    EXPECT(slow.ra - (uintptr_t)code < ctx->insns[0].host_end);

    /* Unaligned allowed, but crossing into an unmapped page: slow path. */
    tb_begin();
    tcg_gen_qemu_ld_i64(X[3], X[1], 0, MO_UQ);
    const void *code2 = tb_finish(true);
    env.x[1] = PAGE + TARGET_PAGE_SIZE - 4;
    slow.calls = 0;
    tb_run(code2);
    EXPECT_EQ(slow.calls, 1);
    env.x[1] = PAGE + TARGET_PAGE_SIZE - 8;
    tb_run(code2);
    EXPECT_EQ(slow.calls, 1);
}

/* User mode: no TLB, guest memory at guest_base + addr.  Every size and
   sign reads and writes there straight; only a misaligned access whose
   MemOp asks for alignment reaches the slow path, with its retaddr in
   the guest insn's code. */
TEST(direct_access_at_guest_base)
{
    static uint8_t mem[64] __attribute__((aligned(16)));
    const uint64_t gaddr = 0x10000;

    tcg_runtime.ld_slow = test_ld_slow;
    tcg_runtime.st_slow = test_st_slow;
    tcg_runtime.direct = true;
    tcg_runtime.guest_base = (uintptr_t)mem - gaddr;
    tlb_clear();   /* a TLB probe would miss: the direct path must not probe */
    tb_begin();
    tcg_gen_insn_start(0x3000, 0);
    tcg_gen_qemu_ld_i64(X[3], X[1], 0, MO_SL);
    tcg_gen_qemu_ld_i64(X[4], X[1], 0, MO_UB);
    tcg_gen_qemu_st_i64(X[5], X[1], 0, MO_UQ);
    tcg_gen_insn_start(0x3004, 0);
    tcg_gen_qemu_ld_i64(X[6], X[2], 0, MO_UQ | MO_ALIGN);
    const void *code = tb_finish(true);
    memset(mem, 0, sizeof(mem));
    mem[8] = 0xfe; mem[9] = 0xff; mem[10] = 0xff; mem[11] = 0xff;
    mem[16] = 0x2a;
    env.x[1] = gaddr + 8;
    env.x[2] = gaddr + 16;
    env.x[5] = 0x1122334455667788ull;
    slow.calls = 0;
    tb_run(code);
    EXPECT_EQ(env.x[3], (uint64_t)-2);
    EXPECT_EQ(env.x[4], 0xfe);
    EXPECT_EQ(mem[8], 0x88);
    EXPECT_EQ(mem[15], 0x11);
    EXPECT_EQ(env.x[6], 0x2a);
    EXPECT_EQ(slow.calls, 0);
    /* Misaligned and MO_ALIGN: the slow path, from the second insn. */
    env.x[2] = gaddr + 20;
    tb_run(code);
    EXPECT_EQ(slow.calls, 1);
    EXPECT_EQ(slow.addr, gaddr + 20);
    EXPECT(ra_inside_tb(code));
    EXPECT(slow.ra - (uintptr_t)code >= ctx->insns[0].host_end);

    /* Outside the guest's space (bits at or above guest_addr_bits): the
       slow path, for an access with or without an alignment check. */
    tcg_runtime.guest_addr_bits = 20;
    tb_begin();
    tcg_gen_insn_start(0x4000, 0);
    tcg_gen_qemu_ld_i64(X[3], X[1], 0, MO_UQ);
    tcg_gen_insn_start(0x4004, 0);
    tcg_gen_qemu_st_i64(X[5], X[2], 0, MO_UL | MO_ALIGN);
    const void *code2 = tb_finish(true);
    env.x[1] = gaddr + 16;
    env.x[2] = gaddr + 8;
    env.x[5] = 0x99;
    slow.calls = 0;
    tb_run(code2);
    EXPECT_EQ(slow.calls, 0);
    EXPECT_EQ(env.x[3], 0x2a);
    EXPECT_EQ(mem[8], 0x99);
    env.x[1] = (1ull << 20) + 16;
    env.x[2] = 1ull << 40;
    tb_run(code2);
    EXPECT_EQ(slow.calls, 2);
    EXPECT_EQ(slow.addr, 1ull << 40);
    env.x[2] = gaddr + 9;   /* inside, misaligned: the second jne */
    tb_run(code2);
    EXPECT_EQ(slow.calls, 4);
    EXPECT_EQ(slow.addr, gaddr + 9);
    tcg_runtime.guest_addr_bits = 0;
    tcg_runtime.direct = false;
    tcg_runtime.guest_base = 0;
}

/* ---- Leaving and chaining TBs ---- */

static int count_mb(TCGBar *bars)
{
    int n = 0;

    *bars = 0;
    for (TCGOp *op = ctx->ops_first; op; op = op->next) {
        if (op->opc == INDEX_op_mb) {
            *bars |= (TCGBar)op->args[0];
            n++;
        }
    }
    return n;
}

/* The guest's memory model becomes barriers where the host does not keep
   an order by itself: on x86-64 (TSO) only store-then-load, on aarch64
   (weakly ordered) every pair the guest promises.  A load takes part in
   LD_LD and ST_LD, a store in LD_ST and ST_ST. */
static int expected_mb(TCGBar guest, TCGBar *bars)
{
    TCGBar ld = (TCG_MO_LD_LD | TCG_MO_ST_LD) & guest & ~tcg_target_default_mo;
    TCGBar st = (TCG_MO_LD_ST | TCG_MO_ST_ST) & guest & ~tcg_target_default_mo;

    *bars = ld | st;
    return (ld != 0) + (st != 0);
}

TEST(guest_memory_order_adds_the_barriers_the_host_lacks)
{
    TCGBar saved = tcg_runtime.guest_mo, bars, want;
    int n;

    tb_begin();
    tcg_runtime.guest_mo = TCG_MO_ALL;    /* sequentially consistent */
    tcg_gen_qemu_ld_i64(X[1], X[2], 0, MO_UQ);
    tcg_gen_qemu_st_i64(X[1], X[3], 0, MO_UQ);
    n = expected_mb(TCG_MO_ALL, &want);
    EXPECT_EQ(count_mb(&bars), n);        /* x86-64: before the load only */
    EXPECT_EQ(bars, want);
    EXPECT(n >= 1);

    tb_begin();
    tcg_runtime.guest_mo = TCG_MO_ALL & ~TCG_MO_ST_LD;   /* TSO (x86) */
    tcg_gen_qemu_ld_i64(X[1], X[2], 0, MO_UQ);
    tcg_gen_qemu_st_i64(X[1], X[3], 0, MO_UQ);
    n = expected_mb(TCG_MO_ALL & ~TCG_MO_ST_LD, &want);
    EXPECT_EQ(count_mb(&bars), n);        /* x86-64: none */
    EXPECT_EQ(bars, want);

    tb_begin();
    tcg_runtime.guest_mo = 0;             /* RVWMO: fences are explicit */
    tcg_gen_qemu_ld_i32(W[1], X[2], 0, MO_UL);
    EXPECT_EQ(count_mb(&bars), 0);
    tcg_runtime.guest_mo = saved;
}

/* The fences in host code [code, code + len): on ARM64 the DMBs (*kinds:
   a bit per CRm option, DMB_ISHLD 9, ISHST 10, ISH 11), on x86-64 the
   MFENCEs (bit 0).  A word-aligned scan of ARM64 code is exact; x86's
   byte scan could only overcount, and the x86 cases expect none or one. */
static int host_fences(const void *code, size_t len, unsigned *kinds)
{
    int n = 0;

    *kinds = 0;
#if defined(__aarch64__)
    const uint32_t *w = code;
    for (size_t i = 0; i < len / 4; i++) {
        if ((w[i] & 0xfffff0ffu) == 0xd50330bfu) {
            *kinds |= 1u << ((w[i] >> 8) & 15);
            n++;
        }
    }
#else
    const uint8_t *b = code;
    for (size_t i = 0; i + 3 <= len; i++) {
        if (b[i] == 0x0f && b[i + 1] == 0xae && b[i + 2] == 0xf0) {
            *kinds |= 1;
            n++;
        }
    }
#endif
    return n;
}

static int tb_fences(unsigned *kinds)
{
    const void *code = tb_finish(true);

    return code ? host_fences(code, tcg_current_code_size(ctx), kinds) : -1;
}

/* What the host code holds, not only the IR: an x86-64 guest (TSO) on
   ARM64 gets DMB ISHLD before a load and DMB ISH before a store; RISC-V
   (RVWMO) nothing; each guest fence its lightest DMB; on x86-64 only a
   store-then-load order costs an MFENCE. */
TEST(host_code_has_the_fences_each_guest_model_needs)
{
    TCGBar saved = tcg_runtime.guest_mo;
    unsigned kinds;
#if defined(__aarch64__)
    const bool arm = true;
#else
    const bool arm = false;
#endif

    tb_begin();
    tcg_runtime.guest_mo = TCG_MO_ALL & ~TCG_MO_ST_LD;   /* x86 */
    tcg_gen_qemu_ld_i64(X[1], X[2], 0, MO_UQ);
    tcg_gen_qemu_st_i64(X[1], X[3], 0, MO_UQ);
    EXPECT_EQ(tb_fences(&kinds), arm ? 2 : 0);
    EXPECT_EQ(kinds, arm ? (1u << 9 | 1u << 11) : 0);

    tb_begin();
    tcg_runtime.guest_mo = 0;                            /* RVWMO */
    tcg_gen_qemu_ld_i64(X[1], X[2], 0, MO_UQ);
    tcg_gen_qemu_st_i64(X[1], X[3], 0, MO_UQ);
    EXPECT_EQ(tb_fences(&kinds), 0);

    /* fence r,rw; fence w,w; fence rw,rw (and x86's MFENCE). */
    tb_begin();
    tcg_gen_mb(TCG_MO_LD_LD | TCG_MO_LD_ST);
    EXPECT_EQ(tb_fences(&kinds), arm ? 1 : 0);
    EXPECT_EQ(kinds, arm ? 1u << 9 : 0);
    tb_begin();
    tcg_gen_mb(TCG_MO_ST_ST);
    EXPECT_EQ(tb_fences(&kinds), arm ? 1 : 0);
    EXPECT_EQ(kinds, arm ? 1u << 10 : 0);
    tb_begin();
    tcg_gen_mb(TCG_MO_ALL);
    EXPECT_EQ(tb_fences(&kinds), 1);
    EXPECT_EQ(kinds, arm ? 1u << 11 : 1);
    tcg_runtime.guest_mo = saved;
}

static struct {
    uintptr_t start[8];
    size_t len[8];
    int n;
} flushed;

static void record_flush(void *rx, size_t len)
{
    if (flushed.n < 8) {
        flushed.start[flushed.n] = (uintptr_t)rx;
        flushed.len[flushed.n] = len;
    }
    flushed.n++;
}

/* Whether a recorded flush covers [p, p + len). */
static bool flush_covers(uintptr_t p, size_t len)
{
    for (int i = 0; i < flushed.n && i < 8; i++)
        if (flushed.start[i] <= p && p + len <= flushed.start[i] + flushed.len[i])
            return true;
    return false;
}

/* Every code write and patch asks for instruction-cache maintenance
   (which ARM64 needs and qemu-aarch64 does not check): a new TB, and a
   goto_tb jump rewritten to chain and to unchain. */
TEST(code_writes_and_patches_flush_the_icache)
{
    tb_begin();
    memset(&flushed, 0, sizeof(flushed));
    jitmem_flush_observer = record_flush;
    tcg_gen_addi_i64(X[2], X[2], 1);
    tcg_gen_goto_tb(0);
    tcg_gen_exit_tb((void *)0x10000, 0);
    const uint8_t *a = tb_finish(false);
    size_t size = tcg_current_code_size(ctx);
    EXPECT_EQ(flushed.n, 1);
    EXPECT(a && flush_covers((uintptr_t)a, size));

    uint16_t jmp = ctx->goto_tb_jmp_offset[0];
    memset(&flushed, 0, sizeof(flushed));
    tcg_tb_set_jmp_target((uintptr_t)a + jmp, (uintptr_t)ctx->code_buf + jmp,
                          (uintptr_t)a);
    EXPECT_EQ(flushed.n, 1);
    EXPECT(flush_covers((uintptr_t)a + jmp, 4));
    memset(&flushed, 0, sizeof(flushed));
    tcg_tb_set_jmp_target((uintptr_t)a + jmp, (uintptr_t)ctx->code_buf + jmp,
                          (uintptr_t)a + ctx->goto_tb_reset_offset[0]);
    EXPECT(flush_covers((uintptr_t)a + jmp, 4));
    jitmem_flush_observer = NULL;
}

TEST(goto_tb_patching)
{
    uintptr_t fake_tb = 0x10000;

    tb_begin();
    tcg_gen_addi_i64(X[1], X[1], 1);
    tcg_gen_exit_tb(NULL, 0);
    const void *b = tb_finish(false);

    tb_begin();
    tcg_gen_addi_i64(X[2], X[2], 1);
    tcg_gen_goto_tb(0);
    tcg_gen_exit_tb((void *)fake_tb, 0);
    const void *a = tb_finish(false);
    uint16_t jmp = ctx->goto_tb_jmp_offset[0],
             reset = ctx->goto_tb_reset_offset[0];
    uint8_t *a_rw = ctx->code_buf;

    EXPECT_EQ(jmp % 4, 0);
    EXPECT_EQ(((uintptr_t)a + jmp) % 4, 0);
    EXPECT_EQ(reset, jmp + 4);
    env.x[1] = env.x[2] = 0;
    EXPECT_EQ(tb_run(a), fake_tb);
    EXPECT_EQ(env.x[2], 1);
    EXPECT_EQ(env.x[1], 0);

    tcg_tb_set_jmp_target((uintptr_t)a + jmp, (uintptr_t)a_rw + jmp,
                          (uintptr_t)b);
    EXPECT_EQ(tb_run(a), 0);
    EXPECT_EQ(env.x[2], 2);
    EXPECT_EQ(env.x[1], 1);

    tcg_tb_set_jmp_target((uintptr_t)a + jmp, (uintptr_t)a_rw + jmp,
                          (uintptr_t)a + reset);
    EXPECT_EQ(tb_run(a), fake_tb);
    EXPECT_EQ(env.x[1], 1);
}

TEST(goto_ptr_and_lookup)
{
    uint64_t pc = 0x80001234;
    TBJumpCacheEntry *e = &env.jmp_cache[tb_jmp_cache_hash(pc)];

    tb_begin();
    tcg_gen_addi_i64(X[1], X[1], 5);
    const void *b = tb_finish(true);

    tb_begin();
    tcg_gen_goto_ptr(tcg_constant_ptr(b));
    const void *g = tb_finish(false);
    env.x[1] = 0;
    EXPECT_EQ(tb_run(g), 0);
    EXPECT_EQ(env.x[1], 5);

    tb_begin();
    tcg_gen_movi_i64(X[2], 7);
    tcg_gen_st_i64(tcg_constant_i64((int64_t)pc), tcg_env(),
                   offsetof(FakeEnv, pc));
    tcg_gen_lookup_and_goto_ptr();
    const void *l = tb_finish(false);

    memset(env.jmp_cache, 0, sizeof(env.jmp_cache));
    e->pc = pc;
    e->code = b;
    e->flags = 3;
    env.tb_flags = 3;
    env.x[1] = 0;
    EXPECT_EQ(tb_run(l), 0);
    EXPECT_EQ(env.x[1], 5); /* hit: b ran */
    EXPECT_EQ(env.x[2], 7);

    env.tb_flags = 4; /* flags differ: miss */
    env.x[1] = 0;
    EXPECT_EQ(tb_run(l), 0);
    EXPECT_EQ(env.x[1], 0);

    /* Only the high word differs (a target's second key word, e.g. x86's
       CS base): miss. */
    env.tb_flags = 3 | (1ull << 40);
    EXPECT_EQ(tb_run(l), 0);
    EXPECT_EQ(env.x[1], 0);

    env.tb_flags = 3;
    e->pc = pc + 2; /* pc differs: miss */
    EXPECT_EQ(tb_run(l), 0);
    EXPECT_EQ(env.x[1], 0);
}

int main(void)
{
    harness_init();
    return unit_run();
}
