/* needs: none */
/*
 * Tests of the round-robin scheduler of accel/tcg/cpus.c (cpus_start):
 * several toy harts (toy-guest.h) share one host thread.  Harts in tight
 * loops all make progress, a hart spinning on a flag does not starve the
 * hart that sets it, the thread sleeps when every hart is halted and wakes
 * for an interrupt, an interrupt to a halted hart ends the running hart's
 * slice, and pause/resume of all harts stops them and the virtual clock.
 * The harts are started once; each test pauses them, loads its programs
 * and resumes them.
 */
#include "mimic/timer.h"
#include "toy-guest.h"
#include "unit.h"

#define NHARTS 3

static CPUState *harts[NHARTS];

static ToyCPU *hart(int i)
{
    return (ToyCPU *)harts[i];
}

/* Starts the round-robin thread once, with every hart stopped. */
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

        t->pc = pc[i];
        t->acc = t->x = t->cnt = 0;
        t->nirq = t->nexcp = 0;
        t->irq_pending = 0;
        t->nsched_in = 0;
        t->handler = t->irq_handler = RAM_SIZE - 16;   /* HALT */
        harts[i]->halted = false;
        harts[i]->interrupt_request = 0;
    }
}

static bool all_halted(void)
{
    for (int i = 0; i < NHARTS; i++) {
        if (!harts[i]->halted)
            return false;
    }
    return true;
}

TEST(harts_in_tight_loops_all_make_progress)
{
    /* Each hart runs a one-TB loop that chains to itself. */
    static const uint32_t prog[] = {
        INSN(OP_ADDI, 1),        /* 0 */
        INSN(OP_JMP, 0),         /* 4 */
    };
    static const uint64_t pc[NHARTS] = { 0, 0, 0 };
    uint64_t slices0, kicks0, a[NHARTS];

    harts_load(prog, N(prog), pc);
    slices0 = stat("round-robin slices");
    kicks0 = stat("kicker ends");
    cpus_resume_all();
    /* Ten 2 ms slices ended by the kicker, each hart well on its way: a
       loaded host gives the thread less time, so wait for the condition
       (seconds at most), not for a time. */
    EXPECT(WAIT_FOR(stat("round-robin slices") - slices0 >= 10 &&
                        stat("kicker ends") - kicks0 >= 10 &&
                        hart(0)->acc > 1000 && hart(1)->acc > 1000 &&
                        hart(2)->acc > 1000,
                    30000));
    cpus_pause_all();
    for (int i = 0; i < NHARTS; i++) {
        a[i] = hart(i)->acc;
        EXPECT(a[i] > 1000);
        EXPECT(harts[i]->stopped);
        /* Switched in after another hart ran: the target's hook ran. */
        EXPECT(hart(i)->nsched_in > 0);
    }
    /* Stopped means stopped. */
    g_usleep(20 * 1000);
    for (int i = 0; i < NHARTS; i++)
        EXPECT_EQ(hart(i)->acc, a[i]);
}

TEST(spinning_hart_does_not_starve_the_one_it_waits_for)
{
    enum { FLAG = 0x800 };
    static const uint32_t prog[] = {
        /* hart 0 at 0: spin until FLAG != 0, then acc += 1000; WFI */
        INSN(OP_LD, FLAG),       /* 0 */
        INSN(OP_BEQZ, 0),        /* 4 */
        INSN(OP_ADDI, 1000),     /* 8 */
        INSN(OP_WFI, 0),         /* 12 */
        INSN(OP_HALT, 0),        /* 16 */
        /* hart 1 at 20: a long count, then set FLAG; WFI */
        INSN(OP_SETCNT, 3000000),/* 20 */
        INSN(OP_ADDI, 1),        /* 24 */
        INSN(OP_LOOP, 24),       /* 28 */
        INSN(OP_ST, FLAG),       /* 32 */
        INSN(OP_WFI, 0),         /* 36 */
        INSN(OP_HALT, 0),        /* 40 */
        /* hart 2 at 44: idle at once */
        INSN(OP_WFI, 0),         /* 44 */
        INSN(OP_HALT, 0),        /* 48 */
    };
    static const uint64_t pc[NHARTS] = { 0, 20, 44 };
    uint64_t sleeps0, slices1;

    harts_load(prog, N(prog), pc);
    sleeps0 = stat("idle sleeps");
    cpus_resume_all();
    EXPECT(WAIT_FOR(all_halted(), 10000));
    EXPECT_EQ(hart(1)->acc, 3000000);
    EXPECT_EQ(hart(0)->acc, 3000000 + 1000);
    EXPECT_EQ(hart(0)->pc, 16);
    EXPECT_EQ(hart(2)->pc, 48);
    /* Every hart halted: the thread sleeps instead of spinning. */
    EXPECT(WAIT_FOR(stat("idle sleeps") > sleeps0, 1000));
    slices1 = stat("round-robin slices");
    g_usleep(50 * 1000);
    EXPECT_EQ(stat("round-robin slices"), slices1);
}

