/*
 * vCPU life cycle: creating a CPU, asking it to leave translated code
 * (cpu_exit), raising interrupt bits (cpu_interrupt), work queued to a
 * CPU's thread (run_on_cpu), and the threads that run cpu_exec() without
 * the BQL.  With cpus_set_multithread(true) (what main() asks for with
 * -smp > 1) each CPU gets its own thread (cpu_thread_start), which sleeps
 * while its CPU is halted and parks while it is stopped.  Otherwise
 * (cpus_start) one thread runs every CPU round-robin: each gets a time
 * slice, ended by a kicker thread that sets the running CPU's
 * yield_request, and the thread sleeps only while every CPU is halted
 * with nothing to do or stopped.  cpu_pause/cpu_resume serve the monitor and shutdown in both
 * modes.  One mutex and condition variable serve all CPUs and threads:
 * wake-ups are rare (interrupts to halted CPUs, pause/resume, slices).
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "mimic/timer.h"

#include <glib.h>

#include "internal.h"
#include "mimic/bql.h"
#include "mimic/debug.h"
#include "mimic/log.h"

CPUState *cpu_list[CPU_LIST_SIZE];
int cpu_count;
/* Taken by writers of cpu_list and cpu_count, and for CPUState.released;
   readers take nothing (a slot is filled before cpu_count covers it). */
static GMutex cpu_list_lock;

static GMutex cpu_wait_lock;
static GCond cpu_wait_cond;

CPUState *cpu_create(const TargetOps *ops, int index, AddressSpace *as)
{
    CPUState *cpu;

    cpu = g_malloc0(ops->cpu_size > sizeof(CPUState) ? ops->cpu_size
                                                     : sizeof(CPUState));
    cpu->ops = ops;
    cpu->as = as;
    cpu->exception_index = EXCP_NONE;
    tb_jmp_cache_init(cpu);
    tlb_init(cpu);
    g_mutex_lock(&cpu_list_lock);
    if (cpu_count >= CPU_LIST_SIZE) {
        error_report("too many CPUs (at most %d)", CPU_LIST_SIZE);
        exit(1);
    }
    cpu->cpu_index = index >= 0 ? index : cpu_count;
    cpu_list[cpu_count] = cpu;
    __atomic_store_n(&cpu_count, cpu_count + 1, __ATOMIC_RELEASE);
    g_mutex_unlock(&cpu_list_lock);
    tlb_flush(cpu);
    cpu->stat_tlb_flush = 0;
    cpu_reset(cpu);
    cpu_update_tb_flags(cpu);
    return cpu;
}

CPUState *cpu_obtain(const TargetOps *ops)
{
    CPUState *cpu = NULL;

    g_mutex_lock(&cpu_list_lock);
    for (int i = 0; i < cpu_count && !cpu; i++) {
        if (cpu_list[i]->released && cpu_list[i]->ops == ops) {
            cpu = cpu_list[i];
            cpu->released = false;
        }
    }
    g_mutex_unlock(&cpu_list_lock);
    if (!cpu)
        return cpu_create(ops, -1, NULL);
    /* Invalidations went on emptying its jump cache while it was
       released; what the last thread left there is dropped here. */
    tb_jmp_cache_clear(cpu);
    cpu->exception_index = EXCP_NONE;
    __atomic_store_n(&cpu->exit_request, 0, __ATOMIC_RELAXED);
    __atomic_store_n(&cpu->interrupt_request, 0, __ATOMIC_RELAXED);
    memset(&cpu->user_fault, 0, sizeof(cpu->user_fault));
    cpu_reset(cpu);
    cpu_update_tb_flags(cpu);
    return cpu;
}

void cpu_release(CPUState *cpu)
{
    g_mutex_lock(&cpu_list_lock);
    cpu->released = true;
    g_mutex_unlock(&cpu_list_lock);
}

void cpu_reset(CPUState *cpu)
{
    if (log_enabled(LOG_CPU_RESET)) {
        log_printf("CPU Reset (CPU %d)\n", cpu->cpu_index);
        if (cpu->ops->dump_state)
            cpu->ops->dump_state(cpu, log_file());
    }
    if (cpu->ops->reset)
        cpu->ops->reset(cpu);
}

uint64_t cpu_get_pc(CPUState *cpu)
{
    uint64_t pc, flags;

    cpu->ops->get_tb_key(cpu, &pc, &flags);
    return pc;
}

void cpu_update_tb_flags(CPUState *cpu)
{
    uint64_t pc, flags;

    cpu->ops->get_tb_key(cpu, &pc, &flags);
    cpu->tb_flags = flags;
}

void cpu_exit(CPUState *cpu)
{
    __atomic_store_n(&cpu->exit_request, 1, __ATOMIC_SEQ_CST);
}

