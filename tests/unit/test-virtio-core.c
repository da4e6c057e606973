/* needs: riscv64-softmmu */
/*
 * Tests of the virtio core (hw/virtio/virtio.c) and the virtio-mmio
 * transport (hw/virtio/virtio-mmio.c) against a hostile driver, through
 * virtio-rng, the simplest device: descriptor chains that loop, point
 * outside the ring or outside RAM, wrap the address space, or nest
 * indirect tables; avail indexes that jump; queue sizes and ring
 * addresses that are wrong; registers written with odd values.  Each must
 * end in DEVICE_NEEDS_RESET (or a queue that does not start) with nothing
 * written, and the device must work again after a reset.  A probe MMIO
 * region counts any access the device makes outside RAM.
 */
#include <glib.h>

#include "mimic/timer.h"
#include "mimic/virtio-devices.h"
#include "unit.h"
#include "virtio-test.h"

#define F_V1 (1ull << VIRTIO_F_VERSION_1)
#define F_INDIRECT (1ull << VIRTIO_F_INDIRECT_DESC)
#define PROBE_BASE 0x20000000ull
#define QSIZE 16

static MemoryRegion probe;
static unsigned probe_accesses;

static uint64_t probe_read(void *opaque, uint64_t addr, unsigned size)
{
    probe_accesses++;
    return 0;
}

static void probe_write(void *opaque, uint64_t addr, uint64_t val,
                        unsigned size)
{
    probe_accesses++;
}

static const MemoryRegionOps probe_ops = {
    .read = probe_read,
    .write = probe_write,
};

static void setup(uint64_t features)
{
    if (!vt.vdev) {
        char *err = NULL;

        vt_plug(virtio_rng_create(&err));
        memory_region_init_io(&probe, &probe_ops, NULL, "probe", 0x10000);
        memory_region_add_subregion(&vt.root, PROBE_BASE, &probe);
    }
    vt_start(F_V1 | features, QSIZE);
    probe_accesses = 0;
}

/* A good request after whatever the test did: the device must work
   (after a reset if it asked for one). */
static void expect_works_after_reset(void)
{
    uint64_t b;
    uint32_t id, len;

    vt_start(F_V1 | F_INDIRECT, QSIZE);
    b = vt_alloc(32, 0);
    vt_add(0, (VTBuf[]){{b, 32, true}}, 1);
    vt_kick(0);
    EXPECT_EQ(vt_used_count(0), 1);
    vt_used_next(0, &id, &len);
    EXPECT_EQ(len, 32);
    EXPECT(!vt_needs_reset());
}

/* The chain in the queue's descriptors from head is submitted: nothing
   may be used, and the device must ask for a reset. */
static void expect_rejected(uint16_t head)
{
    vt_avail_push(0, head);
    vt_kick(0);
    EXPECT_EQ(vt_used_count(0), 0);
    EXPECT(vt_needs_reset());
    EXPECT_EQ(probe_accesses, 0);
    expect_works_after_reset();
}

TEST(good_request_is_filled)
{
    uint64_t b;
    uint32_t id, len;
    unsigned zeros = 0;

    setup(0);
    b = vt_alloc(64, 0);
    vt_add(0, (VTBuf[]){{b, 64, true}}, 1);
    vt_kick(0);
    EXPECT_EQ(vt_used_count(0), 1);
    vt_used_next(0, &id, &len);
    EXPECT_EQ(id, 0);
    EXPECT_EQ(len, 64);
    for (int i = 0; i < 64; i++)
        zeros += vt_ptr(b, 64)[i] == 0;
    EXPECT(zeros < 16);
    EXPECT(vt.irq);
}

TEST(chain_that_loops)
{
    uint64_t b;

    setup(0);
    b = vt_alloc(8, 0);
    vt_desc(0, 0, b, 8, VT_F_WRITE | VT_F_NEXT, 1);
    vt_desc(0, 1, b, 8, VT_F_WRITE | VT_F_NEXT, 0);
    expect_rejected(0);
}

TEST(chain_with_next_past_the_ring)
{
    setup(0);
    vt_desc(0, 0, vt_alloc(8, 0), 8, VT_F_WRITE | VT_F_NEXT, QSIZE);
    expect_rejected(0);
}

TEST(head_past_the_ring)
{
    setup(0);
    vt_desc(0, 0, vt_alloc(8, 0), 8, VT_F_WRITE, 0);
    expect_rejected(QSIZE + 3);
}

TEST(buffer_outside_ram)
{
    setup(0);
    vt_desc(0, 0, VT_RAM_BASE + VT_RAM_SIZE - 4, 8, VT_F_WRITE, 0);
    expect_rejected(0);
}

