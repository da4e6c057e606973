/*
 * mimic-<arch>: Linux user mode's command line and start-up.  Runs one
 * foreign Linux program on the host's kernel, with qemu-user's options
 * and environment variables (docs/user-mode.md): reserves the guest's
 * address space, loads the ELF file (and its interpreter, under -L),
 * builds the initial stack, and runs the guest CPU loop until the program
 * exits.
 */
#define _GNU_SOURCE   /* O_PATH */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <time.h>
#include <unistd.h>

#include <glib.h>

#include "mimic/options.h"
#include "mimic/exec.h"
#include "mimic/gdbstub.h"
#include "mimic/log.h"
#include "mimic/version.h"
#include "syscall.h"
#include "user-target.h"

extern char **environ;

/* linux/binfmts.h: AT_FLAGS bit of an interpreter started with flag P. */
#ifndef AT_FLAGS_PRESERVE_ARGV0
#define AT_FLAGS_PRESERVE_ARGV0 1
#endif

const char *user_exe_path;

_Noreturn static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void die(const char *fmt, ...)
{
    va_list ap;
    char *msg;

    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    error_report("%s", msg);
    exit(1);
}

_Noreturn void user_exit_group(int status)
{
    if (log_enabled(LOG_JIT_STATS))
        tcg_dump_stats(log_file());
    log_flush();
    fflush(stdout);
    fflush(stderr);
    gdbserver_user_exit(status);
    _exit(status);
}

static void usage(const char *prog)
{
    printf("usage: %s [options] program [arguments...]\n"
           "Linux CPU emulator (runs %s Linux programs on this host)\n\n"
           "Options and associated environment variables:\n\n"
           "Argument             Env-variable      Description\n"
           "-h, -help                              print this help\n"
           "-g port              QEMU_GDB          wait for gdb on TCP 'port' (or a unix socket path)\n"
           "-L path              QEMU_LD_PREFIX    set the ELF interpreter prefix to 'path'\n"
           "                     (MIMIC_LD_PREFIX too)\n"
           "-s size              QEMU_STACK_SIZE   set the stack size to 'size' bytes\n"
           "-R size              QEMU_RESERVED_VA  make the guest address space 'size' bytes\n"
           "                                       (rounded up to a power of two; at most the default;\n"
           "                                       MIMIC_RESERVED_VA too)\n"
           "-cpu model           QEMU_CPU          select the CPU model and its properties (-cpu help)\n"
           "-E var=value         QEMU_SET_ENV      set a variable of the program's environment\n"
           "-U var               QEMU_UNSET_ENV    unset a variable of the program's environment\n"
           "-0 argv0             QEMU_ARGV0        the program's argv[0] instead of its path\n"
           "-d item[,...]        QEMU_LOG          enable logging of items (-d help lists them)\n"
           "-D logfile           QEMU_LOG_FILENAME write logs to 'logfile' (default stderr)\n"
           "-one-insn-per-tb                       translate one guest instruction at a time\n"
           "-accel tcg[,tso=off]                   tso=off: no implicit order of guest loads and\n"
           "                                       stores on a weakly ordered host (x86 guests)\n"
           "-perfmap             QEMU_PERFMAP      write /tmp/perf-PID.map naming the generated code for perf\n"
           "-strace              QEMU_STRACE       log system calls\n"
           "-version                               display version information and exit\n\n"
           "Several -E and -U may be given, and each takes a comma-separated list.\n",
           prog, user_target.info->name);
}

/* -s 8M, QEMU_STACK_SIZE=8388608: bytes with an optional K/M/G/T suffix,
   1 to max. */
static uint64_t parse_size(const char *s, const char *what, uint64_t max)
{
    char *end;
    unsigned long long v;
    unsigned shift = 0;

    errno = 0;
    v = strtoull(s, &end, 0);
    if (errno || end == s)
        die("%s: invalid size '%s'", what, s);
    switch (*end) {
    case 'k': case 'K': shift = 10; end++; break;
    case 'm': case 'M': shift = 20; end++; break;
    case 'g': case 'G': shift = 30; end++; break;
    case 't': case 'T': shift = 40; end++; break;
    default: break;
    }
    if (*end || v == 0 || v > (max >> shift))
        die("%s: invalid size '%s'", what, s);
    return v << shift;
}

