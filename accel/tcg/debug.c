/*
 * Guest debugging (include/mimic/debug.h): the breakpoint and watchpoint
 * tables of each vCPU, single-step, the record of why the machine last
 * stopped for the debugger, and debug access to guest registers (to
 * memory: the mode's file, sysemu.c).  The tables change only while the machine is stopped, so the
 * translator and the softmmu slow path read them without a lock.
 */
#include <string.h>

#include <glib.h>

#include "internal.h"
#include "mimic/debug.h"
#include "mimic/log.h"

/* Bounds that only a runaway client reaches: memory, not speed (a
   breakpoint test is a hash lookup; a watched page's flags too). */
#define DEBUG_MAX_BREAKPOINTS (1 << 20)
#define DEBUG_MAX_WATCHPOINTS (1 << 16)

static bool step_irqs;
static GMutex stop_lock;
static DebugStop last_stop;

/* ---- Breakpoints ---- */

static GHashTable *bp_set(CPUState *cpu)
{
    if (!cpu->breakpoints)
        cpu->breakpoints =
            g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, NULL);
    return cpu->breakpoints;
}

int cpu_breakpoint_insert(CPUState *cpu, uint64_t pc)
{
    uint64_t *key;

    if (cpu_breakpoint_test(cpu, pc))
        return 0;
    if (cpu->nb_breakpoints >= DEBUG_MAX_BREAKPOINTS)
        return -1;
    key = g_new(uint64_t, 1);
    *key = pc;
    g_hash_table_add(bp_set(cpu), key);
    cpu->nb_breakpoints++;
    /* A TB holding pc was translated without the check: drop them all
       (rare, and simpler than finding every TB that covers pc in every
       address space). */
    tb_flush(cpu);
    return 0;
}

int cpu_breakpoint_remove(CPUState *cpu, uint64_t pc)
{
    if (!cpu->nb_breakpoints || !g_hash_table_remove(bp_set(cpu), &pc))
        return -1;
    cpu->nb_breakpoints--;
    tb_flush(cpu);
    return 0;
}

void cpu_breakpoint_remove_all(CPUState *cpu)
{
    if (!cpu->nb_breakpoints)
        return;
    g_hash_table_remove_all(bp_set(cpu));
    cpu->nb_breakpoints = 0;
    tb_flush(cpu);
}

bool cpu_breakpoint_test(CPUState *cpu, uint64_t pc)
{
    return cpu->nb_breakpoints && g_hash_table_contains(cpu->breakpoints, &pc);
}

/* ---- Watchpoints ---- */

static int wp_find(CPUState *cpu, uint64_t addr, uint64_t len, int kind)
{
    for (int i = 0; i < cpu->nb_watchpoints; i++) {
        struct CPUWatchpoint *w = &cpu->watchpoints[i];

        if (w->addr == addr && w->len == len && w->kind == kind)
            return i;
    }
    return -1;
}

/* The pages the watchpoints touch, with their kinds, for the TLB fill
   (rebuilt on every change: changes are rare, fills are not). */
static void wp_pages_rebuild(CPUState *cpu)
{
    GHashTable *pages = cpu->watchpoint_pages;

    if (!pages)
        pages = cpu->watchpoint_pages =
            g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, NULL);
    g_hash_table_remove_all(pages);
    for (int i = 0; i < cpu->nb_watchpoints; i++) {
        struct CPUWatchpoint *w = &cpu->watchpoints[i];
        uint64_t first = w->addr & TARGET_PAGE_MASK;
        uint64_t last = (w->addr + w->len - 1) & TARGET_PAGE_MASK;

        for (uint64_t pg = first;; pg += TARGET_PAGE_SIZE) {
            int kinds = GPOINTER_TO_INT(g_hash_table_lookup(pages, &pg));
            uint64_t *key = g_new(uint64_t, 1);

            *key = pg;
            g_hash_table_replace(pages, key, GINT_TO_POINTER(kinds | w->kind));
            if (pg == last)
                break;
        }
    }
    /* Entries already in the TLB lack (or have) TLB_WATCHPOINT. */
    tlb_flush(cpu);
}

int cpu_watchpoint_insert(CPUState *cpu, uint64_t addr, uint64_t len,
                          int kind)
{
    if (len == 0 || len > TARGET_PAGE_SIZE || addr + len - 1 < addr ||
        !(kind & BP_MEM_ACCESS) || (kind & ~BP_MEM_ACCESS))
        return -1;
    if (wp_find(cpu, addr, len, kind) >= 0)
        return 0;
    if (cpu->nb_watchpoints >= DEBUG_MAX_WATCHPOINTS)
        return -1;
    if (cpu->nb_watchpoints == cpu->watchpoints_size) {
        cpu->watchpoints_size = MAX(16, cpu->watchpoints_size * 2);
        cpu->watchpoints = g_renew(struct CPUWatchpoint, cpu->watchpoints,
                                   cpu->watchpoints_size);
    }
    cpu->watchpoints[cpu->nb_watchpoints++] =
        (struct CPUWatchpoint){.addr = addr, .len = len, .kind = kind};
    wp_pages_rebuild(cpu);
    return 0;
}

