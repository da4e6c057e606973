/*
 * mimic-system-<arch>: the command line and start-up.  This is the only
 * place that parses the command line (QEMU spelling: -M, -m, -bios,
 * -kernel, -nographic, -serial, -chardev, -d, -D, ...; docs/usage.md lists
 * them).  Start-up order: collect the options, apply the ones that only
 * print something (help, -d help, -M help), check everything else, then
 * set up the log, the main loop (which takes the BQL), the character
 * backends, the JIT and the machine, start the vCPU threads and run the
 * main loop until a shutdown request.  Then the vCPUs are paused, the
 * terminal restored, the log flushed, `-d jit_stats` printed, and the
 * process exits with the status the guest (or the user) asked for.
 * Every error a user can cause ends here with a message and exit status 1.
 */
#include <errno.h>
#include <unistd.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "mimic/block.h"
#include "mimic/board.h"
#include "mimic/chardev.h"
#include "mimic/drive.h"
#include "mimic/exec.h"
#include "harness.h"
#include "mimic/gdbstub.h"
#include "mimic/loader.h"
#include "mimic/generic-loader.h"
#include "mimic/log.h"
#include "mimic/main-loop.h"
#include "mimic/memory.h"
#include "mimic/monitor.h"
#include "mimic/net.h"
#include "mimic/objects.h"
#include "mimic/options.h"
#include "mimic/runstate.h"
#include "mimic/timer.h"
#include "mimic/ui.h"
#include "mimic/version.h"
#include "mimic/virtfs.h"
#include "mimic/virtio-devices.h"
#include "semihosting-opts.h"

#define CODE_BUFFER_BYTES (128u << 20)
#define MAX_RAM_SIZE (1ull << 40)

typedef enum OptionId {
    OPT_MACHINE, OPT_MEM, OPT_BIOS, OPT_KERNEL, OPT_NOGRAPHIC, OPT_SERIAL,
    OPT_CHARDEV, OPT_DISPLAY, OPT_LOG, OPT_LOGFILE, OPT_ACCEL, OPT_CPU,
    OPT_SMP, OPT_NO_REBOOT, OPT_VERSION, OPT_HELP, OPT_SINGLESTEP,
    OPT_INITRD, OPT_APPEND, OPT_DTB, OPT_START_STOPPED, OPT_PERFMAP, OPT_DEVICE,
    OPT_GLOBAL, OPT_FSDEV, OPT_VIRTFS, OPT_NETDEV, OPT_NIC, OPT_DRIVE, OPT_SNAPSHOT, OPT_MONITOR,
    OPT_QMP, OPT_QMP_PRETTY, OPT_MON,
    OPT_GDB, OPT_GDB_DEFAULT, OPT_SEMIHOSTING, OPT_SEMIHOSTING_CONFIG,
    OPT_OBJECT,
    OPT_NODEFAULTS, OPT_NAME, OPT_PIDFILE, OPT_DAEMONIZE, OPT_NO_USER_CONFIG,
    OPT_NODEFCONFIG, OPT_RTC, OPT_NO_SHUTDOWN, OPT_ACTION, OPT_MSG, OPT_BOOT,
    OPT_DATADIR,
    OPT_BLOCKDEV, OPT_HDA, OPT_HDB, OPT_HDC, OPT_HDD, OPT_CDROM,
} OptionId;

/*
 * Every option, once: the parser, -help and the test that compares them
 * with docs/usage.md (tests/unit/test-cmdline.sh) all read this table.
 * arg is the argument's form (NULL: none); help is one or more lines.
 */
typedef struct OptionDef {
    const char *name, *alias;
    const char *arg;
    OptionId id;
    const char *help;
} OptionDef;