/* -R 1G, QEMU_RESERVED_VA=...: the guest space's size, as log2 (rounded
   up), at least 16 MiB, at most the target's own space. */
static unsigned parse_reserved_va(const char *s, const char *what)
{
    uint64_t v = parse_size(s, what, 1ull << 62);
    unsigned bits = 0;

    while ((1ull << bits) < v)
        bits++;
    if (bits < 24 || bits > user_target.info->space_bits)
        die("%s: the guest space can be 16M to %lluG, not '%s'", what,
            (1ull << user_target.info->space_bits) >> 30, s);
    return bits;
}

static void env_set_list(GPtrArray *env, const char *list, bool set)
{
    g_auto(GStrv) items = g_strsplit(list, ",", -1);

    for (char **it = items; *it; it++) {
        const char *eq = strchr(*it, '=');
        size_t klen = set ? (eq ? (size_t)(eq - *it) : 0) : strlen(*it);

        if (set && !eq)
            die("-E %s: expected var=value", *it);
        for (guint i = 0; i < env->len; i++) {
            const char *e = g_ptr_array_index(env, i);

            if (!strncmp(e, *it, klen) && e[klen] == '=') {
                g_ptr_array_remove_index(env, i);
                break;
            }
        }
        if (set)
            g_ptr_array_add(env, g_strdup(*it));
    }
}

/* The options a program exec'd by the guest gets (syscall-exec.c): the
   same root, logs, stack size and tracing, whether they came from options
   or from the environment (the guest may change its environment). */
static void set_exec_options(const char *sysroot, const char *log_items,
                             const char *log_path, uint64_t stack_size,
                             unsigned space_bits, bool perfmap)
{
    GPtrArray *o = g_ptr_array_new();

    if (sysroot) {
        g_ptr_array_add(o, "-L");
        g_ptr_array_add(o, g_canonicalize_filename(sysroot, NULL));
    }
    if (log_items) {
        g_ptr_array_add(o, "-d");
        g_ptr_array_add(o, (char *)log_items);
    }
    if (log_path) {
        g_ptr_array_add(o, "-D");
        g_ptr_array_add(o, g_canonicalize_filename(log_path, NULL));
    }
    if (stack_size) {
        g_ptr_array_add(o, "-s");
        g_ptr_array_add(o, g_strdup_printf("%" PRIu64, stack_size));
    }
    if (space_bits) {
        g_ptr_array_add(o, "-R");
        g_ptr_array_add(o, g_strdup_printf("%llu", 1ull << space_bits));
    }
    if (user_strace)
        g_ptr_array_add(o, "-strace");
    if (tcg_one_insn_per_tb)
        g_ptr_array_add(o, "-one-insn-per-tb");
    if (tcg_relaxed_mo) {
        g_ptr_array_add(o, "-accel");
        g_ptr_array_add(o, "tcg,tso=off");
    }
    if (perfmap)
        g_ptr_array_add(o, "-perfmap");
    g_ptr_array_add(o, NULL);
    user_exec_options = (char **)g_ptr_array_free(o, false);
}

/* -accel tcg[,tso=on|off][,one-insn-per-tb=on|off], as the system
   emulator's. */
static void parse_accel(const char *spec)
{
    g_autofree char *err = NULL, *name = NULL, *tso = NULL, *one = NULL;
    g_autoptr(GHashTable) opts = opts_parse(spec, "accel", &err);
    bool on;

    if (!opts)
        die("-accel %s: %s", spec, err);
    name = opts_take(opts, "accel");
    if (!name || strcmp(name, "tcg") != 0)
        die("-accel %s: accelerator '%s' is not available (only tcg)", spec,
            name ? name : "");
    if ((tso = opts_take(opts, "tso"))) {
        if (!opts_parse_bool(tso, &on))
            die("-accel %s: tso must be 'on' or 'off'", spec);
        tcg_relaxed_mo = !on;
    }
    if ((one = opts_take(opts, "one-insn-per-tb"))) {
        if (!opts_parse_bool(one, &on))
            die("-accel %s: one-insn-per-tb must be 'on' or 'off'", spec);
        tcg_one_insn_per_tb = on;
    }
    if (opts_first_key(opts))
        die("-accel %s: unknown parameter '%s'", spec, opts_first_key(opts));
}

