/*
 * Executable memory for the JIT, with W^X: one shared-memory object mapped
 * twice, a read-write view the code generator writes through and a
 * read-execute view the CPU runs.  No page is ever writable and executable
 * through the same mapping.  Both views have the same size and layout, so
 * the executable address of any byte is its writable address plus
 * jitmem_rx_offset().
 *
 *   JitMem m;
 *   if (!jitmem_alloc(&m, 64 << 20, &err)) die(err);
 *   memcpy(m.rw, code, len);
 *   jitmem_flush_icache(m.rx, len);
 *   ((void (*)(void))m.rx)();
 *   jitmem_free(&m);
 */
#ifndef MIMIC_JITMEM_H
#define MIMIC_JITMEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct JitMem {
    uint8_t *rw; /* writable view */
    uint8_t *rx; /* executable view */
    size_t size; /* bytes in each view (rounded up to pages) */
    int fd;      /* the backing memfd/shm object */
} JitMem;

/*
 * Maps size bytes (rounded up to the page size) twice.  Returns false and
 * points *why (static text) at the reason on failure.  The executable view
 * is placed near the program's own code when possible, so generated code
 * can call helpers with 32-bit relative calls.
 */
bool jitmem_alloc(JitMem *m, size_t size, const char **why);
void jitmem_free(JitMem *m);
/* In the child of fork(): the views are shared memory, so parent and
   child would write each other's code.  Gives the child its own memory at
   the same addresses, holding a copy of the first used bytes; false (the
   child cannot go on translating) if the host refuses. */
bool jitmem_unshare(JitMem *m, size_t used);

static inline intptr_t jitmem_rx_offset(const JitMem *m)
{
    return (intptr_t)(m->rx - m->rw);
}

/*
 * Maps [off, off + len) of both views in ahead of use, with one system call
 * each instead of a page fault per page and view (the code generator calls
 * it a chunk ahead of where it writes).  Best effort: nothing happens where
 * the kernel lacks MADV_POPULATE_*.
 */
void jitmem_prefault(JitMem *m, size_t off, size_t len);

/* Makes newly written code at rx visible to instruction fetch (a cache
   clean and invalidate by address on ARM64; nothing on x86, whose
   instruction fetch sees stores).  Every write of code and every patch
   of it goes through here. */
void jitmem_flush_icache(void *rx, size_t len);
/* Called with each range jitmem_flush_icache is given, where set: the
   tests' check that a host which needs the flush would get it. */
extern void (*jitmem_flush_observer)(void *rx, size_t len);

#endif