TEST(buffer_on_mmio)
{
    setup(0);
    vt_desc(0, 0, PROBE_BASE, 8, VT_F_WRITE, 0);
    expect_rejected(0);
}

TEST(buffer_wrapping_the_address_space)
{
    setup(0);
    vt_desc(0, 0, UINT64_MAX - 7, 0x100, VT_F_WRITE, 0);
    expect_rejected(0);
}

TEST(readable_buffer_after_writable)
{
    uint64_t b;

    setup(0);
    b = vt_alloc(16, 0);
    vt_desc(0, 0, b, 8, VT_F_WRITE | VT_F_NEXT, 1);
    vt_desc(0, 1, b + 8, 8, 0, 0);
    expect_rejected(0);
}

TEST(avail_index_jumps_past_the_ring)
{
    setup(0);
    vt_desc(0, 0, vt_alloc(8, 0), 8, VT_F_WRITE, 0);
    vt_put16(vt.q[0].avail + 2, QSIZE + 1);
    vt_kick(0);
    EXPECT_EQ(vt_used_count(0), 0);
    EXPECT(vt_needs_reset());
    expect_works_after_reset();
}

TEST(indirect_table_good)
{
    uint64_t t, b;
    uint32_t id, len;

    setup(F_INDIRECT);
    t = vt_alloc(32, 0);
    b = vt_alloc(32, 0);
    vt_desc_at(t, 0, b, 16, VT_F_WRITE | VT_F_NEXT, 1);
    vt_desc_at(t, 1, b + 16, 16, VT_F_WRITE, 0);
    vt_desc(0, 0, t, 32, VT_F_INDIRECT, 0);
    vt_avail_push(0, 0);
    vt_kick(0);
    EXPECT_EQ(vt_used_count(0), 1);
    vt_used_next(0, &id, &len);
    EXPECT_EQ(len, 32);
    EXPECT(!vt_needs_reset());
}

TEST(indirect_without_the_feature)
{
    uint64_t t;

    setup(0);
    t = vt_alloc(16, 0);
    vt_desc_at(t, 0, vt_alloc(8, 0), 8, VT_F_WRITE, 0);
    vt_desc(0, 0, t, 16, VT_F_INDIRECT, 0);
    expect_rejected(0);
}

TEST(indirect_table_of_bad_sizes)
{
    static const uint32_t lens[] = {0, 17, 16 * 1025, 0xfffffff0};

    for (unsigned i = 0; i < G_N_ELEMENTS(lens); i++) {
        uint64_t t;

        setup(F_INDIRECT);
        t = vt_alloc(64, 0);
        vt_desc_at(t, 0, vt_alloc(8, 0), 8, VT_F_WRITE, 0);
        vt_desc(0, 0, t, lens[i], VT_F_INDIRECT, 0);
        expect_rejected(0);
    }
}

TEST(indirect_nested_or_chained)
{
    uint64_t t, b;

    setup(F_INDIRECT);
    t = vt_alloc(32, 0);
    b = vt_alloc(8, 0);
    vt_desc_at(t, 0, t, 32, VT_F_INDIRECT, 0);
    vt_desc(0, 0, t, 32, VT_F_INDIRECT, 0);
    expect_rejected(0);

    setup(F_INDIRECT);
    t = vt_alloc(16, 0);
    vt_desc_at(t, 0, b, 8, VT_F_WRITE, 0);
    vt_desc(0, 0, t, 16, VT_F_INDIRECT | VT_F_NEXT, 1);
    vt_desc(0, 1, b, 8, VT_F_WRITE, 0);
    expect_rejected(0);
}

TEST(indirect_chain_that_loops)
{
    uint64_t t, b;

    setup(F_INDIRECT);
    t = vt_alloc(32, 0);
    b = vt_alloc(8, 0);
    vt_desc_at(t, 0, b, 8, VT_F_WRITE | VT_F_NEXT, 1);
    vt_desc_at(t, 1, b, 8, VT_F_WRITE | VT_F_NEXT, 0);
    vt_desc(0, 0, t, 32, VT_F_INDIRECT, 0);
    expect_rejected(0);
}

/* An indirect table is guest memory like a buffer: one outside RAM (on
   a device's registers, or in a hole) is a broken chain, and the device
   must not read device registers as descriptors. */
TEST(indirect_table_not_in_ram)
{
    setup(F_INDIRECT);
    vt_desc(0, 0, PROBE_BASE, 64, VT_F_INDIRECT, 0);
    expect_rejected(0);

    setup(F_INDIRECT);
    vt_desc(0, 0, VT_RAM_BASE + VT_RAM_SIZE - 16, 32, VT_F_INDIRECT, 0);
    expect_rejected(0);
}