int main(int argc, char **argv)
{
    const char *sysroot = NULL, *argv0 = NULL, *log_items = NULL;
    const char *log_path = NULL, *cpu_model = NULL, *gdb_port = NULL, *v;
    uint64_t stack_size = 0;
    unsigned space_bits = 0;
    GPtrArray *env = g_ptr_array_new();
    GPtrArray *gargv = g_ptr_array_new();
    ImageInfo image;
    UserLoadOptions opts;
    CPUState *cpu;
    char *err = NULL;
    int i, binfmt_program = 0;
    bool perfmap = false;

    error_progname = g_strconcat("mimic-", user_target.info->name, NULL);
    for (char **e = environ; *e; e++)
        g_ptr_array_add(env, g_strdup(*e));
    /* The environment variables first: options override them. */
    if ((v = getenv("QEMU_LD_PREFIX")) || (v = getenv("MIMIC_LD_PREFIX")))
        sysroot = v;
    if ((v = getenv("QEMU_STACK_SIZE")))
        stack_size = parse_size(v, "QEMU_STACK_SIZE", 1ull << 36);
    /* MIMIC_RESERVED_VA: for Mimic run under qemu-user, which reads
       QEMU_RESERVED_VA itself. */
    if ((v = getenv("QEMU_RESERVED_VA")))
        space_bits = parse_reserved_va(v, "QEMU_RESERVED_VA");
    else if ((v = getenv("MIMIC_RESERVED_VA")))
        space_bits = parse_reserved_va(v, "MIMIC_RESERVED_VA");
    /* A 4 KiB host acting as one with larger pages, for the tests. */
    if ((v = getenv("MIMIC_HOST_PAGE_SIZE")) &&
        !guest_set_host_page_size(parse_size(v, "MIMIC_HOST_PAGE_SIZE",
                                             1ull << 20), &err))
        die("%s", err);
    if ((v = getenv("QEMU_SET_ENV")))
        env_set_list(env, v, true);
    if ((v = getenv("QEMU_UNSET_ENV")))
        env_set_list(env, v, false);
    if ((v = getenv("QEMU_ARGV0")))
        argv0 = v;
    if (getenv("QEMU_STRACE"))
        user_strace = true;
    if ((v = getenv("QEMU_LOG")))
        log_items = v;
    if ((v = getenv("QEMU_LOG_FILENAME")))
        log_path = v;
    if ((v = getenv("QEMU_CPU")))
        cpu_model = v;
    if ((v = getenv("QEMU_GDB")))
        gdb_port = v;
    if (getenv("QEMU_PERFMAP"))
        perfmap = true;

    /* Started by binfmt_misc with flag P (scripts/mimic-binfmt.sh): the
       kernel passes the program's path, then its own argv[0], then its
       arguments, and says so in AT_FLAGS.  No options then. */
    if ((getauxval(AT_FLAGS) & AT_FLAGS_PRESERVE_ARGV0) && argc >= 3) {
        argv0 = argv[2];
        argv[2] = argv[1];
        binfmt_program = 2;
        user_binfmt = true;
    }
    for (i = binfmt_program ? argc : 1; i < argc && argv[i][0] == '-'; i++) {
        const char *opt = argv[i] + 1 + (argv[i][1] == '-');
        const char *arg = i + 1 < argc ? argv[i + 1] : NULL;

        if (!strcmp(argv[i], "--")) {
            i++;
            break;
        }
#define NEEDS_ARG()                                                        \
        do {                                                               \
            if (!arg)                                                      \
                die("option '-%s' needs an argument", opt);                \
            i++;                                                           \
        } while (0)
        if (!strcmp(opt, "h") || !strcmp(opt, "help")) {
            usage(error_progname);
            return 0;
        } else if (!strcmp(opt, "version")) {
            printf("%s version %s\n", error_progname, MIMIC_VERSION);
            return 0;
        } else if (!strcmp(opt, "g")) {
            NEEDS_ARG();
            gdb_port = arg;
        } else if (!strcmp(opt, "L")) {
            NEEDS_ARG();
            sysroot = arg;
        } else if (!strcmp(opt, "s")) {
            NEEDS_ARG();
            stack_size = parse_size(arg, "-s", 1ull << 36);
        } else if (!strcmp(opt, "R")) {
            NEEDS_ARG();
            space_bits = parse_reserved_va(arg, "-R");
        } else if (!strcmp(opt, "E")) {
            NEEDS_ARG();
            env_set_list(env, arg, true);
        } else if (!strcmp(opt, "U")) {
            NEEDS_ARG();
            env_set_list(env, arg, false);
        } else if (!strcmp(opt, "0")) {
            NEEDS_ARG();
            argv0 = arg;
        } else if (!strcmp(opt, "cpu")) {
            NEEDS_ARG();
            cpu_model = arg;
        } else if (!strcmp(opt, "d")) {
            NEEDS_ARG();
            log_items = arg;
        } else if (!strcmp(opt, "D")) {
            NEEDS_ARG();
            log_path = arg;
        } else if (!strcmp(opt, "one-insn-per-tb") || !strcmp(opt, "singlestep")) {
            tcg_one_insn_per_tb = true;
        } else if (!strcmp(opt, "accel")) {
            NEEDS_ARG();
            parse_accel(arg);
        } else if (!strcmp(opt, "strace")) {
            user_strace = true;
        } else if (!strcmp(opt, "perfmap")) {
            perfmap = true;
        } else {
            die("unknown option '%s' (-h lists them)", opt);
        }
#undef NEEDS_ARG
    }
    if (log_items) {
        const char *bad = NULL;
        unsigned mask = 0;

        if (!strcmp(log_items, "help")) {
            log_print_help(stdout);
            return 0;
        }
        if (!log_parse_items(log_items, &mask, &bad))
            die("-d %s: unknown log item '%s' (-d help lists them)",
                log_items, bad);
        log_flags = mask;
    }
    if (cpu_model && !strcmp(cpu_model, "help")) {
        user_target.print_cpu_list(stdout);
        return 0;
    }
    if (perfmap && !tb_perfmap_open())
        die("-perfmap: cannot create /tmp/perf-%d.map: %s", (int)getpid(),
            strerror(errno));
    if (log_path && !log_set_file(log_path))
        die("-D %s: cannot open the log file: %s", log_path, strerror(errno));
    if (binfmt_program)
        i = binfmt_program;
    if (i >= argc)
        die("no user program specified (-h for help)");

    user_exe_path = realpath(argv[i], NULL);
    if (!user_exe_path)
        user_exe_path = argv[i];
    g_ptr_array_add(gargv, (char *)(argv0 ? argv0 : argv[i]));
    for (int j = i + 1; j < argc; j++)
        g_ptr_array_add(gargv, argv[j]);
    g_ptr_array_add(gargv, NULL);
    g_ptr_array_add(env, NULL);

    user_sysroot = sysroot;
    user_open_self();
    set_exec_options(sysroot, log_items, log_path, stack_size, space_bits,
                     perfmap);
    if (!guest_space_init(user_target.info, space_bits, &err))
        die("%s", err);
    user_signal_init();
    tcg_exec_init(user_target.ops, 0);
    cpu = cpu_create(user_target.ops, 0, NULL);
    if (cpu_model && !user_target.set_cpu_model(cpu, cpu_model, &err))
        die("-cpu %s: %s", cpu_model, err);
    user_thread_init(cpu, &user_target);

    opts = (UserLoadOptions){
        .sysroot = sysroot,
        .argv = (char *const *)gargv->pdata,
        .envp = (char *const *)env->pdata,
        .stack_size = stack_size,
    };
    if (!load_elf_binary(argv[i], &opts, &image, &err)) {
        error_report("%s", err);
        return 1;
    }
    user_proc = (UserProcInfo){
        .stack_base = image.stack_base, .stack_top = image.stack_top,
        .auxv = image.auxv, .auxv_len = image.auxv_len,
        .arg_start = image.arg_start, .arg_end = image.arg_end,
    };
    user_target.init_regs(cpu, &image);
    /* After the load, so gdb finds the program in memory; a bad port is
       still an error before the guest runs. */
    if (gdb_port && !gdbserver_user_start(gdb_port, cpu, &err))
        die("%s", err);
    user_cpu_loop(cpu);
    return 1;   /* cpu_loop never returns */
}
