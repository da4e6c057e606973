/*
 * The commands of the human monitor (HMP): a table of names, argument
 * synopses and handlers, and the handlers themselves, which print into the
 * HmpContext's buffer.  Spellings and output follow QEMU's monitor where
 * it has the same command (`info registers`, `x/4i $pc`, `info mem`), so
 * habits and scripts carry over.  Every handler runs on the main loop with
 * the BQL held; a user error prints a message and the monitor goes on.
 *
 *   HmpContext c;
 *   hmp_context_init(&c);
 *   hmp_execute(&c, "info status");      (c.out: "VM status: running\n")
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "mimic/block.h"
#include "mimic/bql.h"
#include "mimic/debug.h"
#include "mimic/exec.h"
#include "mimic/gdbstub.h"
#include "mimic/log.h"
#include "mimic/memory.h"
#include "mimic/pci.h"
#include "mimic/runstate.h"
#include "mimic/translator.h"
#include "mimic/ui.h"
#include "mimic/version.h"
#include "monitor-internal.h"

#define X_MAX_BYTES (1u << 20)     /* x/xp print at most this much */
/* and disassemble at most this many insns: each costs far more than a
   number (xp/800000003i took the fuzzer's 10 s). */
#define X_MAX_INSNS (1u << 16)

typedef struct HmpCommand {
    const char *name;
    const char *alias;       /* a short spelling ("c" for cont), or NULL */
    const char *args;        /* synopsis for help */
    const char *help;
    void (*fn)(HmpContext *c, const char *args);
} HmpCommand;

static const HmpCommand hmp_commands[];
static const HmpCommand info_commands[];

void hmp_context_init(HmpContext *c)
{
    memset(c, 0, sizeof(*c));
    c->out = g_string_new(NULL);
    c->last_format = 'x';
    c->last_size = 4;
}

void hmp_printf(HmpContext *c, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    g_string_append_vprintf(c->out, fmt, ap);
    va_end(ap);
}

CPUState *hmp_current_cpu(HmpContext *c)
{
    if (cpu_count == 0)
        return NULL;
    if (c->cpu_index < 0 || c->cpu_index >= cpu_count)
        c->cpu_index = 0;
    return cpu_list[c->cpu_index];
}

/* Output of a hook that prints to a FILE goes to c->out. */
typedef void (*FileDumpFn)(CPUState *cpu, FILE *f);

static void print_from_file(HmpContext *c, FileDumpFn fn, CPUState *cpu)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);

    if (!f) {
        hmp_printf(c, "out of memory\n");
        return;
    }
    fn(cpu, f);
    fclose(f);
    g_string_append_len(c->out, buf, (gssize)len);
    free(buf);
}

static bool need_cpu(HmpContext *c, CPUState **cpu)
{
    *cpu = hmp_current_cpu(c);
    if (!*cpu)
        hmp_printf(c, "No CPU available\n");
    return *cpu != NULL;
}

/* ---- help ---- */

static void print_table(HmpContext *c, const HmpCommand *t, const char *prefix)
{
    for (; t->name; t++) {
        g_autofree char *names = t->alias
            ? g_strdup_printf("%s%s|%s", prefix, t->name, t->alias)
            : g_strdup_printf("%s%s", prefix, t->name);

        hmp_printf(c, "%s%s%s -- %s\n", names, *t->args ? " " : "", t->args,
                   t->help);
    }
}

static const HmpCommand *find_command(const HmpCommand *t, const char *name)
{
    for (; t->name; t++) {
        if (!strcmp(t->name, name) || (t->alias && !strcmp(t->alias, name)))
            return t;
    }
    return NULL;
}

static void cmd_help(HmpContext *c, const char *args)
{
    const HmpCommand *cmd;

    if (!*args) {
        print_table(c, hmp_commands, "");
        return;
    }
    if (!strcmp(args, "info")) {
        print_table(c, info_commands, "info ");
        return;
    }
    cmd = find_command(hmp_commands, args);
    if (!cmd) {
        hmp_printf(c, "unknown command: '%s'\n", args);
        return;
    }
    hmp_printf(c, "%s%s%s -- %s\n", cmd->name, *cmd->args ? " " : "",
               cmd->args, cmd->help);
}

/* ---- info ---- */

