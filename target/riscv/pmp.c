/*
 * Physical memory protection (privileged spec 1.12, section 3.7): the 16
 * entries held in pmpcfg0/pmpcfg2 and pmpaddr0-15 (csr.c stores them),
 * checked here for every access after address translation, and for the
 * page-table walker's own PTE accesses (as S-mode accesses).
 *
 * Rules: entries are searched from the lowest index; the first one that
 * matches any byte of the access decides.  It must match every byte
 * (otherwise the access fails); then the access succeeds if the entry
 * grants it, or if the hart is in M-mode and the entry is not locked.
 * With no match, M-mode succeeds and S/U-mode fails (entries are
 * implemented).  Granularity is 4 bytes (G = 0), as in QEMU.
 *
 * The entries are decoded into byte ranges when they are written
 * (riscv_pmp_update), not on every check.
 *
 * The softmmu caches permissions per 4 KiB page, so riscv_pmp_check also
 * says whether its answer holds for the whole page of the address: it does
 * when the first entry that overlaps the page covers all of it (or none
 * does).  Otherwise the caller enters the page with a size below
 * TARGET_PAGE_SIZE, which makes cputlb re-check every access.
 */
#include "internals.h"

enum {
    PMP_R = 1,
    PMP_W = 2,
    PMP_X = 4,
    PMP_A_SHIFT = 3,
    PMP_L = 0x80,
};

enum { PMP_OFF = 0, PMP_TOR = 1, PMP_NA4 = 2, PMP_NAPOT = 3 };

uint8_t riscv_pmp_cfg(const CPURISCVState *env, int i)
{
    return (uint8_t)(env->pmpcfg[i / 8] >> (8 * (i % 8)));
}

/* The byte range [*lo, *hi) entry i matches; false if it matches nothing. */
static bool pmp_range(const CPURISCVState *env, int i, uint64_t *lo,
                      uint64_t *hi)
{
    uint64_t a = env->pmpaddr[i];

    switch ((riscv_pmp_cfg(env, i) >> PMP_A_SHIFT) & 3) {
    case PMP_TOR:
        *lo = i ? env->pmpaddr[i - 1] << 2 : 0;
        *hi = a << 2;
        return *lo < *hi;
    case PMP_NA4:
        *lo = a << 2;
        *hi = *lo + 4;
        return true;
    case PMP_NAPOT: {
        /* pmpaddr = base/4 with t trailing ones: 2^(t+3) bytes. */
        int t = __builtin_ctzll(~a);       /* a has at most 54 bits */

        *lo = (a & ~((1ull << t) - 1)) << 2;
        *hi = *lo + (1ull << (t + 3));
        return true;
    }
    }
    return false;
}

void riscv_pmp_update(CPURISCVState *env)
{
    env->pmp_n = 0;
    for (int i = 0; i < RV_PMP_ENTRIES; i++) {
        uint64_t lo = 0, hi = 0;

        if (!pmp_range(env, i, &lo, &hi))
            lo = hi = 0;
        env->pmp_lo[i] = lo;
        env->pmp_hi[i] = hi;
        if ((riscv_pmp_cfg(env, i) >> PMP_A_SHIFT) & 3)
            env->pmp_n = i + 1;
    }
}

/* PAGE_* bits entry i grants to an access at privilege priv. */
static int pmp_entry_prot(const CPURISCVState *env, int i, int priv)
{
    uint8_t cfg = riscv_pmp_cfg(env, i);
    int prot = 0;

    if (priv == PRV_M && !(cfg & PMP_L))
        return PAGE_READ | PAGE_WRITE | PAGE_EXEC;
    if (cfg & PMP_R)
        prot |= PAGE_READ;
    if (cfg & PMP_W)
        prot |= PAGE_WRITE;
    if (cfg & PMP_X)
        prot |= PAGE_EXEC;
    return prot;
}

/* Does the answer for any address of the 4K page at page equal entry
   first's (or the default's, first = -1)? */
static bool pmp_page_uniform(const CPURISCVState *env, uint64_t page)
{
    uint64_t end = page + TARGET_PAGE_SIZE;

    for (int i = 0; i < env->pmp_n; i++) {
        uint64_t lo = env->pmp_lo[i], hi = env->pmp_hi[i];

        if (hi <= page || lo >= end)
            continue;
        return lo <= page && hi >= end;
    }
    return true;
}

int riscv_pmp_check(const CPURISCVState *env, uint64_t addr, unsigned size,
                    int priv, bool *page_uniform)
{
    uint64_t last = addr + (size ? size : 1) - 1;
    int prot = -1;

    if (env->no_pmp) {      /* -cpu ...,pmp=off: nothing to check */
        if (page_uniform)
            *page_uniform = ((addr ^ last) & TARGET_PAGE_MASK) == 0;
        return PAGE_READ | PAGE_WRITE | PAGE_EXEC;
    }
    for (int i = 0; i < env->pmp_n && prot < 0; i++) {
        uint64_t lo = env->pmp_lo[i], hi = env->pmp_hi[i];

        if (last < lo || addr >= hi)
            continue;
        /* A partial match fails whatever the entry grants. */
        prot = (addr >= lo && last < hi) ? pmp_entry_prot(env, i, priv) : 0;
    }
    if (prot < 0)
        prot = priv == PRV_M ? PAGE_READ | PAGE_WRITE | PAGE_EXEC : 0;
    if (page_uniform) {
        *page_uniform = ((addr ^ last) & TARGET_PAGE_MASK) == 0 &&
                        pmp_page_uniform(env, addr & TARGET_PAGE_MASK);
    }
    return prot;
}
