/*
 * The user interface layer (ui/): what a display device shows and where
 * the user's keys and pointer go.
 *
 * Display: a graphics device (virtio-gpu) owns a UIConsole.  It sizes the
 * console to its scanout and copies changed rectangles of its own images
 * (any 32-bit pixman format) into it; the console keeps them in one host
 * format (PIXMAN_x8r8g8b8) and remembers what changed.  Frontends (the
 * SDL window, screendump) read the console's surface on the main loop.
 *
 *   UIConsole *con = ui_console_new(&gpu_ui_ops, g);
 *   ui_console_resize(con, 1280, 800);
 *   ui_console_copy(con, res_image, src_x, src_y, dst_x, dst_y, w, h);
 *
 * Input: devices (virtio-keyboard, virtio-tablet) register a handler for
 * the kinds of event they take; frontends and the monitor send events as
 * Linux evdev codes (KEY_A, BTN_LEFT, ABS_X 0..32767, REL_WHEEL) and end
 * each group with ui_input_sync(), which is when devices deliver them.
 *
 *   ui_input_key(KEY_A, true); ui_input_sync();
 *
 * Everything runs with the BQL held.
 */
#ifndef MIMIC_UI_H
#define MIMIC_UI_H

#include <stdbool.h>
#include <stdint.h>

#include <linux/input-event-codes.h>
#include <pixman.h>

/* ---- Display consoles (ui/console.c) ---- */

typedef struct UIConsole UIConsole;

/* What a console asks of its device. */
typedef struct UIConsoleOps {
    /* The window became w x h: the device may offer it to the guest as its
       preferred mode (virtio-gpu's display-change event). */
    void (*ui_info)(void *opaque, int width, int height);
} UIConsoleOps;

/* The host format of every console surface. */
#define UI_HOST_FORMAT PIXMAN_x8r8g8b8

/* A new console for a display device; the first one is the default. */
UIConsole *ui_console_new(const UIConsoleOps *ops, void *opaque);
/* The console frontends show (NULL: there is no display device). */
UIConsole *ui_console_get_default(void);

/* The scanout is now width x height (0 x 0: no signal, shown black);
   the surface is cleared and entirely dirty. */
void ui_console_resize(UIConsole *con, int width, int height);
/* Copies a w x h rectangle of src at (sx, sy) to (dx, dy), converting it
   to the host format, clipped to the surface; marks it dirty. */
void ui_console_copy(UIConsole *con, pixman_image_t *src, int sx, int sy,
                     int dx, int dy, int w, int h);
/* The guest's mouse cursor: an ARGB image (w x h pixels, NULL to hide),
   its hot spot, and its position on the scanout. */
void ui_console_define_cursor(UIConsole *con, const uint32_t *argb, int w,
                              int h, int hot_x, int hot_y);
void ui_console_move_cursor(UIConsole *con, int x, int y);

/* Frontend side. */
pixman_image_t *ui_console_surface(UIConsole *con);
bool ui_console_active(const UIConsole *con);   /* a scanout is set */
/* Bumped on every resize: a frontend reallocates when it changes. */
unsigned ui_console_generation(const UIConsole *con);
/* The bounding box of what changed since the last call, and forgets it;
   false if nothing did. */
bool ui_console_take_dirty(UIConsole *con, pixman_box32_t *box);
/* The cursor: false if none is defined.  *image is ARGB (do not free). */
bool ui_console_cursor(const UIConsole *con, const uint32_t **image, int *w,
                       int *h, int *hot_x, int *hot_y, int *x, int *y,
                       unsigned *generation);
/* The window is w x h now (passed on to the device's ui_info). */
void ui_console_request_size(UIConsole *con, int width, int height);

/* ---- Screendump (ui/screendump.c) ---- */

typedef enum UIImageFormat {
    UI_IMAGE_PNG,
    UI_IMAGE_PPM,
} UIImageFormat;

/* "png" or "ppm"; false for anything else. */
bool ui_image_format_parse(const char *name, UIImageFormat *fmt);
/* Writes the default console's current image to path; false with a
   message in *err (g_free it) if there is no display or the file cannot be
   written. */
