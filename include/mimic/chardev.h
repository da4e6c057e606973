/*
 * Character backends (chardev/): byte streams that devices talk to,
 * independent of the device.  A backend (stdio, file, null) is created
 * from a -chardev or -serial string and found by id; a frontend (a UART)
 * sets its handlers to receive input and calls chardev_write() for output.
 * Input is read on the main loop and delivered under the BQL, only as fast
 * as the frontend's can_read allows; a frontend that made room again calls
 * chardev_accept_input().  A "mux" backend (-nographic, -serial mon:stdio)
 * interprets Ctrl-A escapes: C-a x quits, C-a h prints help, C-a C-a sends
 * one C-a, C-a c passes the input focus to the next frontend (the serial
 * port and the monitor share one terminal that way).
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
   frontend sets its event handler.  MUX_IN and MUX_OUT go only to the
   frontends of a mux: this one got or lost the input focus (C-a c). */
typedef enum ChardevEvent {
    CHARDEV_EVENT_OPENED,
    CHARDEV_EVENT_CLOSED,
    CHARDEV_EVENT_MUX_IN,
    CHARDEV_EVENT_MUX_OUT,
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
/*
 * True while the backend holds output its client has not read (a socket
 * past CHARDEV_OUT_PAUSE bytes): a frontend that can wait (a virtio port)
 * stops writing until its writable handler is called.  Writes meanwhile
 * are still kept, up to the backend's bound.  NULL-safe.
 */
bool chardev_write_blocked(const Chardev *chr);
typedef void (*ChardevWritableFn)(void *opaque);
/* Called (main loop, BQL held) when a blocked backend can take output
   again, or its client left (output is then dropped).  NULL-safe. */
void chardev_set_writable_handler(Chardev *chr, ChardevWritableFn fn);
/* Whether a frontend (a UART, a monitor, a virtio port) uses chr. */
bool chardev_in_use(const Chardev *chr);
/* The frontend has room again (any thread). NULL-safe. */
void chardev_accept_input(Chardev *chr);

/*
 * A mux backend (mon:stdio, mux=on) serves up to CHARDEV_MUX_MAX
 * frontends.  The backend itself is the first and starts with the input
 * focus; this adds another, a Chardev of its own (handlers, events) whose
 * output goes to the same backend and which receives input only while it
 * has the focus.  NULL with a message in *err if chr is not a mux or is
 * full.
 */
#define CHARDEV_MUX_MAX 4
Chardev *chardev_mux_add_frontend(Chardev *chr, char **err);
/* True for a mux backend and the frontends added to it. */
bool chardev_is_mux(const Chardev *chr);
/* Whether chr gets the input now (always, but for mux frontends). */
bool chardev_has_focus(const Chardev *chr);

/* Input as if the backend had read it: through the mux filter to the
   frontend (main loop or tests, BQL held). */
void chardev_receive(Chardev *chr, const uint8_t *buf, int len);

/* Restores terminals and closes files; safe to call more than once. */
void chardev_cleanup_all(void);

#endif
