/*
 * Guest debugging support in accel/tcg (accel/tcg/debug.c): breakpoints,
 * watchpoints, single-step, side-effect-free access to guest memory and
 * registers, and the report of why a vCPU stopped.  The gdbstub and the
 * monitor are its users; they never touch the TB cache or the TLB.
 *
 * How it works (docs/devel/debugging.md has the long version):
 * - A breakpoint is a guest virtual pc.  The translator asks
 *   cpu_breakpoint_test() before each insn and, on a hit, ends the TB with
 *   a debug exception at that pc, before the insn runs.  Inserting or
 *   removing one flushes the TB cache, so no stale TB skips it.
 * - A watchpoint marks the TLB entries of the pages it touches
 *   (TLB_WATCHPOINT), so every access to those pages takes the slow path,
 *   which checks the list.  On a hit the insn is re-run alone with
 *   watchpoints ignored and the vCPU stops after it, as gdb expects (it
 *   compares old and new values).
 * - cpu_single_step(): each TB holds one insn and the vCPU stops after it
 *   (or at the first insn of a trap handler); interrupts are not taken
 *   while stepping unless debug_set_step_irqs(true).
 * - A vCPU that stops for any of these leaves cpu_exec with EXCP_DEBUG;
 *   its thread calls cpu_handle_debug_stop(), which records the reason and
 *   asks the main loop to stop the machine (vm_stop(RUN_STATE_DEBUG)).
 *   Listeners of RUN_EVENT_STOP then read debug_last_stop().
 *
 * All calls below: main loop, BQL held, machine stopped, unless noted.
 */
#ifndef MIMIC_DEBUG_H
#define MIMIC_DEBUG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mimic/cpu.h"

/* Watchpoint kinds (gdb: Z2 write, Z3 read, Z4 access). */
enum {
    BP_MEM_READ = 1,
    BP_MEM_WRITE = 2,
    BP_MEM_ACCESS = BP_MEM_READ | BP_MEM_WRITE,
};

/* Returns 0, or -1 past a million (a set of pcs: the translator's test
   is one hash lookup). */
int cpu_breakpoint_insert(CPUState *cpu, uint64_t pc);
/* Returns 0, or -1 if there was none at pc. */
int cpu_breakpoint_remove(CPUState *cpu, uint64_t pc);
void cpu_breakpoint_remove_all(CPUState *cpu);
/* True if cpu has a breakpoint at pc (the translator; any thread). */
bool cpu_breakpoint_test(CPUState *cpu, uint64_t pc);

/* [addr, addr + len) with len 1..8 bytes (any length up to a page is
   accepted); kind is BP_MEM_*.  0, or -1 past 65536 watchpoints or if
   the arguments are bad. */
int cpu_watchpoint_insert(CPUState *cpu, uint64_t addr, uint64_t len,
                          int kind);
int cpu_watchpoint_remove(CPUState *cpu, uint64_t addr, uint64_t len,
                          int kind);
void cpu_watchpoint_remove_all(CPUState *cpu);

/* Makes the next resume of cpu run one guest insn and stop (on), or run
   freely (off). */
void cpu_single_step(CPUState *cpu, bool on);
/* Whether a stepping vCPU takes pending interrupts (default false: the
   step lands on the next insn, not in a handler, as QEMU's default). */
void debug_set_step_irqs(bool on);

/* Why a vCPU stopped with EXCP_DEBUG. */
typedef enum DebugStopReason {
    DEBUG_STOP_NONE,
    DEBUG_STOP_BREAKPOINT,
    DEBUG_STOP_WATCHPOINT,
    DEBUG_STOP_STEP,
} DebugStopReason;

typedef struct DebugStop {
    CPUState *cpu;           /* the vCPU that stopped, or NULL */
    DebugStopReason reason;
    uint64_t wp_addr;        /* watchpoint: its start address */
    int wp_kind;             /* watchpoint: BP_MEM_* of the access that hit */
} DebugStop;

/* The last debug stop (cleared by debug_clear_stop, and by vm_start). */
DebugStop debug_last_stop(void);
void debug_clear_stop(void);

/* vCPU thread, after cpu_exec returned EXCP_DEBUG: records the stop,
   parks this vCPU and asks the main loop to stop the machine. */
void cpu_handle_debug_stop(CPUState *cpu);

/*
 * Reads or writes len bytes of guest virtual memory as cpu sees it now
 * (its data MMU mode), through a page walk that sets no A/D bits and
 * raises no guest trap.  Writes reach ROM too and invalidate translated
 * code.  Returns 0, or -1 if some page is unmapped or hits no RAM/ROM/
 * device.  Any thread with the BQL held.
 */
int cpu_memory_rw_debug(CPUState *cpu, uint64_t addr, void *buf, size_t len,
                        bool is_write);
/* The same on physical addresses. */
int phys_memory_rw_debug(CPUState *cpu, uint64_t addr, void *buf, size_t len,
                         bool is_write);
/* Translates a virtual address like cpu_memory_rw_debug; false if
   unmapped. */
bool cpu_get_phys_addr_debug(CPUState *cpu, uint64_t vaddr, uint64_t *paddr);

/* gdb register access through the target's hooks (TargetOps.gdb_*):
   bytes read/written (target byte order), or 0 if reg does not exist. */
int cpu_gdb_read_register(CPUState *cpu, uint8_t *buf, int reg);
int cpu_gdb_write_register(CPUState *cpu, const uint8_t *buf, int reg);

#endif
