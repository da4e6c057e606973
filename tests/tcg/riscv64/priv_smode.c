/*
 * S-mode without paging: entry through mret, the sstatus/sie/sip views of
 * mstatus/mie/mip, the privileged-instruction rules (sret, sfence.vma,
 * wfi, mret, satp with TSR/TVM/TW), delegation of exceptions (medeleg) and
 * of the S-level interrupts (mideleg) into S-mode, their enable rules and
 * priority, trap entry into S (scause, sepc, stval, SPP, SPIE), and sret
 * back to U or S.
 */
#include "smode.h"

/* ---- S-mode bodies ---- */

/* 100 + mcause if the last trap_expect(TRAP_SKIP) saw a trap, else 0. */
static long trapped(void)
{
    long r = trap_count ? 100 + (long)trap_last.mcause : 0;

    trap_mode = TRAP_NONE;
    return r;
}

static long s_ret_priv_probe(long x)
{
    return x + csr_read(sstatus) * 0;   /* S may read sstatus */
}

static long s_read_mstatus(long x)
{
    trap_expect(TRAP_SKIP);             /* illegal: M-level CSR */
    (void)R1("csrr %0, mstatus", 0);
    return (long)trap_last.mcause;
}

static long s_mret(long x)
{
    trap_expect(TRAP_SKIP);
    __asm__ __volatile__(NORVC("mret"));
    return (long)trap_last.mcause;
}

static long s_sret_trap(long x)
{
    trap_expect(TRAP_SKIP);
    __asm__ __volatile__(NORVC("sret"));
    return trapped();
}

static long s_satp_read(long x)
{
    trap_expect(TRAP_SKIP);
    (void)R1("csrr %0, satp", 0);
    return trapped();
}

static long s_sfence(long x)
{
    trap_expect(TRAP_SKIP);
    __asm__ __volatile__(NORVC("sfence.vma") ::: "memory");
    return trapped();
}

static long s_wfi(long x)
{
    trap_expect(TRAP_SKIP);
    __asm__ __volatile__(NORVC("wfi"));
    return trapped();
}

static long u_priv_insns(long x)
{
    long r = 0;

    trap_expect(TRAP_SKIP);
    __asm__ __volatile__(NORVC("wfi"));
    r += (long)trap_count * (long)trap_last.mcause;
    trap_expect(TRAP_SKIP);
    __asm__ __volatile__(NORVC("sret"));
    r += 10 * (long)trap_count * (long)trap_last.mcause;
    trap_expect(TRAP_SKIP);
    __asm__ __volatile__(NORVC("sfence.vma") ::: "memory");
    r += 100 * (long)trap_count * (long)trap_last.mcause;
    trap_expect(TRAP_SKIP);
    (void)R1("csrr %0, sstatus", 0);
    r += 1000 * (long)trap_count * (long)trap_last.mcause;
    return r;
}

/* Traps that medeleg sends to s_vec. */
static long s_illegal(long x)
{
    __asm__ __volatile__(NORVC(".word 0xc0001073"));
    return 7;
}

static long s_ebreak(long x)
{
    __asm__ __volatile__(NORVC("ebreak"));
    return 8;
}

static long u_ecall(long x)
{
    register long a7 __asm__("a7") = 93;
    __asm__ __volatile__(NORVC("ecall") : "+r"(a7) :: "memory");
    return x + 1;
}

static long s_spin(long n)
{
    for (volatile long i = 0; i < n; i++)
        ;
    return n;
}

static long s_enable_sie(long x)
{
    csr_set(sstatus, MSTATUS_SIE);
    for (volatile int i = 0; i < 100; i++)
        ;
    csr_clear(sstatus, MSTATUS_SIE);
    return x;
}

/* ---- Tests ---- */