TEST(all_halted_thread_wakes_for_an_interrupt)
{
    static const uint32_t prog[] = {
        INSN(OP_WFI, 0),         /* 0: every hart */
        INSN(OP_HALT, 0),        /* 4 */
        INSN(OP_ADDI, 5),        /* 8: the interrupt handler */
        INSN(OP_WFI, 0),         /* 12 */
        INSN(OP_HALT, 0),        /* 16 */
    };
    static const uint64_t pc[NHARTS] = { 0, 0, 0 };
    uint64_t sleeps0;

    harts_load(prog, N(prog), pc);
    for (int i = 0; i < NHARTS; i++)
        hart(i)->irq_handler = 8;
    cpus_resume_all();
    EXPECT(WAIT_FOR(all_halted(), 2000));
    sleeps0 = stat("idle sleeps");
    EXPECT(WAIT_FOR(stat("idle sleeps") >= sleeps0, 1000));
    g_usleep(10 * 1000);
    /* From this (device-like) thread. */
    hart(2)->irq_pending = 1;
    cpu_interrupt(harts[2], CPU_INTERRUPT_HARD);
    EXPECT(WAIT_FOR(hart(2)->nirq == 1 && harts[2]->halted &&
                    hart(2)->pc == 16, 2000));
    EXPECT_EQ(hart(2)->acc, 5);
    EXPECT_EQ(hart(2)->irq_pc, 4);
    EXPECT_EQ(hart(0)->nirq, 0);
    EXPECT_EQ(hart(1)->nirq, 0);
    EXPECT_EQ(hart(0)->pc, 4);
    /* And it sleeps again. */
    EXPECT(WAIT_FOR(stat("idle sleeps") > sleeps0, 1000));
}

TEST(interrupt_to_a_halted_hart_ends_the_running_slice)
{
    static const uint32_t prog[] = {
        INSN(OP_ADDI, 1),        /* 0: hart 0 loops */
        INSN(OP_JMP, 0),         /* 4 */
        INSN(OP_WFI, 0),         /* 8: harts 1 and 2 wait */
        INSN(OP_HALT, 0),        /* 12 */
        INSN(OP_ADDI, 7),        /* 16: handler */
        INSN(OP_WFI, 0),         /* 20 */
        INSN(OP_HALT, 0),        /* 24 */
    };
    static const uint64_t pc[NHARTS] = { 0, 8, 8 };
    gint64 t0;
    bool woke;

    harts_load(prog, N(prog), pc);
    hart(1)->irq_handler = 16;
    cpus_resume_all();
    EXPECT(WAIT_FOR(harts[1]->halted && harts[2]->halted, 2000));
    /* From hart 0's next slice on, slices are far longer than the wait
       below. */
    cpus_set_time_slice_us(5 * 1000 * 1000);
    g_usleep(20 * 1000);
    t0 = g_get_monotonic_time();
    hart(1)->irq_pending = 1;
    cpu_interrupt(harts[1], CPU_INTERRUPT_HARD);
    /* Taken and handled: cpus_pause_all may stop the hart between
       taking the interrupt and running the handler's first TB. */
    woke = WAIT_FOR(hart(1)->nirq == 1 && hart(1)->acc == 7, 1000);
    EXPECT(woke);
    EXPECT(g_get_monotonic_time() - t0 < 1000 * 1000);
    cpus_pause_all();
    cpus_set_time_slice_us(2000);
    EXPECT_EQ(hart(1)->acc, 7);
    EXPECT(hart(0)->acc > 0);
}

/*
 * Harts run in parallel on hardware: an interrupt is taken within a few
 * instructions, not when the round-robin turn of its hart comes (with
 * -smp 4 and random slices that was up to tens of ms: Linux's UART
 * interrupt came after a shell had exited and its tty hangup had thrown
 * away the output not yet sent).  Harts 0 and 1 loop; one of them is not
 * running when both get an interrupt, in 5 s slices.
 */