static const OptionDef option_table[] = {
    { "M", "machine", "TYPE[,accel=tcg][,dumpdtb=FILE][,memory-backend=ID]",
      OPT_MACHINE,
      "machine (-M help lists them; default virt);\n"
      "dumpdtb=FILE writes its device tree to FILE and exits;\n"
      "memory-backend=ID: RAM of an -object memory-backend-ram's size" },
    { "m", NULL, "SIZE", OPT_MEM,
      "guest RAM, e.g. 512M, 2G or 3.5G (a bare number is MiB;\n"
      "default 128M)" },
    { "smp", NULL, "N[,sockets=S][,cores=C][,threads=T][,maxcpus=M]", OPT_SMP,
      "number of CPUs (harts), 1 to 64" },
    { "cpu", NULL, "MODEL[,PROP=VALUE...]", OPT_CPU,
      "CPU model and its properties, e.g. rv64,c=off\n"
      "(-cpu help lists them)" },
    { "accel", NULL,
      "tcg[,thread=single|multi][,one-insn-per-tb=on|off]\n"
      "[,slice=US|random][,tso=on|off]",
      OPT_ACCEL,
      "accelerator (only tcg; -accel help); thread=multi:\n"
      "one host thread per CPU (the default with -smp > 1);\n"
      "single: all on one, round-robin in slices of US\n"
      "microseconds, default 2000; random: random lengths,\n"
      "to shake out races); tso=off: no implicit order of\n"
      "guest accesses on a weakly ordered host (x86 guests)" },
    { "singlestep", NULL, NULL, OPT_SINGLESTEP,
      "one guest insn per TB (same as one-insn-per-tb=on)" },
    { "bios", NULL, "none|FILE|default", OPT_BIOS,
      "firmware (default: OpenSBI; none: start -kernel\n"
      "directly)" },
    { "kernel", NULL, "FILE", OPT_KERNEL,
      "kernel: Linux Image, ELF or raw binary" },
    { "initrd", NULL, "FILE", OPT_INITRD, "initial RAM disk (with -kernel)" },
    { "append", NULL, "CMDLINE", OPT_APPEND,
      "kernel command line (with -kernel)" },
    { "dtb", NULL, "FILE", OPT_DTB,
      "use this device tree instead of the board's\n"
      "(with -kernel)" },
    { "object", NULL, "TYPE,id=ID[,PROP=VALUE...]", OPT_OBJECT,
      "an object for devices to use: rng-random (filename=),\n"
      "rng-builtin, memory-backend-ram (size=); -object help" },
    { "device", NULL, "DRIVER[,PROP=VALUE...]", OPT_DEVICE,
      "add a device (-device help lists them)" },
    { "drive", NULL,
      "[file=FILE][,format=raw|qcow2][,if=none|virtio|pflash][,id=ID]\n"
      "[,index=I][,bus=B][,unit=U][,media=disk|cdrom][,readonly=on]\n"
      "[,snapshot=on][,cache=writeback|writethrough|none|directsync|unsafe]\n"
      "[,aio=threads|native|io_uring][,discard=ignore|unmap]\n"
      "[,detect-zeroes=off|on|unmap][,werror=A][,rerror=A]\n"
      "[,force-share=on][,file.locking=on|off|auto]",
      OPT_DRIVE,
      "a disk image; without if= (if=none) it waits for\n"
      "-device virtio-blk-device,drive=ID (id none0, none1, ...);\n"
      "if=virtio: a virtio disk; if=pflash: a CFI flash bank" },
    { "blockdev", NULL,
      "driver=file|raw|qcow2,node-name=N[,...] or JSON", OPT_BLOCKDEV,
      "a block node (libvirt's form): file=NODE or file.*,\n"
      "backing=, read-only=, cache.*, locking=, discard=" },
    { "hda", NULL, "FILE", OPT_HDA,
      "-drive file=FILE,index=0 (unattached: virt has no IDE)" },
    { "hdb", NULL, "FILE", OPT_HDB, "-drive file=FILE,index=1" },
    { "hdc", NULL, "FILE", OPT_HDC, "-drive file=FILE,index=2" },
    { "hdd", NULL, "FILE", OPT_HDD, "-drive file=FILE,index=3" },
    { "cdrom", NULL, "FILE", OPT_CDROM,
      "-drive file=FILE,index=2,media=cdrom (read-only)" },
    { "snapshot", NULL, NULL, OPT_SNAPSHOT,
      "write to temporary overlays, never to the images" },
    { "netdev", NULL, "user,id=ID[,hostfwd=tcp::HOSTPORT-:GUESTPORT][,...]",
      OPT_NETDEV, "user networking (libslirp) for -device virtio-net-pci/-device" },
    { "nic", NULL, "user[,mac=MAC][,model=virtio-net-pci|virtio-net-device][,hostfwd=...]",
      OPT_NIC, "a NIC and its user network in one option" },
    { "fsdev", NULL,
      "local,id=ID,path=DIR,security_model=mapped-xattr|passthrough|none\n"
      "[,readonly=on][,writeout=immediate][,fmode=0600][,dmode=0700]",
      OPT_FSDEV, "a host folder for -device virtio-9p-device,fsdev=ID,\n"
      "mount_tag=TAG (docs/sharing.md)" },
    { "virtfs", NULL,
      "local,path=DIR,mount_tag=TAG,security_model=M[,id=ID]\n"
      "[,readonly=on][,writeout=immediate][,fmode=O][,dmode=O]",
      OPT_VIRTFS, "share a host folder: -fsdev and virtio-9p in one" },
    { "global", NULL, "virtio-mmio.force-legacy=false", OPT_GLOBAL,
      "accepted for QEMU scripts (only the modern virtio-mmio\n"
      "version 2 exists here)" },
    { "nographic", NULL, NULL, OPT_NOGRAPHIC,
      "no display: the serial port on stdio (C-a h for keys)" },
    { "display", NULL, "none|sdl[,gl=off]", OPT_DISPLAY,
      "none: headless (screendump works); sdl: a window for\n"
      "-device virtio-gpu-device (the default with one when\n"
      "there is an X11/Wayland display)" },
    { "serial", NULL, "DEV", OPT_SERIAL,
      "the UART: stdio, mon:stdio, null, none, file:PATH,\n"
      "pty, tcp:[HOST]:PORT[,server][,wait=off], telnet:...,\n"
      "unix:PATH[,server...] or chardev:ID (mon:stdio:\n"
      "shared with the monitor, C-a c switches)" },
    { "chardev", NULL, "BACKEND,id=ID[,...]", OPT_CHARDEV,
      "character backend: stdio (signal=, mux=), file (path=),\n"
      "null, pty, socket (host=,port= or path=, server=, wait=,\n"
      "telnet=, reconnect=N)" },
    { "monitor", NULL, "DEV", OPT_MONITOR,
      "human monitor on DEV (as -serial: stdio, none, pty,\n"
      "file:, tcp:, unix:, chardev:ID)" },
    { "qmp", NULL, "DEV", OPT_QMP, "QMP (JSON) monitor on DEV (as -monitor)" },
    { "qmp-pretty", NULL, "DEV", OPT_QMP_PRETTY,
      "the same, replies pretty-printed" },
    { "mon", NULL, "chardev=ID[,mode=readline|control][,pretty=on|off][,id=ID]",
      OPT_MON, "a monitor on a -chardev" },
    { "gdb", NULL, "DEV", OPT_GDB,
      "gdb server on DEV: tcp::PORT, tcp:HOST:PORT, unix:PATH,\n"
      "chardev:ID or none (docs/gdb.md)" },
    { "s", NULL, NULL, OPT_GDB_DEFAULT, "same as -gdb tcp::1234" },
    { "S", NULL, NULL, OPT_START_STOPPED,
      "do not start the CPUs (cont in the monitor, or gdb,\n"
      "does)" },
    { "d", NULL, "ITEM[,...]", OPT_LOG,
      "enable log items (-d help lists them)" },
    { "D", NULL, "FILE", OPT_LOGFILE,
      "write the log to FILE instead of stderr" },
    { "perfmap", NULL, NULL, OPT_PERFMAP,
      "name the JIT's code for perf in /tmp/perf-PID.map" },
    { "semihosting", NULL, NULL, OPT_SEMIHOSTING,
      "the guest may call the host (console, files, exit)" },
    { "semihosting-config", NULL,
      "[enable=on|off][,target=native|auto][,chardev=ID]\n"
      "[,userspace=on|off][,arg=STR...][,root=DIR]",
      OPT_SEMIHOSTING_CONFIG,
      "semihosting: console on chardev ID (default stderr),\n"
      "the command line (arg=), host files only beneath DIR\n"
      "(default: the current directory; root=/: anywhere)" },
    { "no-reboot", NULL, NULL, OPT_NO_REBOOT, "exit instead of rebooting" },
    { "no-shutdown", NULL, NULL, OPT_NO_SHUTDOWN,
      "a guest power-off stops the machine instead of\n"
      "exiting (system_reset and cont run it again)" },
    { "action", NULL,
      "reboot=reset|shutdown,shutdown=poweroff|pause,\n"
      "panic=...,watchdog=...",
      OPT_ACTION, "what guest events do (as -no-reboot, -no-shutdown)" },
    { "nodefaults", NULL, NULL, OPT_NODEFAULTS,
      "no default serial port and monitor on stdio" },
    { "name", NULL, "NAME[,process=P][,debug-threads=on|off]", OPT_NAME,
      "the guest's name (query-name, window title); process=P\n"
      "names the process" },
    { "pidfile", NULL, "FILE", OPT_PIDFILE,
      "write the process id to FILE (locked; removed at exit)" },
    { "daemonize", NULL, NULL, OPT_DAEMONIZE,
      "run in the background once started (no stdio)" },
    { "rtc", NULL,
      "[base=utc|localtime|DATETIME][,clock=host|rt|vm]\n"
      "[,driftfix=none|slew]",
      OPT_RTC, "the RTC's start and the clock it follows" },
    { "msg", NULL, "timestamp=on|off[,guest-name=on|off]", OPT_MSG,
      "messages start with the time (and the -name)" },
    { "boot", NULL,
      "[order=D][,once=D][,menu=on|off][,splash=F]\n"
      "[,splash-time=MS][,reboot-timeout=MS][,strict=on|off]",
      OPT_BOOT, "accepted; no effect on virt (as QEMU's)" },
    { "L", NULL, "DIR", OPT_DATADIR,
      "look for -bios NAME in DIR first (-L help lists them)" },
    { "no-user-config", NULL, NULL, OPT_NO_USER_CONFIG,
      "accepted; no effect (Mimic reads no config files)" },
    { "nodefconfig", NULL, NULL, OPT_NODEFCONFIG,
      "accepted; no effect (Mimic reads no config files)" },
    { "version", NULL, NULL, OPT_VERSION, "print the version and exit" },
    { "h", "help", NULL, OPT_HELP, "print this help and exit" },
};

