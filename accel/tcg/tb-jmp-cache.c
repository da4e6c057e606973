/*
 * The jump cache: per vCPU, a direct-mapped table from (pc, flags) to the
 * TB and its code, probed by the execution loop (tb_jmp_cache_lookup) and
 * inline by generated code at indirect jumps (the backend's
 * lookup_and_goto_ptr reads TBJumpCacheEntry, include/mimic/cpu.h).
 *
 * Everything that fills or empties entries is here, with the bookkeeping
 * (cpu->jc, TBJumpCacheBook) that keeps the frequent clears cheap: a log
 * of the slots filled since the last clear, bitmaps of the pages their
 * pcs lie on, and which entries hold TBs on global pages (mapped the same
 * in every address space), which a switch of address space keeps.  The
 * mode decides what "global" means (tlb_code_is_global: the softmmu TLB's
 * PAGE_GLOBAL in system mode; nothing in user mode).
 *
 * Other vCPUs empty a vCPU's entries while it runs (invalidation), with
 * no lock: see tb_jmp_cache_fill for the order of stores that makes that
 * safe, and docs/devel/tcg.md, "Threads".
 */
#include <string.h>

#include "internal.h"

static bool jc_is_global(CPUState *cpu, unsigned h)
{
    return (cpu->jc.global[h / 64] >> (h % 64)) & 1;
}

static void jc_set_global(CPUState *cpu, unsigned h, bool global)
{
    uint64_t bit = 1ull << (h % 64);

    if (global)
        cpu->jc.global[h / 64] |= bit;
    else
        cpu->jc.global[h / 64] &= ~bit;
}

/* cpu->jc.pages: the bit that stands for the virtual page of pc
   (the page number folded so that kernel and user pages spread alike). */
static unsigned tb_jmp_cache_page_bit(uint64_t pc, unsigned bits)
{
    uint64_t vpn = pc >> TARGET_PAGE_BITS;

    /* Multiplicative: folding the page number's chunks by XOR kept its
       low bits, so Linux's user pages (low addresses) and kernel text
       (0xffffffff80000000 up) shared bits, and sfence.vma of a user page
       scanned the jump cache at every page fault and exec. */
    return (unsigned)((vpn * 0x9e3779b97f4a7c15ull) >> (64 - bits));
}

static void jc_note_page(CPUState *cpu, uint64_t pc, bool global)
{
    unsigned b = tb_jmp_cache_page_bit(pc, global ? TB_JMP_GPAGE_BITS
                                                  : TB_JMP_PAGE_BITS);
    uint64_t *map = global ? cpu->jc.gpages : cpu->jc.pages;

    map[b / 64] |= 1ull << (b % 64);
}

/* Records that slot h was filled (a count past TB_JMP_LOG_SIZE: too
   many to list, a clear scans the whole cache). */
static void jc_log(uint16_t *log, unsigned *n, unsigned h)
{
    if (*n < TB_JMP_LOG_SIZE)
        log[*n] = (uint16_t)h;
    *n += *n <= TB_JMP_LOG_SIZE;
}

/* An empty jump-cache slot i: a pc that never hashes to slot i. */
static uint64_t jc_empty_pc(unsigned i)
{
    return (uint64_t)((i + 1) & (TB_JMP_CACHE_SIZE - 1)) << 1;
}

/* A new vCPU's cache (zeroed by cpu_create): every slot empty, so that
   no pc matches a slot whose code is NULL (generated code does not test
   it).  Zero is pc 0, which hashes to slot 0 alone: only that slot needs
   another pc; the 2 MiB of the others stay untouched (and unmapped by
   the host until used: a user-mode process or thread starts without
   writing them all). */
void tb_jmp_cache_init(CPUState *cpu)
{
    _Static_assert(TB_JMP_CACHE_SIZE > 1, "pc 0 hashes to slot 0 alone");
    cpu->jmp_cache[0].pc = jc_empty_pc(0);
}

/* ---- Looking up and filling ---- */

