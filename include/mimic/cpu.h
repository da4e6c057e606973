/*
 * The guest-independent part of a vCPU and the hook table through which
 * accel/tcg drives a target.  A target's CPU struct embeds CPUState as its
 * first member, and generated code addresses the whole struct through the
 * env register, so every field here (exit_request, tb_flags, the TLB, the
 * jump cache) sits at a fixed offset from env that the backend uses.
 *
 *   typedef struct RISCVCPU { CPUState parent; CPURISCVState env; } RISCVCPU;
 *   CPUState *cpu = cpu_create(&riscv_target_ops);
 *   cpu_exec(cpu);   (on the vCPU thread; returns when the CPU stops)
 */
#ifndef MIMIC_CPU_H
#define MIMIC_CPU_H

#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "mimic/memop.h"

#define TARGET_PAGE_BITS 12
#define TARGET_PAGE_SIZE (1ull << TARGET_PAGE_BITS)
#define TARGET_PAGE_MASK (~(TARGET_PAGE_SIZE - 1))

/* ---- Software TLB (layout used by generated code) ---- */

#define NB_MMU_MODES 8
#define CPU_TLB_ENTRY_BITS 5      /* log2 sizeof(CPUTLBEntry) */
/*
 * Each MMU mode's TLB is a direct-mapped table of 2^bits entries whose
 * size follows use (accel/tcg/cputlb.c): it starts at the default, grows
 * when a working set keeps evicting entries, and shrinks again when
 * flushes find it mostly empty, so that a flush stays cheap.
 */
#define CPU_TLB_DYN_MIN_BITS 6
#define CPU_TLB_DYN_DEFAULT_BITS 8
#define CPU_TLB_DYN_MAX_BITS 18

/*
 * Low bits of a TLB tag: set bits make the inline compare fail so the
 * access takes the slow path.  A valid fast-path tag is the page address
 * with all low bits clear.  An empty entry has every tag all-ones.
 */
#define TLB_INVALID (1ull << 11)  /* no mapping */
#define TLB_MMIO (1ull << 10)     /* I/O: dispatch through the memory API */
#define TLB_NOTDIRTY (1ull << 9)  /* RAM page holding TBs: writes invalidate */
#define TLB_RECHECK (1ull << 8)   /* ask the target again on every access */
#define TLB_WATCHPOINT (1ull << 7) /* a debug watchpoint covers the page */
#define TLB_FLAGS_MASK (TLB_INVALID | TLB_MMIO | TLB_NOTDIRTY | TLB_RECHECK | \
                        TLB_WATCHPOINT)

/*
 * Inline probe for an access of MemOp mo at vaddr in MMU mode m:
 *   f = &env->tlb_fast[m];
 *   e = (CPUTLBEntry *)((char *)f->table +
 *                       ((vaddr >> (TARGET_PAGE_BITS - CPU_TLB_ENTRY_BITS)) &
 *                        f->mask));
 *   cmp = (mo requires alignment a > 1)
 *         ? vaddr & (TARGET_PAGE_MASK | (a - 1))
 *         : (vaddr + size - 1) & TARGET_PAGE_MASK;
 *   hit = cmp == (is_store ? e->addr_write : e->addr_read);
 *   host = vaddr + e->addend;
 */
typedef struct CPUTLBEntry {
    uint64_t addr_read;
    uint64_t addr_write;
    uint64_t addr_code;
    uintptr_t addend;
} CPUTLBEntry;

/* What generated code reads of one MMU mode's TLB. */
typedef struct CPUTLBDescFast {
    uintptr_t mask;        /* (entries - 1) << CPU_TLB_ENTRY_BITS */
    CPUTLBEntry *table;
} CPUTLBDescFast;

/* Extra per-entry data for the slow path (not read by generated code). */
typedef struct CPUTLBEntryFull {
    uint64_t paddr;        /* physical page address */
    uint64_t page_size;    /* for flushes of large pages */
    int prot;
    void *mr;              /* MemoryRegion (MMIO or RAM) */
    uint64_t mr_offset;    /* offset of the page within mr */
} CPUTLBEntryFull;

/* Entries evicted from a mode's table, searched by the slow path before
   it asks the target to walk its page tables (two hot pages at one index
   of the direct-mapped table would otherwise miss on every access). */
#define CPU_VTLB_SIZE 8

