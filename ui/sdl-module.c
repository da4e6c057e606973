/*
 * Opens -display sdl's window module.  The SDL frontend (ui/sdl.c) is built
 * as build/ui-sdl.so beside the emulator and opened only when a window is
 * wanted: linked in, SDL and the ~50 libraries it needs (X11, Wayland,
 * audio, codecs) were loaded and relocated by every run, ~25 ms of each
 * start, windowless or not.  The module calls back into the emulator,
 * which is linked with -rdynamic for that.
 */
#include <dlfcn.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib.h>

#include "config-host.h"
#include "mimic/ui.h"

#define SDL_MODULE "ui-sdl.so"

static void (*module_cleanup)(void);

/* The module's path: beside the running executable. */
static char *module_path(void)
{
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
    g_autofree char *dir = NULL;

    if (n <= 0)
        return NULL;
    exe[n] = '\0';
    dir = g_path_get_dirname(exe);
    return g_build_filename(dir, SDL_MODULE, NULL);
}

bool ui_sdl_available(void)
{
#ifdef CONFIG_SDL
    return true;
#else
    return false;
#endif
}

bool ui_sdl_init(char **err)
{
#ifdef CONFIG_SDL
    g_autofree char *path = module_path();
    bool (*init)(char **err);
    void *h;

    if (!path) {
        *err = g_strdup("cannot open a window: cannot find the emulator's "
                        "own directory (/proc/self/exe) to load " SDL_MODULE);
        return false;
    }
    h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        *err = g_strdup_printf("cannot open a window: cannot load the SDL "
                               "module: %s", dlerror());
        return false;
    }
    init = (bool (*)(char **))dlsym(h, "ui_sdl_module_init");
    module_cleanup = (void (*)(void))dlsym(h, "ui_sdl_module_cleanup");
    if (!init || !module_cleanup) {
        *err = g_strdup_printf("cannot open a window: %s is not Mimic's SDL "
                               "module", path);
        module_cleanup = NULL;
        dlclose(h);
        return false;
    }
    if (!init(err)) {
        module_cleanup = NULL;
        return false;     /* SDL may keep threads: the module stays open */
    }
    return true;
#else
    *err = g_strdup("this build has no SDL (configured with --disable-sdl)");
    return false;
#endif
}

void ui_cleanup(void)
{
    if (module_cleanup)
        module_cleanup();
}
