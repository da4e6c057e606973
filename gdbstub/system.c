/*
 * The GDB remote serial protocol server (include/mimic/gdbstub.h): one gdb
 * client at a time on a socket chardev, all-stop mode, every hart a
 * thread (id = cpu_index + 1).  It runs on the main loop with the BQL
 * held: bytes arrive through the chardev's read handler, the machine is
 * stopped and started with vm_stop/vm_start(_cpus), and the stop reply
 * owed to gdb after a resume is sent from the RUN_EVENT_STOP listener,
 * which runs once every hart is parked.  This file is that glue; the
 * commands themselves are gdbstub/protocol.c's, shared with user mode.
 *
 *   gdbserver_start("tcp::1234", &err);      (-s, -gdb tcp::1234)
 *   gdb-multiarch -ex 'target remote :1234'
 *
 * docs/gdb.md says what is supported; gdbstub/packet.c does the framing.
 */
#include <string.h>

#include <glib.h>

#include "gdbstub/protocol.h"
#include "mimic/chardev.h"
#include "mimic/cpu.h"
#include "mimic/debug.h"
#include "mimic/gdbstub.h"
#include "mimic/monitor.h"
#include "mimic/runstate.h"

typedef struct GdbServer {
    GdbStub stub;           /* the protocol state (gdbstub/protocol.h) */
    Chardev *chr;
    bool connected;
    bool phys_mem;          /* Qqemu.PhyMemMode:1: m/M/X are physical */
    bool listening;         /* the run-state listener is in place */
} GdbServer;

static GdbServer gdb;

/* ---- The mode's side of the protocol (GdbStubOps) ---- */

static void sys_write(GdbStub *s, const char *data, size_t len)
{
    (void)s;
    chardev_write(gdb.chr, (const uint8_t *)data, (int)len);
}

/* Every hart is a thread (id = cpu_index + 1). */
static int sys_threads(CPUState **cpus, int max)
{
    for (int i = 0; i < cpu_count && i < max; i++)
        cpus[i] = cpu_list[i];
    return cpu_count;
}

static int64_t sys_tid(CPUState *cpu)
{
    return cpu->cpu_index + 1;
}

static char *sys_thread_extra(CPUState *cpu)
{
    return g_strdup_printf("CPU#%d [%s]", cpu->cpu_index,
                           cpu->halted ? "halted" : "running");
}

/* Runs the harts in r (all of them: vm_start); the stop reply follows
   from the RUN_EVENT_STOP listener. */
static void sys_resume(GdbStub *s, const GdbResume *r, int n)
{
    CPUState *cpus[MIMIC_MAX_CPUS];

    (void)s;
    debug_clear_stop();
    if (n == cpu_count) {
        vm_start();
        return;
    }
    for (int i = 0; i < n && i < MIMIC_MAX_CPUS; i++)
        cpus[i] = r[i].cpu;
    vm_start_cpus(cpus, n);
}

static int sys_mem_rw(GdbStub *s, CPUState *cpu, uint64_t addr, void *buf,
                      size_t len, bool write)
{
    (void)s;
    if (gdb.phys_mem)
        return phys_memory_rw_debug(cpu, addr, buf, len, write);
    return cpu_memory_rw_debug(cpu, addr, buf, len, write);
}

/* qRcmd,HEX: a monitor command; its output as O packets, then OK. */
static void handle_rcmd(GdbStub *s, const char *hex)
{
    size_t n = strlen(hex) / 2;
    g_autofree char *cmd = g_malloc(n + 1);
    g_autofree char *out = NULL;
    size_t len;

    if (strlen(hex) % 2 || !gdb_hex_decode(hex, (uint8_t *)cmd, n)) {
        gdb_stub_send_error(s, GDB_EINVAL);
        return;
    }
    cmd[n] = '\0';
    out = hmp_run_command(cmd);
    len = out ? strlen(out) : 0;
    for (size_t off = 0; off < len; off += 2048) {
        GString *o = g_string_new("O");

        gdb_hex_encode(o, (const uint8_t *)out + off, MIN(2048, len - off));
        gdb_stub_send(s, o->str);
        g_string_free(o, TRUE);
    }
    gdb_stub_send(s, "OK");
}

static bool sys_query(GdbStub *s, const char *p)
{
    if (g_str_has_prefix(p, "qRcmd,")) {
        handle_rcmd(s, p + strlen("qRcmd,"));
    } else if (!strcmp(p, "qqemu.PhyMemMode")) {
        gdb_stub_send(s, gdb.phys_mem ? "1" : "0");
    } else if (!strcmp(p, "Qqemu.PhyMemMode:1") ||
               !strcmp(p, "Qqemu.PhyMemMode:0")) {
        gdb.phys_mem = p[strlen(p) - 1] == '1';
        gdb_stub_send(s, "OK");
    } else {
        return false;
    }
    return true;
}

