/* needs: riscv64-linux-user */
/*
 * Tests of linux-user/mmap.c, the guest address space of user mode: where
 * mappings go, MAP_FIXED and MAP_FIXED_NOREPLACE, that munmap keeps the
 * host reservation, mprotect's flags, mremap, brk, MADV_DONTNEED's zeroing
 * and the JIT's hook when executable pages go.  Each case gets a fresh
 * guest space.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "unit.h"
#include "user-test.h"

#define PG TARGET_PAGE_SIZE
#define ANON (MAP_PRIVATE | MAP_ANONYMOUS)
#define RW (PROT_READ | PROT_WRITE)

#define HP (64 * 1024)      /* the larger host page the tests force */

static int hook_calls;
static uint64_t hook_start, hook_end;
static int hook_flags;
static bool hook_drops_code;

/* The JIT's hook, recorded; it drops the code marks of the pages as the
   JIT's does (by dropping their TBs) when hook_drops_code is set. */
void user_pages_changed(uint64_t start, uint64_t end, int old_flags_union)
{
    hook_calls++;
    hook_start = start;
    hook_end = end;
    hook_flags = old_flags_union;
    for (uint64_t p = start; hook_drops_code && p < end; p += PG)
        page_set_code(p, false);
}

/* A fresh space whose host pages are host_page bytes. */
static void space_up_pages(uint64_t host_page)
{
    char *err = NULL;

    if (!guest_set_host_page_size(host_page, &err)) {
        printf("# %s\n", err);
        exit(1);
    }
    user_space_fresh();
    hook_calls = 0;
    hook_drops_code = false;
}

static void space_up(void)
{
    space_up_pages(PG);
}

/* The protection /proc/self/maps shows for host address p ("rw-p"...),
   or "" if nothing is mapped there. */
static const char *host_perms(const void *p)
{
    static char perms[8];
    char line[512];
    FILE *f = fopen("/proc/self/maps", "r");

    perms[0] = 0;
    while (f && fgets(line, sizeof(line), f)) {
        unsigned long lo, hi;
        char pr[8];
        if (sscanf(line, "%lx-%lx %4s", &lo, &hi, pr) == 3 &&
            (uintptr_t)p >= lo && (uintptr_t)p < hi) {
            strcpy(perms, pr);
            break;
        }
    }
    if (f)
        fclose(f);
    return perms;
}

TEST(reservation_and_g2h)
{
    space_up();
    EXPECT_EQ(guest_space_end(), 1ull << 38);
    EXPECT_STREQ(host_perms(g2h(0x1000)), "---p");
    EXPECT_STREQ(host_perms(g2h((1ull << 39) - PG)), "---p");
    EXPECT_EQ(h2g(g2h(0x12345)), 0x12345);
    EXPECT(guest_range_valid(0, 1ull << 38));
    EXPECT(!guest_range_valid(1ull << 38, 1));
    EXPECT(!guest_range_valid(UINT64_MAX, 2));
}

TEST(placement_top_down)
{
    space_up();
    int64_t a = target_mmap(0, 3 * PG - 5, RW, ANON, -1, 0);
    int64_t b = target_mmap(0, PG, PROT_READ, ANON, -1, 0);
    EXPECT(a > 0 && b > 0);
    EXPECT_EQ(a & (PG - 1), 0);
    EXPECT(a + 3 * PG <= (1ull << 38) - (128ull << 20));
    EXPECT_EQ(b, a - PG);
    EXPECT_EQ(page_get_flags(a), PAGE_VALID | PAGE_READ | PAGE_WRITE | PAGE_ANON);
    EXPECT_EQ(page_get_flags(a + 2 * PG), page_get_flags(a));
    EXPECT_EQ(page_get_flags(a + 3 * PG), 0);
    EXPECT_EQ(page_check_range(a, 3 * PG, PAGE_WRITE), 0);
    EXPECT_EQ(page_check_range(b, 2 * PG, PAGE_READ), 0);
    EXPECT_EQ(page_check_range(b, 2 * PG, PAGE_WRITE), -1);
    memset(g2h(a), 0x5a, 3 * PG);
    EXPECT_EQ(*(uint8_t *)g2h(a + 3 * PG - 1), 0x5a);
}

