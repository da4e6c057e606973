/*
 * -blockdev, in the two forms libvirt and users write: key=value
 * (driver=qcow2,node-name=d0,file=f0 or file.driver=file,file.filename=X)
 * and JSON ({"driver":"qcow2","node-name":"d0","file":{...}}), for the
 * file (and host_device), raw and qcow2 drivers.  A node is a protocol
 * node (a file) or a format node over one, named by node-name= so that
 * another node (file=, backing=) or a device (-device ...,drive=NODE) can
 * refer to it.  Mimic's block layer opens an
 * image as format and file together, so a format node opens its file's
 * path with both nodes' options, and a file node that no format node uses
 * is opened as a raw image.  Messages are QEMU 7.2's.
 */
#include <string.h>

#include <json-glib/json-glib.h>

#include "mimic/block.h"
#include "mimic/options.h"
#include "drive-int.h"

typedef struct BdNode BdNode;
struct BdNode {
    char *name;          /* node-name, or NULL for an unnamed nested node */
    char *driver;        /* file, host_device, raw or qcow2 */
    char *filename;      /* protocol nodes */
    BdNode *file;        /* format nodes */
    BdNode *backing;     /* qcow2 backing=NODE, or NULL */
    bool no_backing;     /* qcow2 backing=null (JSON) */
    bool read_only;
    bool is_child;       /* some format node's file */
    int flags;           /* blk_open flags of the node's own options */
};

static GPtrArray *bd_args;     /* the -blockdev strings, in order */
static GPtrArray *bd_nodes;    /* every BdNode, roots in order */

void blockdev_cmdline_add(const char *arg)
{
    if (!bd_args)
        bd_args = g_ptr_array_new();
    g_ptr_array_add(bd_args, (gpointer)arg);
}

static bool is_protocol(const char *driver)
{
    return !strcmp(driver, "file") || !strcmp(driver, "host_device");
}

/* ---- JSON to dotted keys ---- */

static bool flatten(JsonObject *obj, const char *prefix, GHashTable *o,
                    GHashTable *nulls, char **err)
{
    g_autoptr(GList) members = json_object_get_members(obj);

    for (GList *m = members; m; m = m->next) {
        const char *k = m->data;
        JsonNode *v = json_object_get_member(obj, k);
        g_autofree char *key = g_strconcat(prefix, k, NULL);

        switch (json_node_get_node_type(v)) {
        case JSON_NODE_OBJECT: {
            g_autofree char *sub = g_strconcat(key, ".", NULL);

            if (!flatten(json_node_get_object(v), sub, o, nulls, err))
                return false;
            continue;
        }
        case JSON_NODE_NULL:
            g_hash_table_add(nulls, g_strdup(key));
            continue;
        case JSON_NODE_ARRAY:
            *err = g_strdup_printf("Invalid parameter type for '%s', "
                                   "expected: string", key);
            return false;
        case JSON_NODE_VALUE:
            break;
        }
        GType t = json_node_get_value_type(v);
        char *s;

        if (t == G_TYPE_BOOLEAN)
            s = g_strdup(json_node_get_boolean(v) ? "on" : "off");
        else if (t == G_TYPE_INT64)
            s = g_strdup_printf("%" G_GINT64_FORMAT, json_node_get_int(v));
        else if (t == G_TYPE_DOUBLE)
            s = g_strdup_printf("%.17g", json_node_get_double(v));
        else
            s = g_strdup(json_node_get_string(v));
        g_hash_table_insert(o, g_strdup(key), s);
    }
    return true;
}

