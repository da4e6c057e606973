/*
 * The chardev core (include/mimic/chardev.h): the registry of backends by
 * id, parsing of -chardev and -serial strings, and the input path.  Input
 * from a backend first passes the mux escape filter (char-mux.c), then
 * waits in a small buffer until the frontend's can_read() says it has room;
 * when the frontend makes room from a vCPU thread, delivery is resumed on
 * the main loop, so the frontend always receives under the BQL on the main
 * thread.
 */
#include <string.h>

#include "char-internal.h"
#include "mimic/log.h"
#include "mimic/options.h"

static GHashTable *chardevs;   /* id -> Chardev */
static unsigned anon_count;

static bool null_open(Chardev *chr, GHashTable *opts, char **err)
{
    return true;
}

static int null_write(Chardev *chr, const uint8_t *buf, int len)
{
    return len;
}

static const ChardevClass chardev_null_class = {
    .name = "null",
    .open = null_open,
    .write = null_write,
};

static const ChardevClass *const classes[] = {
    &chardev_stdio_class, &chardev_file_class, &chardev_null_class,
    &chardev_pty_class, &chardev_socket_class,
};

static const ChardevClass *find_class(const char *name)
{
    for (size_t i = 0; i < G_N_ELEMENTS(classes); i++) {
        if (!strcmp(classes[i]->name, name))
            return classes[i];
    }
    return NULL;
}

Chardev *chardev_find(const char *id)
{
    return chardevs ? g_hash_table_lookup(chardevs, id) : NULL;
}

const char *chardev_id(const Chardev *chr)
{
    return chr->id;
}

/* Creates a backend of class cls from opts (which it consumes). */
static Chardev *chardev_create(const ChardevClass *cls, const char *id,
                               bool mux, GHashTable *opts, char **err)
{
    Chardev *chr;
    const char *left;

    if (chardev_find(id)) {
        *err = g_strdup_printf("duplicate chardev id '%s'", id);
        return NULL;
    }
    chr = g_new0(Chardev, 1);
    chr->id = g_strdup(id);
    chr->cls = cls;
    chr->mux = mux;
    if (mux) {
        chr->mux_fe[0] = chr;
        chr->mux_count = 1;
    }
    /* Sockets say when a client is there (chardev_event). */
    chr->open = cls != &chardev_socket_class;
    if (!cls->open(chr, opts, err)) {
        g_free(chr->id);
        g_free(chr);
        return NULL;
    }
    left = opts_first_key(opts);
    if (left) {
        *err = g_strdup_printf("chardev '%s': unknown parameter '%s'", id, left);
        if (cls->cleanup)
            cls->cleanup(chr);
        g_free(chr->id);
        g_free(chr);
        return NULL;
    }
    if (!chardevs)
        chardevs = g_hash_table_new(g_str_hash, g_str_equal);
    g_hash_table_insert(chardevs, chr->id, chr);
    return chr;
}

Chardev *chardev_new(const char *spec, char **err)
{
    GHashTable *opts = opts_parse(spec, "backend", err);
    g_autofree char *backend = NULL, *id = NULL, *mux = NULL;
    const ChardevClass *cls;
    bool mux_on = false;
    Chardev *chr;

    if (!opts)
        return NULL;
    backend = opts_take(opts, "backend");
    id = opts_take(opts, "id");
    mux = opts_take(opts, "mux");
    cls = backend ? find_class(backend) : NULL;
    if (!cls) {
        *err = backend ? g_strdup_printf("'%s' is not a valid chardev backend "
                                         "(stdio, file, null, pty, socket)", backend)
                       : g_strdup("chardev: no backend given");
    } else if (!id) {
        *err = g_strdup_printf("chardev %s: an id=... is required", backend);
    } else if (mux && !opts_parse_bool(mux, &mux_on)) {
        *err = g_strdup_printf("chardev '%s': mux=%s is not on or off", id, mux);
    } else {
        chr = chardev_create(cls, id, mux_on, opts, err);
        g_hash_table_unref(opts);
        return chr;
    }
    g_hash_table_unref(opts);
    return NULL;
}

