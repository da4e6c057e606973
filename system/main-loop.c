/*
 * The main loop (include/mimic/main-loop.h).  It uses glib's default
 * context with a poll function that drops the BQL while waiting, so vCPU
 * threads can do MMIO while the main thread sleeps, and every source
 * dispatched here (stdin, timers, signals) runs under the BQL.  SIGINT,
 * SIGTERM and SIGHUP become a clean shutdown request, so the terminal is
 * restored and the log flushed as on any other exit; before the loop runs
 * (start-up) they end the process at once.
 */
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

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

/*
 * Until the main loop runs nothing dispatches glib's signal sources, yet
 * start-up can wait for a long time (a socket server's first client, a
 * connect, a slow disk): there a signal ends the process from its handler,
 * after the async-signal-safe cleanups registered for it.
 */
#define EARLY_EXIT_MAX 4
static void (*early_exit_fns[EARLY_EXIT_MAX])(void);
static volatile sig_atomic_t early_exit_count;

void main_loop_add_early_exit(void (*fn)(void))
{
    if (early_exit_count < EARLY_EXIT_MAX) {
        early_exit_fns[early_exit_count] = fn;
        early_exit_count++;
    }
}

static void on_early_signal(int sig)
{
    char msg[160];
    size_t len = 0;
    char digits[12];
    int nd = 0;

    for (const char *p = error_progname; *p && len < 100; p++)
        msg[len++] = *p;
    for (const char *p = ": terminating on signal "; *p; p++)
        msg[len++] = *p;
    do {
        digits[nd++] = (char)('0' + sig % 10);
        sig /= 10;
    } while (sig && nd < 11);
    while (nd)
        msg[len++] = digits[--nd];
    msg[len++] = '\n';
    for (int i = 0; i < early_exit_count; i++)
        early_exit_fns[i]();
    if (write(STDERR_FILENO, msg, len) < 0) {
        /* nothing more to do */
    }
    _exit(0);
}

static const int exit_signals[] = { SIGINT, SIGTERM, SIGHUP };

void main_loop_wakeup(void)
{
    if (ctx)
        g_main_context_wakeup(ctx);
}

void main_loop_init(void)
{
    struct sigaction sa = { .sa_handler = on_early_signal };

    ctx = g_main_context_default();
    bql_lock();
    g_main_context_set_poll_func(ctx, poll_without_bql);
    timers_attach(ctx);
    /* No SA_RESTART: a blocking call returns, and the handler exits. */
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < G_N_ELEMENTS(exit_signals); i++)
        sigaction(exit_signals[i], &sa, NULL);
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
    static bool signals_on_loop;

    /* From here a signal is a shutdown request that the loop handles. */
    if (!signals_on_loop) {
        for (size_t i = 0; i < G_N_ELEMENTS(exit_signals); i++)
            g_unix_signal_add(exit_signals[i], on_signal,
                              GINT_TO_POINTER(exit_signals[i]));
        signals_on_loop = true;
    }
    while (!runstate_shutdown_requested()) {
        g_main_context_iteration(ctx, TRUE);
        runstate_handle_stop();
        runstate_handle_reset();
    }
    runstate_emit(RUN_EVENT_SHUTDOWN, runstate_shutdown_cause());
}
