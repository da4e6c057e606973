/*
 * Memory regions and address spaces (the contract is include/mimic/memory.h).
 *
 * Regions form a tree: containers hold subregions at offsets, ordered by
 * priority, and a higher-priority subregion hides what lies below it.  An
 * address space renders its root into a flat, sorted array of
 * non-overlapping ranges, each pointing at the one leaf region (RAM, ROM or
 * MMIO) that is visible there; lookups are a binary search in that array.
 * Byte-granular reads and writes walk the flat ranges, copy RAM directly and
 * split MMIO into accesses of sizes the device accepts.  One access to a
 * region (memory_region_dispatch_*) enforces the device's valid sizes and
 * alignment and adapts to its implemented sizes by splitting or widening.
 * The file also keeps the code-page bitmap of RAM regions (pages holding
 * translated code; a write to them calls accel/tcg's hook) and the global
 * lock (BQL) that guards device state.
 *
 * The tree changes under the BQL while vCPUs look addresses up without
 * it (a guest moving a PCI BAR), so a flat view is never changed in
 * place: a commit renders a new one, publishes it with one atomic store,
 * and frees the old one after a grace period.  Lookups are readers of a
 * two-counter scheme (as in sleepable RCU): a reader counts itself in the
 * counter of the current epoch before it loads the view pointer; the
 * writer, after publishing, flips the epoch and waits until the old
 * epoch's counter drains, after which no reader can hold the old view.
 * A lookup is a short binary search, so the wait is short and the
 * readers never block.
 */
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <glib.h>

#include "mimic/cpu.h"
#include "mimic/hostmem.h"
#include "mimic/log.h"
#include "mimic/memory.h"

typedef struct FlatRange {
    uint64_t start;
    uint64_t end;            /* exclusive; clamped at UINT64_MAX */
    MemoryRegion *mr;
    uint64_t offset;         /* offset within mr of start */
} FlatRange;

struct FlatView {
    FlatRange *ranges;       /* sorted, non-overlapping leaves */
    int nr;
};

static GPtrArray *address_spaces;   /* every initialised AddressSpace */
static void (*code_write_hook)(uint64_t start, uint64_t end);
static void (*map_change_hook)(void);
static unsigned transaction_depth;
static bool transaction_pending;

AddressSpace address_space_memory;
static MemoryRegion system_memory;

/* ---- Regions ---- */

void memory_region_init(MemoryRegion *mr, const char *name, uint64_t size)
{
    memset(mr, 0, sizeof(*mr));
    mr->name = g_strdup(name ? name : "anonymous");
    mr->size = size;
    mr->enabled = true;
}

static void memory_region_alloc_host(MemoryRegion *mr)
{
    uint64_t pages = (mr->size + TARGET_PAGE_SIZE - 1) >> TARGET_PAGE_BITS;
    uint64_t bytes = (pages ? pages : 1) << TARGET_PAGE_BITS;
    void *p = NULL;

    /* Huge pages: the guest's first touch of each 2 MiB is one fault. */
    if (mr->size <= SIZE_MAX - TARGET_PAGE_SIZE)
        p = host_alloc_huge(bytes);
    if (!p) {
        error_report("cannot allocate %" PRIu64 " MiB of host memory for "
                     "'%s': %s", mr->size >> 20, mr->name, strerror(errno));
        exit(1);
    }
    mr->ram = true;
    mr->ram_ptr = p;
    mr->code_bitmap = g_malloc0((pages + 7) / 8 + 1);
}

void memory_region_finalize(MemoryRegion *mr)
{
    if (mr->ram_ptr) {
        uint64_t pages = (mr->size + TARGET_PAGE_SIZE - 1) >> TARGET_PAGE_BITS;
        munmap(mr->ram_ptr, (pages ? pages : 1) << TARGET_PAGE_BITS);
    }
    g_free(mr->code_bitmap);
    g_free((char *)mr->name);
    memset(mr, 0, sizeof(*mr));
}

