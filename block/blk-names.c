/*
 * Named block backends: -drive id=ID registers its image here, and
 * -device virtio-blk-device,drive=ID finds it (as QEMU's blk_by_name).
 * The registry also closes every image at exit, flushing it, whether the
 * guest powered off or the user pressed Ctrl-C.
 */
#include <string.h>

#include <glib.h>

#include "mimic/block.h"

typedef struct NamedBlk {
    char *id;
    BlockBackend *blk;
    bool attached;
} NamedBlk;

static GPtrArray *drives;

bool blk_register(const char *id, BlockBackend *blk, char **err)
{
    NamedBlk *d;

    if (blk_by_name(id)) {
        *err = g_strdup_printf("duplicate drive id '%s'", id);
        return false;
    }
    if (!drives)
        drives = g_ptr_array_new();
    d = g_new0(NamedBlk, 1);
    d->id = g_strdup(id);
    d->blk = blk;
    g_ptr_array_add(drives, d);
    return true;
}

static NamedBlk *find(const char *id)
{
    for (guint i = 0; drives && i < drives->len; i++) {
        NamedBlk *d = g_ptr_array_index(drives, i);

        if (!strcmp(d->id, id))
            return d;
    }
    return NULL;
}

BlockBackend *blk_by_name(const char *id)
{
    NamedBlk *d = find(id);

    return d ? d->blk : NULL;
}

bool blk_claim(const char *id, char **err)
{
    NamedBlk *d = find(id);

    if (!d) {
        *err = g_strdup_printf("no drive with id '%s' (-drive ...,if=none,id=%s)",
                               id, id);
        return false;
    }
    if (d->attached) {
        *err = g_strdup_printf("drive '%s' is already in use by a device", id);
        return false;
    }
    d->attached = true;
    return true;
}

void blk_close_all(void)
{
    for (guint i = 0; drives && i < drives->len; i++) {
        NamedBlk *d = g_ptr_array_index(drives, i);

        blk_close(d->blk);
        g_free(d->id);
        g_free(d);
    }
    if (drives)
        g_ptr_array_free(drives, TRUE);
    drives = NULL;
}
