/*
 * virtio-serial, the virtio console device (virtio spec 1.2, section 5.3),
 * with its ports.  The device (-device virtio-serial-device[,max_ports=N])
 * is a bus of up to max_ports ports; each port (-device virtconsole or
 * virtserialport, chardev=ID) is a byte stream between a character backend
 * and the guest: /dev/hvc0 for a console, /dev/vportNpM for a port, whose
 * name the guest finds in /sys/class/virtio-ports.  With MULTIPORT (offered
 * when max_ports > 1) port 0 has queues 0 and 1, the control queues are 2
 * (to the driver) and 3 (from it), port N > 0 has queues 2N+2 and 2N+3; the
 * driver says DEVICE_READY, the device answers with DEVICE_ADD per port, the
 * driver says PORT_READY per port, and the device tells it which is a
 * console, each port's name and whether the host side is open (PORT_OPEN,
 * which follows a socket client connecting and leaving; a console is always
 * open).  The driver says PORT_OPEN when a guest program opens the port.
 *
 * Flow control both ways, with nothing lost: guest output waits in its
 * queue, unread, while the backend holds output its client has not taken
 * (chardev_write_blocked), and resumes when it drains; host input waits in
 * the backend until the guest has opened the port and given receive
 * buffers.  Input fills one receive buffer at a time and hands it over
 * when full or at the end of the main-loop turn, so a socket's input,
 * delivered a byte at a time, does not cost one buffer per byte.
 *
 * EMERG_WRITE (offered, as QEMU 7.2 does): a character the driver writes to
 * the config space's emerg_wr goes to port 0's backend, before any queue
 * is set up.
 *
 * Everything runs under the BQL (queue notifications from a vCPU's MMIO,
 * chardev callbacks and the flush timer on the main loop).  The model
 * knows nothing of its transport: it is a VirtIODevice like any other.
 */
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "mimic/chardev.h"
#include "mimic/log.h"
#include "mimic/timer.h"
#include "mimic/virtio-devices.h"

#define VIRTIO_CONSOLE_F_SIZE 0
#define VIRTIO_CONSOLE_F_MULTIPORT 1
#define VIRTIO_CONSOLE_F_EMERG_WRITE 2

/* Control events (spec 5.3.6.2). */
enum {
    VIRTIO_CONSOLE_DEVICE_READY = 0,
    VIRTIO_CONSOLE_DEVICE_ADD = 1,
    VIRTIO_CONSOLE_DEVICE_REMOVE = 2,
    VIRTIO_CONSOLE_PORT_READY = 3,
    VIRTIO_CONSOLE_CONSOLE_PORT = 4,
    VIRTIO_CONSOLE_RESIZE = 5,
    VIRTIO_CONSOLE_PORT_OPEN = 6,
    VIRTIO_CONSOLE_PORT_NAME = 7,
};

#define SERIAL_CONFIG_LEN 12      /* cols, rows, max_nr_ports, emerg_wr */
#define SERIAL_QUEUE_SIZE 128
#define CTRL_MSG_LEN 8            /* le32 id, le16 event, le16 value */
#define CTRL_MAX_PENDING 4096     /* messages the driver has not taken */
#define SERIAL_MAX_PORTS ((VIRTIO_QUEUE_MAX - 2) / 2)
#define SERIAL_DEFAULT_PORTS 31
#define SERIAL_MAX_CHUNK 65536    /* input offered to one buffer at most */

typedef struct VirtIOSerial VirtIOSerial;

typedef struct VirtIOSerialPort {
    VirtIOSerial *vser;
    uint32_t id;
    char *name;                   /* NULL: none */
    bool console;
    Chardev *chr;                 /* NULL: no backend */
    bool host_connected;          /* a console always is */
    bool ready;                   /* the driver said PORT_READY */
    bool guest_connected;         /* a guest program has it open */
    bool throttled;               /* output waits for the backend */
    VirtQueue *ivq, *ovq;         /* to the guest, from the guest */
    VirtQueueElement *rx;         /* receive buffer being filled ... */
    uint32_t rx_off;              /* ... this far */
} VirtIOSerialPort;

