/*
 * Shutdown and reset requests and the exit status
 * (include/mimic/runstate.h).  Requests come from any thread; they are
 * recorded with atomics and the main loop is woken through a notifier.
 * Reset is not supported end to end yet (it needs the vCPUs paused and
 * every device reset), so a reset request powers off with status 0 and
 * says so under -d unimp; -no-reboot gives the same result on purpose.
 */
#include <pthread.h>
#include <stddef.h>

#include "mimic/log.h"
#include "mimic/runstate.h"

static pthread_mutex_t request_lock = PTHREAD_MUTEX_INITIALIZER;
static int shutdown_cause;   /* ShutdownCause; 0 until requested */
static int exit_status;
static bool no_reboot;
static void (*notify_fn)(void);

void runstate_set_notify(void (*notify)(void))
{
    notify_fn = notify;
}

void runstate_set_no_reboot(bool value)
{
    no_reboot = value;
}

void runstate_request_shutdown(ShutdownCause cause, int status)
{
    bool first;

    /* The first request decides the exit status. */
    pthread_mutex_lock(&request_lock);
    first = shutdown_cause == SHUTDOWN_CAUSE_NONE;
    if (first) {
        exit_status = status;
        __atomic_store_n(&shutdown_cause, (int)cause, __ATOMIC_SEQ_CST);
    }
    pthread_mutex_unlock(&request_lock);
    if (first && notify_fn)
        notify_fn();
}

void runstate_request_reset(ShutdownCause cause)
{
    if (!no_reboot)
        log_mask(LOG_UNIMP, "system reset is not supported yet: powering off\n");
    runstate_request_shutdown(cause, 0);
}

bool runstate_shutdown_requested(void)
{
    return __atomic_load_n(&shutdown_cause, __ATOMIC_SEQ_CST) != SHUTDOWN_CAUSE_NONE;
}

ShutdownCause runstate_shutdown_cause(void)
{
    return (ShutdownCause)__atomic_load_n(&shutdown_cause, __ATOMIC_SEQ_CST);
}

int runstate_exit_status(void)
{
    int status;

    pthread_mutex_lock(&request_lock);
    status = exit_status;
    pthread_mutex_unlock(&request_lock);
    return status;
}
