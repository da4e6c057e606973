/* needs: none */
/*
 * Tests of the gdbstub's packet layer (gdbstub/packet.c): framing and
 * checksums, acks and Ctrl-C between packets, bad checksums and cut-short
 * or oversized packets refused, the binary escapes both ways, hex
 * numbers and thread ids.
 */
#include "gdbstub/internal.h"
#include "unit.h"

static GdbRx rx;

/* Feeds s; returns the last event that was not NONE (NONE if none). */
static GdbRxEvent feed(const char *s, size_t len)
{
    GdbRxEvent last = GDB_RX_NONE;

    for (size_t i = 0; i < len; i++) {
        GdbRxEvent e = gdb_rx_byte(&rx, (uint8_t)s[i]);

        if (e != GDB_RX_NONE)
            last = e;
    }
    return last;
}

#define FEED(s) feed((s), sizeof(s) - 1)

TEST(good_packet)
{
    gdb_rx_init(&rx);
    EXPECT_EQ(FEED("$g#67"), GDB_RX_PACKET);
    EXPECT_STREQ(rx.buf, "g");
    EXPECT_EQ(FEED("$qSupported:swbreak+#8b"), GDB_RX_PACKET);
    EXPECT_STREQ(rx.buf, "qSupported:swbreak+");
    EXPECT_EQ(FEED("$#00"), GDB_RX_PACKET);
    EXPECT_EQ(rx.len, 0);
    /* Upper-case checksum digits too. */
    EXPECT_EQ(FEED("$m0,4#FD"), GDB_RX_PACKET);
    EXPECT(!gdb_rx_busy(&rx));
}

TEST(bad_packets_are_refused)
{
    gdb_rx_init(&rx);
    EXPECT_EQ(FEED("$g#68"), GDB_RX_BAD);
    EXPECT_EQ(FEED("$g#zz"), GDB_RX_BAD);
    EXPECT_EQ(FEED("$g#6"), GDB_RX_NONE);
    EXPECT_EQ(FEED("x"), GDB_RX_BAD);
    /* A '$' inside a packet: the old one is refused, the new one works. */
    EXPECT_EQ(FEED("$abc"), GDB_RX_NONE);
    EXPECT_EQ(gdb_rx_byte(&rx, '$'), GDB_RX_BAD);
    EXPECT_EQ(FEED("g#67"), GDB_RX_PACKET);
    EXPECT_STREQ(rx.buf, "g");
}

TEST(oversized_packet_is_refused)
{
    static char big[GDB_MAX_PACKET + 10];
    uint8_t sum = 0;
    char tail[8];

    gdb_rx_init(&rx);
    memset(big, 'a', sizeof(big));
    for (size_t i = 0; i < sizeof(big); i++)
        sum += 'a';
    EXPECT_EQ(FEED("$"), GDB_RX_NONE);
    EXPECT_EQ(feed(big, sizeof(big)), GDB_RX_NONE);
    snprintf(tail, sizeof(tail), "#%02x", sum);
    EXPECT_EQ(feed(tail, 3), GDB_RX_BAD);
    EXPECT_EQ(FEED("$g#67"), GDB_RX_PACKET);
}

TEST(acks_and_interrupt_between_packets)
{
    gdb_rx_init(&rx);
    EXPECT_EQ(gdb_rx_byte(&rx, '+'), GDB_RX_ACK);
    EXPECT_EQ(gdb_rx_byte(&rx, '-'), GDB_RX_NAK);
    EXPECT_EQ(gdb_rx_byte(&rx, 0x03), GDB_RX_INTERRUPT);
    EXPECT_EQ(gdb_rx_byte(&rx, 'z'), GDB_RX_NONE);
    /* Inside a packet they are data. */
    EXPECT_EQ(FEED("$+-#58"), GDB_RX_PACKET);
    EXPECT_STREQ(rx.buf, "+-");
}

TEST(framing)
{
    GString *s = g_string_new(NULL);

    gdb_frame(s, "OK", 2);
    EXPECT_STREQ(s->str, "$OK#9a");
    g_string_truncate(s, 0);
    gdb_frame(s, "", 0);
    EXPECT_STREQ(s->str, "$#00");
    g_string_free(s, TRUE);
}

TEST(binary_escapes_round_trip)
{
    static const uint8_t data[] = { 'a', '#', '$', '}', '*', 0, 0xff, 0x03 };
    GString *s = g_string_new(NULL);
    char buf[32];
    long n;

    gdb_escape_binary(s, data, sizeof(data));
    EXPECT_EQ(s->len, sizeof(data) + 4);
    EXPECT(!memchr(s->str, '#', s->len) && !memchr(s->str, '$', s->len));
    memcpy(buf, s->str, s->len);
    n = gdb_unescape_binary(buf, s->len);
    EXPECT_EQ(n, sizeof(data));
    EXPECT(!memcmp(buf, data, sizeof(data)));
    memcpy(buf, "ab}", 3);
    EXPECT_EQ(gdb_unescape_binary(buf, 3), -1);
    g_string_free(s, TRUE);
}

TEST(hex)
{
    uint8_t b[4];
    GString *s = g_string_new(NULL);
    const char *p;
    uint64_t v;

    EXPECT(gdb_hex_decode("00ff7fA0", b, 4));
    EXPECT_EQ(b[1], 0xff);
    EXPECT_EQ(b[3], 0xa0);
    EXPECT(!gdb_hex_decode("0g", b, 1));
    gdb_hex_encode(s, b, 4);
    EXPECT_STREQ(s->str, "00ff7fa0");
    p = "ffffffff80000000,4";
    EXPECT(gdb_parse_hex(&p, &v));
    EXPECT_EQ(v, 0xffffffff80000000ull);
    EXPECT_EQ(*p, ',');
    p = "10000000000000000";
    EXPECT(!gdb_parse_hex(&p, &v));
    p = ",";
    EXPECT(!gdb_parse_hex(&p, &v));
    g_string_free(s, TRUE);
}

TEST(thread_ids)
{
    const char *p;
    int64_t t;

    p = "-1";
    EXPECT(gdb_parse_thread(&p, &t) && t == -1 && !*p);
    p = "0";
    EXPECT(gdb_parse_thread(&p, &t) && t == 0);
    p = "a;";
    EXPECT(gdb_parse_thread(&p, &t) && t == 10 && *p == ';');
    p = "p1.2";
    EXPECT(gdb_parse_thread(&p, &t) && t == 2 && !*p);
    p = "p1.-1";
    EXPECT(gdb_parse_thread(&p, &t) && t == -1);
    p = "x";
    EXPECT(!gdb_parse_thread(&p, &t));
}

int main(void)
{
    return unit_run();
}
