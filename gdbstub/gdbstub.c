/*
 * The GDB remote serial protocol server (include/mimic/gdbstub.h): one gdb
 * client at a time on a socket chardev, all-stop mode, every hart a
 * thread (id = cpu_index + 1).  It runs on the main loop with the BQL
 * held: bytes arrive through the chardev's read handler, the machine is
 * stopped and started with vm_stop/vm_start(_cpus), and the stop reply
 * owed to gdb after a resume is sent from the RUN_EVENT_STOP listener,
 * which runs once every hart is parked.  Breakpoints, watchpoints,
 * single-step, memory and registers go through include/mimic/debug.h.
 *
 *   gdbserver_start("tcp::1234", &err);      (-s, -gdb tcp::1234)
 *   gdb-multiarch -ex 'target remote :1234'
 *
 * docs/gdb.md says what is supported; gdbstub/packet.c does the framing.
 */
#include <string.h>

#include <glib.h>

#include "gdbstub/internal.h"
#include "mimic/chardev.h"
#include "mimic/cpu.h"
#include "mimic/debug.h"
#include "mimic/gdbstub.h"
#include "mimic/monitor.h"
#include "mimic/runstate.h"

/* Signals in stop replies (gdb's numbering). */
enum {
    GDB_SIGINT = 2,
    GDB_SIGTRAP = 5,
};

/* gdb's Z/z types. */
enum {
    GDB_BP_SW = 0,
    GDB_BP_HW = 1,
    GDB_WP_WRITE = 2,
    GDB_WP_READ = 3,
    GDB_WP_ACCESS = 4,
};

/* A breakpoint or watchpoint gdb inserted, to undo them when it leaves
   and to say which kind hit. */
typedef struct GdbPoint {
    int type;               /* GDB_BP_* / GDB_WP_* */
    uint64_t addr, len;
} GdbPoint;

typedef struct GdbServer {
    Chardev *chr;
    bool connected;
    GdbRx rx;
    bool no_ack;            /* QStartNoAckMode */
    GString *unacked;       /* the last packet sent, until gdb acks it */
    bool waiting;           /* gdb resumed the machine: a stop reply is owed */
    GString *last_stop;     /* the last stop reply, for '?' */
    CPUState *g_cpu;        /* Hg: registers and memory */
    CPUState *c_cpu;        /* Hc: the hart 's' steps */
    bool phys_mem;          /* Qqemu.PhyMemMode:1: m/M/X are physical */
    GArray *points;         /* GdbPoint */
    bool listening;         /* the run-state listener is in place */
} GdbServer;

static GdbServer gdb;

/* ---- Sending ---- */

static void gdb_write(const char *data, size_t len)
{
    chardev_write(gdb.chr, (const uint8_t *)data, (int)len);
}

static void gdb_send_len(const char *data, size_t len)
{
    GString *pkt = g_string_new(NULL);

    gdb_frame(pkt, data, len);
    gdb_write(pkt->str, pkt->len);
    if (gdb.no_ack) {
        g_string_free(pkt, TRUE);
        return;
    }
    if (gdb.unacked)
        g_string_free(gdb.unacked, TRUE);
    gdb.unacked = pkt;
}

static void gdb_send(const char *s)
{
    gdb_send_len(s, strlen(s));
}

static void gdb_send_gstring(GString *s)
{
    gdb_send_len(s->str, s->len);
}

static void gdb_send_error(int err)
{
    char buf[8];

    snprintf(buf, sizeof(buf), "E%02x", err & 0xff);
    gdb_send(buf);
}

/* Errors: the numbers QEMU uses, which gdb only prints. */
enum {
    GDB_EINVAL = 0x16,      /* a malformed or unsupported request */
    GDB_EFAULT = 0x0e,      /* memory that cannot be reached */
    GDB_ENOSPC = 0x1c,      /* no room for another break/watchpoint */
};

/* ---- Harts ---- */

static int cpu_tid(const CPUState *cpu)
{
    return cpu->cpu_index + 1;
}

static CPUState *cpu_by_tid(int64_t tid)
{
    for (int i = 0; i < cpu_count; i++) {
        if (cpu_tid(cpu_list[i]) == tid)
            return cpu_list[i];
    }
    return NULL;
}

static uint64_t cpu_pc(CPUState *cpu)
{
    uint64_t pc, flags;

    cpu->ops->get_tb_key(cpu, &pc, &flags);
    return pc;
}

