/*
 * The semihosting options as QEMU spells them: -semihosting (enable=on)
 * and -semihosting-config enable=on|off,target=native|gdb|auto,
 * chardev=ID,userspace=on|off,arg=STR (repeatable), plus Mimic's root=DIR,
 * the host directory the guest's files are confined to (default: the
 * current directory; root=/ lifts the confinement, as in QEMU).
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "mimic/log.h"
#include "mimic/options.h"
#include "mimic/semihosting.h"
#include "semihosting-opts.h"

static _Noreturn void sh_die(const char *spec, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void sh_die(const char *spec, const char *fmt, ...)
{
    char *msg;
    va_list ap;

    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    if (spec)
        error_report("-semihosting-config %s: %s", spec, msg);
    /* QEMU adds this line after a bad key or value. */
    if (spec && g_str_has_prefix(fmt, "Invalid parameter"))
        error_report("-semihosting-config %s: unsupported semihosting-config %s",
                     spec, spec);
    else if (spec && strstr(fmt, "expects"))
        error_report("-semihosting-config %s: unsupported semihosting-config %s",
                     spec, spec);
    if (!spec)
        error_report("%s", msg);
    g_free(msg);    /* exit() runs no g_autofree cleanup */
    exit(1);
}

static void take_bool(const char *spec, GHashTable *o, const char *key,
                      bool *v)
{
    g_autofree char *s = opts_take(o, key);

    if (s && !opts_parse_bool(s, v))
        sh_die(spec, "Parameter '%s' expects 'on' or 'off'", key);
}

/* SYS_GET_CMDLINE without arg=: the kernel path and the -append words. */
static char *fallback_cmdline(const char *kernel, const char *append)
{
    GString *s = g_string_new(kernel ? kernel : "");
    g_auto(GStrv) words = g_strsplit(append ? append : "", " ", -1);

    for (int i = 0; words[i]; i++) {
        if (!*words[i])
            continue;
        if (s->len)
            g_string_append_c(s, ' ');
        g_string_append(s, words[i]);
    }
    return g_string_free(s, FALSE);
}

void semihosting_setup(bool enabled, GPtrArray *configs, const char *kernel,
                       const char *append)
{
    SemihostingConfig cfg = { .enabled = enabled };
    g_autoptr(GPtrArray) args = g_ptr_array_new_with_free_func(g_free);
    g_autofree char *chardev = NULL, *root = NULL, *cmdline = NULL;
    g_autofree char *err = NULL;

    for (guint i = 0; i < configs->len; i++) {
        const char *spec = g_ptr_array_index(configs, i);
        g_autoptr(GHashTable) o = opts_parse_multi(spec, "enable", "arg",
                                                   args, &err);
        g_autofree char *target = NULL, *v = NULL;
        const char *left;

        if (!o)
            sh_die(spec, "%s", err);
        cfg.enabled = true;      /* QEMU: enable defaults to on here */
        take_bool(spec, o, "enable", &cfg.enabled);
        take_bool(spec, o, "userspace", &cfg.userspace);
        target = opts_take(o, "target");
        if (target && strcmp(target, "native") && strcmp(target, "auto")) {
            if (!strcmp(target, "gdb"))
                sh_die(spec, "target=gdb is not supported: Mimic's gdb stub "
                       "has no File-I/O; use target=native or auto");
            sh_die(spec, "unsupported semihosting-config target=%s", target);
        }
        if ((v = opts_take(o, "chardev"))) {
            g_free(chardev);
            chardev = g_steal_pointer(&v);
        }
        if ((v = opts_take(o, "root"))) {
            if (!*v)
                sh_die(spec, "root= needs a directory");
            g_free(root);
            root = g_steal_pointer(&v);
        }
        left = opts_first_key(o);
        if (left)
            sh_die(spec, "Invalid parameter '%s'", left);
    }
    if (chardev) {
        cfg.chardev = chardev_find(chardev);
        if (!cfg.chardev)
            sh_die(NULL, "semihosting chardev '%s' not found", chardev);
    }
    if (args->len) {
        g_ptr_array_add(args, NULL);
        cmdline = g_strjoinv(" ", (char **)args->pdata);
        g_ptr_array_set_size(args, args->len - 1);
    } else {
        cmdline = fallback_cmdline(kernel, append);
    }
    cfg.cmdline = cmdline;
    /* Confined to the current directory unless root=/ says otherwise. */
    cfg.root = root && !strcmp(root, "/") ? NULL : root ? root : ".";
    if (cfg.enabled && !semihosting_configure(&cfg, &err))
        sh_die(NULL, "%s", err);
}
