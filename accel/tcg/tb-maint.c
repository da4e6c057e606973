/*
 * The TB cache's data structures and their upkeep: the global hash table
 * keyed by (physical pc, virtual pc, flags, cflags), the array of TBs in
 * code-address order (for cpu_restore_state), the per-physical-page lists
 * of TBs (for invalidation on guest writes), and
 * chaining (patching a TB's goto_tb slot, remembering the edge, and
 * undoing it on invalidation).  Everything here runs under tb_lock; the
 * invariants are written down in docs/devel/tcg.md.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <glib.h>

#include "internal.h"
#include "mimic/hostmem.h"
#include "mimic/log.h"

/* ---- The lock ---- */

static pthread_mutex_t tb_mutex = PTHREAD_MUTEX_INITIALIZER;
static __thread bool tb_mutex_held;

/* Lock order: the mode's outer lock (user mode's mmap_lock), then
   tb_mutex.  Taking both here keeps every path in that order. */
void tb_lock(void)
{
    accel_tb_lock_outer(true);
    pthread_mutex_lock(&tb_mutex);
    tb_mutex_held = true;
}

void tb_unlock(void)
{
    tb_mutex_held = false;
    pthread_mutex_unlock(&tb_mutex);
    accel_tb_lock_outer(false);
}

bool tb_lock_held(void)
{
    return tb_mutex_held;
}

void tb_lock_reset(void)
{
    if (tb_mutex_held)
        tb_unlock();
}

/* ---- Hash table: chained through tb->hash_next, power-of-two buckets ----
 *
 * Readers (tb_htable_lookup) take no lock.  Writers hold tb_lock: an
 * insert fills the TB, then publishes it at the head of its chain with a
 * release store; a removal unlinks it with a release store and leaves
 * its hash_next alone, so a reader standing on it walks on to the rest
 * of the chain (TBs are freed only by tb_flush).  Growing the table
 * rethreads every chain and frees the old array, so it happens in an
 * exclusive section (tb_htable_maybe_grow), when no reader can be
 * walking; until then chains just get longer.
 */

static TranslationBlock **tb_htable;
static size_t tb_htable_size;      /* buckets */
static size_t tb_htable_count;     /* TBs in the table */

static inline size_t tb_hash(uint64_t phys_pc, uint64_t pc, uint64_t flags)
{
    uint64_t h = phys_pc * 0x9e3779b97f4a7c15ull;

    /* The flags' halves swapped: a target's usual flags are small, and
       the pc's high half is mostly constant. */
    h ^= (pc ^ ((flags << 32) | (flags >> 32))) * 0xc2b2ae3d27d4eb4full;
    h ^= h >> 29;
    return (size_t)h;
}

/* Rebuilds the table with size buckets: no reader may be walking it. */
static void tb_htable_resize(size_t size)
{
    TranslationBlock **old = tb_htable;
    size_t old_size = tb_htable_size;
    TranslationBlock **table = g_new0(TranslationBlock *, size);

    for (size_t i = 0; i < old_size; i++) {
        TranslationBlock *tb = old[i], *next;

        for (; tb; tb = next) {
            size_t h = tb_hash(tb->phys_pc, tb->pc, tb->flags) & (size - 1);

            next = tb->hash_next;
            tb->hash_next = table[h];
            table[h] = tb;
        }
    }
    __atomic_store_n(&tb_htable, table, __ATOMIC_RELEASE);
    __atomic_store_n(&tb_htable_size, size, __ATOMIC_RELEASE);
    g_free(old);
}

bool tb_htable_needs_growing(void)
{
    return __atomic_load_n(&tb_htable_count, __ATOMIC_RELAXED) >=
           2 * __atomic_load_n(&tb_htable_size, __ATOMIC_RELAXED);
}

/* In an exclusive section, with tb_lock. */
void tb_htable_grow(void)
{
    if (tb_htable_needs_growing())
        tb_htable_resize(tb_htable_size * 4);
}

static void tb_htable_insert(TranslationBlock *tb)
{
    size_t h;

    if (!tb_htable)
        tb_htable_resize(1u << 15);
    h = tb_hash(tb->phys_pc, tb->pc, tb->flags) & (tb_htable_size - 1);
    tb->hash_next = tb_htable[h];
    __atomic_store_n(&tb_htable[h], tb, __ATOMIC_RELEASE);
    __atomic_store_n(&tb_htable_count, tb_htable_count + 1, __ATOMIC_RELAXED);
}

