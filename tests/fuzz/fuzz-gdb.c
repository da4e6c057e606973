/* needs: riscv64-softmmu */
/*
 * Fuzzes the GDB remote protocol server (gdbstub/): the packet layer
 * (framing, checksums, acks, escapes) and every command handler
 * (registers, memory, break- and watchpoints, threads, vCont, queries,
 * qXfer, qRcmd) against the two harts of a -M virt machine that never
 * run: a resume only marks the machine running, and the next packet stops
 * it again.  Each input is one gdb session on a null chardev.
 *
 * What would end the fuzzing process's usefulness is kept out: kill
 * packets (k, vKill), monitor commands through qRcmd that quit or reach
 * outside the process, and the test finisher's MMIO (a memory write
 * there powers the machine off), which is disabled.
 */
#define _GNU_SOURCE /* memmem */
#include <ctype.h>
#include <string.h>

#include <glib.h>

#include "fuzz.h"
#include "mimic/gdbstub.h"
#include "mimic/memory.h"

#define VIRT_TEST_BASE 0x100000

static bool has(const uint8_t *data, size_t size, const char *word)
{
    return memmem(data, size, word, strlen(word)) != NULL;
}

/* A monitor command that must not run here: quit, or one that opens
   sockets or files or floods stderr. */
static bool bad_monitor_command(const char *cmd)
{
    static const char *const names[] = {"quit", "q", "gdbserver", "screendump",
                                        "log"};
    g_autofree char *l = g_strstrip(g_strdup(cmd));
    size_t n = strcspn(l, " \t/");

    for (size_t i = 0; i < G_N_ELEMENTS(names); i++) {
        if (n == strlen(names[i]) && !strncmp(l, names[i], n))
            return true;
    }
    return false;
}

/* True if some qRcmd in the input decodes to a command we keep out. */
static bool bad_rcmd(const uint8_t *data, size_t size)
{
    const uint8_t *p = data, *end = data + size;

    while ((p = memmem(p, (size_t)(end - p), "qRcmd,", 6))) {
        GString *cmd = g_string_new(NULL);
        bool bad;

        for (p += 6; p + 1 < end && isxdigit(p[0]) && isxdigit(p[1]); p += 2)
            g_string_append_c(cmd, (char)(g_ascii_xdigit_value(p[0]) << 4 |
                                          g_ascii_xdigit_value(p[1])));
        bad = bad_monitor_command(cmd->str);
        g_string_free(cmd, TRUE);
        if (bad)
            return true;
    }
    return false;
}

static Chardev *setup(void)
{
    static Chardev *chr;
    char *err = NULL;

    if (chr)
        return chr;
    fuzz_machine();
    memory_region_set_enabled(
        address_space_lookup(&address_space_memory, VIRT_TEST_BASE).mr, false);
    chr = fuzz_chardev("fuzzgdb");
    if (!gdbserver_start("chardev:fuzzgdb", &err)) {
        fprintf(stderr, "fuzz: gdbserver: %s\n", err);
        abort();
    }
    return chr;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    Chardev *chr;

    if (has(data, size, "$k") || has(data, size, "vKill") ||
        bad_rcmd(data, size))
        return 0;
    chr = setup();
    fuzz_chardev_reconnect(chr);
    fuzz_chardev_feed(chr, data, size);
    return 0;
}
