/*
 * Writes to read-only CSRs by csrrs/csrrc with rs1 != x0 holding zero.
 * Zicsr: "if rs1=x0, then the instruction will not write to the CSR at all";
 * "if rs1 specifies a register holding a zero value other than x0, the
 * instruction will still attempt to write the unmodified value back to the
 * CSR and will cause any attendant side effects" -- and an attempt to write a
 * read-only CSR (csr[11:10] = 3) raises illegal instruction (privileged spec,
 * CSR address mapping conventions).  Likewise csrrwi always writes, even with
 * uimm = 0.  (csr_basic.c covers the x0 forms, which must not trap.)
 *
 * QEMU 7.2 decides from the register's value rather than its number, so it
 * lets these through (see qemu-deviations.txt).
 */
#include "lib.h"

#define RO_WRITE(text) do {                                                \
        u64 _r = 0x5555;                                                   \
        trap_expect(TRAP_SKIP);                                            \
        __asm__ __volatile__("li t0, 0\n\t" text : "+r"(_r) :: "t0", "memory"); \
        CHECK_TRAP(CAUSE_ILLEGAL_INSN);                                    \
        CHECK_EQ(_r, 0x5555);                                              \
    } while (0)

int main(void)
{
    RO_WRITE("csrrs %0, mhartid, t0");
    RO_WRITE("csrrc %0, mhartid, t0");
    RO_WRITE("csrrs %0, mvendorid, t0");
    RO_WRITE("csrrc %0, marchid, t0");
    RO_WRITE("csrrs %0, mimpid, t0");
    RO_WRITE("csrrs %0, cycle, t0");
    RO_WRITE("csrrc %0, time, t0");
    RO_WRITE("csrrs %0, instret, t0");
    /* rd = x0 makes no difference to the write */
    RO_WRITE("csrrs x0, mhartid, t0");
    RO_WRITE("csrrc x0, cycle, t0");
    return test_end();
}
