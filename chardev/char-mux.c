/*
 * The Ctrl-A escapes of a mux chardev (-nographic, -serial mon:stdio):
 * keys that act on the emulator rather than going to the guest.  C-a x
 * powers off with exit status 0, C-a h prints the list, C-a C-a sends one
 * C-a to the guest; other keys after C-a are dropped.  (C-a c, switching
 * to the monitor, arrives with the monitor.)
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
              "C-a C-a  send C-a to the guest\r\n");
}

/* Returns true if c goes on to the guest. */
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
        mux_print(chr, "\r\n(no monitor yet)\r\n");
        return false;
    default:
        return false;
    }
}