static GHashTable *parse_json(const char *arg, GHashTable *nulls, char **err)
{
    g_autoptr(JsonParser) p = json_parser_new();
    g_autoptr(GError) gerr = NULL;
    GHashTable *o;
    JsonNode *root;

    if (!json_parser_load_from_data(p, arg, -1, &gerr)) {
        *err = g_strdup_printf("JSON parse error, %s", gerr->message);
        return NULL;
    }
    root = json_parser_get_root(p);
    if (!root || !JSON_NODE_HOLDS_OBJECT(root)) {
        *err = g_strdup("JSON parse error: not an object");
        return NULL;
    }
    o = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    if (!flatten(json_node_get_object(root), "", o, nulls, err)) {
        g_hash_table_unref(o);
        return NULL;
    }
    return o;
}

/* ---- Nodes ---- */

static BdNode *find_node(const char *name)
{
    for (guint i = 0; bd_nodes && i < bd_nodes->len; i++) {
        BdNode *n = g_ptr_array_index(bd_nodes, i);

        if (n->name && !strcmp(n->name, name))
            return n;
    }
    return NULL;
}

/* QEMU's node names: a letter, then letters, digits, '-', '.', '_'. */
static bool valid_node_name(const char *s)
{
    if (!g_ascii_isalpha(s[0]) || strlen(s) > 31)
        return false;
    for (; *s; s++) {
        if (!g_ascii_isalnum(*s) && !strchr("-._", *s))
            return false;
    }
    return true;
}

/* Moves every "prefix.KEY" of o (and of nulls) into a new table as KEY. */
static GHashTable *take_prefixed(GHashTable *o, GHashTable *nulls,
                                 const char *prefix, GHashTable **sub_nulls)
{
    GHashTable *sub = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
                                            g_free);
    size_t n = strlen(prefix);
    GHashTableIter it;
    gpointer k, v;

    *sub_nulls = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    g_hash_table_iter_init(&it, o);
    while (g_hash_table_iter_next(&it, &k, &v)) {
        if (!strncmp(k, prefix, n)) {
            g_hash_table_insert(sub, g_strdup((char *)k + n), g_strdup(v));
            g_hash_table_iter_remove(&it);
        }
    }
    g_hash_table_iter_init(&it, nulls);
    while (g_hash_table_iter_next(&it, &k, &v)) {
        if (!strncmp(k, prefix, n)) {
            g_hash_table_add(*sub_nulls, g_strdup((char *)k + n));
            g_hash_table_iter_remove(&it);
        }
    }
    return sub;
}

static BdNode *node_new(GHashTable *o, GHashTable *nulls, bool root,
                        char **err);

/* file= or backing= of a format node: nested options, or a node name. */
static bool node_child(GHashTable *o, GHashTable *nulls, const char *key,
                       BdNode **child, char **err)
{
    g_autofree char *prefix = g_strconcat(key, ".", NULL);
    g_autoptr(GHashTable) sub_nulls = NULL;
    g_autoptr(GHashTable) sub = take_prefixed(o, nulls, prefix, &sub_nulls);
    g_autofree char *ref = opts_take(o, key);

    *child = NULL;
    if (g_hash_table_size(sub) || g_hash_table_size(sub_nulls)) {
        *child = node_new(sub, sub_nulls, false, err);
        return *child != NULL;
    }
    if (!ref)
        return true;
    *child = find_node(ref);
    if (!*child) {
        *err = g_strdup_printf("Cannot find device='%s' nor node-name='%s'",
                               ref, ref);
        return false;
    }
    return true;
}

static bool node_format_opts(BdNode *n, GHashTable *o, GHashTable *nulls,
                             char **err)
{
    if (!node_child(o, nulls, "file", &n->file, err))
        return false;
    if (!n->file) {
        *err = g_strdup("Parameter 'file' is missing");
        return false;
    }
    /* The block layer opens a format over a file: not a format over a
       format (raw over qcow2), which QEMU allows. */
    if (!is_protocol(n->file->driver)) {
        *err = g_strdup_printf("Parameter 'file': node '%s' is a %s node; "
                               "Mimic puts a format node only on a file "
                               "node", n->file->name ? n->file->name : "?",
                               n->file->driver);
        return false;
    }
    n->file->is_child = true;
    if (!strcmp(n->driver, "qcow2")) {
        char *sub = NULL;

        n->no_backing = g_hash_table_remove(nulls, "backing");
        if (!n->no_backing && !node_child(o, nulls, "backing", &n->backing,
                                          &sub)) {
            *err = g_strdup_printf("Could not open backing file: %s", sub);
            g_free(sub);
            return false;
        }
    }
    return true;
}

