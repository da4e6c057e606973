/*
 * The -d/-D log and user-facing error messages.  The log is line-buffered
 * and safe to write from the vCPU and main threads (stdio locks the FILE).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "mimic/log.h"

unsigned log_flags;
const char *error_progname = "mimic";
static FILE *logfile;

static const struct {
    const char *name;
    unsigned mask;
    const char *help;
} log_items[] = {
    { "in_asm", LOG_IN_ASM, "show guest code of each new TB" },
    { "op", LOG_OP, "show the IR of each new TB" },
    { "op_opt", LOG_OP_OPT, "show the IR after optimization" },
    { "out_asm", LOG_OUT_ASM, "show the host code generated for each TB" },
    { "exec", LOG_EXEC, "show each TB as it is executed" },
    { "cpu", LOG_CPU, "show CPU registers before entering each TB" },
    { "nochain", LOG_NOCHAIN, "do not chain TBs (with exec/cpu: log every TB)" },
    { "int", LOG_INT, "show interrupts and exceptions" },
    { "guest_errors", LOG_GUEST_ERROR, "log guest mistakes (bad MMIO, faults)" },
    { "unimp", LOG_UNIMP, "log unimplemented features the guest uses" },
    { "jit_stats", LOG_JIT_STATS, "print JIT statistics at exit" },
    { "fpu", LOG_FPU, "with cpu: include the floating-point registers" },
    { "cpu_reset", LOG_CPU_RESET, "show CPU state before CPU resets" },
};

FILE *log_file(void)
{
    return logfile ? logfile : stderr;
}

void log_printf(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vfprintf(log_file(), fmt, ap);
    va_end(ap);
}

bool log_parse_items(const char *str, unsigned *mask, const char **bad)
{
    static char badbuf[64];
    const char *p = str;

    *mask = 0;
    while (*p) {
        size_t len = strcspn(p, ",");
        size_t i;

        for (i = 0; i < sizeof(log_items) / sizeof(log_items[0]); i++) {
            if (strlen(log_items[i].name) == len &&
                strncmp(log_items[i].name, p, len) == 0) {
                *mask |= log_items[i].mask;
                break;
            }
        }
        if (i == sizeof(log_items) / sizeof(log_items[0]) && len > 0) {
            snprintf(badbuf, sizeof(badbuf), "%.*s", (int)len, p);
            *bad = badbuf;
            return false;
        }
        p += len;
        if (*p == ',')
            p++;
    }
    return true;
}

void log_print_help(FILE *f)
{
    fprintf(f, "Log items (comma separated):\n");
    for (size_t i = 0; i < sizeof(log_items) / sizeof(log_items[0]); i++)
        fprintf(f, "%-13s %s\n", log_items[i].name, log_items[i].help);
}

bool log_set_file(const char *path)
{
    FILE *f = fopen(path, "w");

    if (!f)
        return false;
    setvbuf(f, NULL, _IOLBF, 0);
    if (logfile)
        fclose(logfile);
    logfile = f;
    return true;
}

void log_flush(void)
{
    fflush(log_file());
}

static bool msg_timestamp;
static char *msg_guest_name;

void error_set_prefix(bool timestamp, const char *guest_name)
{
    msg_timestamp = timestamp;
    g_free(msg_guest_name);
    msg_guest_name = guest_name ? g_strdup(guest_name) : NULL;
}

static void report(const char *kind, const char *fmt, va_list ap)
{
    if (msg_timestamp) {
        GDateTime *now = g_date_time_new_now_utc();
        char *ts = g_date_time_format(now, "%Y-%m-%dT%H:%M:%S");

        fprintf(stderr, "%s.%06dZ ", ts, g_date_time_get_microsecond(now));
        g_free(ts);
        g_date_time_unref(now);
    }
    if (msg_guest_name)
        fprintf(stderr, "%s ", msg_guest_name);
    fprintf(stderr, "%s: %s", error_progname, kind);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
}

void error_report(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    report("", fmt, ap);
    va_end(ap);
}

void warn_report(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    report("warning: ", fmt, ap);
    va_end(ap);
}
