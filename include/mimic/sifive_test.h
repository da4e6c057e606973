/*
 * The SiFive test finisher (hw/misc/sifive_test.c): a register through
 * which a guest powers off with an exit status or asks for a reset.
 *
 *   sifive_test_init(get_system_memory(), 0x100000);
 */
#ifndef MIMIC_SIFIVE_TEST_H
#define MIMIC_SIFIVE_TEST_H

#include <stdint.h>

#include "mimic/memory.h"

#define SIFIVE_TEST_SIZE 0x1000

enum {
    FINISHER_FAIL = 0x3333,   /* | code << 16: exit with status code */
    FINISHER_PASS = 0x5555,   /* power off, exit status 0 */
    FINISHER_RESET = 0x7777,  /* system reset */
};

typedef struct FdtBuilder FdtBuilder;

void sifive_test_init(MemoryRegion *parent, uint64_t base);
/* Adds test@base under parent (a syscon); returns its phandle, for
   sifive_test_fdt_add_syscon. */
uint32_t sifive_test_fdt_add(FdtBuilder *b, int parent, uint64_t base);
/* Adds the poweroff and reboot nodes under parent (the root), which tell
   the guest to write FINISHER_PASS or FINISHER_RESET to the device. */
void sifive_test_fdt_add_syscon(FdtBuilder *b, int parent, uint32_t test);

#endif