void cpu_kick(CPUState *cpu)
{
    g_mutex_lock(&cpu_wait_lock);
    g_cond_broadcast(&cpu_wait_cond);
    g_mutex_unlock(&cpu_wait_lock);
}

static void rr_interrupted(CPUState *cpu);

void cpu_interrupt(CPUState *cpu, uint32_t mask)
{
    __atomic_or_fetch(&cpu->interrupt_request, mask, __ATOMIC_SEQ_CST);
    cpu_exit(cpu);
    /* The pending state was set before (seq_cst): a thread that set
       halted after this load checks has_work under cpu_wait_lock and
       sees it. */
    if (cpu->round_robin)
        rr_interrupted(cpu);
    else if (__atomic_load_n(&cpu->halted, __ATOMIC_SEQ_CST) ||
             __atomic_load_n(&cpu->thread_parked, __ATOMIC_SEQ_CST))
        cpu_kick(cpu);
}

void cpu_reset_interrupt(CPUState *cpu, uint32_t mask)
{
    __atomic_and_fetch(&cpu->interrupt_request, ~mask, __ATOMIC_SEQ_CST);
}

/* ---- Exclusive sections ---- */

static GMutex excl_lock;
static GCond excl_cond;
static int running_cpus;          /* vCPUs between cpu_exec_start/end */
volatile bool exclusive_pending;
__thread CPUState *current_cpu;

void cpu_exec_start(CPUState *cpu)
{
    current_cpu = cpu;
    g_mutex_lock(&excl_lock);
    while (__atomic_load_n(&exclusive_pending, __ATOMIC_ACQUIRE))
        g_cond_wait(&excl_cond, &excl_lock);
    running_cpus++;
    g_mutex_unlock(&excl_lock);
}

void cpu_exec_end(CPUState *cpu)
{
    g_mutex_lock(&excl_lock);
    running_cpus--;
    g_cond_broadcast(&excl_cond);
    g_mutex_unlock(&excl_lock);
    current_cpu = NULL;
}

/* A vCPU that must wait for another thread (run_on_cpu) stops counting
   as running meanwhile, so that an exclusive section does not wait for it,
   and counts again once no exclusive section is pending. */
static void cpu_exec_step_out(void)
{
    g_mutex_lock(&excl_lock);
    running_cpus--;
    g_cond_broadcast(&excl_cond);
    g_mutex_unlock(&excl_lock);
}

static void cpu_exec_step_in(void)
{
    g_mutex_lock(&excl_lock);
    while (__atomic_load_n(&exclusive_pending, __ATOMIC_ACQUIRE))
        g_cond_wait(&excl_cond, &excl_lock);
    running_cpus++;
    g_mutex_unlock(&excl_lock);
}

/* Steps out while another thread is exclusive; excl_lock held. */
static void cpu_exec_wait_exclusive(void)
{
    running_cpus--;
    g_cond_broadcast(&excl_cond);
    while (__atomic_load_n(&exclusive_pending, __ATOMIC_ACQUIRE))
        g_cond_wait(&excl_cond, &excl_lock);
    running_cpus++;
}

void cpu_exec_safe_point(CPUState *cpu)
{
    g_mutex_lock(&excl_lock);
    if (__atomic_load_n(&exclusive_pending, __ATOMIC_ACQUIRE))
        cpu_exec_wait_exclusive();
    g_mutex_unlock(&excl_lock);
}

void start_exclusive(void)
{
    int self = current_cpu ? 1 : 0;

    g_mutex_lock(&excl_lock);
    while (__atomic_load_n(&exclusive_pending, __ATOMIC_ACQUIRE)) {
        /* Someone else got there first: let them finish. */
        if (self)
            cpu_exec_wait_exclusive();
        else
            g_cond_wait(&excl_cond, &excl_lock);
    }
    __atomic_store_n(&exclusive_pending, true, __ATOMIC_SEQ_CST);
    for (int i = 0; i < cpu_count; i++) {
        if (cpu_list[i] != current_cpu)
            cpu_exit(cpu_list[i]);
    }
    while (running_cpus > self)
        g_cond_wait(&excl_cond, &excl_lock);
    g_mutex_unlock(&excl_lock);
}

void end_exclusive(void)
{
    g_mutex_lock(&excl_lock);
    __atomic_store_n(&exclusive_pending, false, __ATOMIC_SEQ_CST);
    g_cond_broadcast(&excl_cond);
    g_mutex_unlock(&excl_lock);
}