TEST(hint_used_if_free)
{
    space_up();
    EXPECT_EQ(target_mmap(0x40000000, PG, RW, ANON, -1, 0), 0x40000000);
    int64_t again = target_mmap(0x40000000, PG, RW, ANON, -1, 0);
    EXPECT(again > 0 && again != 0x40000000);
    /* A hint that is not page aligned is rounded up, as Linux does. */
    EXPECT_EQ(target_mmap(0x50000010, PG, RW, ANON, -1, 0), 0x50001000);
}

TEST(fixed_splits_and_noreplace)
{
    space_up();
    EXPECT_EQ(target_mmap(0x100000, 4 * PG, RW, ANON | MAP_FIXED, -1, 0),
              0x100000);
    EXPECT_EQ(target_mmap(0x101000, PG, PROT_READ, ANON | MAP_FIXED, -1, 0),
              0x101000);
    EXPECT_EQ(page_get_flags(0x100000) & PAGE_WRITE, PAGE_WRITE);
    EXPECT_EQ(page_get_flags(0x101000) & PAGE_WRITE, 0);
    EXPECT_EQ(page_get_flags(0x102000) & PAGE_WRITE, PAGE_WRITE);
    EXPECT_EQ(target_mmap(0x103000, 2 * PG, RW, ANON | MAP_FIXED_NOREPLACE,
                          -1, 0), -EEXIST);
    EXPECT_EQ(target_mmap(0x104000, 2 * PG, RW, ANON | MAP_FIXED_NOREPLACE,
                          -1, 0), 0x104000);
}

TEST(mmap_einval_enomem)
{
    space_up();
    EXPECT_EQ(target_mmap(0, 0, RW, ANON, -1, 0), -EINVAL);
    EXPECT_EQ(target_mmap(0, PG, RW, MAP_ANONYMOUS, -1, 0), -EINVAL);
    EXPECT_EQ(target_mmap(0, PG, RW, ANON, -1, 100), -EINVAL);
    EXPECT_EQ(target_mmap(0x100010, PG, RW, ANON | MAP_FIXED, -1, 0), -EINVAL);
    EXPECT_EQ(target_mmap(0, PG, 0x40, ANON, -1, 0), -EINVAL);
    EXPECT_EQ(target_mmap(1ull << 38, PG, RW, ANON | MAP_FIXED, -1, 0),
              -ENOMEM);
    EXPECT_EQ(target_mmap(0, 1ull << 40, RW, ANON, -1, 0), -ENOMEM);
    EXPECT_EQ(target_mmap(0, PG, RW, MAP_PRIVATE, -1, 0), -EBADF);
}

TEST(file_mapping)
{
    space_up();
    char path[] = "/tmp/mimic-mmap-XXXXXX";
    int fd = mkstemp(path);
    char buf[2 * 4096];
    memset(buf, 'a', 4096);
    memset(buf + 4096, 'b', 4096);
    EXPECT_EQ(write(fd, buf, sizeof(buf)), sizeof(buf));
    int64_t a = target_mmap(0, 100, PROT_READ, MAP_PRIVATE, fd, 4096);
    EXPECT(a > 0);
    EXPECT_EQ(*(char *)g2h(a), 'b');
    EXPECT_EQ(page_get_flags(a) & PAGE_ANON, 0);
    close(fd);
    unlink(path);
}

TEST(munmap_keeps_reservation)
{
    space_up();
    int64_t a = target_mmap(0x200000, 4 * PG, RW, ANON | MAP_FIXED, -1, 0);
    EXPECT_STREQ(host_perms(g2h(a)), "rw-p");
    EXPECT_EQ(target_munmap(a + PG, 2 * PG), 0);
    EXPECT_EQ(page_get_flags(a + PG), 0);
    EXPECT_EQ(page_get_flags(a + 2 * PG), 0);
    EXPECT(page_get_flags(a + 3 * PG) & PAGE_VALID);
    EXPECT_STREQ(host_perms(g2h(a + PG)), "---p");
    EXPECT_EQ(target_munmap(a + 1, PG), -EINVAL);
    EXPECT_EQ(target_munmap(a, 0), -EINVAL);
    EXPECT_EQ(target_munmap(1ull << 38, PG), -EINVAL);
    EXPECT_EQ(hook_calls, 0);
}