static void tb_htable_remove(TranslationBlock *tb)
{
    size_t h;
    TranslationBlock **pp;

    if (!tb_htable_size)
        return;
    h = tb_hash(tb->phys_pc, tb->pc, tb->flags) & (tb_htable_size - 1);
    for (pp = &tb_htable[h]; *pp; pp = &(*pp)->hash_next) {
        if (*pp == tb) {
            /* tb->hash_next stays: a reader on tb goes on from it. */
            __atomic_store_n(pp, tb->hash_next, __ATOMIC_RELEASE);
            __atomic_store_n(&tb_htable_count, tb_htable_count - 1,
                             __ATOMIC_RELAXED);
            return;
        }
    }
}

/* Does the second page of tb still map where it did at translation? */
static bool tb_page2_matches(CPUState *cpu, TranslationBlock *tb)
{
    uint64_t vaddr2 = (tb->pc & TARGET_PAGE_MASK) + TARGET_PAGE_SIZE;
    uint64_t paddr2;

    if (!tlb_get_code_ptr(cpu, vaddr2, &paddr2, NULL, NULL, true))
        return false;
    return (paddr2 & TARGET_PAGE_MASK) == tb->page_addr[1];
}

TranslationBlock *tb_htable_lookup(CPUState *cpu, uint64_t pc,
                                   uint64_t phys_pc, uint64_t flags,
                                   uint32_t cflags)
{
    TranslationBlock **table = __atomic_load_n(&tb_htable, __ATOMIC_ACQUIRE);
    size_t size = __atomic_load_n(&tb_htable_size, __ATOMIC_ACQUIRE);
    TranslationBlock *tb;
    size_t h;

    /* The table and its size change together only in an exclusive
       section, never while a vCPU is here. */
    if (!table || !size)
        return NULL;
    h = tb_hash(phys_pc, pc, flags) & (size - 1);
    for (tb = __atomic_load_n(&table[h], __ATOMIC_ACQUIRE); tb;
         tb = __atomic_load_n(&tb->hash_next, __ATOMIC_ACQUIRE)) {
        if (tb->pc != pc || tb->phys_pc != phys_pc || tb->flags != flags ||
            tb->cflags != cflags || __atomic_load_n(&tb->invalid,
                                                    __ATOMIC_ACQUIRE))
            continue;
        if (tb->page_addr[1] != (uint64_t)-1 && !tb_page2_matches(cpu, tb))
            continue;
        return tb;
    }
    return NULL;
}

/* ---- TBs in code-address order ----
 * Code is carved from the buffer in increasing addresses and the buffer
 * is only reset by tb_flush, so appending keeps the array sorted.
 */

static TranslationBlock **tb_by_code;
/* Their code addresses, searched without touching the TBs themselves. */
static uintptr_t *tb_by_code_ptr;
static size_t tb_by_code_count, tb_by_code_cap;
static size_t tb_invalid_count;     /* of those, invalidated */

static void tb_by_code_append(TranslationBlock *tb)
{
    if (tb_by_code_count == tb_by_code_cap) {
        tb_by_code_cap = tb_by_code_cap ? tb_by_code_cap * 2 : 4096;
        tb_by_code = g_renew(TranslationBlock *, tb_by_code, tb_by_code_cap);
        tb_by_code_ptr = g_renew(uintptr_t, tb_by_code_ptr, tb_by_code_cap);
    }
    tb_by_code_ptr[tb_by_code_count] = (uintptr_t)tb->tc_ptr;
    tb_by_code[tb_by_code_count++] = tb;
}

static TranslationBlock *tb_by_code_find(uintptr_t ra)
{
    size_t lo = 0, hi = tb_by_code_count;

    /* The byte before the return address: a TB may end with a call. */
    ra--;
    /* Find the last TB whose code starts at or before ra. */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;

        if (tb_by_code_ptr[mid] <= ra)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0)
        return NULL;
    TranslationBlock *tb = tb_by_code[lo - 1];
    if (ra >= (uintptr_t)tb->tc_ptr + tb->tc_size)
        return NULL;
    return tb;
}

TranslationBlock *tb_find_by_host_pc(uintptr_t ra)
{
    TranslationBlock *tb;
    bool held = tb_lock_held();

    if (!held)
        tb_lock();
    tb = tb_by_code_find(ra);
    if (!held)
        tb_unlock();
    return tb;
}