/* ---- Work run on a vCPU's thread (run_on_cpu) ----
 *
 * Each CPU has a FIFO of items under work_lock; work_pending tells its
 * thread, without the lock, that there is something to run.  Queueing
 * sets it, then makes the thread look: cpu_exit for a CPU in generated
 * code (the inner loop of cpu_exec runs the work before the next TB), a
 * broadcast of cpu_wait_cond for a thread asleep (halted, stopped, or the
 * round-robin scheduler idle), and for a round-robin CPU that is not the
 * one running, the end of the running CPU's slice (the scheduler runs
 * every CPU's work between slices).  A synchronous item lives on the
 * caller's stack and is marked done under work_lock (work_cond).
 */

typedef struct CPUWorkItem {
    struct CPUWorkItem *next;
    RunOnCpuFunc fn;
    void *data;
    bool sync;          /* the caller waits; the item is on its stack */
    bool done;
} CPUWorkItem;

static GMutex work_lock;
static GCond work_cond;
static __thread CPUState *thread_vcpu; /* the CPU this thread runs (multi) */
static __thread bool thread_is_rr;     /* this is the round-robin thread */
static CPUState *rr_current;
static bool rr_idle;
static CPUState *rr_cpus[MIMIC_MAX_CPUS];
static int rr_ncpus;

/* Does the calling thread run cpu? */
static bool cpu_is_owned(CPUState *cpu)
{
    return cpu->round_robin ? thread_is_rr : thread_vcpu == cpu;
}

/* Is there work for a CPU that the calling thread runs? */
static bool owned_work_pending(void)
{
    if (thread_vcpu)
        return __atomic_load_n(&thread_vcpu->work_pending, __ATOMIC_ACQUIRE);
    for (int i = 0; thread_is_rr && i < rr_ncpus; i++) {
        if (__atomic_load_n(&rr_cpus[i]->work_pending, __ATOMIC_ACQUIRE))
            return true;
    }
    return false;
}

/* Runs the work of every CPU that the calling thread runs. */
static void owned_work_run(void)
{
    if (thread_vcpu)
        cpu_process_work(thread_vcpu);
    for (int i = 0; thread_is_rr && i < rr_ncpus; i++)
        cpu_process_work(rr_cpus[i]);
}

void cpu_process_work(CPUState *cpu)
{
    CPUWorkItem *wi;

    if (!__atomic_load_n(&cpu->work_pending, __ATOMIC_ACQUIRE))
        return;
    g_mutex_lock(&work_lock);
    while ((wi = cpu->work_first) != NULL) {
        cpu->work_first = wi->next;
        if (!wi->next)
            cpu->work_last = NULL;
        __atomic_store_n(&cpu->work_pending, cpu->work_first != NULL,
                         __ATOMIC_RELAXED);
        g_mutex_unlock(&work_lock);
        wi->fn(cpu, wi->data);
        g_mutex_lock(&work_lock);
        if (wi->sync) {
            wi->done = true;
            g_cond_broadcast(&work_cond);
        } else {
            g_free(wi);
        }
    }
    g_mutex_unlock(&work_lock);
}

/* Makes cpu's thread look at its queue soon. */
static void cpu_wake_for_work(CPUState *cpu)
{
    cpu_exit(cpu);
    g_mutex_lock(&cpu_wait_lock);
    if (cpu->round_robin && rr_current && rr_current != cpu && !rr_idle) {
        rr_current->yield_request = true;
        cpu_exit(rr_current);
    }
    g_cond_broadcast(&cpu_wait_cond);
    g_mutex_unlock(&cpu_wait_lock);
}

/* Queues wi for cpu; false if the caller must run it itself (it runs
   cpu, or no vCPU thread runs yet). */
static bool cpu_queue_work(CPUState *cpu, CPUWorkItem *wi)
{
    g_mutex_lock(&work_lock);
    if (!cpu->vcpu_started || cpu_is_owned(cpu)) {
        g_mutex_unlock(&work_lock);
        return false;
    }
    wi->next = NULL;
    if (cpu->work_last)
        ((CPUWorkItem *)cpu->work_last)->next = wi;
    else
        cpu->work_first = wi;
    cpu->work_last = wi;
    __atomic_store_n(&cpu->work_pending, true, __ATOMIC_SEQ_CST);
    /* A vCPU blocked in run_on_cpu runs its own work meanwhile. */
    g_cond_broadcast(&work_cond);
    g_mutex_unlock(&work_lock);
    cpu_wake_for_work(cpu);
    return true;
}

void async_run_on_cpu(CPUState *cpu, RunOnCpuFunc fn, void *data)
{
    CPUWorkItem *wi = g_new0(CPUWorkItem, 1);

    wi->fn = fn;
    wi->data = data;
    if (!cpu_queue_work(cpu, wi)) {
        g_free(wi);
        fn(cpu, data);
    }
}

