/*
 * The execution loop of a vCPU: cpu_exec() runs translated code until the
 * CPU halts or is asked to stop.  Two nested loops, as in QEMU: the outer
 * one owns the sigsetjmp point that generated code, helpers and the
 * translator leave through (cpu_loop_exit) and delivers guest exceptions;
 * the inner one takes interrupts, finds or translates the TB for the
 * current (pc, flags), chains the previous TB's exit to it, and runs it.
 * It also restores guest state from a host return address inside a TB
 * (cpu_restore_state), which is how a fault in the middle of a TB gets
 * the right guest pc.
 *
 *   cpu_exec(cpu) on the vCPU thread:
 *     for (;;) { sigsetjmp; deliver exception or return;
 *                while (no interrupt/exit) { tb = find(pc, flags);
 *                                            chain(last, tb); run(tb); } }
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>

#include "internal.h"
#include "mimic/host-fp.h"
#include "mimic/log.h"

/* ---- Leaving generated code ---- */

void cpu_loop_exit(CPUState *cpu)
{
    siglongjmp(cpu->jmp_env, 1);
}

/* Index of the guest insn of tb whose host code holds byte ra - 1. */
static int tb_insn_for_host_pc(TranslationBlock *tb, uintptr_t ra)
{
    uintptr_t off = ra - (uintptr_t)tb->tc_ptr;

    for (int i = 0; i < tb->icount; i++) {
        if (tb->insns[i].host_end >= off)
            return i;
    }
    /* Past the last insn's main-line code (an out-of-line slow path
       should pass the main-line address; be lenient). */
    return tb->icount - 1;
}

bool cpu_restore_state(CPUState *cpu, uintptr_t ra)
{
    TranslationBlock *tb;
    int i;

    if (!ra)
        return false;
    tb = tb_find_by_host_pc(ra);
    if (!tb || tb->icount == 0)
        return false;
    i = tb_insn_for_host_pc(tb, ra);
    cpu->ops->restore_state(cpu, tb_insn_pc(tb, i), tb_insn_extra(tb, i));
    return true;
}

void cpu_loop_exit_restore(CPUState *cpu, uintptr_t ra)
{
    cpu_restore_state(cpu, ra);
    cpu_loop_exit(cpu);
}

/*
 * The host FPU's flags are the guest's while generated code runs
 * (include/mimic/host-fp.h): cleared on entry, since C code of the loop
 * may have raised some, and folded into the guest on every way out, so
 * that the loop, interrupt delivery, the debugger and another hart
 * scheduled on this thread see exact guest flags.
 */
static inline void cpu_fold_fp_exc(CPUState *cpu)
{
    unsigned exc = host_fp_exc_take();

    if (exc && cpu->ops->fold_fp_exc)
        cpu->ops->fold_fp_exc(cpu, exc);
}

/* ---- The inner loop ---- */

bool tcg_one_insn_per_tb;
bool tcg_relaxed_mo;

static uint32_t cpu_exec_cflags(CPUState *cpu)
{
    if (cpu->singlestep || cpu->watchpoint_step)
        return CF_SINGLE_STEP | CF_NO_GOTO_TB | 1;
    /* One insn per TB for traces, without the debugger's stop after it;
       no chaining either, so every TB entry goes through the loop (and
       is logged under -d cpu/exec). */
    if (tcg_one_insn_per_tb)
        return CF_NO_GOTO_TB | 1;
    /* Finishing firmware after the slice ended: back to the loop after
       every TB, which counts them. */
    if (cpu->firmware_tbs)
        return CF_NO_GOTO_TB;
    return log_enabled(LOG_NOCHAIN) ? CF_NO_GOTO_TB : 0;
}