struct VirtIOSerial {
    VirtIODevice vdev;
    char *bus_name;               /* "ID.0" or "virtio-serial-bus.N" */
    uint32_t max_ports;
    VirtIOSerialPort **ports;     /* by id */
    VirtQueue *c_ivq, *c_ovq;
    GQueue ctrl_pending;          /* GByteArray: messages to the driver */
    bool driver_ready;
    Timer *rx_flush;
};

/* Every virtio-serial device, in creation order: the buses ports join. */
static GPtrArray *serial_devices;
static unsigned anon_buses;

static bool multiport(VirtIOSerial *s)
{
    return virtio_has_feature(&s->vdev, VIRTIO_CONSOLE_F_MULTIPORT);
}

static bool driver_ok(VirtIOSerial *s)
{
    return (s->vdev.status & VIRTIO_STATUS_DRIVER_OK) && !s->vdev.broken;
}

static VirtIOSerialPort *port_by_id(VirtIOSerial *s, uint32_t id)
{
    return id < s->max_ports ? s->ports[id] : NULL;
}

/* Queue index -> port id: 0, 1 are port 0; 2, 3 control; then pairs. */
static VirtIOSerialPort *port_by_vq(VirtIOSerial *s, VirtQueue *vq)
{
    int i = vq->index;

    if (i < 2)
        return port_by_id(s, 0);
    return port_by_id(s, (uint32_t)(i - 2) / 2);
}

/* ---- Control messages ---- */

static void ctrl_flush(VirtIOSerial *s)
{
    bool pushed = false;

    while (!g_queue_is_empty(&s->ctrl_pending)) {
        GByteArray *m = g_queue_peek_head(&s->ctrl_pending);
        VirtQueueElement *e = virtqueue_pop(s->c_ivq);
        size_t n;

        if (!e)
            break;
        n = virtqueue_elem_write(&s->vdev, e, 0, m->data, m->len);
        virtqueue_push(s->c_ivq, e, (uint32_t)n);
        g_byte_array_free(g_queue_pop_head(&s->ctrl_pending), TRUE);
        pushed = true;
    }
    if (pushed)
        virtqueue_notify(s->c_ivq);
}

static void ctrl_send(VirtIOSerial *s, uint32_t id, uint16_t event,
                      uint16_t value, const char *extra)
{
    uint8_t msg[CTRL_MSG_LEN];
    uint32_t le_id = GUINT32_TO_LE(id);
    uint16_t le_ev = GUINT16_TO_LE(event), le_val = GUINT16_TO_LE(value);
    GByteArray *m;

    if (!multiport(s) || !driver_ok(s))
        return;
    if (g_queue_get_length(&s->ctrl_pending) >= CTRL_MAX_PENDING) {
        log_mask(LOG_GUEST_ERROR, "virtio-serial: the driver takes no "
                 "control messages; event %u for port %u dropped\n", event, id);
        return;
    }
    memcpy(msg, &le_id, 4);
    memcpy(msg + 4, &le_ev, 2);
    memcpy(msg + 6, &le_val, 2);
    m = g_byte_array_new();
    g_byte_array_append(m, msg, sizeof(msg));
    if (extra)
        g_byte_array_append(m, (const uint8_t *)extra, (guint)strlen(extra));
    g_queue_push_tail(&s->ctrl_pending, m);
    ctrl_flush(s);
}

/* Tells the driver the host side of a ready port opened or closed. */
static void port_send_open(VirtIOSerialPort *p)
{
    if (p->ready)
        ctrl_send(p->vser, p->id, VIRTIO_CONSOLE_PORT_OPEN, p->host_connected,
                  NULL);
}

static void port_ready(VirtIOSerial *s, VirtIOSerialPort *p)
{
    p->ready = true;
    if (p->console)
        ctrl_send(s, p->id, VIRTIO_CONSOLE_CONSOLE_PORT, 1, NULL);
    if (p->name)
        ctrl_send(s, p->id, VIRTIO_CONSOLE_PORT_NAME, 1, p->name);
    if (p->host_connected)
        port_send_open(p);
}