void run_on_cpu(CPUState *cpu, RunOnCpuFunc fn, void *data)
{
    CPUWorkItem wi = { .fn = fn, .data = data, .sync = true };
    bool in_exec = current_cpu != NULL, bql;

    if (!cpu_queue_work(cpu, &wi)) {
        fn(cpu, data);
        return;
    }
    /* The target may need the BQL (an MMIO access) or an exclusive
       section may wait for us before the target reaches its safe point;
       and it may be waiting for our vCPU in turn. */
    bql = bql_locked();
    if (bql)
        bql_unlock();
    if (in_exec)
        cpu_exec_step_out();
    g_mutex_lock(&work_lock);
    while (!wi.done) {
        if (owned_work_pending()) {
            g_mutex_unlock(&work_lock);
            if (in_exec)
                cpu_exec_step_in();
            owned_work_run();
            if (in_exec)
                cpu_exec_step_out();
            g_mutex_lock(&work_lock);
            continue;
        }
        g_cond_wait(&work_cond, &work_lock);
    }
    g_mutex_unlock(&work_lock);
    if (in_exec)
        cpu_exec_step_in();
    if (bql)
        bql_lock();
}

/* ---- The firmware gate (one thread per CPU) ----
 *
 * Firmware may publish a state change before the data that goes with it:
 * Debian's OpenSBI 1.1 marks a hart START_PENDING before it stores the
 * hart's start address, while the hart being started spins on that
 * state (docs/devel/debugging.md).  On hardware the two stores are
 * nanoseconds apart; with one host thread per hart, the calling hart's
 * thread can be held up between them for much longer (translating the
 * code that follows, waiting for tb_lock, preempted by the host), and
 * the spinning hart then starts the OS at its cold entry (a hang about
 * once in a hundred -smp 2 boots on a loaded host).  So a CPU that runs
 * the firmware it was reset into (CPU_FW_BOOT: it has never handed over
 * to the OS) does not run while another CPU is in a call into the
 * firmware from the OS (CPU_FW_CALL): the caller stops the boot-firmware
 * CPUs at this gate, at the top of their loops, before its first
 * firmware TB, and they go on when it has returned to the OS.  OS code
 * never waits here.  A boot-firmware CPU kept waiting for
 * FW_GATE_MAX_WAIT_US goes on anyway (a bare-metal guest whose trap
 * handler waits for a hart that never left M-mode), and so does a caller
 * whose boot CPUs do not reach the gate in that time.  Round-robin does
 * not use the gate (it has TargetOps.in_firmware instead).
 */

#define FW_GATE_MAX_WAIT_US 100000

static GMutex fw_lock;
static GCond fw_cond;
static int fw_calls;            /* CPUs counted in a firmware call */

static int fw_state(CPUState *c)
{
    return c->ops->firmware_state ? c->ops->firmware_state(c) : CPU_FW_NONE;
}

bool cpu_loop_wanted(CPUState *cpu)
{
    return __atomic_load_n(&exclusive_pending, __ATOMIC_ACQUIRE) ||
           cpu->stop ||
           __atomic_load_n(&cpu->work_pending, __ATOMIC_ACQUIRE) ||
           __atomic_load_n(&cpu->exit_request, __ATOMIC_RELAXED);
}

/* fw_lock held. */
static void fw_leave_locked(CPUState *cpu)
{
    if (!cpu->fw_in_call)
        return;
    cpu->fw_in_call = false;
    cpu->fw_fenced = false;
    fw_calls--;
    g_cond_broadcast(&fw_cond);
}

/* Waits until no other CPU runs boot firmware past its gate; false if
   cpu must go back to its loop first.  fw_lock held. */
static bool fw_fence_locked(CPUState *cpu)
{
    int64_t deadline = g_get_monotonic_time() + FW_GATE_MAX_WAIT_US;

    for (;;) {
        bool busy = false;

        for (int i = 0; i < cpu_count; i++) {
            CPUState *c = cpu_list[i];

            if (c != cpu && c->fw_running && fw_state(c) == CPU_FW_BOOT) {
                cpu_exit(c);
                busy = true;
            }
        }
        if (!busy || g_get_monotonic_time() > deadline) {
            cpu->fw_fenced = true;
            return true;
        }
        if (__atomic_load_n(&exclusive_pending, __ATOMIC_ACQUIRE) ||
            cpu->stop ||
            __atomic_load_n(&cpu->work_pending, __ATOMIC_ACQUIRE))
            return false;
        g_cond_wait_until(&fw_cond, &fw_lock, g_get_monotonic_time() + 1000);
    }
}

