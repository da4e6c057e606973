/*
 * -fsdev and -virtfs (include/mimic/virtfs.h).  -virtfs local,path=DIR,
 * mount_tag=TAG,security_model=M[,id=ID][,readonly=on][,...] stands for
 * -fsdev local,id=ID,path=DIR,... (ID defaults to the tag, as in QEMU)
 * and a virtio-9p device with that tag.  QEMU's virt board makes it a
 * virtio-9p-pci device, and so does Mimic.
 */
#include <string.h>

#include "mimic/9p.h"
#include "mimic/options.h"
#include "mimic/virtfs.h"

/* Appends ,key=value to an option string, doubling commas. */
static void append_opt(GString *spec, const char *key, const char *value)
{
    g_string_append_printf(spec, ",%s=", key);
    for (const char *p = value; *p; p++) {
        if (*p == ',')
            g_string_append_c(spec, ',');
        g_string_append_c(spec, *p);
    }
}

static bool expand_virtfs(const char *spec, GPtrArray *devices, char **err)
{
    g_autoptr(GHashTable) opts = opts_parse(spec, "fsdriver", err);
    g_autofree char *driver = NULL, *tag = NULL, *id = NULL;
    g_autoptr(GString) fs = NULL;
    GString *dev;
    GHashTableIter it;
    gpointer k, v;

    if (!opts)
        return false;
    driver = opts_take(opts, "fsdriver");
    tag = opts_take(opts, "mount_tag");
    id = opts_take(opts, "id");
    if (!driver || !tag) {
        *err = g_strdup("Usage: -virtfs fsdriver,mount_tag=tag");
        return false;
    }
    fs = g_string_new(NULL);
    g_string_append(fs, driver);
    for (const char *p = fs->str; *p; p++) {
        if (*p == ',') {
            *err = g_strdup_printf("fsdriver %s not found", driver);
            return false;
        }
    }
    append_opt(fs, "id", id ? id : tag);
    g_hash_table_iter_init(&it, opts);
    while (g_hash_table_iter_next(&it, &k, &v))
        append_opt(fs, k, v);
    if (!fsdev_new(fs->str, err))
        return false;
    dev = g_string_new("virtio-9p-pci");
    append_opt(dev, "fsdev", id ? id : tag);
    append_opt(dev, "mount_tag", tag);
    g_ptr_array_add(devices, g_string_free(dev, FALSE));
    return true;
}

bool virtfs_setup(GPtrArray *fsdevs, GPtrArray *virtfs, GPtrArray *devices,
                  char **err)
{
    for (guint i = 0; i < fsdevs->len; i++) {
        const char *spec = g_ptr_array_index(fsdevs, i);
        g_autofree char *why = NULL;

        if (!fsdev_new(spec, &why)) {
            *err = g_strdup_printf("-fsdev %s: %s", spec, why);
            return false;
        }
    }
    for (guint i = 0; i < virtfs->len; i++) {
        const char *spec = g_ptr_array_index(virtfs, i);
        g_autofree char *why = NULL;

        if (!expand_virtfs(spec, devices, &why)) {
            *err = g_strdup_printf("-virtfs %s: %s", spec, why);
            return false;
        }
    }
    return true;
}
