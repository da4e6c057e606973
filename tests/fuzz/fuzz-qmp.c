/* needs: riscv64-softmmu */
/*
 * Fuzzes QMP (monitor/qmp.c): the framer that cuts the byte stream into
 * JSON messages, json-glib's parser, the checks of a request (execute,
 * id, arguments and their types), capability negotiation and the
 * commands, on a -M virt machine whose harts never run.  Each input is
 * one client session on a null chardev.  Inputs that would reach the
 * host outside the process (screendump writes a file; gdbserver and log,
 * through human-monitor-command, open sockets or flood stderr) or escape
 * a name with \u (to hide one of those) are skipped.
 */
#define _GNU_SOURCE /* memmem */
#include <string.h>

#include "fuzz.h"
#include "mimic/monitor.h"

static bool has(const uint8_t *data, size_t size, const char *word)
{
    return memmem(data, size, word, strlen(word)) != NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static Chardev *chr;

    if (has(data, size, "screendump") || has(data, size, "gdbserver") ||
        has(data, size, "log") || has(data, size, "\\u"))
        return 0;
    if (!chr) {
        fuzz_machine();
        chr = fuzz_chardev("fuzzqmp");
        monitor_init_qmp(chr, false);
    }
    fuzz_chardev_reconnect(chr);
    fuzz_chardev_feed(chr, data, size);
    return 0;
}