static void info_registers(HmpContext *c, const char *args)
{
    CPUState *cpu;

    if (*args && strcmp(args, "-a") != 0) {
        hmp_printf(c, "info registers: unexpected argument '%s' (only -a)\n",
                   args);
        return;
    }
    if (!need_cpu(c, &cpu))
        return;
    if (!cpu->ops->dump_state) {
        hmp_printf(c, "info registers: not supported by this target\n");
        return;
    }
    if (!*args) {
        print_from_file(c, cpu->ops->dump_state, cpu);
        return;
    }
    for (int i = 0; i < cpu_count; i++) {
        hmp_printf(c, "\nCPU#%d\n", cpu_list[i]->cpu_index);
        print_from_file(c, cpu_list[i]->ops->dump_state, cpu_list[i]);
    }
}

static void info_cpus(HmpContext *c, const char *args)
{
    CPUState *cur = hmp_current_cpu(c);

    for (int i = 0; i < cpu_count; i++) {
        CPUState *cpu = cpu_list[i];

        hmp_printf(c, "%c CPU #%d: thread_id=%d%s\n", cpu == cur ? '*' : ' ',
                   cpu->cpu_index, cpu->thread_id,
                   cpu->halted ? " (halted)" : "");
    }
}

static void dump_mtree(CPUState *cpu, FILE *f)
{
    memory_dump_all(f);
}

static void info_mtree(HmpContext *c, const char *args)
{
    print_from_file(c, dump_mtree, NULL);
}

static void dump_pci(CPUState *cpu, FILE *f)
{
    pci_info(f);
}

static void info_pci(HmpContext *c, const char *args)
{
    print_from_file(c, dump_pci, NULL);
}

static void info_mem(HmpContext *c, const char *args)
{
    CPUState *cpu;

    if (!need_cpu(c, &cpu))
        return;
    if (!cpu->ops->dump_mappings) {
        hmp_printf(c, "info mem: not supported by this target\n");
        return;
    }
    /* The walk reads the page tables satp names: a running guest could
       free them under it (a process exiting on this hart: the table read
       half old, half zeros, the kernel's mappings gone), so the harts
       stand still for it, without a change of run state.  A vCPU may be
       waiting for the BQL before it can stop. */
    bool running = runstate_is_running(), held = bql_locked();
    if (running) {
        if (held)
            bql_unlock();
        cpus_pause_all();
        if (held)
            bql_lock();
    }
    print_from_file(c, cpu->ops->dump_mappings, cpu);
    if (running)
        cpus_resume_all();
}

/* -name: the name on a line, nothing without one (as QEMU). */
static void info_name(HmpContext *c, const char *args)
{
    if (runstate_guest_name())
        hmp_printf(c, "%s\n", runstate_guest_name());
}

static void info_status(HmpContext *c, const char *args)
{
    RunState s = runstate_get();

    if (s == RUN_STATE_RUNNING)
        hmp_printf(c, "VM status: running\n");
    else if (s == RUN_STATE_PAUSED)
        hmp_printf(c, "VM status: paused\n");
    else
        hmp_printf(c, "VM status: paused (%s)\n", runstate_name(s));
}

/* One drive or node of info block, in QEMU's layout. */
static void info_block_one(const char *id, BlockBackend *blk, unsigned flags,
                           bool attached, void *opaque)
{
    HmpContext *c = opaque;

    if (!blk) {
        if (!(flags & BLK_NAME_NODE))
            hmp_printf(c, "%s: [not inserted]\n    Removable device: not "
                       "locked, tray closed\n\n", id);
        return;
    }
    hmp_printf(c, "%s%s: %s (%s%s)\n", id, (flags & BLK_NAME_NODE) ?
               " (node)" : "", blk_filename(blk), blk_format_name(blk),
               blk_is_read_only(blk) ? ", read-only" : "");
    if (attached)
        hmp_printf(c, "    Attached to:      a device\n");
    else
        hmp_printf(c, "    Removable device: not locked, tray closed\n");
    hmp_printf(c, "    Cache mode:       %s\n", blk_cache_mode(blk));
    if (blk_backing(blk))
        hmp_printf(c, "    Backing file:     %s\n",
                   blk_filename(blk_backing(blk)));
    hmp_printf(c, "\n");
}

static void info_block(HmpContext *c, const char *args)
{
    blk_names_foreach(info_block_one, c);
}

