/*
 * virtio-input (virtio spec 1.2, section 5.8): a keyboard, an absolute
 * pointer (tablet) and a relative mouse that pass Linux evdev events to the
 * guest.  The config space answers the driver's select/subsel queries
 * (name, serial, device ids, property and event bits, axis ranges); the
 * event queue carries 8-byte events {type, code, value}, each group ended
 * by EV_SYN, taken from the UI's input router (include/mimic/ui.h); the
 * status queue brings LED changes back, which are dropped.  Events wait in
 * a small queue while the guest has no buffers posted.
 *
 *   -device virtio-keyboard-device
 *   -device virtio-tablet-device     (ABS_X/ABS_Y 0..32767, buttons, wheel)
 *   -device virtio-mouse-device      (REL_X/REL_Y, buttons, wheel)
 */
#include <string.h>

#include <glib.h>

#include "mimic/log.h"
#include "mimic/ui.h"
#include "mimic/virtio-devices.h"

enum {
    CFG_UNSET = 0x00,
    CFG_ID_NAME = 0x01,
    CFG_ID_SERIAL = 0x02,
    CFG_ID_DEVIDS = 0x03,
    CFG_PROP_BITS = 0x10,
    CFG_EV_BITS = 0x11,
    CFG_ABS_INFO = 0x12,
};

#define CONFIG_LEN (8 + 128)          /* select, subsel, size, 5, union */
#define INPUT_QUEUE_SIZE 64
#define PENDING_MAX 256               /* events waiting for buffers */
#define BUS_VIRTUAL 0x06
#define VENDOR_ID 0x0627              /* as QEMU's, which guests know */

typedef enum InputKind { KIND_KEYBOARD, KIND_TABLET, KIND_MOUSE } InputKind;

typedef struct VirtIOInputEvent {
    uint16_t type, code;
    int32_t value;
} VirtIOInputEvent;

typedef struct VirtIOInput {
    VirtIODevice vdev;
    VirtQueue *eventq, *statusq;
    InputKind kind;
    const char *name;
    uint16_t product;
    uint8_t select, subsel;
    VirtIOInputEvent pending[PENDING_MAX];
    unsigned npending;
    unsigned group_start;             /* first event of the open group */
    bool dropping;                    /* the open group did not fit */
} VirtIOInput;

/* ---- Config space ---- */

static void set_bit(uint8_t *bitmap, unsigned bit)
{
    bitmap[bit / 8] |= 1u << (bit % 8);
}

/* The codes of event type ev this device sends, as a bitmap; its size. */
static unsigned ev_bits(VirtIOInput *in, unsigned ev, uint8_t *bm)
{
    unsigned size = 0;

    switch (ev) {
    case EV_KEY:
        if (in->kind == KIND_KEYBOARD) {
            /* Every key with a name (ui/keymaps.c) or a HID usage. */
            for (unsigned k = 1; k < BTN_MISC; k++) {
                if (ui_evdev_to_qcode(k))
                    set_bit(bm, k);
            }
            for (unsigned u = 0; u < 256; u++) {
                unsigned k = ui_hid_to_evdev(u);

                if (k)
                    set_bit(bm, k);
            }
        } else {
            set_bit(bm, BTN_LEFT);
            set_bit(bm, BTN_RIGHT);
            set_bit(bm, BTN_MIDDLE);
            set_bit(bm, BTN_SIDE);
            set_bit(bm, BTN_EXTRA);
        }
        break;
    case EV_REP:
        if (in->kind == KIND_KEYBOARD)
            set_bit(bm, 0);           /* any content: the guest repeats */
        break;
    case EV_LED:
        if (in->kind == KIND_KEYBOARD) {
            set_bit(bm, LED_NUML);
            set_bit(bm, LED_CAPSL);
            set_bit(bm, LED_SCROLLL);
        }
        break;
    case EV_REL:
        if (in->kind == KIND_MOUSE) {
            set_bit(bm, REL_X);
            set_bit(bm, REL_Y);
        }
        if (in->kind != KIND_KEYBOARD)
            set_bit(bm, REL_WHEEL);
        break;
    case EV_ABS:
        if (in->kind == KIND_TABLET) {
            set_bit(bm, ABS_X);
            set_bit(bm, ABS_Y);
        }
        break;
    }
    for (unsigned i = 0; i < 128; i++) {
        if (bm[i])
            size = i + 1;
    }
    return size;
}

