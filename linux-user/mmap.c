/*
 * The guest address space of Linux user mode: one host reservation that
 * holds all of it, the flags of each guest page, and the guest's mmap,
 * munmap, mprotect, mremap, madvise and brk on top.  Guest and host pages
 * are both 4 KiB on most hosts, so a guest mapping is a host mapping placed
 * with MAP_FIXED at g2h(addr), and the host kernel gives most of Linux's
 * semantics (copy-on-write, MADV_DONTNEED zeroing, file offsets) as is;
 * this file chooses addresses, checks arguments as Linux does, keeps the
 * page flags the JIT and the syscalls look at, and puts PROT_NONE reserved
 * memory back wherever a guest mapping goes away, so that nothing of
 * Mimic's own can ever be placed inside the guest space.
 *
 * A host page may be larger than the guest's (16 KiB and 64 KiB ARM64
 * kernels): it then holds several guest pages, perhaps of different
 * mappings, and the host maps and protects it only as a whole.  So
 *  - its protection is the union of what its guest pages allow (a guest
 *    page whose neighbour in the host page is writable can be written
 *    without a fault: QEMU has the same limit), less write while one of
 *    them holds translated code (sync_host);
 *  - a mapping gets the host pages it covers, and those at its ends that
 *    hold no other mapping, from the host directly (a file at an offset
 *    congruent modulo the host page; otherwise anonymous memory with the
 *    file's bytes read in, which a shared mapping cannot be: EINVAL); in a
 *    host page another mapping uses, its part is zeroed or read in place;
 *  - a host page goes back to the reservation when its last guest page
 *    goes.
 * MIMIC_HOST_PAGE_SIZE (guest_set_host_page_size) makes a 4 KiB host act
 * so, for the tests.
 *
 * prot and flags use the host's <sys/mman.h> numbers, which are riscv64's
 * (both use the generic ones); the syscall layer translates a guest whose
 * numbers differ.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <glib.h>
#include <inttypes.h>
#include <string.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "linux-user/user-internal.h"

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif
#ifndef MAP_SHARED_VALIDATE
#define MAP_SHARED_VALIDATE 0x03
#endif

/* Internal page flag: the pages are MAP_SHARED (anonymous or not). */
#define PAGE_SHARED_MAP 0x40
#define PAGE_PROT_MASK (PAGE_READ | PAGE_WRITE | PAGE_EXEC)

/* Linux's default vm.mmap_min_addr: nothing is placed below it. */
#define MMAP_MIN_ADDR 0x10000ull

uintptr_t guest_base;
uint32_t guest_guard;
uint64_t host_page_size = TARGET_PAGE_SIZE;
static uint64_t forced_host_page;

/* A run of pages with the same flags, [start, end); the tree holds the
   mapped runs only, keyed by start, never overlapping. */
typedef struct PageRange {
    uint64_t start, end;
    int flags;
} PageRange;

static const TargetUserInfo *space_target;
static uint64_t space_end;      /* end of the user space */
static uint64_t reserve_size;   /* of the host reservation */
static unsigned reserve_bits;   /* its log2 */
static uint64_t mmap_base;      /* placement goes down from here */
static GRecMutex map_lock;
static GTree *ranges;
/* The guest pages holding translated code (keys: their addresses), which
   the host must not let the guest write without a fault. */
static GTree *code_pages;
static uint64_t brk_start, brk_cur;

__attribute__((weak)) void user_pages_changed(uint64_t start, uint64_t end,
                                              int old_flags_union)
{
}

void mmap_lock(void)
{
    g_rec_mutex_lock(&map_lock);
}

void mmap_unlock(void)
{
    g_rec_mutex_unlock(&map_lock);
}

/* The recursive lock knows its owner by host tid, which a fork child does
   not share with its parent: unlocking would fail, so it starts afresh
   (zeroed, as a static GRecMutex begins; the old one's memory is lost). */
void mmap_fork_child(void)
{
    memset(&map_lock, 0, sizeof(map_lock));
}

static gint range_cmp(gconstpointer a, gconstpointer b, gpointer unused)
{
    const PageRange *ra = a, *rb = b;

    return ra->start < rb->start ? -1 : ra->start > rb->start;
}

/* Search function of g_tree_search_node: the run holding *addr. */
static gint range_holds(gconstpointer key, gconstpointer data)
{
    const PageRange *r = key;
    uint64_t addr = *(const uint64_t *)data;

    if (addr < r->start)
        return -1;
    return addr >= r->end;
}

/* One guard (inaccessible, never to be mapped by anyone else) at a fixed
   place; false if something is there already. */
static bool map_guard(uintptr_t at, size_t len)
{
    void *p = mmap((void *)at, len, PROT_NONE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE |
                       MAP_FIXED_NOREPLACE, -1, 0);

    if (p == MAP_FAILED)
        return false;
    if (p != (void *)at) {          /* a kernel before 4.17: only a hint */
        munmap(p, len);
        return false;
    }
    return true;
}

/* The guards on both sides of the reservation at guest_base, or none:
   twice GUEST_GUARD below (an access may skip its check after one at the
   same base that wrapped below 0: tcg/regalloc.c, checked_base). */
static bool map_guards(void)
{
    uintptr_t below = guest_base - 2 * GUEST_GUARD;
    uintptr_t above = guest_base + reserve_size;

    if (guest_base < 2 * GUEST_GUARD || !map_guard(below, 2 * GUEST_GUARD))
        return false;
    if (!map_guard(above, GUEST_GUARD)) {
        munmap((void *)below, 2 * GUEST_GUARD);
        return false;
    }
    return true;
}