static void ctrl_handle_msg(VirtIOSerial *s, uint32_t id, uint16_t event,
                            uint16_t value)
{
    VirtIOSerialPort *p;

    if (event == VIRTIO_CONSOLE_DEVICE_READY) {
        if (!value) {
            log_mask(LOG_GUEST_ERROR, "virtio-serial: the driver failed to "
                     "set up the device\n");
            return;
        }
        s->driver_ready = true;
        for (uint32_t i = 0; i < s->max_ports; i++) {
            if (s->ports[i])
                ctrl_send(s, i, VIRTIO_CONSOLE_DEVICE_ADD, 1, NULL);
        }
        return;
    }
    p = port_by_id(s, id);
    if (!p) {
        log_mask(LOG_GUEST_ERROR, "virtio-serial: control event %u for port "
                 "%u, which does not exist\n", event, id);
        return;
    }
    switch (event) {
    case VIRTIO_CONSOLE_PORT_READY:
        if (value)
            port_ready(s, p);
        else
            log_mask(LOG_GUEST_ERROR, "virtio-serial: the driver failed to "
                     "set up port %u\n", id);
        break;
    case VIRTIO_CONSOLE_PORT_OPEN:
        p->guest_connected = value != 0;
        if (p->guest_connected)
            chardev_accept_input(p->chr);
        break;
    default:
        log_mask(LOG_GUEST_ERROR, "virtio-serial: unexpected control event "
                 "%u from the driver (port %u)\n", event, id);
        break;
    }
}

static void handle_ctrl_out(VirtIODevice *vdev, VirtQueue *vq)
{
    VirtIOSerial *s = vdev->opaque;
    VirtQueueElement *e;

    while ((e = virtqueue_pop(vq))) {
        uint8_t msg[CTRL_MSG_LEN];
        uint32_t id;
        uint16_t event, value;

        if (virtqueue_elem_read(vdev, e, 0, msg, sizeof(msg)) < sizeof(msg)) {
            log_mask(LOG_GUEST_ERROR, "virtio-serial: control message of %"
                     G_GUINT64_FORMAT " bytes, too short\n", e->out_len);
            virtqueue_push(vq, e, 0);
            continue;
        }
        virtqueue_push(vq, e, 0);
        memcpy(&id, msg, 4);
        memcpy(&event, msg + 4, 2);
        memcpy(&value, msg + 6, 2);
        ctrl_handle_msg(s, GUINT32_FROM_LE(id), GUINT16_FROM_LE(event),
                        GUINT16_FROM_LE(value));
    }
    virtqueue_notify(vq);
}

static void handle_ctrl_in(VirtIODevice *vdev, VirtQueue *vq)
{
    ctrl_flush(vdev->opaque);
}

/* ---- Guest output ---- */

/* Copies one request's bytes to the port's backend (or drops them). */
static void port_output(VirtIOSerialPort *p, VirtQueueElement *e)
{
    uint8_t buf[4096];
    uint64_t off = 0;

    if (!p->chr || !p->host_connected)
        return;   /* nobody listens: dropped, as QEMU does */
    while (off < e->out_len) {
        size_t n = virtqueue_elem_read(&p->vser->vdev, e, off, buf,
                                       sizeof(buf));

        if (n == 0)
            break;
        chardev_write(p->chr, buf, (int)n);
        off += n;
    }
}

static void handle_output(VirtIODevice *vdev, VirtQueue *vq)
{
    VirtIOSerial *s = vdev->opaque;
    VirtIOSerialPort *p = port_by_vq(s, vq);
    VirtQueueElement *e;

    while ((!p || !p->throttled) && (e = virtqueue_pop(vq))) {
        if (p)
            port_output(p, e);
        virtqueue_push(vq, e, 0);
        /* Stop before the next request, kept in the ring, until the
           backend's client has read what it owes (port_writable). */
        if (p && chardev_write_blocked(p->chr))
            p->throttled = true;
    }
    virtqueue_notify(vq);
}

static void port_writable(void *opaque)
{
    VirtIOSerialPort *p = opaque;

    if (!p->throttled)
        return;
    p->throttled = false;
    handle_output(&p->vser->vdev, p->ovq);
}

