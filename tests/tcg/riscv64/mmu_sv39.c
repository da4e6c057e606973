/*
 * Paging (Sv39 here; mmu_sv48.c and mmu_sv57.c build this file for the
 * other modes): page tables built by the test (an identity map plus test
 * mappings), 4 KiB pages and 2 MiB / 1 GiB superpages, A/D updates, the
 * permission rules (R/W/X, U bit both ways, SUM, MXR, S never executing
 * U pages), reserved encodings and misaligned superpages (page faults with
 * mtval = the virtual address), non-canonical addresses, sfence.vma after
 * remapping, MPRV loads and stores in M-mode, and the PMP check of the
 * walk's own PTE reads.
 */
#include "smode.h"

#ifndef SATP_MODE
#define SATP_MODE SATP_SV39
#endif
#define LEVELS ((int)SATP_MODE - 5)

/* Test mappings live at TV (the second 1 GiB of the address space). */
#define TV 0x40000000UL

static u64 *root;
static u8 data[4][4096] __attribute__((aligned(4096)));
static u8 code[4096] __attribute__((aligned(4096)));

static volatile u64 *map4k(u64 va, u64 pa, u64 flags)
{
    return pt_map(root, SATP_MODE, va, pa, flags | PTE_V, 0);
}

static void fill(int page, u64 seed)
{
    for (int i = 0; i < 512; i++)
        ((u64 *)data[page])[i] = seed + (u64)i;
}

/* S-mode bodies (they run on the identity map). */
static long s_load(long va)
{
    return (long)*(volatile u64 *)va;
}

static long s_store(long va)
{
    *(volatile u64 *)va = 0x77;
    return 0;
}

static long s_call(long va)
{
    return ((long (*)(long))va)(0);
}

/* Expects one M-mode trap of cause c at tval va from fn(va) in mode. */
static void expect_fault(long (*fn)(long), u64 va, int mode, u64 c)
{
    trap_expect(fn == s_call || fn == u_jump ? TRAP_RET : TRAP_SKIP);
    run_mode(fn, (long)va, mode);
    CHECK_TRAP_TVAL(c, va);
    trap_mode = TRAP_NONE;
}

static void expect_ok(long (*fn)(long), u64 va, int mode, u64 want)
{
    trap_expect(TRAP_SKIP);
    CHECK_EQ(run_mode(fn, (long)va, mode), want);
    CHECK_NO_TRAP();
}

static void test_basic(void)
{
    fill(0, 0x1000);
    fill(1, 0x2000);
    map4k(TV, (u64)data[0], PTE_R | PTE_W | PTE_AD);
    map4k(TV + 0x1000, (u64)data[1], PTE_R | PTE_W | PTE_AD);
    sfence_vma_all();
    expect_ok(s_load, TV + 8, PRV_S, 0x1001);
    expect_ok(s_load, TV + 0x1000 + 16, PRV_S, 0x2002);
    expect_ok(s_store, TV + 0x1000 + 24, PRV_S, 0);
    CHECK_EQ(((u64 *)data[1])[3], 0x77);
    /* Unmapped (invalid PTE) and a hole in the table tree. */
    expect_fault(s_load, TV + 0x5000, PRV_S, CAUSE_LOAD_PAGE);
    expect_fault(s_store, TV + 0x5000, PRV_S, CAUSE_STORE_PAGE);
    expect_fault(s_load, 0x140000000UL, PRV_S, CAUSE_LOAD_PAGE);
}

