/*
 * The gdb server of Linux user mode (mimic-<arch> -g PORT; include/mimic/
 * gdbstub.h): the transport and the stop/resume glue under the shared
 * protocol code (gdbstub/protocol.c).  There is no main loop and no
 * chardev here: a server thread of its own blocks in poll() on the client
 * socket and on a pipe that guest threads write to when they stop.
 *
 * Stopping (all-stop).  A guest thread stops for gdb at a signal about to
 * be delivered (a fault, a kill, a breakpoint or finished step reported as
 * SIGTRAP): gdbserver_user_signal queues an event and waits.  The server
 * takes it, sets every thread's cpu->stop and kicks it out of generated
 * code (cpu_exit), then waits for an exclusive section once, so that no
 * thread is left inside cpu_exec; a thread that enters cpu_exec later
 * leaves it at once (cpu->stop) and parks at the top of its CPU loop
 * (gdbserver_user_park).  A thread blocked in a host syscall counts as
 * stopped: it parks when the syscall returns.  Ctrl-C from gdb stops the
 * same way.  Resuming clears cpu->stop of the threads gdb runs (one for a
 * step) and answers each waiting reporter with the signal gdb passed
 * (C sig) or none (c drops it, as ptrace does).
 *
 * One lock (gu.lock) covers the thread list, the events and the protocol
 * state: the server holds it while it answers a packet, never while it
 * waits for input.  Guest threads take it only to stop, park, start or
 * end.  When gdb goes away, its breakpoints go and the program runs on.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

#include <glib.h>

#include "../accel/tcg/internal.h"
#include "gdbstub/protocol.h"
#include "linux-user/syscall.h"
#include "mimic/gdbstub.h"
#include "mimic/log.h"

/* A guest thread's stop, from its report until gdb resumes the thread. */
typedef struct GdbEvent {
    CPUState *cpu;
    int sig;                /* host signal number */
    bool debug;             /* a breakpoint or a step (sig is SIGTRAP) */
    bool reported;          /* gdb was told */
    bool done;              /* gdb resumed the thread: resume_sig is set */
    int resume_sig;         /* host signal to deliver; 0: none */
} GdbEvent;

typedef struct UserThread {
    CPUState *cpu;
    int tid;
} UserThread;

static struct {
    GdbStub stub;
    int fd;                 /* the client; -1 once it left */
    GMutex lock;
    GCond cond;             /* parked threads and reporters wait here */
    GMutex send_lock;       /* writes to fd (the exit path writes too) */
    GArray *threads;        /* UserThread, in the order they started */
    bool stopped;           /* all-stop in effect: gdb has the machine */
    GPtrArray *events;      /* GdbEvent *, oldest first */
    int wake[2];            /* a reporter -> the server thread */
} gu = { .fd = -1, .wake = { -1, -1 } };

bool gdbserver_user_active;

/* ---- Signal numbers: Linux's (asm-generic) to gdb's and back ---- */

static const struct {
    int host, gdb;
} sig_map[] = {
    { SIGHUP, 1 }, { SIGINT, 2 }, { SIGQUIT, 3 }, { SIGILL, 4 },
    { SIGTRAP, 5 }, { SIGABRT, 6 }, { SIGFPE, 8 }, { SIGKILL, 9 },
    { SIGBUS, 10 }, { SIGSEGV, 11 }, { SIGSYS, 12 }, { SIGPIPE, 13 },
    { SIGALRM, 14 }, { SIGTERM, 15 }, { SIGURG, 16 }, { SIGSTOP, 17 },
    { SIGTSTP, 18 }, { SIGCONT, 19 }, { SIGCHLD, 20 }, { SIGTTIN, 21 },
    { SIGTTOU, 22 }, { SIGIO, 23 }, { SIGXCPU, 24 }, { SIGXFSZ, 25 },
    { SIGVTALRM, 26 }, { SIGPROF, 27 }, { SIGWINCH, 28 }, { SIGUSR1, 30 },
    { SIGUSR2, 31 }, { SIGPWR, 32 },
};

static int sig_to_gdb(int sig)
{
    for (size_t i = 0; i < G_N_ELEMENTS(sig_map); i++) {
        if (sig_map[i].host == sig)
            return sig_map[i].gdb;
    }
    /* Real-time signals: gdb numbers 33..63 from 45, and 32 as 77. */
    if (sig >= 33 && sig <= 63)
        return sig - 33 + 45;
    if (sig == 32)
        return 77;
    return 143;             /* GDB_SIGNAL_UNKNOWN */
}