/* ---- Host input ---- */

static void port_rx_push(VirtIOSerialPort *p)
{
    if (!p->rx)
        return;
    virtqueue_push(p->ivq, p->rx, p->rx_off);
    p->rx = NULL;
    p->rx_off = 0;
    virtqueue_notify(p->ivq);
}

static void rx_flush(void *opaque)
{
    VirtIOSerial *s = opaque;

    for (uint32_t i = 0; i < s->max_ports; i++) {
        VirtIOSerialPort *p = s->ports[i];

        if (p && p->rx && p->rx_off)
            port_rx_push(p);
    }
}

static int port_can_read(void *opaque)
{
    VirtIOSerialPort *p = opaque;
    VirtIOSerial *s = p->vser;

    if (!driver_ok(s) || (multiport(s) && !p->guest_connected))
        return 0;
    if (!p->rx) {
        p->rx = virtqueue_pop(p->ivq);
        p->rx_off = 0;
        if (!p->rx)
            return 0;
        if (p->rx->in_len == 0) {     /* no room at all: give it back */
            port_rx_push(p);
            return 0;
        }
    }
    return (int)MIN(p->rx->in_len - p->rx_off, (uint64_t)SERIAL_MAX_CHUNK);
}

static void port_read(void *opaque, const uint8_t *buf, int len)
{
    VirtIOSerialPort *p = opaque;

    while (len > 0 && port_can_read(p) > 0) {
        size_t n = virtqueue_elem_write(&p->vser->vdev, p->rx, p->rx_off, buf,
                                        (size_t)len);

        p->rx_off += (uint32_t)n;
        buf += n;
        len -= (int)n;
        if (n == 0 || p->rx_off == p->rx->in_len)
            port_rx_push(p);
    }
    if (p->rx && p->rx_off && !timer_pending(p->vser->rx_flush))
        timer_mod(p->vser->rx_flush, clock_ns(TIMER_CLOCK_HOST));
}

static void handle_input(VirtIODevice *vdev, VirtQueue *vq)
{
    VirtIOSerialPort *p = port_by_vq(vdev->opaque, vq);

    if (p)
        chardev_accept_input(p->chr);
}

static void port_event(void *opaque, ChardevEvent event)
{
    VirtIOSerialPort *p = opaque;
    bool open = event == CHARDEV_EVENT_OPENED;

    if (event != CHARDEV_EVENT_OPENED && event != CHARDEV_EVENT_CLOSED)
        return;
    if (!open)
        port_writable(p);   /* output to a gone client is dropped */
    if (p->console || p->host_connected == open)
        return;
    p->host_connected = open;
    port_send_open(p);
}

/* ---- The device ---- */

static void serial_set_status(VirtIODevice *vdev, uint8_t status)
{
    VirtIOSerial *s = vdev->opaque;

    /* Without MULTIPORT port 0 is simply there once the driver runs. */
    if ((status & VIRTIO_STATUS_DRIVER_OK) && !multiport(s) && s->ports[0]) {
        s->ports[0]->guest_connected = true;
        chardev_accept_input(s->ports[0]->chr);
    }
}

static void serial_reset(VirtIODevice *vdev)
{
    VirtIOSerial *s = vdev->opaque;

    s->driver_ready = false;
    g_queue_clear_full(&s->ctrl_pending, (GDestroyNotify)g_byte_array_unref);
    timer_del(s->rx_flush);
    for (uint32_t i = 0; i < s->max_ports; i++) {
        VirtIOSerialPort *p = s->ports[i];

        if (!p)
            continue;
        g_free(p->rx);        /* the ring it came from is gone */
        p->rx = NULL;
        p->rx_off = 0;
        p->ready = p->guest_connected = p->throttled = false;
    }
}

/* The only field the driver may write is emerg_wr (spec 5.3.4): one
   character for port 0, whatever state the queues are in. */
static void serial_set_config(VirtIODevice *vdev, const uint8_t *config)
{
    VirtIOSerial *s = vdev->opaque;
    uint32_t le;
    uint8_t c;

    memcpy(&le, config + 8, 4);
    c = (uint8_t)GUINT32_FROM_LE(le);
    memset(vdev->config + 8, 0, 4);
    if (c && s->ports[0] && s->ports[0]->chr)
        chardev_write(s->ports[0]->chr, &c, 1);
}