static void step_off_all(void)
{
    for (int i = 0; i < cpu_count; i++)
        cpu_single_step(cpu_list[i], false);
}

/* Whether [addr, addr + len) stays below 2^64. */
static bool range_fits(uint64_t addr, uint64_t len)
{
    return len == 0 || addr + len - 1 >= addr;
}

/* ---- Breakpoints and watchpoints ---- */

static int wp_kind(int type)
{
    return type == GDB_WP_WRITE ? BP_MEM_WRITE
         : type == GDB_WP_READ ? BP_MEM_READ : BP_MEM_ACCESS;
}

/* Inserts (or removes) on every hart; on failure, undoes what was done. */
static bool point_apply(const GdbPoint *p, bool insert)
{
    for (int i = 0; i < cpu_count; i++) {
        CPUState *cpu = cpu_list[i];
        int r;

        if (p->type <= GDB_BP_HW)
            r = insert ? cpu_breakpoint_insert(cpu, p->addr)
                       : cpu_breakpoint_remove(cpu, p->addr);
        else if (insert)
            r = cpu_watchpoint_insert(cpu, p->addr, p->len, wp_kind(p->type));
        else
            r = cpu_watchpoint_remove(cpu, p->addr, p->len, wp_kind(p->type));
        if (r < 0 && insert) {
            for (int j = 0; j < i; j++) {
                if (p->type <= GDB_BP_HW)
                    cpu_breakpoint_remove(cpu_list[j], p->addr);
                else
                    cpu_watchpoint_remove(cpu_list[j], p->addr, p->len,
                                          wp_kind(p->type));
            }
            return false;
        }
    }
    return true;
}

static int point_find(int type, uint64_t addr, uint64_t len)
{
    for (guint i = 0; i < gdb.points->len; i++) {
        GdbPoint *p = &g_array_index(gdb.points, GdbPoint, i);

        if (p->type == type && p->addr == addr &&
            (type <= GDB_BP_HW || p->len == len))
            return (int)i;
    }
    return -1;
}

/* True if another entry (a Z0 and a Z1 at one pc) still needs the
   debug.h breakpoint at addr. */
static bool bp_still_used(uint64_t addr)
{
    return point_find(GDB_BP_SW, addr, 0) >= 0 ||
           point_find(GDB_BP_HW, addr, 0) >= 0;
}

static void points_remove_all(void)
{
    for (int i = 0; i < cpu_count; i++) {
        cpu_breakpoint_remove_all(cpu_list[i]);
        cpu_watchpoint_remove_all(cpu_list[i]);
    }
    g_array_set_size(gdb.points, 0);
}

/* Z/z TYPE,ADDR,KIND[;cond...] */
static void handle_point(const char *p, bool insert)
{
    GdbPoint pt = { 0 };
    uint64_t type, len;
    int idx;

    p++;
    if (!gdb_parse_hex(&p, &type) || *p++ != ',' ||
        !gdb_parse_hex(&p, &pt.addr) || *p++ != ',' ||
        !gdb_parse_hex(&p, &len) || (*p && *p != ';')) {
        gdb_send_error(GDB_EINVAL);
        return;
    }
    if (type > GDB_WP_ACCESS) {
        gdb_send("");
        return;
    }
    pt.type = (int)type;
    pt.len = pt.type <= GDB_BP_HW ? 0 : len;
    idx = point_find(pt.type, pt.addr, pt.len);
    if (insert) {
        if (idx >= 0) {
            gdb_send("OK");
            return;
        }
        if (pt.type >= GDB_WP_WRITE &&
            (len == 0 || len > TARGET_PAGE_SIZE || !range_fits(pt.addr, len))) {
            gdb_send_error(GDB_EINVAL);
            return;
        }
        if (!point_apply(&pt, true)) {
            gdb_send_error(GDB_ENOSPC);
            return;
        }
        g_array_append_val(gdb.points, pt);
        gdb_send("OK");
        return;
    }
    if (idx < 0) {
        gdb_send_error(GDB_EINVAL);
        return;
    }
    g_array_remove_index_fast(gdb.points, (guint)idx);
    if (pt.type > GDB_BP_HW || !bp_still_used(pt.addr))
        point_apply(&pt, false);
    gdb_send("OK");
}