static void info_version(HmpContext *c, const char *args)
{
    hmp_printf(c, "%d.%d.%d (%s)\n", MIMIC_VERSION_MAJOR, MIMIC_VERSION_MINOR,
               MIMIC_VERSION_MICRO, MIMIC_PACKAGE);
}

static void dump_jit(CPUState *cpu, FILE *f)
{
    tcg_dump_stats(f);
}

static void info_jit(HmpContext *c, const char *args)
{
    print_from_file(c, dump_jit, NULL);
}

/* A command without arguments (empty synopsis) refuses any, as QEMU:
   `stop now` must not stop. */
static bool no_extra_args(HmpContext *c, const HmpCommand *cmd,
                          const char *args)
{
    if (*cmd->args || !*args)
        return true;
    hmp_printf(c, "%s: extraneous characters at the end of line: '%s'\n",
               cmd->name, args);
    return false;
}

static void cmd_info(HmpContext *c, const char *args)
{
    g_autofree char *name = g_strndup(args, strcspn(args, " \t"));
    const char *rest = args + strlen(name);
    const HmpCommand *cmd;

    if (!*name) {
        print_table(c, info_commands, "info ");
        return;
    }
    cmd = find_command(info_commands, name);
    if (!cmd) {
        hmp_printf(c, "info: unknown item '%s' (try 'help info')\n", name);
        return;
    }
    while (*rest == ' ' || *rest == '\t')
        rest++;
    if (!no_extra_args(c, cmd, rest))
        return;
    cmd->fn(c, rest);
}

/* ---- x, xp, print ---- */

typedef struct DumpFormat {
    int count;
    char format;     /* x d u o c i */
    int size;        /* 1 2 4 8 */
} DumpFormat;

/* "/[COUNT][FMT][SIZE]" (letters in any order); *rest is what follows. */
static bool parse_format(HmpContext *c, const char *args, DumpFormat *fmt,
                         const char **rest)
{
    const char *p = args;
    bool size_given = false;

    fmt->count = 1;
    fmt->format = c->last_format;
    fmt->size = c->last_size;
    if (*p == '/') {
        char *end;

        p++;
        if (g_ascii_isdigit(*p)) {
            unsigned long n = strtoul(p, &end, 10);

            fmt->count = n > X_MAX_BYTES ? (int)X_MAX_BYTES : (int)n;
            p = end;
        }
        for (; *p && *p != ' ' && *p != '\t'; p++) {
            if (strchr("xduoci", *p)) {
                fmt->format = *p;
            } else if (strchr("bhwg", *p)) {
                fmt->size = *p == 'b' ? 1 : *p == 'h' ? 2 : *p == 'w' ? 4 : 8;
                size_given = true;
            } else {
                hmp_printf(c, "invalid format character '%c' (count, then "
                           "x d u o c i and b h w g)\n", *p);
                return false;
            }
        }
    }
    if (fmt->format == 'c' && !size_given)
        fmt->size = 1;
    c->last_format = fmt->format;
    if (fmt->format != 'i')
        c->last_size = fmt->size;
    while (*p == ' ' || *p == '\t')
        p++;
    *rest = p;
    return true;
}

static bool read_mem(CPUState *cpu, bool phys, uint64_t addr, void *buf,
                     size_t len)
{
    return phys ? phys_memory_rw_debug(cpu, addr, buf, len, false) == 0
                : cpu_memory_rw_debug(cpu, addr, buf, len, false) == 0;
}

static void dump_insns(HmpContext *c, CPUState *cpu, bool phys, uint64_t addr,
                       int count)
{
    if (!cpu->ops->disas) {
        hmp_printf(c, "x/i: no disassembler for this target\n");
        return;
    }
    for (int i = 0; i < count; i++) {
        uint8_t b[TRANSLATOR_MAX_INSN_LEN];
        unsigned unit = cpu->ops->insn_unit ? cpu->ops->insn_unit : 1;
        unsigned avail = 0;
        char line[192];
        int len = 0;

        /* Unit by unit until the insn is whole: its last unit may be on
           a page that cannot be read. */
        while (avail + unit <= sizeof(b)) {
            if (!read_mem(cpu, phys, addr + avail, b + avail, unit)) {
                hmp_printf(c, "Cannot access memory at 0x%016" PRIx64 "\n",
                           addr + avail);
                return;
            }
            avail += unit;
            len = cpu->ops->disas(addr, b, avail, line, sizeof(line));
            if (len > 0)
                break;
        }
        if (len <= 0) {
            hmp_printf(c, "0x%016" PRIx64 ": no instruction\n", addr);
            return;
        }
        disas_format_insn(cpu->ops, addr, b, (unsigned)len, 10, line,
                          sizeof(line));
        hmp_printf(c, "0x%016" PRIx64 ":  %s\n", addr, line);
        addr += (uint64_t)len;
    }
}