void memory_region_init_ram(MemoryRegion *mr, const char *name, uint64_t size)
{
    memory_region_init(mr, name, size);
    memory_region_alloc_host(mr);
}

void memory_region_init_rom(MemoryRegion *mr, const char *name, uint64_t size)
{
    memory_region_init_ram(mr, name, size);
    mr->readonly = true;
}

void memory_region_init_rom_device(MemoryRegion *mr, const MemoryRegionOps *ops,
                                   void *opaque, const char *name,
                                   uint64_t size)
{
    memory_region_init_rom(mr, name, size);
    mr->ops = ops;
    mr->opaque = opaque;
}

void memory_region_init_io(MemoryRegion *mr, const MemoryRegionOps *ops,
                           void *opaque, const char *name, uint64_t size)
{
    memory_region_init(mr, name, size);
    mr->ops = ops;
    mr->opaque = opaque;
}

static void memory_update_all(void)
{
    if (transaction_depth) {
        transaction_pending = true;
        return;
    }
    for (guint i = 0; address_spaces && i < address_spaces->len; i++)
        address_space_update(g_ptr_array_index(address_spaces, i));
}

/* A region changed.  Aliases let a region appear in address spaces whose
   root is not its own, so every address space is rebuilt (there are
   few, and an unchanged view costs no TLB flush). */
static void memory_update_for(MemoryRegion *mr)
{
    (void)mr;
    memory_update_all();
}

void memory_region_transaction_begin(void)
{
    transaction_depth++;
}

void memory_region_transaction_commit(void)
{
    if (transaction_depth == 0) {
        error_report("internal error: memory transaction commit without begin");
        abort();
    }
    if (--transaction_depth == 0 && transaction_pending) {
        transaction_pending = false;
        memory_update_all();
    }
}

void memory_region_init_alias(MemoryRegion *mr, const char *name,
                              MemoryRegion *orig, uint64_t offset,
                              uint64_t size)
{
    memory_region_init(mr, name, size);
    mr->alias = orig;
    mr->alias_offset = offset;
}

/* Links child into parent's list: highest priority first; among equals
   the newest comes first (wins). */
static void subregion_link(MemoryRegion *parent, MemoryRegion *child)
{
    MemoryRegion **link = &parent->subregions;

    while (*link && (*link)->priority > child->priority)
        link = &(*link)->next_sibling;
    child->next_sibling = *link;
    *link = child;
}

static void subregion_unlink(MemoryRegion *parent, MemoryRegion *child)
{
    for (MemoryRegion **link = &parent->subregions; *link;
         link = &(*link)->next_sibling) {
        if (*link == child) {
            *link = child->next_sibling;
            child->next_sibling = NULL;
            return;
        }
    }
}

void memory_region_add_subregion_overlap(MemoryRegion *parent, uint64_t offset,
                                         MemoryRegion *child, int priority)
{
    if (child->container) {
        error_report("memory region '%s' is already in '%s'", child->name,
                     child->container->name);
        abort();
    }
    child->container = parent;
    child->addr = offset;
    child->priority = priority;
    subregion_link(parent, child);
    memory_update_for(parent);
}

void memory_region_del_subregion(MemoryRegion *parent, MemoryRegion *child)
{
    if (child->container != parent) {
        error_report("memory region '%s' is not in '%s'", child->name,
                     parent->name);
        abort();
    }
    subregion_unlink(parent, child);
    child->container = NULL;
    memory_update_for(parent);
}

void memory_region_set_address(MemoryRegion *mr, uint64_t addr)
{
    if (mr->addr == addr)
        return;
    mr->addr = addr;
    if (mr->container) {
        /* Taken out and put back: it goes first among its equals, as a
           newly added region would. */
        MemoryRegion *parent = mr->container;

        subregion_unlink(parent, mr);
        subregion_link(parent, mr);
        memory_update_for(mr);
    }
}

void memory_region_set_alias_offset(MemoryRegion *mr, uint64_t offset)
{
    if (mr->alias_offset == offset)
        return;
    mr->alias_offset = offset;
    memory_update_for(mr);
}

