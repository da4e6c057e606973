/* needs: none */
/*
 * Unit tests of ui/: key names and numbers, the console (format
 * conversion into the host format, dirty region, resize), the PPM writer,
 * and the input router (routing by kind, sync, releasing held keys).
 */
#include <glib.h>
#include <glib/gstdio.h>

#include "mimic/ui.h"
#include "unit.h"

TEST(key_names)
{
    unsigned codes[8];
    char *err = NULL;
    int n;

    EXPECT_EQ(ui_qcode_to_evdev("a"), KEY_A);
    EXPECT_EQ(ui_qcode_to_evdev("ret"), KEY_ENTER);
    EXPECT_EQ(ui_qcode_to_evdev("kp_enter"), KEY_KPENTER);
    EXPECT_EQ(ui_qcode_to_evdev("nosuchkey"), 0);
    EXPECT_STREQ(ui_evdev_to_qcode(KEY_SPACE), "spc");
    EXPECT(ui_parse_key_combo("ctrl-alt-f1", codes, 8, &n, &err));
    EXPECT_EQ(n, 3);
    EXPECT_EQ(codes[0], KEY_LEFTCTRL);
    EXPECT_EQ(codes[1], KEY_LEFTALT);
    EXPECT_EQ(codes[2], KEY_F1);
    EXPECT(ui_parse_key_combo("-", codes, 8, &n, &err));
    EXPECT_EQ(codes[0], KEY_MINUS);
    EXPECT(ui_parse_key_combo("shift-0x1e", codes, 8, &n, &err));
    EXPECT_EQ(codes[1], KEY_A);
    EXPECT(!ui_parse_key_combo("ctrl-bogus", codes, 8, &n, &err));
    EXPECT(err && strstr(err, "bogus"));
    g_free(err);
    /* QEMU key numbers: set 1 and the 0xe0-prefixed ones. */
    EXPECT_EQ(ui_qnum_to_evdev(0x1c), KEY_ENTER);
    EXPECT_EQ(ui_qnum_to_evdev(0x9c), KEY_KPENTER);
    EXPECT_EQ(ui_qnum_to_evdev(0xc8), KEY_UP);
    EXPECT_EQ(ui_qnum_to_evdev(0x54), 0);
    /* USB HID usages (SDL scancodes). */
    EXPECT_EQ(ui_hid_to_evdev(0x04), KEY_A);
    EXPECT_EQ(ui_hid_to_evdev(0x1e), KEY_1);
    EXPECT_EQ(ui_hid_to_evdev(0x27), KEY_0);
    EXPECT_EQ(ui_hid_to_evdev(0x28), KEY_ENTER);
    EXPECT_EQ(ui_hid_to_evdev(0x2d), KEY_MINUS);
    EXPECT_EQ(ui_hid_to_evdev(0x4f), KEY_RIGHT);
    EXPECT_EQ(ui_hid_to_evdev(0x52), KEY_UP);
    EXPECT_EQ(ui_hid_to_evdev(0x58), KEY_KPENTER);
    EXPECT_EQ(ui_hid_to_evdev(0xe0), KEY_LEFTCTRL);
    EXPECT_EQ(ui_hid_to_evdev(0xe7), KEY_RIGHTMETA);
    EXPECT_EQ(ui_hid_to_evdev(0x3000), 0);
}

static UIConsole *con;

static pixman_image_t *guest_image(pixman_format_code_t fmt, uint32_t *bits,
                                   int w, int h)
{
    return pixman_image_create_bits(fmt, w, h, bits, w * 4);
}