TEST(hook_when_exec_pages_go)
{
    space_up();
    int64_t a = target_mmap(0x300000, 4 * PG, PROT_READ | PROT_EXEC,
                            ANON | MAP_FIXED, -1, 0);
    EXPECT_EQ(hook_calls, 0);
    EXPECT_EQ(target_munmap(a, PG), 0);
    EXPECT_EQ(hook_calls, 1);
    EXPECT_EQ(hook_start, a);
    EXPECT_EQ(hook_end, a + PG);
    EXPECT(hook_flags & PAGE_EXEC);
    /* Replaced by MAP_FIXED, then protection lost. */
    target_mmap(a + PG, PG, RW, ANON | MAP_FIXED, -1, 0);
    EXPECT_EQ(hook_calls, 2);
    EXPECT_EQ(target_mprotect(a + 2 * PG, PG, PROT_READ), 0);
    EXPECT_EQ(hook_calls, 3);
    EXPECT_EQ(hook_start, a + 2 * PG);
    /* Unchanged protection, and pages that never had EXEC: no call. */
    EXPECT_EQ(target_mprotect(a + 3 * PG, PG, PROT_READ | PROT_EXEC), 0);
    EXPECT_EQ(target_mprotect(a + PG, PG, PROT_READ), 0);
    EXPECT_EQ(hook_calls, 3);
    EXPECT_EQ(target_madvise(a + 3 * PG, PG, MADV_DONTNEED), 0);
    EXPECT_EQ(hook_calls, 4);
}

TEST(mprotect_flags)
{
    space_up();
    int64_t a = target_mmap(0x400000, 3 * PG, RW, ANON | MAP_FIXED, -1, 0);
    EXPECT_EQ(target_mprotect(a + PG, PG + 1, PROT_READ | PROT_EXEC), 0);
    EXPECT_EQ(page_get_flags(a), PAGE_VALID | PAGE_ANON | RW);
    EXPECT_EQ(page_get_flags(a + PG),
              PAGE_VALID | PAGE_ANON | PAGE_READ | PAGE_EXEC);
    EXPECT_EQ(page_get_flags(a + 2 * PG), page_get_flags(a + PG));
    EXPECT_STREQ(host_perms(g2h(a + PG)), "r--p");
    EXPECT_EQ(target_mprotect(a, 4 * PG, PROT_READ), -ENOMEM);
    EXPECT_EQ(target_mprotect(a + 1, PG, PROT_READ), -EINVAL);
    EXPECT_EQ(target_mprotect(a, PG, 0x10), -EINVAL);
    EXPECT_EQ(target_mprotect(a, 0, PROT_READ), 0);
}

TEST(mremap_shrink_grow_move)
{
    space_up();
    int64_t a = target_mmap(0x500000, 2 * PG, RW, ANON | MAP_FIXED, -1, 0);
    memset(g2h(a), 7, 2 * PG);
    /* Grow in place into free pages. */
    EXPECT_EQ(target_mremap(a, 2 * PG, 4 * PG, 0, 0), a);
    EXPECT_EQ(*(uint8_t *)g2h(a + PG), 7);
    EXPECT_EQ(*(uint8_t *)g2h(a + 3 * PG), 0);
    EXPECT(page_get_flags(a + 3 * PG) & PAGE_WRITE);
    /* Shrink. */
    EXPECT_EQ(target_mremap(a, 4 * PG, 3 * PG, 0, 0), a);
    EXPECT_EQ(page_get_flags(a + 3 * PG), 0);
    EXPECT_STREQ(host_perms(g2h(a + 3 * PG)), "---p");
    /* Blocked: ENOMEM without MAYMOVE, a move with it. */
    target_mmap(a + 3 * PG, PG, PROT_READ, ANON | MAP_FIXED, -1, 0);
    EXPECT_EQ(target_mremap(a, 3 * PG, 5 * PG, 0, 0), -ENOMEM);
    int64_t b = target_mremap(a, 3 * PG, 5 * PG, MREMAP_MAYMOVE, 0);
    EXPECT(b > 0 && b != a);
    EXPECT_EQ(*(uint8_t *)g2h(b + PG), 7);
    EXPECT_EQ(page_check_range(b, 5 * PG, PAGE_READ | PAGE_WRITE), 0);
    EXPECT_EQ(page_get_flags(a), 0);
    EXPECT_STREQ(host_perms(g2h(a)), "---p");
    /* MREMAP_FIXED to a chosen place. */
    EXPECT_EQ(target_mremap(b, 5 * PG, PG, MREMAP_MAYMOVE | MREMAP_FIXED,
                            0x700000), 0x700000);
    EXPECT_EQ(*(uint8_t *)g2h(0x700000), 7);
    EXPECT_EQ(page_get_flags(b), 0);
    /* Errors. */
    EXPECT_EQ(target_mremap(0x900000, PG, 2 * PG, MREMAP_MAYMOVE, 0), -EFAULT);
    EXPECT_EQ(target_mremap(0x700000, PG, 0, MREMAP_MAYMOVE, 0), -EINVAL);
    EXPECT_EQ(target_mremap(0x700000, PG, PG, MREMAP_FIXED, 0x800000),
              -EINVAL);
}