static void test_views(void)
{
    u64 v = MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP | MSTATUS_SUM | MSTATUS_MXR;

    CHECK(csr_read(misa) & (1UL << ('S' - 'A')));
    CHECK_EQ((csr_read(mstatus) >> 34) & 3, 2);          /* SXL = 64 */
    csr_clear(mstatus, v | MSTATUS_TVM | MSTATUS_TSR | MSTATUS_TW);
    csr_set(mstatus, MSTATUS_MPP);
    csr_set(mstatus, v);
    CHECK_EQ(csr_read(sstatus) & v, v);
    CHECK_EQ(csr_read(sstatus) & (MSTATUS_MIE | MSTATUS_MPP | MSTATUS_TVM), 0);
    csr_write(sstatus, 0);
    CHECK_EQ(csr_read(mstatus) & v, 0);
    CHECK_EQ(csr_read(mstatus) & MSTATUS_MPP, MSTATUS_MPP);  /* untouched */
    csr_set(mstatus, MSTATUS_TVM);
    csr_write(sstatus, MSTATUS_SUM);
    CHECK(csr_read(mstatus) & MSTATUS_TVM);                   /* not in sstatus */
    csr_clear(mstatus, MSTATUS_TVM | MSTATUS_SUM);

    /* mideleg decides what sie/sip show. */
    csr_write(mideleg, 0);
    csr_write(mie, 0);
    csr_write(sie, MIP_SSIP | MIP_STIP | MIP_SEIP);
    CHECK_EQ(csr_read(mie) & (MIP_SSIP | MIP_STIP | MIP_SEIP), 0);
    csr_set(mip, MIP_SSIP);
    CHECK_EQ(csr_read(mip) & MIP_SSIP, MIP_SSIP);
    CHECK_EQ(csr_read(sip) & MIP_SSIP, 0);
    csr_write(mideleg, MIP_SSIP | MIP_STIP | MIP_SEIP);
    CHECK_EQ(csr_read(mideleg) & (MIP_SSIP | MIP_STIP | MIP_SEIP),
             MIP_SSIP | MIP_STIP | MIP_SEIP);
    CHECK_EQ(csr_read(sip) & MIP_SSIP, MIP_SSIP);
    csr_clear(sip, MIP_SSIP);                     /* SSIP writable via sip */
    CHECK_EQ(csr_read(mip) & MIP_SSIP, 0);
    csr_set(mip, MIP_STIP);                       /* STIP: M writes it */
    CHECK_EQ(csr_read(sip) & MIP_STIP, MIP_STIP);
    csr_clear(sip, MIP_STIP);                     /* read-only in sip */
    CHECK_EQ(csr_read(mip) & MIP_STIP, MIP_STIP);
    csr_clear(mip, MIP_STIP);
    csr_write(sie, MIP_SSIP | MIP_STIP);
    CHECK_EQ(csr_read(mie) & (MIP_SSIP | MIP_STIP | MIP_SEIP),
             MIP_SSIP | MIP_STIP);
    CHECK_EQ(csr_read(sie) & (MIP_SSIP | MIP_STIP | MIP_SEIP),
             MIP_SSIP | MIP_STIP);
    csr_write(sie, 0);
    csr_write(mideleg, 0);

    /* medeleg: the delegable causes stick. */
    csr_write(medeleg, (1UL << 2) | (1UL << 8) | (1UL << 13) | (1UL << 15));
    CHECK_EQ(csr_read(medeleg) & 0xffff,
             (1UL << 2) | (1UL << 8) | (1UL << 13) | (1UL << 15));
    csr_write(medeleg, 0);

    /* S CSRs hold values. */
    csr_write(sscratch, 0x1234);
    CHECK_EQ(csr_read(sscratch), 0x1234);
    csr_write(sepc, 0x80001002);
    CHECK_EQ(csr_read(sepc), 0x80001002);
    csr_write(stvec, 0x80000101);
    CHECK_EQ(csr_read(stvec), 0x80000101);
    csr_write(stvec, (u64)s_vec);
    csr_write(scause, 5);
    CHECK_EQ(csr_read(scause), 5);
    csr_write(stval, 0xabc);
    CHECK_EQ(csr_read(stval), 0xabc);
    /* satp: Bare; a reserved mode leaves satp unchanged. */
    csr_write(satp, 0);
    csr_write(satp, (1UL << 60) | 0x1234);
    CHECK_EQ(csr_read(satp), 0);
    csr_write(satp, (SATP_SV39 << 60) | 0x80123);
    CHECK_EQ(csr_read(satp), (SATP_SV39 << 60) | 0x80123);
    csr_write(satp, 0);
}

