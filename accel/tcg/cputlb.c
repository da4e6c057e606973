/*
 * The softmmu: each CPU's software TLB and the slow paths that generated
 * code calls when its inline TLB probe misses.  An entry maps one guest
 * virtual page in one MMU mode; its three tags (read, write, fetch) hold
 * the page address, or the page address plus flag bits that force the
 * slow path: TLB_MMIO (device memory, ROM writes, holes), TLB_NOTDIRTY
 * (RAM holding translated code: the write must invalidate TBs first),
 * TLB_RECHECK (the target's permissions are finer than a page: refill on
 * every access) and TLB_INVALID.  Each mode's table is sized by use (see
 * "Table size" below); generated code finds it through env->tlb_fast.  The slow path refills through the target's tlb_fill,
 * checks alignment, splits accesses that cross a page, dispatches I/O to
 * hw/ through the memory API under the BQL, and reports accesses to
 * nothing to the target (transaction_failed).  Helpers reach guest memory
 * with cpu_ld_mmu / cpu_st_mmu / probe_access, with the same rules.
 */
#include <inttypes.h>
#include <string.h>

#include <glib.h>

#include "internal.h"
#include "mimic/debug.h"
#include "mimic/host-fp.h"
#include "mimic/log.h"


static const char *const access_names[] = { "load", "store", "fetch" };

/*
 * A guest access reached no device, or a device refused it: the guest's
 * mistake, so log it under -d guest_errors and let the target raise its
 * bus-error fault.
 */
static void bus_error(CPUState *cpu, uint64_t vaddr, uint64_t paddr,
                      unsigned size, MMUAccessType type, int mmu_idx,
                      uintptr_t ra)
{
    log_mask(LOG_GUEST_ERROR,
             "invalid %s of %u bytes at 0x%" PRIx64 " (physical 0x%" PRIx64
             "): no device or RAM accepts it\n",
             access_names[type], size, vaddr, paddr);
    cpu->ops->transaction_failed(cpu, vaddr, paddr, size, type, mmu_idx, ra);
}

static inline unsigned tlb_index(CPUState *cpu, int mmu_idx, uint64_t addr)
{
    return (unsigned)(addr >> TARGET_PAGE_BITS) &
           ((1u << cpu->tlb_desc[mmu_idx].bits) - 1);
}

static inline CPUTLBEntry *tlb_entry(CPUState *cpu, int mmu_idx, uint64_t addr)
{
    return &cpu->tlb_fast[mmu_idx].table[tlb_index(cpu, mmu_idx, addr)];
}

static inline CPUTLBEntryFull *tlb_entry_full(CPUState *cpu, int mmu_idx,
                                              uint64_t addr)
{
    return &cpu->tlb_desc[mmu_idx].full[tlb_index(cpu, mmu_idx, addr)];
}

static inline uint64_t tlb_tag(const CPUTLBEntry *e, MMUAccessType type)
{
    switch (type) {
    case MMU_DATA_STORE:
        return __atomic_load_n(&e->addr_write, __ATOMIC_RELAXED);
    case MMU_INST_FETCH:
        return e->addr_code;
    default:
        return e->addr_read;
    }
}

/* Does the tag map addr's page (flag bits other than INVALID allowed)? */
static inline bool tlb_hit(uint64_t tag, uint64_t addr)
{
    return (tag & (TARGET_PAGE_MASK | TLB_INVALID)) ==
           (addr & TARGET_PAGE_MASK);
}

static inline bool tlb_entry_is_empty(const CPUTLBEntry *e)
{
    return (e->addr_read & e->addr_write & e->addr_code) == (uint64_t)-1;
}

/*
 * An entry's CPUTLBEntryFull is read only after its tag hit, so flushes
 * and invalidations clear the tags alone.
 */
static void tlb_entry_invalidate(CPUState *cpu, int mmu_idx, unsigned i)
{
    memset(&cpu->tlb_fast[mmu_idx].table[i], 0xff, sizeof(CPUTLBEntry));
}

static GMutex *tlb_lock_of(CPUState *cpu)
{
    return (GMutex *)cpu->tlb_lock;
}

/* ---- Victim entries ----
 *
 * The table is direct-mapped, so two pages a process uses all the time
 * can share an index (a stack that ASLR put at its code's index) and
 * evict each other on every access.  tlb_set_page moves the entry it
 * replaces to a small fully associative set, and a miss looks there
 * before the target walks its page tables.  A victim entry is as valid
 * as a table entry: every flush that empties an entry of the table
 * empties the victims that could hold the same page.  Under tlb_lock.
 */

static bool tlb_entry_maps(const CPUTLBEntry *e, uint64_t page)
{
    return tlb_hit(e->addr_read, page) || tlb_hit(e->addr_write, page) ||
           tlb_hit(e->addr_code, page);
}

