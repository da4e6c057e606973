/*
 * Host memory for large, lazily used areas (include/mimic/hostmem.h).
 */
#define _GNU_SOURCE
#include "mimic/hostmem.h"

#include <stdint.h>
#include <sys/mman.h>

void *host_alloc_huge(size_t bytes)
{
    size_t len = bytes + HOST_HUGE_ALIGN;
    uint8_t *p;
    uintptr_t start, end;

    if (bytes > SIZE_MAX - HOST_HUGE_ALIGN)
        return NULL;
    p = mmap(NULL, len, PROT_READ | PROT_WRITE,
             MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED)
        return NULL;
    start = ((uintptr_t)p + HOST_HUGE_ALIGN - 1) & ~(uintptr_t)(HOST_HUGE_ALIGN - 1);
    end = start + bytes;
    if (start > (uintptr_t)p)
        munmap(p, start - (uintptr_t)p);
    if ((uintptr_t)p + len > end)
        munmap((void *)end, (uintptr_t)p + len - end);
#ifdef MADV_HUGEPAGE
    if (bytes >= HOST_HUGE_ALIGN)
        madvise((void *)start, bytes, MADV_HUGEPAGE);
#endif
    return (void *)start;
}
