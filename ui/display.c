/*
 * The -display option (include/mimic/ui.h): which frontend shows the
 * console.  `none` is headless (screendump still works); `sdl` is a
 * window (ui/sdl.c), when the build has SDL.
 */
#include <string.h>

#include <glib.h>

#include "config-host.h"
#include "mimic/options.h"
#include "mimic/ui.h"

bool ui_display_parse(const char *spec, UIDisplayType *type, char **err)
{
    g_autoptr(GHashTable) opts = opts_parse(spec, "type", err);
    g_autofree char *name = NULL, *gl = NULL;

    if (!opts)
        return false;
    name = opts_take(opts, "type");
    if (name && !strcmp(name, "none")) {
        *type = UI_DISPLAY_NONE;
    } else if (name && !strcmp(name, "sdl")) {
        if (!ui_sdl_available()) {
            *err = g_strdup("this build has no SDL (configured with "
                            "--disable-sdl)");
            return false;
        }
        *type = UI_DISPLAY_SDL;
        /* No OpenGL: gl=off is what there is. */
        gl = opts_take(opts, "gl");
        if (gl && strcmp(gl, "off")) {
            *err = g_strdup_printf("gl=%s is not supported (only gl=off)", gl);
            return false;
        }
    } else {
        *err = g_strdup_printf("display '%s' is not available (none%s)",
                               name ? name : "",
                               ui_sdl_available() ? ", sdl" : "");
        return false;
    }
    if (opts_first_key(opts)) {
        *err = g_strdup_printf("unknown parameter '%s'", opts_first_key(opts));
        return false;
    }
    return true;
}