static void vtlb_drop_page(CPUTLBDesc *d, uint64_t page)
{
    for (unsigned i = 0; i < CPU_VTLB_SIZE; i++) {
        if (tlb_entry_maps(&d->vtable[i], page))
            memset(&d->vtable[i], 0xff, sizeof(CPUTLBEntry));
    }
}

/* Entry i of the table is about to map another page: keep it. */
static void vtlb_evict(CPUState *cpu, int mmu_idx, unsigned i)
{
    CPUTLBDesc *d = &cpu->tlb_desc[mmu_idx];
    unsigned v = d->vnext;

    d->vtable[v] = cpu->tlb_fast[mmu_idx].table[i];
    d->vfull[v] = d->full[i];
    d->vnext = (v + 1) % CPU_VTLB_SIZE;
}

/* A miss of addr for an access of type: if a victim maps it, swap that
   victim with the table's entry at addr's index; true when it did. */
static bool vtlb_swap_in(CPUState *cpu, int mmu_idx, uint64_t addr,
                         MMUAccessType type)
{
    CPUTLBDesc *d = &cpu->tlb_desc[mmu_idx];
    unsigned i = tlb_index(cpu, mmu_idx, addr);
    CPUTLBEntry *e = &cpu->tlb_fast[mmu_idx].table[i];

    for (unsigned v = 0; v < CPU_VTLB_SIZE; v++) {
        CPUTLBEntry tmp;
        CPUTLBEntryFull tmpf;

        if (!tlb_hit(tlb_tag(&d->vtable[v], type), addr))
            continue;
        g_mutex_lock(tlb_lock_of(cpu));
        if (tlb_entry_is_empty(e))
            d->used++;
        tmp = *e;
        tmpf = d->full[i];
        *e = d->vtable[v];
        d->full[i] = d->vfull[v];
        d->vtable[v] = tmp;
        d->vfull[v] = tmpf;
        g_mutex_unlock(tlb_lock_of(cpu));
        cpu->stat_tlb_victim++;
        STAT_ADD(tlb_victim, 1);
        return true;
    }
    return false;
}

/* ---- Table size: grows with the working set, shrinks with disuse ----
 *
 * A flush costs a clear of the whole table, and a miss a page-table
 * walk; the size trades one against the other.  A mode's table doubles
 * when most of it was filled and the fills keep evicting other pages
 * (checked on misses, so a long-running process with a big working set
 * gets a big table without waiting for a flush), and at a flush when
 * most of it was used since the last one.  It shrinks at a flush when no
 * flush in the last TLB_WINDOW_US found more than 3/10 of it in use.
 */
#define TLB_WINDOW_US 100000

/* Replaces mode mmu_idx's table by an empty one of 2^bits entries. */
static void tlb_mmu_realloc(CPUState *cpu, int mmu_idx, unsigned bits)
{
    CPUTLBDesc *d = &cpu->tlb_desc[mmu_idx];
    CPUTLBDescFast *f = &cpu->tlb_fast[mmu_idx];
    size_t n = (size_t)1 << bits;
    CPUTLBEntry *table = g_new(CPUTLBEntry, n);
    CPUTLBEntryFull *full = g_new(CPUTLBEntryFull, n), *old_full;
    CPUTLBEntry *old_table;

    memset(table, 0xff, n * sizeof(*table));
    g_mutex_lock(tlb_lock_of(cpu));
    old_table = f->table;
    old_full = d->full;
    f->table = table;
    f->mask = (uintptr_t)(n - 1) << CPU_TLB_ENTRY_BITS;
    d->full = full;
    d->bits = bits;
    memset(d->vtable, 0xff, sizeof(d->vtable));
    g_mutex_unlock(tlb_lock_of(cpu));
    g_free(old_table);
    g_free(old_full);
    if (old_table) {
        cpu->stat_tlb_resize++;
        STAT_ADD(tlb_resizes, 1);
    }
}

static unsigned ceil_log2(uint64_t n)
{
    return n <= 1 ? 0 : 64 - (unsigned)__builtin_clzll(n - 1);
}

/* The size a full flush of mode mmu_idx should leave (may be the same). */
static unsigned tlb_mmu_new_bits(CPUTLBDesc *d, int64_t now)
{
    uint64_t size = 1ull << d->bits;
    unsigned bits = d->bits;

    if (d->used > d->window_max_used)
        d->window_max_used = d->used;
    if (d->used * 10 > size * 7 && bits < CPU_TLB_DYN_MAX_BITS) {
        bits++;
    } else if (now - d->window_start > TLB_WINDOW_US) {
        if (d->window_max_used * 10 < size * 3 && bits > CPU_TLB_DYN_MIN_BITS) {
            /* Room for twice what was used at most. */
            bits = ceil_log2(2ull * d->window_max_used);
            if (bits < CPU_TLB_DYN_MIN_BITS)
                bits = CPU_TLB_DYN_MIN_BITS;
        }
    } else {
        return bits;
    }
    d->window_start = now;
    d->window_max_used = d->used;
    return bits;
}

