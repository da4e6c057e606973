/*
 * vCPU life cycle: creating a CPU, asking it to leave translated code
 * (cpu_exit), raising interrupt bits (cpu_interrupt), and the threads that
 * run cpu_exec() without the BQL.  By default (cpus_start) one thread runs
 * every CPU round-robin: each gets a time slice, ended by a kicker thread
 * that sets the running CPU's yield_request, and the thread sleeps only
 * while every CPU is halted with nothing to do or stopped.  The older mode
 * (cpu_thread_start, -accel tcg,thread=multi) gives each CPU its own
 * thread, which sleeps while its CPU is halted and parks while it is
 * stopped.  cpu_pause/cpu_resume serve the monitor and shutdown in both
 * modes.  One mutex and condition variable serve all CPUs and threads:
 * wake-ups are rare (interrupts to halted CPUs, pause/resume, slices).
 */
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "mimic/timer.h"

#include <glib.h>

#include "internal.h"
#include "mimic/debug.h"
#include "mimic/log.h"

CPUState *cpu_list[MIMIC_MAX_CPUS];
int cpu_count;

static GMutex cpu_wait_lock;
static GCond cpu_wait_cond;

CPUState *cpu_create(const TargetOps *ops, int index, AddressSpace *as)
{
    CPUState *cpu;

    if (cpu_count >= MIMIC_MAX_CPUS) {
        error_report("too many CPUs (at most %d)", MIMIC_MAX_CPUS);
        exit(1);
    }
    cpu = g_malloc0(ops->cpu_size > sizeof(CPUState) ? ops->cpu_size
                                                     : sizeof(CPUState));
    cpu->ops = ops;
    cpu->as = as;
    cpu->cpu_index = index;
    cpu->exception_index = EXCP_NONE;
    cpu_list[cpu_count] = cpu;
    tlb_init(cpu);
    __atomic_store_n(&cpu_count, cpu_count + 1, __ATOMIC_RELEASE);
    tlb_flush(cpu);
    cpu->stat_tlb_flush = 0;
    if (ops->reset)
        ops->reset(cpu);
    cpu_update_tb_flags(cpu);
    return cpu;
}

void cpu_update_tb_flags(CPUState *cpu)
{
    uint64_t pc;
    uint32_t flags;

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
    if (cpu->round_robin)
        rr_interrupted(cpu);
    else if (cpu->halted || cpu->thread_parked)
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
    while (exclusive_pending)
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

/* Steps out while another thread is exclusive; excl_lock held. */
static void cpu_exec_wait_exclusive(void)
{
    running_cpus--;
    g_cond_broadcast(&excl_cond);
    while (exclusive_pending)
        g_cond_wait(&excl_cond, &excl_lock);
    running_cpus++;
}

void cpu_exec_safe_point(CPUState *cpu)
{
    g_mutex_lock(&excl_lock);
    if (exclusive_pending)
        cpu_exec_wait_exclusive();
    g_mutex_unlock(&excl_lock);
}

void start_exclusive(void)
{
    int self = current_cpu ? 1 : 0;

    g_mutex_lock(&excl_lock);
    while (exclusive_pending) {
        /* Someone else got there first: let them finish. */
        if (self)
            cpu_exec_wait_exclusive();
        else
            g_cond_wait(&excl_cond, &excl_lock);
    }
    exclusive_pending = true;
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
    exclusive_pending = false;
    g_cond_broadcast(&excl_cond);
    g_mutex_unlock(&excl_lock);
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

static CPUState *rr_current;

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

static CPUState *rr_cpus[MIMIC_MAX_CPUS];
static int rr_ncpus;
static bool rr_idle;             /* the scheduler sleeps: nothing runnable */
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

/* Picks the next CPU to run after index *next, sleeping while none can;
   starts its slice.  cpu_wait_lock held. */
static CPUState *rr_pick(int *next)
{
    for (;;) {
        int first = *next;

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

            if (cpu_can_run(c)) {
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
    g_mutex_lock(&cpu_wait_lock);
    for (int i = 0; i < rr_ncpus; i++)
        rr_cpus[i]->thread_id = host_thread_id();
    for (;;) {
        CPUState *cpu = rr_pick(&next);

        g_mutex_unlock(&cpu_wait_lock);
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
