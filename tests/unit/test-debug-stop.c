/* needs: none */
/*
 * Tests of the debug stops of accel/tcg (debug.h, cpus.c, cpu-exec.c)
 * with the round-robin scheduler, the default: a single-stepped toy hart
 * runs exactly one insn, records the stop and parks (the hart's own
 * thread once waited for itself to park here, forever), and a step over
 * WFI ends with the WFI retired instead of sleeping until an interrupt,
 * and vm_start forgets the reason of the last stop.
 */
#include <unistd.h>

#include "mimic/debug.h"
#include "mimic/runstate.h"
#include "toy-guest.h"
#include "unit.h"

#define NHARTS 2

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
        harts[i] = cpu_create(&toy_ops, 20 + i, &as);
        cpu_pause(harts[i]);
    }
    cpus_start(harts, NHARTS);
}

/* Loads prog at 0 with every hart stopped at pc 0. */
static void harts_load(const uint32_t *prog, size_t n)
{
    harts_init();
    cpus_pause_all();
    load(0, prog, n);
    for (int i = 0; i < NHARTS; i++) {
        hart(i)->pc = 0;
        hart(i)->acc = 0;
        harts[i]->halted = false;
    }
    debug_clear_stop();
}

static bool stopped_for_debug(CPUState *c)
{
    return debug_last_stop().cpu == c && c->stopped;
}

TEST(single_step_runs_one_insn_and_parks)
{
    static const uint32_t prog[] = {
        INSN(OP_ADDI, 1), INSN(OP_ADDI, 1), INSN(OP_JMP, 0),
    };

    harts_load(prog, N(prog));
    cpu_single_step(harts[0], true);
    cpu_resume(harts[0]);
    EXPECT(WAIT_FOR(stopped_for_debug(harts[0]), 2000));
    EXPECT_EQ(debug_last_stop().reason, DEBUG_STOP_STEP);
    EXPECT_EQ(hart(0)->pc, 4);
    EXPECT_EQ(hart(0)->acc, 1);
    /* And again: the parked hart steps once more when resumed. */
    debug_clear_stop();
    cpu_resume(harts[0]);
    EXPECT(WAIT_FOR(stopped_for_debug(harts[0]), 2000));
    EXPECT_EQ(hart(0)->pc, 8);
    EXPECT_EQ(hart(0)->acc, 2);
    /* It ran on the round-robin thread; the other hart never ran. */
    EXPECT(stat("round-robin slices") > 0);
    EXPECT_EQ(hart(1)->acc, 0);
    cpu_single_step(harts[0], false);
}

TEST(single_step_over_wfi_retires_it)
{
    static const uint32_t prog[] = {
        INSN(OP_WFI, 0), INSN(OP_ADDI, 1), INSN(OP_JMP, 0),
    };

    harts_load(prog, N(prog));
    cpu_single_step(harts[0], true);
    cpu_resume(harts[0]);
    EXPECT(WAIT_FOR(stopped_for_debug(harts[0]), 2000));
    EXPECT_EQ(debug_last_stop().reason, DEBUG_STOP_STEP);
    EXPECT_EQ(hart(0)->pc, 4);
    EXPECT(harts[0]->halted);
    cpu_single_step(harts[0], false);
}

TEST(vm_start_forgets_the_last_stop)
{
    static const uint32_t prog[] = { INSN(OP_ADDI, 1), INSN(OP_JMP, 0) };

    harts_load(prog, N(prog));
    cpu_single_step(harts[0], true);
    cpu_resume(harts[0]);
    EXPECT(WAIT_FOR(stopped_for_debug(harts[0]), 2000));
    cpu_single_step(harts[0], false);
    /* A monitor's `cont` after a gdb stop: a later stop (Ctrl-C) must
       not be reported as that old step. */
    runstate_init(RUN_STATE_DEBUG);
    bql_lock();
    vm_start();
    EXPECT(debug_last_stop().cpu == NULL);
    EXPECT_EQ(debug_last_stop().reason, DEBUG_STOP_NONE);
    vm_stop(RUN_STATE_PAUSED);
    bql_unlock();
    EXPECT(debug_last_stop().cpu == NULL);
}

int main(void)
{
    /* A deadlocked hart would hang the suite: fail it instead. */
    alarm(60);
    return unit_run();
}
