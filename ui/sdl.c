/*
 * -display sdl: an SDL2 window that shows the default console, scaled to
 * the window, and sends the host's keys (SDL scancodes, which are USB HID
 * usages, turned into evdev codes) and pointer (absolute, for the virtio
 * tablet) to the guest.  Ctrl-Alt-G grabs and releases the keyboard and
 * pointer (the title says which); closing the window powers the machine
 * off as Ctrl-A X does.  The window follows the guest's mode; resizing it
 * by hand offers the new size to the guest (virtio-gpu's display event).
 *
 * SDL is polled from a ~60 Hz timer on the main loop, so every SDL call is
 * on the main thread with the BQL held.
 *
 * This file is built as the module ui-sdl.so (ui/sdl-module.c opens it);
 * its two entry points are ui_sdl_module_init and ui_sdl_module_cleanup.
 */
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "config-host.h"
#include "mimic/log.h"
#include "mimic/main-loop.h"
#include "mimic/runstate.h"
#include "mimic/ui.h"

#ifdef CONFIG_SDL

#include <SDL.h>

#define REFRESH_MS 16
#define TITLE "Mimic"

static struct {
    SDL_Window *win;
    SDL_Renderer *ren;
    SDL_Texture *tex;
    GSource *timer;
    UIConsole *con;
    unsigned generation;          /* of the console the texture shows */
    int win_w, win_h;             /* the size we last gave the window */
    bool grab;
    bool g_swallowed;             /* the G of Ctrl-Alt-G was not sent */
    bool redraw;
    SDL_Cursor *cursor;
    unsigned cursor_generation;
} sdl;

static void sdl_update_title(void)
{
    const char *what = sdl.grab ? "release" : "grab";
    const char *name = runstate_guest_name();
    g_autofree char *title = g_strdup_printf(
        "%s%s%s%s%s - Press Ctrl-Alt-G to %s input", TITLE,
        name ? " (" : "", name ? name : "", name ? ")" : "",
        sdl.con ? "" : " (no display device)", what);

    SDL_SetWindowTitle(sdl.win, title);
}

static void sdl_set_grab(bool on)
{
    sdl.grab = on;
    SDL_SetWindowGrab(sdl.win, on ? SDL_TRUE : SDL_FALSE);
    /* A relative mouse (no tablet) needs the pointer kept in the window. */
    if (!ui_input_has_handler(INPUT_EVENT_ABS))
        SDL_SetRelativeMouseMode(on ? SDL_TRUE : SDL_FALSE);
    sdl_update_title();
}

/* Sizes the window for a w x h guest screen: 1:1 if it fits the desktop,
   else scaled down (aspect kept); and moves it to stay on the desktop. */
static void sdl_fit_window(int w, int h)
{
    SDL_Rect area;
    int x, y, idx = SDL_GetWindowDisplayIndex(sdl.win);

    if (idx >= 0 && SDL_GetDisplayUsableBounds(idx, &area) == 0 &&
        area.w > 0 && area.h > 0) {
        if (w > area.w || h > area.h) {
            double s = MIN((double)area.w / w, (double)area.h / h);

            w = MAX((int)(w * s), 1);
            h = MAX((int)(h * s), 1);
        }
        SDL_GetWindowPosition(sdl.win, &x, &y);
        if (x < area.x || y < area.y || x + w > area.x + area.w ||
            y + h > area.y + area.h)
            SDL_SetWindowPosition(sdl.win, area.x + (area.w - w) / 2,
                                  area.y + (area.h - h) / 2);
    }
    sdl.win_w = w;
    sdl.win_h = h;
    SDL_SetWindowSize(sdl.win, w, h);
}

/* The console changed size: a new texture, and the window follows. */
static void sdl_resize(void)
{
    pixman_image_t *s = ui_console_surface(sdl.con);
    int w = pixman_image_get_width(s), h = pixman_image_get_height(s);

    if (sdl.tex)
        SDL_DestroyTexture(sdl.tex);
    sdl.tex = SDL_CreateTexture(sdl.ren, SDL_PIXELFORMAT_RGB888,
                                SDL_TEXTUREACCESS_STREAMING, w, h);
    if (!sdl.tex)
        log_mask(LOG_UNIMP, "sdl: no %dx%d texture: %s\n", w, h,
                 SDL_GetError());
    sdl_fit_window(w, h);
    sdl.generation = ui_console_generation(sdl.con);
}