bool cpu_fw_gate_open(CPUState *cpu)
{
    return cpu->round_robin || !cpu->ops->firmware_state ||
           (fw_state(cpu) == CPU_FW_NONE && !cpu->fw_in_call &&
            !cpu->fw_running);      /* the OS: never waits here */
}

bool cpu_fw_gate(CPUState *cpu)
{
    int st;

    if (cpu_fw_gate_open(cpu))
        return true;
    st = fw_state(cpu);
    g_mutex_lock(&fw_lock);
    if (cpu->fw_in_call && st != CPU_FW_CALL)
        fw_leave_locked(cpu);
    if (st == CPU_FW_CALL) {
        if (!cpu->fw_in_call) {
            cpu->fw_in_call = true;
            fw_calls++;
        }
        if (!cpu->fw_fenced && !fw_fence_locked(cpu)) {
            g_mutex_unlock(&fw_lock);
            return false;
        }
    }
    if (cpu->fw_running) {
        cpu->fw_running = false;
        g_cond_broadcast(&fw_cond);     /* for fw_fence_locked */
    }
    if (st == CPU_FW_BOOT) {
        while (fw_calls > 0 && !cpu->singlestep) {
            int64_t now = g_get_monotonic_time();

            if (!cpu->fw_wait_since) {
                cpu->fw_wait_since = now;
                STAT_ADD(fw_gate_waits, 1);
            }
            if (now - cpu->fw_wait_since > FW_GATE_MAX_WAIT_US) {
                STAT_ADD(fw_gate_timeouts, 1);
                break;
            }
            if (cpu_loop_wanted(cpu)) {
                g_mutex_unlock(&fw_lock);
                return false;
            }
            g_cond_wait_until(&fw_cond, &fw_lock, now + 1000);
        }
        cpu->fw_wait_since = 0;
        cpu->fw_running = true;
    }
    g_mutex_unlock(&fw_lock);
    return true;
}

void cpu_fw_exec_end(CPUState *cpu)
{
    if (!cpu->fw_in_call && !cpu->fw_running)
        return;
    g_mutex_lock(&fw_lock);
    if (cpu->fw_running) {
        cpu->fw_running = false;
        g_cond_broadcast(&fw_cond);
    }
    if (cpu->fw_in_call && fw_state(cpu) != CPU_FW_CALL)
        fw_leave_locked(cpu);
    g_mutex_unlock(&fw_lock);
}

/* ---- The vCPU thread ---- */

static bool cpu_can_run(CPUState *cpu)
{
    if (cpu->stop)
        return false;
    if (!cpu->halted)
        return true;
    return cpu->ops->has_work && cpu->ops->has_work(cpu);
}

/* Sleeps until the CPU may run: not stopped, and not halted idle. */
static void cpu_wait_io_event(CPUState *cpu)
{
    g_mutex_lock(&cpu_wait_lock);
    while (!cpu_can_run(cpu)) {
        if (__atomic_load_n(&cpu->work_pending, __ATOMIC_ACQUIRE)) {
            /* Halted or stopped, it still runs its work. */
            g_mutex_unlock(&cpu_wait_lock);
            cpu_process_work(cpu);
            g_mutex_lock(&cpu_wait_lock);
            continue;
        }
        if (cpu->stop && !cpu->stopped) {
            cpu->stopped = true;
            cpu->thread_parked = true;
            g_cond_broadcast(&cpu_wait_cond);   /* for cpu_pause */
        }
        cpu->thread_parked = true;
        g_cond_wait(&cpu_wait_cond, &cpu_wait_lock);
    }
    cpu->thread_parked = false;
    cpu->stopped = false;
    g_mutex_unlock(&cpu_wait_lock);
}

/* cpu_exec returned EXCP_DEBUG (a breakpoint, watchpoint or step): the
   CPU stops at once, before any other can report; the main loop stops
   the rest of the machine. */
static void cpu_debug_exit(CPUState *cpu)
{
    g_mutex_lock(&cpu_wait_lock);
    cpu->stop = true;
    g_mutex_unlock(&cpu_wait_lock);
    cpu_handle_debug_stop(cpu);
}

/* The host thread id of the calling thread (QMP's query-cpus-fast). */
static int host_thread_id(void)
{
    return (int)syscall(SYS_gettid);
}

static gpointer cpu_thread_fn(gpointer opaque)
{
    CPUState *cpu = opaque;

    cpu->thread_id = host_thread_id();
    thread_vcpu = cpu;

    for (;;) {
        cpu_wait_io_event(cpu);
        if (cpu_exec(cpu) == EXCP_DEBUG)
            cpu_debug_exit(cpu);
    }
    return NULL;
}

void cpu_thread_start(CPUState *cpu)
{
    char name[32];

    snprintf(name, sizeof(name), "vcpu%d", cpu->cpu_index);
    cpu->thread = g_thread_new(name, cpu_thread_fn, cpu);
}

