/*
 * Physical memory protection (no paging): TOR, NA4 and NAPOT regions that
 * deny S- and U-mode accesses (load, store and fetch access faults with
 * mtval = the address), priority of the lowest-numbered entry, S/U accesses
 * that match no entry, M-mode's default access, a region covering half a
 * page (the allowed half keeps working and the other keeps faulting, in
 * alternation, so the page is never cached whole), an access straddling a
 * region's end, and locked entries, which bind M-mode and ignore writes.
 * The S-mode bodies are leaf functions (no stack): the stack lies above
 * the buffers and is not always accessible to S.
 */
#include "smode.h"

#define CFG_R 0x01UL
#define CFG_W 0x02UL
#define CFG_X 0x04UL
#define CFG_TOR 0x08UL
#define CFG_NA4 0x10UL
#define CFG_NAPOT 0x18UL
#define CFG_L 0x80UL
#define CFG_RWX (CFG_R | CFG_W | CFG_X)

static u8 pbuf[4][4096] __attribute__((aligned(4096)));

static long s_load(long a)
{
    return (long)*(volatile u64 *)a;
}

static long s_load4(long a)
{
    return (long)*(volatile u32 *)a;
}

static long s_store(long a)
{
    *(volatile u64 *)a = 0x66;
    return 0;
}

static long s_call(long a)
{
    return ((long (*)(long))a)(0);
}

static u64 napot(u64 base, u64 size)
{
    return (base >> 2) | ((size >> 3) - 1);
}

/* Entries 0..n-1 get addrs/cfgs; the rest are off. */
static void pmp_set(int n, const u64 *addr, const u64 *cfg)
{
    u64 c0 = 0, c2 = 0;

    csr_write(pmpcfg0, 0);
    csr_write(pmpcfg2, 0);
    for (int i = 0; i < n; i++) {
        switch (i) {
        case 0: csr_write(pmpaddr0, addr[i]); break;
        case 1: csr_write(pmpaddr1, addr[i]); break;
        case 2: csr_write(pmpaddr2, addr[i]); break;
        case 3: csr_write(pmpaddr3, addr[i]); break;
        }
        if (i < 8)
            c0 |= cfg[i] << (8 * i);
        else
            c2 |= cfg[i] << (8 * (i - 8));
    }
    csr_write(pmpcfg2, c2);
    csr_write(pmpcfg0, c0);
}

static void expect_fault(long (*fn)(long), u64 a, int mode, u64 cause)
{
    trap_expect(fn == s_call ? TRAP_RET : TRAP_SKIP);
    run_mode(fn, (long)a, mode);
    CHECK_TRAP_TVAL(cause, a);
    trap_mode = TRAP_NONE;
}

static void expect_ok(long (*fn)(long), u64 a, int mode, u64 want)
{
    trap_expect(TRAP_SKIP);
    CHECK_EQ(run_mode(fn, (long)a, mode), want);
    CHECK_NO_TRAP();
}

static void fill(void)
{
    for (int p = 0; p < 4; p++)
        for (int i = 0; i < 512; i++)
            ((u64 *)pbuf[p])[i] = (u64)p * 0x1000 + (u64)i;
}

static void test_tor(void)
{
    u64 b1 = (u64)pbuf[1], b2 = (u64)pbuf[2];
    const u64 addr[] = { b1 >> 2, b2 >> 2, -1UL };
    const u64 cfg[] = { CFG_TOR | CFG_RWX, CFG_TOR, CFG_NAPOT | CFG_RWX };

    pmp_set(3, addr, cfg);
    expect_ok(s_load, (u64)pbuf[0] + 8, PRV_S, 1);
    expect_fault(s_load, b1 + 16, PRV_S, CAUSE_LOAD_ACCESS);
    expect_fault(s_store, b1 + 16, PRV_S, CAUSE_STORE_ACCESS);
    expect_fault(u_load, b1 + 24, PRV_U, CAUSE_LOAD_ACCESS);
    expect_fault(u_store, b1 + 24, PRV_U, CAUSE_STORE_ACCESS);
    expect_ok(s_load, b2 + 8, PRV_S, 0x2001);
    expect_ok(u_load, b2 + 16, PRV_U, 0x2002);
    /* M-mode: unlocked entries do not apply. */
    CHECK_EQ(*(volatile u64 *)(b1 + 16), 0x1002);
    /* An empty TOR range (top <= bottom) matches nothing. */
    const u64 addr2[] = { b2 >> 2, b1 >> 2, -1UL };
    pmp_set(3, addr2, cfg);
    expect_ok(s_load, b1 + 16, PRV_S, 0x1002);
}

