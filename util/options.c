/*
 * QEMU-style option strings (include/mimic/options.h): splitting
 * "a,b=c,d=e,,f" into a key/value table, and the boolean and size syntax
 * that the command line shares.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "mimic/options.h"

/* Reads one item up to an unescaped ',' into a new string; advances *p. */
static char *next_item(const char **p)
{
    GString *s = g_string_new(NULL);
    const char *q = *p;

    while (*q) {
        if (*q == ',') {
            if (q[1] != ',')
                break;
            q++;     /* ",," is a literal comma */
        }
        g_string_append_c(s, *q++);
    }
    *p = *q == ',' ? q + 1 : q;
    return g_string_free(s, FALSE);
}

GHashTable *opts_parse(const char *str, const char *implied_key, char **err)
{
    return opts_parse_multi(str, implied_key, NULL, NULL, err);
}

GHashTable *opts_parse_multi(const char *str, const char *implied_key,
                             const char *multi_key, GPtrArray *multi_values,
                             char **err)
{
    GHashTable *t = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    const char *p = str;
    bool first = true;

    while (*p) {
        char *item = next_item(&p);
        char *eq = strchr(item, '=');
        char *key, *val;

        if (eq) {
            key = g_strndup(item, (gsize)(eq - item));
            val = g_strdup(eq + 1);
        } else if (first && implied_key) {
            key = g_strdup(implied_key);
            val = g_strdup(item);
        } else {
            /* A bare "flag" means flag=on, as in QEMU. */
            key = g_strdup(item);
            val = g_strdup("on");
        }
        g_free(item);
        first = false;
        if (multi_key && !strcmp(key, multi_key)) {
            g_ptr_array_add(multi_values, val);
            g_free(key);
            continue;
        }
        if (!*key || g_hash_table_contains(t, key)) {
            *err = *key ? g_strdup_printf("'%s' given twice", key)
                        : g_strdup("empty parameter name");
            g_free(key);
            g_free(val);
            g_hash_table_unref(t);
            return NULL;
        }
        g_hash_table_insert(t, key, val);
    }
    return t;
}

const char *opts_get(GHashTable *opts, const char *key)
{
    return g_hash_table_lookup(opts, key);
}

char *opts_take(GHashTable *opts, const char *key)
{
    gpointer k = NULL, v = NULL;

    if (!g_hash_table_steal_extended(opts, key, &k, &v))
        return NULL;
    g_free(k);
    return v;
}

bool opts_parse_bool(const char *value, bool *result)
{
    if (!strcmp(value, "on") || !strcmp(value, "yes") || !strcmp(value, "true")) {
        *result = true;
        return true;
    }
    if (!strcmp(value, "off") || !strcmp(value, "no") || !strcmp(value, "false")) {
        *result = false;
        return true;
    }
    return false;
}

/* The multiplier of a size suffix (B, K, M, G, T, P, E), or 0. */
static uint64_t size_suffix(char c)
{
    switch (g_ascii_toupper(c)) {
    case 'B': return 1;
    case 'K': return 1ull << 10;
    case 'M': return 1ull << 20;
    case 'G': return 1ull << 30;
    case 'T': return 1ull << 40;
    case 'P': return 1ull << 50;
    case 'E': return 1ull << 60;
    default: return 0;
    }
}

bool opts_parse_size(const char *value, uint64_t default_unit, uint64_t *result)
{
    const char *p = value;
    uint64_t n = 0, unit = default_unit, frac_num = 0, frac_den = 1, bytes;
    bool frac = false;

    if (!g_ascii_isdigit(*p))
        return false;
    for (; g_ascii_isdigit(*p); p++) {
        if (n > (UINT64_MAX - 9) / 10)
            return false;
        n = n * 10 + (uint64_t)(*p - '0');
    }
    if (*p == '.') {
        frac = true;
        for (p++; g_ascii_isdigit(*p); p++) {
            if (frac_den < 1000000000000000000ull) {   /* 18 digits are plenty */
                frac_num = frac_num * 10 + (uint64_t)(*p - '0');
                frac_den *= 10;
            }
        }
    }
    if (*p && size_suffix(*p)) {
        unit = size_suffix(*p);
        p++;
    } else if (frac) {
        return false;     /* "1.5" alone: in which unit?  As QEMU, refused. */
    }
    if (*p || (n && unit > UINT64_MAX / n))
        return false;
    bytes = n * unit;
    if (frac) {
        /* The fraction of the unit, in bytes (rounded down). */
        uint64_t part = (uint64_t)((unsigned __int128)frac_num * unit / frac_den);

        if (part > UINT64_MAX - bytes)
            return false;
        bytes += part;
    }
    *result = bytes;
    return true;
}

const char *opts_first_key(GHashTable *opts)
{
    GHashTableIter it;
    gpointer k;

    g_hash_table_iter_init(&it, opts);
    return g_hash_table_iter_next(&it, &k, NULL) ? k : NULL;
}
