/*
 * A device write into RAM that holds translated code drops that code, as
 * a CPU store does: a function is run (so it is translated), then
 * virtio-blk reads a sector holding other code over it, and the next call
 * must run the new code.  (fence.i is executed as the ISA asks, but it does
 * not flush translations in Mimic; only the DMA path's invalidation can
 * make this pass.)  Also: a read past the end of the disk gets IOERR and
 * the device goes on.  Run with the arguments in virtio_blk_dma.args.
 */
#include "virtio.h"

enum { BLK_T_IN = 0, BLK_T_OUT = 1, BLK_S_OK = 0, BLK_S_IOERR = 1 };

struct blk_req { u32 type; u32 reserved; u64 sector; };

static struct blk_req req;
static u8 status;
static u32 code_sector[128] __attribute__((aligned(512)));
/* The function: a page of its own, so nothing else shares its TBs. */
static u32 fn[1024] __attribute__((aligned(4096), section(".data")));

static unsigned blk_rw(u32 type, u64 sector, void *data, u32 len)
{
    req = (struct blk_req){ type, 0, sector };
    status = 0xff;
    descs[0] = (struct desc){ (u64)&req, sizeof(req), F_NEXT, 1 };
    descs[1] = (struct desc){ (u64)data, len,
                              (u16)(F_NEXT | (type == BLK_T_IN ? F_WRITE : 0)), 2 };
    descs[2] = (struct desc){ (u64)&status, 1, F_WRITE, 0 };
    CHECK_EQ(virtio_submit(), 1);
    return status;
}

static u64 call_fn(void)
{
    u64 (*f)(void) = (u64 (*)(void))(void *)fn;

    __asm__ __volatile__("fence.i" ::: "memory");
    return f();
}

int main(void)
{
    u64 capacity;

    CHECK(virtio_find(2));
    if (!dev)
        return test_end();
    virtio_driver_init(VIRTIO_F_INDIRECT_DESC);
    capacity = *(volatile u64 *)((u64)dev + VM_CONFIG);
    CHECK(capacity >= 8);

    /* li a0, 1; ret */
    fn[0] = 0x00100513;
    fn[1] = 0x00008067;
    for (int i = 0; i < 3; i++)
        CHECK_EQ(call_fn(), 1);

    /* Sector 0 gets: li a0, 42; ret */
    code_sector[0] = 0x02a00513;
    code_sector[1] = 0x00008067;
    CHECK_EQ(blk_rw(BLK_T_OUT, 0, code_sector, 512), BLK_S_OK);

    /* The device reads it over the translated function. */
    CHECK_EQ(blk_rw(BLK_T_IN, 0, fn, 512), BLK_S_OK);
    CHECK_EQ(virtio_last_used().len, 513);
    CHECK_EQ(fn[0], 0x02a00513);
    CHECK_EQ(call_fn(), 42);

    /* Past the end of the disk: an I/O error, and the device goes on. */
    CHECK_EQ(blk_rw(BLK_T_IN, capacity, code_sector, 512), BLK_S_IOERR);
    CHECK_EQ(vrd(VM_STATUS) & S_NEEDS_RESET, 0);
    CHECK_EQ(blk_rw(BLK_T_IN, 0, code_sector, 512), BLK_S_OK);
    CHECK_EQ(code_sector[0], 0x02a00513);
    return test_end();
}