static void sdl_update_cursor(void)
{
    const uint32_t *img;
    int w, h, hx, hy, x, y;
    unsigned gen;
    bool has = ui_console_cursor(sdl.con, &img, &w, &h, &hx, &hy, &x, &y,
                                 &gen);
    SDL_Surface *surf;

    if (gen == sdl.cursor_generation)
        return;
    sdl.cursor_generation = gen;
    if (sdl.cursor) {
        SDL_SetCursor(SDL_GetDefaultCursor());
        SDL_FreeCursor(sdl.cursor);
        sdl.cursor = NULL;
    }
    if (!has)
        return;
    surf = SDL_CreateRGBSurfaceFrom((void *)img, w, h, 32, w * 4, 0x00ff0000,
                                    0x0000ff00, 0x000000ff, 0xff000000);
    if (!surf)
        return;
    sdl.cursor = SDL_CreateColorCursor(surf, hx, hy);
    SDL_FreeSurface(surf);
    if (sdl.cursor)
        SDL_SetCursor(sdl.cursor);
}

/* Copies what changed into the texture and presents the frame. */
static void sdl_refresh_screen(void)
{
    pixman_box32_t box;

    if (sdl.con) {
        if (ui_console_generation(sdl.con) != sdl.generation)
            sdl_resize();
        if (ui_console_take_dirty(sdl.con, &box) && sdl.tex) {
            pixman_image_t *s = ui_console_surface(sdl.con);
            int stride = pixman_image_get_stride(s);
            SDL_Rect r = { box.x1, box.y1, box.x2 - box.x1, box.y2 - box.y1 };
            const uint8_t *p = (const uint8_t *)pixman_image_get_data(s) +
                               (size_t)box.y1 * stride + box.x1 * 4;

            SDL_UpdateTexture(sdl.tex, &r, p, stride);
            sdl.redraw = true;
        }
        sdl_update_cursor();
    }
    if (!sdl.redraw)
        return;
    sdl.redraw = false;
    SDL_SetRenderDrawColor(sdl.ren, 0, 0, 0, 255);
    SDL_RenderClear(sdl.ren);
    if (sdl.tex)
        SDL_RenderCopy(sdl.ren, sdl.tex, NULL, NULL);
    SDL_RenderPresent(sdl.ren);
}

static bool is_ctrl_alt(Uint16 mod)
{
    return (mod & KMOD_CTRL) && (mod & KMOD_ALT);
}

static void sdl_key(const SDL_KeyboardEvent *ev)
{
    bool down = ev->type == SDL_KEYDOWN;
    unsigned code;

    if (ev->keysym.scancode == SDL_SCANCODE_G &&
        (down ? is_ctrl_alt(ev->keysym.mod) : sdl.g_swallowed)) {
        if (down && !ev->repeat)
            sdl_set_grab(!sdl.grab);
        sdl.g_swallowed = down;
        return;
    }
    /* The guest repeats keys itself (EV_REP). */
    if (ev->repeat)
        return;
    code = ui_hid_to_evdev(ev->keysym.scancode);
    if (!code)
        return;
    ui_input_key(code, down);
    ui_input_sync();
}

/* Window coordinates to the tablet's 0..32767 across the guest area. */
static int to_abs(int v, int size)
{
    if (size <= 1)
        return 0;
    v = CLAMP(v, 0, size - 1);
    return (int)((int64_t)v * INPUT_ABS_MAX / (size - 1));
}

static void sdl_motion(const SDL_MouseMotionEvent *ev)
{
    int w, h;

    if (ui_input_has_handler(INPUT_EVENT_ABS)) {
        SDL_GetWindowSize(sdl.win, &w, &h);
        ui_input_event(INPUT_EVENT_ABS, ABS_X, to_abs(ev->x, w));
        ui_input_event(INPUT_EVENT_ABS, ABS_Y, to_abs(ev->y, h));
    } else if (sdl.grab) {
        ui_input_event(INPUT_EVENT_REL, REL_X, ev->xrel);
        ui_input_event(INPUT_EVENT_REL, REL_Y, ev->yrel);
    }
    ui_input_sync();
}

static void sdl_button(const SDL_MouseButtonEvent *ev)
{
    static const unsigned buttons[] = {
        [SDL_BUTTON_LEFT] = BTN_LEFT, [SDL_BUTTON_MIDDLE] = BTN_MIDDLE,
        [SDL_BUTTON_RIGHT] = BTN_RIGHT, [SDL_BUTTON_X1] = BTN_SIDE,
        [SDL_BUTTON_X2] = BTN_EXTRA,
    };

    if (ev->button >= G_N_ELEMENTS(buttons) || !buttons[ev->button])
        return;
    ui_input_event(INPUT_EVENT_BTN, buttons[ev->button],
                   ev->type == SDL_MOUSEBUTTONDOWN);
    ui_input_sync();
}

