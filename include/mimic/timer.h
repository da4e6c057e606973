/*
 * Clocks and timers (util/timer.c).  The virtual clock counts guest time
 * in nanoseconds from the start of the run, follows the host monotonic
 * clock and stands still while the VM is stopped; the host clock is the
 * host's monotonic time.  A timer calls its callback on the main loop
 * (with the BQL held) once its clock reaches the expiry time.  Timers may
 * be armed from any thread.
 *
 *   Timer *t = timer_new(TIMER_CLOCK_VIRTUAL, clint_timer_cb, s);
 *   timer_mod(t, clock_ns(TIMER_CLOCK_VIRTUAL) + 1000000);  (in 1 ms)
 */
#ifndef MIMIC_TIMER_H
#define MIMIC_TIMER_H

#include <stdbool.h>
#include <stdint.h>

#include <glib.h>

typedef enum TimerClock {
    TIMER_CLOCK_VIRTUAL,   /* guest time; stops with the VM */
    TIMER_CLOCK_HOST,      /* host monotonic time */
    TIMER_CLOCK_COUNT,
} TimerClock;

/* Current time of a clock in nanoseconds. */
int64_t clock_ns(TimerClock clock);

/* Stops and restarts the virtual clock (the VM stops and resumes). */
void clock_virtual_stop(void);
void clock_virtual_start(void);
bool clock_virtual_running(void);

typedef struct Timer Timer;
typedef void (*TimerCallback)(void *opaque);

Timer *timer_new(TimerClock clock, TimerCallback cb, void *opaque);
/* Deletes it if pending, then frees it. */
void timer_free(Timer *t);
/* (Re)arms the timer for an absolute time of its clock. */
void timer_mod(Timer *t, int64_t expire_ns);
void timer_del(Timer *t);
bool timer_pending(Timer *t);

/* Fires timers from this context (the main loop's); call once. */
void timers_attach(GMainContext *ctx);

#endif