static void test_priv_rules(void)
{
    CHECK_EQ(run_mode(s_ret_priv_probe, 41, PRV_S), 41);
    CHECK_EQ(run_mode(s_read_mstatus, 0, PRV_S), CAUSE_ILLEGAL_INSN);
    CHECK_EQ(run_mode(s_mret, 0, PRV_S), CAUSE_ILLEGAL_INSN);
    /* sret with TSR, satp and sfence.vma with TVM, wfi with TW */
    csr_set(mstatus, MSTATUS_TSR);
    CHECK_EQ(run_mode(s_sret_trap, 0, PRV_S), 100 + CAUSE_ILLEGAL_INSN);
    csr_clear(mstatus, MSTATUS_TSR);
    CHECK_EQ(run_mode(s_satp_read, 0, PRV_S), 0);
    CHECK_EQ(run_mode(s_sfence, 0, PRV_S), 0);
    csr_set(mstatus, MSTATUS_TVM);
    CHECK_EQ(run_mode(s_satp_read, 0, PRV_S), 100 + CAUSE_ILLEGAL_INSN);
    CHECK_EQ(run_mode(s_sfence, 0, PRV_S), 100 + CAUSE_ILLEGAL_INSN);
    csr_clear(mstatus, MSTATUS_TVM);
    csr_set(mstatus, MSTATUS_TW);
    CHECK_EQ(run_mode(s_wfi, 0, PRV_S), 100 + CAUSE_ILLEGAL_INSN);
    csr_clear(mstatus, MSTATUS_TW);
    /* wfi in S, TW = 0: an interrupt enabled in mie but masked (SIE = 0,
       delegated) is pending, so it completes at once. */
    csr_write(mideleg, MIP_SSIP);
    csr_write(mie, MIP_SSIP);
    csr_set(mip, MIP_SSIP);
    CHECK_EQ(run_mode(s_wfi, 0, PRV_S), 0);
    csr_clear(mip, MIP_SSIP);
    csr_write(mie, 0);
    csr_write(mideleg, 0);
    /* U: wfi (S-mode exists), sret, sfence.vma, sstatus are illegal. */
    CHECK_EQ(run_mode(u_priv_insns, 0, PRV_U), 2222);
}

static void test_exception_delegation(void)
{
    s_expect();
    csr_write(medeleg, (1UL << CAUSE_ILLEGAL_INSN) | (1UL << CAUSE_BREAKPOINT) |
                       (1UL << CAUSE_ECALL_U));
    csr_clear(mstatus, MSTATUS_SIE | MSTATUS_SPIE);
    CHECK_EQ(run_mode(s_illegal, 0, PRV_S), 7);
    CHECK_S_TRAP(CAUSE_ILLEGAL_INSN);
    CHECK_EQ(s_rec.tval, 0xc0001073);             /* the insn bits */
    CHECK(s_rec.status & MSTATUS_SPP);            /* from S */
    CHECK_EQ(s_rec.status & (MSTATUS_SIE | MSTATUS_SPIE), 0);

    s_expect();
    csr_set(mstatus, MSTATUS_SIE);                /* SIE -> SPIE on entry */
    CHECK_EQ(run_mode(s_ebreak, 0, PRV_S), 8);
    CHECK_S_TRAP(CAUSE_BREAKPOINT);
    CHECK_EQ(s_rec.status & (MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP),
             MSTATUS_SPIE | MSTATUS_SPP);
    CHECK(s_rec.epc >= (u64)s_ebreak && s_rec.epc < (u64)s_ebreak + 16);
    CHECK(csr_read(mstatus) & MSTATUS_SIE);       /* sret: SIE = SPIE */
    csr_clear(mstatus, MSTATUS_SIE | MSTATUS_SPIE);

    s_expect();
    CHECK_EQ(run_mode(u_ecall, 5, PRV_U), 6);
    CHECK_S_TRAP(CAUSE_ECALL_U);
    CHECK_EQ(s_rec.tval, 0);
    CHECK_EQ(s_rec.status & MSTATUS_SPP, 0);      /* from U */
    CHECK(s_rec.epc >= (u64)u_ecall && s_rec.epc < (u64)u_ecall + 32);

    /* Traps taken in M-mode are never delegated. */
    s_expect();
    trap_expect(TRAP_SKIP);
    __asm__ __volatile__(NORVC(".word 0xc0001073"));
    CHECK_TRAP(CAUSE_ILLEGAL_INSN);
    CHECK_EQ(s_rec.count, 0);
    /* Not delegated: S-mode illegal goes to M. */
    csr_write(medeleg, 0);
    trap_expect(TRAP_SKIP);
    CHECK_EQ(run_mode(s_illegal, 0, PRV_S), 7);
    CHECK_TRAP(CAUSE_ILLEGAL_INSN);
    CHECK_EQ(trap_last.mstatus & MSTATUS_MPP, 1UL << 11);
}

static volatile u64 m_irq_cause;
static volatile unsigned m_irq_count;