void cpu_pause(CPUState *cpu)
{
    g_mutex_lock(&cpu_wait_lock);
    cpu->stop = true;
    cpu_exit(cpu);
    /* A round-robin CPU that is not running now is stopped at once: the
       scheduler checks stop under this lock before running it. */
    if (cpu->round_robin && rr_current != cpu) {
        cpu->stopped = true;
        cpu->thread_parked = true;
    }
    g_cond_broadcast(&cpu_wait_cond);
    /* From the vCPU itself (an MMIO write that stops the machine, or
       cpu_handle_debug_stop after cpu_exec returned, when current_cpu is
       already NULL) or from the round-robin thread that runs it: it
       parks when it gets back to its loop; waiting would deadlock. */
    while (cpu->thread && !cpu->stopped && current_cpu != cpu &&
           cpu->thread != (void *)g_thread_self())
        g_cond_wait(&cpu_wait_cond, &cpu_wait_lock);
    g_mutex_unlock(&cpu_wait_lock);
}

void cpu_resume(CPUState *cpu)
{
    g_mutex_lock(&cpu_wait_lock);
    cpu->stop = false;
    if (cpu->round_robin) {
        cpu->stopped = false;
        cpu->thread_parked = false;
    }
    g_cond_broadcast(&cpu_wait_cond);
    g_mutex_unlock(&cpu_wait_lock);
}

/* ---- Round-robin: all CPUs on one thread ----
 *
 * The scheduler (rr_thread_fn) runs cpu_exec on each runnable CPU in
 * turn.  A slice ends when cpu_exec returns: the CPU halted (WFI), was
 * stopped, or its slice ran out.  The kicker thread (rr_kick_thread_fn)
 * sleeps until the slice's deadline and then sets the running CPU's
 * yield_request and exit_request, which generated code sees at the next
 * TB entry, so even a one-TB loop is preempted within a TB.  Switching
 * to another CPU calls the target's sched_in hook: on RISC-V it drops the
 * LR reservation, since other harts may have stored to it meanwhile.
 * State below is under cpu_wait_lock.
 */

/* rr_cpus, rr_ncpus, rr_current and rr_idle (the scheduler sleeps:
   nothing runnable) are declared with the work queues above. */
static int64_t rr_deadline;      /* g_get_monotonic_time() of the slice end */
static int64_t rr_slice_us = 2000;
static GRand *rr_slice_rand;     /* slice=random: a new length per slice */
static CPUState *rr_urgent;      /* got an interrupt while another ran */
static GCond rr_kick_cond;
static bool multithread;
static bool cpus_started;
static CPUState *started_cpus[MIMIC_MAX_CPUS];
static int started_ncpus;

void cpus_set_multithread(bool on)
{
    multithread = on;
}

void cpus_set_time_slice_us(int64_t us)
{
    g_mutex_lock(&cpu_wait_lock);
    rr_slice_us = us > 0 ? us : 1;
    g_mutex_unlock(&cpu_wait_lock);
}

void cpus_set_time_slice_random(bool on)
{
    g_mutex_lock(&cpu_wait_lock);
    if (on && !rr_slice_rand)
        rr_slice_rand = g_rand_new();
    else if (!on && rr_slice_rand)
        g_clear_pointer(&rr_slice_rand, g_rand_free);
    g_mutex_unlock(&cpu_wait_lock);
}

/* The length of the next slice.  Random slices are spread evenly over the
   powers of two from 1 us to 8 ms, so that short ones (a slice ending a
   few instructions into a critical section) are as likely as long ones.
   cpu_wait_lock held. */
static int64_t rr_next_slice_us(void)
{
    int64_t base;

    if (!rr_slice_rand)
        return rr_slice_us;
    base = (int64_t)1 << g_rand_int_range(rr_slice_rand, 0, 14);
    return base + g_rand_int_range(rr_slice_rand, 0, (gint32)base);
}

/*
 * An interrupt was raised for cpu (any thread).  On hardware every hart
 * runs all the time and takes an interrupt within a few instructions, and
 * guests count on it (an IPI's sender spins for its answer; Linux's tty
 * hangup throws away what the UART interrupt has not sent yet): a hart
 * waiting for its turn, in WFI or not, runs next, and the running slice
 * ends at its next TB entry.
 */
static void rr_interrupted(CPUState *cpu)
{
    g_mutex_lock(&cpu_wait_lock);
    if (rr_idle) {
        g_cond_broadcast(&cpu_wait_cond);
    } else if (rr_current && rr_current != cpu) {
        rr_urgent = cpu;
        rr_current->yield_request = true;
        cpu_exit(rr_current);
    }
    g_mutex_unlock(&cpu_wait_lock);
}

