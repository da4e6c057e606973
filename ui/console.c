/*
 * Display consoles (include/mimic/ui.h): the image a graphics device
 * shows, kept by the UI in one host format (x8r8g8b8) with the region
 * that changed since a frontend last looked.  The device copies into it
 * from its own images, in whatever 32-bit format the guest chose, so no
 * pointer into device or guest memory outlives a call; frontends (the
 * SDL window, screendump) read the surface on the main loop.  Everything
 * runs with the BQL held.
 */
#include <string.h>

#include <glib.h>

#include "mimic/ui.h"

/* What a console shows while the guest has no scanout (QEMU's size). */
#define NO_SIGNAL_WIDTH 640
#define NO_SIGNAL_HEIGHT 480

struct UIConsole {
    const UIConsoleOps *ops;
    void *opaque;
    pixman_image_t *surface;
    bool active;
    unsigned generation;
    pixman_region32_t dirty;
    /* The guest's cursor. */
    uint32_t *cursor;
    int cursor_w, cursor_h, hot_x, hot_y, cursor_x, cursor_y;
    unsigned cursor_generation;
};

static GPtrArray *consoles;

static void console_set_surface(UIConsole *con, int width, int height)
{
    if (con->surface)
        pixman_image_unref(con->surface);
    con->surface = pixman_image_create_bits(UI_HOST_FORMAT, width, height,
                                            NULL, width * 4);
    g_assert(con->surface);    /* pixman allocates zeroed bits or aborts */
    pixman_region32_fini(&con->dirty);
    pixman_region32_init_rect(&con->dirty, 0, 0, width, height);
    con->generation++;
}

UIConsole *ui_console_new(const UIConsoleOps *ops, void *opaque)
{
    UIConsole *con = g_new0(UIConsole, 1);

    con->ops = ops;
    con->opaque = opaque;
    pixman_region32_init(&con->dirty);
    console_set_surface(con, NO_SIGNAL_WIDTH, NO_SIGNAL_HEIGHT);
    if (!consoles)
        consoles = g_ptr_array_new();
    g_ptr_array_add(consoles, con);
    return con;
}

UIConsole *ui_console_get_default(void)
{
    return consoles && consoles->len ? g_ptr_array_index(consoles, 0) : NULL;
}

void ui_console_resize(UIConsole *con, int width, int height)
{
    con->active = width > 0 && height > 0;
    if (!con->active) {
        width = NO_SIGNAL_WIDTH;
        height = NO_SIGNAL_HEIGHT;
    }
    console_set_surface(con, width, height);
}

void ui_console_copy(UIConsole *con, pixman_image_t *src, int sx, int sy,
                     int dx, int dy, int w, int h)
{
    int sw = pixman_image_get_width(con->surface);
    int sh = pixman_image_get_height(con->surface);

    /* Clip to the surface (the source is the device's to get right). */
    if (dx < 0) {
        sx -= dx;
        w += dx;
        dx = 0;
    }
    if (dy < 0) {
        sy -= dy;
        h += dy;
        dy = 0;
    }
    w = MIN(w, sw - dx);
    h = MIN(h, sh - dy);
    if (w <= 0 || h <= 0 || !con->active)
        return;
    /* SRC with an x8 destination drops any alpha: the scanout is opaque. */
    pixman_image_composite32(PIXMAN_OP_SRC, src, NULL, con->surface,
                             sx, sy, 0, 0, dx, dy, w, h);
    pixman_region32_union_rect(&con->dirty, &con->dirty, dx, dy,
                               (unsigned)w, (unsigned)h);
}

void ui_console_define_cursor(UIConsole *con, const uint32_t *argb, int w,
                              int h, int hot_x, int hot_y)
{
    g_free(con->cursor);
    con->cursor = NULL;
    if (argb && w > 0 && h > 0) {
        con->cursor = g_memdup2(argb, (gsize)w * h * 4);
        con->cursor_w = w;
        con->cursor_h = h;
        con->hot_x = hot_x;
        con->hot_y = hot_y;
    }
    con->cursor_generation++;
}

void ui_console_move_cursor(UIConsole *con, int x, int y)
{
    con->cursor_x = x;
    con->cursor_y = y;
}

pixman_image_t *ui_console_surface(UIConsole *con)
{
    return con->surface;
}

bool ui_console_active(const UIConsole *con)
{
    return con->active;
}

unsigned ui_console_generation(const UIConsole *con)
{
    return con->generation;
}

bool ui_console_take_dirty(UIConsole *con, pixman_box32_t *box)
{
    if (!pixman_region32_not_empty(&con->dirty))
        return false;
    *box = *pixman_region32_extents(&con->dirty);
    pixman_region32_clear(&con->dirty);
    return true;
}

bool ui_console_cursor(const UIConsole *con, const uint32_t **image, int *w,
                       int *h, int *hot_x, int *hot_y, int *x, int *y,
                       unsigned *generation)
{
    *generation = con->cursor_generation;
    if (!con->cursor)
        return false;
    *image = con->cursor;
    *w = con->cursor_w;
    *h = con->cursor_h;
    *hot_x = con->hot_x;
    *hot_y = con->hot_y;
    *x = con->cursor_x;
    *y = con->cursor_y;
    return true;
}

void ui_console_request_size(UIConsole *con, int width, int height)
{
    if (con->ops && con->ops->ui_info && width > 0 && height > 0)
        con->ops->ui_info(con->opaque, width, height);
}