/*
 * Empties mode mmu_idx's table (resizing it first when resize is set),
 * but for the entries of global mappings when keep_global is set and the
 * size stays.
 */
static void tlb_flush_mmu(CPUState *cpu, int mmu_idx, bool resize,
                          bool keep_global)
{
    CPUTLBDesc *d = &cpu->tlb_desc[mmu_idx];
    CPUTLBDescFast *f = &cpu->tlb_fast[mmu_idx];
    unsigned bits = d->bits, kept = 0;

    if (resize)
        bits = tlb_mmu_new_bits(d, g_get_monotonic_time());
    if (bits != d->bits) {
        tlb_mmu_realloc(cpu, mmu_idx, bits);
        goto done;
    }
    g_mutex_lock(tlb_lock_of(cpu));
    if (d->used && keep_global && d->globals) {
        for (unsigned i = 0; i < 1u << bits; i++) {
            if (tlb_entry_is_empty(&f->table[i]))
                continue;
            if (d->full[i].prot & PAGE_GLOBAL)
                kept++;
            else
                tlb_entry_invalidate(cpu, mmu_idx, i);
        }
    } else if (d->used) {
        memset(f->table, 0xff, sizeof(CPUTLBEntry) << bits);
    }
    /* The victims whatever used says: a global one kept by a flush of
       the non-global mappings is not counted in it. */
    for (unsigned i = 0; i < CPU_VTLB_SIZE; i++) {
        if (!keep_global || !(d->vfull[i].prot & PAGE_GLOBAL))
            memset(&d->vtable[i], 0xff, sizeof(CPUTLBEntry));
    }
    g_mutex_unlock(tlb_lock_of(cpu));
done:
    d->used = kept;
    d->globals = kept;
    d->evictions = 0;
    if (!kept) {
        d->large_page_addr = 0;
        d->large_page_mask = 0;
    }
}

/*
 * A miss in a mode whose table is mostly full and keeps evicting: the
 * working set does not fit, so double the table now rather than at the
 * next flush (which a process that never sleeps may not see for long).
 */
static void tlb_grow_on_miss(CPUState *cpu, int mmu_idx)
{
    CPUTLBDesc *d = &cpu->tlb_desc[mmu_idx];
    uint64_t size = 1ull << d->bits;

    if (d->bits >= CPU_TLB_DYN_MAX_BITS || d->evictions < size ||
        (uint64_t)d->used * 10 < size * 7)
        return;
    tlb_mmu_realloc(cpu, mmu_idx, d->bits + 1);
    d->used = 0;
    d->globals = 0;
    d->evictions = 0;
    d->large_page_addr = 0;
    d->large_page_mask = 0;
    d->window_start = g_get_monotonic_time();
    d->window_max_used = 0;
}

void tlb_init(CPUState *cpu)
{
    GMutex *lock = g_new0(GMutex, 1);

    g_mutex_init(lock);
    cpu->tlb_lock = lock;
    for (int m = 0; m < NB_MMU_MODES; m++) {
        tlb_mmu_realloc(cpu, m, CPU_TLB_DYN_DEFAULT_BITS);
        cpu->tlb_desc[m].window_start = g_get_monotonic_time();
    }
}

void tlb_flush(CPUState *cpu)
{
    for (int m = 0; m < NB_MMU_MODES; m++)
        tlb_flush_mmu(cpu, m, true, false);
    /* The jump cache is keyed by virtual pc: mappings changed. */
    tb_jmp_cache_clear(cpu);
    cpu->stat_tlb_flush++;
    STAT_ADD(tlb_flush, 1);
    STAT_ADD(tlb_flush_all, 1);
}

/*
 * The memory map changed where RAM or ROM is (memory_set_map_change_hook):
 * a TLB entry's host addend may point at RAM that is no longer there.
 * Every vCPU flushes before it runs translated code again: the calling
 * one (which made the change, e.g. by moving a PCI BAR from an MMIO
 * store) and any vCPU its thread runs, at once; the others as work
 * queued to them, which kicks them out of generated code.
 */
static void tlb_flush_work(CPUState *cpu, void *data)
{
    tlb_flush(cpu);
}

void tlb_flush_all_cpus_map_changed(void)
{
    for (int i = 0; i < cpu_count; i++)
        async_run_on_cpu(cpu_list[i], tlb_flush_work, NULL);
}

