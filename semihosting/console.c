/*
 * The semihosting console: SYS_WRITEC and SYS_WRITE0 output, SYS_READC
 * input.  As in QEMU, output goes to the chardev named by
 * -semihosting-config chardev=ID, or else to stderr; input comes only
 * from that chardev.  SYS_READC waits for a byte in slices of 50 ms with
 * the BQL dropped; between slices the vCPU leaves the CPU loop (and runs
 * the call again), so that it can be stopped, paused or powered off
 * while it waits.  QEMU blocks for ever without a chardev; here the call
 * returns -1 at once instead.
 */
#include <stdio.h>

#include <glib.h>

#include "mimic/memory.h"
#include "mimic/runstate.h"
#include "semihosting-internal.h"

#define SH_INPUT_MAX 256

static Chardev *console_chr;
static GMutex input_lock;
static GCond input_cond;
static uint8_t input_buf[SH_INPUT_MAX];
static unsigned input_head, input_len;

static int console_can_read(void *opaque)
{
    (void)opaque;
    g_mutex_lock(&input_lock);
    unsigned room = SH_INPUT_MAX - input_len;
    g_mutex_unlock(&input_lock);
    return (int)room;
}

static void console_read(void *opaque, const uint8_t *buf, int len)
{
    (void)opaque;
    g_mutex_lock(&input_lock);
    for (int i = 0; i < len && input_len < SH_INPUT_MAX; i++) {
        input_buf[(input_head + input_len) % SH_INPUT_MAX] = buf[i];
        input_len++;
    }
    g_cond_broadcast(&input_cond);
    g_mutex_unlock(&input_lock);
}

void sh_console_init(Chardev *chr)
{
    console_chr = chr;
    if (chr)
        chardev_set_handlers(chr, console_can_read, console_read, NULL);
}

void sh_console_write(const void *buf, size_t len)
{
    if (console_chr) {
        chardev_write(console_chr, buf, (int)len);
    } else {
        fwrite(buf, 1, len, stderr);
        fflush(stderr);
    }
}

int sh_console_readc(void)
{
    int c = -1;

    if (!console_chr) {
        log_mask(LOG_UNIMP, "semihosting: SYS_READC has no input: give "
                 "-semihosting-config chardev=ID\n");
        return -1;
    }
    g_mutex_lock(&input_lock);
    if (!input_len && !runstate_shutdown_requested()) {
        gint64 until = g_get_monotonic_time() + 50 * G_TIME_SPAN_MILLISECOND;

        while (!input_len && g_cond_wait_until(&input_cond, &input_lock, until))
            ;
        if (!input_len)
            c = SH_READC_AGAIN;
    }
    if (input_len) {
        c = input_buf[input_head];
        input_head = (input_head + 1) % SH_INPUT_MAX;
        input_len--;
    }
    g_mutex_unlock(&input_lock);
    chardev_accept_input(console_chr);
    return c;
}
