/*
 * Run-time helpers of translated x86-64 code that are not about flags:
 * exceptions, DIV/IDIV (whose #DE needs a test the IR would branch on
 * twice), CPUID, RDTSC and the LOCK'd read-modify-writes.  The atomics
 * probe the access for a store (which raises the guest's fault) and work
 * on the host pointer with __atomic builtins, so that they are atomic
 * with respect to the other guest threads.  x86 allows a LOCK'd access
 * at any alignment; one that fits in an aligned 8-byte word is done as a
 * compare-and-swap on that word, and one that straddles two words (a
 * "split lock", which current CPUs may trap on) under a process-wide
 * lock: atomic with respect to other LOCK'd insns, not to plain stores.
 */
#include <string.h>
#include <time.h>

#include <glib.h>

#include "mimic/atomic128.h"
#include "mimic/exec.h"
#include "helper.h"
#include "translate.h"

_Noreturn void helper_raise_exception(X86CPU *cpu, uint32_t excp)
{
    cpu->parent.exception_index = (int)excp;
    cpu_loop_exit_restore(&cpu->parent, GETPC());
}

_Noreturn void helper_raise_trap(X86CPU *cpu, uint32_t excp)
{
    cpu->parent.exception_index = (int)excp;
    cpu_loop_exit(&cpu->parent);
}

static _Noreturn void raise_de(X86CPU *cpu, uintptr_t ra)
{
    cpu->parent.exception_index = X86_EXCP_DE;
    cpu_loop_exit_restore(&cpu->parent, ra);
}

/* Writes a result of bits into register r as x86 does (8: the low byte,
   16: the low word, 32: zero-extended). */
static void put_reg(CPUX86State *env, int r, unsigned bits, uint64_t v)
{
    if (bits == 64 || bits == 32)
        env->regs[r] = bits == 32 ? (uint32_t)v : v;
    else if (bits == 16)
        env->regs[r] = (env->regs[r] & ~0xffffull) | (v & 0xffff);
}

static void div64(X86CPU *cpu, uint64_t divisor, bool sign, uintptr_t ra)
{
    CPUX86State *env = &cpu->env;
    unsigned __int128 n = ((unsigned __int128)env->regs[R_EDX] << 64) |
                          env->regs[R_EAX];

    if (divisor == 0)
        raise_de(cpu, ra);
    if (!sign) {
        unsigned __int128 q = n / divisor;

        if (q >> 64)
            raise_de(cpu, ra);
        env->regs[R_EAX] = (uint64_t)q;
        env->regs[R_EDX] = (uint64_t)(n % divisor);
    } else {
        __int128 sn = (__int128)n, sd = (int64_t)divisor, q;

        /* -2^127 / -1 overflows __int128 itself. */
        if (sd == -1 && n == (unsigned __int128)1 << 127)
            raise_de(cpu, ra);
        q = sn / sd;
        if (q > INT64_MAX || q < INT64_MIN)
            raise_de(cpu, ra);
        env->regs[R_EAX] = (uint64_t)(int64_t)q;
        env->regs[R_EDX] = (uint64_t)(int64_t)(sn % sd);
    }
}

void helper_div(X86CPU *cpu, uint64_t divisor, uint32_t op)
{
    CPUX86State *env = &cpu->env;
    unsigned bits = 8u << (op & 3);
    bool sign = (op & X86_DIV_SIGNED) != 0;
    uintptr_t ra = GETPC();
    uint64_t mask, n;

    if (bits == 64) {
        div64(cpu, divisor, sign, ra);
        return;
    }
    mask = (1ull << bits) - 1;              /* bits < 64 here */
    divisor &= mask;
    /* The dividend is twice the size: AX, DX:AX or EDX:EAX. */
    if (bits == 8)
        n = env->regs[R_EAX] & 0xffff;
    else
        n = ((env->regs[R_EDX] & mask) << bits) | (env->regs[R_EAX] & mask);
    if (divisor == 0)
        raise_de(cpu, ra);
    uint64_t q, r;
    if (!sign) {
        q = n / divisor;
        r = n % divisor;
        if (q > mask)
            raise_de(cpu, ra);
    } else {
        unsigned shift = 64 - 2 * bits;
        int64_t sn = (int64_t)(n << shift) >> shift;
        int64_t sd = (int64_t)(divisor << (64 - bits)) >> (64 - bits);
        int64_t sq;

        /* INT64_MIN / -1 (a 32-bit IDIV) overflows int64_t itself. */
        if (sd == -1 && sn == INT64_MIN)
            raise_de(cpu, ra);
        sq = sn / sd;

        if (sq > (int64_t)(mask >> 1) || sq < -(int64_t)(mask >> 1) - 1)
            raise_de(cpu, ra);
        q = (uint64_t)sq & mask;
        r = (uint64_t)(sn % sd) & mask;
    }
    if (bits == 8) {
        env->regs[R_EAX] = (env->regs[R_EAX] & ~0xffffull) | q | (r << 8);
    } else {
        put_reg(env, R_EAX, bits, q);
        put_reg(env, R_EDX, bits, r);
    }
}

