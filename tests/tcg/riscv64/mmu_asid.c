/*
 * Address-space switches (Sv39): two page tables with ASIDs 1 and 2 that
 * map the same virtual pages to different data and code, switched by
 * writing satp with no sfence.vma between (a new ASID sees its own
 * tables, and code run through a jump does too); global mappings (G on
 * the leaf) shared by both, which a full sfence.vma still drops after a
 * remap; sfence.vma of one ASID (rs2 != x0) after a remap of a non-global
 * page; sfence.vma of a non-global code page next to global code; and a
 * working set of 2048 pages, larger than a small TLB, read
 * and written twice, then remapped one page at a time.
 */
#define PT_POOL_PAGES 32
#include "smode.h"

#define MODE SATP_SV39
#define TV 0x40000000UL            /* test mappings: the second 1 GiB */
#define TV_DATA TV
#define TV_CODE (TV + 0x10000)
#define TV_GDATA (TV + 0x20000)
#define TV_GCODE (TV + 0x30000)
#define TV_GNEXT (TV + 0x40000)    /* a global code page, then a non-global */
#define TV_BIG (TV + 0x1000000)    /* the 2048-page working set */
#define BIG_PAGES 2048

static u64 *root_a, *root_b;
static u64 satp_a, satp_b;
static u8 data[4][4096] __attribute__((aligned(4096)));
static u8 code[2][4096] __attribute__((aligned(4096)));

static volatile u64 *map4k(u64 *root, u64 va, u64 pa, u64 flags)
{
    return pt_map(root, MODE, va, pa, flags | PTE_V | PTE_AD, 0);
}

static long s_load(long va)
{
    return (long)*(volatile u64 *)va;
}

static long s_call(long va)
{
    return ((long (*)(long))va)(0);
}

/* Sums word i of page i over the working set (page i -> data[i % 4]). */
static long s_big_read(long n)
{
    u64 sum = 0;

    for (long i = 0; i < n; i++)
        sum += *(volatile u64 *)(TV_BIG + (u64)i * 4096 + (u64)(i % 512) * 8);
    return (long)sum;
}

/* Adds 1 to word i of page i over the working set. */
static long s_big_write(long n)
{
    for (long i = 0; i < n; i++)
        *(volatile u64 *)(TV_BIG + (u64)i * 4096 + (u64)(i % 512) * 8) += 1;
    return 0;
}

static long run_s(long (*fn)(long), long arg)
{
    return run_mode(fn, arg, PRV_S);
}

static void use(u64 satp)
{
    csr_write(satp, satp);
}

static void sfence_vma_asid(u64 asid)
{
    __asm__ __volatile__("sfence.vma x0, %0" :: "r"(asid) : "memory");
}

/* Word w of every data page holds its page number times 0x100 plus w. */
static void fill(void)
{
    for (int p = 0; p < 4; p++)
        for (int w = 0; w < 512; w++)
            ((u64 *)data[p])[w] = (u64)p * 0x100 + (u64)w;
}

/* code[k]: li a0, k + 1; ret */
static void write_code(void)
{
    for (int k = 0; k < 2; k++) {
        u32 insns[2] = { 0x00000513 | (u32)(k + 1) << 20, 0x00008067 };

        memcpy(code[k], insns, sizeof(insns));
    }
    __asm__ __volatile__("fence.i" ::: "memory");
}

static void test_switch(void)
{
    map4k(root_a, TV_DATA, (u64)data[0], PTE_R | PTE_W);
    map4k(root_b, TV_DATA, (u64)data[1], PTE_R | PTE_W);
    map4k(root_a, TV_CODE, (u64)code[0], PTE_R | PTE_X);
    map4k(root_b, TV_CODE, (u64)code[1], PTE_R | PTE_X);
    use(satp_a);
    sfence_vma_all();
    /* Several rounds, so the code is found through caches the second
       time, and the switch alone must send the next run elsewhere. */
    for (int round = 0; round < 3; round++) {
        use(satp_a);
        CHECK_EQ(run_s(s_load, TV_DATA + 8), 0x001);
        CHECK_EQ(run_s(s_call, TV_CODE), 1);
        CHECK_EQ(run_s(s_call, TV_CODE), 1);
        use(satp_b);
        CHECK_EQ(run_s(s_load, TV_DATA + 8), 0x101);
        CHECK_EQ(run_s(s_call, TV_CODE), 2);
        CHECK_EQ(run_s(s_call, TV_CODE), 2);
    }
    use(satp_a);
}

static void test_global(void)
{
    volatile u64 *da, *db, *ca, *cb;

    da = map4k(root_a, TV_GDATA, (u64)data[2], PTE_R | PTE_G);
    db = map4k(root_b, TV_GDATA, (u64)data[2], PTE_R | PTE_G);
    ca = map4k(root_a, TV_GCODE, (u64)code[0], PTE_R | PTE_X | PTE_G);
    cb = map4k(root_b, TV_GCODE, (u64)code[0], PTE_R | PTE_X | PTE_G);
    use(satp_a);
    sfence_vma_all();
    for (int round = 0; round < 2; round++) {
        use(satp_a);
        CHECK_EQ(run_s(s_load, TV_GDATA + 16), 0x202);
        CHECK_EQ(run_s(s_call, TV_GCODE), 1);
        use(satp_b);
        CHECK_EQ(run_s(s_load, TV_GDATA + 16), 0x202);
        CHECK_EQ(run_s(s_call, TV_GCODE), 1);
    }
    /* Remapped in both tables: a full sfence.vma drops global entries. */
    *da = *db = pte_make((u64)data[3], PTE_V | PTE_R | PTE_G | PTE_AD);
    *ca = *cb = pte_make((u64)code[1], PTE_V | PTE_R | PTE_X | PTE_G | PTE_AD);
    sfence_vma_all();
    CHECK_EQ(run_s(s_load, TV_GDATA + 16), 0x302);
    CHECK_EQ(run_s(s_call, TV_GCODE), 2);
    use(satp_a);
    CHECK_EQ(run_s(s_load, TV_GDATA + 16), 0x302);
    CHECK_EQ(run_s(s_call, TV_GCODE), 2);
}