/* The C side's bookkeeping for one MMU mode's TLB (cputlb.c). */
typedef struct CPUTLBDesc {
    CPUTLBEntryFull *full;  /* parallel to CPUTLBDescFast.table */
    unsigned bits;          /* log2 of the number of entries */
    unsigned used;          /* empty entries filled since the last flush */
    unsigned evictions;     /* entries replaced by another page since then */
    unsigned globals;       /* PAGE_GLOBAL fills since then (0: none kept) */
    unsigned window_max_used;  /* most entries used at a flush lately */
    int64_t window_start;   /* host monotonic us when that window began */
    /* A large page ([addr, addr + mask]) covering the pages flushed by
       tlb_flush_page; mask 0 when there is none. */
    uint64_t large_page_addr;
    uint64_t large_page_mask;
    /* Victim entries, under tlb_lock like the table; vnext is the one the
       next eviction replaces. */
    CPUTLBEntry vtable[CPU_VTLB_SIZE];
    CPUTLBEntryFull vfull[CPU_VTLB_SIZE];
    unsigned vnext;
} CPUTLBDesc;

/* ---- Jump cache (layout used by generated code) ---- */

#define TB_JMP_CACHE_BITS 16
#define TB_JMP_CACHE_SIZE (1u << TB_JMP_CACHE_BITS)
#define TB_JMP_LOG_SIZE 1024

/*
 * Index of pc in the jump cache; the backend emits exactly this.  The bits
 * above the index are folded in: with the low bits alone, code 8 KiB apart
 * shared a slot, and a kernel's hot return sites evicted each other (a
 * Linux boot left generated code for the C loop ~100k times).
 */
static inline unsigned tb_jmp_cache_hash(uint64_t pc)
{
    return (unsigned)((pc >> 1) ^ (pc >> (1 + TB_JMP_CACHE_BITS))) &
           (TB_JMP_CACHE_SIZE - 1);
}

struct TranslationBlock;

typedef struct TBJumpCacheEntry {
    uint64_t pc;
    const void *code;      /* executable address of the TB's code */
    struct TranslationBlock *tb;
    uint64_t flags;
} TBJumpCacheEntry;

/* One bit per hash of a virtual page that may hold the pc of a jump-cache
   entry (TBJumpCacheBook), for non-global and for global TBs; larger for
   global ones: a kernel runs code from thousands of pages, and that map
   is only reset by a full clear. */
#define TB_JMP_PAGE_BITS 15
#define TB_JMP_GPAGE_BITS 18

/*
 * The jump cache's bookkeeping, private to accel/tcg/tb-jmp-cache.c: what
 * lets a clear or a page flush touch only the entries that can matter.
 * A TB on "global" pages (mapped the same in every address space: RISC-V
 * PTE.G, or no translation) survives a switch of address space.
 */
typedef struct TBJumpCacheBook {
    /* Slots filled since the last clear, non-global and global ones; a
       count past TB_JMP_LOG_SIZE means "too many: scan them all". */
    uint16_t log[TB_JMP_LOG_SIZE];
    unsigned log_n;
    uint16_t glog[TB_JMP_LOG_SIZE];
    unsigned glog_n;
    /* Which slots hold a global TB (one bit per slot). */
    uint64_t global[TB_JMP_CACHE_SIZE / 64];
    /* Pages that may hold an entry's pc (tb_jmp_cache_page_bit). */
    uint64_t gpages[(1u << TB_JMP_GPAGE_BITS) / 64];
    uint64_t pages[(1u << TB_JMP_PAGE_BITS) / 64];
} TBJumpCacheBook;

/* ---- The hook table ---- */

typedef enum MMUAccessType {
    MMU_DATA_LOAD = 0,
    MMU_DATA_STORE = 1,
    MMU_INST_FETCH = 2,
} MMUAccessType;

enum {
    PAGE_READ = 1,
    PAGE_WRITE = 2,
    PAGE_EXEC = 4,
    /* The mapping is the same in every address space (RISC-V: PTE.G, or
       no translation at all): it survives tlb_flush_by_mmuidx_nonglobal,
       and so do jump-cache entries of code on such pages. */
    PAGE_GLOBAL = 8,
};

typedef struct CPUState CPUState;
typedef struct TranslationBlock TranslationBlock;
typedef struct AddressSpace AddressSpace;