/* An interrupt taken in M-mode: record it and silence its source. */
static int m_irq_hook(struct trap_frame *f, u64 mcause, u64 mtval)
{
    if (!(mcause & INTR))
        return 0;
    m_irq_cause = mcause;
    m_irq_count++;
    csr_clear(mie, 1UL << (mcause & 63));
    csr_clear(mip, MIP_SSIP);
    return 1;
}

static void test_interrupt_delegation(void)
{
    m_hook = m_irq_hook;
    csr_write(mideleg, MIP_SSIP | MIP_STIP);
    csr_clear(mstatus, MSTATUS_SIE | MSTATUS_MIE);

    /* Delegated SSI pending and enabled: never taken in M, even with MIE. */
    csr_write(mie, MIP_SSIP);
    csr_set(mip, MIP_SSIP);
    csr_set(mstatus, MSTATUS_MIE);
    for (volatile int i = 0; i < 100; i++)
        ;
    csr_clear(mstatus, MSTATUS_MIE);
    CHECK_EQ(m_irq_count, 0);

    /* In S with SIE = 0: not taken; with SIE = 1: taken in S. */
    s_expect();
    CHECK_EQ(run_mode(s_spin, 100, PRV_S), 100);
    CHECK_EQ(s_rec.count, 0);
    CHECK_EQ(run_mode(s_enable_sie, 3, PRV_S), 3);
    CHECK_S_TRAP(INTR | IRQ_SSI);
    CHECK_EQ(s_rec.tval, 0);
    CHECK(s_rec.status & MSTATUS_SPP);
    CHECK(s_rec.status & MSTATUS_SPIE);
    CHECK_EQ(csr_read(mip) & MIP_SSIP, 0);        /* the handler cleared it */

    /* In U: S-level interrupts are always enabled (SIE = 0). */
    s_expect();
    csr_write(mie, MIP_SSIP);
    csr_set(mip, MIP_SSIP);
    CHECK_EQ(run_mode(s_spin, 10, PRV_U), 10);
    CHECK_S_TRAP(INTR | IRQ_SSI);
    CHECK_EQ(s_rec.status & MSTATUS_SPP, 0);

    /* Priority: SSI before STI; the handler disables each in turn. */
    s_expect();
    csr_write(mie, MIP_SSIP | MIP_STIP);
    csr_set(mip, MIP_SSIP | MIP_STIP);
    CHECK_EQ(run_mode(s_enable_sie, 4, PRV_S), 4);
    CHECK_EQ(s_rec.count, 2);
    CHECK_EQ(s_rec.cause, INTR | IRQ_STI);        /* the last one */
    CHECK_EQ(csr_read(mie) & (MIP_SSIP | MIP_STIP), 0);
    csr_clear(mip, MIP_STIP);

    /* Not delegated: an S-level interrupt goes to M; below M it is
       enabled whatever MIE says. */
    csr_write(mideleg, 0);
    m_irq_count = 0;
    csr_write(mie, MIP_SSIP);
    csr_set(mip, MIP_SSIP);
    s_expect();
    CHECK_EQ(run_mode(s_spin, 10, PRV_S), 10);
    CHECK_EQ(m_irq_count, 1);
    CHECK_EQ(m_irq_cause, INTR | IRQ_SSI);
    CHECK_EQ(s_rec.count, 0);
    csr_write(mie, 0);
    m_hook = 0;
}

/* sret from M-mode: to S (SPP = 1) with SIE = SPIE, SPIE = 1, SPP = U.
   (That it also clears MPRV is checked in priv_sret_mprv.) */
static volatile long sret_seen;
static void s_after_sret(void)
{
    sret_seen = 1;
    __asm__ __volatile__("j rm_exit_s");
}

static long m_sret(long x)
{
    __asm__ __volatile__(NORVC("sret"));
    return x;
}

static void test_sret(void)
{
    csr_clear(mstatus, MSTATUS_SIE | MSTATUS_SPP);
    csr_set(mstatus, MSTATUS_SPIE | MSTATUS_SPP | MSTATUS_MPP);
    csr_write(sepc, (u64)s_after_sret);
    run_mode(m_sret, 0, PRV_M);
    CHECK_EQ(sret_seen, 1);
    CHECK_EQ(csr_read(mstatus) & (MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP),
             MSTATUS_SIE | MSTATUS_SPIE);
    csr_clear(mstatus, MSTATUS_SIE | MSTATUS_SPIE);
}

int main(void)
{
    smode_init();
    pmp_allow_all();
    test_views();
    test_priv_rules();
    test_exception_delegation();
    test_interrupt_delegation();
    test_sret();
    return test_end();
}
