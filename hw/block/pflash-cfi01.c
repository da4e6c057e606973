/*
 * CFI parallel flash, Intel/Sharp command set (include/mimic/pflash.h).
 * The bank is a ROM device: the CPUs execute from it in place, and every
 * data access comes here, so that after a command the bank answers with
 * its status, its ids or its CFI query table instead of its contents.
 * Operations are timing-free, as QEMU's: a program or erase is done when
 * the command completes, the status says "ready" at once, and erase
 * suspend and resume have nothing to do.  Commands, in read-array mode or
 * any other (the low byte of the written value; with several chips on the
 * bus each gets the same):
 *   0xff, 0xf0 read array   0x70 read status   0x50 clear status
 *   0x90 read ids           0x98 CFI query
 *   0x40, 0x10 word program: then the data
 *   0xe8 buffered program: then the count N-1 (in bus words), N data
 *        words, then 0xd0 to confirm
 *   0x20 block erase: then 0xd0      0xb0 erase suspend, 0xd0 resume
 *   0x60 lock bits: then 0x01 (lock), 0xd0 (unlock) or 0x2f: accepted,
 *        no block is ever locked
 * The query and id modes ignore every command but read array (as QEMU's).
 * Query and id reads take the register index from the address divided by
 * the bus width, and each chip answers in its lanes, so Linux's cfi_probe
 * sees two interleaved x16 chips as on QEMU.  Status bits: 0x80 ready,
 * 0x20 erase error, 0x10 program error, 0x02 block protected (a read-only
 * image), 0x30 command sequence error.  Programmed and erased bytes go
 * through the block layer to the image at once; programmed data replaces
 * what was there, as in QEMU.
 */
#include <inttypes.h>
#include <string.h>

#include <glib.h>

#include "mimic/board.h"
#include "mimic/fdt-builder.h"
#include "mimic/log.h"
#include "mimic/pflash.h"

#define CFI_TABLE_LEN 0x52

enum {
    SR_READY = 0x80,
    SR_ERASE_ERR = 0x20,
    SR_PROGRAM_ERR = 0x10,
    SR_PROTECTED = 0x02,
};

struct PFlashCFI01 {
    MemoryRegion mem;
    BlockBackend *blk;
    const char *name;
    uint8_t *storage;          /* mem.ram_ptr: the bank's contents */
    uint64_t size;
    PFlashGeometry g;
    bool ro;
    uint8_t cmd;               /* 0: read array */
    int wcycle;                /* bus cycle within a multi-cycle command */
    uint8_t status;
    uint32_t counter;          /* buffered program: words still to come */
    uint64_t wb_start, wb_end; /* buffered program: bytes written */
    uint32_t writeblock_size;
    uint8_t cfi[CFI_TABLE_LEN];
};

const PFlashGeometry PFLASH_VIRT_GEOMETRY = {
    .sector_len = 256 * 1024,
    .nb_blocks = 128,
    .bank_width = 4,
    .device_width = 2,
    .ident = { 0x89, 0x18 },
};

static unsigned ctz(unsigned v)
{
    return (unsigned)__builtin_ctz(v);
}

/* The CFI query table (JEDEC JESD68): identification, system interface,
   geometry of one chip, and the Intel primary extended table. */
static void fill_cfi_table(PFlashCFI01 *f)
{
    unsigned chips = f->g.bank_width / f->g.device_width;
    uint32_t blocks = f->g.nb_blocks;
    uint32_t chip_sector = f->g.sector_len / chips;
    uint64_t chip_len = f->size / chips;
    uint8_t *t = f->cfi;

    memset(t, 0, sizeof(f->cfi));
    t[0x10] = 'Q'; t[0x11] = 'R'; t[0x12] = 'Y';
    t[0x13] = 0x01; t[0x14] = 0x00;          /* Intel/Sharp command set */
    t[0x15] = 0x31; t[0x16] = 0x00;          /* its extended table */
    t[0x1b] = 0x45; t[0x1c] = 0x55;          /* Vcc 4.5 to 5.5 V */
    t[0x1f] = 0x07; t[0x20] = 0x07;          /* typical timeouts (2^n us) */
    t[0x21] = 0x0a;
    t[0x23] = 0x04; t[0x24] = 0x04; t[0x25] = 0x04;
    t[0x27] = (uint8_t)ctz((unsigned)chip_len);   /* chip size, 2^n */
    t[0x28] = 0x02; t[0x29] = 0x00;          /* x8/x16 interface */
    t[0x2a] = 0x0b; t[0x2b] = 0x00;          /* write buffer 2^11 bytes */
    t[0x2c] = 0x01;                          /* one erase block region */
    t[0x2d] = (uint8_t)(blocks - 1);
    t[0x2e] = (uint8_t)((blocks - 1) >> 8);
    t[0x2f] = (uint8_t)(chip_sector >> 8);
    t[0x30] = (uint8_t)(chip_sector >> 16);
    t[0x31] = 'P'; t[0x32] = 'R'; t[0x33] = 'I';
    t[0x34] = '1'; t[0x35] = '0';            /* extended table 1.0 */
    t[0x3f] = 0x01;                          /* one protection field */
    f->writeblock_size = (1u << t[0x2a]) * chips;
}

