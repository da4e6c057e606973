/*
 * What accel/tcg does in system mode only, beside the softmmu TLB
 * (cputlb.c): its hooks into the memory API (a write to RAM holding code,
 * a change of the memory map), marking RAM pages that hold translated
 * code, stopping the machine for the debugger, and debug access to guest
 * memory through the target's page tables.  User mode has its own file
 * with the same functions (accel/tcg/internal.h, "The mode").
 */
#include <string.h>

#include <glib.h>

#include "internal.h"
#include "mimic/debug.h"
#include "mimic/memory.h"
#include "mimic/runstate.h"

void accel_mode_init(void)
{
    tcg_runtime.ld_slow = helper_ld_slow;
    tcg_runtime.st_slow = helper_st_slow;
    memory_set_code_write_hook(tb_invalidate_phys_range);
    memory_set_map_change_hook(tlb_flush_all_cpus_map_changed);
}

void accel_tb_lock_outer(bool lock)
{
}

void page_code_mark(uint64_t page, void *mr, uint64_t mr_offset, bool on)
{
    (void)page;
    if (mr)
        memory_region_set_code_page(mr, mr_offset, on);
}

void accel_stop_for_debug(void)
{
    vm_stop_request(RUN_STATE_DEBUG);
}

/* ---- Debug access to guest memory ---- */

bool cpu_get_phys_addr_debug(CPUState *cpu, uint64_t vaddr, uint64_t *paddr)
{
    uint64_t page;

    if (!cpu->ops->get_phys_page_debug) {
        *paddr = vaddr;
        return true;
    }
    if (!cpu->ops->get_phys_page_debug(cpu, vaddr & TARGET_PAGE_MASK, &page))
        return false;
    *paddr = (page & TARGET_PAGE_MASK) | (vaddr & ~TARGET_PAGE_MASK);
    return true;
}

int phys_memory_rw_debug(CPUState *cpu, uint64_t addr, void *buf, size_t len,
                         bool is_write)
{
    AddressSpace *as = cpu ? cpu->as : &address_space_memory;
    MemTxResult r;

    if (len && addr + len - 1 < addr)
        return -1;
    if (is_write)
        r = address_space_write_rom(as, addr, buf, len);
    else
        r = address_space_read(as, addr, buf, len);
    return r == MEMTX_OK ? 0 : -1;
}

int cpu_memory_rw_debug(CPUState *cpu, uint64_t addr, void *buf, size_t len,
                        bool is_write)
{
    uint8_t *p = buf;

    if (len && addr + len - 1 < addr)
        return -1; /* past the top of the address space */
    while (len) {
        uint64_t paddr;
        size_t n = TARGET_PAGE_SIZE - (addr & ~TARGET_PAGE_MASK);

        if (n > len)
            n = len;
        if (!cpu_get_phys_addr_debug(cpu, addr, &paddr) ||
            phys_memory_rw_debug(cpu, paddr, p, n, is_write) < 0)
            return -1;
        addr += n;
        p += n;
        len -= n;
    }
    return 0;
}