size_t tb_maint_count(void)
{
    return tb_by_code_count - tb_invalid_count;
}

/* ---- Per-physical-page TB lists ----
 * A list is threaded through tb->page_next[n]; each link is tagged with
 * n (which of the TB's two pages the list belongs to) in its low bit.
 */

typedef struct PageDesc {
    uint64_t addr;           /* physical page address: the table's key */
    uintptr_t first;         /* tagged TB pointer, 0 = empty */
    MemoryRegion *mr;
    uint64_t mr_offset;
} PageDesc;

static GHashTable *page_table;   /* &PageDesc.addr -> PageDesc */

static inline TranslationBlock *tag_tb(uintptr_t p)
{
    return (TranslationBlock *)(p & ~(uintptr_t)1);
}

static inline int tag_n(uintptr_t p)
{
    return (int)(p & 1);
}

static PageDesc *page_find(uint64_t page)
{
    if (!page_table)
        return NULL;
    return g_hash_table_lookup(page_table, &page);
}

bool tb_page_has_code(uint64_t addr)
{
    bool r;

    tb_lock();
    r = page_find(addr & TARGET_PAGE_MASK) != NULL;
    tb_unlock();
    return r;
}

/* Starts tracking code on a page: sets the region's code bit and makes
   every TLB write entry for it take the slow path. */
static PageDesc *page_find_alloc(uint64_t page, MemoryRegion *mr,
                                 uint64_t mr_offset)
{
    PageDesc *pd = page_find(page);

    if (pd)
        return pd;
    if (!page_table)
        page_table = g_hash_table_new(g_int64_hash, g_int64_equal);
    pd = g_new0(PageDesc, 1);
    pd->addr = page;
    pd->mr = mr;
    pd->mr_offset = mr_offset;
    g_hash_table_insert(page_table, &pd->addr, pd);
    page_code_mark(page, mr, mr_offset, true);
    tlb_set_notdirty_all(page, true);
    return pd;
}

/* Stops tracking an empty page: writes to it go the fast way again. */
static void page_release(PageDesc *pd)
{
    page_code_mark(pd->addr, pd->mr, pd->mr_offset, false);
    tlb_set_notdirty_all(pd->addr, false);
    g_hash_table_remove(page_table, &pd->addr);
    g_free(pd);
}

static void page_list_remove(PageDesc *pd, TranslationBlock *tb, int n)
{
    uintptr_t *pp = &pd->first;

    while (*pp) {
        TranslationBlock *t = tag_tb(*pp);
        int tn = tag_n(*pp);

        if (t == tb && tn == n) {
            *pp = (uintptr_t)tb->page_next[n];
            tb->page_next[n] = NULL;
            return;
        }
        pp = (uintptr_t *)&t->page_next[tn];
    }
}

/* The translator marks a page as code before it reads its bytes (under
   tb_lock): a store either lands before the bytes are read, or after
   the mark, when it takes the slow path and invalidates (see
   docs/devel/tcg.md, "Threads"). */
void tb_page_mark_code(uint64_t page, MemoryRegion *mr, uint64_t mr_offset)
{
    page_find_alloc(page, mr, mr_offset);
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
}

/* ---- Linking a new TB ---- */

void tb_link(TranslationBlock *tb, const TBPageInfo *pages)
{
    for (int n = 0; n < 2; n++) {
        PageDesc *pd;

        if (tb->page_addr[n] == (uint64_t)-1)
            continue;
        pd = page_find_alloc(tb->page_addr[n], pages->mr[n],
                             pages->mr_offset[n]);
        tb->page_next[n] = (TranslationBlock *)pd->first;
        pd->first = (uintptr_t)tb | (uintptr_t)n;
    }
    tb_htable_insert(tb);
    tb_by_code_append(tb);
}

/* ---- Chaining ---- */

static void tb_set_jmp(TranslationBlock *tb, int n, uintptr_t target)
{
    uintptr_t rx = (uintptr_t)tb->tc_ptr + tb->jmp_insn_offset[n];

    tcg_tb_set_jmp_target(rx, rx - tcg_exec_ctx.code_rx_offset, target);
}