static void test_ad(void)
{
    volatile u64 *pte = map4k(TV + 0x2000, (u64)data[2], PTE_R | PTE_W);

    fill(2, 0x3000);
    sfence_vma_all();
    expect_ok(s_load, TV + 0x2000, PRV_S, 0x3000);
    CHECK_EQ(*pte & PTE_AD, PTE_A);
    expect_ok(s_store, TV + 0x2008, PRV_S, 0);
    CHECK_EQ(*pte & PTE_AD, PTE_AD);
    CHECK_EQ(((u64 *)data[2])[1], 0x77);
    /* A store after a load (cached without D) still sets D. */
    *pte = pte_make((u64)data[2], PTE_V | PTE_R | PTE_W);
    sfence_vma_all();
    for (int i = 0; i < 3; i++)
        expect_ok(s_load, TV + 0x2000, PRV_S, 0x3000);
    CHECK_EQ(*pte & PTE_AD, PTE_A);
    expect_ok(s_store, TV + 0x2010, PRV_S, 0);
    CHECK_EQ(*pte & PTE_AD, PTE_AD);
    /* A faulting access sets nothing. */
    *pte = pte_make((u64)data[2], PTE_V | PTE_R);
    sfence_vma_all();
    expect_fault(s_store, TV + 0x2000, PRV_S, CAUSE_STORE_PAGE);
    CHECK_EQ(*pte & PTE_AD, 0);
    /* U page from S without SUM: fault, A untouched. */
    *pte = pte_make((u64)data[2], PTE_V | PTE_R | PTE_U);
    sfence_vma_all();
    expect_fault(s_load, TV + 0x2000, PRV_S, CAUSE_LOAD_PAGE);
    CHECK_EQ(*pte & PTE_AD, 0);
}

static void test_permissions(void)
{
    volatile u64 *pte = map4k(TV + 0x3000, (u64)data[3], PTE_X | PTE_AD);

    fill(3, 0x4000);
    sfence_vma_all();
    /* Execute-only: loads fault unless MXR. */
    expect_fault(s_load, TV + 0x3000, PRV_S, CAUSE_LOAD_PAGE);
    csr_set(mstatus, MSTATUS_MXR);
    expect_ok(s_load, TV + 0x3000, PRV_S, 0x4000);
    expect_fault(s_store, TV + 0x3000, PRV_S, CAUSE_STORE_PAGE);
    csr_clear(mstatus, MSTATUS_MXR);
    expect_fault(s_load, TV + 0x3008, PRV_S, CAUSE_LOAD_PAGE);
    /* Read-only and write-only (reserved) leaves. */
    *pte = pte_make((u64)data[3], PTE_V | PTE_R | PTE_AD);
    sfence_vma_all();
    expect_ok(s_load, TV + 0x3010, PRV_S, 0x4002);
    expect_fault(s_store, TV + 0x3010, PRV_S, CAUSE_STORE_PAGE);
    *pte = pte_make((u64)data[3], PTE_V | PTE_W | PTE_AD);
    sfence_vma_all();
    expect_fault(s_load, TV + 0x3010, PRV_S, CAUSE_LOAD_PAGE);
    expect_fault(s_store, TV + 0x3010, PRV_S, CAUSE_STORE_PAGE);
    *pte = pte_make((u64)data[3], PTE_V | PTE_W | PTE_X | PTE_AD);
    sfence_vma_all();
    expect_fault(s_load, TV + 0x3010, PRV_S, CAUSE_LOAD_PAGE);
    /* Reserved high bits: PBMT, N, bits 60:54. */
    static const u64 bad[] = { 1UL << 61, 1UL << 62, 1UL << 63, 1UL << 54,
                               1UL << 60 };
    for (unsigned i = 0; i < ARRAY_SIZE(bad); i++) {
        *pte = pte_make((u64)data[3], PTE_V | PTE_R | PTE_AD) | bad[i];
        sfence_vma_all();
        expect_fault(s_load, TV + 0x3018, PRV_S, CAUSE_LOAD_PAGE);
    }

    /* U bit, both ways. */
    *pte = pte_make((u64)data[3], PTE_V | PTE_R | PTE_W | PTE_U | PTE_AD);
    sfence_vma_all();
    expect_ok(u_load, TV + 0x3020, PRV_U, 0x4004);
    expect_ok(u_store, TV + 0x3020, PRV_U, 0);
    CHECK_EQ(((u64 *)data[3])[4], 0x5a);
    expect_fault(s_load, TV + 0x3020, PRV_S, CAUSE_LOAD_PAGE);
    expect_fault(s_store, TV + 0x3020, PRV_S, CAUSE_STORE_PAGE);
    csr_set(mstatus, MSTATUS_SUM);
    expect_ok(s_load, TV + 0x3020, PRV_S, 0x5a);
    expect_ok(s_store, TV + 0x3020, PRV_S, 0);
    csr_clear(mstatus, MSTATUS_SUM);
    expect_fault(s_load, TV + 0x3020, PRV_S, CAUSE_LOAD_PAGE);
    *pte = pte_make((u64)data[3], PTE_V | PTE_R | PTE_W | PTE_AD);
    sfence_vma_all();
    expect_fault(u_load, TV + 0x3020, PRV_U, CAUSE_LOAD_PAGE);
    expect_fault(u_store, TV + 0x3020, PRV_U, CAUSE_STORE_PAGE);
    /* MXR for U: an X-only U page. */
    *pte = pte_make((u64)data[3], PTE_V | PTE_X | PTE_U | PTE_AD);
    sfence_vma_all();
    expect_fault(u_load, TV + 0x3028, PRV_U, CAUSE_LOAD_PAGE);
    csr_set(mstatus, MSTATUS_MXR);
    expect_ok(u_load, TV + 0x3028, PRV_U, 0x4005);
    csr_clear(mstatus, MSTATUS_MXR);
}

