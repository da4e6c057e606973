/*
 * The main loop (system/main-loop.c): a glib main loop on the main thread
 * that runs character backends, timers and signal handling.  The main
 * thread holds the BQL all the time except while it waits for events, so
 * every callback it runs is under the BQL.
 *
 *   main_loop_init();      (takes the BQL)
 *   ... create the machine, start the vCPUs ...
 *   main_loop_run();       (returns when a shutdown was requested)
 */
#ifndef MIMIC_MAIN_LOOP_H
#define MIMIC_MAIN_LOOP_H

#include <glib.h>

void main_loop_init(void);
/* Runs until runstate_shutdown_requested(). */
void main_loop_run(void);
GMainContext *main_loop_context(void);
/*
 * Registers fn to run if SIGINT, SIGTERM or SIGHUP ends the process during
 * start-up, before main_loop_run() (it runs in the signal handler, so it
 * must be async-signal-safe, as tcsetattr() is).
 */
void main_loop_add_early_exit(void (*fn)(void));
/* Wakes the main loop from any thread. */
void main_loop_wakeup(void);

#endif
