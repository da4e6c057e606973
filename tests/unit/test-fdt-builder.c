/* needs: riscv64-softmmu */
/*
 * Tests of the device-tree builder (hw/core/fdt-builder.c) and of a device
 * model adding its own node from the configuration a board gives it: the
 * blob grows past its first allocation, phandles count in creation order,
 * the first libfdt error is kept, and the UART's and PLIC's nodes carry
 * the address, lines and phandles they were given.
 */
#include <string.h>

#include <glib.h>
#include <libfdt.h>

#include "mimic/fdt-builder.h"
#include "mimic/serial.h"
#include "mimic/sifive_plic.h"
#include "unit.h"

static uint32_t prop_cell(const void *fdt, int node, const char *name, int i)
{
    int len = 0;
    const fdt32_t *p = fdt_getprop(fdt, node, name, &len);

    if (!p || len < (i + 1) * 4)
        return 0xdeadbeef;
    return fdt32_to_cpu(p[i]);
}

TEST(grows_and_numbers_phandles)
{
    FdtBuilder b;
    size_t first;

    fdtb_init(&b);
    first = b.size;
    /* Enough nodes to need several reallocations. */
    for (int i = 0; i < 5000; i++) {
        g_autofree char *name = g_strdup_printf("n@%x", i);
        int node = fdtb_node(&b, 0, name);

        EXPECT_EQ(fdtb_phandle(&b, node), (uint32_t)i + 1);
    }
    EXPECT_EQ(b.error, 0);
    EXPECT(b.size > first);
    EXPECT_EQ(fdt_check_header(b.fdt), 0);
    EXPECT_EQ(prop_cell(b.fdt, fdt_path_offset(b.fdt, "/n@1387"), "phandle", 0),
              5000);
    g_free(b.fdt);
}

TEST(keeps_first_error)
{
    FdtBuilder b;

    fdtb_init(&b);
    fdtb_node(&b, 0, "twice");
    fdtb_node(&b, 0, "twice");          /* -FDT_ERR_EXISTS */
    fdtb_prop_u32(&b, 12345, "x", 1);   /* a bad offset: a later error */
    EXPECT_EQ(b.error, -FDT_ERR_EXISTS);
    g_free(b.fdt);
}

TEST(devices_add_their_nodes)
{
    FdtBuilder b;
    uint32_t intc[2] = { 3, 5 }, plic;
    int soc, node, len = 0;
    const char *compat;

    fdtb_init(&b);
    b.next_phandle = 7;
    soc = fdtb_node(&b, 0, "soc");
    plic = sifive_plic_fdt_add(&b, soc, 0xc000000, intc, 2, 96);
    serial_fdt_add(&b, soc, 0x10000000, plic, 10, 3686400);
    EXPECT_EQ(b.error, 0);
    EXPECT_EQ(plic, 7);

    node = fdt_path_offset(b.fdt, "/soc/plic@c000000");
    EXPECT(node >= 0);
    EXPECT_EQ(prop_cell(b.fdt, node, "phandle", 0), 7);
    EXPECT_EQ(prop_cell(b.fdt, node, "riscv,ndev", 0), 95);
    EXPECT_EQ(prop_cell(b.fdt, node, "reg", 1), 0xc000000);
    EXPECT_EQ(prop_cell(b.fdt, node, "reg", 3), SIFIVE_PLIC_SIZE);
    /* M external (11) then S external (9) of each hart's controller. */
    EXPECT_EQ(prop_cell(b.fdt, node, "interrupts-extended", 0), 3);
    EXPECT_EQ(prop_cell(b.fdt, node, "interrupts-extended", 1), 11);
    EXPECT_EQ(prop_cell(b.fdt, node, "interrupts-extended", 3), 9);
    EXPECT_EQ(prop_cell(b.fdt, node, "interrupts-extended", 4), 5);

    node = fdt_path_offset(b.fdt, "/soc/serial@10000000");
    EXPECT(node >= 0);
    EXPECT_EQ(prop_cell(b.fdt, node, "interrupt-parent", 0), 7);
    EXPECT_EQ(prop_cell(b.fdt, node, "interrupts", 0), 10);
    EXPECT_EQ(prop_cell(b.fdt, node, "clock-frequency", 0), 3686400);
    EXPECT_EQ(prop_cell(b.fdt, node, "reg", 3), SERIAL_MMIO_SIZE);
    compat = fdt_getprop(b.fdt, node, "compatible", &len);
    EXPECT(compat != NULL);
    if (compat)
        EXPECT_STREQ(compat, "ns16550a");
    g_free(b.fdt);
}

int main(void)
{
    return unit_run();
}