static BdNode *node_parse(BdNode *n, GHashTable *o, GHashTable *nulls,
                          bool root, char **err)
{
    bool auto_ro = false;
    g_autofree char *ro = opts_take(o, "read-only");
    g_autofree char *aro = opts_take(o, "auto-read-only");

    n->name = opts_take(o, "node-name");
    if (!n->name && root) {
        *err = g_strdup("'node-name' must be specified for the root node");
        return NULL;
    }
    if (n->name && !valid_node_name(n->name)) {
        *err = g_strdup_printf("Invalid node-name: '%s'", n->name);
        return NULL;
    }
    if (n->name && (find_node(n->name) || blk_name_exists(n->name))) {
        *err = g_strdup_printf("Duplicate nodes with node-name='%s'", n->name);
        return NULL;
    }
    if (ro && !opts_parse_bool(ro, &n->read_only)) {
        *err = g_strdup("Parameter 'read-only' expects 'on' or 'off'");
        return NULL;
    }
    /* auto-read-only: a read-only fallback QEMU's file driver may take;
       accepted, as every node here opens as asked or fails. */
    if (aro && !opts_parse_bool(aro, &auto_ro)) {
        *err = g_strdup("Parameter 'auto-read-only' expects 'on' or 'off'");
        return NULL;
    }
    if (!drive_common_flags(o, true, &n->flags, err))
        return NULL;
    if (is_protocol(n->driver)) {
        n->filename = opts_take(o, "filename");
        if (!n->filename) {
            *err = g_strdup("Parameter 'filename' is missing");
            return NULL;
        }
        if (!drive_locking_flag(o, "locking", true, &n->flags, err))
            return NULL;
    } else if (!node_format_opts(n, o, nulls, err)) {
        return NULL;
    }
    if (opts_first_key(o) || g_hash_table_size(nulls)) {
        const char *k = opts_first_key(o);
        GList *l = k ? NULL : g_hash_table_get_keys(nulls);

        *err = g_strdup_printf("Parameter '%s' is unexpected",
                               k ? k : (char *)l->data);
        g_list_free(l);
        return NULL;
    }
    return n;
}

static BdNode *node_new(GHashTable *o, GHashTable *nulls, bool root,
                        char **err)
{
    static const char *const drivers[] = { "file", "host_device", "raw",
                                           "qcow2" };
    g_autofree char *driver = opts_take(o, "driver");
    BdNode *n;
    size_t i;

    if (!driver) {
        *err = g_strdup("Parameter 'driver' is missing");
        return NULL;
    }
    for (i = 0; i < G_N_ELEMENTS(drivers) && strcmp(driver, drivers[i]); i++)
        ;
    if (i == G_N_ELEMENTS(drivers)) {
        *err = g_strdup_printf("Parameter 'driver' does not accept value "
                               "'%s'", driver);
        return NULL;
    }
    n = g_new0(BdNode, 1);
    n->driver = g_steal_pointer(&driver);
    if (!node_parse(n, o, nulls, root, err)) {
        g_free(n->name);
        g_free(n->driver);
        g_free(n->filename);
        g_free(n);
        return NULL;
    }
    g_ptr_array_add(bd_nodes, n);
    return n;
}

/* ---- Opening ---- */

static BlockBackend *node_open(BdNode *n, bool read_only, char **err);

