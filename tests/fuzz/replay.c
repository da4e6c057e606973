/*
 * Replays stored inputs through a fuzz harness without libFuzzer: each
 * argument is an input file or a directory of them (in name order), and
 * each is passed once to LLVMFuzzerTestOneInput().  make check builds
 * every harness this way with the normal compiler, so the seed corpus and
 * the regression inputs of tests/fuzz/ run in every check: a crash, an
 * abort or a hang shows up as this program failing.
 */
#include <stdio.h>
#include <stdlib.h>

#include <glib.h>

#include "fuzz.h"

static int run_file(const char *path)
{
    gchar *data;
    gsize len;
    GError *gerr = NULL;

    if (!g_file_get_contents(path, &data, &len, &gerr)) {
        fprintf(stderr, "replay: %s\n", gerr->message);
        exit(2);
    }
    LLVMFuzzerTestOneInput((const uint8_t *)data, len);
    g_free(data);
    return 1;
}

static int cmp_str(gconstpointer a, gconstpointer b)
{
    return g_strcmp0(*(char *const *)a, *(char *const *)b);
}

static int run_dir(const char *dir)
{
    GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
    GDir *d = g_dir_open(dir, 0, NULL);
    const char *name;
    int n = 0;

    while (d && (name = g_dir_read_name(d))) {
        if (name[0] != '.')
            g_ptr_array_add(names, g_build_filename(dir, name, NULL));
    }
    if (d)
        g_dir_close(d);
    g_ptr_array_sort(names, cmp_str);
    for (guint i = 0; i < names->len; i++) {
        const char *path = g_ptr_array_index(names, i);

        if (g_file_test(path, G_FILE_TEST_IS_REGULAR))
            n += run_file(path);
    }
    g_ptr_array_free(names, TRUE);
    return n;
}

int main(int argc, char **argv)
{
    int n = 0;

    for (int i = 1; i < argc; i++) {
        if (g_file_test(argv[i], G_FILE_TEST_IS_DIR))
            n += run_dir(argv[i]);
        else if (g_file_test(argv[i], G_FILE_TEST_EXISTS))
            n += run_file(argv[i]);
    }
    printf("%d\n", n);
    return 0;
}