static void put_le16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

static void put_le32(uint8_t *p, uint32_t v)
{
    put_le16(p, (uint16_t)v);
    put_le16(p + 2, (uint16_t)(v >> 16));
}

/* Fills the union for the current select/subsel; returns its size. */
static unsigned config_answer(VirtIOInput *in, uint8_t *u)
{
    switch (in->select) {
    case CFG_ID_NAME:
        if (in->subsel)
            return 0;
        memcpy(u, in->name, strlen(in->name));
        return (unsigned)strlen(in->name);
    case CFG_ID_SERIAL:
        if (in->subsel)
            return 0;
        memcpy(u, "0", 1);
        return 1;
    case CFG_ID_DEVIDS:
        if (in->subsel)
            return 0;
        put_le16(u, BUS_VIRTUAL);
        put_le16(u + 2, VENDOR_ID);
        put_le16(u + 4, in->product);
        put_le16(u + 6, 1);
        return 8;
    case CFG_PROP_BITS:
        return 0;                     /* no INPUT_PROP_* */
    case CFG_EV_BITS:
        return ev_bits(in, in->subsel, u);
    case CFG_ABS_INFO:
        if (in->kind != KIND_TABLET || (in->subsel != ABS_X &&
                                        in->subsel != ABS_Y))
            return 0;
        put_le32(u, 0);               /* min, max, fuzz, flat, res */
        put_le32(u + 4, INPUT_ABS_MAX);
        return 20;
    default:
        return 0;
    }
}

static void input_get_config(VirtIODevice *vdev, uint8_t *config)
{
    VirtIOInput *in = vdev->opaque;

    memset(config, 0, CONFIG_LEN);
    config[0] = in->select;
    config[1] = in->subsel;
    config[2] = (uint8_t)config_answer(in, config + 8);
}

static void input_set_config(VirtIODevice *vdev, const uint8_t *config)
{
    VirtIOInput *in = vdev->opaque;

    in->select = config[0];
    in->subsel = config[1];
}

/* ---- Events ---- */

/* Puts as many pending events as there are buffers into the event queue,
   a whole number of groups at most. */
static void input_flush(VirtIOInput *in)
{
    unsigned done = 0;
    VirtQueueElement *e;

    while (done < in->group_start && (e = virtqueue_pop(in->eventq))) {
        const VirtIOInputEvent *ev = &in->pending[done++];
        uint8_t raw[8];
        size_t n;

        put_le16(raw, ev->type);
        put_le16(raw + 2, ev->code);
        put_le32(raw + 4, (uint32_t)ev->value);
        n = virtqueue_elem_write(&in->vdev, e, 0, raw, sizeof(raw));
        if (n < sizeof(raw))
            log_mask(LOG_GUEST_ERROR, "%s: event buffer of %" G_GUINT64_FORMAT
                     " bytes (8 needed)\n", in->vdev.ops->name, e->in_len);
        virtqueue_push(in->eventq, e, (uint32_t)n);
    }
    if (done) {
        memmove(in->pending, in->pending + done,
                (in->npending - done) * sizeof(in->pending[0]));
        in->npending -= done;
        in->group_start -= done;
        virtqueue_notify(in->eventq);
    }
}

static void input_queue(VirtIOInput *in, uint16_t type, uint16_t code,
                        int32_t value)
{
    if (!(in->vdev.status & VIRTIO_STATUS_DRIVER_OK) || in->dropping)
        return;
    if (in->npending == PENDING_MAX) {
        /* The guest is not reading: drop the whole group, not half. */
        log_mask(LOG_GUEST_ERROR, "%s: the guest takes no events; "
                 "dropping some\n", in->vdev.ops->name);
        in->npending = in->group_start;
        in->dropping = true;
        return;
    }
    in->pending[in->npending++] = (VirtIOInputEvent){ type, code, value };
}

static void input_event(void *opaque, const InputEvent *ev)
{
    VirtIOInput *in = opaque;
    static const uint16_t types[] = {
        [INPUT_EVENT_KEY] = EV_KEY, [INPUT_EVENT_BTN] = EV_KEY,
        [INPUT_EVENT_ABS] = EV_ABS, [INPUT_EVENT_REL] = EV_REL,
    };

    input_queue(in, types[ev->kind], (uint16_t)ev->code, ev->value);
}

