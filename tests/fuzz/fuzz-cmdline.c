/* needs: none */
/*
 * Fuzzes the parsers of command-line option strings, without a machine:
 * the key=value splitter that -machine, -m, -smp, -accel, -drive,
 * -netdev, -device, -chardev and -mon all go through (util/options.c,
 * with ",," escapes, implied keys and repeated hostfwd=), its size and
 * boolean values, the -d item list (util/log.c), -display (ui/), and
 * the -drive and -blockdev readers (system/drive.c, blockdev.c: options,
 * placement, key=value and JSON nodes; nothing is opened).  The first
 * byte picks the parser (0xf0: -drive, 0xf1: -blockdev, else modulo 10);
 * the rest, up to a NUL, is the string.
 * A parser may refuse the string, but must not crash, leak or hang.
 */
#include <string.h>

#include <glib.h>

#include "fuzz.h"
#include "mimic/log.h"
#include "mimic/options.h"
#include "mimic/ui.h"
#include "system/drive-int.h"

/* The implied keys of the options that take a key=value string. */
static const char *const implied[] = {
    "type", "size", "cpus", "accel", "driver", "backend", "file", NULL,
};

static void check_values(GHashTable *opts)
{
    GHashTableIter it;
    gpointer key, value;

    g_hash_table_iter_init(&it, opts);
    while (g_hash_table_iter_next(&it, &key, &value)) {
        bool b;
        uint64_t n;

        opts_parse_bool(value, &b);
        opts_parse_size(value, 1, &n);
        opts_parse_size(value, 1ull << 20, &n);
    }
}

static void parse_opts(const char *s, int which)
{
    char *err = NULL;
    GHashTable *opts = opts_parse(s, implied[which % 7], &err);

    if (!opts) {
        g_free(err);
        return;
    }
    check_values(opts);
    g_free(opts_take(opts, implied[which % 7]));
    opts_first_key(opts);
    g_hash_table_unref(opts);
}

static void parse_multi(const char *s)
{
    GPtrArray *fwds = g_ptr_array_new_with_free_func(g_free);
    char *err = NULL;
    GHashTable *opts = opts_parse_multi(s, "type", "hostfwd", fwds, &err);

    if (opts) {
        check_values(opts);
        g_hash_table_unref(opts);
    }
    g_free(err);
    g_ptr_array_free(fwds, TRUE);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s;
    char *err = NULL;
    unsigned mask;
    const char *bad;
    UIDisplayType type;

    if (size < 1)
        return 0;
    s = g_strndup((const char *)data + 1, size - 1);
    if (data[0] == 0xf0 || data[0] == 0xf1) {
        if (!(data[0] == 0xf0 ? drive_parse_only(s, &err)
                              : blockdev_parse_only(s, &err)))
            g_free(err);
        g_free(s);
        return 0;
    }
    switch (data[0] % 10) {
    case 7:
        parse_multi(s);
        break;
    case 8:
        log_parse_items(s, &mask, &bad);
        break;
    case 9:
        if (!ui_display_parse(s, &type, &err))
            g_free(err);
        break;
    default:
        parse_opts(s, data[0] % 10);
        break;
    }
    g_free(s);
    return 0;
}
