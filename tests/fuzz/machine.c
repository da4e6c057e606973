/*
 * The -M virt machine of the harnesses that drive one (fuzz.h), apart
 * from fuzz-common.c: the harnesses link both from one archive, so that
 * those that never call fuzz_machine() (9p, qcow2, raw, cmdline) need no
 * board and build with any --target-list (tests/needs.sh); the others
 * say "needs: riscv64-softmmu".
 */
#include <stdio.h>
#include <stdlib.h>

#include "fuzz.h"
#include "mimic/exec.h"
#include "mimic/main-loop.h"

#define FUZZ_RAM_SIZE (64ull << 20)
#define FUZZ_CODE_BUFFER (16u << 20)

MachineState *fuzz_machine(void)
{
    static MachineState ms;
    char *err = NULL;

    if (ms.mc)
        return &ms;
    ms.mc = machine_find("virt");
    ms.ram_size = FUZZ_RAM_SIZE;
    ms.smp_cpus = 2;
    ms.bios = "none";
    main_loop_init(); /* takes the BQL */
    tcg_exec_init(ms.mc->target_ops, FUZZ_CODE_BUFFER);
    if (!ms.mc->init(&ms, &err)) {
        fprintf(stderr, "fuzz: the machine: %s\n", err);
        abort();
    }
    return &ms;
}
