/*
 * Parsing of QEMU-style option strings (util/options.c) such as
 * "virt,accel=tcg" or "stdio,id=con0,signal=off": comma-separated
 * key=value pairs, where a first item without '=' is the value of an
 * implied key and ",," stands for a literal comma inside a value.
 *
 *   GHashTable *o = opts_parse("virt,accel=tcg", "type", &err);
 *   const char *type = opts_get(o, "type");
 */
#ifndef MIMIC_OPTIONS_H
#define MIMIC_OPTIONS_H

#include <stdbool.h>
#include <stdint.h>

#include <glib.h>

/* A table of key -> value strings (free with g_hash_table_unref), or NULL
   with *err set for a malformed string or a repeated key. */
GHashTable *opts_parse(const char *str, const char *implied_key, char **err);
/* The same, but every multi_key=VALUE item (which may repeat, such as
   hostfwd) goes to multi_values (g_free each) instead of the table. */
GHashTable *opts_parse_multi(const char *str, const char *implied_key,
                             const char *multi_key, GPtrArray *multi_values,
                             char **err);
const char *opts_get(GHashTable *opts, const char *key);
/* Takes a key out of the table (caller frees it); NULL if absent. */
char *opts_take(GHashTable *opts, const char *key);
/* "on", "yes", "true" or "off", "no", "false". */
bool opts_parse_bool(const char *value, bool *result);
/*
 * A size such as "128M", "1G", "3.5G", "4096k" (suffixes B, K, M, G, T, P,
 * E, powers of 1024), or a bare whole number in units of default_unit
 * (e.g. 1 << 20 for -m).  A fraction needs a suffix; a fraction of a byte
 * is dropped.  False on garbage, a sign, blanks or overflow.
 */
bool opts_parse_size(const char *value, uint64_t default_unit, uint64_t *result);
/* Any key left in the table, for "unknown property" messages, or NULL. */
const char *opts_first_key(GHashTable *opts);

#endif