static void sys_detach(GdbStub *s)
{
    (void)s;
    gdb.phys_mem = false;
    debug_clear_stop();
    vm_start();
}

static void sys_kill(GdbStub *s)
{
    (void)s;
    runstate_request_shutdown(SHUTDOWN_CAUSE_HOST_QUIT, 0);
}

static const GdbStubOps sys_ops = {
    .write = sys_write,
    .threads = sys_threads,
    .tid = sys_tid,
    .thread_extra = sys_thread_extra,
    .resume = sys_resume,
    .mem_rw = sys_mem_rw,
    .query = sys_query,
    .detach = sys_detach,
    .kill = sys_kill,
    .watchpoints = true,
};

/* ---- Stops ---- */

/* Forgets what gdb set up in the machine: breakpoints, watchpoints,
   single-step, physical memory mode. */
static void drop_debug_state(void)
{
    gdb_stub_drop_debug_state(&gdb.stub);
    gdb.phys_mem = false;
}

/* The stop reply for the machine's current stop. */
static void stop_reply(bool send)
{
    DebugStop st = debug_last_stop();
    CPUState *cpu = st.cpu;
    int sig = GDB_SIGNAL_TRAP;

    if (!cpu || st.reason == DEBUG_STOP_NONE) {
        cpu = gdb.stub.c_cpu ? gdb.stub.c_cpu : gdb.stub.g_cpu;
        if (runstate_get() == RUN_STATE_PAUSED)
            sig = GDB_SIGNAL_INT;
    }
    if (!cpu)
        cpu = cpu_list[0];
    gdb_stub_stopped(&gdb.stub, cpu, sig, st.cpu ? &st : NULL, send);
}

static gboolean resume_abandoned(gpointer data)
{
    (void)data;
    if (!gdb.connected && runstate_get() == RUN_STATE_DEBUG)
        vm_start();
    return G_SOURCE_REMOVE;
}

static void on_run_event(void *opaque, RunEvent event, ShutdownCause cause)
{
    (void)opaque;
    (void)cause;
    if (event == RUN_EVENT_STOP) {
        for (int i = 0; i < cpu_count; i++)
            cpu_single_step(cpu_list[i], false);
        if (!gdb.connected) {
            /* A hart hit a breakpoint just as gdb left: nobody will
               resume it but us (after the other listeners ran). */
            if (runstate_get() == RUN_STATE_DEBUG)
                g_idle_add(resume_abandoned, NULL);
            return;
        }
        if (gdb.stub.waiting)
            stop_reply(true);
    } else if (event == RUN_EVENT_SHUTDOWN && gdb.connected &&
               gdb.stub.waiting) {
        char buf[8];

        gdb.stub.waiting = false;
        snprintf(buf, sizeof(buf), "W%02x", runstate_exit_status() & 0xff);
        gdb_stub_send(&gdb.stub, buf);
    }
}

/* ---- Input ---- */

static void gdb_receive_byte(uint8_t ch)
{
    /* While the guest runs, gdb sends only Ctrl-C; any other request
       stops the machine first (its stop reply comes before the answer),
       since the debug calls want stopped harts. */
    if (runstate_is_running() && !gdb_rx_busy(&gdb.stub.rx) && ch != '+' &&
        ch != '-')
        vm_stop(RUN_STATE_PAUSED);
    /* GDB_RX_INTERRUPT: stopped above when running; otherwise nothing to
       interrupt. */
    gdb_stub_byte(&gdb.stub, ch);
}

static int gdb_can_read(void *opaque)
{
    (void)opaque;
    return GDB_MAX_PACKET;
}

static void gdb_read(void *opaque, const uint8_t *buf, int len)
{
    (void)opaque;
    for (int i = 0; i < len; i++) {
        /* A kill ends the session: ignore what follows it. */
        if (!gdb.connected || runstate_shutdown_requested())
            return;
        gdb_receive_byte(buf[i]);
    }
}

static void reset_session(void)
{
    gdb_stub_reset(&gdb.stub);
    gdb.phys_mem = false;
}

