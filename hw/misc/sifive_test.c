/*
 * The SiFive test finisher: a 16- or 32-bit write to offset 0 ends the run
 * (OpenSBI writes 16 bits, bare-metal tests 32).  The low 16 bits say what
 * to do: 0x5555 powers off with exit status 0, 0x3333 exits with the
 * status in the high 16 bits, 0x7777 requests a system reset (see
 * system/runstate.c).  Anything else, reads, other offsets and other
 * sizes are guest errors and are ignored.
 */
#include <inttypes.h>

#include <glib.h>

#include "mimic/fdt-builder.h"
#include "mimic/log.h"
#include "mimic/runstate.h"
#include "mimic/sifive_test.h"

static uint64_t sifive_test_read(void *opaque, uint64_t addr, unsigned size)
{
    log_mask(LOG_GUEST_ERROR, "sifive_test: read at 0x%" PRIx64 "\n", addr);
    return 0;
}

static void sifive_test_write(void *opaque, uint64_t addr, uint64_t val,
                              unsigned size)
{
    uint32_t v = (uint32_t)val;

    if (addr != 0) {
        log_mask(LOG_GUEST_ERROR, "sifive_test: write of 0x%x to offset 0x%"
                 PRIx64 "\n", v, addr);
        return;
    }
    switch (v & 0xffff) {
    case FINISHER_PASS:
        runstate_request_shutdown(SHUTDOWN_CAUSE_GUEST, 0);
        break;
    case FINISHER_FAIL:
        runstate_request_shutdown(SHUTDOWN_CAUSE_GUEST, (int)(v >> 16));
        break;
    case FINISHER_RESET:
        runstate_request_reset(SHUTDOWN_CAUSE_GUEST_RESET);
        break;
    default:
        log_mask(LOG_GUEST_ERROR, "sifive_test: unknown command 0x%x\n", v);
        break;
    }
}

static const MemoryRegionOps sifive_test_ops = {
    .read = sifive_test_read,
    .write = sifive_test_write,
    .valid_min = 2,
    .valid_max = 4,
};

uint32_t sifive_test_fdt_add(FdtBuilder *b, int parent, uint64_t base)
{
    int node = fdtb_device_node(b, parent, "test", base, SIFIVE_TEST_SIZE);
    uint32_t ph = fdtb_phandle(b, node);

    fdtb_prop_strs(b, node, "compatible", "sifive,test1", "sifive,test0",
                   "syscon", NULL);
    return ph;
}

static void add_syscon(FdtBuilder *b, int parent, const char *name,
                       const char *compat, uint32_t regmap, uint32_t value)
{
    int node = fdtb_node(b, parent, name);

    fdtb_prop_str(b, node, "compatible", compat);
    fdtb_prop_u32(b, node, "regmap", regmap);
    fdtb_prop_u32(b, node, "offset", 0);
    fdtb_prop_u32(b, node, "value", value);
}

void sifive_test_fdt_add_syscon(FdtBuilder *b, int parent, uint32_t test)
{
    add_syscon(b, parent, "poweroff", "syscon-poweroff", test, FINISHER_PASS);
    add_syscon(b, parent, "reboot", "syscon-reboot", test, FINISHER_RESET);
}

void sifive_test_init(MemoryRegion *parent, uint64_t base)
{
    MemoryRegion *mr = g_new0(MemoryRegion, 1);

    memory_region_init_io(mr, &sifive_test_ops, NULL, "sifive_test",
                          SIFIVE_TEST_SIZE);
    memory_region_add_subregion(parent, base, mr);
}