/* A -monitor, -qmp, -qmp-pretty or -mon option, in command-line order. */
typedef struct MonitorOption {
    OptionId id;
    const char *arg;
} MonitorOption;

/* The command line, as given. */
typedef struct Options {
    const char *machine, *mem, *bios, *kernel, *display, *log_items;
    const char *log_path, *accel, *cpu, *smp;
    const char *initrd, *append, *dtb, *gdb;
    GPtrArray *serials, *chardevs, *devices, *netdevs, *nics;
    GPtrArray *objects;
    GPtrArray *semihosting_configs;
    bool semihosting;
    GPtrArray *fsdevs, *virtfs;
    bool snapshot;
    GArray *monitors;            /* MonitorOption */
    bool nographic, no_reboot, start_stopped;
    bool nodefaults, daemonize;
    const char *pidfile, *msg, *rtc;
    bool default_serial;         /* no -serial: mon:stdio */
} Options;

static _Noreturn void die(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static const char *option_name(OptionId id);

static void die(const char *fmt, ...)
{
    va_list ap;
    g_autofree char *msg = NULL;

    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    error_report("%s", msg);
    exit(1);
}

/* The option summary, from option_table: "-name, -alias ARG", then the
   help lines, in a second column. */
static void print_help(void)
{
    printf("Usage: %s [options]\n\n", error_progname);
    for (size_t k = 0; k < G_N_ELEMENTS(option_table); k++) {
        const OptionDef *d = &option_table[k];
        g_autoptr(GString) head = g_string_new(NULL);
        g_auto(GStrv) arg = g_strsplit(d->arg ? d->arg : "", "\n", -1);
        g_auto(GStrv) help = g_strsplit(d->help, "\n", -1);

        g_string_printf(head, "-%s", d->name);
        if (d->alias)
            g_string_append_printf(head, ", -%s", d->alias);
        if (d->arg)
            g_string_append_printf(head, " %s", arg[0]);
        /* A long head (or one with more lines) gets its own lines. */
        if (head->len >= 24 || g_strv_length(arg) > 1) {
            printf("%s\n", head->str);
            for (guint i = 1; arg[i]; i++)
                printf("       %s\n", arg[i]);
            g_string_truncate(head, 0);
        }
        for (guint i = 0; help[i]; i++) {
            printf("%-24s%s\n", i == 0 ? head->str : "", help[i]);
        }
    }
    printf("\nExit status: the guest's (SiFive test finisher), 0 on power-off,\n"
           "Ctrl-A X or a signal, 1 on a usage or start-up error.\n");
}

/* Handles the options that print something and exit at once. */
static void handle_immediate(OptionId id)
{
    if (id == OPT_VERSION) {
        printf("Mimic emulator version %s (%s)\n", MIMIC_VERSION, error_progname);
        exit(0);
    }
    if (id == OPT_HELP) {
        print_help();
        exit(0);
    }
}

/*
 * -global DRIVER.PROP=VALUE.  The only one we take is QEMU's switch to the
 * modern virtio-mmio transport, common in existing scripts: Mimic has only
 * that one, so =false is a no-op and =true is refused.
 */
static void check_global(const char *arg)
{
    const char *eq = strchr(arg, '=');
    bool legacy;

    if (!eq || strncmp(arg, "virtio-mmio.force-legacy", (size_t)(eq - arg)) ||
        eq - arg != (ptrdiff_t)strlen("virtio-mmio.force-legacy"))
        die("-global %s: unknown global property (only "
            "virtio-mmio.force-legacy=false is supported)", arg);
    if (!opts_parse_bool(eq + 1, &legacy))
        die("-global %s: '%s' is not on/off/true/false", arg, eq + 1);
    if (legacy)
        die("-global %s: legacy virtio-mmio (version 1) is not supported; "
            "Mimic only has the modern transport (version 2)", arg);
}

static void set_option(Options *o, OptionId id, const char *arg)
{
    switch (id) {
    case OPT_MACHINE: o->machine = arg; break;
    case OPT_MEM: o->mem = arg; break;
    case OPT_BIOS: o->bios = arg; break;
    case OPT_KERNEL: o->kernel = arg; break;
    case OPT_NOGRAPHIC: o->nographic = true; break;
    case OPT_SERIAL: g_ptr_array_add(o->serials, (gpointer)arg); break;
    case OPT_CHARDEV: g_ptr_array_add(o->chardevs, (gpointer)arg); break;
    case OPT_DISPLAY: o->display = arg; break;
    case OPT_LOG: o->log_items = arg; break;
    case OPT_LOGFILE: o->log_path = arg; break;
    case OPT_ACCEL: o->accel = arg; break;
    case OPT_CPU: o->cpu = arg; break;
    case OPT_SMP: o->smp = arg; break;
    case OPT_NO_REBOOT: o->no_reboot = true; break;
    case OPT_SINGLESTEP: tcg_one_insn_per_tb = true; break;
    case OPT_INITRD: o->initrd = arg; break;
    case OPT_APPEND: o->append = arg; break;
    case OPT_DTB: o->dtb = arg; break;
    case OPT_START_STOPPED: o->start_stopped = true; break;
    case OPT_PERFMAP:
        if (!tb_perfmap_open())
            die("-perfmap: cannot create /tmp/perf-%d.map: %s", (int)getpid(),
                strerror(errno));
        break;
    case OPT_DEVICE: g_ptr_array_add(o->devices, (gpointer)arg); break;
    case OPT_OBJECT: g_ptr_array_add(o->objects, (gpointer)arg); break;
    case OPT_NODEFAULTS: o->nodefaults = true; break;
    case OPT_DAEMONIZE: o->daemonize = true; break;
    case OPT_PIDFILE: o->pidfile = arg; break;
    case OPT_MSG: o->msg = arg; break;
    case OPT_RTC: o->rtc = arg; break;
    case OPT_NO_USER_CONFIG:
    case OPT_NODEFCONFIG: break;
    case OPT_NO_SHUTDOWN: runstate_set_no_shutdown(true); break;
    case OPT_DATADIR:
        if (!strcmp(arg, "help")) {
            loader_print_search_dirs(stdout, NULL);
            exit(0);
        }
        loader_add_search_dir(arg);
        break;
    case OPT_NAME:
    case OPT_ACTION:
    case OPT_BOOT: {
        g_autofree char *err = NULL;
        bool ok = id == OPT_NAME     ? harness_name(arg, &err)
                  : id == OPT_ACTION ? harness_action(arg, &err)
                                     : harness_boot(arg, &err);

        if (!ok)
            die("-%s %s: %s", option_name(id), arg, err);
        break;
    }
    case OPT_NETDEV: g_ptr_array_add(o->netdevs, (gpointer)arg); break;
    case OPT_FSDEV: g_ptr_array_add(o->fsdevs, (gpointer)arg); break;
    case OPT_VIRTFS: g_ptr_array_add(o->virtfs, (gpointer)arg); break;
    case OPT_NIC: g_ptr_array_add(o->nics, (gpointer)arg); break;
    case OPT_DRIVE: drive_cmdline_add("drive", arg); break;
    case OPT_BLOCKDEV: drive_cmdline_add("blockdev", arg); break;
    case OPT_HDA: drive_cmdline_add("hda", arg); break;
    case OPT_HDB: drive_cmdline_add("hdb", arg); break;
    case OPT_HDC: drive_cmdline_add("hdc", arg); break;
    case OPT_HDD: drive_cmdline_add("hdd", arg); break;
    case OPT_CDROM: drive_cmdline_add("cdrom", arg); break;
    case OPT_SNAPSHOT: o->snapshot = true; break;
    case OPT_GLOBAL: check_global(arg); break;
    case OPT_MONITOR:
    case OPT_QMP:
    case OPT_QMP_PRETTY:
    case OPT_MON: {
        MonitorOption m = { id, arg };

        g_array_append_val(o->monitors, m);
        break;
    }
    case OPT_GDB: o->gdb = arg; break;
    case OPT_GDB_DEFAULT: o->gdb = "tcp::1234"; break;
    case OPT_SEMIHOSTING: o->semihosting = true; break;
    case OPT_SEMIHOSTING_CONFIG:
        g_ptr_array_add(o->semihosting_configs, (gpointer)arg);
        break;
    case OPT_VERSION:
    case OPT_HELP: handle_immediate(id); break;
    }
}

static void parse_args(int argc, char **argv, Options *o)
{
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i], *name = arg + 1;
        size_t k;

        if (arg[0] != '-') {
            drive_cmdline_add(NULL, arg);   /* an image: -hda, as QEMU */
            continue;
        }
        if (!arg[1])
            die("%s: invalid option", arg);
        if (name[0] == '-')
            name++;     /* --option is the same as -option */
        for (k = 0; k < G_N_ELEMENTS(option_table); k++) {
            if (!strcmp(option_table[k].name, name) ||
                (option_table[k].alias && !strcmp(option_table[k].alias, name)))
                break;
        }
        if (k == G_N_ELEMENTS(option_table))
            die("%s: invalid option", arg);
        if (option_table[k].arg && i + 1 >= argc)
            die("%s: requires an argument", arg);
        set_option(o, option_table[k].id,
                   option_table[k].arg ? argv[++i] : NULL);
    }
}