void memory_region_set_size(MemoryRegion *mr, uint64_t size)
{
    if (mr->size == size)
        return;
    mr->size = size;
    memory_update_for(mr);
}

void memory_region_add_subregion(MemoryRegion *parent, uint64_t offset,
                                 MemoryRegion *child)
{
    memory_region_add_subregion_overlap(parent, offset, child, 0);
}

void memory_region_set_enabled(MemoryRegion *mr, bool enabled)
{
    if (mr->enabled == enabled)
        return;
    mr->enabled = enabled;
    memory_update_for(mr);
}

uint64_t memory_region_absolute_addr(MemoryRegion *mr)
{
    uint64_t addr = 0;

    for (; mr; mr = mr->container)
        addr += mr->addr;
    return addr;
}

/* ---- Flat views ---- */

/* Adds [start, end) -> mr (at offset) to the sorted view v, but only where
   nothing is mapped yet: what was rendered first has priority. */
static void flat_fill_gaps(GArray *v, uint64_t start, uint64_t end,
                           MemoryRegion *mr, uint64_t offset)
{
    uint64_t pos = start;
    guint i = 0;

    while (i < v->len && g_array_index(v, FlatRange, i).end <= pos)
        i++;
    while (pos < end) {
        FlatRange *r = i < v->len ? &g_array_index(v, FlatRange, i) : NULL;
        FlatRange fr;

        if (r && r->start <= pos) {
            pos = r->end;
            i++;
            continue;
        }
        fr.start = pos;
        fr.end = r && r->start < end ? r->start : end;
        fr.mr = mr;
        fr.offset = offset + (pos - start);
        g_array_insert_val(v, i, fr);
        i++;
        pos = fr.end;
    }
}

/*
 * Renders what mr shows at offsets [off, off + len) into the addresses
 * [as_start, as_start + len) of the view: its subregions first (highest
 * priority first), then mr itself in the gaps if it is a leaf.  An alias
 * renders its target at the alias offset.  Offsets, not absolute
 * addresses, are passed down, so an alias that shows the top of a region
 * at a low address needs no negative base.
 */
static void render_region(GArray *v, MemoryRegion *mr, uint64_t as_start,
                          uint64_t off, uint64_t len, int depth)
{
    /* A cycle of aliases (a board's bug) must not recurse forever. */
    if (!mr->enabled || off >= mr->size || depth > 32)
        return;
    len = MIN(len, mr->size - off);
    if (len == 0)
        return;
    if (mr->alias) {
        if (mr->alias_offset <= UINT64_MAX - off)
            render_region(v, mr->alias, as_start, mr->alias_offset + off, len,
                          depth + 1);
        return;
    }
    for (MemoryRegion *sub = mr->subregions; sub; sub = sub->next_sibling) {
        uint64_t send = sub->size > UINT64_MAX - sub->addr
                        ? UINT64_MAX : sub->addr + sub->size;
        uint64_t lo = MAX(sub->addr, off), hi = MIN(send, off + len);

        if (lo < hi)
            render_region(v, sub, as_start + (lo - off), lo - sub->addr,
                          hi - lo, depth + 1);
    }
    if (mr->ram || mr->ops)
        flat_fill_gaps(v, as_start, as_start + len, mr, off);
}

/* ---- Publishing views: readers and the grace period ---- */

static unsigned long view_readers[2];
static unsigned view_epoch;
static GMutex view_writer_lock;

static unsigned view_read_begin(void)
{
    for (;;) {
        unsigned e = __atomic_load_n(&view_epoch, __ATOMIC_SEQ_CST) & 1;

        __atomic_fetch_add(&view_readers[e], 1, __ATOMIC_SEQ_CST);
        /* The writer flipped the epoch meanwhile: it may not wait for
           this counter any more, so count in the new one. */
        if ((__atomic_load_n(&view_epoch, __ATOMIC_SEQ_CST) & 1) == e)
            return e;
        __atomic_fetch_sub(&view_readers[e], 1, __ATOMIC_SEQ_CST);
    }
}

