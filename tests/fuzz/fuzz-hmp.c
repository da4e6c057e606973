/* needs: riscv64-softmmu */
/*
 * Fuzzes the human monitor's command interpreter (monitor/hmp-cmds.c):
 * command lookup, the x/xp /FMT parser, the address expressions
 * (hmp-expr.c), info and help, on a -M virt machine whose harts never
 * run.  Each input is a list of command lines run in one context.  Lines
 * naming a command that would reach outside the process (gdbserver opens
 * a socket, screendump writes a file, log floods stderr) are skipped.
 */
#include <string.h>

#include <glib.h>

#include "../../monitor/monitor-internal.h"
#include "fuzz.h"

static bool skipped(const char *line)
{
    static const char *const names[] = {"gdbserver", "screendump", "log"};
    g_autofree char *l = g_strstrip(g_strdup(line));
    size_t n = strcspn(l, " \t/");

    for (size_t i = 0; i < G_N_ELEMENTS(names); i++) {
        if (n == strlen(names[i]) && !strncmp(l, names[i], n))
            return true;
    }
    return false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    g_autofree char *text = g_strndup((const char *)data, size);
    g_auto(GStrv) lines = NULL;
    HmpContext c;

    fuzz_machine();
    hmp_context_init(&c);
    lines = g_strsplit(text, "\n", 64);
    for (int i = 0; lines[i]; i++) {
        if (!skipped(lines[i]))
            hmp_execute(&c, lines[i]);
    }
    g_string_free(c.out, TRUE);
    return 0;
}