static void setup_log(const Options *o)
{
    const char *bad = NULL;
    unsigned mask = 0;

    if (o->log_items) {
        if (!strcmp(o->log_items, "help")) {
            log_print_help(stdout);
            exit(0);
        }
        /* QEMU refuses an empty list or item too ("-d ''", "in_asm,,"). */
        if (!*o->log_items || strstr(o->log_items, ",,") ||
            o->log_items[0] == ',' ||
            o->log_items[strlen(o->log_items) - 1] == ',')
            die("-d %s: empty log item (-d help lists them)", o->log_items);
        if (!log_parse_items(o->log_items, &mask, &bad))
            die("-d %s: unknown log item '%s' (-d help lists them)",
                o->log_items, bad);
        log_flags = mask;
    }
    if (o->log_path && !log_set_file(o->log_path))
        die("-D %s: cannot open the log file: %s", o->log_path, strerror(errno));
}

static void check_accel(const char *spec, const char *where)
{
    if (!strcmp(spec, "help")) {
        printf("Accelerators supported:\ntcg\n");
        exit(0);
    }
    /* "kvm:tcg" lists accelerators to try in order: tcg must be one. */
    for (const char *p = spec; *p; p += strcspn(p, ":"), p += *p == ':') {
        if (strncmp(p, "tcg", 3) == 0 && (p[3] == ':' || p[3] == '\0'))
            return;
    }
    die("%s: accelerator '%s' is not available (only tcg)", where, spec);
}

/* thread=single (0) or multi (1) given; -1: the default, one thread per
   CPU with -smp > 1 (as QEMU on riscv), unless slice= asks for
   round-robin. */
static int accel_thread = -1;

/* -accel tcg,thread=single|multi,one-insn-per-tb=on|off,slice=US|random,
   tso=on|off */
static void check_accel_props(const char *spec, GHashTable *opts)
{
    g_autofree char *thread = opts_take(opts, "thread");
    g_autofree char *one = opts_take(opts, "one-insn-per-tb");
    g_autofree char *slice = opts_take(opts, "slice");
    g_autofree char *tso = opts_take(opts, "tso");

    if (thread && !strcmp(thread, "multi"))
        accel_thread = 1;
    else if (thread && !strcmp(thread, "single"))
        accel_thread = 0;
    else if (thread)
        die("-accel %s: thread must be 'single' or 'multi'", spec);
    /* Slices are round-robin's: asking for them without thread= means
       thread=single. */
    if (slice && accel_thread < 0)
        accel_thread = 0;
    if (one && (!strcmp(one, "on") || !strcmp(one, "true")))
        tcg_one_insn_per_tb = true;
    else if (one && strcmp(one, "off") != 0 && strcmp(one, "false") != 0)
        die("-accel %s: one-insn-per-tb must be 'on' or 'off'", spec);
    bool tso_on = true;
    if (tso && !opts_parse_bool(tso, &tso_on))
        die("-accel %s: tso must be 'on' or 'off'", spec);
    tcg_relaxed_mo = !tso_on;
    if (slice && !strcmp(slice, "random")) {
        cpus_set_time_slice_random(true);
    } else if (slice) {
        char *end;
        long long us = strtoll(slice, &end, 10);

        if (end == slice || *end || us < 1 || us > 10 * 1000 * 1000)
            die("-accel %s: slice must be a number of microseconds (1 to "
                "10000000) or 'random'", spec);
        cpus_set_time_slice_us(us);
    }
}

