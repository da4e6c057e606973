/*
 * The GDB remote protocol's commands (gdbstub/protocol.h), for both
 * modes: acks and resends, the current threads (Hg/Hc), registers through
 * the target's gdb hooks, memory through the mode, breakpoints and
 * watchpoints through include/mimic/debug.h (applied to every CPU, so a
 * thread gdb did not name stops at them too), the resume commands (c, C,
 * s, S, vCont) turned into a GdbResume list for the mode, stop replies,
 * and the queries both modes answer alike.  docs/gdb.md and
 * docs/user-mode.md say what each mode supports.
 */
#include <string.h>

#include <glib.h>

#include "gdbstub/protocol.h"

/* gdb's Z/z types. */
enum {
    GDB_BP_SW = 0,
    GDB_BP_HW = 1,
    GDB_WP_WRITE = 2,
    GDB_WP_READ = 3,
    GDB_WP_ACCESS = 4,
};

/* ---- Sending ---- */

static void send_len(GdbStub *s, const char *data, size_t len)
{
    GString *pkt = g_string_new(NULL);

    gdb_frame(pkt, data, len);
    s->ops->write(s, pkt->str, pkt->len);
    if (s->no_ack) {
        g_string_free(pkt, TRUE);
        return;
    }
    if (s->unacked)
        g_string_free(s->unacked, TRUE);
    s->unacked = pkt;
}

void gdb_stub_send(GdbStub *s, const char *str)
{
    send_len(s, str, strlen(str));
}

static void send_gstring(GdbStub *s, GString *str)
{
    send_len(s, str->str, str->len);
}

void gdb_stub_send_error(GdbStub *s, int err)
{
    char buf[8];

    snprintf(buf, sizeof(buf), "E%02x", err & 0xff);
    gdb_stub_send(s, buf);
}

/* ---- Threads ---- */

/* The threads now, as a new array (g_free it); *n their number. */
static CPUState **thread_list(GdbStub *s, int *n)
{
    CPUState **cpus = g_new(CPUState *, CPU_LIST_SIZE);

    *n = s->ops->threads(cpus, CPU_LIST_SIZE);
    if (*n > CPU_LIST_SIZE)
        *n = CPU_LIST_SIZE;
    return cpus;
}

static CPUState *cpu_by_tid(GdbStub *s, int64_t tid)
{
    int n;
    CPUState **cpus = thread_list(s, &n);
    CPUState *found = NULL;

    for (int i = 0; i < n && !found; i++) {
        if (s->ops->tid(cpus[i]) == tid)
            found = cpus[i];
    }
    g_free(cpus);
    return found;
}

CPUState *gdb_stub_first_thread(GdbStub *s)
{
    CPUState *cpu = NULL;

    s->ops->threads(&cpu, 1);
    return cpu;
}

/* The thread registers and memory are read from. */
static CPUState *g_cpu(GdbStub *s)
{
    if (!s->g_cpu)
        s->g_cpu = gdb_stub_first_thread(s);
    return s->g_cpu;
}

