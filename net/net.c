/*
 * Network backends (include/mimic/net.h): creation from -netdev strings,
 * lookup by id, the link to the one NIC of each backend, and the small
 * queue of frames the NIC had no buffers for.
 */
#include <string.h>

#include "mimic/options.h"
#include "net-internal.h"

#define NET_QUEUE_MAX 64      /* frames held for a NIC without buffers */

static GHashTable *backends;

static const NetBackendClass *const classes[] = { &net_user_class };

NetBackend *net_backend_new(const char *spec, char **err)
{
    g_autoptr(GPtrArray) fwds = g_ptr_array_new_with_free_func(g_free);
    g_autoptr(GHashTable) opts = NULL;
    g_autofree char *type = NULL, *id = NULL;
    const NetBackendClass *cls = NULL;
    NetBackend *nb;

    opts = opts_parse_multi(spec, "type", "hostfwd", fwds, err);
    if (!opts)
        return NULL;
    type = opts_take(opts, "type");
    id = opts_take(opts, "id");
    for (size_t i = 0; type && i < G_N_ELEMENTS(classes); i++) {
        if (!strcmp(classes[i]->name, type))
            cls = classes[i];
    }
    if (!cls) {
        *err = g_strdup_printf("network backend '%s' is not available here "
                               "(only 'user' is)", type ? type : "");
        return NULL;
    }
    if (!id || !*id) {
        *err = g_strdup("a network backend needs id=ID");
        return NULL;
    }
    if (net_backend_find(id)) {
        *err = g_strdup_printf("duplicate network backend id '%s'", id);
        return NULL;
    }
    nb = g_new0(NetBackend, 1);
    nb->id = g_steal_pointer(&id);
    nb->cls = cls;
    g_queue_init(&nb->queue);
    if (!cls->open(nb, opts, fwds, err)) {
        g_free(nb->id);
        g_free(nb);
        return NULL;
    }
    if (opts_first_key(opts)) {
        *err = g_strdup_printf("'%s' is not a parameter of the %s network "
                               "backend", opts_first_key(opts), cls->name);
        cls->cleanup(nb);
        g_free(nb->id);
        g_free(nb);
        return NULL;
    }
    if (!backends)
        backends = g_hash_table_new(g_str_hash, g_str_equal);
    g_hash_table_insert(backends, nb->id, nb);
    return nb;
}

/* ---- The callback backend (tests and fuzzing) ---- */

typedef struct CallbackBackend {
    NetSendFunc send;
    void *opaque;
} CallbackBackend;

static void callback_send(NetBackend *nb, const uint8_t *buf, size_t len)
{
    CallbackBackend *cb = nb->be;

    cb->send(cb->opaque, buf, len);
}

static void callback_cleanup(NetBackend *nb)
{
    g_free(nb->be);
    nb->be = NULL;
}

static const NetBackendClass net_callback_class = {
    .name = "callback",
    .send = callback_send,
    .cleanup = callback_cleanup,
};

NetBackend *net_backend_new_callback(const char *id, NetSendFunc send,
                                     void *opaque, char **err)
{
    CallbackBackend *cb;
    NetBackend *nb;

    if (net_backend_find(id)) {
        *err = g_strdup_printf("duplicate network backend id '%s'", id);
        return NULL;
    }
    cb = g_new0(CallbackBackend, 1);
    cb->send = send;
    cb->opaque = opaque;
    nb = g_new0(NetBackend, 1);
    nb->id = g_strdup(id);
    nb->cls = &net_callback_class;
    nb->be = cb;
    g_queue_init(&nb->queue);
    if (!backends)
        backends = g_hash_table_new(g_str_hash, g_str_equal);
    g_hash_table_insert(backends, nb->id, nb);
    return nb;
}

void net_backend_inject(NetBackend *nb, const uint8_t *buf, size_t len)
{
    net_deliver(nb, buf, len);
}

NetBackend *net_backend_find(const char *id)
{
    return backends ? g_hash_table_lookup(backends, id) : NULL;
}

const char *net_backend_id(const NetBackend *nb)
{
    return nb->id;
}

bool net_backend_attach(NetBackend *nb, const NetFrontendOps *ops,
                        void *opaque, char **err)
{
    if (nb->fe) {
        *err = g_strdup_printf("network backend '%s' already has a NIC",
                               nb->id);
        return false;
    }
    nb->fe = ops;
    nb->fe_opaque = opaque;
    return true;
}

void net_send(NetBackend *nb, const uint8_t *buf, size_t len)
{
    nb->cls->send(nb, buf, len);
}

void net_deliver(NetBackend *nb, const uint8_t *buf, size_t len)
{
    if (!nb->fe)
        return;                          /* no NIC: the wire is cut */
    if (g_queue_is_empty(&nb->queue) && nb->fe->can_receive(nb->fe_opaque) &&
        nb->fe->receive(nb->fe_opaque, buf, len) > 0)
        return;
    if (g_queue_get_length(&nb->queue) >= NET_QUEUE_MAX)
        return;                          /* dropped, as on a busy wire */
    g_queue_push_tail(&nb->queue, g_bytes_new(buf, len));
}

void net_flush_queued(NetBackend *nb)
{
    while (!g_queue_is_empty(&nb->queue) &&
           nb->fe->can_receive(nb->fe_opaque)) {
        GBytes *b = g_queue_peek_head(&nb->queue);
        gsize len;
        const uint8_t *data = g_bytes_get_data(b, &len);

        if (nb->fe->receive(nb->fe_opaque, data, len) <= 0)
            break;
        g_queue_pop_head(&nb->queue);
        g_bytes_unref(b);
    }
}

void net_cleanup_all(void)
{
    GHashTableIter it;
    gpointer v;

    if (!backends)
        return;
    g_hash_table_iter_init(&it, backends);
    while (g_hash_table_iter_next(&it, NULL, &v)) {
        NetBackend *nb = v;

        nb->cls->cleanup(nb);
        g_queue_clear_full(&nb->queue, (GDestroyNotify)g_bytes_unref);
        g_free(nb->id);
        g_free(nb);
    }
    g_hash_table_destroy(backends);
    backends = NULL;
}
