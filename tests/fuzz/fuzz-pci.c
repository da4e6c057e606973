/* needs: riscv64-softmmu */
/*
 * Fuzzes what a guest programs on the PCI bus of -M virt (hw/pci/,
 * hw/virtio/virtio-pci.c): configuration writes through ECAM (BARs,
 * command, capabilities, absent functions and buses), accesses to the
 * PCIe windows and the port I/O window wherever the BARs went, the modern
 * and legacy virtio registers found there, and guest RAM for the rings.
 * The input is a script of 12-byte operations (struct Op); a virtio-rng-pci,
 * a virtio-blk-pci and a virtio-net-pci are on the bus.  Whatever the
 * guest writes, the host must not crash, hang or leak; each input starts
 * from a system reset of the bus.
 */
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "fuzz.h"
#include "mimic/block.h"
#include "mimic/net.h"
#include "mimic/pci.h"
#include "mimic/virtio-devices.h"
#include "mimic/virtio-pci.h"

#define ECAM 0x30000000ull
#define PIO 0x3000000ull
#define MMIO32 0x40000000ull
#define MMIO64 0x400000000ull
#define RAM_BASE 0x80000000ull
#define DISK_SIZE (1u << 20)
#define MAX_OPS 256

/* One operation (little-endian). */
typedef struct Op {
    uint8_t kind;      /* OP_* (mod OP_COUNT) */
    uint8_t size;      /* 1 << (size & 3) bytes */
    uint16_t hi;       /* the high half of a 64-bit window address */
    uint32_t addr;
    uint32_t val;
} Op;

enum {
    OP_CFG_WRITE,      /* ECAM offset addr & 0x0fffffff */
    OP_CFG_READ,
    OP_MEM_WRITE,      /* MMIO32 + addr & 0x3fffffff, or MMIO64 + (hi << 32 | addr) */
    OP_MEM_READ,
    OP_IO_WRITE,       /* PIO + addr & 0xffff */
    OP_IO_READ,
    OP_RAM_WRITE,      /* val at RAM_BASE + addr & 0xffff (rings, buffers) */
    OP_COUNT,
};

static bool ready;
static VirtIODevice *devs[3];
static int ndevs;

static void no_send(void *opaque, const uint8_t *buf, size_t len)
{
}

static void plug(VirtIODevice *vdev, uint16_t class_code)
{
    VirtIOPCIOptions o = VIRTIO_PCI_OPTIONS_DEFAULT;
    char *err = NULL;

    o.class_code = class_code;
    if (!vdev || !virtio_pci_create(pci_default_bus(), vdev, &o, &err)) {
        fprintf(stderr, "fuzz: plugging a device: %s\n", err);
        abort();
    }
    devs[ndevs++] = vdev;
}

static void setup(void)
{
    g_autofree char *disk = fuzz_path("disk");
    char *err = NULL;
    BlockBackend *blk = NULL;

    fuzz_machine();
    plug(virtio_rng_create(&err), 0x00ff);
    if (blk_create(disk, "raw", DISK_SIZE, NULL, &err) == 0)
        blk = blk_open(disk, "raw", BLK_CACHE_UNSAFE, &err);
    plug(blk ? virtio_blk_create(blk, "fuzz", &err) : NULL, 0x0100);
    if (!net_backend_new_callback("fuzzpcinet", no_send, NULL, &err))
        abort();
    plug(virtio_net_create("fuzzpcinet", NULL, &err), 0x0200);
    ready = true;
}

static uint64_t op_addr(const Op *op)
{
    switch (op->kind % OP_COUNT) {
    case OP_CFG_WRITE:
    case OP_CFG_READ:
        return ECAM + (op->addr & 0x0fffffffu);
    case OP_MEM_WRITE:
    case OP_MEM_READ:
        return op->hi & 0x8000
               ? MMIO64 + (((uint64_t)(op->hi & 0x3) << 32) | op->addr)
               : MMIO32 + (op->addr & 0x3fffffffu);
    case OP_IO_WRITE:
    case OP_IO_READ:
        return PIO + (op->addr & 0xffff);
    default:
        return RAM_BASE + (op->addr & 0xffff);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t n = MIN(size / sizeof(Op), MAX_OPS);

    if (!ready)
        setup();
    pci_bus_reset(pci_default_bus());
    for (size_t i = 0; i < n; i++) {
        Op op;
        uint64_t v = 0;
        unsigned len;

        memcpy(&op, data + i * sizeof(Op), sizeof(Op));
        len = 1u << (op.size & 3);
        v = op.val | (uint64_t)op.val << 32;
        switch (op.kind % OP_COUNT) {
        case OP_CFG_WRITE:
        case OP_MEM_WRITE:
        case OP_IO_WRITE:
        case OP_RAM_WRITE:
            address_space_write(&address_space_memory, op_addr(&op), &v, len);
            break;
        default:
            address_space_read(&address_space_memory, op_addr(&op), &v, len);
            break;
        }
    }
    for (int d = 0; getenv("FUZZ_LOG") && d < ndevs; d++)
        fprintf(stderr, "fuzz: device %d: status 0x%x, legacy %d, used %u\n",
                d, devs[d]->status, devs[d]->legacy, devs[d]->vq[0].used_idx);
    return 0;
}