static void view_read_end(unsigned e)
{
    __atomic_fetch_sub(&view_readers[e], 1, __ATOMIC_RELEASE);
}

/* Returns once no reader can still hold a view unpublished before. */
static void view_synchronize(void)
{
    unsigned old;

    g_mutex_lock(&view_writer_lock);
    old = __atomic_fetch_add(&view_epoch, 1, __ATOMIC_SEQ_CST) & 1;
    while (__atomic_load_n(&view_readers[old], __ATOMIC_ACQUIRE) != 0)
        g_thread_yield();
    g_mutex_unlock(&view_writer_lock);
}

static void flat_view_free(FlatView *fv)
{
    if (fv) {
        g_free(fv->ranges);
        g_free(fv);
    }
}

/* Do the two views map RAM and ROM the same?  (TLB entries of MMIO and
   holes are looked up again on every access and need no flush.) */
static bool flat_view_same_ram(const FlatView *a, const FlatView *b)
{
    int i = 0, j = 0;

    for (;;) {
        while (a && i < a->nr && !a->ranges[i].mr->ram)
            i++;
        while (b && j < b->nr && !b->ranges[j].mr->ram)
            j++;
        if (!a || i >= a->nr || !b || j >= b->nr)
            return (!a || i >= a->nr) && (!b || j >= b->nr);
        if (memcmp(&a->ranges[i], &b->ranges[j], sizeof(FlatRange)))
            return false;
        i++;
        j++;
    }
}

void address_space_init(AddressSpace *as, MemoryRegion *root, const char *name)
{
    memset(as, 0, sizeof(*as));
    as->name = g_strdup(name);
    as->root = root;
    if (!address_spaces)
        address_spaces = g_ptr_array_new();
    g_ptr_array_add(address_spaces, as);
    address_space_update(as);
}

void address_space_destroy(AddressSpace *as)
{
    FlatView *old;

    if (address_spaces)
        g_ptr_array_remove(address_spaces, as);
    old = __atomic_exchange_n(&as->view, NULL, __ATOMIC_SEQ_CST);
    view_synchronize();
    flat_view_free(old);
    g_free((char *)as->name);
    memset(as, 0, sizeof(*as));
}

void address_space_update(AddressSpace *as)
{
    GArray *v = g_array_new(FALSE, FALSE, sizeof(FlatRange));
    FlatView *fv = g_new0(FlatView, 1), *old;

    if (as->root)
        render_region(v, as->root, 0, 0, UINT64_MAX, 0);
    fv->nr = (int)v->len;
    fv->ranges = (FlatRange *)g_array_free(v, FALSE);
    old = __atomic_exchange_n(&as->view, fv, __ATOMIC_SEQ_CST);
    if (!old)
        return;
    view_synchronize();
    if (!flat_view_same_ram(old, fv) && map_change_hook)
        map_change_hook();
    flat_view_free(old);
}

int address_space_nr_ranges(AddressSpace *as)
{
    unsigned e = view_read_begin();
    FlatView *fv = __atomic_load_n(&as->view, __ATOMIC_ACQUIRE);
    int n = fv ? fv->nr : 0;

    view_read_end(e);
    return n;
}

void memory_set_map_change_hook(void (*hook)(void))
{
    map_change_hook = hook;
}

static MemoryRegionSection flat_view_lookup(const FlatView *fv, uint64_t addr)
{
    MemoryRegionSection sec = { 0 };
    int nr = fv ? fv->nr : 0;
    int lo = 0, hi = nr;   /* first range with start > addr */
    const FlatRange *r;

    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;

        if (fv->ranges[mid].start <= addr)
            lo = mid + 1;
        else
            hi = mid;
    }
    r = lo > 0 ? &fv->ranges[lo - 1] : NULL;
    if (r && addr < r->end) {
        sec.mr = r->mr;
        sec.offset_within_region = r->offset + (addr - r->start);
        sec.offset_within_as = r->start;
        sec.size = r->end - r->start;
        return sec;
    }
    /* A hole: from the end of the previous range to the next start. */
    sec.offset_within_as = r ? r->end : 0;
    sec.size = (lo < nr ? fv->ranges[lo].start : UINT64_MAX) -
               sec.offset_within_as;
    return sec;
}

