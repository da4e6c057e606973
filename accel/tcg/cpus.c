/*
 * vCPU life cycle: creating a CPU, asking it to leave translated code
 * (cpu_exit), raising interrupt bits (cpu_interrupt), and the vCPU thread
 * that runs cpu_exec() without the BQL, sleeps while the CPU is halted
 * with nothing to do, and parks while it is stopped (cpu_pause/resume for
 * the monitor and shutdown).  One mutex and condition variable serve all
 * CPUs: wake-ups are rare (interrupts to a halted CPU, pause/resume).
 */
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "internal.h"
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

void cpu_interrupt(CPUState *cpu, uint32_t mask)
{
    __atomic_or_fetch(&cpu->interrupt_request, mask, __ATOMIC_SEQ_CST);
    cpu_exit(cpu);
    if (cpu->halted || cpu->thread_parked)
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

static gpointer cpu_thread_fn(gpointer opaque)
{
    CPUState *cpu = opaque;

    for (;;) {
        cpu_wait_io_event(cpu);
        cpu_exec(cpu);
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
    g_cond_broadcast(&cpu_wait_cond);
    /* From the vCPU itself (an MMIO write that stops the machine): it
       parks when it gets back to its loop; waiting would deadlock. */
    while (cpu->thread && !cpu->stopped && current_cpu != cpu)
        g_cond_wait(&cpu_wait_cond, &cpu_wait_lock);
    g_mutex_unlock(&cpu_wait_lock);
}

void cpu_resume(CPUState *cpu)
{
    g_mutex_lock(&cpu_wait_lock);
    cpu->stop = false;
    g_cond_broadcast(&cpu_wait_cond);
    g_mutex_unlock(&cpu_wait_lock);
}