static void test_fetch(void)
{
    /* li a0, 42; ret */
    static const u32 insns[] = { 0x02a00513, 0x00008067 };
    volatile u64 *pte;

    memcpy(code, insns, sizeof(insns));
    __asm__ __volatile__("fence.i" ::: "memory");
    pte = map4k(TV + 0x4000, (u64)code, PTE_R | PTE_X | PTE_AD);
    sfence_vma_all();
    expect_ok(s_call, TV + 0x4000, PRV_S, 42);
    *pte = pte_make((u64)code, PTE_V | PTE_R | PTE_AD);         /* no X */
    sfence_vma_all();
    expect_fault(s_call, TV + 0x4000, PRV_S, CAUSE_FETCH_PAGE);
    *pte = pte_make((u64)code, PTE_V | PTE_R | PTE_X | PTE_U | PTE_AD);
    sfence_vma_all();
    csr_set(mstatus, MSTATUS_SUM);              /* S never runs U pages */
    expect_fault(s_call, TV + 0x4000, PRV_S, CAUSE_FETCH_PAGE);
    csr_clear(mstatus, MSTATUS_SUM);
    /* U jumps to it: allowed (the code's ret goes back to the U page). */
    expect_ok(u_jump, TV + 0x4000, PRV_U, 42);
    /* U may not run S code. */
    expect_fault(u_jump, (u64)s_load, PRV_U, CAUSE_FETCH_PAGE);
}

static void test_superpages(void)
{
    u64 base = 0x80000000UL;
    u64 off = (u64)data[1] - base;

    /* 2 MiB at TV + 2 MiB -> RAM base. */
    pt_map(root, SATP_MODE, TV + 0x200000, base, PTE_V | PTE_R | PTE_AD, 1);
    sfence_vma_all();
    expect_ok(s_load, TV + 0x200000 + off + 16, PRV_S,
              ((u64 *)data[1])[2]);
    /* Misaligned: PPN not a multiple of 512 pages. */
    pt_map(root, SATP_MODE, TV + 0x400000, base + 0x1000,
           PTE_V | PTE_R | PTE_AD, 1);
    sfence_vma_all();
    expect_fault(s_load, TV + 0x400000 + 8, PRV_S, CAUSE_LOAD_PAGE);
    /* 1 GiB at 0xc0000000 -> RAM base, and a misaligned one. */
    pt_map(root, SATP_MODE, 0xc0000000UL, base, PTE_V | PTE_R | PTE_AD, 2);
    pt_map(root, SATP_MODE, 0x100000000UL, base + 0x200000,
           PTE_V | PTE_R | PTE_AD, 2);
    sfence_vma_all();
    expect_ok(s_load, 0xc0000000UL + off + 24, PRV_S, ((u64 *)data[1])[3]);
    expect_fault(s_load, 0x100000000UL + 8, PRV_S, CAUSE_LOAD_PAGE);
}