/* Spec 2.7: Queue Size is a power of 2 up to QueueNumMax. */
TEST(queue_size_must_be_a_power_of_two_up_to_the_max)
{
    static const unsigned sizes[] = {0, 3, 12, 128, 0x10000, 0xffffffff};

    for (unsigned i = 0; i < G_N_ELEMENTS(sizes); i++) {
        setup(0);
        vt_reset();
        EXPECT(vt_negotiate(F_V1));
        EXPECT_EQ(vt_rd(VT_QUEUE_NUM_MAX), 64);
        EXPECT(!vt_queue_setup(0, sizes[i]));
        expect_works_after_reset();
    }
}

/* Rings must be in RAM, aligned and not wrap: a queue set up otherwise
   does not start, the device asks for a reset once the driver says
   DRIVER_OK, and it never touches what the rings point at. */
static void expect_queue_refused(uint64_t desc, uint64_t avail, uint64_t used)
{
    uint64_t b;

    setup(0);
    vt_reset();
    EXPECT(vt_negotiate(F_V1));
    EXPECT(vt_queue_setup(0, QSIZE));
    vt_wr(VT_QUEUE_READY, 0);
    vt_wr(VT_QUEUE_DESC_LOW, (uint32_t)desc);
    vt_wr(VT_QUEUE_DESC_HIGH, (uint32_t)(desc >> 32));
    vt_wr(VT_QUEUE_DRIVER_LOW, (uint32_t)avail);
    vt_wr(VT_QUEUE_DRIVER_HIGH, (uint32_t)(avail >> 32));
    vt_wr(VT_QUEUE_DEVICE_LOW, (uint32_t)used);
    vt_wr(VT_QUEUE_DEVICE_HIGH, (uint32_t)(used >> 32));
    vt_wr(VT_QUEUE_READY, 1);
    EXPECT_EQ(vt_rd(VT_QUEUE_READY), 0);
    vt_driver_ok();
    EXPECT(vt_needs_reset());
    /* A request posted in the driver's copy of the rings anyway. */
    b = vt_alloc(8, 0);
    vt_add(0, (VTBuf[]){{b, 8, true}}, 1);
    vt_kick(0);
    EXPECT_EQ(vt_used_count(0), 0);
    EXPECT_EQ(probe_accesses, 0);
    expect_works_after_reset();
}

TEST(rings_not_in_ram)
{
    VTQueue q;

    setup(0);
    q = vt.q[0];
    expect_queue_refused(q.desc, q.avail, PROBE_BASE);
    expect_queue_refused(q.desc, PROBE_BASE, q.used);
    expect_queue_refused(PROBE_BASE, q.avail, q.used);
    expect_queue_refused(0x30000000, q.avail, q.used);
    expect_queue_refused(q.desc, q.avail, VT_RAM_BASE + VT_RAM_SIZE - 64);
    expect_queue_refused(0xfffffffffffffff0ull, q.avail, q.used);
    expect_queue_refused(q.desc + 8, q.avail, q.used);
    expect_queue_refused(q.desc, q.avail + 1, q.used);
    expect_queue_refused(q.desc, q.avail, q.used + 2);
}

/* FEATURES_OK did not stick (here: no VERSION_1), yet the driver sets
   DRIVER_OK: the device must not run on features it never accepted. */
TEST(driver_ok_without_features_ok)
{
    uint64_t b;

    setup(0);
    vt_reset();
    EXPECT(!vt_negotiate(0));
    EXPECT(vt_queue_setup(0, QSIZE));
    vt_wr(VT_STATUS, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER |
                         VIRTIO_STATUS_DRIVER_OK);
    b = vt_alloc(8, 0);
    vt_add(0, (VTBuf[]){{b, 8, true}}, 1);
    vt_kick(0);
    EXPECT_EQ(vt_used_count(0), 0);
    EXPECT(vt_needs_reset());
    expect_works_after_reset();
}

TEST(features_the_device_lacks_are_refused)
{
    setup(0);
    vt_reset();
    EXPECT(!vt_negotiate(F_V1 | (1ull << 40)));
    EXPECT(!vt_negotiate(F_V1 | (1ull << 5)));
    expect_works_after_reset();
}