TEST(mremap_grows_file_mapping)
{
    space_up();
    char path[] = "/tmp/mimic-mremap-XXXXXX";
    int fd = mkstemp(path);
    char buf[3 * 4096];
    memset(buf, 'q', sizeof(buf));
    EXPECT_EQ(write(fd, buf, sizeof(buf)), sizeof(buf));
    int64_t a = target_mmap(0x600000, PG, PROT_READ, MAP_SHARED | MAP_FIXED,
                            fd, 0);
    EXPECT_EQ(target_mremap(a, PG, 3 * PG, 0, 0), a);
    EXPECT_EQ(*(char *)g2h(a + 2 * PG), 'q');
    close(fd);
    unlink(path);
}

TEST(madvise_dontneed_zeroes)
{
    space_up();
    int64_t a = target_mmap(0, 2 * PG, RW, ANON, -1, 0);
    memset(g2h(a), 0xee, 2 * PG);
    EXPECT_EQ(target_madvise(a, PG, MADV_DONTNEED), 0);
    EXPECT_EQ(*(uint8_t *)g2h(a), 0);
    EXPECT_EQ(*(uint8_t *)g2h(a + PG), 0xee);
    EXPECT_EQ(target_madvise(a, 3 * PG, MADV_DONTNEED), -ENOMEM);
    EXPECT_EQ(target_madvise(a + 1, PG, MADV_DONTNEED), -EINVAL);
    EXPECT_EQ(target_madvise(a, PG, 1000), -EINVAL);
}

TEST(brk_grows_and_shrinks)
{
    space_up();
    target_set_brk(0x1000000);
    EXPECT_EQ(target_brk(0), 0x1000000);
    EXPECT_EQ(target_brk(0x1000000 + 10000), 0x1000000 + 10000);
    EXPECT_EQ(page_check_range(0x1000000, 10000, PAGE_READ | PAGE_WRITE), 0);
    EXPECT_EQ(page_get_flags(0x1003000), 0);
    memset(g2h(0x1000000), 1, 10000);
    EXPECT_EQ(target_brk(0x1000000 + 100), 0x1000000 + 100);
    EXPECT_EQ(page_get_flags(0x1001000), 0);
    EXPECT(page_get_flags(0x1000000) & PAGE_VALID);
    /* Below the start, or into a mapping: the old break comes back. */
    EXPECT_EQ(target_brk(0xfff000), 0x1000000 + 100);
    target_mmap(0x1004000, PG, RW, ANON | MAP_FIXED, -1, 0);
    EXPECT_EQ(target_brk(0x1008000), 0x1000000 + 100);
    EXPECT_EQ(page_get_flags(0x1001000), 0);
    EXPECT_EQ(target_brk(1ull << 40), 0x1000000 + 100);
}

TEST(shared_file_mapping_is_not_anonymous)
{
    space_up();
    char path[] = "/tmp/mimic-mmap-XXXXXX";
    int fd = mkstemp(path);
    EXPECT_EQ(ftruncate(fd, PG), 0);
    int64_t a = target_mmap(0, PG, RW, MAP_SHARED, fd, 0);
    EXPECT(a > 0);
    EXPECT_EQ(page_get_flags(a), PAGE_VALID | RW);
    int64_t b = target_mmap(0, PG, RW, ANON, -1, 0);
    EXPECT_EQ(page_get_flags(b), PAGE_VALID | PAGE_ANON | RW);
    close(fd);
    unlink(path);
}

/* A guest mprotect that keeps write permission keeps the JIT's write
   protection of a page with code: a store there must still trap. */
