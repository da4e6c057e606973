/*
 * -object (include/mimic/objects.h): the table of object types, QEMU's
 * parsing and errors (a missing or unknown type, a missing or malformed
 * id, a duplicate id, an unknown property), and each type's creation.
 * Entropy backends live in util/rng.c; a memory-backend-ram is only its
 * size here, for -machine memory-backend=ID (the RAM itself is the
 * machine's, as without the option).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "mimic/objects.h"
#include "mimic/options.h"
#include "mimic/rng.h"

#define MAX_BACKEND_RAM (1ull << 40)   /* as -m */

typedef struct ObjectProp {
    const char *name, *type, *help;
} ObjectProp;

typedef struct ObjectType {
    const char *name;
    const ObjectProp *props;   /* NULL-terminated; what -object T,help lists */
    bool (*create)(const char *id, GHashTable *opts, char **err);
} ObjectType;

static GHashTable *memory_backends;   /* id -> uint64_t size */
static GHashTable *object_ids;        /* every id, for duplicates */

static bool create_rng_builtin(const char *id, GHashTable *opts, char **err)
{
    return rng_backend_new_builtin(id, err) != NULL;
}

static bool create_rng_random(const char *id, GHashTable *opts, char **err)
{
    g_autofree char *file = opts_take(opts, "filename");

    return rng_backend_new_random(id, file ? file : "/dev/urandom", err);
}

/* Properties that change nothing for Mimic's RAM (no NUMA, no core dumps,
   memory is never preallocated or shared with another process). */
static const char *const mem_noop_bools[] = {
    "share", "prealloc", "merge", "dump", "reserve",
    "x-use-canonical-path-for-ramblock-id",
};

static bool create_memory_backend_ram(const char *id, GHashTable *opts,
                                      char **err)
{
    g_autofree char *size = opts_take(opts, "size");
    g_autofree char *threads = opts_take(opts, "prealloc-threads");
    uint64_t bytes;

    for (size_t i = 0; i < G_N_ELEMENTS(mem_noop_bools); i++) {
        g_autofree char *v = opts_take(opts, mem_noop_bools[i]);
        bool b;

        if (v && !opts_parse_bool(v, &b)) {
            *err = g_strdup_printf("Parameter '%s' expects 'on' or 'off'",
                                   mem_noop_bools[i]);
            return false;
        }
    }
    if (!size) {
        *err = g_strdup("Parameter 'size' is missing");
        return false;
    }
    if (!opts_parse_size(size, 1, &bytes)) {
        *err = g_strdup("Parameter 'size' expects a size value");
        return false;
    }
    if (bytes == 0) {
        *err = g_strdup("can't create backend with size 0");
        return false;
    }
    if (!memory_backends)
        memory_backends = g_hash_table_new_full(g_str_hash, g_str_equal,
                                                g_free, g_free);
    g_hash_table_insert(memory_backends, g_strdup(id),
                        g_memdup2(&bytes, sizeof(bytes)));
    return true;
}

static const ObjectProp no_props[] = { { NULL } };
static const ObjectProp rng_random_props[] = {
    { "filename", "string", NULL },
    { NULL },
};
static const ObjectProp memory_ram_props[] = {
    { "dump", "bool", "accepted, no effect" },
    { "merge", "bool", "accepted, no effect" },
    { "prealloc", "bool", "accepted, no effect" },
    { "prealloc-threads", "int", "accepted, no effect" },
    { "reserve", "bool", "accepted, no effect" },
    { "share", "bool", "accepted, no effect" },
    { "size", "int", "Size of the memory region (ex: 500M)" },
    { "x-use-canonical-path-for-ramblock-id", "bool", "accepted, no effect" },
    { NULL },
};

static const ObjectType object_types[] = {
    { "memory-backend-ram", memory_ram_props, create_memory_backend_ram },
    { "rng-builtin", no_props, create_rng_builtin },
    { "rng-random", rng_random_props, create_rng_random },
};

static const ObjectType *find_type(const char *name)
{
    for (size_t i = 0; i < G_N_ELEMENTS(object_types); i++) {
        if (!strcmp(object_types[i].name, name))
            return &object_types[i];
    }
    return NULL;
}