/* -M TYPE[,accel=tcg][,dumpdtb=FILE][,memory-backend=ID][,usb=on|off]
   [,dump-guest-core=on|off][,mem-merge=on|off] */
static const MachineClass *parse_machine(const char *spec, char **dumpdtb,
                                         char **mem_backend)
{
    g_autofree char *err = NULL, *type = NULL, *accel = NULL;
    g_autoptr(GHashTable) opts = NULL;
    const MachineClass *mc;
    const char *left;

    if (!spec)
        return machine_default();
    opts = opts_parse(spec, "type", &err);
    if (!opts)
        die("-machine %s: %s", spec, err);
    type = opts_take(opts, "type");
    accel = opts_take(opts, "accel");
    *dumpdtb = opts_take(opts, "dumpdtb");
    *mem_backend = opts_take(opts, "memory-backend");
    if (*dumpdtb && !**dumpdtb)
        die("-machine %s: dumpdtb= needs a file name", spec);
    if (type && !strcmp(type, "help")) {
        machine_print_list(stdout);
        exit(0);
    }
    mc = type ? machine_find(type) : machine_default();
    if (!mc)
        die("-machine %s: unsupported machine type '%s' (-M help lists them)",
            spec, type);
    if (accel)
        check_accel(accel, "-machine");
    /* Generic machine properties libvirt passes, with no effect here: the
       virt board has no USB controller (as QEMU's riscv virt), and guest
       memory is neither excluded from core dumps nor merged. */
    for (const char *const *k = (const char *const[]){ "usb",
             "dump-guest-core", "mem-merge", NULL }; *k; k++) {
        g_autofree char *v = opts_take(opts, *k);
        bool b;

        if (v && !opts_parse_bool(v, &b))
            die("-machine %s: %s=%s is not on or off", spec, *k, v);
    }
    left = opts_first_key(opts);
    if (left)
        die("-machine %s: unknown machine property '%s'", spec, left);
    return mc;
}

/*
 * -m SIZE or -m size=SIZE, as QEMU reads it: a bare number is in MiB, a
 * fraction needs a suffix (3.5G), 0 means the default, and the size is
 * rounded up to a multiple of 8 KiB.
 */
static uint64_t parse_mem(const char *spec, const MachineClass *mc)
{
    g_autofree char *err = NULL, *size = NULL;
    g_autoptr(GHashTable) opts = NULL;
    uint64_t bytes = 0;

    if (!spec)
        return mc->default_ram_size;
    opts = opts_parse(spec, "size", &err);
    if (!opts)
        die("-m %s: %s", spec, err);
    size = opts_take(opts, "size");
    if (!size || !opts_parse_size(size, 1ull << 20, &bytes))
        die("-m %s: invalid RAM size (e.g. -m 512M, -m 2G, -m 3.5G)", spec);
    if (opts_first_key(opts))
        die("-m %s: unknown parameter '%s'", spec, opts_first_key(opts));
    if (bytes == 0)
        return mc->default_ram_size;
    if (bytes > MAX_RAM_SIZE)
        die("-m %s: RAM size too large (at most %" PRIu64 " GiB)", spec,
            (uint64_t)(MAX_RAM_SIZE >> 30));
    return (bytes + 8191) & ~(uint64_t)8191;
}

/* A whole number from 1 to 4096 (no suffix, sign or blanks). */
static uint64_t smp_number(const char *spec, const char *key, const char *s)
{
    guint64 v;

    if (!g_ascii_string_to_unsigned(s, 10, 1, 4096, &v, NULL))
        die("-smp %s: %s=%s is not a whole number from 1 to 4096", spec, key,
            s);
    return v;
}

/*
 * -smp N or -smp [cpus=N][,sockets=S][,cores=C][,threads=T][,maxcpus=M],
 * with QEMU's rules: what is left out is worked out from the rest (cores
 * before sockets, threads last), sockets * cores * threads must be maxcpus
 * (which defaults to cpus), and cpus at most maxcpus.  The topology is
 * checked only: every hart is one of the board's CPUs.
 */
static int parse_smp(const char *spec)
{
    g_autofree char *err = NULL;
    g_autoptr(GHashTable) opts = NULL;
    uint64_t cpus, sockets, cores, threads, maxcpus;

    if (!spec)
        return 1;
    opts = opts_parse(spec, "cpus", &err);
    if (!opts)
        die("-smp %s: %s", spec, err);
    {
        g_autofree char *c = opts_take(opts, "cpus");
        g_autofree char *s = opts_take(opts, "sockets");
        g_autofree char *co = opts_take(opts, "cores");
        g_autofree char *t = opts_take(opts, "threads");
        g_autofree char *m = opts_take(opts, "maxcpus");

        if (opts_first_key(opts))
            die("-smp %s: unknown parameter '%s'", spec, opts_first_key(opts));
        cpus = c ? smp_number(spec, "cpus", c) : 0;
        sockets = s ? smp_number(spec, "sockets", s) : 0;
        cores = co ? smp_number(spec, "cores", co) : 0;
        threads = t ? smp_number(spec, "threads", t) : 0;
        maxcpus = m ? smp_number(spec, "maxcpus", m) : 0;
    }
    if (!cpus && !maxcpus) {
        sockets = sockets ? sockets : 1;
        cores = cores ? cores : 1;
        threads = threads ? threads : 1;
    } else {
        maxcpus = maxcpus ? maxcpus : cpus;
        if (!cores) {
            sockets = sockets ? sockets : 1;
            threads = threads ? threads : 1;
            cores = maxcpus / (sockets * threads);
        } else if (!sockets) {
            threads = threads ? threads : 1;
            sockets = maxcpus / (cores * threads);
        }
        if (!threads)
            threads = maxcpus / (sockets * cores);
    }
    maxcpus = maxcpus ? maxcpus : sockets * cores * threads;
    cpus = cpus ? cpus : maxcpus;
    if (sockets * cores * threads != maxcpus)
        die("-smp %s: sockets (%" PRIu64 ") * cores (%" PRIu64 ") * threads "
            "(%" PRIu64 ") is not maxcpus (%" PRIu64 ")",
            spec, sockets, cores, threads, maxcpus);
    if (cpus > maxcpus)
        die("-smp %s: cpus (%" PRIu64 ") is more than maxcpus (%" PRIu64 ")",
            spec, cpus, maxcpus);
    return (int)cpus;
}

