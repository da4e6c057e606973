/*
 * Trap-related machine CSRs: mepc (aligned values read back; the masking
 * of bit 0 is in csr_mepc.c), mtvec in direct mode (a handler of our own) and vectored mode (exceptions
 * still go to BASE), mstatus MIE / MPIE / MPP read-write where the spec
 * defines them (MPP holds M = 3 and U = 0), the mstatus changes of trap
 * entry (MPIE <- MIE, MIE <- 0, MPP <- previous mode) and of mret
 * (MIE <- MPIE, MPIE <- 1, MPP <- U, pc <- mepc), and mcause of exceptions
 * (interrupt bit clear).  mie is cleared first so that setting MIE cannot
 * let an interrupt in.
 */
#include "lib.h"

extern char trap_entry[];
extern char alt_handler[];
volatile u64 alt_count, alt_mcause, alt_mepc;

/* A minimal direct-mode handler: count, record, skip a 4-byte instruction. */
__asm__(".text\n"
        ".balign 4\n"
        "alt_handler:\n"
        "  csrw mscratch, t0\n"
        "  la t0, alt_count\n"
        "  ld t1, 0(t0)\n"             /* t1 is clobber-listed by callers */
        "  addi t1, t1, 1\n"
        "  sd t1, 0(t0)\n"
        "  csrr t1, mcause\n"
        "  la t0, alt_mcause\n"
        "  sd t1, 0(t0)\n"
        "  csrr t1, mepc\n"
        "  la t0, alt_mepc\n"
        "  sd t1, 0(t0)\n"
        "  addi t1, t1, 4\n"
        "  csrw mepc, t1\n"
        "  csrr t0, mscratch\n"
        "  mret\n");

static void test_mepc(void)
{
    csr_write(mepc, 0xfffffffffffffffeULL);
    CHECK_EQ(csr_read(mepc), 0xfffffffffffffffeULL);
    csr_write(mepc, 0x80000004ULL);
    CHECK_EQ(csr_read(mepc), 0x80000004ULL);
    csr_write(mepc, 0x2ULL);
    CHECK_EQ(csr_read(mepc), 0x2ULL);
}

static void test_mtvec(void)
{
    u64 saved = csr_read(mtvec);
    CHECK_EQ(saved, (u64)trap_entry);            /* set by crt.S, direct mode */

    /* direct mode, our own handler */
    alt_count = 0;
    csr_write(mtvec, (u64)alt_handler);
    CHECK_EQ(csr_read(mtvec), (u64)alt_handler);
    u64 pc;
    __asm__ __volatile__(".option push\n\t.option norvc\n\t"
                         "lla %0, 1f\n1:\tecall\n\t.option pop"
                         : "=&r"(pc) :: "t1", "memory");
    __asm__ __volatile__(".option push\n\t.option norvc\n\t"
                         "ebreak\n\t.option pop" ::: "t1", "memory");
    csr_write(mtvec, saved);
    CHECK_EQ(alt_count, 2);
    CHECK_EQ(alt_mcause, CAUSE_BREAKPOINT);

    /* vectored mode: synchronous exceptions go to BASE */
    csr_write(mtvec, (u64)trap_entry | 1);
    if (csr_read(mtvec) == ((u64)trap_entry | 1)) {
        trap_expect(TRAP_SKIP);
        __asm__ __volatile__("ecall" ::: "memory");
        CHECK_TRAP(CAUSE_ECALL_M);
        trap_expect(TRAP_SKIP);
        __asm__ __volatile__(".half 0" ::: "memory");
        CHECK_TRAP(CAUSE_ILLEGAL_INSN);
    } else {
        /* an implementation may support direct mode only */
        CHECK_EQ(csr_read(mtvec) & 3, 0);
    }
    csr_write(mtvec, saved);
    CHECK_EQ(csr_read(mtvec), saved);
}