static TranslationBlock *tb_find(CPUState *cpu, uint64_t pc, uint64_t flags,
                                 uint32_t cflags)
{
    TranslationBlock *tb = tb_jmp_cache_lookup(cpu, pc, flags, cflags);

    if (tb) {
        STAT_ADD(jc_hits, 1);
        return tb;
    }
    STAT_ADD(jc_misses, 1);
    cpu->stat_tb_lookups++;
    tb = tb_lookup_or_gen(cpu, pc, flags, cflags);
    /* Without chaining every TB must come back to the loop, so the
       generated jump-cache probe must miss too. */
    if (!(cflags & CF_NO_GOTO_TB))
        tb_jmp_cache_fill(cpu, tb);
    return tb;
}

/*
 * A miss of the jump-cache probe in generated code (lookup_and_goto_ptr,
 * tcg_runtime.lookup_code): the TB for the CPU's state, found in the hash
 * table and put in the jump cache, is entered from there, without the
 * trip through the epilogue, this loop and the prologue.  Programs with
 * more hot indirect-jump targets than the cache has slots miss all the
 * time: gcc's cc1 (150k TBs) left generated code 2M times in a 1 s
 * compile.  Anything the loop must see first goes there (NULL): a TB to
 * translate, a fault on the fetch, chaining off (-d nochain, stepping),
 * requests from other threads, firmware behind the gate, -d cpu/exec.
 */
const void *tb_lookup_code(void *env)
{
    CPUState *cpu = env;
    TranslationBlock *tb;
    uint64_t pc, flags, phys_pc;

    if (cpu_exec_cflags(cpu) || log_enabled(LOG_CPU | LOG_EXEC) ||
        cpu_loop_wanted(cpu) || !cpu_fw_gate_open(cpu))
        goto leave;
    cpu->ops->get_tb_key(cpu, &pc, &flags);
    if (!tlb_get_code_ptr(cpu, pc, &phys_pc, NULL, NULL, true))
        goto leave;
    tb = tb_htable_lookup(cpu, pc, phys_pc, flags, 0);
    if (!tb)
        goto leave;
    tb_jmp_cache_fill(cpu, tb);
    STAT_ADD(code_lookups, 1);
    return tb->tc_ptr;
leave:
    STAT_ADD(code_lookup_exits, 1);
    return NULL;
}

/* Dumps cpu's state into the log in one write: a per-insn trace writes
   tens of lines per record, and the log file is line buffered (so that a
   crash loses no complete record). */
static void cpu_log_state(CPUState *cpu)
{
    static __thread FILE *mem;
    static __thread char *buf;
    static __thread size_t size;
    off_t len;

    if (!mem)
        mem = open_memstream(&buf, &size);
    if (!mem) {
        cpu->ops->dump_state(cpu, log_file());
        return;
    }
    fseeko(mem, 0, SEEK_SET);
    cpu->ops->dump_state(cpu, mem);
    fflush(mem);
    len = ftello(mem);
    if (len > 0)
        fwrite(buf, 1, (size_t)len, log_file());
}

static void cpu_log_tb(CPUState *cpu, TranslationBlock *tb)
{
    if (log_enabled(LOG_CPU))
        cpu_log_state(cpu);
    if (log_enabled(LOG_EXEC))
        log_printf("Trace: [tb %p] pc=0x%016" PRIx64 " flags=0x%08" PRIx64 "\n",
                   (void *)tb, tb->pc, tb->flags);
}

/*
 * Runs tb (and whatever it chains to).  Returns the TB whose unpatched
 * goto_tb slot *slot it left through, or NULL when the exit cannot be
 * chained (an exit_tb 0, a jump-cache miss, an exit request).
 */
static TranslationBlock *cpu_tb_exec(CPUState *cpu, TranslationBlock *tb,
                                     int *slot)
{
    uintptr_t ret;
    TranslationBlock *last;

    if (log_enabled(LOG_CPU | LOG_EXEC))
        cpu_log_tb(cpu, tb);
    cpu->stat_tb_exec_loop++;
    host_fp_exc_clear();
    ret = tcg_qemu_tb_exec(cpu, tb->tc_ptr);
    cpu_fold_fp_exc(cpu);
    cpu->stat_exits++;
    last = (TranslationBlock *)(ret & ~(uintptr_t)TB_EXIT_MASK);
    *slot = (int)(ret & TB_EXIT_MASK);
    return last;
}

