/*
 * A virtio-rng device on the virtio-mmio transport (version 2), driven by
 * hand: finds the device among the 8 slots, negotiates VERSION_1, sets up
 * queue 0 and gets random bytes; then checks that a driver that breaks the
 * ring rules (a descriptor chain that loops, a buffer outside RAM, a next
 * index out of range, a nested indirect table) gets the device marked
 * DEVICE_NEEDS_RESET without filling anything, and that after a reset the
 * device works again.  Run with the arguments in virtio_rng.args.
 */
#include "virtio.h"

static struct desc indirect[4] __attribute__((aligned(16)));
static u8 buf[64] __attribute__((aligned(8)));

static void good_request(void)
{
    unsigned zeros = 0;

    for (unsigned i = 0; i < sizeof(buf); i++)
        buf[i] = 0;
    descs[0] = (struct desc){ (u64)buf, sizeof(buf), F_WRITE, 0 };
    CHECK_EQ(virtio_submit(), 1);
    CHECK_EQ(virtio_last_used().id, 0);
    CHECK_EQ(virtio_last_used().len, sizeof(buf));
    for (unsigned i = 0; i < sizeof(buf); i++)
        zeros += buf[i] == 0;
    CHECK(zeros < 16);                    /* random, not left as zeros */
    CHECK_EQ(vrd(VM_STATUS) & S_NEEDS_RESET, 0);
    if (vrd(VM_INT_STATUS) & 1)
        vwr(VM_INT_ACK, 1);
}

/* Submits the broken chain set up in descs[]: nothing may be used, and
   the device must ask for a reset; then resets and checks it works. */
static void bad_request(const char *what)
{
    unsigned n = virtio_submit();

    if (n != 0 || !(vrd(VM_STATUS) & S_NEEDS_RESET)) {
        uart_puts("bad chain accepted: ");
        uart_puts(what);
        uart_puts("\n");
    }
    CHECK_EQ(n, 0);
    CHECK(vrd(VM_STATUS) & S_NEEDS_RESET);
    virtio_driver_init(VIRTIO_F_INDIRECT_DESC);
    good_request();
}

int main(void)
{
    virtio_find(4);
    CHECK(dev != 0);
    if (!dev)
        return test_end();

    virtio_driver_init(VIRTIO_F_INDIRECT_DESC);
    good_request();
    good_request();

    /* 0 -> 1 -> 0 -> ... */
    descs[0] = (struct desc){ (u64)buf, 8, F_WRITE | F_NEXT, 1 };
    descs[1] = (struct desc){ (u64)buf + 8, 8, F_WRITE | F_NEXT, 0 };
    bad_request("loop");

    /* A buffer far outside RAM. */
    descs[0] = (struct desc){ 0x4000000000UL, 64, F_WRITE, 0 };
    bad_request("outside RAM");

    /* next names a descriptor past the ring. */
    descs[0] = (struct desc){ (u64)buf, 8, F_WRITE | F_NEXT, 100 };
    bad_request("next out of range");

    /* An indirect table that holds another indirect descriptor. */
    indirect[0] = (struct desc){ (u64)indirect, 16, F_INDIRECT, 0 };
    descs[0] = (struct desc){ (u64)indirect, sizeof(indirect), F_INDIRECT, 0 };
    bad_request("nested indirect");

    /* A good indirect chain works. */
    indirect[0] = (struct desc){ (u64)buf, 16, F_WRITE | F_NEXT, 1 };
    indirect[1] = (struct desc){ (u64)buf + 16, 16, F_WRITE, 0 };
    descs[0] = (struct desc){ (u64)indirect, 2 * sizeof(struct desc), F_INDIRECT, 0 };
    CHECK_EQ(virtio_submit(), 1);
    CHECK_EQ(virtio_last_used().len, 32);
    CHECK_EQ(vrd(VM_STATUS) & S_NEEDS_RESET, 0);

    return test_end();
}
