/*
 * The table of virtio devices that -device can create, by QEMU's names
 * (virtio-rng-device, ...).  Each entry takes the options of its -device
 * string (the caller complains about any left over).
 */
#include <string.h>

#include <glib.h>

#include "mimic/block.h"
#include "mimic/options.h"
#include "mimic/virtio-devices.h"

typedef struct VirtIODeviceType {
    const char *name;
    const char *desc;
    VirtIODevice *(*create)(GHashTable *opts, char **err);
} VirtIODeviceType;

static VirtIODevice *create_rng(GHashTable *opts, char **err)
{
    (void)opts;
    return virtio_rng_create(err);
}

static VirtIODevice *create_net(GHashTable *opts, char **err)
{
    g_autofree char *netdev = opts_take(opts, "netdev");
    g_autofree char *mac = opts_take(opts, "mac");

    return virtio_net_create(netdev, mac, err);
}

static VirtIODevice *create_blk(GHashTable *opts, char **err)
{
    g_autofree char *drive = opts_take(opts, "drive");
    g_autofree char *serial = opts_take(opts, "serial");

    if (!drive) {
        *err = g_strdup("virtio-blk-device needs drive=ID (a -drive "
                        "...,if=none,id=ID)");
        return NULL;
    }
    if (!blk_claim_for(drive, "virtio-blk-device.drive", err))
        return NULL;
    return virtio_blk_create(blk_by_name(drive), serial, err);
}

static VirtIODevice *create_gpu(GHashTable *opts, char **err)
{
    g_autofree char *xres = opts_take(opts, "xres");
    g_autofree char *yres = opts_take(opts, "yres");

    return virtio_gpu_create(xres, yres, err);
}

static VirtIODevice *create_keyboard(GHashTable *opts, char **err)
{
    (void)opts;
    return virtio_keyboard_create(err);
}

static VirtIODevice *create_tablet(GHashTable *opts, char **err)
{
    (void)opts;
    return virtio_tablet_create(err);
}

static VirtIODevice *create_mouse(GHashTable *opts, char **err)
{
    (void)opts;
    return virtio_mouse_create(err);
}

static const VirtIODeviceType device_types[] = {
    { "virtio-blk-device", "disk (drive=ID, serial=S)", create_blk },
    { "virtio-rng-device", "entropy from the host (getrandom)", create_rng },
    { "virtio-net-device", "network card (netdev=ID, mac=MAC)", create_net },
    { "virtio-gpu-device", "2D display (xres=W, yres=H: the preferred mode, "
      "1280x800)", create_gpu },
    { "virtio-keyboard-device", "keyboard", create_keyboard },
    { "virtio-tablet-device", "absolute pointer (follows the host pointer)",
      create_tablet },
    { "virtio-mouse-device", "relative mouse", create_mouse },
};

bool virtio_device_known(const char *name)
{
    for (size_t i = 0; i < G_N_ELEMENTS(device_types); i++) {
        if (!strcmp(device_types[i].name, name))
            return true;
    }
    return false;
}

VirtIODevice *virtio_device_create(const char *name, GHashTable *opts,
                                   char **err)
{
    for (size_t i = 0; i < G_N_ELEMENTS(device_types); i++) {
        if (!strcmp(device_types[i].name, name))
            return device_types[i].create(opts, err);
    }
    *err = g_strdup_printf("'%s' is not a valid device model name "
                           "(-device help lists them)", name);
    return NULL;
}

void virtio_device_print_list(FILE *f)
{
    fprintf(f, "Virtio devices (on the board's virtio-mmio slots):\n");
    for (size_t i = 0; i < G_N_ELEMENTS(device_types); i++)
        fprintf(f, "name \"%s\", desc \"%s\"\n", device_types[i].name,
                device_types[i].desc);
}
