/*
 * Entropy backends (util/rng.c), the -object rng-builtin and rng-random
 * that a virtio-rng device reads from (rng=ID), independent of the device.
 * rng-builtin is the host's getrandom(); rng-random reads a file
 * (/dev/urandom by default, as QEMU's), without ever blocking: a source
 * that has nothing now (/dev/random, a pipe) makes the reader wait for a
 * callback, and one at its end (a regular file) has nothing more.
 *
 *   RngBackend *rng = rng_backend_new_random("rng0", "/dev/urandom", &err);
 *   n = rng_backend_read(rng, buf, sizeof(buf));   (0: nothing now)
 *   if (n == 0) rng_backend_wait(rng, retry_fn, dev);
 */
#ifndef MIMIC_RNG_H
#define MIMIC_RNG_H

#include <stddef.h>
#include <sys/types.h>

typedef struct RngBackend RngBackend;

/* NULL with *err (g_free it) for a taken id or a file that cannot be
   opened (QEMU's "Could not open 'F': ..."). */
RngBackend *rng_backend_new_builtin(const char *id, char **err);
RngBackend *rng_backend_new_random(const char *id, const char *filename,
                                   char **err);
RngBackend *rng_backend_find(const char *id);
/* Up to len bytes of entropy now; 0 if the source has none at the moment
   (or ever: a file at its end). */
size_t rng_backend_read(RngBackend *rng, void *buf, size_t len);
/* Calls fn(opaque) once, on the main loop, when the source may have more
   (a rng-random whose file had nothing); never for a file at its end. */
void rng_backend_wait(RngBackend *rng, void (*fn)(void *), void *opaque);
/* Closes the files (exit). */
void rng_backend_cleanup_all(void);

#endif
