/*
 * The human monitor (HMP) on a character backend: a small line editor
 * (echo, backspace, Ctrl-U, Ctrl-C, up/down history; CR, LF or CRLF end a
 * line, so both terminals and scripts on a pipe drive it) that hands each
 * line to the command interpreter (hmp-cmds.c) and prints its output, then
 * the "(mimic) " prompt.  On a socket each client gets the banner when it
 * connects; on a mux (-serial mon:stdio) the banner comes the first time
 * C-a c gives the monitor the focus, the prompt every time.
 *
 *   monitor_init_hmp(chardev_new_serial("stdio", &err));
 *   char *out = hmp_run_command("info registers");   (QMP, gdb's monitor)
 */
#include <string.h>

#include "mimic/monitor.h"
#include "mimic/runstate.h"
#include "monitor-internal.h"

#define HMP_PROMPT "(mimic) "
#define HMP_BANNER "Mimic monitor - type 'help' for more information\n"
#define HMP_LINE_MAX 4096
#define HMP_HISTORY_MAX 64

typedef struct HmpMonitor {
    Chardev *chr;
    HmpContext ctx;
    GString *line;           /* the line being typed */
    int esc;                 /* 1: after ESC, 2: inside ESC [ ... */
    bool after_cr;           /* the LF of a CRLF is not a second line */
    bool greeted;            /* the banner was printed (this connection) */
    GPtrArray *history;      /* oldest first */
    guint hist_pos;          /* history->len while typing a new line */
} HmpMonitor;

/* Writes text with "\n" as "\r\n" (the terminal is in raw mode). */
static void hmp_puts(HmpMonitor *m, const char *text)
{
    GString *s = g_string_sized_new(strlen(text) + 16);

    for (const char *p = text; *p; p++) {
        if (*p == '\n')
            g_string_append_c(s, '\r');
        g_string_append_c(s, *p);
    }
    chardev_write(m->chr, (const uint8_t *)s->str, (int)s->len);
    g_string_free(s, TRUE);
}

static void hmp_prompt(HmpMonitor *m)
{
    hmp_puts(m, HMP_PROMPT);
    hmp_puts(m, m->line->str);
}

static void hmp_greet(HmpMonitor *m)
{
    if (!m->greeted)
        hmp_puts(m, HMP_BANNER);
    m->greeted = true;
    hmp_prompt(m);
}

/* Erases the typed line on the screen and in the buffer. */
static void erase_line(HmpMonitor *m)
{
    for (gsize i = 0; i < m->line->len; i++)
        hmp_puts(m, "\b \b");
    g_string_truncate(m->line, 0);
}

static void history_show(HmpMonitor *m, int step)
{
    guint len = m->history->len;
    guint pos = m->hist_pos;

    if (step < 0 && pos == 0)
        return;
    if (step > 0 && pos >= len)
        return;
    pos = step < 0 ? pos - 1 : pos + 1;
    erase_line(m);
    m->hist_pos = pos;
    if (pos < len)
        g_string_assign(m->line, g_ptr_array_index(m->history, pos));
    hmp_puts(m, m->line->str);
}

static void history_add(HmpMonitor *m, const char *line)
{
    GPtrArray *h = m->history;

    if (!*line || (h->len && !strcmp(g_ptr_array_index(h, h->len - 1), line)))
        return;
    if (h->len == HMP_HISTORY_MAX)
        g_ptr_array_remove_index(h, 0);
    g_ptr_array_add(h, g_strdup(line));
}

static void run_line(HmpMonitor *m)
{
    g_autofree char *line = g_strdup(m->line->str);

    hmp_puts(m, "\n");
    g_string_truncate(m->line, 0);
    history_add(m, line);
    m->hist_pos = m->history->len;
    g_string_truncate(m->ctx.out, 0);
    hmp_execute(&m->ctx, line);
    hmp_puts(m, m->ctx.out->str);
    if (!runstate_shutdown_requested())
        hmp_prompt(m);
}

/* An escape sequence (arrow keys): up and down walk the history. */
static void hmp_escape(HmpMonitor *m, uint8_t c)
{
    if (m->esc == 1) {
        m->esc = (c == '[' || c == 'O') ? 2 : 0;
        return;
    }
    if (g_ascii_isdigit(c) || c == ';')
        return;
    m->esc = 0;
    if (c == 'A')
        history_show(m, -1);
    else if (c == 'B')
        history_show(m, 1);
}

static void hmp_key(HmpMonitor *m, uint8_t c)
{
    bool after_cr = m->after_cr;

    m->after_cr = false;
    if (m->esc) {
        hmp_escape(m, c);
        return;
    }
    switch (c) {
    case '\r':
        m->after_cr = true;
        run_line(m);
        break;
    case '\n':
        if (!after_cr)
            run_line(m);
        break;
    case 0x7f:
    case '\b':
        if (m->line->len) {
            g_string_truncate(m->line, m->line->len - 1);
            hmp_puts(m, "\b \b");
        }
        break;
    case 0x15:                      /* Ctrl-U */
        erase_line(m);
        break;
    case 0x03:                      /* Ctrl-C: drop the line */
        g_string_truncate(m->line, 0);
        hmp_puts(m, "\n");
        hmp_prompt(m);
        break;
    case 0x1b:
        m->esc = 1;
        break;
    default:
        if (c < 0x20 || m->line->len >= HMP_LINE_MAX)
            break;
        g_string_append_c(m->line, (char)c);
        chardev_write(m->chr, &c, 1);
    }
}

static int hmp_can_read(void *opaque)
{
    return HMP_LINE_MAX;
}

static void hmp_read(void *opaque, const uint8_t *buf, int len)
{
    HmpMonitor *m = opaque;

    for (int i = 0; i < len && !runstate_shutdown_requested(); i++)
        hmp_key(m, buf[i]);
}

static void hmp_event(void *opaque, ChardevEvent event)
{
    HmpMonitor *m = opaque;

    switch (event) {
    case CHARDEV_EVENT_OPENED:
        g_string_truncate(m->line, 0);
        m->esc = 0;
        /* A mux frontend speaks up when it gets the focus. */
        if (chardev_has_focus(m->chr))
            hmp_greet(m);
        break;
    case CHARDEV_EVENT_CLOSED:
        m->greeted = false;
        break;
    case CHARDEV_EVENT_MUX_IN:
        hmp_greet(m);
        break;
    case CHARDEV_EVENT_MUX_OUT:
        break;
    }
}

void monitor_init_hmp(Chardev *chr)
{
    HmpMonitor *m = g_new0(HmpMonitor, 1);

    m->chr = chr;
    hmp_context_init(&m->ctx);
    m->line = g_string_new(NULL);
    m->history = g_ptr_array_new_with_free_func(g_free);
    chardev_set_handlers(chr, hmp_can_read, hmp_read, m);
    chardev_set_event_handler(chr, hmp_event);
}

char *hmp_run_command_cpu(const char *cmdline, int cpu_index)
{
    /* One context for all callers, so that `cpu N` sticks between the
       commands of a gdb session. */
    static HmpContext ctx;
    int saved;

    if (!ctx.out)
        hmp_context_init(&ctx);
    saved = ctx.cpu_index;
    if (cpu_index >= 0)
        ctx.cpu_index = cpu_index;
    g_string_truncate(ctx.out, 0);
    hmp_execute(&ctx, cmdline);
    if (cpu_index >= 0)
        ctx.cpu_index = saved;
    return g_strdup(ctx.out->str);
}

char *hmp_run_command(const char *cmdline)
{
    return hmp_run_command_cpu(cmdline, -1);
}