/* The "watch:ADDR;" part of a stop reply for a watchpoint hit. */
static void stop_reply_watch(GString *s, const DebugStop *st)
{
    const char *name = "awatch";

    for (guint i = 0; i < gdb.points->len; i++) {
        GdbPoint *p = &g_array_index(gdb.points, GdbPoint, i);

        if (p->type < GDB_WP_WRITE || p->addr != st->wp_addr ||
            !(wp_kind(p->type) & st->wp_kind))
            continue;
        name = p->type == GDB_WP_WRITE ? "watch"
             : p->type == GDB_WP_READ ? "rwatch" : "awatch";
        break;
    }
    g_string_append_printf(s, "%s:%" G_GINT64_MODIFIER "x;", name, st->wp_addr);
}

/* ---- Stops ---- */

/* Builds the stop reply for the machine's current stop and makes its
   hart the current one. */
static void make_stop_reply(GString *s)
{
    DebugStop st = debug_last_stop();
    CPUState *cpu = st.cpu;
    int sig = GDB_SIGTRAP;

    if (!cpu || st.reason == DEBUG_STOP_NONE) {
        cpu = gdb.c_cpu ? gdb.c_cpu : gdb.g_cpu;
        if (runstate_get() == RUN_STATE_PAUSED)
            sig = GDB_SIGINT;
    }
    if (!cpu)
        cpu = cpu_list[0];
    gdb.g_cpu = gdb.c_cpu = cpu;
    g_string_printf(s, "T%02xthread:%x;", sig, cpu_tid(cpu));
    if (st.cpu && st.reason == DEBUG_STOP_BREAKPOINT) {
        uint64_t pc = cpu_pc(cpu);

        if (point_find(GDB_BP_SW, pc, 0) >= 0)
            g_string_append(s, "swbreak:;");
        else if (point_find(GDB_BP_HW, pc, 0) >= 0)
            g_string_append(s, "hwbreak:;");
    } else if (st.cpu && st.reason == DEBUG_STOP_WATCHPOINT) {
        stop_reply_watch(s, &st);
    }
}

static void send_stop_reply(void)
{
    make_stop_reply(gdb.last_stop);
    gdb_send_gstring(gdb.last_stop);
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
        step_off_all();
        if (!gdb.connected) {
            /* A hart hit a breakpoint just as gdb left: nobody will
               resume it but us (after the other listeners ran). */
            if (runstate_get() == RUN_STATE_DEBUG)
                g_idle_add(resume_abandoned, NULL);
            return;
        }
        if (gdb.waiting) {
            gdb.waiting = false;
            send_stop_reply();
        }
    } else if (event == RUN_EVENT_SHUTDOWN && gdb.connected && gdb.waiting) {
        char buf[8];

        gdb.waiting = false;
        snprintf(buf, sizeof(buf), "W%02x", runstate_exit_status() & 0xff);
        gdb_send(buf);
    }
}

/* ---- Resuming ---- */

/* Runs the harts in cpus (all of them if n == cpu_count); a stop reply
   follows when the machine stops again. */
static void resume(CPUState **cpus, int n)
{
    debug_clear_stop();
    gdb.waiting = true;
    if (n == cpu_count)
        vm_start();
    else
        vm_start_cpus(cpus, n);
}

/* c, C, s, S: continue everything, or step the Hc hart. */
static void handle_continue(const char *p)
{
    bool step = p[0] == 's' || p[0] == 'S';
    CPUState *cpu = gdb.c_cpu ? gdb.c_cpu : gdb.g_cpu;

    /* An address to resume at (obsolete; gdb writes the pc instead). */
    if (p[0] == 'C' || p[0] == 'S')
        p = strchr(p, ';') ? strchr(p, ';') : "";
    else
        p++;
    if (*p) {
        gdb_send_error(GDB_EINVAL);
        return;
    }
    if (step) {
        /* Only the stepped hart runs, so the step is exactly one insn
           and nothing else moves meanwhile. */
        cpu_single_step(cpu, true);
        resume(&cpu, 1);
    } else {
        resume(cpu_list, cpu_count);
    }
}

/* vCont;ACTION[:TID];...  The leftmost action that names a hart (or has
   no thread) applies to it; harts without an action stay stopped. */