static const VirtIODeviceOps virtio_serial_ops = {
    .name = "virtio-serial-device",
    .device_id = VIRTIO_ID_CONSOLE,
    .set_config = serial_set_config,
    .set_status = serial_set_status,
    .reset = serial_reset,
};

VirtIODevice *virtio_serial_create(const char *id, const char *max_ports,
                                   char **err)
{
    VirtIOSerial *s;
    uint64_t n = SERIAL_DEFAULT_PORTS;
    uint32_t le;

    if (max_ports &&
        !g_ascii_string_to_unsigned(max_ports, 10, 0, UINT32_MAX, &n, NULL)) {
        *err = g_strdup_printf("Property 'virtio-serial-device.max_ports' "
                               "doesn't take value '%s'", max_ports);
        return NULL;
    }
    if (n == 0) {
        *err = g_strdup("Maximum number of serial ports not specified");
        return NULL;
    }
    if (n > SERIAL_MAX_PORTS) {
        *err = g_strdup_printf("maximum ports supported: %d", SERIAL_MAX_PORTS);
        return NULL;
    }
    s = g_new0(VirtIOSerial, 1);
    s->max_ports = (uint32_t)n;
    s->ports = g_new0(VirtIOSerialPort *, n);
    s->bus_name = id ? g_strdup_printf("%s.0", id)
                     : g_strdup_printf("virtio-serial-bus.%u", anon_buses++);
    g_queue_init(&s->ctrl_pending);
    s->rx_flush = timer_new(TIMER_CLOCK_HOST, rx_flush, s);
    virtio_init(&s->vdev, &virtio_serial_ops, SERIAL_CONFIG_LEN,
                (n > 1 ? 1ull << VIRTIO_CONSOLE_F_MULTIPORT : 0) |
                    (1ull << VIRTIO_CONSOLE_F_EMERG_WRITE), s);
    le = GUINT32_TO_LE(s->max_ports);
    memcpy(s->vdev.config + 4, &le, 4);
    /* Queues in the driver's order (spec 5.3.2); the port pairs are made
       up front so that a port added later finds its own. */
    virtio_add_queue(&s->vdev, SERIAL_QUEUE_SIZE, handle_input);
    virtio_add_queue(&s->vdev, SERIAL_QUEUE_SIZE, handle_output);
    if (n > 1) {
        s->c_ivq = virtio_add_queue(&s->vdev, SERIAL_QUEUE_SIZE,
                                    handle_ctrl_in);
        s->c_ovq = virtio_add_queue(&s->vdev, SERIAL_QUEUE_SIZE,
                                    handle_ctrl_out);
        for (uint32_t i = 1; i < n; i++) {
            virtio_add_queue(&s->vdev, SERIAL_QUEUE_SIZE, handle_input);
            virtio_add_queue(&s->vdev, SERIAL_QUEUE_SIZE, handle_output);
        }
    }
    if (!serial_devices)
        serial_devices = g_ptr_array_new();
    g_ptr_array_add(serial_devices, s);
    return &s->vdev;
}

/* ---- Ports ---- */

static VirtIOSerial *find_bus(const char *bus, const char *type, char **err)
{
    for (guint i = 0; serial_devices && i < serial_devices->len; i++) {
        VirtIOSerial *s = g_ptr_array_index(serial_devices, i);

        if (bus ? !strcmp(bus, s->bus_name) : true)
            return s;
    }
    if (bus)
        *err = g_strdup_printf("Bus '%s' not found", bus);
    else
        *err = g_strdup_printf("No 'virtio-serial-bus' bus found for device "
                               "'%s'", type);
    return NULL;
}

static bool name_taken(const char *name)
{
    for (guint i = 0; serial_devices && i < serial_devices->len; i++) {
        VirtIOSerial *s = g_ptr_array_index(serial_devices, i);

        for (uint32_t j = 0; j < s->max_ports; j++) {
            if (s->ports[j] && s->ports[j]->name &&
                !strcmp(s->ports[j]->name, name))
                return true;
        }
    }
    return false;
}

