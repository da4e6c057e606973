/* needs: riscv64-softmmu */
/*
 * Tests of the ns16550a UART (hw/char/serial.c) through the memory API, as
 * a guest driver sees it: THR output reaching the chardev, LSR bits, the
 * divisor latch, the receive FIFO with can_read back-pressure, and the
 * interrupt line following IER/IIR.  Also the SiFive test finisher's
 * shutdown requests and the option-string parser the command line uses.
 */
#include <unistd.h>

#include <glib.h>

#include "mimic/board.h"
#include "mimic/chardev.h"
#include "mimic/irq.h"
#include "mimic/memory.h"
#include "mimic/options.h"
#include "mimic/runstate.h"
#include "mimic/serial.h"
#include "mimic/sifive_test.h"
#include "unit.h"

#define BASE 0x10000000ull

static MemoryRegion root;
static AddressSpace as;
static SerialState *uart;
/* The machine whose reset list the UART joins: the tests reset it as a
   system reset does. */
static MachineState machine;
static Chardev *chr;
static char *out_path;
static int irq_level_seen;

static void irq_handler(void *opaque, int n, int level)
{
    irq_level_seen = level;
}

static void setup(void)
{
    char *err = NULL;
    g_autofree char *spec = NULL;

    if (uart) {
        machine_reset_devices(&machine);
        return;
    }
    out_path = g_strdup_printf("/tmp/mimic-serial-%d.txt", (int)getpid());
    spec = g_strdup_printf("file:%s", out_path);
    chr = chardev_new_serial(spec, &err);
    EXPECT(chr != NULL);
    memory_region_init(&root, "root", UINT64_MAX);
    address_space_init(&as, &root, "as");
    uart = serial_mm_init(&machine, &root, BASE, irq_new(irq_handler, NULL, 10), chr);
    sifive_test_init(&root, 0x100000);
}

static uint8_t rd(unsigned reg)
{
    uint8_t v = 0xee;

    EXPECT_EQ(address_space_read(&as, BASE + reg, &v, 1), MEMTX_OK);
    return v;
}

static void wr(unsigned reg, uint8_t v)
{
    EXPECT_EQ(address_space_write(&as, BASE + reg, &v, 1), MEMTX_OK);
}

TEST(transmit_reaches_chardev)
{
    g_autofree char *text = NULL;

    setup();
    EXPECT_EQ(rd(5) & 0x60, 0x60);   /* THRE and TEMT */
    wr(0, 'o');
    wr(0, 'k');
    EXPECT_EQ(rd(5) & 0x60, 0x60);
    EXPECT(g_file_get_contents(out_path, &text, NULL, NULL));
    EXPECT_STREQ(text, "ok");
}

TEST(divisor_latch_and_scratch)
{
    setup();
    wr(3, 0x83);          /* DLAB, 8N1 */
    wr(0, 0x0c);
    wr(1, 0x01);
    EXPECT_EQ(rd(0), 0x0c);
    EXPECT_EQ(rd(1), 0x01);
    wr(3, 0x03);
    EXPECT_EQ(rd(1), 0);  /* IER again */
    EXPECT_EQ(rd(3), 0x03);
    wr(7, 0x5a);
    EXPECT_EQ(rd(7), 0x5a);
    EXPECT_EQ(rd(6), 0xb0);
}

TEST(receive_fifo_and_interrupts)
{
    const uint8_t in[3] = { 'a', 'b', 'c' };
    setup();
    EXPECT_EQ(rd(2) & 0x0f, 0x01);       /* no interrupt */
    wr(2, 0x01);                           /* FIFO on, trigger 1 */
    wr(1, 0x01);                           /* RX interrupt */
    EXPECT_EQ(irq_level_seen, 0);
    /* Feed input the way the backend does. */
    chardev_receive(chr, in, 3);
    EXPECT_EQ(rd(5) & 0x01, 1);
    EXPECT_EQ(irq_level_seen, 1);
    EXPECT_EQ(rd(2), 0xc4);                /* FIFO bits + RX data */
    EXPECT_EQ(rd(0), 'a');
    EXPECT_EQ(rd(0), 'b');
    EXPECT_EQ(rd(0), 'c');
    EXPECT_EQ(rd(5) & 0x01, 0);
    EXPECT_EQ(irq_level_seen, 0);
}