static void print_char(HmpContext *c, uint8_t ch)
{
    switch (ch) {
    case '\'': hmp_printf(c, " '\\''"); break;
    case '\\': hmp_printf(c, " '\\\\'"); break;
    case '\n': hmp_printf(c, " '\\n'"); break;
    case '\r': hmp_printf(c, " '\\r'"); break;
    case '\t': hmp_printf(c, " '\\t'"); break;
    default:
        if (ch >= 32 && ch < 127)
            hmp_printf(c, " '%c'", ch);
        else
            hmp_printf(c, " '\\x%02x'", ch);
    }
}

static void print_value(HmpContext *c, const DumpFormat *fmt, uint64_t v)
{
    int bits = fmt->size * 8;
    /* Widths that line the columns up: the most digits a unit can have. */
    int dec_digits = (bits * 10 + 32) / 33;

    switch (fmt->format) {
    case 'x':
        hmp_printf(c, " 0x%0*" PRIx64, fmt->size * 2, v);
        break;
    case 'o':
        hmp_printf(c, " %#*" PRIo64, (bits + 2) / 3 + 1, v);
        break;
    case 'u':
        hmp_printf(c, " %*" PRIu64, dec_digits, v);
        break;
    case 'd': {
        int64_t s = bits == 64 ? (int64_t)v
                               : (int64_t)(v << (64 - bits)) >> (64 - bits);

        hmp_printf(c, " %*" PRId64, dec_digits + 1, s);
        break;
    }
    case 'c':
        print_char(c, (uint8_t)v);
        break;
    }
}

static void dump_data(HmpContext *c, CPUState *cpu, bool phys, uint64_t addr,
                      const DumpFormat *fmt)
{
    uint64_t total = (uint64_t)fmt->count * (uint64_t)fmt->size;
    int line_bytes = fmt->size == 1 ? 8 : 16;

    if (total > X_MAX_BYTES)
        total = X_MAX_BYTES;
    while (total > 0) {
        uint8_t line[16];
        int n = (int)MIN((uint64_t)line_bytes, total);

        if (!read_mem(cpu, phys, addr, line, (size_t)n)) {
            hmp_printf(c, "Cannot access memory at 0x%016" PRIx64 "\n", addr);
            return;
        }
        hmp_printf(c, "%016" PRIx64 ":", addr);
        for (int i = 0; i < n; i += fmt->size) {
            uint64_t v = 0;

            for (int k = 0; k < fmt->size; k++)      /* little-endian guest */
                v |= (uint64_t)line[i + k] << (8 * k);
            print_value(c, fmt, v);
        }
        hmp_printf(c, "\n");
        addr += (uint64_t)n;
        total -= (uint64_t)n;
    }
}

static void memory_dump(HmpContext *c, const char *args, bool phys)
{
    DumpFormat fmt;
    const char *rest;
    g_autofree char *err = NULL;
    CPUState *cpu;
    uint64_t addr;

    if (!need_cpu(c, &cpu) || !parse_format(c, args, &fmt, &rest))
        return;
    if (!*rest) {
        hmp_printf(c, "%s: an address is required (e.g. %s/4x 0x80000000)\n",
                   phys ? "xp" : "x", phys ? "xp" : "x");
        return;
    }
    if (!hmp_eval_expr(cpu, rest, &addr, &err)) {
        hmp_printf(c, "%s\n", err);
        return;
    }
    if (fmt.format == 'i')
        dump_insns(c, cpu, phys, addr,
                   fmt.count > (int)X_MAX_INSNS ? (int)X_MAX_INSNS : fmt.count);
    else
        dump_data(c, cpu, phys, addr, &fmt);
}

static void cmd_x(HmpContext *c, const char *args)
{
    memory_dump(c, args, false);
}

static void cmd_xp(HmpContext *c, const char *args)
{
    memory_dump(c, args, true);
}