/* Takes pending interrupts; returns true if the inner loop must end
   (with cpu->exception_index saying why). */
static bool cpu_handle_interrupt(CPUState *cpu, TranslationBlock **last_tb)
{
    uint32_t ir;

    if (__atomic_load_n(&cpu->exit_request, __ATOMIC_RELAXED)) {
        __atomic_store_n(&cpu->exit_request, 0, __ATOMIC_RELAXED);
        /* Requests made before the flag was set are now visible. */
        __atomic_thread_fence(__ATOMIC_SEQ_CST);
    }
    ir = __atomic_load_n(&cpu->interrupt_request, __ATOMIC_ACQUIRE);
    if (ir) {
        if ((ir & CPU_INTERRUPT_HARD) && cpu->ops->exec_interrupt &&
            !cpu_debug_irqs_masked(cpu) &&
            cpu->ops->exec_interrupt(cpu)) {
            cpu_update_tb_flags(cpu);
            *last_tb = NULL;
        }
        if (ir & CPU_INTERRUPT_EXITTB) {
            __atomic_and_fetch(&cpu->interrupt_request, ~CPU_INTERRUPT_EXITTB,
                               __ATOMIC_SEQ_CST);
            *last_tb = NULL;
        }
    }
    if (cpu->stop || cpu->exception_index >= 0) {
        if (cpu->exception_index < 0)
            cpu->exception_index = EXCP_INTERRUPT;
        return true;
    }
    if (cpu->yield_request && !cpu->yield_deferred && cpu->ops->in_firmware &&
        cpu->ops->in_firmware(cpu)) {
        /* The slice ended inside firmware (RISC-V M-mode): let it run on
           until it leaves, one unchained TB at a time, for at most
           RR_FIRMWARE_TBS TBs (cpu_exec_inner counts them: guest
           progress, not host time, which a loaded host steals).  Firmware
           keeps its critical sections short and, on hardware, no hart
           stands still inside one while the others run: Debian's OpenSBI
           1.1 marks a hart START_PENDING before it stores the hart's start
           address, and a waiting hart that ran in between started Linux
           at the stale address (hangs of -smp 2 boots;
           docs/devel/debugging.md).  A hart that stays in firmware longer
           (spinning until another hart answers) yields after the budget. */
        cpu->yield_request = false;
        cpu->yield_deferred = true;
        cpu->firmware_tbs = RR_FIRMWARE_TBS;
        /* Unchained TBs still jump through the jump cache in generated
           code (lookup_and_goto_ptr), into chained ones: empty it. */
        tb_jmp_cache_clear(cpu);
        *last_tb = NULL;
    } else if (cpu->yield_request && cpu->firmware_tbs) {
        /* A later kick, or an interrupt for another hart, while finishing
           firmware: the yield comes when it is done. */
        cpu->yield_request = false;
    }
    if (cpu->yield_request) {
        cpu->yield_deferred = false;
        cpu->firmware_tbs = 0;
        /* The round-robin slice is over (after pending interrupts were
           taken, so the next slice starts in the handler). */
        cpu->yield_request = false;
        cpu->exception_index = EXCP_YIELD;
        return true;
    }
    return false;
}