typedef struct TargetOps {
    const char *name;
    size_t cpu_size;                   /* bytes of the target's CPU struct */
    /* Creates the TCG globals (once, before any translation). */
    void (*tcg_init)(void);
    void (*reset)(CPUState *cpu);
    /* Current guest pc and TB flags (privilege, MMU mode, ...). */
    void (*get_tb_key)(CPUState *cpu, uint64_t *pc, uint64_t *flags);
    /* Emits IR for a TB starting at tb->pc (at most max_insns insns). */
    void (*translate)(CPUState *cpu, TranslationBlock *tb, int max_insns);
    /* Restores pc (and friends) from an insn_start record. */
    void (*restore_state)(CPUState *cpu, uint64_t pc, uint64_t extra);
    /*
     * Translates addr for access_type in mmu_idx and fills the TLB with
     * tlb_set_page().  On a guest fault: if probe, returns false; else
     * raises the guest exception (cpu_loop_exit_restore(cpu, retaddr)).
     */
    bool (*tlb_fill)(CPUState *cpu, uint64_t addr, int size,
                     MMUAccessType access_type, int mmu_idx, bool probe,
                     uintptr_t retaddr);
    /* A physical access hit no device or a device refused it. */
    void (*transaction_failed)(CPUState *cpu, uint64_t vaddr, uint64_t paddr,
                               unsigned size, MMUAccessType access_type,
                               int mmu_idx, uintptr_t retaddr);
    /* An access violated the MemOp's alignment; must not return. */
    void (*unaligned_access)(CPUState *cpu, uint64_t vaddr,
                             MMUAccessType access_type, int mmu_idx,
                             uintptr_t retaddr);
    /* Delivers cpu->exception_index to the guest. */
    void (*do_interrupt)(CPUState *cpu);
    /* Takes a pending, enabled interrupt; returns true if one was taken. */
    bool (*exec_interrupt)(CPUState *cpu);
    /* True if a halted (WFI) CPU has something to do. */
    bool (*has_work)(CPUState *cpu);
    void (*dump_state)(CPUState *cpu, FILE *f);
    /* Disassembles the guest insn at code (avail bytes of it are there)
       into buf; returns its length, or 0 if avail bytes are too few to
       tell or to hold it. */
    int (*disas)(uint64_t pc, const uint8_t *code, unsigned avail,
                 char *buf, size_t len);
    /* Bytes in the smallest insn (RISC-V with C: 2; x86: 1).  A TB
       stopped at a breakpoint covers that many; insns are shown in hex
       as one number per insn if > 1, as bytes if 1. */
    unsigned insn_unit;
    /* The guest's memory model: the orderings between plain loads and
       stores that its programs may rely on without fences (TCG_MO_*):
       0 for RISC-V's RVWMO, TSO (all but store-then-load) for x86. */
    unsigned guest_mo;
    /* env-relative offset of the guest pc (u64), for the backend's
       jump-cache probe (RISC-V: RV_ENV_OFFSET(pc)). */
    intptr_t pc_offset;
    /* MMU index for data accesses (ifetch false) or instruction fetch
       (true) in the current state; NULL means index 0. */
    int (*mmu_index)(CPUState *cpu, bool ifetch);
    /* Round-robin scheduling (several harts on one thread) is about to
       run this CPU after another one ran: drop state that other harts'
       stores may have made stale unseen (RISC-V: the LR reservation).
       May be NULL. */
    void (*sched_in)(CPUState *cpu);
    /* True while the CPU runs firmware (RISC-V: M-mode): round-robin lets
       a slice that ends there run on until the CPU leaves firmware (for at
       most RR_FIRMWARE_TBS more TBs), so that another hart does not see a
       firmware critical section half done.  May be NULL. */
    bool (*in_firmware)(CPUState *cpu);
    /* With one thread per CPU: CPU_FW_BOOT while the CPU runs the
       firmware it was reset into and has not yet handed over to the OS,
       CPU_FW_CALL while it runs firmware entered from the OS (a call or
       a trap), CPU_FW_NONE otherwise.  A CPU in CPU_FW_BOOT does not run
       while another is in CPU_FW_CALL (cpus.c, the firmware gate).  May
       be NULL. */
    int (*firmware_state)(CPUState *cpu);
    /* IEEE flags (FP_EXC_*, include/mimic/host-fp.h) that the guest's FP
       ops raised in the host FPU while generated code ran: add them to
       the guest's accrued flags.  May be NULL (a guest without FP). */
    void (*fold_fp_exc)(CPUState *cpu, unsigned exc);

    /* ---- Debugging: the gdbstub and the monitor (include/mimic/debug.h) ---- */
    /* Translates vaddr as a data access in the current mode would, with
       no A/D update, no permission check and no trap; false if unmapped. */
    bool (*get_phys_page_debug)(CPUState *cpu, uint64_t vaddr,
                                uint64_t *paddr);
    /* gdb's register numbers: the 'g' packet holds registers
       0 .. gdb_num_core_regs - 1; read/write return the bytes used (target
       byte order) or 0 if reg does not exist. */
    int gdb_num_core_regs;
    int (*gdb_read_register)(CPUState *cpu, uint8_t *buf, int reg);
    int (*gdb_write_register)(CPUState *cpu, const uint8_t *buf, int reg);
    /* The target description document annex ("target.xml" and the files
       it includes) for qXfer:features:read, or NULL if there is none. */
    const char *(*gdb_get_xml)(CPUState *cpu, const char *annex);
    /* Prints the current page-table mappings (the monitor's `info mem`);
       may be NULL. */
    void (*dump_mappings)(CPUState *cpu, FILE *f);
    /* The value of a register by name ("pc", "sp", "x10", "mstatus") for
       the monitor's $name; false if there is none.  May be NULL. */
    bool (*monitor_get_register)(CPUState *cpu, const char *name,
                                 uint64_t *val);
} TargetOps;