/* The port's id, by QEMU's rules: nr= if given; else 0 for the first
   console; else the lowest free id from 1.  Port 0 is kept for a console. */
static bool choose_id(VirtIOSerial *s, bool console, const char *nr,
                      uint32_t *id, char **err)
{
    uint64_t v;

    if (nr) {
        if (!g_ascii_string_to_unsigned(nr, 10, 0, UINT32_MAX - 1, &v, NULL)) {
            *err = g_strdup_printf("Property '%s.nr' doesn't take value '%s'",
                                   console ? "virtconsole" : "virtserialport",
                                   nr);
            return false;
        }
        *id = (uint32_t)v;
    } else if (console && !s->ports[0]) {
        *id = 0;
    } else {
        /* QEMU looks through a bitmap of whole 32-bit words. */
        uint32_t limit = (s->max_ports + 31) / 32 * 32;

        for (*id = 1; *id < limit && port_by_id(s, *id); (*id)++)
            ;
        if (*id == limit) {
            *err = g_strdup("virtio-serial-bus: Maximum port limit for this "
                            "device reached");
            return false;
        }
    }
    if (*id == 0 && !console) {
        *err = g_strdup("Port number 0 on virtio-serial devices reserved for "
                        "virtconsole devices for backward compatibility.");
        return false;
    }
    if (port_by_id(s, *id)) {
        *err = g_strdup_printf("virtio-serial-bus: A port already exists at "
                               "id %u", *id);
        return false;
    }
    if (*id >= s->max_ports) {
        *err = g_strdup_printf("virtio-serial-bus: Out-of-range port id "
                               "specified, max. allowed: %u", s->max_ports - 1);
        return false;
    }
    return true;
}

bool virtio_serial_port_add(bool console, const char *chardev,
                            const char *name, const char *nr, const char *bus,
                            char **err)
{
    const char *type = console ? "virtconsole" : "virtserialport";
    VirtIOSerial *s = find_bus(bus, type, err);
    VirtIOSerialPort *p;
    Chardev *chr = NULL;
    uint32_t id;

    if (!s)
        return false;
    if (chardev) {
        chr = chardev_find(chardev);
        if (!chr) {
            *err = g_strdup_printf("Property '%s.chardev' can't find value "
                                   "'%s'", type, chardev);
            return false;
        }
        /* A mux shares its backend: one more frontend. */
        if (chardev_in_use(chr) && chardev_is_mux(chr)) {
            chr = chardev_mux_add_frontend(chr, err);
            if (!chr)
                return false;
        }
        if (chardev_in_use(chr)) {
            *err = g_strdup_printf("Property '%s.chardev' can't take value "
                                   "'%s': Device '%s' is in use", type,
                                   chardev, chardev);
            return false;
        }
    }
    if (name && name_taken(name)) {
        *err = g_strdup_printf("virtio-serial-bus: A port already exists by "
                               "name %s", name);
        return false;
    }
    if (!choose_id(s, console, nr, &id, err))
        return false;
    p = g_new0(VirtIOSerialPort, 1);
    p->vser = s;
    p->id = id;
    p->name = name && *name ? g_strdup(name) : NULL;
    p->console = console;
    p->chr = chr;
    p->ivq = &s->vdev.vq[id == 0 ? 0 : 2 * id + 2];
    p->ovq = &s->vdev.vq[id == 0 ? 1 : 2 * id + 3];
    /* A console is always open: its guest output goes wherever the
       backend puts it; a port follows the backend's client (port_event). */
    p->host_connected = console;
    s->ports[id] = p;
    if (chr) {
        chardev_set_handlers(chr, port_can_read, port_read, p);
        chardev_set_writable_handler(chr, port_writable);
        chardev_set_event_handler(chr, port_event);
    }
    /* Hot-plug after the driver started (not reachable from the command
       line today, but the protocol has it). */
    if (s->driver_ready)
        ctrl_send(s, id, VIRTIO_CONSOLE_DEVICE_ADD, 1, NULL);
    return true;
}