static void test_canonical(void)
{
    u64 va_bits = 12 + 9 * (u64)LEVELS;
    u64 bad = 1UL << (va_bits - 1);             /* top bit set, rest 0 */

    expect_fault(s_load, bad, PRV_S, CAUSE_LOAD_PAGE);
    expect_fault(s_load, bad | 0x8000000000000000UL, PRV_S,
                 CAUSE_LOAD_PAGE);
    /* The top half of the address space sign-extends: TV aliased there. */
    pt_map(root, SATP_MODE, -(1UL << (va_bits - 1)), (u64)data[0],
           PTE_V | PTE_R | PTE_AD, 0);
    fill(0, 0x1000);
    sfence_vma_all();
    expect_ok(s_load, -(1UL << (va_bits - 1)) + 8, PRV_S, 0x1001);
}

/* Remapping: the old translation must not survive sfence.vma. */
static void test_sfence(void)
{
    volatile u64 *pte = map4k(TV + 0x6000, (u64)data[0],
                              PTE_R | PTE_W | PTE_AD);

    fill(0, 0x1000);
    fill(1, 0x2000);
    sfence_vma_all();
    for (int round = 0; round < 8; round++) {
        int page = round & 1;

        for (int i = 0; i < 4; i++)
            expect_ok(s_load, TV + 0x6000 + 8 * (u64)i, PRV_S,
                      (page ? 0x2000 : 0x1000) + (u64)i);
        *pte = pte_make((u64)data[page ^ 1], PTE_V | PTE_R | PTE_W | PTE_AD);
        if (round & 2)
            sfence_vma_addr(TV + 0x6000);
        else
            sfence_vma_all();
    }
    /* Unmapped then fenced: faults. */
    *pte = 0;
    sfence_vma_addr(TV + 0x6000);
    expect_fault(s_load, TV + 0x6000, PRV_S, CAUSE_LOAD_PAGE);
}

/* MPRV: M-mode loads and stores translated as MPP; fetches are not. */
static u64 mprv_load(u64 va, u64 mpp)
{
    u64 v, ms = MSTATUS_MPRV | (mpp << 11);

    __asm__ __volatile__(NORVC("csrc mstatus, %3\n\tcsrs mstatus, %2\n\t"
                               "ld %0, 0(%1)\n\tcsrc mstatus, %2\n\t"
                               "csrs mstatus, %3")
                         : "=&r"(v) : "r"(va), "r"(ms), "r"(MSTATUS_MPP)
                         : "memory");
    return v;
}

static void mprv_store(u64 va, u64 val, u64 mpp)
{
    u64 ms = MSTATUS_MPRV | (mpp << 11);

    __asm__ __volatile__(NORVC("csrc mstatus, %3\n\tcsrs mstatus, %2\n\t"
                               "sd %1, 0(%0)\n\tcsrc mstatus, %2\n\t"
                               "csrs mstatus, %3")
                         :: "r"(va), "r"(val), "r"(ms), "r"(MSTATUS_MPP)
                         : "memory");
}