MemoryRegionSection address_space_lookup(AddressSpace *as, uint64_t addr)
{
    unsigned e = view_read_begin();
    MemoryRegionSection sec =
        flat_view_lookup(__atomic_load_n(&as->view, __ATOMIC_ACQUIRE), addr);

    view_read_end(e);
    return sec;
}

void *address_space_ram_ptr(AddressSpace *as, uint64_t addr, uint64_t len)
{
    MemoryRegionSection sec = address_space_lookup(as, addr);

    if (!sec.mr || !sec.mr->ram || len == 0 ||
        len - 1 > sec.offset_within_as + sec.size - 1 - addr)
        return NULL;
    return sec.mr->ram_ptr + sec.offset_within_region;
}

MemoryRegion *get_system_memory(void)
{
    if (!system_memory.name) {
        memory_region_init(&system_memory, "system", UINT64_MAX);
        address_space_init(&address_space_memory, &system_memory, "memory");
    }
    return &system_memory;
}

/* ---- Code pages ---- */

void memory_set_code_write_hook(void (*hook)(uint64_t start, uint64_t end))
{
    code_write_hook = hook;
}

void memory_region_set_code_page(MemoryRegion *mr, uint64_t offset, bool on)
{
    uint64_t page = offset >> TARGET_PAGE_BITS;
    uint8_t bit = 1u << (page & 7);

    if (!mr->code_bitmap || offset >= mr->size)
        return;
    if (on)
        __atomic_fetch_or(&mr->code_bitmap[page >> 3], bit, __ATOMIC_RELAXED);
    else
        __atomic_fetch_and(&mr->code_bitmap[page >> 3], (uint8_t)~bit,
                           __ATOMIC_RELAXED);
}

bool memory_region_is_code_page(MemoryRegion *mr, uint64_t offset)
{
    uint64_t page = offset >> TARGET_PAGE_BITS;

    if (!mr->code_bitmap || offset >= mr->size)
        return false;
    return (__atomic_load_n(&mr->code_bitmap[page >> 3], __ATOMIC_RELAXED) >>
            (page & 7)) & 1;
}

/* Calls the hook if [offset, offset + len) of RAM region mr, seen at
   physical address phys, touches a page holding code. */
static void check_code_write(MemoryRegion *mr, uint64_t offset, uint64_t len,
                             uint64_t phys)
{
    uint64_t first = offset & TARGET_PAGE_MASK;

    /* The bytes were written before this looks at the code bits: a
       translator that set a bit after we read it reads the new bytes
       (it fences between the two as well). */
    __atomic_thread_fence(__ATOMIC_SEQ_CST);

    if (!code_write_hook || !mr->code_bitmap || len == 0)
        return;
    for (uint64_t p = first; p <= offset + len - 1; p += TARGET_PAGE_SIZE) {
        if (memory_region_is_code_page(mr, p)) {
            code_write_hook(phys, phys + len);
            return;
        }
        if (p + TARGET_PAGE_SIZE < p)
            break;
    }
}

void memory_region_rom_device_changed(MemoryRegion *mr, uint64_t offset,
                                      uint64_t len)
{
    check_code_write(mr, offset, len, memory_region_absolute_addr(mr) + offset);
}

/* ---- One access to a region ---- */

static unsigned valid_min(const MemoryRegionOps *ops)
{
    return ops->valid_min ? ops->valid_min : 1;
}

static unsigned valid_max(const MemoryRegionOps *ops)
{
    return ops->valid_max ? ops->valid_max : 8;
}

