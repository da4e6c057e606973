/*
 * What the chardev core (chardev/char.c) shares with its backends
 * (char-stdio.c, char-file.c): the Chardev struct, the backend class and
 * the input path from a backend to the frontend.
 */
#ifndef CHARDEV_CHAR_INTERNAL_H
#define CHARDEV_CHAR_INTERNAL_H

#include <glib.h>

#include "mimic/chardev.h"

#define CHARDEV_INBUF_SIZE 256

/*
 * Output a socket client has not read yet is kept, never waited for: past
 * CHARDEV_OUT_PAUSE bytes the client's input is no longer read (it gets
 * no new answers until it reads the old ones), past CHARDEV_OUT_MAX it is
 * disconnected (one request may answer with megabytes, x/ in HMP, and
 * events and guest output come without a request).
 */
#define CHARDEV_OUT_PAUSE (1u << 20)
#define CHARDEV_OUT_MAX (32u << 20)

typedef struct ChardevClass {
    const char *name;
    /* Sets up the backend from the remaining options (each one it uses is
       taken out of opts; leftovers are an error). */
    bool (*open)(Chardev *chr, GHashTable *opts, char **err);
    int (*write)(Chardev *chr, const uint8_t *buf, int len);
    /* Room in the input buffer again: start reading if paused. */
    void (*input_resume)(Chardev *chr);
    /* True while output waits for a client that does not read it
       (sockets): input is held back meanwhile.  NULL: never. */
    bool (*output_full)(Chardev *chr);
    void (*cleanup)(Chardev *chr);
} ChardevClass;

struct Chardev {
    char *id;
    const ChardevClass *cls;
    void *be;                   /* backend state */
    bool mux;                   /* Ctrl-A escapes on input */
    bool mux_escape;            /* saw Ctrl-A */
    /* A mux backend's frontends (mux_fe[0] is the backend itself) and the
       one with the input focus; a frontend added to a mux points back at
       its backend with mux_be. */
    Chardev *mux_fe[CHARDEV_MUX_MAX];
    int mux_count, mux_focus;
    Chardev *mux_be;
    ChardevCanRead can_read;
    ChardevRead read;
    void *fe_opaque;
    uint8_t inbuf[CHARDEV_INBUF_SIZE];   /* input the frontend did not take */
    int in_len;
    int accept_scheduled;       /* an idle delivery is queued */
    bool open;                  /* a client is connected (sockets) */
    ChardevEventFn event;
    ChardevWritableFn writable;
};

/* A backend's connection opened or closed: updates chr->open and tells
   the frontend. */
void chardev_event(Chardev *chr, ChardevEvent event);

extern const ChardevClass chardev_stdio_class;
extern const ChardevClass chardev_file_class;
extern const ChardevClass chardev_pty_class;
extern const ChardevClass chardev_socket_class;

/* Bytes the backend may pass to chardev_receive() now (for a mux: what
   the frontend with the focus can still buffer). */
int chardev_input_space(Chardev *chr);
/* The mux escape filter (char-mux.c): true if c goes on to the frontend
   with the focus. */
bool chardev_mux_filter(Chardev *chr, uint8_t c);
/* The frontend a backend's input goes to now: chr itself, or for a mux
   the one with the focus (char-mux.c). */
Chardev *chardev_input_target(Chardev *chr);
/* Tells chr and, for a mux, every frontend added to it (char-mux.c). */
void chardev_mux_send_event(Chardev *chr, ChardevEvent event);
/* The backend's output drained below CHARDEV_OUT_PAUSE: deliver the
   input held back (to every frontend of a mux), then read again. */
void chardev_output_drained(Chardev *chr);
/* Forgets input not yet delivered (the client that sent it left). */
void chardev_drop_input(Chardev *chr);
/* Writes all of buf to fd, retrying on EINTR/EAGAIN; len or -1. */
int chardev_write_fd(int fd, const uint8_t *buf, int len);

#endif
