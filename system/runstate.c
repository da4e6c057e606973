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

#include <glib.h>

#include "mimic/cpu.h"
#include "mimic/debug.h"
#include "mimic/log.h"
#include "mimic/memory.h"
#include "mimic/runstate.h"
#include "mimic/timer.h"

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
static bool current_state_is_shutdown(void);

void runstate_set_notify(void (*notify)(void))
{
    notify_fn = notify;
}

void runstate_set_no_reboot(bool value)
{
    no_reboot = value;
}

static bool no_shutdown;
static int guest_stop_pending;   /* a guest power-off under -no-shutdown */
static char *guest_name;

void runstate_set_no_shutdown(bool value)
{
    no_shutdown = value;
}

void runstate_set_guest_name(const char *name)
{
    g_free(guest_name);
    guest_name = name ? g_strdup(name) : NULL;
}

const char *runstate_guest_name(void)
{
    return guest_name;
}

void runstate_request_shutdown(ShutdownCause cause, int status)
{
    bool first;

    /* -no-shutdown: the guest's power-off only stops it (on the main
       loop, runstate_handle_stop); the host may still end it. */
    if (no_shutdown && cause == SHUTDOWN_CAUSE_GUEST) {
        cpus_stop_from_guest();
        __atomic_store_n(&guest_stop_pending, 1, __ATOMIC_SEQ_CST);
        if (notify_fn)
            notify_fn();
        return;
    }
    /* The first request decides the exit status. */
    pthread_mutex_lock(&request_lock);
    first = shutdown_cause == SHUTDOWN_CAUSE_NONE;
    if (first) {
        exit_status = status;
        __atomic_store_n(&shutdown_cause, (int)cause, __ATOMIC_SEQ_CST);
    }
    pthread_mutex_unlock(&request_lock);
    /* A powered-off machine runs no more guest code (which would write
       to the log and the devices until the main loop got round to
       pausing the vCPUs: how long depends on the host's load). */
    if (shutdown_cause_is_guest(cause))
        cpus_stop_from_guest();
    if (first && notify_fn)
        notify_fn();
}