static int sig_from_gdb(int gsig)
{
    for (size_t i = 0; i < G_N_ELEMENTS(sig_map); i++) {
        if (sig_map[i].gdb == gsig)
            return sig_map[i].host;
    }
    if (gsig >= 45 && gsig <= 75)
        return gsig - 45 + 33;
    if (gsig == 77)
        return 32;
    return 0;               /* none, or one Linux does not have */
}

/* ---- Threads ---- */

static UserThread *thread_of(CPUState *cpu)
{
    for (guint i = 0; i < gu.threads->len; i++) {
        UserThread *t = &g_array_index(gu.threads, UserThread, i);

        if (t->cpu == cpu)
            return t;
    }
    return NULL;
}

static void set_stop(CPUState *cpu, bool on)
{
    __atomic_store_n(&cpu->stop, on, __ATOMIC_SEQ_CST);
    if (on)
        cpu_exit(cpu);
}

/*
 * Stops every guest thread (lock held): none runs guest code when this
 * returns.  The exclusive section waits for the threads inside cpu_exec;
 * cpu->stop, set before, makes them leave at their next TB boundary and
 * sends any that enters later straight back out.
 */
static void stop_all(void)
{
    gu.stopped = true;
    for (guint i = 0; i < gu.threads->len; i++)
        set_stop(g_array_index(gu.threads, UserThread, i).cpu, true);
    start_exclusive();
    end_exclusive();
}

/* Answers the reported events of the threads that resume (lock held). */
static void finish_events(const GdbResume *r, int n)
{
    for (guint i = 0; i < gu.events->len;) {
        GdbEvent *ev = g_ptr_array_index(gu.events, i);
        bool resumed = false;

        for (int j = 0; j < n && !resumed; j++) {
            if (r[j].cpu == ev->cpu && ev->reported) {
                ev->resume_sig = sig_from_gdb(r[j].sig);
                resumed = true;
            }
        }
        if (!resumed) {
            i++;
            continue;
        }
        ev->done = true;
        g_ptr_array_remove_index(gu.events, i);
    }
}

/* Lets every thread go and every reporter return with its signal
   (gdb left: lock held). */
static void release_all(void)
{
    for (guint i = 0; i < gu.events->len; i++) {
        GdbEvent *ev = g_ptr_array_index(gu.events, i);

        ev->resume_sig = ev->debug ? 0 : ev->sig;
        ev->done = true;
    }
    g_ptr_array_set_size(gu.events, 0);
    for (guint i = 0; i < gu.threads->len; i++)
        set_stop(g_array_index(gu.threads, UserThread, i).cpu, false);
    gu.stopped = false;
    g_cond_broadcast(&gu.cond);
}

/*
 * While the guest runs: reports the oldest event of a running thread, if
 * any, which stops everything (lock held).  A breakpoint whose report
 * waited while gdb removed it is dropped: its thread goes on as if it had
 * never stopped (the insn did not run).
 */
static void take_event(void)
{
    for (guint i = 0; i < gu.events->len && !gu.stopped; i++) {
        GdbEvent *ev = g_ptr_array_index(gu.events, i);
        DebugStop st = { .cpu = ev->cpu };

        if (ev->reported || __atomic_load_n(&ev->cpu->stop, __ATOMIC_SEQ_CST))
            continue;
        if (ev->debug && !ev->cpu->singlestep &&
            !cpu_breakpoint_test(ev->cpu, cpu_get_pc(ev->cpu))) {
            ev->resume_sig = 0;
            ev->done = true;
            g_ptr_array_remove_index(gu.events, i);
            g_cond_broadcast(&gu.cond);
            i--;
            continue;
        }
        stop_all();
        ev->reported = true;
        st.reason = ev->cpu->singlestep ? DEBUG_STOP_STEP : DEBUG_STOP_BREAKPOINT;
        gdb_stub_stopped(&gu.stub, ev->cpu, sig_to_gdb(ev->sig),
                         ev->debug ? &st : NULL, true);
    }
}

/* ---- The mode's side of the protocol (GdbStubOps; lock held) ---- */

static void write_all(int fd, const char *data, size_t len)
{
    while (len) {
        ssize_t n = send(fd, data, len, MSG_NOSIGNAL);

        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return;         /* gdb went away: the read side sees it */
        data += n;
        len -= (size_t)n;
    }
}