/* Registers written with values no driver writes: nothing breaks. */
TEST(odd_register_values)
{
    setup(0);
    vt_wr(VT_QUEUE_SEL, 0xffffffff);
    EXPECT_EQ(vt_rd(VT_QUEUE_NUM_MAX), 0);
    vt_wr(VT_QUEUE_NUM, 4);
    vt_wr(VT_QUEUE_DESC_LOW, 0x1234);
    vt_wr(VT_QUEUE_READY, 1);
    EXPECT_EQ(vt_rd(VT_QUEUE_READY), 0);
    vt_wr(VT_QUEUE_SEL, 1);
    vt_wr(VT_QUEUE_READY, 1);
    EXPECT_EQ(vt_rd(VT_QUEUE_READY), 0);
    vt_wr(VT_DEVICE_FEATURES_SEL, 0x80000000);
    EXPECT_EQ(vt_rd(VT_DEVICE_FEATURES), 0);
    vt_wr(VT_DRIVER_FEATURES_SEL, 7);
    vt_wr(VT_DRIVER_FEATURES, 0xffffffff);
    vt_wr(VT_QUEUE_NOTIFY, 0xffffffff);
    vt_wr(VT_QUEUE_NOTIFY, 5);
    vt_wr(VT_INTERRUPT_ACK, 0xffffffff);
    EXPECT_EQ(vt_rd(VT_CONFIG + 0xefc), 0);
    vt_wr(VT_CONFIG + 0xefc, 0xffffffff);
    /* The ring of a ready queue cannot move. */
    vt_wr(VT_QUEUE_SEL, 0);
    vt_wr(VT_QUEUE_NUM, 2);
    vt_wr(VT_QUEUE_DESC_LOW, 0);
    EXPECT_EQ(vt_rd(VT_QUEUE_NUM), QSIZE);
    EXPECT_EQ(vt_rd(VT_QUEUE_DESC_LOW), (uint32_t)vt.q[0].desc);
    EXPECT(!vt_needs_reset());
    {
        uint64_t b = vt_alloc(8, 0);
        uint32_t id, len;

        vt_add(0, (VTBuf[]){{b, 8, true}}, 1);
        vt_kick(0);
        EXPECT_EQ(vt_used_count(0), 1);
        vt_used_next(0, &id, &len);
        EXPECT_EQ(len, 8);
    }
}

/* A chain as long as the ring is fine; the used ring wraps. */
TEST(full_ring_and_wrapping_indexes)
{
    uint64_t b;
    uint32_t id, len;
    VTBuf bufs[QSIZE];

    setup(0);
    b = vt_alloc(QSIZE, 0);
    for (int i = 0; i < QSIZE; i++)
        bufs[i] = (VTBuf){b + i, 1, true};
    vt_add(0, bufs, QSIZE);
    vt_kick(0);
    EXPECT_EQ(vt_used_count(0), 1);
    vt_used_next(0, &id, &len);
    EXPECT_EQ(len, QSIZE);
    for (int round = 0; round < 3 * QSIZE; round++) {
        vt_add(0, (VTBuf[]){{b, 4, true}}, 1);
        vt_kick(0);
        EXPECT_EQ(vt_used_count(0), 1);
        vt_used_next(0, &id, &len);
        EXPECT_EQ(len, 4);
    }
    EXPECT(!vt_needs_reset());
}

/* The other vCPU: each time the device fills the buffer, the driver posts
   it again, before the device looks at the ring. */
static unsigned flood_left;

static void flood_hook(uint64_t start, uint64_t end)
{
    if (flood_left) {
        flood_left--;
        vt_avail_push(0, 0);
    }
}

/*
 * A driver that adds requests as fast as the device serves them used to
 * keep the device in one notification for as long as it liked, holding
 * the BQL (the monitor, timers and every other device stopped).  One
 * notification now serves at most twice the ring; the main loop serves
 * the rest.  The test plays the other vCPU from the code-write hook that
 * the device's DMA into a "code" page calls.
 */
TEST(driver_adding_while_served_cannot_hold_the_device)
{
    enum { FLOOD = 10000 };
    uint64_t b;
    int64_t deadline;

    setup(0);
    timers_attach(g_main_context_default());
    b = vt_alloc(8192, 0);
    b = (b + 4095) & ~4095ull;
    memory_region_set_code_page(&vt.ram, b - VT_RAM_BASE, true);
    memory_set_code_write_hook(flood_hook);
    vt_desc(0, 0, b, 8, VT_F_WRITE, 0);
    flood_left = FLOOD;
    vt_avail_push(0, 0);
    vt_kick(0);
    EXPECT(vt_used_idx(0) <= 2 * QSIZE);
    EXPECT(vt_used_idx(0) >= QSIZE);
    /* The rest is served from the main loop, with no further kick. */
    deadline = g_get_monotonic_time() + 60 * G_USEC_PER_SEC;
    while (vt_used_idx(0) != FLOOD + 1 && g_get_monotonic_time() < deadline)
        g_main_context_iteration(NULL, FALSE);
    EXPECT_EQ(vt_used_idx(0), FLOOD + 1);
    EXPECT_EQ(flood_left, 0);
    memory_set_code_write_hook(NULL);
    memory_region_set_code_page(&vt.ram, b - VT_RAM_BASE, false);
    EXPECT(!vt_needs_reset());
    expect_works_after_reset();
}

int main(void)
{
    return unit_run();
}