void runstate_request_reset(ShutdownCause cause)
{
    if (no_reboot || !reset_fn) {
        runstate_request_shutdown(cause, 0);
        return;
    }
    /* The guest runs on after its reset request only until the reset,
       as on hardware (machine_reset resumes the vCPUs). */
    if (shutdown_cause_is_guest(cause))
        cpus_stop_from_guest();
    /* Records the cause (every cause is nonzero). */
    __atomic_store_n(&reset_pending, (int)cause, __ATOMIC_SEQ_CST);
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
    int cause = __atomic_exchange_n(&reset_pending, 0, __ATOMIC_SEQ_CST);

    if (!cause)
        return false;
    if (runstate_shutdown_requested())
        return false;       /* a power-off wins over a reset */
    log_mask(LOG_INT, "system reset\n");
    reset_fn(reset_opaque);
    /* A machine the guest powered off (-no-shutdown) is ready to run
       again, on cont, as QEMU's. */
    if (current_state_is_shutdown())
        runstate_init(RUN_STATE_PRELAUNCH);
    runstate_emit(RUN_EVENT_RESET, (ShutdownCause)cause);
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
    runstate_emit(RUN_EVENT_POWERDOWN, SHUTDOWN_CAUSE_NONE);
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

const char *shutdown_cause_name(ShutdownCause cause)
{
    switch (cause) {
    case SHUTDOWN_CAUSE_GUEST: return "guest-shutdown";
    case SHUTDOWN_CAUSE_GUEST_RESET: return "guest-reset";
    case SHUTDOWN_CAUSE_HOST_SIGNAL: return "host-signal";
    case SHUTDOWN_CAUSE_HOST_UI: return "host-ui";
    case SHUTDOWN_CAUSE_HOST_MONITOR: return "host-qmp-system-reset";
    case SHUTDOWN_CAUSE_HOST_ERROR: return "host-error";
    case SHUTDOWN_CAUSE_HOST_QUIT: return "host-qmp-quit";
    default: return "none";
    }
}

bool shutdown_cause_is_guest(ShutdownCause cause)
{
    return cause == SHUTDOWN_CAUSE_GUEST || cause == SHUTDOWN_CAUSE_GUEST_RESET;
}

/* ---- Run state: stop and start the machine ---- */

static RunState current_state = RUN_STATE_RUNNING;

static bool current_state_is_shutdown(void)
{
    return current_state == RUN_STATE_SHUTDOWN;
}
static int stop_pending = -1;       /* RunState of a vm_stop_request */

typedef struct Listener {
    RunEventFn fn;
    void *opaque;
} Listener;
static GArray *listeners;

RunState runstate_get(void)
{
    return current_state;
}

bool runstate_is_running(void)
{
    return current_state == RUN_STATE_RUNNING;
}

const char *runstate_name(RunState state)
{
    static const char *const names[] = {
        [RUN_STATE_PRELAUNCH] = "prelaunch",
        [RUN_STATE_RUNNING] = "running",
        [RUN_STATE_PAUSED] = "paused",
        [RUN_STATE_DEBUG] = "debug",
        [RUN_STATE_SHUTDOWN] = "shutdown",
    };

    return (unsigned)state < G_N_ELEMENTS(names) ? names[state] : "unknown";
}

void runstate_init(RunState state)
{
    current_state = state;
}

void runstate_add_listener(RunEventFn fn, void *opaque)
{
    Listener l = { fn, opaque };

    if (!listeners)
        listeners = g_array_new(FALSE, FALSE, sizeof(Listener));
    g_array_append_val(listeners, l);
}

void runstate_emit(RunEvent event, ShutdownCause cause)
{
    /* A listener may add another; index, do not cache the data pointer. */
    for (guint i = 0; listeners && i < listeners->len; i++) {
        Listener *l = &g_array_index(listeners, Listener, i);

        l->fn(l->opaque, event, cause);
    }
}

void vm_stop(RunState state)
{
    if (current_state != RUN_STATE_RUNNING) {
        current_state = state;
        return;
    }
    /* A vCPU may be waiting for the BQL to finish an MMIO access before
       it can park. */
    bql_unlock();
    cpus_pause_all();
    bql_lock();
    current_state = state;
    runstate_emit(RUN_EVENT_STOP, SHUTDOWN_CAUSE_NONE);
}

void vm_start(void)
{
    if (current_state == RUN_STATE_RUNNING ||
        current_state == RUN_STATE_SHUTDOWN)
        return;
    current_state = RUN_STATE_RUNNING;
    /* The reason of the last stop is history now (debug.h). */
    debug_clear_stop();
    cpus_resume_all();
    runstate_emit(RUN_EVENT_RESUME, SHUTDOWN_CAUSE_NONE);
}

void vm_start_cpus(CPUState *const *cpus, int n)
{
    if (current_state == RUN_STATE_SHUTDOWN)
        return;
    if (current_state == RUN_STATE_RUNNING) {
        for (int i = 0; i < n; i++)
            cpu_resume(cpus[i]);
        return;
    }
    current_state = RUN_STATE_RUNNING;
    debug_clear_stop();
    clock_virtual_start();
    for (int i = 0; i < n; i++)
        cpu_resume(cpus[i]);
    runstate_emit(RUN_EVENT_RESUME, SHUTDOWN_CAUSE_NONE);
}

void vm_stop_request(RunState state)
{
    __atomic_store_n(&stop_pending, (int)state, __ATOMIC_SEQ_CST);
    if (notify_fn)
        notify_fn();
}

bool runstate_handle_stop(void)
{
    int state;

    if (__atomic_exchange_n(&guest_stop_pending, 0, __ATOMIC_SEQ_CST)) {
        runstate_emit(RUN_EVENT_SHUTDOWN, SHUTDOWN_CAUSE_GUEST);
        vm_stop(RUN_STATE_SHUTDOWN);
        return true;
    }
    state = __atomic_exchange_n(&stop_pending, -1, __ATOMIC_SEQ_CST);

    if (state < 0)
        return false;
    vm_stop((RunState)state);
    return true;
}