static void handle_vcont(const char *p)
{
    char action[MIMIC_MAX_CPUS] = { 0 };
    CPUState *run[MIMIC_MAX_CPUS];
    int n = 0;

    while (*p == ';') {
        char a = *++p;
        int64_t tid = -1;

        if (a != 'c' && a != 'C' && a != 's' && a != 'S') {
            gdb_send_error(GDB_EINVAL);
            return;
        }
        p++;
        if (a == 'C' || a == 'S') {
            uint64_t sig;

            if (!gdb_parse_hex(&p, &sig)) {
                gdb_send_error(GDB_EINVAL);
                return;
            }
        }
        if (*p == ':' && (p++, !gdb_parse_thread(&p, &tid))) {
            gdb_send_error(GDB_EINVAL);
            return;
        }
        for (int i = 0; i < cpu_count; i++) {
            if (!action[i] && (tid <= 0 || tid == cpu_tid(cpu_list[i])))
                action[i] = (char)(a | 0x20);   /* lower case */
        }
    }
    if (*p) {
        gdb_send_error(GDB_EINVAL);
        return;
    }
    for (int i = 0; i < cpu_count; i++) {
        if (!action[i])
            continue;
        cpu_single_step(cpu_list[i], action[i] == 's');
        run[n++] = cpu_list[i];
    }
    if (!n) {
        gdb_send_error(GDB_EINVAL);
        return;
    }
    resume(run, n);
}

/* ---- Registers ---- */

static void handle_read_regs(void)
{
    GString *s = g_string_new(NULL);
    uint8_t buf[64];

    for (int r = 0; r < gdb.g_cpu->ops->gdb_num_core_regs; r++) {
        int n = cpu_gdb_read_register(gdb.g_cpu, buf, r);

        gdb_hex_encode(s, buf, (size_t)n);
    }
    gdb_send_gstring(s);
    g_string_free(s, TRUE);
}

static void handle_write_regs(const char *p)
{
    uint8_t buf[64];
    size_t left = strlen(p);

    for (int r = 0; r < gdb.g_cpu->ops->gdb_num_core_regs; r++) {
        /* The register's size: what reading it gives. */
        int n = cpu_gdb_read_register(gdb.g_cpu, buf, r);

        if ((size_t)n * 2 > left || !gdb_hex_decode(p, buf, (size_t)n)) {
            gdb_send_error(GDB_EINVAL);
            return;
        }
        cpu_gdb_write_register(gdb.g_cpu, buf, r);
        p += 2 * n;
        left -= 2 * (size_t)n;
    }
    gdb_send("OK");
}

/* p N  /  P N=HEX */
static void handle_register(const char *p, bool write)
{
    uint8_t buf[64];
    uint64_t reg;
    int n;

    p++;
    if (!gdb_parse_hex(&p, &reg) || reg > INT32_MAX ||
        (write ? *p++ != '=' : *p != '\0')) {
        gdb_send_error(GDB_EINVAL);
        return;
    }
    n = cpu_gdb_read_register(gdb.g_cpu, buf, (int)reg);
    if (n <= 0) {
        gdb_send_error(GDB_EFAULT);
        return;
    }
    if (write) {
        if (strlen(p) != 2 * (size_t)n || !gdb_hex_decode(p, buf, (size_t)n)) {
            gdb_send_error(GDB_EINVAL);
            return;
        }
        cpu_gdb_write_register(gdb.g_cpu, buf, (int)reg);
        gdb_send("OK");
        return;
    }
    GString *s = g_string_new(NULL);

    gdb_hex_encode(s, buf, (size_t)n);
    gdb_send_gstring(s);
    g_string_free(s, TRUE);
}

/* ---- Memory ---- */

static int mem_rw(uint64_t addr, void *buf, size_t len, bool write)
{
    if (gdb.phys_mem)
        return phys_memory_rw_debug(gdb.g_cpu, addr, buf, len, write);
    return cpu_memory_rw_debug(gdb.g_cpu, addr, buf, len, write);
}

/* ADDR,LEN then the separator sep ('\0' for m). */
static bool parse_addr_len(const char **p, char sep, uint64_t *addr,
                           uint64_t *len)
{
    return gdb_parse_hex(p, addr) && *(*p)++ == ',' &&
           gdb_parse_hex(p, len) && *(*p)++ == sep;
}

