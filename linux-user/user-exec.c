/*
 * accel/tcg's mode interface for Linux user mode (accel/tcg/internal.h,
 * "The mode"; the system emulator's are accel/tcg/sysemu.c and cputlb.c).
 * Guest memory is host memory at guest_base + addr: generated code
 * accesses it directly (tcg_runtime.direct), helpers through g2h after a
 * check of the page flags.  There is no softmmu TLB, so its flushes do
 * nothing.  A guest access that faults (in generated code: the host's
 * SIGSEGV or SIGBUS, mapped back to the guest insn through the restore
 * data; in a helper: the page-flag check) leaves cpu_exec with
 * EXCP_USER_FAULT and the fault in cpu->user_fault, which the CPU loop
 * turns into the guest's signal.  Pages holding translated code are
 * write-protected on the host; a guest write to one drops its TBs and
 * goes on (self-modifying code, JITs inside the guest).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <glib.h>

#include "../accel/tcg/internal.h"
#include "mimic/debug.h"
#include "mimic/log.h"
#include "user-internal.h"

/* ---- Faults ---- */

_Noreturn static void user_fault(CPUState *cpu, uint64_t addr,
                                 MMUAccessType type, bool maperr,
                                 uintptr_t ra)
{
    cpu->user_fault.addr = addr;
    cpu->user_fault.type = type;
    cpu->user_fault.maperr = maperr;
    cpu->user_fault.bus = false;
    cpu->exception_index = EXCP_USER_FAULT;
    cpu_loop_exit_restore(cpu, ra);
}

static void check_access(CPUState *cpu, uint64_t addr, unsigned size,
                         MMUAccessType type, uintptr_t ra)
{
    int need = type == MMU_DATA_STORE ? PAGE_WRITE
             : type == MMU_INST_FETCH ? PAGE_EXEC : PAGE_READ;
    uint64_t last = addr + (size ? size : 1) - 1;

    if (last < addr)
        user_fault(cpu, addr, type, true, ra);
    /* SEGV_MAPERR where nothing is mapped, SEGV_ACCERR where the
       permission is missing, at the first byte that fails. */
    for (uint64_t p = addr & TARGET_PAGE_MASK; p <= last; p += TARGET_PAGE_SIZE) {
        int f = guest_range_valid(p, 1) ? page_get_flags(p) : 0;
        uint64_t at = p < addr ? addr : p;

        if (!(f & PAGE_VALID))
            user_fault(cpu, at, type, true, ra);
        if (!(f & need))
            user_fault(cpu, at, type, false, ra);
        if (p + TARGET_PAGE_SIZE < p)
            break;
    }
}

static void check_alignment(CPUState *cpu, uint64_t addr, MemOp mo,
                            MMUAccessType type, int mmu_idx, uintptr_t ra)
{
    unsigned a = memop_align_bytes(mo);

    if (a > 1 && (addr & (a - 1))) {
        cpu->ops->unaligned_access(cpu, addr, type, mmu_idx, ra);
        cpu_loop_exit_restore(cpu, ra);
    }
}

/* ---- Loads and stores from helpers and the slow path ---- */

uint64_t cpu_ld_mmu(CPUState *cpu, uint64_t addr, MemOpIdx oi, uintptr_t ra)
{
    MemOp mo = get_memop(oi);

    check_alignment(cpu, addr, mo, MMU_DATA_LOAD, (int)get_mmuidx(oi), ra);
    check_access(cpu, addr, memop_size(mo), MMU_DATA_LOAD, ra);
    return memop_host_load(g2h(addr), mo);
}

void cpu_st_mmu(CPUState *cpu, uint64_t addr, uint64_t val, MemOpIdx oi,
                uintptr_t ra)
{
    MemOp mo = get_memop(oi);

    check_alignment(cpu, addr, mo, MMU_DATA_STORE, (int)get_mmuidx(oi), ra);
    check_access(cpu, addr, memop_size(mo), MMU_DATA_STORE, ra);
    /* A store into a page holding code drops its TBs first (the host
       page is write-protected: the write itself would trap). */
    if (tb_page_has_code(addr))
        tb_invalidate_phys_range(addr, addr + memop_size(mo));
    memop_host_store(g2h(addr), val, mo);
}

