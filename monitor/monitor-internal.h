/*
 * What the files of monitor/ share: the context an HMP command runs in
 * (its output buffer and the monitor's current CPU and x/FMT defaults),
 * the command interpreter (hmp-cmds.c) and the expression evaluator
 * (hmp-expr.c).  hmp.c puts a line editor on a chardev around it; qmp.c
 * reaches it through hmp_run_command().
 */
#ifndef MONITOR_MONITOR_INTERNAL_H
#define MONITOR_MONITOR_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <glib.h>

#include "mimic/cpu.h"

typedef struct HmpContext {
    GString *out;            /* what the running command printed */
    int cpu_index;           /* the current CPU (`cpu N`) */
    char last_format;        /* x/xp: format and unit size of the last use */
    int last_size;
} HmpContext;

void hmp_context_init(HmpContext *c);
void hmp_printf(HmpContext *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Runs one command line; its output (lines ending in "\n") is appended
   to c->out.  Main loop, BQL held. */
void hmp_execute(HmpContext *c, const char *cmdline);
/* The current CPU, or NULL if the machine has none yet. */
CPUState *hmp_current_cpu(HmpContext *c);

/* hmp_run_command() on CPU cpu_index (-1: the shared context's current
   CPU), for QMP's human-monitor-command with cpu-index. */
char *hmp_run_command_cpu(const char *cmdline, int cpu_index);

/*
 * Evaluates an address expression: numbers (0x hex, 0 octal, decimal),
 * $reg (a register of cpu), + - * / % & | ^ << >> ~ and parentheses.
 * False with a message in *err (g_free it).
 */
bool hmp_eval_expr(CPUState *cpu, const char *expr, uint64_t *val, char **err);

/*
 * Checks that text[0, len) is one JSON value as RFC 8259 defines it, with
 * integers that fit 64 bits, strings of valid UTF-8 without NUL and at
 * most max_depth levels of nesting (qmp-json.c).  For an object, the raw
 * text of its "id" member's value is at text + *id_off, *id_len bytes
 * (0: none).  False with a message (what and at which byte) in *err.
 */
bool qmp_json_check(const char *text, size_t len, int max_depth, size_t *id_off,
                    size_t *id_len, char **err);
/* The JSON text without whitespace outside strings (one line). */
char *qmp_json_compact(const char *text, size_t len);

#endif