/* m ADDR,LEN: as many bytes as can be read from ADDR, E if none. */
static void handle_read_mem(const char *p)
{
    uint64_t addr, len, done = 0;
    uint8_t *buf;
    GString *s;

    p++;
    if (!parse_addr_len(&p, '\0', &addr, &len)) {
        gdb_send_error(GDB_EINVAL);
        return;
    }
    len = MIN(len, GDB_MAX_PACKET / 2);
    if (!range_fits(addr, len))
        len = -addr; /* up to the top of the address space */
    buf = g_malloc(len ? len : 1);
    /* Page by page, so a read across into an unmapped page returns what
       comes before it, as gdb accepts. */
    while (done < len) {
        uint64_t a = addr + done;
        uint64_t n = MIN(len - done, TARGET_PAGE_SIZE - (a & ~TARGET_PAGE_MASK));

        if (mem_rw(a, buf + done, n, false) < 0)
            break;
        done += n;
    }
    if (len && !done) {
        gdb_send_error(GDB_EFAULT);
    } else {
        s = g_string_new(NULL);
        gdb_hex_encode(s, buf, done);
        gdb_send_gstring(s);
        g_string_free(s, TRUE);
    }
    g_free(buf);
}

/* M ADDR,LEN:HEX  /  X ADDR,LEN:BINARY (len is the raw packet length). */
static void handle_write_mem(char *p, size_t len)
{
    bool binary = p[0] == 'X';
    const char *q = p + 1;
    uint64_t addr, n;
    uint8_t *buf;
    int r;

    if (!parse_addr_len(&q, ':', &addr, &n) || n > GDB_MAX_PACKET ||
        !range_fits(addr, n)) {
        gdb_send_error(GDB_EINVAL);
        return;
    }
    len -= (size_t)(q - p);
    if (binary) {
        long got = gdb_unescape_binary((char *)q, len);

        if (got < 0 || (uint64_t)got != n) {
            gdb_send_error(GDB_EINVAL);
            return;
        }
        buf = (uint8_t *)q;     /* unescaped in place */
        r = n ? mem_rw(addr, buf, n, true) : 0;
    } else {
        buf = g_malloc(n ? n : 1);
        if (len != 2 * n || !gdb_hex_decode(q, buf, n)) {
            g_free(buf);
            gdb_send_error(GDB_EINVAL);
            return;
        }
        r = n ? mem_rw(addr, buf, n, true) : 0;
        g_free(buf);
    }
    if (r < 0)
        gdb_send_error(GDB_EFAULT);
    else
        gdb_send("OK");
}

/* ---- Queries ---- */

/* qXfer:features:read:ANNEX:OFFSET,LENGTH */
static void handle_xfer_features(const char *p)
{
    const char *colon = strchr(p, ':');
    g_autofree char *annex = colon ? g_strndup(p, (gsize)(colon - p)) : NULL;
    const char *doc;
    uint64_t off, len;
    size_t size;
    GString *s;

    if (!colon) {
        gdb_send_error(GDB_EINVAL);
        return;
    }
    p = colon + 1;
    if (!parse_addr_len(&p, '\0', &off, &len)) {
        gdb_send_error(GDB_EINVAL);
        return;
    }
    doc = gdb.g_cpu->ops->gdb_get_xml ?
          gdb.g_cpu->ops->gdb_get_xml(gdb.g_cpu, annex) : NULL;
    if (!doc) {
        gdb_send_error(0);
        return;
    }
    size = strlen(doc);
    if (off > size) {
        gdb_send_error(GDB_EINVAL);
        return;
    }
    /* Escapes may double the size: keep within the packet size. */
    len = MIN(len, (GDB_MAX_PACKET - 1) / 2);
    len = MIN(len, size - off);
    s = g_string_new(off + len < size ? "m" : "l");
    gdb_escape_binary(s, (const uint8_t *)doc + off, len);
    gdb_send_gstring(s);
    g_string_free(s, TRUE);
}

static void handle_thread_info(bool first)
{
    GString *s;

    if (!first) {
        gdb_send("l");
        return;
    }
    s = g_string_new("m");
    for (int i = 0; i < cpu_count; i++)
        g_string_append_printf(s, "%s%x", i ? "," : "", cpu_tid(cpu_list[i]));
    gdb_send_gstring(s);
    g_string_free(s, TRUE);
}

