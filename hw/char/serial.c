/*
 * The ns16550a UART: eight one-byte registers (reg-shift 0), with the
 * divisor latch behind LCR.DLAB, a 16-byte receive FIFO and the interrupt
 * identification rules of the 16550 datasheet: receiver line status, then
 * received data (at the FIFO trigger level, or a character timeout below
 * it), then transmitter holding register empty.  Transmission is instant:
 * each THR write goes straight to the chardev, so THRE and TEMT are always
 * set and a THRE interrupt is pending again right after every write (until
 * IIR is read or another byte is written).  The character timeout fires at
 * once rather than after four character times.  Modem lines are fixed at
 * DCD, DSR and CTS asserted; loopback (MCR bit 4) feeds THR back into the
 * receiver and MCR into MSR.  Guest mistakes go to -d guest_errors.
 */
#include <inttypes.h>

#include <glib.h>

#include "mimic/board.h"
#include "mimic/fdt-builder.h"
#include "mimic/log.h"
#include "mimic/serial.h"

enum {
    UART_RBR = 0, UART_THR = 0, UART_DLL = 0,
    UART_IER = 1, UART_DLM = 1,
    UART_IIR = 2, UART_FCR = 2,
    UART_LCR = 3, UART_MCR = 4, UART_LSR = 5, UART_MSR = 6, UART_SCR = 7,
};

#define IER_RDI 0x01      /* received data available */
#define IER_THRI 0x02     /* THR empty */
#define IER_RLSI 0x04     /* receiver line status */
#define IER_MSI 0x08      /* modem status */

#define IIR_NO_INT 0x01
#define IIR_RLSI 0x06
#define IIR_RDI 0x04
#define IIR_CTI 0x0c
#define IIR_THRI 0x02
#define IIR_FIFO_ON 0xc0

#define FCR_ENABLE 0x01
#define FCR_CLEAR_RX 0x02
#define FCR_CLEAR_TX 0x04

#define LCR_DLAB 0x80
#define MCR_LOOP 0x10

#define LSR_DR 0x01
#define LSR_OE 0x02
#define LSR_ERRORS 0x1e   /* OE, PE, FE, BI */
#define LSR_THRE 0x20
#define LSR_TEMT 0x40

#define MSR_DEFAULT 0xb0  /* DCD, DSR, CTS */

#define RX_FIFO_SIZE 16

struct SerialState {
    MemoryRegion iomem;
    IRQLine *irq;
    Chardev *chr;
    uint16_t divider;
    uint8_t ier, lcr, mcr, lsr, scr, fcr;
    bool thr_ipending;
    uint8_t rx[RX_FIFO_SIZE];
    int rx_head, rx_count;
};

static bool fifo_on(SerialState *s)
{
    return s->fcr & FCR_ENABLE;
}

static int rx_trigger(SerialState *s)
{
    static const int levels[4] = { 1, 4, 8, 14 };

    return fifo_on(s) ? levels[s->fcr >> 6] : 1;
}

/* The pending interrupt of highest priority, as IIR bits 0-3. */
static uint8_t serial_iir(SerialState *s)
{
    if ((s->ier & IER_RLSI) && (s->lsr & LSR_ERRORS))
        return IIR_RLSI;
    if ((s->ier & IER_RDI) && s->rx_count > 0)
        return s->rx_count >= rx_trigger(s) ? IIR_RDI : IIR_CTI;
    if ((s->ier & IER_THRI) && s->thr_ipending)
        return IIR_THRI;
    return IIR_NO_INT;
}

static void serial_update_irq(SerialState *s)
{
    irq_set(s->irq, serial_iir(s) != IIR_NO_INT);
}

static void rx_push(SerialState *s, uint8_t c)
{
    int cap = fifo_on(s) ? RX_FIFO_SIZE : 1;

    if (s->rx_count >= cap) {
        s->lsr |= LSR_OE;
        return;
    }
    s->rx[(s->rx_head + s->rx_count) % RX_FIFO_SIZE] = c;
    s->rx_count++;
    s->lsr |= LSR_DR;
}

static uint8_t rx_pop(SerialState *s)
{
    uint8_t c = 0;

    if (s->rx_count > 0) {
        c = s->rx[s->rx_head];
        s->rx_head = (s->rx_head + 1) % RX_FIFO_SIZE;
        s->rx_count--;
    }
    if (s->rx_count == 0)
        s->lsr &= ~LSR_DR;
    return c;
}

static void rx_clear(SerialState *s)
{
    s->rx_head = s->rx_count = 0;
    s->lsr &= ~LSR_DR;
}

static uint8_t serial_msr(SerialState *s)
{
    if (s->mcr & MCR_LOOP) {
        return (uint8_t)(((s->mcr & 0x02) << 3) | ((s->mcr & 0x01) << 5) |
                         ((s->mcr & 0x04) << 4) | ((s->mcr & 0x08) << 4));
    }
    return MSR_DEFAULT;
}

