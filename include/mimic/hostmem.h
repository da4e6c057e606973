/*
 * Host memory for large, lazily used areas (guest RAM, the TB arena).
 */
#ifndef MIMIC_HOSTMEM_H
#define MIMIC_HOSTMEM_H

#include <stddef.h>

/* Transparent huge pages need 2 MiB-aligned ranges. */
#define HOST_HUGE_ALIGN ((size_t)2 << 20)

/*
 * bytes of anonymous read-write memory, reserved lazily, 2 MiB-aligned and
 * advised as huge-page memory: the first touch of each 2 MiB costs one host
 * page fault instead of 512, and a large working set misses the host's TLB
 * less.  NULL (with errno) on failure.  Free with munmap(p, bytes).
 */
void *host_alloc_huge(size_t bytes);

#endif