TEST(mprotect_keeps_code_write_protected)
{
    space_up();
    int rwx = RW | PROT_EXEC;
    int64_t a = target_mmap(0x400000, 2 * PG, rwx, ANON | MAP_FIXED, -1, 0);
    EXPECT(page_set_code(a, true));
    EXPECT_STREQ(host_perms(g2h(a)), "r--p");
    EXPECT_STREQ(host_perms(g2h(a + PG)), "rw-p");
    EXPECT_EQ(target_mprotect(a, 2 * PG, rwx), 0);
    EXPECT_STREQ(host_perms(g2h(a)), "r--p");
    EXPECT_STREQ(host_perms(g2h(a + PG)), "rw-p");
    /* The write fault: the code goes (the hook), the page is writable. */
    hook_drops_code = true;
    EXPECT(page_unprotect(a + 8));
    EXPECT_EQ(hook_start, a);
    EXPECT_STREQ(host_perms(g2h(a)), "rw-p");
    /* A read-only page cannot be unprotected. */
    EXPECT_EQ(target_mprotect(a + PG, PG, PROT_READ), 0);
    EXPECT(!page_unprotect(a + PG));
}

TEST(write_force_into_read_only_code)
{
    space_up();
    int64_t a = target_mmap(0, PG, PROT_READ | PROT_EXEC, ANON, -1, 0);
    page_set_code(a, true);
    hook_drops_code = true;
    EXPECT_EQ(page_write_force(a + 10, "hi", 2), 0);
    EXPECT_EQ(memcmp(g2h(a + 10), "hi", 2), 0);
    EXPECT_EQ(hook_calls, 1);
    EXPECT_STREQ(host_perms(g2h(a)), "r--p");
    EXPECT_EQ(page_write_force(a + PG - 1, "hi", 2), -1);
    EXPECT_EQ(page_write_force(a + PG, NULL, 1), -1);
}

TEST(host_page_size_checked)
{
    char *err = NULL;

    EXPECT(!guest_set_host_page_size(3 * PG, &err));
    g_free(err);
    err = NULL;
    EXPECT(!guest_set_host_page_size(PG / 2, &err));
    g_free(err);
    err = NULL;
    EXPECT(!guest_set_host_page_size(2 * HP, &err));
    g_free(err);
    EXPECT(guest_set_host_page_size(16 * 1024, &err));
    EXPECT(guest_set_host_page_size(PG, &err));
}

/* ---- Host pages larger than guest pages (16K, 64K ARM64 kernels) ---- */

TEST(large_pages_placement_takes_whole_host_pages)
{
    space_up_pages(HP);
    int64_t a = target_mmap(0, PG, RW, ANON, -1, 0);
    int64_t b = target_mmap(0, 3 * PG, RW, ANON, -1, 0);
    EXPECT(a > 0 && b > 0);
    EXPECT_EQ(a % HP, 0);
    EXPECT_EQ(b % HP, 0);
    EXPECT(b + 3 * (int64_t)PG <= a);
    EXPECT_EQ(page_get_flags(a + PG), 0);
}

TEST(large_pages_mappings_share_a_host_page)
{
    space_up_pages(HP);
    uint64_t a = 0x1000000;
    EXPECT_EQ(target_mmap(a, PG, RW, ANON | MAP_FIXED, -1, 0), a);
    memset(g2h(a), 'x', PG);
    /* A read-only neighbour: zeroed, the first page's bytes stay, and
       the host page has the union of the two. */
    EXPECT_EQ(target_mmap(a + PG, PG, PROT_READ, ANON | MAP_FIXED, -1, 0),
              a + PG);
    EXPECT_EQ(*(uint8_t *)g2h(a + PG), 0);
    EXPECT_EQ(*(uint8_t *)g2h(a + PG - 1), 'x');
    EXPECT_STREQ(host_perms(g2h(a + PG)), "rw-p");
    EXPECT_EQ(page_get_flags(a + PG), PAGE_VALID | PAGE_ANON | PROT_READ);
    /* MAP_FIXED over the first page zeroes it, the second is kept. */
    memset(g2h(a), 'x', PG);
    EXPECT_EQ(target_mmap(a, PG, RW, ANON | MAP_FIXED, -1, 0), a);
    EXPECT_EQ(*(uint8_t *)g2h(a), 0);
    /* Unmapping one keeps the host page for the other, with its rights. */
    EXPECT_EQ(target_munmap(a, PG), 0);
    EXPECT_EQ(page_get_flags(a), 0);
    EXPECT_STREQ(host_perms(g2h(a + PG)), "r--p");
    /* The last guest page gone: the reservation again. */
    EXPECT_EQ(target_munmap(a + PG, PG), 0);
    EXPECT_STREQ(host_perms(g2h(a)), "---p");
    /* A shared mapping cannot share a host page. */
    target_mmap(a, PG, RW, ANON | MAP_FIXED, -1, 0);
    EXPECT_EQ(target_mmap(a + PG, PG, RW,
                          MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED, -1, 0),
              -EINVAL);
    EXPECT_EQ(target_mmap(a + HP, PG, RW,
                          MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED, -1, 0),
              a + HP);
    EXPECT_EQ(target_mmap(a + HP + PG, PG, RW, ANON | MAP_FIXED, -1, 0),
              -EINVAL);
}