void helper_cpuid(X86CPU *cpu)
{
    CPUX86State *env = &cpu->env;
    uint32_t out[4];

    x86_cpuid(cpu, (uint32_t)env->regs[R_EAX], (uint32_t)env->regs[R_ECX],
              out);
    env->regs[R_EAX] = out[0];
    env->regs[R_EBX] = out[1];
    env->regs[R_ECX] = out[2];
    env->regs[R_EDX] = out[3];
}

uint64_t helper_bitscan(uint64_t v, uint32_t reverse)
{
    /* v != 0: the translator keeps the destination for 0. */
    if (!v)
        return 0;
    return reverse ? 63 - (uint64_t)__builtin_clzll(v)
                   : (uint64_t)__builtin_ctzll(v);
}

uint64_t helper_bswap(uint64_t v, uint32_t bits)
{
    return bits == 64 ? __builtin_bswap64(v)
                      : __builtin_bswap32((uint32_t)v);
}

/*
 * RCL/RCR rotate bits + 1 bits: the operand with CF above it.  The count
 * is taken modulo 9 or 17 for bytes and words; 0 then changes nothing.
 * OF is defined for a count of 1 only; Mimic computes it as for 1 from
 * the result at every count (RCL: top bit XOR CF; RCR: the top two bits
 * XORed), which is what AMD CPUs do, and as Mimic's ROL/ROR.
 */
uint64_t helper_rotate_carry(X86CPU *cpu, uint64_t v, uint64_t count,
                             uint32_t op)
{
    CPUX86State *env = &cpu->env;
    unsigned bits = 8u << (op & 3);
    unsigned n = (unsigned)count;
    unsigned __int128 x, wide = ((unsigned __int128)1 << (bits + 1)) - 1;
    uint64_t mask = bits == 64 ? ~0ull : (1ull << bits) - 1, r, cf, of;

    if (bits < 32)
        n %= bits + 1;
    if (n == 0)
        return v & mask;
    if (op & X86_RC_RIGHT)
        n = bits + 1 - n;       /* right by n is left by the rest */
    x = ((unsigned __int128)(env->cc_src & X86_CF) << bits) | (v & mask);
    x = ((x << n) | (x >> (bits + 1 - n))) & wide;
    r = (uint64_t)x & mask;
    cf = (uint64_t)(x >> bits) & 1;
    if (op & X86_RC_RIGHT)
        of = ((r >> (bits - 1)) ^ (r >> (bits - 2))) & 1;
    else
        of = ((r >> (bits - 1)) & 1) ^ cf;
    env->cc_src = (env->cc_src & ~(uint64_t)(X86_CF | X86_OF)) | cf |
                  (of ? X86_OF : 0);
    return r;
}

uint64_t helper_bitcount(uint64_t v, uint32_t op)
{
    unsigned bits = 8u << (op & 3);

    if (bits < 64)
        v &= (1ull << bits) - 1;
    switch (op & ~3u) {
    case X86_BITCOUNT_POPCNT:
        return (uint64_t)__builtin_popcountll(v);
    case X86_BITCOUNT_LZCNT:
        return v ? (uint64_t)__builtin_clzll(v) - (64 - bits) : bits;
    default:
        return v ? (uint64_t)__builtin_ctzll(v) : bits;
    }
}

/* A 1 GHz counter: nanoseconds of the host's monotonic clock, so that it
   only goes forward, as the invariant TSC of current CPUs does. */