static bool access_valid(MemoryRegion *mr, uint64_t addr, unsigned size,
                         bool is_write)
{
    const MemoryRegionOps *ops = mr->ops;

    if (size >= valid_min(ops) && size <= valid_max(ops) &&
        (ops->valid_unaligned || (addr & (size - 1)) == 0) &&
        size <= mr->size && addr <= mr->size - size)
        return true;
    log_mask(LOG_GUEST_ERROR, "%s: invalid %u-byte %s at offset 0x%" PRIx64
             " (region size 0x%" PRIx64 ")\n", mr->name, size,
             is_write ? "write" : "read", addr, mr->size);
    return false;
}

/* The size the device implements for an access of size bytes. */
static unsigned impl_unit(const MemoryRegionOps *ops, unsigned size)
{
    unsigned lo = ops->impl_min ? ops->impl_min : valid_min(ops);
    unsigned hi = ops->impl_max ? ops->impl_max : valid_max(ops);

    return size < lo ? lo : size > hi ? hi : size;
}

/*
 * Covers [addr, addr + size) with naturally aligned accesses of the
 * implemented size, which splits big accesses, widens small ones and takes
 * unaligned ones apart.  A widened write carries zeros in the bytes outside
 * the access.
 */
static uint64_t mmio_read(MemoryRegion *mr, uint64_t addr, unsigned size)
{
    const MemoryRegionOps *ops = mr->ops;
    unsigned unit = impl_unit(ops, size);
    uint64_t val = 0;

    if (!ops->read)
        return 0;
    if (unit == size && (addr & (size - 1)) == 0)
        return ops->read(mr->opaque, addr, size);
    for (uint64_t a = addr & ~(uint64_t)(unit - 1); a < addr + size; a += unit) {
        uint64_t piece = ops->read(mr->opaque, a, unit);

        for (unsigned i = 0; i < unit; i++) {
            if (a + i >= addr && a + i < addr + size)
                val |= ((piece >> (8 * i)) & 0xff) << (8 * (a + i - addr));
        }
    }
    return val;
}

static void mmio_write(MemoryRegion *mr, uint64_t addr, uint64_t val,
                       unsigned size)
{
    const MemoryRegionOps *ops = mr->ops;
    unsigned unit = impl_unit(ops, size);

    if (!ops->write)
        return;
    if (unit == size && (addr & (size - 1)) == 0) {
        ops->write(mr->opaque, addr, val, size);
        return;
    }
    for (uint64_t a = addr & ~(uint64_t)(unit - 1); a < addr + size; a += unit) {
        uint64_t piece = 0;

        for (unsigned i = 0; i < unit; i++) {
            if (a + i >= addr && a + i < addr + size)
                piece |= ((val >> (8 * (a + i - addr))) & 0xff) << (8 * i);
        }
        ops->write(mr->opaque, a, piece, unit);
    }
}

static uint64_t bswap_size(uint64_t v, unsigned size)
{
    switch (size) {
    case 2: return __builtin_bswap16((uint16_t)v);
    case 4: return __builtin_bswap32((uint32_t)v);
    case 8: return __builtin_bswap64(v);
    default: return v;
    }
}

static bool ram_in_bounds(MemoryRegion *mr, uint64_t addr, unsigned size)
{
    return size <= mr->size && addr <= mr->size - size;
}

MemTxResult memory_region_dispatch_read(MemoryRegion *mr, uint64_t addr,
                                        uint64_t *val, MemOp op)
{
    unsigned size = memop_size(op);
    uint64_t v = 0;

    if (mr->ram && !mr->ops) {
        if (!ram_in_bounds(mr, addr, size))
            return MEMTX_DECODE_ERROR;
        memcpy(&v, mr->ram_ptr + addr, size);
    } else if (mr->ops) {
        if (!access_valid(mr, addr, size, false))
            return MEMTX_ERROR;
        v = mmio_read(mr, addr, size);
    } else {
        return MEMTX_DECODE_ERROR;
    }
    if (size < 8)
        v &= (1ull << (8 * size)) - 1;
    if (op & MO_BSWAP)
        v = bswap_size(v, size);
    if ((op & MO_SIGN) && size < 8)
        v = (uint64_t)((int64_t)(v << (64 - 8 * size)) >> (64 - 8 * size));
    *val = v;
    return MEMTX_OK;
}

