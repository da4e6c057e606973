/*
 * Declarations shared by the files of accel/tcg only: the TB-cache lock,
 * the statistics counters, the per-page TB lists and the softmmu pieces
 * that the TB cache and the translator need (code fetch through the TLB,
 * marking pages that hold code).  Nothing outside accel/tcg includes it;
 * the public API is include/mimic/exec.h and include/mimic/cpu.h.
 */
#ifndef ACCEL_TCG_INTERNAL_H
#define ACCEL_TCG_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "mimic/cpu.h"
#include "mimic/exec.h"
#include "mimic/memory.h"
#include "mimic/tcg.h"

/* ---- The mode ----
 *
 * What differs between system mode (sysemu.c with cputlb.c) and user
 * mode: each defines these functions, and a program links one of them.
 */

/* At tcg_exec_init: the slow paths and the hooks the mode needs. */
void accel_mode_init(void);
/* The lock the mode orders before tb_lock, taken by tb_lock and given
   back by tb_unlock: user mode's mmap_lock (recursive), since code
   holding tb_lock reads the guest's mappings (translation, marking code
   pages) and code holding mmap_lock drops TBs (munmap, mprotect);
   nothing in system mode. */
void accel_tb_lock_outer(bool lock);
/* Page `page` (the TB cache's page address: guest-physical in system
   mode; mr and mr_offset say where it is in RAM, mr NULL if not) now
   holds translated code (on) or no longer does: guest writes to it must
   reach tb_invalidate_phys_range first. */
void page_code_mark(uint64_t page, void *mr, uint64_t mr_offset, bool on);
/* A vCPU parked itself for the debugger (cpu_handle_debug_stop). */
void accel_stop_for_debug(void);
/* Whether the page holding addr (a TB-cache page address) has TBs. */
bool tb_page_has_code(uint64_t addr);

/* ---- Statistics (printed by tcg_dump_stats) ---- */

typedef struct TCGExecStats {
    uint64_t tbs_translated;
    uint64_t translate_ns;
    uint64_t guest_insns;
    uint64_t host_bytes;
    /* Under -d jit_stats: host insns in the TBs' fast paths, and in their
       out-of-line slow paths. */
    uint64_t host_insns_fast, host_insns_slow;
    uint64_t chained;            /* goto_tb slots patched */
    uint64_t jc_hits, jc_misses; /* C-side jump-cache lookups */
    /* Generated code's probe misses (tb_lookup_code): answered from the
       hash table without leaving, and sent on to the loop. */
    uint64_t code_lookups, code_lookup_exits;
    uint64_t tb_flushes;
    uint64_t tbs_invalidated;
    uint64_t tb_retries;         /* translations redone with fewer insns */
    uint64_t tlb_miss, tlb_flush;
    uint64_t tlb_victim;         /* misses the victim entries answered */
    uint64_t tlb_flush_all;      /* of tlb_flush, those of whole modes */
    uint64_t tlb_resizes;        /* TLB tables grown or shrunk */
    uint64_t notdirty_writes;
    uint64_t mmio_accesses;
    uint64_t rr_slices, rr_kicks, rr_sleeps;  /* round-robin scheduler */
    uint64_t fw_gate_waits, fw_gate_timeouts; /* the firmware gate */
    struct TCGExecStats *next;   /* the list of every thread's counters */
} TCGExecStats;

/* This thread's counters (NULL until its first STAT_ADD).  Each thread
   writes only its own, so that vCPU threads share no cache line on the
   hot path; tcg_dump_stats sums them. */
extern __thread TCGExecStats *tcg_stats_local;
TCGExecStats *tcg_stats_register(void);

/* Counter bump: a plain add on the thread's own copy, stored relaxed
   since tcg_dump_stats may read it meanwhile. */
