/*
 * The input router (include/mimic/ui.h): keys, buttons and pointer motion
 * from the frontends (the SDL window) and the monitor (send-key,
 * input-send-event), as Linux evdev codes, to the device registered for
 * each kind of event (virtio-keyboard for keys, virtio-tablet for the
 * pointer).  It remembers which keys are down so that a lost window focus
 * releases them, and runs send-key's timed release.  BQL held throughout.
 */
#include <string.h>

#include <glib.h>

#include "mimic/timer.h"
#include "mimic/ui.h"

typedef struct InputHandler {
    const InputHandlerOps *ops;
    void *opaque;
    bool pending;                     /* got events since the last sync */
} InputHandler;

static GPtrArray *handlers;
static uint8_t keys_down[(KEY_MAX + 1) / 8];

/* send-key: the keys still held and the timer that releases them. */
static Timer *send_key_timer;
static unsigned send_key_held[16];
static int send_key_n;

void ui_input_register(const InputHandlerOps *ops, void *opaque)
{
    InputHandler *h = g_new0(InputHandler, 1);

    h->ops = ops;
    h->opaque = opaque;
    if (!handlers)
        handlers = g_ptr_array_new_with_free_func(g_free);
    g_ptr_array_add(handlers, h);
}

static InputHandler *find_handler(InputEventKind kind)
{
    for (guint i = 0; handlers && i < handlers->len; i++) {
        InputHandler *h = g_ptr_array_index(handlers, i);

        if (h->ops->mask & INPUT_MASK(kind))
            return h;
    }
    return NULL;
}

bool ui_input_has_handler(InputEventKind kind)
{
    return find_handler(kind) != NULL;
}

void ui_input_event(InputEventKind kind, unsigned code, int value)
{
    InputEvent ev = { kind, code, value };
    InputHandler *h;

    if (kind == INPUT_EVENT_KEY && code <= KEY_MAX) {
        if (value)
            keys_down[code / 8] |= 1u << (code % 8);
        else
            keys_down[code / 8] &= ~(1u << (code % 8));
    }
    h = find_handler(kind);
    if (!h)
        return;
    h->ops->event(h->opaque, &ev);
    h->pending = true;
}

void ui_input_key(unsigned keycode, bool down)
{
    ui_input_event(INPUT_EVENT_KEY, keycode, down);
}

void ui_input_sync(void)
{
    for (guint i = 0; handlers && i < handlers->len; i++) {
        InputHandler *h = g_ptr_array_index(handlers, i);

        if (h->pending) {
            h->pending = false;
            if (h->ops->sync)
                h->ops->sync(h->opaque);
        }
    }
}

bool ui_input_key_is_down(unsigned keycode)
{
    return keycode <= KEY_MAX && (keys_down[keycode / 8] >> (keycode % 8)) & 1;
}

void ui_input_release_all(void)
{
    bool any = false;

    for (unsigned k = 0; k <= KEY_MAX; k++) {
        if (ui_input_key_is_down(k)) {
            ui_input_key(k, false);
            any = true;
        }
    }
    if (any)
        ui_input_sync();
}

static void send_key_release(void *opaque)
{
    (void)opaque;
    while (send_key_n > 0) {
        ui_input_key(send_key_held[--send_key_n], false);
        ui_input_sync();
    }
}

void ui_send_keys(const unsigned *keycodes, int n, int hold_ms)
{
    if (!send_key_timer)
        send_key_timer = timer_new(TIMER_CLOCK_HOST, send_key_release, NULL);
    if (send_key_n) {
        timer_del(send_key_timer);
        send_key_release(NULL);
    }
    n = MIN(n, (int)G_N_ELEMENTS(send_key_held));
    /* One sync per key, as a keyboard reports them one at a time. */
    for (int i = 0; i < n; i++) {
        ui_input_key(keycodes[i], true);
        ui_input_sync();
        send_key_held[send_key_n++] = keycodes[i];
    }
    timer_mod(send_key_timer, clock_ns(TIMER_CLOCK_HOST) +
              (int64_t)MAX(hold_ms, 0) * 1000000);
}
