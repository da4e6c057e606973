/*
 * Priv spec 1.12, mstatus MPRV: "An MRET or SRET instruction that changes
 * the privilege mode to a mode less privileged than M also sets MPRV=0."
 * QEMU 7.2 clears it on mret but not on sret (see qemu-deviations.txt).
 */
#include "smode.h"

static volatile long seen;

static void s_after_sret(void)
{
    seen = 1;
    __asm__ __volatile__("j rm_exit_s");
}

static long s_noop(long x)
{
    return x;
}

static long m_sret(long x)
{
    __asm__ __volatile__(NORVC("sret"));
    return x;
}

int main(void)
{
    smode_init();
    pmp_allow_all();
    /* sret executed in M-mode (MPP = M keeps M's own accesses physical). */
    csr_set(mstatus, MSTATUS_SPP | MSTATUS_MPP | MSTATUS_MPRV);
    csr_write(sepc, (u64)s_after_sret);
    run_mode(m_sret, 0, PRV_M);
    CHECK_EQ(seen, 1);
    CHECK_EQ(csr_read(mstatus) & MSTATUS_MPRV, 0);
    /* mret to S clears it too. */
    csr_set(mstatus, MSTATUS_MPRV);
    CHECK_EQ(run_mode(s_noop, 5, PRV_S), 5);
    CHECK_EQ(csr_read(mstatus) & MSTATUS_MPRV, 0);
    return test_end();
}
