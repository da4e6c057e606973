/*
 * Zicsr semantics and the basic machine CSRs: csrrw/csrrs/csrrc and their
 * immediate forms (old value in rd; write / set / clear; 5-bit zero-extended
 * uimm), the x0 rules (csrrs/csrrc with rs1 = x0 and csrrsi/csrrci with
 * uimm = 0 do not write, so they may read a read-only CSR; csrrw/csrrwi
 * always write, even with rd = x0), misa, mhartid and the ID CSRs,
 * illegal-instruction traps for writes to read-only CSRs, for CSR numbers
 * that do not exist (including the RV32-only *h counters and mstatush), and
 * for U-mode access to machine CSRs.  mtval of an illegal instruction is
 * either 0 or the instruction bits (QEMU 7.2 writes the bits).
 */
#include "lib.h"

static void test_mscratch(void)
{
    u64 old, r;
    csr_write(mscratch, 0x0123456789abcdefULL);
    CHECK_EQ(csr_read(mscratch), 0x0123456789abcdefULL);
    __asm__ __volatile__("csrrw %0, mscratch, %1" : "=r"(old) : "r"(~0ULL));
    CHECK_EQ(old, 0x0123456789abcdefULL);
    CHECK_EQ(csr_read(mscratch), ~0ULL);
    __asm__ __volatile__("csrrc %0, mscratch, %1" : "=r"(old) : "r"(0xff00ff00ff00ff00ULL));
    CHECK_EQ(old, ~0ULL);
    CHECK_EQ(csr_read(mscratch), 0x00ff00ff00ff00ffULL);
    __asm__ __volatile__("csrrs %0, mscratch, %1" : "=r"(old) : "r"(0x8000000000000100ULL));
    CHECK_EQ(old, 0x00ff00ff00ff00ffULL);
    CHECK_EQ(csr_read(mscratch), 0x80ff00ff00ff01ffULL);
    /* immediate forms: uimm is 5 bits, zero-extended */
    __asm__ __volatile__("csrrwi %0, mscratch, 31" : "=r"(old));
    CHECK_EQ(old, 0x80ff00ff00ff01ffULL);
    CHECK_EQ(csr_read(mscratch), 0x1f);
    __asm__ __volatile__("csrrci %0, mscratch, 0x15" : "=r"(old));
    CHECK_EQ(old, 0x1f);
    CHECK_EQ(csr_read(mscratch), 0x0a);
    __asm__ __volatile__("csrrsi %0, mscratch, 0x10" : "=r"(old));
    CHECK_EQ(old, 0x0a);
    CHECK_EQ(csr_read(mscratch), 0x1a);
    /* rd = x0 forms (csrw / csrs / csrc / csrwi ...) */
    __asm__ __volatile__("csrw mscratch, %0" :: "r"(0x5000ULL));
    __asm__ __volatile__("csrs mscratch, %0" :: "r"(0x0500ULL));
    __asm__ __volatile__("csrc mscratch, %0" :: "r"(0x1000ULL));
    CHECK_EQ(csr_read(mscratch), 0x4500);
    __asm__ __volatile__("csrsi mscratch, 3\n\tcsrci mscratch, 1");
    CHECK_EQ(csr_read(mscratch), 0x4502);
    __asm__ __volatile__("csrwi mscratch, 0");
    CHECK_EQ(csr_read(mscratch), 0);
    /* rs1 = x0 set/clear: read only, value unchanged */
    csr_write(mscratch, 0x77);
    __asm__ __volatile__("csrrs %0, mscratch, x0" : "=r"(r));
    CHECK_EQ(r, 0x77);
    __asm__ __volatile__("csrrc %0, mscratch, x0" : "=r"(r));
    CHECK_EQ(r, 0x77);
    __asm__ __volatile__("csrrsi %0, mscratch, 0\n\tcsrrci %0, mscratch, 0" : "=r"(r));
    CHECK_EQ(r, 0x77);
    CHECK_EQ(csr_read(mscratch), 0x77);
    /* rd == rs1: the old value goes to rd, the register's old value is written */
    r = 0x99;
    __asm__ __volatile__("csrrw %0, mscratch, %0" : "+r"(r));
    CHECK_EQ(r, 0x77);
    CHECK_EQ(csr_read(mscratch), 0x99);
    /* csrrw into x0 writes (and the next read sees it) */
    __asm__ __volatile__("li t0, 0x1234\n\tcsrrw x0, mscratch, t0" ::: "t0");
    CHECK_EQ(csr_read(mscratch), 0x1234);
    /* back-to-back CSR writes and reads in one block */
    __asm__ __volatile__("csrwi mscratch, 1\n\tcsrr %0, mscratch\n\tcsrwi mscratch, 2\n\t"
                         "csrr t0, mscratch\n\tslli %0, %0, 4\n\tor %0, %0, t0" : "=&r"(r) :: "t0");
    CHECK_EQ(r, 0x12);
}

static void test_id_csrs(void)
{
    u64 misa = csr_read(misa);
    CHECK_EQ(misa >> 62, 2);                         /* MXL = 64 */
    CHECK(misa & (1UL << ('I' - 'A')));
    CHECK(misa & (1UL << ('M' - 'A')));
    CHECK(misa & (1UL << ('A' - 'A')));
    CHECK(misa & (1UL << ('C' - 'A')));
    CHECK(misa & (1UL << ('U' - 'A')));
    CHECK(!(misa & (1UL << ('E' - 'A'))));
    CHECK_EQ(csr_read(mhartid), 0);
    /* readable, values implementation-defined */
    trap_expect(TRAP_SKIP);
    (void)csr_read(mvendorid);
    (void)csr_read(marchid);
    (void)csr_read(mimpid);
    CHECK_NO_TRAP();
}