/* sfence.vma x0, asid drops that address space's non-global entries. */
static void test_sfence_asid(void)
{
    volatile u64 *d, *c;

    use(satp_a);
    d = map4k(root_a, TV_DATA, (u64)data[0], PTE_R | PTE_W);
    c = map4k(root_a, TV_CODE, (u64)code[0], PTE_R | PTE_X);
    sfence_vma_all();
    CHECK_EQ(run_s(s_load, TV_DATA + 24), 0x003);
    CHECK_EQ(run_s(s_call, TV_CODE), 1);
    CHECK_EQ(run_s(s_call, TV_CODE), 1);
    *d = pte_make((u64)data[3], PTE_V | PTE_R | PTE_AD);
    *c = pte_make((u64)code[1], PTE_V | PTE_R | PTE_X | PTE_AD);
    sfence_vma_asid(1);
    CHECK_EQ(run_s(s_load, TV_DATA + 24), 0x303);
    CHECK_EQ(run_s(s_call, TV_CODE), 2);
}

/* sfence.vma of a non-global code page whose neighbour below holds global
   code: the flush must still drop the jump to the old code (it once
   looked for non-global entries only up to the first page with global
   code, and kept them). */
static void test_flush_next_to_global(void)
{
    volatile u64 *c;

    use(satp_a);
    map4k(root_a, TV_GNEXT, (u64)code[0], PTE_R | PTE_X | PTE_G);
    c = map4k(root_a, TV_GNEXT + 4096, (u64)code[0], PTE_R | PTE_X);
    sfence_vma_all();
    for (int round = 0; round < 3; round++) {
        CHECK_EQ(run_s(s_call, TV_GNEXT), 1);
        CHECK_EQ(run_s(s_call, TV_GNEXT + 4096), 1);
    }
    *c = pte_make((u64)code[1], PTE_V | PTE_R | PTE_X | PTE_AD);
    __asm__ __volatile__("sfence.vma %0" :: "r"(TV_GNEXT + 4096) : "memory");
    CHECK_EQ(run_s(s_call, TV_GNEXT + 4096), 2);
    CHECK_EQ(run_s(s_call, TV_GNEXT), 1);
}

static u64 big_expected(void)
{
    u64 sum = 0;

    for (u64 i = 0; i < BIG_PAGES; i++)
        sum += ((u64 *)data[i % 4])[i % 512];
    return sum;
}

static void test_big(void)
{
    static volatile u64 *pte[BIG_PAGES];

    use(satp_a);
    fill();
    for (u64 i = 0; i < BIG_PAGES; i++)
        pte[i] = map4k(root_a, TV_BIG + i * 4096, (u64)data[i % 4],
                       PTE_R | PTE_W);
    sfence_vma_all();
    for (int pass = 0; pass < 3; pass++)
        CHECK_EQ((u64)run_s(s_big_read, BIG_PAGES), big_expected());
    run_s(s_big_write, BIG_PAGES);
    run_s(s_big_write, BIG_PAGES);
    /* Word 5 of data[1] is word 5 of pages 5, 517, 1029 and 1541. */
    CHECK_EQ(((u64 *)data[1])[5], 0x105 + 8);
    CHECK_EQ((u64)run_s(s_big_read, BIG_PAGES), big_expected());
    /* Remap every page to data[(i + 1) % 4], one sfence.vma each. */
    for (u64 i = 0; i < BIG_PAGES; i++) {
        *pte[i] = pte_make((u64)data[(i + 1) % 4], PTE_V | PTE_R | PTE_W |
                                                   PTE_AD);
        sfence_vma_addr(TV_BIG + i * 4096);
    }
    {
        u64 sum = 0;

        for (u64 i = 0; i < BIG_PAGES; i++)
            sum += ((u64 *)data[(i + 1) % 4])[i % 512];
        CHECK_EQ((u64)run_s(s_big_read, BIG_PAGES), sum);
    }
    /* And the other address space has no such mappings. */
    use(satp_b);
    CHECK_EQ(run_s(s_load, TV_DATA + 8), ((u64 *)data[1])[1]);
    use(satp_a);
}

int main(void)
{
    smode_init();
    pmp_allow_all();
    fill();
    write_code();
    root_a = pt_new();
    root_b = pt_new();
    satp_a = mmu_identity(root_a, MODE) | 1UL << 44;
    satp_b = mmu_identity(root_b, MODE) | 2UL << 44;
    use(satp_a);
    CHECK_EQ(csr_read(satp), satp_a);
    sfence_vma_all();
    test_switch();
    test_global();
    test_sfence_asid();
    test_flush_next_to_global();
    test_big();
    csr_write(satp, 0);
    return test_end();
}