static int file_of_pages(char *path, const char *fill)
{
    int fd = mkstemp(path);
    char buf[4096];

    for (const char *c = fill; *c; c++) {
        memset(buf, *c, sizeof(buf));
        if (write(fd, buf, sizeof(buf)) != sizeof(buf))
            return -1;
    }
    return fd;
}

TEST(large_pages_file_mappings)
{
    space_up_pages(HP);
    char path[] = "/tmp/mimic-mmap-XXXXXX";
    int fd = file_of_pages(path, "abcd");
    uint64_t a = 0x2000000;
    /* Offset 2 pages at a host page plus one: not congruent, read in. */
    EXPECT_EQ(target_mmap(a + PG, 2 * PG, RW, MAP_PRIVATE | MAP_FIXED, fd,
                          2 * PG), a + PG);
    EXPECT_EQ(*(char *)g2h(a + PG), 'c');
    EXPECT_EQ(*(char *)g2h(a + 2 * PG), 'd');
    EXPECT_EQ(page_get_flags(a + PG) & PAGE_ANON, 0);
    /* Private: the file keeps its bytes. */
    *(char *)g2h(a + PG) = 'z';
    char c = 0;
    EXPECT_EQ(pread(fd, &c, 1, 2 * PG), 1);
    EXPECT_EQ(c, 'c');
    /* Into the same host page, next to them: read in place; the page
       past the file's end reads as zeros. */
    EXPECT_EQ(target_mmap(a + 3 * PG, 2 * PG, PROT_READ,
                          MAP_PRIVATE | MAP_FIXED, fd, 3 * PG), a + 3 * PG);
    EXPECT_EQ(*(char *)g2h(a + 3 * PG), 'd');
    EXPECT_EQ(*(char *)g2h(a + 4 * PG), 0);
    EXPECT_EQ(*(char *)g2h(a + PG), 'z');
    /* Shared: only where the host can map it (congruent offset). */
    EXPECT_EQ(target_mmap(a + HP + PG, PG, RW, MAP_SHARED | MAP_FIXED, fd, 0),
              -EINVAL);
    EXPECT_EQ(target_mmap(a + HP + PG, PG, RW, MAP_SHARED | MAP_FIXED, fd,
                          PG), a + HP + PG);
    *(char *)g2h(a + HP + PG) = 'S';
    EXPECT_EQ(pread(fd, &c, 1, PG), 1);
    EXPECT_EQ(c, 'S');
    /* Placed by the kernel: a host page of its own, mapped directly. */
    int64_t b = target_mmap(0, 2 * PG, PROT_READ, MAP_PRIVATE, fd, PG);
    EXPECT(b > 0 && b % HP == 0);
    EXPECT_EQ(*(char *)g2h(b), 'S');
    /* The host page with the file's end is whole memory: the bytes, then
       zeros (a 4 KiB host would fault past the end's 4 KiB page). */
    EXPECT_EQ(ftruncate(fd, PG + 100), 0);
    int64_t e = target_mmap(0, 3 * PG, PROT_READ, MAP_PRIVATE, fd, 0);
    EXPECT(e > 0);
    EXPECT_EQ(*(char *)g2h(e + PG + 99), 'b');
    EXPECT_EQ(*(char *)g2h(e + PG + 100), 0);
    EXPECT_EQ(*(char *)g2h(e + 2 * PG), 0);
    close(fd);
    unlink(path);
}

