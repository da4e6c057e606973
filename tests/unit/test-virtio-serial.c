/* needs: riscv64-softmmu */
/*
 * Tests of virtio-serial (hw/char/virtio-serial.c) against the small
 * driver of virtio-test.h: the multiport control protocol as Linux runs it
 * (DEVICE_READY, then DEVICE_ADD per port, PORT_READY, then CONSOLE_PORT,
 * PORT_NAME and PORT_OPEN), guest output reaching the port's backend, host
 * input held until the guest opens the port and gives buffers, a socket
 * client's arrival and departure as PORT_OPEN, the port numbering rules
 * with QEMU's errors, and a driver's malformed control messages.
 */
#include <stdio.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <glib.h>

#include "mimic/chardev.h"
#include "mimic/timer.h"
#include "mimic/virtio-devices.h"
#include "unit.h"
#include "virtio-test.h"

#define F_V1 (1ull << VIRTIO_F_VERSION_1)
#define F_MULTIPORT (1ull << 1)
#define PORT0_RX 0
#define PORT0_TX 1
#define CTRL_RX 2
#define CTRL_TX 3
#define PORT_RX(n) (2 * (n) + 2)
#define PORT_TX(n) (2 * (n) + 3)

enum {
    DEVICE_READY = 0, DEVICE_ADD = 1, PORT_READY = 3, CONSOLE_PORT = 4,
    PORT_OPEN = 6, PORT_NAME = 7,
};

typedef struct Msg {
    uint32_t id;
    uint16_t event, value;
    char extra[64];
} Msg;

static char *tmpdir;
static uint64_t ctrl_buf[64]; /* by head descriptor */

static void pump(void)
{
    for (int i = 0; i < 1000 && g_main_context_iteration(NULL, FALSE); i++)
        ;
}

static char *read_file(const char *path)
{
    char *s = NULL;

    g_file_get_contents(path, &s, NULL, NULL);
    return s ? s : g_strdup("");
}

/* Gives the device n control buffers of 64 bytes. */
static void ctrl_give(int n)
{
    for (int i = 0; i < n; i++) {
        uint64_t b = vt_alloc(64, 0);
        uint16_t head = vt_add(CTRL_RX, (VTBuf[]){ { b, 64, true } }, 1);

        ctrl_buf[head] = b;
    }
    vt_kick(CTRL_RX);
}

static void ctrl_send(uint32_t id, uint16_t event, uint16_t value)
{
    uint64_t b = vt_alloc(8, 0);
    uint8_t *p = vt_ptr(b, 8);

    memcpy(p, &id, 4);
    memcpy(p + 4, &event, 2);
    memcpy(p + 6, &value, 2);
    vt_add(CTRL_TX, (VTBuf[]){ { b, 8, false } }, 1);
    vt_kick(CTRL_TX);
}

/* The next control message from the device; false if there is none. */
static bool ctrl_next(Msg *m)
{
    uint32_t head, len;
    uint8_t *p;

    if (!vt_used_count(CTRL_RX))
        return false;
    vt_used_next(CTRL_RX, &head, &len);
    g_assert(len >= 8 && len < 8 + sizeof(m->extra));
    p = vt_ptr(ctrl_buf[head], len);
    memset(m, 0, sizeof(*m));
    memcpy(&m->id, p, 4);
    memcpy(&m->event, p + 4, 2);
    memcpy(&m->value, p + 6, 2);
    memcpy(m->extra, p + 8, len - 8);
    return true;
}

static bool expect_msg(uint32_t id, uint16_t event, uint16_t value)
{
    Msg m;

    if (!ctrl_next(&m)) {
        fprintf(stderr, "# no control message (wanted %u/%u/%u)\n", id, event,
                value);
        return false;
    }
    if (m.id != id || m.event != event || m.value != value) {
        fprintf(stderr, "# got %u/%u/%u, wanted %u/%u/%u\n", m.id, m.event,
                m.value, id, event, value);
        return false;
    }
    return true;
}

static Chardev *file_chardev(const char *id)
{
    g_autofree char *spec = g_strdup_printf("file,id=%s,path=%s/%s", id,
                                            tmpdir, id);
    char *err = NULL;
    Chardev *chr = chardev_new(spec, &err);

    g_assert(chr);
    return chr;
}