/* One line of disassembly, "<hex><text>" with the hex column hex_width
   wide (-d in_asm, HMP x/i).  Returns the insn's length, or 0 if avail
   bytes are too few to hold it (the line then shows what there is). */
int disas_format_insn(const TargetOps *ops, uint64_t pc, const uint8_t *code,
                      unsigned avail, int hex_width, char *line, size_t size);

/* TargetOps.firmware_state values. */
enum { CPU_FW_NONE, CPU_FW_BOOT, CPU_FW_CALL };

/* Exception indices shared by every target (targets use values >= 0). */
enum {
    EXCP_INTERRUPT = 0x10000,  /* the loop was asked to look at interrupts */
    EXCP_HLT = 0x10001,        /* WFI: sleep until has_work */
    EXCP_HALTED = 0x10002,
    EXCP_DEBUG = 0x10003,
    EXCP_YIELD = 0x10004,      /* time slice over: let the next CPU run */
    EXCP_USER_FAULT = 0x10005, /* user mode: a guest access faulted
                                  (CPUState.user_fault says where) */
    EXCP_NONE = -1,
};

/* Bits of cpu->interrupt_request. */
enum {
    CPU_INTERRUPT_HARD = 1,    /* the target's interrupt-pending state changed */
    CPU_INTERRUPT_EXITTB = 2,  /* leave translated code (e.g. flags changed) */
};

struct CPUState {
    /* ---- Read by generated code (also the fields at the end). ---- */
    TBJumpCacheEntry jmp_cache[TB_JMP_CACHE_SIZE];

    /* ---- Used by the C side only. ---- */
    TBJumpCacheBook jc;
    CPUTLBDesc tlb_desc[NB_MMU_MODES];
    /* A GMutex: held while a TLB is reallocated, and by other threads
       while they scan this CPU's TLB (tlb_set_notdirty_all). */
    void *tlb_lock;
    const TargetOps *ops;
    AddressSpace *as;
    int cpu_index;
    int exception_index;
    volatile uint32_t interrupt_request;
    bool halted;            /* in WFI */
    bool stop;              /* asked to stop (monitor, shutdown) */
    bool stopped;
    bool singlestep;
    sigjmp_buf jmp_env;
    uintptr_t mem_io_pc;    /* host return address of the current slow path */

    /* vCPU thread state (accel/tcg/cpus.c). */
    void *thread;           /* GThread * once cpu_thread_start ran */
    int thread_id;          /* its host thread id (0 until it runs) */
    bool thread_parked;     /* parked after a stop request */
    volatile bool yield_request;   /* cpu_exec returns EXCP_YIELD soon */
    bool yield_deferred;    /* this slice's yield was put off (in_firmware) */
    int firmware_tbs;       /* TBs left to leave firmware in, if put off */
    bool round_robin;       /* run by the shared round-robin thread */
    /* Work queued by run_on_cpu/async_run_on_cpu (cpus.c), under its
       lock; work_pending is read without it at safe points. */
    void *work_first, *work_last;
    volatile bool work_pending;
    bool vcpu_started;      /* handed to cpus_start: work is queued */
    bool released;          /* user mode: its thread ended (cpu_release) */
    /* The firmware gate (cpus.c, under its lock): counted in a firmware
       call; other boot-firmware CPUs were stopped for it; running guest
       code past the gate in boot firmware. */
    bool fw_in_call, fw_fenced, fw_running;
    int64_t fw_wait_since;  /* g_get_monotonic_time() the gate began */

