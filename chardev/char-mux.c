/*
 * Mux backends (-nographic, -serial mon:stdio, -chardev ...,mux=on): one
 * backend shared by several frontends, typically the serial port and the
 * monitor.  Output from every frontend goes to the backend as it comes;
 * input goes to the one frontend that has the focus.  Ctrl-A escapes act
 * on the emulator rather than going to the guest: C-a x powers off with
 * exit status 0, C-a h prints the list, C-a c passes the focus to the next
 * frontend, C-a C-a sends one C-a; other keys after C-a are dropped.
 * A frontend added with chardev_mux_add_frontend() is a Chardev of its own
 * (so it has its own handlers and input buffer) whose writes go to the
 * backend.
 */
#include <string.h>

#include "char-internal.h"
#include "mimic/runstate.h"

#define ESCAPE_CHAR 0x01   /* Ctrl-A */

static void mux_print(Chardev *chr, const char *text)
{
    chr->cls->write(chr, (const uint8_t *)text, (int)strlen(text));
}

static void mux_help(Chardev *chr)
{
    mux_print(chr,
              "\r\n"
              "C-a h    print this help\r\n"
              "C-a x    exit the emulator\r\n"
              "C-a c    switch between console and monitor\r\n"
              "C-a C-a  send C-a to the guest\r\n");
}

static void send_event(Chardev *fe, ChardevEvent event)
{
    if (event == CHARDEV_EVENT_OPENED || event == CHARDEV_EVENT_CLOSED)
        fe->open = event == CHARDEV_EVENT_OPENED;
    if (fe->event)
        fe->event(fe->fe_opaque, event);
}

void chardev_mux_send_event(Chardev *chr, ChardevEvent event)
{
    send_event(chr, event);
    for (int i = 1; chr->mux && i < chr->mux_count; i++)
        send_event(chr->mux_fe[i], event);
}

/* C-a c: the next frontend gets the input. */
static void mux_next_focus(Chardev *chr)
{
    Chardev *old = chr->mux_fe[chr->mux_focus];

    if (chr->mux_count < 2)
        return;
    chr->mux_focus = (chr->mux_focus + 1) % chr->mux_count;
    send_event(old, CHARDEV_EVENT_MUX_OUT);
    send_event(chr->mux_fe[chr->mux_focus], CHARDEV_EVENT_MUX_IN);
}

/* Returns true if c goes on to the frontend with the focus. */
bool chardev_mux_filter(Chardev *chr, uint8_t c)
{
    if (!chr->mux_escape) {
        if (c == ESCAPE_CHAR) {
            chr->mux_escape = true;
            return false;
        }
        return true;
    }
    chr->mux_escape = false;
    switch (c) {
    case ESCAPE_CHAR:
        return true;
    case 'x':
    case 'X':
        mux_print(chr, "\r\nmimic: Terminated\r\n");
        runstate_request_shutdown(SHUTDOWN_CAUSE_HOST_UI, 0);
        return false;
    case 'h':
    case 'H':
    case '?':
        mux_help(chr);
        return false;
    case 'c':
    case 'C':
        mux_next_focus(chr);
        return false;
    default:
        return false;
    }
}

Chardev *chardev_input_target(Chardev *chr)
{
    return chr->mux ? chr->mux_fe[chr->mux_focus] : chr;
}

static int mux_fe_write(Chardev *chr, const uint8_t *buf, int len)
{
    return chardev_write(chr->mux_be, buf, len);
}

/* Added frontends are made here, never from a -chardev string. */
static const ChardevClass chardev_mux_fe_class = {
    .name = "mux-frontend",
    .write = mux_fe_write,
};

Chardev *chardev_mux_add_frontend(Chardev *chr, char **err)
{
    Chardev *fe;

    if (!chr || !chr->mux) {
        *err = g_strdup_printf("chardev '%s' is not a mux (use mux=on or "
                               "mon:stdio to share it)", chr ? chr->id : "");
        return NULL;
    }
    if (chr->mux_count == CHARDEV_MUX_MAX) {
        *err = g_strdup_printf("chardev '%s': too many frontends (at most %d)",
                               chr->id, CHARDEV_MUX_MAX);
        return NULL;
    }
    fe = g_new0(Chardev, 1);
    fe->id = g_strdup_printf("%s.%d", chr->id, chr->mux_count);
    fe->cls = &chardev_mux_fe_class;
    fe->mux_be = chr;
    fe->open = chr->open;
    chr->mux_fe[chr->mux_count++] = fe;
    return fe;
}

bool chardev_is_mux(const Chardev *chr)
{
    return chr && (chr->mux || chr->mux_be);
}

bool chardev_has_focus(const Chardev *chr)
{
    const Chardev *be;

    if (!chr)
        return false;
    be = chr->mux_be ? chr->mux_be : chr;
    return !be->mux || be->mux_fe[be->mux_focus] == chr;
}