/* A format node's image: its file's path, both nodes' options. */
static BlockBackend *format_open(BdNode *n, bool read_only, char **err)
{
    int flags = n->flags | (n->file->flags & ~BLK_DETECT_ZEROES);
    BlockBackend *blk, *backing = NULL;

    if (read_only)
        flags |= BLK_RDONLY;
    if (n->no_backing || n->backing)
        flags |= BLK_NO_BACKING;
    if (n->backing) {
        char *sub = NULL;

        backing = node_open(n->backing, true, &sub);
        if (!backing) {
            *err = g_strdup_printf("Could not open backing file: %s", sub);
            g_free(sub);
            return NULL;
        }
    }
    blk = blk_open(n->file->filename, n->driver, flags, err);
    if (!blk) {
        blk_close(backing);
        return NULL;
    }
    if (n->backing)
        blk_set_backing(blk, backing);
    return blk;
}

/* Opens the image of node n (read-only if asked, or if the node is). */
static BlockBackend *node_open(BdNode *n, bool read_only, char **err)
{
    read_only = read_only || n->read_only;
    if (is_protocol(n->driver))
        return blk_open(n->filename, "raw",
                        n->flags | (read_only ? BLK_RDONLY : 0), err);
    return format_open(n, read_only || n->file->read_only, err);
}

/* Registers a root node under its name, opening its image unless it is
   only the file of a format node. */
static bool node_register(BdNode *n, char **err)
{
    unsigned flags = BLK_NAME_NODE;
    BlockBackend *blk = NULL;

    if (!n->is_child || !is_protocol(n->driver)) {
        blk = node_open(n, false, err);
        if (!blk)
            return false;
    }
    /* QEMU opens the node read-only and refuses a device that writes. */
    if (!is_protocol(n->driver) && !n->read_only && n->file->read_only)
        flags |= BLK_NAME_RO_CHILD;
    if (!blk_register_full(n->name, blk, flags, err)) {
        blk_close(blk);
        return false;
    }
    return true;
}

/* Parses one -blockdev into its node (and nested ones). */
static BdNode *blockdev_parse(const char *arg, char **err)
{
    g_autoptr(GHashTable) nulls =
        g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    g_autoptr(GHashTable) o = arg[0] == '{' ? parse_json(arg, nulls, err)
                                            : opts_parse(arg, NULL, err);

    return o ? node_new(o, nulls, true, err) : NULL;
}

bool blockdev_parse_only(const char *arg, char **err)
{
    bool ok;

    if (!bd_nodes)
        bd_nodes = g_ptr_array_new();
    ok = blockdev_parse(arg, err) != NULL;
    blockdev_reset_all();
    return ok;
}

/* All nodes are parsed before any is opened: a file node opens as a raw
   image only if no later format node uses it. */
bool blockdev_setup_all(char **err)
{
    g_autoptr(GPtrArray) roots = g_ptr_array_new();
    g_autofree char *sub = NULL;
    guint i;

    if (!bd_nodes)
        bd_nodes = g_ptr_array_new();
    for (i = 0; bd_args && i < bd_args->len; i++) {
        BdNode *n = blockdev_parse(g_ptr_array_index(bd_args, i), &sub);

        if (!n)
            goto fail;
        g_ptr_array_add(roots, n);
    }
    for (i = 0; i < roots->len; i++) {
        if (!node_register(g_ptr_array_index(roots, i), &sub))
            goto fail;
    }
    return true;
fail:
    *err = g_strdup_printf("-blockdev %s: %s",
                           (char *)g_ptr_array_index(bd_args, i), sub);
    return false;
}

void blockdev_reset_all(void)
{
    for (guint i = 0; bd_nodes && i < bd_nodes->len; i++) {
        BdNode *n = g_ptr_array_index(bd_nodes, i);

        g_free(n->name);
        g_free(n->driver);
        g_free(n->filename);
        g_free(n);
    }
    g_clear_pointer(&bd_nodes, g_ptr_array_unref);
    g_clear_pointer(&bd_args, g_ptr_array_unref);
}