void tlb_flush_by_mmuidx(CPUState *cpu, uint16_t idxmap)
{
    for (int m = 0; m < NB_MMU_MODES; m++) {
        if (idxmap & (1u << m))
            tlb_flush_mmu(cpu, m, true, false);
    }
    tb_jmp_cache_clear(cpu);
    cpu->stat_tlb_flush++;
    STAT_ADD(tlb_flush, 1);
    STAT_ADD(tlb_flush_all, 1);
}

void tlb_flush_by_mmuidx_nonglobal(CPUState *cpu, uint16_t idxmap)
{
    for (int m = 0; m < NB_MMU_MODES; m++) {
        if (idxmap & (1u << m))
            tlb_flush_mmu(cpu, m, true, true);
    }
    tb_jmp_cache_clear_nonglobal(cpu);
    cpu->stat_tlb_flush++;
    STAT_ADD(tlb_flush, 1);
    STAT_ADD(tlb_flush_all, 1);
}

static void tlb_flush_page_kind(CPUState *cpu, uint64_t vaddr, bool global)
{
    uint64_t page = vaddr & TARGET_PAGE_MASK;

    for (int m = 0; m < NB_MMU_MODES; m++) {
        CPUTLBDesc *d = &cpu->tlb_desc[m];
        unsigned i = tlb_index(cpu, m, page);

        if (d->large_page_mask &&
            (page & ~d->large_page_mask) == d->large_page_addr) {
            /* Part of a large page: its 4K entries are anywhere. */
            tlb_flush_mmu(cpu, m, false, false);
            continue;
        }
        g_mutex_lock(tlb_lock_of(cpu));
        if (tlb_entry_maps(&cpu->tlb_fast[m].table[i], page))
            tlb_entry_invalidate(cpu, m, i);
        vtlb_drop_page(d, page);
        g_mutex_unlock(tlb_lock_of(cpu));
    }
    /* A TB starting on the page before may run into this one. */
    tb_jmp_cache_clear_range(cpu, page - TARGET_PAGE_SIZE,
                             page + TARGET_PAGE_SIZE, global);
    cpu->stat_tlb_flush++;
    STAT_ADD(tlb_flush, 1);
}

void tlb_flush_page(CPUState *cpu, uint64_t vaddr)
{
    tlb_flush_page_kind(cpu, vaddr, true);
}

/* The TLB entries of the page go whatever their kind (more than needed is
   allowed); the jump cache keeps TBs on global pages, which a flush of
   one address space leaves valid.  A user page flushed next to kernel
   code cost a scan of the jump cache at every fork and exec. */
void tlb_flush_page_nonglobal(CPUState *cpu, uint64_t vaddr)
{
    tlb_flush_page_kind(cpu, vaddr, false);
}

/* Remembers a large page so tlb_flush_page of any part of it works. */
static void tlb_add_large_page(CPUState *cpu, int mmu_idx, uint64_t vaddr,
                               uint64_t size)
{
    CPUTLBDesc *d = &cpu->tlb_desc[mmu_idx];
    uint64_t mask = size - 1;
    uint64_t lp_addr = d->large_page_addr;
    uint64_t lp_mask = d->large_page_mask;

    if (lp_mask) {
        /* Grow the remembered range to cover both. */
        mask |= lp_mask;
        while (((lp_addr ^ vaddr) & ~mask) != 0)
            mask = (mask << 1) | 1;
    }
    d->large_page_addr = vaddr & ~mask;
    d->large_page_mask = mask;
}

/* Is the whole page [ppage, ppage + 4K) inside one RAM (or ROM) range? */
static bool section_is_ram_page(const MemoryRegionSection *sec, uint64_t ppage)
{
    return sec->mr && sec->mr->ram &&
           ppage - sec->offset_within_as <= sec->size - TARGET_PAGE_SIZE &&
           sec->size >= TARGET_PAGE_SIZE;
}

