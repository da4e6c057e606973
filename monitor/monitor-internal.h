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

#endif