static void setup_once(void)
{
    if (tmpdir)
        return;
    tmpdir = g_dir_make_tmp("mimic-vserial-XXXXXX", NULL);
    timers_attach(g_main_context_default());
}

/* A device with max_ports=4: a console on <tag>con, port 1 named
   org.example.<tag> on <tag>p1, running with MULTIPORT and every queue set up. */
static Chardev *con, *p1;
static void start_device(const char *tag)
{
    char *err = NULL;
    g_autofree char *cid = g_strdup_printf("%scon", tag);
    g_autofree char *pid = g_strdup_printf("%sp1", tag);
    g_autofree char *bus = g_strdup_printf("vs%s.0", tag);
    g_autofree char *dev = g_strdup_printf("vs%s", tag);
    g_autofree char *name = g_strdup_printf("org.example.%s", tag);
    VirtIODevice *vdev;

    setup_once();
    con = file_chardev(cid);
    p1 = file_chardev(pid);
    vdev = virtio_serial_create(dev, "4", &err);
    g_assert(vdev);
    vt_plug(vdev);
    g_assert(virtio_serial_port_add(true, cid, NULL, NULL, bus, &err));
    g_assert(virtio_serial_port_add(false, pid, name, NULL, bus, &err));
    vt_start(F_V1 | F_MULTIPORT, 16);
}

TEST(serial_config_and_queues)
{
    start_device("a");
    EXPECT_EQ(vt_rd(VT_DEVICE_ID), VIRTIO_ID_CONSOLE);
    EXPECT_EQ(vt_rd(VT_CONFIG + 4), 4);      /* max_nr_ports */
    EXPECT_EQ(vt.vdev->nvqs, 10);            /* 2 per port, 2 control */
    vt_wr(VT_DEVICE_FEATURES_SEL, 0);
    EXPECT(vt_rd(VT_DEVICE_FEATURES) & F_MULTIPORT);
}

TEST(serial_control_handshake)
{
    Msg m;

    start_device("b");
    ctrl_give(16);
    ctrl_send(0, DEVICE_READY, 1);
    EXPECT(expect_msg(0, DEVICE_ADD, 1));
    EXPECT(expect_msg(1, DEVICE_ADD, 1));
    EXPECT(!ctrl_next(&m));
    ctrl_send(0, PORT_READY, 1);
    EXPECT(expect_msg(0, CONSOLE_PORT, 1));
    EXPECT(expect_msg(0, PORT_OPEN, 1));     /* a console is always open */
    ctrl_send(1, PORT_READY, 1);
    EXPECT(ctrl_next(&m) && m.id == 1 && m.event == PORT_NAME);
    EXPECT_STREQ(m.extra, "org.example.b");
    EXPECT(expect_msg(1, PORT_OPEN, 1));     /* a file is always there */
    EXPECT(!ctrl_next(&m));
    EXPECT(!vt_needs_reset());
}

TEST(serial_control_messages_wait_for_buffers)
{
    start_device("c");
    ctrl_send(0, DEVICE_READY, 1);           /* no buffers given yet */
    EXPECT_EQ(vt_used_count(CTRL_RX), 0);
    ctrl_give(1);
    EXPECT(expect_msg(0, DEVICE_ADD, 1));
    ctrl_give(1);
    EXPECT(expect_msg(1, DEVICE_ADD, 1));
}

TEST(serial_guest_output_reaches_backend)
{
    g_autofree char *path = NULL, *got = NULL;
    uint64_t a, b;

    start_device("d");
    a = vt_alloc(6, 0);
    b = vt_alloc(7, 0);
    memcpy(vt_ptr(a, 6), "hello ", 6);
    memcpy(vt_ptr(b, 7), "port 1\n", 7);
    vt_add(PORT_TX(1), (VTBuf[]){ { a, 6, false }, { b, 7, false } }, 2);
    vt_kick(PORT_TX(1));
    EXPECT_EQ(vt_used_count(PORT_TX(1)), 1);
    memcpy(vt_ptr(a, 6), "hvc!\n", 5);
    vt_add(PORT0_TX, (VTBuf[]){ { a, 5, false } }, 1);
    vt_kick(PORT0_TX);
    path = g_strdup_printf("%s/dp1", tmpdir);
    got = read_file(path);
    EXPECT_STREQ(got, "hello port 1\n");
    g_free(path);
    g_free(got);
    path = g_strdup_printf("%s/dcon", tmpdir);
    got = read_file(path);
    EXPECT_STREQ(got, "hvc!\n");
}