static void user_write(GdbStub *s, const char *data, size_t len)
{
    (void)s;
    g_mutex_lock(&gu.send_lock);
    if (gu.fd >= 0)
        write_all(gu.fd, data, len);
    g_mutex_unlock(&gu.send_lock);
}

static int user_threads(CPUState **cpus, int max)
{
    for (guint i = 0; i < gu.threads->len && i < (guint)max; i++)
        cpus[i] = g_array_index(gu.threads, UserThread, i).cpu;
    return (int)gu.threads->len;
}

static int64_t user_tid(CPUState *cpu)
{
    UserThread *t = thread_of(cpu);

    return t ? t->tid : cpu->cpu_index + 1;
}

static char *user_thread_extra(CPUState *cpu)
{
    return g_strdup_printf("CPU#%d", cpu->cpu_index);
}

static void user_resume(GdbStub *s, const GdbResume *r, int n)
{
    (void)s;
    finish_events(r, n);
    for (int i = 0; i < n; i++)
        set_stop(r[i].cpu, false);
    gu.stopped = false;
    g_cond_broadcast(&gu.cond);
    /* A report that waited while gdb looked at another one. */
    take_event();
}

static int user_mem_rw(GdbStub *s, CPUState *cpu, uint64_t addr, void *buf,
                       size_t len, bool write)
{
    (void)s;
    return cpu_memory_rw_debug(cpu, addr, buf, len, write);
}

/* qXfer:OBJECT:read:ANNEX:OFFSET,LENGTH for auxv and exec-file. */
static bool xfer_user(GdbStub *s, const char *p)
{
    const char *range;

    if (g_str_has_prefix(p, "qXfer:auxv:read::")) {
        g_autofree uint8_t *auxv = g_malloc(user_proc.auxv_len + 1);

        range = p + strlen("qXfer:auxv:read::");
        if (cpu_memory_rw_debug(gdb_stub_first_thread(s), user_proc.auxv,
                                auxv, user_proc.auxv_len, false) < 0) {
            gdb_stub_send_error(s, GDB_EFAULT);
            return true;
        }
        gdb_stub_send_xfer(s, (const char *)auxv, user_proc.auxv_len, range);
        return true;
    }
    if (g_str_has_prefix(p, "qXfer:exec-file:read:")) {
        /* The annex is a pid: there is one process. */
        range = strchr(p + strlen("qXfer:exec-file:read:"), ':');
        if (!range) {
            gdb_stub_send_error(s, GDB_EINVAL);
            return true;
        }
        gdb_stub_send_xfer(s, user_exe_path, strlen(user_exe_path),
                           range + 1);
        return true;
    }
    return false;
}

static bool user_query(GdbStub *s, const char *p)
{
    return xfer_user(s, p);
}

static void user_detach(GdbStub *s)
{
    (void)s;
    release_all();
}

_Noreturn static void user_kill(GdbStub *s)
{
    (void)s;
    g_mutex_lock(&gu.send_lock);
    gu.fd = -1;             /* no W: gdb asked for the end */
    g_mutex_unlock(&gu.send_lock);
    error_report("terminated by gdb (kill)");
    user_exit_group(0);
}

static const GdbStubOps user_ops = {
    .write = user_write,
    .threads = user_threads,
    .tid = user_tid,
    .thread_extra = user_thread_extra,
    .resume = user_resume,
    .mem_rw = user_mem_rw,
    .query = user_query,
    .detach = user_detach,
    .kill = user_kill,
    /* User mode has no softmmu TLB to catch accesses with: gdb gets ""
       for Z2-Z4 and watches by single-stepping (software watchpoints). */
    .watchpoints = false,
    .features = ";qXfer:auxv:read+;qXfer:exec-file:read+",
};

/* ---- The server thread ---- */

/* gdb went away: drop what it set and let the program run on. */
static void client_gone(void)
{
    g_mutex_lock(&gu.send_lock);
    close(gu.fd);
    gu.fd = -1;
    g_mutex_unlock(&gu.send_lock);
    gdb_stub_drop_debug_state(&gu.stub);
    release_all();
}

