/*
 * Run state (system/runstate.c): requests to power off or reset the
 * machine, from any thread (a device on a vCPU thread, Ctrl-A X on the main
 * loop, a host signal), and the exit status that the emulator ends with.
 * The first shutdown request wins; the main loop sees it and exits.
 *
 *   runstate_request_shutdown(SHUTDOWN_CAUSE_GUEST, code);   (sifive_test)
 */
#ifndef MIMIC_RUNSTATE_H
#define MIMIC_RUNSTATE_H

#include <stdbool.h>

typedef enum ShutdownCause {
    SHUTDOWN_CAUSE_NONE,
    SHUTDOWN_CAUSE_GUEST,        /* the guest powered off (finisher) */
    SHUTDOWN_CAUSE_GUEST_RESET,  /* the guest asked for a reset */
    SHUTDOWN_CAUSE_HOST_SIGNAL,  /* SIGINT, SIGTERM, SIGHUP */
    SHUTDOWN_CAUSE_HOST_UI,      /* Ctrl-A X */
    SHUTDOWN_CAUSE_HOST_MONITOR, /* system_reset from HMP or QMP */
    SHUTDOWN_CAUSE_HOST_ERROR,   /* the emulator cannot go on */
    SHUTDOWN_CAUSE_HOST_QUIT,    /* quit from HMP or QMP, gdb's kill */
} ShutdownCause;

/* QMP's spelling of a cause ("guest-shutdown", "host-qmp-quit", ...). */
const char *shutdown_cause_name(ShutdownCause cause);
/* True for causes that come from the guest (QMP's "guest" member). */
bool shutdown_cause_is_guest(ShutdownCause cause);

/*
 * Whether the vCPUs run (QMP's query-status).  Changed only on the main
 * loop with the BQL held.  -S starts in PRELAUNCH; `cont` runs.
 */
typedef enum RunState {
    RUN_STATE_PRELAUNCH,     /* -S: built, not yet run */
    RUN_STATE_RUNNING,
    RUN_STATE_PAUSED,        /* stop (HMP, QMP), Ctrl-C from gdb */
    RUN_STATE_DEBUG,         /* a breakpoint, watchpoint or single step */
    RUN_STATE_SHUTDOWN,      /* shutting down */
} RunState;

RunState runstate_get(void);
bool runstate_is_running(void);
/* QMP's spelling: "prelaunch", "running", "paused", "debug", "shutdown". */
const char *runstate_name(RunState state);
/* Sets the state without touching the vCPUs (start-up: -S). */
void runstate_init(RunState state);

/*
 * Stops every vCPU and the virtual clock and enters state (main loop, BQL
 * held; returns once every vCPU is parked).  From RUNNING only; in any
 * other stopped state it just changes the state (no second STOP event).
 */
void vm_stop(RunState state);
/* Runs every vCPU again (main loop, BQL held); no-op while running. */
void vm_start(void);
/* Runs only the n vCPUs listed (gdb's vCont with actions for some
   threads); the others stay stopped.  The state becomes RUNNING and the
   clock runs; the next vm_stop stops them all. */
typedef struct CPUState CPUState;
void vm_start_cpus(CPUState *const *cpus, int n);
/* vm_stop from any thread (a vCPU at a breakpoint): done soon on the
   main loop. */
void vm_stop_request(RunState state);
/* Carries out a pending vm_stop_request (the main loop calls it). */
bool runstate_handle_stop(void);

/*
 * Events, for QMP and the gdbstub.  Listeners run on the main loop with
 * the BQL held, in the order they were added: STOP after the vCPUs are
 * parked, RESUME after they were let go, RESET after the machine was
 * reset, SHUTDOWN when the main loop leaves, POWERDOWN when a power-down
 * was requested.  cause is set for SHUTDOWN and RESET.
 */
typedef enum RunEvent {
    RUN_EVENT_STOP,
    RUN_EVENT_RESUME,
    RUN_EVENT_RESET,
    RUN_EVENT_SHUTDOWN,
    RUN_EVENT_POWERDOWN,
} RunEvent;
typedef void (*RunEventFn)(void *opaque, RunEvent event, ShutdownCause cause);
void runstate_add_listener(RunEventFn fn, void *opaque);
/* Calls the listeners (runstate and main loop internal). */
void runstate_emit(RunEvent event, ShutdownCause cause);

/* Asks the machine to power off; the emulator exits with exit_status. */
void runstate_request_shutdown(ShutdownCause cause, int exit_status);
/*
 * Asks for a system reset (any thread): the main loop stops the vCPUs and
 * runs the reset handler.  With -no-reboot it powers off with status 0
 * instead, whoever asked (as QEMU).
 */
void runstate_request_reset(ShutdownCause cause);
/* The machine's reset, run on the main loop with the BQL held. */
void runstate_set_reset_handler(void (*fn)(void *opaque), void *opaque);
/* Runs the reset handler if a reset was requested; true if it did. */
bool runstate_handle_reset(void);

/* Monitor entry points (QEMU's system_reset and system_powerdown). */
void system_reset_request(void);
/*
 * Asks the guest to power down.  QEMU's virt board has no ACPI and no
 * power button, so QEMU does nothing visible there; neither do we unless
 * a board sets a handler (runstate_set_powerdown_handler).
 */
void system_powerdown_request(void);
void runstate_set_powerdown_handler(void (*fn)(void *opaque), void *opaque);
void runstate_set_no_reboot(bool no_reboot);
/* -no-shutdown (-action shutdown=pause): a guest power-off stops the
   machine in state shutdown (QMP gets SHUTDOWN, then STOP) instead of
   ending the emulator; system_reset makes it prelaunch, cont runs it. */
void runstate_set_no_shutdown(bool no_shutdown);
/* -name NAME: the guest's name (NULL: none), for query-name and the
   window title. */
void runstate_set_guest_name(const char *name);
const char *runstate_guest_name(void);

bool runstate_shutdown_requested(void);
ShutdownCause runstate_shutdown_cause(void);
int runstate_exit_status(void);

/* Called (from the requesting thread) after a request is recorded; the
   main loop sets it to wake itself up. */
void runstate_set_notify(void (*notify)(void));

#endif