#define ILLEGAL(text, ...) do {                                            \
        u64 _r = 0x5555, _pc;                                              \
        trap_expect(TRAP_SKIP);                                            \
        __asm__ __volatile__("lla %1, 1f\n1:\t" text                       \
                             : "+r"(_r), "=&r"(_pc) : __VA_ARGS__ : "memory"); \
        CHECK_TRAP(CAUSE_ILLEGAL_INSN);                                    \
        CHECK_EQ(trap_last.mepc, _pc);                                     \
        CHECK(trap_last.mtval == 0 || trap_last.mtval == *(volatile u32 *)_pc); \
        CHECK_EQ(_r, 0x5555);                                              \
    } while (0)

#define NO_TRAP(text) do {                                                 \
        u64 _r;                                                            \
        trap_expect(TRAP_SKIP);                                            \
        __asm__ __volatile__(text : "=r"(_r) :: "memory");                 \
        CHECK_NO_TRAP();                                                   \
        (void)_r;                                                          \
    } while (0)

static void test_read_only(void)
{
    u64 id = csr_read(mhartid);
    /* reads of read-only CSRs with the non-writing forms: no trap */
    NO_TRAP("csrrs %0, mhartid, x0");
    NO_TRAP("csrrc %0, mhartid, x0");
    NO_TRAP("csrrsi %0, mhartid, 0");
    NO_TRAP("csrrci %0, mhartid, 0");
    NO_TRAP("csrrs %0, mvendorid, x0");
    NO_TRAP("csrrs %0, cycle, x0");
    NO_TRAP("csrrci %0, time, 0");
    NO_TRAP("csrrsi %0, instret, 0");
    /* writes: illegal instruction, rd not written */
    ILLEGAL("csrrw %0, mhartid, %2", "r"(0UL));
    ILLEGAL("csrrw x0, mhartid, %2", "r"(1UL));
    ILLEGAL("csrrwi %0, mhartid, 0", "r"(0UL));
    ILLEGAL("csrrwi x0, mvendorid, 5", "r"(0UL));
    ILLEGAL("csrrs %0, marchid, %2", "r"(1UL));
    ILLEGAL("csrrc %0, mimpid, %2", "r"(~0UL));
    ILLEGAL("csrrsi %0, mhartid, 1", "r"(0UL));
    ILLEGAL("csrrci %0, mhartid, 31", "r"(0UL));
    ILLEGAL("csrrw %0, cycle, %2", "r"(0UL));
    ILLEGAL("csrrwi %0, time, 0", "r"(0UL));
    ILLEGAL("csrrs %0, instret, %2", "r"(1UL));
    CHECK_EQ(csr_read(mhartid), id);
}

static void test_nonexistent(void)
{
    /* RV32-only CSRs do not exist on RV64 */
    ILLEGAL("csrr %0, cycleh", "r"(0UL));
    ILLEGAL("csrr %0, timeh", "r"(0UL));
    ILLEGAL("csrr %0, instreth", "r"(0UL));
    ILLEGAL("csrr %0, mcycleh", "r"(0UL));
    ILLEGAL("csrr %0, minstreth", "r"(0UL));
    ILLEGAL("csrr %0, 0x310", "r"(0UL));            /* mstatush */
    ILLEGAL("csrw 0x310, %2", "r"(0UL));
    /* unallocated custom CSR numbers */
    ILLEGAL("csrr %0, 0x7ff", "r"(0UL));
    ILLEGAL("csrrw %0, 0x7ff, %2", "r"(0UL));
    ILLEGAL("csrr %0, 0xbff", "r"(0UL));
    ILLEGAL("csrr %0, 0xfff", "r"(0UL));
    ILLEGAL("csrrs %0, 0x8ff, x0", "r"(0UL));
}

/* U-mode: machine CSRs are not accessible (csr[9:8] = 3 > U) */
static long u_read(long which)
{
    u64 v = 0;
    switch (which) {
    case 0: __asm__ __volatile__("csrr %0, mscratch" : "=r"(v)); break;
    case 1: __asm__ __volatile__("csrr %0, mstatus" : "=r"(v)); break;
    case 2: __asm__ __volatile__("csrw mscratch, %0" :: "r"(v)); break;
    case 3: __asm__ __volatile__("csrr %0, mhartid" : "=r"(v)); break;
    case 4: __asm__ __volatile__("csrr %0, misa" : "=r"(v)); break;
    case 5: __asm__ __volatile__("csrrsi %0, mtvec, 0" : "=r"(v)); break;
    }
    return 7;
}

static void test_user_access(void)
{
    csr_write(mscratch, 0xabc);
    for (long i = 0; i < 6; i++) {
        trap_expect(TRAP_SKIP);
        CHECK_EQ(run_user(u_read, i), 7);
        CHECK_TRAP(CAUSE_ILLEGAL_INSN);
        CHECK_EQ(trap_last.mstatus & MSTATUS_MPP, 0);   /* came from U */
    }
    CHECK_EQ(csr_read(mscratch), 0xabc);
}

int main(void)
{
    test_mscratch();
    test_id_csrs();
    test_read_only();
    test_nonexistent();
    test_user_access();
    return test_end();
}