TEST(thre_interrupt)
{
    setup();
    wr(1, 0x02);                  /* enabling THRI with THR empty raises it */
    EXPECT_EQ(irq_level_seen, 1);
    EXPECT_EQ(rd(2) & 0x0f, 0x02);
    EXPECT_EQ(irq_level_seen, 0);  /* reading IIR acknowledged it */
    EXPECT_EQ(rd(2) & 0x0f, 0x01);
    wr(0, '!');
    EXPECT_EQ(irq_level_seen, 1);
    wr(1, 0x00);
    EXPECT_EQ(irq_level_seen, 0);
}

TEST(loopback)
{
    setup();
    wr(4, 0x10 | 0x03);           /* loop, DTR, RTS */
    EXPECT_EQ(rd(6) & 0x30, 0x30);
    wr(0, 'z');
    EXPECT_EQ(rd(5) & 0x01, 1);
    EXPECT_EQ(rd(0), 'z');
    wr(4, 0);
}

TEST(bad_offsets_do_not_crash)
{
    uint32_t v = 0;

    setup();
    EXPECT_EQ(address_space_read(&as, BASE + 0x20, &v, 4), MEMTX_OK);
    EXPECT_EQ(v, 0);
    EXPECT_EQ(address_space_write(&as, BASE + 0xff, &v, 1), MEMTX_OK);
}

TEST(finisher)
{
    uint32_t v = 0x1234;
    uint8_t b = 0x55;

    setup();
    EXPECT_EQ(address_space_write(&as, 0x100000, &v, 4), MEMTX_OK);
    EXPECT(!runstate_shutdown_requested());
    EXPECT_EQ(address_space_write(&as, 0x100000, &b, 1), MEMTX_ERROR);
    v = 0x3333 | (7 << 16);
    EXPECT_EQ(address_space_write(&as, 0x100000, &v, 4), MEMTX_OK);
    EXPECT(runstate_shutdown_requested());
    EXPECT_EQ(runstate_exit_status(), 7);
    EXPECT_EQ(runstate_shutdown_cause(), SHUTDOWN_CAUSE_GUEST);
    v = 0x5555;     /* the first request wins */
    address_space_write(&as, 0x100000, &v, 4);
    EXPECT_EQ(runstate_exit_status(), 7);
}

TEST(option_strings)
{
    char *err = NULL;
    uint64_t size = 0;
    bool b = false;
    GHashTable *o = opts_parse("file,id=c0,path=/a,,b", "backend", &err);

    EXPECT(o != NULL);
    EXPECT_STREQ(opts_get(o, "backend"), "file");
    EXPECT_STREQ(opts_get(o, "path"), "/a,b");
    g_hash_table_unref(o);
    EXPECT(opts_parse("virt,x=1,x=2", "type", &err) == NULL);
    g_free(err);
    EXPECT(opts_parse_size("512", 1 << 20, &size));
    EXPECT_EQ(size, 512ull << 20);
    EXPECT(opts_parse_size("2G", 1 << 20, &size));
    EXPECT_EQ(size, 2ull << 30);
    EXPECT(!opts_parse_size("lots", 1, &size));
    EXPECT(!opts_parse_size("-1", 1, &size));
    EXPECT(!opts_parse_size("99999999999999T", 1, &size));
    /* Fractions with a suffix, as QEMU's -m 3.5G. */
    EXPECT(opts_parse_size("3.5G", 1 << 20, &size));
    EXPECT_EQ(size, 7ull << 29);
    EXPECT(opts_parse_size("1.G", 1 << 20, &size));
    EXPECT_EQ(size, 1ull << 30);
    EXPECT(opts_parse_size("0.1K", 1, &size));
    EXPECT_EQ(size, 102);
    EXPECT(!opts_parse_size("1.5", 1 << 20, &size));
    EXPECT(!opts_parse_size(".5G", 1, &size));
    EXPECT(!opts_parse_size("1e3", 1, &size));
    EXPECT(!opts_parse_size(" 512", 1, &size));
    EXPECT(!opts_parse_size("16E", 1, &size));
    EXPECT(opts_parse_bool("off", &b) && !b);
    EXPECT(!opts_parse_bool("maybe", &b));
}

int main(void)
{
    int rc = unit_run();

    chardev_cleanup_all();
    if (out_path)
        unlink(out_path);
    return rc;
}
