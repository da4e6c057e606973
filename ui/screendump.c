/*
 * Screendump (include/mimic/ui.h): the default console's image as a PNG
 * (libpng, 8-bit RGB) or a binary PPM (P6), as the monitor's screendump
 * command writes it.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <glib.h>
#include <png.h>

#include "mimic/ui.h"

bool ui_image_format_parse(const char *name, UIImageFormat *fmt)
{
    if (!strcmp(name, "png"))
        *fmt = UI_IMAGE_PNG;
    else if (!strcmp(name, "ppm"))
        *fmt = UI_IMAGE_PPM;
    else
        return false;
    return true;
}

/* Row y of an x8r8g8b8 image as RGB bytes. */
static void row_to_rgb(pixman_image_t *img, int y, uint8_t *rgb)
{
    const uint32_t *p = (const uint32_t *)((const uint8_t *)
        pixman_image_get_data(img) + (size_t)y * pixman_image_get_stride(img));
    int w = pixman_image_get_width(img);

    for (int x = 0; x < w; x++) {
        rgb[3 * x] = (uint8_t)(p[x] >> 16);
        rgb[3 * x + 1] = (uint8_t)(p[x] >> 8);
        rgb[3 * x + 2] = (uint8_t)p[x];
    }
}

static bool write_ppm(pixman_image_t *img, FILE *f)
{
    int w = pixman_image_get_width(img), h = pixman_image_get_height(img);
    g_autofree uint8_t *rgb = g_malloc((size_t)w * 3);

    if (fprintf(f, "P6\n%d %d\n255\n", w, h) < 0)
        return false;
    for (int y = 0; y < h; y++) {
        row_to_rgb(img, y, rgb);
        if (fwrite(rgb, 3, (size_t)w, f) != (size_t)w)
            return false;
    }
    return true;
}

static bool write_png(pixman_image_t *img, FILE *f)
{
    int w = pixman_image_get_width(img), h = pixman_image_get_height(img);
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL,
                                              NULL, NULL);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    uint8_t *volatile rgb = NULL;
    bool ok = false;

    if (!info)
        goto out;
    /* libpng reports write errors by longjmp. */
    if (setjmp(png_jmpbuf(png)))
        goto out;
    rgb = g_malloc((size_t)w * 3);
    png_init_io(png, f);
    png_set_IHDR(png, info, (png_uint_32)w, (png_uint_32)h, 8,
                 PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    /* Screens are mostly flat colour: fast compression is plenty. */
    png_set_compression_level(png, 1);
    png_write_info(png, info);
    for (int y = 0; y < h; y++) {
        row_to_rgb(img, y, rgb);
        png_write_row(png, rgb);
    }
    png_write_end(png, NULL);
    ok = true;
out:
    png_destroy_write_struct(&png, info ? &info : NULL);
    g_free(rgb);
    return ok;
}

bool ui_write_image(pixman_image_t *img, const char *path, UIImageFormat fmt,
                    char **err)
{
    FILE *f = fopen(path, "wb");
    bool ok;

    if (!f) {
        *err = g_strdup_printf("Could not open '%s': %s", path,
                               g_strerror(errno));
        return false;
    }
    ok = fmt == UI_IMAGE_PNG ? write_png(img, f) : write_ppm(img, f);
    if (fclose(f) != 0)
        ok = false;
    if (!ok) {
        *err = g_strdup_printf("failed to write '%s'", path);
        return false;
    }
    return true;
}

bool ui_screendump(const char *path, UIImageFormat fmt, char **err)
{
    UIConsole *con = ui_console_get_default();

    if (!con) {
        *err = g_strdup("There is no console to take a screendump from "
                        "(add -device virtio-gpu-device)");
        return false;
    }
    return ui_write_image(ui_console_surface(con), path, fmt, err);
}