/* v in each chip's lanes of a size-byte access. */
static uint64_t per_chip(const PFlashCFI01 *f, uint64_t v, unsigned size)
{
    unsigned dw = f->g.device_width;
    uint64_t r = 0;

    if (size <= dw)
        return v;
    for (unsigned lane = 0; lane < size; lane += dw)
        r |= v << (8 * lane);
    return r;
}

static uint64_t pflash_read(void *opaque, uint64_t addr, unsigned size)
{
    PFlashCFI01 *f = opaque;
    uint64_t idx = addr >> ctz(f->g.bank_width), v = 0;

    switch (f->cmd) {
    case 0x00:
        memcpy(&v, f->storage + addr, size);   /* little-endian host */
        return v;
    case 0x90:
        /* Within each block: 0 manufacturer, 1 device, 2 lock status. */
        idx &= 0xff;
        v = idx < 2 ? f->g.ident[idx] : 0;
        return per_chip(f, v, size);
    case 0x98:
        v = idx < CFI_TABLE_LEN ? f->cfi[idx] : 0;
        return per_chip(f, v, size);
    default:
        return per_chip(f, f->status, size);   /* status after a command */
    }
}

/* Writes [off, off + len) of the bank back to the image. */
static void pflash_persist(PFlashCFI01 *f, uint64_t off, uint64_t len)
{
    int r;

    memory_region_rom_device_changed(&f->mem, off, len);
    if (!f->blk || !len)
        return;
    r = blk_pwrite(f->blk, off, f->storage + off, len);
    if (r < 0) {
        log_mask(LOG_GUEST_ERROR, "%s: cannot write the image at 0x%" PRIx64
                 ": %s\n", f->name, off, g_strerror(-r));
        f->status |= SR_PROGRAM_ERR;
    }
}

static void read_array(PFlashCFI01 *f)
{
    f->cmd = 0;
    f->wcycle = 0;
}

/* The first cycle of a command. */
static void pflash_command(PFlashCFI01 *f, uint64_t addr, uint8_t cmd)
{
    switch (cmd) {
    case 0x00: case 0xf0: case 0xff:
        read_array(f);
        return;
    case 0x10: case 0x40: case 0x20: case 0x60:
        f->wcycle = 1;
        break;
    case 0xe8:
        f->status |= SR_READY;
        f->wcycle = 1;
        break;
    case 0x50:
        f->status = 0;
        read_array(f);
        return;
    case 0x70: case 0x90: case 0x98:
        break;
    case 0xb0: case 0xd0:          /* suspend, resume: nothing pending */
        f->status |= SR_READY;
        cmd = 0x70;
        break;
    default:
        log_mask(LOG_GUEST_ERROR, "%s: unknown command 0x%02x at 0x%" PRIx64
                 "\n", f->name, cmd, addr);
        read_array(f);
        return;
    }
    f->cmd = cmd;
}

static void pflash_program(PFlashCFI01 *f, uint64_t addr, uint64_t val,
                           unsigned size)
{
    if (f->ro) {
        f->status |= SR_PROGRAM_ERR | SR_PROTECTED;
        return;
    }
    /* The data replaces the bytes, as QEMU's (a real chip only clears
       bits, which an erase-then-program sequence does not notice). */
    for (unsigned i = 0; i < size; i++)
        f->storage[addr + i] = (uint8_t)(val >> (8 * i));
}

static void pflash_erase(PFlashCFI01 *f, uint64_t addr)
{
    uint64_t start = addr & ~(uint64_t)(f->g.sector_len - 1);

    if (f->ro) {
        f->status |= SR_ERASE_ERR | SR_PROTECTED;
        return;
    }
    memset(f->storage + start, 0xff, f->g.sector_len);
    pflash_persist(f, start, f->g.sector_len);
    f->status |= SR_READY;
}