MemTxResult memory_region_dispatch_write(MemoryRegion *mr, uint64_t addr,
                                         uint64_t val, MemOp op)
{
    unsigned size = memop_size(op);

    if (op & MO_BSWAP)
        val = bswap_size(val, size);
    if (size < 8)
        val &= (1ull << (8 * size)) - 1;
    if (mr->ram && !mr->ops) {
        if (!ram_in_bounds(mr, addr, size))
            return MEMTX_DECODE_ERROR;
        if (mr->readonly)
            return MEMTX_OK;
        memcpy(mr->ram_ptr + addr, &val, size);
        check_code_write(mr, addr, size, memory_region_absolute_addr(mr) + addr);
        return MEMTX_OK;
    }
    if (!mr->ops)
        return MEMTX_DECODE_ERROR;
    if (!access_valid(mr, addr, size, true))
        return MEMTX_ERROR;
    mmio_write(mr, addr, val, size);
    return MEMTX_OK;
}

/* ---- Byte-granular accesses ---- */

/* The largest access (<= 8 bytes, <= len) the device may take at addr. */
static unsigned mmio_chunk(MemoryRegion *mr, uint64_t addr, uint64_t len)
{
    unsigned size = 8;

    while (size > 1 && (size > len || size > valid_max(mr->ops) ||
                        (!mr->ops->valid_unaligned && (addr & (size - 1)))))
        size >>= 1;
    return size;
}

static MemTxResult mmio_rw(MemoryRegion *mr, uint64_t addr, uint8_t *buf,
                           uint64_t len, bool is_write)
{
    MemTxResult res = MEMTX_OK;

    while (len > 0) {
        unsigned size = mmio_chunk(mr, addr, len);
        MemOp op = (MemOp)__builtin_ctz(size);
        uint64_t v = 0;
        MemTxResult r;

        if (is_write) {
            memcpy(&v, buf, size);
            r = memory_region_dispatch_write(mr, addr, v, op);
        } else {
            r = memory_region_dispatch_read(mr, addr, &v, op);
            memcpy(buf, &v, size);
        }
        if (res == MEMTX_OK)
            res = r;
        addr += size;
        buf += size;
        len -= size;
    }
    return res;
}

typedef enum { AS_READ, AS_WRITE, AS_WRITE_ROM } AccessKind;

static MemTxResult ram_rw(MemoryRegion *mr, uint64_t off, uint8_t *buf,
                          uint64_t len, AccessKind kind, uint64_t phys)
{
    if (kind == AS_READ) {
        memcpy(buf, mr->ram_ptr + off, len);
    } else if (mr->ops && kind == AS_WRITE) {
        return mmio_rw(mr, off, buf, len, true);    /* a ROM device */
    } else if (!mr->readonly || kind == AS_WRITE_ROM) {
        memcpy(mr->ram_ptr + off, buf, len);
        check_code_write(mr, off, len, phys);
    }
    return MEMTX_OK;
}

static MemTxResult address_space_rw(AddressSpace *as, uint64_t addr,
                                    uint8_t *buf, uint64_t len, AccessKind kind)
{
    MemTxResult res = MEMTX_OK;

    while (len > 0) {
        MemoryRegionSection sec = address_space_lookup(as, addr);
        uint64_t avail = sec.offset_within_as + sec.size - addr;
        uint64_t l = avail == 0 ? 1 : MIN(len, avail);
        MemTxResult r;

        if (!sec.mr) {
            if (kind == AS_READ)
                memset(buf, 0, l);
            r = MEMTX_DECODE_ERROR;
        } else if (sec.mr->ram) {
            r = ram_rw(sec.mr, sec.offset_within_region, buf, l, kind, addr);
        } else if (kind == AS_WRITE_ROM) {
            r = MEMTX_ERROR;     /* loading an image into a device */
        } else {
            r = mmio_rw(sec.mr, sec.offset_within_region, buf, l,
                        kind == AS_WRITE);
        }
        if (res == MEMTX_OK)
            res = r;
        if (addr + l < addr && len > l)
            return res == MEMTX_OK ? MEMTX_DECODE_ERROR : res;
        addr += l;
        buf += l;
        len -= l;
    }
    return res;
}