/* Marks stop-requested CPUs stopped (for cpu_pause); cpu_wait_lock held. */
static void rr_mark_stopped(void)
{
    bool changed = false;

    for (int i = 0; i < rr_ncpus; i++) {
        CPUState *c = rr_cpus[i];

        if (c->stop && !c->stopped) {
            c->stopped = true;
            c->thread_parked = true;
            changed = true;
        }
    }
    if (changed)
        g_cond_broadcast(&cpu_wait_cond);
}

/*
 * The firmware gate of round-robin (see "The firmware gate" above): a CPU
 * still in its boot firmware is not picked while another CPU that can run
 * is in a firmware call, for at most FW_GATE_MAX_WAIT_US.  Slices end
 * anywhere, so without it a slice that ended between OpenSBI's two
 * stores let the started hart see the half-made state (1 -smp 2 Linux
 * boot in 8 hung in test-smp-boot under heavy load).  cpu_wait_lock held.
 */
static bool rr_fw_gated(CPUState *c)
{
    if (!c->ops->firmware_state || c->singlestep ||
        fw_state(c) != CPU_FW_BOOT) {
        c->fw_wait_since = 0;
        return false;
    }
    for (int i = 0; i < rr_ncpus; i++) {
        CPUState *o = rr_cpus[i];
        int64_t now;

        if (o == c || fw_state(o) != CPU_FW_CALL || !cpu_can_run(o))
            continue;
        now = g_get_monotonic_time();
        if (!c->fw_wait_since) {
            c->fw_wait_since = now;
            STAT_ADD(fw_gate_waits, 1);
        }
        if (now - c->fw_wait_since > FW_GATE_MAX_WAIT_US) {
            STAT_ADD(fw_gate_timeouts, 1);
            return false;
        }
        return true;
    }
    c->fw_wait_since = 0;
    return false;
}

/* Picks the next CPU to run after index *next, sleeping while none can;
   starts its slice.  Returns NULL when a CPU has queued work, which the
   caller runs without the lock.  cpu_wait_lock held. */
static CPUState *rr_pick(int *next)
{
    for (;;) {
        int first = *next;

        if (owned_work_pending())
            return NULL;
        rr_mark_stopped();
        /* A hart with a new interrupt goes first (rr_interrupted). */
        for (int k = 0; rr_urgent && k < rr_ncpus; k++) {
            if (rr_cpus[k] == rr_urgent)
                first = k;
        }
        rr_urgent = NULL;
        for (int i = 0; i < rr_ncpus; i++) {
            int k = (first + i) % rr_ncpus;
            CPUState *c = rr_cpus[k];

            if (cpu_can_run(c) && !rr_fw_gated(c)) {
                /* After an urgent hart, the round goes on where it was. */
                if (first == *next)
                    *next = (k + 1) % rr_ncpus;
                /* The kicker sleeps until the old deadline: wake it if
                   it sleeps for good or this slice may be shorter. */
                if (!rr_current || rr_idle || rr_slice_rand)
                    g_cond_signal(&rr_kick_cond);
                rr_idle = false;
                rr_current = c;
                c->yield_request = false;
                c->yield_deferred = false;
                c->firmware_tbs = 0;
                rr_deadline = g_get_monotonic_time() + rr_next_slice_us();
                STAT_ADD(rr_slices, 1);
                return c;
            }
        }
        rr_idle = true;
        rr_current = NULL;
        STAT_ADD(rr_sleeps, 1);
        g_cond_wait(&cpu_wait_cond, &cpu_wait_lock);
    }
}

static gpointer rr_thread_fn(gpointer opaque)
{
    CPUState *last = NULL;
    int next = 0;

    (void)opaque;
    thread_is_rr = true;
    g_mutex_lock(&cpu_wait_lock);
    for (int i = 0; i < rr_ncpus; i++)
        rr_cpus[i]->thread_id = host_thread_id();
    for (;;) {
        CPUState *cpu = rr_pick(&next);

        g_mutex_unlock(&cpu_wait_lock);
        if (!cpu) {
            owned_work_run();
            g_mutex_lock(&cpu_wait_lock);
            continue;
        }
        if (last && last != cpu && cpu->ops->sched_in)
            cpu->ops->sched_in(cpu);
        last = cpu;
        if (cpu_exec(cpu) == EXCP_DEBUG)
            cpu_debug_exit(cpu);
        g_mutex_lock(&cpu_wait_lock);
    }
    return NULL;
}