static uint64_t serial_read(void *opaque, uint64_t addr, unsigned size)
{
    SerialState *s = opaque;
    uint8_t v = 0, iir;

    switch (addr) {
    case UART_RBR:
        if (s->lcr & LCR_DLAB)
            return s->divider & 0xff;
        v = rx_pop(s);
        serial_update_irq(s);
        chardev_accept_input(s->chr);
        return v;
    case UART_IER:
        return (s->lcr & LCR_DLAB) ? s->divider >> 8 : s->ier;
    case UART_IIR:
        iir = serial_iir(s);
        if (iir == IIR_THRI) {
            s->thr_ipending = false;     /* reading IIR acknowledges THRE */
            serial_update_irq(s);
        }
        return iir | (fifo_on(s) ? IIR_FIFO_ON : 0);
    case UART_LCR:
        return s->lcr;
    case UART_MCR:
        return s->mcr;
    case UART_LSR:
        v = s->lsr;
        s->lsr &= ~LSR_ERRORS;
        if (v & LSR_ERRORS)
            serial_update_irq(s);
        return v;
    case UART_MSR:
        return serial_msr(s);
    case UART_SCR:
        return s->scr;
    default:
        log_mask(LOG_GUEST_ERROR, "serial: read of unknown register 0x%" PRIx64 "\n",
                 addr);
        return 0;
    }
}

static void serial_write_thr(SerialState *s, uint8_t c)
{
    if (s->mcr & MCR_LOOP) {
        rx_push(s, c);
    } else if (chardev_write(s->chr, &c, 1) < 0) {
        log_mask(LOG_GUEST_ERROR, "serial: output lost (chardev write failed)\n");
    }
    s->thr_ipending = true;
    serial_update_irq(s);
}

static void serial_write_fcr(SerialState *s, uint8_t v)
{
    if ((v ^ s->fcr) & FCR_ENABLE)
        rx_clear(s);             /* switching the FIFOs empties them */
    if (v & FCR_CLEAR_RX)
        rx_clear(s);
    s->fcr = v & 0xc9;
    serial_update_irq(s);
    chardev_accept_input(s->chr);
}

static void serial_write(void *opaque, uint64_t addr, uint64_t val,
                         unsigned size)
{
    SerialState *s = opaque;
    uint8_t v = (uint8_t)val;

    switch (addr) {
    case UART_THR:
        if (s->lcr & LCR_DLAB)
            s->divider = (s->divider & 0xff00) | v;
        else
            serial_write_thr(s, v);
        break;
    case UART_IER:
        if (s->lcr & LCR_DLAB) {
            s->divider = (uint16_t)((s->divider & 0xff) | (v << 8));
            break;
        }
        /* Enabling THRI with an empty THR raises it at once. */
        if ((v & IER_THRI) && !(s->ier & IER_THRI))
            s->thr_ipending = true;
        s->ier = v & 0x0f;
        serial_update_irq(s);
        break;
    case UART_FCR:
        serial_write_fcr(s, v);
        break;
    case UART_LCR:
        s->lcr = v;
        break;
    case UART_MCR:
        s->mcr = v & 0x1f;
        break;
    case UART_LSR:
    case UART_MSR:
        break;                   /* read-only; written by some drivers */
    case UART_SCR:
        s->scr = v;
        break;
    default:
        log_mask(LOG_GUEST_ERROR, "serial: write of 0x%02x to unknown register "
                 "0x%" PRIx64 "\n", v, addr);
        break;
    }
}

static int serial_can_receive(void *opaque)
{
    SerialState *s = opaque;

    if (s->mcr & MCR_LOOP)
        return 0;
    return (fifo_on(s) ? RX_FIFO_SIZE : 1) - s->rx_count;
}

static void serial_receive(void *opaque, const uint8_t *buf, int len)
{
    SerialState *s = opaque;

    for (int i = 0; i < len; i++)
        rx_push(s, buf[i]);
    serial_update_irq(s);
}

/* Any access size reaches the one-byte register at its address. */
static const MemoryRegionOps serial_ops = {
    .read = serial_read,
    .write = serial_write,
    .valid_min = 1,
    .valid_max = 8,
    .impl_min = 1,
    .impl_max = 8,
};

void serial_reset(SerialState *s)
{
    s->divider = 0;
    s->ier = s->lcr = s->mcr = s->scr = s->fcr = 0;
    s->lsr = LSR_THRE | LSR_TEMT;
    s->thr_ipending = false;
    rx_clear(s);
    serial_update_irq(s);
}

void serial_fdt_add(FdtBuilder *b, int parent, uint64_t base, uint32_t intc,
                    uint32_t irq, uint32_t clock_hz)
{
    int node = fdtb_device_node(b, parent, "serial", base, SERIAL_MMIO_SIZE);

    fdtb_prop_irq(b, node, intc, irq);
    fdtb_prop_str(b, node, "compatible", "ns16550a");
    fdtb_prop_u32(b, node, "clock-frequency", clock_hz);
}

static void serial_machine_reset(void *opaque)
{
    serial_reset(opaque);
}

SerialState *serial_mm_init(MachineState *ms, MemoryRegion *parent,
                            uint64_t base, IRQLine *irq, Chardev *chr)
{
    SerialState *s = g_new0(SerialState, 1);

    s->irq = irq;
    s->chr = chr;
    serial_reset(s);
    machine_register_reset(ms, serial_machine_reset, s);
    memory_region_init_io(&s->iomem, &serial_ops, s, "serial", SERIAL_MMIO_SIZE);
    memory_region_add_subregion(parent, base, &s->iomem);
    chardev_set_handlers(chr, serial_can_receive, serial_receive, s);
    return s;
}