/* -serial tcp:[HOST]:PORT[,opts], telnet:[HOST]:PORT[,opts] or
   unix:PATH[,opts]: a socket chardev. */
static Chardev *serial_socket(const char *spec, const char *id, char **err)
{
    bool telnet = g_str_has_prefix(spec, "telnet:");
    bool tcp = telnet || g_str_has_prefix(spec, "tcp:");
    const char *addr = strchr(spec, ':') + 1;
    g_autofree char *first = g_strndup(addr, strcspn(addr, ","));
    const char *rest = addr + strlen(first);
    GHashTable *opts = opts_parse(*rest ? rest + 1 : "", NULL, err);
    Chardev *chr;

    if (!opts)
        return NULL;
    if (tcp) {
        char *colon = strrchr(first, ':');

        if (!colon || !colon[1]) {
            *err = g_strdup_printf("'%s': expected %s:[HOST]:PORT", spec,
                                   telnet ? "telnet" : "tcp");
            g_hash_table_unref(opts);
            return NULL;
        }
        *colon = '\0';
        g_hash_table_insert(opts, g_strdup("host"), g_strdup(first));
        g_hash_table_insert(opts, g_strdup("port"), g_strdup(colon + 1));
        if (telnet)
            g_hash_table_insert(opts, g_strdup("telnet"), g_strdup("on"));
    } else {
        g_hash_table_insert(opts, g_strdup("path"), g_strdup(first));
    }
    chr = chardev_create(&chardev_socket_class, id, false, opts, err);
    g_hash_table_unref(opts);
    return chr;
}

Chardev *chardev_new_serial(const char *spec, char **err)
{
    g_autofree char *id = g_strdup_printf("serial%u", anon_count++);
    GHashTable *opts;
    Chardev *chr = NULL;

    if (!strcmp(spec, "none"))
        return NULL;
    if (g_str_has_prefix(spec, "chardev:")) {
        chr = chardev_find(spec + 8);
        if (!chr)
            *err = g_strdup_printf("chardev '%s' not found", spec + 8);
        return chr;
    }
    opts = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    if (!strcmp(spec, "stdio") || !strcmp(spec, "mon:stdio")) {
        chr = chardev_create(&chardev_stdio_class, id, spec[0] == 'm', opts, err);
    } else if (!strcmp(spec, "null")) {
        chr = chardev_create(&chardev_null_class, id, false, opts, err);
    } else if (g_str_has_prefix(spec, "file:") && spec[5]) {
        g_hash_table_insert(opts, g_strdup("path"), g_strdup(spec + 5));
        chr = chardev_create(&chardev_file_class, id, false, opts, err);
    } else if (!strcmp(spec, "pty")) {
        chr = chardev_create(&chardev_pty_class, id, false, opts, err);
    } else if (g_str_has_prefix(spec, "tcp:") || g_str_has_prefix(spec, "unix:") ||
               g_str_has_prefix(spec, "telnet:")) {
        g_hash_table_unref(opts);
        return serial_socket(spec, id, err);
    } else {
        *err = g_strdup_printf("'%s' is not a valid serial backend (stdio, "
                               "mon:stdio, null, none, pty, file:PATH, "
                               "tcp:[HOST]:PORT[,server,wait=off], "
                               "telnet:[HOST]:PORT[,server,...], unix:PATH[,...], "
                               "chardev:ID)", spec);
    }
    g_hash_table_unref(opts);
    return chr;
}

void chardev_set_handlers(Chardev *chr, ChardevCanRead can_read,
                          ChardevRead read, void *opaque)
{
    if (!chr)
        return;
    chr->can_read = can_read;
    chr->read = read;
    chr->fe_opaque = opaque;
}

void chardev_set_event_handler(Chardev *chr, ChardevEventFn fn)
{
    if (!chr)
        return;
    chr->event = fn;
    if (fn && chr->open)
        fn(chr->fe_opaque, CHARDEV_EVENT_OPENED);
}

bool chardev_is_open(const Chardev *chr)
{
    return chr && chr->open;
}

void chardev_event(Chardev *chr, ChardevEvent event)
{
    bool open = event == CHARDEV_EVENT_OPENED;

    if (chr->open == open)
        return;
    chardev_mux_send_event(chr, event);
}