void gdb_stub_forget_cpu(GdbStub *s, CPUState *cpu)
{
    if (s->g_cpu == cpu)
        s->g_cpu = NULL;
    if (s->c_cpu == cpu)
        s->c_cpu = NULL;
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

static int point_set(CPUState *cpu, const GdbPoint *p, bool insert)
{
    if (p->type <= GDB_BP_HW)
        return insert ? cpu_breakpoint_insert(cpu, p->addr)
                      : cpu_breakpoint_remove(cpu, p->addr);
    if (insert)
        return cpu_watchpoint_insert(cpu, p->addr, p->len, wp_kind(p->type));
    return cpu_watchpoint_remove(cpu, p->addr, p->len, wp_kind(p->type));
}

/* Inserts (or removes) on every CPU; on failure, undoes what was done.
   Every CPU, not only the threads now: user mode hands a released CPU to
   the next guest thread, which must find the same points. */
static bool point_apply(const GdbPoint *p, bool insert)
{
    for (int i = 0; i < cpu_count; i++) {
        if (point_set(cpu_list[i], p, insert) < 0 && insert) {
            for (int j = 0; j < i; j++)
                point_set(cpu_list[j], p, false);
            return false;
        }
    }
    return true;
}

void gdb_stub_apply_points(GdbStub *s, CPUState *cpu)
{
    for (guint i = 0; i < s->points->len; i++)
        point_set(cpu, &g_array_index(s->points, GdbPoint, i), true);
}

static int point_find(GdbStub *s, int type, uint64_t addr, uint64_t len)
{
    for (guint i = 0; i < s->points->len; i++) {
        GdbPoint *p = &g_array_index(s->points, GdbPoint, i);

        if (p->type == type && p->addr == addr &&
            (type <= GDB_BP_HW || p->len == len))
            return (int)i;
    }
    return -1;
}

/* True if another entry (a Z0 and a Z1 at one pc) still needs the
   debug.h breakpoint at addr. */
static bool bp_still_used(GdbStub *s, uint64_t addr)
{
    return point_find(s, GDB_BP_SW, addr, 0) >= 0 ||
           point_find(s, GDB_BP_HW, addr, 0) >= 0;
}

/* Z/z TYPE,ADDR,KIND[;cond...] */
static void handle_point(GdbStub *s, const char *p, bool insert)
{
    GdbPoint pt = { 0 };
    uint64_t type, len;
    int idx;

    p++;
    if (!gdb_parse_hex(&p, &type) || *p++ != ',' ||
        !gdb_parse_hex(&p, &pt.addr) || *p++ != ',' ||
        !gdb_parse_hex(&p, &len) || (*p && *p != ';')) {
        gdb_stub_send_error(s, GDB_EINVAL);
        return;
    }
    if (type > GDB_WP_ACCESS || (type >= GDB_WP_WRITE && !s->ops->watchpoints)) {
        gdb_stub_send(s, "");
        return;
    }
    pt.type = (int)type;
    pt.len = pt.type <= GDB_BP_HW ? 0 : len;
    idx = point_find(s, pt.type, pt.addr, pt.len);
    if (insert) {
        if (idx >= 0) {
            gdb_stub_send(s, "OK");
            return;
        }
        if (pt.type >= GDB_WP_WRITE &&
            (len == 0 || len > TARGET_PAGE_SIZE || !range_fits(pt.addr, len))) {
            gdb_stub_send_error(s, GDB_EINVAL);
            return;
        }
        if (!point_apply(&pt, true)) {
            gdb_stub_send_error(s, GDB_ENOSPC);
            return;
        }
        g_array_append_val(s->points, pt);
        gdb_stub_send(s, "OK");
        return;
    }
    if (idx < 0) {
        gdb_stub_send_error(s, GDB_EINVAL);
        return;
    }
    g_array_remove_index_fast(s->points, (guint)idx);
    if (pt.type > GDB_BP_HW || !bp_still_used(s, pt.addr))
        point_apply(&pt, false);
    gdb_stub_send(s, "OK");
}

void gdb_stub_drop_debug_state(GdbStub *s)
{
    for (int i = 0; i < cpu_count; i++) {
        cpu_breakpoint_remove_all(cpu_list[i]);
        cpu_watchpoint_remove_all(cpu_list[i]);
    }
    g_array_set_size(s->points, 0);
    step_off_all();
    s->waiting = false;
}

/* ---- Stops ---- */

/* The "watch:ADDR;" part of a stop reply for a watchpoint hit. */
static void stop_reply_watch(GdbStub *s, GString *r, const DebugStop *st)
{
    const char *name = "awatch";

    for (guint i = 0; i < s->points->len; i++) {
        GdbPoint *p = &g_array_index(s->points, GdbPoint, i);

        if (p->type < GDB_WP_WRITE || p->addr != st->wp_addr ||
            !(wp_kind(p->type) & st->wp_kind))
            continue;
        name = p->type == GDB_WP_WRITE ? "watch"
             : p->type == GDB_WP_READ ? "rwatch" : "awatch";
        break;
    }
    g_string_append_printf(r, "%s:%" G_GINT64_MODIFIER "x;", name, st->wp_addr);
}

void gdb_stub_stopped(GdbStub *s, CPUState *cpu, int sig,
                      const DebugStop *st, bool send)
{
    GString *r = s->last_stop;

    s->g_cpu = s->c_cpu = cpu;
    g_string_printf(r, "T%02xthread:%" G_GINT64_MODIFIER "x;", sig & 0xff,
                    s->ops->tid(cpu));
    if (st && st->reason == DEBUG_STOP_BREAKPOINT) {
        uint64_t pc = cpu_get_pc(cpu);

        if (point_find(s, GDB_BP_SW, pc, 0) >= 0)
            g_string_append(r, "swbreak:;");
        else if (point_find(s, GDB_BP_HW, pc, 0) >= 0)
            g_string_append(r, "hwbreak:;");
    } else if (st && st->reason == DEBUG_STOP_WATCHPOINT) {
        stop_reply_watch(s, r, st);
    }
    if (send && s->waiting) {
        s->waiting = false;
        send_gstring(s, r);
    }
}

/* ---- Resuming ---- */

static void resume(GdbStub *s, const GdbResume *r, int n)
{
    for (int i = 0; i < n; i++)
        cpu_single_step(r[i].cpu, r[i].step);
    s->waiting = true;
    s->ops->resume(s, r, n);
}

/* c, C, s, S: continue everything, or step the Hc thread. */
static void handle_continue(GdbStub *s, const char *p)
{
    bool step = p[0] == 's' || p[0] == 'S';
    CPUState *cpu = s->c_cpu ? s->c_cpu : g_cpu(s);
    uint64_t sig = 0;

    p++;
    if ((p[-1] == 'C' || p[-1] == 'S') && !gdb_parse_hex(&p, &sig)) {
        gdb_stub_send_error(s, GDB_EINVAL);
        return;
    }
    /* An address to resume at (obsolete; gdb writes the pc instead). */
    if (*p || sig > 0xff || !cpu) {
        gdb_stub_send_error(s, GDB_EINVAL);
        return;
    }
    if (step) {
        /* Only the stepped thread runs, so the step is exactly one insn
           and nothing else moves meanwhile. */
        GdbResume r = { cpu, true, (int)sig };

        resume(s, &r, 1);
    } else {
        int n;
        CPUState **cpus = thread_list(s, &n);
        GdbResume *r = g_new0(GdbResume, n);

        /* The signal goes to the thread that stopped (gdb's current). */
        for (int i = 0; i < n; i++)
            r[i] = (GdbResume){ cpus[i], false, cpus[i] == cpu ? (int)sig : 0 };
        resume(s, r, n);
        g_free(r);
        g_free(cpus);
    }
}

/* vCont;ACTION[:TID];...  The leftmost action that names a thread (or
   has no thread) applies to it; threads without an action stay stopped. */
static void handle_vcont(GdbStub *s, const char *p)
{
    int n, nrun = 0;
    CPUState **cpus = thread_list(s, &n);
    char *action = g_new0(char, n ? n : 1);
    int *sigs = g_new0(int, n ? n : 1);
    GdbResume *r = g_new0(GdbResume, n ? n : 1);
    bool bad = false;

    while (*p == ';' && !bad) {
        char a = *++p;
        int64_t tid = -1;
        uint64_t sig = 0;

        if (a != 'c' && a != 'C' && a != 's' && a != 'S') {
            bad = true;
            break;
        }
        p++;
        if ((a == 'C' || a == 'S') && (!gdb_parse_hex(&p, &sig) || sig > 0xff)) {
            bad = true;
            break;
        }
        if (*p == ':' && (p++, !gdb_parse_thread(&p, &tid))) {
            bad = true;
            break;
        }
        for (int i = 0; i < n; i++) {
            if (!action[i] && (tid <= 0 || tid == s->ops->tid(cpus[i]))) {
                action[i] = (char)(a | 0x20);   /* lower case */
                sigs[i] = (int)sig;
            }
        }
    }
    for (int i = 0; i < n && !bad; i++) {
        if (action[i])
            r[nrun++] = (GdbResume){ cpus[i], action[i] == 's', sigs[i] };
    }
    if (bad || *p || !nrun)
        gdb_stub_send_error(s, GDB_EINVAL);
    else
        resume(s, r, nrun);
    g_free(r);
    g_free(sigs);
    g_free(action);
    g_free(cpus);
}

/* ---- Registers ---- */

static void handle_read_regs(GdbStub *s)
{
    CPUState *cpu = g_cpu(s);
    GString *r = g_string_new(NULL);
    uint8_t buf[64];

    for (int reg = 0; reg < cpu->ops->gdb_num_core_regs; reg++) {
        int n = cpu_gdb_read_register(cpu, buf, reg);

        gdb_hex_encode(r, buf, (size_t)n);
    }
    send_gstring(s, r);
    g_string_free(r, TRUE);
}

static void handle_write_regs(GdbStub *s, const char *p)
{
    CPUState *cpu = g_cpu(s);
    uint8_t buf[64];
    size_t left = strlen(p);

    for (int reg = 0; reg < cpu->ops->gdb_num_core_regs; reg++) {
        /* The register's size: what reading it gives. */
        int n = cpu_gdb_read_register(cpu, buf, reg);

        if ((size_t)n * 2 > left || !gdb_hex_decode(p, buf, (size_t)n)) {
            gdb_stub_send_error(s, GDB_EINVAL);
            return;
        }
        cpu_gdb_write_register(cpu, buf, reg);
        p += 2 * n;
        left -= 2 * (size_t)n;
    }
    gdb_stub_send(s, "OK");
}

/* p N  /  P N=HEX */
static void handle_register(GdbStub *s, const char *p, bool write)
{
    CPUState *cpu = g_cpu(s);
    uint8_t buf[64];
    uint64_t reg;
    int n;

    p++;
    if (!gdb_parse_hex(&p, &reg) || reg > INT32_MAX ||
        (write ? *p++ != '=' : *p != '\0')) {
        gdb_stub_send_error(s, GDB_EINVAL);
        return;
    }
    n = cpu_gdb_read_register(cpu, buf, (int)reg);
    if (n <= 0) {
        gdb_stub_send_error(s, GDB_EFAULT);
        return;
    }
    if (write) {
        if (strlen(p) != 2 * (size_t)n || !gdb_hex_decode(p, buf, (size_t)n) ||
            cpu_gdb_write_register(cpu, buf, (int)reg) <= 0) {
            gdb_stub_send_error(s, GDB_EINVAL);
            return;
        }
        gdb_stub_send(s, "OK");
        return;
    }
    GString *r = g_string_new(NULL);

    gdb_hex_encode(r, buf, (size_t)n);
    send_gstring(s, r);
    g_string_free(r, TRUE);
}

/* ---- Memory ---- */

static int mem_rw(GdbStub *s, uint64_t addr, void *buf, size_t len,
                  bool write)
{
    return s->ops->mem_rw(s, g_cpu(s), addr, buf, len, write);
}

/* ADDR,LEN then the separator sep ('\0' for m). */
static bool parse_addr_len(const char **p, char sep, uint64_t *addr,
                           uint64_t *len)
{
    return gdb_parse_hex(p, addr) && *(*p)++ == ',' &&
           gdb_parse_hex(p, len) && *(*p)++ == sep;
}

/* m ADDR,LEN: as many bytes as can be read from ADDR, E if none. */
static void handle_read_mem(GdbStub *s, const char *p)
{
    uint64_t addr, len, done = 0;
    uint8_t *buf;

    p++;
    if (!parse_addr_len(&p, '\0', &addr, &len)) {
        gdb_stub_send_error(s, GDB_EINVAL);
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

        if (mem_rw(s, a, buf + done, n, false) < 0)
            break;
        done += n;
    }
    if (len && !done) {
        gdb_stub_send_error(s, GDB_EFAULT);
    } else {
        GString *r = g_string_new(NULL);

        gdb_hex_encode(r, buf, done);
        send_gstring(s, r);
        g_string_free(r, TRUE);
    }
    g_free(buf);
}

/* M ADDR,LEN:HEX  /  X ADDR,LEN:BINARY (len is the raw packet length). */
static void handle_write_mem(GdbStub *s, char *p, size_t len)
{
    bool binary = p[0] == 'X';
    const char *q = p + 1;
    uint64_t addr, n;
    uint8_t *buf;
    int r;

    if (!parse_addr_len(&q, ':', &addr, &n) || n > GDB_MAX_PACKET ||
        !range_fits(addr, n)) {
        gdb_stub_send_error(s, GDB_EINVAL);
        return;
    }
    len -= (size_t)(q - p);
    if (binary) {
        long got = gdb_unescape_binary((char *)q, len);

        if (got < 0 || (uint64_t)got != n) {
            gdb_stub_send_error(s, GDB_EINVAL);
            return;
        }
        buf = (uint8_t *)q;     /* unescaped in place */
        r = n ? mem_rw(s, addr, buf, n, true) : 0;
    } else {
        buf = g_malloc(n ? n : 1);
        if (len != 2 * n || !gdb_hex_decode(q, buf, n)) {
            g_free(buf);
            gdb_stub_send_error(s, GDB_EINVAL);
            return;
        }
        r = n ? mem_rw(s, addr, buf, n, true) : 0;
        g_free(buf);
    }
    if (r < 0)
        gdb_stub_send_error(s, GDB_EFAULT);
    else
        gdb_stub_send(s, "OK");
}

/* ---- Queries ---- */

void gdb_stub_send_xfer(GdbStub *s, const char *doc, size_t size,
                        const char *range)
{
    uint64_t off, len;
    GString *r;

    if (!parse_addr_len(&range, '\0', &off, &len)) {
        gdb_stub_send_error(s, GDB_EINVAL);
        return;
    }
    if (off > size) {
        gdb_stub_send_error(s, GDB_EINVAL);
        return;
    }
    /* Escapes may double the size: keep within the packet size. */
    len = MIN(len, (GDB_MAX_PACKET - 1) / 2);
    len = MIN(len, size - off);
    r = g_string_new(off + len < size ? "m" : "l");
    gdb_escape_binary(r, (const uint8_t *)doc + off, len);
    send_gstring(s, r);
    g_string_free(r, TRUE);
}

/* qXfer:features:read:ANNEX:OFFSET,LENGTH */
static void handle_xfer_features(GdbStub *s, const char *p)
{
    const char *colon = strchr(p, ':');
    g_autofree char *annex = colon ? g_strndup(p, (gsize)(colon - p)) : NULL;
    CPUState *cpu = g_cpu(s);
    const char *doc;

    if (!colon) {
        gdb_stub_send_error(s, GDB_EINVAL);
        return;
    }
    doc = cpu->ops->gdb_get_xml ? cpu->ops->gdb_get_xml(cpu, annex) : NULL;
    if (!doc) {
        gdb_stub_send_error(s, 0);
        return;
    }
    gdb_stub_send_xfer(s, doc, strlen(doc), colon + 1);
}

static void handle_thread_info(GdbStub *s, bool first)
{
    GString *r;
    CPUState **cpus;
    int n;

    if (!first) {
        gdb_stub_send(s, "l");
        return;
    }
    cpus = thread_list(s, &n);
    r = g_string_new("m");
    for (int i = 0; i < n; i++)
        g_string_append_printf(r, "%s%" G_GINT64_MODIFIER "x", i ? "," : "",
                               s->ops->tid(cpus[i]));
    send_gstring(s, r);
    g_string_free(r, TRUE);
    g_free(cpus);
}

static void handle_thread_extra(GdbStub *s, const char *p)
{
    int64_t tid;
    CPUState *cpu;
    g_autofree char *text = NULL;
    GString *r;

    if (!gdb_parse_thread(&p, &tid) || !(cpu = cpu_by_tid(s, tid))) {
        gdb_stub_send_error(s, GDB_EINVAL);
        return;
    }
    text = s->ops->thread_extra(cpu);
    r = g_string_new(NULL);
    gdb_hex_encode(r, (const uint8_t *)text, strlen(text));
    send_gstring(s, r);
    g_string_free(r, TRUE);
}

static void handle_query(GdbStub *s, const char *p)
{
    if (g_str_has_prefix(p, "qSupported")) {
        char buf[256];

        snprintf(buf, sizeof(buf), "PacketSize=%x;qXfer:features:read+;"
                 "swbreak+;hwbreak+;QStartNoAckMode+;vContSupported+%s",
                 GDB_MAX_PACKET, s->ops->features ? s->ops->features : "");
        gdb_stub_send(s, buf);
    } else if (g_str_has_prefix(p, "qXfer:features:read:")) {
        handle_xfer_features(s, p + strlen("qXfer:features:read:"));
    } else if (!strcmp(p, "qAttached") || g_str_has_prefix(p, "qAttached:")) {
        gdb_stub_send(s, "1");
    } else if (!strcmp(p, "qC")) {
        char buf[24];

        snprintf(buf, sizeof(buf), "QC%" G_GINT64_MODIFIER "x",
                 s->ops->tid(g_cpu(s)));
        gdb_stub_send(s, buf);
    } else if (!strcmp(p, "qfThreadInfo") || !strcmp(p, "qsThreadInfo")) {
        handle_thread_info(s, p[1] == 'f');
    } else if (g_str_has_prefix(p, "qThreadExtraInfo,")) {
        handle_thread_extra(s, p + strlen("qThreadExtraInfo,"));
    } else if (!s->ops->query || !s->ops->query(s, p)) {
        gdb_stub_send(s, "");
    }
}

static void handle_set(GdbStub *s, const char *p)
{
    if (!strcmp(p, "QStartNoAckMode")) {
        gdb_stub_send(s, "OK");
        /* The OK above still wants its ack; nothing after it does. */
        s->no_ack = true;
    } else if (!s->ops->query || !s->ops->query(s, p)) {
        gdb_stub_send(s, "");
    }
}

/* ---- Threads, detach, kill ---- */

/* H g|c TID */
static void handle_set_thread(GdbStub *s, const char *p)
{
    char op = p[1];
    int64_t tid;
    CPUState *cpu = NULL;

    p += 2;
    if ((op != 'g' && op != 'c') || !gdb_parse_thread(&p, &tid) || *p ||
        (tid > 0 && !(cpu = cpu_by_tid(s, tid)))) {
        gdb_stub_send_error(s, GDB_EINVAL);
        return;
    }
    if (op == 'g')
        s->g_cpu = cpu ? cpu : g_cpu(s);
    else
        s->c_cpu = cpu;     /* NULL: any or all */
    gdb_stub_send(s, "OK");
}

static void handle_thread_alive(GdbStub *s, const char *p)
{
    int64_t tid;

    p++;
    if (gdb_parse_thread(&p, &tid) && !*p && cpu_by_tid(s, tid))
        gdb_stub_send(s, "OK");
    else
        gdb_stub_send_error(s, GDB_EINVAL);
}

static void handle_v(GdbStub *s, const char *p)
{
    if (!strcmp(p, "vCont?")) {
        gdb_stub_send(s, "vCont;c;C;s;S");
    } else if (g_str_has_prefix(p, "vCont;")) {
        handle_vcont(s, p + 5);
    } else if (g_str_has_prefix(p, "vKill")) {
        gdb_stub_send(s, "OK");
        s->ops->kill(s);
    } else {
        gdb_stub_send(s, "");   /* vMustReplyEmpty and anything unknown */
    }
}

/* One good packet (NUL-terminated; len counts binary data in X). */
static void handle_packet(GdbStub *s, char *p, size_t len)
{
    /* No thread at all (a user-mode process between its last thread's
       exit and its end): only what needs none is answered. */
    if (p[0] && strchr("gGpPmMXHTcCsS", p[0]) && !g_cpu(s)) {
        gdb_stub_send_error(s, GDB_EINVAL);
        return;
    }
    switch (p[0]) {
    case '?': send_gstring(s, s->last_stop); break;
    case 'c': case 'C': case 's': case 'S': handle_continue(s, p); break;
    case 'v': handle_v(s, p); break;
    case 'H': handle_set_thread(s, p); break;
    case 'T': handle_thread_alive(s, p); break;
    case 'g': handle_read_regs(s); break;
    case 'G': handle_write_regs(s, p + 1); break;
    case 'p': handle_register(s, p, false); break;
    case 'P': handle_register(s, p, true); break;
    case 'm': handle_read_mem(s, p); break;
    case 'M': case 'X': handle_write_mem(s, p, len); break;
    case 'Z': handle_point(s, p, true); break;
    case 'z': handle_point(s, p, false); break;
    case 'q': handle_query(s, p); break;
    case 'Q': handle_set(s, p); break;
    case 'D':
        gdb_stub_send(s, "OK");
        gdb_stub_drop_debug_state(s);
        s->ops->detach(s);
        break;
    case 'k':
        /* No reply: gdb closes the connection. */
        s->ops->kill(s);
        break;
    default:
        gdb_stub_send(s, "");
        break;
    }
}

/* ---- Input ---- */

GdbRxEvent gdb_stub_byte(GdbStub *s, uint8_t ch)
{
    GdbRxEvent ev = gdb_rx_byte(&s->rx, ch);

    switch (ev) {
    case GDB_RX_PACKET:
        if (!s->no_ack)
            s->ops->write(s, "+", 1);
        if (s->unacked) {
            /* A new request acks our last answer implicitly. */
            g_string_free(s->unacked, TRUE);
            s->unacked = NULL;
        }
        handle_packet(s, s->rx.buf, s->rx.len);
        break;
    case GDB_RX_BAD:
        if (!s->no_ack)
            s->ops->write(s, "-", 1);
        break;
    case GDB_RX_ACK:
        if (s->unacked) {
            g_string_free(s->unacked, TRUE);
            s->unacked = NULL;
        }
        break;
    case GDB_RX_NAK:
        if (s->unacked)
            s->ops->write(s, s->unacked->str, s->unacked->len);
        break;
    case GDB_RX_INTERRUPT:
    case GDB_RX_NONE:
        break;
    }
    return ev;
}

/* ---- Set-up ---- */

void gdb_stub_init(GdbStub *s, const GdbStubOps *ops)
{
    memset(s, 0, sizeof(*s));
    s->ops = ops;
    s->points = g_array_new(FALSE, FALSE, sizeof(GdbPoint));
    s->last_stop = g_string_new(NULL);
    gdb_rx_init(&s->rx);
}

void gdb_stub_reset(GdbStub *s)
{
    gdb_rx_init(&s->rx);
    s->no_ack = false;
    if (s->unacked)
        g_string_free(s->unacked, TRUE);
    s->unacked = NULL;
    s->waiting = false;
    s->g_cpu = gdb_stub_first_thread(s);
    s->c_cpu = NULL;
}