uint64_t helper_rdtsc(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* ---- LOCK ---- */

static GMutex split_lock;

static uint64_t rmw_compute(unsigned op, uint64_t old, uint64_t val)
{
    switch (op) {
    case X86_ATOMIC_ADD: return old + val;
    case X86_ATOMIC_AND: return old & val;
    case X86_ATOMIC_OR: return old | val;
    case X86_ATOMIC_XOR: return old ^ val;
    case X86_ATOMIC_NEG: return -old;
    }
    return val;     /* X86_ATOMIC_XCHG */
}

/*
 * A LOCK'd instruction (and XCHG with memory) is a full barrier for the
 * plain loads and stores around it, which generated code makes as plain
 * host accesses: an x86 host's lock cmpxchg is one by itself; a weakly
 * ordered host's compare-and-swap orders only its own access, so fences
 * go before and after.
 */
static inline void locked_fence(void)
{
#if !defined(__x86_64__)
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
#endif
}

/*
 * One atomic step on the size bytes at host address p: new = fn(old)
 * where fn is rmw_compute(op, old, val) or, for CMPXCHG (cmp set), val
 * if old == *cmp else old.  Returns old (zero-extended).
 */
static uint64_t atomic_step(void *p, unsigned size, unsigned op,
                            uint64_t val, const uint64_t *cmp)
{
    uintptr_t a = (uintptr_t)p;
    uint64_t mask = size == 8 ? ~0ull : (1ull << (size * 8)) - 1;
    unsigned shift = (unsigned)(a & 7) * 8;

    locked_fence();
    if ((a & 7) + size <= 8) {
        /* Within one aligned word: compare-and-swap the whole word. */
        uint64_t *w = (uint64_t *)(a & ~(uintptr_t)7);
        uint64_t cur = __atomic_load_n(w, __ATOMIC_RELAXED), nw, old;

        do {
            old = (cur >> shift) & mask;
            uint64_t v = cmp ? (old == (*cmp & mask) ? val : old)
                             : rmw_compute(op, old, val);
            nw = (cur & ~(mask << shift)) | ((v & mask) << shift);
        } while (!__atomic_compare_exchange_n(w, &cur, nw, true,
                                              __ATOMIC_SEQ_CST,
                                              __ATOMIC_RELAXED));
        locked_fence();
        return old;
    }
    /* A split lock. */
    uint64_t old = 0, v;

    g_mutex_lock(&split_lock);
    memcpy(&old, p, size);
    v = cmp ? (old == (*cmp & mask) ? val : old) : rmw_compute(op, old, val);
    memcpy(p, &v, size);
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    g_mutex_unlock(&split_lock);
    return old;
}

static void *atomic_host(X86CPU *cpu, uint64_t addr, unsigned size,
                         uintptr_t ra)
{
    void *host = probe_access(&cpu->parent, addr, (int)size, MMU_DATA_STORE,
                              0, ra);

    /* User mode always has a host pointer; no MMIO there. */
    g_assert(host);
    return host;
}

uint64_t helper_atomic_rmw(X86CPU *cpu, uint64_t addr, uint64_t val,
                           uint32_t op)
{
    unsigned size = 1u << (op & 3);

    return atomic_step(atomic_host(cpu, addr, size, GETPC()), size,
                       op & X86_ATOMIC_OP_MASK, val, NULL);
}

uint64_t helper_atomic_cmpxchg(X86CPU *cpu, uint64_t addr, uint64_t cmp,
                               uint64_t val, uint32_t op)
{
    unsigned size = 1u << (op & 3);

    return atomic_step(atomic_host(cpu, addr, size, GETPC()), size, 0, val,
                       &cmp);
}

/*
 * CMPXCHG8B and CMPXCHG16B, with or without LOCK (atomic either way: the
 * CPU writes the destination back even when the comparison fails, so no
 * other thread could tell).  An 8-byte one is the 8-byte CMPXCHG;
 * a 16-byte one needs 16-byte alignment (#GP(0) before any access) and
 * util/atomic128.c's compare-and-swap.
 */
uint64_t helper_cmpxchg_pair(X86CPU *cpu, uint64_t addr, uint32_t bytes)
{
    CPUX86State *env = &cpu->env;
    uintptr_t ra = GETPC();
    uint64_t cmp[2], old;
    void *p;

    if (bytes == 8) {
        cmp[0] = (uint32_t)env->regs[R_EAX] |
                 env->regs[R_EDX] << 32;
        p = atomic_host(cpu, addr, 8, ra);
        old = atomic_step(p, 8, 0, (uint32_t)env->regs[R_EBX] |
                          env->regs[R_ECX] << 32, &cmp[0]);
        if (old == cmp[0])
            return 1;
        env->regs[R_EAX] = (uint32_t)old;
        env->regs[R_EDX] = old >> 32;
        return 0;
    }
    if (addr & 15) {
        cpu->parent.exception_index = X86_EXCP_GP;
        env->error_code = 0;
        cpu_loop_exit_restore(&cpu->parent, ra);
    }
    p = atomic_host(cpu, addr, 16, ra);
    cmp[0] = env->regs[R_EAX];
    cmp[1] = env->regs[R_EDX];
    locked_fence();
    bool swapped = atomic128_cmpxchg(p, cmp, env->regs[R_EBX],
                                     env->regs[R_ECX]);
    locked_fence();
    if (swapped)
        return 1;
    env->regs[R_EAX] = cmp[0];
    env->regs[R_EDX] = cmp[1];
    return 0;
}

void helper_probe_write(X86CPU *cpu, uint64_t addr, uint32_t size)
{
    probe_access(&cpu->parent, addr, (int)size, MMU_DATA_STORE, 0, GETPC());
}