static void cpu_exec_inner(CPUState *cpu)
{
    TranslationBlock *last_tb = NULL;
    int slot = 0;
    unsigned flush_gen = tb_flush_count;

    while (!cpu_handle_interrupt(cpu, &last_tb)) {
        uint32_t cflags = cpu_exec_cflags(cpu);

        if (__atomic_load_n(&exclusive_pending, __ATOMIC_ACQUIRE)) {
            /* Another vCPU is flushing the TB cache: wait here, outside
               generated code and every lock. */
            cpu_exec_safe_point(cpu);
            last_tb = NULL;
        }
        if (__atomic_load_n(&cpu->work_pending, __ATOMIC_ACQUIRE)) {
            /* Work queued by another thread (run_on_cpu): a TLB flush
               may have changed what last_tb's exit leads to. */
            cpu_process_work(cpu);
            last_tb = NULL;
            if (cpu->exception_index >= 0 || cpu->stop)
                continue;
        }
        TranslationBlock *tb;
        uint64_t pc, flags;

        if (!cpu_fw_gate(cpu))
            continue;
        cpu->ops->get_tb_key(cpu, &pc, &flags);
        tb = tb_find(cpu, pc, flags, cflags);
        if (flush_gen != tb_flush_count) {
            /* The buffer was flushed to make room: last_tb is gone. */
            flush_gen = tb_flush_count;
            last_tb = NULL;
        }
        if (last_tb && !(cflags & CF_NO_GOTO_TB))
            tb_add_jump(last_tb, slot, tb);
        last_tb = cpu_tb_exec(cpu, tb, &slot);
        if (cpu->firmware_tbs &&
            (--cpu->firmware_tbs == 0 || !cpu->ops->in_firmware(cpu))) {
            /* Out of firmware (or out of budget): the put-off yield. */
            cpu->firmware_tbs = 0;
            cpu->yield_request = true;
        }
        if (cpu->singlestep || cpu->watchpoint_step) {
            /* One insn done (a TB runs at least its first insn: exit
               requests are checked at its jumps): report it to the
               debugger. */
            cpu->watchpoint_step = false;
            cpu->exception_index = EXCP_DEBUG;
            return;
        }
    }
}

/* ---- The outer loop ---- */

/* Returns true (with *ret) if cpu_exec must return. */
static bool cpu_handle_exception(CPUState *cpu, int *ret)
{
    int idx = cpu->exception_index;

    if (idx < 0)
        return false;
    if (idx < EXCP_INTERRUPT && cpu->ops->do_interrupt) {
        /* The target logs the trap under -d int, with its own details.
           With no do_interrupt (user mode), cpu_exec returns the guest
           exception to its caller, which handles syscalls and signals. */
        cpu->ops->do_interrupt(cpu);
        cpu->exception_index = EXCP_NONE;
        cpu_update_tb_flags(cpu);
        if (cpu->singlestep || cpu->watchpoint_step) {
            /* Stop at the first insn of the handler. */
            cpu->watchpoint_step = false;
            *ret = EXCP_DEBUG;
            return true;
        }
        return false;
    }
    cpu->exception_index = EXCP_NONE;
    if (idx == EXCP_INTERRUPT && !cpu->stop)
        return false;
    if (idx == EXCP_HLT) {
        cpu->halted = true;
        if (cpu->singlestep) {
            /* The WFI retired: that was the step (the hart stays halted
               until it has work, as without a debugger). */
            *ret = EXCP_DEBUG;
            return true;
        }
    }
    *ret = idx;
    return true;
}

/* A halted CPU stays out of the loop until it has work. */
static bool cpu_handle_halt(CPUState *cpu)
{
    if (!cpu->halted)
        return false;
    if (cpu->ops->has_work && cpu->ops->has_work(cpu)) {
        cpu->halted = false;
        return false;
    }
    return true;
}

int cpu_exec(CPUState *cpu)
{
    int ret = EXCP_INTERRUPT;

    if (cpu_handle_halt(cpu))
        return EXCP_HALTED;
    if (cpu->singlestep || tcg_one_insn_per_tb) {
        /* Generated indirect jumps must not find multi-insn TBs. */
        tb_jmp_cache_clear(cpu);
    }
    cpu_exec_start(cpu);
    for (;;) {
        if (sigsetjmp(cpu->jmp_env, 0) != 0) {
            /* Left generated code, a helper or the translator: drop the
               TB lock if translation faulted; tcg_func_start resets the
               half-built op list next time. */
            tb_lock_reset();
            cpu_fold_fp_exc(cpu);
        }
        if (cpu_handle_exception(cpu, &ret))
            break;
        cpu_exec_inner(cpu);
    }
    cpu_fw_exec_end(cpu);
    cpu_exec_end(cpu);
    return ret;
}