int chardev_write(Chardev *chr, const uint8_t *buf, int len)
{
    if (!chr)
        return len;
    return chr->cls->write(chr, buf, len);
}

static bool output_full(Chardev *be)
{
    return be->cls->output_full && be->cls->output_full(be);
}

/*
 * Hands buffered input to the frontend as far as it can take it.  Towards
 * a backend whose output can fill (a socket), one byte at a time: any byte
 * may end a request whose answer is large, and the next waits until the
 * client has read enough of the answers.
 */
static void chardev_deliver(Chardev *chr)
{
    Chardev *be = chr->mux_be ? chr->mux_be : chr;
    bool bounded = be->cls->output_full != NULL;

    while (chr->in_len > 0 && chr->read && chr->can_read && !output_full(be)) {
        int n = chr->can_read(chr->fe_opaque);

        if (n <= 0)
            break;
        n = bounded ? 1 : MIN(n, chr->in_len);
        chr->read(chr->fe_opaque, chr->inbuf, n);
        if (chr->in_len < n)
            break; /* dropped meanwhile: the client left */
        memmove(chr->inbuf, chr->inbuf + n, (size_t)(chr->in_len - n));
        chr->in_len -= n;
    }
    if (chardev_input_space(be) > 0 && be->cls->input_resume)
        be->cls->input_resume(be);
}

void chardev_output_drained(Chardev *chr)
{
    int n = chr->mux ? chr->mux_count : 1;

    for (int i = 0; i < n; i++) {
        Chardev *fe = chr->mux ? chr->mux_fe[i] : chr;

        chardev_accept_input(fe);
        if (fe->writable)
            fe->writable(fe->fe_opaque);
    }
}

bool chardev_write_blocked(const Chardev *chr)
{
    const Chardev *be;

    if (!chr)
        return false;
    be = chr->mux_be ? chr->mux_be : chr;
    return be->cls->output_full && be->cls->output_full((Chardev *)be);
}

void chardev_set_writable_handler(Chardev *chr, ChardevWritableFn fn)
{
    if (chr)
        chr->writable = fn;
}

bool chardev_in_use(const Chardev *chr)
{
    return chr && (chr->read || chr->event || chr->writable);
}

void chardev_drop_input(Chardev *chr)
{
    chr->in_len = 0;
    for (int i = 1; chr->mux && i < chr->mux_count; i++)
        chr->mux_fe[i]->in_len = 0;
}

int chardev_input_space(Chardev *chr)
{
    return CHARDEV_INBUF_SIZE - chardev_input_target(chr)->in_len;
}

void chardev_receive(Chardev *chr, const uint8_t *buf, int len)
{
    for (int i = 0; i < len; i++) {
        Chardev *dst;

        /* The focus may move within buf (C-a c): pick the target per byte. */
        if (chr->mux && !chardev_mux_filter(chr, buf[i]))
            continue;
        dst = chardev_input_target(chr);
        if (dst->in_len < CHARDEV_INBUF_SIZE)
            dst->inbuf[dst->in_len++] = buf[i];
    }
    if (!chr->mux) {
        chardev_deliver(chr);
        return;
    }
    for (int i = 0; i < chr->mux_count; i++)
        chardev_deliver(chr->mux_fe[i]);
}

static gboolean deliver_idle(gpointer data)
{
    Chardev *chr = data;

    __atomic_store_n(&chr->accept_scheduled, 0, __ATOMIC_SEQ_CST);
    chardev_deliver(chr);
    return G_SOURCE_REMOVE;
}

void chardev_accept_input(Chardev *chr)
{
    if (!chr || __atomic_exchange_n(&chr->accept_scheduled, 1, __ATOMIC_SEQ_CST))
        return;
    g_idle_add(deliver_idle, chr);
}

void chardev_cleanup_all(void)
{
    GHashTableIter it;
    gpointer v;

    if (!chardevs)
        return;
    g_hash_table_iter_init(&it, chardevs);
    while (g_hash_table_iter_next(&it, NULL, &v)) {
        Chardev *chr = v;

        if (chr->cls->cleanup)
            chr->cls->cleanup(chr);
    }
}