static UIDisplayType display_type = UI_DISPLAY_DEFAULT;

static void check_options(const Options *o, const MachineClass *mc)
{
    /* -nographic means no window unless -display asks for one (as
       QEMU); the serial port is on stdio either way. */
    if (o->display) {
        g_autofree char *err = NULL;

        if (!ui_display_parse(o->display, &display_type, &err))
            die("-display %s: %s", o->display, err);
    } else if (o->nographic) {
        display_type = UI_DISPLAY_NONE;
    }
    if (o->accel) {
        g_autofree char *err = NULL, *name = NULL;
        g_autoptr(GHashTable) opts = opts_parse(o->accel, "accel", &err);

        if (!opts)
            die("-accel %s: %s", o->accel, err);
        name = opts_take(opts, "accel");
        check_accel(name ? name : "", "-accel");
        check_accel_props(o->accel, opts);
        if (opts_first_key(opts))
            die("-accel %s: unknown parameter '%s'", o->accel, opts_first_key(opts));
    }
    for (guint i = 0; i < o->devices->len; i++) {
        if (!strcmp(g_ptr_array_index(o->devices, i), "help")) {
            virtio_device_print_list(stdout);
            printf("\nOther devices:\nname \"loader\", desc \"Generic "
                   "Loader (file=, addr=, data=, data-len=, cpu-num=)\"\n");
            exit(0);
        }
    }
    if (o->cpu && !strcmp(o->cpu, "help")) {
        if (mc->print_cpu_list)
            mc->print_cpu_list(stdout);
        else
            printf("Machine %s has no CPU models to choose from\n", mc->name);
        exit(0);
    }
}

static const char *option_name(OptionId id)
{
    for (size_t k = 0; k < G_N_ELEMENTS(option_table); k++) {
        if (option_table[k].id == id)
            return option_table[k].name;
    }
    return "?";
}

/* Creates the -chardev backends, then the serial ports' backends. */
static void setup_chardevs(Options *o, MachineState *ms)
{
    char *err = NULL;

    for (guint i = 0; i < o->chardevs->len; i++) {
        const char *spec = g_ptr_array_index(o->chardevs, i);

        if (!chardev_new(spec, &err))
            die("-chardev %s: %s", spec, err);
    }
    if (o->serials->len > MACHINE_MAX_SERIAL)
        die("too many -serial options (at most %d)", MACHINE_MAX_SERIAL);
    /* No display exists yet: without -serial the UART is on stdio, with
       the Ctrl-A keys, whether or not -nographic was given. */
    if (o->serials->len == 0 && !o->nodefaults && !o->daemonize) {
        for (guint i = 0; i < o->monitors->len; i++) {
            const MonitorOption *m = &g_array_index(o->monitors, MonitorOption, i);

            if (m->id != OPT_MON && !strcmp(m->arg, "stdio"))
                die("-%s stdio: stdio is the serial console by default; add "
                    "-serial none or -serial file:PATH, or share it with "
                    "-serial mon:stdio", option_name(m->id));
        }
        g_ptr_array_add(o->serials, (gpointer)"mon:stdio");
        o->default_serial = true;
    }
    for (guint i = 0; i < o->serials->len; i++) {
        const char *spec = g_ptr_array_index(o->serials, i);

        ms->serial[i] = chardev_new_serial(spec, &err);
        if (!ms->serial[i] && err)
            die("-serial %s: %s", spec, err);
    }
}

/* Appends key=value to a QEMU option string, doubling commas. */
static void spec_append(GString *spec, const char *key, const char *value)
{
    g_string_append_printf(spec, ",%s=", key);
    for (const char *p = value; *p; p++) {
        if (*p == ',')
            g_string_append_c(spec, ',');
        g_string_append_c(spec, *p);
    }
}

/*
 * -netdev BACKEND,id=ID,... then -nic BACKEND[,model=M][,mac=MAC],...: a
 * backend of its own (id "nicN") and the NIC on it: a virtio-net-pci card
 * (model virtio or virtio-net-pci, the default), as QEMU 9.0 and later
 * make on riscv virt (7.2 makes none), or virtio-net on a virtio-mmio
 * slot (model virtio-net-device).
 */
static void setup_netdevs(const Options *o)
{
    char *err = NULL;

    for (guint i = 0; i < o->netdevs->len; i++) {
        const char *spec = g_ptr_array_index(o->netdevs, i);

        if (!net_backend_new(spec, &err))
            die("-netdev %s: %s", spec, err);
    }
    for (guint i = 0; i < o->nics->len; i++) {
        const char *spec = g_ptr_array_index(o->nics, i);
        g_autoptr(GPtrArray) fwds = g_ptr_array_new_with_free_func(g_free);
        g_autoptr(GHashTable) opts = opts_parse_multi(spec, "type", "hostfwd",
                                                      fwds, &err);
        g_autofree char *type = NULL, *model = NULL, *mac = NULL;
        g_autoptr(GString) nd = NULL, dev = NULL;
        GHashTableIter it;
        gpointer k, v;

        if (!opts)
            die("-nic %s: %s", spec, err);
        type = opts_take(opts, "type");
        model = opts_take(opts, "model");
        mac = opts_take(opts, "mac");
        g_free(opts_take(opts, "id"));
        if (!type || !strcmp(type, "none"))
            continue;
        if (model && strcmp(model, "virtio") && strcmp(model, "virtio-net-pci") &&
            strcmp(model, "virtio-net-device"))
            die("-nic %s: model=%s is not available (virtio-net-pci and "
                "virtio-net-device are)", spec, model);
        nd = g_string_new(type);
        g_string_append_printf(nd, ",id=nic%u", i);
        g_hash_table_iter_init(&it, opts);
        while (g_hash_table_iter_next(&it, &k, &v))
            spec_append(nd, k, v);
        for (guint f = 0; f < fwds->len; f++)
            spec_append(nd, "hostfwd", g_ptr_array_index(fwds, f));
        if (!net_backend_new(nd->str, &err))
            die("-nic %s: %s", spec, err);
        /* QEMU's virt: a PCI card unless virtio-net-device is asked. */
        dev = g_string_new(model && !strcmp(model, "virtio-net-device")
                           ? "virtio-net-device" : "virtio-net-pci");
        g_string_append_printf(dev, ",netdev=nic%u", i);
        if (mac)
            spec_append(dev, "mac", mac);
        g_ptr_array_add(o->devices, g_string_free(g_steal_pointer(&dev), FALSE));
    }
}