static gint addr_cmp(gconstpointer a, gconstpointer b, gpointer unused)
{
    uintptr_t x = (uintptr_t)a, y = (uintptr_t)b;

    return x < y ? -1 : x > y;
}

bool guest_set_host_page_size(uint64_t size, char **err)
{
    long real = sysconf(_SC_PAGESIZE);

    if ((size & (size - 1)) || size < (uint64_t)real ||
        size < TARGET_PAGE_SIZE || size > GUEST_GUARD) {
        *err = g_strdup_printf("host page size %" PRIu64 ": not a power of "
                               "two from the host's %ld to %u", size,
                               MAX(real, (long)TARGET_PAGE_SIZE),
                               GUEST_GUARD);
        return false;
    }
    forced_host_page = size;
    return true;
}

bool guest_space_init(const TargetUserInfo *t, unsigned space_bits,
                      char **err)
{
    long real = sysconf(_SC_PAGESIZE);

    if (real < (long)TARGET_PAGE_SIZE || real > (long)GUEST_GUARD ||
        (real & (real - 1))) {
        *err = g_strdup_printf("host page size %ld is not supported "
                               "(4096 to %u)", real, GUEST_GUARD);
        return false;
    }
    host_page_size = forced_host_page ? forced_host_page : (uint64_t)real;
    if (t->reserve_bits == 0) {
        *err = g_strdup("a guest space without a host reservation "
                        "(guest_base 0) is not supported yet");
        return false;
    }
    if (!space_bits || space_bits > t->space_bits)
        space_bits = t->space_bits;
    reserve_bits = t->reserve_bits - (t->space_bits - space_bits);
    reserve_size = 1ull << reserve_bits;
    /* At host address reserve_size if it is free: guest_base is then also
       the first address past the space, and generated code checks an
       access against the one register holding both (tcg/x86_64/ldst.c). */
    void *p = mmap((void *)(uintptr_t)reserve_size, reserve_size, PROT_NONE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE |
                       MAP_FIXED_NOREPLACE, -1, 0);
    if (p != MAP_FAILED && p != (void *)(uintptr_t)reserve_size) {
        munmap(p, reserve_size);   /* a kernel before 4.17: only a hint */
        p = MAP_FAILED;
    }
    if (p == MAP_FAILED)
        p = mmap(NULL, reserve_size, PROT_NONE,
                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED) {
        *err = g_strdup_printf("cannot reserve %" PRIu64 " GiB for the guest "
                               "address space: %s", reserve_size >> 30,
                               g_strerror(errno));
        return false;
    }
    guest_base = (uintptr_t)p;
    guest_guard = map_guards() ? GUEST_GUARD : 0;
    space_target = t;
    space_end = 1ull << space_bits;
    /* As Linux's mmap_base: below the stack and a gap for its growth of
       at least 128 MiB, at most 5/6 of the space. */
    uint64_t gap = t->default_stack_size + (1ull << 20);
    gap = MAX(gap, 128ull << 20);
    gap = MIN(gap, space_end / 6 * 5);
    mmap_base = (space_end - gap) & ~(host_page_size - 1);
    ranges = g_tree_new_full(range_cmp, NULL, g_free, NULL);
    code_pages = g_tree_new_full(addr_cmp, NULL, NULL, NULL);
    brk_start = brk_cur = 0;
    return true;
}

void guest_space_fini(void)
{
    if (!ranges)
        return;
    munmap((void *)guest_base, reserve_size);
    if (guest_guard) {
        munmap((void *)(guest_base - 2 * guest_guard), 2 * guest_guard);
        munmap((void *)(guest_base + reserve_size), guest_guard);
        guest_guard = 0;
    }
    g_tree_destroy(ranges);
    ranges = NULL;
    g_tree_destroy(code_pages);
    code_pages = NULL;
    guest_base = 0;
    space_target = NULL;
}

uint64_t guest_space_end(void)
{
    return space_end;
}

unsigned guest_reserve_bits(void)
{
    return reserve_bits;
}

uint64_t guest_et_dyn_base(void)
{
    if (space_target->et_dyn_base < space_end / 3 * 2 + TARGET_PAGE_SIZE)
        return space_target->et_dyn_base;
    return (space_end / 3 * 2) & TARGET_PAGE_MASK;
}

const TargetUserInfo *guest_target(void)
{
    return space_target;
}

bool guest_range_valid(uint64_t addr, uint64_t len)
{
    return addr <= space_end && len <= space_end - addr;
}

/* The first run that ends after addr, or NULL. */
static GTreeNode *first_run_from(uint64_t addr)
{
    GTreeNode *n = g_tree_search_node(ranges, range_holds, &addr);

    if (!n) {
        PageRange key = { .start = addr };
        n = g_tree_lower_bound(ranges, &key);
    }
    return n;
}

/* The last run that starts below addr, or NULL. */
static GTreeNode *last_run_below(uint64_t addr)
{
    PageRange key = { .start = addr };
    GTreeNode *n = g_tree_lower_bound(ranges, &key);

    return n ? g_tree_node_previous(n) : g_tree_node_last(ranges);
}

static void insert_run(uint64_t start, uint64_t end, int flags)
{
    PageRange *r = g_new(PageRange, 1);

    *r = (PageRange){ start, end, flags };
    g_tree_insert(ranges, r, r);
}