bool ui_screendump(const char *path, UIImageFormat fmt, char **err);
/* Writes an x8r8g8b8 image (for tests and frontends). */
bool ui_write_image(pixman_image_t *img, const char *path, UIImageFormat fmt,
                    char **err);

/* ---- Input (ui/input.c) ---- */

/* The codes are Linux's (KEY_A, BTN_LEFT, ABS_X, EV_KEY, ...): the
   virtio-input devices deliver them as they are. */
#define INPUT_ABS_MAX 32767           /* the tablet's ABS_X/ABS_Y range */

typedef enum InputEventKind {
    INPUT_EVENT_KEY,                  /* code: KEY_* (keyboard keys) */
    INPUT_EVENT_BTN,                  /* code: BTN_* (pointer buttons) */
    INPUT_EVENT_ABS,                  /* code: ABS_X/Y, 0..INPUT_ABS_MAX */
    INPUT_EVENT_REL,                  /* code: REL_X/Y/WHEEL */
} InputEventKind;

typedef struct InputEvent {
    InputEventKind kind;
    unsigned code;
    int value;                        /* key/btn: 1 down, 0 up */
} InputEvent;

#define INPUT_MASK(kind) (1u << (kind))

typedef struct InputHandlerOps {
    const char *name;
    unsigned mask;                    /* INPUT_MASK() of the kinds taken */
    void (*event)(void *opaque, const InputEvent *ev);
    void (*sync)(void *opaque);       /* end of a group of events */
} InputHandlerOps;

/* A device takes events of ops->mask; the first one registered for a kind
   gets them (a tablet before a mouse for ABS, ...). */
void ui_input_register(const InputHandlerOps *ops, void *opaque);
/* True if some device takes this kind of event. */
bool ui_input_has_handler(InputEventKind kind);
void ui_input_event(InputEventKind kind, unsigned code, int value);
void ui_input_key(unsigned keycode, bool down);
/* Ends a group: every device that got events since delivers them. */
void ui_input_sync(void);
/* Is this evdev key held down (as the guest was told)? */
bool ui_input_key_is_down(unsigned keycode);
/* Releases every key still down (the window lost the focus). */
void ui_input_release_all(void);

/*
 * send-key: presses keycodes[0..n) in order, then after hold_ms releases
 * them in reverse order (a timer on the main loop).  A send-key while
 * another is held releases the earlier keys first.
 */
void ui_send_keys(const unsigned *keycodes, int n, int hold_ms);

/* ---- Key names (ui/keymaps.c) ---- */

/* QMP's QKeyCode name ("a", "ctrl", "f1", "ret", ...) -> evdev code;
   0 if unknown. */
unsigned ui_qcode_to_evdev(const char *name);
/* evdev code -> QKeyCode name, NULL if it has none. */
const char *ui_evdev_to_qcode(unsigned keycode);
/* QEMU's key numbers (QMP's {"type": "number"}, HMP's 0x1e): PC scancode
   set 1, 0x80 | code for the 0xe0-prefixed keys; 0 if unknown. */
unsigned ui_qnum_to_evdev(unsigned qnum);
/* HMP sendkey's "ctrl-alt-f1" (names or numbers): the codes in order (at most max); false
   with *err (g_free it) naming a bad key. */
bool ui_parse_key_combo(const char *keys, unsigned *codes, int max, int *n,
                        char **err);
/* USB HID usage (SDL scancode) -> evdev code; 0 if none. */
unsigned ui_hid_to_evdev(unsigned usage);

/* ---- Display frontends (ui/sdl.c) ---- */

typedef enum UIDisplayType {
    UI_DISPLAY_DEFAULT,               /* no -display: a window if it can */
    UI_DISPLAY_NONE,
    UI_DISPLAY_SDL,
} UIDisplayType;

/* -display NAME[,opts]: false with *err for an unknown display. */
bool ui_display_parse(const char *spec, UIDisplayType *type, char **err);
/* True if this build has SDL. */
bool ui_sdl_available(void);
/* Opens the SDL window on the main loop; false with *err (g_free it) if
   SDL cannot (no X display, ...). */
bool ui_sdl_init(char **err);
/* Closes windows and shuts SDL down (at exit). */
void ui_cleanup(void);

#endif