/* -device DRIVER[,prop=value...]: virtio devices in the board's
   virtio-mmio slots (NAME-device) or on its PCI bus (NAME-pci), and the
   generic loader. */
static void create_devices(const Options *o, MachineState *ms)
{
    for (guint i = 0; i < o->devices->len; i++) {
        const char *spec = g_ptr_array_index(o->devices, i);
        g_autofree char *err = NULL, *driver = NULL;
        g_autoptr(GHashTable) opts = opts_parse(spec, "driver", &err);
        VirtIODeviceRequest req;

        if (!opts)
            die("-device %s: %s", spec, err);
        driver = opts_take(opts, "driver");
        if (!driver || !*driver)
            die("-device %s: no device name", spec);
        if (!strcmp(driver, "loader")) {
            /* An overlap is found once all images are in, on QEMU: it
               names both files and no option. */
            if (!generic_loader_create(ms, opts, &err) &&
                g_str_has_prefix(err, "Some ROM regions"))
                die("%s", err);
            else if (err)
                die("-device %s: %s", spec, err);
            continue;
        }
        if (!virtio_device_create(driver, opts, &req, &err))
            die("-device %s: %s", spec, err);
        if (opts_first_key(opts))
            die("-device %s: unknown property '%s'", spec, opts_first_key(opts));
        if (req.transport == VIRTIO_TRANSPORT_NONE) {
            /* a virtio-serial port: it joined its device */
        } else if (req.transport == VIRTIO_TRANSPORT_PCI) {
            if (!virtio_device_plug_pci(&req, &err))
                die("-device %s: %s", spec, err);
        } else if (!ms->mc->plug_virtio) {
            die("-device %s: machine %s has no slots for devices", spec,
                ms->mc->name);
        } else if (!ms->mc->plug_virtio(ms, req.vdev, &err)) {
            die("-device %s: %s", spec, err);
        }
        g_free(req.bus);
    }
}

/* The chardev a monitor uses: a mux gets one more frontend; a chardev a
   serial port already has cannot be shared otherwise. */
static Chardev *monitor_frontend(Chardev *chr, const MachineState *ms,
                                 const char *what)
{
    char *err = NULL;
    Chardev *fe;

    if (chardev_is_mux(chr)) {
        fe = chardev_mux_add_frontend(chr, &err);
        if (!fe)
            die("%s: %s", what, err);
        return fe;
    }
    for (int i = 0; i < MACHINE_MAX_SERIAL; i++) {
        if (ms->serial[i] == chr)
            die("%s: chardev '%s' is already used by a serial port (mux=on "
                "shares it)", what, chardev_id(chr));
    }
    return chr;
}

/* -mon chardev=ID[,mode=readline|control][,pretty=on|off] */
static void setup_mon(const char *spec, const MachineState *ms)
{
    g_autofree char *err = NULL, *id = NULL, *mode = NULL, *pretty = NULL;
    g_autoptr(GHashTable) opts = opts_parse(spec, "chardev", &err);
    g_autofree char *what = g_strdup_printf("-mon %s", spec);
    bool pretty_on = false;
    Chardev *chr;

    if (!opts)
        die("%s: %s", what, err);
    id = opts_take(opts, "chardev");
    mode = opts_take(opts, "mode");
    pretty = opts_take(opts, "pretty");
    g_free(opts_take(opts, "id"));   /* the monitor's name (libvirt gives one) */
    if (opts_first_key(opts))
        die("%s: unknown parameter '%s'", what, opts_first_key(opts));
    if (!id)
        die("%s: chardev=ID is required", what);
    chr = chardev_find(id);
    if (!chr)
        die("%s: chardev '%s' not found", what, id);
    if (mode && strcmp(mode, "readline") != 0 && strcmp(mode, "control") != 0)
        die("%s: mode must be 'readline' or 'control'", what);
    if (pretty && !opts_parse_bool(pretty, &pretty_on))
        die("%s: pretty=%s is not on or off", what, pretty);
    chr = monitor_frontend(chr, ms, what);
    if (mode && !strcmp(mode, "control"))
        monitor_init_qmp(chr, pretty_on);
    else
        monitor_init_hmp(chr);
}

/*
 * The monitors, once the chardevs exist.  -serial mon:stdio (and the
 * default serial, unless -monitor or -mon was given, as QEMU's default
 * monitor) gets a human monitor on the same mux.
 */
static void setup_monitors(const Options *o, MachineState *ms)
{
    bool default_monitor = true;

    for (guint i = 0; i < o->monitors->len; i++) {
        const MonitorOption *m = &g_array_index(o->monitors, MonitorOption, i);
        g_autofree char *what = g_strdup_printf("-%s %s", option_name(m->id),
                                                m->arg);
        char *err = NULL;
        Chardev *chr;

        if (m->id == OPT_MONITOR || m->id == OPT_MON)
            default_monitor = false;
        if (m->id == OPT_MON) {
            setup_mon(m->arg, ms);
            continue;
        }
        chr = chardev_new_serial(m->arg, &err);
        if (!chr && err)
            die("%s: %s", what, err);
        if (!chr)
            continue;                /* none */
        chr = monitor_frontend(chr, ms, what);
        if (m->id == OPT_MONITOR)
            monitor_init_hmp(chr);
        else
            monitor_init_qmp(chr, m->id == OPT_QMP_PRETTY);
    }
    for (guint i = 0; i < o->serials->len; i++) {
        const char *spec = g_ptr_array_index(o->serials, i);

        if (!g_str_has_prefix(spec, "mon:") || !ms->serial[i])
            continue;
        if (o->default_serial && !default_monitor)
            continue;
        monitor_init_hmp(monitor_frontend(ms->serial[i], ms, spec));
    }
}

/*
 * The display, once the devices exist.  Without -display or -nographic a
 * window opens, as QEMU's does, when there is something to show (a
 * virtio-gpu-device), SDL is built in and there is an X11 or Wayland
 * display; otherwise, or if SDL fails, it runs headless.  The serial port
 * stays on stdio either way: the window has no text consoles.
 */
static void setup_display(void)
{
    g_autofree char *err = NULL;

    if (display_type == UI_DISPLAY_SDL && !ui_sdl_init(&err))
        die("-display sdl: %s", err);
    if (display_type == UI_DISPLAY_DEFAULT && ui_sdl_available() &&
        ui_console_get_default() &&
        (getenv("DISPLAY") || getenv("WAYLAND_DISPLAY")) && !ui_sdl_init(&err))
        error_report("info: no window (%s); running without a display", err);
}

/*
 * -rtc, -daemonize and -pidfile (system/harness.c), once the
 * options are read: -daemonize refuses stdio as QEMU does, then forks
 * before anything else starts (threads, sockets), and the PID file is the
 * daemon's.
 */