TEST(serial_emergency_write)
{
    g_autofree char *path = NULL, *got = NULL;

    start_device("h");
    vt_wr(VT_DEVICE_FEATURES_SEL, 0);
    EXPECT(vt_rd(VT_DEVICE_FEATURES) & (1u << 2));
    vt_wr(VT_CONFIG + 8, 'E');
    vt_wr(VT_CONFIG + 8, '!');
    path = g_strdup_printf("%s/hcon", tmpdir);
    got = read_file(path);
    EXPECT_STREQ(got, "E!");
}

TEST(serial_host_input_waits_for_open_and_buffers)
{
    uint64_t b;
    uint32_t head, len;

    start_device("e");
    ctrl_give(16);
    ctrl_send(0, DEVICE_READY, 1);
    ctrl_send(1, PORT_READY, 1);
    b = vt_alloc(32, 0xaa);
    vt_add(PORT_RX(1), (VTBuf[]){ { b, 32, true } }, 1);
    vt_kick(PORT_RX(1));
    chardev_receive(p1, (const uint8_t *)"abc", 3);
    pump();
    EXPECT_EQ(vt_used_count(PORT_RX(1)), 0);   /* not open in the guest */
    ctrl_send(1, PORT_OPEN, 1);
    pump();
    EXPECT_EQ(vt_used_count(PORT_RX(1)), 1);
    vt_used_next(PORT_RX(1), &head, &len);
    EXPECT_EQ(len, 3);
    EXPECT(!memcmp(vt_ptr(b, 4), "abc\xaa", 4));
    /* No buffer: the next input waits in the backend, then fills two. */
    chardev_receive(p1, (const uint8_t *)"0123456789", 10);
    pump();
    EXPECT_EQ(vt_used_count(PORT_RX(1)), 0);
    b = vt_alloc(8, 0);
    vt_add(PORT_RX(1), (VTBuf[]){ { b, 6, true } }, 1);
    vt_add(PORT_RX(1), (VTBuf[]){ { b + 6, 2, true } }, 1);
    vt_kick(PORT_RX(1));
    pump();
    EXPECT_EQ(vt_used_count(PORT_RX(1)), 2);
    EXPECT(!memcmp(vt_ptr(b, 8), "01234567", 8));
    b = vt_alloc(8, 0);
    vt_add(PORT_RX(1), (VTBuf[]){ { b, 8, true } }, 1);
    vt_kick(PORT_RX(1));
    pump();
    vt_used_next(PORT_RX(1), &head, &len);
    vt_used_next(PORT_RX(1), &head, &len);
    EXPECT_EQ(vt_used_count(PORT_RX(1)), 1);
    vt_used_next(PORT_RX(1), &head, &len);
    EXPECT_EQ(len, 2);
    EXPECT(!memcmp(vt_ptr(b, 2), "89", 2));
}

TEST(serial_socket_client_is_port_open)
{
    g_autofree char *path = g_strdup_printf("%s/sock", tmpdir ? tmpdir : "");
    g_autofree char *spec = NULL;
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    char *err = NULL;
    VirtIODevice *vdev;
    int fd;

    setup_once();
    g_free(path);
    path = g_strdup_printf("%s/sock", tmpdir);
    spec = g_strdup_printf("socket,id=fsock,path=%s,server=on,wait=off", path);
    g_assert(chardev_new(spec, &err));
    vdev = virtio_serial_create("vsf", "2", &err);
    vt_plug(vdev);
    EXPECT(virtio_serial_port_add(false, "fsock", "sock.port", "1", NULL,
                                  &err) == false);   /* port 1 is taken on vsa */
    g_free(err);
    err = NULL;
    EXPECT(virtio_serial_port_add(false, "fsock", "sock.port", "1", "vsf.0",
                                  &err));
    vt_start(F_V1 | F_MULTIPORT, 16);
    ctrl_give(16);
    ctrl_send(0, DEVICE_READY, 1);
    EXPECT(expect_msg(1, DEVICE_ADD, 1));
    ctrl_send(1, PORT_READY, 1);
    EXPECT(ctrl_next(&(Msg){ 0 }));          /* PORT_NAME */
    EXPECT_EQ(vt_used_count(CTRL_RX), 0);    /* no client: not open */
    fd = socket(AF_UNIX, SOCK_STREAM, 0);
    strcpy(sa.sun_path, path);
    EXPECT(connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0);
    for (int i = 0; i < 5000 && !vt_used_count(CTRL_RX); i++) {
        pump();
        g_usleep(1000);
    }
    EXPECT(expect_msg(1, PORT_OPEN, 1));
    close(fd);
    for (int i = 0; i < 5000 && !vt_used_count(CTRL_RX); i++) {
        pump();
        g_usleep(1000);
    }
    EXPECT(expect_msg(1, PORT_OPEN, 0));
}

