/*
 * Access faults: fetching from an address where nothing is mapped
 * (UNMAPPED_ADDR in a hole of the virt memory map, and address 0) raises
 * instruction access fault (1) with mepc = mtval = that address; loads of
 * every width from unmapped memory raise load access fault (5) and stores
 * store/AMO access fault (7), with mtval = the address and rd unchanged.
 * Misaligned plain loads and stores are not faults here (rv64i_mem.c).
 */
#include "lib.h"

#define LOAD_FAULT(insn, addr) do {                                        \
        u64 _r = 0x5555;                                                   \
        trap_expect(TRAP_SKIP);                                            \
        __asm__ __volatile__(#insn " %0, 0(%1)" : "+r"(_r) : "r"(addr) : "memory"); \
        CHECK_TRAP_TVAL(CAUSE_LOAD_ACCESS, (addr));                        \
        CHECK_EQ(_r, 0x5555);                                              \
    } while (0)

#define STORE_FAULT(insn, addr) do {                                       \
        trap_expect(TRAP_SKIP);                                            \
        __asm__ __volatile__(#insn " %0, 0(%1)" :: "r"(0x77UL), "r"(addr) : "memory"); \
        CHECK_TRAP_TVAL(CAUSE_STORE_ACCESS, (addr));                       \
    } while (0)

typedef long (*fn_t)(long);

static void fetch_fault(u64 addr)
{
    fn_t f = (fn_t)OPAQUE(addr);
    trap_expect(TRAP_RET);              /* resume at ra, i.e. "return" */
    long r = f(5);
    CHECK_TRAP_TVAL(CAUSE_FETCH_ACCESS, addr);
    CHECK_EQ(trap_last.mepc, addr);
    CHECK_EQ(r, 5);                     /* a0 untouched */
}

int main(void)
{
    fetch_fault(UNMAPPED_ADDR);
    fetch_fault(UNMAPPED_ADDR + 0x1002);
    fetch_fault(0);
    /* several times in a row: the fault is not cached as something else */
    for (int i = 0; i < 10; i++)
        fetch_fault(UNMAPPED_ADDR + 0x40);

    u64 a = UNMAPPED_ADDR + 0x100;
    LOAD_FAULT(lb, a);
    LOAD_FAULT(lbu, a + 1);
    LOAD_FAULT(lh, a + 2);
    LOAD_FAULT(lhu, a + 4);
    LOAD_FAULT(lw, a + 8);
    LOAD_FAULT(lwu, a + 12);
    LOAD_FAULT(ld, a + 16);
    LOAD_FAULT(ld, OPAQUE(0UL));
    STORE_FAULT(sb, a);
    STORE_FAULT(sh, a + 2);
    STORE_FAULT(sw, a + 4);
    STORE_FAULT(sd, a + 8);
    STORE_FAULT(sd, OPAQUE(0UL));
    /* a loop of faulting loads */
    unsigned n = 0;
    for (int i = 0; i < 100; i++) {
        u64 r = 0;
        trap_expect(TRAP_SKIP);
        __asm__ __volatile__("ld %0, 0(%1)" : "+r"(r) : "r"(a + 8 * i) : "memory");
        n += trap_count == 1 && trap_last.mtval == a + 8 * i &&
             trap_last.mcause == CAUSE_LOAD_ACCESS;
    }
    CHECK_EQ(n, 100);
    /* RAM right before and after still works */
    static volatile u64 ok = 0x1234;
    CHECK_EQ(ok, 0x1234);
    return test_end();
}
