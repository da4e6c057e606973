/*
 * The virtio-pci transport (hw/virtio/virtio-pci.c): puts a virtio device
 * (any model of hw/virtio/virtio-devices.c) behind a PCI function with
 * QEMU's IDs, BARs and capabilities, on a PCI bus (include/mimic/pci.h).
 *
 *   VirtIOPCIOptions o = VIRTIO_PCI_OPTIONS_DEFAULT;
 *   o.class_code = 0x0100;
 *   if (!virtio_pci_create(pci_default_bus(), vdev, &o, &err)) ...
 */
#ifndef MIMIC_VIRTIO_PCI_H
#define MIMIC_VIRTIO_PCI_H

#include <stdbool.h>
#include <stdint.h>

#include "mimic/pci.h"
#include "mimic/virtio.h"

typedef enum VirtIOPCIOnOffAuto {
    VIRTIO_PCI_AUTO,
    VIRTIO_PCI_ON,
    VIRTIO_PCI_OFF,
} VirtIOPCIOnOffAuto;

/* The transport's -device properties, with QEMU's defaults. */
typedef struct VirtIOPCIOptions {
    int devfn;                   /* addr=SLOT[.FN]; -1: first free slot */
    bool multifunction;
    VirtIOPCIOnOffAuto disable_legacy, disable_modern;
    unsigned vectors;            /* MSI-X table size; 0: 2 */
    uint16_t class_code;         /* the model's (base << 8 | sub) */
} VirtIOPCIOptions;

#define VIRTIO_PCI_OPTIONS_DEFAULT { .devfn = -1 }

typedef struct VirtIOPCIProxy VirtIOPCIProxy;

/* Plugs vdev on bus behind a new function; NULL with *err (g_free it) if
   the address is taken or an option cannot be honoured. */
VirtIOPCIProxy *virtio_pci_create(PCIBus *bus, VirtIODevice *vdev,
                                  const VirtIOPCIOptions *o, char **err);
PCIDevice *virtio_pci_device(VirtIOPCIProxy *p);
/* Has this virtio device ID a transitional (legacy) PCI device ID? */
bool virtio_pci_has_legacy_id(uint16_t virtio_id);

#endif