static void handle_thread_extra(const char *p)
{
    int64_t tid;
    CPUState *cpu;
    g_autofree char *text = NULL;
    GString *s;

    if (!gdb_parse_thread(&p, &tid) || !(cpu = cpu_by_tid(tid))) {
        gdb_send_error(GDB_EINVAL);
        return;
    }
    text = g_strdup_printf("CPU#%d [%s]", cpu->cpu_index,
                           cpu->halted ? "halted" : "running");
    s = g_string_new(NULL);
    gdb_hex_encode(s, (const uint8_t *)text, strlen(text));
    gdb_send_gstring(s);
    g_string_free(s, TRUE);
}

/* qRcmd,HEX: a monitor command; its output as O packets, then OK. */
static void handle_rcmd(const char *hex)
{
    size_t n = strlen(hex) / 2;
    g_autofree char *cmd = g_malloc(n + 1);
    g_autofree char *out = NULL;
    size_t len;

    if (strlen(hex) % 2 || !gdb_hex_decode(hex, (uint8_t *)cmd, n)) {
        gdb_send_error(GDB_EINVAL);
        return;
    }
    cmd[n] = '\0';
    out = hmp_run_command(cmd);
    len = out ? strlen(out) : 0;
    for (size_t off = 0; off < len; off += 2048) {
        GString *s = g_string_new("O");

        gdb_hex_encode(s, (const uint8_t *)out + off, MIN(2048, len - off));
        gdb_send_gstring(s);
        g_string_free(s, TRUE);
    }
    gdb_send("OK");
}

static void handle_query(const char *p)
{
    if (g_str_has_prefix(p, "qSupported")) {
        char buf[160];

        snprintf(buf, sizeof(buf), "PacketSize=%x;qXfer:features:read+;"
                 "swbreak+;hwbreak+;QStartNoAckMode+;vContSupported+",
                 GDB_MAX_PACKET);
        gdb_send(buf);
    } else if (g_str_has_prefix(p, "qXfer:features:read:")) {
        handle_xfer_features(p + strlen("qXfer:features:read:"));
    } else if (!strcmp(p, "qAttached") || g_str_has_prefix(p, "qAttached:")) {
        gdb_send("1");
    } else if (!strcmp(p, "qC")) {
        char buf[24];

        snprintf(buf, sizeof(buf), "QC%x", cpu_tid(gdb.g_cpu));
        gdb_send(buf);
    } else if (!strcmp(p, "qfThreadInfo") || !strcmp(p, "qsThreadInfo")) {
        handle_thread_info(p[1] == 'f');
    } else if (g_str_has_prefix(p, "qThreadExtraInfo,")) {
        handle_thread_extra(p + strlen("qThreadExtraInfo,"));
    } else if (g_str_has_prefix(p, "qRcmd,")) {
        handle_rcmd(p + strlen("qRcmd,"));
    } else if (!strcmp(p, "qqemu.PhyMemMode")) {
        gdb_send(gdb.phys_mem ? "1" : "0");
    } else {
        gdb_send("");
    }
}

static void handle_set(const char *p)
{
    if (!strcmp(p, "QStartNoAckMode")) {
        gdb_send("OK");
        /* The OK above still wants its ack; nothing after it does. */
        gdb.no_ack = true;
    } else if (!strcmp(p, "Qqemu.PhyMemMode:1") ||
               !strcmp(p, "Qqemu.PhyMemMode:0")) {
        gdb.phys_mem = p[strlen(p) - 1] == '1';
        gdb_send("OK");
    } else {
        gdb_send("");
    }
}

/* ---- Attach, detach, kill ---- */

/* Forgets what gdb set up in the machine: breakpoints, watchpoints,
   single-step, physical memory mode. */
static void drop_debug_state(void)
{
    points_remove_all();
    step_off_all();
    gdb.phys_mem = false;
    gdb.waiting = false;
}

static void detach(void)
{
    drop_debug_state();
    debug_clear_stop();
    vm_start();
}

/* H g|c TID */
static void handle_set_thread(const char *p)
{
    char op = p[1];
    int64_t tid;
    CPUState *cpu = NULL;

    p += 2;
    if ((op != 'g' && op != 'c') || !gdb_parse_thread(&p, &tid) || *p ||
        (tid > 0 && !(cpu = cpu_by_tid(tid)))) {
        gdb_send_error(GDB_EINVAL);
        return;
    }
    if (op == 'g')
        gdb.g_cpu = cpu ? cpu : gdb.g_cpu;
    else
        gdb.c_cpu = cpu;    /* NULL: any or all */
    gdb_send("OK");
}

