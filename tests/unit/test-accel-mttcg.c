/* needs: none */
/*
 * Tests of run_on_cpu and async_run_on_cpu (accel/tcg/cpus.c) with one
 * host thread per toy hart (cpus_set_multithread): work reaches a hart in
 * a tight loop, a halted hart and a stopped one, always on the hart's own
 * thread and in order; run_on_cpu from a device write (a vCPU holding the
 * BQL) to a hart that needs the BQL itself returns, and so do two harts
 * that wait for each other's work at the same time.
 */
#include "toy-guest.h"
#include "unit.h"

#define NHARTS 3

static CPUState *harts[NHARTS];

static ToyCPU *hart(int i)
{
    return (ToyCPU *)harts[i];
}

static void harts_init(void)
{
    static bool done;

    if (done)
        return;
    done = true;
    machine_init();
    for (int i = 0; i < NHARTS; i++) {
        harts[i] = cpu_create(&toy_ops, 10 + i, &as);
        cpu_pause(harts[i]);
    }
    cpus_set_multithread(true);
    cpus_start(harts, NHARTS);
}

/* Stops the harts, loads prog at 0 and puts hart i at pc[i]. */
static void harts_load(const uint32_t *prog, size_t n, const uint64_t *pc)
{
    harts_init();
    cpus_pause_all();
    load(0, prog, n);
    for (int i = 0; i < NHARTS; i++) {
        ToyCPU *t = hart(i);

        tlb_flush(harts[i]);
        t->pc = pc[i];
        t->acc = t->x = t->cnt = 0;
        t->nirq = t->nexcp = 0;
        t->irq_pending = 0;
        t->handler = t->irq_handler = RAM_SIZE - 16;   /* HALT */
        harts[i]->halted = false;
        harts[i]->interrupt_request = 0;
    }
}

typedef struct Note {
    CPUState *cpu;          /* the hart the work ran for */
    void *thread;           /* the thread it ran on */
    int order;
} Note;

static Note notes[64];
static int nnotes;
static GMutex notes_lock;

static int cross_counts[3];

static void note_work(CPUState *c, void *data)
{
    if ((intptr_t)data < 3)
        __atomic_add_fetch(&cross_counts[(intptr_t)data], 1, __ATOMIC_SEQ_CST);
    g_mutex_lock(&notes_lock);
    if (nnotes < (int)N(notes)) {
        notes[nnotes].cpu = c;
        notes[nnotes].thread = g_thread_self();
        notes[nnotes].order = (int)(intptr_t)data;
        nnotes++;
    }
    g_mutex_unlock(&notes_lock);
}

static int notes_count(void)
{
    int n;

    g_mutex_lock(&notes_lock);
    n = nnotes;
    g_mutex_unlock(&notes_lock);
    return n;
}

static void notes_reset(void)
{
    g_mutex_lock(&notes_lock);
    nnotes = 0;
    g_mutex_unlock(&notes_lock);
}

TEST(run_on_cpu_reaches_a_hart_in_a_tight_loop_on_its_thread)
{
    static const uint32_t prog[] = {
        INSN(OP_ADDI, 1),        /* 0: a one-TB loop chained to itself */
        INSN(OP_JMP, 0),         /* 4 */
    };
    static const uint64_t pc[NHARTS] = { 0, 0, 0 };

    harts_load(prog, N(prog), pc);
    notes_reset();
    cpus_resume_all();
    EXPECT(WAIT_FOR(hart(1)->acc > 1000, 10000));
    run_on_cpu(harts[1], note_work, (void *)1);
    EXPECT_EQ(notes_count(), 1);
    EXPECT(notes[0].cpu == harts[1]);
    EXPECT(notes[0].thread == harts[1]->thread);
    /* Queued work runs in order, each on its hart's thread. */
    for (int i = 0; i < 10; i++)
        async_run_on_cpu(harts[i % NHARTS], note_work, (void *)(intptr_t)(2 + i));
    run_on_cpu(harts[0], note_work, (void *)100);
    run_on_cpu(harts[1], note_work, (void *)101);
    run_on_cpu(harts[2], note_work, (void *)102);
    EXPECT_EQ(notes_count(), 14);
    for (int i = 1; i < notes_count(); i++)
        EXPECT(notes[i].thread == notes[i].cpu->thread);
    for (int h = 0; h < NHARTS; h++) {
        int last = 0;

        for (int i = 1; i < notes_count(); i++) {
            if (notes[i].cpu != harts[h])
                continue;
            EXPECT(notes[i].order > last);
            last = notes[i].order;
        }
        EXPECT_EQ(last, 100 + h);
    }
    cpus_pause_all();
}