TranslationBlock *tb_jmp_cache_lookup(CPUState *cpu, uint64_t pc,
                                      uint64_t flags, uint32_t cflags)
{
    TBJumpCacheEntry *e = &cpu->jmp_cache[tb_jmp_cache_hash(pc)];
    /* Other vCPUs may empty the entry meanwhile (an invalidation): tb
       is read first; a TB stays readable until tb_flush. */
    TranslationBlock *tb = __atomic_load_n(&e->tb, __ATOMIC_RELAXED);

    if (tb && __atomic_load_n(&e->pc, __ATOMIC_ACQUIRE) == pc &&
        e->flags == flags && tb->cflags == cflags &&
        !__atomic_load_n(&tb->invalid, __ATOMIC_RELAXED))
        return tb;
    return NULL;
}

void tb_jmp_cache_fill(CPUState *cpu, TranslationBlock *tb)
{
    uint64_t pc = tb->pc;
    unsigned h = tb_jmp_cache_hash(pc);
    TBJumpCacheEntry *e = &cpu->jmp_cache[h];
    /* Kept across switches of address space if every page of the TB is
       mapped the same in all of them. */
    bool global = tlb_code_is_global(cpu, pc) &&
                  (tb->page_addr[1] == (uint64_t)-1 ||
                   tlb_code_is_global(cpu, (pc | ~TARGET_PAGE_MASK) + 1));

    /* No lock: the entry is filled, then tb->invalid is read after a
       fence; an invalidation sets it, fences, then scans the jump caches.
       One of the two sees the other and empties the entry. */
    __atomic_store_n(&e->pc, jc_empty_pc(h), __ATOMIC_RELEASE);
    __atomic_store_n(&e->tb, tb, __ATOMIC_RELAXED);
    e->code = tb->tc_ptr;
    e->flags = tb->flags;
    jc_set_global(cpu, h, global);
    jc_note_page(cpu, pc, global);
    __atomic_store_n(&e->pc, pc, __ATOMIC_RELEASE);
    if (global)
        jc_log(cpu->jc.glog, &cpu->jc.glog_n, h);
    else
        jc_log(cpu->jc.log, &cpu->jc.log_n, h);
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    if (__atomic_load_n(&tb->invalid, __ATOMIC_RELAXED)) {
        __atomic_store_n(&e->pc, jc_empty_pc(h), __ATOMIC_RELEASE);
        __atomic_store_n(&e->tb, NULL, __ATOMIC_RELAXED);
    }
}


/* ---- Emptying entries ---- */

static void jc_entry_clear(TBJumpCacheEntry *e, unsigned i)
{
    /* Only pc and tb: generated code matches on pc, so the entry is dead
       as soon as this store lands; code keeps pointing at valid (if
       stale) code for a reader that matched the old pc just before. */
    __atomic_store_n(&e->pc, jc_empty_pc(i), __ATOMIC_RELEASE);
    __atomic_store_n(&e->tb, NULL, __ATOMIC_RELAXED);
}

void tb_jmp_cache_remove(TranslationBlock *tb)
{
    unsigned h = tb_jmp_cache_hash(tb->pc);

    for (int i = 0; i < cpu_count; i++) {
        TBJumpCacheEntry *e = &cpu_list[i]->jmp_cache[h];

        if (__atomic_load_n(&e->tb, __ATOMIC_RELAXED) == tb)
            jc_entry_clear(e, h);
    }
}

/* Clears the slots listed in log (all if it overflowed), but those
   holding global TBs when keep_global is set. */
static void jc_clear_logged(CPUState *cpu, const uint16_t *log, unsigned n,
                            bool keep_global)
{
    if (n <= TB_JMP_LOG_SIZE) {
        for (unsigned i = 0; i < n; i++) {
            unsigned h = log[i];
            TBJumpCacheEntry *e = &cpu->jmp_cache[h];

            if (!(keep_global && e->tb && jc_is_global(cpu, h)))
                jc_entry_clear(e, h);
        }
        return;
    }
    for (unsigned h = 0; h < TB_JMP_CACHE_SIZE; h++) {
        TBJumpCacheEntry *e = &cpu->jmp_cache[h];

        if (e->tb && !(keep_global && jc_is_global(cpu, h)))
            jc_entry_clear(e, h);
    }
}

