/*
 * Executable memory with W^X for the JIT (see include/mimic/jitmem.h).
 *
 * Platform constraints this file deals with:
 * - Hardened kernels and SELinux policies (and macOS, OpenBSD) refuse
 *   pages that are writable and executable at once, so the buffer is
 *   shared memory mapped twice: PROT_READ|PROT_WRITE for the code
 *   generator and PROT_READ|PROT_EXEC for the CPU.  Stores through the RW
 *   view are seen by the RX view because both map the same pages.  On
 *   Linux the memory is a shared anonymous mapping, duplicated by
 *   mremap(old_size = 0): perf takes such a mapping for anonymous JIT code
 *   and names it from /tmp/perf-PID.map (-perfmap).  Elsewhere, or if that
 *   is refused, it is a memfd_create (else unlinked shm_open) object.
 * - x86 keeps instruction fetch coherent with data stores, so flushing the
 *   instruction cache is a no-op there; other hosts need
 *   __builtin___clear_cache on the RX range after writing code.
 * - Generated code reaches C helpers with 32-bit relative calls when they
 *   are within +-2 GiB, so the RX view is first tried near this file's own
 *   code; the backend falls back to absolute calls otherwise.
 * - Patching a live jump (TB chaining) must be one aligned store, which
 *   the caller arranges; this file only provides the views.
 * - MIMIC_SPLIT_WX=off in the environment (QEMU's split-wx=off) maps
 *   one read-write-execute view instead.  Only for running Mimic under an
 *   emulator such as qemu-aarch64 (make check-cross-aarch64): stores
 *   through a second view of code it has translated are invisible to its
 *   self-modifying-code detection, so chaining and reuse after a flush
 *   would run stale code there.
 *
 *   JitMem m;
 *   const char *why;
 *   if (!jitmem_alloc(&m, size, &why)) error_report("jit: %s", why);
 *   ... write at m.rw + off, run at m.rx + off ...
 */
#define _GNU_SOURCE
#include "mimic/jitmem.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static int jitmem_open_object(size_t size)
{
    int fd = -1;

#ifdef MFD_CLOEXEC
    fd = memfd_create("mimic-jit", MFD_CLOEXEC);
#endif
    if (fd < 0) {
        char name[64];
        snprintf(name, sizeof(name), "/mimic-jit-%d", (int)getpid());
        fd = shm_open(name, O_RDWR | O_CREAT | O_EXCL, 0600);
        if (fd >= 0)
            shm_unlink(name);
    }
    if (fd < 0)
        return -1;
    if (ftruncate(fd, (off_t)size) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

/* Maps size bytes (prot, flags, fd as for mmap) where the executable
   view goes: within reach of rel32 calls from our code if the kernel
   gives a place there, else anywhere.  NULL on failure. */
static void *jitmem_map_near_code(size_t size, int prot, int flags, int fd)
{
    uintptr_t near = (uintptr_t)&jitmem_map_near_code;
    uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
    void *p;

    if (size < (1ull << 30)) {
        /* 512 MiB past our code: clear of the heap's usual growth. */
        uintptr_t hint = (near + (512ull << 20)) & ~(page - 1);
        p = mmap((void *)hint, size, prot, flags, fd, 0);
        if (p != MAP_FAILED) {
            intptr_t d1 = (intptr_t)((uintptr_t)p - near);
            intptr_t d2 = (intptr_t)((uintptr_t)p + size - near);
            if (d1 > -(1ll << 31) + 1 && d2 < (1ll << 31) - 1 &&
                d1 < (1ll << 31) - 1 && d2 > -(1ll << 31) + 1)
                return p;
            munmap(p, size);
        }
    }
    p = mmap(NULL, size, prot, flags, fd, 0);
    return p == MAP_FAILED ? NULL : p;
}

#ifdef MREMAP_FIXED
/* The Linux way: a shared anonymous mapping and its mremap duplicate. */
static bool jitmem_alloc_anon(JitMem *m, size_t size)
{
    void *rw, *slot, *rx;

    rw = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
              -1, 0);
    if (rw == MAP_FAILED)
        return false;
    /* A place for the executable view, then the view itself over it. */
    slot = jitmem_map_near_code(size, PROT_NONE,
                                MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1);
    if (!slot) {
        munmap(rw, size);
        return false;
    }
    rx = mremap(rw, 0, size, MREMAP_MAYMOVE | MREMAP_FIXED, slot);
    if (rx == MAP_FAILED || mprotect(rx, size, PROT_READ | PROT_EXEC) != 0) {
        munmap(rx == MAP_FAILED ? slot : rx, size);
        munmap(rw, size);
        return false;
    }
    m->rw = rw;
    m->rx = rx;
    m->size = size;
    return true;
}
#endif

/* MIMIC_SPLIT_WX=off: one view, read-write-execute. */
static bool jitmem_single_view(void)
{
    const char *e = getenv("MIMIC_SPLIT_WX");

    return e && (!strcmp(e, "off") || !strcmp(e, "0") || !strcmp(e, "no"));
}

bool jitmem_alloc(JitMem *m, size_t size, const char **why)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    const char *dummy;

    if (!why)
        why = &dummy;
    memset(m, 0, sizeof(*m));
    m->fd = -1;
    size = (size + page - 1) & ~(page - 1);
    if (jitmem_single_view()) {
        m->rx = m->rw = jitmem_map_near_code(
            size, PROT_READ | PROT_WRITE | PROT_EXEC,
            MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1);
        if (!m->rw) {
            *why = "cannot map JIT code memory (MIMIC_SPLIT_WX=off)";
            return false;
        }
        m->size = size;
        return true;
    }
#ifdef MREMAP_FIXED
    if (jitmem_alloc_anon(m, size))
        return true;
#endif
    m->fd = jitmem_open_object(size);
    if (m->fd < 0) {
        *why = "cannot create a shared-memory object for JIT code";
        return false;
    }
    m->rw = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, m->fd, 0);
    if (m->rw == MAP_FAILED) {
        m->rw = NULL;
        close(m->fd);
        *why = "cannot map JIT code memory read-write";
        return false;
    }
    m->rx = jitmem_map_near_code(size, PROT_READ | PROT_EXEC, MAP_SHARED, m->fd);
    if (!m->rx) {
        munmap(m->rw, size);
        close(m->fd);
        m->rw = NULL;
        *why =
            "cannot map JIT code memory executable (W^X dual mapping refused)";
        return false;
    }
    m->size = size;
    return true;
}