    /* Statistics for -d and the monitor. */
    uint64_t stat_tb_exec_loop;    /* TBs entered from the C loop */
    uint64_t stat_exits;           /* exits back to the C loop */
    uint64_t stat_tb_lookups;      /* C-side hash lookups */
    /* User mode: the guest access that ended cpu_exec with
       EXCP_USER_FAULT (linux-user/user-exec.c). */
    struct {
        uint64_t addr;
        MMUAccessType type;
        bool maperr;        /* nothing mapped (else: no permission) */
        bool bus;           /* the host said SIGBUS (past a file's end) */
    } user_fault;

    uint64_t stat_tlb_miss;
    uint64_t stat_tlb_victim;
    uint64_t stat_tlb_flush;
    uint64_t stat_tlb_resize;

    /* Debugging (accel/tcg/debug.c); changed only while the CPU is
       stopped, read by the translator and the slow path.  Any number of
       breakpoints (a set of pcs, so the translator's test per insn is one
       hash lookup) and of watchpoints (with the pages they touch in a
       set, for the TLB fill). */
    int nb_breakpoints;
    void *breakpoints;          /* GHashTable of uint64_t pcs */
    int nb_watchpoints, watchpoints_size;
    struct CPUWatchpoint {
        uint64_t addr, len;
        int kind;                   /* BP_MEM_* */
    } *watchpoints;
    void *watchpoint_pages;     /* GHashTable: vpage -> BP_MEM_* kinds */
    /* A watchpoint hit: the insn is being re-run alone (watchpoints
       ignored) and the CPU stops after it. */
    bool watchpoint_step;
    uint64_t watchpoint_hit_addr;
    int watchpoint_hit_kind;

    /* ---- Read by generated code on every TB entry and guest access:
       last, so that they share cache lines with the target's registers,
       which follow (CPUState is the first member of the target's CPU). */
    volatile int32_t exit_request __attribute__((aligned(64)));
    uint64_t tb_flags;               /* current TB flags; see cpu_update_tb_flags */
    CPUTLBDescFast tlb_fast[NB_MMU_MODES];
};

/* Allocates a zeroed CPU of ops->cpu_size bytes and resets it. */
CPUState *cpu_create(const TargetOps *ops, int index, AddressSpace *as);

/* Recomputes cpu->tb_flags; a target calls it after any change of state
   that its get_tb_key depends on (privilege, MMU mode, ...). */
void cpu_update_tb_flags(CPUState *cpu);
/* The guest pc of cpu's next insn (from the target's get_tb_key). */
uint64_t cpu_get_pc(CPUState *cpu);
/* Resets the CPU to its power-on state (the target's reset hook); with
   -d cpu_reset, logs "CPU Reset (CPU N)" and the state before, as QEMU. */
void cpu_reset(CPUState *cpu);

/* Asks the vCPU to leave translated code soon (any thread). */
void cpu_exit(CPUState *cpu);

/* Raises interrupt bits and kicks the vCPU (any thread). */
void cpu_interrupt(CPUState *cpu, uint32_t mask);
void cpu_reset_interrupt(CPUState *cpu, uint32_t mask);

/* Leaves translated code through the sigsetjmp point in cpu_exec. */
_Noreturn void cpu_loop_exit(CPUState *cpu);
/* Same, after restoring guest state for the insn whose host code holds
   the byte before ra (a helper's return address: its call may be the
   TB's last instruction). */
_Noreturn void cpu_loop_exit_restore(CPUState *cpu, uintptr_t ra);
/* Restores guest state from the host return address ra inside a TB, if
   any (the byte before ra is the one looked up; for a faulting host
   instruction at pc, pass pc + 1). */
bool cpu_restore_state(CPUState *cpu, uintptr_t ra);

/* Runs the CPU until it stops; returns the last exception index. */
int cpu_exec(CPUState *cpu);

/* Starts the vCPU thread: runs cpu_exec, sleeps while halted without
   work, parks while stopped.  Translated code runs without the BQL. */