TEST(interrupt_to_a_waiting_hart_ends_the_running_slice)
{
    static const uint32_t prog[] = {
        INSN(OP_ADDI, 1),        /* 0: harts 0 and 1 loop */
        INSN(OP_JMP, 0),         /* 4 */
        INSN(OP_WFI, 0),         /* 8: hart 2 waits */
        INSN(OP_HALT, 0),        /* 12 */
        INSN(OP_ADDI, 7),        /* 16: handler, looping on */
        INSN(OP_JMP, 16),        /* 20 */
    };
    static const uint64_t pc[NHARTS] = { 0, 0, 8 };

    harts_load(prog, N(prog), pc);
    hart(0)->irq_handler = 16;
    hart(1)->irq_handler = 16;
    cpus_resume_all();
    EXPECT(WAIT_FOR(harts[2]->halted && hart(0)->acc > 0 && hart(1)->acc > 0,
                    2000));
    cpus_set_time_slice_us(5 * 1000 * 1000);
    g_usleep(20 * 1000);
    for (int i = 0; i < 2; i++) {
        hart(i)->irq_pending = 1;
        cpu_interrupt(harts[i], CPU_INTERRUPT_HARD);
    }
    EXPECT(WAIT_FOR(hart(0)->nirq == 1 && hart(1)->nirq == 1, 1000));
    cpus_pause_all();
    cpus_set_time_slice_us(2000);
}

TEST(pause_all_stops_the_harts_and_the_virtual_clock)
{
    static const uint32_t prog[] = { INSN(OP_ADDI, 1), INSN(OP_JMP, 0) };
    static const uint64_t pc[NHARTS] = { 0, 0, 0 };
    uint64_t a[NHARTS];
    int64_t v;

    harts_load(prog, N(prog), pc);
    cpus_resume_all();
    EXPECT(clock_virtual_running());
    g_usleep(30 * 1000);
    cpus_pause_all();
    EXPECT(!clock_virtual_running());
    v = clock_ns(TIMER_CLOCK_VIRTUAL);
    for (int i = 0; i < NHARTS; i++)
        a[i] = hart(i)->acc;
    g_usleep(20 * 1000);
    EXPECT_EQ(clock_ns(TIMER_CLOCK_VIRTUAL), v);
    for (int i = 0; i < NHARTS; i++)
        EXPECT_EQ(hart(i)->acc, a[i]);
    cpus_resume_all();
    EXPECT(clock_virtual_running());
    EXPECT(WAIT_FOR(hart(0)->acc > a[0] && hart(1)->acc > a[1] &&
                        hart(2)->acc > a[2],
                    30000));
    cpus_pause_all();
    for (int i = 0; i < NHARTS; i++)
        EXPECT(hart(i)->acc > a[i]);
    /* One hart paused alone: the others go on. */
    cpus_resume_all();
    cpu_pause(harts[0]);
    a[0] = hart(0)->acc;
    a[1] = hart(1)->acc;
    EXPECT(WAIT_FOR(hart(1)->acc > a[1], 30000));
    EXPECT_EQ(hart(0)->acc, a[0]);
    cpus_pause_all();
}

static GThread *work_threads[4];
static int work_nruns;

static void rr_note_work(CPUState *c, void *data)
{
    int n = __atomic_fetch_add(&work_nruns, 1, __ATOMIC_SEQ_CST);

    if (n < 4)
        work_threads[n] = g_thread_self();
}

TEST(run_on_cpu_reaches_running_waiting_and_stopped_harts)
{
    static const uint32_t prog[] = {
        INSN(OP_ADDI, 1),        /* 0: every hart loops */
        INSN(OP_JMP, 0),         /* 4 */
    };
    static const uint64_t pc[NHARTS] = { 0, 0, 0 };

    harts_load(prog, N(prog), pc);
    work_nruns = 0;
    cpus_resume_all();
    EXPECT(WAIT_FOR(hart(0)->acc > 0 && hart(1)->acc > 0 &&
                    hart(2)->acc > 0, 10000));
    /* Whichever runs now, the others wait for their slice. */
    for (int i = 0; i < NHARTS; i++)
        run_on_cpu(harts[i], rr_note_work, NULL);
    EXPECT_EQ(work_nruns, NHARTS);
    cpu_pause(harts[1]);
    run_on_cpu(harts[1], rr_note_work, NULL);
    EXPECT_EQ(work_nruns, NHARTS + 1);
    /* All on the round-robin thread. */
    for (int i = 0; i < 4; i++)
        EXPECT(work_threads[i] == harts[0]->thread);
    EXPECT(harts[1]->stopped);
    cpus_pause_all();
}

int main(void)
{
    return unit_run();
}
