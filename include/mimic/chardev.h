/*
 * Character backends (chardev/): byte streams that devices talk to,
 * independent of the device.  A backend (stdio, file, null) is created
 * from a -chardev or -serial string and found by id; a frontend (a UART)
 * sets its handlers to receive input and calls chardev_write() for output.
 * Input is read on the main loop and delivered under the BQL, only as fast
 * as the frontend's can_read allows; a frontend that made room again calls
 * chardev_accept_input().  A "mux" backend (-nographic, -serial mon:stdio)
 * interprets Ctrl-A escapes: C-a x quits, C-a h prints help, C-a C-a sends
 * one C-a.
 *
 *   Chardev *chr = chardev_new_serial("mon:stdio", &err);
 *   chardev_set_handlers(chr, uart_can_read, uart_receive, s);
 *   chardev_write(chr, &byte, 1);
 */
#ifndef MIMIC_CHARDEV_H
#define MIMIC_CHARDEV_H

#include <stdbool.h>
#include <stdint.h>

typedef struct Chardev Chardev;

/* How many bytes the frontend can take now (0: none). */
typedef int (*ChardevCanRead)(void *opaque);
/* Delivers len <= can_read() bytes. */
typedef void (*ChardevRead)(void *opaque, const uint8_t *buf, int len);

/* Creates a backend from a -chardev string: "stdio|file|null,id=ID[,...]". */
Chardev *chardev_new(const char *spec, char **err);
/*
 * Creates (or finds) the backend for a -serial string: stdio, mon:stdio,
 * null, file:PATH or chardev:ID.  Returns NULL without an error for
 * "none" (no backend connected).
 */
Chardev *chardev_new_serial(const char *spec, char **err);
Chardev *chardev_find(const char *id);
const char *chardev_id(const Chardev *chr);

/* A client connected to or left a socket backend.  Backends that are
   always open (stdio, file, pty, null) report OPENED once, when the
   frontend sets its event handler. */
typedef enum ChardevEvent {
    CHARDEV_EVENT_OPENED,
    CHARDEV_EVENT_CLOSED,
} ChardevEvent;
typedef void (*ChardevEventFn)(void *opaque, ChardevEvent event);

/* Sets the frontend's event handler (opaque is the one given to
   chardev_set_handlers); if the backend is open now, calls it with
   OPENED at once.  NULL-safe. */
void chardev_set_event_handler(Chardev *chr, ChardevEventFn fn);
/* Whether a client is connected (always true but for sockets). */
bool chardev_is_open(const Chardev *chr);

/* Connects a frontend (NULL handlers disconnect it).  NULL-safe. */
void chardev_set_handlers(Chardev *chr, ChardevCanRead can_read,
                          ChardevRead read, void *opaque);
/* Writes all of buf (any thread, BQL held); returns len or -1. NULL-safe. */
int chardev_write(Chardev *chr, const uint8_t *buf, int len);
/* The frontend has room again (any thread). NULL-safe. */
void chardev_accept_input(Chardev *chr);

/* Input as if the backend had read it: through the mux filter to the
   frontend (main loop or tests, BQL held). */
void chardev_receive(Chardev *chr, const uint8_t *buf, int len);

/* Restores terminals and closes files; safe to call more than once. */
void chardev_cleanup_all(void);

#endif
