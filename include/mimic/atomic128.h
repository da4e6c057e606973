/*
 * A 16-byte compare-and-swap on host memory, for guest instructions that
 * need one (x86's CMPXCHG16B).  C11 and GCC offer no portable 16-byte
 * atomic without libatomic or -mcx16, so util/atomic128.c has one path
 * per host: x86-64's LOCK CMPXCHG16B when the CPU has it, else a
 * process-wide lock.  The lock makes the operation atomic with respect to
 * every other atomic128_cmpxchg, not to plain or 8-byte atomic accesses
 * of the same memory by other threads (the host paths are atomic against
 * everything).
 *
 *   uint64_t old[2] = { lo, hi };
 *   if (!atomic128_cmpxchg(p, old, new_lo, new_hi))
 *       ... old[] now holds what *p held ...
 */
#ifndef MIMIC_ATOMIC128_H
#define MIMIC_ATOMIC128_H

#include <stdbool.h>
#include <stdint.h>

/*
 * If the 16 bytes at p (16-byte aligned) equal cmp[0] (low 8 bytes, host
 * order) and cmp[1] (high 8), stores new_lo and new_hi there and returns
 * true; else returns false with cmp[] set to what p held.  Sequentially
 * consistent either way.
 */
bool atomic128_cmpxchg(void *p, uint64_t cmp[2], uint64_t new_lo,
                       uint64_t new_hi);

/* The same under the process-wide lock, whatever the host: the path
   hosts without a 16-byte CAS take (exported for its test). */
bool atomic128_cmpxchg_locked(void *p, uint64_t cmp[2], uint64_t new_lo,
                              uint64_t new_hi);

/* True when atomic128_cmpxchg uses a host instruction, not the lock. */
bool atomic128_is_lock_free(void);

#endif