int cpu_watchpoint_remove(CPUState *cpu, uint64_t addr, uint64_t len,
                          int kind)
{
    int i = wp_find(cpu, addr, len, kind);

    if (i < 0)
        return -1;
    cpu->watchpoints[i] = cpu->watchpoints[--cpu->nb_watchpoints];
    wp_pages_rebuild(cpu);
    return 0;
}

void cpu_watchpoint_remove_all(CPUState *cpu)
{
    if (!cpu->nb_watchpoints)
        return;
    cpu->nb_watchpoints = 0;
    wp_pages_rebuild(cpu);
}

static bool ranges_overlap(uint64_t a, uint64_t alen, uint64_t b,
                           uint64_t blen)
{
    return a <= b + blen - 1 && b <= a + alen - 1;
}

int cpu_watchpoint_page_flags(CPUState *cpu, uint64_t vpage)
{
    if (!cpu->nb_watchpoints)
        return 0;
    return GPOINTER_TO_INT(g_hash_table_lookup(cpu->watchpoint_pages, &vpage));
}

void cpu_check_watchpoint(CPUState *cpu, uint64_t addr, uint64_t len,
                          int kind, uintptr_t ra)
{
    if (cpu->watchpoint_step)
        return;             /* re-running the insn that hit */
    for (int i = 0; i < cpu->nb_watchpoints; i++) {
        if (!(cpu->watchpoints[i].kind & kind) ||
            !ranges_overlap(cpu->watchpoints[i].addr, cpu->watchpoints[i].len,
                            addr, len))
            continue;
        /*
         * Nothing of this insn's access has happened yet: go back to its
         * start and run it again alone, ignoring watchpoints, then stop
         * (cpu_exec_inner), so gdb sees the value after a write.
         */
        cpu->watchpoint_hit_addr = cpu->watchpoints[i].addr;
        cpu->watchpoint_hit_kind = kind;
        cpu->watchpoint_step = true;
        cpu->exception_index = EXCP_NONE;
        cpu_loop_exit_restore(cpu, ra);
    }
}

/* ---- Single-step ---- */

void cpu_single_step(CPUState *cpu, bool on)
{
    cpu->singlestep = on;
}

void debug_set_step_irqs(bool on)
{
    step_irqs = on;
}

bool cpu_debug_irqs_masked(CPUState *cpu)
{
    return (cpu->singlestep && !step_irqs) || cpu->watchpoint_step;
}

/* ---- Stops ---- */

DebugStop debug_last_stop(void)
{
    DebugStop s;

    g_mutex_lock(&stop_lock);
    s = last_stop;
    g_mutex_unlock(&stop_lock);
    return s;
}

void debug_clear_stop(void)
{
    g_mutex_lock(&stop_lock);
    memset(&last_stop, 0, sizeof(last_stop));
    g_mutex_unlock(&stop_lock);
}

void cpu_handle_debug_stop(CPUState *cpu)
{
    DebugStop s = { .cpu = cpu, .reason = DEBUG_STOP_STEP };

    if (cpu->watchpoint_hit_kind) {
        s.reason = DEBUG_STOP_WATCHPOINT;
        s.wp_addr = cpu->watchpoint_hit_addr;
        s.wp_kind = cpu->watchpoint_hit_kind;
        cpu->watchpoint_hit_kind = 0;
    } else if (!cpu->singlestep) {
        s.reason = DEBUG_STOP_BREAKPOINT;
    }
    g_mutex_lock(&stop_lock);
    /* The first CPU to stop is the one reported. */
    if (!last_stop.cpu)
        last_stop = s;
    g_mutex_unlock(&stop_lock);
    /* Park this vCPU now; the main loop stops the others. */
    cpu_pause(cpu);
    accel_stop_for_debug();
}

/* ---- Registers (memory: the mode's file, sysemu.c) ---- */

int cpu_gdb_read_register(CPUState *cpu, uint8_t *buf, int reg)
{
    if (!cpu->ops->gdb_read_register || reg < 0)
        return 0;
    return cpu->ops->gdb_read_register(cpu, buf, reg);
}

int cpu_gdb_write_register(CPUState *cpu, const uint8_t *buf, int reg)
{
    if (!cpu->ops->gdb_write_register || reg < 0)
        return 0;
    return cpu->ops->gdb_write_register(cpu, buf, reg);
}
