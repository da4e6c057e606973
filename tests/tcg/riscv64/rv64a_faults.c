/*
 * Exceptions of SC and AMOs.  The A chapter requires naturally aligned
 * addresses for LR/SC and AMOs: otherwise "an address-misaligned exception or
 * an access-fault exception will be generated" -- for SC as for LR, whether
 * or not a reservation is held.  The privileged spec (mcause) says that
 * store, store-conditional and AMO instructions generate store/AMO
 * exceptions: so a misaligned SC or AMO raises store/AMO address misaligned
 * (6) or store/AMO access fault (7), and an AMO to unmapped memory store/AMO
 * access fault (7); mtval holds the address.  Nothing is written.
 *
 * QEMU 7.2 departs from this (see qemu-deviations.txt): a misaligned SC
 * simply fails without a trap, and AMOs raise the load causes 4 and 5.
 */
#include "lib.h"

static volatile u64 mem[16] __attribute__((aligned(64)));

#define CHECK_STORE_FAULT(addr) do {                                       \
        CHECK_EQ(trap_count, 1);                                           \
        CHECK(trap_last.mcause == CAUSE_MISALIGNED_STORE ||                \
              trap_last.mcause == CAUSE_STORE_ACCESS);                     \
        CHECK_EQ(trap_last.mtval, (u64)(addr));                            \
    } while (0)

#define AMO_FAULT(insn, addr) do {                                         \
        u64 _r = 0x5555;                                                   \
        trap_expect(TRAP_SKIP);                                            \
        __asm__ __volatile__(#insn " %0, %2, (%1)"                         \
                             : "+r"(_r) : "r"(addr), "r"(0x77UL) : "memory"); \
        CHECK_STORE_FAULT(addr);                                           \
        CHECK_EQ(_r, 0x5555);                                              \
    } while (0)

int main(void)
{
    for (int i = 0; i < 16; i++)
        mem[i] = 0x1111111111111111ULL * (i & 15);

    for (int off = 1; off < 8; off++) {
        volatile u8 *p = (volatile u8 *)&mem[2] + off;
        u64 r = 0x5555;

        /* sc.d misaligned, without and with a reservation on the aligned word */
        trap_expect(TRAP_SKIP);
        __asm__ __volatile__("sc.d %0, %2, (%1)" : "+r"(r) : "r"(p), "r"(0UL) : "memory");
        CHECK_STORE_FAULT(p);
        CHECK_EQ(r, 0x5555);
        trap_expect(TRAP_SKIP);
        __asm__ __volatile__("lr.d x0, (%3)\n\tsc.d %0, %2, (%1)"
                             : "+r"(r) : "r"(p), "r"(0UL), "r"(&mem[2]) : "memory");
        CHECK_STORE_FAULT(p);
        CHECK_EQ(r, 0x5555);
        if (off & 3) {
            trap_expect(TRAP_SKIP);
            __asm__ __volatile__("sc.w %0, %2, (%1)" : "+r"(r) : "r"(p), "r"(0UL) : "memory");
            CHECK_STORE_FAULT(p);
            CHECK_EQ(r, 0x5555);
            AMO_FAULT(amoswap.w, p);
            AMO_FAULT(amoadd.w, p);
            AMO_FAULT(amomaxu.w, p);
        }
        AMO_FAULT(amoswap.d, p);
        AMO_FAULT(amoadd.d, p);
        AMO_FAULT(amoxor.d, p);
        AMO_FAULT(amoand.d, p);
        AMO_FAULT(amoor.d, p);
        AMO_FAULT(amomin.d, p);
        AMO_FAULT(amomax.d, p);
        AMO_FAULT(amominu.d, p);
        AMO_FAULT(amomaxu.d, p);
    }
    for (int i = 0; i < 16; i++)
        CHECK_EQ(mem[i], 0x1111111111111111ULL * (i & 15));

    /* AMOs to unmapped memory: store/AMO access fault */
    u64 r = 0x5555;
    trap_expect(TRAP_SKIP);
    __asm__ __volatile__("amoadd.w %0, %2, (%1)" : "+r"(r) : "r"(UNMAPPED_ADDR), "r"(1UL) : "memory");
    CHECK_TRAP_TVAL(CAUSE_STORE_ACCESS, UNMAPPED_ADDR);
    trap_expect(TRAP_SKIP);
    __asm__ __volatile__("amoswap.d %0, %2, (%1)" : "+r"(r) : "r"(UNMAPPED_ADDR + 8), "r"(1UL) : "memory");
    CHECK_TRAP_TVAL(CAUSE_STORE_ACCESS, UNMAPPED_ADDR + 8);
    trap_expect(TRAP_SKIP);
    __asm__ __volatile__("amomaxu.d %0, %2, (%1)" : "+r"(r) : "r"(UNMAPPED_ADDR), "r"(1UL) : "memory");
    CHECK_TRAP_TVAL(CAUSE_STORE_ACCESS, UNMAPPED_ADDR);
    CHECK_EQ(r, 0x5555);
    trap_mode = TRAP_NONE;
    return test_end();
}