void tb_add_jump(TranslationBlock *tb, int n, TranslationBlock *dest)
{
    tb_lock();
    if (!tb->invalid && !dest->invalid && !tb->jmp_dest[n] &&
        tb->jmp_insn_offset[n] != 0xffff &&
        !(tb->cflags & CF_NO_GOTO_TB)) {
        tb_set_jmp(tb, n, (uintptr_t)dest->tc_ptr);
        tb->jmp_dest[n] = dest;
        tb->jmp_list_next[n] = dest->jmp_list_head;
        dest->jmp_list_head = (uintptr_t)tb | (uintptr_t)n;
        STAT_ADD(chained, 1);
    }
    tb_unlock();
}

/* Points slot n of tb back at its exit path and forgets the edge. */
static void tb_reset_jump(TranslationBlock *tb, int n)
{
    tb_set_jmp(tb, n, (uintptr_t)tb->tc_ptr + tb->jmp_reset_offset[n]);
    tb->jmp_dest[n] = NULL;
    tb->jmp_list_next[n] = 0;
}

/* Removes the edge (src, n) from dest's list of incoming jumps. */
static void tb_jmp_list_remove(TranslationBlock *dest, TranslationBlock *src,
                               int n)
{
    uintptr_t *pp = &dest->jmp_list_head;

    while (*pp) {
        TranslationBlock *t = tag_tb(*pp);
        int tn = tag_n(*pp);

        if (t == src && tn == n) {
            *pp = src->jmp_list_next[n];
            return;
        }
        pp = &t->jmp_list_next[tn];
    }
}

static void tb_unlink_jumps(TranslationBlock *tb)
{
    uintptr_t p = tb->jmp_list_head;

    /* Incoming: every TB chained to this one exits to the loop again. */
    while (p) {
        TranslationBlock *src = tag_tb(p);
        int n = tag_n(p);

        p = src->jmp_list_next[n];
        tb_reset_jump(src, n);
    }
    tb->jmp_list_head = 0;
    /* Outgoing: this TB may still be running (a store into its own
       code), so it must leave through its exits, not into a successor
       that could be invalidated later without us knowing. */
    for (int n = 0; n < 2; n++) {
        TranslationBlock *dest = tb->jmp_dest[n];

        if (dest) {
            tb_jmp_list_remove(dest, tb, n);
            tb_reset_jump(tb, n);
        }
    }
}

/* ---- Invalidation ---- */

static void tb_phys_invalidate_locked(TranslationBlock *tb)
{
    if (tb->invalid)
        return;
    /* Before the jump caches are scanned: a vCPU filling an entry with
       tb either sees this (and empties it) or is seen by the scan. */
    __atomic_store_n(&tb->invalid, true, __ATOMIC_SEQ_CST);
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    tb_invalid_count++;
    tb_htable_remove(tb);
    for (int n = 0; n < 2; n++) {
        PageDesc *pd;

        if (tb->page_addr[n] == (uint64_t)-1)
            continue;
        pd = page_find(tb->page_addr[n]);
        if (pd)
            page_list_remove(pd, tb, n);
    }
    tb_jmp_cache_remove(tb);
    tb_unlink_jumps(tb);
    STAT_ADD(tbs_invalidated, 1);
    /* The TB struct and its code stay until tb_flush: a CPU may be
       executing it, and cpu_restore_state must still find it. */
}

void tb_phys_invalidate(TranslationBlock *tb)
{
    bool held = tb_lock_held();

    if (!held)
        tb_lock();
    tb_phys_invalidate_locked(tb);
    if (!held)
        tb_unlock();
}

/* Guest-physical bytes of tb that lie on its page n: [*lo, *hi). */
static void tb_page_range(TranslationBlock *tb, int n, uint64_t *lo,
                          uint64_t *hi)
{
    uint64_t page1_vaddr = (tb->pc & TARGET_PAGE_MASK) + TARGET_PAGE_SIZE;
    uint64_t first_len = page1_vaddr - tb->pc;

    if (n == 0) {
        *lo = tb->phys_pc;
        *hi = tb->phys_pc + (tb->size < first_len ? tb->size : first_len);
    } else {
        *lo = tb->page_addr[1];
        *hi = *lo + (tb->size > first_len ? tb->size - first_len : 0);
    }
}

static void tb_invalidate_page_range(PageDesc *pd, uint64_t start,
                                     uint64_t end)
{
    uintptr_t p = pd->first;

    while (p) {
        TranslationBlock *tb = tag_tb(p);
        int n = tag_n(p);
        uint64_t lo, hi;

        p = (uintptr_t)tb->page_next[n];
        tb_page_range(tb, n, &lo, &hi);
        if (lo < end && start < hi)
            tb_phys_invalidate_locked(tb);
    }
}