void cpu_thread_start(CPUState *cpu);
/* Wakes a halted or parked vCPU so it re-checks its state (any thread). */
void cpu_kick(CPUState *cpu);
/* Asks the vCPU to stop and waits until it is parked (from the vCPU's
   own thread it only asks); cpu_resume lets it run again. */
void cpu_pause(CPUState *cpu);
void cpu_resume(CPUState *cpu);

/*
 * Starts running n CPUs (the board's, after creating them): with
 * cpus_set_multithread(true) (main() asks for it with -smp > 1 unless
 * -accel tcg,thread=single) each CPU gets its own thread
 * (cpu_thread_start); otherwise one thread runs them all round-robin,
 * each for a time slice (a kicker thread ends a slice with a yield
 * request, so a hart in a tight loop cannot starve the others) and the
 * thread sleeps only when every CPU is halted or stopped.  Call once.
 */
void cpus_start(CPUState *const *cpus, int n);
void cpus_set_multithread(bool on);
/* Round-robin time slice in microseconds (default 2000). */
void cpus_set_time_slice_us(int64_t us);
/* A debugging aid (-accel tcg,slice=random): each slice gets a random
   length, so that races between harts show up in a few runs. */
void cpus_set_time_slice_random(bool on);
/* Stops every started CPU and the virtual clock / restarts them. */
void cpus_pause_all(void);
void cpus_resume_all(void);
/* On a vCPU thread (a guest's power-off or reset, from MMIO): asks every
   CPU to stop at its next TB entry, without waiting; the main loop then
   pauses (cpu_pause) and resets or exits.  A no-op on other threads. */
void cpus_stop_from_guest(void);

/*
 * Work for a vCPU, run on the thread that runs it at its next safe point:
 * outside generated code and every lock (BQL, tb_lock), before it runs
 * translated code again.  This is how one thread changes state that only
 * the vCPU's own thread may touch while it runs, such as its TLB and jump
 * cache (a flush after the guest-physical memory map changed):
 *
 *   static void flush_work(CPUState *cpu, void *data) { tlb_flush(cpu); }
 *   for (int i = 0; i < cpu_count; i++)
 *       async_run_on_cpu(cpu_list[i], flush_work, NULL);
 *
 * A stopped (paused) or halted vCPU runs its work too, without leaving
 * its stopped or halted state.  Work for a CPU whose thread is the
 * caller's, or for a CPU not started yet (cpus_start), runs at once, on
 * the caller's thread.  Items run in the order they were queued.
 */
typedef void (*RunOnCpuFunc)(CPUState *cpu, void *data);
/* Queues fn(cpu, data) and returns at once (any thread). */
void async_run_on_cpu(CPUState *cpu, RunOnCpuFunc fn, void *data);
/* Queues fn(cpu, data) and waits until it has run (any thread).  While it
   waits it drops the BQL if the caller holds it, steps out of the vCPUs
   that an exclusive section waits for, and runs work queued for the
   caller's own vCPU, so that no wait cycle can form; the caller must hold
   no other lock. */
void run_on_cpu(CPUState *cpu, RunOnCpuFunc fn, void *data);
/* Runs the work queued for cpu now; its thread calls it at safe points
   (accel/tcg only). */
void cpu_process_work(CPUState *cpu);

/*
 * Every CPU created so far, for cross-CPU flushes.  The system emulator
 * has at most MIMIC_MAX_CPUS (its boards say so); user mode has a CPU per
 * guest thread, up to CPU_LIST_SIZE alive at once.  Other threads scan the
 * list without a lock (invalidation, exclusive sections), so a CPU is
 * never freed nor moved: a thread that ends releases its CPU
 * (cpu_release) and the next thread gets it back (cpu_obtain).
 */
#define MIMIC_MAX_CPUS 64
#define CPU_LIST_SIZE 4096
extern CPUState *cpu_list[CPU_LIST_SIZE];
extern int cpu_count;

/* User mode: a CPU for a new guest thread, reset: a released one if there
   is one (its jump cache emptied), else a new one (exits when
   CPU_LIST_SIZE are in use). */
CPUState *cpu_obtain(const TargetOps *ops);
/* The guest thread running cpu has ended: cpu_obtain may hand it out. */
void cpu_release(CPUState *cpu);
/* In the child of a host fork() taken inside an exclusive section
   (start_exclusive) by a thread outside cpu_exec: only that thread lives
   on, so every CPU but self is released, their work dropped, and the
   locks other threads may have held start again unlocked. */
void cpus_after_fork_child(CPUState *self);

#endif