static void sdl_window_event(const SDL_WindowEvent *ev)
{
    switch (ev->event) {
    case SDL_WINDOWEVENT_CLOSE:
        runstate_request_shutdown(SHUTDOWN_CAUSE_HOST_UI, 0);
        break;
    case SDL_WINDOWEVENT_FOCUS_LOST:
        ui_input_release_all();
        break;
    case SDL_WINDOWEVENT_RESIZED:
        /* Our own SetWindowSize comes back too: only a size the user
           chose goes to the guest. */
        if (sdl.con && ui_console_active(sdl.con) &&
            (ev->data1 != sdl.win_w || ev->data2 != sdl.win_h))
            ui_console_request_size(sdl.con, ev->data1, ev->data2);
        sdl.redraw = true;
        break;
    case SDL_WINDOWEVENT_EXPOSED:
    case SDL_WINDOWEVENT_SIZE_CHANGED:
        sdl.redraw = true;
        break;
    }
}

static gboolean sdl_refresh(gpointer opaque)
{
    SDL_Event ev;

    (void)opaque;
    while (SDL_PollEvent(&ev)) {
        switch (ev.type) {
        case SDL_QUIT:
            runstate_request_shutdown(SHUTDOWN_CAUSE_HOST_UI, 0);
            break;
        case SDL_KEYDOWN:
        case SDL_KEYUP:
            sdl_key(&ev.key);
            break;
        case SDL_MOUSEMOTION:
            sdl_motion(&ev.motion);
            break;
        case SDL_MOUSEBUTTONDOWN:
        case SDL_MOUSEBUTTONUP:
            sdl_button(&ev.button);
            break;
        case SDL_MOUSEWHEEL:
            if (ev.wheel.y) {
                ui_input_event(INPUT_EVENT_REL, REL_WHEEL, ev.wheel.y);
                ui_input_sync();
            }
            break;
        case SDL_WINDOWEVENT:
            sdl_window_event(&ev.window);
            break;
        }
    }
    sdl_refresh_screen();
    return G_SOURCE_CONTINUE;
}

bool ui_sdl_module_init(char **err);
void ui_sdl_module_cleanup(void);

bool ui_sdl_module_init(char **err)
{
    int w = 640, h = 480;

    const char *driver = getenv("SDL_VIDEODRIVER");

    /* Without a display SDL would fall back to its invisible "offscreen"
       driver: say so instead, unless SDL_VIDEODRIVER asks for it. */
    if (!driver && !getenv("DISPLAY") && !getenv("WAYLAND_DISPLAY")) {
        *err = g_strdup("cannot open a window: there is no X11 or Wayland "
                        "display ($DISPLAY and $WAYLAND_DISPLAY are unset); "
                        "-display none runs without one");
        return false;
    }
    /* Our own signal handling stays (Ctrl-C, SIGTERM). */
    SDL_SetHint(SDL_HINT_NO_SIGNAL_HANDLERS, "1");
    SDL_SetHint(SDL_HINT_GRAB_KEYBOARD, "1");
    if (SDL_Init(SDL_INIT_VIDEO) != 0) {
        *err = g_strdup_printf("cannot open a window: %s", SDL_GetError());
        return false;
    }
    if (!driver && (!strcmp(SDL_GetCurrentVideoDriver(), "offscreen") ||
                    !strcmp(SDL_GetCurrentVideoDriver(), "dummy"))) {
        *err = g_strdup_printf("cannot open a window: SDL found no display "
                               "(only its '%s' driver)",
                               SDL_GetCurrentVideoDriver());
        SDL_Quit();
        return false;
    }
    sdl.con = ui_console_get_default();
    if (sdl.con) {
        w = pixman_image_get_width(ui_console_surface(sdl.con));
        h = pixman_image_get_height(ui_console_surface(sdl.con));
    }
    sdl.win = SDL_CreateWindow(TITLE, SDL_WINDOWPOS_UNDEFINED,
                               SDL_WINDOWPOS_UNDEFINED, w, h,
                               SDL_WINDOW_RESIZABLE);
    sdl.ren = sdl.win ? SDL_CreateRenderer(sdl.win, -1, 0) : NULL;
    if (!sdl.ren) {
        *err = g_strdup_printf("cannot open a window: %s", SDL_GetError());
        if (sdl.win)
            SDL_DestroyWindow(sdl.win);
        sdl.win = NULL;
        SDL_Quit();
        return false;
    }
    SDL_StopTextInput();
    sdl_update_title();
    if (sdl.con)
        sdl_resize();
    sdl.redraw = true;
    sdl.timer = g_timeout_source_new(REFRESH_MS);
    g_source_set_callback(sdl.timer, sdl_refresh, NULL, NULL);
    g_source_attach(sdl.timer, main_loop_context());
    return true;
}

void ui_sdl_module_cleanup(void)
{
    if (!sdl.win)
        return;
    g_source_destroy(sdl.timer);
    g_source_unref(sdl.timer);
    if (sdl.cursor)
        SDL_FreeCursor(sdl.cursor);
    if (sdl.tex)
        SDL_DestroyTexture(sdl.tex);
    SDL_DestroyRenderer(sdl.ren);
    SDL_DestroyWindow(sdl.win);
    SDL_Quit();
    sdl.win = NULL;
}

#endif