void tb_jmp_cache_clear(CPUState *cpu)
{
    if (cpu->jc.log_n > TB_JMP_LOG_SIZE ||
        cpu->jc.glog_n > TB_JMP_LOG_SIZE) {
        jc_clear_logged(cpu, NULL, TB_JMP_LOG_SIZE + 1, false);
    } else {
        jc_clear_logged(cpu, cpu->jc.log, cpu->jc.log_n, false);
        jc_clear_logged(cpu, cpu->jc.glog, cpu->jc.glog_n,
                        false);
    }
    cpu->jc.log_n = 0;
    cpu->jc.glog_n = 0;
    memset(cpu->jc.pages, 0, sizeof(cpu->jc.pages));
    memset(cpu->jc.gpages, 0, sizeof(cpu->jc.gpages));
}

/* Global entries stay, and so do their slots in jmp_cache_glog and their
   pages in jc.gpages. */
void tb_jmp_cache_clear_nonglobal(CPUState *cpu)
{
    jc_clear_logged(cpu, cpu->jc.log, cpu->jc.log_n, true);
    cpu->jc.log_n = 0;
    memset(cpu->jc.pages, 0, sizeof(cpu->jc.pages));
}

/* May an entry's pc lie in [start, end)?  Tells for non-global entries
   (jc.pages) and global ones (jc.gpages) apart. */
static void jc_may_hold_range(CPUState *cpu, uint64_t start, uint64_t end,
                              bool *nonglobal, bool *global)
{
    *nonglobal = *global = end - start > 64 * TARGET_PAGE_SIZE;
    /* Every page: stopping at the first global hit left *nonglobal
       unset for the pages after it, and their non-global entries were
       then kept when the logs were short enough to be cleared from. */
    for (uint64_t p = start & TARGET_PAGE_MASK; p < end && !(*global && *nonglobal);
         p += TARGET_PAGE_SIZE) {
        unsigned b = tb_jmp_cache_page_bit(p, TB_JMP_PAGE_BITS);
        unsigned gb = tb_jmp_cache_page_bit(p, TB_JMP_GPAGE_BITS);

        *nonglobal |= (cpu->jc.pages[b / 64] >> (b % 64)) & 1;
        *global |= (cpu->jc.gpages[gb / 64] >> (gb % 64)) & 1;
    }
}

/* Clears the slots listed in log whose entries' pcs lie in [start, end). */
static void jc_clear_logged_range(CPUState *cpu, const uint16_t *log,
                                  unsigned n, uint64_t start, uint64_t end)
{
    for (unsigned i = 0; i < n; i++) {
        unsigned h = log[i];
        TBJumpCacheEntry *e = &cpu->jmp_cache[h];

        if (e->tb && e->pc >= start && e->pc < end)
            jc_entry_clear(e, h);
    }
}

void tb_jmp_cache_clear_range(CPUState *cpu, uint64_t start, uint64_t end,
                              bool global)
{
    bool ng, g;

    /* Most pages flushed one at a time (page faults, unmaps) hold no
       code: no slot to look at. */
    jc_may_hold_range(cpu, start, end, &ng, &g);
    g &= global;
    if (!ng && !g)
        return;
    /* Otherwise the slots filled since the last clear, of the kind the
       filter names, when they were few enough to be listed: a user page
       needs no look at the kernel's global TBs. */
    if ((!ng || cpu->jc.log_n <= TB_JMP_LOG_SIZE) &&
        (!g || cpu->jc.glog_n <= TB_JMP_LOG_SIZE)) {
        if (ng)
            jc_clear_logged_range(cpu, cpu->jc.log,
                                  cpu->jc.log_n, start, end);
        if (g)
            jc_clear_logged_range(cpu, cpu->jc.glog,
                                  cpu->jc.glog_n, start, end);
        return;
    }
    /* The slots of the range's pcs (the hash ignores bit 0), unless the
       range is larger than the cache. */
    if (end > start && (end - start) / 2 < TB_JMP_CACHE_SIZE) {
        for (uint64_t pc = start & ~(uint64_t)1; pc < end; pc += 2) {
            unsigned h = tb_jmp_cache_hash(pc);
            TBJumpCacheEntry *e = &cpu->jmp_cache[h];

            if (e->tb && e->pc >= start && e->pc < end)
                jc_entry_clear(e, h);
        }
        return;
    }
    for (unsigned i = 0; i < TB_JMP_CACHE_SIZE; i++) {
        TBJumpCacheEntry *e = &cpu->jmp_cache[i];

        if (e->tb && e->pc >= start && e->pc < end)
            jc_entry_clear(e, i);
    }
}
