/*
 * -object TYPE,id=ID[,PROP=VALUE...] (system/object.c): the objects that
 * devices and the machine refer to by id, from a small table of types
 * (rng-builtin, rng-random, memory-backend-ram; -object help lists them).
 * Each type checks its properties and creates its backend at start-up, so
 * a file that cannot be opened is an error before the guest runs.
 */
#ifndef MIMIC_OBJECTS_H
#define MIMIC_OBJECTS_H

#include <stdbool.h>
#include <stdint.h>

#include <glib.h>

/* Creates the object of an -object string; false with *err (g_free it).
   "help" and "TYPE,help" print to stdout and exit 0. */
bool object_create(const char *spec, char **err);
/* The size of memory-backend-ram ID; false if there is no such one. */
bool object_memory_backend_size(const char *id, uint64_t *size);
/* Every -object of specs, in order; false with *err ("-object SPEC: ..."). */

bool objects_create(const GPtrArray *specs, char **err);
/* -machine memory-backend=ID: *ram_size becomes the backend's size; an -m
   that differs (mem_given) is QEMU's error. */
bool object_machine_ram_size(const char *id, bool mem_given,
                             uint64_t *ram_size, char **err);

#endif