static void cmd_print(HmpContext *c, const char *args)
{
    g_autofree char *err = NULL;
    uint64_t v;

    if (!*args) {
        hmp_printf(c, "print: an expression is required\n");
        return;
    }
    if (!hmp_eval_expr(hmp_current_cpu(c), args, &v, &err)) {
        hmp_printf(c, "%s\n", err);
        return;
    }
    hmp_printf(c, "0x%" PRIx64 "\n", v);
}

/* ---- Machine control ---- */

static void cmd_stop(HmpContext *c, const char *args)
{
    if (runstate_is_running())
        vm_stop(RUN_STATE_PAUSED);
}

static void cmd_cont(HmpContext *c, const char *args)
{
    if (runstate_get() == RUN_STATE_SHUTDOWN) {
        hmp_printf(c, runstate_shutdown_requested()
                          ? "cont: the machine is shutting down\n"
                          : "Resetting the Virtual Machine is required\n");
        return;
    }
    vm_start();
}

static void cmd_system_reset(HmpContext *c, const char *args)
{
    system_reset_request();
}

static void cmd_system_powerdown(HmpContext *c, const char *args)
{
    system_powerdown_request();
}

static void cmd_quit(HmpContext *c, const char *args)
{
    runstate_request_shutdown(SHUTDOWN_CAUSE_HOST_QUIT, 0);
}

static void cmd_cpu(HmpContext *c, const char *args)
{
    char *end;
    long n = strtol(args, &end, 0);

    if (!*args || *end || n < 0 || n >= cpu_count) {
        hmp_printf(c, "cpu: invalid CPU index '%s' (0 to %d)\n", args,
                   cpu_count - 1);
        return;
    }
    c->cpu_index = (int)n;
}

static void log_help(CPUState *cpu, FILE *f)
{
    log_print_help(f);
}

static void cmd_log(HmpContext *c, const char *args)
{
    const char *bad = NULL;
    unsigned mask = 0;

    if (!*args) {
        hmp_printf(c, "log: items are required (log help lists them; "
                   "log none turns logging off)\n");
        return;
    }
    if (!strcmp(args, "help")) {
        print_from_file(c, log_help, NULL);
        return;
    }
    if (strcmp(args, "none") != 0 && !log_parse_items(args, &mask, &bad)) {
        hmp_printf(c, "log: unknown log item '%s' (log help lists them)\n", bad);
        return;
    }
    log_flags = mask;
}

/* gdbserver [DEV]: tcp::1234 by default, "none" stops it (as QEMU). */
static void cmd_gdbserver(HmpContext *c, const char *args)
{
    const char *dev = *args ? args : "tcp::1234";
    g_autofree char *err = NULL;

    if (!gdbserver_start(dev, &err)) {
        hmp_printf(c, "gdbserver: %s\n", err ? err : "cannot start");
        return;
    }
    if (!strcmp(dev, "none"))
        hmp_printf(c, "Disabled gdbserver\n");
    else
        hmp_printf(c, "Waiting for gdb connection on device '%s'\n", dev);
}

/* ---- Display and input ---- */

/* screendump FILE [-f ppm|png]: QEMU's default format is ppm. */
static void cmd_screendump(HmpContext *c, const char *args)
{
    g_auto(GStrv) words = g_strsplit_set(args, " \t", -1);
    const char *file = NULL, *fmt_name = "ppm";
    g_autofree char *err = NULL;
    UIImageFormat fmt;

    for (int i = 0; words[i]; i++) {
        if (!*words[i])
            continue;
        if (!strcmp(words[i], "-f")) {
            while (words[i + 1] && !*words[i + 1])
                i++;
            if (!words[i + 1]) {
                hmp_printf(c, "screendump: -f needs a format (ppm or png)\n");
                return;
            }
            fmt_name = words[++i];
        } else if (!file) {
            file = words[i];
        } else {
            hmp_printf(c, "screendump: unexpected '%s' (there is one "
                       "display)\n", words[i]);
            return;
        }
    }
    if (!file) {
        hmp_printf(c, "screendump: a file name is required\n");
        return;
    }
    if (!ui_image_format_parse(fmt_name, &fmt)) {
        hmp_printf(c, "screendump: unknown format '%s' (ppm or png)\n",
                   fmt_name);
        return;
    }
    if (!ui_screendump(file, fmt, &err))
        hmp_printf(c, "%s\n", err);
}