#define STAT_ADD(field, n)                                                 \
    do {                                                                   \
        TCGExecStats *st_ = tcg_stats_local;                               \
        if (__builtin_expect(!st_, 0))                                     \
            st_ = tcg_stats_register();                                    \
        __atomic_store_n(&st_->field, st_->field + (n), __ATOMIC_RELAXED); \
    } while (0)

/* ---- The TB-cache lock (tb-maint.c) ----
 * Guards the hash table, the page lists, the TB array, chaining and the
 * translation context.  Not recursive.  tb_lock_reset() drops it if this
 * thread holds it; cpu_exec calls it after a longjmp out of translation.
 */
void tb_lock(void);
void tb_unlock(void);
bool tb_lock_held(void);
void tb_lock_reset(void);

/* The target this emulator runs and the single translation context. */
extern const TargetOps *tcg_target_ops;
extern TCGContext tcg_exec_ctx;

/* Bumped by every tb_flush: TB pointers from before it are dangling. */
extern volatile unsigned tb_flush_count;

/* ---- TB cache structures (tb-maint.c), all under tb_lock ---- */

/* Hash-table lookup, without tb_lock; checks the second page's mapping
   on cpu. */
/* tcg_runtime.lookup_code (cpu-exec.c). */
const void *tb_lookup_code(void *env);
TranslationBlock *tb_htable_lookup(CPUState *cpu, uint64_t pc,
                                   uint64_t phys_pc, uint64_t flags,
                                   uint32_t cflags);
/* The hash table is long for its buckets: tb_htable_grow, in an
   exclusive section with tb_lock, rebuilds it larger. */
bool tb_htable_needs_growing(void);
void tb_htable_grow(void);
/* Where the translator found the code of a TB's (at most two) pages. */
typedef struct TBPageInfo {
    MemoryRegion *mr[2];     /* RAM region behind page_addr[n] */
    uint64_t mr_offset[2];   /* offset of that page within mr */
    uint8_t *host[2];        /* host address of the page's first byte */
} TBPageInfo;

/* Marks physical page as holding code (TLB_NOTDIRTY in every CPU) before
   the translator reads it; under tb_lock. */
void tb_page_mark_code(uint64_t page, MemoryRegion *mr, uint64_t mr_offset);
/* Makes a freshly generated TB findable (hash, page lists, code array)
   and marks its pages as holding code. */
void tb_link(TranslationBlock *tb, const TBPageInfo *pages);
/* Frees every TB and empties every structure (caller resets the buffer). */
void tb_maint_flush(void);
/* Memory for TBs and their per-insn data (under tb_lock): carved from
   large chunks and given back all at once by tb_maint_flush, since a TB
   lives until the next flush anyway (invalidated ones too).  A TB,
   zeroed and cache-line aligned; and its data, not zeroed (copied in at
   once). */
TranslationBlock *tb_arena_alloc_tb(void);
void *tb_arena_alloc_raw(size_t size);
/* Is p inside what the arena has handed out since the last flush? */
bool tb_arena_owns(const void *p);
/* Number of valid TBs in the cache. */
size_t tb_maint_count(void);

/* The jump cache (tb-jmp-cache.c).  The TB for (pc, flags, cflags) if
   cpu's jump cache holds it. */
TranslationBlock *tb_jmp_cache_lookup(CPUState *cpu, uint64_t pc,
                                      uint64_t flags, uint32_t cflags);
/* Puts tb in cpu's jump cache (for the loop and for generated code). */
void tb_jmp_cache_fill(CPUState *cpu, TranslationBlock *tb);
/* Clears every CPU's jump-cache entry that holds tb. */
void tb_jmp_cache_remove(TranslationBlock *tb);
/* Marks all of a CPU's jump-cache entries empty. */
void tb_jmp_cache_init(CPUState *cpu);
void tb_jmp_cache_clear(CPUState *cpu);
/* Empties the entries but those whose TB is on global pages. */
void tb_jmp_cache_clear_nonglobal(CPUState *cpu);
/* Empties the entries whose pc lies in [start, end); with !global, only
   those whose TB is not on a global page. */
