/*
 * Translation blocks, the TB cache and the softmmu API of accel/tcg, as
 * seen by targets and the rest of the emulator.
 *
 * Invariants (longer version in docs/devel/tcg.md):
 * - A TB is keyed by (physical pc, virtual pc, flags).  It is found through
 *   the per-CPU jump cache (virtual pc + flags) or the global hash table.
 * - A TB covers at most two guest pages; each page it covers has the
 *   TLB_NOTDIRTY bit set in write TLB entries, so a guest store (or DMA)
 *   to it takes the slow path and invalidates every TB on that page.
 * - A TB's two goto_tb slots are patched to jump straight to a successor
 *   once known; invalidating a TB unpatches every jump into it.
 */
#ifndef MIMIC_EXEC_H
#define MIMIC_EXEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "mimic/cpu.h"
#include "mimic/memop.h"

/* Per-insn restore data of a TB, packed (TBs cover at most two pages and
   64 KiB of host code): the insn's pc as an offset from the TB's pc, and
   the offset just past its host code. */
typedef struct TBInsn {
    uint16_t pc_off;
    uint16_t host_end;
} TBInsn;

struct TranslationBlock {
    /* What a hash-table lookup reads (tb_htable_lookup), in the first
       64 bytes, which tb_arena_alloc_tb aligns to a cache line: a lookup
       that misses the jump cache walks a chain of TBs, one cache miss
       each (with these fields spread over three lines, gcc's cc1 spent 8%
       of its time there). */
    uint64_t pc;          /* guest virtual pc of the first insn */
    uint64_t phys_pc;     /* guest physical pc */
    uint64_t flags;       /* target TB flags at translation time */
    struct TranslationBlock *hash_next;
    const uint8_t *tc_ptr;/* executable address of the host code */
    uint64_t page_addr[2];/* physical pages covered (-1 if none) */
    uint32_t cflags;      /* CF_* below */
    bool invalid;

    uint16_t icount;      /* guest insns */
    uint32_t size;        /* bytes of guest code */
    uint32_t tc_size;

    /* goto_tb slots, filled at code generation. */
    uint16_t jmp_reset_offset[2]; /* code offset of the insn after the jump */
    uint16_t jmp_insn_offset[2];  /* code offset of the jump's displacement */
    struct TranslationBlock *jmp_dest[2];   /* current target of slot n */
    /* TBs whose slot jumps into this one: a list threaded through
       jmp_list_next[n] of each source, tagged with n in the low bit. */
    uintptr_t jmp_list_head;
    uintptr_t jmp_list_next[2];

    /* Per-insn restore data (tb_insn_pc, tb_insn_extra); insn_extra is
       NULL when every insn's extra word is 0. */
    TBInsn *insns;
    uint64_t *insn_extra;

    struct TranslationBlock *page_next[2];  /* TBs on the same page */
};

static inline uint64_t tb_insn_pc(const TranslationBlock *tb, int i)
{
    return tb->pc + tb->insns[i].pc_off;
}

static inline uint64_t tb_insn_extra(const TranslationBlock *tb, int i)
{
    return tb->insn_extra ? tb->insn_extra[i] : 0;
}

/* cflags */
enum {
    CF_COUNT_MASK = 0x1ff,   /* max insns (0 = default) */
    CF_NO_GOTO_TB = 0x200,   /* do not chain (-d nochain, single-step) */
    CF_SINGLE_STEP = 0x400,
};

/* The value exit_tb returns: TB pointer | slot (0, 1), or 0. */
enum {
    TB_EXIT_IDX0 = 0,
    TB_EXIT_IDX1 = 1,
    TB_EXIT_MASK = 3,
};

/* -singlestep / -accel tcg,one-insn-per-tb=on: every TB holds one guest
   insn and nothing is chained (for -d cpu traces); unlike gdb's
   single-step (cpu->singlestep) execution goes on.  Set before running. */
extern bool tcg_one_insn_per_tb;

/* -accel tcg,tso=off: the guest's loads and stores keep no order the host
   does not keep by itself (tcg_runtime.guest_mo is 0): an x86-64 guest on
   a weakly ordered host loses TSO, for programs known not to need it
   (single-threaded, or synchronising only through LOCK'd insns and
   fences, which stay ordered).  Nothing changes on an x86-64 host.  Set
   before tcg_exec_init. */
extern bool tcg_relaxed_mo;

/* ---- TB cache (accel/tcg/translate-all.c) ---- */

