/*
 * The packet layer of the GDB remote serial protocol (gdbstub/packet.c),
 * shared by the protocol code (gdbstub/protocol.c) and its unit test.  It knows
 * nothing of CPUs or of the machine: framing ($data#cs), acks, the
 * Ctrl-C byte, hex and the binary escapes.
 *
 *   GdbRx rx;  gdb_rx_init(&rx);
 *   switch (gdb_rx_byte(&rx, byte)) {
 *   case GDB_RX_PACKET: handle(rx.buf, rx.len); ...
 *   }
 */
#ifndef MIMIC_GDBSTUB_INTERNAL_H
#define MIMIC_GDBSTUB_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <glib.h>

/* The largest packet we take and send (data bytes, before framing); said
   to gdb in qSupported's PacketSize. */
#define GDB_MAX_PACKET 16384

typedef enum GdbRxEvent {
    GDB_RX_NONE,        /* byte taken, nothing to do yet */
    GDB_RX_PACKET,      /* a good packet: rx.buf[0 .. rx.len) (NUL-ended) */
    GDB_RX_BAD,         /* a bad checksum or malformed packet: send '-' */
    GDB_RX_INTERRUPT,   /* 0x03 outside a packet */
    GDB_RX_ACK,         /* '+' */
    GDB_RX_NAK,         /* '-': send the last packet again */
} GdbRxEvent;

typedef struct GdbRx {
    int state;
    char buf[GDB_MAX_PACKET + 1];
    size_t len;
    bool overflow;
    uint8_t sum;        /* computed over the data */
    uint8_t want;       /* the checksum's first hex digit, then both */
} GdbRx;

void gdb_rx_init(GdbRx *rx);
/* Feeds one received byte.  A '$' inside a packet abandons it (BAD) and
   starts a new one. */
GdbRxEvent gdb_rx_byte(GdbRx *rx, uint8_t ch);
/* True while part of a packet has been received. */
bool gdb_rx_busy(const GdbRx *rx);

/* Appends "$data#cs" to out. */
void gdb_frame(GString *out, const char *data, size_t len);
/* Appends bytes with 0x23 '#', 0x24 '$', 0x2a '*' and 0x7d '}' escaped
   ('}' then the byte ^ 0x20), as binary replies (qXfer) need. */
void gdb_escape_binary(GString *out, const uint8_t *data, size_t len);
/* Undoes the escapes of binary data (X packet) in place; the new length,
   or -1 if the data ends in a lone '}'. */
long gdb_unescape_binary(char *data, size_t len);

/* Hex digit value, or -1. */
int gdb_hex_digit(int c);
void gdb_hex_encode(GString *out, const uint8_t *data, size_t len);
/* Decodes exactly n bytes from 2n hex digits; false on a bad digit. */
bool gdb_hex_decode(const char *hex, uint8_t *out, size_t n);
/* A hex number at *p (at least one digit, at most 64 bits); advances *p. */
bool gdb_parse_hex(const char **p, uint64_t *value);
/*
 * A thread id at *p: "-1" (all: -1), "0" (any: 0), a hex number, or the
 * multiprocess form "pPID.TID"; advances *p.
 */
bool gdb_parse_thread(const char **p, int64_t *tid);

#endif
