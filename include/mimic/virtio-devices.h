/*
 * The virtio devices that -device creates (hw/virtio/), one entry per
 * device model in hw/virtio/virtio-devices.c, each reachable by two names:
 * NAME-device on the board's virtio-mmio slots and NAME-pci on its PCI
 * bus (virtio-rng-device, virtio-rng-pci).  A device takes its options
 * from the -device string (already split by the caller), and fails with a
 * message in *err (g_free it).
 */
#ifndef MIMIC_VIRTIO_DEVICES_H
#define MIMIC_VIRTIO_DEVICES_H

#include <stdbool.h>
#include <stdio.h>

#include <glib.h>

#include "mimic/virtio-pci.h"
#include "mimic/virtio.h"

typedef enum VirtIOTransport {
    VIRTIO_TRANSPORT_MMIO,
    VIRTIO_TRANSPORT_PCI,
    VIRTIO_TRANSPORT_NONE,       /* a virtio-serial port: nothing to plug */
} VirtIOTransport;

/* What a -device name asks for: the device and its transport. */
typedef struct VirtIODeviceRequest {
    VirtIODevice *vdev;
    VirtIOTransport transport;
    VirtIOPCIOptions pci;        /* the PCI properties, for NAME-pci */
    char *bus;                   /* bus=NAME, or NULL */
} VirtIODeviceRequest;

/* Creates the device named by -device (options in opts: each one used is
   taken out, the transport's too); false with *err for an unknown name or
   a bad option.  A port of a virtio-serial device (virtconsole,
   virtserialport) joins the bus of an earlier device: req->transport is
   VIRTIO_TRANSPORT_NONE and there is nothing to plug. */
bool virtio_device_create(const char *name, GHashTable *opts,
                          VirtIODeviceRequest *req, char **err);
/* Plugs a created -pci device on the machine's PCI bus (the one bus=
   names); false with *err. */
bool virtio_device_plug_pci(VirtIODeviceRequest *req, char **err);
bool virtio_device_known(const char *name);
/* -device help */
void virtio_device_print_list(FILE *f);
/* A virtio-blk-pci for the drive registered as drive_id (the -drive
   if=virtio disk of QEMU's virt), on the first free slot. */
bool virtio_blk_pci_create_for_drive(const char *drive_id, const char *serial,
                                     char **err);

/* virtio-rng-device: random bytes from the host's getrandom(). */
VirtIODevice *virtio_rng_create(char **err);
/* virtio-rng-device,rng=ID: from an -object rng-* backend (NULL: as
   above). */
typedef struct RngBackend RngBackend;
VirtIODevice *virtio_rng_create_backend(RngBackend *rng, char **err);
/* max-bytes=N,period=MS (either may be NULL): at most N bytes per MS ms. */
bool virtio_rng_set_limit(VirtIODevice *vdev, const char *max_bytes,
                          const char *period, char **err);
/* virtio-blk-device,drive=ID[,serial=S]: a disk on a block backend. */
typedef struct BlockBackend BlockBackend;
VirtIODevice *virtio_blk_create(BlockBackend *blk, const char *serial,
                                char **err);
/* virtio-net-device,netdev=ID[,mac=MAC]: a NIC on a network backend. */
VirtIODevice *virtio_net_create(const char *netdev, const char *mac,
                                char **err);

/* virtio-serial-device[,id=ID][,max_ports=N]: a console device whose
   ports (below) join it, by bus=ID.0 or as the first one (hw/char/). */
VirtIODevice *virtio_serial_create(const char *id, const char *max_ports,
                                   char **err);
/* virtconsole (console) or virtserialport,chardev=ID[,name=N][,nr=N]
   [,bus=B]: a port on a virtio-serial device, to a chardev backend. */
bool virtio_serial_port_add(bool console, const char *chardev,
                            const char *name, const char *nr, const char *bus,
                            char **err);

/* virtio-gpu-device[,xres=W][,yres=H]: a 2D display (hw/display/). */
VirtIODevice *virtio_gpu_create(const char *xres, const char *yres,
                                char **err);
/* virtio-keyboard-device, virtio-tablet-device, virtio-mouse-device: input
   from the UI (hw/input/). */
VirtIODevice *virtio_keyboard_create(char **err);
VirtIODevice *virtio_tablet_create(char **err);
VirtIODevice *virtio_mouse_create(char **err);

/* virtio-9p-device,fsdev=ID,mount_tag=TAG: the -fsdev folder ID shared
   over 9P2000.L (hw/9pfs/). */
VirtIODevice *virtio_9p_create(const char *fsdev, const char *tag,
                               char **err);

#endif
