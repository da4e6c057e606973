/*
 * mepc bit 0.  Privileged spec, "Machine Exception Program Counter": mepc[0]
 * is always zero (mepc[1:0] when only IALIGN = 32 is supported; with the C
 * extension IALIGN is 16, so exactly bit 0).  A write of an odd value must
 * therefore read back with bit 0 clear.
 *
 * QEMU 7.2 stores and returns the value unmasked (see qemu-deviations.txt).
 */
#include "lib.h"

int main(void)
{
    static const u64 vals[] = {
        0x80001003ULL, 0x1ULL, 0xffffffffffffffffULL, 0x8000000000000001ULL,
        0x80000007ULL,
    };
    u64 misa = csr_read(misa);
    u64 mask = (misa & (1UL << ('C' - 'A'))) ? ~1ULL : ~3ULL;
    for (unsigned i = 0; i < ARRAY_SIZE(vals); i++) {
        csr_write(mepc, vals[i]);
        CHECK_OP("mepc", vals[i], 0, csr_read(mepc), vals[i] & mask);
    }
    /* the set/clear forms produce the same masking */
    csr_write(mepc, 0x80000000ULL);
    csr_set(mepc, 1);
    CHECK_EQ(csr_read(mepc), 0x80000000ULL);
    return test_end();
}