void tlb_set_page(CPUState *cpu, uint64_t vaddr, uint64_t paddr, int prot,
                  int mmu_idx, uint64_t size)
{
    uint64_t vpage = vaddr & TARGET_PAGE_MASK, ppage;
    CPUTLBEntry *e = tlb_entry(cpu, mmu_idx, vpage);
    CPUTLBEntryFull *full = tlb_entry_full(cpu, mmu_idx, vpage);
    MemoryRegionSection sec;
    uint64_t wflags = 0, rflags = 0, dflags = 0;

    if (size > TARGET_PAGE_SIZE) {
        ppage = (paddr & ~(size - 1)) | (vaddr & (size - 1) & TARGET_PAGE_MASK);
        tlb_add_large_page(cpu, mmu_idx, vaddr, size);
    } else {
        /* Smaller than a page: the permissions hold for part of it only,
           so every access comes back to tlb_fill (TLB_RECHECK). */
        if (size < TARGET_PAGE_SIZE)
            rflags = wflags = TLB_RECHECK;
        ppage = paddr & TARGET_PAGE_MASK;
        size = TARGET_PAGE_SIZE;
    }
    if (tlb_entry_is_empty(e))
        cpu->tlb_desc[mmu_idx].used++;
    else if (!tlb_entry_maps(e, vpage))
        cpu->tlb_desc[mmu_idx].evictions++;
    if (prot & PAGE_GLOBAL)
        cpu->tlb_desc[mmu_idx].globals++;
    sec = address_space_lookup(cpu->as, ppage);
    /* The code bit is read and the entry written under this CPU's lock,
       which tlb_set_notdirty_all takes to scan the entries after setting
       the bit: either it sees this entry or this fill sees the bit. */
    g_mutex_lock(tlb_lock_of(cpu));
    if (!tlb_entry_is_empty(e) && !tlb_entry_maps(e, vpage))
        vtlb_evict(cpu, mmu_idx, tlb_index(cpu, mmu_idx, vpage));
    vtlb_drop_page(&cpu->tlb_desc[mmu_idx], vpage);
    memset(full, 0, sizeof(*full));
    full->paddr = ppage;
    full->page_size = size;
    full->prot = prot;
    if (section_is_ram_page(&sec, ppage)) {
        MemoryRegion *mr = sec.mr;

        full->mr = mr;
        full->mr_offset = sec.offset_within_region;
        e->addend = (uintptr_t)(mr->ram_ptr + sec.offset_within_region) -
                    (uintptr_t)vpage;
        if (mr->readonly)
            wflags |= TLB_MMIO;   /* ROM: writes go to the memory API */
        else if (memory_region_is_code_page(mr, sec.offset_within_region))
            wflags |= TLB_NOTDIRTY;
        /* A ROM device (flash) answers data reads itself: it may be in a
           command mode; code is fetched from its memory. */
        if (mr->ops)
            dflags |= TLB_MMIO;
    } else {
        /* Device, hole, or a page shared by several regions: every
           access looks the address up again in the slow path. */
        e->addend = 0;
        rflags |= TLB_MMIO;
        wflags |= TLB_MMIO;
    }
    e->addr_code = (prot & PAGE_EXEC) ? vpage | rflags : (uint64_t)-1;
    if (cpu->nb_watchpoints) {
        int kinds = cpu_watchpoint_page_flags(cpu, vpage);

        if (kinds & BP_MEM_READ)
            rflags |= TLB_WATCHPOINT;
        if (kinds & BP_MEM_WRITE)
            wflags |= TLB_WATCHPOINT;
    }
    e->addr_read = (prot & PAGE_READ) ? vpage | rflags | dflags : (uint64_t)-1;
    __atomic_store_n(&e->addr_write,
                     (prot & PAGE_WRITE) ? vpage | wflags : (uint64_t)-1,
                     __ATOMIC_RELAXED);
    g_mutex_unlock(tlb_lock_of(cpu));
}

/*
 * Other vCPUs fill and flush their TLBs while this runs.  Every write of
 * an entry's tags (tlb_set_page, the flushes) happens under the owner's
 * tlb_lock, and so does this scan, so it never resurrects an entry the
 * owner just emptied, and a fill racing with a new code mark either
 * comes before the scan (which then sets the bit in it) or after it (and
 * then sees the region's code bit, set before the scan started).
 */
void tlb_set_notdirty_all(uint64_t paddr_page, bool on)
{
    for (int c = 0; c < cpu_count; c++) {
        CPUState *cpu = cpu_list[c];

        g_mutex_lock(tlb_lock_of(cpu));
        for (int m = 0; m < NB_MMU_MODES; m++) {
            CPUTLBEntry *table = cpu->tlb_fast[m].table;
            CPUTLBEntryFull *full = cpu->tlb_desc[m].full;
            unsigned n = 1u << cpu->tlb_desc[m].bits;

            if (!cpu->tlb_desc[m].used)
                continue;          /* nothing filled since the last flush */
            for (unsigned i = 0; i < n; i++) {
                CPUTLBEntry *e = &table[i];
                uint64_t tag = __atomic_load_n(&e->addr_write, __ATOMIC_RELAXED);

                if (tag & (TLB_INVALID | TLB_MMIO))
                    continue;
                if (paddr_page != (uint64_t)-1 && full[i].paddr != paddr_page)
                    continue;
                tag = on ? tag | TLB_NOTDIRTY : tag & ~TLB_NOTDIRTY;
                __atomic_store_n(&e->addr_write, tag, __ATOMIC_RELAXED);
            }
            for (unsigned v = 0; v < CPU_VTLB_SIZE; v++) {
                CPUTLBEntry *e = &cpu->tlb_desc[m].vtable[v];
                uint64_t tag = e->addr_write;

                if (tag & (TLB_INVALID | TLB_MMIO))
                    continue;
                if (paddr_page != (uint64_t)-1 &&
                    cpu->tlb_desc[m].vfull[v].paddr != paddr_page)
                    continue;
                e->addr_write = on ? tag | TLB_NOTDIRTY : tag & ~TLB_NOTDIRTY;
            }
        }
        g_mutex_unlock(tlb_lock_of(cpu));
    }
}

