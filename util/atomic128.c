/*
 * The 16-byte compare-and-swap of include/mimic/atomic128.h.  On an
 * x86-64 host it is LOCK CMPXCHG16B, written as inline asm here rather
 * than left to the compiler: GCC turns a 16-byte __atomic builtin into a
 * libatomic call unless built with -mcx16, and -mcx16 for the whole
 * build would exclude the first x86-64 CPUs, which lack the instruction
 * (CPUID.1:ECX bit 13), so it is looked up once at run time.  Other hosts
 * (aarch64 comes next, with CASP or LDXP/STXP) use a process-wide lock
 * until they get their own path.
 */
#include <string.h>

#include <glib.h>

#include "mimic/atomic128.h"

#if defined(__x86_64__)
#include <cpuid.h>

static bool host_has_cx16(void)
{
    static int known;   /* 0: not looked up yet, 1: no, 2: yes */
    int v = __atomic_load_n(&known, __ATOMIC_RELAXED);
    unsigned a, b, c, d;

    if (v == 0) {
        v = __get_cpuid(1, &a, &b, &c, &d) && (c & bit_CMPXCHG16B) ? 2 : 1;
        __atomic_store_n(&known, v, __ATOMIC_RELAXED);
    }
    return v == 2;
}

static bool cmpxchg16b(void *p, uint64_t cmp[2], uint64_t new_lo,
                       uint64_t new_hi)
{
    uint64_t lo = cmp[0], hi = cmp[1];
    bool ok;

    /* A LOCK'd insn is a full barrier on x86: sequentially consistent. */
    __asm__ volatile("lock cmpxchg16b %[m]"
                     : [m] "+m"(*(unsigned __int128 *)p), "+a"(lo), "+d"(hi),
                       "=@ccz"(ok)
                     : "b"(new_lo), "c"(new_hi)
                     : "memory");
    cmp[0] = lo;
    cmp[1] = hi;
    return ok;
}
#endif

static GMutex lock128;

bool atomic128_cmpxchg_locked(void *p, uint64_t cmp[2], uint64_t new_lo,
                              uint64_t new_hi)
{
    uint64_t cur[2], nv[2] = { new_lo, new_hi };
    bool ok;

    g_mutex_lock(&lock128);
    memcpy(cur, p, sizeof(cur));
    ok = cur[0] == cmp[0] && cur[1] == cmp[1];
    if (ok)
        memcpy(p, nv, sizeof(nv));
    else
        memcpy(cmp, cur, sizeof(cur));
    /* The mutex orders these accesses against the other locked ones; the
       fence against the thread's own atomics elsewhere. */
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    g_mutex_unlock(&lock128);
    return ok;
}

bool atomic128_is_lock_free(void)
{
#if defined(__x86_64__)
    return host_has_cx16();
#else
    return false;
#endif
}

bool atomic128_cmpxchg(void *p, uint64_t cmp[2], uint64_t new_lo,
                       uint64_t new_hi)
{
#if defined(__x86_64__)
    if (host_has_cx16())
        return cmpxchg16b(p, cmp, new_lo, new_hi);
#endif
    return atomic128_cmpxchg_locked(p, cmp, new_lo, new_hi);
}