/* Buffered program, cycles 1 to 3: the count, the data, the confirm. */
static void pflash_buffer(PFlashCFI01 *f, uint64_t addr, uint64_t val,
                          unsigned size)
{
    uint64_t count;

    switch (f->wcycle) {
    case 1:
        count = (val & ((1ull << (8 * f->g.device_width)) - 1)) + 1;
        if (count * f->g.bank_width > f->writeblock_size) {
            f->status |= SR_PROGRAM_ERR | SR_ERASE_ERR;
            read_array(f);
            return;
        }
        f->counter = (uint32_t)count;
        f->wb_start = UINT64_MAX;
        f->wb_end = 0;
        f->wcycle = 2;
        return;
    case 2:
        pflash_program(f, addr, val, size);
        f->wb_start = MIN(f->wb_start, addr);
        f->wb_end = MAX(f->wb_end, addr + size);
        if (--f->counter == 0)
            f->wcycle = 3;
        return;
    default:
        if ((val & 0xff) != 0xd0) {
            f->status |= SR_PROGRAM_ERR | SR_ERASE_ERR;
            read_array(f);
            return;
        }
        if (!f->ro && f->wb_end > f->wb_start)
            pflash_persist(f, f->wb_start, f->wb_end - f->wb_start);
        f->status |= SR_READY;
        f->wcycle = 0;
    }
}

static void pflash_write(void *opaque, uint64_t addr, uint64_t val,
                         unsigned size)
{
    PFlashCFI01 *f = opaque;
    uint8_t cmd = (uint8_t)val;

    /* Query and id modes are left by read array only, as on QEMU. */
    if (f->cmd == 0x90 || f->cmd == 0x98) {
        if (cmd == 0xff || cmd == 0xf0)
            read_array(f);
        return;
    }
    if (f->wcycle == 0) {
        pflash_command(f, addr, cmd);
        return;
    }
    switch (f->cmd) {
    case 0x10: case 0x40:
        pflash_program(f, addr, val, size);
        if (!f->ro)
            pflash_persist(f, addr, size);
        f->status |= SR_READY;
        f->wcycle = 0;
        return;
    case 0x20:
        if (cmd == 0xd0) {
            pflash_erase(f, addr);
            f->wcycle = 0;
        } else {
            f->status |= SR_PROGRAM_ERR | SR_ERASE_ERR;
            read_array(f);
        }
        return;
    case 0x60:
        /* Lock, unlock, lock-down: accepted; blocks stay unlocked. */
        f->status |= SR_READY;
        f->wcycle = 0;
        return;
    case 0xe8:
        pflash_buffer(f, addr, val, size);
        return;
    default:
        read_array(f);
    }
}

static const MemoryRegionOps pflash_ops = {
    .read = pflash_read,
    .write = pflash_write,
    .valid_min = 1,
    .valid_max = 8,
};

void pflash_cfi01_reset(PFlashCFI01 *f)
{
    read_array(f);
    f->status = 0;
}

void pflash_cfi01_fdt_add(FdtBuilder *b, int parent, uint64_t base,
                          int nbanks, const PFlashGeometry *g)
{
    uint64_t bank = (uint64_t)g->sector_len * g->nb_blocks;
    g_autofree char *name = g_strdup_printf("flash@%" PRIx64, base);
    g_autofree uint32_t *reg = g_new(uint32_t, 4 * nbanks);
    int node = fdtb_node(b, parent, name);

    for (int i = 0; i < nbanks; i++) {
        uint64_t at = base + (uint64_t)i * bank;

        reg[4 * i] = (uint32_t)(at >> 32);
        reg[4 * i + 1] = (uint32_t)at;
        reg[4 * i + 2] = (uint32_t)(bank >> 32);
        reg[4 * i + 3] = (uint32_t)bank;
    }
    fdtb_prop_u32(b, node, "bank-width", g->bank_width);
    fdtb_prop_cells(b, node, "reg", reg, 4 * nbanks);
    fdtb_prop_str(b, node, "compatible", "cfi-flash");
}

static void pflash_machine_reset(void *opaque)
{
    pflash_cfi01_reset(opaque);
}

PFlashCFI01 *pflash_cfi01_create(MachineState *ms, MemoryRegion *parent,
                                 uint64_t base, const char *name,
                                 const PFlashGeometry *g, BlockBackend *blk,
                                 char **err)
{
    PFlashCFI01 *f = g_new0(PFlashCFI01, 1);
    int r;

    f->g = *g;
    f->name = name;
    f->size = (uint64_t)g->sector_len * g->nb_blocks;
    if (blk && blk_getlength(blk) != f->size) {
        *err = g_strdup_printf("device requires %" PRIu64 " bytes, block "
                               "backend provides %" PRIu64 " bytes", f->size,
                               blk_getlength(blk));
        g_free(f);
        return NULL;
    }
    memory_region_init_rom_device(&f->mem, &pflash_ops, f, name, f->size);
    f->storage = f->mem.ram_ptr;
    if (blk) {
        r = blk_pread(blk, 0, f->storage, f->size);
        if (r < 0) {
            *err = g_strdup("failed to read the initial flash content");
            memory_region_finalize(&f->mem);
            g_free(f);
            return NULL;
        }
        f->ro = blk_is_read_only(blk);
    }
    f->blk = blk;
    fill_cfi_table(f);
    memory_region_add_subregion(parent, base, &f->mem);
    machine_register_reset(ms, pflash_machine_reset, f);
    return f;
}