TEST(large_pages_code_protects_the_host_page)
{
    space_up_pages(HP);
    uint64_t a = 0x3000000;
    target_mmap(a, PG, PROT_READ | PROT_EXEC, ANON | MAP_FIXED, -1, 0);
    target_mmap(a + PG, PG, RW, ANON | MAP_FIXED, -1, 0);
    EXPECT_STREQ(host_perms(g2h(a)), "rw-p");
    /* Code the guest cannot write: no trap, for it or its neighbour. */
    page_set_code(a, true);
    EXPECT_STREQ(host_perms(g2h(a + PG)), "rw-p");
    page_set_code(a, false);
    /* Code in a writable page: the data page next to it traps too. */
    EXPECT_EQ(target_mprotect(a, PG, RW | PROT_EXEC), 0);
    page_set_code(a, true);
    EXPECT_STREQ(host_perms(g2h(a + PG)), "r--p");
    /* Its write fault drops the host page's code and redoes the store. */
    hook_drops_code = true;
    EXPECT(page_unprotect(a + PG + 4));
    EXPECT_EQ(hook_start, a);
    EXPECT_EQ(hook_end, a + HP);
    EXPECT_STREQ(host_perms(g2h(a + PG)), "rw-p");
    /* A syscall's buffer there: the same. */
    page_set_code(a, true);
    hook_calls = 0;
    page_unprotect_range(a + PG, 16);
    EXPECT_EQ(hook_calls, 1);
    EXPECT_STREQ(host_perms(g2h(a + PG)), "rw-p");
    /* mprotect keeps it. */
    page_set_code(a, true);
    EXPECT_EQ(target_mprotect(a + PG, PG, RW), 0);
    EXPECT_STREQ(host_perms(g2h(a + PG)), "r--p");
}

TEST(large_pages_mremap_madvise_brk)
{
    space_up_pages(HP);
    uint64_t a = 0x4000000;
    /* mremap of memory that does not start a host page: a copy. */
    EXPECT_EQ(target_mmap(a + PG, 2 * PG, RW, ANON | MAP_FIXED, -1, 0),
              a + PG);
    memset(g2h(a + PG), 5, 2 * PG);
    target_mmap(a + 3 * PG, PG, PROT_READ, ANON | MAP_FIXED, -1, 0);
    int64_t b = target_mremap(a + PG, 2 * PG, 40 * PG, MREMAP_MAYMOVE, 0);
    EXPECT(b > 0 && b != (int64_t)(a + PG));
    EXPECT_EQ(*(uint8_t *)g2h(b + 2 * PG - 1), 5);
    EXPECT_EQ(*(uint8_t *)g2h(b + 2 * PG), 0);
    EXPECT_EQ(page_check_range(b, 40 * PG, PAGE_READ | PAGE_WRITE), 0);
    EXPECT_EQ(page_get_flags(a + PG), 0);
    EXPECT(page_get_flags(a + 3 * PG) & PAGE_VALID);
    /* Grown in place, by a partial host page. */
    EXPECT_EQ(target_mremap(b, 40 * PG, 42 * PG, 0, 0), b);
    EXPECT(page_get_flags(b + 41 * PG) & PAGE_WRITE);
    *(uint8_t *)g2h(b + 41 * PG) = 1;
    /* MADV_DONTNEED on part of a host page zeroes that part only. */
    memset(g2h(b), 9, 4 * PG);
    EXPECT_EQ(target_madvise(b + PG, PG, MADV_DONTNEED), 0);
    EXPECT_EQ(*(uint8_t *)g2h(b + PG), 0);
    EXPECT_EQ(*(uint8_t *)g2h(b + 2 * PG - 1), 0);
    EXPECT_EQ(*(uint8_t *)g2h(b), 9);
    EXPECT_EQ(*(uint8_t *)g2h(b + 2 * PG), 9);
    /* The break moves by guest pages inside host pages. */
    target_set_brk(0x5000000 + PG);
    EXPECT_EQ(target_brk(0x5000000 + 3 * PG), 0x5000000 + 3 * PG);
    memset(g2h(0x5000000 + PG), 3, 2 * PG);
    EXPECT_EQ(target_brk(0x5000000 + 2 * PG), 0x5000000 + 2 * PG);
    EXPECT_EQ(page_get_flags(0x5000000 + 2 * PG), 0);
    EXPECT_EQ(target_brk(0x5000000 + 5 * PG), 0x5000000 + 5 * PG);
    EXPECT_EQ(*(uint8_t *)g2h(0x5000000 + PG), 3);
    EXPECT_EQ(*(uint8_t *)g2h(0x5000000 + 2 * PG), 0);
    space_up();
}

int main(void)
{
    return unit_run();
}