void tb_invalidate_phys_range(uint64_t start, uint64_t end)
{
    bool held = tb_lock_held();

    if (end <= start)
        return;
    /* The store that got us here is done before we look (stores are
       followed by their invalidation; see tb_page_mark_code). */
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    if (!held)
        tb_lock();
    for (uint64_t page = start & TARGET_PAGE_MASK; page < end;
         page += TARGET_PAGE_SIZE) {
        PageDesc *pd = page_find(page);

        if (!pd)
            continue;
        tb_invalidate_page_range(pd, start, end);
        if (!pd->first)
            page_release(pd);
        if (page + TARGET_PAGE_SIZE < page)
            break;
    }
    if (!held)
        tb_unlock();
}

/* ---- TB memory ---- */

/* 2 MiB, aligned and advised as a huge page: one fault maps a chunk in
   (on this kind of host a first write to each 4K page was costly). */
#define TB_ARENA_CHUNK (2u << 20)

typedef struct ArenaChunk {
    struct ArenaChunk *next;
    size_t used;
    uint8_t data[];
} ArenaChunk;

static ArenaChunk *arena_first, *arena_cur;

static void *arena_take(size_t size);

static ArenaChunk *arena_chunk_new(void)
{
    void *p = host_alloc_huge(TB_ARENA_CHUNK);

    if (!p) {
        error_report("cannot allocate %u bytes for translated blocks: %s",
                     TB_ARENA_CHUNK, strerror(errno));
        exit(1);
    }
    return p;
}

void *tb_arena_alloc_raw(size_t size)
{
    return arena_take(size);
}

/* A TB, zeroed, at the start of a cache line (struct TranslationBlock:
   what a lookup reads is in its first 64 bytes). */
_Static_assert(offsetof(TranslationBlock, invalid) < 64 &&
               offsetof(TranslationBlock, cflags) < 64,
               "a TB's lookup fields fit one cache line");
TranslationBlock *tb_arena_alloc_tb(void)
{
    /* The arena hands out 16-byte aligned pieces: 48 bytes to spare. */
    uint8_t *p = arena_take(sizeof(TranslationBlock) + 48);

    p += (64 - (uintptr_t)p % 64) % 64;
    memset(p, 0, sizeof(TranslationBlock));
    return (TranslationBlock *)p;
}

bool tb_arena_owns(const void *p)
{
    const uint8_t *b = p;

    for (ArenaChunk *c = arena_cur ? arena_first : NULL; c; c = c->next) {
        if (b >= c->data && b < c->data + c->used)
            return true;
        if (c == arena_cur)
            break;
    }
    return false;
}

static void *arena_take(size_t size)
{
    const size_t cap = TB_ARENA_CHUNK - sizeof(ArenaChunk);
    void *p;

    size = (size + 15) & ~(size_t)15;
    g_assert(size <= cap);
    if (!arena_cur || arena_cur->used + size > cap) {
        /* The next chunk, kept from before the last flush, or a new one. */
        ArenaChunk *c = arena_cur ? arena_cur->next : arena_first;

        if (!c) {
            c = arena_chunk_new();
            c->next = NULL;
            if (arena_cur)
                arena_cur->next = c;
            else
                arena_first = c;
        }
        c->used = 0;
        arena_cur = c;
    }
    p = arena_cur->data + arena_cur->used;
    arena_cur->used += size;
    return p;
}

/* ---- Flushing everything ---- */

static void page_release_cb(gpointer key, gpointer value, gpointer opaque)
{
    PageDesc *pd = value;

    page_code_mark(pd->addr, pd->mr, pd->mr_offset, false);
    g_free(pd);
}

void tb_maint_flush(void)
{
    /* Every TB and its insn data go with the arena. */
    arena_cur = NULL;
    tb_by_code_count = 0;
    tb_invalid_count = 0;
    if (tb_htable)
        memset(tb_htable, 0, tb_htable_size * sizeof(*tb_htable));
    tb_htable_count = 0;
    if (page_table) {
        g_hash_table_foreach(page_table, page_release_cb, NULL);
        g_hash_table_steal_all(page_table);
    }
    tlb_set_notdirty_all((uint64_t)-1, false);
    for (int i = 0; i < cpu_count; i++)
        tb_jmp_cache_clear(cpu_list[i]);
    __atomic_add_fetch(&tb_flush_count, 1, __ATOMIC_SEQ_CST);
}