static int tlb_mmu_index(CPUState *cpu, bool ifetch)
{
    return cpu->ops->mmu_index ? cpu->ops->mmu_index(cpu, ifetch) : 0;
}

/*
 * Makes sure the TLB maps addr for the access, refilling through the
 * target (which raises the guest fault itself); returns the entry's tag.
 */
static uint64_t tlb_fill_for(CPUState *cpu, uint64_t addr, unsigned size,
                             MMUAccessType type, int mmu_idx, uintptr_t ra)
{
    CPUTLBEntry *e = tlb_entry(cpu, mmu_idx, addr);
    uint64_t tag = tlb_tag(e, type);

    if (tlb_hit(tag, addr) && !(tag & TLB_RECHECK))
        return tag;
    if (vtlb_swap_in(cpu, mmu_idx, addr, type)) {
        tag = tlb_tag(e, type);
        if (!(tag & TLB_RECHECK))
            return tag;
    }
    cpu->stat_tlb_miss++;
    STAT_ADD(tlb_miss, 1);
    tlb_grow_on_miss(cpu, mmu_idx);
    e = tlb_entry(cpu, mmu_idx, addr);
    cpu->ops->tlb_fill(cpu, addr, (int)size, type, mmu_idx, false, ra);
    tag = tlb_tag(e, type);
    if (!tlb_hit(tag, addr)) {
        /* The target accepted the access but mapped nothing usable:
           treat it like a bus error rather than looping. */
        bus_error(cpu, addr, addr, size, type, mmu_idx, ra);
        cpu_loop_exit_restore(cpu, ra);
    }
    return tag;
}

static uint64_t tlb_paddr(CPUState *cpu, int mmu_idx, uint64_t addr)
{
    return tlb_entry_full(cpu, mmu_idx, addr)->paddr |
           (addr & ~TARGET_PAGE_MASK);
}

/* ---- I/O ---- */

static uint64_t io_read(CPUState *cpu, uint64_t addr, MemOp mo, int mmu_idx,
                        MMUAccessType type, uintptr_t ra)
{
    uint64_t paddr = tlb_paddr(cpu, mmu_idx, addr), val = 0;
    MemoryRegionSection sec = address_space_lookup(cpu->as, paddr);
    unsigned size = memop_size(mo);
    MemTxResult r;

    mo &= MO_SIZE | MO_SIGN | MO_BSWAP;
    STAT_ADD(mmio_accesses, 1);
    if (!sec.mr) {
        r = MEMTX_DECODE_ERROR;
    } else if (sec.mr->ram && !sec.mr->ops) {
        r = memory_region_dispatch_read(sec.mr, sec.offset_within_region,
                                        &val, mo);
    } else {
        HostFPEnv fpenv = host_fp_save();   /* the guest's pending flags */

        cpu->mem_io_pc = ra;
        bql_lock();
        r = memory_region_dispatch_read(sec.mr, sec.offset_within_region,
                                        &val, mo);
        bql_unlock();
        host_fp_restore(fpenv);
    }
    if (r != MEMTX_OK) {
        cpu->mem_io_pc = ra;
        bus_error(cpu, addr, paddr, size, type, mmu_idx, ra);
        return 0;
    }
    return val;
}

static void io_write(CPUState *cpu, uint64_t addr, uint64_t val, MemOp mo,
                     int mmu_idx, uintptr_t ra)
{
    uint64_t paddr = tlb_paddr(cpu, mmu_idx, addr);
    MemoryRegionSection sec = address_space_lookup(cpu->as, paddr);
    unsigned size = memop_size(mo);
    MemTxResult r;

    mo &= MO_SIZE | MO_BSWAP;
    STAT_ADD(mmio_accesses, 1);
    if (!sec.mr) {
        r = MEMTX_DECODE_ERROR;
    } else if (sec.mr->ram && !sec.mr->ops) {
        /* ROM (ignored) or RAM on a shared page; the memory API also
           invalidates code it overwrites. */
        r = memory_region_dispatch_write(sec.mr, sec.offset_within_region,
                                         val, mo);
    } else {
        HostFPEnv fpenv = host_fp_save();   /* the guest's pending flags */

        cpu->mem_io_pc = ra;
        bql_lock();
        r = memory_region_dispatch_write(sec.mr, sec.offset_within_region,
                                         val, mo);
        bql_unlock();
        host_fp_restore(fpenv);
    }
    if (r != MEMTX_OK) {
        cpu->mem_io_pc = ra;
        bus_error(cpu, addr, paddr, size, MMU_DATA_STORE,
                                     mmu_idx, ra);
    }
}