TEST(serial_port_numbering_errors)
{
    char *err = NULL;

    setup_once();
    file_chardev("n0");
    file_chardev("n1");
    file_chardev("n2");
    g_assert(virtio_serial_create("vsn", "2", &err));
    EXPECT(!virtio_serial_port_add(false, "n0", NULL, "0", "vsn.0", &err));
    EXPECT_STREQ(err, "Port number 0 on virtio-serial devices reserved for "
                      "virtconsole devices for backward compatibility.");
    g_free(err);
    err = NULL;
    EXPECT(!virtio_serial_port_add(false, "n0", NULL, "2", "vsn.0", &err));
    EXPECT_STREQ(err, "virtio-serial-bus: Out-of-range port id specified, "
                      "max. allowed: 1");
    g_free(err);
    err = NULL;
    EXPECT(virtio_serial_port_add(false, "n0", "dup", NULL, "vsn.0", &err));
    EXPECT(!virtio_serial_port_add(false, "n1", NULL, "1", "vsn.0", &err));
    EXPECT_STREQ(err, "virtio-serial-bus: A port already exists at id 1");
    g_free(err);
    err = NULL;
    EXPECT(!virtio_serial_port_add(false, "n1", "dup", NULL, "vsn.0", &err));
    EXPECT_STREQ(err, "virtio-serial-bus: A port already exists by name dup");
    g_free(err);
    err = NULL;
    EXPECT(!virtio_serial_port_add(true, "n0", NULL, NULL, "vsn.0", &err));
    EXPECT_STREQ(err, "Property 'virtconsole.chardev' can't take value 'n0': "
                      "Device 'n0' is in use");
    g_free(err);
    err = NULL;
    EXPECT(!virtio_serial_port_add(true, "zz", NULL, NULL, "vsn.0", &err));
    EXPECT_STREQ(err, "Property 'virtconsole.chardev' can't find value 'zz'");
    g_free(err);
    err = NULL;
    EXPECT(!virtio_serial_port_add(true, "n2", NULL, NULL, "nope.0", &err));
    EXPECT_STREQ(err, "Bus 'nope.0' not found");
    g_free(err);
    err = NULL;
    EXPECT(virtio_serial_create("vsx", "0", &err) == NULL);
    EXPECT_STREQ(err, "Maximum number of serial ports not specified");
    g_free(err);
}

TEST(serial_bad_control_messages)
{
    uint64_t b;

    start_device("g");
    ctrl_give(16);
    b = vt_alloc(4, 0);
    vt_add(CTRL_TX, (VTBuf[]){ { b, 4, false } }, 1);   /* too short */
    vt_kick(CTRL_TX);
    EXPECT_EQ(vt_used_count(CTRL_TX), 1);
    ctrl_send(77, PORT_READY, 1);                       /* no such port */
    ctrl_send(3, PORT_OPEN, 1);                         /* not plugged */
    ctrl_send(1, 99, 1);                                /* no such event */
    ctrl_send(0, DEVICE_READY, 0);                      /* driver failed */
    EXPECT_EQ(vt_used_count(CTRL_RX), 0);
    EXPECT(!vt_needs_reset());
    /* A queue of a port that does not exist swallows its output. */
    b = vt_alloc(4, 'x');
    vt_add(PORT_TX(2), (VTBuf[]){ { b, 4, false } }, 1);
    vt_kick(PORT_TX(2));
    EXPECT_EQ(vt_used_count(PORT_TX(2)), 1);
}

int main(void)
{
    int r = unit_run();

    chardev_cleanup_all();
    return r;
}