/* The child of fork() shares both views with its parent (they are shared
   memory): it gets a copy of the first used bytes in new memory mapped at
   the same two addresses, so that every code pointer stays valid. */
bool jitmem_unshare(JitMem *m, size_t used)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    void *tmp;
    int fd;

    used = (used + page - 1) & ~(page - 1);
    if (used > m->size)
        used = m->size;
    if (m->rw == m->rx)
        return true; /* one private view: fork copied it already */
#ifdef MREMAP_FIXED
    if (m->fd < 0) {
        tmp = mmap(NULL, m->size, PROT_READ | PROT_WRITE,
                   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
        if (tmp == MAP_FAILED)
            return false;
        memcpy(tmp, m->rw, used);
        /* The executable view first (a duplicate over the old one), then
           the new memory itself moves over the writable view. */
        if (mremap(tmp, 0, m->size, MREMAP_MAYMOVE | MREMAP_FIXED, m->rx) ==
                MAP_FAILED ||
            mprotect(m->rx, m->size, PROT_READ | PROT_EXEC) != 0 ||
            mremap(tmp, m->size, m->size, MREMAP_MAYMOVE | MREMAP_FIXED,
                   m->rw) == MAP_FAILED)
            return false;
        return true;
    }
#endif
    fd = jitmem_open_object(m->size);
    if (fd < 0)
        return false;
    tmp = mmap(NULL, m->size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (tmp == MAP_FAILED) {
        close(fd);
        return false;
    }
    memcpy(tmp, m->rw, used);
    munmap(tmp, m->size);
    if (mmap(m->rw, m->size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED,
             fd, 0) == MAP_FAILED ||
        mmap(m->rx, m->size, PROT_READ | PROT_EXEC, MAP_SHARED | MAP_FIXED,
             fd, 0) == MAP_FAILED) {
        close(fd);
        return false;
    }
    close(m->fd);
    m->fd = fd;
    return true;
}

void jitmem_free(JitMem *m)
{
    if (m->rw)
        munmap(m->rw, m->size);
    if (m->rx && m->rx != m->rw)
        munmap(m->rx, m->size);
    if (m->fd >= 0)
        close(m->fd);
    memset(m, 0, sizeof(*m));
    m->fd = -1;
}

#ifndef MADV_POPULATE_READ
#define MADV_POPULATE_READ 22
#endif
#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif

void jitmem_prefault(JitMem *m, size_t off, size_t len)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);

    off &= ~(page - 1);
    if (off >= m->size)
        return;
    if (len > m->size - off)
        len = m->size - off;
    /* Kernels before 5.14 refuse these advice values: then the pages
       simply fault in one by one as before. */
    madvise(m->rw + off, len, MADV_POPULATE_WRITE);
    madvise(m->rx + off, len, MADV_POPULATE_READ);
}

void (*jitmem_flush_observer)(void *rx, size_t len);

void jitmem_flush_icache(void *rx, size_t len)
{
    if (jitmem_flush_observer)
        jitmem_flush_observer(rx, len);
#if defined(__x86_64__) || defined(__i386__)
    (void)rx;
    (void)len;
#else
    __builtin___clear_cache((char *)rx, (char *)rx + len);
#endif
}
