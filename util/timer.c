/*
 * Clocks and timers (include/mimic/timer.h).  The virtual clock is the host
 * monotonic clock minus an offset that grows while the VM is stopped.
 * Armed timers sit in one list sorted by expiry per clock; a GSource on the
 * main loop computes the poll timeout from the earliest expiry and runs
 * the callbacks that are due.  The list has its own mutex because vCPU
 * threads arm timers (from MMIO, under the BQL) while the main loop reads
 * it; callbacks run with that mutex released.
 */
#include <pthread.h>
#include <time.h>

#include "mimic/timer.h"

struct Timer {
    TimerClock clock;
    TimerCallback cb;
    void *opaque;
    int64_t expire;
    bool pending;
};

static pthread_mutex_t timer_mutex = PTHREAD_MUTEX_INITIALIZER;
static GList *armed[TIMER_CLOCK_COUNT];   /* sorted by expire */
static GMainContext *timer_ctx;

/* Virtual clock state, under timer_mutex. */
static bool vclock_init_done;
static bool vclock_running;
static int64_t vclock_offset;    /* virtual = host - offset while running */
static int64_t vclock_stopped_at;

static int64_t host_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void vclock_init_locked(void)
{
    if (!vclock_init_done) {
        vclock_init_done = true;
        vclock_running = true;
        vclock_offset = host_ns();
    }
}

static int64_t clock_ns_locked(TimerClock clock)
{
    if (clock == TIMER_CLOCK_HOST)
        return host_ns();
    vclock_init_locked();
    return vclock_running ? host_ns() - vclock_offset : vclock_stopped_at;
}

int64_t clock_ns(TimerClock clock)
{
    int64_t now;

    if (clock == TIMER_CLOCK_HOST)
        return host_ns();
    pthread_mutex_lock(&timer_mutex);
    now = clock_ns_locked(clock);
    pthread_mutex_unlock(&timer_mutex);
    return now;
}

static void timers_kick(void)
{
    if (timer_ctx)
        g_main_context_wakeup(timer_ctx);
}

void clock_virtual_stop(void)
{
    pthread_mutex_lock(&timer_mutex);
    vclock_init_locked();
    if (vclock_running) {
        vclock_stopped_at = host_ns() - vclock_offset;
        vclock_running = false;
    }
    pthread_mutex_unlock(&timer_mutex);
}

void clock_virtual_start(void)
{
    pthread_mutex_lock(&timer_mutex);
    vclock_init_locked();
    if (!vclock_running) {
        vclock_offset = host_ns() - vclock_stopped_at;
        vclock_running = true;
    }
    pthread_mutex_unlock(&timer_mutex);
    timers_kick();
}

bool clock_virtual_running(void)
{
    bool r;

    pthread_mutex_lock(&timer_mutex);
    vclock_init_locked();
    r = vclock_running;
    pthread_mutex_unlock(&timer_mutex);
    return r;
}

Timer *timer_new(TimerClock clock, TimerCallback cb, void *opaque)
{
    Timer *t = g_new0(Timer, 1);

    t->clock = clock;
    t->cb = cb;
    t->opaque = opaque;
    return t;
}

static void timer_del_locked(Timer *t)
{
    if (t->pending) {
        armed[t->clock] = g_list_remove(armed[t->clock], t);
        t->pending = false;
    }
}

static gint timer_cmp(gconstpointer a, gconstpointer b)
{
    const Timer *x = a, *y = b;

    return x->expire < y->expire ? -1 : x->expire > y->expire;
}

void timer_mod(Timer *t, int64_t expire_ns)
{
    pthread_mutex_lock(&timer_mutex);
    timer_del_locked(t);
    t->expire = expire_ns;
    t->pending = true;
    armed[t->clock] = g_list_insert_sorted(armed[t->clock], t, timer_cmp);
    pthread_mutex_unlock(&timer_mutex);
    timers_kick();
}

void timer_del(Timer *t)
{
    pthread_mutex_lock(&timer_mutex);
    timer_del_locked(t);
    pthread_mutex_unlock(&timer_mutex);
}

bool timer_pending(Timer *t)
{
    bool r;

    pthread_mutex_lock(&timer_mutex);
    r = t->pending;
    pthread_mutex_unlock(&timer_mutex);
    return r;
}

void timer_free(Timer *t)
{
    if (t) {
        timer_del(t);
        g_free(t);
    }
}

/* Nanoseconds until the next expiry (<= 0: due now), or -1 if none. */
static int64_t timers_next_deadline(void)
{
    int64_t best = -1;

    pthread_mutex_lock(&timer_mutex);
    for (int c = 0; c < TIMER_CLOCK_COUNT; c++) {
        Timer *t = armed[c] ? armed[c]->data : NULL;
        int64_t d;

        if (!t || (c == TIMER_CLOCK_VIRTUAL && vclock_init_done && !vclock_running))
            continue;
        d = t->expire - clock_ns_locked((TimerClock)c);
        if (d < 0)
            d = 0;
        if (best < 0 || d < best)
            best = d;
    }
    pthread_mutex_unlock(&timer_mutex);
    return best;
}

/* Takes one due timer off its list, or returns NULL. */
static Timer *timers_take_due(void)
{
    Timer *due = NULL;

    pthread_mutex_lock(&timer_mutex);
    for (int c = 0; c < TIMER_CLOCK_COUNT && !due; c++) {
        Timer *t = armed[c] ? armed[c]->data : NULL;

        if (t && t->expire <= clock_ns_locked((TimerClock)c) &&
            (c != TIMER_CLOCK_VIRTUAL || vclock_running)) {
            timer_del_locked(t);
            due = t;
        }
    }
    pthread_mutex_unlock(&timer_mutex);
    return due;
}

static gboolean timer_source_prepare(GSource *src, gint *timeout)
{
    int64_t d = timers_next_deadline();

    if (d < 0) {
        *timeout = -1;
        return FALSE;
    }
    *timeout = (gint)MIN((d + 999999) / 1000000, G_MAXINT);
    return d == 0;
}

static gboolean timer_source_check(GSource *src)
{
    return timers_next_deadline() == 0;
}

static gboolean timer_source_dispatch(GSource *src, GSourceFunc cb, gpointer data)
{
    Timer *t;
    int budget = 1000;   /* a timer re-arming itself in the past can't hang us */

    while (budget-- > 0 && (t = timers_take_due()) != NULL)
        t->cb(t->opaque);
    return G_SOURCE_CONTINUE;
}

static GSourceFuncs timer_source_funcs = {
    .prepare = timer_source_prepare,
    .check = timer_source_check,
    .dispatch = timer_source_dispatch,
};

void timers_attach(GMainContext *ctx)
{
    GSource *src = g_source_new(&timer_source_funcs, sizeof(GSource));

    g_source_set_name(src, "timers");
    g_source_attach(src, ctx);
    g_source_unref(src);
    timer_ctx = ctx;
}