static void test_napot_na4_priority(void)
{
    u64 b3 = (u64)pbuf[3];
    const u64 addr[] = { napot(b3, 4096), -1UL };
    const u64 cfg[] = { CFG_NAPOT | CFG_R, CFG_NAPOT | CFG_RWX };

    pmp_set(2, addr, cfg);
    expect_ok(s_load, b3 + 8, PRV_S, 0x3001);
    expect_fault(s_store, b3 + 8, PRV_S, CAUSE_STORE_ACCESS);
    /* The lower index wins over a more permissive later entry, and over
       a less permissive one. */
    const u64 addr2[] = { -1UL, napot(b3, 4096) };
    const u64 cfg2[] = { CFG_NAPOT | CFG_RWX, CFG_NAPOT };
    pmp_set(2, addr2, cfg2);
    expect_ok(s_store, b3 + 8, PRV_S, 0);
    CHECK_EQ(((u64 *)pbuf[3])[1], 0x66);
    /* NA4: one word. */
    const u64 addr3[] = { (b3 + 0x40) >> 2, -1UL };
    const u64 cfg3[] = { CFG_NA4, CFG_NAPOT | CFG_RWX };
    pmp_set(2, addr3, cfg3);
    expect_fault(s_load4, b3 + 0x40, PRV_S, CAUSE_LOAD_ACCESS);
    expect_ok(s_load4, b3 + 0x48, PRV_S, 0x3009);
    expect_ok(s_load4, b3 + 0x3c, PRV_S, 0);
    /* No entry matches: S and U fail, M succeeds.  Entry 0 opens only
       what lies below pbuf[0] (the code; these bodies use no stack). */
    const u64 addr4[] = { (u64)pbuf[0] >> 2 };
    const u64 cfg4[] = { CFG_TOR | CFG_RWX };
    pmp_set(1, addr4, cfg4);
    expect_fault(s_load, b3 + 8, PRV_S, CAUSE_LOAD_ACCESS);
    expect_fault(u_load, b3 + 8, PRV_U, CAUSE_LOAD_ACCESS);
    CHECK_EQ(*(volatile u64 *)(b3 + 16), 0x3002);
}

/* A region over half a page: the answer must stay per access. */
static void test_half_page(void)
{
    u64 b1 = (u64)pbuf[1], b2 = (u64)pbuf[2];
    const u64 addr[] = { b1 >> 2, (b1 + 0x800) >> 2,
                         napot(b2 + 0x800, 0x800), -1UL };
    const u64 cfg[] = { CFG_TOR | CFG_RWX, CFG_TOR, CFG_NAPOT | CFG_R,
                        CFG_NAPOT | CFG_RWX };

    pmp_set(4, addr, cfg);
    for (int i = 0; i < 6; i++) {
        expect_ok(s_load, b1 + 0x900, PRV_S, 0x1000 + 0x900 / 8);
        expect_fault(s_load, b1 + 0x100, PRV_S, CAUSE_LOAD_ACCESS);
        expect_ok(s_store, b1 + 0x808, PRV_S, 0);
        expect_fault(s_store, b1 + 0x7f8, PRV_S, CAUSE_STORE_ACCESS);
        expect_ok(s_store, b2 + 0x10, PRV_S, 0);
        expect_fault(s_store, b2 + 0x810, PRV_S, CAUSE_STORE_ACCESS);
        expect_ok(s_load, b2 + 0x810, PRV_S, 0x2000 + 0x810 / 8);
    }
    /* Straddling the region's end: a partial match fails. */
    expect_fault(s_load, b1 + 0x7fc, PRV_S, CAUSE_LOAD_ACCESS);
    CHECK_EQ(((u64 *)pbuf[1])[0x808 / 8], 0x66);
    CHECK_EQ(((u64 *)pbuf[1])[0x7f8 / 8], 0x1000 + 0x7f8 / 8);
}

static void test_fetch(void)
{
    /* li a0, 42; ret */
    static const u32 insns[] = { 0x02a00513, 0x00008067 };
    u64 b0 = (u64)pbuf[0];
    const u64 addr[] = { napot(b0, 4096), -1UL };
    const u64 cfg[] = { CFG_NAPOT | CFG_R | CFG_W, CFG_NAPOT | CFG_RWX };
    const u64 cfg2[] = { CFG_NAPOT | CFG_R | CFG_X, CFG_NAPOT | CFG_RWX };

    memcpy(pbuf[0], insns, sizeof(insns));
    __asm__ __volatile__("fence.i" ::: "memory");
    pmp_set(2, addr, cfg);
    expect_fault(s_call, b0, PRV_S, CAUSE_FETCH_ACCESS);
    pmp_set(2, addr, cfg2);
    expect_ok(s_call, b0, PRV_S, 42);
}

/* Locked entries bind M-mode and cannot be changed until reset. */
static void test_locked(void)
{
    u64 b3 = (u64)pbuf[3];
    const u64 addr[] = { napot(b3, 4096), -1UL };
    const u64 cfg[] = { CFG_NAPOT | CFG_R | CFG_L, CFG_NAPOT | CFG_RWX };

    fill();
    pmp_set(2, addr, cfg);
    CHECK_EQ(*(volatile u64 *)(b3 + 8), 0x3001);
    trap_expect(TRAP_SKIP);
    *(volatile u64 *)(b3 + 8) = 1;
    CHECK_TRAP_TVAL(CAUSE_STORE_ACCESS, b3 + 8);
    CHECK_EQ(((u64 *)pbuf[3])[1], 0x3001);
    expect_fault(s_store, b3 + 8, PRV_S, CAUSE_STORE_ACCESS);
    /* Writes to the locked entry are ignored. */
    csr_write(pmpcfg0, (CFG_NAPOT | CFG_RWX) << 8 | CFG_NAPOT | CFG_RWX);
    CHECK_EQ(csr_read(pmpcfg0) & 0xff, CFG_NAPOT | CFG_R | CFG_L);
    csr_write(pmpaddr0, -1UL);
    CHECK_EQ(csr_read(pmpaddr0), napot(b3, 4096));
    trap_expect(TRAP_SKIP);
    *(volatile u64 *)(b3 + 16) = 1;
    CHECK_TRAP_TVAL(CAUSE_STORE_ACCESS, b3 + 16);
    /* The rest of memory is unaffected in M. */
    *(volatile u64 *)((u64)pbuf[2] + 8) = 5;
    CHECK_EQ(((u64 *)pbuf[2])[1], 5);
}

int main(void)
{
    smode_init();
    fill();
    test_tor();
    fill();
    test_napot_na4_priority();
    fill();
    test_half_page();
    test_fetch();
    test_locked();
    return test_end();
}
