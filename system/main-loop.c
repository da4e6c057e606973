/*
 * The main loop (include/mimic/main-loop.h).  It uses glib's default
 * context with a poll function that drops the BQL while waiting, so vCPU
 * threads can do MMIO while the main thread sleeps, and every source
 * dispatched here (stdin, timers, signals) runs under the BQL.  SIGINT,
 * SIGTERM and SIGHUP become a clean shutdown request, so the terminal is
 * restored and the log flushed as on any other exit.
 */
#include <signal.h>
#include <stdio.h>

#include <glib-unix.h>

#include "mimic/log.h"
#include "mimic/main-loop.h"
#include "mimic/memory.h"
#include "mimic/runstate.h"
#include "mimic/timer.h"

static GMainContext *ctx;

static gint poll_without_bql(GPollFD *fds, guint nfds, gint timeout)
{
    gint r;

    bql_unlock();
    r = g_poll(fds, nfds, timeout);
    bql_lock();
    return r;
}

static gboolean on_signal(gpointer data)
{
    int sig = GPOINTER_TO_INT(data);

    error_report("terminating on signal %d", sig);
    runstate_request_shutdown(SHUTDOWN_CAUSE_HOST_SIGNAL, 0);
    return G_SOURCE_CONTINUE;
}

void main_loop_wakeup(void)
{
    if (ctx)
        g_main_context_wakeup(ctx);
}

void main_loop_init(void)
{
    static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };

    ctx = g_main_context_default();
    bql_lock();
    g_main_context_set_poll_func(ctx, poll_without_bql);
    timers_attach(ctx);
    for (size_t i = 0; i < G_N_ELEMENTS(sigs); i++)
        g_unix_signal_add(sigs[i], on_signal, GINT_TO_POINTER(sigs[i]));
    /* A guest writing to a closed pipe gets EPIPE, not a dead emulator. */
    signal(SIGPIPE, SIG_IGN);
    runstate_set_notify(main_loop_wakeup);
}

GMainContext *main_loop_context(void)
{
    return ctx;
}

void main_loop_run(void)
{
    while (!runstate_shutdown_requested()) {
        g_main_context_iteration(ctx, TRUE);
        runstate_handle_stop();
        runstate_handle_reset();
    }
    runstate_emit(RUN_EVENT_SHUTDOWN, runstate_shutdown_cause());
}