/*
 * Sets up the JIT once, from main, before any CPU runs: the TCG context,
 * the code buffer (code_buffer_bytes, 0 for the default) with its
 * prologue, the target's TCG globals and the backend's runtime hooks.
 */
void tcg_exec_init(const TargetOps *ops, size_t code_buffer_bytes);
/* -perfmap: from now on, names each new TB's host code in
   /tmp/perf-PID.map (perf's JIT symbol file) as guest:PC.  False if the
   file cannot be created. */
bool tb_perfmap_open(void);
/* Prints the JIT statistics (TBs, code size, chaining, TLB, ...). */
void tcg_dump_stats(FILE *f);

/* Finds or translates the TB for (pc, flags) on cpu. */
TranslationBlock *tb_lookup_or_gen(CPUState *cpu, uint64_t pc, uint64_t flags,
                                   uint32_t cflags);
/* Invalidates every TB overlapping physical [start, end). */
void tb_invalidate_phys_range(uint64_t start, uint64_t end);
/* Drops every TB and resets the code buffer, with every other vCPU
   stopped at a safe point.  Not from generated code or a helper (the
   caller's own TB would be freed under it): from the C loop, the monitor
   or translation only. */
void tb_flush(CPUState *cpu);
/* Finds the TB whose host code contains the byte before the executable
   address ra (a return address, which may be just past a TB's code). */
TranslationBlock *tb_find_by_host_pc(uintptr_t ra);
/* Patches goto_tb slot n of tb to jump straight to dest. */
void tb_add_jump(TranslationBlock *tb, int n, TranslationBlock *dest);
/* Invalidates one TB: unlinks it everywhere, unpatches jumps into it. */
void tb_phys_invalidate(TranslationBlock *tb);

/* The translator loop and guest code fetch: include/mimic/translator.h. */

/* ---- softmmu (accel/tcg/cputlb.c) ---- */

/*
 * Maps vaddr's page in mmu_idx to physical paddr with prot (PAGE_*).
 * size is the guest page size (a power of two >= TARGET_PAGE_SIZE);
 * vaddr is the address being translated (any byte of its 4K page) and
 * paddr the physical address it maps to, or the start of the size-aligned
 * physical page; only the 4K page holding vaddr is entered.
 */
void tlb_set_page(CPUState *cpu, uint64_t vaddr, uint64_t paddr, int prot,
                  int mmu_idx, uint64_t size);
void tlb_flush(CPUState *cpu);
void tlb_flush_page(CPUState *cpu, uint64_t vaddr);
void tlb_flush_by_mmuidx(CPUState *cpu, uint16_t idxmap);
/* The same, but entries of PAGE_GLOBAL mappings stay, as do jump-cache
   entries of code on them: for a switch of address space (RISC-V: a new
   satp, sfence.vma of one ASID). */
void tlb_flush_by_mmuidx_nonglobal(CPUState *cpu, uint16_t idxmap);
/* tlb_flush_page for one address space (RISC-V: sfence.vma of an address
   and an ASID): jump-cache entries of code on global pages stay. */
void tlb_flush_page_nonglobal(CPUState *cpu, uint64_t vaddr);
/* Every vCPU drops the TLB entries made from the old memory map: the
   calling vCPU now, the others before their next TB (the memory API's
   map-change hook). */
void tlb_flush_all_cpus_map_changed(void);

/* Slow paths called from generated code (addresses given to TCGRuntime). */
uint64_t helper_ld_slow(void *env, uint64_t addr, MemOpIdx oi, uintptr_t ra);
void helper_st_slow(void *env, uint64_t addr, uint64_t val, MemOpIdx oi,
                    uintptr_t ra);

/*
 * Guest memory access from helpers (AMOs fall back to these, CSRs that
 * read memory, ...): same TLB, same faults, ra = GETPC() of the helper.
 */
uint64_t cpu_ld_mmu(CPUState *cpu, uint64_t addr, MemOpIdx oi, uintptr_t ra);
void cpu_st_mmu(CPUState *cpu, uint64_t addr, uint64_t val, MemOpIdx oi,
                uintptr_t ra);
/* Host pointer for a RAM access that will not fault (after probing), or
   NULL for MMIO/unmapped; raises the guest fault unless probe is set. */
void *probe_access(CPUState *cpu, uint64_t addr, int size,
                   MMUAccessType access_type, int mmu_idx, uintptr_t ra);

#define GETPC() ((uintptr_t)__builtin_extract_return_addr(__builtin_return_address(0)))

#endif
