/* needs: riscv64-softmmu */
/*
 * Tests of virtio-input (hw/input/virtio-input.c) against a hostile
 * driver: every select/subsel pair of the config space answers within the
 * 128-byte union, config writes of any size and offset are harmless, and
 * event buffers shorter than an event (or not writable) take what fits
 * and no more.  The device is the tablet, which has the most to answer.
 */
#include <glib.h>

#include "mimic/ui.h"
#include "mimic/virtio-devices.h"
#include "unit.h"
#include "virtio-test.h"

#define F_V1 (1ull << VIRTIO_F_VERSION_1)
#define EVENTQ 0
#define STATUSQ 1
#define CFG_SIZE 136

static void setup(void)
{
    if (!vt.vdev) {
        char *err = NULL;

        vt_plug(virtio_tablet_create(&err));
    }
    vt_start(F_V1, 64);
}

static uint8_t cfg8(unsigned off)
{
    uint8_t v = 0xee;

    address_space_read(&vt.as, vt.base + VT_CONFIG + off, &v, 1);
    return v;
}

static void cfg_wr8(unsigned off, uint8_t v)
{
    address_space_write(&vt.as, vt.base + VT_CONFIG + off, &v, 1);
}

TEST(every_select_and_subsel)
{
    unsigned answered = 0;

    setup();
    for (unsigned sel = 0; sel < 256; sel++) {
        for (unsigned sub = 0; sub < 256; sub++) {
            uint8_t size;

            cfg_wr8(0, (uint8_t)sel);
            cfg_wr8(1, (uint8_t)sub);
            size = cfg8(2);
            EXPECT(size <= 128);
            answered += size != 0;
            /* Bytes past the answer read as zero. */
            if (size < 128)
                EXPECT_EQ(cfg8(8 + size), 0);
        }
    }
    EXPECT(answered > 3);
    cfg_wr8(0, 1);
    cfg_wr8(1, 0);
    EXPECT_EQ(cfg8(2), strlen("Mimic Virtio Tablet"));
    EXPECT_EQ(cfg8(8), 'M');
    /* Past the config space: reads 0, writes are dropped. */
    EXPECT_EQ(cfg8(CFG_SIZE), 0);
    cfg_wr8(CFG_SIZE, 0x55);
    EXPECT(!vt_needs_reset());
}

TEST(config_writes_of_every_size)
{
    setup();
    for (unsigned off = 0; off < CFG_SIZE + 8; off++) {
        uint64_t v = 0x1112131415161718ull;

        for (unsigned size = 1; size <= 8; size *= 2)
            address_space_write(&vt.as, vt.base + VT_CONFIG + off, &v, size);
    }
    cfg_wr8(0, 0x11); /* EV_BITS */
    cfg_wr8(1, 3);    /* EV_ABS: ABS_X and ABS_Y */
    EXPECT_EQ(cfg8(2), 1);
    EXPECT_EQ(cfg8(8), 3);
    EXPECT(!vt_needs_reset());
}

/* An event is 8 bytes; a buffer of 4 gets 4, one with nothing writable
   gets nothing, and the group still arrives in order. */
TEST(short_event_buffers)
{
    uint64_t b[4];
    uint32_t id, len;

    setup();
    for (int i = 0; i < 4; i++)
        b[i] = vt_alloc(16, 0xaa);
    vt_add(EVENTQ, (VTBuf[]){{b[0], 4, true}}, 1);
    vt_add(EVENTQ, (VTBuf[]){{b[1], 8, false}}, 1);
    vt_add(EVENTQ, (VTBuf[]){{b[2], 8, true}}, 1);
    vt_add(EVENTQ, (VTBuf[]){{b[3], 16, true}}, 1);
    ui_input_event(INPUT_EVENT_ABS, 0, 100);
    ui_input_event(INPUT_EVENT_ABS, 1, 200);
    ui_input_event(INPUT_EVENT_BTN, 0x110, 1);
    ui_input_sync();
    EXPECT_EQ(vt_used_count(EVENTQ), 4);
    vt_used_next(EVENTQ, &id, &len);
    EXPECT_EQ(len, 4);
    vt_used_next(EVENTQ, &id, &len);
    EXPECT_EQ(len, 0);
    vt_used_next(EVENTQ, &id, &len);
    EXPECT_EQ(len, 8);
    vt_used_next(EVENTQ, &id, &len);
    EXPECT_EQ(len, 8);
    EXPECT_EQ(vt_ptr(b[0], 16)[4], 0xaa);
    EXPECT_EQ(vt_ptr(b[1], 16)[0], 0xaa);
    EXPECT_EQ(vt_ptr(b[3], 16)[8], 0xaa);
    EXPECT_EQ(vt_get16(b[3]), 0); /* EV_SYN ends the group */
    EXPECT(!vt_needs_reset());
}

/* Status buffers (LEDs) of any shape are taken and given back. */
TEST(status_queue_takes_anything)
{
    uint64_t b;
    uint32_t id, len;

    setup();
    b = vt_alloc(64, 0);
    vt_add(STATUSQ, (VTBuf[]){{b, 3, false}}, 1);
    vt_add(STATUSQ, (VTBuf[]){{b, 64, true}}, 1);
    vt_kick(STATUSQ);
    EXPECT_EQ(vt_used_count(STATUSQ), 2);
    vt_used_next(STATUSQ, &id, &len);
    vt_used_next(STATUSQ, &id, &len);
    EXPECT(!vt_needs_reset());
}

int main(void)
{
    return unit_run();
}