TEST(console_conversion_and_dirty)
{
    /* Bytes R, G, B, X in memory: a guest R8G8B8X8 resource. */
    uint8_t rgbx[4 * 4 * 4];
    pixman_image_t *src, *surf;
    pixman_box32_t box;
    uint32_t px;

    if (!con)
        con = ui_console_new(NULL, NULL);
    EXPECT(ui_console_get_default() == con);
    EXPECT(!ui_console_active(con));
    ui_console_resize(con, 8, 4);
    EXPECT(ui_console_active(con));
    surf = ui_console_surface(con);
    EXPECT_EQ(pixman_image_get_width(surf), 8);
    EXPECT(ui_console_take_dirty(con, &box));     /* all of it, new */
    EXPECT(!ui_console_take_dirty(con, &box));
    for (int i = 0; i < 16; i++) {
        rgbx[4 * i] = 0x11;
        rgbx[4 * i + 1] = 0x22;
        rgbx[4 * i + 2] = 0x33;
        rgbx[4 * i + 3] = 0x00;
    }
    src = guest_image(PIXMAN_x8b8g8r8, (uint32_t *)rgbx, 4, 4);
    /* Clipped to the surface: 4x4 at (6, 2) covers 2x2. */
    ui_console_copy(con, src, 0, 0, 6, 2, 4, 4);
    pixman_image_unref(src);
    EXPECT(ui_console_take_dirty(con, &box));
    EXPECT_EQ(box.x1, 6);
    EXPECT_EQ(box.y1, 2);
    EXPECT_EQ(box.x2, 8);
    EXPECT_EQ(box.y2, 4);
    px = pixman_image_get_data(surf)[3 * 8 + 7];
    EXPECT_EQ(px & 0xffffff, 0x112233);           /* x8r8g8b8 */
    EXPECT_EQ(pixman_image_get_data(surf)[0], 0); /* untouched */
}

TEST(ppm_screendump)
{
    g_autofree char *dir = g_dir_make_tmp("mimic-ui-XXXXXX", NULL);
    g_autofree char *path = g_build_filename(dir, "s.ppm", NULL);
    g_autofree char *data = NULL;
    char *err = NULL;
    gsize len;
    uint32_t *bits;

    if (!con)
        con = ui_console_new(NULL, NULL);
    ui_console_resize(con, 2, 1);
    bits = pixman_image_get_data(ui_console_surface(con));
    bits[0] = 0x00ff8001;
    bits[1] = 0x00000000;
    EXPECT(ui_screendump(path, UI_IMAGE_PPM, &err));
    EXPECT(g_file_get_contents(path, &data, &len, NULL));
    EXPECT_EQ(len, 11 + 6);
    EXPECT(!memcmp(data, "P6\n2 1\n255\n\xff\x80\x01\0\0\0", 17));
    EXPECT(!ui_screendump("/nonexistent/dir/s.ppm", UI_IMAGE_PPM, &err));
    EXPECT(err && strstr(err, "Could not open"));
    g_free(err);
    g_unlink(path);
    g_rmdir(dir);
}

static GString *seen;

static void rec_event(void *opaque, const InputEvent *ev)
{
    g_string_append_printf(seen, "%s:%d:%u:%d ", (const char *)opaque,
                           ev->kind, ev->code, ev->value);
}

static void rec_sync(void *opaque)
{
    g_string_append_printf(seen, "%s:sync ", (const char *)opaque);
}

TEST(input_router)
{
    static const InputHandlerOps kbd = {
        "kbd", INPUT_MASK(INPUT_EVENT_KEY), rec_event, rec_sync,
    };
    static const InputHandlerOps ptr = {
        "ptr", INPUT_MASK(INPUT_EVENT_BTN) | INPUT_MASK(INPUT_EVENT_ABS),
        rec_event, rec_sync,
    };

    seen = g_string_new(NULL);
    EXPECT(!ui_input_has_handler(INPUT_EVENT_KEY));
    ui_input_event(INPUT_EVENT_KEY, KEY_A, 1);    /* nobody: dropped */
    ui_input_register(&kbd, (void *)"k");
    ui_input_register(&ptr, (void *)"p");
    EXPECT(ui_input_has_handler(INPUT_EVENT_ABS));
    EXPECT(!ui_input_has_handler(INPUT_EVENT_REL));
    g_string_truncate(seen, 0);
    ui_input_key(KEY_B, true);
    ui_input_event(INPUT_EVENT_ABS, ABS_X, 100);
    ui_input_sync();
    EXPECT_STREQ(seen->str, "k:0:48:1 p:2:0:100 k:sync p:sync ");
    EXPECT(ui_input_key_is_down(KEY_B));
    g_string_truncate(seen, 0);
    ui_input_sync();                              /* nothing pending */
    EXPECT_STREQ(seen->str, "");
    ui_input_release_all();                       /* A (unrouted) and B */
    EXPECT_STREQ(seen->str, "k:0:30:0 k:0:48:0 k:sync ");
    EXPECT(!ui_input_key_is_down(KEY_B));
    g_string_free(seen, TRUE);
}

int main(void)
{
    return unit_run();
}