static void test_mprv(void)
{
    volatile u64 *pte = map4k(TV + 0x7000, (u64)data[2],
                              PTE_R | PTE_W | PTE_AD);

    fill(2, 0x3000);
    sfence_vma_all();
    csr_set(mstatus, MSTATUS_MPP);
    CHECK_EQ(mprv_load(TV + 0x7008, PRV_S), 0x3001);
    mprv_store(TV + 0x7010, 0x99, PRV_S);
    CHECK_EQ(((u64 *)data[2])[2], 0x99);
    /* MPP = U: the S page faults; MPP = M: no translation at all. */
    trap_expect(TRAP_SKIP);
    mprv_load(TV + 0x7008, PRV_U);
    CHECK_TRAP_TVAL(CAUSE_LOAD_PAGE, TV + 0x7008);
    csr_set(mstatus, MSTATUS_MPP);
    CHECK_EQ(mprv_load((u64)&data[2][8], PRV_M), 0x3001);
    /* SUM and MXR apply under MPRV. */
    *pte = pte_make((u64)data[2], PTE_V | PTE_R | PTE_U | PTE_AD);
    sfence_vma_all();
    trap_expect(TRAP_SKIP);
    mprv_load(TV + 0x7008, PRV_S);
    CHECK_TRAP_TVAL(CAUSE_LOAD_PAGE, TV + 0x7008);
    csr_set(mstatus, MSTATUS_MPP | MSTATUS_SUM);
    CHECK_EQ(mprv_load(TV + 0x7008, PRV_S), 0x3001);
    CHECK_EQ(mprv_load(TV + 0x7008, PRV_U), 0x3001);
    csr_clear(mstatus, MSTATUS_SUM);
    *pte = pte_make((u64)data[2], PTE_V | PTE_X | PTE_AD);
    sfence_vma_all();
    trap_expect(TRAP_SKIP);
    mprv_load(TV + 0x7008, PRV_S);
    CHECK_TRAP_TVAL(CAUSE_LOAD_PAGE, TV + 0x7008);
    csr_set(mstatus, MSTATUS_MPP | MSTATUS_MXR);
    CHECK_EQ(mprv_load(TV + 0x7008, PRV_S), 0x3001);
    csr_clear(mstatus, MSTATUS_MXR);
    csr_set(mstatus, MSTATUS_MPP);
}

/* PMP also checks the walk's PTE reads (as S-mode accesses). */
static void test_pmp_walk(void)
{
    u64 leaf_table;
    u64 *t = root;

    map4k(TV, (u64)data[0], PTE_R | PTE_AD);
    for (int l = LEVELS - 1; l > 0; l--)
        t = (u64 *)((t[(TV >> (12 + 9 * l)) & 511] >> 10) << 12);
    leaf_table = (u64)t;
    sfence_vma_all();
    expect_ok(s_load, TV + 8, PRV_S, ((u64 *)data[0])[1]);
    /* Entry 0: the leaf table's page, no access; entry 1: everything. */
    csr_write(pmpaddr0, (leaf_table >> 2) | 0x1ff);      /* NAPOT 4 KiB */
    csr_write(pmpaddr1, -1UL);
    csr_write(pmpcfg0, (0x1fUL << 8) | 0x18);
    sfence_vma_all();
    expect_fault(s_load, TV + 8, PRV_S, CAUSE_LOAD_ACCESS);
    expect_fault(s_store, TV + 8, PRV_S, CAUSE_STORE_ACCESS);
    pmp_allow_all();
    csr_write(pmpcfg0, 0x1f);
    sfence_vma_all();
    expect_ok(s_load, TV + 8, PRV_S, ((u64 *)data[0])[1]);
}

int main(void)
{
    u64 satp;

    smode_init();
    pmp_allow_all();
    root = pt_new();
    satp = mmu_identity(root, SATP_MODE);
    csr_write(satp, satp);
    CHECK_EQ(csr_read(satp), satp);
    sfence_vma_all();
    test_basic();
    test_ad();
    test_permissions();
    test_fetch();
    test_superpages();
    test_canonical();
    test_sfence();
    test_mprv();
    test_pmp_walk();
    csr_write(satp, 0);
    return test_end();
}