TEST(work_reaches_halted_and_stopped_harts_without_waking_them)
{
    static const uint32_t prog[] = {
        INSN(OP_WFI, 0),         /* 0 */
        INSN(OP_ADDI, 7),        /* 4 */
        INSN(OP_HALT, 0),        /* 8 */
    };
    static const uint64_t pc[NHARTS] = { 0, 0, 0 };

    harts_load(prog, N(prog), pc);
    notes_reset();
    cpus_resume_all();
    EXPECT(WAIT_FOR(harts[0]->halted && harts[1]->halted, 10000));
    run_on_cpu(harts[0], note_work, (void *)1);
    EXPECT_EQ(notes_count(), 1);
    EXPECT(notes[0].thread == harts[0]->thread);
    EXPECT(harts[0]->halted);
    EXPECT_EQ(hart(0)->acc, 0);
    /* Stopped: the work runs, the hart stays stopped. */
    cpus_pause_all();
    run_on_cpu(harts[1], note_work, (void *)2);
    async_run_on_cpu(harts[2], note_work, (void *)3);
    EXPECT(WAIT_FOR(notes_count() == 3, 10000));
    EXPECT(notes[1].thread == harts[1]->thread);
    EXPECT(notes[2].thread == harts[2]->thread);
    EXPECT(harts[1]->stopped && harts[2]->stopped);
    EXPECT_EQ(hart(1)->acc, 0);
}

/* From a device write on hart 0's thread (BQL held) to hart 1, which
   needs the BQL for its own device writes. */
static void cross_hook(uint64_t addr, uint64_t val)
{
    CPUState *self = NULL;

    for (int i = 0; i < NHARTS; i++) {
        if (harts[i]->thread == (void *)g_thread_self())
            self = harts[i];
    }
    if (self == harts[0] || self == harts[1])
        run_on_cpu(self == harts[0] ? harts[1] : harts[0], note_work,
                   (void *)(intptr_t)(self == harts[0] ? 1 : 2));
}

TEST(run_on_cpu_under_the_bql_and_in_both_directions_returns)
{
    static const uint32_t prog[] = {
        INSN(OP_SETCNT, 300),    /* 0: harts 0 and 1 */
        INSN(OP_ST, DEV_BASE),   /* 4: device write -> run_on_cpu */
        INSN(OP_ADDI, 1),        /* 8 */
        INSN(OP_LOOP, 4),        /* 12 */
        INSN(OP_WFI, 0),         /* 16 */
        INSN(OP_HALT, 0),        /* 20 */
        INSN(OP_ST, DEV_BASE),   /* 24: hart 2 spins on the device */
        INSN(OP_JMP, 24),        /* 28 */
    };
    static const uint64_t pc[NHARTS] = { 0, 0, 24 };
    int n01 = 0, n10 = 0;

    cross_counts[1] = cross_counts[2] = 0;
    harts_load(prog, N(prog), pc);
    notes_reset();
    dev_write_hook = cross_hook;
    cpus_resume_all();
    EXPECT(WAIT_FOR(hart(0)->acc == 300 && hart(1)->acc == 300, 30000));
    cpus_pause_all();
    dev_write_hook = NULL;
    for (int i = 0; i < notes_count(); i++) {
        n01 += notes[i].order == 1 && notes[i].cpu == harts[1];
        n10 += notes[i].order == 2 && notes[i].cpu == harts[0];
    }
    /* notes[] keeps the first 64; every write got its work done. */
    EXPECT_EQ(n01 + n10, (int)N(notes));
    EXPECT_EQ(cross_counts[1], 300);
    EXPECT_EQ(cross_counts[2], 300);
}

int main(void)
{
    (void)stat;
    return unit_run();
}
