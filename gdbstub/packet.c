/*
 * The packet layer of the GDB remote serial protocol (gdbstub/internal.h):
 * a byte-at-a-time receiver for "$data#cs" packets, acks and Ctrl-C, the
 * framing of replies, hex and the binary escapes.  Pure functions of
 * their input, so tests/unit/test-gdbstub-packet.c checks them alone.
 */
#include <string.h>

#include "gdbstub/internal.h"

enum {
    RX_IDLE,
    RX_DATA,
    RX_CSUM1,
    RX_CSUM2,
};

void gdb_rx_init(GdbRx *rx)
{
    rx->state = RX_IDLE;
    rx->len = 0;
    rx->overflow = false;
    rx->sum = 0;
    rx->want = 0;
    rx->buf[0] = '\0';
}

bool gdb_rx_busy(const GdbRx *rx)
{
    return rx->state != RX_IDLE;
}

static void rx_start(GdbRx *rx)
{
    gdb_rx_init(rx);
    rx->state = RX_DATA;
}

GdbRxEvent gdb_rx_byte(GdbRx *rx, uint8_t ch)
{
    int d;

    switch (rx->state) {
    case RX_IDLE:
        if (ch == '$') {
            rx_start(rx);
            return GDB_RX_NONE;
        }
        if (ch == 0x03)
            return GDB_RX_INTERRUPT;
        if (ch == '+')
            return GDB_RX_ACK;
        if (ch == '-')
            return GDB_RX_NAK;
        return GDB_RX_NONE;     /* noise between packets */
    case RX_DATA:
        if (ch == '$') {
            /* The packet before was cut short: refuse it, take the new one. */
            rx_start(rx);
            return GDB_RX_BAD;
        }
        if (ch == '#') {
            rx->state = RX_CSUM1;
            return GDB_RX_NONE;
        }
        rx->sum += ch;
        if (rx->len < GDB_MAX_PACKET)
            rx->buf[rx->len++] = (char)ch;
        else
            rx->overflow = true;
        return GDB_RX_NONE;
    case RX_CSUM1:
        d = gdb_hex_digit(ch);
        if (d < 0) {
            gdb_rx_init(rx);
            return GDB_RX_BAD;
        }
        rx->want = (uint8_t)(d << 4);
        rx->state = RX_CSUM2;
        return GDB_RX_NONE;
    default:
        d = gdb_hex_digit(ch);
        rx->state = RX_IDLE;
        rx->buf[rx->len] = '\0';
        if (d < 0 || (uint8_t)(rx->want | d) != rx->sum || rx->overflow)
            return GDB_RX_BAD;
        return GDB_RX_PACKET;
    }
}

void gdb_frame(GString *out, const char *data, size_t len)
{
    uint8_t sum = 0;

    for (size_t i = 0; i < len; i++)
        sum += (uint8_t)data[i];
    g_string_append_c(out, '$');
    g_string_append_len(out, data, (gssize)len);
    g_string_append_printf(out, "#%02x", sum);
}

void gdb_escape_binary(GString *out, const uint8_t *data, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        uint8_t c = data[i];

        if (c == '#' || c == '$' || c == '*' || c == '}') {
            g_string_append_c(out, '}');
            c ^= 0x20;
        }
        g_string_append_c(out, (char)c);
    }
}

long gdb_unescape_binary(char *data, size_t len)
{
    size_t o = 0;

    for (size_t i = 0; i < len; i++) {
        if (data[i] == '}') {
            if (++i == len)
                return -1;
            data[o++] = (char)(data[i] ^ 0x20);
        } else {
            data[o++] = data[i];
        }
    }
    return (long)o;
}

int gdb_hex_digit(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

void gdb_hex_encode(GString *out, const uint8_t *data, size_t len)
{
    static const char digits[] = "0123456789abcdef";

    for (size_t i = 0; i < len; i++) {
        g_string_append_c(out, digits[data[i] >> 4]);
        g_string_append_c(out, digits[data[i] & 15]);
    }
}

bool gdb_hex_decode(const char *hex, uint8_t *out, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        int hi = gdb_hex_digit(hex[2 * i]);
        int lo = hi < 0 ? -1 : gdb_hex_digit(hex[2 * i + 1]);

        if (lo < 0)
            return false;
        out[i] = (uint8_t)(hi << 4 | lo);
    }
    return true;
}

bool gdb_parse_hex(const char **p, uint64_t *value)
{
    const char *s = *p;
    uint64_t v = 0;
    int d, n = 0;

    while ((d = gdb_hex_digit(*s)) >= 0) {
        if (v >> 60)
            return false;       /* more than 64 bits */
        v = v << 4 | (uint64_t)d;
        s++;
        n++;
    }
    if (!n)
        return false;
    *value = v;
    *p = s;
    return true;
}

bool gdb_parse_thread(const char **p, int64_t *tid)
{
    const char *s = *p;
    uint64_t v;

    if (*s == 'p') {
        /* pPID.TID: one process, so only the thread part matters. */
        s++;
        if (!strncmp(s, "-1", 2))
            s += 2;
        else if (!gdb_parse_hex(&s, &v))
            return false;
        if (*s != '.') {
            *tid = -1;          /* every thread of the process */
            *p = s;
            return true;
        }
        s++;
    }
    if (!strncmp(s, "-1", 2)) {
        *tid = -1;
        *p = s + 2;
        return true;
    }
    if (!gdb_parse_hex(&s, &v) || v > INT32_MAX)
        return false;
    *tid = (int64_t)v;
    *p = s;
    return true;
}