static void handle_thread_alive(const char *p)
{
    int64_t tid;

    p++;
    if (gdb_parse_thread(&p, &tid) && !*p && cpu_by_tid(tid))
        gdb_send("OK");
    else
        gdb_send_error(GDB_EINVAL);
}

static void handle_v(const char *p)
{
    if (!strcmp(p, "vCont?")) {
        gdb_send("vCont;c;C;s;S");
    } else if (g_str_has_prefix(p, "vCont;")) {
        handle_vcont(p + 5);
    } else if (g_str_has_prefix(p, "vKill")) {
        gdb_send("OK");
        runstate_request_shutdown(SHUTDOWN_CAUSE_HOST_QUIT, 0);
    } else {
        gdb_send("");       /* vMustReplyEmpty and anything unknown */
    }
}

/* One good packet (NUL-terminated; len counts binary data in X). */
static void handle_packet(char *p, size_t len)
{
    switch (p[0]) {
    case '?': gdb_send_gstring(gdb.last_stop); break;
    case 'c': case 'C': case 's': case 'S': handle_continue(p); break;
    case 'v': handle_v(p); break;
    case 'H': handle_set_thread(p); break;
    case 'T': handle_thread_alive(p); break;
    case 'g': handle_read_regs(); break;
    case 'G': handle_write_regs(p + 1); break;
    case 'p': handle_register(p, false); break;
    case 'P': handle_register(p, true); break;
    case 'm': handle_read_mem(p); break;
    case 'M': case 'X': handle_write_mem(p, len); break;
    case 'Z': handle_point(p, true); break;
    case 'z': handle_point(p, false); break;
    case 'q': handle_query(p); break;
    case 'Q': handle_set(p); break;
    case 'D':
        gdb_send("OK");
        detach();
        break;
    case 'k':
        /* No reply: gdb closes the connection. */
        runstate_request_shutdown(SHUTDOWN_CAUSE_HOST_QUIT, 0);
        break;
    default:
        gdb_send("");
        break;
    }
}

/* ---- Input ---- */

static void stop_for_gdb(void)
{
    if (runstate_is_running())
        vm_stop(RUN_STATE_PAUSED);
}

static void gdb_receive_byte(uint8_t ch)
{
    GdbRxEvent ev;

    /* While the guest runs, gdb sends only Ctrl-C; any other request
       stops the machine first (its stop reply comes before the answer),
       since the debug calls want stopped harts. */
    if (runstate_is_running() && !gdb_rx_busy(&gdb.rx) && ch != '+' &&
        ch != '-')
        stop_for_gdb();
    ev = gdb_rx_byte(&gdb.rx, ch);
    switch (ev) {
    case GDB_RX_PACKET:
        if (!gdb.no_ack)
            gdb_write("+", 1);
        if (gdb.unacked) {
            /* A new request acks our last answer implicitly. */
            g_string_free(gdb.unacked, TRUE);
            gdb.unacked = NULL;
        }
        handle_packet(gdb.rx.buf, gdb.rx.len);
        break;
    case GDB_RX_BAD:
        if (!gdb.no_ack)
            gdb_write("-", 1);
        break;
    case GDB_RX_ACK:
        if (gdb.unacked) {
            g_string_free(gdb.unacked, TRUE);
            gdb.unacked = NULL;
        }
        break;
    case GDB_RX_NAK:
        if (gdb.unacked)
            gdb_write(gdb.unacked->str, gdb.unacked->len);
        break;
    case GDB_RX_INTERRUPT:
        /* Stopped above when running; otherwise nothing to interrupt. */
    case GDB_RX_NONE:
        break;
    }
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
    gdb_rx_init(&gdb.rx);
    gdb.no_ack = false;
    if (gdb.unacked)
        g_string_free(gdb.unacked, TRUE);
    gdb.unacked = NULL;
    gdb.waiting = false;
    gdb.phys_mem = false;
    gdb.g_cpu = cpu_count ? cpu_list[0] : NULL;
    gdb.c_cpu = NULL;
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
        g_string_printf(gdb.last_stop, "T%02xthread:%x;", GDB_SIGTRAP,
                        cpu_tid(gdb.g_cpu));
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
        if (!runstate_shutdown_requested())
            detach();
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

    if (!gdb.points) {
        gdb.points = g_array_new(FALSE, FALSE, sizeof(GdbPoint));
        gdb.last_stop = g_string_new(NULL);
        gdb_rx_init(&gdb.rx);
    }
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
