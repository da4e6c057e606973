/*
 * Logging, like QEMU's -d/-D: a mask of enabled items and one log file
 * (stderr by default).  Guest mistakes go under LOG_GUEST_ERROR,
 * unimplemented features under LOG_UNIMP; neither ever stops the host.
 *
 *   if (log_enabled(LOG_IN_ASM)) log_printf("IN: %s\n", name);
 *   log_mask(LOG_GUEST_ERROR, "uart: bad offset 0x%x\n", off);
 */
#ifndef MIMIC_LOG_H
#define MIMIC_LOG_H

#include <stdbool.h>
#include <stdio.h>

enum {
    LOG_IN_ASM = 1u << 0,
    LOG_OP = 1u << 1,
    LOG_OP_OPT = 1u << 2,
    LOG_OUT_ASM = 1u << 3,
    LOG_EXEC = 1u << 4,
    LOG_CPU = 1u << 5,
    LOG_NOCHAIN = 1u << 6,
    LOG_INT = 1u << 7,
    LOG_GUEST_ERROR = 1u << 8,
    LOG_UNIMP = 1u << 9,
    LOG_JIT_STATS = 1u << 10,
    LOG_FPU = 1u << 11,
    LOG_CPU_RESET = 1u << 12,
};

extern unsigned log_flags;

static inline bool log_enabled(unsigned mask)
{
    return (log_flags & mask) != 0;
}

/* The log stream (stderr unless -D gave a file). */
FILE *log_file(void);
void log_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
#define log_mask(mask, ...)                 \
    do {                                    \
        if (log_enabled(mask))              \
            log_printf(__VA_ARGS__);        \
    } while (0)

/* Parses "in_asm,cpu,..." into a mask; returns false and names the bad
   item in *bad (static storage) if one is unknown. */
bool log_parse_items(const char *str, unsigned *mask, const char **bad);
/* Prints the list of items for `-d help`. */
void log_print_help(FILE *f);
/* Sends the log to path (-D); returns false with errno set on failure. */
bool log_set_file(const char *path);
void log_flush(void);

/* Prints "mimic-system-riscv64: <message>\n" to stderr. */
void error_report(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void warn_report(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The program name used in messages (set by main). */
extern const char *error_progname;
/* -msg timestamp=on: messages start with the UTC time, as QEMU's
   ("2026-01-02T03:04:05.123456Z "); guest-name=on: then the -name. */
void error_set_prefix(bool timestamp, const char *guest_name);

#endif