static void print_props(const ObjectType *t)
{
    if (!t->props[0].name) {
        printf("There are no options for %s.\n", t->name);
        return;
    }
    printf("%s options:\n", t->name);
    for (const ObjectProp *p = t->props; p->name; p++) {
        g_autofree char *head = g_strdup_printf("%s=<%s>", p->name, p->type);

        if (p->help)
            printf("  %-22s - %s\n", head, p->help);
        else
            printf("  %s\n", head);
    }
}

/* QEMU's identifiers: a letter, then letters, digits, '-', '.', '_'. */
static bool id_valid(const char *id)
{
    if (!g_ascii_isalpha(id[0]))
        return false;
    for (const char *p = id; *p; p++) {
        if (!g_ascii_isalnum(*p) && !strchr("-._", *p))
            return false;
    }
    return true;
}

static bool props_known(const ObjectType *t, GHashTable *opts, char **err)
{
    GHashTableIter it;
    gpointer k;

    g_hash_table_iter_init(&it, opts);
    while (g_hash_table_iter_next(&it, &k, NULL)) {
        const ObjectProp *p = t->props;

        while (p->name && strcmp(p->name, k))
            p++;
        if (!p->name) {
            *err = g_strdup_printf("Invalid parameter '%s'", (char *)k);
            return false;
        }
    }
    return true;
}

bool object_create(const char *spec, char **err)
{
    g_autoptr(GHashTable) opts = NULL;
    g_autofree char *type = NULL, *id = NULL;
    const ObjectType *t;

    if (!strcmp(spec, "help")) {
        printf("List of user creatable objects:\n");
        for (size_t i = 0; i < G_N_ELEMENTS(object_types); i++)
            printf("  %s\n", object_types[i].name);
        exit(0);
    }
    opts = opts_parse(spec, "qom-type", err);
    if (!opts)
        return false;
    type = opts_take(opts, "qom-type");
    if (!type) {
        *err = g_strdup("Parameter 'qom-type' is missing");
        return false;
    }
    t = find_type(type);
    if (!t) {
        *err = g_strdup_printf("Parameter 'qom-type' does not accept value "
                               "'%s'", type);
        return false;
    }
    if (opts_get(opts, "help")) {
        print_props(t);
        exit(0);
    }
    id = opts_take(opts, "id");
    if (!id) {
        *err = g_strdup("Parameter 'id' is missing");
        return false;
    }
    if (!id_valid(id)) {
        *err = g_strdup("Parameter 'id' expects an identifier\n"
                        "Identifiers consist of letters, digits, '-', '.', "
                        "'_', starting with a letter.");
        return false;
    }
    if (object_ids && g_hash_table_contains(object_ids, id)) {
        *err = g_strdup_printf("Duplicate ID '%s' for object", id);
        return false;
    }
    /* Unknown properties first, as QEMU: nothing is opened for them. */
    if (!props_known(t, opts, err) || !t->create(id, opts, err))
        return false;
    if (!object_ids)
        object_ids = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
                                           NULL);
    g_hash_table_add(object_ids, g_strdup(id));
    return true;
}

bool object_memory_backend_size(const char *id, uint64_t *size)
{
    uint64_t *v = memory_backends ? g_hash_table_lookup(memory_backends, id)
                                  : NULL;

    if (v)
        *size = *v;
    return v != NULL;
}

bool objects_create(const GPtrArray *specs, char **err)
{
    for (guint i = 0; i < specs->len; i++) {
        const char *spec = g_ptr_array_index(specs, i);
        g_autofree char *e = NULL;

        if (!object_create(spec, &e)) {
            *err = g_strdup_printf("-object %s: %s", spec, e);
            return false;
        }
    }
    return true;
}

bool object_machine_ram_size(const char *id, bool mem_given,
                             uint64_t *ram_size, char **err)
{
    uint64_t size;

    if (!object_memory_backend_size(id, &size)) {
        *err = g_strdup_printf("Memory backend '%s' not found", id);
        return false;
    }
    if (mem_given && *ram_size != size) {
        *err = g_strdup("Machine memory size does not match the size of the "
                        "memory backend");
        return false;
    }
    if (size > MAX_BACKEND_RAM) {
        *err = g_strdup_printf("memory-backend-ram %s: RAM size too large (at "
                               "most %" PRIu64 " GiB)", id,
                               (uint64_t)(MAX_BACKEND_RAM >> 30));
        return false;
    }
    *ram_size = size;
    return true;
}
