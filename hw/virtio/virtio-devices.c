/*
 * The table of virtio device models that -device can create, one entry
 * per model, independent of the transport: the entry "virtio-rng" gives
 * both QEMU names, virtio-rng-device (a virtio-mmio slot) and
 * virtio-rng-pci (a function on the PCI bus, with the entry's PCI class
 * and MSI-X vector count).  Adding a model to both transports is one line
 * in device_types[].  Each entry takes the options of its -device string;
 * the -pci names also take the transport's (addr, bus, multifunction,
 * disable-legacy, disable-modern, romfile, vectors, id); the caller
 * complains about any left over.
 */
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "mimic/block.h"
#include "mimic/options.h"
#include "mimic/rng.h"
#include "mimic/virtio-devices.h"

typedef struct VirtIODeviceType {
    const char *name;            /* "virtio-rng": -device NAME-device, NAME-pci */
    const char *desc;
    uint16_t pci_class;          /* NAME-pci's class code (QEMU's) */
    unsigned pci_vectors;        /* NAME-pci's MSI-X vectors (QEMU's) */
    VirtIODevice *(*create)(GHashTable *opts, char **err);
} VirtIODeviceType;

static VirtIODevice *create_rng(GHashTable *opts, char **err)
{
    g_autofree char *id = opts_take(opts, "rng");
    g_autofree char *max_bytes = opts_take(opts, "max-bytes");
    g_autofree char *period = opts_take(opts, "period");
    RngBackend *rng = NULL;
    VirtIODevice *vdev;

    if (id) {
        rng = rng_backend_find(id);
        if (!rng) {
            *err = g_strdup_printf("Device '%s' not found", id);
            return NULL;
        }
    }
    vdev = virtio_rng_create_backend(rng, err);
    if (vdev && !virtio_rng_set_limit(vdev, max_bytes, period, err))
        return NULL;
    return vdev;
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
        *err = g_strdup("virtio-blk needs drive=ID (a -drive "
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

static VirtIODevice *create_9p(GHashTable *opts, char **err)
{
    g_autofree char *fsdev = opts_take(opts, "fsdev");
    g_autofree char *tag = opts_take(opts, "mount_tag");

    return virtio_9p_create(fsdev, tag, err);
}

static VirtIODevice *create_serial(GHashTable *opts, char **err)
{
    g_autofree char *id = opts_take(opts, "id");
    g_autofree char *max_ports = opts_take(opts, "max_ports");

    return virtio_serial_create(id, max_ports, err);
}

/* A port joins its virtio-serial device: nothing new to plug. */
static VirtIODevice *add_port(GHashTable *opts, bool console, char **err)
{
    g_autofree char *chardev = opts_take(opts, "chardev");
    g_autofree char *name = opts_take(opts, "name");
    g_autofree char *nr = opts_take(opts, "nr");
    g_autofree char *bus = opts_take(opts, "bus");

    g_free(opts_take(opts, "id"));
    virtio_serial_port_add(console, chardev, name, nr, bus, err);
    return NULL;
}

static const VirtIODeviceType device_types[] = {
    { "virtio-blk", "disk (drive=ID, serial=S)", 0x0100, 2, create_blk },
    { "virtio-rng", "entropy from the host (rng=ID: an -object rng-random or "
      "rng-builtin; default getrandom; max-bytes=N,period=MS)", 0x00ff, 2,
      create_rng },
    { "virtio-net", "network card (netdev=ID, mac=MAC)", 0x0200, 3, create_net },
    { "virtio-gpu", "2D display (xres=W, yres=H: the preferred mode, "
      "1280x800)", 0x0380, 2, create_gpu },
    { "virtio-keyboard", "keyboard", 0x0900, 2, create_keyboard },
    { "virtio-tablet", "absolute pointer (follows the host pointer)", 0x0980,
      2, create_tablet },
    { "virtio-mouse", "relative mouse", 0x0902, 2, create_mouse },
    { "virtio-9p", "a host folder shared over 9P (fsdev=ID, mount_tag=TAG)",
      0x0002, 2, create_9p },
    { "virtio-serial", "serial ports and consoles (max_ports=N, default 31)",
      0x0780, 2, create_serial },
};

/* The model a -device name names, and the transport its suffix asks for. */
static const VirtIODeviceType *lookup(const char *name, VirtIOTransport *t)
{
    for (size_t i = 0; i < G_N_ELEMENTS(device_types); i++) {
        size_t n = strlen(device_types[i].name);

        if (strncmp(name, device_types[i].name, n))
            continue;
        if (!strcmp(name + n, "-device")) {
            *t = VIRTIO_TRANSPORT_MMIO;
            return &device_types[i];
        }
        if (!strcmp(name + n, "-pci")) {
            *t = VIRTIO_TRANSPORT_PCI;
            return &device_types[i];
        }
    }
    return NULL;
}

bool virtio_device_known(const char *name)
{
    VirtIOTransport t;

    return lookup(name, &t) != NULL || !strcmp(name, "virtconsole") ||
           !strcmp(name, "virtserialport");
}

static bool take_onoffauto(GHashTable *opts, const char *key,
                           VirtIOPCIOnOffAuto *v, char **err)
{
    g_autofree char *s = opts_take(opts, key);
    bool b;

    if (!s || !strcmp(s, "auto"))
        return true;
    if (!opts_parse_bool(s, &b)) {
        *err = g_strdup_printf("%s=%s: expected on, off or auto", key, s);
        return false;
    }
    *v = b ? VIRTIO_PCI_ON : VIRTIO_PCI_OFF;
    return true;
}

/* addr=SLOT[.FN], hexadecimal as in QEMU (addr=0x3, addr=03.1). */
static bool parse_devfn(const char *s, int *devfn, char **err)
{
    char *end;
    unsigned long slot = strtoul(s, &end, 16), fn = 0;

    if (end == s)
        goto bad;
    if (*end == '.') {
        const char *f = end + 1;

        fn = strtoul(f, &end, 16);
        if (end == f)
            goto bad;
    }
    if (*end || slot > 31 || fn > 7)
        goto bad;
    *devfn = (int)(slot << 3 | fn);
    return true;
bad:
    *err = g_strdup_printf("addr=%s: expected SLOT[.FN] (slot 0-1f, "
                           "function 0-7)", s);
    return false;
}

/* romfile=: QEMU loads an option ROM for the firmware of a PC; RISC-V
   firmware runs none, so none is exposed.  A file named must exist, as
   QEMU requires. */
static bool take_romfile(GHashTable *opts, char **err)
{
    g_autofree char *rom = opts_take(opts, "romfile");

    if (rom && *rom && !g_file_test(rom, G_FILE_TEST_IS_REGULAR)) {
        *err = g_strdup_printf("failed to find romfile \"%s\"", rom);
        return false;
    }
    return true;
}

static bool take_pci_options(GHashTable *opts, const VirtIODeviceType *type,
                             VirtIODeviceRequest *req, char **err)
{
    VirtIOPCIOptions *o = &req->pci;
    g_autofree char *addr = opts_take(opts, "addr");
    g_autofree char *mf = opts_take(opts, "multifunction");
    g_autofree char *vectors = opts_take(opts, "vectors");

    *o = (VirtIOPCIOptions)VIRTIO_PCI_OPTIONS_DEFAULT;
    o->class_code = type->pci_class;
    o->vectors = type->pci_vectors;
    req->bus = opts_take(opts, "bus");
    if (addr && !parse_devfn(addr, &o->devfn, err))
        return false;
    if (mf && !opts_parse_bool(mf, &o->multifunction)) {
        *err = g_strdup_printf("multifunction=%s: expected on or off", mf);
        return false;
    }
    if (vectors) {
        char *end;
        unsigned long v = strtoul(vectors, &end, 0);

        if (*end || end == vectors || v < 1 || v > 64) {
            *err = g_strdup_printf("vectors=%s: expected 1 to 64", vectors);
            return false;
        }
        o->vectors = (unsigned)v;
    }
    return take_onoffauto(opts, "disable-legacy", &o->disable_legacy, err) &&
           take_onoffauto(opts, "disable-modern", &o->disable_modern, err) &&
           take_romfile(opts, err);
}

bool virtio_device_create(const char *name, GHashTable *opts,
                          VirtIODeviceRequest *req, char **err)
{
    const VirtIODeviceType *type;

    memset(req, 0, sizeof(*req));
    if (!strcmp(name, "virtconsole") || !strcmp(name, "virtserialport")) {
        req->transport = VIRTIO_TRANSPORT_NONE;
        add_port(opts, !strcmp(name, "virtconsole"), err);
        return *err == NULL;
    }
    type = lookup(name, &req->transport);
    if (!type) {
        *err = g_strdup_printf("'%s' is not a valid device model name "
                               "(-device help lists them)", name);
        return false;
    }
    if (req->transport == VIRTIO_TRANSPORT_PCI &&
        !take_pci_options(opts, type, req, err))
        return false;
    /* bootindex= orders what firmware boots from (libvirt sets it): the
       virt board's firmware reads no boot order, so it changes nothing. */
    g_autofree char *bootindex = opts_take(opts, "bootindex");
    if (bootindex) {
        char *end;

        strtol(bootindex, &end, 10);
        if (end == bootindex || *end) {
            *err = g_strdup_printf("bootindex=%s: expected a number",
                                   bootindex);
            return false;
        }
    }
    req->vdev = type->create(opts, err);
    /* id= names the device for the monitor (virtio-serial's ports find
       their device by it, and take it themselves). */
    g_free(opts_take(opts, "id"));
    return req->vdev != NULL;
}

bool virtio_device_plug_pci(VirtIODeviceRequest *req, char **err)
{
    PCIBus *bus = pci_default_bus();

    if (!bus) {
        *err = g_strdup("this machine has no PCI bus");
        return false;
    }
    if (req->bus && strcmp(req->bus, pci_bus_name(bus))) {
        *err = g_strdup_printf("Bus '%s' not found (the PCI bus is %s)",
                               req->bus, pci_bus_name(bus));
        return false;
    }
    return virtio_pci_create(bus, req->vdev, &req->pci, err) != NULL;
}

bool virtio_blk_pci_create_for_drive(const char *drive_id, const char *serial,
                                     char **err)
{
    VirtIODeviceRequest req = { .transport = VIRTIO_TRANSPORT_PCI,
                                .pci = VIRTIO_PCI_OPTIONS_DEFAULT };

    req.pci.class_code = device_types[0].pci_class;
    req.pci.vectors = device_types[0].pci_vectors;
    if (!blk_claim(drive_id, err))
        return false;
    req.vdev = virtio_blk_create(blk_by_name(drive_id), serial, err);
    return req.vdev && virtio_device_plug_pci(&req, err);
}

void virtio_device_print_list(FILE *f)
{
    fprintf(f, "Virtio devices (NAME-device: on the board's virtio-mmio "
            "slots; NAME-pci: on its PCI bus):\n");
    for (size_t i = 0; i < G_N_ELEMENTS(device_types); i++) {
        fprintf(f, "name \"%s-device\", desc \"%s\"\n",
                device_types[i].name, device_types[i].desc);
        fprintf(f, "name \"%s-pci\", bus PCI, desc \"%s\"\n",
                device_types[i].name, device_types[i].desc);
    }
    fprintf(f, "name \"virtconsole\", bus virtio-serial-bus, desc \"a "
            "console (hvc) on a virtio-serial device (chardev=ID, name=N, "
            "nr=N, bus=B)\"\n");
    fprintf(f, "name \"virtserialport\", bus virtio-serial-bus, desc \"a "
            "port on a virtio-serial device (chardev=ID, name=N, nr=N, "
            "bus=B)\"\n");
}