static void input_sync(void *opaque)
{
    VirtIOInput *in = opaque;

    if (in->dropping) {
        in->dropping = false;
        return;
    }
    input_queue(in, EV_SYN, SYN_REPORT, 0);
    in->group_start = in->npending;
    input_flush(in);
}

static void input_handle_event(VirtIODevice *vdev, VirtQueue *vq)
{
    (void)vq;
    input_flush(vdev->opaque);
}

/* LED changes from the guest: taken and dropped. */
static void input_handle_status(VirtIODevice *vdev, VirtQueue *vq)
{
    VirtQueueElement *e;

    (void)vdev;
    while ((e = virtqueue_pop(vq)))
        virtqueue_push(vq, e, 0);
    virtqueue_notify(vq);
}

static void input_reset(VirtIODevice *vdev)
{
    VirtIOInput *in = vdev->opaque;

    in->select = in->subsel = 0;
    in->npending = in->group_start = 0;
    in->dropping = false;
}

static const VirtIODeviceOps keyboard_ops = {
    .name = "virtio-keyboard-device", .device_id = VIRTIO_ID_INPUT,
    .get_config = input_get_config, .set_config = input_set_config,
    .reset = input_reset,
};
static const VirtIODeviceOps tablet_ops = {
    .name = "virtio-tablet-device", .device_id = VIRTIO_ID_INPUT,
    .get_config = input_get_config, .set_config = input_set_config,
    .reset = input_reset,
};
static const VirtIODeviceOps mouse_ops = {
    .name = "virtio-mouse-device", .device_id = VIRTIO_ID_INPUT,
    .get_config = input_get_config, .set_config = input_set_config,
    .reset = input_reset,
};

static const InputHandlerOps keyboard_handler = {
    .name = "virtio-keyboard", .mask = INPUT_MASK(INPUT_EVENT_KEY),
    .event = input_event, .sync = input_sync,
};
static const InputHandlerOps tablet_handler = {
    .name = "virtio-tablet",
    .mask = INPUT_MASK(INPUT_EVENT_BTN) | INPUT_MASK(INPUT_EVENT_ABS) |
            INPUT_MASK(INPUT_EVENT_REL),
    .event = input_event, .sync = input_sync,
};
static const InputHandlerOps mouse_handler = {
    .name = "virtio-mouse",
    .mask = INPUT_MASK(INPUT_EVENT_BTN) | INPUT_MASK(INPUT_EVENT_REL),
    .event = input_event, .sync = input_sync,
};

static VirtIODevice *input_create(InputKind kind)
{
    static const struct {
        const VirtIODeviceOps *ops;
        const InputHandlerOps *handler;
        const char *name;
        uint16_t product;
    } kinds[] = {
        [KIND_KEYBOARD] = { &keyboard_ops, &keyboard_handler,
                            "Mimic Virtio Keyboard", 1 },
        [KIND_MOUSE] = { &mouse_ops, &mouse_handler, "Mimic Virtio Mouse", 2 },
        [KIND_TABLET] = { &tablet_ops, &tablet_handler,
                          "Mimic Virtio Tablet", 3 },
    };
    VirtIOInput *in = g_new0(VirtIOInput, 1);

    virtio_init(&in->vdev, kinds[kind].ops, CONFIG_LEN, 0, in);
    in->eventq = virtio_add_queue(&in->vdev, INPUT_QUEUE_SIZE,
                                  input_handle_event);
    in->statusq = virtio_add_queue(&in->vdev, INPUT_QUEUE_SIZE,
                                   input_handle_status);
    in->kind = kind;
    in->name = kinds[kind].name;
    in->product = kinds[kind].product;
    ui_input_register(kinds[kind].handler, in);
    return &in->vdev;
}

VirtIODevice *virtio_keyboard_create(char **err)
{
    (void)err;
    return input_create(KIND_KEYBOARD);
}

VirtIODevice *virtio_tablet_create(char **err)
{
    (void)err;
    return input_create(KIND_TABLET);
}

VirtIODevice *virtio_mouse_create(char **err)
{
    (void)err;
    return input_create(KIND_MOUSE);
}