/* Gives [start, end) the flags (0: unmapped), splitting the runs it cuts. */
static void set_flags(uint64_t start, uint64_t end, int flags)
{
    GPtrArray *hit = g_ptr_array_new();

    for (GTreeNode *n = first_run_from(start); n; n = g_tree_node_next(n)) {
        PageRange *r = g_tree_node_value(n);
        if (r->start >= end)
            break;
        g_ptr_array_add(hit, r);
    }
    for (guint i = 0; i < hit->len; i++) {
        PageRange r = *(PageRange *)hit->pdata[i];
        g_tree_remove(ranges, hit->pdata[i]);
        if (r.start < start)
            insert_run(r.start, start, r.flags);
        if (r.end > end)
            insert_run(end, r.end, r.flags);
    }
    g_ptr_array_free(hit, true);
    if (flags & PAGE_VALID)
        insert_run(start, end, flags);
}

/* The union of the flags of [start, end); *holes says whether some page
   of it is unmapped. */
static int flags_union(uint64_t start, uint64_t end, bool *holes)
{
    int u = 0;
    uint64_t at = start;

    for (GTreeNode *n = first_run_from(start); n; n = g_tree_node_next(n)) {
        PageRange *r = g_tree_node_value(n);
        if (r->start >= end)
            break;
        if (r->start > at)
            *holes = true;
        u |= r->flags;
        at = r->end;
    }
    if (at < end)
        *holes = true;
    return u;
}

void page_for_each_run(void (*fn)(uint64_t start, uint64_t end, int flags,
                                  void *opaque),
                       void *opaque)
{
    mmap_lock();
    for (GTreeNode *n = ranges ? g_tree_node_first(ranges) : NULL; n;
         n = g_tree_node_next(n)) {
        PageRange *r = g_tree_node_value(n);
        fn(r->start, r->end, r->flags, opaque);
    }
    mmap_unlock();
}

void target_brk_range(uint64_t *start, uint64_t *end)
{
    mmap_lock();
    *start = brk_start;
    *end = TARGET_PAGE_ALIGN(brk_cur);
    mmap_unlock();
}

int page_get_flags(uint64_t addr)
{
    mmap_lock();
    GTreeNode *n = ranges ? g_tree_search_node(ranges, range_holds, &addr)
                          : NULL;
    int flags = n ? ((PageRange *)g_tree_node_value(n))->flags : 0;
    mmap_unlock();
    return flags & (PAGE_PROT_MASK | PAGE_VALID | PAGE_ANON);
}

int page_check_range(uint64_t addr, uint64_t len, int flags)
{
    if (len == 0)
        return 0;
    if (addr + len < addr)
        return -1;
    uint64_t start = addr & TARGET_PAGE_MASK;
    uint64_t end = TARGET_PAGE_ALIGN(addr + len);
    int ret = 0;
    uint64_t at = start;

    mmap_lock();
    for (GTreeNode *n = first_run_from(start); n && at < end;
         n = g_tree_node_next(n)) {
        PageRange *r = g_tree_node_value(n);
        if (r->start > at || (r->flags & flags) != flags)
            break;
        at = r->end;
    }
    if (at < end)
        ret = -1;
    mmap_unlock();
    return ret;
}

/* The host protection for guest prot: guest code is read by the
   translator, never run by the host, so EXEC becomes READ. */
static int host_prot(int prot)
{
    int hp = prot & (PROT_READ | PROT_WRITE);

    if (prot & PROT_EXEC)
        hp |= PROT_READ;
    return hp;
}

/* ---- Host pages (see the top of the file) ---- */

static uint64_t hp_down(uint64_t a)
{
    return a & ~(host_page_size - 1);
}

static uint64_t hp_up(uint64_t a)
{
    return (a + host_page_size - 1) & ~(host_page_size - 1);
}

static gpointer addr_key(uint64_t a)
{
    return (gpointer)(uintptr_t)a;
}

/* The first guest page of [start, end) holding translated code, or
   UINT64_MAX. */
static uint64_t first_code(uint64_t start, uint64_t end)
{
    GTreeNode *n = g_tree_lower_bound(code_pages, addr_key(start));
    uint64_t a = n ? (uintptr_t)g_tree_node_key(n) : UINT64_MAX;

    return a < end ? a : UINT64_MAX;
}

/* The union of the host protections of the guest pages mapped in
   [start, end); *mapped says whether there is one. */
static int union_prot(uint64_t start, uint64_t end, bool *mapped)
{
    int prot = 0;

    *mapped = false;
    for (GTreeNode *n = first_run_from(start); n; n = g_tree_node_next(n)) {
        PageRange *r = g_tree_node_value(n);
        if (r->start >= end)
            break;
        prot |= host_prot(r->flags & PAGE_PROT_MASK);
        *mapped = true;
    }
    return prot;
}

/* The flags of guest page addr (0: unmapped), mmap_lock held. */
static int flags_at(uint64_t addr)
{
    GTreeNode *n = g_tree_search_node(ranges, range_holds, &addr);

    return n ? ((PageRange *)g_tree_node_value(n))->flags : 0;
}

/* Whether a guest page of [start, end) that the guest may write holds
   translated code.  Code in pages it cannot write needs no trap (a change
   of protection drops it: user_pages_changed), and must not cost the
   data next to it in a larger host page a fault per store. */
static bool writable_code_in(uint64_t start, uint64_t end)
{
    GTreeNode *n = g_tree_lower_bound(code_pages, addr_key(start));

    for (; n; n = g_tree_node_next(n)) {
        uint64_t a = (uintptr_t)g_tree_node_key(n);
        if (a >= end)
            break;
        if (flags_at(a) & PAGE_WRITE)
            return true;
    }
    return false;
}