static void gdb_event(void *opaque, ChardevEvent event)
{
    (void)opaque;
    if (event == CHARDEV_EVENT_OPENED) {
        reset_session();
        gdb.connected = true;
        if (!cpu_count)
            return;
        /* As QEMU: the machine stops when gdb attaches (a -S machine
           goes from prelaunch to paused).  A client of a wait=on server
           comes before the vCPUs have threads: park them now, or they
           would start running with the machine marked paused. */
        for (int i = 0; i < cpu_count; i++) {
            if (!cpu_list[i]->thread)
                cpu_pause(cpu_list[i]);
        }
        vm_stop(RUN_STATE_PAUSED);
        gdb_stub_stopped(&gdb.stub, gdb.stub.g_cpu, GDB_SIGNAL_TRAP, NULL,
                         false);
        return;
    }
    /* The client left (mid-packet, or while the guest ran): undo what it
       set, but leave the machine as it is, as QEMU does.  A stopped guest
       stays stopped, so a tool that only probed the port, or a gdb that
       reconnects, finds it where it was (at the reset vector with -S);
       only `D` resumes it. */
    gdb.connected = false;
    reset_session();
    drop_debug_state();
}

/* ---- Start-up ---- */

/* The -chardev spec for a -gdb device, or NULL with *err. */
static char *device_to_chardev(const char *device, const char *id, char **err)
{
    const char *rest;
    g_autofree char *addr = NULL;
    GString *spec;

    if (g_str_has_prefix(device, "tcp:"))
        rest = device + 4;
    else if (g_str_has_prefix(device, "unix:"))
        rest = device + 5;
    else {
        *err = g_strdup_printf("'%s': expected tcp::PORT, tcp:HOST:PORT, "
                               "unix:PATH, chardev:ID or none", device);
        return NULL;
    }
    addr = g_strndup(rest, strcspn(rest, ","));
    rest += strlen(addr);
    spec = g_string_new("socket,id=");
    g_string_append(spec, id);
    if (device[0] == 't') {
        char *colon = strrchr(addr, ':');

        if (!colon || !colon[1]) {
            *err = g_strdup_printf("'%s': expected tcp:[HOST]:PORT", device);
            g_string_free(spec, TRUE);
            return NULL;
        }
        *colon = '\0';
        g_string_append_printf(spec, ",host=%s,port=%s", addr, colon + 1);
    } else {
        g_string_append_printf(spec, ",path=%s", addr);
    }
    g_string_append(spec, rest);
    /* As QEMU: a server that does not wait for gdb, unless told. */
    if (!strstr(rest, ",server"))
        g_string_append(spec, ",server=on");
    if (!strstr(rest, ",wait") && !strstr(rest, ",nowait"))
        g_string_append(spec, ",wait=off");
    return g_string_free(spec, FALSE);
}

/* Stops serving the current chardev; a client on it is treated as gone
   (the chardev API cannot close a socket, so it stays listening, and a
   later gdbserver_start on the same device takes it up again). */
static void gdb_disconnect_chardev(void)
{
    if (!gdb.chr)
        return;
    chardev_set_event_handler(gdb.chr, NULL);
    chardev_set_handlers(gdb.chr, NULL, NULL, NULL);
    gdb.chr = NULL;
    if (gdb.connected) {
        gdb.connected = false;
        reset_session();
        if (!runstate_shutdown_requested()) {
            drop_debug_state();
            sys_detach(&gdb.stub);
        }
    }
}

/* The chardev for a tcp: or unix: device: the one made for the same
   device before (its socket still listens), or a new one. */
static Chardev *device_chardev(const char *device, char **err)
{
    static GHashTable *made;    /* device string -> Chardev */
    static unsigned count;
    g_autofree char *id = NULL, *spec = NULL;
    Chardev *chr;

    if (!made)
        made = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    chr = g_hash_table_lookup(made, device);
    if (chr)
        return chr;
    id = g_strdup_printf("gdb%u", count++);
    spec = device_to_chardev(device, id, err);
    chr = spec ? chardev_new(spec, err) : NULL;
    if (chr)
        g_hash_table_insert(made, g_strdup(device), chr);
    return chr;
}

bool gdbserver_start(const char *device, char **err)
{
    Chardev *chr;

    if (!gdb.stub.ops)
        gdb_stub_init(&gdb.stub, &sys_ops);
    if (!strcmp(device, "none")) {
        gdb_disconnect_chardev();
        return true;
    }
    if (g_str_has_prefix(device, "chardev:")) {
        chr = chardev_find(device + 8);
        if (!chr) {
            *err = g_strdup_printf("chardev '%s' not found", device + 8);
            return false;
        }
    } else {
        chr = device_chardev(device, err);
        if (!chr)
            return false;
    }
    if (chr == gdb.chr)
        return true;        /* already serving it */
    gdb_disconnect_chardev();
    if (!gdb.listening) {
        runstate_add_listener(on_run_event, NULL);
        gdb.listening = true;
    }
    gdb.chr = chr;
    chardev_set_handlers(chr, gdb_can_read, gdb_read, NULL);
    chardev_set_event_handler(chr, gdb_event);
    return true;
}