static void apply_harness_options(const Options *o, MachineState *ms)
{
    g_autofree char *err = NULL;
    HarnessRtc rtc = { 0 };

    if (o->rtc && !harness_rtc(o->rtc, &rtc, &err))
        die("-rtc %s: %s", o->rtc, err);
    ms->rtc_set = rtc.set;
    ms->rtc_wall = rtc.follow_host;
    ms->rtc_start_ns = rtc.start_ns;
    ms->rtc_clock = (int)rtc.clock;
    if (o->daemonize) {
        g_autoptr(GPtrArray) stdio_users = g_ptr_array_new_with_free_func(g_free);

        for (guint i = 0; i < o->monitors->len; i++) {
            const MonitorOption *m = &g_array_index(o->monitors,
                                                    MonitorOption, i);

            if (m->id != OPT_MON)
                g_ptr_array_add(stdio_users, g_strdup_printf(
                    "-%s %s", option_name(m->id), m->arg));
        }
        if (o->gdb)
            g_ptr_array_add(stdio_users, g_strdup_printf("-gdb %s", o->gdb));
        if (!harness_daemonize_check(o->nographic, o->chardevs, o->serials,
                                     stdio_users, &err))
            die("%s", err);
        harness_daemonize_start();
    }
    if (o->pidfile && !harness_pidfile(o->pidfile, &err))
        die("%s", err);
}

/* -initrd, -append and -dtb only make sense with a kernel, as in QEMU. */
static void check_boot_options(const Options *o)
{
    if (o->kernel)
        return;
    if (o->initrd)
        die("-initrd only allowed with -kernel option");
    if (o->append)
        die("-append only allowed with -kernel option");
    if (o->dtb)
        die("-dtb only allowed with -kernel option");
}

/* -M virt,dumpdtb=FILE: writes the machine's device tree and exits 0. */
static _Noreturn void dump_dtb_and_exit(MachineState *ms, const char *path)
{
    g_autoptr(GError) gerr = NULL;

    if (!ms->fdt)
        die("-machine dumpdtb=%s: this machine has no device tree", path);
    if (!g_file_set_contents(path, ms->fdt, (gssize)ms->fdt_size, &gerr))
        die("-machine dumpdtb=%s: %s", path, gerr->message);
    error_report("info: dtb dumped to %s. Exiting.", path);
    chardev_cleanup_all();
    exit(0);
}

/* A system reset request, on the main loop. */
static void reset_machine(void *opaque)
{
    machine_reset(opaque);
}

/* Pauses the vCPUs and leaves with the requested status. */
static _Noreturn void shutdown_and_exit(MachineState *ms)
{
    int status = runstate_exit_status();

    bql_unlock();    /* a vCPU may be waiting for it to finish an MMIO */
    for (int i = 0; i < ms->nr_cpus; i++)
        cpu_pause(ms->cpus[i]);
    ui_cleanup();
    chardev_cleanup_all();
    net_cleanup_all();
    /* Every disk flushed and closed, on a power-off as on Ctrl-C or a
       signal (a qcow2 image is left consistent). */
    blk_close_all();
    if (log_enabled(LOG_JIT_STATS))
        tcg_dump_stats(log_file());
    log_flush();
    fflush(stdout);
    exit(status);
}

int main(int argc, char **argv)
{
    Options o = { .serials = g_ptr_array_new(), .chardevs = g_ptr_array_new(),
                  .devices = g_ptr_array_new(), .netdevs = g_ptr_array_new(),
                  .nics = g_ptr_array_new(),
                  .objects = g_ptr_array_new(),
                  .semihosting_configs = g_ptr_array_new(),
                  .fsdevs = g_ptr_array_new(), .virtfs = g_ptr_array_new(),
                  .monitors = g_array_new(FALSE, FALSE, sizeof(MonitorOption)) };
    MachineState ms = { 0 };
    char *err = NULL, *dumpdtb = NULL, *mem_backend = NULL;

    error_progname = g_strconcat("mimic-system-", target_name, NULL);
    parse_args(argc, argv, &o);
    if (o.msg && !harness_msg(o.msg, runstate_guest_name(), &err))
        die("-msg %s: %s", o.msg, err);
    setup_log(&o);
    ms.mc = parse_machine(o.machine, &dumpdtb, &mem_backend);
    check_options(&o, ms.mc);
    if (!objects_create(o.objects, &err))
        die("%s", err);
    ms.ram_size = parse_mem(o.mem, ms.mc);
    if (mem_backend &&
        !object_machine_ram_size(mem_backend, o.mem != NULL, &ms.ram_size, &err))
        die("%s", err);
    ms.smp_cpus = parse_smp(o.smp);
    ms.cpu_model = o.cpu;
    ms.bios = o.bios;
    ms.kernel = o.kernel;
    ms.initrd = o.initrd;
    ms.append = o.append;
    ms.dtb = o.dtb;
    check_boot_options(&o);
    if (o.no_reboot)
        runstate_set_no_reboot(true);
    apply_harness_options(&o, &ms);

    main_loop_init();
    setup_chardevs(&o, &ms);
    setup_monitors(&o, &ms);
    semihosting_setup(o.semihosting, o.semihosting_configs, o.kernel, o.append);
    if (!drive_setup_all(o.snapshot, o.devices, &err))
        die("%s", err);
    for (int i = 0; i < DRIVE_PFLASH_UNITS; i++)
        ms.pflash[i] = drive_get_pflash(i);
    tcg_exec_init(ms.mc->target_ops, CODE_BUFFER_BYTES);
    if (!ms.mc->init(&ms, &err))
        die("%s", err);
    setup_netdevs(&o);
    if (!virtfs_setup(o.fsdevs, o.virtfs, o.devices, &err))
        die("%s", err);
    create_devices(&o, &ms);
    drive_warn_unclaimed();
    if (dumpdtb)
        dump_dtb_and_exit(&ms, dumpdtb);
    setup_display();
    runstate_set_reset_handler(reset_machine, &ms);
    if (o.start_stopped) {
        /* Parked before they run a single insn; vm_start lets them go. */
        for (int i = 0; i < ms.nr_cpus; i++)
            cpu_pause(ms.cpus[i]);
        clock_virtual_stop();
        runstate_init(RUN_STATE_PRELAUNCH);
    }
    if (o.gdb && !gdbserver_start(o.gdb, &err))
        die("-gdb %s: %s", o.gdb, err);
    cpus_set_multithread(accel_thread < 0 ? ms.nr_cpus > 1 : accel_thread);
    cpus_start(ms.cpus, ms.nr_cpus);
    harness_daemonize_ready();
    main_loop_run();
    shutdown_and_exit(&ms);
}