/* Ends the running CPU's slice at its deadline. */
static gpointer rr_kick_thread_fn(gpointer opaque)
{
    (void)opaque;
    g_mutex_lock(&cpu_wait_lock);
    for (;;) {
        int64_t now = g_get_monotonic_time();

        if (!rr_current || rr_idle) {
            g_cond_wait(&rr_kick_cond, &cpu_wait_lock);
        } else if (now < rr_deadline) {
            g_cond_wait_until(&rr_kick_cond, &cpu_wait_lock, rr_deadline);
        } else {
            rr_current->yield_request = true;
            cpu_exit(rr_current);
            STAT_ADD(rr_kicks, 1);
            /* Kick again after another slice if it is still running. */
            rr_deadline = now + rr_next_slice_us();
        }
    }
    return NULL;
}

void cpus_start(CPUState *const *cpus, int n)
{
    GThread *thread;

    if (cpus_started || n <= 0)
        return;
    if (n > MIMIC_MAX_CPUS)
        n = MIMIC_MAX_CPUS;
    cpus_started = true;
    memcpy(started_cpus, cpus, (size_t)n * sizeof(cpus[0]));
    started_ncpus = n;
    g_mutex_lock(&work_lock);
    for (int i = 0; i < n; i++)
        cpus[i]->vcpu_started = true;
    g_mutex_unlock(&work_lock);
    if (multithread) {
        for (int i = 0; i < n; i++)
            cpu_thread_start(cpus[i]);
        return;
    }
    g_mutex_lock(&cpu_wait_lock);
    for (int i = 0; i < n; i++) {
        rr_cpus[i] = cpus[i];
        cpus[i]->round_robin = true;
    }
    rr_ncpus = n;
    g_mutex_unlock(&cpu_wait_lock);
    /* With one CPU nothing needs preempting: no kicker. */
    if (n > 1)
        g_thread_unref(g_thread_new("vcpu-kick", rr_kick_thread_fn, NULL));
    thread = g_thread_new("vcpu-rr", rr_thread_fn, NULL);
    for (int i = 0; i < n; i++)
        cpus[i]->thread = thread;
}

void cpus_stop_from_guest(void)
{
    if (!current_cpu)
        return;
    g_mutex_lock(&cpu_wait_lock);
    for (int i = 0; i < started_ncpus; i++) {
        CPUState *c = started_cpus[i];

        c->stop = true;
        cpu_exit(c);
        /* As cpu_pause: the scheduler checks stop before running it. */
        if (c->round_robin && rr_current != c) {
            c->stopped = true;
            c->thread_parked = true;
        }
    }
    g_cond_broadcast(&cpu_wait_cond);
    g_mutex_unlock(&cpu_wait_lock);
}

void cpus_pause_all(void)
{
    for (int i = 0; i < started_ncpus; i++)
        cpu_pause(started_cpus[i]);
    clock_virtual_stop();
}

void cpus_resume_all(void)
{
    clock_virtual_start();
    for (int i = 0; i < started_ncpus; i++)
        cpu_resume(started_cpus[i]);
}

/* ---- fork() in user mode ---- */

/* The parent held the exclusive section over fork(); another thread may
   have held any of these locks, and no one in the child will release
   them.  Static glib locks and conditions start zeroed. */
void cpus_after_fork_child(CPUState *self)
{
    memset(&cpu_list_lock, 0, sizeof(cpu_list_lock));
    memset(&cpu_wait_lock, 0, sizeof(cpu_wait_lock));
    memset(&cpu_wait_cond, 0, sizeof(cpu_wait_cond));
    memset(&excl_lock, 0, sizeof(excl_lock));
    memset(&excl_cond, 0, sizeof(excl_cond));
    memset(&work_lock, 0, sizeof(work_lock));
    memset(&work_cond, 0, sizeof(work_cond));
    running_cpus = 0;
    __atomic_store_n(&exclusive_pending, false, __ATOMIC_SEQ_CST);
    for (int i = 0; i < cpu_count; i++) {
        CPUState *c = cpu_list[i];

        /* Sync items lived on the stacks of threads that are gone. */
        c->work_first = c->work_last = NULL;
        c->work_pending = false;
        if (c != self)
            c->released = true;
    }
}

/* ---- The BQL ---- */

static pthread_mutex_t bql_mutex = PTHREAD_MUTEX_INITIALIZER;
static __thread unsigned bql_depth;

void bql_lock(void)
{
    if (bql_depth++ == 0)
        pthread_mutex_lock(&bql_mutex);
}

void bql_unlock(void)
{
    if (bql_depth == 0) {
        error_report("internal error: BQL unlocked by a thread not holding it");
        abort();
    }
    if (--bql_depth == 0)
        pthread_mutex_unlock(&bql_mutex);
}

bool bql_locked(void)
{
    return bql_depth > 0;
}
