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
    SHUTDOWN_CAUSE_HOST_MONITOR, /* system_reset / quit from the monitor */
    SHUTDOWN_CAUSE_HOST_ERROR,   /* the emulator cannot go on */
} ShutdownCause;

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

bool runstate_shutdown_requested(void);
ShutdownCause runstate_shutdown_cause(void);
int runstate_exit_status(void);

/* Called (from the requesting thread) after a request is recorded; the
   main loop sets it to wake itself up. */
void runstate_set_notify(void (*notify)(void));

#endif