/* The protection host page hp needs; *mapped as union_prot's. */
static int host_page_prot(uint64_t hp, bool *mapped)
{
    int prot = union_prot(hp, hp + host_page_size, mapped);

    if ((prot & PROT_WRITE) && writable_code_in(hp, hp + host_page_size))
        prot &= ~PROT_WRITE;
    return prot;
}

/* The host reservation again over host pages [start, end): their memory
   goes, the address range stays ours. */
static void reserve_host(uint64_t start, uint64_t end)
{
    mmap(g2h(start), end - start, PROT_NONE,
         MAP_FIXED | MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
}

/*
 * Makes the host side of every host page meeting [start, end) follow the
 * page flags and the code marks: the protection host_page_prot gives, or
 * the reservation for a host page with no guest page left.  Whole host
 * pages inside one run (or one hole) take one call.  -errno of the first
 * mprotect that failed, or 0.
 */
static int sync_host(uint64_t start, uint64_t end)
{
    uint64_t at = hp_down(start), stop = hp_up(end);
    int ret = 0;

    while (at < stop) {
        GTreeNode *n = g_tree_search_node(ranges, range_holds, &at);
        PageRange *r = n ? g_tree_node_value(n) : NULL;
        uint64_t to;

        if (r) {
            to = MIN(hp_down(r->end), stop);
            uint64_t c = (r->flags & PAGE_WRITE) ? first_code(at, to)
                                                  : UINT64_MAX;
            if (c != UINT64_MAX)
                to = hp_down(c);
            if (to > at) {
                if (mprotect(g2h(at), to - at,
                             host_prot(r->flags & PAGE_PROT_MASK)) && !ret)
                    ret = -errno;
                at = to;
                continue;
            }
        } else {
            n = first_run_from(at);
            to = n ? ((PageRange *)g_tree_node_value(n))->start : stop;
            to = MIN(hp_down(to), stop);
            if (to > at) {
                reserve_host(at, to);
                at = to;
                continue;
            }
        }
        /* Runs meet in this host page, or it holds code. */
        bool mapped;
        int prot = host_page_prot(at, &mapped);
        if (!mapped)
            reserve_host(at, at + host_page_size);
        else if (mprotect(g2h(at), host_page_size, prot) && !ret)
            ret = -errno;
        at += host_page_size;
    }
    return ret;
}

/* Unmaps [start, end) for the guest: its flags go, and the host pages
   with nothing else in them go back to the reservation. */
static void release(uint64_t start, uint64_t end)
{
    set_flags(start, end, 0);
    sync_host(start, end);
}

/* Reads len bytes of fd at off into host memory dst; zeros past the end
   of the file.  -errno or 0. */
static int read_in(int fd, int64_t off, void *dst, uint64_t len)
{
    uint8_t *p = dst;

    while (len) {
        ssize_t n = pread(fd, p, len, off);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -errno;
        if (n == 0)
            break;
        p += n;
        off += n;
        len -= (uint64_t)n;
    }
    memset(p, 0, len);
    return 0;
}

/* Makes host pages [start, end) writable for Mimic's own write, which a
   sync_host over them undoes. */
static void host_writable(uint64_t start, uint64_t end)
{
    mprotect(g2h(hp_down(start)), hp_up(end) - hp_down(start),
             PROT_READ | PROT_WRITE);
}

/* Fills guest [start, end) in place, inside host pages that other
   mappings share: zeros, or fd's bytes from off. */
static int fill_in_place(uint64_t start, uint64_t end, int fd, int64_t off)
{
    host_writable(start, end);
    if (fd < 0) {
        memset(g2h(start), 0, end - start);
        return 0;
    }
    return read_in(fd, off, g2h(start), end - start);
}

bool page_set_code(uint64_t page, bool on)
{
    bool mapped;

    mmap_lock();
    if (!ranges) {
        mmap_unlock();
        return false;
    }
    if (on)
        g_tree_insert(code_pages, addr_key(page), addr_key(page));
    else
        g_tree_remove(code_pages, addr_key(page));
    uint64_t hp = hp_down(page);
    /* Only write permission depends on code. */
    if (union_prot(hp, hp + host_page_size, &mapped) & PROT_WRITE)
        mprotect(g2h(hp), host_page_size, host_page_prot(hp, &mapped));
    mmap_unlock();
    return true;
}

bool page_unprotect(uint64_t addr)
{
    uint64_t hp = hp_down(addr);
    bool mapped, ok;

    mmap_lock();
    if (writable_code_in(hp, hp + host_page_size))
        user_pages_changed(hp, hp + host_page_size, PAGE_EXEC);
    int prot = host_page_prot(hp, &mapped);
    ok = mapped && (prot & PROT_WRITE) &&
         mprotect(g2h(hp), host_page_size, prot) == 0;
    mmap_unlock();
    return ok;
}

void page_unprotect_range(uint64_t addr, uint64_t len)
{
    uint64_t start = hp_down(addr), end = hp_up(addr + len);

    mmap_lock();
    if (ranges && writable_code_in(start, end)) {
        user_pages_changed(start, end, PAGE_EXEC);
        sync_host(start, end);
    }
    mmap_unlock();
}

int page_write_force(uint64_t addr, const void *buf, uint64_t len)
{
    if (len == 0)
        return 0;
    mmap_lock();
    if (!guest_range_valid(addr, len) ||
        page_check_range(addr, len, PAGE_VALID) != 0) {
        mmap_unlock();
        return -1;
    }
    uint64_t start = addr & TARGET_PAGE_MASK;
    uint64_t end = TARGET_PAGE_ALIGN(addr + len);
    if (first_code(start, end) != UINT64_MAX)
        user_pages_changed(start, end, PAGE_EXEC);
    host_writable(start, end);
    if (buf)
        memcpy(g2h(addr), buf, len);
    else
        memset(g2h(addr), 0, len);
    sync_host(start, end);
    mmap_unlock();
    return 0;
}

/* Tells the JIT when pages that held code change. */
static void notify_if_exec(uint64_t start, uint64_t end, int old_union)
{
    if (old_union & PAGE_EXEC)
        user_pages_changed(start, end, old_union);
}

/* The highest len bytes free inside [lo, hi) in host pages of their own
   (len a multiple of the host page), or 0 if none. */
static uint64_t find_gap_down(uint64_t len, uint64_t lo, uint64_t hi)
{
    uint64_t end = hi;

    for (GTreeNode *n = last_run_below(end);; n = g_tree_node_previous(n)) {
        PageRange *r = n ? g_tree_node_value(n) : NULL;
        uint64_t floor = hp_up(r ? MAX(r->end, lo) : lo);
        uint64_t top = hp_down(end);
        if (top > floor && top - floor >= len)
            return top - len;
        if (!r || r->start <= lo)
            return 0;
        end = MIN(end, r->start);
    }
}

/* Where a mapping of len bytes goes without MAP_FIXED: at the hint if it
   is free, else top-down below mmap_base, else anywhere in the space. */
static uint64_t place_mapping(uint64_t hint, uint64_t len)
{
    bool holes = false;

    hint = TARGET_PAGE_ALIGN(hint);
    if (hint >= MMAP_MIN_ADDR && guest_range_valid(hint, len) &&
        (flags_union(hint, hint + len, &holes) & PAGE_VALID) == 0)
        return hint;
    len = hp_up(len);
    uint64_t a = find_gap_down(len, MMAP_MIN_ADDR, mmap_base);
    if (!a)
        a = find_gap_down(len, MMAP_MIN_ADDR, space_end);
    return a;
}

/* Host flags of a guest mmap: what the host can honour inside our
   reservation (no GROWSDOWN stack, no huge pages at arbitrary places). */
static int host_map_flags(int flags)
{
    return (flags & (MAP_TYPE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_POPULATE |
                     MAP_LOCKED | MAP_NONBLOCK | MAP_SYNC)) | MAP_FIXED;
}

/* The checks of Linux's mmap before any change, -errno or 0. */
static int check_mmap_args(uint64_t addr, uint64_t len, int prot, int flags,
                           int64_t offset)
{
    int type = flags & MAP_TYPE;

    if (type != MAP_SHARED && type != MAP_PRIVATE &&
        type != MAP_SHARED_VALIDATE)
        return -EINVAL;
    if (prot & ~PAGE_PROT_MASK)
        return -EINVAL;
    if (len == 0 || (offset & ~TARGET_PAGE_MASK))
        return -EINVAL;
    if (TARGET_PAGE_ALIGN(len) == 0 || TARGET_PAGE_ALIGN(len) > space_end)
        return -ENOMEM;
    if (!(flags & MAP_ANONYMOUS) &&
        (uint64_t)offset + TARGET_PAGE_ALIGN(len) < (uint64_t)offset)
        return -EOVERFLOW;
    if (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) {
        if (addr & ~TARGET_PAGE_MASK)
            return -EINVAL;
        if (!guest_range_valid(addr, TARGET_PAGE_ALIGN(len)))
            return -ENOMEM;
    }
    return 0;
}

/*
 * The host side of a new mapping of guest [addr, end) (see the top of the
 * file); the page flags are the caller's.  -errno or 0; on failure the
 * pages of the range may have lost their old contents.
 */
static int map_host(uint64_t addr, uint64_t end, int prot, int flags, int fd,
                    int64_t off)
{
    uint64_t hs = hp_down(addr), he = hp_up(end), hps = host_page_size;
    bool anon = flags & MAP_ANONYMOUS;
    bool shared = (flags & MAP_TYPE) != MAP_PRIVATE;
    bool holes = false;
    /* Other mappings in the host pages at the ends (the old pages of the
       range are being replaced: they do not count). */
    int lo = hs < addr ? flags_union(hs, addr, &holes) : 0;
    int hi = end < he ? flags_union(end, he, &holes) : 0;
    uint64_t d0 = (lo & PAGE_VALID) ? hs + hps : hs;
    uint64_t d1 = (hi & PAGE_VALID) ? he - hps : he;

    if ((shared && ((lo | hi) & PAGE_VALID)) || ((lo | hi) & PAGE_SHARED_MAP))
        return -EINVAL;         /* cannot share a host page */
    if (d0 < d1) {
        /* Mapped by the host below split, read in from there on. */
        uint64_t split = d1;
        int64_t hoff = off - (int64_t)(addr - d0);

        if (!anon && (((addr - (uint64_t)off) & (hps - 1)) || hoff < 0)) {
            if (shared)
                return -EINVAL;
            split = d0;
        }
        if (!anon && (split < d1 || (!shared && hps > TARGET_PAGE_SIZE))) {
            struct stat st;
            if (fstat(fd, &st) != 0)
                return -errno;
            if (split < d1 && !S_ISREG(st.st_mode))
                return -EINVAL;
            /* The host page holding the file's end is read in too: on a
               host whose real pages are smaller (the tests' forced host
               page), the part of it past the end would fault. */
            if (split == d1 && S_ISREG(st.st_mode)) {
                uint64_t eof = addr + (st.st_size > off ?
                                       (uint64_t)(st.st_size - off) : 0);
                split = MAX(d0, MIN(d1, hp_down(eof)));
            }
            if (split < d1 && (fcntl(fd, F_GETFL) & O_ACCMODE) == O_WRONLY)
                return -EACCES;
        }
        if (split > d0 &&
            mmap(g2h(d0), split - d0, host_prot(prot), host_map_flags(flags),
                 anon ? -1 : fd, anon ? 0 : hoff) == MAP_FAILED)
            return -errno;
        if (split < d1) {
            if (mmap(g2h(split), d1 - split, PROT_READ | PROT_WRITE,
                     MAP_FIXED | MAP_PRIVATE | MAP_ANONYMOUS, -1,
                     0) == MAP_FAILED)
                return -errno;
            uint64_t s = MAX(addr, split), e = MIN(end, d1);
            int ret = read_in(fd, off + (int64_t)(s - addr), g2h(s), e - s);
            if (ret)
                return ret;
        }
    }
    /* The parts in host pages another mapping uses. */
    for (int i = 0; i < 2; i++) {
        uint64_t hp = i ? he - hps : hs;
        if (!((i ? hi : lo) & PAGE_VALID) || (i && (lo & PAGE_VALID) &&
                                              hp == hs))
            continue;
        uint64_t s = MAX(addr, hp), e = MIN(end, hp + hps);
        int ret = fill_in_place(s, e, anon ? -1 : fd,
                                off + (int64_t)(s - addr));
        if (ret)
            return ret;
    }
    return 0;
}

int64_t target_mmap(uint64_t addr, uint64_t len, int prot, int flags,
                    int fd, int64_t offset)
{
    int ret = check_mmap_args(addr, len, prot, flags, offset);
    if (ret)
        return ret;
    len = TARGET_PAGE_ALIGN(len);

    mmap_lock();
    if (!(flags & (MAP_FIXED | MAP_FIXED_NOREPLACE))) {
        addr = place_mapping(addr, len);
        if (!addr) {
            mmap_unlock();
            return -ENOMEM;
        }
    }
    bool holes = false;
    int old = flags_union(addr, addr + len, &holes);
    if (!(flags & MAP_FIXED) && (old & PAGE_VALID)) {
        /* MAP_FIXED_NOREPLACE over a mapping (MAP_FIXED wins if both). */
        mmap_unlock();
        return -EEXIST;
    }
    ret = map_host(addr, addr + len, prot, flags,
                   (flags & MAP_ANONYMOUS) ? -1 : fd, offset);
    if (ret) {
        /* A failed MAP_FIXED may have taken the old pages away; where
           there was nothing, make sure the reservation is whole. */
        if (!(old & PAGE_VALID))
            sync_host(addr, addr + len);
        mmap_unlock();
        return ret;
    }
    int pf = prot | PAGE_VALID;
    if (flags & MAP_ANONYMOUS)
        pf |= PAGE_ANON;
    if ((flags & MAP_TYPE) != MAP_PRIVATE)
        pf |= PAGE_SHARED_MAP;
    set_flags(addr, addr + len, pf);
    /* The direct part has its protection already, unless host pages are
       shared. */
    if (host_page_size != TARGET_PAGE_SIZE)
        sync_host(addr, addr + len);
    notify_if_exec(addr, addr + len, old);
    mmap_unlock();
    return addr;
}

/* The checks of munmap/mprotect/madvise on [addr, addr+len), with len
   rounded up to pages in *end. */
static int check_range_args(uint64_t addr, uint64_t len, uint64_t *end,
                            int bad_range_errno)
{
    if (addr & ~TARGET_PAGE_MASK)
        return -EINVAL;
    uint64_t alen = TARGET_PAGE_ALIGN(len);
    if (alen < len || !guest_range_valid(addr, alen))
        return -bad_range_errno;
    *end = addr + alen;
    return 0;
}

int target_munmap(uint64_t addr, uint64_t len)
{
    uint64_t end;
    int ret = check_range_args(addr, len, &end, EINVAL);

    if (ret)
        return ret;
    if (len == 0)
        return -EINVAL;
    mmap_lock();
    bool holes = false;
    int old = flags_union(addr, end, &holes);
    if (old & PAGE_VALID)
        release(addr, end);
    notify_if_exec(addr, end, old);
    mmap_unlock();
    return 0;
}

int target_mprotect(uint64_t addr, uint64_t len, int prot)
{
    uint64_t end;
    int ret = check_range_args(addr, len, &end, ENOMEM);

    if (ret)
        return ret;
    if (prot & ~PAGE_PROT_MASK)
        return -EINVAL;
    if (len == 0)
        return 0;
    mmap_lock();
    bool holes = false;
    int old = flags_union(addr, end, &holes);
    if (holes) {
        mmap_unlock();
        return -ENOMEM;
    }
    /* Each run keeps its kind (anonymous, shared), takes the new prot;
       the old runs come back if the host refuses (a read-only file
       mapped shared cannot become writable). */
    GArray *runs = g_array_new(false, false, sizeof(PageRange));
    for (GTreeNode *n = first_run_from(addr); n; n = g_tree_node_next(n)) {
        PageRange r = *(PageRange *)g_tree_node_value(n);
        if (r.start >= end)
            break;
        r.start = MAX(r.start, addr);
        r.end = MIN(r.end, end);
        g_array_append_val(runs, r);
    }
    for (guint i = 0; i < runs->len; i++) {
        PageRange *r = &g_array_index(runs, PageRange, i);
        set_flags(r->start, r->end, (r->flags & ~PAGE_PROT_MASK) | prot);
    }
    ret = sync_host(addr, end);
    if (ret) {
        for (guint i = 0; i < runs->len; i++) {
            PageRange *r = &g_array_index(runs, PageRange, i);
            set_flags(r->start, r->end, r->flags);
        }
        sync_host(addr, end);
        g_array_free(runs, true);
        mmap_unlock();
        return ret;
    }
    g_array_free(runs, true);
    if ((old & PAGE_PROT_MASK) != prot)
        notify_if_exec(addr, end, old);
    mmap_unlock();
    return 0;
}

/* Whether a is a multiple of the host page. */
static bool host_aligned(uint64_t a)
{
    return (a & (host_page_size - 1)) == 0;
}

/* Grows the mapping at [addr, addr+old_len) in place to new_len bytes;
   the pages after it are free.  -errno or 0. */
static int grow_in_place(uint64_t addr, uint64_t old_len, uint64_t new_len,
                         int flags)
{
    uint64_t tail = addr + old_len, tail_len = new_len - old_len;

    if ((flags & PAGE_ANON) && !(flags & PAGE_SHARED_MAP)) {
        /* Private anonymous memory: a new anonymous tail is the same. */
        return map_host(tail, tail + tail_len, flags & PAGE_PROT_MASK,
                        MAP_FIXED | MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    }
    /* A file or shared mapping must grow as itself, by the host's mremap,
       which wants whole host pages and the tail free: the reservation
       leaves it for a moment (a host mapping of another thread could land
       there in between; the mremap then fails and the guest sees
       ENOMEM). */
    if (!host_aligned(addr) || !host_aligned(old_len) ||
        !host_aligned(new_len))
        return -ENOMEM;
    munmap(g2h(tail), tail_len);
    if (mremap(g2h(addr), old_len, new_len, 0) == MAP_FAILED) {
        int ret = -errno;
        void *p = mmap(g2h(tail), tail_len, PROT_NONE,
                       MAP_FIXED_NOREPLACE | MAP_PRIVATE | MAP_ANONYMOUS |
                       MAP_NORESERVE, -1, 0);
        (void)p;
        return ret;
    }
    return 0;
}

/* Moves [old, old+old_len) to new_addr, new_len bytes long, and puts the
   reservation back where it was: by the host's mremap where both are
   whole host pages, else (private mappings only) as a copy into new
   anonymous memory.  -errno or 0. */
static int move_mapping(uint64_t old, uint64_t old_len, uint64_t new_len,
                        uint64_t new_addr, int flags)
{
    if (host_aligned(old) && host_aligned(old_len) && host_aligned(new_len) &&
        host_aligned(new_addr)) {
        void *p = mremap(g2h(old), old_len, new_len,
                         MREMAP_MAYMOVE | MREMAP_FIXED, g2h(new_addr));
        if (p == MAP_FAILED)
            return -errno;
        /* The host unmapped the old range: reserve it again at once. */
        release(old, old + old_len);
        set_flags(new_addr, new_addr + new_len, flags);
        return 0;
    }
    if (flags & PAGE_SHARED_MAP)
        return -EINVAL;
    int ret = map_host(new_addr, new_addr + new_len, PROT_READ | PROT_WRITE,
                       MAP_FIXED | MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (ret)
        return ret;
    host_writable(new_addr, new_addr + new_len);
    host_writable(old, old + old_len);      /* readable, whatever the guest's */
    memcpy(g2h(new_addr), g2h(old), MIN(old_len, new_len));
    set_flags(new_addr, new_addr + new_len,
              (flags & ~PAGE_SHARED_MAP) | PAGE_ANON);
    sync_host(new_addr, new_addr + new_len);
    release(old, old + old_len);
    return 0;
}

static int64_t mremap_locked(uint64_t old, uint64_t old_len, uint64_t new_len,
                             int mflags, uint64_t new_addr)
{
    bool holes = false;
    int old_flags = flags_union(old, old + old_len, &holes);

    if (holes)
        return -EFAULT;
    if (mflags & MREMAP_FIXED) {
        if ((new_addr & ~TARGET_PAGE_MASK) ||
            !guest_range_valid(new_addr, new_len) ||
            (new_addr < old + old_len && old < new_addr + new_len))
            return -EINVAL;
        bool h = false;
        int replaced = flags_union(new_addr, new_addr + new_len, &h);
        int ret = move_mapping(old, old_len, new_len, new_addr, old_flags);
        if (ret)
            return ret;
        notify_if_exec(new_addr, new_addr + new_len, replaced);
        notify_if_exec(old, old + old_len, old_flags);
        return new_addr;
    }
    if (new_len <= old_len) {
        if (new_len < old_len) {
            release(old + new_len, old + old_len);
            notify_if_exec(old + new_len, old + old_len, old_flags);
        }
        return old;
    }
    holes = false;
    if (guest_range_valid(old, new_len) &&
        !(flags_union(old + old_len, old + new_len, &holes) & PAGE_VALID)) {
        int ret = grow_in_place(old, old_len, new_len, old_flags);
        if (ret == 0) {
            set_flags(old + old_len, old + new_len, old_flags);
            if (host_page_size != TARGET_PAGE_SIZE)
                sync_host(old + old_len, old + new_len);
            return old;
        }
    }
    if (!(mflags & MREMAP_MAYMOVE))
        return -ENOMEM;
    uint64_t to = place_mapping(0, new_len);
    if (!to)
        return -ENOMEM;
    int ret = move_mapping(old, old_len, new_len, to, old_flags);
    if (ret)
        return ret;
    notify_if_exec(old, old + old_len, old_flags);
    return to;
}

int64_t target_mremap(uint64_t old_addr, uint64_t old_len, uint64_t new_len,
                      int flags, uint64_t new_addr)
{
    /* MREMAP_DONTUNMAP and old_len 0 (a second view of a shared mapping)
       are not done: EINVAL. */
    if (flags & ~(MREMAP_MAYMOVE | MREMAP_FIXED))
        return -EINVAL;
    if ((flags & MREMAP_FIXED) && !(flags & MREMAP_MAYMOVE))
        return -EINVAL;
    if (old_addr & ~TARGET_PAGE_MASK)
        return -EINVAL;
    uint64_t olen = TARGET_PAGE_ALIGN(old_len);
    uint64_t nlen = TARGET_PAGE_ALIGN(new_len);
    if (olen == 0 || nlen == 0 || nlen < new_len || olen < old_len)
        return -EINVAL;
    if (!guest_range_valid(old_addr, olen))
        return -EFAULT;
    mmap_lock();
    int64_t ret = mremap_locked(old_addr, olen, nlen, flags, new_addr);
    mmap_unlock();
    return ret;
}

/* Advice the host is given as is; the rest is refused. */
static bool advice_known(int advice)
{
    switch (advice) {
    case MADV_NORMAL: case MADV_RANDOM: case MADV_SEQUENTIAL:
    case MADV_WILLNEED: case MADV_DONTNEED: case MADV_FREE:
    case MADV_REMOVE: case MADV_DONTFORK: case MADV_DOFORK:
    case MADV_MERGEABLE: case MADV_UNMERGEABLE: case MADV_HUGEPAGE:
    case MADV_NOHUGEPAGE: case MADV_DONTDUMP: case MADV_DODUMP:
    case MADV_WIPEONFORK: case MADV_KEEPONFORK: case MADV_COLD:
    case MADV_PAGEOUT:
        return true;
    }
    return false;
}

int target_madvise(uint64_t addr, uint64_t len, int advice)
{
    uint64_t end;
    int ret = check_range_args(addr, len, &end, EINVAL);

    if (ret)
        return ret;
    if (!advice_known(advice))
        return -EINVAL;
    if (len == 0)
        return 0;
    mmap_lock();
    /* The host's madvise over the mapped runs has the guest's meaning
       (DONTNEED zeroes private anonymous pages and rereads private file
       pages); holes are ENOMEM as on Linux, after the mapped parts.  The
       host only takes whole host pages: in a part of one, discarding
       private anonymous memory is zeroing it, and other advice is
       dropped (a private file page keeps its contents). */
    bool holes = false, discard = advice == MADV_DONTNEED ||
                                  advice == MADV_REMOVE;
    bool partial = false;
    int old = flags_union(addr, end, &holes);
    for (GTreeNode *n = first_run_from(addr); n; n = g_tree_node_next(n)) {
        PageRange *r = g_tree_node_value(n);
        if (r->start >= end)
            break;
        uint64_t s = MAX(r->start, addr), e = MIN(r->end, end);
        uint64_t hs = MIN(hp_up(s), e), he = MAX(hp_down(e), hs);
        if (he > hs && madvise(g2h(hs), he - hs, advice) != 0 && ret == 0)
            ret = -errno;
        if ((s < hs || he < e) && discard && (r->flags & PAGE_ANON) &&
            !(r->flags & PAGE_SHARED_MAP)) {
            if (s < hs)
                fill_in_place(s, hs, -1, 0);
            if (he < e)
                fill_in_place(he, e, -1, 0);
            partial = true;
        }
    }
    if (partial)
        sync_host(addr, end);
    if (advice == MADV_DONTNEED || advice == MADV_FREE ||
        advice == MADV_REMOVE)
        notify_if_exec(addr, end, old);
    mmap_unlock();
    if (ret == 0 && holes)
        ret = -ENOMEM;
    return ret;
}

void target_set_brk(uint64_t start)
{
    mmap_lock();
    brk_start = brk_cur = start;
    mmap_unlock();
}

uint64_t target_brk(uint64_t new_brk)
{
    mmap_lock();
    uint64_t ret = brk_cur;
    uint64_t old_top = TARGET_PAGE_ALIGN(brk_cur);
    uint64_t new_top = TARGET_PAGE_ALIGN(new_brk);

    if (new_brk < brk_start || !guest_range_valid(new_brk, 0) ||
        new_top < new_brk)
        goto out;
    if (new_top < old_top) {
        release(new_top, old_top);
    } else if (new_top > old_top) {
        bool holes = false;
        if (flags_union(old_top, new_top, &holes) & PAGE_VALID)
            goto out;
        int64_t a = target_mmap(old_top, new_top - old_top,
                                PROT_READ | PROT_WRITE,
                                MAP_FIXED | MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (a < 0)
            goto out;
    }
    brk_cur = ret = new_brk;
out:
    mmap_unlock();
    return ret;
}
