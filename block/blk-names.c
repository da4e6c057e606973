/*
 * Named block backends: -drive id=ID and -blockdev node-name=NAME register
 * their image here, and -device virtio-blk-device,drive=ID finds it (as
 * QEMU's blk_by_name and node lookup).  A name may stand for an empty
 * drive (-drive if=none,id=X with no file).  The registry also closes
 * every image at exit, flushing it, whether the guest powered off or the
 * user pressed Ctrl-C.  The messages of a failed claim are QEMU's.
 */
#include <string.h>

#include <glib.h>

#include "mimic/block.h"

typedef struct NamedBlk {
    char *id;
    BlockBackend *blk;
    unsigned flags;
    bool attached;
} NamedBlk;

static GPtrArray *drives;

static NamedBlk *find(const char *id)
{
    for (guint i = 0; drives && i < drives->len; i++) {
        NamedBlk *d = g_ptr_array_index(drives, i);

        if (!strcmp(d->id, id))
            return d;
    }
    return NULL;
}

bool blk_register_full(const char *id, BlockBackend *blk, unsigned flags,
                       char **err)
{
    NamedBlk *d;

    if (find(id)) {
        *err = g_strdup_printf("duplicate drive id '%s'", id);
        return false;
    }
    if (!drives)
        drives = g_ptr_array_new();
    d = g_new0(NamedBlk, 1);
    d->id = g_strdup(id);
    d->blk = blk;
    d->flags = flags;
    g_ptr_array_add(drives, d);
    return true;
}

bool blk_register(const char *id, BlockBackend *blk, char **err)
{
    return blk_register_full(id, blk, 0, err);
}

bool blk_name_exists(const char *id)
{
    return find(id) != NULL;
}

BlockBackend *blk_by_name(const char *id)
{
    NamedBlk *d = find(id);

    return d ? d->blk : NULL;
}

bool blk_claim_for(const char *id, const char *prop, char **err)
{
    NamedBlk *d = find(id);

    if (!d) {
        *err = g_strdup_printf("Property '%s' can't find value '%s'", prop, id);
        return false;
    }
    if (d->attached && (d->flags & BLK_NAME_NODE)) {
        *err = g_strdup_printf("Permission conflict on node '%s': it is "
                               "already used by another device", id);
        return false;
    }
    if (d->attached && (d->flags & BLK_NAME_AUTO)) {
        *err = g_strdup_printf("Drive '%s' is already in use because it has "
                               "been automatically connected to another "
                               "device (did you need 'if=none' in the drive "
                               "options?)", id);
        return false;
    }
    if (d->attached) {
        *err = g_strdup_printf("Drive '%s' is already in use by another "
                               "device", id);
        return false;
    }
    if (!d->blk && (d->flags & BLK_NAME_NODE)) {
        *err = g_strdup_printf("Permission conflict on node '%s': it is the "
                               "file of a format node (give the device that "
                               "node)", id);
        return false;
    }
    if (!d->blk) {
        *err = g_strdup("Device needs media, but drive is empty");
        return false;
    }
    if (d->flags & BLK_NAME_RO_CHILD) {
        *err = g_strdup("Block node is read-only");
        return false;
    }
    d->attached = true;
    return true;
}

bool blk_claim(const char *id, char **err)
{
    return blk_claim_for(id, "drive", err);
}

bool blk_is_claimed(const char *id)
{
    NamedBlk *d = find(id);

    return d && d->attached;
}

void blk_names_foreach(BlkNameFn fn, void *opaque)
{
    for (guint i = 0; drives && i < drives->len; i++) {
        NamedBlk *d = g_ptr_array_index(drives, i);

        fn(d->id, d->blk, d->flags, d->attached, opaque);
    }
}

void blk_close_all(void)
{
    for (guint i = 0; drives && i < drives->len; i++) {
        NamedBlk *d = g_ptr_array_index(drives, i);

        if (d->blk)
            blk_close(d->blk);
        g_free(d->id);
        g_free(d);
    }
    if (drives)
        g_ptr_array_free(drives, TRUE);
    drives = NULL;
}