static void test_mstatus_rw(void)
{
    csr_write(mie, 0);
    u64 s = csr_read(mstatus);
    csr_set(mstatus, MSTATUS_MIE);
    CHECK(csr_read(mstatus) & MSTATUS_MIE);
    csr_clear(mstatus, MSTATUS_MIE);
    CHECK(!(csr_read(mstatus) & MSTATUS_MIE));
    csr_set(mstatus, MSTATUS_MPIE);
    CHECK(csr_read(mstatus) & MSTATUS_MPIE);
    csr_clear(mstatus, MSTATUS_MPIE);
    CHECK(!(csr_read(mstatus) & MSTATUS_MPIE));
    csr_set(mstatus, MSTATUS_MPP);
    CHECK_EQ(csr_read(mstatus) & MSTATUS_MPP, MSTATUS_MPP);
    csr_clear(mstatus, MSTATUS_MPP);
    CHECK_EQ(csr_read(mstatus) & MSTATUS_MPP, 0);
    /* csrrw of the whole register keeps the other fields */
    csr_write(mstatus, s);
    CHECK_EQ(csr_read(mstatus), s);
}

/* mret to label 1 with the given MPIE / MPP; returns mstatus seen there. */
static u64 do_mret(u64 mpie, u64 mpp)
{
    u64 r;
    csr_clear(mstatus, MSTATUS_MIE | MSTATUS_MPIE | MSTATUS_MPP);
    csr_set(mstatus, (mpie ? MSTATUS_MPIE : 0) | (mpp << 11));
    __asm__ __volatile__("lla t0, 1f\n\t"
                         "csrw mepc, t0\n\t"
                         "mret\n"
                         "1:\tcsrr %0, mstatus"
                         : "=r"(r) :: "t0", "memory");
    csr_clear(mstatus, MSTATUS_MIE);
    return r;
}

static void test_mret(void)
{
    csr_write(mie, 0);
    u64 s = do_mret(1, 3);
    CHECK(s & MSTATUS_MIE);                      /* MIE <- MPIE (1) */
    CHECK(s & MSTATUS_MPIE);                     /* MPIE <- 1 */
    CHECK_EQ(s & MSTATUS_MPP, 0);                /* MPP <- U */
    s = do_mret(0, 3);
    CHECK(!(s & MSTATUS_MIE));                   /* MIE <- MPIE (0) */
    CHECK(s & MSTATUS_MPIE);
    CHECK_EQ(s & MSTATUS_MPP, 0);
    /* still in M-mode after mret with MPP = M: M CSRs are accessible */
    trap_expect(TRAP_SKIP);
    (void)csr_read(mscratch);
    CHECK_NO_TRAP();
}

static void test_trap_entry(void)
{
    csr_write(mie, 0);
    /* from M with MIE = 1: in the handler MIE = 0, MPIE = 1, MPP = M */
    csr_set(mstatus, MSTATUS_MIE);
    trap_expect(TRAP_SKIP);
    __asm__ __volatile__("ecall" ::: "memory");
    CHECK_TRAP(CAUSE_ECALL_M);
    CHECK(!(trap_last.mstatus & MSTATUS_MIE));
    CHECK(trap_last.mstatus & MSTATUS_MPIE);
    CHECK_EQ(trap_last.mstatus & MSTATUS_MPP, MSTATUS_MPP);
    /* mret restored MIE from MPIE */
    CHECK(csr_read(mstatus) & MSTATUS_MIE);
    csr_clear(mstatus, MSTATUS_MIE);
    /* from M with MIE = 0: MPIE = 0 in the handler, MIE stays 0 after */
    trap_expect(TRAP_SKIP);
    __asm__ __volatile__("ebreak" ::: "memory");
    CHECK_TRAP(CAUSE_BREAKPOINT);
    CHECK(!(trap_last.mstatus & MSTATUS_MPIE));
    CHECK(!(trap_last.mstatus & MSTATUS_MIE));
    CHECK(!(csr_read(mstatus) & MSTATUS_MIE));
    /* exception causes have the interrupt bit clear */
    CHECK_EQ(trap_last.mcause >> 63, 0);
    /* mcause / mepc are ordinary read-write registers as well */
    csr_write(mcause, 5);
    CHECK_EQ(csr_read(mcause), 5);
    csr_write(mtval, 0x1234);
    CHECK_EQ(csr_read(mtval), 0x1234);
}

int main(void)
{
    test_mepc();
    test_mtvec();
    test_mstatus_rw();
    test_mret();
    test_trap_entry();
    return test_end();
}