static void take_input(const uint8_t *buf, size_t len)
{
    for (size_t i = 0; i < len && gu.fd >= 0; i++) {
        uint8_t ch = buf[i];

        /* While the guest runs gdb sends only Ctrl-C; any other request
           stops the guest first (its stop reply comes before the answer). */
        if (!gu.stopped && !gdb_rx_busy(&gu.stub.rx) && ch != '+' &&
            ch != '-') {
            CPUState *cpu = gu.stub.c_cpu ? gu.stub.c_cpu
                                          : gdb_stub_first_thread(&gu.stub);

            stop_all();
            if (cpu)
                gdb_stub_stopped(&gu.stub, cpu, GDB_SIGNAL_INT, NULL, true);
            gu.stub.waiting = false;
        }
        gdb_stub_byte(&gu.stub, ch);
    }
}

static void *server_main(void *opaque)
{
    uint8_t buf[4096];

    (void)opaque;
    for (;;) {
        struct pollfd p[2] = {
            { .fd = gu.fd, .events = POLLIN },
            { .fd = gu.wake[0], .events = POLLIN },
        };
        ssize_t n;

        if (poll(p, 2, -1) < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        if (p[1].revents & POLLIN) {
            char drain[64];

            while (read(gu.wake[0], drain, sizeof(drain)) == sizeof(drain))
                ;
            g_mutex_lock(&gu.lock);
            take_event();
            g_mutex_unlock(&gu.lock);
        }
        if (!(p[0].revents & (POLLIN | POLLHUP | POLLERR)))
            continue;
        n = recv(gu.fd, buf, sizeof(buf), 0);
        if (n < 0 && errno == EINTR)
            continue;
        g_mutex_lock(&gu.lock);
        if (n <= 0) {
            client_gone();
            g_mutex_unlock(&gu.lock);
            break;
        }
        take_input(buf, (size_t)n);
        g_mutex_unlock(&gu.lock);
    }
    return NULL;
}

/* ---- Start-up ---- */

/* A listening socket for -g PORT or -g PATH, or -1 with *err. */
static int listen_on(const char *spec, char **err)
{
    char *end;
    unsigned long port = strtoul(spec, &end, 10);
    int fd, one = 1;

    if (*spec && !*end) {
        struct sockaddr_in sa = { .sin_family = AF_INET };

        if (port > 65535) {
            *err = g_strdup_printf("-g %s: not a port number", spec);
            return -1;
        }
        sa.sin_port = htons((uint16_t)port);
        sa.sin_addr.s_addr = htonl(INADDR_ANY);
        fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd >= 0)
            setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
        if (fd >= 0 && bind(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0 &&
            listen(fd, 1) == 0)
            return fd;
    } else {
        struct sockaddr_un sa = { .sun_family = AF_UNIX };

        if (!*spec || strlen(spec) >= sizeof(sa.sun_path)) {
            *err = g_strdup_printf("-g '%s': expected a port number or a "
                                   "socket path", spec);
            return -1;
        }
        strcpy(sa.sun_path, spec);
        fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd >= 0 && bind(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0 &&
            listen(fd, 1) == 0)
            return fd;
    }
    *err = g_strdup_printf("-g %s: cannot listen: %s", spec, strerror(errno));
    if (fd >= 0)
        close(fd);
    return -1;
}

bool gdbserver_user_start(const char *spec, CPUState *cpu, char **err)
{
    int lfd = listen_on(spec, err), one = 1;
    sigset_t all, old;
    pthread_t th;

    if (lfd < 0)
        return false;
    do {
        gu.fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
    } while (gu.fd < 0 && errno == EINTR);
    if (gu.fd < 0) {
        *err = g_strdup_printf("-g %s: accept: %s", spec, strerror(errno));
        close(lfd);
        return false;
    }
    /* One client, as qemu-user: the port closes once gdb is in. */
    close(lfd);
    setsockopt(gu.fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    if (pipe2(gu.wake, O_CLOEXEC | O_NONBLOCK) < 0) {
        *err = g_strdup_printf("-g: pipe: %s", strerror(errno));
        return false;
    }
    gu.threads = g_array_new(FALSE, FALSE, sizeof(UserThread));
    gu.events = g_ptr_array_new();
    gdb_stub_init(&gu.stub, &user_ops);
    g_array_append_val(gu.threads, ((UserThread){ cpu, (int)getpid() }));
    gdb_stub_reset(&gu.stub);
    /* Before the first insn: stopped, as gdb expects of a new process. */
    gu.stopped = true;
    set_stop(cpu, true);
    gdb_stub_stopped(&gu.stub, cpu, GDB_SIGNAL_TRAP, NULL, false);
    gdbserver_user_active = true;
    /* The server thread takes no guest signal: the host delivers a
       process-directed one to a guest thread instead. */
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    if (pthread_create(&th, NULL, server_main, NULL) != 0) {
        pthread_sigmask(SIG_SETMASK, &old, NULL);
        *err = g_strdup("-g: cannot start the gdb server thread");
        return false;
    }
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    pthread_detach(th);
    return true;
}

/* ---- The guest threads' hooks ---- */

void gdbserver_user_thread_start(CPUState *cpu)
{
    int tid = (int)syscall(SYS_gettid);

    if (!gdbserver_user_active)
        return;
    g_mutex_lock(&gu.lock);
    if (!thread_of(cpu)) {
        g_array_append_val(gu.threads, ((UserThread){ cpu, tid }));
        /* A CPU made for this thread has none of gdb's breakpoints; a
           reused one has them already (inserting again changes nothing). */
        if (gu.fd >= 0)
            gdb_stub_apply_points(&gu.stub, cpu);
        set_stop(cpu, gu.stopped);
    } else {
        thread_of(cpu)->tid = tid;
    }
    g_mutex_unlock(&gu.lock);
}

void gdbserver_user_thread_exit(CPUState *cpu)
{
    if (!gdbserver_user_active)
        return;
    g_mutex_lock(&gu.lock);
    for (guint i = 0; i < gu.threads->len; i++) {
        if (g_array_index(gu.threads, UserThread, i).cpu == cpu) {
            g_array_remove_index(gu.threads, i);
            break;
        }
    }
    gdb_stub_forget_cpu(&gu.stub, cpu);
    set_stop(cpu, false);
    g_mutex_unlock(&gu.lock);
}

void gdbserver_user_park(CPUState *cpu)
{
    if (!__atomic_load_n(&cpu->stop, __ATOMIC_SEQ_CST))
        return;
    g_mutex_lock(&gu.lock);
    while (__atomic_load_n(&cpu->stop, __ATOMIC_SEQ_CST))
        g_cond_wait(&gu.cond, &gu.lock);
    g_mutex_unlock(&gu.lock);
}

int gdbserver_user_signal(CPUState *cpu, int sig, bool debug)
{
    GdbEvent ev = { .cpu = cpu, .sig = sig, .debug = debug };

    if (!gdbserver_user_active)
        return debug ? 0 : sig;
    g_mutex_lock(&gu.lock);
    if (gu.fd < 0) {
        g_mutex_unlock(&gu.lock);
        return debug ? 0 : sig;
    }
    g_ptr_array_add(gu.events, &ev);
    if (write(gu.wake[1], "", 1) < 0) {
        /* The pipe is full: the server has a wake-up to read already. */
    }
    while (!ev.done)
        g_cond_wait(&gu.cond, &gu.lock);
    g_mutex_unlock(&gu.lock);
    return ev.resume_sig;
}

void gdbserver_user_fork_child(CPUState *cpu)
{
    if (!gdbserver_user_active)
        return;
    /* No lock: the server thread, which may have held one, is not here. */
    gdbserver_user_active = false;
    if (gu.fd >= 0)
        close(gu.fd);       /* the parent's connection stays open */
    gu.fd = -1;
    __atomic_store_n(&cpu->stop, false, __ATOMIC_SEQ_CST);
    /* Every CPU: the child's next threads reuse the released ones. */
    for (int i = 0; i < cpu_count; i++) {
        cpu_single_step(cpu_list[i], false);
        cpu_breakpoint_remove_all(cpu_list[i]);
    }
}

static void send_final(char kind, int value)
{
    char buf[8];
    GString *pkt = g_string_new(NULL);

    snprintf(buf, sizeof(buf), "%c%02x", kind, value & 0xff);
    gdb_frame(pkt, buf, strlen(buf));
    g_mutex_lock(&gu.send_lock);
    if (gu.fd >= 0) {
        write_all(gu.fd, pkt->str, pkt->len);
        /* gdb reads the reply before it sees the end of the stream. */
        shutdown(gu.fd, SHUT_WR);
    }
    g_mutex_unlock(&gu.send_lock);
    g_string_free(pkt, TRUE);
}

void gdbserver_user_exit(int status)
{
    if (gdbserver_user_active)
        send_final('W', status);
}

void gdbserver_user_signalled(int sig)
{
    if (gdbserver_user_active)
        send_final('X', sig_to_gdb(sig));
}