/* The generated code's slow path: only a misaligned access whose MemOp
   wants alignment comes here. */
static uint64_t user_ld_slow(void *env, uint64_t addr, MemOpIdx oi,
                             uintptr_t ra)
{
    return cpu_ld_mmu(env, addr, oi, ra);
}

static void user_st_slow(void *env, uint64_t addr, uint64_t val, MemOpIdx oi,
                         uintptr_t ra)
{
    cpu_st_mmu(env, addr, val, oi, ra);
}

void *probe_access(CPUState *cpu, uint64_t addr, int size,
                   MMUAccessType access_type, int mmu_idx, uintptr_t ra)
{
    check_access(cpu, addr, size > 0 ? (unsigned)size : 1, access_type, ra);
    if (access_type == MMU_DATA_STORE && tb_page_has_code(addr))
        tb_invalidate_phys_range(addr, addr + (size > 0 ? size : 1));
    return g2h(addr);
}

/* ---- Code ---- */

/* The TB cache keys pages by "physical" address: in user mode, the guest
   address itself. */
void *tlb_get_code_ptr(CPUState *cpu, uint64_t vaddr, uint64_t *paddr,
                       MemoryRegion **mr, uint64_t *mr_offset, bool nofault)
{
    *paddr = vaddr;
    if (mr)
        *mr = NULL;
    if (mr_offset)
        *mr_offset = 0;
    if (!(page_get_flags(vaddr) & PAGE_EXEC)) {
        if (nofault)
            return NULL;
        user_fault(cpu, vaddr, MMU_INST_FETCH,
                   !(page_get_flags(vaddr) & PAGE_VALID), 0);
    }
    return g2h(vaddr);
}

bool tlb_code_is_global(CPUState *cpu, uint64_t vaddr)
{
    return false;
}

/*
 * A page now holding translated code loses its host write permission
 * (mmap.c: the whole host page's), so that a guest store to it traps
 * (user_handle_host_fault) and drops the TBs first; it gets it back when
 * its last TB goes.
 */
void page_code_mark(uint64_t page, void *mr, uint64_t mr_offset, bool on)
{
    page_set_code(page, on);
}

/* mmap.c: pages that were executable changed: drop their TBs. */
void user_pages_changed(uint64_t start, uint64_t end, int old_flags_union)
{
    if (old_flags_union & PAGE_EXEC)
        tb_invalidate_phys_range(start, end);
}

/*
 * A host SIGSEGV or SIGBUS at host address host_addr, taken at host pc
 * pc, while cpu ran guest code.  A write to a page that is only
 * write-protected because it holds code: the TBs go, the page becomes
 * writable again, and the store is redone (true).  A fault in generated
 * code on guest memory: the guest state is restored to the faulting
 * insn (pinned guest registers from host_regs, the host's registers at
 * the fault) and cpu_exec returns EXCP_USER_FAULT (does not return).  Anything
 * else is not the guest's (false: Mimic's own crash).
 */
