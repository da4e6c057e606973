/*
 * Shutdown and reset requests and the exit status
 * (include/mimic/runstate.h).  Requests come from any thread; they are
 * recorded with atomics and the main loop is woken through a notifier.
 * A reset request is recorded the same way and carried out on the main
 * loop by the handler the machine registered (stop the vCPUs, reset them
 * and the devices, reload the boot images); with -no-reboot, or before a
 * handler exists, it powers off with status 0 instead.
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
static int reset_pending;
static void (*reset_fn)(void *opaque);
static void *reset_opaque;
static void (*powerdown_fn)(void *opaque);
static void *powerdown_opaque;

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
    if (no_reboot || !reset_fn) {
        runstate_request_shutdown(cause, 0);
        return;
    }
    __atomic_store_n(&reset_pending, 1, __ATOMIC_SEQ_CST);
    if (notify_fn)
        notify_fn();
}

void runstate_set_reset_handler(void (*fn)(void *opaque), void *opaque)
{
    reset_opaque = opaque;
    reset_fn = fn;
}

bool runstate_handle_reset(void)
{
    if (!__atomic_exchange_n(&reset_pending, 0, __ATOMIC_SEQ_CST))
        return false;
    if (runstate_shutdown_requested())
        return false;       /* a power-off wins over a reset */
    log_mask(LOG_INT, "system reset\n");
    reset_fn(reset_opaque);
    return true;
}

void system_reset_request(void)
{
    runstate_request_reset(SHUTDOWN_CAUSE_HOST_MONITOR);
}

void runstate_set_powerdown_handler(void (*fn)(void *opaque), void *opaque)
{
    powerdown_opaque = opaque;
    powerdown_fn = fn;
}

void system_powerdown_request(void)
{
    if (powerdown_fn)
        powerdown_fn(powerdown_opaque);
    else
        log_mask(LOG_UNIMP, "system_powerdown: this machine has no power "
                 "button; ignored (as QEMU's virt)\n");
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