MemTxResult address_space_read(AddressSpace *as, uint64_t addr, void *buf,
                               uint64_t len)
{
    return address_space_rw(as, addr, buf, len, AS_READ);
}

MemTxResult address_space_write(AddressSpace *as, uint64_t addr,
                                const void *buf, uint64_t len)
{
    return address_space_rw(as, addr, (uint8_t *)buf, len, AS_WRITE);
}

MemTxResult address_space_write_rom(AddressSpace *as, uint64_t addr,
                                    const void *buf, uint64_t len)
{
    return address_space_rw(as, addr, (uint8_t *)buf, len, AS_WRITE_ROM);
}

/* ---- info mtree ---- */

static gint cmp_region_addr(gconstpointer a, gconstpointer b)
{
    const MemoryRegion *x = *(MemoryRegion *const *)a;
    const MemoryRegion *y = *(MemoryRegion *const *)b;

    if (x->addr != y->addr)
        return x->addr < y->addr ? -1 : 1;
    return y->priority - x->priority;
}

static void dump_region(MemoryRegion *mr, uint64_t base, int depth, FILE *f,
                        GPtrArray *aliased)
{
    const char *kind = mr->ram ? (mr->ops ? "romd" : mr->readonly ? "rom" : "ram")
                       : "i/o";    /* QEMU's word for MMIO and containers */
    uint64_t last = mr->size ? base + mr->size - 1 : base;

    if (mr->size > UINT64_MAX - base)
        last = UINT64_MAX;
    fprintf(f, "%*s%016" PRIx64 "-%016" PRIx64 " (prio %d, %s): ",
            2 * depth, "", base, last, mr->priority, kind);
    if (mr->alias) {
        uint64_t a_last = mr->alias_offset + (mr->size ? mr->size - 1 : 0);

        fprintf(f, "alias %s @%s %016" PRIx64 "-%016" PRIx64, mr->name,
                mr->alias->name, mr->alias_offset, a_last);
        if (aliased && !g_ptr_array_find(aliased, mr->alias, NULL))
            g_ptr_array_add(aliased, mr->alias);
    } else {
        fputs(mr->name, f);
    }
    fprintf(f, "%s\n", mr->enabled ? "" : " [disabled]");
    /* By address, then priority, as QEMU prints them. */
    g_autoptr(GPtrArray) subs = g_ptr_array_new();
    for (MemoryRegion *sub = mr->subregions; sub; sub = sub->next_sibling)
        g_ptr_array_add(subs, sub);
    g_ptr_array_sort(subs, cmp_region_addr);
    for (guint i = 0; i < subs->len; i++) {
        MemoryRegion *sub = g_ptr_array_index(subs, i);

        dump_region(sub, base + sub->addr, depth + 1, f, aliased);
    }
}

void memory_region_dump(MemoryRegion *root, FILE *f)
{
    dump_region(root, root->addr, 0, f, NULL);
}

void memory_dump_all(FILE *f)
{
    g_autoptr(GPtrArray) aliased = g_ptr_array_new();

    for (guint i = 0; address_spaces && i < address_spaces->len; i++) {
        AddressSpace *as = g_ptr_array_index(address_spaces, i);

        fprintf(f, "address-space: %s\n", as->name);
        if (as->root)
            dump_region(as->root, 0, 1, f, aliased);
        fputc('\n', f);
    }
    /* A region an alias shows may alias others in turn: the array grows
       while it is walked. */
    for (guint i = 0; i < aliased->len; i++) {
        MemoryRegion *mr = g_ptr_array_index(aliased, i);

        fprintf(f, "memory-region: %s\n", mr->name);
        dump_region(mr, 0, 1, f, aliased);
        fputc('\n', f);
    }
}