bool user_handle_host_fault(CPUState *cpu, void *host_addr, uintptr_t pc,
                            const uint64_t *host_regs, bool is_write,
                            bool bus)
{
    uint64_t addr = h2g(host_addr);
    uint64_t reserve = 1ull << guest_reserve_bits();
    int flags;

    /* Inside the reservation (the guard above the user space too), or in
       a guard on either side of it, which an access at a base plus an
       offset reaches (its guest address: base + offset modulo 2^64). */
    if (addr >= reserve && addr + 2 * (uint64_t)guest_guard >=
                               2 * (uint64_t)guest_guard &&
        addr - reserve >= guest_guard)
        return false;
    flags = page_get_flags(addr);
    /* A write the guest may do: its host page was write-protected for
       code, on this page or another of the host page (or was, and
       another thread got there first).  A SIGBUS is the file's end. */
    if (is_write && !bus && (flags & PAGE_WRITE) && page_unprotect(addr))
        return true;
    /* The translator holds the TB lock and reads only pages it checked:
       a fault there is Mimic's. */
    if (!cpu || tb_lock_held() || !cpu_restore_state(cpu, pc + 1))
        return false;
    /* The guest registers pinned to host ones are in the host's. */
    tcg_pinned_from_host(cpu, host_regs);
    cpu->user_fault.addr = addr;
    cpu->user_fault.type = is_write ? MMU_DATA_STORE : MMU_DATA_LOAD;
    cpu->user_fault.maperr = !(flags & PAGE_VALID);
    cpu->user_fault.bus = bus;
    cpu->exception_index = EXCP_USER_FAULT;
    cpu_loop_exit(cpu);
}

/* mmap_lock comes before tb_lock: translation holds tb_lock while it reads
   the guest's mappings (page_get_flags), and target_mmap/munmap/mprotect
   hold mmap_lock while they drop TBs.  The other order deadlocked two
   threads, one translating and one mapping (thread-life under load). */
void accel_tb_lock_outer(bool lock)
{
    if (lock)
        mmap_lock();
    else
        mmap_unlock();
}

/* ---- What a softmmu TLB would do: nothing here ---- */

void tlb_init(CPUState *cpu) { }
void tlb_flush(CPUState *cpu) { tb_jmp_cache_clear(cpu); }
void tlb_flush_page(CPUState *cpu, uint64_t vaddr) { }
void tlb_flush_page_nonglobal(CPUState *cpu, uint64_t vaddr) { }
void tlb_flush_by_mmuidx(CPUState *cpu, uint16_t idxmap) { }
void tlb_flush_by_mmuidx_nonglobal(CPUState *cpu, uint16_t idxmap) { }
void tlb_set_notdirty_all(uint64_t paddr_page, bool on) { }

/* ---- The mode ---- */

void accel_mode_init(void)
{
    tcg_runtime.direct = true;
    tcg_runtime.guest_base = guest_base;
    tcg_runtime.guest_addr_bits = guest_reserve_bits();
    tcg_runtime.guest_guard = guest_guard;
    tcg_runtime.ld_slow = user_ld_slow;
    tcg_runtime.st_slow = user_st_slow;
}

/* A CPU that stopped for gdb reports it from its CPU loop (EXCP_DEBUG,
   gdbstub/user.c); there is no machine to stop here. */
void accel_stop_for_debug(void)
{
}

/* ---- Debug access to guest memory (include/mimic/debug.h) ---- */

/*
 * gdb's view of the guest's memory, as ptrace's: every mapped page can be
 * read if the guest can read it, and written even if the guest cannot
 * (gdb patches code and read-only data).  A write drops the translations
 * of the page first; a page the host keeps read-only (code, or a guest
 * read-only mapping) is made writable for the copy only.
 */
int cpu_memory_rw_debug(CPUState *cpu, uint64_t addr, void *buf, size_t len,
                        bool is_write)
{
    uint8_t *p = buf;
    int ret = 0;

    if (len && (addr + len - 1 < addr || !guest_range_valid(addr, len)))
        return -1;
    mmap_lock();
    while (len) {
        uint64_t page = addr & TARGET_PAGE_MASK;
        size_t n = MIN(len, TARGET_PAGE_SIZE - (addr - page));
        int flags = page_get_flags(addr);

        if (!(flags & PAGE_VALID) || !(flags & PAGE_READ)) {
            ret = -1;
            break;
        }
        if (!is_write)
            memcpy(p, g2h(addr), n);
        else
            page_write_force(addr, p, n);
        addr += n;
        p += n;
        len -= n;
    }
    mmap_unlock();
    return ret;
}