/* sendkey KEYS [HOLD_MS]: KEYS such as ctrl-alt-f1, names as QMP's. */
static void cmd_sendkey(HmpContext *c, const char *args)
{
    g_auto(GStrv) words = g_strsplit_set(args, " \t", 2);
    g_autofree char *err = NULL;
    unsigned codes[16];
    long hold = 100;
    int n;

    if (!ui_parse_key_combo(words[0], codes, G_N_ELEMENTS(codes), &n, &err)) {
        hmp_printf(c, "sendkey: %s\n", err);
        return;
    }
    if (words[0] && words[1] && *g_strstrip(words[1])) {
        char *end;

        hold = strtol(words[1], &end, 0);
        if (*end || hold < 0 || hold > 60000) {
            hmp_printf(c, "sendkey: invalid hold time '%s' (ms)\n", words[1]);
            return;
        }
    }
    ui_send_keys(codes, n, (int)hold);
}

/* ---- The tables ---- */

static const HmpCommand info_commands[] = {
    { "registers", NULL, "[-a]", "show the CPU registers (-a: of every CPU)",
      info_registers },
    { "cpus", NULL, "", "show the CPUs", info_cpus },
    { "mtree", NULL, "", "show the memory tree", info_mtree },
    { "pci", NULL, "", "show the PCI bus", info_pci },
    { "mem", NULL, "", "show the current CPU's page-table mappings", info_mem },
    { "status", NULL, "", "show whether the machine runs", info_status },
    { "block", NULL, "", "show the drives and block nodes", info_block },
    { "name", NULL, "", "show the guest's -name", info_name },
    { "version", NULL, "", "show the version", info_version },
    { "jit", NULL, "", "show JIT statistics", info_jit },
    { NULL },
};

static const HmpCommand hmp_commands[] = {
    { "help", "?", "[cmd|info]", "show the commands, or help on one", cmd_help },
    { "info", NULL, "[subcommand]", "show the state of the machine "
      "(help info lists what)", cmd_info },
    { "x", NULL, "/fmt addr", "virtual memory dump: fmt is [count][x|d|u|o|c|i]"
      "[b|h|w|g]; addr an expression such as $pc + 8", cmd_x },
    { "xp", NULL, "/fmt addr", "physical memory dump, as x", cmd_xp },
    { "print", "p", "expr", "print an expression's value", cmd_print },
    { "stop", NULL, "", "stop the machine", cmd_stop },
    { "cont", "c", "", "resume the machine", cmd_cont },
    { "system_reset", NULL, "", "reset the machine", cmd_system_reset },
    { "system_powerdown", NULL, "", "ask the guest to power down",
      cmd_system_powerdown },
    { "quit", "q", "", "quit the emulator", cmd_quit },
    { "cpu", NULL, "index", "select the current CPU", cmd_cpu },
    { "gdbserver", NULL, "[device]", "start the gdb server on device "
      "(default tcp::1234; none stops it)", cmd_gdbserver },
    { "log", NULL, "item1[,...]|none", "enable -d log items", cmd_log },
    { "screendump", NULL, "filename [-f ppm|png]", "save the screen to a file "
      "(PPM by default)", cmd_screendump },
    { "sendkey", NULL, "keys [hold_ms]", "send keys to the guest, as "
      "ctrl-alt-f1 (QMP's key names, or numbers); held 100 ms", cmd_sendkey },
    { NULL },
};

void hmp_execute(HmpContext *c, const char *cmdline)
{
    g_autofree char *line = g_strstrip(g_strdup(cmdline));
    size_t n = strcspn(line, " \t/");
    g_autofree char *name = g_strndup(line, n);
    const char *args = line + n;
    const HmpCommand *cmd;

    if (!*name) {
        if (*line)
            hmp_printf(c, "unknown command: '%s'\n", line);
        return;
    }
    cmd = find_command(hmp_commands, name);
    if (!cmd) {
        hmp_printf(c, "unknown command: '%s' (try 'help')\n", name);
        return;
    }
    /* Only x and xp take a /fmt glued to the name (an argument after a
       blank may start with '/': screendump /tmp/s.ppm). */
    if (*args == '/' && cmd->fn != cmd_x && cmd->fn != cmd_xp) {
        hmp_printf(c, "%s: unexpected '%s'\n", name, args);
        return;
    }
    while (*args == ' ' || *args == '\t')
        args++;
    if (!no_extra_args(c, cmd, args))
        return;
    cmd->fn(c, args);
}