void tb_jmp_cache_clear_range(CPUState *cpu, uint64_t start, uint64_t end,
                              bool global);


/* ---- softmmu pieces (cputlb.c) ---- */

/* Allocates a new CPU's TLB tables (cpu_create, before any flush). */
void tlb_init(CPUState *cpu);

/*
 * Translates a guest pc for instruction fetch in the current MMU mode:
 * returns the host pointer to the byte at vaddr and its physical address
 * (and the RAM region behind it).  Raises the guest fault (through the
 * target's tlb_fill or transaction_failed) if the code cannot be fetched;
 * with nofault it returns NULL instead.
 */
void *tlb_get_code_ptr(CPUState *cpu, uint64_t vaddr, uint64_t *paddr,
                       MemoryRegion **mr, uint64_t *mr_offset, bool nofault);

/* Sets TLB_NOTDIRTY in (or clears it from) every CPU's write entries that
   map physical page paddr. */
void tlb_set_notdirty_all(uint64_t paddr_page, bool on);
/* Is vaddr's code page in the TLB, mapped PAGE_GLOBAL (current mode)? */
bool tlb_code_is_global(CPUState *cpu, uint64_t vaddr);

/* Round-robin: a slice that ends in firmware runs on, unchained, for at
   most this many TBs until the CPU leaves firmware (cpu-exec.c). */
#define RR_FIRMWARE_TBS 1024

/* ---- Exclusive sections (cpus.c) ----
 * start_exclusive() returns once no other vCPU is inside cpu_exec (each
 * stops at a safe point: the top of its inner loop, holding no lock and
 * outside generated code).  The caller must not hold tb_lock.  Used by
 * tb_flush, which frees code other vCPUs could be running.
 */
void start_exclusive(void);
void end_exclusive(void);
/* cpu_exec brackets: count the vCPU as running; the safe point. */
void cpu_exec_start(CPUState *cpu);
void cpu_exec_end(CPUState *cpu);
void cpu_exec_safe_point(CPUState *cpu);
extern volatile bool exclusive_pending;
/* The CPU whose cpu_exec runs on this thread, or NULL. */
extern __thread CPUState *current_cpu;

/* The firmware gate (one thread per CPU only): before each TB; false if
   the CPU must go back to the top of its loop first (a request came in
   while it waited). */
bool cpu_fw_gate(CPUState *cpu);
/* Does the gate let cpu through without a look (the OS, round-robin, a
   target without firmware)? */
bool cpu_fw_gate_open(CPUState *cpu);
/* Has another thread asked cpu to come back to its loop (an exit, queued
   work, an exclusive section, a stop)? */
bool cpu_loop_wanted(CPUState *cpu);
/* cpu_exec is returning: the CPU runs no guest code for now. */
void cpu_fw_exec_end(CPUState *cpu);

/* Monotonic host time in nanoseconds (for translation-time statistics). */
uint64_t tcg_clock_ns(void);

/* Per-thread page information of the TB being translated. */
extern __thread TBPageInfo translator_pages;
/* Resets the translator's per-TB state before ops->translate runs. */
void translator_begin(TranslationBlock *tb);
/* -d in_asm for a just-translated TB (reads the code via translator_pages). */
void translator_log_in_asm(TranslationBlock *tb, const TargetOps *ops);

/* debug.c, for the softmmu and the execution loop. */
/* BP_MEM_* kinds of the watchpoints that overlap the page at vpage. */
int cpu_watchpoint_page_flags(CPUState *cpu, uint64_t vpage);
/* Checks an access of kind at [addr, addr+len) against the watchpoints;
   on a hit leaves through cpu_loop_exit_restore to re-run the insn. */
void cpu_check_watchpoint(CPUState *cpu, uint64_t addr, uint64_t len,
                          int kind, uintptr_t ra);
/* True while the CPU must not take interrupts (stepping). */
bool cpu_debug_irqs_masked(CPUState *cpu);

#endif