/* ---- Loads and stores within one page ---- */

static uint64_t ld_page(CPUState *cpu, uint64_t addr, MemOp mo, int mmu_idx,
                        MMUAccessType type, uintptr_t ra)
{
    uint64_t tag = tlb_fill_for(cpu, addr, memop_size(mo), type, mmu_idx, ra);
    CPUTLBEntry *e = tlb_entry(cpu, mmu_idx, addr);

    if (tag & TLB_WATCHPOINT)
        cpu_check_watchpoint(cpu, addr, memop_size(mo), BP_MEM_READ, ra);
    if (tag & TLB_MMIO)
        return io_read(cpu, addr, mo, mmu_idx, type, ra);
    return memop_host_load((void *)(uintptr_t)(addr + e->addend), mo);
}

/* A write to RAM holding code: drop the TBs it overlaps first. */
static void notdirty_write(CPUState *cpu, uint64_t addr, unsigned size,
                           int mmu_idx)
{
    uint64_t paddr = tlb_paddr(cpu, mmu_idx, addr);

    STAT_ADD(notdirty_writes, 1);
    tb_invalidate_phys_range(paddr, paddr + size);
}

static void st_page(CPUState *cpu, uint64_t addr, uint64_t val, MemOp mo,
                    int mmu_idx, uintptr_t ra)
{
    unsigned size = memop_size(mo);
    uint64_t tag = tlb_fill_for(cpu, addr, size, MMU_DATA_STORE, mmu_idx, ra);
    CPUTLBEntry *e = tlb_entry(cpu, mmu_idx, addr);

    if (tag & TLB_WATCHPOINT)
        cpu_check_watchpoint(cpu, addr, size, BP_MEM_WRITE, ra);
    if (tag & TLB_MMIO) {
        io_write(cpu, addr, val, mo, mmu_idx, ra);
        return;
    }
    /* Store first, then invalidate (tb_invalidate_phys_range fences
       before it looks): a translation on another vCPU either reads the
       new bytes or is linked before the invalidation, which waits for
       tb_lock, and is dropped by it. */
    memop_host_store((void *)(uintptr_t)(addr + e->addend), val, mo);
    if (tag & TLB_NOTDIRTY)
        notdirty_write(cpu, addr, size, mmu_idx);
}

static void check_alignment(CPUState *cpu, uint64_t addr, MemOp mo,
                            MMUAccessType type, int mmu_idx, uintptr_t ra)
{
    unsigned a = memop_align_bytes(mo);

    if (a > 1 && (addr & (a - 1))) {
        cpu->ops->unaligned_access(cpu, addr, type, mmu_idx, ra);
        cpu_loop_exit_restore(cpu, ra);   /* in case the hook returned */
    }
}

static inline bool crosses_page(uint64_t addr, unsigned size)
{
    return (addr & ~TARGET_PAGE_MASK) + size > TARGET_PAGE_SIZE;
}

static uint64_t do_ld(CPUState *cpu, uint64_t addr, MemOpIdx oi,
                      MMUAccessType type, uintptr_t ra)
{
    MemOp mo = get_memop(oi);
    int mmu_idx = (int)get_mmuidx(oi);
    unsigned size = memop_size(mo);
    uint64_t v = 0;

    check_alignment(cpu, addr, mo, type, mmu_idx, ra);
    if (!crosses_page(addr, size))
        return ld_page(cpu, addr, mo, mmu_idx, type, ra);
    /* Byte by byte, in address order, so the first page faults first. */
    for (unsigned i = 0; i < size; i++)
        v |= ld_page(cpu, addr + i, MO_8, mmu_idx, type, ra) << (8 * i);
    return memop_host_load(&v, mo);
}

static void do_st(CPUState *cpu, uint64_t addr, uint64_t val, MemOpIdx oi,
                  uintptr_t ra)
{
    MemOp mo = get_memop(oi);
    int mmu_idx = (int)get_mmuidx(oi);
    unsigned size = memop_size(mo);
    uint8_t bytes[8];

    check_alignment(cpu, addr, mo, MMU_DATA_STORE, mmu_idx, ra);
    if (!crosses_page(addr, size)) {
        st_page(cpu, addr, val, mo, mmu_idx, ra);
        return;
    }
    /* Both pages must be writable before any byte is written. */
    tlb_fill_for(cpu, addr, 1, MMU_DATA_STORE, mmu_idx, ra);
    tlb_fill_for(cpu, (addr | ~TARGET_PAGE_MASK) + 1, 1, MMU_DATA_STORE,
                 mmu_idx, ra);
    memop_host_store(bytes, val, mo & (MO_SIZE | MO_BSWAP));
    for (unsigned i = 0; i < size; i++)
        st_page(cpu, addr + i, bytes[i], MO_8, mmu_idx, ra);
}

uint64_t helper_ld_slow(void *env, uint64_t addr, MemOpIdx oi, uintptr_t ra)
{
    return do_ld((CPUState *)env, addr, oi, MMU_DATA_LOAD, ra);
}

void helper_st_slow(void *env, uint64_t addr, uint64_t val, MemOpIdx oi,
                    uintptr_t ra)
{
    do_st((CPUState *)env, addr, val, oi, ra);
}

uint64_t cpu_ld_mmu(CPUState *cpu, uint64_t addr, MemOpIdx oi, uintptr_t ra)
{
    return do_ld(cpu, addr, oi, MMU_DATA_LOAD, ra);
}

void cpu_st_mmu(CPUState *cpu, uint64_t addr, uint64_t val, MemOpIdx oi,
                uintptr_t ra)
{
    do_st(cpu, addr, val, oi, ra);
}

void *probe_access(CPUState *cpu, uint64_t addr, int size,
                   MMUAccessType access_type, int mmu_idx, uintptr_t ra)
{
    unsigned sz = size > 0 ? (unsigned)size : 1;
    uint64_t tag = tlb_fill_for(cpu, addr, sz, access_type, mmu_idx, ra);
    CPUTLBEntry *e = tlb_entry(cpu, mmu_idx, addr);

    if (tag & TLB_WATCHPOINT)
        cpu_check_watchpoint(cpu, addr, sz,
                             access_type == MMU_DATA_STORE ? BP_MEM_ACCESS
                                                           : BP_MEM_READ, ra);
    if (tag & TLB_MMIO)
        return NULL;
    if (access_type == MMU_DATA_STORE && (tag & TLB_NOTDIRTY))
        notdirty_write(cpu, addr, sz, mmu_idx);
    return (void *)(uintptr_t)(addr + e->addend);
}

/* ---- Instruction fetch for the translator ---- */

void *tlb_get_code_ptr(CPUState *cpu, uint64_t vaddr, uint64_t *paddr,
                       MemoryRegion **mr, uint64_t *mr_offset, bool nofault)
{
    int mmu_idx = tlb_mmu_index(cpu, true);
    CPUTLBEntry *e = tlb_entry(cpu, mmu_idx, vaddr);
    CPUTLBEntryFull *full = tlb_entry_full(cpu, mmu_idx, vaddr);
    uint64_t tag = e->addr_code;

    if (!tlb_hit(tag, vaddr) && vtlb_swap_in(cpu, mmu_idx, vaddr,
                                              MMU_INST_FETCH))
        tag = e->addr_code;
    if (!tlb_hit(tag, vaddr) || (tag & TLB_RECHECK)) {
        cpu->stat_tlb_miss++;
        STAT_ADD(tlb_miss, 1);
        if (!cpu->ops->tlb_fill(cpu, vaddr, 1, MMU_INST_FETCH, mmu_idx,
                                nofault, 0)) {
            if (nofault)
                return NULL;
            cpu_loop_exit(cpu);
        }
        tag = e->addr_code;
    }
    *paddr = full->paddr | (vaddr & ~TARGET_PAGE_MASK);
    if (!tlb_hit(tag, vaddr) || (tag & TLB_MMIO) || !full->mr) {
        /* Nothing executable there (a hole or a device). */
        if (nofault)
            return NULL;
        bus_error(cpu, vaddr, *paddr, 2, MMU_INST_FETCH,
                                     mmu_idx, 0);
        cpu_loop_exit(cpu);
    }
    if (mr)
        *mr = full->mr;
    if (mr_offset)
        *mr_offset = full->mr_offset + (vaddr & ~TARGET_PAGE_MASK);
    return (void *)(uintptr_t)(vaddr + e->addend);
}

bool tlb_code_is_global(CPUState *cpu, uint64_t vaddr)
{
    int mmu_idx = tlb_mmu_index(cpu, true);
    CPUTLBEntry *e = tlb_entry(cpu, mmu_idx, vaddr);

    return tlb_hit(e->addr_code, vaddr) &&
           (tlb_entry_full(cpu, mmu_idx, vaddr)->prot & PAGE_GLOBAL);
}
